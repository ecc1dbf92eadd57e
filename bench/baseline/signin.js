// Benchmark baseline: the behaviour of the app's sign-in form in plain JS. Fills in
// the default base URL, validates like the app (core/session.rs), keeps the session
// in memory (sessionStorage only if "Remember" is ticked), then enables the controls.
const form = document.querySelector('form');
const $ = (id) => document.getElementById(id);
const problem = document.querySelector('.sign-in .error');
let session = null;

$('base-url').value = location.origin;

function wholeIn(text, lo, hi, fallback) {
  const t = text.trim();
  if (t === '') return fallback;
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= lo && n <= hi ? n : null;
}

function validate() {
  const key = $('api-key').value.trim();
  if (key === '') return 'Enter your API key.';
  if (/[\s\p{Cc}]/u.test(key)) return 'The API key contains spaces or invisible characters; paste it again.';
  const base = $('base-url').value.trim() || location.origin;
  const rest = base.toLowerCase().replace(/^https?:\/\//, '');
  if (rest === base.toLowerCase() || rest === '' || rest.startsWith('/') || /\s/.test(base)) {
    return 'The API base URL must start with https:// or http://, e.g. https://api.freddy.aitronos.com';
  }
  const timeout = wholeIn($('timeout').value, 1, 600, 30);
  if (timeout === null) return 'The timeout must be a whole number of seconds from 1 to 600.';
  const cooldown = wholeIn($('cooldown').value, 0, 3600, 30);
  if (cooldown === null) return 'The cooldown must be a whole number of seconds from 0 to 3600.';
  const org = $('org-id').value.trim();
  const auth = form.querySelector('input[name="auth-header"]:checked').value;
  session = { base_url: base.replace(/\/+$/, ''), key, auth, organization_id: org || null, timeout_secs: timeout, cooldown_secs: cooldown };
  return null;
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const err = validate();
  if (err) {
    problem.textContent = err;
    problem.hidden = false;
    return;
  }
  problem.hidden = true;
  $('api-key').value = '';
  sessionStorage.removeItem('connector-refresh.session');
  if ($('remember').checked) sessionStorage.setItem('connector-refresh.session', JSON.stringify(session));
  document.dispatchEvent(new CustomEvent('signed-in', { detail: { origin: session.base_url } }));
});

for (const el of form.querySelectorAll('input, button')) el.disabled = false;
