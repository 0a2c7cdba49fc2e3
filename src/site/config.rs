//! Site settings: the front matter of `content/_index.md`, with command-line
//! overrides applied.

use crate::error::Diagnostic;
use crate::urls::BaseUrl;
use serde::Serialize;
use serde_json::{Map, Value};

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
    /// Every other setting, for templates (`config.extra.KEY`).
    pub(crate) extra: Map<String, Value>,
    /// Parsed base URL.
    #[serde(skip)]
    pub(crate) base: BaseUrl,
}

impl Config {
    /// Settings from `_index.md` front matter, with the CLI's `base_url` winning.
    pub(crate) fn resolve(
        settings: Map<String, Value>,
        source: &std::path::Path,
        base_override: Option<&str>,
    ) -> Result<Config, Diagnostic> {
        let mut extra = settings;
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
            extra,
            base,
        })
    }
}
