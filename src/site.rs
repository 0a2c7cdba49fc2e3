//! The site model: pages in order, taxonomies, and URL ownership. Pure data,
//! built once from loaded pages.

use crate::config::Config;
use crate::content::{Page, PageKind};
use crate::error::Diagnostic;
use crate::text::slugify;
use std::collections::BTreeMap;

/// The taxonomies folio builds, by front matter field and URL folder.
pub const TAXONOMIES: [&str; 2] = ["tags", "categories"];

/// Files folio always generates beside the pages, which no page may claim
/// (a page may be `/404.html` when `templates/404.html` does not exist).
const GENERATED: [&str; 6] = [
    "atom.xml",
    "sitemap.xml",
    "robots.txt",
    ".nojekyll",
    "tags/index.html",
    "categories/index.html",
];

/// One term of a taxonomy, such as the tag `email`.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as first written.
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Indices into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
}

/// A taxonomy (`tags` or `categories`) and its terms, sorted by slug.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// `tags` or `categories`.
    pub name: &'static str,
    /// Terms in slug order.
    pub terms: Vec<Term>,
}

/// Everything a build renders.
#[derive(Debug, Clone)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// The home page from `content/_index.md`, if there is one.
    pub home: Option<Page>,
    /// Posts newest first, then other pages by path.
    pub pages: Vec<Page>,
    /// Tags, then categories.
    pub taxonomies: Vec<Taxonomy>,
}

impl Site {
    /// Orders pages, groups taxonomies, and checks that no two pages claim
    /// one URL. `drafts` keeps draft pages.
    pub fn assemble(
        config: Config,
        pages: Vec<Page>,
        drafts: bool,
    ) -> Result<Site, Vec<Diagnostic>> {
        // Pages are large and a site has many: they are filtered and put in
        // order in place, each moving as little as possible.
        let mut rest = pages;
        let home = rest
            .iter()
            .position(|p| p.kind == PageKind::Home)
            .map(|i| rest.swap_remove(i));
        rest.retain(|p| p.kind != PageKind::Home && (drafts || !p.draft));
        // Posts newest first (undated last), then pages; ties by path so the
        // order never depends on the file system.
        let mut order: Vec<usize> = (0..rest.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&rest[a], &rest[b]);
            (a.kind != PageKind::Post)
                .cmp(&(b.kind != PageKind::Post))
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.path.cmp(&b.path))
        });
        // `order[k]` is the page that goes to place k; `target[i]` is where
        // page i goes. Each swap puts one page in its place.
        let mut target = vec![0; order.len()];
        for (k, &i) in order.iter().enumerate() {
            target[i] = k;
        }
        for i in 0..rest.len() {
            while target[i] != i {
                let t = target[i];
                rest.swap(i, t);
                target.swap(i, t);
            }
        }

        let mut owners: BTreeMap<String, &Page> = BTreeMap::new();
        let mut errors = Vec::new();
        for page in home.iter().chain(&rest) {
            let file = page.output_file();
            if GENERATED.contains(&file.as_str()) {
                errors.push(
                    Diagnostic::file_error(
                        &page.source,
                        format!("this page wants /{file}, which folio writes itself"),
                    )
                    .with_help("change the page's `permalink`"),
                );
            }
            if let Some(other) = owners.insert(page.output_file(), page) {
                errors.push(
                    Diagnostic::file_error(
                        &page.source,
                        format!(
                            "this page and {} both want the URL /{}",
                            other.source.display(),
                            page.path
                        ),
                    )
                    .with_help("change the file name, `slug` or `permalink` of one of them"),
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }

        let taxonomies = group_terms(&rest);

        Ok(Site {
            config,
            home,
            pages: rest,
            taxonomies,
        })
    }

    /// Swaps in a new version of page `i` and regroups the taxonomies.
    /// Only `serve` uses this, for a one-page edit that keeps the page's
    /// URL and date (anything else rebuilds the site from scratch).
    pub fn replace_page(&mut self, i: usize, page: Page) {
        let regroup =
            self.pages[i].tags != page.tags || self.pages[i].categories != page.categories;
        self.pages[i] = page;
        if regroup {
            self.taxonomies = group_terms(&self.pages);
        }
    }

    /// The posts (pages under `content/posts/`), newest first.
    pub fn posts(&self) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PageKind::Post)
    }
}

/// Groups pages by tag and by category; terms sorted by slug, pages in
/// site order.
fn group_terms(pages: &[Page]) -> Vec<Taxonomy> {
    TAXONOMIES
        .iter()
        .map(|&name| {
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for (i, page) in pages.iter().enumerate() {
                let written = if name == "tags" {
                    &page.tags
                } else {
                    &page.categories
                };
                for term in written {
                    let slug = slugify(term);
                    if slug.is_empty() {
                        continue;
                    }
                    let entry = terms.entry(slug.clone()).or_insert_with(|| Term {
                        name: term.clone(),
                        slug,
                        pages: Vec::new(),
                    });
                    if entry.pages.last() != Some(&i) {
                        entry.pages.push(i);
                    }
                }
            }
            Taxonomy {
                name,
                terms: terms.into_values().collect(),
            }
        })
        .collect()
}
