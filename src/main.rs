//! The standalone page's entry point.
//!
//! The same wasm also backs the embedding module (`dist/embed.js`), whose
//! initialisation runs this too: the standalone app mounts only on the page that
//! asks for it (`<body data-connector-refresh-standalone>`), so embedding has no
//! side effect on the host page.

#[cfg(target_arch = "wasm32")]
fn main() {
    let standalone = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
        .is_some_and(|b| b.has_attribute("data-connector-refresh-standalone"));
    connector_refresh::ui::crash::install_panic_hook(standalone);
    if standalone {
        leptos::mount::mount_to_body(connector_refresh::ui::App);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("connector-refresh is a browser app: build it with `trunk build` (see README.md).");
}
