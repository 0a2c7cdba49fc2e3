//! Pages (Markdown with front matter outside `_` folders, and in
//! `_pages/`) → `content/`, and the documents of collections with
//! `output: true` (`_<label>/`) → the section `content/<label>/`; each at
//! the URL Jekyll gave it.

use super::config::Collection;
use super::permalink::{Document, document_url, page_url};
use super::tree::Entry;
use super::{Moved, Plan, Planned, Site, Source, config, files, front};
use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

/// One page: Markdown with front matter outside posts, drafts, data and
/// collections. `dir` is its Jekyll folder (`` at the top, `_pages`).
pub(crate) fn page(site: &Site<'_>, entry: &Entry, dir: &str) -> Plan {
    if !entry.has_front_matter() {
        return files::other(entry);
    }
    let mut plan = Plan::default();
    let stem = files::stem(&entry.rel);
    let basename = stem.trim_end_matches('.');
    if dir.is_empty() && basename == "index" {
        plan.skip(
            entry,
            "folio's home page is content/_index.md, made from _config.yml; move this page's text into it",
        );
        return plan;
    }
    let inside = entry.rel.strip_prefix("_pages").unwrap_or(&entry.rel);
    let to = files::as_folio_markdown(&Path::new("content").join(inside));
    let defaults = config::defaults_for(site.config, &entry.rel, "pages");
    let Some(data) = plan.read_data(entry, defaults) else {
        return plan;
    };
    let permalink = front::text(&data, "permalink");
    let url = page_url(permalink.as_deref(), dir, basename, site.style);
    plan.publish(site, entry, to, Ok(url), &data);
    plan
}

/// One file of a collection. A collection without `output: true` gets
/// one note for its folder ([`closed_collections`]), not one per file.
pub(crate) fn document(site: &Site<'_>, entry: &Entry, collection: &Collection) -> Plan {
    let mut plan = Plan::default();
    if !collection.output {
        return plan;
    }
    let label = collection.label.as_str();
    let inside = entry
        .rel
        .strip_prefix(format!("_{label}"))
        .unwrap_or(&entry.rel);
    if !entry.has_front_matter() {
        // Jekyll copies a collection's other files beside its pages.
        plan.copy(entry, Path::new("static").join(label).join(inside));
        return plan;
    }
    if !files::is_markdown(&entry.rel) {
        plan.skip(entry, "a collection document that is not Markdown");
        return plan;
    }
    let to = files::as_folio_markdown(&Path::new("content").join(label).join(inside));
    let defaults = config::defaults_for(site.config, &entry.rel, label);
    let Some(data) = plan.read_data(entry, defaults) else {
        return plan;
    };
    let stem = files::stem(inside);
    let (file_date, file_slug) =
        front::dated_name(&stem).map_or((None, stem.as_str()), |(d, s)| (Some(d), s));
    let date = plan.date(site, entry, &data, file_date);
    let slug =
        front::text(&data, "slug").unwrap_or_else(|| file_slug.trim_end_matches('.').to_string());
    let categories = front::categories(&data, &[]);
    let path = format!("/{}", inside.with_extension("").to_string_lossy());
    let doc = Document {
        collection: label,
        path: path.trim_end_matches('.'),
        basename: &stem,
        slug: &slug,
        categories: &categories,
        date,
    };
    let pattern = front::text(&data, "permalink")
        .or_else(|| collection.permalink.clone())
        .unwrap_or_else(|| super::permalink::with_style_ending("/:collection/:path", site.style));
    plan.publish(site, entry, to, document_url(&pattern, &doc), &data);
    plan
}

/// `content/<label>/_index.md` for each collection whose documents were
/// imported: the section's own page at `/<label>/`, unless an imported
/// page has that URL already, or had it in Jekyll and now redirects from
/// it (`--folio-urls`): the old address keeps sending readers to it.
pub(crate) fn collection_indexes(
    collections: &[Collection],
    planned: &[Planned],
    urls: &[Moved],
) -> Vec<Planned> {
    collections
        .iter()
        .filter(|c| {
            let folder = Path::new("content").join(&c.label);
            let section = format!("/{}/", c.label);
            planned
                .iter()
                .any(|p| p.to.starts_with(&folder) && p.to.extension().is_some_and(|e| e == "md"))
                && !urls
                    .iter()
                    .any(|m| m.folio == section || (m.redirect && m.jekyll == section))
        })
        .map(|c| {
            let mut title = c.label.clone();
            if let Some(first) = title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            let mut fields = serde_json::Map::new();
            fields.insert("title".into(), serde_json::Value::String(title));
            Planned {
                from: PathBuf::from("_config.yml"),
                to: Path::new("content").join(&c.label).join("_index.md"),
                source: Source::Text(crate::source::frontmatter::write(&fields)),
            }
        })
        .collect()
}

/// One note per collection that Jekyll does not publish (no `output:
/// true`) and that has files.
pub(crate) fn closed_collections(
    jekyll: &Path,
    collections: &[Collection],
    files: &[Entry],
) -> Vec<Diagnostic> {
    collections
        .iter()
        .filter(|c| !c.output)
        .filter(|c| files.iter().any(|f| f.rel.starts_with(format!("_{}", c.label))))
        .map(|c| {
            Diagnostic::file_warning(
                jekyll.join(format!("_{}", c.label)),
                format!(
                    "not imported: collection `{}` has no `output: true`, so Jekyll publishes no page for it",
                    c.label
                ),
            )
        })
        .collect()
}
