//! Exports of one remembered refresh: Markdown to paste into a change ticket, and a
//! documented JSON shape for tools.
//!
//! Owns the wording and layout of both. Everything that came from the server (tool
//! names, configuration names, reasons quoting input names) is escaped, so a name
//! with backticks or Markdown syntax cannot break the document.

use serde::Serialize;

use super::history::{counts, HistoryEntry};
use super::i18n::{Tr, K};
use super::review::Flag;
use super::schema_diff::{TextChange, ToolChange, MAX_TEXT};
use super::time::Instant;
use super::word_diff::{changed_parts, word_diff};

/// The `format` value of [`json`] exports.
pub const JSON_FORMAT: &str = "connector-refresh.diff";
/// The `version` value of [`json`] exports.
pub const JSON_VERSION: u64 = 1;

/// A change-ticket-ready Markdown report of one refresh, in `tr`'s language.
///
/// Layout: a title with the configuration's name and id; the time (ISO 8601, UTC)
/// and duration; the outcome; a counts line; then **Breaking changes first**
/// (removed tools and every breaking field change with its reason), then New tools,
/// Removed tools, Changed tools (compatible changes only), and Cache times. Empty
/// sections say "None.". What the server wrote (names, a saved error) is quoted as
/// it is.
pub fn markdown(tr: &Tr, entry: &HistoryEntry) -> String {
    let mut md = String::new();
    let id = code(&entry.configuration_id);
    let title = match entry
        .configuration_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
    {
        Some(name) => tr.f(
            K::ExportTitleNamed,
            &[("name", escape_text(name).into()), ("id", id.into())],
        ),
        None => tr.f(K::ExportTitle, &[("id", id.into())]),
    };
    md.push_str(&format!("# {title}\n\n"));
    let field = |label: K, value: String| {
        tr.f(
            K::ExportField,
            &[("label", tr.t(label).into()), ("value", value.into())],
        ) + "\n"
    };
    let when = tr.f(
        K::ExportTook,
        &[
            ("time", Instant::from_millis(entry.at).to_iso().into()),
            ("duration", duration(entry.duration_ms).into()),
        ],
    );
    md.push_str(&field(K::ExportWhen, when));
    md.push_str(&field(K::ExportResult, outcome(tr, entry)));
    md.push_str(&field(K::ExportTools, counts_line(tr, entry)));

    if !entry.review.is_empty() {
        md.push_str(&format!("\n{}", heading(tr, K::ReviewHeading)));
        let flags: Vec<String> = entry
            .review
            .iter()
            .map(|f| format!("- {}: {}", code(&f.tool), escape_text(&f.message(tr))))
            .collect();
        section(tr, &mut md, &flags);
    }

    md.push_str(&format!("\n{}", heading(tr, K::ExportBreakingHeading)));
    let mut breaking: Vec<String> = entry
        .removed_tools
        .iter()
        .map(|n| {
            format!(
                "- {}",
                tr.f(K::ExportToolRemoved, &[("name", code(n).into())])
            )
        })
        .collect();
    for tool in &entry.changed {
        for c in tool.changes.iter().filter(|c| c.breaking) {
            breaking.push(format!(
                "- {} {}: {}",
                code(&tool.name),
                code(&c.path),
                escape_text(&c.reason_in(tr))
            ));
        }
    }
    section(tr, &mut md, &breaking);

    md.push_str(&format!("\n{}", heading(tr, K::ExportNewHeading)));
    section(
        tr,
        &mut md,
        &entry
            .new_tools
            .iter()
            .map(|n| format!("- {}", code(n)))
            .collect::<Vec<_>>(),
    );

    md.push_str(&format!("\n{}", heading(tr, K::ExportRemovedHeading)));
    section(
        tr,
        &mut md,
        &entry
            .removed_tools
            .iter()
            .map(|n| format!("- {}", code(n)))
            .collect::<Vec<_>>(),
    );

    md.push_str(&format!("\n{}", heading(tr, K::ExportCompatibleHeading)));
    let compatible: Vec<String> = entry
        .changed
        .iter()
        .filter_map(|t| compatible_lines(tr, t))
        .collect();
    section(tr, &mut md, &compatible);

    md.push_str(&format!("\n{}", heading(tr, K::ExportCacheHeading)));
    for (key, t) in [
        (K::ExportCachedAt, entry.cached_at.as_deref()),
        (K::ExportExpiresAt, entry.expires_at.as_deref()),
    ] {
        md.push_str(&format!(
            "- {}\n",
            tr.f(key, &[("time", time_text(tr, t).into())])
        ));
    }
    md
}

/// A section's heading line, `## …` and a blank line (also how [`ExportSteps`]
/// finds the sections).
///
/// [`ExportSteps`]: super::stepwise::ExportSteps
pub fn heading(tr: &Tr, k: K) -> String {
    format!("## {}\n\n", tr.t(k))
}

/// What an empty section says, with its line break.
pub fn none(tr: &Tr) -> String {
    format!("{}\n", tr.t(K::ExportNone))
}

fn section(tr: &Tr, md: &mut String, lines: &[String]) {
    if lines.is_empty() {
        md.push_str(&none(tr));
    } else {
        for l in lines {
            md.push_str(l);
            md.push('\n');
        }
    }
}

/// "- `tool`" followed by its compatible changes as nested items; `None` when it has none.
fn compatible_lines(tr: &Tr, tool: &ToolChange) -> Option<String> {
    let items: Vec<String> = tool
        .changes
        .iter()
        .filter(|c| !c.breaking)
        .map(|c| {
            let mut line = format!("  - {}: {}", code(&c.path), escape_text(&c.reason_in(tr)));
            if let Some(t) = &c.text {
                line.push_str(&text_lines(tr, t));
            }
            line
        })
        .collect();
    (!items.is_empty()).then(|| format!("- {}\n{}", code(&tool.name), items.join("\n")))
}

/// The words a text change removed and added, one indented line each.
fn text_lines(tr: &Tr, t: &TextChange) -> String {
    let segments = word_diff(
        t.before.as_deref().unwrap_or_default(),
        t.after.as_deref().unwrap_or_default(),
    );
    let (added, removed) = changed_parts(&segments);
    let mut out = String::new();
    for (key, parts) in [
        (K::ReviewRemovedWords, removed),
        (K::ReviewAddedWords, added),
    ] {
        for p in parts {
            out.push_str(&format!(
                "\n    - {}",
                escape_text(&tr.f(key, &[("text", p.into())]))
            ));
        }
    }
    if t.cut {
        let n = tr.f(K::ReviewTextCut, &[("n", MAX_TEXT.into())]);
        out.push_str(&format!("\n    - {}", escape_text(&n)));
    }
    out
}

fn outcome(tr: &Tr, e: &HistoryEntry) -> String {
    if e.ok && e.unreported {
        return tr.t(K::ExportUnreported);
    }
    if e.ok {
        return tr.t(K::ExportSucceeded);
    }
    let mut details = Vec::new();
    if let Some(s) = e.status {
        details.push(tr.f(K::ExportHttp, &[("status", s.to_string().into())]));
    }
    if let Some(r) = e.request_id.as_deref().filter(|r| !r.is_empty()) {
        details.push(tr.f(K::ExportRequestId, &[("id", code(r).into())]));
    }
    let details = details.join(", ");
    let error = e.error.as_deref().map(escape_text);
    match (details.is_empty(), error) {
        (true, None) => tr.t(K::ExportFailed),
        (true, Some(error)) => tr.f(K::ExportFailedBecause, &[("error", error.into())]),
        (false, None) => tr.f(K::ExportFailedDetails, &[("details", details.into())]),
        (false, Some(error)) => tr.f(
            K::ExportFailedDetailsBecause,
            &[("details", details.into()), ("error", error.into())],
        ),
    }
}

/// The counts line of the Markdown report, e.g.
/// `8 (was 6): 2 new, 0 removed, 1 changed, 0 breaking`.
pub fn counts_line(tr: &Tr, e: &HistoryEntry) -> String {
    if e.unreported {
        return tr.t(K::ExportNotReported);
    }
    // An implausible count is said to be one, never shown as a number (nor as "?").
    let number = |n: Option<i64>, implausible: bool| match n {
        Some(n) => tr.number(n),
        None if implausible => tr.t(K::ExportImplausible),
        None => "?".to_owned(),
    };
    let total = number(e.tools_discovered, e.tools_discovered_implausible);
    let tools = match (e.previous_tool_count, e.previous_tool_count_implausible) {
        (None, false) => total,
        (p, implausible) => tr.f(
            K::ExportToolsWas,
            &[
                ("tools", total.into()),
                ("previous", number(p, implausible).into()),
            ],
        ),
    };
    let [new, removed, changed, breaking] = counts(tr, e);
    tr.f(
        K::ExportCounts,
        &[
            ("tools", tools.into()),
            ("new", new.into()),
            ("removed", removed.into()),
            ("changed", changed.into()),
            ("breaking", breaking.into()),
        ],
    )
}

fn duration(ms: i64) -> String {
    let ms = ms.max(0);
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        // Tenths by integer division (the Markdown is the same in every locale);
        // a float format here would link the float formatter (bench/README.md).
        format!("{}.{} s", ms / 1000, ms % 1000 / 100)
    }
}

fn time_text(tr: &Tr, t: Option<&str>) -> String {
    t.filter(|t| !t.trim().is_empty())
        .map_or_else(|| tr.t(K::ExportUnknown), escape_text)
}

/// `s` as an inline code span that survives any content: the fence is one backtick
/// longer than the longest run inside, padded when `s` starts or ends with a
/// backtick or space; line breaks become spaces.
pub fn code(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = s.is_empty() || s.starts_with(['`', ' ']) || s.ends_with(['`', ' ']);
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{s}{space}{fence}")
}

/// Plain text with Markdown syntax characters backslash-escaped and line breaks
/// turned into spaces.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The refresh as pretty-printed JSON, for tools and tickets that want data (the
/// same in every language: `reason` is the saved English sentence).
///
/// Shape (format `"connector-refresh.diff"`, version 1):
///
/// ```text
/// {
///   "format": "connector-refresh.diff",
///   "version": 1,
///   "configuration": { "id": string, "name": string | null },
///   "refreshedAt": string,            // ISO 8601 UTC, e.g. "2025-10-07T12:45:00.000Z"
///   "durationMs": number,
///   "ok": boolean,                    // whether the refresh succeeded
///   "detailsReported": boolean,       // false when the server accepted it but said
///                                     // nothing of what changed (counts, lists empty)
///   "error": string | null,           // the user-facing message when it failed
///   "httpStatus": number | null,
///   "requestId": string | null,
///   "counts": {
///     "toolsDiscovered": number | null, // as the server reported
///     "previousToolCount": number | null,
///     "toolsDiscoveredImplausible": boolean, // the server sent a count that cannot
///     "previousToolCountImplausible": boolean, // be true (the count above is null)
///     "new": number, "removed": number, "changed": number,
///     "breaking": number,              // removed tools + changed tools with a breaking change
///     "needsReview": number            // tools the safety review flagged
///   },
///   "review": [ { "tool": string, "path": string,
///                 "reason": { "type": string, … } } ],  // core::review::Flag
///   "newTools": [string],             // sorted
///   "removedTools": [string],         // sorted
///   "changedTools": [
///     { "name": string, "breaking": boolean,
///       "changes": [ { "path": string,      // e.g. "inputSchema.properties.priority"
///                      "kind": string,      // ChangeKind::name(), e.g. "inputAdded"
///                      "breaking": boolean,
///                      "reason": string,
///                      "text"?: { "before": string | null, "after": string | null,
///                                 "cut"?: true } } ] }   // changed titles and descriptions
///   ],                                // breaking tools first, then by name
///   "cache": { "cachedAt": string | null, "expiresAt": string | null }
/// }
/// ```
pub fn json(entry: &HistoryEntry) -> String {
    let export = Export {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        configuration: ExportConfiguration {
            id: &entry.configuration_id,
            name: entry.configuration_name.as_deref(),
        },
        refreshed_at: Instant::from_millis(entry.at).to_iso(),
        duration_ms: entry.duration_ms,
        ok: entry.ok,
        details_reported: entry.ok && !entry.unreported,
        error: entry.error.as_deref(),
        http_status: entry.status,
        request_id: entry.request_id.as_deref(),
        counts: ExportCounts {
            tools_discovered: entry.tools_discovered,
            previous_tool_count: entry.previous_tool_count,
            tools_discovered_implausible: entry.tools_discovered_implausible,
            previous_tool_count_implausible: entry.previous_tool_count_implausible,
            new: entry.new_tools.len(),
            removed: entry.removed_tools.len(),
            changed: entry.changed.len(),
            breaking: entry.breaking,
            needs_review: entry.needs_review,
        },
        review: &entry.review,
        new_tools: &entry.new_tools,
        removed_tools: &entry.removed_tools,
        changed_tools: entry
            .changed
            .iter()
            .map(|t| ExportTool {
                name: &t.name,
                breaking: t.is_breaking(),
                changes: t
                    .changes
                    .iter()
                    .map(|c| ExportChange {
                        path: &c.path,
                        kind: c.kind.name(),
                        breaking: c.breaking,
                        reason: &c.reason,
                        text: c.text.as_ref(),
                    })
                    .collect(),
            })
            .collect(),
        cache: ExportCache {
            cached_at: entry.cached_at.as_deref(),
            expires_at: entry.expires_at.as_deref(),
        },
    };
    serde_json::to_string_pretty(&export).unwrap_or_else(|_| "{}".to_owned())
}

/// The [`json`] export's shape (see there).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Export<'a> {
    format: &'static str,
    version: u64,
    configuration: ExportConfiguration<'a>,
    refreshed_at: String,
    duration_ms: i64,
    ok: bool,
    details_reported: bool,
    error: Option<&'a str>,
    http_status: Option<u16>,
    request_id: Option<&'a str>,
    counts: ExportCounts,
    /// What the safety review flagged (`core::review::Flag`, as history keeps it).
    review: &'a [Flag],
    new_tools: &'a [String],
    removed_tools: &'a [String],
    changed_tools: Vec<ExportTool<'a>>,
    cache: ExportCache<'a>,
}

#[derive(Serialize)]
struct ExportConfiguration<'a> {
    id: &'a str,
    name: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportCounts {
    tools_discovered: Option<i64>,
    previous_tool_count: Option<i64>,
    tools_discovered_implausible: bool,
    previous_tool_count_implausible: bool,
    new: usize,
    removed: usize,
    changed: usize,
    breaking: usize,
    needs_review: usize,
}

#[derive(Serialize)]
struct ExportTool<'a> {
    name: &'a str,
    breaking: bool,
    changes: Vec<ExportChange<'a>>,
}

#[derive(Serialize)]
struct ExportChange<'a> {
    path: &'a str,
    kind: &'static str,
    breaking: bool,
    reason: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a TextChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExportCache<'a> {
    cached_at: Option<&'a str>,
    expires_at: Option<&'a str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("plain"), "`plain`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x``"), "``` `x`` ```");
        assert_eq!(code("two\nlines"), "`two lines`");
        assert_eq!(code(""), "`  `");
    }

    #[test]
    fn text_escaping() {
        assert_eq!(escape_text("a*b_[c]\n#"), "a\\*b\\_\\[c\\] \\#");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(950), "950 ms");
        assert_eq!(duration(1234), "1.2 s");
        assert_eq!(duration(1999), "1.9 s");
        assert_eq!(duration(61_050), "61.0 s");
        assert_eq!(duration(-5), "0 ms");
    }

    #[test]
    fn markdown_is_written_in_the_language_and_json_stays_data() {
        use crate::core::i18n::Lang;
        use crate::core::schema_diff::{Change, ChangeKind};
        let e = HistoryEntry {
            id: "x".into(),
            configuration_id: "c".into(),
            ok: true,
            tools_discovered: Some(1234),
            previous_tool_count: Some(1),
            new_tools: vec!["n".into()],
            changed: vec![ToolChange {
                name: "t".into(),
                changes: vec![Change {
                    path: "inputSchema.properties.priority".into(),
                    kind: ChangeKind::InputAdded { required: true },
                    breaking: true,
                    reason: "new required input “priority”: existing calls without it will fail"
                        .into(),
                    text: None,
                }],
            }],
            breaking: 1,
            ..HistoryEntry::default()
        };
        let de = Tr::native(Lang::from_tag("de-CH").unwrap());
        let md = markdown(&de, &e);
        assert!(md.starts_with("# Tool-Aktualisierung: `c`\n"), "{md}");
        assert!(md.contains("## Inkompatible Änderungen\n\n- `t` `inputSchema.properties.priority`: neue erforderliche Eingabe «priority»"), "{md}");
        assert!(
            md.contains(
                "- **Tools:** 1.234 (vorher 1): 1 neu, 0 entfernt, 1 geändert, 1 inkompatibel\n"
            ),
            "{md}"
        );
        assert!(md.contains("## Entfernte Tools\n\nKeine.\n"), "{md}");
        let en = markdown(&Tr::english(), &e);
        assert!(
            en.contains("- **Tools:** 1,234 (was 1): 1 new, 0 removed, 1 changed, 1 breaking\n"),
            "{en}"
        );
        let fr = markdown(&Tr::native(Lang::from_tag("fr").unwrap()), &e);
        assert!(fr.contains("- **Résultat :** Réussie\n"), "{fr}");
        assert!(json(&e).contains("existing calls without it will fail"));
    }

    #[test]
    fn an_implausible_count_is_said_in_history_and_exports_never_shown() {
        use crate::core::diff::Summary;
        use crate::core::history::Attempt;
        use crate::core::http::HttpReply;
        use crate::core::i18n::Lang;
        use crate::core::model::decode_refresh;
        let body = r#"{"details": {"toolsDiscovered": 1e12, "previousToolCount": 12.5, "newTools": ["a"]}}"#;
        let r = decode_refresh(&HttpReply::new(200, body), Instant::default()).unwrap_or_default();
        let s = Summary::of(&r, "c", Instant::default());
        let e = HistoryEntry::record(
            "c-1-0".into(),
            "c",
            None,
            Instant::default(),
            10,
            Attempt::Reported(&s, None),
        );
        let en = Tr::english();
        assert_eq!(
            e.summary_line(&en),
            "The server reported an implausible tool count: 1 new, 0 removed, 0 changed"
        );
        let md = markdown(&en, &e);
        assert!(md.contains("- **Tools:** an implausible count from the server (was an implausible count from the server): 1 new,"), "{md}");
        assert!(
            !md.contains("1000000000000") && !md.contains("12.5") && !md.contains('?'),
            "{md}"
        );
        let de = markdown(&Tr::native(Lang::from_tag("de").unwrap()), &e);
        assert!(de.contains("- **Tools:** eine unplausible Anzahl vom Server (vorher eine unplausible Anzahl vom Server): 1 neu,"), "{de}");
        let v: serde_json::Value = serde_json::from_str(&json(&e)).unwrap_or_default();
        let counts = &v["counts"];
        assert_eq!(counts["toolsDiscovered"], serde_json::Value::Null);
        assert_eq!(counts["toolsDiscoveredImplausible"], true);
        assert_eq!(counts["previousToolCountImplausible"], true);
    }

    #[test]
    fn failure_is_described() {
        let e = HistoryEntry {
            id: "x".into(),
            configuration_id: "c".into(),
            ok: false,
            error: Some("Boom".into()),
            status: Some(502),
            request_id: Some("req_1".into()),
            ..HistoryEntry::default()
        };
        let md = markdown(&Tr::english(), &e);
        assert!(
            md.contains("Failed (HTTP 502, request id `req_1`): Boom"),
            "{md}"
        );
        assert!(md.starts_with("# Tool refresh: `c`\n"));
    }
}
