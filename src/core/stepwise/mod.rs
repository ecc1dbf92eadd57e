//! Long work on large answers, cut into steps, so the page can give the browser a
//! turn between them (the caller decides when: `ui::insight` yields whenever a
//! slice of steps has taken a few tens of milliseconds).
//!
//! Owns [`DecodeSteps`] ([`decode_tools`](crate::core::tools::decode_tools) one tool
//! at a time: a 3 MB answer is too much JSON for one task), [`DiffSteps`] (re-exported from `schema_diff`, where
//! [`diff_catalogs`](super::schema_diff::diff_catalogs) runs it in one go: one tool
//! at a time, as 20,000 tools whose schemas all changed take far longer than one
//! task may),
//! [`HistoryFit`] (how many of a huge entry's changed tools fit the history's byte
//! cap, measured one tool at a time, so that saving the entry does not search for
//! the fitting prefix by serializing it whole again and again) and [`ExportSteps`]
//! (the Markdown and JSON exports, a slice of changed tools at a time). Each gives
//! the same result as its one-go counterpart; the tests below hold them to it.

mod decode;
mod export;
mod fit;

pub use crate::core::schema_diff::DiffSteps;
pub use decode::{DecodeSteps, Reading};
pub use export::{ExportFormat, ExportSteps};
pub use fit::HistoryFit;

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::core::export;
    use crate::core::history::History;
    use crate::core::history::{HistoryEntry, MAX_BYTES};
    use crate::core::http::HttpReply;
    use crate::core::schema_diff::diff_catalogs;
    use crate::core::schema_diff::{diff_tool, ToolChange, ToolDiff};
    use crate::core::time::Instant;
    use crate::core::tools::ToolDef;
    use crate::core::tools::{decode_tools, ToolCatalog};
    use serde_json::json;

    fn tool(name: &str, ty: &str, desc: &str) -> ToolDef {
        ToolDef {
            name: name.into(),
            description: Some(desc.into()),
            input_schema: Some(json!({"type":"object","properties":{"x":{"type": ty}}})),
            ..ToolDef::default()
        }
    }

    fn catalogs() -> (ToolCatalog, ToolCatalog) {
        let mut before = vec![
            tool("dup", "string", "first"),
            tool("dup", "integer", "second"),
        ];
        let mut after = vec![tool("dup", "string", "first")];
        for i in 0..300 {
            let n = format!("t{i:03}");
            match i % 5 {
                0 => before.push(tool(&n, "string", "d")), // removed
                1 => after.push(tool(&n, "string", "d")),  // added
                2 => {
                    before.push(tool(&n, "string", "d")); // retyped: breaking
                    after.push(tool(&n, "integer", "d"));
                }
                3 => {
                    before.push(tool(&n, "string", "d")); // reworded: compatible
                    after.push(tool(&n, "string", "e"));
                }
                _ => {
                    before.push(tool(&n, "string", "d"));
                    after.push(tool(&n, "string", "d"));
                }
            }
        }
        before.reverse(); // unsorted input
        (
            ToolCatalog {
                tools: before,
                ..ToolCatalog::default()
            },
            ToolCatalog {
                tools: after,
                ..ToolCatalog::default()
            },
        )
    }

    #[test]
    fn the_stepwise_diff_equals_the_whole_one() {
        let (b, a) = catalogs();
        let whole = diff_catalogs(&b, &a);
        for step in [1, 7, 1000] {
            let mut d = DiffSteps::new(Arc::new(b.clone()), Arc::new(a.clone()));
            let mut steps = 1;
            while !d.step(step) {
                steps += 1;
            }
            assert!(steps >= 241 / step, "{steps} steps of {step}");
            assert_eq!(d.finish(), whole, "steps of {step}");
        }
        let empty = DiffSteps::new(Arc::default(), Arc::default());
        assert!(empty.is_done());
        assert_eq!(empty.finish(), ToolDiff::default());
    }

    #[test]
    fn a_huge_entry_is_cut_to_fit_the_history() {
        let changed: Vec<ToolChange> = (0..20_000)
            .map(|i| {
                let b = tool(&format!("tool_{i:05}"), "string", "old words");
                let a = tool(&format!("tool_{i:05}"), "integer", "new words");
                ToolChange {
                    name: b.name.clone(),
                    changes: diff_tool(&b, &a),
                }
            })
            .collect();
        let entry = HistoryEntry {
            id: "c-1-0".into(),
            configuration_id: "c".into(),
            ok: true,
            changed,
            ..HistoryEntry::default()
        };
        let mut fit = HistoryFit::new(entry.clone());
        while !fit.step(1000) {}
        let keep = fit.fitting();
        assert!(keep > 100 && keep < 20_000, "{keep}");
        let (trimmed, whole) = fit.finish();
        assert_eq!(whole, entry);
        assert_eq!(trimmed.changed, entry.changed[..keep]);
        let mut h = History::default();
        h.push(trimmed.clone());
        // The history keeps it as it is: nothing left for its own cutting to do.
        assert_eq!(h.entries, vec![trimmed]);
        assert!(h.to_json().len() <= MAX_BYTES);

        let small = HistoryEntry {
            changed: entry.changed.get(..3).unwrap_or_default().to_vec(),
            ..entry
        };
        let mut fit = HistoryFit::new(small.clone());
        assert!(fit.step(10));
        assert_eq!(fit.finish(), (small.clone(), small));
    }

    fn decode_both(status: u16, body: &str, step: usize) -> (String, String) {
        let reply = HttpReply::new(status, body);
        let whole = decode_tools(&reply, Instant::default());
        let mut d = DecodeSteps::new(reply, Instant::default());
        while !d.step(step) {}
        let steps = d.finish(Instant::default());
        (format!("{whole:?}"), format!("{steps:?}"))
    }

    #[test]
    fn the_stepwise_decode_equals_the_whole_one() {
        let tools = r#"[{"name":"b","inputSchema":{"type":"object","properties":{"x":{"type":"string"}}}},
            {"name":"a","description":"d \" ] } [ {"},"bare",7,{"description":"no name"},{"name":"a","title":"dup"}]"#;
        let bodies = [
            tools.to_owned(),
            format!(r#"{{"object":"list","data":{tools},"hasMore":false}}"#),
            format!(r#"  {{"tools":{tools}}}  "#),
            format!(r#"{{"data":{{"tools":{tools}}}}}"#),
            format!(r#"{{"result":{{"data":{tools},"x":1}}}}"#),
            format!(r#"{{"result":3,"data":{tools}}}"#),
            format!(r#"{{"success":true,"tools":{tools}}}"#),
            format!(r#"{{"success":"false","tools":{tools}}}"#),
            format!(r#"{{"success":false,"message":"MCP down","tools":{tools}}}"#),
            format!("\u{feff}{{\"tools\":{tools}}}"),
            format!(r#"{{"tools":{tools},"tools":[]}}"#),
            format!(r#"{{"tools":{tools},"x":nope}}"#),
            format!(r#"{{"tools":{tools}"#),
            r#"{"tools":[{"name":"a"},{"name":}]}"#.to_owned(),
            r#"{"tools":[]}"#.to_owned(),
            r#"{"tools":3}"#.to_owned(),
            r#"[]"#.to_owned(),
            r#"{}"#.to_owned(),
            r#""tools""#.to_owned(),
            String::new(),
            "<html><title>Hi</title></html>".to_owned(),
        ];
        for body in &bodies {
            for step in [1, 2, 100] {
                let (whole, steps) = decode_both(200, body, step);
                assert_eq!(steps, whole, "{body}");
            }
        }
        let (whole, steps) = decode_both(404, "", 1);
        assert_eq!(steps, whole);
        let (whole, steps) = decode_both(500, &bodies[1], 1);
        assert_eq!(steps, whole);
    }

    #[test]
    fn a_list_is_read_in_as_many_steps_as_asked() {
        let body = format!(
            "[{}]",
            (0..1000)
                .map(|i| format!(r#"{{"name":"t{i:04}"}}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        let mut d = DecodeSteps::new(HttpReply::new(200, body.as_str()), Instant::default());
        let mut steps = 1;
        while !d.step(10) {
            steps += 1;
        }
        assert_eq!(steps, 100);
        let c = d.finish(Instant::default()).unwrap();
        assert_eq!(c.tools.len(), 1000);
        assert_eq!(c.bytes, body.len());
    }

    fn export_entry(changed: usize, removed: usize, new: usize) -> HistoryEntry {
        let changed = (0..changed)
            .map(|i| {
                let n = format!("tool_{i:03}");
                // every third compatible only, the rest breaking and compatible
                let b = tool(&n, "string", "old *words*");
                let a = tool(
                    &n,
                    if i % 3 == 0 { "string" } else { "integer" },
                    "new `words`",
                );
                ToolChange {
                    name: n,
                    changes: diff_tool(&b, &a),
                }
            })
            .collect::<Vec<_>>();
        HistoryEntry {
            id: "c-1-0".into(),
            configuration_id: "c".into(),
            configuration_name: Some("Team # [x]".into()),
            at: 1_700_000_000_000,
            duration_ms: 1500,
            ok: true,
            tools_discovered: Some(9),
            previous_tool_count: Some(7),
            new_tools: (0..new).map(|i| format!("new_{i}")).collect(),
            removed_tools: (0..removed).map(|i| format!("gone_{i}")).collect(),
            breaking: removed + changed.iter().filter(|c| c.is_breaking()).count(),
            changed,
            cached_at: Some("2026-01-01T00:00:00Z".into()),
            expires_at: None,
            ..HistoryEntry::default()
        }
    }

    #[test]
    fn the_stepwise_exports_equal_the_whole_ones() {
        let only_compatible = HistoryEntry {
            changed: export_entry(9, 0, 0)
                .changed
                .into_iter()
                .filter(|t| !t.is_breaking())
                .collect(),
            ..export_entry(0, 0, 0)
        };
        for entry in [
            export_entry(0, 0, 0),
            export_entry(0, 2, 3),
            export_entry(1, 0, 0),
            export_entry(25, 0, 0),
            export_entry(25, 4, 2),
            only_compatible,
        ] {
            let entry = Arc::new(entry);
            for step in [1, 4, 1000] {
                for format in [ExportFormat::Markdown, ExportFormat::Json] {
                    for lang in crate::core::i18n::Lang::all() {
                        let tr = crate::core::i18n::Tr::native(lang);
                        let mut x = ExportSteps::new(entry.clone(), format, tr.clone());
                        while !x.step(step) {}
                        let whole = match format {
                            ExportFormat::Markdown => export::markdown(&tr, &entry),
                            ExportFormat::Json => export::json(&entry),
                        };
                        assert_eq!(
                            x.finish(),
                            whole,
                            "{format:?}, {}, steps of {step}, {} changed",
                            lang.code(),
                            entry.changed.len()
                        );
                    }
                }
            }
        }
    }
}
