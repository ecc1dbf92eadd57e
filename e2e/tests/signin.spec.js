// Email sign-in through the dev server: email + password, the mailed code (read at
// GET /__dev/last-code), tokens that renew themselves (before expiry, and once after
// a 401 TOKEN_EXPIRED), a refused renewal, sign-out, keyboard and axe.
const { test, expect, DEMO_EMAIL, DEMO_PASSWORD, reset, openFromList, refresh, lastCode, emailSignIn, startDevServer, axe, tabTo } = require('./helpers');

test.beforeEach(async ({ request }) => { await reset(request); });

/** Every request and response under /v1/, in order. */
function recordApi(page) {
  const log = [];
  page.on('request', (r) => {
    if (r.url().includes('/v1/')) log.push({ kind: 'request', method: r.method(), path: new URL(r.url()).pathname, auth: r.headers().authorization || '' });
  });
  page.on('response', (r) => {
    if (r.url().includes('/v1/')) log.push({ kind: 'response', method: r.request().method(), path: new URL(r.url()).pathname, status: r.status() });
  });
  return log;
}

// A refresh's headline (the tool sets may or may not move on between refreshes).
const HEADLINE = /\d+ tools \(was \d+\)|^No changes/;
/** The dev server's sign-in counters (never reset: compare before and after). */
async function authCounts(request, base = '') {
  return (await request.get(`${base}/__dev/auth`)).json();
}

// The list page has a checkbox per row (bulk refresh): a full lap of it is long.
/** Clicks "Send a new code" and waits for the new login's answer. */
async function sendNewCode(page) {
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/auth/login')),
    page.getByRole('button', { name: 'Send a new code' }).click(),
  ]);
}

const isRenewal = (e) => e.kind === 'request' && e.path === '/v1/auth/refresh';

test('sign in by email: code screen with countdown, Bearer access token, sign-out calls logout', async ({ page, request }) => {
  const log = recordApi(page);
  const start = await authCounts(request);
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Email or username').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.getByRole('heading', { name: 'Enter the 4-digit code sent to d•••@example.com' })).toBeVisible();
  const field = page.getByLabel('4-digit code', { exact: true });
  await expect(field).toBeFocused();
  await expect(field).toHaveAttribute('autocomplete', 'one-time-code');
  await expect(field).toHaveAttribute('inputmode', 'numeric');
  await expect(page.getByText(/The code is valid for another (5:00|4:5\d)\./)).toBeVisible();
  await expect(page.getByText(/The code is valid for another 4:5\d\./)).toBeVisible({ timeout: 5_000 });
  await field.fill(await lastCode(request));
  await page.getByRole('button', { name: 'Verify code' }).click();

  await expect(page.getByRole('link', { name: 'Team ClickUp', exact: true })).toBeVisible();
  // the list was fetched with the access token, not a key
  const list = log.find((e) => e.kind === 'request' && e.path === '/v1/personal-connectors/configurations');
  expect(list.auth).toMatch(/^Bearer at_dev_/);
  // neither the password nor the email stays in the page
  const inputs = await page.evaluate(() => [...document.querySelectorAll('input')].map((i) => i.value));
  expect(inputs.join(' ')).not.toContain(DEMO_PASSWORD);
  expect(inputs.join(' ')).not.toContain(DEMO_EMAIL);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect.poll(() => log.some((e) => e.kind === 'response' && e.path === '/v1/auth/logout' && e.status === 200)).toBeTruthy();
  const end = await authCounts(request);
  expect([end.logins - start.logins, end.verifies - start.verifies, end.logouts - start.logouts]).toEqual([1, 1, 1]);
});

test('"Use an API key instead" leads to the same signed-in state', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Use an API key instead' }).click();
  await expect(page.getByLabel('API key')).toBeVisible();
  await page.getByRole('button', { name: 'Use email and password instead' }).click();
  await expect(page.getByLabel('Email or username')).toBeVisible();
  await openFromList(page, 'Team ClickUp'); // the key form (helpers.signIn)
  await refresh(page);
  await expect(page.getByRole('heading', { name: HEADLINE })).toBeVisible();
});

test('wrong, expired and too many codes each get their own message; a new code works', async ({ page, request }) => {
  await page.goto('/');
  await page.getByLabel('Email or username').fill('demo');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('do not match an account (HTTP 401)');

  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  // a username was typed: the address comes from the server, masked
  await expect(page.getByRole('heading', { name: 'Enter the 4-digit code sent to d•••@example.com' })).toBeVisible();
  const code = await lastCode(request);
  const wrong = code === '9999' ? '1000' : String(Number(code) + 1);
  const field = page.getByLabel('4-digit code', { exact: true });
  const verify = page.getByRole('button', { name: 'Verify code' });

  await field.fill('12');
  await verify.click();
  await expect(page.getByRole('alert')).toHaveText('Enter the 4-digit code from the email.');

  await field.fill(wrong);
  await verify.click();
  await expect(page.getByRole('alert')).toContainText('That code is not right (HTTP 400).');
  await expect(page.getByRole('alert')).toContainText('4 attempts left');

  await request.post('/__dev/auth/expire-codes');
  await field.fill(code);
  await verify.click();
  await expect(page.getByRole('alert')).toContainText('That code has expired (HTTP 400).');

  // "Send a new code" logs in again
  await sendNewCode(page);
  for (let i = 0; i < 5; i += 1) {
    const fresh = await lastCode(request);
    await field.fill(fresh === '9999' ? '1000' : String(Number(fresh) + 1));
    await verify.click();
    if (i < 4) await expect(page.getByRole('alert')).toContainText(`${4 - i} attempts left`);
  }
  await expect(page.getByRole('alert')).toContainText('Too many wrong codes (HTTP 429).');
  await field.fill(await lastCode(request));
  await verify.click();
  await expect(page.getByRole('alert')).toContainText('Too many wrong codes (HTTP 429).');

  await sendNewCode(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await field.fill(await lastCode(request));
  await verify.click();
  await expect(page.getByRole('link', { name: 'Team ClickUp', exact: true })).toBeVisible();

  // "Use a different account" goes back to an empty form
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email or username').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Use a different account' }).click();
  await expect(page.getByLabel('Email or username')).toHaveValue('');
  await expect(page.getByLabel('Password')).toHaveValue('');
});

test('a forced 401 TOKEN_EXPIRED is answered by one renewal and one retry', async ({ page, request }) => {
  await page.goto('/');
  await emailSignIn(page, request);
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
  const log = recordApi(page);
  const start = await authCounts(request);
  await request.post('/__dev/auth/expire-tokens');
  await refresh(page);
  await expect(page.getByRole('heading', { name: HEADLINE })).toBeVisible();

  const responses = log.filter((e) => e.kind === 'response');
  const refused = responses.filter((e) => e.status === 401);
  expect(refused).toHaveLength(1); // the first call after the forced expiry
  expect(log.filter(isRenewal)).toHaveLength(1);
  // that call went out twice: refused, then retried after the renewal
  const sameCall = log.filter((e) => e.kind === 'request' && e.path === refused[0].path && e.method === refused[0].method);
  expect(sameCall.length).toBeGreaterThanOrEqual(2);
  const order = log.filter((e) => e.kind === 'request').map((e) => e.path);
  const renewalAt = order.indexOf('/v1/auth/refresh');
  expect(order[renewalAt + 1]).toBe(refused[0].path);
  // the retry and every later call used the new token
  const before = log.find((e) => e.kind === 'request' && e.path === refused[0].path).auth;
  for (const e of log.filter((x) => x.kind === 'request' && x.path !== '/v1/auth/refresh').slice(1)) {
    expect(e.auth).not.toBe(before);
  }
  await expect(page.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
  const end = await authCounts(request);
  expect([end.logins - start.logins, end.refreshes - start.refreshes]).toEqual([0, 1]);
});

test('a refused renewal returns to sign-in with the reason; the last result stays until leaving', async ({ page, request }) => {
  await page.goto('/');
  await emailSignIn(page, request);
  await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
  await refresh(page);
  const headline = page.getByRole('heading', { name: HEADLINE });
  await expect(headline).toBeVisible();

  await request.post('/__dev/auth/revoke');
  await page.getByRole('button', { name: 'Refresh tools' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.getByRole('alert').first()).toContainText('Your session has ended: the server refused to renew it (HTTP 401).');
  await expect(headline).toBeVisible(); // still on screen
  await expect(page.getByRole('button', { name: 'Refresh tools' })).toBeDisabled();

  await page.getByRole('link', { name: '← All configurations' }).click();
  await expect(headline).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // signing in again works
  await emailSignIn(page, request);
  await expect(page.getByRole('link', { name: 'Team ClickUp', exact: true })).toBeVisible();
});

test('the email screens by keyboard alone, and axe-clean', async ({ page, request }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await axe(page, 'email sign-in');
  await tabTo(page, page.getByLabel('Email or username'));
  await page.keyboard.type(DEMO_EMAIL);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Password')).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /Enter the 4-digit code/ })).toBeVisible();
  await expect(page.getByLabel('4-digit code', { exact: true })).toBeFocused();
  await axe(page, 'code screen');
  // a wrong code's message is axe-clean too
  await page.keyboard.type('0000');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText('That code is not right');
  await axe(page, 'code screen with an error');
  await expect(page.getByLabel('4-digit code', { exact: true })).toBeFocused();
  await expect(page.getByLabel('4-digit code', { exact: true })).toHaveValue('');
  await page.keyboard.type(await lastCode(request));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('link', { name: 'Team ClickUp', exact: true })).toBeVisible();
  // the API-key form, reached by keyboard, is axe-clean
  await tabTo(page, page.getByRole('button', { name: 'Sign out' }));
  await page.keyboard.press('Enter');
  await tabTo(page, page.getByRole('button', { name: 'Use an API key instead' }));
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('API key')).toBeVisible();
  await axe(page, 'API-key sign-in');
});

test.describe('short-lived tokens', () => {
  let server;
  let base;

  test.beforeAll(async () => {
    ({ base, server } = await startDevServer(['--token-ttl-seconds', '5', '--refresh-delay-ms', '150']));
  });

  test.afterAll(async () => { if (server) server.kill(); });

  test('with --token-ttl-seconds 5 a session outlives several tokens without a second sign-in', async ({ page, request }) => {
    const log = recordApi(page);
    await page.goto(`${base}/`);
    await emailSignIn(page, request, { base });
    await page.getByRole('link', { name: 'Team ClickUp', exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Team ClickUp' })).toBeVisible();
    await page.waitForTimeout(6_000); // the first token has expired
    await refresh(page);
    await expect(page.getByRole('heading', { name: HEADLINE })).toBeVisible();
    await page.waitForTimeout(6_000); // and the second
    await refresh(page);
    const refreshed = () => log.filter((e) => e.kind === 'response' && e.path.endsWith('/refresh') && e.path.includes('/configurations/') && e.status === 200).length;
    await expect.poll(refreshed).toBe(2);
    await expect(page.getByRole('heading', { name: 'History (2)' })).toBeVisible();

    expect(log.filter(isRenewal).length).toBeGreaterThanOrEqual(2);
    // renewed ahead of expiry: no call was ever refused, and no second sign-in
    expect(log.filter((e) => e.kind === 'response' && e.status === 401)).toEqual([]);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toHaveCount(0);
    const counts = await (await request.get(`${base}/__dev/auth`)).json();
    expect(counts.logins).toBe(1);
    expect(counts.refreshes).toBeGreaterThanOrEqual(2);
  });
});
