//! The seed file: its on-disk format (see `dev-api/README.md`), loading and validation.
//! Each configuration names the MCP server behind it ([`McpTarget`]): a bundled one
//! (`mcpServer`, tool sets in `dev-api/mcp-servers/`) or any URL (`mcpUrl`). Also adds the
//! hidden `pconf_fault_<name>` configurations and those of `--mcp NAME=URL`.

use crate::case::KeyCase;
use crate::clock;
use crate::faults::{Fault, FAULT_ID_PREFIX};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// The copy of `dev-api/seed.json` compiled into the binary (used when `--seed` is absent).
pub const BUILTIN_SEED: &str = include_str!("../seed.json");

/// Where a configuration's MCP server is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum McpTarget {
    /// One of the bundled servers, served by the dev server itself at `/mcp/{name}`.
    Bundled(String),
    /// Any MCP server (Streamable HTTP), with an optional bearer token.
    Url {
        /// The MCP endpoint.
        url: String,
        /// Sent as `Authorization: Bearer …`.
        token: Option<String>,
    },
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
    #[serde(default)]
    mcp_server: Option<String>,
    #[serde(default)]
    mcp_url: Option<String>,
    #[serde(default)]
    mcp_token: Option<String>,
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
    /// The MCP server behind it.
    pub mcp: McpTarget,
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
    index(configs)
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
    let mcp = match (raw.mcp_server, raw.mcp_url) {
        (Some(name), None) if raw.mcp_token.is_none() => McpTarget::Bundled(name),
        (None, Some(url)) => {
            check_url(&url).map_err(err)?;
            McpTarget::Url {
                url,
                token: raw.mcp_token,
            }
        }
        (Some(_), None) => return Err(err("mcpToken goes with mcpUrl, not mcpServer".into())),
        (Some(_), Some(_)) => return Err(err("give mcpServer or mcpUrl, not both".into())),
        (None, None) => {
            return Err(err(
                "needs mcpServer (a bundled MCP server) or mcpUrl".into()
            ))
        }
    };
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
        mcp,
        hidden: false,
        id,
    })
}

/// An MCP URL must be `http://` or `https://`.
pub fn check_url(url: &str) -> Result<(), String> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(())
    } else {
        Err(format!(
            "MCP URL must start with http:// or https://, got {url:?}"
        ))
    }
}

impl ConfigSeed {
    /// The configuration `--mcp NAME=URL` adds: id `pconf_NAME`, named NAME.
    pub fn user_mcp(name: &str, url: &str, token: Option<String>) -> ConfigSeed {
        ConfigSeed {
            id: format!("pconf_{name}"),
            name: name.to_owned(),
            personal_connector_id: "pcon_custom_mcp".to_owned(),
            description: Some(format!("Your MCP server at {url} (--mcp)")),
            enabled: true,
            health_status: "unknown".to_owned(),
            last_sync_at: None,
            last_error: None,
            configuration: json!({"url": url}),
            metadata: empty_object(),
            created_at: "2025-09-01T09:00:00Z".to_owned(),
            updated_at: "2025-09-01T09:00:00Z".to_owned(),
            user_id: default_user(),
            organization_id: default_org(),
            api_key_id: None,
            case: KeyCase::Camel,
            frozen_clock: None,
            mcp: McpTarget::Url {
                url: url.to_owned(),
                token,
            },
            hidden: false,
        }
    }
}

impl Seed {
    /// Puts these configurations first (the `--mcp` ones), checking ids stay unique.
    pub fn with_first(self, first: Vec<ConfigSeed>) -> Result<Seed, SeedError> {
        let mut configs = first;
        configs.extend(self.configs);
        index(configs)
    }
}

fn index(configs: Vec<ConfigSeed>) -> Result<Seed, SeedError> {
    let mut index = HashMap::new();
    for (i, c) in configs.iter().enumerate() {
        if index.insert(c.id.clone(), i).is_some() {
            return Err(SeedError(format!("duplicate configuration id {:?}", c.id)));
        }
    }
    Ok(Seed { configs, index })
}

/// The hidden configuration behind `pconf_fault_<name>` (only `slow` ever reaches it).
fn fault_config(fault: Fault) -> ConfigSeed {
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
        mcp: McpTarget::Bundled(crate::mcp_servers::FAULT_SERVER.to_owned()),
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
        assert_eq!(big.mcp, McpTarget::Bundled("big".into()));
        assert!(seed.find("pconf_weird/?#.. ü").is_some());
        assert!(seed.find("pconf_fault_slow").is_some_and(|(_, c)| c.hidden));
        let bundled = crate::mcp_servers::Bundled::builtin().unwrap();
        for c in &seed.configs {
            if let McpTarget::Bundled(name) = &c.mcp {
                assert!(bundled.get(name).is_some(), "{}: no server {name}", c.id);
            }
        }
    }

    #[test]
    fn targets_and_errors() {
        let ok = r#"{"configurations":[{"id":"pconf_x","name":"X","personalConnectorId":"pcon_x",
            "createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-01-01T00:00:00Z",
            "mcpUrl":"http://127.0.0.1:3001/mcp","mcpToken":"t0k"}]}"#;
        let seed = parse(ok).unwrap();
        let (_, x) = seed.find("pconf_x").unwrap();
        assert_eq!(
            x.mcp,
            McpTarget::Url {
                url: "http://127.0.0.1:3001/mcp".into(),
                token: Some("t0k".into())
            }
        );
        let reserved = ok.replace("pconf_x", "pconf_fault_x");
        assert!(parse(&reserved).unwrap_err().0.contains("reserved"));
        let typo = ok.replace("\"name\":\"X\"", "\"name\":\"X\",\"enabeld\":true");
        assert!(parse(&typo).is_err());
        let neither = ok.replace(
            r#""mcpUrl":"http://127.0.0.1:3001/mcp","mcpToken":"t0k""#,
            r#""enabled":true"#,
        );
        assert!(parse(&neither).unwrap_err().0.contains("mcpServer"));
        let ftp = ok.replace("http://", "ftp://");
        assert!(parse(&ftp).unwrap_err().0.contains("http://"));
        let first = seed
            .with_first(vec![ConfigSeed::user_mcp("mine", "http://a/mcp", None)])
            .unwrap();
        assert_eq!(first.configs[0].id, "pconf_mine");
        assert_eq!(first.find("pconf_x").unwrap().0, 1);
        assert!(first
            .with_first(vec![ConfigSeed::user_mcp("x", "http://a/mcp", None)])
            .is_err());
    }
}
