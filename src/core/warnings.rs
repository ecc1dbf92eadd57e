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

use std::collections::HashSet;

use super::diff::Warning;
use super::model::RefreshResult;
use super::schema_diff::ToolDiff;

/// Up to this many similar warnings are said one by one.
pub const SAY_EACH_MAX: usize = 3;
/// How many names a summary sentence quotes.
pub const FIRST_NAMES: usize = 3;

/// One line of a warnings list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A warning said on its own.
    One(String),
    /// Many similar warnings: one sentence (with the count and the first names)
    /// and every name behind it.
    Many {
        /// The sentence shown.
        sentence: String,
        /// A heading for the full list of names, e.g. "Listed as new, missing after".
        title: String,
        /// Every name, in the order given (sorted where the source is).
        names: Vec<String>,
    },
}

impl Line {
    /// The sentence shown for this line.
    pub fn sentence(&self) -> &str {
        match self {
            Line::One(s) => s,
            Line::Many { sentence, .. } => sentence,
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
    /// The warning about one name (the wording of `cross_check`).
    pub fn one(self, n: &str) -> String {
        match self {
            NameIssue::NewButKnownBefore => format!("The refresh answer lists “{n}” as new, but the tool definitions before the refresh already had it."),
            NameIssue::NewButMissingAfter => format!("The refresh answer lists “{n}” as new, but the tool definitions after the refresh do not have it."),
            NameIssue::RemovedButStillThere => format!("The refresh answer lists “{n}” as removed, but the tool definitions after the refresh still have it."),
            NameIssue::RemovedButUnknownBefore => format!("The refresh answer lists “{n}” as removed, but the tool definitions before the refresh did not have it."),
            NameIssue::UnlistedNew => format!("The tool definitions show “{n}” as new, but the refresh answer does not list it."),
            NameIssue::UnlistedRemoved => format!("The tool definitions show “{n}” as removed, but the refresh answer does not list it."),
        }
    }

    /// The warning about `count` names, quoting `first` (already joined).
    fn many(self, count: &str, first: &str) -> String {
        match self {
            NameIssue::NewButKnownBefore => format!("The refresh answer lists {count} tools as new that the tool definitions before the refresh already had: {first}."),
            NameIssue::NewButMissingAfter => format!("The refresh answer lists {count} tools as new that the tool definitions after the refresh do not have: {first}."),
            NameIssue::RemovedButStillThere => format!("The refresh answer lists {count} tools as removed that the tool definitions after the refresh still have: {first}."),
            NameIssue::RemovedButUnknownBefore => format!("The refresh answer lists {count} tools as removed that the tool definitions before the refresh did not have: {first}."),
            NameIssue::UnlistedNew => format!("The tool definitions show {count} new tools that the refresh answer does not list: {first}."),
            NameIssue::UnlistedRemoved => format!("The tool definitions show {count} removed tools that the refresh answer does not list: {first}."),
        }
    }

    /// A heading for the full list of names.
    pub fn title(self) -> &'static str {
        match self {
            NameIssue::NewButKnownBefore => "Listed as new, already there before",
            NameIssue::NewButMissingAfter => "Listed as new, missing after",
            NameIssue::RemovedButStillThere => "Listed as removed, still there after",
            NameIssue::RemovedButUnknownBefore => "Listed as removed, unknown before",
            NameIssue::UnlistedNew => "New, not listed by the refresh answer",
            NameIssue::UnlistedRemoved => "Removed, not listed by the refresh answer",
        }
    }
}

/// `n` with thousands separators: `25,000`.
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
pub fn first_names(names: &[String]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(FIRST_NAMES)
        .map(|n| format!("“{n}”"))
        .collect();
    let more = names.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} and {} more", shown.join(", "), count_words(more))
    } else {
        shown.join(", ")
    }
}

/// The lines for one kind of issue over `names`: one per name up to
/// [`SAY_EACH_MAX`], else a single [`Line::Many`].
pub fn summarise(issue: NameIssue, names: Vec<String>) -> Vec<Line> {
    if names.len() <= SAY_EACH_MAX {
        return names.iter().map(|n| Line::One(issue.one(n))).collect();
    }
    vec![Line::Many {
        sentence: issue.many(&count_words(names.len()), &first_names(&names)),
        title: issue.title().to_owned(),
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
        .chain(counts.into_iter().map(Line::One))
        .collect()
}

/// The same check, one sentence for every name that disagrees (then the counts):
/// the long form, for places that are not a page.
pub fn cross_check(diff: &ToolDiff, refresh: &RefreshResult) -> Vec<String> {
    let (groups, counts) = disagreement_groups(diff, refresh);
    groups
        .into_iter()
        .flat_map(|(issue, names)| names.into_iter().map(move |n| issue.one(&n)))
        .chain(counts)
        .collect()
}

/// The names that disagree, by kind of disagreement (in [`NameIssue`] order, names
/// in answer order), and a sentence for each count that disagrees.
pub fn disagreement_groups(
    diff: &ToolDiff,
    refresh: &RefreshResult,
) -> (Vec<(NameIssue, Vec<String>)>, Vec<String>) {
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
    let listed_new = sorted_unique(&refresh.new_tools);
    let listed_removed = sorted_unique(&refresh.removed_tools);
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
    let listed_new: HashSet<&str> = listed_new.into_iter().collect();
    let listed_removed: HashSet<&str> = listed_removed.into_iter().collect();
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
    crate::core::order::sort_by(&mut groups, |a, b| a.0.cmp(&b.0));
    let mut out = Vec::new();
    let counts = [
        (
            refresh.previous_tool_count,
            diff.before_count(),
            "before",
            "had",
        ),
        (
            refresh.tools_discovered,
            diff.after_count(),
            "after",
            "have",
        ),
    ];
    for (said, seen, when, verb) in counts {
        if let Some(said) = said {
            if usize::try_from(said).ok() != Some(seen) {
                out.push(format!(
                    "The refresh answer counts {said} tools {when} the refresh, but the tool definitions {when} it {verb} {seen}."
                ));
            }
        }
    }
    (groups, out)
}

fn sorted_unique(names: &[String]) -> Vec<&str> {
    crate::core::order::unique_sorted(names.iter().map(String::as_str))
}

/// The result's own warnings as lines: a warning that names more than
/// [`SAY_EACH_MAX`] tools (duplicates, names both new and removed) keeps its
/// sentence and carries the names, so all of them can be seen.
pub fn of_summary(warnings: &[Warning]) -> Vec<Line> {
    warnings
        .iter()
        .map(|w| {
            let (title, names) = match w {
                Warning::DuplicateNames { list, names } => {
                    (format!("Listed more than once in the {list} list"), names)
                }
                Warning::NameInBothLists { names } => {
                    ("Listed as both new and removed".to_owned(), names)
                }
                _ => return Line::One(w.message()),
            };
            if names.len() > SAY_EACH_MAX {
                Line::Many {
                    sentence: w.message(),
                    title,
                    names: names.clone(),
                }
            } else {
                Line::One(w.message())
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            lines[0],
            Line::One(NameIssue::NewButMissingAfter.one("t00000"))
        );
    }

    #[test]
    fn many_similar_warnings_become_one_sentence_with_the_count_and_first_names() {
        let all = names("t", 25_000);
        let lines = summarise(NameIssue::NewButMissingAfter, all.clone());
        assert_eq!(lines.len(), 1);
        let Line::Many {
            sentence,
            title,
            names,
        } = &lines[0]
        else {
            panic!("expected one summary line: {lines:?}");
        };
        assert_eq!(
            sentence,
            "The refresh answer lists 25,000 tools as new that the tool definitions after the refresh do not have: “t00000”, “t00001”, “t00002” and 24,997 more."
        );
        assert_eq!(title, "Listed as new, missing after");
        assert_eq!(names, &all);
    }

    #[test]
    fn twenty_five_thousand_unknown_new_names_give_a_bounded_number_of_lines() {
        let r = refresh(2, 25_002, names("new_", 25_000), Vec::new());
        let lines = disagreements(&two_tools(), &r);
        // one summary for the names, one for the count after the refresh
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(matches!(&lines[0], Line::Many { names, .. } if names.len() == 25_000));
        assert!(lines[0].sentence().contains("25,000 tools as new"));
        assert_eq!(
            lines[1].sentence(),
            "The refresh answer counts 25002 tools after the refresh, but the tool definitions after it have 2."
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
        let kinds: Vec<&str> = lines
            .iter()
            .map(|l| match l {
                Line::Many { title, .. } => title.as_str(),
                Line::One(_) => "one",
            })
            .collect();
        assert_eq!(
            kinds,
            [
                NameIssue::NewButKnownBefore.title(),
                NameIssue::NewButMissingAfter.title(),
                NameIssue::RemovedButStillThere.title(),
                NameIssue::RemovedButUnknownBefore.title(),
                NameIssue::UnlistedNew.title(),
                NameIssue::UnlistedRemoved.title(),
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
            .map(|l| l.sentence().to_owned())
            .collect();
        let mut theirs = cross_check(&diff, &r);
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
        assert!(matches!(&lines[0], Line::Many { names, title, .. }
            if names.len() == 10 && title == "Listed more than once in the new list"));
        assert_eq!(lines[0].sentence(), w[0].message());
        assert_eq!(lines[1], Line::One(w[1].message()));
        assert_eq!(lines[2], Line::One(w[2].message()));
    }
}
