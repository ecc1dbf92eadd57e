//! Property tests: no input panics the decoders, and the time arithmetic agrees
//! with chrono.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#![cfg(not(target_arch = "wasm32"))]

use connector_refresh::core::diff::Summary;
use connector_refresh::core::error::classify;
use connector_refresh::core::http::HttpReply;
use connector_refresh::core::model::{decode_configuration_page, decode_refresh};
use connector_refresh::core::time::{
    duration_words, parse_http_date, parse_rfc3339, relative, Instant,
};
use proptest::prelude::*;

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("2025-10-07T12:45:00Z"),
            Just("9999-12-31T23:59:59.999Z"),
            Just("0000-01-01T00:00:00Z")
        ]
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    let keys = prop_oneof![
        Just("success"),
        Just("message"),
        Just("details"),
        Just("toolsDiscovered"),
        Just("tools_discovered"),
        Just("previousToolCount"),
        Just("newTools"),
        Just("removed_tools"),
        Just("cachedAt"),
        Just("expires_at"),
        Just("error"),
        Just("detail"),
        Just("data"),
        Just("id"),
        Just("hasMore"),
        Just("meta"),
        Just("retry_after"),
        Just("configurationId"),
        Just("name"),
        Just("x"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(keys.clone(), inner, 0..8).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn decoders_never_panic_on_json(v in arb_json(), status in prop_oneof![Just(200u16), 100u16..600], now in any::<i64>()) {
        let body = serde_json::to_vec(&v).unwrap_or_default();
        let reply = HttpReply::new(status, body).with_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
        let now = Instant::from_millis(now);
        if let Ok(r) = decode_refresh(&reply, now) {
            let s = Summary::of(&r, "pconf_x", now);
            let _ = s.headline();
            for w in &s.warnings { let _ = w.message(); }
        }
        let _ = decode_configuration_page(&reply, 20, now);
        let e = classify(&reply, now);
        let _ = e.user_message();
    }

    #[test]
    fn decoders_never_panic_on_bytes(body in prop::collection::vec(any::<u8>(), 0..256), status in 0u16..1000) {
        let reply = HttpReply::new(status, body);
        let _ = decode_refresh(&reply, Instant::default());
        let _ = decode_configuration_page(&reply, 0, Instant::default());
        let _ = classify(&reply, Instant::default()).user_message();
    }

    #[test]
    fn rfc3339_agrees_with_chrono(s in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,6})?(Z|[+-][0-1][0-9]:[0-5][0-9])") {
        let ours = parse_rfc3339(&s).map(Instant::millis);
        let theirs = chrono::DateTime::parse_from_rfc3339(&s).ok().map(|d| d.timestamp_millis());
        // chrono accepts year 0000, which we treat as out of range
        if theirs.is_some_and(|t| t >= -62_135_596_800_000) || ours.is_some() {
            prop_assert_eq!(ours, theirs);
        }
    }

    #[test]
    fn iso_round_trip(ms in -62_135_596_800_000i64..253_402_300_799_999) {
        let t = Instant::from_millis(ms);
        prop_assert_eq!(parse_rfc3339(&t.to_iso()), Some(t));
        let chrono_t = chrono::DateTime::from_timestamp_millis(ms).map(|d| d.timestamp_millis());
        prop_assert_eq!(chrono_t, Some(ms));
    }

    #[test]
    fn http_date_agrees_with_chrono(secs in 0i64..253_402_300_799) {
        let d = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_default();
        let text = d.to_rfc2822().replace("+0000", "GMT");
        prop_assert_eq!(parse_http_date(&text).map(Instant::millis), Some(secs * 1000));
    }

    #[test]
    fn relative_words_are_consistent(now in any::<i64>(), delta in -10_000_000_000i64..10_000_000_000) {
        let now = Instant::from_millis(now);
        let t = Instant::from_millis(now.millis().saturating_add(delta));
        let r = relative(now, t);
        let real = t.millis_since(now);
        prop_assert!(real.abs() < 1000 || (real > 0) == r.starts_with("in "));
        prop_assert!(!duration_words(delta).is_empty());
    }
}
