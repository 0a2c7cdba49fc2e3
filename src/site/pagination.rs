//! Splitting a list (the home page, a section, a term) into pages of
//! `paginate_by` items: page 1 at the list's own path, page N at
//! `PATH/page/N/`. There is no `PATH/page/1/`: the first page has one
//! address only.

use std::ops::Range;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pager {
    /// 1-based.
    pub(crate) number: usize,
    /// How many pages the list has.
    pub(crate) total_pages: usize,
    /// Which of the list's items this page shows.
    pub(crate) items: Range<usize>,
    /// List path of page 1 (`tags/smtp/`, or empty for the home page).
    pub(crate) base: String,
}

impl Pager {
    /// Site path of page `number` of the list at `base`.
    pub(crate) fn path_of(base: &str, number: usize) -> String {
        if number <= 1 {
            base.to_string()
        } else {
            format!("{base}page/{number}/")
        }
    }

    /// This page's site path.
    pub(crate) fn path(&self) -> String {
        Pager::path_of(&self.base, self.number)
    }

    /// This page's output file.
    pub(crate) fn output_file(&self) -> String {
        format!("{}index.html", self.path())
    }

    /// Site path of the page before, if any.
    pub(crate) fn previous(&self) -> Option<String> {
        (self.number > 1).then(|| Pager::path_of(&self.base, self.number - 1))
    }

    /// Site path of the page after, if any.
    pub(crate) fn next(&self) -> Option<String> {
        (self.number < self.total_pages).then(|| Pager::path_of(&self.base, self.number + 1))
    }
}

/// The pages of a list at `base` of `total` items, `per_page` a page (0:
/// all on one). A list with no items still has its first page.
pub(crate) fn paginate(base: &str, total: usize, per_page: usize) -> Vec<Pager> {
    let total_pages = if per_page == 0 {
        1
    } else {
        total.div_ceil(per_page).max(1)
    };
    let per_page = if per_page == 0 { total } else { per_page };
    (1..=total_pages)
        .map(|number| Pager {
            number,
            total_pages,
            items: (number - 1) * per_page..(number * per_page).min(total),
            base: base.to_string(),
        })
        .collect()
}

/// Site paths of every page of a list after the first (what pagination
/// adds to a site).
pub(crate) fn extra_paths(base: &str, total: usize, per_page: usize) -> Vec<String> {
    paginate(base, total, per_page)
        .iter()
        .skip(1)
        .map(Pager::path)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_cover_every_item_once() {
        let pages = paginate("tags/x/", 25, 10);
        assert_eq!(pages.len(), 3);
        assert_eq!(pages[2].items, 20..25);
        assert_eq!(pages[0].path(), "tags/x/");
        assert_eq!(pages[1].path(), "tags/x/page/2/");
        assert_eq!(pages[0].previous(), None);
        assert_eq!(pages[2].next(), None);
        assert_eq!(paginate("", 0, 10)[0].items, 0..0);
        assert_eq!(paginate("", 7, 0)[0].items, 0..7);
    }
}
