//! Refreshing many configurations at once, on screen: the bar above the list (how
//! many are chosen, the concurrency, "Refresh N configurations" with its
//! confirmation), the queue's progress and Cancel, and the one report with its
//! exports. The state and the runner are `app::bulk`; the runner and the report
//! arrive in their own chunk ([`BulkPart`]).

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::bulk::Bulk;
use crate::app::export::{copy_text, download, report_name};
use crate::app::i18n::I18n;
use crate::core::batch::report::{self, Kind};
use crate::core::batch::selection::Selection;
use crate::core::batch::{
    clamp_concurrency, Batch, Item, Outcome as BatchOutcome, State, Stop, CONFIRM_ABOVE,
    DEFAULT_CONCURRENCY, MAX_CONCURRENCY,
};
use crate::core::i18n::K;
use crate::core::time::{duration_words, parse_rfc3339, Instant};
use crate::core::window::{page, pages, PAGE_ROWS};

use super::clock::{local_date_time, Clock};
use super::lazy::Part;
use super::nav::Nav;
use super::pager::pager;

/// What the bulk chunk holds: the queue's runner and the progress/report panel.
#[derive(Clone, Copy)]
struct BulkOps {
    start: fn(Bulk),
    panel: fn() -> AnyView,
}

fn batch_panel() -> AnyView {
    view! { <BatchPanel/> }.into_any()
}

crate::part_entry!(
    bulk,
    load_bulk,
    BulkOps,
    BulkOps {
        start: Bulk::start,
        panel: batch_panel,
    }
);

/// The bulk runner and the report, from their own chunk (`ui::lazy`): provided at
/// the root so it is fetched once.
#[derive(Clone, Copy)]
pub struct BulkPart(Part<BulkOps>);

impl BulkPart {
    /// Creates and provides the part (not fetched until it is needed).
    pub fn provide() -> Self {
        let part = BulkPart(Part::new(load_bulk));
        provide_context(part);
        part
    }

    /// The provided part.
    pub fn get() -> Self {
        use_context::<BulkPart>().unwrap_or_else(BulkPart::provide)
    }

    /// Starts a batch of the chosen configurations (unless one is running), once
    /// the bulk chunk is in.
    pub fn start(self, bulk: Bulk) {
        self.0.then(move |ops| (ops.start)(bulk));
    }

    /// The progress and report of the batch running or last run, if there is one.
    pub fn panel(self, bulk: Bulk) -> impl IntoView {
        view! {
            <Show when=move || bulk.batch.with(Option::is_some)>
                {self.0.view(|ops| (ops.panel)())}
            </Show>
        }
    }
}

/// The bar above the configurations table: how many are chosen, the concurrency
/// setting, and "Refresh N configurations" (with a confirmation above five).
#[component]
pub fn BulkBar() -> impl IntoView {
    let bulk = Bulk::get();
    let part = BulkPart::get();
    let i18n = I18n::get();
    let n = move |k: K| i18n.f(k, &[("n", bulk.selection.with(Selection::len).into())]);
    let confirming = RwSignal::new(false);
    let confirm_ref = NodeRef::<html::Button>::new();
    let count = move || bulk.selection.with(Selection::len);
    let press = move |_| {
        if count() > CONFIRM_ABOVE {
            confirming.set(true);
        } else {
            part.start(bulk);
        }
    };
    // Choosing a configuration is the sign a bulk refresh may follow: its part is
    // fetched then, quietly, so the button does not wait for it.
    Effect::new(move |_| {
        if count() > 0 {
            part.0.prefetch();
        }
    });
    // The confirmation takes the focus when it appears.
    Effect::new(move |_| {
        if confirming.get() {
            if let Some(b) = confirm_ref.get() {
                let _ = b.focus();
            }
        }
    });
    view! {
        <div class="bulk-bar" role="group" aria-label=i18n.text(K::BulkBar)>
            <span class="bulk-count">{move || n(K::BulkSelected)}</span>
            <button type="button" class="secondary" disabled=move || count() == 0
                on:click=move |_| { bulk.selection.update(Selection::clear); confirming.set(false); }>{i18n.text(K::BulkClear)}</button>
            <label for="bulk-concurrency">{i18n.text(K::BulkConcurrency)}</label>
            <select id="bulk-concurrency" prop:value=move || bulk.concurrency.get().to_string()
                on:change=move |ev| {
                    let n = event_target_value(&ev).parse().unwrap_or(DEFAULT_CONCURRENCY);
                    bulk.concurrency.set(clamp_concurrency(n));
                }>
                {(1..=MAX_CONCURRENCY).map(|n| view! { <option value=n.to_string()>{n.to_string()}</option> }).collect_view()}
            </select>
            <button type="button" class="primary" disabled=move || count() == 0 || bulk.running()
                on:click=press>{move || n(K::BulkRefreshN)}</button>
        </div>
        <Show when=move || confirming.get()>
            <div class="card warn bulk-confirm" role="alertdialog" aria-labelledby="bulk-confirm-title" aria-describedby="bulk-confirm-text">
                <h2 id="bulk-confirm-title">{move || n(K::BulkConfirmTitle)}</h2>
                <p id="bulk-confirm-text">{move || n(K::BulkConfirmText)}</p>
                <button type="button" class="primary" node_ref=confirm_ref
                    on:click=move |_| { confirming.set(false); part.start(bulk); }>{move || n(K::BulkConfirmYes)}</button>
                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>{i18n.text(K::BulkConfirmNo)}</button>
            </div>
        </Show>
        {part.0.status(i18n, move || part.start(bulk))}
    }
}

/// The running batch's progress and Cancel, then its report.
#[component]
fn BatchPanel() -> impl IntoView {
    let bulk = Bulk::get();
    let i18n = I18n::get();
    let now = Clock::get();
    let panel = NodeRef::<html::Section>::new();
    let page_no = RwSignal::new(0usize);
    let has_batch = move || bulk.batch.with(Option::is_some);
    let finished = Memo::new(move |_| {
        bulk.batch
            .with(|b| b.as_ref().is_some_and(Batch::is_finished))
    });
    let progress = move || bulk.batch.with(|b| b.as_ref().map(Batch::progress));
    // The panel takes the focus when a batch starts and when it is over.
    Effect::watch(
        move || {
            (
                bulk.batch.with(|b| b.as_ref().map(Batch::started_at)),
                finished.get(),
            )
        },
        move |_, _, _| {
            if let Some(p) = panel.get() {
                let _ = p.focus();
            }
        },
        false,
    );
    view! {
        <Show when=has_batch>
            <section class="card batch" aria-labelledby="batch-title" tabindex="-1" node_ref=panel>
                <h2 id="batch-title">{move || i18n.t(if finished.get() { K::BulkReportTitle } else { K::BulkRunningTitle })}</h2>
                <Show when=move || !finished.get()>
                    <div class="batch-progress">
                        <progress aria-label=i18n.text(K::BulkProgressLabel)
                            max=move || progress().map_or(0, |p| p.total).to_string()
                            value=move || progress().map_or(0, |p| p.done).to_string()></progress>
                        <button type="button" class="secondary" on:click=move |_| bulk.cancel()>{i18n.text(K::BulkCancel)}</button>
                    </div>
                </Show>
                <p class="batch-status" role="status" aria-live="polite" aria-atomic="true">
                    {move || progress().map(|p| i18n.with(|tr| p.sentence(tr)))}
                    {move || paused(bulk, i18n, now).map(|p| view! { <span class="paused">" " {p}</span> })}
                </p>
                <Show when=move || finished.get()>
                    {totals(bulk)}
                    {report_share(bulk)}
                </Show>
                {report_table(bulk, page_no)}
                {report_pager(bulk, page_no)}
                <Show when=move || finished.get()>
                    <button type="button" class="secondary" on:click=move |_| bulk.dismiss()>{i18n.text(K::BulkDismiss)}</button>
                </Show>
            </section>
        </Show>
    }
}

/// "Paused for …" while a 429 pauses the queue (tracked, ticking).
fn paused(bulk: Bulk, i18n: I18n, now: Signal<Instant>) -> Option<String> {
    let at = now.get();
    bulk.batch
        .with(|b| b.as_ref().and_then(|b| b.paused_until(at)))
        .map(|until| {
            let left = until.since(at);
            let secs = (left.num_milliseconds() + 999).div_euclid(1000);
            i18n.with(|tr| {
                let words = duration_words(tr, chrono::TimeDelta::seconds(secs));
                tr.f(K::BulkPaused, &[("duration", words.into())])
            })
        })
}

/// The finished batch's totals, and why it stopped early, if it did.
fn totals(bulk: Bulk) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <p class="totals"><strong>{move || bulk.batch.with(|b| b.as_ref().map(|b| i18n.with(|tr| report::totals(b).sentence(tr))))}</strong></p>
        {move || bulk.batch.with(|b| b.as_ref().and_then(Batch::stopped)).map(|s| view! {
            <p class="hint">{move || i18n.t(match s { Stop::Cancelled => K::BulkStoppedCancelled, Stop::SignedOut => K::BulkStoppedSignedOut })}</p>
        })}
    }
}

/// "Copy as Markdown" (the text shown to select when the clipboard is refused)
/// and "Download JSON" for the report.
fn report_share(bulk: Bulk) -> impl IntoView {
    let i18n = I18n::get();
    let share_status = RwSignal::new(String::new());
    let fallback = RwSignal::new(None::<String>);
    let copy = move |_| {
        let md = i18n.with_untracked(|tr| {
            bulk.batch
                .with_untracked(|b| b.as_ref().map(|b| report::markdown(tr, b)))
        });
        let Some(md) = md else {
            return;
        };
        // Worded now: the panel may be gone when the clipboard answers.
        let (copied, refused) = (i18n.t(K::BulkCopied), i18n.t(K::BulkCopyRefused));
        spawn_local(async move {
            match copy_text(&md).await {
                Ok(()) => share_status.set(copied),
                Err(()) => {
                    share_status.set(refused);
                    fallback.set(Some(md));
                }
            }
        });
    };
    let save = move |_| {
        let Some((json, name)) = bulk.batch.with_untracked(|b| {
            b.as_ref()
                .map(|b| (report::json(b), report_name(b.started_at())))
        }) else {
            return;
        };
        share_status.set(match download(&name, "application/json", &json) {
            Ok(()) => i18n.f(K::BulkDownloaded, &[("name", name.as_str().into())]),
            Err(_) => i18n.t(K::BulkDownloadRefused),
        });
    };
    view! {
        <div class="share">
            <button type="button" class="secondary" on:click=copy>{i18n.text(K::BulkCopy)}</button>
            <button type="button" class="secondary" on:click=save>{i18n.text(K::BulkDownload)}</button>
            <span role="status" class="hint">{move || share_status.get()}</span>
            {move || fallback.get().map(|t| view! {
                <label for="batch-markdown">{i18n.text(K::BulkMarkdownLabel)}</label>
                <textarea id="batch-markdown" readonly=true rows="10">{t}</textarea>
            })}
        </div>
    }
}

/// The report's rows on page `page_no`: in the order chosen while the batch runs
/// (rows do not jump around under the reader), in report order once it is over.
fn report_table(bulk: Bulk, page_no: RwSignal<usize>) -> impl IntoView {
    let i18n = I18n::get();
    let nav = Nav::get();
    let rows = move || {
        bulk.batch.with(|b| {
            let Some(b) = b else { return Vec::new() };
            let rows: Vec<(usize, &Item)> = if b.is_finished() {
                report::rows(b)
            } else {
                b.items().iter().enumerate().collect()
            };
            let (start, end) = page(rows.len(), page_no.get(), PAGE_ROWS);
            rows.get(start..end)
                .unwrap_or_default()
                .iter()
                .map(|(i, item)| (*i, (*item).clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.text(K::BulkTableLabel)>
            <table class="batch-report">
                <caption class="visually-hidden">{i18n.text(K::BulkCaption)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.text(K::BulkColConfiguration)}</th>
                        <th scope="col">{i18n.text(K::BulkColOutcome)}</th>
                        <th scope="col">{i18n.text(K::BulkColNew)}</th>
                        <th scope="col">{i18n.text(K::BulkColRemoved)}</th>
                        <th scope="col">{i18n.text(K::BulkColChanged)}</th>
                        <th scope="col">{i18n.text(K::BulkColBreaking)}</th>
                        <th scope="col">{i18n.text(K::BulkColNeedsReview)}</th>
                        <th scope="col">{i18n.text(K::BulkColCached)}</th>
                        <th scope="col">{i18n.text(K::BulkColExpires)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=rows key=|(i, item): &(usize, Item)| format!("{i}:{}", row_key(item)) children=move |(_, item): (usize, Item)| row(nav, i18n, item)/>
                </tbody>
            </table>
        </div>
    }
}

/// Which rows are shown, and the previous and next pages (when there is more than one).
fn report_pager(bulk: Bulk, page_no: RwSignal<usize>) -> impl IntoView {
    let i18n = I18n::get();
    let total_rows = move || {
        bulk.batch
            .with(|b| b.as_ref().map_or(0, |b| b.items().len()))
    };
    let status = move || {
        let (start, end) = page(total_rows(), page_no.get(), PAGE_ROWS);
        i18n.f(
            K::BulkShowingRows,
            &[
                ("start", (start + 1).into()),
                ("end", end.into()),
                ("total", total_rows().into()),
            ],
        )
    };
    let last_page = move || pages(total_rows(), PAGE_ROWS) - 1;
    view! {
        <Show when=move || { total_rows() > PAGE_ROWS }>
            {pager(page_no, last_page, status, false, K::BulkPreviousRows, K::BulkNextRows)}
        </Show>
    }
}

/// One row of the report: the configuration (opening its page, where the full
/// result is), the outcome in words, the counts and the cache times.
fn row(nav: Nav, i18n: I18n, item: Item) -> impl IntoView {
    let kind = Kind::of(&item);
    let state = item.state.clone();
    let outcome = {
        let item = item.clone();
        move || match &state {
            State::Running => i18n.t(K::BulkRefreshing),
            State::RetryAt(_) => i18n.t(K::BulkRetrying),
            _ => i18n.with(|tr| report::outcome_text(tr, &item)),
        }
    };
    let counts = report::counts(&item);
    let cell = move |i: usize| {
        move || match counts.and_then(|c| c.get(i).copied()) {
            Some(n) => i18n.with(|tr| tr.number(i64::try_from(n).unwrap_or(i64::MAX))),
            None => "—".to_owned(),
        }
    };
    let review = report::needs_review(&item);
    let review = move || match review {
        Some(n) => i18n.with(|tr| tr.number(i64::try_from(n).unwrap_or(i64::MAX))),
        None => "—".to_owned(),
    };
    let entry = report::entry(&item);
    let time = |t: Option<&String>| {
        match t.and_then(|t| parse_rfc3339(t)) {
        Some(t) => view! { <time datetime=t.to_iso() title=format!("UTC {}", t.to_iso())>{move || local_date_time(t)}</time> }.into_any(),
        None => view! { <span>"—"</span> }.into_any(),
    }
    };
    let cached = time(entry.and_then(|e| e.cached_at.as_ref()));
    let expires = time(entry.and_then(|e| e.expires_at.as_ref()));
    let link = nav.link_to(item.id.clone(), item.label().to_owned());
    let failed = matches!(item.outcome(), Some(BatchOutcome::Failed(_)));
    view! {
        <tr class=format!("batch-row {}", kind.name())>
            <th scope="row">{link}</th>
            <td>
                {(kind == Kind::Breaking).then(|| view! { <span class="tag breaking">{i18n.text(K::BulkTagBreaking)}</span> " " })}
                {failed.then(|| view! { <span class="tag failed">{i18n.text(K::BulkTagFailed)}</span> " " })}
                {outcome}
            </td>
            <td>{cell(0)}</td>
            <td>{cell(1)}</td>
            <td>{cell(2)}</td>
            <td>{cell(3)}</td>
            <td>{review}</td>
            <td>{cached}</td>
            <td>{expires}</td>
        </tr>
    }
}

/// What a row shows changes only with this: a new key renders it anew.
fn row_key(item: &Item) -> &'static str {
    match &item.state {
        State::Queued => "queued",
        State::Running => "running",
        State::RetryAt(_) => "retry",
        State::Done(_) => Kind::of(item).name(),
    }
}
