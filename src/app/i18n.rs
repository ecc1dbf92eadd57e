//! The active language: a reactive translator in context, the browser's `Intl` for
//! plurals and numbers, fetching another language's catalogue (the picker is `ui::language`).
//!
//! Two locales (`core::locales`): the interface language (the standalone picker's
//! choice, kept in localStorage: it is not a secret; else the first of the reader's
//! locales we translate into; else English) chooses the words and plural rules; the
//! format locale (the reader's own) writes dates, times and numbers. The reader's
//! locales are `navigator.languages`, in the widget preceded by its `locale` option.

use std::cell::OnceCell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::core::i18n::{Arg, Catalog, Lang, Locale, Plural, Tr, K};
use crate::core::locales;
use crate::core::options::Catalogues;

/// Where the standalone page's catalogues are (the page is served at its origin's root).
pub const STANDALONE_BASE: &str = "/i18n/";

/// localStorage key of the standalone page's language choice.
const CHOICE_KEY: &str = "connector-refresh.language";

/// `Intl.PluralRules` for the interface language and `Intl.NumberFormat` for the
/// format locale, each made when it is first needed: the sign-in form shows no
/// number, so none is made before the first render.
pub struct IntlLocale {
    /// Plural rules choose between a message's forms, so they follow its language.
    plural_tag: String,
    format_tag: String,
    plural: OnceCell<js_sys::Intl::PluralRules>,
    number: OnceCell<js_sys::Intl::NumberFormat>,
}

impl IntlLocale {
    /// Plurals of `plural_tag`, numbers of `format_tag`; tags `Intl` accepts (see
    /// [`translator`] for one it may not).
    pub fn new(plural_tag: &str, format_tag: &str) -> Self {
        IntlLocale {
            plural_tag: plural_tag.to_owned(),
            format_tag: format_tag.to_owned(),
            plural: OnceCell::new(),
            number: OnceCell::new(),
        }
    }
}

fn locales(tag: &str) -> js_sys::Array {
    js_sys::Array::of1(&tag.into())
}

impl Locale for IntlLocale {
    fn plural(&self, n: i64) -> Plural {
        let rules = self.plural.get_or_init(|| {
            js_sys::Intl::PluralRules::new(&locales(&self.plural_tag), &js_sys::Object::new())
        });
        let s: String = rules.select(n as f64).into();
        Plural::from_cldr(&s)
    }

    fn number(&self, n: i64) -> String {
        let number = self.number.get_or_init(|| {
            js_sys::Intl::NumberFormat::new(&locales(&self.format_tag), &js_sys::Object::new())
        });
        number
            .format()
            .call1(number, &JsValue::from_f64(n as f64))
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_else(|| n.to_string())
    }
}

/// A translator: `lang`'s words and plural rules, numbers (and, through
/// `ui::clock`, dates) for the format locale `format`, with the browser's rules.
pub fn translator(lang: Lang, format: &str, catalog: Catalog) -> Tr {
    // A tag Intl refuses would throw: fall back to the language's own code.
    let format = if valid_tag(format) {
        format
    } else {
        lang.code()
    };
    Tr::new(
        lang,
        format,
        catalog,
        Rc::new(IntlLocale::new(lang.code(), format)),
    )
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

/// The standalone page's reader: `navigator.languages` and the language saved from
/// the picker, if any.
pub fn standalone_reader() -> (Vec<String>, Option<Lang>) {
    let saved = local_storage()
        .and_then(|s| s.get_item(CHOICE_KEY).ok().flatten())
        .and_then(|c| Lang::from_tag(&c));
    (browser_languages(), saved)
}

/// The widget's reader: its `locale` option (the host knows its reader), then
/// `navigator.languages` (for the words when the option names a language we do not
/// translate into).
pub fn widget_reader(locale: Option<&str>) -> Vec<String> {
    locale
        .map(str::to_owned)
        .into_iter()
        .chain(browser_languages())
        .collect()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// `lang`'s catalogue: English at once, another fetched from where `base` says.
pub async fn catalog(lang: Lang, base: &Catalogues) -> Result<Catalog, String> {
    if lang == Lang::EN {
        return Ok(Catalog::english());
    }
    let info = lang.info();
    let url = base
        .url(info.code)
        .ok_or_else(|| format!("no catalogue URL for {}", info.code))?;
    let sep = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{sep}v={}", info.version);
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

/// A translator for `reader` who picked `chosen` (see [`locales::choose`]), or
/// English words (still in the reader's formats) with the language that could not
/// be loaded and why.
pub async fn load(
    reader: &[String],
    chosen: Option<Lang>,
    base: impl Into<Catalogues>,
) -> (Tr, Option<(Lang, String)>) {
    let want = locales::choose(reader, chosen);
    match catalog(want.lang, &base.into()).await {
        Ok(c) => (translator(want.lang, &want.format, c), None),
        Err(e) => {
            let english = locales::choose(reader, Some(Lang::EN));
            let tr = translator(Lang::EN, &english.format, Catalog::english());
            (tr, Some((want.lang, e)))
        }
    }
}

/// The language in context: read it in views (`i18n.t(K::…)`), and a switch
/// re-renders every text without touching any other state.
#[derive(Clone, Copy)]
pub struct I18n {
    tr: RwSignal<Tr, LocalStorage>,
    /// Where other languages' catalogues are fetched from.
    base: StoredValue<Catalogues, LocalStorage>,
    /// The reader's locales, most preferred first: a switch keeps their formats.
    reader: StoredValue<Vec<String>, LocalStorage>,
    /// Whether the choice is kept in localStorage and set on `<html lang>` (standalone).
    standalone: bool,
    /// The language being fetched, if any.
    pub loading: RwSignal<Option<Lang>>,
    /// Why the last switch failed (already in the current language).
    pub error: RwSignal<Option<String>, LocalStorage>,
}

impl I18n {
    /// Provides `tr` as the language in context, for a reader whose locales are
    /// `reader` (see [`standalone_reader`], [`widget_reader`]).
    pub fn provide(
        tr: Tr,
        base: impl Into<Catalogues>,
        standalone: bool,
        reader: Vec<String>,
    ) -> Self {
        let i18n = I18n {
            tr: RwSignal::new_local(tr),
            base: StoredValue::new_local(base.into()),
            reader: StoredValue::new_local(reader),
            standalone,
            loading: RwSignal::new(None),
            error: RwSignal::new_local(None),
        };
        if standalone {
            Effect::new(move |_| {
                let code = i18n.lang().code();
                if let Some(html) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                {
                    let _ = html.set_attribute("lang", code);
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
                    Vec::new(),
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

    /// The interface language (tracked): the words, and `lang` on the page or the
    /// widget's root.
    pub fn lang(self) -> Lang {
        self.tr.with(Tr::lang)
    }

    /// The format locale's tag for `Intl` dates and numbers (tracked), e.g. `ja-JP`
    /// under English words.
    pub fn format_locale(self) -> String {
        self.tr.with(|t| t.format_locale().to_owned())
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
                    let want = self.reader.with_value(|r| locales::choose(r, Some(lang)));
                    self.tr.set(translator(lang, &want.format, c));
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
