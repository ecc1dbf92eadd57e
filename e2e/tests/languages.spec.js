// The app in German, French and Italian (issue #13): the whole flow with no English
// sentence left on screen, axe-clean, usable at 320 px; the language chosen by the
// browser, by the picker (kept in localStorage) and, embedded, by the `locale` option,
// without touching the host page.
const fs = require('node:fs');
const path = require('node:path');
const { test, expect, reset, armFault, lastCode, DEMO_EMAIL, DEMO_PASSWORD, axe } = require('./helpers');

const DIST = path.resolve(__dirname, '..', process.env.E2E_DIST || '../dist');
const I18N = path.resolve(__dirname, '../../i18n');
/**
 * A language's catalogue by key: the served file (dist/i18n/<code>.json, the messages
 * in key order) read with the keys of the source catalogues (i18n/<code>/*.json), so
 * the test sees exactly the texts the app fetched.
 */
function catalogue(code) {
  const source = {};
  for (const f of fs.readdirSync(path.join(I18N, code)).filter((n) => n.endsWith('.json')).sort()) {
    Object.assign(source, JSON.parse(fs.readFileSync(path.join(I18N, code, f), 'utf8')));
  }
  const keys = Object.keys(source).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const served = JSON.parse(fs.readFileSync(path.join(DIST, 'i18n', `${code}.json`), 'utf8'));
  if (served.messages.length !== keys.length) throw new Error(`dist/i18n/${code}.json: ${served.messages.length} messages, ${keys.length} keys`);
  return Object.fromEntries(keys.map((k, i) => [k, served.messages[i]]));
}
const EN = catalogue('en');
const forms = (v) => (typeof v === 'string' ? [v] : Object.values(v));

/** A message of `cat` with its placeholders filled (plural by Intl.PluralRules on `n`). */
function t(cat, locale, key, args = {}) {
  let v = cat[key];
  if (v === undefined) throw new Error(`no message ${key}`);
  if (typeof v !== 'string') v = v[new Intl.PluralRules(locale).select(args.n)] || v.other;
  return v.replace(/\{([a-z_]+)\}/g, (m, name) => {
    if (!(name in args)) return m;
    return typeof args[name] === 'number' ? new Intl.NumberFormat(locale).format(args[name]) : args[name];
  });
}
/** The first refresh of Team ClickUp after a reset: "8 tools (was 6): 2 new, 0 removed, 6 unchanged". */
function clickUpHeadline(T) {
  const head = T('refresh.tools_was', { tools: T('refresh.tools', { n: 8 }), previous: 6 });
  return T('refresh.changes_unchanged', {
    head, new: T('refresh.count_new', { n: 2 }), removed: T('refresh.count_removed', { n: 0 }), unchanged: T('refresh.count_unchanged', { n: 6 }),
  });
}
/** Matches a message whose placeholders may be anything. */
function pattern(cat, key) {
  const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(forms(cat[key]).map((f) => f.split(/\{[a-z_]+\}/).map(esc).join('.+?')).join('|'));
}

/**
 * The English catalogue's sentences (the literal pieces between placeholders, of two
 * words or more) that the other language does not also use, found in `text`.
 */
function englishIn(text, code) {
  const other = Object.values(catalogue(code)).flatMap(forms).join('\n');
  const pieces = new Set(Object.values(EN).flatMap(forms)
    .flatMap((f) => f.split(/\{[a-z_]+\}/))
    .map((p) => p.trim().replace(/^[(:.,;“”"\s]+|[(:.,;“”"\s]+$/g, ''))
    .filter((p) => p.length >= 8 && /[A-Za-z]{2,} [A-Za-z]{2,}/.test(p) && !other.includes(p)));
  return [...pieces].filter((p) => text.includes(p));
}

/** Everything a person can read or hear in `root` (the page, or a widget's shadow root). */
async function screenText(page, hostSelector = null) {
  return page.evaluate((sel) => {
    const root = sel ? document.querySelector(sel).shadowRoot : document;
    const top = sel ? root.querySelector('.cr-mount') : document.body;
    const attrs = [...root.querySelectorAll('[aria-label],[title],[placeholder],[alt]')]
      .flatMap((e) => ['aria-label', 'title', 'placeholder', 'alt'].map((a) => e.getAttribute(a)).filter(Boolean));
    return [top.innerText, ...attrs].join('\n');
  }, hostSelector);
}

async function noEnglish(page, code, where, host = null) {
  expect(englishIn(await screenText(page, host), code), `${where}: English left on screen`).toEqual([]);
}

async function fits(page, where) {
  const [scroll, width, wide] = await page.evaluate(() => [
    document.documentElement.scrollWidth, window.innerWidth,
    // the innermost elements that stick out, to say what to fix
    [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5
        && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} “${(e.textContent || '').slice(0, 40)}”`),
  ]);
  expect(scroll, `${where}: wider than the screen: ${wide.join('; ')}`).toBeLessThanOrEqual(width);
}

test.beforeEach(async ({ request }) => { await reset(request); });

test('the English check itself finds English sentences', async () => {
  const sample = `${t(EN, 'en', 'signin.email_hint')}\n${t(EN, 'en', 'app.sign_out')}`;
  expect(englishIn(sample, 'de').length).toBeGreaterThan(0);
  expect(englishIn(t(catalogue('de'), 'de', 'signin.email_hint'), 'de')).toEqual([]);
});

/** The whole flow in one language: sign-in, list, refresh with changes, an error, history. */
async function wholeFlow(page, request, code, locale) {
  const L = catalogue(code);
  const T = (key, args) => t(L, locale, key, args);
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto('/');
  await expect(page.getByRole('heading', { name: T('signin.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', new RegExp(`^${code}`));
  await noEnglish(page, code, 'sign-in');
  await fits(page, 'sign-in');
  await axe(page, 'sign-in');

  await page.getByLabel(T('signin.email_or_username')).fill(DEMO_EMAIL);
  await page.getByLabel(T('signin.password'), { exact: true }).fill(DEMO_PASSWORD);
  await page.getByText(T('signin.advanced')).click();
  await page.getByLabel(T('signin.cooldown')).fill('0');
  await page.getByRole('button', { name: T('signin.continue') }).click();
  await expect(page.getByRole('heading', { name: T('signin.code_prompt', { address: 'd•••@example.com' }) })).toBeVisible();
  await noEnglish(page, code, 'code screen');
  await fits(page, 'code screen');
  await page.getByLabel(T('signin.code_label'), { exact: true }).fill(await lastCode(request));
  await page.getByRole('button', { name: T('signin.verify') }).click();

  const link = page.getByRole('link', { name: 'Team ClickUp', exact: true });
  await expect(link).toBeVisible();
  await noEnglish(page, code, 'list');
  await fits(page, 'list');
  await axe(page, 'list');

  await link.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  const button = page.getByRole('button', { name: T('refresh.button') });
  await button.click();
  const headline = page.locator('h2.headline');
  await expect(headline).toHaveText(clickUpHeadline(T));
  await page.locator('.changed-tools summary').first().click();
  await noEnglish(page, code, 'result with changes');
  await fits(page, 'result');
  await axe(page, 'result');

  await armFault(request, '502-html');
  await expect(button).toBeEnabled();
  await button.click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(headline).toHaveText(clickUpHeadline(T)); // the last result stays
  await noEnglish(page, code, 'error');
  await axe(page, 'error');

  await button.click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: pattern(L, 'history.title') })).toBeVisible();
  await noEnglish(page, code, 'history');
  await fits(page, 'history');
  await axe(page, 'history');
}

test.describe('German from the browser (de-CH)', () => {
  test.use({ locale: 'de-CH' });
  test('the whole flow in German, no English sentence, axe-clean, at 320 px', async ({ page, request }) => {
    await wholeFlow(page, request, 'de', 'de-CH');
  });
});

test('French from the picker, kept across a reload; the whole flow in French', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Language').selectOption({ label: 'Français' });
  const FR = catalogue('fr');
  await expect(page.getByRole('heading', { name: t(FR, 'fr', 'signin.title') })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  expect(await page.evaluate(() => localStorage.getItem('connector-refresh.language'))).toBe('fr');
  await page.reload();
  await expect(page.getByRole('heading', { name: t(FR, 'fr', 'signin.title') })).toBeVisible();
  await wholeFlow(page, request, 'fr', 'fr');
  // back to English: the result on screen stays, its words change
  await page.getByLabel(t(FR, 'fr', 'language.label')).selectOption({ label: 'English' });
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeVisible();
  await expect(page.locator('h2.headline')).toHaveText(/\d+ tools \(was \d+\)/);
});

test('a catalogue that cannot be loaded leaves the page in its language and says so', async ({ page }) => {
  await page.route('**/i18n/it.json*', (route) => route.fulfill({ status: 503, body: 'down' }));
  await page.goto('/');
  await page.getByLabel('Language').selectOption({ label: 'Italiano' });
  await expect(page.getByRole('status').filter({ hasText: 'Italiano could not be loaded (HTTP 503)' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('the widget in Italian inside the portal; the portal page stays as it was', async ({ page }) => {
  await page.goto('/examples/portal/');
  await page.waitForFunction(() => window.portalReady === true);
  const before = await page.evaluate(() => ({ lang: document.documentElement.lang, title: document.title, header: document.querySelector('.portal-header').innerText }));
  await page.locator('#widget-a').evaluate((el) => el.setAttribute('locale', 'it-CH'));
  const IT = catalogue('it');
  const T = (key, args) => t(IT, 'it-CH', key, args);
  const a = page.locator('#widget-a');
  await a.getByRole('button', { name: 'Team ClickUp' }).click();
  await a.getByRole('button', { name: T('refresh.button') }).click();
  await expect(a.locator('h2.headline')).toHaveText(clickUpHeadline(T));
  await expect(a.locator('.cr-app')).toHaveAttribute('lang', 'it'); // the interface language; formats are it-CH
  await noEnglish(page, 'it', 'widget', '#widget-a');
  const after = await page.evaluate(() => ({ lang: document.documentElement.lang, title: document.title, header: document.querySelector('.portal-header').innerText }));
  expect(after).toEqual(before);
  // the other widget keeps its own language
  await expect(page.locator('#widget-b').getByRole('button', { name: 'Refresh tools' })).toBeVisible();
});
