//! What changed between two tool catalogs, field by field, and whether each change
//! can break an existing caller.
//!
//! Owns [`diff_catalogs`] (added / removed / changed / unchanged tools, with every
//! field-level [`Change`] classified breaking or compatible and explained in words)
//! and [`cross_check`] (where the refresh answer's own new/removed lists disagree
//! with what the definitions show).
//!
//! The rules, from a caller's point of view: anything that can make a call that
//! worked yesterday fail today is *breaking* — a new required input, a removed
//! input, an input whose type no longer accepts what it did, an input that became
//! required, enum values an input no longer accepts, an output property removed or
//! retyped, a tool that stopped being read-only or became destructive, a tool that
//! was removed or disabled. Everything else is *compatible*. Schemas are walked
//! recursively (nested object `properties` and array `items`), so a nested required
//! field is found too; `type` may be a string or a list, compared as a set.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::json::{as_string, as_strings, optional};
use super::model::RefreshResult;
use super::sets::{self, has, set};
use super::tools::{canonical_json, ToolCatalog, ToolDef};

/// How deep schemas are walked; deeper differences are reported as one
/// [`ChangeKind::SchemaOtherChanged`] at the cut-off.
const MAX_DEPTH: usize = 32;

/// What kind of difference one [`Change`] is. Serialized as
/// `{"type": "<camelCase variant>", "detail": …}` (`detail` absent for unit variants).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "detail", rename_all = "camelCase")]
pub enum ChangeKind {
    /// `title` differs (added, removed or reworded).
    TitleChanged,
    /// `description` differs.
    DescriptionChanged,
    /// An input property that did not exist before.
    InputAdded {
        /// Whether it is required (then existing calls without it fail).
        required: bool,
    },
    /// An input property that no longer exists.
    InputRemoved,
    /// An input's (or the input schema's) `type` set differs.
    InputTypeChanged {
        /// The old type(s), e.g. `integer` or `integer | null`; `any` when unspecified.
        from: String,
        /// The new type(s), written the same way.
        to: String,
    },
    /// An existing input (input or output property) is now listed in `required`.
    BecameRequired,
    /// An existing property is no longer listed in `required`.
    BecameOptional,
    /// `enum` gained these values (display form: strings bare, others as JSON).
    EnumValuesAdded(Vec<String>),
    /// `enum` lost these values.
    EnumValuesRemoved(Vec<String>),
    /// A property of the output schema that did not exist before.
    OutputPropertyAdded,
    /// A property of the output schema that no longer exists.
    OutputPropertyRemoved,
    /// An output property's (or the output schema's) `type` set differs.
    OutputTypeChanged {
        /// The old type(s); `any` when unspecified.
        from: String,
        /// The new type(s).
        to: String,
    },
    /// One annotation (`readOnlyHint`, `destructiveHint`, …) differs.
    AnnotationChanged {
        /// The annotation's key.
        name: String,
        /// The old value (strings bare, others as JSON); `None` when absent.
        from: Option<String>,
        /// The new value; `None` when absent.
        to: Option<String>,
    },
    /// The tool's `enabled` flag differs.
    EnabledChanged {
        /// The old flag; `None` when the server did not say.
        from: Option<bool>,
        /// The new flag.
        to: Option<bool>,
    },
    /// Anything else in a schema differs (compared as canonical JSON): other
    /// keywords such as `minimum` or `additionalProperties`, a property's description,
    /// or a schema that appeared or disappeared.
    SchemaOtherChanged,
}

/// Read back by hand (the same format `Serialize` writes): serde's derive for an
/// adjacently tagged enum of fourteen variants was 17 KB of the wasm bundle.
impl<'de> Deserialize<'de> for ChangeKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        ChangeKind::from_json(&v).ok_or_else(|| serde::de::Error::custom("not a change kind"))
    }
}

impl ChangeKind {
    /// Decodes `{"type": …, "detail": …}`; `None` if the type is unknown or a
    /// detail the type needs is missing or of the wrong kind.
    pub fn from_json(v: &Value) -> Option<ChangeKind> {
        let detail = v.get("detail").unwrap_or(&Value::Null);
        // Absent or null is `None`; present, a detail must have the right type.
        let text = |k: &str| optional(detail, k, as_string);
        let flag = |k: &str| optional(detail, k, Value::as_bool);
        Some(match v.get("type")?.as_str()? {
            "titleChanged" => ChangeKind::TitleChanged,
            "descriptionChanged" => ChangeKind::DescriptionChanged,
            "inputAdded" => ChangeKind::InputAdded {
                required: flag("required")??,
            },
            "inputRemoved" => ChangeKind::InputRemoved,
            "inputTypeChanged" => ChangeKind::InputTypeChanged {
                from: text("from")??,
                to: text("to")??,
            },
            "becameRequired" => ChangeKind::BecameRequired,
            "becameOptional" => ChangeKind::BecameOptional,
            "enumValuesAdded" => ChangeKind::EnumValuesAdded(as_strings(detail)?),
            "enumValuesRemoved" => ChangeKind::EnumValuesRemoved(as_strings(detail)?),
            "outputPropertyAdded" => ChangeKind::OutputPropertyAdded,
            "outputPropertyRemoved" => ChangeKind::OutputPropertyRemoved,
            "outputTypeChanged" => ChangeKind::OutputTypeChanged {
                from: text("from")??,
                to: text("to")??,
            },
            "annotationChanged" => ChangeKind::AnnotationChanged {
                name: text("name")??,
                from: text("from")?,
                to: text("to")?,
            },
            "enabledChanged" => ChangeKind::EnabledChanged {
                from: flag("from")?,
                to: flag("to")?,
            },
            "schemaOtherChanged" => ChangeKind::SchemaOtherChanged,
            _ => return None,
        })
    }

    /// The variant's camelCase name, as in the serialized `type` and the export's `kind`.
    pub fn name(&self) -> &'static str {
        match self {
            ChangeKind::TitleChanged => "titleChanged",
            ChangeKind::DescriptionChanged => "descriptionChanged",
            ChangeKind::InputAdded { .. } => "inputAdded",
            ChangeKind::InputRemoved => "inputRemoved",
            ChangeKind::InputTypeChanged { .. } => "inputTypeChanged",
            ChangeKind::BecameRequired => "becameRequired",
            ChangeKind::BecameOptional => "becameOptional",
            ChangeKind::EnumValuesAdded(_) => "enumValuesAdded",
            ChangeKind::EnumValuesRemoved(_) => "enumValuesRemoved",
            ChangeKind::OutputPropertyAdded => "outputPropertyAdded",
            ChangeKind::OutputPropertyRemoved => "outputPropertyRemoved",
            ChangeKind::OutputTypeChanged { .. } => "outputTypeChanged",
            ChangeKind::AnnotationChanged { .. } => "annotationChanged",
            ChangeKind::EnabledChanged { .. } => "enabledChanged",
            ChangeKind::SchemaOtherChanged => "schemaOtherChanged",
        }
    }
}

/// One field-level difference in one tool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Where: `title`, `description`, `enabled`, `annotations.destructiveHint`,
    /// `inputSchema`, `inputSchema.properties.priority`,
    /// `inputSchema.properties.filter.properties.status`,
    /// `inputSchema.properties.tags.items`, `outputSchema.properties.id`, …
    pub path: String,
    /// What kind of difference.
    pub kind: ChangeKind,
    /// Whether an existing caller may break.
    pub breaking: bool,
    /// The change and its consequence in words, e.g. "new required input “priority”:
    /// existing calls without it will fail".
    pub reason: String,
}

/// All differences found in one tool present before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolChange {
    /// The tool's name.
    pub name: String,
    /// Its differences, breaking ones first, otherwise in schema order.
    pub changes: Vec<Change>,
}

impl Change {
    /// Reads what `Serialize` wrote (saved history); `None` if a field is missing
    /// or of the wrong type.
    pub fn from_json(v: &Value) -> Option<Change> {
        Some(Change {
            path: v.get("path")?.as_str()?.to_owned(),
            kind: ChangeKind::from_json(v.get("kind")?)?,
            breaking: v.get("breaking")?.as_bool()?,
            reason: v.get("reason")?.as_str()?.to_owned(),
        })
    }
}

impl ToolChange {
    /// Reads what `Serialize` wrote (saved history); `None` if a field is missing
    /// or of the wrong type.
    pub fn from_json(v: &Value) -> Option<ToolChange> {
        Some(ToolChange {
            name: v.get("name")?.as_str()?.to_owned(),
            changes: v
                .get("changes")?
                .as_array()?
                .iter()
                .map(Change::from_json)
                .collect::<Option<_>>()?,
        })
    }

    /// Whether any of its changes is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }
}

/// How two catalogs differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ToolDiff {
    /// Tools only in the later catalog, sorted.
    pub added: Vec<String>,
    /// Tools only in the earlier catalog, sorted.
    pub removed: Vec<String>,
    /// Tools in both whose definitions differ: breaking ones first, then by name.
    pub changed: Vec<ToolChange>,
    /// Tools in both with identical definitions, sorted.
    pub unchanged: Vec<String>,
}

impl ToolDiff {
    /// Removed tools plus changed tools with at least one breaking change.
    pub fn breaking_count(&self) -> usize {
        self.removed.len() + self.changed.iter().filter(|c| c.is_breaking()).count()
    }

    /// Whether nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// How many tools the earlier catalog had (removed + changed + unchanged).
    pub fn before_count(&self) -> usize {
        self.removed.len() + self.changed.len() + self.unchanged.len()
    }

    /// How many tools the later catalog has (added + changed + unchanged).
    pub fn after_count(&self) -> usize {
        self.added.len() + self.changed.len() + self.unchanged.len()
    }
}

/// Compares two catalogs. Never fails; catalogs need not be sorted (of several tools
/// with one name, the first counts).
pub fn diff_catalogs(before: &ToolCatalog, after: &ToolCatalog) -> ToolDiff {
    let b = by_name(before);
    let a = by_name(after);
    let mut diff = ToolDiff::default();
    for (name, old) in &b {
        match sets::get(&a, name) {
            None => diff.removed.push((*name).to_owned()),
            Some(new) => {
                let changes = diff_tool(old, new);
                if changes.is_empty() {
                    diff.unchanged.push((*name).to_owned());
                } else {
                    diff.changed.push(ToolChange {
                        name: (*name).to_owned(),
                        changes,
                    });
                }
            }
        }
    }
    diff.added = a
        .iter()
        .filter(|(n, _)| sets::get(&b, n).is_none())
        .map(|(n, _)| (*n).to_owned())
        .collect();
    sets::sort_by(&mut diff.changed, |x, y| {
        y.is_breaking()
            .cmp(&x.is_breaking())
            .then_with(|| x.name.cmp(&y.name))
    });
    diff
}

/// The catalog's tools sorted by name; of several with one name, the first.
fn by_name(c: &ToolCatalog) -> Vec<(&str, &ToolDef)> {
    sets::keyed(c.tools.iter().map(|t| (t.name.as_str(), t)).collect())
}

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

fn change(path: &str, kind: ChangeKind, breaking: bool, reason: String) -> Change {
    Change {
        path: path.to_owned(),
        kind,
        breaking,
        reason,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
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
    fn what(self, label: &str) -> String {
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
fn node(
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

/// Whether two schemas mean the same: equal canonical JSON once the order of
/// `required`, `type` and `enum` lists is ignored.
fn same(b: &Value, a: &Value) -> bool {
    canonical_json(&normalized(b)) == canonical_json(&normalized(a))
}

fn normalized(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                // An empty `required` says nothing: the same as none.
                .filter(|(k, v)| {
                    !(k.as_str() == "required" && v.as_array().is_some_and(Vec::is_empty))
                })
                .map(|(k, v)| {
                    let v = match v {
                        Value::Array(items)
                            if matches!(k.as_str(), "required" | "type" | "enum") =>
                        {
                            let set = sets::keyed(
                                items
                                    .iter()
                                    .map(|i| (canonical_json(i), normalized(i)))
                                    .collect(),
                            );
                            Value::Array(set.into_iter().map(|(_, v)| v).collect())
                        }
                        other => normalized(other),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

fn compare_node(
    out: &mut Vec<Change>,
    side: Side,
    path: &str,
    label: &str,
    b: &Value,
    a: &Value,
    depth: usize,
) {
    let (Some(bo), Some(ao)) = (b.as_object(), a.as_object()) else {
        out.push(change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            format!("the schema of {} changed", side.what(label)),
        ));
        return;
    };
    if depth >= MAX_DEPTH {
        out.push(change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            format!(
                "the schema of {} changed (too deeply nested to compare in detail)",
                side.what(label)
            ),
        ));
        return;
    }
    let mut handled: Vec<&str> = Vec::new();

    // type
    handled.push("type");
    let (tb, ta) = (types(bo), types(ao));
    if tb != ta {
        let (from, to) = (type_words(&tb), type_words(&ta));
        let what = side.what(label);
        let c = match side {
            Side::Input if widens(&tb, &ta) => change(
                path,
                ChangeKind::InputTypeChanged { from: from.clone(), to: to.clone() },
                false,
                format!("{what} now accepts {to} (was {from}): existing calls still work"),
            ),
            Side::Input => change(
                path,
                ChangeKind::InputTypeChanged { from: from.clone(), to: to.clone() },
                true,
                format!("{what} changed type from {from} to {to}: existing calls may send a value it no longer accepts"),
            ),
            Side::Output if widens(&ta, &tb) => change(
                path,
                ChangeKind::OutputTypeChanged { from: from.clone(), to: to.clone() },
                false,
                format!("{what} narrowed its type from {from} to {to}: consumers still understand it"),
            ),
            Side::Output => change(
                path,
                ChangeKind::OutputTypeChanged { from: from.clone(), to: to.clone() },
                true,
                format!("{what} changed type from {from} to {to}: consumers may misread it"),
            ),
        };
        out.push(c);
    }

    // enum (only when both sides list values; an enum appearing or going is "other")
    if let (Some(Value::Array(eb)), Some(Value::Array(ea))) = (bo.get("enum"), ao.get("enum")) {
        handled.push("enum");
        let sb = sets::keyed(eb.iter().map(|v| (canonical_json(v), display(v))).collect());
        let sa = sets::keyed(ea.iter().map(|v| (canonical_json(v), display(v))).collect());
        let removed: Vec<String> = sb
            .iter()
            .filter(|(k, _)| sets::get(&sa, k).is_none())
            .map(|(_, d)| d.clone())
            .collect();
        let added: Vec<String> = sa
            .iter()
            .filter(|(k, _)| sets::get(&sb, k).is_none())
            .map(|(_, d)| d.clone())
            .collect();
        let what = side.what(label);
        if !removed.is_empty() {
            let list = quoted(&removed);
            let (breaking, reason) = match side {
                Side::Input => (
                    true,
                    format!("{what} no longer accepts {list}: calls that send them will fail"),
                ),
                Side::Output => (false, format!("{what} no longer returns {list}")),
            };
            out.push(change(
                path,
                ChangeKind::EnumValuesRemoved(removed),
                breaking,
                reason,
            ));
        }
        if !added.is_empty() {
            let list = quoted(&added);
            let reason = match side {
                Side::Input => format!("{what} now also accepts {list}: existing calls still work"),
                Side::Output => format!("{what} may now also return {list}"),
            };
            out.push(change(
                path,
                ChangeKind::EnumValuesAdded(added),
                false,
                reason,
            ));
        }
    }

    // properties and required
    handled.push("properties");
    handled.push("required");
    properties(out, side, path, label, bo, ao, depth);

    // array items
    if let (Some(ib @ Value::Object(_)), Some(ia @ Value::Object(_))) =
        (bo.get("items"), ao.get("items"))
    {
        handled.push("items");
        let item_label = format!("{label}[]");
        node(
            out,
            side,
            &format!("{path}.items"),
            &item_label,
            ib,
            ia,
            depth + 1,
        );
    }

    // everything else
    let keys = set(bo
        .keys()
        .chain(ao.keys())
        .map(String::as_str)
        .filter(|k| !handled.contains(k))
        .collect());
    let differing: Vec<&str> = keys
        .into_iter()
        .filter(|k| match (bo.get(*k), ao.get(*k)) {
            (Some(x), Some(y)) => !same(x, y),
            (x, y) => x.is_some() != y.is_some(),
        })
        .collect();
    if !differing.is_empty() {
        out.push(change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            format!(
                "other details of {} changed ({})",
                side.what(label),
                differing.join(", ")
            ),
        ));
    }
}

/// Compares the `properties` / `required` of two object schemas. A name counts as
/// present when it is a property or listed in `required`.
fn properties(
    out: &mut Vec<Change>,
    side: Side,
    path: &str,
    label: &str,
    bo: &Map<String, Value>,
    ao: &Map<String, Value>,
    depth: usize,
) {
    let empty = Map::new();
    let pb = bo
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let pa = ao
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let (rb, ra) = (required(bo), required(ao));
    let names = set(pb
        .keys()
        .map(String::as_str)
        .chain(pa.keys().map(String::as_str))
        .chain(rb.iter().copied())
        .chain(ra.iter().copied())
        .collect());
    let any = Value::Object(Map::new());
    for name in names {
        let child_path = format!("{path}.properties.{name}");
        let child_label = if label.is_empty() {
            name.to_owned()
        } else {
            format!("{label}.{name}")
        };
        let what = side.what(&child_label);
        let (req_b, req_a) = (has(&rb, name), has(&ra, name));
        let in_b = pb.contains_key(name) || req_b;
        let in_a = pa.contains_key(name) || req_a;
        match (in_b, in_a, side) {
            (false, true, Side::Input) => {
                let reason = if req_a {
                    format!("new required {what}: existing calls without it will fail")
                } else {
                    format!("new optional {what}: existing calls still work")
                };
                out.push(change(
                    &child_path,
                    ChangeKind::InputAdded { required: req_a },
                    req_a,
                    reason,
                ));
            }
            (true, false, Side::Input) => out.push(change(
                &child_path,
                ChangeKind::InputRemoved,
                true,
                format!("{what} was removed: calls that still send it may be rejected"),
            )),
            (false, true, Side::Output) => out.push(change(
                &child_path,
                ChangeKind::OutputPropertyAdded,
                false,
                format!("new {what}: existing consumers can ignore it"),
            )),
            (true, false, Side::Output) => out.push(change(
                &child_path,
                ChangeKind::OutputPropertyRemoved,
                true,
                format!("{what} was removed: consumers that read it will break"),
            )),
            (true, true, _) => {
                match (req_b, req_a, side) {
                    (false, true, Side::Input) => out.push(change(
                        &child_path,
                        ChangeKind::BecameRequired,
                        true,
                        format!("{what} became required: existing calls without it will fail"),
                    )),
                    (true, false, Side::Input) => out.push(change(
                        &child_path,
                        ChangeKind::BecameOptional,
                        false,
                        format!("{what} became optional: existing calls still work"),
                    )),
                    (false, true, Side::Output) => out.push(change(
                        &child_path,
                        ChangeKind::BecameRequired,
                        false,
                        format!("{what} is now always present"),
                    )),
                    (true, false, Side::Output) => out.push(change(
                        &child_path,
                        ChangeKind::BecameOptional,
                        false,
                        format!("{what} is no longer guaranteed to be present"),
                    )),
                    _ => {}
                }
                let cb = pb.get(name).unwrap_or(&any);
                let ca = pa.get(name).unwrap_or(&any);
                node(out, side, &child_path, &child_label, cb, ca, depth + 1);
            }
            (false, false, _) => {}
        }
    }
}

/// The names listed in an object schema's `required` (non-strings ignored).
fn required(o: &Map<String, Value>) -> Vec<&str> {
    match o.get("required") {
        Some(Value::Array(items)) => set(items.iter().filter_map(Value::as_str).collect()),
        _ => Vec::new(),
    }
}

/// The `type` of a schema as a set; `None` means unspecified (any type).
fn types(o: &Map<String, Value>) -> Option<Vec<&str>> {
    match o.get("type")? {
        Value::String(s) => Some(vec![s.as_str()]),
        Value::Array(items) => Some(set(items.iter().filter_map(Value::as_str).collect())),
        _ => None,
    }
}

/// Whether every value of type set `narrow` is also a value of `wide`
/// (`None` = any type; `number` covers `integer`).
fn widens(narrow: &Option<Vec<&str>>, wide: &Option<Vec<&str>>) -> bool {
    match (narrow, wide) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(n), Some(w)) => n
            .iter()
            .all(|t| has(w, t) || (*t == "integer" && has(w, "number"))),
    }
}

fn type_words(t: &Option<Vec<&str>>) -> String {
    match t {
        None => "any".to_owned(),
        Some(s) if s.is_empty() => "none".to_owned(),
        Some(s) => s.join(" | "),
    }
}

/// A JSON value for people: strings bare, everything else as compact JSON.
fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => canonical_json(other),
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("“{v}”"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn annotations(out: &mut Vec<Change>, before: Option<&Value>, after: Option<&Value>) {
    let empty = Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let keys = set(b.keys().chain(a.keys()).map(String::as_str).collect());
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

/// Sentences for every point where the refresh answer's `newTools` / `removedTools`
/// (and counts) disagree with what the definitions read before and after show.
/// Empty when they agree.
pub fn cross_check(diff: &ToolDiff, refresh: &RefreshResult) -> Vec<String> {
    let before = set(diff
        .removed
        .iter()
        .chain(diff.unchanged.iter())
        .map(String::as_str)
        .chain(diff.changed.iter().map(|c| c.name.as_str()))
        .collect());
    let after = set(diff
        .added
        .iter()
        .chain(diff.unchanged.iter())
        .map(String::as_str)
        .chain(diff.changed.iter().map(|c| c.name.as_str()))
        .collect());
    let listed_new = set(refresh.new_tools.iter().map(String::as_str).collect());
    let listed_removed = set(refresh.removed_tools.iter().map(String::as_str).collect());
    let mut out = Vec::new();
    for n in &listed_new {
        if has(&before, n) {
            out.push(format!(
                "The refresh answer lists “{n}” as new, but the tool definitions before the refresh already had it."
            ));
        } else if !has(&after, n) {
            out.push(format!(
                "The refresh answer lists “{n}” as new, but the tool definitions after the refresh do not have it."
            ));
        }
    }
    for n in &listed_removed {
        if has(&after, n) {
            out.push(format!(
                "The refresh answer lists “{n}” as removed, but the tool definitions after the refresh still have it."
            ));
        } else if !has(&before, n) {
            out.push(format!(
                "The refresh answer lists “{n}” as removed, but the tool definitions before the refresh did not have it."
            ));
        }
    }
    for n in diff.added.iter().filter(|n| !has(&listed_new, n)) {
        out.push(format!(
            "The tool definitions show “{n}” as new, but the refresh answer does not list it."
        ));
    }
    for n in diff.removed.iter().filter(|n| !has(&listed_removed, n)) {
        out.push(format!(
            "The tool definitions show “{n}” as removed, but the refresh answer does not list it."
        ));
    }
    let counts = [
        (
            refresh.previous_tool_count,
            diff.before_count(),
            "before",
            "had",
        ),
        (
            refresh.tools_discovered,
            diff.after_count(),
            "after",
            "have",
        ),
    ];
    for (said, seen, when, verb) in counts {
        if let Some(said) = said {
            if usize::try_from(said).ok() != Some(seen) {
                out.push(format!(
                    "The refresh answer counts {said} tools {when} the refresh, but the tool definitions {when} it {verb} {seen}."
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
    fn change_kind_rejects_what_it_cannot_read() {
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
        let k: ChangeKind =
            serde_json::from_str(r#"{"type":"titleChanged","detail":{"extra":1}}"#).unwrap();
        assert_eq!(k, ChangeKind::TitleChanged);
    }
}
