#!/usr/bin/env bash
# What the first load weighs, and which crates the wasm's code belongs to:
#   bench/sizes.sh
# Builds the release app (trunk build --release: cargo, the split, wasm-opt -Oz and
# brotli in its hooks), prints the brotli size of every served file, then makes a copy of the
# same wasm with its name section kept (wasm-bindgen --keep-debug, wasm-opt -Oz -g)
# and prints its code bytes per crate (bench/crate_sizes.py). Not part of ./test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_app
trunk build --release >/dev/null

say "first load (brotli q11, as served)"
total=0
parts=(dist/connector-refresh-*_bg.wasm.parts/)
for f in dist/index.html dist/*.js dist/*.wasm dist/*.css "${parts[0]}parts.js"; do
  case "$f" in */embed.js|*/files.js) continue ;; esac   # the embedding module is not part of the first load
  [ -f "$f.br" ] || continue
  size=$(stat -c %s "$f.br")
  total=$((total + size))
  printf '%-48s %9s B\n' "$(basename "$f")" "$size"
done
printf '%-48s %9s B\n' "total" "$total"

say "parts (src/ui/lazy.rs: fetched when first needed)"
for f in "${parts[0]}"*.wasm; do
  printf '%-48s %9s B\n' "$(basename "$f")" "$(stat -c %s "$f.br")"
done

say "language catalogues (fetched before the first render when chosen; English is in the wasm)"
for f in dist/i18n/*.json; do
  printf '%-48s %9s B   first load in it: %s B\n' "i18n/$(basename "$f")" "$(stat -c %s "$f.br")" "$((total + $(stat -c %s "$f.br")))"
done

say "code per crate, first load and parts together (the unsplit wasm, wasm-opt -Oz with names kept)"
TARGET="${CARGO_TARGET_DIR:-target}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
wasm-bindgen --target web --keep-debug --out-dir "$tmp" \
  "$TARGET/wasm32-unknown-unknown/release/connector-refresh.wasm"
wasm-opt -Oz -g --enable-bulk-memory --enable-nontrapping-float-to-int \
  "$tmp/connector-refresh_bg.wasm" -o "$tmp/named.wasm"
python3 bench/crate_sizes.py "$tmp/named.wasm"
