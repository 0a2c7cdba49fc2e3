//! Page bundles: `content/posts/my-post/index.md` with files beside it,
//! published next to the page.

use crate::support::{Site, attrs, texts};
use std::fs;

const BASE: &str = "https://user.github.io/repo/";

#[test]
fn bundle_files_are_published_beside_the_page() {
    let site = Site::fixture("bundles");
    site.run(&["build", "--base-url", BASE]).ok();
    let source = site.path().join("content/posts/my-post");
    for file in ["diagram.png", "data.csv", "img/photo.svg"] {
        let published = fs::read(site.path().join("public/posts/my-post").join(file)).unwrap();
        assert_eq!(published, fs::read(source.join(file)).unwrap(), "{file}");
    }
    assert!(
        !site.exists("posts/my-post/index.md"),
        "the page is not copied"
    );
    assert!(
        !site.exists("posts/stray.txt"),
        "files outside bundles are not published"
    );
}

#[test]
fn links_to_bundle_files_resolve_under_the_base_url() {
    let site = Site::fixture("bundles");
    site.run(&["build", "--base-url", BASE]).ok();
    let page = site.html("posts/my-post/index.html");
    assert_eq!(
        attrs(&page, "img", "src"),
        [
            "/repo/posts/my-post/diagram.png",
            "/repo/posts/my-post/img/photo.svg"
        ]
    );
    assert_eq!(
        attrs(&page, "a[href$='.csv']", "href"),
        ["/repo/posts/my-post/data.csv"]
    );
    // Another page links to the file through the bundle's folder.
    let plain = site.html("posts/plain/index.html");
    assert_eq!(
        attrs(&plain, "article a", "href"),
        ["/repo/posts/my-post/diagram.png"]
    );
}

#[test]
fn a_bundle_takes_its_slug_and_date_from_its_folder() {
    let site = Site::fixture("bundles");
    site.build().ok();
    let page = site.html("posts/dated-bundle/index.html");
    assert_eq!(texts(&page, "h1"), ["Dated by its folder"]);
    assert_eq!(
        attrs(&page, "time", "datetime"),
        ["2024-05-01T00:00:00+00:00"]
    );
    assert!(site.exists("posts/my-post/index.html"));
    assert!(!site.exists("posts/index/index.html"));
}

#[test]
fn check_follows_links_to_bundle_files() {
    let site = Site::fixture("bundles");
    let run = site.run(&["check", "--base-url", BASE]).ok();
    assert!(run.stderr().contains(": 0 broken"), "{}", run.stderr());
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    // A link to a file the bundle does not have is still reported.
    let site = site.file(
        "content/posts/my-post/index.md",
        "---\ntitle: T\n---\n\n![gone](missing.png)\n",
    );
    let err = site.run(&["check"]).fails_with(1).stderr();
    assert!(
        err.contains("content/posts/my-post/index.md:5:1: error: broken link `missing.png`"),
        "{err}"
    );
    assert!(
        err.contains("put the file in content/posts/my-post/"),
        "{err}"
    );
}

#[test]
fn a_bundle_file_on_a_page_path_is_an_error_naming_both() {
    let site = Site::fixture("bundles")
        .file("content/about/index.md", "---\ntitle: About\n---\n")
        .file("content/about/index.html", "<p>a stray page</p>\n");
    let err = site.build().fails_with(1).stderr();
    assert!(err.contains("content/about/index.html"), "{err}");
    assert!(err.contains("content/about/index.md"), "{err}");
    assert!(err.contains("/about/index.html"), "{err}");
    assert!(!site.exists("index.html"), "nothing is written");
}

#[test]
fn a_bundle_file_on_a_table_data_file_is_an_error_naming_both() {
    let site = Site::fixture("bundles")
        .file(
            "content/posts/table/index.md",
            "---\ntitle: T\n---\n\n| Port | Name |\n|---|---|\n| 25 | SMTP |\n",
        )
        .file("content/posts/table/port.json", "[]\n");
    let err = site.build().fails_with(1).stderr();
    assert!(err.contains("content/posts/table/port.json"), "{err}");
    assert!(err.contains("content/posts/table/index.md"), "{err}");
    assert!(err.contains("/posts/table/port.json"), "{err}");
}
