//! folio: a static site generator whose tables are data.
//!
//! The library behind the `folio` command. Its stages run in one place,
//! the pipeline: load the content (`source` reads each file's head, `body`
//! renders its Markdown), assemble the site (`site`), render it (`render`)
//! and publish it (`publish`). The commands (`cmd`) drive the pipeline
//! their own ways. `docs/ARCHITECTURE.md` maps the modules. The library
//! never prints: it returns diagnostics for the caller to show.
//!
//! This is the whole public surface: what the `folio` binary, the tests,
//! the benchmarks and the fuzz targets use.

mod body;
mod cmd;
mod error;
mod pipeline;
mod publish;
mod render;
mod site;
mod source;
mod urls;

/// The most pages one parallel task takes when pages are read, rendered or
/// summarised: rayon otherwise leaves pieces of a few hundred pages whole,
/// and the last one ran on one core while the other waited (100 ms of a
/// 2 s build of 10,000 posts).
const PAGES_PER_TASK: usize = 8;

/// Frees `value` on a thread of its own: freeing a large site's model takes
/// a while and nothing waits for it (a process that exits first leaves it to
/// the system). Where the system refuses a thread, it is freed here.
fn drop_aside<T: Send + 'static>(value: T) {
    // On failure the closure, and `value` with it, is dropped right away.
    let _ = std::thread::Builder::new().spawn(move || drop(value));
}

pub use cmd::check::{External, Report as CheckReport, check, fetch_external};
pub use cmd::import::{ImportOptions, Imported, import_jekyll};
pub use cmd::init::init_site;
pub use cmd::new::{new_post, today};
pub use cmd::serve::session::{Outcome, Session, Update};
pub use cmd::serve::{DEFAULT_PORT, ServeOptions, serve};
pub use error::{Diagnostic, Error, Result, Severity};
pub use pipeline::{BuildOptions, BuildReport, build};

/// Entry points for the fuzz targets (`fuzz/`): each runs one stage on any
/// input. Not an API for sites; it changes with the stages.
#[doc(hidden)]
pub mod fuzzing {
    use crate::body::{markdown, tables};
    use crate::error::LineIndex;
    use crate::publish::data;
    use crate::source::frontmatter;
    use std::collections::HashMap;
    use std::path::Path;

    /// Splits `text` as a content file and parses its front matter, as a
    /// page's and as the site's settings. Returns where the body starts and
    /// the body, when the file splits.
    pub fn front_matter(text: &str) -> Option<(usize, &str)> {
        let path = Path::new("content/posts/fuzz.md");
        let split = frontmatter::split(path, text).ok()?;
        if let Some(yaml) = split.yaml {
            let _ = frontmatter::parse(path, yaml, split.yaml_line);
            let _ = frontmatter::parse_settings(path, yaml, split.yaml_line);
        }
        Some((split.body_offset, split.body))
    }

    /// Every table of Markdown `text` as its JSON and CSV data files.
    pub fn tables(text: &str) -> Vec<(String, String)> {
        let index = LineIndex::new(text);
        let rendered = markdown::render(text, 0, &index, &|_| None);
        let mut names = HashMap::new();
        rendered
            .tables
            .iter()
            .map(|raw| {
                let (table, _) = tables::build(Path::new("fuzz.md"), raw, &mut names);
                (data::to_json(&table), data::to_csv(&table))
            })
            .collect()
    }

    /// Loads `text` as the only post of the site at `root` (its templates,
    /// settings from no `_index.md`) and renders it. Returns whether the
    /// page loaded; one that did not must have said why in an error.
    pub fn page(root: &Path, text: &str) -> bool {
        crate::pipeline::render_one_page(root, text)
    }
}
