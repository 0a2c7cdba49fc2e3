//! Syntax highlighting at build time: fenced code and `{% highlight %}`
//! blocks come out as spans with classes, with line numbers and marked
//! lines as fence options; unknown languages stay plain.

use crate::support::{Site, attrs, texts};
use scraper::{ElementRef, Html, Selector};

fn select<'a>(doc: &'a Html, selector: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(selector).unwrap()).collect()
}

/// A code element's text without its line numbers.
fn code_text(code: ElementRef) -> String {
    code.descendants()
        .filter_map(|n| n.value().as_text().map(|t| (n, t)))
        .filter(|(n, _)| {
            !n.ancestors()
                .filter_map(ElementRef::wrap)
                .any(|e| e.value().classes().any(|c| c == "ln"))
        })
        .map(|(_, t)| t.to_string())
        .collect()
}

fn built() -> (Site, Html) {
    let site = Site::fixture("highlight");
    let run = site.build().ok();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    let doc = site.html("posts/code/index.html");
    (site, doc)
}

#[test]
fn known_languages_come_out_as_classed_spans_without_styles() {
    let (_site, doc) = built();
    for lang in ["rust", "python", "yaml", "ruby"] {
        let selector = format!("pre.highlight code.language-{lang}");
        let code = select(&doc, &selector);
        assert!(!code.is_empty(), "{lang}");
        let spans = select(&doc, &format!("{selector} span[class^=\"z-\"]"));
        assert!(spans.len() > 3, "{lang} is highlighted");
    }
    assert!(select(&doc, "pre [style], pre[style]").is_empty());
    // What each language's grammar says the fixture's words are.
    let rust = "code.language-rust";
    assert_eq!(
        texts(&doc, &format!("{rust} .z-comment")),
        ["// says hello"]
    );
    assert_eq!(texts(&doc, &format!("{rust} .z-keyword")), ["fn", "let"]);
    assert_eq!(texts(&doc, &format!("{rust} .z-string")), ["\"{n} < 43\""]);
    let python = select(&doc, "code.language-python")[0];
    assert_eq!(texts_of_each(python, ".z-keyword"), ["def", "return"]);
    assert_eq!(texts_of_each(python, ".z-comment"), ["# done"]);
    assert_eq!(texts(&doc, "code.language-yaml .z-number"), ["25", "465"]);
    assert_eq!(texts(&doc, "code.language-ruby .z-string"), ["\"hi\""]);
    assert_eq!(texts(&doc, "code.language-ruby .z-keyword"), ["if"]);
}

#[test]
fn languages_inside_a_block_are_highlighted_with_their_own_grammar() {
    // A Rust macro's arguments are Rust again, and HTML's `<script>` is
    // JavaScript: their words get the classes of their own grammar, and
    // the block's text is what was written.
    let rust = "fn main() {\n    println!(\"{}\", if ok { \"yes\" } else { \"no\" });\n    let v = vec![x.len(), 2];\n}\n";
    let html = "<p>Hi</p>\n<script>let a = 1;</script>\n";
    let post = format!(
        "---\ntitle: Inside\ndate: 2020-01-01\n---\n\n```rust\n{rust}```\n\n```html\n{html}```\n"
    );
    let site = Site::empty().file("content/posts/inside.md", &post);
    site.build().ok();
    let doc = site.html("posts/inside/index.html");
    let code = select(&doc, "code.language-rust")[0];
    assert_eq!(code_text(code), rust);
    assert_eq!(
        texts_of_each(code, ".z-keyword"),
        ["fn", "if", "else", "let"]
    );
    assert_eq!(texts_of_each(code, ".z-function"), ["main", "len"]);
    assert_eq!(
        texts_of_each(code, ".z-string"),
        ["\"{}\"", "\"yes\"", "\"no\""]
    );
    let code = select(&doc, "code.language-html")[0];
    assert_eq!(code_text(code), html);
    assert_eq!(
        texts_of_each(code, ".z-tag"),
        ["p", "p", "script", "script"]
    );
    assert_eq!(texts_of_each(code, ".z-keyword"), ["let"]);
    assert_eq!(texts_of_each(code, ".z-number"), ["1"]);
}

#[test]
fn languages_are_found_by_their_usual_names_in_any_case() {
    let mut post = "---\ntitle: Names\ndate: 2020-01-01\n---\n".to_string();
    let names = [
        "sh", "shell", "JS", "ts", "yml", "py", "rs", "Makefile", "c++", "golang",
    ];
    for name in names {
        post.push_str(&format!("\n```{name}\nx = 1 # or y(2)\n```\n"));
    }
    let site = Site::empty().file("content/posts/names.md", &post);
    site.build().ok();
    let doc = site.html("posts/names/index.html");
    for name in names {
        let selector = format!("code[data-lang=\"{name}\"] span[class^=\"z-\"]");
        assert!(!select(&doc, &selector).is_empty(), "{name} is highlighted");
    }
}

#[test]
fn highlighted_code_reads_as_written() {
    let (_site, doc) = built();
    let rust = select(&doc, "code.language-rust")[0];
    assert_eq!(
        code_text(rust),
        "// says hello\nfn main() {\n    let n = 42;\n    println!(\"{n} < 43\");\n}\n"
    );
    let yaml = select(&doc, "code.language-yaml")[0];
    assert_eq!(code_text(yaml), "ports: [25, 465]\n");
}

#[test]
fn fence_options_number_and_mark_lines_in_hugo_and_zola_forms() {
    let (_site, doc) = built();
    assert_eq!(
        texts(&doc, "code.language-rust .line .ln"),
        ["1", "2", "3", "4", "5"]
    );
    let marked: Vec<String> = select(&doc, "code.language-rust .line.hl")
        .into_iter()
        .map(|l| texts_of(l, ".ln"))
        .collect();
    assert_eq!(marked, ["2", "4", "5"]);
    assert_eq!(
        attrs(&doc, "code.language-rust .ln", "aria-hidden"),
        ["true"; 5]
    );
    let python = select(&doc, "code.language-python")[0];
    assert_eq!(texts_of_each(python, ".ln"), ["10", "11", "12"]);
    let marked: Vec<String> = python
        .select(&Selector::parse(".line.hl").unwrap())
        .map(|l| texts_of(l, ".ln"))
        .collect();
    assert_eq!(marked, ["10", "12"]);
    assert!(select(&doc, "code.language-yaml .line").is_empty());
    // Jekyll's tag: `linenos` and `mark_lines="2 3"`.
    let marked: Vec<String> = select(&doc, "code.language-python")[1]
        .select(&Selector::parse(".line.hl").unwrap())
        .map(|l| texts_of(l, ".ln"))
        .collect();
    assert_eq!(marked, ["2", "3"]);
}

/// How many spans a code element holds (none when it is written plain).
fn spans(code: ElementRef) -> usize {
    texts_of_each(code, "span").len()
}

fn texts_of_each(element: ElementRef, selector: &str) -> Vec<String> {
    element
        .select(&Selector::parse(selector).unwrap())
        .map(|e| e.text().collect())
        .collect()
}

fn texts_of(element: ElementRef, selector: &str) -> String {
    element
        .select(&Selector::parse(selector).unwrap())
        .flat_map(|e| e.text())
        .collect()
}

#[test]
fn unknown_languages_stay_plain_without_a_warning() {
    let (_site, doc) = built();
    let code = select(&doc, "code.language-no-such-language");
    assert_eq!(code.len(), 1);
    assert!(select(&doc, "code.language-no-such-language span").is_empty());
    assert_eq!(code_text(code[0]), "keep <this> as it is\n");
}

#[test]
fn the_real_site_styles_code_in_light_and_dark_only_where_there_is_code() {
    let site = Site::real().file(
        "content/posts/code-sample.md",
        "---\ntitle: Code\ndate: 2020-01-01\n---\n\n```sh\nopenssl s_client -connect mail.example.org:993\n```\n",
    );
    site.build().ok();
    let css = attrs(
        &site.html("posts/code-sample/index.html"),
        "link[rel=stylesheet]",
        "href",
    );
    assert!(
        css.contains(&"/email-ports/css/highlight.css".to_string()),
        "{css:?}"
    );
    let ports = site.html("posts/email-server-ports-table/index.html");
    let css = attrs(&ports, "link[rel=stylesheet]", "href");
    assert!(!css.iter().any(|c| c.ends_with("highlight.css")), "{css:?}");
    let sheet = site.read("css/highlight.css");
    assert!(sheet.contains("@media (prefers-color-scheme: dark)"));
    for class in [".z-comment", ".z-string", ".z-keyword", ".hl", ".ln"] {
        assert!(sheet.matches(class).count() >= 2, "{class} in both schemes");
    }
    assert!(!sheet.contains("url(") && !sheet.contains("@import"));
}

#[test]
fn a_section_or_home_page_with_code_links_the_code_stylesheet() {
    let code = "\n```rust\nfn main() {}\n```\n";
    // The built-in theme: the real site's templates.
    let site = Site::bare()
        .file(
            "content/_index.md",
            &format!("---\ntitle: Home\n---\n{code}"),
        )
        .file(
            "content/docs/_index.md",
            &format!("---\ntitle: Docs\n---\n{code}"),
        )
        .file("content/docs/a.md", "---\ntitle: A\n---\nNo code.\n")
        .file(
            "content/posts/t.md",
            "---\ntitle: T\ndate: 2020-01-01\ntags: [x]\n---\nNo code.\n",
        );
    site.build().ok();
    for (file, wanted) in [
        ("index.html", true),
        ("docs/index.html", true),
        ("docs/a/index.html", false),
        ("tags/x/index.html", false),
    ] {
        let doc = site.html(file);
        assert_eq!(
            !select(&doc, "code.language-rust span.z-keyword").is_empty(),
            wanted,
            "{file}"
        );
        let css = attrs(&doc, "link[rel=stylesheet]", "href");
        assert_eq!(
            css.contains(&"/css/highlight.css".to_string()),
            wanted,
            "{file}: {css:?}"
        );
    }
}

#[test]
fn a_huge_linenostart_numbers_lines_without_a_crash() {
    let site = Site::empty().file(
        "content/posts/big.md",
        "---\ntitle: Big\ndate: 2020-01-01\n---\n\n```rust {linenos=true, linenostart=18446744073709551615}\na\nb\n```\n",
    );
    site.build().ok();
    let numbers = texts(&site.html("posts/big/index.html"), "pre .ln");
    assert_eq!(numbers.len(), 2, "{numbers:?}");
    assert!(
        numbers.iter().all(|n| n == "18446744073709551615"),
        "{numbers:?}"
    );
}

#[test]
fn blocks_too_costly_to_highlight_stay_plain_and_the_rest_is_highlighted() {
    // 200,000 open brackets (a flat run that tree-sitter's queries scan
    // again at each bracket) and 100,000 unclosed tags (HTML's scanner
    // copies its stack of open tags at each one): minutes each if
    // highlighted; no real code looks like either.
    let brackets = "(".repeat(200_000);
    let tags = "<div>".repeat(100_000);
    let post = format!(
        "---\ntitle: Costly\ndate: 2020-01-01\n---\n\n```rust\n{brackets}\n```\n\n```html\n{tags}\n```\n\n```rust\nfn after() {{}}\n```\n"
    );
    let site = Site::empty().file("content/posts/costly.md", &post);
    site.build().ok();
    let doc = site.html("posts/costly/index.html");
    let rust = select(&doc, "code.language-rust");
    let html = select(&doc, "code.language-html");
    assert_eq!((rust.len(), html.len()), (2, 1));
    assert_eq!(code_text(rust[0]), format!("{brackets}\n"));
    assert_eq!(code_text(html[0]), format!("{tags}\n"));
    assert!(select(&doc, "code.language-html span").is_empty());
    assert_eq!(spans(rust[0]), 0);
    assert_eq!(texts_of_each(rust[1], ".z-keyword"), ["fn"]);
}

#[test]
fn code_a_grammar_would_crash_on_stays_plain_and_the_build_goes_on() {
    // arborium 2.18.2's PHP scanner reads outside its memory at the end of
    // any heredoc or nowdoc, and its Ruby scanner fails an assertion on a
    // heredoc name of 256 bytes or more: each took the whole build down
    // (SIGSEGV, SIGABRT). Perl's highlight query holds a pattern that
    // tree-sitter refuses, which cost all of Perl's highlighting.
    let name = "A".repeat(300);
    let php = "<?php\n$a = <<<SQL\nSELECT 1;\nSQL;\n$b = <<<'EOT'\nraw\nEOT;\n";
    let post = format!(
        "---\ntitle: Crashes\ndate: 2020-01-01\n---\n\n```php\n{php}```\n\n```ruby\nx = <<~{name}\n  hi\n{name}\n```\n\n~~~markdown\n```php\n{php}```\n~~~\n\n```php\n<?php echo \"fine\"; // no heredoc\n```\n\n```ruby\ny = <<~EOS\n  short\nEOS\n```\n\n```perl\nmy $x = 1; # a comment\n```\n"
    );
    let site = Site::empty().file("content/posts/crashes.md", &post);
    site.build().ok();
    let doc = site.html("posts/crashes/index.html");
    let php_blocks = select(&doc, "code.language-php");
    let ruby = select(&doc, "code.language-ruby");
    assert_eq!((php_blocks.len(), ruby.len()), (2, 2));
    assert_eq!(code_text(php_blocks[0]), php);
    assert_eq!(spans(php_blocks[0]), 0);
    assert_eq!(code_text(ruby[0]), format!("x = <<~{name}\n  hi\n{name}\n"));
    assert_eq!(spans(ruby[0]), 0);
    // The Markdown around the PHP is still highlighted; the code the rest
    // of the page shows in these languages is too.
    let markdown = select(&doc, "code.language-markdown")[0];
    assert_eq!(code_text(markdown), format!("```php\n{php}```\n"));
    assert!(!texts_of_each(markdown, "[class^=\"z-\"]").is_empty());
    assert_eq!(texts_of_each(php_blocks[1], ".z-string"), ["\"fine\""]);
    assert!(!texts_of_each(ruby[1], "[class^=\"z-\"]").is_empty());
    let perl = select(&doc, "code.language-perl")[0];
    assert_eq!(texts_of_each(perl, ".z-comment"), ["# a comment"]);
}

#[test]
fn nesting_a_grammar_cannot_hold_stays_plain_and_the_build_goes_on() {
    // 300 blockquotes or collections inside each other overflow the
    // Markdown and YAML scanners' saved state (an assertion, SIGABRT).
    let quotes = format!("{}x\n", ">".repeat(300));
    let lists = format!("{}x\n", "- ".repeat(300));
    let post = format!(
        "---\ntitle: Deep\ndate: 2020-01-01\n---\n\n```markdown\n{quotes}```\n\n```yaml\n{lists}```\n\n```yaml\nkey: [1, 2]\n```\n"
    );
    let site = Site::empty().file("content/posts/deep.md", &post);
    site.build().ok();
    let doc = site.html("posts/deep/index.html");
    let markdown = select(&doc, "code.language-markdown")[0];
    let yaml = select(&doc, "code.language-yaml");
    assert_eq!((code_text(markdown), code_text(yaml[0])), (quotes, lists));
    assert!(select(&doc, "code.language-markdown span").is_empty());
    assert_eq!(spans(yaml[0]), 0);
    assert!(!texts_of_each(yaml[1], "[class^=\"z-\"]").is_empty());
}

#[test]
fn code_inside_a_block_is_held_to_the_block_limits() {
    // A Svelte fence inside a Markdown block, whose scanner looks to the
    // end of the code for a `)` at each position of an error: minutes for
    // this one if parsed. The Markdown around it is still highlighted.
    let inner = format!("{{{}", "a".repeat(70_000));
    let post = format!(
        "---\ntitle: Inner\ndate: 2020-01-01\n---\n\n~~~markdown\n# Title\n\n```svelte\n{inner}\n```\n~~~\n"
    );
    let site = Site::empty().file("content/posts/inner.md", &post);
    site.build().ok();
    let doc = site.html("posts/inner/index.html");
    let markdown = select(&doc, "code.language-markdown")[0];
    assert_eq!(
        code_text(markdown),
        format!("# Title\n\n```svelte\n{inner}\n```\n")
    );
    assert_eq!(texts_of_each(markdown, ".z-title"), ["Title"]);
}

#[test]
fn plain_code_numbers_and_marks_its_lines_too() {
    let site = Site::empty().file(
        "content/posts/plain.md",
        "---\ntitle: Plain\ndate: 2020-01-01\n---\n\n```text {linenos=true, hl_lines=[2]}\none\n<two>\nthree\n```\n\n```no-such-language,linenos,linenostart=7\nx\ny\n```\n",
    );
    site.build().ok();
    let doc = site.html("posts/plain/index.html");
    assert!(select(&doc, "pre span[class^=\"z-\"]").is_empty());
    let text = select(&doc, "code.language-text")[0];
    assert_eq!(texts_of_each(text, ".ln"), ["1", "2", "3"]);
    let marked: Vec<String> = text
        .select(&Selector::parse(".line.hl").unwrap())
        .map(|l| texts_of(l, ".ln"))
        .collect();
    assert_eq!(marked, ["2"]);
    assert_eq!(code_text(text), "one\n<two>\nthree\n");
    let other = select(&doc, "code.language-no-such-language")[0];
    assert_eq!(texts_of_each(other, ".ln"), ["7", "8"]);
    assert_eq!(code_text(other), "x\ny\n");
}
