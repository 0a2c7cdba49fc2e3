//! The built-in theme: this repository's own `templates/` and `static/`,
//! embedded in the binary. A site uses it file by file for whatever its own
//! `templates/` and `static/` do not hold, so a folder of Markdown alone
//! builds to a styled site, and a site can replace one template and keep
//! the rest.
//!
//! There is one copy of the theme: the files at the top of the repository,
//! which are also the real site's. The lists below name them; a file added
//! there joins the theme with one line here (a test fails until it does).
//! The package includes both folders (Cargo.toml's `include`), so
//! `cargo install` builds the same binary.

/// Lists files of one top-level folder, embedded with `$embed`.
macro_rules! embed {
    ($embed:ident, $folder:literal: $($name:literal),* $(,)?) => {
        &[$(($name, $embed!(concat!("../../", $folder, "/", $name)))),*]
    };
}

/// The theme's templates: each name under `templates/` and its text.
pub(crate) const TEMPLATES: &[(&str, &str)] = embed!(include_str, "templates":
    "404.html",
    "base.html",
    "index.html",
    "partials/list-head.html",
    "partials/pagination-head.html",
    "partials/pagination.html",
    "partials/post-list.html",
    "partials/quick-answer.html",
    "partials/table.html",
    "post.html",
    "section.html",
    "taxonomy.html",
);

/// The theme's static files: each path under `static/` and its bytes.
pub(crate) const STATIC: &[(&str, &[u8])] = embed!(include_bytes, "static":
    "css/highlight.css",
    "css/style.css",
    "favicon.svg",
    "js/ports.js",
);

/// Orders template names as the walker lists them: by name within each
/// folder, a folder's files where the folder's name falls.
pub(crate) fn walk_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.split('/').cmp(b.split('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Every file of the repository's `templates/` and `static/`, by its
    /// path there.
    fn files_in(folder: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(folder);
        let mut names: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(&dir).unwrap();
                rel.to_string_lossy().replace('\\', "/")
            })
            .collect();
        names.sort_by(|a, b| walk_order(a, b));
        names
    }

    #[test]
    fn the_theme_is_every_file_of_the_top_level_folders() {
        let templates: Vec<&str> = TEMPLATES.iter().map(|(name, _)| *name).collect();
        assert_eq!(
            templates,
            files_in("templates"),
            "add the file to TEMPLATES"
        );
        let statics: Vec<&str> = STATIC.iter().map(|(name, _)| *name).collect();
        assert_eq!(statics, files_in("static"), "add the file to STATIC");
    }
}
