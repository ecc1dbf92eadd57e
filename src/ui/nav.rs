//! How the app moves between the list and a configuration. The standalone page
//! keeps the choice in the URL (real links, deep links, Back and Forward, through
//! the History API); an embedded widget keeps it in a signal and never touches the
//! host page's URL or history.
//!
//! Two routes do not need a router crate: `core::route` parses the path, and this
//! file is the rest (it replaced `leptos_router`, about 10 KB of the brotli bundle).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

pub use crate::core::route::{configuration_path, Route};

use crate::app::i18n::I18n;
use crate::core::i18n::K;

/// Navigation, provided once by the root component.
#[derive(Clone, Copy)]
pub enum Nav {
    /// Standalone: the page's URL path (`location.pathname`).
    Url(RwSignal<String>),
    /// Embedded: the selected configuration (`None` = the list); `fixed` hides the way back.
    Local {
        /// The configuration shown, if any.
        selected: RwSignal<Option<String>>,
        /// Whether the host fixed the configuration (no list, no way back).
        fixed: bool,
    },
}

fn pathname() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_owned())
}

impl Nav {
    /// Provides URL navigation for the standalone page: follows Back/Forward.
    pub fn provide_url() -> Self {
        let path = RwSignal::new(pathname());
        let handle = window_event_listener(ev::popstate, move |_| path.set(pathname()));
        on_cleanup(move || handle.remove());
        let nav = Nav::Url(path);
        provide_context(nav);
        nav
    }

    /// The provided navigation (a list-only local one if none was provided).
    pub fn get() -> Self {
        use_context::<Nav>().unwrap_or_else(|| Nav::Local {
            selected: RwSignal::new(None),
            fixed: false,
        })
    }

    /// What is shown now (tracked).
    pub fn route(self) -> Route {
        match self {
            Nav::Url(path) => path.with(|p| crate::core::route::parse(p)),
            Nav::Local { selected, .. } => selected.get().map_or(Route::List, Route::Configuration),
        }
    }

    /// Goes to `path` (a new history entry), unless it is already shown.
    fn push(path_signal: RwSignal<String>, path: &str) {
        if path_signal.with_untracked(|p| p == path) {
            return;
        }
        if let Some(w) = web_sys::window() {
            if let Ok(h) = w.history() {
                let _ = h.push_state_with_url(&JsValue::NULL, "", Some(path));
            }
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
        path_signal.set(path.to_owned());
    }

    /// A link to an app path: a real `<a href>` whose plain left click is handled
    /// here (a click with a modifier key opens a new tab or window as usual).
    fn url_link(
        path_signal: RwSignal<String>,
        href: String,
        label: impl IntoView + 'static,
        class: Option<&'static str>,
    ) -> AnyView {
        let target = href.clone();
        let on_click = move |e: ev::MouseEvent| {
            if e.default_prevented()
                || e.button() != 0
                || e.ctrl_key()
                || e.meta_key()
                || e.shift_key()
                || e.alt_key()
            {
                return;
            }
            e.prevent_default();
            Nav::push(path_signal, &target);
        };
        let current = {
            let href = href.clone();
            move || path_signal.with(|p| *p == href).then_some("page")
        };
        view! { <a href=href class=class aria-current=current on:click=on_click>{label}</a> }
            .into_any()
    }

    /// A link to the list (the standalone page's brand link), or plain text in a
    /// widget; its text is the message `label` in the language on screen.
    pub fn home_link(self, label: K, class: Option<&'static str>) -> AnyView {
        let i18n = I18n::get();
        let label = move || i18n.t(label);
        match self {
            Nav::Url(path) => Nav::url_link(path, "/".to_owned(), label, class),
            Nav::Local { .. } => view! { <span class=class>{label}</span> }.into_any(),
        }
    }

    /// A link to a configuration: a URL link, or a button in a widget.
    pub fn link_to(self, id: String, label: String) -> AnyView {
        match self {
            Nav::Url(path) => Nav::url_link(path, configuration_path(&id), label, None),
            Nav::Local { selected, .. } => {
                view! { <button type="button" class="link" on:click=move |_| selected.set(Some(id.clone()))>{label}</button> }.into_any()
            }
        }
    }

    /// A function that opens a configuration by id (e.g. for the "open by id" form).
    pub fn opener(self) -> impl Fn(&str) + Clone + 'static {
        move |id: &str| match self {
            Nav::Url(path) => Nav::push(path, &configuration_path(id)),
            Nav::Local { selected, .. } => selected.set(Some(id.to_owned())),
        }
    }

    /// The "back to the list" link, if there is a list to go back to.
    pub fn back_link(self) -> Option<AnyView> {
        let i18n = I18n::get();
        let label = i18n.text(K::AppAllConfigurations);
        match self {
            Nav::Url(path) => {
                let link = Nav::url_link(path, "/".to_owned(), label, None);
                Some(view! { <p class="back">{link}</p> }.into_any())
            }
            Nav::Local { fixed: true, .. } => None,
            Nav::Local { selected, .. } => Some(
                view! { <p class="back"><button type="button" class="link" on:click=move |_| selected.set(None)>{label}</button></p> }
                    .into_any(),
            ),
        }
    }
}
