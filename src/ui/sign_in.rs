//! The sign-in screens: email or username + password first, then the mailed 4-digit
//! code; "Use an API key instead" switches to the API-key form. What they do is
//! `app::sign_in`'s; these render its state.

use leptos::html;
use leptos::prelude::*;

use crate::app::auth::Auth;
use crate::app::i18n::I18n;
use crate::app::sign_in::{Mode, Problem, Shared, SignInFlow};
use crate::core::i18n::K;
use crate::core::session::AuthHeader;
use crate::core::signin::{self, CodeSent};

use super::clock::Clock;
use super::Settings;

/// The sign-in screens (standalone page).
#[component]
pub fn SignIn() -> impl IntoView {
    let auth = Auth::get();
    let settings = use_context::<Settings>().unwrap_or_default();
    let flow = SignInFlow::new(settings.default_base_url);
    view! {
        {move || match flow.mode.get() {
            Mode::Email => email_form(auth, flow).into_any(),
            Mode::Code(sent) => code_form(sent, flow).into_any(),
            Mode::Key => key_form(flow).into_any(),
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

fn email_form(auth: Auth, flow: SignInFlow) -> impl IntoView {
    let i18n = I18n::get();
    let SignInFlow {
        shared,
        who,
        password,
        problem,
        busy,
        ..
    } = flow;
    view! {
        <section class="card sign-in" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">{i18n.text(K::SigninTitle)}</h1>
            <p class="hint">{i18n.text(K::SigninEmailHint)}</p>
            {notice(auth)}
            <form novalidate=true on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); flow.log_in(); }>
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
                <button type="button" class="secondary" on:click=move |_| flow.switch(Mode::Key)>{i18n.text(K::SigninUseKey)}</button>
            </p>
        </section>
    }
}

fn code_form(sent: CodeSent, flow: SignInFlow) -> impl IntoView {
    let SignInFlow {
        code,
        problem,
        busy,
        ..
    } = flow;
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
            <form novalidate=true on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); flow.verify(); }>
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
                <button type="button" class="secondary" disabled=move || busy.get() on:click=move |_| flow.log_in()>{i18n.text(K::SigninSendNewCode)}</button>
                " "
                <button type="button" class="secondary" on:click=move |_| flow.switch(Mode::Email)>{i18n.text(K::SigninDifferentAccount)}</button>
            </p>
        </section>
    }
}

/// The API-key form: base URL, key, how to send it, organization, remember.
fn key_form(flow: SignInFlow) -> impl IntoView {
    let auth = Auth::get();
    let i18n = I18n::get();
    let shared = flow.shared;
    let key = RwSignal::new(String::new());
    let header = RwSignal::new(AuthHeader::Bearer);
    let problem = RwSignal::new(None::<Problem>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match flow.key_session(&key.get(), header.get()) {
            Ok(s) => {
                key.set(String::new());
                flow.sign_in_with_key(s);
            }
            Err(p) => problem.set(Some(p)),
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
                <button type="button" class="secondary" on:click=move |_| flow.switch(Mode::Email)>{i18n.text(K::SigninUseEmail)}</button>
            </p>
        </section>
    }
}
