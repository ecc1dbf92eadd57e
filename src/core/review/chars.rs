//! Characters a reader cannot see: zero-width characters, bidi controls, Unicode tag
//! characters and every other format character, and how they are shown escaped.
//!
//! A hand-made table rather than a Unicode crate: it is the general category `Cf`
//! (Unicode 15.1), plus the C0/C1 controls other than
//! tab and line breaks (std's `char::is_control`) and the Hangul fillers, which render
//! as blanks. The whole `Cf` category is small and changes rarely; a general-category
//! crate carries every category to answer this one question (measured together with
//! `unicode-security`'s confusables: 72 KB brotli more in a wasm part, see `names`).

/// The `Cf` ranges of Unicode 15.1 and the blank Hangul fillers, inclusive.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x115F, 0x1160),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// Whether `c` is invisible or changes how the text around it reads: a format
/// character (zero-width, bidi control, tag character, …), a blank filler, or a
/// control character other than tab, line feed and carriage return.
pub fn is_invisible(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r');
    }
    if c.is_control() {
        return true;
    }
    let n = c as u32;
    INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&n))
}

/// `U+200B` for a character.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `s` with every invisible character written as `[U+200B]`, so a reviewer sees it.
pub fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) {
            out.push('[');
            out.push_str(&code_point(c));
            out.push(']');
        } else {
            out.push(c);
        }
    }
    out
}

/// The distinct invisible characters of `s` as `U+…`, in order of first appearance,
/// and the text around the first one (escaped, at most `radius` characters each side).
pub fn invisible_in(s: &str, radius: usize) -> Option<(Vec<String>, String)> {
    // Printable ASCII is never invisible: most text is skipped byte by byte.
    let maybe = s
        .bytes()
        .position(|b| !(0x20..0x7F).contains(&b) && !matches!(b, b'\t' | b'\n' | b'\r'))?;
    let first = s
        .get(maybe..)?
        .char_indices()
        .find(|(_, c)| is_invisible(*c))?
        .0
        + maybe;
    let mut seen: Vec<String> = Vec::new();
    for c in s
        .get(first..)
        .unwrap_or_default()
        .chars()
        .filter(|c| is_invisible(*c))
    {
        let cp = code_point(c);
        if !seen.contains(&cp) {
            seen.push(cp);
            if seen.len() >= 8 {
                break;
            }
        }
    }
    let end = first + s[first..].chars().next().map_or(0, char::len_utf8);
    Some((seen, excerpt(s, first, end, radius, escaped)))
}

/// The text of `s` from `radius` characters before byte `start` to `radius` after
/// byte `end`, passed through `show`, with "…" where it was cut.
pub fn excerpt(
    s: &str,
    start: usize,
    end: usize,
    radius: usize,
    show: impl Fn(&str) -> String,
) -> String {
    let from = s[..start]
        .char_indices()
        .rev()
        .nth(radius.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let to = s[end..]
        .char_indices()
        .nth(radius)
        .map_or(s.len(), |(i, _)| end + i);
    let mut out = String::new();
    if from > 0 {
        out.push('…');
    }
    out.push_str(&show(&s[from..to]));
    if to < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_bidi_and_tag_characters_are_invisible() {
        for c in [
            '\u{200B}',
            '\u{200D}',
            '\u{202E}',
            '\u{2066}',
            '\u{FEFF}',
            '\u{E0041}',
            '\u{00AD}',
            '\u{3164}',
            '\u{0007}',
            '\u{009B}',
        ] {
            assert!(is_invisible(c), "{}", code_point(c));
        }
        for c in [
            'a', ' ', '\t', '\n', '\r', 'é', 'ß', '中', '\u{00A0}', '😀', '\u{FE0F}',
        ] {
            assert!(!is_invisible(c), "{}", code_point(c));
        }
    }

    #[test]
    fn escaped_shows_code_points() {
        assert_eq!(escaped("a\u{200B}b"), "a[U+200B]b");
        assert_eq!(escaped("\u{E0069}"), "[U+E0069]");
        let (found, around) = invisible_in("plain text\u{200B} then \u{202E}x\u{200B}", 5).unwrap();
        assert_eq!(found, vec!["U+200B", "U+202E"]);
        assert_eq!(around, "… text[U+200B] then…");
        assert!(invisible_in("nothing here", 5).is_none());
    }

    #[test]
    fn excerpt_cuts_on_character_boundaries() {
        let s = "ééééé X ééééé";
        let at = s.find('X').unwrap();
        assert_eq!(excerpt(s, at, at + 1, 2, str::to_owned), "…é X é…");
        assert_eq!(excerpt("X", 0, 1, 3, str::to_owned), "X");
    }
}
