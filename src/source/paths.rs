//! Where a content file goes, from its place under `content/` and its
//! front matter: its kind (home, section, post, page), its site path (the
//! default one, or its `permalink` filled in), the file that path is
//! written to, and the title of a file without one.

use super::{PageKind, date};
use crate::urls::{slugify, stays_inside};
use chrono::{DateTime, FixedOffset};
use std::path::Path;

/// The file a site path is written to: `index.html` in a folder's path
/// (`posts/x/` → `posts/x/index.html`), else the path itself.
pub(super) fn output_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The site path folio gives the content file at `rel` (from the site's
/// root) when its front matter has no `permalink`: `slug` is its front
/// matter's `slug`, if any. For tools that write content files.
pub(crate) fn default_site_path(rel: &Path, slug: Option<&str>) -> String {
    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    let (_, file_slug) = date::split_file_name(stem);
    default_path(page_kind(rel), rel, &slugify(slug.unwrap_or(file_slug)))
}

/// The home page is `content/_index.md`; a section is any other
/// `_index.md`; a post is any file under `content/posts/`; anything else
/// is a page.
pub(super) fn page_kind(rel: &Path) -> PageKind {
    let in_posts = rel
        .strip_prefix("content")
        .ok()
        .and_then(|p| p.components().next())
        .is_some_and(|c| c.as_os_str() == "posts");
    if rel.file_name().is_some_and(|n| n == "_index.md") {
        if rel.parent() == Some(Path::new("content")) {
            PageKind::Home
        } else {
            PageKind::Section
        }
    } else if in_posts {
        PageKind::Post
    } else {
        PageKind::Page
    }
}

/// A page's site path without a `permalink`: `posts/SLUG/` for a post,
/// its folders' slugs then its own for a page (`docs/getting-started/`);
/// its folders' slugs for a section (`docs/_index.md` → `docs/`).
pub(super) fn default_path(kind: PageKind, rel: &Path, slug: &str) -> String {
    match kind {
        PageKind::Home => String::new(),
        PageKind::Post => format!("posts/{slug}/"),
        PageKind::Section => {
            let folder = rel.parent().unwrap_or(rel);
            default_path(PageKind::Page, folder, slug)
        }
        PageKind::Page => {
            let dir = rel.parent().and_then(|p| p.strip_prefix("content").ok());
            let dir: Vec<String> = dir
                .into_iter()
                .flat_map(|d| d.components())
                .map(|c| slugify(&c.as_os_str().to_string_lossy()))
                .collect();
            let mut path = dir.join("/");
            if !path.is_empty() {
                path.push('/');
            }
            format!("{path}{slug}/")
        }
    }
}

/// The title of a file without `title`: Jekyll titles an untitled post
/// from its slug, word by word; a page keeps its file name's words.
pub(super) fn default_title(kind: PageKind, file_slug: &str) -> String {
    match kind {
        PageKind::Home => String::new(),
        PageKind::Post => file_slug
            .split('-')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_uppercase().chain(chars).collect::<String>()
                })
            })
            .collect::<Vec<_>>()
            .join(" "),
        PageKind::Page | PageKind::Section => file_slug.replace('-', " "),
    }
}

/// Resolves a `permalink` into a site path. Jekyll's placeholders `:year`,
/// `:month`, `:day`, `:title`, `:slug` and `:categories` are filled in.
/// The result never leaves the output folder.
pub(super) fn permalink_path(
    written: &str,
    slug: &str,
    date: Option<&DateTime<FixedOffset>>,
    categories: &[String],
) -> Result<String, String> {
    let mut path = written.to_string();
    let cats: Vec<String> = categories.iter().map(|c| slugify(c)).collect();
    let fill = [
        (":categories", cats.join("/")),
        (":title", slug.to_string()),
        (":slug", slug.to_string()),
        (
            ":year",
            date.map(|d| d.format("%Y").to_string()).unwrap_or_default(),
        ),
        (
            ":month",
            date.map(|d| d.format("%m").to_string()).unwrap_or_default(),
        ),
        (
            ":day",
            date.map(|d| d.format("%d").to_string()).unwrap_or_default(),
        ),
    ];
    for (key, value) in fill {
        path = path.replace(key, &value);
    }
    plain_site_path(&path).ok_or_else(|| {
        format!(
            "permalink `{written}` must be a plain path inside the site (no `..`, `\\`, query or scheme)"
        )
    })
}

/// A path written in front matter (`/about/`, `/old/page.html`) as a site
/// path (`about/`, `old/page.html`): a last segment with a `.` names a
/// file, anything else a folder. `None` when it could leave the output
/// folder or is not a plain path (a query, a fragment, a scheme).
pub(super) fn plain_site_path(path: &str) -> Option<String> {
    let unsafe_part = !stays_inside(path)
        || path.contains(['?', '#'])
        || path.to_ascii_lowercase().contains("%2e");
    if unsafe_part || path.contains("://") {
        return None;
    }
    let trimmed: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    // `/v1.2/` is a folder (Jekyll writes its index.html); `/about.html`
    // and `/v1.2` are files.
    let is_file = !path.ends_with('/') && trimmed.last().is_some_and(|s| s.contains('.'));
    let mut path = trimmed.join("/");
    if !is_file && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permalinks_fill_placeholders_and_stay_inside() {
        let d = date::parse("2020-01-02").unwrap();
        assert_eq!(
            permalink_path("/:categories/:year/:title/", "s", Some(&d), &["A B".into()]).unwrap(),
            "a-b/2020/s/"
        );
        assert_eq!(
            permalink_path("/about.html", "s", None, &[]).unwrap(),
            "about.html"
        );
        assert_eq!(
            permalink_path("/2020/v1.2-release/", "s", None, &[]).unwrap(),
            "2020/v1.2-release/"
        );
        assert!(permalink_path("/../etc/", "s", None, &[]).is_err());
        assert!(permalink_path("/%2e%2e/x/", "s", None, &[]).is_err());
        assert!(permalink_path("a\\b", "s", None, &[]).is_err());
    }
}
