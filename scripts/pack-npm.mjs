// Assembles the npm package @aitronos/connector-refresh from the release build and
// packs it: `node scripts/pack-npm.mjs [DIST]` (DIST defaults to dist/, made by
// `trunk build --release`) writes target/npm/package/ and, beside this repo's
// README, `aitronos-connector-refresh-<version>.tgz` (what a registry would get).
//
// The package holds the build's files unchanged (the wasm-bindgen glue, the wasm and
// its parts with wasm-split's `parts.js`, the stylesheet, the language catalogues),
// embed/embed.js and embed/embed.d.ts, and from package/: package.json (its version
// taken from Cargo.toml), README.md and react.d.ts. Its own `files.js`, written here,
// names each file embed.js needs with `new URL('./…', import.meta.url)`, a literal a
// bundler follows; the glue imports parts.js and parts.js fetches every part the same
// way, so a bundler copies the whole build without being told.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dist = path.resolve(process.argv[2] || path.join(root, 'dist'));
const out = path.join(root, 'target', 'npm', 'package');

const version = /^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms.exec(
  fs.readFileSync(path.join(root, 'Cargo.toml'), 'utf8'))?.[1];
if (!version) throw new Error('no [package] version in Cargo.toml');

/** The one file in DIST whose name matches `re`. */
function one(re, what) {
  const found = fs.readdirSync(dist).filter((n) => re.test(n));
  if (found.length !== 1) {
    throw new Error(`expected one ${what} in ${dist}, found ${found.length} (run trunk build --release)`);
  }
  return found[0];
}
const glue = one(/^connector-refresh-[0-9a-f]+\.js$/, 'wasm-bindgen glue');
const stem = glue.slice(0, -'.js'.length);
const wasm = `${stem}_bg.wasm`;
const partsDir = `${wasm}.parts`; // tools/split-wasm: the wasm's folder of parts
const css = one(/^app-[0-9a-f]+\.css$/, 'stylesheet');
const parts = fs.readdirSync(path.join(dist, partsDir)).filter((n) => n === 'parts.js' || n.endsWith('.wasm')).sort();
// English is built into the wasm; the others are fetched when chosen.
const languages = fs.readdirSync(path.join(dist, 'i18n'))
  .filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length))
  .filter((lang) => lang !== 'en').sort();

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, partsDir), { recursive: true });
fs.mkdirSync(path.join(out, 'i18n'));
const copy = (from, to = path.basename(from)) => fs.copyFileSync(from, path.join(out, to));
for (const name of [glue, wasm, css]) copy(path.join(dist, name));
for (const name of parts) copy(path.join(dist, partsDir, name), path.join(partsDir, name));
for (const lang of languages) copy(path.join(dist, 'i18n', `${lang}.json`), path.join('i18n', `${lang}.json`));
copy(path.join(root, 'embed', 'embed.js'));
copy(path.join(root, 'embed', 'embed.d.ts'));
copy(path.join(root, 'package', 'README.md'));
copy(path.join(root, 'package', 'react.d.ts'));

const template = JSON.parse(fs.readFileSync(path.join(root, 'package', 'package.json'), 'utf8'));
const { name, ...rest } = template;
fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name, version, ...rest }, null, 2)}\n`);

const url = (file) => `new URL('./${file}', import.meta.url)`;
fs.writeFileSync(path.join(out, 'files.js'), [
  '// This build\'s files for embed.js, each named by a literal a bundler follows',
  '// (written by scripts/pack-npm.mjs).',
  `export { default as init, mount } from './${glue}';`,
  `export const wasm = ${url(wasm)};`,
  `export const stylesheet = ${url(css)}.href;`,
  'export const catalogues = {',
  ...languages.map((lang) => `  ${lang}: ${url(`i18n/${lang}.json`)}.href,`),
  '};',
  '',
].join('\n'));

const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', root], { cwd: out })
  .toString().trim().split('\n').pop();
console.error(`pack-npm: ${tarball} (${parts.length} parts, catalogues: ${languages.join(', ')})`);
console.log(path.join(root, tarball)); // the tarball's path, for ./test.sh
