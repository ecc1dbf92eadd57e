//! The embedding options (`mount(element, options)` and the custom element's
//! attributes), validated so that a wrong option gives an error naming it.
//!
//! The browser layer reads each option into a `serde_json::Value` with
//! serde-wasm-bindgen after taking out the `getToken` function; everything else is
//! checked here, natively testable.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::review::baseline::Baseline;
use super::session::{AuthHeader, Session};

/// Every option name `mount` accepts.
pub const OPTION_NAMES: [&str; 13] = [
    "baseUrl",
    "authHeader",
    "token",
    "getToken",
    "organizationId",
    "configurationId",
    "cooldownSeconds",
    "timeoutSeconds",
    "locale",
    "theme",
    "stylesheet",
    "catalogues",
    "reviewedBaseline",
];

/// Colour scheme of the widget.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    Auto,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The CSS class suffix.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// Decoded, validated embedding options.
#[derive(Clone, Debug, PartialEq)]
pub struct EmbedOptions {
    /// The session template (its key is the `token` option, or empty).
    pub session: Session,
    /// Whether a token was given (else the widget waits for `getToken`/`setToken`).
    pub has_token: bool,
    /// A configuration to fix (hides the picker).
    pub configuration_id: Option<String>,
    /// The reader's locale: the language if it is one of ours, and dates and numbers
    /// in any case (`de-CH`: German, Swiss numbers; `ja-JP`: Japanese dates). See
    /// `core::locales`.
    pub locale: Option<String>,
    /// Colour scheme.
    pub theme: Theme,
    /// URL of the widget's stylesheet.
    pub stylesheet: Option<String>,
    /// Where the language catalogues are.
    pub catalogues: Option<Catalogues>,
    /// The reviewed baseline the portal kept (what `connector-refresh:reviewed`
    /// handed it), checked: its hash must be well formed and agree with its tools.
    pub reviewed_baseline: Option<Baseline>,
}

/// The `reviewedBaseline` option: absent or null, or a baseline that checks out.
fn baseline(map: &Map<String, Value>) -> Result<Option<Baseline>, OptionError> {
    match map.get("reviewedBaseline") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => serde_json::from_value::<Baseline>(v.clone())
            .ok()
            .filter(Baseline::is_valid)
            .map(Some)
            .ok_or_else(|| {
                err(
                    "reviewedBaseline",
                    "must be the detail of a connector-refresh:reviewed event (configurationId, hash, reviewedAt, toolCount, tools), unchanged",
                )
            }),
    }
}

/// Where the language catalogues are fetched from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Catalogues {
    /// A folder URL ending in `/` that holds `de.json`, `fr.json`, …
    Folder(String),
    /// One URL per language code: what a bundler makes of the npm package's
    /// `new URL('./i18n/de.json', import.meta.url)` (hashed names, no common folder).
    Files(BTreeMap<String, String>),
}

impl Catalogues {
    /// The folder `url` (a `/` is added when missing).
    pub fn folder(url: &str) -> Self {
        if url.ends_with('/') {
            Catalogues::Folder(url.to_owned())
        } else {
            Catalogues::Folder(format!("{url}/"))
        }
    }

    /// The URL of the catalogue of language `code`, if there is one.
    pub fn url(&self, code: &str) -> Option<String> {
        match self {
            Catalogues::Folder(folder) => Some(format!("{folder}{code}.json")),
            Catalogues::Files(files) => files.get(code).cloned(),
        }
    }
}

impl From<&str> for Catalogues {
    fn from(folder: &str) -> Self {
        Catalogues::folder(folder)
    }
}

fn opt_catalogues(map: &Map<String, Value>) -> Result<Option<Catalogues>, OptionError> {
    let name = "catalogues";
    let Some(Value::Object(files)) = map.get(name) else {
        return Ok(opt_string(map, name)?.map(|s| Catalogues::folder(&s)));
    };
    let mut urls = BTreeMap::new();
    for (code, url) in files {
        match url {
            Value::String(u) if !u.trim().is_empty() => {
                urls.insert(code.clone(), u.trim().to_owned());
            }
            other => {
                return Err(err(
                    name,
                    &format!(
                        "must map each language to a URL; `{code}` is {}",
                        type_name(other)
                    ),
                ))
            }
        }
    }
    Ok(Some(Catalogues::Files(urls)))
}

/// A wrong option: the message names it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("connector-refresh: {0}")]
pub struct OptionError(pub String);

fn err(name: &str, what: &str) -> OptionError {
    OptionError(format!("option `{name}` {what}"))
}

fn opt_string(map: &Map<String, Value>, name: &str) -> Result<Option<String>, OptionError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
        Some(other) => Err(err(
            name,
            &format!("must be a string, got {}", type_name(other)),
        )),
    }
}

fn opt_seconds(
    map: &Map<String, Value>,
    name: &str,
    min: u32,
    max: u32,
) -> Result<Option<u32>, OptionError> {
    let v = match map.get(name) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => super::time::parse_seconds(s).map(|n| n as f64),
        Some(other) => {
            return Err(err(
                name,
                &format!("must be a number of seconds, got {}", type_name(other)),
            ))
        }
    };
    match v {
        Some(f) if f.fract() == 0.0 && f >= f64::from(min) && f <= f64::from(max) => {
            Ok(Some(f as u32))
        }
        _ => Err(err(
            name,
            &format!("must be a whole number of seconds from {min} to {max}"),
        )),
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl EmbedOptions {
    /// Validates `map` (the options; a `getToken` entry is only checked for its
    /// name). `default_origin` is the base URL when `baseUrl` is absent.
    pub fn decode(map: &Map<String, Value>, default_origin: &str) -> Result<Self, OptionError> {
        if let Some(unknown) = map.keys().find(|k| !OPTION_NAMES.contains(&k.as_str())) {
            return Err(OptionError(format!(
                "unknown option `{unknown}`; expected one of: {}",
                OPTION_NAMES.join(", ")
            )));
        }
        let auth = match opt_string(map, "authHeader")? {
            None => AuthHeader::Bearer,
            Some(s) => AuthHeader::parse(&s)
                .ok_or_else(|| err("authHeader", "must be \"bearer\" or \"x-api-key\""))?,
        };
        let token = opt_string(map, "token")?;
        let base = opt_string(map, "baseUrl")?.unwrap_or_default();
        let org = opt_string(map, "organizationId")?.unwrap_or_default();
        // A placeholder key passes validation; it is replaced before any request.
        let session = Session::new(
            &base,
            default_origin,
            token.as_deref().unwrap_or("pending"),
            auth,
            &org,
        )
        .map_err(|e| match e {
            super::session::SettingsError::BadKey => {
                err("token", "contains spaces or invisible characters")
            }
            _ => err("baseUrl", "must be an http:// or https:// URL"),
        })?;
        let mut session = session;
        if let Some(c) = opt_seconds(map, "cooldownSeconds", 0, 3600)? {
            session.cooldown_secs = c;
        }
        if let Some(t) = opt_seconds(map, "timeoutSeconds", 1, 600)? {
            session.timeout_secs = t;
        }
        let theme = match opt_string(map, "theme")?.as_deref() {
            None | Some("auto") => Theme::Auto,
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            Some(_) => return Err(err("theme", "must be \"auto\", \"light\" or \"dark\"")),
        };
        let locale = opt_string(map, "locale")?;
        if let Some(l) = &locale {
            let ok = l.len() <= 35 && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                return Err(err("locale", "must be a language tag such as \"en-GB\""));
            }
        }
        Ok(EmbedOptions {
            has_token: token.is_some(),
            session,
            configuration_id: opt_string(map, "configurationId")?,
            locale,
            theme,
            stylesheet: opt_string(map, "stylesheet")?,
            catalogues: opt_catalogues(map)?,
            reviewed_baseline: baseline(map)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn decode(v: Value) -> Result<EmbedOptions, OptionError> {
        let map = v.as_object().cloned().unwrap_or_default();
        EmbedOptions::decode(&map, "https://portal.example.com")
    }

    #[test]
    fn defaults() {
        let o = decode(json!({})).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.session.base_url, "https://portal.example.com");
        assert_eq!(o.session.auth, AuthHeader::Bearer);
        assert!(!o.has_token);
        assert_eq!(o.theme, Theme::Auto);
        assert_eq!(o.session.cooldown_secs, 30);
    }

    #[test]
    fn reviewed_baseline_is_checked() {
        use crate::core::review::baseline::tool_hash;
        use crate::core::tools::ToolDef;
        let tools: std::collections::BTreeMap<String, String> =
            [("a".to_owned(), tool_hash(&ToolDef::named("a")))]
                .into_iter()
                .collect();
        let b = Baseline::of("pconf_1", &tools, "2026-12-01T00:00:00Z".into());
        let v = serde_json::to_value(&b).unwrap();
        let o = decode(json!({ "reviewedBaseline": v.clone() })).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.reviewed_baseline, Some(b));
        assert_eq!(
            decode(json!({ "reviewedBaseline": null })).map(|o| o.reviewed_baseline),
            Ok(None)
        );
        let mut forged = v;
        forged["hash"] = json!("f".repeat(64));
        for bad in [forged, json!("x"), json!({"hash": 1})] {
            let e = decode(json!({ "reviewedBaseline": bad })).unwrap_err();
            assert!(e.0.contains("reviewedBaseline"), "{e}");
        }
    }

    #[test]
    fn all_options() {
        let o = decode(json!({
            "baseUrl": "https://api.freddy.aitronos.com/", "authHeader": "x-api-key", "token": "ak_1",
            "organizationId": "org_1", "configurationId": "pconf_abc123", "cooldownSeconds": 0,
            "timeoutSeconds": "5", "locale": "de-CH", "theme": "dark", "stylesheet": "/x.css"
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.session.base_url, "https://api.freddy.aitronos.com");
        assert_eq!(o.session.key, "ak_1");
        assert_eq!(o.session.auth, AuthHeader::XApiKey);
        assert_eq!(o.session.organization_id.as_deref(), Some("org_1"));
        assert_eq!(o.configuration_id.as_deref(), Some("pconf_abc123"));
        assert_eq!((o.session.cooldown_secs, o.session.timeout_secs), (0, 5));
        assert_eq!(o.locale.as_deref(), Some("de-CH"));
        assert_eq!(o.theme, Theme::Dark);
        assert!(o.has_token);
    }

    #[test]
    fn catalogues_a_folder_or_a_url_per_language() {
        let o = decode(json!({"catalogues": "/cr/i18n"})).unwrap_or_else(|e| panic!("{e}"));
        let folder = o.catalogues.unwrap_or_else(|| panic!("a folder"));
        assert_eq!(folder, Catalogues::Folder("/cr/i18n/".into()));
        assert_eq!(folder.url("de").as_deref(), Some("/cr/i18n/de.json"));
        let o = decode(
            json!({"catalogues": {"de": "/assets/de-1a2b.json", "fr": " /assets/fr-3c.json "}}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let files = o.catalogues.unwrap_or_else(|| panic!("files"));
        assert_eq!(files.url("de").as_deref(), Some("/assets/de-1a2b.json"));
        assert_eq!(files.url("fr").as_deref(), Some("/assets/fr-3c.json"));
        assert_eq!(files.url("it"), None);
        let e = decode(json!({"catalogues": {"de": null}}))
            .map(|_| ())
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("option `catalogues` must map each language to a URL; `de` is null"),
            "{e}"
        );
        let e = decode(json!({"catalogues": 3})).map(|_| ()).unwrap_err();
        assert!(
            e.to_string()
                .contains("option `catalogues` must be a string"),
            "{e}"
        );
    }

    #[test]
    fn errors_name_the_option() {
        for (v, name) in [
            (json!({"baseUrll": "x"}), "unknown option `baseUrll`"),
            (json!({"baseUrl": "ftp://x"}), "option `baseUrl`"),
            (
                json!({"baseUrl": 5}),
                "option `baseUrl` must be a string, got a number",
            ),
            (json!({"authHeader": "basic"}), "option `authHeader`"),
            (json!({"cooldownSeconds": -1}), "option `cooldownSeconds`"),
            (json!({"cooldownSeconds": 1.5}), "option `cooldownSeconds`"),
            (
                json!({"timeoutSeconds": [1]}),
                "option `timeoutSeconds` must be a number of seconds, got an array",
            ),
            (json!({"theme": "pink"}), "option `theme`"),
            (json!({"locale": "en GB<script>"}), "option `locale`"),
            (json!({"token": "a b"}), "option `token`"),
        ] {
            let e = decode(v).map(|_| ()).unwrap_err();
            assert!(e.to_string().contains(name), "{e} should contain {name}");
            assert!(e.to_string().starts_with("connector-refresh: "));
        }
    }
}
