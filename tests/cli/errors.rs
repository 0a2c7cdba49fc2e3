//! Bad input: `path:line:col: message`, exit 1, previous output untouched.

use crate::support::{Site, tree_differences};
use std::fs;

/// Breaks a site with `break_it` and builds it, twice over, and returns the
/// failed build's stderr:
///
/// - after one good build: the failure leaves `public/` exactly as it was;
/// - on a copy, after two good builds of different content: the failing
///   (third) build has the tree the second one replaced,
///   `.public.folio-previous`, to reuse (README, "Output"), and its failure
///   too leaves `public/` whole and exactly as it was.
///
/// Both failures report the same, and neither writes anything outside the
/// sources.
pub(crate) fn fails_keeping_output(site: Site, break_it: impl Fn(&Site)) -> String {
    let site = site.file("content/posts/fine.md", "---\ntitle: Fine\n---\nFine.\n");
    let copy = site.copy();

    site.build().ok();
    let err = fails_keeping(&site, &break_it);

    // A post that only the first build has, and a changed one: the kept
    // tree is not the output's twin.
    let copy = copy.file("content/posts/gone.md", "---\ntitle: Gone\n---\nGone.\n");
    copy.build().ok();
    fs::remove_file(copy.path().join("content/posts/gone.md")).unwrap();
    let copy = copy.file(
        "content/posts/fine.md",
        "---\ntitle: Fine\n---\nFine again.\n",
    );
    copy.build().ok();
    assert!(
        copy.path()
            .join(".public.folio-previous/posts/gone/index.html")
            .is_file(),
        "no .public.folio-previous from the first build for the next to reuse"
    );
    assert!(copy.read("posts/fine/index.html").contains("Fine again."));
    let err_reusing = fails_keeping(&copy, &break_it);
    assert_eq!(
        err, err_reusing,
        "a build that reuses the kept tree fails as the first one did"
    );
    err
}

/// Breaks `site`, builds it, and checks the failure left every file,
/// folder and link of `public/` as it was and added nothing outside the
/// sources; returns its stderr.
fn fails_keeping(site: &Site, break_it: &dyn Fn(&Site)) -> String {
    let before = site.output_tree();
    assert!(!before.is_empty());
    let tree_before = site.tree();
    break_it(site);
    let run = site.build().fails_with(1);
    let after = site.output_tree();
    assert!(
        before == after,
        "public/ changed after a failed build: {:?}",
        tree_differences(&before, &after)
    );
    let added: Vec<_> = site
        .tree()
        .into_iter()
        .filter(|p| !tree_before.contains(p))
        .collect();
    assert!(
        added.iter().all(|p| ["content", "templates", "static"]
            .iter()
            .any(|d| p.starts_with(d))),
        "stray files: {added:?}"
    );
    run.stderr()
}

fn copy_fixture_into(site: &Site, name: &str) {
    let from = crate::support::repo_root()
        .join("tests/fixtures")
        .join(name);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let dest = site.path().join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_file() {
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::copy(entry.path(), dest).unwrap();
        }
    }
}

#[test]
fn bad_port_is_reported_at_its_cell() {
    let err = fails_keeping_output(Site::empty(), |s| copy_fixture_into(s, "bad-port"));
    assert!(
        err.contains("content/posts/bad.md:8:3: error: port `abc` is not a number from 1 to 65535"),
        "{err}"
    );
}

#[test]
fn malformed_front_matter_points_at_the_markdown_line() {
    let err = fails_keeping_output(Site::empty(), |s| copy_fixture_into(s, "bad-front-matter"));
    let line = err
        .lines()
        .find(|l| l.contains("broken.md:"))
        .unwrap_or_else(|| panic!("{err}"));
    // The YAML block starts on file line 2; the bad flow list is on line 3 or after.
    let pos: Vec<usize> = line
        .split(':')
        .skip(1)
        .take(2)
        .map(|n| n.parse().unwrap())
        .collect();
    assert!(pos[0] >= 3 && pos[0] <= 5, "{line}");
    assert!(line.contains("invalid front matter"), "{line}");
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let err = fails_keeping_output(Site::empty(), |s| {
        fs::write(
            s.path().join("content/posts/open.md"),
            "---\ntitle: Open\n\nBody\n",
        )
        .unwrap();
    });
    assert!(
        err.contains(
            "content/posts/open.md:1:1: error: front matter opened with `---` is never closed"
        ),
        "{err}"
    );
}

#[test]
fn template_syntax_error_names_template_line_and_column() {
    let err = fails_keeping_output(Site::empty(), |s| copy_fixture_into(s, "template-syntax"));
    assert!(err.contains("templates/post.html:3:"), "{err}");
    assert!(err.contains("error:"), "{err}");
}

/// Jekyll sites name their theme's layouts (`single`, `splash`): a layout
/// with no template falls back to the default one, with a warning at the
/// `layout` line (`post.html` is the site's, else the built-in theme's).
#[test]
fn missing_layout_template_falls_back_with_a_warning_at_the_layout_line() {
    let site = Site::fixture("missing-layout");
    let err = site.build().ok().stderr();
    assert!(
        err.contains(
            "content/posts/a.md:3:1: warning: layout `fancy` has no template templates/fancy.html; using post.html"
        ),
        "{err}"
    );
    assert!(site.read("posts/a/index.html").contains("<h1>A</h1>"));
}

#[test]
fn template_extending_a_missing_one_is_an_error() {
    let err = fails_keeping_output(Site::empty(), |s| {
        fs::write(
            s.path().join("templates/post.html"),
            "{% extends \"nope.html\" %}\n",
        )
        .unwrap()
    });
    assert!(
        err.contains(
            "templates/post.html: error: extends \"nope.html\", which is not in templates/"
        ),
        "{err}"
    );
}

#[test]
fn unknown_variable_in_template_is_a_template_error() {
    let err = fails_keeping_output(Site::empty(), |s| {
        fs::write(
            s.path().join("templates/post.html"),
            "<p>\n{{ page.nope.deeper }}</p>\n",
        )
        .unwrap();
    });
    assert!(err.contains("templates/post.html:2:"), "{err}");
    assert!(
        err.contains("while rendering content/posts/fine.md"),
        "{err}"
    );
}

/// A static file that clashes with a page is found once the pages are
/// written, so a build reusing the kept tree has already written over it:
/// the failure must still leave `public/` whole, and the build after the
/// fix writes what a build before the failure wrote.
#[test]
fn static_file_clashing_with_a_page_is_an_error_naming_both() {
    let clash = "static/posts/fine/index.html";
    let site = Site::empty().file("static/notes.txt", "Notes.\n");
    let fixed = site.copy();
    let err = fails_keeping_output(site, |s| {
        fs::create_dir_all(s.path().join("static/posts/fine")).unwrap();
        fs::write(s.path().join(clash), "<p>mine</p>\n").unwrap();
    });
    assert!(
        err.contains(
            "static/posts/fine/index.html: error: static file clashes with \
             /posts/fine/index.html, which the page content/posts/fine.md writes"
        ),
        "{err}"
    );

    let fixed = fixed.file("content/posts/fine.md", "---\ntitle: Fine\n---\nFine.\n");
    fixed.build().ok();
    fixed.build().ok();
    let good = fixed.output_tree();
    fs::create_dir_all(fixed.path().join("static/posts/fine")).unwrap();
    fs::write(fixed.path().join(clash), "<p>mine</p>\n").unwrap();
    fixed.build().fails_with(1);
    fs::remove_dir_all(fixed.path().join("static/posts")).unwrap();
    fixed.build().ok();
    let after = fixed.output_tree();
    assert!(
        good == after,
        "the build after the fix differs: {:?}",
        tree_differences(&good, &after)
    );
    assert_eq!(fixed.read("notes.txt"), "Notes.\n");
}

#[test]
fn two_pages_with_one_url_name_both_files() {
    let err = fails_keeping_output(Site::empty(), |s| copy_fixture_into(s, "url-conflict"));
    assert!(err.contains("content/posts/same.md"), "{err}");
    assert!(err.contains("content/posts/2019-01-01-same.md"), "{err}");
    assert!(err.contains("both want the URL /posts/same/"), "{err}");
}

#[test]
fn invalid_utf8_is_an_error_with_position() {
    let err = fails_keeping_output(Site::empty(), |s| {
        fs::write(
            s.path().join("content/posts/bytes.md"),
            b"---\ntitle: B\n---\nok \xff\n",
        )
        .unwrap();
    });
    assert!(
        err.contains("content/posts/bytes.md:4:4: error: file is not valid UTF-8"),
        "{err}"
    );
}

#[test]
fn bad_base_url_is_a_usage_problem_with_exit_1() {
    let site = Site::fixture("gfm");
    let run = site
        .run(&["build", "--base-url", "https:///nohost"])
        .fails_with(1);
    assert!(run.stderr().contains("--base-url"), "{}", run.stderr());
}

#[test]
fn output_inside_the_sources_is_refused() {
    let site = Site::fixture("gfm");
    let run = site.run(&["build", "--out", "content"]).fails_with(2);
    assert!(
        run.stderr().contains("holds the site's own sources"),
        "{}",
        run.stderr()
    );
    assert!(site.path().join("content/posts/gfm.md").is_file());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    Site::empty().run(&["build", "--nope"]).fails_with(2);
}
