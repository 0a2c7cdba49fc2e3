//! What a successful build writes.

use crate::support::{Site, attrs, texts};
use serde_json::{Value, json};

#[test]
fn real_site_builds_every_output_file() {
    let site = Site::real();
    let run = site.build().ok();
    assert!(
        !run.stderr().contains("warning"),
        "the real site has no warnings:\n{}",
        run.stderr()
    );
    for file in [
        "index.html",
        "posts/email-server-ports-table/index.html",
        "posts/email-server-ports-table/ports.json",
        "posts/email-server-ports-table/ports.csv",
        "tags/index.html",
        "tags/email/index.html",
        "categories/computer/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        ".nojekyll",
        "css/style.css",
    ] {
        assert!(site.exists(file), "missing {file}");
    }
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, ".post-list a.post-link", "href"),
        ["/email-ports/posts/email-server-ports-table/"]
    );
}

#[test]
fn ports_data_has_the_seven_typed_rows() {
    let site = Site::real();
    site.build().ok();
    let data: Value =
        serde_json::from_str(&site.read("posts/email-server-ports-table/ports.json")).unwrap();
    let rows = data.as_array().unwrap();
    assert_eq!(rows.len(), 7);
    assert_eq!(
        rows[0],
        json!({"port": 25, "protocol": "SMTP", "service": "smtp", "security": ["None", "STARTTLS"], "authentication": ["None"], "description": "Relay between servers", "standard": "RFC 5321, RFC 3207"})
    );
    let ports: Vec<i64> = rows.iter().map(|r| r["port"].as_i64().unwrap()).collect();
    assert_eq!(ports, [25, 587, 465, 143, 993, 110, 995]);
    assert_eq!(rows[3]["authentication"], json!(["LOGIN", "AUTHENTICATE"]));
    insta::assert_snapshot!(
        "ports_csv",
        site.read("posts/email-server-ports-table/ports.csv")
    );
}

#[test]
fn ports_table_is_rendered_from_data_with_badges() {
    let site = Site::real();
    site.build().ok();
    let page = site.html("posts/email-server-ports-table/index.html");
    let ids = attrs(&page, "#table-ports tbody tr", "id");
    assert_eq!(
        ids,
        [
            "port-25", "port-587", "port-465", "port-143", "port-993", "port-110", "port-995"
        ]
    );
    // The seed's "SSL" reads as implicit TLS, "None" as plain text.
    assert_eq!(
        texts(&page, "#port-993 td[data-label=Security] .badge"),
        ["implicit TLS"]
    );
    assert_eq!(
        attrs(&page, "#port-993 td[data-label=Security] .badge", "title"),
        ["SSL"]
    );
    assert_eq!(
        texts(&page, "#port-587 td[data-label=Security] .badge"),
        ["plain text", "STARTTLS"]
    );
    assert_eq!(
        texts(&page, "#table-ports thead th .nojs-only")[1],
        "Protocol"
    );
    // The corrected apostrophe, and the headings' ids for deep links.
    assert!(texts(&page, ".prose p")[0].starts_with("Here’s a table"));
    assert!(
        attrs(&page, "h2", "id")
            .contains(&"what-is-the-difference-between-pop3-and-imap".to_string())
    );
}

#[test]
fn verbatim_seed_builds_and_warns_about_mojibake() {
    let site = Site::fixture("seed");
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains("content/posts/email-server-ports-table.md:14:5: warning:"),
        "{err}"
    );
    assert!(err.contains("\"â€™\""), "quotes the suspicious text: {err}");
    assert!(
        err.contains("with \"’\""),
        "suggests the intended character: {err}"
    );
    // The seed's header typo stays the author's: its key is what they wrote.
    let data: Value =
        serde_json::from_str(&site.read("posts/email-server-ports-table/ports.json")).unwrap();
    assert_eq!(data[4]["protocal"], "IMAP");
    assert_eq!(data.as_array().unwrap().len(), 7);
}

#[test]
fn a_second_table_yields_its_own_data() {
    let site = Site::fixture("second-table");
    site.build().ok();
    let data: Value = serde_json::from_str(&site.read("posts/clients/client.json")).unwrap();
    assert_eq!(
        data[1],
        json!({"client": "Outlook", "incoming": "IMAP", "outgoing_port": 587, "note": "Uses STARTTLS"})
    );
    let csv = site.read("posts/clients/client.csv");
    assert!(
        csv.starts_with("client,incoming,outgoing_port,note\r\n"),
        "{csv}"
    );
    let page = site.html("posts/clients/index.html");
    assert_eq!(
        attrs(&page, "tbody tr", "id"),
        ["client-thunderbird", "client-outlook"]
    );
}

/// `page.tables` is only built when a template may read it; every way of
/// reaching it finds it (the default templates never do, and still render
/// the tables in `page.content`).
#[test]
fn page_tables_reach_templates_however_they_read_them() {
    for template in [
        "{% for t in page.tables %}<i>{{ t.name }}:{{ t.rows | length }}</i>{% endfor %}",
        "{% set p = page %}{% for t in p.tables %}<i>{{ t.name }}:{{ t.rows | length }}</i>{% endfor %}",
        "{% for k, v in page %}{% if k == \"tables\" %}{% for t in v %}<i>{{ t.name }}:{{ t.rows | length }}</i>{% endfor %}{% endif %}{% endfor %}",
    ] {
        let site = Site::fixture("second-table").file("templates/post.html", template);
        site.build().ok();
        let page = site.html("posts/clients/index.html");
        assert_eq!(texts(&page, "i"), ["client:2"], "{template}");
    }
    let site = Site::fixture("second-table").file(
        "templates/post.html",
        "<script type=\"application/json\">{{ page | json }}</script>",
    );
    site.build().ok();
    let page = site.html("posts/clients/index.html");
    let json: Value = serde_json::from_str(&texts(&page, "script")[0]).unwrap();
    assert_eq!(json["tables"][0]["records"][1]["outgoing_port"], 587);
    let site = Site::fixture("second-table");
    site.build().ok();
    let page = site.html("posts/clients/index.html");
    assert_eq!(attrs(&page, "tbody tr", "id").len(), 2);
}

#[test]
fn jekyll_front_matter_fields_resolve() {
    let site = Site::fixture("jekyll-fields");
    site.build().ok();
    let page = site.html("posts/hello-world/index.html");
    assert_eq!(texts(&page, "h1"), ["Hello: World"]);
    assert_eq!(texts(&page, "time"), ["2019-08-20"]);
    assert_eq!(texts(&page, ".mood"), ["happy"]);
    assert_eq!(texts(&page, ".categories a"), ["release", "news"]);
    assert_eq!(
        attrs(&page, ".tags a", "href"),
        ["/tags/post-formats/", "/tags/email/"]
    );
    // `published: false` is left out; a permalink with placeholders moves the page.
    assert!(!site.exists("posts/hidden/index.html"));
    assert!(site.exists("2016/custom-page/index.html"));
    let term = site.html("tags/post-formats/index.html");
    assert_eq!(texts(&term, "h1"), ["Post Formats"]);
    // Newest first on the home page.
    let home = site.html("index.html");
    assert_eq!(texts(&home, ".posts a"), ["Hello: World", "Custom"]);
}

#[test]
fn drafts_flag_builds_unpublished_posts() {
    let site = Site::fixture("jekyll-fields");
    site.run(&["build", "--drafts"]).ok();
    assert!(site.exists("posts/hidden/index.html"));
}

#[test]
fn gfm_extensions_and_heading_ids() {
    let site = Site::fixture("gfm");
    site.build().ok();
    let page = site.html("posts/gfm/index.html");
    assert_eq!(attrs(&page, "h2", "id"), ["intro", "intro-1"]);
    assert_eq!(texts(&page, "del"), ["old"]);
    assert_eq!(attrs(&page, "input[type=checkbox]", "type").len(), 2);
    assert_eq!(
        attrs(&page, "a[href='https://example.com']", "href").len(),
        1
    );
    assert!(!texts(&page, ".footnote-definition").is_empty());
}

#[test]
fn heading_ids_stay_unique_when_a_heading_reads_like_a_numbered_one() {
    let site = Site::empty().file(
        "content/posts/ids.md",
        "---\ntitle: Ids\ndate: 2020-01-01\n---\n\n## Setup\n\n## Setup\n\n## Setup 1\n\n## Other {#setup}\n",
    );
    site.build().ok();
    let page = site.html("posts/ids/index.html");
    let ids = attrs(&page, "h2", "id");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{ids:?}");
    // The first two keep the ids they had before "Setup 1" was written.
    assert_eq!(ids[..2], ["setup", "setup-1"]);
}

#[test]
fn base_url_flag_prefixes_every_internal_link() {
    let site = Site::fixture("jekyll-fields");
    site.run(&["build", "--base-url", "https://user.github.io/repo/"])
        .ok();
    let page = site.html("posts/hello-world/index.html");
    assert_eq!(
        attrs(&page, "link[rel=stylesheet]", "href"),
        Vec::<String>::new(),
        "custom template has no head"
    );
    let home = site.html("index.html");
    assert_eq!(
        attrs(&home, "link[rel=stylesheet]", "href"),
        ["/repo/style.css"]
    );
    assert_eq!(attrs(&home, "a.home", "href"), ["/repo/"]);
    assert!(
        attrs(&home, ".posts a", "href")
            .iter()
            .all(|h| h.starts_with("/repo/"))
    );
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://user.github.io/repo/posts/hello-world/</loc>"),
        "{sitemap}"
    );
    assert!(
        site.read("robots.txt")
            .contains("Sitemap: https://user.github.io/repo/sitemap.xml")
    );
}

#[test]
fn out_and_root_flags_choose_folders() {
    let site = Site::fixture("gfm");
    let other = tempfile::tempdir().unwrap();
    let out = other.path().join("site-out");
    let root = site.path().to_str().unwrap().to_string();
    let run = Site::empty()
        .run(&["build", "--root", &root, "--out", out.to_str().unwrap()])
        .ok();
    assert!(
        out.join("posts/gfm/index.html").is_file(),
        "{}",
        run.stderr()
    );
    assert!(!site.path().join("public").exists());
}

#[test]
fn plain_folio_builds_like_folio_build() {
    let site = Site::fixture("gfm");
    site.run(&[]).ok();
    assert!(site.exists("posts/gfm/index.html"));
}

#[test]
fn help_explains_every_build_flag() {
    let run = Site::empty().run(&["build", "--help"]).ok();
    for flag in ["--root", "--out", "--base-url", "--drafts"] {
        assert!(
            run.stdout().contains(flag),
            "{flag} missing from:\n{}",
            run.stdout()
        );
    }
}

#[test]
fn feed_and_sitemap_are_well_formed() {
    let site = Site::real();
    site.build().ok();
    let feed = site.read("atom.xml");
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    for element in ["<title>", "<id>", "<updated>", "<entry>"] {
        assert!(feed.contains(element), "{element} missing:\n{feed}");
    }
    assert!(
        site.read("sitemap.xml")
            .contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let site = Site::real();
    site.build().ok();
    let first = site.snapshot_output();
    site.build().ok();
    assert_eq!(first, site.snapshot_output());
}

#[test]
fn parallel_build_is_byte_identical_to_a_single_threaded_one() {
    let site = Site::fixture("jekyll-corpus");
    site.run_env(&["build"], &[("RAYON_NUM_THREADS", "1")]).ok();
    let single = site.snapshot_output();
    site.run_env(&["build"], &[("RAYON_NUM_THREADS", "4")]).ok();
    let parallel = site.snapshot_output();
    assert!(single.len() > 100, "{} files", single.len());
    assert_eq!(single, parallel);
}

#[test]
fn rebuild_reuses_unchanged_files_and_replaces_changed_ones() {
    let site = Site::fixture("gfm");
    site.build().ok();
    let page = site.path().join("public/posts/gfm/index.html");
    let before = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        site.path().join("content/posts/gfm.md"),
        "---\ntitle: Changed\n---\nNew body.\n",
    )
    .unwrap();
    site.build().ok();
    let after = std::fs::read_to_string(&page).unwrap();
    assert_ne!(before, after);
    assert!(after.contains("New body."));
    // A third build with nothing changed gives the same bytes.
    let snapshot = site.snapshot_output();
    site.build().ok();
    assert_eq!(snapshot, site.snapshot_output());
}

/// Many posts sharing many tags: every term page lists every post. The work
/// is posts × tags list entries; anything quadratic in posts on top of that
/// (re-serialising pages per list, scanning all pages per term) would make
/// this test crawl. Correctness is asserted; speed lives in benches/.
#[test]
fn many_posts_in_many_tags_build_every_term_page_completely() {
    let tags: Vec<String> = (0..40).map(|t| format!("tag{t}")).collect();
    let mut site = Site::empty();
    for i in 0..600 {
        site = site.file(
            &format!("content/posts/p{i}.md"),
            &format!(
                "---\ntitle: Post {i}\ndate: 2020-01-01\ntags: [{}]\n---\nBody {i}.\n",
                tags.join(", ")
            ),
        );
    }
    site.build().ok();
    for tag in ["tag0", "tag39"] {
        let pages = site.list_pages(&format!("tags/{tag}/"));
        assert_eq!(pages.len(), 60, "{tag}: 600 posts, 10 a page");
        let mut listed: Vec<String> = pages
            .iter()
            .flat_map(|page| attrs(page, ".posts a", "href"))
            .collect();
        assert_eq!(listed.len(), 600, "{tag}");
        listed.sort();
        listed.dedup();
        assert_eq!(listed.len(), 600, "{tag}: each post once");
    }
    let index = site.html("tags/index.html");
    assert_eq!(texts(&index, ".terms li").len(), 40);
    assert!(
        texts(&index, ".terms li")
            .iter()
            .all(|t| t.ends_with("600"))
    );
}

/// From the third build on, a build writes over the tree the one before it
/// replaced (`.public.folio-previous`): what the site no longer has must not
/// survive there, and what changed shape (a file that became a folder) too.
#[test]
fn reused_output_tree_keeps_nothing_stale() {
    let site = Site::fixture("gfm")
        .file(
            "content/posts/gone.md",
            "---\ntitle: Gone\n---\nSoon deleted.\n",
        )
        .file("static/shape", "a file for now\n");
    site.build().ok();
    site.build().ok();
    assert!(
        site.path()
            .join(".public.folio-previous/posts/gone/index.html")
            .is_file()
    );
    std::fs::remove_file(site.path().join("content/posts/gone.md")).unwrap();
    std::fs::remove_file(site.path().join("static/shape")).unwrap();
    std::fs::create_dir_all(site.path().join("static/shape")).unwrap();
    std::fs::write(site.path().join("static/shape/inner.txt"), "now a folder\n").unwrap();
    for _ in 0..2 {
        site.build().ok();
        assert!(!site.exists("posts/gone/index.html"));
        assert!(!site.exists("posts/gone"));
        assert_eq!(site.read("shape/inner.txt"), "now a folder\n");
        assert!(site.exists("posts/gfm/index.html"));
    }
}

/// Dates a manifest a minute later, which makes every record in it old
/// enough to trust, as after a pause between builds.
fn a_minute_later(manifest: &std::path::Path) {
    let later = std::fs::metadata(manifest).unwrap().modified().unwrap()
        + std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(manifest)
        .unwrap()
        .set_modified(later)
        .unwrap();
}

/// The reused tree's manifest records each folder; a folder still as
/// recorded is not listed again, only what the manifest says it held is
/// checked. Dating the manifest a minute later makes every record in it
/// old enough to trust, as after a pause between builds: a deleted post
/// must still go, and a file added by hand to a recorded folder (which
/// moves that folder's times) must go too.
#[test]
fn reused_tree_with_a_trusted_manifest_keeps_nothing_stale() {
    let site = Site::fixture("gfm")
        .file(
            "content/posts/gone.md",
            "---\ntitle: Gone\n---\nSoon deleted.\n",
        )
        .file("content/posts/kept.md", "---\ntitle: Kept\n---\nStays.\n");
    site.build().ok();
    site.build().ok();
    let previous = site.path().join(".public.folio-previous");
    assert!(previous.join("posts/gone/index.html").is_file());
    std::fs::write(previous.join("posts/kept/planted.txt"), "by hand\n").unwrap();
    let manifest = site.path().join(".public.folio-previous.manifest");
    a_minute_later(&manifest);
    std::fs::remove_file(site.path().join("content/posts/gone.md")).unwrap();
    site.build().ok();
    assert!(!site.exists("posts/gone"));
    assert!(!site.exists("posts/kept/planted.txt"));
    assert!(site.exists("posts/kept/index.html"));
    assert!(site.exists("posts/gfm/index.html"));
}

/// A build that writes over a reused tree records each folder it left as
/// it was with the record it found; a file added by hand to such a folder
/// afterwards moves that record, and the build that reuses the tree next
/// takes the file away.
#[test]
fn a_file_planted_in_a_folder_a_reusing_build_left_alone_still_goes() {
    let site =
        Site::fixture("gfm").file("content/posts/kept.md", "---\ntitle: Kept\n---\nStays.\n");
    for _ in 0..3 {
        site.build().ok();
    }
    // The third build wrote over the first one's tree: it is the output now.
    let planted = site.path().join("public/posts/kept/planted.txt");
    std::fs::write(&planted, "by hand\n").unwrap();
    let manifest = site.path().join(".public.folio-current.manifest");
    a_minute_later(&manifest);
    site.build().ok();
    assert!(
        site.path()
            .join(".public.folio-previous/posts/kept/planted.txt")
            .is_file()
    );
    site.build().ok();
    assert!(!site.exists("posts/kept/planted.txt"));
    assert!(site.exists("posts/kept/index.html"));
}

#[cfg(unix)]
#[test]
fn a_planted_previous_tree_link_is_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let site = Site::fixture("gfm");
    site.build().ok();
    std::os::unix::fs::symlink(outside.path(), site.path().join(".public.folio-previous")).unwrap();
    site.build().ok();
    assert!(
        std::fs::read_dir(outside.path()).unwrap().next().is_none(),
        "wrote outside the site"
    );
    assert!(site.exists("posts/gfm/index.html"));
}

/// Files in the reused tree are rewritten in place, so what stands there is
/// checked first: a link to a file outside is replaced, never followed; a
/// file hard-linked from outside is replaced, never written into; a file
/// changed behind folio's back (same size, other bytes) is rewritten.
#[cfg(unix)]
#[test]
fn planted_files_in_the_reused_tree_are_replaced_not_written_through() {
    let outside = tempfile::tempdir().unwrap();
    let site = Site::fixture("gfm");
    site.build().ok();
    site.build().ok();
    let expected = site.snapshot_output();
    let previous = site.path().join(".public.folio-previous");
    let target = outside.path().join("target.html");
    std::fs::write(&target, "outside\n").unwrap();
    let linked = previous.join("posts/gfm/index.html");
    std::fs::remove_file(&linked).unwrap();
    std::os::unix::fs::symlink(&target, &linked).unwrap();
    let hard = outside.path().join("hard.xml");
    std::fs::write(&hard, "outside too\n").unwrap();
    std::fs::remove_file(previous.join("sitemap.xml")).unwrap();
    std::fs::hard_link(&hard, previous.join("sitemap.xml")).unwrap();
    let tampered = previous.join("index.html");
    let len = std::fs::metadata(&tampered).unwrap().len() as usize;
    std::fs::write(&tampered, "x".repeat(len)).unwrap();

    site.build().ok();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "outside\n");
    assert_eq!(std::fs::read_to_string(&hard).unwrap(), "outside too\n");
    assert_eq!(site.snapshot_output(), expected);
    assert!(
        !std::fs::symlink_metadata(site.path().join("public/posts/gfm/index.html"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// A rebuild trusts the manifest of the tree it writes over (no read of a
/// file whose inode, size and times are as recorded), so any change behind
/// folio's back must show in those: here a same-size rewrite of a page and
/// of a data file in the kept tree, made once the manifest is old enough to
/// be trusted, are both put right, and the output is what a clean build
/// writes.
#[cfg(unix)]
#[test]
fn files_changed_behind_the_manifest_are_rewritten() {
    let site = Site::fixture("second-table");
    site.build().ok();
    site.build().ok();
    // Past the manifest's window for racy timestamps (2 s), then two more
    // builds so that both kept trees have manifests it trusts.
    std::thread::sleep(std::time::Duration::from_millis(2100));
    site.build().ok();
    site.build().ok();
    let expected = site.snapshot_output();
    let previous = site.path().join(".public.folio-previous");
    assert!(
        site.path()
            .join(".public.folio-previous.manifest")
            .is_file()
    );
    for rel in ["posts/clients/index.html", "posts/clients/client.json"] {
        let file = previous.join(rel);
        let len = std::fs::metadata(&file).unwrap().len() as usize;
        std::fs::write(&file, "x".repeat(len)).unwrap();
    }
    site.build().ok();
    assert_eq!(site.snapshot_output(), expected);
}

/// The home page lists posts newest first, undated ones last, and posts of
/// one date by URL; drafts stay out, and `_index.md` is the home page, not
/// a post. Files are named so that no simple order of names gives this.
#[test]
fn posts_are_listed_newest_first_then_by_url() {
    let mut site = Site::empty().file("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n");
    for (file, title, date, draft) in [
        ("a", "Old", "date: 2020-01-01\n", false),
        ("z", "New", "date: 2024-05-01\n", false),
        ("m", "Undated", "", false),
        ("c", "Tie C", "date: 2022-02-02\n", false),
        ("b", "Tie B", "date: 2022-02-02\n", false),
        ("d", "Draft", "date: 2025-01-01\n", true),
        ("e", "Middle", "date: 2021-06-15\n", false),
    ] {
        site = site.file(
            &format!("content/posts/{file}.md"),
            &format!("---\ntitle: {title}\n{date}draft: {draft}\n---\nBody.\n"),
        );
    }
    site.build().ok();
    let home = site.html("index.html");
    assert_eq!(
        texts(&home, ".posts a"),
        ["New", "Tie B", "Tie C", "Middle", "Old", "Undated"]
    );
}

/// A link planted for a folder of the reused tree (here `posts`, pointing
/// outside the site at a folder that has the same subfolders) is replaced,
/// never written through.
#[cfg(unix)]
#[test]
fn a_planted_folder_link_in_the_reused_tree_is_never_written_through() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("gfm")).unwrap();
    let site = Site::fixture("gfm");
    site.build().ok();
    site.build().ok();
    let expected = site.snapshot_output();
    let posts = site.path().join(".public.folio-previous/posts");
    std::fs::remove_dir_all(&posts).unwrap();
    std::os::unix::fs::symlink(outside.path(), &posts).unwrap();
    site.build().ok();
    assert!(
        std::fs::read_dir(outside.path().join("gfm"))
            .unwrap()
            .next()
            .is_none(),
        "wrote outside the site"
    );
    assert_eq!(site.snapshot_output(), expected);
}

#[test]
fn a_path_with_a_space_is_written_as_a_valid_url() {
    let site = Site::empty().file(
        "content/posts/a.md",
        "---\ntitle: A\ndate: 2024-01-02\npermalink: /my page/\n---\nText.\n",
    );
    site.build().ok();
    // The file keeps the path as written; every URL to it escapes the space.
    assert!(site.exists("my page/index.html"));
    let home = site.html("index.html");
    let hrefs = attrs(&home, "a[href]", "href");
    assert!(
        hrefs.iter().any(|h| h.ends_with("/my%20page/")),
        "{hrefs:?}"
    );
    assert!(!hrefs.iter().any(|h| h.contains(' ')), "{hrefs:?}");
    for file in ["sitemap.xml", "atom.xml"] {
        let xml = site.read(file);
        assert!(xml.contains("/my%20page/"), "{file}:\n{xml}");
        assert!(!xml.contains("my page"), "{file}:\n{xml}");
    }
    site.run(&["check"]).ok();
}
