//! Tables: Markdown to raw cells, then typed data, JSON and CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for (json, csv) in folio::fuzzing::tables(&text) {
        assert!(json.ends_with('\n'));
        // No field may start as a spreadsheet formula (a negative number
        // in a number column is a number, not a formula).
        for field in csv_fields(&csv) {
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
