//! GFM tables as typed data.
//!
//! Every table in every page becomes a [`Table`]: columns with a normalised
//! key and a kind, and records whose cells are typed. The kinds are inferred
//! from the column's cells, so any table works with no configuration:
//!
//! - `integer`: every non-empty cell is a whole number (a column whose key is
//!   `port` must be one, from 1 to 65535);
//! - `options`: some cell reads "A or B"; every cell becomes a list;
//! - `text`: anything else.
//!
//! A column key is the header in `snake_case`, with a plural last word made
//! singular ("Ports" → `port`), because each record holds one value.
//! A table's name, used for its data files (`ports.json`, `ports.csv`), is
//! the slug of its first header ("Ports" → `ports`); a second table with the
//! same name on one page gets `-2`, and so on.

use crate::body::markdown::{RawCell, RawRow, RawTable};
use crate::error::Diagnostic;
use crate::source::data::{CsvField, CsvRows};
use crate::urls::slugify;
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// How a column's cells are typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum ColumnKind {
    /// Whole numbers.
    Integer,
    /// Lists of alternatives ("None or TLS").
    Options,
    /// Plain text.
    Text,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Column {
    /// Normalised key used in records.
    pub(crate) key: String,
    /// Header text as written.
    pub(crate) header: String,
    /// Cell type.
    pub(crate) kind: ColumnKind,
}

/// A cell's typed value: what its column's kind made of its text. As data
/// (JSON, templates) it is what `serde_json` would write for the same value:
/// `null`, a number, a string or a list of strings. A third of the size of
/// a `serde_json::Value` (24 bytes against 72), which a site of 100,000
/// table-heavy posts holds a few million of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CellValue {
    /// An empty cell (in a column that is not `options`).
    Null,
    /// A whole number.
    Integer(i64),
    /// Text as written.
    Text(Box<str>),
    /// An options cell's alternatives, in order.
    Options(Box<[Box<str>]>),
}

impl CellValue {
    /// The value as JSON (a CSV data file's records in `site.data`).
    pub(crate) fn to_json(&self) -> Value {
        match self {
            CellValue::Null => Value::Null,
            CellValue::Integer(n) => Value::from(*n),
            CellValue::Text(text) => Value::from(&**text),
            CellValue::Options(options) => {
                Value::Array(options.iter().map(|o| Value::from(&**o)).collect())
            }
        }
    }
}

impl Serialize for CellValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            CellValue::Null => serializer.serialize_unit(),
            // As serde_json's numbers: whole numbers from zero up are unsigned.
            CellValue::Integer(n) => match u64::try_from(*n) {
                Ok(u) => serializer.serialize_u64(u),
                Err(_) => serializer.serialize_i64(*n),
            },
            CellValue::Text(text) => serializer.serialize_str(text),
            CellValue::Options(options) => options.serialize(serializer),
        }
    }
}

/// One cell prepared for a template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Cell<'a> {
    /// The column key.
    pub(crate) key: &'a str,
    /// The column's header text (a label when rows are shown as cards).
    pub(crate) header: &'a str,
    /// The column kind.
    pub(crate) kind: ColumnKind,
    /// The typed value (number, list of strings, string or null).
    pub(crate) value: &'a CellValue,
    /// The cell's inline HTML as written (links, code).
    pub(crate) html: &'a str,
}

/// One row prepared for a template.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Row<'a> {
    /// A deep-link id: first column key and first cell, e.g. `port-993`.
    pub(crate) id: &'a str,
    /// Cells in column order.
    pub(crate) cells: Vec<Cell<'a>>,
}

/// A table as data. Templates see `name`, `columns`, `records`,
/// `json_file`, `csv_file` and `rows` (each row's `id` and `cells`, each
/// cell's `key`, `header`, `kind`, `value` and `html`); `rows` is built
/// when the table is rendered, so the site holds each value once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Name used for the data files.
    pub(crate) name: String,
    /// Columns in order.
    pub(crate) columns: Vec<Column>,
    /// Each row's typed values, in column order. As data (`NAME.json`,
    /// templates) each becomes a record keyed by column key: see
    /// [`Table::records`].
    pub(crate) records: Vec<Vec<CellValue>>,
    /// Each row's cells as inline HTML, in column order.
    pub(crate) cells_html: Vec<Vec<Box<str>>>,
    /// Each row's deep-link id.
    pub(crate) row_ids: Vec<Box<str>>,
    /// File name of the JSON data (`ports.json`).
    pub(crate) json_file: String,
    /// File name of the CSV data (`ports.csv`).
    pub(crate) csv_file: String,
}

impl Table {
    fn empty() -> Table {
        Table {
            name: String::new(),
            columns: Vec::new(),
            records: Vec::new(),
            cells_html: Vec::new(),
            row_ids: Vec::new(),
            json_file: String::new(),
            csv_file: String::new(),
        }
    }

    /// The records: each row's values keyed by column key, in column order.
    pub(crate) fn records(&self) -> Records<'_> {
        Records(self)
    }

    /// The rows as templates see them.
    pub(crate) fn rows(&self) -> Vec<Row<'_>> {
        self.records
            .iter()
            .zip(&self.cells_html)
            .zip(&self.row_ids)
            .map(|((values, html), id)| Row {
                id,
                cells: self
                    .columns
                    .iter()
                    .zip(values)
                    .zip(html)
                    .map(|((col, value), html)| Cell {
                        key: &col.key,
                        header: &col.header,
                        kind: col.kind,
                        value,
                        html,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// A table's records, serialised as a list of maps keyed by column key.
#[derive(Clone, Copy)]
pub(crate) struct Records<'a>(&'a Table);

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Record<'a>(&'a [Column], &'a [CellValue]);
        impl Serialize for Record<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (col, value) in self.0.iter().zip(self.1) {
                    map.serialize_entry(&col.key, value)?;
                }
                map.end()
            }
        }
        let table = self.0;
        let mut seq = serializer.serialize_seq(Some(table.records.len()))?;
        for values in &table.records {
            seq.serialize_element(&Record(&table.columns, values))?;
        }
        seq.end()
    }
}

impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Table", 6)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("columns", &self.columns)?;
        s.serialize_field("records", &self.records())?;
        s.serialize_field("rows", &self.rows())?;
        s.serialize_field("json_file", &self.json_file)?;
        s.serialize_field("csv_file", &self.csv_file)?;
        s.end()
    }
}

/// The key for a header: `snake_case`, last word singular.
fn column_key(header: &str) -> String {
    let mut key = slugify(header).replace('-', "_");
    let last_start = key.rfind('_').map_or(0, |i| i + 1);
    let last = &key[last_start..];
    let plural = last.len() > 3
        && last.ends_with('s')
        && !["ss", "us", "is", "os"]
            .iter()
            .any(|end| last.ends_with(end));
    if plural {
        key.pop();
    }
    key
}

fn split_options(text: &str) -> Box<[Box<str>]> {
    text.split(" or ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(Box::from)
        .collect()
}

/// Types a raw table, checking it as it goes. Errors and warnings name the
/// file line and column of the cell at fault. `names` holds the table names
/// already used on this page (start with an empty map), each with the last
/// number tried after it.
pub(crate) fn build(
    path: &Path,
    raw: &RawTable,
    names: &mut HashMap<String, usize>,
) -> (Table, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if raw.truncated {
        diags.push(
            Diagnostic::error(
                path,
                raw.line,
                1,
                format!(
                    "this page's tables hold more than {} cells, the most folio reads",
                    crate::body::markdown::MAX_TABLE_CELLS
                ),
            )
            .with_help("split the data over several pages, or publish it as a file in static/"),
        );
        return (Table::empty(), diags);
    }
    check_shape(path, raw, &mut diags);
    let columns = columns(raw);
    let mut records = Vec::with_capacity(raw.rows.len());
    let mut cells_html = Vec::with_capacity(raw.rows.len());
    let mut row_ids = Vec::with_capacity(raw.rows.len());
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut ids_seen: HashMap<String, usize> = HashMap::new();
    for row in &raw.rows {
        let (record, cells) = typed_row(path, row, &columns, &mut diags);
        // Cells joined by a character no cell holds: equal rows, equal keys.
        let fingerprint = row
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\u{0}");
        if let Some(first) = first_line_of.get(&fingerprint) {
            diags.push(Diagnostic::warning(
                path,
                row.line,
                1,
                format!("table row repeats the row on line {first}"),
            ));
        } else {
            first_line_of.insert(fingerprint, row.line);
        }
        let first_key = columns.first().map_or("row", |c| c.key.as_str());
        let first_text = row.cells.first().map_or("", |c| c.text.as_str());
        let base = format!("{}-{}", slugify(first_key), slugify(first_text));
        let n = ids_seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        records.push(record);
        cells_html.push(cells);
        row_ids.push(id.into_boxed_str());
    }
    let name = table_name(raw, names);
    let table = Table {
        json_file: format!("{name}.json"),
        csv_file: format!("{name}.csv"),
        name,
        columns,
        records,
        cells_html,
        row_ids,
    };
    (table, diags)
}

/// A CSV data file's records, typed as a Markdown table's are (integer,
/// options, text; a `port` column checked), each a map of column key to
/// value in column order, with the same errors and warnings at the file's
/// lines.
pub(crate) fn csv_records(path: &Path, csv: &CsvRows) -> (Value, Vec<Diagnostic>) {
    let cell = |f: &CsvField| RawCell {
        text: f.text.clone(),
        html: String::new(),
        line: f.line,
        col: f.col,
    };
    let raw = RawTable {
        line: csv.header.first().map_or(1, |f| f.line),
        header: csv.header.iter().map(cell).collect(),
        rows: csv
            .rows
            .iter()
            .map(|fields| RawRow {
                line: fields.first().map_or(1, |f| f.line),
                written_cells: fields.len(),
                cells: fields.iter().map(cell).collect(),
            })
            .collect(),
        truncated: false,
    };
    let (table, diagnostics) = build(path, &raw, &mut HashMap::new());
    let records = table
        .records
        .iter()
        .map(|values| {
            let record: serde_json::Map<String, Value> = table
                .columns
                .iter()
                .zip(values)
                .map(|(c, v)| (c.key.clone(), v.to_json()))
                .collect();
            Value::Object(record)
        })
        .collect();
    (Value::Array(records), diagnostics)
}

/// How an empty cell is written in the table's file: `,,` in a CSV data
/// file, `|  |` in a Markdown page.
fn empty_cell(path: &Path) -> &'static str {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        "`,,`"
    } else {
        "`|  |`"
    }
}

/// Warnings for rows whose number of cells is not the header's (read as
/// GFM reads them: padded with empty cells, extra cells dropped), and
/// warnings for columns empty in every row.
fn check_shape(path: &Path, raw: &RawTable, diags: &mut Vec<Diagnostic>) {
    for row in &raw.rows {
        let (written, width) = (row.written_cells, raw.header.len());
        if written != width {
            let reading = if written < width {
                "the missing cells are read as empty"
            } else {
                "the extra cells are left out"
            };
            diags.push(
                Diagnostic::warning(
                    path,
                    row.line,
                    1,
                    format!("table row has {written} cells but its header has {width}: {reading}"),
                )
                .with_help(format!(
                    "give every row one cell per column; an empty cell is {}",
                    empty_cell(path)
                )),
            );
        }
    }
    for (i, cell) in raw.header.iter().enumerate() {
        let empty = raw
            .rows
            .iter()
            .all(|r| r.cells.get(i).is_none_or(|c| c.text.is_empty()));
        if empty && !raw.rows.is_empty() {
            diags.push(
                Diagnostic::warning(
                    path,
                    cell.line,
                    cell.col,
                    format!("table column \"{}\" is empty in every row", cell.text),
                )
                .with_help("fill the column in, or remove it"),
            );
        }
    }
}

/// The columns: each header's key, and the kind its cells share. A
/// repeated key gets `_2`, `_3`, …, skipping any key a column has of its
/// own (headers "A | A | A 2" give `a`, `a_3`, `a_2`): every record holds
/// every column.
fn columns(raw: &RawTable) -> Vec<Column> {
    let bases: Vec<String> = raw
        .header
        .iter()
        .enumerate()
        .map(|(i, cell)| match column_key(&cell.text) {
            k if k.is_empty() => format!("column_{}", i + 1),
            k => k,
        })
        .collect();
    let own: HashSet<&str> = bases.iter().map(String::as_str).collect();
    let mut taken: HashSet<String> = HashSet::new();
    bases
        .iter()
        .zip(&raw.header)
        .enumerate()
        .map(|(i, (base, cell))| {
            let key = if taken.contains(base) {
                (2..)
                    .map(|n| format!("{base}_{n}"))
                    .find(|k| !own.contains(k.as_str()) && !taken.contains(k))
                    .expect("some suffix is free")
            } else {
                base.clone()
            };
            taken.insert(key.clone());
            let kind = column_kind(&key, raw.rows.iter().filter_map(|r| r.cells.get(i)));
            Column {
                key,
                header: cell.text.clone(),
                kind,
            }
        })
        .collect()
}

/// A column's kind: integers when every filled cell is one (a `port`
/// column always), options when any cell says "A or B", else text.
fn column_kind<'a>(key: &str, cells: impl Iterator<Item = &'a RawCell>) -> ColumnKind {
    let non_empty: Vec<_> = cells.filter(|c| !c.text.is_empty()).collect();
    if key == "port"
        || (!non_empty.is_empty() && non_empty.iter().all(|c| c.text.parse::<i64>().is_ok()))
    {
        ColumnKind::Integer
    } else if non_empty.iter().any(|c| c.text.contains(" or ")) {
        ColumnKind::Options
    } else {
        ColumnKind::Text
    }
}

/// A row's typed values, one per column, and its cells' HTML; an error
/// for a port that is not a port.
fn typed_row(
    path: &Path,
    row: &RawRow,
    columns: &[Column],
    diags: &mut Vec<Diagnostic>,
) -> (Vec<CellValue>, Vec<Box<str>>) {
    let mut record = Vec::with_capacity(columns.len());
    let mut cells = Vec::with_capacity(columns.len());
    for (i, col) in columns.iter().enumerate() {
        let (text, html) = row
            .cells
            .get(i)
            .map_or(("", ""), |c| (c.text.as_str(), c.html.as_str()));
        let value = match col.kind {
            _ if text.is_empty() && col.kind != ColumnKind::Options && col.key != "port" => {
                CellValue::Null
            }
            ColumnKind::Integer => match text.parse::<i64>() {
                Ok(n) if col.key != "port" || (1..=65535).contains(&n) => CellValue::Integer(n),
                _ => {
                    let (line, c) = row.cells.get(i).map_or((row.line, 1), |c| (c.line, c.col));
                    diags.push(
                        Diagnostic::error(
                            path,
                            line,
                            c,
                            format!("port `{text}` is not a number from 1 to 65535"),
                        )
                        .with_help("write the port as a whole number, such as 587"),
                    );
                    CellValue::Null
                }
            },
            ColumnKind::Options => CellValue::Options(split_options(text)),
            ColumnKind::Text => CellValue::Text(text.into()),
        };
        record.push(value);
        cells.push(html.into());
    }
    (record, cells)
}

/// The table's name, from its first header, unique on the page: `names`
/// holds the names taken so far, each with the last suffix tried after it,
/// so the k-th table of one name finds its suffix at once, not after k
/// tries.
fn table_name(raw: &RawTable, names: &mut HashMap<String, usize>) -> String {
    let base = match raw.header.first().map(|c| slugify(&c.text)) {
        Some(s) if !s.is_empty() => s,
        _ => "table".to_string(),
    };
    let name = match names.get(&base) {
        None => base.clone(),
        Some(&tried) => {
            let (n, name) = (tried + 1..)
                .map(|n| (n, format!("{base}-{n}")))
                .find(|(_, name)| !names.contains_key(name))
                .expect("some suffix is free");
            names.insert(base.clone(), n);
            name
        }
    };
    names.insert(name.clone(), 1);
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::markdown::render;
    use crate::error::LineIndex;

    fn table_of(src: &str) -> (Table, Vec<Diagnostic>) {
        let r = render(src, 0, &LineIndex::new(src), &|_| None);
        build(Path::new("t.md"), &r.tables[0], &mut HashMap::new())
    }

    const PORTS: &str = "\
| Ports | Protocol | Security    | Authentication   | Description       |
| ----- | -------- | ----------- | ---------------- | ----------------- |
| 25    | SMTP     | None        | AUTH             | Outgoing Messages |
| 143   | IMAP     | None or TLS | AUTH or STARTTLS | Incoming Messages |
";

    #[test]
    fn keys_are_snake_case_and_singular() {
        assert_eq!(column_key("Ports"), "port");
        assert_eq!(column_key("Authentication"), "authentication");
        assert_eq!(column_key("Status"), "status");
        assert_eq!(column_key("Client Notes"), "client_note");
        assert_eq!(column_key("Address"), "address");
    }

    #[test]
    fn ports_table_becomes_typed_records() {
        let (t, diags) = table_of(PORTS);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(t.name, "ports");
        let records = serde_json::to_value(t.records()).unwrap();
        assert_eq!(
            records[0],
            serde_json::json!({"port": 25, "protocol": "SMTP", "security": ["None"],
                "authentication": ["AUTH"], "description": "Outgoing Messages"})
        );
        assert_eq!(records[1]["security"], serde_json::json!(["None", "TLS"]));
        assert_eq!(t.rows()[1].id, "port-143");
        let kinds: Vec<_> = t.columns.iter().map(|c| c.kind).collect();
        use ColumnKind::*;
        assert_eq!(kinds, [Integer, Text, Options, Options, Text]);
    }

    #[test]
    fn repeated_headers_get_keys_no_other_column_has() {
        let (t, _) = table_of("| A | A | A 2 | A |\n|---|---|---|---|\n| w | x | y | z |\n");
        let keys: Vec<&str> = t.columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["a", "a_3", "a_2", "a_4"]);
        let records = serde_json::to_value(t.records()).unwrap();
        assert_eq!(
            records[0],
            serde_json::json!({"a": "w", "a_3": "x", "a_2": "y", "a_4": "z"})
        );
    }

    #[test]
    fn bad_port_is_an_error_at_its_cell() {
        let (_, diags) = table_of("| Port | P |\n|---|---|\n| 70000 | x |\n| abc | y |\n");
        let errors: Vec<_> = diags.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(errors, [(Some(3), Some(3)), (Some(4), Some(3))]);
        assert!(diags[0].message.contains("70000"));
    }

    #[test]
    fn wrong_cell_count_and_duplicates_warn() {
        let (table, diags) = table_of("| A | B |\n|---|---|\n| 1 | 2 |\n| 1 | 2 |\n| 3 |\n");
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        assert!(
            diags
                .iter()
                .any(|d| d.line == Some(5) && d.message.contains("1 cells"))
        );
        assert!(diags.iter().any(|d| d.line == Some(4)));
        // GFM pads the short row with an empty cell.
        assert_eq!(table.records[2][1], CellValue::Null);
    }

    #[test]
    fn empty_column_warns_at_its_header() {
        let (_, diags) = table_of("| A | Notes |\n|---|---|\n| 1 |  |\n| 2 |  |\n");
        assert_eq!(diags.len(), 1);
        assert!(!diags[0].is_error());
        assert_eq!((diags[0].line, diags[0].col), (Some(1), Some(7)));
        assert!(diags[0].message.contains("\"Notes\" is empty"));
    }

    #[test]
    fn same_first_header_gets_numbered_names() {
        let mut names = HashMap::new();
        let src = "| X |\n|---|\n| 1 |\n";
        let r = render(src, 0, &LineIndex::new(src), &|_| None);
        let a = build(Path::new("t.md"), &r.tables[0], &mut names).0;
        let b = build(Path::new("t.md"), &r.tables[0], &mut names).0;
        assert_eq!((a.name.as_str(), b.name.as_str()), ("x", "x-2"));
    }

    #[test]
    fn numbered_names_skip_names_a_table_has_of_its_own() {
        let mut names = HashMap::new();
        let src = "| X 2 |\n|---|\n| 1 |\n\n| X |\n|---|\n| 1 |\n";
        let r = render(src, 0, &LineIndex::new(src), &|_| None);
        let (x2, x) = (&r.tables[0], &r.tables[1]);
        let built: Vec<String> = [x2, x, x, x, x2]
            .into_iter()
            .map(|raw| build(Path::new("t.md"), raw, &mut names).0.name)
            .collect();
        assert_eq!(built, ["x-2", "x", "x-3", "x-4", "x-2-2"]);
    }
}
