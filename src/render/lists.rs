//! Rendering the list pages: the home page with every post, each
//! section's page, each taxonomy's list of terms and each term's page, all
//! paginated (see `site::pagination`), and the 404 page.
//!
//! A list page gets `paginator` (`pages`, `number`, `total_pages`,
//! `total_items`, `previous`, `next`, `first`, `last`, and `permalink`,
//! this page's absolute URL); the list variable
//! templates had before pagination (`posts`, `term.pages`,
//! `section.pages`) holds the same items as `paginator.pages`: this page's.

use super::Frame;
use super::views::{Prepared, TaxonomyView, TermView};
use crate::body::Body;
use crate::error::Diagnostic;
use crate::publish::OutputFile;
use crate::publish::feed::FEED_FILE;
use crate::site::page::Page;
use crate::site::pagination::{Pager, paginate};
use crate::site::section::Section;
use crate::site::summary::summarize;
use crate::site::{Taxonomy, Term};
use crate::source::{Head, templates};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::Path;
use tera::value::Key;
use tera::{Context, Value};

/// One list's pages to render: its template and the context every page of
/// it shares, and its items (indices into the site's pages).
struct List<'l> {
    template: &'l str,
    context: &'l Context,
    /// Where errors point (the list's `_index.md`, if it has one).
    source: Option<&'l Path>,
    /// Site path of the first page.
    base: &'l str,
    items: &'l [usize],
    per_page: usize,
    /// Room for each page's bytes from the start.
    size_hint: usize,
    /// Only the pages of the list that show one of these items (`None`:
    /// every page).
    showing: Option<&'l HashSet<usize>>,
}

impl Frame<'_> {
    /// The home page: `_index.md` if there is one, else an empty page,
    /// with `posts`, every post's summary. With `showing`, only the pages
    /// of the list that show one of those pages are rendered.
    pub(crate) fn home(
        &self,
        prepared: &Prepared,
        showing: Option<&HashSet<usize>>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let site = self.site;
        let posts: Vec<usize> = site.posts().map(|(i, _)| i).collect();
        let empty;
        let home = match &site.home {
            Some(home) => home,
            None => {
                empty = Page {
                    head: Head::home(site.config.title.clone()),
                    body: Body::default(),
                };
                &empty
            }
        };
        let per_page = site.config.paginate_by;
        self.page_list(home, &posts, per_page, showing, prepared, |ctx, items| {
            ctx.insert_value("posts", items);
        })
    }

    /// A section's pages: its `_index.md` as `page`, with `section`
    /// (`pages`, this page's; `count`, all of them) and `posts` (the same
    /// items, so `index.html` can render a section).
    pub(crate) fn section(
        &self,
        section: &Section,
        prepared: &Prepared,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let count = section.pages.len();
        let (page, per_page) = (&section.page, section.paginate_by);
        self.page_list(
            page,
            &section.pages,
            per_page,
            None,
            prepared,
            |ctx, items| {
                let view: tera::Map = [("pages", items.clone()), ("count", Value::from(count))]
                    .into_iter()
                    .map(|(k, v)| (Key::from(k), v))
                    .collect();
                ctx.insert_value("section", Value::from(view));
                ctx.insert_value("posts", items);
            },
        )
    }

    /// A list page that is a page of its own (the home page, a section):
    /// `page` is its view, rendered once and shared by every page of the
    /// list of `items`.
    fn page_list(
        &self,
        page: &Page,
        items: &[usize],
        per_page: usize,
        showing: Option<&HashSet<usize>>,
        prepared: &Prepared,
        fill: impl Fn(&mut Context, Value) + Sync,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let summary = summarize(&self.site.config, page);
        let value = Value::from_serializable(&summary);
        let (template, context, size_hint) = self.page_context(page, &summary, &value)?;
        let list = List {
            template: &template,
            context: &context,
            source: Some(&page.head.source),
            base: &page.head.path,
            items,
            per_page,
            size_hint,
            showing,
        };
        self.paginated(&list, prepared, fill)
    }

    /// Renders every page of `list`; `fill` adds each page's items (and
    /// anything else of its own) to its context, which already has
    /// `paginator`.
    fn paginated(
        &self,
        list: &List,
        prepared: &Prepared,
        fill: impl Fn(&mut Context, Value) + Sync,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let base = &self.site.config.base;
        let url =
            |path: Option<String>| path.map_or_else(Value::none, |p| Value::from(base.url(&p)));
        let pagers = paginate(list.base, list.items.len(), list.per_page);
        let last = pagers.len();
        pagers
            .par_iter()
            .filter(|pager| {
                let shown = &list.items[pager.items.clone()];
                list.showing
                    .is_none_or(|set| shown.iter().any(|i| set.contains(i)))
            })
            .map(|pager| {
                let items = Value::from(
                    list.items[pager.items.clone()]
                        .iter()
                        .map(|&i| prepared.value(i).clone())
                        .collect::<Vec<_>>(),
                );
                let paginator: tera::Map = [
                    ("pages", items.clone()),
                    ("number", Value::from(pager.number)),
                    ("total_pages", Value::from(pager.total_pages)),
                    ("total_items", Value::from(list.items.len())),
                    ("previous", url(pager.previous())),
                    ("next", url(pager.next())),
                    ("first", url(Some(Pager::path_of(list.base, 1)))),
                    ("last", url(Some(Pager::path_of(list.base, last)))),
                    ("permalink", Value::from(base.absolute(&pager.path()))),
                ]
                .into_iter()
                .map(|(k, v)| (Key::from(k), v))
                .collect();
                let mut ctx = list.context.clone();
                ctx.insert_value("paginator", Value::from(paginator));
                fill(&mut ctx, items);
                let bytes =
                    self.renderer
                        .render_bytes(list.template, &ctx, list.source, list.size_hint)?;
                Ok(OutputFile {
                    path: pager.output_file(),
                    bytes,
                })
            })
            .collect()
    }

    /// `404.html`, when the site has that template.
    pub(crate) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        Ok(OutputFile {
            path: "404.html".into(),
            bytes: self
                .renderer
                .render("404.html", &self.context(), None)?
                .into_bytes(),
        })
    }

    /// The list of `taxonomy`'s terms and the pages of each term in
    /// `only` (every term when `None`) that show a page of `showing`
    /// (every page of the term when `None`).
    pub(crate) fn taxonomy(
        &self,
        taxonomy: &Taxonomy,
        prepared: &Prepared,
        only: Option<&HashSet<(String, String)>>,
        showing: Option<&HashSet<usize>>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let base = &self.site.config.base;
        let name = taxonomy.name;
        let template = "taxonomy.html";
        if !self.renderer.has(template) {
            if taxonomy.terms.is_empty() {
                return Ok(Vec::new());
            }
            return Err(
                Diagnostic::file_error(templates::path(template), "template not found").with_help(
                    format!(
                        "pages have {name}, and their pages are rendered with templates/{template}"
                    ),
                ),
            );
        }
        let term_view = |t: &Term| TermView {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: base.url(&format!("{name}/{}/", t.slug)),
            feed_url: base.url(&format!("{name}/{}/{FEED_FILE}", t.slug)),
            count: t.pages.len(),
            pages: Value::from(Vec::<Value>::new()),
        };
        let terms: Vec<TermView> = taxonomy.terms.iter().map(term_view).collect();
        let terms = Value::from_serializable(&terms);
        let tax = Value::from_serializable(&TaxonomyView {
            name,
            url: base.url(&format!("{name}/")),
        });
        let context = |term: Value| {
            let mut ctx = self.context();
            ctx.insert_value("taxonomy", tax.clone());
            ctx.insert_value("terms", terms.clone());
            ctx.insert_value("term", term);
            ctx.insert_value("paginator", Value::none());
            ctx
        };
        let mut files = vec![OutputFile {
            path: format!("{name}/index.html"),
            bytes: self
                .renderer
                .render(template, &context(Value::none()), None)?
                .into_bytes(),
        }];
        let list_context = context(Value::none());
        let rendered: Result<Vec<Vec<OutputFile>>, Diagnostic> = taxonomy
            .terms
            .par_iter()
            .filter(|t| only.is_none_or(|set| set.contains(&(name.to_string(), t.slug.clone()))))
            .map(|t| {
                let base = format!("{name}/{}/", t.slug);
                let list = List {
                    template,
                    context: &list_context,
                    source: None,
                    base: &base,
                    items: &t.pages,
                    per_page: self.site.config.paginate_by,
                    size_hint: 4096,
                    showing,
                };
                self.paginated(&list, prepared, |ctx, items| {
                    let view = TermView {
                        pages: items,
                        ..term_view(t)
                    };
                    ctx.insert_value("term", Value::from_serializable(&view));
                })
            })
            .collect();
        files.extend(rendered?.into_iter().flatten());
        Ok(files)
    }
}
