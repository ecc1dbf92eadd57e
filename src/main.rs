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
        use connector_refresh::app::i18n;
        // A language other than English is fetched before the first render, so the
        // page never flashes English at someone who reads German.
        let (reader, chosen) = i18n::standalone_reader();
        wasm_bindgen_futures::spawn_local(async move {
            let (tr, failed) = i18n::load(&reader, chosen, i18n::STANDALONE_BASE).await;
            leptos::mount::mount_to_body(move || {
                let i18n = i18n::I18n::provide(tr, i18n::STANDALONE_BASE, true, reader);
                connector_refresh::ui::crash::follow_language(i18n);
                if let Some((lang, reason)) = failed {
                    i18n.report_failure(lang, reason);
                }
                connector_refresh::ui::App()
            });
        });
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("connector-refresh is a browser app: build it with `trunk build` (see README.md).");
}
