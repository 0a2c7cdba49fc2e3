//! Site settings: the front matter of `content/_index.md`, with command-line
//! overrides applied.

use crate::error::Diagnostic;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// What a build was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's root folder (holds `content/`, `templates/`, `static/`).
    pub root: PathBuf,
    /// Where to write the site; relative paths are under `root`.
    pub out: PathBuf,
    /// Overrides `base_url` from `_index.md`.
    pub base_url: Option<String>,
    /// Build drafts (`draft: true`, `published: false`) too.
    pub drafts: bool,
    /// Build posts dated after the build's time too (Jekyll's `--future`).
    pub future: bool,
}

impl BuildOptions {
    /// Defaults for a site at `root`: output to `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: PathBuf::from("public"),
            base_url: None,
            drafts: false,
            future: false,
        }
    }

    /// Posts dated after this are left out; `None` with `--future`. It is
    /// `SOURCE_DATE_EPOCH` when set, else the current time. The clock only
    /// decides which posts are in: no output bytes come from it.
    pub fn publish_cutoff(&self) -> Option<DateTime<FixedOffset>> {
        if self.future {
            return None;
        }
        DateTime::from_timestamp(source_date_or_now(), 0).map(|d| d.fixed_offset())
    }

    /// The output folder, resolved against the root.
    pub fn out_dir(&self) -> PathBuf {
        self.root.join(&self.out)
    }
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970), when set to a number: the
/// reproducible-builds convention for "the time of this build".
pub fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

/// `SOURCE_DATE_EPOCH` when set, else the clock. Only decisions read it
/// (which posts are in the future, the date `folio new` writes): no build
/// output bytes come from it.
pub fn source_date_or_now() -> i64 {
    source_date_epoch().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}

/// Where the site lives. Every internal URL goes through this, so a site
/// served from a sub-path (`https://user.github.io/repo/`) works everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Scheme and host, such as `https://user.github.io`; empty when the base
    /// is only a path.
    pub origin: String,
    /// The path prefix, always starting and ending with `/`.
    pub path: String,
}

impl BaseUrl {
    /// Reads `https://host/sub/`, `https://host`, `/sub/` or ``.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let (origin, path) = match text.split_once("://") {
            Some((scheme, rest)) => {
                if scheme.is_empty()
                    || !scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                {
                    return Err(format!(
                        "`{text}` is not a URL (expected https://host/path/)"
                    ));
                }
                let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
                if host.is_empty() {
                    return Err(format!("`{text}` has no host name"));
                }
                (format!("{scheme}://{host}"), path)
            }
            None => (String::new(), text),
        };
        if path.contains(['?', '#', ' ', '\\']) || path.split('/').any(|s| s == "..") {
            return Err(format!(
                "`{text}` must be a plain path with no `..`, query or fragment"
            ));
        }
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(BaseUrl { origin, path })
    }

    /// The root-relative URL of a site path (`posts/x/` → `/repo/posts/x/`).
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path.trim_start_matches('/'))
    }

    /// The absolute URL of a site path, when the base has an origin.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.url(site_path))
    }
}

/// Site settings, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Config {
    /// Site title (`title` of `_index.md`).
    pub title: String,
    /// One-line description.
    pub description: String,
    /// Default author for posts without one.
    pub author: String,
    /// `lang` attribute of pages, such as `en`.
    pub language: String,
    /// The base URL as given (normalised with a trailing slash).
    pub base_url: String,
    /// Custom domain for GitHub Pages (`CNAME` file), if any.
    pub cname: Option<String>,
    /// Every other setting, for templates (`config.extra.KEY`).
    pub extra: Map<String, Value>,
    /// Parsed base URL.
    #[serde(skip)]
    pub base: BaseUrl,
}

impl Config {
    /// Settings from `_index.md` front matter, with the CLI's `base_url` winning.
    pub fn resolve(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_normalise() {
        let b = BaseUrl::parse("https://user.github.io/repo").unwrap();
        assert_eq!(b.origin, "https://user.github.io");
        assert_eq!(b.path, "/repo/");
        assert_eq!(b.url("/posts/x/"), "/repo/posts/x/");
        assert_eq!(
            b.absolute("sitemap.xml"),
            "https://user.github.io/repo/sitemap.xml"
        );
        let root = BaseUrl::parse("https://example.com").unwrap();
        assert_eq!(root.url(""), "/");
        assert_eq!(BaseUrl::parse("").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("/sub/").unwrap().url("a/"), "/sub/a/");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://h/../x").is_err());
        assert!(BaseUrl::parse("https://h/x?y").is_err());
    }
}
