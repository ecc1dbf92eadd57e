//! Classifying the difference between two schema nodes ([`node`]): `type` (compared
//! as a set, widening is compatible on inputs), `enum`, `properties`/`required`,
//! array `items` (walked recursively up to [`MAX_DEPTH`]) and anything else; and
//! what the walk needs of a JSON value ([`same`], [`display`]).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::change::{change, Change, ChangeKind, TextChange};
use super::words::{english, Part, Side};
use crate::core::i18n::K;
use crate::core::tools::canonical_json;

/// How deep schemas are walked; deeper differences are reported as one
/// [`ChangeKind::SchemaOtherChanged`] at the cut-off.
const MAX_DEPTH: usize = 32;

/// Whether two schemas mean the same: equal canonical JSON once the order of
/// `required`, `type` and `enum` lists is ignored.
pub(super) fn same(b: &Value, a: &Value) -> bool {
    canonical_json(&normalized(b)) == canonical_json(&normalized(a))
}

fn normalized(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                let v = match v {
                    // An empty `required` says nothing: the same as none.
                    Value::Array(items) if k == "required" && items.is_empty() => continue,
                    Value::Array(items) if matches!(k.as_str(), "required" | "type" | "enum") => {
                        Value::Array(
                            as_set(items)
                                .into_iter()
                                .map(|(_, i)| normalized(i))
                                .collect(),
                        )
                    }
                    other => normalized(other),
                };
                out.insert(k.clone(), v);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        other => other.clone(),
    }
}

/// The distinct values of `items` with their canonical JSON, in canonical JSON order.
fn as_set(items: &[Value]) -> Vec<(String, &Value)> {
    let mut set: Vec<(String, &Value)> = items.iter().map(|i| (canonical_json(i), i)).collect();
    set.sort_by(|x, y| x.0.cmp(&y.0)); // stable: the first of equal values is kept
    set.dedup_by(|later, first| later.0 == first.0);
    set
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
        // The difference is somewhere the walk does not look (a node that is not an
        // object, a `properties` that is not one, non-string `required` entries, …):
        // still say so.
        out.push(change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            english(K::SchemaSchemaChanged, &[("what", side.what(label))]),
        ));
    }
}

/// The changes between two differing nodes, in schema order: `type`, `enum`,
/// `properties`/`required`, `items`, then every other key in one change.
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
        return; // `node` says that the schema changed
    };
    if depth >= MAX_DEPTH {
        out.push(change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            english(K::SchemaTooDeep, &[("what", side.what(label))]),
        ));
        return;
    }
    let mut handled = vec!["type", "properties", "required"];
    out.extend(type_change(side, path, label, bo, ao));
    // enum (only when both sides list values; an enum appearing or going is "other")
    if let (Some(Value::Array(eb)), Some(Value::Array(ea))) = (bo.get("enum"), ao.get("enum")) {
        handled.push("enum");
        enum_changes(out, side, path, label, eb, ea);
    }
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
    handled.extend(["title", "description"]);
    texts(out, side, path, label, bo, ao);
    out.extend(other_change(side, path, label, bo, ao, &handled));
}

/// A node's changed `title` and `description`, each its own compatible change with
/// the texts (a property's words are what the model reads about it).
fn texts(
    out: &mut Vec<Change>,
    side: Side,
    path: &str,
    label: &str,
    bo: &Map<String, Value>,
    ao: &Map<String, Value>,
) {
    for (key, kind, msg) in [
        (
            "title",
            ChangeKind::TitleChanged,
            K::SchemaPropertyTitleChanged,
        ),
        (
            "description",
            ChangeKind::DescriptionChanged,
            K::SchemaPropertyDescriptionChanged,
        ),
    ] {
        let (b, a) = (bo.get(key), ao.get(key));
        if b == a {
            continue;
        }
        let mut c = change(
            &format!("{path}.{key}"),
            kind,
            false,
            english(msg, &[("what", side.what(label))]),
        );
        // A text that is not a string is shown as its JSON.
        let text = |v: Option<&Value>| {
            v.map(|v| v.as_str().map_or_else(|| canonical_json(v), str::to_owned))
        };
        c.text = Some(TextChange::new(text(b).as_deref(), text(a).as_deref()));
        out.push(c);
    }
}

/// The change of a node's `type` set, if any: widening an input or narrowing an
/// output is compatible, any other change breaking.
fn type_change(
    side: Side,
    path: &str,
    label: &str,
    bo: &Map<String, Value>,
    ao: &Map<String, Value>,
) -> Option<Change> {
    let (tb, ta) = (types(bo), types(ao));
    if tb == ta {
        return None;
    }
    let (from, to) = (type_words(&tb), type_words(&ta));
    let said = |key: K| {
        english(
            key,
            &[
                ("what", side.what(label)),
                ("from", Part::Plain(from.clone())),
                ("to", Part::Plain(to.clone())),
            ],
        )
    };
    let input = || ChangeKind::InputTypeChanged {
        from: from.clone(),
        to: to.clone(),
    };
    let output = || ChangeKind::OutputTypeChanged {
        from: from.clone(),
        to: to.clone(),
    };
    Some(match side {
        Side::Input if widens(&tb, &ta) => {
            change(path, input(), false, said(K::SchemaInputWidened))
        }
        Side::Input => change(path, input(), true, said(K::SchemaInputRetyped)),
        Side::Output if widens(&ta, &tb) => {
            change(path, output(), false, said(K::SchemaOutputNarrowed))
        }
        Side::Output => change(path, output(), true, said(K::SchemaOutputRetyped)),
    })
}

/// The values two `enum` lists do not share: removed ones break an input, added
/// ones never break.
fn enum_changes(
    out: &mut Vec<Change>,
    side: Side,
    path: &str,
    label: &str,
    eb: &[Value],
    ea: &[Value],
) {
    let (sb, sa) = (as_set(eb), as_set(ea));
    let only = |x: &[(String, &Value)], y: &[(String, &Value)]| -> Vec<String> {
        x.iter()
            .filter(|(k, _)| y.binary_search_by(|(yk, _)| yk.cmp(k)).is_err())
            .map(|(_, v)| display(v))
            .collect()
    };
    let (removed, added) = (only(&sb, &sa), only(&sa, &sb));
    let said = |key: K, values: &[String]| {
        english(
            key,
            &[
                ("what", side.what(label)),
                ("values", Part::Values(values.to_vec())),
            ],
        )
    };
    if !removed.is_empty() {
        let (breaking, reason) = match side {
            Side::Input => (true, said(K::SchemaInputValuesRemoved, &removed)),
            Side::Output => (false, said(K::SchemaOutputValuesRemoved, &removed)),
        };
        out.push(change(
            path,
            ChangeKind::EnumValuesRemoved(removed),
            breaking,
            reason,
        ));
    }
    if !added.is_empty() {
        let reason = match side {
            Side::Input => said(K::SchemaInputValuesAdded, &added),
            Side::Output => said(K::SchemaOutputValuesAdded, &added),
        };
        out.push(change(
            path,
            ChangeKind::EnumValuesAdded(added),
            false,
            reason,
        ));
    }
}

/// One compatible change naming the keys outside `handled` that differ, if any.
fn other_change(
    side: Side,
    path: &str,
    label: &str,
    bo: &Map<String, Value>,
    ao: &Map<String, Value>,
    handled: &[&str],
) -> Option<Change> {
    let keys: BTreeSet<&str> = bo
        .keys()
        .chain(ao.keys())
        .map(String::as_str)
        .filter(|k| !handled.contains(k))
        .collect();
    let differing: Vec<&str> = keys
        .into_iter()
        .filter(|k| match (bo.get(*k), ao.get(*k)) {
            (Some(x), Some(y)) => !same(x, y),
            (x, y) => x.is_some() != y.is_some(),
        })
        .collect();
    (!differing.is_empty()).then(|| {
        change(
            path,
            ChangeKind::SchemaOtherChanged,
            false,
            english(
                K::SchemaOtherDetails,
                &[
                    ("what", side.what(label)),
                    ("keys", Part::Plain(differing.join(", "))),
                ],
            ),
        )
    })
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
    let names: BTreeSet<&str> = pb
        .keys()
        .map(String::as_str)
        .chain(pa.keys().map(String::as_str))
        .chain(rb.iter().copied())
        .chain(ra.iter().copied())
        .collect();
    let any = Value::Object(Map::new());
    for name in names {
        let child_path = format!("{path}.properties.{name}");
        let child_label = if label.is_empty() {
            name.to_owned()
        } else {
            format!("{label}.{name}")
        };
        let said = |key: K| english(key, &[("what", side.what(&child_label))]);
        let (req_b, req_a) = (rb.contains(&name), ra.contains(&name));
        let in_b = pb.contains_key(name) || req_b;
        let in_a = pa.contains_key(name) || req_a;
        match (in_b, in_a, side) {
            (false, true, Side::Input) => {
                let reason = if req_a {
                    said(K::SchemaInputAddedRequired)
                } else {
                    said(K::SchemaInputAddedOptional)
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
                said(K::SchemaInputRemoved),
            )),
            (false, true, Side::Output) => out.push(change(
                &child_path,
                ChangeKind::OutputPropertyAdded,
                false,
                said(K::SchemaOutputAdded),
            )),
            (true, false, Side::Output) => out.push(change(
                &child_path,
                ChangeKind::OutputPropertyRemoved,
                true,
                said(K::SchemaOutputRemoved),
            )),
            (true, true, _) => {
                match (req_b, req_a, side) {
                    (false, true, Side::Input) => out.push(change(
                        &child_path,
                        ChangeKind::BecameRequired,
                        true,
                        said(K::SchemaBecameRequired),
                    )),
                    (true, false, Side::Input) => out.push(change(
                        &child_path,
                        ChangeKind::BecameOptional,
                        false,
                        said(K::SchemaBecameOptional),
                    )),
                    (false, true, Side::Output) => out.push(change(
                        &child_path,
                        ChangeKind::BecameRequired,
                        false,
                        said(K::SchemaOutputAlwaysPresent),
                    )),
                    (true, false, Side::Output) => out.push(change(
                        &child_path,
                        ChangeKind::BecameOptional,
                        false,
                        said(K::SchemaOutputNotGuaranteed),
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
fn required(o: &Map<String, Value>) -> BTreeSet<&str> {
    match o.get("required") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        _ => BTreeSet::new(),
    }
}

/// The `type` of a schema as a set; `None` means unspecified (any type).
fn types(o: &Map<String, Value>) -> Option<BTreeSet<&str>> {
    match o.get("type")? {
        Value::String(s) => Some(BTreeSet::from([s.as_str()])),
        Value::Array(items) => Some(items.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Whether every value of type set `narrow` is also a value of `wide`
/// (`None` = any type; `number` covers `integer`).
fn widens(narrow: &Option<BTreeSet<&str>>, wide: &Option<BTreeSet<&str>>) -> bool {
    match (narrow, wide) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(n), Some(w)) => n
            .iter()
            .all(|t| w.contains(t) || (*t == "integer" && w.contains(&"number"))),
    }
}

fn type_words(t: &Option<BTreeSet<&str>>) -> String {
    match t {
        None => "any".to_owned(),
        Some(s) if s.is_empty() => "none".to_owned(),
        Some(s) => s.iter().copied().collect::<Vec<_>>().join(" | "),
    }
}

/// A JSON value for people: strings bare, everything else as compact JSON.
pub(super) fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => canonical_json(other),
    }
}
