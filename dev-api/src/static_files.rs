//! The built app (`--dist`) at `/` and `--examples` under `/examples/`: precompressed
//! `.br`/`.gz` siblings, SPA fallback to `index.html` for routes (503 hint when the app
//! is not built), a plain 404 for missing files, content types for `.wasm`/`.js`, cache
//! headers, and the optional CSP header.

use axum::extract::{Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode, Uri};
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
    let index = Arc::new(dist.join("index.html"));
    let fallback = (move |uri: Uri| route_or_missing(index.clone(), uri)).into_service();
    let app = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(fallback);
    let mut router = Router::new();
    if examples.is_dir() {
        // The examples are plain pages, not an app with routes: whatever is missing there
        // is a missing file.
        router = router.nest_service(
            "/examples",
            ServeDir::new(examples)
                .precompressed_br()
                .precompressed_gzip()
                .fallback((|| async { not_found() }).into_service()),
        );
    }
    let settings = Arc::new(StaticSettings { csp });
    router
        .fallback_service(app)
        .layer(middleware::from_fn_with_state(settings, static_headers))
}

/// For a path the dist does not have: a plain 404 if it names a file (so `/robots.txt`
/// or a lost `/app-….js` is not answered with HTML), else `index.html` (a route of the
/// app, e.g. a deep link).
async fn route_or_missing(index: Arc<PathBuf>, uri: Uri) -> Response {
    if has_extension(uri.path()) {
        not_found()
    } else {
        serve_index(&index).await
    }
}

/// Whether the last segment of a (raw, undecoded) path ends in a file extension: `.`
/// followed by 1 to 8 ASCII letters or digits, e.g. `robots.txt`, `favicon.ico`,
/// `a/b.wasm`, `.env`. The app's routes never match: its links percent-encode every `.`
/// of an id (`%2E`), and `/`, `/configurations/pconf_abc123` have no dot at all.
pub fn has_extension(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        (1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric())
    })
}

/// The answer for a file that is not there.
fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        "not found\n",
    )
        .into_response()
}

/// `index.html` (the SPA fallback), or 503 with a hint when the app is not built.
async fn serve_index(index: &Path) -> Response {
    let mut resp = match tokio::fs::read(index).await {
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
/// `app-1a2b3c4d5e6f7a8b_bg.wasm`), or it lies in a folder named so, or named by the
/// hash alone (`connector-refresh-1a2b3c4d5e6f7a8b_bg.wasm.parts/split_page.wasm`,
/// where the build puts the wasm's parts). Trunk prints the 64-bit hash without leading zeros, so it is
/// sometimes shorter than 16.
pub fn is_hashed(path: &str) -> bool {
    let mut segments = path.rsplit('/');
    let name = segments.next().unwrap_or("");
    hash_ends(name, |after| matches!(after, Some(b'.') | Some(b'_')))
        || segments.any(|folder| {
            hash_ends(folder, |after| {
                matches!(after, None | Some(b'.') | Some(b'_'))
            })
        })
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
    fn extensions() {
        for path in [
            "/robots.txt",
            "/favicon.ico",
            "/x.js",
            "/a/b.wasm",
            "/.env",
            "/x.tar.gz",
            "/app.12345678",
        ] {
            assert!(has_extension(path), "{path}");
        }
        for path in [
            "/",
            "",
            "/configurations/pconf_abc123",
            "/anything/else",
            "/configurations/pconf_v1%2Ejson",
            "/configurations/pconf_weird%2F%3F%23..%20%C3%BC",
            "/dir.d/",
            "/trailing.",
            "/app.123456789",
            "/a.b-c",
        ] {
            assert!(!has_extension(path), "{path}");
        }
    }

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
        assert!(is_hashed(
            "/connector-refresh-1a2b3c4d5e6f7a8b_bg.wasm.parts/parts.js"
        ));
        assert!(!is_hashed("/i18n/de.json"));
        assert!(!is_hashed("/parts-1a2b3c4/parts.js"), "too short a hash");
        assert!(!is_hashed("/x-1a2b3c4d5e6f7a8bz/parts.js"), "not a hash");
    }
}
