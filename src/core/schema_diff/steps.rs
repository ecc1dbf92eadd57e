//! [`DiffSteps`]: two tool catalogs compared one tool at a time — the one walk
//! behind [`diff_catalogs`](super::diff_catalogs) (all steps at once) and the
//! page's sliced comparison of huge catalogs.

use std::sync::Arc;

use super::{diff_tool, ToolChange, ToolDiff};
use crate::core::tools::ToolCatalog;

/// The names of a catalog's tools with their positions, sorted by name; of
/// several tools with one name, the first.
fn index(c: &ToolCatalog) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = c
        .tools
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.clone(), i))
        .collect();
    v.sort_by(|x, y| x.0.cmp(&y.0)); // stable: the first of equal names stays first
    v.dedup_by(|later, first| later.0 == first.0);
    v
}

fn find(index: &[(String, usize)], name: &str) -> Option<usize> {
    index
        .binary_search_by(|(k, _)| k.as_str().cmp(name))
        .ok()
        .and_then(|i| index.get(i))
        .map(|(_, pos)| *pos)
}

/// [`diff_catalogs`](super::diff_catalogs) in steps.
pub struct DiffSteps {
    before: Arc<ToolCatalog>,
    after: Arc<ToolCatalog>,
    b: Vec<(String, usize)>,
    a: Vec<(String, usize)>,
    next: usize,
    diff: ToolDiff,
}

impl DiffSteps {
    /// Prepares the comparison (sorts the names: a few milliseconds at 100,000).
    pub fn new(before: Arc<ToolCatalog>, after: Arc<ToolCatalog>) -> Self {
        let b = index(&before);
        let a = index(&after);
        Self {
            before,
            after,
            b,
            a,
            next: 0,
            diff: ToolDiff::default(),
        }
    }

    /// Compares up to `tools` more tools of the earlier catalog; `true` when all are done.
    pub fn step(&mut self, tools: usize) -> bool {
        let end = (self.next + tools.max(1)).min(self.b.len());
        for (name, bi) in self.b.get(self.next..end).unwrap_or_default() {
            let old = self.before.tools.get(*bi);
            let new = find(&self.a, name).and_then(|ai| self.after.tools.get(ai));
            match (old, new) {
                (Some(old), Some(new)) => {
                    let changes = diff_tool(old, new);
                    if changes.is_empty() {
                        self.diff.unchanged.push(name.clone());
                    } else {
                        self.diff.changed.push(ToolChange {
                            name: name.clone(),
                            changes,
                        });
                    }
                }
                _ => self.diff.removed.push(name.clone()),
            }
        }
        self.next = end;
        self.is_done()
    }

    /// Whether every tool has been compared.
    pub fn is_done(&self) -> bool {
        self.next >= self.b.len()
    }

    /// The diff (call when [`DiffSteps::step`] said done; earlier, the tools not yet
    /// compared are missing from it).
    pub fn finish(self) -> ToolDiff {
        let DiffSteps { b, a, mut diff, .. } = self;
        diff.added = a
            .into_iter()
            .filter(|(n, _)| find(&b, n).is_none())
            .map(|(n, _)| n)
            .collect();
        // Breaking first, then by name (names are unique: a stable sort by the flag keeps name order).
        diff.changed
            .sort_by_key(|c| std::cmp::Reverse(c.is_breaking()));
        diff
    }

    /// The catalogs compared.
    pub fn catalogs(&self) -> (Arc<ToolCatalog>, Arc<ToolCatalog>) {
        (self.before.clone(), self.after.clone())
    }
}
