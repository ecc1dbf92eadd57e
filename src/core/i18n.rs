//! Every sentence the app shows, in the user's language.
//!
//! The catalogues live in `i18n/<language>/<area>.json`; `build.rs` checks that every
//! language has every message English has (with the same `{placeholders}` and the
//! plural forms its language needs) and generates [`K`], one variant per message.
//! English is compiled in; another language's catalogue is fetched when chosen
//! (`ui::i18n`) and read by [`Catalog::from_json`].
//!
//! Plural forms and numbers come from a [`Locale`]: in the browser
//! `Intl.PluralRules` for the language and `Intl.NumberFormat` for the format locale
//! (`core::locales`: a `ja-JP` reader reads English words with Japanese numbers);
//! natively (tests) [`NativeLocale`], the CLDR rules of the four languages written out,
//! which a browser test checks against `Intl`.

use std::borrow::Cow;
use std::rc::Rc;

include!(concat!(env!("OUT_DIR"), "/i18n.rs"));

/// One language the app has a catalogue for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LanguageInfo {
    /// BCP 47 language subtag, e.g. `de`.
    pub code: &'static str,
    /// The language's name in itself, e.g. `Deutsch` (for the picker).
    pub name: &'static str,
    /// Changes whenever the catalogue's text does (part of its URL, so a cached old
    /// catalogue is never paired with a newer app).
    pub version: &'static str,
}

/// A language of [`LANGUAGES`], by index; `Lang::EN` is English.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Lang(usize);

impl Lang {
    /// English, the compiled-in language.
    pub const EN: Lang = Lang(0);

    /// Every language, English first.
    pub fn all() -> impl Iterator<Item = Lang> {
        (0..LANGUAGES.len()).map(Lang)
    }

    /// The language of a BCP 47 tag, matched on its language part (`de-CH` → German).
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim();
        LANGUAGES
            .iter()
            .position(|l| l.code.eq_ignore_ascii_case(primary))
            .map(Lang)
    }

    /// What is known of it.
    pub fn info(self) -> LanguageInfo {
        LANGUAGES.get(self.0).copied().unwrap_or(LANGUAGES[0])
    }

    /// Its code, e.g. `fr`.
    pub fn code(self) -> &'static str {
        self.info().code
    }
}

/// The forms of a message that depends on a count (`n`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Forms {
    /// CLDR `one`.
    pub one: Cow<'static, str>,
    /// CLDR `many` (French, Italian: a million, …); `other` where a language has none.
    pub many: Option<Cow<'static, str>>,
    /// CLDR `other`.
    pub other: Cow<'static, str>,
}

/// One catalogue entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// A text, perhaps with `{placeholders}`.
    Text(Cow<'static, str>),
    /// Texts chosen by the plural category of the argument `n`.
    Plural(Forms),
}

/// A CLDR cardinal plural category (the ones the app's languages use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    /// e.g. 1
    One,
    /// e.g. 1,000,000 in French and Italian
    Many,
    /// everything else
    Other,
}

impl Plural {
    /// From an `Intl.PluralRules` answer; a category the app's languages do not use
    /// counts as `other`.
    pub fn from_cldr(s: &str) -> Plural {
        match s {
            "one" => Plural::One,
            "many" => Plural::Many,
            _ => Plural::Other,
        }
    }
}

/// Plural categories and number formatting for one locale.
pub trait Locale {
    /// The cardinal plural category of `n`.
    fn plural(&self, n: i64) -> Plural;
    /// `n` written for the locale (`1,234`, `1.234`, `1'234`).
    fn number(&self, n: i64) -> String;
}

/// The CLDR cardinal rules and digit grouping of the app's languages, for native
/// code and tests (the browser uses `Intl`; `tests/web.rs` checks that they agree).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NativeLocale {
    lang: Lang,
    swiss: bool,
}

impl NativeLocale {
    /// For a locale tag such as `de-CH` or `fr`.
    pub fn new(tag: &str) -> Self {
        NativeLocale {
            lang: Lang::from_tag(tag).unwrap_or(Lang::EN),
            swiss: tag.to_ascii_uppercase().ends_with("-CH"),
        }
    }
}

impl Locale for NativeLocale {
    fn plural(&self, n: i64) -> Plural {
        let i = n.unsigned_abs();
        match self.lang.code() {
            // CLDR: one: i = 0,1; many: e = 0 and i != 0 and i % 1000000 = 0
            "fr" if i <= 1 => Plural::One,
            "fr" | "it" | "es" | "pt" if i != 0 && i.is_multiple_of(1_000_000) => Plural::Many,
            // CLDR: one: i = 1 and v = 0
            _ if i == 1 => Plural::One,
            _ => Plural::Other,
        }
    }

    fn number(&self, n: i64) -> String {
        let sep = match (self.lang.code(), self.swiss) {
            (_, true) => "'",
            ("de" | "it", false) => ".",
            ("fr", false) => "\u{202f}",
            _ => ",",
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::new();
        if n < 0 {
            out.push('-');
        }
        // CLDR's minimumGroupingDigits is 2 for Italian (and Spanish): 1000, but 10.000.
        let group =
            digits.len() > 4 || !matches!((self.lang.code(), self.swiss), ("it" | "es", false));
        for (i, d) in digits.chars().enumerate() {
            let left = digits.len() - i;
            if group && i > 0 && left.is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(d);
        }
        out
    }
}

/// An argument of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg<'a> {
    /// Put in as it is (a name, a date already formatted, a server's text).
    Str(Cow<'a, str>),
    /// Written by the locale's number format; `n` also picks the plural form.
    Num(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(Cow::Borrowed(s.as_str()))
    }
}
impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}
impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}
impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}
impl From<i32> for Arg<'_> {
    fn from(n: i32) -> Self {
        Arg::Num(i64::from(n))
    }
}
impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(i64::from(n))
    }
}

/// How many messages there are (one per [`K`]).
pub const KEY_COUNT: usize = EN_FIRST.len() - 1;

/// English message number `i` (in [`K`]'s order), borrowed from the compiled-in text.
pub fn english_msg(i: usize) -> Option<Msg> {
    let segment = |n: usize| -> Option<&'static str> {
        let start = match n.checked_sub(1) {
            Some(p) => usize::from(*EN_ENDS.get(p)?),
            None => 0,
        };
        EN_TEXT.get(start..usize::from(*EN_ENDS.get(n)?))
    };
    let first = usize::from(*EN_FIRST.get(i)?);
    match usize::from(*EN_FIRST.get(i + 1)?).checked_sub(first)? {
        1 => Some(Msg::Text(Cow::Borrowed(segment(first)?))),
        2 => Some(Msg::Plural(Forms {
            one: Cow::Borrowed(segment(first)?),
            many: None,
            other: Cow::Borrowed(segment(first + 1)?),
        })),
        _ => None,
    }
}

/// A language's messages, in [`K`]'s order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Catalog(Rc<[Msg]>);

impl Catalog {
    /// English.
    pub fn english() -> Self {
        Catalog(
            (0..KEY_COUNT)
                .map(|i| english_msg(i).unwrap_or(Msg::Text(Cow::Borrowed(""))))
                .collect(),
        )
    }

    /// A fetched catalogue, `{"keys": KEYS_VERSION, "messages": [...]}` with one
    /// message per key in [`K`]'s order (`"text"` or `{"one", "many"?, "other"}`),
    /// refused unless it was made for this build's keys and has every message, so a
    /// stale or truncated file never shows a blank or a wrong text.
    pub fn from_json(text: &str) -> Result<Self, String> {
        use serde_json::Value;
        let file: Value =
            serde_json::from_str(text).map_err(|e| format!("not a catalogue: {e}"))?;
        let (Some(keys), Some(messages)) = (
            file.get("keys").and_then(Value::as_str),
            file.get("messages").and_then(Value::as_array),
        ) else {
            return Err("not a catalogue: no keys and messages".to_owned());
        };
        if keys != KEYS_VERSION {
            return Err(format!(
                "made for another version of the app (keys {keys}, this version {KEYS_VERSION})"
            ));
        }
        if messages.len() != KEY_COUNT {
            return Err(format!(
                "{} messages where this version has {KEY_COUNT}",
                messages.len()
            ));
        }
        let text = |v: &Value| v.as_str().map(|s| Cow::Owned(s.to_owned()));
        let mut bad = Vec::new();
        let mut msgs = Vec::with_capacity(KEY_COUNT);
        for (i, v) in messages.iter().enumerate() {
            let msg = match v {
                Value::String(_) => text(v).map(Msg::Text),
                Value::Object(_) => {
                    match (v.get("one").and_then(text), v.get("other").and_then(text)) {
                        (Some(one), Some(other)) => Some(Msg::Plural(Forms {
                            one,
                            many: v.get("many").and_then(text),
                            other,
                        })),
                        _ => None,
                    }
                }
                _ => None,
            };
            match msg {
                Some(m) => msgs.push(m),
                None => bad.push((i + 1).to_string()),
            }
        }
        if bad.is_empty() {
            Ok(Catalog(msgs.into()))
        } else {
            Err(format!(
                "{} messages are malformed, e.g. number {}",
                bad.len(),
                bad.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
            ))
        }
    }

    fn get(&self, k: K) -> Option<&Msg> {
        self.0.get(k as usize)
    }
}

/// A translator: one language's catalogue and plural rules, and the format locale's
/// numbers.
#[derive(Clone)]
pub struct Tr {
    lang: Lang,
    format: Rc<str>,
    catalog: Catalog,
    locale: Rc<dyn Locale>,
}

impl std::fmt::Debug for Tr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tr")
            .field("lang", &self.lang.code())
            .field("format", &self.format)
            .finish()
    }
}

impl PartialEq for Tr {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && self.format == other.format
            && Rc::ptr_eq(&self.catalog.0, &other.catalog.0)
    }
}

impl Tr {
    /// A translator from its parts: `format` is the format locale's tag, `locale` its
    /// numbers with `lang`'s plural rules.
    pub fn new(lang: Lang, format: &str, catalog: Catalog, locale: Rc<dyn Locale>) -> Self {
        Tr {
            lang,
            format: format.into(),
            catalog,
            locale,
        }
    }

    /// English with native rules (for code that has no browser).
    pub fn english() -> Self {
        Self::new(
            Lang::EN,
            "en",
            Catalog::english(),
            Rc::new(NativeLocale::new("en")),
        )
    }

    /// `lang` with native rules and the catalogue this build generated: for tests.
    pub fn native(lang: Lang) -> Self {
        let catalog = CATALOG_JSON
            .get(lang.0)
            .and_then(|j| Catalog::from_json(j).ok())
            .unwrap_or_else(Catalog::english);
        Self::new(
            lang,
            lang.code(),
            catalog,
            Rc::new(NativeLocale::new(lang.code())),
        )
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The format locale's tag for `Intl` (dates and numbers), e.g. `ja-JP` under
    /// English words.
    pub fn format_locale(&self) -> &str {
        &self.format
    }

    /// `n` written for the locale.
    pub fn number(&self, n: i64) -> String {
        self.locale.number(n)
    }

    /// A message without arguments.
    pub fn t(&self, k: K) -> String {
        self.f(k, &[])
    }

    /// A message with its `{placeholders}` filled from `args` (a plural message picks
    /// its form by the argument `n`). A placeholder without an argument stays as it is.
    pub fn f(&self, k: K, args: &[(&str, Arg<'_>)]) -> String {
        let template: &str = match self.catalog.get(k) {
            Some(Msg::Text(t)) => t,
            Some(Msg::Plural(forms)) => {
                let n = args.iter().find_map(|(name, a)| match (*name, a) {
                    ("n", Arg::Num(n)) => Some(*n),
                    _ => None,
                });
                match n.map(|n| self.locale.plural(n)) {
                    Some(Plural::One) => &forms.one,
                    Some(Plural::Many) => forms.many.as_deref().unwrap_or(&forms.other),
                    _ => &forms.other,
                }
            }
            None => "",
        };
        fill(template, args, &*self.locale)
    }
}

fn fill(template: &str, args: &[(&str, Arg<'_>)], locale: &dyn Locale) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let name = after.find('}').map(|end| &after[..end]);
        match name.and_then(|name| args.iter().find(|(n, _)| *n == name).map(|a| (name, a))) {
            Some((name, (_, arg))) => {
                match arg {
                    Arg::Str(s) => out.push_str(s),
                    Arg::Num(n) => out.push_str(&locale.number(*n)),
                }
                rest = &after[name.len() + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::from_tag(code).unwrap_or_else(|| panic!("no catalogue for {code}"))
    }

    #[test]
    fn the_four_languages_are_there_english_first() {
        let codes: Vec<&str> = Lang::all().map(Lang::code).collect();
        assert_eq!(codes.first(), Some(&"en"));
        for c in ["de", "fr", "it"] {
            assert!(codes.contains(&c), "{c} missing from {codes:?}");
        }
    }

    #[test]
    fn compiled_in_english_is_the_english_catalogue() {
        let json = CATALOG_JSON.first().copied().unwrap_or_default();
        let from_json = Catalog::from_json(json).unwrap_or_else(|e| panic!("en: {e}"));
        assert_eq!(Catalog::english(), from_json);
        assert!(english_msg(KEY_NAMES.len()).is_none());
    }

    #[test]
    fn every_generated_catalogue_reads_back_whole() {
        for (i, json) in CATALOG_JSON.iter().enumerate() {
            let c = Catalog::from_json(json).unwrap_or_else(|e| panic!("{}: {e}", Lang(i).code()));
            assert_eq!(c.0.len(), KEY_NAMES.len());
        }
        assert_eq!(Catalog::from_json(CATALOG_JSON[0]), Ok(Catalog::english()));
    }

    #[test]
    fn a_catalogue_missing_a_message_or_made_for_other_keys_is_refused() {
        let good: serde_json::Value = serde_json::from_str(CATALOG_JSON[1]).unwrap_or_default();
        let refused = |edit: &dyn Fn(&mut serde_json::Value)| {
            let mut v = good.clone();
            edit(&mut v);
            Catalog::from_json(&v.to_string()).expect_err("a bad catalogue was accepted")
        };
        assert!(Catalog::from_json(&good.to_string()).is_ok());
        let err = refused(&|v| {
            if let Some(m) = v["messages"].as_array_mut() {
                m.pop();
            }
        });
        assert!(
            err.contains(&format!("{} messages", KEY_COUNT - 1)),
            "{err}"
        );
        let err = refused(&|v| v["messages"][0] = serde_json::Value::Null);
        assert!(err.contains("number 1"), "{err}");
        let err = refused(&|v| v["messages"][3] = serde_json::json!({ "one": "x" }));
        assert!(err.contains("number 4"), "{err}");
        let err = refused(&|v| v["keys"] = "0123456789abcdef".into());
        assert!(err.contains("another version"), "{err}");
        assert!(Catalog::from_json("[]").is_err());
        assert!(Catalog::from_json("").is_err());
        assert_eq!(KEY_COUNT, KEY_NAMES.len());
    }

    #[test]
    fn tags_match_on_the_language_part() {
        assert_eq!(Lang::from_tag("de-CH"), Some(lang("de")));
        assert_eq!(Lang::from_tag("FR"), Some(lang("fr")));
        assert_eq!(Lang::from_tag("it_IT"), Some(lang("it")));
        assert_eq!(Lang::from_tag("rm-CH"), None);
        assert_eq!(Lang::from_tag(""), None);
    }

    /// Plural categories for 0, 1, 2, 5, 21 and 1,000,000 (CLDR 46).
    #[test]
    fn plural_rules_of_each_language() {
        use Plural::*;
        let table: [(&str, [Plural; 6]); 4] = [
            ("en", [Other, One, Other, Other, Other, Other]),
            ("de", [Other, One, Other, Other, Other, Other]),
            ("fr", [One, One, Other, Other, Other, Many]),
            ("it", [Other, One, Other, Other, Other, Many]),
        ];
        for (code, want) in table {
            let l = NativeLocale::new(code);
            let got: Vec<Plural> = [0, 1, 2, 5, 21, 1_000_000].map(|n| l.plural(n)).to_vec();
            assert_eq!(got, want, "{code}");
        }
    }

    #[test]
    fn numbers_are_grouped_for_the_locale() {
        assert_eq!(NativeLocale::new("en").number(1234567), "1,234,567");
        assert_eq!(NativeLocale::new("de-CH").number(1234), "1'234");
        assert_eq!(NativeLocale::new("de").number(-1234), "-1.234");
        assert_eq!(NativeLocale::new("fr").number(1000), "1\u{202f}000");
        assert_eq!(NativeLocale::new("en").number(999), "999");
        assert_eq!(NativeLocale::new("it").number(1000), "1000");
        assert_eq!(NativeLocale::new("it").number(12345), "12.345");
        assert_eq!(NativeLocale::new("en").number(0), "0");
    }

    #[test]
    fn placeholders_are_filled_and_plurals_chosen() {
        let en = Tr::english();
        let l = NativeLocale::new("en");
        assert_eq!(
            fill(
                "{a} and {n} of {a}",
                &[("a", "x".into()), ("n", 1234_i64.into())],
                &l
            ),
            "x and 1,234 of x"
        );
        assert_eq!(fill("{missing} {", &[], &l), "{missing} {");
        assert_eq!(fill("", &[("a", "x".into())], &l), "");
        // Every plural message of every language says something for every count.
        for lang in Lang::all() {
            let tr = Tr::native(lang);
            for (i, _) in KEY_NAMES.iter().enumerate() {
                if let Some(Msg::Plural(f)) = tr.catalog.0.get(i) {
                    for form in [Some(&f.one), f.many.as_ref(), Some(&f.other)]
                        .into_iter()
                        .flatten()
                    {
                        assert!(!form.trim().is_empty(), "{} {}", lang.code(), KEY_NAMES[i]);
                    }
                }
            }
        }
        assert_eq!(en.t(K::LanguageName), "English");
    }
}
