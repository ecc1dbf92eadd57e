//! The four documented error shapes (as in the API reference's fixtures, `error-*.json`) as
//! ready-made responses: global, connector, validation (422) and legacy.

use crate::clock;
use crate::mcp_client::McpFailure;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

static TRACE_COUNTER: AtomicU64 = AtomicU64::new(1);

/// A fresh `trc_…` trace id.
pub fn next_trace_id() -> String {
    let n = TRACE_COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("trc_{n:06x}")
}

/// Global shape: `{"success":false,"error":{code,message,system_message,type,status,details,trace_id,timestamp}}`.
pub fn global(
    status: StatusCode,
    code: &str,
    kind: &str,
    message: &str,
    system_message: &str,
) -> Response {
    let body = json!({
        "success": false,
        "error": {
            "code": code,
            "message": message,
            "system_message": system_message,
            "type": kind,
            "status": status.as_u16(),
            "details": {},
            "trace_id": next_trace_id(),
            "timestamp": clock::rfc3339(clock::now()),
        }
    });
    (status, Json(body)).into_response()
}

/// Connector shape: `{"error":{"type","message","code"}}`.
pub fn connector(status: StatusCode, kind: &str, code: &str, message: &str) -> Response {
    let body = json!({"error": {"type": kind, "message": message, "code": code}});
    (status, Json(body)).into_response()
}

/// Validation shape (422): `{"detail":[{"loc","msg","type"}]}`.
pub fn validation(loc: &[&str], msg: &str, kind: &str) -> Response {
    let body = json!({"detail": [{"loc": loc, "msg": msg, "type": kind}]});
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Legacy shape: `{"detail","status_code","error_type","meta","errors"}`.
pub fn legacy(status: StatusCode, detail: &str, error_type: &str, meta: Value) -> Response {
    let body = json!({
        "detail": detail,
        "status_code": status.as_u16(),
        "error_type": error_type,
        "meta": meta,
        "errors": [],
    });
    (status, Json(body)).into_response()
}

/// 401 `INVALID_API_KEY` (global shape).
pub fn invalid_api_key(system_message: &str) -> Response {
    global(
        StatusCode::UNAUTHORIZED,
        "INVALID_API_KEY",
        "authentication_error",
        "The API key provided is invalid or has been revoked.",
        system_message,
    )
}

/// 404 `configuration_not_found` (connector shape).
pub fn configuration_not_found(id: &str) -> Response {
    connector(
        StatusCode::NOT_FOUND,
        "not_found_error",
        "configuration_not_found",
        &format!("Personal connector configuration with ID '{id}' not found."),
    )
}

/// 409 `refresh_in_progress` (connector shape).
pub fn refresh_in_progress() -> Response {
    connector(
        StatusCode::CONFLICT,
        "conflict_error",
        "refresh_in_progress",
        "A refresh is already running for this configuration.",
    )
}

/// 400 `configuration_disabled` (connector shape).
pub fn configuration_disabled(id: &str) -> Response {
    connector(
        StatusCode::BAD_REQUEST,
        "invalid_request_error",
        "configuration_disabled",
        &format!("Personal connector configuration '{id}' is disabled. Enable it first, then refresh its tools."),
    )
}

/// 404 for an unknown `/v1/*` route (global shape).
pub fn route_not_found(path: &str) -> Response {
    global(
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "not_found_error",
        &format!("No API route matches {path}."),
        "route not found",
    )
}

/// 502/504 for a refresh (or tools fill) whose MCP exchange failed (global shape): the code
/// says what kind of failure (`MCP_SERVER_UNREACHABLE`, `MCP_AUTH_FAILED`, `MCP_TIMEOUT`, …),
/// the message names the server and what to check.
pub fn mcp(failure: &McpFailure, url: &str) -> Response {
    global(
        failure.status(),
        failure.code(),
        "mcp_error",
        &failure.message(url),
        &format!("MCP tools/list against {url} failed: {failure:?}"),
    )
}
