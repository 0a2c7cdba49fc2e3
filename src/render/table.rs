//! folio's default table markup, written straight from a [`Table`].
//!
//! A site without its own `templates/partials/table.html` gets the markup of
//! `src/render/table.html`. Rendering that template through Tera means
//! building a template value for every row and cell first, which was a
//! quarter of a table-heavy build; this writes the same bytes directly (the
//! tests hold the two to byte equality). A site that replaces the partial,
//! or includes `folio/table.html` from its own, still goes through Tera.

use crate::body::tables::{CellValue, ColumnKind, Table};
use crate::urls::slugify;

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

/// `src/render/table.html` rendered for `table`.
pub(crate) fn render(table: &Table) -> String {
    let cells: usize = table.cells_html.iter().map(|row| row.len()).sum();
    let mut out: Vec<u8> = Vec::with_capacity(256 + 128 * cells);
    out.extend_from_slice(b"<div class=\"table-wrap\">\n<table class=\"data-table\" id=\"table-");
    escaped(&mut out, &table.name);
    out.extend_from_slice(b"\">\n<thead><tr>");
    for col in &table.columns {
        out.extend_from_slice(b"<th scope=\"col\" data-key=\"");
        escaped(&mut out, &col.key);
        out.extend_from_slice(b"\" data-kind=\"");
        out.extend_from_slice(kind_name(col.kind).as_bytes());
        out.extend_from_slice(b"\">");
        escaped(&mut out, &col.header);
        out.extend_from_slice(b"</th>");
    }
    out.extend_from_slice(b"</tr></thead>\n<tbody>");
    for ((values, html), id) in table
        .records
        .iter()
        .zip(&table.cells_html)
        .zip(&table.row_ids)
    {
        out.extend_from_slice(b"\n<tr id=\"");
        escaped(&mut out, id);
        out.extend_from_slice(b"\">");
        for ((col, value), html) in table.columns.iter().zip(values).zip(html) {
            out.extend_from_slice(b"<td data-key=\"");
            escaped(&mut out, &col.key);
            out.extend_from_slice(b"\" data-label=\"");
            escaped(&mut out, &col.header);
            out.extend_from_slice(b"\"><span class=\"cell\">");
            match (col.kind, value) {
                (ColumnKind::Options, CellValue::Options(options)) => {
                    for (i, option) in options.iter().enumerate() {
                        out.extend_from_slice(b"<span class=\"badge badge-");
                        escaped(&mut out, &slugify(option));
                        out.extend_from_slice(b"\">");
                        escaped(&mut out, option);
                        out.extend_from_slice(b"</span>");
                        if i + 1 < options.len() {
                            out.extend_from_slice(b" <span class=\"or\">or</span> ");
                        }
                    }
                }
                _ => out.extend_from_slice(html.as_bytes()),
            }
            out.extend_from_slice(b"</span></td>");
        }
        out.extend_from_slice(b"</tr>");
    }
    out.extend_from_slice(b"\n</tbody>\n</table>\n</div>\n");
    String::from_utf8(out).expect("built from strings")
}
