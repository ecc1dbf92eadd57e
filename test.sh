#!/usr/bin/env bash
# Sets up what is missing and runs every test:
#   1. clippy (panic lints denied in app code) and rustfmt
#   2. native tests: the DOM-free core (fixtures, properties) and the dev server
#   3. browser tests: wasm-bindgen-test in headless Chromium
#   4. end to end: Playwright through the real dev server serving the release build
#   5. the npm package, and a React + Vite portal installing it (type-check, build, e2e)
#   6. the standalone page behind nginx with deploy/nginx.conf (flow and headers)
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
setup_tests
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

say "1/6 rustfmt and clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets -q -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -q -- -D warnings
# The release build's split entries (src/ui/lazy.rs, the `split` feature).
cargo clippy --target wasm32-unknown-unknown --features split --lib --bins -q -- -D warnings
# The fuzz targets (fuzz/, run by hand with cargo fuzz) are their own workspace:
# checked here so that they keep building against the core.
cargo fmt --manifest-path fuzz/Cargo.toml --check
cargo check --manifest-path fuzz/Cargo.toml --bins -q

say "2/6 native tests (core + dev server)"
cargo test --workspace

say "3/6 browser tests (wasm-bindgen-test, headless Chromium)"
cargo test --target wasm32-unknown-unknown --test web

say "4/6 end-to-end tests (Playwright, dev server, release build)"
trunk build --release
cargo build -p dev-api
(cd e2e && DEV_API_BIN="${CARGO_TARGET_DIR:-$PWD/../target}/debug/dev-api" npx playwright test)

say "5/6 the npm package and the React + Vite portal (examples/react-portal)"
tarball=$(node scripts/pack-npm.mjs)
node scripts/check-npm-package.mjs
export PORTAL_API_PORT="${PORTAL_API_PORT:-18490}" PORTAL_PORT="${PORTAL_PORT:-18491}"
(
  cd examples/react-portal
  # Not in package-lock.json: the tarball changes with every build.
  npm install --no-save --no-audit --no-fund --silent "$tarball"
  npx tsc --noEmit
  # --logLevel warn prints only warnings (and errors): a clean build prints nothing.
  out=$(VITE_CONNECTOR_API="http://127.0.0.1:$PORTAL_API_PORT" npx vite build --logLevel warn 2>&1)
  if [ -n "$out" ]; then printf '%s\n' "$out"; echo "vite build printed warnings" >&2; exit 1; fi
)
(cd e2e && DEV_API_BIN="${CARGO_TARGET_DIR:-$PWD/../target}/debug/dev-api" npx playwright test -c portal.config.js)

say "6/6 the standalone page behind nginx (deploy/nginx.conf)"
(cd e2e && DEV_API_BIN="${CARGO_TARGET_DIR:-$PWD/../target}/debug/dev-api" npx playwright test -c nginx.config.js)
