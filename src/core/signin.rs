//! Email sign-in, as the API reference documents it: `POST /v1/auth/login`
//! (email or username + password → a 4-digit code is mailed, valid 5 minutes),
//! `POST /v1/auth/verify` (code → tokens; two documented answer shapes) and
//! `POST /v1/auth/refresh` (refresh token → new tokens).
//!
//! What the answers mean, the messages for each way a code can fail, the masked
//! address on the code screen and the code's countdown. No DOM: tested natively.

use chrono::TimeDelta;
use serde::Deserialize;
use serde_json::Value;

use super::error::{classify, malformed, ApiError, ErrorKind};
use super::http::HttpReply;
use super::i18n::{Tr, K};
use super::model::json_body;
use super::time::Instant;
use super::token::Grant;

/// How long a mailed code is valid (the API reference: 5 minutes).
pub const CODE_VALIDITY: TimeDelta = TimeDelta::minutes(5);

/// The login answer's fields (both casings).
#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginWire {
    #[serde(alias = "emailKey")]
    email_key: Option<String>,
    email: Option<String>,
}

/// The verify and refresh answers' token fields: `access_token` / `refresh_token`
/// (the reference) or `token` / `refreshToken` (another of its pages).
#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenWire {
    #[serde(alias = "token", alias = "accessToken")]
    access_token: Option<String>,
    #[serde(alias = "refreshToken")]
    refresh_token: Option<String>,
    #[serde(alias = "expiresIn")]
    expires_in: Option<Value>,
}

/// The login was accepted and a code was mailed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeSent {
    /// Names this login in the verify call.
    pub email_key: String,
    /// Where the code went, masked for the screen (`d•••@example.com`), if known.
    pub masked_email: Option<String>,
    /// When the code was sent (received), for its countdown.
    pub sent_at: Instant,
}

/// What the login answer asks for next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoginNext {
    /// Enter the mailed code.
    Code(CodeSent),
    /// The server signed in straight away (no code needed).
    SignedIn(Grant),
}

fn object(reply: &HttpReply, now: Instant) -> Result<Value, ApiError> {
    let v = json_body(reply, now)?;
    if !v.is_object() {
        return Err(malformed(reply, "expected a JSON object"));
    }
    if v.get("success").and_then(Value::as_bool) == Some(false) {
        let mut err = classify(reply, now);
        err.kind = ErrorKind::Unsuccessful;
        if err.server_message.is_none() {
            err.server_message = v.get("message").and_then(Value::as_str).map(str::to_owned);
        }
        return Err(err);
    }
    Ok(v)
}

/// Reads the login answer. `typed` is what the user typed (an email is masked
/// for the code screen when the server does not say where the code went).
pub fn decode_login(reply: &HttpReply, typed: &str, now: Instant) -> Result<LoginNext, ApiError> {
    let v = object(reply, now)?;
    if let Ok(grant) = grant_of(&v, now) {
        return Ok(LoginNext::SignedIn(grant));
    }
    let wire: LoginWire = serde_json::from_value(v).unwrap_or_default();
    match wire.email_key.filter(|k| !k.trim().is_empty()) {
        Some(email_key) => Ok(LoginNext::Code(CodeSent {
            email_key,
            masked_email: masked_email(wire.email.as_deref(), typed),
            sent_at: now,
        })),
        None => Err(malformed(reply, "the answer has no email_key")),
    }
}

/// Reads a verify or refresh answer (either documented shape).
pub fn decode_grant(reply: &HttpReply, now: Instant) -> Result<Grant, ApiError> {
    let v = object(reply, now)?;
    grant_of(&v, now).map_err(|what| malformed(reply, what))
}

fn grant_of(v: &Value, now: Instant) -> Result<Grant, &'static str> {
    let wire: TokenWire =
        serde_json::from_value(v.clone()).map_err(|_| "the token fields could not be read")?;
    let access = wire
        .access_token
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty() && !t.chars().any(char::is_whitespace))
        .ok_or("the answer has no access token")?;
    // Whole seconds (no float parser linked: it weighs kilobytes of wasm).
    let expires_in = match wire.expires_in {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(s)) => s.trim().parse::<u64>().ok(),
        _ => None,
    }
    .filter(|s| *s > 0)
    .map(|s| s.min(31_536_000) as i64);
    Ok(Grant {
        access,
        refresh: wire
            .refresh_token
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty()),
        expires_at: expires_in.map(|s| now.plus(TimeDelta::seconds(s))),
        received_at: now,
    })
}

/// The body of the login call.
pub fn login_body(email_or_username: &str, password: &str) -> String {
    serde_json::json!({"email_or_username": email_or_username.trim(), "password": password})
        .to_string()
}

/// The body of the verify call (the code as a number, as documented).
pub fn verify_body(email_key: &str, code: u16) -> String {
    serde_json::json!({"email_key": email_key, "verification_code": code}).to_string()
}

/// The body of the refresh and logout calls.
pub fn refresh_body(refresh_token: &str) -> String {
    serde_json::json!({"refresh_token": refresh_token}).to_string()
}

/// Why the login form cannot be sent (the message's key).
pub fn check_login(email_or_username: &str, password: &str) -> Result<(), K> {
    if email_or_username.trim().is_empty() {
        return Err(K::SigninEnterLogin);
    }
    if password.is_empty() {
        return Err(K::SigninEnterPassword);
    }
    Ok(())
}

/// The typed code: exactly four digits (spaces ignored); else the message's key.
pub fn parse_code(text: &str) -> Result<u16, K> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) {
        digits.parse().map_err(|_| K::SigninEnterCode)
    } else {
        Err(K::SigninEnterCode)
    }
}

/// The address shown on the code screen: the server's (its `*` masks shown as
/// `•••`; an unmasked one masked here), else the typed email masked, else `None`
/// (a username was typed and the server said nothing).
pub fn masked_email(server: Option<&str>, typed: &str) -> Option<String> {
    let server = server.map(str::trim).filter(|s| !s.is_empty());
    if let Some(s) = server {
        if s.contains('*') || s.contains('•') {
            let mut out = String::new();
            let mut in_mask = false;
            for c in s.chars() {
                if c == '*' || c == '•' {
                    if !in_mask {
                        out.push_str("•••");
                    }
                    in_mask = true;
                } else {
                    out.push(c);
                    in_mask = false;
                }
            }
            return Some(out);
        }
    }
    let plain = server.or(Some(typed.trim()).filter(|t| t.contains('@')))?;
    let (name, domain) = plain.rsplit_once('@')?;
    let first: String = name.chars().take(1).collect();
    Some(format!("{first}•••@{domain}"))
}

/// The heading of the code screen.
pub fn code_prompt(tr: &Tr, masked: Option<&str>) -> String {
    match masked {
        Some(m) => tr.f(K::SigninCodePrompt, &[("address", m.into())]),
        None => tr.t(K::SigninCodePromptUnknown),
    }
}

/// How long the code is still valid (zero when expired).
pub fn code_remaining(sent_at: Instant, now: Instant) -> TimeDelta {
    (sent_at.plus(CODE_VALIDITY).since(now)).max(TimeDelta::zero())
}

/// `The code is valid for another 4:59.` or that it has expired.
pub fn code_validity_text(tr: &Tr, sent_at: Instant, now: Instant) -> String {
    let left = code_remaining(sent_at, now);
    if left <= TimeDelta::zero() {
        return tr.t(K::SigninCodeExpired);
    }
    // Round up, so "0:00" is never shown while the code is still valid.
    let secs = (left.num_milliseconds() + 999) / 1000;
    let time = format!("{}:{:02}", secs / 60, secs % 60);
    tr.f(K::SigninCodeValidFor, &[("time", time.into())])
}

fn code_has(err: &ApiError, words: &[&str]) -> bool {
    let code = err.code.as_deref().unwrap_or_default().to_ascii_uppercase();
    words.iter().any(|w| code.contains(w))
}

/// The message for a failed login.
pub fn login_failure(tr: &Tr, err: &ApiError) -> String {
    match err.kind {
        ErrorKind::Unauthorized | ErrorKind::Forbidden => {
            err.message_with_details(tr, K::SigninLoginRefused)
        }
        ErrorKind::RateLimited => err.message_with_details(tr, K::SigninLoginRateLimited),
        _ => err.user_message(tr),
    }
}

/// Which way a code was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeProblem {
    /// The code is not the one mailed.
    Wrong,
    /// The code was right once but is too old.
    Expired,
    /// Too many wrong codes: this login is locked.
    TooManyAttempts,
    /// Anything else (network, server, …).
    Other,
}

/// Classifies a failed verify call by the server's status and code.
pub fn code_problem(err: &ApiError) -> CodeProblem {
    let message = err
        .server_message
        .as_deref()
        .unwrap_or_default()
        .to_ascii_lowercase();
    if err.kind == ErrorKind::RateLimited
        || code_has(err, &["TOO_MANY", "ATTEMPTS", "LOCKED"])
        || message.contains("too many")
    {
        CodeProblem::TooManyAttempts
    } else if code_has(err, &["EXPIRED"]) || message.contains("expired") {
        CodeProblem::Expired
    } else if matches!(
        err.kind,
        ErrorKind::Rejected | ErrorKind::Unauthorized | ErrorKind::Forbidden
    ) {
        CodeProblem::Wrong
    } else {
        CodeProblem::Other
    }
}

/// The message for a failed verify call: wrong, expired and too many attempts
/// each have their own.
pub fn code_failure(tr: &Tr, err: &ApiError) -> String {
    match code_problem(err) {
        CodeProblem::Wrong => err.message_with_details(tr, K::SigninCodeWrong),
        CodeProblem::Expired => err.message_with_details(tr, K::SigninCodeTooOld),
        CodeProblem::TooManyAttempts => err.message_with_details(tr, K::SigninCodeTooMany),
        CodeProblem::Other => err.user_message(tr),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::i18n::Lang;

    fn en() -> Tr {
        Tr::english()
    }

    fn t0() -> Instant {
        Instant::from_millis(1_764_400_000_000)
    }

    fn fixture(name: &str) -> HttpReply {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        HttpReply::new(200, std::fs::read(path).unwrap_or_default())
    }

    #[test]
    fn login_answer_gives_the_code_screen() {
        let next = decode_login(&fixture("auth-login.json"), "ada@example.com", t0());
        assert_eq!(
            next,
            Ok(LoginNext::Code(CodeSent {
                email_key: "ek_7d1e0c".into(),
                masked_email: Some("a•••@example.com".into()),
                sent_at: t0(),
            }))
        );
        let bare = HttpReply::new(200, r#"{"email_key":"ek_1"}"#);
        assert!(matches!(
            decode_login(&bare, "ada", t0()),
            Ok(LoginNext::Code(CodeSent {
                masked_email: None,
                ..
            }))
        ));
        let no_key = HttpReply::new(200, r#"{"success":true}"#);
        assert_eq!(
            decode_login(&no_key, "a", t0()).map_err(|e| e.kind),
            Err(ErrorKind::Malformed)
        );
        let refused = HttpReply::new(
            401,
            r#"{"success":false,"error":{"code":"INVALID_CREDENTIALS","message":"Invalid email/username or password."}}"#,
        );
        let err = decode_login(&refused, "a", t0()).err();
        let msg = err
            .as_ref()
            .map(|e| login_failure(&en(), e))
            .unwrap_or_default();
        assert!(msg.contains("do not match an account (HTTP 401)"), "{msg}");
        assert!(msg.contains("Invalid email/username or password."), "{msg}");
        let tokens = HttpReply::new(200, r#"{"access_token":"at","expires_in":60}"#);
        assert!(matches!(
            decode_login(&tokens, "a", t0()),
            Ok(LoginNext::SignedIn(_))
        ));
    }

    #[test]
    fn both_verify_variants() {
        for name in ["auth-verify.json", "auth-verify-variant.json"] {
            let g = decode_grant(&fixture(name), t0()).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(g.access, "eyJhbGciOiJIUzI1NiJ9.e30.sig", "{name}");
            assert_eq!(g.refresh.as_deref(), Some("rt_0b5e2f"), "{name}");
            assert_eq!(
                g.expires_at,
                Some(t0().plus(TimeDelta::seconds(3600))),
                "{name}"
            );
        }
        let camel = HttpReply::new(200, r#"{"accessToken":"a","expiresIn":"90"}"#);
        let g = decode_grant(&camel, t0()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (g.access.as_str(), g.refresh, g.expires_at),
            ("a", None, Some(t0().plus(TimeDelta::seconds(90))))
        );
        for bad in [
            r#"{"refresh_token":"r"}"#,
            r#"{"access_token":""}"#,
            r#"{"access_token":"a b"}"#,
            r#"[]"#,
        ] {
            assert_eq!(
                decode_grant(&HttpReply::new(200, bad), t0()).map_err(|e| e.kind),
                Err(ErrorKind::Malformed),
                "{bad}"
            );
        }
        let unsuccessful = HttpReply::new(200, r#"{"success":false,"message":"nope"}"#);
        assert_eq!(
            decode_grant(&unsuccessful, t0()).map_err(|e| e.kind),
            Err(ErrorKind::Unsuccessful)
        );
    }

    fn verify_error(status: u16, code: &str, message: &str) -> ApiError {
        let body =
            serde_json::json!({"success": false, "error": {"code": code, "message": message}});
        classify(&HttpReply::new(status, body.to_string()), t0())
    }

    #[test]
    fn wrong_expired_and_too_many_have_their_own_messages() {
        let wrong = verify_error(
            400,
            "INVALID_VERIFICATION_CODE",
            "The verification code is incorrect. 4 attempts left.",
        );
        assert_eq!(code_problem(&wrong), CodeProblem::Wrong);
        let m = code_failure(&en(), &wrong);
        assert!(m.starts_with("That code is not right (HTTP 400)."), "{m}");
        assert!(m.contains("4 attempts left"), "{m}");

        let expired = verify_error(400, "VERIFICATION_CODE_EXPIRED", "The code has expired.");
        assert_eq!(code_problem(&expired), CodeProblem::Expired);
        assert!(code_failure(&en(), &expired).starts_with("That code has expired (HTTP 400)."));
        // no code, only words
        let expired2 = verify_error(410, "", "Code expired");
        assert_eq!(code_problem(&expired2), CodeProblem::Expired);

        let locked = verify_error(429, "TOO_MANY_ATTEMPTS", "locked");
        assert_eq!(code_problem(&locked), CodeProblem::TooManyAttempts);
        assert!(code_failure(&en(), &locked).starts_with("Too many wrong codes (HTTP 429)."));

        let down = verify_error(503, "INTERNAL_ERROR", "down");
        assert_eq!(code_problem(&down), CodeProblem::Other);
        assert_eq!(code_failure(&en(), &down), down.user_message(&en()));
    }

    #[test]
    fn masking_codes_and_countdown() {
        assert_eq!(
            masked_email(Some("d***@example.com"), ""),
            Some("d•••@example.com".into())
        );
        assert_eq!(
            masked_email(Some("dora@example.com"), ""),
            Some("d•••@example.com".into())
        );
        assert_eq!(
            masked_email(None, " dora@example.com "),
            Some("d•••@example.com".into())
        );
        assert_eq!(masked_email(None, "dora"), None);
        assert_eq!(
            code_prompt(&en(), Some("d•••@example.com")),
            "Enter the 4-digit code sent to d•••@example.com"
        );

        assert_eq!(parse_code(" 12 34 "), Ok(1234));
        assert_eq!(parse_code("0042"), Ok(42));
        for bad in ["", "123", "12345", "12a4", "١٢٣٤"] {
            assert!(parse_code(bad).is_err(), "{bad}");
        }
        assert!(check_login(" ", "x").is_err());
        assert!(check_login("a", "").is_err());
        assert!(check_login("a", "x").is_ok());

        assert_eq!(
            code_validity_text(&en(), t0(), t0()),
            "The code is valid for another 5:00."
        );
        assert_eq!(
            code_validity_text(&en(), t0(), t0().plus(TimeDelta::milliseconds(1_500))),
            "The code is valid for another 4:59."
        );
        assert_eq!(
            code_validity_text(&en(), t0(), t0().plus(TimeDelta::seconds(299))),
            "The code is valid for another 0:01."
        );
        assert_eq!(
            code_validity_text(&en(), t0(), t0().plus(TimeDelta::seconds(300))),
            "The code has expired. Send a new code."
        );
        assert_eq!(
            code_remaining(t0(), t0().plus(TimeDelta::hours(1))),
            TimeDelta::zero()
        );
    }

    #[test]
    fn failures_and_countdown_in_other_languages() {
        let de = Tr::native(Lang::from_tag("de-CH").unwrap());
        let fr = Tr::native(Lang::from_tag("fr").unwrap());
        let it = Tr::native(Lang::from_tag("it").unwrap());
        let wrong = verify_error(400, "INVALID_VERIFICATION_CODE", "4 attempts left.");
        // The server's words stay as it sent them, in the language's quotation marks.
        assert_eq!(
            code_failure(&de, &wrong),
            "Dieser Code ist nicht richtig (HTTP 400). Der Server meldete: «4 attempts left.». \
             Prüfen Sie die E-Mail und geben Sie die 4 Ziffern erneut ein."
        );
        assert!(code_failure(&fr, &wrong).contains(" Le serveur a répondu : « 4 attempts left. »."));
        let refused = verify_error(401, "INVALID_CREDENTIALS", "no");
        assert!(login_failure(&it, &refused).starts_with(
            "E-mail o nome utente e password non corrispondono a nessun account (HTTP 401)."
        ));
        // No status, no server words: nothing left dangling.
        assert_eq!(
            code_failure(&fr, &ApiError::new(ErrorKind::Rejected)),
            "Ce code n’est pas correct. Vérifiez l’e-mail et saisissez de nouveau les 4 chiffres."
        );
        assert_eq!(
            code_validity_text(&de, t0(), t0().plus(TimeDelta::seconds(61))),
            "Der Code ist noch 3:59 gültig."
        );
        assert_eq!(
            code_validity_text(&it, t0(), t0().plus(TimeDelta::seconds(300))),
            "Il codice è scaduto. Richiedi un nuovo codice."
        );
        assert_eq!(
            code_prompt(&fr, None),
            "Saisissez le code à 4 chiffres envoyé à votre adresse e-mail"
        );
        assert_eq!(
            check_login("", "x").map_err(|k| de.t(k)),
            Err("Geben Sie Ihre E-Mail-Adresse oder Ihren Benutzernamen ein.".to_owned())
        );
        assert_eq!(
            parse_code("12").map_err(|k| en().t(k)),
            Err("Enter the 4-digit code from the email.".to_owned())
        );
    }

    #[test]
    fn bodies() {
        assert_eq!(
            login_body(" ada ", "p\"w"),
            r#"{"email_or_username":"ada","password":"p\"w"}"#
        );
        assert_eq!(
            verify_body("ek_1", 42),
            r#"{"email_key":"ek_1","verification_code":42}"#
        );
        assert_eq!(refresh_body("rt"), r#"{"refresh_token":"rt"}"#);
    }
}
