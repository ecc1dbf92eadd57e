#!/usr/bin/env bash
# Builds the release app into dist/: trunk (cargo, wasm-bindgen), then postbuild
# (the split wasm with wasm-opt -Oz, CSP-clean loader, precompressed .br/.gz). Assumes scripts/setup.sh's setup_app ran.
set -euo pipefail
cd "$(dirname "$0")/.."
# Release wasm only: panics carry no file/line/column text (-Zlocation-detail=none).
# These are unstable flags on the stable compiler, allowed by RUSTC_BOOTSTRAP=1
# (bench/README.md "Size log" says what they save and what to do if a rustc refuses
# them). RUSTFLAGS replaces .cargo/config.toml's rustflags, so it repeats
# erase_components. CR_PLAIN_FLAGS=1 builds without the unstable flags.
# `--cfg cr_split` and `--emit-relocs`: the wasm is split into the first load and the
# parts fetched when first needed (src/ui/lazy.rs; postbuild runs scripts/split.mjs).
export RUSTFLAGS="--cfg erase_components --cfg cr_split -Clink-args=--emit-relocs"
if [ "${CR_PLAIN_FLAGS:-}" != 1 ]; then
  export RUSTC_BOOTSTRAP=1
  RUSTFLAGS="$RUSTFLAGS -Zlocation-detail=none"
fi
# CR_DIST=DIR builds into DIR instead of dist/.
DIST="${CR_DIST:-dist}"
trunk build --release --dist "$DIST" "$@"
node scripts/postbuild.mjs "$DIST"
