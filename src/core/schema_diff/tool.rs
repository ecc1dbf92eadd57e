//! Walking one tool: its title, description, `enabled` flag, input and output
//! schemas and annotations, collecting every [`Change`] in schema order.

use serde_json::{Map, Value};

use super::change::{Change, ChangeKind};
use super::schema::{compare_node, display, same};
use crate::core::tools::{canonical_json, ToolDef};

/// Every difference between two definitions of one tool, breaking ones first.
pub fn diff_tool(before: &ToolDef, after: &ToolDef) -> Vec<Change> {
    let mut out = Vec::new();
    if before.title != after.title {
        let reason = match (&before.title, &after.title) {
            (None, Some(t)) => format!("title “{t}” added"),
            (Some(_), None) => "title removed".to_owned(),
            (Some(f), Some(t)) => format!("title changed from “{f}” to “{t}”"),
            (None, None) => "title changed".to_owned(),
        };
        out.push(change("title", ChangeKind::TitleChanged, false, reason));
    }
    if before.description != after.description {
        let reason = match (&before.description, &after.description) {
            (None, Some(_)) => "description added",
            (Some(_), None) => "description removed",
            _ => "description changed: the model may choose or use the tool differently",
        };
        out.push(change(
            "description",
            ChangeKind::DescriptionChanged,
            false,
            reason.to_owned(),
        ));
    }
    if before.enabled != after.enabled {
        let breaking = after.enabled == Some(false);
        let reason = if breaking {
            "the tool was disabled: calls to it will fail".to_owned()
        } else {
            format!(
                "enabled changed from {} to {}",
                flag(before.enabled),
                flag(after.enabled)
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

fn flag(f: Option<bool>) -> &'static str {
    match f {
        Some(true) => "true",
        Some(false) => "false",
        None => "unspecified",
    }
}

pub(super) fn change(path: &str, kind: ChangeKind, breaking: bool, reason: String) -> Change {
    Change {
        path: path.to_owned(),
        kind,
        breaking,
        reason,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Input,
    Output,
}

impl Side {
    fn root(self) -> &'static str {
        match self {
            Side::Input => "inputSchema",
            Side::Output => "outputSchema",
        }
    }

    /// "input “filter.status”", or "the input schema" for the root.
    pub(super) fn what(self, label: &str) -> String {
        match (self, label.is_empty()) {
            (Side::Input, true) => "the input schema".to_owned(),
            (Side::Output, true) => "the output schema".to_owned(),
            (Side::Input, false) => format!("input “{label}”"),
            (Side::Output, false) => format!("output “{label}”"),
        }
    }
}

fn schema(out: &mut Vec<Change>, side: Side, before: Option<&Value>, after: Option<&Value>) {
    let root = side.root();
    let which = match side {
        Side::Input => "input",
        Side::Output => "output",
    };
    match (before, after) {
        (None, None) => {}
        (None, Some(_)) => out.push(change(
            root,
            ChangeKind::SchemaOtherChanged,
            false,
            format!("the {which} schema is now published (it was not before, so its changes cannot be shown)"),
        )),
        (Some(_), None) => out.push(change(
            root,
            ChangeKind::SchemaOtherChanged,
            false,
            format!("the {which} schema is no longer published, so its changes cannot be shown"),
        )),
        (Some(b), Some(a)) => node(out, side, root, "", b, a, 0),
    }
}

/// Compares one schema node (the root, a property, or array items) at `path`.
pub(super) fn node(
    out: &mut Vec<Change>,
    side: Side,
    path: &str,
    label: &str,
    b: &Value,
    a: &Value,
    depth: usize,
) {
    if same(b, a) {
        return;
    }
    let start = out.len();
    compare_node(out, side, path, label, b, a, depth);
    if out.len() == start {
        // The difference is somewhere the walk does not look (a `properties` that is
        // not an object, non-string `required` entries, …): still say so.
        out.push(change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            format!("the schema of {} changed", side.what(label)),
        ));
    }
}

fn annotations(out: &mut Vec<Change>, before: Option<&Value>, after: Option<&Value>) {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let keys = crate::core::order::unique_sorted(b.keys().chain(a.keys()).map(String::as_str));
    for key in keys {
        let (vb, va) = (b.get(key), a.get(key));
        if vb.map(canonical_json) == va.map(canonical_json) {
            continue;
        }
        let is_true = |v: Option<&Value>| matches!(v, Some(Value::Bool(true)));
        let from = vb.map(display);
        let to = va.map(display);
        let (breaking, reason) = match key {
            "readOnlyHint" if is_true(vb) && !is_true(va) => (
                true,
                "the tool is no longer marked read-only: it may now change data".to_owned(),
            ),
            "destructiveHint" if !is_true(vb) && is_true(va) => (
                true,
                "the tool is now marked destructive: it may delete or overwrite data".to_owned(),
            ),
            _ => (
                false,
                format!(
                    "annotation “{key}” changed from {} to {}",
                    from.as_deref().unwrap_or("unset"),
                    to.as_deref().unwrap_or("unset")
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
