//! Mutable server state: per-configuration tool caches (the raw JSON of each tool, as the
//! MCP server sent it), `healthStatus`/`lastError`/`lastSyncAt`, in-flight refresh flags,
//! the armed faults, the request counter, and the bundled MCP servers.
//! Everything sits behind one `std::sync::Mutex` that is never held across an `.await`.

use crate::clock;
use crate::config::Config;
use crate::faults::{self, ArmedFault, Endpoint, Fault};
use crate::mcp_client::Target;
use crate::mcp_servers::Bundled;
use crate::seed::{ConfigSeed, McpTarget, Seed};
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Instant;

/// The state shared by all handlers.
pub type SharedState = Arc<AppState>;

/// Settings, seed and runtime state of one server.
#[derive(Debug)]
pub struct AppState {
    /// Command-line settings.
    pub cfg: Config,
    /// The loaded seed (immutable).
    pub seed: Seed,
    /// The bundled MCP servers (served at `/mcp/{name}`).
    pub bundled: Bundled,
    /// `http://host:port` of this server as seen from itself, set once it is bound.
    loopback: OnceLock<String>,
    runtime: Mutex<Runtime>,
    request_counter: AtomicU64,
    /// Refresh requests in flight and their log (`GET /__dev/refreshes`).
    pub refreshes: crate::refresh_counter::RefreshCounter,
}

#[derive(Debug)]
struct Runtime {
    /// Bumped by reset, so refreshes started before a reset don't write afterwards.
    generation: u64,
    /// Indexed like `Seed::configs`.
    configs: Vec<ConfigRuntime>,
    armed: Vec<ArmedFault>,
}

#[derive(Debug, Clone)]
struct ConfigRuntime {
    cache: Option<CacheEntry>,
    live: Live,
    in_flight: bool,
}

/// What a configuration says about its last sync (changes with each refresh).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Live {
    /// `healthy`, `unhealthy` or `unknown`.
    pub health_status: String,
    /// The last refresh's error, if it failed.
    pub last_error: Option<String>,
    /// When the last successful refresh cached its tools.
    pub last_sync_at: Option<String>,
}

#[derive(Debug, Clone)]
struct CacheEntry {
    tools: Arc<Vec<Value>>,
    cached_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    /// Expiry by the real clock (a frozen clock must not freeze expiry).
    real_expiry: Option<Instant>,
}

/// How the tools endpoint got its answer (sent as the `x-dev-cache` header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheStatus {
    /// Served from a live cache entry.
    Hit,
    /// The cache was empty or expired and was refilled.
    Miss,
    /// `forceRefresh=true` bypassed and refilled the cache.
    Bypass,
}

impl CacheStatus {
    /// `hit`, `miss` or `bypass`.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheStatus::Hit => "hit",
            CacheStatus::Miss => "miss",
            CacheStatus::Bypass => "bypass",
        }
    }
}

/// The answer of the tools endpoint.
#[derive(Debug, Clone)]
pub struct ToolsView {
    /// The cached tools, raw JSON as received.
    pub tools: Arc<Vec<Value>>,
    /// When they were cached (configuration clock).
    pub cached_at: DateTime<Utc>,
    /// When they expire (configuration clock).
    pub expires_at: DateTime<Utc>,
    /// Hit, miss or bypass.
    pub status: CacheStatus,
}

/// Why a refresh could not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BeginError {
    /// The configuration is disabled.
    Disabled,
    /// Another refresh of it is running.
    InFlight,
}

/// A started refresh, to be finished with [`AppState::finish_refresh`] or
/// [`AppState::fail_refresh`].
#[derive(Debug, Clone, Copy)]
pub struct RefreshTicket {
    /// Index of the configuration.
    pub index: usize,
    generation: u64,
}

/// What a finished refresh reports.
#[derive(Debug, Clone)]
pub struct RefreshOutcome {
    /// Size of the new tool list.
    pub tools_discovered: usize,
    /// Size of the list cached before.
    pub previous_tool_count: usize,
    /// Names in the new list but not the old one (new-list order).
    pub new_tools: Vec<String>,
    /// Names in the old list but not the new one (old-list order).
    pub removed_tools: Vec<String>,
    /// When the new list was cached.
    pub cached_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

impl AppState {
    /// Fresh state for this seed and these bundled servers.
    pub fn new(cfg: Config, seed: Seed, bundled: Bundled) -> Self {
        let runtime = Runtime {
            generation: 0,
            configs: initial(&seed),
            armed: Vec::new(),
        };
        AppState {
            cfg,
            seed,
            bundled,
            loopback: OnceLock::new(),
            runtime: Mutex::new(runtime),
            request_counter: AtomicU64::new(1),
            refreshes: Default::default(),
        }
    }

    /// Records the address this server is reachable at from itself (`http://127.0.0.1:8080`).
    pub fn set_loopback(&self, base: String) {
        let _ = self.loopback.set(base);
    }

    /// Where the MCP server of a configuration is.
    pub fn target(&self, c: &ConfigSeed) -> Target {
        match &c.mcp {
            McpTarget::Bundled(name) => {
                let base = self
                    .loopback
                    .get()
                    .cloned()
                    .unwrap_or_else(|| format!("http://127.0.0.1:{}", self.cfg.port));
                Target {
                    url: format!("{base}/mcp/{name}"),
                    token: None,
                }
            }
            McpTarget::Url { url, token } => Target {
                url: url.clone(),
                token: token.clone(),
            },
        }
    }

    /// The next `x-request-id` number (1, 2, 3, …).
    pub fn next_request_id(&self) -> u64 {
        self.request_counter.fetch_add(1, Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, Runtime> {
        self.runtime
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Health, last error and last sync of every configuration (indexed like `seed.configs`).
    pub fn live_all(&self) -> Vec<Live> {
        self.lock().configs.iter().map(|c| c.live.clone()).collect()
    }

    /// Health, last error and last sync of one configuration.
    pub fn live(&self, index: usize) -> Option<Live> {
        self.lock().configs.get(index).map(|c| c.live.clone())
    }

    /// The current reset generation (a fetch started before a reset must not write after it).
    pub fn generation(&self) -> u64 {
        self.lock().generation
    }

    /// The instant a cache entry of this configuration is stamped with.
    fn stamp(&self, seed: &ConfigSeed) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = seed.frozen_clock.unwrap_or_else(clock::now);
        let ttl = chrono::Duration::from_std(self.cfg.ttl).unwrap_or(chrono::Duration::MAX);
        (at, at.checked_add_signed(ttl).unwrap_or(at))
    }

    fn new_entry(&self, seed: &ConfigSeed, tools: Arc<Vec<Value>>) -> CacheEntry {
        let (cached_at, expires_at) = self.stamp(seed);
        CacheEntry {
            tools,
            cached_at,
            expires_at,
            real_expiry: Instant::now().checked_add(self.cfg.ttl),
        }
    }

    /// The cached tools of a configuration if the cache is live.
    pub fn cached(&self, index: usize) -> Option<ToolsView> {
        let rt = self.lock();
        let c = rt
            .configs
            .get(index)?
            .cache
            .as_ref()
            .filter(|c| c.real_expiry.is_none_or(|t| Instant::now() < t))?;
        Some(ToolsView {
            tools: c.tools.clone(),
            cached_at: c.cached_at,
            expires_at: c.expires_at,
            status: CacheStatus::Hit,
        })
    }

    /// Whatever was cached last (even expired): the "before" of a refresh.
    pub fn last_cached(&self, index: usize) -> Option<Arc<Vec<Value>>> {
        let rt = self.lock();
        rt.configs
            .get(index)?
            .cache
            .as_ref()
            .map(|c| c.tools.clone())
    }

    /// Caches tools fetched for the tools endpoint (a miss or `forceRefresh`). Nothing is
    /// stored if a reset happened since `generation` was read.
    pub fn store(
        &self,
        index: usize,
        generation: u64,
        tools: Arc<Vec<Value>>,
        status: CacheStatus,
    ) -> Option<ToolsView> {
        let seed = self.seed.configs.get(index)?;
        let entry = self.new_entry(seed, tools.clone());
        let view = ToolsView {
            tools,
            cached_at: entry.cached_at,
            expires_at: entry.expires_at,
            status,
        };
        let mut rt = self.lock();
        if rt.generation == generation {
            if let Some(c) = rt.configs.get_mut(index) {
                c.cache = Some(entry);
            }
        }
        Some(view)
    }

    /// Starts a refresh: checks enabled / not already running and marks it in flight.
    /// The cache stays until the refresh succeeds (a failure keeps it).
    pub fn begin_refresh(&self, index: usize) -> Result<RefreshTicket, BeginError> {
        let enabled = self.seed.configs.get(index).is_some_and(|c| c.enabled);
        let mut rt = self.lock();
        let generation = rt.generation;
        let entry = rt.configs.get_mut(index).ok_or(BeginError::Disabled)?;
        if !enabled {
            return Err(BeginError::Disabled);
        }
        if entry.in_flight {
            return Err(BeginError::InFlight);
        }
        entry.in_flight = true;
        Ok(RefreshTicket { index, generation })
    }

    /// Finishes a successful refresh: caches the new list, marks the configuration healthy
    /// and updates `lastSyncAt`. `None` if a reset happened since it began.
    pub fn finish_refresh(
        &self,
        ticket: RefreshTicket,
        previous: &[Value],
        current: Arc<Vec<Value>>,
    ) -> Option<RefreshOutcome> {
        let seed = self.seed.configs.get(ticket.index)?;
        let cache = self.new_entry(seed, current.clone());
        let mut rt = self.lock();
        if rt.generation != ticket.generation {
            return None;
        }
        let entry = rt.configs.get_mut(ticket.index)?;
        entry.in_flight = false;
        entry.live = Live {
            health_status: "healthy".to_owned(),
            last_error: None,
            last_sync_at: Some(clock::rfc3339(cache.cached_at)),
        };
        let outcome = RefreshOutcome {
            tools_discovered: current.len(),
            previous_tool_count: previous.len(),
            new_tools: names_missing_from(&current, previous),
            removed_tools: names_missing_from(previous, &current),
            cached_at: cache.cached_at,
            expires_at: cache.expires_at,
        };
        entry.cache = Some(cache);
        Some(outcome)
    }

    /// Finishes a failed refresh: the cache stays, the configuration becomes unhealthy with
    /// this `lastError`. `false` if a reset happened since it began.
    pub fn fail_refresh(&self, ticket: RefreshTicket, error: &str) -> bool {
        let mut rt = self.lock();
        if rt.generation != ticket.generation {
            return false;
        }
        let Some(entry) = rt.configs.get_mut(ticket.index) else {
            return false;
        };
        entry.in_flight = false;
        entry.live.health_status = "unhealthy".to_owned();
        entry.live.last_error = Some(error.to_owned());
        true
    }

    /// Arms a fault for the next matching requests.
    pub fn arm(&self, fault: ArmedFault) {
        self.lock().armed.push(fault);
    }

    /// Disarms every fault; returns how many were pending.
    pub fn clear_faults(&self) -> usize {
        let mut rt = self.lock();
        let n = rt.armed.len();
        rt.armed.clear();
        n
    }

    /// The faults still armed.
    pub fn pending_faults(&self) -> Vec<ArmedFault> {
        self.lock().armed.clone()
    }

    /// Consumes one use of the first armed fault matching this request.
    pub fn take_armed(&self, endpoint: Endpoint, config_id: Option<&str>) -> Option<Fault> {
        faults::take_armed(&mut self.lock().armed, endpoint, config_id)
    }

    /// Back to the state right after start: no faults, no caches, seed health and
    /// `lastSyncAt`, nothing in flight (bundled servers are reset by the caller).
    pub fn reset(&self) {
        let mut rt = self.lock();
        rt.generation += 1;
        rt.configs = initial(&self.seed);
        rt.armed.clear();
        drop(rt);
        self.refreshes.clear();
    }
}

fn initial(seed: &Seed) -> Vec<ConfigRuntime> {
    seed.configs
        .iter()
        .map(|c| ConfigRuntime {
            cache: None,
            live: Live {
                health_status: c.health_status.clone(),
                last_error: c.last_error.clone(),
                last_sync_at: c.last_sync_at.clone(),
            },
            in_flight: false,
        })
        .collect()
}

/// The `name` of a raw tool ("" if it has none).
pub fn tool_name(t: &Value) -> &str {
    t.get("name").and_then(Value::as_str).unwrap_or("")
}

/// Names of `a` that are not in `b`, in `a`'s order.
fn names_missing_from(a: &[Value], b: &[Value]) -> Vec<String> {
    let in_b: HashSet<&str> = b.iter().map(tool_name).collect();
    a.iter()
        .map(tool_name)
        .filter(|n| !in_b.contains(n))
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn state() -> AppState {
        AppState::new(
            Config::default(),
            crate::seed::load(None).unwrap(),
            Bundled::builtin().unwrap(),
        )
    }

    #[test]
    fn refresh_diffs_and_keeps_cache_on_failure() {
        let s = state();
        let (i, _) = s.seed.find("pconf_abc123").unwrap();
        let a = Arc::new(vec![json!({"name": "a"}), json!({"name": "b"})]);
        let b = Arc::new(vec![json!({"name": "b"}), json!({"name": "c"})]);
        let t = s.begin_refresh(i).unwrap();
        assert_eq!(s.begin_refresh(i).unwrap_err(), BeginError::InFlight);
        let o = s.finish_refresh(t, &[], a.clone()).unwrap();
        assert_eq!((o.tools_discovered, o.previous_tool_count), (2, 0));
        let t = s.begin_refresh(i).unwrap();
        let prev = s.last_cached(i).unwrap();
        let o = s.finish_refresh(t, &prev, b).unwrap();
        assert_eq!(o.new_tools, vec!["c"]);
        assert_eq!(o.removed_tools, vec!["a"]);
        let t = s.begin_refresh(i).unwrap();
        assert!(s.fail_refresh(t, "boom"));
        let live = s.live(i).unwrap();
        assert_eq!(live.health_status, "unhealthy");
        assert_eq!(live.last_error.as_deref(), Some("boom"));
        assert_eq!(s.cached(i).unwrap().tools.len(), 2);
    }

    #[test]
    fn reset_cancels_in_flight() {
        let s = state();
        let (i, _) = s.seed.find("pconf_gh42").unwrap();
        let t = s.begin_refresh(i).unwrap();
        s.reset();
        assert!(s.finish_refresh(t, &[], Arc::new(Vec::new())).is_none());
        assert!(s.begin_refresh(i).is_ok());
    }
}
