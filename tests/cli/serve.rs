//! `folio serve` and `folio new`: the real server on an ephemeral port,
//! spoken to over HTTP.

use crate::support::Site;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Generous bound for anything asynchronous (a rebuild, an event): the
/// tests wait for an outcome, they do not measure time.
const WAIT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    port: u16,
    log: Arc<Log>,
}

/// The server's stderr as it arrives, line by line, from a thread of its own.
#[derive(Default)]
struct Log {
    state: Mutex<LogState>,
    grew: Condvar,
}

#[derive(Default)]
struct LogState {
    text: String,
    /// The server closed its stderr: nothing more will come.
    ended: bool,
}

impl Server {
    fn start(site: &Site) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("folio"))
            .args(["serve", "--port", "0"])
            .current_dir(site.path())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Log::default());
        let (tx, rx) = mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                    let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    let _ = tx.send(port.parse::<u16>().unwrap());
                }
                let mut log = sink.state.lock().unwrap();
                log.text.push_str(&line);
                log.text.push('\n');
                sink.grew.notify_all();
            }
            sink.state.lock().unwrap().ended = true;
            sink.grew.notify_all();
        });
        let port = rx.recv_timeout(WAIT).expect("server announced its address");
        Server { child, port, log }
    }

    fn agent() -> ureq::Agent {
        ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .build(),
        )
    }

    fn get(&self, path: &str) -> (u16, String, String) {
        let mut response = Self::agent()
            .get(&format!("http://127.0.0.1:{}{path}", self.port))
            .call()
            .unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let body = response.body_mut().read_to_string().unwrap_or_default();
        (status, content_type, body)
    }

    /// Sends a request line as written, without any client normalising it.
    fn raw(&self, request_target: &str, method: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "{method} {request_target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }

    /// Subscribes to the live-reload events; each `event:` name arrives on the channel.
    fn events(&self) -> mpsc::Receiver<(String, String)> {
        let response = Self::agent()
            .get(&format!("http://127.0.0.1:{}/__folio/events", self.port))
            .call()
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let (tx, rx) = mpsc::channel();
        let reader = BufReader::new(response.into_body().into_reader());
        std::thread::spawn(move || {
            let mut name = String::new();
            for line in reader.lines().map_while(Result::ok) {
                if let Some(n) = line.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(data) = line.strip_prefix("data: ")
                    && tx.send((name.clone(), data.to_string())).is_err()
                {
                    break;
                }
            }
        });
        // Give the subscription a moment to register before the test edits files.
        std::thread::sleep(Duration::from_millis(200));
        rx
    }

    /// The log once it holds `wanted` at least `times` times. The server
    /// writes its log while the test goes on (a rebuild's report may come
    /// after the browsers were told to reload), so this waits for the lines
    /// to arrive, up to [`WAIT`], and fails with the whole log if they never
    /// do.
    fn log_with(&self, wanted: &str, times: usize) -> String {
        let deadline = Instant::now() + WAIT;
        let mut log = self.log.state.lock().unwrap();
        loop {
            if log.text.matches(wanted).count() >= times {
                return log.text.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || log.ended {
                let (text, ended) = (log.text.clone(), log.ended);
                // Released first, so the reader thread is not poisoned.
                drop(log);
                panic!(
                    "{wanted:?} not {times} time(s) in the server's log{}:\n{text}",
                    if ended { " (the server closed it)" } else { "" },
                );
            }
            log = self.log.grew.wait_timeout(log, left).unwrap().0;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn next_event(events: &mpsc::Receiver<(String, String)>, name: &str) -> String {
    loop {
        let (n, data) = events
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("no `{name}` event"));
        if n == name {
            return data;
        }
    }
}

fn post(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ntags: [email]\n---\n\n{body}\n")
}

#[test]
fn edits_show_up_and_browsers_are_told_to_reload() {
    let site = Site::empty()
        .file("content/posts/a.md", &post("A", "First words."))
        .file("content/posts/b.md", &post("B", "Other post."));
    let server = Server::start(&site);
    let (status, content_type, html) = server.get("/posts/a/");
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/html; charset=utf-8");
    assert!(html.contains("First words."));
    assert!(
        html.contains("/__folio/events"),
        "serve injects the reload script"
    );

    let events = server.events();
    std::fs::write(
        site.path().join("content/posts/a.md"),
        post("A", "Second words."),
    )
    .unwrap();
    next_event(&events, "reload");
    assert!(server.get("/posts/a/").2.contains("Second words."));
    // The one-post edit re-rendered that post and its lists, not the site.
    server.log_with("1 page(s) re-rendered with their lists", 1);
    // The lists that show the post follow its new title.
    std::fs::write(
        site.path().join("content/posts/a.md"),
        post("A renamed", "Second words."),
    )
    .unwrap();
    next_event(&events, "reload");
    assert!(server.get("/tags/email/").2.contains("A renamed"));

    // A new post is picked up too.
    std::fs::write(site.path().join("content/posts/c.md"), post("C", "Third.")).unwrap();
    next_event(&events, "reload");
    assert_eq!(server.get("/posts/c/").0, 200);
}

/// An edit past the first paragraph changes nothing a list shows: only the
/// page is rendered again. An edit to what lists show (here the author,
/// which only the feed shows) renders them again.
#[test]
fn lists_are_rendered_again_only_when_what_they_show_changed() {
    let page = |author: &str, last: &str| {
        format!("---\ntitle: A\nauthor: {author}\ntags: [email]\n---\n\nFirst words.\n\n{last}\n")
    };
    let site = Site::empty()
        .file("content/posts/a.md", &page("Ann", "Last words."))
        .file("content/posts/b.md", &post("B", "Other post."));
    let server = Server::start(&site);
    let events = server.events();
    std::fs::write(
        site.path().join("content/posts/a.md"),
        page("Ann", "Other last words."),
    )
    .unwrap();
    next_event(&events, "reload");
    assert!(server.get("/posts/a/").2.contains("Other last words."));
    server.log_with(
        "1 page(s) re-rendered (their lists show nothing that changed)",
        1,
    );
    assert!(server.get("/tags/email/").2.contains("/posts/a/"));
    assert!(server.get("/atom.xml").2.contains("<name>Ann</name>"));

    std::fs::write(
        site.path().join("content/posts/a.md"),
        page("Bo", "Other last words."),
    )
    .unwrap();
    next_event(&events, "reload");
    let feed = server.get("/atom.xml").2;
    assert!(feed.contains("<name>Bo</name>"), "{feed}");
    assert!(!feed.contains("<name>Ann</name>"), "{feed}");
}

/// A term that loses its last page loses its page too, and a new term
/// gets one: the site's term list changed, so everything is rebuilt.
#[test]
fn a_vanished_term_loses_its_page_and_a_new_one_gets_one() {
    let page = |tags: &str| format!("---\ntitle: A\ntags: [{tags}]\n---\n\nWords.\n");
    let site = Site::empty()
        .file("content/posts/a.md", &page("email, solo"))
        .file("content/posts/b.md", &post("B", "Other post."));
    let server = Server::start(&site);
    assert_eq!(server.get("/tags/solo/").0, 200);
    let events = server.events();
    std::fs::write(site.path().join("content/posts/a.md"), page("email, fresh")).unwrap();
    next_event(&events, "reload");
    assert_eq!(server.get("/tags/solo/").0, 404);
    assert_eq!(server.get("/tags/fresh/").0, 200);
    assert!(!server.get("/tags/").2.contains("/tags/solo/"));
}

#[test]
fn broken_template_shows_an_overlay_and_fixing_it_recovers() {
    let site = Site::empty().file("content/posts/a.md", &post("A", "Body."));
    let server = Server::start(&site);
    let events = server.events();
    let template = site.path().join("templates/post.html");
    let good = std::fs::read_to_string(&template).unwrap();
    std::fs::write(&template, "<html><body>\n{{ page.title }</body></html>\n").unwrap();
    let message = next_event(&events, "error");
    assert!(message.contains("templates/post.html:2:"), "{message}");
    // The server stays up, serves the last good page, and overlays the error.
    let (status, _, html) = server.get("/posts/a/");
    assert_eq!(status, 200);
    assert!(html.contains("Body."));
    assert!(
        html.contains("templates/post.html:2:"),
        "error is injected for the overlay"
    );
    server.log_with("templates/post.html:2:", 1);

    std::fs::write(&template, good).unwrap();
    next_event(&events, "reload");
    let (_, _, html) = server.get("/posts/a/");
    assert!(
        !html.contains("templates/post.html:2:"),
        "recovered without a restart"
    );
}

#[test]
fn broken_front_matter_keeps_serving_and_recovers() {
    let site = Site::empty().file("content/posts/a.md", &post("A", "Body."));
    let server = Server::start(&site);
    let events = server.events();
    std::fs::write(
        site.path().join("content/posts/a.md"),
        "---\ntitle: [oops\n---\nBody.\n",
    )
    .unwrap();
    let message = next_event(&events, "error");
    assert!(message.contains("content/posts/a.md:2:"), "{message}");
    assert_eq!(server.get("/posts/a/").0, 200);
    std::fs::write(site.path().join("content/posts/a.md"), post("A", "Fixed.")).unwrap();
    next_event(&events, "reload");
    assert!(server.get("/posts/a/").2.contains("Fixed."));
}

#[test]
fn stylesheet_change_swaps_styles_without_a_reload() {
    let site = Site::empty().file("content/posts/a.md", &post("A", "Body."));
    let server = Server::start(&site);
    let events = server.events();
    std::fs::write(
        site.path().join("static/style.css"),
        "body { color: red }\n",
    )
    .unwrap();
    let (name, _) = events.recv_timeout(WAIT).expect("an event");
    assert_eq!(name, "css");
    let (status, content_type, css) = server.get("/style.css");
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/css; charset=utf-8")
    );
    assert!(css.contains("color: red"));
}

#[test]
fn a_static_file_that_clashes_with_a_page_is_an_error_as_in_build() {
    let site = Site::empty().file("content/posts/a.md", &post("A", "Body."));
    let server = Server::start(&site);
    let events = server.events();
    let clash = site.path().join("static/posts/a/index.html");
    std::fs::create_dir_all(clash.parent().unwrap()).unwrap();
    std::fs::write(&clash, "<p>not the post</p>").unwrap();
    let message = next_event(&events, "error");
    assert!(
        message.contains(
            "static file clashes with /posts/a/index.html, which the page content/posts/a.md writes"
        ),
        "{message}"
    );
    // The page keeps being served, not the static file.
    assert!(server.get("/posts/a/").2.contains("Body."));
    // `folio build` says the same.
    let build = site.build();
    assert!(
        build.stderr().contains(
            "static file clashes with /posts/a/index.html, which the page content/posts/a.md writes"
        ),
        "{}",
        build.stderr()
    );

    std::fs::remove_file(&clash).unwrap();
    std::fs::write(site.path().join("static/notes.txt"), "notes").unwrap();
    until(|| server.get("/notes.txt").2 == "notes", "notes.txt served");
    assert!(server.get("/posts/a/").2.contains("Body."));
    // A static file removed is no longer served; the pages stay.
    std::fs::remove_file(site.path().join("static/notes.txt")).unwrap();
    until(|| server.get("/notes.txt").0 == 404, "notes.txt gone");
    assert!(server.get("/posts/a/").2.contains("Body."));
}

/// Waits (up to [`WAIT`]) until `done` holds, asking every 50 ms.
fn until(done: impl Fn() -> bool, what: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    while !done() {
        assert!(std::time::Instant::now() < deadline, "never: {what}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn requests_never_leave_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "SECRET").unwrap();
    let site = Site::empty().file("content/posts/a.md", &post("A", "Body."));
    std::fs::write(site.path().join("content/secret.txt"), "SECRET").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        site.path().join("static/linked.txt"),
    )
    .unwrap();
    let server = Server::start(&site);
    for target in [
        "/../content/secret.txt",
        "/%2e%2e/content/secret.txt",
        "/..%2fcontent%2fsecret.txt",
        "/posts/..%5c..%5ccontent%5csecret.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/linked.txt",
        &format!("/{}", outside.path().join("secret.txt").display()),
    ] {
        let response = server.raw(target, "GET");
        assert!(!response.contains("SECRET"), "{target} leaked:\n{response}");
        assert!(
            response.starts_with("HTTP/1.1 404") || response.starts_with("HTTP/1.1 400"),
            "{target}: {}",
            response.lines().next().unwrap_or_default()
        );
    }
    // Missing pages get the site's 404 page.
    let (status, _, html) = server.get("/no/such/page/");
    assert_eq!(status, 404);
    assert!(html.contains("Not found"));
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::empty().file("content/posts/a.md", &post("A", "Body."));
    let server = Server::start(&site);
    let post_response = server.raw("/posts/a/", "POST");
    assert!(post_response.starts_with("HTTP/1.1 405"), "{post_response}");
    assert!(
        post_response
            .to_ascii_lowercase()
            .contains("allow: get, head")
    );
    let head = server.raw("/posts/a/", "HEAD");
    assert!(head.starts_with("HTTP/1.1 200"));
    assert!(!head.contains("Body."), "HEAD has no body");
    let (_, content_type, _) = server.get("/atom.xml");
    assert_eq!(content_type, "application/atom+xml");
    let (_, content_type, _) = server.get("/sitemap.xml");
    assert!(content_type.contains("xml"), "{content_type}");
}

#[test]
fn a_busy_port_is_a_clear_error_naming_it() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let site = Site::empty();
    let run = site.run(&["serve", "--port", &port]).fails_with(1);
    assert!(
        run.stderr().contains(&format!("127.0.0.1:{port}")),
        "{}",
        run.stderr()
    );
    assert!(
        run.stderr().contains(&format!("port {port} is busy")),
        "{}",
        run.stderr()
    );
}

#[test]
fn build_output_never_has_the_reload_script() {
    let site = Site::real();
    site.build().ok();
    for (path, bytes) in site.snapshot_output() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__folio"),
            "{path}"
        );
    }
}

#[test]
fn new_writes_a_post_ready_to_fill_in_and_never_overwrites() {
    let site = Site::empty();
    let run = site.run(&["new", "My First Post: Ports"]).ok();
    assert_eq!(
        run.stdout().trim(),
        "./content/posts/my-first-post-ports.md"
    );
    let text =
        std::fs::read_to_string(site.path().join("content/posts/my-first-post-ports.md")).unwrap();
    assert!(
        text.starts_with("---\ntitle: \"My First Post: Ports\"\ndate: "),
        "{text}"
    );
    assert!(text.contains("tags: []"));
    site.build().ok();
    assert!(
        site.html("posts/my-first-post-ports/index.html")
            .html()
            .contains("My First Post: Ports")
    );
    let again = site.run(&["new", "My First Post: Ports"]).fails_with(1);
    assert!(
        again.stderr().contains(
            "content/posts/my-first-post-ports.md: error: a post with this name already exists"
        ),
        "{}",
        again.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(site.path().join("content/posts/my-first-post-ports.md")).unwrap(),
        text
    );
}

#[test]
fn an_edited_page_keeps_its_layout_warning() {
    let page = |body: &str| format!("---\ntitle: A\nlayout: nope\n---\n\n{body}\n");
    let site = Site::empty().file("content/posts/a.md", &page("First."));
    let server = Server::start(&site);
    let events = server.events();
    std::fs::write(site.path().join("content/posts/a.md"), page("Second.")).unwrap();
    next_event(&events, "reload");
    assert!(server.get("/posts/a/").2.contains("Second."));
    // Once for the first build, once for the rebuild of the edited page.
    let warning = "content/posts/a.md:3:1: warning: layout `nope` has no template";
    let log = server.log_with(warning, 2);
    assert_eq!(log.matches(warning).count(), 2, "{log}");
}

/// A site that ran no Liquid at start: an edit that asks for it on a page
/// (`liquid: true` and a tag) gets it, and so do the next body edits.
#[test]
fn the_first_page_asking_for_liquid_gets_it() {
    let site = Site::empty().file("content/posts/a.md", &post("A", "Plain."));
    let server = Server::start(&site);
    let events = server.events();
    let liquid = |body: &str| format!("---\ntitle: A\nliquid: true\n---\n\n{body}\n");
    let path = site.path().join("content/posts/a.md");
    std::fs::write(&path, liquid("Up: {{ page.title | upcase }}.")).unwrap();
    next_event(&events, "reload");
    assert!(server.get("/posts/a/").2.contains("Up: A."));
    std::fs::write(&path, liquid("Down: {{ page.title | downcase }}.")).unwrap();
    next_event(&events, "reload");
    assert!(server.get("/posts/a/").2.contains("Down: a."));
}

/// A data file is in every template's `site.data`: a change to one
/// rebuilds the pages that show it.
#[test]
fn a_changed_data_file_rebuilds_the_pages_that_show_it() {
    let site = Site::empty()
        .file("data/providers.yaml", "- name: Fastmail\n")
        .file(
            "templates/post.html",
            r#"<p id="first">{{ site.data.providers[0].name }}</p>"#,
        )
        .file("content/posts/a.md", &post("A", "Words."));
    let server = Server::start(&site);
    assert!(server.get("/posts/a/").2.contains("Fastmail"));
    let events = server.events();
    std::fs::write(site.path().join("data/providers.yaml"), "- name: Gmail\n").unwrap();
    next_event(&events, "reload");
    let html = server.get("/posts/a/").2;
    assert!(
        html.contains("Gmail") && !html.contains("Fastmail"),
        "{html}"
    );
}

/// A data file in a folder of `data/` is watched too.
#[test]
fn a_changed_data_file_in_a_folder_rebuilds_the_pages() {
    let site = Site::empty()
        .file("data/authors/bob.yml", "name: Bob\n")
        .file(
            "templates/post.html",
            r#"<p id="author">{{ site.data.authors.bob.name }}</p>"#,
        )
        .file("content/posts/a.md", &post("A", "Words."));
    let server = Server::start(&site);
    assert!(server.get("/posts/a/").2.contains(">Bob<"));
    let events = server.events();
    std::fs::write(site.path().join("data/authors/bob.yml"), "name: Robert\n").unwrap();
    next_event(&events, "reload");
    let html = server.get("/posts/a/").2;
    assert!(html.contains(">Robert<"), "{html}");
}

/// A section's `_index.md` gives its list page's title, order and size: a
/// change to it rebuilds that page.
#[test]
fn a_changed_section_index_rebuilds_its_list() {
    let site = Site::empty()
        .file(
            "templates/section.html",
            r#"<h1>{{ page.title }}</h1>{% for p in section.pages %}<a href="{{ p.url }}">{{ p.title }}</a>{% endfor %}"#,
        )
        .file("content/docs/_index.md", "---\ntitle: Docs\nsort_by: title\n---\n")
        .file("content/docs/a.md", "---\ntitle: Alpha\nweight: 2\n---\n")
        .file("content/docs/b.md", "---\ntitle: Beta\nweight: 1\n---\n");
    let server = Server::start(&site);
    let html = server.get("/docs/").2;
    assert!(html.contains("<h1>Docs</h1>"));
    assert!(html.find("Alpha") < html.find("Beta"), "{html}");
    let events = server.events();
    std::fs::write(
        site.path().join("content/docs/_index.md"),
        "---\ntitle: Guides\nsort_by: weight\n---\n",
    )
    .unwrap();
    next_event(&events, "reload");
    let html = server.get("/docs/").2;
    assert!(html.contains("<h1>Guides</h1>"), "{html}");
    assert!(
        html.find("Beta") < html.find("Alpha"),
        "by weight now: {html}"
    );
    // A page's weight is what the list shows too.
    std::fs::write(
        site.path().join("content/docs/a.md"),
        "---\ntitle: Alpha\nweight: 0\n---\n",
    )
    .unwrap();
    next_event(&events, "reload");
    let html = server.get("/docs/").2;
    assert!(html.find("Alpha") < html.find("Beta"), "{html}");
}

/// A page that shows another page's data through `get_page` follows an
/// edit of that page.
#[test]
fn a_page_that_reads_another_with_get_page_follows_its_edits() {
    let site = Site::empty()
        .file("content/posts/a.md", "---\ntitle: A\n---\n| Port |\n|---|\n| 25 |\n")
        .file("content/about.md", "---\ntitle: About\nlayout: gather\n---\n")
        .file(
            "templates/gather.html",
            r#"{% set a = get_page(path="posts/a.md") %}<p id="ports">{% for r in a.tables[0].records %}{{ r.port }};{% endfor %}</p>"#,
        );
    let server = Server::start(&site);
    assert!(server.get("/about/").2.contains("25;"));
    let events = server.events();
    std::fs::write(
        site.path().join("content/posts/a.md"),
        "---\ntitle: A\n---\n| Port |\n|---|\n| 25 |\n| 465 |\n",
    )
    .unwrap();
    next_event(&events, "reload");
    let html = server.get("/about/").2;
    assert!(html.contains("25;465;"), "{html}");
}

/// With `feed_content: full` the feeds carry bodies: an edit past the
/// first paragraph changes them too.
#[test]
fn feeds_with_whole_bodies_follow_a_body_edit() {
    let body = |last: &str| format!("---\ntitle: A\ntags: [email]\n---\n\nFirst.\n\n{last}\n");
    let site = Site::empty()
        .file(
            "content/_index.md",
            "---\ntitle: T\nfeed_content: full\n---\n",
        )
        .file("content/posts/a.md", &body("Old ending."));
    let server = Server::start(&site);
    let events = server.events();
    std::fs::write(site.path().join("content/posts/a.md"), body("New ending.")).unwrap();
    next_event(&events, "reload");
    for feed in ["/atom.xml", "/tags/email/atom.xml"] {
        let xml = server.get(feed).2;
        assert!(
            xml.contains("New ending.") && !xml.contains("Old ending."),
            "{feed}: {xml}"
        );
    }
}

/// A title edit renders again the list pages that show the post, on
/// whichever page of the list it is.
#[test]
fn a_title_edit_shows_on_the_list_page_that_lists_the_post() {
    let dated = |title: &str, day: usize| {
        format!("---\ntitle: {title}\ndate: 2024-01-{day:02}\ntags: [email]\n---\n\nWords.\n")
    };
    let mut site = Site::empty();
    for day in 1..=12 {
        site = site.file(
            &format!("content/posts/p{day:02}.md"),
            &dated(&format!("Post {day}"), day),
        );
    }
    let server = Server::start(&site);
    // Newest first, ten a page: the oldest post is on page 2.
    assert!(server.get("/page/2/").2.contains("Post 1<"));
    let events = server.events();
    std::fs::write(
        site.path().join("content/posts/p01.md"),
        dated("Renamed", 1),
    )
    .unwrap();
    next_event(&events, "reload");
    for list in ["/page/2/", "/tags/email/page/2/"] {
        let html = server.get(list).2;
        assert!(
            html.contains("Renamed") && !html.contains("Post 1<"),
            "{list}: {html}"
        );
    }
    assert!(server.get("/").2.contains("Post 12<"));
}

/// A bundle's files are served beside their page; changing one, or adding
/// one, reloads the browsers and serves the new bytes.
#[test]
fn bundle_files_are_served_and_reload_when_they_change() {
    let site = Site::empty()
        .file(
            "content/posts/my-post/index.md",
            &post("Bundle", "See [the data](data.csv)."),
        )
        .file("content/posts/my-post/data.csv", "port\n25\n");
    let server = Server::start(&site);
    let (status, _, body) = server.get("/posts/my-post/data.csv");
    assert_eq!((status, body.as_str()), (200, "port\n25\n"));

    let events = server.events();
    std::fs::write(
        site.path().join("content/posts/my-post/data.csv"),
        "port\n587\n",
    )
    .unwrap();
    next_event(&events, "reload");
    assert_eq!(server.get("/posts/my-post/data.csv").2, "port\n587\n");

    std::fs::write(site.path().join("content/posts/my-post/new.txt"), "new\n").unwrap();
    next_event(&events, "reload");
    assert_eq!(server.get("/posts/my-post/new.txt").2, "new\n");
}

/// A source folder made after serving began (a site's first `data/`) is
/// watched from then on.
#[test]
fn a_data_folder_made_while_serving_is_watched() {
    let site = Site::empty()
        .file(
            "templates/post.html",
            r#"<p id="first">{% if site.data.providers %}{{ site.data.providers[0].name }}{% else %}none{% endif %}</p>"#,
        )
        .file("content/posts/a.md", &post("A", "Words."));
    assert!(!site.path().join("data").exists());
    let server = Server::start(&site);
    assert!(server.get("/posts/a/").2.contains(">none<"));
    let events = server.events();
    std::fs::create_dir(site.path().join("data")).unwrap();
    std::fs::write(
        site.path().join("data/providers.yaml"),
        "- name: Fastmail\n",
    )
    .unwrap();
    next_event(&events, "reload");
    // The folder and its first file may come in one batch or two.
    let mut html = server.get("/posts/a/").2;
    if !html.contains("Fastmail") {
        next_event(&events, "reload");
        html = server.get("/posts/a/").2;
    }
    assert!(html.contains(">Fastmail<"), "{html}");
    // A later edit inside it is seen too: the folder is watched now.
    std::fs::write(site.path().join("data/providers.yaml"), "- name: Gmail\n").unwrap();
    next_event(&events, "reload");
    let html = server.get("/posts/a/").2;
    assert!(html.contains(">Gmail<"), "{html}");
}

/// On a site with a `timezone`, an edited post keeps its date on the
/// site's clock, so a body edit stays a one-page rebuild.
#[test]
fn an_edit_keeps_the_date_on_the_sites_clock() {
    let page = |last: &str| {
        format!(
            "---\ntitle: A\ndate: 2024-01-15 10:00:00\ntags: [email]\n---\n\nFirst words.\n\n{last}\n"
        )
    };
    let site = Site::empty()
        .file(
            "content/_index.md",
            "---\ntitle: T\ntimezone: America/New_York\n---\n",
        )
        .file("content/posts/a.md", &page("Last words."))
        .file("content/posts/b.md", &post("B", "Other post."));
    let server = Server::start(&site);
    assert!(
        server
            .get("/posts/a/")
            .2
            .contains("2024-01-15T10:00:00-05:00")
    );
    let events = server.events();
    std::fs::write(site.path().join("content/posts/a.md"), page("New words.")).unwrap();
    next_event(&events, "reload");
    let html = server.get("/posts/a/").2;
    assert!(html.contains("New words."), "{html}");
    assert!(html.contains("2024-01-15T10:00:00-05:00"), "{html}");
    server.log_with(
        "1 page(s) re-rendered (their lists show nothing that changed)",
        1,
    );
}
