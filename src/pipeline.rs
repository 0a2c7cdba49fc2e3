//! The pipeline, the one place the stages are called, in order:
//!
//! 1. load: `source` finds the content files and reads each one's head
//!    (front matter, URL); the site's settings come from the home page's;
//!    `body` renders every body, now that every page's URL is known;
//! 2. assemble: `site` orders the pages, groups taxonomies, checks URLs;
//! 3. render: `render` turns pages and lists into HTML, `publish` adds each
//!    page's data files, the feed and the sitemap;
//! 4. publish: `publish` writes the files into a staging folder as they are
//!    rendered and swaps it in at the end.
//!
//! `check` and `serve` run the first three stages and keep the files in
//! memory instead ([`render_in_memory`], [`render_scope`]).

use crate::PAGES_PER_TASK;
use crate::body::{self, BodyContext, Links};
use crate::error::{Diagnostic, Error, Result};
use crate::publish::{self, OutputFile};
use crate::render::{self, Frame, Prepared, Renderer};
use crate::site::Site;
use crate::site::config::Config;
use crate::site::page::Page;
use crate::source::date::source_date_or_now;
use crate::source::templates::{self, Templates};
use crate::source::{self, Loaded, PageKind, Unrendered};
use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What a build was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's root folder (holds `content/`, `templates/`, `static/`).
    pub root: PathBuf,
    /// Where to write the site; relative paths are under `root`.
    pub out: PathBuf,
    /// Overrides `base_url` from `_index.md`.
    pub base_url: Option<String>,
    /// Build drafts (`draft: true`, `published: false`) too.
    pub drafts: bool,
    /// Build posts dated after the build's time too (Jekyll's `--future`).
    pub future: bool,
}

impl BuildOptions {
    /// Defaults for a site at `root`: output to `root/public`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            out: PathBuf::from("public"),
            base_url: None,
            drafts: false,
            future: false,
        }
    }

    /// Posts dated after this are left out; `None` with `--future`. It is
    /// `SOURCE_DATE_EPOCH` when set, else the current time. The clock only
    /// decides which posts are in: no output bytes come from it.
    pub fn publish_cutoff(&self) -> Option<DateTime<FixedOffset>> {
        if self.future {
            return None;
        }
        DateTime::from_timestamp(source_date_or_now(), 0).map(|d| d.fixed_offset())
    }

    /// The output folder, resolved against the root.
    pub fn out_dir(&self) -> PathBuf {
        self.root.join(&self.out)
    }
}

/// A site rendered in memory.
pub(crate) struct Rendered {
    /// The site model.
    pub(crate) site: Site,
    /// Every rendered file.
    pub(crate) files: Vec<OutputFile>,
    /// The templates it was rendered with.
    pub(crate) templates: Templates,
    /// Warnings found on the way.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// What a finished build reports.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages rendered (posts and pages, without lists).
    pub pages: usize,
    /// Files written, static files included.
    pub files: usize,
    /// Warnings, sorted by file and line.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took, in order (`folio build --timings`).
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

/// The error for a failed stage: every diagnostic so far, in order.
pub(crate) fn fail_with(mut diagnostics: Vec<Diagnostic>) -> Error {
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Error::Site(diagnostics)
}

/// A site loaded and its templates compiled: what every command renders
/// from.
pub(crate) struct Ready {
    /// The assembled site.
    pub(crate) site: Site,
    /// What the bodies were rendered with (the link index, include
    /// names), for rendering an edited body again.
    pub(crate) context: BodyContext,
    /// The site's template files, as read.
    pub(crate) templates: Templates,
    /// The compiled templates.
    pub(crate) renderer: Renderer,
    /// Warnings of every stage so far.
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Loads the site (heads first: every page's URL must be known before
/// bodies link to each other; then bodies), assembles it and compiles its
/// templates. Warnings of every stage are handed back.
pub(crate) fn prepare(opts: &BuildOptions) -> Result<Ready> {
    let (heads, mut warnings) = read_heads(opts)?;
    let config = site_config(&heads, opts).map_err(|d| {
        warnings.push(d);
        fail_with(std::mem::take(&mut warnings))
    })?;
    let templates = templates::read(&opts.root);
    let links = Links::new(&opts.root, &config.base, heads.iter().map(|u| &u.head));
    let includes = body::liquid::includes(&templates);
    let (files, found) = source::data::read_all(&opts.root);
    warnings.extend(found);
    let (data, found) = body::data_values(files);
    warnings.extend(found);
    let settings = home_settings(&heads);
    let liquid =
        body::liquid::Engine::new(&heads, &settings, &data, &links, &includes, opts.drafts);
    let context = BodyContext {
        links,
        includes,
        liquid,
        excerpt_separator: config
            .extra
            .get("excerpt_separator")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    };
    let mut pages = Vec::with_capacity(heads.len());
    for loaded in render_bodies(heads, &context) {
        warnings.extend(loaded.diagnostics);
        pages.extend(loaded.item);
    }
    if warnings.iter().any(Diagnostic::is_error) {
        return Err(fail_with(warnings));
    }
    let site = Site::assemble(config, pages, opts.drafts, data).map_err(|errors| {
        warnings.extend(errors);
        fail_with(std::mem::take(&mut warnings))
    })?;
    let renderer = Renderer::load(&templates, &site.config.base).map_err(|errors| {
        warnings.extend(errors);
        fail_with(std::mem::take(&mut warnings))
    })?;
    warnings.extend(render::layout_warnings(&renderer, &site));
    warnings.extend(templates.warnings.iter().cloned());
    Ok(Ready {
        site,
        context,
        templates,
        renderer,
        warnings,
    })
}

/// Finds the content files and reads each one's head, in parallel, leaving
/// out future posts unless asked for them.
fn read_heads(opts: &BuildOptions) -> Result<(Vec<Unrendered>, Vec<Diagnostic>)> {
    let (files, mut diagnostics) = source::discover(&opts.root)?;
    let mut heads = Vec::with_capacity(files.len());
    // The grammars the bodies' code blocks ask for are compiled while the
    // other files are read, rather than by every thread at its first block.
    let seen = |u: &Unrendered| body::highlight::prefetch(&u.text[u.body_offset..]);
    for loaded in source::read_all(&opts.root, &files, &seen) {
        diagnostics.extend(loaded.diagnostics);
        heads.extend(loaded.item);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail_with(diagnostics));
    }
    // Dates written without an offset are on the site's clock.
    if let Some(tz) = site_timezone(&heads) {
        for u in &mut heads {
            u.head.read_in(tz);
        }
    }
    if let Some(cutoff) = opts.publish_cutoff() {
        let (kept, skipped) = source::skip_future(heads, cutoff);
        heads = kept;
        diagnostics.extend(skipped);
    }
    Ok((heads, diagnostics))
}

/// The site's `timezone` (from `content/_index.md`), when it names a zone.
fn site_timezone(heads: &[Unrendered]) -> Option<chrono_tz::Tz> {
    heads
        .iter()
        .find(|u| u.head.kind == PageKind::Home)
        .and_then(|u| u.head.timezone)
}

/// The home page's front matter: the site's settings as written.
fn home_settings(heads: &[Unrendered]) -> serde_json::Map<String, serde_json::Value> {
    heads
        .iter()
        .find(|u| u.head.kind == PageKind::Home)
        .map(|u| u.head.settings.clone())
        .unwrap_or_default()
}

/// The site's settings: the home page's front matter, with the command
/// line's base URL winning.
fn site_config(heads: &[Unrendered], opts: &BuildOptions) -> Result<Config, Diagnostic> {
    let home = heads.iter().find(|u| u.head.kind == PageKind::Home);
    let listing = home.map(|u| u.head.listing.clone()).unwrap_or_default();
    Config::resolve(
        home_settings(heads),
        &listing,
        Path::new("content/_index.md"),
        opts.base_url.as_deref(),
    )
}

/// Renders every body, in parallel, and puts each page together from its
/// head and body.
fn render_bodies(heads: Vec<Unrendered>, ctx: &BodyContext) -> Vec<Loaded<Page>> {
    heads
        .into_par_iter()
        .with_max_len(PAGES_PER_TASK)
        .map(|u| page_of(u, ctx))
        .collect()
}

/// One page from its head: its body rendered with `ctx`.
pub(crate) fn page_of(u: Unrendered, ctx: &BodyContext) -> Loaded<Page> {
    let body = body::render(&u, ctx);
    Loaded {
        item: body.item.map(|body| Page { head: u.head, body }),
        diagnostics: body.diagnostics,
    }
}

/// Parses a whole content file on its own (links to other pages are left
/// as written): what the fuzz targets and the tests of `folio new` look at.
pub(crate) fn parse_page(rel: &Path, text: &str) -> Loaded<Page> {
    let head = source::parse_head(rel, text.to_string());
    let mut diagnostics = head.diagnostics;
    let item = head.item.and_then(|u| {
        let page = page_of(u, &BodyContext::default());
        diagnostics.extend(page.diagnostics);
        page.item
    });
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Loaded { item, diagnostics }
}

/// Which pages to render. Lists (home, term indexes, feed, sitemap) are
/// rendered with them unless `pages_only`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    /// Pages by index into `site.pages`; `None` means every page.
    pub(crate) pages: Option<Vec<usize>>,
    /// Term pages as `(taxonomy, slug)`; `None` means every term.
    pub(crate) terms: Option<HashSet<(String, String)>>,
    /// Only the pages: no home page, term pages, feeds or 404 (for an edit
    /// that changed nothing the lists show).
    pub(crate) pages_only: bool,
    /// Of the home page's and the term pages' pages, only those that list
    /// one of these pages (by index into `site.pages`); `None` means all.
    /// For an edit that moved no page from one list page to another.
    pub(crate) listing: Option<HashSet<usize>>,
}

impl Scope {
    /// Everything.
    pub(crate) fn all() -> Scope {
        Scope::default()
    }
}

/// Receives each rendered file as soon as it exists (`build` writes it to
/// the staging folder, so the whole site is never held in memory).
pub(crate) type Sink<'a> = &'a (dyn Fn(&OutputFile) -> Result<(), Diagnostic> + Sync);

/// Renders the pages in `scope` with their data files, and the lists,
/// all at once: every page, list and machine-read file is independent of
/// the others. Errors from all of them are gathered, so one run reports
/// every broken page. With a `sink`, each file is handed to it as it is
/// rendered and none is returned (the sink knows what it was given).
pub(crate) fn render_scope(
    renderer: &Renderer,
    site: &Site,
    prepared: &Prepared,
    scope: &Scope,
    sink: Option<Sink>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let emit = |files: Vec<OutputFile>| -> Result<Vec<OutputFile>, Diagnostic> {
        let Some(write) = sink else { return Ok(files) };
        files.iter().try_for_each(write)?;
        Ok(Vec::new())
    };
    let with_data =
        |page: &Page, mut files: Vec<OutputFile>| -> Result<Vec<OutputFile>, Diagnostic> {
            files.extend(publish::data::files(page));
            files.extend(publish::redirects::alias_files(page, &site.config));
            files.extend(publish::bundles::files(page)?);
            Ok(files)
        };
    renderer.install(|| {
        let frame = Frame::new(renderer, site, prepared);
        let render_page = |i: usize| {
            let page = &site.pages[i];
            // A page with `redirect_to` is a redirect in its own place.
            let html = match publish::redirects::own(page, &site.config) {
                Some(redirect) => Ok(redirect.file(&site.config)),
                None => frame.site_page(prepared, i),
            };
            html.and_then(|html| emit(with_data(page, vec![html])?))
        };
        let lists = if scope.pages_only {
            Vec::new()
        } else {
            lists(renderer, site)
        };
        let render_list = |list: &List| -> Result<Vec<OutputFile>, Diagnostic> {
            let files = match list {
                List::Home => {
                    let html = frame.home(prepared, scope.listing.as_ref())?;
                    match &site.home {
                        Some(home) => with_data(home, html)?,
                        None => html,
                    }
                }
                List::Section(section) => {
                    with_data(&section.page, frame.section(section, prepared)?)?
                }
                List::Terms(taxonomy) => {
                    let (only, showing) = (scope.terms.as_ref(), scope.listing.as_ref());
                    frame.taxonomy(taxonomy, prepared, only, showing)?
                }
                List::NotFound => vec![frame.not_found()?],
                List::MachineRead => {
                    let summary = |i| prepared.summary(i);
                    let mut files = publish::sitemap::files(site, summary);
                    let bodies = feed_bodies(&frame, site, prepared)?;
                    let content = |i| bodies.get(&i).map(String::as_str);
                    files.extend(publish::feed::files(site, summary, &content));
                    files
                }
            };
            emit(files)
        };
        let (mut results, listed): (Vec<Result<Vec<OutputFile>, Diagnostic>>, Vec<_>) = rayon::join(
            || match &scope.pages {
                None => (0..site.pages.len())
                    .into_par_iter()
                    .with_max_len(PAGES_PER_TASK)
                    .map(render_page)
                    .collect(),
                Some(list) => list
                    .par_iter()
                    .with_max_len(PAGES_PER_TASK)
                    .map(|&i| render_page(i))
                    .collect(),
            },
            || lists.par_iter().map(render_list).collect(),
        );
        results.extend(listed);
        gather(results)
    })
}

/// The body of every page some feed carries, when feeds carry whole
/// bodies (`feed_content: full`), each rendered once; else none.
fn feed_bodies(
    frame: &Frame,
    site: &Site,
    prepared: &Prepared,
) -> Result<std::collections::HashMap<usize, String>, Diagnostic> {
    if !publish::feed::wants_content(site) {
        return Ok(Default::default());
    }
    let mut wanted: Vec<usize> = publish::feed::feeds(site)
        .into_iter()
        .flat_map(|f| f.entries)
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    wanted
        .into_par_iter()
        .map(|i| Ok((i, frame.body_html(prepared, i)?)))
        .collect()
}

/// A page made from the whole site rather than from one page.
enum List<'a> {
    /// The home page, listing every post.
    Home,
    /// A section's pages.
    Section(&'a crate::site::section::Section),
    /// A taxonomy's list of terms and each term's page.
    Terms(&'a crate::site::Taxonomy),
    /// `404.html`.
    NotFound,
    /// The feed, the sitemap, robots.txt, `.nojekyll`, `CNAME`.
    MachineRead,
}

/// Every list `site` has (the 404 page when the site has its template and
/// no page of its own at `404.html`).
fn lists<'a>(renderer: &Renderer, site: &'a Site) -> Vec<List<'a>> {
    let mut lists = vec![List::Home, List::MachineRead];
    lists.extend(site.sections.iter().map(List::Section));
    lists.extend(site.taxonomies.iter().map(List::Terms));
    // A page of its own at `/404.html` (Jekyll's `404.md`) is the 404 page.
    let own_404 = site.pages.iter().any(|p| p.head.is_404_page());
    if renderer.has("404.html") && !own_404 {
        lists.push(List::NotFound);
    }
    lists
}

/// The files of every result, or every error: sorted, and each said once
/// (one template error repeats on every page it renders).
fn gather(
    results: Vec<Result<Vec<OutputFile>, Diagnostic>>,
) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(f) => files.extend(f),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(Diagnostic::sort_key);
        errors.dedup_by(|a, b| a.sort_key() == b.sort_key());
        return Err(errors);
    }
    Ok(files)
}

/// Loads and renders the site in memory, writing nothing.
pub(crate) fn render_in_memory(opts: &BuildOptions) -> Result<Rendered> {
    let Ready {
        site,
        templates,
        renderer,
        mut warnings,
        ..
    } = prepare(opts)?;
    let prepared = Prepared::new(&site);
    let files =
        render_scope(&renderer, &site, &prepared, &Scope::all(), None).map_err(|errors| {
            warnings.extend(errors);
            fail_with(std::mem::take(&mut warnings))
        })?;
    Ok(Rendered {
        site,
        files,
        templates,
        warnings,
    })
}

/// Builds the site into the output folder. Files are written into a
/// staging folder as they are rendered and swapped in at the end; on any
/// error the previous output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let mut timings = Vec::new();
    let mut clock = std::time::Instant::now();
    let mut lap = |stage: &'static str| {
        timings.push((stage, clock.elapsed()));
        clock = std::time::Instant::now();
    };
    let out = opts.out_dir();
    publish::check_out_dir(&opts.root, &out)?;
    let Ready {
        site,
        renderer,
        mut warnings,
        ..
    } = prepare(opts)?;
    lap("load content and templates");
    let staging = publish::Staging::new(&out)?;
    lap("claim the last output");
    let write = |f: &OutputFile| {
        staging.write(&f.path, &f.bytes).map_err(|e| match e {
            // Staging's own findings (two pages on one path, a file that
            // would be a folder) already name the output path; which of
            // the two pages was written first must not change the message.
            Error::Site(mut found) if !found.is_empty() => found.swap_remove(0),
            other => Diagnostic::file_error(Path::new("public").join(&f.path), other.to_string()),
        })
    };
    let prepared = Prepared::new(&site);
    lap("summaries");
    render_scope(&renderer, &site, &prepared, &Scope::all(), Some(&write)).map_err(|errors| {
        warnings.extend(errors);
        fail_with(std::mem::take(&mut warnings))
    })?;
    lap("render and write pages");
    let rendered = staging.files();
    let statics = publish::static_files(&opts.root, &site, &|p| staging.holds(p))?;
    if !statics.errors.is_empty() {
        warnings.extend(statics.errors);
        return Err(fail_with(warnings));
    }
    staging.write_all(&statics.files)?;
    lap("static files");
    staging.commit()?;
    lap("swap in");
    warnings.extend(statics.warnings);
    warnings.sort_by_key(Diagnostic::sort_key);
    let report = BuildReport {
        pages: site.pages.len() + usize::from(site.home.is_some()),
        files: rendered + statics.files.len(),
        warnings,
        timings,
    };
    crate::drop_aside((site, prepared));
    Ok(report)
}

/// Loads `text` as the only post of a site whose templates are those of
/// `root` and renders it in memory (the fuzz targets' whole pipeline).
/// Returns whether the page loaded; a page that did not must come with an
/// error (a panic otherwise, which is what a fuzzer looks for).
pub(crate) fn render_one_page(root: &Path, text: &str) -> bool {
    let loaded = parse_page(Path::new("content/posts/fuzz.md"), text);
    let Some(page) = loaded.item else {
        assert!(loaded.diagnostics.iter().any(Diagnostic::is_error));
        return false;
    };
    let config = Config::resolve(
        Default::default(),
        &Default::default(),
        Path::new("content/_index.md"),
        None,
    )
    .expect("empty settings resolve");
    let renderer =
        Renderer::load(&templates::read(root), &config.base).expect("the site's templates load");
    if let Ok(site) = Site::assemble(config, vec![page], true, Default::default()) {
        let prepared = Prepared::new(&site);
        let _ = render_scope(&renderer, &site, &prepared, &Scope::all(), None);
    }
    true
}
