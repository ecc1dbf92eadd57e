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
use crate::core::history::HistoryEntry;
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
            Some(Outcome::Skipped(_)) => Kind::Skipped,
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
pub fn outcome_text(item: &Item) -> String {
    match item.outcome() {
        None => "Waiting".to_owned(),
        Some(Outcome::Refreshed { headline, .. }) => headline.clone(),
        Some(Outcome::Failed(e)) => format!("Failed: {}", e.user_message()),
        Some(Outcome::Cancelled) => "Cancelled while refreshing".to_owned(),
        Some(Outcome::Skipped(note)) => format!("Skipped: {note}"),
        Some(Outcome::NotStarted(Stop::Cancelled)) => "Not started (cancelled)".to_owned(),
        Some(Outcome::NotStarted(Stop::SignedOut)) => "Not started (the session ended)".to_owned(),
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
            Some(Outcome::Skipped(_)) => t.skipped += 1,
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
    pub fn sentence(&self) -> String {
        let mut s = format!(
            "{} refreshed: {} with new tools, {} with breaking changes, {} failed",
            self.attempted, self.with_new_tools, self.with_breaking_changes, self.failed
        );
        let mut rest = Vec::new();
        if self.unreported > 0 {
            rest.push(format!("{} did not report what changed", self.unreported));
        }
        if self.cancelled > 0 {
            rest.push(format!("{} cancelled while refreshing", self.cancelled));
        }
        if self.skipped > 0 {
            rest.push(format!("{} skipped (cooling down)", self.skipped));
        }
        if self.not_started > 0 {
            rest.push(format!("{} not started", self.not_started));
        }
        if !rest.is_empty() {
            s.push_str("; ");
            s.push_str(&rest.join(", "));
        }
        s
    }
}

/// The whole batch as Markdown: a title, when and how long, the totals, then one
/// table row per configuration in report order.
pub fn markdown(batch: &Batch) -> String {
    let t = totals(batch);
    let mut md = format!(
        "# Bulk tool refresh: {} configuration{}\n\n",
        t.total,
        if t.total == 1 { "" } else { "s" }
    );
    md.push_str(&format!("- **Started:** {}", batch.started_at().to_iso()));
    if let Some(end) = batch.finished_at() {
        md.push_str(&format!(
            " (took {})",
            duration_words(end.since(batch.started_at()))
        ));
    }
    md.push('\n');
    md.push_str(&format!(
        "- **At most in flight:** {}\n",
        batch.concurrency()
    ));
    md.push_str(&format!("- **Result:** {}\n", escape_text(&t.sentence())));
    match batch.stopped() {
        Some(Stop::Cancelled) => md.push_str("- **Stopped:** cancelled\n"),
        Some(Stop::SignedOut) => md.push_str("- **Stopped:** the session ended (HTTP 401)\n"),
        None => {}
    }
    md.push_str("\n| Configuration | Outcome | New | Removed | Changed | Breaking | Cached at | Expires at |\n");
    md.push_str("|---|---|---|---|---|---|---|---|\n");
    for (_, item) in rows(batch) {
        let name = match item.name.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(n) => format!("{} ({})", escape_text(n), cell_code(&item.id)),
            None => cell_code(&item.id),
        };
        let counts = counts(item).map_or_else(
            || {
                [
                    "—".to_owned(),
                    "—".to_owned(),
                    "—".to_owned(),
                    "—".to_owned(),
                ]
            },
            |c| c.map(|n| n.to_string()),
        );
        let [new, removed, changed, breaking] = counts;
        let e = entry(item);
        let time = |t: Option<&String>| {
            t.filter(|t| !t.trim().is_empty())
                .map_or_else(|| "—".to_owned(), |t| escape_text(t))
        };
        md.push_str(&format!(
            "| {name} | {} | {new} | {removed} | {changed} | {breaking} | {} | {} |\n",
            escape_text(&outcome_text(item)),
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
    headline: Option<&'a str>,
    error: Option<ExportError<'a>>,
    skipped: Option<&'a str>,
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

/// The whole batch as pretty-printed JSON.
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
    let configurations = rows(batch)
        .into_iter()
        .map(|(_, item)| {
            let (headline, error, skipped) = match item.outcome() {
                Some(Outcome::Refreshed { headline, .. }) => (Some(headline.as_str()), None, None),
                Some(Outcome::Failed(e)) => (None, Some(export_error(e)), None),
                Some(Outcome::Skipped(note)) => (None, None, Some(note.as_str())),
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

fn export_error(e: &ApiError) -> ExportError<'_> {
    ExportError {
        kind: e.kind_name(),
        message: e.user_message(),
        status: e.status,
        code: e.code.as_deref(),
        request_id: e.request_id.as_deref(),
    }
}
