//! What the `liquid` crate cannot take as Jekyll writes it, found and
//! rewritten before it parses a body.
//!
//! - **Unknown tags and filters.** The crate stops at a tag or filter it
//!   does not know; Jekyll themes and plugins bring many (`{% include_cached
//!   %}`, `| jsonify_pretty`). Each is found here, reported as a warning at
//!   its place, and wrapped in `{% raw %}` so it stays visible in the page.
//! - **Unquoted arguments.** Jekyll's `{% post_url 2019-08-20-hello %}`,
//!   `{% link _posts/x.md %}`, `{% include note.html %}` and `{% highlight
//!   c++ %}` take words that are not Liquid values (a `/` or `+` is outside
//!   Liquid's grammar): they are quoted, and given the byte offset where
//!   they were written, so what they report is placed at their line.
//! - **Braces that open nothing.** A `{{` or `{%` that never closes is plain
//!   text in Jekyll's Markdown but a syntax error for the crate: it is
//!   wrapped in `{% raw %}` too.
//!
//! The rewritten text keeps a map back to the original offsets, so errors
//! the crate reports are placed in the `.md` file.

use crate::body::offsets::OffsetMap;

/// Name of the hidden parameter of `include`, `link`, `post_url`, `for`
/// and `tablerow` that carries the tag's offset.
pub(super) const OFFSET_PARAM: &str = "folio_offset";

/// Name of the hidden parameter of `for` and `tablerow` that carries the
/// weight of one iteration: one, and one for each `{{ }}` and `{% %}` in
/// the loop's body.
pub(super) const WEIGHT_PARAM: &str = "folio_weight";

/// The room a weight takes in the rewritten tag.
const WEIGHT_WIDTH: usize = 20;

/// Tags whose content is not Liquid: scanning skips to their end tag.
const VERBATIM: [&str; 3] = ["raw", "comment", "highlight"];

/// Tags whose first word is a name or path, quoted for the crate.
const PATH_ARGUMENT: [&str; 3] = ["post_url", "link", "include"];

/// Loops, given their offset so that the limits on them name their line.
const LOOPS: [&str; 2] = ["for", "tablerow"];

/// What a tag's name is to the parser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum TagKind {
    /// Neither a tag nor a block it knows.
    Unknown,
    /// Starts a block (`if`, `for`, `capture`).
    Opens,
    /// Ends a block (`endif`).
    Closes,
    /// A tag on its own (`assign`) or a block's branch (`else`).
    Single,
}

/// Names the parser knows: tags, blocks (with their `end` tags and the
/// `else`-like words inside them) and filters.
pub(super) trait Known {
    /// What `{% name … %}` is.
    fn tag(&self, name: &str) -> TagKind;
    /// Whether `| name` is a known filter.
    fn filter(&self, name: &str) -> bool;
}

/// A problem found while scanning: its offset in the body, message, help.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Finding {
    pub(super) at: usize,
    pub(super) message: String,
    pub(super) help: &'static str,
}

/// A body rewritten for the crate, with the way back to the original.
#[derive(Debug, Default)]
pub(super) struct Rewritten {
    pub(super) text: String,
    runs: OffsetMap,
    pub(super) findings: Vec<Finding>,
    /// Where the top-level pieces of the rewritten text start: runs of
    /// plain text, and whole Liquid elements (a block with everything up
    /// to its end tag). Rendered one by one, they tell where each piece of
    /// the output came from.
    pub(super) pieces: Vec<usize>,
}

impl Rewritten {
    /// The top-level pieces, as ranges of the rewritten text.
    pub(super) fn piece_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut bounds: Vec<usize> = self
            .pieces
            .iter()
            .map(|&b| whitespace_controlled(&self.text, b))
            .collect();
        bounds.push(self.text.len());
        bounds.dedup();
        let mut ranges = Vec::with_capacity(bounds.len());
        let mut start = 0;
        for end in bounds {
            if end > start {
                ranges.push(start..end);
                start = end;
            }
        }
        ranges
    }

    /// The original offset of rewritten offset `at`.
    pub(super) fn original(&self, at: usize) -> usize {
        self.runs.original(at)
    }

    fn copy(&mut self, body: &str, from: usize, to: usize) {
        if from < to {
            self.runs.push(self.text.len(), from, true);
            self.text.push_str(&body[from..to]);
        }
    }

    fn replace(&mut self, at: usize, with: &str) {
        self.runs.push(self.text.len(), at, false);
        self.text.push_str(with);
    }

    /// `text` as written, shown in the page: inside `{% raw %}`, with `<`
    /// and `>` escaped so that it shows even inside an HTML block.
    fn literal(&mut self, at: usize, text: &str) {
        let mut shown = text.replace('<', "&lt;").replace('>', "&gt;");
        if shown.contains("endraw") {
            shown = shown.replace('%', "&#37;");
        }
        self.replace(at, &format!("{{% raw %}}{shown}{{% endraw %}}"));
    }
}

/// A piece boundary moved over the white space that a `-%}` before it or
/// a `{%-` after it trims, so that the trim happens inside one piece.
fn whitespace_controlled(text: &str, at: usize) -> usize {
    let before = &text[..at];
    if before.ends_with("-%}") || before.ends_with("-}}") {
        let rest = &text[at..];
        return at + (rest.len() - rest.trim_start().len());
    }
    let rest = &text[at..];
    if rest.starts_with("{%-") || rest.starts_with("{{-") {
        return before.trim_end().len();
    }
    at
}

/// The inside of a `{% … %}` or `{{ … }}`, without whitespace control dashes.
fn inner(tag: &str) -> &str {
    tag[2..tag.len() - 2]
        .trim()
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim()
}

/// The tag's name: its first word.
fn name(markup: &str) -> &str {
    markup.split_whitespace().next().unwrap_or("")
}

/// The next `{% NAME %}` at or after `from`: its start and end.
fn find_tag(body: &str, from: usize, wanted: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = body[at..].find("{%") {
        let start = at + i;
        let end = start + 2 + body[start + 2..].find("%}")? + 2;
        if inner(&body[start..end]) == wanted {
            return Some((start, end));
        }
        at = start + 2;
    }
    None
}

/// The first filter in `markup` that `known` does not know.
fn unknown_filter<'m>(markup: &'m str, known: &dyn Known) -> Option<&'m str> {
    let mut quote = None;
    for (i, c) in markup.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '|') => {
                let rest = markup[i + 1..].trim_start();
                let len = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .unwrap_or(rest.len());
                let filter = &rest[..len];
                if !known.filter(filter) {
                    return Some(filter);
                }
            }
            (None, _) => {}
        }
    }
    None
}

/// `word` as a Liquid string, unless it is one already or a variable
/// written as `{{ … }}`-free Liquid would read it (`page.file`).
fn quoted(word: &str) -> String {
    let is_string = word.starts_with('"') || word.starts_with('\'');
    if is_string {
        word.to_string()
    } else if word.contains('"') {
        format!("'{word}'")
    } else {
        format!("\"{word}\"")
    }
}

struct Scanner<'a> {
    body: &'a str,
    known: &'a dyn Known,
    out: Rewritten,
    /// Closing tags known to be absent from the rest of the body; scanning
    /// only moves forward, so each is searched for in vain at most once.
    missing: Vec<String>,
    /// How many blocks are open.
    depth: usize,
    /// How many `{{ }}` and `{% %}` were read so far.
    elements: usize,
    /// The loops open: where their weight is to be written, and
    /// `elements` at their tag.
    loops: Vec<(usize, usize)>,
}

impl Scanner<'_> {
    fn warn(&mut self, at: usize, message: String, help: &'static str) {
        self.out.findings.push(Finding { at, message, help });
    }

    fn unsupported(&mut self, start: usize, end: usize, what: String) {
        let whole = &self.body[start..end];
        self.warn(
            start,
            format!("Liquid {what} in `{whole}` is not supported; left as text"),
            "folio runs standard Liquid and Jekyll's own tags and filters (see README, \
             \"Liquid in bodies\"); wrap the text in {% raw %}…{% endraw %} to show it on purpose",
        );
        self.out.literal(start, whole);
    }

    /// One `{% … %}` from `start` to `end`; returns where scanning goes on.
    fn tag(&mut self, start: usize, end: usize) -> usize {
        let whole = &self.body[start..end];
        let markup = inner(whole);
        let tag = name(markup);
        if VERBATIM.contains(&tag) {
            return self.verbatim(start, end, tag);
        }
        let kind = self.known.tag(tag);
        if kind == TagKind::Unknown {
            self.unsupported(start, end, format!("tag `{tag}`"));
            return end;
        }
        if let Some(filter) = unknown_filter(markup, self.known) {
            self.unsupported(start, end, format!("filter `{filter}`"));
            return end;
        }
        if PATH_ARGUMENT.contains(&tag) {
            self.path_argument(start, end, tag, markup);
        } else if LOOPS.contains(&tag) {
            self.located(start, end);
        } else {
            self.out.copy(self.body, start, end);
        }
        if tag.strip_prefix("end").is_some_and(|t| LOOPS.contains(&t)) {
            self.weigh_loop();
        }
        match kind {
            TagKind::Opens => self.depth += 1,
            TagKind::Closes => self.depth = self.depth.saturating_sub(1),
            TagKind::Single | TagKind::Unknown => {}
        }
        end
    }

    /// `{% post_url X %}`, `{% link X %}`, `{% include X k=v %}` with `X` quoted.
    fn path_argument(&mut self, start: usize, end: usize, tag: &str, markup: &str) {
        let rest = markup[tag.len()..].trim_start();
        let (word, params) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let mut text = format!("{{% {tag} {}", quoted(word));
        if !params.trim().is_empty() {
            text.push(' ');
            text.push_str(params.trim());
        }
        text.push_str(&format!(" {OFFSET_PARAM}={start}"));
        text.push_str(" %}");
        self.out.replace(start, &text);
        // Keep the tag's line breaks, so later lines keep their numbers.
        let breaks = self.body[start..end].matches('\n').count();
        self.out.text.extend(std::iter::repeat_n('\n', breaks));
    }

    /// A loop's tag, copied with its offset and its weight as last
    /// parameters (`folio_offset: N folio_weight: W`), so that a limit it
    /// goes past is placed at it. The weight, the number of `{{ }}` and
    /// `{% %}` in its body, is written when its end tag is read
    /// ([`Scanner::weigh_loop`]); until then it is 1, padded.
    fn located(&mut self, start: usize, end: usize) {
        let whole = &self.body[start..end];
        let close = end - if whole.ends_with("-%}") { 3 } else { 2 };
        self.out.copy(self.body, start, close);
        let params = format!(" {OFFSET_PARAM}: {start} {WEIGHT_PARAM}: ");
        let weight_at = self.out.text.len() + params.len();
        self.out
            .replace(close, &format!("{params}{:<WEIGHT_WIDTH$} ", 1));
        self.out.copy(self.body, close, end);
        self.loops.push((weight_at, self.elements));
    }

    /// Writes the weight of the loop whose end tag was just read.
    fn weigh_loop(&mut self) {
        if let Some((at, elements)) = self.loops.pop() {
            let inside = self.elements.saturating_sub(elements + 1);
            let weight = format!("{:<WEIGHT_WIDTH$}", inside + 1);
            self.out.text.replace_range(at..at + WEIGHT_WIDTH, &weight);
        }
    }

    /// `{% raw %}`, `{% comment %}`, `{% highlight %}`: copied up to their
    /// end tag, the highlight's arguments quoted.
    fn verbatim(&mut self, start: usize, end: usize, tag: &str) -> usize {
        let close = format!("end{tag}");
        let found = if self.missing.contains(&close) {
            None
        } else {
            find_tag(self.body, end, &close)
        };
        let Some((_, close_end)) = found else {
            self.missing.push(close.clone());
            let whole = &self.body[start..end];
            self.warn(
                start,
                format!("`{whole}` is never closed with {{% {close} %}}; left as text"),
                "add the closing tag",
            );
            self.out.literal(start, whole);
            return end;
        };
        if tag == "highlight" {
            let markup = inner(&self.body[start..end]);
            let words: Vec<String> = markup.split_whitespace().skip(1).map(quoted).collect();
            self.out
                .replace(start, &format!("{{% highlight {} %}}", words.join(" ")));
            self.out.text.extend(std::iter::repeat_n(
                '\n',
                self.body[start..end].matches('\n').count(),
            ));
            self.out.copy(self.body, end, close_end);
        } else {
            self.out.copy(self.body, start, close_end);
        }
        close_end
    }

    /// One `{{ … }}`.
    fn output(&mut self, start: usize, end: usize) {
        match unknown_filter(inner(&self.body[start..end]), self.known) {
            Some(filter) => self.unsupported(start, end, format!("filter `{filter}`")),
            None => self.out.copy(self.body, start, end),
        }
    }
}

/// Rewrites `body` for the crate (see the module's documentation).
pub(super) fn rewrite(body: &str, known: &dyn Known) -> Rewritten {
    let mut s = Scanner {
        body,
        known,
        out: Rewritten {
            text: String::with_capacity(body.len() + body.len() / 8),
            ..Rewritten::default()
        },
        missing: Vec::new(),
        depth: 0,
        elements: 0,
        loops: Vec::new(),
    };
    // Past the last `}}` or `%}`, no opening pair can close.
    let last_output_close = body.rfind("}}");
    let last_tag_close = body.rfind("%}");
    let mut copied = 0;
    let mut pos = 0;
    while let Some(i) = body[pos..].find('{') {
        let start = pos + i;
        let rest = &body[start..];
        let (close, last) = if rest.starts_with("{%") {
            ("%}", last_tag_close)
        } else if rest.starts_with("{{") {
            ("}}", last_output_close)
        } else {
            pos = start + 1;
            continue;
        };
        s.out.copy(body, copied, start);
        if s.depth == 0 {
            s.out.pieces.push(s.out.text.len());
        }
        let len = last
            .filter(|&l| l >= start + 2)
            .and_then(|_| rest[2..].find(close));
        let Some(len) = len else {
            // An opening pair with no end is not Liquid: plain text.
            s.out.literal(start, &rest[..2]);
            pos = start + 2;
            copied = pos;
            if s.depth == 0 {
                s.out.pieces.push(s.out.text.len());
            }
            continue;
        };
        let end = start + 2 + len + 2;
        s.elements += 1;
        pos = if close == "%}" {
            s.tag(start, end)
        } else {
            s.output(start, end);
            end
        };
        if s.depth == 0 {
            s.out.pieces.push(s.out.text.len());
        }
        copied = pos;
    }
    s.out.copy(body, copied, body.len());
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Few;
    impl Known for Few {
        fn tag(&self, name: &str) -> TagKind {
            match name {
                "if" => TagKind::Opens,
                "endif" => TagKind::Closes,
                "include" | "post_url" | "assign" => TagKind::Single,
                _ => TagKind::Unknown,
            }
        }
        fn filter(&self, name: &str) -> bool {
            ["upcase", "split"].contains(&name)
        }
    }

    #[test]
    fn unknown_tags_and_filters_become_visible_text() {
        let r = rewrite(
            "a {% tweet 1 %} {{ x | upcase | shout }} {% if a %}b{% endif %}",
            &Few,
        );
        assert_eq!(
            r.text,
            "a {% raw %}{% tweet 1 %}{% endraw %} {% raw %}{{ x | upcase | shout }}{% endraw %} {% if a %}b{% endif %}"
        );
        let at: Vec<_> = r.findings.iter().map(|f| f.at).collect();
        assert_eq!(at, [2, 16]);
        assert!(r.findings[1].message.contains("filter `shout`"));
    }

    #[test]
    fn filters_inside_quotes_are_not_filters() {
        let r = rewrite("{% assign n = \"1|2\" | split: '|' %}", &Few);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn path_arguments_are_quoted_and_offsets_map_back() {
        let body = "x {% post_url 2019-01-02-b %} y {% include a.html t=\"v\" %} z";
        let r = rewrite(body, &Few);
        assert_eq!(
            r.text,
            "x {% post_url \"2019-01-02-b\" folio_offset=2 %} y {% include \"a.html\" t=\"v\" folio_offset=32 %} z"
        );
        let z = r.text.find('z').unwrap();
        assert_eq!(r.original(z), body.find('z').unwrap());
        let inside = r.text.find("2019").unwrap();
        assert_eq!(r.original(inside), 2);
    }

    #[test]
    fn verbatim_blocks_are_not_scanned_and_lone_braces_stay_text() {
        let r = rewrite("{% raw %}{% tweet %}{% endraw %} a {{ b {% c", &Few);
        assert!(r.findings.is_empty(), "{:?}", r.findings);
        assert!(r.text.starts_with("{% raw %}{% tweet %}{% endraw %} a "));
        assert!(r.text.contains("{% raw %}{{{% endraw %}"));
    }

    #[test]
    fn pieces_are_text_runs_and_whole_top_level_elements() {
        let text = "a\n{% if x %}\n{{ y }}\n{% endif %}\nb {{ z }}\n  {%- assign q = 1 -%}  \nc";
        let r = rewrite(text, &Few);
        let pieces: Vec<&str> = r.piece_ranges().into_iter().map(|p| &r.text[p]).collect();
        assert_eq!(
            pieces,
            [
                "a\n",
                "{% if x %}\n{{ y }}\n{% endif %}",
                "\nb ",
                "{{ z }}",
                "\n  {%- assign q = 1 -%}  \n",
                "c"
            ]
        );
    }

    #[test]
    fn unclosed_openings_are_scanned_in_linear_time() {
        let many = "{{ {% raw %} {% x ".repeat(20_000);
        let r = rewrite(&many, &Few);
        assert!(r.text.len() > many.len());
    }
}
