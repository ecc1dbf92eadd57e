//! The refresh history store: every refresh's entry, kept in localStorage on the
//! standalone page (in memory when embedded: a widget leaves the host's storage
//! alone), read once when first needed. The history panel (`ui::history_view`)
//! shows it; a refresh (`app::refresh`) records into it.

use leptos::prelude::*;

use crate::core::history::{History, HistoryEntry, Notice};
use crate::core::time::Instant;

const STORAGE_KEY: &str = "connector-refresh.history";

/// The history, shared through context.
#[derive(Clone, Copy)]
pub struct HistoryStore {
    /// All entries.
    pub history: RwSignal<History>,
    /// A warning from loading (corrupt or foreign data was ignored) or saving.
    pub warning: RwSignal<Option<Notice>>,
    persist: bool,
    /// Whether the saved history was read ([`HistoryStore::load`]).
    loaded: StoredValue<bool>,
}

impl HistoryStore {
    /// Provides the history (kept in localStorage when `persist`), read when first
    /// needed ([`HistoryStore::load`]).
    pub fn provide(persist: bool) -> Self {
        let store = HistoryStore {
            history: RwSignal::new(History::default()),
            warning: RwSignal::new(None),
            persist,
            loaded: StoredValue::new(false),
        };
        provide_context(store);
        store
    }

    /// Reads and checks the saved history, once: when the configuration page or a
    /// bulk refresh first needs it, not before the first render (a long history is
    /// not parsed by a visit that only signs in or looks at the list), and so in
    /// their parts of the wasm (`ui::lazy`).
    pub fn load(&self) {
        if self.loaded.get_value() {
            return;
        }
        self.loaded.set_value(true);
        let text = if self.persist {
            local_storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        } else {
            None
        };
        let (history, warning) = History::parse(text.as_deref());
        self.history.set(history);
        self.warning.set(warning);
    }

    /// The provided store (an in-memory one if none).
    pub fn get() -> Self {
        use_context::<HistoryStore>().unwrap_or_else(|| HistoryStore::provide(false))
    }

    /// Records one refresh.
    pub fn push(&self, entry: HistoryEntry) {
        self.load();
        self.history.update(|h| h.push(entry));
        self.save();
    }

    /// The next unique entry id.
    pub fn next_id(&self, configuration_id: &str, at: Instant) -> String {
        self.load();
        self.history
            .with_untracked(|h| h.next_id(configuration_id, at.millis()))
    }

    /// What the history knows of configuration `id`'s removed tools (see
    /// [`History::removals`]).
    pub fn removals(&self, id: &str) -> crate::core::review::steps::Removals {
        self.load();
        self.history.with_untracked(|h| h.removals(id))
    }

    /// Forgets one configuration's history.
    pub fn clear(&self, configuration_id: &str) {
        self.load();
        self.history
            .update(|h| h.clear_configuration(configuration_id));
        self.save();
    }

    fn save(&self) {
        if !self.persist {
            return;
        }
        if let Some(s) = local_storage() {
            let json = self.history.with_untracked(History::to_json);
            if s.set_item(STORAGE_KEY, &json).is_err() {
                self.warning.set(Some(Notice::NotSaved));
            }
        }
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
