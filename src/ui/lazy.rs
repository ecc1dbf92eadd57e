//! Parts of the app that arrive in their own wasm chunk, when first needed.
//!
//! The configuration page (refresh, results, history, exports) and the bulk refresh
//! runner are not needed to sign in or to see the list, so the release build leaves
//! them out of the first load. Each part has one entry, made by [`part_entry!`]: in
//! the split build (the `split` feature, which Trunk.toml turns on) the entry is a split
//! point of `wasm_split` (the crate behind Leptos's `#[lazy]`, re-exported as
//! `leptos::wasm_split`), and tools/split-wasm (Trunk's post_build hook) has
//! wasm-split move the code that only the entry reaches into its own `.wasm`,
//! fetched on the entry's first call, or ahead of need by [`Part::prefetch`].
//! Elsewhere (tests, clippy, native builds) the entry is an ordinary call.
//!
//! An entry returns plain function pointers into its part, so the part's views are
//! made synchronously, inside the caller's reactive owner, once the part is in.
//! A failed download is shown where the part would be, with a retry; nothing else on
//! screen changes.

use std::future::Future;
use std::pin::Pin;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::app::i18n::I18n;
use crate::core::i18n::K;

/// A part's chunk could not be fetched or instantiated (the browser console has
/// the reason).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unloaded;

impl From<leptos::wasm_split::SplitLoaderError> for Unloaded {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        Unloaded
    }
}

/// What an entry's loading gives: the part's function pointers.
pub type Loading<T> = Pin<Box<dyn Future<Output = Result<T, Unloaded>>>>;

/// Defines `fn $load() -> Loading<$ty>` giving `$value`, which lives in chunk
/// `$chunk` of the split build. `$value` should name functions only the part uses.
#[macro_export]
macro_rules! part_entry {
    ($chunk:ident, $load:ident, $ty:ty, $value:expr) => {
        fn $load() -> $crate::ui::lazy::Loading<$ty> {
            #[cfg(all(feature = "split", target_family = "wasm"))]
            #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
            fn entry() -> Result<$ty, $crate::ui::lazy::Unloaded> {
                Ok($value)
            }
            #[cfg(not(all(feature = "split", target_family = "wasm")))]
            async fn entry() -> Result<$ty, $crate::ui::lazy::Unloaded> {
                Ok($value)
            }
            Box::pin(entry())
        }
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Idle,
    Loading,
    Ready,
    Failed,
}

/// An action waiting for the part.
type Waiting<T> = Vec<Box<dyn FnOnce(T)>>;

/// One lazily loaded part: its state (tracked) and, once in, its value.
pub struct Part<T: 'static> {
    state: RwSignal<State>,
    /// Whether someone waits for it (a view, an action), so its progress and a
    /// failure are shown; a prefetch alone is silent.
    asked: RwSignal<bool>,
    value: StoredValue<Option<T>>,
    waiting: StoredValue<Waiting<T>, LocalStorage>,
    load: fn() -> Loading<T>,
}

impl<T: 'static> Clone for Part<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Part<T> {}

impl<T: Copy + Send + Sync + 'static> Part<T> {
    /// A part not asked for yet, fetched by `load` when it is.
    pub fn new(load: fn() -> Loading<T>) -> Self {
        Part {
            state: RwSignal::new(State::Idle),
            asked: RwSignal::new(false),
            value: StoredValue::new(None),
            waiting: StoredValue::new_local(Vec::new()),
            load,
        }
    }

    /// The part's value, if it is in (tracked).
    pub fn get(self) -> Option<T> {
        match self.state.get() {
            State::Ready => self.value.get_value(),
            _ => None,
        }
    }

    /// Runs `then` with the part's value: now if it is in, else once it arrives
    /// (starting the fetch, or a new one after a failure). If the fetch fails, the
    /// failure is shown and `then` is dropped: the user retries.
    pub fn then(self, then: impl FnOnce(T) + 'static) {
        if let Some(v) = self.value.get_value() {
            then(v);
            return;
        }
        self.waiting.update_value(|w| w.push(Box::new(then)));
        self.asked.set(true);
        if self.state.get_untracked() != State::Loading {
            self.fetch();
        }
    }

    /// Starts fetching the part for a view (progress and failure shown).
    pub fn request(self) {
        self.then(|_| ());
    }

    /// Starts fetching the part ahead of need, quietly: a failure leaves it as if
    /// never asked (the next real use fetches again and says so if it fails).
    /// Does nothing once the part's owner is gone (a late timer after an unmount).
    pub fn prefetch(self) {
        if self.state.try_get_untracked() == Some(State::Idle) {
            self.fetch();
        }
    }

    fn fetch(self) {
        self.state.set(State::Loading);
        let load = self.load;
        spawn_local(async move {
            let loaded = load().await;
            let waiting = self
                .waiting
                .try_update_value(std::mem::take)
                .unwrap_or_default();
            match loaded {
                Ok(v) => {
                    self.value.set_value(Some(v));
                    self.state.set(State::Ready);
                    for then in waiting {
                        then(v);
                    }
                }
                // Nothing waits unless `asked` is set ([`Part::then`] sets both), so
                // a prefetch alone fails back to idle; the dropped actions are retried
                // by the user.
                // (`try_`: the owner may have gone while the part was fetched.)
                Err(Unloaded) if self.asked.try_get_untracked() == Some(false) => {
                    self.state.set(State::Idle);
                }
                Err(Unloaded) => self.state.set(State::Failed),
            }
        });
    }

    /// The part's view, made by `make` once it is in; until then a progress line,
    /// or the failure with a retry. Asks for the part at once.
    pub fn view(self, make: impl Fn(T) -> AnyView + Send + Sync + 'static) -> AnyView {
        self.request();
        let i18n = I18n::get();
        (move || match self.get() {
            Some(v) => make(v),
            None => self.status(i18n, move || self.request()).into_any(),
        })
        .into_any()
    }

    /// "Loading…" while the part is on its way, the failure and a button for
    /// `retry` after a failed fetch, nothing otherwise.
    pub fn status(
        self,
        i18n: I18n,
        retry: impl Fn() + Copy + Send + Sync + 'static,
    ) -> impl IntoView {
        move || {
            match self.state.get() {
            State::Loading if self.asked.get() => Some(
                view! {
                    <p role="status" class="part-loading">
                        <progress aria-label=i18n.text(K::AppPartLoadingLabel)></progress>" "{i18n.text(K::AppPartLoading)}
                    </p>
                }
                .into_any(),
            ),
            State::Failed => Some(
                view! {
                    <div class="error" role="alert">
                        <p>{i18n.text(K::AppPartFailed)}</p>
                        <button type="button" on:click=move |_| retry()>{i18n.text(K::AppPartRetry)}</button>
                    </div>
                }
                .into_any(),
            ),
            State::Idle | State::Loading | State::Ready => None,
        }
        }
    }
}
