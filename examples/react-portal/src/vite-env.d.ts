/// <reference types="vite/client" />
// <connector-refresh> in JSX: the package's type-only React entry.
import type {} from '@aitronos/connector-refresh/react';

declare global {
  interface ImportMetaEnv {
    /** The Freddy API the portal signs in to and the widget talks to. */
    readonly VITE_CONNECTOR_API?: string;
  }
}
