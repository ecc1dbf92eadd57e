//! Cross-cutting HTTP layers: the `x-request-id: req_<n>` and `Date` headers on every
//! response and the optional CORS layer (`--cors-origin`).

use crate::clock;
use crate::state::SharedState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Adds `x-request-id: req_<n>` unless the response already has one (a proxied upstream's).
pub async fn request_id(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let n = state.next_request_id();
    let mut resp = next.run(req).await;
    if !resp.headers().contains_key("x-request-id") {
        if let Ok(v) = HeaderValue::from_str(&format!("req_{n}")) {
            resp.headers_mut().insert("x-request-id", v);
        }
    }
    resp
}

/// Sets `Date` from the dev server's clock (shifted by `--clock-offset-seconds`), so
/// hyper's own, system-time `Date` is not sent and the app can tell how far the server's
/// clock is from the browser's. A proxied upstream's `Date` is kept: that server's clock
/// is the one its answers' times come from.
pub async fn date(req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    if !resp.headers().contains_key(header::DATE) {
        if let Ok(v) = HeaderValue::from_str(&clock::http_date(clock::now())) {
            resp.headers_mut().insert(header::DATE, v);
        }
    }
    resp
}

/// The CORS layer for these origins (`*` anywhere = any origin); `Ok(None)` when the list
/// is empty, so no CORS headers are sent at all.
pub fn cors(origins: &[String]) -> Result<Option<CorsLayer>, String> {
    if origins.is_empty() {
        return Ok(None);
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        let values = origins
            .iter()
            .map(|o| {
                HeaderValue::from_str(o).map_err(|_| format!("--cors-origin: invalid origin {o:?}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        AllowOrigin::list(values)
    };
    let layer = CorsLayer::new()
        .allow_origin(allow)
        .allow_methods([Method::GET, Method::POST, Method::DELETE, Method::OPTIONS])
        .allow_headers([
            header::AUTHORIZATION,
            HeaderName::from_static("x-api-key"),
            header::CONTENT_TYPE,
            HeaderName::from_static("x-dev-fault"),
        ])
        .expose_headers([
            HeaderName::from_static("x-request-id"),
            // Not CORS-safelisted; the app reads it to learn the server's clock.
            header::DATE,
            header::RETRY_AFTER,
            HeaderName::from_static("x-ratelimit-limit"),
            HeaderName::from_static("x-ratelimit-remaining"),
            HeaderName::from_static("x-ratelimit-reset"),
        ])
        .max_age(std::time::Duration::from_secs(600));
    Ok(Some(layer))
}
