// The standalone page in production: Debian's nginx with deploy/nginx.conf serving the
// release build, /v1/ proxied to the dev server (e2e/nginx.config.js). The main flow
// through it, and the headers README's hosting section promises.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, DEMO_KEY, signIn } = require('../tests/helpers');

const API = `http://127.0.0.1:${Number(process.env.NGINX_API_PORT || 18492)}`;
const DIST = path.resolve(__dirname, '..', process.env.E2E_DIST || '../dist');
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
  + "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'";
const IMMUTABLE = 'public, max-age=31536000, immutable';

// This build's hashed names.
const names = fs.readdirSync(DIST);
const glue = names.find((n) => /^connector-refresh-[0-9a-f]+\.js$/.test(n));
const stem = glue.slice(0, -'.js'.length);
const partsDir = `${stem}_bg.wasm.parts`; // tools/split-wasm: the wasm's folder of parts
const css = names.find((n) => /^app-[0-9a-f]+\.css$/.test(n));

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${API}/__dev/reset`)).ok()).toBeTruthy();
});

test('the flow through nginx: sign in, refresh, a deep link reloaded', async ({ page }) => {
  await page.goto('/');
  await signIn(page);
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  await expect(page).toHaveURL(/\/configurations\/pconf_abc123$/);
  await page.getByRole('button', { name: 'Refresh tools' }).click();
  await expect(page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
  // The route is answered with the page; signed in again, the same configuration.
  await page.reload();
  await signIn(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  await expect(page).toHaveURL(/\/configurations\/pconf_abc123$/);
});

test('precompressed files with Content-Encoding and Vary, by what the browser accepts', async ({ request }) => {
  for (const [file, type] of [['/', 'text/html'], [`/${stem}_bg.wasm`, 'application/wasm'],
    [`/${glue}`, 'application/javascript'], [`/${css}`, 'text/css'], [`/${partsDir}/parts.js`, 'application/javascript']]) {
    for (const [accept, encoding] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', undefined]]) {
      const r = await request.get(file, { headers: { 'Accept-Encoding': accept } });
      expect(r.status(), file).toBe(200);
      const h = r.headers();
      expect(h['content-encoding'], `${file} for ${accept}`).toBe(encoding);
      expect(h.vary, file).toMatch(/Accept-Encoding/i);
      expect(h['content-type'], file).toContain(type);
    }
  }
});

test('hashed files are immutable; the page, embed.js and files.js are revalidated', async ({ request }) => {
  const loader = names.find((n) => /^loader-[0-9a-f]+\.js$/.test(n));
  const parts = fs.readdirSync(path.join(DIST, partsDir)).filter((n) => n.endsWith('.wasm') || n === 'parts.js');
  expect(parts.length).toBeGreaterThan(1);
  for (const file of [glue, `${stem}_bg.wasm`, css, loader, ...parts.map((p) => `${partsDir}/${p}`)]) {
    const r = await request.get(`/${file}`);
    expect(r.status(), file).toBe(200);
    expect(r.headers()['cache-control'], file).toBe(IMMUTABLE);
  }
  for (const file of ['/', '/index.html', '/embed.js', '/files.js', '/i18n/de.json']) {
    const r = await request.get(file);
    expect(r.status(), file).toBe(200);
    expect(r.headers()['cache-control'], file).toBe('no-cache');
  }
});

test('routes get the page, missing files 404, every static answer has the strict policy', async ({ request }) => {
  const index = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  for (const route of ['/', '/configurations/pconf_abc123', '/configurations/pconf_v1%2Ejson',
    '/configurations/pconf_weird%2F%3F%23..%20%C3%BC', '/anything/else']) {
    const r = await request.get(route, { headers: { 'Accept-Encoding': 'identity' } });
    expect(r.status(), route).toBe(200);
    expect(r.headers()['content-type'], route).toContain('text/html');
    expect(r.headers()['cache-control'], route).toBe('no-cache');
    expect(r.headers()['content-security-policy'], route).toBe(CSP);
    expect(await r.text(), route).toBe(index);
  }
  for (const file of ['/robots.txt', '/favicon.ico', '/app-0123456789abcdef.js', `/${partsDir}/missing.wasm`, '/.env']) {
    const r = await request.get(file);
    expect(r.status(), file).toBe(404);
    expect(r.headers()['content-type'], file).not.toContain('javascript');
    expect(r.headers()['content-security-policy'], file).toBe(CSP);
  }
});

test('/v1/ is the API, proxied with its own headers', async ({ request }) => {
  const r = await request.get('/v1/personal-connectors/configurations?limit=2', { headers: { 'X-API-Key': DEMO_KEY } });
  expect(r.status()).toBe(200);
  const h = r.headers();
  expect(h['x-request-id']).toMatch(/^req_\d+$/);
  expect(h['content-type']).toContain('application/json');
  expect(h['cache-control']).toBeUndefined();
  expect(h['content-security-policy']).toBeUndefined();
  expect((await r.json()).data.map((c) => c.id)).toHaveLength(2);
  const denied = await request.get('/v1/personal-connectors/configurations');
  expect(denied.status()).toBe(401);
});
