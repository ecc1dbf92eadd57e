//! One error type for everything that can go wrong talking to the API.
//!
//! The vendor documents four error bodies (global, connector, validation, legacy);
//! proxies add HTML and empty bodies, and a 200 may still say `"success": false`.
//! [`classify`] turns any failed [`HttpReply`](super::http::HttpReply) into an [`ApiError`] whose
//! [`ApiError::user_message`] tells a person what happened and what to do.

mod classify;

pub(crate) use classify::Body;
pub use classify::{classify, malformed};

use super::time::Instant;

/// What kind of failure this is; drives the message and what the UI offers next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: the key is missing, invalid or expired; the user must sign in again.
    Unauthorized,
    /// 403: the key may not touch this resource.
    Forbidden,
    /// 404 with the documented not-found body.
    NotFound,
    /// 404/405/501 without a recognisable body: the server does not offer this call.
    NotSupported,
    /// 409: a refresh is already running.
    Conflict,
    /// 429: slow down until `retry_at`.
    RateLimited,
    /// 400/422: the server rejected the request itself.
    Rejected,
    /// 5xx (or any other status) with a JSON body.
    Server,
    /// The body was HTML (a proxy or gateway page), not JSON.
    HtmlBody,
    /// The body was empty where JSON was expected.
    EmptyBody,
    /// The body was not valid JSON, or not the expected shape.
    Malformed,
    /// A 2xx answer whose body says `"success": false`.
    Unsuccessful,
    /// The request never got an answer (offline, DNS, CORS, connection refused).
    Network,
    /// No answer within the timeout.
    Timeout,
    /// The user cancelled the request.
    Cancelled,
    /// The embedding page's `getToken` failed or gave no token.
    NoToken,
}

/// A decoded failure, with everything support needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.user_message())]
pub struct ApiError {
    /// The classification.
    pub kind: ErrorKind,
    /// HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// The server's own words (or a short description of the body), if any.
    pub server_message: Option<String>,
    /// The server's machine code (`INVALID_API_KEY`, `configuration_not_found`, …).
    pub code: Option<String>,
    /// `x-request-id` header or `trace_id` in the body, for support tickets.
    pub request_id: Option<String>,
    /// For 429: when a retry is allowed again.
    pub retry_at: Option<Instant>,
}

impl ApiError {
    /// An error of `kind` with no details.
    pub fn new(kind: ErrorKind) -> Self {
        Self {
            kind,
            status: None,
            server_message: None,
            code: None,
            request_id: None,
            retry_at: None,
        }
    }

    /// Adds the server's (or the transport's) message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.server_message = Some(message.into());
        self
    }

    /// A sentence a person can act on: what happened, then what to do.
    pub fn user_message(&self) -> String {
        let said = self
            .server_message
            .as_deref()
            .map(|m| format!(" The server said: “{}”.", clip(m, 300)))
            .unwrap_or_default();
        let status = self
            .status
            .map(|s| format!(" (HTTP {s})"))
            .unwrap_or_default();
        match self.kind {
            ErrorKind::Unauthorized => format!(
                "The API key was rejected{status}.{said} Sign in again with a valid key."
            ),
            ErrorKind::Forbidden => format!(
                "This key may not access this configuration{status}.{said} Check the organization id, or ask an administrator for access."
            ),
            ErrorKind::NotFound => format!(
                "The configuration was not found{status}.{said} It may have been deleted; go back to the list and pick another."
            ),
            ErrorKind::NotSupported => format!(
                "This server does not offer this call{status}. Check the API base URL; the endpoint may not be live yet."
            ),
            ErrorKind::Conflict => format!(
                "A refresh is already running for this configuration{status}. Wait a moment, then try again."
            ),
            ErrorKind::RateLimited => format!(
                "Too many requests{status}.{said} The server asks to refresh sparingly; the button unlocks when it allows a retry."
            ),
            ErrorKind::Rejected => format!(
                "The server rejected the request{status}.{said} Check the configuration id and settings."
            ),
            ErrorKind::Server => format!(
                "The server failed{status}.{said} Try again later; if it persists, give support the request id."
            ),
            ErrorKind::HtmlBody => format!(
                "The server answered with a web page instead of data{status}.{said} A proxy or gateway may be failing, or the API base URL points at a website; try again later or check the URL."
            ),
            ErrorKind::EmptyBody => format!(
                "The server answered with an empty body{status}. A proxy or gateway may be failing; try again later."
            ),
            ErrorKind::Malformed => format!(
                "The server's answer could not be read{status}.{said} Try again; if it persists, give support the request id."
            ),
            ErrorKind::Unsuccessful => format!(
                "The server reported that the refresh failed{status}.{said} Check the connector's MCP server, then try again."
            ),
            ErrorKind::Network => format!(
                "Could not reach the API.{said} Check your connection and the API base URL. If the API sends no CORS headers, run the dev server with --upstream (see README)."
            ),
            ErrorKind::Timeout => {
                format!("The server did not answer in time.{said} The MCP server may be slow; try again.")
            }
            ErrorKind::Cancelled => "The request was cancelled.".to_owned(),
            ErrorKind::NoToken => format!(
                "The host page could not provide an access token.{said} Try again; if it persists, sign in to the portal again."
            ),
        }
    }

    /// A short label for the kind, e.g. for an error event's `kind` field.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not-found",
            ErrorKind::NotSupported => "not-supported",
            ErrorKind::Conflict => "conflict",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::Rejected => "rejected",
            ErrorKind::Server => "server",
            ErrorKind::HtmlBody => "html-body",
            ErrorKind::EmptyBody => "empty-body",
            ErrorKind::Malformed => "malformed",
            ErrorKind::Unsuccessful => "unsuccessful",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Cancelled => "cancelled",
            ErrorKind::NoToken => "no-token",
        }
    }

    /// Whether trying the same request again may help (offers a Retry button).
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            ErrorKind::Network
                | ErrorKind::Timeout
                | ErrorKind::Server
                | ErrorKind::HtmlBody
                | ErrorKind::EmptyBody
                | ErrorKind::Malformed
                | ErrorKind::Unsuccessful
                | ErrorKind::Conflict
                | ErrorKind::Cancelled
                | ErrorKind::NoToken
        )
    }
}

/// Shortens `s` to at most `max` characters, marking the cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::HttpReply;

    fn now() -> Instant {
        Instant::from_millis(1_760_000_000_000)
    }

    #[test]
    fn clip_counts_characters_not_bytes() {
        assert_eq!(clip("héllo", 10), "héllo");
        assert_eq!(clip("ééééé", 2), "éé…");
    }

    #[test]
    fn html_title_is_summarised() {
        let r = HttpReply::new(
            502,
            "<html><head><title>502 Bad <b>Gateway</b></title></head></html>",
        );
        let e = classify(&r, now());
        assert_eq!(e.kind, ErrorKind::HtmlBody);
        assert_eq!(e.server_message.as_deref(), Some("502 Bad Gateway"));
    }

    #[test]
    fn not_found_without_body_means_not_supported() {
        for status in [404, 405, 501] {
            assert_eq!(
                classify(&HttpReply::new(status, ""), now()).kind,
                ErrorKind::NotSupported
            );
        }
    }

    #[test]
    fn rate_limit_from_meta_when_no_header() {
        let r = HttpReply::new(429, r#"{"detail":"slow down","meta":{"retry_after":12}}"#);
        let e = classify(&r, now());
        assert_eq!(e.retry_at, Some(now().plus_seconds(12.0)));
    }

    #[test]
    fn every_kind_has_a_message_and_name() {
        use ErrorKind::*;
        for k in [
            Unauthorized,
            Forbidden,
            NotFound,
            NotSupported,
            Conflict,
            RateLimited,
            Rejected,
            Server,
            HtmlBody,
            EmptyBody,
            Malformed,
            Unsuccessful,
            Network,
            Timeout,
            Cancelled,
            NoToken,
        ] {
            let e = ApiError::new(k);
            assert!(e.user_message().len() > 10);
            assert!(!e.kind_name().is_empty());
        }
    }
}
