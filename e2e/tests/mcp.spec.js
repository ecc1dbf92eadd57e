// A real MCP server no one here wrote: @modelcontextprotocol/server-everything, started by
// playwright.config.js in Streamable HTTP mode and given to the dev server as
// `--mcp everything=<url>`. The app refreshes that configuration and must show exactly the
// tools the server itself lists (read here through its own tools/list; never hard-coded).
const { test, expect, reset, armFault, openFromList, refresh } = require('./helpers');

const MCP_URL = `http://127.0.0.1:${process.env.E2E_MCP_PORT}/mcp`;

test.beforeEach(async ({ request }) => { await reset(request); });

/** One JSON-RPC answer from a Streamable HTTP response (JSON body or SSE events). */
async function answer(response) {
  const text = await response.text();
  if ((response.headers.get('content-type') || '').includes('text/event-stream')) {
    const messages = text.split('\n').filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim()).filter((d) => d).map((d) => JSON.parse(d));
    return messages.find((m) => m.id !== undefined && (m.result || m.error));
  }
  return JSON.parse(text);
}

/** The server's own tools/list (every page), as a small MCP client over fetch would. */
async function serverToolNames() {
  const base = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
  const post = (body, headers = {}) => fetch(MCP_URL, { method: 'POST', headers: { ...base, ...headers }, body: JSON.stringify(body) });
  const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } });
  expect(init.ok, `initialize: HTTP ${init.status}`).toBeTruthy();
  const session = init.headers.get('mcp-session-id');
  const { result } = await answer(init);
  const headers = { 'mcp-protocol-version': result.protocolVersion, ...(session ? { 'mcp-session-id': session } : {}) };
  await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
  const names = [];
  let cursor;
  let id = 2;
  do {
    const page = await answer(await post({ jsonrpc: '2.0', id: id++, method: 'tools/list', params: cursor ? { cursor } : {} }, headers));
    expect(page.error, JSON.stringify(page.error)).toBeUndefined();
    names.push(...page.result.tools.map((t) => t.name));
    cursor = page.result.nextCursor;
  } while (cursor);
  if (session) await fetch(MCP_URL, { method: 'DELETE', headers });
  return names;
}

const sorted = (a) => [...a].sort();

test('refreshing a configuration backed by server-everything shows the tools it lists', async ({ page, request }) => {
  const expected = await serverToolNames();
  expect(expected).toContain('echo');

  // Without the definitions endpoint the app shows the name-only diff from an empty cache:
  // every tool the server lists appears as new.
  await openFromList(page, 'everything');
  await armFault(request, '404-endpoint', 'pconf_everything', 'tools', 2);
  await refresh(page);
  await expect(page.getByRole('heading', { name: `${expected.length} tools (was 0): ${expected.length} new, 0 removed, 0 unchanged` })).toBeVisible();
  const added = page.getByRole('region', { name: new RegExp(`New tools \\(${expected.length}\\)`) });
  const shown = (await added.getByRole('listitem').allTextContents()).map((t) => t.replace(/^\+\s*/, ''));
  expect(sorted(shown)).toEqual(sorted(expected));

  // The dev server's cache holds the same tools, definitions and all.
  const tools = await request.get('/v1/personal-connectors/configurations/pconf_everything/tools',
    { headers: { authorization: 'Bearer ak_demo_connector_refresh_local_key_000001' } });
  expect(tools.ok()).toBeTruthy();
  const cached = (await tools.json()).data;
  expect(sorted(cached.map((t) => t.name))).toEqual(sorted(expected));
  expect(cached.find((t) => t.name === 'echo').inputSchema.type).toBe('object');

  // Refreshing again: nothing changed on the server, and the page says so; the definition
  // of `echo` is there on demand.
  await refresh(page);
  await expect(page.getByRole('heading', { name: `No changes: ${expected.length} tools` })).toBeVisible();
  await page.getByLabel("Show a tool's definition").fill('echo');
  await page.getByRole('button', { name: 'Show definition' }).click();
  await expect(page.locator('figure.definition pre')).toContainText('"echo"');
});
