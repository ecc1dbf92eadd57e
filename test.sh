#!/usr/bin/env bash
# Sets up what is missing and runs every test:
#   1. clippy (panic lints denied in app code) and rustfmt
#   2. native tests: the DOM-free core (fixtures, properties) and the dev server
#   3. browser tests: wasm-bindgen-test in headless Chromium
#   4. end to end: Playwright through the real dev server serving the release build
set -euo pipefail
cd "$(dirname "$0")"
source scripts/setup.sh
setup_tests
export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"

say "1/4 rustfmt and clippy"
cargo fmt --all --check
cargo clippy --workspace --all-targets -q -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -q -- -D warnings
# The release build's split entries (src/ui/lazy.rs, the `split` feature).
cargo clippy --target wasm32-unknown-unknown --features split --lib --bins -q -- -D warnings

say "2/4 native tests (core + dev server)"
cargo test --workspace

say "3/4 browser tests (wasm-bindgen-test, headless Chromium)"
cargo test --target wasm32-unknown-unknown --test web

say "4/4 end-to-end tests (Playwright, dev server, release build)"
trunk build --release
cargo build -p dev-api
(cd e2e && DEV_API_BIN="${CARGO_TARGET_DIR:-$PWD/../target}/debug/dev-api" npx playwright test)
