import { useState, type FormEvent } from 'react';
import { logIn, verify } from './api';

/** The portal's sign-in: email and password, then the mailed code. */
export function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [emailKey, setEmailKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>, step: (form: FormData) => Promise<void>) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await step(new FormData(e.currentTarget));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const text = (form: FormData, name: string) => String(form.get(name) ?? '');
  return (
    <section aria-labelledby="portal-sign-in">
      <h1 id="portal-sign-in">Sign in to the portal</h1>
      {emailKey === null ? (
        <form onSubmit={(e) => submit(e, async (f) => setEmailKey(await logIn(text(f, 'email'), text(f, 'password'))))}>
          <label>Email <input name="email" type="text" autoComplete="username" required /></label>
          <label>Password <input name="password" type="password" autoComplete="current-password" required /></label>
          <button type="submit" disabled={busy}>Continue</button>
        </form>
      ) : (
        <form onSubmit={(e) => submit(e, async (f) => onSignedIn(await verify(emailKey, text(f, 'code'))))}>
          <label>Code from the email <input name="code" inputMode="numeric" autoComplete="one-time-code" required /></label>
          <button type="submit" disabled={busy}>Sign in</button>
        </form>
      )}
      {error && <p role="alert">{error}</p>}
    </section>
  );
}
