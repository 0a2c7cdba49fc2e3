//! `folio init [DIR]`: a new site that builds and passes `check` at once.
//! Its settings, an example post with a table, the GitHub Pages workflow
//! (which installs a release of folio, checksum checked) and a
//! `.gitignore`; with `--theme`, the built-in theme's files too, to edit.
//! Never overwrites: when any file it would write exists, it writes none.

use crate::error::{Diagnostic, Error, Result};
use crate::source::theme;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The site's settings, commented.
const SETTINGS: &str = include_str!("init/_index.md");
/// The example post; `@DATE@` becomes the day it is written.
const POST: &str = include_str!("init/post.md");
/// The Pages workflow; `@VERSION@` and `@REPOSITORY@` name this folio's release.
const PAGES_WORKFLOW: &str = include_str!("init/pages.yml");
const GITIGNORE: &str = include_str!("init/gitignore");

/// Writes a new site into `dir` (made if missing) and returns the files
/// written, relative to it. `date` dates the example post; `with_theme`
/// also copies the built-in templates and static files out.
pub fn init_site(dir: &Path, date: &str, with_theme: bool) -> Result<Vec<PathBuf>> {
    let files = site_files(date, with_theme);
    if let Some((rel, _)) = files.iter().find(|(rel, _)| exists(&dir.join(rel))) {
        return Err(already_there(&dir.join(rel)));
    }
    for (rel, bytes) in &files {
        write_new(&dir.join(rel), bytes)?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

/// Every file of a new site: its path under the site and its bytes.
fn site_files(date: &str, with_theme: bool) -> Vec<(PathBuf, Vec<u8>)> {
    let workflow = PAGES_WORKFLOW
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@REPOSITORY@", env!("CARGO_PKG_REPOSITORY"));
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        ("content/_index.md".into(), SETTINGS.into()),
        (
            "content/posts/hello-folio.md".into(),
            POST.replace("@DATE@", date).into(),
        ),
        (".github/workflows/pages.yml".into(), workflow.into()),
        (".gitignore".into(), GITIGNORE.into()),
    ];
    if with_theme {
        let templates = theme::TEMPLATES
            .iter()
            .map(|(name, text)| (Path::new("templates").join(name), text.as_bytes().to_vec()));
        let statics = theme::STATIC
            .iter()
            .map(|(name, bytes)| (Path::new("static").join(name), bytes.to_vec()));
        files.extend(templates.chain(statics));
    }
    files
}

/// Whether anything (a file, a folder, a link, even a dangling one) is at `path`.
fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

fn already_there(path: &Path) -> Error {
    Error::from(
        Diagnostic::file_error(path, "already exists; folio init never overwrites")
            .with_help("choose an empty folder: `folio init NEW-FOLDER`"),
    )
}

/// Writes `bytes` to a new file at `path`, making its folders.
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => already_there(path),
            _ => Error::io(path, e),
        })?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))
}
