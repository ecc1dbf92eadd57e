// The same widget A as the portal, on a page with no CSS of its own.
import '/embed.js';

const a = document.getElementById('widget-a');
a.token = 'ak_demo_connector_refresh_local_key_000001';
window.portalReady = true;
