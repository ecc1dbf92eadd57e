//! The bundled MCP servers: real MCP servers (rmcp's Streamable HTTP server) that the dev
//! server itself serves under `/mcp/{name}` and that back the demo configurations.
//!
//! Each server's tool sets come from one JSON file in `dev-api/mcp-servers/` (built into
//! the binary): `{"_comment"?, "pageSize"?, "versions": [[entry…], …]}`. An entry is a tool
//! name (a plain generated definition), a full MCP tool definition, or
//! `{"generate": {"prefix", "count", "start"?, "width"?}}`. `list_tools` is written by hand
//! so the set can change at run time: [`BundledServer::advance`] (what
//! `POST /__dev/mcp/{name}/next` and `--demo-advance` call) moves a server to its next
//! version (cyclically) and sends `notifications/tools/list_changed` to every connected
//! client.

use rmcp::model::{
    Implementation, ListToolsResult, PaginatedRequestParams, ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData, Peer, RoleServer, ServerHandler};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// The server files compiled into the binary: `(name, JSON text)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("big", include_str!("../mcp-servers/big.json")),
    ("clickup", include_str!("../mcp-servers/clickup.json")),
    ("empty", include_str!("../mcp-servers/empty.json")),
    ("fault-demo", include_str!("../mcp-servers/fault-demo.json")),
    ("frozen", include_str!("../mcp-servers/frozen.json")),
    ("github", include_str!("../mcp-servers/github.json")),
    ("hostile", include_str!("../mcp-servers/hostile.json")),
    ("huge", include_str!("../mcp-servers/huge.json")),
    ("jira", include_str!("../mcp-servers/jira.json")),
    ("notion", include_str!("../mcp-servers/notion.json")),
    ("poisoned", include_str!("../mcp-servers/poisoned.json")),
    ("sandbox", include_str!("../mcp-servers/sandbox.json")),
    ("schema-lab", include_str!("../mcp-servers/schema-lab.json")),
    ("stable", include_str!("../mcp-servers/stable.json")),
    ("weird", include_str!("../mcp-servers/weird.json")),
];

/// The server behind the hidden `pconf_fault_<name>` configurations.
pub const FAULT_SERVER: &str = "fault-demo";

/// A server file that could not be parsed.
#[derive(Debug)]
pub struct ServerFileError(pub String);

impl fmt::Display for ServerFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mcp server file: {}", self.0)
    }
}

impl std::error::Error for ServerFileError {}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ServerFile {
    #[serde(default, rename = "_comment")]
    _comment: Option<Value>,
    #[serde(default)]
    page_size: Option<usize>,
    versions: Vec<Vec<Value>>,
}

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

/// The definition served for a bare tool name.
pub fn plain_tool(name: &str) -> Value {
    json!({
        "name": name,
        "description": format!("{name} (demo tool)"),
        "inputSchema": {"type": "object", "properties": {}},
    })
}

/// One bundled server: its versions, where it is, and who is connected.
pub struct BundledServer {
    /// The name in `/mcp/{name}`.
    pub name: String,
    versions: Arc<Vec<Arc<Vec<Tool>>>>,
    /// Tools per `tools/list` page (`None`: all in one page).
    pub page_size: Option<usize>,
    position: Mutex<usize>,
    peers: Mutex<Vec<Peer<RoleServer>>>,
}

impl fmt::Debug for BundledServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BundledServer")
            .field("name", &self.name)
            .field("versions", &self.versions.len())
            .field("page_size", &self.page_size)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl BundledServer {
    /// Parses a server file.
    pub fn parse(name: &str, text: &str) -> Result<Self, ServerFileError> {
        let err = |m: String| ServerFileError(format!("{name}: {m}"));
        let file: ServerFile =
            serde_json::from_str(text).map_err(|e| err(format!("invalid JSON: {e}")))?;
        if file.versions.is_empty() {
            return Err(err(
                "versions needs at least one version ([[]] = a server without tools)".into(),
            ));
        }
        if file.page_size == Some(0) {
            return Err(err("pageSize must be at least 1".into()));
        }
        let mut versions = Vec::with_capacity(file.versions.len());
        for (vi, entries) in file.versions.into_iter().enumerate() {
            let tools = expand(entries).map_err(|m| err(format!("versions[{vi}]: {m}")))?;
            versions.push(Arc::new(tools));
        }
        Ok(BundledServer {
            name: name.to_owned(),
            versions: Arc::new(versions),
            page_size: file.page_size,
            position: Mutex::new(0),
            peers: Mutex::new(Vec::new()),
        })
    }

    /// Index of the version being served.
    pub fn version(&self) -> usize {
        *lock(&self.position)
    }

    /// How many versions the file has.
    pub fn version_count(&self) -> usize {
        self.versions.len()
    }

    /// The tools being served.
    pub fn current(&self) -> Arc<Vec<Tool>> {
        let at = self.version();
        self.versions
            .get(at)
            .cloned()
            .unwrap_or_else(|| Arc::new(Vec::new()))
    }

    /// Moves to the next version (cyclically) and tells every connected client that the
    /// tool list changed. Returns the new version index.
    pub async fn advance(&self) -> usize {
        let next = {
            let mut at = lock(&self.position);
            *at = (*at + 1) % self.versions.len().max(1);
            *at
        };
        self.notify_list_changed().await;
        next
    }

    /// Back to the first version (the dev server's reset); connected clients are told.
    pub async fn reset(&self) {
        let changed = {
            let mut at = lock(&self.position);
            let changed = *at != 0;
            *at = 0;
            changed
        };
        if changed {
            self.notify_list_changed().await;
        }
    }

    /// Sends `notifications/tools/list_changed` to every connected client, forgetting the
    /// ones that are gone.
    async fn notify_list_changed(&self) {
        let peers: Vec<Peer<RoleServer>> = std::mem::take(&mut *lock(&self.peers));
        let mut alive = Vec::with_capacity(peers.len());
        for peer in peers {
            if peer.is_transport_closed() {
                continue;
            }
            if peer.notify_tool_list_changed().await.is_ok() {
                alive.push(peer);
            }
        }
        lock(&self.peers).extend(alive);
    }

    /// One `tools/list` page: tools from `cursor` (an offset written as a decimal string).
    fn page(&self, cursor: Option<&str>) -> Result<ListToolsResult, ErrorData> {
        let tools = self.current();
        let start = match cursor {
            None => 0,
            Some(c) => c
                .parse::<usize>()
                .ok()
                .filter(|n| *n <= tools.len())
                .ok_or_else(|| ErrorData::invalid_params(format!("unknown cursor {c:?}"), None))?,
        };
        let size = self.page_size.unwrap_or(usize::MAX);
        let end = start.saturating_add(size).min(tools.len());
        let page: Vec<Tool> = tools.get(start..end).unwrap_or_default().to_vec();
        let mut result = ListToolsResult::with_all_items(page);
        result.next_cursor = (end < tools.len()).then(|| end.to_string());
        Ok(result)
    }
}

/// Expands one version's entries into MCP tools, checking names are unique and that full
/// definitions are MCP tools exactly as written (no field rmcp would drop).
fn expand(entries: Vec<Value>) -> Result<Vec<Tool>, String> {
    let mut tools = Vec::new();
    for (ei, entry) in entries.into_iter().enumerate() {
        match entry {
            Value::String(name) => tools.push(to_tool(plain_tool(&name), ei, false)?),
            Value::Object(ref map) if map.contains_key("generate") => {
                let g: GenerateEntry = serde_json::from_value(entry)
                    .map_err(|e| format!("entry {ei}: bad generate entry: {e}"))?;
                let spec = g.generate;
                if spec.count > 100_000 {
                    return Err(format!("entry {ei}: generate count above 100000"));
                }
                let width = spec.width;
                for n in spec.start..spec.start.saturating_add(spec.count) {
                    let name = format!("{}{n:0width$}", spec.prefix);
                    tools.push(to_tool(plain_tool(&name), ei, false)?);
                }
            }
            Value::Object(mut map) => {
                if !map.contains_key("description") {
                    let name = map.get("name").and_then(Value::as_str).unwrap_or("tool");
                    let d = format!("{name} (demo tool)");
                    map.insert("description".into(), Value::String(d));
                }
                if !map.contains_key("inputSchema") {
                    map.insert(
                        "inputSchema".into(),
                        json!({"type": "object", "properties": {}}),
                    );
                }
                tools.push(to_tool(Value::Object(map), ei, true)?);
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
        if !seen.insert(t.name.as_ref()) {
            return Err(format!("tool name {:?} appears twice", t.name));
        }
    }
    Ok(tools)
}

fn to_tool(v: Value, ei: usize, check: bool) -> Result<Tool, String> {
    let tool: Tool = serde_json::from_value(v.clone())
        .map_err(|e| format!("entry {ei}: not an MCP tool definition: {e}"))?;
    if check {
        let back = serde_json::to_value(&tool).map_err(|e| format!("entry {ei}: {e}"))?;
        if back != v {
            return Err(format!(
                "entry {ei}: has fields an MCP tool does not carry (served as {back}, written as {v})"
            ));
        }
    }
    Ok(tool)
}

/// Every bundled server, by name.
#[derive(Debug, Clone, Default)]
pub struct Bundled {
    servers: BTreeMap<String, Arc<BundledServer>>,
}

impl Bundled {
    /// The servers built into the binary, each at its first version with nobody connected.
    /// The files are parsed once per process (the big ones take a moment); each call gets
    /// servers of its own that share the parsed tools.
    pub fn builtin() -> Result<Self, ServerFileError> {
        static PARSED: OnceLock<Result<Vec<BundledServer>, String>> = OnceLock::new();
        let parsed = PARSED.get_or_init(|| {
            BUILTIN
                .iter()
                .map(|(name, text)| BundledServer::parse(name, text).map_err(|e| e.0))
                .collect()
        });
        let parsed = parsed.as_ref().map_err(|e| ServerFileError(e.clone()))?;
        let servers = parsed
            .iter()
            .map(|s| {
                let fresh = BundledServer {
                    name: s.name.clone(),
                    versions: s.versions.clone(),
                    page_size: s.page_size,
                    position: Mutex::new(0),
                    peers: Mutex::new(Vec::new()),
                };
                (s.name.clone(), Arc::new(fresh))
            })
            .collect();
        Ok(Bundled { servers })
    }

    /// The server with this name.
    pub fn get(&self, name: &str) -> Option<&Arc<BundledServer>> {
        self.servers.get(name)
    }

    /// All servers, by name.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<BundledServer>> {
        self.servers.values()
    }

    /// Every server back to its first version.
    pub async fn reset(&self) {
        for s in self.servers.values() {
            s.reset().await;
        }
    }
}

/// The rmcp handler of one bundled server (one instance per session; the state is shared).
#[derive(Clone)]
struct Handler {
    server: Arc<BundledServer>,
}

impl ServerHandler for Handler {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_tool_list_changed()
                .build(),
        )
        .with_server_info(Implementation::new(
            format!("dev-api-{}", self.server.name),
            env!("CARGO_PKG_VERSION"),
        ))
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        self.server
            .page(request.as_ref().and_then(|r| r.cursor.as_deref()))
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        let mut peers = lock(&self.server.peers);
        // Refreshes connect and leave all the time: forget the ones that are gone.
        peers.retain(|p| !p.is_transport_closed());
        peers.push(context.peer);
    }
}

/// `/mcp/{name}` for every bundled server: rmcp's Streamable HTTP service, with sessions
/// (so connected clients can be told when the list changes). `extra_hosts` are `Host`
/// values accepted besides the loopback names (e.g. the address the server is bound to).
pub fn router<S: Clone + Send + Sync + 'static>(
    bundled: &Bundled,
    extra_hosts: &[String],
) -> axum::Router<S> {
    let mut app = axum::Router::new();
    let mut hosts: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    hosts.extend(extra_hosts.iter().cloned());
    for server in bundled.iter() {
        let shared = server.clone();
        let config = StreamableHttpServerConfig::default()
            .with_legacy_session_mode(true)
            .with_allowed_hosts(hosts.clone());
        let service: StreamableHttpService<Handler, LocalSessionManager> =
            StreamableHttpService::new(
                move || {
                    Ok(Handler {
                        server: shared.clone(),
                    })
                },
                Default::default(),
                config,
            );
        app = app.nest_service(&format!("/mcp/{}", server.name), service);
    }
    app
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_servers_load() {
        let b = Bundled::builtin().unwrap();
        let big = b.get("big").unwrap();
        assert_eq!(big.current().len(), 2000);
        assert!(big.page_size.unwrap() < 2000);
        let clickup = b.get("clickup").unwrap();
        let sizes: Vec<usize> = clickup.versions.iter().map(|v| v.len()).collect();
        assert_eq!(sizes, vec![6, 8, 7, 8]);
        assert!(b.get(FAULT_SERVER).is_some());
    }

    #[test]
    fn paging_and_errors() {
        let s = BundledServer::parse(
            "t",
            r#"{"pageSize": 2, "versions": [["a", {"name": "b", "title": "B"}, {"generate": {"prefix": "g_", "count": 2, "start": 9, "width": 3}}]]}"#,
        )
        .unwrap();
        let p1 = s.page(None).unwrap();
        assert_eq!(p1.tools.len(), 2);
        assert_eq!(p1.next_cursor.as_deref(), Some("2"));
        let p2 = s.page(Some("2")).unwrap();
        let names: Vec<&str> = p2.tools.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, vec!["g_009", "g_010"]);
        assert_eq!(p2.next_cursor, None);
        assert!(s.page(Some("nope")).is_err());
        assert_eq!(p1.tools[1].description.as_deref(), Some("b (demo tool)"));

        let dup = r#"{"versions": [["a", "a"]]}"#;
        assert!(BundledServer::parse("d", dup)
            .unwrap_err()
            .0
            .contains("appears twice"));
        let lossy = r#"{"versions": [[{"name": "x", "metadata": {}}]]}"#;
        assert!(BundledServer::parse("l", lossy)
            .unwrap_err()
            .0
            .contains("does not carry"));
        assert!(BundledServer::parse("e", r#"{"versions": []}"#).is_err());
    }
}
