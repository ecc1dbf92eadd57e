//! The words of a schema diff, in any language.
//!
//! A [`Change`]'s `reason` is data: the English sentence, as saved history and the
//! JSON export have always written it. [`Change::reason_in`] says it in another
//! language by working out which catalogue message the English sentence is (from the
//! change's kind and path, the English template's fixed text and a check that the
//! English comes out the same), so a change read back from old history is
//! translated too. A sentence it cannot place is shown as it was saved.

use crate::core::i18n::{english_msg, Arg, Lang, Msg, Tr, K};

use super::change::{Change, ChangeKind};

/// Which schema of a tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Side {
    /// `inputSchema`.
    Input,
    /// `outputSchema`.
    Output,
}

impl Side {
    /// The key of its schema in a tool definition (and the first part of a path).
    pub(super) fn root(self) -> &'static str {
        match self {
            Side::Input => "inputSchema",
            Side::Output => "outputSchema",
        }
    }

    /// "input “filter.status”", or "the input schema" for the root.
    pub(super) fn what(self, label: &str) -> Part {
        Part::What(self, label.to_owned())
    }
}

/// One argument of a reason, before it is put in words for a language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// The same in every language: a name, a type, JSON keywords.
    Plain(String),
    /// "input “filter.status”", or "the input schema" for an empty label.
    What(Side, String),
    /// Values, each quoted, joined by commas.
    Values(Vec<String>),
    /// `true`, `false`, or "unspecified".
    Flag(Option<bool>),
    /// A value as it is, or "unset".
    Value(Option<String>),
    /// Not known from the change's data: read from the English sentence.
    Unknown,
}

thread_local! {
    static ENGLISH: Tr = Tr::english();
}

fn text(tr: &Tr, part: &Part) -> Option<String> {
    Some(match part {
        Part::Plain(s) => s.clone(),
        Part::What(Side::Input, l) if l.is_empty() => tr.t(K::SchemaWhatInputRoot),
        Part::What(Side::Output, l) if l.is_empty() => tr.t(K::SchemaWhatOutputRoot),
        Part::What(Side::Input, l) => tr.f(K::SchemaWhatInput, &[("name", l.into())]),
        Part::What(Side::Output, l) => tr.f(K::SchemaWhatOutput, &[("name", l.into())]),
        Part::Values(v) => v
            .iter()
            .map(|x| tr.f(K::SchemaQuoted, &[("text", x.into())]))
            .collect::<Vec<_>>()
            .join(", "),
        Part::Flag(Some(true)) => "true".to_owned(),
        Part::Flag(Some(false)) => "false".to_owned(),
        Part::Flag(None) => tr.t(K::SchemaUnspecified),
        Part::Value(Some(v)) => v.clone(),
        Part::Value(None) => tr.t(K::SchemaUnset),
        Part::Unknown => return None,
    })
}

/// Message `key` with `parts` in `tr`'s language.
pub(super) fn render(tr: &Tr, key: K, parts: &[(&str, Part)]) -> String {
    let args: Vec<(&str, Arg<'_>)> = parts
        .iter()
        .filter_map(|(name, p)| text(tr, p).map(|t| (*name, Arg::from(t))))
        .collect();
    tr.f(key, &args)
}

/// Message `key` with `parts` in English: a change's saved `reason`.
pub(super) fn english(key: K, parts: &[(&str, Part)]) -> String {
    ENGLISH.with(|tr| render(tr, key, parts))
}

impl Change {
    /// The reason in `tr`'s language (the saved English one when it is English, or
    /// when the sentence is not one this version writes).
    pub fn reason_in(&self, tr: &Tr) -> String {
        if tr.lang() == Lang::EN {
            return self.reason.clone();
        }
        for (key, parts) in candidates(self) {
            if let Some(parts) = read_back(key, parts, &self.reason) {
                return render(tr, key, &parts);
            }
        }
        self.reason.clone()
    }
}

/// `parts` with its unknowns read from `reason`, if `reason` is message `key`'s English.
fn read_back(
    key: K,
    mut parts: Vec<(&'static str, Part)>,
    reason: &str,
) -> Option<Vec<(&'static str, Part)>> {
    let Some(Msg::Text(template)) = english_msg(key as usize) else {
        return None;
    };
    let segments = ENGLISH.with(|tr| segments(tr, &template, &parts))?;
    let found = matches(&segments, reason)?;
    for (name, value) in found {
        if let Some((_, p)) = parts.iter_mut().find(|(n, _)| *n == name) {
            *p = Part::Plain(value);
        }
    }
    (english(key, &parts) == reason).then_some(parts)
}

enum Segment {
    Text(String),
    Slot(&'static str),
}

/// The English template with its known parts filled in and its unknown ones as slots.
fn segments(tr: &Tr, template: &str, parts: &[(&'static str, Part)]) -> Option<Vec<Segment>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = rest.get(start + 1..)?;
        let end = after.find('}')?;
        let name = after.get(..end)?;
        let (pname, part) = parts.iter().find(|(n, _)| *n == name)?;
        out.push(Segment::Text(rest.get(..start)?.to_owned()));
        match text(tr, part) {
            Some(t) => out.push(Segment::Text(t)),
            None => out.push(Segment::Slot(pname)),
        }
        rest = after.get(end + 1..)?;
    }
    out.push(Segment::Text(rest.to_owned()));
    Some(out)
}

/// The slots' values if `s` is `segments` (the first way it fits).
fn matches(segments: &[Segment], s: &str) -> Option<Vec<(&'static str, String)>> {
    match segments.split_first() {
        None => s.is_empty().then(Vec::new),
        Some((Segment::Text(t), rest)) => matches(rest, s.strip_prefix(t.as_str())?),
        Some((Segment::Slot(name), rest)) => s
            .char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(s.len()))
            .find_map(|end| {
                let mut found = matches(rest, s.get(end..)?)?;
                found.insert(0, (*name, s.get(..end)?.to_owned()));
                Some(found)
            }),
    }
}

/// The side and label ("filter.status", "tags[]") of a schema path; `None` outside
/// the schemas or when a property name makes the path ambiguous.
fn side_label(path: &str) -> Option<(Side, String)> {
    let (side, rest) = if let Some(r) = path.strip_prefix(Side::Input.root()) {
        (Side::Input, r)
    } else {
        (Side::Output, path.strip_prefix(Side::Output.root())?)
    };
    let mut label = String::new();
    if rest.is_empty() {
        return Some((side, label));
    }
    let mut tokens = rest.strip_prefix('.')?.split('.');
    while let Some(t) = tokens.next() {
        match t {
            "properties" => {
                if !label.is_empty() {
                    label.push('.');
                }
                label.push_str(tokens.next()?);
            }
            "items" => label.push_str("[]"),
            _ => return None,
        }
    }
    Some((side, label))
}

type Candidate = (K, Vec<(&'static str, Part)>);

/// The messages a change's reason may be, with what its data says of their arguments.
fn candidates(c: &Change) -> Vec<Candidate> {
    use Part::{Plain, Unknown};
    let what = side_label(&c.path).map(|(s, l)| Part::What(s, l));
    let with_what = |keys: &[K], more: Vec<(&'static str, Part)>| -> Vec<Candidate> {
        let Some(w) = &what else {
            return Vec::new();
        };
        keys.iter()
            .map(|k| {
                let mut parts = vec![("what", w.clone())];
                parts.extend(more.iter().cloned());
                (*k, parts)
            })
            .collect()
    };
    let types = |from: &str, to: &str| vec![("from", Plain(from.into())), ("to", Plain(to.into()))];
    match &c.kind {
        ChangeKind::TitleChanged | ChangeKind::DescriptionChanged
            if c.path.ends_with(".title") || c.path.ends_with(".description") =>
        {
            let (key, base) = match c.path.rsplit_once('.') {
                Some(("", _)) | None => return Vec::new(),
                Some((base, "title")) => (K::SchemaPropertyTitleChanged, base),
                Some((base, _)) => (K::SchemaPropertyDescriptionChanged, base),
            };
            side_label(base)
                .map(|(s, l)| vec![(key, vec![("what", Part::What(s, l))])])
                .unwrap_or_default()
        }
        ChangeKind::TitleChanged => vec![
            (K::SchemaTitleAdded, vec![("title", Unknown)]),
            (K::SchemaTitleRemoved, vec![]),
            (
                K::SchemaTitleReworded,
                vec![("from", Unknown), ("to", Unknown)],
            ),
            (K::SchemaTitleChanged, vec![]),
        ],
        ChangeKind::DescriptionChanged => vec![
            (K::SchemaDescriptionAdded, vec![]),
            (K::SchemaDescriptionRemoved, vec![]),
            (K::SchemaDescriptionChanged, vec![]),
        ],
        ChangeKind::EnabledChanged { from, to } => vec![
            (K::SchemaDisabled, vec![]),
            (
                K::SchemaEnabledChanged,
                vec![("from", Part::Flag(*from)), ("to", Part::Flag(*to))],
            ),
        ],
        ChangeKind::AnnotationChanged { name, from, to } => vec![
            (K::SchemaNoLongerReadOnly, vec![]),
            (K::SchemaNowDestructive, vec![]),
            (
                K::SchemaAnnotationChanged,
                vec![
                    ("name", Plain(name.clone())),
                    ("from", Part::Value(from.clone())),
                    ("to", Part::Value(to.clone())),
                ],
            ),
        ],
        ChangeKind::InputAdded { required: true } => {
            with_what(&[K::SchemaInputAddedRequired], vec![])
        }
        ChangeKind::InputAdded { required: false } => {
            with_what(&[K::SchemaInputAddedOptional], vec![])
        }
        ChangeKind::InputRemoved => with_what(&[K::SchemaInputRemoved], vec![]),
        ChangeKind::OutputPropertyAdded => with_what(&[K::SchemaOutputAdded], vec![]),
        ChangeKind::OutputPropertyRemoved => with_what(&[K::SchemaOutputRemoved], vec![]),
        ChangeKind::InputTypeChanged { from, to } => with_what(
            &[K::SchemaInputWidened, K::SchemaInputRetyped],
            types(from, to),
        ),
        ChangeKind::OutputTypeChanged { from, to } => with_what(
            &[K::SchemaOutputNarrowed, K::SchemaOutputRetyped],
            types(from, to),
        ),
        ChangeKind::BecameRequired => with_what(
            &[K::SchemaBecameRequired, K::SchemaOutputAlwaysPresent],
            vec![],
        ),
        ChangeKind::BecameOptional => with_what(
            &[K::SchemaBecameOptional, K::SchemaOutputNotGuaranteed],
            vec![],
        ),
        ChangeKind::EnumValuesRemoved(v) => with_what(
            &[K::SchemaInputValuesRemoved, K::SchemaOutputValuesRemoved],
            vec![("values", Part::Values(v.clone()))],
        ),
        ChangeKind::EnumValuesAdded(v) => with_what(
            &[K::SchemaInputValuesAdded, K::SchemaOutputValuesAdded],
            vec![("values", Part::Values(v.clone()))],
        ),
        ChangeKind::SchemaOtherChanged => {
            let mut all: Vec<Candidate> = [
                K::SchemaInputPublished,
                K::SchemaOutputPublished,
                K::SchemaInputUnpublished,
                K::SchemaOutputUnpublished,
            ]
            .into_iter()
            .map(|k| (k, vec![]))
            .collect();
            all.extend(with_what(
                &[K::SchemaSchemaChanged, K::SchemaTooDeep],
                vec![],
            ));
            all.extend(with_what(&[K::SchemaOtherDetails], vec![("keys", Unknown)]));
            all
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::schema_diff::diff_tool;
    use crate::core::tools::ToolDef;
    use serde_json::json;

    fn tr(code: &str) -> Tr {
        Tr::native(Lang::from_tag(code).unwrap())
    }

    #[test]
    fn paths_give_back_their_labels() {
        assert_eq!(
            side_label("inputSchema"),
            Some((Side::Input, String::new()))
        );
        assert_eq!(
            side_label("inputSchema.properties.filter.properties.status"),
            Some((Side::Input, "filter.status".into()))
        );
        assert_eq!(
            side_label("outputSchema.properties.tags.items"),
            Some((Side::Output, "tags[]".into()))
        );
        assert_eq!(side_label("title"), None);
        assert_eq!(side_label("inputSchema.properties"), None);
    }

    #[test]
    fn reasons_are_said_in_the_language_and_saved_in_english() {
        let b = ToolDef {
            name: "t".into(),
            title: Some("Old".into()),
            input_schema: Some(json!({"properties":{"mode":{"enum":["a","b"]}}})),
            ..ToolDef::default()
        };
        let a = ToolDef {
            name: "t".into(),
            title: Some("New".into()),
            input_schema: Some(json!({"properties":{"mode":{"enum":["a"]},
                "filter":{"type":"object","properties":{"status":{"type":"string"}},"required":["status"]}},
                "required":["filter"]})),
            ..ToolDef::default()
        };
        let changes = diff_tool(&b, &a);
        let reasons = |code: &str| -> Vec<String> {
            let tr = tr(code);
            changes.iter().map(|c| c.reason_in(&tr)).collect()
        };
        assert_eq!(
            reasons("en"),
            changes.iter().map(|c| c.reason.clone()).collect::<Vec<_>>()
        );
        let de = reasons("de");
        assert!(
            de.contains(
                &"neue erforderliche Eingabe «filter»: Bestehende Aufrufe ohne sie schlagen fehl"
                    .to_owned()
            ),
            "{de:?}"
        );
        assert!(
            de.contains(&"Titel von «Old» zu «New» geändert".to_owned()),
            "{de:?}"
        );
        assert!(
            de.iter()
                .any(|r| r.starts_with("Eingabe «mode» akzeptiert «b» nicht mehr")),
            "{de:?}"
        );
        let fr = reasons("fr");
        assert!(fr.iter().any(|r| r.contains("« b »")), "{fr:?}");
        let it = reasons("it");
        assert!(it.iter().any(|r| r.contains("«b»")), "{it:?}");
        for (lang, rs) in [("de", &de), ("fr", &fr), ("it", &it)] {
            for (r, c) in rs.iter().zip(&changes) {
                assert_ne!(r, &c.reason, "{lang}: left in English");
            }
        }
    }

    #[test]
    fn an_unknown_sentence_is_shown_as_saved() {
        let c = Change {
            path: "title".into(),
            kind: ChangeKind::TitleChanged,
            breaking: false,
            reason: "written by some other version".into(),
            text: None,
        };
        assert_eq!(c.reason_in(&tr("de")), "written by some other version");
    }
}
