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

/// `{"object":"list","data":[tool…]}`.
pub fn tool_list(c: &ConfigSeed, tools: &[Value]) -> Value {
    json!({"object": "list", "data": tools.iter().map(|t| tool(c, t)).collect::<Vec<_>>()})
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
