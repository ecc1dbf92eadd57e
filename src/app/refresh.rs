//! One refresh of one configuration, as the "Refresh tools" button and a bulk
//! refresh both run it: the tool definitions before, the refresh call, the
//! definitions after, the tool-level diff, and what a refresh leaves behind (the
//! configuration's history entry, its cooldown, the `refreshed` event). Also the
//! state it runs on: each configuration's gate (cooldown, rate limit) and the
//! embedding handle's refresh requests.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, in_slices, Canceller};
use crate::core::diff::Summary;
use crate::core::error::{ApiError, ErrorKind};
use crate::core::gate::{LockReason, RefreshGate};
use crate::core::history::{Attempt, HistoryEntry};
use crate::core::i18n::{Tr, K};
use crate::core::model::RefreshResult;
use crate::core::stepwise::HistoryFit;
use crate::core::time::Instant;
use crate::core::tools::ToolCatalog;

use super::auth::Auth;
use super::events::Events;
use super::history::HistoryStore;
use super::insight::{fetch_tools, Insight};

/// A successful refresh, as kept on screen.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The configuration refreshed.
    pub configuration_id: String,
    /// What changed.
    pub summary: Summary,
    /// The server's message.
    pub message: Option<String>,
    /// When the answer arrived (on the server's timeline, see `api::now`).
    pub received_at: Instant,
    /// Tool-level insight from the definitions before and after, if read.
    pub insight: Option<Arc<Insight>>,
    /// The history record of this refresh (for sharing).
    pub entry: Option<Arc<HistoryEntry>>,
}

/// Programmatic refresh requests (the embedding handle's `refresh()`): a counter
/// the configuration page watches. Provided by the widget; the standalone page
/// has none.
#[derive(Clone, Copy)]
pub struct RefreshRequests(RwSignal<u64>);

impl RefreshRequests {
    /// Creates and provides the counter.
    pub fn provide() -> Self {
        let r = RefreshRequests(RwSignal::new(0));
        provide_context(r);
        r
    }

    /// The provided counter, if any.
    pub fn get() -> Option<Self> {
        use_context::<RefreshRequests>()
    }

    /// Asks the configuration on screen to refresh.
    pub fn request(&self) {
        self.0.update(|n| *n += 1);
    }

    /// The number of requests so far (tracked).
    pub fn count(&self) -> u64 {
        self.0.get()
    }
}

/// Each configuration's refresh lock (cooldown, rate limit), kept across page
/// changes so leaving and coming back does not reset it.
#[derive(Clone, Copy)]
pub struct Gates(pub RwSignal<HashMap<String, RefreshGate>>);

impl Gates {
    /// The provided gates, creating them if absent.
    pub fn get() -> Self {
        use_context::<Gates>().unwrap_or_else(|| {
            let g = Gates(RwSignal::new(Default::default()));
            provide_context(g);
            g
        })
    }

    /// Changes one configuration's gate.
    pub fn update(&self, id: &str, f: impl FnOnce(&mut RefreshGate)) {
        // `try_`: a batch's late answer may arrive after the widget was unmounted.
        let _ = self
            .0
            .try_update(|m| f(m.entry(id.to_owned()).or_default()));
    }

    /// How long configuration `id` may not be refreshed from `now`, and why
    /// (cooling down, rate limited); `None` when it may.
    pub fn remaining(&self, id: &str, now: Instant) -> Option<(chrono::TimeDelta, LockReason)> {
        self.0
            .try_with_untracked(|m| m.get(id).and_then(|g| g.remaining(now)))
            .flatten()
    }
}

/// The contexts one refresh records into, taken while the component runs (an
/// async task has no reactive owner to look them up later).
#[derive(Clone, Copy)]
pub struct RefreshCtx {
    /// The session and its renewal.
    pub auth: Auth,
    /// Where the refreshed and error events go.
    pub events: Events,
    /// The history each refresh lands in.
    pub history: HistoryStore,
    /// Each configuration's cooldown and rate limit.
    pub gates: Gates,
}

impl RefreshCtx {
    /// The provided contexts.
    pub fn get() -> Self {
        RefreshCtx {
            auth: Auth::get(),
            events: Events::get(),
            history: HistoryStore::get(),
            gates: Gates::get(),
        }
    }

    /// Records a failed refresh in the configuration's history, its message in the
    /// language it was shown in (`tr`).
    pub fn record_failure(
        &self,
        tr: &Tr,
        id: &str,
        name: Option<&str>,
        at: Instant,
        duration_ms: i64,
        error: &ApiError,
    ) {
        self.history.push(HistoryEntry::record(
            self.history.next_id(id, at),
            id,
            name,
            at,
            duration_ms,
            Attempt::Failed(error, tr),
        ));
    }
}

/// What one refresh gave, once recorded (history, cooldown, the refreshed event).
pub enum Ran {
    /// The server said what changed: the result to show, and the full history entry
    /// (the stored one may be cut to fit the history).
    Reported {
        /// The result, as the configuration page shows it.
        outcome: Outcome,
        /// The entry with everything the refresh gave.
        entry: HistoryEntry,
    },
    /// The server accepted the refresh but did not say what changed.
    Unreported {
        /// The summary (its headline says so).
        summary: Summary,
        /// The server's message.
        message: Option<String>,
        /// The entry recorded.
        entry: HistoryEntry,
    },
    /// The refresh failed: nothing is recorded yet (the caller decides, see
    /// [`RefreshCtx::record_failure`]; a batch retries a 409 and waits out a 429 first).
    Failed {
        /// What went wrong.
        error: ApiError,
        /// When the answer came.
        at: Instant,
        /// How long the attempt took.
        duration_ms: i64,
    },
    /// The caller no longer wants the answer (`stale()` turned true).
    Stale,
}

/// One refresh of configuration `id`, as the "Refresh tools" button does it and as a
/// batch does it for each configuration: the tool definitions before, the refresh,
/// the definitions after, the tool-level diff; a success is recorded in the
/// configuration's history, starts its cooldown and fires the refreshed event.
/// `name()` is read when the entry is made; once `stale()` is true nothing more is
/// recorded or returned. `tr` words the reasons a definitions read failed (taken
/// while the caller is surely alive).
pub async fn refresh_one(
    ctx: RefreshCtx,
    tr: Tr,
    id: &str,
    name: &dyn Fn() -> Option<String>,
    c: &Canceller,
    stale: &dyn Fn() -> bool,
    hold: &dyn Fn() -> Option<i32>,
) -> Ran {
    let auth = ctx.auth;
    // How long it took is measured on the browser's clock: the offset to the
    // server's may be learnt from this very answer.
    let started = api::browser_now();
    let cooldown = auth
        .session
        .try_with_untracked(|s| s.as_ref().map(|s| s.cooldown_secs))
        .flatten();
    let Some(cooldown) = cooldown else {
        return Ran::Failed {
            error: ApiError::new(ErrorKind::Unauthorized).with_message("not signed in"),
            at: api::now(),
            duration_ms: 0,
        };
    };
    // Definitions before, the refresh, definitions after: the tool-level
    // diff. A tools call that fails only costs the field-level view.
    let before = definitions(auth, &tr, id, c).await;
    let result = call_refresh(auth, id, c, stale, hold).await;
    let duration_ms = api::browser_now().since(started).num_milliseconds();
    let after = match &result {
        Ok(_) => Some(definitions(auth, &tr, id, c).await),
        Err(_) => None,
    };
    if stale() {
        return Ran::Stale;
    }
    let at = api::now();
    let entry_id = ctx.history.next_id(id, at);
    let result = match result {
        Ok(r) => r,
        Err(error) => {
            ctx.gates.update(id, |g| g.after_error(&error, at));
            return Ran::Failed {
                error,
                at,
                duration_ms,
            };
        }
    };
    ctx.gates.update(id, |g| g.after_success(at, cooldown));
    let answered = Answered {
        id,
        entry_id,
        at,
        duration_ms,
        summary: Summary::of(&result, id, at),
        result,
    };
    if answered.result.reported {
        answered.reported(ctx, name, stale, before, after).await
    } else {
        answered.unreported(ctx, name)
    }
}

/// The tool definitions of configuration `id`, or why there are none, in words.
/// The session is fetched before each call (an embedding page's getToken may hand
/// out a new token any time); each call renews the token once and is retried once
/// on a 401 TOKEN_EXPIRED (email sign-in; see [`Auth::retry_once`]).
pub(super) async fn definitions(
    auth: Auth,
    tr: &Tr,
    id: &str,
    c: &Canceller,
) -> Result<Option<ToolCatalog>, String> {
    match auth.fresh_session().await {
        Ok(s) => {
            let tools = auth
                .retry_once(s, |s| async move { fetch_tools(&s, id, c).await })
                .await;
            tools_or_reason(tr, tools)
        }
        Err(e) => Err(e.user_message(tr)),
    }
}

/// The refresh call itself. A batch paused by a 429 holds it until the pause ends
/// (`hold` says how many milliseconds are left; a single refresh never holds).
async fn call_refresh(
    auth: Auth,
    id: &str,
    c: &Canceller,
    stale: &dyn Fn() -> bool,
    hold: &dyn Fn() -> Option<i32>,
) -> Result<RefreshResult, ApiError> {
    while let Some(ms) = hold() {
        if c.is_cancelled() || stale() {
            break;
        }
        api::sleep(ms.clamp(10, 60_000)).await;
    }
    match auth.fresh_session().await {
        Ok(_) if c.is_cancelled() => Err(ApiError::new(ErrorKind::Cancelled)),
        Ok(s) => {
            auth.retry_once(s, |s| async move { api::refresh(&s, id, c).await })
                .await
        }
        Err(e) => Err(e),
    }
}

/// A refresh the server accepted, about to be recorded.
struct Answered<'a> {
    id: &'a str,
    entry_id: String,
    at: Instant,
    duration_ms: i64,
    summary: Summary,
    result: RefreshResult,
}

impl Answered<'_> {
    /// The history entry of this refresh.
    fn entry(&self, name: Option<&str>, attempt: Attempt<'_>) -> HistoryEntry {
        HistoryEntry::record(
            self.entry_id.clone(),
            self.id,
            name,
            self.at,
            self.duration_ms,
            attempt,
        )
    }

    /// The server did not say what changed: recorded as such.
    fn unreported(self, ctx: RefreshCtx, name: &dyn Fn() -> Option<String>) -> Ran {
        let entry = self.entry(name().as_deref(), Attempt::Unreported(&self.summary));
        ctx.history.push(entry.clone());
        ctx.events
            .refreshed(self.id, &self.summary, self.result.message.as_deref(), None);
        Ran::Unreported {
            summary: self.summary,
            message: self.result.message,
            entry,
        }
    }

    /// The server said what changed: the tool-level insight from the definitions,
    /// the history entry (cut to what the history keeps), the event.
    async fn reported(
        self,
        ctx: RefreshCtx,
        name: &dyn Fn() -> Option<String>,
        stale: &dyn Fn() -> bool,
        before: Result<Option<ToolCatalog>, String>,
        after: Option<Result<Option<ToolCatalog>, String>>,
    ) -> Ran {
        // Give the browser a turn between the phases, and work through
        // large answers a slice at a time (see `Insight::build`,
        // `HistoryFit`): no task grows with the size of the answer.
        api::yield_now().await;
        let insight = match after {
            Some(a) => {
                api::yield_now().await;
                let removals = ctx.history.removals(self.id);
                Some(Insight::build(before, a, &self.result, removals).await)
            }
            None => None,
        };
        api::yield_now().await;
        if stale() {
            return Ran::Stale;
        }
        let diff = insight.as_ref().and_then(|i| i.diff.as_ref());
        let mut entry = self.entry(name().as_deref(), Attempt::Reported(&self.summary, diff));
        let review = insight.as_ref().and_then(|i| i.review.as_ref());
        if let (Some(r), Some(b)) = (review, insight.as_ref().and_then(|i| i.before.as_ref())) {
            entry.add_review(r, b);
        }
        api::yield_now().await;
        // Cut a huge entry to what the history keeps, a slice at a time.
        let mut fit = HistoryFit::new(entry);
        in_slices(|| fit.step(100)).await;
        if stale() {
            return Ran::Stale;
        }
        let (stored, entry) = fit.finish();
        ctx.history.push(stored);
        api::yield_now().await;
        if stale() {
            return Ran::Stale;
        }
        let message = self.result.message;
        ctx.events.refreshed(
            self.id,
            &self.summary,
            message.as_deref(),
            insight.as_ref().and_then(|i| i.review.as_ref()),
        );
        let outcome = Outcome {
            configuration_id: self.id.to_owned(),
            summary: self.summary,
            message,
            received_at: self.at,
            insight: insight.map(Arc::new),
            entry: Some(Arc::new(entry.clone())),
        };
        Ran::Reported { outcome, entry }
    }
}

/// A tools call's catalog, or why there is none, in words.
fn tools_or_reason(
    tr: &Tr,
    r: Result<Option<ToolCatalog>, ApiError>,
) -> Result<Option<ToolCatalog>, String> {
    r.map_err(|e| match e.kind {
        ErrorKind::NotSupported => tr.f(
            K::RefreshDefinitionsNotOffered,
            &[("status", e.status.unwrap_or(404).to_string().into())],
        ),
        _ => {
            let why = match e.status {
                Some(s) => tr.f(K::RefreshHttpStatus, &[("status", s.to_string().into())]),
                None => e.kind_name().to_owned(),
            };
            tr.f(K::RefreshDefinitionsFailed, &[("why", why.into())])
        }
    })
}
