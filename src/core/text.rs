//! Small text helpers that keep formatting machinery out of the bundle.

/// `num / den` with one decimal, rounded half up ("1.5"); integer arithmetic, so
/// the float formatter is not linked. `den` = 0 gives "0.0".
pub fn one_decimal(num: u64, den: u64) -> String {
    let tenths = num
        .saturating_mul(10)
        .saturating_add(den / 2)
        .checked_div(den)
        .unwrap_or(0);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A non-negative decimal, `digits[.digits]` (or `.digits`), as sent in headers
/// such as `Retry-After: 120` or typed into a seconds field; anything else
/// (signs, exponents, `inf`, blanks) is `None`. Written here because the standard
/// float parser brings about 12 KB of tables into the bundle.
pub fn parse_decimal(s: &str) -> Option<f64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    let mut v = 0.0f64;
    for b in int.bytes() {
        v = v * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 1.0f64;
    for b in frac.bytes() {
        scale /= 10.0;
        v += f64::from(b - b'0') * scale;
    }
    Some(v)
}

/// `s` in lower case, for case-insensitive search. ASCII (nearly every tool and
/// configuration name) is folded here; anything else by the browser's
/// `String.prototype.toLowerCase` in the wasm build (Rust's own Unicode case
/// tables would add about 17 KB to the bundle) and by `str::to_lowercase`
/// natively — both follow Unicode's default case mapping.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::{lower, one_decimal, parse_decimal};

    #[test]
    fn parses_plain_decimals_only() {
        assert_eq!(parse_decimal("120"), Some(120.0));
        assert_eq!(parse_decimal("0"), Some(0.0));
        assert_eq!(parse_decimal("1.5"), Some(1.5));
        assert_eq!(parse_decimal(".25"), Some(0.25));
        assert_eq!(parse_decimal("7."), Some(7.0));
        assert_eq!(parse_decimal("1700000000123"), Some(1_700_000_000_123.0));
        for bad in [
            "", ".", "-1", "+1", "1e3", "inf", "NaN", "1.2.3", " 1", "1 ", "0x10", "１",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
        for n in 0..5000u32 {
            let text = format!("{}.{:02}", n, n % 100);
            let want: f64 = text.parse().unwrap();
            assert!(
                (parse_decimal(&text).unwrap() - want).abs() < 1e-9,
                "{text}"
            );
        }
    }

    #[test]
    fn one_decimal_matches_float_formatting() {
        assert_eq!(one_decimal(1536, 1024), "1.5");
        assert_eq!(one_decimal(1024, 1024), "1.0");
        assert_eq!(one_decimal(12_345, 1000), "12.3");
        assert_eq!(one_decimal(12_350, 1000), "12.4");
        assert_eq!(one_decimal(5, 0), "0.0");
        for n in (0..200_000u64).step_by(37) {
            // Away from exact halves the float formatter agrees.
            if (n * 10) % 1024 != 512 {
                assert_eq!(
                    one_decimal(n, 1024),
                    format!("{:.1}", n as f64 / 1024.0),
                    "{n}"
                );
            }
        }
    }

    #[test]
    fn folds_ascii_and_unicode() {
        assert_eq!(lower("GitHub_Search-2"), "github_search-2");
        assert_eq!(lower("ÉQUIPE Ärger"), "équipe ärger");
        assert_eq!(lower(""), "");
    }
}
