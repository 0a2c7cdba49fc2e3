//! The real site's ports page: what its templates compute from the table
//! data, and its budgets. Its behaviour in a browser is tested by
//! tests/browser/ (see README.md).

use crate::support::{Site, attrs, texts};
use serde_json::Value;

const PAGE: &str = "posts/email-server-ports-table/index.html";
const POST: &str = "content/posts/email-server-ports-table.md";

/// The real site with `from` replaced by `to` in the ports post.
fn real_site_with(from: &str, to: &str) -> Site {
    let site = Site::real();
    let text = std::fs::read_to_string(site.path().join(POST)).unwrap();
    assert!(text.contains(from), "the post has no line {from:?}");
    let text = text.replace(from, to);
    site.file(POST, &text)
}

fn quick_answer(site: &Site) -> Vec<String> {
    let page = site.html(PAGE);
    texts(&page, ".quick dd")
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn quick_answer_comes_first_and_is_computed_from_the_table() {
    let site = Site::real();
    site.build().ok();
    assert_eq!(
        quick_answer(&site),
        [
            "IMAP 993 or POP3 995 with implicit TLS",
            "SMTP 465 with implicit TLS, or SMTP 587 with STARTTLS"
        ]
    );
    let page = site.html(PAGE);
    assert_eq!(
        texts(&page, ".quick dt"),
        [
            "Receiving mail (incoming server)",
            "Sending mail (outgoing server)"
        ]
    );
    assert_eq!(
        attrs(&page, ".quick dd a", "href"),
        ["#port-993", "#port-995", "#port-465", "#port-587"]
    );
    assert_eq!(
        attrs(&page, ".quick p a", "href"),
        ["#port-25", "#port-110"]
    );
    let html = site.read(PAGE);
    assert!(html.find("class=\"quick\"") < html.find("id=\"table-ports\""));
}

#[test]
fn quick_answer_follows_a_change_of_the_data() {
    // POP3 loses its encryption; IMAP 143 now requires STARTTLS.
    let site = real_site_with(
        "| 995   | POP3     | SSL         | SSL              |",
        "| 995   | POP3     | None        | AUTH             |",
    );
    let text = std::fs::read_to_string(site.path().join(POST)).unwrap();
    let site = site.file(
        POST,
        &text.replace(
            "| 143   | IMAP     | None or TLS | AUTH or STARTTLS |",
            "| 143   | IMAP     | TLS         | STARTTLS         |",
        ),
    );
    site.build().ok();
    assert_eq!(
        quick_answer(&site),
        [
            "IMAP 993 with implicit TLS, or IMAP 143 with STARTTLS",
            "SMTP 465 with implicit TLS, or SMTP 587 with STARTTLS"
        ]
    );
    let page = site.html(PAGE);
    assert_eq!(
        attrs(&page, ".quick p a", "href"),
        ["#port-25", "#port-110", "#port-995"]
    );
}

#[test]
fn ports_rows_carry_ids_badges_direction_and_copy_links() {
    let site = Site::real();
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(
        attrs(&page, "#table-ports tbody tr", "data-proto"),
        ["SMTP", "SMTP", "SMTP", "IMAP", "IMAP", "POP3", "POP3"]
    );
    assert_eq!(
        attrs(&page, "#table-ports tbody tr", "data-enc"),
        ["0", "1", "1", "1", "1", "0", "1"]
    );
    assert_eq!(
        texts(&page, "#port-143 td[data-label=Authentication] .badge"),
        ["AUTH", "STARTTLS"]
    );
    assert_eq!(
        attrs(
            &page,
            "#port-143 td[data-label=Authentication] .badge",
            "class"
        ),
        ["badge b-auth", "badge b-starttls"]
    );
    assert_eq!(
        texts(&page, "#port-995 td[data-label=Security] .badge.b-implicit"),
        ["implicit TLS"]
    );
    assert_eq!(
        texts(&page, "#port-110 td[data-label=Security] .badge.b-plain"),
        ["plain text"]
    );
    let direction: Vec<String> = texts(&page, "#table-ports td[data-label=Direction]")
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(direction[0], "↑ Outgoing (sending)");
    assert_eq!(direction[4], "↓ Incoming (receiving)");
    assert_eq!(
        attrs(&page, "#port-993 a.copy", "href"),
        ["#port-993"],
        "each row links to itself"
    );
    assert_eq!(
        texts(&page, ".tools [role=group] button"),
        ["All", "SMTP", "IMAP", "POP3"]
    );
    // The comparison table keeps folio's default rendering.
    assert_eq!(
        texts(&page, "#table-feature thead th"),
        ["Feature", "IMAP", "POP3"]
    );
    // The data stays the author's: seven records.
    let data: Value =
        serde_json::from_str(&site.read("posts/email-server-ports-table/ports.json")).unwrap();
    assert_eq!(data.as_array().unwrap().len(), 7);
}

#[test]
fn controls_are_hidden_without_javascript() {
    let site = Site::real();
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(attrs(&page, ".tools", "class"), ["tools js-only"]);
    assert_eq!(texts(&page, "#table-ports th button.sort.js-only").len(), 5);
    assert_eq!(texts(&page, "head noscript").len(), 1);
    assert!(site.read(PAGE).contains(
        "<noscript><style>.js-only{display:none!important}.nojs-only{display:inline!important}</style></noscript>"
    ));
}

#[test]
fn ports_page_has_metadata_and_json_ld() {
    let site = Site::real();
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(
        texts(&page, "title"),
        ["Email Server Ports Table · Email Server Ports"]
    );
    let description = attrs(&page, "meta[name=description]", "content");
    assert!(description[0].starts_with("Which port and security setting"));
    assert_eq!(
        attrs(&page, "meta[property='og:type']", "content"),
        ["article"]
    );
    assert_eq!(attrs(&page, "link[rel=icon]", "href").len(), 1);
    let ld = texts(&page, "script[type='application/ld+json']");
    let ld: Value = serde_json::from_str(&ld[0]).unwrap();
    assert_eq!(ld["@type"], "TechArticle");
    assert_eq!(ld["headline"], "Email Server Ports Table");
    assert_eq!(
        ld["url"],
        "https://example.github.io/email-ports/posts/email-server-ports-table/"
    );
    assert_eq!(ld["author"]["name"], "Jeffrey Tse");
}

/// The local file behind a base-aware URL of the real site.
fn local(url: &str) -> String {
    url.strip_prefix("/email-ports/")
        .unwrap_or_else(|| panic!("{url} is not a path of the site"))
        .to_string()
}

#[test]
fn ports_page_fits_its_budgets() {
    let site = Site::real();
    site.build().ok();
    let page = site.html(PAGE);
    let css = attrs(&page, "link[rel=stylesheet]", "href");
    let js = attrs(&page, "script[src]", "src");
    let bytes = |urls: &[String]| -> usize {
        urls.iter()
            .map(|u| {
                std::fs::metadata(site.path().join("public").join(local(u)))
                    .unwrap()
                    .len() as usize
            })
            .sum()
    };
    let html = site.read(PAGE).len();
    let (css, js) = (bytes(&css), bytes(&js));
    assert!(js > 0, "the page loads its script");
    assert!(js < 5 * 1024, "JS is {js} bytes");
    let total = html + css + js;
    assert!(
        total < 30 * 1024,
        "HTML {html} + CSS {css} + JS {js} = {total} bytes"
    );
}

#[test]
fn ports_page_requests_nothing_from_elsewhere() {
    let site = Site::real();
    site.build().ok();
    for file in [PAGE, "index.html"] {
        let page = site.html(file);
        // What a browser fetches: every src, and the link elements that load
        // something (a canonical or alternate link is an address, not a load).
        let mut fetched = attrs(&page, "[src]", "src");
        fetched.extend(attrs(
            &page,
            "link:not([rel=canonical]):not([rel=alternate])",
            "href",
        ));
        assert!(!fetched.is_empty());
        for url in fetched {
            assert!(url.starts_with("/email-ports/"), "{file} loads {url}");
        }
        let html = site.read(file);
        assert!(
            !html.contains("@import") && !html.contains("url("),
            "{file}"
        );
    }
    let css = site.read("css/style.css");
    assert!(!css.contains("@import") && !css.contains("url("));
    let js = site.read("js/ports.js");
    for call in ["fetch(", "XMLHttpRequest", "import(", "http://", "https://"] {
        assert!(!js.contains(call), "ports.js uses {call}");
    }
}
