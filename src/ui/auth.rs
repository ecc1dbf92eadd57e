//! Who is signed in: the session signal, the opt-in sessionStorage copy, and the
//! sign-in form.
//!
//! The key lives in memory. Only when the user ticks "remember in this tab" is the
//! session written to sessionStorage (never localStorage, never a URL, never the
//! console). Signing out, or any 401, clears both.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::error::{ApiError, ErrorKind};
use crate::core::session::{AuthHeader, Session};

use super::events::Events;
use super::Settings;

const STORAGE_KEY: &str = "connector-refresh.session";

/// The sign-in state, shared through context.
#[derive(Clone, Copy)]
pub struct Auth {
    /// The current session; `None` shows the sign-in form.
    pub session: RwSignal<Option<Session>>,
    /// Why the user was signed out (shown on the form), e.g. the server's 401 message.
    pub notice: RwSignal<Option<String>>,
    /// An embedding page's async `getToken()`, called before each request.
    token_fn: StoredValue<Option<js_sys::Function>, LocalStorage>,
    /// Whether the session may be copied to sessionStorage (standalone page only).
    persist: bool,
    /// Where the signed-out event goes.
    events: Events,
}

impl Auth {
    /// Creates the state (restoring an opted-in session from sessionStorage) and provides it.
    pub fn provide() -> Self {
        let auth = Auth {
            session: RwSignal::new(load_session()),
            notice: RwSignal::new(None),
            token_fn: StoredValue::new_local(None),
            persist: true,
            events: Events::get(),
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
            token_fn: StoredValue::new_local(token_fn),
            persist: false,
            events: Events::get(),
        };
        provide_context(auth);
        auth
    }

    /// The session to use for the next request: with an embedding page's
    /// `getToken`, its freshly awaited token replaces the stored one.
    pub async fn fresh_session(&self) -> Result<Session, ApiError> {
        // `try_`: an async task may still ask after its widget was unmounted (the
        // signal disposed); that is "not signed in", never a panic.
        let Some(mut session) = self.session.try_get_untracked().flatten() else {
            return Err(ApiError::new(ErrorKind::Unauthorized).with_message("not signed in"));
        };
        if let Some(f) = self.token_fn.try_get_value().flatten() {
            session.key = call_get_token(&f).await?;
        }
        Ok(session)
    }

    /// [`Auth::fresh_session`] only when `wanted` (so no token is fetched for nothing).
    pub async fn fresh_session_if(&self, wanted: bool) -> Option<Result<Session, ApiError>> {
        if wanted {
            Some(self.fresh_session().await)
        } else {
            None
        }
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

    /// Signs in; keeps a copy in sessionStorage only if `remember`.
    pub fn sign_in(&self, session: Session, remember: bool) {
        clear_storage();
        if remember && self.persist {
            if let (Some(storage), Ok(json)) = (session_storage(), serde_json::to_string(&session))
            {
                let _ = storage.set_item(STORAGE_KEY, &json);
            }
        }
        self.notice.set(None);
        self.session.set(Some(session));
    }

    /// Forgets the key everywhere; `reason` is shown on the sign-in form.
    pub fn sign_out(&self, reason: Option<String>) {
        if self.persist {
            clear_storage();
        }
        self.events.signed_out(reason.as_deref());
        self.notice.set(reason);
        self.session.set(None);
    }

    /// Signs out on a 401; returns whether it did.
    pub fn handle(&self, err: &ApiError) -> bool {
        if err.kind == ErrorKind::Unauthorized {
            self.sign_out(Some(err.user_message()));
            true
        } else {
            false
        }
    }
}

/// Calls the host's `getToken()` and awaits it; it must resolve to a non-empty string.
async fn call_get_token(f: &js_sys::Function) -> Result<String, ApiError> {
    let fail = |m: String| ApiError::new(ErrorKind::NoToken).with_message(m);
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

fn load_session() -> Option<Session> {
    let json = session_storage()?.get_item(STORAGE_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

fn clear_storage() {
    if let Some(s) = session_storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// The sign-in form: base URL, key, how to send it, organization, remember.
#[component]
pub fn SignIn() -> impl IntoView {
    let auth = Auth::get();
    let settings = use_context::<Settings>().unwrap_or_default();
    let default_base = settings.default_base_url.clone();
    let base_url = RwSignal::new(default_base.clone());
    let key = RwSignal::new(String::new());
    let header = RwSignal::new(AuthHeader::Bearer);
    let org = RwSignal::new(String::new());
    let remember = RwSignal::new(false);
    let timeout = RwSignal::new(String::new());
    let cooldown = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Session::new(
            &base_url.get(),
            &default_base,
            &key.get(),
            header.get(),
            &org.get(),
        )
        .and_then(|s| s.with_timeout(&timeout.get()))
        .and_then(|s| s.with_cooldown(&cooldown.get()))
        {
            Ok(s) => {
                key.set(String::new());
                auth.sign_in(s, remember.get());
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };

    view! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            <p class="hint">"Use a Freddy API key. It stays in this page's memory and is sent only to the API base URL."</p>
            {move || auth.notice.get().map(|n| view! { <p class="error" role="alert">{n}</p> })}
            <form on:submit=submit novalidate=true>
                <label for="base-url">"API base URL"</label>
                <input id="base-url" type="url" autocomplete="url" prop:value=move || base_url.get()
                    on:input=move |ev| base_url.set(event_target_value(&ev))/>
                <label for="api-key">"API key"</label>
                <input id="api-key" type="password" autocomplete="current-password" required=true
                    placeholder="ak_…" prop:value=move || key.get()
                    on:input=move |ev| key.set(event_target_value(&ev))/>
                <fieldset>
                    <legend>"Send the key as"</legend>
                    <label class="inline">
                        <input type="radio" name="auth-header" prop:checked=move || header.get() == AuthHeader::Bearer
                            on:change=move |_| header.set(AuthHeader::Bearer)/>
                        "Authorization: Bearer"
                    </label>
                    <label class="inline">
                        <input type="radio" name="auth-header" prop:checked=move || header.get() == AuthHeader::XApiKey
                            on:change=move |_| header.set(AuthHeader::XApiKey)/>
                        "X-API-Key"
                    </label>
                </fieldset>
                <label for="org-id">"Organization id (optional)"</label>
                <input id="org-id" type="text" prop:value=move || org.get()
                    on:input=move |ev| org.set(event_target_value(&ev))/>
                <details class="advanced">
                    <summary>"Advanced settings"</summary>
                    <label for="timeout">"Request timeout in seconds (default 30)"</label>
                    <input id="timeout" type="text" inputmode="numeric" prop:value=move || timeout.get()
                        on:input=move |ev| timeout.set(event_target_value(&ev))/>
                    <label for="cooldown">"Cooldown after a refresh in seconds (default 30)"</label>
                    <input id="cooldown" type="text" inputmode="numeric" prop:value=move || cooldown.get()
                        on:input=move |ev| cooldown.set(event_target_value(&ev))/>
                </details>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || remember.get()
                        on:change=move |ev| remember.set(event_target_checked(&ev))/>
                    "Remember in this tab"
                </label>
                {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
                <button type="submit">"Sign in"</button>
            </form>
        </section>
    }
}
