import { useState } from 'react';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { ConnectorsPage } from './ConnectorsPage';
import { SignIn } from './SignIn';

/** The portal: its own sign-in, then two pages; the widget lives on one of them. */
export function App() {
  const [token, setToken] = useState<string | null>(null);
  if (!token) {
    return (
      <main className="portal-main">
        <SignIn onSignedIn={setToken} />
      </main>
    );
  }
  return (
    <>
      <header className="portal-header">
        <span className="portal-brand">Acme admin</span>
        <nav aria-label="Portal">
          <NavLink to="/connectors">Connectors</NavLink>
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <button type="button" onClick={() => setToken(null)}>Sign out of the portal</button>
      </header>
      <main className="portal-main">
        <Routes>
          <Route path="/connectors" element={<ConnectorsPage token={token} />} />
          <Route path="/settings" element={<Settings />} />
          <Route path="*" element={<Navigate to="/connectors" replace />} />
        </Routes>
      </main>
    </>
  );
}

function Settings() {
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">Settings</h1>
      <p>The portal's own page: no widget here.</p>
    </section>
  );
}
