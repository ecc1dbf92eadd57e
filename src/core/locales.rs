//! Two locales, two jobs: which of our languages the interface speaks, and which
//! locale writes dates, times and numbers.
//!
//! The reader's locales are `navigator.languages` on the standalone page, or the
//! embed's `locale` option followed by `navigator.languages` in the widget. Words can
//! only be in a language we have a catalogue for; formats can be the reader's own
//! whatever their language, so a `ja-JP` reader gets English words and `2025/10/07`,
//! not the American `Oct 7, 2025`.
//!
//! - **Interface language**: the picker's choice, else the first of the reader's
//!   locales we translate into, else English. Plural rules go with it (they choose
//!   between the forms of its messages).
//! - **Format locale**: the reader's first (well-formed) locale, as it is, when its
//!   language is not one we translate into (`ja-JP`) or is the interface language
//!   (`de-CH`, `fr-CA`, `en-GB`: the regional variant stays).
//! - **A picked language other than the reader's own** (a `de-CH` reader picks French):
//!   the picked language in the reader's region, `fr-CH`. A medium date carries
//!   words (`7 oct. 2025`, `7 Oct 2025`), and a sentence should be in one language, the
//!   one its element's `lang` tells a screen reader; the region keeps what the reader
//!   is used to there (24-hour clock, day before month). Where the platform has no data
//!   for the pair (`fr-GB`), `Intl` writes the language's own formats.
//! - Nothing usable (no locale, or only malformed ones): English both ways.
//!
//! Tags are checked here by their shape only ([`subtags`]); the browser's `Intl` judges
//! a tag before it is used (`app::i18n::translator`). A full BCP 47 parser
//! (icu_locale_core, already in the dependency tree) was measured at +8 KB brotli of
//! wasm for the two subtags this needs.

use crate::core::i18n::Lang;

/// The interface language and the locale dates, times and numbers are written for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locales {
    /// The language of the words (and of plural rules).
    pub lang: Lang,
    /// A BCP 47 tag for `Intl.DateTimeFormat` and `Intl.NumberFormat`, e.g. `ja-JP`.
    pub format: String,
}

/// The two locales for a reader whose locales are `reader` (most preferred first) and
/// who picked `chosen`, if anyone did. Malformed tags are skipped.
pub fn choose<S: AsRef<str>>(reader: &[S], chosen: Option<Lang>) -> Locales {
    let tags: Vec<(&str, Subtags<'_>)> = reader
        .iter()
        .map(|t| t.as_ref().trim())
        .filter_map(|t| subtags(t).map(|s| (t, s)))
        .collect();
    let lang = chosen
        .or_else(|| tags.iter().find_map(|(_, s)| Lang::from_tag(s.language)))
        .unwrap_or(Lang::EN);
    let format = match tags.first() {
        None => lang.code().to_owned(),
        Some((tag, s)) => match Lang::from_tag(s.language) {
            Some(own) if own != lang => match s.region {
                Some(region) => format!("{}-{region}", lang.code()),
                None => lang.code().to_owned(),
            },
            _ => (*tag).to_owned(),
        },
    };
    Locales { lang, format }
}

/// The parts of a tag [`choose`] needs.
struct Subtags<'a> {
    language: &'a str,
    region: Option<&'a str>,
}

/// The language and region of a well-shaped BCP 47 tag (`zh-Hant-TW` → `zh`, `TW`):
/// subtags of 1–8 ASCII letters or digits, a language of 2–3 or 5–8 letters (not
/// `und`); the region is the first subtag of two letters or three digits before any
/// extension. `None` for anything else (`""`, `de_CH`, `en GB`, `x`).
fn subtags(tag: &str) -> Option<Subtags<'_>> {
    let mut parts = tag.split('-');
    let language = parts.next()?;
    let letters = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    if !matches!(language.len(), 2 | 3 | 5..=8)
        || !letters(language)
        || language.eq_ignore_ascii_case("und")
    {
        return None;
    }
    let rest: Vec<&str> = parts.collect();
    let shaped =
        |s: &&str| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric());
    if !rest.iter().all(shaped) {
        return None;
    }
    let region = rest.iter().take_while(|s| s.len() > 1).find(|s| {
        (s.len() == 2 && letters(s)) || (s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit()))
    });
    Some(Subtags {
        language,
        region: region.copied(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(code: &str) -> Lang {
        Lang::from_tag(code).unwrap_or_else(|| panic!("no catalogue for {code}"))
    }

    #[test]
    fn words_from_our_languages_formats_from_the_reader() {
        let none: Option<&str> = None;
        // (reader's locales, picked, interface language, format locale)
        let table: &[(&[&str], Option<&str>, &str, &str)] = &[
            (&["ja-JP"], none, "en", "ja-JP"),
            (&["en-GB"], none, "en", "en-GB"),
            (&["en-US", "de"], none, "en", "en-US"),
            (&["de-CH"], none, "de", "de-CH"),
            (&["fr-CA"], none, "fr", "fr-CA"),
            (&["it"], none, "it", "it"),
            // a picked language: its words, the reader's region
            (&["de-CH"], Some("fr"), "fr", "fr-CH"),
            (&["en-GB"], Some("de"), "de", "de-GB"),
            (&["de"], Some("it"), "it", "it"),
            (&["de-CH"], Some("de"), "de", "de-CH"),
            // a language we do not translate keeps its formats whatever is picked
            (&["ja-JP"], Some("de"), "de", "ja-JP"),
            // the interface takes the first we translate, formats the first locale
            (&["ja-JP", "de-CH"], none, "de", "ja-JP"),
            (&["rm-CH", "it-CH", "de-CH"], none, "it", "rm-CH"),
            (&["rm", "es-ES", "fr-CH", "de"], none, "fr", "rm"),
            // nothing usable: English both ways; malformed tags are skipped
            (&[], none, "en", "en"),
            (&[""], none, "en", "en"),
            (
                &["!!", "en GB", "de_CH", "-", "und", "en-", "x", "12-CH"],
                none,
                "en",
                "en",
            ),
            (&["fr-toolongsubtag", "de-CH!"], none, "en", "en"),
            (&["", "x", "fr-BE"], none, "fr", "fr-BE"),
            (&[], Some("fr"), "fr", "fr"),
            // a well-shaped tag is passed on as it is (Intl ignores case)
            (&["DE-ch"], none, "de", "DE-ch"),
            (&["zh-Hant-TW"], Some("it"), "it", "zh-Hant-TW"),
            (&["es-419"], none, "en", "es-419"),
            (&["de-CH-u-nu-latn"], none, "de", "de-CH-u-nu-latn"),
            // the region, not a script or an extension, goes with a picked language
            (&["de-Latn-AT"], Some("fr"), "fr", "fr-AT"),
            (&["de-u-ca-gregory"], Some("fr"), "fr", "fr"),
            (&["en-001"], Some("de"), "de", "de-001"),
        ];
        for (reader, picked, want_lang, want_format) in table {
            let got = choose(reader, picked.map(lang));
            let want = Locales {
                lang: lang(want_lang),
                format: (*want_format).to_owned(),
            };
            assert_eq!(got, want, "{reader:?} picked {picked:?}");
        }
    }
}
