// The server's clock (issue 22): every countdown and "… ago" is counted on the
// server's timeline, learnt from the answers' Date header. A second dev server runs
// 10 minutes ahead of (or behind) the browser with --clock-offset-seconds.
const {
  test, expect, reset, signIn, refresh, startDevServer,
} = require('./helpers');

const BEHIND = "Your computer's clock is 10 min behind the server's; times are shown by the server's clock.";
const AHEAD = "Your computer's clock is 10 min ahead of the server's; times are shown by the server's clock.";

// A one-hour cache made a moment ago: "expires in 1 h" (or a second under), never
// 1 h 10 min or 50 min. Anchored, so "expires in 1 h 9 min" does not match.
const EXPIRES_IN_AN_HOUR = /^expires in (1 h|59 min \d+ s)$/;
// "Cached at" is followed by the time and how long ago: now, or seconds (the page
// reads the tool definitions after the refresh, which takes a moment on a busy
// machine); never "(in 10 min)" or "(10 min ago)".
const MADE_JUST_NOW = /, \d\d:\d\d \((now|\d+ s ago)\)$/;

/** Signs in on `base`, opens Team ClickUp and refreshes it once. */
async function refreshOn(page, base) {
  await page.goto(`${base}/`);
  await signIn(page);
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
}

for (const [offset, sentence, other] of [['600', BEHIND, AHEAD], ['-600', AHEAD, BEHIND]]) {
  test.describe(`a server whose clock is ${offset} s off the browser's`, () => {
    let base;
    let server;

    test.beforeAll(async () => {
      ({ base, server } = await startDevServer(['--demo-advance', '--clock-offset-seconds', offset]));
    });

    test.afterAll(async () => { if (server) server.kill(); });

    test.beforeEach(async ({ request }) => {
      expect((await request.post(`${base}/__dev/reset`)).ok()).toBeTruthy();
    });

    test('counts the cache times on the server\'s clock and says so once', async ({ page }) => {
      await refreshOn(page, base);
      await expect(page.getByText(EXPIRES_IN_AN_HOUR)).toBeVisible();
      await expect(page.getByRole('definition').filter({ hasText: MADE_JUST_NOW })).toBeVisible();
      await expect(page.getByRole('note').filter({ hasText: sentence })).toHaveCount(1);
      await expect(page.getByText(other)).toHaveCount(0);
      // the list's "last sync" is the server's time of the refresh: just now, not in
      // (or 10 min) ago
      await page.getByRole('link', { name: '← All configurations' }).click();
      const row = page.getByRole('row', { name: /Team ClickUp/ });
      await expect(row.getByText(/^(now|\d+ s ago)$/)).toBeVisible();
    });

    test('an HTTP-date Retry-After counts down from the server\'s now', async ({ page, request }) => {
      await refreshOn(page, base);
      const armed = await request.post(`${base}/__dev/faults`, {
        data: { fault: '429-date', configId: 'pconf_abc123', endpoint: 'refresh', times: 1 },
      });
      expect(armed.ok()).toBeTruthy();
      await refresh(page);
      await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeDisabled();
      // 30 s on the server's clock (not 10 min 30 s, nor already over)
      await expect(page.getByText(/Rate limited by the server: try again in (3[01]|2\d) s/)).toBeVisible();
    });
  });
}

test('with the clocks agreeing, no sentence about the computer\'s clock', async ({ page, request }) => {
  await reset(request);
  await refreshOn(page, '');
  await expect(page.getByText(EXPIRES_IN_AN_HOUR)).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: MADE_JUST_NOW })).toBeVisible();
  await expect(page.getByText(/Your computer's clock/)).toHaveCount(0);
});
