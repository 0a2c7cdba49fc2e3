//! kramdown's attribute lists (`{: .notice}` lines, `![x](y){: .left}`),
//! which Jekyll sites write after blocks and images: removed, so they do
//! not show up as stray text (the classes are not applied).

use super::offsets::OffsetMap;

/// A kramdown block attribute list on its own line: `{: .notice}`.
fn is_block_attributes(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let line = line.trim();
    indent < 4 && line.starts_with("{:") && line.ends_with('}')
}

/// The fence a line opens or closes: its character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Removes kramdown attribute lists outside code blocks: a `{: …}` line
/// becomes an empty line (so it also ends the paragraph or table above it,
/// which kramdown would have given the attributes), and a `{: …}` right
/// after a link or image is dropped.
pub(crate) fn strip_attribute_lists(body: &str) -> (String, OffsetMap) {
    let mut out = Kept {
        body,
        text: String::with_capacity(body.len()),
        map: OffsetMap::default(),
    };
    let mut open: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let ending = &line[text.len()..];
        if let Some((c, n)) = open {
            if fence(text).is_some_and(|(c2, n2)| c2 == c && n2 >= n && text.trim().len() == n2) {
                open = None;
            }
            out.keep(line);
            continue;
        }
        if let Some(f) = fence(text) {
            open = Some(f);
            out.keep(line);
            continue;
        }
        if is_block_attributes(text) {
            out.keep(ending);
            continue;
        }
        let mut rest = text;
        while let Some(i) = rest.find("){:") {
            let after = &rest[i + 1..];
            match after.find('}') {
                Some(j) => {
                    out.keep(&rest[..=i]);
                    rest = &after[j + 1..];
                }
                None => break,
            }
        }
        out.keep(rest);
        out.keep(ending);
    }
    (out.text, out.map)
}

/// The text kept from a body, and where each kept piece was.
struct Kept<'a> {
    body: &'a str,
    text: String,
    map: OffsetMap,
}

impl Kept<'_> {
    /// Keeps `piece`, a slice of the body.
    fn keep(&mut self, piece: &str) {
        let at = piece.as_ptr() as usize - self.body.as_ptr() as usize;
        self.map.push(self.text.len(), at, true);
        self.text.push_str(piece);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kramdown_attribute_lists_vanish_outside_code() {
        let src = "Note.\n{: .notice}\n![i](a.png){: .align-left} text\n```\n{: .kept}\n```\n";
        let (text, map) = strip_attribute_lists(src);
        assert_eq!(text, "Note.\n\n![i](a.png) text\n```\n{: .kept}\n```\n");
        let after = text.find(" text").unwrap();
        assert_eq!(map.original(after), src.find(" text").unwrap());
    }
}
