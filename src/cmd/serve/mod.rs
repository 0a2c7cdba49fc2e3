//! `folio serve`: the site from memory on a local address, rebuilt as files
//! change, with browsers reloading themselves.
//!
//! - The site is built into memory (a [`Session`]), never to disk, and
//!   served with axum. Only GET and HEAD; a path is looked up among the
//!   output files, so no request can read anything else on disk.
//! - content/, templates/, static/ and data/ are watched (notify), with
//!   their subfolders. Writes that arrive within [`DEBOUNCE`] of each
//!   other are one rebuild.
//! - HTML responses get a small script that listens on
//!   `/__folio/events` (Server-Sent Events): `reload` reloads the page,
//!   `css` swaps stylesheets in place, `error` shows the build error in an
//!   overlay. `folio build` output never contains it.
//! - A broken file keeps the server up, serving the last good site with the
//!   error overlaid; fixing the file recovers without a restart.

pub(crate) mod session;

use crate::error::{Error, Result};
use crate::pipeline::BuildOptions;
use crate::urls;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use notify::{RecursiveMode, Watcher};
use session::{Outcome, Session};
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// Default port of `folio serve`.
pub const DEFAULT_PORT: u16 = 1111;

/// Writes closer together than this are one rebuild: editors save in one
/// burst of a few milliseconds (write, rename, chmod), well inside it.
const DEBOUNCE: Duration = Duration::from_millis(15);

/// The URL path of the live-reload event stream.
const EVENTS_PATH: &str = "/__folio/events";

/// What `serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site (its `base_url` is replaced by the local address).
    pub build: BuildOptions,
    /// Address to listen on (127.0.0.1 by default).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// A message for open browsers.
#[derive(Debug, Clone)]
enum Notice {
    Reload,
    Styles,
    Failed(String),
}

struct Shared {
    session: Option<Session>,
    error: Option<String>,
}

type AppState = (Arc<RwLock<Shared>>, broadcast::Sender<Notice>);

/// Builds the site into memory, serves it and rebuilds on change until the
/// process is stopped. `log` receives one line per event (start, rebuild,
/// error). Returns only on a start-up failure.
pub fn serve(opts: ServeOptions, log: impl Fn(String) + Send + Sync + 'static) -> Result<()> {
    let listener = bind(&opts)?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io(std::path::Path::new("listener"), e))?;
    let host = match addr.ip() {
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let mut build = opts.build.clone();
    build.base_url = Some(format!("http://{host}:{}/", addr.port()));

    let started = Instant::now();
    let (session, error) = match Session::start(&build) {
        Ok(s) => {
            for w in s.warnings() {
                log(w.to_string());
            }
            (Some(s), None)
        }
        Err(e) => {
            log(e.to_string());
            (None, Some(e.to_string()))
        }
    };
    log(format!(
        "serving {} at http://{host}:{}/ (built in {} ms); watching content/, templates/, static/, data/",
        build.root.display(),
        addr.port(),
        started.elapsed().as_millis()
    ));
    if opts.open {
        open_browser(&format!("http://{host}:{}/", addr.port()), &log);
    }
    let shared = Arc::new(RwLock::new(Shared { session, error }));
    let (events, _) = broadcast::channel(16);
    let log = Arc::new(log);

    // Watch the sources on a thread of its own.
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch(&build.root, tx)?;
    {
        let shared = shared.clone();
        let events = events.clone();
        let log = log.clone();
        let build = build.clone();
        std::thread::Builder::new()
            .spawn(move || watch_loop(&rx, &mut watcher, &build, &shared, &events, &*log))
            .map_err(|e| {
                Error::Usage(format!("cannot start a thread to watch the sources: {e}"))
            })?;
    }
    run_server(listener, (shared, events))
}

/// Opens `url` in the default browser. Without one (a server, a
/// container) serving goes on, and the log says so.
fn open_browser(url: &str, log: &impl Fn(String)) {
    if let Err(e) = opener::open_browser(url) {
        log(format!(
            "could not open a browser ({e}); open {url} yourself"
        ));
    }
}

/// Listens on the address asked for, with an error that says what to do
/// when the port is busy or not allowed.
fn bind(opts: &ServeOptions) -> Result<std::net::TcpListener> {
    std::net::TcpListener::bind((opts.bind, opts.port)).map_err(|e| {
        let addr = SocketAddr::new(opts.bind, opts.port).to_string();
        let message = match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {} is busy: another program listens on it; choose another with --port",
                opts.port
            ),
            std::io::ErrorKind::PermissionDenied => format!(
                "not allowed to listen on port {}; choose one above 1023 with --port",
                opts.port
            ),
            _ => e.to_string(),
        };
        Error::io(
            std::path::Path::new(&addr),
            std::io::Error::new(e.kind(), message),
        )
    })
}

/// The folders of the site's sources, each watched with what is under it.
const SOURCE_DIRS: [&str; 4] = ["content", "templates", "static", "data"];

/// Watches the site's source folders, sending the paths of each change
/// (reads are not changes) to `tx`; the root itself is watched without
/// its subfolders, so a source folder made later (a first `data/`) is seen
/// and [`watch_new_folders`] adds it. Watching stops when the watcher drops.
fn watch(
    root: &std::path::Path,
    tx: mpsc::Sender<Vec<PathBuf>>,
) -> Result<notify::RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<notify::Event>| {
        if let Ok(event) = res
            && !matches!(event.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| Error::io(root, std::io::Error::other(e.to_string())))?;
    // Events name paths under the folder as watched: the canonical root,
    // as `watch_loop` compares them.
    let root = &root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let watch_error = |path: &std::path::Path, e: notify::Error| {
        Error::io(path, std::io::Error::other(e.to_string()))
    };
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| watch_error(root, e))?;
    for dir in SOURCE_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| watch_error(&path, e))?;
        }
    }
    Ok(watcher)
}

/// Watches each source folder of `paths` that is a folder now: one made
/// (or made again) since serving began. A folder already watched is
/// watched again, which changes nothing. The batch itself still goes to
/// the session, which reads what the new folder holds.
fn watch_new_folders(watcher: &mut impl Watcher, root: &std::path::Path, paths: &[PathBuf]) {
    for path in paths {
        let is_source_dir = path.parent() == Some(root)
            && path
                .file_name()
                .is_some_and(|n| SOURCE_DIRS.iter().any(|d| n == *d));
        if is_source_dir && path.is_dir() {
            let _ = watcher.watch(path, RecursiveMode::Recursive);
        }
    }
}

/// Serves the session's files and the event stream until Ctrl-C.
fn run_server(listener: std::net::TcpListener, state: AppState) -> Result<()> {
    let app = Router::new()
        .route(EVENTS_PATH, get(events_stream))
        .fallback(serve_file)
        .with_state(state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io(std::path::Path::new("runtime"), e))?;
    runtime.block_on(async move {
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::io(std::path::Path::new("listener"), e))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::io(std::path::Path::new("listener"), e))?;
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Error::io(std::path::Path::new("server"), e))
    })
}

/// Gathers a burst of file events into one batch of changed paths.
fn next_batch(rx: &mpsc::Receiver<Vec<PathBuf>>) -> Option<Vec<PathBuf>> {
    let mut paths = rx.recv().ok()?;
    while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
        paths.extend(more);
    }
    paths.sort();
    paths.dedup();
    // Editors' swap and backup files are not content.
    paths.retain(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        !(name.starts_with(".#")
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name == "4913")
    });
    Some(paths)
}

/// What an update did, as the log says it.
fn describe(outcome: &Outcome) -> String {
    match *outcome {
        Outcome::Nothing => "nothing to rebuild".to_string(),
        Outcome::Styles => "stylesheets updated".to_string(),
        Outcome::Pages {
            rendered,
            full: true,
            ..
        } => format!("full rebuild, {rendered} pages"),
        Outcome::Pages {
            rendered,
            full: false,
            lists: true,
        } => format!("{rendered} page(s) re-rendered with their lists"),
        Outcome::Pages {
            rendered,
            full: false,
            lists: false,
        } => format!("{rendered} page(s) re-rendered (their lists show nothing that changed)"),
    }
}

/// Applies each batch of changes to the session, watches source folders
/// made since serving began, logs what happened and tells the browsers.
fn watch_loop(
    rx: &mpsc::Receiver<Vec<PathBuf>>,
    watcher: &mut impl Watcher,
    build: &BuildOptions,
    shared: &RwLock<Shared>,
    events: &broadcast::Sender<Notice>,
    log: &(dyn Fn(String) + Send + Sync),
) {
    let root = build
        .root
        .canonicalize()
        .unwrap_or_else(|_| build.root.clone());
    while let Some(paths) = next_batch(rx) {
        if paths.is_empty() {
            continue;
        }
        watch_new_folders(watcher, &root, &paths);
        let shown: Vec<String> = paths
            .iter()
            .map(|p| p.strip_prefix(&root).unwrap_or(p).display().to_string())
            .collect();
        let started = Instant::now();
        let mut state = shared.write().unwrap_or_else(|e| e.into_inner());
        let result = match state.session.as_mut() {
            Some(session) => session.apply(&paths),
            None => Session::start(build).map(|s| {
                let update = session::Update {
                    outcome: Outcome::Pages {
                        rendered: 0,
                        full: true,
                        lists: true,
                    },
                    elapsed: started.elapsed(),
                    warnings: s.warnings(),
                };
                state.session = Some(s);
                update
            }),
        };
        match result {
            Ok(update) => {
                let was_broken = state.error.take().is_some();
                drop(state);
                if update.outcome == Outcome::Nothing && !was_broken {
                    continue;
                }
                let what = describe(&update.outcome);
                for w in &update.warnings {
                    if paths.iter().any(|p| p.ends_with(&w.path)) {
                        log(w.to_string());
                    }
                }
                log(format!(
                    "changed {}: {what} in {} ms",
                    shown.join(", "),
                    update.elapsed.as_millis()
                ));
                let notice = if update.outcome == Outcome::Styles && !was_broken {
                    Notice::Styles
                } else {
                    Notice::Reload
                };
                let _ = events.send(notice);
            }
            Err(e) => {
                let message = e.to_string();
                state.error = Some(message.clone());
                drop(state);
                log(format!(
                    "changed {}: build failed, still serving the last good site\n{message}",
                    shown.join(", ")
                ));
                let _ = events.send(Notice::Failed(message));
            }
        }
    }
}

async fn events_stream(State((_, events)): State<AppState>) -> impl IntoResponse {
    let stream = BroadcastStream::new(events.subscribe()).filter_map(|notice| {
        let event = match notice.ok()? {
            Notice::Reload => Event::default().event("reload").data("reload"),
            Notice::Styles => Event::default().event("css").data("css"),
            Notice::Failed(message) => Event::default().event("error").data(message),
        };
        Some(Ok::<Event, Infallible>(event))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The script `serve` adds to every HTML page.
fn reload_script(error: Option<&str>) -> String {
    let error = serde_json::to_string(&error)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c");
    format!(
        r#"<script data-folio-serve>
(() => {{
  const show = (message) => {{
    let box = document.getElementById("folio-error");
    if (!box) {{
      box = document.createElement("pre");
      box.id = "folio-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 1rem 1rem 1rem;max-height:60vh;overflow:auto;z-index:2147483647;margin:0;padding:1rem;border-radius:8px;background:#2b0d0d;color:#ffd7d7;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;box-shadow:0 8px 30px #0008";
      document.body.appendChild(box);
    }}
    box.textContent = "folio: build failed\n\n" + message;
  }};
  const error = {error};
  if (error) show(error);
  const events = new EventSource("{EVENTS_PATH}");
  events.addEventListener("open", () => document.documentElement.setAttribute("data-folio-live", ""));
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("error", (e) => {{ if (e.data) show(e.data); }});
  events.addEventListener("css", () => {{
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {{
      const url = new URL(link.href);
      url.searchParams.set("folio-reload", Date.now());
      link.href = url.href;
    }}
  }});
}})();
</script>
"#
    )
}

/// The output file for a request path, or why there is none. Any path
/// that tries to climb (`..`, `.`, backslashes, NUL, empty segments
/// after decoding) is simply not found.
fn lookup(session: &Session, raw: &str) -> Lookup {
    let Some(path) = urls::percent_decode(raw) else {
        return Lookup::Missing;
    };
    let Some(rel) = path.strip_prefix('/') else {
        return Lookup::Missing;
    };
    if !urls::stays_inside(rel) || rel.contains("//") {
        return Lookup::Missing;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return match session.file(&index) {
            Some(_) => Lookup::File(index),
            None => Lookup::Missing,
        };
    }
    if session.file(rel).is_some() {
        return Lookup::File(rel.to_string());
    }
    if session.file(&format!("{rel}/index.html")).is_some() {
        return Lookup::Redirect(format!("{raw}/"));
    }
    Lookup::Missing
}

enum Lookup {
    File(String),
    Redirect(String),
    Missing,
}

fn respond(
    path: &str,
    bytes: &[u8],
    status: StatusCode,
    error: Option<&str>,
    head: bool,
) -> Response {
    let mime = if path.ends_with(crate::publish::feed::FEED_FILE) {
        "application/atom+xml".parse().expect("valid mime")
    } else {
        mime_guess::from_path(path).first_or_octet_stream()
    };
    let is_html = mime.essence_str() == "text/html";
    let body = if is_html {
        let mut html = String::from_utf8_lossy(bytes).into_owned();
        let script = reload_script(error);
        match html.rfind("</body>") {
            Some(i) => html.insert_str(i, &script),
            None => html.push_str(&script),
        }
        html.into_bytes()
    } else {
        bytes.to_vec()
    };
    let content_type = match mime.essence_str() {
        t if t.starts_with("text/") || t == "application/javascript" || t == "image/svg+xml" => {
            format!("{t}; charset=utf-8")
        }
        t if t == "application/json" || t == "application/xml" || t == "application/atom+xml" => {
            t.to_string()
        }
        t => t.to_string(),
    };
    let length = body.len();
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn serve_file(State((shared, _)): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let head = method == Method::HEAD;
    let state = shared.read().unwrap_or_else(|e| e.into_inner());
    let error = state.error.as_deref();
    let Some(session) = state.session.as_ref() else {
        let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>folio: build failed</title></head><body><h1>The site does not build yet</h1></body></html>";
        return respond(
            "error.html",
            page.as_bytes(),
            StatusCode::SERVICE_UNAVAILABLE,
            error,
            head,
        );
    };
    match lookup(session, uri.path()) {
        Lookup::File(path) => {
            let bytes = session.file(&path).unwrap_or_default();
            respond(&path, bytes, StatusCode::OK, error, head)
        }
        Lookup::Redirect(to) => {
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                response.headers_mut().insert(header::LOCATION, v);
            }
            response
        }
        Lookup::Missing => match session.file("404.html") {
            Some(bytes) => respond("404.html", bytes, StatusCode::NOT_FOUND, error, head),
            None => respond(
                "404.txt",
                b"not found\n",
                StatusCode::NOT_FOUND,
                error,
                head,
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reload_script_escapes_the_error() {
        let s = reload_script(Some("</script><b>"));
        assert!(!s.contains("</script><b>"));
        assert!(s.contains("\\u003c/script>"));
    }
}
