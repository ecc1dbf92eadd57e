// Playwright end-to-end tests through the real dev server, in Debian's Chromium.
// `./test.sh` builds the release app into ../dist and the dev server, then runs this.
const { defineConfig } = require('@playwright/test');

const PORT = Number(process.env.E2E_PORT || 18080);
const DEV_API = process.env.DEV_API_BIN || '../target/debug/dev-api';

module.exports = defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  // One dev server with shared state: tests reset it and run one at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    locale: 'en-GB',
    timezoneId: 'UTC',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--disable-dev-shm-usage'],
    },
  },
  webServer: {
    command: `${DEV_API} --port ${PORT} --dist ../dist --examples ../examples --refresh-delay-ms 150 --slow-seconds 8`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    stdout: 'pipe',
    timeout: 30_000,
  },
});
