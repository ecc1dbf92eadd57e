//! The components. They read signals and render; the rules live in `core`.
//!
//! `App` is the standalone page: a router over the configuration list and one
//! configuration's refresh page, behind the sign-in form.

pub mod auth;
pub mod clock;
pub mod configurations;
pub mod crash;
pub mod events;
pub mod history_view;
pub mod insight;
pub mod names;
pub mod nav;
pub mod refresh;
pub mod result;
pub mod widget;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

use auth::{Auth, SignIn};
use clock::Clock;
use configurations::ConfigurationList;
use refresh::ConfigurationPage;

/// Settings that differ between hosts (standalone page, embedded widget).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Default API base URL offered on the sign-in form.
    pub default_base_url: String,
    /// Page size for the configuration list.
    pub page_size: usize,
    /// Locale for dates and times (`None`: the browser's).
    pub locale: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        Self { default_base_url: origin, page_size: 20, locale: None }
    }
}

/// The standalone app: header, sign-in gate and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Settings::default());
    events::Events::provide(None);
    provide_context(nav::Nav::Router);
    let auth = Auth::provide();
    Clock::provide();
    refresh::Gates::get();
    history_view::HistoryStore::provide(true);
    view! {
        <Router>
            <header class="topbar">
                <A href="/" attr:class="brand">"Connector refresh"</A>
                <Show when=move || auth.session.with(Option::is_some)>
                    <span class="signed-in">
                        "Signed in to " {move || auth.session.with(|s| s.as_ref().map(|s| s.origin().to_owned()))}
                    </span>
                    <button type="button" class="secondary" on:click=move |_| auth.sign_out(None)>"Sign out"</button>
                </Show>
            </header>
            <main id="main">
                <Show when=move || auth.session.with(Option::is_some) fallback=|| view! { <SignIn/> }>
                    <Routes fallback=|| view! { <p>"Page not found. " <A href="/">"Back to the list"</A></p> }>
                        <Route path=path!("/") view=ConfigurationList/>
                        <Route path=path!("/configurations/:id") view=ConfigurationPage/>
                    </Routes>
                </Show>
            </main>
        </Router>
    }
}
