// The whole refresh flow, end to end, through the dev server.
const { test, expect, DEMO_KEY, reset, armFault, signIn, openFromList, refresh } = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

test('sign in, list, open, refresh twice: each diff and the cache times', async ({ page }) => {
  await page.goto('/');
  await signIn(page);
  const table = page.getByRole('table');
  await expect(table.getByRole('row', { name: /Team ClickUp/ })).toContainText('pcon_clickup');
  await expect(table.getByRole('row', { name: /My Backend Repo/ })).toContainText('MCP server returned 502 Bad Gateway');
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await expect(page).toHaveURL(/\/configurations\/pconf_abc123$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();

  await refresh(page);
  await expect(page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
  const added = page.getByRole('region', { name: /New tools \(2\)/ });
  await expect(added.getByRole('listitem')).toHaveText(['+ clickup_add_attachment', '+ clickup_update_task_status']);
  await expect(page.getByRole('region', { name: /Removed tools \(0\)/ })).toContainText('None');
  await expect(page.getByText('Cached at')).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: /expires in (59 min|1 h)/ })).toBeVisible();
  await expect(page.getByText('Cache lifetime')).toBeVisible();
  await expect(page.locator('dd').filter({ hasText: /^1 h$/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '8 tools (was 6)' })).toHaveCount(1);

  await refresh(page);
  await expect(page.getByRole('heading', { name: '7 tools (was 8): 1 new, 2 removed, 6 unchanged' })).toBeVisible();
  await expect(page.getByRole('region', { name: /New tools \(1\)/ }).getByRole('listitem')).toHaveText(['+ clickup_search_tasks']);
  await expect(page.getByRole('region', { name: /Removed tools \(2\)/ }).getByRole('listitem'))
    .toHaveText(['− clickup_add_attachment', '− clickup_search']);
});

test('X-API-Key header works too, and "No changes" is said outright', async ({ page }) => {
  await openFromList(page, 'Stable server', { header: 'x-api-key' });
  await refresh(page);
  await expect(page.getByRole('heading', { name: /^No changes: \d+ tools?$/ })).toBeVisible();
});

test('list: filter, load more, snake_case entries', async ({ page }) => {
  await page.goto('/');
  await signIn(page);
  const rows = page.getByRole('table').getByRole('row');
  await expect(rows).toHaveCount(21); // header + first page of 20
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page.getByText('30 configurations loaded.')).toBeVisible(); // 29 demo + --mcp everything (playwright.config.js)
  await expect(page.getByRole('button', { name: 'Load more' })).toHaveCount(0);
  await page.getByLabel('Filter by name or id').fill('notion');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1)).toContainText('pcon_notion');
  await page.getByLabel('Filter by name or id').fill('pconf_sandbox_1');
  await expect(rows).toHaveCount(8); // sandbox_10..16 + header
});

test('deep link: pasting and reloading a configuration URL opens it', async ({ page }) => {
  await page.goto('/configurations/pconf_gh42');
  await signIn(page, { remember: true });
  await expect(page.getByRole('heading', { level: 1, name: 'My Backend Repo' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'My Backend Repo' })).toBeVisible();
  await refresh(page);
  await expect(page.getByRole('region', { name: /New tools/ })).toContainText('github_merge_pull_request');
});

test('Back and Forward move between the list and a configuration; unknown paths say so', async ({ page }) => {
  await openFromList(page, 'Team ClickUp');
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('table').getByRole('row', { name: /Team ClickUp/ })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Connector refresh' })).toHaveAttribute('aria-current', 'page');
  await page.goForward();
  await expect(page).toHaveURL(/\/configurations\/pconf_abc123$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  await page.getByRole('link', { name: '← All configurations' }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/no/such/page');
  await signIn(page);
  await expect(page.getByText('Page not found.')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the list' }).click();
  await expect(page.getByRole('table').getByRole('row', { name: /Team ClickUp/ })).toBeVisible();
});

test('percent-encoded id with / ? # .. space and ü', async ({ page }) => {
  await openFromList(page, 'Weird id');
  await refresh(page);
  await expect(page.getByRole('heading', { level: 2, name: /tools/ }).first()).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test.describe('in Asia/Kolkata', () => {
  test.use({ timezoneId: 'Asia/Kolkata', locale: 'en-GB' });
  test('12:45Z shows as 18:15 local, UTC in the tooltip', async ({ page }) => {
    await openFromList(page, 'Frozen clock');
    await refresh(page);
    const cached = page.locator('dd time').first();
    await expect(cached).toContainText('18:15');
    await expect(cached).toHaveAttribute('title', 'UTC 2025-10-07T12:45:00.000Z');
    await expect(page.getByText('Expired', { exact: true })).toBeVisible();
  });
});

test('a 401 returns to sign-in with the server message', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, '401');
  await refresh(page);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('The API key was rejected');
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toHaveCount(0);
});

test('a wrong key is refused at the list', async ({ page }) => {
  await page.goto('/');
  await signIn(page, { key: 'ak_wrong' });
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('HTTP 401');
});

const faults = [
  ['403', /may not access this configuration/],
  ['404', /configuration was not found/],
  ['409', /A refresh is already running for this configuration/],
  ['429', /Too many requests/],
  ['500', /The server failed \(HTTP 500\)/],
  ['502-html', /web page instead of data \(HTTP 502\).*502 Bad Gateway/],
  ['503-empty', /empty body \(HTTP 503\)/],
  ['malformed-json', /could not be read/],
  ['success-false', /MCP server did not answer the tools\/list call/],
  ['422', /rejected the request/],
  ['404-endpoint', /does not offer this call/],
];

for (const [fault, message] of faults) {
  test(`fault ${fault}: a clear message, the previous result stays`, async ({ page, request }) => {
    await openFromList(page, 'Team ClickUp');
    await refresh(page);
    const headline = page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' });
    await expect(headline).toBeVisible();
    await armFault(request, fault);
    await refresh(page);
    const alert = page.getByRole('alert');
    await expect(alert).toContainText(message);
    await expect(alert.getByRole('heading')).toContainText(/Refresh failed at .* — showing the result from /);
    await expect(headline).toBeVisible();
    await expect(page.getByRole('region', { name: /New tools \(2\)/ })).toBeVisible();
  });
}

test('fault: answer slower than the timeout gives a timeout message and Retry', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp', { timeout: 2 });
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await armFault(request, 'slow');
  await refresh(page);
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeDisabled();
  await expect(page.getByRole('alert')).toContainText('did not answer in time');
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByRole('heading', { name: /7 tools \(was 8\)/ })).toBeVisible();
});

test('cancel stops an in-flight refresh', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, 'slow');
  await refresh(page);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('alert')).toContainText('Refresh cancelled at');
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeEnabled();
});

test('a server without the list endpoint offers a field for the id', async ({ page, request }) => {
  await armFault(request, '404-endpoint', null, 'list');
  await page.goto('/');
  await signIn(page);
  await expect(page.getByText('This server does not list configurations')).toBeVisible();
  await page.getByLabel('Configuration id').fill('pconf_gh42');
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My Backend Repo' })).toBeVisible();
});

test('sign out forgets the key', async ({ page }) => {
  await openFromList(page, 'Team ClickUp', { remember: true });
  expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(DEMO_KEY);
  expect(page.url()).not.toContain(DEMO_KEY);
});
