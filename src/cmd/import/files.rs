//! What each Jekyll file is, and the files copied as they are: data
//! (`_data/` → `data/`) and static files (→ `static/`).

use super::Plan;
use super::config::Collection;
use super::tree::Entry;
use crate::error::Diagnostic;
use std::path::{Component, Path, PathBuf};

/// What a Jekyll file is, by where it is.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Role<'a> {
    /// Under a `_posts` folder, with the categories of the folders above it.
    Post(Vec<String>),
    /// Under `_drafts/`.
    Draft,
    /// Under `_data/`.
    Data,
    /// Under `_pages/` or outside `_` folders: a page (when it is Markdown
    /// with front matter) with its Jekyll folder.
    Page(String),
    /// In a collection's folder.
    Collection(&'a Collection),
    /// Anything else: a static file or a template.
    Other,
}

/// The role of the file at `rel` (from the Jekyll site's root).
pub(crate) fn role<'a>(rel: &Path, collections: &'a [Collection]) -> Role<'a> {
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let first = parts.first().map_or("", String::as_str);
    if let Some(i) = parts.iter().position(|p| p == "_posts") {
        return Role::Post(parts[..i].to_vec());
    }
    if first == "_drafts" {
        return Role::Draft;
    }
    if first == "_data" {
        return Role::Data;
    }
    if let Some(c) = collections
        .iter()
        .find(|c| first == format!("_{}", c.label))
    {
        return Role::Collection(c);
    }
    if first.starts_with('_') && first != "_pages" || !is_markdown(rel) {
        return Role::Other;
    }
    let dir = rel
        .parent()
        .map_or(String::new(), |d| d.to_string_lossy().into_owned());
    Role::Page(dir)
}

/// Jekyll's Markdown extensions (`markdown_ext`'s default).
pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["md", "markdown", "mkdown", "mkdn", "mkd"].contains(&e))
}

/// The file name of `rel` without its extension.
pub(crate) fn stem(rel: &Path) -> String {
    rel.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `rel` with a Markdown extension folio reads (`.md` for `.mkd` & co).
pub(crate) fn as_folio_markdown(rel: &Path) -> PathBuf {
    match rel.extension().and_then(|e| e.to_str()) {
        Some("md" | "markdown") => rel.to_path_buf(),
        _ => rel.with_extension("md"),
    }
}

/// A data file: `_data/**` → `data/**`, names and folders kept (folio
/// reads `.yml`, `.yaml`, `.json`, `.csv` and `.toml`).
pub(crate) fn data(entry: &Entry) -> Plan {
    let mut plan = Plan::default();
    let inside = entry.rel.strip_prefix("_data").unwrap_or(&entry.rel);
    match entry.rel.extension().and_then(|e| e.to_str()) {
        Some("yml" | "yaml" | "json" | "csv" | "toml") => {
            plan.copy(entry, Path::new("data").join(inside));
        }
        _ => plan.skip(entry, "folio reads data files as YAML, JSON, CSV or TOML"),
    }
    plan
}

/// A file outside posts, drafts, data, pages and collections: copied to
/// `static/` when Jekyll copies it as it is (no front matter); listed as
/// not imported when Jekyll processes it (a template, Sass).
pub(crate) fn other(entry: &Entry) -> Plan {
    let mut plan = Plan::default();
    let ext = entry.rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    if !entry.has_front_matter() {
        plan.copy(entry, Path::new("static").join(&entry.rel));
    } else if ext == "scss" || ext == "sass" {
        plan.skip(
            entry,
            "Sass is not compiled by folio; compile it to CSS and put that in static/",
        );
    } else {
        plan.skip(
            entry,
            "a Jekyll template or processed file (front matter); \
             recreate it as a Tera template or static file",
        );
    }
    plan
}

/// The note for a `_` folder that holds no content (`_layouts`,
/// `_includes`, `_sass`, `_site`, …).
pub(crate) fn template_dir_note(dir: &Path) -> Diagnostic {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let why = match name.as_str() {
        "_layouts" | "_includes" => {
            "Jekyll layouts and includes are Liquid templates; recreate them as Tera templates in templates/"
        }
        "_sass" => "Sass is not compiled by folio; compile it to CSS and put that in static/",
        "_site" => "Jekyll's output, made again by folio",
        _ => {
            "Jekyll reads no content from `_` folders other than posts, drafts, data, pages and collections"
        }
    };
    Diagnostic::file_warning(dir, format!("not imported: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_place() {
        let docs = [Collection {
            label: "docs".into(),
            output: true,
            permalink: None,
        }];
        let role = |p: &str| role(Path::new(p), &docs);
        assert_eq!(role("_posts/2020-01-01-a.md"), Role::Post(vec![]));
        assert_eq!(
            role("blog/news/_posts/x.md"),
            Role::Post(vec!["blog".into(), "news".into()])
        );
        assert_eq!(role("_drafts/a.md"), Role::Draft);
        assert_eq!(role("_data/nav.yml"), Role::Data);
        assert_eq!(role("_docs/a.md"), Role::Collection(&docs[0]));
        assert_eq!(role("_pages/about.md"), Role::Page("_pages".into()));
        assert_eq!(role("about.md"), Role::Page(String::new()));
        assert_eq!(role("assets/logo.png"), Role::Other);
    }

    #[test]
    fn folio_reads_md_and_markdown() {
        assert_eq!(as_folio_markdown(Path::new("a/b.mkd")), Path::new("a/b.md"));
        assert_eq!(
            as_folio_markdown(Path::new("b.markdown")),
            Path::new("b.markdown")
        );
    }
}
