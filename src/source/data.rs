//! Data files: `data/NAME.yaml` (or `.yml`), `.json`, `.toml` and `.csv`
//! at the site's root, each read into a value that templates see as
//! `site.data.NAME`; a file in a subfolder nests by its folders, as
//! Jekyll's `_data/` does (`data/authors/bob.yml` is
//! `site.data.authors.bob`). YAML, JSON and TOML become the value they
//! write; CSV stays rows of text here, typed later as a Markdown table is
//! (`body::tables::csv_records`). Errors point at `path:line:col`.
//!
//! The one module that uses the `toml` and `csv` crates.

use super::frontmatter;
use super::walk;
use crate::error::{Diagnostic, LineIndex};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The folder data files are read from, under the site root.
pub(crate) const DATA_DIR: &str = "data";

/// One CSV field as written, with its place.
#[derive(Debug, Clone)]
pub(crate) struct CsvField {
    /// The field's text, trimmed.
    pub(crate) text: String,
    /// 1-based file line.
    pub(crate) line: usize,
    /// 1-based column (of the field's first byte, quotes included).
    pub(crate) col: usize,
}

/// A CSV file's rows, the first being its header.
#[derive(Debug, Clone)]
pub(crate) struct CsvRows {
    /// Header fields.
    pub(crate) header: Vec<CsvField>,
    /// Records, as written (a short or long row is kept as it is).
    pub(crate) rows: Vec<Vec<CsvField>>,
}

/// What one data file holds.
#[derive(Debug, Clone)]
pub(crate) enum Data {
    /// YAML, JSON or TOML, as a value.
    Value(Value),
    /// CSV, to be typed.
    Csv(CsvRows),
}

/// A data file, read.
#[derive(Debug, Clone)]
pub(crate) struct DataFile {
    /// Where it sits in `site.data`: its folders under `data/`, then its
    /// file name without the extension (`["authors", "bob"]`).
    pub(crate) keys: Vec<String>,
    /// The file, relative to the site root.
    pub(crate) source: PathBuf,
    /// What it holds.
    pub(crate) data: Data,
}

/// Reads every data file of the site (none without a `data/` folder), in
/// subfolders too, with errors and warnings: a file folio cannot read as
/// data, two files with one name, or a file and a folder with one name
/// (`authors.yml` and `authors/`, where Jekyll silently keeps the folder)
/// is an error; a file of another extension is skipped with a warning.
pub(crate) fn read_all(root: &Path) -> (Vec<DataFile>, Vec<Diagnostic>) {
    let walked = match walk::files(root, DATA_DIR) {
        Ok(w) => w,
        Err(d) => return (Vec::new(), vec![d]),
    };
    let mut diagnostics = walked.warnings;
    let mut files: Vec<DataFile> = Vec::new();
    let mut places: BTreeMap<Vec<String>, PathBuf> = BTreeMap::new();
    for path in &walked.files {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yaml" | "yml" | "json" | "toml" | "csv") {
            diagnostics.push(
                Diagnostic::file_warning(&rel, "not a data file; skipped").with_help(
                    "data files are data/NAME.yaml, .yml, .json, .toml or .csv (in data/ or a folder of it)",
                ),
            );
            continue;
        }
        let keys = keys_of(&rel);
        if let Some(other) = places.insert(keys.clone(), rel.clone()) {
            diagnostics.push(
                Diagnostic::file_error(
                    &rel,
                    format!(
                        "this file and {} are both `site.data.{}`",
                        other.display(),
                        keys.join(".")
                    ),
                )
                .with_help("rename one of them"),
            );
            continue;
        }
        match read_one(path, &rel, ext) {
            Ok((data, warnings)) => {
                diagnostics.extend(warnings);
                files.push(DataFile {
                    keys,
                    source: rel,
                    data,
                });
            }
            Err(d) => diagnostics.push(d),
        }
    }
    diagnostics.extend(clashes(&places));
    (files, diagnostics)
}

/// A data file's place in `site.data`: its folders under `data/`, then
/// its stem.
fn keys_of(rel: &Path) -> Vec<String> {
    let inside = rel.strip_prefix(DATA_DIR).unwrap_or(rel);
    let mut keys: Vec<String> = inside
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    keys.push(
        rel.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    );
    keys
}

/// A file whose place is also a folder of data files (`data/authors.yml`
/// beside `data/authors/bob.yml`): one error naming both. In key order a
/// place's folder contents follow it directly.
fn clashes(places: &BTreeMap<Vec<String>, PathBuf>) -> Vec<Diagnostic> {
    let entries: Vec<_> = places.iter().collect();
    entries
        .windows(2)
        .filter(|pair| pair[1].0.starts_with(pair[0].0))
        .map(|pair| {
            let folder = Path::new(DATA_DIR).join(pair[0].0.join("/"));
            Diagnostic::file_error(
                pair[0].1,
                format!(
                    "this file and the folder {}/ (holding {}) are both `site.data.{}`",
                    folder.display(),
                    pair[1].1.display(),
                    pair[0].0.join(".")
                ),
            )
            .with_help("rename the file or the folder")
        })
        .collect()
}

/// Reads one data file by its extension, with the warnings of what was
/// read leniently (YAML as Jekyll reads it).
fn read_one(path: &Path, rel: &Path, ext: &str) -> Result<(Data, Vec<Diagnostic>), Diagnostic> {
    let bytes = walk::read(path, rel)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Diagnostic::file_error(rel, "file is not valid UTF-8")
            .with_help("save the file as UTF-8 in your editor")
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let data = match ext {
        "json" => serde_json::from_str(text).map(Data::Value).map_err(|e| {
            Diagnostic::error(
                rel,
                e.line().max(1),
                e.column().max(1),
                format!("invalid JSON: {e}"),
            )
        }),
        "toml" => read_toml(rel, text).map(Data::Value),
        "csv" => read_csv(rel, text).map(Data::Csv),
        _ => {
            let (value, warnings) = frontmatter::read_yaml_value(rel, text)?;
            return Ok((Data::Value(value), warnings));
        }
    };
    data.map(|d| (d, Vec::new()))
}

fn read_toml(rel: &Path, text: &str) -> Result<Value, Diagnostic> {
    toml::from_str::<Value>(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map_or((1, 1), |span| LineIndex::new(text).locate(span.start));
        let message = e.message().trim().to_string();
        Diagnostic::error(rel, line, col, format!("invalid TOML: {message}"))
    })
}

fn read_csv(rel: &Path, text: &str) -> Result<CsvRows, Diagnostic> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let index = LineIndex::new(text);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line() as usize);
            Diagnostic::error(rel, line, 1, format!("invalid CSV: {e}"))
        })?;
        let start = record.position().map_or(0, |p| p.byte() as usize);
        let starts = field_starts(text, start).map_err(|open| {
            let (line, col) = index.locate(open);
            Diagnostic::error(rel, line, col, "invalid CSV: unclosed quote")
                .with_help("close the quoted cell with `\"` (a `\"` inside one is written `\"\"`)")
        })?;
        let fields = record
            .iter()
            .enumerate()
            .map(|(i, field)| {
                let at = starts.get(i).or(starts.last()).copied().unwrap_or(start);
                let (line, col) = index.locate(at);
                CsvField {
                    text: field.trim().to_string(),
                    line,
                    col,
                }
            })
            .collect();
        rows.push(fields);
    }
    let mut rows = rows.into_iter();
    let header = rows.next().ok_or_else(|| {
        Diagnostic::file_error(rel, "empty CSV file")
            .with_help("the first line names the columns, such as `Port,Protocol`")
    })?;
    Ok(CsvRows {
        header,
        rows: rows.collect(),
    })
}

/// The byte offset where each field of the record at byte `start` begins,
/// found in the raw text as the `csv` crate reads it (a `"` opens a quoted
/// field only as its first character; `""` inside is one quote), so that a
/// field after a quoted or multi-line one is placed where it is written.
/// `Err` holds the offset of a quote that never closes (the `csv` crate
/// would read the rest of the file into that one field).
fn field_starts(text: &str, start: usize) -> Result<Vec<usize>, usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut at = start;
    loop {
        starts.push(at);
        if bytes.get(at) == Some(&b'"') {
            let open = at;
            at += 1;
            loop {
                match bytes.get(at) {
                    None => return Err(open),
                    Some(b'"') if bytes.get(at + 1) == Some(&b'"') => at += 2,
                    Some(b'"') => {
                        at += 1;
                        break;
                    }
                    Some(_) => at += 1,
                }
            }
        }
        at = bytes[at..]
            .iter()
            .position(|b| matches!(b, b',' | b'\n' | b'\r'))
            .map_or(bytes.len(), |end| at + end);
        if bytes.get(at) != Some(&b',') {
            return Ok(starts);
        }
        at += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_errors_point_at_their_line() {
        let err = read_toml(Path::new("data/x.toml"), "a = 1\nb = \n").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn csv_fields_are_placed_after_quoted_and_multi_line_cells() {
        let rows = read_csv(
            Path::new("data/x.csv"),
            "a,b\n\"a, \"\"b\"\"\",99999\n\u{e9}\u{e9}\u{e9},1\n\"two\nlines\",x\n",
        )
        .unwrap();
        let place = |r: usize, f: usize| (rows.rows[r][f].line, rows.rows[r][f].col);
        assert_eq!(place(0, 1), (2, 12));
        assert_eq!(place(1, 1), (3, 5));
        assert_eq!(place(2, 1), (5, 8));
    }

    #[test]
    fn csv_fields_keep_their_place() {
        let rows = read_csv(Path::new("data/x.csv"), "Port,Name\n25,SMTP\n").unwrap();
        assert_eq!(rows.header[1].text, "Name");
        assert_eq!((rows.rows[0][1].line, rows.rows[0][1].col), (2, 4));
    }
}
