//! Instants and durations (chrono), the server's time formats, and the human
//! wording of durations.
//!
//! [`Instant`] is a thin newtype over `chrono::DateTime<Utc>` at millisecond
//! precision, clamped to the years 1–9999 so that every instant has a four-digit
//! RFC 3339 form. Durations are `chrono::TimeDelta`. Parsing is chrono's
//! (RFC 3339, and the three HTTP-date forms through format strings); showing a time
//! in the user's own zone and locale is the browser's job (`Intl`), not ours.

use std::fmt;

use chrono::{DateTime, Datelike, NaiveDateTime, SecondsFormat, TimeDelta, Utc};

use super::i18n::{Tr, K};

/// A point in time, UTC, millisecond precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(DateTime<Utc>);

/// Earliest and latest instants we accept (years 0001 and 9999), in Unix milliseconds.
const MIN_MS: i64 = -62_135_596_800_000;
const MAX_MS: i64 = 253_402_300_799_999;

impl Instant {
    /// From milliseconds since the epoch (clamped to years 1–9999).
    pub fn from_millis(ms: i64) -> Self {
        Instant(DateTime::from_timestamp_millis(ms.clamp(MIN_MS, MAX_MS)).unwrap_or_default())
    }

    /// From a JS `Date.now()`-style float (NaN becomes the epoch).
    pub fn from_millis_f64(ms: f64) -> Self {
        if ms.is_finite() {
            Self::from_millis(ms as i64)
        } else {
            Self::default()
        }
    }

    /// From a chrono date-time (truncated to milliseconds, clamped to years 1–9999).
    pub fn from_datetime<Tz: chrono::TimeZone>(t: &DateTime<Tz>) -> Self {
        Self::from_millis(t.timestamp_millis())
    }

    /// The chrono date-time.
    pub fn datetime(self) -> DateTime<Utc> {
        self.0
    }

    /// Milliseconds since the epoch.
    pub fn millis(self) -> i64 {
        self.0.timestamp_millis()
    }

    /// This instant moved by `d` (clamped to years 1–9999).
    pub fn plus(self, d: TimeDelta) -> Self {
        Self::from_millis(self.millis().saturating_add(d.num_milliseconds()))
    }

    /// This instant plus `s` seconds (may be fractional or negative).
    pub fn plus_seconds(self, s: f64) -> Self {
        self.plus(TimeDelta::milliseconds((s * 1000.0) as i64))
    }

    /// The time from `earlier` to `self` (negative if `earlier` is later).
    pub fn since(self, earlier: Instant) -> TimeDelta {
        self.0 - earlier.0
    }

    /// The calendar year (UTC).
    pub fn year(self) -> i32 {
        self.0.year()
    }

    /// RFC 3339 in UTC with milliseconds, e.g. `2025-10-07T12:45:00.000Z`.
    pub fn to_iso(self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::Millis, true)
    }
}

impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso())
    }
}

/// An instant from chrono's parse, or `None` outside the years 1–9999.
fn in_range(ms: i64) -> Option<Instant> {
    (MIN_MS..=MAX_MS)
        .contains(&ms)
        .then(|| Instant::from_millis(ms))
}

/// Parses an RFC 3339 timestamp (`2025-10-07T12:45:00Z`, fractional seconds and
/// numeric offsets allowed; `t`, `z` and a space separator tolerated, as chrono does).
/// More than millisecond precision is truncated.
pub fn parse_rfc3339(s: &str) -> Option<Instant> {
    let t = DateTime::parse_from_rfc3339(s.trim()).ok()?;
    in_range(t.timestamp_millis())
}

/// The three forms RFC 9110 lets an HTTP date take, as chrono format strings (the
/// zone, `GMT`, is checked and stripped first; asctime carries none).
const HTTP_DATE_FORMATS: [&str; 3] = [
    "%a, %d %b %Y %H:%M:%S", // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
    "%A, %d-%b-%y %H:%M:%S", // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT
    "%a %b %e %H:%M:%S %Y",  // asctime:     Sun Nov  6 08:49:37 1994
];

/// Parses an HTTP date in any of its three forms (IMF-fixdate, RFC 850, asctime).
/// `UTC` is accepted for `GMT`; any other zone is refused.
pub fn parse_http_date(s: &str) -> Option<Instant> {
    let s = s.trim();
    let zoned = s
        .rsplit_once(' ')
        .filter(|(_, zone)| zone.eq_ignore_ascii_case("GMT") || zone.eq_ignore_ascii_case("UTC"))
        .map(|(rest, _)| rest.trim_end());
    let (text, formats) = match zoned {
        Some(rest) => (rest, HTTP_DATE_FORMATS.get(..2)?),
        None => (s, HTTP_DATE_FORMATS.get(2..)?),
    };
    formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .and_then(|t| in_range(t.and_utc().timestamp_millis()))
}

/// A whole, non-negative number as HTTP sends delay-seconds and epoch times
/// (RFC 9110: `1*DIGIT`), e.g. `Retry-After: 120`: std's integer parser behind a
/// digits-only check (it would also take a leading `+`). Fractions, signs and
/// exponents are not numbers here.
pub fn parse_seconds(s: &str) -> Option<u64> {
    let s = s.trim();
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The longest wait the app honours from a server (a day).
fn max_wait() -> TimeDelta {
    TimeDelta::days(1)
}

/// `Retry-After`: delay in seconds or an HTTP date. Delays are capped at a day.
pub fn parse_retry_after(h: &str, now: Instant) -> Option<Instant> {
    if let Some(secs) = parse_seconds(h) {
        return Some(now.plus(TimeDelta::seconds(secs.min(86_400) as i64)));
    }
    parse_http_date(h).map(|t| t.min(now.plus(max_wait())))
}

/// `X-RateLimit-Reset`: Unix seconds (or milliseconds) when large, else a delay in seconds.
pub fn parse_rate_limit_reset(h: &str, now: Instant) -> Option<Instant> {
    let v = i64::try_from(parse_seconds(h)?).ok()?;
    let at = if v > 1_000_000_000_000 {
        Instant::from_millis(v)
    } else if v > 1_000_000_000 {
        Instant::from_millis(v.saturating_mul(1000))
    } else {
        now.plus(TimeDelta::seconds(v))
    };
    Some(at.min(now.plus(max_wait())))
}

/// A duration in words, coarse to fine: `45 s`, `59 min 12 s`, `1 h 5 min`, `3 d 4 h`
/// (in English; the units and their order come from the catalogue).
///
/// Seconds are shown only under an hour, so a countdown visibly ticks when it matters.
pub fn duration_words(tr: &Tr, d: TimeDelta) -> String {
    let s = d.num_seconds().max(0);
    let (d, h, m, sec) = (s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    let unit = |k: K, n: i64| tr.f(k, &[("n", n.into())]);
    let pair = |larger: String, smaller: String| {
        tr.f(
            K::TimePair,
            &[("larger", larger.into()), ("smaller", smaller.into())],
        )
    };
    match (d, h, m) {
        (0, 0, 0) => unit(K::TimeSeconds, sec),
        (0, 0, _) if sec == 0 => unit(K::TimeMinutes, m),
        (0, 0, _) => pair(unit(K::TimeMinutes, m), unit(K::TimeSeconds, sec)),
        (0, _, 0) => unit(K::TimeHours, h),
        (0, _, _) => pair(unit(K::TimeHours, h), unit(K::TimeMinutes, m)),
        (_, 0, _) => unit(K::TimeDays, d),
        _ => pair(unit(K::TimeDays, d), unit(K::TimeHours, h)),
    }
}

/// `in 59 min 12 s` or `3 min ago`, relative to `now`.
pub fn relative(tr: &Tr, now: Instant, t: Instant) -> String {
    let diff = t.since(now);
    if diff.num_milliseconds().abs() < 1000 {
        tr.t(K::TimeNow)
    } else if diff > TimeDelta::zero() {
        let words = duration_words(tr, diff);
        tr.f(K::TimeIn, &[("duration", words.into())])
    } else {
        let words = duration_words(tr, -diff);
        tr.f(K::TimeAgo, &[("duration", words.into())])
    }
}

/// Whether a cache that expires at `expires` is past at `now`, and the phrase for it
/// (`expires in 1 min`, `expired 1 min ago`).
pub fn expiry(tr: &Tr, now: Instant, expires: Instant) -> (bool, String) {
    let diff = expires.since(now);
    let near = diff.num_milliseconds().abs() < 1000;
    let words = |d: TimeDelta| duration_words(tr, d);
    if expires <= now {
        let phrase = if near {
            tr.t(K::TimeExpiredNow)
        } else {
            tr.f(K::TimeExpiredAgo, &[("duration", words(-diff).into())])
        };
        (true, phrase)
    } else {
        let phrase = if near {
            tr.t(K::TimeExpiresNow)
        } else {
            tr.f(K::TimeExpiresIn, &[("duration", words(diff).into())])
        };
        (false, phrase)
    }
}

/// The server's clock as the API's answers show it: how far it runs ahead of the
/// browser's (negative: behind). Countdowns and "… ago" are computed on the
/// server's timeline ([`ServerClock::now`]), since the times they count to or from
/// (`cachedAt`, `expiresAt`, a `Retry-After` date, a reset epoch) are the server's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerClock {
    offset: TimeDelta,
}

/// Differences under this are noise, not a wrong clock: a `Date` header has
/// one-second resolution, and the answer spends some time on the wire.
const CLOCK_JITTER: TimeDelta = TimeDelta::seconds(2);

/// From this offset on, the page says in words that the two clocks differ.
const CLOCK_NOTE_FROM: TimeDelta = TimeDelta::seconds(60);

/// Offsets beyond this are not believed: a computer whose clock is off by more
/// than a year cannot open HTTPS connections (no certificate would be valid), so
/// such a sample says the server's time is nonsense rather than the browser's.
const CLOCK_MAX_OFFSET: TimeDelta = TimeDelta::days(366);

impl ServerClock {
    /// The two clocks agree (no answer seen yet, or none showed a difference).
    pub const fn new() -> Self {
        Self {
            offset: TimeDelta::zero(),
        }
    }

    /// The offset one answer's `Date` header shows, against the browser time the
    /// answer arrived (`received`); `None` when the header is missing, malformed or
    /// implausible. The header is cut to the whole second, so the server's time at
    /// sending lies in [Date, Date + 1 s): the middle of that second is taken.
    pub fn date_sample(date: Option<&str>, received: Instant) -> Option<TimeDelta> {
        let sent = parse_http_date(date?)?.plus(TimeDelta::milliseconds(500));
        Self::stamp_sample(sent, received)
    }

    /// The offset a server time known to be the server's "now" when it answered
    /// (a fresh refresh's `cachedAt`) shows; `None` when implausible.
    pub fn stamp_sample(server: Instant, received: Instant) -> Option<TimeDelta> {
        let offset = server.since(received);
        (offset.abs() <= CLOCK_MAX_OFFSET).then_some(offset)
    }

    /// Takes one sample. The latest good sample wins, not an average: a clock that
    /// is set right (or wrong) while the page is open changes the offset at once,
    /// and an average would mix the old clock with the new. A sample within
    /// [`CLOCK_JITTER`] of the current offset is ignored, so countdowns do not jump
    /// by a second with every answer, and offsets that small count as none.
    pub fn observe(&mut self, sample: TimeDelta) {
        if (sample - self.offset).abs() >= CLOCK_JITTER {
            self.offset = if sample.abs() < CLOCK_JITTER {
                TimeDelta::zero()
            } else {
                sample
            };
        }
    }

    /// How far the server's clock runs ahead of the browser's (negative: behind).
    pub fn offset(self) -> TimeDelta {
        self.offset
    }

    /// The browser's `now` moved onto the server's timeline.
    pub fn now(self, browser: Instant) -> Instant {
        browser.plus(self.offset)
    }

    /// When the clocks differ by more than a minute, the sentence that says so:
    /// `Your computer's clock is 10 min behind the server's; …`. The difference is
    /// rounded to the minute: the samples carry a second or so of noise.
    pub fn note(self, tr: &Tr) -> Option<String> {
        let off = self.offset;
        if off.abs() <= CLOCK_NOTE_FROM {
            return None;
        }
        let minutes = (off.abs().num_seconds() + 30) / 60;
        let words = duration_words(tr, TimeDelta::minutes(minutes));
        let key = if off > TimeDelta::zero() {
            K::TimeClockBehind
        } else {
            K::TimeClockAhead
        };
        Some(tr.f(key, &[("duration", words.into())]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: i64) -> TimeDelta {
        TimeDelta::seconds(s)
    }

    #[test]
    fn parses_utc_with_and_without_fraction() {
        let t = parse_rfc3339("2025-10-07T12:45:00Z").map(Instant::millis);
        assert_eq!(t, Some(1_759_841_100_000));
        let f = parse_rfc3339("2026-03-02T08:00:00.125Z").map(Instant::millis);
        assert_eq!(f.map(|m| m % 1000), Some(125));
        // more than millisecond precision is truncated
        let n = parse_rfc3339("2026-03-02T08:00:00.123456789Z").map(Instant::millis);
        assert_eq!(n.map(|m| m % 1000), Some(123));
        assert_eq!(
            parse_rfc3339("2025-10-07t12:45:00z"),
            parse_rfc3339("2025-10-07 12:45:00Z")
        );
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
            "0000-01-01T00:00:00Z",
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
        assert_eq!(
            Instant::from_millis(i64::MAX).to_iso(),
            "9999-12-31T23:59:59.999Z"
        );
        assert_eq!(Instant::from_millis(i64::MIN).year(), 1);
    }

    #[test]
    fn all_three_http_date_forms() {
        let want = parse_rfc3339("1994-11-06T08:49:37Z");
        for s in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
            "sun, 06 nov 1994 08:49:37 utc",
        ] {
            assert_eq!(parse_http_date(s), want, "{s}");
        }
        for bad in [
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Nov 1994 08:49:37",
            "Sun, 31 Feb 1994 08:49:37 GMT",
            "yesterday",
            "",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn retry_after_seconds_or_date() {
        let now = parse_rfc3339("2025-10-07T12:45:00Z").unwrap_or_default();
        assert_eq!(parse_retry_after("30", now), Some(now.plus(secs(30))));
        assert_eq!(parse_retry_after(" 7 ", now), Some(now.plus(secs(7))));
        assert_eq!(
            parse_retry_after("Tue, 07 Oct 2025 12:46:00 GMT", now),
            Some(now.plus(secs(60)))
        );
        for bad in [
            "-4", "soon", "+1", "1e3", "inf", "NaN", ".", "1.5", "1.2.3", "", "１",
        ] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
        assert_eq!(
            parse_retry_after("999999999", now),
            Some(now.plus(TimeDelta::days(1)))
        );
    }

    #[test]
    fn rate_limit_reset_epoch_or_delta() {
        let now = Instant::from_millis(1_759_841_100_000);
        assert_eq!(
            parse_rate_limit_reset("1759841130", now),
            Some(now.plus(secs(30)))
        );
        assert_eq!(
            parse_rate_limit_reset("1759841130000", now),
            Some(now.plus(secs(30)))
        );
        assert_eq!(parse_rate_limit_reset("45", now), Some(now.plus(secs(45))));
        assert_eq!(parse_rate_limit_reset("x", now), None);
    }

    #[test]
    fn words_for_durations() {
        let tr = Tr::english();
        let w = |d| duration_words(&tr, d);
        let ms = TimeDelta::milliseconds;
        assert_eq!(w(ms(45_900)), "45 s");
        assert_eq!(w(ms(3_540_000)), "59 min");
        assert_eq!(w(ms(3_552_000)), "59 min 12 s");
        assert_eq!(w(TimeDelta::hours(1)), "1 h");
        assert_eq!(w(ms(3_900_000)), "1 h 5 min");
        assert_eq!(w(TimeDelta::days(3) + TimeDelta::hours(4)), "3 d 4 h");
        assert_eq!(w(ms(-5)), "0 s");
        assert_eq!(w(TimeDelta::days(1_234)), "1,234 d");
    }

    #[test]
    fn relative_and_expiry() {
        let tr = Tr::english();
        let now = Instant::from_millis(1_000_000_000);
        assert_eq!(relative(&tr, now, now.plus(secs(3540))), "in 59 min");
        assert_eq!(relative(&tr, now, now.plus(secs(-180))), "3 min ago");
        assert_eq!(relative(&tr, now, now), "now");
        assert_eq!(
            expiry(&tr, now, now.plus(secs(60))),
            (false, "expires in 1 min".to_owned())
        );
        assert_eq!(
            expiry(&tr, now, now.plus(secs(-60))),
            (true, "expired 1 min ago".to_owned())
        );
        assert_eq!(expiry(&tr, now, now), (true, "expired now".to_owned()));
    }

    #[test]
    fn other_languages_word_durations_their_way() {
        use crate::core::i18n::Lang;
        let tr = |code| Tr::native(Lang::from_tag(code).unwrap());
        let now = Instant::from_millis(1_000_000_000);
        let (de, fr, it) = (tr("de"), tr("fr"), tr("it"));
        assert_eq!(relative(&de, now, now.plus(secs(-180))), "vor 3 min");
        assert_eq!(relative(&fr, now, now.plus(secs(3552))), "dans 59 min 12 s");
        assert_eq!(relative(&it, now, now.plus(secs(-3900))), "1 h 5 min fa");
        assert_eq!(
            duration_words(&de, TimeDelta::days(3) + TimeDelta::hours(4)),
            "3 T. 4 h"
        );
        assert_eq!(duration_words(&fr, TimeDelta::days(2)), "2 j");
        assert_eq!(duration_words(&it, TimeDelta::days(21)), "21 g");
        assert_eq!(
            duration_words(&de, TimeDelta::days(1_000_000)),
            "1.000.000 T."
        );
        assert_eq!(
            expiry(&de, now, now.plus(secs(60))),
            (false, "läuft in 1 min ab".to_owned())
        );
        assert_eq!(
            expiry(&fr, now, now.plus(secs(-60))),
            (true, "expiré il y a 1 min".to_owned())
        );
        assert_eq!(
            expiry(&it, now, now.plus(secs(-60))),
            (true, "scaduta 1 min fa".to_owned())
        );
    }

    #[test]
    fn server_clock_ahead_and_behind() {
        let tr = Tr::english();
        let received = parse_rfc3339("2026-11-29T05:00:00.200Z").unwrap_or_default();
        // 10 minutes ahead: the header says 05:10:00, the middle of that second is taken
        let ahead = ServerClock::date_sample(Some("Sun, 29 Nov 2026 05:10:00 GMT"), received);
        assert_eq!(ahead, Some(TimeDelta::milliseconds(600_300)));
        let mut clock = ServerClock::new();
        clock.observe(ahead.unwrap_or_default());
        assert_eq!(
            clock.now(received),
            received.plus(TimeDelta::milliseconds(600_300))
        );
        assert_eq!(
            clock.note(&tr).as_deref(),
            Some("Your computer's clock is 10 min behind the server's; times are shown by the server's clock.")
        );
        // 10 minutes behind
        let behind = ServerClock::date_sample(Some("Sun, 29 Nov 2026 04:50:00 GMT"), received);
        assert_eq!(behind, Some(TimeDelta::milliseconds(-599_700)));
        clock.observe(behind.unwrap_or_default());
        assert_eq!(clock.offset(), TimeDelta::milliseconds(-599_700));
        assert_eq!(
            clock.note(&tr).as_deref(),
            Some("Your computer's clock is 10 min ahead of the server's; times are shown by the server's clock.")
        );
        // a refresh's cachedAt, when there is no Date header
        let cached = received.plus(TimeDelta::seconds(-3_725));
        let stamp = ServerClock::stamp_sample(cached, received);
        assert_eq!(stamp, Some(TimeDelta::seconds(-3_725)));
        clock.observe(stamp.unwrap_or_default());
        assert_eq!(
            clock.note(&tr).as_deref(),
            Some("Your computer's clock is 1 h 2 min ahead of the server's; times are shown by the server's clock.")
        );
    }

    #[test]
    fn server_clock_ignores_missing_malformed_and_implausible_dates() {
        let received = Instant::from_millis(1_795_000_000_000);
        for bad in [
            None,
            Some(""),
            Some("soon"),
            Some("Sun, 29 Nov 2026 05:10:00 CET"),
            Some("1795000000"),
            // a server whose clock is 50 years off is not believed
            Some("Sun, 29 Nov 2076 05:10:00 GMT"),
        ] {
            assert_eq!(ServerClock::date_sample(bad, received), None, "{bad:?}");
        }
        let far = Instant::from_millis(0);
        assert_eq!(ServerClock::stamp_sample(far, received), None);
        let clock = ServerClock::default();
        assert_eq!(clock.now(received), received);
        assert_eq!(clock.note(&Tr::english()), None);
    }

    #[test]
    fn server_clock_ignores_jitter() {
        let ms = TimeDelta::milliseconds;
        let mut clock = ServerClock::new();
        // the usual: a few hundred milliseconds either way is the header's resolution
        for sample in [ms(400), ms(-500), ms(1_999), ms(-1_999)] {
            clock.observe(sample);
            assert_eq!(clock.offset(), TimeDelta::zero(), "{sample}");
        }
        // a real difference is taken, and small wobbles around it are not
        clock.observe(ms(600_300));
        clock.observe(ms(599_400));
        clock.observe(ms(601_200));
        assert_eq!(clock.offset(), ms(600_300));
        // a minute or less is applied, but not worth a sentence
        clock.observe(ms(45_000));
        assert_eq!(clock.offset(), ms(45_000));
        assert_eq!(clock.note(&Tr::english()), None);
        // the computer's clock set right: the offset goes back to none at once
        clock.observe(ms(700));
        assert_eq!(clock.offset(), TimeDelta::zero());
    }

    #[test]
    fn server_clock_note_in_every_language() {
        use crate::core::i18n::Lang;
        let mut clock = ServerClock::new();
        clock.observe(TimeDelta::seconds(-600));
        for code in ["de", "fr", "it"] {
            let Some(tr) = Lang::from_tag(code).map(Tr::native) else {
                panic!("{code}");
            };
            let note = clock.note(&tr).unwrap_or_default();
            assert!(note.contains("10 min"), "{code}: {note}");
            assert_ne!(note, clock.note(&Tr::english()).unwrap_or_default());
        }
    }
}
