//! Tolerant field access on untrusted JSON.
//!
//! The vendor documents camelCase and snake_case variants of every object, and any
//! field may be missing, null or of the wrong type. Rather than a serde derive that
//! rejects a whole answer for one odd field, decoding walks a `serde_json::Value`
//! with these helpers and records what it had to tolerate.

use serde_json::Value;

/// The first present, non-null value among `keys` (e.g. `["toolsDiscovered", "tools_discovered"]`).
pub fn field<'a>(obj: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    let map = obj.as_object()?;
    keys.iter()
        .filter_map(|k| map.get(*k))
        .find(|v| !v.is_null())
}

/// A string field; numbers and booleans are rendered as text, other types ignored.
pub fn string(obj: &Value, keys: &[&str]) -> Option<String> {
    match field(obj, keys)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A whole number; accepts integers, floats (truncated toward zero) and numeric strings.
pub fn integer(obj: &Value, keys: &[&str]) -> Option<i64> {
    as_integer(field(obj, keys)?)
}

/// Interprets one value as a whole number, as [`integer`] does.
pub fn as_integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && f.abs() < 9.0e15)
                .map(|f| f.trunc() as i64)
        }),
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    }
}

/// A boolean; accepts `true`/`false` and the strings "true"/"false".
pub fn boolean(obj: &Value, keys: &[&str]) -> Option<bool> {
    match field(obj, keys)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn first_non_null_alias_wins() {
        let v = json!({"a": null, "b": 3});
        assert_eq!(integer(&v, &["a", "b"]), Some(3));
        assert_eq!(integer(&v, &["c"]), None);
    }

    #[test]
    fn integers_from_floats_and_strings() {
        assert_eq!(integer(&json!({"n": 7.9}), &["n"]), Some(7));
        assert_eq!(integer(&json!({"n": " 12 "}), &["n"]), Some(12));
        assert_eq!(integer(&json!({"n": "x"}), &["n"]), None);
        assert_eq!(integer(&json!({"n": 1e300}), &["n"]), None);
        assert_eq!(integer(&json!([1]), &["n"]), None);
    }

    #[test]
    fn strings_and_booleans_are_lenient() {
        assert_eq!(string(&json!({"s": 5}), &["s"]).as_deref(), Some("5"));
        assert_eq!(string(&json!({"s": {}}), &["s"]), None);
        assert_eq!(boolean(&json!({"b": "TRUE"}), &["b"]), Some(true));
        assert_eq!(boolean(&json!({"b": 1}), &["b"]), None);
    }
}
