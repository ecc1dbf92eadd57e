//! The built app (`--dist`) at `/` and `--examples` under `/examples/`: precompressed
//! `.br`/`.gz` siblings, SPA fallback to `index.html` (503 hint when the app is not
//! built), content types for `.wasm`/`.js`, cache headers, and the optional CSP header.

use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_http::services::ServeDir;

/// `Cache-Control` of Trunk-hashed assets.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Marks a response produced by the SPA fallback (so extension-based rules skip it).
#[derive(Debug, Clone, Copy)]
struct SpaFallback;

#[derive(Debug)]
struct StaticSettings {
    csp: Option<HeaderValue>,
}

/// Routes for the static side: `/examples/*` (if the directory exists) and everything
/// else as the fallback.
pub fn router<S: Clone + Send + Sync + 'static>(
    dist: &Path,
    examples: &Path,
    csp: Option<HeaderValue>,
) -> Router<S> {
    let index = dist.join("index.html");
    let fallback = (move || serve_index(index.clone())).into_service();
    let app = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback);
    let mut router = Router::new();
    if examples.is_dir() {
        router = router.nest_service(
            "/examples",
            ServeDir::new(examples)
                .precompressed_br()
                .precompressed_gzip(),
        );
    }
    let settings = Arc::new(StaticSettings { csp });
    router
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(settings, static_headers))
}

/// `index.html` for any path the directory does not have (SPA deep links).
async fn serve_index(index: PathBuf) -> Response {
    let mut resp = match tokio::fs::read(&index).await {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            bytes,
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            "app not built: run ./run.sh\n",
        )
            .into_response(),
    };
    resp.extensions_mut().insert(SpaFallback);
    resp
}

/// Whether a path is named by a build's content hash: its file name carries Trunk's
/// hash, `-` + 8 to 16 hex digits followed by `.` or `_` (`app-1a2b3c4d5e6f7a8b.js`,
/// `app-1a2b3c4d5e6f7a8b_bg.wasm`), or it lies in a folder named so
/// (`connector-refresh-1a2b3c4d5e6f7a8b/split_page.wasm`, where the build puts the
/// wasm's parts). Trunk prints the 64-bit hash without leading zeros, so it is
/// sometimes shorter than 16.
pub fn is_hashed(path: &str) -> bool {
    let mut segments = path.rsplit('/');
    let name = segments.next().unwrap_or("");
    hash_ends(name, |after| matches!(after, Some(b'.') | Some(b'_')))
        || segments.any(|folder| hash_ends(folder, |after| after.is_none()))
}

/// Whether `name` has `-` + 8 to 16 hex digits followed by what `ends` accepts.
fn hash_ends(name: &str, ends: impl Fn(Option<&u8>) -> bool) -> bool {
    let bytes = name.as_bytes();
    name.match_indices('-').any(|(i, _)| {
        let digits = bytes.get(i + 1..).map_or(0, |rest| {
            rest.iter().take_while(|b| b.is_ascii_hexdigit()).count()
        });
        (8..=16).contains(&digits) && ends(bytes.get(i + 1 + digits))
    })
}

/// The content type forced for an extension (independent of the system MIME table).
fn forced_content_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit('.').next()?;
    match ext {
        "wasm" => Some("application/wasm"),
        "js" | "mjs" => Some("text/javascript"),
        _ => None,
    }
}

async fn static_headers(
    State(settings): State<Arc<StaticSettings>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    let mut resp = next.run(req).await;
    let from_fallback = resp.extensions().get::<SpaFallback>().is_some();
    let status = resp.status();
    let h = resp.headers_mut();
    if !from_fallback && (status.is_success() || status == StatusCode::NOT_MODIFIED) {
        if let Some(ct) = forced_content_type(&path) {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
        }
        if !h.contains_key(header::CACHE_CONTROL) {
            let is_html = h
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("text/html"));
            if is_hashed(&path) {
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
            } else if is_html {
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            }
        }
    }
    if let Some(csp) = &settings.csp {
        h.insert(header::CONTENT_SECURITY_POLICY, csp.clone());
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names() {
        assert!(is_hashed("/app-1a2b3c4d5e6f7a8b.js"));
        assert!(is_hashed("/app-1a2b3c4d5e6f7a8b_bg.wasm"));
        assert!(is_hashed("/assets/style-0123456789ABCDEF.css"));
        assert!(!is_hashed("/index.html"));
        assert!(
            is_hashed("/app-1a2b3c4d5e6f7a8.js"),
            "15 digits: a hash with a leading zero dropped"
        );
        assert!(!is_hashed("/app-1a2b3c4.js"));
        assert!(!is_hashed("/app-1a2b3c4d5e6f7a8bc.js"));
        assert!(is_hashed(
            "/connector-refresh-1a2b3c4d5e6f7a8b/split_page.wasm"
        ));
        assert!(is_hashed("/connector-refresh-1a2b3c4d5e6f7a8b/parts.js"));
        assert!(!is_hashed("/i18n/de.json"));
        assert!(
            !is_hashed("/x-1a2b3c4d5e6f7a8b.d/parts.js"),
            "not a hash alone"
        );
    }
}
