//! Command-line settings of the dev server: the [`Config`] struct and the hand-written
//! argument parser [`parse_args`] (no clap, on purpose: the flag set is small).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// The API key accepted when `--api-key` is not given.
pub const DEFAULT_API_KEY: &str = "ak_demo_connector_refresh_local_key_000001";

/// Everything the server needs to know, as parsed from the command line.
#[derive(Debug, Clone)]
pub struct Config {
    /// Address to bind (`--host`, default `127.0.0.1`).
    pub host: String,
    /// Port to bind (`--port`, default 8080; 0 picks a free port).
    pub port: u16,
    /// The one API key `/v1/*` accepts (`--api-key`).
    pub api_key: String,
    /// Directory of the built app, served at `/` (`--dist`, default `dist`).
    pub dist: PathBuf,
    /// Directory served under `/examples/` if it exists (`--examples`, default `examples`).
    pub examples: PathBuf,
    /// Seed file (`--seed`); `None` means the copy of `dev-api/seed.json` built into the binary.
    pub seed: Option<PathBuf>,
    /// Lifetime of a tool cache entry (`--ttl-seconds`, default 3600).
    pub ttl: Duration,
    /// Lifetime of an access token from email sign-in (`--token-ttl-seconds`, default 3600).
    pub token_ttl: Duration,
    /// Artificial latency of a refresh (`--refresh-delay-ms`, default 300).
    pub refresh_delay: Duration,
    /// How long the `slow` fault waits (`--slow-seconds`, default 35; fractions allowed).
    pub slow: Duration,
    /// The wait a `429`/`429-date` fault asks for (`--rate-limit-seconds`, default 30).
    pub rate_limit_secs: u64,
    /// Allowed CORS origins (`--cors-origin`, repeatable; `*` = any). Empty = no CORS headers.
    pub cors_origins: Vec<String>,
    /// `Content-Security-Policy` sent on non-API responses: by default the app's
    /// policy built by [`Config::default_csp`]; `--csp POLICY` replaces it, `--csp off` drops it.
    pub csp: Option<String>,
    /// Extra origins allowed in the default policy's `connect-src` (`--connect-src`, repeatable).
    pub connect_src: Vec<String>,
    /// The default policy's `frame-ancestors` (`--frame-ancestors`, default `'self'`).
    pub frame_ancestors: String,
    /// Base URL that `/v1/*` is proxied to (`--upstream`); `None` = serve the built-in fake API.
    pub upstream: Option<String>,
    /// Bound on one whole MCP exchange (connect, initialize, every `tools/list` page)
    /// (`--mcp-timeout-seconds`, default 20; fractions allowed).
    pub mcp_timeout: Duration,
    /// Each refresh of a configuration backed by a bundled MCP server first moves that
    /// server to its next version, standing in for a deployment (`--demo-advance`).
    pub demo_advance: bool,
    /// Configurations of the user's own MCP servers: `(NAME, URL)` from `--mcp NAME=URL`.
    pub mcp: Vec<(String, String)>,
    /// Bearer tokens for them: `(NAME, TOKEN)` from `--mcp-token NAME=TOKEN`.
    pub mcp_tokens: Vec<(String, String)>,
    /// Seconds the server's clock runs ahead of the system's (negative: behind)
    /// (`--clock-offset-seconds`, default 0; at most [`crate::clock::MAX_OFFSET_SECS`]
    /// either way). Process-wide: see [`crate::clock::set_offset`].
    pub clock_offset_secs: i64,
    /// The list route ignores `after` and answers the first page every time, `hasMore`
    /// still true when the list is longer (`--list-ignores-cursor`): a server whose
    /// paging never ends, for testing a client's guard against it.
    pub list_ignores_cursor: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".to_owned(),
            port: 8080,
            api_key: DEFAULT_API_KEY.to_owned(),
            dist: PathBuf::from("dist"),
            examples: PathBuf::from("examples"),
            seed: None,
            ttl: Duration::from_secs(3600),
            token_ttl: Duration::from_secs(3600),
            refresh_delay: Duration::from_millis(300),
            slow: Duration::from_secs(35),
            rate_limit_secs: 30,
            cors_origins: Vec::new(),
            csp: None,
            connect_src: Vec::new(),
            frame_ancestors: "'self'".to_owned(),
            upstream: None,
            mcp_timeout: Duration::from_secs(20),
            demo_advance: false,
            mcp: Vec::new(),
            mcp_tokens: Vec::new(),
            clock_offset_secs: 0,
            list_ignores_cursor: false,
        }
    }
}

impl Config {
    /// The policy the built app is served with unless `--csp` says otherwise:
    /// no inline script or style, wasm allowed, connections only to this origin
    /// (and any `--connect-src`), framing only by `--frame-ancestors`.
    pub fn default_csp(&self) -> String {
        let mut connect = vec!["'self'".to_owned()];
        connect.extend(self.connect_src.iter().cloned());
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src {}; frame-ancestors {}; base-uri 'none'; form-action 'self'",
            connect.join(" "),
            self.frame_ancestors
        )
    }

    /// The Content-Security-Policy header value to send, if any.
    pub fn effective_csp(&self) -> Option<String> {
        match self.csp.as_deref() {
            Some("off") => None,
            Some(p) => Some(p.to_owned()),
            None => Some(self.default_csp()),
        }
    }
}

/// Why the command line was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgsError {
    /// `--help` / `-h` was given: print [`USAGE`] and exit 0.
    Help,
    /// A flag was unknown, lacked its value, or had a bad value.
    Invalid(String),
}

impl fmt::Display for ArgsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArgsError::Help => f.write_str(USAGE),
            ArgsError::Invalid(msg) => write!(f, "{msg}\n\n{USAGE}"),
        }
    }
}

impl std::error::Error for ArgsError {}

/// Help text printed for `--help` and after an argument error.
pub const USAGE: &str = "\
usage: dev-api [FLAGS]
  --host ADDR              bind address (default 127.0.0.1)
  --port N                 port (default 8080; 0 = any free port)
  --api-key KEY            accepted API key (default ak_demo_connector_refresh_local_key_000001)
  --dist DIR               built app served at / (default dist)
  --examples DIR           served under /examples/ if it exists (default examples)
  --seed FILE              seed data (default: built-in copy of dev-api/seed.json)
  --ttl-seconds N          tool cache lifetime (default 3600)
  --token-ttl-seconds N    lifetime of a sign-in access token (default 3600)
  --refresh-delay-ms N     artificial refresh latency (default 300)
  --slow-seconds N         delay of the `slow` fault (default 35; fractions allowed)
  --rate-limit-seconds N   the wait the `429` faults ask for (default 30; at least 1)
  --cors-origin ORIGIN     allow CORS from ORIGIN (repeatable; * = any); default no CORS
  --csp POLICY|off         Content-Security-Policy for the app (default: the app's strict policy)
  --connect-src ORIGIN     also allow ORIGIN in the default policy's connect-src (repeatable)
  --frame-ancestors VALUE  the default policy's frame-ancestors (default 'self')
  --upstream URL           proxy /v1/* to URL instead of the built-in fake API
  --mcp NAME=URL           add configuration pconf_NAME backed by the MCP server at URL
                           (Streamable HTTP; repeatable)
  --mcp-token NAME=TOKEN   bearer token sent to the --mcp server NAME
  --mcp-timeout-seconds N  bound on one whole MCP tools/list exchange (default 20)
  --demo-advance           each refresh of a demo configuration first moves its bundled
                           MCP server to its next tool set (what ./run.sh does)
  --clock-offset-seconds N the server's clock runs N seconds ahead of the system's
                           (negative: behind; default 0)
  --list-ignores-cursor    the configuration list ignores `after`: the first page every
                           time, hasMore true while the list is longer (a broken server)
  -h, --help               this text";

/// Parses the arguments that follow the program name (`std::env::args().skip(1)`).
///
/// Flags take their value either as the next argument or after `=` (`--port=0`).
pub fn parse_args<I, S>(args: I) -> Result<Config, ArgsError>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut cfg = Config::default();
    let mut it = args.into_iter().map(Into::into);
    while let Some(arg) = it.next() {
        if arg == "-h" || arg == "--help" {
            return Err(ArgsError::Help);
        }
        if arg == "--demo-advance" {
            cfg.demo_advance = true;
            continue;
        }
        if arg == "--list-ignores-cursor" {
            cfg.list_ignores_cursor = true;
            continue;
        }
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let known = [
            "--host",
            "--port",
            "--api-key",
            "--dist",
            "--examples",
            "--seed",
            "--ttl-seconds",
            "--token-ttl-seconds",
            "--refresh-delay-ms",
            "--slow-seconds",
            "--rate-limit-seconds",
            "--cors-origin",
            "--csp",
            "--connect-src",
            "--frame-ancestors",
            "--upstream",
            "--mcp",
            "--mcp-token",
            "--mcp-timeout-seconds",
            "--clock-offset-seconds",
        ];
        if !known.contains(&flag.as_str()) {
            return Err(ArgsError::Invalid(format!("unknown argument: {arg}")));
        }
        let value = match inline {
            Some(v) => v,
            None => it
                .next()
                .ok_or_else(|| ArgsError::Invalid(format!("{flag} needs a value")))?,
        };
        match flag.as_str() {
            "--host" => cfg.host = value,
            "--port" => cfg.port = parse_num(&flag, &value)?,
            "--api-key" => {
                if value.is_empty() {
                    return Err(ArgsError::Invalid("--api-key must not be empty".into()));
                }
                cfg.api_key = value;
            }
            "--dist" => cfg.dist = PathBuf::from(value),
            "--examples" => cfg.examples = PathBuf::from(value),
            "--seed" => cfg.seed = Some(PathBuf::from(value)),
            "--ttl-seconds" => cfg.ttl = Duration::from_secs(parse_num(&flag, &value)?),
            "--token-ttl-seconds" => {
                cfg.token_ttl = Duration::from_secs(parse_num(&flag, &value)?);
                if cfg.token_ttl.is_zero() {
                    return Err(bad(&flag, &value));
                }
            }
            "--refresh-delay-ms" => {
                cfg.refresh_delay = Duration::from_millis(parse_num(&flag, &value)?)
            }
            "--slow-seconds" => cfg.slow = parse_secs(&flag, &value)?,
            "--rate-limit-seconds" => {
                cfg.rate_limit_secs = parse_num(&flag, &value)?;
                if cfg.rate_limit_secs == 0 {
                    return Err(bad(&flag, &value));
                }
            }
            "--mcp-timeout-seconds" => {
                cfg.mcp_timeout = parse_secs(&flag, &value)?;
                if cfg.mcp_timeout.is_zero() {
                    return Err(bad(&flag, &value));
                }
            }
            "--clock-offset-seconds" => {
                cfg.clock_offset_secs = parse_num(&flag, &value)?;
                if cfg.clock_offset_secs.abs() > crate::clock::MAX_OFFSET_SECS {
                    return Err(bad(&flag, &value));
                }
            }
            "--mcp" => {
                let (name, url) = name_value(&flag, &value, "URL")?;
                crate::seed::check_url(&url)
                    .map_err(|m| ArgsError::Invalid(format!("--mcp {name}: {m}")))?;
                if cfg.mcp.iter().any(|(n, _)| *n == name) {
                    return Err(ArgsError::Invalid(format!("--mcp {name} given twice")));
                }
                cfg.mcp.push((name, url));
            }
            "--mcp-token" => {
                let pair = name_value(&flag, &value, "TOKEN")?;
                cfg.mcp_tokens.push(pair);
            }
            "--cors-origin" => cfg.cors_origins.push(value),
            "--csp" => cfg.csp = Some(value),
            "--connect-src" => cfg.connect_src.push(value),
            "--frame-ancestors" => cfg.frame_ancestors = value,
            "--upstream" => {
                if !(value.starts_with("http://") || value.starts_with("https://")) {
                    return Err(ArgsError::Invalid(format!(
                        "--upstream must be an http:// or https:// URL, got {value:?}"
                    )));
                }
                cfg.upstream = Some(value.trim_end_matches('/').to_owned());
            }
            _ => return Err(ArgsError::Invalid(format!("unknown argument: {arg}"))),
        }
    }
    for (name, _) in &cfg.mcp_tokens {
        if !cfg.mcp.iter().any(|(n, _)| n == name) {
            return Err(ArgsError::Invalid(format!(
                "--mcp-token {name}: there is no --mcp {name}=URL"
            )));
        }
    }
    Ok(cfg)
}

/// `NAME=VALUE` with NAME made of letters, digits, `_` and `-`.
fn name_value(flag: &str, value: &str, what: &str) -> Result<(String, String), ArgsError> {
    let invalid = || {
        ArgsError::Invalid(format!(
            "{flag} expects NAME={what} (NAME: letters, digits, _ or -), got {value:?}"
        ))
    };
    let (name, rest) = value.split_once('=').ok_or_else(invalid)?;
    let ok_name = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok_name || rest.is_empty() {
        return Err(invalid());
    }
    Ok((name.to_owned(), rest.to_owned()))
}

fn parse_secs(flag: &str, value: &str) -> Result<Duration, ArgsError> {
    let secs: f64 = value.parse().map_err(|_| bad(flag, value))?;
    Duration::try_from_secs_f64(secs).map_err(|_| bad(flag, value))
}

fn parse_num<T: std::str::FromStr>(flag: &str, value: &str) -> Result<T, ArgsError> {
    value.parse().map_err(|_| bad(flag, value))
}

fn bad(flag: &str, value: &str) -> ArgsError {
    ArgsError::Invalid(format!("{flag}: invalid value {value:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults() {
        let cfg = parse_args(Vec::<String>::new()).unwrap();
        assert_eq!(cfg.host, "127.0.0.1");
        assert_eq!(cfg.port, 8080);
        assert_eq!(cfg.api_key, DEFAULT_API_KEY);
        assert_eq!(cfg.ttl, Duration::from_secs(3600));
        assert_eq!(cfg.token_ttl, Duration::from_secs(3600));
        assert_eq!(
            parse_args(["--token-ttl-seconds=5"]).unwrap().token_ttl,
            Duration::from_secs(5)
        );
        assert!(parse_args(["--token-ttl-seconds", "0"]).is_err());
        assert_eq!(cfg.refresh_delay, Duration::from_millis(300));
        assert_eq!(cfg.slow, Duration::from_secs(35));
        assert!(cfg.cors_origins.is_empty() && cfg.csp.is_none() && cfg.upstream.is_none());
        let csp = cfg.effective_csp().unwrap_or_default();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'; style-src 'self'"),
            "{csp}"
        );
        assert!(
            csp.contains("connect-src 'self';") && csp.contains("frame-ancestors 'self'"),
            "{csp}"
        );
        let cfg = parse_args([
            "--connect-src",
            "https://api.example.com",
            "--frame-ancestors",
            "https://portal.example.com",
        ])
        .unwrap();
        let csp = cfg.effective_csp().unwrap_or_default();
        assert!(
            csp.contains("connect-src 'self' https://api.example.com;")
                && csp.contains("frame-ancestors https://portal.example.com;"),
            "{csp}"
        );
        assert_eq!(parse_args(["--csp", "off"]).unwrap().effective_csp(), None);
    }

    #[test]
    fn flags_with_space_and_equals() {
        let cfg = parse_args([
            "--port=0",
            "--cors-origin",
            "http://a",
            "--cors-origin=*",
            "--slow-seconds",
            "0.5",
            "--rate-limit-seconds=3",
            "--upstream",
            "https://api.example.com/",
        ])
        .unwrap();
        assert_eq!(cfg.port, 0);
        assert_eq!(cfg.cors_origins, vec!["http://a", "*"]);
        assert_eq!(cfg.slow, Duration::from_millis(500));
        assert_eq!(cfg.rate_limit_secs, 3);
        assert!(parse_args(["--rate-limit-seconds", "0"]).is_err());
        assert_eq!(
            parse_args(Vec::<String>::new()).unwrap().rate_limit_secs,
            30
        );
        assert_eq!(cfg.upstream.as_deref(), Some("https://api.example.com"));
    }

    #[test]
    fn clock_offset() {
        assert_eq!(
            parse_args(Vec::<String>::new()).unwrap().clock_offset_secs,
            0
        );
        assert_eq!(
            parse_args(["--clock-offset-seconds", "600"])
                .unwrap()
                .clock_offset_secs,
            600
        );
        assert_eq!(
            parse_args(["--clock-offset-seconds=-600"])
                .unwrap()
                .clock_offset_secs,
            -600
        );
        let max = crate::clock::MAX_OFFSET_SECS.to_string();
        assert!(parse_args(["--clock-offset-seconds", &max]).is_ok());
        for bad in ["1.5", "x", "", &format!("-{max}1")] {
            assert!(
                matches!(
                    parse_args(["--clock-offset-seconds", bad]),
                    Err(ArgsError::Invalid(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn mcp_flags() {
        let cfg = parse_args([
            "--mcp",
            "mine=http://127.0.0.1:3001/mcp",
            "--mcp=other-2=https://mcp.example.com/mcp?x=1",
            "--mcp-token",
            "mine=s3cret=",
            "--demo-advance",
            "--mcp-timeout-seconds",
            "2.5",
            "--list-ignores-cursor",
        ])
        .unwrap();
        assert!(cfg.list_ignores_cursor);
        assert!(
            !parse_args(Vec::<String>::new())
                .unwrap()
                .list_ignores_cursor
        );
        assert_eq!(
            cfg.mcp,
            vec![
                ("mine".to_owned(), "http://127.0.0.1:3001/mcp".to_owned()),
                (
                    "other-2".to_owned(),
                    "https://mcp.example.com/mcp?x=1".to_owned()
                )
            ]
        );
        assert_eq!(cfg.mcp_tokens, vec![("mine".into(), "s3cret=".into())]);
        assert!(cfg.demo_advance);
        assert_eq!(cfg.mcp_timeout, Duration::from_millis(2500));
        assert_eq!(
            parse_args(Vec::<String>::new()).unwrap().mcp_timeout,
            Duration::from_secs(20)
        );
        for bad in [
            vec!["--mcp", "nourl"],
            vec!["--mcp", "a b=http://x"],
            vec!["--mcp", "a=ftp://x"],
            vec!["--mcp", "a=http://x", "--mcp", "a=http://y"],
            vec!["--mcp-token", "ghost=t"],
            vec!["--mcp-timeout-seconds", "0"],
        ] {
            assert!(
                matches!(parse_args(bad.clone()), Err(ArgsError::Invalid(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn errors() {
        assert_eq!(parse_args(["--help"]).unwrap_err(), ArgsError::Help);
        assert!(matches!(parse_args(["--nope"]), Err(ArgsError::Invalid(_))));
        assert!(matches!(parse_args(["--port"]), Err(ArgsError::Invalid(_))));
        assert!(matches!(
            parse_args(["--port", "x"]),
            Err(ArgsError::Invalid(_))
        ));
        assert!(matches!(
            parse_args(["--upstream", "ftp://x"]),
            Err(ArgsError::Invalid(_))
        ));
    }
}
