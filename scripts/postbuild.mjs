// After `trunk build`: split the wasm, make the page CSP-clean and precompress it.
//  0. Splits the wasm into the first load and the parts fetched when first needed
//     (scripts/split.mjs), in place of Trunk's single wasm.
//  1. Moves Trunk's inline module loader out of index.html into a hashed file,
//     so the page works under `script-src 'self'` (no 'unsafe-inline'), loaded
//     `async` (it waits for the body only if the page is still parsing), with the
//     deep-link preload of the configuration page's part in front, and drops
//     the `integrity` Chromium ignores (with a console warning) on the wasm preload.
//  2. Writes dist/embed.js (the embedding ES module) and embed.d.ts.
//  3. Minifies the wasm-bindgen JS glue with terser (Trunk's minifier cannot parse
//     it and copies it as is; about 2.3 KB brotli saved) and updates its integrity
//     hash on the modulepreload link.
//  4. Merges each language's catalogue (i18n/<code>/*.json) into dist/i18n/<code>.json,
//     the file the app fetches when that language is chosen (build.rs checked them).
//  5. Writes .br and .gz beside every text/wasm asset; the dev server sends them
//     with Content-Encoding to clients that accept them.
// Usage: node scripts/postbuild.mjs [dist]
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, readdirSync, statSync, unlinkSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';
import { split, nameLoader, sections, leb, WASM_OPT_FEATURES } from './split.mjs';

const dist = process.argv[2] || 'dist';
// Trunk's file names.
const files = readdirSync(dist);
const pick = (re, what) => {
  const f = files.find((n) => re.test(n));
  if (!f) { console.error(`postbuild: no ${what} in ${dist}`); process.exit(1); }
  return f;
};
const glue = pick(/^connector-refresh-[0-9a-f]{8,16}\.js$/, 'wasm-bindgen glue');
const wasm = pick(/^connector-refresh-[0-9a-f]{8,16}_bg\.wasm$/, 'wasm');
const css = pick(/^app-[0-9a-f]{8,16}\.css$/, 'stylesheet');
const here = new URL('.', import.meta.url).pathname;
// 0. The split.
const { loader: partsLoader, parts } = split(dist, glue, wasm, here);

// 1. Trunk's inline loader, moved into a file. On a deep link to a configuration
// (core::route's `/configurations/{id}`) it first asks for the page part and the code
// it shares, so they download beside the main wasm instead of after it runs; the
// parts loader's fetch of the same URL takes the preloaded answer.
const pagePart = parts.filter((p) => p.base === 'page' || p.base.startsWith('shared')).map((p) => p.name);
if (!pagePart.some((n) => n.startsWith('part-page-'))) { console.error('postbuild: no page part to preload'); process.exit(1); }
const deepLinkPreload = `if (/^\\/configurations\\/[^/]/.test(location.pathname)) for (const href of ${JSON.stringify(pagePart.map((n) => `/${n}`))}) document.head.append(Object.assign(document.createElement('link'), { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href }));\n`;
const indexPath = join(dist, 'index.html');
let html = readFileSync(indexPath, 'utf8');

const inline = /<script type="module">([\s\S]*?)<\/script>/g;
let count = 0;
// The loader is `async`: it runs as soon as it and the glue are here, not after the
// page has finished parsing, so compiling the wasm starts sooner (bench/README.md,
// "The loader runs async": 11-23 ms sooner to a usable sign-in form). The page
// is tiny and always parsed long before, but should the body not be there yet, the
// app (which mounts on it) waits for it.
const bodyWait = "if (!document.body) await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));\n";
html = html.replace(inline, (_, body) => {
  const at = body.indexOf('const wasm = await init(');
  if (at < 0) { console.error('postbuild: Trunk\'s loader no longer calls `const wasm = await init(`'); process.exit(1); }
  body = deepLinkPreload + body.slice(0, at) + bodyWait + body.slice(at);
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `loader-${hash}.js`;
  writeFileSync(join(dist, name), body.trim() + '\n');
  count += 1;
  return `<script type="module" async src="/${name}"></script>`;
});
// Chromium ignores `integrity` on `<link rel="preload" as="fetch">` and warns about it
// in every visitor's console (crbug.com/981419); the wasm is fetched by the glue anyway.
html = html.replace(/<link rel="preload"[^>]*as="fetch"[^>]*>/g, (tag) => tag.replace(/\s+integrity="[^"]*"/, ''));
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html) || /\sstyle=|<style/.test(html)) {
  console.error('postbuild: index.html still has inline script or style');
  process.exit(1);
}
writeFileSync(indexPath, html);

// 2. The embedding module: embed/embed.js with the hashed names filled in.
const embed = readFileSync(join(here, '../embed/embed.js'), 'utf8')
  .replace('__GLUE__', glue).replace('__WASM__', wasm).replace('__CSS__', css);
writeFileSync(join(dist, 'embed.js'), embed);
writeFileSync(join(dist, 'embed.d.ts'), readFileSync(join(here, '../embed/embed.d.ts')));

// 3. The glue, minified (terser comes from npm with wasm-opt: scripts/setup.sh).
const require = createRequire(join(here, '../.tools/package.json'));
const { minify } = require('terser');
const gluePath = join(dist, glue);
const terse = async (code, what) => {
  const out = await minify(code, { module: true, compress: true, mangle: true });
  if (!out.code) { console.error(`postbuild: terser produced no code for ${what}`); process.exit(1); }
  return out.code;
};
const minified = await terse(readFileSync(gluePath, 'utf8'), 'the glue');
// 3b. Short import and export names. wasm-bindgen names every import after its
// JavaScript function plus a 16-hex-digit hash (`__wbg_setAttribute_f75317b2b5cabfb4`)
// and exports its closure shims under names of up to 300 characters; both appear in
// the wasm and again in the glue, and hashes do not compress. wasm-opt renames them
// all to one or two letters and prints the mapping; the glue is rewritten to match.
// Measured on the first load: -4.3 KB brotli (wasm -1.85 KB, glue -2.5 KB).
const short = shortNames(minified, join(dist, wasm), partsLoader);
const named = nameLoader(short.code, await terse(short.loader, 'the parts loader'));
writeFileSync(join(dist, named.name), named.loader);
const glueCode = named.code;
writeFileSync(gluePath, glueCode);
const sri = `sha384-${createHash('sha384').update(glueCode).digest('base64')}`;
let page = readFileSync(indexPath, 'utf8');
page = page.replace(/<link\b[^>]*>/g, (tag) => (tag.includes(`/${glue}"`) ? tag.replace(/integrity="[^"]*"/, `integrity="${sri}"`) : tag));
// The parts loader is imported by the glue: preloaded beside it, so it is not one more
// round trip after the glue arrives.
const loaderSri = `sha384-${createHash('sha384').update(named.loader).digest('base64')}`;
let preloads = 0;
page = page.replace(/<link rel="modulepreload"[^>]*>/g, (tag) => {
  if (!tag.includes(`/${glue}"`)) return tag;
  preloads += 1;
  return `${tag}<link rel="modulepreload" href="/${named.name}" crossorigin="anonymous" integrity="${loaderSri}">`;
});
if (preloads !== 1) { console.error(`postbuild: ${preloads} modulepreload links for the glue`); process.exit(1); }
writeFileSync(indexPath, page);

// 4. The language catalogues, one file per language, as build.rs writes them for its
// tests and the app reads them (core::i18n::Catalog::from_json): the messages in the
// English keys' sorted order, and `keys`, the FNV-1a 64 checksum of that key list
// joined by newlines, so the wasm needs no key names (1.4 KB brotli) and a file made
// for other keys is refused rather than shown garbled.
const i18nSrc = join(here, '../i18n');
const i18nOut = join(dist, 'i18n');
mkdirSync(i18nOut, { recursive: true });
const catalogue = (code) => {
  const merged = {};
  for (const f of readdirSync(join(i18nSrc, code)).filter((n) => n.endsWith('.json')).sort()) {
    Object.assign(merged, JSON.parse(readFileSync(join(i18nSrc, code, f), 'utf8')));
  }
  return merged;
};
const fnv64 = (text) => {
  let h = 0xcbf29ce484222325n;
  for (const b of Buffer.from(text, 'utf8')) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
};
const byteOrder = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const keys = Object.keys(catalogue('en')).sort(byteOrder);
const keysVersion = fnv64(keys.join('\n'));
for (const code of readdirSync(i18nSrc)) {
  if (!statSync(join(i18nSrc, code)).isDirectory()) continue;
  const merged = catalogue(code);
  const missing = keys.filter((k) => !(k in merged));
  if (missing.length) { console.error(`postbuild: i18n/${code} lacks ${missing.join(', ')}`); process.exit(1); }
  writeFileSync(join(i18nOut, `${code}.json`), JSON.stringify({ keys: keysVersion, messages: keys.map((k) => merged[k]) }));
}

// 5. Old compressed siblings would be stale: drop them, then compress afresh.
const served = (dir) => readdirSync(dir).map((f) => join(dir, f));
const all = [...served(dist), ...served(i18nOut)];
for (const p of all) {
  if (p.endsWith('.br') || p.endsWith('.gz')) unlinkSync(p);
}
const compressible = /\.(js|mjs|wasm|css|html|svg|json|txt|ts)$/;
let raw = 0, br = 0, gz = 0;
for (const p of [...served(dist), ...served(i18nOut)]) {
  const f = p;
  if (!statSync(p).isFile() || !compressible.test(f)) continue;
  const data = readFileSync(p);
  // Largest window and input blocks (standard brotli; every decoder reads it):
  // the wasm compresses 1.45 KB smaller than with the default 64 KiB blocks.
  const b = brotliCompressSync(data, { params: {
    [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_LGWIN]: 24, [constants.BROTLI_PARAM_LGBLOCK]: 24,
    [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
  } });
  const g = gzipSync(data, { level: 9 });
  writeFileSync(p + '.br', b);
  writeFileSync(p + '.gz', g);
  raw += data.length; br += b.length; gz += g.length;
}
console.log(`postbuild: ${count} inline loader(s) externalised; assets ${(raw / 1024).toFixed(1)} KiB raw, ${(gz / 1024).toFixed(1)} KiB gzip, ${(br / 1024).toFixed(1)} KiB brotli`);

/**
 * Renames the wasm's imports, exports and import modules to short names (wasm-opt
 * --minify-imports-and-exports-and-modules; split.mjs already stripped the producers) and returns `code`, the minified glue, and
 * `loader`, the parts' loader (scripts/split.mjs), with every use of the old names
 * replaced. All imports end up in one module: the glue's own imports and the parts
 * loader's entries are handed to the wasm as one object. Fails the build if a name is
 * not found exactly where the glue or the loader is known to use it, so a new
 * wasm-bindgen or wasm-split-cli cannot break the page silently.
 */
function shortNames(code, wasmPath, loader) {
  const fail = (why) => { console.error(`postbuild: short names: ${why}`); process.exit(1); };
  const wasmOpt = join(here, '../.tools/node_modules/.bin/wasm-opt');
  const out = `${wasmPath}.short`;
  const map = JSON.parse(execFileSync(wasmOpt, ['--minify-imports-and-exports-and-modules',
    ...WASM_OPT_FEATURES, wasmPath, '-o', out], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  const modules = importModules(readFileSync(out));
  if (modules.size !== 1) fail(`expected one import module after renaming, found ${[...modules].join(', ')}`);
  const [module] = modules;
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const once = (text, re, to, what, where = 'the glue') => {
    let n = 0;
    const next = text.replace(re, (...m) => { n += 1; return typeof to === 'function' ? to(...m) : to; });
    if (n !== 1) fail(`${what} found ${n} times in ${where}`);
    return next;
  };
  let entries = 0;
  for (const [mod, from, to] of map.imports) {
    if (mod === './connector-refresh_bg.js') {
      code = once(code, new RegExp(`(?<=[{,])${esc(from)}(?=:function)`, 'g'), to, `import ${from}`);
    } else if (mod === './__wasm_split.js') {
      if (!/^[A-Za-z_$][\w$]*$/.test(to)) fail(`${to} is not a JavaScript name`);
      loader = once(loader, new RegExp(`(?<=export const )${esc(from)}(?= = )`, 'g'), to, `entry ${from}`, 'the parts loader');
      entries += 1;
    } else {
      fail(`unexpected import module ${mod} (was ${wasmPath} post-built already? run scripts/build-app.sh)`);
    }
  }
  if (entries < 2) fail(`expected the parts' entries among the imports, found ${entries}`);
  // `{"./connector-refresh_bg.js":t,"./__wasm_split.js":n,...}` -> `{"a":{...t,...n}}`
  const spaces = [];
  code = code.replace(/,"\.\/__wasm_split\.js":([\w$]+)(?=[,}])/g, (_, v) => { spaces.push(v); return ''; });
  if (spaces.length !== entries) fail(`the glue hands the wasm ${spaces.length} loader imports, the wasm has ${entries}`);
  code = once(code, /"\.\/connector-refresh_bg\.js":([\w$]+)(?=[,}])/g,
    (_, v) => `${JSON.stringify(module)}:{...${v},...${spaces[0]}}`, 'the import module');
  const holder = /([\w$]+)=[\w$]+\.exports,/.exec(code);
  if (!holder) fail('no `x=instance.exports` in the glue');
  const B = esc(holder[1]);
  // One pass, so a new name can never be taken for another export's old one.
  const exportsTo = new Map(map.exports);
  let renamed = 0;
  code = code.replace(new RegExp(`(?<![\\w$])${B}\\.([\\w$]+)`, 'g'), (use, name) => {
    if (!exportsTo.has(name)) return use;
    renamed += 1;
    return `${holder[1]}.${exportsTo.get(name)}`;
  });
  if (renamed < 20) fail(`only ${renamed} uses of the wasm's exports were found in the glue`);
  // The parts link against the main module's exports, taken from `initSync()`.
  loader = once(loader, /(?<=const \{)([^}]*)(?=\} = initSync\(undefined, undefined\);)/g, (_, names) => {
    const list = names.split(',').map((n) => n.trim()).filter(Boolean);
    if (!list.length) fail('the parts loader takes nothing from the main module');
    return ` ${list.map((n) => {
      if (!exportsTo.has(n)) fail(`the parts need ${n}, which the main module does not export`);
      return `${exportsTo.get(n)}: ${n}`;
    }).join(', ')} `;
  }, 'the main module\'s exports', 'the parts loader');
  renameSync(out, wasmPath);
  return { code, loader };
}

/** The module names of a wasm binary's imports (its import section, id 2). */
function importModules(buf) {
  const section = [...sections(buf)].find((s) => s.id === 2);
  if (!section) return new Set();
  let i = section.body;
  const num = () => { let v; [v, i] = leb(buf, i); return v; };
  const name = () => { const n = num(); const s = buf.toString('utf8', i, i + n); i += n; return s; };
  const modules = new Set();
  const count = num();
  for (let k = 0; k < count; k++) {
    modules.add(name());
    name();
    const kind = buf[i++];
    if (kind === 0) num(); // function: type index
    else if (kind === 1) { i += 1; const flags = num(); num(); if (flags & 1) num(); } // table
    else if (kind === 2) { const flags = num(); num(); if (flags & 1) num(); } // memory
    else if (kind === 3) i += 2; // global: type, mutability
    else if (kind === 4) { i += 1; num(); } // tag
    else throw new Error(`unknown import kind ${kind}`);
  }
  return modules;
}
