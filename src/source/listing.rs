//! How lists show pages: `paginate_by`, `sort_by`, `feed_limit` and
//! `feed_content` (in `content/_index.md`, and `paginate_by`/`sort_by` in
//! a section's `_index.md`), and each page's `weight`. Read from the front
//! matter's extra keys, checked, with errors at their line.

use super::frontmatter::RawFrontMatter;
use crate::error::Diagnostic;
use std::path::Path;

/// The order of a section's pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SortBy {
    /// Newest first; undated pages last.
    #[default]
    Date,
    /// By title, A to Z (case-insensitive).
    Title,
    /// By `weight`, lightest first; pages without one last.
    Weight,
}

/// What a feed entry carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum FeedContent {
    /// `<summary>`: the description, else the first paragraph's text.
    #[default]
    Summary,
    /// `<content type="html">`: the whole body's HTML.
    Full,
}

/// List settings as written in one file's front matter (each `None` when
/// not written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Listing {
    /// `paginate_by`: items per list page; 0 turns pagination off.
    pub(crate) paginate_by: Option<usize>,
    /// `sort_by` of a section.
    pub(crate) sort_by: Option<SortBy>,
    /// `feed_limit`: entries per feed.
    pub(crate) feed_limit: Option<usize>,
    /// `feed_content`: summaries or whole bodies.
    pub(crate) feed_content: Option<FeedContent>,
    /// `weight` of a page, for sections sorted by weight.
    pub(crate) weight: Option<i64>,
}

/// Takes the list settings out of `fm`'s extra keys.
pub(crate) fn take(rel: &Path, fm: &mut RawFrontMatter) -> Result<Listing, Diagnostic> {
    let mut listing = Listing::default();
    for key in [
        "paginate_by",
        "sort_by",
        "feed_limit",
        "feed_content",
        "weight",
    ] {
        let Some(value) = fm.extra.remove(key) else {
            continue;
        };
        let bad = |want: &str| {
            Diagnostic::error(rel, fm.line_of(key), 1, format!("`{key}` must be {want}"))
        };
        match key {
            "paginate_by" | "feed_limit" => {
                let n = value
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .ok_or_else(|| bad("a whole number, 0 or more"))?;
                if key == "paginate_by" {
                    listing.paginate_by = Some(n);
                } else {
                    listing.feed_limit = Some(n);
                }
            }
            "weight" => {
                listing.weight = Some(value.as_i64().ok_or_else(|| bad("a whole number"))?);
            }
            "sort_by" => {
                listing.sort_by = Some(match value.as_str() {
                    Some("date") => SortBy::Date,
                    Some("title") => SortBy::Title,
                    Some("weight") => SortBy::Weight,
                    _ => return Err(bad("`date`, `title` or `weight`")),
                });
            }
            _ => {
                listing.feed_content = Some(match value.as_str() {
                    Some("summary") => FeedContent::Summary,
                    Some("full") => FeedContent::Full,
                    _ => return Err(bad("`summary` or `full`")),
                });
            }
        }
    }
    Ok(listing)
}

/// Whether `key` is one of the list settings [`take`] reads (the site's
/// settings leave them out of `site.extra`).
pub(crate) fn is_setting(key: &str) -> bool {
    matches!(
        key,
        "paginate_by" | "sort_by" | "feed_limit" | "feed_content" | "weight"
    )
}
