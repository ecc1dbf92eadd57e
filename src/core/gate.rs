//! When the "Refresh tools" button may be pressed again.
//!
//! The API asks clients to refresh sparingly, so after a success the button cools
//! down (30 s by default); a 429 locks it until `Retry-After` / `X-RateLimit-Reset`;
//! a 409 means another refresh is running. Pure rules over an [`Instant`], so they
//! are tested with a fake clock.

use super::error::{ApiError, ErrorKind};
use chrono::TimeDelta;

use super::i18n::{Tr, K};
use super::time::{duration_words, Instant};

/// The default cooldown after a successful refresh, in seconds.
pub const DEFAULT_COOLDOWN_SECS: u32 = 30;

/// Why the button is locked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockReason {
    /// Cooling down after a success.
    Cooldown,
    /// The server said 429.
    RateLimited,
}

/// The button's lock: free, or locked until an instant for a reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RefreshGate {
    lock: Option<(Instant, LockReason)>,
}

impl RefreshGate {
    /// After a successful refresh: cool down for `cooldown_secs` (0 disables it).
    pub fn after_success(&mut self, now: Instant, cooldown_secs: u32) {
        let until = now.plus_seconds(f64::from(cooldown_secs));
        self.lock_until(until, LockReason::Cooldown, now);
    }

    /// After a failure: a 429 locks until the server's retry time (60 s if it gave none).
    pub fn after_error(&mut self, err: &ApiError, now: Instant) {
        if err.kind == ErrorKind::RateLimited {
            let until = err.retry_at.unwrap_or_else(|| now.plus_seconds(60.0));
            self.lock_until(until, LockReason::RateLimited, now);
        }
    }

    fn lock_until(&mut self, until: Instant, reason: LockReason, now: Instant) {
        if until <= now {
            return;
        }
        // Never shorten an existing, longer lock.
        match self.lock {
            Some((existing, _)) if existing >= until => {}
            _ => self.lock = Some((until, reason)),
        }
    }

    /// The time until the button is free, with the reason; `None` when free.
    pub fn remaining(&self, now: Instant) -> Option<(TimeDelta, LockReason)> {
        let (until, reason) = self.lock?;
        let left = until.since(now);
        (left > TimeDelta::zero()).then_some((left, reason))
    }

    /// Whether a refresh may start now.
    pub fn is_open(&self, now: Instant) -> bool {
        self.remaining(now).is_none()
    }

    /// A short note for the button, e.g. `Available again in 25 s` (rounded up), in
    /// `tr`'s language.
    pub fn note(&self, tr: &Tr, now: Instant) -> Option<String> {
        let (left, reason) = self.remaining(now)?;
        Some(lock_note(tr, left, reason))
    }
}

/// The note for a lock with `left` to go (also what a bulk refresh says of a
/// configuration it skipped).
pub fn lock_note(tr: &Tr, left: TimeDelta, reason: LockReason) -> String {
    // Whole seconds, rounded up: "1 s" until the very end, never "0 s".
    let words = duration_words(
        tr,
        TimeDelta::seconds((left.num_milliseconds() + 999).div_euclid(1000)),
    );
    let key = match reason {
        LockReason::Cooldown => K::RefreshCooldownNote,
        LockReason::RateLimited => K::RefreshRateLimitedNote,
    };
    tr.f(key, &[("duration", words.into())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::classify;
    use crate::core::http::HttpReply;

    fn t0() -> Instant {
        Instant::from_millis(1_759_841_100_000)
    }

    #[test]
    fn cooldown_after_success_counts_down() {
        let mut g = RefreshGate::default();
        assert!(g.is_open(t0()));
        g.after_success(t0(), 30);
        assert!(!g.is_open(t0()));
        assert_eq!(
            g.note(&Tr::english(), t0().plus_seconds(5.5)).as_deref(),
            Some("Available again in 25 s (the API asks to refresh sparingly).")
        );
        assert!(!g.is_open(t0().plus_seconds(29.999)));
        assert!(g.is_open(t0().plus_seconds(30.0)));
        assert_eq!(g.note(&Tr::english(), t0().plus_seconds(30.0)), None);
    }

    #[test]
    fn zero_cooldown_never_locks() {
        let mut g = RefreshGate::default();
        g.after_success(t0(), 0);
        assert!(g.is_open(t0()));
    }

    #[test]
    fn rate_limit_honours_retry_after_seconds_and_dates() {
        let mut g = RefreshGate::default();
        let e = classify(
            &HttpReply::new(429, "").with_header("Retry-After", "90"),
            t0(),
        );
        g.after_error(&e, t0());
        assert_eq!(
            g.remaining(t0()),
            Some((TimeDelta::seconds(90), LockReason::RateLimited))
        );

        let mut g = RefreshGate::default();
        let e = classify(
            &HttpReply::new(429, "").with_header("Retry-After", "Tue, 07 Oct 2025 12:46:00 GMT"),
            t0(),
        );
        g.after_error(&e, t0());
        assert_eq!(g.remaining(t0()).map(|r| r.0), Some(TimeDelta::seconds(60)));
        assert_eq!(
            g.note(&Tr::english(), t0()).as_deref(),
            Some("Rate limited by the server: try again in 1 min.")
        );
    }

    #[test]
    fn rate_limit_reset_header_and_default() {
        let mut g = RefreshGate::default();
        let reset = (t0().millis() / 1000 + 45).to_string();
        let e = classify(
            &HttpReply::new(429, "{}").with_header("X-RateLimit-Reset", &reset),
            t0(),
        );
        g.after_error(&e, t0());
        assert_eq!(g.remaining(t0()).map(|r| r.0), Some(TimeDelta::seconds(45)));

        let mut g = RefreshGate::default();
        g.after_error(&classify(&HttpReply::new(429, ""), t0()), t0());
        assert_eq!(g.remaining(t0()).map(|r| r.0), Some(TimeDelta::seconds(60)));
    }

    #[test]
    fn other_errors_and_past_times_do_not_lock() {
        let mut g = RefreshGate::default();
        g.after_error(&classify(&HttpReply::new(409, ""), t0()), t0());
        g.after_error(&classify(&HttpReply::new(500, ""), t0()), t0());
        assert!(g.is_open(t0()));
        let e = classify(
            &HttpReply::new(429, "").with_header("Retry-After", "Mon, 06 Oct 2025 00:00:00 GMT"),
            t0(),
        );
        g.after_error(&e, t0());
        assert!(g.is_open(t0()));
    }

    #[test]
    fn a_longer_lock_is_not_shortened() {
        let mut g = RefreshGate::default();
        let e = classify(
            &HttpReply::new(429, "").with_header("Retry-After", "120"),
            t0(),
        );
        g.after_error(&e, t0());
        g.after_success(t0(), 30);
        assert_eq!(
            g.remaining(t0()),
            Some((TimeDelta::seconds(120), LockReason::RateLimited))
        );
    }

    #[test]
    fn notes_in_other_languages() {
        use crate::core::i18n::Lang;
        let mut g = RefreshGate::default();
        g.after_success(t0(), 30);
        let de = Tr::native(Lang::from_tag("de").unwrap());
        assert_eq!(
            g.note(&de, t0()).as_deref(),
            Some("Wieder verfügbar in 30 s (die API bittet, sparsam zu aktualisieren).")
        );
        let e = classify(
            &HttpReply::new(429, "").with_header("Retry-After", "90"),
            t0(),
        );
        g.after_error(&e, t0());
        let it = Tr::native(Lang::from_tag("it").unwrap());
        assert_eq!(
            g.note(&it, t0()).as_deref(),
            Some("Limite di richieste raggiunto: riprova tra 1 min 30 s.")
        );
    }
}
