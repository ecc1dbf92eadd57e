//! The seed file: its on-disk format (see `dev-api/README.md`), loading and validation,
//! and the expansion of tool-set entries (names, full definitions, `generate` ranges)
//! into [`ToolDefinition`]s. Also adds the hidden `pconf_fault_<name>` configurations.

use crate::case::KeyCase;
use crate::clock;
use crate::faults::{Fault, FAULT_ID_PREFIX};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// The copy of `dev-api/seed.json` compiled into the binary (used when `--seed` is absent).
pub const BUILTIN_SEED: &str = include_str!("../seed.json");

/// One MCP tool definition, as the tools endpoint returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToolDefinition {
    /// Unique name within a tool set.
    pub name: String,
    /// Human-readable title (MCP `title`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What the tool does. Defaults to `"<name> (demo tool)"` in the seed.
    #[serde(default)]
    pub description: Option<String>,
    /// JSON Schema of the arguments. Defaults to an empty object schema.
    #[serde(default = "empty_input_schema")]
    pub input_schema: Value,
    /// JSON Schema of the result, if declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_schema: Option<Value>,
    /// MCP annotations (`readOnlyHint`, `destructiveHint`, …), if declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annotations: Option<Value>,
    /// Free-form metadata, if declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl ToolDefinition {
    /// The plain definition generated for a bare tool name in the seed.
    pub fn plain(name: &str) -> Self {
        ToolDefinition {
            name: name.to_owned(),
            title: None,
            description: Some(format!("{name} (demo tool)")),
            input_schema: empty_input_schema(),
            output_schema: None,
            annotations: None,
            metadata: None,
        }
    }
}

fn empty_input_schema() -> Value {
    json!({"type": "object", "properties": {}})
}

fn empty_object() -> Value {
    json!({})
}

fn default_true() -> bool {
    true
}

fn default_health() -> String {
    "unknown".to_owned()
}

fn default_user() -> String {
    "user_xyz789".to_owned()
}

fn default_org() -> String {
    "org_123".to_owned()
}

/// The top level of a seed file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedFile {
    /// Free text for humans; ignored.
    #[serde(default, rename = "_comment")]
    _comment: Option<Value>,
    configurations: Vec<SeedConfiguration>,
}

/// One configuration as written in the seed file.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SeedConfiguration {
    id: String,
    name: String,
    personal_connector_id: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default = "default_true")]
    enabled: bool,
    #[serde(default = "default_health")]
    health_status: String,
    #[serde(default)]
    last_sync_at: Option<String>,
    #[serde(default)]
    last_error: Option<String>,
    #[serde(default = "empty_object")]
    configuration: Value,
    #[serde(default = "empty_object")]
    metadata: Value,
    created_at: String,
    updated_at: String,
    #[serde(default = "default_user")]
    user_id: String,
    #[serde(default = "default_org")]
    organization_id: String,
    #[serde(default)]
    api_key_id: Option<String>,
    #[serde(default)]
    case: KeyCase,
    #[serde(default)]
    frozen_clock: Option<String>,
    tool_sets: Vec<Vec<Value>>,
}

/// `{"generate": {"prefix": "bulk_tool_", "count": 2000, "start": 0, "width": 4}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateEntry {
    generate: GenerateSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GenerateSpec {
    prefix: String,
    count: u32,
    #[serde(default)]
    start: u32,
    /// Zero-padding width of the number (default 4: `bulk_tool_0042`).
    #[serde(default = "default_width")]
    width: usize,
}

fn default_width() -> usize {
    4
}

/// The static fields of a configuration (what the seed says; runtime state lives in
/// [`crate::state`]).
#[derive(Debug, Clone)]
pub struct ConfigSeed {
    /// `pconf_…` id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// `pcon_…` connector id.
    pub personal_connector_id: String,
    /// Optional description.
    pub description: Option<String>,
    /// Whether the configuration may be refreshed.
    pub enabled: bool,
    /// `healthy` / `unhealthy` / `unknown`.
    pub health_status: String,
    /// Initial `lastSyncAt`.
    pub last_sync_at: Option<String>,
    /// `lastError`.
    pub last_error: Option<String>,
    /// Connector settings object.
    pub configuration: Value,
    /// Metadata object.
    pub metadata: Value,
    /// `createdAt`.
    pub created_at: String,
    /// `updatedAt`.
    pub updated_at: String,
    /// `userId`.
    pub user_id: String,
    /// `organizationId`.
    pub organization_id: String,
    /// `apiKeyId`.
    pub api_key_id: Option<String>,
    /// Key casing of everything rendered for this configuration.
    pub case: KeyCase,
    /// If set, every cache timestamp of this configuration is this instant.
    pub frozen_clock: Option<DateTime<Utc>>,
    /// The scripted tool sets, cycled through by successive refreshes.
    pub tool_sets: Vec<Arc<Vec<ToolDefinition>>>,
    /// Hidden configurations (the fault ids) are reachable by id but not listed.
    pub hidden: bool,
}

/// All configurations, in seed order, with an id index.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Configurations in seed order (hidden ones last).
    pub configs: Vec<ConfigSeed>,
    index: HashMap<String, usize>,
}

impl Seed {
    /// Position and data of the configuration with this id.
    pub fn find(&self, id: &str) -> Option<(usize, &ConfigSeed)> {
        let i = *self.index.get(id)?;
        self.configs.get(i).map(|c| (i, c))
    }
}

/// A seed file that could not be read or is invalid.
#[derive(Debug)]
pub struct SeedError(pub String);

impl fmt::Display for SeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seed: {}", self.0)
    }
}

impl std::error::Error for SeedError {}

/// Loads the seed from `path`, or the built-in copy when `path` is `None`.
pub fn load(path: Option<&Path>) -> Result<Seed, SeedError> {
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| SeedError(format!("cannot read {}: {e}", p.display())))?;
            parse(&text).map_err(|e| SeedError(format!("{}: {}", p.display(), e.0)))
        }
        None => parse(BUILTIN_SEED),
    }
}

/// Parses and validates seed text, then appends the hidden fault configurations.
pub fn parse(text: &str) -> Result<Seed, SeedError> {
    let file: SeedFile =
        serde_json::from_str(text).map_err(|e| SeedError(format!("invalid JSON: {e}")))?;
    let mut configs = Vec::with_capacity(file.configurations.len() + Fault::ALL.len());
    for raw in file.configurations {
        configs.push(convert(raw)?);
    }
    for fault in Fault::ALL {
        configs.push(fault_config(*fault));
    }
    let mut index = HashMap::new();
    for (i, c) in configs.iter().enumerate() {
        if index.insert(c.id.clone(), i).is_some() {
            return Err(SeedError(format!("duplicate configuration id {:?}", c.id)));
        }
    }
    Ok(Seed { configs, index })
}

fn convert(raw: SeedConfiguration) -> Result<ConfigSeed, SeedError> {
    let id = raw.id;
    let err = |msg: String| SeedError(format!("configuration {id:?}: {msg}"));
    if id.is_empty() {
        return Err(SeedError("a configuration has an empty id".into()));
    }
    if id.starts_with(FAULT_ID_PREFIX) {
        return Err(err(format!(
            "ids starting with {FAULT_ID_PREFIX} are reserved"
        )));
    }
    if !["healthy", "unhealthy", "unknown"].contains(&raw.health_status.as_str()) {
        return Err(err(format!(
            "healthStatus {:?} is not healthy/unhealthy/unknown",
            raw.health_status
        )));
    }
    let frozen_clock = match raw.frozen_clock.as_deref() {
        Some(s) => Some(clock::parse_rfc3339(s).map_err(|e| err(format!("frozenClock: {e}")))?),
        None => None,
    };
    if raw.tool_sets.is_empty() {
        return Err(err(
            "toolSets needs at least one set (use [[]] for an empty server)".into(),
        ));
    }
    let mut tool_sets = Vec::with_capacity(raw.tool_sets.len());
    for (si, set) in raw.tool_sets.into_iter().enumerate() {
        let tools = expand_set(set).map_err(|m| err(format!("toolSets[{si}]: {m}")))?;
        tool_sets.push(Arc::new(tools));
    }
    Ok(ConfigSeed {
        name: raw.name,
        personal_connector_id: raw.personal_connector_id,
        description: raw.description,
        enabled: raw.enabled,
        health_status: raw.health_status,
        last_sync_at: raw.last_sync_at,
        last_error: raw.last_error,
        configuration: raw.configuration,
        metadata: raw.metadata,
        created_at: raw.created_at,
        updated_at: raw.updated_at,
        user_id: raw.user_id,
        organization_id: raw.organization_id,
        api_key_id: raw.api_key_id,
        case: raw.case,
        frozen_clock,
        tool_sets,
        hidden: false,
        id,
    })
}

/// Expands one tool set's entries, checking that names are unique within the set.
fn expand_set(entries: Vec<Value>) -> Result<Vec<ToolDefinition>, String> {
    let mut tools = Vec::new();
    for (ei, entry) in entries.into_iter().enumerate() {
        match entry {
            Value::String(name) => tools.push(ToolDefinition::plain(&name)),
            Value::Object(ref map) if map.contains_key("generate") => {
                let g: GenerateEntry = serde_json::from_value(entry)
                    .map_err(|e| format!("entry {ei}: bad generate entry: {e}"))?;
                let spec = g.generate;
                if spec.count > 100_000 {
                    return Err(format!("entry {ei}: generate count above 100000"));
                }
                let width = spec.width;
                for n in spec.start..spec.start.saturating_add(spec.count) {
                    tools.push(ToolDefinition::plain(&format!(
                        "{}{n:0width$}",
                        spec.prefix
                    )));
                }
            }
            Value::Object(_) => {
                let mut t: ToolDefinition = serde_json::from_value(entry)
                    .map_err(|e| format!("entry {ei}: bad tool definition: {e}"))?;
                if t.description.is_none() {
                    t.description = Some(format!("{} (demo tool)", t.name));
                }
                tools.push(t);
            }
            other => {
                return Err(format!(
                "entry {ei}: expected a name, a tool definition or a generate object, got {other}"
            ))
            }
        }
    }
    let mut seen = HashSet::new();
    for t in &tools {
        if !seen.insert(t.name.as_str()) {
            return Err(format!("tool name {:?} appears twice", t.name));
        }
    }
    Ok(tools)
}

/// The hidden configuration behind `pconf_fault_<name>` (only `slow` ever reaches it).
fn fault_config(fault: Fault) -> ConfigSeed {
    let set = |names: &[&str]| Arc::new(names.iter().map(|n| ToolDefinition::plain(n)).collect());
    ConfigSeed {
        id: format!("{FAULT_ID_PREFIX}{}", fault.name()),
        name: format!("Fault demo: {}", fault.name()),
        personal_connector_id: "pcon_fault".to_owned(),
        description: Some(format!(
            "Every call answers with the {} fault",
            fault.name()
        )),
        enabled: true,
        health_status: "unknown".to_owned(),
        last_sync_at: None,
        last_error: None,
        configuration: empty_object(),
        metadata: empty_object(),
        created_at: "2025-09-01T09:00:00Z".to_owned(),
        updated_at: "2025-09-01T09:00:00Z".to_owned(),
        user_id: default_user(),
        organization_id: default_org(),
        api_key_id: None,
        case: KeyCase::Camel,
        frozen_clock: None,
        tool_sets: vec![
            set(&["fault_demo_a", "fault_demo_b"]),
            set(&["fault_demo_a", "fault_demo_c"]),
        ],
        hidden: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_seed_loads() {
        let seed = load(None).unwrap();
        let visible = seed.configs.iter().filter(|c| !c.hidden).count();
        assert!(
            visible > 20,
            "need more than one default page, got {visible}"
        );
        let (_, big) = seed.find("pconf_big").unwrap();
        assert_eq!(big.tool_sets[0].len(), 2000);
        assert_eq!(big.tool_sets[1].len(), 2100);
        assert_eq!(big.tool_sets[0][0].name, "bulk_tool_0000");
        let (_, abc) = seed.find("pconf_abc123").unwrap();
        let sizes: Vec<usize> = abc.tool_sets.iter().map(|s| s.len()).collect();
        assert_eq!(sizes, vec![6, 8, 7, 8]);
        assert!(seed.find("pconf_weird/?#.. ü").is_some());
        assert!(seed.find("pconf_fault_slow").is_some_and(|(_, c)| c.hidden));
    }

    #[test]
    fn entry_kinds_and_errors() {
        let ok = r#"{"configurations":[{"id":"pconf_x","name":"X","personalConnectorId":"pcon_x",
            "createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
            "toolSets":[["a",{"name":"b","title":"B"},{"generate":{"prefix":"g_","count":2,"start":9,"width":3}}]]}]}"#;
        let seed = parse(ok).unwrap();
        let (_, x) = seed.find("pconf_x").unwrap();
        let names: Vec<&str> = x.tool_sets[0].iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, vec!["a", "b", "g_009", "g_010"]);
        assert_eq!(
            x.tool_sets[0][0].description.as_deref(),
            Some("a (demo tool)")
        );
        assert_eq!(
            x.tool_sets[0][1].description.as_deref(),
            Some("b (demo tool)")
        );

        let dup = ok.replace(r#""toolSets":[["a","#, r#""toolSets":[["b","#);
        assert!(parse(&dup).unwrap_err().0.contains("appears twice"));
        let reserved = ok.replace("pconf_x", "pconf_fault_x");
        assert!(parse(&reserved).unwrap_err().0.contains("reserved"));
        let typo = ok.replace("\"name\":\"X\"", "\"name\":\"X\",\"enabeld\":true");
        assert!(parse(&typo).is_err());
    }
}
