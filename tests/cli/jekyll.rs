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
            .map(|d| d.trim().trim_matches('"').get(..10).unwrap_or("").to_string())
            .filter(|_| !name.starts_with("2023-01-29"));
        assert_eq!(day, written.unwrap_or_else(|| name[..10].to_string()), "{name}");
        assert_eq!(texts(&html, "ul.tags a"), page.tags, "{name}");
        assert_eq!(texts(&html, "ul.categories a"), page.categories, "{name}");
        for term in &page.tags {
            let slug = folio::text::slugify(term);
            assert!(site.exists(&format!("tags/{slug}/index.html")), "{term}");
        }
    }
    assert_eq!(built, 81);
}
