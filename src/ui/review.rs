//! The safety review beside a refresh result: which tools need review and why (the
//! offending text quoted), what changed since the reviewed baseline, and the button
//! that marks the tools as reviewed (`app::review` does it). Also a changed text's
//! word-level diff.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::i18n::I18n;
use crate::app::insight::Insight;
use crate::app::refresh::RefreshCtx;
use crate::app::review::{Baselines, MarkError};
use crate::core::i18n::{Tr, K};
use crate::core::review::baseline::SinceReviewed;
use crate::core::review::{Flag, Review};
use crate::core::schema_diff::{TextChange, MAX_TEXT};
use crate::core::time::parse_rfc3339;
use crate::core::window::{page, pages, PAGE_ROWS};
use crate::core::word_diff::{changed_parts, word_diff, Segment};

use super::clock::local_date_time;

/// Names listed per kind of change since the review; the rest are counted.
const NAMES_SHOWN: usize = 20;
/// Removed and added passages of a changed text listed, of each kind.
const PARTS_SHOWN: usize = 20;
/// Characters of a changed text shown before it is opened.
const TEXT_SHOWN: usize = 300;

/// The review panel of one result.
#[component]
pub fn ReviewPanel(
    /// The configuration refreshed.
    configuration_id: String,
    /// What the definitions told (its `review`).
    insight: Arc<Insight>,
) -> impl IntoView {
    let i18n = I18n::get();
    let Some(review) = insight.review.clone() else {
        return view! {
            <section class="review" aria-labelledby="review-title">
                <h3 id="review-title">{i18n.text(K::ReviewHeading)}</h3>
                <p class="note">{i18n.text(K::ReviewUnavailable)}</p>
            </section>
        }
        .into_any();
    };
    let review = Arc::new(review);
    let n = review.tools_flagged;
    let flagged = n > 0;
    view! {
        <section class="review" class:flagged=flagged aria-labelledby="review-title">
            <h3 id="review-title">{move || if flagged { i18n.f(K::ReviewTitle, &[("n", n.into())]) } else { i18n.t(K::ReviewHeading) }}</h3>
            <p class="hint">{i18n.text(K::ReviewHeuristic)}</p>
            {if review.flags.is_empty() {
                view! { <p class="none">{i18n.text(K::ReviewNone)}</p> }.into_any()
            } else {
                view! { <Flags flags=review.flags.clone()/> }.into_any()
            }}
            <BaselineStatus configuration_id=configuration_id review=review/>
        </section>
    }
    .into_any()
}

/// The flags, a page at a time.
#[component]
fn Flags(flags: Vec<Flag>) -> impl IntoView {
    let i18n = I18n::get();
    let count = flags.len();
    let flags = StoredValue::new(flags);
    let page_no = RwSignal::new(0usize);
    let rows = move || {
        let (start, end) = page(count, page_no.get(), PAGE_ROWS);
        flags.with_value(|all| {
            all.get(start..end)
                .unwrap_or_default()
                .iter()
                .cloned()
                .map(|f| {
                    let tool = f.tool.clone();
                    view! { <li><code>{tool}</code>": "{move || i18n.with(|tr| f.message(tr))}</li> }
                })
                .collect_view()
        })
    };
    let last = pages(count, PAGE_ROWS).saturating_sub(1);
    let pager = (count > PAGE_ROWS).then(|| {
        view! {
            <div class="pager">
                <p class="hint" role="status">{move || {
                    let (start, end) = page(count, page_no.get(), PAGE_ROWS);
                    i18n.f(K::InsightShowing, &[("from", (start + 1).into()), ("to", end.into()), ("n", count.into())])
                }}</p>
                <button type="button" class="secondary" disabled=move || page_no.get() == 0
                    on:click=move |_| page_no.update(|p| *p = p.saturating_sub(1))>{i18n.text(K::InsightPrevious)}</button>
                <button type="button" class="secondary" disabled={move || page_no.get() >= last}
                    on:click=move |_| page_no.update(|p| *p = (*p + 1).min(last))>{i18n.text(K::InsightNext)}</button>
            </div>
        }
    });
    view! {
        <ul class="review-flags">{rows}</ul>
        {pager}
    }
}

/// A reviewed baseline's date, as the reader writes dates.
fn when(at: &str) -> String {
    parse_rfc3339(at).map_or_else(|| at.to_owned(), local_date_time)
}

fn names_line(tr: &Tr, key: K, names: &[String]) -> Option<String> {
    if names.is_empty() {
        return None;
    }
    let mut shown = names
        .iter()
        .take(NAMES_SHOWN)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_SHOWN {
        shown = tr.f(
            K::RefreshAndMore,
            &[
                ("names", shown.into()),
                ("n", (names.len() - NAMES_SHOWN).into()),
            ],
        );
    }
    Some(tr.f(key, &[("n", names.len().into()), ("names", shown.into())]))
}

fn since_lines(tr: &Tr, s: &SinceReviewed, at: &str) -> Vec<String> {
    let date = when(at);
    if s.same {
        return vec![tr.f(K::ReviewSinceSame, &[("at", date.into())])];
    }
    if !s.listed {
        return vec![tr.f(K::ReviewSinceUnlisted, &[("at", date.into())])];
    }
    let mut out = vec![tr.f(K::ReviewSinceChanged, &[("at", date.into())])];
    out.extend(
        [
            (K::ReviewSinceAdded, &s.added),
            (K::ReviewSinceChangedTools, &s.changed),
            (K::ReviewSinceRemoved, &s.removed),
        ]
        .into_iter()
        .filter_map(|(k, names)| names_line(tr, k, names)),
    );
    out
}

/// What changed since the reviewed baseline, and the button that makes the set on
/// screen the new one.
#[component]
fn BaselineStatus(configuration_id: String, review: Arc<Review>) -> impl IntoView {
    let i18n = I18n::get();
    let baselines = Baselines::get();
    let ctx = RefreshCtx::get();
    let id = StoredValue::new(configuration_id);
    let since = {
        let review = review.clone();
        Memo::new(move |_| {
            id.with_value(|id| baselines.of(id)).map(|b| {
                (
                    b.compare_hashed(&review.hashes, &review.set_hash),
                    b.reviewed_at,
                )
            })
        })
    };
    let working = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<usize, MarkError>>);
    let shown = StoredValue::new(review.set_hash.clone());
    let mark = move |_| {
        working.set(true);
        outcome.set(None);
        let tr = i18n.tr();
        spawn_local(async move {
            let (id, shown) = (id.get_value(), shown.get_value());
            let r = baselines.mark(ctx, tr, &id, &shown).await;
            let _ = working.try_set(false);
            let _ = outcome.try_set(Some(r.map(|b| b.tool_count)));
        });
    };
    let same = move || since.with(|s| s.as_ref().is_some_and(|(s, _)| s.same));
    view! {
        <div class="baseline">
            <h4>{i18n.text(K::ReviewBaselineHeading)}</h4>
            {move || match since.get() {
                None => view! { <p>{i18n.text(K::ReviewNoBaseline)}</p> }.into_any(),
                Some((s, at)) => {
                    let lines = i18n.with(|tr| since_lines(tr, &s, &at));
                    view! {
                        <ul class="since" class:changed=!s.same>
                            {lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <button type="button" on:click=mark disabled=move || working.get() || same()>
                {i18n.text(K::ReviewMark)}
            </button>
            {move || outcome.get().map(|r| match r {
                Ok(n) => view! { <p class="ok" role="status">{i18n.f(K::ReviewMarked, &[("n", n.into())])}</p> }.into_any(),
                Err(MarkError::Changed) => view! { <p class="error" role="alert">{i18n.text(K::ReviewMarkChanged)}</p> }.into_any(),
                Err(MarkError::Unreadable(why)) => view! { <p class="error" role="alert">{i18n.f(K::ReviewMarkFailed, &[("why", why.into())])}</p> }.into_any(),
                Err(MarkError::NotSaved) => view! { <p class="error" role="alert">{i18n.text(K::ReviewMarkNotSaved)}</p> }.into_any(),
            })}
        </div>
    }
}

/// A changed text, word by word: the removed and added words listed (what a screen
/// reader hears: "removed: …", "added: …"), and the whole text with them marked
/// behind a disclosure when it is long.
#[component]
pub fn WordDiff(text: TextChange) -> impl IntoView {
    let i18n = I18n::get();
    let segments = word_diff(
        text.before.as_deref().unwrap_or_default(),
        text.after.as_deref().unwrap_or_default(),
    );
    let (added, removed) = changed_parts(&segments);
    let cut = |s: &str| -> String {
        match s.char_indices().nth(TEXT_SHOWN) {
            Some((i, _)) => format!("{}…", &s[..i]),
            None => s.to_owned(),
        }
    };
    // At most PARTS_SHOWN passages of each kind are listed (a rewritten text is
    // hundreds of them); the whole text below marks every one.
    let more = removed.len().saturating_sub(PARTS_SHOWN) + added.len().saturating_sub(PARTS_SHOWN);
    let parts: Vec<(bool, String)> = removed
        .iter()
        .take(PARTS_SHOWN)
        .map(|p| (false, cut(p)))
        .chain(added.iter().take(PARTS_SHOWN).map(|p| (true, cut(p))))
        .collect();
    let long = segments.iter().map(|s| seg_text(s).len()).sum::<usize>() > TEXT_SHOWN;
    let whole = segments
        .into_iter()
        .map(|s| match s {
            Segment::Same(t) => view! { <span>{t}</span> }.into_any(),
            Segment::Added(t) => view! { <ins><span class="visually-hidden">{i18n.text(K::ReviewAddedMark)}</span>{t}</ins> }.into_any(),
            Segment::Removed(t) => view! { <del><span class="visually-hidden">{i18n.text(K::ReviewRemovedMark)}</span>{t}</del> }.into_any(),
        })
        .collect_view();
    view! {
        <ul class="word-diff">
            {parts.into_iter().map(|(added, t)| {
                let key = if added { K::ReviewAddedWords } else { K::ReviewRemovedWords };
                view! { <li class:added=added class:removed=!added>{move || i18n.f(key, &[("text", t.as_str().into())])}</li> }
            }).collect_view()}
            {(more > 0).then(|| view! { <li class="hint">{i18n.f(K::ReviewMorePassages, &[("n", more.into())])}</li> })}
            {text.cut.then(|| view! { <li class="hint">{i18n.f(K::ReviewTextCut, &[("n", MAX_TEXT.into())])}</li> })}
        </ul>
        {if long {
            view! {
                <details class="whole-text">
                    <summary>{i18n.text(K::ReviewWholeText)}</summary>
                    <p class="words">{whole}</p>
                </details>
            }.into_any()
        } else {
            view! { <p class="words">{whole}</p> }.into_any()
        }}
    }
}

fn seg_text(s: &Segment) -> &str {
    match s {
        Segment::Same(t) | Segment::Added(t) | Segment::Removed(t) => t,
    }
}
