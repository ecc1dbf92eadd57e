//! The pager under a paged table: which rows are shown, and the previous and
//! next pages.

use leptos::prelude::*;

use crate::app::i18n::I18n;
use crate::core::i18n::K;

/// The rows shown (`status`, announced to screen readers when `announced`), and
/// buttons `previous` and `next` that move `page_no` within `0..=last_page()`.
pub fn pager(
    page_no: RwSignal<usize>,
    last_page: impl Fn() -> usize + Copy + Send + Sync + 'static,
    status: impl Fn() -> String + Send + Sync + 'static,
    announced: bool,
    previous: K,
    next: K,
) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <div class="pager">
            <p class="hint" role=announced.then_some("status")>{status}</p>
            <button type="button" class="secondary" disabled=move || page_no.get() == 0
                on:click=move |_| page_no.update(|p| *p = p.saturating_sub(1))>{i18n.text(previous)}</button>
            <button type="button" class="secondary" disabled={move || page_no.get() >= last_page()}
                on:click=move |_| page_no.update(|p| *p = (*p + 1).min(last_page()))>{i18n.text(next)}</button>
        </div>
    }
}
