//! What the transport hands to the core: a status, headers and body bytes.
//!
//! The browser layer (`api`) fills an [`HttpReply`]; everything that decides what
//! a reply *means* works on this plain struct, so it is testable natively.

/// One HTTP answer as received, before any interpretation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpReply {
    /// HTTP status code.
    pub status: u16,
    /// Response headers, names as received (looked up case-insensitively).
    pub headers: Vec<(String, String)>,
    /// The raw body.
    pub body: Vec<u8>,
}

impl HttpReply {
    /// A reply with a JSON or text body and no headers (handy in tests).
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (builder style).
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The first header with this name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lookup_ignores_case_and_trims() {
        let r = HttpReply::new(200, "").with_header("X-Request-Id", " req_1 ");
        assert_eq!(r.header("x-request-id"), Some("req_1"));
        assert_eq!(r.header("retry-after"), None);
    }
}
