//! Many similar warnings, said once.
//!
//! A server can make every tool name a warning (25,000 names the refresh answer
//! calls new that the definitions do not have). One line per name would freeze the
//! page and bury the point, so up to [`SAY_EACH_MAX`] similar warnings are listed
//! one by one and more become one [`Line::Many`]: a sentence with the count and the
//! first [`FIRST_NAMES`] names, carrying every name so the page can offer them all
//! in a searchable, virtualised list.
//!
//! Owns the check of the refresh answer against the tool definitions
//! ([`disagreement_groups`]), in two forms: [`disagreements`] (grouped by kind, what
//! the page shows) and [`cross_check`] (one sentence per name, for exports and
//! tests); and [`of_summary`] (the result's own warnings, with the names behind
//! "… and N more").

use std::collections::{BTreeSet, HashSet};

use super::diff::Warning;
use super::i18n::{Tr, K};
use super::model::RefreshResult;
use super::schema_diff::ToolDiff;

/// Up to this many similar warnings are said one by one.
pub const SAY_EACH_MAX: usize = 3;
/// How many names a summary sentence quotes.
pub const FIRST_NAMES: usize = 3;

/// One line of a warnings list: what is wrong, kept as data and put in words by
/// [`Line::sentence`] in the language of the moment (a language switch re-words it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A warning said on its own.
    One(Said),
    /// Many similar warnings: one sentence (with the count and the first names)
    /// and every name behind it.
    Many {
        /// What the names have in common.
        what: Group,
        /// Every name, in the order given (sorted where the source is).
        names: Vec<String>,
    },
}

/// A warning said on its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    /// One name the refresh answer and the definitions disagree about.
    Issue(NameIssue, String),
    /// A count the refresh answer and the definitions disagree about.
    Count(CountIssue),
    /// One of the result's own warnings.
    Warning(Warning),
}

/// What the names of a [`Line::Many`] have in common.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Group {
    /// The same disagreement between the refresh answer and the definitions.
    Issue(NameIssue),
    /// One of the result's own warnings (duplicates, names both new and removed).
    Warning(Warning),
}

impl Line {
    /// The sentence shown for this line.
    pub fn sentence(&self, tr: &Tr) -> String {
        match self {
            Line::One(Said::Issue(issue, name)) => issue.one(tr, name),
            Line::One(Said::Count(c)) => c.sentence(tr),
            Line::One(Said::Warning(w)) => w.message(tr),
            Line::Many {
                what: Group::Issue(issue),
                names,
            } => issue.many(tr, names.len(), &first_names(tr, names)),
            Line::Many {
                what: Group::Warning(w),
                ..
            } => w.message(tr),
        }
    }

    /// The heading of the full list of names, e.g. "Listed as new, missing after";
    /// `None` for a line said on its own.
    pub fn title(&self, tr: &Tr) -> Option<String> {
        match self {
            Line::One(_) => None,
            Line::Many {
                what: Group::Issue(issue),
                ..
            } => Some(issue.title(tr)),
            Line::Many {
                what: Group::Warning(w),
                ..
            } => Some(match w {
                Warning::DuplicateNames {
                    list: "removed", ..
                } => tr.t(K::RefreshListedTwiceRemoved),
                Warning::DuplicateNames { .. } => tr.t(K::RefreshListedTwiceNew),
                _ => tr.t(K::RefreshListedBoth),
            }),
        }
    }
}

/// One kind of disagreement between the refresh answer and the tool definitions,
/// about one tool name. Lines come out in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameIssue {
    /// Listed as new, but the definitions before the refresh already had it.
    NewButKnownBefore,
    /// Listed as new, but the definitions after the refresh do not have it.
    NewButMissingAfter,
    /// Listed as removed, but the definitions after the refresh still have it.
    RemovedButStillThere,
    /// Listed as removed, but the definitions before the refresh did not have it.
    RemovedButUnknownBefore,
    /// New in the definitions, not listed as new.
    UnlistedNew,
    /// Removed from the definitions, not listed as removed.
    UnlistedRemoved,
}

impl NameIssue {
    /// The catalogue keys of its sentence for one name, for many, and its heading.
    fn keys(self) -> (K, K, K) {
        match self {
            NameIssue::NewButKnownBefore => (
                K::RefreshIssueNewKnownOne,
                K::RefreshIssueNewKnownMany,
                K::RefreshIssueNewKnownTitle,
            ),
            NameIssue::NewButMissingAfter => (
                K::RefreshIssueNewMissingOne,
                K::RefreshIssueNewMissingMany,
                K::RefreshIssueNewMissingTitle,
            ),
            NameIssue::RemovedButStillThere => (
                K::RefreshIssueRemovedThereOne,
                K::RefreshIssueRemovedThereMany,
                K::RefreshIssueRemovedThereTitle,
            ),
            NameIssue::RemovedButUnknownBefore => (
                K::RefreshIssueRemovedUnknownOne,
                K::RefreshIssueRemovedUnknownMany,
                K::RefreshIssueRemovedUnknownTitle,
            ),
            NameIssue::UnlistedNew => (
                K::RefreshIssueUnlistedNewOne,
                K::RefreshIssueUnlistedNewMany,
                K::RefreshIssueUnlistedNewTitle,
            ),
            NameIssue::UnlistedRemoved => (
                K::RefreshIssueUnlistedRemovedOne,
                K::RefreshIssueUnlistedRemovedMany,
                K::RefreshIssueUnlistedRemovedTitle,
            ),
        }
    }

    /// The warning about one name (the wording of `cross_check`).
    pub fn one(self, tr: &Tr, n: &str) -> String {
        tr.f(self.keys().0, &[("name", n.into())])
    }

    /// The warning about `count` names, quoting `first` (already joined).
    fn many(self, tr: &Tr, count: usize, first: &str) -> String {
        tr.f(
            self.keys().1,
            &[("n", count.into()), ("names", first.into())],
        )
    }

    /// A heading for the full list of names.
    pub fn title(self, tr: &Tr) -> String {
        tr.t(self.keys().2)
    }
}

/// A tool count the refresh answer and the definitions disagree about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountIssue {
    /// Whether it is the count after the refresh (else before it).
    pub after: bool,
    /// What the refresh answer says.
    pub said: i64,
    /// What the definitions show.
    pub seen: usize,
}

impl CountIssue {
    /// The sentence for it.
    pub fn sentence(&self, tr: &Tr) -> String {
        let key = if self.after {
            K::RefreshCountsAfterDisagree
        } else {
            K::RefreshCountsBeforeDisagree
        };
        tr.f(key, &[("n", self.said.into()), ("seen", self.seen.into())])
    }
}

/// `n` with thousands separators: `25,000` (English grouping; text in the user's
/// language takes its numbers from the catalogue's `{n}` instead).
pub fn count_words(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The first [`FIRST_NAMES`] names quoted, then "and N more" for the rest.
pub fn first_names(tr: &Tr, names: &[String]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(FIRST_NAMES)
        .map(|n| tr.f(K::RefreshQuoted, &[("name", n.into())]))
        .collect();
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

/// The lines for one kind of issue over `names`: one per name up to
/// [`SAY_EACH_MAX`], else a single [`Line::Many`].
pub fn summarise(issue: NameIssue, names: Vec<String>) -> Vec<Line> {
    if names.len() <= SAY_EACH_MAX {
        return names
            .into_iter()
            .map(|n| Line::One(Said::Issue(issue, n)))
            .collect();
    }
    vec![Line::Many {
        what: Group::Issue(issue),
        names,
    }]
}

/// Where the refresh answer's `newTools` / `removedTools` (and counts) disagree
/// with what the definitions read before and after show, similar warnings grouped.
/// Empty when they agree. Linear in the names (hash sets), so a huge answer costs
/// a few milliseconds, and at most eight lines come out whatever the answer.
pub fn disagreements(diff: &ToolDiff, refresh: &RefreshResult) -> Vec<Line> {
    let (groups, counts) = disagreement_groups(diff, refresh);
    groups
        .into_iter()
        .flat_map(|(issue, names)| summarise(issue, names))
        .chain(counts.into_iter().map(|c| Line::One(Said::Count(c))))
        .collect()
}

/// The same check, one sentence for every name that disagrees (then the counts):
/// the long form, for places that are not a page.
pub fn cross_check(tr: &Tr, diff: &ToolDiff, refresh: &RefreshResult) -> Vec<String> {
    let (groups, counts) = disagreement_groups(diff, refresh);
    groups
        .into_iter()
        .flat_map(|(issue, names)| names.into_iter().map(move |n| issue.one(tr, &n)))
        .chain(counts.iter().map(|c| c.sentence(tr)))
        .collect()
}

/// The names that disagree, by kind of disagreement (in [`NameIssue`] order, names
/// in answer order), and each count that disagrees.
pub fn disagreement_groups(
    diff: &ToolDiff,
    refresh: &RefreshResult,
) -> (Vec<(NameIssue, Vec<String>)>, Vec<CountIssue>) {
    let changed = || diff.changed.iter().map(|c| c.name.as_str());
    let before: HashSet<&str> = diff
        .removed
        .iter()
        .chain(diff.unchanged.iter())
        .map(String::as_str)
        .chain(changed())
        .collect();
    let after: HashSet<&str> = diff
        .added
        .iter()
        .chain(diff.unchanged.iter())
        .map(String::as_str)
        .chain(changed())
        .collect();
    let listed_new: BTreeSet<&str> = refresh.new_tools.iter().map(String::as_str).collect();
    let listed_removed: BTreeSet<&str> = refresh.removed_tools.iter().map(String::as_str).collect();
    let mut groups: Vec<(NameIssue, Vec<String>)> = Vec::new();
    let mut add = |issue: NameIssue, n: &str| match groups.iter_mut().find(|(i, _)| *i == issue) {
        Some((_, names)) => names.push(n.to_owned()),
        None => groups.push((issue, vec![n.to_owned()])),
    };
    for n in &listed_new {
        if before.contains(n) {
            add(NameIssue::NewButKnownBefore, n);
        } else if !after.contains(n) {
            add(NameIssue::NewButMissingAfter, n);
        }
    }
    for n in &listed_removed {
        if after.contains(n) {
            add(NameIssue::RemovedButStillThere, n);
        } else if !before.contains(n) {
            add(NameIssue::RemovedButUnknownBefore, n);
        }
    }
    for n in diff
        .added
        .iter()
        .filter(|n| !listed_new.contains(n.as_str()))
    {
        add(NameIssue::UnlistedNew, n);
    }
    for n in diff
        .removed
        .iter()
        .filter(|n| !listed_removed.contains(n.as_str()))
    {
        add(NameIssue::UnlistedRemoved, n);
    }
    groups.sort_by_key(|g| g.0);
    let mut out = Vec::new();
    let counts = [
        (refresh.previous_tool_count, diff.before_count(), false),
        (refresh.tools_discovered, diff.after_count(), true),
    ];
    for (said, seen, after) in counts {
        if let Some(said) = said {
            if usize::try_from(said).ok() != Some(seen) {
                out.push(CountIssue { after, said, seen });
            }
        }
    }
    (groups, out)
}

/// The result's own warnings as lines: a warning that names more than
/// [`SAY_EACH_MAX`] tools (duplicates, names both new and removed) keeps its
/// sentence and carries the names, so all of them can be seen.
pub fn of_summary(warnings: &[Warning]) -> Vec<Line> {
    warnings
        .iter()
        .map(|w| match w {
            Warning::DuplicateNames { names, .. } | Warning::NameInBothLists { names }
                if names.len() > SAY_EACH_MAX =>
            {
                Line::Many {
                    what: Group::Warning(w.clone()),
                    names: names.clone(),
                }
            }
            _ => Line::One(Said::Warning(w.clone())),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::i18n::Lang;

    fn en() -> Tr {
        Tr::english()
    }

    fn native(code: &str) -> Tr {
        Tr::native(Lang::from_tag(code).unwrap())
    }

    fn names(prefix: &str, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{prefix}{i:05}")).collect()
    }

    fn refresh(prev: i64, total: i64, new: Vec<String>, removed: Vec<String>) -> RefreshResult {
        RefreshResult {
            previous_tool_count: Some(prev),
            tools_discovered: Some(total),
            new_tools: new,
            removed_tools: removed,
            ..RefreshResult::default()
        }
    }

    fn two_tools() -> ToolDiff {
        ToolDiff {
            unchanged: vec!["a".into(), "b".into()],
            ..ToolDiff::default()
        }
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count_words(0), "0");
        assert_eq!(count_words(999), "999");
        assert_eq!(count_words(1_000), "1,000");
        assert_eq!(count_words(25_000), "25,000");
        assert_eq!(count_words(1_234_567), "1,234,567");
    }

    #[test]
    fn a_few_similar_warnings_are_said_one_by_one() {
        let lines = summarise(NameIssue::NewButMissingAfter, names("t", SAY_EACH_MAX));
        assert_eq!(lines.len(), SAY_EACH_MAX);
        assert_eq!(
            lines[0].sentence(&en()),
            NameIssue::NewButMissingAfter.one(&en(), "t00000")
        );
        assert_eq!(lines[0].title(&en()), None);
    }

    #[test]
    fn many_similar_warnings_become_one_sentence_with_the_count_and_first_names() {
        let all = names("t", 25_000);
        let lines = summarise(NameIssue::NewButMissingAfter, all.clone());
        assert_eq!(lines.len(), 1);
        let Line::Many { names, .. } = &lines[0] else {
            panic!("expected one summary line: {lines:?}");
        };
        let (sentence, title) = (lines[0].sentence(&en()), lines[0].title(&en()));
        assert_eq!(
            sentence,
            "The refresh answer lists 25,000 tools as new that the tool definitions after the refresh do not have: “t00000”, “t00001”, “t00002” and 24,997 more."
        );
        assert_eq!(title.as_deref(), Some("Listed as new, missing after"));
        let de = lines[0].sentence(&native("de"));
        assert!(de.contains("25.000"), "{de}");
        assert!(de.contains("«t00000»") && de.contains("24.997"), "{de}");
        assert_eq!(names, &all);
    }

    #[test]
    fn twenty_five_thousand_unknown_new_names_give_a_bounded_number_of_lines() {
        let r = refresh(2, 25_002, names("new_", 25_000), Vec::new());
        let lines = disagreements(&two_tools(), &r);
        // one summary for the names, one for the count after the refresh
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(matches!(&lines[0], Line::Many { names, .. } if names.len() == 25_000));
        assert!(lines[0].sentence(&en()).contains("25,000 tools as new"));
        assert_eq!(
            lines[1].sentence(&en()),
            "The refresh answer counts 25,002 tools after the refresh, but the tool definitions after it have 2."
        );
    }

    #[test]
    fn every_kind_of_disagreement_is_grouped_separately() {
        let diff = ToolDiff {
            added: names("added_", 5),
            removed: names("gone_", 5),
            unchanged: names("kept_", 5),
            ..ToolDiff::default()
        };
        let mut new = names("kept_", 4); // known before
        new.extend(names("ghost_", 4)); // missing after
        let mut removed = names("kept_", 4); // still there
        removed.extend(names("never_", 4)); // unknown before
        let lines = disagreements(&diff, &refresh(10, 10, new, removed));
        let kinds: Vec<String> = lines
            .iter()
            .map(|l| l.title(&en()).unwrap_or_else(|| "one".to_owned()))
            .collect();
        let tr = en();
        assert_eq!(
            kinds,
            [
                NameIssue::NewButKnownBefore.title(&tr),
                NameIssue::NewButMissingAfter.title(&tr),
                NameIssue::RemovedButStillThere.title(&tr),
                NameIssue::RemovedButUnknownBefore.title(&tr),
                NameIssue::UnlistedNew.title(&tr),
                NameIssue::UnlistedRemoved.title(&tr),
            ]
        );
    }

    #[test]
    fn few_disagreements_read_exactly_as_cross_check_says_them() {
        let diff = ToolDiff {
            added: vec!["x".into(), "y".into()],
            removed: vec!["z".into()],
            unchanged: vec!["a".into()],
            ..ToolDiff::default()
        };
        let r = refresh(5, 1, vec!["a".into(), "q".into()], vec!["r".into()]);
        let ours: Vec<String> = disagreements(&diff, &r)
            .iter()
            .map(|l| l.sentence(&en()))
            .collect();
        let mut theirs = cross_check(&en(), &diff, &r);
        let mut sorted = ours.clone();
        sorted.sort();
        theirs.sort();
        assert_eq!(sorted, theirs);
        assert!(disagreements(&two_tools(), &refresh(2, 2, vec![], vec![])).is_empty());
    }

    #[test]
    fn duplicate_names_in_the_answer_count_once() {
        let mut new = names("n", 5);
        new.extend(names("n", 5));
        let lines = disagreements(&two_tools(), &refresh(2, 2, new, vec![]));
        assert!(matches!(&lines[0], Line::Many { names, .. } if names.len() == 5));
    }

    #[test]
    fn result_warnings_with_many_names_carry_them() {
        let w = [
            Warning::DuplicateNames {
                list: "new",
                names: names("d", 10),
            },
            Warning::NameInBothLists {
                names: names("b", 2),
            },
            Warning::ExpiresBeforeCached,
        ];
        let lines = of_summary(&w);
        assert_eq!(lines.len(), 3);
        let tr = en();
        assert!(matches!(&lines[0], Line::Many { names, .. } if names.len() == 10));
        assert_eq!(
            lines[0].title(&tr).as_deref(),
            Some("Listed more than once in the new list")
        );
        assert_eq!(lines[0].sentence(&tr), w[0].message(&tr));
        assert_eq!(lines[1], Line::One(Said::Warning(w[1].clone())));
        assert_eq!(lines[2].sentence(&tr), w[2].message(&tr));
    }

    #[test]
    fn counts_in_sentences_follow_the_language() {
        let count = |said: i64, after: bool| CountIssue {
            after,
            said,
            seen: 2,
        };
        assert_eq!(
            count(1, false).sentence(&en()),
            "The refresh answer counts 1 tool before the refresh, but the tool definitions before it had 2."
        );
        for (code, n, want) in [
            ("en", 0, "counts 0 tools"),
            ("en", 21, "counts 21 tools"),
            ("de", 1, "1 Tool vor"),
            ("de", 5, "5 Tools vor"),
            ("de", 1_000_000, "1.000.000 Tools"),
            ("fr", 0, "0 outil avant"),
            ("fr", 2, "2 outils avant"),
            ("fr", 1_000_000, "1 000 000 d’outils"),
            ("it", 1, "1 strumento prima"),
            ("it", 21, "21 strumenti prima"),
            ("it", 1_000_000, "1.000.000 di strumenti"),
        ] {
            // French groups digits with a narrow no-break space.
            let s = count(n, false)
                .sentence(&native(code))
                .replace('\u{202f}', " ");
            assert!(s.contains(want), "{code} {n}: {s}");
        }
        let names: Vec<String> = (0..4).map(|i| format!("t{i}")).collect();
        assert_eq!(
            first_names(&native("fr"), &names),
            "« t0 », « t1 », « t2 » et 1 autre"
        );
        assert_eq!(first_names(&native("it"), &names[..3]), "«t0», «t1», «t2»");
    }
}
