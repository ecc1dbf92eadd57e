//! The configuration picker: a paged, filterable table, and an "open by id" form
//! for servers that do not list configurations. The list's state and its loading
//! are `app::listing`.

use std::time::Duration;

use leptos::prelude::*;

use crate::app::bulk::Bulk;
use crate::app::i18n::I18n;
use crate::app::listing::{Listing, TABLE_ROWS};
use crate::core::batch::selection::{selectable, Shown};
use crate::core::i18n::K;
use crate::core::model::Configuration;
use crate::core::time::{relative, Instant};
use crate::core::window::page;

use super::bulk::{BulkBar, BulkPart};
use super::clock::{local_date_time, Clock};
use super::nav::Nav;
use super::pager::pager;
use super::refresh::Page;
use super::Settings;

/// The list page.
#[component]
pub fn ConfigurationList() -> impl IntoView {
    let settings = use_context::<Settings>().unwrap_or_default();
    let i18n = I18n::get();
    let list = Listing::new(settings.page_size);
    // Opening a configuration is what usually follows the list: the page's part is
    // fetched, quietly, once the list is on screen and the browser is idle.
    let page_part = Page::get();
    // The callback is cancelled if the list goes first (the widget unmounted, a
    // configuration opened): the part's state goes with the list's owner.
    Effect::new(move |_| {
        if !list.loaded_once.get() {
            return;
        }
        match request_idle_callback_with_handle(move || page_part.prefetch()) {
            Ok(idle) => on_cleanup(move || idle.cancel()),
            // No requestIdleCallback (Safari): a moment after the list instead.
            Err(_) => {
                let later = Duration::from_millis(300);
                if let Ok(t) = set_timeout_with_handle(move || page_part.prefetch(), later) {
                    on_cleanup(move || t.clear());
                }
            }
        }
    });
    view! {
        <section class="card" aria-labelledby="list-title">
            <h1 id="list-title">{i18n.text(K::ListTitle)}</h1>
            {filters(list)}
            <BulkBar/>
            {move || list.error.get().map(|e| view! {
                <div class="error" role="alert">
                    <p>{move || i18n.with(|tr| e.user_message(tr))}</p>
                    <Show when=move || !list.unsupported.get()>
                        <button type="button" on:click=move |_| list.load_more()>{i18n.text(K::ListRetry)}</button>
                    </Show>
                </div>
            })}
            <Show when=move || list.unsupported.get()>
                <p class="hint">{i18n.text(K::ListUnsupported)}</p>
            </Show>
            <Show when=move || list.loaded_once.get() || list.loaded_len() != 0>
                {table(list)}
                {list_pager(list)}
                {loaded_line(list)}
            </Show>
            <Show when=move || list.loading.get()>
                <p role="status"><progress aria-label=i18n.text(K::ListLoadingLabel)></progress>" "{i18n.text(K::ListLoading)}</p>
            </Show>
            <Show when=move || list.has_more() && !list.loading.get()>
                <button type="button" class="secondary" on:click=move |_| list.load_more()>{i18n.text(K::ListLoadMore)}</button>
            </Show>
            <Show when=move || list.repeated()>
                <p class="hint" role="status">{i18n.text(K::ListRepeated)}</p>
            </Show>
        </section>
        {BulkPart::get().panel(Bulk::get())}
        <OpenById/>
    }
}

/// The filter typed above the table, and the server's filters by connector and health.
fn filters(list: Listing) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <div class="toolbar">
            <label for="filter">{i18n.text(K::ListFilter)}</label>
            <input id="filter" type="search" prop:value=move || list.filter.get()
                on:input=move |ev| list.set_filter(event_target_value(&ev))/>
            <label for="filter-connector">{i18n.text(K::BulkFilterConnector)}</label>
            <select id="filter-connector" prop:value=move || list.connector.get()
                on:change=move |ev| { list.connector.set(event_target_value(&ev)); list.reload(); }>
                <option value="">{i18n.text(K::BulkAnyConnector)}</option>
                {move || list.connectors.get().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
            </select>
            <label for="filter-health">{i18n.text(K::BulkFilterHealth)}</label>
            <select id="filter-health" prop:value=move || list.health.get()
                on:change=move |ev| { list.health.set(event_target_value(&ev)); list.reload(); }>
                <option value="">{i18n.text(K::BulkAnyHealth)}</option>
                {["healthy", "unhealthy", "unknown"].map(|h| view! { <option value=h>{h}</option> })}
            </select>
        </div>
    }
}

/// The table of the page of matching rows, with "select all shown".
fn table(list: Listing) -> impl IntoView {
    let i18n = I18n::get();
    let bulk = Bulk::get();
    let nav = Nav::get();
    let now = Clock::get();
    let all_state = move || {
        let mut state = Shown::None;
        list.with_matching(&mut |shown| state = bulk.selection.with(|s| s.shown(shown)));
        state
    };
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.text(K::ListTableLabel)>
        <table class="configurations">
            <caption class="visually-hidden">{i18n.text(K::ListCaption)}</caption>
            <thead>
                <tr>
                    <th scope="col">
                        <input type="checkbox" aria-label=i18n.text(K::BulkSelectAll)
                            prop:checked=move || all_state() == Shown::All
                            prop:indeterminate=move || all_state() == Shown::Some
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                list.with_matching(&mut |shown| bulk.selection.update(|s| s.set_all(shown, on)));
                            }/>
                    </th>
                    <th scope="col">{i18n.text(K::ListColName)}</th>
                    <th scope="col">{i18n.text(K::ListColId)}</th>
                    <th scope="col">{i18n.text(K::ListColConnector)}</th>
                    <th scope="col">{i18n.text(K::ListColEnabled)}</th>
                    <th scope="col">{i18n.text(K::ListColHealth)}</th>
                    <th scope="col">{i18n.text(K::ListColLastSync)}</th>
                    <th scope="col">{i18n.text(K::ListColLastError)}</th>
                </tr>
            </thead>
            <tbody>
                <For each=move || list.visible() key=|c: &Configuration| c.id.clone() children=move |c| row(c, bulk, nav, now)/>
            </tbody>
        </table>
        </div>
    }
}

/// One configuration's row: its checkbox, link, id, connector, state and last sync.
fn row(c: Configuration, bulk: Bulk, nav: Nav, now: Signal<Instant>) -> impl IntoView {
    let i18n = I18n::get();
    let last_sync = c.last_sync_at;
    // The server's own health word; only a missing one is ours.
    let health = c.health_status.clone();
    let health_class = format!(
        "badge health-{}",
        css_token(health.as_deref().unwrap_or("unknown"))
    );
    let health_text = move || {
        health
            .clone()
            .unwrap_or_else(|| i18n.t(K::ListHealthUnknown))
    };
    let link = nav.link_to(c.id.clone(), c.label().to_owned());
    let enabled = c.enabled;
    let enabled = move || match enabled {
        Some(true) => i18n.t(K::ListYes),
        Some(false) => i18n.t(K::ListNo),
        None => "—".to_owned(),
    };
    let can = selectable(&c);
    let label = c.label().to_owned();
    let select_label = move || i18n.f(K::BulkSelect, &[("name", label.as_str().into())]);
    let (cid, row) = (c.id.clone(), c.clone());
    view! {
        <tr>
            <td class="select">
                <input type="checkbox" aria-label=select_label disabled=!can
                    prop:checked=move || bulk.selection.with(|s| s.contains(&cid))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        bulk.selection.update(|s| s.set(&row, on));
                    }/>
                {(!can).then(|| view! { <span class="hint">{i18n.text(K::BulkDisabled)}</span> })}
            </td>
            <td>{link}</td>
            <td><code>{c.id.clone()}</code></td>
            <td>{c.connector_id.clone().unwrap_or_default()}</td>
            <td>{enabled}</td>
            <td><span class=health_class>{health_text}</span></td>
            <td>{move || match last_sync {
                Some(t) => view! {
                    <time datetime=t.to_iso() title=move || i18n.f(K::ListTimeTitle, &[("local", local_date_time(t).into()), ("iso", t.to_iso().into())])>
                        {move || i18n.with(|tr| relative(tr, now.get(), t))}
                    </time>
                }.into_any(),
                None => view! { <span>{i18n.text(K::ListNever)}</span> }.into_any(),
            }}</td>
            <td class="last-error">{c.last_error.clone().unwrap_or_default()}</td>
        </tr>
    }
}

/// Which rows are shown, and the previous and next pages (when there is more than one).
fn list_pager(list: Listing) -> impl IntoView {
    let i18n = I18n::get();
    let status = move || {
        let len = list.matching_len();
        let (start, end) = page(len, list.page_no.get(), TABLE_ROWS);
        i18n.f(
            K::ListShowingRows,
            &[
                ("start", (start + 1).into()),
                ("end", end.into()),
                ("total", len.into()),
            ],
        )
    };
    view! {
        <Show when=move || { list.matching_len() > TABLE_ROWS }>
            {pager(list.page_no, move || list.last_page(), status, true, K::ListPreviousRows, K::ListNextRows)}
        </Show>
    }
}

/// How many distinct configurations are loaded, how many match, and how many rows
/// could not be read.
fn loaded_line(list: Listing) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <p class="hint">
            {move || {
                let (shown, total) = (list.matching_len(), list.loaded_len());
                if shown == total {
                    i18n.f(K::ListLoaded, &[("n", total.into())])
                } else {
                    i18n.f(K::ListMatching, &[("shown", shown.into()), ("n", total.into())])
                }
            }}
            {move || (list.skipped.get() > 0).then(|| i18n.f(K::ListSkipped, &[("n", list.skipped.get().into())]))}
        </p>
    }
}

/// A form to open a configuration by typing its id.
#[component]
fn OpenById() -> impl IntoView {
    let id = RwSignal::new(String::new());
    let open = Nav::get().opener();
    let i18n = I18n::get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = id.get();
        let v = v.trim();
        if !v.is_empty() {
            open(v);
        }
    };
    view! {
        <section class="card" aria-labelledby="open-id-title">
            <h2 id="open-id-title">{i18n.text(K::ListOpenTitle)}</h2>
            <form class="inline-form" on:submit=submit>
                <label for="config-id">{i18n.text(K::ListConfigurationId)}</label>
                <input id="config-id" type="text" placeholder="pconf_…" prop:value=move || id.get()
                    on:input=move |ev| id.set(event_target_value(&ev))/>
                <button type="submit">{i18n.text(K::ListOpen)}</button>
            </form>
        </section>
    }
}

/// Keeps only `[a-z0-9-]` so a server value can be part of a class name.
pub fn css_token(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_lowercase())
        .take(24)
        .collect()
}
