//! The reviewed baseline: the tool set a person looked at and signed off, kept as
//! hashes, and what changed since.
//!
//! A tool's hash is SHA-256 of its canonical JSON ([`canonical_json`]: keys sorted,
//! no white space), written as 32 hex digits (128 bits); the set's hash is SHA-256
//! of every `name`, tab, tool hash, line feed, in name order, as 64 hex digits.
//! The per-tool hashes are kept only for sets of at most [`MAX_LISTED`] tools (so a
//! 100,000-tool configuration does not fill the browser's storage): larger sets
//! can say *that* they changed since the review, not which tools.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::tools::{canonical_json, ToolDef};

/// Tools whose hashes a baseline lists one by one.
pub const MAX_LISTED: usize = 2_000;

/// The hash of one definition.
pub fn tool_hash(tool: &ToolDef) -> String {
    let digest = Sha256::digest(canonical_json(&tool.to_value()).as_bytes());
    hex(digest.get(..16).unwrap_or_default())
}

/// The hash of a tool set, from each tool's name and hash (any order; names unique).
pub fn set_hash<'a>(tools: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut sorted: Vec<(&str, &str)> = tools.into_iter().collect();
    sorted.sort_unstable();
    let mut h = Sha256::new();
    for (name, hash) in sorted {
        h.update(name.as_bytes());
        h.update(b"\t");
        h.update(hash.as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What a person signed off: the set's hash, when, and (for sets of at most
/// [`MAX_LISTED`] tools) each tool's hash. Serialized with camelCase keys, as kept
/// in storage and as the widget's `reviewedBaseline` option and
/// `connector-refresh:reviewed` event carry it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    /// The configuration reviewed.
    pub configuration_id: String,
    /// The set's hash ([`set_hash`]).
    pub hash: String,
    /// When it was marked reviewed (RFC 3339).
    pub reviewed_at: String,
    /// How many tools the set had.
    pub tool_count: usize,
    /// Each tool's hash, by name (absent for larger sets).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<BTreeMap<String, String>>,
}

impl Baseline {
    /// The baseline of the set `hashes` (tool name → hash), reviewed at `reviewed_at`.
    pub fn of(
        configuration_id: &str,
        hashes: &BTreeMap<String, String>,
        reviewed_at: String,
    ) -> Self {
        Baseline {
            configuration_id: configuration_id.to_owned(),
            hash: set_hash(hashes.iter().map(|(n, h)| (n.as_str(), h.as_str()))),
            reviewed_at,
            tool_count: hashes.len(),
            tools: (hashes.len() <= MAX_LISTED).then(|| hashes.clone()),
        }
    }

    /// Whether it is well formed: a 64-hex-digit hash, and per-tool hashes (when
    /// listed) of 32 hex digits that give the set's hash.
    pub fn is_valid(&self) -> bool {
        let hexes = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_hexdigit());
        hexes(&self.hash, 64)
            && self.tools.as_ref().is_none_or(|t| {
                t.values().all(|h| hexes(h, 32))
                    && t.len() == self.tool_count
                    && set_hash(t.iter().map(|(n, h)| (n.as_str(), h.as_str()))) == self.hash
            })
    }

    /// What changed between this baseline and the set `now` (name → hash).
    pub fn compare(&self, now: &BTreeMap<String, String>) -> SinceReviewed {
        self.compare_hashed(
            now,
            &set_hash(now.iter().map(|(n, h)| (n.as_str(), h.as_str()))),
        )
    }

    /// [`Baseline::compare`] when the set's hash `now_hash` is known already.
    pub fn compare_hashed(&self, now: &BTreeMap<String, String>, now_hash: &str) -> SinceReviewed {
        let same = now_hash == self.hash;
        let mut out = SinceReviewed {
            same,
            listed: self.tools.is_some(),
            ..SinceReviewed::default()
        };
        let Some(before) = &self.tools else {
            return out;
        };
        if same {
            return out;
        }
        for (name, hash) in now {
            match before.get(name) {
                None => out.added.push(name.clone()),
                Some(h) if h != hash => out.changed.push(name.clone()),
                Some(_) => {}
            }
        }
        out.removed = before
            .keys()
            .filter(|n| !now.contains_key(*n))
            .cloned()
            .collect();
        out
    }
}

/// The tool set now against the reviewed one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SinceReviewed {
    /// Nothing changed since the review.
    pub same: bool,
    /// The baseline listed its tools, so the names below are known.
    pub listed: bool,
    /// Tools added since, sorted.
    pub added: Vec<String>,
    /// Tools removed since, sorted.
    pub removed: Vec<String>,
    /// Tools whose definition changed since, sorted.
    pub changed: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn set(tools: &[ToolDef]) -> BTreeMap<String, String> {
        tools
            .iter()
            .map(|t| (t.name.clone(), tool_hash(t)))
            .collect()
    }

    #[test]
    fn hashes_ignore_key_order_and_see_every_character() {
        let a = ToolDef::from_value(
            &json!({"name":"t","description":"d","inputSchema":{"type":"object","properties":{}}}),
        )
        .unwrap();
        let b = ToolDef::from_value(
            &json!({"inputSchema":{"properties":{},"type":"object"},"description":"d","name":"t"}),
        )
        .unwrap();
        assert_eq!(tool_hash(&a), tool_hash(&b));
        let c = ToolDef {
            description: Some("d\u{200B}".into()),
            ..a.clone()
        };
        assert_ne!(tool_hash(&a), tool_hash(&c));
        assert_eq!(tool_hash(&a).len(), 32);
        // A known answer: SHA-256 of the empty set is SHA-256 of nothing.
        assert_eq!(
            set_hash([]),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn compare_lists_what_changed_since_the_review() {
        let t1 = ToolDef {
            description: Some("one".into()),
            ..ToolDef::named("a")
        };
        let t2 = ToolDef::named("b");
        let base = Baseline::of(
            "c",
            &set(&[t1.clone(), t2.clone()]),
            "2026-12-01T00:00:00Z".into(),
        );
        assert!(base.is_valid());
        assert!(base.compare(&set(&[t2.clone(), t1.clone()])).same);
        let t1b = ToolDef {
            description: Some("one, then more".into()),
            ..t1
        };
        let since = base.compare(&set(&[t1b, ToolDef::named("c")]));
        assert!(!since.same && since.listed);
        assert_eq!(since.changed, vec!["a"]);
        assert_eq!(since.added, vec!["c"]);
        assert_eq!(since.removed, vec!["b"]);
    }

    #[test]
    fn large_sets_keep_only_the_set_hash() {
        let many: BTreeMap<String, String> = (0..=MAX_LISTED)
            .map(|i| (format!("t{i}"), tool_hash(&ToolDef::named(format!("t{i}")))))
            .collect();
        let base = Baseline::of("c", &many, "2026-12-01T00:00:00Z".into());
        assert!(base.tools.is_none() && base.is_valid());
        let mut fewer = many.clone();
        fewer.remove("t0");
        let since = base.compare(&fewer);
        assert!(!since.same && !since.listed && since.removed.is_empty());
    }

    #[test]
    fn a_tampered_baseline_is_not_valid() {
        let mut base = Baseline::of("c", &set(&[ToolDef::named("a")]), "x".into());
        base.hash = "0".repeat(64);
        assert!(!base.is_valid());
        let json = r#"{"configurationId":"c","hash":"zz","reviewedAt":"x","toolCount":0}"#;
        let read: Baseline = serde_json::from_str(json).unwrap();
        assert!(!read.is_valid());
    }
}
