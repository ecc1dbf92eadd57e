// Two locales, two jobs (issue 22): the words are in one of our languages (en, de, fr,
// it), dates and numbers in the reader's own locale. A ja-JP reader gets English words
// and Japanese dates (2025/10/07), not the American "Oct 7, 2025"; a de-CH reader German
// words and Swiss formats (07.10.2025, 1'234); a picked language keeps the reader's region.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, reset } = require('./helpers');

const I18N = path.resolve(__dirname, '../../i18n');
/** A language's messages by key, from the source catalogues (i18n/<code>/*.json). */
function source(code) {
  const all = {};
  for (const f of fs.readdirSync(path.join(I18N, code)).filter((n) => n.endsWith('.json'))) {
    Object.assign(all, JSON.parse(fs.readFileSync(path.join(I18N, code, f), 'utf8')));
  }
  return all;
}
const WORDS = { en: source('en'), de: source('de'), fr: source('fr') };

// Frozen clock's refresh, answered here: a cache time in the past (the page runs in UTC)
// and a four-digit tool count, so both a date and a grouped number are on screen.
const CONFIG = 'pconf_frozen';
const CACHED = '2025-10-07T12:45:00.000Z';
async function routeRefresh(page) {
  await page.route(`**/v1/personal-connectors/configurations/${CONFIG}/refresh*`, (route) => (
    route.request().method() === 'POST'
      ? route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          success: true,
          message: 'Tool cache refreshed successfully.',
          details: {
            configurationId: CONFIG, toolsDiscovered: 1234, previousToolCount: 1200,
            newTools: [], removedTools: [], cachedAt: CACHED, expiresAt: '2025-10-07T13:45:00.000Z',
          },
        }),
      })
      : route.continue()));
}

/** Signs in with the demo key in language `w`'s words and refreshes Frozen clock. */
async function refreshFrozen(page, w) {
  await routeRefresh(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: w['signin.title'] })).toBeVisible();
  await page.getByRole('button', { name: w['signin.use_key'] }).click();
  await page.getByLabel(w['signin.api_key']).fill('ak_demo_connector_refresh_local_key_000001');
  await page.getByText(w['signin.advanced']).click();
  await page.getByLabel(w['signin.cooldown']).fill('0');
  await page.getByRole('button', { name: w['signin.title'] }).click();
  await page.getByRole('link', { name: 'Frozen clock', exact: true }).click();
  await page.getByRole('button', { name: w['refresh.button'] }).click();
}

test.beforeEach(async ({ request }) => { await reset(request); });

// (reader's locale, interface language, the cache time as shown, 1234 tools as shown)
const READERS = [
  ['ja-JP', 'en', '2025/10/07 12:45', '1,234 tools'],
  ['en-GB', 'en', '7 Oct 2025, 12:45', '1,234 tools'],
  ['de-CH', 'de', '07.10.2025, 12:45', "1'234 Tools"],
];
for (const [locale, lang, date, tools] of READERS) {
  test.describe(`a ${locale} reader`, () => {
    test.use({ locale });
    test(`reads ${lang} words with ${locale} dates and numbers`, async ({ page }) => {
      await refreshFrozen(page, WORDS[lang]);
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('h2.headline')).toContainText(tools);
      await expect(page.locator('dd time').first()).toHaveText(date);
      await expect(page.locator('dd time').first()).toHaveAttribute('title', new RegExp(CACHED.replace(/\./g, '\\.')));
    });
  });
}

test.describe('a de-CH reader who picks French', () => {
  test.use({ locale: 'de-CH' });
  test('reads French words with Swiss French dates and numbers (fr-CH)', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel(WORDS.de['language.label']).selectOption({ label: 'Français' });
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await refreshFrozen(page, WORDS.fr);
    // fr-CH groups with a narrow no-break space and writes the month in French
    await expect(page.locator('h2.headline')).toContainText('1\u202f234 outils');
    await expect(page.locator('dd time').first()).toHaveText('7 oct. 2025, 12:45');
  });
});

test.describe('a widget whose locale is ja-JP', () => {
  test.use({ locale: 'en-US' });
  test('speaks English on its root and writes dates the Japanese way; the host page stays', async ({ page }) => {
    await page.goto('/examples/portal/');
    await page.waitForFunction(() => window.portalReady === true);
    const hostLang = await page.evaluate(() => document.documentElement.lang);
    await page.locator('#widget-a').evaluate((el) => el.setAttribute('locale', 'ja-JP'));
    const a = page.locator('#widget-a');
    await a.getByRole('button', { name: 'Team ClickUp' }).click();
    await a.getByRole('button', { name: 'Refresh tools' }).click();
    await expect(a.locator('h2.headline')).toContainText('tools');
    await expect(a.locator('.cr-app')).toHaveAttribute('lang', 'en');
    await expect(a.locator('dd time').first()).toHaveText(/^\d{4}\/\d{2}\/\d{2} \d{1,2}:\d{2}$/);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(hostLang);
  });
});
