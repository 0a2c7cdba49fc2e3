//! `folio new "Title"`: a post file with its front matter ready to fill in.

use crate::error::{Diagnostic, Error, Result};
use crate::urls::slugify;
use chrono::{DateTime, Utc};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Today's date for a new post: `SOURCE_DATE_EPOCH` when set (so tests and
/// scripted runs are reproducible), else the clock. Only `new` reads the
/// clock; builds never do.
pub fn today() -> String {
    DateTime::<Utc>::from_timestamp(crate::source::date::source_date_or_now(), 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// Writes `content/posts/<slug>.md` under `root` and returns its path
/// relative to the root. Never overwrites: an existing file is an error.
pub fn new_post(root: &Path, title: &str, date: &str) -> Result<PathBuf> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Error::Usage(format!(
            "title {title:?} has no letters or digits to make a file name from"
        )));
    }
    let rel = Path::new("content/posts").join(format!("{slug}.md"));
    let path = root.join(&rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    // A JSON string is a valid YAML double-quoted scalar: any title is safe.
    let quoted = serde_json::to_string(title).expect("strings serialise");
    let text = format!(
        "---\ntitle: {quoted}\ndate: {date}\ndescription: \"\"\ntags: []\ncategories: []\n---\n\nWrite the post here, in Markdown.\n"
    );
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => Error::from(
                Diagnostic::file_error(
                    &rel,
                    "a post with this name already exists; folio new never overwrites",
                )
                .with_help("edit that file, or choose another title"),
            ),
            _ => Error::io(&path, e),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Error::io(&path, e))?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_post_parses_back_with_its_title() {
        let dir = tempfile::tempdir().unwrap();
        let rel = new_post(dir.path(), "Ports: \"quoted\" & more", "2026-01-02").unwrap();
        assert_eq!(rel, Path::new("content/posts/ports-quoted-more.md"));
        let text = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        let page = crate::pipeline::parse_page(&rel, &text).item.unwrap();
        assert_eq!(page.head.title, "Ports: \"quoted\" & more");
        assert_eq!(
            page.head.date.unwrap().format("%F").to_string(),
            "2026-01-02"
        );
        assert!(new_post(dir.path(), "Ports: quoted & more", "2026-01-02").is_err());
    }
}
