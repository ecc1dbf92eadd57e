//! A configuration's timeline as a picture: where each refresh goes on a small
//! chart of its tool count over time, how it is marked, and where the reviewed
//! baseline is. DOM-free; `ui::history_view` draws it as SVG.

use super::HistoryEntry;

/// The chart's drawing area, in SVG user units.
pub const WIDTH: f64 = 600.0;
/// Height of the drawing area.
pub const HEIGHT: f64 = 140.0;
/// Margin kept around the marks.
pub const PAD: f64 = 14.0;

/// How one refresh is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Succeeded without breaking or needs-review changes.
    Plain,
    /// Brought breaking changes.
    Breaking,
    /// Brought changes that need review (drawn over breaking: the stronger signal).
    NeedsReview,
    /// Failed.
    Failed,
    /// Succeeded but did not say what changed (no count).
    Unreported,
}

/// One refresh on the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The history entry it opens.
    pub entry_id: String,
    /// When, unix milliseconds.
    pub at: i64,
    /// Horizontal position.
    pub x: f64,
    /// Vertical position: the tool count's, or the bottom line for a refresh
    /// without a count (failed, unreported, implausible).
    pub y: f64,
    /// The tool count, when the server gave a believable one.
    pub count: Option<i64>,
    /// How it is marked.
    pub mark: Mark,
    /// Its tool set is the reviewed one.
    pub reviewed: bool,
}

/// The whole chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// The refreshes, oldest first.
    pub points: Vec<Point>,
    /// The largest tool count (the top of the scale), 0 when none is known.
    pub max: i64,
    /// Where the reviewed baseline's time falls, when it is within the chart.
    pub baseline_x: Option<f64>,
}

impl Timeline {
    /// The chart of `entries` (any order), with the reviewed baseline made at
    /// `baseline_at` (unix ms) whose set hash is `baseline_hash`.
    pub fn of(entries: &[&HistoryEntry], baseline: Option<(i64, &str)>) -> Self {
        let mut sorted: Vec<&HistoryEntry> = entries.to_vec();
        sorted.sort_by_key(|e| e.at);
        let max = sorted
            .iter()
            .filter_map(|e| e.tools_discovered)
            .max()
            .unwrap_or(0)
            .max(0);
        let (first, last) = match (sorted.first(), sorted.last()) {
            (Some(f), Some(l)) => (f.at, l.at),
            _ => (0, 0),
        };
        let span = (last - first) as f64;
        let x_of = |at: i64| {
            if span <= 0.0 {
                WIDTH / 2.0
            } else {
                PAD + (at - first) as f64 / span * (WIDTH - 2.0 * PAD)
            }
        };
        let bottom = HEIGHT - PAD;
        let y_of = |n: i64| {
            if max == 0 {
                bottom
            } else {
                bottom - n as f64 / max as f64 * (HEIGHT - 2.0 * PAD)
            }
        };
        let points = sorted
            .iter()
            .map(|e| {
                let count = e.tools_discovered.filter(|n| *n >= 0);
                let mark = if !e.ok {
                    Mark::Failed
                } else if e.unreported {
                    Mark::Unreported
                } else if e.needs_review > 0 {
                    Mark::NeedsReview
                } else if e.breaking > 0 {
                    Mark::Breaking
                } else {
                    Mark::Plain
                };
                Point {
                    entry_id: e.id.clone(),
                    at: e.at,
                    x: x_of(e.at),
                    y: count.map_or(bottom, y_of),
                    count,
                    mark,
                    reviewed: baseline.is_some_and(|(_, h)| e.set_hash.as_deref() == Some(h)),
                }
            })
            .collect();
        let baseline_x = baseline
            .map(|(at, _)| at)
            .filter(|at| (first..=last).contains(at) && span > 0.0)
            .map(x_of);
        Timeline {
            points,
            max,
            baseline_x,
        }
    }

    /// The polyline through the refreshes that have a count, as SVG `points`.
    pub fn line(&self) -> String {
        self.points
            .iter()
            .filter(|p| p.count.is_some())
            .map(|p| format!("{:.1},{:.1}", p.x, p.y))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, at: i64, n: Option<i64>) -> HistoryEntry {
        HistoryEntry {
            id: id.into(),
            configuration_id: "c".into(),
            at,
            ok: true,
            tools_discovered: n,
            ..HistoryEntry::default()
        }
    }

    #[test]
    fn places_and_marks_each_refresh() {
        let a = entry("a", 1_000, Some(4));
        let mut b = entry("b", 3_000, Some(8));
        b.breaking = 1;
        let mut c = entry("c", 2_000, None);
        c.ok = false;
        let mut d = entry("d", 4_000, Some(6));
        d.needs_review = 2;
        d.breaking = 1;
        d.set_hash = Some("h".into());
        let t = Timeline::of(&[&d, &b, &c, &a], Some((3_500, "h")));
        let ids: Vec<&str> = t.points.iter().map(|p| p.entry_id.as_str()).collect();
        assert_eq!(ids, vec!["a", "c", "b", "d"]);
        let marks: Vec<Mark> = t.points.iter().map(|p| p.mark).collect();
        assert_eq!(
            marks,
            vec![Mark::Plain, Mark::Failed, Mark::Breaking, Mark::NeedsReview]
        );
        assert_eq!(t.max, 8);
        assert_eq!(t.points[0].x, PAD);
        assert_eq!(t.points[3].x, WIDTH - PAD);
        assert_eq!(t.points[2].y, PAD); // the largest count at the top
        assert_eq!(t.points[1].y, HEIGHT - PAD); // no count: the bottom line
        assert!(t.points[3].reviewed && !t.points[2].reviewed);
        let bx = t.baseline_x.unwrap();
        assert!(t.points[2].x < bx && bx < t.points[3].x);
        assert_eq!(t.line().split(' ').count(), 3);
    }

    #[test]
    fn one_refresh_and_none() {
        let a = entry("a", 1_000, Some(0));
        let t = Timeline::of(&[&a], None);
        assert_eq!(t.points[0].x, WIDTH / 2.0);
        assert_eq!(t.max, 0);
        assert!(t.baseline_x.is_none());
        assert!(Timeline::of(&[], None).points.is_empty());
    }
}
