//! A whole page from any bytes: front matter, body, tables, and rendering
//! with the real site's templates, as a one-page site.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    folio::fuzzing::page(&root, &text);
});
