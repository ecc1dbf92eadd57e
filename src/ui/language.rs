//! The standalone page's language picker; the language itself (the translator in
//! context, catalogues, the saved choice) is `app::i18n`.

use leptos::prelude::*;

use crate::app::i18n::I18n;
use crate::core::i18n::{Lang, K, LANGUAGES};

/// The standalone page's language picker: a labelled `<select>` of every language
/// by its own name, with what is being loaded or why it failed.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let i18n = I18n::get();
    let current = move || i18n.with(|t| t.lang().code());
    view! {
        <span class="language-picker">
            <label>
                <span class="label-text">{i18n.text(K::LanguageLabel)}</span>
                " "
                <select
                    prop:value=current
                    on:change=move |ev| {
                        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                            i18n.switch(lang);
                        }
                    }
                >
                    {LANGUAGES
                        .iter()
                        .map(|l| {
                            view! {
                                <option value=l.code lang=l.code selected=move || current() == l.code>
                                    {l.name}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <span role="status" class="language-status">
                {move || {
                    i18n.loading.get().map(|l| i18n.f(K::LanguageLoading, &[("language", l.info().name.into())]))
                }}
                {move || i18n.error.get()}
            </span>
        </span>
    }
}
