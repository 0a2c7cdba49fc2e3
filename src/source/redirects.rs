//! Redirects written in front matter, resolved and checked: old addresses
//! that send readers to a page (`aliases`, Jekyll's `redirect_from`) and a
//! page that sends readers elsewhere (`redirect_to`). `publish::redirects`
//! writes the pages that do the sending.

use super::paths::{output_file, plain_site_path};
use crate::error::Diagnostic;
use crate::urls::{LinkKind, link_kind};
use std::path::Path;

/// An old address of a page, where a redirect page is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alias {
    /// The output file: `old/path/index.html` for `/old/path/` (or
    /// `/old/path`), `old.html` for `/old.html`.
    pub(crate) file: String,
    /// The front matter line that names it.
    pub(crate) line: usize,
}

/// Where a `redirect_to` page sends readers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RedirectTo {
    /// The target.
    pub(crate) target: Target,
    /// The `redirect_to` line.
    pub(crate) line: usize,
}

/// The target of a redirect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Another site: the URL as written (`https://example.org/x`).
    External(String),
    /// A path of this site without the base path (`new/place/#part`): it
    /// gets the base when written out.
    Internal(String),
}

/// Reads one entry of `aliases` or `redirect_from` of `rel` (at `line`).
pub(super) fn alias(rel: &Path, written: &str, line: usize) -> Result<Alias, Diagnostic> {
    let path = plain_site_path(written).filter(|p| !written.trim().is_empty() && !p.is_empty());
    let Some(path) = path else {
        return Err(Diagnostic::error(
            rel,
            line,
            1,
            format!("old address `{written}` must be a plain path inside the site, such as /old/path/"),
        )
        .with_help("write the path from the site's root, without the base URL, `..`, a query or a fragment"));
    };
    Ok(Alias {
        file: output_file(&path),
        line,
    })
}

/// Reads `redirect_to` of `rel` (at `line`): a URL of another site, or a
/// path from this site's root.
pub(super) fn redirect_to(
    rel: &Path,
    written: &str,
    line: usize,
) -> Result<RedirectTo, Diagnostic> {
    let target = match link_kind(written) {
        LinkKind::Remote => Target::External(written.to_string()),
        LinkKind::Rooted => Target::Internal(written.trim_start_matches('/').to_string()),
        LinkKind::SamePage | LinkKind::Scheme | LinkKind::Relative => {
            return Err(Diagnostic::error(
                rel,
                line,
                1,
                format!(
                    "`redirect_to: {written}` must be a URL (https://…) or a path from the site's root (/new/)"
                ),
            ));
        }
    };
    Ok(RedirectTo { target, line })
}
