//! The dev-only count of refresh requests at the server: how many are in flight now,
//! the most ever in flight at once, and a log of each (configuration, start, end,
//! status). A client's concurrency cap is checked here, where it matters
//! (`GET /__dev/refreshes`), not in the client itself.

use serde::Serialize;
use std::sync::{Arc, Mutex, MutexGuard};

/// The log keeps at most this many requests (the oldest are dropped).
const LOG_MAX: usize = 1000;

/// One refresh request as the server saw it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Visit {
    /// The configuration id (decoded); `None` when the path could not be read.
    pub config_id: Option<String>,
    /// When it arrived, unix milliseconds.
    pub started_ms: i64,
    /// When it was answered (or the client went away), unix milliseconds.
    pub ended_ms: Option<i64>,
    /// The answer's status; `None` while in flight or when the client went away.
    pub status: Option<u16>,
    #[serde(skip)]
    seq: u64,
}

/// What `GET /__dev/refreshes` answers.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// Refresh requests in flight now.
    pub in_flight: usize,
    /// The most in flight at once since start (or the last clear).
    pub max_in_flight: usize,
    /// Refresh requests since start (or the last clear).
    pub total: u64,
    /// The latest requests, oldest first.
    pub log: Vec<Visit>,
    #[serde(skip)]
    next_seq: u64,
}

/// The shared counter.
#[derive(Debug, Default, Clone)]
pub struct RefreshCounter(Arc<Mutex<Stats>>);

impl RefreshCounter {
    fn lock(&self) -> MutexGuard<'_, Stats> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A refresh request arrived: counted until the returned guard is dropped.
    pub fn arrived(&self) -> InFlight {
        let mut s = self.lock();
        s.in_flight += 1;
        s.max_in_flight = s.max_in_flight.max(s.in_flight);
        s.total += 1;
        s.next_seq += 1;
        let seq = s.next_seq;
        s.log.push(Visit {
            config_id: None,
            started_ms: crate::clock::now().timestamp_millis(),
            ended_ms: None,
            status: None,
            seq,
        });
        if s.log.len() > LOG_MAX {
            s.log.remove(0);
        }
        InFlight {
            counter: self.clone(),
            seq,
            status: None,
        }
    }

    /// The counts and the log.
    pub fn stats(&self) -> Stats {
        self.lock().clone()
    }

    /// Forgets the log and the maximum (what is in flight stays counted).
    pub fn clear(&self) {
        let mut s = self.lock();
        s.max_in_flight = s.in_flight;
        s.total = 0;
        s.log.retain(|v| v.ended_ms.is_none());
    }

    fn update(&self, seq: u64, f: impl FnOnce(&mut Visit)) {
        if let Some(v) = self.lock().log.iter_mut().find(|v| v.seq == seq) {
            f(v);
        }
    }
}

/// One refresh request in flight; dropping it ends it (with its status, if set).
#[derive(Debug)]
pub struct InFlight {
    counter: RefreshCounter,
    seq: u64,
    status: Option<u16>,
}

impl InFlight {
    /// Names the configuration, once the path is decoded.
    pub fn config(&self, id: &str) {
        self.counter
            .update(self.seq, |v| v.config_id = Some(id.to_owned()));
    }

    /// The status the request is answered with.
    pub fn answered(&mut self, status: u16) {
        self.status = Some(status);
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let status = self.status;
        self.counter.update(self.seq, |v| {
            v.ended_ms = Some(crate::clock::now().timestamp_millis());
            v.status = status;
        });
        let mut s = self.counter.lock();
        s.in_flight = s.in_flight.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_what_is_in_flight_and_the_most_at_once() {
        let c = RefreshCounter::default();
        let mut a = c.arrived();
        a.config("pconf_a");
        let b = c.arrived();
        assert_eq!((c.stats().in_flight, c.stats().max_in_flight), (2, 2));
        a.answered(200);
        drop(a);
        let d = c.arrived();
        assert_eq!((c.stats().in_flight, c.stats().max_in_flight), (2, 2));
        drop(b);
        drop(d);
        let s = c.stats();
        assert_eq!((s.in_flight, s.max_in_flight, s.total), (0, 2, 3));
        assert_eq!(s.log[0].config_id.as_deref(), Some("pconf_a"));
        assert_eq!(s.log[0].status, Some(200));
        assert!(s.log[0].ended_ms.is_some());
        assert_eq!(s.log[1].status, None, "went away unanswered");
        c.clear();
        assert_eq!(
            c.stats(),
            Stats {
                next_seq: 3,
                ..Stats::default()
            }
        );
    }

    #[test]
    fn a_request_in_flight_during_a_clear_is_still_counted_down() {
        let c = RefreshCounter::default();
        let a = c.arrived();
        c.clear();
        assert_eq!((c.stats().in_flight, c.stats().max_in_flight), (1, 1));
        drop(a);
        assert_eq!(c.stats().in_flight, 0);
        assert_eq!(c.stats().log.len(), 1);
    }
}
