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

mod compare;
mod entry;
pub mod timeline;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use compare::{compare, signed, Comparison};
pub use entry::{counts, entry_id, Attempt, HistoryEntry, MAX_REMOVED_HASHES, MAX_REVIEW_FLAGS};

use crate::core::i18n::{Tr, K};

/// Version written into (and required from) the stored envelope.
pub const VERSION: u64 = 1;
/// At most this many entries are kept per configuration.
pub const MAX_PER_CONFIGURATION: usize = 50;
/// The whole stored JSON stays under this many bytes (localStorage is small).
pub const MAX_BYTES: usize = 512 * 1024;

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

/// Something about the saved history the page says (in words by [`Notice::message`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The saved history could not be read at all and was ignored.
    Unreadable,
    /// It was written by a newer version of the app and was ignored.
    NewerVersion,
    /// This many of its entries could not be read and were dropped.
    Dropped(usize),
    /// The browser refused to save it (it is kept for this visit only).
    NotSaved,
}

impl Notice {
    /// The notice in words.
    pub fn message(self, tr: &Tr) -> String {
        match self {
            Notice::Unreadable => tr.t(K::HistoryUnreadable),
            Notice::NewerVersion => tr.t(K::HistoryNewerVersion),
            Notice::Dropped(n) => tr.f(K::HistoryDropped, &[("n", n.into())]),
            Notice::NotSaved => tr.t(K::HistoryNotSaved),
        }
    }
}

impl History {
    /// Reads stored history. Missing or blank → empty, no warning. Corrupt or foreign
    /// JSON → empty plus a warning. A valid envelope with some unreadable entries →
    /// the readable ones plus a warning saying how many were dropped. Caps are applied.
    pub fn parse(text: Option<&str>) -> (History, Option<Notice>) {
        let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return (History::default(), None);
        };
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            return (History::default(), Some(Notice::Unreadable));
        };
        let version = v.get("version").and_then(Value::as_u64);
        let entries = v.get("entries").and_then(Value::as_array);
        let items = match (version, entries) {
            (Some(VERSION), Some(items)) => items,
            (Some(n), Some(_)) if n > VERSION => {
                return (History::default(), Some(Notice::NewerVersion))
            }
            _ => return (History::default(), Some(Notice::Unreadable)),
        };
        let mut seen = HashSet::new();
        let mut kept = Vec::with_capacity(items.len());
        for item in items {
            if let Ok(e) = HistoryEntry::deserialize(item) {
                if e.is_valid() && seen.insert(e.id.clone()) {
                    kept.push(e);
                }
            }
        }
        let dropped = items.len() - kept.len();
        // Stable: entries made at one instant keep their stored order.
        kept.sort_by_key(|e| e.at);
        let mut history = History { entries: kept };
        history.enforce_caps();
        let warning = (dropped > 0).then_some(Notice::Dropped(dropped));
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

    /// What the history knows of configuration `id`'s removed tools: for each name,
    /// the hash it had when last removed and when (RFC 3339), newest removal first.
    pub fn removals(&self, id: &str) -> crate::core::review::steps::Removals {
        let mut out = crate::core::review::steps::Removals::new();
        for e in self.for_configuration(id) {
            for (name, hash) in &e.removed_hashes {
                out.entry(name.clone()).or_insert_with(|| {
                    (
                        hash.clone(),
                        crate::core::time::Instant::from_millis(e.at).to_iso(),
                    )
                });
            }
        }
        out
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
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut keep: Vec<bool> = self
            .entries
            .iter()
            .rev()
            .map(|e| {
                let n = counts.entry(e.configuration_id.as_str()).or_insert(0);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::diff::Summary;
    use crate::core::error::ApiError;
    use crate::core::model::RefreshResult;
    use crate::core::schema_diff::ToolChange;
    use crate::core::time::Instant;

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
            tools_discovered_implausible: true,
            previous_tool_count_implausible: true,
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
                    text: None,
                }],
            }],
            breaking: 3,
            cached_at: Some("2026-01-01T00:00:00Z".into()),
            expires_at: Some("2026-01-01T01:00:00Z".into()),
            unreported: false,
            needs_review: 1,
            review: vec![crate::core::review::Flag {
                tool: "t".into(),
                path: "description".into(),
                reason: crate::core::review::Reason::NewLink {
                    link: "evil.example.com".into(),
                },
            }],
            set_hash: Some("0".repeat(64)),
            removed_hashes: [("z".to_owned(), "1".repeat(32))].into_iter().collect(),
        };
        let v = serde_json::to_value(&full).unwrap();
        assert_eq!(HistoryEntry::deserialize(&v).ok(), Some(full.clone()));
        // Missing: the default (null too, for optional fields); unknown keys are ignored.
        let sparse = serde_json::json!({"id": "i", "configurationId": "c", "error": null, "status": null, "futureField": [1]});
        let e = HistoryEntry::deserialize(&sparse).unwrap();
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
            assert_eq!(HistoryEntry::deserialize(&v).ok(), None, "{key}");
        }
        assert_eq!(
            HistoryEntry::deserialize(&serde_json::json!([1])).ok(),
            None
        );
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

    /// The history line and the dropped-entries notice with 0, 1, 2, 5, 21 and
    /// 1,000,000 in each language: the plural form and the locale's digits.
    #[test]
    fn history_lines_count_in_each_language() {
        use crate::core::i18n::Lang;
        let lang = |c: &str| Tr::native(Lang::from_tag(c).unwrap());
        let line = |tr: &Tr, n: usize| {
            let e = HistoryEntry {
                ok: true,
                tools_discovered: Some(i64::try_from(n).unwrap()),
                new_tools: vec!["a".into(); n.min(21)],
                breaking: n,
                ..HistoryEntry::default()
            };
            e.summary_line(tr)
        };
        let en = Tr::english();
        assert_eq!(line(&en, 0), "0 tools: 0 new, 0 removed, 0 changed");
        assert_eq!(
            line(&en, 1),
            "1 tool: 1 new, 0 removed, 0 changed, 1 breaking"
        );
        assert_eq!(
            line(&en, 2),
            "2 tools: 2 new, 0 removed, 0 changed, 2 breaking"
        );
        assert_eq!(
            line(&en, 1_000_000),
            "1,000,000 tools: 21 new, 0 removed, 0 changed, 1,000,000 breaking"
        );
        let de = lang("de");
        assert_eq!(
            line(&de, 1),
            "1 Tool: 1 neu, 0 entfernt, 0 geändert, 1 inkompatibel"
        );
        assert_eq!(
            line(&de, 5),
            "5 Tools: 5 neu, 0 entfernt, 0 geändert, 5 inkompatibel"
        );
        assert_eq!(line(&de, 21).split(':').next(), Some("21 Tools"));
        assert_eq!(
            line(&de, 1_000_000).split(':').next(),
            Some("1.000.000 Tools")
        );
        let fr = lang("fr");
        assert_eq!(line(&fr, 0), "0 outil : 0 nouveau, 0 supprimé, 0 modifié");
        assert_eq!(
            line(&fr, 2),
            "2 outils : 2 nouveaux, 0 supprimé, 0 modifié, 2 incompatibles"
        );
        assert_eq!(
            line(&fr, 1_000_000),
            "1\u{202f}000\u{202f}000 d’outils : 21 nouveaux, 0 supprimé, 0 modifié, 1\u{202f}000\u{202f}000 incompatibles"
        );
        let it = lang("it");
        assert_eq!(
            line(&it, 1),
            "1 strumento: 1 nuovo, 0 rimossi, 0 modificati, 1 incompatibile"
        );
        assert_eq!(line(&it, 21).split(':').next(), Some("21 strumenti"));
        assert_eq!(
            line(&it, 1_000_000).split(':').next(),
            Some("1.000.000 di strumenti")
        );

        let dropped = |tr: &Tr, n: usize| Notice::Dropped(n).message(tr);
        assert_eq!(
            dropped(&en, 1),
            "1 saved history entry could not be read and was dropped."
        );
        assert_eq!(
            dropped(&en, 5),
            "5 saved history entries could not be read and were dropped."
        );
        assert!(dropped(&de, 1).starts_with("1 gespeicherter Verlaufseintrag konnte"));
        assert!(dropped(&de, 2).starts_with("2 gespeicherte Verlaufseinträge konnten"));
        assert!(dropped(&fr, 0).starts_with("0 entrée d’historique enregistrée n’a pas"));
        assert!(dropped(&fr, 1_000_000).contains("000 d’entrées"));
        assert!(dropped(&it, 21).contains("21 voci"));
    }

    #[test]
    fn newer_version_is_ignored_with_its_own_warning() {
        let (h, w) = History::parse(Some(r#"{"version":2,"entries":[]}"#));
        assert!(h.entries.is_empty());
        assert_eq!(w, Some(Notice::NewerVersion));
        let de = Tr::native(crate::core::i18n::Lang::from_tag("de").unwrap());
        assert!(Notice::NewerVersion
            .message(&de)
            .contains("neueren Version"));
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
            Attempt::Failed(&err, &crate::core::i18n::Tr::english()),
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
            reported: true,
            ..RefreshResult::default()
        };
        let s = Summary::of(&r, "c", Instant::from_millis(5));
        let e = HistoryEntry::record(
            "x".into(),
            "c",
            Some("C"),
            Instant::from_millis(5),
            10,
            Attempt::Reported(&s, None),
        );
        assert_eq!(e.new_tools, ["a", "b"]);
        assert_eq!(e.breaking, 1);
        assert_eq!(e.tools_discovered, Some(3));
        assert!(!e.unreported);
    }

    #[test]
    fn history_counts_agree_with_the_headline_even_when_definitions_disagree() {
        use crate::core::schema_diff::ToolDiff;
        // The answer says one new tool; the definitions read around it saw none.
        let r = RefreshResult {
            new_tools: vec!["fresh".into()],
            tools_discovered: Some(3),
            previous_tool_count: Some(2),
            reported: true,
            ..RefreshResult::default()
        };
        let s = Summary::of(&r, "c", Instant::from_millis(5));
        let defs = ToolDiff {
            unchanged: vec!["a".into(), "b".into()],
            ..ToolDiff::default()
        };
        let e = HistoryEntry::record(
            "x".into(),
            "c",
            None,
            Instant::from_millis(5),
            10,
            Attempt::Reported(&s, Some(&defs)),
        );
        let tr = crate::core::i18n::Tr::english();
        assert!(s.headline(&tr).contains("1 new"), "{}", s.headline(&tr));
        assert_eq!(e.new_tools, ["fresh"]);
        assert_eq!(
            crate::core::export::counts_line(&tr, &e),
            "3 (was 2): 1 new, 0 removed, 0 changed, 0 breaking"
        );
    }

    #[test]
    fn an_unreported_refresh_is_recorded_as_such() {
        let r = RefreshResult::default();
        let s = Summary::of(&r, "c", Instant::from_millis(5));
        let e = HistoryEntry::record(
            "x".into(),
            "c",
            None,
            Instant::from_millis(5),
            10,
            Attempt::Unreported(&s),
        );
        assert!(e.ok && e.unreported);
        assert_eq!((e.tools_discovered, e.new_tools.len()), (None, 0));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["unreported"], true);
        assert_eq!(HistoryEntry::deserialize(&json).unwrap(), e);
        // Entries written before the field existed read as reported.
        let old = serde_json::json!({"id": "i", "configurationId": "c", "ok": true});
        assert!(!HistoryEntry::deserialize(&old).unwrap().unreported);
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
        assert_eq!(
            c.count_sentence(&Tr::english()),
            "The tool count went from 6 to 8 (+2)."
        );
    }
}
