//! The last line of defence: if the app ever panics, the wasm instance is dead,
//! so the panic hook builds a plain-DOM panel (no Leptos, no closures) telling the
//! user what happened and offering a reload link, instead of a frozen page.
//!
//! The hook cannot read the reactive language (the runtime may be mid-update when
//! it panics), so [`follow_language`] keeps a copy of the panel's three texts in the
//! current language, renewed on every switch; before that, they are English.

use std::cell::RefCell;

use leptos::prelude::*;

use crate::app::i18n::I18n;
use crate::core::i18n::{Tr, K};

const PANEL_ID: &str = "connector-refresh-crash";

/// The panel's heading, text and link label.
#[derive(Clone)]
struct Texts {
    heading: String,
    text: String,
    reload: String,
}

impl Texts {
    fn of(tr: &Tr) -> Self {
        Texts {
            heading: tr.t(K::RefreshCrashTitle),
            text: tr.t(K::RefreshCrashText),
            reload: tr.t(K::RefreshCrashReload),
        }
    }
}

thread_local! {
    static TEXTS: RefCell<Option<Texts>> = const { RefCell::new(None) };
}

/// Keeps the panel's texts in `i18n`'s language, now and after every switch (call
/// once, inside the app's reactive owner).
pub fn follow_language(i18n: I18n) {
    Effect::new(move |_| {
        let texts = i18n.with(Texts::of);
        TEXTS.with(|t| {
            if let Ok(mut t) = t.try_borrow_mut() {
                *t = Some(texts);
            }
        });
    });
}

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
    let texts = TEXTS
        .try_with(|t| t.try_borrow().ok().and_then(|t| t.clone()))
        .ok()
        .flatten()
        .unwrap_or_else(|| Texts::of(&Tr::english()));
    heading.set_text_content(Some(&texts.heading));
    text.set_text_content(Some(&texts.text));
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_else(|| "/".to_owned());
    let _ = link.set_attribute("href", &href);
    link.set_text_content(Some(&texts.reload));
    let _ = panel.append_child(&heading);
    let _ = panel.append_child(&text);
    let _ = panel.append_child(&link);
    let _ = host.prepend_with_node_1(&panel);
}
