// Races, cooldowns, failures that keep what the user had, hostile content, the
// key's hygiene and the Content-Security-Policy. (Every test here also fails on a
// CSP violation, a dialog or a page error: see helpers.js.)
const {
  test, expect, DEMO_KEY, reset, armFault, signIn, openFromList, refresh, emailSignIn,
} = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

test('an answer that arrives after switching configuration is never shown', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, 'slow');
  await refresh(page);
  await page.getByRole('link', { name: '← All configurations' }).click();
  await page.getByRole('link', { name: 'My Backend Repo', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My Backend Repo' })).toBeVisible();
  await page.waitForTimeout(9_000); // longer than the dev server's slow answer (8 s)
  await expect(page.getByRole('heading', { name: /\d+ tools/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'History (0)' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeEnabled();
});

test('double and rapid clicks send one request', async ({ page }) => {
  await openFromList(page, 'Team ClickUp');
  const posts = [];
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/refresh')) posts.push(r.url()); });
  const button = page.getByRole('button', { name: 'Refresh tools' });
  await button.dblclick();
  await button.click({ force: true, trial: false }).catch(() => {});
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  expect(posts).toHaveLength(1);
});

test('after a success the button cools down with a countdown', async ({ page }) => {
  await openFromList(page, 'Team ClickUp', { cooldown: '' }); // the default, 30 s
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  const button = page.getByRole('button', { name: 'Refresh tools' });
  await expect(button).toBeDisabled();
  await expect(page.getByText(/Available again in (30|29|28) s/)).toBeVisible();
  await expect(page.getByText(/Available again in (2[0-8]) s/)).toBeVisible({ timeout: 5_000 });
});

test('429 keeps the button locked until Retry-After, with a countdown', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, '429');
  await refresh(page);
  await expect(page.getByRole('alert')).toContainText('Too many requests (HTTP 429)');
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeDisabled();
  await expect(page.getByText(/Rate limited by the server: try again in (30|29|28) s/)).toBeVisible();
});

test('429 with an HTTP-date Retry-After is honoured too', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, '429-date');
  await refresh(page);
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeDisabled();
  await expect(page.getByText(/Rate limited by the server: try again in (3[01]|2\d) s/)).toBeVisible();
});

test('offline: a clear message and a Retry button; the result stays', async ({ page, context }) => {
  await openFromList(page, 'Team ClickUp');
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await context.setOffline(true);
  await refresh(page);
  await expect(page.getByRole('alert')).toContainText('Could not reach the API');
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await context.setOffline(false);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { name: /7 tools \(was 8\)/ })).toBeVisible();
});

test('a failure names the HTTP status and the request id for support', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, '500');
  await refresh(page);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('HTTP 500');
  await expect(alert).toContainText(/request id req_\d+/);
  await expect(alert).toContainText('code INTERNAL_ERROR');
});

test('hostile names and error texts render as inert text', async ({ page, request }) => {
  await openFromList(page, '<img src=x onerror=alert(1)> hostile names');
  await refresh(page);
  await expect(page.getByRole('region', { name: /New tools/ })).toContainText('<img src=x onerror=alert(1)>');
  await expect(page.getByRole('region', { name: /New tools/ })).toContainText('</script>');
  await armFault(request, 'hostile-error', 'pconf_hostile');
  await refresh(page);
  await expect(page.getByRole('alert')).toContainText('<img src=x onerror=alert(1)> & </script>');
  await expect(page.locator('main img, main script')).toHaveCount(0);
});

test('the key never reaches a URL, the console or localStorage; sessionStorage only on opt-in', async ({ page, request }) => {
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  const urls = [];
  page.on('framenavigated', (f) => urls.push(f.url()));
  const keyed = [];
  page.on('request', (r) => {
    const h = r.headers();
    if ((h.authorization || '').includes(DEMO_KEY) || h['x-api-key'] === DEMO_KEY) keyed.push(new URL(r.url()).origin);
    expect(r.url()).not.toContain(DEMO_KEY);
  });

  await openFromList(page, 'Team ClickUp');
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools/ })).toBeVisible();
  // localStorage holds only the refresh history, never the key
  const storage = async () => page.evaluate(() => ({
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
  }));
  let s = await storage();
  expect(Object.keys(s.local)).toEqual(['connector-refresh.history']);
  expect(JSON.stringify(s.local)).not.toContain(DEMO_KEY);
  expect(s.session).toEqual({});

  await page.getByRole('button', { name: 'Sign out' }).click();
  await signIn(page, { remember: true });
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  s = await storage();
  expect(Object.keys(s.session)).toEqual(['connector-refresh.session']);
  expect(JSON.stringify(s.local)).not.toContain(DEMO_KEY);

  await armFault(request, '401');
  await refresh(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  s = await storage();
  expect(s.session).toEqual({});
  expect(JSON.stringify(s.local)).not.toContain(DEMO_KEY);

  const history = await page.evaluate(() => history.length);
  expect(history).toBeGreaterThan(0);
  for (const u of urls) expect(u).not.toContain(DEMO_KEY);
  for (const line of consoleLines) expect(line).not.toContain(DEMO_KEY);
  expect(keyed.length).toBeGreaterThan(0);
  expect(new Set(keyed)).toEqual(new Set([new URL(page.url()).origin]));
});

test('the access and refresh tokens never reach a URL, the console or localStorage; sessionStorage holds only the refresh token, on opt-in', async ({ page, request }) => {
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  const urls = [];
  page.on('framenavigated', (f) => urls.push(f.url()));
  const access = new Set();
  const refreshTokens = new Set();
  page.on('response', async (r) => {
    if (!/\/v1\/auth\/(verify|refresh)$/.test(new URL(r.url()).pathname) || r.status() !== 200) return;
    const body = await r.json().catch(() => ({}));
    if (body.access_token) access.add(body.access_token);
    if (body.refresh_token) refreshTokens.add(body.refresh_token);
  });
  const carried = [];
  const requestUrls = [];
  page.on('request', (r) => {
    requestUrls.push(r.url());
    const h = r.headers().authorization || '';
    if (h.startsWith('Bearer at_')) carried.push(new URL(r.url()).origin);
  });
  const storage = async () => page.evaluate(() => ({
    local: JSON.stringify(localStorage),
    session: Object.fromEntries(Object.entries(sessionStorage)),
  }));
  const secrets = () => [...access, ...refreshTokens];

  await page.goto('/');
  await emailSignIn(page, request);
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await refresh(page);
  await expect(page.getByRole('heading', { name: /\d+ tools|No changes/ })).toBeVisible();
  let s = await storage();
  expect(s.session).toEqual({});
  for (const t of secrets()) expect(s.local).not.toContain(t);

  // opt in: only the refresh token is kept, and it rotates with each renewal
  await page.getByRole('button', { name: 'Sign out' }).click();
  await emailSignIn(page, request, { remember: true });
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  s = await storage();
  expect(Object.keys(s.session)).toEqual(['connector-refresh.session']);
  let stored = JSON.parse(s.session['connector-refresh.session']);
  expect(refreshTokens.has(stored.refresh_token)).toBeTruthy();
  for (const t of access) expect(s.session['connector-refresh.session']).not.toContain(t);
  await request.post('/__dev/auth/expire-tokens');
  await page.reload(); // restored from the tab: the first call renews with the stored token
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  await expect.poll(async () => JSON.parse((await storage()).session['connector-refresh.session']).refresh_token)
    .not.toBe(stored.refresh_token);
  s = await storage();
  const rotated = JSON.parse(s.session['connector-refresh.session']).refresh_token;
  expect(rotated).not.toBe(stored.refresh_token);
  expect(refreshTokens.has(rotated)).toBeTruthy();
  stored = null;

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  s = await storage();
  expect(s.session).toEqual({});

  expect(access.size).toBeGreaterThan(1);
  for (const t of secrets()) {
    expect(s.local).not.toContain(t);
    for (const u of [...urls, ...requestUrls]) expect(u).not.toContain(t);
    for (const line of consoleLines) expect(line).not.toContain(t);
  }
  expect(carried.length).toBeGreaterThan(0);
  expect(new Set(carried)).toEqual(new Set([new URL(page.url()).origin]));
});

test('a file the build does not have is a 404, not the page; a route is the page', async ({ request }) => {
  // Lighthouse and crawlers read /robots.txt: HTML there would be read as robots rules.
  for (const file of ['/robots.txt', '/favicon.ico', '/missing-0123456789abcdef.js']) {
    const r = await request.get(file);
    expect(r.status(), file).toBe(404);
    expect(r.headers()['content-type'], file).not.toContain('text/html');
  }
  for (const route of ['/', '/configurations/pconf_abc123', '/no/such/page']) {
    const r = await request.get(route);
    expect(r.status(), route).toBe(200);
    expect(r.headers()['content-type'], route).toContain('text/html');
  }
});

test('the page is served with the strict CSP and has no inline script', async ({ request }) => {
  const r = await request.get('/');
  const csp = r.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain('frame-ancestors');
  const html = await r.text();
  expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  expect(html).not.toMatch(/\sstyle=|<style/);
});

test('the loader (async) can run before the page is parsed: the app waits for the body', async ({ page }) => {
  // A same-origin script that blocks the parser for 3 s, between the head and
  // the body: the async loader and the glue arrive meanwhile and run with no body.
  await page.route('/', async (route) => {
    const r = await route.fetch();
    const html = (await r.text()).replace('</head>', '<script src="/__blocks-the-parser.js"></script></head>');
    await route.fulfill({ response: r, body: html });
  });
  await page.route('/__blocks-the-parser.js', async (route) => {
    await new Promise((r) => setTimeout(r, 3000));
    await route.fulfill({ contentType: 'text/javascript', body: 'window.__parsedOnAt = performance.now();' });
  });
  await page.addInitScript(() => {
    window.__waited = [];
    const add = document.addEventListener.bind(document);
    document.addEventListener = (type, ...rest) => {
      if (type === 'DOMContentLoaded') window.__waited.push(!!document.body);
      return add(type, ...rest);
    };
  });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Email or username' })).toBeEnabled();
  // The loader did run while there was no body, and waited for it.
  expect(await page.evaluate(() => window.__waited)).toEqual([false]);
  expect(await page.evaluate(() => typeof window.__parsedOnAt)).toBe('number');
});

test('100,000 new tools render virtualised and are searchable', async ({ page }) => {
  await openFromList(page, 'Huge catalogue');
  await refresh(page);
  await expect(page.getByRole('heading', { name: '100,000 tools (was 0): 100,000 new, 0 removed, 0 unchanged' })).toBeVisible({ timeout: 30_000 });
  const list = page.getByRole('region', { name: /New tools \(100,000\)/ });
  const rendered = await list.getByRole('listitem').count();
  expect(rendered).toBeGreaterThan(10);
  expect(rendered).toBeLessThan(100);
  await expect(list.getByRole('listitem').first()).toContainText('huge_tool_000000');

  await list.getByRole('group').evaluate((el) => { el.scrollTop = el.scrollHeight; el.dispatchEvent(new Event('scroll')); });
  await expect(list.getByText('huge_tool_099999', { exact: true })).toBeVisible();

  await list.getByRole('searchbox', { name: 'Search new tools' }).fill('huge_tool_05000');
  await expect(list.getByText('10 of 100,000 match')).toBeVisible();
  await expect(list.getByRole('listitem')).toHaveCount(10);
  await expect(list.getByRole('listitem').first()).toContainText('huge_tool_050000');
});
