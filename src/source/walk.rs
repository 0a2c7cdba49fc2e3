//! Walking the site's source folders (`content/`, `templates/`, `static/`)
//! and reading their files, under one rule for symbolic links and one size
//! limit, so that nothing outside the site reaches the output.
//!
//! - A symbolic link is followed when its target is inside the site root
//!   (a site may share a file or folder between its own folders). A link
//!   whose target is outside the site root, that points nowhere, or that
//!   loops back into a folder above it is skipped with a warning naming it.
//! - Only regular files are listed: a FIFO, socket or device is skipped
//!   with a warning, so a build never blocks on one.
//! - A file read into memory (content, templates) may hold at most
//!   [`MAX_FILE_BYTES`]; a larger one is an error naming it, found from
//!   its size before anything is read.

use crate::error::Diagnostic;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest content or template file folio reads: 256 MiB. Time and
/// memory grow in step with a page's size (memory some 15 times it), so
/// real pages, however long (a generated reference, a changelog of 20 MB),
/// are never refused; this stops only a planted giant file (a sparse file,
/// a log grown to gigabytes) before it is read, keeping one page's memory
/// to a few GiB.
const MAX_FILE_BYTES: u64 = 256 << 20;

/// The regular files under one source folder.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// Files in a stable order (sorted by name at every level), as paths
    /// through the folder (a followed link keeps its own name).
    pub(crate) files: Vec<PathBuf>,
    /// Links and special files that were skipped.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Lists the regular files under `root/folder`, applying the link rule. A
/// missing folder has no files; a folder that cannot be read is an error.
pub(crate) fn files(root: &Path, folder: &str) -> Result<Walked, Diagnostic> {
    let dir = root.join(folder);
    let mut walked = Walked::default();
    if fs::symlink_metadata(&dir).is_err() {
        return Ok(walked);
    }
    let site = fs::canonicalize(root)
        .map_err(|e| Diagnostic::file_error(root, format!("cannot read: {e}")))?;
    let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
    let mut skipped = Vec::new();
    let entries = walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if !entry.path_is_symlink() {
                return true;
            }
            let inside = fs::canonicalize(entry.path()).is_ok_and(|t| t.starts_with(&site));
            if !inside {
                skipped.push(
                    Diagnostic::file_warning(
                        shown(entry.path()),
                        "symbolic link to outside the site skipped",
                    )
                    .with_help("folio follows links only to files and folders inside the site"),
                );
            }
            inside
        });
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(&dir).to_path_buf();
                let is_link = fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
                let message = if let Some(ancestor) = e.loop_ancestor() {
                    format!(
                        "symbolic link loops back to {}; skipped",
                        shown(ancestor).display()
                    )
                } else if is_link {
                    "symbolic link points to nothing; skipped".to_string()
                } else {
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot walk"));
                    return Err(Diagnostic::file_error(
                        shown(&path),
                        format!("cannot read: {io}"),
                    ));
                };
                walked
                    .warnings
                    .push(Diagnostic::file_warning(shown(&path), message));
                continue;
            }
        };
        let kind = entry.file_type();
        if kind.is_file() {
            walked.files.push(entry.into_path());
        } else if !kind.is_dir() {
            walked.warnings.push(Diagnostic::file_warning(
                shown(entry.path()),
                "not a regular file; skipped",
            ));
        }
    }
    walked.warnings.append(&mut skipped);
    walked.warnings.sort_by_key(Diagnostic::sort_key);
    Ok(walked)
}

/// Reads a file of at most [`MAX_FILE_BYTES`]; `shown` names it in messages.
/// Never reads more than the limit, whatever the file is.
pub(crate) fn read(path: &Path, shown: &Path) -> Result<Vec<u8>, Diagnostic> {
    let cannot = |e: std::io::Error| Diagnostic::file_error(shown, format!("cannot read: {e}"));
    let too_large = || {
        Diagnostic::file_error(
            shown,
            format!(
                "file is larger than {} MiB, the most folio reads",
                MAX_FILE_BYTES >> 20
            ),
        )
        .with_help("split it into several pages, or publish it from static/")
    };
    let file = fs::File::open(path).map_err(cannot)?;
    let size = file.metadata().map_or(0, |m| m.len());
    if size > MAX_FILE_BYTES {
        return Err(too_large());
    }
    // Room for the whole file and the read that finds its end.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Every file under `dir`, not following symbolic links (each one is
/// skipped with a warning), sorted, as paths relative to `dir`: for reading
/// another tool's site, where folio's link rule does not apply.
pub(crate) fn foreign_files(
    dir: &Path,
    skipped: &mut Vec<Diagnostic>,
) -> crate::error::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            crate::error::Error::io(
                &path,
                e.into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("loop")),
            )
        })?;
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            skipped.push(Diagnostic::file_warning(
                entry.path(),
                "symbolic link not imported",
            ));
        } else if entry.file_type().is_file() {
            out.push(rel.to_path_buf());
        }
    }
    Ok(out)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn follows_links_inside_the_site_and_skips_the_rest() {
        let site = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = site.path();
        fs::create_dir_all(root.join("content/shared")).unwrap();
        fs::write(root.join("content/shared/a.md"), "a").unwrap();
        fs::write(outside.path().join("secret.md"), "s").unwrap();
        symlink(root.join("content/shared"), root.join("content/linked")).unwrap();
        symlink(
            outside.path().join("secret.md"),
            root.join("content/secret.md"),
        )
        .unwrap();
        symlink(outside.path(), root.join("content/elsewhere")).unwrap();
        symlink(root.join("content"), root.join("content/shared/loop")).unwrap();
        symlink(root.join("missing"), root.join("content/dangling.md")).unwrap();

        let walked = files(root, "content").unwrap();
        let names: Vec<_> = walked
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().to_str().unwrap())
            .collect();
        assert_eq!(names, ["content/linked/a.md", "content/shared/a.md"]);
        let warnings: Vec<_> = walked.warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(warnings.len(), 5, "{warnings:#?}");
        assert!(
            warnings[0]
                .starts_with("content/dangling.md: warning: symbolic link points to nothing")
        );
        assert!(warnings[1].starts_with("content/elsewhere: warning: symbolic link to outside"));
        assert!(warnings.iter().any(|w| w.contains("loops back to content")));
    }

    #[test]
    fn refuses_files_over_the_limit_without_reading_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.md");
        let file = fs::File::create(&path).unwrap();
        // Sparse: more than this machine's memory, were it read.
        file.set_len(64 << 30).unwrap();
        let e = read(&path, Path::new("content/big.md")).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("content/big.md: error: file is larger than 256 MiB"),
            "{e}"
        );
        file.set_len(MAX_FILE_BYTES + 1).unwrap();
        assert!(read(&path, Path::new("x")).is_err());
        // Far past the old 8 MiB limit: read whole.
        file.set_len(20 << 20).unwrap();
        assert_eq!(read(&path, Path::new("x")).unwrap().len(), 20 << 20);
    }
}
