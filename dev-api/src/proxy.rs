//! Upstream mode (`--upstream URL`): `/v1/*` becomes a same-origin reverse proxy. Method,
//! path, query, body and headers go through unchanged except hop-by-hop headers and
//! `Host`; the upstream's status, headers (minus hop-by-hop) and body come back. A
//! failure to reach the upstream is a 502 in the global error shape.

use crate::errors;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use std::sync::Arc;
use std::time::Duration;

/// Largest request body forwarded.
const MAX_BODY: usize = 32 * 1024 * 1024;

/// Connection-level headers that must not be forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

/// The upstream base URL and the HTTP client used to reach it.
#[derive(Debug)]
pub struct Upstream {
    base: String,
    client: reqwest::Client,
}

impl Upstream {
    /// A proxy to `base` (no trailing slash). Redirects are passed through, not followed.
    pub fn new(base: &str) -> Result<Self, String> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Upstream {
            base: base.trim_end_matches('/').to_owned(),
            client,
        })
    }
}

/// `/v1` and `/v1/*`, any method, forwarded to the upstream.
pub fn router<S: Clone + Send + Sync + 'static>(upstream: Arc<Upstream>) -> Router<S> {
    Router::new()
        .route("/v1", any(forward))
        .route("/v1/{*rest}", any(forward))
        .with_state(upstream)
}

/// Removes hop-by-hop headers, including any named in `Connection`.
fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let named: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in named {
        headers.remove(name);
    }
    for name in HOP_BY_HOP {
        headers.remove(*name);
    }
}

fn upstream_failed(base: &str, why: &str) -> Response {
    errors::global(
        StatusCode::BAD_GATEWAY,
        "UPSTREAM_UNAVAILABLE",
        "server_error",
        &format!("The upstream API at {base} could not be reached."),
        why,
    )
}

async fn forward(State(up): State<Arc<Upstream>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let url = format!("{}{}", up.base, path_and_query);
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(e) => {
            return errors::global(
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "invalid_request_error",
                "The request body could not be read or is too large to proxy.",
                &e.to_string(),
            )
        }
    };
    let mut headers = parts.headers;
    strip_hop_by_hop(&mut headers);
    headers.remove(header::HOST);
    headers.remove(header::CONTENT_LENGTH);
    let sent = up
        .client
        .request(parts.method, &url)
        .headers(headers)
        .body(bytes)
        .send()
        .await;
    let upstream = match sent {
        Ok(r) => r,
        Err(e) => return upstream_failed(&up.base, &e.to_string()),
    };
    let status = upstream.status();
    let mut resp_headers = upstream.headers().clone();
    let body = match upstream.bytes().await {
        Ok(b) => b,
        Err(e) => return upstream_failed(&up.base, &format!("reading the body failed: {e}")),
    };
    strip_hop_by_hop(&mut resp_headers);
    let mut resp = (status, Body::from(body)).into_response();
    *resp.headers_mut() = resp_headers;
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_hop_by_hop() {
        let mut h = HeaderMap::new();
        h.insert("connection", "close, x-secret".parse().unwrap());
        h.insert("x-secret", "1".parse().unwrap());
        h.insert("transfer-encoding", "chunked".parse().unwrap());
        h.insert("authorization", "Bearer k".parse().unwrap());
        strip_hop_by_hop(&mut h);
        assert_eq!(h.len(), 1);
        assert!(h.contains_key("authorization"));
    }
}
