//! Leptos's `<Show>` with its parts type-erased, used by every screen in its place.
//!
//! Leptos's `Show` is generic over its condition and its children's view type, so
//! each of the app's 20 uses compiled its own copy. This one takes the children as
//! `ChildrenFn` (boxed, `AnyView`) and the condition as a `Signal<bool>`, so all of
//! them share one. Same behaviour: the condition is memoized, and the children are
//! made anew only when it turns true.

use leptos::prelude::*;

/// Shows `children` while `when` is true, else `fallback` (nothing by default).
#[component]
pub fn Show(
    /// What to show while `when` is true.
    children: ChildrenFn,
    /// The condition.
    #[prop(into)]
    when: Signal<bool>,
    /// What to show otherwise.
    #[prop(optional, into)]
    fallback: ViewFn,
) -> impl IntoView {
    let shown = Memo::new(move |_| when.get());
    move || {
        if shown.get() {
            children()
        } else {
            fallback.run()
        }
    }
}
