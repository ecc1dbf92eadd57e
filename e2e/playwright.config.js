// Playwright end-to-end tests through the real dev server, in Debian's Chromium.
// `./test.sh` builds the release app into ../dist and the dev server, then runs this.
// Two servers are started: a reference MCP server no one here wrote
// (@modelcontextprotocol/server-everything, Streamable HTTP, on a free loopback port) and
// the dev server, with --demo-advance (each refresh of a demo configuration moves its
// bundled MCP server on, as ./run.sh does) and --mcp everything=<that server>.
const { defineConfig } = require('@playwright/test');
const { execFileSync } = require('node:child_process');

const PORT = Number(process.env.E2E_PORT || 18080);
const DEV_API = process.env.DEV_API_BIN || '../target/debug/dev-api';
const DIST = process.env.E2E_DIST || '../dist'; // the built app (trunk build --release)

// A free port, chosen once in the main process; the test workers inherit it through the
// environment (they load this file again and must see the same port).
if (!process.env.E2E_MCP_PORT) {
  process.env.E2E_MCP_PORT = execFileSync(process.execPath, ['-e',
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ]).toString().trim();
}
const MCP_PORT = Number(process.env.E2E_MCP_PORT);
const EVERYTHING = 'node_modules/@modelcontextprotocol/server-everything/dist/index.js';

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
  webServer: [
    {
      command: `node ${EVERYTHING} streamableHttp`,
      env: { PORT: String(MCP_PORT) },
      // GET /mcp without a session answers 400: the server is up.
      url: `http://127.0.0.1:${MCP_PORT}/mcp`,
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 30_000,
    },
    {
      command: `${DEV_API} --port ${PORT} --dist ${DIST} --examples ../examples --refresh-delay-ms 150 --slow-seconds 8`
        + ` --demo-advance --mcp everything=http://127.0.0.1:${MCP_PORT}/mcp`,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      stdout: 'pipe',
      timeout: 30_000,
    },
  ],
});
