//! A real blog's needs: pagination, sections, feeds per term, titles in
//! Markdown, data files and tables read across pages. Each test builds a
//! small site in a temporary folder and reads what folio wrote.

use crate::support::{Site, attrs, texts};

/// A list template that shows everything `paginator` holds, as data
/// attributes, and the list variable templates had before pagination.
const PAGINATOR_PROBE: &str = r#"{% extends "base.html" %}
{% block content %}{% if paginator %}<div id="p" data-number="{{ paginator.number }}" data-total="{{ paginator.total_pages }}"
 data-prev="{% if paginator.previous %}{{ paginator.previous }}{% else %}none{% endif %}"
 data-next="{% if paginator.next %}{{ paginator.next }}{% else %}none{% endif %}"
 data-first="{{ paginator.first }}" data-last="{{ paginator.last }}"></div>
<ul class="paged">{% for p in paginator.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endif %}
<ul class="posts">{% for p in posts %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock content %}"#;

/// `n` posts (at most 300), each a day older than the one before: post 1
/// is the newest. Each is tagged `smtp`, the odd ones `imap` too.
fn blog(n: usize) -> Site {
    let mut site = Site::empty();
    for i in 1..=n {
        let tags = if i % 2 == 1 { "[smtp, imap]" } else { "[smtp]" };
        let (month, day) = (12 - (i - 1) / 28, 28 - (i - 1) % 28);
        site = site.file(
            &format!("content/posts/p{i:03}.md"),
            &format!(
                "---\ntitle: Post {i}\ndate: 2020-{month:02}-{day:02}\ntags: {tags}\n---\nBody of post {i}.\n"
            ),
        );
    }
    site
}

fn data(doc: &scraper::Html, attr: &str) -> String {
    attrs(doc, "#p", attr).pop().unwrap_or_default()
}

#[test]
fn home_page_is_split_into_pages_of_ten_with_a_paginator() {
    let site = blog(25).file("templates/index.html", PAGINATOR_PROBE);
    site.build().ok();
    let pages = site.list_pages("");
    assert_eq!(pages.len(), 3);
    assert!(!site.exists("page/1/index.html"), "page 1 is / only");
    let first = &pages[0];
    assert_eq!(data(first, "data-number"), "1");
    assert_eq!(data(first, "data-total"), "3");
    assert_eq!(data(first, "data-prev"), "none");
    assert_eq!(data(first, "data-next"), "/page/2/");
    assert_eq!(data(first, "data-first"), "/");
    assert_eq!(data(first, "data-last"), "/page/3/");
    let titles: Vec<String> = (1..=10).map(|i| format!("Post {i}")).collect();
    assert_eq!(texts(first, ".paged a"), titles, "newest first");
    let last = &pages[2];
    assert_eq!(data(last, "data-prev"), "/page/2/");
    assert_eq!(data(last, "data-next"), "none");
    let titles: Vec<String> = (21..=25).map(|i| format!("Post {i}")).collect();
    assert_eq!(texts(last, ".paged a"), titles);
    // A template that reads `posts` (written before pagination) gets the
    // same items as `paginator.pages`.
    for page in &pages {
        assert_eq!(texts(page, ".posts a"), texts(page, ".paged a"));
    }
}

#[test]
fn paginate_by_sets_the_page_size_and_zero_turns_it_off() {
    let site = blog(7).file("templates/index.html", PAGINATOR_PROBE).file(
        "content/_index.md",
        "---\ntitle: Blog\npaginate_by: 3\n---\n",
    );
    site.build().ok();
    let pages = site.list_pages("");
    assert_eq!(pages.len(), 3);
    assert_eq!(texts(&pages[2], ".paged a"), ["Post 7"]);
    assert_eq!(site.list_pages("tags/smtp/").len(), 3);

    let off = blog(25).file("templates/index.html", PAGINATOR_PROBE).file(
        "content/_index.md",
        "---\ntitle: Blog\npaginate_by: 0\n---\n",
    );
    off.build().ok();
    let pages = off.list_pages("");
    assert_eq!(pages.len(), 1);
    assert_eq!(texts(&pages[0], ".paged a").len(), 25);
    assert_eq!(data(&pages[0], "data-total"), "1");
}

#[test]
fn a_bad_paginate_by_is_an_error_at_its_line() {
    let site = Site::empty().file(
        "content/_index.md",
        "---\ntitle: Blog\npaginate_by: ten\n---\n",
    );
    let run = site.build().fails_with(1);
    assert!(
        run.stderr()
            .contains("content/_index.md:3:1: error: `paginate_by` must be a whole number"),
        "{}",
        run.stderr()
    );
}

#[test]
fn term_pages_are_paginated_under_their_own_path() {
    // `term.pages`, the list term pages had before pagination, is this
    // page's items.
    let probe = PAGINATOR_PROBE
        .replace(
            "{% for p in posts %}",
            "{% if term %}{% for p in term.pages %}",
        )
        .replace(
            "{% endfor %}</ul>{% endblock",
            "{% endfor %}{% endif %}</ul>{% endblock",
        );
    let site = blog(23).file("templates/taxonomy.html", &probe);
    site.build().ok();
    let smtp = site.list_pages("tags/smtp/");
    for page in &smtp {
        assert_eq!(texts(page, ".posts a"), texts(page, ".paged a"));
    }
    assert_eq!(smtp.len(), 3);
    assert_eq!(data(&smtp[0], "data-next"), "/tags/smtp/page/2/");
    assert_eq!(data(&smtp[2], "data-first"), "/tags/smtp/");
    assert_eq!(
        texts(&smtp[2], ".paged a"),
        ["Post 21", "Post 22", "Post 23"]
    );
    // 12 odd posts are tagged imap: two pages.
    let imap = site.list_pages("tags/imap/");
    assert_eq!(imap.len(), 2);
    assert_eq!(texts(&imap[1], ".paged a"), ["Post 21", "Post 23"]);
    assert!(!site.exists("tags/smtp/page/1/index.html"));
}

#[test]
fn the_sitemap_lists_every_page_of_every_list() {
    let site = blog(23)
        .file(
            "content/docs/_index.md",
            "---\ntitle: Docs\npaginate_by: 1\n---\n",
        )
        .file("content/docs/a.md", "---\ntitle: A\n---\n")
        .file("content/docs/b.md", "---\ntitle: B\n---\n");
    site.build().ok();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    for path in [
        "/",
        "/page/2/",
        "/page/3/",
        "/tags/smtp/page/3/",
        "/tags/imap/page/2/",
        "/docs/",
        "/docs/page/2/",
        "/docs/a/",
    ] {
        assert!(locs.contains(&path), "{path} not in {locs:?}");
    }
    assert!(!locs.contains(&"/page/4/") && !locs.contains(&"/page/1/"));
    // Every address the sitemap lists was written.
    for loc in &locs {
        assert!(site.exists(&format!("{}index.html", &loc[1..])), "{loc}");
    }
}

#[test]
fn a_page_cannot_take_the_address_of_a_list_page() {
    let site = blog(12).file(
        "content/page-two.md",
        "---\ntitle: Two\npermalink: /page/2/\n---\n",
    );
    let run = site.build().fails_with(1);
    assert!(
        run.stderr().contains(
            "content/page-two.md: error: this page wants /page/2/, where folio writes a list page"
        ),
        "{}",
        run.stderr()
    );
}

/// The real site's templates: a pagination nav, and `<link rel>` to the
/// pages before and after.
#[test]
fn the_real_site_shows_a_pagination_nav_and_head_links() {
    let mut site = Site::real();
    for i in 1..=12 {
        site = site.file(
            &format!("content/posts/extra-{i:02}.md"),
            &format!("---\ntitle: Extra {i}\ndate: 2001-01-{i:02}\ntags: [email]\n---\nText.\n"),
        );
    }
    site.run(&["build", "--base-url", "https://user.github.io/repo/"])
        .ok();
    let first = site.html("index.html");
    assert_eq!(
        attrs(&first, "head link[rel=next]", "href"),
        ["/repo/page/2/"]
    );
    assert!(attrs(&first, "head link[rel=prev]", "href").is_empty());
    assert_eq!(
        attrs(&first, "nav.pagination a[rel=next]", "href"),
        ["/repo/page/2/"]
    );
    let second = site.html("page/2/index.html");
    assert_eq!(attrs(&second, "head link[rel=prev]", "href"), ["/repo/"]);
    assert_eq!(
        attrs(&second, "link[rel=canonical]", "href"),
        ["https://user.github.io/repo/page/2/"]
    );
    assert_eq!(texts(&second, "nav.pagination li")[1], "Page 2 of 2");
    let email = site.html("tags/email/page/2/index.html");
    assert_eq!(
        attrs(&email, "nav.pagination a[rel=prev]", "href"),
        ["/repo/tags/email/"]
    );
    site.run(&["check", "--base-url", "https://user.github.io/repo/"])
        .ok();
}

#[test]
fn a_folder_with_an_index_is_a_section_with_its_own_sorted_list() {
    let site = Site::empty()
        .file(
            "templates/section.html",
            r#"{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content | safe }}
<p id="count">{{ section.count }}</p><ul class="paged">{% for p in paginator.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock content %}"#,
        )
        .file(
            "content/guides/_index.md",
            "---\ntitle: Guides\nsort_by: weight\n---\nAll our guides.\n",
        )
        .file("content/guides/heavy.md", "---\ntitle: Heavy\nweight: 30\n---\n")
        .file("content/guides/light.md", "---\ntitle: Light\nweight: -5\n---\n")
        .file("content/guides/none.md", "---\ntitle: Unweighted\n---\n")
        .file("content/guides/deep/inner.md", "---\ntitle: Inner\nweight: 10\n---\n")
        .file("content/recipes/_index.md", "---\ntitle: Recipes\nsort_by: title\n---\n")
        .file("content/recipes/b.md", "---\ntitle: banana\n---\n")
        .file("content/recipes/a.md", "---\ntitle: Apple\n---\n")
        .file("content/news/_index.md", "---\ntitle: News\n---\n")
        .file("content/news/old.md", "---\ntitle: Old\ndate: 2020-01-01\n---\n")
        .file("content/news/new.md", "---\ntitle: New\ndate: 2024-01-01\n---\n")
        .file("content/posts/p.md", "---\ntitle: A post\ndate: 2024-01-01\n---\n");
    site.build().ok();
    let guides = site.html("guides/index.html");
    assert_eq!(texts(&guides, "h1"), ["Guides"]);
    assert!(site.read("guides/index.html").contains("All our guides."));
    assert_eq!(
        texts(&guides, ".paged a"),
        ["Light", "Inner", "Heavy", "Unweighted"],
        "by weight, a subfolder's pages included, unweighted last"
    );
    assert_eq!(texts(&guides, "#count"), ["4"]);
    // Pages keep the URLs they had before sections existed.
    assert_eq!(
        attrs(&guides, ".paged a", "href"),
        [
            "/guides/light/",
            "/guides/deep/inner/",
            "/guides/heavy/",
            "/guides/none/"
        ]
    );
    assert!(site.exists("guides/deep/inner/index.html"));
    let recipes = site.html("recipes/index.html");
    assert_eq!(texts(&recipes, ".paged a"), ["Apple", "banana"]);
    let news = site.html("news/index.html");
    assert_eq!(texts(&news, ".paged a"), ["New", "Old"], "newest first");
    // posts/ has no _index.md: its posts are where they were, on the home
    // page, and there is no /posts/ list.
    assert!(site.exists("posts/p/index.html"));
    assert!(!site.exists("posts/index.html"));
    let home = site.html("index.html");
    assert_eq!(texts(&home, ".posts a"), ["A post"]);
}

#[test]
fn a_section_without_its_template_uses_the_home_page_template_and_paginates() {
    let mut site = Site::empty().file(
        "content/docs/_index.md",
        "---\ntitle: Docs\npaginate_by: 2\n---\nDocs intro.\n",
    );
    for name in ["a", "b", "c", "d", "e"] {
        site = site.file(
            &format!("content/docs/{name}.md"),
            &format!("---\ntitle: Doc {name}\n---\n"),
        );
    }
    site.build().ok();
    let pages = site.list_pages("docs/");
    assert_eq!(pages.len(), 3);
    // The minimal index.html lists `posts`: the section's page of items.
    assert_eq!(texts(&pages[0], ".posts a"), ["Doc a", "Doc b"]);
    assert_eq!(texts(&pages[2], ".posts a"), ["Doc e"]);
    assert!(site.read("docs/index.html").contains("Docs intro."));
    assert!(!site.exists("docs/page/1/index.html"));
}

#[test]
fn a_bad_sort_by_is_an_error_at_its_line() {
    let site = Site::empty().file(
        "content/docs/_index.md",
        "---\ntitle: Docs\n\nsort_by: size\n---\n",
    );
    let run = site.build().fails_with(1);
    assert!(
        run.stderr().contains(
            "content/docs/_index.md:4:1: error: `sort_by` must be `date`, `title` or `weight`"
        ),
        "{}",
        run.stderr()
    );
}

/// The text of each feed entry's children `names`, entry by entry.
fn feed_fields<const N: usize>(
    site: &Site,
    rel: &str,
    names: [&str; N],
) -> Vec<[Option<String>; N]> {
    let xml = site.read(rel);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|entry| {
            names.map(|name| {
                entry
                    .children()
                    .find(|n| n.has_tag_name(name))
                    .and_then(|n| n.text())
                    .map(str::to_string)
            })
        })
        .collect()
}

fn feed(site: &Site, rel: &str) -> Vec<(String, Option<String>, Option<String>)> {
    feed_fields(site, rel, ["title", "summary", "content"])
        .into_iter()
        .map(|[title, summary, content]| (title.unwrap(), summary, content))
        .collect()
}

#[test]
fn each_tag_and_category_has_its_own_feed_linked_from_its_page() {
    let site = blog(5)
        .file(
            "content/posts/cat.md",
            "---\ntitle: Filed\ndate: 2019-01-01\ncategories: [Guides]\n---\nIn a category.\n",
        )
        .file(
            "templates/taxonomy.html",
            r#"{% extends "base.html" %}{% block content %}{% if term %}<a id="feed" href="{{ term.feed_url }}">feed</a>{% endif %}{% endblock content %}"#,
        );
    site.build().ok();
    let titles = |rel| {
        feed(&site, rel)
            .into_iter()
            .map(|e| e.0)
            .collect::<Vec<_>>()
    };
    assert_eq!(titles("tags/imap/atom.xml"), ["Post 1", "Post 3", "Post 5"]);
    assert_eq!(titles("tags/smtp/atom.xml").len(), 5);
    assert_eq!(titles("categories/guides/atom.xml"), ["Filed"]);
    let xml = site.read("tags/imap/atom.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let link = |rel: &str| {
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name("link") && n.attribute("rel") == Some(rel))
            .and_then(|n| n.attribute("href"))
            .unwrap()
            .to_string()
    };
    assert_eq!(link("self"), "/tags/imap/atom.xml");
    assert_eq!(link("alternate"), "/tags/imap/");
    let page = site.html("tags/imap/index.html");
    assert_eq!(attrs(&page, "#feed", "href"), ["/tags/imap/atom.xml"]);
}

#[test]
fn feed_limit_and_feed_content_apply_to_every_feed() {
    let site = blog(5).file(
        "content/_index.md",
        "---\ntitle: Blog\nfeed_limit: 2\nfeed_content: full\n---\n",
    );
    site.build().ok();
    for rel in ["atom.xml", "tags/smtp/atom.xml", "tags/imap/atom.xml"] {
        let entries = feed(&site, rel);
        assert_eq!(entries.len(), 2, "{rel}");
        for (title, summary, content) in entries {
            let n = title.trim_start_matches("Post ");
            assert_eq!(summary, None, "{rel}");
            assert_eq!(
                content.as_deref().map(str::trim),
                Some(format!("<p>Body of post {n}.</p>").as_str()),
                "{rel}"
            );
        }
    }
    // The default: 20 entries with summaries.
    let site = blog(22);
    site.build().ok();
    let entries = feed(&site, "atom.xml");
    assert_eq!(entries.len(), 20);
    assert_eq!(entries[0].1.as_deref(), Some("Body of post 1."));
    assert_eq!(entries[0].2, None);
}

/// `feed_limit: 0` is no limit, as `paginate_by: 0` is one page for all.
#[test]
fn feed_limit_zero_puts_every_post_in_every_feed() {
    let site = blog(22).file(
        "content/_index.md",
        "---\ntitle: Blog\nfeed_limit: 0\n---\n",
    );
    site.build().ok();
    assert_eq!(feed(&site, "atom.xml").len(), 22);
    assert_eq!(feed(&site, "tags/smtp/atom.xml").len(), 22);
    assert_eq!(feed(&site, "tags/imap/atom.xml").len(), 11, "the odd posts");
}

/// The `updated` of a feed with no posts comes from the site: the newest
/// date of any page, not 1970 (the epoch, which it said before).
#[test]
fn a_feed_without_posts_is_dated_by_the_site_not_1970() {
    let updated = |site: &Site| {
        let xml = site.read("atom.xml");
        let doc = roxmltree::Document::parse(&xml).unwrap();
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name("updated"))
            .and_then(|n| n.text())
            .unwrap()
            .to_string()
    };
    let site = Site::empty().file(
        "content/about.md",
        "---\ntitle: About\ndate: 2024-05-06T07:08:09Z\n---\nHello.\n",
    );
    site.build().ok();
    assert!(feed(&site, "atom.xml").is_empty());
    assert_eq!(updated(&site), "2024-05-06T07:08:09+00:00");
    // Nothing dated at all: the build's time as SOURCE_DATE_EPOCH gives it.
    let site = Site::empty().file("content/about.md", "---\ntitle: About\n---\nHello.\n");
    site.run_env(&["build"], &[("SOURCE_DATE_EPOCH", "1700000000")])
        .ok();
    assert_eq!(updated(&site), "2023-11-14T22:13:20Z");
}

#[test]
fn a_title_in_markdown_is_html_on_the_page_and_plain_text_elsewhere() {
    let site = Site::real().file(
        "content/posts/markup.md",
        "---\ntitle: \"Markup: Title *with* **Markdown** <i>x</i>\"\ndate: 2030-01-01\ntags: [email]\n---\nBody.\n",
    );
    site.run(&["build", "--future"]).ok();
    let page = site.html("posts/markup/index.html");
    let h1 = scraper::Selector::parse("h1").unwrap();
    let h1 = page.select(&h1).next().unwrap();
    assert_eq!(
        h1.inner_html(),
        "Markup: Title <em>with</em> <strong>Markdown</strong> &lt;i&gt;x&lt;/i&gt;",
        "raw HTML in a title stays text"
    );
    let plain = "Markup: Title with Markdown <i>x</i>";
    assert_eq!(
        texts(&page, "title"),
        [format!("{plain} · Email Server Ports")]
    );
    assert_eq!(
        attrs(&page, "meta[property='og:title']", "content"),
        [plain]
    );
    let ld = texts(&page, "script[type='application/ld+json']")
        .pop()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["headline"], plain);
    let home = site.html("index.html");
    let link = scraper::Selector::parse("a.post-link").unwrap();
    let first = home.select(&link).next().unwrap();
    assert!(first.inner_html().contains("<em>with</em>"));
    for rel in ["atom.xml", "tags/email/atom.xml"] {
        assert_eq!(feed(&site, rel)[0].0, plain, "{rel}");
    }
    // No asterisk of the title anywhere in the output.
    for (path, bytes) in site.snapshot_output() {
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains("*with*"), "{path}");
    }
}

#[test]
fn the_markdown_filter_renders_blocks_and_inline() {
    let site = Site::empty().file("content/_index.md", "---\ntitle: T\nblurb: \"A *b*\"\n---\n").file(
        "templates/index.html",
        r#"<div id="block">{{ site.extra.blurb | markdown }}</div><div id="inline">{{ site.extra.blurb | markdown(inline=true) }}</div>"#,
    );
    site.build().ok();
    let home = site.html("index.html");
    let inner = |id: &str| {
        let sel = scraper::Selector::parse(id).unwrap();
        home.select(&sel).next().unwrap().inner_html()
    };
    assert_eq!(inner("#block").trim(), "<p>A <em>b</em></p>");
    assert_eq!(inner("#inline"), "A <em>b</em>");
}

const DATA_PROBE: &str = r#"{% extends "base.html" %}{% block content %}
<p id="yaml">{{ site.data.providers[0].name }} {{ site.data.providers[1].imap }}</p>
<p id="yml">{{ site.data.short.k }}</p>
<p id="json">{{ site.data.limits.max }}</p>
<p id="toml">{{ site.data.server.smtp.port + 1 }}</p>
<script id="csv" type="application/json">{{ site.data.ports | json }}</script>
{% endblock content %}"#;

#[test]
fn data_files_are_site_data_in_every_template() {
    let site = Site::empty()
        .file("templates/index.html", DATA_PROBE)
        .file("templates/post.html", DATA_PROBE)
        .file("content/posts/a.md", "---\ntitle: A\n---\n")
        .file(
            "data/providers.yaml",
            "- name: Fastmail\n  imap: imap.fastmail.com\n- name: Gmail\n  imap: imap.gmail.com\n",
        )
        .file("data/short.yml", "k: v\n")
        .file("data/limits.json", "{\"max\": 25}")
        .file("data/server.toml", "[smtp]\nport = 586\n")
        .file(
            "data/ports.csv",
            "Ports,Security,Protocol,Note\n25,None,SMTP,\n465,SSL,SMTP,\"implicit, TLS\"\n587,None or TLS,SMTP,\n",
        );
    site.build().ok();
    for rel in ["index.html", "posts/a/index.html"] {
        let page = site.html(rel);
        assert_eq!(texts(&page, "#yaml"), ["Fastmail imap.gmail.com"], "{rel}");
        assert_eq!(texts(&page, "#yml"), ["v"]);
        assert_eq!(texts(&page, "#json"), ["25"]);
        assert_eq!(texts(&page, "#toml"), ["587"]);
        let csv: serde_json::Value =
            serde_json::from_str(&texts(&page, "#csv").pop().unwrap()).unwrap();
        assert_eq!(
            csv,
            serde_json::json!([
                {"port": 25, "security": ["None"], "protocol": "SMTP", "note": null},
                {"port": 465, "security": ["SSL"], "protocol": "SMTP", "note": "implicit, TLS"},
                {"port": 587, "security": ["None", "TLS"], "protocol": "SMTP", "note": null},
            ]),
            "CSV typed as a Markdown table: integers, options, text, empty as null"
        );
        let keys: Vec<&String> = csv[0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["port", "security", "protocol", "note"],
            "column order"
        );
    }
}

#[test]
fn data_file_errors_name_their_place() {
    let cases = [
        ("data/a.toml", "x = 1\ny = \n", "data/a.toml:2:"),
        ("data/a.json", "{\n  \"x\": ,\n}", "data/a.json:2:"),
        ("data/a.yaml", "a: [1,\n", "data/a.yaml:"),
        (
            "data/a.csv",
            "Port,Name\n25,SMTP\nseventy,X\n",
            "data/a.csv:3:1: error: port `seventy` is not a number from 1 to 65535",
        ),
    ];
    for (rel, text, want) in cases {
        let site = Site::empty().file(rel, text);
        let run = site.build().fails_with(1);
        assert!(run.stderr().contains(want), "{rel}: {}", run.stderr());
    }
    // A row with more cells than the header is read as a Markdown table's
    // is, as GFM (and Jekyll's CSV reading) accept it: a warning.
    let site = Site::empty().file("data/a.csv", "Port,Name\n25,SMTP,extra\n");
    let run = site.build().ok();
    assert!(
        run.stderr()
            .contains("data/a.csv:2:1: warning: table row has 3 cells but its header has 2"),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains("an empty cell is `,,`") && !run.stderr().contains("`|  |`"),
        "CSV's own advice: {}",
        run.stderr()
    );
    let site = Site::empty().file(
        "content/a.md",
        "---\ntitle: A\n---\n| Port | Name |\n|---|---|\n| 25 |\n",
    );
    let run = site.build().ok();
    assert!(
        run.stderr().contains("an empty cell is `|  |`"),
        "Markdown's advice: {}",
        run.stderr()
    );
    let site = Site::empty()
        .file("data/a.json", "1")
        .file("data/a.yaml", "2");
    let run = site.build().fails_with(1);
    assert!(
        run.stderr()
            .contains("data/a.yaml: error: this file and data/a.json are both `site.data.a`"),
        "{}",
        run.stderr()
    );
}

/// A quote that never closes would swallow the rest of the file into one
/// cell: an error at the opening quote.
#[test]
fn a_csv_data_file_with_an_unclosed_quote_is_an_error() {
    let site = Site::empty().file("data/a.csv", "name,val\nsmtp,\"25\nimap,143\n");
    let run = site.build().fails_with(1);
    assert!(
        run.stderr()
            .contains("data/a.csv:2:6: error: invalid CSV: unclosed quote"),
        "{}",
        run.stderr()
    );
    assert!(!site.exists("index.html"), "nothing written");
}

/// A CSV cell's error names the cell's own line and column, counted in
/// characters of the file as written: after a quoted cell (with a comma
/// and doubled quotes), after non-ASCII text, and after a cell that spans
/// two lines.
#[test]
fn csv_cell_errors_point_at_the_cell_as_written() {
    let site = Site::empty().file(
        "data/a.csv",
        "Name,Port\n\"a, \"\"b\"\"\",99999\n\u{e9}\u{e9}\u{e9},99999\n\"two\nlines\",seventy\n",
    );
    let run = site.build().fails_with(1);
    for want in [
        "data/a.csv:2:12: error",
        "data/a.csv:3:5: error",
        "data/a.csv:5:8: error",
    ] {
        assert!(run.stderr().contains(want), "{want}: {}", run.stderr());
    }
}

/// A data file in a subfolder nests by its folders, as Jekyll's `_data/`
/// does: `data/authors/bob.yml` is `site.data.authors.bob`, in Tera
/// templates and in a page's Liquid alike.
#[test]
fn data_files_in_folders_nest_by_folder() {
    let site = Site::empty()
        .file(
            "templates/post.html",
            r#"<p id="tera">{{ site.data.authors.bob.name }}</p><p id="deep">{{ site.data.authors.guests.ann.name }}</p>{{ page.content | safe }}"#,
        )
        .file("data/authors/bob.yml", "name: Bob Smith
")
        .file("data/authors/guests/ann.json", "{\"name\": \"Ann Lee\"}")
        .file(
            "content/posts/a.md",
            "---\ntitle: A\nliquid: true\n---\n\n<span id=\"liquid\">{{ site.data.authors.bob.name }}</span>\n",
        );
    site.build().ok();
    let page = site.html("posts/a/index.html");
    assert_eq!(texts(&page, "#tera"), ["Bob Smith"]);
    assert_eq!(texts(&page, "#deep"), ["Ann Lee"]);
    assert_eq!(texts(&page, "#liquid"), ["Bob Smith"]);
}

/// A file and a folder of one name would be one place in `site.data`
/// (Jekyll silently keeps the folder): an error naming both.
#[test]
fn a_data_file_and_folder_of_one_name_is_an_error() {
    let site = Site::empty()
        .file(
            "data/authors.yml",
            "bob: x
",
        )
        .file(
            "data/authors/bob.yml",
            "name: Bob
",
        );
    let run = site.build().fails_with(1);
    assert!(
        run.stderr().contains(
            "data/authors.yml: error: this file and the folder data/authors/ (holding data/authors/bob.yml) are both `site.data.authors`"
        ),
        "{}",
        run.stderr()
    );
}

const PORTS_A: &str =
    "---\ntitle: A\n---\n| Port | Protocol |\n|---|---|\n| 25 | SMTP |\n| 587 | SMTP |\n";
const PORTS_B: &str = "---\ntitle: B\n---\n| Port | Protocol |\n|---|---|\n| 993 | IMAP |\n";

#[test]
fn a_template_gathers_table_rows_from_other_pages_with_get_page() {
    let site = Site::empty()
        .file("content/posts/a.md", PORTS_A)
        .file("content/posts/b.md", PORTS_B)
        .file("content/all/_index.md", "---\ntitle: All ports\nfrom: [posts/a.md, content/posts/b.md]\n---\n")
        .file(
            "templates/section.html",
            r#"<ul>{% for path in page.extra.from %}{% set other = get_page(path=path) %}{% for r in other.tables[0].records %}<li data-from="{{ other.url }}">{{ r.port }} {{ r.protocol }}</li>{% endfor %}{% endfor %}</ul>"#,
        );
    site.build().ok();
    let page = site.html("all/index.html");
    assert_eq!(texts(&page, "li"), ["25 SMTP", "587 SMTP", "993 IMAP"]);
    assert_eq!(
        attrs(&page, "li", "data-from"),
        ["/posts/a/", "/posts/a/", "/posts/b/"]
    );
}

/// A section's `_index.md` is a page `get_page` finds too (and the home
/// page's): its title, URL and permalink, `extra` and tables.
#[test]
fn get_page_finds_a_section_index_and_the_home_page() {
    let site = Site::empty()
        .file("content/_index.md", "---\ntitle: Home\nbase_url: https://example.org\n---\n")
        .file(
            "content/guides/_index.md",
            "---\ntitle: Guides\nlevel: beginner\n---\n| Port | Protocol |\n|---|---|\n| 25 | SMTP |\n",
        )
        .file("content/guides/one.md", "---\ntitle: One\n---\n")
        .file(
            "templates/post.html",
            r#"{% set g = get_page(path="guides/_index.md") %}{% set h = get_page(path="content/_index.md") %}<p id="title">{{ g.title }}</p><p id="url">{{ g.url }}</p><p id="permalink">{{ g.permalink }}</p><p id="level">{{ g.extra.level }}</p><p id="port">{{ g.tables[0].records[0].port }}</p><p id="home">{{ h.title }} {{ h.url }}</p>"#,
        );
    site.build().ok();
    let page = site.html("guides/one/index.html");
    assert_eq!(texts(&page, "#title"), ["Guides"]);
    assert_eq!(texts(&page, "#url"), ["/guides/"]);
    assert_eq!(texts(&page, "#permalink"), ["https://example.org/guides/"]);
    assert_eq!(texts(&page, "#level"), ["beginner"]);
    assert_eq!(texts(&page, "#port"), ["25"]);
    assert_eq!(texts(&page, "#home"), ["Home /"]);
}

#[test]
fn get_page_of_a_missing_page_names_the_template_and_the_path() {
    let site = Site::empty().file("content/posts/a.md", PORTS_A).file(
        "templates/index.html",
        "<p>\n{% set p = get_page(path=\"posts/nope.md\") %}{{ p.title }}</p>",
    );
    let run = site.build().fails_with(1);
    let err = run.stderr();
    assert!(err.contains("templates/index.html:2:"), "{err}");
    assert!(err.contains("no page `posts/nope.md`"), "{err}");
}

#[test]
fn a_section_permalink_must_be_a_folder() {
    let site = Site::empty().file(
        "content/docs/_index.md",
        "---\ntitle: Docs\npermalink: /docs.html\n---\n",
    );
    let run = site.build().fails_with(1);
    assert!(
        run.stderr()
            .contains("content/docs/_index.md:3:1: error: a section's permalink must be a folder"),
        "{}",
        run.stderr()
    );
}

/// A folder of Markdown alone (the built-in theme): a section is rendered
/// with the theme's `section.html`, paginated, with its nav.
#[test]
fn a_site_without_templates_gets_the_themes_section_page() {
    let mut site = Site::bare().file(
        "content/guides/_index.md",
        "---\ntitle: \"Our *guides*\"\nsort_by: title\npaginate_by: 2\n---\n",
    );
    for name in ["c", "a", "b"] {
        site = site.file(
            &format!("content/guides/{name}.md"),
            &format!("---\ntitle: Guide {name}\n---\n"),
        );
    }
    site.build().ok();
    let first = site.html("guides/index.html");
    let h1 = scraper::Selector::parse("h1").unwrap();
    assert_eq!(
        first.select(&h1).next().unwrap().inner_html(),
        "Our <em>guides</em>"
    );
    assert_eq!(texts(&first, "title"), ["Our guides · My site"]);
    assert_eq!(texts(&first, "a.post-link"), ["Guide a", "Guide b"]);
    assert_eq!(
        attrs(&first, "nav.pagination a[rel=next]", "href"),
        ["/guides/page/2/"]
    );
    let second = site.html("guides/page/2/index.html");
    assert_eq!(texts(&second, "a.post-link"), ["Guide c"]);
}

/// Each feed entry's title with its `published` and `updated` times, as
/// instants in UTC (the feed may write any offset).
fn feed_times(site: &Site) -> Vec<(String, String, String)> {
    let utc = |time: Option<String>| {
        let time = time.unwrap_or_default();
        chrono::DateTime::parse_from_rfc3339(&time)
            .unwrap_or_else(|e| panic!("{time:?}: {e}"))
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    feed_fields(site, "atom.xml", ["title", "published", "updated"])
        .into_iter()
        .map(|[title, published, updated]| (title.unwrap(), utc(published), utc(updated)))
        .collect()
}

/// Posts dated in every way a date can be written, on a site whose
/// `_index.md` front matter is `settings`.
fn dated_site(settings: &str) -> Site {
    Site::empty()
        .file("content/_index.md", &format!("---\ntitle: T\n{settings}---\n"))
        .file(
            "content/posts/winter.md",
            "---\ntitle: Winter\ndate: 2024-01-15 10:00:00\n---\nText.\n",
        )
        .file(
            "content/posts/summer.md",
            "---\ntitle: Summer\ndate: 2024-07-15 10:00:00\nlast_modified_at: 2024-07-20\n---\nText.\n",
        )
        .file(
            "content/posts/offset.md",
            "---\ntitle: Offset\ndate: 2024-03-01 09:00:00 +0100\n---\nText.\n",
        )
        .file("content/posts/2024-02-01-named.md", "---\ntitle: Named\n---\nText.\n")
}

#[test]
fn dates_without_an_offset_are_read_in_the_sites_timezone() {
    let site = dated_site("timezone: America/New_York\n");
    site.build().ok();
    let mut times = feed_times(&site);
    times.sort();
    let want = |t: &str, p: &str, u: &str| (t.to_string(), p.to_string(), u.to_string());
    assert_eq!(
        times,
        [
            // Standard time in New York on 1 February (from the file name)
            // and 15 January, daylight time on 15 July; a date written
            // with its own offset keeps it.
            want("Named", "2024-02-01T05:00:00Z", "2024-02-01T05:00:00Z"),
            want("Offset", "2024-03-01T08:00:00Z", "2024-03-01T08:00:00Z"),
            want("Summer", "2024-07-15T14:00:00Z", "2024-07-20T04:00:00Z"),
            want("Winter", "2024-01-15T15:00:00Z", "2024-01-15T15:00:00Z"),
        ]
    );
    // The page shows the date as written, with New York's offset.
    let page = site.read("posts/winter/index.html");
    assert!(page.contains("2024-01-15T10:00:00-05:00"), "{page}");

    // Without a `timezone` the same dates are UTC.
    let site = dated_site("");
    site.build().ok();
    let winter = feed_times(&site)
        .into_iter()
        .find(|t| t.0 == "Winter")
        .unwrap();
    assert_eq!(winter.1, "2024-01-15T10:00:00Z");
}

#[test]
fn a_post_is_in_the_future_until_its_time_in_the_sites_timezone() {
    // 2024-01-15 12:00 UTC: after 10:00 in London, before 10:00 in New York.
    let epoch = [("SOURCE_DATE_EPOCH", "1705320000")];
    let london = dated_site("timezone: Europe/London\n");
    london.run_env(&["build"], &epoch).ok();
    assert!(london.exists("posts/winter/index.html"));
    let new_york = dated_site("timezone: America/New_York\n");
    let run = new_york.run_env(&["build"], &epoch).ok();
    assert!(!new_york.exists("posts/winter/index.html"));
    assert!(
        run.stderr().contains("content/posts/winter.md:3:1"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_timezone_that_is_not_a_zone_is_a_warning_at_its_line() {
    // A name no zone has, and `+2`, which YAML reads as a number.
    for (setting, said) in [
        (
            "timezone: Mars/Olympus\n",
            "`timezone: Mars/Olympus` is not a time zone",
        ),
        (
            "timezone: +2\n",
            "`timezone` is the number 2, not a time zone's name",
        ),
    ] {
        let site = dated_site(setting);
        let run = site.build().ok();
        assert!(
            run.stderr().contains("content/_index.md:3:1") && run.stderr().contains(said),
            "{}",
            run.stderr()
        );
        // Dates without an offset stay UTC.
        let winter = feed_times(&site)
            .into_iter()
            .find(|t| t.0 == "Winter")
            .unwrap();
        assert_eq!(winter.1, "2024-01-15T10:00:00Z");
    }
}
