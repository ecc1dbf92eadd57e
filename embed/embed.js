// connector-refresh embedding module (ES module), copied into dist/ by Trunk. This
// build's glue, wasm, stylesheet and language catalogues come from `files.js`, which
// the build writes beside it (scripts/finish-build.sh); the npm package has its own
// `files.js` naming each file with `new URL('./…', import.meta.url)`, so that a
// bundler copies them (scripts/pack-npm.mjs).
//
//   import { mount } from 'https://your-host/embed.js';
//   const handle = await mount(element, { baseUrl, token, getToken, ... });
//   handle.refresh(); handle.setToken(t); handle.unmount();
//
// Importing it also registers <connector-refresh> (once). No other global side
// effects: it never touches the page's URL, history, storage or styles.
import { init, mount as wasmMount, wasm, stylesheet as STYLESHEET, catalogues as CATALOGUES } from './files.js';

let ready = null;
function load() {
  ready ??= init({ module_or_path: wasm });
  return ready;
}

/**
 * Mounts a widget into `element` (in its shadow root). Resolves to a handle with
 * refresh(), setToken(token) and unmount(). Rejects with a TypeError naming the
 * option when an option is wrong.
 */
export async function mount(element, options = {}) {
  if (!(element instanceof Element)) throw new TypeError('connector-refresh: mount(element, options) needs a DOM element');
  await load();
  const opts = Object.assign({ stylesheet: STYLESHEET, catalogues: CATALOGUES }, options);
  return wasmMount(element, opts);
}

const ATTRIBUTES = {
  'base-url': 'baseUrl',
  'configuration-id': 'configurationId',
  'auth-header': 'authHeader',
  'organization-id': 'organizationId',
  'cooldown-seconds': 'cooldownSeconds',
  'timeout-seconds': 'timeoutSeconds',
  locale: 'locale',
  theme: 'theme',
};

/** `<connector-refresh base-url=… configuration-id=… auth-header=…>` with properties `token` / `getToken`. */
export class ConnectorRefreshElement extends HTMLElement {
  static get observedAttributes() { return Object.keys(ATTRIBUTES); }
  #handle = null;
  #token = undefined;
  #getToken = undefined;
  #reviewedBaseline = undefined;
  #generation = 0;

  get token() { return this.#token; }
  set token(value) {
    this.#token = value;
    if (this.#handle && typeof value === 'string' && value) this.#handle.setToken(value);
    else this.#remount();
  }
  get getToken() { return this.#getToken; }
  set getToken(fn) { this.#getToken = fn; this.#remount(); }
  /** The baseline a `connector-refresh:reviewed` event handed over, as kept by the portal. */
  get reviewedBaseline() { return this.#reviewedBaseline; }
  set reviewedBaseline(value) { this.#reviewedBaseline = value; this.#remount(); }

  /** Refreshes the configuration on screen. */
  refresh() { this.#handle?.refresh(); }

  connectedCallback() { this.#remount(); }
  disconnectedCallback() { this.#generation += 1; this.#handle?.unmount(); this.#handle = null; }
  attributeChangedCallback() { if (this.isConnected) this.#remount(); }

  async #remount() {
    if (!this.isConnected) return;
    const generation = ++this.#generation;
    await load();
    if (generation !== this.#generation || !this.isConnected) return;
    this.#handle?.unmount();
    this.#handle = null;
    const options = {};
    for (const [attr, name] of Object.entries(ATTRIBUTES)) {
      const v = this.getAttribute(attr);
      if (v !== null) options[name] = v;
    }
    if (this.#token) options.token = this.#token;
    if (this.#getToken) options.getToken = this.#getToken;
    if (this.#reviewedBaseline) options.reviewedBaseline = this.#reviewedBaseline;
    try {
      const handle = await mount(this, options);
      // Removed or changed while its language was loading: this mount is stale.
      if (generation !== this.#generation || !this.isConnected) { handle.unmount(); return; }
      this.#handle = handle;
    } catch (e) {
      this.dispatchEvent(new CustomEvent('connector-refresh:error', {
        bubbles: true, composed: true,
        detail: { kind: 'options', status: null, message: String(e && e.message || e), requestId: null },
      }));
    }
  }
}

if (!customElements.get('connector-refresh')) customElements.define('connector-refresh', ConnectorRefreshElement);
