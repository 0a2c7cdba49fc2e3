//! Posts (`_posts/`, and `<folder>/_posts/` whose folders are categories)
//! → `content/posts/`, each at the URL Jekyll gave it; drafts (`_drafts/`)
//! → `content/posts/` with `draft: true`.

use super::permalink::{Document, document_url};
use super::tree::Entry;
use super::{Plan, Site, config, files, front};
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// One post: Markdown named `YYYY-MM-DD-slug.ext`, as Jekyll publishes.
pub(crate) fn post(site: &Site<'_>, entry: &Entry, path_categories: &[String]) -> Plan {
    let mut plan = Plan::default();
    let stem = files::stem(&entry.rel);
    let Some((file_date, file_slug)) = front::dated_name(&stem) else {
        plan.skip(entry, "a post's name must start with its date (YYYY-MM-DD-title.md); Jekyll does not publish it");
        return plan;
    };
    if !files::is_markdown(&entry.rel) {
        plan.skip(entry, "folio posts are Markdown (.md or .markdown)");
        return plan;
    }
    let to = destination(&entry.rel, "_posts");
    let defaults = config::defaults_for(site.config, &entry.rel, "posts");
    let Some(data) = plan.read_data(entry, defaults) else {
        return plan;
    };
    if data.get("published") == Some(&Value::Bool(false)) {
        // Jekyll never published it: no URL to keep; folio reads
        // `published: false` as a draft.
        plan.write_text(entry, to, &Map::new(), &[]);
        return plan;
    }
    let date = plan.date(site, entry, &data, Some(file_date));
    let slug =
        front::text(&data, "slug").unwrap_or_else(|| file_slug.trim_end_matches('.').to_string());
    let categories = front::categories(&data, path_categories);
    let rel_str = entry.rel.to_string_lossy();
    let inside = rel_str
        .split_once("_posts")
        .map_or(&*rel_str, |(_, rest)| rest);
    let path = inside.rsplit_once('.').map_or(inside, |(p, _)| p);
    let doc = Document {
        collection: "posts",
        path: path.trim_end_matches('.'),
        basename: &stem,
        slug: &slug,
        categories: &categories,
        date,
    };
    let pattern =
        front::text(&data, "permalink").unwrap_or_else(|| config::posts_permalink(site.config));
    plan.publish(site, entry, to, document_url(&pattern, &doc), &data);
    plan
}

/// One draft: a post with `draft: true` (built with `folio build --drafts`).
/// Jekyll gives a draft no lasting URL, so none is kept.
pub(crate) fn draft(entry: &Entry) -> Plan {
    let mut plan = Plan::default();
    if !files::is_markdown(&entry.rel) {
        plan.skip(entry, "folio posts are Markdown (.md or .markdown)");
        return plan;
    }
    let mut set = Map::new();
    set.insert("draft".into(), Value::Bool(true));
    let to = destination(&entry.rel, "_drafts");
    plan.write_text(entry, to, &set, &[]);
    plan
}

/// `content/posts/` + the path inside `dir` (`_posts`, `_drafts`), after
/// the category folders above it (`blog/_posts/x.md` → `content/posts/blog/x.md`).
fn destination(rel: &Path, dir: &str) -> PathBuf {
    let mut out = PathBuf::from("content/posts");
    let mut seen = false;
    let mut above = PathBuf::new();
    for part in rel.components() {
        if part.as_os_str() == dir && !seen {
            seen = true;
            out.push(&above);
        } else if seen {
            out.push(part);
        } else {
            above.push(part);
        }
    }
    files::as_folio_markdown(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_land_under_content_posts_after_their_category_folders() {
        assert_eq!(
            destination(Path::new("_posts/2020-01-01-a.md"), "_posts"),
            Path::new("content/posts/2020-01-01-a.md")
        );
        assert_eq!(
            destination(Path::new("blog/_posts/y/2020-01-01-a.mkd"), "_posts"),
            Path::new("content/posts/blog/y/2020-01-01-a.md")
        );
        assert_eq!(
            destination(Path::new("_drafts/idea.md"), "_drafts"),
            Path::new("content/posts/idea.md")
        );
    }
}
