#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml): the steps Trunk cannot do, in order. Trunk
# starts every hook of a stage at once, so steps that depend on each other are one
# hook. Each step runs one tool through its documented options; none edits what
# another tool wrote.
set -euo pipefail
stage="${TRUNK_STAGING_DIR:?run by trunk build (Trunk.toml)}"
profile="${TRUNK_PROFILE:-release}"
target="${CARGO_TARGET_DIR:-target}"
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
step() { printf '\033[1mfinish-build: %s\033[0m\n' "$*" >&2; }

step "split the wasm and make the main module's glue (tools/split-wasm)"
cargo run --quiet --package split-wasm -- "$stage" "$target/wasm32-unknown-unknown/$profile/connector-refresh.wasm"
glue=$(cd "$stage" && ls connector-refresh-*.js)
stem=${glue%.js}
parts="${stem}_bg.wasm.parts"
css=$(cd "$stage" && ls app-*.css)

step "name this build's files for embed.js (files.js)"
cat >"$stage/files.js" <<JS
// This build's files, for embed.js (written by scripts/finish-build.sh).
export { default as init, mount } from './$glue';
export const wasm = new URL('./${stem}_bg.wasm', import.meta.url);
export const stylesheet = new URL('./$css', import.meta.url).href;
export const catalogues = new URL('./i18n/', import.meta.url).href;
JS

[ "$profile" = release ] || exit 0

step "optimise every wasm module (wasm-opt -Oz)"
for wasm in "$stage/${stem}_bg.wasm" "$stage/$parts"/*.wasm; do
  wasm-opt -Oz --strip-debug --strip-producers --strip-target-features \
    --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$wasm" -o "$wasm"
done

step "minify the glue and the parts' loader (terser)"
for js in "$stage/$glue" "$stage/$parts/parts.js"; do
  terser "$js" --module --compress --mangle --output "$js"
done

step "precompress every text and wasm file (.br, .gz)"
node scripts/compress.mjs "$stage"
