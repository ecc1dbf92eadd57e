//! What a refresh changed, in words: the headline, sorted name lists, cache
//! lifetime, and warnings for answers that don't add up.
//!
//! [`Summary::of`] never fails: a nonsensical answer gives the best rendering it can
//! plus warnings the page shows.

use super::model::RefreshResult;
use super::order::{sort_by, unique_sorted};
use chrono::TimeDelta;

use super::time::{duration_words, Instant};

/// Something odd about a refresh answer that the user should see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// previousToolCount + new − removed ≠ toolsDiscovered.
    CountMismatch {
        previous: i64,
        new: usize,
        removed: usize,
        discovered: i64,
    },
    /// A count below zero.
    NegativeCount { field: &'static str, value: i64 },
    /// Entries of a name list that were not strings.
    NonStringNames { list: &'static str, count: usize },
    /// The same name more than once in one list.
    DuplicateNames {
        list: &'static str,
        names: Vec<String>,
    },
    /// A name both new and removed.
    NameInBothLists { names: Vec<String> },
    /// A time field that is present but not RFC 3339.
    UnreadableTime { field: &'static str, raw: String },
    /// expiresAt before cachedAt.
    ExpiresBeforeCached,
    /// A time implausibly far from now (more than 10 years).
    ImplausibleTime { field: &'static str, iso: String },
    /// The answer names a different configuration than the one refreshed.
    OtherConfiguration { asked: String, answered: String },
}

impl Warning {
    /// The warning as a sentence.
    pub fn message(&self) -> String {
        match self {
            Warning::CountMismatch { previous, new, removed, discovered } => format!(
                "The counts do not add up: {previous} before + {new} new − {removed} removed = {}, but the server reports {discovered} tools.",
                previous + *new as i64 - *removed as i64
            ),
            Warning::NegativeCount { field, value } => format!("The server sent a negative {field} ({value}); it is ignored."),
            Warning::NonStringNames { list, count } => {
                format!("{count} entr{} in the {list} list {} not a tool name and {} left out.",
                    if *count == 1 { "y" } else { "ies" }, if *count == 1 { "is" } else { "are" }, if *count == 1 { "is" } else { "are" })
            }
            Warning::DuplicateNames { list, names } => {
                format!("The {list} list names some tools more than once: {}.", short_list(names))
            }
            Warning::NameInBothLists { names } => {
                format!("Some tools are listed as both new and removed: {}.", short_list(names))
            }
            Warning::UnreadableTime { field, raw } => format!("The {field} time “{raw}” could not be read."),
            Warning::ExpiresBeforeCached => "The cache expiry is earlier than its creation time.".to_owned(),
            Warning::ImplausibleTime { field, iso } => format!("The {field} time ({iso}) is implausibly far from now."),
            Warning::OtherConfiguration { asked, answered } => {
                format!("The answer is for configuration “{answered}”, not “{asked}”.")
            }
        }
    }
}

fn short_list(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// Everything the result view shows, derived from one [`RefreshResult`].
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// New tool names, sorted, without duplicates.
    pub new_tools: Vec<String>,
    /// Removed tool names, sorted, without duplicates.
    pub removed_tools: Vec<String>,
    /// Tools after the refresh (toolsDiscovered, if sane).
    pub total: Option<i64>,
    /// Tools before the refresh (previousToolCount, if sane).
    pub previous: Option<i64>,
    /// Tools present before and after, when it can be known.
    pub unchanged: Option<i64>,
    /// Cache creation time.
    pub cached_at: Option<Instant>,
    /// Cache expiry time.
    pub expires_at: Option<Instant>,
    /// expiresAt − cachedAt, when both are known and ordered.
    pub ttl: Option<TimeDelta>,
    /// What looked wrong.
    pub warnings: Vec<Warning>,
    /// Whether the answer said what changed at all (see [`RefreshResult::reported`]).
    pub reported: bool,
}

impl Summary {
    /// Summarises `r`, the answer to refreshing configuration `asked`.
    pub fn of(r: &RefreshResult, asked: &str, now: Instant) -> Self {
        let mut warnings = Vec::new();
        let new_tools = sorted_unique(&r.new_tools, "new", &mut warnings);
        let removed_tools = sorted_unique(&r.removed_tools, "removed", &mut warnings);
        for (list, count) in [
            ("new", r.new_tools_invalid),
            ("removed", r.removed_tools_invalid),
        ] {
            if count > 0 {
                warnings.push(Warning::NonStringNames { list, count });
            }
        }
        let removed_set = unique_sorted(removed_tools.iter().map(String::as_str));
        let both: Vec<String> = new_tools
            .iter()
            .filter(|n| removed_set.binary_search(&n.as_str()).is_ok())
            .cloned()
            .collect();
        if !both.is_empty() {
            warnings.push(Warning::NameInBothLists { names: both });
        }

        let total = non_negative(r.tools_discovered, "tool count", &mut warnings);
        let previous = non_negative(r.previous_tool_count, "previous tool count", &mut warnings);
        let (n, rm) = (new_tools.len(), removed_tools.len());
        if let (Some(p), Some(t)) = (previous, total) {
            if p + n as i64 - rm as i64 != t {
                warnings.push(Warning::CountMismatch {
                    previous: p,
                    new: n,
                    removed: rm,
                    discovered: t,
                });
            }
        }
        let unchanged = previous
            .map(|p| p - rm as i64)
            .or_else(|| total.map(|t| t - n as i64))
            .filter(|u| *u >= 0);

        for (field, raw) in [
            ("cachedAt", &r.cached_at_unreadable),
            ("expiresAt", &r.expires_at_unreadable),
        ] {
            if let Some(raw) = raw {
                warnings.push(Warning::UnreadableTime {
                    field,
                    raw: raw.clone(),
                });
            }
        }
        for (field, t) in [("cachedAt", r.cached_at), ("expiresAt", r.expires_at)] {
            if let Some(t) = t {
                if t.since(now).num_days().abs() > 10 * 366 {
                    warnings.push(Warning::ImplausibleTime {
                        field,
                        iso: t.to_iso(),
                    });
                }
            }
        }
        let ttl = match (r.cached_at, r.expires_at) {
            (Some(c), Some(e)) if e < c => {
                warnings.push(Warning::ExpiresBeforeCached);
                None
            }
            (Some(c), Some(e)) => Some(e.since(c)),
            _ => None,
        };
        if let Some(answered) = &r.configuration_id {
            if !answered.is_empty() && answered != asked {
                warnings.push(Warning::OtherConfiguration {
                    asked: asked.to_owned(),
                    answered: answered.clone(),
                });
            }
        }
        Summary {
            new_tools,
            removed_tools,
            total,
            previous,
            unchanged,
            cached_at: r.cached_at,
            expires_at: r.expires_at,
            ttl,
            warnings,
            reported: r.reported,
        }
    }

    /// Whether the server reported that nothing was added or removed.
    pub fn is_unchanged(&self) -> bool {
        self.reported && self.new_tools.is_empty() && self.removed_tools.is_empty()
    }

    /// The one-line headline, e.g. `8 tools (was 6): 2 new, 0 removed, 6 unchanged`.
    pub fn headline(&self) -> String {
        if !self.reported {
            return "Refreshed, but the server did not report what changed".to_owned();
        }
        let tools = |n: i64| {
            if n == 1 {
                "1 tool".to_owned()
            } else {
                format!("{n} tools")
            }
        };
        let head = match (self.total, self.previous) {
            (Some(t), Some(p)) if t != p => format!("{} (was {p})", tools(t)),
            (Some(t), _) => tools(t),
            (None, Some(p)) => format!("? tools (was {p})"),
            (None, None) => "Tool count unknown".to_owned(),
        };
        if self.is_unchanged() {
            return format!("No changes: {head}");
        }
        let unchanged = self
            .unchanged
            .map(|u| format!(", {u} unchanged"))
            .unwrap_or_default();
        format!(
            "{head}: {} new, {} removed{unchanged}",
            self.new_tools.len(),
            self.removed_tools.len()
        )
    }

    /// The cache lifetime in words, e.g. `1 h`.
    pub fn ttl_words(&self) -> Option<String> {
        self.ttl.map(duration_words)
    }
}

fn sorted_unique(names: &[String], list: &'static str, warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut sorted: Vec<String> = names.to_vec();
    sort_by(&mut sorted, String::cmp);
    let mut dups: Vec<String> = Vec::new();
    sorted.dedup_by(|a, b| {
        let same = a == b;
        if same && dups.last() != Some(b) {
            dups.push(b.clone());
        }
        same
    });
    if !dups.is_empty() {
        warnings.push(Warning::DuplicateNames { list, names: dups });
    }
    sorted
}

fn non_negative(v: Option<i64>, field: &'static str, warnings: &mut Vec<Warning>) -> Option<i64> {
    match v {
        Some(n) if n < 0 => {
            warnings.push(Warning::NegativeCount { field, value: n });
            None
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(prev: i64, total: i64, new: &[&str], removed: &[&str]) -> RefreshResult {
        RefreshResult {
            tools_discovered: Some(total),
            previous_tool_count: Some(prev),
            new_tools: new.iter().map(|s| s.to_string()).collect(),
            removed_tools: removed.iter().map(|s| s.to_string()).collect(),
            reported: true,
            ..Default::default()
        }
    }

    #[test]
    fn an_answer_without_details_is_never_no_changes() {
        let s = Summary::of(&RefreshResult::default(), "x", Instant::default());
        assert!(!s.is_unchanged());
        assert!(!s.headline().contains("No changes"), "{}", s.headline());
        assert!(s.headline().contains("did not report"));
    }

    #[test]
    fn headline_counts() {
        let s = Summary::of(&result(6, 8, &["b", "a"], &[]), "x", Instant::default());
        assert_eq!(
            s.headline(),
            "8 tools (was 6): 2 new, 0 removed, 6 unchanged"
        );
        assert_eq!(s.new_tools, vec!["a", "b"]);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn no_changes_said_outright() {
        let s = Summary::of(&result(8, 8, &[], &[]), "x", Instant::default());
        assert_eq!(s.headline(), "No changes: 8 tools");
        let one = Summary::of(&result(1, 1, &[], &[]), "x", Instant::default());
        assert_eq!(one.headline(), "No changes: 1 tool");
    }

    #[test]
    fn mismatch_and_oddities_warn() {
        let s = Summary::of(
            &result(6, 9, &["a", "a", "b"], &["b"]),
            "x",
            Instant::default(),
        );
        let kinds: Vec<_> = s.warnings.iter().map(std::mem::discriminant).collect();
        assert!(s
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::CountMismatch { .. })));
        assert!(s
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::DuplicateNames { names, .. } if names == &["a"])));
        assert!(s
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::NameInBothLists { names } if names == &["b"])));
        assert_eq!(kinds.len(), 3);
        for w in &s.warnings {
            assert!(!w.message().is_empty());
        }
    }

    #[test]
    fn negative_counts_are_dropped_with_a_warning() {
        let s = Summary::of(&result(-3, 2, &["a"], &[]), "x", Instant::default());
        assert_eq!(s.previous, None);
        assert_eq!(s.unchanged, Some(1));
        assert_eq!(s.headline(), "2 tools: 1 new, 0 removed, 1 unchanged");
    }

    #[test]
    fn ttl_and_time_checks() {
        let now = Instant::from_millis(1_759_841_100_000);
        let mut r = result(1, 1, &[], &[]);
        r.cached_at = Some(now);
        r.expires_at = Some(now.plus_seconds(3600.0));
        assert_eq!(
            Summary::of(&r, "x", now).ttl_words().as_deref(),
            Some("1 h")
        );
        r.expires_at = Some(now.plus_seconds(-1.0));
        let s = Summary::of(&r, "x", now);
        assert_eq!(s.ttl, None);
        assert!(s.warnings.contains(&Warning::ExpiresBeforeCached));
        r.expires_at = crate::core::time::parse_rfc3339("9999-01-01T00:00:00Z");
        assert!(Summary::of(&r, "x", now)
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::ImplausibleTime { .. })));
    }

    #[test]
    fn other_configuration_warns() {
        let mut r = result(0, 0, &[], &[]);
        r.configuration_id = Some("b".into());
        assert!(Summary::of(&r, "a", Instant::default())
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::OtherConfiguration { .. })));
    }
}
