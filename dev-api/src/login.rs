//! Email sign-in, as the Freddy API documents it ("Email sign-in" in the API reference):
//! `POST /v1/auth/login` mails (here: prints) a 4-digit code valid 5 minutes,
//! `POST /v1/auth/verify` trades it for an access token and a refresh token,
//! `POST /v1/auth/refresh` renews (the refresh token rotates: an old one is refused),
//! `POST /v1/auth/logout` ends the session. Five wrong codes lock that login (429).
//!
//! Access tokens expire after `--token-ttl-seconds`; every `/v1/*` route accepts a live
//! one as it accepts the API key ([`Logins::check`], used by `auth.rs`), and an expired
//! one gets 401 `TOKEN_EXPIRED`.
//!
//! For tests, under `/__dev/` (no auth): `GET last-code` (the code just printed),
//! `POST auth/expire-tokens` (every access token now expired: the next call gets 401
//! `TOKEN_EXPIRED`), `POST auth/expire-codes`, `POST auth/revoke` (every token refused,
//! so renewal fails) and `GET auth` (how many logins, verifies, refreshes, logouts).

use crate::errors;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The demo user's email address (also printed at start).
pub const DEMO_EMAIL: &str = "demo@example.com";
/// The demo user's username (signs in like the email).
pub const DEMO_USERNAME: &str = "demo";
/// The demo user's password (also printed at start).
pub const DEMO_PASSWORD: &str = "connector-demo-password";
/// How long a code is valid.
pub const CODE_TTL: Duration = Duration::from_secs(300);
/// Wrong codes that lock a login.
pub const MAX_WRONG_CODES: u32 = 5;

/// One login waiting for its code.
#[derive(Debug)]
struct Pending {
    code: u16,
    expires: Instant,
    wrong: u32,
}

#[derive(Debug, Default)]
struct Inner {
    pending: HashMap<String, Pending>,
    /// `(email, code, email_key, expires)` of the last code sent.
    last_code: Option<(String, u16, String, chrono::DateTime<chrono::Utc>)>,
    /// Access token → when it expires (real clock).
    access: HashMap<String, Instant>,
    /// Refresh tokens that may still be used (each once).
    refresh: HashMap<String, ()>,
    counts: Counts,
}

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    logins: u64,
    verifies: u64,
    refreshes: u64,
    logouts: u64,
}

/// What a presented token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A live access token.
    Valid,
    /// An access token that has expired.
    Expired,
    /// Not an access token we know (or revoked).
    Unknown,
}

/// The sign-in state of one server.
#[derive(Debug)]
pub struct Logins {
    ttl: Duration,
    inner: Mutex<Inner>,
    random: RandomState,
}

impl Logins {
    /// Access tokens live `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Logins {
            ttl,
            inner: Mutex::new(Inner::default()),
            random: RandomState::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn random(&self, salt: u64) -> u64 {
        let mut h = self.random.build_hasher();
        h.write_u64(salt);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        h.finish()
    }

    fn token(&self, prefix: &str, n: u64) -> String {
        format!(
            "{prefix}{:016x}{:016x}",
            self.random(n),
            self.random(n ^ 0x5a5a)
        )
    }

    /// The best answer among the presented tokens.
    pub fn check(&self, tokens: &[&str]) -> Access {
        let inner = self.lock();
        let now = Instant::now();
        let mut best = Access::Unknown;
        for t in tokens {
            match inner.access.get(*t) {
                Some(exp) if *exp > now => return Access::Valid,
                Some(_) => best = Access::Expired,
                None => {}
            }
        }
        best
    }

    fn issue(&self, inner: &mut Inner) -> Value {
        let n = inner.access.len() as u64 + inner.counts.refreshes + inner.counts.verifies;
        let access = self.token("at_dev_", n);
        let refresh = self.token("rt_dev_", n.wrapping_add(7));
        inner
            .access
            .insert(access.clone(), Instant::now() + self.ttl);
        inner.refresh.insert(refresh.clone(), ());
        json!({
            "access_token": access,
            "refresh_token": refresh,
            "token_type": "bearer",
            "expires_in": self.ttl.as_secs(),
            "device_id": "dev_local",
            "user": {"id": "user_xyz789", "email": DEMO_EMAIL, "name": "Demo User"},
        })
    }
}

/// `/v1/auth/*` (no API key needed) and the `/__dev/` helpers above.
pub fn router<S: Clone + Send + Sync + 'static>(logins: Arc<Logins>) -> Router<S> {
    Router::new()
        .route("/v1/auth/login", post(login))
        .route("/v1/auth/verify", post(verify))
        .route("/v1/auth/refresh", post(refresh))
        .route("/v1/auth/logout", post(logout))
        .route("/__dev/last-code", get(last_code))
        .route("/__dev/auth", get(counts))
        .route("/__dev/auth/expire-tokens", post(expire_tokens))
        .route("/__dev/auth/expire-codes", post(expire_codes))
        .route("/__dev/auth/revoke", post(revoke))
        .with_state(logins)
}

/// 401 `TOKEN_EXPIRED` in the global shape.
pub fn token_expired() -> Response {
    errors::global(
        StatusCode::UNAUTHORIZED,
        "TOKEN_EXPIRED",
        "authentication_error",
        "The access token has expired.",
        "access token expired: renew it with POST /v1/auth/refresh",
    )
}

fn body(bytes: &Bytes) -> Option<serde_json::Map<String, Value>> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

fn text<'a>(m: &'a serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| m.get(*k).and_then(Value::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

fn missing(field: &str) -> Response {
    errors::validation(&["body", field], "Field required", "missing")
}

fn bad(status: StatusCode, code: &str, message: &str) -> Response {
    errors::global(status, code, "authentication_error", message, message)
}

/// `d***@example.com`.
fn masked(email: &str) -> String {
    let (name, domain) = email.split_once('@').unwrap_or((email, ""));
    let first: String = name.chars().take(1).collect();
    format!("{first}***@{domain}")
}

/// `POST /v1/auth/login {"email_or_username","password"}`.
async fn login(State(logins): State<Arc<Logins>>, bytes: Bytes) -> Response {
    let Some(m) = body(&bytes) else {
        return missing("email_or_username");
    };
    let Some(who) = text(&m, &["email_or_username", "email", "username"]) else {
        return missing("email_or_username");
    };
    let Some(password) = m.get("password").and_then(Value::as_str) else {
        return missing("password");
    };
    let known = who.eq_ignore_ascii_case(DEMO_EMAIL) || who.eq_ignore_ascii_case(DEMO_USERNAME);
    if !known || password != DEMO_PASSWORD {
        return bad(
            StatusCode::UNAUTHORIZED,
            "INVALID_CREDENTIALS",
            "Invalid email/username or password.",
        );
    }
    let mut inner = logins.lock();
    inner.counts.logins += 1;
    let n = inner.counts.logins;
    let code = 1000 + (logins.random(n) % 9000) as u16;
    let email_key = format!("ek_{:012x}", logins.random(n ^ 0xabc) & 0xffff_ffff_ffff);
    let expires = Instant::now() + CODE_TTL;
    inner.pending.insert(
        email_key.clone(),
        Pending {
            code,
            expires,
            wrong: 0,
        },
    );
    let at = crate::clock::now() + chrono::Duration::seconds(CODE_TTL.as_secs() as i64);
    inner.last_code = Some((DEMO_EMAIL.to_owned(), code, email_key.clone(), at));
    drop(inner);
    println!("dev-api: sign-in code for {DEMO_EMAIL}: {code} (valid 5 minutes; also at GET /__dev/last-code)");
    Json(json!({
        "success": true,
        "message": "Verification code sent.",
        "email_key": email_key,
        "email": masked(DEMO_EMAIL),
        "requires_verification": true,
        "next_step": "verify",
    }))
    .into_response()
}

/// The code as a number or a string of digits.
fn code_of(v: Option<&Value>) -> Option<u16> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `POST /v1/auth/verify {"email_key","verification_code"}`.
async fn verify(State(logins): State<Arc<Logins>>, bytes: Bytes) -> Response {
    let Some(m) = body(&bytes) else {
        return missing("email_key");
    };
    let Some(key) = text(&m, &["email_key"]) else {
        return missing("email_key");
    };
    let Some(code) = code_of(m.get("verification_code").or_else(|| m.get("code"))) else {
        return missing("verification_code");
    };
    let mut inner = logins.lock();
    let Some(p) = inner.pending.get_mut(key) else {
        return bad(
            StatusCode::BAD_REQUEST,
            "INVALID_EMAIL_KEY",
            "This sign-in is unknown or finished. Sign in again.",
        );
    };
    if p.wrong >= MAX_WRONG_CODES {
        return too_many();
    }
    if p.expires <= Instant::now() {
        return bad(
            StatusCode::BAD_REQUEST,
            "VERIFICATION_CODE_EXPIRED",
            "The verification code has expired. Request a new code.",
        );
    }
    if p.code != code {
        p.wrong += 1;
        if p.wrong >= MAX_WRONG_CODES {
            return too_many();
        }
        let left = MAX_WRONG_CODES - p.wrong;
        return bad(
            StatusCode::BAD_REQUEST,
            "INVALID_VERIFICATION_CODE",
            &format!("The verification code is incorrect. {left} attempts left."),
        );
    }
    inner.pending.remove(key);
    inner.counts.verifies += 1;
    let answer = logins.issue(&mut inner);
    Json(answer).into_response()
}

fn too_many() -> Response {
    bad(
        StatusCode::TOO_MANY_REQUESTS,
        "TOO_MANY_ATTEMPTS",
        "Too many wrong codes: this sign-in is locked. Sign in again to get a new code.",
    )
}

/// `POST /v1/auth/refresh {"refresh_token"}`: a new pair; the old refresh token is spent.
async fn refresh(State(logins): State<Arc<Logins>>, bytes: Bytes) -> Response {
    let Some(m) = body(&bytes) else {
        return missing("refresh_token");
    };
    let Some(token) = text(&m, &["refresh_token", "refreshToken"]) else {
        return missing("refresh_token");
    };
    let mut inner = logins.lock();
    if inner.refresh.remove(token).is_none() {
        return bad(
            StatusCode::UNAUTHORIZED,
            "INVALID_REFRESH_TOKEN",
            "The refresh token is invalid, expired or already used. Sign in again.",
        );
    }
    inner.counts.refreshes += 1;
    let answer = logins.issue(&mut inner);
    Json(answer).into_response()
}

/// `POST /v1/auth/logout [{"refresh_token"}]`: forgets the refresh token in the body
/// and the access token in `Authorization: Bearer`. Always 200.
async fn logout(State(logins): State<Arc<Logins>>, headers: HeaderMap, bytes: Bytes) -> Response {
    let mut inner = logins.lock();
    inner.counts.logouts += 1;
    if let Some(t) = body(&bytes)
        .as_ref()
        .and_then(|m| text(m, &["refresh_token", "refreshToken"]))
    {
        inner.refresh.remove(t);
    }
    if let Some(t) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.get(7..))
    {
        inner.access.remove(t.trim());
    }
    Json(json!({"success": true, "message": "Signed out."})).into_response()
}

/// `GET /__dev/last-code`.
async fn last_code(State(logins): State<Arc<Logins>>) -> Response {
    match &logins.lock().last_code {
        Some((email, code, key, at)) => Json(json!({
            "email": email,
            "code": code.to_string(),
            "emailKey": key,
            "expiresAt": crate::clock::rfc3339(*at),
        }))
        .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"type": "not_found_error", "message": "no code sent yet", "code": "no_code"}})),
        )
            .into_response(),
    }
}

/// `GET /__dev/auth`: counters.
async fn counts(State(logins): State<Arc<Logins>>) -> Response {
    let c = logins.lock().counts;
    Json(json!({"logins": c.logins, "verifies": c.verifies, "refreshes": c.refreshes, "logouts": c.logouts}))
        .into_response()
}

/// `POST /__dev/auth/expire-tokens`: every access token expires now.
async fn expire_tokens(State(logins): State<Arc<Logins>>) -> Response {
    let mut inner = logins.lock();
    let past = Instant::now();
    let n = inner.access.len();
    for exp in inner.access.values_mut() {
        *exp = past;
    }
    Json(json!({"expired": n})).into_response()
}

/// `POST /__dev/auth/expire-codes`: every pending code expires now.
async fn expire_codes(State(logins): State<Arc<Logins>>) -> Response {
    let mut inner = logins.lock();
    let past = Instant::now();
    for p in inner.pending.values_mut() {
        p.expires = past;
    }
    Json(json!({"expired": inner.pending.len()})).into_response()
}

/// `POST /__dev/auth/revoke`: every access token expires and every refresh token is
/// refused, so the next renewal fails.
async fn revoke(State(logins): State<Arc<Logins>>) -> Response {
    let mut inner = logins.lock();
    let past = Instant::now();
    for exp in inner.access.values_mut() {
        *exp = past;
    }
    inner.refresh.clear();
    Json(json!({"revoked": true})).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masking_and_codes() {
        assert_eq!(masked("demo@example.com"), "d***@example.com");
        assert_eq!(code_of(Some(&json!(1234))), Some(1234));
        assert_eq!(code_of(Some(&json!(" 0042 "))), Some(42));
        assert_eq!(code_of(Some(&json!(true))), None);
        assert_eq!(code_of(None), None);
    }

    #[test]
    fn tokens_expire() {
        let l = Logins::new(Duration::from_secs(60));
        let mut inner = l.lock();
        let v = l.issue(&mut inner);
        drop(inner);
        let at = v["access_token"].as_str().unwrap_or_default().to_owned();
        assert_eq!(l.check(&[&at]), Access::Valid);
        assert_eq!(l.check(&["nope"]), Access::Unknown);
        l.lock().access.insert(at.clone(), Instant::now());
        assert_eq!(l.check(&[&at]), Access::Expired);
    }
}
