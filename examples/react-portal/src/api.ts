// The portal's own sign-in against the Freddy API (email, password, then the mailed
// code). The access token it gets is what the portal hands to the widget.

export const API = import.meta.env.VITE_CONNECTOR_API ?? 'http://127.0.0.1:8080';

async function post<T>(path: string, body: unknown): Promise<T> {
  const r = await fetch(`${API}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json: unknown = await r.json().catch(() => null);
  if (!r.ok) {
    const message = (json as { message?: unknown } | null)?.message;
    throw new Error(typeof message === 'string' ? message : `HTTP ${r.status}`);
  }
  return json as T;
}

/** Step 1: email (or username) and password; answers the key for step 2. */
export async function logIn(emailOrUsername: string, password: string): Promise<string> {
  const r = await post<{ email_key: string }>('/v1/auth/login', {
    email_or_username: emailOrUsername,
    password,
  });
  return r.email_key;
}

/** Step 2: the mailed code; answers the access token. */
export async function verify(emailKey: string, code: string): Promise<string> {
  const r = await post<{ access_token?: string; token?: string }>('/v1/auth/verify', {
    email_key: emailKey,
    verification_code: code,
  });
  const token = r.access_token ?? r.token;
  if (!token) throw new Error('the server sent no token');
  return token;
}
