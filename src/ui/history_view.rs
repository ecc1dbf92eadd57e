//! The refresh history of one configuration, newest first, any two entries
//! comparable; and an entry's share actions (Markdown, JSON). The store is
//! `app::history`, the exports `app::export`.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::export::{copy_text, download, download_json_parts, entry_export, export_name};
use crate::app::history::HistoryStore;
use crate::app::i18n::I18n;
use crate::app::review::Baselines;
use crate::core::history::timeline::{Mark, Point, Timeline, HEIGHT, PAD, WIDTH};
use crate::core::history::{compare, signed, HistoryEntry};
use crate::core::i18n::K;
use crate::core::stepwise::ExportFormat;
use crate::core::time::{parse_rfc3339, relative, Instant};

use super::clock::{local_date_time, Clock};
use super::names::AllNames;

/// The longest Markdown shown in a text area when copying is refused.
const FALLBACK_MAX: usize = 256 * 1024;

/// What the share actions last said (put in words at render time).
#[derive(Clone, Debug, PartialEq, Eq)]
enum ShareStatus {
    Idle,
    PreparingMarkdown,
    Copied,
    DownloadedInstead(String),
    Neither,
    SelectBelow,
    PreparingJson,
    Downloaded(String),
    DownloadRefused,
}

impl ShareStatus {
    fn message(&self, i18n: I18n) -> String {
        match self {
            ShareStatus::Idle => String::new(),
            ShareStatus::PreparingMarkdown => i18n.t(K::HistoryPreparingMarkdown),
            ShareStatus::Copied => i18n.t(K::HistoryCopied),
            ShareStatus::DownloadedInstead(name) => {
                i18n.f(K::HistoryDownloadedInstead, &[("name", name.into())])
            }
            ShareStatus::Neither => i18n.t(K::HistoryNeither),
            ShareStatus::SelectBelow => i18n.t(K::HistorySelectBelow),
            ShareStatus::PreparingJson => i18n.t(K::HistoryPreparingJson),
            ShareStatus::Downloaded(name) => i18n.f(K::HistoryDownloaded, &[("name", name.into())]),
            ShareStatus::DownloadRefused => i18n.t(K::HistoryDownloadRefused),
        }
    }
}

/// "Copy as Markdown" and "Download JSON" for one entry (the Markdown in the
/// language active when it is made).
#[component]
pub fn ShareActions(
    /// The entry to share.
    entry: Arc<HistoryEntry>,
) -> impl IntoView {
    let i18n = I18n::get();
    let status = RwSignal::new(ShareStatus::Idle);
    let name = export_name(&entry, "json");
    let md_name = export_name(&entry, "md");
    // The exports are built on click, not at render: a 100,000-tool entry would
    // otherwise cost the render a long task for a button nobody pressed yet.
    let fallback = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let copy = {
        let entry = entry.clone();
        move |_| {
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            status.set(ShareStatus::PreparingMarkdown);
            let md = entry_export(entry.clone(), ExportFormat::Markdown, i18n.tr());
            let md_name = md_name.clone();
            spawn_local(async move {
                let md = md.await.concat();
                match copy_text(&md).await {
                    Ok(()) => status.set(ShareStatus::Copied),
                    // Megabytes of text in a text area would freeze the page: a file instead.
                    Err(()) if md.len() > FALLBACK_MAX => {
                        status.set(match download(&md_name, "text/markdown", &md) {
                            Ok(()) => ShareStatus::DownloadedInstead(md_name),
                            Err(_) => ShareStatus::Neither,
                        });
                    }
                    Err(()) => {
                        status.set(ShareStatus::SelectBelow);
                        fallback.set(Some(md));
                    }
                }
                busy.set(false);
            });
        }
    };
    let save = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        status.set(ShareStatus::PreparingJson);
        let json = entry_export(entry.clone(), ExportFormat::Json, i18n.tr());
        let name = name.clone();
        spawn_local(async move {
            let parts = json.await;
            match download_json_parts(&name, &parts).await {
                Ok(()) => status.set(ShareStatus::Downloaded(name)),
                Err(_) => status.set(ShareStatus::DownloadRefused),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="share">
            <button type="button" class="secondary" on:click=copy>{i18n.text(K::HistoryCopyMarkdown)}</button>
            <button type="button" class="secondary" on:click=save>{i18n.text(K::HistoryDownloadJson)}</button>
            <span role="status" class="hint">{move || status.with(|s| s.message(i18n))}</span>
            {move || fallback.get().map(|t| view! {
                <label for="markdown-fallback">{i18n.text(K::HistoryMarkdownSummary)}</label>
                <textarea id="markdown-fallback" readonly=true rows="10">{t}</textarea>
            })}
        </div>
    }
}

/// The history of one configuration, newest first, with compare and clear.
#[component]
pub fn HistoryPanel(
    /// The configuration.
    configuration_id: String,
) -> impl IntoView {
    let store = HistoryStore::get();
    store.load();
    let i18n = I18n::get();
    let now = Clock::get();
    let selected = RwSignal::new(Vec::<String>::new());
    let id = configuration_id.clone();
    let entries = Memo::new(move |_| {
        store.history.with(|h| {
            h.for_configuration(&id)
                .into_iter()
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let clear_id = StoredValue::new(configuration_id.clone());
    let opened = RwSignal::new(None::<String>);
    let toggle = move |entry_id: String, on: bool| {
        selected.update(|s| {
            s.retain(|x| x != &entry_id);
            if on {
                s.push(entry_id);
                if s.len() > 2 {
                    s.remove(0);
                }
            }
        })
    };
    let comparison = move || {
        let ids = selected.get();
        let (a, b) = (ids.first()?, ids.get(1)?);
        store.history.with(|h| Some(compare(h.get(a)?, h.get(b)?)))
    };
    view! {
        <section class="card history" aria-labelledby="history-title">
            <h2 id="history-title">{move || i18n.f(K::HistoryTitle, &[("n", entries.with(Vec::len).into())])}</h2>
            {move || store.warning.get().map(|w| view! { <p class="warnings" role="note">"⚠ " {move || i18n.with(|tr| w.message(tr))}</p> })}
            <Show when=move || !entries.with(Vec::is_empty) fallback=move || view! { <p class="none">{i18n.text(K::HistoryEmpty)}</p> }>
                <TimelineChart entries=entries configuration_id=configuration_id.clone() opened=opened/>
                <p class="hint">{i18n.text(K::HistoryTickTwo)}</p>
                <ul class="history-list">
                    <For each=move || entries.get() key=|e: &HistoryEntry| e.id.clone() children=move |e: HistoryEntry| {
                        let eid = e.id.clone();
                        let eid2 = e.id.clone();
                        let eid3 = e.id.clone();
                        let is_open = Memo::new(move |_| opened.with(|o| o.as_deref() == Some(eid3.as_str())));
                        let li = NodeRef::<leptos::html::Li>::new();
                        Effect::new(move |_| {
                            if is_open.get() {
                                if let Some(el) = li.get() {
                                    let _ = el.focus();
                                }
                            }
                        });
                        let flags = e.review.clone();
                        let at = Instant::from_millis(e.at);
                        let duration = e.duration_ms;
                        let ok = e.ok;
                        let summary = move || i18n.with(|tr| e.summary_line(tr));
                        let label = move || i18n.f(K::HistoryCompareEntry, &[("time", local_date_time(at).into())]);
                        view! {
                            <li class:failed=!ok class:opened=move || is_open.get() tabindex="-1" node_ref=li>
                                <label class="inline">
                                    <input type="checkbox" aria-label=label
                                        prop:checked=move || selected.with(|s| s.contains(&eid))
                                        on:change=move |ev| toggle(eid2.clone(), event_target_checked(&ev))/>
                                    <time datetime=at.to_iso() title=move || i18n.f(K::HistoryUtc, &[("time", at.to_iso().into())])>{local_date_time(at)}</time>
                                </label>
                                <span class="relative">" (" {move || i18n.with(|tr| relative(tr, now.get(), at))} ") · " {move || i18n.f(K::HistoryDurationMs, &[("n", duration.into())])} " · "</span>
                                <span>{summary}</span>
                                {move || (is_open.get() && !flags.is_empty()).then(|| {
                                    let flags = flags.clone();
                                    view! {
                                        <ul class="review-flags">
                                            {flags.into_iter().map(|f| view! { <li><code>{f.tool.clone()}</code>": "{move || i18n.with(|tr| f.message(tr))}</li> }).collect_view()}
                                        </ul>
                                    }
                                })}
                            </li>
                        }
                    }/>
                </ul>
                {move || comparison().map(|c| view! {
                    <div class="comparison" role="region" aria-label=i18n.text(K::HistoryComparisonLabel)>
                        <h3>{i18n.text(K::HistoryComparison)}</h3>
                        <p>{let c = c.clone(); move || i18n.with(|tr| c.count_sentence(tr))}</p>
                        <ul>
                            {names_line(K::HistoryNewOnlyNewer, "cmp-new-newer", c.new_only_in_newer)}
                            {names_line(K::HistoryNewOnlyOlder, "cmp-new-older", c.new_only_in_older)}
                            {names_line(K::HistoryRemovedOnlyNewer, "cmp-removed-newer", c.removed_only_in_newer)}
                            {names_line(K::HistoryRemovedOnlyOlder, "cmp-removed-older", c.removed_only_in_older)}
                            {names_line(K::HistoryChangedOnlyNewer, "cmp-changed-newer", c.changed_only_in_newer)}
                            {names_line(K::HistoryChangedOnlyOlder, "cmp-changed-older", c.changed_only_in_older)}
                        </ul>
                        {(c.breaking_delta != 0).then(|| { let d = c.breaking_delta; view! { <p>{move || i18n.with(|tr| tr.f(K::HistoryBreakingDelta, &[("delta", signed(tr, d).into())]))}</p> } })}
                    </div>
                })}
                <button type="button" class="secondary" on:click=move |_| { selected.set(Vec::new()); clear_id.with_value(|id| store.clear(id)); }>{i18n.text(K::HistoryClear)}</button>
            </Show>
        </section>
    }
}

/// The configuration's timeline: its tool count per refresh over time, refreshes
/// with breaking or needs-review changes and failures marked, the reviewed baseline
/// as a line. Each mark is a button that opens its entry below; a table says the
/// same for screen readers.
#[component]
fn TimelineChart(
    entries: Memo<Vec<HistoryEntry>>,
    configuration_id: String,
    opened: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = I18n::get();
    let baselines = Baselines::get();
    let chart = Memo::new(move |_| {
        let baseline = baselines
            .of(&configuration_id)
            .and_then(|b| parse_rfc3339(&b.reviewed_at).map(|t| (t.millis(), b.hash)));
        entries.with(|all| {
            let refs: Vec<&HistoryEntry> = all.iter().collect();
            Timeline::of(&refs, baseline.as_ref().map(|(at, h)| (*at, h.as_str())))
        })
    });
    let mark_words = move |p: &Point| {
        let when = local_date_time(Instant::from_millis(p.at));
        let count = match p.count {
            Some(n) => i18n.f(K::HistoryTools, &[("n", n.into())]),
            None => i18n.t(K::HistoryToolsUnknown),
        };
        let mut what = vec![
            when,
            count,
            i18n.t(match p.mark {
                Mark::Plain => K::TimelinePlain,
                Mark::Breaking => K::TimelineBreaking,
                Mark::NeedsReview => K::TimelineNeedsReview,
                Mark::Failed => K::TimelineFailed,
                Mark::Unreported => K::TimelineUnreported,
            }),
        ];
        if p.reviewed {
            what.push(i18n.t(K::TimelineReviewedSet));
        }
        what.join(", ")
    };
    let marks = move || {
        chart.with(|c| {
            c.points
                .iter()
                .map(|p| {
                    let words = mark_words(p);
                    let title = words.clone();
                    let (x, y) = (p.x, p.y);
                    let id = p.entry_id.clone();
                    let id2 = p.entry_id.clone();
                    let class = match p.mark {
                        Mark::Plain => "mark plain",
                        Mark::Breaking => "mark breaking",
                        Mark::NeedsReview => "mark review",
                        Mark::Failed => "mark failed",
                        Mark::Unreported => "mark unreported",
                    };
                    let shape = match p.mark {
                        Mark::Plain | Mark::Unreported => view! { <circle cx=x cy=y r="6"/> }.into_any(),
                        Mark::Breaking => view! { <rect x=x - 6.0 y=y - 6.0 width="12" height="12"/> }.into_any(),
                        Mark::NeedsReview => view! { <polygon points=format!("{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", y - 8.0, x - 7.0, y + 6.0, x + 7.0, y + 6.0)/> }.into_any(),
                        Mark::Failed => view! { <path d=format!("M{:.1} {:.1}l12 12m0 -12l-12 12", x - 6.0, y - 6.0)/> }.into_any(),
                    };
                    view! {
                        <g class=class class:reviewed=p.reviewed role="button" tabindex="0" aria-label=words
                            on:click=move |_| opened.set(Some(id.clone()))
                            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                                if ev.key() == "Enter" || ev.key() == " " {
                                    ev.prevent_default();
                                    opened.set(Some(id2.clone()));
                                }
                            }>
                            <title>{title}</title>
                            {shape}
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let rows = move || {
        chart.with(|c| {
            c.points
                .iter()
                .rev()
                .map(|p| view! { <tr><td>{mark_words(p)}</td></tr> })
                .collect_view()
        })
    };
    view! {
        <figure class="timeline">
            <figcaption id="timeline-caption">{move || i18n.f(K::TimelineCaption, &[("max", chart.with(|c| c.max).into())])}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="group" aria-labelledby="timeline-caption" class="timeline-chart">
                <line class="axis" x1=PAD y1=HEIGHT - PAD x2=WIDTH - PAD y2=HEIGHT - PAD/>
                <polyline class="count-line" points=move || chart.with(Timeline::line)/>
                {move || chart.with(|c| c.baseline_x).map(|bx| view! {
                    <line class="baseline-line" x1=bx y1=PAD / 2.0 x2=bx y2=HEIGHT - PAD / 2.0>
                        <title>{i18n.text(K::TimelineBaseline)}</title>
                    </line>
                })}
                {marks}
            </svg>
            <p class="hint legend">{i18n.text(K::TimelineLegend)}</p>
            // In a hidden box: a table does not shrink to the 1 px the class gives.
            <div class="visually-hidden">
                <table>
                    <caption>{i18n.text(K::TimelineTableCaption)}</caption>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
}

/// One line of a comparison: the first 20 names inline, and when there are more,
/// all of them on demand in a searchable, virtualised list.
fn names_line(label: K, stem: &'static str, names: Vec<String>) -> Option<impl IntoView> {
    let i18n = I18n::get();
    (!names.is_empty()).then(|| {
        let shown: String = names.iter().take(20).cloned().collect::<Vec<_>>().join(", ");
        let more = names.len().saturating_sub(20);
        let text = move || {
            if more > 0 {
                i18n.f(
                    K::HistoryAndMore,
                    &[("names", shown.as_str().into()), ("n", more.into())],
                )
            } else {
                shown.clone()
            }
        };
        let all = (more > 0).then(|| view! { " " <AllNames stem=stem.to_owned() title=i18n.text(label) sign="•" names=names/> });
        view! { <li><strong>{move || i18n.f(K::HistoryLabel, &[("label", i18n.t(label).into())])}</strong>{text}{all}</li> }
    })
}
