//! Syntax highlighting at build time, with arborium: tree-sitter grammars
//! (C parsers compiled into folio) and their highlight queries. This is
//! the only module that knows the arborium crates.
//!
//! Code comes out as spans with classes, never inline styles: each class
//! is the token's kind with the prefix `z-` (`z-comment`, `z-string`,
//! `z-keyword`, `z-function`, `z-type`, …: arborium's 27 kinds), and the
//! site's stylesheet colours them (`static/css/highlight.css` in the built-in
//! theme, for light and dark schemes). Spans never nest, and a token that
//! runs over several lines (a block comment) is closed at each line's end
//! and opened again on the next, so each line can be wrapped on its own
//! (line numbers, highlighted lines).
//!
//! A language's grammar is compiled once per process (module
//! [`grammar`]): ahead, as soon as a content file that names it is read
//! ([`prefetch`]), or else the first time a block of it is highlighted;
//! each thread keeps its own parser ([`CONTEXT`]); a site without code
//! never pays.
//!
//! Languages inside a block (JavaScript in HTML's `<script>`, Rust in a
//! Rust macro's arguments) are parsed with their own grammar, as the
//! grammar's injection query asks, to [`MAX_INJECTION_DEPTH`] levels, as
//! arborium's own highlighter does; see [`collect`] and module [`grammar`]
//! for where folio differs from it.

mod grammar;

use super::{escape_html, push_escaped};
use arborium::advanced::Span;
use arborium::tree_sitter::{ParseOptions, Parser, Tree};
use grammar::{Context, Grammar};
use std::cell::RefCell;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

thread_local! {
    /// Each thread's parser and query cursor, set to each grammar in turn.
    static CONTEXT: RefCell<Context> = RefCell::new(Context::new());
}

/// How many levels of languages inside languages are highlighted
/// (arborium's default).
const MAX_INJECTION_DEPTH: u32 = 3;

/// What a Rust macro's arguments are parsed inside: the body of a function,
/// where `(a, b)`, `[1, 2]` or `{ … }` is the expression it nearly always
/// is. Parsed alone, as a file, they are not Rust items, and tree-sitter's
/// error recovery made a `println!` with arguments cost about three times
/// its parse as an expression. The classes come out the same: compared on
/// folio's own Rust and 560 files of its dependencies (tokio, serde, syn,
/// clap, axum, tera…), one file differed, by three tokens of a macro's own
/// syntax (`stable: { … }`).
const RUST_ARGUMENTS: (&str, &str) = ("fn _m(){", ";}");

/// Every class is a token kind with this prefix.
const PREFIX: &str = "z-";

/// How much work matching the grammar's queries may take on one block
/// (see [`query_cost`]) for it to be highlighted. tree-sitter's query
/// cursor looks, at each node, through its ancestors and through the
/// siblings after it for a named one, so a block nested ever deeper or a
/// long run of bare punctuation (100,000 open brackets) takes minutes;
/// real code costs a few steps per node (a 17,000-line Rust file about
/// 1.6 million). A block over the budget is left plain.
const MAX_QUERY_COST: u64 = 50_000_000;

/// How long parsing one block may take for it to be highlighted. Some
/// grammars' scanners (HTML's, with its stack of open tags) take time in
/// step with what is still open at each token, so 100,000 unclosed `<div>`
/// would take minutes; real code parses at megabytes a second. This is the
/// one limit measured in time, so a block this slow to parse could come
/// out highlighted on a faster machine: no real block comes near it.
const MAX_PARSE_TIME: Duration = Duration::from_secs(1);

/// Blocks shorter than this are never that slow (a millisecond at worst),
/// so they are parsed without the clock and the cost count.
const CHECKED_FROM: usize = 1_024;

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

/// The grammar name for `lang` as a fence writes it (a name or a file
/// extension, any case: `rust`, `rs`, `Python`, `sh`, `yml`); `None` for
/// plain text and for a language folio has no grammar for. arborium knows
/// the common aliases; these are the ones it lacks.
fn grammar_name(lang: &str) -> Option<&'static str> {
    let lang = lang.to_ascii_lowercase();
    let name = match lang.as_str() {
        "" | "text" | "txt" | "plain" | "plaintext" => return None,
        "c#" => "c-sharp",
        "makefile" | "mk" | "mak" => "make",
        "shellscript" => "bash",
        "containerfile" => "dockerfile",
        other => other,
    };
    grammar::canonical(name)
}

/// Starts compiling, each on a thread of its own, the grammars of the
/// code blocks in `body` (Markdown fences, Liquid's `{% highlight %}`)
/// that no earlier call asked for. Called as each content file is read,
/// so a grammar is ready by the time bodies are rendered: otherwise every
/// rendering thread meets its first block at the same moment and each
/// compiles the grammar (a tenth of a second for Rust's). The scan is by
/// line and approximate (a fence shown inside another is taken too); a
/// language it misses is compiled at its first block, as before. Only
/// languages folio has a grammar for start a thread, so at most one per
/// grammar it ships, whatever names a body makes up.
pub(crate) fn prefetch(body: &str) {
    for name in block_languages(body).filter_map(grammar_name) {
        grammar::compile_ahead(name);
    }
}

/// The languages code blocks in `body` name, line by line: a fence
/// (` ```lang ` or `~~~lang`, indented by up to three spaces) or a
/// `{% highlight lang %}` tag at a line's start.
fn block_languages(body: &str) -> impl Iterator<Item = &str> {
    body.lines().filter_map(|line| {
        let text = line.trim_start_matches(' ');
        if line.len() - text.len() > 3 {
            return None;
        }
        let lang = if text.starts_with("```") || text.starts_with("~~~") {
            read_fence(text.trim_start_matches(['`', '~'])).0
        } else {
            let tag = text
                .strip_prefix("{%")?
                .trim_start_matches('-')
                .trim_start();
            let rest = tag.strip_prefix("highlight")?;
            rest.split_whitespace().next()?
        };
        (!lang.is_empty()).then_some(lang)
    })
}

/// Highlights `code` as `lang`: the HTML inside its `<code>` element, with
/// each line on its own line (so the block keeps its line count). `None`
/// when folio knows no grammar for `lang` (the caller writes the code as
/// plain text).
///
/// This is the one entry point for highlighting: the Markdown renderer
/// calls it for fenced code, and Liquid's `{% highlight %}` for its blocks.
pub(crate) fn highlight(code: &str, lang: &str, options: &LineOptions) -> Option<String> {
    let name = grammar_name(lang)?;
    let grammar = grammar::get(name)?;
    let mut spans = Vec::new();
    CONTEXT
        .with_borrow_mut(|ctx| collect(ctx, &grammar, name, code, ("", ""), 0, 0, &mut spans))?;
    let tokens: Vec<Token> = arborium_highlight::spans_to_flat_tokens(code, spans)
        .iter()
        .filter_map(|t| {
            let kind = arborium_theme::tag_to_name(t.tag)?;
            let (start, end) = (t.start as usize, t.end as usize);
            let fits = start < end && code.is_char_boundary(start) && code.is_char_boundary(end);
            fits.then_some((start, end, kind))
        })
        .collect();
    Some(lines(code, &tokens, options))
}

/// Adds to `spans` the highlights of `text` as `language` (parsed with
/// `grammar`, its own), at `base` in the block, and those of the languages
/// inside it, `depth` levels down (0 for the block itself). `wrap` is put
/// around `text` for the parse and its spans left out
/// ([`RUST_ARGUMENTS`]). `None` when the parser refuses the grammar, or
/// `text` would crash it or cost too much ([`Grammar::parse`]): then
/// nothing is added, and code inside a block stays as its host left it.
#[allow(clippy::too_many_arguments)]
fn collect(
    ctx: &mut Context,
    grammar: &Grammar,
    language: &str,
    text: &str,
    wrap: (&str, &str),
    base: u32,
    depth: u32,
    spans: &mut Vec<Span>,
) -> Option<()> {
    let result = if wrap.0.is_empty() {
        grammar.parse(ctx, text)?
    } else {
        grammar.parse(ctx, &format!("{}{text}{}", wrap.0, wrap.1))?
    };
    // Offsets in the parsed text: `text` is at `at..end`.
    let at = wrap.0.len() as u32;
    let end = at + text.len() as u32;
    spans.extend(result.spans.into_iter().filter_map(|mut span| {
        if !wrap.0.is_empty() {
            if span.end <= at || span.start >= end {
                return None;
            }
            span.start = span.start.clamp(at, end);
            span.end = span.end.clamp(at, end);
        }
        span.start = span.start - at + base;
        span.end = span.end - at + base;
        Some(span)
    }));
    if depth == MAX_INJECTION_DEPTH {
        return Some(());
    }
    for injection in result.injections {
        let (start, stop) = (injection.start, injection.end);
        if start < at || stop > end || start >= stop {
            continue;
        }
        // Nodes end at characters' ends; a slice that would not is left
        // out rather than trusted.
        let Some(inner) = text.get((start - at) as usize..(stop - at) as usize) else {
            continue;
        };
        // A language folio has no grammar for stays as its host left it.
        let Some(name) = grammar::canonical(&injection.language) else {
            continue;
        };
        let Some(inner_grammar) = grammar::get(name) else {
            continue;
        };
        let wrap = match (language, name) {
            ("rust", "rust") => RUST_ARGUMENTS,
            _ => ("", ""),
        };
        let _ = collect(
            ctx,
            &inner_grammar,
            name,
            inner,
            wrap,
            base + start - at,
            depth + 1,
            spans,
        );
    }
    Some(())
}

/// A token of highlighted code: its byte range and its kind.
type Token = (usize, usize, &'static str);

/// `code` as HTML, line by line: each token in a span of its kind (cut at
/// line ends), each line wrapped when `options` number or mark lines.
/// With no tokens, the code as plain, escaped text.
fn lines(code: &str, tokens: &[Token], options: &LineOptions) -> String {
    let mut tokens = tokens.iter().peekable();
    let mut html = String::with_capacity(code.len() * 3);
    let mut line_start = 0;
    for (i, line) in code.split_inclusive('\n').enumerate() {
        let text = line.strip_suffix('\n').unwrap_or(line);
        let line_end = line_start + text.len();
        if options.wraps_lines() {
            open_line(&mut html, options, i + 1);
        }
        // Tokens that start before the line's end, cut to the line: a
        // token that runs on is kept for the next line.
        let mut at = line_start;
        while let Some(&&(start, end, kind)) = tokens.peek() {
            if start >= line_end {
                break;
            }
            let (from, to) = (start.max(at), end.min(line_end));
            if from < to {
                push_escaped(&mut html, &code[at..from]);
                html.push_str("<span class=\"");
                html.push_str(PREFIX);
                html.push_str(kind);
                html.push_str("\">");
                push_escaped(&mut html, &code[from..to]);
                html.push_str("</span>");
                at = to;
            }
            if end > line_end {
                break;
            }
            tokens.next();
        }
        push_escaped(&mut html, &code[at..line_end]);
        if options.wraps_lines() {
            html.push_str("</span>");
        }
        if line.ends_with('\n') {
            html.push('\n');
        }
        line_start += line.len();
    }
    html
}

/// `code` parsed with `parser` (set to its language), held to the limits
/// of long code (from [`CHECKED_FROM`] bytes): `None` when parsing takes
/// over [`MAX_PARSE_TIME`] or matching the queries would cost over
/// [`MAX_QUERY_COST`]. The parse is the one the queries then run on.
fn parse_within_limits(parser: &mut Parser, code: &str) -> Option<Tree> {
    if code.len() < CHECKED_FROM {
        return parser.parse(code, None);
    }
    let started = Instant::now();
    let mut give_up = |_: &_| match started.elapsed() > MAX_PARSE_TIME {
        true => ControlFlow::Break(()),
        false => ControlFlow::Continue(()),
    };
    let options = ParseOptions::new().progress_callback(&mut give_up);
    let bytes = code.as_bytes();
    let mut read = |at: usize, _| bytes.get(at..).unwrap_or_default();
    let tree = parser.parse_with_options(&mut read, None, Some(options));
    if tree.is_none() {
        // The parse was given up, and the parser must forget it.
        parser.reset();
    }
    tree.filter(|tree| query_cost(tree) <= MAX_QUERY_COST)
}

/// An upper bound of the steps tree-sitter's query cursor takes on `tree`:
/// each node's depth, plus, for each run of unnamed siblings (tokens such
/// as brackets), the run's length for each of its nodes.
fn query_cost(tree: &Tree) -> u64 {
    let mut cursor = tree.walk();
    let mut cost = 0u64;
    // The current run of unnamed siblings at each level, the node's own last.
    let mut runs = vec![0u64];
    loop {
        let node = cursor.node();
        let run = runs.last_mut().expect("one run per level");
        *run = if node.is_named() { 0 } else { *run + 1 };
        cost += u64::from(cursor.depth()) + *run;
        if cost > MAX_QUERY_COST {
            return cost;
        }
        if cursor.goto_first_child() {
            runs.push(0);
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return cost;
            }
            runs.pop();
        }
    }
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

/// A whole code block: `<pre class="highlight"><code …>` with the code
/// highlighted when `lang` is known, else as plain, escaped text (its
/// lines numbered and marked all the same). `lead`
/// goes right after `<pre …>`, where HTML drops a line break (Liquid's
/// blocks keep their tag's line break there, so lines keep their numbers).
pub(crate) fn code_block(lead: &str, code: &str, lang: &str, options: &LineOptions) -> String {
    let inner = highlight(code, lang, options).unwrap_or_else(|| lines(code, &[], options));
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
    fn finds_the_languages_blocks_ask_for_ahead() {
        let body = "Intro with `inline` code.\n\n```rust {linenos=true}\nfn main() {}\n```\n\n   ~~~python\nx = 1\n~~~\n\n    ```go\nindented: code, not a fence\n\n{% highlight ruby linenos %}\nputs 1\n{% endhighlight %}\n{%- highlight js -%}\n```\n";
        let found: Vec<&str> = block_languages(body).collect();
        assert_eq!(found, ["rust", "python", "ruby", "js"]);
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
