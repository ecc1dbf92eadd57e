//! Keyed lists (the configurations table, history, the bulk report) through one copy
//! of Leptos's `For`.
//!
//! `For` is generic over its items, keys and row views, so each list compiled its own
//! copy of the keyed diff. Here every list hands `For` the same types (a boxed item
//! source, [`Row`]s, fn-item key and view), and only the small mapping below is
//! generic. Rows behave as with `For` itself: a row's view is made once, inside the
//! row's own reactive owner, when its key first appears, and kept while the key stays.

use leptos::prelude::*;

/// One row: its key and how to make its view.
pub struct Row {
    key: String,
    make: Box<dyn FnOnce() -> AnyView + Send>,
}

fn row_key(row: &Row) -> String {
    row.key.clone()
}

fn row_view(row: Row) -> AnyView {
    (row.make)()
}

/// `<For each key children/>`, shared: `key` names a row (rows with the same key are
/// kept, new keys get a fresh view from `view`).
pub fn keyed<T, K, V>(
    each: impl Fn() -> Vec<T> + Send + 'static,
    key: impl Fn(&T) -> K + Send + 'static,
    view: impl Fn(T) -> V + Send + Clone + 'static,
) -> AnyView
where
    T: Send + 'static,
    K: ToString,
    V: IntoView + 'static,
{
    let rows: Box<dyn Fn() -> Vec<Row> + Send> = Box::new(move || {
        each()
            .into_iter()
            .map(|item| {
                let key = key(&item).to_string();
                let view = view.clone();
                Row {
                    key,
                    make: Box::new(move || view(item).into_any()),
                }
            })
            .collect()
    });
    view! { <For each=rows key=row_key children=row_view/> }.into_any()
}
