//! The embedded widget's root: the same list and refresh page as the standalone
//! app, with in-widget navigation, the token from the host page instead of a
//! sign-in form, and a colour scheme class.

use leptos::prelude::*;

use crate::app::auth::Auth;
use crate::app::i18n::I18n;
use crate::core::i18n::K;
use crate::core::options::Theme;
use crate::core::review::baseline::Baseline;

use super::bulk::BulkPart;
use super::clock::Clock;
use super::configurations::ConfigurationList;
use super::nav::Nav;
use super::refresh::Page;

/// The widget: the picker (unless a configuration is fixed) and the refresh page.
#[component]
pub fn Widget(
    /// A configuration fixed by the host; hides the picker.
    configuration_id: Option<String>,
    /// Colour scheme.
    theme: Theme,
    /// The reviewed baseline the host kept (the `reviewedBaseline` option).
    reviewed_baseline: Option<Baseline>,
) -> impl IntoView {
    Clock::provide();
    crate::app::provide(false, reviewed_baseline);
    BulkPart::provide();
    Page::provide();
    let fixed = configuration_id.is_some();
    let selected = RwSignal::new(configuration_id);
    provide_context(Nav::Local { selected, fixed });
    let auth = Auth::get();
    let i18n = I18n::get();
    view! {
        // The widget's own language, never the host page's <html lang>.
        <div class=format!("cr-app theme-{}", theme.as_str()) lang=move || i18n.lang().code()>
            <Show when=move || auth.session.with(Option::is_some) fallback=move || view! {
                <section class="card" role="alert">
                    <h2>{i18n.text(K::AppWaitingTitle)}</h2>
                    <p>{move || match auth.notice.get() {
                        Some(n) => i18n.with(|tr| n.message(tr)),
                        None => i18n.t(K::AppNoTokenYet),
                    }}</p>
                </section>
            }>
                {move || match selected.get() {
                    None => view! { <ConfigurationList/> }.into_any(),
                    Some(id) => Page::show(id),
                }}
            </Show>
        </div>
    }
}
