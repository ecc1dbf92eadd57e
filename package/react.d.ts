// <connector-refresh> in React's JSX (React 19, `jsx: "react-jsx"`). Type-only: bring it
// in once, e.g. in `src/vite-env.d.ts` or beside the component that renders the element:
//
//   import type {} from '@aitronos/connector-refresh/react';
//
// (A separate entry so that a project without React's types can use the package.)
// React 19 sets a prop as a property when the element has one (`token`, `getToken`)
// and as an attribute otherwise; listen to the widget's events through a ref
// (`ref.current.addEventListener('connector-refresh:refreshed', …)`).
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { AuthHeader, ConnectorRefreshElement, Theme } from './embed.js';

/** The attributes and properties of `<connector-refresh>` in JSX. */
export interface ConnectorRefreshProps
  extends DetailedHTMLProps<HTMLAttributes<ConnectorRefreshElement>, ConnectorRefreshElement> {
  /** API base URL; default: the page's origin. */
  'base-url'?: string;
  /** Fixes the configuration and hides the picker. */
  'configuration-id'?: string;
  /** Default `'bearer'`. */
  'auth-header'?: AuthHeader;
  /** Sent as `?organization_id=`. */
  'organization-id'?: string;
  /** 0–3600 (default 30). */
  'cooldown-seconds'?: number | string;
  /** 1–600 (default 30). */
  'timeout-seconds'?: number | string;
  /** BCP 47 locale of the reader. */
  locale?: string;
  theme?: Theme;
  /** The token (set as the element's `token` property). */
  token?: string;
  /** Called before each request (set as the element's `getToken` property). */
  getToken?: () => string | Promise<string>;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'connector-refresh': ConnectorRefreshProps;
    }
  }
}
