//! Comparing two remembered refreshes ([`compare`]).

use std::collections::BTreeSet;

use super::entry::HistoryEntry;
use crate::core::i18n::{Tr, K};

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
    pub fn count_sentence(&self, tr: &Tr) -> String {
        match (self.older_count, self.newer_count, self.count_delta) {
            (Some(o), Some(_), Some(0)) => tr.f(K::HistoryCountStayed, &[("n", o.into())]),
            (Some(o), Some(n), Some(d)) => tr.f(
                K::HistoryCountWent,
                &[
                    ("from", o.into()),
                    ("to", n.into()),
                    ("delta", signed(tr, d).into()),
                ],
            ),
            _ => tr.t(K::HistoryCountIncomparable),
        }
    }
}

/// `d` with its sign always written (`+2`, `-1`), in the locale's digits.
pub fn signed(tr: &Tr, d: i64) -> String {
    let sign = if d < 0 { "-" } else { "+" };
    format!("{sign}{}", tr.number(d.saturating_abs()))
}

/// Compares two entries (swapped if `older` is in fact the later one).
pub fn compare(older: &HistoryEntry, newer: &HistoryEntry) -> Comparison {
    let (o, n) = if older.at > newer.at {
        (newer, older)
    } else {
        (older, newer)
    };
    let only = |x: &[String], y: &[String]| -> Vec<String> {
        let xs: BTreeSet<&str> = x.iter().map(String::as_str).collect();
        let ys: BTreeSet<&str> = y.iter().map(String::as_str).collect();
        xs.difference(&ys).map(|s| (*s).to_owned()).collect()
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
