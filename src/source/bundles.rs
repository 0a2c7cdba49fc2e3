//! Page bundles: a folder whose page is its `index.md`
//! (`content/posts/my-post/index.md`), with the files the page shows beside
//! it (`diagram.png`, `data.csv`). The page takes its slug from the folder;
//! its files are published next to it (`/posts/my-post/diagram.png`), in
//! their subfolders too. Markdown files in a bundle are pages of their
//! own, and a subfolder with its own `index.md` is a bundle of its own.
//! Files elsewhere in `content/` (beside `my-post.md`) are not published:
//! `static/` is the place for files shared by many pages.

use super::walk;
use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

/// A file of a page bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Asset {
    /// The file on disk, as walked (under the site root).
    pub(crate) disk: PathBuf,
    /// The file relative to the site root, as shown in messages
    /// (`content/posts/my-post/diagram.png`).
    pub(crate) source: PathBuf,
    /// Its path inside the bundle, with `/` separators (`img/a.png`).
    pub(crate) name: String,
}

fn is_markdown(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "md" || e == "markdown")
}

fn is_index(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == "index.md" || n == "index.markdown")
}

/// The bundle folder of a page whose source is `rel` (`content/posts/x`
/// for `content/posts/x/index.md`), when it is a bundle's `index.md`. The
/// `index.md` of `content/` itself is not a bundle.
pub(crate) fn folder_of(rel: &Path) -> Option<&Path> {
    let folder = rel.parent()?;
    (is_index(rel) && folder.parent().is_some_and(|p| p.starts_with("content"))).then_some(folder)
}

/// The name that gives a page its slug (and date): its bundle folder's
/// name for a bundle's `index.md` (dots and all: `v1.2-notes`), else its
/// file's stem.
pub(crate) fn page_name(rel: &Path) -> Option<&str> {
    match folder_of(rel) {
        Some(folder) => folder.file_name()?.to_str(),
        None => rel.file_stem()?.to_str(),
    }
}

/// The files of the bundle whose `index.md` is `rel`, sorted by path; none
/// when `rel` is not a bundle's `index.md`. Links that the walker skips
/// are reported by the walk of `content/`, not again here.
pub(crate) fn assets(root: &Path, rel: &Path) -> Result<Vec<Asset>, Diagnostic> {
    let Some(folder) = folder_of(rel) else {
        return Ok(Vec::new());
    };
    let walked = walk::files(root, &folder.to_string_lossy())?;
    let mut assets = Vec::new();
    for disk in walked.files {
        let source = disk.strip_prefix(root).unwrap_or(&disk).to_path_buf();
        let Ok(inside) = source.strip_prefix(folder) else {
            continue;
        };
        if is_markdown(&source) || in_inner_bundle(root, folder, inside) {
            continue;
        }
        let name = inside.to_string_lossy().replace('\\', "/");
        assets.push(Asset { disk, source, name });
    }
    Ok(assets)
}

/// Whether a file at `inside` (relative to the bundle `folder`) is in a
/// subfolder that is a bundle of its own.
fn in_inner_bundle(root: &Path, folder: &Path, inside: &Path) -> bool {
    inside.ancestors().skip(1).any(|sub| {
        !sub.as_os_str().is_empty()
            && ["index.md", "index.markdown"]
                .iter()
                .any(|index| root.join(folder).join(sub).join(index).is_file())
    })
}

/// Whether `rel` (under `content/`) is a file of some bundle: a file that
/// is not Markdown, in a folder (or below one) that holds an `index.md`.
pub(crate) fn is_bundle_file(root: &Path, rel: &Path) -> bool {
    !is_markdown(rel)
        && rel.ancestors().skip(1).any(|folder| {
            folder.starts_with("content")
                && folder != Path::new("content")
                && ["index.md", "index.markdown"]
                    .iter()
                    .any(|index| root.join(folder).join(index).is_file())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_is_a_folder_with_an_index() {
        let rel = Path::new("content/posts/my-post/index.md");
        assert_eq!(folder_of(rel), Some(Path::new("content/posts/my-post")));
        assert_eq!(page_name(rel), Some("my-post"));
        assert_eq!(
            page_name(Path::new("content/posts/v1.2-notes/index.md")),
            Some("v1.2-notes")
        );
        assert_eq!(page_name(Path::new("content/posts/a.b.md")), Some("a.b"));
        assert_eq!(folder_of(Path::new("content/index.md")), None);
        assert_eq!(folder_of(Path::new("content/posts/x.md")), None);
    }
}
