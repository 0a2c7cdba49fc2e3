//! Tables: Markdown to raw cells, then typed data, JSON and CSV.
#![no_main]

use folio::error::LineIndex;
use folio::{markdown, tables};
use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let index = LineIndex::new(&text);
    let rendered = markdown::render(&text, 0, &index, &|_| None);
    let mut names = HashMap::new();
    for raw in &rendered.tables {
        let (table, _) = tables::build(Path::new("fuzz.md"), raw, &mut names);
        let json = tables::to_json(&table);
        assert!(json.ends_with('\n'));
        // No field may start as a spreadsheet formula (a negative number
        // in a number column is a number, not a formula).
        for field in csv_fields(&tables::to_csv(&table)) {
            let number = field.parse::<i64>().is_ok();
            assert!(
                number || !field.starts_with(['=', '+', '-', '@']),
                "{field:?}"
            );
        }
    }
});

/// The unquoted fields of an RFC 4180 document.
fn csv_fields(csv: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = csv.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' | '\n' if !quoted => fields.push(std::mem::take(&mut field)),
            '\r' if !quoted => {}
            c => field.push(c),
        }
    }
    fields
}
