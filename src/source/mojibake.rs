//! The mojibake check: text that looks like UTF-8 decoded as Windows-1252
//! and saved again (`â€™` for `’`), reported where it stands.

use crate::error::{Diagnostic, LineIndex};
use std::path::Path;

/// The byte Windows-1252 uses for `c`, if it has one. Code points
/// U+0080–U+00FF map to themselves (Latin-1, which also covers the five
/// bytes Windows-1252 leaves undefined).
fn windows_1252_byte(c: char) -> Option<u8> {
    let byte = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        c if ('\u{80}'..='\u{FF}').contains(&c) => c as u32 as u8,
        _ => return None,
    };
    Some(byte)
}

/// A stretch of text that looks like UTF-8 decoded as Windows-1252 or
/// Latin-1 and encoded again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mojibake {
    /// Byte offset of the suspicious text.
    pub(crate) offset: usize,
    /// The suspicious text as it stands.
    pub(crate) found: String,
    /// What it most likely meant.
    pub(crate) intended: String,
}

/// Finds double-encoded text. A run of characters that all have a
/// Windows-1252 byte is re-encoded to those bytes; wherever the bytes form a
/// valid multi-byte UTF-8 sequence, the original characters were almost
/// certainly that sequence misread one byte at a time.
fn find_mojibake(text: &str) -> Vec<Mojibake> {
    let mut found = Vec::new();
    // (byte offset in text, char, its 1252 byte) for the current run.
    let mut run: Vec<(usize, char, u8)> = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < text.len() {
        // Mojibake is made of non-ASCII characters: skip ASCII stretches
        // byte by byte (most text is almost all ASCII).
        let Some(skip) = bytes[at..].iter().position(|b| !b.is_ascii()) else {
            break;
        };
        at += skip;
        for (i, c) in text[at..].char_indices() {
            match windows_1252_byte(c) {
                Some(b) if b >= 0x80 => run.push((at + i, c, b)),
                _ => {
                    at += i;
                    break;
                }
            }
        }
        if run
            .last()
            .is_some_and(|r| r.0 + r.1.len_utf8() == text.len())
        {
            at = text.len();
        }
        scan_run(&run, &mut found);
        run.clear();
        if at < text.len() && !bytes[at].is_ascii() {
            // A non-ASCII character with no Windows-1252 byte ends the run.
            at += text[at..].chars().next().map_or(1, char::len_utf8);
        }
    }
    found
}

fn scan_run(run: &[(usize, char, u8)], found: &mut Vec<Mojibake>) {
    let mut i = 0;
    while i < run.len() {
        let lead = run[i].2;
        let len = match lead {
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        if len > 0 && i + len <= run.len() {
            let bytes: Vec<u8> = run[i..i + len].iter().map(|r| r.2).collect();
            if let Ok(decoded) = std::str::from_utf8(&bytes) {
                let original: String = run[i..i + len].iter().map(|r| r.1).collect();
                // Extend a previous finding when sequences sit side by side.
                match found.last_mut() {
                    Some(prev) if prev.offset + prev.found.len() == run[i].0 => {
                        prev.found.push_str(&original);
                        prev.intended.push_str(decoded);
                    }
                    _ => found.push(Mojibake {
                        offset: run[i].0,
                        found: original,
                        intended: decoded.to_string(),
                    }),
                }
                i += len;
                continue;
            }
        }
        i += 1;
    }
}

/// Warnings for every piece of double-encoded text in a file.
pub(crate) fn lint_mojibake(path: &Path, source: &str) -> Vec<Diagnostic> {
    let hits = find_mojibake(source);
    if hits.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(source);
    hits.into_iter()
        .map(|m| {
            let (line, col) = index.locate(m.offset);
            Diagnostic::warning(
                path,
                line,
                col,
                format!(
                    "\"{}\" looks like double-encoded UTF-8 (mojibake) in: {}",
                    m.found,
                    index.line_text(line).trim()
                ),
            )
            .with_help(format!("replace \"{}\" with \"{}\"", m.found, m.intended))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_apostrophe_decoded_as_windows_1252() {
        let hits = find_mojibake("Hereâ€™s a table");
        assert_eq!(
            hits,
            vec![Mojibake {
                offset: 4,
                found: "â€™".into(),
                intended: "’".into()
            }]
        );
    }

    #[test]
    fn finds_latin1_accents_and_emoji() {
        let hits = find_mojibake("cafÃ© and Ã¼ber, ðŸ˜€");
        let intended: Vec<_> = hits.iter().map(|h| h.intended.as_str()).collect();
        assert_eq!(intended, ["é", "ü", "😀"]);
    }

    #[test]
    fn leaves_real_accents_and_symbols_alone() {
        assert!(find_mojibake("Café Müller — “quoted” © 2024 naïve façade").is_empty());
        assert!(find_mojibake("plain ASCII text").is_empty());
    }

    #[test]
    fn joins_adjacent_sequences_into_one_finding() {
        let hits = find_mojibake("â€œquotedâ€\u{9d}");
        assert_eq!(hits.len(), 2);
        assert_eq!(hits[0].intended, "“");
        assert_eq!(hits[1].intended, "”");
    }

    #[test]
    fn warns_with_line_column_and_suggestion() {
        let d = lint_mojibake(Path::new("p.md"), "---\ntitle: x\n---\nHereâ€™s it\n");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (Some(4), Some(5)));
        assert!(d[0].message.contains("â€™"));
        assert!(d[0].help.as_deref().unwrap().contains('’'));
    }
}
