//! Planning the output tree and writing it last, atomically: the new site is
//! written into a staging folder beside the output folder and swapped in
//! only once complete, so a failed build leaves the previous output as it was.

use crate::config::BaseUrl;
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
    let static_dir = root.join("static");
    if static_dir.is_dir() {
        for entry in walkdir::WalkDir::new(&static_dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(&static_dir).to_path_buf();
                Error::io(
                    &path,
                    e.into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("file system loop")),
                )
            })?;
            let rel = entry
                .path()
                .strip_prefix(&static_dir)
                .unwrap_or(entry.path());
            let shown = Path::new("static").join(rel);
            if entry.path_is_symlink() {
                plan.warnings.push(Diagnostic::file_warning(&shown, "symbolic link not copied").with_help(
                    "folio copies only real files from static/, so nothing outside the site is published",
                ));
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let dest = rel.to_string_lossy().replace('\\', "/");
            if plan.files.contains_key(&dest) {
                errors.push(Diagnostic::file_error(
                    &shown,
                    format!("static file clashes with the generated /{dest}"),
                ));
                continue;
            }
            let source = if dest.ends_with(".css") && base.path != "/" {
                let css =
                    fs::read_to_string(entry.path()).map_err(|e| Error::io(entry.path(), e))?;
                match rebase_css(&css, &base.path) {
                    Some(rebased) => Source::Bytes(rebased.into_bytes()),
                    None => Source::Copy(entry.path().to_path_buf()),
                }
            } else {
                Source::Copy(entry.path().to_path_buf())
            };
            plan.files.insert(dest, source);
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
        return Err(Error::Usage(format!(
            "output path {} is a file, not a folder",
            out.display()
        )));
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
    fs::create_dir_all(staging).map_err(|e| Error::io(staging, e))?;
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
