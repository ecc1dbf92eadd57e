// Say only what the server said: an answer without details is never "No changes",
// and a history line agrees with the headline of the same refresh.
const { test, expect, reset, openFromList, refresh } = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

const REFRESH = '**/v1/personal-connectors/configurations/*/refresh';

for (const [label, body] of [
  ['an empty object', {}],
  ['success only', { success: true }],
  ['details: null', { success: true, message: 'Done.', details: null }],
  ['details without counts or lists', { success: true, details: { configurationId: 'pconf_abc123', cachedAt: '2026-11-29T10:00:00Z' } }],
]) {
  test(`an answer with ${label} is not shown as "No changes" and keeps the last result`, async ({ page }) => {
    await openFromList(page, 'Team ClickUp');
    await refresh(page);
    const previous = page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' });
    await expect(previous).toBeVisible();

    await page.route(REFRESH, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(body) }));
    await refresh(page);
    await expect(page.getByRole('heading', { name: /^Refreshed at .*, but the server did not report what changed — showing the result from / })).toBeVisible();
    await expect(page.getByText(/carried no tool counts and no lists of new or removed tools/)).toBeVisible();
    // The last good result stays on screen, and nothing claims "no changes".
    await expect(previous).toBeVisible();
    await expect(page.getByText(/No changes/)).toHaveCount(0);
    // History records it as unreported, beside the earlier reported refresh.
    await expect(page.getByRole('heading', { name: 'History (2)' })).toBeVisible();
    const history = page.getByRole('listitem').filter({ hasText: 'Accepted, but the server did not report what changed' });
    await expect(history).toHaveCount(1);
    await expect(page.getByRole('listitem').filter({ hasText: '8 tools: 2 new, 0 removed' })).toHaveCount(1);
  });
}

test('an unreported refresh as the first one shows no result, only what happened', async ({ page }) => {
  await openFromList(page, 'Team ClickUp');
  await page.route(REFRESH, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"success":true}' }));
  await refresh(page);
  await expect(page.getByRole('heading', { name: /^Refreshed at .*, but the server did not report what changed$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /tools/ })).toHaveCount(0);
  await expect(page.getByText(/No changes/)).toHaveCount(0);
});

test('a history line agrees with the headline when the definitions disagree with the answer', async ({ page }) => {
  await openFromList(page, 'Team ClickUp');
  // The answer names a tool as new; the tool definitions before and after do not change.
  await page.route(REFRESH, (route) => route.fulfill({
    status: 200,
    contentType: 'application/json',
    body: JSON.stringify({ success: true, details: { configurationId: 'pconf_abc123', toolsDiscovered: 7, previousToolCount: 6, newTools: ['ghost_tool'], removedTools: [] } }),
  }));
  await refresh(page);
  await expect(page.getByRole('heading', { name: '7 tools (was 6): 1 new, 0 removed, 6 unchanged' })).toBeVisible();
  await expect(page.getByText(/lists “ghost_tool” as new, but the tool definitions after the refresh do not have it/)).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: '7 tools: 1 new, 0 removed' })).toHaveCount(1);
});
