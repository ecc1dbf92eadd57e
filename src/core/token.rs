//! The life of an email sign-in's tokens, as plain logic over chrono times: when to
//! renew, sharing one renewal among concurrent requests (single-flight), retrying a
//! call once after a 401 `TOKEN_EXPIRED`, and when to give up and ask for a new
//! sign-in.
//!
//! The browser side (`ui::auth`) owns one [`Lifecycle`] and asks it before every
//! request ([`Lifecycle::before_request`]) and after a 401 `TOKEN_EXPIRED`
//! ([`Lifecycle::rejected`]). The answer is a [`Step`]: send with this token, renew
//! first (only one caller ever gets this while a renewal runs), wait for the renewal
//! in flight (the caller's waiter is queued here and handed back when it settles), or
//! sign in again. So there are never two refresh calls at once, and no request is sent
//! with a token known to be dead.

use chrono::TimeDelta;

use super::error::{ApiError, ErrorKind};
use super::i18n::{Tr, K};
use super::time::Instant;

/// Renew at most this long before the access token expires.
pub const MAX_MARGIN: TimeDelta = TimeDelta::seconds(60);

/// After a renewal failed for a passing reason (network, 5xx), an access token that
/// is still valid is used for this long before renewal is tried again.
pub const BACKOFF: TimeDelta = TimeDelta::seconds(5);

/// What a sign-in (verify) or a renewal handed out.
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    /// The access token, sent as `Authorization: Bearer`.
    pub access: String,
    /// The refresh token, if the server gave one.
    pub refresh: Option<String>,
    /// When the access token expires (`expires_in` after it was received), if said.
    pub expires_at: Option<Instant>,
    /// When the answer was received.
    pub received_at: Instant,
}

impl std::fmt::Debug for Grant {
    // Never print a token, even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant")
            .field("access", &"<redacted>")
            .field("refresh", &self.refresh.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .field("received_at", &self.received_at)
            .finish()
    }
}

impl Grant {
    /// When to renew: a fifth of the token's lifetime before it expires, at most
    /// [`MAX_MARGIN`] before (an hour-long token: one minute before; a 5-second
    /// token: one second before). `None` when the server did not say when it expires
    /// (then it is renewed only when a call answers 401 `TOKEN_EXPIRED`).
    pub fn renew_at(&self) -> Option<Instant> {
        let expires = self.expires_at?;
        let lifetime = expires.since(self.received_at).max(TimeDelta::zero());
        let margin = (lifetime / 5).min(MAX_MARGIN);
        Some(expires.plus(-margin))
    }
}

/// What to do before (or instead of) sending a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Send it with this access token.
    Send(String),
    /// Renew first with this refresh token (this caller runs the renewal and then
    /// reports it with [`Lifecycle::renewed`]).
    Renew(String),
    /// A renewal is in flight: the caller's waiter was queued and gets the new token
    /// (or the reason there is none) when it settles.
    Wait,
    /// The session is over: sign in again.
    SignIn,
}

/// How a renewal settled, for the caller that ran it.
#[derive(Debug)]
pub struct Settled<W> {
    /// Everyone who waited for this renewal; hand each a clone of `outcome`.
    pub waiters: Vec<W>,
    /// The access token to use now, or why there is none.
    pub outcome: Result<String, ApiError>,
    /// The session ended (the server refused to renew): back to sign-in, with
    /// this reason.
    pub ended: Option<SignedOut>,
    /// The refresh token to keep now (it rotates with each renewal).
    pub refresh: Option<String>,
}

/// One signed-in session's tokens. `W` is whatever wakes a waiting caller (a
/// channel sender in the browser, a plain value in the tests).
#[derive(Debug)]
pub struct Lifecycle<W> {
    grant: Option<Grant>,
    /// The current access token was refused as expired (or was never known).
    dead: bool,
    renewing: bool,
    waiting: Vec<W>,
    /// A renewal failed for a passing reason at this time.
    failed_at: Option<Instant>,
}

impl<W> Lifecycle<W> {
    /// A session just signed in.
    pub fn new(grant: Grant) -> Self {
        Self {
            grant: Some(grant),
            dead: false,
            renewing: false,
            waiting: Vec::new(),
            failed_at: None,
        }
    }

    /// A session restored from the tab's storage: only its refresh token is known,
    /// so the first request renews.
    pub fn restored(refresh: String, now: Instant) -> Self {
        let mut l = Self::new(Grant {
            access: String::new(),
            refresh: Some(refresh),
            expires_at: None,
            received_at: now,
        });
        l.dead = true;
        l
    }

    /// The refresh token (to keep, or to send at sign-out).
    pub fn refresh_token(&self) -> Option<&str> {
        self.grant.as_ref()?.refresh.as_deref()
    }

    /// The access token, unless it is known to be dead.
    pub fn access_token(&self) -> Option<&str> {
        self.grant
            .as_ref()
            .filter(|_| !self.dead)
            .map(|g| g.access.as_str())
    }

    /// Whether a renewal is in flight.
    pub fn is_renewing(&self) -> bool {
        self.renewing
    }

    /// Whether the access token must be renewed before it is sent at `now`.
    pub fn needs_renewal(&self, now: Instant) -> bool {
        let Some(g) = &self.grant else {
            return false;
        };
        if self.dead || g.access.is_empty() {
            return true;
        }
        let due = g.renew_at().is_some_and(|at| now >= at);
        let expired = g.expires_at.is_some_and(|at| now >= at);
        let backing_off = self.failed_at.is_some_and(|f| now.since(f) < BACKOFF);
        due && (expired || !backing_off)
    }

    /// Before a request at `now`: which token to send, or renew/wait/sign in first.
    /// `waiter` is called (and queued) only when the answer is [`Step::Wait`].
    pub fn before_request(&mut self, now: Instant, waiter: impl FnOnce() -> W) -> Step {
        let Some(g) = &self.grant else {
            return Step::SignIn;
        };
        if self.renewing {
            self.waiting.push(waiter());
            return Step::Wait;
        }
        if !self.needs_renewal(now) {
            return Step::Send(g.access.clone());
        }
        match (
            &g.refresh,
            self.dead || g.expires_at.is_some_and(|at| now >= at),
        ) {
            (Some(refresh), _) => {
                self.renewing = true;
                Step::Renew(refresh.clone())
            }
            // Nothing to renew with: use the token while it may still work.
            (None, false) => Step::Send(g.access.clone()),
            (None, true) => Step::SignIn,
        }
    }

    /// A call sent with `used` was answered 401 `TOKEN_EXPIRED` at `now`. If a
    /// renewal has already replaced `used`, the new token is used without renewing
    /// again; otherwise `used` is dead and the session renews (once, shared).
    pub fn rejected(&mut self, used: &str, now: Instant, waiter: impl FnOnce() -> W) -> Step {
        if let Some(g) = &self.grant {
            if g.access == used {
                self.dead = true;
            }
        }
        self.before_request(now, waiter)
    }

    /// Reports the renewal this caller ran (after [`Step::Renew`]).
    pub fn renewed(&mut self, result: Result<Grant, ApiError>, now: Instant) -> Settled<W> {
        self.renewing = false;
        let waiters = std::mem::take(&mut self.waiting);
        match result {
            Ok(mut grant) => {
                if grant.refresh.is_none() {
                    // Not rotated: the old refresh token stays valid.
                    grant.refresh = self.refresh_token().map(str::to_owned);
                }
                let outcome = Ok(grant.access.clone());
                let refresh = grant.refresh.clone();
                self.grant = Some(grant);
                self.dead = false;
                self.failed_at = None;
                Settled {
                    waiters,
                    outcome,
                    ended: None,
                    refresh,
                }
            }
            Err(e) if renewal_refused(&e) => {
                self.grant = None;
                Settled {
                    waiters,
                    outcome: Err(ApiError {
                        kind: ErrorKind::Unauthorized,
                        ..e.clone()
                    }),
                    ended: Some(SignedOut::RenewalRefused(e)),
                    refresh: None,
                }
            }
            Err(e) => {
                self.failed_at = Some(now);
                let still_valid = self
                    .grant
                    .as_ref()
                    .filter(|g| !self.dead && !g.access.is_empty())
                    .filter(|g| g.expires_at.is_none_or(|at| now < at))
                    .map(|g| g.access.clone());
                Settled {
                    waiters,
                    outcome: still_valid.ok_or(e),
                    ended: None,
                    refresh: self.refresh_token().map(str::to_owned),
                }
            }
        }
    }
}

/// Whether `err` is the 401 `TOKEN_EXPIRED` answer that calls for one renewal.
pub fn is_token_expired(err: &ApiError) -> bool {
    err.kind == ErrorKind::Unauthorized
        && err
            .code
            .as_deref()
            .is_some_and(|c| c.eq_ignore_ascii_case("TOKEN_EXPIRED"))
}

/// Whether a call that failed with `err` on attempt `attempt` (0 = the first) is
/// retried after a renewal: only a first attempt, only for `TOKEN_EXPIRED`.
pub fn should_retry(err: &ApiError, attempt: u32) -> bool {
    attempt == 0 && is_token_expired(err)
}

/// Whether a failed renewal means the session is over (the server answered and
/// refused), rather than a passing failure (no answer, a 5xx, a rate limit).
pub fn renewal_refused(err: &ApiError) -> bool {
    !matches!(
        err.kind,
        ErrorKind::Network
            | ErrorKind::Timeout
            | ErrorKind::Cancelled
            | ErrorKind::Server
            | ErrorKind::HtmlBody
            | ErrorKind::EmptyBody
            | ErrorKind::RateLimited
            | ErrorKind::Conflict
    )
}

/// Why the sign-in form is shown again: kept as data, so it is worded in the
/// language on screen whenever it is shown (a language switch re-words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignedOut {
    /// A 401 on an API key or a host's token: the error's own message.
    Refused(ApiError),
    /// The server refused to renew an email sign-in.
    RenewalRefused(ApiError),
    /// A call was refused (401) even after renewing.
    AccessRefused(ApiError),
    /// Nothing is left to renew the session with.
    Over,
}

impl SignedOut {
    /// The sentence for the sign-in form (what happened, then what to do).
    pub fn message(&self, tr: &Tr) -> String {
        match self {
            SignedOut::Refused(e) => e.user_message(tr),
            SignedOut::RenewalRefused(e) => renewal_refused_message(tr, e),
            SignedOut::AccessRefused(e) => session_ended_message(tr, e),
            SignedOut::Over => tr.t(K::SigninSessionOver),
        }
    }
}

/// Why the session ended when the server refused to renew it.
pub fn renewal_refused_message(tr: &Tr, err: &ApiError) -> String {
    err.message_with_details(tr, K::SigninRenewalRefused)
}

/// Why the session ended when a call was refused (401) even after renewing.
pub fn session_ended_message(tr: &Tr, err: &ApiError) -> String {
    err.message_with_details(tr, K::SigninAccessRefused)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::classify;
    use crate::core::http::HttpReply;

    fn t(secs: i64) -> Instant {
        Instant::from_millis(1_764_400_000_000).plus(TimeDelta::seconds(secs))
    }

    fn grant(access: &str, refresh: &str, at: i64, lifetime: i64) -> Grant {
        Grant {
            access: access.into(),
            refresh: Some(refresh.into()),
            expires_at: Some(t(at + lifetime)),
            received_at: t(at),
        }
    }

    fn expired_401() -> ApiError {
        classify(
            &HttpReply::new(
                401,
                r#"{"success":false,"error":{"code":"TOKEN_EXPIRED","message":"The access token has expired."}}"#,
            ),
            t(0),
        )
    }

    fn refused() -> ApiError {
        classify(
            &HttpReply::new(
                401,
                r#"{"success":false,"error":{"code":"INVALID_REFRESH_TOKEN","message":"already used"}}"#,
            ),
            t(0),
        )
    }

    #[test]
    fn renews_shortly_before_expiry() {
        let hour = grant("a1", "r1", 0, 3600);
        assert_eq!(hour.renew_at(), Some(t(3540)));
        let short = grant("a1", "r1", 0, 5);
        assert_eq!(short.renew_at(), Some(t(4)));

        let mut l: Lifecycle<u32> = Lifecycle::new(hour);
        assert_eq!(l.before_request(t(10), || 0), Step::Send("a1".into()));
        assert_eq!(l.before_request(t(3539), || 0), Step::Send("a1".into()));
        assert!(l.needs_renewal(t(3540)));
        assert_eq!(l.before_request(t(3540), || 0), Step::Renew("r1".into()));
        let s = l.renewed(Ok(grant("a2", "r2", 3541, 3600)), t(3541));
        assert_eq!(
            (s.outcome, s.ended, s.refresh),
            (Ok("a2".into()), None, Some("r2".into()))
        );
        assert_eq!(l.before_request(t(3542), || 0), Step::Send("a2".into()));
        assert_eq!(l.refresh_token(), Some("r2"));
    }

    #[test]
    fn concurrent_requests_share_one_renewal() {
        let mut l: Lifecycle<u32> = Lifecycle::new(grant("a1", "r1", 0, 5));
        // three requests at once, all after the renewal point
        assert_eq!(l.before_request(t(4), || 1), Step::Renew("r1".into()));
        assert_eq!(l.before_request(t(4), || 2), Step::Wait);
        assert_eq!(l.before_request(t(4), || 3), Step::Wait);
        // a 401 TOKEN_EXPIRED for the old token while renewing: waits too, no second renewal
        assert_eq!(l.rejected("a1", t(5), || 4), Step::Wait);
        assert!(l.is_renewing());
        let s = l.renewed(Ok(grant("a2", "r2", 5, 5)), t(5));
        assert_eq!(s.waiters, vec![2, 3, 4]);
        assert_eq!(s.outcome, Ok("a2".into()));
        assert!(!l.is_renewing());
        // a late 401 for the old token: the new one is used, no renewal
        assert_eq!(l.rejected("a1", t(6), || 5), Step::Send("a2".into()));
    }

    #[test]
    fn a_dead_token_is_never_sent() {
        let mut l: Lifecycle<u32> = Lifecycle::new(grant("a1", "r1", 0, 3600));
        // the server says a1 expired long before its time (e.g. revoked clock skew)
        assert_eq!(l.rejected("a1", t(10), || 0), Step::Renew("r1".into()));
        assert_eq!(l.access_token(), None);
        assert_eq!(l.before_request(t(10), || 7), Step::Wait);
        let s = l.renewed(Err(ApiError::new(ErrorKind::Network)), t(11));
        // a passing failure: the dead token is not handed out; the caller fails
        assert_eq!(s.waiters, vec![7]);
        assert_eq!(s.outcome.map_err(|e| e.kind), Err(ErrorKind::Network));
        assert_eq!(s.ended, None);
        // the next request tries to renew again (never sends a1)
        assert_eq!(l.before_request(t(12), || 0), Step::Renew("r1".into()));
    }

    #[test]
    fn retry_once_only_for_token_expired() {
        assert!(is_token_expired(&expired_401()));
        assert!(should_retry(&expired_401(), 0));
        assert!(!should_retry(&expired_401(), 1));
        assert!(!should_retry(&refused(), 0));
        let forbidden = classify(
            &HttpReply::new(
                403,
                r#"{"success":false,"error":{"code":"TOKEN_EXPIRED","message":"x"}}"#,
            ),
            t(0),
        );
        assert!(!should_retry(&forbidden, 0));
        assert!(!should_retry(&ApiError::new(ErrorKind::Network), 0));
    }

    #[test]
    fn gives_up_when_renewal_is_refused() {
        let mut l: Lifecycle<u32> = Lifecycle::new(grant("a1", "r1", 0, 5));
        assert_eq!(l.before_request(t(6), || 0), Step::Renew("r1".into()));
        assert_eq!(l.before_request(t(6), || 9), Step::Wait);
        let s = l.renewed(Err(refused()), t(6));
        assert_eq!(s.waiters, vec![9]);
        let reason = s
            .ended
            .map(|e| e.message(&Tr::english()))
            .unwrap_or_default();
        assert!(
            reason
                .starts_with("Your session has ended: the server refused to renew it (HTTP 401)."),
            "{reason}"
        );
        assert!(reason.contains("already used"), "{reason}");
        assert_eq!(s.outcome.map_err(|e| e.kind), Err(ErrorKind::Unauthorized));
        assert_eq!(l.before_request(t(7), || 0), Step::SignIn);
        assert_eq!(l.refresh_token(), None);
        assert!(renewal_refused(&ApiError::new(ErrorKind::NotSupported)));
        assert!(!renewal_refused(&ApiError::new(ErrorKind::Timeout)));
    }

    #[test]
    fn why_the_session_ended_is_worded_when_shown() {
        use crate::core::i18n::Lang;
        let de = Tr::native(Lang::from_tag("de").unwrap());
        let fr = Tr::native(Lang::from_tag("fr").unwrap());
        let ended = SignedOut::RenewalRefused(refused());
        assert_eq!(
            ended.message(&de),
            "Ihre Sitzung ist beendet: Der Server hat die Verlängerung abgelehnt (HTTP 401). \
             Der Server meldete: «already used». Melden Sie sich erneut an."
        );
        assert!(ended.message(&fr).starts_with(
            "Votre session a pris fin : le serveur a refusé de la renouveler (HTTP 401)."
        ));
        assert_eq!(
            SignedOut::AccessRefused(ApiError::new(ErrorKind::Unauthorized))
                .message(&Tr::english()),
            "Your session has ended: the server refused the access token. Sign in again."
        );
        assert_eq!(
            SignedOut::Over.message(&de),
            "Ihre Sitzung ist beendet. Melden Sie sich erneut an."
        );
        let key = classify(
            &HttpReply::new(
                401,
                r#"{"success":false,"error":{"code":"INVALID_API_KEY","message":"bad"}}"#,
            ),
            t(0),
        );
        assert_eq!(
            SignedOut::Refused(key.clone()).message(&de),
            key.user_message(&de)
        );
    }

    #[test]
    fn a_passing_failure_keeps_a_valid_token_and_backs_off() {
        let mut l: Lifecycle<u32> = Lifecycle::new(grant("a1", "r1", 0, 3600));
        assert_eq!(l.before_request(t(3550), || 0), Step::Renew("r1".into()));
        let s = l.renewed(Err(ApiError::new(ErrorKind::Server)), t(3550));
        assert_eq!(s.outcome, Ok("a1".into()));
        // within the backoff the still-valid token is used, no renewal storm
        assert_eq!(l.before_request(t(3552), || 0), Step::Send("a1".into()));
        assert_eq!(l.before_request(t(3556), || 0), Step::Renew("r1".into()));
        let _ = l.renewed(Err(ApiError::new(ErrorKind::Server)), t(3556));
        // once expired, no backoff: renew before sending
        assert_eq!(l.before_request(t(3601), || 0), Step::Renew("r1".into()));
    }

    #[test]
    fn restored_sessions_and_unknown_lifetimes() {
        let mut l: Lifecycle<u32> = Lifecycle::restored("r0".into(), t(0));
        assert_eq!(l.access_token(), None);
        assert_eq!(l.before_request(t(0), || 0), Step::Renew("r0".into()));
        // a renewal without a new refresh token keeps the old one
        let s = l.renewed(
            Ok(Grant {
                access: "a1".into(),
                refresh: None,
                expires_at: None,
                received_at: t(1),
            }),
            t(1),
        );
        assert_eq!(s.refresh.as_deref(), Some("r0"));
        // no expiry said: never renewed ahead, only after a 401
        assert_eq!(l.before_request(t(100_000), || 0), Step::Send("a1".into()));
        assert_eq!(l.rejected("a1", t(100_001), || 0), Step::Renew("r0".into()));

        // no refresh token: used until refused, then sign in again
        let mut l: Lifecycle<u32> = Lifecycle::new(Grant {
            refresh: None,
            ..grant("a1", "-", 0, 5)
        });
        assert_eq!(l.before_request(t(4), || 0), Step::Send("a1".into()));
        assert_eq!(l.before_request(t(5), || 0), Step::SignIn);
        let mut l: Lifecycle<u32> = Lifecycle::new(Grant {
            refresh: None,
            ..grant("a1", "-", 0, 3600)
        });
        assert_eq!(l.rejected("a1", t(1), || 0), Step::SignIn);
    }

    #[test]
    fn tokens_never_in_debug_output() {
        let g = grant("secret_access", "secret_refresh", 0, 5);
        let l: Lifecycle<u32> = Lifecycle::new(g.clone());
        let dump = format!("{g:?} {l:?}");
        assert!(!dump.contains("secret"), "{dump}");
    }
}
