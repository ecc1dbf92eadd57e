//! The server's clock, as the views need it: the sentence that says the computer's
//! clock differs from the server's. The offset itself is kept by the HTTP client
//! (`api`), which sees every answer's `Date` as it arrives and decodes against it;
//! `api::now` is the app's "now" on the server's timeline, and the ticking
//! `ui::clock::Clock` follows it.

use crate::api;
use crate::core::i18n::Tr;

/// When the computer's clock differs from the server's by more than a minute, the
/// sentence that says so in `tr`'s language; `None` otherwise.
pub fn note(tr: &Tr) -> Option<String> {
    api::server_clock().note(tr)
}
