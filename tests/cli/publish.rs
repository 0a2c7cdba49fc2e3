//! Publishing: `folio check`, base URLs, feed and sitemap validity,
//! reproducible output, and the GitHub Pages workflow.

use crate::support::{Site, attrs, repo_root};

#[test]
fn check_reports_each_broken_link_at_its_markdown_source() {
    let site = Site::fixture("check-links");
    let run = site.run(&["check"]).fails_with(1);
    let err = run.stderr();
    for line in [
        "content/posts/a.md:7:3: error: broken anchor `/posts/b/#nope`",
        "content/posts/a.md:7:33: error: broken link `missing.md`",
        "content/posts/a.md:9:15: error: broken link `/nowhere/`",
        "content/posts/b.md:7:9: error: broken anchor `/posts/a/#top-of-page`",
    ] {
        assert!(err.contains(line), "missing `{line}` in:\n{err}");
    }
    // A link a template breaks is reported at the template line.
    assert!(err.contains("templates/404.html:3:"), "{err}");
    assert!(err.contains("broken link `/gone/`"), "{err}");
    // External links are listed with their place, not fetched.
    assert!(
        err.contains("https://example.org/page  (content/posts/a.md:9:"),
        "{err}"
    );
    assert!(err.contains(": 5 broken;"), "{err}");
    // check writes nothing.
    assert!(!site.path().join("public").exists());
}

#[test]
fn markdown_links_to_sources_become_page_urls() {
    let site = Site::fixture("check-links");
    site.run(&["build", "--base-url", "https://u.github.io/repo/"])
        .ok();
    let page = site.html("posts/a/index.html");
    let hrefs = attrs(&page, "article a", "href");
    assert!(hrefs.contains(&"/repo/posts/b/".to_string()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"/repo/posts/b/#section".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"/repo/".to_string()),
        "root-relative links get the base: {hrefs:?}"
    );
}

/// One rule tells a link to another site from a link into this one
/// (`urls::link_kind`): a scheme is a letter, then letters, digits, `+`, `-`
/// or `.`, before any `/`, `#` or `?`. A `:` later in a link (in a
/// fragment, a query or a file name) does not make it external.
#[test]
fn a_colon_after_the_path_does_not_make_a_link_external() {
    let site = Site::empty()
        .file("content/posts/b.md", "---\ntitle: B\n---\n## Step 1\n")
        .file(
            "content/posts/a.md",
            "---\ntitle: A\n---\n[b](b.md#step:1) [q](b.md?at=10:30) \
             [go](/go/?to=https://example.org/) [mail](mailto:me@example.org) \
             [ext](https://example.org/x.md)\n",
        );
    site.run(&["build", "--base-url", "https://u.github.io/repo/"])
        .ok();
    let hrefs = attrs(&site.html("posts/a/index.html"), "article a", "href");
    for expected in [
        "/repo/posts/b/#step:1",
        "/repo/posts/b/?at=10:30",
        "/repo/go/?to=https://example.org/",
        "mailto:me@example.org",
        "https://example.org/x.md",
    ] {
        assert!(
            hrefs.contains(&expected.to_string()),
            "{expected} in {hrefs:?}"
        );
    }
}

/// On a site served from a sub-path, a relative link that climbs above the
/// site's root leaves the site: `check` says so. At the root a browser
/// stops at `/`, and so does `check`.
#[test]
fn check_reports_a_relative_link_that_climbs_out_of_a_sub_path_site() {
    let site = Site::empty()
        .file("content/about.md", "---\ntitle: About\n---\nHi.\n")
        .file(
            "content/posts/a.md",
            "---\ntitle: A\n---\n[up](../../../about/)\n",
        );
    let run = site
        .run(&["check", "--base-url", "https://u.github.io/repo/"])
        .fails_with(1);
    assert!(
        run.stderr()
            .contains("link `../../../about/` is outside the site's base path /repo/"),
        "{}",
        run.stderr()
    );
    let run = site.run(&["check"]).ok();
    assert!(run.stderr().contains(": 0 broken;"), "{}", run.stderr());
}

#[test]
fn real_site_passes_check_at_the_root_and_under_a_sub_path() {
    let site = Site::real();
    let run = site.run(&["check"]).ok();
    assert!(run.stderr().contains(": 0 broken;"), "{}", run.stderr());
    let run = site
        .run(&["check", "--base-url", "https://user.github.io/email-ports/"])
        .ok();
    assert!(run.stderr().contains(": 0 broken;"), "{}", run.stderr());
}

/// Every `href`/`src` of every HTML file, and every CSS `url()`, starts
/// with the base path (or is external or a fragment).
#[test]
fn every_internal_url_is_under_a_sub_path_base() {
    let site = Site::real().file(
        "static/css/extra.css",
        "body{background:url(/img/bg.png)}\n",
    );
    site.run(&["build", "--base-url", "https://user.github.io/repo/"])
        .ok();
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(site.path().join("public")) {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.to_string_lossy();
        if name.ends_with(".html") {
            let doc = scraper::Html::parse_document(&std::fs::read_to_string(path).unwrap());
            for attr in ["href", "src"] {
                for url in attrs(&doc, &format!("[{attr}]"), attr) {
                    checked += 1;
                    let ok = url.starts_with("/repo/")
                        || url.starts_with("https://")
                        || url.starts_with('#');
                    assert!(ok, "{name}: {attr}={url}");
                }
            }
        }
    }
    assert!(checked > 50);
    assert!(site.read("css/extra.css").contains("url(/repo/img/bg.png)"));
    let not_found = site.html("404.html");
    assert_eq!(
        attrs(&not_found, "link[rel=stylesheet]", "href"),
        ["/repo/css/style.css"]
    );
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children().find(|c| c.tag_name().name() == name)
}

#[test]
fn feed_is_valid_atom_and_sitemap_follows_the_protocol() {
    let site = Site::real();
    site.run(&["build", "--base-url", "https://user.github.io/repo/"])
        .ok();
    let feed_text = site.read("atom.xml");
    let feed = roxmltree::Document::parse(&feed_text).unwrap();
    let root = feed.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    assert_eq!(root.tag_name().name(), "feed");
    for required in ["id", "title", "updated"] {
        assert!(child(root, required).is_some(), "feed lacks <{required}>");
    }
    let entries: Vec<_> = root
        .children()
        .filter(|c| c.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), 1);
    for required in ["id", "title", "updated", "link", "author"] {
        assert!(
            child(entries[0], required).is_some(),
            "entry lacks <{required}>"
        );
    }
    let id = child(entries[0], "id").unwrap().text().unwrap();
    assert_eq!(
        id,
        "https://user.github.io/repo/posts/email-server-ports-table/"
    );

    let sitemap_text = site.read("sitemap.xml");
    let sitemap = roxmltree::Document::parse(&sitemap_text).unwrap();
    let urlset = sitemap.root_element();
    assert_eq!(
        urlset.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<&str> = urlset
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.len() >= 8);
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://user.github.io/repo/")),
        "{locs:?}"
    );
}

#[test]
fn source_date_epoch_dates_an_undated_feed() {
    // The real site without its one date (the ports post's
    // `last_modified_at`).
    let site = Site::real();
    let post = "content/posts/email-server-ports-table.md";
    let text = std::fs::read_to_string(site.path().join(post)).unwrap();
    let undated: String = text
        .lines()
        .filter(|l| !l.starts_with("last_modified_at:"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(undated, text, "the post had a last_modified_at line");
    let site = site.file(post, &undated);
    let output = assert_cmd::Command::cargo_bin("folio")
        .unwrap()
        .current_dir(site.path())
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        site.read("atom.xml")
            .contains("<updated>2023-11-14T22:13:20Z</updated>")
    );
}

#[test]
fn cname_setting_writes_the_cname_file() {
    let site = Site::fixture("gfm").file(
        "content/_index.md",
        "---\ntitle: T\nbase_url: https://ports.example.com/\ncname: ports.example.com\n---\n",
    );
    site.build().ok();
    assert_eq!(site.read("CNAME"), "ports.example.com\n");
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://ports.example.com/posts/gfm/</loc>")
    );
}

#[test]
fn pages_workflow_builds_with_the_pages_base_url_and_keeps_hidden_files() {
    let text = std::fs::read_to_string(repo_root().join(".github/workflows/pages.yml")).unwrap();
    let wf: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let on = &wf["on"];
    assert!(
        on["push"]["branches"]
            .as_sequence()
            .unwrap()
            .iter()
            .any(|b| b == "main")
    );
    assert!(on.get("workflow_dispatch").is_some());
    assert_eq!(wf["permissions"]["pages"], "write");
    assert_eq!(wf["permissions"]["id-token"], "write");
    assert!(wf["concurrency"]["group"].is_string());
    let steps = wf["jobs"]["build"]["steps"].as_sequence().unwrap();
    let uses = |prefix: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(prefix)))
            .unwrap_or_else(|| panic!("no step uses {prefix}"))
    };
    uses("actions/checkout@");
    uses("actions/cache@");
    assert_eq!(uses("actions/configure-pages@")["id"], "pages");
    let upload = uses("actions/upload-pages-artifact@");
    assert_eq!(upload["with"]["path"], "public");
    assert_eq!(upload["with"]["include-hidden-files"], true);
    let build = steps
        .iter()
        .find_map(|s| {
            s["run"]
                .as_str()
                .filter(|r| r.contains("cargo run --release"))
        })
        .expect("a step runs the README's build command");
    assert!(
        build.contains("--base-url \"${{ steps.pages.outputs.base_url }}/\""),
        "{build}"
    );
    let deploy = &wf["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );
}

#[test]
fn content_lint_findings_are_warnings_with_places_and_fixes() {
    let site = Site::fixture("lint");
    for args in [&["build"][..], &["check"][..]] {
        let run = site.run(args);
        // Warnings never fail a build; check also proves links, and the
        // missing image is a broken link there.
        let run = if args == ["check"] {
            run.fails_with(1)
        } else {
            run.ok()
        };
        let err = run.stderr();
        for expected in [
            "content/posts/untitled.md:1:1: warning: no `title`",
            "content/posts/untitled.md:7:1: warning: heading level skipped: \"Too deep\" is h4 after h2",
            "content/posts/untitled.md:9:5: warning: \"â€™\" looks like double-encoded UTF-8",
            "content/posts/untitled.md:9:21: warning: `img/missing.png` links to a file that does not exist: nothing publishes /posts/untitled/img/missing.png",
            "content/posts/untitled.md:11:10: warning: table column \"Notes\" is empty in every row",
        ] {
            assert!(
                err.contains(expected),
                "{args:?}: missing `{expected}` in:\n{err}"
            );
        }
        assert!(
            !err.contains("`/img/ok.svg` links"),
            "an existing file is fine:\n{err}"
        );
        assert!(
            err.contains("help: put the file at static/posts/untitled/img/missing.png"),
            "{err}"
        );
    }
}

#[test]
fn feed_updated_is_the_latest_instant_whatever_the_offsets() {
    // 08:00 at -05:00 is 13:00 UTC: later than 10:00 UTC, though it sorts
    // first as text.
    let site = Site::empty()
        .file(
            "content/posts/a.md",
            "---\ntitle: A\ndate: 2020-01-01T10:00:00+00:00\n---\nA.\n",
        )
        .file(
            "content/posts/b.md",
            "---\ntitle: B\ndate: 2020-01-01T08:00:00-05:00\n---\nB.\n",
        );
    site.build().ok();
    let feed = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let updated = child(doc.root_element(), "updated")
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(updated, "2020-01-01T08:00:00-05:00");
}

/// A tiny HTTP server on loopback: `/ok` answers 200, anything else 404.
/// It serves a bounded number of requests and stops.
fn tiny_server(requests: usize) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let Ok(mut stream) = stream else { continue };
            let mut first = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let _ = reader.read_line(&mut first);
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let status = if first.contains(" /ok ") {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn check_fetches_external_links_only_when_asked() {
    let port = tiny_server(10);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let post = format!(
        "---\ntitle: A\n---\n\n[fine](http://127.0.0.1:{port}/ok)\n\n[gone](http://127.0.0.1:{port}/gone)\n\n[nobody](http://127.0.0.1:{closed}/)\n"
    );
    let site = Site::empty().file("content/posts/a.md", &post);
    let listed = site.run(&["check"]).ok();
    assert!(
        listed
            .stderr()
            .contains("external links (listed, not fetched):"),
        "{}",
        listed.stderr()
    );
    assert!(
        listed.stderr().contains(&format!(
            "http://127.0.0.1:{port}/gone  (content/posts/a.md:7:1)"
        )),
        "{}",
        listed.stderr()
    );

    let run = site.run(&["check", "--fetch-external"]).fails_with(1);
    let err = run.stderr();
    assert!(
        err.contains(&format!("content/posts/a.md:7:1: error: external link `http://127.0.0.1:{port}/gone` answers HTTP 404")),
        "{err}"
    );
    assert!(err.contains(&format!("content/posts/a.md:9:1: error: external link `http://127.0.0.1:{closed}/` cannot be fetched")), "{err}");
    assert!(!err.contains("/ok` answers"), "{err}");
}

/// A page of its own at `/404.html` (Jekyll's `404.md`) is the site's 404
/// page, in place of the theme's, and stays out of the sitemap.
#[test]
fn a_page_at_404_html_is_the_404_page() {
    let site = Site::bare().file(
        "content/404.md",
        "---\ntitle: Lost\npermalink: /404.html\n---\nThis page went *fishing*.\n",
    );
    site.build().ok();
    let page = site.html("404.html");
    assert_eq!(
        crate::support::texts(&page, "em"),
        ["fishing"],
        "the page's own body"
    );
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("404"), "{sitemap}");
    site.run(&["check"]).ok();
}
