//! Syntax highlighting at build time, with syntect (Sublime Text grammars,
//! matched by the pure-Rust fancy-regex) and the extra grammars of
//! two-face (TOML, TypeScript, Dockerfile, …). This is the only module that
//! knows either crate.
//!
//! Code comes out as spans with classes, never inline styles: each class
//! is an atom of the grammar's scope with the prefix `z-` (`z-comment`,
//! `z-string`, `z-keyword`, as Zola writes them), and the site's
//! stylesheet colours them (`static/css/highlight.css` in the real site,
//! for light and dark schemes). Every line's spans are closed at its end
//! and opened again on the next, so a line can be wrapped on its own (line
//! numbers, highlighted lines) and the HTML nests.
//!
//! The grammars are loaded once per process, the first time a known
//! language is highlighted ([`SYNTAXES`]); a site without code never pays.

use super::escape_html;
use std::sync::LazyLock;
use syntect::html::{ClassStyle, line_tokens_to_classed_spans};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

/// The grammars, loaded on first use and shared by every page and thread.
static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Every class is a scope atom with this prefix.
const PREFIX: &str = "z-";

/// How a code block's lines are shown, from its fence's options.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LineOptions {
    /// Number the lines (`linenos`).
    pub(crate) numbers: bool,
    /// The first line's number (`linenostart`, default 1).
    pub(crate) first_number: usize,
    /// Lines to mark, 1-based from the block's first line (`hl_lines`),
    /// as inclusive ranges.
    pub(crate) marked: Vec<(usize, usize)>,
}

impl LineOptions {
    /// Whether any line is wrapped in its own element.
    fn wraps_lines(&self) -> bool {
        self.numbers || !self.marked.is_empty()
    }

    fn is_marked(&self, line: usize) -> bool {
        self.marked.iter().any(|&(a, b)| (a..=b).contains(&line))
    }

    /// Reads one option, `key` or `key=value`, as Hugo, Zola and Jekyll
    /// write them (`linenos`, `linenos=true`, `hl_lines=[2, "4-5"]`,
    /// `hl_lines=2 4-5`, `mark_lines="2 4"`, `linenostart=10`). Unknown
    /// keys and values are ignored, as the peers do.
    pub(crate) fn set(&mut self, option: &str) {
        let (key, value) = option.split_once('=').unwrap_or((option, "true"));
        let value = value.trim().trim_matches(['"', '\'']);
        match key.trim() {
            "linenos" => self.numbers = !matches!(value, "false" | "none"),
            "linenostart" => self.first_number = value.parse().unwrap_or(1),
            "hl_lines" | "mark_lines" | "highlight_lines" => {
                let list = value.trim_matches(['[', ']']);
                let items = list
                    .split([',', ' '])
                    .map(|i| i.trim().trim_matches(['"', '\'']));
                self.marked.extend(items.filter_map(line_range));
            }
            _ => {}
        }
    }
}

/// `4` or `4-6` as an inclusive range of lines.
fn line_range(item: &str) -> Option<(usize, usize)> {
    let (a, b) = item.split_once('-').unwrap_or((item, item));
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}

/// A fence's info string (` ```rust {linenos=true, hl_lines=[2]} `, or
/// Zola's ` ```rust,linenos,hl_lines=2 4-5 `) as its language and options.
pub(crate) fn read_fence(info: &str) -> (&str, LineOptions) {
    let info = info.trim();
    let end = info.find([' ', '\t', ',', '{']).unwrap_or(info.len());
    let (lang, rest) = info.split_at(end);
    let rest = rest.trim().trim_start_matches(',').trim();
    let rest = rest
        .strip_prefix('{')
        .map_or(rest, |r| r.trim_end().trim_end_matches('}'));
    let mut options = LineOptions::default();
    for option in split_options(rest) {
        options.set(option);
    }
    (lang, options)
}

/// Splits options at commas outside brackets (`a=1, b=[1, 2]`).
fn split_options(text: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0usize;
    text.split(move |c: char| {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        c == ',' && depth == 0
    })
    .map(str::trim)
    .filter(|o| !o.is_empty())
}

/// The grammar for `lang` (a name or a file extension, any case), when
/// there is one worth using: plain text is no language.
fn syntax_for(lang: &str) -> Option<&'static SyntaxReference> {
    if lang.is_empty() || matches!(lang, "text" | "txt" | "plain" | "plaintext") {
        return None;
    }
    let syntaxes = &*SYNTAXES;
    syntaxes
        .find_syntax_by_token(lang)
        .or_else(|| syntaxes.find_syntax_by_token(&lang.to_ascii_lowercase()))
}

/// Highlights `code` as `lang`: the HTML inside its `<code>` element, with
/// each line on its own line (so the block keeps its line count). `None`
/// when folio knows no grammar for `lang` (the caller writes the code as
/// plain text) or the grammar fails on it.
///
/// This is the one entry point for highlighting: the Markdown renderer
/// calls it for fenced code, and Liquid's `{% highlight %}` for its blocks.
pub(crate) fn highlight(code: &str, lang: &str, options: &LineOptions) -> Option<String> {
    let syntax = syntax_for(lang)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut html = String::with_capacity(code.len() * 3);
    for (i, line) in LinesWithEndings::from(code).enumerate() {
        let ops = state.parse_line(line, &SYNTAXES).ok()?;
        if options.wraps_lines() {
            open_line(&mut html, options, i + 1);
        }
        for scope in stack.as_slice() {
            open_span(&mut html, *scope);
        }
        let style = ClassStyle::SpacedPrefixed { prefix: PREFIX };
        let (spans, _) = line_tokens_to_classed_spans(line, &ops, style, &mut stack).ok()?;
        // The line's end goes after its spans are closed: the only line
        // break in `spans` is the line's own (bodies' line endings are
        // `\n` alone by now).
        html.push_str(&spans.replacen('\n', "", 1));
        html.push_str(&"</span>".repeat(stack.len()));
        if options.wraps_lines() {
            html.push_str("</span>");
        }
        if line.ends_with('\n') {
            html.push('\n');
        }
    }
    Some(html)
}

/// Opens the element of line `line` (1-based in the block), with its
/// number when lines are numbered.
fn open_line(html: &mut String, options: &LineOptions, line: usize) {
    let marked = if options.is_marked(line) { " hl" } else { "" };
    html.push_str(&format!("<span class=\"line{marked}\">"));
    if options.numbers {
        let number = options.first_number.max(1).saturating_add(line - 1);
        html.push_str(&format!(
            "<span class=\"ln\" aria-hidden=\"true\">{number}</span>"
        ));
    }
}

/// Opens the span of a scope that a line starts inside of.
fn open_span(html: &mut String, scope: Scope) {
    html.push_str("<span class=\"");
    for (i, atom) in scope.build_string().split('.').enumerate() {
        if i > 0 {
            html.push(' ');
        }
        html.push_str(PREFIX);
        html.push_str(atom);
    }
    html.push_str("\">");
}

/// A whole code block: `<pre class="highlight"><code …>` with the code
/// highlighted when `lang` is known, else as plain, escaped text. `lead`
/// goes right after `<pre …>`, where HTML drops a line break (Liquid's
/// blocks keep their tag's line break there, so lines keep their numbers).
pub(crate) fn code_block(lead: &str, code: &str, lang: &str, options: &LineOptions) -> String {
    let inner = highlight(code, lang, options).unwrap_or_else(|| escape_html(code));
    let mut html = String::with_capacity(inner.len() + 80);
    html.push_str("<pre class=\"highlight\">");
    html.push_str(lead);
    html.push_str("<code");
    if !lang.is_empty() {
        let lang = escape_html(lang);
        html.push_str(&format!(" class=\"language-{lang}\" data-lang=\"{lang}\""));
    }
    html.push('>');
    html.push_str(&inner);
    html.push_str("</code></pre>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_hugo_and_zola_fence_options() {
        let (lang, o) = read_fence("rust {linenos=true, hl_lines=[2, \"4-5\"]}");
        assert_eq!(lang, "rust");
        assert!(o.numbers);
        assert_eq!(o.marked, [(2, 2), (4, 5)]);
        let (lang, o) = read_fence("rust,linenos,hl_lines=2 4-5,linenostart=10");
        assert_eq!(lang, "rust");
        assert!(o.numbers);
        assert_eq!(o.marked, [(2, 2), (4, 5)]);
        assert_eq!(o.first_number, 10);
        let (lang, o) = read_fence("python");
        assert_eq!((lang, o), ("python", LineOptions::default()));
    }

    #[test]
    fn every_line_closes_its_spans() {
        let code = "/* a\nlong comment */\nfn main() {}\n";
        let html = highlight(code, "rust", &LineOptions::default()).unwrap();
        assert_eq!(html.lines().count(), 3);
        for line in html.lines() {
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
        assert!(html.lines().nth(1).unwrap().contains("z-comment"), "{html}");
    }

    #[test]
    fn unknown_languages_are_not_highlighted() {
        assert_eq!(
            highlight("x", "no-such-language", &LineOptions::default()),
            None
        );
        assert_eq!(highlight("x", "text", &LineOptions::default()), None);
        assert!(code_block("", "a < b", "nope", &LineOptions::default()).contains("a &lt; b"));
    }
}
