//! Mutable server state: per-configuration tool caches, scripted sequence positions,
//! `lastSyncAt`, in-flight refresh flags, the armed faults and the request counter.
//! Everything sits behind one `std::sync::Mutex` that is never held across an `.await`.

use crate::clock;
use crate::config::Config;
use crate::faults::{self, ArmedFault, Endpoint, Fault};
use crate::seed::{ConfigSeed, Seed, ToolDefinition};
use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
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
    runtime: Mutex<Runtime>,
    request_counter: AtomicU64,
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
    position: usize,
    cache: Option<CacheEntry>,
    last_sync_at: Option<String>,
    in_flight: bool,
}

#[derive(Debug, Clone)]
struct CacheEntry {
    set_index: usize,
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
    /// The cached tool set.
    pub tools: Arc<Vec<ToolDefinition>>,
    /// When it was cached (configuration clock).
    pub cached_at: DateTime<Utc>,
    /// When it expires (configuration clock).
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

/// A started refresh, to be finished with [`AppState::finish_refresh`].
#[derive(Debug, Clone, Copy)]
pub struct RefreshTicket {
    index: usize,
    generation: u64,
}

/// What a finished refresh reports.
#[derive(Debug, Clone)]
pub struct RefreshOutcome {
    /// Size of the new tool set.
    pub tools_discovered: usize,
    /// Size of the set that was current before.
    pub previous_tool_count: usize,
    /// Names in the new set but not the old one (new-set order).
    pub new_tools: Vec<String>,
    /// Names in the old set but not the new one (old-set order).
    pub removed_tools: Vec<String>,
    /// When the new set was cached.
    pub cached_at: DateTime<Utc>,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

impl AppState {
    /// Fresh state for this seed.
    pub fn new(cfg: Config, seed: Seed) -> Self {
        let runtime = Runtime {
            generation: 0,
            configs: initial(&seed),
            armed: Vec::new(),
        };
        AppState {
            cfg,
            seed,
            runtime: Mutex::new(runtime),
            request_counter: AtomicU64::new(1),
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

    /// Current `lastSyncAt` of every configuration (indexed like `seed.configs`).
    pub fn last_sync_all(&self) -> Vec<Option<String>> {
        self.lock()
            .configs
            .iter()
            .map(|c| c.last_sync_at.clone())
            .collect()
    }

    /// Current `lastSyncAt` of one configuration.
    pub fn last_sync_at(&self, index: usize) -> Option<String> {
        self.lock()
            .configs
            .get(index)
            .and_then(|c| c.last_sync_at.clone())
    }

    /// The instant a cache entry of this configuration is stamped with.
    fn stamp(&self, seed: &ConfigSeed) -> (DateTime<Utc>, DateTime<Utc>) {
        let at = seed.frozen_clock.unwrap_or_else(clock::now);
        let ttl = chrono::Duration::from_std(self.cfg.ttl).unwrap_or(chrono::Duration::MAX);
        (at, at.checked_add_signed(ttl).unwrap_or(at))
    }

    fn new_entry(&self, seed: &ConfigSeed, set_index: usize) -> CacheEntry {
        let (cached_at, expires_at) = self.stamp(seed);
        CacheEntry {
            set_index,
            cached_at,
            expires_at,
            real_expiry: Instant::now().checked_add(self.cfg.ttl),
        }
    }

    /// The cached tools of a configuration, refilling the cache from the current set if it
    /// is empty or expired, or unconditionally when `force` is set (the sequence never moves).
    pub fn tools(&self, index: usize, force: bool) -> Option<ToolsView> {
        let seed = self.seed.configs.get(index)?;
        let mut rt = self.lock();
        let entry = rt.configs.get_mut(index)?;
        let live = entry
            .cache
            .as_ref()
            .filter(|c| c.real_expiry.is_none_or(|t| Instant::now() < t))
            .cloned();
        let (cache, status) = match (force, live) {
            (false, Some(c)) => (c, CacheStatus::Hit),
            (f, _) => {
                let c = self.new_entry(seed, entry.position);
                entry.cache = Some(c.clone());
                (
                    c,
                    if f {
                        CacheStatus::Bypass
                    } else {
                        CacheStatus::Miss
                    },
                )
            }
        };
        let tools = seed.tool_sets.get(cache.set_index)?.clone();
        Some(ToolsView {
            tools,
            cached_at: cache.cached_at,
            expires_at: cache.expires_at,
            status,
        })
    }

    /// Starts a refresh: checks enabled / not already running, marks it in flight and drops
    /// the cache.
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
        entry.cache = None;
        Ok(RefreshTicket { index, generation })
    }

    /// Finishes a refresh: advances the sequence (cyclically), caches the new set and
    /// updates `lastSyncAt`. `None` if a reset happened since [`AppState::begin_refresh`].
    pub fn finish_refresh(&self, ticket: RefreshTicket) -> Option<RefreshOutcome> {
        let seed = self.seed.configs.get(ticket.index)?;
        let mut rt = self.lock();
        if rt.generation != ticket.generation {
            return None;
        }
        let entry = rt.configs.get_mut(ticket.index)?;
        entry.in_flight = false;
        let sets = &seed.tool_sets;
        let previous = sets.get(entry.position)?.clone();
        entry.position = (entry.position + 1) % sets.len().max(1);
        let current = sets.get(entry.position)?.clone();
        let cache = self.new_entry(seed, entry.position);
        entry.last_sync_at = Some(clock::rfc3339(cache.cached_at));
        let outcome = RefreshOutcome {
            tools_discovered: current.len(),
            previous_tool_count: previous.len(),
            new_tools: names_missing_from(&current, &previous),
            removed_tools: names_missing_from(&previous, &current),
            cached_at: cache.cached_at,
            expires_at: cache.expires_at,
        };
        entry.cache = Some(cache);
        Some(outcome)
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

    /// Back to the state right after start: no faults, no caches, sequences at their first
    /// set, seed `lastSyncAt`, nothing in flight.
    pub fn reset(&self) {
        let mut rt = self.lock();
        rt.generation += 1;
        rt.configs = initial(&self.seed);
        rt.armed.clear();
    }
}

fn initial(seed: &Seed) -> Vec<ConfigRuntime> {
    seed.configs
        .iter()
        .map(|c| ConfigRuntime {
            position: 0,
            cache: None,
            last_sync_at: c.last_sync_at.clone(),
            in_flight: false,
        })
        .collect()
}

/// Names of `a` that are not in `b`, in `a`'s order.
fn names_missing_from(a: &[ToolDefinition], b: &[ToolDefinition]) -> Vec<String> {
    let in_b: HashSet<&str> = b.iter().map(|t| t.name.as_str()).collect();
    a.iter()
        .filter(|t| !in_b.contains(t.name.as_str()))
        .map(|t| t.name.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> AppState {
        AppState::new(Config::default(), crate::seed::load(None).unwrap())
    }

    #[test]
    fn refresh_cycles_and_diffs() {
        let s = state();
        let (i, _) = s.seed.find("pconf_abc123").unwrap();
        let mut sizes = Vec::new();
        for _ in 0..5 {
            let t = s.begin_refresh(i).unwrap();
            assert_eq!(s.begin_refresh(i).unwrap_err(), BeginError::InFlight);
            let o = s.finish_refresh(t).unwrap();
            assert!(!o.new_tools.is_empty() || !o.removed_tools.is_empty());
            sizes.push((o.previous_tool_count, o.tools_discovered));
        }
        assert_eq!(sizes, vec![(6, 8), (8, 7), (7, 8), (8, 6), (6, 8)]);
    }

    #[test]
    fn reset_cancels_in_flight() {
        let s = state();
        let (i, _) = s.seed.find("pconf_gh42").unwrap();
        let t = s.begin_refresh(i).unwrap();
        s.reset();
        assert!(s.finish_refresh(t).is_none());
        assert!(s.begin_refresh(i).is_ok());
    }
}
