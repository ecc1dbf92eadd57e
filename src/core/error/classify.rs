//! Reading a failed reply: which of the documented error shapes it is (global,
//! connector, validation, legacy; or HTML, empty, not JSON), and the message,
//! code, request id and retry time it carries.

use serde_json::Value;

use super::{clip, ApiError, ErrorKind};
use crate::core::http::HttpReply;
use crate::core::json::{field, integer, string};
use crate::core::time::{parse_rate_limit_reset, parse_retry_after, Instant};

/// Decodes a failed reply (any status outside 2xx) into an [`ApiError`].
///
/// `now` is needed to turn `Retry-After` into an instant.
pub fn classify(reply: &HttpReply, now: Instant) -> ApiError {
    let body = Body::sniff(&reply.body);
    let mut err = ApiError::new(ErrorKind::Server);
    err.status = Some(reply.status);
    err.request_id = reply.header("x-request-id").map(str::to_owned);

    if let Body::Json(v) = &body {
        let details = error_details(v);
        err.server_message = details.message;
        err.code = details.code;
        if err.request_id.is_none() {
            err.request_id = details.trace_id;
        }
    }

    err.kind = match (reply.status, &body) {
        (401, _) => ErrorKind::Unauthorized,
        (403, _) => ErrorKind::Forbidden,
        (404, Body::Json(_)) if err.server_message.is_some() => ErrorKind::NotFound,
        (404 | 405 | 501, _) => ErrorKind::NotSupported,
        (409, _) => ErrorKind::Conflict,
        (429, _) => ErrorKind::RateLimited,
        (400 | 422, Body::Json(_)) => ErrorKind::Rejected,
        (_, Body::Html(_)) => ErrorKind::HtmlBody,
        (_, Body::Empty) => ErrorKind::EmptyBody,
        (_, Body::Invalid(_)) => ErrorKind::Malformed,
        _ => ErrorKind::Server,
    };

    match &body {
        Body::Html(summary) if err.server_message.is_none() => err.server_message = summary.clone(),
        Body::Invalid(text) if err.server_message.is_none() && !text.is_empty() => {
            err.server_message = Some(clip(text, 200))
        }
        _ => {}
    }

    if err.kind == ErrorKind::RateLimited {
        let meta_retry = match &body {
            Body::Json(v) => {
                field(v, &["meta"]).and_then(|m| integer(m, &["retry_after", "retryAfter"]))
            }
            _ => None,
        };
        err.retry_at = reply
            .header("retry-after")
            .and_then(|h| parse_retry_after(h, now))
            .or_else(|| {
                reply
                    .header("x-ratelimit-reset")
                    .and_then(|h| parse_rate_limit_reset(h, now))
            })
            .or_else(|| meta_retry.map(|s| now.plus_seconds(s.clamp(0, 86_400) as f64)));
    }
    err
}

/// Error for a 2xx body that is not the JSON we need.
pub fn malformed(reply: &HttpReply, detail: impl Into<String>) -> ApiError {
    let mut err = match Body::sniff(&reply.body) {
        Body::Empty => ApiError::new(ErrorKind::EmptyBody),
        Body::Html(summary) => {
            let mut e = ApiError::new(ErrorKind::HtmlBody);
            e.server_message = summary;
            e
        }
        _ => ApiError::new(ErrorKind::Malformed).with_detail(detail),
    };
    err.status = Some(reply.status);
    err.request_id = reply.header("x-request-id").map(str::to_owned);
    err
}

/// What a body looks like before we know its meaning.
pub(crate) enum Body {
    Json(Value),
    Html(Option<String>),
    Empty,
    Invalid(String),
}

impl Body {
    pub(crate) fn sniff(bytes: &[u8]) -> Self {
        let text = String::from_utf8_lossy(bytes);
        let trimmed = Self::trimmed(&text);
        if trimmed.is_empty() {
            return Body::Empty;
        }
        match serde_json::from_str::<Value>(trimmed) {
            Ok(v) => Body::Json(v),
            Err(e) => {
                if trimmed.starts_with('<') {
                    Body::Html(html_summary(trimmed))
                } else {
                    Body::Invalid(format!("{e}"))
                }
            }
        }
    }

    /// `text` without the byte-order marks before it and the white space around it:
    /// what [`Body::sniff`] reads (the stepwise tool decode reads the same).
    pub(crate) fn trimmed(text: &str) -> &str {
        text.trim_start_matches('\u{feff}').trim()
    }
}

/// The text of an HTML page's `<title>` or first `<h1>`, tags stripped.
fn html_summary(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for tag in ["title", "h1"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        if let Some(start) = lower.find(&open) {
            let after_open = lower.get(start..)?.find('>')? + start + 1;
            let end = lower.get(after_open..)?.find(&close)? + after_open;
            let inner = strip_tags(html.get(after_open..end)?);
            if !inner.is_empty() {
                return Some(clip(&inner, 120));
            }
        }
    }
    None
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Details {
    message: Option<String>,
    code: Option<String>,
    trace_id: Option<String>,
}

/// Reads message, code and trace id from any of the four documented error shapes.
fn error_details(v: &Value) -> Details {
    // 1. global {"success":false,"error":{code,message,trace_id,…}} and
    // 2. connector {"error":{type,message,code}}
    if let Some(e) = field(v, &["error"]) {
        if e.is_object() {
            return Details {
                message: string(e, &["message", "system_message", "systemMessage"]),
                code: string(e, &["code", "type"]),
                trace_id: string(e, &["trace_id", "traceId"])
                    .or_else(|| string(v, &["trace_id", "traceId"])),
            };
        }
        if let Some(s) = e.as_str() {
            return Details {
                message: Some(s.to_owned()),
                code: None,
                trace_id: string(v, &["trace_id"]),
            };
        }
    }
    match field(v, &["detail"]) {
        // 3. validation {"detail":[{loc,msg,type}]}
        Some(Value::Array(items)) => {
            let parts: Vec<String> = items
                .iter()
                .take(5)
                .filter_map(|item| {
                    let msg = string(item, &["msg", "message"])?;
                    let loc = field(item, &["loc"])
                        .and_then(Value::as_array)
                        .map(|l| {
                            l.iter()
                                .map(|p| {
                                    p.as_str()
                                        .map(str::to_owned)
                                        .unwrap_or_else(|| p.to_string())
                                })
                                .collect::<Vec<_>>()
                                .join(".")
                        })
                        .filter(|l| !l.is_empty());
                    Some(match loc {
                        Some(l) => format!("{l}: {msg}"),
                        None => msg,
                    })
                })
                .collect();
            let code = items.first().and_then(|i| string(i, &["type"]));
            Details {
                message: if parts.is_empty() {
                    None
                } else {
                    Some(parts.join("; "))
                },
                code,
                trace_id: None,
            }
        }
        // 4. legacy {"detail","status_code","error_type",…}
        Some(Value::String(s)) => Details {
            message: Some(s.clone()),
            code: string(v, &["error_type", "errorType"]),
            trace_id: string(v, &["trace_id", "traceId"]),
        },
        _ => Details {
            message: string(v, &["message"]),
            code: string(v, &["code"]),
            trace_id: string(v, &["trace_id", "traceId"]),
        },
    }
}
