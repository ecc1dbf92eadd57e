//! Fuzz target: the safety review on arbitrary text. The bytes are split into an
//! old and a new text (at the first 0xFF) and put in every place the review reads:
//! titles, descriptions, a property's description, an enum value, a tool name,
//! annotations. Reviewing, the word diff, the baseline hashes and every message
//! must return, never panic.
#![no_main]

use std::sync::Arc;

use connector_refresh::core::i18n::Tr;
use connector_refresh::core::review::{baseline, review_tool, ReviewSteps};
use connector_refresh::core::schema_diff::diff_catalogs;
use connector_refresh::core::tools::{ToolCatalog, ToolDef};
use connector_refresh::core::word_diff::word_diff;
use libfuzzer_sys::fuzz_target;
use serde_json::json;

fn tool(name: &str, text: &str) -> ToolDef {
    ToolDef {
        name: name.to_owned(),
        title: Some(text.chars().take(40).collect()),
        description: Some(text.to_owned()),
        input_schema: Some(json!({"type":"object","properties":{
            "p": {"type":"string","description": text, "enum": [text]}}})),
        output_schema: None,
        annotations: Some(
            json!({"readOnlyHint": text.len() % 2 == 0, "destructiveHint": text.len() % 3 == 0}),
        ),
        enabled: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0xFF).unwrap_or(data.len());
    let old = String::from_utf8_lossy(&data[..split]);
    let new = String::from_utf8_lossy(data.get(split + 1..).unwrap_or_default());
    let (before, after) = (tool("t", &old), tool("t", &new));
    let tr = Tr::english();
    for f in review_tool(Some(&before), &after)
        .iter()
        .chain(review_tool(None, &after).iter())
    {
        let _ = f.message(&tr);
    }
    let _ = word_diff(&old, &new);
    let b = ToolCatalog::from_tools(vec![before, tool(&old, "x")]);
    let a = ToolCatalog::from_tools(vec![after, tool(&new, "y")]);
    let diff = diff_catalogs(&b, &a);
    let review = ReviewSteps::run(Arc::new(b), Arc::new(a), &diff, Default::default());
    for f in &review.flags {
        let _ = f.message(&tr);
    }
    let base = baseline::Baseline::of("c", &review.hashes, String::new());
    assert!(base.is_valid());
    assert!(base.compare(&review.hashes).same);
});
