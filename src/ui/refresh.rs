//! One configuration's page: the "Refresh tools" button, progress and cancel, the
//! last good result, and failures shown beside it (never instead of it). The
//! page's state and the refresh it runs are `app::page`.

use leptos::prelude::*;

use crate::app::auth::Auth;
use crate::app::i18n::I18n;
use crate::app::page::{ConfigurationPage, Failure, Unreported};
use crate::core::error::ErrorKind;
use crate::core::i18n::K;
use crate::core::time::Instant;

use super::clock::{local_time, Clock};
use super::history_view::HistoryPanel;
use super::lazy::Part;
use super::nav::Nav;
use super::result::ResultView;

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
    let page = ConfigurationPage::new(id.clone());
    let last_at = move || page.last.with(|l| l.as_ref().map(|o| o.received_at));
    view! {
        {Nav::get().back_link()}
        <section class="card" aria-labelledby="config-title">
            <h1 id="config-title">
                {let id = id.clone(); move || page.details.with(|d| d.as_ref().map(|c| c.label().to_owned())).unwrap_or_else(|| id.clone())}
            </h1>
            {meta(page, id.clone())}
            {actions(page)}
        </section>
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">{move || page.announcement.get()}</div>
        {move || page.failure.get().map(|f| failure_view(f, last_at(), page))}
        {move || page.unreported.get().map(|u| unreported_view(u, last_at()))}
        {move || page.last.get().map(|o| view! { <ResultView outcome=o/> })}
        <HistoryPanel configuration_id=id/>
    }
}

/// The configuration's id, connector, health and whether it is enabled.
fn meta(page: ConfigurationPage, id: String) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <p class="config-meta">
            {i18n.text(K::RefreshMetaId)} " " <code>{id}</code>
            {move || page.details.get().map(|c| view! {
                {c.connector_id.map(|x| view! { " · " {i18n.text(K::RefreshMetaConnector)} " " <code>{x}</code> })}
                {c.health_status.map(|h| move || format!(" · {}", i18n.f(K::RefreshMetaHealth, &[("health", (&h).into())])))}
                {c.enabled.map(|e| move || format!(" · {}", i18n.t(if e { K::RefreshMetaEnabled } else { K::RefreshMetaDisabled })))}
            })}
        </p>
    }
}

/// "Refresh tools", its progress and Cancel, and the note on when it may be pressed.
fn actions(page: ConfigurationPage) -> impl IntoView {
    let auth = Auth::get();
    let i18n = I18n::get();
    let now = Clock::get();
    view! {
        <div class="actions">
            <button type="button" class="primary" disabled=move || page.running.get() || page.locked(now.get()) || auth.session.try_with(Option::is_none).unwrap_or(true)
                aria-describedby="refresh-note"
                on:click=move |_| page.run()>{i18n.text(K::RefreshButton)}</button>
            <Show when=move || page.running.get()>
                <span class="progress" role="status">
                    <progress aria-label=i18n.text(K::RefreshProgressLabel)></progress>{i18n.text(K::RefreshProgress)}
                </span>
                <button type="button" class="secondary" on:click=move |_| page.cancel()>{i18n.text(K::RefreshCancel)}</button>
            </Show>
        </div>
        <p id="refresh-note" class="hint">
            {move || i18n.with(|tr| page.gate.get().note(tr, now.get()).unwrap_or_else(|| tr.t(K::RefreshIdleNote)))}
        </p>
    }
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

fn failure_view(f: Failure, last_at: Option<Instant>, page: ConfigurationPage) -> impl IntoView {
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
            {retryable.then(|| view! { <button type="button" on:click=move |_| page.run()>{i18n.text(K::RefreshRetry)}</button> })}
        </section>
    }
}
