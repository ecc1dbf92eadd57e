//! Tool-level insight beside a refresh result: tools whose definitions changed
//! (breaking first, with the reason in words), disagreements between the refresh
//! answer and the definitions, what the definitions cost an agent's context, and any
//! tool's definition on demand. What is shown is built by `app::insight`.

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::i18n::I18n;
use crate::app::insight::Insight;
use crate::core::i18n::{Tr, K};
use crate::core::schema_diff::ToolChange;
use crate::core::text::{contains_lowered, lower};
use crate::core::tools::{ToolCatalog, ToolDef};
use crate::core::window::{page, pages, PAGE_ROWS, SEARCH_MIN};

use super::names::WarningLines;
use super::review::WordDiff;

fn kb(tr: &Tr, bytes: usize) -> String {
    if bytes < 1024 {
        tr.f(K::InsightBytes, &[("n", bytes.into())])
    } else {
        let kb = super::clock::local_number(bytes as f64 / 1024.0, 1);
        tr.f(K::InsightKilobytes, &[("kb", kb.into())])
    }
}

fn size_line(tr: &Tr, c: &ToolCatalog) -> String {
    tr.f(
        K::InsightSizeLine,
        &[
            (
                "tools",
                tr.f(K::InsightTools, &[("n", c.tools.len().into())]).into(),
            ),
            ("size", kb(tr, c.bytes).into()),
            (
                "tokens",
                tr.f(K::InsightTokens, &[("n", c.approx_tokens().into())])
                    .into(),
            ),
        ],
    )
}

/// The insight panel.
#[component]
pub fn InsightView(
    /// What to show (shared: the result keeps it without copying 20,000 changes).
    insight: Arc<Insight>,
) -> impl IntoView {
    let i18n = I18n::get();
    let unavailable = insight.unavailable.clone();
    let thin = insight.thin;
    let mismatches = insight.mismatches.clone();
    let (before, after) = (insight.before.clone(), insight.after.clone());
    let sizes = {
        let (before, after) = (before.clone(), after.clone());
        move |tr: &Tr| match (&before, &after) {
            (Some(b), Some(a)) => Some(tr.f(
                K::InsightSizesBoth,
                &[
                    ("before", size_line(tr, b).into()),
                    ("after", size_line(tr, a).into()),
                ],
            )),
            (None, Some(a)) => {
                Some(tr.f(K::InsightSizesAfter, &[("after", size_line(tr, a).into())]))
            }
            _ => None,
        }
    };
    let has_sizes = after.is_some();
    let count = insight.changed().len();
    let breaking = insight.changed().iter().filter(|c| c.is_breaking()).count();
    let viewer = (before.is_some() || after.is_some())
        .then(|| view! { <DefinitionViewer before=before.clone() after=after.clone()/> });
    view! {
        <section class="insight" aria-labelledby="changed-title">
            <h3 id="changed-title">{move || i18n.f(K::InsightChangedTitle, &[("n", count.into())])}</h3>
            {unavailable.map(|why| view! {
                <p class="note">{move || i18n.with(|tr| tr.f(K::InsightUnavailable, &[("why", why.message(tr).into())]))}</p>
            })}
            {thin.then(|| view! { <p class="note">{i18n.text(K::InsightThin)}</p> })}
            {(!mismatches.is_empty()).then(|| view! {
                <div class="warnings" role="note" aria-label=i18n.text(K::InsightDisagreeLabel)>
                    <h4>{i18n.text(K::InsightDisagreeHeading)}</h4>
                    <WarningLines lines=mismatches stem="mismatch"/>
                </div>
            })}
            {(breaking > 0).then(|| view! { <p class="breaking-summary"><strong>{move || i18n.f(K::InsightBreakingTools, &[("n", breaking.into())])}</strong>{i18n.text(K::InsightListedFirst)}</p> })}
            {if count == 0 {
                view! { <p class="none">{i18n.text(K::InsightNone)}</p> }.into_any()
            } else {
                view! { <ChangedTools insight=insight/> }.into_any()
            }}
            {has_sizes.then(|| view! { <p class="sizes"><strong>{i18n.text(K::InsightSizesLabel)}</strong>{move || i18n.with(&sizes)}</p> })}
            {viewer}
        </section>
    }
}

/// Per-field changes shown for one tool; the rest are counted (the JSON download
/// has every one).
const CHANGES_SHOWN: usize = 100;

/// The changed tools, breaking first, each with its field-level changes behind a
/// disclosure. Rows vary in height (a tool's details open in place), so a long list
/// is paged, [`PAGE_ROWS`] tools at a time, with a search by name; a tool's changes
/// are put in the page only when its details are opened.
#[component]
fn ChangedTools(insight: Arc<Insight>) -> impl IntoView {
    let i18n = I18n::get();
    let count = insight.changed().len();
    let changed = insight;
    let query = RwSignal::new(String::new());
    let page_no = RwSignal::new(0usize);
    let matching = {
        let changed = changed.clone();
        Memo::new(move |_| {
            let q = lower(query.get().trim()).into_owned();
            (!q.is_empty()).then(|| {
                changed
                    .changed()
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| contains_lowered(&t.name, &q))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>()
            })
        })
    };
    let shown_len = move || matching.with(|m| m.as_ref().map_or(count, Vec::len));
    let paged = count > PAGE_ROWS;
    let rows = {
        let changed = changed.clone();
        move || {
            let (start, end) = page(shown_len(), page_no.get(), PAGE_ROWS);
            matching.with(|m| {
                (start..end)
                    .filter_map(|pos| {
                        let i = match m {
                            Some(v) => *v.get(pos)?,
                            None => pos,
                        };
                        changed.changed().get(i).cloned()
                    })
                    .map(|t| view! { <ChangedTool tool=t/> })
                    .collect_view()
            })
        }
    };
    let status = move || {
        let len = shown_len();
        let (start, end) = page(len, page_no.get(), PAGE_ROWS);
        let range = [
            ("from", (start + 1).into()),
            ("to", end.into()),
            ("n", len.into()),
        ];
        match matching.with(Option::is_some) {
            true if len == 0 => i18n.t(K::InsightNoMatch),
            true => {
                let mut args = range.to_vec();
                args.push(("all", count.into()));
                i18n.f(K::InsightShowingMatching, &args)
            }
            false => i18n.f(K::InsightShowing, &range),
        }
    };
    let last_page = move || pages(shown_len(), PAGE_ROWS) - 1;
    view! {
        {(count > SEARCH_MIN).then(|| view! {
            <input type="search" class="name-search" aria-label=i18n.text(K::InsightSearchLabel) placeholder=i18n.text(K::InsightSearchPlaceholder)
                prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); page_no.set(0); }/>
        })}
        {(paged || count > SEARCH_MIN).then(|| view! {
            <div class="pager">
                <p class="hint" role="status">{status}</p>
                {paged.then(|| view! {
                <button type="button" class="secondary" disabled=move || page_no.get() == 0
                    on:click=move |_| page_no.update(|p| *p = p.saturating_sub(1))>{i18n.text(K::InsightPrevious)}</button>
                <button type="button" class="secondary" disabled={move || page_no.get() >= last_page()}
                    on:click=move |_| page_no.update(|p| *p = (*p + 1).min(last_page()))>{i18n.text(K::InsightNext)}</button>
                })}
            </div>
        })}
        <ul class="changed-tools">{rows}</ul>
    }
}

/// One changed tool: a summary line, and its changes once opened.
#[component]
fn ChangedTool(tool: ToolChange) -> impl IntoView {
    let i18n = I18n::get();
    let is_breaking = tool.is_breaking();
    let (nb, nc) =
        tool.changes.iter().fold(
            (0, 0),
            |(b, c), ch| if ch.breaking { (b + 1, c) } else { (b, c + 1) },
        );
    let total = tool.changes.len();
    let name = tool.name.clone();
    let changes = StoredValue::new(tool.changes);
    let open = RwSignal::new(false);
    view! {
        <li class:breaking=is_breaking>
            <details on:toggle=move |ev| {
                if let Some(el) = event_target::<web_sys::Element>(&ev).into() {
                    let el: web_sys::Element = el;
                    open.set(el.has_attribute("open"));
                }
            }>
                <summary>
                    <span class="tag">{move || i18n.t(if is_breaking { K::InsightTagBreaking } else { K::InsightTagCompatible })}</span>" "
                    <code>{name}</code>
                    {move || i18n.with(|tr| tr.f(K::InsightToolCounts, &[
                        ("breaking", tr.f(K::InsightNBreaking, &[("n", nb.into())]).into()),
                        ("compatible", tr.f(K::InsightNCompatible, &[("n", nc.into())]).into()),
                    ]))}
                </summary>
                {move || open.get().then(|| view! {
                    <ul>
                        {changes.with_value(|all| all.iter().take(CHANGES_SHOWN).cloned().collect::<Vec<_>>()).into_iter().map(|c| {
                            let breaking = c.breaking;
                            let path = c.path.clone();
                            let words = c.text.clone().map(|t| view! { <WordDiff text=t/> });
                            view! {
                                <li class:breaking=breaking>
                                    <span class="tag">{move || i18n.t(if breaking { K::InsightChangeBreaking } else { K::InsightChangeCompatible })}</span>" "
                                    <code>{path}</code>": "{move || i18n.with(|tr| c.reason_in(tr))}
                                    {words}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    {(total > CHANGES_SHOWN).then(|| view! {
                        <p class="hint">{move || i18n.f(K::InsightMoreChanges, &[("n", (total - CHANGES_SHOWN).into())])}</p>
                    })}
                })}
            </details>
        </li>
    }
}

/// "Show a tool's definition": type a name, see its definition (after the
/// refresh, or before it for a removed tool) as readable JSON.
#[component]
fn DefinitionViewer(
    before: Option<Arc<ToolCatalog>>,
    after: Option<Arc<ToolCatalog>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let name = RwSignal::new(String::new());
    // (name, whether it is the definition after the refresh, JSON), or the name not found.
    let shown = RwSignal::new(None::<Result<(String, bool, String), String>>);
    let find = move |n: &str| -> Option<(ToolDef, bool)> {
        let n = n.trim();
        after
            .as_ref()
            .and_then(|a| a.get(n).cloned().map(|t| (t, true)))
            .or_else(|| {
                before
                    .as_ref()
                    .and_then(|b| b.get(n).cloned().map(|t| (t, false)))
            })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get();
        shown.set(Some(match find(&n) {
            Some((t, when)) => Ok((
                t.name.clone(),
                when,
                serde_json::to_string_pretty(&t.to_value()).unwrap_or_default(),
            )),
            None => Err(n.trim().to_owned()),
        }));
    };
    view! {
        <form class="inline-form definition-form" on:submit=submit>
            <label for="definition-name">{i18n.text(K::InsightShowLabel)}</label>
            <input id="definition-name" type="text" placeholder=i18n.text(K::InsightNamePlaceholder) prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit" class="secondary">{i18n.text(K::InsightShowButton)}</button>
        </form>
        {move || shown.get().map(|r| match r {
            Ok((n, after, json)) => view! {
                <figure class="definition">
                    <figcaption>{i18n.text(K::InsightDefinitionOf)}" " <code>{n}</code> " " {move || i18n.t(if after { K::InsightAfterRefresh } else { K::InsightBeforeRefresh })}</figcaption>
                    <pre tabindex="0">{json}</pre>
                </figure>
            }.into_any(),
            Err(n) => view! { <p class="note" role="status">{move || i18n.f(K::InsightNoTool, &[("name", n.as_str().into())])}</p> }.into_any(),
        })}
    }
}
