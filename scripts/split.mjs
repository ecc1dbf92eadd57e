// Splits the release wasm into the first load and the parts fetched when first needed
// (src/ui/lazy.rs), in place of Trunk's single wasm. Called by scripts/postbuild.mjs.
//
// Trunk cannot split wasm, so it builds as usual (cargo with `--cfg cr_split` and
// `-Clink-args=--emit-relocs`, from scripts/build-app.sh; wasm-bindgen; no wasm-opt)
// and this then redoes the last steps from cargo's own output, as cargo-leptos does
// for Leptos's `#[lazy]`:
//   1. wasm-split-cli (crate wasm_split_cli_support, scripts/setup.sh) cuts the wasm at
//      the `wasm_split` entries: a main module, one module per part, and one per set
//      of code shared by parts only, plus the JS that fetches and links them;
//   2. wasm-bindgen (--keep-lld-exports: the parts link against the main module's
//      table, memory and stack pointer) makes the glue for the main module;
//   3. wasm-opt -Oz on every module (the parameters index.html once gave Trunk).
// The glue and the main wasm keep Trunk's file names (its hash is of the same cargo
// output, so a name still stands for one content); the parts and their loader are
// named by their own content's hash, so an old page never fetches a newer part.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

export const WASM_OPT_FEATURES = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
const WASM_OPT_PARAMS = ['-Oz', '--strip-producers', '--strip-target-features', '--strip-debug'];
const fail = (why) => { console.error(`postbuild: split: ${why}`); process.exit(1); };
const hash16 = (data) => createHash('sha256').update(data).digest('hex').slice(0, 16);

/** The unsigned LEB128 number at `at` in `buf`, and where the bytes after it begin. */
export function leb(buf, at) {
  let v = 0, shift = 0, b;
  do { b = buf[at++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return [v >>> 0, at];
}

/** A wasm binary's sections: `id`, `start` (of the section), `body` (of its contents) and `end`. */
export function* sections(buf) {
  for (let start = 8; start < buf.length;) {
    const [size, body] = leb(buf, start + 1);
    yield { id: buf[start], start, body, end: body + size };
    start = body + size;
  }
}

/**
 * `wasm` without its custom `name` section. wasm-split-cli writes one with a subsection
 * wasm-opt does not know (id 3), and wasm-opt warned about it on every build; the names
 * are stripped by `--strip-debug` anyway.
 */
function withoutNames(wasm) {
  const isNames = ({ id, body }) => {
    if (id !== 0) return false;
    const [len, from] = leb(wasm, body);
    return wasm.toString('utf8', from, from + len) === 'name';
  };
  return Buffer.concat([wasm.subarray(0, 8),
    ...[...sections(wasm)].filter((s) => !isNames(s)).map((s) => wasm.subarray(s.start, s.end))]);
}

/**
 * Replaces dist's glue (`glue`) and wasm (`wasm`) with the split build's, writes the
 * parts beside them, and returns the parts' loader JS (not yet written: its imports
 * are renamed by postbuild first) and the parts written (`base`: page, bulk, shared<N>).
 */
export function split(dist, glue, wasm, here) {
  const targetDir = process.env.CARGO_TARGET_DIR || join(here, '../target');
  const artifact = join(targetDir, 'wasm32-unknown-unknown/release/connector-refresh.wasm');
  const input = readFileSync(artifact);
  if (!input.includes('__wasm_split_placeholder__')) {
    fail(`${artifact} has no split points: it was built without --cfg cr_split (run scripts/build-app.sh)`);
  }
  const work = join(dist, '.split');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work);
  const stem = glue.replace(/\.js$/, '');
  const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  run('wasm-split-cli', [artifact, work, '--out-name', stem]);
  // Named as Trunk names it (the glue's import module stays `./connector-refresh_bg.js`).
  run('wasm-bindgen', ['--target', 'web', '--keep-lld-exports', '--no-typescript',
    '--out-dir', join(work, 'bg'), '--out-name', 'connector-refresh', join(work, `${stem}.wasm`)]);
  const wasmOpt = join(here, '../.tools/node_modules/.bin/wasm-opt');
  const opt = (from, to) => run(wasmOpt, [...WASM_OPT_PARAMS, ...WASM_OPT_FEATURES, from, '-o', to]);
  opt(join(work, 'bg', 'connector-refresh_bg.wasm'), join(dist, wasm));

  // The parts, named by content; their loader fetches them by those names.
  let loader = readFileSync(join(work, '__wasm_split.js'), 'utf8');
  const parts = readdirSync(work).filter((f) => f.endsWith('.wasm') && f !== `${stem}.wasm`);
  if (parts.length < 2) fail(`expected the page and bulk parts, found ${parts.join(', ') || 'none'}`);
  const written = [];
  for (const f of parts.sort()) {
    const to = join(work, `opt-${f}`);
    writeFileSync(join(work, f), withoutNames(readFileSync(join(work, f))));
    opt(join(work, f), to);
    const data = readFileSync(to);
    const base = f.replace(/\.wasm$/, '').replace(/^split_/, '').replace(/^chunk_/, 'shared');
    const name = `part-${base}-${hash16(data)}.wasm`;
    const ref = JSON.stringify(`./${f}`);
    if (loader.split(ref).length !== 2) fail(`the loader names ${ref} ${loader.split(ref).length - 1} times`);
    loader = loader.replace(ref, JSON.stringify(`./${name}`));
    writeFileSync(join(dist, name), data);
    written.push({ base, name, bytes: data.length });
  }
  if (!loader.includes(`from "./${stem}.js"`)) fail(`the loader does not import ./${stem}.js`);

  // The glue, importing the loader by a name postbuild fills in once it is final.
  let code = readFileSync(join(work, 'bg', 'connector-refresh.js'), 'utf8');
  const imports = code.split('"./__wasm_split.js"').length - 1;
  if (imports < 2) fail(`the glue imports ./__wasm_split.js ${imports} times, expected one per entry`);
  writeFileSync(join(dist, glue), code);
  rmSync(work, { recursive: true, force: true });
  console.log(`postbuild: split into the first load and ${written.length} parts: ${written.map((p) => `${p.name} ${p.bytes} B`).join(', ')}`);
  return { loader, parts: written };
}

/** `loader`'s final file name, and the glue `code` importing it by that name. */
export function nameLoader(code, loader) {
  const name = `parts-${hash16(loader)}.js`;
  return { name, loader, code: code.split('"./__wasm_split.js"').join(JSON.stringify(`./${name}`)) };
}
