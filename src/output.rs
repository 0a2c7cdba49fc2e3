//! Planning the output tree and writing it last, atomically: the new site is
//! written into a staging folder beside the output folder and swapped in
//! only once complete, so a failed build leaves the previous output as it was.

use crate::error::{Diagnostic, Error, Result};
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

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

/// Puts rendered files and `static/` together, refusing two sources for one path.
pub fn plan(root: &Path, rendered: Vec<OutputFile>) -> Result<Plan> {
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
    let static_dir = root.join("static");
    let walked = crate::walk::files(root, "static")?;
    plan.warnings = walked.warnings;
    for path in walked.files {
        let rel = path.strip_prefix(&static_dir).unwrap_or(&path);
        let dest = rel.to_string_lossy().replace('\\', "/");
        if plan.files.contains_key(&dest) {
            errors.push(Diagnostic::file_error(
                Path::new("static").join(rel),
                format!("static file clashes with the generated /{dest}"),
            ));
            continue;
        }
        plan.files.insert(dest, Source::Copy(path));
    }
    // A path that is a file cannot also be a folder of another file.
    for path in plan.files.keys() {
        let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        if let Some(folder) = folders.into_iter().find(|f| plan.files.contains_key(*f)) {
            errors.push(
                Diagnostic::file_error(
                    folder,
                    format!("output file /{folder} would also have to be the folder of /{path}"),
                )
                .with_help("change the `permalink` or the static file name of one of them"),
            );
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(Error::Site(errors))
    }
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

/// Writes the plan into `out`, replacing its previous contents only when
/// every file has been written.
pub fn write(plan: &Plan, out: &Path) -> Result<()> {
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
    let staging = parent.join(format!(".{name}.folio-new-{pid}"));
    let old = parent.join(format!(".{name}.folio-old-{pid}"));
    let _ = fs::remove_dir_all(&staging);

    let result = write_tree(plan, &staging).and_then(|()| swap(&staging, out, &old));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_tree(plan: &Plan, staging: &Path) -> Result<()> {
    // A new folder, never one that is already there (such as a planted link).
    fs::create_dir(staging).map_err(|e| Error::io(staging, e))?;
    let dirs: BTreeSet<&str> = plan
        .files
        .keys()
        .filter_map(|p| p.rfind('/').map(|i| &p[..i]))
        .collect();
    for dir in dirs {
        let path = staging.join(dir);
        fs::create_dir_all(&path).map_err(|e| Error::io(&path, e))?;
    }
    plan.files.par_iter().try_for_each(|(rel, source)| {
        let dest = staging.join(rel);
        match source {
            Source::Bytes(bytes) => fs::write(&dest, bytes).map_err(|e| Error::io(&dest, e)),
            Source::Copy(from) => fs::copy(from, &dest)
                .map(drop)
                .map_err(|e| Error::io(from, e)),
        }
    })
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
