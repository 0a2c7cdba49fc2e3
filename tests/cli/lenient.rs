//! What Jekyll (Ruby's YAML) and GitHub Flavored Markdown accept, folio
//! accepts: each lenient reading is a warning at `path:line:col`, and the
//! build goes on with the value those parsers give.

use crate::support::Site;
use serde_json::{Value, json};

#[test]
fn ragged_table_rows_are_read_as_gfm_reads_them_with_a_warning() {
    // GFM spec, "Tables (extension)": "The remainder of the table's rows
    // may vary in the number of cells. If a number of cells fewer than the
    // number of cells in the header row, empty cells are inserted. If
    // greater, the excess is ignored."
    let site = Site::empty().file(
        "content/posts/cells.md",
        "---\ntitle: C\n---\n\n| Port | Name | Note |\n|---|---|---|\n| 25 | SMTP |\n| 993 | IMAP | TLS | extra |\n",
    );
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains(
            "content/posts/cells.md:7:1: warning: table row has 2 cells but its header has 3"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "content/posts/cells.md:8:1: warning: table row has 4 cells but its header has 3"
        ),
        "{err}"
    );
    let records: Value = serde_json::from_str(&site.read("posts/cells/port.json")).unwrap();
    assert_eq!(
        records,
        json!([
            {"port": 25, "name": "SMTP", "note": null},
            {"port": 993, "name": "IMAP", "note": "TLS"}
        ])
    );
    let csv = site.read("posts/cells/port.csv");
    assert_eq!(
        csv.lines().collect::<Vec<_>>(),
        ["port,name,note", "25,SMTP,", "993,IMAP,TLS"]
    );
    let page = site.html("posts/cells/index.html");
    let rows = crate::support::texts(&page, "tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(!rows[1].contains("extra"), "{rows:?}");
}

#[test]
fn ragged_rows_reach_page_tables_as_gfm_reads_them() {
    let site = Site::empty()
        .file(
            "templates/post.html",
            "{% for t in page.tables %}{% for r in t.records %}[{{ r.port }}|{{ r.name }}|{{ r.note }}]{% endfor %}{% endfor %}",
        )
        .file(
            "content/posts/cells.md",
            "---\ntitle: C\n---\n\n| Port | Name | Note |\n|---|---|---|\n| 25 |\n| 993 | IMAP | TLS | x |\n",
        );
    site.build().ok();
    assert_eq!(site.read("posts/cells/index.html"), "[25||][993|IMAP|TLS]");
}

#[test]
fn a_key_given_twice_keeps_the_last_value_with_a_warning() {
    let site = Site::empty()
        .file(
            "templates/post.html",
            "{{ page.title }}",
        )
        .file(
            "content/posts/twice.md",
            "---\ntitle: First\nredirect_from:\n  - /old/\ntitle: Second\nredirect_from:\n  - /older/\n---\nText.\n",
        );
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains("content/posts/twice.md:5:1: warning: `title` is given twice"),
        "{err}"
    );
    assert!(
        err.contains("content/posts/twice.md:6:1: warning: `redirect_from` is given twice"),
        "{err}"
    );
    assert_eq!(site.read("posts/twice/index.html"), "Second");
    assert!(site.exists("older/index.html"), "the last redirect_from");
    assert!(!site.exists("old/index.html"));
}

#[test]
fn integers_of_any_size_are_kept_as_written_with_a_warning() {
    let site = Site::empty()
        .file(
            "templates/post.html",
            "{{ page.extra.id }}|{{ site.extra.build }}",
        )
        .file(
            "content/_index.md",
            "---\ntitle: Site\nbuild: 999999999999999999999\n---\n",
        )
        .file(
            "content/posts/big.md",
            "---\ntitle: Big\nid: 123456789012345678901\n---\nText.\n",
        );
    let run = site.build().ok();
    let err = run.stderr();
    assert!(
        err.contains("content/posts/big.md:3:5: warning: 123456789012345678901 is too large"),
        "{err}"
    );
    assert!(
        err.contains("content/_index.md:3:8: warning: 999999999999999999999 is too large"),
        "{err}"
    );
    assert_eq!(
        site.read("posts/big/index.html"),
        "123456789012345678901|999999999999999999999"
    );
}

#[test]
fn what_no_parser_reads_is_still_an_error() {
    let site = Site::empty().file(
        "content/posts/broken.md",
        "---\ntitle: [unclosed\n---\nText.\n",
    );
    let run = site.build().fails_with(1);
    assert!(
        run.stderr().contains("content/posts/broken.md:2:"),
        "{}",
        run.stderr()
    );
}
