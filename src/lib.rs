//! connector-refresh: force-refresh a Freddy personal connector configuration's
//! MCP tool cache and see exactly what changed.
//!
//! `core` is DOM-free and compiles everywhere; `api` (HTTP), `app` (the services)
//! and `ui` (the views) are the browser side and compile only for `wasm32`.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod api;
#[cfg(target_arch = "wasm32")]
pub mod app;
/// Benchmark hooks, built only with the `bench` feature (kept out of the production wasm).
#[cfg(all(target_arch = "wasm32", feature = "bench"))]
pub mod bench;
#[cfg(target_arch = "wasm32")]
pub mod embed;
#[cfg(target_arch = "wasm32")]
pub mod ui;
