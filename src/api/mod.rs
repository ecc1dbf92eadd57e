//! The HTTP client: one function per endpoint, on top of gloo-net.
//!
//! It adds the auth header, applies the timeout and cancellation through an
//! `AbortController`, and hands status + headers + bytes to the core, which decides
//! what they mean. It also keeps what the answers say of the server's clock (their
//! `Date` header, and a fresh refresh's `cachedAt`): the app's "now" is on the
//! server's timeline ([`now`]), because the times it counts to and from are the
//! server's. It lives here, below the services, because the replies are decoded
//! against it (a `Retry-After` date is in server time) as they arrive.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use gloo_net::http::{Headers, Method, RequestBuilder};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestCredentials, RequestMode};

use crate::core::error::{ApiError, ErrorKind};
use crate::core::http::HttpReply;
use crate::core::model::{
    decode_configuration, decode_configuration_page, decode_refresh, Configuration,
    ConfigurationPage, RefreshResult,
};
use crate::core::session::{ListFilter, Session};
use crate::core::time::{Instant, ServerClock};

pub mod auth;

thread_local! {
    /// The server's clock as the latest answers showed it.
    static SERVER_CLOCK: Cell<ServerClock> = const { Cell::new(ServerClock::new()) };
}

/// Now, on the server's timeline: the browser's clock moved by the offset the API's
/// answers showed (none until one did). Every countdown, "… ago", cooldown and
/// retry time in the app is an instant on this timeline.
pub fn now() -> Instant {
    server_clock().now(browser_now())
}

/// The browser's own clock, for measuring how long something took (durations do not
/// care about the offset, and must not jump if it changes meanwhile).
pub fn browser_now() -> Instant {
    Instant::from_millis_f64(js_sys::Date::now())
}

/// What the answers so far showed of the server's clock.
pub fn server_clock() -> ServerClock {
    SERVER_CLOCK.with(Cell::get)
}

/// Takes one sample of the server's clock (see [`ServerClock::observe`]).
fn observe_server_clock(sample: Option<chrono::TimeDelta>) {
    if let Some(sample) = sample {
        SERVER_CLOCK.with(|c| {
            let mut clock = c.get();
            clock.observe(sample);
            c.set(clock);
        });
    }
}

/// Lets the browser run (paint, input) before continuing: splits long work into
/// tasks (a zero-delay timeout, so it also yields to rendering).
pub async fn yield_now() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// How long one slice of stepwise work may run before the browser gets a turn
/// (well under the 50 ms of a "long task", far under the 200 ms budget).
pub const SLICE_MS: i64 = 30;

/// Runs `step` until it returns `true` (done), yielding to the browser whenever
/// the current slice has run [`SLICE_MS`].
pub async fn in_slices(mut step: impl FnMut() -> bool) {
    let mut start = browser_now();
    while !step() {
        if browser_now().since(start).num_milliseconds() >= SLICE_MS {
            yield_now().await;
            start = browser_now();
        }
    }
}

/// Waits `ms` milliseconds (a timeout), letting the browser run meanwhile.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Why a request was aborted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AbortReason {
    Timeout,
    Cancelled,
}

/// A handle that cancels one in-flight request. Cloning shares the request.
#[derive(Clone)]
pub struct Canceller {
    controller: Option<AbortController>,
    reason: Rc<Cell<Option<AbortReason>>>,
}

impl Default for Canceller {
    fn default() -> Self {
        Self::new()
    }
}

impl Canceller {
    /// A fresh handle (its request is not started yet).
    pub fn new() -> Self {
        Self {
            controller: AbortController::new().ok(),
            reason: Rc::new(Cell::new(None)),
        }
    }

    /// Whether [`Canceller::cancel`] was called (a timeout does not count).
    pub fn is_cancelled(&self) -> bool {
        self.reason.get() == Some(AbortReason::Cancelled)
    }

    /// Cancels the request; it then fails with [`ErrorKind::Cancelled`].
    pub fn cancel(&self) {
        self.abort(AbortReason::Cancelled);
    }

    fn abort(&self, reason: AbortReason) {
        if self.reason.get().is_none() {
            self.reason.set(Some(reason));
        }
        if let Some(c) = &self.controller {
            c.abort();
        }
    }
}

/// Headers the core reads; only these are copied out of the response.
const READ_HEADERS: [&str; 8] = [
    "date",
    "x-request-id",
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "x-ratelimit-reset-requests",
    "content-type",
];

/// Sends one request and returns the raw reply, or a transport-level error
/// (network, timeout, cancelled). HTTP error statuses are *not* errors here.
pub async fn send(
    session: &Session,
    method: Method,
    url: &str,
    timeout: Duration,
    canceller: &Canceller,
) -> Result<HttpReply, ApiError> {
    let (name, value) = session.auth.header(&session.key);
    send_raw(method, url, Some((name, value)), None, timeout, canceller).await
}

/// [`send`] with any one credential header (or none) and an optional JSON body.
async fn send_raw(
    method: Method,
    url: &str,
    credential: Option<(&str, String)>,
    json_body: Option<String>,
    timeout: Duration,
    canceller: &Canceller,
) -> Result<HttpReply, ApiError> {
    let network = |detail: String| ApiError::new(ErrorKind::Network).with_detail(detail);
    // The raw headers object, so that a key a header cannot hold is an error here
    // rather than an exception inside gloo-net's builder.
    let raw = web_sys::Headers::new().map_err(|_| network("could not build the request".into()))?;
    if let Some((name, value)) = credential {
        raw.set(name, &value).map_err(|_| {
            ApiError::new(ErrorKind::Rejected)
                .with_detail("the API key has characters a header cannot hold")
        })?;
    }
    let _ = raw.set("Accept", "application/json");
    if json_body.is_some() {
        let _ = raw.set("Content-Type", "application/json");
    }
    let request = RequestBuilder::new(url)
        .method(method)
        .headers(Headers::from_raw(raw))
        .mode(RequestMode::Cors)
        .credentials(RequestCredentials::Omit)
        .abort_signal(canceller.controller.as_ref().map(|c| c.signal()).as_ref());

    let timer = {
        let c = canceller.clone();
        leptos::prelude::set_timeout_with_handle(move || c.abort(AbortReason::Timeout), timeout)
            .ok()
    };
    let result = fetch(request, json_body).await;
    if let Some(t) = timer {
        t.clear();
    }
    match (canceller.reason.get(), result) {
        (Some(AbortReason::Cancelled), _) => Err(ApiError::new(ErrorKind::Cancelled)),
        (Some(AbortReason::Timeout), _) => Err(ApiError::new(ErrorKind::Timeout)
            .with_detail(format!("timeout {} s", timeout.as_secs()))),
        (None, Ok(reply)) => Ok(reply),
        (None, Err(e)) => Err(network(gloo_error_text(&e))),
    }
}

async fn fetch(
    request: RequestBuilder,
    json_body: Option<String>,
) -> Result<HttpReply, gloo_net::Error> {
    let request = match json_body {
        Some(b) => request.body(b)?,
        None => request.build()?,
    };
    let resp = request.send().await?;
    // The headers are in: the moment the server's `Date` is compared with.
    let received = browser_now();
    let headers = resp.headers();
    observe_server_clock(ServerClock::date_sample(
        headers.get("date").as_deref(),
        received,
    ));
    let kept = READ_HEADERS
        .iter()
        .filter_map(|h| headers.get(h).map(|v| ((*h).to_owned(), v)))
        .collect();
    Ok(HttpReply {
        status: resp.status(),
        headers: kept,
        body: resp.binary().await?,
    })
}

/// What a failed fetch said, for people ("Failed to fetch", "NetworkError…").
fn gloo_error_text(e: &gloo_net::Error) -> String {
    match e {
        gloo_net::Error::JsError(js) => js.message.clone(),
        other => other.to_string(),
    }
}

/// The message of a thrown JS value (an `Error`'s message, or a thrown string),
/// else `fallback`.
pub fn js_error_text(e: &JsValue, fallback: &str) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|err| String::from(err.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| fallback.to_owned())
}

/// `GET /v1/personal-connectors/configurations?limit&after&personalConnectorId&healthStatus`.
pub async fn list_configurations(
    session: &Session,
    limit: usize,
    after: Option<&str>,
    filter: &ListFilter,
    c: &Canceller,
) -> Result<ConfigurationPage, ApiError> {
    let reply = send(
        session,
        Method::GET,
        &session.filtered_list_url(limit, after, filter),
        session.timeout(),
        c,
    )
    .await?;
    decode_configuration_page(&reply, limit, now())
}

/// `GET /v1/personal-connectors/configurations/{id}`.
pub async fn get_configuration(
    session: &Session,
    id: &str,
    c: &Canceller,
) -> Result<Configuration, ApiError> {
    let reply = send(
        session,
        Method::GET,
        &session.configuration_url(id),
        session.timeout(),
        c,
    )
    .await?;
    decode_configuration(&reply, now())
}

/// Tool-definition bodies larger than this are not compared field by field: decoding
/// them would freeze the page (the name-only diff from the refresh answer remains).
pub const MAX_TOOLS_BODY: usize = 4 * 1024 * 1024;

/// `GET /v1/personal-connectors/configurations/{id}/tools`, the reply as received:
/// the page decodes it a slice of tools at a time (`app::insight::fetch_tools`).
pub async fn get_tools_reply(
    session: &Session,
    id: &str,
    c: &Canceller,
) -> Result<HttpReply, ApiError> {
    send(
        session,
        Method::GET,
        &session.tools_url(id),
        session.timeout(),
        c,
    )
    .await
}

/// `POST /v1/personal-connectors/configurations/{id}/refresh`.
pub async fn refresh(
    session: &Session,
    id: &str,
    c: &Canceller,
) -> Result<RefreshResult, ApiError> {
    let reply = send(
        session,
        Method::POST,
        &session.refresh_url(id),
        session.timeout(),
        c,
    )
    .await?;
    let received = browser_now();
    let result = decode_refresh(&reply, now())?;
    // A fresh refresh's `cachedAt` is the server's "now": the sample to go by when
    // the answer had no usable `Date` (a cross-origin API that does not expose it).
    // With one, the `Date` was taken already and is the better witness (the
    // server's own time of answering, by definition).
    if ServerClock::date_sample(reply.header("date"), received).is_none() {
        observe_server_clock(
            result
                .cached_at
                .and_then(|t| ServerClock::stamp_sample(t, received)),
        );
    }
    Ok(result)
}
