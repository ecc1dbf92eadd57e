//! How the app moves between the list and a configuration. The standalone page
//! uses the router (real URLs, deep links); an embedded widget keeps the choice in
//! a signal and never touches the host page's URL or history.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::core::session::encode_component;

/// The app path of a configuration's page.
pub fn configuration_path(id: &str) -> String {
    format!("/configurations/{}", encode_component(id))
}

/// Navigation, provided once by the root component.
#[derive(Clone, Copy)]
pub enum Nav {
    /// Standalone: the router.
    Router,
    /// Embedded: the selected configuration (`None` = the list); `fixed` hides the way back.
    Local {
        /// The configuration shown, if any.
        selected: RwSignal<Option<String>>,
        /// Whether the host fixed the configuration (no list, no way back).
        fixed: bool,
    },
}

impl Nav {
    /// The provided navigation (the router if none was provided).
    pub fn get() -> Self {
        use_context::<Nav>().unwrap_or(Nav::Router)
    }

    /// A link to a configuration: a router link, or a button in a widget.
    pub fn link_to(self, id: String, label: String) -> AnyView {
        match self {
            Nav::Router => {
                view! { <leptos_router::components::A href=configuration_path(&id)>{label}</leptos_router::components::A> }.into_any()
            }
            Nav::Local { selected, .. } => {
                view! { <button type="button" class="link" on:click=move |_| selected.set(Some(id.clone()))>{label}</button> }.into_any()
            }
        }
    }

    /// A function that opens a configuration by id (e.g. for the "open by id"
    /// form). Call this while building the component, not in the event handler.
    pub fn opener(self) -> impl Fn(&str) + Clone + 'static {
        let navigate = matches!(self, Nav::Router).then(use_navigate);
        move |id: &str| match (&navigate, self) {
            (Some(navigate), _) => navigate(&configuration_path(id), Default::default()),
            (None, Nav::Local { selected, .. }) => selected.set(Some(id.to_owned())),
            (None, Nav::Router) => {}
        }
    }

    /// The "back to the list" link, if there is a list to go back to.
    pub fn back_link(self) -> Option<AnyView> {
        match self {
            Nav::Router => Some(
                view! { <p class="back"><leptos_router::components::A href="/">"← All configurations"</leptos_router::components::A></p> }
                    .into_any(),
            ),
            Nav::Local { fixed: true, .. } => None,
            Nav::Local { selected, .. } => Some(
                view! { <p class="back"><button type="button" class="link" on:click=move |_| selected.set(None)>"← All configurations"</button></p> }
                    .into_any(),
            ),
        }
    }
}
