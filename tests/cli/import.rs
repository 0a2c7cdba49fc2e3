//! `folio import-jekyll`: a Jekyll site moves over with every old URL kept.
//!
//! Each expected URL is computed here from Jekyll's rules (its
//! lib/jekyll/drops/url_drop.rb, url.rb, configuration.rb and
//! document.rb: permalink styles, placeholders, `escape_path`,
//! `sanitize_url`, `destination`), written independently of folio's code.

use crate::support::{Site, attrs, repo_root};
use serde_json::Value;
use std::fs;
use std::path::Path;

/// A post as Jekyll sees it: what its URL is made from.
struct Post<'a> {
    /// `YYYY-MM-DD-name` (the file name without its extension).
    stem: &'a str,
    /// Front matter `categories`, as written.
    categories: Vec<String>,
    /// Front matter `slug`, if any.
    slug: Option<&'a str>,
    /// The time on the site's clock: (hour, minute, second), else midnight.
    time: (u32, u32, u32),
    /// The date when front matter moves it away from the file name's.
    date: Option<(i32, u32, u32)>,
}

impl Post<'_> {
    fn ymd(&self) -> (i32, u32, u32) {
        self.date.unwrap_or_else(|| {
            let mut p = self.stem.splitn(4, '-');
            let mut n = || p.next().unwrap().parse::<u32>().unwrap();
            let (y, m, d) = (n(), n(), n());
            (y as i32, m, d)
        })
    }

    fn file_slug(&self) -> &str {
        self.stem.splitn(4, '-').nth(3).unwrap()
    }
}

/// Jekyll's style names and their patterns (configuration.rb).
fn style_pattern(style: &str) -> &str {
    match style {
        "date" => "/:categories/:year/:month/:day/:title:output_ext",
        "pretty" => "/:categories/:year/:month/:day/:title/",
        "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
        "weekdate" => "/:categories/:year/W:week/:short_day/:title:output_ext",
        "none" => "/:categories/:title:output_ext",
        pattern => pattern,
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn day_of_year(y: i32, m: u32, d: u32) -> u32 {
    let lengths = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    lengths[..(m - 1) as usize].iter().sum::<u32>() + d
}

/// 0 = Sunday (Sakamoto's method).
fn weekday(y: i32, m: u32, d: u32) -> u32 {
    let t = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if m < 3 { y - 1 } else { y };
    ((y + y / 4 - y / 100 + y / 400 + t[(m - 1) as usize] + d as i32) % 7) as u32
}

/// ISO 8601 weeks in year `y`: 53 when it starts on a Thursday, or on a
/// Wednesday in a leap year.
fn weeks_in(y: i32) -> u32 {
    let jan1 = weekday(y, 1, 1);
    if jan1 == 4 || (leap(y) && jan1 == 3) {
        53
    } else {
        52
    }
}

/// ISO 8601 week number (`%V`).
fn iso_week(y: i32, m: u32, d: u32) -> u32 {
    let monday_based = (weekday(y, m, d) + 6) % 7 + 1; // 1 = Monday
    let week = (day_of_year(y, m, d) as i32 - monday_based as i32 + 10) / 7;
    if week < 1 {
        weeks_in(y - 1)
    } else if week as u32 > weeks_in(y) {
        1
    } else {
        week as u32
    }
}

/// Jekyll's `slugify` (utils.rb): runs of characters other than letters
/// and digits (and, in pretty mode, `._~!$&'()+,;=@`) become `-`; one `-`
/// is trimmed at each end.
fn jekyll_slugify(text: &str, pretty: bool, cased: bool) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c)) {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_start_matches('-').trim_end_matches('-');
    if cased {
        out.to_string()
    } else {
        out.to_lowercase()
    }
}

/// Jekyll's `URL.escape_path` for the characters these tests use.
fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The URL Jekyll gives `post` under `pattern`.
fn jekyll_url(pattern: &str, post: &Post<'_>) -> String {
    let (y, m, d) = post.ymd();
    let (hh, mm, ss) = post.time;
    let slug = post.slug.unwrap_or(post.file_slug());
    let mut cats: Vec<String> = Vec::new();
    for c in &post.categories {
        let c = c.to_lowercase();
        if !cats.contains(&c) {
            cats.push(c);
        }
    }
    let wd = weekday(y, m, d) as usize;
    let values: Vec<(&str, String)> = vec![
        ("categories", cats.join("/")),
        ("collection", "posts".into()),
        ("output_ext", ".html".into()),
        ("short_month", MONTHS[(m - 1) as usize][..3].into()),
        ("long_month", MONTHS[(m - 1) as usize].into()),
        ("short_year", format!("{:02}", y % 100)),
        ("short_day", DAYS[wd][..3].into()),
        ("long_day", DAYS[wd].into()),
        ("i_month", m.to_string()),
        ("i_day", d.to_string()),
        ("y_day", format!("{:03}", day_of_year(y, m, d))),
        ("w_year", y.to_string()),
        ("w_day", (if wd == 0 { 7 } else { wd }).to_string()),
        ("week", format!("{:02}", iso_week(y, m, d))),
        ("year", y.to_string()),
        ("month", format!("{m:02}")),
        ("day", format!("{d:02}")),
        ("hour", format!("{hh:02}")),
        ("minute", format!("{mm:02}")),
        ("second", format!("{ss:02}")),
        ("title", jekyll_slugify(slug, true, true)),
        ("slug", jekyll_slugify(slug, false, false)),
        ("name", jekyll_slugify(post.stem, false, false)),
    ];
    // No name here is the start of another (`:day`, `:i_day`, `:y_day`).
    let mut url = pattern.to_string();
    for (name, value) in &values {
        url = url.replace(&format!(":{name}"), &escape(value));
    }
    let mut out = String::from("/");
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// The file Jekyll writes for `url` (document.rb `destination`).
fn jekyll_file(url: &str) -> String {
    let path = percent_decode(url.trim_start_matches('/'));
    if path.ends_with('/') {
        format!("{path}index.html")
    } else if path.ends_with(".html") {
        path
    } else {
        format!("{path}.html")
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The `categories:` list of a front matter block written as `- item`
/// lines (as the fixture's posts are).
fn listed_categories(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines().skip(1).take_while(|l| *l != "---") {
        if line.starts_with("categories:") {
            inside = true;
        } else if inside && line.trim_start().starts_with("- ") {
            out.push(line.trim_start()[2..].trim().trim_matches('"').to_string());
        } else {
            inside = false;
        }
    }
    out
}

/// Imports the Jekyll folder `jekyll` into a new site and returns it.
fn import(jekyll: &Path, args: &[&str]) -> (Site, String) {
    let site = Site::empty();
    fs::remove_dir_all(site.path().join("content")).unwrap();
    let mut all = vec!["import-jekyll", jekyll.to_str().unwrap()];
    all.extend_from_slice(args);
    let run = site.run(&all).ok();
    (site, run.stderr())
}

fn report(site: &Site) -> Value {
    serde_json::from_str(&fs::read_to_string(site.path().join("import-report.json")).unwrap())
        .unwrap()
}

fn read(site: &Site, rel: &str) -> String {
    fs::read_to_string(site.path().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn a_real_jekyll_site_keeps_every_url() {
    let jekyll = repo_root().join("tests/fixtures/jekyll-minimal-mistakes");
    let config = fs::read_to_string(jekyll.join("_config.yml")).unwrap();
    let pattern = config
        .lines()
        .find_map(|l| l.strip_prefix("permalink: "))
        .unwrap();
    assert_eq!(pattern, "/:categories/:title/");
    let (site, err) = import(&jekyll, &[]);
    site.run(&["build", "--future"]).ok();

    let report = report(&site);
    let urls = report["urls"].as_array().unwrap();
    let mut posts = 0;
    for entry in fs::read_dir(jekyll.join("_posts")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_str().unwrap();
        let post = Post {
            stem,
            categories: listed_categories(&text),
            slug: None,
            time: (0, 0, 0),
            date: None,
        };
        let url = jekyll_url(pattern, &post);
        let file = jekyll_file(&url);
        assert!(site.exists(&file), "{stem}: no {file}");
        let from = format!("_posts/{stem}.md");
        let listed = urls.iter().find(|u| u["from"] == from.as_str()).unwrap();
        assert_eq!(listed["jekyll"], url.as_str(), "{from}");
        assert_eq!(listed["folio"], url.as_str(), "{from}");
        assert_eq!(listed["redirect"], false);
        // The home page links to it under the base path.
        let home = site.html("index.html");
        let hrefs: Vec<String> = crate::support::attrs(&home, "ul.posts a", "href")
            .iter()
            .map(|h| percent_decode(h))
            .collect();
        assert!(
            hrefs.contains(&format!("/test{}", percent_decode(&url))),
            "{url} in {hrefs:?}"
        );
        posts += 1;
    }
    assert_eq!(posts, 5);

    // Collections (`permalink: /:collection/:path/`) and pages (their
    // own `permalink`).
    for (from, url) in [
        (
            "_recipes/chocolate-chip-cookies.md",
            "/recipes/chocolate-chip-cookies/",
        ),
        ("_pets/lhasa-apso.md", "/pets/lhasa-apso/"),
        (
            "_portfolio/foo-bar-website.md",
            "/portfolio/foo-bar-website/",
        ),
        ("_pages/page-b.md", "/page-b/"),
        ("_pages/portfolio-archive.md", "/portfolio/"),
    ] {
        assert!(site.exists(&jekyll_file(url)), "{from}: {url}");
        let listed = urls.iter().find(|u| u["from"] == from).unwrap();
        assert_eq!(listed["jekyll"], url);
    }
    assert_eq!(urls.len(), 10);
    // The collections are sections; `/portfolio/` stays the archive page.
    assert!(read(&site, "content/recipes/_index.md").contains("title: Recipes"));
    assert!(!site.path().join("content/portfolio/_index.md").exists());
    assert!(
        site.read("portfolio/index.html")
            .contains("Sample document listing")
    );

    // Settings, data, drafts.
    let index = read(&site, "content/_index.md");
    for line in [
        "title: Minimal Mistakes",
        "base_url: /test/",
        "paginate_by: 5",
        "excerpt_separator: |2+\n\n\n",
    ] {
        assert!(index.contains(line), "{line} in {index}");
    }
    assert_eq!(
        read(&site, "data/navigation.yml"),
        fs::read_to_string(jekyll.join("_data/navigation.yml")).unwrap()
    );
    let draft = read(&site, "content/posts/an-unfinished-idea.md");
    assert!(
        draft.starts_with("---\ndraft: true\ntitle: An unfinished idea\n"),
        "{draft}"
    );
    assert!(!site.exists("posts/an-unfinished-idea/index.html"));
    site.run(&["build", "--future", "--drafts"]).ok();
    assert!(site.exists("posts/an-unfinished-idea/index.html"));

    // What was left out, and why: `exclude:` names README and LICENSE.
    let left_out = report["not_imported"].as_array().unwrap();
    let paths: Vec<&str> = left_out
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["LICENSE", "README"]);
    assert!(
        err.contains("README: warning: not imported: `exclude:`"),
        "{err}"
    );
    assert!(
        err.contains("10 pages keep their Jekyll URL (0 of them as a redirect)"),
        "{err}"
    );
}

#[test]
fn folio_urls_make_each_old_url_an_alias() {
    let jekyll = repo_root().join("tests/fixtures/jekyll-minimal-mistakes");
    let (site, err) = import(&jekyll, &["--folio-urls"]);
    let chat = read(&site, "content/posts/2010-01-08-post-chat.md");
    assert!(
        chat.starts_with("---\naliases:\n- /post formats/post-chat/\ntitle: \"Post: Chat\"\n"),
        "{chat}"
    );
    let report = report(&site);
    let listed = report["urls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["from"] == "_posts/2010-01-08-post-chat.md")
        .unwrap()
        .clone();
    assert_eq!(listed["jekyll"], "/post%20formats/post-chat/");
    assert_eq!(listed["folio"], "/posts/post-chat/");
    assert_eq!(listed["redirect"], true);
    // A page whose Jekyll URL is folio's own needs no redirect.
    let page = read(&site, "content/page-b.md");
    assert!(
        !page.contains("aliases") && !page.contains("permalink"),
        "{page}"
    );
    assert!(err.contains("(6 of them as a redirect)"), "{err}");
    site.run(&["build", "--future"]).ok();
    assert!(site.exists("posts/post-chat/index.html"));
    // The old address answers with a redirect page to the new one.
    let old = site.html("post formats/post-chat/index.html");
    let refresh = attrs(&old, "meta[http-equiv=refresh]", "content");
    assert_eq!(refresh.len(), 1, "{}", old.html());
    assert!(refresh[0].ends_with("/posts/post-chat/"), "{refresh:?}");
    let canonical = attrs(&old, "link[rel=canonical]", "href");
    assert!(canonical[0].ends_with("/posts/post-chat/"), "{canonical:?}");
    site.run(&["check"]).ok();
}

/// A Jekyll site in a temporary folder with `config` as `_config.yml` and
/// one post `_posts/2021-03-04-Hello World.md` with `front` as front matter.
fn one_post_site(config: &str, front: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("_posts")).unwrap();
    fs::write(dir.path().join("_config.yml"), config).unwrap();
    fs::write(
        dir.path().join("_posts/2021-03-04-Hello World.md"),
        format!("---\ntitle: Hello\n{front}---\nHello there.\n"),
    )
    .unwrap();
    dir
}

/// Imports a one-post site with `permalink: pattern` (and the post's
/// front matter `front`), builds it, and checks the post is published at
/// the file Jekyll writes for the URL its rules give.
fn check_post_url(config: &str, front: &str, expected_pattern: &str) -> String {
    let jekyll = one_post_site(config, front);
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    let post = Post {
        stem: "2021-03-04-Hello World",
        categories: vec!["Mail Servers".into(), "dns".into()],
        slug: front.lines().find_map(|l| l.strip_prefix("slug: ")),
        time: (5, 6, 7),
        date: None,
    };
    let url = jekyll_url(expected_pattern, &post);
    let file = jekyll_file(&url);
    assert!(
        site.exists(&file),
        "{expected_pattern}: no {file} for {url}"
    );
    assert!(site.read(&file).contains("Hello there."));
    let listed = &report(&site)["urls"][0];
    assert_eq!(listed["jekyll"], url.as_str());
    url
}

const POST: &str = "categories: [Mail Servers, dns]\ndate: 2021-03-04 05:06:07 +0000\n";

fn check_style(style: &str) -> String {
    check_post_url(&format!("permalink: {style}\n"), POST, style_pattern(style))
}

fn check_placeholder(pattern: &str) -> String {
    check_post_url(&format!("permalink: {pattern}\n"), POST, pattern)
}

#[test]
fn style_date_is_the_default() {
    let url = check_post_url("title: x\n", POST, style_pattern("date"));
    assert_eq!(url, "/mail%20servers/dns/2021/03/04/Hello-World.html");
    assert_eq!(check_style("date"), url);
}

#[test]
fn style_pretty() {
    assert_eq!(
        check_style("pretty"),
        "/mail%20servers/dns/2021/03/04/Hello-World/"
    );
}

#[test]
fn style_ordinal() {
    assert_eq!(
        check_style("ordinal"),
        "/mail%20servers/dns/2021/063/Hello-World.html"
    );
}

#[test]
fn style_weekdate() {
    assert_eq!(
        check_style("weekdate"),
        "/mail%20servers/dns/2021/W09/Thu/Hello-World.html"
    );
}

#[test]
fn style_none() {
    assert_eq!(check_style("none"), "/mail%20servers/dns/Hello-World.html");
}

#[test]
fn placeholder_categories() {
    check_placeholder("/:categories/:title/");
}

#[test]
fn placeholder_year_month_day() {
    check_placeholder("/:year/:month/:day/:title/");
}

#[test]
fn placeholder_title_and_slug() {
    assert_eq!(
        check_placeholder("/:title/:slug/"),
        "/Hello-World/hello-world/"
    );
    assert_eq!(
        check_post_url("permalink: /:slug/\n", "slug: My Own Slug\n", "/:slug/"),
        "/my-own-slug/"
    );
}

#[test]
fn placeholder_i_month_i_day() {
    assert_eq!(
        check_placeholder("/:i_month/:i_day/:title/"),
        "/3/4/Hello-World/"
    );
}

#[test]
fn placeholder_short_year() {
    assert_eq!(
        check_placeholder("/:short_year/:title/"),
        "/21/Hello-World/"
    );
}

#[test]
fn placeholder_short_and_long_month() {
    assert_eq!(
        check_placeholder("/:short_month/:long_month/:title/"),
        "/Mar/March/Hello-World/"
    );
}

#[test]
fn placeholder_y_day() {
    check_placeholder("/:y_day/:title/");
}

#[test]
fn placeholder_hour_minute_second() {
    assert_eq!(
        check_placeholder("/:hour/:minute/:second/:title/"),
        "/05/06/07/Hello-World/"
    );
}

#[test]
fn placeholder_week_days() {
    assert_eq!(
        check_placeholder("/:w_year/:week/:w_day/:short_day/:long_day/:title/"),
        "/2021/09/4/Thu/Thursday/Hello-World/"
    );
}

#[test]
fn placeholder_output_ext_and_name() {
    assert_eq!(
        check_placeholder("/:name:output_ext"),
        "/2021-03-04-hello-world.html"
    );
}

#[test]
fn a_url_without_an_ending_is_written_as_html() {
    // Jekyll writes `/2021/Hello-World` to 2021/Hello-World.html, which
    // GitHub Pages serves at both addresses.
    let jekyll = one_post_site("permalink: /:year/:title\n", POST);
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    let listed = &report(&site)["urls"][0];
    assert_eq!(listed["jekyll"], "/2021/Hello-World");
    assert_eq!(listed["folio"], "/2021/Hello-World.html");
    assert_eq!(listed["redirect"], false, "the same file, not a redirect");
    assert_eq!(jekyll_file("/2021/Hello-World"), "2021/Hello-World.html");
    assert!(site.exists("2021/Hello-World.html"));
}

#[test]
fn a_post_permalink_wins_over_the_site_style() {
    let url = check_post_url(
        "permalink: pretty\n",
        &format!("{POST}permalink: /notes/:year/:title.html\n"),
        "/notes/:year/:title.html",
    );
    assert_eq!(url, "/notes/2021/Hello-World.html");
}

#[test]
fn dates_are_read_on_the_site_clock() {
    // 02:00 UTC on the 4th is the 3rd, 21:00, in New York (Jekyll's
    // `Time#localtime` with TZ set from `timezone`).
    let jekyll = one_post_site(
        "timezone: America/New_York\npermalink: /:year/:month/:day/:hour/:title/\n",
        "date: 2021-03-04 02:00:00 +0000\n",
    );
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    assert!(site.exists("2021/03/03/21/Hello-World/index.html"));
}

#[test]
fn base_url_stays_out_of_the_urls_and_in_the_links() {
    let jekyll = one_post_site(
        "url: https://me.github.io\nbaseurl: /blog\npermalink: /:year/:title.html\n",
        "",
    );
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    assert!(site.exists("2021/Hello-World.html"));
    let home = site.html("index.html");
    let hrefs = crate::support::attrs(&home, "ul.posts a", "href");
    assert_eq!(hrefs.len(), 1);
    assert!(
        hrefs[0].ends_with("/blog/2021/Hello-World.html"),
        "{hrefs:?}"
    );
}

#[test]
fn pages_keep_jekylls_page_urls() {
    let jekyll = one_post_site("permalink: date\n", "");
    let root = jekyll.path();
    fs::create_dir_all(root.join("docs")).unwrap();
    fs::write(root.join("about.md"), "---\ntitle: About\n---\nMe.\n").unwrap();
    fs::write(
        root.join("docs/setup.md"),
        "---\ntitle: Setup\n---\nSteps.\n",
    )
    .unwrap();
    fs::write(
        root.join("docs/index.md"),
        "---\ntitle: Docs\n---\nAll docs.\n",
    )
    .unwrap();
    fs::write(
        root.join("docs/raw.md"),
        "No front matter: copied as it is.\n",
    )
    .unwrap();
    let (site, _) = import(root, &[]);
    site.build().ok();
    // page.rb: `/:path/:basename:output_ext` for the `date` style;
    // an index page is `/:path/`.
    assert!(site.read("about.html").contains("Me."));
    assert!(site.read("docs/setup.html").contains("Steps."));
    assert!(site.read("docs/index.html").contains("All docs."));
    assert_eq!(
        read(&site, "static/docs/raw.md"),
        "No front matter: copied as it is.\n"
    );
}

#[test]
fn templates_sass_and_closed_collections_are_listed_as_not_imported() {
    let jekyll = one_post_site("collections:\n  team:\n    output: false\n", "");
    let root = jekyll.path();
    for (path, text) in [
        ("_layouts/default.html", "<html>{{ content }}</html>\n"),
        ("_includes/head.html", "<meta>\n"),
        ("_sass/main.scss", "a { b: c }\n"),
        ("assets/css/style.scss", "---\n---\n@import \"main\";\n"),
        ("feed.xml", "---\nlayout: null\n---\n<feed/>\n"),
        ("_team/ann.md", "---\nname: Ann\n---\n"),
        ("_drafts/idea.textile", "---\ntitle: t\n---\n"),
        ("_data/table.tsv", "a\tb\n"),
    ] {
        fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
        fs::write(root.join(path), text).unwrap();
    }
    let (site, err) = import(root, &[]);
    let report = report(&site);
    let left_out: Vec<(String, String)> = report["not_imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["path"].as_str().unwrap().to_string(),
                n["why"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let why = |p: &str| {
        left_out
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, why)| why.clone())
            .unwrap_or_else(|| panic!("{p} not listed in {left_out:?}"))
    };
    assert!(why("_layouts").contains("Tera templates"));
    assert!(why("_includes").contains("Tera templates"));
    assert!(why("_sass").contains("Sass"));
    assert!(why("assets/css/style.scss").contains("Sass"));
    assert!(why("feed.xml").contains("template"));
    assert!(why("_team").contains("output: true"));
    assert!(why("_drafts/idea.textile").contains("Markdown"));
    assert!(why("_data/table.tsv").contains("YAML, JSON, CSV or TOML"));
    assert_eq!(left_out.len(), 8, "{left_out:?}");
    assert!(err.contains("8 left out"), "{err}");
}

#[test]
fn lenient_yaml_in_config_and_posts_is_a_warning_at_its_line() {
    let jekyll = one_post_site(
        "title: One\ntitle: Two\nid: 123456789012345678901\n",
        "categories: [a]\ncategories: [b]\n",
    );
    let (site, err) = import(jekyll.path(), &[]);
    assert!(
        err.contains("_config.yml:2:1: warning: `title` is given twice"),
        "{err}"
    );
    assert!(
        err.contains("_config.yml:3:5: warning: 123456789012345678901 is too large"),
        "{err}"
    );
    assert!(
        err.contains("_posts/2021-03-04-Hello World.md:4:1: warning: `categories` is given twice"),
        "{err}"
    );
    assert!(read(&site, "content/_index.md").contains("title: Two"));
    // Jekyll's URL uses the last `categories`.
    site.build().ok();
    assert!(site.exists("b/2021/03/04/Hello-World.html"));
    let warnings = report(&site)["warnings"].as_array().unwrap().len();
    assert_eq!(warnings, 3);
}

/// Import's warnings are printed as build's are: at `path:line:col`, with
/// the source line and the help; the summary counts the files left out,
/// as the report lists them.
#[test]
fn import_warnings_show_their_source_line_and_the_summary_counts_left_out_files() {
    let jekyll = one_post_site("title: One\ntimezone: Mars/Olympus\n", "");
    fs::create_dir_all(jekyll.path().join("_layouts")).unwrap();
    fs::write(jekyll.path().join("_layouts/default.html"), "{{ content }}").unwrap();
    fs::create_dir_all(jekyll.path().join("_data")).unwrap();
    fs::write(jekyll.path().join("_data/table.tsv"), "a\tb\n").unwrap();
    let (site, err) = import(jekyll.path(), &[]);
    assert!(
        err.contains(
            "_config.yml:2:1: warning: `timezone: Mars/Olympus` is not a time zone; URLs use UTC dates"
        ),
        "{err}"
    );
    assert!(
        err.contains("2 | timezone: Mars/Olympus"),
        "source line: {err}"
    );
    assert!(
        err.contains("= help: write an IANA name such as Europe/Berlin"),
        "{err}"
    );
    let listed = report(&site)["not_imported"].as_array().unwrap().len();
    assert_eq!(listed, 2, "_layouts/ and the TSV file");
    assert!(err.contains("2 left out (listed above)"), "{err}");
}

#[test]
fn redirect_from_and_redirect_to_are_kept() {
    let jekyll = one_post_site(
        "permalink: pretty\n",
        "redirect_from:\n  - /old/hello/\nredirect_to: https://example.org/\n",
    );
    let (site, _) = import(jekyll.path(), &[]);
    let post = read(&site, "content/posts/2021-03-04-Hello World.md");
    assert!(
        post.contains("redirect_from:\n  - /old/hello/\nredirect_to: https://example.org/\n"),
        "{post}"
    );
}

#[test]
fn a_dotted_title_under_a_folder_url_is_a_folder() {
    let jekyll = tempfile::tempdir().unwrap();
    fs::create_dir_all(jekyll.path().join("_posts")).unwrap();
    fs::write(jekyll.path().join("_config.yml"), "permalink: pretty\n").unwrap();
    fs::write(
        jekyll.path().join("_posts/2021-03-04-v1.2-release.md"),
        "---\ntitle: v1.2\n---\nReleased.\n",
    )
    .unwrap();
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    // `:title` keeps the dot (Jekyll's pretty slug); the URL ends in `/`.
    assert!(
        site.read("2021/03/04/v1.2-release/index.html")
            .contains("Released.")
    );
}

#[test]
fn unpublished_posts_are_imported_as_they_are_without_a_url() {
    let jekyll = one_post_site("permalink: pretty\n", "published: false\n");
    let (site, _) = import(jekyll.path(), &[]);
    let original =
        fs::read_to_string(jekyll.path().join("_posts/2021-03-04-Hello World.md")).unwrap();
    assert_eq!(
        read(&site, "content/posts/2021-03-04-Hello World.md"),
        original
    );
    assert_eq!(report(&site)["urls"].as_array().unwrap().len(), 0);
}

#[test]
fn two_posts_of_one_day_keep_their_tables_apart() {
    // Jekyll's `date` style puts both at /2021/03/04/…html: each page's
    // data files go in a folder named after its file.
    let jekyll = tempfile::tempdir().unwrap();
    fs::create_dir_all(jekyll.path().join("_posts")).unwrap();
    for (name, port) in [("first", 25), ("second", 587)] {
        fs::write(
            jekyll.path().join(format!("_posts/2021-03-04-{name}.md")),
            format!("---\ntitle: {name}\n---\n| Port |\n|---|\n| {port} |\n"),
        )
        .unwrap();
    }
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    for (name, port) in [("first", 25), ("second", 587)] {
        assert!(site.exists(&format!("2021/03/04/{name}.html")));
        let records: Value =
            serde_json::from_str(&site.read(&format!("2021/03/04/{name}/port.json"))).unwrap();
        assert_eq!(records, serde_json::json!([{"port": port}]));
    }
}

#[test]
fn a_jekyll_404_page_becomes_the_sites_404_page() {
    let jekyll = tempfile::tempdir().unwrap();
    fs::write(jekyll.path().join("_config.yml"), "title: Blog\n").unwrap();
    fs::write(
        jekyll.path().join("404.md"),
        "---\nlayout: default\npermalink: /404.html\n---\nNothing lives here.\n",
    )
    .unwrap();
    let (site, _) = import(jekyll.path(), &[]);
    site.build().ok();
    assert!(site.read("404.html").contains("Nothing lives here."));
    let urls = report(&site)["urls"].to_string();
    assert!(urls.contains("/404.html"), "{urls}");
}
