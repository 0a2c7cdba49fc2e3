//! What templates see: the view structs (`page`, `site`, `taxonomy`,
//! `term`, `table`) and the summaries list pages share, as Tera values.

use crate::body::markdown::Heading;
use crate::body::tables::{CellValue, ColumnKind, Table};
use crate::site::Site;
use crate::site::page::Page;
use crate::site::summary::{Summary, TermLink, summarize};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use std::sync::Arc;
use tera::Value;
use tera::value::Key;

/// A data file published next to a page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DataLink {
    /// The table's name.
    pub(crate) name: String,
    /// URL of its JSON.
    pub(crate) json_url: String,
    /// URL of its CSV.
    pub(crate) csv_url: String,
}

/// What a page template sees as `page`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PageView<'a> {
    /// Everything list pages see, too.
    #[serde(flatten)]
    pub(crate) summary: &'a Summary,
    /// `post`, `page` or `home`.
    pub(crate) kind: &'static str,
    /// Slug.
    pub(crate) slug: &'a str,
    /// Author (page's, else the site's).
    pub(crate) author: &'a str,
    /// The rendered body, with each table rendered from data by `partials/table.html`.
    pub(crate) content: String,
    /// The tables' JSON and CSV files.
    pub(crate) data: Vec<DataLink>,
    /// Headings with ids (a table of contents).
    pub(crate) toc: &'a [Heading],
    /// Words in the body.
    pub(crate) word_count: usize,
    /// Every other front matter key.
    pub(crate) extra: &'a Map<String, Json>,
    /// Source file, relative to the site root.
    pub(crate) source: String,
}

impl PageView<'_> {
    /// The view as templates see it, with `tables` (the tables as data,
    /// built by [`table_value`] and shared with the table partial) at the
    /// end: what `Value::from_serializable` makes of it, but starting from
    /// the summary's value, which is already built for the list pages,
    /// instead of serialising the summary again.
    pub(super) fn into_value(self, summary: &Value, tables: Vec<Value>) -> Value {
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
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) author: &'a str,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    pub(super) url: String,
    pub(super) feed_url: String,
    pub(super) extra: &'a Map<String, Json>,
    pub(super) taxonomies: Vec<TermLink>,
    pub(super) data: &'a Map<String, Json>,
}

#[derive(Serialize)]
pub(super) struct TaxonomyView {
    pub(super) name: &'static str,
    pub(super) url: String,
}

#[derive(Serialize)]
pub(super) struct TermView {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) url: String,
    pub(super) feed_url: String,
    pub(super) count: usize,
    pub(super) pages: Value,
}

/// What `get_page` returns for each page, by its source path under
/// `content/` (`posts/x.md`): its summary, `extra`, `source` and `tables`
/// (as data). A section's `_index.md` (`guides/_index.md`) and the home
/// page's (`_index.md`) are there too, with the same fields: the summary
/// of their front matter and body (`title`, `url`, `permalink`,
/// `description`, …), `extra`, `source` and `tables`; their list of
/// pages is not (a template reaches it as `section.pages`).
pub(super) fn pages_by_source(site: &Site, prepared: &Prepared) -> Value {
    let pages = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| lookup_entry(page, prepared.value(i).clone()))
        .collect::<Vec<_>>();
    let mut index_pages: Vec<&Page> = site.home.iter().map(|home| &**home).collect();
    index_pages.extend(site.sections.iter().map(|s| &*s.page));
    let indexes = index_pages.into_iter().map(|page| {
        let summary = Value::from_serializable(&summarize(&site.config, page));
        lookup_entry(page, summary)
    });
    let map: tera::Map = pages.into_iter().chain(indexes).collect();
    Value::from(map)
}

/// One page's `get_page` value from its summary's value, by its source
/// path under `content/`.
fn lookup_entry(page: &Page, summary: Value) -> (Key<'static>, Value) {
    let source = page.head.source.to_string_lossy().replace('\\', "/");
    let mut value = summary.as_map().cloned().unwrap_or_default();
    let tables: Vec<Value> = page.body.tables.iter().map(table_value).collect();
    value.insert(
        Key::from("extra"),
        Value::from_serializable(&page.head.extra),
    );
    value.insert(Key::from("tables"), Value::from(tables));
    let key = source
        .strip_prefix("content/")
        .unwrap_or(&source)
        .to_string();
    value.insert(Key::from("source"), Value::from(source));
    (Key::from(key), Value::from(value))
}

/// A table as templates see it: the same shape as `Table`'s `Serialize`
/// (`name`, `columns`, `records`, `rows` with `cells`, `json_file`,
/// `csv_file`), built directly: each cell's value is its record's, shared,
/// and each map is built once. Built only for a site's own table partial or
/// a template that may read `page.tables`: on a table-heavy site it was the
/// largest part of rendering a page.
pub(super) fn table_value(table: &Table) -> Value {
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
        .map(|values| values.iter().map(cell_value).collect())
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
fn cell_value(value: &CellValue) -> Value {
    match value {
        CellValue::Null => Value::none(),
        CellValue::Integer(n) => match u64::try_from(*n) {
            Ok(u) => Value::from(u),
            Err(_) => Value::from(*n),
        },
        CellValue::Text(text) => Value::from(&**text),
        CellValue::Options(options) => Value::from(
            options
                .iter()
                .map(|o| Value::from(&**o))
                .collect::<Vec<_>>(),
        ),
    }
}

/// What list pages need of every page, computed once and kept between
/// incremental rebuilds: each page's summary and its template value.
/// `serve` makes a new one for an edit, sharing every other page's.
#[derive(Clone)]
pub(crate) struct Prepared {
    entries: Vec<Arc<Entry>>,
}

/// One page's summary and its template value.
struct Entry {
    summary: Summary,
    value: Value,
}

impl Entry {
    fn of(site: &Site, i: usize) -> Arc<Entry> {
        let summary = summarize(&site.config, &site.pages[i]);
        let value = Value::from_serializable(&summary);
        Arc::new(Entry { summary, value })
    }
}

impl Prepared {
    /// Summaries of every page of `site`, in parallel.
    pub(crate) fn new(site: &Site) -> Prepared {
        let entries = (0..site.pages.len())
            .into_par_iter()
            .with_max_len(crate::PAGES_PER_TASK)
            .map(|i| Entry::of(site, i))
            .collect();
        Prepared { entries }
    }

    /// The summaries of `site`'s pages after pages `changed` were
    /// replaced: theirs made again, every other one shared.
    pub(crate) fn with_pages(&self, site: &Site, changed: &[usize]) -> Prepared {
        let mut next = self.clone();
        for &i in changed {
            next.entries[i] = Entry::of(site, i);
        }
        next
    }

    /// The summary of page `i`.
    pub(crate) fn summary(&self, i: usize) -> &Summary {
        &self.entries[i].summary
    }

    /// The template value of page `i`'s summary.
    pub(super) fn value(&self, i: usize) -> &Value {
        &self.entries[i].value
    }
}
