// Tool-level insight (schema diff, breaking first), history, sharing, keyboard,
// axe-core accessibility, dark mode and small screens.
const fs = require('node:fs');
const { test, expect, reset, armFault, signIn, openFromList, refresh, axe, tabTo } = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

test('a breaking schema change is shown first, with the reason in words', async ({ page }) => {
  await openFromList(page, 'Team ClickUp');
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await expect(page.getByText(/⚠ 1 breaking change/)).toBeVisible();
  const changed = page.getByRole('region', { name: /Changed tools \(\d+\)/ });
  const first = changed.locator('.changed-tools > li').first();
  await expect(first).toContainText('BREAKING');
  await expect(first).toContainText('clickup_create_task');
  await first.locator('summary').click();
  await expect(first).toContainText(/required input .priority./);
  await expect(changed.locator('.changed-tools > li').nth(1)).toContainText('compatible');
  await expect(changed).toContainText(/Definition size: Before: 6 tools, .* After: 8 tools/);

  // a definition on demand
  await page.getByLabel("Show a tool's definition").fill('clickup_create_task');
  await page.getByRole('button', { name: 'Show definition' }).click();
  await expect(page.locator('figure.definition pre')).toContainText('"priority"');

  // the second refresh removes tools and retypes an input: more breaking changes
  await refresh(page);
  await expect(page.getByRole('heading', { name: /7 tools \(was 8\)/ })).toBeVisible();
  await expect(page.getByText(/⚠ [3-9] breaking change/)).toBeVisible();
  await expect(changed.locator('.changed-tools > li.breaking').first()).toContainText('BREAKING');
});

test('every other kind of schema change is classified (schema lab)', async ({ page }) => {
  await openFromList(page, 'Schema lab');
  await refresh(page);
  await expect(page.getByRole('heading', { name: /^No changes: 2 tools$/ })).toBeVisible();
  const changed = page.getByRole('region', { name: 'Changed tools (2)' });
  const search = changed.locator('.changed-tools > li').filter({ hasText: 'lab_search' });
  const note = changed.locator('.changed-tools > li').filter({ hasText: 'lab_note' });
  await expect(search).toContainText('BREAKING');
  await expect(note).toContainText('compatible');
  await search.locator('summary').click();
  const breaking = search.locator('li.breaking');
  await expect(breaking.filter({ hasText: 'inputSchema.properties.limit' })).toHaveCount(1);      // became required
  await expect(breaking.filter({ hasText: 'inputSchema.properties.mode' })).toContainText('fuzzy'); // enum value removed
  await expect(breaking.filter({ hasText: 'outputSchema.properties.total' })).toHaveCount(1);    // output removed
  await expect(breaking.filter({ hasText: 'outputSchema.properties.results' })).toHaveCount(1);  // output retyped
  await expect(breaking.filter({ hasText: 'annotations.readOnlyHint' })).toHaveCount(1);          // no longer read-only
  const compatible = search.locator('li:not(.breaking)');
  await expect(compatible.filter({ hasText: 'inputSchema.properties.query' })).toHaveCount(1);   // became optional
  await expect(compatible.filter({ hasText: 'exact' })).toHaveCount(1);                          // enum value added
  await expect(page.getByText(/⚠ 1 breaking change/)).toBeVisible();
});

test('without a tools endpoint the page falls back to the name-only diff and says why', async ({ page, request }) => {
  await openFromList(page, 'Team ClickUp');
  await armFault(request, '404-endpoint', 'pconf_abc123', 'tools', 2);
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await expect(page.getByText(/Field-level changes are not available: this server does not offer the tool definitions endpoint/)).toBeVisible();
  await expect(page.getByRole('region', { name: /New tools \(2\)/ })).toBeVisible();
});

test('history survives a reload; two entries compare; clear empties it', async ({ page }) => {
  await openFromList(page, 'Team ClickUp', { remember: true });
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await refresh(page);
  await expect(page.getByRole('heading', { name: /7 tools \(was 8\)/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'History (2)' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'History (2)' })).toBeVisible();
  const boxes = page.getByRole('checkbox', { name: /Compare the refresh of/ });
  await expect(boxes).toHaveCount(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const cmp = page.getByRole('region', { name: 'Comparison of two refreshes' });
  await expect(cmp).toContainText('The tool count went from 8 to 7 (-1).');
  await expect(cmp).toContainText('clickup_search_tasks');
  await page.getByRole('button', { name: 'Clear history' }).click();
  await expect(page.getByRole('heading', { name: 'History (0)' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'History (0)' })).toBeVisible();
});

test('corrupt history in storage is ignored with a warning', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('connector-refresh.history', '{"version":1,"entries":[{"bogus":true}'));
  await openFromList(page, 'Team ClickUp');
  await expect(page.getByText(/Saved history could not be read and was ignored/)).toBeVisible();
  await refresh(page);
  await expect(page.getByRole('heading', { name: 'History (1)' })).toBeVisible();
});

test('copy as Markdown and download JSON', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openFromList(page, 'Team ClickUp');
  await refresh(page);
  await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
  await page.getByRole('button', { name: 'Copy as Markdown' }).click();
  await expect(page.getByText('Copied the Markdown summary to the clipboard.')).toBeVisible();
  const md = await page.evaluate(() => navigator.clipboard.readText());
  expect(md).toContain('Team ClickUp');
  expect(md).toContain('pconf_abc123');
  const breaking = md.indexOf('Breaking changes');
  expect(breaking).toBeGreaterThan(-1);
  expect(breaking).toBeLessThan(md.indexOf('New tools'));
  expect(md).toContain('clickup_create_task');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^pconf_abc123-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.format).toBe('connector-refresh.diff');
  expect(data.version).toBe(1);
  expect(data.configuration.id).toBe('pconf_abc123');
  expect(data.newTools).toEqual(['clickup_add_attachment', 'clickup_update_task_status']);
  expect(data.changedTools[0]).toMatchObject({ name: 'clickup_create_task', breaking: true });
  expect(data.counts).toMatchObject({ toolsDiscovered: 8, previousToolCount: 6, new: 2, removed: 0, breaking: 1 });
});

test('the whole flow by keyboard alone; focus moves to the result', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await tabTo(page, page.getByRole('button', { name: 'Use an API key instead' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByLabel('API key'));
  await page.keyboard.type('ak_demo_connector_refresh_local_key_000001');
  await tabTo(page, page.getByRole('button', { name: 'Sign in' }));
  await page.keyboard.press('Enter');
  const link = page.getByRole('link', { name: 'Team ClickUp', exact: true });
  await expect(link).toBeVisible();
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  const button = page.getByRole('button', { name: 'Refresh tools' });
  await expect(button).toBeVisible();
  await tabTo(page, button);
  await page.keyboard.press('Enter');
  const headline = page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' });
  await expect(headline).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: '8 tools (was 6)' })).toHaveCount(1);
  // the breaking change's details open with the keyboard
  await tabTo(page, page.locator('.changed-tools summary').first());
  await page.keyboard.press('Enter');
  await expect(page.locator('.changed-tools > li').first()).toContainText(/required input .priority./);
  await tabTo(page, page.getByRole('button', { name: 'Copy as Markdown' }));
  await page.keyboard.press('Enter');
  await expect(page.getByText('Copied the Markdown summary to the clipboard.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeDisabled(); // cooling down
});

for (const scheme of ['light', 'dark']) {
  test(`axe: zero violations on every screen (${scheme})`, async ({ page, request }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await axe(page, 'sign-in');
    await signIn(page);
    await expect(page.getByRole('link', { name: 'Team ClickUp', exact: true })).toBeVisible();
    await axe(page, 'list');
    await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
    await refresh(page);
    await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
    await page.locator('.changed-tools summary').first().click();
    await axe(page, 'result with changes');
    await armFault(request, '502-html');
    await refresh(page);
    await expect(page.getByRole('alert')).toBeVisible();
    await axe(page, 'error');
    await refresh(page);
    await expect(page.getByRole('heading', { name: /7 tools/ })).toBeVisible();
    const boxes = page.getByRole('checkbox', { name: /Compare the refresh of/ });
    await boxes.nth(0).check();
    await boxes.nth(2).check();
    await expect(page.getByRole('region', { name: 'Comparison of two refreshes' })).toBeVisible();
    await axe(page, 'history');
    await page.getByRole('link', { name: '← All configurations' }).click();
    await page.getByRole('link', { name: 'Stable server', exact: true }).click();
    await refresh(page);
    await expect(page.getByRole('heading', { name: /^No changes/ })).toBeVisible();
    await axe(page, 'no changes');
  });
}

for (const [label, viewport] of [['320 px wide', { width: 320, height: 640 }], ['200 % zoom', { width: 640, height: 400 }]]) {
  test(`usable at ${label}: no horizontal scrolling`, async ({ page }) => {
    await page.setViewportSize(viewport);
    const noOverflow = async (where) => {
      const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scroll, where).toBeLessThanOrEqual(width);
    };
    await page.goto('/');
    await noOverflow('sign-in');
    await signIn(page);
    await expect(page.getByRole('link', { name: 'Team ClickUp', exact: true })).toBeVisible();
    await noOverflow('list');
    await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
    await refresh(page);
    await expect(page.getByRole('heading', { name: /8 tools \(was 6\)/ })).toBeVisible();
    await page.locator('.changed-tools summary').first().click();
    await noOverflow('result');
  });
}
