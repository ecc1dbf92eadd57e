//! The vocabulary of a schema diff: [`ChangeKind`], [`Change`] (made by [`change`]),
//! [`ToolChange`] and [`ToolDiff`]. Serialized as saved history and the JSON export write them
//! (serde derives; the same format as before, so old history still reads).

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What kind of difference one [`Change`] is. Serialized as
/// `{"type": "<camelCase variant>", "detail": …}` (`detail` absent for unit variants).
/// Read back through `Tagged` (the same format).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    content = "detail",
    rename_all = "camelCase",
    try_from = "Tagged"
)]
pub enum ChangeKind {
    /// `title` differs (added, removed or reworded).
    TitleChanged,
    /// `description` differs.
    DescriptionChanged,
    /// An input property that did not exist before.
    InputAdded {
        /// Whether it is required (then existing calls without it fail).
        required: bool,
    },
    /// An input property that no longer exists.
    InputRemoved,
    /// An input's (or the input schema's) `type` set differs.
    InputTypeChanged {
        /// The old type(s), e.g. `integer` or `integer | null`; `any` when unspecified.
        from: String,
        /// The new type(s), written the same way.
        to: String,
    },
    /// An existing input (input or output property) is now listed in `required`.
    BecameRequired,
    /// An existing property is no longer listed in `required`.
    BecameOptional,
    /// `enum` gained these values (display form: strings bare, others as JSON).
    EnumValuesAdded(Vec<String>),
    /// `enum` lost these values.
    EnumValuesRemoved(Vec<String>),
    /// A property of the output schema that did not exist before.
    OutputPropertyAdded,
    /// A property of the output schema that no longer exists.
    OutputPropertyRemoved,
    /// An output property's (or the output schema's) `type` set differs.
    OutputTypeChanged {
        /// The old type(s); `any` when unspecified.
        from: String,
        /// The new type(s).
        to: String,
    },
    /// One annotation (`readOnlyHint`, `destructiveHint`, …) differs.
    AnnotationChanged {
        /// The annotation's key.
        name: String,
        /// The old value (strings bare, others as JSON); `None` when absent.
        from: Option<String>,
        /// The new value; `None` when absent.
        to: Option<String>,
    },
    /// The tool's `enabled` flag differs.
    EnabledChanged {
        /// The old flag; `None` when the server did not say.
        from: Option<bool>,
        /// The new flag.
        to: Option<bool>,
    },
    /// Anything else in a schema differs (compared as canonical JSON): other
    /// keywords such as `minimum` or `additionalProperties`, a property's description,
    /// or a schema that appeared or disappeared.
    SchemaOtherChanged,
}

impl ChangeKind {
    /// The variant's camelCase name, as in the serialized `type` and the export's `kind`.
    pub fn name(&self) -> &'static str {
        match self {
            ChangeKind::TitleChanged => "titleChanged",
            ChangeKind::DescriptionChanged => "descriptionChanged",
            ChangeKind::InputAdded { .. } => "inputAdded",
            ChangeKind::InputRemoved => "inputRemoved",
            ChangeKind::InputTypeChanged { .. } => "inputTypeChanged",
            ChangeKind::BecameRequired => "becameRequired",
            ChangeKind::BecameOptional => "becameOptional",
            ChangeKind::EnumValuesAdded(_) => "enumValuesAdded",
            ChangeKind::EnumValuesRemoved(_) => "enumValuesRemoved",
            ChangeKind::OutputPropertyAdded => "outputPropertyAdded",
            ChangeKind::OutputPropertyRemoved => "outputPropertyRemoved",
            ChangeKind::OutputTypeChanged { .. } => "outputTypeChanged",
            ChangeKind::AnnotationChanged { .. } => "annotationChanged",
            ChangeKind::EnabledChanged { .. } => "enabledChanged",
            ChangeKind::SchemaOtherChanged => "schemaOtherChanged",
        }
    }
}

/// A serialized [`ChangeKind`] as read: its `type`, and its `detail` as JSON (`null`
/// when absent), which the variant then reads. Not serde's own reader for an
/// adjacently tagged enum: that one is generated per variant and weighed 17 KB of
/// wasm (bench/README.md "Size log"); the accepted format is the same.
#[derive(Deserialize)]
struct Tagged {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    detail: Value,
}

/// `{"from": …, "to": …}`, the detail of the `…TypeChanged` and `enabledChanged` kinds.
#[derive(Deserialize)]
struct FromTo<T> {
    from: T,
    to: T,
}

/// The detail of `annotationChanged`.
#[derive(Deserialize)]
struct Annotation {
    name: String,
    from: Option<String>,
    to: Option<String>,
}

/// The detail of `inputAdded`.
#[derive(Deserialize)]
struct Added {
    required: bool,
}

impl TryFrom<Tagged> for ChangeKind {
    type Error = serde_json::Error;

    fn try_from(t: Tagged) -> Result<Self, Self::Error> {
        use serde::de::Error;
        fn read<'a, T: Deserialize<'a>>(v: &'a Value) -> Result<T, serde_json::Error> {
            T::deserialize(v)
        }
        let d = &t.detail;
        let unit = |k: ChangeKind| match d {
            Value::Null => Ok(k),
            _ => Err(serde_json::Error::custom("this change kind has no detail")),
        };
        match t.kind.as_str() {
            "titleChanged" => unit(ChangeKind::TitleChanged),
            "descriptionChanged" => unit(ChangeKind::DescriptionChanged),
            "inputAdded" => read::<Added>(d).map(|a| ChangeKind::InputAdded {
                required: a.required,
            }),
            "inputRemoved" => unit(ChangeKind::InputRemoved),
            "inputTypeChanged" => read::<FromTo<String>>(d).map(|f| ChangeKind::InputTypeChanged {
                from: f.from,
                to: f.to,
            }),
            "becameRequired" => unit(ChangeKind::BecameRequired),
            "becameOptional" => unit(ChangeKind::BecameOptional),
            "enumValuesAdded" => read(d).map(ChangeKind::EnumValuesAdded),
            "enumValuesRemoved" => read(d).map(ChangeKind::EnumValuesRemoved),
            "outputPropertyAdded" => unit(ChangeKind::OutputPropertyAdded),
            "outputPropertyRemoved" => unit(ChangeKind::OutputPropertyRemoved),
            "outputTypeChanged" => {
                read::<FromTo<String>>(d).map(|f| ChangeKind::OutputTypeChanged {
                    from: f.from,
                    to: f.to,
                })
            }
            "annotationChanged" => read::<Annotation>(d).map(|a| ChangeKind::AnnotationChanged {
                name: a.name,
                from: a.from,
                to: a.to,
            }),
            "enabledChanged" => {
                read::<FromTo<Option<bool>>>(d).map(|f| ChangeKind::EnabledChanged {
                    from: f.from,
                    to: f.to,
                })
            }
            "schemaOtherChanged" => unit(ChangeKind::SchemaOtherChanged),
            other => Err(serde_json::Error::custom(format!(
                "unknown change kind {other}"
            ))),
        }
    }
}

/// One field-level difference in one tool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// Where: `title`, `description`, `enabled`, `annotations.destructiveHint`,
    /// `inputSchema`, `inputSchema.properties.priority`,
    /// `inputSchema.properties.filter.properties.status`,
    /// `inputSchema.properties.tags.items`, `outputSchema.properties.id`, …
    pub path: String,
    /// What kind of difference.
    pub kind: ChangeKind,
    /// Whether an existing caller may break.
    pub breaking: bool,
    /// The change and its consequence in words, e.g. "new required input “priority”:
    /// existing calls without it will fail".
    pub reason: String,
    /// For a changed title or description (the tool's or a schema property's): the
    /// text before and after, for the word-level diff. Absent in entries written
    /// before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<TextChange>,
}

/// Characters of each side of a changed text kept in a [`Change`] (history and
/// exports stay small; the review reads the whole text).
pub const MAX_TEXT: usize = 4_000;

/// A title or description before and after a change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextChange {
    /// The text before (absent: there was none).
    pub before: Option<String>,
    /// The text after (absent: there is none).
    pub after: Option<String>,
    /// A side was longer than [`MAX_TEXT`] characters and is kept cut to it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
}

impl TextChange {
    /// The change of `before` → `after`, each cut to [`MAX_TEXT`] characters.
    pub fn new(before: Option<&str>, after: Option<&str>) -> Self {
        let mut cut = false;
        let mut keep = |s: Option<&str>| {
            s.map(|s| match s.char_indices().nth(MAX_TEXT) {
                Some((i, _)) => {
                    cut = true;
                    s[..i].to_owned()
                }
                None => s.to_owned(),
            })
        };
        let (before, after) = (keep(before), keep(after));
        TextChange { before, after, cut }
    }
}

/// All differences found in one tool present before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolChange {
    /// The tool's name.
    pub name: String,
    /// Its differences, breaking ones first, otherwise in schema order.
    pub changes: Vec<Change>,
}

impl ToolChange {
    /// Whether any of its changes is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.breaking)
    }
}

/// How two catalogs differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ToolDiff {
    /// Tools only in the later catalog, sorted.
    pub added: Vec<String>,
    /// Tools only in the earlier catalog, sorted.
    pub removed: Vec<String>,
    /// Tools in both whose definitions differ: breaking ones first, then by name.
    pub changed: Vec<ToolChange>,
    /// Tools in both with identical definitions, sorted.
    pub unchanged: Vec<String>,
}

impl ToolDiff {
    /// Removed tools plus changed tools with at least one breaking change.
    pub fn breaking_count(&self) -> usize {
        self.removed.len() + self.changed.iter().filter(|c| c.is_breaking()).count()
    }

    /// Whether nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// How many tools the earlier catalog had (removed + changed + unchanged).
    pub fn before_count(&self) -> usize {
        self.removed.len() + self.changed.len() + self.unchanged.len()
    }

    /// How many tools the later catalog has (added + changed + unchanged).
    pub fn after_count(&self) -> usize {
        self.added.len() + self.changed.len() + self.unchanged.len()
    }
}

/// A [`Change`] at `path`.
pub(super) fn change(path: &str, kind: ChangeKind, breaking: bool, reason: String) -> Change {
    Change {
        path: path.to_owned(),
        kind,
        breaking,
        reason,
        text: None,
    }
}
