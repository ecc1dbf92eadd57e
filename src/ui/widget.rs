//! The embedded widget's root: the same list and refresh page as the standalone
//! app, with in-widget navigation, the token from the host page instead of a
//! sign-in form, and a colour scheme class.

use leptos::prelude::*;

use crate::core::options::Theme;

use super::auth::Auth;
use super::clock::Clock;
use super::configurations::ConfigurationList;
use super::nav::Nav;
use super::refresh::{Gates, RefreshPanel};

/// The widget: the picker (unless a configuration is fixed) and the refresh page.
#[component]
pub fn Widget(
    /// A configuration fixed by the host; hides the picker.
    configuration_id: Option<String>,
    /// Colour scheme.
    theme: Theme,
) -> impl IntoView {
    Clock::provide();
    Gates::get();
    super::history_view::HistoryStore::provide(false);
    super::bulk::Bulk::provide();
    let fixed = configuration_id.is_some();
    let selected = RwSignal::new(configuration_id);
    provide_context(Nav::Local { selected, fixed });
    let auth = Auth::get();
    view! {
        <div class=format!("cr-app theme-{}", theme.as_str())>
            <Show when=move || auth.session.with(Option::is_some) fallback=move || view! {
                <section class="card" role="alert">
                    <h2>"Waiting for access"</h2>
                    <p>{move || auth.notice.get().unwrap_or_else(|| "The host page has not provided an access token yet.".to_owned())}</p>
                </section>
            }>
                {move || match selected.get() {
                    None => view! { <ConfigurationList/> }.into_any(),
                    Some(id) => view! { <RefreshPanel id=id/> }.into_any(),
                }}
            </Show>
        </div>
    }
}
