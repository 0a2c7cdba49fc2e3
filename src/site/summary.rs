//! What list pages, feeds and the sitemap know about a page: its summary,
//! light and built once per page.

use crate::body::markdown::plain_text;
use crate::site::config::Config;
use crate::site::page::Page;
use crate::urls::{BaseUrl, slugify};
use serde::Serialize;

/// A link to a taxonomy term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct TermLink {
    /// The term as written.
    pub(crate) name: String,
    /// Its slug.
    pub(crate) slug: String,
    /// Its page's URL (base-aware).
    pub(crate) url: String,
}

/// What list pages know about a page: light, built once per page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Summary {
    /// Title, as written (it may hold inline Markdown: templates show it
    /// with the `markdown` filter).
    pub(crate) title: String,
    /// The title's plain text, without Markdown (`<title>`, feeds, JSON-LD).
    pub(crate) title_plain: String,
    /// Base-aware URL (`/repo/posts/x/`).
    pub(crate) url: String,
    /// Absolute URL.
    pub(crate) permalink: String,
    /// RFC 3339 date, if any.
    pub(crate) date: Option<String>,
    /// RFC 3339 date of the last change (`last_modified_at`), if given.
    pub(crate) updated: Option<String>,
    /// Description (front matter), else the first paragraph's text.
    pub(crate) description: String,
    /// HTML of the first paragraph.
    pub(crate) excerpt: String,
    /// Minutes to read, at 200 words a minute.
    pub(crate) reading_time: usize,
    /// Tags as links.
    pub(crate) tags: Vec<TermLink>,
    /// Categories as links.
    pub(crate) categories: Vec<TermLink>,
}

fn term_links(base: &BaseUrl, taxonomy: &str, written: &[String]) -> Vec<TermLink> {
    written
        .iter()
        .map(|name| {
            let slug = slugify(name);
            TermLink {
                url: base.url(&format!("{taxonomy}/{slug}/")),
                name: name.clone(),
                slug,
            }
        })
        .filter(|t| !t.slug.is_empty())
        .collect()
}

/// The summary of a page, as list pages, feeds and the page itself see it.
pub(crate) fn summarize(config: &Config, page: &Page) -> Summary {
    let base = &config.base;
    Summary {
        title: page.head.title.clone(),
        title_plain: plain_text(&page.head.title),
        url: base.url(&page.head.path),
        permalink: base.absolute(&page.head.path),
        date: page.head.date.map(|d| d.to_rfc3339()),
        updated: page.head.updated.map(|d| d.to_rfc3339()),
        description: page
            .head
            .description
            .clone()
            .unwrap_or_else(|| page.body.summary.clone()),
        excerpt: page.body.excerpt.clone(),
        reading_time: page.body.word_count.div_ceil(200).max(1),
        tags: term_links(base, "tags", &page.head.tags),
        categories: term_links(base, "categories", &page.head.categories),
    }
}
