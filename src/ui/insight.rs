//! Tool-level insight beside a refresh result: tools whose definitions changed
//! (breaking first, with the reason in words), disagreements between the refresh
//! answer and the definitions, what the definitions cost an agent's context, and any
//! tool's definition on demand.

use std::sync::Arc;

use leptos::prelude::*;

use crate::core::model::RefreshResult;
use crate::core::schema_diff::{cross_check, diff_catalogs, ToolDiff};
use crate::core::tools::{ToolCatalog, ToolDef};

/// What the definitions before and after a refresh tell.
#[derive(Clone, Debug, PartialEq)]
pub struct Insight {
    /// The field-level diff, when both catalogs could be read.
    pub diff: Option<ToolDiff>,
    /// Why there is no field-level diff (shown instead of it).
    pub unavailable: Option<String>,
    /// The server's definitions carry no schemas (only names are compared).
    pub thin: bool,
    /// Where the refresh answer and the definitions disagree.
    pub mismatches: Vec<String>,
    /// The catalogs, for sizes and the definition viewer.
    pub before: Option<Arc<ToolCatalog>>,
    /// The catalog after the refresh.
    pub after: Option<Arc<ToolCatalog>>,
}

impl Insight {
    /// Builds the insight from the two tools calls (either may have failed or been
    /// too large: `Ok(None)`) and the refresh answer.
    pub fn new(
        before: Result<Option<ToolCatalog>, String>,
        after: Result<Option<ToolCatalog>, String>,
        refresh: &RefreshResult,
    ) -> Self {
        match (before, after) {
            (Ok(Some(b)), Ok(Some(a))) => {
                let diff = diff_catalogs(&b, &a);
                let mismatches = cross_check(&diff, refresh);
                Insight {
                    thin: a.thin && b.thin,
                    diff: Some(diff),
                    unavailable: None,
                    mismatches,
                    before: Some(Arc::new(b)),
                    after: Some(Arc::new(a)),
                }
            }
            (b, a) => {
                let why = match (&b, &a) {
                    (Err(e), _) | (_, Err(e)) => e.clone(),
                    _ => "the tool definitions are too large to compare field by field in the browser".to_owned(),
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
    /// What to show.
    insight: Insight,
) -> impl IntoView {
    let Insight {
        diff,
        unavailable,
        thin,
        mismatches,
        before,
        after,
    } = insight;
    let sizes = match (&before, &after) {
        (Some(b), Some(a)) => Some(format!(
            "Before: {}. After: {}.",
            size_line(b),
            size_line(a)
        )),
        (None, Some(a)) => Some(format!("After: {}.", size_line(a))),
        _ => None,
    };
    let changed = diff.map(|d| d.changed).unwrap_or_default();
    let breaking = changed.iter().filter(|c| c.is_breaking()).count();
    let viewer = (before.is_some() || after.is_some())
        .then(|| view! { <DefinitionViewer before=before.clone() after=after.clone()/> });
    view! {
        <section class="insight" aria-labelledby="changed-title">
            <h3 id="changed-title">{format!("≠ Changed tools ({})", changed.len())}</h3>
            {unavailable.map(|why| view! {
                <p class="note">"Field-level changes are not available: " {why} ". Showing the name-only diff from the refresh answer."</p>
            })}
            {thin.then(|| view! { <p class="note">"The server's tool list carries no schemas, so only names, titles and descriptions are compared."</p> })}
            {(!mismatches.is_empty()).then(|| view! {
                <div class="warnings" role="note" aria-label="Refresh answer and definitions disagree">
                    <h4>"The refresh answer and the tool definitions disagree"</h4>
                    <ul>{mismatches.into_iter().map(|m| view! { <li>"⚠ " {m}</li> }).collect_view()}</ul>
                </div>
            })}
            {(breaking > 0).then(|| view! { <p class="breaking-summary"><strong>{format!("{breaking} tool(s) with breaking changes")}</strong>" — listed first."</p> })}
            {if changed.is_empty() {
                view! { <p class="none">"None"</p> }.into_any()
            } else {
                view! {
                    <ul class="changed-tools">
                        {changed.into_iter().map(|t| {
                            let is_breaking = t.is_breaking();
                            let (nb, nc) = t.changes.iter().fold((0, 0), |(b, c), ch| if ch.breaking { (b + 1, c) } else { (b, c + 1) });
                            view! {
                                <li class:breaking=is_breaking>
                                    <details>
                                        <summary>
                                            <span class="tag">{if is_breaking { "BREAKING" } else { "compatible" }}</span>" "
                                            <code>{t.name.clone()}</code>
                                            {format!(" — {nb} breaking, {nc} compatible")}
                                        </summary>
                                        <ul>
                                            {t.changes.into_iter().map(|c| view! {
                                                <li class:breaking=c.breaking>
                                                    <span class="tag">{if c.breaking { "breaking" } else { "compatible" }}</span>" "
                                                    <code>{c.path}</code>": "{c.reason}
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </details>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {sizes.map(|s| view! { <p class="sizes"><strong>"Definition size: "</strong>{s}</p> })}
            {viewer}
        </section>
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
