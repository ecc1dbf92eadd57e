//! [`HistoryFit`]: how much of a huge entry the history keeps, measured one
//! changed tool at a time.

use crate::core::history::{HistoryEntry, MAX_BYTES};
use crate::core::schema_diff::ToolChange;

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
