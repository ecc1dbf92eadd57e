//! Long work on large answers, cut into steps, so the page can give the browser a
//! turn between them (the caller decides when: `ui::insight` yields whenever a
//! slice of steps has taken a few tens of milliseconds).
//!
//! Owns [`DiffSteps`] ([`diff_catalogs`](super::schema_diff::diff_catalogs), one
//! tool at a time: 20,000 tools whose schemas all changed take far longer than one
//! task may) and [`HistoryFit`] (how many of a huge entry's changed tools fit the
//! history's byte cap, measured one tool at a time, so that saving the entry does
//! not search for the fitting prefix by serializing it whole again and again).

use std::sync::Arc;

use super::history::{HistoryEntry, MAX_BYTES};
use super::schema_diff::{diff_tool, ToolChange, ToolDiff};
use super::tools::ToolCatalog;

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

/// [`diff_catalogs`](super::schema_diff::diff_catalogs) in steps: same result.
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
        diff.changed.sort_by_key(|c| !c.is_breaking());
        diff
    }

    /// The catalogs compared.
    pub fn catalogs(&self) -> (Arc<ToolCatalog>, Arc<ToolCatalog>) {
        (self.before.clone(), self.after.clone())
    }
}

/// How much of an entry's field-level changes the history can keep: its
/// changed tools' JSON sizes, measured in steps.
pub struct HistoryFit {
    /// The entry without its changed tools.
    entry: HistoryEntry,
    changed: Vec<ToolChange>,
    base: usize,
    sizes: Vec<usize>,
}

/// What the stored envelope and separators may add around one entry.
const SLACK: usize = 64;

impl HistoryFit {
    /// Starts measuring `entry` (its JSON without the changed tools: cheap).
    pub fn new(mut entry: HistoryEntry) -> Self {
        let changed = std::mem::take(&mut entry.changed);
        let base = serde_json::to_string(&entry).map_or(0, |s| s.len());
        Self {
            entry,
            sizes: Vec::with_capacity(changed.len()),
            changed,
            base,
        }
    }

    /// Measures up to `tools` more changed tools; `true` when all are measured.
    pub fn step(&mut self, tools: usize) -> bool {
        let from = self.sizes.len();
        let end = (from + tools.max(1)).min(self.changed.len());
        for t in self.changed.get(from..end).unwrap_or_default() {
            self.sizes
                .push(serde_json::to_string(t).map_or(0, |s| s.len()));
        }
        self.sizes.len() >= self.changed.len()
    }

    /// How many of the changed tools (a prefix: breaking ones come first) fit in
    /// the history's byte cap beside the rest of the entry.
    pub fn fitting(&self) -> usize {
        let budget = MAX_BYTES.saturating_sub(SLACK);
        let mut total = self.base;
        for (i, s) in self.sizes.iter().enumerate() {
            total += s + 1; // a comma
            if total > budget {
                return i;
            }
        }
        self.sizes.len()
    }

    /// The entry for the history (the changed tools cut to what fits) and the
    /// whole entry (for the exports). `History` would cut them too, but by
    /// serializing the whole entry once per step of a binary search: seconds for
    /// 20,000 changed tools.
    pub fn finish(self) -> (HistoryEntry, HistoryEntry) {
        let keep = self.fitting();
        let HistoryFit {
            mut entry, changed, ..
        } = self;
        let stored = HistoryEntry {
            changed: changed.get(..keep).unwrap_or_default().to_vec(),
            ..entry.clone()
        };
        entry.changed = changed;
        (stored, entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::history::History;
    use crate::core::schema_diff::diff_catalogs;
    use crate::core::tools::ToolDef;
    use serde_json::json;

    fn tool(name: &str, ty: &str, desc: &str) -> ToolDef {
        ToolDef {
            name: name.into(),
            description: Some(desc.into()),
            input_schema: Some(json!({"type":"object","properties":{"x":{"type": ty}}})),
            ..ToolDef::default()
        }
    }

    fn catalogs() -> (ToolCatalog, ToolCatalog) {
        let mut before = vec![
            tool("dup", "string", "first"),
            tool("dup", "integer", "second"),
        ];
        let mut after = vec![tool("dup", "string", "first")];
        for i in 0..300 {
            let n = format!("t{i:03}");
            match i % 5 {
                0 => before.push(tool(&n, "string", "d")), // removed
                1 => after.push(tool(&n, "string", "d")),  // added
                2 => {
                    before.push(tool(&n, "string", "d")); // retyped: breaking
                    after.push(tool(&n, "integer", "d"));
                }
                3 => {
                    before.push(tool(&n, "string", "d")); // reworded: compatible
                    after.push(tool(&n, "string", "e"));
                }
                _ => {
                    before.push(tool(&n, "string", "d"));
                    after.push(tool(&n, "string", "d"));
                }
            }
        }
        before.reverse(); // unsorted input
        (
            ToolCatalog {
                tools: before,
                ..ToolCatalog::default()
            },
            ToolCatalog {
                tools: after,
                ..ToolCatalog::default()
            },
        )
    }

    #[test]
    fn the_stepwise_diff_equals_the_whole_one() {
        let (b, a) = catalogs();
        let whole = diff_catalogs(&b, &a);
        for step in [1, 7, 1000] {
            let mut d = DiffSteps::new(Arc::new(b.clone()), Arc::new(a.clone()));
            let mut steps = 1;
            while !d.step(step) {
                steps += 1;
            }
            assert!(steps >= 241 / step, "{steps} steps of {step}");
            assert_eq!(d.finish(), whole, "steps of {step}");
        }
        let empty = DiffSteps::new(Arc::default(), Arc::default());
        assert!(empty.is_done());
        assert_eq!(empty.finish(), ToolDiff::default());
    }

    #[test]
    fn a_huge_entry_is_cut_to_fit_the_history() {
        let changed: Vec<ToolChange> = (0..20_000)
            .map(|i| {
                let b = tool(&format!("tool_{i:05}"), "string", "old words");
                let a = tool(&format!("tool_{i:05}"), "integer", "new words");
                ToolChange {
                    name: b.name.clone(),
                    changes: diff_tool(&b, &a),
                }
            })
            .collect();
        let entry = HistoryEntry {
            id: "c-1-0".into(),
            configuration_id: "c".into(),
            ok: true,
            changed,
            ..HistoryEntry::default()
        };
        let mut fit = HistoryFit::new(entry.clone());
        while !fit.step(1000) {}
        let keep = fit.fitting();
        assert!(keep > 100 && keep < 20_000, "{keep}");
        let (trimmed, whole) = fit.finish();
        assert_eq!(whole, entry);
        assert_eq!(trimmed.changed, entry.changed[..keep]);
        let mut h = History::default();
        h.push(trimmed.clone());
        // The history keeps it as it is: nothing left for its own cutting to do.
        assert_eq!(h.entries, vec![trimmed]);
        assert!(h.to_json().len() <= MAX_BYTES);

        let small = HistoryEntry {
            changed: entry.changed.get(..3).unwrap_or_default().to_vec(),
            ..entry
        };
        let mut fit = HistoryFit::new(small.clone());
        assert!(fit.step(10));
        assert_eq!(fit.finish(), (small.clone(), small));
    }
}
