//! Fuzz target: any status, headers and body through every decoder and the
//! summary must return, never panic.
#![no_main]

use connector_refresh::core::diff::Summary;
use connector_refresh::core::error::classify;
use connector_refresh::core::gate::RefreshGate;
use connector_refresh::core::http::HttpReply;
use connector_refresh::core::i18n::Tr;
use connector_refresh::core::model::{
    decode_configuration, decode_configuration_page, decode_refresh,
};
use connector_refresh::core::time::Instant;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let tr = Tr::english();
    let (head, body) = data.split_at(data.len().min(12));
    let status = head.first().map_or(200, |b| 100 + u16::from(*b) * 2);
    let now = Instant::from_millis(i64::from(head.get(1).copied().unwrap_or(0)) * 1_000_000_007);
    let retry = String::from_utf8_lossy(head.get(2..).unwrap_or_default()).into_owned();
    let reply = HttpReply::new(status, body.to_vec())
        .with_header("Retry-After", &retry)
        .with_header("X-RateLimit-Reset", &retry);
    if let Ok(r) = decode_refresh(&reply, now) {
        let s = Summary::of(&r, "pconf_fuzz", now);
        let _ = s.headline(&tr);
        let _ = s.ttl_words(&tr);
        for w in &s.warnings {
            let _ = w.message(&tr);
        }
    }
    let _ = decode_configuration_page(&reply, 20, now);
    let _ = decode_configuration(&reply, now);
    let err = classify(&reply, now);
    let _ = err.user_message(&tr);
    let mut gate = RefreshGate::default();
    gate.after_error(&err, now);
    let _ = gate.note(&tr, now);
});
