//! The files of page bundles, published beside their pages
//! (`content/posts/my-post/diagram.png` → `posts/my-post/diagram.png`).

use super::OutputFile;
use super::data;
use crate::error::Diagnostic;
use crate::site::page::Page;
use crate::source::walk;

/// The files of `page`'s bundle, read. A file that would take the place
/// of one of the page's own data files (`ports.json` beside a page whose
/// table is named `ports`) is an error naming both.
pub(crate) fn files(page: &Page) -> Result<Vec<OutputFile>, Diagnostic> {
    if page.head.assets.is_empty() {
        return Ok(Vec::new());
    }
    let data_files: Vec<(String, &str)> = page
        .body
        .tables
        .iter()
        .flat_map(|t| data::paths(page, t).map(|p| (p, t.name.as_str())))
        .collect();
    page.head
        .assets
        .iter()
        .map(|asset| {
            let path = page.head.asset_file(asset);
            if let Some((_, table)) = data_files.iter().find(|(p, _)| *p == path) {
                return Err(Diagnostic::file_error(
                    &asset.source,
                    format!(
                        "this file and the data of the table `{table}` in {} both want /{path}",
                        page.head.source.display()
                    ),
                )
                .with_help("rename the file, or the table's first header"));
            }
            let bytes = walk::read(&asset.disk, &asset.source)?;
            Ok(OutputFile { path, bytes })
        })
        .collect()
}
