//! Hostile and broken input (issue #6): every case ends with exit 1 and
//! `path:line:col: message` (the previous `public/` untouched, nothing
//! written elsewhere), or with exit 0 and a warning where the input is
//! merely odd. Never a panic, abort, hang or unbounded memory.

use crate::errors::fails_keeping_output;
use crate::support::Site;
use std::fs;
use std::path::Path;

/// Writes `text` to `rel` inside an existing site.
fn write(site: &Site, rel: &str, text: impl AsRef<[u8]>) {
    let path = site.path().join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A broken post at `content/posts/a.md`; returns the failed build's stderr.
fn post_fails(text: impl AsRef<[u8]>) -> String {
    fails_keeping_output(Site::empty(), |s| {
        write(s, "content/posts/a.md", text.as_ref())
    })
}

/// A broken `templates/post.html`; returns the failed build's stderr.
fn template_fails(files: &[(&str, &str)]) -> String {
    fails_keeping_output(Site::empty(), |s| {
        for (name, text) in files {
            write(s, &format!("templates/{name}"), text);
        }
    })
}

#[track_caller]
fn assert_has(stderr: &str, wanted: &str) {
    assert!(stderr.contains(wanted), "wanted {wanted:?} in:\n{stderr}");
}

// Front matter ---------------------------------------------------------

#[test]
fn tab_indented_front_matter_is_an_error_at_its_line() {
    let err = post_fails("---\ntitle: a\n\ttags: x\n---\nx\n");
    assert_has(
        &err,
        "content/posts/a.md:3:1: error: invalid front matter: found a tab character",
    );
}

#[test]
fn badly_indented_front_matter_is_an_error_at_its_line() {
    let err = post_fails("---\ntitle: a\n  bad: x\n---\nx\n");
    assert_has(
        &err,
        "content/posts/a.md:3:6: error: invalid front matter: mapping values are not allowed",
    );
}

#[test]
fn unclosed_quote_names_where_the_quote_starts() {
    let err = post_fails("---\ntitle: \"abc\ntags: x\n---\nx\n");
    assert_has(&err, "content/posts/a.md:");
    assert_has(&err, "while scanning a quoted scalar that starts on line 2");
}

#[test]
fn front_matter_that_is_not_a_mapping_is_an_error() {
    for yaml in ["- a\n- b\n", "just text\n", "42\n"] {
        let err = post_fails(format!("---\n{yaml}---\nx\n"));
        assert_has(
            &err,
            "content/posts/a.md:2:1: error: front matter must be a mapping",
        );
    }
}

#[test]
fn fields_of_the_wrong_type_are_errors_at_their_line() {
    let err = post_fails("---\ntitle: t\ntags: 5\n---\nx\n");
    assert_has(
        &err,
        "content/posts/a.md:3:1: error: `tags` must be a list or a space-separated string",
    );
    let err = post_fails("---\ntitle: [a, b]\n---\nx\n");
    assert_has(
        &err,
        "content/posts/a.md:2:1: error: `title` must be a single value",
    );
}

#[test]
fn a_date_folio_cannot_read_is_a_warning() {
    let site = Site::empty().file(
        "content/posts/a.md",
        "---\ntitle: t\ndate: yesterday\n---\nx\n",
    );
    let run = site.build().ok();
    assert_has(
        &run.stderr(),
        "content/posts/a.md:3:1: warning: `date: yesterday` is not a date folio understands",
    );
}

#[test]
fn deeply_nested_front_matter_is_an_error_not_a_stack_overflow() {
    let flow = format!(
        "---\nx: {}{}\n---\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = post_fails(flow);
    assert_has(
        &err,
        "content/posts/a.md:2:1: error: invalid front matter: `[` and `{` nest more than 1000 deep",
    );
    let flow = format!("---\nx: {}{}\n---\n", "{a: ".repeat(200), "}".repeat(200));
    assert_has(&post_fails(flow), "recursion limit exceeded");

    let mut block = String::from("---\n");
    for i in 0..1000 {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    block.push_str("---\n");
    assert_has(&post_fails(block), "recursion limit exceeded");
}

#[test]
fn alias_expansion_bomb_is_an_error() {
    let mut yaml = String::from("---\na0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        yaml.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    yaml.push_str("---\nbody\n");
    let err = post_fails(yaml);
    assert_has(
        &err,
        "content/posts/a.md:2:1: error: invalid front matter: repetition limit exceeded",
    );
}

// Text -----------------------------------------------------------------

#[test]
fn byte_order_mark_crlf_and_mixed_line_endings_build_correctly() {
    let site = Site::empty().file(
        "content/posts/a.md",
        "\u{feff}---\r\ntitle: Bom\r\ntags: [x]\r\n---\r\nFirst\r\n\r\n| Port | P |\r\n|---|---|\n| 25 | a |\r| 25 | a |\r\n\rlast\n",
    );
    let run = site.build().ok();
    // The repeated row is on line 10: a lone CR ends a line like LF and CRLF.
    assert_has(
        &run.stderr(),
        "content/posts/a.md:10:1: warning: table row repeats the row on line 9",
    );
    let html = site.read("posts/a/index.html");
    assert_has(&html, "<h1>Bom</h1>");
    assert_has(&html, "<p>First</p>");
    assert_has(&html, "<p>last</p>");
    assert!(
        !html.contains('\r') && !html.contains('\u{feff}'),
        "{html:?}"
    );
    assert_eq!(site.read("posts/a/port.csv"), "port,p\r\n25,a\r\n25,a\r\n");
}

#[test]
fn empty_files_build() {
    let site = Site::empty()
        .file("content/_index.md", "")
        .file("content/posts/empty.md", "")
        .file("content/posts/only-fences.md", "---\n---\n");
    site.build().ok();
    assert!(site.exists("posts/empty/index.html"));
    assert!(site.exists("posts/only-fences/index.html"));
}

#[test]
fn planted_giant_files_are_an_error_naming_them() {
    for rel in ["content/posts/huge.md", "templates/huge.html"] {
        let err = fails_keeping_output(Site::empty(), |s| {
            // A sparse file: more than the machine's memory, were it read.
            let file = fs::File::create(s.path().join(rel)).unwrap();
            file.set_len(64 << 30).unwrap();
        });
        assert_has(
            &err,
            &format!("{rel}: error: file is larger than 256 MiB, the most folio reads"),
        );
    }
}

#[test]
fn pathological_markdown_builds() {
    let quotes = ">".repeat(50_000) + " deep\n";
    let lists: String = (0..2000)
        .map(|i| format!("{}- item\n", "  ".repeat(i)))
        .collect();
    let markers = "1. > - ".repeat(20_000) + "x\n";
    let brackets =
        "[".repeat(50_000) + "\n\n" + &"![".repeat(50_000) + "\n\n" + &"*a **".repeat(20_000);
    let long_line = "[a](b.md) é ".repeat(200_000);
    let site = Site::empty()
        .file("content/posts/quotes.md", &quotes)
        .file("content/posts/lists.md", &lists)
        .file("content/posts/markers.md", &markers)
        .file("content/posts/brackets.md", &brackets)
        .file("content/posts/long-line.md", &long_line);
    site.build().ok();
    assert_has(&site.read("posts/quotes/index.html"), "deep");
}

#[test]
fn very_wide_table_builds_as_data() {
    let n = 2000;
    let row = |f: &dyn Fn(usize) -> String| {
        format!("|{}|\n", (0..n).map(f).collect::<Vec<_>>().join("|"))
    };
    let text = format!(
        "{}{}{}",
        row(&|i| format!("Col {i}")),
        row(&|_| "-".into()),
        row(&|i| i.to_string())
    );
    let site = Site::empty().file("content/posts/wide.md", &text);
    site.build().ok();
    assert_has(&site.read("posts/wide/col-0.json"), "\"col_1999\": 1999");
}

#[test]
fn tables_past_the_cell_limit_are_an_error_at_the_table() {
    let err = fails_keeping_output(Site::empty(), |s| {
        // 1,000 columns, 2,000 rows: one byte a cell, 2,001,000 cells.
        let head = format!("|{}\n|{}\n", "x|".repeat(1000), "-|".repeat(1000));
        let rows = format!("{}\n", "|".repeat(1001)).repeat(2000);
        write(s, "content/posts/a.md", format!("Intro\n\n{head}{rows}"));
    });
    assert_has(
        &err,
        "content/posts/a.md:3:1: error: this page's tables hold more than 2000000 cells",
    );
}

// Paths ----------------------------------------------------------------

#[test]
fn permalinks_that_leave_the_site_are_errors_at_their_line() {
    let err = fails_keeping_output(Site::empty(), |s| {
        for (name, permalink) in [
            ("dots", "/../../outside/"),
            ("encoded", "/%2e%2e/%2E%2E/outside/"),
            ("backslash", "..\\\\outside\\\\"),
            ("scheme", "https://evil.example/x/"),
        ] {
            write(
                s,
                &format!("content/posts/{name}.md"),
                format!("---\ntitle: t\npermalink: \"{permalink}\"\n---\nx\n"),
            );
        }
    });
    for name in ["dots", "encoded", "backslash", "scheme"] {
        assert_has(
            &err,
            &format!("content/posts/{name}.md:3:1: error: permalink "),
        );
    }
    assert_has(&err, "must be a plain path inside the site");
}

#[test]
fn absolute_permalink_stays_inside_the_output() {
    let site = Site::empty().file(
        "content/posts/a.md",
        "---\ntitle: t\npermalink: /etc/folio-test/\n---\nx\n",
    );
    site.build().ok();
    assert!(site.exists("etc/folio-test/index.html"));
    assert!(!Path::new("/etc/folio-test").exists());
}

#[test]
fn page_that_would_be_a_file_and_a_folder_is_an_error() {
    let err = fails_keeping_output(Site::empty(), |s| {
        write(s, "content/posts/a.md", "---\npermalink: /x.html\n---\nx\n");
        write(
            s,
            "content/posts/b.md",
            "---\npermalink: /x.html/b/\n---\nx\n",
        );
    });
    assert_has(
        &err,
        "x.html: error: output file /x.html would also have to be the folder of /x.html/b/index.html",
    );
}

#[test]
fn page_claiming_a_generated_file_is_an_error_naming_it() {
    let err = fails_keeping_output(Site::empty(), |s| {
        write(
            s,
            "content/posts/a.md",
            "---\npermalink: /atom.xml\n---\nx\n",
        );
    });
    assert_has(
        &err,
        "content/posts/a.md: error: this page wants /atom.xml, which folio writes itself",
    );
}

#[test]
fn output_path_that_is_a_file_is_an_error() {
    let site = Site::empty()
        .file("content/posts/a.md", "x\n")
        .file("public", "mine\n");
    let run = site.build().fails_with(1);
    assert_has(
        &run.stderr(),
        "public: error: output path is a file, not a folder",
    );
    assert_eq!(
        fs::read_to_string(site.path().join("public")).unwrap(),
        "mine\n"
    );
}

#[test]
fn output_that_cannot_be_created_is_an_error_naming_it() {
    let site = Site::empty()
        .file("content/posts/a.md", "x\n")
        .file("afile", "mine\n");
    let before = site.tree();
    let run = site.run(&["build", "--out", "afile/public"]).fails_with(1);
    assert_has(&run.stderr(), "afile: error:");
    assert_eq!(site.tree(), before);
}

#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    /// A folder outside the site holding a secret in every shape a link
    /// could reach.
    fn outside() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            dir.path().join("secret.md"),
            "---\ntitle: SECRET\n---\nSECRET\n",
        )
        .unwrap();
        fs::write(dir.path().join("secret.html"), "SECRET").unwrap();
        fs::write(dir.path().join("secret.txt"), "SECRET").unwrap();
        dir
    }

    fn assert_nothing_secret(site: &Site) {
        for (path, bytes) in site.snapshot_output() {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("SECRET"),
                "{path}"
            );
        }
    }

    #[test]
    fn links_to_outside_the_site_are_skipped_with_a_warning() {
        let out = outside();
        let o = out.path();
        let site = Site::empty().file("content/posts/a.md", "x\n");
        let p = site.path();
        fs::create_dir_all(p.join("static")).unwrap();
        symlink(o.join("secret.md"), p.join("content/posts/secret.md")).unwrap();
        symlink(o, p.join("content/folder")).unwrap();
        symlink(o.join("secret.html"), p.join("templates/secret.html")).unwrap();
        symlink(o.join("secret.txt"), p.join("static/secret.txt")).unwrap();
        symlink("/dev/zero", p.join("content/posts/zero.md")).unwrap();
        let run = site.build().ok();
        let err = run.stderr();
        for link in [
            "content/folder",
            "content/posts/secret.md",
            "content/posts/zero.md",
            "templates/secret.html",
            "static/secret.txt",
        ] {
            assert_has(
                &err,
                &format!("{link}: warning: symbolic link to outside the site skipped"),
            );
        }
        assert_nothing_secret(&site);
        assert!(!site.exists("secret.txt"));
    }

    #[test]
    fn a_static_folder_linked_from_outside_is_skipped() {
        let out = outside();
        let site = Site::empty().file("content/posts/a.md", "x\n");
        fs::remove_dir_all(site.path().join("static")).unwrap();
        symlink(out.path(), site.path().join("static")).unwrap();
        let run = site.build().ok();
        assert_has(
            &run.stderr(),
            "static: warning: symbolic link to outside the site skipped",
        );
        assert_nothing_secret(&site);
    }

    #[test]
    fn links_inside_the_site_are_followed() {
        let site = Site::empty()
            .file("content/posts/a.md", "---\ntitle: A\n---\nx\n")
            .file("shared/logo.svg", "<svg/>")
            .file("shared/posts/b.md", "---\ntitle: Shared\n---\nB\n");
        let p = site.path();
        fs::create_dir_all(p.join("static")).unwrap();
        symlink(p.join("shared/logo.svg"), p.join("static/logo.svg")).unwrap();
        symlink("../../shared/posts/b.md", p.join("content/posts/b.md")).unwrap();
        let run = site.build().ok();
        assert!(!run.stderr().contains("warning"), "{}", run.stderr());
        assert_eq!(site.read("logo.svg"), "<svg/>");
        assert_has(&site.read("posts/b/index.html"), "Shared");
    }

    #[test]
    fn link_loops_and_dangling_links_warn_and_never_hang() {
        let site = Site::empty().file("content/posts/a.md", "x\n");
        let p = site.path();
        fs::create_dir_all(p.join("static/css")).unwrap();
        symlink("..", p.join("content/posts/up")).unwrap();
        symlink("../../static", p.join("static/css/again")).unwrap();
        symlink("nowhere.md", p.join("content/posts/dangling.md")).unwrap();
        symlink("b.md", p.join("content/posts/c.md")).unwrap();
        symlink("c.md", p.join("content/posts/b.md")).unwrap();
        let err = site.build().ok().stderr();
        assert_has(
            &err,
            "content/posts/up: warning: symbolic link loops back to content",
        );
        assert_has(
            &err,
            "static/css/again: warning: symbolic link loops back to static",
        );
        assert_has(
            &err,
            "content/posts/dangling.md: warning: symbolic link points to nothing",
        );
        assert_has(
            &err,
            "content/posts/b.md: warning: symbolic link points to nothing",
        );
        assert!(site.exists("posts/a/index.html"));
    }

    #[test]
    fn special_files_are_skipped_not_read() {
        use std::os::unix::fs::FileTypeExt;
        let site = Site::empty().file("content/posts/a.md", "x\n");
        let fifo = site.path().join("content/posts/pipe.md");
        // `mkfifo` is in coreutils; without it this test cannot make its input.
        match std::process::Command::new("mkfifo").arg(&fifo).status() {
            Ok(status) if status.success() => {}
            Ok(status) => panic!("mkfifo {} failed: {status}", fifo.display()),
            Err(e) => panic!("cannot run mkfifo (coreutils) to make the FIFO: {e}"),
        }
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
        // With no writer, opening the FIFO to read would block the build:
        // it ends, with no page for the FIFO, because the FIFO is skipped.
        let err = site.build().ok().stderr();
        assert_has(
            &err,
            "content/posts/pipe.md: warning: not a regular file; skipped",
        );
        assert!(site.exists("posts/a/index.html"));
        assert!(!site.exists("posts/pipe"));
    }
}

// Templates ------------------------------------------------------------

#[test]
fn unknown_filter_is_an_error_at_its_template_line() {
    let err = template_fails(&[("post.html", "<p>\n{{ page.title | nope }}</p>\n")]);
    assert_has(
        &err,
        "templates/post.html:2:17: error: Unknown filter `nope`",
    );
}

#[test]
fn unknown_function_is_an_error_at_its_template_line() {
    let err = template_fails(&[("post.html", "<p>\n\n{{ nope(x=1) }}</p>\n")]);
    assert_has(
        &err,
        "templates/post.html:3:4: error: Unknown function `nope`",
    );
}

#[test]
fn missing_include_is_an_error_at_its_template_line() {
    let err = template_fails(&[("post.html", "x\n{% include \"missing.html\" %}\n")]);
    assert_has(
        &err,
        "templates/post.html:2:12: error: Unknown template `missing.html`",
    );
}

#[test]
fn missing_parent_template_is_an_error() {
    let err = template_fails(&[("post.html", "{% extends \"nope.html\" %}\n")]);
    assert_has(
        &err,
        "templates/post.html: error: extends \"nope.html\", which is not in templates/",
    );
}

#[test]
fn include_loop_is_an_error() {
    let err = template_fails(&[
        ("a.html", "a\n{% include \"b.html\" %}\n"),
        ("b.html", "b\n{% include \"a.html\" %}\n"),
    ]);
    assert_has(
        &err,
        "templates/a.html: error: templates include each other in a loop: a.html → b.html → a.html",
    );
}

#[test]
fn extends_loop_is_an_error() {
    let err = template_fails(&[
        ("a.html", "{% extends \"b.html\" %}\n"),
        ("b.html", "{% extends \"a.html\" %}\n"),
    ]);
    assert_has(&err, "error: templates extend each other in a loop");
}

/// `post.html` including `i1.html`, … down to `i{n}.html`: `n + 1` templates.
fn include_chain(site: &Site, n: usize) {
    write(site, "templates/post.html", "{% include \"i1.html\" %}");
    for i in 1..=n {
        let text = if i < n {
            format!("{{% include \"i{}.html\" %}}", i + 1)
        } else {
            "end".to_string()
        };
        write(site, &format!("templates/i{i}.html"), text);
    }
}

#[test]
fn includes_nested_too_deep_are_an_error_not_a_stack_overflow() {
    let err = fails_keeping_output(Site::empty(), |s| include_chain(s, 500));
    assert_has(
        &err,
        "templates/i1.html: error: templates include each other more than 32 deep: i1.html → i2.html",
    );
}

#[test]
fn includes_nested_to_the_limit_render_on_every_thread() {
    let mut site = Site::empty();
    for i in 0..40 {
        site = site.file(&format!("content/posts/p{i}.md"), "x\n");
    }
    include_chain(&site, 31);
    site.build().ok();
    assert_eq!(site.read("posts/p7/index.html"), "end");
}

#[test]
fn endless_component_recursion_is_an_error() {
    let err = template_fails(&[(
        "post.html",
        "{% component d(name: string) %}{{ <d name={name} /> }}{% endcomponent d %}\n{{ <d name=\"x\" /> }}\n",
    )]);
    assert_has(
        &err,
        "templates/post.html: error: Maximum render recursion depth for components exceeded.",
    );
}

// Escaping -------------------------------------------------------------

const HOSTILE: &str = "<script>alert(1)</script> & \"quoted\" 'single' ]]>\u{1}";

/// `text` as a double-quoted YAML scalar.
fn yaml(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\u{1}', "\\x01");
    format!("\"{escaped}\"")
}

#[test]
fn hostile_front_matter_and_cells_stay_text_everywhere() {
    let site = Site::empty()
        .file(
            "content/_index.md",
            &format!(
                "---\ntitle: {0}\ndescription: {0}\nauthor: {0}\nbase_url: https://example.com/\n---\n",
                yaml(HOSTILE)
            ),
        )
        .file(
            "content/posts/a.md",
            &format!(
                "---\ntitle: {0}\ndescription: {0}\ntags: [{0}]\ncategories: [{0}]\nmood: {0}\n---\n\
                 | Name | Note |\n|---|---|\n\
                 | =HYPERLINK(\"http://evil\") | <img src=x onerror=alert(1)> |\n\
                 | +1 | -2+3 |\n| @SUM(A1) | \\<b> |\n",
                yaml(HOSTILE)
            ),
        )
        .file(
            "templates/post.html",
            "<title>{{ page.title }}</title><meta content=\"{{ page.description }}\">\
             <p>{{ page.extra.mood }}</p>{% for t in page.tags %}<a href=\"{{ t.url }}\">{{ t.name }}</a>{% endfor %}\
             {{ page.content | safe }}",
        );
    site.build().ok();
    for file in [
        "posts/a/index.html",
        "index.html",
        "tags/index.html",
        "atom.xml",
    ] {
        let text = site.read(file);
        assert!(!text.contains("<script>"), "{file}: {text}");
        assert!(!text.contains("<img"), "{file}: {text}");
        assert!(!text.contains("\"quoted\""), "{file}: {text}");
    }
    let page = site.read("posts/a/index.html");
    assert_has(&page, "&lt;script&gt;alert(1)&lt;");
    assert_has(&page, "&lt;img src=x onerror=alert(1)&gt;");
    let feed = site.read("atom.xml");
    assert_has(
        &feed,
        "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &apos;single&apos; ]]&gt;</title>",
    );
    // XML 1.0 forbids control characters: they are dropped.
    assert!(!feed.contains('\u{1}'));
    assert!(!site.read("sitemap.xml").contains("<script>"));

    let json = site.read("posts/a/name.json");
    let records: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(records[0]["note"], "<img src=x onerror=alert(1)>");
    assert_eq!(records[0]["name"], "=HYPERLINK(\"http://evil\")");
    assert_eq!(
        site.read("posts/a/name.csv"),
        "name,note\r\n\
         \"'=HYPERLINK(\"\"http://evil\"\")\",<img src=x onerror=alert(1)>\r\n\
         '+1,'-2+3\r\n\
         '@SUM(A1),<b>\r\n"
    );
}
