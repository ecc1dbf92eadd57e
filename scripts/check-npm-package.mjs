// Checks the npm package that scripts/pack-npm.mjs assembled (target/npm/package):
// `npm pack --dry-run` lists exactly what a consumer needs (no precompressed copies,
// no standalone page, nothing twice), and every file the code loads at run time is
// named by a `new URL('./…', import.meta.url)` literal that a bundler can follow, or
// imported by a static `import` — so a bundler copies the whole build.
// Run by ./test.sh after pack-npm.mjs: `node scripts/check-npm-package.mjs`.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = path.join(root, 'target', 'npm', 'package');
const manifest = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));

const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: pkg }).toString());
const listed = packed.files.map((f) => f.path).sort();

// What a consumer needs: the build's files, the entry and its types, the manifest and README.
const glue = listed.find((f) => /^connector-refresh-[0-9a-f]+\.js$/.test(f));
assert.ok(glue, `no wasm-bindgen glue among ${listed.join(', ')}`);
const stem = glue.slice(0, -'.js'.length);
const partsDir = `${stem}_bg.wasm.parts`; // tools/split-wasm: the wasm's folder of parts
const onDisk = (dir) => fs.readdirSync(path.join(pkg, dir)).map((n) => `${dir}/${n}`);
const parts = onDisk(partsDir).filter((f) => f.endsWith('.wasm'));
const catalogues = onDisk('i18n');
assert.ok(parts.length > 0, 'no split parts');
assert.deepEqual(catalogues.sort(), ['i18n/de.json', 'i18n/fr.json', 'i18n/it.json']);
const css = listed.filter((f) => /^app-[0-9a-f]+\.css$/.test(f));
assert.equal(css.length, 1, 'one stylesheet');
const expected = [
  'package.json', 'README.md', 'embed.js', 'embed.d.ts', 'react.d.ts', 'files.js',
  glue, `${stem}_bg.wasm`, `${partsDir}/parts.js`, ...parts, ...css, ...catalogues,
].sort();
assert.deepEqual(listed, expected, 'npm pack lists exactly what a consumer needs');

// The manifest a consumer's tools read.
assert.equal(manifest.name, '@aitronos/connector-refresh');
assert.equal(manifest.type, 'module');
assert.deepEqual(manifest.exports['.'], { types: './embed.d.ts', default: './embed.js' });
assert.deepEqual(manifest.exports['./react'], { types: './react.d.ts' });
assert.deepEqual(manifest.sideEffects, ['./embed.js'], 'only embed.js (it registers the element) has side effects');

// Every file loaded at run time is reached by a literal a bundler follows.
// The code without its line comments (embed.js's mention the pattern).
const read = (f) => fs.readFileSync(path.join(pkg, f), 'utf8').replace(/^\s*\/\/.*$/gm, '');
const urls = new Set();
const imports = new Set();
for (const js of listed.filter((f) => f.endsWith('.js'))) {
  const dir = path.posix.dirname(js);
  for (const m of read(js).matchAll(/new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g)) {
    urls.add(path.posix.normalize(path.posix.join(dir, m[1])));
  }
  for (const m of read(js).matchAll(/(?:import|export)\s*(?:[^'"]*?from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
    imports.add(path.posix.normalize(path.posix.join(dir, m[1])));
  }
}
for (const file of [`${stem}_bg.wasm`, ...parts, ...css, ...catalogues]) {
  assert.ok(urls.has(file), `${file} is not named by new URL('./…', import.meta.url)`);
}
for (const file of ['files.js', glue, `${partsDir}/parts.js`]) {
  assert.ok(imports.has(file), `${file} is not imported statically`);
}
for (const file of [...urls, ...imports]) {
  assert.ok(listed.includes(file), `${file} is referenced but not in the package`);
}
console.log(`check-npm-package: ${listed.length} files, each loaded through a literal a bundler follows`);
