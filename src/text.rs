//! Small text helpers shared by every stage: slugs and the mojibake check.

use crate::error::{Diagnostic, LineIndex};
use std::path::Path;

/// Turns any text into a URL slug: lowercase letters and digits (Unicode
/// letters kept), every other run of characters folded into one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    if text.is_ascii() {
        // The same rules, a byte at a time.
        for &b in text.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if dash && !slug.is_empty() {
                    slug.push('-');
                }
                dash = false;
                slug.push(char::from(b.to_ascii_lowercase()));
            } else if b != b'\'' {
                dash = true;
            }
        }
        return slug;
    }
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            // Apostrophes vanish ("what's" -> "whats"), everything else separates.
            dash = true;
        }
    }
    slug
}

/// The number of words in `text`: runs of non-whitespace, as
/// `split_whitespace` counts them, a byte at a time for ASCII text.
pub fn count_words(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // ASCII's Unicode whitespace: tab, line feed, vertical tab, form feed,
    // carriage return and space.
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let mut words = 0;
    let mut after_space = true;
    for &b in text.as_bytes() {
        let is_space = space(b);
        words += usize::from(after_space && !is_space);
        after_space = is_space;
    }
    words
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the
/// bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// [`percent_decode`], or the text as written when it does not decode.
pub fn percent_decode_lossy(text: &str) -> String {
    percent_decode(text).unwrap_or_else(|| text.to_string())
}

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
pub struct Mojibake {
    /// Byte offset of the suspicious text.
    pub offset: usize,
    /// The suspicious text as it stands.
    pub found: String,
    /// What it most likely meant.
    pub intended: String,
}

/// Finds double-encoded text. A run of characters that all have a
/// Windows-1252 byte is re-encoded to those bytes; wherever the bytes form a
/// valid multi-byte UTF-8 sequence, the original characters were almost
/// certainly that sequence misread one byte at a time.
pub fn find_mojibake(text: &str) -> Vec<Mojibake> {
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
pub fn lint_mojibake(path: &Path, source: &str) -> Vec<Diagnostic> {
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

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "  ",
            "one",
            " two  words ",
            "tab\tline\nfeed\x0bvt\x0cff\rcr",
            "caf\u{e9} na\u{ef}ve\u{a0}nbsp\u{2003}em",
            "a\x1fb",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }
    use super::*;

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b/").as_deref(), Some("/a b/"));
        assert_eq!(percent_decode("/%2e%2e/").as_deref(), Some("/../"));
        assert_eq!(percent_decode("end%41").as_deref(), Some("endA"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%"), None);
        assert_eq!(percent_decode_lossy("100%"), "100%");
    }

    #[test]
    fn ascii_slugs_match_the_unicode_rules() {
        let all: String = (0u8..128).map(char::from).collect();
        let mut texts = vec![all.clone(), all.chars().rev().collect()];
        texts.extend(["What's up? A--B", "  x  ", "'", "Ports & IMAP/POP3", ""].map(String::from));
        for text in texts {
            // A trailing no-break space sends the text down the Unicode path
            // and adds nothing to the slug.
            assert_eq!(
                slugify(&text),
                slugify(&format!("{text}\u{a0}")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn slugs_fold_punctuation_and_case() {
        assert_eq!(
            slugify("Email Server Ports Table"),
            "email-server-ports-table"
        );
        assert_eq!(
            slugify("  What is the difference between POP3 and IMAP?"),
            "what-is-the-difference-between-pop3-and-imap"
        );
        assert_eq!(slugify("Post Formats"), "post-formats");
        assert_eq!(slugify("Here's Café"), "heres-café");
        assert_eq!(slugify("C++ / Rust"), "c-rust");
    }

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
