//! The data files published next to a page: each table's records as JSON
//! and as CSV, in the page's folder.

use super::OutputFile;
use crate::body::tables::{CellValue, Table};
use crate::site::page::Page;

/// The site paths of a table's JSON and CSV files: in the folder of the
/// page that holds it (`Head::data_dir`).
pub(crate) fn paths(page: &Page, table: &Table) -> [String; 2] {
    let dir = page.head.data_dir();
    [
        format!("{dir}{}", table.json_file),
        format!("{dir}{}", table.csv_file),
    ]
}

/// The JSON and CSV files of every table of `page`.
pub(crate) fn files(page: &Page) -> Vec<OutputFile> {
    let mut files = Vec::with_capacity(2 * page.body.tables.len());
    for table in &page.body.tables {
        let [json, csv] = paths(page, table);
        files.push(OutputFile {
            path: json,
            bytes: to_json(table).into_bytes(),
        });
        files.push(OutputFile {
            path: csv,
            bytes: to_csv(table).into_bytes(),
        });
    }
    files
}

/// The records as pretty-printed JSON: an array of objects, keys in column order.
pub(crate) fn to_json(table: &Table) -> String {
    let mut out =
        serde_json::to_string_pretty(&table.records()).expect("JSON values always serialise");
    out.push('\n');
    out
}

/// The records as CSV (RFC 4180): a header of column keys, options joined
/// with " or ". Text that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`.
pub(crate) fn to_csv(table: &Table) -> String {
    let mut out = String::new();
    let header: Vec<String> = table.columns.iter().map(|c| csv_field(&c.key)).collect();
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    for values in &table.records {
        let fields: Vec<String> = values
            .iter()
            .map(|value| match value {
                CellValue::Null => String::new(),
                CellValue::Integer(n) => n.to_string(),
                CellValue::Options(items) => csv_field(&items.join(" or ")),
                CellValue::Text(s) => csv_field(s),
            })
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

fn csv_field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::markdown::render;
    use crate::body::tables::build;
    use crate::error::LineIndex;
    use std::path::Path;

    fn table_of(src: &str) -> Table {
        let r = render(src, 0, &LineIndex::new(src), &|_| None);
        build(Path::new("t.md"), &r.tables[0], &mut Default::default()).0
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let t = table_of("| Name | Note |\n|---|---|\n| =SUM(A1) | a, \"b\" |\n");
        assert_eq!(to_csv(&t), "name,note\r\n'=SUM(A1),\"a, \"\"b\"\"\"\r\n");
    }
}
