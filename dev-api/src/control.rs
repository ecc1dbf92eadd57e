//! The unauthenticated dev control API under `/__dev/`: arm, list and clear faults, and
//! reset all state.

use crate::faults::{ArmedFault, Endpoint, Fault};
use crate::state::SharedState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// `/__dev/faults` (GET, POST, DELETE), `/__dev/reset` (POST), `/__dev/mcp` (GET),
/// `/__dev/mcp/{name}/next` (POST) and `/__dev/refreshes` (GET, DELETE).
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/__dev/faults", post(arm).get(list).delete(clear))
        .route("/__dev/reset", post(reset))
        .route("/__dev/mcp", get(mcp_servers))
        .route("/__dev/mcp/{name}/next", post(mcp_next))
        .route("/__dev/refreshes", get(refreshes).delete(clear_refreshes))
        .route("/__dev", any(not_found))
        .route("/__dev/{*rest}", any(not_found))
}

/// Only the 404 fallback of `/__dev/*` (used in upstream mode, where there is no state).
pub fn unavailable_router() -> Router<SharedState> {
    Router::new()
        .route("/__dev", any(not_found))
        .route("/__dev/{*rest}", any(not_found))
}

/// Body of `POST /__dev/faults`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ArmRequest {
    #[serde(default)]
    config_id: Option<String>,
    fault: String,
    #[serde(default)]
    times: Option<u32>,
    #[serde(default)]
    endpoint: Option<String>,
}

fn bad_request(message: String) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": {"type": "invalid_request_error", "message": message, "code": "bad_dev_request"}})))
        .into_response()
}

/// `POST /__dev/faults {"configId"?, "fault", "times"? (default 1), "endpoint"?}`
async fn arm(State(state): State<SharedState>, body: Bytes) -> Response {
    let req: ArmRequest = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return bad_request(format!("invalid body: {e}")),
    };
    let Some(fault) = Fault::parse(&req.fault) else {
        return bad_request(format!(
            "unknown fault {:?}; known: {}",
            req.fault,
            Fault::names()
        ));
    };
    let endpoint = match req.endpoint.as_deref() {
        None => None,
        Some(name) => match Endpoint::parse(name) {
            Some(e) => Some(e),
            None => {
                return bad_request(format!(
                    "unknown endpoint {name:?}; use refresh, tools, get or list"
                ))
            }
        },
    };
    if endpoint == Some(Endpoint::List) && req.config_id.is_some() {
        return bad_request("the list endpoint has no configuration: drop configId".into());
    }
    let times = req.times.unwrap_or(1);
    if times == 0 {
        return bad_request("times must be at least 1".into());
    }
    let armed = ArmedFault {
        config_id: req.config_id,
        endpoint,
        fault,
        remaining: times,
    };
    state.arm(armed.clone());
    (
        StatusCode::CREATED,
        Json(json!({"armed": armed, "pending": state.pending_faults()})),
    )
        .into_response()
}

/// `GET /__dev/faults`: what is still armed.
async fn list(State(state): State<SharedState>) -> Response {
    Json(json!({"pending": state.pending_faults()})).into_response()
}

/// `DELETE /__dev/faults`: disarm everything.
async fn clear(State(state): State<SharedState>) -> Response {
    Json(json!({"cleared": state.clear_faults()})).into_response()
}

/// `POST /__dev/reset`: faults, caches, health, `lastSyncAt`, in-flight flags, and every
/// bundled MCP server back to its first version.
async fn reset(State(state): State<SharedState>) -> Response {
    state.reset();
    state.bundled.reset().await;
    Json(json!({"reset": true})).into_response()
}

fn server_json(s: &crate::mcp_servers::BundledServer) -> serde_json::Value {
    json!({
        "name": s.name,
        "path": format!("/mcp/{}", s.name),
        "version": s.version(),
        "versions": s.version_count(),
        "tools": s.current().len(),
        "pageSize": s.page_size,
    })
}

/// `GET /__dev/refreshes`: refresh requests in flight now, the most at once, and
/// the log of each (`configId`, `startedMs`, `endedMs`, `status`).
async fn refreshes(State(state): State<SharedState>) -> Response {
    Json(state.refreshes.stats()).into_response()
}

/// `DELETE /__dev/refreshes`: forgets the log and the maximum.
async fn clear_refreshes(State(state): State<SharedState>) -> Response {
    state.refreshes.clear();
    Json(state.refreshes.stats()).into_response()
}

/// `GET /__dev/mcp`: the bundled MCP servers, their current version and tool count.
async fn mcp_servers(State(state): State<SharedState>) -> Response {
    let servers: Vec<_> = state.bundled.iter().map(|s| server_json(s)).collect();
    Json(json!({"servers": servers})).into_response()
}

/// `POST /__dev/mcp/{name}/next`: the server moves to its next version (cyclically) and
/// sends `notifications/tools/list_changed` to its connected clients.
async fn mcp_next(State(state): State<SharedState>, Path(name): Path<String>) -> Response {
    let Some(server) = state.bundled.get(&name).cloned() else {
        let known: Vec<&str> = state.bundled.iter().map(|s| s.name.as_str()).collect();
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"type": "not_found_error", "message": format!("No bundled MCP server {name:?}. Known: {}.", known.join(", ")), "code": "mcp_server_not_found"}})),
        )
            .into_response();
    };
    server.advance().await;
    Json(server_json(&server)).into_response()
}

/// `/mcp` and `/mcp/{unknown}`: JSON 404 instead of the app's page.
pub fn mcp_not_found_router() -> Router<SharedState> {
    Router::new()
        .route("/mcp", any(mcp_not_found))
        .route("/mcp/{*rest}", any(mcp_not_found))
}

async fn mcp_not_found(State(state): State<SharedState>, uri: Uri) -> Response {
    let known: Vec<String> = state
        .bundled
        .iter()
        .map(|s| format!("/mcp/{}", s.name))
        .collect();
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": {"type": "not_found_error", "message": format!("No MCP server at {}. Bundled: {}.", uri.path(), known.join(", ")), "code": "mcp_server_not_found"}})),
    )
        .into_response()
}

async fn not_found(uri: Uri) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": {"type": "not_found_error", "message": format!("No dev route {}. Known: POST/GET/DELETE /__dev/faults, POST /__dev/reset, GET /__dev/mcp, POST /__dev/mcp/{{name}}/next, GET/DELETE /__dev/refreshes (local mode only).", uri.path()), "code": "dev_route_not_found"}})),
    )
        .into_response()
}
