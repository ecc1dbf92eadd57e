//! Benchmark hooks for `bench/run.sh` (see `bench/README.md`), built only with the
//! cargo feature `bench` (`scripts/build-app.sh --features bench`).
//!
//! These exports are reachable from the page as `window.wasmBindings.*` (Trunk
//! exposes the wasm-bindgen exports there). They let the measurement script time
//! the real [`ResultView`] against a hand-written vanilla-JS renderer of the same
//! markup, and read the wasm linear memory size. Nothing in the app calls them.
//! `ResultView` is in the configuration page's part (`ui::lazy`), so the page calls
//! [`bench_ready`] first, outside any timing.

use std::any::Any;
use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::app::refresh::Outcome;
use crate::core::diff::Summary;
use crate::core::model::RefreshResult;
use crate::ui::result::ResultView;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: milliseconds since navigation start, sub-millisecond.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

thread_local! {
    /// A result kept mounted by [`bench_mount`] until [`bench_unmount`]: the
    /// container and the `UnmountHandle` (type-erased; dropping it unmounts).
    static KEPT: RefCell<Option<(web_sys::HtmlElement, Box<dyn Any>)>> = const { RefCell::new(None) };
    /// [`mount`], from the page part, once [`bench_ready`] has fetched it.
    static MOUNT: Cell<Option<Mounter>> = const { Cell::new(None) };
}

/// [`mount`]'s signature.
type Mounter = fn(u32) -> Result<(web_sys::HtmlElement, Box<dyn Any>, f64), JsValue>;

crate::part_entry!(page, load_mount, Mounter, mount);

/// Fetches the configuration page's part, where [`ResultView`] is; resolves once
/// [`bench_render`] and [`bench_mount`] can be called.
#[wasm_bindgen]
pub async fn bench_ready() -> Result<(), JsValue> {
    let mount = load_mount()
        .await
        .map_err(|_| JsValue::from_str("the configuration page's part could not be loaded"))?;
    MOUNT.set(Some(mount));
    Ok(())
}

/// [`mount`], or an error when [`bench_ready`] has not resolved yet.
fn mounted(n: u32) -> Result<(web_sys::HtmlElement, Box<dyn Any>, f64), JsValue> {
    let mount = MOUNT
        .get()
        .ok_or_else(|| JsValue::from_str("await bench_ready() first"))?;
    mount(n)
}

/// The id of the container [`bench_mount`] keeps in the page.
const KEPT_ID: &str = "bench-mount";

/// The outcome of a refresh that found `n` new tools and removed none, built the
/// way the refresh page builds it (through [`Summary::of`]) from an answer shaped
/// like the dev server's: names `tool_000000`…, a one-hour cache from now.
fn outcome(n: u32) -> Outcome {
    let now = crate::api::now();
    let result = RefreshResult {
        configuration_id: Some("pconf_bench".to_owned()),
        message: Some("Tool cache refreshed successfully.".to_owned()),
        tools_discovered: Some(i64::from(n)),
        previous_tool_count: Some(0),
        new_tools: (0..n).map(|i| format!("tool_{i:06}")).collect(),
        cached_at: Some(now),
        expires_at: Some(now.plus_seconds(3600.0)),
        reported: true,
        ..Default::default()
    };
    let summary = Summary::of(&result, "pconf_bench", now);
    Outcome {
        configuration_id: "pconf_bench".to_owned(),
        summary,
        message: result.message,
        received_at: now,
        insight: None,
        entry: None,
    }
}

/// A fresh `<div>` appended to `<body>`, or a JS error when there is no document.
fn container() -> Result<web_sys::HtmlElement, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let body = document
        .body()
        .ok_or_else(|| JsValue::from_str("no body"))?;
    let div: web_sys::HtmlElement = document.create_element("div")?.dyn_into()?;
    body.append_child(&div)?;
    Ok(div)
}

/// Mounts a [`ResultView`] for `n` new tools into a fresh container and forces
/// layout; returns the container, the mount handle and the elapsed milliseconds
/// (from just before mounting to just after layout; building the data is excluded).
fn mount(n: u32) -> Result<(web_sys::HtmlElement, Box<dyn Any>, f64), JsValue> {
    let data = outcome(n);
    let div = container()?;
    let start = performance_now();
    let handle = leptos::mount::mount_to(div.clone(), move || view! { <ResultView outcome=data/> });
    let _height = div.offset_height();
    let elapsed = performance_now() - start;
    Ok((div, Box::new(handle), elapsed))
}

/// Renders a refresh result with `n` new tools through the real [`ResultView`]
/// into a fresh container appended to `<body>`, forces layout (reads
/// `offsetHeight`), then unmounts and removes it. Returns the milliseconds from
/// mounting to the end of layout.
#[wasm_bindgen]
pub fn bench_render(n: u32) -> Result<f64, JsValue> {
    let (div, handle, elapsed) = mounted(n)?;
    drop(handle);
    div.remove();
    Ok(elapsed)
}

/// Like [`bench_render`], but leaves the result mounted in `<div id="bench-mount">`
/// (so its markup can be compared with the vanilla renderer's) until
/// [`bench_unmount`]. Returns the milliseconds taken.
#[wasm_bindgen]
pub fn bench_mount(n: u32) -> Result<f64, JsValue> {
    bench_unmount();
    let (div, handle, elapsed) = mounted(n)?;
    div.set_id(KEPT_ID);
    KEPT.with(|k| k.replace(Some((div, handle))));
    Ok(elapsed)
}

/// Unmounts and removes what [`bench_mount`] left in the page, if anything.
#[wasm_bindgen]
pub fn bench_unmount() {
    if let Some((div, handle)) = KEPT.with(RefCell::take) {
        drop(handle);
        div.remove();
    }
}

/// The byte length of the wasm module's linear memory (it only ever grows).
#[wasm_bindgen]
pub fn bench_wasm_memory_bytes() -> f64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()
        .and_then(|m| m.buffer().dyn_into::<js_sys::ArrayBuffer>().ok())
        .map_or(0.0, |b| f64::from(b.byte_length()))
}
