//! The site model: pages in order, taxonomies, and URL ownership. Pure data,
//! built once from loaded pages.

pub(crate) mod config;
pub(crate) mod page;
pub(crate) mod pagination;
pub(crate) mod section;
pub(crate) mod summary;

use crate::error::Diagnostic;
use crate::source::PageKind;
use crate::source::bundles::Asset;
use crate::urls::slugify;
use config::Config;
use page::Page;
use section::Section;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The taxonomies folio builds, by front matter field and URL folder.
const TAXONOMIES: [&str; 2] = ["tags", "categories"];

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
pub(crate) struct Term {
    /// The term as first written.
    pub(crate) name: String,
    /// URL slug.
    pub(crate) slug: String,
    /// Indices into [`Site::pages`], newest first.
    pub(crate) pages: Vec<usize>,
}

/// A taxonomy (`tags` or `categories`) and its terms, sorted by slug.
#[derive(Debug, Clone)]
pub(crate) struct Taxonomy {
    /// `tags` or `categories`.
    pub(crate) name: &'static str,
    /// Terms in slug order.
    pub(crate) terms: Vec<Term>,
}

/// Everything a build renders. Pages are shared: `serve` makes the site
/// after an edit from this one, sharing every page it did not replace.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    /// Settings.
    pub(crate) config: Config,
    /// The home page from `content/_index.md`, if there is one.
    pub(crate) home: Option<Arc<Page>>,
    /// Posts newest first, then other pages by path.
    pub(crate) pages: Vec<Arc<Page>>,
    /// Tags, then categories.
    pub(crate) taxonomies: Arc<Vec<Taxonomy>>,
    /// Sections (folders with an `_index.md`), by path.
    pub(crate) sections: Arc<Vec<Section>>,
    /// The data files' values by name (`site.data.NAME`).
    pub(crate) data: Arc<Map<String, Value>>,
}

impl Site {
    /// Orders pages, groups taxonomies and sections, and checks that no
    /// two pages claim one URL. `drafts` keeps draft pages; `data` is
    /// `site.data`.
    pub(crate) fn assemble(
        config: Config,
        pages: Vec<Page>,
        drafts: bool,
        data: Map<String, Value>,
    ) -> Result<Site, Vec<Diagnostic>> {
        let mut rest = pages;
        let home = rest
            .iter()
            .position(|p| p.head.kind == PageKind::Home)
            .map(|i| rest.swap_remove(i));
        rest.retain(|p| p.head.kind != PageKind::Home && (drafts || !p.head.draft));
        let (mut sections, mut rest): (Vec<Page>, Vec<Page>) = rest
            .into_iter()
            .partition(|p| p.head.kind == PageKind::Section);
        sections.sort_by(|a, b| a.head.path.cmp(&b.head.path));
        put_in_order(&mut rest);
        let errors = claim_urls(home.iter().chain(&sections).chain(&rest));
        if !errors.is_empty() {
            return Err(errors);
        }
        let pages: Vec<Arc<Page>> = rest.into_iter().map(Arc::new).collect();
        let sections: Vec<Arc<Page>> = sections.into_iter().map(Arc::new).collect();
        let site = Site {
            sections: Arc::new(section::group(&sections, &pages, config.paginate_by)),
            config,
            home: home.map(Arc::new),
            taxonomies: Arc::new(group_terms(&pages)),
            pages,
            data: Arc::new(data),
        };
        let errors = claim_list_pages(&site);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(site)
    }

    /// Site paths of every list page after the first: the home page's,
    /// each section's and each term's `…/page/N/`.
    pub(crate) fn later_list_pages(&self) -> Vec<String> {
        let per_page = self.config.paginate_by;
        let mut paths = pagination::extra_paths("", self.posts().count(), per_page);
        for section in self.sections.iter() {
            let base = &section.page.head.path;
            paths.extend(pagination::extra_paths(
                base,
                section.pages.len(),
                section.paginate_by,
            ));
        }
        for taxonomy in self.taxonomies.iter() {
            for term in &taxonomy.terms {
                let base = format!("{}/{}/", taxonomy.name, term.slug);
                paths.extend(pagination::extra_paths(&base, term.pages.len(), per_page));
            }
        }
        paths
    }

    /// The site with pages replaced: each `(i, page)` takes the place of
    /// page `i` (an edit that keeps the page's URL and date; anything else
    /// loads the site again). Every other page is shared with this site.
    pub(crate) fn with_pages(&self, replaced: Vec<(usize, Page)>) -> Site {
        let mut pages = self.pages.clone();
        let mut regroup = false;
        let mut resort = false;
        for (i, page) in replaced {
            let old = &pages[i].head;
            regroup |= old.tags != page.head.tags || old.categories != page.head.categories;
            resort |= old.title != page.head.title || old.listing != page.head.listing;
            pages[i] = Arc::new(page);
        }
        let sections = if resort && !self.sections.is_empty() {
            let index_pages: Vec<Arc<Page>> =
                self.sections.iter().map(|s| Arc::clone(&s.page)).collect();
            Arc::new(section::group(
                &index_pages,
                &pages,
                self.config.paginate_by,
            ))
        } else {
            Arc::clone(&self.sections)
        };
        Site {
            config: self.config.clone(),
            home: self.home.clone(),
            taxonomies: if regroup {
                Arc::new(group_terms(&pages))
            } else {
                Arc::clone(&self.taxonomies)
            },
            sections,
            pages,
            data: Arc::clone(&self.data),
        }
    }

    /// The posts (pages under `content/posts/`), newest first.
    pub(crate) fn posts(&self) -> impl Iterator<Item = (usize, &Page)> {
        self.pages
            .iter()
            .enumerate()
            .map(|(i, p)| (i, &**p))
            .filter(|(_, p)| p.head.kind == PageKind::Post)
    }

    /// Which page, redirect or bundle file writes output file `file`, for
    /// a message (`the redirect at content/a.md:3`); `None` for the files
    /// folio makes from the whole site (lists, feeds) and for no file.
    pub(crate) fn claimant(&self, file: &str) -> Option<String> {
        self.home
            .iter()
            .chain(&self.pages)
            .flat_map(|page| claims(page))
            .find(|(claimed, _)| claimed == file)
            .map(|(_, claim)| claim.describe())
    }
}

/// Puts posts newest first (undated last), then pages; ties by path so the
/// order never depends on the file system. Pages are large and a site has
/// many: they are put in order in place, each moving as little as possible.
fn put_in_order(pages: &mut [Page]) {
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&pages[a].head, &pages[b].head);
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
    for i in 0..pages.len() {
        while target[i] != i {
            let t = target[i];
            pages.swap(i, t);
            target.swap(i, t);
        }
    }
}

/// Who wants an output file: a page, a redirect to a page from one of
/// its old addresses (`aliases`, `redirect_from`) at a front matter line,
/// or a file of a page's bundle.
#[derive(Clone, Copy)]
struct Claim<'a> {
    page: &'a Page,
    by: Claimer<'a>,
}

#[derive(Clone, Copy)]
enum Claimer<'a> {
    Page,
    Redirect(usize),
    Asset(&'a Asset),
}

impl Claim<'_> {
    /// The claim as a place in a message: `the redirect at content/a.md:3`.
    fn describe(&self) -> String {
        let source = self.page.head.source.display();
        match self.by {
            Claimer::Page => format!("the page {source}"),
            Claimer::Redirect(line) => format!("the redirect at {source}:{line}"),
            Claimer::Asset(asset) => format!("the bundle file {}", asset.source.display()),
        }
    }

    /// What claims, said at its own place: `this page`.
    fn what(&self) -> &'static str {
        match self.by {
            Claimer::Page => "this page",
            Claimer::Redirect(_) => "this redirect",
            Claimer::Asset(_) => "this bundle file",
        }
    }

    fn error(&self, message: String) -> Diagnostic {
        match self.by {
            Claimer::Page => Diagnostic::file_error(&self.page.head.source, message),
            Claimer::Redirect(line) => Diagnostic::error(&self.page.head.source, line, 1, message),
            Claimer::Asset(asset) => Diagnostic::file_error(&asset.source, message),
        }
    }
}

/// The output files `page` claims: its own, its redirects' and its bundle
/// files'.
fn claims(page: &Page) -> impl Iterator<Item = (String, Claim<'_>)> {
    let claim = move |by| Claim { page, by };
    let own = (page.head.output_file(), claim(Claimer::Page));
    let aliases = page
        .head
        .aliases
        .iter()
        .map(move |a| (a.file.clone(), claim(Claimer::Redirect(a.line))));
    let assets = page
        .head
        .assets
        .iter()
        .map(move |a| (page.head.asset_file(a), claim(Claimer::Asset(a))));
    std::iter::once(own).chain(aliases).chain(assets)
}

/// Errors for pages, redirects and bundle files that claim a file folio
/// writes itself or one that another of them claims.
fn claim_urls<'a>(pages: impl Iterator<Item = &'a Page>) -> Vec<Diagnostic> {
    let mut owners: BTreeMap<String, Claim<'a>> = BTreeMap::new();
    let mut errors = Vec::new();
    for page in pages {
        for (file, claim) in claims(page) {
            if GENERATED.contains(&file.as_str()) {
                errors.push(
                    claim
                        .error(format!(
                            "{} wants /{file}, which folio writes itself",
                            claim.what()
                        ))
                        .with_help(
                            "change the page's `permalink`, the old address or the file name",
                        ),
                );
            }
            if let Some(other) = owners.insert(file.clone(), claim) {
                errors.push(clash(&claim, &other, &file));
            }
        }
    }
    errors
}

/// The error for two claims on one output file.
fn clash(claim: &Claim, other: &Claim, file: &str) -> Diagnostic {
    if let (Claimer::Page, Claimer::Page) = (claim.by, other.by) {
        return claim
            .error(format!(
                "this page and {} both want the URL /{}",
                other.page.head.source.display(),
                claim.page.head.path
            ))
            .with_help("change the file name, `slug` or `permalink` of one of them");
    }
    // Said at the redirect or bundle file: that is what to change.
    let (at, other) = if matches!(claim.by, Claimer::Page) {
        (other, claim)
    } else {
        (claim, other)
    };
    at.error(format!(
        "{} and {} both want /{file}",
        at.describe(),
        other.describe()
    ))
    .with_help(
        "remove the old address from `aliases`/`redirect_from`, rename the file, or move the page",
    )
}

/// Errors for pages, redirects and bundle files that claim a file of a
/// list page folio writes: a term's page or feed, or a later page of the
/// home page, a section or a term.
fn claim_list_pages(site: &Site) -> Vec<Diagnostic> {
    let mut lists: std::collections::HashSet<String> = site
        .later_list_pages()
        .into_iter()
        .map(|path| format!("{path}index.html"))
        .collect();
    for taxonomy in site.taxonomies.iter() {
        for term in &taxonomy.terms {
            let path = format!("{}/{}/", taxonomy.name, term.slug);
            lists.insert(format!("{path}index.html"));
            lists.insert(format!("{path}atom.xml"));
        }
    }
    let pages = site.home.iter().chain(&site.pages);
    pages
        .chain(site.sections.iter().map(|s| &s.page))
        .flat_map(|page| claims(page))
        .filter(|(file, _)| lists.contains(file))
        .map(|(file, claim)| match claim.by {
            Claimer::Page => claim
                .error(format!(
                    "this page wants /{}, where folio writes a list page",
                    claim.page.head.path
                ))
                .with_help("change the page's `permalink` or `slug`"),
            _ => claim
                .error(format!(
                    "{} wants /{file}, where folio writes a list page",
                    claim.what()
                ))
                .with_help(
                    "remove the old address from `aliases`/`redirect_from`, or rename the file",
                ),
        })
        .collect()
}

/// Groups pages by tag and by category; terms sorted by slug, pages in
/// site order.
fn group_terms(pages: &[Arc<Page>]) -> Vec<Taxonomy> {
    TAXONOMIES
        .iter()
        .map(|&name| {
            let mut terms: BTreeMap<String, Term> = BTreeMap::new();
            for (i, page) in pages.iter().enumerate() {
                let written = if name == "tags" {
                    &page.head.tags
                } else {
                    &page.head.categories
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
