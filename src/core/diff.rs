//! What a refresh changed, in words: the headline, sorted name lists, cache
//! lifetime, and warnings for answers that don't add up.
//!
//! [`Summary::of`] never fails: a nonsensical answer gives the best rendering it can
//! plus warnings the page shows.

use super::i18n::{Tr, K};
use super::model::RefreshResult;
use chrono::TimeDelta;
use std::collections::BTreeSet;

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
    /// A count that is not a whole number or is beyond any real server
    /// ([`MAX_TOOL_COUNT`](super::model::MAX_TOOL_COUNT)), as the server sent it.
    ImplausibleCount { field: &'static str, raw: String },
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
    /// The warning as a sentence in `tr`'s language.
    pub fn message(&self, tr: &Tr) -> String {
        let removed_list = |list: &str| list == "removed";
        match self {
            Warning::CountMismatch {
                previous,
                new,
                removed,
                discovered,
            } => tr.f(
                K::RefreshWarnCountMismatch,
                &[
                    ("previous", (*previous).into()),
                    ("new", (*new).into()),
                    ("removed", (*removed).into()),
                    (
                        "sum",
                        previous
                            .saturating_add(*new as i64)
                            .saturating_sub(*removed as i64)
                            .into(),
                    ),
                    ("n", (*discovered).into()),
                ],
            ),
            Warning::NegativeCount { field, value } => tr.f(
                if *field == "previous tool count" {
                    K::RefreshWarnNegativePrevious
                } else {
                    K::RefreshWarnNegativeTotal
                },
                &[("value", (*value).into())],
            ),
            Warning::ImplausibleCount { field, raw } => tr.f(
                if *field == "previous tool count" {
                    K::RefreshWarnImplausiblePrevious
                } else {
                    K::RefreshWarnImplausibleTotal
                },
                &[("raw", raw.into())],
            ),
            Warning::NonStringNames { list, count } => tr.f(
                if removed_list(list) {
                    K::RefreshWarnNotNamesRemoved
                } else {
                    K::RefreshWarnNotNamesNew
                },
                &[("n", (*count).into())],
            ),
            Warning::DuplicateNames { list, names } => tr.f(
                if removed_list(list) {
                    K::RefreshWarnDuplicatesRemoved
                } else {
                    K::RefreshWarnDuplicatesNew
                },
                &[("names", short_list(tr, names).into())],
            ),
            Warning::NameInBothLists { names } => tr.f(
                K::RefreshWarnBothLists,
                &[("names", short_list(tr, names).into())],
            ),
            Warning::UnreadableTime { field, raw } => tr.f(
                K::RefreshWarnUnreadableTime,
                &[("field", (*field).into()), ("raw", raw.into())],
            ),
            Warning::ExpiresBeforeCached => tr.t(K::RefreshWarnExpiresBeforeCached),
            Warning::ImplausibleTime { field, iso } => tr.f(
                K::RefreshWarnImplausibleTime,
                &[("field", (*field).into()), ("iso", iso.into())],
            ),
            Warning::OtherConfiguration { asked, answered } => tr.f(
                K::RefreshWarnOtherConfiguration,
                &[("asked", asked.into()), ("answered", answered.into())],
            ),
        }
    }
}

fn short_list(tr: &Tr, names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        tr.f(
            K::RefreshAndMore,
            &[("names", shown.join(", ").into()), ("n", more.into())],
        )
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
    /// The server sent a tool count after the refresh that cannot be true
    /// (negative, not whole, over [`MAX_TOOL_COUNT`](super::model::MAX_TOOL_COUNT)): `total` is `None`.
    pub total_implausible: bool,
    /// The same for the count before the refresh.
    pub previous_implausible: bool,
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
        let removed_set: BTreeSet<&str> = removed_tools.iter().map(String::as_str).collect();
        let both: Vec<String> = new_tools
            .iter()
            .filter(|n| removed_set.contains(n.as_str()))
            .cloned()
            .collect();
        if !both.is_empty() {
            warnings.push(Warning::NameInBothLists { names: both });
        }

        let total = plausible(
            r.tools_discovered,
            r.tools_discovered_implausible.as_deref(),
            "tool count",
            &mut warnings,
        );
        let previous = plausible(
            r.previous_tool_count,
            r.previous_tool_count_implausible.as_deref(),
            "previous tool count",
            &mut warnings,
        );
        // Absent and implausible differ: the headline says which.
        let total_implausible = total.is_none() && r.tools_discovered.is_some()
            || r.tools_discovered_implausible.is_some();
        let previous_implausible = previous.is_none() && r.previous_tool_count.is_some()
            || r.previous_tool_count_implausible.is_some();
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
            total_implausible,
            previous_implausible,
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

    /// The one-line headline, e.g. `8 tools (was 6): 2 new, 0 removed, 6 unchanged`,
    /// in `tr`'s language.
    pub fn headline(&self, tr: &Tr) -> String {
        self.headline_facts().text(tr)
    }

    /// What the headline says, without the names (small and `Copy`, so a view can
    /// word it again on a language switch without keeping the lists twice).
    pub fn headline_facts(&self) -> Headline {
        Headline {
            reported: self.reported,
            total: self.total,
            previous: self.previous,
            unchanged: self.unchanged,
            implausible: self.total.is_none()
                && (self.total_implausible || self.previous_implausible),
            new: self.new_tools.len(),
            removed: self.removed_tools.len(),
        }
    }

    /// The cache lifetime in words, e.g. `1 h`.
    pub fn ttl_words(&self, tr: &Tr) -> Option<String> {
        self.ttl.map(|d| duration_words(tr, d))
    }
}

/// The facts of a [`Summary`]'s headline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Headline {
    /// Whether the answer said what changed.
    pub reported: bool,
    /// Tools after the refresh.
    pub total: Option<i64>,
    /// Tools before the refresh.
    pub previous: Option<i64>,
    /// Tools present before and after.
    pub unchanged: Option<i64>,
    /// There is no count after the refresh to show because the server sent
    /// an implausible one (or only an implausible count before it).
    pub implausible: bool,
    /// How many tools are new.
    pub new: usize,
    /// How many tools were removed.
    pub removed: usize,
}

impl Headline {
    /// The headline in `tr`'s language.
    pub fn text(&self, tr: &Tr) -> String {
        if !self.reported {
            return tr.t(K::RefreshHeadlineUnreported);
        }
        let tools = |n: i64| tr.f(K::RefreshTools, &[("n", n.into())]);
        let head = match (self.total, self.previous) {
            (Some(t), Some(p)) if t != p => tr.f(
                K::RefreshToolsWas,
                &[("tools", tools(t).into()), ("previous", p.into())],
            ),
            (Some(t), _) => tools(t),
            (None, Some(p)) if self.implausible => {
                tr.f(K::RefreshToolCountImplausibleWas, &[("previous", p.into())])
            }
            (None, None) if self.implausible => tr.t(K::RefreshToolCountImplausible),
            (None, Some(p)) => tr.f(K::RefreshToolsUnknownWas, &[("previous", p.into())]),
            (None, None) => tr.t(K::RefreshToolCountUnknown),
        };
        if self.reported && self.new == 0 && self.removed == 0 {
            return tr.f(K::RefreshNoChanges, &[("head", head.into())]);
        }
        let new = tr.f(K::RefreshCountNew, &[("n", self.new.into())]);
        let removed = tr.f(K::RefreshCountRemoved, &[("n", self.removed.into())]);
        match self.unchanged {
            Some(u) => tr.f(
                K::RefreshChangesUnchanged,
                &[
                    ("head", head.into()),
                    ("new", new.into()),
                    ("removed", removed.into()),
                    (
                        "unchanged",
                        tr.f(K::RefreshCountUnchanged, &[("n", u.into())]).into(),
                    ),
                ],
            ),
            None => tr.f(
                K::RefreshChanges,
                &[
                    ("head", head.into()),
                    ("new", new.into()),
                    ("removed", removed.into()),
                ],
            ),
        }
    }
}

fn sorted_unique(names: &[String], list: &'static str, warnings: &mut Vec<Warning>) -> Vec<String> {
    let mut sorted: Vec<String> = names.to_vec();
    sorted.sort_unstable();
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

/// A count to show as a fact, or `None` with a warning when the server sent one
/// that cannot be true: below zero, or (`implausible`, from decoding) not whole or
/// over [`MAX_TOOL_COUNT`](super::model::MAX_TOOL_COUNT).
fn plausible(
    v: Option<i64>,
    implausible: Option<&str>,
    field: &'static str,
    warnings: &mut Vec<Warning>,
) -> Option<i64> {
    if let Some(raw) = implausible {
        warnings.push(Warning::ImplausibleCount {
            field,
            raw: raw.to_owned(),
        });
    }
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
    use crate::core::i18n::Lang;

    fn en() -> Tr {
        Tr::english()
    }

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
        assert!(
            !s.headline(&en()).contains("No changes"),
            "{}",
            s.headline(&en())
        );
        assert!(s.headline(&en()).contains("did not report"));
    }

    #[test]
    fn headline_counts() {
        let s = Summary::of(&result(6, 8, &["b", "a"], &[]), "x", Instant::default());
        assert_eq!(
            s.headline(&en()),
            "8 tools (was 6): 2 new, 0 removed, 6 unchanged"
        );
        assert_eq!(s.new_tools, vec!["a", "b"]);
        assert!(s.warnings.is_empty());
    }

    #[test]
    fn no_changes_said_outright() {
        let s = Summary::of(&result(8, 8, &[], &[]), "x", Instant::default());
        assert_eq!(s.headline(&en()), "No changes: 8 tools");
        let one = Summary::of(&result(1, 1, &[], &[]), "x", Instant::default());
        assert_eq!(one.headline(&en()), "No changes: 1 tool");
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
            assert!(!w.message(&en()).is_empty());
        }
    }

    #[test]
    fn negative_counts_are_dropped_with_a_warning() {
        let s = Summary::of(&result(-3, 2, &["a"], &[]), "x", Instant::default());
        assert_eq!(s.previous, None);
        assert_eq!(s.unchanged, Some(1));
        assert_eq!(s.headline(&en()), "2 tools: 1 new, 0 removed, 1 unchanged");
    }

    #[test]
    fn implausible_counts_are_said_not_shown() {
        let mut r = result(6, 0, &["a", "b"], &[]);
        r.tools_discovered = None;
        r.tools_discovered_implausible = Some("1000000000000.0".into());
        let s = Summary::of(&r, "x", Instant::default());
        assert_eq!((s.total, s.total_implausible), (None, true));
        assert_eq!(
            s.headline(&en()),
            "The server reported an implausible tool count (was 6): 2 new, 0 removed, 6 unchanged"
        );
        assert_eq!(
            s.warnings,
            [Warning::ImplausibleCount {
                field: "tool count",
                raw: "1000000000000.0".into()
            }]
        );
        assert!(s.warnings[..].iter().all(|w| !w.message(&en()).is_empty()));
        assert!(s.warnings.first().is_some_and(|w| w
            .message(&en())
            .starts_with("The server sent an implausible tool count (1000000000000.0)")));

        // Not whole, before the refresh: the count after stays a fact.
        let mut r = result(0, 8, &[], &[]);
        r.previous_tool_count = None;
        r.previous_tool_count_implausible = Some("12.5".into());
        let s = Summary::of(&r, "x", Instant::default());
        assert_eq!((s.previous, s.previous_implausible), (None, true));
        assert_eq!(s.headline(&en()), "No changes: 8 tools");
        assert!(s.warnings.first().is_some_and(|w| w
            .message(&en())
            .starts_with("The server sent an implausible previous tool count (12.5)")));

        // A negative count after the refresh is implausible too.
        let s = Summary::of(&result(2, -1, &[], &[]), "x", Instant::default());
        assert_eq!(
            s.headline(&en()),
            "No changes: The server reported an implausible tool count (was 2)"
        );

        // Just under the bound: a fact.
        let big = crate::core::model::MAX_TOOL_COUNT - 1;
        let s = Summary::of(&result(big, big, &[], &[]), "x", Instant::default());
        assert!(!s.total_implausible && s.warnings.is_empty());
        assert_eq!(s.headline(&en()), "No changes: 999,999 tools");
        for lang in ["de", "fr", "it"] {
            let tr = Tr::native(Lang::from_tag(lang).unwrap());
            let mut r = result(6, 0, &[], &[]);
            r.tools_discovered = None;
            r.tools_discovered_implausible = Some("12.5".into());
            let s = Summary::of(&r, "x", Instant::default());
            let h = s.headline(&tr);
            assert!(!h.contains("12") && h.contains('6'), "{lang}: {h}");
        }
    }

    #[test]
    fn ttl_and_time_checks() {
        let now = Instant::from_millis(1_759_841_100_000);
        let mut r = result(1, 1, &[], &[]);
        r.cached_at = Some(now);
        r.expires_at = Some(now.plus_seconds(3600.0));
        assert_eq!(
            Summary::of(&r, "x", now).ttl_words(&en()).as_deref(),
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

    #[test]
    fn headline_plurals_and_numbers_in_every_language() {
        let tr = |c: &str| Tr::native(Lang::from_tag(c).unwrap());
        let unchanged = |n: i64| Summary::of(&result(n, n, &[], &[]), "x", Instant::default());
        for (code, n, want) in [
            ("en", 0, "No changes: 0 tools"),
            ("en", 1, "No changes: 1 tool"),
            ("en", 1_000_000, "No changes: 1,000,000 tools"),
            ("de", 1, "Keine Änderungen: 1 Tool"),
            ("de", 2, "Keine Änderungen: 2 Tools"),
            ("de", 21, "Keine Änderungen: 21 Tools"),
            ("fr", 0, "Aucun changement : 0 outil"),
            ("fr", 1, "Aucun changement : 1 outil"),
            ("fr", 5, "Aucun changement : 5 outils"),
            ("fr", 1_000_000, "Aucun changement : 1 000 000 d’outils"),
            ("it", 1, "Nessuna modifica: 1 strumento"),
            ("it", 5, "Nessuna modifica: 5 strumenti"),
            ("it", 1_000_000, "Nessuna modifica: 1.000.000 di strumenti"),
        ] {
            let got = unchanged(n).headline(&tr(code));
            let norm = |s: &str| s.replace(['\u{202f}', '\u{a0}'], " ");
            assert_eq!(norm(&got), want, "{code} {n}");
        }
        let s = Summary::of(&result(6, 8, &["b", "a"], &[]), "x", Instant::default());
        assert_eq!(
            s.headline(&tr("de")),
            "8 Tools (vorher 6): 2 neu, 0 entfernt, 6 unverändert"
        );
        let one = Summary::of(&result(1, 1, &["a"], &["b"]), "x", Instant::default());
        let fr = one.headline(&tr("fr")).replace(['\u{202f}', '\u{a0}'], " ");
        assert_eq!(fr, "1 outil : 1 nouveau, 1 supprimé, 0 inchangé");
        let it = s.headline(&tr("it"));
        assert_eq!(it, "8 strumenti (prima 6): 2 nuovi, 0 rimossi, 6 invariati");
        let w = Warning::NonStringNames {
            list: "new",
            count: 1,
        };
        assert_eq!(
            w.message(&en()),
            "1 entry in the new list is not a tool name and is left out."
        );
        let w = Warning::NonStringNames {
            list: "removed",
            count: 2,
        };
        assert_eq!(
            w.message(&en()),
            "2 entries in the removed list are not a tool name and are left out."
        );
        assert!(w.message(&tr("de")).starts_with("2 Einträge"));
    }
}
