//! Front matter: splitting a file and parsing its YAML, from any bytes.
#![no_main]

use folio::content::frontmatter;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("content/posts/fuzz.md");
    if let Ok(split) = frontmatter::split(path, text) {
        assert_eq!(&text[split.body_offset..], split.body);
        if let Some(yaml) = split.yaml {
            let _ = frontmatter::parse(path, yaml, split.yaml_line);
            let _ = frontmatter::parse_settings(path, yaml, split.yaml_line);
        }
    }
});
