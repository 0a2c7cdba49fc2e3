//! Reading a Jekyll site's folder: the one place the import reads files.
//! Everything after works on the [`Tree`] in memory.

use super::TOOLING;
use crate::error::{Diagnostic, Error, Result};
use crate::source::{frontmatter, walk};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// A Jekyll site as read: its settings and its files.
#[derive(Debug, Default)]
pub(crate) struct Tree {
    /// `_config.yml`, as data.
    pub(crate) config: Map<String, Value>,
    /// Every file of the site, sorted, outside tooling and hidden folders.
    pub(crate) files: Vec<Entry>,
    /// Folders starting with `_` that hold no content folio imports
    /// (`_layouts`, `_includes`, `_sass`, `_site`, …), relative to the site.
    pub(crate) template_dirs: Vec<PathBuf>,
    /// Files `exclude:` leaves out ("not imported: …").
    pub(crate) left_out: Vec<Diagnostic>,
    /// Links skipped while reading, and lenient readings of `_config.yml`.
    pub(crate) notes: Vec<Diagnostic>,
    /// The file line of each top-level key of `_config.yml`, for messages.
    pub(crate) config_lines: BTreeMap<String, usize>,
}

/// One file of a Jekyll site.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// The path from the Jekyll site's root.
    pub(crate) rel: PathBuf,
    /// The path to read it from (the Jekyll folder joined with `rel`).
    pub(crate) from: PathBuf,
    /// The file's text when it opens with front matter (`---`) and is
    /// UTF-8; `None` for any other file, which is copied as it is.
    pub(crate) text: Option<String>,
}

impl Entry {
    /// The file starts with front matter, so Jekyll processes it.
    pub(crate) fn has_front_matter(&self) -> bool {
        self.text.is_some()
    }
}

/// Reads the Jekyll site at `jekyll`. `root` is the folio site being
/// written: when it is the same folder, folio's own folders are not read.
pub(crate) fn read(jekyll: &Path, root: &Path) -> Result<Tree> {
    if !jekyll.is_dir() {
        return Err(Error::Usage(format!(
            "{} is not a folder",
            jekyll.display()
        )));
    }
    let mut notes = Vec::new();
    let mut left_out = Vec::new();
    let (config, config_lines) = read_config(&jekyll.join("_config.yml"), &mut notes)?;
    let mut tree = Tree {
        config,
        config_lines,
        ..Tree::default()
    };
    let mut top: Vec<_> = fs::read_dir(jekyll)
        .map_err(|e| Error::io(jekyll, e))?
        .collect::<std::io::Result<_>>()
        .map_err(|e| Error::io(jekyll, e))?;
    top.sort_by_key(fs::DirEntry::file_name);
    let folio_dirs = ["content", "static", "templates", "public", "data"].map(|d| root.join(d));
    let keep = content_dirs(&tree.config);
    let exclude: Vec<String> = match tree.config.get("exclude") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|p| p.trim_matches('/').to_string())
            .collect(),
        _ => Vec::new(),
    };
    for entry in top {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with('.')
            || name == "_config.yml"
            || TOOLING.contains(&name.as_str())
            || folio_dirs.contains(&path)
            || name.ends_with(".gemspec")
        {
            continue;
        }
        if path.is_symlink() {
            notes.push(Diagnostic::file_warning(
                &path,
                "symbolic link not imported",
            ));
        } else if path.is_dir() {
            if name.starts_with('_') && !keep.contains(&name) {
                tree.template_dirs.push(PathBuf::from(&name));
                continue;
            }
            for rel in walk::foreign_files(&path, &mut notes)? {
                let rel = Path::new(&name).join(rel);
                if excluded(&rel, &exclude) {
                    left_out.push(excluded_note(&jekyll.join(&rel)));
                    continue;
                }
                let hidden = rel.components().skip(1).any(|c| {
                    let c = c.as_os_str().to_string_lossy();
                    c.starts_with('.') || (c.starts_with('_') && c != "_posts" && c != "_drafts")
                });
                if !hidden {
                    tree.files.push(entry_at(jekyll, rel)?);
                }
            }
        } else if excluded(Path::new(&name), &exclude) {
            left_out.push(excluded_note(&path));
        } else if path.is_file() {
            tree.files.push(entry_at(jekyll, PathBuf::from(&name))?);
        }
    }
    tree.notes = notes;
    tree.left_out = left_out;
    Ok(tree)
}

/// The `_` folders that hold content: posts, drafts, data, `_pages` and
/// each collection's.
fn content_dirs(config: &Map<String, Value>) -> Vec<String> {
    let mut dirs: Vec<String> = ["_posts", "_drafts", "_data", "_pages"]
        .map(String::from)
        .to_vec();
    dirs.extend(
        super::config::collections(config)
            .into_iter()
            .map(|c| format!("_{}", c.label)),
    );
    dirs
}

/// Whether `_config.yml`'s `exclude:` leaves `rel` out of the site. As in
/// Jekyll (`EntryFilter#glob_include?`), a pattern matches a path that
/// starts with it, or that it matches as a glob whose `*` stands for any
/// characters (`File.fnmatch?` without `FNM_PATHNAME`).
fn excluded(rel: &Path, patterns: &[String]) -> bool {
    let rel = rel.to_string_lossy();
    patterns
        .iter()
        .any(|p| rel.starts_with(p.as_str()) || glob(p, &rel))
}

fn excluded_note(path: &Path) -> Diagnostic {
    Diagnostic::file_warning(
        path,
        "not imported: `exclude:` in _config.yml leaves it out of the site",
    )
}

/// `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .any(|i| glob(tail, &rest[i..]))
        }
    }
}

/// `_config.yml` as data, with the line of each top-level key.
fn read_config(
    path: &Path,
    notes: &mut Vec<Diagnostic>,
) -> Result<(Map<String, Value>, BTreeMap<String, usize>)> {
    match fs::read_to_string(path) {
        Ok(text) => {
            let (config, warnings) = frontmatter::read_yaml_file(path, &text)?;
            notes.extend(warnings);
            Ok((config, frontmatter::key_lines(&text, 1)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Default::default()),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// One file: its text is read when it opens with `---`.
fn entry_at(jekyll: &Path, rel: PathBuf) -> Result<Entry> {
    let from = jekyll.join(&rel);
    let mut head = [0u8; 3];
    let opens = fs::File::open(&from)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok_and(|()| &head == b"---");
    let text = if opens {
        let bytes = fs::read(&from).map_err(|e| Error::io(&from, e))?;
        String::from_utf8(bytes).ok()
    } else {
        None
    };
    Ok(Entry { rel, from, text })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_patterns_as_jekyll_writes_them() {
        let patterns = ["*.sublime-project", "assets/js/vendor", "LICENSE"].map(String::from);
        let out = |p: &str| excluded(Path::new(p), &patterns);
        assert!(out("site.sublime-project"));
        assert!(out("a/site.sublime-project"));
        assert!(out("assets/js/vendor/x.js"));
        assert!(out("LICENSE"));
        assert!(!out("assets/LICENSE"));
    }
}
