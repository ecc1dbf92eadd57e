//! Who is signed in: the session signal, the tokens of an email sign-in and their
//! renewal, the opt-in sessionStorage copy. (The sign-in screens are `ui::sign_in`.)
//!
//! An API key, or an email sign-in's tokens, live in memory. Only when the user ticks
//! "Remember in this tab" is the session written to sessionStorage: for a key the
//! session with its key, for an email sign-in the session with its *refresh* token
//! only (never the access token). Never localStorage, never a URL, never the
//! console. Signing out, or any 401, clears both.
//!
//! An email sign-in's access token is renewed before each request that finds it
//! close to expiry, and once after a 401 `TOKEN_EXPIRED` (then the call is retried
//! once): the rules, including single-flight, are `core::token`'s; this module runs
//! the renewal call and wakes the callers waiting for it.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures_channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api;
use crate::core::error::{ApiError, ErrorKind};
use crate::core::session::Session;
use crate::core::token::{self, Grant, Lifecycle, SignedOut, Step};

use super::events::Events;
use super::i18n::I18n;

const STORAGE_KEY: &str = "connector-refresh.session";
/// The field of the stored session that holds an email sign-in's refresh token.
const REFRESH_FIELD: &str = "refresh_token";

/// Wakes a caller waiting for the renewal in flight with its outcome.
type Waiter = oneshot::Sender<Result<String, ApiError>>;
/// One email sign-in's tokens (shared by the requests that use them).
type Tokens = Rc<RefCell<Lifecycle<Waiter>>>;

/// The sign-in state, shared through context.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The current session; `None` shows the sign-in form. For an email sign-in its
    /// `key` is empty: the access token is added per request.
    pub session: RwSignal<Option<Session>>,
    /// Why the user was signed out (shown on the form, worded in the language on
    /// screen), e.g. the server's 401.
    pub notice: RwSignal<Option<SignedOut>>,
    /// Signed out because the session ended (renewal refused): the page keeps what it
    /// showed, beside the sign-in form, until the user leaves it.
    pub lapsed: RwSignal<bool>,
    /// An embedding page's async `getToken()`, called before each request.
    token_fn: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// An email sign-in's tokens (`None` for an API key or a host token).
    tokens: StoredValue<Option<Tokens>, LocalStorage>,
    /// Whether the user ticked "Remember in this tab".
    remember: StoredValue<bool>,
    /// Whether the session may be copied to sessionStorage (standalone page only).
    persist: bool,
    /// Where the signed-out event goes.
    events: Events,
    /// The language the signed-out event's reason is worded in.
    i18n: I18n,
}

impl Auth {
    /// Creates the state (restoring an opted-in session from sessionStorage) and provides it.
    pub fn provide() -> Self {
        let (session, tokens) = match load_session() {
            Some((s, t)) => (Some(s), t),
            None => (None, None),
        };
        let remembered = session.is_some();
        let auth = Auth {
            session: RwSignal::new(session),
            notice: RwSignal::new(None),
            lapsed: RwSignal::new(false),
            token_fn: StoredValue::new_local(None),
            tokens: StoredValue::new_local(tokens),
            remember: StoredValue::new(remembered),
            persist: true,
            events: Events::get(),
            i18n: I18n::get(),
        };
        provide_context(auth);
        auth
    }

    /// State for an embedded widget: the session comes from the host page (a token
    /// and/or a `getToken` function); nothing is ever stored.
    pub fn provide_embedded(session: Option<Session>, token_fn: Option<js_sys::Function>) -> Self {
        let auth = Auth {
            session: RwSignal::new(session),
            notice: RwSignal::new(None),
            lapsed: RwSignal::new(false),
            token_fn: StoredValue::new_local(token_fn),
            tokens: StoredValue::new_local(None),
            remember: StoredValue::new(false),
            persist: false,
            events: Events::get(),
            i18n: I18n::get(),
        };
        provide_context(auth);
        auth
    }

    fn current_tokens(&self) -> Option<Tokens> {
        self.tokens.try_get_value().flatten()
    }

    /// The session to use for the next request: with an embedding page's
    /// `getToken`, its freshly awaited token replaces the stored one; with an email
    /// sign-in, the access token (renewed first when it is about to expire, or
    /// after waiting for the renewal in flight).
    pub async fn fresh_session(&self) -> Result<Session, ApiError> {
        // `try_`: an async task may still ask after its widget was unmounted (the
        // signal disposed); that is "not signed in", never a panic.
        let Some(mut session) = self.session.try_get_untracked().flatten() else {
            return Err(ApiError::new(ErrorKind::Unauthorized).with_detail("not signed in"));
        };
        if let Some(f) = self.token_fn.try_get_value().flatten() {
            session.key = call_get_token(&f).await?;
        } else if let Some(tokens) = self.current_tokens() {
            session.key = self.access_token(&tokens, &session, None).await?;
        }
        Ok(session)
    }

    /// Runs one API call with `session` (from [`Auth::fresh_session`]); if it answers
    /// 401 `TOKEN_EXPIRED` and this is an email sign-in, renews (shared with any
    /// other caller) and runs it once more. The one place calls are retried.
    pub async fn retry_once<T, F, Fut>(&self, session: Session, call: F) -> Result<T, ApiError>
    where
        F: Fn(Session) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let used = session.key.clone();
        let first = call(session.clone()).await;
        match (first, self.current_tokens()) {
            (Err(e), Some(tokens)) if token::should_retry(&e, 0) => {
                let key = self.access_token(&tokens, &session, Some(&used)).await?;
                call(Session { key, ..session }).await
            }
            (result, _) => result,
        }
    }

    /// The access token to send now, per the lifecycle's [`Step`]; `rejected` is
    /// the token a call just saw refused as expired.
    async fn access_token(
        &self,
        tokens: &Tokens,
        session: &Session,
        rejected: Option<&str>,
    ) -> Result<String, ApiError> {
        let (tx, rx) = oneshot::channel();
        let step = {
            let mut life = tokens.borrow_mut();
            match rejected {
                Some(used) => life.rejected(used, api::now(), move || tx),
                None => life.before_request(api::now(), move || tx),
            }
        };
        match step {
            Step::Send(token) => Ok(token),
            Step::Wait => rx
                .await
                .unwrap_or_else(|_| Err(ApiError::new(ErrorKind::Cancelled))),
            Step::Renew(refresh) => self.renew(tokens, session, &refresh).await,
            Step::SignIn => {
                // Nothing to renew with: signed out with that reason (so the 401
                // below finds the session gone and says nothing more).
                self.lapse(SignedOut::Over);
                Err(ApiError::new(ErrorKind::Unauthorized))
            }
        }
    }

    /// Runs the one renewal (`POST /v1/auth/refresh`), wakes everyone who waited for
    /// it, keeps the rotated refresh token (in the tab's storage if remembered), and
    /// signs out with the reason if the server refused.
    async fn renew(
        &self,
        tokens: &Tokens,
        session: &Session,
        refresh: &str,
    ) -> Result<String, ApiError> {
        let result = api::auth::renew(session, refresh).await;
        let settled = tokens.borrow_mut().renewed(result, api::now());
        for waiter in settled.waiters {
            let _ = waiter.send(settled.outcome.clone());
        }
        // Only if this is still the session that asked (not signed out or in since).
        let still_current = self
            .current_tokens()
            .is_some_and(|t| Rc::ptr_eq(&t, tokens));
        if still_current {
            match settled.ended {
                Some(reason) => self.lapse(reason),
                None => self.store(settled.refresh.as_deref()),
            }
        }
        settled.outcome
    }

    /// Replaces the token (the embedding handle's `setToken`), signing back in if needed.
    pub fn set_token(&self, token: String, template: Option<Session>) {
        self.notice.set(None);
        self.session.update(|s| match s {
            Some(s) => s.key = token,
            None => *s = template.map(|t| Session { key: token, ..t }),
        });
    }

    /// The state provided by an ancestor.
    pub fn get() -> Self {
        use_context::<Auth>().unwrap_or_else(Auth::provide)
    }

    /// Signs in with an API key; keeps a copy in sessionStorage only if `remember`.
    pub fn sign_in(&self, session: Session, remember: bool) {
        self.tokens.set_value(None);
        self.begin(session, remember, None);
    }

    /// Signs in with an email sign-in's tokens; keeps the session and the refresh
    /// token (never the access token) in sessionStorage only if `remember`.
    pub fn sign_in_with_tokens(&self, session: Session, grant: Grant, remember: bool) {
        let refresh = grant.refresh.clone();
        self.tokens
            .set_value(Some(Rc::new(RefCell::new(Lifecycle::new(grant)))));
        let session = Session {
            key: String::new(),
            ..session
        };
        self.begin(session, remember, Some(refresh));
    }

    fn begin(&self, session: Session, remember: bool, refresh: Option<Option<String>>) {
        clear_storage();
        self.remember.set_value(remember && self.persist);
        self.notice.set(None);
        self.lapsed.set(false);
        self.session.set(Some(session));
        match refresh {
            Some(r) => self.store(r.as_deref()),
            None => self.store(None),
        }
    }

    /// Writes the opted-in copy: the session, plus the refresh token of an email
    /// sign-in (whose session carries no key).
    fn store(&self, refresh: Option<&str>) {
        if !self.persist || !self.remember.get_value() {
            return;
        }
        let Some(session) = self.session.try_get_untracked().flatten() else {
            return;
        };
        let Ok(serde_json::Value::Object(mut map)) = serde_json::to_value(&session) else {
            return;
        };
        if self.current_tokens().is_some() {
            let Some(r) = refresh else {
                // Nothing that could restore this session: keep nothing.
                clear_storage();
                return;
            };
            map.insert("key".into(), serde_json::Value::String(String::new()));
            map.insert(
                REFRESH_FIELD.into(),
                serde_json::Value::String(r.to_owned()),
            );
        }
        if let Some(storage) = session_storage() {
            let json = serde_json::Value::Object(map).to_string();
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
    }

    /// Forgets the key or tokens everywhere; `reason` is shown on the sign-in form.
    pub fn sign_out(&self, reason: Option<SignedOut>) {
        if self.persist {
            clear_storage();
        }
        self.tokens.set_value(None);
        self.remember.set_value(false);
        let worded = reason
            .as_ref()
            .map(|r| self.i18n.with_untracked(|tr| r.message(tr)));
        self.events.signed_out(worded.as_deref());
        self.notice.set(reason);
        self.lapsed.set(false);
        self.session.set(None);
    }

    /// Signs out because the session ended, keeping the page on screen until the
    /// user leaves it (standalone page).
    fn lapse(&self, reason: SignedOut) {
        self.sign_out(Some(reason));
        if self.persist {
            self.lapsed.set(true);
        }
    }

    /// The "Sign out" button: an email sign-in also tells the server
    /// (`POST /v1/auth/logout`); a failure there still signs out here.
    pub fn sign_out_by_user(&self) {
        if let (Some(session), Some(tokens)) = (self.session.get_untracked(), self.current_tokens())
        {
            let (access, refresh) = {
                let life = tokens.borrow();
                (
                    life.access_token().map(str::to_owned),
                    life.refresh_token().map(str::to_owned),
                )
            };
            spawn_local(async move {
                api::auth::logout(&session, access.as_deref(), refresh.as_deref()).await;
            });
        }
        self.sign_out(None);
    }

    /// Signs out on a 401; returns whether it did (or already had: a refused
    /// renewal signs out before the callers hear of it).
    pub fn handle(&self, err: &ApiError) -> bool {
        if err.kind != ErrorKind::Unauthorized {
            return false;
        }
        if self.session.with_untracked(Option::is_none) {
            return true;
        }
        if self.current_tokens().is_some() {
            self.lapse(SignedOut::AccessRefused(err.clone()));
        } else {
            self.sign_out(Some(SignedOut::Refused(err.clone())));
        }
        true
    }
}

/// Calls the host's `getToken()` and awaits it; it must resolve to a non-empty string.
async fn call_get_token(f: &js_sys::Function) -> Result<String, ApiError> {
    let fail = |m: String| ApiError::new(ErrorKind::NoToken).with_detail(m);
    let value = f
        .call0(&wasm_bindgen::JsValue::NULL)
        .map_err(|e| fail(crate::api::js_error_text(&e, "getToken() failed")))?;
    let value = if value.has_type::<js_sys::Promise>() {
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(value))
            .await
            .map_err(|e| fail(crate::api::js_error_text(&e, "getToken() failed")))?
    } else {
        value
    };
    match value.as_string() {
        Some(t) if !t.trim().is_empty() => Ok(t.trim().to_owned()),
        _ => Err(fail("getToken() did not return a token string".to_owned())),
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The opted-in copy: a key session, or an email sign-in's session and refresh
/// token (its first request then renews).
fn load_session() -> Option<(Session, Option<Tokens>)> {
    let json = session_storage()?.get_item(STORAGE_KEY).ok()??;
    let mut value: serde_json::Value = serde_json::from_str(&json).ok()?;
    let refresh = value
        .as_object_mut()
        .and_then(|m| m.remove(REFRESH_FIELD))
        .and_then(|r| r.as_str().map(str::to_owned))
        .filter(|r| !r.is_empty());
    let session: Session = serde_json::from_value(value).ok()?;
    let tokens = refresh.map(|r| Rc::new(RefCell::new(Lifecycle::restored(r, api::now()))));
    Some((session, tokens))
}

fn clear_storage() {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}
