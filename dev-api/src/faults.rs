//! Fault injection: the fault catalogue ([`Fault`]), the answer each fault produces, the
//! armed-fault queue of the control API, and [`check`], which picks the fault (if any)
//! for a request: `X-Dev-Fault` header first, then a `pconf_fault_<name>` id, then an
//! armed fault.

use crate::clock;
use crate::errors;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;
use std::time::Duration;

/// Prefix of the reserved configuration ids that answer with a fault (`pconf_fault_429`, …).
/// Defined here, not in `seed`, so that `seed` depends on `faults` and never the other way.
pub const FAULT_ID_PREFIX: &str = "pconf_fault_";

/// Header that selects a fault for one request.
pub const FAULT_HEADER: &str = "x-dev-fault";

/// A scripted failure (or delay) of an API call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 401, global shape, `INVALID_API_KEY`.
    Unauthorized,
    /// 403, global shape, `INSUFFICIENT_PERMISSIONS`.
    Forbidden,
    /// 404, connector shape, `configuration_not_found`.
    NotFound,
    /// 409, connector shape, `refresh_in_progress`.
    Conflict,
    /// 429, legacy shape, `Retry-After: 30` and `X-RateLimit-*`.
    RateLimited,
    /// 429 like [`Fault::RateLimited`] but `Retry-After` is an HTTP date.
    RateLimitedDate,
    /// 422, validation shape.
    Unprocessable,
    /// 500, global shape, `INTERNAL_ERROR`.
    Internal,
    /// 502 with an nginx HTML page.
    BadGatewayHtml,
    /// 503 with an empty body.
    UnavailableEmpty,
    /// 200 `application/json` with a truncated body.
    MalformedJson,
    /// 200 `{"success":false,…}`.
    SuccessFalse,
    /// Waits `--slow-seconds`, then answers normally.
    Slow,
    /// 500 whose message is HTML/script text.
    HostileError,
    /// 404 with an empty body, as if the route did not exist.
    EndpointMissing,
}

impl Fault {
    /// Every fault, in documentation order.
    pub const ALL: &'static [Fault] = &[
        Fault::Unauthorized,
        Fault::Forbidden,
        Fault::NotFound,
        Fault::Conflict,
        Fault::RateLimited,
        Fault::RateLimitedDate,
        Fault::Unprocessable,
        Fault::Internal,
        Fault::BadGatewayHtml,
        Fault::UnavailableEmpty,
        Fault::MalformedJson,
        Fault::SuccessFalse,
        Fault::Slow,
        Fault::HostileError,
        Fault::EndpointMissing,
    ];

    /// The name used in `X-Dev-Fault`, in `pconf_fault_<name>` and in the control API.
    pub fn name(self) -> &'static str {
        match self {
            Fault::Unauthorized => "401",
            Fault::Forbidden => "403",
            Fault::NotFound => "404",
            Fault::Conflict => "409",
            Fault::RateLimited => "429",
            Fault::RateLimitedDate => "429-date",
            Fault::Unprocessable => "422",
            Fault::Internal => "500",
            Fault::BadGatewayHtml => "502-html",
            Fault::UnavailableEmpty => "503-empty",
            Fault::MalformedJson => "malformed-json",
            Fault::SuccessFalse => "success-false",
            Fault::Slow => "slow",
            Fault::HostileError => "hostile-error",
            Fault::EndpointMissing => "404-endpoint",
        }
    }

    /// The fault with this name.
    pub fn parse(name: &str) -> Option<Fault> {
        Fault::ALL.iter().copied().find(|f| f.name() == name.trim())
    }

    /// The comma-separated list of all names (for error messages).
    pub fn names() -> String {
        Fault::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Serialize for Fault {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// Which API endpoint a request is for (faults can be armed per endpoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Endpoint {
    /// `GET /v1/personal-connectors/configurations`
    List,
    /// `GET /v1/personal-connectors/configurations/{id}`
    Get,
    /// `GET /v1/personal-connectors/configurations/{id}/tools`
    Tools,
    /// `POST /v1/personal-connectors/configurations/{id}/refresh`
    Refresh,
}

impl Endpoint {
    /// `"list"`, `"get"`, `"tools"` or `"refresh"`.
    pub fn parse(name: &str) -> Option<Endpoint> {
        match name {
            "list" => Some(Endpoint::List),
            "get" => Some(Endpoint::Get),
            "tools" => Some(Endpoint::Tools),
            "refresh" => Some(Endpoint::Refresh),
            _ => None,
        }
    }
}

/// A fault armed through `POST /__dev/faults`, waiting for matching requests.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmedFault {
    /// Only requests for this configuration match (`None` = any, incl. the list).
    pub config_id: Option<String>,
    /// Only requests to this endpoint match (`None` = any).
    pub endpoint: Option<Endpoint>,
    /// What happens.
    pub fault: Fault,
    /// How many more matching requests get it.
    pub remaining: u32,
}

impl ArmedFault {
    fn matches(&self, endpoint: Endpoint, config_id: Option<&str>) -> bool {
        self.endpoint.is_none_or(|e| e == endpoint)
            && self
                .config_id
                .as_deref()
                .is_none_or(|c| Some(c) == config_id)
    }
}

/// Takes (and counts down) the first armed fault matching this request.
pub fn take_armed(
    armed: &mut Vec<ArmedFault>,
    endpoint: Endpoint,
    config_id: Option<&str>,
) -> Option<Fault> {
    let pos = armed.iter().position(|a| a.matches(endpoint, config_id))?;
    let entry = armed.get_mut(pos)?;
    let fault = entry.fault;
    entry.remaining = entry.remaining.saturating_sub(1);
    if entry.remaining == 0 {
        armed.remove(pos);
    }
    Some(fault)
}

/// The outcome of looking for a fault.
#[derive(Debug)]
pub enum Check {
    /// No fault: serve normally.
    None,
    /// Serve normally after this delay.
    Delay(Duration),
    /// Answer with this instead.
    Respond(Response),
}

/// Picks the fault for a request, in order: `X-Dev-Fault` header, `pconf_fault_<name>`
/// id, armed fault (`armed` is only consulted — and consumed — if the others don't apply).
pub fn check(
    headers: &HeaderMap,
    config_id: Option<&str>,
    slow: Duration,
    retry_secs: u64,
    take_armed: impl FnOnce() -> Option<Fault>,
) -> Check {
    let from_header = headers
        .get(FAULT_HEADER)
        .map(|v| v.to_str().unwrap_or("").trim().to_owned());
    let fault = match from_header.as_deref() {
        Some("") | Some("none") => None,
        Some(name) => match Fault::parse(name) {
            Some(f) => Some(f),
            None => {
                return Check::Respond(errors::connector(
                    StatusCode::BAD_REQUEST,
                    "invalid_request_error",
                    "unknown_dev_fault",
                    &format!(
                        "Unknown X-Dev-Fault {name:?}. Known faults: {}.",
                        Fault::names()
                    ),
                ))
            }
        },
        None => None,
    };
    let fault = fault
        .or_else(|| {
            config_id
                .and_then(|id| id.strip_prefix(FAULT_ID_PREFIX))
                .and_then(Fault::parse)
        })
        .or_else(take_armed);
    match fault {
        None => Check::None,
        Some(Fault::Slow) => Check::Delay(slow),
        Some(f) => Check::Respond(respond(f, config_id, retry_secs)),
    }
}

/// The response a (non-`slow`) fault produces; a 429 asks to wait `retry_secs`.
pub fn respond(fault: Fault, config_id: Option<&str>, retry_secs: u64) -> Response {
    let id = config_id.unwrap_or("pconf_unknown");
    match fault {
        Fault::Unauthorized => errors::invalid_api_key("fault injected: 401"),
        Fault::Forbidden => errors::global(
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_PERMISSIONS",
            "permission_error",
            "You do not have permission to access this resource.",
            "fault injected: 403",
        ),
        Fault::NotFound => errors::configuration_not_found(id),
        Fault::Conflict => errors::refresh_in_progress(),
        Fault::RateLimited | Fault::RateLimitedDate => rate_limited(fault == Fault::RateLimitedDate, retry_secs),
        Fault::Unprocessable => errors::validation(
            &["path", "config_id"],
            "string does not match regex \"^pconf_\"",
            "value_error.str.regex",
        ),
        Fault::Internal => errors::global(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "server_error",
            "An unexpected error occurred. Please try again later.",
            "fault injected: 500",
        ),
        Fault::BadGatewayHtml => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html")],
            "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
        )
            .into_response(),
        Fault::UnavailableEmpty => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        Fault::MalformedJson => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"success\": true, \"details\": {\"newTools\": [",
        )
            .into_response(),
        Fault::SuccessFalse => (
            StatusCode::OK,
            axum::Json(json!({"success": false, "message": "MCP server did not answer the tools/list call."})),
        )
            .into_response(),
        Fault::HostileError => errors::global(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL_ERROR",
            "server_error",
            "<img src=x onerror=alert(1)> & </script>",
            "<script>alert('system_message')</script>",
        ),
        Fault::EndpointMissing => StatusCode::NOT_FOUND.into_response(),
        // Never produced here: `slow` delays and then serves normally.
        Fault::Slow => StatusCode::OK.into_response(),
    }
}

fn rate_limited(http_date: bool, secs: u64) -> Response {
    let now = clock::now();
    let reset = now + chrono::Duration::seconds(i64::try_from(secs).unwrap_or(30));
    let retry_after = if http_date {
        clock::http_date(reset)
    } else {
        secs.to_string()
    };
    let mut resp = errors::legacy(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("Rate limit exceeded. Try again in {secs} seconds."),
        "rate_limit_error",
        json!({"retry_after": secs}),
    );
    let h = resp.headers_mut();
    for (name, value) in [
        ("retry-after", retry_after),
        ("x-ratelimit-limit", "10".to_owned()),
        ("x-ratelimit-remaining", "0".to_owned()),
        ("x-ratelimit-reset", reset.timestamp().to_string()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for f in Fault::ALL {
            assert_eq!(Fault::parse(f.name()), Some(*f));
        }
        assert_eq!(Fault::parse("nope"), None);
    }

    #[test]
    fn armed_matching() {
        let mut armed = vec![ArmedFault {
            config_id: Some("pconf_a".into()),
            endpoint: Some(Endpoint::Refresh),
            fault: Fault::RateLimited,
            remaining: 2,
        }];
        assert_eq!(
            take_armed(&mut armed, Endpoint::Tools, Some("pconf_a")),
            None
        );
        assert_eq!(
            take_armed(&mut armed, Endpoint::Refresh, Some("pconf_b")),
            None
        );
        assert_eq!(
            take_armed(&mut armed, Endpoint::Refresh, Some("pconf_a")),
            Some(Fault::RateLimited)
        );
        assert_eq!(
            take_armed(&mut armed, Endpoint::Refresh, Some("pconf_a")),
            Some(Fault::RateLimited)
        );
        assert!(armed.is_empty());
    }
}
