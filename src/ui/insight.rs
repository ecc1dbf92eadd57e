//! Tool-level insight beside a refresh result: tools whose definitions changed
//! (breaking first, with the reason in words), disagreements between the refresh
//! answer and the definitions, what the definitions cost an agent's context, and any
//! tool's definition on demand.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::{self, Canceller};
use crate::core::error::ApiError;
use crate::core::model::RefreshResult;
use crate::core::schema_diff::{ToolChange, ToolDiff};
use crate::core::session::Session;
use crate::core::stepwise::{DecodeSteps, DiffSteps};
use crate::core::tools::{ToolCatalog, ToolDef};
use crate::core::warnings::{count_words, disagreements, Line};
use crate::core::window::{page, pages, PAGE_ROWS, SEARCH_MIN};

use super::names::WarningLines;

/// What the definitions before and after a refresh tell.
#[derive(Clone, Debug, PartialEq)]
pub struct Insight {
    /// The field-level diff, when both catalogs could be read.
    pub diff: Option<ToolDiff>,
    /// Why there is no field-level diff (shown instead of it).
    pub unavailable: Option<String>,
    /// The server's definitions carry no schemas (only names are compared).
    pub thin: bool,
    /// Where the refresh answer and the definitions disagree, similar ones grouped.
    pub mismatches: Vec<Line>,
    /// The catalogs, for sizes and the definition viewer.
    pub before: Option<Arc<ToolCatalog>>,
    /// The catalog after the refresh.
    pub after: Option<Arc<ToolCatalog>>,
}

impl Insight {
    /// Builds the insight from the two tools calls (either may have failed or been
    /// too large: `Ok(None)`) and the refresh answer, in one go (small answers,
    /// tests). The page uses [`Insight::build`].
    pub fn new(
        before: Result<Option<ToolCatalog>, String>,
        after: Result<Option<ToolCatalog>, String>,
        refresh: &RefreshResult,
    ) -> Self {
        match (before, after) {
            (Ok(Some(b)), Ok(Some(a))) => {
                let mut steps = DiffSteps::new(Arc::new(b), Arc::new(a));
                while !steps.step(usize::MAX) {}
                Self::compared(steps, refresh)
            }
            (b, a) => Self::without_diff(b, a),
        }
    }

    /// Like [`Insight::new`], but the schema diff and the size of each tool are
    /// worked out a slice at a time, giving the browser a turn after every
    /// [`SLICE_MS`]: 20,000 tools whose schemas all changed never make one long task.
    pub async fn build(
        before: Result<Option<ToolCatalog>, String>,
        after: Result<Option<ToolCatalog>, String>,
        refresh: &RefreshResult,
    ) -> Self {
        match (before, after) {
            (Ok(Some(b)), Ok(Some(a))) => {
                let mut steps = DiffSteps::new(Arc::new(b), Arc::new(a));
                in_slices(|| steps.step(STEP_TOOLS)).await;
                api::yield_now().await;
                Self::compared(steps, refresh)
            }
            (b, a) => Self::without_diff(b, a),
        }
    }

    /// The changed tools (none without a field-level diff).
    pub fn changed(&self) -> &[ToolChange] {
        self.diff.as_ref().map_or(&[], |d| d.changed.as_slice())
    }

    fn compared(steps: DiffSteps, refresh: &RefreshResult) -> Self {
        let (b, a) = steps.catalogs();
        let diff = steps.finish();
        let mismatches = disagreements(&diff, refresh);
        Insight {
            thin: a.thin && b.thin,
            diff: Some(diff),
            unavailable: None,
            mismatches,
            before: Some(b),
            after: Some(a),
        }
    }

    fn without_diff(
        b: Result<Option<ToolCatalog>, String>,
        a: Result<Option<ToolCatalog>, String>,
    ) -> Self {
        let why = match (&b, &a) {
            (Err(e), _) | (_, Err(e)) => e.clone(),
            _ => "the tool definitions are too large to compare field by field in the browser"
                .to_owned(),
        };
        Insight {
            diff: None,
            unavailable: Some(why),
            thin: false,
            mismatches: Vec::new(),
            before: b.ok().flatten().map(Arc::new),
            after: a.ok().flatten().map(Arc::new),
        }
    }
}

/// `GET …/configurations/{id}/tools`, decoded a slice of tools at a time (a 3 MB answer is too much JSON for one
/// task); `Ok(None)` when the answer is over [`MAX_TOOLS_BODY`](crate::api::MAX_TOOLS_BODY).
pub async fn fetch_tools(
    session: &Session,
    id: &str,
    c: &Canceller,
) -> Result<Option<ToolCatalog>, ApiError> {
    let reply = api::get_tools_reply(session, id, c).await?;
    if reply.is_success() && reply.body.len() > api::MAX_TOOLS_BODY {
        return Ok(None);
    }
    let mut steps = DecodeSteps::new(reply, api::now());
    api::yield_now().await;
    in_slices(|| steps.step(STEP_TOOLS)).await;
    api::yield_now().await;
    steps.finish(api::now()).map(Some)
}

/// How long one slice of stepwise work may run before the browser gets a turn
/// (well under the 50 ms of a "long task", far under the 200 ms budget).
pub const SLICE_MS: i64 = 30;
/// Tools compared per step (a step is checked against the clock).
const STEP_TOOLS: usize = 25;

/// Runs `step` until it returns `true` (done), yielding to the browser whenever
/// the current slice has run [`SLICE_MS`].
pub async fn in_slices(mut step: impl FnMut() -> bool) {
    let mut start = api::now();
    while !step() {
        if api::now().since(start).num_milliseconds() >= SLICE_MS {
            api::yield_now().await;
            start = api::now();
        }
    }
}

fn kb(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!(
            "{} KB",
            super::clock::local_number(bytes as f64 / 1024.0, 1)
        )
    }
}

fn size_line(c: &ToolCatalog) -> String {
    format!(
        "{} tools, {} (≈ {} tokens)",
        c.tools.len(),
        kb(c.bytes),
        c.approx_tokens()
    )
}

/// The insight panel.
#[component]
pub fn InsightView(
    /// What to show (shared: the result keeps it without copying 20,000 changes).
    insight: Arc<Insight>,
) -> impl IntoView {
    let unavailable = insight.unavailable.clone();
    let thin = insight.thin;
    let mismatches = insight.mismatches.clone();
    let (before, after) = (insight.before.clone(), insight.after.clone());
    let sizes = match (&before, &after) {
        (Some(b), Some(a)) => Some(format!(
            "Before: {}. After: {}.",
            size_line(b),
            size_line(a)
        )),
        (None, Some(a)) => Some(format!("After: {}.", size_line(a))),
        _ => None,
    };
    let count = insight.changed().len();
    let breaking = insight.changed().iter().filter(|c| c.is_breaking()).count();
    let viewer = (before.is_some() || after.is_some())
        .then(|| view! { <DefinitionViewer before=before.clone() after=after.clone()/> });
    view! {
        <section class="insight" aria-labelledby="changed-title">
            <h3 id="changed-title">{format!("≠ Changed tools ({count})")}</h3>
            {unavailable.map(|why| view! {
                <p class="note">"Field-level changes are not available: " {why} ". Showing the name-only diff from the refresh answer."</p>
            })}
            {thin.then(|| view! { <p class="note">"The server's tool list carries no schemas, so only names, titles and descriptions are compared."</p> })}
            {(!mismatches.is_empty()).then(|| view! {
                <div class="warnings" role="note" aria-label="Refresh answer and definitions disagree">
                    <h4>"The refresh answer and the tool definitions disagree"</h4>
                    <WarningLines lines=mismatches stem="mismatch"/>
                </div>
            })}
            {(breaking > 0).then(|| view! { <p class="breaking-summary"><strong>{format!("{breaking} tool(s) with breaking changes")}</strong>" — listed first."</p> })}
            {if count == 0 {
                view! { <p class="none">"None"</p> }.into_any()
            } else {
                view! { <ChangedTools insight=insight/> }.into_any()
            }}
            {sizes.map(|s| view! { <p class="sizes"><strong>"Definition size: "</strong>{s}</p> })}
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
    let count = insight.changed().len();
    let changed = insight;
    let query = RwSignal::new(String::new());
    let page_no = RwSignal::new(0usize);
    let matching = {
        let changed = changed.clone();
        Memo::new(move |_| {
            let q = query.get().trim().to_lowercase();
            (!q.is_empty()).then(|| {
                changed
                    .changed()
                    .iter()
                    .enumerate()
                    .filter(|(_, t)| t.name.to_lowercase().contains(&q))
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
        match matching.with(Option::is_some) {
            true if len == 0 => "No changed tool matches.".to_owned(),
            true => format!(
                "Showing {}–{} of {} matching changed tools ({} in all).",
                count_words(start + 1),
                count_words(end),
                count_words(len),
                count_words(count)
            ),
            false => format!(
                "Showing {}–{} of {} changed tools.",
                count_words(start + 1),
                count_words(end),
                count_words(len)
            ),
        }
    };
    let last_page = move || pages(shown_len(), PAGE_ROWS) - 1;
    view! {
        {(count > SEARCH_MIN).then(|| view! {
            <input type="search" class="name-search" aria-label="Search changed tools" placeholder="Search…"
                prop:value=move || query.get()
                on:input=move |ev| { query.set(event_target_value(&ev)); page_no.set(0); }/>
        })}
        {(paged || count > SEARCH_MIN).then(|| view! {
            <div class="pager">
                <p class="hint" role="status">{status}</p>
                {paged.then(|| view! {
                <button type="button" class="secondary" disabled=move || page_no.get() == 0
                    on:click=move |_| page_no.update(|p| *p = p.saturating_sub(1))>"Previous changed tools"</button>
                <button type="button" class="secondary" disabled={move || page_no.get() >= last_page()}
                    on:click=move |_| page_no.update(|p| *p = (*p + 1).min(last_page()))>"Next changed tools"</button>
                })}
            </div>
        })}
        <ul class="changed-tools">{rows}</ul>
    }
}

/// One changed tool: a summary line, and its changes once opened.
#[component]
fn ChangedTool(tool: ToolChange) -> impl IntoView {
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
                    <span class="tag">{if is_breaking { "BREAKING" } else { "compatible" }}</span>" "
                    <code>{name}</code>
                    {format!(" — {nb} breaking, {nc} compatible")}
                </summary>
                {move || open.get().then(|| view! {
                    <ul>
                        {changes.with_value(|all| all.iter().take(CHANGES_SHOWN).cloned().collect::<Vec<_>>()).into_iter().map(|c| view! {
                            <li class:breaking=c.breaking>
                                <span class="tag">{if c.breaking { "breaking" } else { "compatible" }}</span>" "
                                <code>{c.path}</code>": "{c.reason}
                            </li>
                        }).collect_view()}
                    </ul>
                    {(total > CHANGES_SHOWN).then(|| view! {
                        <p class="hint">{format!("… and {} more changes to this tool (breaking ones are listed first; “Download JSON” has every one).", count_words(total - CHANGES_SHOWN))}</p>
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
    let name = RwSignal::new(String::new());
    let shown = RwSignal::new(None::<Result<(String, &'static str, String), String>>);
    let find = move |n: &str| -> Option<(ToolDef, &'static str)> {
        let n = n.trim();
        after
            .as_ref()
            .and_then(|a| a.get(n).cloned().map(|t| (t, "after the refresh")))
            .or_else(|| {
                before.as_ref().and_then(|b| {
                    b.get(n)
                        .cloned()
                        .map(|t| (t, "before the refresh (removed since)"))
                })
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
            None => Err(format!("No tool named “{}”.", n.trim())),
        }));
    };
    view! {
        <form class="inline-form definition-form" on:submit=submit>
            <label for="definition-name">"Show a tool's definition"</label>
            <input id="definition-name" type="text" placeholder="tool name" prop:value=move || name.get()
                on:input=move |ev| name.set(event_target_value(&ev))/>
            <button type="submit" class="secondary">"Show definition"</button>
        </form>
        {move || shown.get().map(|r| match r {
            Ok((n, when, json)) => view! {
                <figure class="definition">
                    <figcaption>"Definition of " <code>{n}</code> " " {when}</figcaption>
                    <pre tabindex="0">{json}</pre>
                </figure>
            }.into_any(),
            Err(msg) => view! { <p class="note" role="status">{msg}</p> }.into_any(),
        })}
    }
}
