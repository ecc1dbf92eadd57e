//! The active language: a reactive translator in context, the browser's `Intl` for
//! plurals and numbers, fetching another language's catalogue (the picker is `ui::language`).
//!
//! Which language: on the standalone page the picker's choice (kept in localStorage:
//! it is not a secret), else the first of `navigator.languages` there is a catalogue
//! for, else English; in the widget its `locale` option, else the browser's.

use std::cell::OnceCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::core::i18n::{Arg, Catalog, Lang, Locale, Plural, Tr, K};

/// Where the standalone page's catalogues are (the page is served at its origin's root).
pub const STANDALONE_BASE: &str = "/i18n/";

/// localStorage key of the standalone page's language choice.
const CHOICE_KEY: &str = "connector-refresh.language";

/// `Intl.PluralRules` and `Intl.NumberFormat` for one locale tag, each made when it
/// is first needed: the sign-in form shows no number, so none is made before the
/// first render.
pub struct IntlLocale {
    tag: String,
    plural: OnceCell<js_sys::Intl::PluralRules>,
    number: OnceCell<js_sys::Intl::NumberFormat>,
}

impl IntlLocale {
    /// For a tag `Intl` accepts (see [`translator`] for one it may not).
    pub fn new(tag: &str) -> Self {
        IntlLocale {
            tag: tag.to_owned(),
            plural: OnceCell::new(),
            number: OnceCell::new(),
        }
    }

    fn locales(&self) -> js_sys::Array {
        js_sys::Array::of1(&self.tag.as_str().into())
    }
}

impl Locale for IntlLocale {
    fn plural(&self, n: i64) -> Plural {
        let rules = self.plural.get_or_init(|| {
            js_sys::Intl::PluralRules::new(&self.locales(), &js_sys::Object::new())
        });
        let s: String = rules.select(n as f64).into();
        Plural::from_cldr(&s)
    }

    fn number(&self, n: i64) -> String {
        let number = self.number.get_or_init(|| {
            js_sys::Intl::NumberFormat::new(&self.locales(), &js_sys::Object::new())
        });
        number
            .format()
            .call1(number, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| n.to_string())
    }
}

/// A translator for `lang` written for `tag`, with the browser's rules.
pub fn translator(lang: Lang, tag: &str, catalog: Catalog) -> Tr {
    // A tag Intl refuses would throw: fall back to the language's own code.
    let tag = if valid_tag(tag) { tag } else { lang.code() };
    Tr::new(lang, tag, catalog, Rc::new(IntlLocale::new(tag)))
}

/// Whether `Intl` accepts `tag` (`Intl.getCanonicalLocales` throws on one it does not).
fn valid_tag(tag: &str) -> bool {
    use wasm_bindgen::JsCast;
    js_sys::Reflect::get(&js_sys::global(), &"Intl".into())
        .ok()
        .and_then(|intl| js_sys::Reflect::get(&intl, &"getCanonicalLocales".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .is_some_and(|f| f.call1(&JsValue::UNDEFINED, &tag.into()).is_ok())
}

/// `navigator.languages` (or `navigator.language`), most preferred first.
pub fn browser_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// The standalone page's language: the saved choice, else the browser's, else English.
pub fn standalone_choice() -> (Lang, String) {
    let preferred = browser_languages();
    let saved = local_storage()
        .and_then(|s| s.get_item(CHOICE_KEY).ok().flatten())
        .and_then(|c| Lang::from_tag(&c));
    let lang = saved
        .or_else(|| Lang::negotiate(&preferred))
        .unwrap_or(Lang::EN);
    (lang, crate::core::i18n::locale_tag(lang, &preferred))
}

/// The widget's language: its `locale` option, else the browser's, else English.
pub fn widget_choice(locale: Option<&str>) -> (Lang, String) {
    match locale.and_then(|l| Lang::from_tag(l).map(|lang| (lang, l.to_owned()))) {
        Some(chosen) => chosen,
        None => {
            let preferred = browser_languages();
            let lang = Lang::negotiate(&preferred).unwrap_or(Lang::EN);
            (lang, crate::core::i18n::locale_tag(lang, &preferred))
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// `lang`'s catalogue: English at once, another fetched from `base` (a URL ending in `/`).
pub async fn catalog(lang: Lang, base: &str) -> Result<Catalog, String> {
    if lang == Lang::EN {
        return Ok(Catalog::english());
    }
    let info = lang.info();
    let url = format!("{base}{}.json?v={}", info.code, info.version);
    let response = gloo_net::http::Request::get(&url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().await.map_err(|e| e.to_string())?;
    Catalog::from_json(&text)
}

/// A translator for `lang`, or English with the reason it is not `lang`.
pub async fn load(lang: Lang, tag: &str, base: &str) -> (Tr, Option<String>) {
    match catalog(lang, base).await {
        Ok(c) => (translator(lang, tag, c), None),
        Err(e) => (translator(Lang::EN, "en", Catalog::english()), Some(e)),
    }
}

/// The language in context: read it in views (`i18n.t(K::…)`), and a switch
/// re-renders every text without touching any other state.
#[derive(Clone, Copy)]
pub struct I18n {
    tr: RwSignal<Tr, LocalStorage>,
    /// Where other languages' catalogues are fetched from (ends in `/`).
    base: StoredValue<String, LocalStorage>,
    /// Whether the choice is kept in localStorage and set on `<html lang>` (standalone).
    standalone: bool,
    /// The language being fetched, if any.
    pub loading: RwSignal<Option<Lang>>,
    /// Why the last switch failed (already in the current language).
    pub error: RwSignal<Option<String>, LocalStorage>,
}

impl I18n {
    /// Provides `tr` as the language in context.
    pub fn provide(tr: Tr, base: &str, standalone: bool) -> Self {
        let i18n = I18n {
            tr: RwSignal::new_local(tr),
            base: StoredValue::new_local(base.to_owned()),
            standalone,
            loading: RwSignal::new(None),
            error: RwSignal::new_local(None),
        };
        if standalone {
            Effect::new(move |_| {
                let tag = i18n.tr.with(|t| t.tag().to_owned());
                if let Some(html) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                {
                    let _ = html.set_attribute("lang", &tag);
                }
            });
        }
        provide_context(i18n);
        i18n
    }

    /// The language in context, or English (a component mounted on its own, in a test).
    pub fn get() -> Self {
        use_context::<I18n>().unwrap_or_else(|| {
            let owner = Owner::current().unwrap_or_default();
            owner.with(|| {
                I18n::provide(
                    translator(Lang::EN, "en", Catalog::english()),
                    "/i18n/",
                    false,
                )
            })
        })
    }

    /// A message without arguments (tracked: re-renders on a switch).
    pub fn t(self, k: K) -> String {
        self.tr.with(|tr| tr.t(k))
    }

    /// A message as reactive text for a view or an attribute. Every message shares
    /// this one type, so the renderer's code for it is compiled once; a closure per
    /// message (`move || i18n.t(k)`) would compile it once per call site.
    pub fn text(self, k: K) -> Signal<String> {
        Signal::derive(move || self.t(k))
    }

    /// A message with arguments (tracked).
    pub fn f(self, k: K, args: &[(&str, Arg<'_>)]) -> String {
        self.tr.with(|tr| tr.f(k, args))
    }

    /// Runs `f` with the translator (tracked).
    pub fn with<T>(self, f: impl FnOnce(&Tr) -> T) -> T {
        self.tr.with(f)
    }

    /// Runs `f` with the translator, untracked (event handlers, tasks).
    pub fn with_untracked<T>(self, f: impl FnOnce(&Tr) -> T) -> T {
        self.tr.with_untracked(f)
    }

    /// A copy of the translator (untracked), for work outside a view.
    pub fn tr(self) -> Tr {
        self.tr.get_untracked()
    }

    /// The locale tag for `Intl` (tracked).
    pub fn tag(self) -> String {
        self.tr.with(|t| t.tag().to_owned())
    }

    /// Puts `tr` in place at once (a catalogue already at hand).
    pub fn set(self, tr: Tr) {
        self.loading.set(None);
        self.error.set(None);
        self.tr.set(tr);
    }

    /// Switches to `lang`: fetches its catalogue, then re-renders; on failure stays
    /// and says why.
    pub fn switch(self, lang: Lang) {
        if self.tr.with_untracked(|t| t.lang()) == lang {
            return;
        }
        self.loading.set(Some(lang));
        self.error.set(None);
        if self.standalone {
            if let Some(s) = local_storage() {
                let _ = s.set_item(CHOICE_KEY, lang.code());
            }
        }
        let base = self.base.get_value();
        leptos::task::spawn_local(async move {
            let result = catalog(lang, &base).await;
            // The picker may have moved on while this was fetched.
            if self.loading.try_get_untracked().flatten() != Some(lang) {
                return;
            }
            self.loading.set(None);
            match result {
                Ok(c) => {
                    let tag = crate::core::i18n::locale_tag(lang, &browser_languages());
                    self.tr.set(translator(lang, &tag, c));
                }
                Err(reason) => self.report_failure(lang, reason),
            }
        });
    }

    /// Says that `lang` could not be loaded, and why, in the current language.
    pub fn report_failure(self, lang: Lang, reason: String) {
        let message = self.tr.with_untracked(|tr| {
            tr.f(
                K::LanguageLoadFailed,
                &[
                    ("language", lang.info().name.into()),
                    ("reason", reason.into()),
                    ("current", tr.t(K::LanguageName).into()),
                ],
            )
        });
        self.error.set(Some(message));
    }
}
