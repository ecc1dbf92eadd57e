//! The standalone page's entry point.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(connector_refresh::ui::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("connector-refresh is a browser app: build it with `trunk build` (see README.md).");
}
