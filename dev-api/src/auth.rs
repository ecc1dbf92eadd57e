//! API-key check for every `/v1/*` route: `Authorization: Bearer <key>` or
//! `X-API-Key: <key>` (the key, or an access token from email sign-in); anything else
//! is a 401 in the global error shape.

use crate::errors;
use crate::login::{self, Access, Logins};
use crate::state::SharedState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use std::sync::Arc;

/// The keys the request presented: the Bearer token and/or the `X-API-Key` value.
fn presented_keys(headers: &HeaderMap) -> Vec<&str> {
    let mut keys = Vec::new();
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let v = v.trim();
        if v.len() > 7
            && v.get(..7)
                .is_some_and(|p| p.eq_ignore_ascii_case("bearer "))
        {
            keys.extend(v.get(7..).map(str::trim));
        }
    }
    keys.extend(
        headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim),
    );
    keys
}

/// Middleware: lets the request through only if one of the two headers carries the key
/// or a live access token from email sign-in (`login.rs`); an expired access token gets
/// 401 `TOKEN_EXPIRED`.
pub async fn require_api_key(
    State(state): State<SharedState>,
    req: Request,
    next: Next,
) -> Response {
    let keys = presented_keys(req.headers());
    let access = req
        .extensions()
        .get::<Arc<Logins>>()
        .map_or(Access::Unknown, |l| l.check(&keys));
    if keys.contains(&state.cfg.api_key.as_str()) || access == Access::Valid {
        next.run(req).await
    } else if access == Access::Expired {
        login::token_expired()
    } else if keys.is_empty() {
        errors::invalid_api_key("no api key: send Authorization: Bearer <key> or X-API-Key: <key>")
    } else {
        errors::invalid_api_key("api key not found")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_headers() {
        let mut h = HeaderMap::new();
        assert!(presented_keys(&h).is_empty());
        h.insert("x-api-key", "k1".parse().unwrap());
        assert_eq!(presented_keys(&h), vec!["k1"]);
        h.insert(header::AUTHORIZATION, "bearer k2".parse().unwrap());
        assert_eq!(presented_keys(&h), vec!["k2", "k1"]);
        h.insert(header::AUTHORIZATION, "Basic abc".parse().unwrap());
        assert_eq!(presented_keys(&h), vec!["k1"]);
    }
}
