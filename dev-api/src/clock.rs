//! Wall-clock helpers: the current UTC time and the two textual forms the API uses
//! (RFC 3339 with milliseconds and `Z`, and the HTTP date of `Retry-After`).

use chrono::{DateTime, SecondsFormat, Utc};
use std::time::SystemTime;

/// The current time in UTC.
pub fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(SystemTime::now())
}

/// `2026-11-29T05:10:00.123Z`: RFC 3339, UTC, milliseconds, `Z` suffix.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// `Sun, 29 Nov 2026 05:10:30 GMT`: the IMF-fixdate form of an HTTP date.
pub fn http_date(t: DateTime<Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// Parses an RFC 3339 instant (any offset) into UTC.
pub fn parse_rfc3339(s: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = parse_rfc3339("2025-10-07T14:45:00.5+02:00").unwrap();
        assert_eq!(rfc3339(t), "2025-10-07T12:45:00.500Z");
        assert_eq!(http_date(t), "Tue, 07 Oct 2025 12:45:00 GMT");
    }
}
