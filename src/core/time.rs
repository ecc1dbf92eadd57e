//! Instants, RFC 3339 / HTTP-date parsing, and the human wording of durations.
//!
//! Hand-written instead of pulling chrono into the wasm: the app needs only UTC
//! instants at millisecond precision, two parsers and a few phrases. Display in the
//! user's own time zone and locale is the browser's job (`Intl`), not ours.
//! The parsers are checked against chrono in the tests.

use std::fmt;

/// A point in time: milliseconds since the Unix epoch, UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(i64);

/// Earliest and latest instants we accept (years 0001 and 9999).
const MIN_MS: i64 = -62_135_596_800_000;
const MAX_MS: i64 = 253_402_300_799_999;

impl Instant {
    /// From milliseconds since the epoch (clamped to years 1–9999).
    pub fn from_millis(ms: i64) -> Self {
        Instant(ms.clamp(MIN_MS, MAX_MS))
    }

    /// From a JS `Date.now()`-style float (NaN becomes the epoch).
    pub fn from_millis_f64(ms: f64) -> Self {
        if ms.is_finite() {
            Self::from_millis(ms as i64)
        } else {
            Instant(0)
        }
    }

    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0
    }

    /// This instant plus `s` seconds (may be fractional or negative).
    pub fn plus_seconds(self, s: f64) -> Self {
        Self::from_millis(self.0.saturating_add((s * 1000.0) as i64))
    }

    /// Milliseconds from `earlier` to `self` (negative if `earlier` is later).
    pub fn millis_since(self, earlier: Instant) -> i64 {
        self.0 - earlier.0
    }

    /// The calendar year (UTC).
    pub fn year(self) -> i64 {
        civil_from_days(self.0.div_euclid(86_400_000)).0
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2025-10-07T12:45:00.000Z`.
    pub fn to_iso(self) -> String {
        let days = self.0.div_euclid(86_400_000);
        let ms_of_day = self.0.rem_euclid(86_400_000);
        let (y, m, d) = civil_from_days(days);
        let secs = ms_of_day / 1000;
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            ms_of_day % 1000
        )
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// A tiny cursor over ASCII digits and separators.
struct Cursor<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize) -> Option<i64> {
        let slice = self.s.get(self.i..self.i + n)?;
        let mut v = 0i64;
        for &b in slice {
            if !b.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(b - b'0');
        }
        self.i += n;
        Some(v)
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, allowed: &[u8]) -> Option<u8> {
        let b = self.peek().filter(|b| allowed.contains(b))?;
        self.i += 1;
        Some(b)
    }
}

/// Parses an RFC 3339 timestamp (`2025-10-07T12:45:00Z`, fractional seconds and
/// numeric offsets allowed; `t`, `z` and a space separator tolerated).
pub fn parse_rfc3339(s: &str) -> Option<Instant> {
    let mut c = Cursor {
        s: s.trim().as_bytes(),
        i: 0,
    };
    let y = c.digits(4)?;
    c.eat(b"-")?;
    let mo = c.digits(2)?;
    c.eat(b"-")?;
    let d = c.digits(2)?;
    c.eat(b"Tt ")?;
    let h = c.digits(2)?;
    c.eat(b":")?;
    let mi = c.digits(2)?;
    c.eat(b":")?;
    let sec = c.digits(2)?;
    let mut ms = 0i64;
    if c.eat(b".").is_some() {
        let start = c.i;
        let mut scale = 100;
        while let Some(b) = c.peek().filter(u8::is_ascii_digit) {
            ms += i64::from(b - b'0') * scale;
            scale /= 10;
            c.i += 1;
        }
        if c.i == start {
            return None;
        }
    }
    let offset_min = match c.eat(b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let oh = c.digits(2)?;
            c.eat(b":")?;
            let om = c.digits(2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let v = oh * 60 + om;
            if sign == b'-' {
                -v
            } else {
                v
            }
        }
    };
    if c.i != c.s.len()
        || !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo)
        || h > 23
        || mi > 59
        || sec > 60
    {
        return None;
    }
    let secs =
        days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec.min(59) - offset_min * 60;
    let total = secs.checked_mul(1000)?.checked_add(ms)?;
    (MIN_MS..=MAX_MS).contains(&total).then_some(Instant(total))
}

/// Parses an HTTP date (IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn parse_http_date(s: &str) -> Option<Instant> {
    let s = s.trim();
    let rest = s.split_once(", ").map_or(s, |(_, r)| r);
    let mut parts = rest.split_ascii_whitespace();
    let d: i64 = parts.next()?.parse().ok()?;
    let mon = parts.next()?;
    let y: i64 = parts.next()?.parse().ok()?;
    let time = parts.next()?;
    let zone = parts.next()?;
    if !(zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC"))
        || parts.next().is_some()
    {
        return None;
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = mon.to_ascii_lowercase();
    let mo = MONTHS.iter().position(|m| *m == lower)? as i64 + 1;
    parse_rfc3339(&format!("{y:04}-{mo:02}-{d:02}T{time}Z"))
}

/// `Retry-After`: delay in seconds or an HTTP date. Delays are capped at a day.
pub fn parse_retry_after(h: &str, now: Instant) -> Option<Instant> {
    let h = h.trim();
    if let Some(secs) = super::text::parse_decimal(h) {
        return Some(now.plus_seconds(secs.min(86_400.0)));
    }
    parse_http_date(h).map(|t| t.min(now.plus_seconds(86_400.0)))
}

/// `X-RateLimit-Reset`: Unix seconds (or milliseconds) when large, else a delay in seconds.
pub fn parse_rate_limit_reset(h: &str, now: Instant) -> Option<Instant> {
    let v = super::text::parse_decimal(h.trim())?;
    let at = if v > 1.0e12 {
        Instant::from_millis(v as i64)
    } else if v > 1.0e9 {
        Instant::from_millis((v * 1000.0) as i64)
    } else {
        now.plus_seconds(v)
    };
    Some(at.min(now.plus_seconds(86_400.0)))
}

/// A duration in words, coarse to fine: `45 s`, `59 min 12 s`, `1 h 5 min`, `3 d 4 h`.
///
/// Seconds are shown only under an hour, so a countdown visibly ticks when it matters.
pub fn duration_words(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    match (d, h, m) {
        (0, 0, 0) => format!("{sec} s"),
        (0, 0, _) if sec == 0 => format!("{m} min"),
        (0, 0, _) => format!("{m} min {sec} s"),
        (0, _, 0) => format!("{h} h"),
        (0, _, _) => format!("{h} h {m} min"),
        (_, 0, _) => format!("{d} d"),
        _ => format!("{d} d {h} h"),
    }
}

/// `in 59 min 12 s` or `3 min ago`, relative to `now`.
pub fn relative(now: Instant, t: Instant) -> String {
    let diff = t.millis_since(now);
    if diff.abs() < 1000 {
        "now".to_owned()
    } else if diff > 0 {
        format!("in {}", duration_words(diff))
    } else {
        format!("{} ago", duration_words(-diff))
    }
}

/// Whether a cache that expires at `expires` is past at `now`, and the phrase for it.
pub fn expiry(now: Instant, expires: Instant) -> (bool, String) {
    if expires <= now {
        (true, format!("expired {}", relative(now, expires)))
    } else {
        (false, format!("expires {}", relative(now, expires)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_with_and_without_fraction() {
        let t = parse_rfc3339("2025-10-07T12:45:00Z").map(Instant::millis);
        assert_eq!(t, Some(1_759_841_100_000));
        let f = parse_rfc3339("2026-03-02T08:00:00.125Z").map(Instant::millis);
        assert_eq!(f.map(|m| m % 1000), Some(125));
        // more than millisecond precision is truncated
        let n = parse_rfc3339("2026-03-02T08:00:00.123456789Z").map(Instant::millis);
        assert_eq!(n.map(|m| m % 1000), Some(123));
    }

    #[test]
    fn offsets_move_the_instant() {
        let a = parse_rfc3339("2025-10-07T18:15:00+05:30");
        let b = parse_rfc3339("2025-10-07T12:45:00Z");
        assert_eq!(a, b);
        assert_eq!(parse_rfc3339("2025-10-07T07:45:00-05:00"), b);
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "2025-13-01T00:00:00Z",
            "2025-02-30T00:00:00Z",
            "2025-10-07 12:45",
            "2025-10-07T12:45:00",
            "2025-10-07T25:00:00Z",
            "2025-10-07T12:45:00.Z",
            "2025-10-07T12:45:00Zjunk",
            "٢٠٢٥-10-07T12:45:00Z",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s}");
        }
        assert!(parse_rfc3339("2024-02-29T00:00:00Z").is_some());
        assert!(parse_rfc3339("9999-12-31T23:59:59Z").is_some());
    }

    #[test]
    fn iso_round_trips() {
        let t = Instant::from_millis(1_772_438_400_125);
        assert_eq!(parse_rfc3339(&t.to_iso()), Some(t));
        assert_eq!(Instant::from_millis(0).to_iso(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            Instant::from_millis(-1).to_iso(),
            "1969-12-31T23:59:59.999Z"
        );
    }

    #[test]
    fn http_dates_and_retry_after() {
        let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(t, parse_rfc3339("1994-11-06T08:49:37Z"));
        let now = parse_rfc3339("2025-10-07T12:45:00Z").unwrap_or_default();
        assert_eq!(parse_retry_after("30", now), Some(now.plus_seconds(30.0)));
        assert_eq!(
            parse_retry_after("Tue, 07 Oct 2025 12:46:00 GMT", now),
            Some(now.plus_seconds(60.0))
        );
        assert_eq!(parse_retry_after("-4", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(
            parse_retry_after("999999999", now),
            Some(now.plus_seconds(86_400.0))
        );
    }

    #[test]
    fn rate_limit_reset_epoch_or_delta() {
        let now = Instant::from_millis(1_759_841_100_000);
        assert_eq!(
            parse_rate_limit_reset("1759841130", now),
            Some(now.plus_seconds(30.0))
        );
        assert_eq!(
            parse_rate_limit_reset("45", now),
            Some(now.plus_seconds(45.0))
        );
        assert_eq!(parse_rate_limit_reset("x", now), None);
    }

    #[test]
    fn words_for_durations() {
        assert_eq!(duration_words(45_900), "45 s");
        assert_eq!(duration_words(3_540_000), "59 min");
        assert_eq!(duration_words(3_552_000), "59 min 12 s");
        assert_eq!(duration_words(3_600_000), "1 h");
        assert_eq!(duration_words(3_900_000), "1 h 5 min");
        assert_eq!(duration_words(86_400_000 * 3 + 3_600_000 * 4), "3 d 4 h");
        assert_eq!(duration_words(-5), "0 s");
    }

    #[test]
    fn relative_and_expiry() {
        let now = Instant::from_millis(1_000_000_000);
        assert_eq!(relative(now, now.plus_seconds(3540.0)), "in 59 min");
        assert_eq!(relative(now, now.plus_seconds(-180.0)), "3 min ago");
        assert_eq!(relative(now, now), "now");
        assert_eq!(
            expiry(now, now.plus_seconds(60.0)),
            (false, "expires in 1 min".to_owned())
        );
        assert_eq!(
            expiry(now, now.plus_seconds(-60.0)),
            (true, "expired 1 min ago".to_owned())
        );
        assert!(expiry(now, now).0);
    }
}
