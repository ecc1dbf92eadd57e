//! What is remembered about past refreshes, and the rules for keeping it small.
//!
//! Owns [`HistoryEntry`] (one refresh: when, how long, outcome, counts, names and
//! field-level changes), [`History`] (the list kept in `localStorage` as
//! `{"version":1,"entries":[…]}`) with its caps — at most
//! [`MAX_PER_CONFIGURATION`] entries per configuration and [`MAX_BYTES`] of JSON in
//! all, oldest dropped first — and [`compare`] of two remembered refreshes.
//!
//! Storage is untrusted: [`History::parse`] never fails; it keeps what it can read
//! and returns a warning sentence for what it had to drop.

use std::collections::HashSet;

use super::sets::{has, set};

use serde::Serialize;
use serde_json::Value;

use super::error::ApiError;
use super::json::{as_string, as_strings, optional};
use super::model::RefreshResult;
use super::schema_diff::{ToolChange, ToolDiff};
use super::time::Instant;

/// Version written into (and required from) the stored envelope.
pub const VERSION: u64 = 1;
/// At most this many entries are kept per configuration.
pub const MAX_PER_CONFIGURATION: usize = 50;
/// The whole stored JSON stays under this many bytes (localStorage is small).
pub const MAX_BYTES: usize = 512 * 1024;

/// One remembered refresh. Serialized with camelCase keys; missing keys read as
/// their defaults, but an entry without `id` or `configurationId` is dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    /// Unique id, `<configurationId>-<unix ms>-<n>` (see [`History::next_id`]).
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
}

impl HistoryEntry {
    /// Reads a saved entry (what `Serialize` wrote). A missing key or `null` reads
    /// as the field's default; a value of the wrong type makes the entry
    /// unreadable (`None`). Hand-written: serde's derive for this struct and its
    /// parts was about 20 KB of the wasm bundle.
    pub fn from_json(v: &Value) -> Option<HistoryEntry> {
        v.as_object()?;
        let text = |k: &str| optional(v, k, as_string);
        let int = |k: &str| optional(v, k, Value::as_i64);
        Some(HistoryEntry {
            id: text("id")?.unwrap_or_default(),
            configuration_id: text("configurationId")?.unwrap_or_default(),
            configuration_name: text("configurationName")?,
            at: int("at")?.unwrap_or_default(),
            duration_ms: int("durationMs")?.unwrap_or_default(),
            ok: optional(v, "ok", Value::as_bool)?.unwrap_or_default(),
            error: text("error")?,
            status: optional(v, "status", |x| u16::try_from(x.as_u64()?).ok())?,
            request_id: text("requestId")?,
            tools_discovered: int("toolsDiscovered")?,
            previous_tool_count: int("previousToolCount")?,
            new_tools: optional(v, "newTools", as_strings)?.unwrap_or_default(),
            removed_tools: optional(v, "removedTools", as_strings)?.unwrap_or_default(),
            changed: optional(v, "changed", |x| {
                x.as_array()?.iter().map(ToolChange::from_json).collect()
            })?
            .unwrap_or_default(),
            breaking: optional(v, "breaking", |x| usize::try_from(x.as_u64()?).ok())?
                .unwrap_or_default(),
            cached_at: text("cachedAt")?,
            expires_at: text("expiresAt")?,
        })
    }

    /// The entry for one refresh attempt.
    ///
    /// On success the tool lists come from `diff` (the definitions read before and
    /// after) when there is one, else from the refresh answer; `breaking` counts
    /// removed tools plus tools with a breaking change. On failure the error's
    /// message, status and request id are kept. Set `request_id` afterwards for a
    /// successful call if the transport saw one.
    pub fn record(
        id: String,
        configuration_id: &str,
        configuration_name: Option<&str>,
        at: Instant,
        duration_ms: i64,
        outcome: Result<(&RefreshResult, Option<&ToolDiff>), &ApiError>,
    ) -> Self {
        let mut e = HistoryEntry {
            id,
            configuration_id: configuration_id.to_owned(),
            configuration_name: configuration_name.map(str::to_owned),
            at: at.millis(),
            duration_ms: duration_ms.max(0),
            ..HistoryEntry::default()
        };
        match outcome {
            Ok((r, diff)) => {
                e.ok = true;
                e.tools_discovered = r.tools_discovered;
                e.previous_tool_count = r.previous_tool_count;
                e.cached_at = r.cached_at.map(Instant::to_iso);
                e.expires_at = r.expires_at.map(Instant::to_iso);
                match diff {
                    Some(d) => {
                        e.new_tools = d.added.clone();
                        e.removed_tools = d.removed.clone();
                        e.changed = d.changed.clone();
                        e.breaking = d.breaking_count();
                    }
                    None => {
                        e.new_tools = set(r.new_tools.clone());
                        e.removed_tools = set(r.removed_tools.clone());
                        e.breaking = e.removed_tools.len();
                    }
                }
            }
            Err(err) => {
                e.error = Some(err.user_message());
                e.status = err.status;
                e.request_id = err.request_id.clone();
            }
        }
        e
    }

    /// Whether the entry is usable: it has an id and a configuration.
    fn is_valid(&self) -> bool {
        !self.id.trim().is_empty() && !self.configuration_id.trim().is_empty()
    }

    /// Size of this entry's JSON in bytes.
    fn json_len(&self) -> usize {
        serde_json::to_string(self).map_or(0, |s| s.len())
    }
}

/// The id for entry number `n` of `configuration_id` at `at_ms`.
pub fn entry_id(configuration_id: &str, at_ms: i64, n: usize) -> String {
    format!("{configuration_id}-{at_ms}-{n}")
}

/// All remembered refreshes, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The entries, sorted by `at` (oldest first; ties keep insertion order).
    pub entries: Vec<HistoryEntry>,
}

#[derive(Serialize)]
struct Envelope<'a> {
    version: u64,
    entries: &'a [HistoryEntry],
}

/// Bytes of `{"version":1,"entries":[]}`.
const ENVELOPE_BYTES: usize = 26;

const UNREADABLE: &str = "Saved history could not be read and was ignored.";

impl History {
    /// Reads stored history. Missing or blank → empty, no warning. Corrupt or foreign
    /// JSON → empty plus a warning. A valid envelope with some unreadable entries →
    /// the readable ones plus a warning saying how many were dropped. Caps are applied.
    pub fn parse(text: Option<&str>) -> (History, Option<String>) {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return (History::default(), None);
        };
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            return (History::default(), Some(UNREADABLE.to_owned()));
        };
        let version = v.get("version").and_then(Value::as_u64);
        let entries = v.get("entries").and_then(Value::as_array);
        let items =
            match (version, entries) {
                (Some(VERSION), Some(items)) => items,
                (Some(n), Some(_)) if n > VERSION => return (
                    History::default(),
                    Some(
                        "Saved history was written by a newer version of this app and was ignored."
                            .to_owned(),
                    ),
                ),
                _ => return (History::default(), Some(UNREADABLE.to_owned())),
            };
        let mut seen = HashSet::new();
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            if let Some(e) = HistoryEntry::from_json(item) {
                if e.is_valid() && seen.insert(e.id.clone()) {
                    kept.push(e);
                }
            }
        }
        let dropped = items.len() - kept.len();
        super::sets::sort_by(&mut kept, |a, b| a.at.cmp(&b.at));
        let mut history = History { entries: kept };
        history.enforce_caps();
        let warning = (dropped > 0).then(|| {
            if dropped == 1 {
                "1 saved history entry could not be read and was dropped.".to_owned()
            } else {
                format!("{dropped} saved history entries could not be read and were dropped.")
            }
        });
        (history, warning)
    }

    /// The stored form: `{"version":1,"entries":[…]}`, compact.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Envelope {
            version: VERSION,
            entries: &self.entries,
        })
        .unwrap_or_else(|_| r#"{"version":1,"entries":[]}"#.to_owned())
    }

    /// Adds an entry (replacing one with the same id), then drops the configuration's
    /// oldest entries beyond [`MAX_PER_CONFIGURATION`] and the globally oldest while
    /// the JSON exceeds [`MAX_BYTES`]. An entry too big on its own loses its
    /// field-level changes, then its name lists, and is dropped only if still too big.
    pub fn push(&mut self, e: HistoryEntry) {
        self.entries.retain(|x| x.id != e.id);
        let at = self.entries.partition_point(|x| x.at <= e.at);
        self.entries.insert(at, e);
        self.enforce_caps();
    }

    /// An unused id for a new entry of `configuration_id` at `at_ms`.
    pub fn next_id(&self, configuration_id: &str, at_ms: i64) -> String {
        let used: HashSet<&str> = self.entries.iter().map(|e| e.id.as_str()).collect();
        (0..=self.entries.len())
            .map(|n| entry_id(configuration_id, at_ms, n))
            .find(|id| !used.contains(id.as_str()))
            .unwrap_or_else(|| entry_id(configuration_id, at_ms, self.entries.len() + 1))
    }

    /// The entries of one configuration, newest first.
    pub fn for_configuration(&self, id: &str) -> Vec<&HistoryEntry> {
        self.entries
            .iter()
            .rev()
            .filter(|e| e.configuration_id == id)
            .collect()
    }

    /// The entry with this id.
    pub fn get(&self, entry_id: &str) -> Option<&HistoryEntry> {
        self.entries.iter().find(|e| e.id == entry_id)
    }

    /// Forgets every entry of one configuration.
    pub fn clear_configuration(&mut self, id: &str) {
        self.entries.retain(|e| e.configuration_id != id);
    }

    fn enforce_caps(&mut self) {
        // Per configuration: walk newest first, keep the first MAX of each.
        let mut counts: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut keep: Vec<bool> = self
            .entries
            .iter()
            .rev()
            .map(|e| {
                let n = counts.entry(e.configuration_id.clone()).or_insert(0);
                *n += 1;
                *n <= MAX_PER_CONFIGURATION
            })
            .collect();
        keep.reverse();
        let mut flags = keep.into_iter();
        self.entries.retain(|_| flags.next().unwrap_or(true));

        // Bytes: drop the globally oldest while over (but keep the newest for now).
        let sizes: Vec<usize> = self.entries.iter().map(HistoryEntry::json_len).collect();
        let mut total =
            ENVELOPE_BYTES + sizes.iter().sum::<usize>() + sizes.len().saturating_sub(1);
        let mut drop = 0;
        while drop + 1 < sizes.len() && total > MAX_BYTES {
            total = total.saturating_sub(sizes.get(drop).copied().unwrap_or(0) + 1);
            drop += 1;
        }
        self.entries.drain(..drop);
        if total > MAX_BYTES {
            if let Some(last) = self.entries.last_mut() {
                let budget = MAX_BYTES - ENVELOPE_BYTES;
                // Keep the longest prefix of changes (breaking ones come first) that fits.
                let all = std::mem::take(&mut last.changed);
                let (mut lo, mut hi) = (0, all.len());
                while lo < hi {
                    let mid = lo + (hi - lo).div_ceil(2);
                    last.changed = all.get(..mid).unwrap_or_default().to_vec();
                    if last.json_len() <= budget {
                        lo = mid;
                    } else {
                        hi = mid - 1;
                    }
                }
                last.changed = all.get(..lo).unwrap_or_default().to_vec();
                if last.json_len() > budget {
                    last.new_tools.clear();
                    last.removed_tools.clear();
                }
                if last.json_len() > budget {
                    self.entries.clear();
                }
            }
        }
    }
}

/// How two remembered refreshes of (usually) one configuration differ, from their
/// own records only: the tool counts each reported, and the names each one saw
/// appear, disappear or change that the other did not. Refreshes between the two
/// are not consulted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// Id of the earlier entry.
    pub older_id: String,
    /// Id of the later entry.
    pub newer_id: String,
    /// Whether both entries are for the same configuration.
    pub same_configuration: bool,
    /// Tools after the earlier refresh (its `toolsDiscovered`).
    pub older_count: Option<i64>,
    /// Tools after the later refresh.
    pub newer_count: Option<i64>,
    /// `newer_count − older_count`, when both are known.
    pub count_delta: Option<i64>,
    /// Names new in the later refresh but not in the earlier one.
    pub new_only_in_newer: Vec<String>,
    /// Names new in the earlier refresh but not in the later one.
    pub new_only_in_older: Vec<String>,
    /// Names removed in the later refresh but not in the earlier one.
    pub removed_only_in_newer: Vec<String>,
    /// Names removed in the earlier refresh but not in the later one.
    pub removed_only_in_older: Vec<String>,
    /// Tools changed in the later refresh but not in the earlier one.
    pub changed_only_in_newer: Vec<String>,
    /// Tools changed in the earlier refresh but not in the later one.
    pub changed_only_in_older: Vec<String>,
    /// `newer.breaking − older.breaking`.
    pub breaking_delta: i64,
}

impl Comparison {
    /// One sentence on the tool count, e.g. "The tool count went from 6 to 8 (+2)."
    pub fn count_sentence(&self) -> String {
        match (self.older_count, self.newer_count, self.count_delta) {
            (Some(o), Some(_), Some(0)) => format!("The tool count stayed at {o}."),
            (Some(o), Some(n), Some(d)) => format!("The tool count went from {o} to {n} ({d:+})."),
            _ => "The tool counts cannot be compared: one of the refreshes did not report one."
                .to_owned(),
        }
    }
}

/// Compares two entries (swapped if `older` is in fact the later one).
pub fn compare(older: &HistoryEntry, newer: &HistoryEntry) -> Comparison {
    let (o, n) = if older.at > newer.at {
        (newer, older)
    } else {
        (older, newer)
    };
    let only = |x: &[String], y: &[String]| -> Vec<String> {
        let ys = set(y.iter().map(String::as_str).collect());
        set(x.iter().filter(|s| !has(&ys, s)).cloned().collect())
    };
    let changed =
        |e: &HistoryEntry| -> Vec<String> { e.changed.iter().map(|c| c.name.clone()).collect() };
    let count_delta = match (o.tools_discovered, n.tools_discovered) {
        (Some(a), Some(b)) => b.checked_sub(a),
        _ => None,
    };
    Comparison {
        older_id: o.id.clone(),
        newer_id: n.id.clone(),
        same_configuration: o.configuration_id == n.configuration_id,
        older_count: o.tools_discovered,
        newer_count: n.tools_discovered,
        count_delta,
        new_only_in_newer: only(&n.new_tools, &o.new_tools),
        new_only_in_older: only(&o.new_tools, &n.new_tools),
        removed_only_in_newer: only(&n.removed_tools, &o.removed_tools),
        removed_only_in_older: only(&o.removed_tools, &n.removed_tools),
        changed_only_in_newer: only(&changed(n), &changed(o)),
        changed_only_in_older: only(&changed(o), &changed(n)),
        breaking_delta: i64::try_from(n.breaking)
            .unwrap_or(i64::MAX)
            .saturating_sub(i64::try_from(o.breaking).unwrap_or(i64::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(config: &str, at: i64) -> HistoryEntry {
        HistoryEntry {
            id: entry_id(config, at, 0),
            configuration_id: config.into(),
            at,
            ok: true,
            ..HistoryEntry::default()
        }
    }

    #[test]
    fn every_field_reads_back_and_wrong_types_are_refused() {
        use crate::core::schema_diff::{Change, ChangeKind};
        let full = HistoryEntry {
            id: "c-1-0".into(),
            configuration_id: "c".into(),
            configuration_name: Some("Team".into()),
            at: 1_700_000_000_000,
            duration_ms: 1234,
            ok: false,
            error: Some("boom".into()),
            status: Some(502),
            request_id: Some("req_1".into()),
            tools_discovered: Some(8),
            previous_tool_count: Some(-1),
            new_tools: vec!["a".into(), "b".into()],
            removed_tools: vec!["z".into()],
            changed: vec![ToolChange {
                name: "t".into(),
                changes: vec![Change {
                    path: "annotations.x".into(),
                    kind: ChangeKind::AnnotationChanged {
                        name: "x".into(),
                        from: None,
                        to: Some("1".into()),
                    },
                    breaking: false,
                    reason: "r".into(),
                }],
            }],
            breaking: 3,
            cached_at: Some("2026-01-01T00:00:00Z".into()),
            expires_at: Some("2026-01-01T01:00:00Z".into()),
        };
        let v = serde_json::to_value(&full).unwrap();
        assert_eq!(HistoryEntry::from_json(&v), Some(full.clone()));
        // Missing or null: the default.
        let sparse =
            serde_json::json!({"id": "i", "configurationId": "c", "error": null, "status": null});
        let e = HistoryEntry::from_json(&sparse).unwrap();
        assert_eq!(
            (e.at, e.ok, e.error, e.status, e.changed.len()),
            (0, false, None, None, 0)
        );
        // A wrong type anywhere makes the entry unreadable.
        for (key, bad) in [
            ("at", serde_json::json!("soon")),
            ("ok", serde_json::json!(1)),
            ("status", serde_json::json!(70000)),
            ("newTools", serde_json::json!(["a", 2])),
            (
                "changed",
                serde_json::json!([{"name": "t", "changes": [{"path": "p"}]}]),
            ),
            ("breaking", serde_json::json!(-1)),
            ("cachedAt", serde_json::json!(false)),
        ] {
            let mut v = v.clone();
            v[key] = bad;
            assert_eq!(HistoryEntry::from_json(&v), None, "{key}");
        }
        assert_eq!(HistoryEntry::from_json(&serde_json::json!([1])), None);
    }

    #[test]
    fn round_trips_and_orders() {
        let mut h = History::default();
        h.push(entry("a", 20));
        h.push(entry("a", 10));
        h.push(entry("b", 15));
        let (back, warning) = History::parse(Some(&h.to_json()));
        assert_eq!(warning, None);
        assert_eq!(back, h);
        let ats: Vec<i64> = back.for_configuration("a").iter().map(|e| e.at).collect();
        assert_eq!(ats, [20, 10]);
        assert!(h.to_json().starts_with(r#"{"version":1,"entries":["#));
    }

    #[test]
    fn envelope_size_constant_is_right() {
        assert_eq!(History::default().to_json().len(), ENVELOPE_BYTES);
    }

    #[test]
    fn push_replaces_same_id_and_next_id_is_unused() {
        let mut h = History::default();
        h.push(entry("a", 1));
        let mut again = entry("a", 1);
        again.ok = false;
        h.push(again);
        assert_eq!(h.entries.len(), 1);
        assert!(!h.entries[0].ok);
        assert_eq!(h.next_id("a", 1), "a-1-1");
        assert_eq!(h.next_id("a", 2), "a-2-0");
    }

    #[test]
    fn missing_and_blank_are_silent() {
        assert_eq!(History::parse(None), (History::default(), None));
        assert_eq!(History::parse(Some("  ")), (History::default(), None));
    }

    #[test]
    fn newer_version_is_ignored_with_its_own_warning() {
        let (h, w) = History::parse(Some(r#"{"version":2,"entries":[]}"#));
        assert!(h.entries.is_empty());
        assert!(w.unwrap().contains("newer version"));
    }

    #[test]
    fn record_failure_keeps_error_details() {
        let mut err = ApiError::new(crate::core::error::ErrorKind::Server);
        err.status = Some(502);
        err.request_id = Some("req".into());
        let e = HistoryEntry::record(
            "x".into(),
            "c",
            None,
            Instant::from_millis(5),
            -3,
            Err(&err),
        );
        assert!(!e.ok);
        assert_eq!(e.status, Some(502));
        assert_eq!(e.request_id.as_deref(), Some("req"));
        assert_eq!(e.duration_ms, 0);
        assert!(e.error.is_some());
    }

    #[test]
    fn record_success_without_diff_uses_the_answer() {
        let r = RefreshResult {
            new_tools: vec!["b".into(), "a".into(), "a".into()],
            removed_tools: vec!["z".into()],
            tools_discovered: Some(3),
            ..RefreshResult::default()
        };
        let e = HistoryEntry::record(
            "x".into(),
            "c",
            Some("C"),
            Instant::from_millis(5),
            10,
            Ok((&r, None)),
        );
        assert_eq!(e.new_tools, ["a", "b"]);
        assert_eq!(e.breaking, 1);
        assert_eq!(e.tools_discovered, Some(3));
    }

    #[test]
    fn compare_swaps_and_counts() {
        let mut a = entry("c", 1);
        a.tools_discovered = Some(6);
        a.new_tools = vec!["x".into()];
        let mut b = entry("c", 2);
        b.tools_discovered = Some(8);
        b.new_tools = vec!["y".into()];
        b.breaking = 2;
        let c = compare(&b, &a);
        assert_eq!(c.older_id, a.id);
        assert_eq!(c.count_delta, Some(2));
        assert_eq!(c.new_only_in_newer, ["y"]);
        assert_eq!(c.new_only_in_older, ["x"]);
        assert_eq!(c.breaking_delta, 2);
        assert_eq!(c.count_sentence(), "The tool count went from 6 to 8 (+2).");
    }
}
