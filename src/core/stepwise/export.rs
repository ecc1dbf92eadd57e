//! [`ExportSteps`]: the Markdown and JSON exports of an entry, a slice of its
//! changed tools at a time.

use std::sync::Arc;

use crate::core::export;
use crate::core::history::HistoryEntry;
use crate::core::i18n::{Tr, K};
use crate::core::schema_diff::ToolChange;

/// Which export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// [`export::markdown`].
    Markdown,
    /// [`export::json`].
    Json,
}

/// [`export::markdown`] / [`export::json`] of an entry, a slice of its changed
/// tools at a time: each slice is exported by `export` itself (as an entry holding
/// only those tools) and its sections are spliced into the export of the entry
/// without its changes, so the wording and layout stay `export`'s alone.
pub struct ExportSteps {
    entry: Arc<HistoryEntry>,
    format: ExportFormat,
    tr: Tr,
    md: Markers,
    next: usize,
    /// Markdown: breaking lines; JSON: the changed tools' items.
    first: Vec<String>,
    /// Markdown: compatible lines.
    second: Vec<String>,
}

/// The Markdown headings the sections are found by, and the empty section, in the
/// export's language.
struct Markers {
    breaking: String,
    new: String,
    compatible: String,
    cache: String,
    none: String,
}

impl Markers {
    fn new(tr: &Tr) -> Self {
        Markers {
            breaking: export::heading(tr, K::ExportBreakingHeading),
            new: format!("\n{}", export::heading(tr, K::ExportNewHeading)),
            compatible: export::heading(tr, K::ExportCompatibleHeading),
            cache: format!("\n{}", export::heading(tr, K::ExportCacheHeading)),
            none: export::none(tr),
        }
    }
}
const JSON_CHANGED: &str = "\"changedTools\": [";
const JSON_CHANGED_EMPTY: &str = "\"changedTools\": []";
const JSON_CLOSE: &str = "\n  ]";

/// The text between `from` and the next `to` in `s`.
fn between<'a>(s: &'a str, from: &str, to: &str) -> Option<&'a str> {
    let a = s.find(from)? + from.len();
    let b = a + s.get(a..)?.find(to)?;
    s.get(a..b)
}

/// `s` with the text between `from` and the next `to` replaced by `with`.
fn replace_between(s: &str, from: &str, to: &str, with: &str) -> Option<String> {
    let a = s.find(from)? + from.len();
    let b = a + s.get(a..)?.find(to)?;
    Some(format!("{}{with}{}", s.get(..a)?, s.get(b..)?))
}

/// `e` without its lists (cheap to make, whatever their size).
fn shell(e: &HistoryEntry) -> HistoryEntry {
    HistoryEntry {
        id: e.id.clone(),
        configuration_id: e.configuration_id.clone(),
        configuration_name: e.configuration_name.clone(),
        at: e.at,
        duration_ms: e.duration_ms,
        ok: e.ok,
        error: e.error.clone(),
        status: e.status,
        request_id: e.request_id.clone(),
        tools_discovered: e.tools_discovered,
        previous_tool_count: e.previous_tool_count,
        tools_discovered_implausible: e.tools_discovered_implausible,
        previous_tool_count_implausible: e.previous_tool_count_implausible,
        new_tools: Vec::new(),
        removed_tools: Vec::new(),
        changed: Vec::new(),
        breaking: e.breaking,
        cached_at: e.cached_at.clone(),
        expires_at: e.expires_at.clone(),
        unreported: e.unreported,
        needs_review: e.needs_review,
        review: e.review.clone(),
        set_hash: e.set_hash.clone(),
        removed_hashes: Default::default(),
    }
}

/// The JSON export of `bare` (an entry without changed tools) with `changed`
/// changed tools whose items (slices of `export::json`'s array) are `items`, in
/// parts. Just `bare`'s export, if its layout is not the expected one.
fn json_parts(bare: &HistoryEntry, changed: usize, items: Vec<String>) -> Vec<String> {
    let json = export::json(bare);
    if changed == 0 {
        return vec![json];
    }
    let json = json.replacen(
        "\n    \"changed\": 0,\n",
        &format!("\n    \"changed\": {changed},\n"),
        1,
    );
    let Some((head, tail)) = json.split_once(JSON_CHANGED_EMPTY) else {
        return vec![json];
    };
    let mut parts = Vec::with_capacity(items.len() * 2 + 2);
    parts.push(format!("{head}{JSON_CHANGED}\n"));
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            parts.push(",\n".to_owned());
        }
        parts.push(item);
    }
    parts.push(format!("{JSON_CLOSE}{tail}"));
    parts
}

impl ExportSteps {
    /// Starts an export of `entry` (the Markdown in `tr`'s language).
    pub fn new(entry: Arc<HistoryEntry>, format: ExportFormat, tr: Tr) -> Self {
        Self {
            entry,
            format,
            md: Markers::new(&tr),
            tr,
            next: 0,
            first: Vec::new(),
            second: Vec::new(),
        }
    }

    /// Exports up to `tools` more changed tools; `true` when all are done.
    pub fn step(&mut self, tools: usize) -> bool {
        let all = &self.entry.changed;
        let end = (self.next + tools.max(1)).min(all.len());
        let slice = HistoryEntry {
            changed: all.get(self.next..end).unwrap_or_default().to_vec(),
            ..HistoryEntry::default()
        };
        if !slice.changed.is_empty() {
            match self.format {
                ExportFormat::Markdown => {
                    let md = export::markdown(&self.tr, &slice);
                    let m = &self.md;
                    for (from, to, out) in [
                        (&m.breaking, &m.new, &mut self.first),
                        (&m.compatible, &m.cache, &mut self.second),
                    ] {
                        if let Some(body) = between(&md, from, to).filter(|b| *b != m.none) {
                            out.push(body.to_owned());
                        }
                    }
                }
                ExportFormat::Json => {
                    let json = export::json(&slice);
                    if let Some(items) = between(&json, &format!("{JSON_CHANGED}\n"), JSON_CLOSE) {
                        self.first.push(items.to_owned());
                    }
                }
            }
        }
        self.next = end;
        self.next >= all.len()
    }

    /// The export in parts whose concatenation is [`ExportSteps::finish`]'s text
    /// (so a download can be assembled by the browser without one huge string).
    pub fn finish_parts(self) -> Vec<String> {
        match self.format {
            ExportFormat::Markdown => vec![self.finish()],
            ExportFormat::Json => {
                let ExportSteps { entry, first, .. } = self;
                let bare = HistoryEntry {
                    new_tools: entry.new_tools.clone(),
                    removed_tools: entry.removed_tools.clone(),
                    ..shell(&entry)
                };
                json_parts(&bare, entry.changed.len(), first)
            }
        }
    }

    /// The export (call when `step` said done). Falls back to exporting in one go
    /// if the one-go layout ever stops matching what is spliced here.
    pub fn finish(self) -> String {
        let e = &self.entry;
        // The entry without its changes, but with as many (empty) changed tools,
        // so its counts are right.
        let bare = HistoryEntry {
            new_tools: e.new_tools.clone(),
            removed_tools: e.removed_tools.clone(),
            ..shell(e)
        };
        let spliced = match self.format {
            ExportFormat::Markdown => {
                let bare = HistoryEntry {
                    changed: e
                        .changed
                        .iter()
                        .map(|t| ToolChange {
                            name: t.name.clone(),
                            changes: Vec::new(),
                        })
                        .collect(),
                    ..bare
                };
                let md = export::markdown(&self.tr, &bare);
                let m = &self.md;
                between(&md, &m.breaking, &m.new).and_then(|removed| {
                    let mut breaking: String = if removed == m.none {
                        String::new()
                    } else {
                        removed.to_owned()
                    };
                    breaking.extend(self.first.iter().map(String::as_str));
                    let compatible: String = self.second.concat();
                    let or_none = |s: String| if s.is_empty() { m.none.clone() } else { s };
                    let md = replace_between(&md, &m.breaking, &m.new, &or_none(breaking))?;
                    replace_between(&md, &m.compatible, &m.cache, &or_none(compatible))
                })
            }
            ExportFormat::Json => {
                Some(json_parts(&bare, e.changed.len(), self.first.clone()).concat())
            }
        };
        spliced.unwrap_or_else(|| match self.format {
            ExportFormat::Markdown => export::markdown(&self.tr, e),
            ExportFormat::Json => export::json(e),
        })
    }
}
