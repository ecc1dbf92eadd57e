//! The services, between `api` and the views: the workflows that outlive one
//! component, and the state they keep. A view asks a service and renders what it
//! holds; it never runs a workflow itself.
//!
//! Who uses whom, one way only: `i18n` (the language in context) and `events` (the
//! embedding page's DOM events) serve everyone, and so does `clock` (what the
//! answers showed of the server's clock); `auth` keeps the session and its
//! tokens, `sign_in` the steps that start a session; `refresh` runs one refresh (through `insight`, recording into
//! `history`); `bulk` runs many through it; `review` keeps the reviewed baselines; `page` is one
//! configuration page's refresh; `listing` loads the configuration list; `export` gets results out.

pub mod auth;
pub mod bulk;
pub mod clock;
pub mod events;
pub mod export;
pub mod history;
pub mod i18n;
pub mod insight;
pub mod listing;
pub mod page;
pub mod refresh;
pub mod review;
pub mod sign_in;

/// Provides the services a page of the app shares, once, at its root, after the
/// language, the events and the session (`auth`): the gates, the history (kept in
/// localStorage when `persist`, i.e. on the standalone page), the reviewed baselines
/// (likewise; the widget starts from its `reviewedBaseline` option) and the bulk state.
pub fn provide(persist: bool, baseline: Option<crate::core::review::baseline::Baseline>) {
    refresh::Gates::get();
    history::HistoryStore::provide(persist);
    review::Baselines::provide(persist, baseline);
    bulk::Bulk::provide();
}
