import { useEffect, useRef, useState } from 'react';
import '@aitronos/connector-refresh';
import type { ConnectorRefreshElement, RefreshedDetail } from '@aitronos/connector-refresh';
import { API } from './api';

/**
 * The widget inside a React page: the portal's token as a property, its
 * `connector-refresh:refreshed` events into React state through a ref. Leaving the
 * route unmounts the page, which removes the element, which unmounts the widget.
 */
export function ConnectorsPage({ token }: { token: string }) {
  const ref = useRef<ConnectorRefreshElement>(null);
  const [refreshes, setRefreshes] = useState<RefreshedDetail[]>([]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onRefreshed = (e: CustomEvent<RefreshedDetail>) => setRefreshes((list) => [...list, e.detail]);
    el.addEventListener('connector-refresh:refreshed', onRefreshed);
    return () => el.removeEventListener('connector-refresh:refreshed', onRefreshed);
  }, []);

  return (
    <section aria-labelledby="connectors-heading">
      <h1 id="connectors-heading">Connectors</h1>
      <p>Refresh a connector's tools after its MCP server was deployed.</p>
      <section aria-labelledby="refreshes-heading">
        <h2 id="refreshes-heading">Refreshes this visit</h2>
        {refreshes.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <ul aria-label="Refreshes this visit">
            {refreshes.map((r, i) => (
              <li key={i}>
                {r.configurationId}: {r.headline}
                {r.newTools.length > 0 && ` (new: ${r.newTools.join(', ')})`}
              </li>
            ))}
          </ul>
        )}
      </section>
      <connector-refresh ref={ref} base-url={API} token={token} cooldown-seconds={0} />
    </section>
  );
}
