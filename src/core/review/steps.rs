//! [`ReviewSteps`]: the review of a whole refresh, a few tools at a time (the page
//! gives the browser a turn between steps, as for the schema diff): every tool of
//! the later catalog hashed for the baseline, then the added and changed tools
//! reviewed, then the added names.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::baseline::{set_hash, tool_hash};
use super::{names, review_names, review_tool, tools_flagged, Flag, Reason};
use crate::core::schema_diff::ToolDiff;
use crate::core::tools::{ToolCatalog, ToolDef};

/// What the review of one refresh found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// Every flag: the definitions' (changed tools, then added ones), then the names'.
    pub flags: Vec<Flag>,
    /// How many tools need review.
    pub tools_flagged: usize,
    /// Each tool's hash after the refresh, by name.
    pub hashes: BTreeMap<String, String>,
    /// The hash of the whole set after the refresh.
    pub set_hash: String,
}

/// Where a tool was last seen removed: its hash then, and when (RFC 3339).
pub type Removals = BTreeMap<String, (String, String)>;

/// [`Review`] in steps.
pub struct ReviewSteps {
    before: Arc<ToolCatalog>,
    after: Arc<ToolCatalog>,
    /// Changed tools' names, then added ones.
    todo: Vec<(String, bool)>,
    removals: Removals,
    hashed: usize,
    reviewed: usize,
    skeletons: BTreeMap<String, Vec<String>>,
    skeleton_next: usize,
    named: usize,
    out: Review,
}

/// A tool's share of a step's budget: one, and one more for every 16 KB of its
/// title and description, so a tool with a 1 MB description is a step of its own.
fn weight(t: &ToolDef) -> usize {
    let text =
        t.title.as_ref().map_or(0, String::len) + t.description.as_ref().map_or(0, String::len);
    1 + text / 16_384
}

impl ReviewSteps {
    /// Prepares the review of `diff` (of `before` → `after`); `removals` is what the
    /// history knows of tools removed earlier.
    pub fn new(
        before: Arc<ToolCatalog>,
        after: Arc<ToolCatalog>,
        diff: &ToolDiff,
        removals: Removals,
    ) -> Self {
        let todo = diff
            .changed
            .iter()
            .map(|c| (c.name.clone(), true))
            .chain(diff.added.iter().map(|n| (n.clone(), false)))
            .collect();
        // The names' skeletons are only compared with added names: with none added,
        // they are not made.
        let skeleton_next = if diff.added.is_empty() {
            before.tools.len() + after.tools.len()
        } else {
            0
        };
        ReviewSteps {
            before,
            after,
            todo,
            removals,
            hashed: 0,
            reviewed: 0,
            skeletons: BTreeMap::new(),
            skeleton_next,
            named: 0,
            out: Review::default(),
        }
    }

    /// Does up to `tools` more tools' work; `true` when all is done.
    pub fn step(&mut self, tools: usize) -> bool {
        let mut budget = tools.max(1);
        while budget > 0 && self.hashed < self.after.tools.len() {
            let mut cost = 1;
            if let Some(t) = self.after.tools.get(self.hashed) {
                self.out.hashes.insert(t.name.clone(), tool_hash(t));
                cost = weight(t);
            }
            self.hashed += 1;
            budget = budget.saturating_sub(cost);
        }
        let all_names = self.before.tools.len() + self.after.tools.len();
        while budget > 0 && self.skeleton_next < all_names {
            let i = self.skeleton_next;
            let t = if i < self.before.tools.len() {
                self.before.tools.get(i)
            } else {
                self.after.tools.get(i - self.before.tools.len())
            };
            if let Some(t) = t {
                let names = self.skeletons.entry(names::skeleton(&t.name)).or_default();
                if !names.contains(&t.name) {
                    names.push(t.name.clone());
                }
            }
            self.skeleton_next += 1;
            // A skeleton is cheap: ten names to one tool of budget.
            if i % 10 == 9 {
                budget -= 1;
            }
        }
        while budget > 0 && self.reviewed < self.todo.len() {
            let Some((name, changed)) = self.todo.get(self.reviewed) else {
                break;
            };
            if let Some(after) = self.after.get(name) {
                let before = if *changed {
                    self.before.get(name)
                } else {
                    None
                };
                if !changed {
                    if let Some((hash, at)) = self.removals.get(name) {
                        if self.out.hashes.get(name) != Some(hash) {
                            self.out.flags.push(Flag {
                                tool: name.clone(),
                                path: String::new(),
                                reason: Reason::Returned {
                                    removed_at: at.clone(),
                                },
                            });
                        }
                    }
                }
                self.out.flags.extend(review_tool(before, after));
                budget = budget.saturating_sub(weight(after) - 1);
            }
            self.reviewed += 1;
            budget = budget.saturating_sub(1);
        }
        // The added names, ten to one tool of budget.
        while budget > 0 && self.reviewed >= self.todo.len() && self.named < self.todo.len() {
            let end = (self.named + 10).min(self.todo.len());
            let added: Vec<String> = self
                .todo
                .get(self.named..end)
                .unwrap_or_default()
                .iter()
                .filter(|(_, changed)| !changed)
                .map(|(n, _)| n.clone())
                .collect();
            self.out.flags.extend(review_names(&added, &self.skeletons));
            self.named = end;
            budget -= 1;
        }
        self.is_done()
    }

    /// Whether everything is done.
    pub fn is_done(&self) -> bool {
        self.hashed >= self.after.tools.len()
            && self.skeleton_next >= self.before.tools.len() + self.after.tools.len()
            && self.reviewed >= self.todo.len()
            && self.named >= self.todo.len()
    }

    /// The review (call when [`ReviewSteps::step`] said done).
    pub fn finish(mut self) -> Review {
        self.out.tools_flagged = tools_flagged(&self.out.flags);
        self.out.set_hash = set_hash(
            self.out
                .hashes
                .iter()
                .map(|(n, h)| (n.as_str(), h.as_str())),
        );
        self.out
    }

    /// The whole review in one go (tests, small catalogs).
    pub fn run(
        before: Arc<ToolCatalog>,
        after: Arc<ToolCatalog>,
        diff: &ToolDiff,
        removals: Removals,
    ) -> Review {
        let mut s = Self::new(before, after, diff, removals);
        while !s.step(usize::MAX) {}
        s.finish()
    }
}
