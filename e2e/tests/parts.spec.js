// The parts of the app that arrive when first needed (src/ui/lazy.rs, tools/split-wasm):
// the configuration page and the bulk runner are not downloaded to sign in or to see
// the list; each is fetched when first used; a part that cannot be downloaded says so
// where it would be, leaves the rest of the page as it was, and comes with a retry.
const AxeBuilder = require('@axe-core/playwright').default;
const { test, expect, reset, signIn } = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

/**
 * A part's file, in the build's hashed folder: `split_<name>.wasm` for an entry's own
 * code, `chunk_<n>.wasm` for code parts share. The first group is `page`, `bulk` or
 * `shared<n>`.
 */
const PART = /^\/connector-refresh-[0-9a-f]{8,16}_bg\.wasm\.parts\/(?:split_([a-z]+)|chunk_(\d+))\.wasm$/;
const partName = (m) => m[1] ?? `shared${m[2]}`;

/** The names of the parts the page has asked for so far. */
function watchParts(page) {
  const asked = [];
  page.on('request', (r) => {
    const m = PART.exec(new URL(r.url()).pathname);
    if (m) asked.push(partName(m));
  });
  return asked;
}

test('the page asks for the glue, the wasm and the parts\' loader at once, each once', async ({ page }) => {
  // The glue imports the parts' loader: named in the page's <head> (Trunk.toml's
  // pattern_preload), it is fetched beside the glue rather than after it, and the
  // import uses that one fetch.
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  const preloads = await page.evaluate(() => [...document.head.querySelectorAll('link[rel=modulepreload], link[rel=preload]')]
    .map((l) => new URL(l.href).pathname));
  expect(preloads).toHaveLength(3);
  const [glue, wasm, loader] = preloads;
  expect(glue).toMatch(/^\/connector-refresh-[0-9a-f]{8,16}\.js$/);
  expect(wasm).toBe(glue.replace(/\.js$/, '_bg.wasm'));
  expect(loader).toBe(`${wasm}.parts/parts.js`);
  for (const file of preloads) expect(fetched.filter((f) => f === file), file).toHaveLength(1);
});

test('the sign-in page fetches no part; the list fetches the page part once idle, choosing one the bulk part', async ({ page }) => {
  const asked = watchParts(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  expect(asked).toEqual([]);

  await signIn(page);
  await expect(page.getByRole('row', { name: /Team ClickUp/ })).toBeVisible();
  // The page part (and the code it shares with bulk refresh) comes in the background.
  await expect.poll(() => asked.includes('page')).toBe(true);
  expect(asked).not.toContain('bulk');
  await page.getByRole('checkbox', { name: 'Select Team ClickUp' }).check();
  await expect(page.getByText('1 selected')).toBeVisible();
  await expect.poll(() => asked.includes('bulk')).toBe(true);

  // Both are in: opening a configuration and a bulk refresh fetch nothing more.
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeEnabled();
  await page.getByRole('link', { name: /All configurations/ }).click();
  await page.getByRole('checkbox', { name: 'Select Team ClickUp' }).check();
  await page.getByRole('button', { name: 'Refresh 1 configuration' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible();
  for (const part of new Set(asked)) expect(asked.filter((p) => p === part), part).toHaveLength(1);
  expect(new Set(asked)).toEqual(new Set(['page', 'bulk', ...asked.filter((p) => p.startsWith('shared'))]));
});

test('the configuration page cannot be downloaded: said where it would be, with a retry that brings it', async ({ page }) => {
  let block = true;
  await page.route(/\/connector-refresh-[0-9a-f]+_bg\.wasm\.parts\/split_page\.wasm$/, (route) => (block ? route.abort('internetdisconnected') : route.continue()));
  await page.goto('/');
  await signIn(page);
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(/This part of the page could not be downloaded\. Check your connection, then try again\./);
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toHaveCount(0);
  // The page's frame stays: the header, the way back, the id as the title (its name
  // is not known without the page).
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('link', { name: /All configurations/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'pconf_abc123' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  block = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  await page.getByRole('button', { name: 'Refresh tools' }).click();
  await expect(page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the bulk runner cannot be downloaded: the list and the selection stay, Try again runs the batch', async ({ page, request }) => {
  let block = true;
  let refused = 0;
  await page.route(/\/connector-refresh-[0-9a-f]+_bg\.wasm\.parts\/split_bulk\.wasm$/, (route) => {
    if (!block) return route.continue();
    refused += 1;
    return route.abort('internetdisconnected');
  });
  await page.goto('/');
  await signIn(page);
  await page.getByRole('checkbox', { name: 'Select Team ClickUp' }).check();
  // Choosing fetches the part ahead of need; that failing is not the user's concern yet.
  await expect.poll(() => refused).toBe(1);
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Refresh 1 configuration' }).click();
  await expect.poll(() => refused).toBe(2);
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText(/This part of the page could not be downloaded\./);
  await expect(page.getByText('1 selected')).toBeVisible();
  await expect(page.getByRole('row', { name: /Team ClickUp/ })).toBeVisible();
  // Nothing was sent to the server.
  expect((await (await request.get('/__dev/refreshes')).json()).total).toBe(0);

  block = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'Bulk refresh report' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a deep link to a configuration fetches its part once', async ({ page }) => {
  // The list prefetches the page part once idle; that fetch must be over before the
  // deep link is watched, or a late one from the list's document would be counted.
  let settled = 0;
  const done = (r) => { if (PART.test(new URL(r.url()).pathname)) settled += 1; };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  const fromList = watchParts(page);
  await page.goto('/');
  await signIn(page, { remember: true });
  await expect(page.getByRole('row', { name: /Team ClickUp/ })).toBeVisible();
  await expect.poll(() => fromList.includes('page') && settled === fromList.length).toBe(true);
  page.off('requestfinished', done);
  page.off('requestfailed', done);

  const asked = watchParts(page);
  await page.goto('/configurations/pconf_abc123');
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  expect(asked).toContain('page');
  expect(asked).not.toContain('bulk');
  for (const part of new Set(asked)) expect(asked.filter((p) => p === part), part).toHaveLength(1);
  await page.getByRole('button', { name: 'Refresh tools' }).click();
  await expect(page.getByRole('heading', { name: '8 tools (was 6): 2 new, 0 removed, 6 unchanged' })).toBeVisible();
});
