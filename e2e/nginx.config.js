// Playwright through Debian's nginx serving the release build with deploy/nginx.conf
// (e2e/nginx/serve.js), /v1/ proxied to the dev server. Run by
// scripts/test-nginx.sh after `trunk build --release`.
const { defineConfig } = require('@playwright/test');
const base = require('./playwright.config.js');

const API_PORT = Number(process.env.NGINX_API_PORT || 18492);
const PORT = Number(process.env.NGINX_PORT || 18493);
const DEV_API = process.env.DEV_API_BIN || '../target/debug/dev-api';

module.exports = defineConfig({
  ...base,
  testDir: './nginx',
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}` },
  webServer: [
    {
      command: `${DEV_API} --port ${API_PORT} --dist ${process.env.E2E_DIST || '../dist'} --refresh-delay-ms 150 --demo-advance`,
      url: `http://127.0.0.1:${API_PORT}/`,
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 30_000,
    },
    {
      command: 'node nginx/serve.js',
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 30_000,
    },
  ],
});
