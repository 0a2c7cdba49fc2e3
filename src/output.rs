//! Planning the output tree and writing it last, atomically: the new site is
//! written into a staging folder beside the output folder and swapped in
//! only once complete, so a failed build leaves the previous output as it was.

use crate::config::BaseUrl;
use crate::error::{Diagnostic, Error, Result};
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Where each file of the new site comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Rendered in memory.
    Bytes(Vec<u8>),
    /// Copied from this file under `static/`.
    Copy(PathBuf),
}

/// The complete output tree, keyed by path under the output folder.
#[derive(Debug, Default)]
pub struct Plan {
    /// Every file, sorted by path.
    pub files: BTreeMap<String, Source>,
    /// Warnings found while planning (skipped links).
    pub warnings: Vec<Diagnostic>,
}

fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Makes root-relative `url(/…)` in a stylesheet start with the base path,
/// so `static/` CSS works on a sub-path site. `None` when nothing changes.
pub fn rebase_css(css: &str, base_path: &str) -> Option<String> {
    if base_path == "/" {
        return None;
    }
    let mut out = String::with_capacity(css.len() + 64);
    let mut rest = css;
    let mut changed = false;
    while let Some(i) = rest.find("url(") {
        let (head, tail) = rest.split_at(i + 4);
        out.push_str(head);
        let quote_len = tail.len() - tail.trim_start_matches(['"', '\'', ' ']).len();
        let (quote, body) = tail.split_at(quote_len);
        out.push_str(quote);
        if body.starts_with('/') && !body.starts_with("//") && !body.starts_with(base_path) {
            out.push_str(base_path.trim_end_matches('/'));
            changed = true;
        }
        rest = body;
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Puts rendered files and `static/` together, refusing two sources for one
/// path. Stylesheets from `static/` get the base path in their `url()`s.
pub fn plan(root: &Path, rendered: Vec<OutputFile>, base: &BaseUrl) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    for file in rendered {
        if !is_safe_relative(&file.path) {
            errors.push(Diagnostic::file_error(
                &file.path,
                "output path would leave the output folder",
            ));
            continue;
        }
        if plan
            .files
            .insert(file.path.clone(), Source::Bytes(file.bytes))
            .is_some()
        {
            errors.push(Diagnostic::file_error(
                &file.path,
                "two pages render to this output file",
            ));
        }
    }
    let statics = static_files(root, base, &|dest| plan.files.contains_key(dest))?;
    plan.warnings = statics.warnings;
    errors.extend(statics.errors);
    plan.files.extend(statics.files);
    // A path that is a file cannot also be a folder of another file.
    for path in plan.files.keys() {
        let mut folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        if let Some(folder) = folders.find(|f| plan.files.contains_key(*f)) {
            errors.push(file_and_folder(folder, path));
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(Error::Site(errors))
    }
}

/// The files of `static/`, as output paths and sources.
pub struct Statics {
    /// Output path and source of each file.
    pub files: Vec<(String, Source)>,
    /// Skipped links.
    pub warnings: Vec<Diagnostic>,
    /// Files that clash with generated ones.
    pub errors: Vec<Diagnostic>,
}

/// Lists `static/` (links are followed only inside the site; see
/// `walk::files`); `generated` tells which output paths rendering already
/// claims.
pub fn static_files(
    root: &Path,
    base: &BaseUrl,
    generated: &dyn Fn(&str) -> bool,
) -> Result<Statics> {
    let mut out = Statics {
        files: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let static_dir = root.join("static");
    let walked = crate::walk::files(root, "static")?;
    out.warnings = walked.warnings;
    for path in walked.files {
        let rel = path
            .strip_prefix(&static_dir)
            .unwrap_or(&path)
            .to_path_buf();
        let shown = Path::new("static").join(&rel);
        let dest = rel.to_string_lossy().replace('\\', "/");
        if generated(&dest) {
            out.errors.push(Diagnostic::file_error(
                &shown,
                format!("static file clashes with the generated /{dest}"),
            ));
            continue;
        }
        let source = if dest.ends_with(".css") && base.path != "/" {
            let css = fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            match rebase_css(&css, &base.path) {
                Some(rebased) => Source::Bytes(rebased.into_bytes()),
                None => Source::Copy(path),
            }
        } else {
            Source::Copy(path)
        };
        out.files.push((dest, source));
    }
    Ok(out)
}

/// Refuses output folders that would replace the site's own sources.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists, so `a/../b` and symlinks compare correctly.
        fs::canonicalize(&p).unwrap_or_else(|_| {
            let parent = p.parent().and_then(|d| fs::canonicalize(d).ok());
            match (parent, p.file_name()) {
                (Some(d), Some(n)) => d.join(n),
                _ => p,
            }
        })
    };
    let given = out;
    let (root, out) = (abs(root), abs(out));
    let inside_sources = ["content", "templates", "static", "src"]
        .iter()
        .any(|d| out.starts_with(root.join(d)));
    if root.starts_with(&out) || inside_sources {
        return Err(Error::Usage(format!(
            "refusing to write the site to {}: it holds the site's own sources",
            out.display()
        )));
    }
    if out.exists() && !out.is_dir() {
        return Err(
            Diagnostic::file_error(given, "output path is a file, not a folder")
                .with_help("move the file away, or pass --out DIR")
                .into(),
        );
    }
    Ok(())
}

/// A new output tree being written beside the output folder. Files go in
/// as they are rendered (so a large site is never held in memory whole);
/// [`Staging::commit`] swaps it in for the output folder, and dropping it
/// uncommitted removes it, leaving the previous output untouched.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    old: PathBuf,
    previous: Option<PathBuf>,
    tree: Mutex<Tree>,
    committed: bool,
}

/// What a staging folder holds so far: files, and each folder with the
/// first file written under it.
#[derive(Default)]
struct Tree {
    files: HashSet<String>,
    folders: HashMap<String, String>,
    made: HashSet<String>,
}

fn file_and_folder(folder: &str, file: &str) -> Diagnostic {
    Diagnostic::file_error(
        folder,
        format!("output file /{folder} would also have to be the folder of /{file}"),
    )
    .with_help("change the `permalink` or the static file name of one of them")
}

impl Staging {
    /// Starts an empty staging folder for `out`.
    pub fn new(out: &Path) -> Result<Staging> {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.folio-new-{pid}"));
        let _ = fs::remove_dir_all(&dir);
        // A new folder, never one that is already there (such as a planted link).
        fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            old: parent.join(format!(".{name}.folio-old-{pid}")),
            previous: out.is_dir().then(|| out.to_path_buf()),
            dir,
            tree: Mutex::new(Tree::default()),
            committed: false,
        })
    }

    /// Writes one file. A file whose bytes equal the same file in the
    /// previous output is hard-linked from there instead: a rebuild then
    /// allocates no inodes for what did not change, which on ext4 is most
    /// of a large site's write time (docs/PERFORMANCE.md). Nothing is ever
    /// written into the previous output.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> Result<()> {
        if !is_safe_relative(rel) {
            return Err(
                Diagnostic::file_error(rel, "output path would leave the output folder").into(),
            );
        }
        {
            let mut tree = self.tree.lock().unwrap_or_else(|e| e.into_inner());
            if tree.files.contains(rel) {
                return Err(
                    Diagnostic::file_error(rel, "two sources write this output file").into(),
                );
            }
            if let Some(inside) = tree.folders.get(rel) {
                return Err(file_and_folder(rel, inside).into());
            }
            let folders: Vec<&str> = rel.match_indices('/').map(|(i, _)| &rel[..i]).collect();
            if let Some(file) = folders.iter().find(|f| tree.files.contains(**f)) {
                return Err(file_and_folder(file, rel).into());
            }
            tree.files.insert(rel.to_string());
            for f in folders {
                tree.folders
                    .entry(f.to_string())
                    .or_insert_with(|| rel.to_string());
            }
        }
        let dest = self.dir.join(rel);
        // Another thread may have registered the folder but not made it yet:
        // making it is idempotent, so whoever finds it missing makes it.
        if let Some(parent) = rel.rfind('/').map(|i| &rel[..i]) {
            let made = self
                .tree
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .made
                .contains(parent);
            if !made {
                let path = self.dir.join(parent);
                fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
                self.tree
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .made
                    .insert(parent.to_string());
            }
        }
        if let Some(old) = self.previous.as_ref().map(|p| p.join(rel)) {
            let same_size = fs::symlink_metadata(&old)
                .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
            if same_size
                && fs::read(&old).is_ok_and(|b| b == bytes)
                && fs::hard_link(&old, &dest).is_ok()
            {
                return Ok(());
            }
        }
        fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e))
    }

    /// Writes every file of `files` (reading copies from disk).
    pub fn write_all(&self, files: &[(String, Source)]) -> Result<()> {
        files.par_iter().try_for_each(|(rel, source)| match source {
            Source::Bytes(bytes) => self.write(rel, bytes),
            Source::Copy(from) => self.write(rel, &fs::read(from).map_err(|e| Error::io(from, e))?),
        })
    }

    /// Swaps the staged tree in for the output folder.
    pub fn commit(mut self) -> Result<()> {
        self.committed = true;
        let result = swap(&self.dir, &self.out, &self.old);
        if result.is_err() {
            let _ = fs::remove_dir_all(&self.dir);
        }
        result
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes a whole plan into `out`, replacing its previous contents only
/// when every file has been written.
pub fn write(plan: &Plan, out: &Path) -> Result<()> {
    let staging = Staging::new(out)?;
    let files: Vec<(String, Source)> = plan
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    staging.write_all(&files)?;
    staging.commit()
}

fn swap(staging: &Path, out: &Path, old: &Path) -> Result<()> {
    let had_old = out.exists();
    if had_old {
        let _ = fs::remove_dir_all(old);
        fs::rename(out, old).map_err(|e| Error::io(out, e))?;
    }
    if let Err(e) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(old, out);
        }
        return Err(Error::io(out, e));
    }
    if had_old {
        let _ = fs::remove_dir_all(old);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_urls_get_the_base_path() {
        let css = "a{background:url(/img/a.png)} b{background:url( \"/img/b.png\")} c{x:url(//cdn/x) y:url(rel.png) z:url('/repo/ok.png')}";
        let out = rebase_css(css, "/repo/").unwrap();
        assert!(out.contains("url(/repo/img/a.png)"), "{out}");
        assert!(out.contains("url( \"/repo/img/b.png\")"), "{out}");
        assert!(
            out.contains("url(//cdn/x)")
                && out.contains("url(rel.png)")
                && out.contains("url('/repo/ok.png')"),
            "{out}"
        );
        assert_eq!(rebase_css(css, "/"), None);
        assert_eq!(rebase_css("a{color:red}", "/repo/"), None);
    }
}
