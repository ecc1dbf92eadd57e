//! The configuration list's state: the pages loaded from the server (filtered by
//! connector and health there), the filter typed above the table (applied here),
//! and which page of matching rows the table shows. Pages are put together by
//! `core::paging` (each configuration once; a server that repeats its pages ends
//! the paging). The list page (`ui::configurations`) renders it.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::core::error::{ApiError, ErrorKind};
use crate::core::model::Configuration;
use crate::core::paging::Loaded;
use crate::core::session::ListFilter;
use crate::core::window::{page, pages, PAGE_ROWS};

use super::auth::Auth;
use super::events::Events;

/// Table rows shown at once (a row with its links, badge and ticking time costs
/// about a millisecond to make: 50 keep a page turn well inside one frame budget).
pub const TABLE_ROWS: usize = PAGE_ROWS;

/// The list, made by the list page in its reactive owner (leaving the page aborts
/// a load in flight).
#[derive(Clone, Copy)]
pub struct Listing {
    /// Every distinct configuration loaded so far, in the server's order, and
    /// where the next page starts.
    pub loaded: RwSignal<Loaded>,
    /// Whether a page is being loaded.
    pub loading: RwSignal<bool>,
    /// Whether a page has arrived since the last (re)load.
    pub loaded_once: RwSignal<bool>,
    /// Why the last load failed.
    pub error: RwSignal<Option<ApiError>>,
    /// The server does not list configurations (only "open by id" is left).
    pub unsupported: RwSignal<bool>,
    /// The filter typed above the table.
    pub filter: RwSignal<String>,
    /// The connector the server filters by ("" for any).
    pub connector: RwSignal<String>,
    /// The health the server filters by ("" for any).
    pub health: RwSignal<String>,
    /// Every connector seen so far, for the connector filter's choices.
    pub connectors: RwSignal<BTreeSet<String>>,
    /// Rows the server sent that could not be read.
    pub skipped: RwSignal<usize>,
    /// The page of matching rows shown: thousands of loaded configurations never
    /// put thousands of rows (each with a ticking time) in the page.
    pub page_no: RwSignal<usize>,
    /// The indices (into the loaded items) of the rows that match `filter`.
    pub matching: Memo<Vec<usize>>,
    canceller: StoredValue<Canceller, LocalStorage>,
    page_size: usize,
    auth: Auth,
    events: Events,
}

impl Listing {
    /// An empty list loading `page_size` configurations a page; starts loading the first.
    pub fn new(page_size: usize) -> Self {
        let loaded = RwSignal::new(Loaded::new());
        let filter = RwSignal::new(String::new());
        let matching = Memo::new(move |_| {
            let q = filter.get();
            loaded.with(|l| {
                l.items()
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.matches(&q))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>()
            })
        });
        let list = Listing {
            loaded,
            loading: RwSignal::new(false),
            loaded_once: RwSignal::new(false),
            error: RwSignal::new(None),
            unsupported: RwSignal::new(false),
            filter,
            connector: RwSignal::new(String::new()),
            health: RwSignal::new(String::new()),
            connectors: RwSignal::new(BTreeSet::new()),
            skipped: RwSignal::new(0),
            page_no: RwSignal::new(0),
            matching,
            canceller: StoredValue::new_local(Canceller::new()),
            page_size,
            auth: Auth::get(),
            events: Events::get(),
        };
        on_cleanup(move || {
            let _ = list.canceller.try_with_value(Canceller::cancel);
        });
        list.load(None);
        list
    }

    /// Loads the page after cursor `after` (the first with `None`), unless a load
    /// is under way or no one is signed in.
    pub fn load(self, after: Option<String>) {
        let auth = self.auth;
        if self.loading.get_untracked() || auth.session.with_untracked(Option::is_none) {
            return;
        }
        self.loading.set(true);
        self.error.set(None);
        let c = Canceller::new();
        self.canceller.set_value(c.clone());
        let limit = self.page_size;
        let list_filter = ListFilter {
            connector: Some(self.connector.get_untracked()).filter(|c| !c.is_empty()),
            health: Some(self.health.get_untracked()).filter(|h| !h.is_empty()),
        };
        spawn_local(async move {
            let (after_ref, cr, fr) = (after.as_deref(), &c, &list_filter);
            let sent = after.clone();
            let result = match auth.fresh_session().await {
                Ok(session) => {
                    auth.retry_once(session, |s| async move {
                        api::list_configurations(&s, limit, after_ref, fr, cr).await
                    })
                    .await
                }
                Err(e) => Err(e),
            };
            if c.is_cancelled() {
                return;
            }
            self.loading.set(false);
            match result {
                Ok(page) => {
                    self.skipped.update(|s| *s += page.skipped);
                    // Show the page where the newly loaded rows begin.
                    let before = self.matching.with_untracked(Vec::len);
                    let mut added = 0;
                    self.loaded.update(|l| added = l.add(sent.as_deref(), page));
                    // The connector filter offers only connectors of rows kept (a
                    // repeated id's other version is not in the table).
                    let fresh: Vec<String> = self.loaded.with_untracked(|l| {
                        let kept = l.items().iter().rev().take(added);
                        kept.filter_map(|c| c.connector_id.clone()).collect()
                    });
                    self.connectors.update(|set| set.extend(fresh));
                    self.page_no.set(before / TABLE_ROWS);
                    self.loaded_once.set(true);
                }
                Err(e) if auth.handle(&e) => {}
                Err(e) => {
                    self.events.error(None, &e);
                    if e.kind == ErrorKind::NotSupported {
                        self.unsupported.set(true);
                    }
                    self.error.set(Some(e));
                }
            }
        });
    }

    /// "Load more" (and a retry after a failure): the page after the last one.
    pub fn load_more(self) {
        let after = self.loaded.with_untracked(|l| l.next().map(str::to_owned));
        self.load(after);
    }

    /// A server-side filter changed: the list is loaded again from the start.
    pub fn reload(self) {
        self.canceller.with_value(Canceller::cancel);
        self.loading.set(false);
        self.loaded.set(Loaded::new());
        self.skipped.set(0);
        self.page_no.set(0);
        self.loaded_once.set(false);
        self.load(None);
    }

    /// A new filter typed above the table: its first page of matches.
    pub fn set_filter(self, q: String) {
        self.filter.set(q);
        self.page_no.set(0);
    }

    /// Runs `f` over the matching rows, by reference: thousands of loaded rows are
    /// never copied for a checkbox (tracked).
    pub fn with_matching(self, f: &mut dyn FnMut(&mut dyn Iterator<Item = &Configuration>)) {
        self.matching.with(|m| {
            self.loaded
                .with(|l| f(&mut m.iter().filter_map(|i| l.items().get(*i))))
        });
    }

    /// How many distinct configurations are loaded (tracked).
    pub fn loaded_len(self) -> usize {
        self.loaded.with(|l| l.items().len())
    }

    /// Whether "Load more" has a page to load (tracked).
    pub fn has_more(self) -> bool {
        self.loaded.with(|l| l.next().is_some())
    }

    /// Whether paging stopped because the server sent the same configurations
    /// again (tracked).
    pub fn repeated(self) -> bool {
        self.loaded.with(Loaded::repeated)
    }

    /// How many rows match (tracked).
    pub fn matching_len(self) -> usize {
        self.matching.with(Vec::len)
    }

    /// The rows on the page shown (tracked).
    pub fn visible(self) -> Vec<Configuration> {
        let (start, end) = page(self.matching_len(), self.page_no.get(), TABLE_ROWS);
        self.matching.with(|m| {
            self.loaded.with(|l| {
                let v = l.items();
                m.get(start..end)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|i| v.get(*i).cloned())
                    .collect::<Vec<_>>()
            })
        })
    }

    /// The index of the last page of matching rows (tracked).
    pub fn last_page(self) -> usize {
        pages(self.matching_len(), TABLE_ROWS) - 1
    }
}
