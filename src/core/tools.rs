//! A configuration's tool definitions, as read from
//! `GET /v1/personal-connectors/configurations/{id}/tools`.
//!
//! Owns [`ToolDef`] / [`ToolCatalog`], the tolerant decoder [`decode_tools`] and the
//! canonical JSON rendering that the schema diff compares and the size estimate
//! counts. The server's answer comes in several documented shapes (a list object,
//! `{"tools": …}`, a bare array, `{"data": {"tools": …}}`) and in camelCase or
//! snake_case; one shipped client sends only names, descriptions and an `enabled`
//! flag, which is marked as a *thin* catalog so the UI can say that field-level
//! changes cannot be seen.

use serde_json::{Map, Value};

use super::error::{classify, malformed, ApiError, Body};
use super::http::HttpReply;
use super::json::{boolean, field, string};
use super::time::Instant;

/// One tool as the server describes it. Every field but the name may be missing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolDef {
    /// The tool's name: its identity across refreshes.
    pub name: String,
    /// Human-readable title (MCP `title`).
    pub title: Option<String>,
    /// What the tool does, as shown to the model.
    pub description: Option<String>,
    /// JSON Schema of the arguments (`inputSchema` / `input_schema`); objects only.
    pub input_schema: Option<Value>,
    /// JSON Schema of the structured result (`outputSchema` / `output_schema`); objects only.
    pub output_schema: Option<Value>,
    /// MCP hints (`readOnlyHint`, `destructiveHint`, …); objects only.
    pub annotations: Option<Value>,
    /// Whether the tool is enabled, when the server says so.
    pub enabled: Option<bool>,
}

impl ToolDef {
    /// A tool with only a name (handy in tests and for name-only lists).
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }

    /// Decodes one entry of the tools list; `None` when it has no usable name.
    ///
    /// A bare string entry is taken as a tool with only that name. `parameters`
    /// (the function-calling spelling) is read as a last resort for the input schema.
    pub fn from_value(v: &Value) -> Option<Self> {
        if let Value::String(s) = v {
            return (!s.trim().is_empty()).then(|| Self::named(s.clone()));
        }
        let name = string(v, &["name"]).filter(|n| !n.trim().is_empty())?;
        Some(Self {
            name,
            title: string(v, &["title"]),
            description: string(v, &["description"]),
            input_schema: object(v, &["inputSchema", "input_schema", "parameters"]),
            output_schema: object(v, &["outputSchema", "output_schema"]),
            annotations: object(v, &["annotations"]),
            enabled: boolean(v, &["enabled"]),
        })
    }

    /// Whether this definition carries a schema or annotations (more than names and words).
    pub fn is_rich(&self) -> bool {
        self.input_schema.is_some() || self.output_schema.is_some() || self.annotations.is_some()
    }

    /// The definition as one JSON object with camelCase keys; missing fields are left out.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        m.insert("name".to_owned(), Value::String(self.name.clone()));
        let text = |s: &Option<String>| s.clone().map(Value::String);
        let fields = [
            ("title", text(&self.title)),
            ("description", text(&self.description)),
            ("inputSchema", self.input_schema.clone()),
            ("outputSchema", self.output_schema.clone()),
            ("annotations", self.annotations.clone()),
            ("enabled", self.enabled.map(Value::Bool)),
        ];
        for (k, v) in fields {
            if let Some(v) = v {
                m.insert(k.to_owned(), v);
            }
        }
        Value::Object(m)
    }
}

/// The first present value among `keys`, kept only when it is a JSON object.
fn object(v: &Value, keys: &[&str]) -> Option<Value> {
    field(v, keys).filter(|s| s.is_object()).cloned()
}

/// All tools of one configuration at one moment.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ToolCatalog {
    /// The tools, sorted by name; of several with the same name the first is kept.
    pub tools: Vec<ToolDef>,
    /// True when no tool carries any schema or annotations (e.g. the shipped client's
    /// `{"tools":[{"name","description","enabled"}]}` shape, or an empty list): only
    /// names, titles and descriptions can be compared.
    pub thin: bool,
    /// Size of the answer's body in bytes.
    pub bytes: usize,
    /// Entries that were skipped because they had no name.
    pub skipped: usize,
    /// Entries that were dropped because an earlier one had the same name.
    pub duplicates: usize,
}

impl ToolCatalog {
    /// A catalog of `tools`: sorts them, drops later duplicates and works out `thin`.
    /// `bytes` and `skipped` are left at zero.
    pub fn from_tools(mut tools: Vec<ToolDef>) -> Self {
        // Stable sort: among equal names the first one seen stays first and is kept.
        tools.sort_by(|a, b| a.name.cmp(&b.name));
        let before = tools.len();
        tools.dedup_by(|later, earlier| later.name == earlier.name);
        let duplicates = before - tools.len();
        let thin = !tools.iter().any(ToolDef::is_rich);
        Self {
            tools,
            thin,
            bytes: 0,
            skipped: 0,
            duplicates,
        }
    }

    /// A rough token count of the body (bytes / 4), for "this costs the model ~N tokens".
    pub fn approx_tokens(&self) -> usize {
        self.bytes / 4
    }

    /// The tool with this name.
    pub fn get(&self, name: &str) -> Option<&ToolDef> {
        // Sorted by name (`from_tools`): a binary search; a scan for a catalog put
        // together by hand in another order.
        match self.tools.binary_search_by(|t| t.name.as_str().cmp(name)) {
            Ok(i) => self.tools.get(i),
            Err(_) => self.tools.iter().find(|t| t.name == name),
        }
    }

    /// The tool names, in catalog order.
    pub fn names(&self) -> Vec<&str> {
        self.tools.iter().map(|t| t.name.as_str()).collect()
    }
}

/// Decodes the tools answer. Non-2xx answers are classified (so 404/405/501 without
/// a body become [`ErrorKind::NotSupported`](super::error::ErrorKind::NotSupported));
/// a 2xx whose body says `"success": false` is a server error.
pub fn decode_tools(reply: &HttpReply, now: Instant) -> Result<ToolCatalog, ApiError> {
    if !reply.is_success() {
        return Err(classify(reply, now));
    }
    let v = match Body::sniff(&reply.body) {
        Body::Json(v) => v,
        Body::Invalid(detail) => return Err(malformed(reply, format!("not valid JSON: {detail}"))),
        _ => return Err(malformed(reply, "no JSON")),
    };
    if boolean(&v, &["success"]) == Some(false) {
        let mut err = classify(reply, now);
        if err.server_message.is_none() {
            err.server_message = string(&v, &["message"]);
        }
        return Err(err);
    }
    let Some(list) = tool_list(&v) else {
        return Err(malformed(
            reply,
            "expected a list of tools (a \"tools\" or \"data\" array)",
        ));
    };
    let tools: Vec<ToolDef> = list.iter().filter_map(ToolDef::from_value).collect();
    let skipped = list.len().saturating_sub(tools.len());
    let mut catalog = ToolCatalog::from_tools(tools);
    catalog.bytes = reply.body.len();
    catalog.skipped = skipped;
    Ok(catalog)
}

/// Finds the array of tools in any of the accepted shapes.
fn tool_list(v: &Value) -> Option<&Vec<Value>> {
    match v {
        Value::Array(a) => Some(a),
        Value::Object(map) => {
            ["tools", "data", "result"]
                .iter()
                .find_map(|k| match map.get(*k)? {
                    Value::Array(a) => Some(a),
                    inner @ Value::Object(_) => ["tools", "data"]
                        .iter()
                        .find_map(|k| inner.get(*k)?.as_array()),
                    _ => None,
                })
        }
        _ => None,
    }
}

/// An annotation's boolean value, when it has one.
pub fn hint(annotations: Option<&Value>, key: &str) -> Option<bool> {
    annotations?.get(key)?.as_bool()
}

/// The MCP default of a boolean hint, for the four the specification defines
/// (`readOnlyHint` false, `destructiveHint` true, `idempotentHint` false,
/// `openWorldHint` true): what an absent hint means.
pub fn hint_default(key: &str) -> Option<bool> {
    match key {
        "readOnlyHint" | "idempotentHint" => Some(false),
        "destructiveHint" | "openWorldHint" => Some(true),
        _ => None,
    }
}

/// Bytes of the tool's canonical JSON (see [`canonical_json`]): what the definition
/// weighs in a model's context, independent of the server's formatting.
pub fn canonical_size(tool: &ToolDef) -> usize {
    canonical_json(&tool.to_value()).len()
}

/// Compact JSON with object keys in sorted order, so that two values that mean the
/// same render identically whatever order the server sent the keys in.
///
/// Not `serde_json::to_string`: its key order is sorted only while no crate in the
/// build enables serde_json's `preserve_order` feature (cargo unifies features), and
/// the schema diff must not change meaning with the dependency graph.
pub fn canonical_json(v: &Value) -> String {
    let mut out = String::new();
    write_canonical(v, &mut out);
    out
}

fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            // Sorted here rather than trusting the map's order: serde_json keeps insertion
            // order when any crate turns on its `preserve_order` feature.
            let mut keys: Vec<&str> = map.keys().map(String::as_str).collect();
            keys.sort_unstable();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.to_owned()).to_string());
                out.push(':');
                if let Some(item) = map.get(k) {
                    write_canonical(item, out);
                }
            }
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;
    use serde_json::json;

    fn decode(status: u16, body: &str) -> Result<ToolCatalog, ApiError> {
        decode_tools(&HttpReply::new(status, body), Instant::default())
    }

    #[test]
    fn accepts_every_list_shape() {
        for body in [
            r#"{"object":"list","data":[{"name":"b"},{"name":"a"}]}"#,
            r#"{"tools":[{"name":"b"},{"name":"a"}]}"#,
            r#"[{"name":"b"},{"name":"a"}]"#,
            r#"{"data":{"tools":[{"name":"b"},{"name":"a"}]}}"#,
            r#"{"result":{"tools":[{"name":"b"},{"name":"a"}]}}"#,
        ] {
            let c = decode(200, body).unwrap();
            assert_eq!(c.names(), ["a", "b"], "{body}");
            assert_eq!(c.bytes, body.len());
        }
    }

    #[test]
    fn snake_case_schemas_and_odd_values() {
        let body = r#"{"tools":[{"name":"t","input_schema":{"type":"object"},"output_schema":"nope",
            "annotations":[1],"enabled":"true","extra":1},{"description":"no name"},{"name":""},7,"bare"]}"#;
        let c = decode(200, body).unwrap();
        assert_eq!(c.names(), ["bare", "t"]);
        assert_eq!(c.skipped, 3);
        let t = c.get("t").unwrap();
        assert_eq!(t.input_schema, Some(json!({"type":"object"})));
        assert_eq!(t.output_schema, None);
        assert_eq!(t.annotations, None);
        assert_eq!(t.enabled, Some(true));
        assert!(!c.thin);
    }

    #[test]
    fn duplicates_keep_the_first() {
        let c = decode(
            200,
            r#"[{"name":"a","description":"first"},{"name":"a","description":"second"}]"#,
        )
        .unwrap();
        assert_eq!(c.tools.len(), 1);
        assert_eq!(c.duplicates, 1);
        assert_eq!(c.tools[0].description.as_deref(), Some("first"));
        // Several duplicates among other names: the sort must be stable for the first to win.
        let body = (0..40)
            .map(|i| format!(r#"{{"name":"t{}","description":"{i}"}}"#, i % 7))
            .collect::<Vec<_>>()
            .join(",");
        let c = decode(200, &format!("[{body}]")).unwrap();
        assert_eq!(c.duplicates, 33);
        for (i, t) in c.tools.iter().enumerate() {
            assert_eq!(t.name, format!("t{i}"));
            assert_eq!(t.description, Some(i.to_string()));
        }
    }

    #[test]
    fn thin_shape_is_flagged() {
        let c = decode(
            200,
            r#"{"tools":[{"name":"a","description":"d","enabled":true}]}"#,
        )
        .unwrap();
        assert!(c.thin);
        assert_eq!(c.approx_tokens(), c.bytes / 4);
    }

    #[test]
    fn failures_are_classified() {
        assert_eq!(decode(404, "").unwrap_err().kind, ErrorKind::NotSupported);
        assert_eq!(decode(501, "").unwrap_err().kind, ErrorKind::NotSupported);
        assert_eq!(decode(200, "").unwrap_err().kind, ErrorKind::EmptyBody);
        assert_eq!(decode(200, "{oops").unwrap_err().kind, ErrorKind::Malformed);
        assert_eq!(
            decode(200, r#"{"tools":3}"#).unwrap_err().kind,
            ErrorKind::Malformed
        );
        assert_eq!(
            decode(200, "<html><title>Hi</title></html>")
                .unwrap_err()
                .kind,
            ErrorKind::HtmlBody
        );
        let e = decode(200, r#"{"success":false,"message":"MCP down"}"#).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Server);
        assert_eq!(e.server_message.as_deref(), Some("MCP down"));
    }

    #[test]
    fn canonical_json_sorts_keys() {
        assert_eq!(
            canonical_json(&json!({"b":1,"a":{"d":[true,null],"c":"x"}})),
            r#"{"a":{"c":"x","d":[true,null]},"b":1}"#
        );
        let t = ToolDef {
            name: "n".into(),
            enabled: Some(false),
            ..ToolDef::default()
        };
        assert_eq!(canonical_size(&t), r#"{"enabled":false,"name":"n"}"#.len());
    }
}
