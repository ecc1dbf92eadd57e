// The embedding surface, through examples/portal/ served by the dev server: the
// custom element with a host getToken, mount() with a fixed configuration, events,
// style isolation, independence, unmount cleanup.
const { test, expect, DEMO_KEY, reset, armFault, instrument } = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

async function openPortal(page) {
  await page.goto('/examples/portal/');
  await page.waitForFunction(() => window.portalReady === true);
}

const widgetA = (page) => page.locator('#widget-a');
const widgetB = (page) => page.locator('#widget-b');

test('both widgets refresh independently and fire refreshed events with the result', async ({ page }) => {
  await openPortal(page);
  const historyBefore = await page.evaluate(() => history.length);
  await widgetA(page).getByRole('button', { name: 'Team ClickUp' }).click();
  await widgetA(page).getByRole('button', { name: 'Refresh tools' }).click();
  await expect(widgetA(page).getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
  await expect(widgetB(page).getByRole('heading', { name: /\d+ tools/ })).toHaveCount(0);

  await page.getByRole('button', { name: 'Refresh B from the portal' }).click();
  await expect(widgetB(page).getByRole('heading', { name: /11 tools \(was 12\): 1 new, 2 removed/ })).toBeVisible();
  await expect(widgetA(page).getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();

  const events = await page.evaluate(() => window.portalEvents);
  expect(events.map((e) => [e.type, e.target])).toEqual([
    ['connector-refresh:refreshed', 'widget-a'],
    ['connector-refresh:refreshed', 'widget-b'],
  ]);
  const a = events[0].detail;
  expect(a.configurationId).toBe('pconf_abc123');
  expect(a.detailsReported).toBe(true);
  expect(a.newTools).toEqual(['clickup_add_attachment', 'clickup_update_task_status']);
  expect(a.removedTools).toEqual([]);
  expect([a.toolsDiscovered, a.previousToolCount, a.unchanged, a.ttlSeconds]).toEqual([8, 6, 6, 3600]);
  expect(a.cachedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  expect(events[1].detail.removedTools).toEqual(['github_gist_create', 'github_legacy_search']);
  await expect(page).toHaveURL(/\/examples\/portal\/$/); // the host URL never changes
  expect(await page.evaluate(() => history.length)).toBe(historyBefore);
});

test('error and signed-out events carry kind, status, message and request id', async ({ page, request }) => {
  await openPortal(page);
  await armFault(request, '500', 'pconf_gh42');
  await page.getByRole('button', { name: 'Refresh B from the portal' }).click();
  await expect(widgetB(page).getByRole('alert')).toContainText('HTTP 500');
  let events = await page.evaluate(() => window.portalEvents);
  const err = events.find((e) => e.type === 'connector-refresh:error');
  expect(err.target).toBe('widget-b');
  expect(err.detail).toMatchObject({ configurationId: 'pconf_gh42', kind: 'server', status: 500, code: 'INTERNAL_ERROR' });
  expect(err.detail.requestId).toMatch(/^req_\d+$/);
  expect(err.detail.message).toContain('The server failed (HTTP 500)');

  await armFault(request, '401', 'pconf_gh42');
  await page.getByRole('button', { name: 'Refresh B from the portal' }).click();
  await expect(widgetB(page).getByText('Waiting for access')).toBeVisible();
  events = await page.evaluate(() => window.portalEvents);
  const out = events.find((e) => e.type === 'connector-refresh:signed-out');
  expect(out.target).toBe('widget-b');
  expect(out.detail.reason).toContain('The API key was rejected');
  await page.evaluate((k) => window.widgetB.setToken(k), DEMO_KEY);
  await expect(widgetB(page).getByRole('button', { name: 'Refresh tools' })).toBeVisible();
});

test('getToken is called before each request, and a token it returns later is used', async ({ page }) => {
  const seen = [];
  page.on('request', (r) => { if (r.url().includes('/v1/')) seen.push({ url: r.url(), key: r.headers()['x-api-key'] }); });
  await openPortal(page);
  await widgetA(page).getByRole('button', { name: 'Team ClickUp' }).click();
  await widgetA(page).getByRole('button', { name: 'Refresh tools' }).click();
  await expect(widgetA(page).getByRole('heading', { name: /8 tools/ })).toBeVisible();
  const fromA = seen.filter((s) => s.key !== undefined);
  expect(fromA.length).toBeGreaterThanOrEqual(3); // list, configuration, refresh
  expect(await page.evaluate(() => window.getTokenCalls)).toBe(fromA.length);
  expect(new Set(fromA.map((s) => s.key))).toEqual(new Set([DEMO_KEY]));

  await page.evaluate(() => { window.portalToken = 'ak_rotated_by_the_portal'; });
  await widgetA(page).getByRole('button', { name: 'Refresh tools' }).click();
  await expect(widgetA(page).getByText('Waiting for access')).toBeVisible(); // the dev server knows only the demo key
  expect(seen[seen.length - 1].key).toBe('ak_rotated_by_the_portal');
});

test('the host page CSS does not change the widget (computed styles match a plain page)', async ({ page, browser }) => {
  const probe = async (p) => {
    await p.waitForFunction(() => window.portalReady === true);
    const w = p.locator('#widget-a');
    await w.getByRole('button', { name: 'Team ClickUp' }).click();
    const button = w.getByRole('button', { name: 'Refresh tools' });
    await expect(button).toBeVisible();
    const style = (el) => {
      const s = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return { font: s.fontFamily, size: s.fontSize, color: s.color, bg: s.backgroundColor, pad: s.padding,
        margin: s.margin, lineHeight: s.lineHeight, transform: s.textTransform, spacing: s.letterSpacing,
        width: Math.round(r.width), height: Math.round(r.height) };
    };
    return {
      button: await button.evaluate(style),
      // a block's width is the host's to decide; everything else must match
      heading: await w.getByRole('heading', { level: 1 }).evaluate(style).then(({ width, ...rest }) => rest),
      code: await w.locator('code').first().evaluate(style),
    };
  };
  await openPortal(page);
  const inPortal = await probe(page);
  const plain = await browser.newPage();
  await plain.goto('/examples/portal/plain.html');
  const reference = await probe(plain);
  await plain.close();
  expect(inPortal).toEqual(reference);
  expect(inPortal.button.transform).toBe('none');
  expect(inPortal.button.font).not.toContain('Comic');
});

test('unmount() stops every timer and request; two instances are independent', async ({ page, request }) => {
  await instrument(page);
  await openPortal(page);
  await widgetA(page).getByRole('button', { name: 'Team ClickUp' }).click();
  await expect(widgetA(page).getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  await expect(widgetB(page).getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  await page.waitForFunction(() => window.__counts().fetches === 0);
  const both = await page.evaluate(() => window.__counts());
  expect(both.intervals).toBe(2); // one ticking clock per widget

  await armFault(request, 'slow', 'pconf_gh42');
  // Unmount while the refresh itself is in flight: the definitions read before it is a
  // real MCP round trip on the dev server now, so wait until the POST has gone out.
  const refreshSent = page.waitForRequest((r) => r.method() === 'POST' && /\/pconf_gh42\/refresh(\?|$)/.test(r.url()));
  await page.getByRole('button', { name: 'Refresh B from the portal' }).click();
  await refreshSent;
  await expect(widgetB(page).getByRole('button', { name: 'Refresh tools' })).toBeDisabled();
  const during = await page.evaluate(() => window.__counts());
  expect(during.fetches).toBe(1);
  expect(during.timeouts).toBeGreaterThanOrEqual(1); // the request timeout

  await page.getByRole('button', { name: 'Unmount B' }).click();
  await expect(widgetB(page).getByRole('button')).toHaveCount(0);
  await page.waitForFunction(() => window.__counts().fetches === 0, null, { timeout: 3_000 });
  const after = await page.evaluate(() => window.__counts());
  expect(after).toEqual({ intervals: 1, timeouts: 0, fetches: 0 });

  // Widget A is untouched and still works.
  await widgetA(page).getByRole('button', { name: 'Refresh tools' }).click();
  await expect(widgetA(page).getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
});

test('removing the element stops its timers too', async ({ page }) => {
  await instrument(page);
  await openPortal(page);
  await expect(widgetA(page).getByRole('table')).toBeVisible();
  await page.waitForFunction(() => window.__counts().fetches === 0);
  await page.evaluate(() => document.getElementById('widget-a').remove());
  await page.evaluate(() => window.widgetB.unmount());
  expect(await page.evaluate(() => window.__counts())).toEqual({ intervals: 0, timeouts: 0, fetches: 0 });
});

test('a widget removed before the browser is idle leaves no idle callback behind', async ({ page }) => {
  // The list fetches the configuration page's part when the browser is idle. Idle
  // callbacks are held here until the test lets them run, so the widget goes while
  // that callback still waits (as when a portal remounts it in another language).
  await page.addInitScript(() => {
    const held = new Map();
    let next = 1;
    window.requestIdleCallback = (cb) => { held.set(next, cb); next += 1; return next - 1; };
    window.cancelIdleCallback = (id) => { held.delete(id); };
    window.__idle = {
      held: () => held.size,
      run: () => { const due = [...held.values()]; held.clear(); due.forEach((cb) => cb({ didTimeout: false, timeRemaining: () => 50 })); },
    };
  });
  await openPortal(page);
  await expect(widgetA(page).getByRole('table')).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__idle.held())).toBe(1);
  await page.evaluate(() => document.getElementById('widget-a').remove());
  expect(await page.evaluate(() => window.__idle.held())).toBe(0);
  // Were one left, running it would touch the removed widget (the fixture fails the
  // test on any page error).
  await page.evaluate(() => window.__idle.run());
  await widgetB(page).getByRole('button', { name: 'Refresh tools' }).click();
  await expect(widgetB(page).getByRole('heading', { name: /11 tools \(was 12\)/ })).toBeVisible();
});

test('a wrong option is rejected with an error naming it', async ({ page }) => {
  await openPortal(page);
  const messages = await page.evaluate(async () => {
    const { mount } = await import('/embed.js');
    const el = document.createElement('div');
    const out = [];
    const cyclic = {};
    cyclic.self = cyclic;
    for (const opts of [{ baseUrll: 'x' }, { cooldownSeconds: -3 }, { authHeader: 'basic' }, { getToken: 'not a function' },
      { theme: () => 'dark' }, { cooldownSeconds: 10n }, { locale: cyclic }, { timeoutSeconds: [5] }]) {
      try { await mount(el, opts); out.push('accepted'); } catch (e) { out.push(`${e.name}: ${e.message}`); }
    }
    return out;
  });
  expect(messages[0]).toContain('TypeError: connector-refresh: unknown option `baseUrll`');
  expect(messages[1]).toContain('option `cooldownSeconds`');
  expect(messages[2]).toContain('option `authHeader`');
  expect(messages[3]).toContain('option `getToken`');
  expect(messages[4]).toContain('option `theme` could not be read: it must be plain data');
  expect(messages[5]).toContain('option `cooldownSeconds` could not be read');
  expect(messages[6]).toContain('TypeError: connector-refresh: option `locale` must be a string, got an object');
  expect(messages[7]).toContain('option `timeoutSeconds` must be a number of seconds, got an array');
});
