// The standalone page's loader (index.html). Trunk names this build's glue and wasm in
// <meta name="connector-refresh-app"> (Trunk.toml's pattern_script); this starts them.
// A file rather than Trunk's inline loader, so the page's Content-Security-Policy
// needs no 'unsafe-inline'. Loaded `async`, it runs as soon as it is here; the app
// mounts on the body, so it waits for the body should the page still be parsing.
const app = document.querySelector('meta[name="connector-refresh-app"]');
const { default: init } = await import(app.content);
if (!document.body) await new Promise((r) => document.addEventListener('DOMContentLoaded', r, { once: true }));
await init({ module_or_path: app.dataset.wasm });
