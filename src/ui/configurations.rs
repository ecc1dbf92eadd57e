//! The configuration picker: a paged, filterable table, and an "open by id" form
//! for servers that do not list configurations.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::app::auth::Auth;
use crate::app::bulk::Bulk;
use crate::app::events::Events;
use crate::app::i18n::I18n;
use crate::core::batch::selection::{selectable, Shown};
use crate::core::error::{ApiError, ErrorKind};
use crate::core::i18n::K;
use crate::core::model::Configuration;
use crate::core::session::ListFilter;
use crate::core::time::relative;
use crate::core::window::{page, pages, PAGE_ROWS};

use super::bulk::{BulkBar, BulkPart};
use super::clock::{local_date_time, Clock};
use super::nav::Nav;
use super::refresh::Page;
use super::Settings;

/// Table rows shown at once (a row with its links, badge and ticking time costs
/// about a millisecond to make: 50 keep a page turn well inside one frame budget).
pub const TABLE_ROWS: usize = PAGE_ROWS;

/// The list page.
#[component]
pub fn ConfigurationList() -> impl IntoView {
    let auth = Auth::get();
    let nav = Nav::get();
    let events = Events::get();
    let settings = use_context::<Settings>().unwrap_or_default();
    let now = Clock::get();
    let i18n = I18n::get();
    let items = RwSignal::new(Vec::<Configuration>::new());
    let cursor = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let loaded_once = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let unsupported = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    // Filters the server applies (the list is loaded anew when they change).
    let connector = RwSignal::new(String::new());
    let health = RwSignal::new(String::new());
    // Every connector seen so far, for the connector filter's choices.
    let connectors = RwSignal::new(std::collections::BTreeSet::<String>::new());
    let bulk = Bulk::get();
    // Opening a configuration is what usually follows the list: the page's part is
    // fetched, quietly, once the list is on screen and the browser is idle.
    let page_part = Page::get();
    Effect::new(move |_| {
        if loaded_once.get()
            && request_idle_callback_with_handle(move || page_part.prefetch()).is_err()
        {
            // No requestIdleCallback (Safari): a moment after the list instead.
            set_timeout(move || page_part.prefetch(), Duration::from_millis(300));
        }
    });
    let skipped = RwSignal::new(0usize);
    // The table shows one page of the matching rows: thousands of loaded
    // configurations never put thousands of rows (each with a ticking time) in the page.
    let page_no = RwSignal::new(0usize);
    let matching = Memo::new(move |_| {
        let q = filter.get();
        items.with(|v| {
            v.iter()
                .enumerate()
                .filter(|(_, c)| c.matches(&q))
                .map(|(i, _)| i)
                .collect::<Vec<usize>>()
        })
    });
    let canceller = StoredValue::new_local(Canceller::new());
    on_cleanup(move || canceller.with_value(Canceller::cancel));

    let load = move |after: Option<String>| {
        if loading.get_untracked() || auth.session.with_untracked(Option::is_none) {
            return;
        }
        loading.set(true);
        error.set(None);
        let c = Canceller::new();
        canceller.set_value(c.clone());
        let limit = settings.page_size;
        let list_filter = ListFilter {
            connector: Some(connector.get_untracked()).filter(|c| !c.is_empty()),
            health: Some(health.get_untracked()).filter(|h| !h.is_empty()),
        };
        spawn_local(async move {
            let (after_ref, cr, fr) = (after.as_deref(), &c, &list_filter);
            let result = match auth.fresh_session().await {
                Ok(session) => {
                    auth.retry_once(session, |s| async move {
                        api::list_configurations(&s, limit, after_ref, fr, cr).await
                    })
                    .await
                }
                Err(e) => Err(e),
            };
            if c.is_cancelled() {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    cursor.set(page.next_cursor().map(str::to_owned));
                    skipped.update(|s| *s += page.skipped);
                    // Show the page where the newly loaded rows begin.
                    let before = matching.with_untracked(Vec::len);
                    connectors.update(|set| {
                        set.extend(page.items.iter().filter_map(|c| c.connector_id.clone()))
                    });
                    items.update(|v| v.extend(page.items));
                    page_no.set(before / TABLE_ROWS);
                    loaded_once.set(true);
                }
                Err(e) if auth.handle(&e) => {}
                Err(e) => {
                    events.error(None, &e);
                    if e.kind == ErrorKind::NotSupported {
                        unsupported.set(true);
                    }
                    error.set(Some(e));
                }
            }
        });
    };
    load(None);
    // A server-side filter changed: the list is loaded again from the start.
    let reload = move || {
        canceller.with_value(Canceller::cancel);
        loading.set(false);
        items.set(Vec::new());
        cursor.set(None);
        skipped.set(0);
        page_no.set(0);
        loaded_once.set(false);
        load(None);
    };
    // Over the shown rows by reference: thousands of loaded rows are never copied
    // for a checkbox.
    let with_shown = move |f: &mut dyn FnMut(&mut dyn Iterator<Item = &Configuration>)| {
        matching.with(|m| items.with(|v| f(&mut m.iter().filter_map(|i| v.get(*i)))))
    };
    let all_state = move || {
        let mut state = Shown::None;
        with_shown(&mut |shown| state = bulk.selection.with(|s| s.shown(shown)));
        state
    };

    let visible = move || {
        let (start, end) = page(matching.with(Vec::len), page_no.get(), TABLE_ROWS);
        matching.with(|m| {
            items.with(|v| {
                m.get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|i| v.get(*i).cloned())
                    .collect::<Vec<_>>()
            })
        })
    };
    let last_page = move || pages(matching.with(Vec::len), TABLE_ROWS) - 1;

    view! {
        <section class="card" aria-labelledby="list-title">
            <h1 id="list-title">{i18n.text(K::ListTitle)}</h1>
            <div class="toolbar">
                <label for="filter">{i18n.text(K::ListFilter)}</label>
                <input id="filter" type="search" prop:value=move || filter.get()
                    on:input=move |ev| { filter.set(event_target_value(&ev)); page_no.set(0); }/>
                <label for="filter-connector">{i18n.text(K::BulkFilterConnector)}</label>
                <select id="filter-connector" prop:value=move || connector.get()
                    on:change=move |ev| { connector.set(event_target_value(&ev)); reload(); }>
                    <option value="">{i18n.text(K::BulkAnyConnector)}</option>
                    {move || connectors.get().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                </select>
                <label for="filter-health">{i18n.text(K::BulkFilterHealth)}</label>
                <select id="filter-health" prop:value=move || health.get()
                    on:change=move |ev| { health.set(event_target_value(&ev)); reload(); }>
                    <option value="">{i18n.text(K::BulkAnyHealth)}</option>
                    {["healthy", "unhealthy", "unknown"].map(|h| view! { <option value=h>{h}</option> })}
                </select>
            </div>
            <BulkBar/>
            {move || error.get().map(|e| view! {
                <div class="error" role="alert">
                    <p>{move || i18n.with(|tr| e.user_message(tr))}</p>
                    <Show when=move || !unsupported.get()>
                        <button type="button" on:click=move |_| load(cursor.get_untracked())>{i18n.text(K::ListRetry)}</button>
                    </Show>
                </div>
            })}
            <Show when=move || unsupported.get()>
                <p class="hint">{i18n.text(K::ListUnsupported)}</p>
            </Show>
            <Show when=move || loaded_once.get() || !items.with(Vec::is_empty)>
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
                                        with_shown(&mut |shown| bulk.selection.update(|s| s.set_all(shown, on)));
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
                        <For each=visible key=|c: &Configuration| c.id.clone() children=move |c: Configuration| {
                            let last_sync = c.last_sync_at;
                            // The server's own health word; only a missing one is ours.
                            let health = c.health_status.clone();
                            let health_class = format!("badge health-{}", css_token(health.as_deref().unwrap_or("unknown")));
                            let health_text = move || health.clone().unwrap_or_else(|| i18n.t(K::ListHealthUnknown));
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
                        }/>
                    </tbody>
                </table>
                </div>
                <Show when=move || { matching.with(Vec::len) > TABLE_ROWS }>
                    <div class="pager">
                        <p class="hint" role="status">{move || {
                            let len = matching.with(Vec::len);
                            let (start, end) = page(len, page_no.get(), TABLE_ROWS);
                            i18n.f(K::ListShowingRows, &[("start", (start + 1).into()), ("end", end.into()), ("total", len.into())])
                        }}</p>
                        <button type="button" class="secondary" disabled=move || page_no.get() == 0
                            on:click=move |_| page_no.update(|p| *p = p.saturating_sub(1))>{i18n.text(K::ListPreviousRows)}</button>
                        <button type="button" class="secondary" disabled={move || page_no.get() >= last_page()}
                            on:click=move |_| page_no.update(|p| *p = (*p + 1).min(last_page()))>{i18n.text(K::ListNextRows)}</button>
                    </div>
                </Show>
                <p class="hint">
                    {move || {
                        let (shown, total) = (matching.with(Vec::len), items.with(Vec::len));
                        if shown == total {
                            i18n.f(K::ListLoaded, &[("n", total.into())])
                        } else {
                            i18n.f(K::ListMatching, &[("shown", shown.into()), ("n", total.into())])
                        }
                    }}
                    {move || (skipped.get() > 0).then(|| i18n.f(K::ListSkipped, &[("n", skipped.get().into())]))}
                </p>
            </Show>
            <Show when=move || loading.get()>
                <p role="status"><progress aria-label=i18n.text(K::ListLoadingLabel)></progress>" "{i18n.text(K::ListLoading)}</p>
            </Show>
            <Show when=move || cursor.with(Option::is_some) && !loading.get()>
                <button type="button" class="secondary" on:click=move |_| load(cursor.get_untracked())>{i18n.text(K::ListLoadMore)}</button>
            </Show>
        </section>
        {BulkPart::get().panel(bulk)}
        <OpenById/>
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
