//! The fake personal-connectors API: list, get, tools and refresh handlers under
//! `/v1/personal-connectors/configurations`, behind the API-key check, with fault
//! injection applied before each handler does its work.

// Helpers return `Err(response)`: the error *is* the answer to send, boxing it gains nothing.
#![allow(clippy::result_large_err)]

use crate::auth;
use crate::clock;
use crate::errors;
use crate::faults::{self, Check, Endpoint};
use crate::mcp_client::{self, McpFailure};
use crate::render;
use crate::seed::{ConfigSeed, McpTarget};
use crate::state::{AppState, BeginError, CacheStatus, RefreshOutcome, RefreshTicket, SharedState};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{middleware, Json, Router};
use serde_json::json;
use std::collections::HashMap;
use std::sync::Arc;

const BASE: &str = "/v1/personal-connectors/configurations";

/// The `/v1/*` routes of the fake API, with the API-key middleware applied.
pub fn router(state: SharedState) -> Router<SharedState> {
    Router::new()
        .route(BASE, get(list))
        .route(&format!("{BASE}/{{config_id}}"), get(get_one))
        .route(&format!("{BASE}/{{config_id}}/tools"), get(tools))
        .route(&format!("{BASE}/{{config_id}}/refresh"), post(refresh))
        .route("/v1", any(v1_not_found))
        .route("/v1/{*rest}", any(v1_not_found))
        .route_layer(middleware::from_fn_with_state(state, auth::require_api_key))
}

/// Applies the fault chosen for this request: `Some(response)` to answer with, or `None`
/// to go on (after the `slow` delay, if that was the fault).
async fn gate(
    state: &SharedState,
    headers: &HeaderMap,
    endpoint: Endpoint,
    id: Option<&str>,
) -> Option<Response> {
    let check = faults::check(
        headers,
        id,
        state.cfg.slow,
        state.cfg.rate_limit_secs,
        || state.take_armed(endpoint, id),
    );
    match check {
        Check::None => None,
        Check::Delay(d) => {
            tokio::time::sleep(d).await;
            None
        }
        Check::Respond(r) => Some(r),
    }
}

/// Query parameters as a map (the last occurrence of a key wins).
fn query_map(
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<HashMap<String, String>, Response> {
    match q {
        Ok(Query(pairs)) => Ok(pairs.into_iter().collect()),
        Err(e) => Err(errors::validation(
            &["query"],
            &e.body_text(),
            "value_error",
        )),
    }
}

/// The decoded `{config_id}` path parameter.
/// The common start of every per-configuration handler: the decoded id, after
/// auth and fault injection had their say.
async fn admit(
    state: &SharedState,
    headers: &HeaderMap,
    p: Result<Path<String>, PathRejection>,
    endpoint: Endpoint,
) -> Result<String, Response> {
    let id = config_id(p)?;
    match gate(state, headers, endpoint, Some(&id)).await {
        Some(r) => Err(r),
        None => Ok(id),
    }
}

fn config_id(p: Result<Path<String>, PathRejection>) -> Result<String, Response> {
    p.map(|Path(id)| id)
        .map_err(|e| errors::validation(&["path", "config_id"], &e.body_text(), "value_error"))
}

fn parse_bool(params: &HashMap<String, String>, key: &str) -> Result<Option<bool>, Response> {
    match params.get(key).map(|s| s.to_ascii_lowercase()) {
        None => Ok(None),
        Some(v) if v == "true" || v == "1" => Ok(Some(true)),
        Some(v) if v == "false" || v == "0" => Ok(Some(false)),
        Some(_) => Err(errors::validation(
            &["query", key],
            "value could not be parsed to a boolean",
            "type_error.bool",
        )),
    }
}

/// `GET /v1/personal-connectors/configurations`
async fn list(
    State(state): State<SharedState>,
    headers: HeaderMap,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    if let Some(r) = gate(&state, &headers, Endpoint::List, None).await {
        return r;
    }
    let params = match query_map(q) {
        Ok(p) => p,
        Err(r) => return r,
    };
    let limit = match params.get("limit").map(|s| s.trim().parse::<i64>()) {
        None => 20,
        Some(Err(_)) => {
            return errors::validation(
                &["query", "limit"],
                "value is not a valid integer",
                "type_error.integer",
            )
        }
        Some(Ok(n)) if n < 1 => {
            return errors::validation(
                &["query", "limit"],
                "ensure this value is greater than or equal to 1",
                "value_error.number.not_ge",
            )
        }
        Some(Ok(n)) if n > 100 => {
            return errors::validation(
                &["query", "limit"],
                "ensure this value is less than or equal to 100",
                "value_error.number.not_le",
            )
        }
        Some(Ok(n)) => usize::try_from(n).unwrap_or(20),
    };
    let enabled = match parse_bool(&params, "enabled") {
        Ok(v) => v,
        Err(r) => return r,
    };
    let health = params.get("healthStatus");
    if let Some(h) = health {
        if !["healthy", "unhealthy", "unknown"].contains(&h.as_str()) {
            return errors::validation(
                &["query", "healthStatus"],
                "value is not a valid enumeration member; permitted: 'healthy', 'unhealthy', 'unknown'",
                "type_error.enum",
            );
        }
    }
    let connector = params.get("personalConnectorId");
    // `--list-ignores-cursor`: as if `after` were absent (not even checked), so every
    // request gets the first page and, with a longer list, `hasMore: true` forever.
    let after = params
        .get("after")
        .filter(|_| !state.cfg.list_ignores_cursor);
    let start = match after {
        None => 0,
        Some(after) => match state.seed.find(after) {
            Some((i, c)) if !c.hidden => i + 1,
            _ => {
                return errors::validation(
                    &["query", "after"],
                    &format!("unknown cursor: no configuration with ID '{after}'"),
                    "value_error",
                )
            }
        },
    };
    let matches = |c: &ConfigSeed, live: &crate::state::Live| {
        !c.hidden
            && enabled.is_none_or(|e| c.enabled == e)
            && health.is_none_or(|h| &live.health_status == h)
            && connector.is_none_or(|p| &c.personal_connector_id == p)
    };
    let live = state.live_all();
    let mut candidates = state
        .seed
        .configs
        .iter()
        .zip(live)
        .skip(start)
        .filter(|(c, l)| matches(c, l));
    let page: Vec<_> = candidates
        .by_ref()
        .take(limit)
        .map(|(c, l)| render::configuration(c, &l))
        .collect();
    let has_more = candidates.next().is_some();
    Json(json!({"object": "list", "data": page, "hasMore": has_more})).into_response()
}

/// `GET /v1/personal-connectors/configurations/{config_id}`
async fn get_one(
    State(state): State<SharedState>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match admit(&state, &headers, p, Endpoint::Get).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    match state.seed.find(&id) {
        Some((i, c)) => match state.live(i) {
            Some(live) => Json(render::configuration(c, &live)).into_response(),
            None => errors::configuration_not_found(&id),
        },
        None => errors::configuration_not_found(&id),
    }
}

/// `GET /v1/personal-connectors/configurations/{config_id}/tools[?forceRefresh=true]`
async fn tools(
    State(state): State<SharedState>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
    q: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let id = match admit(&state, &headers, p, Endpoint::Tools).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    let force = match query_map(q).and_then(|params| parse_bool(&params, "forceRefresh")) {
        Ok(v) => v.unwrap_or(false),
        Err(r) => return r,
    };
    let Some((i, c)) = state.seed.find(&id) else {
        return errors::configuration_not_found(&id);
    };
    let cached = if force { None } else { state.cached(i) };
    let view = match cached {
        Some(v) => v,
        None => {
            // Empty, expired or bypassed: a real tools/list (the server's version does not move).
            let generation = state.generation();
            let target = state.target(c);
            let tools = match mcp_client::list_tools(&target, state.cfg.mcp_timeout).await {
                Ok(t) => Arc::new(t),
                Err(f) => return errors::mcp(&f, &target.url),
            };
            let status = if force {
                CacheStatus::Bypass
            } else {
                CacheStatus::Miss
            };
            match state.store(i, generation, tools, status) {
                Some(v) => v,
                None => return errors::configuration_not_found(&id),
            }
        }
    };
    let mut resp = (
        [(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        render::tool_list_json(c, &view.tools),
    )
        .into_response();
    let h = resp.headers_mut();
    h.insert(
        "x-dev-cache",
        HeaderValue::from_static(view.status.as_str()),
    );
    for (name, t) in [
        ("x-dev-cached-at", view.cached_at),
        ("x-dev-expires-at", view.expires_at),
    ] {
        if let Ok(v) = HeaderValue::from_str(&clock::rfc3339(t)) {
            h.insert(name, v);
        }
    }
    resp
}

/// `POST /v1/personal-connectors/configurations/{config_id}/refresh`, counted from
/// arrival to answer (or the client going away) for `GET /__dev/refreshes`.
async fn refresh(
    State(state): State<SharedState>,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let mut visit = state.refreshes.arrived();
    if let Ok(Path(id)) = &p {
        visit.config(id);
    }
    let resp = refresh_answer(state, headers, p).await;
    visit.answered(resp.status().as_u16());
    resp
}

async fn refresh_answer(
    state: SharedState,
    headers: HeaderMap,
    p: Result<Path<String>, PathRejection>,
) -> Response {
    let id = match admit(&state, &headers, p, Endpoint::Refresh).await {
        Ok(id) => id,
        Err(r) => return r,
    };
    let Some((i, c)) = state.seed.find(&id) else {
        return errors::configuration_not_found(&id);
    };
    let ticket = match state.begin_refresh(i) {
        Ok(t) => t,
        Err(BeginError::Disabled) => return errors::configuration_disabled(&id),
        Err(BeginError::InFlight) => return errors::refresh_in_progress(),
    };
    // The work runs in its own task so that a client hanging up mid-refresh cannot leave
    // the configuration marked "in flight" forever.
    let worker = state.clone();
    let config = c.clone();
    let task = tokio::spawn(async move {
        tokio::time::sleep(worker.cfg.refresh_delay).await;
        run_refresh(&worker, &config, ticket).await
    });
    match task.await {
        Ok(Ok(Some(outcome))) => Json(render::refresh(c, &outcome)).into_response(),
        Ok(Err((failure, url))) => errors::mcp(&failure, &url),
        Ok(Ok(None)) => errors::connector(
            StatusCode::CONFLICT,
            "conflict_error",
            "refresh_cancelled",
            "The dev server was reset while this refresh was running.",
        ),
        Err(_) => errors::global(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "server_error",
            "The refresh task failed.",
            "refresh task panicked",
        ),
    }
}

/// A refresh for real: with `--demo-advance` a bundled server first moves to its next
/// version (standing in for a deployment), then a fresh MCP connection lists every tool.
/// The answer is the difference from what was cached before. `Ok(None)`: a reset happened
/// meanwhile; `Err`: the MCP failure and the URL it happened at (the cache is kept).
async fn run_refresh(
    state: &AppState,
    c: &ConfigSeed,
    ticket: RefreshTicket,
) -> Result<Option<RefreshOutcome>, (McpFailure, String)> {
    let target = state.target(c);
    let timeout = state.cfg.mcp_timeout;
    let advance = match &c.mcp {
        McpTarget::Bundled(name) if state.cfg.demo_advance => state.bundled.get(name).cloned(),
        _ => None,
    };
    let previous = match state.last_cached(ticket.index) {
        Some(p) => p,
        // Nothing cached yet: what the server lists before the deployment is "before".
        None if advance.is_some() => mcp_client::list_tools(&target, timeout)
            .await
            .map(Arc::new)
            .unwrap_or_default(),
        None => Arc::new(Vec::new()),
    };
    if let Some(server) = &advance {
        server.advance().await;
    }
    match mcp_client::list_tools(&target, timeout).await {
        Ok(tools) => Ok(state.finish_refresh(ticket, &previous, Arc::new(tools))),
        Err(failure) => {
            if state.fail_refresh(ticket, &failure.message(&target.url)) {
                Err((failure, target.url))
            } else {
                Ok(None)
            }
        }
    }
}

/// Any other `/v1/*` path.
async fn v1_not_found(uri: Uri) -> Response {
    errors::route_not_found(uri.path())
}
