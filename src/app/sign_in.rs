//! The sign-in's steps: email or username + password first, then the mailed
//! 4-digit code, verified; or an API key. Both ways end in the same signed-in
//! state (`Auth`). The email and password stay here only while the code is pending
//! ("Send a new code" logs in again with them) and are cleared once signed in or on
//! "Use a different account". The screens are `ui::sign_in`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Canceller};
use crate::core::error::ApiError;
use crate::core::i18n::{Tr, K};
use crate::core::session::{AuthHeader, Session, SettingsError};
use crate::core::signin::{self, CodeSent, LoginNext};

use super::auth::Auth;

/// What went wrong on a form: kept as data and worded when shown, so a language
/// switch re-words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
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
    /// The problem in words.
    pub fn message(&self, tr: &Tr) -> String {
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
pub enum Mode {
    /// Email or username and password.
    Email,
    /// The mailed code, for the login it was sent for.
    Code(CodeSent),
    /// An API key.
    Key,
}

/// The settings both ways share (base URL, organization, remember, advanced).
#[derive(Clone, Copy)]
pub struct Shared {
    /// The API base URL.
    pub base_url: RwSignal<String>,
    /// The organization id, if any.
    pub org: RwSignal<String>,
    /// "Remember in this tab".
    pub remember: RwSignal<bool>,
    /// The request timeout in seconds ("" for the default).
    pub timeout: RwSignal<String>,
    /// The cooldown after a refresh in seconds ("" for the default).
    pub cooldown: RwSignal<String>,
}

impl Shared {
    /// The connection settings of an email sign-in, validated.
    pub fn session(&self, default_base: &str) -> Result<Session, SettingsError> {
        Session::without_key(
            &self.base_url.get_untracked(),
            default_base,
            &self.org.get_untracked(),
        )
        .and_then(|s| s.with_timeout(&self.timeout.get_untracked()))
        .and_then(|s| s.with_cooldown(&self.cooldown.get_untracked()))
    }
}

/// The sign-in screens' state, made by the sign-in screen in its reactive owner
/// (leaving it aborts a call in flight).
#[derive(Clone, Copy)]
pub struct SignInFlow {
    /// The settings both ways share.
    pub shared: Shared,
    /// Which screen is shown.
    pub mode: RwSignal<Mode>,
    /// The email or username typed.
    pub who: RwSignal<String>,
    /// The password typed.
    pub password: RwSignal<String>,
    /// The code typed.
    pub code: RwSignal<String>,
    /// What went wrong, if anything.
    pub problem: RwSignal<Option<Problem>>,
    /// Whether a login or verify call is in flight.
    pub busy: RwSignal<bool>,
    /// The settings the pending code belongs to.
    pending: StoredValue<Option<Session>>,
    canceller: StoredValue<Canceller, LocalStorage>,
    /// The base URL used when none is typed.
    default_base: StoredValue<String>,
    auth: Auth,
}

impl SignInFlow {
    /// The email screen, its base URL `default_base` until another is typed.
    pub fn new(default_base: String) -> Self {
        let flow = SignInFlow {
            shared: Shared {
                base_url: RwSignal::new(default_base.clone()),
                org: RwSignal::new(String::new()),
                remember: RwSignal::new(false),
                timeout: RwSignal::new(String::new()),
                cooldown: RwSignal::new(String::new()),
            },
            mode: RwSignal::new(Mode::Email),
            who: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            code: RwSignal::new(String::new()),
            problem: RwSignal::new(None),
            busy: RwSignal::new(false),
            pending: StoredValue::new(None),
            canceller: StoredValue::new_local(Canceller::new()),
            default_base: StoredValue::new(default_base),
            auth: Auth::get(),
        };
        on_cleanup(move || {
            let _ = flow.canceller.try_with_value(Canceller::cancel);
        });
        flow
    }

    /// The base URL used when none is typed.
    pub fn default_base(self) -> String {
        self.default_base.get_value()
    }

    fn forget_credentials(self) {
        self.who.set(String::new());
        self.password.set(String::new());
        self.code.set(String::new());
    }

    /// A fresh handle for the next call, cancelling none: the previous one is done.
    fn next_call(self) -> Canceller {
        let c = Canceller::new();
        self.canceller.set_value(c.clone());
        c
    }

    /// Login (first time, and "Send a new code").
    pub fn log_in(self) {
        if self.busy.get_untracked() {
            return;
        }
        let (name, pw) = (self.who.get_untracked(), self.password.get_untracked());
        if let Err(k) = signin::check_login(&name, &pw) {
            self.problem.set(Some(Problem::Check(k)));
            return;
        }
        let session = match self.shared.session(&self.default_base()) {
            Ok(s) => s,
            Err(e) => {
                self.problem.set(Some(Problem::Settings(e)));
                return;
            }
        };
        self.problem.set(None);
        self.busy.set(true);
        let c = self.next_call();
        spawn_local(async move {
            let result = api::auth::login(&session, &name, &pw, &c).await;
            if c.is_cancelled() {
                return;
            }
            self.busy.set(false);
            match result {
                Ok(LoginNext::Code(sent)) => {
                    self.pending.set_value(Some(session));
                    self.code.set(String::new());
                    self.mode.set(Mode::Code(sent));
                }
                Ok(LoginNext::SignedIn(grant)) => {
                    self.forget_credentials();
                    self.auth.sign_in_with_tokens(
                        session,
                        grant,
                        self.shared.remember.get_untracked(),
                    );
                }
                Err(e) => self.problem.set(Some(Problem::Login(e))),
            }
        });
    }

    /// Verifies the code typed for the pending login.
    pub fn verify(self) {
        if self.busy.get_untracked() {
            return;
        }
        let Mode::Code(sent) = self.mode.get_untracked() else {
            return;
        };
        let number = match signin::parse_code(&self.code.get_untracked()) {
            Ok(n) => n,
            Err(k) => {
                self.problem.set(Some(Problem::Check(k)));
                return;
            }
        };
        let Some(session) = self.pending.get_value() else {
            return;
        };
        self.problem.set(None);
        self.busy.set(true);
        let c = self.next_call();
        spawn_local(async move {
            let result = api::auth::verify(&session, &sent.email_key, number, &c).await;
            if c.is_cancelled() {
                return;
            }
            self.busy.set(false);
            match result {
                Ok(grant) => {
                    self.forget_credentials();
                    self.pending.set_value(None);
                    self.auth.sign_in_with_tokens(
                        session,
                        grant,
                        self.shared.remember.get_untracked(),
                    );
                }
                Err(e) => {
                    self.code.set(String::new());
                    self.problem.set(Some(Problem::Code(e)));
                }
            }
        });
    }

    /// Goes to screen `to`, dropping a call in flight; the email and password are
    /// forgotten unless the code screen is next.
    pub fn switch(self, to: Mode) {
        self.canceller.with_value(Canceller::cancel);
        self.busy.set(false);
        self.problem.set(None);
        if to == Mode::Email || to == Mode::Key {
            self.forget_credentials();
            self.pending.set_value(None);
        }
        self.mode.set(to);
    }

    /// The session for API key `key`, sent in `header`, with the settings typed;
    /// `Err` with the problem when a setting cannot be accepted.
    pub fn key_session(self, key: &str, header: AuthHeader) -> Result<Session, Problem> {
        let shared = self.shared;
        Session::new(
            &shared.base_url.get(),
            &self.default_base(),
            key,
            header,
            &shared.org.get(),
        )
        .and_then(|s| s.with_timeout(&shared.timeout.get()))
        .and_then(|s| s.with_cooldown(&shared.cooldown.get()))
        .map_err(Problem::Settings)
    }

    /// Signs in with an API key's `session` (from [`SignInFlow::key_session`]).
    pub fn sign_in_with_key(self, session: Session) {
        self.auth.sign_in(session, self.shared.remember.get());
    }
}
