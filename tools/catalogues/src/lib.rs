//! The language catalogues, `i18n/<language>/<area>.json`: read, checked and merged in
//! one place. `build.rs` calls [`build_script`], which refuses to build when a
//! catalogue lacks a message, has one English does not, names other `{placeholders}`
//! or misses a plural form its language needs, and generates `core::i18n`'s tables
//! (the key enum `K`, English compiled in, the list of languages with each served
//! catalogue's version). The `catalogues` binary, Trunk's pre_build hook, writes the
//! same served catalogues (`<code>.json`, the files the app fetches) into the build.
//!
//! A translator adds a language by copying `i18n/en/` to `i18n/<code>/` and
//! translating every value; `cargo build` names whatever is still missing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Value};

/// Plural categories each language's cardinal rules can produce (CLDR), beside `other`.
/// A language not listed here cannot be built until its categories are added.
fn plural_forms(code: &str) -> Option<&'static [&'static str]> {
    match code {
        "en" | "de" | "nl" | "sv" | "da" | "nb" | "rm" => Some(&["one", "other"]),
        "fr" | "it" | "es" | "pt" | "ca" => Some(&["one", "many", "other"]),
        _ => None,
    }
}

/// One language's messages by key.
pub type Catalog = BTreeMap<String, Value>;

/// The build script of the app: checks the catalogues under `i18n/` and generates
/// `$OUT_DIR/i18n.rs` and the served catalogues in `$OUT_DIR/i18n/` (which the
/// native tests read). Exits the build with every problem named.
pub fn build_script() {
    println!("cargo:rerun-if-changed=i18n");
    if let Err(problems) =
        read_all(Path::new("i18n"), true).and_then(|l| generate(&l).map_err(|e| vec![e]))
    {
        for p in &problems {
            println!("cargo:warning=i18n: {p}");
        }
        eprintln!(
            "i18n catalogues are incomplete:\n  {}",
            problems.join("\n  ")
        );
        std::process::exit(1);
    }
}

/// Every language's catalogue under `root`, English first, checked against English.
/// `tell_cargo`: print cargo's rerun-if-changed line for each language's folder.
pub fn read_all(root: &Path, tell_cargo: bool) -> Result<Vec<(String, Catalog)>, Vec<String>> {
    let mut languages: Vec<(String, Catalog)> = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(root)
        .map_err(|e| vec![format!("cannot read {}: {e}", root.display())])?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    // English first: it is the reference and the one compiled into the app.
    dirs.sort_by_key(|d| d != "en");
    let mut problems = Vec::new();
    for code in dirs {
        if tell_cargo {
            println!("cargo:rerun-if-changed={}", root.join(&code).display());
        }
        match read_language(&root.join(&code), &code) {
            Ok(c) => languages.push((code, c)),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let Some((_, en)) = languages.first().filter(|(c, _)| c == "en") else {
        return Err(vec!["i18n/en/ is missing".to_owned()]);
    };
    for (code, cat) in &languages {
        check(code, cat, en, &mut problems);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(languages)
}

fn read_language(dir: &Path, code: &str) -> Result<Catalog, Vec<String>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| vec![format!("cannot read {}: {e}", dir.display())])?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut cat = Catalog::new();
    let mut problems = Vec::new();
    for path in files {
        let area = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let shown = format!("i18n/{code}/{area}.json");
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
        };
        let map: Map<String, Value> = match serde_json::from_str(&text) {
            Ok(m) => m,
            Err(e) => {
                problems.push(format!("{shown}: not a JSON object: {e}"));
                continue;
            }
        };
        for (key, value) in map {
            let well_formed = key.starts_with(&format!("{area}."))
                && key.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.'
                });
            if !well_formed {
                problems.push(format!(
                    "{shown}: key `{key}` must start with `{area}.` and use only a-z, 0-9, `_` and `.`"
                ));
            }
            if cat.insert(key.clone(), value).is_some() {
                problems.push(format!("{shown}: key `{key}` appears twice"));
            }
        }
    }
    if problems.is_empty() {
        Ok(cat)
    } else {
        Err(problems)
    }
}

/// `{name}` placeholders of a text (names of a-z and `_`; other braces are literal).
fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end)
                if end > 0
                    && after[..end]
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'_') =>
            {
                out.insert(after[..end].to_owned());
                rest = &after[end + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

/// The texts of a message: one for a string, one per form for a plural.
fn forms(value: &Value) -> Option<Vec<(&str, &str)>> {
    match value {
        Value::String(s) => Some(vec![("", s.as_str())]),
        Value::Object(m) => m
            .iter()
            .map(|(k, v)| v.as_str().map(|s| (k.as_str(), s)))
            .collect(),
        _ => None,
    }
}

fn check(code: &str, cat: &Catalog, en: &Catalog, problems: &mut Vec<String>) {
    let Some(needed) = plural_forms(code) else {
        problems.push(format!(
            "i18n/{code}/: no plural categories are known for `{code}`; add them to build.rs's plural_forms"
        ));
        return;
    };
    for key in en.keys().filter(|k| !cat.contains_key(*k)) {
        problems.push(format!("i18n/{code}/: `{key}` is missing"));
    }
    for (key, value) in cat {
        let Some(reference) = en.get(key) else {
            problems.push(format!(
                "i18n/{code}/: `{key}` is not in English (i18n/en/)"
            ));
            continue;
        };
        let Some(texts) = forms(value) else {
            problems.push(format!(
                "i18n/{code}/: `{key}` must be a string or an object of strings"
            ));
            continue;
        };
        if texts.iter().any(|(_, t)| t.trim().is_empty()) {
            problems.push(format!("i18n/{code}/: `{key}` is empty"));
        }
        let plural = value.is_object();
        if plural != reference.is_object() {
            problems.push(format!(
                "i18n/{code}/: `{key}` must be {} as in English",
                if reference.is_object() {
                    "a plural object"
                } else {
                    "a string"
                }
            ));
            continue;
        }
        if plural {
            let have: BTreeSet<&str> = texts.iter().map(|(f, _)| *f).collect();
            for f in needed.iter().filter(|f| !have.contains(**f)) {
                problems.push(format!("i18n/{code}/: `{key}` lacks the plural form `{f}`"));
            }
            for f in have.iter().filter(|f| !needed.contains(f)) {
                problems.push(format!(
                    "i18n/{code}/: `{key}` has a plural form `{f}` that `{code}` never uses"
                ));
            }
        }
        let all = |texts: &[(&str, &str)]| -> BTreeSet<String> {
            texts.iter().flat_map(|(_, t)| placeholders(t)).collect()
        };
        let want = forms(reference).map(|t| all(&t)).unwrap_or_default();
        let got = all(&texts);
        // A plural form may leave out {n} ("un outil"), but names nothing English does not.
        let mut want_but_n = want.clone();
        want_but_n.remove("n");
        let mut got_but_n = got.clone();
        got_but_n.remove("n");
        if want_but_n != got_but_n
            || (!plural && want != got)
            || got.difference(&want).next().is_some()
        {
            problems.push(format!(
                "i18n/{code}/: `{key}` has placeholders {got:?}, English has {want:?}"
            ));
        }
    }
}

fn variant(key: &str) -> String {
    key.split(['.', '_'])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut c = p.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// FNV-1a, 64 bits: a version string for a catalogue's URL (cache busting, not security).
fn version(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The checksum of English's key list (sorted, joined by newlines) that a served
/// catalogue carries instead of the keys, so the wasm needs no key names.
fn keys_version(en: &Catalog) -> String {
    version(&en.keys().map(String::as_str).collect::<Vec<_>>().join("\n"))
}

/// Each language's catalogue as served, `(code, json)`: `{"keys": <checksum of the
/// key list>, "messages": [...]}` with the messages in English's key order.
pub fn served(languages: &[(String, Catalog)]) -> Result<Vec<(String, String)>, String> {
    let en = &languages.first().ok_or("no English")?.1;
    let keys_version = keys_version(en);
    languages
        .iter()
        .map(|(lang, cat)| {
            let messages: Vec<&Value> = en.keys().filter_map(|k| cat.get(k)).collect();
            let served = serde_json::json!({ "keys": keys_version, "messages": messages });
            let json = serde_json::to_string(&served).map_err(|e| e.to_string())?;
            Ok((lang.clone(), json))
        })
        .collect()
}

/// The generated key enum `K` and the key names, in English's key order.
fn key_enum(keys: &[&String]) -> String {
    let mut code = String::new();
    let _ = writeln!(
        code,
        "/// Every message the app shows, by key (`i18n/en/*.json`)."
    );
    let _ = writeln!(code, "#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]");
    let _ = writeln!(code, "#[allow(missing_docs)]");
    let _ = writeln!(code, "pub enum K {{");
    for k in keys {
        let _ = writeln!(code, "    /// `{k}`");
        let _ = writeln!(code, "    {},", variant(k));
    }
    let _ = writeln!(code, "}}\n");
    let _ = writeln!(code, "/// The catalogue key of each [`K`], in its order.");
    let _ = writeln!(code, "pub const KEY_NAMES: [&str; {}] = [", keys.len());
    for k in keys {
        let _ = writeln!(code, "    {k:?},");
    }
    let _ = writeln!(code, "];\n");
    code
}

/// The generated English tables: every message end to end, and where each ends.
fn english(code: &mut String, en: &Catalog, keys: &[&String]) -> Result<(), String> {
    // English, compiled in as one text with offsets: a table of one `Msg` per key
    // (three pointer-sized `Cow`s each) took 16 KB of the wasm's data.
    let mut text = String::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut first: Vec<usize> = Vec::new();
    for k in keys {
        first.push(ends.len());
        let v = en.get(*k).ok_or("key vanished")?;
        let forms: Vec<&str> = match v {
            Value::String(s) => vec![s.as_str()],
            _ => ["one", "other"]
                .iter()
                .map(|f| v.get(*f).and_then(Value::as_str).unwrap_or_default())
                .collect(),
        };
        for f in forms {
            text.push_str(f);
            ends.push(text.len());
        }
    }
    first.push(ends.len());
    if text.len() > usize::from(u16::MAX) || ends.len() > usize::from(u16::MAX) {
        return Err("the English catalogue outgrew its u16 offsets (build.rs)".into());
    }
    let list = |v: &[usize]| {
        v.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(
        *code,
        "/// English, compiled in: every message's text end to end (plural forms one\n\
         /// after the other), read through [`english_msg`]."
    );
    let _ = writeln!(*code, "pub const EN_TEXT: &str = {text:?};");
    let _ = writeln!(*code, "/// Where each segment of [`EN_TEXT`] ends.");
    let _ = writeln!(
        *code,
        "pub const EN_ENDS: [u16; {}] = [{}];",
        ends.len(),
        list(&ends)
    );
    let _ = writeln!(
        *code,
        "/// Each key's first segment (and the end): a text has one, a plural two."
    );
    let _ = writeln!(
        *code,
        "pub const EN_FIRST: [u16; {}] = [{}];\n",
        first.len(),
        list(&first)
    );
    Ok(())
}

fn generate(languages: &[(String, Catalog)]) -> Result<(), String> {
    let out = std::env::var("OUT_DIR").map_err(|e| e.to_string())?;
    let out = Path::new(&out);
    let json_dir = out.join("i18n");
    std::fs::create_dir_all(&json_dir).map_err(|e| e.to_string())?;
    let en = &languages.first().ok_or("no English")?.1;
    let keys: Vec<&String> = en.keys().collect();
    let keys_version = keys_version(en);

    let mut code = key_enum(&keys);
    english(&mut code, en, &keys)?;
    let _ = writeln!(
        code,
        "/// The checksum of the key list a fetched catalogue must carry (`keys`)."
    );
    let _ = writeln!(code, "pub const KEYS_VERSION: &str = {keys_version:?};\n");
    let _ = writeln!(
        code,
        "/// The languages there are catalogues for, English first."
    );
    let _ = writeln!(
        code,
        "pub const LANGUAGES: [LanguageInfo; {}] = [",
        languages.len()
    );
    let mut json_consts = String::new();
    for ((lang, cat), (_, merged)) in languages.iter().zip(served(languages)?) {
        std::fs::write(json_dir.join(format!("{lang}.json")), &merged)
            .map_err(|e| e.to_string())?;
        let name = cat
            .get("language.name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("i18n/{lang}/: `language.name` must be a string"))?;
        let _ = writeln!(
            code,
            "    LanguageInfo {{ code: {lang:?}, name: {name:?}, version: {:?} }},",
            version(&merged)
        );
        let path = json_dir.join(format!("{lang}.json"));
        let _ = writeln!(
            json_consts,
            "    include_str!({:?}),",
            path.display().to_string()
        );
    }
    let _ = writeln!(code, "];\n");
    let _ = writeln!(
        code,
        "/// Each language's merged catalogue as the app fetches it (tests load these; the\n/// release app only ever fetches them, so they are not linked into it).\npub const CATALOG_JSON: [&str; {}] = [\n{json_consts}];",
        languages.len()
    );
    std::fs::write(out.join("i18n.rs"), code).map_err(|e| e.to_string())
}
