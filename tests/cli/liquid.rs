//! Liquid in Markdown bodies: standard Liquid, Jekyll's tags and filters,
//! `page` and `site`, errors and warnings at the `.md` file's lines, and
//! the rule for which pages run it. Expected values come from Liquid's
//! and Jekyll's documentation.

use crate::support::{Site, attrs, texts};

/// `(id, Liquid, what the element with that id holds)`: each case is one
/// HTML line of `content/cases.md` (a page dated 2008-11-07 13:07:54 -0800,
/// tags `a b`), built on the `liquid` fixture (base
/// `https://example.org/blog/`; posts Hello (2008, Ann, tags a b, category
/// news), Second (2009, Bob, tag b) and Third (2010, Ann)).
const CASES: &[(&str, &str, &str)] = &[
    // Standard Liquid.
    (
        "raw",
        "{% raw %}{{ x }} {% if %}{% endraw %}",
        "{{ x }} {% if %}",
    ),
    (
        "assign",
        "{% assign n = 'folio' | upcase %}{{ n }}",
        "FOLIO",
    ),
    (
        "capture",
        "{% capture c %}a{{ 1 | plus: 1 }}{% endcapture %}{{ c }}",
        "a2",
    ),
    (
        "if",
        "{% if page.title == 'Cases' %}yes{% else %}no{% endif %}",
        "yes",
    ),
    (
        "elsif",
        "{% if false %}a{% elsif 1 == 1 %}b{% else %}c{% endif %}",
        "b",
    ),
    ("unless", "{% unless false %}shown{% endunless %}", "shown"),
    (
        "case",
        "{% case 2 %}{% when 1 %}one{% when 2 %}two{% else %}other{% endcase %}",
        "two",
    ),
    (
        "for-limit-offset",
        "{% for i in (1..10) limit: 3 offset: 2 %}{{ i }}{% endfor %}",
        "345",
    ),
    (
        "for-reversed",
        "{% for i in (1..3) reversed %}{{ i }}{% endfor %}",
        "321",
    ),
    (
        "forloop",
        "{% for i in (5..7) %}{{ forloop.index }}/{{ forloop.length }}{% if forloop.first %}f{% endif %}{% if forloop.last %}l{% endif %};{% endfor %}",
        "1/3f;2/3;3/3l;",
    ),
    (
        "break",
        "{% for i in (1..9) %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}",
        "12",
    ),
    (
        "continue",
        "{% for i in (1..4) %}{% if i == 2 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
        "134",
    ),
    (
        "comment",
        "a{% comment %}hidden {{ x }}{% endcomment %}b",
        "ab",
    ),
    (
        "increment",
        "{% increment k %}{% increment k %}{% increment k %}",
        "012",
    ),
    (
        "standard-filters",
        "{{ 'a-b-c' | split: '-' | reverse | join: '' | append: '!' }}",
        "cba!",
    ),
    ("unknown-variable", "[{{ nothing.here }}]", "[]"),
    // Jekyll's tags.
    (
        "post_url",
        "{% post_url 2008-11-07-hello %}",
        "/blog/posts/hello/",
    ),
    (
        "link",
        "{% link _posts/2008-11-07-hello.md %} {% link about.md %}",
        "/blog/posts/hello/ /blog/about/",
    ),
    // Jekyll's filters.
    ("relative_url", "{{ '/x/' | relative_url }}", "/blog/x/"),
    (
        "absolute_url",
        "{{ '/x/' | absolute_url }}",
        "https://example.org/blog/x/",
    ),
    (
        "date_to_xmlschema",
        "{{ page.date | date_to_xmlschema }}",
        "2008-11-07T13:07:54-08:00",
    ),
    (
        "date_to_string",
        "{{ page.date | date_to_string }}",
        "07 Nov 2008",
    ),
    (
        "date_to_string-ordinal",
        "{{ page.date | date_to_string: 'ordinal' }}",
        "7th Nov 2008",
    ),
    (
        "date_to_string-us",
        "{{ page.date | date_to_string: 'ordinal', 'US' }}",
        "Nov 7th, 2008",
    ),
    (
        "date_to_long_string",
        "{{ page.date | date_to_long_string }}",
        "07 November 2008",
    ),
    (
        "markdownify",
        "{{ 'Hello **world**' | markdownify }}",
        "<p>Hello <strong>world</strong></p>",
    ),
    (
        "slugify",
        "{{ 'The _config.yml file' | slugify }}",
        "the-config-yml-file",
    ),
    (
        "slugify-pretty",
        "{{ 'The _config.yml file' | slugify: 'pretty' }}",
        "the-_config.yml-file",
    ),
    ("jsonify", "{{ page.tags | jsonify }}", "[\"a\",\"b\"]"),
    (
        "cgi_escape",
        "{{ 'foo, bar; baz?' | cgi_escape }}",
        "foo%2C+bar%3B+baz%3F",
    ),
    (
        "uri_escape",
        "{{ 'foo, bar \\baz?' | uri_escape }}",
        "foo,%20bar%20%5Cbaz?",
    ),
    (
        "number_of_words",
        "{{ 'Hello world and moon' | number_of_words }}",
        "4",
    ),
    (
        "where",
        "{{ site.posts | where: 'author', 'Ann' | map: 'title' | join: ',' }}",
        "Third,Hello",
    ),
    (
        "where-in-list",
        "{{ site.posts | where: 'tags', 'b' | map: 'title' | join: ',' }}",
        "Second,Hello",
    ),
    (
        "where_exp",
        "{{ site.posts | where_exp: 'post', \"post.author == 'Bob'\" | map: 'title' | join: ',' }}",
        "Second",
    ),
    (
        "group_by",
        "{% assign g = site.posts | group_by: 'author' %}{% for x in g %}{{ x.name }}:{{ x.size }}:{{ x.items | map: 'title' | join: '+' }};{% endfor %}",
        "Ann:2:Third+Hello;Bob:1:Second;",
    ),
    (
        "sort",
        "{{ site.posts | sort: 'title' | map: 'title' | join: ',' }}",
        "Hello,Second,Third",
    ),
    (
        "array_to_sentence_string",
        "{{ 'a,b,c' | split: ',' | array_to_sentence_string }}",
        "a, b, and c",
    ),
    (
        "array_to_sentence_string-two",
        "{{ 'a,b' | split: ',' | array_to_sentence_string }}",
        "a and b",
    ),
    // Variables.
    (
        "page",
        "{{ page.title }} {{ page.url }} {{ page.mood }}",
        "Cases /cases/ calm",
    ),
    (
        "site",
        "{{ site.title }} {{ site.url }} {{ site.baseurl }}",
        "Liquid site https://example.org /blog",
    ),
    (
        "site-posts",
        "{{ site.posts | map: 'title' | join: ',' }} {{ site.posts[2].url }} {{ site.posts[2].date | date_to_string }}",
        "Third,Second,Hello /posts/hello/ 07 Nov 2008",
    ),
    (
        "site-posts-excerpt",
        "{{ site.posts.first.excerpt }}",
        "<p>Third's <em>first</em> paragraph.</p>",
    ),
    (
        "site-posts-terms",
        "{{ site.posts[2].tags | join: ' ' }} {{ site.posts[2].categories | join: ' ' }}",
        "a b news",
    ),
    (
        "site-tags",
        "{{ site.tags.b | size }} {{ site.tags.a | map: 'title' | join: ',' }}",
        "2 Hello",
    ),
    (
        "site-categories",
        "{{ site.categories.news | map: 'title' | join: ',' }}",
        "Hello",
    ),
    (
        "site-pages",
        "{{ site.pages | map: 'title' | join: ',' }}",
        "About,Cases",
    ),
    ("site-data", "{{ site.data | size }}", "1"),
    (
        "site-data-file",
        "{% for p in site.data.providers %}{{ p.name }}:{{ p.imap }};{% endfor %}",
        "Fastmail:993;Proton:1143;",
    ),
];

/// The page holding every case, each an HTML block of its own.
fn cases_page() -> String {
    let mut page = String::from(
        "---\ntitle: Cases\ndate: 2008-11-07 13:07:54 -0800\ntags: a b\nmood: calm\n---\n\n",
    );
    for (id, liquid, _) in CASES {
        page.push_str(&format!("<div id=\"{id}\">{liquid}</div>\n\n"));
    }
    page
}

#[test]
fn standard_liquid_and_jekyll_tags_filters_and_variables() {
    let site = Site::fixture("liquid").file("content/cases.md", &cases_page());
    let run = site.build().ok();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    assert_cases(&site.html("cases/index.html"), CASES);
}

/// Checks that the element of each case's id holds what it wants.
#[track_caller]
pub(crate) fn assert_cases(page: &scraper::Html, cases: &[(&str, &str, &str)]) {
    let mut wrong = Vec::new();
    for (id, liquid, want) in cases {
        let sel = scraper::Selector::parse(&format!("#{id}")).unwrap();
        let got = page
            .select(&sel)
            .next()
            .map(|e| e.inner_html().trim().to_string());
        if got.as_deref() != Some(*want) {
            wrong.push(format!("{id}: {liquid}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn xml_escape_escapes_markup() {
    let site = Site::fixture("liquid").file(
        "content/x.md",
        "---\ntitle: X\n---\n\n<div id=\"x\">{{ \"<p>a & 'b'</p>\" | xml_escape }}</div>\n",
    );
    site.build().ok();
    let page = site.html("x/index.html");
    assert_eq!(texts(&page, "#x"), ["<p>a & 'b'</p>"]);
    assert!(texts(&page, "#x p").is_empty());
    let html = site.read("x/index.html");
    assert!(html.contains("&lt;p&gt;a &amp; "), "{html}");
}

#[test]
fn include_with_parameters_and_highlight() {
    let site = Site::fixture("liquid").file(
        "content/inc.md",
        "---\ntitle: Inc\n---\n\n{% include note.html title=\"Heads up\" who=page.title %}\n\n\
         {% highlight ruby linenos %}\nputs \"<b>\" if {{ x }}\n{% endhighlight %}\n",
    );
    site.build().ok();
    let page = site.html("inc/index.html");
    assert_eq!(texts(&page, "aside.note"), ["Heads up"]);
    assert_eq!(attrs(&page, "aside.note", "data-who"), ["Inc"]);
    assert_eq!(attrs(&page, "pre code", "class"), ["language-ruby"]);
    // `linenos` numbers the line (see tests/cli/highlight.rs).
    assert_eq!(texts(&page, "pre code .ln"), ["1"]);
    let code = texts(&page, "pre code").remove(0);
    assert_eq!(code.strip_prefix('1'), Some("puts \"<b>\" if {{ x }}"));
}

#[test]
fn unknown_tags_and_filters_warn_at_their_place_and_stay_visible() {
    let site = Site::fixture("liquid").file(
        "content/odd.md",
        "---\ntitle: Odd\n---\n\nOne.\n\nA {{ 'x' | shout }} and {% tweet 12 %} here.\n",
    );
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains("content/odd.md:7:3: warning: Liquid filter `shout` in `{{ 'x' | shout }}` is not supported; left as text"),
        "{err}"
    );
    assert!(
        err.contains("content/odd.md:7:25: warning: Liquid tag `tweet` in `{% tweet 12 %}` is not supported; left as text"),
        "{err}"
    );
    let page = site.html("odd/index.html");
    assert_eq!(
        texts(&page, "p"),
        ["One.", "A {{ 'x' | shout }} and {% tweet 12 %} here."]
    );
}

#[test]
fn liquid_errors_name_the_md_file_line_and_fail_the_build() {
    let site = Site::fixture("liquid").file(
        "content/bad.md",
        "---\ntitle: Bad\n---\n\nFine.\n\n{% for i in (1..2) %}{{ i }}{% endfor %}\n\nThen {{ 'a' | append: }} here.\n",
    );
    let run = site.build().fails_with(1);
    let err = run.stderr();
    let line = err
        .lines()
        .find(|l| l.contains("error: Liquid"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(line.starts_with("content/bad.md:9:"), "{err}");
    assert!(!site.exists("bad/index.html"));
}

#[test]
fn unclosed_block_is_an_error_at_its_tag() {
    let site = Site::fixture("liquid").file(
        "content/bad.md",
        "---\ntitle: Bad\n---\n\nFine.\n\n{% if true %}\nnever closed\n",
    );
    let err = site.build().fails_with(1).stderr();
    assert!(
        err.contains(
            "content/bad.md:7:1: error: Liquid: Unclosed block. {% endif %} tag expected."
        ),
        "{err}"
    );
}

#[test]
fn positions_after_liquid_are_those_of_the_file() {
    // The loop writes four lines where the file has one; the heading that
    // skips a level after it is still reported at its own line.
    let site = Site::fixture("liquid").file(
        "content/lines.md",
        "---\ntitle: Lines\n---\n\n{% for i in (1..4) %}\nline {{ i }}\n{% endfor %}\n\n#### Deep\n",
    );
    let err = site.build().ok().stderr();
    assert!(
        err.contains(
            "content/lines.md:9:1: warning: heading level skipped: \"Deep\" is h4 after h1"
        ),
        "{err}"
    );
}

#[test]
fn liquid_runs_only_where_the_site_or_page_asks() {
    let text = |liquid: &str| {
        format!("---\ntitle: T\n{liquid}---\n\n<div id=\"v\">{{{{ page.title }}}}</div>\n")
    };
    // A native folio site: `{{ }}` is text.
    let native = Site::empty()
        .file("content/a.md", &text(""))
        .file("content/b.md", &text("liquid: true\n"));
    native.build().ok();
    assert_eq!(
        texts(&native.html("a/index.html"), "#v"),
        ["{{ page.title }}"]
    );
    assert_eq!(texts(&native.html("b/index.html"), "#v"), ["T"]);
    // A site that says `liquid: true`: every page, unless it says false.
    let jekyll = Site::fixture("liquid")
        .file("content/a.md", &text(""))
        .file("content/b.md", &text("liquid: false\n"));
    jekyll.build().ok();
    assert_eq!(texts(&jekyll.html("a/index.html"), "#v"), ["T"]);
    assert_eq!(
        texts(&jekyll.html("b/index.html"), "#v"),
        ["{{ page.title }}"]
    );
}
