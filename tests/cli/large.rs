//! Real content that is merely large builds whole: a long post (a
//! changelog, a generated reference) and a table of many thousand rows.
//! The inputs are generated here; what is checked comes from them.

use crate::support::Site;
use std::fmt::Write;

/// A changelog of at least `bytes`: releases, each with a heading, a
/// paragraph with links, code and emphasis, "Added" and "Fixed" lists, and
/// now and then a code block, a quote and a small table (first header
/// `Option`). Returns the Markdown, how many releases and how many tables
/// it holds.
fn changelog(bytes: usize) -> (String, usize, usize) {
    let mut md = String::from("---\ntitle: Changelog\ntags: [changelog]\n---\n");
    md.push_str("Every release since the first, newest last.\n\n");
    let (mut v, mut tables) = (0, 0);
    while md.len() < bytes {
        v += 1;
        let _ = write!(
            md,
            "## Version 1.{}.{}\n\nThis release brings *faster* builds, `config.{v}` and \
             [the notes](https://example.com/releases/{v}) for the **server** and client. \
             Upgrading needs no change to a site's templates or content.\n\n\
             ### Added\n\n- A new option, `opt_{v}` ([#{v}](https://example.com/issues/{v}))\n\
             - Support for reading the site settings from the home page\n\
             - Headings keep their ids when the page is rebuilt\n\n\
             ### Fixed\n\n1. Links to sections resolve after a rename\n\
             2. The feed lists posts newest first\n\n",
            v / 100,
            v % 100,
        );
        if v % 3 == 0 {
            let _ = write!(
                md,
                "```rust\nfn main() {{\n    let release = {v};\n    println!(\"{{release}}\");\n}}\n```\n\n"
            );
        }
        if v % 5 == 0 {
            md.push_str("> Note: this release changes the default output folder.\n\n");
        }
        if v % 4 == 0 {
            tables += 1;
            let _ = write!(
                md,
                "| Option | Default | Meaning |\n|---|---|---|\n\
                 | opt_{v}_a | {v} | the first setting |\n| opt_{v}_b | 0 | the second setting |\n\n"
            );
        }
    }
    md.push_str("## The last release\n\nThat is all, for now.\n");
    (md, v, tables)
}

#[test]
fn a_twenty_megabyte_post_builds_whole() {
    let (md, sections, tables) = changelog(20_000_000);
    let site = Site::empty().file("content/posts/changelog.md", &md);
    site.build().ok();

    let html = site.read("posts/changelog/index.html");
    assert!(html.contains("<p>Every release since the first, newest last.</p>"));
    let h2 = html.matches("<h2 id=\"version-").count();
    assert_eq!(h2, sections);
    let (minor, patch) = (sections / 100, sections % 100);
    assert!(html.contains(&format!(
        "<h2 id=\"version-1-{minor}-{patch}\">Version 1.{minor}.{patch}<a"
    )));
    assert!(html.contains("<h2 id=\"the-last-release\">The last release<a"));
    assert!(html.contains("<p>That is all, for now.</p>"));
    // Repeated headings count up: `fixed`, `fixed-1`, …
    assert!(html.contains(&format!("<h3 id=\"fixed-{}\">Fixed<a", sections - 1)));

    // Every small table is published; the same first header counts up.
    assert!(site.exists("posts/changelog/option.json"));
    let last: serde_json::Value =
        serde_json::from_str(&site.read(&format!("posts/changelog/option-{tables}.json"))).unwrap();
    let v = sections / 4 * 4; // every fourth release has a table
    assert_eq!(
        last,
        serde_json::json!([
            {"option": format!("opt_{v}_a"), "default": v, "meaning": "the first setting"},
            {"option": format!("opt_{v}_b"), "default": 0, "meaning": "the second setting"},
        ])
    );
    assert!(!site.exists(&format!("posts/changelog/option-{}.json", tables + 1)));
}

#[test]
fn a_table_of_fifty_thousand_rows_is_published_whole() {
    let rows = 50_000;
    let mut md = String::from("---\ntitle: Ports\n---\nAll the records.\n\n");
    md.push_str("| Port | Name | Protocol | Security | Description |\n|---|---|---|---|---|\n");
    for i in 1..=rows {
        let security = if i % 3 == 0 { "None or TLS" } else { "SSL/TLS" };
        let _ = writeln!(
            md,
            "| {} | name-{i} | P{} | {security} | Row {i}, see [its page](https://example.com/{i}) |",
            i % 65535 + 1,
            i % 7
        );
    }
    md.push_str("\nAfter the table.\n");
    let site = Site::empty().file("content/posts/ports.md", &md);
    site.build().ok();

    let records: Vec<serde_json::Value> =
        serde_json::from_str(&site.read("posts/ports/port.json")).unwrap();
    assert_eq!(records.len(), rows);
    assert_eq!(
        records[rows - 1],
        serde_json::json!({"port": rows % 65535 + 1, "name": format!("name-{rows}"),
            "protocol": format!("P{}", rows % 7), "security": ["SSL/TLS"],
            "description": format!("Row {rows}, see its page")})
    );
    assert_eq!(records[2]["security"], serde_json::json!(["None", "TLS"]));

    let csv = site.read("posts/ports/port.csv");
    let lines: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(lines.len(), rows + 1);
    assert_eq!(lines[0], "port,name,protocol,security,description");
    assert_eq!(
        lines[rows],
        format!(
            "50001,name-{rows},P{},SSL/TLS,\"Row {rows}, see its page\"",
            rows % 7
        )
    );

    let doc = site.html("posts/ports/index.html");
    let ids = crate::support::attrs(&doc, "table.data-table tbody tr", "id");
    assert_eq!(ids.len(), rows);
    assert_eq!(ids[0], "port-2");
    assert_eq!(ids[rows - 1], "port-50001");
    let after = crate::support::texts(&doc, "article > p");
    assert_eq!(after.last().map(String::as_str), Some("After the table."));
}
