//! Starting a site: the built-in theme, `folio init`, diagnostics that show
//! the line, `--quiet`, completions.

use crate::support::{Site, repo_root};
use scraper::Selector;
use std::fs;

fn select(html: &scraper::Html, css: &str) -> Vec<String> {
    let selector = Selector::parse(css).unwrap();
    html.select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The repository's own file under `templates/` or `static/`: the theme.
fn theme_file(rel: &str) -> String {
    fs::read_to_string(repo_root().join(rel)).unwrap()
}

const HI: &str = "---\ntitle: Hi there\ndate: 2024-05-01\ntags: [hello]\n---\n\nHello, world.\n";

#[test]
fn a_folder_of_markdown_alone_builds_with_the_built_in_theme() {
    let site = Site::bare().file("content/posts/hi.md", HI);
    site.build().ok();
    let post = site.html("posts/hi/index.html");
    assert_eq!(select(&post, "main article.post h1"), ["Hi there"]);
    assert_eq!(select(&post, "html[lang=en] a.skip"), ["Skip to content"]);
    let index = site.html("index.html");
    assert_eq!(select(&index, ".post-list a.post-link"), ["Hi there"]);
    let stylesheet = Selector::parse("link[rel=stylesheet]").unwrap();
    let href = index.select(&stylesheet).next().unwrap().attr("href");
    assert_eq!(href, Some("/css/style.css"));
    assert_eq!(
        site.read("css/style.css"),
        theme_file("static/css/style.css")
    );
    assert_eq!(site.read("favicon.svg"), theme_file("static/favicon.svg"));
    let term = site.html("tags/hello/index.html");
    assert_eq!(select(&term, "main a.post-link"), ["Hi there"]);
    assert!(site.exists("404.html"));
    site.run(&["check"]).ok();
}

#[test]
fn one_template_overridden_keeps_the_others_built_in() {
    let site = Site::bare()
        .file("content/posts/hi.md", HI)
        .file(
            "templates/post.html",
            "<!DOCTYPE html>\n<title>{{ page.title }}</title>\n<p class=\"mine\">{{ page.title }}</p>\n",
        )
        .file("static/css/style.css", "body { color: teal }\n");
    site.build().ok();
    let post = site.html("posts/hi/index.html");
    assert_eq!(select(&post, "p.mine"), ["Hi there"]);
    assert!(select(&post, ".site-header").is_empty());
    // The home page is the theme's, around the site's own stylesheet.
    let index = site.html("index.html");
    assert_eq!(select(&index, ".site-header a.brand"), ["My site"]);
    assert_eq!(site.read("css/style.css"), "body { color: teal }\n");
    assert_eq!(site.read("js/ports.js"), theme_file("static/js/ports.js"));
}

#[test]
fn init_writes_a_site_that_builds_and_passes_check() {
    let site = Site::bare();
    let run = site.run_env(&["init", "blog"], &[("SOURCE_DATE_EPOCH", "1714521600")]);
    let out = run.ok().stderr();
    for file in [
        "content/_index.md",
        "content/posts/hello-folio.md",
        ".github/workflows/pages.yml",
        ".gitignore",
    ] {
        assert!(site.path().join("blog").join(file).is_file(), "{file}");
        assert!(out.contains(file), "{out}");
    }
    assert!(!site.path().join("blog/templates").exists());
    let post = fs::read_to_string(site.path().join("blog/content/posts/hello-folio.md")).unwrap();
    assert!(post.contains("date: 2024-05-01"), "{post}");
    let workflow =
        fs::read_to_string(site.path().join("blog/.github/workflows/pages.yml")).unwrap();
    let release = format!("{}/releases/download\"", env!("CARGO_PKG_REPOSITORY"));
    assert!(workflow.contains(&release), "{workflow}");
    assert!(workflow.contains(&format!("FOLIO_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"))));
    assert!(workflow.contains("sha256sum --check"), "{workflow}");

    site.run(&["build", "--root", "blog"]).ok();
    site.run(&["check", "--root", "blog"]).ok();
    let page = scraper::Html::parse_document(
        &fs::read_to_string(site.path().join("blog/public/posts/hello-folio/index.html")).unwrap(),
    );
    assert_eq!(select(&page, "h1"), ["Hello, folio"]);
    assert_eq!(select(&page, "table th").len(), 2);
    let data: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(
            site.path()
                .join("blog/public/posts/hello-folio/command.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(data[0]["command"], "folio serve");
}

#[test]
fn init_with_theme_copies_the_built_in_files_out() {
    let site = Site::bare();
    site.run(&["init", "--theme"]).ok();
    for rel in [
        "templates/base.html",
        "templates/post.html",
        "templates/partials/table.html",
        "static/css/style.css",
        "static/js/ports.js",
    ] {
        let copied = fs::read_to_string(site.path().join(rel)).unwrap();
        assert_eq!(copied, theme_file(rel), "{rel}");
    }
    site.build().ok();
    site.run(&["check"]).ok();
}

#[test]
fn init_never_overwrites_and_then_writes_nothing() {
    let site = Site::bare().file("content/_index.md", "mine\n");
    let err = site.run(&["init"]).fails_with(1).stderr();
    assert!(
        err.contains("content/_index.md: error: already exists; folio init never overwrites"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(site.path().join("content/_index.md")).unwrap(),
        "mine\n"
    );
    assert!(!site.path().join(".gitignore").exists());
    assert!(!site.path().join("content/posts").exists());
}

/// The bad-port fixture's table row `| abc  | IMAP     |`: the error's
/// first line stays `path:line:col`, then the line itself, then a caret
/// under the column.
#[test]
fn an_error_shows_its_source_line_with_a_caret_under_the_column() {
    let site = Site::fixture("bad-port");
    let err = site.build().fails_with(1).stderr();
    let source = fs::read_to_string(site.path().join("content/posts/bad.md")).unwrap();
    let (index, line) = source
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("abc"))
        .unwrap();
    let col = line.find("abc").unwrap() + 1;
    let first = format!("content/posts/bad.md:{}:{col}: error: ", index + 1);
    let lines: Vec<&str> = err.lines().collect();
    let at = lines.iter().position(|l| l.starts_with(&first));
    let at = at.unwrap_or_else(|| panic!("no {first}…:\n{err}"));
    let shown = lines[at..].iter().position(|l| l.ends_with(line));
    let shown = at + shown.unwrap_or_else(|| panic!("no source line:\n{err}"));
    let text_starts = lines[shown].len() - line.len();
    assert_eq!(
        lines[shown + 1].find('^'),
        Some(text_starts + col - 1),
        "{err}"
    );
    assert!(
        lines[shown + 1..].iter().any(|l| l.contains("help: ")),
        "{err}"
    );
}

#[test]
fn colour_only_when_wanted_and_never_under_no_color() {
    let site = Site::fixture("bad-port");
    let forced = site.run_env(&["build"], &[("CLICOLOR_FORCE", "1")]);
    assert!(forced.fails_with(1).stderr().contains('\u{1b}'));
    let piped = site.build().fails_with(1).stderr();
    assert!(!piped.contains('\u{1b}'), "{piped}");
    let no_color = site.run_env(&["build"], &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
    let err = no_color.fails_with(1).stderr();
    assert!(!err.contains('\u{1b}'), "{err}");
    assert!(err.contains("error: "), "{err}");
}

#[test]
fn quiet_prints_errors_only() {
    let site = Site::bare().file(
        "content/posts/odd.md",
        "---\ntitle: Odd\ndate: 2024-13-45\n---\n\nText.\n",
    );
    let loud = site.build().ok().stderr();
    assert!(loud.contains("warning: `date: 2024-13-45`"), "{loud}");
    assert!(loud.contains("built "), "{loud}");
    let quiet = site.run(&["build", "--quiet"]).ok();
    assert_eq!(quiet.stderr(), "");
    let site = site.file("content/posts/bad.md", "---\ntitle: [\n---\n");
    let err = site.run(&["--quiet"]).fails_with(1).stderr();
    assert!(err.contains("content/posts/bad.md:2:"), "{err}");
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn completions_print_a_script_for_the_shell() {
    let site = Site::bare();
    let bash = site.run(&["completions", "bash"]).ok().stdout();
    assert!(bash.contains("complete -F _folio"), "{bash}");
    assert!(bash.contains("init"), "{bash}");
    let zsh = site.run(&["completions", "zsh"]).ok().stdout();
    assert!(zsh.starts_with("#compdef folio"), "{zsh}");
    site.run(&["completions", "nosuchshell"]).fails_with(2);
}

#[test]
fn build_watch_points_to_serve() {
    let err = Site::bare()
        .run(&["build", "--watch"])
        .fails_with(2)
        .stderr();
    assert!(err.contains("folio serve"), "{err}");
}
