//! folio: a static site generator whose tables are data.
//!
//! The stages, in order (each a function from typed input to typed output):
//! `content::discover` → `content::load_all` → `Site::assemble` →
//! `render::render_site` → `output::plan` → `output::write`.
//! The library never prints; it returns diagnostics for the caller to show.

pub mod config;
pub mod content;
pub mod error;
pub mod feeds;
pub mod markdown;
pub mod output;
pub mod render;
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
}

fn fail_with(mut diagnostics: Vec<Diagnostic>) -> Error {
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Error::Site(diagnostics)
}

/// Loads and resolves the whole site: front matter first (every page's URL
/// must be known before bodies link to each other), then bodies.
pub fn load(opts: &BuildOptions) -> Result<(Site, Vec<Diagnostic>)> {
    let (files, mut diagnostics) = content::discover(&opts.root)?;
    let mut heads = Vec::with_capacity(files.len());
    for loaded in content::read_all(&opts.root, &files) {
        diagnostics.extend(loaded.diagnostics);
        heads.extend(loaded.item);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail_with(diagnostics));
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
    let links = content::Links::new(&config.base, heads.iter().map(|u| &u.page));
    let mut pages = Vec::with_capacity(heads.len());
    for loaded in content::render_all(heads, &links) {
        diagnostics.extend(loaded.diagnostics);
        pages.extend(loaded.item);
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail_with(diagnostics));
    }
    match Site::assemble(config, pages, opts.drafts) {
        Ok(site) => Ok((site, diagnostics)),
        Err(errors) => {
            diagnostics.extend(errors);
            Err(fail_with(diagnostics))
        }
    }
}

/// Loads and renders the site in memory, writing nothing.
pub fn render(opts: &BuildOptions) -> Result<Rendered> {
    let (site, mut warnings) = load(opts)?;
    let renderer = render::Renderer::load(&opts.root, &site.config.base).map_err(|errors| {
        warnings.extend(errors);
        fail_with(std::mem::take(&mut warnings))
    })?;
    warnings.extend(renderer.warnings.iter().cloned());
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

/// Builds the site into the output folder. On any error the previous
/// output is left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let out = opts.out_dir();
    output::check_out_dir(&opts.root, &out)?;
    let Rendered {
        site,
        files,
        mut warnings,
    } = render(opts)?;
    let plan = output::plan(&opts.root, files)?;
    warnings.extend(plan.warnings.iter().cloned());
    output::write(&plan, &out)?;
    warnings.sort_by_key(Diagnostic::sort_key);
    Ok(BuildReport {
        pages: site.pages.len() + usize::from(site.home.is_some()),
        files: plan.files.len(),
        warnings,
    })
}
