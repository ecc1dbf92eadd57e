// Bulk refresh: choosing with checkboxes and filters, the queue (at most N in flight,
// counted at the server), a 429 pausing the whole queue until its reset, a 409
// retried once, failures, a 401 stopping the queue, Cancel, the one report and its
// exports, each entry in its own history, the embedded widget's events, keyboard
// alone and axe.
//
// Most tests run against a second dev server with e2e/bulk-seed.json: 20 enabled
// configurations whose outcomes do not depend on the order they are refreshed in, and
// one disabled. Its 429 faults ask to wait 3 s and its slow fault waits 3 s.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, reset, signIn, startDevServer, axe, tabTo } = require('./helpers');

let server;
let base;

test.beforeAll(async () => {
  ({ base, server } = await startDevServer(['--seed', path.resolve(__dirname, '..', 'bulk-seed.json'), '--demo-advance',
    '--refresh-delay-ms', '150', '--slow-seconds', '3', '--rate-limit-seconds', '3']));
});

test.afterAll(async () => { if (server) server.kill(); });

test.beforeEach(async ({ request }) => {
  const r = await request.post(`${base}/__dev/reset`);
  expect(r.ok()).toBeTruthy();
});

async function arm(request, configId, fault, times = 1) {
  const r = await request.post(`${base}/__dev/faults`, { data: { configId, fault, times, endpoint: 'refresh' } });
  expect(r.ok(), `arming ${fault} for ${configId}`).toBeTruthy();
}

async function stats(request) {
  return (await request.get(`${base}/__dev/refreshes`)).json();
}

/** Signs in and loads the whole list (20 a page: one "Load more"). */
async function openList(page, options) {
  await page.goto(`${base}/`);
  await signIn(page, options);
  await expect(page.getByText('20 configurations loaded.')).toBeVisible();
  await page.getByRole('button', { name: 'Load more' }).click();
  await expect(page.getByText('21 configurations loaded.')).toBeVisible();
}

const report = (page) => page.getByRole('region', { name: 'Bulk refresh report table' });
/** The report's rows as [configuration, outcome] pairs, in the order shown. */
async function reportRows(page) {
  return report(page).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [
    r.querySelector('th').textContent.trim(), r.querySelector('td').textContent.trim(),
  ]));
}

test('20 configurations: at most 2 in flight at the server, a 429 pauses the whole queue, a 409 is retried once, one report with exports', async ({ page, request, context }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await arm(request, 'pconf_b01', 'slow');
  await arm(request, 'pconf_b02', 'slow');
  await arm(request, 'pconf_b08', '409');
  await arm(request, 'pconf_b10', '429');
  await arm(request, 'pconf_b18', '500');
  await arm(request, 'pconf_b19', '502-html');
  await openList(page);

  // A disabled configuration cannot be chosen, and says why.
  const jira = page.getByRole('checkbox', { name: 'Select Old Jira' });
  await expect(jira).toBeDisabled();
  await expect(page.getByRole('row', { name: /Old Jira/ })).toContainText('Disabled: cannot be refreshed');
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText('20 selected')).toBeVisible();
  await expect(jira).not.toBeChecked();
  await expect(page.getByLabel('At most in flight')).toHaveValue('2');

  // More than 5: a confirmation first.
  await page.getByRole('button', { name: 'Refresh 20 configurations' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Refresh 20 configurations?' });
  await expect(confirm).toContainText('This asks 20 MCP servers for their tools; the API asks to do this sparingly.');
  await expect(confirm.getByRole('button', { name: 'Yes, refresh 20 configurations' })).toBeFocused();
  expect((await stats(request)).total).toBe(0);
  await confirm.getByRole('button', { name: 'Yes, refresh 20 configurations' }).click();

  // The two slow ones are in flight together, and nothing else starts meanwhile.
  await expect(page.getByRole('progressbar', { name: 'Bulk refresh progress' })).toBeVisible();
  await expect.poll(async () => (await stats(request)).inFlight, { timeout: 5_000 }).toBe(2);
  const during = await stats(request);
  expect(during.log.map((v) => v.configId).sort()).toEqual(['pconf_b01', 'pconf_b02']);
  await expect(page.getByRole('status').filter({ hasText: /^0 of 20 done/ })).toBeVisible();

  await expect(page.getByText(/Paused: the server is rate limiting \(HTTP 429\); the queue goes on by itself in [1-3] s\./)).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar')).toHaveCount(0);

  // At the server: never more than 2 at once, and the 2 were used.
  const s = await stats(request);
  expect(s.maxInFlight).toBe(2);
  expect(s.inFlight).toBe(0);
  const visits = (id) => s.log.filter((v) => v.configId === id);
  // 20 refreshes, plus the 409's retry and the 429's second turn.
  expect(s.total).toBe(22);
  const [conflict, retried] = visits('pconf_b08');
  expect([conflict.status, retried.status]).toEqual([409, 200]);
  expect(retried.startedMs - conflict.endedMs).toBeGreaterThanOrEqual(1_900);
  const [limited, again] = visits('pconf_b10');
  expect([limited.status, again.status]).toEqual([429, 200]);
  // Nothing at all started during the pause (Retry-After: 3).
  const startedInPause = s.log.filter((v) => v.startedMs > limited.endedMs && v.startedMs < limited.endedMs + 2_900);
  expect(startedInPause).toEqual([]);
  expect(visits('pconf_b18').map((v) => v.status)).toEqual([500]);
  expect(visits('pconf_b19').map((v) => v.status)).toEqual([502]);
  expect(visits('pconf_b21')).toEqual([]);

  // One report: totals on top, breaking first, then the failures.
  await expect(page.getByText('20 refreshed: 7 with new tools, 4 with breaking changes, 2 failed', { exact: true })).toBeVisible();
  const rows = await reportRows(page);
  expect(rows).toHaveLength(20);
  const kinds = rows.map(([, outcome]) => (outcome.startsWith('BREAKING') ? 'b' : outcome.startsWith('FAILED') ? 'f' : '.'));
  expect(kinds.join('')).toBe('bbbbff..............');
  const row = (name) => report(page).getByRole('row', { name: new RegExp(`^${name}`) });
  await expect(row('ClickUp team')).toContainText('8 tools (was 6): 2 new, 0 removed, 6 unchanged');
  await expect(row('Stable 08')).toContainText('No changes: 3 tools');
  await expect(row('Stable 10')).toContainText('No changes: 3 tools');
  await expect(row('Stable 18')).toContainText(/FAILED Failed: .*HTTP 500/);
  await expect(row('Stable 19')).toContainText(/FAILED Failed: .*HTTP 502/);
  await expect(row('Schema lab').getByRole('cell').nth(4)).toHaveText('1'); // breaking
  await expect(row('Schema lab').getByRole('cell').nth(5)).toHaveText('1'); // needs review: no longer read-only
  await expect(row('ClickUp team').locator('time').first()).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);

  // Exports of the whole batch.
  await page.getByRole('button', { name: 'Copy as Markdown' }).click();
  await expect(page.getByText('Copied the report as Markdown to the clipboard.')).toBeVisible();
  const md = await page.evaluate(() => navigator.clipboard.readText());
  expect(md).toMatch(/^# Bulk tool refresh: 20 configurations\n/);
  expect(md).toContain('- **Result:** 20 refreshed: 7 with new tools, 4 with breaking changes, 2 failed\n');
  expect(md).toContain('| Configuration | Outcome | New | Removed | Changed | Breaking | Needs review | Cached at | Expires at |');
  expect(md.split('\n').filter((l) => l.startsWith('| ')).length).toBe(21);
  expect(md).toContain('| ClickUp team (`pconf_b01`) | 8 tools (was 6): 2 new, 0 removed, 6 unchanged | 2 | 0 |');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^bulk-refresh-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.format).toBe('connector-refresh.batch');
  expect(data.version).toBe(1);
  expect(data.concurrency).toBe(2);
  expect(data.stopped).toBeNull();
  expect(data.totals).toMatchObject({ total: 20, attempted: 20, refreshed: 18, failed: 2, withNewTools: 7, withBreakingChanges: 4 });
  expect(data.configurations.map((c) => c.outcome).slice(0, 6)).toEqual(['breaking', 'breaking', 'breaking', 'breaking', 'failed', 'failed']);
  const clickup = data.configurations.find((c) => c.id === 'pconf_b01');
  expect(clickup.entry.newTools).toEqual(['clickup_add_attachment', 'clickup_update_task_status']);
  expect(clickup.entry.changed[0].name).toBe('clickup_create_task');
  expect(data.configurations.find((c) => c.id === 'pconf_b18').error.status).toBe(500);

  // Each row opens its configuration's full result; each entry is in its own history.
  await row('ClickUp team').getByRole('link', { name: 'ClickUp team' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ClickUp team' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
  await expect(page.getByText(/⚠ 1 breaking change/)).toBeVisible();
  await expect(page.getByRole('heading', { name: 'History (1)' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible();
  await row('Stable 18').getByRole('link', { name: 'Stable 18' }).click();
  await expect(page.getByRole('heading', { name: 'History (1)' })).toBeVisible();
  await expect(page.locator('.history-list')).toContainText('Failed:');
  await page.goBack();
  // The 409's first answer is not an entry of its own: one refresh, one entry.
  await row('Stable 08').getByRole('link', { name: 'Stable 08' }).click();
  await expect(page.getByRole('heading', { name: 'History (1)' })).toBeVisible();
  await expect(page.locator('.history-list')).toContainText('3 tools: 0 new, 0 removed, 0 changed');
});

test('Cancel mid-way: the one in flight is aborted at the server, nothing more starts, what finished is kept', async ({ page, request }) => {
  await arm(request, 'pconf_b03', 'slow');
  await openList(page);
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await page.getByLabel('At most in flight').selectOption('1');
  await page.getByRole('button', { name: 'Refresh 20 configurations' }).click();
  await page.getByRole('button', { name: 'Yes, refresh 20 configurations' }).click();
  // b03 is in flight (slow): cancel now.
  await expect.poll(async () => (await stats(request)).log.map((v) => [v.configId, v.status]))
    .toEqual([['pconf_b01', 200], ['pconf_b02', 200], ['pconf_b03', null]]);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible();
  await expect(page.getByText('2 refreshed: 2 with new tools, 2 with breaking changes, 0 failed; 1 cancelled while refreshing, 17 not started', { exact: true })).toBeVisible();
  await expect(page.getByText('Cancelled: what finished is kept; the rest was not started.')).toBeVisible();
  const rows = await reportRows(page);
  expect(rows.slice(0, 3).map(([name]) => name)).toEqual(['GitHub backend', 'ClickUp team', 'Notion wiki']);
  expect(rows[2][1]).toBe('Cancelled while refreshing');
  expect(rows.slice(3).every(([, outcome]) => outcome === 'Not started (cancelled)')).toBe(true);
  // The aborted request is over at the server, and no other one ever came.
  await expect.poll(async () => (await stats(request)).inFlight).toBe(0);
  await page.waitForTimeout(500);
  const s = await stats(request);
  expect(s.total).toBe(3);
  expect(s.maxInFlight).toBe(1);
  // A new batch can start once the report is closed or right away.
  await expect(page.getByRole('button', { name: 'Refresh 20 configurations' })).toBeEnabled();
});

test('a 401 mid-way stops the queue and signs out; after signing in again the report says what ran', async ({ page, request }) => {
  await arm(request, 'pconf_b03', '401');
  await openList(page);
  for (const name of ['ClickUp team', 'GitHub backend', 'Notion wiki', 'Schema lab', 'Frozen board']) {
    await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  }
  await page.getByLabel('At most in flight').selectOption('1');
  await page.getByRole('button', { name: 'Refresh 5 configurations' }).click(); // 5: no confirmation
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText(/The API key was rejected \(HTTP 401\)/)).toBeVisible();
  expect((await stats(request)).log.map((v) => v.configId)).toEqual(['pconf_b01', 'pconf_b02', 'pconf_b03']);
  await signIn(page);
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible();
  await expect(page.getByText('Stopped: the session ended (HTTP 401). Sign in again, then refresh the rest.')).toBeVisible();
  await expect(page.getByText('3 refreshed: 2 with new tools, 2 with breaking changes, 1 failed; 2 not started', { exact: true })).toBeVisible();
  const rows = await reportRows(page);
  expect(rows.slice(-2).map(([, o]) => o)).toEqual(['Not started (the session ended)', 'Not started (the session ended)']);
});

test('filters by connector and health come from the server; select all respects them; a configuration cooling down is skipped', async ({ page, request }) => {
  await openList(page, { cooldown: '60' });
  await page.getByLabel('Connector', { exact: true }).selectOption('pcon_custom');
  await expect(page.getByText('3 configurations loaded.')).toBeVisible();
  await page.getByLabel('Health', { exact: true }).selectOption('unhealthy');
  await expect(page.getByText('1 configuration loaded.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Hostile names' })).toBeVisible();
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText('1 selected')).toBeVisible();
  await page.getByLabel('Connector', { exact: true }).selectOption('pcon_stable');
  await page.getByLabel('Health', { exact: true }).selectOption('');
  await expect(page.getByText('11 configurations loaded.')).toBeVisible();
  await expect(page.getByRole('checkbox', { name: 'Select all shown' })).not.toBeChecked();
  await page.getByRole('checkbox', { name: 'Select Stable 08' }).check();
  await expect(page.getByText('2 selected')).toBeVisible();
  // The text filter narrows what "all shown" means.
  await page.getByLabel('Filter by name or id').fill('Stable 1');
  await page.getByRole('checkbox', { name: 'Select all shown' }).check();
  await expect(page.getByText('10 selected')).toBeVisible();
  // Refresh one of them alone first: it then cools down (60 s) and a batch skips it.
  await page.getByRole('link', { name: 'Stable 10' }).click();
  await page.getByRole('button', { name: 'Refresh tools' }).click();
  await expect(page.getByRole('heading', { name: 'No changes: 3 tools' })).toBeVisible();
  await page.goBack();
  await page.getByRole('button', { name: 'Refresh 10 configurations' }).click();
  await page.getByRole('button', { name: 'Yes, refresh 10 configurations' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('9 refreshed: 1 with new tools, 1 with breaking changes, 0 failed; 1 skipped (cooling down)', { exact: true })).toBeVisible();
  await expect(report(page).getByRole('row', { name: /^Stable 10/ })).toContainText(/Skipped: Available again in (\d+ s|1 min) \(the API asks to refresh sparingly\)\./);
  const s = await stats(request);
  expect(s.log.filter((v) => v.configId === 'pconf_b10')).toHaveLength(1);
});

test('keyboard alone: choose, refresh, confirm, read the report; axe-clean in light and dark', async ({ page }) => {
  test.setTimeout(90_000);
  await openList(page);
  await axe(page, 'list with checkboxes');
  await tabTo(page, page.getByRole('checkbox', { name: 'Select ClickUp team' }));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('checkbox', { name: 'Select Stable 08' }));
  await page.keyboard.press('Space');
  await expect(page.getByText('2 selected')).toBeVisible();
  // Back to the bar above the table (Shift+Tab) and refresh: 2, no confirmation.
  const refreshN = page.getByRole('button', { name: 'Refresh 2 configurations' });
  for (let i = 0; i < 80 && !(await refreshN.evaluate((el) => el === document.activeElement)); i += 1) {
    await page.keyboard.press('Shift+Tab');
  }
  await expect(refreshN).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('section.batch')).toBeFocused();
  await expect(page.getByText('2 refreshed: 1 with new tools, 1 with breaking changes, 0 failed', { exact: true })).toBeVisible();
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await axe(page, `report (${scheme})`);
  }
  // The confirmation, by keyboard: select all, Enter, the dialog has the focus, Escape-free "Don't refresh".
  await tabTo(page, page.getByRole('checkbox', { name: 'Select all shown' }));
  await page.keyboard.press('Space');
  await tabTo(page, page.getByRole('button', { name: 'Refresh 20 configurations' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Yes, refresh 20 configurations' })).toBeFocused();
  await axe(page, 'confirmation');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: "Don't refresh" })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  // Open a row's configuration from the report by keyboard.
  const link = report(page).getByRole('link', { name: 'ClickUp team' });
  await tabTo(page, link);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
});

test('a running batch is axe-clean: progress bar, live status and Cancel', async ({ page, request }) => {
  // Seven one after the other, the first three slow: the batch is surely still
  // running once axe is done, whatever the machine's load.
  for (const id of ['pconf_b01', 'pconf_b02', 'pconf_b03']) await arm(request, id, 'slow');
  await openList(page);
  for (const name of ['ClickUp team', 'GitHub backend', 'Notion wiki', 'Stable 08', 'Stable 09', 'Stable 11', 'Stable 12']) {
    await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  }
  await page.getByLabel('At most in flight').selectOption('1');
  await page.getByRole('button', { name: 'Refresh 7 configurations' }).click();
  await page.getByRole('button', { name: 'Yes, refresh 7 configurations' }).click();
  await expect(page.getByRole('progressbar', { name: 'Bulk refresh progress' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /^[0-6] of 7 done/ })).toBeVisible();
  await axe(page, 'running batch');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible();
  // What was in flight is aborted, or kept if its refresh had already been answered.
  await expect(page.getByText(/ refreshed: .*; (1 cancelled while refreshing, )?[1-6] not started$/)).toBeVisible();
  await axe(page, 'cancelled report');
});

test.describe('embedded', () => {
  test.beforeEach(async ({ request }) => { await reset(request); });

  test('the widget without a fixed configuration refreshes a selection: refreshed per configuration, then batch-finished with the totals', async ({ page }) => {
    await page.goto('/examples/portal/');
    await page.waitForFunction(() => window.portalReady === true);
    const a = page.locator('#widget-a');
    await a.getByRole('checkbox', { name: 'Select Team ClickUp' }).check();
    await a.getByRole('checkbox', { name: 'Select Stable server' }).check();
    await expect(a.getByRole('checkbox', { name: 'Select Old Jira' })).toBeDisabled();
    await a.getByRole('button', { name: 'Refresh 2 configurations' }).click();
    await expect(a.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible({ timeout: 30_000 });
    await expect(a.getByText('2 refreshed: 1 with new tools, 1 with breaking changes, 0 failed', { exact: true })).toBeVisible();
    await expect.poll(() => page.evaluate(() => window.portalEvents.length)).toBe(3);
    const events = await page.evaluate(() => window.portalEvents);
    expect(events.map((e) => [e.type, e.target])).toEqual([
      ['connector-refresh:refreshed', 'widget-a'],
      ['connector-refresh:refreshed', 'widget-a'],
      ['connector-refresh:batch-finished', 'widget-a'],
    ]);
    expect(events.slice(0, 2).map((e) => e.detail.configurationId).sort()).toEqual(['pconf_abc123', 'pconf_same']);
    const done = events[2].detail;
    expect(done.totals).toMatchObject({ total: 2, attempted: 2, refreshed: 2, failed: 0, withNewTools: 1, withBreakingChanges: 1 });
    expect(done.summary).toBe('2 refreshed: 1 with new tools, 1 with breaking changes, 0 failed');
    expect(done.stopped).toBeNull();
    expect(done.configurations).toEqual([
      { configurationId: 'pconf_abc123', outcome: 'breaking', headline: '8 tools (was 6): 2 new, 0 removed, 6 unchanged', error: null },
      { configurationId: 'pconf_same', outcome: 'unchanged', headline: 'No changes: 3 tools', error: null },
    ]);
    // The host page's URL and history are untouched; the row opens the result in the widget.
    await a.getByRole('button', { name: 'Team ClickUp' }).last().click();
    await expect(a.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
    expect(new URL(page.url()).pathname).toBe('/examples/portal/');
  });
});
