//! [`DecodeSteps`]: the tool-definitions answer decoded one tool at a time.

use serde_json::{Map, Value};

use crate::core::error::ApiError;
use crate::core::http::HttpReply;
use crate::core::json::boolean;
use crate::core::time::Instant;
use crate::core::tools::{decode_tools, ToolCatalog, ToolDef};

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
