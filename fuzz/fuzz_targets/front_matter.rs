//! Front matter: splitting a file and parsing its YAML, from any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Some((body_offset, body)) = folio::fuzzing::front_matter(text) {
        assert_eq!(&text[body_offset..], body);
    }
});
