//! Tool names: the MCP naming guidance (1–128 characters of `A–Z a–z 0–9 _ - .`) and
//! names a reader could take for one another.
//!
//! Two names are confusable when their *skeletons* are equal: case folded, the
//! Cyrillic, Greek and full-width letters that look like Latin ones replaced by
//! those, `0` read as `o`, `1`/`I`/`i` as `l`, `rn` as `m`, and `-`/`.` as `_`. A short
//! hand-made table rather than Unicode's confusables data: tool names outside ASCII
//! already break the MCP guidance and are flagged for that, so the table only has to
//! name the look-alike. Measured (2026-12-04): `unicode-security`'s `skeleton`, with
//! `unicode-general-category` for `chars`, made the shared wasm part 72,462 B brotli
//! larger (105,641 → 178,103 B), which a deep link to a configuration loads.

/// Whether `c` may stand in a tool name by the MCP guidance.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// Whether `name` follows the MCP guidance for tool names.
pub fn follows_guidance(name: &str) -> bool {
    (1..=128).contains(&name.chars().count()) && name.chars().all(allowed)
}

/// The characters of `name` outside the guidance, as `U+…` (at most 8), or empty
/// when only its length is wrong.
pub fn outside_guidance(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in name.chars().filter(|c| !allowed(*c)) {
        let s = if c == ' ' {
            "U+0020".to_owned()
        } else {
            format!(
                "{} {}",
                super::chars::code_point(c),
                super::chars::escaped(&c.to_string())
            )
        };
        if !out.contains(&s) {
            out.push(s);
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}

/// Latin look-alikes of non-Latin letters (Cyrillic, Greek), lower case.
const LOOK_ALIKES: &[(char, char)] = &[
    ('а', 'a'),
    ('в', 'b'),
    ('е', 'e'),
    ('ё', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('і', 'l'),
    ('ї', 'l'),
    ('ј', 'j'),
    ('ѕ', 's'),
    ('һ', 'h'),
    ('ԁ', 'd'),
    ('ԛ', 'q'),
    ('ԝ', 'w'),
    ('к', 'k'),
    ('м', 'm'),
    ('н', 'h'),
    ('т', 't'),
    ('п', 'n'),
    ('г', 'r'),
    ('ӏ', 'l'),
    ('α', 'a'),
    ('β', 'b'),
    ('ε', 'e'),
    ('ζ', 'z'),
    ('η', 'n'),
    ('ι', 'l'),
    ('κ', 'k'),
    ('μ', 'u'),
    ('ν', 'v'),
    ('ο', 'o'),
    ('ρ', 'p'),
    ('τ', 't'),
    ('υ', 'u'),
    ('χ', 'x'),
    ('ω', 'w'),
    ('ѵ', 'v'),
    ('ɑ', 'a'),
    ('ɡ', 'g'),
    ('ı', 'l'),
    ('ℓ', 'l'),
];

/// The skeleton two confusable names share.
pub fn skeleton(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        // Full-width forms (U+FF01–FF5E) are the ASCII characters shifted.
        let c = match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c == 'I' {
            out.push('l');
            continue;
        }
        for lower in c.to_lowercase() {
            let mapped = LOOK_ALIKES
                .iter()
                .find(|(from, _)| *from == lower)
                .map_or(lower, |(_, to)| *to);
            out.push(match mapped {
                '0' => 'o',
                '1' | 'i' | '|' => 'l',
                '-' | '.' => '_',
                other => other,
            });
        }
    }
    out.replace("rn", "m").replace("vv", "w")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guidance() {
        for ok in ["get_user", "a", "files.read", "x-y_z.9", &"a".repeat(128)] {
            assert!(follows_guidance(ok), "{ok}");
        }
        for bad in [
            "",
            "get user",
            "gеt_user",
            "tool/x",
            "émoji",
            &"a".repeat(129),
        ] {
            assert!(!follows_guidance(bad), "{bad}");
        }
        assert_eq!(outside_guidance("gеt user"), vec!["U+0435 е", "U+0020"]);
        assert_eq!(outside_guidance("a\u{200B}"), vec!["U+200B [U+200B]"]);
        assert!(outside_guidance(&"a".repeat(129)).is_empty());
    }

    #[test]
    fn confusable_names_share_a_skeleton() {
        for (a, b) in [
            ("get_user", "gеt_user"),     // Cyrillic е
            ("read_file", "Read_File"),   // case only
            ("delete", "de1ete"),         // digit one
            ("list_items", "Iist_items"), // capital I
            ("modern", "modem"),          // rn / m
            ("send-mail", "send_mail"),   // separator
            ("pаyrоll", "payroll"),       // Cyrillic а and о
            ("ｅｘｅｃ", "exec"),         // full width
            ("tοken", "token"),           // Greek ο
        ] {
            assert_eq!(skeleton(a), skeleton(b), "{a} / {b}");
        }
        for (a, b) in [
            ("get_user", "get_users"),
            ("read", "reap"),
            ("list", "lost"),
        ] {
            assert_ne!(skeleton(a), skeleton(b), "{a} / {b}");
        }
    }
}
