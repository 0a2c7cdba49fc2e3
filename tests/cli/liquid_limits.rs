//! Liquid's limits (README, "Liquid in bodies"): a loop over a range of
//! more than 1,000,000 items, more than 20,000,000 loop steps in a page
//! (an iteration and each tag and output of its body), more than
//! 64,000,000 bytes written by a page's loops and captures, more than
//! 200,000,000 bytes read and made by its filters, or loops that run for
//! more than 60 seconds is an error at the loop's `{% for %}`, exit 1, the previous `public/` kept. Each hostile build runs under a memory cap, so that a
//! regression fails here instead of exhausting the machine. The loops
//! real sites write still run.

use crate::liquid::assert_cases;
use crate::support::{Run, Site, texts, tree_differences};
use std::process::Command;

/// The address space a hostile build may take: the whole build of a
/// small site takes a few hundred MB at most.
const MEMORY_CAP_KB: u64 = 1_500_000;

/// `folio build` in `site` under [`MEMORY_CAP_KB`] (`ulimit -v`).
fn build_capped(site: &Site) -> Run {
    let folio = assert_cmd::cargo::cargo_bin("folio");
    let output = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_CAP_KB} && exec \"$0\" build"))
        .arg(folio)
        .current_dir(site.path())
        .env_remove("SOURCE_DATE_EPOCH")
        // Each rendering thread reserves its stack's address space: two
        // threads, whatever the machine's cores, keep the cap about memory.
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    Run { output }
}

/// Builds the `liquid` fixture, adds `content/x.md` with `text`, and
/// builds again under the memory cap: the build fails with exit 1 and
/// leaves `public/` as it was. Returns its stderr.
fn fails_within_limits(text: &str) -> String {
    let site = Site::fixture("liquid");
    site.build().ok();
    let before = site.output_tree();
    let site = site.file("content/x.md", text);
    let err = build_capped(&site).fails_with(1).stderr();
    let after = site.output_tree();
    assert!(
        before == after,
        "public/ changed after a failed build: {:?}",
        tree_differences(&before, &after)
    );
    err
}

#[track_caller]
fn assert_has(stderr: &str, wanted: &str) {
    assert!(stderr.contains(wanted), "wanted {wanted:?} in:\n{stderr}");
}

#[test]
fn a_huge_literal_range_is_an_error_at_its_for_before_it_is_made() {
    let err = fails_within_limits(
        "---\ntitle: X\n---\n\nBefore.\n\nA {% for i in (1..1000000000) %}{{ i }}{% endfor %}\n",
    );
    assert_has(
        &err,
        "content/x.md:7:3: error: Liquid: `{% for i in (1..1000000000) %}`: \
         its range has 1,000,000,000 items, more than the 1,000,000",
    );
    assert_has(&err, "help: a `for` range may have at most 1,000,000 items");
}

#[test]
fn a_huge_range_from_front_matter_is_an_error_at_its_for() {
    let err = fails_within_limits(
        "---\ntitle: X\nn: 1000000000000\n---\n\n{% for j in (1..2) %}\n  \
         {%- for i in (1..page.n) -%}{{ i }}{% endfor %}\n{% endfor %}\n",
    );
    assert_has(
        &err,
        "content/x.md:7:3: error: Liquid: `{%- for i in (1..page.n) -%}`: \
         its range has 1,000,000,000,000 items",
    );
}

#[test]
fn a_huge_tablerow_range_is_an_error_at_its_tag() {
    let err = fails_within_limits(
        "---\ntitle: X\n---\n\n<table>{% tablerow i in (0..5000000) cols: 2 %}{{ i }}{% endtablerow %}</table>\n",
    );
    assert_has(
        &err,
        "content/x.md:5:8: error: Liquid: `{% tablerow i in (0..5000000) cols: 2 %}`: \
         its range has 5,000,001 items",
    );
    assert_has(
        &err,
        "help: a `tablerow` range may have at most 1,000,000 items",
    );
}

#[test]
fn nested_loops_past_the_iteration_budget_stop_at_the_inner_loop() {
    // 100,000 x 100,000 iterations: the inner loop goes past 20,000,000.
    let err = fails_within_limits(
        "---\ntitle: X\n---\n\n{% for i in (1..100000) %}\n  {% for j in (1..100000) %}{% endfor %}\n{% endfor %}\n",
    );
    assert_has(
        &err,
        "content/x.md:6:3: error: Liquid: `{% for j in (1..100000) %}`: \
         the page's loops did more than 20,000,000 steps",
    );
    assert_has(
        &err,
        "help: a page's loops may do at most 20,000,000 steps in all",
    );
}

#[test]
fn each_tag_and_output_of_a_loop_body_counts_as_a_step() {
    // 20,000 iterations alone are far from the limit; with the 1,002
    // tags and outputs of the body each, they are 20,060,000 steps.
    let outputs = "{{ i }}".repeat(1000);
    let err = fails_within_limits(&format!(
        "---\ntitle: X\n---\n\n{{% for i in (1..20000) %}}{{% if false %}}{outputs}{{% endif %}}{{% endfor %}}\n"
    ));
    assert_has(
        &err,
        "content/x.md:5:1: error: Liquid: `{% for i in (1..20000) %}`: \
         the page's loops did more than 20,000,000 steps",
    );
}

#[test]
fn a_loop_that_tests_a_long_value_stops_after_a_minute() {
    // `contains` reads the 8 MB value whole at each of four million
    // iterations: over ten minutes of work that no count sees (twelve
    // million steps, nothing written or made), stopped at the inner loop.
    let big = "a".repeat(8_000_000);
    let err = fails_within_limits(&format!(
        "---\ntitle: X\nbig: {big}\n---\n\n{{% for n in (1..4) %}}\n{{% for i in (1..1000000) %}}{{% if page.big contains \"zz\" %}}x{{% endif %}}{{% endfor %}}\n{{% endfor %}}\n"
    ));
    assert_has(
        &err,
        "content/x.md:7:1: error: Liquid: `{% for i in (1..1000000) %}`: \
         the page's loops ran for more than 60 seconds",
    );
    assert_has(&err, "help: a page's loops may run for at most 60 seconds");
}

#[test]
fn loops_over_an_array_that_split_made_count_in_the_budget() {
    // 5,000 items, each against each, 100 bytes a time: 2.5 GB.
    let csv = vec!["x"; 5000].join(",");
    let line = "{% assign xs = page.csv | split: \",\" %}{% for a in xs %}{% for b in xs %}";
    let err = fails_within_limits(&format!(
        "---\ntitle: X\ncsv: \"{csv}\"\n---\n\n{line}{}{{% endfor %}}{{% endfor %}}\n",
        "y".repeat(100)
    ));
    let inner = line.find("{% for b").unwrap() + 1;
    assert_has(
        &err,
        &format!(
            "content/x.md:6:{inner}: error: Liquid: `{{% for b in xs %}}`: \
             the page's loops wrote more than 64,000,000 bytes"
        ),
    );
}

#[test]
fn a_loop_writing_too_much_is_an_error_at_its_for() {
    // 1 KB an iteration, a million times: a gigabyte.
    let kb = "x".repeat(1000);
    let err = fails_within_limits(&format!(
        "---\ntitle: X\n---\n\nText.\n\n{{% for i in (1..1000000) %}}{kb}{{% endfor %}}\n"
    ));
    assert_has(
        &err,
        "content/x.md:7:1: error: Liquid: `{% for i in (1..1000000) %}`: \
         the page's loops wrote more than 64,000,000 bytes",
    );
    assert_has(
        &err,
        "help: a page's loops and captures may write at most 64,000,000 bytes",
    );
}

#[test]
fn a_capture_that_doubles_in_a_loop_is_stopped_at_the_loop() {
    // Doubling 60 times would make 2^60 bytes.
    let err = fails_within_limits(
        "---\ntitle: X\n---\n\n{% assign s = 'ab' %}\n{% for i in (1..60) %}{% capture s %}{{ s }}{{ s }}{% endcapture %}{% endfor %}{{ s | size }}\n",
    );
    assert_has(
        &err,
        "content/x.md:6:1: error: Liquid: `{% for i in (1..60) %}`: \
         the page's loops wrote more than 64,000,000 bytes",
    );
}

#[test]
fn a_value_that_grows_in_a_loop_is_stopped_at_the_loop() {
    // 10 bytes more a step, a million steps: 5 TB of copying.
    let err = fails_within_limits(
        "---\ntitle: X\n---\n\n{% for i in (1..1000000) %}\n{% assign s = s | append: \"0123456789\" %}{% endfor %}{{ s | size }}\n",
    );
    assert_has(
        &err,
        "content/x.md:5:1: error: Liquid: `{% for i in (1..1000000) %}`: \
         the page's filters read and made more than 200,000,000 bytes",
    );
    assert_has(
        &err,
        "help: a page's Liquid filters may read and make at most 200,000,000 bytes in all",
    );
}

#[test]
fn a_value_that_doubles_outside_loops_is_stopped_at_its_tag() {
    // 40 doublings of 2 bytes: 2 TB.
    let doubling = "{% assign s = s | append: s %}\n".repeat(40);
    let err = fails_within_limits(&format!(
        "---\ntitle: X\n---\n\n{{% assign s = 'ab' %}}\n{doubling}"
    ));
    // Step k (line 5 + k) reads 2^k bytes and makes 2^(k+1), 3 * 2^(k+1)
    // - 6 in all so far: past 200,000,000 at k = 25 (201,326,586).
    assert_has(
        &err,
        "content/x.md:30:1: error: Liquid: the page's filters read and made more than 200,000,000 bytes",
    );
}

#[test]
fn a_range_of_exactly_the_limit_runs() {
    let site = Site::fixture("liquid").file(
        "content/x.md",
        "---\ntitle: X\n---\n\n<p id=\"a\">{% for i in (1..1000000) offset: 999997 %}{{ i }};{% endfor %}</p>\n\n\
         <p id=\"b\">{% for i in (1..1000000) limit: 3 reversed %}{{ i }};{% endfor %}</p>\n",
    );
    build_capped(&site).ok();
    let page = site.html("x/index.html");
    assert_eq!(texts(&page, "#a"), ["999998;999999;1000000;"]);
    assert_eq!(texts(&page, "#b"), ["3;2;1;"]);
}

/// `(id, Liquid, what the element with that id holds)`, the loops real
/// Jekyll sites write; the values follow Liquid's documentation and the
/// `liquid` fixture (posts Hello, Second, Third; data `providers` with
/// Fastmail and Proton).
const LOOPS: &[(&str, &str, &str)] = &[
    (
        "posts",
        "{% for p in site.posts %}{{ forloop.index }}.{{ p.title }};{% endfor %}",
        "1.Third;2.Second;3.Hello;",
    ),
    ("range", "{% for i in (1..5) %}{{ i }}{% endfor %}", "12345"),
    (
        "size-range",
        "{% for i in (0..page.tags.size) %}{{ i }}{% endfor %}",
        "012",
    ),
    (
        "limit-offset-reversed",
        "{% for p in site.posts limit: 2 offset: 1 reversed %}{{ p.title }};{% endfor %}",
        "Hello;Second;",
    ),
    (
        // A limit past the end gives the items there are.
        "offset-past",
        "{% for i in (1..5) offset: 3 limit: 5 %}{{ i }}/{{ forloop.length }};{% endfor %}",
        "4/2;5/2;",
    ),
    (
        "else",
        "{% for p in site.nothing %}x{% else %}none{% endfor %}",
        "none",
    ),
    (
        "forloop",
        "{% for i in (1..3) %}{{ forloop.index0 }}{{ forloop.rindex }}{{ forloop.rindex0 }}{% if forloop.last %}L{% endif %};{% endfor %}",
        "032;121;210L;",
    ),
    (
        "nested",
        "{% for i in (1..2) %}{% for j in (1..2) %}{{ forloop.parentloop.index }}{{ forloop.index }};{% endfor %}{% endfor %}",
        "11;12;21;22;",
    ),
    (
        "break-continue",
        "{% for i in (1..9) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}",
        "13",
    ),
    (
        "data",
        "{% for p in site.data.providers %}{{ p.name }};{% endfor %}",
        "Fastmail;Proton;",
    ),
    (
        "object",
        "{% for pair in page.pairs %}{{ pair[0] }}={{ pair[1] }};{% endfor %}",
        "a=1;",
    ),
    (
        "tablerow",
        "<table>{% tablerow i in (1..3) cols: 2 %}{{ i }}{{ tablerow.col }}{% endtablerow %}</table>",
        "<table><tbody><tr class=\"row1\"><td class=\"col1\">11</td><td class=\"col2\">22</td></tr><tr class=\"row2\"><td class=\"col1\">31</td></tr></tbody></table>",
    ),
    (
        "capture-in-loop",
        "{% for i in (1..3) %}{% capture s %}{{ s }}{{ i }}{% endcapture %}{% endfor %}{{ s }}",
        "123",
    ),
];

#[test]
fn the_loops_real_sites_write_still_run() {
    let mut page = String::from("---\ntitle: Loops\ntags: a b\npairs:\n  a: 1\n---\n\n");
    for (id, liquid, _) in LOOPS {
        page.push_str(&format!("<div id=\"{id}\">{liquid}</div>\n\n"));
    }
    let site = Site::fixture("liquid").file("content/loops.md", &page);
    let run = site.build().ok();
    assert!(!run.stderr().contains("warning"), "{}", run.stderr());
    assert_cases(&site.html("loops/index.html"), LOOPS);
}
