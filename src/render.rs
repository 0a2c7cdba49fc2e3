//! Tera: loading `templates/`, the view structs templates see, and
//! rendering every page of a site into memory. The only module that knows
//! about Tera.
//!
//! Template context (see README.md for the full list):
//! - every template: `site` (title, description, author, language,
//!   base_url, url, feed_url, extra, taxonomies);
//! - `post.html` and layouts: `page` (a [`PageView`]);
//! - `index.html`: `page` (the home page) and `posts` (summaries);
//! - `taxonomy.html`: `taxonomy`, `terms`, and `term` (null on the list of
//!   terms, set on a term's own page, with its `pages`);
//! - `partials/table.html`: `table`, one table as data;
//! - `includes/NAME` or `partials/NAME`, for a body's `{% include NAME %}`:
//!   `include` (its parameters) and `page` (front matter, title, url).
//!
//! Functions and filters: `url(path=…)` and `absolute_url(path=…)` make a
//! site path base-aware; `date(format=…)` formats a date; `slugify`;
//! `json` serialises any value as JSON that is safe inside a `<script>`.

mod default_table;
mod nesting;

use crate::config::{BaseUrl, Config};
use crate::content::{Page, PageKind, date};
use crate::error::Diagnostic;
use crate::markdown::{Block, Heading};
use crate::site::{Site, Taxonomy};
use crate::tables::{ColumnKind, Table};
use crate::text::slugify;
use crate::walk;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use tera::value::Key;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

/// The table partial used when a site has none of its own.
const DEFAULT_TABLE_TEMPLATE: &str = include_str!("default_table.html");
const TABLE_TEMPLATE: &str = "partials/table.html";
/// folio's default table partial stays reachable under this name when a
/// site replaces `partials/table.html` (to fall back to it for some tables).
const BUILTIN_TABLE_TEMPLATE: &str = "folio/table.html";

/// A file to write, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Compiled templates plus the helpers they use.
pub struct Renderer {
    tera: Tera,
    /// The threads that render, with stacks deep enough for Tera's recursion
    /// (made once, so `serve` does not start threads on every edit).
    pool: rayon::ThreadPool,
    /// Warnings from loading `templates/` (links and special files skipped).
    pub warnings: Vec<Diagnostic>,
    /// Whether the site has its own `partials/table.html`; without one,
    /// tables are written by [`default_table`], byte for byte the default.
    own_table_partial: bool,
    /// Whether any template may read `page.tables` (see
    /// [`may_read_page_tables`]); when none can, the tables' template
    /// values, the costliest part of a table-heavy page, are not built.
    page_tables: bool,
}

/// Whether template source `text` may read `page.tables`: it names
/// `tables` anywhere, dumps the context (`__tera_context`), or uses `page`
/// other than by reading a field (`page.title`), such as `page | json`,
/// `{% set p = page %}`, `page[key]` or `for k, v in page`. Comments and
/// strings count too: the answer can only err towards building them.
fn may_read_page_tables(text: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let words = |word: &'static str| {
        text.match_indices(word).filter(move |(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
    };
    words("tables").next().is_some()
        || text.contains("__tera_context")
        || words("page").any(|(i, _)| {
            let after = &text[i + "page".len()..];
            !(after.starts_with('.') && after[1..].starts_with(is_ident))
        })
}

fn template_path(name: &str) -> PathBuf {
    Path::new("templates").join(name)
}

/// Turns a Tera error into `templates/NAME:line:col: message`.
fn template_error(err: &tera::Error, fallback: &str) -> Diagnostic {
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                fallback
            } else {
                report.filename()
            };
            let span = report.span();
            let mut message = report.message().to_string();
            if let Some(source) = std::error::Error::source(err) {
                message = format!("{message}: {source}");
            }
            Diagnostic::error(
                template_path(name),
                span.start_line.max(1),
                span.start_col + 1,
                message,
            )
        }
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::file_error(template_path(name), "template not found")
                .with_help(format!("create templates/{name}"))
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::file_error(
            template_path(current),
            format!("extends \"{parent}\", which is not in templates/"),
        ),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::file_error(
            template_path(tpl),
            format!(
                "templates extend each other in a loop: {}",
                inheritance_chain.join(" → ")
            ),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::file_error(
            template_path(tpl),
            format!(
                "templates include each other in a loop: {}",
                include_chain.join(" → ")
            ),
        ),
        _ => Diagnostic::file_error(template_path(fallback), err.to_string()),
    }
}

/// Turns a Tera error into diagnostics. Tera gathers some checks (unknown
/// filters, functions, tests and included templates) into one message of
/// reports, each `error: MESSAGE` then ` --> NAME:LINE:COL`; each becomes
/// its own `templates/NAME:line:col: message`.
fn template_errors(err: &tera::Error, fallback: &str) -> Vec<Diagnostic> {
    if !matches!(err.kind(), ErrorKind::Msg(_)) {
        return vec![template_error(err, fallback)];
    }
    let text = err.to_string();
    let reports: Vec<Diagnostic> = text
        .split("\n\n")
        .filter_map(|report| {
            let message = report.lines().next()?.strip_prefix("error: ")?;
            let place = report.lines().nth(1)?.trim_start().strip_prefix("--> ")?;
            let mut parts = place.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some(Diagnostic::error(
                template_path(parts.next()?),
                line,
                col,
                message,
            ))
        })
        .collect();
    if reports.is_empty() {
        vec![template_error(err, fallback)]
    } else {
        reports
    }
}

fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let parsed = date::parse(value)
        .ok_or_else(|| tera::Error::message(format!("`{value}` is not a date")))?;
    let mut out = String::new();
    use std::fmt::Write;
    write!(out, "{}", parsed.format(format))
        .map_err(|_| tera::Error::message(format!("`{format}` is not a valid date format")))?;
    Ok(out)
}

/// Serialises `value` as JSON for a `<script type="application/ld+json">`
/// (or any other script element): `<`, `>` and `&` become `\u003c`, `\u003e`
/// and `\u0026`, so no `</script>` or comment can end the element early. The
/// result is marked safe, as HTML escaping would break the JSON.
fn json_filter(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = serde_json::to_string(&value)
        .map_err(|e| tera::Error::message(format!("cannot write as JSON: {e}")))?;
    Ok(Value::safe_string(&escape_for_script(&text)))
}

fn escape_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Valid JSON, but line terminators in older JavaScript.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

impl Renderer {
    /// Compiles every file under `templates/`, named by its path there.
    pub fn load(root: &Path, base: &BaseUrl) -> Result<Renderer, Vec<Diagnostic>> {
        let dir = root.join("templates");
        let mut sources = vec![
            (
                TABLE_TEMPLATE.to_string(),
                DEFAULT_TABLE_TEMPLATE.to_string(),
            ),
            (
                BUILTIN_TABLE_TEMPLATE.to_string(),
                DEFAULT_TABLE_TEMPLATE.to_string(),
            ),
        ];
        let mut errors = Vec::new();
        let walked = walk::files(root, "templates").map_err(|d| vec![d])?;
        for path in &walked.files {
            let rel = path.strip_prefix(&dir).unwrap_or(path);
            let name = rel.to_string_lossy().replace('\\', "/");
            let text = walk::read(path, &template_path(&name)).and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    Diagnostic::file_error(template_path(&name), "file is not valid UTF-8")
                })
            });
            match text {
                Ok(text) => {
                    sources.retain(|(n, _)| *n != name);
                    sources.push((name, text));
                }
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let own_table_partial = sources
            .iter()
            .any(|(name, text)| name == TABLE_TEMPLATE && text != DEFAULT_TABLE_TEMPLATE);
        let page_tables = sources
            .iter()
            .any(|(_, text)| text != DEFAULT_TABLE_TEMPLATE && may_read_page_tables(text));

        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml", ".htm"]);
        let b = base.clone();
        tera.register_function(
            "url",
            move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
                Ok(b.url(kwargs.must_get::<&str>("path")?))
            },
        );
        let b = base.clone();
        tera.register_function(
            "absolute_url",
            move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
                Ok(b.absolute(kwargs.must_get::<&str>("path")?))
            },
        );
        tera.register_filter("date", date_filter);
        tera.register_filter("json", json_filter);
        tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
            slugify(value)
        });

        // Add one by one first, so a syntax error names its own file; then
        // all together so `extends` and `include` resolve.
        for (name, text) in &sources {
            let mut probe = Tera::new();
            probe.register_from(&tera);
            if let Err(e) = probe.add_raw_template(name, text)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                errors.push(template_error(&e, name));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| template_errors(&e, ""))?;
        if let Some((name, chain)) = nesting::too_deep(&sources) {
            return Err(vec![
                Diagnostic::file_error(
                    template_path(&name),
                    format!(
                        "templates include each other more than {} deep: {} → …",
                        nesting::MAX_INCLUDE_DEPTH,
                        chain.join(" → ")
                    ),
                )
                .with_help("include fewer levels of templates"),
            ]);
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .stack_size(RENDER_STACK_BYTES)
            .build()
            .map_err(|e| {
                vec![Diagnostic::file_error(
                    template_path(""),
                    format!("cannot start rendering threads: {e}"),
                )]
            })?;
        Ok(Renderer {
            tera,
            pool,
            warnings: walked.warnings,
            own_table_partial,
            page_tables,
        })
    }

    fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    fn render(
        &self,
        name: &str,
        context: &Context,
        page: Option<&Path>,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| render_error(&e, name, page))
    }

    /// [`Renderer::render`] into bytes, with room for `size_hint` of them
    /// from the start (a page is its body plus the template's markup).
    fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        page: Option<&Path>,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(size_hint);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| render_error(&e, name, page))?;
        Ok(out)
    }
}

fn render_error(e: &tera::Error, name: &str, page: Option<&Path>) -> Diagnostic {
    let d = template_error(e, name);
    match page {
        Some(p) => d.with_help(format!("while rendering {}", p.display())),
        None => d,
    }
}

/// A link to a taxonomy term.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermLink {
    /// The term as written.
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Its page's URL (base-aware).
    pub url: String,
}

/// What list pages know about a page: light, built once per page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Title.
    pub title: String,
    /// Base-aware URL (`/repo/posts/x/`).
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// RFC 3339 date, if any.
    pub date: Option<String>,
    /// RFC 3339 date of the last change (`last_modified_at`), if given.
    pub updated: Option<String>,
    /// Description (front matter), else the first paragraph's text.
    pub description: String,
    /// HTML of the first paragraph.
    pub excerpt: String,
    /// Minutes to read, at 200 words a minute.
    pub reading_time: usize,
    /// Tags as links.
    pub tags: Vec<TermLink>,
    /// Categories as links.
    pub categories: Vec<TermLink>,
}

/// A data file published next to a page.
#[derive(Debug, Clone, Serialize)]
pub struct DataLink {
    /// The table's name.
    pub name: String,
    /// URL of its JSON.
    pub json_url: String,
    /// URL of its CSV.
    pub csv_url: String,
}

/// What a page template sees as `page`.
#[derive(Debug, Clone, Serialize)]
pub struct PageView<'a> {
    /// Everything list pages see, too.
    #[serde(flatten)]
    pub summary: &'a Summary,
    /// `post`, `page` or `home`.
    pub kind: &'static str,
    /// Slug.
    pub slug: &'a str,
    /// Author (page's, else the site's).
    pub author: &'a str,
    /// The rendered body, with each table rendered from data by `partials/table.html`.
    pub content: String,
    /// The tables' JSON and CSV files.
    pub data: Vec<DataLink>,
    /// Headings with ids (a table of contents).
    pub toc: &'a [Heading],
    /// Words in the body.
    pub word_count: usize,
    /// Every other front matter key.
    pub extra: &'a Map<String, Json>,
    /// Source file, relative to the site root.
    pub source: String,
}

impl PageView<'_> {
    /// The view as templates see it, with `tables` (the tables as data,
    /// built by [`table_value`] and shared with the table partial) at the
    /// end: what `Value::from_serializable` makes of it, but starting from
    /// the summary's value, which is already built for the list pages,
    /// instead of serialising the summary again.
    fn into_value(self, summary: &Value, tables: Vec<Value>) -> Value {
        let mut map = summary.as_map().cloned().unwrap_or_default();
        let entries = [
            ("kind", Value::from(self.kind)),
            ("slug", Value::from(self.slug)),
            ("author", Value::from(self.author)),
            ("content", Value::from(self.content)),
            ("data", Value::from_serializable(&self.data)),
            ("toc", Value::from_serializable(self.toc)),
            ("word_count", Value::from(self.word_count)),
            ("extra", Value::from_serializable(self.extra)),
            ("source", Value::from(self.source)),
            ("tables", Value::from(tables)),
        ];
        map.extend(entries.into_iter().map(|(k, v)| (Key::from(k), v)));
        Value::from(map)
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    author: &'a str,
    language: &'a str,
    base_url: &'a str,
    url: String,
    feed_url: String,
    extra: &'a Map<String, Json>,
    taxonomies: Vec<TermLink>,
}

#[derive(Serialize)]
struct TaxonomyView {
    name: &'static str,
    url: String,
}

#[derive(Serialize)]
struct TermView {
    name: String,
    slug: String,
    url: String,
    count: usize,
    pages: Vec<Value>,
}

/// A table as templates see it: the same shape as `Table`'s `Serialize`
/// (`name`, `columns`, `records`, `rows` with `cells`, `json_file`,
/// `csv_file`), built directly: each cell's value is its record's, shared,
/// and each map is built once. Built only for a site's own table partial or
/// a template that may read `page.tables`: on a table-heavy site it was the
/// largest part of rendering a page.
fn table_value(table: &Table) -> Value {
    // Every record has the same keys (the column keys, strings allocated
    // once): each is cloned from a prototype and filled in by position.
    fn map<const N: usize>(entries: [(&'static str, Value); N]) -> tera::Map {
        entries
            .into_iter()
            .map(|(k, v)| (Key::from(k), v))
            .collect()
    }
    fn fill(prototype: &tera::Map, values: impl IntoIterator<Item = Value>) -> Value {
        let mut map = prototype.clone();
        for (slot, value) in map.values_mut().zip(values) {
            *slot = value;
        }
        Value::from(map)
    }
    let record: tera::Map = table
        .columns
        .iter()
        .map(|c| (Key::from(c.key.clone()), Value::none()))
        .collect();
    let typed: Vec<Vec<Value>> = table
        .records
        .iter()
        .map(|values| values.iter().map(json_value).collect())
        .collect();
    let records: Vec<Value> = typed
        .iter()
        .map(|values| fill(&record, values.iter().cloned()))
        .collect();
    // Rows go through serde, which builds each map once, with room for its
    // fields, and passes the shared values through as they are.
    #[derive(Serialize)]
    struct CellView<'a> {
        key: &'a str,
        header: &'a str,
        kind: ColumnKind,
        value: &'a Value,
        html: &'a str,
    }
    #[derive(Serialize)]
    struct RowView<'a> {
        id: &'a str,
        cells: Vec<CellView<'a>>,
    }
    let rows: Vec<Value> = typed
        .iter()
        .zip(&table.cells_html)
        .zip(&table.row_ids)
        .map(|((values, html), id)| {
            let cells = table
                .columns
                .iter()
                .zip(values)
                .zip(html)
                .map(|((column, value), html)| CellView {
                    key: &column.key,
                    header: &column.header,
                    kind: column.kind,
                    value,
                    html,
                })
                .collect();
            Value::from_serializable(&RowView { id, cells })
        })
        .collect();
    Value::from(map([
        ("name", Value::from(table.name.as_str())),
        ("columns", Value::from_serializable(&table.columns)),
        ("records", Value::from(records)),
        ("rows", Value::from(rows)),
        ("json_file", Value::from(table.json_file.as_str())),
        ("csv_file", Value::from(table.csv_file.as_str())),
    ]))
}

/// A table cell's typed value for templates: what
/// `Value::from_serializable` makes of it, without going through serde.
fn json_value(value: &Json) -> Value {
    match value {
        Json::Null => Value::none(),
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Value::from(u),
            (None, Some(i)) => Value::from(i),
            _ => Value::from_serializable(n),
        },
        Json::String(s) => Value::from(s.as_str()),
        Json::Array(items) => Value::from(items.iter().map(json_value).collect::<Vec<_>>()),
        Json::Object(_) => Value::from_serializable(value),
    }
}

/// The folder part of a page's site path, where its data files go.
pub fn data_dir(page: &Page) -> &str {
    match page.path.rfind('/') {
        Some(i) => &page.path[..=i],
        None => "",
    }
}

fn term_links(base: &BaseUrl, taxonomy: &str, written: &[String]) -> Vec<TermLink> {
    written
        .iter()
        .map(|name| {
            let slug = slugify(name);
            TermLink {
                url: base.url(&format!("{taxonomy}/{slug}/")),
                name: name.clone(),
                slug,
            }
        })
        .filter(|t| !t.slug.is_empty())
        .collect()
}

/// The summary of a page, as list pages, feeds and the page itself see it.
pub fn summarize(config: &Config, page: &Page) -> Summary {
    let base = &config.base;
    Summary {
        title: page.title.clone(),
        url: base.url(&page.path),
        permalink: base.absolute(&page.path),
        date: page.date.map(|d| d.to_rfc3339()),
        updated: page.updated.map(|d| d.to_rfc3339()),
        description: page
            .description
            .clone()
            .unwrap_or_else(|| page.summary.clone()),
        excerpt: page.excerpt.clone(),
        reading_time: page.word_count.div_ceil(200).max(1),
        tags: term_links(base, "tags", &page.tags),
        categories: term_links(base, "categories", &page.categories),
    }
}

/// The templates `{% include NAME %}` in a body may use: every file under
/// `templates/includes/` and `templates/partials/`, by its name with and
/// without its extension (`gallery`, `gallery.html`). `includes/` wins.
pub fn include_templates(root: &Path) -> crate::liquid::Includes {
    let mut names = crate::liquid::Includes::new();
    for folder in ["partials", "includes"] {
        let dir = root.join("templates").join(folder);
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
        {
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = rel.to_string_lossy().replace('\\', "/");
            let template = format!("{folder}/{name}");
            if let Some(stem) = name.rsplit_once('.').map(|(s, _)| s.to_string()) {
                names.insert(stem, template.clone());
            }
            names.insert(name, template);
        }
    }
    names
}

/// Pages whose `layout` has no template: each is rendered with the default
/// template instead (Jekyll sites name their theme's layouts, such as
/// `single`), and gets a warning at its `layout` line.
pub fn layout_warnings(renderer: &Renderer, site: &Site) -> Vec<Diagnostic> {
    site.home
        .iter()
        .chain(&site.pages)
        .filter_map(|page| layout_warning(renderer, page))
        .collect()
}

/// [`layout_warnings`] for one page.
pub fn layout_warning(renderer: &Renderer, page: &Page) -> Option<Diagnostic> {
    let (layout, line) = page.layout.as_ref()?;
    let name = format!("{layout}.html");
    (!renderer.has(&name)).then(|| {
        Diagnostic::warning(
            &page.source,
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
    match page.kind {
        PageKind::Home => "index.html",
        PageKind::Page if renderer.has("page.html") => "page.html",
        PageKind::Page | PageKind::Post => "post.html",
    }
}

/// Which template renders a page: its `layout` when that template exists,
/// else the default for its kind (see [`layout_warnings`]).
fn template_for(renderer: &Renderer, page: &Page) -> Result<String, Diagnostic> {
    if let Some((layout, _)) = &page.layout {
        let name = format!("{layout}.html");
        if renderer.has(&name) {
            return Ok(name);
        }
    }
    let name = match page.kind {
        PageKind::Home => "index.html",
        PageKind::Page if renderer.has("page.html") => "page.html",
        PageKind::Page | PageKind::Post => "post.html",
    };
    if renderer.has(name) {
        Ok(name.to_string())
    } else {
        Err(
            Diagnostic::file_error(template_path(name), "template not found")
                .with_help(format!("{} needs templates/{name}", page.source.display())),
        )
    }
}

struct Shared<'a> {
    renderer: &'a Renderer,
    site: &'a Site,
    site_value: Value,
}

impl Shared<'_> {
    fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx
    }

    fn render_page(
        &self,
        page: &Page,
        summary: &Summary,
        summary_value: &Value,
        posts: Option<&Value>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let config = &self.site.config;
        let template = template_for(self.renderer, page)?;
        let dir = data_dir(page);
        let renderer = self.renderer;
        let tables: Vec<Value> = if renderer.page_tables || renderer.own_table_partial {
            page.tables.iter().map(table_value).collect()
        } else {
            Vec::new()
        };
        let mut content = String::new();
        for block in &page.blocks {
            match block {
                Block::Html(html) => content.push_str(html),
                Block::Table(i) if !renderer.own_table_partial => {
                    content.push_str(&default_table::render(&page.tables[*i]));
                }
                Block::Table(i) => {
                    let mut ctx = self.context();
                    ctx.insert_value("table", tables[*i].clone());
                    content.push_str(&self.renderer.render(
                        TABLE_TEMPLATE,
                        &ctx,
                        Some(&page.source),
                    )?);
                }
                Block::Include(i) => {
                    let Some(include) = page.includes.get(*i) else {
                        continue;
                    };
                    // Jekyll includes read `include.KEY` and the page's own
                    // front matter, such as `page.gallery`.
                    let mut ctx = self.context();
                    ctx.insert("include", &include.params);
                    let mut page_value = page.extra.clone();
                    page_value.insert("title".into(), Json::String(page.title.clone()));
                    page_value.insert("url".into(), Json::String(summary.url.clone()));
                    page_value.insert("extra".into(), Json::Object(page.extra.clone()));
                    ctx.insert("page", &page_value);
                    let html = self
                        .renderer
                        .render(&include.template, &ctx, Some(&page.source))
                        .map_err(|d| {
                            d.with_help(format!(
                                "while rendering `{{% include {} %}}` at {}:{}",
                                include.name,
                                page.source.display(),
                                include.line
                            ))
                        })?;
                    content.push_str(&html);
                }
            }
        }
        let content_len = content.len();
        let view = PageView {
            summary,
            kind: match page.kind {
                PageKind::Home => "home",
                PageKind::Post => "post",
                PageKind::Page => "page",
            },
            slug: &page.slug,
            author: page.author.as_deref().unwrap_or(&config.author),
            content,
            data: page
                .tables
                .iter()
                .map(|t| DataLink {
                    name: t.name.clone(),
                    json_url: config.base.url(&format!("{dir}{}", t.json_file)),
                    csv_url: config.base.url(&format!("{dir}{}", t.csv_file)),
                })
                .collect(),
            toc: &page.headings,
            word_count: page.word_count,
            extra: &page.extra,
            source: page.source.to_string_lossy().replace('\\', "/"),
        };
        let mut ctx = self.context();
        ctx.insert_value("page", view.into_value(summary_value, tables));
        if let Some(posts) = posts {
            ctx.insert_value("posts", posts.clone());
        }
        let bytes =
            self.renderer
                .render_bytes(&template, &ctx, Some(&page.source), content_len + 4096)?;
        let mut files = vec![OutputFile {
            path: page.output_file(),
            bytes,
        }];
        for table in &page.tables {
            files.push(OutputFile {
                path: format!("{dir}{}", table.json_file),
                bytes: crate::tables::to_json(table).into_bytes(),
            });
            files.push(OutputFile {
                path: format!("{dir}{}", table.csv_file),
                bytes: crate::tables::to_csv(table).into_bytes(),
            });
        }
        Ok(files)
    }

    fn render_taxonomy(
        &self,
        taxonomy: &Taxonomy,
        summaries: &[Value],
        only: Option<&HashSet<(String, String)>>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let base = &self.site.config.base;
        let name = taxonomy.name;
        let template = "taxonomy.html";
        if !self.renderer.has(template) {
            if taxonomy.terms.is_empty() {
                return Ok(Vec::new());
            }
            return Err(
                Diagnostic::file_error(template_path(template), "template not found").with_help(
                    format!(
                        "pages have {name}, and their pages are rendered with templates/{template}"
                    ),
                ),
            );
        }
        let term_view = |t: &crate::site::Term, with_pages: bool| TermView {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: base.url(&format!("{name}/{}/", t.slug)),
            count: t.pages.len(),
            pages: if with_pages {
                t.pages.iter().map(|&i| summaries[i].clone()).collect()
            } else {
                Vec::new()
            },
        };
        let terms: Vec<TermView> = taxonomy.terms.iter().map(|t| term_view(t, false)).collect();
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
            ctx
        };
        let mut files = vec![OutputFile {
            path: format!("{name}/index.html"),
            bytes: self
                .renderer
                .render(template, &context(Value::none()), None)?
                .into_bytes(),
        }];
        let rendered: Result<Vec<OutputFile>, Diagnostic> = taxonomy
            .terms
            .par_iter()
            .filter(|t| only.is_none_or(|set| set.contains(&(name.to_string(), t.slug.clone()))))
            .map(|t| {
                let view = Value::from_serializable(&term_view(t, true));
                Ok(OutputFile {
                    path: format!("{name}/{}/index.html", t.slug),
                    bytes: self
                        .renderer
                        .render(template, &context(view), None)?
                        .into_bytes(),
                })
            })
            .collect();
        files.extend(rendered?);
        Ok(files)
    }
}

/// What list pages need of every page, computed once and kept between
/// incremental rebuilds (`serve` refreshes only the pages that changed).
pub struct Prepared {
    summaries: Vec<Summary>,
    values: Vec<Value>,
}

impl Prepared {
    /// Summaries of every page of `site`, in parallel.
    pub fn new(site: &Site) -> Prepared {
        let summaries: Vec<Summary> = site
            .pages
            .par_iter()
            .map(|p| summarize(&site.config, p))
            .collect();
        let values = summaries.par_iter().map(Value::from_serializable).collect();
        Prepared { summaries, values }
    }

    /// The summary of page `i`.
    pub fn summary(&self, i: usize) -> &Summary {
        &self.summaries[i]
    }

    /// The summary of page `i`, to put back with [`Prepared::set`].
    pub fn get(&self, i: usize) -> (Summary, Value) {
        (self.summaries[i].clone(), self.values[i].clone())
    }

    /// Puts back a summary taken with [`Prepared::get`].
    pub fn set(&mut self, i: usize, (summary, value): (Summary, Value)) {
        self.summaries[i] = summary;
        self.values[i] = value;
    }

    /// Recomputes the summary of page `i` after it changed.
    pub fn refresh(&mut self, site: &Site, i: usize) {
        self.summaries[i] = summarize(&site.config, &site.pages[i]);
        self.values[i] = Value::from_serializable(&self.summaries[i]);
    }
}

/// Which pages to render. Lists (home, term indexes, feed, sitemap) are
/// always rendered, since any page change can show in them.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Pages by index into `site.pages`; `None` means every page.
    pub pages: Option<Vec<usize>>,
    /// Term pages as `(taxonomy, slug)`; `None` means every term.
    pub terms: Option<HashSet<(String, String)>>,
    /// Only the pages: no home page, term pages, feeds or 404 (for an edit
    /// that changed nothing the lists show).
    pub pages_only: bool,
}

impl Scope {
    /// Everything.
    pub fn all() -> Scope {
        Scope::default()
    }
}

/// Stack for the threads that render: Tera renders includes and components
/// by recursion, and the deepest nesting it and folio allow must fit.
const RENDER_STACK_BYTES: usize = 64 << 20;

/// Renders every page, list and data file of `site` into memory. Errors
/// from all pages are gathered, so one run reports every broken page.
pub fn render_site(renderer: &Renderer, site: &Site) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_scope(renderer, site, &Prepared::new(site), &Scope::all())
}

/// Renders the pages in `scope` and every list page.
pub fn render_scope(
    renderer: &Renderer,
    site: &Site,
    prepared: &Prepared,
    scope: &Scope,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    render_scope_to(renderer, site, prepared, scope, None)
}

/// Receives each rendered file as soon as it exists (`build` writes it to
/// the staging folder, so the whole site is never held in memory).
pub type Sink<'a> = &'a (dyn Fn(&OutputFile) -> Result<(), Diagnostic> + Sync);

/// [`render_scope`], handing every file to `sink` as it is rendered. With a
/// sink, the returned files carry their paths only (no bytes).
pub fn render_scope_to(
    renderer: &Renderer,
    site: &Site,
    prepared: &Prepared,
    scope: &Scope,
    sink: Option<Sink>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    renderer.pool.install(|| {
        let emit = |files: Vec<OutputFile>| -> Result<Vec<OutputFile>, Diagnostic> {
            let Some(write) = sink else { return Ok(files) };
            files
                .into_iter()
                .map(|f| {
                    write(&f)?;
                    Ok(OutputFile {
                        path: f.path,
                        bytes: Vec::new(),
                    })
                })
                .collect()
        };
        let config = &site.config;
        let base = &config.base;
        let posts = if scope.pages_only {
            Value::from(Vec::<Value>::new())
        } else {
            Value::from(
                site.posts()
                    .map(|(i, _)| prepared.values[i].clone())
                    .collect::<Vec<_>>(),
            )
        };
        let site_view = SiteView {
            title: &config.title,
            description: &config.description,
            author: &config.author,
            language: &config.language,
            base_url: &config.base_url,
            url: base.url(""),
            feed_url: base.url("atom.xml"),
            extra: &config.extra,
            taxonomies: site
                .taxonomies
                .iter()
                .filter(|t| !t.terms.is_empty())
                .map(|t| TermLink {
                    name: t.name.to_string(),
                    slug: t.name.to_string(),
                    url: base.url(&format!("{}/", t.name)),
                })
                .collect(),
        };
        let shared = Shared {
            renderer,
            site,
            site_value: Value::from_serializable(&site_view),
        };

        let render_one = |i: usize| {
            shared
                .render_page(
                    &site.pages[i],
                    &prepared.summaries[i],
                    &prepared.values[i],
                    None,
                )
                .and_then(emit)
        };
        // The home page: `_index.md` if there is one, else an empty page.
        let home = site.home.clone().unwrap_or_else(|| empty_home(config));
        let home_summary = summarize(config, &home);
        let home_value = Value::from_serializable(&home_summary);
        // Lists are independent of each other and of the pages: all run at once.
        enum List<'a> {
            Home,
            Terms(&'a Taxonomy),
            NotFound,
            Feeds,
        }
        let mut lists = vec![List::Home, List::Feeds];
        lists.extend(site.taxonomies.iter().map(List::Terms));
        if renderer.has("404.html") {
            lists.push(List::NotFound);
        }
        if scope.pages_only {
            lists.clear();
        }
        let render_list = |list: &List| -> Result<Vec<OutputFile>, Diagnostic> {
            let files = match list {
                List::Home => {
                    shared.render_page(&home, &home_summary, &home_value, Some(&posts))?
                }
                List::Terms(taxonomy) => {
                    shared.render_taxonomy(taxonomy, &prepared.values, scope.terms.as_ref())?
                }
                List::NotFound => vec![OutputFile {
                    path: "404.html".into(),
                    bytes: renderer
                        .render("404.html", &shared.context(), None)?
                        .into_bytes(),
                }],
                List::Feeds => crate::feeds::render(site, &prepared.summaries),
            };
            emit(files)
        };
        let (mut results, listed): (Vec<Result<Vec<OutputFile>, Diagnostic>>, Vec<_>) = rayon::join(
            || match &scope.pages {
                None => (0..site.pages.len())
                    .into_par_iter()
                    .map(render_one)
                    .collect(),
                Some(list) => list.par_iter().map(|&i| render_one(i)).collect(),
            },
            || lists.par_iter().map(render_list).collect(),
        );
        results.extend(listed);

        let mut files = Vec::new();
        let mut errors = Vec::new();
        for result in results {
            match result {
                Ok(f) => files.extend(f),
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(Diagnostic::sort_key);
            // One template error repeats on every page it renders: say it once.
            errors.dedup_by(|a, b| a.sort_key() == b.sort_key());
            return Err(errors);
        }
        Ok(files)
    })
}

fn empty_home(config: &Config) -> Page {
    Page {
        source: PathBuf::from("content/_index.md"),
        kind: PageKind::Home,
        title: config.title.clone(),
        slug: String::new(),
        date: None,
        updated: None,
        author: None,
        description: None,
        layout: None,
        categories: Vec::new(),
        tags: Vec::new(),
        draft: false,
        extra: Map::new(),
        path: String::new(),
        blocks: Vec::new(),
        tables: Vec::new(),
        includes: Vec::new(),
        headings: Vec::new(),
        links: Vec::new(),
        excerpt: String::new(),
        summary: String::new(),
        word_count: 0,
        settings: Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The built-in table writer and the default template it stands in
    /// for give the same bytes: on every table of the seed, of the Jekyll
    /// corpus and of the fixtures, and on cells made to trip escaping,
    /// options and empty values.
    #[test]
    fn default_table_writes_what_the_default_template_renders() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources: Vec<String> = ["tests/fixtures", "content"]
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(repo.join(dir)))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        sources.push(
            "| Port | Name \"q\" | Notes & <b> | Auth |\n|---|---|---|---|\n\
             | 25 | <i>x</i> 'y' | a & b | A or B or  |\n\
             | 26 | [link](https://e.test/?a=1&b=2) | `<code>` |  |\n\
             | 27 | caf\u{e9} \u{2014} \u{1F600} | | None or STARTTLS/TLS |\n\
             | 27 | dup |  | x or x |\n"
                .into(),
        );
        sources.push("| A |\n|---|\n".into());
        let dir = tempfile::tempdir().unwrap();
        let renderer = Renderer::load(dir.path(), &BaseUrl::parse("/").unwrap()).unwrap();
        assert!(!renderer.own_table_partial);
        let mut compared = 0;
        for src in &sources {
            let raw =
                crate::markdown::render(src, 0, &crate::error::LineIndex::new(src), &|_| None);
            let mut names = std::collections::HashMap::new();
            for raw_table in &raw.tables {
                let (table, _) = crate::tables::build(Path::new("t.md"), raw_table, &mut names);
                let mut ctx = Context::new();
                ctx.insert_value("table", table_value(&table));
                let tera = renderer.render(TABLE_TEMPLATE, &ctx, None).unwrap();
                assert_eq!(default_table::render(&table), tera, "{src}");
                compared += 1;
            }
        }
        assert!(compared >= 12, "only {compared} tables");
    }

    #[test]
    fn templates_that_may_read_page_tables_are_told_apart() {
        for reads in [
            "{% for t in page.tables %}{% endfor %}",
            "{{ page | json }}",
            "{% set p = page %}{{ p.title }}",
            "{{ page[\"tab\" ~ \"les\"] }}",
            "{% for k, v in page %}{{ k }}{% endfor %}",
            "{{ page }}",
            "{{ m::card(page=page.title) }}",
            "{{ __tera_context }}",
            "{{ x.tables }}",
            "{# tables #}",
            "{{ page . title }}",
            "{{ page.",
            "page",
        ] {
            assert!(may_read_page_tables(reads), "{reads}");
        }
        for never in [
            "",
            "{{ page.title }} {{ page.content | safe }} {{ page.extra.x }}",
            "{% for p in pages %}{{ p.title }}{% endfor %}",
            "{{ homepage.x }} {{ page_count }} {{ tabless }} {{ mytables }}",
            DEFAULT_TABLE_TEMPLATE,
        ] {
            assert!(!may_read_page_tables(never), "{never}");
        }
    }

    #[test]
    fn table_value_is_the_table_as_serialised() {
        let src = "| Port | Security | Note |\n|---|---|---|\n| 25 | None | [relay](x.md) |\n| 587 | None or TLS |  |\n";
        let raw = crate::markdown::render(src, 0, &crate::error::LineIndex::new(src), &|_| None);
        let (table, _) =
            crate::tables::build(Path::new("t.md"), &raw.tables[0], &mut Default::default());
        assert_eq!(table_value(&table), Value::from_serializable(&table));
    }

    #[test]
    fn page_value_is_the_view_as_serialised() {
        let summary = Summary {
            title: "T".into(),
            url: "/p/".into(),
            permalink: "https://x.test/p/".into(),
            date: Some("2024-01-02T00:00:00+00:00".into()),
            updated: None,
            description: "d".into(),
            excerpt: "<p>e</p>".into(),
            reading_time: 1,
            tags: vec![TermLink {
                name: "A b".into(),
                slug: "a-b".into(),
                url: "/tags/a-b/".into(),
            }],
            categories: Vec::new(),
        };
        let toc = [Heading {
            level: 2,
            id: "h".into(),
            text: "H".into(),
            line: 3,
        }];
        let mut extra = Map::new();
        extra.insert("n".into(), serde_json::json!([1, {"k": null}]));
        let view = PageView {
            summary: &summary,
            kind: "post",
            slug: "p",
            author: "me",
            content: "<p>body</p>".into(),
            data: vec![DataLink {
                name: "ports".into(),
                json_url: "/p/ports.json".into(),
                csv_url: "/p/ports.csv".into(),
            }],
            toc: &toc,
            word_count: 2,
            extra: &extra,
            source: "content/p.md".into(),
        };
        let mut expected = Value::from_serializable(&view).into_map().unwrap();
        expected.insert("tables".into(), Value::from(vec![Value::from(1)]));
        let expected = Value::from(expected);
        let built = view.into_value(&Value::from_serializable(&summary), vec![Value::from(1)]);
        assert_eq!(built, expected);
        let keys = |v: &Value| -> Vec<String> {
            v.as_map()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(keys(&built), keys(&expected));
    }

    #[test]
    fn json_filter_escapes_what_could_end_a_script() {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.register_filter("json", json_filter);
        tera.add_raw_template("t.html", "{{ v | json }}").unwrap();
        let mut ctx = Context::new();
        let v = serde_json::json!({"name": "</script><!-- & \u{2028}", "n": [1, null]});
        ctx.insert("v", &v);
        let out = tera.render("t.html", &ctx).unwrap();
        assert_eq!(
            out,
            r#"{"name":"\u003c/script\u003e\u003c!-- \u0026 \u2028","n":[1,null]}"#
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }
}
