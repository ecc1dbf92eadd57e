//! [`DecodeSteps`]: the tool-definitions answer decoded one tool at a time.
//!
//! serde_json reads the body once as raw JSON ([`RawValue`]): the list of tools
//! is cut into its entries' texts without building them, everything around it is
//! parsed as usual, and each step parses a few entries.
//!
//! One difference from the one-go decode is left on purpose: serde_json refuses
//! JSON nested 128 deep, and an entry parsed on its own has the list's one to
//! three enclosing levels to spare, so a tool nested 124 to 126 levels deep is
//! read here where `decode_tools` calls the whole answer malformed.

use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::core::error::{ApiError, Body};
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
    /// The list's entries, each as its JSON text.
    items: Vec<Box<RawValue>>,
    next: usize,
    tools: Vec<ToolDef>,
    /// An entry did not parse: `decode_tools` says why, at the end.
    invalid: bool,
}

impl DecodeSteps {
    /// Finds the list in `reply` (one pass over the body, no values built for the
    /// list's entries); the entries are read by [`DecodeSteps::step`].
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
        for item in r.items.get(r.next..end).unwrap_or_default() {
            // The raw pass checked the syntax only: numbers out of range or nesting
            // too deep fail here.
            match serde_json::from_str::<Value>(item.get()) {
                Ok(v) => r.tools.extend(ToolDef::from_value(&v)),
                Err(_) => r.invalid = true,
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

/// The entries of the tool list, when `reply` is a 2xx answer whose body is valid
/// JSON in one of `decode_tools`' shapes without `"success": false`; `None` for
/// anything else (then `decode_tools` decides). Every value outside the list is
/// parsed, so what passes here is what `decode_tools` accepts.
fn outline(reply: &HttpReply) -> Option<Vec<Box<RawValue>>> {
    if !reply.is_success() {
        return None;
    }
    let text = Body::trimmed(std::str::from_utf8(&reply.body).ok()?);
    if text.starts_with('[') {
        return serde_json::from_str(text).ok();
    }
    let top = Members::parse(text)?;
    // The first of "tools", "data", "result" that is an array, or an object
    // holding a "tools" or "data" array (as `tools::tool_list`).
    for key in ["tools", "data", "result"] {
        let Some(value) = top.get(key) else {
            continue;
        };
        let list = if is_array(value) {
            value
        } else if value.get().starts_with('{') {
            let inner = Members::parse(value.get())?;
            let Some((inner_key, list)) = ["tools", "data"]
                .into_iter()
                .find_map(|k| inner.get(k).filter(|v| is_array(v)).map(|v| (k, v)))
            else {
                continue;
            };
            inner.values_except(inner_key)?;
            list
        } else {
            continue;
        };
        let rest = Value::Object(top.values_except(key)?);
        if boolean(&rest, &["success"]) == Some(false) {
            return None;
        }
        return serde_json::from_str(list.get()).ok();
    }
    None
}

fn is_array(v: &RawValue) -> bool {
    v.get().starts_with('[')
}

/// A JSON object's members in the order written, their values as raw JSON.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'a> Members<'a> {
    /// The object `text`; `None` when it is not one, or repeats a key (serde_json
    /// keeps the last; rather than follow that, the whole answer goes to
    /// `decode_tools`).
    fn parse(text: &'a str) -> Option<Self> {
        let members: Self = serde_json::from_str(text).ok()?;
        let mut keys: Vec<&str> = members.0.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        (keys.len() == before).then_some(members)
    }

    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// Every member but `skip`, parsed; `None` when one does not parse.
    fn values_except(&self, skip: &str) -> Option<Map<String, Value>> {
        self.0
            .iter()
            .filter(|(k, _)| k != skip)
            .map(|(k, v)| Some((k.clone(), serde_json::from_str(v.get()).ok()?)))
            .collect()
    }
}

/// Written against serde's map interface: a map type would keep only the last of
/// repeated keys, and [`Members::parse`] must see them.
impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;

        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }

        deserializer.deserialize_map(MembersVisitor)
    }
}
