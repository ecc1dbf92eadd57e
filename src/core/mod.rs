//! The DOM-free core: everything about what an API answer means.
//!
//! No `web-sys`, no `leptos`: decoding, diffing, time arithmetic, error
//! classification and session/URL rules compile natively and are unit-tested with
//! `cargo test` against the API fixtures kept in `tests/fixtures/`.

pub mod batch;
pub mod diff;
pub mod error;
pub mod export;
pub mod gate;
pub mod history;
pub mod http;
pub mod i18n;
pub mod json;
pub mod locales;
pub mod model;
pub mod options;
pub mod paging;
pub mod review;
pub mod route;
pub mod schema_diff;
pub mod session;
pub mod signin;
pub mod stepwise;
pub mod text;
pub mod time;
pub mod token;
pub mod tools;
pub mod warnings;
pub mod window;
pub mod word_diff;
