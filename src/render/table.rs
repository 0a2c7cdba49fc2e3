//! folio's default table markup, written straight from a [`Table`].
//!
//! A site without its own `templates/partials/table.html` gets the markup of
//! `src/render/table.html`. Rendering that template through Tera means
//! building a template value for every row and cell first, which was a
//! quarter of a table-heavy build; this writes the same bytes directly (the
//! tests hold the two to byte equality). A site that replaces the partial
//! goes through Tera; when its partial includes `folio/table.html` (the
//! ports site does, for every table that is not a port table), that
//! template hands the table's value to [`render_value`], which writes the
//! same bytes from the value.

use crate::body::tables::{CellValue, ColumnKind, Table};
use crate::urls::slugify;
use tera::Value;

/// What `{{ text }}` writes in an HTML template: Tera's own escaping
/// (text with nothing to escape, most cells, is copied as it is).
fn escaped(out: &mut Vec<u8>, text: &str) {
    if !text
        .bytes()
        .any(|b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        out.extend_from_slice(text.as_bytes());
        return;
    }
    tera::escape_html(text, out).expect("writing to memory never fails");
}

fn kind_name(kind: ColumnKind) -> &'static str {
    match kind {
        ColumnKind::Integer => "integer",
        ColumnKind::Options => "options",
        ColumnKind::Text => "text",
    }
}

/// The markup of `src/render/table.html`, written piece by piece: every
/// `{{ text }}` escaped as Tera escapes it, `{{ cell.html | safe }}` as it
/// is.
struct Markup(Vec<u8>);

impl Markup {
    fn start(cells: usize, name: &str) -> Markup {
        let mut out = Vec::with_capacity(256 + 128 * cells);
        out.extend_from_slice(
            b"<div class=\"table-wrap\">\n<table class=\"data-table\" id=\"table-",
        );
        escaped(&mut out, name);
        out.extend_from_slice(b"\">\n<thead><tr>");
        Markup(out)
    }

    fn column(&mut self, key: &str, kind: &str, header: &str) {
        self.0.extend_from_slice(b"<th scope=\"col\" data-key=\"");
        escaped(&mut self.0, key);
        self.0.extend_from_slice(b"\" data-kind=\"");
        escaped(&mut self.0, kind);
        self.0.extend_from_slice(b"\">");
        escaped(&mut self.0, header);
        self.0.extend_from_slice(b"</th>");
    }

    fn body(&mut self) {
        self.0.extend_from_slice(b"</tr></thead>\n<tbody>");
    }

    fn row(&mut self, id: &str) {
        self.0.extend_from_slice(b"\n<tr id=\"");
        escaped(&mut self.0, id);
        self.0.extend_from_slice(b"\">");
    }

    fn cell(&mut self, key: &str, header: &str) {
        self.0.extend_from_slice(b"<td data-key=\"");
        escaped(&mut self.0, key);
        self.0.extend_from_slice(b"\" data-label=\"");
        escaped(&mut self.0, header);
        self.0.extend_from_slice(b"\"><span class=\"cell\">");
    }

    fn options<'a>(&mut self, options: impl ExactSizeIterator<Item = &'a str>) {
        let last = options.len().saturating_sub(1);
        for (i, option) in options.enumerate() {
            self.0.extend_from_slice(b"<span class=\"badge badge-");
            escaped(&mut self.0, &slugify(option));
            self.0.extend_from_slice(b"\">");
            escaped(&mut self.0, option);
            self.0.extend_from_slice(b"</span>");
            if i < last {
                self.0.extend_from_slice(b" <span class=\"or\">or</span> ");
            }
        }
    }

    fn html(&mut self, html: &str) {
        self.0.extend_from_slice(html.as_bytes());
    }

    fn end_cell(&mut self) {
        self.0.extend_from_slice(b"</span></td>");
    }

    fn end_row(&mut self) {
        self.0.extend_from_slice(b"</tr>");
    }

    fn finish(mut self) -> String {
        self.0.extend_from_slice(b"\n</tbody>\n</table>\n</div>\n");
        String::from_utf8(self.0).expect("built from strings")
    }
}

/// `src/render/table.html` rendered for `table`.
pub(crate) fn render(table: &Table) -> String {
    let cells: usize = table.cells_html.iter().map(|row| row.len()).sum();
    let mut out = Markup::start(cells, &table.name);
    for col in &table.columns {
        out.column(&col.key, kind_name(col.kind), &col.header);
    }
    out.body();
    for ((values, html), id) in table
        .records
        .iter()
        .zip(&table.cells_html)
        .zip(&table.row_ids)
    {
        out.row(id);
        for ((col, value), html) in table.columns.iter().zip(values).zip(html) {
            out.cell(&col.key, &col.header);
            match (col.kind, value) {
                (ColumnKind::Options, CellValue::Options(options)) => {
                    out.options(options.iter().map(|o| &**o));
                }
                _ => out.html(html),
            }
            out.end_cell();
        }
        out.end_row();
    }
    out.finish()
}

/// `src/render/table.html` rendered for the template value `table`, when
/// it has the shape folio gives a table's value (strings where the
/// template prints text, lists where it loops); `None` for any other value,
/// which the template then renders itself. This is what a site's own table
/// partial gets when it includes `folio/table.html`, without the template
/// engine walking every cell.
pub(crate) fn render_value(table: &Value) -> Option<String> {
    let table = table.as_map()?;
    let columns = field(table, "columns")?.as_array()?;
    let rows = field(table, "rows")?.as_array()?;
    let mut out = Markup::start(rows.len() * columns.len(), text(field(table, "name")?)?);
    for col in columns {
        let col = col.as_map()?;
        let [key, kind, header] = ["key", "kind", "header"].map(|k| field(col, k).and_then(text));
        out.column(key?, kind?, header?);
    }
    out.body();
    for row in rows {
        let row = row.as_map()?;
        out.row(text(field(row, "id")?)?);
        for cell in field(row, "cells")?.as_array()? {
            let cell = cell.as_map()?;
            let [key, header, kind] =
                ["key", "header", "kind"].map(|k| field(cell, k).and_then(text));
            out.cell(key?, header?);
            if kind? == "options" {
                let options = field(cell, "value")?.as_array()?;
                let options: Option<Vec<&str>> = options.iter().map(text).collect();
                out.options(options?.into_iter());
            } else {
                out.html(field(cell, "html")?.as_str()?);
            }
            out.end_cell();
        }
        out.end_row();
    }
    Some(out.finish())
}

/// Field `name` of a template map (a table's maps are small: a scan, as
/// Tera's own lookup does for them).
fn field<'a>(map: &'a tera::Map, name: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.as_str() == Some(name))
        .map(|(_, v)| v)
}

/// A string value that Tera would escape when printing it.
fn text(value: &Value) -> Option<&str> {
    value.as_str().filter(|_| !value.is_safe())
}
