//! Jekyll sites: the corpus of real posts, and one fixture per Jekyll form.

use crate::support::{Site, attrs, repo_root, texts};
use std::path::Path;

/// `path:line:col` and the start of the message of every warning in
/// `stderr`, sorted.
fn warnings(stderr: &str) -> Vec<String> {
    let mut found: Vec<String> = stderr
        .lines()
        .filter_map(|l| l.split_once(": warning: "))
        .map(|(place, msg)| {
            let kind: String = msg.chars().take(40).collect();
            format!("{place} {kind}")
        })
        .collect();
    found.sort();
    found
}

/// Every warning the corpus gives, reviewed one by one (see the README's
/// "Coming from Jekyll"): each is a real finding, so a new one fails here.
const CORPUS_WARNINGS: &[&str] = &[
    // minimal-mistakes' capture + markdownify idiom: Liquid logic folio does not run.
    "content/posts/2010-02-05-post-notice.md:55:1 Liquid `{% capture notice-2 %}` is not s",
    "content/posts/2010-02-05-post-notice.md:60:1 Liquid `{% endcapture %}` is not support",
    "content/posts/2010-02-05-post-notice.md:63:3 Liquid `{{ notice-2 | markdownify }}` is",
    "content/posts/2010-08-06-post-image-linked-caption.md:10:1 Liquid `{% capture fig_img %}` is not su",
    "content/posts/2010-08-06-post-image-linked-caption.md:12:1 Liquid `{% endcapture %}` is not support",
    "content/posts/2010-08-06-post-image-linked-caption.md:14:1 Liquid `{% capture fig_caption %}` is no",
    "content/posts/2010-08-06-post-image-linked-caption.md:16:1 Liquid `{% endcapture %}` is not support",
    "content/posts/2010-08-06-post-image-linked-caption.md:19:3 Liquid `{{ fig_img | markdownify | remov",
    "content/posts/2010-08-06-post-image-linked-caption.md:20:15 Liquid `{{ fig_caption | markdownify | r",
    "content/posts/2010-08-07-post-image-caption.md:10:1 Liquid `{% capture fig_img %}` is not su",
    "content/posts/2010-08-07-post-image-caption.md:12:1 Liquid `{% endcapture %}` is not support",
    "content/posts/2010-08-07-post-image-caption.md:15:3 Liquid `{{ fig_img | markdownify | remov",
    // The theme's includes; this site has no such templates.
    "content/posts/2010-09-09-post-gallery.md:105:1 `{% include gallery caption=\"This is a s",
    "content/posts/2010-09-09-post-gallery.md:130:1 `{% include gallery id=\"gallery2\" captio",
    "content/posts/2010-09-09-post-gallery.md:134:1 `{% include gallery id=\"gallery3\" class=",
    "content/posts/2010-09-09-post-gallery.md:142:1 `{% include gallery id=\"gallery\" layout=",
    "content/posts/2012-01-03-layout-table-of-contents-include-post.md:13:1 `{% include toc %}`: no template templat",
    "content/posts/2017-01-23-layout-header-video.md:32:1 `{% include video id=\"-PVofD2A9t8\" provi",
    "content/posts/2017-01-23-layout-header-video.md:51:1 `{% include video id=\"212731897\" provide",
    // Dated 9999-12-31: Jekyll leaves it out without --future, and so do we.
    "content/posts/2010-10-25-post-future-date.md:3:1 post dated 9999-12-31T00:00:00+00:00, af",
    // kramdown tables whose second body group repeats the first: real repeats in the data.
    "content/posts/2012-01-03-layout-table-of-contents-post.md:65:1 table row repeats the row on line 62",
    "content/posts/2012-01-03-layout-table-of-contents-post.md:66:1 table row repeats the row on line 63",
    "content/posts/2012-01-03-layout-table-of-contents-sticky.md:60:1 table row repeats the row on line 57",
    "content/posts/2012-01-03-layout-table-of-contents-sticky.md:61:1 table row repeats the row on line 58",
    "content/posts/2013-01-11-markup-html-tags-and-formatting.md:55:1 table row repeats the row on line 52",
    "content/posts/2013-01-11-markup-html-tags-and-formatting.md:56:1 table row repeats the row on line 53",
    // A loop that writes link definitions.
    "content/posts/2013-05-08-jekyll-1-0-1-released.markdown:21:1 Liquid `{% assign issue_numbers = \"1037|",
    "content/posts/2013-05-08-jekyll-1-0-1-released.markdown:22:1 Liquid `{% for issue in issue_numbers %}",
    "content/posts/2013-05-08-jekyll-1-0-1-released.markdown:23:3 Liquid `{{ issue }}` is not supported in",
    "content/posts/2013-05-08-jekyll-1-0-1-released.markdown:23:17 Liquid `{{ site.repository }}` is not su",
    "content/posts/2013-05-08-jekyll-1-0-1-released.markdown:23:46 Liquid `{{ issue }}` is not supported in",
    "content/posts/2013-05-08-jekyll-1-0-1-released.markdown:24:1 Liquid `{% endfor %}` is not supported i",
    "content/posts/2020-05-27-jekyll-4-1-0-released.markdown:49:1 Liquid `{% for filter in page.filters_li",
    "content/posts/2020-05-27-jekyll-4-1-0-released.markdown:50:1 Liquid `{% assign filter_slug = filter |",
    "content/posts/2020-05-27-jekyll-4-1-0-released.markdown:51:2 Liquid `{{ filter_slug }}` is not suppor",
    "content/posts/2020-05-27-jekyll-4-1-0-released.markdown:51:29 Liquid `{{ filter_slug | prepend: '/docs",
    "content/posts/2020-05-27-jekyll-4-1-0-released.markdown:52:1 Liquid `{% endfor %}` is not supported i",
    // Links to posts and docs that are not in this corpus (the link is left broken for `check`).
    "content/posts/2014-05-06-jekyll-turns-2-0-0.markdown:30:13 `{% post_url 2013-05-06-jekyll-1-0-0-rel",
    "content/posts/2023-01-29-jekyll-3-9-3-released.markdown:13:42 `{% link _docs/history.md %}`: no page `",
    // The jekyllrb.com layout, which this site does not have.
    "content/posts/2018-02-19-meet-jekyll-s-new-lead-developer.markdown:2:1 layout `news_item` has no template templ",
    // `2023-01-29 18:30:22 2023 -0800`: a year too many; the file name's date is used.
    "content/posts/2023-01-29-jekyll-3-9-3-released.markdown:3:1 `date: 2023-01-29 18:30:22 2023 -0800` i",
    // Content lint (the editing-loop issue): headings that skip a level,
    // a post with no title, and images from the theme's assets/, which this
    // corpus does not ship. Real findings in the posts as written.
    "content/posts/2009-05-15-edge-case-nested-and-mixed-lists.md:18:1 heading level skipped: \"Ordered -- Unord",
    "content/posts/2009-09-05-edge-case-no-yaml-title.md:1:1 no `title`: the file name is used as the",
    "content/posts/2010-02-05-post-notice.md:56:1 heading level skipped: \"New Site Feature",
    "content/posts/2010-08-05-post-image-standard.md:26:1 `/assets/images/unsplash-image-9.jpg` li",
    "content/posts/2010-08-05-post-image-standard.md:43:1 `/assets/images/unsplash-image-10.jpg` l",
    "content/posts/2010-08-07-post-image-caption.md:11:1 `/assets/images/unsplash-gallery-image-3",
    "content/posts/2012-01-03-layout-table-of-contents-post.md:31:1 `/assets/images/3953273590_704e3899d5_m.",
    "content/posts/2012-01-03-layout-table-of-contents-sticky.md:26:1 `/assets/images/3953273590_704e3899d5_m.",
    "content/posts/2012-03-15-layout-header-overlay-image.md:29:1 `/assets/images/mm-header-overlay-black-",
    "content/posts/2012-03-15-layout-header-overlay-image.md:44:1 `/assets/images/mm-header-overlay-red-fi",
    "content/posts/2013-01-09-markup-text-alignment.md:12:1 heading level skipped: \"Default\" is h3 a",
    "content/posts/2013-01-10-markup-image-alignment.md:16:1 `/assets/images/image-alignment-580x300.",
    "content/posts/2013-01-10-markup-image-alignment.md:20:1 `/assets/images/image-alignment-150x150.",
    "content/posts/2013-01-10-markup-image-alignment.md:26:1 `/assets/images/image-alignment-1200x400",
    "content/posts/2013-01-10-markup-image-alignment.md:30:1 `/assets/images/image-alignment-300x200.",
    "content/posts/2013-05-22-markup-more-images.md:14:1 heading level skipped: \"Figures (for ima",
    "content/posts/2013-08-16-markup-syntax-highlighting.md:17:1 heading level skipped: \"GFM Code Blocks\"",
    "content/posts/2016-10-06-jekyll-3-3-is-here.md:12:1 heading level skipped: \"1. Themes can no",
    "content/posts/2019-08-19-jekyll-4-0-0-released.markdown:25:1 heading level skipped: \"Cache all the th",
    "content/posts/2020-05-27-jekyll-4-1-0-released.markdown:54:1 heading level skipped: \"Have questions?\"",
];

#[test]
fn all_corpus_posts_build_with_title_date_and_terms() {
    let site = Site::fixture("jekyll-corpus");
    let run = site.build().ok();
    let err = run.stderr();
    assert!(!err.contains("error:"), "{err}");
    let found = warnings(&err);
    eprintln!("jekyll corpus: {} warnings", found.len());
    let mut expected: Vec<String> = CORPUS_WARNINGS.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(found, expected, "the corpus's warnings changed");

    let posts = repo_root().join("tests/fixtures/jekyll-corpus/content/posts");
    let mut built = 0;
    for entry in std::fs::read_dir(&posts).unwrap() {
        let file = entry.unwrap().path();
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let rel = Path::new("content/posts").join(&name);
        let text = std::fs::read_to_string(&file).unwrap();
        let page = folio::content::parse_page(&rel, &text).item.unwrap();
        if name.contains("future-date") {
            assert!(!site.exists(&page.output_file()), "future post built");
            continue;
        }
        built += 1;
        let html = site.html(&page.output_file());
        assert_eq!(texts(&html, "article > h1"), [page.title.trim()], "{name}");
        // The date shown is the `date:` line's (when it parses), else the file name's.
        let day = texts(&html, "article > time").remove(0);
        let written = text
            .lines()
            .find_map(|l| l.strip_prefix("date:"))
            .map(|d| {
                d.trim()
                    .trim_matches('"')
                    .get(..10)
                    .unwrap_or("")
                    .to_string()
            })
            .filter(|_| !name.starts_with("2023-01-29"));
        assert_eq!(
            day,
            written.unwrap_or_else(|| name[..10].to_string()),
            "{name}"
        );
        assert_eq!(texts(&html, "ul.tags a"), page.tags, "{name}");
        assert_eq!(texts(&html, "ul.categories a"), page.categories, "{name}");
        for term in &page.tags {
            let slug = folio::text::slugify(term);
            assert!(site.exists(&format!("tags/{slug}/index.html")), "{term}");
        }
    }
    assert_eq!(built, 81);
}

#[test]
fn dates_in_every_jekyll_form() {
    let site = Site::fixture("jekyll-dates");
    let run = site.build().ok();
    let day = |path: &str| attrs(&site.html(path), "time", "datetime").remove(0);
    assert_eq!(
        day("posts/file-name/index.html"),
        "2019-08-20T00:00:00+00:00"
    );
    assert_eq!(day("posts/plain/index.html"), "2019-08-21T00:00:00+00:00");
    assert_eq!(day("posts/offset/index.html"), "2016-03-09T10:00:00-07:00");
    assert_eq!(day("posts/iso/index.html"), "2020-05-27T12:30:00+02:00");
    assert_eq!(day("posts/quoted/index.html"), "2013-05-08T23:46:11+02:00");
    // `date:` wins over the file name, as in Jekyll.
    assert_eq!(
        day("posts/date-wins/index.html"),
        "2019-08-20T10:00:00-05:00"
    );
    // An unparseable date warns at its line and the file name's date is used.
    assert_eq!(day("posts/bad/index.html"), "2023-01-29T00:00:00+00:00");
    assert!(
        run.stderr()
            .contains("content/posts/2023-01-29-bad.md:3:1: warning: `date: 2023-01-29 18:30:22 2023 -0800` is not a date"),
        "{}",
        run.stderr()
    );
}

#[test]
fn last_modified_at_is_the_feed_entry_update() {
    let site = Site::fixture("jekyll-dates");
    site.build().ok();
    let feed = site.read("atom.xml");
    let entry = feed
        .split("<entry>")
        .find(|e| e.contains("<title>Modified</title>"))
        .unwrap();
    assert!(
        entry.contains("<published>2010-01-07T00:00:00+00:00</published>"),
        "{entry}"
    );
    assert!(
        entry.contains("<updated>2016-03-09T16:20:02-05:00</updated>"),
        "{entry}"
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<lastmod>2016-03-09T16:20:02-05:00</lastmod>")
    );
}

#[test]
fn taxonomies_as_string_space_separated_or_list() {
    let site = Site::fixture("jekyll-taxonomies");
    site.build().ok();
    let terms = |path: &str, list: &str| texts(&site.html(path), &format!(".{list} a"));
    assert_eq!(terms("posts/string/index.html", "categories"), ["news"]);
    assert_eq!(terms("posts/string/index.html", "tags"), ["email"]);
    assert_eq!(
        terms("posts/spaces/index.html", "categories"),
        ["release", "news"]
    );
    assert_eq!(terms("posts/spaces/index.html", "tags"), ["smtp", "imap"]);
    assert_eq!(
        terms("posts/lists/index.html", "tags"),
        ["Post Formats", "C++ / Rust"]
    );
    assert_eq!(
        attrs(&site.html("posts/lists/index.html"), ".tags a", "href"),
        ["/tags/post-formats/", "/tags/c-rust/"]
    );
    // Term pages list their posts.
    let news = site.html("categories/news/index.html");
    assert_eq!(texts(&news, ".posts a"), ["Spaces", "String"]);
    let formats = site.html("categories/post-formats/index.html");
    assert_eq!(texts(&formats, ".posts a"), ["Lists"]);
    assert_eq!(
        texts(&site.html("tags/c-rust/index.html"), "h1"),
        ["C++ / Rust"]
    );
}

#[test]
fn excerpts_first_paragraph_separator_or_written() {
    let site = Site::fixture("jekyll-excerpts");
    site.build().ok();
    let home = site.html("index.html");
    let excerpt = |id: &str| {
        let sel = format!("#{id} .excerpt");
        texts(&home, &sel).remove(0)
    };
    assert_eq!(excerpt("first-paragraph"), "The first paragraph.");
    assert_eq!(excerpt("own-separator"), "One.\nTwo.");
    assert_eq!(excerpt("site-separator"), "Alpha.\nBeta.");
    assert_eq!(excerpt("written"), "Written by hand.");
    assert_eq!(texts(&home, "#written .excerpt em"), ["by hand"]);
    let feed = site.read("atom.xml");
    assert!(feed.contains("<summary>One. Two.</summary>"), "{feed}");
    assert!(
        feed.contains("<summary>Written by hand.</summary>"),
        "{feed}"
    );
}

#[test]
fn liquid_forms_in_bodies() {
    let site = Site::fixture("jekyll-liquid");
    let run = site.build().ok();
    let err = run.stderr();
    let page = site.html("posts/liquid/index.html");
    let html = site.read("posts/liquid/index.html");
    // raw
    assert_eq!(texts(&page, "p code"), ["{{ page.title }}"]);
    // highlight: a code block, its content literal
    assert_eq!(attrs(&page, "pre code", "class"), ["language-ruby"]);
    assert_eq!(texts(&page, "pre code"), ["puts \"<b>\" if x {{ y }}"]);
    // site.url, site.baseurl, relative_url, absolute_url
    assert_eq!(
        attrs(&page, "img[alt=Logo]", "src"),
        ["https://user.github.io/repo/assets/logo.png"]
    );
    let hrefs = attrs(&page, "a", "href");
    for want in [
        "/repo/docs/",
        "https://user.github.io/repo/docs/",
        "/repo/posts/target/",
        "/repo/about/",
        "2000-01-01-gone",
    ] {
        assert!(hrefs.contains(&want.to_string()), "{want} in {hrefs:?}");
    }
    assert_eq!(
        hrefs.iter().filter(|h| *h == "/repo/posts/target/").count(),
        2,
        "post_url and link"
    );
    assert!(
        err.contains(
            "content/posts/liquid.md:23:8: warning: `{% post_url 2000-01-01-gone %}`: no page"
        ),
        "{err}"
    );
    // include of a known name: rendered by templates/includes/gallery.html,
    // which reads nested front matter (`page.gallery`) and `include.caption`.
    assert_eq!(
        attrs(&page, "figure.gallery img", "src"),
        ["/assets/one.jpg", "/assets/two.jpg"]
    );
    assert_eq!(texts(&page, "figcaption"), ["Two *pictures*"]);
    assert_eq!(texts(&page, ".teaser"), ["/assets/teaser.jpg"]);
    // Anything else stays visible, with a warning at its line.
    assert!(html.contains("{% include toc %}"));
    assert!(html.contains("{% assign x = 1 %}"));
    assert!(
        err.contains("content/posts/liquid.md:27:1: warning: `{% include toc %}`"),
        "{err}"
    );
    assert!(
        err.contains(
            "content/posts/liquid.md:29:1: warning: Liquid `{% assign x = 1 %}` is not supported"
        ),
        "{err}"
    );
    // kramdown attribute lists do not show.
    assert!(!html.contains("{:"), "{html}");
    assert_eq!(texts(&page, "p strong"), ["Note:"]);
    // Lines after the tags are still right: the last line is reported where it is.
    assert!(html.contains("<p>Last line.</p>"));
}

#[test]
fn future_posts_wait_unless_future_flag() {
    let site = Site::fixture("jekyll-future");
    // 2021-01-01T00:00:00Z: `later` (2021-06-01) is in the future.
    let epoch = [("SOURCE_DATE_EPOCH", "1609459200")];
    let run = site.run_env(&["build"], &epoch).ok();
    assert!(site.exists("posts/past/index.html"));
    assert!(!site.exists("posts/later/index.html"));
    assert!(
        run.stderr().contains("content/posts/later.md:3:1: warning: post dated 2021-06-01T10:00:00+00:00, after the build's time: not published"),
        "{}",
        run.stderr()
    );
    let first = site.snapshot_output();
    site.run_env(&["build"], &epoch).ok();
    assert_eq!(first, site.snapshot_output(), "deterministic");
    site.run_env(&["build", "--future"], &epoch).ok();
    assert!(site.exists("posts/later/index.html"));
}

#[test]
fn import_jekyll_copies_posts_settings_and_static_files() {
    let site = Site::empty();
    let jekyll = repo_root().join("tests/fixtures/jekyll-site");
    let jekyll = jekyll.to_str().unwrap();
    let run = site.run(&["import-jekyll", jekyll]).ok();
    let err = run.stderr();
    assert!(err.contains("index.html: warning: not imported"), "{err}");
    let read = |rel: &str| std::fs::read_to_string(site.path().join(rel)).unwrap();
    assert_eq!(
        read("content/posts/2020-01-01-hi.md"),
        std::fs::read_to_string(
            repo_root().join("tests/fixtures/jekyll-site/_posts/2020-01-01-hi.md")
        )
        .unwrap()
    );
    let index = read("content/_index.md");
    for line in [
        "title: My Jekyll blog",
        "description: Notes",
        "author: Ann",
        "base_url: https://me.github.io/blog/",
    ] {
        assert!(index.contains(line), "{line} in {index}");
    }
    assert!(!index.contains("theme"), "{index}");
    assert_eq!(read("static/assets/img/logo.png"), "PNGDATA");
    assert_eq!(read("static/notes.txt"), "CNAME-ish text\n");
    assert!(read("content/about.md").contains("About me."));
    assert!(!site.path().join("static/Gemfile").exists());
    assert!(!site.path().join("static/_layouts").exists());
    assert!(!site.path().join("static/index.html").exists());

    // The imported site builds; the post's Liquid uses the imported base.
    site.build().ok();
    let post = site.read("posts/hi/index.html");
    assert!(post.contains("Hello /blog."), "{post}");

    // A second import refuses to overwrite and writes nothing.
    std::fs::write(site.path().join("content/about.md"), "mine\n").unwrap();
    let run = site.run(&["import-jekyll", jekyll]).fails_with(1);
    assert!(
        run.stderr()
            .contains("content/posts/2020-01-01-hi.md: error: exists already"),
        "{}",
        run.stderr()
    );
    assert_eq!(read("content/about.md"), "mine\n");
}
