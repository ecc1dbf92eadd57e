//! The real MCP refresh: the dev server's rmcp client against the bundled rmcp servers and
//! against small hand-written MCP servers that misbehave on purpose (paging with fields
//! rmcp does not know, dying mid-list, never answering, 401, JSON-RPC errors, nonsense),
//! and `notifications/tools/list_changed` from a bundled server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use common::*;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// How the fake MCP server answers `tools/list`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    /// Three pages (cursors `p2`, `p3`), tools carrying fields rmcp's `Tool` does not know.
    Pages,
    /// The first call lists everything; from the second on, page 2 breaks the connection.
    DiesMidList,
    /// `tools/list` never answers.
    Silent,
    /// Every POST without `Authorization: Bearer good-token` gets 401.
    NeedsToken,
    /// `tools/list` answers a JSON-RPC error.
    RpcError,
    /// `tools/list` answers a result that is not a tool list.
    Nonsense,
}

struct Fake {
    mode: Mode,
    list_calls: AtomicUsize,
    refreshes: AtomicUsize,
}

fn page_tools(page: usize) -> Vec<Value> {
    (0..3)
        .map(|i| {
            let name = format!("page{page}_tool{i}");
            json!({
                "name": name,
                "description": format!("{name} from a server no rmcp type fully knows"),
                "inputSchema": {"type": "object", "properties": {"q": {"type": "string"}}},
                "annotations": {"readOnlyHint": true, "x-vendorHint": "kept"},
                "x-extra": {"kept": [page, i]},
            })
        })
        .collect()
}

fn rpc_result(id: &Value, result: Value) -> Response {
    axum::Json(json!({"jsonrpc": "2.0", "id": id, "result": result})).into_response()
}

async fn fake_mcp(State(fake): State<Arc<Fake>>, headers: HeaderMap, body: Bytes) -> Response {
    if fake.mode == Mode::NeedsToken {
        let auth = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if auth != "Bearer good-token" {
            return (StatusCode::UNAUTHORIZED, "no entry").into_response();
        }
    }
    let msg: Value = serde_json::from_slice(&body).unwrap();
    let id = msg.get("id").cloned().unwrap_or(Value::Null);
    let method = msg["method"].as_str().unwrap_or("");
    match method {
        "initialize" => {
            let version = msg["params"]["protocolVersion"].clone();
            rpc_result(
                &id,
                json!({"protocolVersion": version, "capabilities": {"tools": {}},
                       "serverInfo": {"name": "fake", "version": "1"}}),
            )
        }
        "tools/list" => {
            fake.list_calls.fetch_add(1, Ordering::SeqCst);
            let cursor = msg["params"]["cursor"].as_str();
            match fake.mode {
                Mode::Silent => std::future::pending().await,
                Mode::RpcError => axum::Json(json!({"jsonrpc": "2.0", "id": id,
                    "error": {"code": -32603, "message": "the tool database is down"}}))
                .into_response(),
                Mode::Nonsense => rpc_result(&id, json!({"tools": "not a list"})),
                Mode::DiesMidList if cursor == Some("p2") => {
                    if fake.refreshes.fetch_add(1, Ordering::SeqCst) == 0 {
                        rpc_result(&id, json!({"tools": page_tools(2)}))
                    } else {
                        // Headers go out, then the body breaks off: the server died.
                        let broken = futures::stream::iter(vec![
                            Ok(Bytes::from_static(b"{\"jsonrpc\":\"2.0\",\"id\":")),
                            Err(std::io::Error::other("server died")),
                        ]);
                        Response::builder()
                            .header("content-type", "application/json")
                            .body(Body::from_stream(broken))
                            .unwrap()
                    }
                }
                Mode::DiesMidList => {
                    rpc_result(&id, json!({"tools": page_tools(1), "nextCursor": "p2"}))
                }
                Mode::Pages | Mode::NeedsToken => match cursor {
                    None => rpc_result(&id, json!({"tools": page_tools(1), "nextCursor": "p2"})),
                    Some("p2") => {
                        rpc_result(&id, json!({"tools": page_tools(2), "nextCursor": "p3"}))
                    }
                    _ => rpc_result(&id, json!({"tools": page_tools(3)})),
                },
            }
        }
        // Notifications (initialized, cancelled) need no answer.
        _ if msg.get("id").is_none() => StatusCode::ACCEPTED.into_response(),
        _ => axum::Json(json!({"jsonrpc": "2.0", "id": id,
            "error": {"code": -32601, "message": "method not found"}}))
        .into_response(),
    }
}

/// Starts a fake MCP server; returns its `/mcp` URL and its counters.
async fn start_fake(mode: Mode) -> (String, Arc<Fake>) {
    let fake = Arc::new(Fake {
        mode,
        list_calls: AtomicUsize::new(0),
        refreshes: AtomicUsize::new(0),
    });
    let app = Router::new()
        .route(
            "/mcp",
            post(fake_mcp)
                .get(|| async { StatusCode::METHOD_NOT_ALLOWED })
                .delete(|| async { StatusCode::METHOD_NOT_ALLOWED }),
        )
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/mcp"), fake)
}

/// A dev server with one `--mcp fake=URL` configuration (and maybe a token).
async fn dev_with(url: &str, token: Option<&str>) -> TestServer {
    let url = url.to_owned();
    let token = token.map(str::to_owned);
    start(move |c| {
        c.mcp = vec![("fake".into(), url)];
        if let Some(t) = token {
            c.mcp_tokens = vec![("fake".into(), t)];
        }
        c.mcp_timeout = Duration::from_secs(3);
    })
    .await
}

async fn refresh_status(s: &TestServer, id: &str) -> (u16, Value) {
    let r = s.post(&format!("{BASE}/{id}/refresh")).await;
    (r.status().as_u16(), json(r).await)
}

#[tokio::test]
async fn cursor_paging_across_pages_keeps_each_tool_exactly_as_sent() {
    let (url, fake) = start_fake(Mode::Pages).await;
    let s = dev_with(&url, None).await;
    // The --mcp configuration comes first in the list.
    let list = s.get_json(BASE).await;
    assert_eq!(ids(&list)[0], "pconf_fake");
    assert_eq!(list["data"][0]["configuration"]["url"], url.as_str());

    let r = s.refresh("pconf_fake").await;
    assert_eq!(r["details"]["toolsDiscovered"], 9);
    assert_eq!(r["details"]["previousToolCount"], 0);
    assert_eq!(names(&r["details"]["newTools"]).len(), 9);
    assert_eq!(
        fake.list_calls.load(Ordering::SeqCst),
        3,
        "one call per page"
    );

    let tools = s.get_json(&format!("{BASE}/pconf_fake/tools")).await;
    let expected: Vec<Value> = (1..=3).flat_map(page_tools).collect();
    assert_eq!(tools["data"], Value::Array(expected), "raw JSON, in order");

    // A second refresh: nothing changed, served by a fresh tools/list (never a stale copy).
    let again = s.refresh("pconf_fake").await;
    assert_eq!(again["details"]["previousToolCount"], 9);
    assert_eq!(again["details"]["newTools"], json!([]));
    assert_eq!(fake.list_calls.load(Ordering::SeqCst), 6);
    let c = s.get_json(&format!("{BASE}/pconf_fake")).await;
    assert_eq!(c["healthStatus"], "healthy");
    assert_eq!(c["lastError"], Value::Null);
    assert_eq!(c["lastSyncAt"], again["details"]["cachedAt"]);
}

#[tokio::test]
async fn two_thousand_tools_over_several_pages_of_a_bundled_server() {
    let s = start(|_| {}).await;
    let r = s.refresh("pconf_big").await;
    assert_eq!(r["details"]["previousToolCount"], 2000);
    assert_eq!(r["details"]["toolsDiscovered"], 2100);
    let tools = s.get_json(&format!("{BASE}/pconf_big/tools")).await;
    let got = tool_names(&tools);
    let want: Vec<String> = (5..2105).map(|n| format!("bulk_tool_{n:04}")).collect();
    assert_eq!(got, want);
    // Straight from the bundled server too: more than one page, 2,000 tools.
    s.control(reqwest::Method::POST, "/__dev/reset", None).await;
    let servers = json(s.control(reqwest::Method::GET, "/__dev/mcp", None).await).await;
    let big = servers["servers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "big")
        .unwrap()
        .clone();
    assert_eq!(big["tools"], 2000);
    assert!(big["pageSize"].as_u64().unwrap() < 2000);
    let fresh = s.get_json(&format!("{BASE}/pconf_big/tools")).await;
    assert_eq!(fresh["data"].as_array().unwrap().len(), 2000);
}

#[tokio::test]
async fn a_server_that_dies_mid_list_gives_502_and_the_old_cache_stays() {
    let (url, _fake) = start_fake(Mode::DiesMidList).await;
    let s = dev_with(&url, None).await;
    let ok = s.refresh("pconf_fake").await;
    assert_eq!(ok["details"]["toolsDiscovered"], 6);
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["code"], "MCP_CONNECTION_LOST", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains(&url));
    let tools = s.get_json(&format!("{BASE}/pconf_fake/tools")).await;
    assert_eq!(
        tools["data"].as_array().unwrap().len(),
        6,
        "previous cache kept"
    );
    let c = s.get_json(&format!("{BASE}/pconf_fake")).await;
    assert_eq!(c["healthStatus"], "unhealthy");
    assert_eq!(c["lastError"], body["error"]["message"]);
    assert_eq!(c["lastSyncAt"], ok["details"]["cachedAt"]);
    let unhealthy = s.get_json(&format!("{BASE}?healthStatus=unhealthy")).await;
    assert!(ids(&unhealthy).contains(&"pconf_fake".to_owned()));
}

#[tokio::test]
async fn a_server_that_never_answers_gives_504() {
    let (url, _fake) = start_fake(Mode::Silent).await;
    let s = dev_with(&url, None).await;
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 504, "{body}");
    assert_eq!(body["error"]["code"], "MCP_TIMEOUT");
    let c = s.get_json(&format!("{BASE}/pconf_fake")).await;
    assert_eq!(c["healthStatus"], "unhealthy");
    // The refresh is over: the next one is not a 409.
    let (again, _) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(again, 504);
}

#[tokio::test]
async fn a_401_from_the_server_is_mcp_auth_failed_and_the_token_is_sent() {
    let (url, _fake) = start_fake(Mode::NeedsToken).await;
    let s = dev_with(&url, None).await;
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "MCP_AUTH_FAILED");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(&url) && message.contains("401"),
        "{message}"
    );

    let wrong = dev_with(&url, Some("bad-token")).await;
    assert_eq!(refresh_status(&wrong, "pconf_fake").await.0, 502);
    let right = dev_with(&url, Some("good-token")).await;
    let r = right.refresh("pconf_fake").await;
    assert_eq!(r["details"]["toolsDiscovered"], 9);
}

#[tokio::test]
async fn a_json_rpc_error_is_502_with_its_message() {
    let (url, _fake) = start_fake(Mode::RpcError).await;
    let s = dev_with(&url, None).await;
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "MCP_SERVER_ERROR");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("the tool database is down"));
    // The tools endpoint, when it has to fill its cache, says the same.
    let t = s.get(&format!("{BASE}/pconf_fake/tools")).await;
    assert_eq!(t.status(), 502);
}

#[tokio::test]
async fn a_malformed_answer_or_no_server_at_all_is_502() {
    let (url, _fake) = start_fake(Mode::Nonsense).await;
    let s = dev_with(&url, None).await;
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "MCP_MALFORMED_RESPONSE", "{body}");

    // Nothing listening: connection refused.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let s = dev_with(&format!("http://{closed}/mcp"), None).await;
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "MCP_SERVER_UNREACHABLE");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains(&closed.to_string()));

    // https:// goes through rustls (ring provider, no aws-lc-rs): same answer, no panic.
    let s = dev_with(&format!("https://{closed}/mcp"), None).await;
    let (status, body) = refresh_status(&s, "pconf_fake").await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(body["error"]["code"], "MCP_SERVER_UNREACHABLE");
}

#[derive(Clone)]
struct Listener(tokio::sync::mpsc::UnboundedSender<()>);

impl rmcp::ClientHandler for Listener {
    async fn on_tool_list_changed(
        &self,
        _context: rmcp::service::NotificationContext<rmcp::RoleClient>,
    ) {
        let _ = self.0.send(());
    }
}

#[tokio::test]
async fn a_bundled_server_sends_list_changed_when_it_moves_on() {
    use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
    use rmcp::transport::StreamableHttpClientTransport;
    use rmcp::ServiceExt;

    dev_api::mcp_client::install_crypto_provider();
    let s = start(|_| {}).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let transport = StreamableHttpClientTransport::from_config(
        StreamableHttpClientTransportConfig::with_uri(s.url("/mcp/clickup")),
    );
    let client = Listener(tx).serve(transport).await.unwrap();
    let before = client.peer().list_all_tools().await.unwrap();
    assert_eq!(before.len(), 6);

    let r = s
        .control(reqwest::Method::POST, "/__dev/mcp/clickup/next", None)
        .await;
    assert_eq!(r.status(), 200);
    let moved = json(r).await;
    assert_eq!(
        (moved["version"].as_u64(), moved["tools"].as_u64()),
        (Some(1), Some(8))
    );

    // Bounded only so that a missing notification fails instead of hanging.
    tokio::time::timeout(Duration::from_secs(20), rx.recv())
        .await
        .expect("notifications/tools/list_changed")
        .unwrap();
    client
        .peer()
        .set_response_cache_config(rmcp::ClientCacheConfig::disabled())
        .await;
    let after = client.peer().list_all_tools().await.unwrap();
    assert_eq!(after.len(), 8);
    let _ = client.cancel().await;

    let unknown = s
        .control(reqwest::Method::POST, "/__dev/mcp/nope/next", None)
        .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn without_demo_advance_a_refresh_reports_what_the_server_lists_now() {
    let s = start(|c| c.demo_advance = false).await;
    let first = s.refresh("pconf_abc123").await;
    assert_eq!(first["details"]["toolsDiscovered"], 6);
    assert_eq!(first["details"]["previousToolCount"], 0);
    let same = s.refresh("pconf_abc123").await;
    assert_eq!(same["details"]["newTools"], json!([]));
    assert_eq!(same["details"]["previousToolCount"], 6);
    // A deployment (the control API) then shows up in the next refresh.
    s.control(reqwest::Method::POST, "/__dev/mcp/clickup/next", None)
        .await;
    let next = s.refresh("pconf_abc123").await;
    assert_eq!(
        next["details"]["newTools"],
        json!(["clickup_update_task_status", "clickup_add_attachment"])
    );
}
