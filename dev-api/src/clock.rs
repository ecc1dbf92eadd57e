//! The dev server's clock: "now" is the system time plus the process-wide
//! `--clock-offset-seconds` (so the server can run ahead of or behind the browser), and
//! the two textual forms the API uses (RFC 3339 with milliseconds and `Z`, and the HTTP
//! date of `Date` and `Retry-After`).

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use std::sync::OnceLock;
use std::time::SystemTime;

/// The largest `--clock-offset-seconds` either way: ten years, far inside what chrono
/// and a four-digit HTTP date can carry.
pub const MAX_OFFSET_SECS: i64 = 10 * 366 * 24 * 3600;

/// Seconds added to the system time; unset means 0. Set once: every part of the server
/// (cache stamps, tokens, codes, rate-limit resets, `Date`) must tell the same time.
static OFFSET_SECS: OnceLock<i64> = OnceLock::new();

/// Fixes this process's offset. `Err(current)` if it was already fixed to another value
/// (two servers in one process cannot run different clocks).
pub fn set_offset(secs: i64) -> Result<(), i64> {
    let current = *OFFSET_SECS.get_or_init(|| secs);
    if current == secs {
        Ok(())
    } else {
        Err(current)
    }
}

/// The dev server's current time in UTC: the system time plus the offset.
pub fn now() -> DateTime<Utc> {
    shifted(SystemTime::now(), OFFSET_SECS.get().copied().unwrap_or(0))
}

/// `t` moved by `secs` seconds (unmoved if that leaves chrono's range, which the
/// flag's bound rules out).
fn shifted(t: SystemTime, secs: i64) -> DateTime<Utc> {
    let t = DateTime::<Utc>::from(t);
    TimeDelta::try_seconds(secs)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(t)
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
    use std::time::Duration;

    #[test]
    fn formats() {
        let t = parse_rfc3339("2025-10-07T14:45:00.5+02:00").unwrap();
        assert_eq!(rfc3339(t), "2025-10-07T12:45:00.500Z");
        assert_eq!(http_date(t), "Tue, 07 Oct 2025 12:45:00 GMT");
    }

    #[test]
    fn shifts_either_way() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let base = DateTime::<Utc>::from(t);
        assert_eq!(shifted(t, 600) - base, TimeDelta::seconds(600));
        assert_eq!(shifted(t, -600) - base, TimeDelta::seconds(-600));
        assert_eq!(shifted(t, 0), base);
        assert_eq!(
            http_date(shifted(t, MAX_OFFSET_SECS)),
            "Thu, 22 Jan 2037 08:00:00 GMT"
        );
    }
}
