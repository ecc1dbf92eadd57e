//! Case-insensitive matching (the search boxes and the configuration filter) with
//! the platform's case mapping.
//!
//! ASCII text, nearly every tool name, is lowered here without leaving Rust. Other
//! text is lowered by the browser's `String.prototype.toLowerCase` in the wasm build
//! and by std's `str::to_lowercase` natively: both apply Unicode's default case
//! mapping (final sigma included). std's version links its Unicode case tables into
//! the wasm; measured: the first load is 5.0 KB brotli smaller without them.

use std::borrow::Cow;

/// `s` in lower case; borrowed when it already is (ASCII without capitals).
pub fn lower(s: &str) -> Cow<'_, str> {
    if !s.is_ascii() {
        Cow::Owned(platform_lower(s))
    } else if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Whether `query`, already lowered by [`lower`], occurs in `text` ignoring case.
pub fn contains_lowered(text: &str, query: &str) -> bool {
    lower(text).contains(query)
}

#[cfg(target_arch = "wasm32")]
fn platform_lower(s: &str) -> String {
    js_sys::JsString::from(s).to_lower_case().into()
}

#[cfg(not(target_arch = "wasm32"))]
fn platform_lower(s: &str) -> String {
    s.to_lowercase()
}

/// What [`lower`] must give for text that is not ASCII: the browser test
/// (`tests/web.rs`) checks `toLowerCase` against it, the native test std.
pub const UNICODE_SAMPLE: (&str, &str) = (
    "ÄRGER Zürich \u{39f}\u{394}\u{39f}\u{3a3} \u{3a3}\u{395} İstanbul ÉCOLE \u{1c4}",
    // A word-final capital sigma becomes ς (U+03C2), another σ (U+03C3); İ becomes
    // i and a combining dot above; Ǆ (U+01C4) becomes ǆ (U+01C6).
    "ärger zürich \u{3bf}\u{3b4}\u{3bf}\u{3c2} \u{3c3}\u{3b5} i\u{307}stanbul école \u{1c6}",
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_lowered_in_place_or_borrowed() {
        assert_eq!(lower("Get_Issue-2"), "get_issue-2");
        assert!(matches!(lower("already_lower"), Cow::Borrowed(_)));
        assert!(contains_lowered("ListOpenIssues", "openi"));
        assert!(!contains_lowered("ListOpenIssues", "closed"));
    }

    #[test]
    fn other_text_follows_unicode_default_case_mapping() {
        let (upper, expected) = UNICODE_SAMPLE;
        assert_eq!(lower(upper), expected);
        assert!(contains_lowered("Team Zürich", "zürich"));
        assert!(contains_lowered("ÄRGER-Tool", "ärger"));
    }
}
