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

use icu_locale_core::Locale as Tag;

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
    let tags: Vec<Tag> = reader
        .iter()
        .filter_map(|t| Tag::try_from_str(t.as_ref().trim()).ok())
        .filter(|t| !t.id.language.is_unknown())
        .collect();
    let ours = |t: &Tag| Lang::from_tag(t.id.language.as_str());
    let lang = chosen
        .or_else(|| tags.iter().find_map(ours))
        .unwrap_or(Lang::EN);
    let format = match tags.first() {
        None => lang.code().to_owned(),
        Some(first) => match ours(first) {
            Some(own) if own != lang => match first.id.region {
                Some(region) => format!("{}-{}", lang.code(), region.as_str()),
                None => lang.code().to_owned(),
            },
            _ => first.to_string(),
        },
    };
    Locales { lang, format }
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
            (&["!!", "en GB", "de_CH", "-", "und"], none, "en", "en"),
            (&["", "x", "fr-BE"], none, "fr", "fr-BE"),
            (&[], Some("fr"), "fr", "fr"),
            // a well-formed tag comes back in its canonical spelling
            (&["DE-ch"], none, "de", "de-CH"),
            (&["zh-hant-tw"], none, "en", "zh-Hant-TW"),
            (&["de-CH-u-nu-latn"], none, "de", "de-CH-u-nu-latn"),
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
