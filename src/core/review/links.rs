//! URLs, e-mail addresses and domain names in a tool's text: a definition that starts
//! pointing somewhere new is worth a look.
//!
//! Bare domains are recognised by their last label, from a short list of common
//! top-level domains (a heuristic: `config.json` is a file name, not a domain, and
//! a domain under an unlisted TLD is only caught with a scheme or `www.`).

use std::collections::BTreeSet;

const TLDS: &[&str] = &[
    "com", "net", "org", "io", "dev", "app", "ai", "co", "xyz", "info", "biz", "me", "sh", "ru",
    "cn", "su", "tk", "top", "site", "online", "live", "cloud", "tech", "example", "test",
    "invalid", "local", "onion", "gov", "edu", "uk", "de", "ch", "fr", "it", "eu", "us", "ly",
    "gg", "to", "ws", "cc", "pw", "link", "click", "zip", "mov",
];

/// The links in `text`, lower-cased, each once, in order of appearance.
///
/// Every link has a `.`, `:` or `@`: only the words around those are looked at, found
/// byte by byte (a 1 MB description is some 200,000 words, most without one).
pub fn links(text: &str) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let separator = |b: u8| {
        b.is_ascii_whitespace()
            || matches!(
                b,
                b'<' | b'>'
                    | b'('
                    | b')'
                    | b'"'
                    | b'\''
                    | b'`'
                    | b'['
                    | b']'
                    | b'{'
                    | b'}'
                    | b','
                    | b';'
                    | b'|'
                    | b'\\'
            )
    };
    let mut done = 0;
    for (i, b) in bytes.iter().enumerate() {
        if i < done || !matches!(b, b'.' | b':' | b'@') {
            continue;
        }
        // The word around it, between ASCII separators (so on character boundaries).
        let start = bytes
            .get(..i)
            .and_then(|h| h.iter().rposition(|c| separator(*c)))
            .map_or(0, |p| p + 1);
        let end = bytes
            .get(i..)
            .and_then(|t| t.iter().position(|c| separator(*c)))
            .map_or(bytes.len(), |p| i + p);
        done = end;
        let Some(word) = text.get(start..end) else {
            continue;
        };
        // Other white space (no-break spaces, …) separates words too.
        for token in word.split(char::is_whitespace) {
            let token = token.trim_end_matches(['.', ':', '!', '?', '*', '_']);
            let token = token.trim_start_matches(['*', '_', ':']);
            if token.len() < 4 || token.len() > 2048 || !token.contains(['.', ':', '@']) {
                continue;
            }
            let lower = token.to_ascii_lowercase();
            if is_link(&lower) && seen.insert(lower.clone()) {
                out.push(lower);
            }
        }
    }
    out
}

fn is_link(t: &str) -> bool {
    if let Some(i) = t.find("://") {
        return i > 0
            && t[..i]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
            && t.len() > i + 3;
    }
    if t.starts_with("mailto:") || t.starts_with("www.") && t.len() > 4 {
        return true;
    }
    if let Some((user, host)) = t.split_once('@') {
        return !user.is_empty() && is_domain(host);
    }
    let host = t.split('/').next().unwrap_or(t);
    let host = host.split(':').next().unwrap_or(host);
    is_domain(host)
}

fn is_domain(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels.last().is_some_and(|tld| TLDS.contains(tld))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_urls_emails_and_domains() {
        let t = "See https://Evil.example.com/x?a=1. Mail admin@attacker.io, or visit www.foo.bar \
                 and collect.evil.ru/upload (ftp://h.test) mailto:x@y.z";
        assert_eq!(
            links(t),
            vec![
                "https://evil.example.com/x?a=1",
                "admin@attacker.io",
                "www.foo.bar",
                "collect.evil.ru/upload",
                "ftp://h.test",
                "mailto:x@y.z"
            ]
        );
    }

    #[test]
    fn file_names_versions_and_prose_are_not_links() {
        let t = "Reads config.json and data.csv, version 1.2.3, e.g. this; i.e. that. \
                 Use `obj.key` or a.b. Ends here.";
        assert!(links(t).is_empty(), "{:?}", links(t));
    }
}
