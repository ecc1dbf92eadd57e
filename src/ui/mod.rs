//! The components. They read signals and render; the rules live in `core`, the
//! workflows (sign-in state, refreshes, the bulk queue, the history) in `app`.
//!
//! `App` is the standalone page: the configuration list and one configuration's
//! refresh page, chosen by the URL path (`nav`), behind the sign-in form.

pub mod bulk;
pub mod clock;
pub mod configurations;
pub mod crash;
pub mod history_view;
pub mod insight;
pub mod language;
pub mod lazy;
pub mod names;
pub mod nav;
pub mod pager;
pub mod refresh;
pub mod result;
pub mod review;
pub mod sign_in;
pub mod widget;

use leptos::prelude::*;

use crate::app::auth::Auth;
use crate::app::events::Events;
use crate::app::i18n::I18n;
use crate::core::i18n::K;
use bulk::BulkPart;
use clock::Clock;
use configurations::ConfigurationList;
use language::LanguagePicker;
use nav::{Nav, Route};
use refresh::Page;
use sign_in::SignIn;

/// Settings that differ between hosts (standalone page, embedded widget).
#[derive(Clone, Debug)]
pub struct Settings {
    /// Default API base URL offered on the sign-in form.
    pub default_base_url: String,
    /// Page size for the configuration list.
    pub page_size: usize,
}

impl Default for Settings {
    fn default() -> Self {
        let origin = web_sys::window()
            .and_then(|w| w.location().origin().ok())
            .unwrap_or_default();
        Self {
            default_base_url: origin,
            page_size: 20,
        }
    }
}

/// The standalone app: header, sign-in gate and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Settings::default());
    Events::provide(None);
    let nav = Nav::provide_url();
    let auth = Auth::provide();
    let i18n = I18n::get();
    Clock::provide();
    crate::app::provide(true, None);
    BulkPart::provide();
    Page::provide();
    // Re-renders only when the route changes; a new id re-creates the refresh
    // panel, so nothing from one configuration is ever shown under another.
    let route = Memo::new(move |_| nav.route());
    // A session that ended (renewal refused) leaves the page on screen beside the
    // sign-in form until the user goes elsewhere.
    Effect::watch(
        move || route.get(),
        move |_, _, _| auth.lapsed.set(false),
        false,
    );
    view! {
        <header class="topbar">
            {nav.home_link(K::AppBrand, Some("brand"))}
            <LanguagePicker/>
            <Show when=move || auth.session.with(Option::is_some)>
                <span class="signed-in">
                    {move || {
                        let origin = auth.session.with(|s| s.as_ref().map(|s| s.origin().to_owned()));
                        i18n.f(K::AppSignedInTo, &[("origin", origin.unwrap_or_default().into())])
                    }}
                </span>
                <button type="button" class="secondary" on:click=move |_| auth.sign_out_by_user()>{i18n.text(K::AppSignOut)}</button>
            </Show>
        </header>
        <main id="main">
            <Show when=move || auth.session.with(Option::is_none)>
                <SignIn/>
            </Show>
            <Show when=move || auth.session.with(Option::is_some) || auth.lapsed.get()>
                {move || match route.get() {
                    Route::List => view! { <ConfigurationList/> }.into_any(),
                    Route::Configuration(id) => Page::show(id),
                    Route::NotFound => {
                        let back = nav.home_link(K::AppBackToList, None);
                        view! { <p>{i18n.text(K::AppNotFound)}" " {back}</p> }.into_any()
                    }
                }}
            </Show>
        </main>
    }
}
