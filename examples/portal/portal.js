// The portal's own script: embeds two widgets, one per embedding style, and logs
// their events. In a real portal the token comes from the portal's session; here it
// is the local dev server's demo key.
import { mount } from '/embed.js';

const DEMO_KEY = 'ak_demo_connector_refresh_local_key_000001';
window.portalToken = DEMO_KEY;
window.getTokenCalls = 0;
window.portalEvents = [];

const log = document.getElementById('event-log');
for (const name of ['connector-refresh:refreshed', 'connector-refresh:error', 'connector-refresh:signed-out', 'connector-refresh:batch-finished']) {
  document.addEventListener(name, (e) => {
    const source = e.composedPath()[0]?.id || e.target.id;
    window.portalEvents.push({ type: e.type, target: e.target.id, detail: e.detail });
    const li = document.createElement('li');
    li.textContent = `${e.type} from ${e.target.id}${source && source !== e.target.id ? ` (${source})` : ''}: ${e.detail?.headline || e.detail?.message || e.detail?.reason || e.detail?.summary || ''}`;
    log.append(li);
  });
}

// Widget A: the custom element, with a host-provided async getToken.
const a = document.getElementById('widget-a');
a.getToken = async () => {
  window.getTokenCalls += 1;
  return window.portalToken;
};

// Widget B: mount(), fixed to one configuration.
window.widgetB = await mount(document.getElementById('widget-b'), {
  token: DEMO_KEY,
  configurationId: 'pconf_gh42',
  cooldownSeconds: 0,
  timeoutSeconds: 30,
  locale: 'en-GB',
  theme: 'light',
});
document.getElementById('b-refresh').addEventListener('click', () => window.widgetB.refresh());
document.getElementById('b-unmount').addEventListener('click', () => window.widgetB.unmount());
window.portalReady = true;
