//! The standalone page's entry point.

#[cfg(target_arch = "wasm32")]
fn main() {
    connector_refresh::ui::crash::install_panic_hook();
    leptos::mount::mount_to_body(connector_refresh::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("connector-refresh is a browser app: build it with `trunk build` (see README.md).");
}
