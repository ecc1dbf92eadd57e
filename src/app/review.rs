//! The reviewed baselines: per configuration, the tool set a person marked as
//! reviewed (`core::review::baseline`). Kept in localStorage on the standalone page;
//! in memory in the widget, which starts from its `reviewedBaseline` option and tells
//! the portal through the `connector-refresh:reviewed` event, so the portal can keep
//! it server-side.
//!
//! Marking is refused when the definitions changed since the screen was drawn: the
//! tools are read again and their set's hash must be the one the person saw.

use std::collections::{BTreeMap, HashMap};

use leptos::prelude::*;

use crate::api::{in_slices, Canceller};
use crate::core::i18n::Tr;
use crate::core::review::baseline::{tool_hash, Baseline};
use crate::core::tools::ToolCatalog;

use super::refresh::RefreshCtx;

const STORAGE_KEY: &str = "connector-refresh.reviewed";

/// Every configuration's reviewed baseline, shared through context.
#[derive(Clone, Copy)]
pub struct Baselines {
    map: RwSignal<HashMap<String, Baseline>>,
    persist: bool,
    loaded: StoredValue<bool>,
}

/// Why marking as reviewed did not happen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkError {
    /// The definitions read now are not the ones on screen.
    Changed,
    /// The definitions could not be read again (the reason, in words).
    Unreadable(String),
    /// The baseline could not be saved in the browser's storage (it still holds
    /// for this page).
    NotSaved,
}

impl Baselines {
    /// Provides the store; `initial` is the widget's `reviewedBaseline` option.
    pub fn provide(persist: bool, initial: Option<Baseline>) -> Self {
        let mut map = HashMap::new();
        if let Some(b) = initial {
            map.insert(b.configuration_id.clone(), b);
        }
        let b = Baselines {
            map: RwSignal::new(map),
            persist,
            loaded: StoredValue::new(!persist),
        };
        provide_context(b);
        b
    }

    /// The provided store (an in-memory one if none).
    pub fn get() -> Self {
        use_context::<Baselines>().unwrap_or_else(|| Baselines::provide(false, None))
    }

    fn load(&self) {
        if self.loaded.get_value() {
            return;
        }
        self.loaded.set_value(true);
        let text = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        // Anything unreadable or not well formed is left out: no baseline is
        // better than a wrong one.
        let saved: HashMap<String, Baseline> = text
            .and_then(|t| serde_json::from_str::<HashMap<String, Baseline>>(&t).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|(id, b)| *id == b.configuration_id && b.is_valid())
            .collect();
        self.map.update(|m| {
            for (id, b) in saved {
                m.entry(id).or_insert(b);
            }
        });
    }

    /// Configuration `id`'s baseline (tracked).
    pub fn of(&self, id: &str) -> Option<Baseline> {
        self.load();
        self.map.with(|m| m.get(id).cloned())
    }

    fn save(&self) -> bool {
        if !self.persist {
            return true;
        }
        let json = self
            .map
            .with_untracked(serde_json::to_string)
            .unwrap_or_default();
        storage().is_some_and(|s| s.set_item(STORAGE_KEY, &json).is_ok())
    }

    /// Marks configuration `id`'s tools as reviewed, if they still are the set with
    /// hash `shown` (what the screen shows): reads them again, compares, keeps the
    /// baseline and fires `connector-refresh:reviewed`.
    pub async fn mark(
        &self,
        ctx: RefreshCtx,
        tr: Tr,
        id: &str,
        shown: &str,
    ) -> Result<Baseline, MarkError> {
        self.load();
        let c = Canceller::new();
        let catalog = super::refresh::definitions(ctx.auth, &tr, id, &c)
            .await
            .map_err(MarkError::Unreadable)?
            .ok_or_else(|| MarkError::Unreadable(tr.t(crate::core::i18n::K::InsightTooLarge)))?;
        let hashes = hashes(&catalog).await;
        let baseline = Baseline::of(id, &hashes, crate::api::now().to_iso());
        if baseline.hash != shown {
            return Err(MarkError::Changed);
        }
        self.map.update(|m| {
            m.insert(id.to_owned(), baseline.clone());
        });
        ctx.events.reviewed(&baseline);
        if self.save() {
            Ok(baseline)
        } else {
            Err(MarkError::NotSaved)
        }
    }

    /// Replaces the widget's baseline (the `reviewedBaseline` option set again).
    pub fn set(&self, b: Baseline) {
        self.map.update(|m| {
            m.insert(b.configuration_id.clone(), b);
        });
    }
}

/// Every tool's hash, a slice of tools at a time.
async fn hashes(c: &ToolCatalog) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut next = 0;
    in_slices(|| {
        let end = (next + 200).min(c.tools.len());
        for t in c.tools.get(next..end).unwrap_or_default() {
            out.insert(t.name.clone(), tool_hash(t));
        }
        next = end;
        next >= c.tools.len()
    })
    .await;
    out
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}
