//! The batch's one report: rows in a useful order (breaking changes first), the
//! totals sentence, and the two exports of the whole batch (Markdown for a ticket,
//! JSON for tools).
//!
//! Everything from the server (names, ids, messages) is escaped in the Markdown,
//! as in [`crate::core::export`].

use serde::Serialize;

use super::{Batch, Item, Outcome, Stop};
use crate::core::error::ApiError;
use crate::core::export::{code, escape_text};
use crate::core::gate::lock_note;
use crate::core::history::HistoryEntry;
use crate::core::i18n::{Tr, K};
use crate::core::time::{duration_words, Instant};

/// The `format` value of [`json`] exports.
pub const JSON_FORMAT: &str = "connector-refresh.batch";
/// The `version` value of [`json`] exports.
pub const JSON_VERSION: u64 = 1;

/// What one row of the report says, by kind (also its place in the order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Refreshed, with at least one breaking change.
    Breaking,
    /// The refresh failed.
    Failed,
    /// Refreshed, with new, removed or changed tools (none breaking).
    Changed,
    /// Refreshed, but the server did not say what changed.
    Unreported,
    /// Refreshed, nothing changed.
    Unchanged,
    /// Aborted in flight by Cancel or a sign-out.
    Cancelled,
    /// Skipped: still cooling down or rate limited.
    Skipped,
    /// Never started: the queue was cancelled or stopped first.
    NotStarted,
    /// Still waiting or in flight.
    Pending,
}

impl Kind {
    /// The kind of an item, from its outcome.
    pub fn of(item: &Item) -> Kind {
        match item.outcome() {
            None => Kind::Pending,
            Some(Outcome::Refreshed { entry, .. }) if entry.unreported => Kind::Unreported,
            Some(Outcome::Refreshed { entry, .. }) if entry.breaking > 0 => Kind::Breaking,
            Some(Outcome::Refreshed { entry, .. })
                if !entry.new_tools.is_empty()
                    || !entry.removed_tools.is_empty()
                    || !entry.changed.is_empty() =>
            {
                Kind::Changed
            }
            Some(Outcome::Refreshed { .. }) => Kind::Unchanged,
            Some(Outcome::Failed(_)) => Kind::Failed,
            Some(Outcome::Cancelled) => Kind::Cancelled,
            Some(Outcome::Skipped(..)) => Kind::Skipped,
            Some(Outcome::NotStarted(_)) => Kind::NotStarted,
        }
    }

    /// The name used in the JSON export.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Breaking => "breaking",
            Kind::Failed => "failed",
            Kind::Changed => "changed",
            Kind::Unreported => "unreported",
            Kind::Unchanged => "unchanged",
            Kind::Cancelled => "cancelled",
            Kind::Skipped => "skipped",
            Kind::NotStarted => "not-started",
            Kind::Pending => "pending",
        }
    }
}

/// The report's rows: breaking first (most breaking changes first), then failed,
/// changed, unreported, unchanged, cancelled, skipped, not started; within a kind
/// in the order chosen. Each row is the item's index and the item.
pub fn rows(batch: &Batch) -> Vec<(usize, &Item)> {
    let mut rows: Vec<(usize, &Item)> = batch.items().iter().enumerate().collect();
    rows.sort_by_key(|(i, item)| {
        let breaking = match item.outcome() {
            Some(Outcome::Refreshed { entry, .. }) => entry.breaking,
            _ => 0,
        };
        (Kind::of(item), std::cmp::Reverse(breaking), *i)
    });
    rows
}

/// The outcome of a row in words: the headline, the error, or why it did not run.
pub fn outcome_text(tr: &Tr, item: &Item) -> String {
    match item.outcome() {
        None => tr.t(K::BulkWaiting),
        Some(Outcome::Refreshed { headline, .. }) => headline.text(tr),
        Some(Outcome::Failed(e)) => tr.f(K::BulkFailed, &[("error", e.user_message(tr).into())]),
        Some(Outcome::Cancelled) => tr.t(K::BulkCancelledInFlight),
        Some(Outcome::Skipped(left, why)) => tr.f(
            K::BulkSkipped,
            &[("note", lock_note(tr, *left, *why).into())],
        ),
        Some(Outcome::NotStarted(Stop::Cancelled)) => tr.t(K::BulkNotStartedCancelled),
        Some(Outcome::NotStarted(Stop::SignedOut)) => tr.t(K::BulkNotStartedSignedOut),
    }
}

/// The counts of a refreshed row: new, removed, changed, breaking (`None` when it
/// did not refresh, or the server did not say).
pub fn counts(item: &Item) -> Option<[usize; 4]> {
    match item.outcome() {
        Some(Outcome::Refreshed { entry, .. }) if !entry.unreported => Some([
            entry.new_tools.len(),
            entry.removed_tools.len(),
            entry.changed.len(),
            entry.breaking,
        ]),
        _ => None,
    }
}

/// How many tools of a refreshed row need review (`None` when it did not refresh,
/// or its definitions could not be compared, so nothing was reviewed).
pub fn needs_review(item: &Item) -> Option<usize> {
    match item.outcome() {
        Some(Outcome::Refreshed { entry, .. }) if entry.set_hash.is_some() => {
            Some(entry.needs_review)
        }
        _ => None,
    }
}

/// The row's history entry, when it refreshed.
pub fn entry(item: &Item) -> Option<&HistoryEntry> {
    match item.outcome() {
        Some(Outcome::Refreshed { entry, .. }) => Some(entry),
        _ => None,
    }
}

/// The batch counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    /// Configurations chosen.
    pub total: usize,
    /// Refreshed or failed: the ones that had their turn.
    pub attempted: usize,
    /// Refreshed successfully (with or without reported changes).
    pub refreshed: usize,
    /// Refreshed with at least one new tool.
    pub with_new_tools: usize,
    /// Refreshed with at least one breaking change.
    pub with_breaking_changes: usize,
    /// Refreshed, but the server did not say what changed.
    pub unreported: usize,
    /// Failed.
    pub failed: usize,
    /// Aborted in flight.
    pub cancelled: usize,
    /// Skipped (cooling down or rate limited).
    pub skipped: usize,
    /// Never started.
    pub not_started: usize,
}

/// Counts the batch.
pub fn totals(batch: &Batch) -> Totals {
    let mut t = Totals {
        total: batch.items().len(),
        ..Totals::default()
    };
    for item in batch.items() {
        match item.outcome() {
            Some(Outcome::Refreshed { entry, .. }) => {
                t.refreshed += 1;
                t.with_new_tools += usize::from(!entry.new_tools.is_empty());
                t.with_breaking_changes += usize::from(entry.breaking > 0);
                t.unreported += usize::from(entry.unreported);
            }
            Some(Outcome::Failed(_)) => t.failed += 1,
            Some(Outcome::Cancelled) => t.cancelled += 1,
            Some(Outcome::Skipped(..)) => t.skipped += 1,
            Some(Outcome::NotStarted(_)) => t.not_started += 1,
            None => {}
        }
    }
    t.attempted = t.refreshed + t.failed;
    t
}

impl Totals {
    /// The totals on top of the report, e.g. `23 refreshed: 4 with new tools, 2 with
    /// breaking changes, 1 failed`, then what did not run, if anything.
    pub fn sentence(&self, tr: &Tr) -> String {
        let part = |k: K, n: usize| tr.f(k, &[("n", n.into())]);
        let mut s = tr.f(
            K::BulkTotals,
            &[
                (
                    "refreshed",
                    part(K::BulkTotalsRefreshed, self.attempted).into(),
                ),
                ("new", part(K::BulkTotalsNew, self.with_new_tools).into()),
                (
                    "breaking",
                    part(K::BulkTotalsBreaking, self.with_breaking_changes).into(),
                ),
                ("failed", part(K::BulkTotalsFailed, self.failed).into()),
            ],
        );
        let rest: Vec<String> = [
            (K::BulkTotalsUnreported, self.unreported),
            (K::BulkTotalsCancelled, self.cancelled),
            (K::BulkTotalsSkipped, self.skipped),
            (K::BulkTotalsNotStarted, self.not_started),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| part(k, n))
        .collect();
        if !rest.is_empty() {
            s = tr.f(
                K::BulkTotalsAndRest,
                &[("totals", s.into()), ("rest", rest.join(", ").into())],
            );
        }
        s
    }
}

/// The whole batch as Markdown, in `tr`'s language: a title, when and how long,
/// the totals, then one table row per configuration in report order.
pub fn markdown(tr: &Tr, batch: &Batch) -> String {
    let t = totals(batch);
    let mut md = format!("# {}\n\n", tr.f(K::BulkMdTitle, &[("n", t.total.into())]));
    md.push_str(&format!(
        "- **{}** {}",
        tr.t(K::BulkMdStarted),
        batch.started_at().to_iso()
    ));
    if let Some(end) = batch.finished_at() {
        let took = duration_words(tr, end.since(batch.started_at()));
        md.push_str(&format!(
            " ({})",
            tr.f(K::BulkMdTook, &[("duration", took.into())])
        ));
    }
    md.push('\n');
    md.push_str(&format!(
        "- **{}** {}\n",
        tr.t(K::BulkMdConcurrency),
        tr.number(i64::try_from(batch.concurrency()).unwrap_or(0))
    ));
    md.push_str(&format!(
        "- **{}** {}\n",
        tr.t(K::BulkMdResult),
        escape_text(&t.sentence(tr))
    ));
    if let Some(s) = batch.stopped() {
        let why = match s {
            Stop::Cancelled => K::BulkMdStoppedCancelled,
            Stop::SignedOut => K::BulkMdStoppedSignedOut,
        };
        md.push_str(&format!("- **{}** {}\n", tr.t(K::BulkMdStopped), tr.t(why)));
    }
    let header: Vec<String> = [
        K::BulkColConfiguration,
        K::BulkColOutcome,
        K::BulkColNew,
        K::BulkColRemoved,
        K::BulkColChanged,
        K::BulkColBreaking,
        K::BulkColNeedsReview,
        K::BulkColCached,
        K::BulkColExpires,
    ]
    .into_iter()
    .map(|k| escape_text(&tr.t(k)))
    .collect();
    md.push_str(&format!("\n| {} |\n", header.join(" | ")));
    md.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for (_, item) in rows(batch) {
        let name = match item.name.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => format!("{} ({})", escape_text(n), cell_code(&item.id)),
            None => cell_code(&item.id),
        };
        let number = |n: usize| tr.number(i64::try_from(n).unwrap_or(i64::MAX));
        let counts = counts(item).map_or_else(
            || {
                [
                    "—".to_owned(),
                    "—".to_owned(),
                    "—".to_owned(),
                    "—".to_owned(),
                ]
            },
            |c| c.map(number),
        );
        let [new, removed, changed, breaking] = counts;
        let review = needs_review(item).map_or_else(|| "—".to_owned(), number);
        let e = entry(item);
        let time = |t: Option<&String>| {
            t.filter(|t| !t.trim().is_empty())
                .map_or_else(|| "—".to_owned(), |t| escape_text(t))
        };
        md.push_str(&format!(
            "| {name} | {} | {new} | {removed} | {changed} | {breaking} | {review} | {} | {} |\n",
            escape_text(&outcome_text(tr, item)),
            time(e.and_then(|e| e.cached_at.as_ref())),
            time(e.and_then(|e| e.expires_at.as_ref())),
        ));
    }
    md
}

/// An id as inline code inside a table cell (a `|` would end the cell even there).
fn cell_code(s: &str) -> String {
    code(s).replace('|', "\\|")
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    format: &'static str,
    version: u64,
    started_at: String,
    finished_at: Option<String>,
    concurrency: usize,
    stopped: Option<&'static str>,
    totals: Totals,
    configurations: Vec<ExportRow<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportRow<'a> {
    id: &'a str,
    name: Option<&'a str>,
    outcome: &'static str,
    headline: Option<String>,
    error: Option<ExportError<'a>>,
    skipped: Option<String>,
    entry: Option<&'a HistoryEntry>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportError<'a> {
    kind: &'static str,
    message: String,
    status: Option<u16>,
    code: Option<&'a str>,
    request_id: Option<&'a str>,
}

/// The whole batch as pretty-printed JSON (texts in English, as the history keeps
/// them: data for tools, not for reading).
///
/// Shape (format `"connector-refresh.batch"`, version 1):
///
/// ```text
/// {
///   "format": "connector-refresh.batch", "version": 1,
///   "startedAt": string, "finishedAt": string | null,   // ISO 8601 UTC
///   "concurrency": number,                              // at most in flight
///   "stopped": null | "cancelled" | "signed-out",
///   "totals": { "total", "attempted", "refreshed", "withNewTools",
///               "withBreakingChanges", "unreported", "failed", "cancelled",
///               "skipped", "notStarted" },               // numbers
///   "configurations": [                                  // report order
///     { "id": string, "name": string | null,
///       "outcome": "breaking" | "failed" | "changed" | "unreported" | "unchanged"
///                | "cancelled" | "skipped" | "not-started" | "pending",
///       "headline": string | null,                       // when refreshed
///       "error": { "kind", "message", "status", "code", "requestId" } | null,
///       "skipped": string | null,                        // why, when skipped
///       "entry": HistoryEntry | null }                   // as kept in history:
///   ]                                                    // counts, names, changes, cache times
/// }
/// ```
pub fn json(batch: &Batch) -> String {
    let en = Tr::english();
    let configurations = rows(batch)
        .into_iter()
        .map(|(_, item)| {
            let (headline, error, skipped) = match item.outcome() {
                Some(Outcome::Refreshed { headline, .. }) => (Some(headline.text(&en)), None, None),
                Some(Outcome::Failed(e)) => (None, Some(export_error(&en, e)), None),
                Some(Outcome::Skipped(left, why)) => {
                    (None, None, Some(lock_note(&en, *left, *why)))
                }
                _ => (None, None, None),
            };
            ExportRow {
                id: &item.id,
                name: item.name.as_deref(),
                outcome: Kind::of(item).name(),
                headline,
                error,
                skipped,
                entry: entry(item),
            }
        })
        .collect();
    let export = Export {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        started_at: batch.started_at().to_iso(),
        finished_at: batch.finished_at().map(Instant::to_iso),
        concurrency: batch.concurrency(),
        stopped: batch.stopped().map(|s| match s {
            Stop::Cancelled => "cancelled",
            Stop::SignedOut => "signed-out",
        }),
        totals: totals(batch),
        configurations,
    };
    serde_json::to_string_pretty(&export).unwrap_or_else(|_| "{}".to_owned())
}

fn export_error<'a>(tr: &Tr, e: &'a ApiError) -> ExportError<'a> {
    ExportError {
        kind: e.kind_name(),
        message: e.user_message(tr),
        status: e.status,
        code: e.code.as_deref(),
        request_id: e.request_id.as_deref(),
    }
}
