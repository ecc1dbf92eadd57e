//! One configuration page's refresh: the configuration's name and status, the
//! refresh in flight (with Cancel), the last good result, and a failure or an
//! unreported refresh kept beside it (never instead of it). The page
//! (`ui::refresh`) renders this state and presses its button; so does the
//! embedding handle's `refresh()`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::core::error::ApiError;
use crate::core::gate::RefreshGate;
use crate::core::i18n::K;
use crate::core::model::Configuration;
use crate::core::time::Instant;

use super::bulk::Bulk;
use super::i18n::I18n;
use super::refresh::{refresh_one, Outcome, Ran, RefreshCtx, RefreshRequests};

/// A failed refresh, kept beside the last good result.
#[derive(Clone, Debug)]
pub struct Failure {
    /// What went wrong.
    pub error: ApiError,
    /// When the answer came.
    pub at: Instant,
}

/// A refresh the server accepted without saying what changed, kept beside the
/// last good result (never shown as "no changes").
#[derive(Clone, Debug)]
pub struct Unreported {
    /// When the answer came.
    pub at: Instant,
    /// The server's message.
    pub message: Option<String>,
}

/// The state of configuration `id`'s page. Made by the page, in its reactive
/// owner: when the page goes, what is in flight is aborted and late answers are
/// dropped.
#[derive(Clone, Copy)]
pub struct ConfigurationPage {
    id: StoredValue<String>,
    /// The configuration's name and status (best effort: refresh works without it).
    pub details: RwSignal<Option<Configuration>>,
    /// The configuration's cooldown and rate limit.
    pub gate: Memo<RefreshGate>,
    /// Whether a refresh is in flight.
    pub running: RwSignal<bool>,
    /// The last good result.
    pub last: RwSignal<Option<Outcome>>,
    /// The last refresh failed (shown beside the last good result).
    pub failure: RwSignal<Option<Failure>>,
    /// The last refresh was accepted without saying what changed.
    pub unreported: RwSignal<Option<Unreported>>,
    /// What a screen reader is told of the refresh (worded when it happens).
    pub announcement: RwSignal<String>,
    canceller: StoredValue<Canceller, LocalStorage>,
    /// Bumped by every new refresh and on cleanup: an answer for an older
    /// generation is dropped, never shown.
    generation: StoredValue<u64>,
    ctx: RefreshCtx,
    i18n: I18n,
}

impl ConfigurationPage {
    /// The page state for configuration `id` (not encoded); starts loading its
    /// details, and follows the embedding handle's refresh requests.
    pub fn new(id: String) -> Self {
        let ctx = RefreshCtx::get();
        let gates = ctx.gates;
        let gate = {
            let id = id.clone();
            Memo::new(move |_| gates.0.with(|m| m.get(&id).copied().unwrap_or_default()))
        };
        let page = ConfigurationPage {
            // A bulk refresh may have left this configuration's full result.
            last: RwSignal::new(Bulk::get().result(&id)),
            id: StoredValue::new(id),
            details: RwSignal::new(None),
            gate,
            running: RwSignal::new(false),
            failure: RwSignal::new(None),
            unreported: RwSignal::new(None),
            announcement: RwSignal::new(String::new()),
            canceller: StoredValue::new_local(Canceller::new()),
            generation: StoredValue::new(0),
            ctx,
            i18n: I18n::get(),
        };
        on_cleanup(move || {
            let _ = page.generation.try_update_value(|g| *g += 1);
            let _ = page.canceller.try_with_value(Canceller::cancel);
        });
        page.load_details();
        // The embedding handle's refresh(): each new request presses the button.
        if let Some(requests) = RefreshRequests::get() {
            Effect::watch(move || requests.count(), move |_, _, _| page.run(), false);
        }
        page
    }

    /// The configuration's id.
    pub fn id(self) -> String {
        self.id.get_value()
    }

    /// Whether the gate holds the button at `now` (tracked).
    pub fn locked(self, now: Instant) -> bool {
        !self.gate.get().is_open(now)
    }

    /// Whether an answer begun at generation `mine` is no longer wanted.
    fn stale(self, mine: u64) -> bool {
        self.generation.try_get_value() != Some(mine)
    }

    /// Loads the name and status (best effort: refresh works without it).
    fn load_details(self) {
        let auth = self.ctx.auth;
        let (id, c) = (self.id(), Canceller::new());
        let start = self.generation.get_value();
        spawn_local(async move {
            let (idr, cr) = (&id, &c);
            let r = match auth.fresh_session().await {
                Ok(session) => {
                    auth.retry_once(session, |s| async move {
                        api::get_configuration(&s, idr, cr).await
                    })
                    .await
                }
                Err(e) => Err(e),
            };
            if self.stale(start) {
                return;
            }
            match r {
                Ok(cfg) => self.details.set(Some(cfg)),
                Err(e) => {
                    self.ctx.auth.handle(&e);
                }
            }
        });
    }

    /// The name the history records the configuration under.
    fn name(self) -> Option<String> {
        self.details
            .try_with_untracked(|d| d.as_ref().and_then(|c| c.name.clone()))
            .flatten()
    }

    /// The "Refresh tools" button: one refresh, unless one is running, the gate
    /// holds it, or no one is signed in.
    pub fn run(self) {
        if self.running.get_untracked() || !self.gate.get_untracked().is_open(api::now()) {
            return;
        }
        if self.ctx.auth.session.with_untracked(Option::is_none) {
            return;
        }
        self.running.set(true);
        self.failure.set(None);
        self.unreported.set(None);
        self.announcement.set(
            self.i18n
                .with_untracked(|tr| tr.t(K::RefreshAnnounceRefreshing)),
        );
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        let c = Canceller::new();
        self.canceller.set_value(c.clone());
        let id = self.id();
        // The reasons a definitions read failed are worded in the language of the
        // moment (the insight keeps them as text); taken now, while the page is
        // surely alive.
        let tr = self.i18n.tr();
        spawn_local(async move {
            let stale = || self.stale(mine);
            let name = || self.name();
            let ran = refresh_one(self.ctx, tr, &id, &name, &c, &stale, &|| None).await;
            self.settle(&id, ran);
        });
    }

    /// Cancels the refresh in flight.
    pub fn cancel(self) {
        self.canceller.with_value(Canceller::cancel);
    }

    /// Shows what a refresh gave, and records a failure.
    fn settle(self, id: &str, ran: Ran) {
        let (i18n, events) = (self.i18n, self.ctx.events);
        match ran {
            Ran::Stale => {}
            Ran::Unreported {
                summary, message, ..
            } => {
                self.announcement
                    .set(i18n.with_untracked(|tr| summary.headline(tr)));
                self.running.set(false);
                self.unreported.set(Some(Unreported {
                    at: api::now(),
                    message,
                }));
            }
            Ran::Reported { outcome, .. } => {
                self.announcement
                    .set(i18n.with_untracked(|tr| outcome.summary.headline(tr)));
                self.running.set(false);
                self.last.set(Some(outcome));
            }
            Ran::Failed { error, .. } if self.ctx.auth.handle(&error) => {
                // Signing out disposes this page: nothing more to update.
                let _ = self.running.try_set(false);
                events.error(Some(id), &error);
            }
            Ran::Failed {
                error,
                at,
                duration_ms,
            } => {
                self.running.set(false);
                let name = self.name();
                self.ctx
                    .record_failure(&i18n.tr(), id, name.as_deref(), at, duration_ms, &error);
                events.error(Some(id), &error);
                self.announcement
                    .set(i18n.with_untracked(|tr| error.user_message(tr)));
                self.failure.set(Some(Failure { error, at }));
            }
        }
    }
}
