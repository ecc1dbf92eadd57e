//! The queue's rules with a fake clock: the cap, 429 pauses, the 409 retry, cancel,
//! sign-out, the gate, and the report's order, totals and exports.

use super::report::{self, Kind};
use super::*;
use crate::core::error::classify;
use crate::core::http::HttpReply;
use crate::core::i18n::Lang;
use crate::core::schema_diff::ToolChange;

fn en() -> Tr {
    Tr::native(Lang::EN)
}

/// The facts of a headline: `total` tools (was `previous`), `new` new, `removed` removed.
fn facts(total: i64, previous: i64, new: usize, removed: usize) -> Headline {
    Headline {
        reported: true,
        total: Some(total),
        previous: Some(previous),
        unchanged: Some(previous - removed as i64),
        implausible: false,
        new,
        removed,
    }
}

fn t0() -> Instant {
    Instant::from_millis(1_764_590_400_000)
}

fn at(s: f64) -> Instant {
    t0().plus_seconds(s)
}

fn ids(n: usize) -> Vec<(String, Option<String>)> {
    (1..=n)
        .map(|i| (format!("pconf_{i:02}"), Some(format!("Config {i}"))))
        .collect()
}

fn open(_: &str) -> Option<(TimeDelta, LockReason)> {
    None
}

fn entry(id: &str, new: usize, removed: usize, breaking: usize) -> HistoryEntry {
    HistoryEntry {
        id: format!("{id}-1"),
        configuration_id: id.to_owned(),
        ok: true,
        new_tools: (0..new).map(|i| format!("new_{i}")).collect(),
        removed_tools: (0..removed).map(|i| format!("gone_{i}")).collect(),
        breaking,
        cached_at: Some("2025-12-01T12:00:00.000Z".to_owned()),
        expires_at: Some("2025-12-01T13:00:00.000Z".to_owned()),
        // Reviewed (the definitions were compared); one flagged tool per breaking one.
        set_hash: Some("0".repeat(64)),
        needs_review: breaking.min(2),
        ..HistoryEntry::default()
    }
}

fn ok(b: &Batch, i: usize) -> Result<(HistoryEntry, Headline), ApiError> {
    let id = b.item(i).map(|x| x.id.clone()).unwrap_or_default();
    Ok((entry(&id, 0, 0, 0), facts(3, 3, 0, 0)))
}

fn status(code: u16) -> ApiError {
    classify(&HttpReply::new(code, ""), t0())
}

fn rate_limited(retry_after: &str, now: Instant) -> ApiError {
    classify(
        &HttpReply::new(429, "").with_header("Retry-After", retry_after),
        now,
    )
}

#[test]
fn the_setting_is_kept_within_one_to_four() {
    assert_eq!(clamp_concurrency(0), 1);
    assert_eq!(clamp_concurrency(3), 3);
    assert_eq!(clamp_concurrency(9), MAX_CONCURRENCY);
    assert_eq!(Batch::new(ids(3), 0, t0()).concurrency(), 1);
}

#[test]
fn never_more_in_flight_than_the_cap_and_every_one_gets_its_turn() {
    for cap in 1..=MAX_CONCURRENCY {
        let mut b = Batch::new(ids(11), cap, t0());
        let first = b.poll(t0(), open);
        assert_eq!(first.start, (0..cap).collect::<Vec<_>>(), "cap {cap}");
        assert!(
            b.poll(t0(), open).start.is_empty(),
            "nothing more while full"
        );
        let mut max = b.in_flight();
        let mut step = 0.0;
        // Finish the most recently started first, then the oldest: any order.
        while !b.is_finished() {
            let running = b.running();
            let pick = if running.len().is_multiple_of(2) {
                running.last()
            } else {
                running.first()
            };
            let Some(&i) = pick else { break };
            step += 1.0;
            assert_eq!(b.finish(i, ok(&b, i), at(step)), Verdict::Final);
            b.poll(at(step), open);
            max = max.max(b.in_flight());
            assert!(b.in_flight() <= cap);
        }
        assert_eq!(max, cap.min(11), "the cap is used, not only respected");
        assert_eq!(b.progress().done, 11);
        assert_eq!(b.finished_at(), Some(at(step)));
    }
}

#[test]
fn a_repeated_id_is_refreshed_once() {
    let mut chosen = ids(2);
    chosen.push(("pconf_01".into(), None));
    assert_eq!(Batch::new(chosen, 2, t0()).items().len(), 2);
}

#[test]
fn a_429_pauses_the_whole_queue_until_the_reset_and_its_configuration_goes_first() {
    let mut b = Batch::new(ids(5), 2, t0());
    assert_eq!(b.poll(t0(), open).start, vec![0, 1]);
    let verdict = b.finish(0, Err(rate_limited("30", at(1.0))), at(1.0));
    assert_eq!(verdict, Verdict::Paused(at(31.0)));
    assert_eq!(b.paused_until(at(1.0)), Some(at(31.0)));
    // The other one in flight finishes; nothing new starts during the pause.
    assert_eq!(b.finish(1, ok(&b, 1), at(2.0)), Verdict::Final);
    let p = b.poll(at(2.0), open);
    assert_eq!(
        p,
        Poll {
            start: vec![],
            wake_at: Some(at(31.0))
        }
    );
    assert!(b.poll(at(30.999), open).start.is_empty());
    assert_eq!(b.progress().done, 1, "the 429 is not an outcome");
    // At the reset, the configuration that got the 429 goes again, first.
    assert_eq!(b.poll(at(31.0), open).start, vec![0, 2]);
    assert_eq!(b.paused_until(at(31.0)), None);
    assert_eq!(b.finish(0, ok(&b, 0), at(32.0)), Verdict::Final);
    assert!(matches!(
        b.item(0).and_then(Item::outcome),
        Some(Outcome::Refreshed { .. })
    ));
}

#[test]
fn a_429_reads_the_reset_header_and_defaults_to_a_minute() {
    let mut b = Batch::new(ids(3), 2, t0());
    b.poll(t0(), open);
    let reset = (t0().millis() / 1000 + 45).to_string();
    let e = classify(
        &HttpReply::new(429, "{}").with_header("X-RateLimit-Reset", &reset),
        t0(),
    );
    assert_eq!(b.finish(0, Err(e), t0()), Verdict::Paused(at(45.0)));
    // A shorter pause asked for later does not shorten it.
    assert_eq!(
        b.finish(1, Err(status(429)), at(1.0)),
        Verdict::Paused(at(61.0))
    );
    assert_eq!(b.paused_until(at(50.0)), Some(at(61.0)));
    let mut b = Batch::new(ids(2), 2, t0());
    b.poll(t0(), open);
    b.finish(0, Err(rate_limited("90", t0())), t0());
    assert_eq!(
        b.finish(1, Err(rate_limited("5", t0())), t0()),
        Verdict::Paused(at(90.0)),
        "never shortened"
    );
}

#[test]
fn a_configuration_rate_limited_again_and_again_fails_instead_of_pausing_forever() {
    let mut b = Batch::new(ids(1), 1, t0());
    let mut now = t0();
    for _ in 1..MAX_RATE_LIMITED {
        assert_eq!(b.poll(now, open).start, vec![0]);
        assert!(matches!(
            b.finish(0, Err(rate_limited("10", now)), now),
            Verdict::Paused(_)
        ));
        now = now.plus_seconds(10.0);
    }
    assert_eq!(b.poll(now, open).start, vec![0]);
    assert_eq!(
        b.finish(0, Err(rate_limited("10", now)), now),
        Verdict::Final
    );
    assert!(b.is_finished());
    assert_eq!(report::totals(&b).failed, 1);
}

#[test]
fn a_409_is_retried_once_after_a_short_wait_then_fails() {
    let mut b = Batch::new(ids(2), 1, t0());
    assert_eq!(b.poll(t0(), open).start, vec![0]);
    assert_eq!(b.finish(0, Err(status(409)), at(1.0)), Verdict::Retry);
    // The wait does not hold the others up.
    let p = b.poll(at(1.0), open);
    assert_eq!(p.start, vec![1]);
    assert_eq!(p.wake_at, Some(at(1.0 + CONFLICT_RETRY_SECS)));
    b.finish(1, ok(&b, 1), at(1.5));
    let p = b.poll(at(1.5), open);
    assert!(p.start.is_empty(), "not before the wait");
    assert_eq!(p.wake_at, Some(at(3.0)));
    assert_eq!(b.poll(at(3.0), open).start, vec![0]);
    assert_eq!(b.finish(0, Err(status(409)), at(3.5)), Verdict::Final);
    assert!(matches!(
        b.item(0).and_then(Item::outcome),
        Some(Outcome::Failed(e)) if e.kind == ErrorKind::Conflict
    ));
    assert!(b.is_finished());
}

#[test]
fn a_409_then_success_is_refreshed() {
    let mut b = Batch::new(ids(1), 2, t0());
    b.poll(t0(), open);
    assert_eq!(b.finish(0, Err(status(409)), t0()), Verdict::Retry);
    assert_eq!(b.poll(at(2.0), open).start, vec![0]);
    assert_eq!(b.finish(0, ok(&b, 0), at(3.0)), Verdict::Final);
    assert_eq!(report::totals(&b).refreshed, 1);
    assert_eq!(report::totals(&b).failed, 0);
}

#[test]
fn cancel_stops_new_starts_keeps_what_finished_and_the_aborted_are_cancelled() {
    let mut b = Batch::new(ids(6), 2, t0());
    b.poll(t0(), open);
    b.finish(0, ok(&b, 0), at(1.0));
    assert_eq!(b.poll(at(1.0), open).start, vec![2]);
    b.cancel(at(2.0));
    assert_eq!(b.stopped(), Some(Stop::Cancelled));
    assert_eq!(b.running(), vec![1, 2], "the page aborts these");
    assert!(b.poll(at(2.0), open).start.is_empty());
    assert!(!b.is_finished(), "two still in flight");
    // One finished just before the abort reached it: kept. The other was aborted.
    b.finish(1, ok(&b, 1), at(2.1));
    b.finish(2, Err(ApiError::new(ErrorKind::Cancelled)), at(2.2));
    assert!(b.is_finished());
    assert_eq!(b.finished_at(), Some(at(2.2)));
    let kinds: Vec<Kind> = b.items().iter().map(Kind::of).collect();
    assert_eq!(
        kinds,
        vec![
            Kind::Unchanged,
            Kind::Unchanged,
            Kind::Cancelled,
            Kind::NotStarted,
            Kind::NotStarted,
            Kind::NotStarted
        ]
    );
    let t = report::totals(&b);
    assert_eq!((t.refreshed, t.cancelled, t.not_started), (2, 1, 3));
    assert_eq!(
        t.sentence(&en()),
        "2 refreshed: 0 with new tools, 0 with breaking changes, 0 failed; 1 cancelled while refreshing, 3 not started"
    );
}

#[test]
fn cancel_during_a_pause_or_a_409_wait_ends_the_batch() {
    let mut b = Batch::new(ids(3), 2, t0());
    b.poll(t0(), open);
    b.finish(0, Err(rate_limited("30", t0())), t0());
    b.finish(1, Err(status(409)), t0());
    b.cancel(at(1.0));
    assert!(b.is_finished());
    assert_eq!(b.paused_until(at(1.0)), None);
    assert_eq!(report::totals(&b).not_started, 3);
}

#[test]
fn a_401_stops_the_queue_for_sign_out() {
    let mut b = Batch::new(ids(5), 2, t0());
    b.poll(t0(), open);
    assert_eq!(b.finish(0, Err(status(401)), at(1.0)), Verdict::SignOut);
    assert_eq!(b.stopped(), Some(Stop::SignedOut));
    assert!(b.poll(at(1.0), open).start.is_empty());
    // The other one in flight is aborted by the page; a late 429 cannot restart it.
    assert_eq!(b.finish(1, Err(status(429)), at(1.1)), Verdict::Final);
    assert!(b.is_finished());
    assert_eq!(
        report::outcome_text(&en(), b.item(4).unwrap_or_else(|| unreachable!())),
        "Not started (the session ended)"
    );
}

#[test]
fn a_configuration_still_cooling_down_is_skipped_with_the_gate_note() {
    let mut b = Batch::new(ids(3), 2, t0());
    let locked = |id: &str| {
        (id == "pconf_02").then(|| (TimeDelta::milliseconds(24_200), LockReason::Cooldown))
    };
    assert_eq!(b.poll(t0(), locked).start, vec![0, 2]);
    assert_eq!(
        b.item(1).and_then(Item::outcome),
        Some(&Outcome::Skipped(
            TimeDelta::milliseconds(24_200),
            LockReason::Cooldown
        ))
    );
    assert_eq!(report::totals(&b).skipped, 1);
    assert_eq!(
        report::outcome_text(&en(), b.item(1).unwrap_or_else(|| unreachable!())),
        "Skipped: Available again in 25 s (the API asks to refresh sparingly)."
    );
}

#[test]
fn answers_for_items_not_in_flight_are_ignored() {
    let mut b = Batch::new(ids(2), 1, t0());
    assert_eq!(b.finish(1, ok(&b, 1), t0()), Verdict::Ignored);
    assert_eq!(b.finish(7, ok(&b, 0), t0()), Verdict::Ignored);
    b.poll(t0(), open);
    b.finish(0, ok(&b, 0), t0());
    assert_eq!(b.finish(0, Err(status(500)), t0()), Verdict::Ignored);
}

/// A batch with one of each outcome, finished in an order unlike the report's.
fn mixed() -> Batch {
    let mut b = Batch::new(
        [
            ("pconf_same", "Same"),
            ("pconf_fail", "Failing"),
            ("pconf_new", "New tools"),
            ("pconf_break1", "One breaking"),
            ("pconf_unrep", "Unreported"),
            ("pconf_break3", "Three | breaking"),
            ("pconf_cool", "Cooling"),
            ("pconf_late", "Late"),
        ]
        .map(|(i, n)| (i.to_owned(), Some(n.to_owned()))),
        MAX_CONCURRENCY,
        t0(),
    );
    let locked =
        |id: &str| (id == "pconf_cool").then(|| (TimeDelta::seconds(9), LockReason::RateLimited));
    assert_eq!(b.poll(t0(), locked).start, vec![0, 1, 2, 3]);
    b.finish(
        0,
        Ok((entry("pconf_same", 0, 0, 0), facts(3, 3, 0, 0))),
        at(1.0),
    );
    b.finish(1, Err(status(500)), at(1.0));
    b.finish(
        2,
        Ok((entry("pconf_new", 2, 0, 0), facts(5, 3, 2, 0))),
        at(1.0),
    );
    b.finish(
        3,
        Ok((entry("pconf_break1", 0, 1, 1), facts(2, 3, 0, 1))),
        at(1.0),
    );
    assert_eq!(b.poll(at(1.0), locked).start, vec![4, 5, 7]);
    let mut unreported = entry("pconf_unrep", 0, 0, 0);
    unreported.unreported = true;
    let nothing = Headline {
        reported: false,
        total: None,
        previous: None,
        unchanged: None,
        implausible: false,
        new: 0,
        removed: 0,
    };
    b.finish(4, Ok((unreported, nothing)), at(2.0));
    let mut three = entry("pconf_break3", 1, 2, 3);
    three.changed = vec![ToolChange {
        name: "t".into(),
        changes: vec![],
    }];
    b.finish(5, Ok((three, facts(3, 4, 1, 2))), at(2.0));
    b.cancel(at(2.0));
    b.finish(7, Err(ApiError::new(ErrorKind::Cancelled)), at(3.0));
    b
}

#[test]
fn the_report_puts_breaking_first_then_failures_then_the_rest() {
    let b = mixed();
    let order: Vec<&str> = report::rows(&b)
        .into_iter()
        .map(|(_, i)| i.id.as_str())
        .collect();
    assert_eq!(
        order,
        vec![
            "pconf_break3",
            "pconf_break1",
            "pconf_fail",
            "pconf_new",
            "pconf_unrep",
            "pconf_same",
            "pconf_late",
            "pconf_cool"
        ]
    );
    let t = report::totals(&b);
    assert_eq!(
        t.sentence(&en()),
        "6 refreshed: 2 with new tools, 2 with breaking changes, 1 failed; 1 did not report what changed, 1 cancelled while refreshing, 1 skipped (cooling down)"
    );
    assert_eq!(b.progress().sentence(&en()), "8 of 8 done, 1 failed");
    assert_eq!(
        report::counts(b.item(5).unwrap_or_else(|| unreachable!())),
        Some([1, 2, 1, 3])
    );
    assert_eq!(
        report::counts(b.item(4).unwrap_or_else(|| unreachable!())),
        None
    );
}

#[test]
fn progress_says_failures_only_when_there_are_some() {
    let mut b = Batch::new(ids(23), 2, t0());
    b.poll(t0(), open);
    b.finish(0, ok(&b, 0), t0());
    assert_eq!(b.progress().sentence(&en()), "1 of 23 done");
    b.finish(1, Err(status(500)), t0());
    assert_eq!(b.progress().sentence(&en()), "2 of 23 done, 1 failed");
}

#[test]
fn the_markdown_is_one_table_in_report_order_with_names_escaped() {
    let md = report::markdown(&en(), &mixed());
    assert!(
        md.starts_with("# Bulk tool refresh: 8 configurations\n\n"),
        "{md}"
    );
    assert!(
        md.contains("- **Started:** 2025-12-01T12:00:00.000Z (took 3 s)\n"),
        "{md}"
    );
    assert!(md.contains("- **Stopped:** cancelled\n"));
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| ")).collect();
    assert_eq!(rows.len(), 9, "header + 8 rows:\n{md}");
    assert_eq!(
        rows.get(1).copied(),
        Some("| Three \\| breaking (`pconf_break3`) | 3 tools (was 4): 1 new, 2 removed, 2 unchanged | 1 | 2 | 1 | 3 | 2 | 2025-12-01T12:00:00.000Z | 2025-12-01T13:00:00.000Z |")
    );
    assert!(rows
        .get(3)
        .is_some_and(|r| r.contains("Failed: ") && r.contains("| — | — |")));
    // Every row has the same number of cells: no name or message broke the table.
    assert!(rows.iter().all(|r| r.matches(" | ").count() == 8), "{md}");
}

#[test]
fn the_json_has_every_configuration_in_report_order_with_totals() {
    let v: serde_json::Value = serde_json::from_str(&report::json(&mixed())).unwrap_or_default();
    assert_eq!(v["format"], "connector-refresh.batch");
    assert_eq!(v["version"], 1);
    assert_eq!(v["stopped"], "cancelled");
    assert_eq!(v["concurrency"], 4);
    assert_eq!(v["totals"]["withBreakingChanges"], 2);
    assert_eq!(v["totals"]["attempted"], 6);
    let rows = v["configurations"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 8);
    assert_eq!(rows[0]["id"], "pconf_break3");
    assert_eq!(rows[0]["outcome"], "breaking");
    assert_eq!(rows[0]["entry"]["removedTools"][1], "gone_1");
    assert_eq!(rows[2]["outcome"], "failed");
    assert_eq!(rows[2]["error"]["status"], 500);
    assert_eq!(rows[7]["outcome"], "skipped");
    assert_eq!(
        rows[7]["skipped"],
        "Rate limited by the server: try again in 9 s."
    );
    assert_eq!(
        rows[0]["headline"],
        "3 tools (was 4): 1 new, 2 removed, 2 unchanged"
    );
    assert_eq!(rows[6]["outcome"], "cancelled");
    assert!(rows[6]["entry"].is_null());
}

#[test]
fn the_report_speaks_the_languages_with_their_plurals() {
    let b = mixed();
    let t = report::totals(&b);
    let tr = |tag: &str| Tr::native(Lang::from_tag(tag).unwrap_or(Lang::EN));
    assert_eq!(
        t.sentence(&tr("de")),
        "6 aktualisiert: 2 mit neuen Tools, 2 mit inkompatiblen Änderungen, 1 fehlgeschlagen; 1 ohne Angabe, was sich geändert hat, 1 während der Aktualisierung abgebrochen, 1 übersprungen (Wartezeit)"
    );
    assert_eq!(
        t.sentence(&tr("fr")),
        "6 actualisées : 2 avec de nouveaux outils, 2 avec des modifications incompatibles, 1 en échec ; 1 n’a pas indiqué ce qui a changé, 1 annulée pendant l’actualisation, 1 ignorée (délai d’attente)"
    );
    assert_eq!(
        b.progress().sentence(&tr("it")),
        "Avanzamento: 8 su 8, 1 non riuscita"
    );
    assert_eq!(
        b.progress().sentence(&tr("fr")),
        "Avancement : 8 sur 8, 1 en échec"
    );
    let md = report::markdown(&tr("fr"), &b);
    assert!(
        md.starts_with("# Actualisation groupée des outils : 8 configurations\n"),
        "{md}"
    );
    assert!(
        md.contains("| Configuration | Résultat | Nouveaux | Supprimés |"),
        "{md}"
    );
}
