//! Site settings: the front matter of `content/_index.md`, with command-line
//! overrides applied.

use crate::error::Diagnostic;
use crate::source::listing::{self, FeedContent, Listing};
use crate::urls::BaseUrl;
use serde::Serialize;
use serde_json::{Map, Value};

/// Items per list page when `paginate_by` is not set.
const DEFAULT_PAGINATE_BY: usize = 10;
/// Entries per feed when `feed_limit` is not set.
const DEFAULT_FEED_LIMIT: usize = 20;

/// Site settings, resolved.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Config {
    /// Site title (`title` of `_index.md`).
    pub(crate) title: String,
    /// One-line description.
    pub(crate) description: String,
    /// Default author for posts without one.
    pub(crate) author: String,
    /// `lang` attribute of pages, such as `en`.
    pub(crate) language: String,
    /// The base URL as given (normalised with a trailing slash).
    pub(crate) base_url: String,
    /// Custom domain for GitHub Pages (`CNAME` file), if any.
    pub(crate) cname: Option<String>,
    /// Items per list page (`paginate_by`, default 10; 0: one page).
    pub(crate) paginate_by: usize,
    /// Entries per feed (`feed_limit`, default 20; 0 is every post).
    pub(crate) feed_limit: usize,
    /// What a feed entry carries (`feed_content`, default `summary`).
    #[serde(skip)]
    pub(crate) feed_content: FeedContent,
    /// Every other setting, for templates (`config.extra.KEY`).
    pub(crate) extra: Map<String, Value>,
    /// Parsed base URL.
    #[serde(skip)]
    pub(crate) base: BaseUrl,
}

impl Config {
    /// Settings from `_index.md` front matter (its list settings already
    /// read into `listing`), with the CLI's `base_url` winning.
    pub(crate) fn resolve(
        settings: Map<String, Value>,
        listing: &Listing,
        source: &std::path::Path,
        base_override: Option<&str>,
    ) -> Result<Config, Diagnostic> {
        let mut extra = settings;
        extra.retain(|key, _| !listing::is_setting(key));
        let mut take = |key: &str| match extra.remove(key) {
            Some(Value::String(s)) => Some(s),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let title = take("title").unwrap_or_else(|| "My site".to_string());
        let description = take("description").unwrap_or_default();
        let author = take("author").unwrap_or_default();
        let language = take("language").unwrap_or_else(|| "en".to_string());
        let cname = take("cname").filter(|c| !c.trim().is_empty());
        let from_file = take("base_url");
        let (base_text, from_cli) = match base_override {
            Some(b) => (b.to_string(), true),
            None => (from_file.unwrap_or_else(|| "/".to_string()), false),
        };
        let base = BaseUrl::parse(&base_text).map_err(|msg| {
            if from_cli {
                Diagnostic::file_error("--base-url", msg)
            } else {
                Diagnostic::file_error(source, format!("base_url: {msg}"))
            }
        })?;
        Ok(Config {
            title,
            description,
            author,
            language,
            base_url: format!("{}{}", base.origin, base.path),
            cname,
            paginate_by: listing.paginate_by.unwrap_or(DEFAULT_PAGINATE_BY),
            feed_limit: listing.feed_limit.unwrap_or(DEFAULT_FEED_LIMIT),
            feed_content: listing.feed_content.unwrap_or_default(),
            extra,
            base,
        })
    }
}
