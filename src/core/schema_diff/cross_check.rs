//! Where the refresh answer's own `newTools` / `removedTools` (and counts) disagree
//! with what the tool definitions read before and after show.

use std::collections::BTreeSet;

use super::change::ToolDiff;
use crate::core::model::RefreshResult;

/// Sentences for every point where the refresh answer's `newTools` / `removedTools`
/// (and counts) disagree with what the definitions read before and after show.
/// Empty when they agree.
pub fn cross_check(diff: &ToolDiff, refresh: &RefreshResult) -> Vec<String> {
    let before: BTreeSet<&str> = diff
        .removed
        .iter()
        .chain(diff.unchanged.iter())
        .map(String::as_str)
        .chain(diff.changed.iter().map(|c| c.name.as_str()))
        .collect();
    let after: BTreeSet<&str> = diff
        .added
        .iter()
        .chain(diff.unchanged.iter())
        .map(String::as_str)
        .chain(diff.changed.iter().map(|c| c.name.as_str()))
        .collect();
    let listed_new: BTreeSet<&str> = refresh.new_tools.iter().map(String::as_str).collect();
    let listed_removed: BTreeSet<&str> = refresh.removed_tools.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for n in &listed_new {
        if before.contains(n) {
            out.push(format!(
                "The refresh answer lists “{n}” as new, but the tool definitions before the refresh already had it."
            ));
        } else if !after.contains(n) {
            out.push(format!(
                "The refresh answer lists “{n}” as new, but the tool definitions after the refresh do not have it."
            ));
        }
    }
    for n in &listed_removed {
        if after.contains(n) {
            out.push(format!(
                "The refresh answer lists “{n}” as removed, but the tool definitions after the refresh still have it."
            ));
        } else if !before.contains(n) {
            out.push(format!(
                "The refresh answer lists “{n}” as removed, but the tool definitions before the refresh did not have it."
            ));
        }
    }
    for n in diff
        .added
        .iter()
        .filter(|n| !listed_new.contains(n.as_str()))
    {
        out.push(format!(
            "The tool definitions show “{n}” as new, but the refresh answer does not list it."
        ));
    }
    for n in diff
        .removed
        .iter()
        .filter(|n| !listed_removed.contains(n.as_str()))
    {
        out.push(format!(
            "The tool definitions show “{n}” as removed, but the refresh answer does not list it."
        ));
    }
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
    out
}
