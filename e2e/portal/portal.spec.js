// The widget as an npm package inside a React 19 + Vite portal (examples/react-portal,
// its production build under `vite preview`), talking to the dev server's API on
// another origin: the portal's own sign-in, a refresh, its event in React state, the
// language catalogues Vite copied, unmount on route change, the portal's styles.
const { test: base, expect } = require('@playwright/test');
const { DEMO_EMAIL, DEMO_PASSWORD, lastCode, instrument } = require('../tests/helpers');

// The dev server's API, on its own origin (e2e/portal.config.js starts it).
const API = `http://127.0.0.1:${Number(process.env.PORTAL_API_PORT || 18490)}`;

// Every page fails its test on a console error or an uncaught exception.
const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()} ${m.location().url}`); });
    await use(page);
    expect(problems).toEqual([]);
  },
});

test.beforeEach(async ({ request }) => {
  expect((await request.post(`${API}/__dev/reset`)).ok()).toBeTruthy();
});

/** Arms a one-shot fault on the dev server for the next refresh of `configId`. */
async function armFault(request, fault, configId) {
  const r = await request.post(`${API}/__dev/faults`, { data: { fault, times: 1, endpoint: 'refresh', configId } });
  expect(r.ok(), `arming ${fault}`).toBeTruthy();
}

/** Signs in to the portal as a person would and lands on the Connectors page. */
async function signIn(page, request) {
  await page.goto('/connectors');
  await expect(page.getByRole('heading', { name: 'Sign in to the portal' })).toBeVisible();
  await page.getByLabel('Email').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByLabel('Code from the email')).toBeVisible();
  await page.getByLabel('Code from the email').fill(await lastCode(request, API));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Connectors' })).toBeVisible();
}

const widget = (page) => page.locator('connector-refresh');

test('the portal signs in, the widget refreshes with its token, and the event reaches React state', async ({ page, request }) => {
  const auth = [];
  page.on('request', (r) => { if (r.url().startsWith(`${API}/v1/personal-connectors/`)) auth.push(r.headers().authorization); });
  await signIn(page, request);
  await expect(page.getByText('None yet.')).toBeVisible();
  await widget(page).getByRole('button', { name: 'Team ClickUp' }).click();
  await widget(page).getByRole('button', { name: 'Refresh tools' }).click();
  await expect(widget(page).getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();

  const seen = page.getByRole('list', { name: 'Refreshes this visit' });
  await expect(seen.getByRole('listitem')).toHaveText([
    'pconf_abc123: 8 tools (was 6): 2 new, 0 removed, 6 unchanged (new: clickup_add_attachment, clickup_update_task_status)',
  ]);
  // Every API call went to the other origin with the token from the portal's sign-in.
  expect(auth.length).toBeGreaterThanOrEqual(3);
  expect(new Set(auth).size).toBe(1);
  expect(auth[0]).toMatch(/^Bearer \S+$/);
  expect(auth[0]).not.toContain('ak_demo');
});

test('the wasm, its parts, the stylesheet and the catalogues come from the portal\'s own build', async ({ page, request }) => {
  const files = [];
  page.on('response', (r) => { if (!r.url().startsWith(API)) files.push(new URL(r.url()).pathname); });
  await signIn(page, request);
  await expect(widget(page).getByRole('heading', { level: 1, name: 'Connector configurations' })).toBeVisible();
  // German, from the catalogue Vite copied and hashed (the widget remounts in it).
  await widget(page).evaluate((el) => el.setAttribute('locale', 'de-CH'));
  await expect(widget(page).getByRole('heading', { level: 1, name: 'Connector-Konfigurationen' })).toBeVisible();
  // The configuration page is a part of the wasm, fetched when first needed.
  await widget(page).getByRole('button', { name: 'Team ClickUp' }).click();
  await expect(widget(page).getByRole('button', { name: 'Tools aktualisieren' })).toBeVisible();
  const assets = files.filter((p) => p.startsWith('/assets/'));
  expect(assets.some((p) => /^\/assets\/connector-refresh-[\w-]+_bg-[\w-]+\.wasm$/.test(p))).toBe(true);
  expect(assets.some((p) => /^\/assets\/split_[\w-]+\.wasm$/.test(p))).toBe(true);
  expect(assets.some((p) => /^\/assets\/app-[\w-]+\.css$/.test(p))).toBe(true);
  expect(assets.some((p) => /^\/assets\/de-[\w-]+\.json$/.test(p))).toBe(true);
  expect(files.filter((p) => p.includes('node_modules'))).toEqual([]);
});

test('leaving the route unmounts the widget: no timers, no requests, in flight or later', async ({ page, request }) => {
  await instrument(page);
  await signIn(page, request);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const portalOnly = await page.evaluate(() => window.__counts());

  await page.getByRole('link', { name: 'Connectors' }).click();
  await widget(page).getByRole('button', { name: 'Team ClickUp' }).click();
  await expect(widget(page).getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  await armFault(request, 'slow', 'pconf_abc123');
  const refreshSent = page.waitForRequest((r) => r.method() === 'POST' && /\/pconf_abc123\/refresh(\?|$)/.test(r.url()));
  await widget(page).getByRole('button', { name: 'Refresh tools' }).click();
  await refreshSent;
  const during = await page.evaluate(() => window.__counts());
  expect(during.fetches).toBe(1);
  expect(during.intervals).toBeGreaterThan(portalOnly.intervals); // the widget's clock

  let later = 0;
  page.on('request', (r) => { if (r.url().startsWith(API)) later += 1; });
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  await expect(widget(page)).toHaveCount(0);
  await page.waitForFunction(() => window.__counts().fetches === 0, null, { timeout: 3_000 });
  expect(await page.evaluate(() => window.__counts())).toEqual(portalOnly);
  expect(later).toBe(0);
});

test('the portal\'s styles are untouched by the widget, and the widget\'s by the portal', async ({ page, request }) => {
  const probe = () => page.evaluate(() => {
    const style = (el) => {
      const s = getComputedStyle(el);
      return { font: s.fontFamily, size: s.fontSize, color: s.color, bg: s.backgroundColor, pad: s.padding,
        transform: s.textTransform, spacing: s.letterSpacing, border: s.border };
    };
    return {
      heading: style(document.querySelector('h1')),
      button: style([...document.querySelectorAll('header button')].find((b) => b.textContent.includes('Sign out'))),
      body: style(document.body),
      sheets: document.styleSheets.length,
      adopted: document.adoptedStyleSheets.length,
      headNodes: document.head.children.length,
    };
  });
  await signIn(page, request);
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const without = await probe();
  await page.getByRole('link', { name: 'Connectors' }).click();
  await expect(widget(page).getByRole('button', { name: 'Team ClickUp' })).toBeVisible();
  const withWidget = await probe();
  expect({ ...withWidget, heading: undefined }).toEqual({ ...without, heading: undefined });
  // The two pages' h1 are the same element type under the same global rules.
  expect(withWidget.heading).toEqual(without.heading);
  expect(withWidget.heading.transform).toBe('uppercase');
  // The widget's own stylesheet is inside its shadow root, not in the portal's document.
  const widgetSheet = await widget(page).evaluate((el) => el.shadowRoot.querySelector('link[rel=stylesheet]').href);
  expect(widgetSheet).toMatch(/\/assets\/app-[\w-]+\.css$/);
  const widgetButton = await widget(page).getByRole('button', { name: 'Team ClickUp' })
    .evaluate((b) => ({ font: getComputedStyle(b).fontFamily, border: getComputedStyle(b).borderTopStyle }));
  expect(widgetButton.font).not.toContain('Georgia');
});
