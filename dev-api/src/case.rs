//! JSON key casing: configurations whose seed says `"case": "snake"` are rendered with
//! snake_case top-level keys (`healthStatus` → `health_status`). Nested values such as
//! `configuration`, `metadata` or a tool's `inputSchema` contents are never renamed.

use serde::Deserialize;
use serde_json::{Map, Value};

/// Which key style a configuration's objects are rendered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyCase {
    /// `healthStatus`, `inputSchema`, `toolsDiscovered` (the default).
    #[default]
    Camel,
    /// `health_status`, `input_schema`, `tools_discovered`.
    Snake,
}

/// `personalConnectorId` → `personal_connector_id`.
pub fn camel_to_snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Renames the top-level keys of `value` (if it is an object) to the given case.
/// Values written in camelCase are left alone for [`KeyCase::Camel`].
pub fn apply(case: KeyCase, value: Value) -> Value {
    match (case, value) {
        (KeyCase::Snake, Value::Object(map)) => {
            let renamed: Map<String, Value> = map
                .into_iter()
                .map(|(k, v)| (camel_to_snake(&k), v))
                .collect();
            Value::Object(renamed)
        }
        (_, v) => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake() {
        assert_eq!(
            camel_to_snake("personalConnectorId"),
            "personal_connector_id"
        );
        assert_eq!(camel_to_snake("apiKeyId"), "api_key_id");
        assert_eq!(camel_to_snake("id"), "id");
        let v = apply(
            KeyCase::Snake,
            serde_json::json!({"inputSchema": {"listId": 1}, "name": "x"}),
        );
        assert_eq!(
            v,
            serde_json::json!({"input_schema": {"listId": 1}, "name": "x"})
        );
    }
}
