//! One remembered refresh ([`HistoryEntry`]): what is kept, how it is written
//! and read back (serde; missing fields take their defaults, unknown ones are
//! ignored, a wrong type makes the entry unreadable), and how a refresh attempt
//! becomes one.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::core::diff::Summary;
use crate::core::error::ApiError;
use crate::core::i18n::{Tr, K};
use crate::core::review::{baseline::tool_hash, Flag, Review};
use crate::core::schema_diff::{ToolChange, ToolDiff};
use crate::core::time::Instant;
use crate::core::tools::ToolCatalog;

/// What a refresh attempt gave, as [`HistoryEntry::record`] takes it.
pub enum Attempt<'a> {
    /// The server answered with what changed: the summary the headline was made
    /// from, and the tool-level diff when the definitions were read.
    Reported(&'a Summary, Option<&'a ToolDiff>),
    /// The server accepted the refresh but its answer said nothing about what
    /// changed (no counts, no lists).
    Unreported(&'a Summary),
    /// The call failed; its message is kept as the user was told it (in `tr`'s language).
    Failed(&'a ApiError, &'a crate::core::i18n::Tr),
}

/// One remembered refresh. Serialized with camelCase keys; missing keys read as
/// their defaults, but an entry without `id` or `configurationId` is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct HistoryEntry {
    /// Unique id, `<configurationId>-<unix ms>-<n>` (see [`History::next_id`](super::History::next_id)).
    pub id: String,
    /// The configuration refreshed.
    pub configuration_id: String,
    /// Its display name at the time, if known.
    pub configuration_name: Option<String>,
    /// When the refresh started, unix milliseconds.
    pub at: i64,
    /// How long the call took, milliseconds.
    pub duration_ms: i64,
    /// Whether the refresh succeeded.
    pub ok: bool,
    /// The user-facing error message when it failed.
    pub error: Option<String>,
    /// HTTP status of the refresh answer, when there was one.
    pub status: Option<u16>,
    /// `x-request-id` / `trace_id`, for support.
    pub request_id: Option<String>,
    /// Tools after the refresh, as the server counted them.
    pub tools_discovered: Option<i64>,
    /// Tools before the refresh, as the server counted them.
    pub previous_tool_count: Option<i64>,
    /// The server sent an implausible count after the refresh (negative, not
    /// whole, beyond any real server): `tools_discovered` is empty because that
    /// count was not believed, not because none was sent. Absent = false.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub tools_discovered_implausible: bool,
    /// The same for the count before the refresh.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub previous_tool_count_implausible: bool,
    /// New tool names, sorted.
    pub new_tools: Vec<String>,
    /// Removed tool names, sorted.
    pub removed_tools: Vec<String>,
    /// Field-level changes of tools present before and after (empty when the
    /// definitions could not be read), breaking first.
    pub changed: Vec<ToolChange>,
    /// Removed tools plus changed tools with a breaking change.
    pub breaking: usize,
    /// When the new cache was made (RFC 3339, UTC).
    pub cached_at: Option<String>,
    /// When it expires (RFC 3339, UTC).
    pub expires_at: Option<String>,
    /// The refresh succeeded but the answer did not say what changed: the lists
    /// and counts above are empty because nothing was reported, not because
    /// nothing changed. Absent in entries written before it existed (= false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unreported: bool,
    /// How many tools the safety review flagged (`core::review`). Absent = 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub needs_review: usize,
    /// What the review flagged, at most [`MAX_REVIEW_FLAGS`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub review: Vec<Flag>,
    /// The hash of the whole tool set after the refresh (`core::review::baseline`),
    /// when the definitions were read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub set_hash: Option<String>,
    /// The hash each removed tool had when it was removed (at most
    /// [`MAX_REMOVED_HASHES`]): a tool that comes back is compared with it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub removed_hashes: BTreeMap<String, String>,
}

/// Review flags an entry keeps.
pub const MAX_REVIEW_FLAGS: usize = 200;
/// Removed tools' hashes an entry keeps.
pub const MAX_REMOVED_HASHES: usize = 1_000;

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl HistoryEntry {
    /// The entry for one refresh attempt.
    ///
    /// A reported success keeps the same counts and name lists as the headline
    /// (from `summary`), the field-level changes from the tool diff when there is
    /// one, and `breaking` = removed tools plus tools with a breaking change. An
    /// unreported success keeps only the cache times. A failure keeps the error's
    /// message, status and request id.
    pub fn record(
        id: String,
        configuration_id: &str,
        configuration_name: Option<&str>,
        at: Instant,
        duration_ms: i64,
        attempt: Attempt<'_>,
    ) -> Self {
        let mut e = HistoryEntry {
            id,
            configuration_id: configuration_id.to_owned(),
            configuration_name: configuration_name.map(str::to_owned),
            at: at.millis(),
            duration_ms: duration_ms.max(0),
            ..HistoryEntry::default()
        };
        match attempt {
            Attempt::Reported(s, diff) => {
                e.ok = true;
                e.tools_discovered = s.total;
                e.previous_tool_count = s.previous;
                e.tools_discovered_implausible = s.total_implausible;
                e.previous_tool_count_implausible = s.previous_implausible;
                e.cached_at = s.cached_at.map(Instant::to_iso);
                e.expires_at = s.expires_at.map(Instant::to_iso);
                e.new_tools = s.new_tools.clone();
                e.removed_tools = s.removed_tools.clone();
                match diff {
                    Some(d) => {
                        e.changed = d.changed.clone();
                        e.breaking = d.breaking_count();
                    }
                    None => e.breaking = e.removed_tools.len(),
                }
            }
            Attempt::Unreported(s) => {
                e.ok = true;
                e.unreported = true;
                e.cached_at = s.cached_at.map(Instant::to_iso);
                e.expires_at = s.expires_at.map(Instant::to_iso);
            }
            Attempt::Failed(err, tr) => {
                // The record of what the user was told, in the language they read
                // it in (a saved entry keeps its words across a language switch).
                e.error = Some(err.user_message(tr));
                e.status = err.status;
                e.request_id = err.request_id.clone();
            }
        }
        e
    }

    /// The entry in one line, as the history list shows it: the counts for a
    /// reported success, what the server did not say for an unreported one, the
    /// error for a failure (the saved message, as it was written).
    pub fn summary_line(&self, tr: &Tr) -> String {
        if !self.ok {
            let error = match self.error.as_deref() {
                Some(e) => e.to_owned(),
                None => tr.t(K::HistoryNoReason),
            };
            return tr.f(K::HistoryFailed, &[("error", error.into())]);
        }
        if self.unreported {
            return tr.t(K::HistoryUnreported);
        }
        let tools = match self.tools_discovered {
            Some(n) => tr.f(K::HistoryTools, &[("n", n.into())]),
            None if self.tools_discovered_implausible => tr.t(K::HistoryToolsImplausible),
            None => tr.t(K::HistoryToolsUnknown),
        };
        let counts = counts(tr, self);
        let [new, removed, changed, breaking] = counts;
        let mut args = vec![
            ("tools", tools.into()),
            ("new", new.into()),
            ("removed", removed.into()),
            ("changed", changed.into()),
        ];
        let line = if self.breaking > 0 {
            args.push(("breaking", breaking.into()));
            tr.f(K::HistorySummaryBreaking, &args)
        } else {
            tr.f(K::HistorySummary, &args)
        };
        if self.needs_review > 0 {
            let n = tr.f(K::ReviewNeedReview, &[("n", self.needs_review.into())]);
            tr.f(
                K::ReviewSummaryWith,
                &[("summary", line.into()), ("review", n.into())],
            )
        } else {
            line
        }
    }

    /// Adds what the safety review found, the set's hash, and the hashes the removed
    /// tools had in `before` (the catalog before the refresh).
    pub fn add_review(&mut self, review: &Review, before: &ToolCatalog) {
        self.needs_review = review.tools_flagged;
        self.review = review
            .flags
            .iter()
            .take(MAX_REVIEW_FLAGS)
            .cloned()
            .collect();
        self.set_hash = Some(review.set_hash.clone());
        self.removed_hashes = self
            .removed_tools
            .iter()
            .filter_map(|n| Some((n.clone(), tool_hash(before.get(n)?))))
            .take(MAX_REMOVED_HASHES)
            .collect();
    }

    /// Whether the entry is usable: it has an id and a configuration.
    pub(super) fn is_valid(&self) -> bool {
        !self.id.trim().is_empty() && !self.configuration_id.trim().is_empty()
    }

    /// Size of this entry's JSON in bytes.
    pub(super) fn json_len(&self) -> usize {
        serde_json::to_string(self).map_or(0, |s| s.len())
    }
}

/// "2 new", "0 removed", "1 changed", "0 breaking" for an entry (also the export's
/// counts line).
pub fn counts(tr: &Tr, e: &HistoryEntry) -> [String; 4] {
    [
        tr.f(K::HistoryNew, &[("n", e.new_tools.len().into())]),
        tr.f(K::HistoryRemoved, &[("n", e.removed_tools.len().into())]),
        tr.f(K::HistoryChanged, &[("n", e.changed.len().into())]),
        tr.f(K::HistoryBreaking, &[("n", e.breaking.into())]),
    ]
}

/// The id for entry number `n` of `configuration_id` at `at_ms`.
pub fn entry_id(configuration_id: &str, at_ms: i64, n: usize) -> String {
    format!("{configuration_id}-{at_ms}-{n}")
}
