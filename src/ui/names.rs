//! A headed list of tool names: searchable, and virtualised when long, so 100,000
//! names render without freezing the page (only the visible rows are in the DOM);
//! and the warning lists built on it (many similar warnings: one line, all names
//! on demand).

use std::sync::Arc;

use leptos::prelude::*;

use crate::app::i18n::I18n;
use crate::core::i18n::K;
use crate::core::text::{contains_lowered, lower};
use crate::core::warnings::Line;
use crate::core::window::{window, PLAIN_MAX, ROW_PX, SEARCH_MIN};

/// A headed, sorted list of tool names marked by sign as well as colour.
#[component]
pub fn NameList(
    /// Heading text, e.g. "New tools" (a signal, so it follows the language).
    #[prop(into)]
    title: Signal<String>,
    /// "+" or "−", shown before the heading and each name.
    sign: &'static str,
    /// CSS class and id stem: "new", "removed", or a unique stem per list when
    /// several lists of one kind are on the page (e.g. "warn-0").
    #[prop(into)]
    class: String,
    /// The names, already sorted.
    names: Vec<String>,
) -> impl IntoView {
    let i18n = I18n::get();
    let count = names.len();
    let heading_id = format!("{class}-tools-title");
    let labelled_by = heading_id.clone();
    let names = Arc::new(names);
    let query = RwSignal::new(String::new());
    let matching = matching_names(names.clone(), query);
    let shown_len = move || matching.with(|m| m.as_ref().map_or(count, Vec::len));
    let scroll = RwSignal::new(0usize);
    let search_label = move || search_label(i18n, title);
    let heading = move || {
        i18n.f(
            K::RefreshNamesHeading,
            &[
                ("sign", sign.into()),
                ("title", title.get().into()),
                ("n", count.into()),
            ],
        )
    };
    let scroll_label = move || i18n.f(K::RefreshNamesScrollable, &[("title", title.get().into())]);

    let rows = {
        let names = names.clone();
        move || {
            let len = shown_len();
            let (start, end) = if len > PLAIN_MAX {
                window(len, scroll.get())
            } else {
                (0, len)
            };
            matching.with(|m| {
                (start..end)
                    .filter_map(|pos| {
                        let i = match m {
                            Some(v) => *v.get(pos)?,
                            None => pos,
                        };
                        names.get(i).map(|n| (pos, n.clone()))
                    })
                    .map(|(pos, n)| {
                        view! {
                            <li aria-setsize=len aria-posinset=pos + 1>
                                <span class="sign" aria-hidden="true">{sign}</span>" "<code>{n}</code>
                            </li>
                        }
                    })
                    .collect_view()
            })
        }
    };

    view! {
        <section class=format!("names {class}") aria-labelledby=labelled_by>
            <h3 id=heading_id>{heading}</h3>
            {(count > SEARCH_MIN).then(|| view! {
                <input type="search" class="name-search" aria-label=search_label placeholder=i18n.text(K::RefreshNamesSearchPlaceholder)
                    prop:value=move || query.get()
                    on:input=move |ev| { query.set(event_target_value(&ev)); scroll.set(0); }/>
                <p class="hint" aria-live="polite">{move || matching.with(|m| m.as_ref().map(|v| i18n.f(K::RefreshNamesMatching, &[("n", v.len().into()), ("total", count.into())])))}</p>
            })}
            {if count == 0 {
                view! { <p class="none">{i18n.text(K::RefreshNamesNone)}</p> }.into_any()
            } else if count > PLAIN_MAX {
                view! {
                    <div class="virtual" tabindex="0" role="group" aria-label=scroll_label
                        on:scroll=move |ev| {
                            if let Some(el) = event_target::<web_sys::Element>(&ev).into() {
                                let el: web_sys::Element = el;
                                scroll.set(el.scroll_top().max(0) as usize);
                            }
                        }>
                        <ul style:height=move || format!("{}px", shown_len() * ROW_PX)
                            style:padding-top=move || format!("{}px", window(shown_len(), scroll.get()).0 * ROW_PX)>
                            {rows}
                        </ul>
                    </div>
                }.into_any()
            } else {
                view! { <ul>{rows}</ul> }.into_any()
            }}
        </section>
    }
}

/// The indices of the names that contain `query` (case folded), or `None` while
/// it is empty.
fn matching_names(names: Arc<Vec<String>>, query: RwSignal<String>) -> Memo<Option<Vec<usize>>> {
    Memo::new(move |_| {
        let q = lower(&query.get()).into_owned();
        if q.is_empty() {
            None
        } else {
            Some(
                names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| contains_lowered(n, &q))
                    .map(|(i, _)| i)
                    .collect::<Vec<usize>>(),
            )
        }
    })
}

/// "Search new tools": the heading inside a sentence, lower-cased, except in
/// German, whose nouns keep their capitals (tracked).
fn search_label(i18n: I18n, title: Signal<String>) -> String {
    i18n.with(|tr| {
        let title = title.get();
        let list = if tr.lang().code() == "de" {
            title
        } else {
            lower(&title).into_owned()
        };
        tr.f(K::RefreshNamesSearch, &[("list", list.into())])
    })
}

/// A list of warnings. A line that stands for many similar warnings (see
/// `core::warnings`) says so in one sentence and offers every name behind it in a
/// [`NameList`] (searchable, virtualised), opened on demand.
#[component]
pub fn WarningLines(
    /// The lines, in order.
    lines: Vec<Line>,
    /// Id stem for the name lists (unique on the page), e.g. "mismatch".
    stem: &'static str,
) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <ul>
            {lines.into_iter().enumerate().map(|(i, line)| {
                // The line keeps what is wrong; its words follow the language.
                let line = Arc::new(line);
                let sentence = {
                    let line = line.clone();
                    move || i18n.with(|tr| line.sentence(tr))
                };
                match &*line {
                    Line::One(_) => view! { <li>"⚠ " {sentence}</li> }.into_any(),
                    Line::Many { names, .. } => {
                        let title = {
                            let line = line.clone();
                            Signal::derive(move || i18n.with(|tr| line.title(tr).unwrap_or_default()))
                        };
                        view! {
                            <li>"⚠ " {sentence} " " <AllNames stem=format!("{stem}-{i}") title=title sign="⚠" names=names.clone()/></li>
                        }.into_any()
                    }
                }
            }).collect_view()}
        </ul>
    }
}

/// "Show all N names": a toggle that puts every name in a [`NameList`].
#[component]
pub fn AllNames(
    /// Id stem for the list (unique on the page).
    stem: String,
    /// The list's heading (a signal, so it follows the language).
    #[prop(into)]
    title: Signal<String>,
    /// The sign before the heading and each name, e.g. "⚠".
    sign: &'static str,
    /// Every name.
    names: Vec<String>,
) -> impl IntoView {
    let i18n = I18n::get();
    let count = names.len();
    let open = RwSignal::new(false);
    let names = StoredValue::new(names);
    let list_id = format!("{stem}-all");
    let controls = list_id.clone();
    view! {
        <button type="button" class="link" aria-expanded=move || open.get().to_string() aria-controls=controls
            on:click=move |_| open.update(|o| *o = !*o)>
            {move || if open.get() { i18n.t(K::RefreshNamesHide) } else { i18n.f(K::RefreshNamesShowAll, &[("n", count.into())]) }}
        </button>
        <div id=list_id>
            {move || open.get().then(|| view! {
                <NameList title=title sign=sign class=stem.clone() names=names.get_value()/>
            })}
        </div>
    }
}
