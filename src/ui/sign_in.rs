//! The sign-in screens: email or username + password first, then the mailed 4-digit
//! code; "Use an API key instead" switches to the API-key form. Both end in the same
//! signed-in state (`Auth`). The email and password stay in this component only
//! while the code is pending ("Send a new code" logs in again with them) and are
//! cleared once signed in or on "Use a different account".

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::app::auth::Auth;
use crate::app::i18n::I18n;
use crate::core::error::ApiError;
use crate::core::i18n::{Tr, K};
use crate::core::session::{AuthHeader, Session, SettingsError};
use crate::core::signin::{self, CodeSent, LoginNext};

use super::clock::Clock;
use super::Settings;

/// What went wrong on a form: kept as data and worded when shown, so a language
/// switch re-words it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    /// A form check's message.
    Check(K),
    /// A setting that cannot be accepted.
    Settings(SettingsError),
    /// The login call failed.
    Login(ApiError),
    /// The verify call failed.
    Code(ApiError),
}

impl Problem {
    fn message(&self, tr: &Tr) -> String {
        match self {
            Problem::Check(k) => tr.t(*k),
            Problem::Settings(e) => e.message(tr),
            Problem::Login(e) => signin::login_failure(tr, e),
            Problem::Code(e) => signin::code_failure(tr, e),
        }
    }
}

/// Which screen is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Mode {
    Email,
    Code(CodeSent),
    Key,
}

/// The settings both ways share (base URL, organization, remember, advanced).
#[derive(Clone, Copy)]
struct Shared {
    base_url: RwSignal<String>,
    org: RwSignal<String>,
    remember: RwSignal<bool>,
    timeout: RwSignal<String>,
    cooldown: RwSignal<String>,
}

impl Shared {
    /// The connection settings of an email sign-in, validated.
    fn session(&self, default_base: &str) -> Result<Session, SettingsError> {
        Session::without_key(
            &self.base_url.get_untracked(),
            default_base,
            &self.org.get_untracked(),
        )
        .and_then(|s| s.with_timeout(&self.timeout.get_untracked()))
        .and_then(|s| s.with_cooldown(&self.cooldown.get_untracked()))
    }
}

/// The sign-in screens (standalone page).
#[component]
pub fn SignIn() -> impl IntoView {
    let auth = Auth::get();
    let settings = use_context::<Settings>().unwrap_or_default();
    let default_base = StoredValue::new(settings.default_base_url.clone());
    let shared = Shared {
        base_url: RwSignal::new(settings.default_base_url.clone()),
        org: RwSignal::new(String::new()),
        remember: RwSignal::new(false),
        timeout: RwSignal::new(String::new()),
        cooldown: RwSignal::new(String::new()),
    };
    let mode = RwSignal::new(Mode::Email);
    let who = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<Problem>);
    let busy = RwSignal::new(false);
    // The settings the pending code belongs to.
    let pending = StoredValue::new(None::<Session>);
    let canceller = StoredValue::new_local(Canceller::new());
    on_cleanup(move || canceller.with_value(Canceller::cancel));

    let forget_credentials = move || {
        who.set(String::new());
        password.set(String::new());
        code.set(String::new());
    };

    // Login (first time, and "Send a new code").
    let log_in = move || {
        if busy.get_untracked() {
            return;
        }
        let (name, pw) = (who.get_untracked(), password.get_untracked());
        if let Err(k) = signin::check_login(&name, &pw) {
            problem.set(Some(Problem::Check(k)));
            return;
        }
        let session = match shared.session(&default_base.get_value()) {
            Ok(s) => s,
            Err(e) => {
                problem.set(Some(Problem::Settings(e)));
                return;
            }
        };
        problem.set(None);
        busy.set(true);
        let c = Canceller::new();
        canceller.set_value(c.clone());
        spawn_local(async move {
            let result = api::auth::login(&session, &name, &pw, &c).await;
            if c.is_cancelled() {
                return;
            }
            busy.set(false);
            match result {
                Ok(LoginNext::Code(sent)) => {
                    pending.set_value(Some(session));
                    code.set(String::new());
                    mode.set(Mode::Code(sent));
                }
                Ok(LoginNext::SignedIn(grant)) => {
                    forget_credentials();
                    auth.sign_in_with_tokens(session, grant, shared.remember.get_untracked());
                }
                Err(e) => problem.set(Some(Problem::Login(e))),
            }
        });
    };

    let verify = move || {
        if busy.get_untracked() {
            return;
        }
        let Mode::Code(sent) = mode.get_untracked() else {
            return;
        };
        let number = match signin::parse_code(&code.get_untracked()) {
            Ok(n) => n,
            Err(k) => {
                problem.set(Some(Problem::Check(k)));
                return;
            }
        };
        let Some(session) = pending.get_value() else {
            return;
        };
        problem.set(None);
        busy.set(true);
        let c = Canceller::new();
        canceller.set_value(c.clone());
        spawn_local(async move {
            let result = api::auth::verify(&session, &sent.email_key, number, &c).await;
            if c.is_cancelled() {
                return;
            }
            busy.set(false);
            match result {
                Ok(grant) => {
                    forget_credentials();
                    pending.set_value(None);
                    auth.sign_in_with_tokens(session, grant, shared.remember.get_untracked());
                }
                Err(e) => {
                    code.set(String::new());
                    problem.set(Some(Problem::Code(e)));
                }
            }
        });
    };

    let switch = move |to: Mode| {
        canceller.with_value(Canceller::cancel);
        busy.set(false);
        problem.set(None);
        if to == Mode::Email || to == Mode::Key {
            forget_credentials();
            pending.set_value(None);
        }
        mode.set(to);
    };

    view! {
        {move || match mode.get() {
            Mode::Email => email_form(auth, shared, who, password, problem, busy, log_in, switch).into_any(),
            Mode::Code(sent) => code_form(sent, code, problem, busy, verify, log_in, switch).into_any(),
            Mode::Key => key_form(shared, default_base.get_value(), move || switch(Mode::Email)).into_any(),
        }}
    }
}

fn notice(auth: Auth) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        auth.notice.get().map(|n| {
            let text = move || i18n.with(|tr| n.message(tr));
            view! { <p class="error" role="alert">{text}</p> }
        })
    }
}

fn problem_view(problem: RwSignal<Option<Problem>>) -> impl IntoView {
    let i18n = I18n::get();
    move || {
        problem.get().map(|p| {
            let text = move || i18n.with(|tr| p.message(tr));
            view! { <p class="error" role="alert">{text}</p> }
        })
    }
}

fn remember_box(shared: Shared) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <label class="inline">
            <input type="checkbox" prop:checked=move || shared.remember.get()
                on:change=move |ev| shared.remember.set(event_target_checked(&ev))/>
            {i18n.text(K::SigninRemember)}
        </label>
    }
}

/// Timeout and cooldown, and (for the email form) the base URL and organization.
fn advanced(shared: Shared, with_connection: bool) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <details class="advanced">
            <summary>{i18n.text(K::SigninAdvanced)}</summary>
            {with_connection.then(|| view! {
                <label for="base-url">{i18n.text(K::SigninBaseUrl)}</label>
                <input id="base-url" type="url" autocomplete="url" prop:value=move || shared.base_url.get()
                    on:input=move |ev| shared.base_url.set(event_target_value(&ev))/>
                <label for="org-id">{i18n.text(K::SigninOrganization)}</label>
                <input id="org-id" type="text" prop:value=move || shared.org.get()
                    on:input=move |ev| shared.org.set(event_target_value(&ev))/>
            })}
            <label for="timeout">{i18n.text(K::SigninTimeout)}</label>
            <input id="timeout" type="text" inputmode="numeric" prop:value=move || shared.timeout.get()
                on:input=move |ev| shared.timeout.set(event_target_value(&ev))/>
            <label for="cooldown">{i18n.text(K::SigninCooldown)}</label>
            <input id="cooldown" type="text" inputmode="numeric" prop:value=move || shared.cooldown.get()
                on:input=move |ev| shared.cooldown.set(event_target_value(&ev))/>
        </details>
    }
}

#[allow(clippy::too_many_arguments)]
fn email_form(
    auth: Auth,
    shared: Shared,
    who: RwSignal<String>,
    password: RwSignal<String>,
    problem: RwSignal<Option<Problem>>,
    busy: RwSignal<bool>,
    log_in: impl Fn() + Copy + 'static,
    switch: impl Fn(Mode) + Copy + 'static,
) -> impl IntoView {
    let i18n = I18n::get();
    view! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{i18n.text(K::SigninTitle)}</h1>
            <p class="hint">{i18n.text(K::SigninEmailHint)}</p>
            {notice(auth)}
            <form novalidate=true on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); log_in(); }>
                <label for="email-or-username">{i18n.text(K::SigninEmailOrUsername)}</label>
                <input id="email-or-username" type="text" autocomplete="username" required=true
                    prop:value=move || who.get() on:input=move |ev| who.set(event_target_value(&ev))/>
                <label for="password">{i18n.text(K::SigninPassword)}</label>
                <input id="password" type="password" autocomplete="current-password" required=true
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                {remember_box(shared)}
                {advanced(shared, true)}
                {problem_view(problem)}
                <button type="submit" disabled=move || busy.get()>{i18n.text(K::SigninContinue)}</button>
                <Show when=move || busy.get()>
                    <span class="progress" role="status">" "{i18n.text(K::SigninSendingCode)}</span>
                </Show>
            </form>
            <p class="switch">
                <button type="button" class="secondary" on:click=move |_| switch(Mode::Key)>{i18n.text(K::SigninUseKey)}</button>
            </p>
        </section>
    }
}

fn code_form(
    sent: CodeSent,
    code: RwSignal<String>,
    problem: RwSignal<Option<Problem>>,
    busy: RwSignal<bool>,
    verify: impl Fn() + Copy + 'static,
    log_in: impl Fn() + Copy + 'static,
    switch: impl Fn(Mode) + Copy + 'static,
) -> impl IntoView {
    let now = Clock::get();
    let i18n = I18n::get();
    let input = NodeRef::<html::Input>::new();
    // Focus the code field when the screen opens.
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });
    let sent_at = sent.sent_at;
    let masked = sent.masked_email.clone();
    let prompt = move || i18n.with(|tr| signin::code_prompt(tr, masked.as_deref()));
    view! {
        <section class="card sign-in" aria-labelledby="code-title">
            <h1 id="code-title">{prompt}</h1>
            <p class="hint" id="code-validity">{move || i18n.with(|tr| signin::code_validity_text(tr, sent_at, now.get()))}</p>
            <form novalidate=true on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); verify(); }>
                <label for="one-time-code">{i18n.text(K::SigninCodeLabel)}</label>
                <input id="one-time-code" node_ref=input type="text" inputmode="numeric"
                    autocomplete="one-time-code" pattern="[0-9]*" maxlength="4" required=true
                    aria-describedby="code-validity"
                    prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
                {problem_view(problem)}
                <button type="submit" disabled=move || busy.get()>{i18n.text(K::SigninVerify)}</button>
                <Show when=move || busy.get()>
                    <span class="progress" role="status">" "{i18n.text(K::SigninChecking)}</span>
                </Show>
            </form>
            <p class="switch">
                <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| log_in()>{i18n.text(K::SigninSendNewCode)}</button>
                " "
                <button type="button" class="secondary" on:click=move |_| switch(Mode::Email)>{i18n.text(K::SigninDifferentAccount)}</button>
            </p>
        </section>
    }
}

/// The API-key form: base URL, key, how to send it, organization, remember.
fn key_form(
    shared: Shared,
    default_base: String,
    back: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let auth = Auth::get();
    let i18n = I18n::get();
    let key = RwSignal::new(String::new());
    let header = RwSignal::new(AuthHeader::Bearer);
    let problem = RwSignal::new(None::<Problem>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Session::new(
            &shared.base_url.get(),
            &default_base,
            &key.get(),
            header.get(),
            &shared.org.get(),
        )
        .and_then(|s| s.with_timeout(&shared.timeout.get()))
        .and_then(|s| s.with_cooldown(&shared.cooldown.get()))
        {
            Ok(s) => {
                key.set(String::new());
                auth.sign_in(s, shared.remember.get());
            }
            Err(e) => problem.set(Some(Problem::Settings(e))),
        }
    };

    view! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{i18n.text(K::SigninTitle)}</h1>
            <p class="hint">{i18n.text(K::SigninKeyHint)}</p>
            {notice(auth)}
            <form on:submit=submit novalidate=true>
                <label for="base-url">{i18n.text(K::SigninBaseUrl)}</label>
                <input id="base-url" type="url" autocomplete="url" prop:value=move || shared.base_url.get()
                    on:input=move |ev| shared.base_url.set(event_target_value(&ev))/>
                <label for="api-key">{i18n.text(K::SigninApiKey)}</label>
                <input id="api-key" type="password" autocomplete="current-password" required=true
                    placeholder="ak_…" prop:value=move || key.get()
                    on:input=move |ev| key.set(event_target_value(&ev))/>
                <fieldset>
                    <legend>{i18n.text(K::SigninSendKeyAs)}</legend>
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
                <label for="org-id">{i18n.text(K::SigninOrganization)}</label>
                <input id="org-id" type="text" prop:value=move || shared.org.get()
                    on:input=move |ev| shared.org.set(event_target_value(&ev))/>
                {advanced(shared, false)}
                {remember_box(shared)}
                {problem_view(problem)}
                <button type="submit">{i18n.text(K::SigninTitle)}</button>
            </form>
            <p class="switch">
                <button type="button" class="secondary" on:click=move |_| back()>{i18n.text(K::SigninUseEmail)}</button>
            </p>
        </section>
    }
}
