//! JSON bodies of successful answers: a configuration, a tool definition, the refresh
//! result. Each is built in camelCase and converted to the configuration's key case.

use crate::case;
use crate::clock;
use crate::seed::ConfigSeed;
use crate::state::{Live, RefreshOutcome};
use serde_json::{json, Value};

/// One configuration object (credentials always redacted).
pub fn configuration(c: &ConfigSeed, live: &Live) -> Value {
    let v = json!({
        "id": c.id,
        "object": "personal_connector.configuration",
        "userId": c.user_id,
        "apiKeyId": c.api_key_id,
        "organizationId": c.organization_id,
        "personalConnectorId": c.personal_connector_id,
        "name": c.name,
        "configuration": c.configuration,
        "credentials": "***REDACTED***",
        "enabled": c.enabled,
        "healthStatus": live.health_status,
        "lastSyncAt": live.last_sync_at,
        "lastError": live.last_error,
        "description": c.description,
        "metadata": c.metadata,
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
    });
    case::apply(c.case, v)
}

/// One tool definition exactly as the MCP server sent it (for a `snake` configuration, its
/// top-level keys in snake_case).
pub fn tool(c: &ConfigSeed, t: &Value) -> Value {
    case::apply(c.case, t.clone())
}

/// `{"object":"list","data":[tool…]}` as JSON bytes, written straight from the cached
/// values (no copy of 100,000 tools on the way).
pub fn tool_list_json(c: &ConfigSeed, tools: &[Value]) -> Vec<u8> {
    struct Tools<'a>(&'a ConfigSeed, &'a [Value]);
    impl serde::Serialize for Tools<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeSeq;
            let mut seq = s.serialize_seq(Some(self.1.len()))?;
            for t in self.1 {
                match self.0.case {
                    case::KeyCase::Camel => seq.serialize_element(t)?,
                    case::KeyCase::Snake => seq.serialize_element(&tool(self.0, t))?,
                }
            }
            seq.end()
        }
    }
    #[derive(serde::Serialize)]
    struct List<'a> {
        data: Tools<'a>,
        object: &'static str,
    }
    serde_json::to_vec(&List {
        data: Tools(c, tools),
        object: "list",
    })
    .unwrap_or_else(|_| br#"{"data":[],"object":"list"}"#.to_vec())
}

/// The refresh answer, shaped like `fixtures/refresh-ok.json`.
pub fn refresh(c: &ConfigSeed, o: &RefreshOutcome) -> Value {
    let details = json!({
        "configurationId": c.id,
        "toolsDiscovered": o.tools_discovered,
        "previousToolCount": o.previous_tool_count,
        "newTools": o.new_tools,
        "removedTools": o.removed_tools,
        "cachedAt": clock::rfc3339(o.cached_at),
        "expiresAt": clock::rfc3339(o.expires_at),
    });
    json!({
        "success": true,
        "message": "Tool cache refreshed successfully.",
        "details": case::apply(c.case, details),
    })
}
