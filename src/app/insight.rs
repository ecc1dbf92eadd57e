//! What the tool definitions before and after a refresh tell: the field-level diff,
//! where they disagree with the refresh answer, and the catalogs themselves; read
//! and compared a slice at a time so a huge answer never freezes the page. The
//! panel that shows it is `ui::insight`.

use std::sync::Arc;

use crate::api::{self, in_slices, Canceller};
use crate::core::error::ApiError;
use crate::core::i18n::{Tr, K};
use crate::core::model::RefreshResult;
use crate::core::review::steps::Removals;
use crate::core::review::{Review, ReviewSteps};
use crate::core::schema_diff::{ToolChange, ToolDiff};
use crate::core::session::Session;
use crate::core::stepwise::{DecodeSteps, DiffSteps};
use crate::core::tools::ToolCatalog;
use crate::core::warnings::{disagreements, Line};

/// Why there is no field-level diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// A tools call failed: the sentence that says so, as the caller made it.
    Failed(String),
    /// The definitions are too large to compare in the browser.
    TooLarge,
}

impl Unavailable {
    /// The reason in words.
    pub fn message(&self, tr: &Tr) -> String {
        match self {
            Unavailable::Failed(why) => why.clone(),
            Unavailable::TooLarge => tr.t(K::InsightTooLarge),
        }
    }
}

/// What the definitions before and after a refresh tell.
#[derive(Clone, Debug, PartialEq)]
pub struct Insight {
    /// The field-level diff, when both catalogs could be read.
    pub diff: Option<ToolDiff>,
    /// Why there is no field-level diff (shown instead of it).
    pub unavailable: Option<Unavailable>,
    /// The server's definitions carry no schemas (only names are compared).
    pub thin: bool,
    /// Where the refresh answer and the definitions disagree, similar ones grouped.
    pub mismatches: Vec<Line>,
    /// The catalogs, for sizes and the definition viewer.
    pub before: Option<Arc<ToolCatalog>>,
    /// The catalog after the refresh.
    pub after: Option<Arc<ToolCatalog>>,
    /// The safety review of the added and changed tools, and the set's hashes
    /// (when the field-level diff could be made).
    pub review: Option<Review>,
}

impl Insight {
    /// Builds the insight from the two tools calls (either may have failed or been
    /// too large: `Ok(None)`) and the refresh answer, in one go (small answers,
    /// tests). The page uses [`Insight::build`].
    pub fn new(
        before: Result<Option<ToolCatalog>, String>,
        after: Result<Option<ToolCatalog>, String>,
        refresh: &RefreshResult,
        removals: Removals,
    ) -> Self {
        match (before, after) {
            (Ok(Some(b)), Ok(Some(a))) => {
                let mut steps = DiffSteps::new(Arc::new(b), Arc::new(a));
                while !steps.step(usize::MAX) {}
                let mut insight = Self::compared(steps, refresh);
                if let (Some(b), Some(a), Some(d)) =
                    (&insight.before, &insight.after, &insight.diff)
                {
                    insight.review = Some(ReviewSteps::run(b.clone(), a.clone(), d, removals));
                }
                insight
            }
            (b, a) => Self::without_diff(b, a),
        }
    }

    /// Like [`Insight::new`], but the schema diff and the size of each tool are
    /// worked out a slice at a time, giving the browser a turn after every
    /// [`SLICE_MS`](crate::api::SLICE_MS): 20,000 tools whose schemas all changed never make one long task.
    pub async fn build(
        before: Result<Option<ToolCatalog>, String>,
        after: Result<Option<ToolCatalog>, String>,
        refresh: &RefreshResult,
        removals: Removals,
    ) -> Self {
        match (before, after) {
            (Ok(Some(b)), Ok(Some(a))) => {
                let mut steps = DiffSteps::new(Arc::new(b), Arc::new(a));
                in_slices(|| steps.step(STEP_TOOLS)).await;
                api::yield_now().await;
                let mut insight = Self::compared(steps, refresh);
                api::yield_now().await;
                if let (Some(b), Some(a), Some(d)) =
                    (&insight.before, &insight.after, &insight.diff)
                {
                    let mut review = ReviewSteps::new(b.clone(), a.clone(), d, removals);
                    in_slices(|| review.step(STEP_TOOLS)).await;
                    api::yield_now().await;
                    insight.review = Some(review.finish());
                }
                insight
            }
            (b, a) => Self::without_diff(b, a),
        }
    }

    /// The changed tools (none without a field-level diff).
    pub fn changed(&self) -> &[ToolChange] {
        self.diff.as_ref().map_or(&[], |d| d.changed.as_slice())
    }

    fn compared(steps: DiffSteps, refresh: &RefreshResult) -> Self {
        let (b, a) = steps.catalogs();
        let diff = steps.finish();
        let mismatches = disagreements(&diff, refresh);
        Insight {
            thin: a.thin && b.thin,
            diff: Some(diff),
            unavailable: None,
            mismatches,
            before: Some(b),
            after: Some(a),
            review: None,
        }
    }

    fn without_diff(
        b: Result<Option<ToolCatalog>, String>,
        a: Result<Option<ToolCatalog>, String>,
    ) -> Self {
        let why = match (&b, &a) {
            (Err(e), _) | (_, Err(e)) => Unavailable::Failed(e.clone()),
            _ => Unavailable::TooLarge,
        };
        Insight {
            diff: None,
            unavailable: Some(why),
            thin: false,
            mismatches: Vec::new(),
            before: b.ok().flatten().map(Arc::new),
            after: a.ok().flatten().map(Arc::new),
            review: None,
        }
    }
}

/// `GET …/configurations/{id}/tools`, decoded a slice of tools at a time (a 3 MB answer is too much JSON for one
/// task); `Ok(None)` when the answer is over [`MAX_TOOLS_BODY`](crate::api::MAX_TOOLS_BODY).
pub async fn fetch_tools(
    session: &Session,
    id: &str,
    c: &Canceller,
) -> Result<Option<ToolCatalog>, ApiError> {
    let reply = api::get_tools_reply(session, id, c).await?;
    if reply.is_success() && reply.body.len() > api::MAX_TOOLS_BODY {
        return Ok(None);
    }
    let mut steps = DecodeSteps::new(reply, api::now());
    api::yield_now().await;
    in_slices(|| steps.step(STEP_TOOLS)).await;
    api::yield_now().await;
    steps.finish(api::now()).map(Some)
}

/// Tools compared per step (a step is checked against the clock).
const STEP_TOOLS: usize = 25;
