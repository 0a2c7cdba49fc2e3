//! The grammars: each language folio highlights, as its tree-sitter
//! parser and its queries, compiled once per process; and a piece of code
//! parsed and matched with them.
//!
//! arborium compiles a language's highlight query and its injection query
//! apart and walks a block's tree once for each. folio compiles the two as
//! one query, the highlight patterns first (so each keeps its index, which
//! decides between two captures of the same text), and walks the tree
//! once: on an 18-line Rust block the injection query's own walk, for its
//! two patterns, took two thirds of the time the highlight query's did
//! (docs/PERFORMANCE.md). The spans and injections found are the same.

use arborium::advanced::Span;
use arborium::tree_sitter::{
    Language, Parser, Query, QueryCursor, QueryErrorKind, StreamingIterator,
};
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, OnceLock};

/// Declares the languages folio ships (one `lang-*` feature of arborium
/// each, in Cargo.toml): [`NAMES`] and [`sources`].
macro_rules! languages {
    ($($name:literal => $module:ident,)*) => {
        /// The name of every language folio has a grammar for.
        const NAMES: &[&str] = &[$($name),*];

        /// The parser's language, the highlight query and the injection
        /// query of the language called `name`.
        fn sources(name: &str) -> Option<(Language, &'static str, &'static str)> {
            match name {
                $($name => {
                    let highlights: &'static str = &arborium::$module::HIGHLIGHTS_QUERY;
                    let injections: &'static str = &arborium::$module::INJECTIONS_QUERY;
                    Some((arborium::$module::language().into(), highlights, injections))
                })*
                _ => None,
            }
        }
    };
}

languages! {
    "awk" => lang_awk, "bash" => lang_bash, "batch" => lang_batch, "c" => lang_c,
    "c-sharp" => lang_c_sharp, "clojure" => lang_clojure, "cmake" => lang_cmake,
    "commonlisp" => lang_commonlisp, "cpp" => lang_cpp, "css" => lang_css, "dart" => lang_dart,
    "diff" => lang_diff, "dockerfile" => lang_dockerfile, "elixir" => lang_elixir,
    "elm" => lang_elm, "erlang" => lang_erlang, "fish" => lang_fish, "go" => lang_go,
    "graphql" => lang_graphql, "groovy" => lang_groovy, "haskell" => lang_haskell,
    "hcl" => lang_hcl, "html" => lang_html, "ini" => lang_ini, "java" => lang_java,
    "javascript" => lang_javascript, "jq" => lang_jq, "json" => lang_json, "julia" => lang_julia,
    "kotlin" => lang_kotlin, "lua" => lang_lua, "make" => lang_make, "markdown" => lang_markdown,
    "nix" => lang_nix, "objc" => lang_objc, "ocaml" => lang_ocaml, "perl" => lang_perl,
    "php" => lang_php, "powershell" => lang_powershell, "proto" => lang_proto,
    "python" => lang_python, "r" => lang_r, "ruby" => lang_ruby, "rust" => lang_rust,
    "scala" => lang_scala, "scheme" => lang_scheme, "scss" => lang_scss, "sql" => lang_sql,
    "ssh-config" => lang_ssh_config, "svelte" => lang_svelte, "swift" => lang_swift,
    "toml" => lang_toml, "tsx" => lang_tsx, "typescript" => lang_typescript, "vim" => lang_vim,
    "vue" => lang_vue, "x86asm" => lang_x86asm, "xml" => lang_xml, "yaml" => lang_yaml,
    "zig" => lang_zig, "zsh" => lang_zsh,
}

/// The name folio knows `lang` by (`lang` itself, or the language an alias
/// or a file extension stands for in arborium: `rs`, `js`, `yml`, `c++`),
/// or `None` for a language it has no grammar for.
pub(super) fn canonical(lang: &str) -> Option<&'static str> {
    let name = match lang.contains(['.', '/', '\\']) {
        true => lang,
        false => arborium::detect_language(&format!("_.{lang}")).unwrap_or(lang),
    };
    NAMES.iter().copied().find(|n| *n == name)
}

/// A grammar, compiled or being compiled, or `None` when its queries do
/// not compile.
type Slot = Arc<OnceLock<Option<Arc<Grammar>>>>;

/// Every grammar asked for so far, by name (so at most one per language).
static GRAMMARS: LazyLock<Mutex<HashMap<&'static str, Slot>>> = LazyLock::new(Default::default);

/// The slot of grammar `name`, and whether this call made it.
fn slot(name: &'static str) -> (Slot, bool) {
    let mut grammars = GRAMMARS.lock().unwrap_or_else(|e| e.into_inner());
    match grammars.get(name) {
        Some(slot) => (Arc::clone(slot), false),
        None => (Arc::clone(grammars.entry(name).or_default()), true),
    }
}

/// The grammar called `name` (see [`canonical`]), compiled on first use;
/// a thread that asks while another compiles it waits for it.
pub(super) fn get(name: &'static str) -> Option<Arc<Grammar>> {
    let (slot, _) = slot(name);
    slot.get_or_init(|| Grammar::compile(name)).clone()
}

/// Starts compiling grammar `name` on a thread of its own, unless it was
/// asked for before. Where the system refuses a thread, its first block
/// compiles it.
pub(super) fn compile_ahead(name: &'static str) {
    let (slot, new) = slot(name);
    if new {
        let _ = std::thread::Builder::new().spawn(move || {
            slot.get_or_init(|| Grammar::compile(name));
        });
    }
}

/// The length of a Ruby heredoc's name from which it is not parsed (see
/// [`Grammar::can_parse`]): a little under the 256 bytes that crash it.
const MAX_HEREDOC_NAME: usize = 250;

/// The most a Svelte block's stretches without a `)` may add up to, each
/// squared, for it to be parsed (see [`Grammar::can_parse`]): about a
/// second of its scanner at worst; a real component's stretches are a few
/// hundred bytes, so a 100 KB one adds up to tens of millions.
const MAX_SQUARES: u64 = 1 << 28;

/// The run of `#` from which Swift code is not parsed (see
/// [`Grammar::can_parse`]): a raw string opens with a few.
const MAX_HASHES: usize = 1_000;

/// How many characters of nesting (`>`, list markers, indentation) may
/// start a line of Markdown or YAML for it to be parsed (see
/// [`Grammar::can_parse`]): well under the 254 levels that crash either
/// (a tab can be two levels of a list), and far over what real text nests.
const MAX_NESTING: usize = 120;

/// One language: the parser's language and its two queries as one.
pub(super) struct Grammar {
    name: &'static str,
    language: Language,
    query: Query,
    /// How many of the query's patterns are the highlight query's; the
    /// injection query's come after them.
    highlights: usize,
    /// The injection patterns' captures of the code inside and of the
    /// name of its language.
    content: Option<u32>,
    named: Option<u32>,
}

/// `query` without its top-level pattern that holds byte `offset`, or
/// `None` when no parenthesised or bracketed pattern holds it. A pattern
/// runs from its opening bracket to the closing one, with the captures
/// and quantifier that follow it on its line.
fn without_pattern_at(query: &str, offset: usize) -> Option<String> {
    let bytes = query.as_bytes();
    let (mut depth, mut start, mut at) = (0usize, 0, 0);
    while at < bytes.len() {
        match bytes[at] {
            b';' => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            b'"' => {
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
            }
            b'(' | b'[' => {
                if depth == 0 {
                    start = at;
                }
                depth += 1;
            }
            b')' | b']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    let rest = &query[at + 1..];
                    let line = rest.find('\n').unwrap_or(rest.len());
                    let tail = rest[..line]
                        .find(|c: char| !(c.is_alphanumeric() || " \t@._-*+?".contains(c)))
                        .unwrap_or(line);
                    let end = at + 1 + tail;
                    if (start..end).contains(&offset) {
                        return Some(format!("{}{}", &query[..start], &query[end..]));
                    }
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

/// A language inside a piece of code: its byte range and its name, as
/// the injection query gave them.
pub(super) struct Injection {
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) language: String,
}

/// What parsing a piece of code found: its highlights and the languages
/// inside it.
#[derive(Default)]
pub(super) struct Parsed {
    pub(super) spans: Vec<Span>,
    pub(super) injections: Vec<Injection>,
}

/// Each thread's parser and query cursor, set to each language in turn.
pub(super) struct Context {
    parser: Parser,
    cursor: QueryCursor,
}

impl Context {
    pub(super) fn new() -> Context {
        Context {
            parser: Parser::new(),
            cursor: QueryCursor::new(),
        }
    }
}

impl Grammar {
    fn compile(name: &'static str) -> Option<Arc<Grammar>> {
        let (language, highlights, injections) = sources(name)?;
        let mut highlights = highlights.to_string();
        // A highlight pattern that this tree-sitter finds can never match
        // (arborium's Perl query has one) is left out, not the language.
        let query = loop {
            match Query::new(&language, &format!("{highlights}\n{injections}")) {
                Ok(query) => break query,
                Err(e) if e.kind == QueryErrorKind::Structure && e.offset < highlights.len() => {
                    highlights = without_pattern_at(&highlights, e.offset)?;
                }
                Err(_) => return None,
            }
        };
        // Patterns are numbered in the order they are written.
        let highlights = (0..query.pattern_count())
            .take_while(|&i| query.start_byte_for_pattern(i) < highlights.len())
            .count();
        let capture = |wanted: &str| {
            let names = query.capture_names();
            names.iter().position(|n| *n == wanted).map(|i| i as u32)
        };
        let (content, named) = (capture("injection.content"), capture("injection.language"));
        Some(Arc::new(Grammar {
            name,
            language,
            query,
            highlights,
            content,
            named,
        }))
    }

    /// Whether this grammar's parser can be given `text`: `false` for the
    /// code that its scanner (C, inside arborium) is known to crash the
    /// process on, which is then written as plain text.
    ///
    /// - PHP: any heredoc or nowdoc (`<<<`). At a heredoc's end the
    ///   scanner removes it from its stack through a macro that evaluates
    ///   its argument twice, and reads outside its memory (fixed in
    ///   tree-sitter-php, not yet in arborium 2.18.2, its newest release).
    /// - Ruby: a heredoc whose name is 256 bytes or longer (`<<~AAA…`):
    ///   the scanner saves the name's length in one byte, and an assertion
    ///   fails when its state is read back.
    /// - Markdown: 255 blockquotes or list items inside each other, and
    ///   YAML: 254 collections inside each other. The scanner saves 4 bytes
    ///   a level into tree-sitter's 1,024-byte buffer without checking its
    ///   size, and tree-sitter's assertion fails. Each level takes at
    ///   least a character at the start of a line (`>`, `- `, a space), so
    ///   a line that starts with [`MAX_NESTING`] of them is not parsed.
    ///
    /// And the code its scanner would take minutes on, in a loop that
    /// parsing's own time limit (`MAX_PARSE_TIME`) cannot stop:
    ///
    /// - Svelte: after a syntax error the scanner looks ahead to the next
    ///   `)` from every position, so the time is the sum of the squares of
    ///   the stretches without one (`{` and 70,000 letters: minutes);
    ///   [`MAX_SQUARES`] bounds it.
    /// - Swift: a run of `#` before a `"` that opens no raw string is read
    ///   again from each `#`; a run of [`MAX_HASHES`] is not parsed.
    pub(super) fn can_parse(&self, text: &str) -> bool {
        // The longest run at a line's start of characters from `set`.
        let deepest = |set: &str| {
            text.lines()
                .map(|line| line.chars().take_while(|c| set.contains(*c)).count())
                .max()
                .unwrap_or(0)
        };
        match self.name {
            "markdown" => deepest(" \t>-*+.)0123456789") < MAX_NESTING,
            "svelte" => {
                let square = |s: &str| (s.len() as u64).saturating_mul(s.len() as u64);
                let squares = text.split(')').map(square);
                squares.fold(0u64, u64::saturating_add) < MAX_SQUARES
            }
            "swift" => !text.contains(&"#".repeat(MAX_HASHES)),
            "yaml" => deepest(" \t?:-") < MAX_NESTING,
            "php" => !text.contains("<<<"),
            "ruby" => !text.match_indices("<<").any(|(at, _)| {
                let rest = text[at + 2..].trim_start_matches(['~', '-']);
                let name: Box<dyn Iterator<Item = u8>> = match rest.bytes().next() {
                    Some(q @ (b'\'' | b'"' | b'`')) => {
                        Box::new(rest.bytes().skip(1).take_while(move |&b| b != q))
                    }
                    _ => Box::new(
                        rest.bytes()
                            .take_while(|&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80),
                    ),
                };
                name.take(MAX_HEREDOC_NAME).count() == MAX_HEREDOC_NAME
            }),
            _ => true,
        }
    }

    /// Parses `text` and matches the queries on it, in one walk of its
    /// tree. `None` when the parser refuses the language, or `text` would
    /// crash it ([`Grammar::can_parse`]) or is over the limits of long code
    /// (`parse_within_limits`).
    pub(super) fn parse(&self, ctx: &mut Context, text: &str) -> Option<Parsed> {
        if !self.can_parse(text) {
            return None;
        }
        ctx.parser.set_language(&self.language).ok()?;
        let tree = super::parse_within_limits(&mut ctx.parser, text)?;
        let mut parsed = Parsed::default();
        let source = text.as_bytes();
        let names = self.query.capture_names();
        let mut matches = ctx.cursor.matches(&self.query, tree.root_node(), source);
        while let Some(m) = matches.next() {
            let pattern = m.pattern_index;
            if pattern < self.highlights {
                for capture in m.captures {
                    let name = names[capture.index as usize];
                    // Captures for the query's own use, and injections
                    // (which only the injection query's patterns make).
                    if name.starts_with('_') || name.starts_with("injection.") {
                        continue;
                    }
                    parsed.spans.push(Span {
                        start: capture.node.start_byte() as u32,
                        end: capture.node.end_byte() as u32,
                        capture: name.to_string(),
                        pattern_index: pattern as u32,
                    });
                }
                continue;
            }
            // The language is set by the pattern (the last setting), or
            // else captured.
            let mut language = self
                .query
                .property_settings(pattern)
                .iter()
                .rev()
                .filter(|p| &*p.key == "injection.language")
                .find_map(|p| p.value.as_deref())
                .map(str::to_string);
            let mut content = None;
            for capture in m.captures {
                if Some(capture.index) == self.content {
                    content = Some(capture.node);
                } else if Some(capture.index) == self.named && language.is_none() {
                    language = capture.node.utf8_text(source).ok().map(str::to_string);
                }
            }
            if let (Some(node), Some(language)) = (content, language) {
                parsed.injections.push(Injection {
                    start: node.start_byte() as u32,
                    end: node.end_byte() as u32,
                    language,
                });
            }
        }
        Some(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arborium::GrammarStore;
    use arborium::advanced::ParseContext;

    /// Code in several languages at once, so that every grammar meets
    /// some of its own syntax and some it must recover from.
    const POLYGLOT: &str = "#!/bin/sh\n# comment\n/* block */ // line\nfn main() { let x = vec![1, 2]; println!(\"{x:?}\"); }\ndef f(a, b=2):\n    return a  # py\nconst s = `t${1}`; function g() { return s; }\n<div class=\"a\"><script>let j = 1;</script><style>p { color: red; }</style></div>\nkey: [1, 2.5, \"three\", true]\n[section]\nname = \"value\"\nSELECT a, b FROM t WHERE c = 'd';\n";

    /// Blocks whose languages hold other languages.
    const NESTED: &[(&str, &str)] = &[
        (
            "rust",
            "macro_rules! m { ($x:expr) => { println!(\"{}\", $x) }; }\nfn main() { m!(vec![1, 2].len()); assert_eq!(1, 1, \"{}\", format!(\"{:?}\", (1, 2))); }\n",
        ),
        (
            "html",
            "<!doctype html>\n<style>body { color: red; }</style>\n<script>let a = `t${1}`; console.log(a);</script>\n<p onclick=\"go()\">x</p>\n",
        ),
        (
            "markdown",
            "# Title\n\n```js\nconst x = 1;\n```\n\n```python\ndef f(): pass\n```\n\nSome *text* and `code`.\n",
        ),
        (
            "vue",
            "<template><p>{{ msg }}</p></template>\n<script>export default { data() { return { msg: 1 } } }</script>\n<style>p { color: red; }</style>\n",
        ),
        (
            "svelte",
            "<script>let n = 0;</script>\n<button on:click={() => n++}>{n}</button>\n<style>button { margin: 0; }</style>\n",
        ),
        (
            "php",
            "<?php\n/** @param int $a */\nfunction f($a) { echo \"hi\"; }\n",
        ),
    ];

    /// Spans (range, capture, pattern) and injections (range, language).
    type Found = (Vec<(u32, u32, String, u32)>, Vec<(u32, u32, String)>);

    /// Spans and injections in an order that does not depend on the walk.
    fn sorted(spans: Vec<Span>, mut injections: Vec<(u32, u32, String)>) -> Found {
        let mut spans: Vec<_> = spans
            .into_iter()
            .map(|s| (s.start, s.end, s.capture, s.pattern_index))
            .collect();
        spans.sort();
        injections.sort();
        (spans, injections)
    }

    /// What arborium's own highlighter finds, queries walked one at a time.
    fn expected(store: &GrammarStore, name: &str, code: &str) -> Found {
        let grammar = store.get(name).expect("arborium compiles it");
        let mut ctx = ParseContext::for_grammar(&grammar).unwrap();
        let result = grammar.parse(&mut ctx, code);
        let injections = result.injections.into_iter();
        sorted(
            result.spans,
            injections.map(|i| (i.start, i.end, i.language)).collect(),
        )
    }

    /// What folio finds, in one walk.
    fn found(name: &'static str, code: &str) -> Found {
        let grammar = get(name).unwrap_or_else(|| panic!("folio compiles {name}"));
        let parsed = grammar.parse(&mut Context::new(), code).unwrap();
        let injections = parsed.injections.into_iter();
        sorted(
            parsed.spans,
            injections.map(|i| (i.start, i.end, i.language)).collect(),
        )
    }

    #[test]
    fn one_walk_finds_what_arborium_finds_walking_each_query() {
        let store = GrammarStore::new();
        // arborium refuses Perl's queries whole (see the next test).
        let theirs: Vec<&str> = NAMES
            .iter()
            .copied()
            .filter(|n| store.get(n).is_some())
            .collect();
        assert_eq!(theirs.len(), NAMES.len() - 1);
        for name in theirs {
            assert_eq!(
                found(name, POLYGLOT),
                expected(&store, name, POLYGLOT),
                "{name}"
            );
        }
        for &(name, code) in NESTED {
            let name = canonical(name).unwrap();
            let (spans, injections) = found(name, code);
            assert!(!spans.is_empty() && !injections.is_empty(), "{name}");
            assert_eq!((spans, injections), expected(&store, name, code), "{name}");
        }
    }

    #[test]
    fn a_pattern_that_can_never_match_costs_that_pattern_not_the_language() {
        // arborium's Perl highlight query holds a pattern that tree-sitter
        // finds impossible, so arborium compiles none of it.
        assert!(GrammarStore::new().get("perl").is_none());
        let (spans, _) = found("perl", "my $x = 1; # a comment\nprint \"$x\\n\";\n");
        let captures: Vec<&str> = spans.iter().map(|s| s.2.as_str()).collect();
        assert!(captures.contains(&"comment"), "{captures:?}");
        assert!(captures.contains(&"string"), "{captures:?}");
        let query = "(a) @x\n; (b\n(b \"(\" [(c) (d)]) @y.z\n[\"e\"] @e\n";
        let at = query.find("(c)").unwrap();
        assert_eq!(
            without_pattern_at(query, at).unwrap(),
            "(a) @x\n; (b\n\n[\"e\"] @e\n"
        );
        assert_eq!(
            without_pattern_at(query, 0).unwrap(),
            "\n; (b\n(b \"(\" [(c) (d)]) @y.z\n[\"e\"] @e\n"
        );
        assert_eq!(without_pattern_at(query, query.find("; (b").unwrap()), None);
    }

    #[test]
    fn code_a_scanner_would_crash_or_stall_on_is_told_apart() {
        let can = |name, text: &str| get(name).unwrap().can_parse(text);
        assert!(!can("php", "<?php <<<EOT\nEOT"));
        assert!(can("php", "<?php echo 'a' . PHP_EOL;"));
        assert!(!can("ruby", &format!("x = <<~{}", "A".repeat(256))));
        assert!(!can("ruby", &format!("x = <<-\"{} \"", "A".repeat(255))));
        assert!(can("ruby", &format!("x = <<~{}\nhi\n{0}", "A".repeat(200))));
        assert!(!can("markdown", &format!("{}x", "> ".repeat(128))));
        assert!(can("markdown", "> - quoted\n>   - list\n"));
        assert!(!can("yaml", &format!("{}x", "- ".repeat(127))));
        assert!(can("yaml", "a:\n  - b: [1, 2]\n"));
        assert!(!can("svelte", &format!("{{{}", "a".repeat(20_000))));
        assert!(can(
            "svelte",
            &"<p on:click={() => n++}>{n}</p>\n".repeat(3_000)
        ));
        assert!(!can("swift", &format!("let s = {}\"", "#".repeat(1_000))));
        assert!(can("swift", "let s = ##\"raw \"# text\"##"));
        assert!(can("rust", &">".repeat(1_000)));
    }

    #[test]
    fn names_aliases_and_extensions_lead_to_one_grammar() {
        assert_eq!(canonical("rust"), Some("rust"));
        assert_eq!(canonical("rs"), Some("rust"));
        assert_eq!(canonical("js"), Some("javascript"));
        assert_eq!(canonical("yml"), Some("yaml"));
        assert_eq!(canonical("c++"), Some("cpp"));
        assert_eq!(canonical("golang"), Some("go"));
        assert_eq!(canonical("nginx"), None);
        assert_eq!(canonical("no-such-language"), None);
        assert_eq!(canonical("x.rs"), None);
    }
}
