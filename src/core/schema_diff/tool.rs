//! Walking one tool: its title, description, `enabled` flag, input and output
//! schemas and annotations, collecting every [`Change`] in schema order.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::change::{change, Change, ChangeKind, TextChange};
use super::schema::{display, node};
use super::words::{english, Part, Side};
use crate::core::i18n::K;
use crate::core::tools::{canonical_json, hint_default, ToolDef};

/// Every difference between two definitions of one tool, breaking ones first.
pub fn diff_tool(before: &ToolDef, after: &ToolDef) -> Vec<Change> {
    let mut out = Vec::new();
    if before.title != after.title {
        let reason = match (&before.title, &after.title) {
            (None, Some(t)) => english(K::SchemaTitleAdded, &[("title", Part::Plain(t.clone()))]),
            (Some(_), None) => english(K::SchemaTitleRemoved, &[]),
            (Some(f), Some(t)) => english(
                K::SchemaTitleReworded,
                &[
                    ("from", Part::Plain(f.clone())),
                    ("to", Part::Plain(t.clone())),
                ],
            ),
            (None, None) => english(K::SchemaTitleChanged, &[]),
        };
        let mut c = change("title", ChangeKind::TitleChanged, false, reason);
        c.text = Some(TextChange::new(
            before.title.as_deref(),
            after.title.as_deref(),
        ));
        out.push(c);
    }
    if before.description != after.description {
        let key = match (&before.description, &after.description) {
            (None, Some(_)) => K::SchemaDescriptionAdded,
            (Some(_), None) => K::SchemaDescriptionRemoved,
            _ => K::SchemaDescriptionChanged,
        };
        let mut c = change(
            "description",
            ChangeKind::DescriptionChanged,
            false,
            english(key, &[]),
        );
        c.text = Some(TextChange::new(
            before.description.as_deref(),
            after.description.as_deref(),
        ));
        out.push(c);
    }
    if before.enabled != after.enabled {
        let breaking = after.enabled == Some(false);
        let reason = if breaking {
            english(K::SchemaDisabled, &[])
        } else {
            english(
                K::SchemaEnabledChanged,
                &[
                    ("from", Part::Flag(before.enabled)),
                    ("to", Part::Flag(after.enabled)),
                ],
            )
        };
        out.push(change(
            "enabled",
            ChangeKind::EnabledChanged {
                from: before.enabled,
                to: after.enabled,
            },
            breaking,
            reason,
        ));
    }
    schema(
        &mut out,
        Side::Input,
        before.input_schema.as_ref(),
        after.input_schema.as_ref(),
    );
    schema(
        &mut out,
        Side::Output,
        before.output_schema.as_ref(),
        after.output_schema.as_ref(),
    );
    annotations(
        &mut out,
        before.annotations.as_ref(),
        after.annotations.as_ref(),
    );
    // Breaking first; within each group the schema order is kept.
    let (mut breaking, compatible): (Vec<Change>, Vec<Change>) =
        out.into_iter().partition(|c| c.breaking);
    breaking.extend(compatible);
    breaking
}

fn schema(out: &mut Vec<Change>, side: Side, before: Option<&Value>, after: Option<&Value>) {
    let root = side.root();
    let (published, unpublished) = match side {
        Side::Input => (K::SchemaInputPublished, K::SchemaInputUnpublished),
        Side::Output => (K::SchemaOutputPublished, K::SchemaOutputUnpublished),
    };
    match (before, after) {
        (None, None) => {}
        (None, Some(_)) => out.push(change(
            root,
            ChangeKind::SchemaOtherChanged,
            false,
            english(published, &[]),
        )),
        (Some(_), None) => out.push(change(
            root,
            ChangeKind::SchemaOtherChanged,
            false,
            english(unpublished, &[]),
        )),
        (Some(b), Some(a)) => node(out, side, root, "", b, a, 0),
    }
}

fn annotations(out: &mut Vec<Change>, before: Option<&Value>, after: Option<&Value>) {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let keys: BTreeSet<&str> = b.keys().chain(a.keys()).map(String::as_str).collect();
    for key in keys {
        let (vb, va) = (b.get(key), a.get(key));
        // An absent hint means its MCP default (`{}` → `{"destructiveHint": true}`
        // is no change; `destructiveHint: false` disappearing makes the tool destructive).
        let default = hint_default(key).map(Value::Bool);
        let (eb, ea) = (vb.or(default.as_ref()), va.or(default.as_ref()));
        if eb.map(canonical_json) == ea.map(canonical_json) {
            continue;
        }
        let is_true = |v: Option<&Value>| matches!(v, Some(Value::Bool(true)));
        let from = vb.map(display);
        let to = va.map(display);
        let (breaking, reason) = match key {
            "readOnlyHint" if is_true(eb) && !is_true(ea) => {
                (true, english(K::SchemaNoLongerReadOnly, &[]))
            }
            "destructiveHint" if !is_true(eb) && is_true(ea) => {
                (true, english(K::SchemaNowDestructive, &[]))
            }
            _ => (
                false,
                english(
                    K::SchemaAnnotationChanged,
                    &[
                        ("name", Part::Plain(key.to_owned())),
                        ("from", Part::Value(from.clone())),
                        ("to", Part::Value(to.clone())),
                    ],
                ),
            ),
        };
        out.push(change(
            &format!("annotations.{key}"),
            ChangeKind::AnnotationChanged {
                name: key.to_owned(),
                from,
                to,
            },
            breaking,
            reason,
        ));
    }
}
