// Type definitions for connector-refresh's embedding module (dist/embed.js, and the
// npm package @aitronos/connector-refresh). Hand-written and checked against
// src/embed.rs, src/core/options.rs, src/ui/events.rs and embed/embed.js.

/** How the token is sent: `Authorization: Bearer <token>` (default) or `X-API-Key: <token>`. */
export type AuthHeader = 'bearer' | 'x-api-key';

/** Colour scheme; `auto` follows `prefers-color-scheme`. */
export type Theme = 'auto' | 'light' | 'dark';

export interface MountOptions {
  /** API base URL; default: the page's origin. The token is sent only there. */
  baseUrl?: string;
  /** Default `'bearer'`. */
  authHeader?: AuthHeader;
  /** A token (API key or access token). */
  token?: string;
  /** Called before each request; its (awaited) result is the token used. */
  getToken?: () => string | Promise<string>;
  /** Sent as `?organization_id=`. */
  organizationId?: string;
  /** Fixes the configuration and hides the picker. */
  configurationId?: string;
  /** Cooldown after a successful refresh, 0–3600 (default 30). */
  cooldownSeconds?: number;
  /** Request timeout, 1–600 (default 30). */
  timeoutSeconds?: number;
  /**
   * BCP 47 locale, the reader's: the widget's language when it is one of en, de, fr, it
   * (matched on its language part; else the browser's languages, else English), and in
   * any language its dates and numbers (`de-CH` writes 1'234, `ja-JP` 2025/10/07 under
   * English words). The language is set as `lang` on the widget's own root, never on
   * the host page.
   */
  locale?: string;
  /** Default `'auto'`. */
  theme?: Theme;
  /** URL of the widget stylesheet; default: the one shipped beside embed.js. */
  stylesheet?: string;
  /**
   * Where the language catalogues are: the URL of a folder holding `de.json`, `fr.json`,
   * `it.json`, or one URL per language (`{ de: '…', fr: '…' }`). Default: `i18n/` beside
   * embed.js; in the npm package, the package's own files (which a bundler copies).
   */
  catalogues?: string | Partial<Record<'de' | 'fr' | 'it', string>>;
  /**
   * The baseline a reviewer accepted for this configuration (from an earlier
   * `connector-refresh:reviewed` event, kept by the host), or null for none: tools that
   * differ from it are flagged for review.
   */
  reviewedBaseline?: ReviewedBaseline | null;
}

/** A reviewed state of a configuration's tools: the detail of `connector-refresh:reviewed`. */
export interface ReviewedBaseline {
  configurationId: string;
  /** SHA-256 of the reviewed tool set (64 hex digits). */
  hash: string;
  /** RFC 3339 UTC. */
  reviewedAt: string;
  toolCount: number;
  /** Each reviewed tool's name and the hash of its definition (sets of at most 2,000 tools). */
  tools?: Record<string, string>;
}

/** A finding of the safety review of a new or changed tool definition. */
export interface ReviewFlag {
  /** The tool's name. */
  tool: string;
  /** Where in the definition, e.g. `description` or `inputSchema.properties.url`. */
  path: string;
  /** Why it needs a look, in words. */
  reason: string;
}

export interface Handle {
  /** Refreshes the configuration on screen (cooldown and rate limits still apply). */
  refresh(): void;
  /** Hands over a new token (also signs back in after a 401). Throws on an empty token. */
  setToken(token: string): void;
  /** Removes the widget and stops every timer, listener and request. */
  unmount(): void;
}

/** Mounts a widget into `element` (inside its shadow root). Rejects with a TypeError naming a wrong option. */
export function mount(element: Element, options?: MountOptions): Promise<Handle>;

/** Detail of `connector-refresh:refreshed`. */
export interface RefreshedDetail {
  configurationId: string;
  headline: string;
  /**
   * False when the server accepted the refresh but its answer said nothing of what
   * changed: the counts are then null and the lists empty for that reason, not
   * because nothing changed.
   */
  detailsReported: boolean;
  toolsDiscovered: number | null;
  previousToolCount: number | null;
  unchanged: number | null;
  newTools: string[];
  removedTools: string[];
  /** RFC 3339 UTC. */
  cachedAt: string | null;
  expiresAt: string | null;
  ttlSeconds: number | null;
  message: string | null;
  warnings: string[];
  /**
   * How many tools the safety review flagged among the new and changed ones; `null`
   * when the definitions could not be compared, so nothing was reviewed.
   */
  needsReview: number | null;
  /** What the safety review found (at most 200), each reason in the widget's language. */
  reviewFlags: ReviewFlag[];
}

/** Detail of `connector-refresh:error`. */
export interface ErrorDetail {
  configurationId: string | null;
  /** e.g. 'unauthorized', 'rate-limited', 'timeout', 'network', 'server', 'options'. */
  kind: string;
  status: number | null;
  message: string;
  code: string | null;
  requestId: string | null;
}

/** Totals of a bulk refresh (also in its JSON download). */
export interface BatchTotals {
  /** Configurations chosen. */
  total: number;
  /** Refreshed or failed: the ones that had their turn. */
  attempted: number;
  /** Refreshed successfully (with or without reported changes). */
  refreshed: number;
  withNewTools: number;
  withBreakingChanges: number;
  /** Refreshed, but the server did not say what changed. */
  unreported: number;
  failed: number;
  /** In flight when the batch was cancelled or stopped, and aborted. */
  cancelled: number;
  /** Not started: still cooling down or rate limited. */
  skipped: number;
  /** Never started: the batch was cancelled or stopped first. */
  notStarted: number;
}

/**
 * Detail of `connector-refresh:batch-finished`: fired once when a bulk refresh (the
 * widget without a fixed `configurationId`) is over: finished, cancelled or stopped
 * by a 401. Each of its refreshes fired `connector-refresh:refreshed` (or `:error`)
 * on its own before.
 */
export interface BatchFinishedDetail {
  totals: BatchTotals;
  /** e.g. "23 refreshed: 4 with new tools, 2 with breaking changes, 1 failed". */
  summary: string;
  stopped: 'cancelled' | 'signed-out' | null;
  /** One per configuration, breaking changes first. */
  configurations: Array<{
    configurationId: string;
    outcome: 'breaking' | 'failed' | 'changed' | 'unreported' | 'unchanged' | 'cancelled' | 'skipped' | 'not-started' | 'pending';
    /** The headline, when it refreshed. */
    headline: string | null;
    /** The error in words, when it failed. */
    error: string | null;
  }>;
}

/** Detail of `connector-refresh:signed-out`. */
export interface SignedOutDetail {
  reason: string | null;
}

/** The `<connector-refresh>` element (attributes `base-url`, `configuration-id`, `auth-header`, `organization-id`, `cooldown-seconds`, `timeout-seconds`, `locale`, `theme`). */
export declare class ConnectorRefreshElement extends HTMLElement {
  token: string | undefined;
  getToken: (() => string | Promise<string>) | undefined;
  /** The baseline a `connector-refresh:reviewed` event handed over, as kept by the portal. */
  reviewedBaseline: ReviewedBaseline | undefined;
  refresh(): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'connector-refresh': ConnectorRefreshElement;
  }
  interface HTMLElementEventMap {
    'connector-refresh:refreshed': CustomEvent<RefreshedDetail>;
    'connector-refresh:reviewed': CustomEvent<ReviewedBaseline>;
    'connector-refresh:error': CustomEvent<ErrorDetail>;
    'connector-refresh:signed-out': CustomEvent<SignedOutDetail>;
    'connector-refresh:batch-finished': CustomEvent<BatchFinishedDetail>;
  }
}
