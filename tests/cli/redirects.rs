//! Redirects: old addresses (`aliases`, `redirect_from`) that send the
//! reader to a page, and pages that send the reader elsewhere
//! (`redirect_to`).

use crate::support::{Site, attrs, texts};

const BASE: &str = "https://user.github.io/repo/";

/// The parts of a redirect page a browser and a crawler act on.
struct RedirectPage {
    refresh: String,
    canonical: String,
    links: Vec<String>,
    lang: String,
    title: String,
}

fn redirect_page(site: &Site, file: &str) -> RedirectPage {
    let doc = site.html(file);
    let one = |values: Vec<String>| {
        assert_eq!(values.len(), 1, "{file}: {values:?}");
        values.into_iter().next().unwrap()
    };
    RedirectPage {
        refresh: one(attrs(&doc, "meta[http-equiv=refresh]", "content")),
        canonical: one(attrs(&doc, "link[rel=canonical]", "href")),
        links: attrs(&doc, "body a", "href"),
        lang: one(attrs(&doc, "html", "lang")),
        title: one(texts(&doc, "title")),
    }
}

fn built_under_base() -> Site {
    let site = Site::fixture("redirects");
    site.run(&["build", "--base-url", BASE]).ok();
    site
}

#[test]
fn old_addresses_send_the_reader_to_the_page_under_the_base_url() {
    let site = built_under_base();
    for file in [
        "old/path/index.html",
        "legacy.html",
        "2019/01/01/jekyll-style/index.html",
    ] {
        let page = redirect_page(&site, file);
        assert_eq!(page.refresh, "0; url=/repo/posts/new-home/", "{file}");
        assert_eq!(
            page.canonical,
            "https://user.github.io/repo/posts/new-home/"
        );
        assert_eq!(page.links, ["/repo/posts/new-home/"]);
        assert_eq!(page.lang, "en");
        assert!(
            page.title.contains("/repo/posts/new-home/"),
            "{}",
            page.title
        );
    }
    assert_eq!(
        texts(&site.html("posts/new-home/index.html"), "h1"),
        ["The new home"],
        "the page itself is still rendered"
    );
}

#[test]
fn redirect_to_makes_the_page_a_redirect_to_another_site_or_a_path() {
    let site = built_under_base();
    let away = redirect_page(&site, "posts/moved-away/index.html");
    assert_eq!(away.refresh, "0; url=https://example.org/elsewhere/");
    assert_eq!(away.canonical, "https://example.org/elsewhere/");
    assert_eq!(away.links, ["https://example.org/elsewhere/"]);
    let contact = redirect_page(&site, "contact/index.html");
    assert_eq!(contact.refresh, "0; url=/repo/posts/new-home/");
    assert_eq!(contact.links, ["/repo/posts/new-home/"]);
}

#[test]
fn the_sitemap_lists_no_redirect() {
    let site = built_under_base();
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://user.github.io/repo/posts/new-home/"));
    for redirect in [
        "old/path",
        "legacy",
        "jekyll-style",
        "moved-away",
        "contact",
    ] {
        assert!(
            !locs.iter().any(|l| l.contains(redirect)),
            "{redirect} in {locs:?}"
        );
    }
}

#[test]
fn check_follows_redirects_to_their_targets() {
    let site = Site::fixture("redirects");
    site.run(&["check", "--base-url", BASE]).ok();
    let broken = site.file(
        "content/posts/gone.md",
        "---\ntitle: Gone\nredirect_to: /posts/never-written/\n---\n",
    );
    let run = broken.run(&["check"]).fails_with(1);
    assert!(
        run.stderr()
            .contains("content/posts/gone.md:3:1: error: broken link `/posts/never-written/`"),
        "{}",
        run.stderr()
    );
}

#[test]
fn two_redirects_on_one_path_are_an_error_naming_both_files() {
    let site = Site::fixture("redirects").file(
        "content/posts/rival.md",
        "---\ntitle: Rival\nredirect_from: [/old/path/]\n---\n",
    );
    let err = site.build().fails_with(1).stderr();
    assert!(err.contains("content/posts/rival.md:3:1"), "{err}");
    assert!(err.contains("content/posts/new-home.md:4"), "{err}");
    assert!(err.contains("/old/path/index.html"), "{err}");
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn a_redirect_on_a_page_path_is_an_error_naming_both_files() {
    let site = Site::fixture("redirects").file(
        "content/posts/squatter.md",
        "---\ntitle: Squatter\naliases: /contact/\n---\n",
    );
    let err = site.build().fails_with(1).stderr();
    assert!(err.contains("content/posts/squatter.md:3:1"), "{err}");
    assert!(err.contains("content/contact.md"), "{err}");
    assert!(err.contains("/contact/index.html"), "{err}");
}

/// A term's page and feed and a later list page are written by folio: an
/// old address there is an error at its line, not a clash of two unnamed
/// writers.
#[test]
fn a_redirect_on_a_list_page_is_an_error_at_its_line() {
    let posts = (1..=3).fold(Site::empty(), |site, i| {
        site.file(
            &format!("content/posts/p{i}.md"),
            &format!("---\ntitle: P{i}\ndate: 2020-01-0{i}\ntags: [x]\n---\n"),
        )
    });
    let home = "---\ntitle: Home\npaginate_by: 1\n---\n";
    for old in [
        "/tags/x/",
        "/page/2/",
        "/tags/x/page/3/",
        "/tags/x/atom.xml",
    ] {
        let site = posts.copy().file("content/_index.md", home).file(
            "content/posts/p1.md",
            &format!("---\ntitle: P1\ndate: 2020-01-01\ntags: [x]\naliases: [\"{old}\"]\n---\n"),
        );
        let err = site.build().fails_with(1).stderr();
        assert!(
            err.contains("content/posts/p1.md:5:1: error: this redirect wants"),
            "{err}"
        );
        assert!(err.contains("where folio writes a list page"), "{err}");
    }
}

#[test]
fn a_static_file_on_a_redirect_or_a_page_names_what_writes_there() {
    let site = Site::empty()
        .file(
            "content/posts/new.md",
            "---\ntitle: New\ndate: 2020-01-01\naliases:\n  - /elsewhere/\n  - /old/\n---\nHi\n",
        )
        .file("static/old/index.html", "x")
        .file("static/posts/new/index.html", "y");
    let err = site.build().fails_with(1).stderr();
    assert!(
        err.contains(
            "static/old/index.html: error: static file clashes with /old/index.html, \
             which the redirect at content/posts/new.md:6 writes"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "static/posts/new/index.html: error: static file clashes with \
             /posts/new/index.html, which the page content/posts/new.md writes"
        ),
        "{err}"
    );
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn an_old_address_outside_the_site_is_an_error_at_its_line() {
    let site = Site::empty().file(
        "content/posts/x.md",
        "---\ntitle: X\naliases:\n  - /ok/\n  - /../../etc/passwd\n---\n",
    );
    let err = site.build().fails_with(1).stderr();
    // At the item's own line, not at `aliases:`.
    assert!(err.contains("content/posts/x.md:5:1"), "{err}");
    assert!(err.contains("/../../etc/passwd"), "{err}");
}

#[test]
fn redirect_keys_are_not_page_extra() {
    let site = Site::fixture("redirects").file(
        "templates/post.html",
        "{% for k, v in page.extra %}<i>{{ k }}</i>{% endfor %}<h1>{{ page.title }}</h1>",
    );
    site.build().ok();
    let doc = site.html("posts/new-home/index.html");
    assert_eq!(texts(&doc, "i"), Vec::<String>::new());
}

#[test]
fn the_home_page_cannot_be_a_redirect() {
    let site = Site::empty().file(
        "content/_index.md",
        "---\ntitle: Home\nredirect_to: https://example.org/\n---\n",
    );
    let err = site.build().fails_with(1).stderr();
    assert!(
        err.contains("content/_index.md:3:1: error: the home page cannot be a redirect"),
        "{err}"
    );
}

/// A redirect on a file of the built-in theme would take the site's
/// stylesheet away without a word: it is an error naming the file.
#[test]
fn a_redirect_on_a_theme_file_is_an_error() {
    let site = Site::empty().file(
        "content/posts/p.md",
        "---\ntitle: P\naliases: [\"/css/style.css\"]\n---\nText.\n",
    );
    let err = site.build().fails_with(1).stderr();
    assert!(
        err.contains(
            "static/css/style.css: error: the generated /css/style.css would replace the built-in theme's file"
        ),
        "{err}"
    );
    assert!(!site.exists("css/style.css"));
    // With the site's own file there, the clash names that file and the
    // redirect, once.
    let site = site.file("static/css/style.css", "body { margin: 0 }\n");
    let err = site.build().fails_with(1).stderr();
    assert!(
        err.contains(
            "static/css/style.css: error: static file clashes with /css/style.css, \
             which the redirect at content/posts/p.md:3 writes"
        ),
        "{err}"
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
}
