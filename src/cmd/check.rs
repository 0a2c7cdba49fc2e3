//! `folio check`: builds the site in memory and proves every internal link
//! and `#anchor` in the output resolves. Each broken link is reported where
//! it was written: the Markdown source's line and column, or the template
//! line that holds it. External links are listed, and fetched only when
//! asked (`--fetch-external`).

use crate::body::markdown::Link;
use crate::error::{Diagnostic, Result};
use crate::pipeline::{BuildOptions, Rendered};
use crate::publish::redirects::Redirect;
use crate::publish::{self, Source};
use crate::source;
use crate::urls::{self, BaseUrl, LinkKind, link_kind};
use rayon::prelude::*;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A link to another site, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct External {
    /// The URL.
    pub url: String,
    /// The source file (Markdown or template; the output file for links a
    /// template made that could not be traced).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub col: Option<usize>,
}

impl External {
    /// `path:line:col`, as far as known.
    pub fn place(&self) -> String {
        match (self.line, self.col) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.path.display()),
            _ => self.path.display().to_string(),
        }
    }
}

/// What `check` found.
#[derive(Debug, Default)]
pub struct Report {
    /// Broken links (errors) and the build's warnings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// External links, sorted and de-duplicated by URL and place.
    pub external: Vec<External>,
    /// HTML files checked.
    pub pages: usize,
    /// Internal links checked.
    pub links: usize,
}

impl Report {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// One `href`/`src`/`srcset`/`url()` found in an output file.
struct FoundLink {
    /// Output file it is in.
    file: String,
    /// As written in the output.
    target: String,
}

/// ids (and `<a name>`s) of an HTML document.
fn collect(file: &str, html: &str) -> (HashSet<String>, Vec<FoundLink>) {
    let doc = Html::parse_document(html);
    let ids = Selector::parse("[id], a[name]").expect("valid selector");
    let anchors = doc
        .select(&ids)
        .filter_map(|e| e.value().id().or_else(|| e.value().attr("name")))
        .map(str::to_string)
        .collect();
    let linked = Selector::parse("[href], [src], [srcset]").expect("valid selector");
    let mut links = Vec::new();
    for element in doc.select(&linked) {
        let el = element.value();
        for attr in ["href", "src"] {
            if let Some(v) = el.attr(attr) {
                links.push(FoundLink {
                    file: file.to_string(),
                    target: v.trim().to_string(),
                });
            }
        }
        if let Some(srcset) = el.attr("srcset") {
            for candidate in srcset.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    links.push(FoundLink {
                        file: file.to_string(),
                        target: url.to_string(),
                    });
                }
            }
        }
    }
    for style in doc.select(&Selector::parse("style").expect("valid selector")) {
        links.extend(
            css_urls(&style.text().collect::<String>())
                .into_iter()
                .map(|target| FoundLink {
                    file: file.to_string(),
                    target,
                }),
        );
    }
    (anchors, links)
}

/// The targets of `url(…)` in a stylesheet.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        let Some(end) = rest.find(')') else { break };
        let url = rest[..end].trim().trim_matches(['"', '\'']).trim();
        if !url.is_empty() {
            urls.push(url.to_string());
        }
        rest = &rest[end..];
    }
    urls
}

enum Target {
    /// Another site, or a scheme folio does not check.
    External,
    /// Not a link to check (`mailto:`, `data:`, `javascript:`).
    Skip,
    /// A site path (without the base path) and an optional fragment.
    Internal(String, Option<String>),
    /// Root-relative but outside the base path.
    OutsideBase,
}

/// Classifies a link found in output file `file` (a path under the output folder).
fn classify(base: &BaseUrl, file: &str, target: &str) -> Target {
    let mut target = target.to_string();
    match link_kind(&target) {
        LinkKind::Scheme => return Target::Skip,
        LinkKind::Remote
            if !base.origin.is_empty() && target.starts_with(&format!("{}/", base.origin)) =>
        {
            target = target[base.origin.len()..].to_string();
        }
        LinkKind::Remote => return Target::External,
        LinkKind::SamePage | LinkKind::Rooted | LinkKind::Relative => {}
    }
    let (path, fragment) = match target.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(urls::percent_decode_lossy(f))),
        None => (target, None),
    };
    let path = path.split('?').next().unwrap_or("").to_string();
    let site_path = if path.is_empty() {
        file.to_string()
    } else if let Some(rooted) = path.strip_prefix('/') {
        match format!("/{rooted}").strip_prefix(&base.path) {
            Some(rest) => rest.to_string(),
            None if format!("/{rooted}/") == base.path => String::new(),
            None => return Target::OutsideBase,
        }
    } else {
        // A link that climbs above the output folder leaves a site served
        // from a sub-path; at the root a browser stops there.
        let dir = file.rfind('/').map_or("", |i| &file[..=i]);
        match urls::fold(&format!("{dir}{path}")) {
            (_, true) if base.path != "/" => return Target::OutsideBase,
            (folded, _) => folded,
        }
    };
    Target::Internal(urls::percent_decode_lossy(&site_path), fragment)
}

/// The output file a site path is served from, if there is one.
fn served_file<'a>(files: &'a BTreeMap<String, Source>, site_path: &str) -> Option<&'a str> {
    let candidates = if site_path.is_empty() || site_path.ends_with('/') {
        vec![format!("{site_path}index.html")]
    } else {
        vec![site_path.to_string(), format!("{site_path}/index.html")]
    };
    candidates
        .into_iter()
        .find_map(|c| files.get_key_value(&c).map(|(k, _)| k.as_str()))
}

/// A page's links by their URL in the HTML.
type Links<'a> = HashMap<&'a str, &'a Link>;

/// Where a broken link was written: the Markdown source when a page's body
/// made it, else the first template line holding it, else the output file.
fn locate(
    found: &FoundLink,
    by_output: &HashMap<String, (&Path, Links<'_>)>,
    templates: &[(PathBuf, String)],
    base_path: &str,
    message: String,
) -> Diagnostic {
    if let Some((source, links)) = by_output.get(&found.file)
        && let Some(l) = links.get(found.target.as_str())
    {
        return Diagnostic::error(source, l.line, l.col, message);
    }
    // A template writes `url(path="x/")`, so look for the link without its base path too.
    let unbased = found
        .target
        .strip_prefix(base_path)
        .filter(|s| !s.is_empty());
    for (path, text) in templates {
        let hit = text
            .find(&found.target)
            .or_else(|| unbased.and_then(|u| text.find(&format!("\"{u}\""))));
        if let Some(offset) = hit {
            let (line, col) = crate::error::LineIndex::new(text).locate(offset);
            return Diagnostic::error(path, line, col, message)
                .with_help(format!("rendered into {}", found.file));
        }
    }
    Diagnostic::file_error(Path::new("public").join(&found.file), message)
        .with_help("made by a template")
}

/// The links a redirect page holds (its target, as linked and as
/// canonical), placed at the front matter line that asks for it.
fn redirect_links(redirect: &Redirect) -> [Link; 2] {
    [&redirect.url, &redirect.canonical].map(|url| Link::new(url.clone(), None, redirect.line, 1))
}

/// Builds the site in memory and checks every internal link and anchor.
pub fn check(opts: &BuildOptions) -> Result<Report> {
    let Rendered {
        site,
        files,
        templates,
        warnings,
    } = crate::pipeline::render_in_memory(opts)?;
    let plan = publish::plan(&opts.root, files, &site)?;
    let parsed = parse_outputs(&plan.files);
    let ids: HashMap<&str, &HashSet<String>> =
        parsed.iter().map(|(p, ids, _)| (p.as_str(), ids)).collect();

    let mut by_output: HashMap<String, (&Path, Links)> = HashMap::new();
    for page in site.home.iter().chain(&site.pages) {
        // The first link to each URL, found at once however many a page has.
        let mut links = Links::with_capacity(page.body.links.len());
        for link in &page.body.links {
            links.entry(link.url()).or_insert(link);
        }
        by_output.insert(page.head.output_file(), (page.head.source.as_path(), links));
    }
    // A redirect page links to its target: a broken one is reported at
    // the front matter line that asks for the redirect.
    let redirects: Vec<(&Path, String, [Link; 2])> = site
        .home
        .iter()
        .chain(&site.pages)
        .flat_map(|page| {
            let all = publish::redirects::aliases(page, &site.config)
                .chain(publish::redirects::own(page, &site.config));
            all.map(|r| {
                (
                    page.head.source.as_path(),
                    r.file.clone(),
                    redirect_links(&r),
                )
            })
            .collect::<Vec<_>>()
        })
        .collect();
    for (source, file, links) in &redirects {
        let links = links.iter().map(|l| (l.url(), l)).collect();
        by_output.insert(file.clone(), (source, links));
    }
    let templates: Vec<(PathBuf, String)> = templates
        .files
        .into_iter()
        .map(|(name, text)| (source::templates::path(&name), text))
        .collect();

    let base = &site.config.base;
    let mut report = Report {
        pages: parsed
            .iter()
            .filter(|(p, _, _)| p.ends_with(".html"))
            .count(),
        ..Report::default()
    };
    let mut errors = Vec::new();
    let mut external = Vec::new();
    for found in parsed.iter().flat_map(|(_, _, links)| links) {
        let blame = |message: String| locate(found, &by_output, &templates, &base.path, message);
        match classify(base, &found.file, &found.target) {
            Target::Skip => {}
            Target::External => {
                let at = blame(String::new());
                external.push(External {
                    url: found.target.clone(),
                    path: at.path,
                    line: at.line,
                    col: at.col,
                });
            }
            Target::OutsideBase => {
                report.links += 1;
                errors.push(blame(format!(
                    "link `{}` is outside the site's base path {}",
                    found.target, base.path
                )));
            }
            Target::Internal(site_path, fragment) => {
                report.links += 1;
                let broken = check_internal(&plan.files, &ids, &site_path, fragment, &found.target);
                errors.extend(broken.map(blame));
            }
        }
    }
    errors.sort_by_key(Diagnostic::sort_key);
    // A template's broken link repeats on every page it renders: say it once.
    errors.dedup_by(|a, b| a.sort_key() == b.sort_key());
    external.sort();
    external.dedup();
    report.diagnostics = warnings;
    report.diagnostics.extend(plan.warnings);
    report.diagnostics.extend(errors);
    report.diagnostics.sort_by_key(Diagnostic::sort_key);
    report.external = external;
    Ok(report)
}

/// Every HTML file's ids and links, and every stylesheet's `url()`s, each
/// file read and parsed once, in parallel.
fn parse_outputs(
    files: &BTreeMap<String, Source>,
) -> Vec<(String, HashSet<String>, Vec<FoundLink>)> {
    files
        .par_iter()
        .filter_map(|(path, source)| {
            let bytes = match source {
                Source::Bytes(b) => std::borrow::Cow::Borrowed(b.as_slice()),
                Source::Copy(from) => std::borrow::Cow::Owned(std::fs::read(from).ok()?),
            };
            let text = String::from_utf8_lossy(&bytes);
            if path.ends_with(".html") {
                let (ids, links) = collect(path, &text);
                Some((path.clone(), ids, links))
            } else if path.ends_with(".css") {
                let links = css_urls(&text)
                    .into_iter()
                    .map(|target| FoundLink {
                        file: path.clone(),
                        target,
                    })
                    .collect();
                Some((path.clone(), HashSet::new(), links))
            } else {
                None
            }
        })
        .collect()
}

/// What is wrong with a link to `site_path#fragment`, if anything: no file
/// is published there, or the file has no such id.
fn check_internal(
    files: &BTreeMap<String, Source>,
    ids: &HashMap<&str, &HashSet<String>>,
    site_path: &str,
    fragment: Option<String>,
    target: &str,
) -> Option<String> {
    let Some(file) = served_file(files, site_path) else {
        return Some(format!(
            "broken link `{target}`: nothing is published at /{site_path}"
        ));
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let anchors = ids.get(file)?;
    (!anchors.contains(&fragment))
        .then(|| format!("broken anchor `{target}`: {file} has no id `{fragment}`"))
}

/// Asks every external URL once (HEAD, or GET where HEAD is refused) and
/// reports each link whose URL fails or answers 4xx/5xx, at the place it
/// was written. `progress` hears (URLs answered, URLs in all) as each
/// answer comes, from the threads that ask.
pub fn fetch_external(
    external: &[External],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Vec<Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(15)))
        .max_redirects(5)
        .build()
        .into();
    let probe = |url: &str| -> Result<u16, String> {
        let head = agent.head(url).call().map_err(|e| e.to_string())?;
        match head.status().as_u16() {
            405 | 501 => agent
                .get(url)
                .call()
                .map(|r| r.status().as_u16())
                .map_err(|e| e.to_string()),
            code => Ok(code),
        }
    };
    let mut urls: Vec<&str> = external.iter().map(|e| e.url.as_str()).collect();
    urls.sort_unstable();
    urls.dedup();
    let answered = AtomicUsize::new(0);
    let all = urls.len();
    let ask = |url| {
        let answer = probe(url);
        progress(answered.fetch_add(1, Ordering::Relaxed) + 1, all);
        (url, answer)
    };
    // Waiting on the network, not the CPU: more requests at once than cores.
    let answers: HashMap<&str, Result<u16, String>> =
        match rayon::ThreadPoolBuilder::new().num_threads(8).build() {
            Ok(pool) => pool.install(|| urls.par_iter().copied().map(ask).collect()),
            Err(_) => urls.iter().copied().map(ask).collect(),
        };
    let mut found = Vec::new();
    for e in external {
        let problem = match &answers[e.url.as_str()] {
            Ok(code) if *code < 400 => continue,
            Ok(code) => format!("external link `{}` answers HTTP {code}", e.url),
            Err(why) => format!("external link `{}` cannot be fetched: {why}", e.url),
        };
        found.push(Diagnostic {
            line: e.line,
            col: e.col,
            ..Diagnostic::file_error(&e.path, problem)
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(base: &str, file: &str, target: &str) -> Option<(String, Option<String>)> {
        match classify(&BaseUrl::parse(base).unwrap(), file, target) {
            Target::Internal(p, f) => Some((p, f)),
            _ => None,
        }
    }

    #[test]
    fn classifies_relative_rooted_and_absolute_links() {
        let b = "https://u.github.io/repo/";
        let f = "posts/a/index.html";
        assert_eq!(
            internal(b, f, "/repo/css/x.css"),
            Some(("css/x.css".into(), None))
        );
        assert_eq!(
            internal(b, f, "../b/#top"),
            Some(("posts/b/".into(), Some("top".into())))
        );
        assert_eq!(internal(b, f, "#sec"), Some((f.into(), Some("sec".into()))));
        assert_eq!(
            internal(b, f, "https://u.github.io/repo/tags/"),
            Some(("tags/".into(), None))
        );
        assert_eq!(internal(b, f, "/repo"), Some(("".into(), None)));
        assert!(matches!(
            classify(&BaseUrl::parse(b).unwrap(), f, "/other/"),
            Target::OutsideBase
        ));
        assert!(matches!(
            classify(&BaseUrl::parse(b).unwrap(), f, "https://x.org/"),
            Target::External
        ));
        assert!(matches!(
            classify(&BaseUrl::parse(b).unwrap(), f, "mailto:a@b"),
            Target::Skip
        ));
    }

    #[test]
    fn finds_css_urls() {
        assert_eq!(
            css_urls("a{background:url('/x.png')} b{src:url(y.woff2)}"),
            ["/x.png", "y.woff2"]
        );
    }
}
