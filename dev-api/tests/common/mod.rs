//! Shared helpers of the integration tests: start a real server on 127.0.0.1:0 with a
//! temporary dist directory, and make (authenticated) requests to it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use dev_api::Config;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub const KEY: &str = "ak_demo_connector_refresh_local_key_000001";
pub const BASE: &str = "/v1/personal-connectors/configurations";
pub const WEIRD_ID: &str = "pconf_weird/?#.. ü";
pub const WEIRD_ID_ENCODED: &str = "pconf_weird%2F%3F%23..%20%C3%BC";

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicU32 = AtomicU32::new(0);
        let p = std::env::temp_dir().join(format!(
            "devapi-test-{}-{}-{tag}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) {
        let p = self.0.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(p, bytes).unwrap();
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub const INDEX_HTML: &str = "<!doctype html><title>connector-refresh</title><div id=app></div>";

/// A dist directory like Trunk's output.
pub fn sample_dist() -> TempDir {
    let d = TempDir::new("dist");
    d.write("index.html", INDEX_HTML.as_bytes());
    d.write("app-0123456789abcdef.js", b"console.log('app');");
    d.write("app-0123456789abcdef_bg.wasm", b"\0asm\x01\0\0\0");
    d.write("app-0123456789abcdef_bg.wasm.br", b"BROTLI-BYTES");
    d.write("style.css", b"body{}");
    d
}

/// A running server.
pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub dist: Option<TempDir>,
}

/// Settings used by the tests: the repository's seed, fast refreshes.
pub fn test_config(dist: &Path) -> Config {
    Config {
        port: 0,
        dist: dist.to_path_buf(),
        examples: dist.join("no-examples-here"),
        seed: Some(PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/seed.json"
        ))),
        refresh_delay: Duration::from_millis(10),
        slow: Duration::from_secs(1),
        // As ./run.sh and the e2e tests: each refresh of a demo configuration moves its
        // bundled MCP server on first, so successive refreshes see successive tool sets.
        demo_advance: true,
        ..Config::default()
    }
}

/// Starts a server with `test_config` adjusted by `adjust`, and a sample dist.
pub async fn start(adjust: impl FnOnce(&mut Config)) -> TestServer {
    let dist = sample_dist();
    let mut cfg = test_config(dist.path());
    adjust(&mut cfg);
    let mut s = start_with(cfg).await;
    s.dist = Some(dist);
    s
}

/// Starts a server with exactly this configuration (port is forced to 0).
pub async fn start_with(cfg: Config) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = dev_api::build_app(cfg).unwrap();
    tokio::spawn(dev_api::serve_app(listener, app, std::future::pending()));
    TestServer {
        base: format!("http://{addr}"),
        client: reqwest::Client::new(),
        dist: None,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Authenticated GET (Bearer).
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
    }

    /// Authenticated POST (Bearer), empty body.
    pub async fn post(&self, path: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(KEY)
            .send()
            .await
            .unwrap()
    }

    /// Authenticated GET, body parsed as JSON (asserting 200).
    pub async fn get_json(&self, path: &str) -> Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "GET {path}");
        json(r).await
    }

    /// POST `/refresh` of a configuration (id already URL-safe), asserting 200.
    pub async fn refresh(&self, id: &str) -> Value {
        let r = self.post(&format!("{BASE}/{id}/refresh")).await;
        assert_eq!(r.status(), 200, "refresh {id}");
        json(r).await
    }

    /// Unauthenticated control call.
    pub async fn control(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Response {
        let mut rb = self.client.request(method, self.url(path));
        if let Some(b) = body {
            rb = rb
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        rb.send().await.unwrap()
    }
}

pub async fn json(r: reqwest::Response) -> Value {
    let text = r.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

pub fn ids(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect()
}

pub fn tool_names(list: &Value) -> Vec<String> {
    list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect()
}

pub fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

pub fn parse_time(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// `2026-11-29T05:10:00.123Z`
pub fn assert_millis_z(s: &str) {
    let b = s.as_bytes();
    assert_eq!(s.len(), 24, "{s}");
    assert_eq!(b[19], b'.', "{s}");
    assert!(s.ends_with('Z'), "{s}");
    parse_time(s);
}

/// Seconds from the system clock to `t` (positive: `t` is ahead).
pub fn seconds_ahead(t: chrono::DateTime<chrono::Utc>) -> i64 {
    (t - chrono::Utc::now()).num_seconds()
}

/// The response's one `Date` header (IMF-fixdate) as a time; fails on none or several.
pub fn date_header(r: &reqwest::Response) -> chrono::DateTime<chrono::Utc> {
    let all: Vec<_> = r.headers().get_all("date").iter().collect();
    assert_eq!(all.len(), 1, "one Date header: {all:?}");
    let text = all[0].to_str().unwrap();
    assert!(text.ends_with(" GMT"), "{text}");
    chrono::DateTime::parse_from_rfc2822(text)
        .unwrap()
        .with_timezone(&chrono::Utc)
}
