//! Renders one refresh result: headline, new and removed tools, cache times with a
//! live countdown, warnings and the server's message.

use leptos::prelude::*;

use crate::app::clock;
use crate::app::i18n::I18n;
use crate::app::refresh::Outcome;
use crate::core::i18n::K;
use crate::core::time::{duration_words, expiry, relative, Instant};
use crate::core::warnings::of_summary;

use super::clock::{local_date_time, Clock};
use super::history_view::ShareActions;
use super::insight::InsightView;
use super::names::{NameList, WarningLines};
use super::review::ReviewPanel;

/// The result panel for one [`Outcome`].
#[component]
pub fn ResultView(
    /// The result to show.
    outcome: Outcome,
) -> impl IntoView {
    let now = Clock::get();
    let i18n = I18n::get();
    let s = outcome.summary;
    let unchanged = s.is_unchanged();
    let warnings = of_summary(&s.warnings);
    let ttl = s.ttl;
    let headline = s.headline_facts();
    let headline = move || i18n.with(|tr| headline.text(tr));
    let ttl = move || {
        i18n.with(|tr| {
            ttl.map(|d| duration_words(tr, d))
                .unwrap_or_else(|| tr.t(K::RefreshUnknown))
        })
    };
    // A new result takes the focus, so keyboard and screen-reader users land on it.
    // Said once, beside the cache times, when the computer's clock is far off the
    // server's (by which every time here is counted).
    let clock_note = Memo::new(move |_| {
        now.track();
        i18n.with(clock::note)
    });
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.focus();
        }
    });
    let breaking = outcome
        .insight
        .as_ref()
        .and_then(|i| i.diff.as_ref())
        .map_or(0, |d| d.breaking_count());
    let needs_review = outcome
        .insight
        .as_ref()
        .and_then(|i| i.review.as_ref())
        .map_or(0, |r| r.tools_flagged);
    let review = outcome.insight.clone().map(|i| {
        view! { <ReviewPanel configuration_id=outcome.configuration_id.clone() insight=i/> }
    });
    view! {
        <section class="card result" aria-labelledby="result-title">
            <h2 id="result-title" class="headline" class:no-changes=unchanged tabindex="-1" node_ref=heading>{headline}</h2>
            {(breaking > 0).then(|| view! {
                <p class="breaking-callout" role="note"><strong>{move || i18n.f(K::RefreshBreaking, &[("n", breaking.into())])}</strong>{i18n.text(K::RefreshBreakingText)}</p>
            })}
            {(needs_review > 0).then(|| view! {
                <p class="review-callout" role="note"><strong>{move || i18n.f(K::ReviewCallout, &[("n", needs_review.into())])}</strong>{i18n.text(K::ReviewCalloutText)}</p>
            })}
            {(!warnings.is_empty()).then(|| view! {
                <div class="warnings" role="note" aria-label=i18n.text(K::RefreshWarnings)>
                    <h3>{i18n.text(K::RefreshWarnings)}</h3>
                    <WarningLines lines=warnings stem="warning"/>
                </div>
            })}
            {unchanged.then(|| view! { <p class="no-changes-note">{i18n.text(K::RefreshNoChangesNote)}</p> })}
            <div class="lists">
                <NameList title=i18n.text(K::RefreshNewTools) sign="+" class="new" names=s.new_tools/>
                <NameList title=i18n.text(K::RefreshRemovedTools) sign="−" class="removed" names=s.removed_tools/>
            </div>
            <dl class="times">
                <dt>{i18n.text(K::RefreshCachedAt)}</dt>
                <dd>{time_view(s.cached_at, Some(now))}</dd>
                <dt>{i18n.text(K::RefreshExpiresAt)}</dt>
                <dd>
                    {time_view(s.expires_at, None)}
                    {s.expires_at.map(|e| view! {
                        <span class="countdown" aria-live="off">
                            {move || {
                                let (expired, words) = i18n.with(|tr| expiry(tr, now.get(), e));
                                if expired {
                                    view! { <span class="badge expired">{i18n.t(K::RefreshExpired)}</span>" "{words}}.into_any()
                                } else {
                                    view! { <span>{words}</span> }.into_any()
                                }
                            }}
                        </span>
                    })}
                </dd>
                <dt>{i18n.text(K::RefreshCacheLifetime)}</dt>
                <dd>{ttl}</dd>
            </dl>
            {move || clock_note.get().map(|n| view! { <p class="clock-note" role="note">{n}</p> })}
            {review}
            {outcome.insight.map(|i| view! { <InsightView insight=i/> })}
            {outcome.message.map(|m| view! { <p class="server-message">{i18n.text(K::RefreshServer)} <q>{m}</q></p> })}
            {outcome.entry.map(|e| view! { <ShareActions entry=e/> })}
        </section>
    }
}

/// A local date-time with the UTC ISO form in a tooltip; with `now`, also "(3 min ago)".
fn time_view(t: Option<Instant>, now: Option<Signal<Instant>>) -> AnyView {
    let i18n = I18n::get();
    match t {
        Some(t) => view! {
            <time datetime=t.to_iso() title=move || i18n.f(K::RefreshUtcTitle, &[("iso", t.to_iso().into())])>{move || i18n.with(|_| local_date_time(t))}</time>
            {now.map(|now| view! { <span class="relative">" (" {move || i18n.with(|tr| relative(tr, now.get(), t))} ")"</span> })}
        }
        .into_any(),
        None => view! { <span>{i18n.text(K::RefreshNotReported)}</span> }.into_any(),
    }
}
