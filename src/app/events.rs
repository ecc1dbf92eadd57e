//! DOM events for an embedding page. The standalone page has no listener host, so
//! there they go nowhere; embedded, they are dispatched on the widget's host element,
//! bubbling and composed (they cross the shadow root). Their sentences (`headline`,
//! `warnings`, an error's `message`) are in the widget's language.

use leptos::prelude::*;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::core::batch::report::{self, Kind, Totals};
use crate::core::batch::{Batch, Outcome as BatchOutcome, Stop};
use crate::core::diff::Summary;
use crate::core::error::ApiError;
use crate::core::history::MAX_REVIEW_FLAGS;
use crate::core::i18n::Tr;
use crate::core::review::baseline::Baseline;
use crate::core::review::Review;

use super::i18n::I18n;

/// Where events go: the host element, or nowhere; and the language their sentences
/// are in (the one in context where the sink was taken).
#[derive(Clone, Copy)]
pub struct Events(
    StoredValue<Option<web_sys::Element>, LocalStorage>,
    Option<I18n>,
);

/// `connector-refresh:refreshed` detail: the decoded result as a plain object.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RefreshedDetail<'a> {
    configuration_id: &'a str,
    headline: String,
    /// False when the server accepted the refresh but said nothing of what
    /// changed: the counts are then null and the lists empty for that reason.
    details_reported: bool,
    tools_discovered: Option<i64>,
    previous_tool_count: Option<i64>,
    unchanged: Option<i64>,
    new_tools: &'a [String],
    removed_tools: &'a [String],
    cached_at: Option<String>,
    expires_at: Option<String>,
    ttl_seconds: Option<i64>,
    message: Option<&'a str>,
    warnings: Vec<String>,
    /// Tools the safety review flagged; `None` when the definitions could not be
    /// compared (so nothing was reviewed).
    needs_review: Option<usize>,
    review_flags: Vec<FlagDetail<'a>>,
}

#[derive(Serialize)]
struct FlagDetail<'a> {
    tool: &'a str,
    path: &'a str,
    reason: String,
}

/// `connector-refresh:error` detail.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorDetail<'a> {
    configuration_id: Option<&'a str>,
    kind: &'static str,
    status: Option<u16>,
    message: String,
    code: Option<&'a str>,
    request_id: Option<&'a str>,
}

/// `connector-refresh:batch-finished` detail: the totals and one line per
/// configuration, in report order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchFinishedDetail<'a> {
    totals: Totals,
    summary: String,
    stopped: Option<&'static str>,
    configurations: Vec<BatchRowDetail<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchRowDetail<'a> {
    configuration_id: &'a str,
    outcome: &'static str,
    headline: Option<String>,
    error: Option<String>,
}

/// `connector-refresh:signed-out` detail.
#[derive(Serialize)]
struct SignedOutDetail<'a> {
    reason: Option<&'a str>,
}

impl Events {
    /// Provides an event sink dispatching on `host` (or nowhere, with `None`).
    pub fn provide(host: Option<web_sys::Element>) -> Self {
        let e = Events(StoredValue::new_local(host), None);
        provide_context(e);
        e
    }

    /// The provided sink (or a silent one), speaking the language in context.
    pub fn get() -> Self {
        let sink = use_context::<Events>().unwrap_or_else(|| Events::provide(None));
        Events(sink.0, Some(I18n::get()))
    }

    /// A refresh succeeded.
    pub fn refreshed(
        &self,
        configuration_id: &str,
        s: &Summary,
        message: Option<&str>,
        review: Option<&Review>,
    ) {
        self.emit("connector-refresh:refreshed", |tr| RefreshedDetail {
            configuration_id,
            headline: s.headline(tr),
            details_reported: s.reported,
            tools_discovered: s.total,
            previous_tool_count: s.previous,
            unchanged: s.unchanged,
            new_tools: &s.new_tools,
            removed_tools: &s.removed_tools,
            cached_at: s.cached_at.map(|t| t.to_iso()),
            expires_at: s.expires_at.map(|t| t.to_iso()),
            ttl_seconds: s.ttl.map(|d| d.num_seconds()),
            message,
            warnings: s.warnings.iter().map(|w| w.message(tr)).collect(),
            needs_review: review.map(|r| r.tools_flagged),
            review_flags: review
                .map(|r| {
                    r.flags
                        .iter()
                        .take(MAX_REVIEW_FLAGS)
                        .map(|f| FlagDetail {
                            tool: &f.tool,
                            path: &f.path,
                            reason: f.message(tr),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        });
    }

    /// `connector-refresh:reviewed`: the baseline a person just signed off.
    pub fn reviewed(&self, b: &Baseline) {
        self.emit("connector-refresh:reviewed", |_| b.clone());
    }

    /// A call failed.
    pub fn error(&self, configuration_id: Option<&str>, e: &ApiError) {
        self.emit("connector-refresh:error", |tr| ErrorDetail {
            configuration_id,
            kind: e.kind_name(),
            status: e.status,
            message: e.user_message(tr),
            code: e.code.as_deref(),
            request_id: e.request_id.as_deref(),
        });
    }

    /// A batch of refreshes is over (finished, cancelled or stopped); each of its
    /// refreshes fired its own `refreshed` or `error` event before.
    pub fn batch_finished(&self, batch: &Batch) {
        let totals = report::totals(batch);
        self.emit("connector-refresh:batch-finished", |tr| {
            BatchFinishedDetail {
                totals,
                summary: totals.sentence(tr),
                stopped: batch.stopped().map(|s| match s {
                    Stop::Cancelled => "cancelled",
                    Stop::SignedOut => "signed-out",
                }),
                configurations: report::rows(batch)
                    .into_iter()
                    .map(|(_, item)| BatchRowDetail {
                        configuration_id: &item.id,
                        outcome: Kind::of(item).name(),
                        headline: match item.outcome() {
                            Some(BatchOutcome::Refreshed { headline, .. }) => {
                                Some(headline.text(tr))
                            }
                            _ => None,
                        },
                        error: match item.outcome() {
                            Some(BatchOutcome::Failed(e)) => Some(e.user_message(tr)),
                            _ => None,
                        },
                    })
                    .collect(),
            }
        });
    }

    /// The session ended (a 401, or sign-out).
    pub fn signed_out(&self, reason: Option<&str>) {
        self.emit("connector-refresh:signed-out", |_| SignedOutDetail {
            reason,
        });
    }

    /// Dispatches `name` with the detail `detail` builds in the sink's language
    /// (built only when there is a host to tell).
    fn emit<D: Serialize>(&self, name: &str, detail: impl FnOnce(&Tr) -> D) {
        let Some(Some(host)) = self.0.try_get_value() else {
            return;
        };
        let tr = self.1.map_or_else(Tr::english, I18n::tr);
        let detail = detail(&tr);
        // Plain objects, arrays and null (not Maps or undefined): what a host's
        // JSON.stringify or structuredClone expects.
        let detail = detail
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL);
        let init = web_sys::CustomEventInit::new();
        init.set_bubbles(true);
        init.set_composed(true);
        init.set_detail(&detail);
        if let Ok(ev) = web_sys::CustomEvent::new_with_event_init_dict(name, &init) {
            let _ = host.dispatch_event(&ev);
        }
    }
}
