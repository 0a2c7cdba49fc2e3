//! Reading `templates/`: every file, named by its path there (`post.html`,
//! `partials/table.html`), read once through the one walker. The renderer
//! compiles them, bodies look up `{% include %}` names among them, and
//! `check` finds the template line a broken link came from. The built-in
//! theme's templates fill in every name the site does not have.

use super::{theme, walk};
use crate::error::Diagnostic;
use std::path::{Path, PathBuf};

/// The site's template files, read.
#[derive(Debug, Default, Clone)]
pub(crate) struct Templates {
    /// Each file's name under `templates/` and its text, sorted by name at
    /// every level.
    pub(crate) files: Vec<(String, String)>,
    /// Files that could not be read: the renderer reports them.
    pub(crate) errors: Vec<Diagnostic>,
    /// Links and special files skipped.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Where template `name` is, as shown in messages (`templates/post.html`).
pub(crate) fn path(name: &str) -> PathBuf {
    Path::new("templates").join(name)
}

/// Reads every file under `root/templates/`, then adds each template of
/// the built-in theme whose name the site does not use (but not the
/// theme's `section.html` to a site with its own `index.html`). A folder that
/// cannot be walked is one error; a file that cannot be read or is not
/// UTF-8 is an error naming it (and not replaced by the theme's).
pub(crate) fn read(root: &Path) -> Templates {
    let dir = root.join("templates");
    let walked = match walk::files(root, "templates") {
        Ok(walked) => walked,
        Err(d) => {
            return Templates {
                errors: vec![d],
                ..Templates::default()
            };
        }
    };
    let mut templates = Templates {
        warnings: walked.warnings,
        ..Templates::default()
    };
    for file in &walked.files {
        let rel = file.strip_prefix(&dir).unwrap_or(file);
        let name = rel.to_string_lossy().replace('\\', "/");
        let text = walk::read(file, &path(&name)).and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| Diagnostic::file_error(path(&name), "file is not valid UTF-8"))
        });
        match text {
            Ok(text) => templates.files.push((name, text)),
            Err(d) => templates.errors.push(d),
        }
    }
    let taken: Vec<PathBuf> = templates
        .files
        .iter()
        .map(|(name, _)| path(name))
        .chain(templates.errors.iter().map(|d| d.path.clone()))
        .collect();
    // A site's own `index.html` renders its sections when it has no
    // `section.html` (they then look like its home page), rather than
    // the theme's `section.html`.
    let stands_in = |name: &str| name == "section.html" && taken.contains(&path("index.html"));
    let missing = theme::TEMPLATES
        .iter()
        .filter(|(name, _)| !taken.contains(&path(name)) && !stands_in(name))
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect::<Vec<_>>();
    if !missing.is_empty() {
        templates.files.extend(missing);
        templates
            .files
            .sort_by(|a, b| theme::walk_order(&a.0, &b.0));
    }
    templates
}
