//! folio: a static site generator whose tables are data.
//!
//! The stages, in order (each a function from typed input to typed output):
//! `content::discover` → `content::read_all` (front matter, every page's
//! URL) → `content::render_all` (bodies, links between pages) →
//! `Site::assemble` → `render::render_scope_to` → `output::Staging` (files
//! written as they are rendered, swapped in at the end). `check` and `serve`
//! render into memory instead (`render_site`, `output::plan`,
//! `session::Session`). The library never prints; it returns diagnostics for
//! the caller to show.

pub mod check;
pub mod config;
pub mod content;
pub mod error;
pub mod feeds;
pub mod import;
pub mod liquid;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod session;
pub mod site;
pub mod tables;
pub mod text;
pub mod walk;

pub use config::BuildOptions;
pub use error::{Diagnostic, Error, Result, Severity};

use config::Config;
use site::Site;
use std::path::Path;

/// A site rendered in memory.
pub struct Rendered {
    /// The site model.
    pub site: Site,
    /// Every rendered file.
    pub files: Vec<render::OutputFile>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
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

fn fail_with(mut diagnostics: Vec<Diagnostic>) -> Error {
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Error::Site(diagnostics)
}

/// Loads and resolves the whole site: front matter first (every page's URL
/// must be known before bodies link to each other), then bodies.
pub fn load(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>)> {
    load_linked(opts).map(|(site, _, warnings)| (site, warnings))
}

/// [`load`], also handing back what the bodies were rendered with (the
/// link index, include templates), for rendering an edited body again.
pub fn load_linked(opts: &BuildOptions) -> Result<(Site, content::BodyContext, Vec<Diagnostic>)> {
    let (files, mut diagnostics) = content::discover(&opts.root)?;
    let mut heads = Vec::with_capacity(files.len());
    for loaded in content::read_all(&opts.root, &files) {
        diagnostics.extend(loaded.diagnostics);
        heads.extend(loaded.item);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail_with(diagnostics));
    }
    if let Some(cutoff) = opts.publish_cutoff() {
        let (kept, skipped) = content::skip_future(heads, cutoff);
        heads = kept;
        diagnostics.extend(skipped);
    }
    let settings = heads
        .iter()
        .find(|u| u.page.kind == content::PageKind::Home)
        .map(|u| u.page.settings.clone())
        .unwrap_or_default();
    let config = match Config::resolve(
        settings,
        Path::new("content/_index.md"),
        opts.base_url.as_deref(),
    ) {
        Ok(c) => c,
        Err(d) => {
            diagnostics.push(d);
            return Err(fail_with(diagnostics));
        }
    };
    let body_context = content::BodyContext {
        links: content::Links::new(&opts.root, &config.base, heads.iter().map(|u| &u.page)),
        includes: render::include_templates(&opts.root),
        excerpt_separator: config
            .extra
            .get("excerpt_separator")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    };
    let mut pages = Vec::with_capacity(heads.len());
    for loaded in content::render_all(heads, &body_context) {
        diagnostics.extend(loaded.diagnostics);
        pages.extend(loaded.item);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail_with(diagnostics));
    }
    match Site::assemble(config, pages, opts.drafts) {
        Ok(site) => Ok((site, body_context, diagnostics)),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(fail_with(diagnostics))
        }
    }
}

/// Loads the site and compiles its templates: what every command renders
/// from. Warnings of both stages are handed back.
pub fn prepare(
    opts: &BuildOptions,
) -> Result<(
    Site,
    content::BodyContext,
    render::Renderer,
    Vec<Diagnostic>,
)> {
    let (site, context, mut warnings) = load_linked(opts)?;
    let renderer = match render::Renderer::load(&opts.root, &site.config.base) {
        Ok(r) => r,
        Err(errors) => {
            warnings.extend(errors);
            return Err(fail_with(warnings));
        }
    };
    warnings.extend(render::layout_warnings(&renderer, &site));
    warnings.extend(renderer.warnings.iter().cloned());
    Ok((site, context, renderer, warnings))
}

/// Loads and renders the site in memory, writing nothing.
pub fn render(opts: &BuildOptions) -> Result<Rendered> {
    let (site, _, renderer, warnings) = prepare(opts)?;
    let mut warnings = warnings;
    let files = render::render_site(&renderer, &site).map_err(|errors| {
        warnings.extend(errors);
        fail_with(std::mem::take(&mut warnings))
    })?;
    Ok(Rendered {
        site,
        files,
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
    output::check_out_dir(&opts.root, &out)?;
    let (site, _, renderer, mut warnings) = prepare(opts)?;
    lap("load content and templates");
    let staging = output::Staging::new(&out)?;
    let write = |f: &render::OutputFile| {
        staging
            .write(&f.path, &f.bytes)
            .map_err(|e| Diagnostic::file_error(Path::new("public").join(&f.path), e.to_string()))
    };
    let prepared = render::Prepared::new(&site);
    lap("summaries");
    let rendered = render::render_scope_to(
        &renderer,
        &site,
        &prepared,
        &render::Scope::all(),
        Some(&write),
    )
    .map_err(|errors| {
        warnings.extend(errors);
        fail_with(std::mem::take(&mut warnings))
    })?;
    lap("render and write pages");
    let generated: std::collections::HashSet<&str> =
        rendered.iter().map(|f| f.path.as_str()).collect();
    let statics = output::static_files(&opts.root, &site.config.base, &|p| generated.contains(p))?;
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
        files: rendered.len() + statics.files.len(),
        warnings,
        timings,
    };
    // Freeing a large site takes a while and nothing waits for it: let a
    // thread do it (a process that exits first leaves it to the system).
    std::thread::spawn(move || drop((site, prepared, rendered)));
    Ok(report)
}
