#!/usr/bin/env bash
# Builds the release app into dist/: trunk (wasm-opt -Oz), then postbuild
# (CSP-clean loader, precompressed .br/.gz). Assumes scripts/setup.sh's setup_app ran.
set -euo pipefail
cd "$(dirname "$0")/.."
trunk build --release "$@"
node scripts/postbuild.mjs dist
