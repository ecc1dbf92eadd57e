//! Getting results out of the app: the clipboard, file downloads, and an entry's
//! export (Markdown or JSON) built a slice at a time, with the files' names.

use std::sync::Arc;

use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, in_slices};
use crate::core::history::HistoryEntry;
use crate::core::i18n::Tr;
use crate::core::stepwise::{ExportFormat, ExportSteps};
use crate::core::time::Instant;

/// Changed tools exported per step.
const EXPORT_STEP: usize = 50;
/// JSON parts joined into one blob at a time.
const PARTS_PER_BLOB: usize = 16;

/// Copies text to the clipboard; `Err` when the browser refuses.
pub async fn copy_text(text: &str) -> Result<(), ()> {
    let clipboard = web_sys::window()
        .map(|w| w.navigator().clipboard())
        .ok_or(())?;
    wasm_bindgen_futures::JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| ())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    download_parts(name, mime, &js_sys::Array::of1(&JsValue::from_str(text)))
}

/// Offers the concatenation of `parts` (JS strings or blobs) as a file download
/// named `name`: the browser joins them, so a huge export never becomes one string.
pub fn download_parts(name: &str, mime: &str, parts: &js_sys::Array) -> Result<(), JsValue> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// `entry`'s export in `format`, worded by `tr`, as parts to concatenate. Built a
/// slice of changed tools at a time (`core::stepwise`): the export of 20,000
/// changed tools is megabytes of text, which one task would freeze the page making.
pub async fn entry_export(entry: Arc<HistoryEntry>, format: ExportFormat, tr: Tr) -> Vec<String> {
    let mut steps = ExportSteps::new(entry, format, tr);
    in_slices(|| steps.step(EXPORT_STEP)).await;
    api::yield_now().await;
    steps.finish_parts()
}

/// Offers the JSON `parts` as a download named `name`. They are handed to the
/// browser a slice at a time: megabytes of text become small blobs, joined at the
/// end without copying.
pub async fn download_json_parts(name: &str, parts: &[String]) -> Result<(), JsValue> {
    let blobs = js_sys::Array::new();
    let mut next = 0;
    in_slices(|| {
        let group = js_sys::Array::new();
        for p in parts
            .get(next..(next + PARTS_PER_BLOB).min(parts.len()))
            .unwrap_or_default()
        {
            group.push(&JsValue::from_str(p));
        }
        next += PARTS_PER_BLOB;
        if let Ok(b) = web_sys::Blob::new_with_str_sequence(&group) {
            blobs.push(&b);
        }
        next >= parts.len()
    })
    .await;
    api::yield_now().await;
    download_parts(name, "application/json", &blobs)
}

/// A file name for an entry's export, e.g. `pconf_abc123-2026-11-29T05-10-00Z.json`.
pub fn export_name(entry: &HistoryEntry, ext: &str) -> String {
    let safe: String = entry
        .configuration_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    let when = file_time(Instant::from_millis(entry.at));
    format!("{safe}-{when}Z.{ext}")
}

/// A bulk report's JSON file name, e.g. `bulk-refresh-2026-12-01T19-30-00Z.json`.
pub fn report_name(started: Instant) -> String {
    format!("bulk-refresh-{}Z.json", file_time(started))
}

/// `t` to the second in UTC, with `-` for `:` (which some file systems refuse).
fn file_time(t: Instant) -> String {
    t.to_iso()
        .chars()
        .take(19)
        .map(|c| if c == ':' { '-' } else { c })
        .collect()
}
