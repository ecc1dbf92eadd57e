//! Refreshing many configurations at once: the queue's rules, DOM-free.
//!
//! A [`Batch`] holds the chosen configurations in the order they were chosen and
//! decides, each time it is polled, which may start now: at most
//! [`Batch::concurrency`] in flight (1–[`MAX_CONCURRENCY`]), none while the queue is
//! paused by a 429 (until the server's `Retry-After` / `X-RateLimit-Reset`, the
//! configuration that got it going first again), a 409 ("already refreshing") retried
//! once after [`CONFLICT_RETRY_SECS`], a 401 stopping the queue (the page signs out),
//! and a configuration still cooling down (the same gate as a single refresh) skipped
//! with the reason. Cancel stops starting new ones and keeps what finished; those in
//! flight are aborted by the page and come back as cancelled.
//!
//! The page runs the refreshes and reports each answer with [`Batch::finish`]; the
//! [`report`] orders the outcomes (breaking first), counts them and exports them.
//! Time is always passed in, so the rules are tested with a fake clock.

pub mod report;
pub mod selection;

use chrono::TimeDelta;

use super::diff::Headline;
use super::error::{ApiError, ErrorKind};
use super::gate::LockReason;
use super::history::HistoryEntry;
use super::i18n::{Tr, K};
use super::time::Instant;

/// Refreshes in flight at once unless the user chooses otherwise.
pub const DEFAULT_CONCURRENCY: usize = 2;
/// The most refreshes in flight the setting allows.
pub const MAX_CONCURRENCY: usize = 4;
/// More configurations than this are refreshed only after a confirmation.
pub const CONFIRM_ABOVE: usize = 5;
/// The wait before a configuration that answered 409 is tried once more.
pub const CONFLICT_RETRY_SECS: f64 = 2.0;
/// How long a 429 without a retry time pauses the queue (as the single refresh's gate).
pub const DEFAULT_PAUSE_SECS: f64 = 60.0;
/// A configuration answered 429 this many times is reported as failed (the queue
/// is not paused for it forever).
pub const MAX_RATE_LIMITED: u8 = 3;

/// The concurrency setting, kept within 1–[`MAX_CONCURRENCY`].
pub fn clamp_concurrency(n: usize) -> usize {
    n.clamp(1, MAX_CONCURRENCY)
}

/// Why the queue stopped before every configuration had its turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The user pressed Cancel.
    Cancelled,
    /// A 401: the session ended and the page signed out.
    SignedOut,
}

/// How one configuration's turn ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The refresh succeeded: the history entry recorded for it (with or without
    /// reported changes, see [`HistoryEntry::unreported`]) and its headline.
    Refreshed {
        /// The entry, as complete as the refresh gave it (also in its history).
        entry: Box<HistoryEntry>,
        /// The headline's facts, as the configuration's page shows them.
        headline: Headline,
    },
    /// The refresh failed (after its retry, for a 409).
    Failed(ApiError),
    /// It was in flight when the queue was cancelled or stopped, and was aborted.
    Cancelled,
    /// It was not started: still cooling down or rate limited, with this long to go.
    Skipped(TimeDelta, LockReason),
    /// It was still waiting when the queue stopped.
    NotStarted(Stop),
}

/// Where one configuration is in the queue.
#[derive(Clone, Debug, PartialEq)]
pub enum State {
    /// Waiting for its turn.
    Queued,
    /// Answered 409 once: waits until then, then is tried once more.
    RetryAt(Instant),
    /// In flight.
    Running,
    /// Its turn is over.
    Done(Outcome),
}

/// One chosen configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The configuration id.
    pub id: String,
    /// Its display name, when known.
    pub name: Option<String>,
    /// Where it is.
    pub state: State,
    conflicts: u8,
    rate_limited: u8,
}

impl Item {
    /// The name, or the id when there is none.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.id)
    }

    /// The outcome, once its turn is over.
    pub fn outcome(&self) -> Option<&Outcome> {
        match &self.state {
            State::Done(o) => Some(o),
            _ => None,
        }
    }

    fn waiting(&self) -> bool {
        matches!(self.state, State::Queued | State::RetryAt(_))
    }
}

/// What the page should do after a poll: start these items (by index; they are
/// now [`State::Running`]), and poll again at `wake_at` if nothing else happens
/// before (a pause or a 409 retry ends then).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Poll {
    /// Indexes of the items to start now.
    pub start: Vec<usize>,
    /// When to poll again at the latest.
    pub wake_at: Option<Instant>,
}

/// What an answer means for the queue (see [`Batch::finish`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The configuration's turn is over: a failure is recorded in its history.
    Final,
    /// A 409: it is tried once more after [`CONFLICT_RETRY_SECS`].
    Retry,
    /// A 429: the whole queue waits until then; the configuration goes again first.
    Paused(Instant),
    /// A 401: the queue stopped; the page signs out and aborts what is in flight.
    SignOut,
    /// The answer was for an item not in flight (ignored).
    Ignored,
}

/// Progress so far: `done` of `total`, `failed` among them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Configurations whose turn is over.
    pub done: usize,
    /// All chosen configurations.
    pub total: usize,
    /// Of those done, how many failed.
    pub failed: usize,
}

impl Progress {
    /// The progress bar's text, e.g. `7 of 23 done, 1 failed`.
    pub fn sentence(&self, tr: &Tr) -> String {
        let args = [
            ("done", self.done.into()),
            ("total", self.total.into()),
            ("n", self.failed.into()),
        ];
        if self.failed > 0 {
            tr.f(K::BulkProgressFailed, &args)
        } else {
            tr.f(K::BulkProgress, &args)
        }
    }
}

/// A queue of refreshes and what became of each.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    items: Vec<Item>,
    concurrency: usize,
    paused_until: Option<Instant>,
    stop: Option<Stop>,
    started_at: Instant,
    finished_at: Option<Instant>,
}

impl Batch {
    /// A queue of `(id, name)` in the order given (a repeated id is kept once),
    /// with at most `concurrency` in flight (clamped to 1–[`MAX_CONCURRENCY`]).
    pub fn new(
        chosen: impl IntoIterator<Item = (String, Option<String>)>,
        concurrency: usize,
        now: Instant,
    ) -> Self {
        let mut items: Vec<Item> = Vec::new();
        for (id, name) in chosen {
            if items.iter().all(|i| i.id != id) {
                items.push(Item {
                    id,
                    name,
                    state: State::Queued,
                    conflicts: 0,
                    rate_limited: 0,
                });
            }
        }
        let mut batch = Batch {
            items,
            concurrency: clamp_concurrency(concurrency),
            paused_until: None,
            stop: None,
            started_at: now,
            finished_at: None,
        };
        batch.settle(now);
        batch
    }

    /// The items, in the order chosen.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// One item.
    pub fn item(&self, index: usize) -> Option<&Item> {
        self.items.get(index)
    }

    /// The most refreshes in flight at once.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// When the batch started.
    pub fn started_at(&self) -> Instant {
        self.started_at
    }

    /// When the last turn ended (`None` while any is waiting or in flight).
    pub fn finished_at(&self) -> Option<Instant> {
        self.finished_at
    }

    /// Whether every turn is over.
    pub fn is_finished(&self) -> bool {
        self.finished_at.is_some()
    }

    /// Why the queue stopped early, if it did.
    pub fn stopped(&self) -> Option<Stop> {
        self.stop
    }

    /// How many are in flight.
    pub fn in_flight(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.state == State::Running)
            .count()
    }

    /// Indexes of the items in flight (the page aborts them on cancel).
    pub fn running(&self) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&i| self.items.get(i).is_some_and(|x| x.state == State::Running))
            .collect()
    }

    /// Until when a 429 pauses the queue, if it is paused at `now`.
    pub fn paused_until(&self, now: Instant) -> Option<Instant> {
        self.paused_until
            .filter(|t| *t > now && self.stop.is_none())
    }

    /// Done, total and failed so far.
    pub fn progress(&self) -> Progress {
        let done = self.items.iter().filter(|i| i.outcome().is_some()).count();
        let failed = self
            .items
            .iter()
            .filter(|i| matches!(i.outcome(), Some(Outcome::Failed(_))))
            .count();
        Progress {
            done,
            total: self.items.len(),
            failed,
        }
    }

    /// Decides what starts now. `locked(id)` is the configuration's gate: the time
    /// left and why while it cools down or is rate limited, and then it is skipped.
    pub fn poll(
        &mut self,
        now: Instant,
        locked: impl Fn(&str) -> Option<(TimeDelta, LockReason)>,
    ) -> Poll {
        let mut poll = Poll::default();
        if self.stop.is_some() || self.finished_at.is_some() {
            return poll;
        }
        match self.paused_until {
            Some(until) if until > now => {
                poll.wake_at = Some(until);
                return poll;
            }
            _ => self.paused_until = None,
        }
        let mut free = self.concurrency.saturating_sub(self.in_flight());
        for (index, item) in self.items.iter_mut().enumerate() {
            let due = match item.state {
                State::Queued => true,
                State::RetryAt(t) if t <= now => true,
                State::RetryAt(t) => {
                    poll.wake_at = Some(poll.wake_at.map_or(t, |w| w.min(t)));
                    false
                }
                _ => false,
            };
            if !due || free == 0 {
                continue;
            }
            // A retry (409) or a turn after a pause (429) goes through the gate too:
            // the single refresh's rules are the same.
            if let Some((left, why)) = locked(&item.id) {
                item.state = State::Done(Outcome::Skipped(left, why));
                continue;
            }
            item.state = State::Running;
            poll.start.push(index);
            free -= 1;
        }
        self.settle(now);
        poll
    }

    /// Records the answer for item `index` (started by [`Batch::poll`]): `Ok` with
    /// the entry recorded in its history and its headline, or the error. Returns
    /// what the answer means for the queue; poll again afterwards.
    pub fn finish(
        &mut self,
        index: usize,
        result: Result<(HistoryEntry, Headline), ApiError>,
        now: Instant,
    ) -> Verdict {
        let stopped = self.stop.is_some();
        let Some(item) = self.items.get_mut(index) else {
            return Verdict::Ignored;
        };
        if item.state != State::Running {
            return Verdict::Ignored;
        }
        let verdict = match result {
            Ok((entry, headline)) => {
                item.state = State::Done(Outcome::Refreshed {
                    entry: Box::new(entry),
                    headline,
                });
                Verdict::Final
            }
            Err(e) if e.kind == ErrorKind::Cancelled => {
                item.state = State::Done(Outcome::Cancelled);
                Verdict::Final
            }
            Err(e) if e.kind == ErrorKind::Unauthorized => {
                item.state = State::Done(Outcome::Failed(e));
                self.halt(Stop::SignedOut);
                Verdict::SignOut
            }
            Err(e)
                if e.kind == ErrorKind::RateLimited
                    && !stopped
                    && item.rate_limited + 1 < MAX_RATE_LIMITED =>
            {
                item.rate_limited += 1;
                item.state = State::Queued;
                let until = e
                    .retry_at
                    .filter(|t| *t > now)
                    .unwrap_or_else(|| now.plus_seconds(DEFAULT_PAUSE_SECS));
                // Never shorten a longer pause another answer asked for.
                let until = self.paused_until.map_or(until, |p| p.max(until));
                self.paused_until = Some(until);
                Verdict::Paused(until)
            }
            Err(e) if e.kind == ErrorKind::Conflict && !stopped && item.conflicts == 0 => {
                item.conflicts = 1;
                item.state = State::RetryAt(now.plus_seconds(CONFLICT_RETRY_SECS));
                Verdict::Retry
            }
            Err(e) => {
                item.state = State::Done(Outcome::Failed(e));
                Verdict::Final
            }
        };
        self.settle(now);
        verdict
    }

    /// Cancel: nothing new starts, what waits is reported as not started, what
    /// finished is kept. The page aborts those in flight ([`Batch::running`]).
    pub fn cancel(&mut self, now: Instant) {
        if self.stop.is_none() && self.finished_at.is_none() {
            self.halt(Stop::Cancelled);
        }
        self.settle(now);
    }

    fn halt(&mut self, why: Stop) {
        self.stop = Some(why);
        self.paused_until = None;
        for item in self.items.iter_mut().filter(|i| i.waiting()) {
            item.state = State::Done(Outcome::NotStarted(why));
        }
    }

    fn settle(&mut self, now: Instant) {
        if self.finished_at.is_none() && self.items.iter().all(|i| i.outcome().is_some()) {
            self.finished_at = Some(now);
        }
    }
}

#[cfg(test)]
mod tests;
