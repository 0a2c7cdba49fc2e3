//! The real site's ports page: what its templates compute from the table
//! data, and its budgets. Its behaviour in a browser is tested by
//! tests/browser/ (see README.md).

use crate::support::{Site, attrs, texts};
use serde_json::{Value, json};

const PAGE: &str = "posts/email-server-ports-table/index.html";
const DATA: &str = "posts/email-server-ports-table/ports.json";
const POST: &str = "content/posts/email-server-ports-table.md";

/// How a port's connection is encrypted, per its standards.
#[derive(Clone, Copy, PartialEq)]
enum Tls {
    /// TLS from the first byte (RFC 8314).
    Implicit,
    /// A plain connection that the client upgrades with this command.
    Upgrade(&'static str),
}

/// Who connects to the port.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    /// Mail servers passing messages to each other (RFC 5321).
    Relay,
    /// A mail client handing over new mail (RFC 6409, RFC 8314).
    Submission,
    /// A mail client reading its mailbox (RFC 9051, RFC 1939).
    Access,
}

/// One port as its standards define it.
struct Fact {
    port: i64,
    protocol: &'static str,
    /// The IANA service name.
    service: &'static str,
    tls: Tls,
    role: Role,
    /// The login commands the standards give a client.
    login: &'static [&'static str],
    /// The RFCs that define the port, its TLS and its login.
    rfcs: &'static [u32],
}

/// The ports, written from the RFCs themselves, not from the page:
/// - 25: RFC 5321 (SMTP relay between servers, no login), RFC 3207
///   (STARTTLS; a publicly referenced server must not require it);
/// - 587: RFC 6409 (submission; the server requires authentication),
///   RFC 3207 (STARTTLS), RFC 4954 (SMTP `AUTH`);
/// - 465: RFC 8314 (`submissions`, implicit TLS), RFC 4954 (`AUTH`);
/// - 143: RFC 9051 (IMAP, `LOGIN` and `AUTHENTICATE`, `STARTTLS`), RFC
///   2595 (where IMAP's `STARTTLS` was first defined);
/// - 993: RFC 8314 (`imaps`, implicit TLS), RFC 9051;
/// - 110: RFC 1939 (POP3, `USER`/`PASS` and `APOP`), RFC 2595 (`STLS`);
/// - 995: RFC 8314 (`pop3s`, implicit TLS), RFC 1939.
const FACTS: [Fact; 7] = [
    Fact {
        port: 25,
        protocol: "SMTP",
        service: "smtp",
        tls: Tls::Upgrade("STARTTLS"),
        role: Role::Relay,
        login: &[],
        rfcs: &[5321, 3207],
    },
    Fact {
        port: 587,
        protocol: "SMTP",
        service: "submission",
        tls: Tls::Upgrade("STARTTLS"),
        role: Role::Submission,
        login: &["AUTH"],
        rfcs: &[6409, 3207, 4954],
    },
    Fact {
        port: 465,
        protocol: "SMTP",
        service: "submissions",
        tls: Tls::Implicit,
        role: Role::Submission,
        login: &["AUTH"],
        rfcs: &[8314, 4954],
    },
    Fact {
        port: 143,
        protocol: "IMAP",
        service: "imap",
        tls: Tls::Upgrade("STARTTLS"),
        role: Role::Access,
        login: &["LOGIN", "AUTHENTICATE"],
        rfcs: &[9051, 2595],
    },
    Fact {
        port: 993,
        protocol: "IMAP",
        service: "imaps",
        tls: Tls::Implicit,
        role: Role::Access,
        login: &["LOGIN", "AUTHENTICATE"],
        rfcs: &[8314, 9051],
    },
    Fact {
        port: 110,
        protocol: "POP3",
        service: "pop3",
        tls: Tls::Upgrade("STLS"),
        role: Role::Access,
        login: &["USER", "APOP"],
        rfcs: &[1939, 2595],
    },
    Fact {
        port: 995,
        protocol: "POP3",
        service: "pop3s",
        tls: Tls::Implicit,
        role: Role::Access,
        login: &["USER", "APOP"],
        rfcs: &[8314, 1939],
    },
];

/// The facts' RFC numbers read back from a Standards cell
/// ("RFC 5321, RFC 3207").
fn rfc_numbers(cell: &str) -> Vec<u32> {
    cell.split(',')
        .map(|s| {
            let n = s.trim().strip_prefix("RFC ");
            n.and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("{cell:?} is not a list of RFCs"))
        })
        .collect()
}

#[test]
fn every_row_of_ports_json_agrees_with_its_rfcs() {
    let site = Site::real();
    site.build().ok();
    let data: Value = serde_json::from_str(&site.read(DATA)).unwrap();
    let rows = data.as_array().unwrap();
    let ports: Vec<i64> = rows.iter().map(|r| r["port"].as_i64().unwrap()).collect();
    let facts: Vec<i64> = FACTS.iter().map(|f| f.port).collect();
    assert_eq!(ports, facts, "one row per port, in the author's order");
    for (row, fact) in rows.iter().zip(&FACTS) {
        let port = fact.port;
        let keys: Vec<&str> = row
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "port",
                "protocol",
                "service",
                "security",
                "authentication",
                "description",
                "standard"
            ]
        );
        assert_eq!(row["protocol"], fact.protocol, "{port}");
        assert_eq!(row["service"], fact.service, "{port}: IANA service name");
        let security = match fact.tls {
            Tls::Implicit => json!(["SSL"]),
            Tls::Upgrade(command) => json!(["None", command]),
        };
        assert_eq!(row["security"], security, "{port}");
        let login = if fact.login.is_empty() {
            json!(["None"])
        } else {
            json!(fact.login)
        };
        assert_eq!(row["authentication"], login, "{port}");
        let description = row["description"].as_str().unwrap().to_lowercase();
        let role = match fact.role {
            Role::Relay => "relay",
            Role::Submission => "outgoing",
            Role::Access => "incoming",
        };
        assert!(description.contains(role), "{port}: {description}");
        assert_eq!(
            rfc_numbers(row["standard"].as_str().unwrap()),
            fact.rfcs,
            "{port}"
        );
    }
}

#[test]
fn each_row_links_its_standards_and_names_its_service() {
    let site = Site::real();
    site.build().ok();
    let page = site.html(PAGE);
    for fact in &FACTS {
        let row = format!("#port-{}", fact.port);
        let links: Vec<String> = fact
            .rfcs
            .iter()
            .map(|n| format!("https://www.rfc-editor.org/rfc/rfc{n}"))
            .collect();
        assert_eq!(
            attrs(&page, &format!("{row} td[data-label=Standards] a"), "href"),
            links
        );
        assert_eq!(
            texts(&page, &format!("{row} td[data-label=Service]")),
            [fact.service]
        );
    }
    let csv = site.read("posts/email-server-ports-table/ports.csv");
    assert!(
        csv.starts_with("port,protocol,service,security,authentication,description,standard\r\n")
    );
}

#[test]
fn page_shows_when_its_facts_were_last_checked() {
    let site = Site::real();
    site.build().ok();
    let source = std::fs::read_to_string(site.path().join(POST)).unwrap();
    let checked = source
        .lines()
        .find_map(|l| l.strip_prefix("last_modified_at: "))
        .expect("the post says when its facts were checked");
    let page = site.html(PAGE);
    let times = attrs(&page, ".meta time", "datetime");
    assert_eq!(times.len(), 1, "{times:?}");
    assert!(times[0].starts_with(checked), "{times:?}");
    let said = texts(&page, ".meta span");
    assert!(
        said.iter().any(|t| t.starts_with("Last checked ")),
        "{said:?}"
    );
}

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

/// The ports of `FACTS` a mail client uses for `role` with `tls`.
fn client_ports(role: Role, implicit: bool) -> Vec<String> {
    FACTS
        .iter()
        .filter(|f| f.role == role && (f.tls == Tls::Implicit) == implicit)
        .map(|f| format!("#port-{}", f.port))
        .collect()
}

#[test]
fn quick_answer_comes_first_and_gives_each_port_its_reason() {
    let site = Site::real();
    site.build().ok();
    // Implicit TLS first; the upgradable ports after, each with the
    // command its standard gives (STLS for POP3, RFC 2595).
    assert_eq!(
        quick_answer(&site),
        [
            "IMAP 993 or POP3 995 with implicit TLS, or IMAP 143 with STARTTLS or POP3 110 with STLS",
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
    let mut named = client_ports(Role::Access, true);
    named.extend(client_ports(Role::Access, false));
    named.extend(client_ports(Role::Submission, true));
    named.extend(client_ports(Role::Submission, false));
    assert_eq!(attrs(&page, ".quick dd a", "href"), named);
    // The reason to prefer implicit TLS (RFC 8314), and the reason port 25
    // is not for a mail client (the relay between servers, RFC 5321).
    let reasons: Vec<String> = texts(&page, ".quick p")
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        reasons,
        [
            "Prefer implicit TLS: it encrypts from the first byte, while STARTTLS and STLS upgrade a connection that starts in plain text (RFC 8314).",
            "Not for your mail client: 25, the relay between mail servers."
        ]
    );
    assert_eq!(
        attrs(&page, ".quick p a", "href"),
        ["https://www.rfc-editor.org/rfc/rfc8314", "#port-25"]
    );
    let relay: Vec<String> = FACTS
        .iter()
        .filter(|f| f.role == Role::Relay)
        .map(|f| format!("#port-{}", f.port))
        .collect();
    assert_eq!(attrs(&page, ".quick p.muted a", "href"), relay);
    let html = site.read(PAGE);
    assert!(html.find("class=\"quick\"") < html.find("id=\"table-ports\""));
}

#[test]
fn quick_answer_follows_a_change_of_the_data() {
    // POP3 995 loses its encryption; 25 is written as a submission port.
    let site = real_site_with(
        "| 995   | POP3     | pop3s       | SSL              |",
        "| 995   | POP3     | pop3s       | None             |",
    );
    let text = std::fs::read_to_string(site.path().join(POST)).unwrap();
    let site = site.file(
        POST,
        &text.replace("| Relay between servers |", "| Outgoing Messages     |"),
    );
    site.build().ok();
    assert_eq!(
        quick_answer(&site),
        [
            "IMAP 993 with implicit TLS, or IMAP 143 with STARTTLS or POP3 110 with STLS",
            "SMTP 465 with implicit TLS, or SMTP 25 with STARTTLS or SMTP 587 with STARTTLS"
        ]
    );
    let page = site.html(PAGE);
    assert_eq!(
        texts(&page, ".quick p.muted"),
        ["Not for your mail client: 995, which offers no encryption."]
    );
    assert_eq!(attrs(&page, ".quick p.muted a", "href"), ["#port-995"]);
}

#[test]
fn a_ports_table_without_a_protocol_column_still_gets_its_quick_answer() {
    // Only each port, its security and what it is for: the quick answer
    // names the ports by number.
    let site = Site::real().file(
        POST,
        "---\ntitle: Mail ports\ndate: 2024-01-02\n---\n\n\
         | Port | Security | Description |\n|---|---|---|\n\
         | 993 | SSL | Incoming Messages |\n\
         | 143 | None or STARTTLS | Incoming Messages |\n\
         | 465 | SSL | Outgoing Messages |\n",
    );
    site.build().ok();
    assert_eq!(
        quick_answer(&site),
        [
            "993 with implicit TLS, or 143 with STARTTLS",
            "465 with implicit TLS"
        ]
    );
    let page = site.html(PAGE);
    assert_eq!(
        attrs(&page, ".quick dd a", "href"),
        ["#port-993", "#port-143", "#port-465"]
    );
    assert_eq!(attrs(&page, ".ports tbody tr", "data-tls"), ["1", "0", "1"]);
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
    // "Implicit TLS only" keeps the rows encrypted from the first byte.
    let implicit: Vec<&str> = FACTS
        .iter()
        .map(|f| if f.tls == Tls::Implicit { "1" } else { "0" })
        .collect();
    assert_eq!(attrs(&page, "#table-ports tbody tr", "data-tls"), implicit);
    assert_eq!(
        texts(&page, "#port-143 td[data-label=Security] .badge"),
        ["plain text", "STARTTLS"]
    );
    assert_eq!(
        attrs(&page, "#port-143 td[data-label=Security] .badge", "class"),
        ["badge b-plain", "badge b-starttls"]
    );
    assert_eq!(
        texts(&page, "#port-110 td[data-label=Security] .badge.b-starttls"),
        ["STLS"]
    );
    assert_eq!(
        texts(&page, "#port-143 td[data-label=Authentication] .badge"),
        ["LOGIN", "AUTHENTICATE"]
    );
    assert_eq!(
        texts(&page, "#port-25 td[data-label=Authentication] .badge"),
        ["no login"]
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
    assert_eq!(direction[0], "⇄ Relay (between servers)");
    assert_eq!(direction[1], "↑ Outgoing (sending)");
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
    let data: Value = serde_json::from_str(&site.read(DATA)).unwrap();
    assert_eq!(data.as_array().unwrap().len(), 7);
}

#[test]
fn controls_are_hidden_without_javascript() {
    let site = Site::real();
    site.build().ok();
    let page = site.html(PAGE);
    assert_eq!(attrs(&page, ".tools", "class"), ["tools js-only"]);
    assert_eq!(texts(&page, "#table-ports th button.sort.js-only").len(), 7);
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
    // 35 KB since the page carries its standards (README, "The ports page").
    let total = html + css + js;
    assert!(
        total < 35 * 1024,
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
