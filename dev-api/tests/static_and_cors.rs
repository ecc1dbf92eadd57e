//! Static app serving (SPA fallback, content types, precompressed files, cache headers,
//! 503 when unbuilt, /examples/), the optional CSP header and CORS.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::*;

#[tokio::test]
async fn index_and_spa_fallback() {
    let s = start(|_| {}).await;
    for path in [
        "/",
        "/index.html",
        "/configurations/pconf_abc123",
        "/configurations/x",
        "/deep/link?tab=tools",
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert!(
            header(&r, "content-type").unwrap().starts_with("text/html"),
            "{path}"
        );
        assert_eq!(
            header(&r, "cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
        assert!(header(&r, "x-request-id").is_some());
        let csp = header(&r, "content-security-policy").unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'; style-src 'self'"),
            "default policy: {csp}"
        );
        assert_eq!(r.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    // API and dev prefixes never fall back to the app.
    let r = s
        .client
        .get(s.url("/v1/personal-connectors/configurations/x/y/z"))
        .bearer_auth(KEY)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert!(header(&r, "content-type")
        .unwrap()
        .starts_with("application/json"));
    let r = s.client.get(s.url("/__dev/x")).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(header(&r, "content-type")
        .unwrap()
        .starts_with("application/json"));
}

#[tokio::test]
async fn missing_files_get_a_plain_404_but_routes_the_app() {
    let dist = sample_dist();
    let examples = TempDir::new("examples");
    examples.write("page.html", b"<!doctype html><title>example</title>");
    let mut cfg = test_config(dist.path());
    cfg.examples = examples.path().to_path_buf();
    let s = start_with(cfg).await;
    for path in [
        "/robots.txt",
        "/favicon.ico",
        "/missing.js",
        "/a/b.wasm",
        "/app-0123456789abcdef.css",
        "/examples/missing.js",
        "/examples/nothing-here",
    ] {
        let r = s
            .client
            .get(s.url(path))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 404, "{path}");
        assert_eq!(
            header(&r, "content-type").as_deref(),
            Some("text/plain; charset=utf-8"),
            "{path}"
        );
        assert_eq!(
            header(&r, "cache-control").as_deref(),
            Some("no-cache"),
            "{path}"
        );
        let body = r.text().await.unwrap();
        assert_eq!(body, "not found\n", "{path}");
    }
    // Routes (no extension in the last segment) still get the app, with a dot-bearing id
    // encoded as the app encodes it.
    for path in [
        "/",
        "/configurations/pconf_abc123",
        "/configurations/pconf_v1%2Ejson",
        "/anything/else",
    ] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.text().await.unwrap(), INDEX_HTML, "{path}");
    }
    let r = s
        .client
        .get(s.url("/examples/page.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn asset_types_precompression_and_cache_headers() {
    let s = start(|_| {}).await;
    let js = s
        .client
        .get(s.url("/app-0123456789abcdef.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert_eq!(
        header(&js, "content-type").as_deref(),
        Some("text/javascript")
    );
    assert_eq!(
        header(&js, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );

    let wasm = s
        .client
        .get(s.url("/app-0123456789abcdef_bg.wasm"))
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(
        header(&wasm, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        header(&wasm, "cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert!(header(&wasm, "content-encoding").is_none());
    assert_eq!(&wasm.bytes().await.unwrap()[..], b"\0asm\x01\0\0\0");

    let br = s
        .client
        .get(s.url("/app-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(br.status(), 200);
    assert_eq!(header(&br, "content-encoding").as_deref(), Some("br"));
    assert_eq!(
        header(&br, "content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(&br.bytes().await.unwrap()[..], b"BROTLI-BYTES");

    // Only gzip accepted, no .gz sibling: the plain file.
    let gz = s
        .client
        .get(s.url("/app-0123456789abcdef_bg.wasm"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert!(header(&gz, "content-encoding").is_none());

    let css = s.client.get(s.url("/style.css")).send().await.unwrap();
    assert!(header(&css, "content-type")
        .unwrap()
        .starts_with("text/css"));
    assert!(header(&css, "cache-control").is_none());

    // A missing hashed asset gets a plain 404, never an immutable header.
    let missing = s
        .client
        .get(s.url("/app-fedcba9876543210.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(
        header(&missing, "cache-control").as_deref(),
        Some("no-cache")
    );
    assert!(header(&missing, "content-type")
        .unwrap()
        .starts_with("text/plain"));
}

#[tokio::test]
async fn unbuilt_app_answers_503_hint() {
    let empty = TempDir::new("empty-dist");
    let s = start_with(test_config(empty.path())).await;
    for path in ["/", "/configurations/x"] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 503);
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("app not built: run ./run.sh"));
    }
    // The API still works.
    assert_eq!(s.get(BASE).await.status(), 200);
}

#[tokio::test]
async fn examples_directory_is_served_when_present() {
    let dist = sample_dist();
    let examples = TempDir::new("examples");
    examples.write("refresh-demo.json", br#"{"demo":true}"#);
    let mut cfg = test_config(dist.path());
    cfg.examples = examples.path().to_path_buf();
    let s = start_with(cfg).await;
    let r = s
        .client
        .get(s.url("/examples/refresh-demo.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), r#"{"demo":true}"#);
}

#[tokio::test]
async fn csp_only_on_non_api_responses_and_can_be_replaced_or_dropped() {
    let policy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";
    let s = start(|c| c.csp = Some(policy.to_owned())).await;
    for path in ["/", "/configurations/x", "/app-0123456789abcdef.js"] {
        let r = s.client.get(s.url(path)).send().await.unwrap();
        assert_eq!(
            header(&r, "content-security-policy").as_deref(),
            Some(policy),
            "{path}"
        );
    }
    let api = s.get(BASE).await;
    assert!(header(&api, "content-security-policy").is_none());
    let off = start(|c| c.csp = Some("off".to_owned())).await;
    let r = off.client.get(off.url("/")).send().await.unwrap();
    assert!(header(&r, "content-security-policy").is_none());
}

#[tokio::test]
async fn no_cors_headers_without_the_flag() {
    let s = start(|_| {}).await;
    let r = s
        .client
        .get(s.url(BASE))
        .bearer_auth(KEY)
        .header("origin", "http://localhost:3000")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r
        .headers()
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-")));
    let pre = s
        .client
        .request(reqwest::Method::OPTIONS, s.url(BASE))
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(pre
        .headers()
        .keys()
        .all(|k| !k.as_str().starts_with("access-control-")));
}

#[tokio::test]
async fn cors_with_the_flag() {
    let s = start(|c| c.cors_origins = vec!["http://localhost:3000".to_owned()]).await;
    let pre = s
        .client
        .request(
            reqwest::Method::OPTIONS,
            s.url(&format!("{BASE}/pconf_abc123/refresh")),
        )
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, x-dev-fault",
        )
        .send()
        .await
        .unwrap();
    assert!(pre.status().is_success(), "{}", pre.status());
    assert_eq!(
        header(&pre, "access-control-allow-origin").as_deref(),
        Some("http://localhost:3000")
    );
    let allowed = header(&pre, "access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    for h in ["authorization", "x-api-key", "content-type", "x-dev-fault"] {
        assert!(allowed.contains(h), "{allowed}");
    }
    assert!(header(&pre, "x-request-id").is_some());

    let r = s
        .client
        .get(s.url(BASE))
        .bearer_auth(KEY)
        .header("origin", "http://localhost:3000")
        .header("X-Dev-Fault", "429")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("http://localhost:3000")
    );
    let exposed = header(&r, "access-control-expose-headers")
        .unwrap()
        .to_lowercase();
    for h in [
        "x-request-id",
        "date",
        "retry-after",
        "x-ratelimit-limit",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
    ] {
        assert!(exposed.contains(h), "{exposed}");
    }
    // Another origin is not allowed.
    let other = s
        .client
        .get(s.url(BASE))
        .bearer_auth(KEY)
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(header(&other, "access-control-allow-origin").is_none());

    let any = start(|c| c.cors_origins = vec!["*".to_owned()]).await;
    let r = any
        .client
        .get(any.url(BASE))
        .bearer_auth(KEY)
        .header("origin", "http://x.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("*")
    );
}
