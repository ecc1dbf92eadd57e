//! The unauthenticated dev control API under `/__dev/`: arm, list and clear faults, and
//! reset all state.

use crate::faults::{ArmedFault, Endpoint, Fault};
use crate::state::SharedState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// `/__dev/faults` (GET, POST, DELETE) and `/__dev/reset` (POST).
pub fn router() -> Router<SharedState> {
    Router::new()
        .route("/__dev/faults", post(arm).get(list).delete(clear))
        .route("/__dev/reset", post(reset))
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

/// `POST /__dev/reset`: faults, caches, sequences, `lastSyncAt`, in-flight flags.
async fn reset(State(state): State<SharedState>) -> Response {
    state.reset();
    Json(json!({"reset": true})).into_response()
}

async fn not_found(uri: Uri) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({"error": {"type": "not_found_error", "message": format!("No dev route {}. Known: POST/GET/DELETE /__dev/faults, POST /__dev/reset (local mode only).", uri.path()), "code": "dev_route_not_found"}})),
    )
        .into_response()
}
