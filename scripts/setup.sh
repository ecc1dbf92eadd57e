#!/usr/bin/env bash
# Installs whatever the project needs and is missing. Idempotent and quick when
# everything is there. Sourced by run.sh, test.sh and bench/run.sh:
#   setup_app    wasm target, trunk, wasm-bindgen-cli (Cargo.lock's version),
#                wasm-opt, terser (Trunk's tools and its hooks')
#   setup_tests  the above + Chromium, ChromeDriver, nginx (with brotli_static), the
#                e2e npm packages and the React portal's (examples/react-portal)
# Nothing here downloads a prebuilt binary: tools are built by cargo or come from
# Debian's and npm's registries.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132.0.0"
TERSER_VERSION="5.51.4"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

setup_app() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "building trunk $TRUNK_VERSION from source (about 7 minutes, once)"
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local wbg
  wbg="$(wasm_bindgen_version)"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    say "building wasm-bindgen-cli $wbg from source (about 5 minutes, once)"
    # not --locked: its lock file pins a crate the registry no longer serves
    cargo install wasm-bindgen-cli --version "$wbg" --force
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION; Debian's binaryen is too old)"
    mkdir -p "$ROOT/.tools"
    npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION"
  fi
  if [ "$(node -p "require('$ROOT/.tools/node_modules/terser/package.json').version" 2>/dev/null)" != "$TERSER_VERSION" ]; then
    say "installing terser $TERSER_VERSION from npm (minifies the wasm-bindgen glue in the build's hook)"
    mkdir -p "$ROOT/.tools"
    npm install --prefix "$ROOT/.tools" --no-audit --no-fund --silent "terser@$TERSER_VERSION"
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and ChromeDriver from Debian"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

setup_nginx() {
  if ! command -v nginx >/dev/null || [ ! -f /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ]; then
    say "installing nginx and its brotli_static module from Debian (deploy/nginx.conf's test)"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx libnginx-mod-http-brotli-static >/dev/null
  fi
}

setup_e2e() {
  if [ ! -d "$ROOT/e2e/node_modules/@playwright/test" ] || [ "$ROOT/e2e/package-lock.json" -nt "$ROOT/e2e/node_modules/.package-lock.json" ]; then
    say "installing the e2e npm packages (no browser download: Debian's Chromium is used)"
    (cd "$ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
  local portal="$ROOT/examples/react-portal"
  if [ ! -d "$portal/node_modules/vite" ] || [ "$portal/package-lock.json" -nt "$portal/node_modules/.package-lock.json" ]; then
    say "installing the React portal's npm packages (examples/react-portal)"
    (cd "$portal" && npm ci --no-audit --no-fund --silent)
  fi
}

setup_tests() {
  setup_app
  setup_browser
  setup_nginx
  setup_e2e
}
