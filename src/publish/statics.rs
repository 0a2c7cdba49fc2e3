//! `static/`: its files copied as they are (stylesheets made base-aware),
//! and the whole output tree planned from them and the rendered files.

use super::{OutputFile, Plan, Source};
use crate::error::{Diagnostic, Error, Result};
use crate::site::Site;
use crate::source::theme;
use std::collections::HashSet;
use std::fs;
use std::path::Path;

/// Makes root-relative `url(/…)` in a stylesheet start with the base path,
/// so `static/` CSS works on a sub-path site. `None` when nothing changes.
fn rebase_css(css: &str, base_path: &str) -> Option<String> {
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
pub(crate) fn plan(root: &Path, rendered: Vec<OutputFile>, site: &Site) -> Result<Plan> {
    let mut plan = Plan::default();
    let mut errors = Vec::new();
    for file in rendered {
        if !super::is_safe_relative(&file.path) {
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
    let statics = static_files(root, site, &|dest| plan.files.contains_key(dest))?;
    plan.warnings = statics.warnings;
    errors.extend(statics.errors);
    plan.from_static = statics.files.iter().map(|(dest, _)| dest.clone()).collect();
    plan.files.extend(statics.files);
    // A path that is a file cannot also be a folder of another file.
    for path in plan.files.keys() {
        let mut folders = path.match_indices('/').map(|(i, _)| &path[..i]);
        if let Some(folder) = folders.find(|f| plan.files.contains_key(*f)) {
            errors.push(super::file_and_folder(folder, path));
        }
    }
    if errors.is_empty() {
        Ok(plan)
    } else {
        Err(Error::Site(errors))
    }
}

/// The files of `static/`, as output paths and sources.
pub(crate) struct Statics {
    /// Output path and source of each file.
    pub(crate) files: Vec<(String, Source)>,
    /// Skipped links.
    pub(crate) warnings: Vec<Diagnostic>,
    /// Files that clash with generated ones.
    pub(crate) errors: Vec<Diagnostic>,
}

/// Lists `static/` (links are followed only inside the site; see
/// `walk::files`), then adds each static file of the built-in theme whose
/// path neither the site's `static/` nor a generated file holds;
/// `generated` tells which output paths rendering already claims, and
/// `site` who claims them, for the error.
pub(crate) fn static_files(
    root: &Path,
    site: &Site,
    generated: &dyn Fn(&str) -> bool,
) -> Result<Statics> {
    let base = &site.config.base;
    let mut out = Statics {
        files: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
    };
    let static_dir = root.join("static");
    let walked = crate::source::walk::files(root, "static")?;
    out.warnings = walked.warnings;
    // The site's own paths, those that clash included: a theme file there
    // is replaced, never a second error.
    let mut taken = HashSet::new();
    for path in walked.files {
        let rel = path
            .strip_prefix(&static_dir)
            .unwrap_or(&path)
            .to_path_buf();
        let shown = Path::new("static").join(&rel);
        let dest = rel.to_string_lossy().replace('\\', "/");
        taken.insert(dest.clone());
        if generated(&dest) {
            let error = match site.claimant(&dest) {
                Some(claimant) => Diagnostic::file_error(
                    &shown,
                    format!("static file clashes with /{dest}, which {claimant} writes"),
                )
                .with_help(
                    "remove or move the static file, or change the `permalink`, \
                     `aliases` or `redirect_from` that writes the other",
                ),
                None => Diagnostic::file_error(
                    &shown,
                    format!("static file clashes with the generated /{dest}"),
                ),
            };
            out.errors.push(error);
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
    for (dest, bytes) in theme::STATIC {
        if taken.contains(*dest) {
            continue;
        }
        // A page or redirect on a theme file would silently take the
        // site's stylesheet or script away: the site replaces a theme file
        // with its own `static/` file, never by accident.
        if generated(dest) {
            out.errors.push(
                Diagnostic::file_error(
                    Path::new("static").join(dest),
                    format!("the generated /{dest} would replace the built-in theme's file"),
                )
                .with_help(
                    "change the `permalink`, `aliases` or `redirect_from` that writes it, \
                     or put your own file at this path in static/",
                ),
            );
            continue;
        }
        let rebased = std::str::from_utf8(bytes)
            .ok()
            .filter(|_| dest.ends_with(".css"))
            .and_then(|css| rebase_css(css, &base.path));
        let bytes = rebased.map_or_else(|| bytes.to_vec(), String::into_bytes);
        out.files.push((dest.to_string(), Source::Bytes(bytes)));
    }
    Ok(out)
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
