// Shared steps: reset the dev server, sign in as a person would, arm faults.
const { expect } = require('@playwright/test');

const DEMO_KEY = 'ak_demo_connector_refresh_local_key_000001';

async function reset(request) {
  const r = await request.post('/__dev/reset');
  expect(r.ok()).toBeTruthy();
}

/** Arms a one-shot fault on the dev server for the next matching request. */
async function armFault(request, fault, configId = 'pconf_abc123', endpoint = 'refresh', times = 1) {
  const data = { fault, times, endpoint };
  if (configId) data.configId = configId;
  const r = await request.post('/__dev/faults', { data });
  expect(r.ok(), `arming ${fault}`).toBeTruthy();
}

async function signIn(page, { key = DEMO_KEY, header = 'bearer', remember = false, timeout = '' } = {}) {
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('API key').fill(key);
  if (header === 'x-api-key') await page.getByRole('radio', { name: 'X-API-Key' }).check();
  if (timeout) await page.getByLabel(/Request timeout/).fill(String(timeout));
  if (remember) await page.getByRole('checkbox', { name: 'Remember in this tab' }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in at `/` and opens a configuration from the list by its name. */
async function openFromList(page, name, options) {
  await page.goto('/');
  await signIn(page, options);
  await page.getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function refresh(page) {
  const button = page.getByRole('button', { name: 'Refresh tools' });
  await expect(button).toBeEnabled();
  await button.click();
}

module.exports = { DEMO_KEY, reset, armFault, signIn, openFromList, refresh };
