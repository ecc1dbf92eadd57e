//! Long work on large answers, cut into steps, so the page can give the browser a
//! turn between them (the caller decides when: `ui::insight` yields whenever a
//! slice of steps has taken a few tens of milliseconds).
//!
//! Owns [`DecodeSteps`] ([`decode_tools`] one tool at a time: a 3 MB answer is
//! too much JSON for one task), [`DiffSteps`]
//! ([`diff_catalogs`](super::schema_diff::diff_catalogs), one tool at a time:
//! 20,000 tools whose schemas all changed take far longer than one task may),
//! [`HistoryFit`] (how many of a huge entry's changed tools fit the history's byte
//! cap, measured one tool at a time, so that saving the entry does not search for
//! the fitting prefix by serializing it whole again and again) and [`ExportSteps`]
//! (the Markdown and JSON exports, a slice of changed tools at a time). Each gives
//! the same result as its one-go counterpart; the tests below hold them to it.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::error::ApiError;
use super::export;
use super::history::{HistoryEntry, MAX_BYTES};
use super::http::HttpReply;
use super::json::boolean;
use super::schema_diff::{diff_tool, ToolChange, ToolDiff};
use super::time::Instant;
use super::tools::{decode_tools, ToolCatalog, ToolDef};

// ------------------------------------------------------------------ decoding

/// [`decode_tools`] in steps. Answers that are not a 2xx JSON list of tools in one
/// of the accepted shapes (errors, HTML, invalid JSON, `"success": false`, …) are
/// decoded in one go by `decode_tools` itself: they are small, or fail early.
pub enum DecodeSteps {
    /// Decoded already (not the common shape, or nothing to step through).
    Done(Result<ToolCatalog, ApiError>),
    /// The tools still to be read.
    Reading(Box<Reading>),
}

/// The state of a stepwise decode.
pub struct Reading {
    reply: HttpReply,
    /// Byte ranges of the list's entries in the body.
    items: Vec<(usize, usize)>,
    next: usize,
    tools: Vec<ToolDef>,
    /// An entry was not valid JSON: `decode_tools` says why, at the end.
    invalid: bool,
}

impl DecodeSteps {
    /// Finds the list in `reply` (a scan of the body's outer structure, no values
    /// built); the entries are read by [`DecodeSteps::step`].
    pub fn new(reply: HttpReply, now: Instant) -> Self {
        match outline(&reply) {
            Some(items) => DecodeSteps::Reading(Box::new(Reading {
                tools: Vec::with_capacity(items.len()),
                items,
                reply,
                next: 0,
                invalid: false,
            })),
            None => DecodeSteps::Done(decode_tools(&reply, now)),
        }
    }

    /// Reads up to `tools` more entries; `true` when all are read.
    pub fn step(&mut self, tools: usize) -> bool {
        let DecodeSteps::Reading(r) = self else {
            return true;
        };
        let end = (r.next + tools.max(1)).min(r.items.len());
        let text = std::str::from_utf8(&r.reply.body).unwrap_or_default();
        for (s, e) in r.items.get(r.next..end).unwrap_or_default() {
            match text.get(*s..*e).map(serde_json::from_str::<Value>) {
                Some(Ok(v)) => r.tools.extend(ToolDef::from_value(&v)),
                _ => r.invalid = true,
            }
        }
        r.next = if r.invalid { r.items.len() } else { end };
        r.next >= r.items.len()
    }

    /// The catalog, as [`decode_tools`] would give it (call when `step` said done).
    pub fn finish(self, now: Instant) -> Result<ToolCatalog, ApiError> {
        match self {
            DecodeSteps::Done(r) => r,
            DecodeSteps::Reading(r) if r.invalid || r.next < r.items.len() => {
                decode_tools(&r.reply, now)
            }
            DecodeSteps::Reading(r) => {
                let Reading {
                    reply,
                    items,
                    tools,
                    ..
                } = *r;
                let skipped = items.len().saturating_sub(tools.len());
                let mut catalog = ToolCatalog::from_tools(tools);
                catalog.bytes = reply.body.len();
                catalog.skipped = skipped;
                Ok(catalog)
            }
        }
    }
}

/// The byte ranges of the tool list's entries, when `reply` is a 2xx answer whose
/// body is valid JSON in one of `decode_tools`' shapes without `"success": false`;
/// `None` for anything else (then `decode_tools` decides). Every value outside the
/// list is checked with serde_json, so what passes here is what `decode_tools`
/// accepts.
fn outline(reply: &HttpReply) -> Option<Vec<(usize, usize)>> {
    if !reply.is_success() {
        return None;
    }
    let text = std::str::from_utf8(&reply.body).ok()?;
    let b = text.as_bytes();
    // What Body::sniff trims: a byte-order mark and white space around.
    let mut start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    start = skip_ws(b, start);
    let end = value_end(b, start)?;
    if skip_ws(b, end) != b.len() {
        return None;
    }
    match b.get(start)? {
        b'[' => elements(b, start),
        b'{' => {
            let top = members(text, start)?;
            let small = checked(text, &top, &["tools", "data", "result"])?;
            if boolean(&small, &["success"]) == Some(false) {
                return None;
            }
            // The first of "tools", "data", "result" that is an array, or an
            // object holding a "tools" or "data" array (as `tools::tool_list`).
            for key in ["tools", "data", "result"] {
                let Some((_, (s, _))) = top.iter().find(|(k, _)| k == key) else {
                    continue;
                };
                match b.get(*s)? {
                    b'[' => return elements(b, *s),
                    b'{' => {
                        let inner = members(text, *s)?;
                        checked(text, &inner, &["tools", "data"])?;
                        for k in ["tools", "data"] {
                            if let Some((_, (s, _))) = inner.iter().find(|(n, _)| n == k) {
                                if b.get(*s) == Some(&b'[') {
                                    return elements(b, *s);
                                }
                            }
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        _ => None,
    }
}

/// Checks (by parsing) every member's value but those named in `deferred` whose
/// value is an array or object (scanned instead), and returns the checked ones as
/// an object. `None` when one is not valid JSON.
fn checked(text: &str, members: &[(String, (usize, usize))], deferred: &[&str]) -> Option<Value> {
    let mut small = Map::new();
    for (k, (s, e)) in members {
        let raw = text.get(*s..*e)?;
        if deferred.contains(&k.as_str()) && raw.starts_with(['[', '{']) {
            continue;
        }
        small.insert(k.clone(), serde_json::from_str::<Value>(raw).ok()?);
    }
    Some(Value::Object(small))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (exclusive) of the JSON value starting at `i`: strings, arrays and
/// objects are matched (the contents are checked by whoever parses them),
/// anything else runs to the next delimiter.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'[' | b'{' => {
            let mut depth = 0usize;
            let mut j = i;
            while let Some(c) = b.get(j) {
                match c {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while let Some(c) = b.get(j) {
                if matches!(c, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
}

/// The entries of the array starting at `i`, as byte ranges.
fn elements(b: &[u8], i: usize) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::new();
    let mut j = skip_ws(b, i + 1);
    if b.get(j) == Some(&b']') {
        return Some(out);
    }
    loop {
        let e = value_end(b, j)?;
        out.push((j, e));
        j = skip_ws(b, e);
        match b.get(j)? {
            b',' => j = skip_ws(b, j + 1),
            b']' => return Some(out),
            _ => return None,
        }
    }
}

/// The members of the object starting at `i`: keys (unescaped) and the byte
/// ranges of their values. `None` on a malformed object or a repeated key (serde
/// keeps the last; rather than follow that, the whole answer goes to `decode_tools`).
fn members(text: &str, i: usize) -> Option<Vec<(String, (usize, usize))>> {
    let b = text.as_bytes();
    let mut out: Vec<(String, (usize, usize))> = Vec::new();
    let mut j = skip_ws(b, i + 1);
    if b.get(j) == Some(&b'}') {
        return Some(out);
    }
    loop {
        if b.get(j) != Some(&b'"') {
            return None;
        }
        let ke = string_end(b, j)?;
        let key: String = serde_json::from_str(text.get(j..ke)?).ok()?;
        if out.iter().any(|(k, _)| *k == key) {
            return None;
        }
        j = skip_ws(b, ke);
        if b.get(j) != Some(&b':') {
            return None;
        }
        j = skip_ws(b, j + 1);
        let e = value_end(b, j)?;
        out.push((key, (j, e)));
        j = skip_ws(b, e);
        match b.get(j)? {
            b',' => j = skip_ws(b, j + 1),
            b'}' => return Some(out),
            _ => return None,
        }
    }
}

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

// ------------------------------------------------------------------ exports

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
    next: usize,
    /// Markdown: breaking lines; JSON: the changed tools' items.
    first: Vec<String>,
    /// Markdown: compatible lines.
    second: Vec<String>,
}

const MD_BREAKING: &str = "## Breaking changes\n\n";
const MD_NEW: &str = "\n## New tools\n\n";
const MD_COMPATIBLE: &str = "## Changed tools (compatible)\n\n";
const MD_CACHE: &str = "\n## Cache\n\n";
const MD_NONE: &str = "None.\n";
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
        new_tools: Vec::new(),
        removed_tools: Vec::new(),
        changed: Vec::new(),
        breaking: e.breaking,
        cached_at: e.cached_at.clone(),
        expires_at: e.expires_at.clone(),
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
    /// Starts an export of `entry`.
    pub fn new(entry: Arc<HistoryEntry>, format: ExportFormat) -> Self {
        Self {
            entry,
            format,
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
                    let md = export::markdown(&slice);
                    for (from, to, out) in [
                        (MD_BREAKING, MD_NEW, &mut self.first),
                        (MD_COMPATIBLE, MD_CACHE, &mut self.second),
                    ] {
                        if let Some(body) = between(&md, from, to).filter(|b| *b != MD_NONE) {
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
                let md = export::markdown(&bare);
                between(&md, MD_BREAKING, MD_NEW).and_then(|removed| {
                    let mut breaking: String = if removed == MD_NONE {
                        String::new()
                    } else {
                        removed.to_owned()
                    };
                    breaking.extend(self.first.iter().map(String::as_str));
                    let compatible: String = self.second.concat();
                    let or_none = |s: String| if s.is_empty() { MD_NONE.to_owned() } else { s };
                    let md = replace_between(&md, MD_BREAKING, MD_NEW, &or_none(breaking))?;
                    replace_between(&md, MD_COMPATIBLE, MD_CACHE, &or_none(compatible))
                })
            }
            ExportFormat::Json => {
                Some(json_parts(&bare, e.changed.len(), self.first.clone()).concat())
            }
        };
        spliced.unwrap_or_else(|| match self.format {
            ExportFormat::Markdown => export::markdown(e),
            ExportFormat::Json => export::json(e),
        })
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

    fn decode_both(status: u16, body: &str, step: usize) -> (String, String) {
        let reply = HttpReply::new(status, body);
        let whole = decode_tools(&reply, Instant::default());
        let mut d = DecodeSteps::new(reply, Instant::default());
        while !d.step(step) {}
        let steps = d.finish(Instant::default());
        (format!("{whole:?}"), format!("{steps:?}"))
    }

    #[test]
    fn the_stepwise_decode_equals_the_whole_one() {
        let tools = r#"[{"name":"b","inputSchema":{"type":"object","properties":{"x":{"type":"string"}}}},
            {"name":"a","description":"d \" ] } [ {"},"bare",7,{"description":"no name"},{"name":"a","title":"dup"}]"#;
        let bodies = [
            tools.to_owned(),
            format!(r#"{{"object":"list","data":{tools},"hasMore":false}}"#),
            format!(r#"  {{"tools":{tools}}}  "#),
            format!(r#"{{"data":{{"tools":{tools}}}}}"#),
            format!(r#"{{"result":{{"data":{tools},"x":1}}}}"#),
            format!(r#"{{"result":3,"data":{tools}}}"#),
            format!(r#"{{"success":true,"tools":{tools}}}"#),
            format!(r#"{{"success":"false","tools":{tools}}}"#),
            format!(r#"{{"success":false,"message":"MCP down","tools":{tools}}}"#),
            format!("\u{feff}{{\"tools\":{tools}}}"),
            format!(r#"{{"tools":{tools},"tools":[]}}"#),
            format!(r#"{{"tools":{tools},"x":nope}}"#),
            format!(r#"{{"tools":{tools}"#),
            r#"{"tools":[{"name":"a"},{"name":}]}"#.to_owned(),
            r#"{"tools":[]}"#.to_owned(),
            r#"{"tools":3}"#.to_owned(),
            r#"[]"#.to_owned(),
            r#"{}"#.to_owned(),
            r#""tools""#.to_owned(),
            String::new(),
            "<html><title>Hi</title></html>".to_owned(),
        ];
        for body in &bodies {
            for step in [1, 2, 100] {
                let (whole, steps) = decode_both(200, body, step);
                assert_eq!(steps, whole, "{body}");
            }
        }
        let (whole, steps) = decode_both(404, "", 1);
        assert_eq!(steps, whole);
        let (whole, steps) = decode_both(500, &bodies[1], 1);
        assert_eq!(steps, whole);
    }

    #[test]
    fn a_list_is_read_in_as_many_steps_as_asked() {
        let body = format!(
            "[{}]",
            (0..1000)
                .map(|i| format!(r#"{{"name":"t{i:04}"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut d = DecodeSteps::new(HttpReply::new(200, body.as_str()), Instant::default());
        let mut steps = 1;
        while !d.step(10) {
            steps += 1;
        }
        assert_eq!(steps, 100);
        let c = d.finish(Instant::default()).unwrap();
        assert_eq!(c.tools.len(), 1000);
        assert_eq!(c.bytes, body.len());
    }

    fn export_entry(changed: usize, removed: usize, new: usize) -> HistoryEntry {
        let changed = (0..changed)
            .map(|i| {
                let n = format!("tool_{i:03}");
                // every third compatible only, the rest breaking and compatible
                let b = tool(&n, "string", "old *words*");
                let a = tool(
                    &n,
                    if i % 3 == 0 { "string" } else { "integer" },
                    "new `words`",
                );
                ToolChange {
                    name: n,
                    changes: diff_tool(&b, &a),
                }
            })
            .collect::<Vec<_>>();
        HistoryEntry {
            id: "c-1-0".into(),
            configuration_id: "c".into(),
            configuration_name: Some("Team # [x]".into()),
            at: 1_700_000_000_000,
            duration_ms: 1500,
            ok: true,
            tools_discovered: Some(9),
            previous_tool_count: Some(7),
            new_tools: (0..new).map(|i| format!("new_{i}")).collect(),
            removed_tools: (0..removed).map(|i| format!("gone_{i}")).collect(),
            breaking: removed + changed.iter().filter(|c| c.is_breaking()).count(),
            changed,
            cached_at: Some("2026-01-01T00:00:00Z".into()),
            expires_at: None,
            ..HistoryEntry::default()
        }
    }

    #[test]
    fn the_stepwise_exports_equal_the_whole_ones() {
        let only_compatible = HistoryEntry {
            changed: export_entry(9, 0, 0)
                .changed
                .into_iter()
                .filter(|t| !t.is_breaking())
                .collect(),
            ..export_entry(0, 0, 0)
        };
        for entry in [
            export_entry(0, 0, 0),
            export_entry(0, 2, 3),
            export_entry(1, 0, 0),
            export_entry(25, 0, 0),
            export_entry(25, 4, 2),
            only_compatible,
        ] {
            let entry = Arc::new(entry);
            for step in [1, 4, 1000] {
                for format in [ExportFormat::Markdown, ExportFormat::Json] {
                    let mut x = ExportSteps::new(entry.clone(), format);
                    while !x.step(step) {}
                    let whole = match format {
                        ExportFormat::Markdown => export::markdown(&entry),
                        ExportFormat::Json => export::json(&entry),
                    };
                    assert_eq!(
                        x.finish(),
                        whole,
                        "{format:?}, steps of {step}, {} changed",
                        entry.changed.len()
                    );
                }
            }
        }
    }
}
