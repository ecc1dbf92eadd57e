//! Fuzz target: everything else the app reads from outside — saved history
//! (localStorage), tool catalogs (the tools endpoint), embedding options and URL
//! paths — through its readers, the schema diff, the exports and the comparison
//! must return, never panic.
#![no_main]

use connector_refresh::core::export;
use connector_refresh::core::history::{compare, History};
use connector_refresh::core::http::HttpReply;
use connector_refresh::core::i18n::Tr;
use connector_refresh::core::model::decode_refresh;
use connector_refresh::core::options::EmbedOptions;
use connector_refresh::core::route;
use connector_refresh::core::schema_diff::diff_catalogs;
use connector_refresh::core::time::Instant;
use connector_refresh::core::tools::decode_tools;
use connector_refresh::core::warnings::cross_check;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let now = Instant::from_millis(1_700_000_000_000);

    // Saved history: parse, then everything the history panel does with entries.
    let (history, _warning) = History::parse(Some(&text));
    // German, so the saved English reasons are read back and translated too.
    let tr =
        connector_refresh::core::i18n::Lang::from_tag("de").map_or_else(Tr::english, Tr::native);
    for pair in history.entries.windows(2) {
        if let [a, b] = pair {
            let c = compare(a, b);
            let _ = c.count_sentence(&tr);
        }
    }
    for e in history.entries.iter().take(8) {
        let _ = export::markdown(&tr, e);
        let _ = e.summary_line(&tr);
        let _ = export::json(e);
    }
    let _ = history.to_json();

    // Two tool catalogs (the body split in two), their diff and the cross-check
    // against a refresh answer read from the same bytes.
    let mid = data.len() / 2;
    let (left, right) = data.split_at(mid);
    let before = decode_tools(&HttpReply::new(200, left.to_vec()), now);
    let after = decode_tools(&HttpReply::new(200, right.to_vec()), now);
    if let (Ok(b), Ok(a)) = (&before, &after) {
        let d = diff_catalogs(b, a);
        let _ = d.breaking_count();
        if let Ok(r) = decode_refresh(&HttpReply::new(200, data.to_vec()), now) {
            let _ = cross_check(&tr, &d, &r);
        }
    }

    // Embedding options (the host page's object, as JSON) and a URL path.
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = EmbedOptions::decode(&map, "https://portal.example");
    }
    let _ = route::parse(&text);
});
