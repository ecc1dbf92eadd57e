//! The standalone page's two URLs: `/` (the configuration list) and
//! `/configurations/{id}` (one configuration), with the id percent-encoded.

use super::session::{decode_component, encode_component};

/// What a path shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: the configuration list.
    List,
    /// `/configurations/{id}`: one configuration's refresh page (id decoded).
    Configuration(String),
    /// Anything else.
    NotFound,
}

/// The route of a URL path (`location.pathname`: no query, no fragment). One
/// trailing slash is ignored.
pub fn parse(path: &str) -> Route {
    let path = if path.len() > 1 {
        path.strip_suffix('/').unwrap_or(path)
    } else {
        path
    };
    if path.is_empty() || path == "/" {
        return Route::List;
    }
    match path.strip_prefix("/configurations/") {
        Some(seg) if !seg.is_empty() && !seg.contains('/') => {
            Route::Configuration(decode_component(seg))
        }
        _ => Route::NotFound,
    }
}

/// The path of a configuration's page.
pub fn configuration_path(id: &str) -> String {
    format!("/configurations/{}", encode_component(id))
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_two_routes() {
        assert_eq!(parse("/"), Route::List);
        assert_eq!(parse(""), Route::List);
        assert_eq!(
            parse("/configurations/pconf_abc123"),
            Route::Configuration("pconf_abc123".into())
        );
        assert_eq!(
            parse("/configurations/pconf_abc123/"),
            Route::Configuration("pconf_abc123".into())
        );
        assert_eq!(
            parse("/configurations/a%2Fb%20c"),
            Route::Configuration("a/b c".into())
        );
        for p in [
            "/configurations",
            "/configurations/",
            "/configurations/a/b",
            "/nope",
            "/configurationsx/a",
        ] {
            assert_eq!(parse(p), Route::NotFound, "{p}");
        }
    }

    proptest! {
        #[test]
        fn every_id_round_trips(id in "\\PC{1,40}") {
            prop_assert_eq!(parse(&configuration_path(&id)), Route::Configuration(id.clone()));
        }
    }
}
