//! Rendering a page: its body's pieces (HTML, tables through the table
//! partial or the built-in writer, includes), then its template.

use super::templates::TABLE_TEMPLATE;
use super::views::{DataLink, PageView, Prepared, table_value};
use super::{Frame, Renderer, table};
use crate::body::liquid::Include;
use crate::body::markdown::Block;
use crate::error::Diagnostic;
use crate::publish::{OutputFile, data};
use crate::site::Site;
use crate::site::page::Page;
use crate::site::summary::Summary;
use crate::source::{PageKind, templates};
use serde_json::Value as Json;
use tera::{Context, Value};

/// Pages whose `layout` has no template: each is rendered with the default
/// template instead (Jekyll sites name their theme's layouts, such as
/// `single`), and gets a warning at its `layout` line.
pub(crate) fn layout_warnings(renderer: &Renderer, site: &Site) -> Vec<Diagnostic> {
    site.home
        .iter()
        .chain(&site.pages)
        .filter_map(|page| layout_warning(renderer, page))
        .collect()
}

/// [`layout_warnings`] for one page.
pub(crate) fn layout_warning(renderer: &Renderer, page: &Page) -> Option<Diagnostic> {
    let (layout, line) = page.head.layout.as_ref()?;
    let name = format!("{layout}.html");
    (!renderer.has(&name)).then(|| {
        Diagnostic::warning(
            &page.head.source,
            *line,
            1,
            format!(
                "layout `{layout}` has no template templates/{name}; using {}",
                default_template(renderer, page)
            ),
        )
        .with_help("create the template, or remove `layout` to use the default")
    })
}

fn default_template(renderer: &Renderer, page: &Page) -> &'static str {
    match page.head.kind {
        PageKind::Home => "index.html",
        PageKind::Section if renderer.has("section.html") => "section.html",
        PageKind::Section => "index.html",
        PageKind::Page if renderer.has("page.html") => "page.html",
        PageKind::Page | PageKind::Post => "post.html",
    }
}

/// Which template renders a page: its `layout` when that template exists,
/// else the default for its kind (see [`layout_warnings`]).
fn template_for(renderer: &Renderer, page: &Page) -> Result<String, Diagnostic> {
    if let Some((layout, _)) = &page.head.layout {
        let name = format!("{layout}.html");
        if renderer.has(&name) {
            return Ok(name);
        }
    }
    let name = default_template(renderer, page);
    if renderer.has(name) {
        Ok(name.to_string())
    } else {
        Err(
            Diagnostic::file_error(templates::path(name), "template not found").with_help(format!(
                "{} needs templates/{name}",
                page.head.source.display()
            )),
        )
    }
}

impl Frame<'_> {
    /// Renders page `i` of the site.
    pub(crate) fn site_page(
        &self,
        prepared: &Prepared,
        i: usize,
    ) -> Result<OutputFile, Diagnostic> {
        self.page(&self.site.pages[i], prepared.summary(i), prepared.value(i))
    }

    /// Page `i`'s body as HTML, as its page shows it (for feeds that
    /// carry whole bodies).
    pub(crate) fn body_html(&self, prepared: &Prepared, i: usize) -> Result<String, Diagnostic> {
        let page = &self.site.pages[i];
        let tables: Vec<Value> = if self.renderer.own_table_partial {
            page.body.tables.iter().map(table_value).collect()
        } else {
            Vec::new()
        };
        self.content(page, prepared.summary(i), &tables)
    }

    /// Renders `page` with its template.
    fn page(
        &self,
        page: &Page,
        summary: &Summary,
        summary_value: &Value,
    ) -> Result<OutputFile, Diagnostic> {
        let (template, ctx, size_hint) = self.page_context(page, summary, summary_value)?;
        let bytes =
            self.renderer
                .render_bytes(&template, &ctx, Some(&page.head.source), size_hint)?;
        Ok(OutputFile {
            path: page.head.output_file(),
            bytes,
        })
    }

    /// What rendering `page` needs: its template's name, the context with
    /// `site` and `page`, and a size hint for the output (its body's).
    pub(super) fn page_context(
        &self,
        page: &Page,
        summary: &Summary,
        summary_value: &Value,
    ) -> Result<(String, Context, usize), Diagnostic> {
        let config = &self.site.config;
        let template = template_for(self.renderer, page)?;
        let renderer = self.renderer;
        let tables: Vec<Value> = if renderer.page_tables || renderer.own_table_partial {
            page.body.tables.iter().map(table_value).collect()
        } else {
            Vec::new()
        };
        let content = self.content(page, summary, &tables)?;
        let content_len = content.len();
        let view = PageView {
            summary,
            kind: match page.head.kind {
                PageKind::Home => "home",
                PageKind::Post => "post",
                PageKind::Page => "page",
                PageKind::Section => "section",
            },
            slug: &page.head.slug,
            author: page.head.author.as_deref().unwrap_or(&config.author),
            content,
            data: page
                .body
                .tables
                .iter()
                .map(|t| {
                    let [json, csv] = data::paths(page, t);
                    DataLink {
                        name: t.name.clone(),
                        json_url: config.base.url(&json),
                        csv_url: config.base.url(&csv),
                    }
                })
                .collect(),
            toc: &page.body.headings,
            word_count: page.body.word_count,
            extra: &page.head.extra,
            source: page.head.source.to_string_lossy().replace('\\', "/"),
        };
        let mut ctx = self.context();
        ctx.insert_value("page", view.into_value(summary_value, tables));
        Ok((template, ctx, content_len))
    }

    /// The page's body as HTML: its pieces in order, each table through
    /// the site's table partial (or the built-in writer), each include
    /// through its template.
    fn content(
        &self,
        page: &Page,
        summary: &Summary,
        tables: &[Value],
    ) -> Result<String, Diagnostic> {
        let renderer = self.renderer;
        let source = Some(page.head.source.as_path());
        // Room for the body's HTML, and for each table as much as the
        // largest one written so far (a few KB before the first).
        let table = renderer.most_written(TABLE_TEMPLATE).max(4096);
        let html: usize = page
            .body
            .blocks
            .iter()
            .map(|b| match b {
                Block::Html(html) => html.len(),
                Block::Table(_) => table,
                Block::Include(_) => 4096,
            })
            .sum();
        let mut content = Vec::with_capacity(html);
        // One context for every table of the page: each render sees `site`
        // and its own `table`.
        let mut table_context: Option<Context> = None;
        for block in &page.body.blocks {
            match block {
                Block::Html(html) => content.extend_from_slice(html.as_bytes()),
                Block::Table(i) if !renderer.own_table_partial => {
                    content.extend_from_slice(table::render(&page.body.tables[*i]).as_bytes());
                }
                Block::Table(i) => {
                    let ctx = table_context.get_or_insert_with(|| self.context());
                    ctx.insert_value("table", tables[*i].clone());
                    renderer.render_onto(TABLE_TEMPLATE, ctx, source, &mut content)?;
                }
                Block::Include(i) => {
                    if let Some(include) = page.body.includes.get(*i) {
                        let html = self.include(page, summary, include)?;
                        content.extend_from_slice(html.as_bytes());
                    }
                }
            }
        }
        String::from_utf8(content)
            .map_err(|e| Diagnostic::file_error(&page.head.source, e.to_string()))
    }

    /// One `{% include %}` of a body, rendered with its template. Jekyll
    /// includes read `include.KEY` and the page's own front matter, such
    /// as `page.gallery`.
    fn include(
        &self,
        page: &Page,
        summary: &Summary,
        include: &Include,
    ) -> Result<String, Diagnostic> {
        let mut ctx = self.context();
        ctx.insert("include", &include.params);
        let mut page_value = page.head.extra.clone();
        page_value.insert("title".into(), Json::String(page.head.title.clone()));
        page_value.insert("url".into(), Json::String(summary.url.clone()));
        page_value.insert("extra".into(), Json::Object(page.head.extra.clone()));
        ctx.insert("page", &page_value);
        self.renderer
            .render(&include.template, &ctx, Some(&page.head.source))
            .map_err(|d| {
                d.with_help(format!(
                    "while rendering `{{% include {} %}}` at {}:{}",
                    include.name,
                    page.head.source.display(),
                    include.line
                ))
            })
    }
}
