//! `folio import-jekyll DIR`: copies a Jekyll site into folio's layout.
//!
//! - `_posts/**` → `content/posts/**` (files unchanged: folio reads Jekyll
//!   posts as they are);
//! - `_config.yml`'s `title`, `description`, `author`, `url` + `baseurl`
//!   (→ `base_url`) and `excerpt_separator` → `content/_index.md`;
//! - Markdown pages with front matter outside `_` folders → `content/`;
//! - other files outside `_` and `.` folders (images, CSS, downloads) →
//!   `static/`.
//!
//! Layouts, includes, Sass and HTML pages with front matter are Jekyll
//! templates, not content: they are listed as not imported. Nothing is
//! written if any destination exists already.

use crate::error::{Diagnostic, Error, Result};
use crate::source::{frontmatter, walk};
use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// Files at a Jekyll site's top level that are tooling, not the site.
const TOOLING: [&str; 6] = [
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "package.json",
    "package-lock.json",
];

/// Where one imported file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A file copied unchanged.
    Copy(PathBuf),
    /// Text written by the importer (`content/_index.md`).
    Text(String),
}

/// What an import does, decided before anything is written.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Destination (relative to the folio site's root) and its source.
    pub(crate) files: Vec<(PathBuf, Source)>,
    /// Files left out, with the reason.
    pub(crate) skipped: Vec<Diagnostic>,
}

fn has_front_matter(path: &Path) -> bool {
    let mut head = [0u8; 4];
    fs::File::open(path)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .is_ok_and(|n| n >= 3 && head.starts_with(b"---"))
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "md" || e == "markdown")
}

/// The settings of `_config.yml` that folio has, as `_index.md` front matter.
fn settings(config: &Map<String, Value>) -> Map<String, Value> {
    let text = |key: &str| match config.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let mut out = Map::new();
    for key in ["title", "description"] {
        if let Some(v) = text(key) {
            out.insert(key.into(), Value::String(v));
        }
    }
    let author = match config.get("author") {
        Some(Value::Object(a)) => a.get("name").and_then(Value::as_str).map(str::to_string),
        _ => text("author"),
    };
    if let Some(a) = author {
        out.insert("author".into(), Value::String(a));
    }
    let url = text("url").unwrap_or_default();
    let baseurl = text("baseurl").unwrap_or_default();
    if !url.is_empty() || !baseurl.is_empty() {
        let path = baseurl.trim_matches('/');
        let base = if path.is_empty() {
            format!("{}/", url.trim_end_matches('/'))
        } else {
            format!("{}/{path}/", url.trim_end_matches('/'))
        };
        out.insert("base_url".into(), Value::String(base));
    }
    if let Some(sep) = text("excerpt_separator") {
        out.insert("excerpt_separator".into(), Value::String(sep));
    }
    // Jekyll runs Liquid on every page with front matter; so does folio
    // on a site that says so.
    out.insert("liquid".into(), Value::Bool(true));
    out
}

/// Decides what importing the Jekyll site at `jekyll` into the folio site
/// at `root` copies where. Reads, never writes.
pub(crate) fn plan(jekyll: &Path, root: &Path) -> Result<Plan> {
    if !jekyll.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder",
            jekyll.display()
        )));
    }
    let mut plan = Plan::default();

    let posts = jekyll.join("_posts");
    if posts.is_dir() {
        for rel in walk::foreign_files(&posts, &mut plan.skipped)? {
            let from = posts.join(&rel);
            if is_markdown(&rel) {
                plan.files
                    .push((Path::new("content/posts").join(&rel), Source::Copy(from)));
            } else {
                plan.skipped.push(Diagnostic::file_warning(
                    from,
                    "not imported: folio posts are Markdown (.md or .markdown)",
                ));
            }
        }
    }

    let config_path = jekyll.join("_config.yml");
    let config = match fs::read_to_string(&config_path) {
        Ok(text) => frontmatter::read_yaml_file(&config_path, &text)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Map::new(),
        Err(e) => return Err(Error::io(&config_path, e)),
    };
    plan.files.push((
        PathBuf::from("content/_index.md"),
        Source::Text(frontmatter::write(&settings(&config))),
    ));

    let mut top: Vec<_> = fs::read_dir(jekyll)
        .map_err(|e| Error::io(jekyll, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(jekyll, e))?;
    top.sort_by_key(fs::DirEntry::file_name);
    // Importing into the Jekyll folder itself must not import folio's own folders.
    let folio_dirs = ["content", "static", "templates", "public"].map(|d| root.join(d));
    for entry in top {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(['_', '.'])
            || TOOLING.contains(&name.as_str())
            || folio_dirs.contains(&path)
            || name.ends_with(".gemspec")
        {
            continue;
        }
        let (base, files) = if path.is_dir() && !path.is_symlink() {
            (path.clone(), walk::foreign_files(&path, &mut plan.skipped)?)
        } else if path.is_file() && !path.is_symlink() {
            (jekyll.to_path_buf(), vec![PathBuf::from(&name)])
        } else {
            plan.skipped.push(Diagnostic::file_warning(
                &path,
                "symbolic link not imported",
            ));
            continue;
        };
        let prefix = if path.is_dir() {
            PathBuf::from(&name)
        } else {
            PathBuf::new()
        };
        for rel in files {
            let from = base.join(&rel);
            let rel = prefix.join(&rel);
            if rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with(['_', '.']))
            {
                continue;
            }
            if !has_front_matter(&from) {
                plan.files
                    .push((Path::new("static").join(&rel), Source::Copy(from)));
            } else if is_markdown(&rel) && rel.file_stem().is_some_and(|s| s != "index") {
                plan.files
                    .push((Path::new("content").join(&rel), Source::Copy(from)));
            } else {
                plan.skipped.push(Diagnostic::file_warning(
                    from,
                    "not imported: a Jekyll template or processed file (front matter); \
                     recreate it as a Tera template or static file",
                ));
            }
        }
    }
    Ok(plan)
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// How many files were written.
    pub files: usize,
    /// Files left out, with the reason.
    pub skipped: Vec<Diagnostic>,
}

/// Imports the Jekyll site at `jekyll` into the folio site at `root`:
/// plans every file, then writes them all, or nothing when any
/// destination exists already.
pub fn import_jekyll(jekyll: &Path, root: &Path) -> Result<Imported> {
    let plan = plan(jekyll, root)?;
    write(&plan, root)?;
    Ok(Imported {
        files: plan.files.len(),
        skipped: plan.skipped,
    })
}

/// Writes a plan into the folio site at `root`, refusing (before writing
/// anything) when any destination exists already.
pub(crate) fn write(plan: &Plan, root: &Path) -> Result<()> {
    let existing: Vec<Diagnostic> = plan
        .files
        .iter()
        .filter(|(to, _)| root.join(to).exists())
        .map(|(to, _)| {
            Diagnostic::file_error(to, "exists already; import-jekyll never overwrites")
                .with_help("import into an empty folder, or move the file away first")
        })
        .collect();
    if !existing.is_empty() {
        return Err(Error::Site(existing));
    }
    for (to, source) in &plan.files {
        let dest = root.join(to);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match source {
            Source::Copy(from) => fs::copy(from, &dest).map(drop),
            Source::Text(text) => fs::write(&dest, text),
        }
        .map_err(|e| Error::io(&dest, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_settings_map_to_folio_names() {
        let config: Map<String, Value> = serde_json::from_str(
            r#"{"title": "T", "url": "https://u.github.io/", "baseurl": "/repo",
                "author": {"name": "Ann"}, "theme": "minima", "excerpt_separator": "<!--more-->"}"#,
        )
        .unwrap();
        let s = settings(&config);
        assert_eq!(s["base_url"], "https://u.github.io/repo/");
        assert_eq!(s["author"], "Ann");
        assert_eq!(s["excerpt_separator"], "<!--more-->");
        assert_eq!(s["liquid"], true);
        assert!(!s.contains_key("theme"));
    }
}
