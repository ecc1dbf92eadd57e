//! The app's own types for what the API returns, and their tolerant decoders.
//!
//! Every field is optional; camelCase and snake_case are both read; unknown fields
//! are ignored; values of the wrong type are dropped (and, for the refresh answer,
//! reported as warnings by [`crate::core::diff`]).

use serde_json::Value;

use super::error::{classify, malformed, ApiError, ErrorKind};
use super::http::HttpReply;
use super::json::{boolean, field, string};
use super::text::{contains_lowered, lower};
use super::time::{parse_rfc3339, Instant};

/// A personal connector configuration, as shown in the picker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Configuration {
    /// `pconf_…`; a configuration without an id is skipped.
    pub id: String,
    /// Display name.
    pub name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// `pcon_…`.
    pub connector_id: Option<String>,
    /// Whether it is enabled.
    pub enabled: Option<bool>,
    /// `healthy` / `unhealthy` / `unknown` (or whatever the server says).
    pub health_status: Option<String>,
    /// When the tools were last synced.
    pub last_sync_at: Option<Instant>,
    /// The last sync error, if any.
    pub last_error: Option<String>,
}

impl Configuration {
    /// Decodes one configuration object; `None` when it has no usable id.
    pub fn from_value(v: &Value) -> Option<Self> {
        let id = string(v, &["id", "configurationId", "configuration_id"])?;
        if id.is_empty() {
            return None;
        }
        Some(Self {
            id,
            name: string(v, &["name"]),
            description: string(v, &["description"]),
            connector_id: string(
                v,
                &[
                    "personalConnectorId",
                    "personal_connector_id",
                    "connectorId",
                    "connector_id",
                ],
            ),
            enabled: boolean(v, &["enabled"]),
            health_status: string(v, &["healthStatus", "health_status"]),
            last_sync_at: string(v, &["lastSyncAt", "last_sync_at"])
                .and_then(|s| parse_rfc3339(&s)),
            last_error: string(v, &["lastError", "last_error"]).filter(|s| !s.is_empty()),
        })
    }

    /// The name, or the id when the name is missing or blank.
    pub fn label(&self) -> &str {
        self.name
            .as_deref()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(&self.id)
    }

    /// Whether `query` (case-insensitive) occurs in the name or the id.
    pub fn matches(&self, query: &str) -> bool {
        let q = lower(query.trim());
        q.is_empty()
            || contains_lowered(&self.id, &q)
            || self
                .name
                .as_deref()
                .is_some_and(|n| contains_lowered(n, &q))
    }
}

/// One page of the configuration list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigurationPage {
    /// The configurations on this page, in server order.
    pub items: Vec<Configuration>,
    /// Whether another page may follow (from `hasMore`, else "page was full").
    pub has_more: bool,
    /// Entries that were skipped because they had no id.
    pub skipped: usize,
}

impl ConfigurationPage {
    /// The cursor for the next page: the last id on this one.
    pub fn next_cursor(&self) -> Option<&str> {
        if self.has_more {
            self.items.last().map(|c| c.id.as_str())
        } else {
            None
        }
    }
}

/// Decodes a list answer. `limit` is the page size asked for: with no `hasMore`
/// flag, a full page means there may be more.
pub fn decode_configuration_page(
    reply: &HttpReply,
    limit: usize,
    now: Instant,
) -> Result<ConfigurationPage, ApiError> {
    let v = json_body(reply, now)?;
    let list = match &v {
        Value::Array(a) => Some(a),
        other => field(other, &["data", "items", "configurations"]).and_then(Value::as_array),
    };
    let Some(list) = list else {
        return Err(malformed(
            reply,
            "expected a list of configurations (a \"data\" array)",
        ));
    };
    let items: Vec<Configuration> = list.iter().filter_map(Configuration::from_value).collect();
    let skipped = list.len() - items.len();
    let has_more = match boolean(&v, &["hasMore", "has_more"]) {
        Some(flag) => flag && !list.is_empty(),
        None => !list.is_empty() && list.len() >= limit,
    };
    Ok(ConfigurationPage {
        items,
        has_more,
        skipped,
    })
}

/// Decodes a single-configuration answer (also accepts it wrapped in `data`).
pub fn decode_configuration(reply: &HttpReply, now: Instant) -> Result<Configuration, ApiError> {
    let v = json_body(reply, now)?;
    let inner = field(&v, &["data"]).filter(|d| d.is_object()).unwrap_or(&v);
    Configuration::from_value(inner).ok_or_else(|| malformed(reply, "the configuration has no id"))
}

/// The largest tool count taken as a fact. The app is built and measured for tens
/// of thousands of tools (`bench/`), the vendor's connectors have dozens; a count
/// over a million is a broken server, so it is reported as implausible instead of
/// shown as a number (a million itself still is one).
pub const MAX_TOOL_COUNT: i64 = 1_000_000;

/// The refresh call's answer, decoded as far as possible.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RefreshResult {
    /// `details.configurationId`.
    pub configuration_id: Option<String>,
    /// The server's message.
    pub message: Option<String>,
    /// `toolsDiscovered`: how many tools the cache holds now (a whole number up
    /// to [`MAX_TOOL_COUNT`]; negatives are kept here and dropped by the summary).
    pub tools_discovered: Option<i64>,
    /// `previousToolCount`: how many it held before (as `tools_discovered`).
    pub previous_tool_count: Option<i64>,
    /// The `toolsDiscovered` the server sent, as text, when it is a number but
    /// not a plausible count: not whole (12.5) or over [`MAX_TOOL_COUNT`].
    pub tools_discovered_implausible: Option<String>,
    /// The same for `previousToolCount`.
    pub previous_tool_count_implausible: Option<String>,
    /// New tool names, as sent (strings only).
    pub new_tools: Vec<String>,
    /// Removed tool names, as sent (strings only).
    pub removed_tools: Vec<String>,
    /// How many entries of `newTools` were not strings.
    pub new_tools_invalid: usize,
    /// How many entries of `removedTools` were not strings.
    pub removed_tools_invalid: usize,
    /// When the cache was made.
    pub cached_at: Option<Instant>,
    /// When it expires.
    pub expires_at: Option<Instant>,
    /// Raw `cachedAt` text when present but unreadable.
    pub cached_at_unreadable: Option<String>,
    /// Raw `expiresAt` text when present but unreadable.
    pub expires_at_unreadable: Option<String>,
    /// Whether the answer said anything about what changed: a tool count or a
    /// `newTools`/`removedTools` list. `{}`, `{"success": true}`, `details: null`
    /// or details with only times do not, and must not be shown as "no changes".
    pub reported: bool,
}

/// Decodes the refresh answer. A 2xx whose body says `"success": false` is an error.
pub fn decode_refresh(reply: &HttpReply, now: Instant) -> Result<RefreshResult, ApiError> {
    let v = json_body(reply, now)?;
    if !v.is_object() {
        return Err(malformed(reply, "expected a JSON object"));
    }
    let message = string(&v, &["message"]);
    if boolean(&v, &["success"]) == Some(false) {
        let mut err = classify(reply, now);
        err.kind = ErrorKind::Unsuccessful;
        if err.server_message.is_none() {
            err.server_message = message;
        }
        return Err(err);
    }
    // Some variants put the fields at the top level instead of under `details`.
    let d = field(&v, &["details", "data", "result"])
        .filter(|d| d.is_object())
        .unwrap_or(&v);
    const NEW: [&str; 2] = ["newTools", "new_tools"];
    const REMOVED: [&str; 2] = ["removedTools", "removed_tools"];
    let (new_tools, new_tools_invalid) = names(d, &NEW);
    let (removed_tools, removed_tools_invalid) = names(d, &REMOVED);
    let (cached_at, cached_at_unreadable) = time_field(d, &["cachedAt", "cached_at"]);
    let (expires_at, expires_at_unreadable) = time_field(d, &["expiresAt", "expires_at"]);
    let (tools_discovered, tools_discovered_implausible) = count(
        d,
        &[
            "toolsDiscovered",
            "tools_discovered",
            "toolCount",
            "tool_count",
        ],
    );
    let (previous_tool_count, previous_tool_count_implausible) =
        count(d, &["previousToolCount", "previous_tool_count"]);
    let is_list = |keys: &[&str]| field(d, keys).is_some_and(Value::is_array);
    // An implausible count is still a count the server reported (the headline
    // says it was implausible rather than that nothing was reported).
    let reported = tools_discovered.is_some()
        || previous_tool_count.is_some()
        || tools_discovered_implausible.is_some()
        || previous_tool_count_implausible.is_some()
        || is_list(&NEW)
        || is_list(&REMOVED);
    Ok(RefreshResult {
        configuration_id: string(d, &["configurationId", "configuration_id"]),
        message,
        tools_discovered,
        previous_tool_count,
        tools_discovered_implausible,
        previous_tool_count_implausible,
        reported,
        new_tools,
        removed_tools,
        new_tools_invalid,
        removed_tools_invalid,
        cached_at,
        expires_at,
        cached_at_unreadable,
        expires_at_unreadable,
    })
}

/// Reads a tool count: a whole number up to [`MAX_TOOL_COUNT`] (a number or a
/// numeric string; `12.0` is 12), or the text of a number that is not a plausible
/// count (`12.5`, `1e12`), or nothing when absent or not a number at all (a
/// string such as "many" is a wrong type, ignored as before).
fn count(obj: &Value, keys: &[&str]) -> (Option<i64>, Option<String>) {
    let (value, raw) = match field(obj, keys) {
        Some(Value::Number(n)) => (n.as_f64(), n.to_string()),
        Some(Value::String(s)) => (s.trim().parse::<f64>().ok(), s.trim().to_owned()),
        _ => return (None, None),
    };
    let Some(v) = value else {
        return (None, None);
    };
    let whole = v.is_finite() && v.fract() == 0.0 && v.abs() <= 9.0e15;
    if whole && v <= MAX_TOOL_COUNT as f64 {
        (Some(v as i64), None)
    } else {
        (None, Some(super::error::clip(&raw, 40)))
    }
}

/// Reads a list of names; non-string entries are counted, not kept. Objects with a
/// `name` (a tool definition instead of a name) are accepted.
fn names(obj: &Value, keys: &[&str]) -> (Vec<String>, usize) {
    let Some(Value::Array(items)) = field(obj, keys) else {
        return (Vec::new(), 0);
    };
    let mut out = Vec::with_capacity(items.len());
    let mut invalid = 0;
    for item in items {
        match item {
            Value::String(s) => out.push(s.clone()),
            Value::Object(_) => match string(item, &["name"]) {
                Some(n) => out.push(n),
                None => invalid += 1,
            },
            _ => invalid += 1,
        }
    }
    (out, invalid)
}

fn time_field(obj: &Value, keys: &[&str]) -> (Option<Instant>, Option<String>) {
    match string(obj, keys) {
        None => (None, None),
        Some(raw) => match parse_rfc3339(&raw) {
            Some(t) => (Some(t), None),
            None => (None, Some(super::error::clip(&raw, 60))),
        },
    }
}

/// A 2xx JSON body, or the classified error for anything else.
pub(crate) fn json_body(reply: &HttpReply, now: Instant) -> Result<Value, ApiError> {
    if !reply.is_success() {
        return Err(classify(reply, now));
    }
    match super::error::Body::sniff(&reply.body) {
        super::error::Body::Json(v) => Ok(v),
        super::error::Body::Invalid(detail) => {
            Err(malformed(reply, format!("not valid JSON: {detail}")))
        }
        _ => Err(malformed(reply, "no JSON")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configuration_label_falls_back_to_id() {
        let c = Configuration {
            id: "pconf_1".into(),
            name: Some("  ".into()),
            ..Default::default()
        };
        assert_eq!(c.label(), "pconf_1");
        assert!(c.matches("PCONF"));
        assert!(!c.matches("zzz"));
    }

    #[test]
    fn page_without_flag_uses_fullness() {
        let body = r#"{"data":[{"id":"a"},{"id":"b"},{"name":"no id"}]}"#;
        let p = decode_configuration_page(&HttpReply::new(200, body), 3, Instant::default());
        let p = p.unwrap_or_default();
        assert_eq!(p.items.len(), 2);
        assert_eq!(p.skipped, 1);
        assert!(p.has_more);
        assert_eq!(p.next_cursor(), Some("b"));
    }

    #[test]
    fn answers_without_details_are_not_reported() {
        for body in [
            "{}",
            r#"{"success": true}"#,
            r#"{"success": true, "message": "ok", "details": null}"#,
            r#"{"details": {"configurationId": "c", "cachedAt": "2025-10-07T12:45:00Z"}}"#,
            r#"{"details": {"toolsDiscovered": "many", "newTools": "x"}}"#,
        ] {
            let r = decode_refresh(&HttpReply::new(200, body), Instant::default());
            assert_eq!(r.map(|r| r.reported), Ok(false), "{body}");
        }
        for body in [
            r#"{"details": {"toolsDiscovered": 0}}"#,
            r#"{"details": {"newTools": []}}"#,
            r#"{"removed_tools": ["a"]}"#,
            r#"{"details": {"previous_tool_count": 3}}"#,
        ] {
            let r = decode_refresh(&HttpReply::new(200, body), Instant::default());
            assert_eq!(r.map(|r| r.reported), Ok(true), "{body}");
        }
    }

    #[test]
    fn refresh_fields_at_top_level_are_read() {
        let body = r#"{"newTools":["x"],"toolsDiscovered":"3"}"#;
        let r = decode_refresh(&HttpReply::new(200, body), Instant::default()).unwrap_or_default();
        assert_eq!(r.new_tools, vec!["x".to_owned()]);
        assert_eq!(r.tools_discovered, Some(3));
    }

    #[test]
    fn implausible_counts_are_kept_apart_from_real_ones() {
        let decode = |details: &str| {
            let body = format!(r#"{{"details": {details}}}"#);
            decode_refresh(&HttpReply::new(200, body.as_str()), Instant::default())
                .unwrap_or_default()
        };
        for (details, raw) in [
            (r#"{"toolsDiscovered": 1e12}"#, "1000000000000.0"),
            (r#"{"toolsDiscovered": 12.5}"#, "12.5"),
            (r#"{"toolsDiscovered": "12.5"}"#, "12.5"),
            (r#"{"toolsDiscovered": 1000001}"#, "1000001"),
            (r#"{"tools_discovered": 99999999999999999999}"#, "1e+20"),
        ] {
            let r = decode(details);
            assert_eq!(r.tools_discovered, None, "{details}");
            assert_eq!(
                r.tools_discovered_implausible.as_deref(),
                Some(raw),
                "{details}"
            );
            assert!(
                r.reported,
                "an implausible count was still reported: {details}"
            );
        }
        let r = decode(r#"{"toolsDiscovered": 1000000, "previousToolCount": 999999.0}"#);
        assert_eq!(
            (r.tools_discovered, r.previous_tool_count),
            (Some(MAX_TOOL_COUNT), Some(999_999))
        );
        assert_eq!(r.tools_discovered_implausible, None);
        let r = decode(r#"{"previousToolCount": -3, "toolsDiscovered": "many"}"#);
        assert_eq!(
            (r.previous_tool_count, r.tools_discovered),
            (Some(-3), None)
        );
        assert_eq!(r.tools_discovered_implausible, None, "not a number at all");
    }

    /// The configuration list's counts (`ui::configurations`) in every language.
    #[test]
    fn the_list_counts_follow_each_language() {
        use crate::core::i18n::{Lang, Tr, K};
        let tr = |tag: &str| Tr::native(Lang::from_tag(tag).unwrap());
        let loaded = |t: &Tr, n: i64| t.f(K::ListLoaded, &[("n", n.into())]);
        let cases: [(&str, [&str; 6]); 4] = [
            (
                "en",
                [
                    "0 configurations loaded.",
                    "1 configuration loaded.",
                    "2 configurations loaded.",
                    "5 configurations loaded.",
                    "21 configurations loaded.",
                    "1,000,000 configurations loaded.",
                ],
            ),
            (
                "de",
                [
                    "0 Konfigurationen geladen.",
                    "1 Konfiguration geladen.",
                    "2 Konfigurationen geladen.",
                    "5 Konfigurationen geladen.",
                    "21 Konfigurationen geladen.",
                    "1.000.000 Konfigurationen geladen.",
                ],
            ),
            (
                "fr",
                [
                    "0 configuration chargée.",
                    "1 configuration chargée.",
                    "2 configurations chargées.",
                    "5 configurations chargées.",
                    "21 configurations chargées.",
                    "1\u{202f}000\u{202f}000 de configurations chargées.",
                ],
            ),
            (
                "it",
                [
                    "0 configurazioni caricate.",
                    "1 configurazione caricata.",
                    "2 configurazioni caricate.",
                    "5 configurazioni caricate.",
                    "21 configurazioni caricate.",
                    "1.000.000 di configurazioni caricate.",
                ],
            ),
        ];
        for (tag, want) in cases {
            let t = tr(tag);
            for (n, w) in [0, 1, 2, 5, 21, 1_000_000].into_iter().zip(want) {
                assert_eq!(loaded(&t, n), w, "{tag} {n}");
            }
        }
        let en = Tr::english();
        assert_eq!(
            en.f(K::ListSkipped, &[("n", 1_usize.into())]),
            " 1 entry without an id was skipped."
        );
        assert_eq!(
            en.f(
                K::ListMatching,
                &[("shown", 1_usize.into()), ("n", 5000_usize.into())]
            ),
            "1 of 5,000 loaded configurations match."
        );
        assert_eq!(
            en.f(
                K::ListShowingRows,
                &[
                    ("start", 4751_usize.into()),
                    ("end", 4800_usize.into()),
                    ("total", 5000_usize.into())
                ]
            ),
            "Showing rows 4,751–4,800 of 5,000."
        );
        let it = tr("it");
        assert_eq!(
            it.f(K::ListSkipped, &[("n", 1_000_000_i64.into())]),
            " 1.000.000 di voci senza ID sono state saltate."
        );
    }
}
