//! The configuration list's pages put together: every configuration once (by id),
//! where the next page starts, and whether the server has started repeating itself.
//!
//! A server whose cursor is broken can answer every page with the same
//! configurations and `hasMore: true`. Appending blindly would count them again
//! and offer "Load more" forever, so a page that brings no configuration not
//! already loaded, or whose cursor does not move, ends the paging and says why
//! ([`Loaded::repeated`]). `app::listing` keeps one [`Loaded`] per load from the
//! start. (The tool definitions are not paged: `GET …/tools` is one answer.)

use std::collections::HashSet;

use super::model::{Configuration, ConfigurationPage};

/// The configurations loaded so far and where the next page starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    items: Vec<Configuration>,
    ids: HashSet<String>,
    next: Option<String>,
    repeated: bool,
}

impl Loaded {
    /// Nothing loaded yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `page`, the answer to the request sent with cursor `sent_after`; returns
    /// how many configurations it brought that were not loaded before.
    ///
    /// A configuration whose id is already loaded is left out, even when its data
    /// differs: the first one stays, so the row on screen, its checkbox and its
    /// link keep meaning what the user saw (opening it reads it fresh anyway).
    pub fn add(&mut self, sent_after: Option<&str>, page: ConfigurationPage) -> usize {
        let next = page.next_cursor().map(str::to_owned);
        let before = self.items.len();
        for c in page.items {
            if self.ids.insert(c.id.clone()) {
                self.items.push(c);
            }
        }
        let added = self.items.len() - before;
        // `next` is `Some` only while the server says there is more.
        let stuck = next.is_some() && (added == 0 || next.as_deref() == sent_after);
        self.repeated = stuck;
        self.next = if stuck { None } else { next };
        added
    }

    /// Every distinct configuration loaded, in the order first received.
    pub fn items(&self) -> &[Configuration] {
        &self.items
    }

    /// The cursor for "Load more", while there is more to load.
    pub fn next(&self) -> Option<&str> {
        self.next.as_deref()
    }

    /// Whether paging stopped because the last page repeated what was loaded (or
    /// its cursor did not move) although the server said there was more: the
    /// list may be incomplete.
    pub fn repeated(&self) -> bool {
        self.repeated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conf(id: &str, name: &str) -> Configuration {
        Configuration {
            id: id.into(),
            name: Some(name.into()),
            ..Default::default()
        }
    }

    fn page(ids: &[&str], has_more: bool) -> ConfigurationPage {
        ConfigurationPage {
            items: ids.iter().map(|id| conf(id, id)).collect(),
            has_more,
            skipped: 0,
        }
    }

    fn ids(l: &Loaded) -> Vec<&str> {
        l.items().iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn ordinary_pages_follow_the_cursor_to_the_end() {
        let mut l = Loaded::new();
        assert_eq!(l.add(None, page(&["a", "b"], true)), 2);
        assert_eq!((l.next(), l.repeated()), (Some("b"), false));
        assert_eq!(l.add(Some("b"), page(&["c"], false)), 1);
        assert_eq!((l.next(), l.repeated()), (None, false));
        assert_eq!(ids(&l), ["a", "b", "c"]);
    }

    #[test]
    fn the_same_page_again_stops_and_counts_once() {
        let mut l = Loaded::new();
        let twenty: Vec<String> = (0..20).map(|i| format!("pconf_{i:02}")).collect();
        let twenty: Vec<&str> = twenty.iter().map(String::as_str).collect();
        l.add(None, page(&twenty, true));
        assert_eq!(l.next(), Some("pconf_19"));
        assert_eq!(l.add(Some("pconf_19"), page(&twenty, true)), 0);
        assert_eq!(l.items().len(), 20);
        assert_eq!((l.next(), l.repeated()), (None, true));
    }

    #[test]
    fn a_cursor_that_does_not_move_stops_even_with_something_new() {
        let mut l = Loaded::new();
        l.add(None, page(&["a", "b"], true));
        // New rows, but the page ends where the last one did: asking again with
        // the same cursor could only bring the same answer.
        assert_eq!(l.add(Some("b"), page(&["c", "b"], true)), 1);
        assert_eq!((l.next(), l.repeated()), (None, true));
        assert_eq!(ids(&l), ["a", "b", "c"]);
    }

    #[test]
    fn a_partial_overlap_that_brings_something_new_keeps_going() {
        let mut l = Loaded::new();
        l.add(None, page(&["a", "b", "c"], true));
        assert_eq!(l.add(Some("c"), page(&["b", "c", "d"], true)), 1);
        assert_eq!((l.next(), l.repeated()), (Some("d"), false));
        assert_eq!(ids(&l), ["a", "b", "c", "d"]);
    }

    #[test]
    fn an_empty_page_with_has_more_ends_without_claiming_a_repeat() {
        let mut l = Loaded::new();
        l.add(None, page(&["a"], true));
        // `decode_configuration_page` reads `hasMore: true` on an empty page as the end.
        let body = r#"{"data": [], "hasMore": true}"#;
        let reply = crate::core::http::HttpReply::new(200, body);
        let empty = crate::core::model::decode_configuration_page(
            &reply,
            20,
            crate::core::time::Instant::default(),
        );
        assert_eq!(l.add(Some("a"), empty.unwrap_or(page(&["x"], true))), 0);
        assert_eq!((l.next(), l.repeated()), (None, false));
        assert_eq!(ids(&l), ["a"]);
    }

    #[test]
    fn a_repeated_id_keeps_the_first_version() {
        let mut l = Loaded::new();
        l.add(None, page(&["a", "b"], true));
        let mut again = page(&["c"], false);
        again.items.insert(0, conf("a", "renamed"));
        again.items.push(conf("c", "twice on one page"));
        assert_eq!(l.add(Some("b"), again), 1);
        let names: Vec<_> = l.items().iter().map(|c| c.label()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert!(!l.repeated());
    }
}
