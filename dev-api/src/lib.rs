//! `dev-api`: a local stand-in for the Freddy (Aitronos) personal-connectors API, serving
//! the built connector-refresh app on the same origin. The crate root wires the modules
//! into one [`axum::Router`] ([`build_app`]) and runs it ([`serve_on`], [`serve_until`]).

pub mod auth;
pub mod case;
pub mod clock;
pub mod config;
pub mod control;
pub mod errors;
pub mod faults;
pub mod http_layers;
pub mod login;
pub mod mcp_client;
pub mod mcp_servers;
pub mod proxy;
pub mod refresh_counter;
pub mod render;
pub mod routes;
pub mod seed;
pub mod state;
pub mod static_files;

pub use config::{parse_args, ArgsError, Config, DEFAULT_API_KEY, USAGE};

use axum::http::HeaderValue;
use axum::{middleware, Router};
use state::{AppState, SharedState};
use std::fmt;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// A problem that stops the server from starting (bad seed, bad flag value, bind failure).
#[derive(Debug)]
pub struct StartupError(pub String);

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartupError {}

/// A built application: the router, and the state it needs to know its own address.
pub struct App {
    router: Router,
    state: SharedState,
}

impl App {
    /// The router (e.g. to serve it some other way).
    pub fn router(&self) -> Router {
        self.router.clone()
    }
}

/// Builds the whole application: fake API (or upstream proxy) under `/v1/`, the control
/// API under `/__dev/`, the bundled MCP servers under `/mcp/`, static files everywhere
/// else, plus request ids and CORS.
pub fn build_app(cfg: Config) -> Result<App, StartupError> {
    let seed = seed::load(cfg.seed.as_deref()).map_err(|e| StartupError(e.to_string()))?;
    let mine: Vec<seed::ConfigSeed> = cfg
        .mcp
        .iter()
        .map(|(name, url)| {
            let token = cfg
                .mcp_tokens
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone());
            seed::ConfigSeed::user_mcp(name, url, token)
        })
        .collect();
    let seed = seed
        .with_first(mine)
        .map_err(|e| StartupError(format!("--mcp: {e}")))?;
    let bundled = mcp_servers::Bundled::builtin().map_err(|e| StartupError(e.to_string()))?;
    for c in &seed.configs {
        if let seed::McpTarget::Bundled(name) = &c.mcp {
            if bundled.get(name).is_none() {
                let known: Vec<&str> = bundled.iter().map(|s| s.name.as_str()).collect();
                return Err(StartupError(format!(
                    "seed: configuration {:?}: no bundled MCP server {name:?} (known: {})",
                    c.id,
                    known.join(", ")
                )));
            }
        }
    }
    clock::set_offset(cfg.clock_offset_secs).map_err(|current| {
        StartupError(format!(
            "--clock-offset-seconds {}: this process's clock already runs {current} s off (the offset is process-wide)",
            cfg.clock_offset_secs
        ))
    })?;
    mcp_client::install_crypto_provider();
    let csp = match cfg.effective_csp().as_deref() {
        Some(p) => Some(
            HeaderValue::from_str(p)
                .map_err(|_| StartupError(format!("--csp: invalid header value {p:?}")))?,
        ),
        None => None,
    };
    let cors = http_layers::cors(&cfg.cors_origins).map_err(StartupError)?;
    let statics = static_files::router(&cfg.dist, &cfg.examples, csp);
    let upstream = cfg.upstream.clone();
    let extra_hosts = vec![cfg.host.clone(), format!("[{}]", cfg.host)];
    let logins = Arc::new(login::Logins::new(cfg.token_ttl));
    let state: SharedState = Arc::new(AppState::new(cfg, seed, bundled));
    let api: Router<SharedState> = match upstream {
        Some(url) => {
            let up = proxy::Upstream::new(&url).map_err(StartupError)?;
            proxy::router(Arc::new(up)).merge(control::unavailable_router())
        }
        None => routes::router(state.clone())
            .merge(login::router(logins.clone()))
            .merge(control::router())
            .merge(mcp_servers::router(&state.bundled, &extra_hosts))
            .merge(control::mcp_not_found_router()),
    };
    let mut app = api.merge(statics);
    if let Some(cors) = cors {
        app = app.layer(cors);
    }
    // The access tokens `auth.rs` accepts beside the key.
    let router = app
        .layer(axum::Extension(logins))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http_layers::request_id,
        ))
        // Outermost, so every answer (CORS preflights, 404s, static files) has it.
        .layer(middleware::from_fn(http_layers::date))
        .with_state(state.clone());
    Ok(App { router, state })
}

/// `http://127.0.0.1:PORT` (or the bound address) for reaching this server from itself.
pub fn loopback_base(addr: SocketAddr) -> String {
    let ip = addr.ip();
    let host = if ip.is_unspecified() {
        if ip.is_ipv4() {
            "127.0.0.1".to_owned()
        } else {
            "[::1]".to_owned()
        }
    } else if ip.is_ipv6() {
        format!("[{ip}]")
    } else {
        ip.to_string()
    };
    format!("http://{host}:{}", addr.port())
}

/// Binds `--host`:`--port`.
pub async fn bind(cfg: &Config) -> Result<TcpListener, StartupError> {
    let addr = format!("{}:{}", cfg.host, cfg.port);
    let addr = if cfg.host.contains(':') && !cfg.host.starts_with('[') {
        format!("[{}]:{}", cfg.host, cfg.port)
    } else {
        addr
    };
    TcpListener::bind(&addr)
        .await
        .map_err(|e| StartupError(format!("cannot listen on {addr}: {e}")))
}

/// The start-up lines printed to stdout (without trailing newline).
pub fn banner(addr: SocketAddr, cfg: &Config) -> String {
    let second = match &cfg.upstream {
        Some(url) => format!("proxying /v1/* to {url}"),
        None => format!(
            "demo API key: {}\ndemo user: {} / password: {} (the sign-in code is printed here)",
            cfg.api_key,
            login::DEMO_EMAIL,
            login::DEMO_PASSWORD
        ),
    };
    format!("connector-refresh dev server listening on http://{addr}/\n{second}")
}

/// Serves an already built app until `shutdown` completes (in-flight requests finish).
pub async fn serve_app(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    if let Ok(addr) = listener.local_addr() {
        app.state.set_loopback(loopback_base(addr));
    }
    axum::serve(listener, app.router)
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| StartupError(format!("server error: {e}")))
}

/// Builds the app for `cfg` and serves it on `listener` until `shutdown` completes.
pub async fn serve_until(
    listener: TcpListener,
    cfg: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartupError> {
    let app = build_app(cfg)?;
    serve_app(listener, app, shutdown).await
}

/// Builds the app for `cfg` and serves it on `listener` until Ctrl-C or SIGTERM.
pub async fn serve_on(listener: TcpListener, cfg: Config) -> Result<(), StartupError> {
    serve_until(listener, cfg, shutdown_signal()).await
}

/// Completes on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
