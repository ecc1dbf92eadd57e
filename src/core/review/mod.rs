//! The safety review of a refresh: which new or changed tool definitions *need
//! review* (a third class beside breaking and compatible), with the reason in words
//! and the offending text quoted.
//!
//! A heuristic that flags for a human, not a guarantee. It looks at what a refresh
//! brought (added tools, changed tools, tools back after a removal) for:
//! - text added to a title or description (the tool's or any schema property's)
//!   that addresses the model ([`rules`]): reading secrets, calling other tools,
//!   hiding things from the user, overriding instructions, `<IMPORTANT>` tags;
//! - a URL, e-mail address or domain the definition did not have before ([`links`]);
//! - invisible characters anywhere in the definition ([`chars`]), shown escaped;
//! - a new name confusable with another tool's, or outside the MCP guidance ([`names`]);
//! - a tool that stopped being read-only or became destructive, reading absent
//!   annotations with the MCP defaults;
//! - a tool that comes back with a definition other than the one it had when the
//!   history last saw it removed.
//!
//! [`baseline`] keeps the set a person signed off; `core::word_diff` shows changed
//! texts word by word.

pub mod baseline;
pub mod chars;
pub mod links;
pub mod names;
pub mod rules;
pub mod steps;

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::core::i18n::{Tr, K};
pub use crate::core::tools::hint_default;
use crate::core::tools::{hint, ToolDef};

pub use rules::RuleId;
pub use steps::{Review, ReviewSteps};

/// Flags kept per tool (the rest are counted, not listed).
pub const MAX_FLAGS_PER_TOOL: usize = 12;
/// Characters of quoted text each side of what was found.
const QUOTE_RADIUS: usize = 120;
/// How deep a definition is walked for texts.
const MAX_DEPTH: usize = 64;

/// Why a tool needs review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Reason {
    /// New text that addresses the model (which rule, the sentence).
    Instruction {
        /// The rule it breaks.
        rule: RuleId,
        /// The sentence, as sent (invisible characters escaped).
        quote: String,
    },
    /// A URL, e-mail address or domain the definition did not have before.
    NewLink {
        /// The link, lower-cased.
        link: String,
    },
    /// Invisible characters.
    Invisible {
        /// Which, as `U+…`.
        chars: Vec<String>,
        /// The text around the first one, escaped.
        quote: String,
    },
    /// A new tool named like an existing one.
    Confusable {
        /// The existing name it can be taken for.
        like: String,
    },
    /// A name outside the MCP guidance.
    NameOutsideGuidance {
        /// The characters outside it (`U+…` and the character), empty when only
        /// the length is wrong.
        chars: Vec<String>,
    },
    /// `readOnlyHint` went from true to false or absent.
    NoLongerReadOnly,
    /// `destructiveHint` went from false to true or absent.
    NowDestructive,
    /// The tool was removed earlier and is back with another definition.
    Returned {
        /// When the history saw it removed (RFC 3339).
        removed_at: String,
    },
}

/// One reason one tool needs review, and where in the definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Flag {
    /// The tool.
    pub tool: String,
    /// Where: `description`, `inputSchema.properties.notes.description`, `name`, …
    pub path: String,
    /// Why.
    pub reason: Reason,
}

impl Flag {
    /// The reason in words, quoting what was found.
    pub fn message(&self, tr: &Tr) -> String {
        let p = || ("path", self.path.as_str().into());
        match &self.reason {
            Reason::Instruction { rule, quote } => tr.f(
                match rule {
                    RuleId::Secrets => K::ReviewSecrets,
                    RuleId::ToolCalls => K::ReviewToolCalls,
                    RuleId::Conceal => K::ReviewConceal,
                    RuleId::Override => K::ReviewOverride,
                    RuleId::Tag => K::ReviewTag,
                },
                &[p(), ("quote", quote.as_str().into())],
            ),
            Reason::NewLink { link } => {
                tr.f(K::ReviewNewLink, &[p(), ("link", link.as_str().into())])
            }
            Reason::Invisible { chars, quote } => tr.f(
                K::ReviewInvisible,
                &[
                    p(),
                    ("chars", chars.join(", ").into()),
                    ("quote", quote.as_str().into()),
                ],
            ),
            Reason::Confusable { like } => tr.f(
                K::ReviewConfusable,
                &[
                    ("name", self.tool.as_str().into()),
                    ("like", like.as_str().into()),
                ],
            ),
            Reason::NameOutsideGuidance { chars } if chars.is_empty() => tr.f(
                K::ReviewNameLength,
                &[("n", self.tool.chars().count().into())],
            ),
            Reason::NameOutsideGuidance { chars } => {
                tr.f(K::ReviewNameChars, &[("chars", chars.join(", ").into())])
            }
            Reason::NoLongerReadOnly => tr.t(K::ReviewNoLongerReadOnly),
            Reason::NowDestructive => tr.t(K::ReviewNowDestructive),
            Reason::Returned { removed_at } => {
                tr.f(K::ReviewReturned, &[("at", removed_at.as_str().into())])
            }
        }
    }
}

/// Every `title` and `description` text of a definition with its path: the tool's
/// own and those anywhere in its schemas.
pub fn texts(tool: &ToolDef) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    if let Some(t) = &tool.title {
        out.push(("title".to_owned(), t.as_str()));
    }
    if let Some(d) = &tool.description {
        out.push(("description".to_owned(), d.as_str()));
    }
    for (root, schema) in [
        ("inputSchema", &tool.input_schema),
        ("outputSchema", &tool.output_schema),
    ] {
        if let Some(s) = schema {
            schema_texts(s, root.to_owned(), 0, &mut out);
        }
    }
    out
}

fn schema_texts<'a>(v: &'a Value, path: String, depth: usize, out: &mut Vec<(String, &'a str)>) {
    if depth > MAX_DEPTH {
        return;
    }
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("title" | "description", Value::String(s)) => {
                        out.push((format!("{path}.{k}"), s))
                    }
                    _ => schema_texts(x, format!("{path}.{k}"), depth + 1, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                schema_texts(x, format!("{path}.{i}"), depth + 1, out);
            }
        }
        _ => {}
    }
}

/// Every string of a definition (keys included) with its path.
fn strings(tool: &ToolDef) -> Vec<(String, String)> {
    fn walk(v: &Value, path: &str, depth: usize, out: &mut Vec<(String, String)>) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::String(s) => out.push((path.to_owned(), s.clone())),
            Value::Object(m) => {
                for (k, x) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    out.push((p.clone(), k.clone()));
                    walk(x, &p, depth + 1, out);
                }
            }
            Value::Array(items) => {
                for (i, x) in items.iter().enumerate() {
                    walk(x, &format!("{path}.{i}"), depth + 1, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&tool.to_value(), "", 0, &mut out);
    out
}

/// What `before` → `after` (or a new tool, `before` = `None`) needs reviewed, in
/// definition order, at most [`MAX_FLAGS_PER_TOOL`].
pub fn review_tool(before: Option<&ToolDef>, after: &ToolDef) -> Vec<Flag> {
    let mut out = Vec::new();
    let flag = |path: &str, reason: Reason| Flag {
        tool: after.name.clone(),
        path: path.to_owned(),
        reason,
    };
    // New sentences that address the model. A sentence is new when the definition
    // had no equal one before (trimmed, compared as written: borrowed, not copied,
    // so a 1 MB description costs no allocation per sentence).
    let before_texts = before.map(texts).unwrap_or_default();
    let old: HashSet<&str> = before_texts
        .iter()
        .flat_map(|(_, t)| {
            rules::sentences(t)
                .into_iter()
                .filter_map(move |(s, e)| t.get(s..e))
        })
        .collect();
    for (path, text) in texts(after) {
        for (s, e) in rules::sentences(text) {
            let Some(sentence) = text.get(s..e) else {
                continue;
            };
            if old.contains(sentence) {
                continue;
            }
            for rule in rules::broken(sentence) {
                out.push(flag(
                    &path,
                    Reason::Instruction {
                        rule,
                        quote: quote(sentence),
                    },
                ));
            }
        }
    }
    let after_strings = strings(after);
    // Links the definition did not have.
    let old_links: HashSet<String> = before
        .map(|b| {
            strings(b)
                .iter()
                .flat_map(|(_, s)| links::links(s))
                .collect()
        })
        .unwrap_or_default();
    let mut seen = HashSet::new();
    for (path, s) in &after_strings {
        for link in links::links(s) {
            if !old_links.contains(&link) && seen.insert(link.clone()) {
                out.push(flag(path, Reason::NewLink { link }));
            }
        }
    }
    // Invisible characters, anywhere.
    for (path, s) in &after_strings {
        if let Some((found, quote)) = chars::invisible_in(s, QUOTE_RADIUS / 3) {
            out.push(flag(
                if path.is_empty() { "name" } else { path },
                Reason::Invisible {
                    chars: found,
                    quote,
                },
            ));
        }
    }
    // Annotations read with the MCP defaults.
    if let Some(b) = before {
        let (was, now) = (Hints::of(b), Hints::of(after));
        if was.read_only && !now.read_only {
            out.push(flag("annotations.readOnlyHint", Reason::NoLongerReadOnly));
        } else if !now.read_only && !was.destructive && now.destructive {
            out.push(flag("annotations.destructiveHint", Reason::NowDestructive));
        }
    }
    out.truncate(MAX_FLAGS_PER_TOOL);
    out
}

/// A sentence as quoted: invisible characters escaped, cut after
/// 2 × [`QUOTE_RADIUS`] characters with "…".
fn quote(sentence: &str) -> String {
    let mut cut = sentence
        .char_indices()
        .nth(2 * QUOTE_RADIUS)
        .map_or(sentence.len(), |(i, _)| i);
    while !sentence.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut q = chars::escaped(&sentence[..cut]);
    if cut < sentence.len() {
        q.push('…');
    }
    q
}

/// The annotations that matter to the review, absent ones read with the MCP
/// defaults (`readOnlyHint` false, `destructiveHint` true, `idempotentHint` false,
/// `openWorldHint` true). A value that is not a boolean counts as absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hints {
    /// `readOnlyHint`.
    pub read_only: bool,
    /// `destructiveHint`.
    pub destructive: bool,
}

impl Hints {
    /// The hints of `tool`.
    pub fn of(tool: &ToolDef) -> Self {
        Hints {
            read_only: hint(tool.annotations.as_ref(), "readOnlyHint").unwrap_or(false),
            destructive: hint(tool.annotations.as_ref(), "destructiveHint").unwrap_or(true),
        }
    }
}

/// Names to review: each of `added` outside the MCP guidance, or confusable with
/// another name of `known` (the names before and after the refresh).
pub fn review_names(added: &[String], skeletons: &BTreeMap<String, Vec<String>>) -> Vec<Flag> {
    let mut out = Vec::new();
    for name in added {
        if !names::follows_guidance(name) {
            out.push(Flag {
                tool: name.clone(),
                path: "name".to_owned(),
                reason: Reason::NameOutsideGuidance {
                    chars: names::outside_guidance(name),
                },
            });
        }
        let like = skeletons
            .get(&names::skeleton(name))
            .and_then(|v| v.iter().find(|n| *n != name));
        if let Some(like) = like {
            out.push(Flag {
                tool: name.clone(),
                path: "name".to_owned(),
                reason: Reason::Confusable { like: like.clone() },
            });
        }
    }
    out
}

/// The number of distinct tools among `flags`.
pub fn tools_flagged(flags: &[Flag]) -> usize {
    flags
        .iter()
        .map(|f| f.tool.as_str())
        .collect::<HashSet<_>>()
        .len()
}

#[cfg(test)]
mod tests;
