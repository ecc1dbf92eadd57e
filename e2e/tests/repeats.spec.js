// Say only what is true about a server that repeats itself or counts absurdly:
// a list whose cursor is ignored (every page the same 20 configurations, hasMore
// true) counts each configuration once and stops offering "Load more", saying why;
// an implausible tool count is flagged in words, never shown as a number.
const { test, expect, reset, signIn, openFromList, refresh, startDevServer } = require('./helpers');

test.describe('a list server that ignores the cursor', () => {
  let server;
  let base;

  test.beforeAll(async () => {
    ({ base, server } = await startDevServer(['--list-ignores-cursor']));
  });

  test.afterAll(async () => { if (server) server.kill(); });

  test('counts each configuration once and stops offering Load more', async ({ page, request }) => {
    expect((await request.post(`${base}/__dev/reset`)).ok()).toBeTruthy();
    await page.goto(`${base}/`);
    await signIn(page);
    const rows = page.getByRole('region', { name: 'Configurations table' }).getByRole('row');
    await expect(page.getByText('20 configurations loaded.')).toBeVisible();
    await expect(rows).toHaveCount(21); // the header row + 20
    const sentence = page.getByText('The server sent the same configurations again; the list may be incomplete.');
    await expect(sentence).toHaveCount(0);

    await page.getByRole('button', { name: 'Load more' }).click();
    await expect(sentence).toBeVisible();
    await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
    await expect(page.getByText('20 configurations loaded.')).toBeVisible();
    await expect(rows).toHaveCount(21);

    // "Select all shown" chooses each shown configuration once (disabled ones
    // cannot be chosen): the bulk bar's count is the number of enabled row boxes.
    const table = page.getByRole('region', { name: 'Configurations table' });
    await page.getByRole('checkbox', { name: 'Select all shown' }).check();
    const choosable = (await table.getByRole('checkbox', { disabled: false }).count()) - 1; // minus "Select all shown"
    expect(choosable).toBeGreaterThan(0);
    await expect(page.getByText(`${choosable} selected`, { exact: true })).toBeVisible();
  });
});

test.describe('an implausible tool count', () => {
  test.beforeEach(async ({ request }) => { await reset(request); });

  const REFRESH = '**/v1/personal-connectors/configurations/*/refresh';

  for (const [label, toolsDiscovered, raw] of [
    ['a trillion', 1e12, '1000000000000'],
    ['not a whole number', 12.5, '12.5'],
  ]) {
    test(`${label} is flagged in words, not shown as a count`, async ({ page }) => {
      await openFromList(page, 'Team ClickUp');
      await page.route(REFRESH, (route) => route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ success: true, details: { configurationId: 'pconf_abc123', toolsDiscovered, previousToolCount: 6, newTools: ['fresh_tool'], removedTools: [] } }),
      }));
      await refresh(page);
      await expect(page.getByRole('heading', { name: 'The server reported an implausible tool count (was 6): 1 new, 0 removed, 6 unchanged' })).toBeVisible();
      await expect(page.getByText(`The server sent an implausible tool count (${raw}): not a whole number, or more tools than any real server has.`)).toBeVisible();
      // Nowhere is the count shown as a fact, nor rounded to one.
      await expect(page.getByRole('heading', { name: /1,000,000,000,000|\b12 tools|12\.5 tools/ })).toHaveCount(0);
      await expect(page.getByRole('listitem').filter({ hasText: 'The server reported an implausible tool count: 1 new, 0 removed' })).toHaveCount(1);
    });
  }

  test('a count just under the bound is still a fact', async ({ page }) => {
    await openFromList(page, 'Team ClickUp');
    await page.route(REFRESH, (route) => route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ success: true, details: { toolsDiscovered: 999999, previousToolCount: 999999, newTools: [], removedTools: [] } }),
    }));
    await refresh(page);
    await expect(page.getByRole('heading', { name: 'No changes: 999,999 tools' })).toBeVisible();
    await expect(page.getByText(/implausible/)).toHaveCount(0);
  });
});
