//! The email sign-in calls: `POST /v1/auth/{login,verify,refresh,logout}` with JSON
//! bodies. What the answers mean is decided in `core::signin`.

use gloo_net::http::Method;

use crate::core::error::ApiError;
use crate::core::session::Session;
use crate::core::signin::{self, LoginNext};
use crate::core::token::Grant;

use super::{now, send_raw, Canceller};

/// `POST /v1/auth/login {"email_or_username","password"}`. `session` carries only
/// the base URL and timeout.
pub async fn login(
    session: &Session,
    email_or_username: &str,
    password: &str,
    c: &Canceller,
) -> Result<LoginNext, ApiError> {
    let reply = send_raw(
        Method::POST,
        &session.auth_url("login"),
        None,
        Some(signin::login_body(email_or_username, password)),
        session.timeout(),
        c,
    )
    .await?;
    signin::decode_login(&reply, email_or_username, now())
}

/// `POST /v1/auth/verify {"email_key","verification_code"}`.
pub async fn verify(
    session: &Session,
    email_key: &str,
    code: u16,
    c: &Canceller,
) -> Result<Grant, ApiError> {
    let reply = send_raw(
        Method::POST,
        &session.auth_url("verify"),
        None,
        Some(signin::verify_body(email_key, code)),
        session.timeout(),
        c,
    )
    .await?;
    signin::decode_grant(&reply, now())
}

/// `POST /v1/auth/refresh {"refresh_token"}`: new tokens.
pub async fn renew(session: &Session, refresh_token: &str) -> Result<Grant, ApiError> {
    let reply = send_raw(
        Method::POST,
        &session.auth_url("refresh"),
        None,
        Some(signin::refresh_body(refresh_token)),
        session.timeout(),
        &Canceller::new(),
    )
    .await?;
    signin::decode_grant(&reply, now())
}

/// `POST /v1/auth/logout`, with the access token (if any) as Bearer and the refresh
/// token (if any) in the body. The answer does not matter: signing out locally
/// happens anyway.
pub async fn logout(session: &Session, access: Option<&str>, refresh: Option<&str>) {
    let credential = access
        .filter(|a| !a.is_empty())
        .map(|a| ("Authorization", format!("Bearer {a}")));
    let _ = send_raw(
        Method::POST,
        &session.auth_url("logout"),
        credential,
        Some(refresh.map_or_else(|| "{}".to_owned(), signin::refresh_body)),
        session.timeout(),
        &Canceller::new(),
    )
    .await;
}
