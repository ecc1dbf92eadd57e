#!/usr/bin/env node
// The connector-refresh benchmark's measurements (run by bench/run.sh, which builds
// the app, starts the dev server and passes its origin). See bench/README.md.
//
//   node bench/measure.js --origin http://127.0.0.1:PORT --dist DIR --out FILE [--latest FILE]
//
// Prints one markdown table (figure | measured | budget | verdict) and writes it,
// with notes, to --out (and, with the date and machine, to --latest).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { chromium } = require(path.join(ROOT, 'e2e', 'node_modules', '@playwright', 'test'));

// ---------------------------------------------------------------- settings

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const ORIGIN = arg('origin');
const DIST = arg('dist', path.join(ROOT, 'dist'));
const OUT = arg('out', path.join(ROOT, 'bench', 'results', 'latest.md'));
const LATEST = arg('latest');
if (!ORIGIN) {
  console.error('usage: measure.js --origin http://127.0.0.1:PORT [--dist DIR] [--out FILE] [--latest FILE]');
  process.exit(2);
}
const LOADS = Math.max(10, Number(process.env.BENCH_LOADS || 20)); // cold loads per page
const REPS = Math.max(5, Number(process.env.BENCH_REPS || 60)); // render repetitions per renderer and size
const DEMO_KEY = 'ak_demo_connector_refresh_local_key_000001';
const SESSION_KEY = 'connector-refresh.session';
const HUGE_RUNS = Math.max(1, Number(process.env.BENCH_HUGE_RUNS || 3)); // 100,000-tool refreshes

// Budgets (the judged figures are ratios; absolute times drift between machines).
const BUDGET = {
  brotliBytes: 250_000, // "≤ 250 KB", read strictly as 250,000 bytes (issue #10)
  // Issue 21: the first render (median of three runs) and the 10,000-tool render, each
  // at most 1.5x its hand-written counterpart.
  signInRatio: 1.5,
  renderRatio10k: 1.5,
  longTaskMs: 200,
};

// The e2e suite's Chromium flags (e2e/playwright.config.js), plus --expose-gc (so a
// garbage collection can run between samples, outside the timed region) and
// --enable-precise-memory-info (so performance.memory is not bucketed).
const LAUNCH = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--disable-dev-shm-usage', '--js-flags=--expose-gc', '--enable-precise-memory-info'],
};
const CONTEXT = { locale: 'en-GB', timezoneId: 'UTC', viewport: { width: 1280, height: 800 } };

// ---------------------------------------------------------------- helpers

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;
// The Long Tasks API reports only tasks of 50 ms or more: none seen means every task was shorter.
const taskMs = (x) => (x > 0 ? ms(x) : '< 50 ms');
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
// Two decimals, or three when two would round onto the budget and hide the verdict.
const ratio = (x, budget) => `${x.toFixed(budget !== undefined && x.toFixed(2) === budget.toFixed(2) ? 3 : 2)}×`;
const spread = (xs) => `min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))}, n = ${xs.length}`;
const verdict = (ok) => (ok ? 'within budget' : '**over budget**');
const log = (...a) => console.error('[bench]', ...a);

async function post(url) {
  const r = await fetch(url, { method: 'POST' });
  if (!r.ok) throw new Error(`POST ${url}: ${r.status}`);
}

// ---------------------------------------------------------------- 1. bundle size

function bundleSize(dist) {
  // The standalone page's first load: index.html, its loader, the glue, the main wasm,
  // the stylesheet, and the parts' loader the glue imports (in the build's hashed
  // folder). embed.js and files.js (the embedding module) are not part of it, nor are
  // the parts fetched when first needed (tools/split-wasm).
  const partsDir = fs.readdirSync(dist).find((f) => /^connector-refresh-[0-9a-f]+_bg\.wasm\.parts$/.test(f) && fs.statSync(path.join(dist, f)).isDirectory());
  if (!partsDir) throw new Error(`${dist} has no connector-refresh-<hash>_bg.wasm.parts/ folder of parts: was it built with trunk build --release?`);
  const files = fs.readdirSync(dist)
    .filter((f) => (/\.(wasm|js|css)$/.test(f) && f !== 'embed.js' && f !== 'files.js') || f === 'index.html')
    .filter((f) => fs.statSync(path.join(dist, f)).isFile())
    .sort()
    .concat([`${partsDir}/parts.js`]);
  let raw = 0, gz = 0, br = 0;
  const rows = [];
  for (const f of files) {
    const size = (name) => {
      const p = path.join(dist, name);
      if (!fs.existsSync(p)) throw new Error(`${p} is missing: build with trunk build --release (its hook precompresses)`);
      return fs.statSync(p).size;
    };
    const r = { file: f, raw: size(f), gz: size(`${f}.gz`), br: size(`${f}.br`) };
    raw += r.raw; gz += r.gz; br += r.br;
    rows.push(r);
  }
  // A reader of another language also loads its catalogue before the first render
  // (issue #13): the budget holds for the heaviest one.
  const i18nDir = path.join(dist, 'i18n');
  const catalogues = fs.existsSync(i18nDir)
    ? fs.readdirSync(i18nDir).filter((f) => /^[a-z]{2,3}\.json$/.test(f) && f !== 'en.json').sort()
      .map((f) => ({ lang: f.replace('.json', ''), raw: fs.statSync(path.join(i18nDir, f)).size, br: fs.statSync(path.join(i18nDir, `${f}.br`)).size }))
    : [];
  const heaviest = catalogues.reduce((a, c) => (c.br > (a ? a.br : -1) ? c : a), null);
  // The parts: the configuration page (with what it shares with bulk refresh) and the
  // bulk runner, each fetched the first time it is used.
  const parts = fs.readdirSync(path.join(dist, partsDir)).filter(isPart).sort()
    .map((f) => ({ file: `${partsDir}/${f}`, name: partName(isPart(f)), br: fs.statSync(path.join(dist, partsDir, `${f}.br`)).size }));
  const partBr = (name) => parts.filter((p) => p.name === name).reduce((a, p) => a + p.br, 0);
  const shared = parts.filter((p) => p.name.startsWith('shared')).reduce((a, p) => a + p.br, 0);
  return {
    raw, gz, br, rows, catalogues, heaviest, withLanguage: br + (heaviest ? heaviest.br : 0),
    parts, deepLink: br + partBr('page') + shared,
  };
}

/** `split_<name>.wasm` (an entry's own part) or `chunk_<n>.wasm` (code parts share): the match, else null. */
function isPart(f) {
  return /^(?:split_([a-z]+)|chunk_(\d+))\.wasm$/.exec(f);
}

/** `page`, `bulk` or `shared<n>`. */
function partName(m) {
  return m[1] ?? `shared${m[2]}`;
}

// ---------------------------------------------------------------- 2./3. cold loads

// Installed before any page script: records, in ms since navigation start, when the
// "API key" input is present and enabled (sign-in usable) and when a table row
// naming "Team ClickUp" is present (configuration list visible).
function readinessProbe() {
  window.__bench = { signInAt: null, listAt: null };
  const check = () => {
    const b = window.__bench;
    if (b.signInAt === null) {
      // The first field of the sign-in form shown first: the app's email field
      // (issue #12), the baseline's key field.
      const key = document.getElementById('email-or-username') || document.getElementById('api-key');
      if (key && !key.disabled) b.signInAt = performance.now();
    }
    if (b.listAt === null) {
      for (const tr of document.getElementsByTagName('tr')) {
        if (tr.textContent.includes('Team ClickUp')) { b.listAt = performance.now(); break; }
      }
    }
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  document.addEventListener('DOMContentLoaded', check);
}

// One cold load: fresh context (empty caches), HTTP cache disabled, navigate, wait
// for `field` of the probe; returns its time in ms since navigation start.
async function coldLoad(browser, url, field, session) {
  const context = await browser.newContext(CONTEXT);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (session) {
      await page.addInitScript(([k, v]) => sessionStorage.setItem(k, v), [SESSION_KEY, JSON.stringify(session)]);
    }
    await page.addInitScript(readinessProbe);
    await page.goto(url, { waitUntil: 'commit' });
    const handle = await page.waitForFunction((f) => window.__bench && window.__bench[f], field, { timeout: 30_000 });
    return await handle.jsonValue();
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------- 4. render ratio

// Injected into the app's page: a hand-written vanilla-JS renderer producing the same
// markup as src/ui/result.rs (ResultView) and src/ui/names.rs (NameList), including
// NameList's virtualisation (lists over 200 names render only the visible window of
// 16 + 2 × 8 rows into a tall <ul>), its search box and scroll handler; plus a
// canonical serialiser used to check that both renderers produce the same DOM.
function installVanilla() {
  const ROW_PX = 26, VIEW_ROWS = 16, OVERSCAN = 8, PLAIN_MAX = 200, SEARCH_MIN = 12;
  const win = (len, scroll) => {
    const first = Math.floor(scroll / ROW_PX);
    const start = Math.min(Math.max(first - OVERSCAN, 0), len);
    const end = Math.min(first + VIEW_ROWS + OVERSCAN, len);
    return [start, Math.max(end, start)];
  };
  const durationWords = (msec) => {
    const s = Math.floor(Math.max(msec, 0) / 1000);
    const d = Math.floor(s / 86400), h = Math.floor(s / 3600) % 24, m = Math.floor(s / 60) % 60, sec = s % 60;
    if (d === 0 && h === 0 && m === 0) return `${sec} s`;
    if (d === 0 && h === 0) return sec === 0 ? `${m} min` : `${m} min ${sec} s`;
    if (d === 0) return m === 0 ? `${h} h` : `${h} h ${m} min`;
    return h === 0 ? `${d} d` : `${d} d ${h} h`;
  };
  const relative = (now, t) => {
    const diff = Math.trunc(t - now);
    if (Math.abs(diff) < 1000) return 'now';
    return diff > 0 ? `in ${durationWords(diff)}` : `${durationWords(-diff)} ago`;
  };
  const localDateTime = (t) => new Date(t).toLocaleString(navigator.language || 'en', { dateStyle: 'medium', timeStyle: 'short' });
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    for (const k of kids) e.append(k);
    return e;
  };

  function nameList(title, sign, cls, names) {
    const count = names.length;
    let query = '', matching = null, scroll = 0;
    const num = (n) => new Intl.NumberFormat(navigator.language || 'en').format(n);
    const headingId = `${cls}-tools-title`;
    const section = el('section', { class: `names ${cls}`, 'aria-labelledby': headingId },
      el('h3', { id: headingId }, `${sign} ${title} (${num(count)})`));
    const shownLen = () => (matching ? matching.length : count);
    let ul, hint;
    const renderRows = () => {
      const len = shownLen();
      const [start, end] = len > PLAIN_MAX ? win(len, scroll) : [0, len];
      const frag = document.createDocumentFragment();
      for (let pos = start; pos < end; pos++) {
        const n = names[matching ? matching[pos] : pos];
        frag.append(el('li', { 'aria-setsize': len, 'aria-posinset': pos + 1 },
          el('span', { class: 'sign', 'aria-hidden': 'true' }, sign), ' ', el('code', null, n)));
      }
      if (count > PLAIN_MAX) {
        ul.style.height = `${len * ROW_PX}px`;
        ul.style.paddingTop = `${win(len, scroll)[0] * ROW_PX}px`;
      }
      ul.replaceChildren(frag);
    };
    if (count > SEARCH_MIN) {
      const input = el('input', { type: 'search', class: 'name-search', 'aria-label': `Search ${title.toLowerCase()}`, placeholder: 'Search…' });
      input.value = '';
      hint = el('p', { class: 'hint', 'aria-live': 'polite' });
      input.addEventListener('input', () => {
        query = input.value.toLowerCase();
        matching = query ? names.reduce((acc, n, i) => (n.toLowerCase().includes(query) && acc.push(i), acc), []) : null;
        hint.textContent = matching ? `${num(matching.length)} of ${num(count)} match` : '';
        scroll = 0;
        renderRows();
      });
      section.append(input, hint);
    }
    if (count === 0) {
      section.append(el('p', { class: 'none' }, 'None'));
    } else if (count > PLAIN_MAX) {
      ul = el('ul');
      const box = el('div', { class: 'virtual', tabindex: '0', role: 'group', 'aria-label': `${title}, scrollable` }, ul);
      box.addEventListener('scroll', () => { scroll = Math.max(box.scrollTop, 0); renderRows(); });
      section.append(box);
      renderRows();
    } else {
      ul = el('ul');
      section.append(ul);
      renderRows();
    }
    return section;
  }

  // data: { newTools, removedTools, total, previous, cachedAt, expiresAt, message, warnings }
  function resultView(d) {
    const now = Date.now();
    const unchanged = d.newTools.length === 0 && d.removedTools.length === 0;
    // Counts as the app writes them: Intl.NumberFormat in the page's locale (issue #13).
    const num = (n) => new Intl.NumberFormat(navigator.language || 'en').format(n);
    const tools = (n) => (n === 1 ? '1 tool' : `${num(n)} tools`);
    const head = d.total !== d.previous ? `${tools(d.total)} (was ${num(d.previous)})` : tools(d.total);
    const unchangedCount = d.previous - d.removedTools.length;
    const headline = unchanged ? `No changes: ${head}`
      : `${head}: ${num(d.newTools.length)} new, ${num(d.removedTools.length)} removed, ${num(unchangedCount)} unchanged`;
    const timeEl = (t) => el('time', { datetime: new Date(t).toISOString(), title: `UTC ${new Date(t).toISOString()}` }, localDateTime(t));
    const section = el('section', { class: 'card result', 'aria-labelledby': 'result-title' },
      el('h2', { id: 'result-title', class: unchanged ? 'headline no-changes' : 'headline', tabindex: '-1' }, headline));
    if (d.warnings.length) {
      section.append(el('div', { class: 'warnings', role: 'note', 'aria-label': 'Warnings' }, el('h3', null, 'Warnings'),
        el('ul', null, ...d.warnings.map((w) => el('li', null, '⚠ ', w)))));
    }
    if (unchanged) section.append(el('p', { class: 'no-changes-note' }, 'No changes: no tools were added or removed.'));
    section.append(el('div', { class: 'lists' },
      nameList('New tools', '+', 'new', d.newTools),
      nameList('Removed tools', '−', 'removed', d.removedTools)));
    const expired = d.expiresAt <= now;
    section.append(el('dl', { class: 'times' },
      el('dt', null, 'Cached at'),
      el('dd', null, timeEl(d.cachedAt), el('span', { class: 'relative' }, ' (', relative(now, d.cachedAt), ')')),
      el('dt', null, 'Expires at'),
      el('dd', null, timeEl(d.expiresAt), el('span', { class: 'countdown', 'aria-live': 'off' },
        ...(expired ? [el('span', { class: 'badge expired' }, 'Expired'), ' ', `expired ${relative(now, d.expiresAt)}`]
          : [el('span', null, `expires ${relative(now, d.expiresAt)}`)]))),
      el('dt', null, 'Cache lifetime'),
      el('dd', null, durationWords(d.expiresAt - d.cachedAt))));
    if (d.message) section.append(el('p', { class: 'server-message' }, 'Server: ', el('q', null, d.message)));
    return section;
  }

  // The same data bench.rs builds (outside the timed region on both sides).
  function data(n) {
    const now = Date.now();
    const newTools = Array.from({ length: n }, (_, i) => `tool_${String(i).padStart(6, '0')}`);
    return { newTools, removedTools: [], total: n, previous: 0, cachedAt: now, expiresAt: now + 3_600_000,
      message: 'Tool cache refreshed successfully.', warnings: [] };
  }

  // Timed like bench_render: fresh container appended to <body> before the clock
  // starts; render, mount, force layout; clock stops; then remove.
  function render(n, keep) {
    const d = data(n);
    const div = document.createElement('div');
    document.body.append(div);
    const start = performance.now();
    div.append(resultView(d));
    void div.offsetHeight;
    const elapsed = performance.now() - start;
    if (keep) div.id = 'vanilla-mount'; else div.remove();
    return elapsed;
  }

  // Attribute-order-independent serialisation; comments (Leptos's markers) dropped,
  // timestamps and countdown words masked (the two renderers run milliseconds apart).
  function canonical(node) {
    if (node.nodeType === Node.TEXT_NODE) return node.data.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const attrs = [...node.attributes].map((a) => `${a.name}="${a.value}"`).sort().join(' ');
    return `<${node.localName}${attrs ? ' ' + attrs : ''}>${[...node.childNodes].map(canonical).join('')}</${node.localName}>`;
  }
  const mask = (s) => s
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'ISO')
    .replace(/(<time [^>]*>)[^<]*(<\/time>)/g, '$1T$2')
    .replace(/expires in [^<]*/g, 'expires in X');

  window.__vanilla = { render, canonical: (el) => mask(canonical(el)) };
}

/**
 * Puts the app's wasm exports on `window.wasmBindings`: the glue the page loaded (named in
 * its `<meta name="connector-refresh-app">`), imported again, is the same module. The
 * benchmark's hooks (src/bench.rs) are among them only in a build with the `bench` feature.
 */
async function exposeBindings(page) {
  await page.waitForFunction(() => document.body && document.body.childElementCount > 0, null, { timeout: 30_000 });
  const hooks = await page.evaluate(async () => {
    window.wasmBindings = await import(document.querySelector('meta[name="connector-refresh-app"]').content);
    return typeof window.wasmBindings.bench_render === 'function';
  });
  if (!hooks) throw new Error('the app has no benchmark hooks: build it with `trunk build --release --features split,bench` (bench/run.sh does)');
}

async function renderRatio(browser) {
  const context = await browser.newContext(CONTEXT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${ORIGIN}/`);
  await exposeBindings(page);
  // ResultView is in the configuration page's part: fetched before anything is timed.
  await page.evaluate(() => window.wasmBindings.bench_ready());
  await page.evaluate(installVanilla);

  // Same markup? (a small list, a virtualised one, and the 10,000 case)
  const markup = [];
  for (const n of [5, 300, 10_000]) {
    const [app, vanilla] = await page.evaluate((n) => {
      window.wasmBindings.bench_mount(n);
      window.__vanilla.render(n, true);
      const a = window.__vanilla.canonical(document.getElementById('bench-mount').firstElementChild);
      const v = window.__vanilla.canonical(document.getElementById('vanilla-mount').firstElementChild);
      window.wasmBindings.bench_unmount();
      document.getElementById('vanilla-mount').remove();
      return [a, v];
    }, n);
    if (app !== vanilla) {
      let i = 0;
      while (i < app.length && app[i] === vanilla[i]) i++;
      markup.push(`n = ${n}: differs at ${i}: app “…${app.slice(Math.max(0, i - 80), i + 120)}…” vs vanilla “…${vanilla.slice(Math.max(0, i - 80), i + 120)}…”`);
    }
  }

  const sizes = [200, 1_000, 10_000];
  const samples = {};
  for (const n of sizes) samples[n] = { app: [], vanilla: [] };
  // Warm-up (JIT, first-mount setup), then alternate app/vanilla, GC outside the clock.
  await page.evaluate(() => { for (let i = 0; i < 3; i++) { window.wasmBindings.bench_render(1000); window.__vanilla.render(1000); } });
  for (let r = 0; r < REPS; r++) {
    for (const n of sizes) {
      const order = r % 2 ? ['vanilla', 'app'] : ['app', 'vanilla'];
      for (const who of order) {
        const t = await page.evaluate(([n, who]) => {
          if (window.gc) window.gc();
          return who === 'app' ? window.wasmBindings.bench_render(n) : window.__vanilla.render(n);
        }, [n, who]);
        samples[n][who].push(t);
      }
    }
  }
  await context.close();
  if (errors.length) throw new Error(`page errors while rendering: ${errors.join('; ')}`);
  const out = {};
  for (const n of sizes) {
    const a = median(samples[n].app), v = median(samples[n].vanilla);
    out[n] = { app: a, vanilla: v, ratio: a / v, samples: samples[n] };
  }
  return { byN: out, markup };
}

// ---------------------------------------------------------------- 5./6. 100,000 tools

function longTaskProbe() {
  window.__lt = { tasks: [], clickAt: null, headlineAt: null };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__lt.tasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  document.addEventListener('click', (ev) => {
    const b = ev.target && ev.target.closest && ev.target.closest('button');
    if (b && b.textContent.includes('Refresh tools') && window.__lt.clickAt === null) window.__lt.clickAt = performance.now();
  }, true);
  new MutationObserver(() => {
    if (window.__lt.headlineAt === null && document.querySelector('.result .headline')) window.__lt.headlineAt = performance.now();
  }).observe(document, { childList: true, subtree: true });
}

async function hugeRefresh(browser, session) {
  await post(`${ORIGIN}/__dev/reset`);
  const context = await browser.newContext(CONTEXT);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(([k, v]) => sessionStorage.setItem(k, v), [SESSION_KEY, JSON.stringify(session)]);
  await page.addInitScript(longTaskProbe);
  await page.goto(`${ORIGIN}/configurations/pconf_huge`);
  await page.getByRole('heading', { level: 1, name: 'Huge catalogue' }).waitFor({ timeout: 30_000 });
  const button = page.getByRole('button', { name: 'Refresh tools' });
  await button.waitFor();
  await page.waitForTimeout(500); // let the page settle: only the refresh's tasks are of interest
  await button.click();
  const headline = page.locator('.result .headline');
  await headline.waitFor({ state: 'visible', timeout: 120_000 });
  const text = (await headline.textContent()) || '';
  if (!/100,?000 new/.test(text)) throw new Error(`unexpected headline after refreshing pconf_huge: “${text}” (was the dev server reset?)`);
  await page.waitForTimeout(1000); // long-task entries are delivered after their task ends
  const lt = await page.evaluate(() => window.__lt);
  const from = lt.clickAt, to = lt.headlineAt;
  const during = lt.tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
  const longest = during.reduce((m, t) => Math.max(m, t.duration), 0);
  const blocking = during.reduce((s, t) => s + Math.max(0, t.duration - 50), 0);
  await exposeBindings(page);
  const memory = await page.evaluate(() => {
    if (window.gc) window.gc();
    return { js: performance.memory ? performance.memory.usedJSHeapSize : NaN, wasm: window.wasmBindings.bench_wasm_memory_bytes() };
  });
  await context.close();
  if (errors.length) throw new Error(`page errors during the 100,000-tool refresh: ${errors.join('; ')}`);
  return { longest, count: during.length, blocking, clickToHeadline: to - from, memory, headline: text };
}

// ---------------------------------------------------------------- 7. hostile shapes

// The hostile answer shapes of issues 15 and 23, made in the browser with page.route
// (e2e/tests/hostile-shapes.js, shared with the e2e suite; the dev server is not
// changed). Each run: a fresh context, signed in, a PerformanceObserver for
// 'longtask' installed before the app starts; the figure is the longest task
// overlapping the interaction (from just before the first click to the moment the
// last answer is on screen).
const shapes = require(path.join(ROOT, 'e2e', 'tests', 'hostile-shapes.js'));
const HOSTILE_RUNS = Math.max(1, Number(process.env.BENCH_HOSTILE_RUNS || 2));

function hostileProbe() {
  window.__hl = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__hl.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/** Opens the ClickUp configuration's page and lets it settle before an interaction. */
async function openClickUp(page) {
  await page.goto(`${ORIGIN}/configurations/pconf_abc123`);
  await page.getByRole('heading', { level: 1, name: 'Team ClickUp' }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
}

/** Shapes (f) and (g): a refresh of one tool with a 1 MB description, then its details. */
async function hugeRun(page, shape, detail) {
  await shape(page);
  await openClickUp(page);
  return async () => {
    await page.getByRole('button', { name: 'Refresh tools' }).click();
    await page.getByRole('heading', { name: '⚠ Needs review (security): 1 tool' }).waitFor({ timeout: 180_000 });
    const row = page.locator('.changed-tools > li').filter({ hasText: 'huge_description' });
    await row.locator('summary').click();
    await row.getByText(detail).waitFor();
  };
}

const HOSTILE = [
  {
    key: 'a', label: '(a) 25,000 new names the definitions do not have',
    what: 'refresh (answer and tool definitions from page.route), the result with its one-sentence warning, “Show all 25,000 names”, a search for the last name',
    async run(page) {
      const s = await shapes.unknownNewNames(page);
      await openClickUp(page);
      return async () => {
        await page.getByRole('button', { name: 'Refresh tools' }).click();
        const note = page.getByRole('note', { name: 'Refresh answer and definitions disagree' });
        await note.getByText(/25,000 tools as new/).waitFor({ timeout: 120_000 });
        await note.getByRole('button', { name: 'Show all 25,000 names' }).click();
        await note.getByRole('searchbox').fill(s.deep);
        await note.getByText('1 of 25,000 match').waitFor();
      };
    },
  },
  {
    key: 'b', label: '(b) 20,000 tools whose schemas all changed',
    what: 'refresh (two 3 MB tool-definition answers and the refresh answer from page.route): decoding, the stepwise schema diff, the history entry, the paged “Changed tools”; then the next page, a search for the last tool and its details, “Download JSON” and “Copy as Markdown” of the full 20,000-tool diff',
    async run(page, context) {
      const s = await shapes.allSchemasChanged(page);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ORIGIN });
      await openClickUp(page);
      return async () => {
        await page.getByRole('button', { name: 'Refresh tools' }).click();
        await page.getByRole('heading', { name: 'No changes: 20,000 tools' }).waitFor({ timeout: 180_000 });
        const changed = page.getByRole('region', { name: 'Changed tools (20,000)' });
        await changed.getByRole('button', { name: 'Next changed tools' }).click();
        await changed.getByText('Showing 51–100 of 20,000 changed tools.').waitFor();
        await changed.getByRole('searchbox', { name: 'Search changed tools' }).fill(s.deep);
        const row = changed.locator('.changed-tools > li');
        await row.filter({ hasText: s.deep }).waitFor();
        await row.locator('summary').click();
        await row.getByText(/changed type from integer to string/).waitFor();
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
        await download.path();
        await page.getByRole('button', { name: 'Copy as Markdown' }).click();
        await page.getByText(/Copied the Markdown summary|did not allow copying/).first().waitFor({ timeout: 60_000 });
      };
    },
  },
  {
    key: 'c', label: '(c) 5,000 configurations loaded page by page',
    what: '19 × “Load more” (250 configurations a page from page.route) after the first page, then “Next rows” four times to the last page and a filter for one deep in the list',
    async run(page) {
      const s = await shapes.manyConfigurations(page);
      await page.goto(`${ORIGIN}/`);
      await page.getByText('250 configurations loaded.').waitFor({ timeout: 30_000 });
      await page.waitForTimeout(500);
      return async () => {
        for (let loaded = 500; loaded <= s.count; loaded += 250) {
          await page.getByRole('button', { name: 'Load more' }).click();
          await page.getByText(`${loaded.toLocaleString('en')} configurations loaded.`).waitFor();
        }
        for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Next rows' }).click();
        await page.getByRole('link', { name: s.deepName }).waitFor();
        await page.getByLabel('Filter by name or id').fill('configuration 4321');
        await page.getByText('1 of 5,000 loaded configurations match.').waitFor();
      };
    },
  },
  {
    key: 'd', label: '(d) history at its cap, a 10,000-name diff in each entry, compared pair-wise',
    what: 'saved history (localStorage, written by an init script) of 10,000-name entries, as many as the 512 KiB cap keeps; every neighbouring pair ticked and compared in turn, then the oldest against the newest, “Show all 10,000 names” and a search for the last name',
    async run(page) {
      const h = shapes.fullHistory();
      await page.addInitScript(([k, v]) => localStorage.setItem(k, v), [h.key, h.json]);
      await page.goto(`${ORIGIN}/configurations/pconf_abc123`);
      const heading = page.getByRole('heading', { name: /^History \(\d+\)$/ });
      await heading.waitFor({ timeout: 30_000 });
      const kept = Number(((await heading.textContent()) || '').match(/\d+/)[0]);
      await page.waitForTimeout(500);
      return async () => {
        const boxes = page.getByRole('checkbox', { name: /Compare the refresh of/ });
        const cmp = page.getByRole('region', { name: 'Comparison of two refreshes' });
        for (let i = 0; i + 1 < kept; i++) {
          await boxes.nth(i).check();
          await boxes.nth(i + 1).check();
          await cmp.getByText(`New only in the later refresh: ${h.name(h.entries - 1 - i, 0)}`, { exact: false }).waitFor();
          await boxes.nth(i).uncheck();
        }
        await boxes.nth(0).check();
        await cmp.getByRole('button', { name: 'Show all 10,000 names' }).first().click();
        const deep = h.name(h.entries - 1, h.names - 1);
        await cmp.getByRole('searchbox').first().fill(deep);
        await cmp.getByText('1 of 10,000 match').waitFor();
        return { kept };
      };
    },
  },
  {
    key: 'e', label: '(e) 5,000 tools whose descriptions all gained an instruction',
    what: 'refresh (two tool-definition answers and the refresh answer from page.route): the schema diff with each description\'s texts, the safety review of 5,000 changed tools (10,000 flags), the set\'s hashes; then the next page of flags and “Mark these tools as reviewed” (the tools read and hashed again)',
    async run(page) {
      await shapes.allDescriptionsPoisoned(page);
      await openClickUp(page);
      return async () => {
        await page.getByRole('button', { name: 'Refresh tools' }).click();
        await page.getByRole('heading', { name: '⚠ Needs review (security): 5,000 tools' }).waitFor({ timeout: 180_000 });
        const review = page.getByRole('region', { name: /Needs review \(security\)/ });
        await review.getByRole('button', { name: 'Next changed tools' }).click();
        await review.getByText('Showing 51–100 of 10,000').waitFor();
        await page.getByRole('button', { name: 'Mark these tools as reviewed' }).click();
        await page.getByText('Marked as reviewed: 5,000 tools.', { exact: false }).waitFor({ timeout: 60_000 });
      };
    },
  },
  {
    key: 'f', label: '(f) one tool with a 1 MB description',
    what: 'refresh (two 1 MB tool-definition answers from page.route, a sentence with a zero-width character and a link added in the middle): decoding, the diff keeping the part around the change, the review of the whole text; then the tool\'s details with its word diff',
    run: (page) => hugeRun(page, shapes.hugeDescription, /^added: “Ignore all previous instructions/),
  },
  {
    key: 'g', label: '(g) one tool whose 1 MB description is rewritten whole',
    what: 'refresh (two 1 MB tool-definition answers from page.route whose some 17,000 sentences all differ, one of them poisoned): the review of every new sentence; then the tool\'s details',
    run: (page) => hugeRun(page, shapes.hugeRewrite, /texts are long/),
  },
];

async function hostileRun(browser, session, shape) {
  await post(`${ORIGIN}/__dev/reset`);
  const context = await browser.newContext({ ...CONTEXT, acceptDownloads: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(([k, v]) => sessionStorage.setItem(k, v), [SESSION_KEY, JSON.stringify(session)]);
  await page.addInitScript(hostileProbe);
  try {
    const act = await shape.run(page, context);
    const from = await page.evaluate(() => performance.now());
    const extra = (await act()) || {};
    const to = await page.evaluate(() => performance.now());
    await page.waitForTimeout(1000); // long-task entries are delivered after their task ends
    const tasks = await page.evaluate(() => window.__hl);
    const during = tasks.filter((t) => t.start + t.duration >= from && t.start <= to);
    const domRows = await page.evaluate(() => document.querySelectorAll('li, tr').length);
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return {
      longest: during.reduce((m, t) => Math.max(m, t.duration), 0), count: during.length,
      blocking: during.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0), span: to - from, domRows, ...extra,
      tasks: during.map((t) => ({ at: Math.round(t.start - from), duration: Math.round(t.duration) })),
    };
  } finally {
    await context.close();
  }
}

async function hostileAll(browser, session) {
  const out = [];
  const only = process.env.BENCH_SHAPES; // e.g. "bd": only these shapes
  for (const shape of HOSTILE.filter((h) => !only || only.includes(h.key))) {
    const runs = [];
    for (let i = 0; i < HOSTILE_RUNS; i++) {
      log(`hostile shape ${shape.label}, run ${i + 1} of ${HOSTILE_RUNS}`);
      const r = await hostileRun(browser, session, shape);
      log(`  longest ${taskMs(r.longest)}; long tasks (ms after the first click: duration): ${r.tasks.map((t) => `${t.at}: ${t.duration}`).join(', ') || 'none'}`);
      runs.push(r);
    }
    out.push({ shape, runs, longest: Math.max(...runs.map((r) => r.longest)) });
  }
  return out;
}

function hostileRows(hostile) {
  return hostile.map(({ shape, runs, longest }) => [
    `longest task, hostile shape ${shape.label}`,
    `**${taskMs(longest)}** (worst of ${runs.length} runs: ${runs.map((r) => taskMs(r.longest)).join(', ')}; medians: ${median(runs.map((r) => r.count))} long task(s), ${ms(median(runs.map((r) => r.blocking)))} blocking, interaction ${(median(runs.map((r) => r.span)) / 1000).toFixed(1)} s; ${Math.max(...runs.map((r) => r.domRows))} li/tr in the page at the end${runs[0].kept ? `; ${runs[0].kept} entries kept` : ''})`,
    `≤ ${BUDGET.longTaskMs} ms`, verdict(longest <= BUDGET.longTaskMs)]);
}

function hostileNotes() {
  return `- Hostile shapes (issues 15 and 23): ${HOSTILE.filter((h) => !process.env.BENCH_SHAPES || process.env.BENCH_SHAPES.includes(h.key)).map((h) => `${h.label}: ${h.what}`).join('; ')}. Answers come from Playwright's page.route (e2e/tests/hostile-shapes.js), so the dev server is unchanged. Each run in a fresh context after POST /__dev/reset, signed in by an init script; PerformanceObserver('longtask') installed before the app starts; the figure is the longest task overlapping the interaction, judged on the worst of ${HOSTILE_RUNS} runs (“< 50 ms”: no task of 50 ms or more). “li/tr in the page at the end”: list items and table rows in the whole page when the interaction ends (the most over the runs).`;
}

// ---------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  const size = bundleSize(DIST);
  log(`bundle: ${kib(size.raw)} raw, ${kib(size.gz)} gzip, ${kib(size.br)} brotli`);

  const browser = await chromium.launch(LAUNCH);
  const chromiumVersion = browser.version();
  const session = { base_url: ORIGIN, key: DEMO_KEY, auth: 'bearer', organization_id: null, timeout_secs: 30, cooldown_secs: 0 };
  try {
    if (process.env.BENCH_ONLY === 'hostile') {
      // Only the hostile shapes (handy while working on them): printed and written to --out, not --latest.
      const hostile = await hostileAll(browser, session);
      const table = ['| figure | measured | budget | verdict |', '|---|---|---|---|',
        ...hostileRows(hostile).map((r) => `| ${r.join(' | ')} |`)].join('\n');
      console.log(table);
      fs.mkdirSync(path.dirname(OUT), { recursive: true });
      fs.writeFileSync(OUT, `# connector-refresh benchmark (hostile shapes only)\n\n- Date: ${new Date().toISOString()}\n\n${table}\n\n${hostileNotes()}\n`);
      return;
    }
    if (process.env.BENCH_ONLY === 'render') {
      log(`render: app vs vanilla, ${REPS} runs each`);
      const render = await renderRatio(browser);
      const rows = [200, 1_000, 10_000].map((n) => {
        const r = render.byN[n];
        return `| render result, ${n.toLocaleString('en')} new tools, app ÷ vanilla | ${ratio(r.ratio)} (median ${ms(r.app)} vs ${ms(r.vanilla)}) |`;
      });
      const table = ['| figure | measured |', '|---|---|', ...rows].join('\n');
      console.log(table);
      if (render.markup.length) console.log(`markup differs: ${render.markup.join(' | ')}`);
      fs.mkdirSync(path.dirname(OUT), { recursive: true });
      fs.writeFileSync(OUT, `# connector-refresh benchmark (render only)\n\n- Date: ${new Date().toISOString()}\n\n${table}\n`);
      return;
    }
    // Warm the server and the OS file cache once, untimed.
    await coldLoad(browser, `${ORIGIN}/`, 'signInAt');
    await coldLoad(browser, `${ORIGIN}/bench/signin.html`, 'signInAt');

    // Three runs, each its own ratio: the judged figure is their median, reported with
    // their spread (one run's ratio moves with the machine's load).
    const signInRuns = [];
    for (let run = 1; run <= 3; run++) {
      log(`sign-in, run ${run} of 3: ${LOADS} cold loads each of the app and the baseline, alternating`);
      const one = { app: [], base: [] };
      for (let i = 0; i < LOADS; i++) {
        const order = i % 2 ? ['base', 'app'] : ['app', 'base'];
        for (const who of order) {
          const url = who === 'app' ? `${ORIGIN}/` : `${ORIGIN}/bench/signin.html`;
          one[who].push(await coldLoad(browser, url, 'signInAt'));
        }
      }
      signInRuns.push({ ...one, ratio: median(one.app) / median(one.base) });
    }
    const signIn = { app: signInRuns.flatMap((r) => r.app), base: signInRuns.flatMap((r) => r.base) };

    log(`configuration list: ${LOADS} cold loads, signed in`);
    await post(`${ORIGIN}/__dev/reset`);
    const list = [];
    for (let i = 0; i < LOADS; i++) list.push(await coldLoad(browser, `${ORIGIN}/`, 'listAt', session));

    log(`render: ${REPS} repetitions of app and vanilla at 200 / 1,000 / 10,000 new tools`);
    const render = await renderRatio(browser);

    log(`100,000 new tools through the app (reset, open pconf_huge, refresh), ${HUGE_RUNS} time(s)`);
    const hugeRuns = [];
    for (let i = 0; i < HUGE_RUNS; i++) hugeRuns.push(await hugeRefresh(browser, session));
    const pick = (f) => median(hugeRuns.map(f));
    const huge = {
      // Judged on the worst run, not the median: one slow run is a long task a user can hit.
      longest: Math.max(...hugeRuns.map((h) => h.longest)), count: pick((h) => h.count), blocking: pick((h) => h.blocking),
      clickToHeadline: pick((h) => h.clickToHeadline), headline: hugeRuns[0].headline,
      memory: { js: pick((h) => h.memory.js), wasm: pick((h) => h.memory.wasm) },
    };

    log(`hostile shapes (a)–(g), ${HOSTILE_RUNS} run(s) each`);
    const hostile = await hostileAll(browser, session);

    // ------------------------------------------------------------ the table
    const sApp = median(signIn.app), sBase = median(signIn.base);
    const sRatios = signInRuns.map((r) => r.ratio), sRatio = median(sRatios);
    const r10 = render.byN[10_000], r1 = render.byN[1_000], r02 = render.byN[200];
    const markupOk = render.markup.length === 0;
    const heap = huge.memory.js + huge.memory.wasm;
    const rows = [
      ['wasm + js + css + index.html, raw / gzip / brotli',
        `${kib(size.raw)} / ${kib(size.gz)} / **${kib(size.br)}** (${size.br.toLocaleString('en')} B brotli)`,
        '≤ 250 KB brotli (250,000 B)', verdict(size.br <= BUDGET.brotliBytes)],
      ['the same in the heaviest other language (+ its catalogue, fetched before the first render)',
        size.heaviest
          ? `**${kib(size.withLanguage)}** (${size.withLanguage.toLocaleString('en')} B: + ${size.heaviest.lang}.json ${size.heaviest.br.toLocaleString('en')} B brotli; ${size.catalogues.map((c) => `${c.lang} ${c.br.toLocaleString('en')} B`).join(', ')})`
          : 'no catalogues in the build',
        '≤ 250 KB brotli (250,000 B)', verdict(!!size.heaviest && size.withLanguage <= BUDGET.brotliBytes)],
      ['parts fetched when first needed (not in the first load), brotli',
        `${size.parts.map((p) => `${p.name} ${p.br.toLocaleString('en')} B`).join(', ')}; a deep link to a configuration loads the first load + page + shared: ${size.deepLink.toLocaleString('en')} B`,
        'reported', '—'],
      ['first render: navigation → sign-in form usable, app ÷ baseline',
        `**${ratio(sRatio, BUDGET.signInRatio)}** (median of 3 runs: ${sRatios.map((r) => ratio(r)).join(', ')}; all loads ${ms(sApp)} vs ${ms(sBase)}; ${LOADS} + ${LOADS} cold loads a run)`,
        `≤ ${BUDGET.signInRatio}×`, verdict(sRatio <= BUDGET.signInRatio)],
      ['navigation → configuration list visible (signed in)',
        `median ${ms(median(list))} (${spread(list)})`, 'reported', '—'],
      ['render result, 200 new tools (largest unvirtualised list), app ÷ vanilla',
        `${ratio(r02.ratio)} (median ${ms(r02.app)} vs ${ms(r02.vanilla)})`, 'reported', '—'],
      ['render result, 1,000 new tools, app ÷ vanilla',
        `${ratio(r1.ratio)} (median ${ms(r1.app)} vs ${ms(r1.vanilla)})`, 'reported', '—'],
      ['render result, 10,000 new tools, app ÷ vanilla',
        `**${ratio(r10.ratio, BUDGET.renderRatio10k)}** (median ${ms(r10.app)} vs ${ms(r10.vanilla)}; ${REPS} + ${REPS} runs)`,
        `≤ ${BUDGET.renderRatio10k}×`, markupOk ? verdict(r10.ratio <= BUDGET.renderRatio10k) : '**invalid: markup differs**'],
      ['longest task, refresh → 100,000-tool result visible',
        `**${taskMs(huge.longest)}** (worst of ${HUGE_RUNS} runs: ${hugeRuns.map((h) => taskMs(h.longest)).join(', ')}; medians: ${huge.count} long task(s), ${ms(huge.blocking)} blocking, click → headline ${ms(huge.clickToHeadline)})`,
        `≤ ${BUDGET.longTaskMs} ms`, verdict(huge.longest <= BUDGET.longTaskMs)],
      ['JS heap + wasm memory after the 100,000-tool render',
        `${(heap / 1048576).toFixed(1)} MiB (medians of ${HUGE_RUNS}: JS heap ${(huge.memory.js / 1048576).toFixed(1)} MiB after GC + wasm ${(huge.memory.wasm / 1048576).toFixed(1)} MiB)`,
        'reported', '—'],
      ...hostileRows(hostile),
    ];
    const table = ['| figure | measured | budget | verdict |', '|---|---|---|---|',
      ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

    const notes = [
      `- Sizes: every .wasm/.js/.css file and index.html in \`${DIST.startsWith(ROOT + path.sep) ? path.relative(ROOT, DIST) : DIST}\`, with the sizes of the .gz/.br files the build's hook wrote (scripts/compress.mjs) (gzip -9, brotli q11): ${size.rows.map((r) => `${r.file} ${kib(r.br)}`).join(', ')} (brotli).`,
      `- First render: each load in a fresh browser context with the HTTP cache disabled (CDP), loopback, headless Chromium; time = performance.now() when a MutationObserver installed before any page script first sees the sign-in form's first field (the app's \`#email-or-username\`, the baseline's \`#api-key\`) present and enabled. The baseline (bench/baseline/signin.html + signin.js: the same form and stylesheet, controls enabled by its script) is served by the same dev server from a copy of dist/. Sign-in samples (ms): app ${signIn.app.map((x) => x.toFixed(0)).join(', ')}; baseline ${signIn.base.map((x) => x.toFixed(0)).join(', ')}.`,
      `- Configuration list: the session is put in sessionStorage (\`${SESSION_KEY}\`) by an init script; time until a table row containing “Team ClickUp” exists. There is no baseline for it, so it is reported, not judged.`,
      `- Render: in the app's page, \`wasmBindings.bench_render(n)\` (src/bench.rs: the real ResultView mounted with leptos::mount::mount_to into a fresh <div> on <body>, layout forced by offsetHeight) against a vanilla-JS renderer of the same markup (bench/measure.js), alternating, GC between runs, data built outside the timed region on both sides (the app's Effect that focuses the new headline runs asynchronously, after the timed region, and the vanilla renderer does not focus). Both virtualise like NameList: lists over 200 names put only the visible window (24 rows) in the DOM, so 1,000 and 10,000 mostly measure the fixed cost. The Outcome has no tool-level insight and no history entry (so no InsightView and no ShareActions: as when the tool definitions could not be read); the real refresh page adds both, and the long-task figure below includes them. Markup check (canonical DOM, Leptos's comment markers and timestamps masked) at 5 / 300 / 10,000 names: ${markupOk ? 'identical' : 'DIFFERENT — the ratio is not valid until bench/measure.js is updated: ' + render.markup.join(' | ')}.`,
      `- Long task: PerformanceObserver('longtask') in the real app: dev server reset, signed in, /configurations/pconf_huge, click “Refresh tools”; longest task overlapping click → “${huge.headline.trim()}” in the DOM. That span includes everything the page does for a refresh: the tool definitions fetched before and after, the refresh call (the dev server's 300 ms delay), decoding, Summary, Insight, the history entry and its exports, and the render. Each run in a fresh context after POST /__dev/reset; the longest task is judged on the worst run (“< 50 ms”: the Long Tasks API saw no task of 50 ms or more), the other figures are medians. “Blocking” = sum over those tasks of (duration − 50 ms).`,
      hostileNotes(),
      `- Memory: performance.memory.usedJSHeapSize (with --enable-precise-memory-info, after gc()) + the wasm linear memory's byte length (\`wasmBindings.bench_wasm_memory_bytes()\`; it only grows, so this is its peak).`,
      `- Ratios are the judged figures; absolute times drift between runs and machines. Run took ${((Date.now() - started) / 1000).toFixed(0)} s of measuring.`,
    ].join('\n');

    console.log(table);

    const cpu = (fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || 'unknown';
    const nproc = process.env.BENCH_NPROC || String(os.availableParallelism ? os.availableParallelism() : os.cpus().length);
    const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const machine = `${nproc} CPU(s), ${cpu.trim()}; ${(os.totalmem() / 1073741824).toFixed(0)} GiB RAM; Chromium ${chromiumVersion} (headless, Debian); Node ${process.version}; ${os.type()} ${os.release()}; 1-min load average ${loadBefore.toFixed(2)} before measuring, ${os.loadavg()[0].toFixed(2)} after (the machine is shared: absolute times are noisy)`;
    const doc = `# connector-refresh benchmark\n\n- Date: ${date}\n- Machine: ${machine}\n- Command: \`bench/run.sh\` (see bench/README.md)\n\n${table}\n\n${notes}\n`;
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, doc);
    if (LATEST) fs.writeFileSync(LATEST, doc);
    log(`written: ${OUT}${LATEST ? ` and ${LATEST}` : ''}`);
  } finally {
    await browser.close();
  }
}

main().catch((e) => { console.error('[bench] failed:', e && e.stack || e); process.exit(1); });
