//! Upstream mode: `/v1/*` is forwarded unchanged to a tiny echo server; a dead upstream
//! gives a 502 in the global error shape; static files still work.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use common::*;
use serde_json::json;

/// Echoes what it received as JSON, with a 201 status and a custom header.
async fn echo(method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> impl IntoResponse {
    let hdrs: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_owned(),
                json!(v.to_str().unwrap_or("<binary>")),
            )
        })
        .collect();
    let out = json!({
        "method": method.as_str(),
        "pathAndQuery": uri.path_and_query().map(|p| p.as_str()).unwrap_or(""),
        "headers": hdrs,
        "body": String::from_utf8_lossy(&body),
    });
    (
        StatusCode::CREATED,
        [
            ("x-upstream", "echo"),
            ("x-request-id", "upstream-42"),
            ("connection", "close"),
        ],
        axum::Json(out),
    )
}

async fn start_echo() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(echo);
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

#[tokio::test]
async fn forwards_method_path_query_body_and_headers_unchanged() {
    let upstream = start_echo().await;
    let up = upstream.clone();
    let s = start(move |c| c.upstream = Some(up)).await;

    let path = format!("{BASE}/{WEIRD_ID_ENCODED}/refresh?organization_id=org_1&x=a%20b&x=c");
    let r = s
        .client
        .post(s.url(&path))
        .header("Authorization", "Bearer ak_real_key_for_upstream")
        .header("X-API-Key", "ak_other")
        .header("content-type", "application/json")
        .header("x-custom", "kept")
        .header("proxy-authorization", "Basic secret")
        .body(r#"{"hello":"world"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    assert_eq!(header(&r, "x-upstream").as_deref(), Some("echo"));
    assert_eq!(header(&r, "x-request-id").as_deref(), Some("upstream-42"));
    assert!(header(&r, "connection").is_none_or(|v| v != "close"));
    let b = json(r).await;
    assert_eq!(b["method"], "POST");
    assert_eq!(b["pathAndQuery"], path);
    assert_eq!(b["body"], r#"{"hello":"world"}"#);
    let h = &b["headers"];
    assert_eq!(h["authorization"], "Bearer ak_real_key_for_upstream");
    assert_eq!(h["x-api-key"], "ak_other");
    assert_eq!(h["content-type"], "application/json");
    assert_eq!(h["x-custom"], "kept");
    assert!(h.get("proxy-authorization").is_none());
    assert_eq!(h["host"], upstream.trim_start_matches("http://"));

    // Other methods, no local auth, and the upstream's own error statuses pass through.
    for m in [
        reqwest::Method::GET,
        reqwest::Method::DELETE,
        reqwest::Method::PATCH,
    ] {
        let r = s
            .client
            .request(m.clone(), s.url("/v1/anything?q=1"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        let b = json(r).await;
        assert_eq!(b["method"], m.as_str());
        assert_eq!(b["pathAndQuery"], "/v1/anything?q=1");
    }

    // Static serving still works, and the dev control API is off.
    let r = s
        .client
        .get(s.url("/configurations/x"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.text().await.unwrap(), INDEX_HTML);
    let r = s.client.post(s.url("/__dev/reset")).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn dead_upstream_is_a_502_global_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let d = dead.clone();
    let s = start(move |c| c.upstream = Some(d)).await;
    let r = s.get(BASE).await;
    assert_eq!(r.status(), 502);
    assert!(header(&r, "x-request-id").unwrap().starts_with("req_"));
    let b = json(r).await;
    assert_eq!(b["success"], false);
    assert_eq!(b["error"]["status"], 502);
    assert_eq!(b["error"]["type"], "server_error");
    assert!(b["error"]["trace_id"].as_str().unwrap().starts_with("trc_"));
    assert!(b["error"]["message"].as_str().unwrap().contains(&dead));
}
