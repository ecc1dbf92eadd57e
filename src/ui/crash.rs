//! The last line of defence: if the app ever panics, the wasm instance is dead,
//! so the panic hook builds a plain-DOM panel (no Leptos, no closures) telling the
//! user what happened and offering a reload link, instead of a frozen page.

const PANEL_ID: &str = "connector-refresh-crash";

/// Installs the panic hook: log to the console, then (on the standalone page) show
/// the panel. Embedded, the widget only logs: it never writes into the host's page
/// outside its own element.
pub fn install_panic_hook(standalone: bool) {
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        if standalone {
            show_crash_panel(None);
        }
    }));
}

/// Shows the "something went wrong — reload" panel inside `host` (default: body).
/// Idempotent: a second call leaves the first panel alone.
pub fn show_crash_panel(host: Option<&web_sys::Element>) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.get_element_by_id(PANEL_ID).is_some() {
        return;
    }
    let host: Option<web_sys::Element> = match host {
        Some(h) => Some(h.clone()),
        None => doc.body().map(Into::into),
    };
    let (Some(host), Ok(panel), Ok(heading), Ok(text), Ok(link)) = (
        host,
        doc.create_element("section"),
        doc.create_element("h2"),
        doc.create_element("p"),
        doc.create_element("a"),
    ) else {
        return;
    };
    let _ = panel.set_attribute("id", PANEL_ID);
    let _ = panel.set_attribute("class", "card error crash");
    let _ = panel.set_attribute("role", "alert");
    heading.set_text_content(Some("Something went wrong — reload the page"));
    text.set_text_content(Some(
        "The page hit an internal error and stopped. Your key was not saved anywhere new. Reload to start again; details are in the browser console.",
    ));
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_else(|| "/".to_owned());
    let _ = link.set_attribute("href", &href);
    link.set_text_content(Some("Reload"));
    let _ = panel.append_child(&heading);
    let _ = panel.append_child(&text);
    let _ = panel.append_child(&link);
    let _ = host.prepend_with_node_1(&panel);
}
