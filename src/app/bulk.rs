//! Refreshing many configurations at once: the chosen set, the concurrency, and the
//! queue's runner. The rules are `core::batch`'s ([`Batch`]); this runs them: it
//! polls the batch, starts each refresh it allows through the same
//! [`refresh_one`] as the "Refresh tools" button (so each lands in its
//! configuration's history, cooldown and `refreshed` event), reports each answer
//! back, and wakes itself when a pause or a 409's wait ends. The state lives in a
//! context provided at the root, so the report survives going to a configuration
//! and back. The bar, progress and report are `ui::bulk`.

use std::collections::HashMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::core::batch::selection::Selection;
use crate::core::batch::{Batch, Verdict, DEFAULT_CONCURRENCY};
use crate::core::i18n::Tr;

use super::i18n::I18n;
use super::refresh::{refresh_one, Outcome, Ran, RefreshCtx};

/// The batch state, shared through context.
#[derive(Clone, Copy)]
pub struct Bulk {
    /// The configurations chosen on the list.
    pub selection: RwSignal<Selection>,
    /// The most refreshes in flight at once (1–4).
    pub concurrency: RwSignal<usize>,
    /// The batch running or last run, if any.
    pub batch: RwSignal<Option<Batch>>,
    /// Each configuration's last full result from a batch (its page shows it).
    results: StoredValue<HashMap<String, Outcome>, LocalStorage>,
    /// The cancel handle of each item in flight, by index.
    cancellers: StoredValue<HashMap<usize, Canceller>, LocalStorage>,
    /// The wake-up for the end of a pause or a 409's wait.
    timer: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    /// Which batch this is: answers for an older one are dropped.
    run: StoredValue<u64>,
    /// The batch whose `batch-finished` event was fired.
    announced: StoredValue<u64>,
    ctx: RefreshCtx,
    i18n: I18n,
}

impl Bulk {
    /// Creates and provides the state (after auth, history, gates and events).
    pub fn provide() -> Self {
        let bulk = Bulk {
            selection: RwSignal::new(Selection::default()),
            concurrency: RwSignal::new(DEFAULT_CONCURRENCY),
            batch: RwSignal::new(None),
            results: StoredValue::new_local(HashMap::new()),
            cancellers: StoredValue::new_local(HashMap::new()),
            timer: StoredValue::new_local(None),
            run: StoredValue::new(0),
            announced: StoredValue::new(0),
            ctx: RefreshCtx::get(),
            i18n: I18n::get(),
        };
        provide_context(bulk);
        // Unmounting the widget (or leaving the app) aborts what is in flight.
        on_cleanup(move || {
            bulk.run.update_value(|r| *r += 1);
            bulk.abort_running();
            bulk.clear_timer();
        });
        bulk
    }

    /// The provided state (a fresh one if none).
    pub fn get() -> Self {
        use_context::<Bulk>().unwrap_or_else(Bulk::provide)
    }

    /// The full result a batch left for configuration `id`, if any.
    pub fn result(&self, id: &str) -> Option<Outcome> {
        self.results
            .try_with_value(|m| m.get(id).cloned())
            .flatten()
    }

    /// Whether a batch is running now (tracked).
    pub fn running(&self) -> bool {
        self.batch
            .with(|b| b.as_ref().is_some_and(|b| !b.is_finished()))
    }

    /// Starts a batch of the chosen configurations, unless one is running (the
    /// bulk chunk's entry, `ui::bulk`, calls it once the chunk is in).
    pub fn start(self) {
        let busy = self
            .batch
            .with_untracked(|b| b.as_ref().is_some_and(|b| !b.is_finished()));
        let chosen = self.selection.with_untracked(|s| s.chosen().to_vec());
        if busy || chosen.is_empty() {
            return;
        }
        self.run.update_value(|r| *r += 1);
        let concurrency = self.concurrency.get_untracked();
        self.batch
            .set(Some(Batch::new(chosen, concurrency, api::now())));
        self.pump();
    }

    /// Cancel: nothing new starts, those in flight are aborted, what finished stays.
    pub fn cancel(self) {
        let now = api::now();
        self.batch.update(|b| {
            if let Some(b) = b {
                b.cancel(now);
            }
        });
        self.abort_running();
        self.clear_timer();
        self.pump();
    }

    /// Forgets the report of a finished batch.
    pub fn dismiss(self) {
        if !self.running() {
            self.batch.set(None);
        }
    }

    /// Starts what the batch allows now, and sets the wake-up for what must wait.
    fn pump(self) {
        let now = api::now();
        let gates = self.ctx.gates;
        let poll = self
            .batch
            .try_update(|b| {
                b.as_mut()
                    .map(|b| b.poll(now, |id| gates.remaining(id, now)))
            })
            .flatten();
        let Some(poll) = poll else {
            return;
        };
        for index in poll.start {
            self.launch(index);
        }
        self.clear_timer();
        if let Some(at) = poll.wake_at {
            let ms = u64::try_from(at.since(now).num_milliseconds().max(0)).unwrap_or(0) + 20;
            let handle =
                set_timeout_with_handle(move || self.pump(), Duration::from_millis(ms)).ok();
            let _ = self.timer.try_update_value(|t| *t = handle);
        }
        self.announce_finish();
    }

    /// Runs item `index`'s refresh and reports its answer to the batch.
    fn launch(self, index: usize) {
        let Some((id, name)) = self.batch.with_untracked(|b| {
            b.as_ref()
                .and_then(|b| b.item(index))
                .map(|i| (i.id.clone(), i.name.clone()))
        }) else {
            return;
        };
        let c = Canceller::new();
        self.cancellers.update_value(|m| {
            m.insert(index, c.clone());
        });
        let run = self.run.get_value();
        let ctx = self.ctx;
        let tr = self.i18n.tr();
        spawn_local(async move {
            let stale = || self.run.try_get_value() != Some(run);
            let name_now = || name.clone();
            // While a 429 pauses the queue, a refresh already under way (reading the
            // definitions) does not send its refresh call either.
            let hold = || {
                let now = api::now();
                self.batch
                    .try_with_untracked(|b| b.as_ref().and_then(|b| b.paused_until(now)))
                    .flatten()
                    .map(|until| {
                        i32::try_from(until.since(now).num_milliseconds()).unwrap_or(60_000) + 20
                    })
            };
            let ran = refresh_one(ctx, tr.clone(), &id, &name_now, &c, &stale, &hold).await;
            if stale() {
                return;
            }
            let _ = self.cancellers.try_update_value(|m| m.remove(&index));
            if matches!(ran, Ran::Stale) {
                return;
            }
            self.settle(index, &id, name.as_deref(), &tr, ran);
            self.pump();
        });
    }

    /// Reports item `index`'s answer to the batch; a final failure lands in the
    /// configuration's history, a refusal of the session signs out.
    fn settle(self, index: usize, id: &str, name: Option<&str>, tr: &Tr, ran: Ran) {
        let ctx = self.ctx;
        let (result, failed) = match ran {
            // Handled by the caller (nothing more to report).
            Ran::Stale => return,
            Ran::Reported { outcome, entry } => {
                let headline = outcome.summary.headline_facts();
                let _ = self
                    .results
                    .try_update_value(|m| m.insert(id.to_owned(), outcome));
                (Ok((entry, headline)), None)
            }
            Ran::Unreported { summary, entry, .. } => (Ok((entry, summary.headline_facts())), None),
            Ran::Failed {
                error,
                at,
                duration_ms,
            } => (Err(error.clone()), Some((error, at, duration_ms))),
        };
        let now = api::now();
        let verdict = self
            .batch
            .try_update(|b| b.as_mut().map(|b| b.finish(index, result, now)))
            .flatten();
        match (verdict, failed) {
            // A final failure lands in its history as a single refresh's does; a
            // 409 about to be retried or a 429 waited out does not (yet).
            (Some(Verdict::Final), Some((e, at, duration_ms))) => {
                ctx.record_failure(tr, id, name, at, duration_ms, &e);
                ctx.events.error(Some(id), &e);
            }
            (Some(Verdict::SignOut), Some((e, _, _))) => {
                self.abort_running();
                ctx.events.error(Some(id), &e);
                ctx.auth.handle(&e);
            }
            _ => {}
        }
    }

    fn abort_running(self) {
        let _ = self.cancellers.try_with_value(|m| {
            for c in m.values() {
                c.cancel();
            }
        });
    }

    fn clear_timer(self) {
        if let Some(Some(t)) = self.timer.try_update_value(Option::take) {
            t.clear();
        }
    }

    fn announce_finish(self) {
        let (Some(run), Some(done)) = (self.run.try_get_value(), self.announced.try_get_value())
        else {
            return;
        };
        if run == done {
            return;
        }
        let fired = self.batch.with_untracked(|b| {
            b.as_ref()
                .filter(|b| b.is_finished())
                .map(|b| self.ctx.events.batch_finished(b))
        });
        if fired.is_some() {
            self.announced.set_value(run);
        }
    }
}
