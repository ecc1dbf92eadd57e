//! The ticking clock that drives countdowns, and local-time formatting through
//! the browser's `Intl` (the user's own time zone and locale).

use std::cell::RefCell;
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::now;
use crate::core::time::Instant;

/// A signal holding "now" on the server's timeline (`api::now`), updated every
/// second while the app is mounted.
#[derive(Clone, Copy)]
pub struct Clock(pub ReadSignal<Instant>);

impl Clock {
    /// Starts the clock and provides it; the timer stops when the owner is cleaned up.
    pub fn provide() -> Self {
        let (now_signal, set_now) = signal(now());
        if let Ok(handle) =
            set_interval_with_handle(move || set_now.set(now()), Duration::from_secs(1))
        {
            on_cleanup(move || handle.clear());
        }
        let clock = Clock(now_signal);
        provide_context(clock);
        clock
    }

    /// The provided clock, or a fixed "now" when there is none (e.g. in a test).
    pub fn get() -> Signal<Instant> {
        match use_context::<Clock>() {
            Some(c) => c.0.into(),
            None => Signal::stored(now()),
        }
    }
}

/// `t` as a date and time in the user's locale and time zone, e.g. `7 Oct 2025, 18:15`.
pub fn local_date_time(t: Instant) -> String {
    format(t, true)
}

/// `t` as a time of day in the user's locale, e.g. `14:02`.
pub fn local_time(t: Instant) -> String {
    format(t, false)
}

thread_local! {
    /// `Intl.DateTimeFormat` `format` functions by locale and whether they show the
    /// date. `toLocaleString` makes a new formatter on every call (about a
    /// millisecond), which a table of 100 dates paid 100 times.
    static FORMATTERS: RefCell<Vec<(String, bool, js_sys::Function)>> = const { RefCell::new(Vec::new()) };
}

fn options(with_date: bool) -> js_sys::Object {
    let opts = js_sys::Object::new();
    if with_date {
        let _ = js_sys::Reflect::set(&opts, &"dateStyle".into(), &"medium".into());
    }
    let _ = js_sys::Reflect::set(&opts, &"timeStyle".into(), &"short".into());
    opts
}

/// `new Intl.DateTimeFormat(locale, options).format`, made once per locale and
/// kind; the browser's locale if `locale` is not a valid language tag.
fn formatter(locale: &str, with_date: bool) -> Option<js_sys::Function> {
    let cached = FORMATTERS.with(|c| {
        c.borrow()
            .iter()
            .find(|(l, d, _)| l == locale && *d == with_date)
            .map(|(_, _, f)| f.clone())
    });
    if cached.is_some() {
        return cached;
    }
    let intl = js_sys::Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: js_sys::Function = js_sys::Reflect::get(&intl, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let opts = options(with_date);
    let dtf = js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&locale.into(), &opts))
        .or_else(|_| {
            js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(&JsValue::UNDEFINED, &opts))
        })
        .ok()?;
    let f: js_sys::Function = js_sys::Reflect::get(&dtf, &"format".into())
        .ok()?
        .dyn_into()
        .ok()?;
    FORMATTERS.with(|c| {
        c.borrow_mut()
            .push((locale.to_owned(), with_date, f.clone()))
    });
    Some(f)
}

/// `t.toLocaleString(locale, {dateStyle?, timeStyle: "short"})`, falling back to the
/// browser's locale if the configured one is not a valid language tag (which would throw).
fn format(t: Instant, with_date: bool) -> String {
    let date = js_sys::Date::new(&JsValue::from_f64(t.millis() as f64));
    let shown = formatter(&locale(), with_date)
        .and_then(|f| f.call1(&JsValue::UNDEFINED, &date).ok())
        .and_then(|v| v.as_string());
    if let Some(s) = shown {
        return s;
    }
    let opts = options(with_date);
    let Ok(f) = js_sys::Reflect::get(&date, &"toLocaleString".into()).map(js_sys::Function::from)
    else {
        return String::new();
    };
    let tagged = js_sys::Reflect::apply(&f, &date, &js_sys::Array::of2(&locale().into(), &opts));
    tagged
        .or_else(|_| {
            js_sys::Reflect::apply(&f, &date, &js_sys::Array::of2(&JsValue::UNDEFINED, &opts))
        })
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// `n` in the user's locale with at most `max_fraction_digits` decimals
/// (`Intl.NumberFormat`: `1,234.5` in en, `1'234,5` in de-CH), falling back to the
/// browser's locale if the configured one is not a valid language tag.
pub fn local_number(n: f64, max_fraction_digits: u32) -> String {
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(
        &opts,
        &"maximumFractionDigits".into(),
        &JsValue::from(max_fraction_digits),
    );
    let locales = js_sys::Array::of1(&locale().into());
    let format = |locales: &js_sys::Array| {
        let f = js_sys::Intl::NumberFormat::new(locales, &opts);
        f.format()
            .call1(&f, &JsValue::from_f64(n))
            .ok()?
            .as_string()
    };
    format(&locales)
        .or_else(|| format(&js_sys::Array::new()))
        .unwrap_or_default()
}

/// The locale for dates and numbers: the reader's format locale (`core::locales`:
/// `ja-JP` under English words), tracked, so a language switch re-renders dates too.
fn locale() -> String {
    crate::app::i18n::I18n::get().format_locale()
}
