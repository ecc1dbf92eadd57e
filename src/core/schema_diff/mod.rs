//! What changed between two tool catalogs, field by field, and whether each change
//! can break an existing caller.
//!
//! Owns [`diff_catalogs`] (added / removed / changed / unchanged tools, with every
//! field-level [`Change`] classified breaking or compatible and explained in words).
//! Where the refresh answer's own new/removed lists disagree with such a diff is
//! [`crate::core::warnings`]' business.
//!
//! The rules, from a caller's point of view: anything that can make a call that
//! worked yesterday fail today is *breaking* — a new required input, a removed
//! input, an input whose type no longer accepts what it did, an input that became
//! required, enum values an input no longer accepts, an output property removed or
//! retyped, a tool that stopped being read-only or became destructive, a tool that
//! was removed or disabled. Everything else is *compatible*. Schemas are walked
//! recursively (nested object `properties` and array `items`), so a nested required
//! field is found too; `type` may be a string or a list, compared as a set.

mod change;
mod schema;
mod steps;
mod tool;
mod words;

use std::sync::Arc;

pub use change::{Change, ChangeKind, TextChange, ToolChange, ToolDiff, MAX_TEXT};
pub use steps::DiffSteps;
pub use tool::diff_tool;

use super::tools::ToolCatalog;

/// Compares two catalogs. Never fails; catalogs need not be sorted (of several tools
/// with one name, the first counts). Added, removed and unchanged names sorted;
/// changed tools breaking first, then by name.
pub fn diff_catalogs(before: &ToolCatalog, after: &ToolCatalog) -> ToolDiff {
    let mut steps = DiffSteps::new(Arc::new(before.clone()), Arc::new(after.clone()));
    while !steps.step(usize::MAX) {}
    steps.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::tools::ToolDef;
    use serde_json::json;
    use serde_json::Value;

    fn tool(input: Value) -> ToolDef {
        ToolDef {
            name: "t".into(),
            input_schema: Some(input),
            ..ToolDef::default()
        }
    }

    #[test]
    fn nested_required_field_is_found() {
        let b = tool(
            json!({"type":"object","properties":{"filter":{"type":"object","properties":{"a":{"type":"string"}}}}}),
        );
        let a = tool(
            json!({"type":"object","properties":{"filter":{"type":"object","properties":{"a":{"type":"string"},
            "status":{"type":"string"}},"required":["status"]}}}),
        );
        let changes = diff_tool(&b, &a);
        assert_eq!(changes.len(), 1);
        assert_eq!(
            changes[0].path,
            "inputSchema.properties.filter.properties.status"
        );
        assert_eq!(changes[0].kind, ChangeKind::InputAdded { required: true });
        assert!(changes[0].breaking);
        assert!(changes[0].reason.contains("filter.status"));
    }

    #[test]
    fn type_lists_compare_as_sets_and_widening_is_compatible() {
        let b = tool(json!({"properties":{"x":{"type":["string","null"]}}}));
        let a = tool(json!({"properties":{"x":{"type":["null","string"]}}}));
        assert!(diff_tool(&b, &a).is_empty());
        let wider = tool(json!({"properties":{"x":{"type":["null","string","integer"]}}}));
        let c = diff_tool(&b, &wider);
        assert_eq!(c.len(), 1);
        assert!(!c[0].breaking);
        let c = diff_tool(&wider, &b);
        assert!(c[0].breaking);
    }

    #[test]
    fn breaking_changes_sort_first() {
        let b = ToolDef {
            description: Some("a".into()),
            ..tool(json!({"properties":{"x":{}}}))
        };
        let a = ToolDef {
            description: Some("b".into()),
            ..tool(json!({"properties":{}}))
        };
        let c = diff_tool(&b, &a);
        assert_eq!(c.len(), 2);
        assert!(c[0].breaking);
        assert_eq!(c[1].kind, ChangeKind::DescriptionChanged);
    }

    #[test]
    fn change_kind_round_trips_through_json() {
        for k in [
            ChangeKind::TitleChanged,
            ChangeKind::InputAdded { required: true },
            ChangeKind::EnumValuesRemoved(vec!["a".into()]),
            ChangeKind::AnnotationChanged {
                name: "x".into(),
                from: None,
                to: Some("true".into()),
            },
        ] {
            let s = serde_json::to_string(&k).unwrap();
            assert!(s.contains(k.name()), "{s}");
            assert_eq!(serde_json::from_str::<ChangeKind>(&s).unwrap(), k);
        }
    }

    #[test]
    fn change_kind_rejects_what_it_cannot_read_and_ignores_unknown_fields() {
        for bad in [
            r#"{"type":"nope"}"#,
            r#"{"detail":{}}"#,
            r#"{"type":"inputAdded"}"#,
            r#"{"type":"inputAdded","detail":{"required":"yes"}}"#,
            r#"{"type":"inputTypeChanged","detail":{"from":"a"}}"#,
            r#"{"type":"enumValuesAdded","detail":["a",1]}"#,
            r#"{"type":"annotationChanged","detail":{"name":"x","from":3}}"#,
            r#"{"type":"enabledChanged","detail":{"to":"false"}}"#,
            r#"[]"#,
        ] {
            assert!(serde_json::from_str::<ChangeKind>(bad).is_err(), "{bad}");
        }
        let k: ChangeKind = serde_json::from_str(
            r#"{"type":"annotationChanged","detail":{"name":"x","from":null}}"#,
        )
        .unwrap();
        assert_eq!(
            k,
            ChangeKind::AnnotationChanged {
                name: "x".into(),
                from: None,
                to: None
            }
        );
        let k: ChangeKind = serde_json::from_str(
            r#"{"type":"inputAdded","detail":{"required":true,"extra":1},"more":2}"#,
        )
        .unwrap();
        assert_eq!(k, ChangeKind::InputAdded { required: true });
    }
}
