//! One error type for everything that can go wrong talking to the API.
//!
//! The vendor documents four error bodies (global, connector, validation, legacy);
//! proxies add HTML and empty bodies, and a 200 may still say `"success": false`.
//! [`classify`] turns any failed [`HttpReply`](super::http::HttpReply) into an [`ApiError`] whose
//! [`ApiError::user_message`] tells a person what happened and what to do.

mod classify;

pub(crate) use classify::Body;
pub use classify::{classify, malformed};

use super::i18n::{Tr, K};
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
#[error("{}", self.user_message(&Tr::english()))]
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
    /// What this app (or the browser) found wrong, in technical terms: never shown
    /// as the server's words.
    pub detail: Option<String>,
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
            detail: None,
        }
    }

    /// Adds the server's own message (quoted as the server's words).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.server_message = Some(message.into());
        self
    }

    /// Adds a technical detail of this app's or the browser's (shown as details,
    /// never as what the server said).
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// A sentence a person can act on: what happened, then what to do, in `tr`'s
    /// language (the server's own words are quoted as it sent them).
    pub fn user_message(&self, tr: &Tr) -> String {
        let said = self
            .server_message
            .as_deref()
            .map(|m| tr.f(K::ErrorsServerSaid, &[("message", clip(m, 300).into())]))
            .into_iter()
            .chain(
                self.detail
                    .as_deref()
                    .map(|d| tr.f(K::ErrorsDetail, &[("detail", clip(d, 300).into())])),
            )
            .collect::<String>();
        // A status code is a code, not a quantity: never grouped as a number.
        let status = self
            .status
            .map(|s| tr.f(K::ErrorsStatus, &[("status", s.to_string().into())]))
            .unwrap_or_default();
        let key = match self.kind {
            ErrorKind::Unauthorized => K::ErrorsUnauthorized,
            ErrorKind::Forbidden => K::ErrorsForbidden,
            ErrorKind::NotFound => K::ErrorsNotFound,
            ErrorKind::NotSupported => K::ErrorsNotSupported,
            ErrorKind::Conflict => K::ErrorsConflict,
            ErrorKind::RateLimited => K::ErrorsRateLimited,
            ErrorKind::Rejected => K::ErrorsRejected,
            ErrorKind::Server => K::ErrorsServer,
            ErrorKind::HtmlBody => K::ErrorsHtmlBody,
            ErrorKind::EmptyBody => K::ErrorsEmptyBody,
            ErrorKind::Malformed => K::ErrorsMalformed,
            ErrorKind::Unsuccessful => K::ErrorsUnsuccessful,
            ErrorKind::Network => K::ErrorsNetwork,
            ErrorKind::Timeout => K::ErrorsTimeout,
            ErrorKind::Cancelled => K::ErrorsCancelled,
            ErrorKind::NoToken => K::ErrorsNoToken,
        };
        tr.f(key, &[("status", status.into()), ("said", said.into())])
    }

    /// The message `k` with its `{status}` (` (HTTP 401)`, or nothing) and `{said}`
    /// (the server's own words, quoted, or nothing) filled from this error: the
    /// sign-in screens' sentences.
    pub fn message_with_details(&self, tr: &Tr, k: K) -> String {
        let said = self
            .server_message
            .as_deref()
            .map(|m| tr.f(K::SigninServerSaid, &[("message", clip(m, 300).into())]))
            .unwrap_or_default();
        let status = self
            .status
            .map(|s| tr.f(K::SigninHttpStatus, &[("status", s.to_string().into())]))
            .unwrap_or_default();
        tr.f(k, &[("status", status.into()), ("said", said.into())])
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

    const ALL: [ErrorKind; 16] = {
        use ErrorKind::*;
        [
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
        ]
    };

    #[test]
    fn every_kind_has_a_message_and_name() {
        for k in ALL {
            let e = ApiError::new(k);
            assert!(e.user_message(&Tr::english()).len() > 10);
            assert!(!e.kind_name().is_empty());
        }
    }

    #[test]
    fn the_message_says_status_and_quotes_the_server() {
        let mut e = ApiError::new(ErrorKind::Unauthorized).with_message("bad key");
        e.status = Some(401);
        assert_eq!(
            e.user_message(&Tr::english()),
            "The API key was rejected (HTTP 401). The server said: “bad key”. Sign in again with a valid key."
        );
        assert_eq!(e.to_string(), e.user_message(&Tr::english()));
        let de = Tr::native(crate::core::i18n::Lang::from_tag("de").unwrap());
        let german = e.user_message(&de);
        assert!(german.contains("(HTTP 401)"), "{german}");
        assert!(german.contains("«bad key»"), "{german}");
        // A four-digit status is a code, not a number to group.
        e.status = Some(1234);
        assert!(e.user_message(&de).contains("HTTP 1234"));
    }

    #[test]
    fn every_kind_is_translated_in_every_language() {
        use crate::core::i18n::Lang;
        for lang in Lang::all().filter(|l| *l != Lang::EN) {
            let tr = Tr::native(lang);
            for k in ALL {
                let mut e = ApiError::new(k).with_message("m");
                e.status = Some(500);
                let (theirs, english) = (e.user_message(&tr), e.user_message(&Tr::english()));
                assert_ne!(theirs, english, "{} {k:?}", lang.code());
                assert!(!theirs.contains('{'), "{theirs}");
            }
        }
    }
}
