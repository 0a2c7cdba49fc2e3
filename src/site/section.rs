//! Sections: a folder under `content/` with an `_index.md` lists the pages
//! under it at its own URL (`content/docs/_index.md` → `/docs/`), in the
//! order its `sort_by` asks for, paginated. A page belongs to the nearest
//! folder above it that is a section; `content/posts/` needs no
//! `_index.md` (its posts are listed on the home page either way).

use super::page::Page;
use crate::source::Head;
use crate::source::listing::SortBy;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// A section and its pages.
#[derive(Debug, Clone)]
pub(crate) struct Section {
    /// The section's `_index.md`.
    pub(crate) page: Arc<Page>,
    /// Indices into the site's pages, in the section's order.
    pub(crate) pages: Vec<usize>,
    /// Items per list page: the section's `paginate_by`, else the site's.
    pub(crate) paginate_by: usize,
}

/// Groups `pages` under `sections` (their `_index.md` pages), each in its
/// own order; `paginate_by` is the site's.
pub(crate) fn group(
    sections: &[Arc<Page>],
    pages: &[Arc<Page>],
    paginate_by: usize,
) -> Vec<Section> {
    let folders: HashMap<&Path, usize> = sections
        .iter()
        .enumerate()
        .filter_map(|(i, s)| Some((s.head.source.parent()?, i)))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); sections.len()];
    if !folders.is_empty() {
        for (i, page) in pages.iter().enumerate() {
            let mut dirs = page.head.source.ancestors().skip(1);
            if let Some(s) = dirs.find_map(|d| folders.get(d)) {
                members[*s].push(i);
            }
        }
    }
    sections
        .iter()
        .zip(members)
        .map(|(section, mut list)| {
            let listing = &section.head.listing;
            let sort_by = listing.sort_by.unwrap_or_default();
            list.sort_by(|&a, &b| compare(sort_by, &pages[a].head, &pages[b].head));
            Section {
                page: Arc::clone(section),
                pages: list,
                paginate_by: listing.paginate_by.unwrap_or(paginate_by),
            }
        })
        .collect()
}

/// The order of two pages of a section; ties by source path, so the order
/// never depends on the file system.
fn compare(sort_by: SortBy, a: &Head, b: &Head) -> Ordering {
    let first = match sort_by {
        SortBy::Date => b
            .date
            .is_some()
            .cmp(&a.date.is_some())
            .then(b.date.cmp(&a.date)),
        SortBy::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
        SortBy::Weight => {
            let (wa, wb) = (a.listing.weight, b.listing.weight);
            wb.is_some()
                .cmp(&wa.is_some())
                .then(wa.cmp(&wb))
                .then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase()))
        }
    };
    first.then_with(|| a.source.cmp(&b.source))
}
