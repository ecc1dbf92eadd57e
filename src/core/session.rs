//! Who is signed in and how requests are addressed: base URL, auth header,
//! organization, and the percent-encoded endpoint URLs.

use serde::{Deserialize, Serialize};

/// How the API key travels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthHeader {
    /// `Authorization: Bearer <key>` (the connector pages' way; default).
    #[default]
    Bearer,
    /// `X-API-Key: <key>` (the general docs' and shipped clients' way).
    XApiKey,
}

impl AuthHeader {
    /// The header name and value to send for `key`.
    pub fn header(self, key: &str) -> (&'static str, String) {
        match self {
            AuthHeader::Bearer => ("Authorization", format!("Bearer {key}")),
            AuthHeader::XApiKey => ("X-API-Key", key.to_owned()),
        }
    }

    /// Parses `bearer` / `x-api-key` (any case).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bearer" | "authorization" => Some(AuthHeader::Bearer),
            "x-api-key" | "xapikey" | "api-key" => Some(AuthHeader::XApiKey),
            _ => None,
        }
    }
}

/// A signed-in user's connection settings. The key lives here, in memory.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// API origin plus optional path prefix, without a trailing slash.
    pub base_url: String,
    /// The API key or access token.
    pub key: String,
    /// How to send the key.
    pub auth: AuthHeader,
    /// Optional `organization_id` query parameter.
    pub organization_id: Option<String>,
    /// Request timeout in seconds (1–600).
    #[serde(default = "default_timeout")]
    pub timeout_secs: u32,
    /// Cooldown after a successful refresh, in seconds (0–3600).
    #[serde(default = "default_cooldown")]
    pub cooldown_secs: u32,
}

fn default_cooldown() -> u32 {
    super::gate::DEFAULT_COOLDOWN_SECS
}

/// The default request timeout, in seconds.
pub const DEFAULT_TIMEOUT_SECS: u32 = 30;

fn default_timeout() -> u32 {
    DEFAULT_TIMEOUT_SECS
}

impl std::fmt::Debug for Session {
    // Never print the key, even in a debug dump.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("base_url", &self.base_url)
            .field("key", &"<redacted>")
            .field("auth", &self.auth)
            .field("organization_id", &self.organization_id)
            .field("timeout_secs", &self.timeout_secs)
            .field("cooldown_secs", &self.cooldown_secs)
            .finish()
    }
}

/// Why a sign-in form cannot be accepted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// No key typed.
    #[error("Enter your API key.")]
    MissingKey,
    /// Key has whitespace or control characters inside.
    #[error("The API key contains spaces or invisible characters; paste it again.")]
    BadKey,
    /// Base URL is not http(s).
    #[error("The API base URL must start with https:// or http://, e.g. https://api.freddy.aitronos.com")]
    BadBaseUrl,
    /// Timeout not a whole number of seconds in range.
    #[error("The timeout must be a whole number of seconds from 1 to 600.")]
    BadTimeout,
    /// Cooldown not a whole number of seconds in range.
    #[error("The cooldown must be a whole number of seconds from 0 to 3600.")]
    BadCooldown,
}

impl SettingsError {
    /// The sentence for the sign-in form, in `tr`'s language (`Display` is the
    /// English one, for developers: the embed options' TypeErrors).
    pub fn message(&self, tr: &super::i18n::Tr) -> String {
        use super::i18n::K;
        tr.t(match self {
            SettingsError::MissingKey => K::SigninMissingKey,
            SettingsError::BadKey => K::SigninBadKey,
            SettingsError::BadBaseUrl => K::SigninBadBaseUrl,
            SettingsError::BadTimeout => K::SigninBadTimeout,
            SettingsError::BadCooldown => K::SigninBadCooldown,
        })
    }
}

impl Session {
    /// Validates and normalises the sign-in form. An empty base URL means `default_origin`.
    pub fn new(
        base_url: &str,
        default_origin: &str,
        key: &str,
        auth: AuthHeader,
        organization_id: &str,
    ) -> Result<Self, SettingsError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(SettingsError::MissingKey);
        }
        if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(SettingsError::BadKey);
        }
        let base = base_url.trim();
        let base = if base.is_empty() {
            default_origin.trim()
        } else {
            base
        };
        let lower = base.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        if rest.is_none_or(|r| r.is_empty() || r.starts_with('/'))
            || base.contains(char::is_whitespace)
        {
            return Err(SettingsError::BadBaseUrl);
        }
        let org = organization_id.trim();
        Ok(Session {
            base_url: base.trim_end_matches('/').to_owned(),
            key: key.to_owned(),
            auth,
            organization_id: (!org.is_empty()).then(|| org.to_owned()),
            timeout_secs: DEFAULT_TIMEOUT_SECS,
            cooldown_secs: default_cooldown(),
        })
    }

    /// The connection settings of an email sign-in (no key yet: the access token
    /// comes later and is kept apart, see `core::token`). Sent as `Authorization: Bearer`.
    pub fn without_key(
        base_url: &str,
        default_origin: &str,
        organization_id: &str,
    ) -> Result<Self, SettingsError> {
        Session::new(
            base_url,
            default_origin,
            "-",
            AuthHeader::Bearer,
            organization_id,
        )
        .map(|s| Session {
            key: String::new(),
            ..s
        })
    }

    /// URL of an email sign-in call: `login`, `verify`, `refresh` or `logout`
    /// (`/v1/auth/{step}`, without the organization).
    pub fn auth_url(&self, step: &str) -> String {
        format!("{}/v1/auth/{}", self.base_url, encode_component(step))
    }

    /// Sets the timeout from the form's text; blank means the default.
    pub fn with_timeout(mut self, text: &str) -> Result<Self, SettingsError> {
        let t = text.trim();
        if !t.is_empty() {
            self.timeout_secs = t
                .parse()
                .ok()
                .filter(|s| (1..=600).contains(s))
                .ok_or(SettingsError::BadTimeout)?;
        }
        Ok(self)
    }

    /// Sets the cooldown from the form's text; blank means the default.
    pub fn with_cooldown(mut self, text: &str) -> Result<Self, SettingsError> {
        let t = text.trim();
        if !t.is_empty() {
            self.cooldown_secs = t
                .parse()
                .ok()
                .filter(|s| *s <= 3600)
                .ok_or(SettingsError::BadCooldown)?;
        }
        Ok(self)
    }

    /// The request timeout.
    pub fn timeout(&self) -> std::time::Duration {
        std::time::Duration::from_secs(u64::from(self.timeout_secs.clamp(1, 600)))
    }

    /// The origin (`scheme://host[:port]`) requests go to; the key is sent nowhere else.
    pub fn origin(&self) -> &str {
        origin_of(&self.base_url)
    }

    /// URL of the configuration list, with paging.
    pub fn list_url(&self, limit: usize, after: Option<&str>) -> String {
        self.filtered_list_url(limit, after, &ListFilter::default())
    }

    /// URL of the configuration list, with paging and the server-side filters.
    pub fn filtered_list_url(&self, limit: usize, after: Option<&str>, f: &ListFilter) -> String {
        let mut q = vec![("limit", limit.to_string())];
        if let Some(a) = after {
            q.push(("after", a.to_owned()));
        }
        if let Some(c) = f.connector.as_deref().filter(|c| !c.is_empty()) {
            q.push(("personalConnectorId", c.to_owned()));
        }
        if let Some(h) = f.health.as_deref().filter(|h| !h.is_empty()) {
            q.push(("healthStatus", h.to_owned()));
        }
        self.url(&["v1", "personal-connectors", "configurations"], q)
    }

    /// URL of one configuration.
    pub fn configuration_url(&self, id: &str) -> String {
        self.url(&["v1", "personal-connectors", "configurations", id], vec![])
    }

    /// URL of the refresh call for configuration `id`.
    pub fn refresh_url(&self, id: &str) -> String {
        self.url(
            &["v1", "personal-connectors", "configurations", id, "refresh"],
            vec![],
        )
    }

    /// URL of the tool-definitions call for configuration `id`.
    pub fn tools_url(&self, id: &str) -> String {
        self.url(
            &["v1", "personal-connectors", "configurations", id, "tools"],
            vec![],
        )
    }

    fn url(&self, segments: &[&str], mut query: Vec<(&str, String)>) -> String {
        let mut out = self.base_url.clone();
        for s in segments {
            out.push('/');
            out.push_str(&encode_component(s));
        }
        if let Some(org) = &self.organization_id {
            query.push(("organization_id", org.clone()));
        }
        for (i, (k, v)) in query.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            out.push_str(&encode_component(k));
            out.push('=');
            out.push_str(&encode_component(v));
        }
        out
    }
}

/// The configuration list's filters the API applies (`personalConnectorId`,
/// `healthStatus`); `None` = any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only this connector's configurations (`pcon_…`).
    pub connector: Option<String>,
    /// Only this health: `healthy`, `unhealthy` or `unknown`.
    pub health: Option<String>,
}

/// The `scheme://host[:port]` part of a URL.
pub fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url
        .get(after_scheme..)
        .and_then(|r| r.find(['/', '?', '#']))
    {
        Some(i) => url.get(..after_scheme + i).unwrap_or(url),
        None => url,
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters, so an id with
/// `/`, `?`, `#`, `..`, spaces or non-ASCII stays one path segment.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The inverse of [`encode_component`] (invalid escapes are kept as they are).
pub fn decode_component(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_errors_are_worded_by_the_catalogue() {
        use crate::core::i18n::{Lang, Tr};
        let all = [
            SettingsError::MissingKey,
            SettingsError::BadKey,
            SettingsError::BadBaseUrl,
            SettingsError::BadTimeout,
            SettingsError::BadCooldown,
        ];
        let de = Tr::native(Lang::from_tag("de").unwrap());
        for e in all {
            // English on screen is the English a developer sees.
            assert_eq!(e.message(&Tr::english()), e.to_string());
            let german = e.message(&de);
            assert!(!german.is_empty() && german != e.to_string(), "{german}");
        }
    }

    fn session() -> Session {
        Session::new(
            "https://api.example.com/",
            "",
            "ak_x",
            AuthHeader::Bearer,
            "",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn urls_encode_ids_as_one_segment() {
        let s = session();
        assert_eq!(
            s.refresh_url("pconf_weird/?#.. ü"),
            "https://api.example.com/v1/personal-connectors/configurations/pconf_weird%2F%3F%23..%20%C3%BC/refresh"
                .replace("..", "%2E%2E")
        );
        assert_eq!(decode_component(&encode_component("a/b ü%")), "a/b ü%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
    }

    #[test]
    fn list_url_has_paging_and_org() {
        let mut s = session();
        s.organization_id = Some("org 1".into());
        assert_eq!(
            s.list_url(20, Some("pconf_a")),
            "https://api.example.com/v1/personal-connectors/configurations?limit=20&after=pconf_a&organization_id=org%201"
        );
        let f = ListFilter {
            connector: Some("pcon_click up".into()),
            health: Some("unhealthy".into()),
        };
        assert_eq!(
            s.filtered_list_url(20, None, &f),
            "https://api.example.com/v1/personal-connectors/configurations?limit=20&personalConnectorId=pcon_click%20up&healthStatus=unhealthy&organization_id=org%201"
        );
        let none = ListFilter {
            connector: Some(String::new()),
            health: None,
        };
        assert_eq!(s.filtered_list_url(5, None, &none), s.list_url(5, None));
    }

    #[test]
    fn sign_in_validation() {
        assert_eq!(
            Session::new(
                "",
                "http://127.0.0.1:8080",
                "k",
                AuthHeader::XApiKey,
                " org "
            )
            .map(|s| (s.base_url, s.organization_id)),
            Ok(("http://127.0.0.1:8080".to_owned(), Some("org".to_owned())))
        );
        assert_eq!(
            Session::new("x", "", " ", AuthHeader::Bearer, ""),
            Err(SettingsError::MissingKey)
        );
        assert_eq!(
            Session::new("x", "", "a b", AuthHeader::Bearer, ""),
            Err(SettingsError::BadKey)
        );
        assert_eq!(
            Session::new("ftp://x", "", "k", AuthHeader::Bearer, ""),
            Err(SettingsError::BadBaseUrl)
        );
        assert_eq!(
            Session::new("https://", "", "k", AuthHeader::Bearer, ""),
            Err(SettingsError::BadBaseUrl)
        );
    }

    #[test]
    fn timeout_setting() {
        assert_eq!(session().timeout().as_secs(), 30);
        assert_eq!(session().with_timeout(" 5 ").map(|s| s.timeout_secs), Ok(5));
        assert_eq!(session().with_timeout("").map(|s| s.timeout_secs), Ok(30));
        for bad in ["0", "601", "x", "-1"] {
            assert_eq!(
                session().with_timeout(bad).map(|s| s.timeout_secs),
                Err(SettingsError::BadTimeout)
            );
        }
        let stored: Session = serde_json::from_str(
            r#"{"base_url":"http://a","key":"k","auth":"x-api-key","organization_id":null}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (stored.auth, stored.timeout_secs, stored.cooldown_secs),
            (AuthHeader::XApiKey, 30, 30)
        );
        assert_eq!(session().with_cooldown("0").map(|s| s.cooldown_secs), Ok(0));
        assert_eq!(
            session().with_cooldown("3601").map(|s| s.cooldown_secs),
            Err(SettingsError::BadCooldown)
        );
    }

    #[test]
    fn email_sign_in_settings() {
        let s = Session::without_key("", "http://127.0.0.1:8080/", " org ")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (s.key.as_str(), s.auth, s.organization_id.as_deref()),
            ("", AuthHeader::Bearer, Some("org"))
        );
        assert_eq!(s.auth_url("verify"), "http://127.0.0.1:8080/v1/auth/verify");
        assert_eq!(
            Session::without_key("ftp://x", "", ""),
            Err(SettingsError::BadBaseUrl)
        );
    }

    #[test]
    fn headers_and_origin() {
        assert_eq!(
            AuthHeader::Bearer.header("k"),
            ("Authorization", "Bearer k".to_owned())
        );
        assert_eq!(
            AuthHeader::XApiKey.header("k"),
            ("X-API-Key", "k".to_owned())
        );
        assert_eq!(AuthHeader::parse("X-API-KEY"), Some(AuthHeader::XApiKey));
        assert_eq!(origin_of("https://a.b:8443/x/y?z"), "https://a.b:8443");
        assert_eq!(session().origin(), "https://api.example.com");
        assert!(!format!("{:?}", session()).contains("ak_x"));
    }
}
