//! One configuration's page: the "Refresh tools" button, progress and cancel, the
//! last good result, and failures shown beside it (never instead of it).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::core::diff::Summary;
use crate::core::error::{ApiError, ErrorKind};
use crate::core::gate::RefreshGate;
use crate::core::history::{Attempt, HistoryEntry};
use crate::core::i18n::{Tr, K};
use crate::core::model::Configuration;
use crate::core::stepwise::HistoryFit;
use crate::core::time::Instant;
use crate::core::tools::ToolCatalog;

use super::auth::Auth;
use super::clock::{local_time, Clock};
use super::events::Events;
use super::history_view::{HistoryPanel, HistoryStore};
use super::i18n::I18n;
use super::insight::{fetch_tools, in_slices, Insight};
use super::lazy::Part;
use super::nav::Nav;
use super::result::{Outcome, ResultView};

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
pub struct Gates(pub RwSignal<std::collections::HashMap<String, RefreshGate>>);

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
    pub fn remaining(
        &self,
        id: &str,
        now: Instant,
    ) -> Option<(chrono::TimeDelta, crate::core::gate::LockReason)> {
        self.0
            .try_with_untracked(|m| m.get(id).and_then(|g| g.remaining(now)))
            .flatten()
    }
}

/// A failed refresh, kept beside the last good result.
#[derive(Clone, Debug)]
struct Failure {
    error: ApiError,
    at: Instant,
}

/// A refresh the server accepted without saying what changed, kept beside the
/// last good result (never shown as "no changes").
#[derive(Clone, Debug)]
struct Unreported {
    at: Instant,
    message: Option<String>,
}

/// The configuration page (refresh, results, history, exports), which comes in its
/// own chunk (`ui::lazy`): provided at the root so it is fetched once.
#[derive(Clone, Copy)]
pub struct Page(Part<fn(String) -> AnyView>);

fn page_view(id: String) -> AnyView {
    view! { <RefreshPanel id=id/> }.into_any()
}

crate::part_entry!(page, load_page, fn(String) -> AnyView, page_view);

impl Page {
    /// Creates and provides the part (not fetched until a configuration is shown).
    pub fn provide() -> Self {
        let page = Page(Part::new(load_page));
        provide_context(page);
        page
    }

    /// The provided part.
    pub fn get() -> Self {
        use_context::<Page>().unwrap_or_else(Page::provide)
    }

    /// Fetches the part ahead of need (quietly: see [`Part::prefetch`]).
    pub fn prefetch(self) {
        self.0.prefetch();
    }

    /// The configuration page for `id`, once its chunk is in. Until then the page's
    /// frame (the way back, the id as its title) with the part's progress or failure.
    pub fn show(id: String) -> AnyView {
        let Page(part) = Page::get();
        part.request();
        let i18n = I18n::get();
        let nav = Nav::get();
        (move || match part.get() {
            Some(make) => make(id.clone()),
            None => view! {
                {nav.back_link()}
                <section class="card" aria-labelledby="config-title">
                    <h1 id="config-title">{id.clone()}</h1>
                    {part.status(i18n, move || part.request())}
                </section>
            }
            .into_any(),
        })
        .into_any()
    }
}

/// Refresh controls and results for configuration `id`.
#[component]
fn RefreshPanel(
    /// The configuration id (not encoded).
    id: String,
) -> impl IntoView {
    let ctx = RefreshCtx::get();
    let RefreshCtx {
        auth,
        events,
        gates,
        ..
    } = ctx;
    let i18n = I18n::get();
    let now = Clock::get();
    let gate = {
        let id = id.clone();
        Memo::new(move |_| gates.0.with(|m| m.get(&id).copied().unwrap_or_default()))
    };
    let locked = move || !gate.get().is_open(now.get());
    let details = RwSignal::new(None::<Configuration>);
    let running = RwSignal::new(false);
    // A bulk refresh may have left this configuration's full result.
    let last = RwSignal::new(super::bulk::Bulk::get().result(&id));
    let failure = RwSignal::new(None::<Failure>);
    let unreported = RwSignal::new(None::<Unreported>);
    let announcement = RwSignal::new(String::new());
    let canceller = StoredValue::new_local(Canceller::new());
    // Bumped by every new refresh and on cleanup: an answer for an older
    // generation is dropped, never shown.
    let generation = Arc::new(AtomicU64::new(0));
    {
        let generation = generation.clone();
        on_cleanup(move || {
            generation.fetch_add(1, Ordering::SeqCst);
            canceller.with_value(Canceller::cancel);
        });
    }

    // Load the name and status (best effort: refresh works without it).
    {
        let (id, c, generation) = (id.clone(), Canceller::new(), generation.clone());
        let start = generation.load(Ordering::SeqCst);
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
            if generation.load(Ordering::SeqCst) != start {
                return;
            }
            match r {
                Ok(cfg) => details.set(Some(cfg)),
                Err(e) => {
                    auth.handle(&e);
                }
            }
        });
    }

    let run = {
        let id = id.clone();
        let generation = generation.clone();
        move || {
            if running.get_untracked() || !gate.get_untracked().is_open(api::now()) {
                return;
            }
            if auth.session.with_untracked(Option::is_none) {
                return;
            }
            running.set(true);
            failure.set(None);
            unreported.set(None);
            announcement.set(i18n.with_untracked(|tr| tr.t(K::RefreshAnnounceRefreshing)));
            let mine = generation.fetch_add(1, Ordering::SeqCst) + 1;
            let c = Canceller::new();
            canceller.set_value(c.clone());
            let (id, generation) = (id.clone(), generation.clone());
            // The reasons a definitions read failed are worded in the language of
            // the moment (the insight keeps them as text); taken now, while the
            // panel is surely alive.
            let tr = i18n.tr();
            spawn_local(async move {
                let stale = || generation.load(Ordering::SeqCst) != mine;
                let name = || details.with_untracked(|d| d.as_ref().and_then(|c| c.name.clone()));
                match refresh_one(ctx, tr, &id, &name, &c, &stale, &|| None).await {
                    Ran::Stale => {}
                    Ran::Unreported {
                        summary, message, ..
                    } => {
                        announcement.set(i18n.with_untracked(|tr| summary.headline(tr)));
                        running.set(false);
                        unreported.set(Some(Unreported {
                            at: api::now(),
                            message,
                        }));
                    }
                    Ran::Reported { outcome, .. } => {
                        announcement.set(i18n.with_untracked(|tr| outcome.summary.headline(tr)));
                        running.set(false);
                        last.set(Some(outcome));
                    }
                    Ran::Failed { error, .. } if auth.handle(&error) => {
                        // Signing out disposes this panel: nothing more to update.
                        let _ = running.try_set(false);
                        events.error(Some(&id), &error);
                    }
                    Ran::Failed {
                        error,
                        at,
                        duration_ms,
                    } => {
                        running.set(false);
                        ctx.record_failure(
                            &i18n.tr(),
                            &id,
                            name().as_deref(),
                            at,
                            duration_ms,
                            &error,
                        );
                        events.error(Some(&id), &error);
                        announcement.set(i18n.with_untracked(|tr| error.user_message(tr)));
                        failure.set(Some(Failure { error, at }));
                    }
                }
            });
        }
    };
    let run = StoredValue::new_local(run);
    // The embedding handle's refresh(): each new request presses the button.
    if let Some(requests) = RefreshRequests::get() {
        Effect::watch(
            move || requests.count(),
            move |_, _, _| run.with_value(|f| f()),
            false,
        );
    }
    let title_id = id.clone();
    let history_id = id.clone();

    view! {
        {Nav::get().back_link()}
        <section class="card" aria-labelledby="config-title">
            <h1 id="config-title">
                {move || details.with(|d| d.as_ref().map(|c| c.label().to_owned())).unwrap_or_else(|| title_id.clone())}
            </h1>
            <p class="config-meta">
                {i18n.text(K::RefreshMetaId)} " " <code>{id.clone()}</code>
                {move || details.get().map(|c| view! {
                    {c.connector_id.map(|x| view! { " · " {i18n.text(K::RefreshMetaConnector)} " " <code>{x}</code> })}
                    {c.health_status.map(|h| move || format!(" · {}", i18n.f(K::RefreshMetaHealth, &[("health", (&h).into())])))}
                    {c.enabled.map(|e| move || format!(" · {}", i18n.t(if e { K::RefreshMetaEnabled } else { K::RefreshMetaDisabled })))}
                })}
            </p>
            <div class="actions">
                <button type="button" class="primary" disabled=move || running.get() || locked() || auth.session.try_with(Option::is_none).unwrap_or(true)
                    aria-describedby="refresh-note"
                    on:click=move |_| run.with_value(|f| f())>{i18n.text(K::RefreshButton)}</button>
                <Show when=move || running.get()>
                    <span class="progress" role="status">
                        <progress aria-label=i18n.text(K::RefreshProgressLabel)></progress>{i18n.text(K::RefreshProgress)}
                    </span>
                    <button type="button" class="secondary" on:click=move |_| canceller.with_value(Canceller::cancel)>{i18n.text(K::RefreshCancel)}</button>
                </Show>
            </div>
            <p id="refresh-note" class="hint">
                {move || i18n.with(|tr| gate.get().note(tr, now.get()).unwrap_or_else(|| tr.t(K::RefreshIdleNote)))}
            </p>
        </section>
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{move || announcement.get()}</div>
        {move || failure.get().map(|f| failure_view(f, last.with(|l| l.as_ref().map(|o| o.received_at)), run))}
        {move || unreported.get().map(|u| unreported_view(u, last.with(|l| l.as_ref().map(|o| o.received_at))))}
        {move || last.get().map(|o| view! { <ResultView outcome=o/> })}
        <HistoryPanel configuration_id=history_id/>
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
    /// [`record_failure`]; a batch retries a 409 and waits out a 429 first).
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
    let RefreshCtx {
        auth,
        events,
        history,
        gates,
    } = ctx;
    let started = api::now();
    let cooldown = auth
        .session
        .try_with_untracked(|s| s.as_ref().map(|s| s.cooldown_secs))
        .flatten();
    let Some(cooldown) = cooldown else {
        return Ran::Failed {
            error: ApiError::new(ErrorKind::Unauthorized).with_message("not signed in"),
            at: started,
            duration_ms: 0,
        };
    };
    // Definitions before, the refresh, definitions after: the tool-level
    // diff. A tools call that fails only costs the field-level view. The
    // session is fetched before each call (an embedding page's getToken
    // may hand out a new token any time).
    // Each call renews the token once and is retried once on a 401
    // TOKEN_EXPIRED (email sign-in; see `Auth::retry_once`).
    let tools = |s: crate::core::session::Session| async move { fetch_tools(&s, id, c).await };
    let before = match auth.fresh_session().await {
        Ok(s) => tools_or_reason(&tr, auth.retry_once(s, tools).await),
        Err(e) => Err(e.user_message(&tr)),
    };
    // A batch paused by a 429 holds the refresh call itself until the pause ends
    // (`hold` says how many milliseconds are left; a single refresh never holds).
    while let Some(ms) = hold() {
        if c.is_cancelled() || stale() {
            break;
        }
        api::sleep(ms.clamp(10, 60_000)).await;
    }
    let result = match auth.fresh_session().await {
        Ok(_) if c.is_cancelled() => Err(ApiError::new(ErrorKind::Cancelled)),
        Ok(s) => {
            auth.retry_once(s, |s| async move { api::refresh(&s, id, c).await })
                .await
        }
        Err(e) => Err(e),
    };
    let duration_ms = api::now().since(started).num_milliseconds();
    let after = match (&result, auth.fresh_session_if(result.is_ok()).await) {
        (Ok(_), Some(Ok(s))) => Some(tools_or_reason(&tr, auth.retry_once(s, tools).await)),
        (Ok(_), Some(Err(e))) => Some(Err(e.user_message(&tr))),
        _ => None,
    };
    if stale() {
        return Ran::Stale;
    }
    let at = api::now();
    let entry_id = history.next_id(id, at);
    let r = match result {
        Ok(r) => r,
        Err(error) => {
            gates.update(id, |g| g.after_error(&error, at));
            return Ran::Failed {
                error,
                at,
                duration_ms,
            };
        }
    };
    gates.update(id, |g| g.after_success(at, cooldown));
    let summary = Summary::of(&r, id, at);
    if !r.reported {
        let entry = HistoryEntry::record(
            entry_id,
            id,
            name().as_deref(),
            at,
            duration_ms,
            Attempt::Unreported(&summary),
        );
        history.push(entry.clone());
        events.refreshed(id, &summary, r.message.as_deref());
        return Ran::Unreported {
            summary,
            message: r.message,
            entry,
        };
    }
    // Give the browser a turn between the phases, and work through
    // large answers a slice at a time (see `Insight::build`,
    // `HistoryFit`): no task grows with the size of the answer.
    api::yield_now().await;
    let insight = match after {
        Some(a) => {
            api::yield_now().await;
            Some(Insight::build(before, a, &r).await)
        }
        None => None,
    };
    api::yield_now().await;
    if stale() {
        return Ran::Stale;
    }
    let diff = insight.as_ref().and_then(|i| i.diff.as_ref());
    let entry = HistoryEntry::record(
        entry_id,
        id,
        name().as_deref(),
        at,
        duration_ms,
        Attempt::Reported(&summary, diff),
    );
    api::yield_now().await;
    // Cut a huge entry to what the history keeps, a slice at a time.
    let mut fit = HistoryFit::new(entry);
    in_slices(|| fit.step(100)).await;
    if stale() {
        return Ran::Stale;
    }
    let (stored, entry) = fit.finish();
    history.push(stored);
    api::yield_now().await;
    if stale() {
        return Ran::Stale;
    }
    events.refreshed(id, &summary, r.message.as_deref());
    let outcome = Outcome {
        configuration_id: id.to_owned(),
        summary,
        message: r.message,
        received_at: at,
        insight: insight.map(Arc::new),
        entry: Some(Arc::new(entry.clone())),
    };
    Ran::Reported { outcome, entry }
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

fn unreported_view(u: Unreported, last_at: Option<Instant>) -> impl IntoView {
    let i18n = I18n::get();
    let title = move || {
        let time = local_time(u.at);
        match last_at {
            Some(t) => i18n.f(
                K::RefreshUnreportedAtShowing,
                &[("time", time.into()), ("last", local_time(t).into())],
            ),
            None => i18n.f(K::RefreshUnreportedAt, &[("time", time.into())]),
        }
    };
    view! {
        <section class="card warn" role="status" aria-labelledby="unreported-title">
            <h2 id="unreported-title">{title}</h2>
            <p>{i18n.text(K::RefreshUnreportedText)}</p>
            {u.message.map(|m| view! { <p class="server-message">{i18n.text(K::RefreshServer)} <q>{m}</q></p> })}
        </section>
    }
}

fn failure_view(
    f: Failure,
    last_at: Option<Instant>,
    run: StoredValue<impl Fn() + 'static, LocalStorage>,
) -> impl IntoView {
    let i18n = I18n::get();
    let cancelled = f.error.kind == ErrorKind::Cancelled;
    let at = f.at;
    let title = move || {
        let time = local_time(at);
        match (cancelled, last_at) {
            (true, Some(t)) => i18n.f(
                K::RefreshCancelledAtShowing,
                &[("time", time.into()), ("last", local_time(t).into())],
            ),
            (true, None) => i18n.f(K::RefreshCancelledAt, &[("time", time.into())]),
            (false, Some(t)) => i18n.f(
                K::RefreshFailedAtShowing,
                &[("time", time.into()), ("last", local_time(t).into())],
            ),
            (false, None) => i18n.f(K::RefreshFailedAt, &[("time", time.into())]),
        }
    };
    let retryable = f.error.is_retryable();
    let error = f.error;
    let facts = {
        let error = error.clone();
        move || {
            i18n.with(|tr| {
                let mut facts = Vec::new();
                if let Some(s) = error.status {
                    facts.push(tr.f(K::RefreshHttpStatus, &[("status", s.to_string().into())]));
                }
                if let Some(code) = &error.code {
                    facts.push(tr.f(K::RefreshFactCode, &[("code", code.into())]));
                }
                if let Some(r) = &error.request_id {
                    facts.push(tr.f(K::RefreshFactRequestId, &[("id", r.into())]));
                }
                (!facts.is_empty()).then(|| view! { <p class="facts">{facts.join(" · ")}</p> })
            })
        }
    };
    view! {
        <section class="card error" role="alert" aria-labelledby="failure-title">
            <h2 id="failure-title">{title}</h2>
            <p>{move || i18n.with(|tr| error.user_message(tr))}</p>
            {facts}
            {retryable.then(|| view! { <button type="button" on:click=move |_| run.with_value(|f| f())>{i18n.text(K::RefreshRetry)}</button> })}
        </section>
    }
}
