// Playwright for the React + Vite portal (examples/react-portal): its production
// build served by `vite preview` on one origin, the dev server's API on another
// (CORS for the preview origin). Run by scripts/test-package.sh after the portal
// was built with VITE_CONNECTOR_API pointing at PORTAL_API_PORT.
const { defineConfig } = require('@playwright/test');
const base = require('./playwright.config.js');

const API_PORT = Number(process.env.PORTAL_API_PORT || 18490);
const PORT = Number(process.env.PORTAL_PORT || 18491);
const DEV_API = process.env.DEV_API_BIN || '../target/debug/dev-api';
const ORIGIN = `http://127.0.0.1:${PORT}`;

module.exports = defineConfig({
  ...base,
  testDir: './portal',
  use: { ...base.use, baseURL: ORIGIN },
  metadata: { api: `http://127.0.0.1:${API_PORT}` },
  webServer: [
    {
      command: `${DEV_API} --port ${API_PORT} --dist ../dist --refresh-delay-ms 150 --slow-seconds 8 --demo-advance --cors-origin ${ORIGIN}`,
      url: `http://127.0.0.1:${API_PORT}/`,
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 30_000,
    },
    {
      command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      cwd: '../examples/react-portal',
      url: `${ORIGIN}/`,
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 30_000,
    },
  ],
});
