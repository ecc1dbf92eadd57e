// Shared steps: reset the dev server, sign in as a person would, arm faults.
// `test` here is Playwright's, extended so that every page fails its test on a
// Content-Security-Policy violation, a JavaScript dialog or an uncaught error.
const base = require('@playwright/test');
const { expect } = base;

const test = base.test.extend({
  page: async ({ page }, use) => {
    const problems = [];
    await page.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    page.on('dialog', async (d) => { problems.push(`dialog: ${d.message()}`); await d.dismiss(); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) problems.push(`console: ${m.text()}`);
    });
    await use(page);
    const violations = await page.evaluate(() => window.__cspViolations || []).catch(() => []);
    expect([...problems, ...violations.map((v) => `CSP: ${v}`)]).toEqual([]);
  },
});

const DEMO_KEY = 'ak_demo_connector_refresh_local_key_000001';
// The dev server's demo user (printed at its start).
const DEMO_EMAIL = 'demo@example.com';
const DEMO_PASSWORD = 'connector-demo-password';

async function reset(request) {
  const r = await request.post('/__dev/reset');
  expect(r.ok()).toBeTruthy();
}

/** Arms a one-shot fault on the dev server for the next matching request. */
async function armFault(request, fault, configId = 'pconf_abc123', endpoint = 'refresh', times = 1) {
  const data = { fault, times, endpoint };
  if (configId) data.configId = configId;
  const r = await request.post('/__dev/faults', { data });
  expect(r.ok(), `arming ${fault}`).toBeTruthy();
}

/** Signs in with an API key: email sign-in comes first, the key form is one click away. */
async function signIn(page, { key = DEMO_KEY, header = 'bearer', remember = false, timeout = '', cooldown = '0' } = {}) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('button', { name: 'Use an API key instead' }).click();
  await page.getByLabel('API key').fill(key);
  if (header === 'x-api-key') await page.getByRole('radio', { name: 'X-API-Key' }).check();
  if (timeout !== '' || cooldown !== '') await page.getByText('Advanced settings').click();
  if (timeout !== '') await page.getByLabel(/Request timeout/).fill(String(timeout));
  if (cooldown !== '') await page.getByLabel(/Cooldown after a refresh/).fill(String(cooldown));
  if (remember) await page.getByRole('checkbox', { name: 'Remember in this tab' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in at `/` and opens a configuration from the list by its name. */
async function openFromList(page, name, options) {
  await page.goto('/');
  await signIn(page, options);
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** The code the dev server last "mailed" (GET /__dev/last-code). */
async function lastCode(request, base = '') {
  const r = await request.get(`${base}/__dev/last-code`);
  expect(r.ok()).toBeTruthy();
  return (await r.json()).code;
}

/**
 * Signs in by email as a person would: email + password, then the mailed code.
 * `base` is another dev server's origin (the page must already be there).
 */
async function emailSignIn(page, request, { remember = false, cooldown = '0', base = '' } = {}) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email or username').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  if (remember) await page.getByRole('checkbox', { name: 'Remember in this tab' }).check();
  if (cooldown !== '') {
    await page.getByText('Advanced settings').click();
    await page.getByLabel(/Cooldown after a refresh/).fill(String(cooldown));
  }
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Enter the 4-digit code sent to d•••@example.com' })).toBeVisible();
  await page.getByLabel('4-digit code', { exact: true }).fill(await lastCode(request, base));
  await page.getByRole('button', { name: 'Verify code' }).click();
}

/**
 * Starts another dev server on a free loopback port with `args` (besides --port and
 * --dist) and resolves to `{ base, server }` once it listens; `server.kill()` stops it.
 */
function startDevServer(args) {
  const path = require('node:path');
  const { spawn } = require('node:child_process');
  const bin = path.resolve(__dirname, '..', process.env.DEV_API_BIN || '../target/debug/dev-api');
  const dist = path.resolve(__dirname, '..', process.env.E2E_DIST || '../dist');
  const server = spawn(bin, ['--port', '0', '--dist', dist, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (d) => {
      out += d.toString();
      const m = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (m) resolve({ base: m[1], server });
    });
    server.on('exit', (c) => reject(new Error(`dev-api exited with ${c}`)));
    setTimeout(() => reject(new Error('dev-api did not start')), 20_000);
  });
}

async function refresh(page) {
  const button = page.getByRole('button', { name: 'Refresh tools' });
  await expect(button).toBeEnabled();
  await button.click();
}

const AxeBuilder = require('@axe-core/playwright').default;

/** axe-core on the whole page: no violations, each named with where it was found. */
async function axe(page, what) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary).toEqual([]);
}

/** Presses Tab until `locator` has the focus (at most `max` times). */
async function tabTo(page, locator, max = 200) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`could not reach ${locator} by Tab`);
}

/** Counts live intervals, timeouts and in-flight fetches, from before the page's scripts run. */
async function instrument(page) {
  await page.addInitScript(() => {
    const live = { intervals: new Set(), timeouts: new Set(), fetches: 0 };
    window.__live = live;
    const { setInterval: si, clearInterval: ci, setTimeout: st, clearTimeout: ct, fetch: f } = window;
    window.setInterval = function (...a) { const id = si.apply(this, a); live.intervals.add(id); return id; };
    window.clearInterval = function (id) { live.intervals.delete(id); return ci.call(this, id); };
    window.setTimeout = function (cb, ...rest) {
      let id;
      const wrapped = typeof cb === 'function' ? function (...x) { live.timeouts.delete(id); return cb.apply(this, x); } : cb;
      id = st.call(this, wrapped, ...rest);
      live.timeouts.add(id);
      return id;
    };
    window.clearTimeout = function (id) { live.timeouts.delete(id); return ct.call(this, id); };
    window.fetch = function (...a) {
      live.fetches += 1;
      return f.apply(this, a).finally(() => { live.fetches -= 1; });
    };
    window.__counts = () => ({ intervals: live.intervals.size, timeouts: live.timeouts.size, fetches: live.fetches });
  });
}

module.exports = {
  test, expect, DEMO_KEY, DEMO_EMAIL, DEMO_PASSWORD, reset, armFault, signIn, openFromList, refresh,
  lastCode, emailSignIn, startDevServer, axe, tabTo, instrument,
};
