//! A site kept in memory between edits, for `serve`: a change rebuilds
//! only what it affects.
//!
//! What a change costs:
//! - a post's body or front matter (same URL and date): that post is parsed
//!   and rendered again, with the lists that show it (home, its old and new
//!   term pages, term indexes, feed, sitemap);
//! - a template: every page is rendered again from the parsed pages, no
//!   Markdown is parsed (unless an include template appeared or went away,
//!   which changes how bodies parse: then everything is loaded again);
//! - a file of a page bundle (beside an `index.md`): the whole site is
//!   loaded again, as for a new page;
//! - a file in `static/`: that file is read again; a stylesheet alone is
//!   reported as [`Outcome::Styles`], so browsers swap it without reloading;
//! - a file under `data/`: the whole site is loaded again (any template
//!   may show `site.data`);
//! - anything else (a new, removed or renamed page, a changed date, URL or
//!   redirect, `_index.md` or a section's `_index.md`, a term's page count crossing
//!   a page of the pagination): the whole site is loaded again.

use crate::body::{BodyContext, liquid};
use crate::error::{Diagnostic, Error, Result};
use crate::pipeline::{self, BuildOptions, fail_with};
use crate::pipeline::{Ready, Scope};
use crate::publish::OutputFile;
use crate::publish::{self, Source};
use crate::render::{self, Prepared, Renderer};
use crate::site::Site;
use crate::site::page::Page;
use crate::source::{self, PageKind, templates};
use crate::urls;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Pages changed: browsers reload.
    Pages {
        /// How many pages (posts and pages) were rendered again.
        rendered: usize,
        /// Whether the whole site was loaded again.
        full: bool,
        /// Whether the lists (home, term pages, feeds) were rendered again:
        /// not when the edit changed nothing they show.
        lists: bool,
    },
    /// Only stylesheets changed: browsers swap them in place.
    Styles,
    /// Nothing the site uses changed.
    Nothing,
}

/// The result of applying a batch of file changes.
#[derive(Debug)]
pub struct Update {
    /// What was rebuilt.
    pub outcome: Outcome,
    /// How long it took.
    pub elapsed: Duration,
    /// Warnings, after the update, of the files the update was about.
    pub warnings: Vec<Diagnostic>,
}

/// The files of one batch of changes, by what they change.
#[derive(Default)]
struct Changes {
    /// Every changed file, relative to the site root, sorted.
    files: Vec<PathBuf>,
    /// Markdown files under `content/`, sorted.
    content: Vec<PathBuf>,
    /// Whether anything under `templates/` changed.
    templates: bool,
    /// Files under `static/`.
    statics: Vec<PathBuf>,
    /// Whether anything under `data/` changed (every template may show
    /// `site.data`: the whole site is loaded again).
    data: bool,
    /// Whether a file of a page bundle changed (or came or went).
    bundle_files: bool,
}

/// The site in memory: the model, the compiled templates, and every output file.
pub struct Session {
    opts: BuildOptions,
    site: Site,
    context: BodyContext,
    renderer: Renderer,
    prepared: Prepared,
    output: BTreeMap<String, Vec<u8>>,
    /// The output paths that come from `static/`.
    from_static: BTreeSet<String>,
    /// Per-file warnings (mojibake, tables), so a one-page edit can replace its own.
    page_warnings: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

fn into_bytes(source: Source) -> Result<Vec<u8>> {
    match source {
        Source::Bytes(b) => Ok(b),
        Source::Copy(from) => std::fs::read(&from).map_err(|e| Error::io(&from, e)),
    }
}

impl Session {
    /// Loads and renders the whole site into memory.
    pub fn start(opts: &BuildOptions) -> Result<Session> {
        let Ready {
            site,
            context,
            renderer,
            warnings,
            ..
        } = pipeline::prepare(opts)?;
        let prepared = Prepared::new(&site);
        let files = pipeline::render_scope(&renderer, &site, &prepared, &Scope::all(), None)
            .map_err(fail_with)?;
        let plan = publish::plan(&opts.root, files, &site)?;
        let mut page_warnings: BTreeMap<PathBuf, Vec<Diagnostic>> = BTreeMap::new();
        for w in &warnings {
            page_warnings
                .entry(w.path.clone())
                .or_default()
                .push(w.clone());
        }
        for w in &plan.warnings {
            page_warnings
                .entry(w.path.clone())
                .or_default()
                .push(w.clone());
        }
        let mut output = BTreeMap::new();
        for (path, source) in plan.files {
            output.insert(path, into_bytes(source)?);
        }
        let session = Session {
            opts: opts.clone(),
            site,
            context,
            renderer,
            prepared,
            output,
            from_static: plan.from_static,
            page_warnings,
        };
        Ok(session)
    }

    /// The bytes served at an output path (`posts/x/index.html`).
    pub fn file(&self, path: &str) -> Option<&[u8]> {
        self.output.get(path).map(Vec::as_slice)
    }

    /// Current warnings of the whole site, in order (gathered when asked:
    /// an edit does not sort the warnings of every other page).
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let mut all: Vec<Diagnostic> = self.page_warnings.values().flatten().cloned().collect();
        all.sort_by_key(Diagnostic::sort_key);
        all
    }

    /// Applies changed files (paths relative to the site root, or absolute
    /// under it). On error the session keeps serving the previous site.
    pub fn apply(&mut self, changed: &[PathBuf]) -> Result<Update> {
        let started = Instant::now();
        let changes = self.sort_out(changed);
        let mut outcome = Outcome::Nothing;
        if changes.data || changes.bundle_files {
            outcome = self.reload()?;
        } else if !changes.content.is_empty() {
            outcome = match self.update_pages(&changes.content)? {
                Some((rendered, lists)) => Outcome::Pages {
                    rendered,
                    full: false,
                    lists,
                },
                None => self.reload()?,
            };
        }
        if changes.templates && !matches!(outcome, Outcome::Pages { full: true, .. }) {
            outcome = self.update_templates()?;
        }
        if !changes.statics.is_empty() {
            let only_css = self.update_statics(&changes.statics)?;
            if outcome == Outcome::Nothing {
                outcome = if only_css {
                    Outcome::Styles
                } else {
                    Outcome::Pages {
                        rendered: 0,
                        full: false,
                        lists: false,
                    }
                };
            }
        }
        let mut warnings: Vec<Diagnostic> = changes
            .files
            .iter()
            .filter_map(|rel| self.page_warnings.get(rel))
            .flatten()
            .cloned()
            .collect();
        warnings.sort_by_key(Diagnostic::sort_key);
        Ok(Update {
            outcome,
            elapsed: started.elapsed(),
            warnings,
        })
    }

    /// Sorts changed paths (relative to the site root, or absolute under
    /// it) by the folder they are in.
    fn sort_out(&self, changed: &[PathBuf]) -> Changes {
        let root = self
            .opts
            .root
            .canonicalize()
            .unwrap_or_else(|_| self.opts.root.clone());
        let mut changes = Changes::default();
        for path in changed {
            let rel = path
                .strip_prefix(&root)
                .or_else(|_| path.strip_prefix(&self.opts.root))
                .unwrap_or(path)
                .to_path_buf();
            let top = rel
                .components()
                .next()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            match top.as_deref() {
                Some("content")
                    if rel
                        .extension()
                        .is_some_and(|e| e == "md" || e == "markdown") =>
                {
                    changes.content.push(rel.clone())
                }
                Some("content") if source::bundles::is_bundle_file(&self.opts.root, &rel) => {
                    changes.bundle_files = true
                }
                Some("templates") => changes.templates = true,
                Some("data") => changes.data = true,
                Some("static") => changes.statics.push(rel.clone()),
                _ => {}
            }
            changes.files.push(rel);
        }
        changes.content.sort();
        changes.content.dedup();
        changes.files.sort();
        changes.files.dedup();
        changes
    }

    /// Loads and renders the whole site again.
    fn reload(&mut self) -> Result<Outcome> {
        *self = Session::start(&self.opts)?;
        Ok(Outcome::Pages {
            rendered: self.site.pages.len(),
            full: true,
            lists: true,
        })
    }

    /// Compiles the templates again and renders every page with them; a
    /// new or removed include template changes how bodies parse, so then
    /// the whole site is loaded again.
    fn update_templates(&mut self) -> Result<Outcome> {
        let read = templates::read(&self.opts.root);
        if liquid::includes(&read) != self.context.includes {
            return self.reload();
        }
        let renderer = Renderer::load(&read, &self.site.config.base).map_err(fail_with)?;
        let files =
            pipeline::render_scope(&renderer, &self.site, &self.prepared, &Scope::all(), None)
                .map_err(fail_with)?;
        self.renderer = renderer;
        self.store(files);
        Ok(Outcome::Pages {
            rendered: self.site.pages.len(),
            full: false,
            lists: true,
        })
    }

    /// Re-renders edited pages, and their lists unless the edit changed
    /// nothing they show: how many pages, and whether the lists were
    /// rendered. `None` when an edit needs a full reload (a new or removed
    /// file, `_index.md`, a changed URL or date, a term's first or last
    /// page). The edited pages go into a new site that shares every other
    /// page with the current one; it replaces the current one only once it
    /// has rendered, so on error the session keeps serving the previous site.
    fn update_pages(&mut self, files: &[PathBuf]) -> Result<Option<(usize, bool)>> {
        let Some((edits, diagnostics)) = self.reload_pages(files)? else {
            return Ok(None);
        };
        let indices: Vec<usize> = edits.iter().map(|(i, _)| *i).collect();
        let terms = self.touched_terms(&edits);
        let old_data = self.data_files(&indices);
        let site = self.site.with_pages(edits);
        // The terms can only have changed when the taxonomies were grouped
        // again (an edit changed some page's tags or categories).
        let regrouped = !Arc::ptr_eq(&site.taxonomies, &self.site.taxonomies);
        if regrouped
            && (term_set(&site) != term_set(&self.site)
                || site.later_list_pages() != self.site.later_list_pages())
        {
            return Ok(None);
        }
        let prepared = self.prepared.with_pages(&site, &indices);
        // Lists show summaries (and the feed, authors; with
        // `feed_content: full`, bodies): when no edited page changed
        // either, only the pages themselves are rendered again.
        let lists_unchanged = !publish::feed::wants_content(&site)
            && indices.iter().all(|&i| {
                prepared.summary(i) == self.prepared.summary(i)
                    && site.pages[i].head.author == self.site.pages[i].head.author
                    && site.pages[i].head.listing == self.site.pages[i].head.listing
            });
        // A template that calls `get_page` may show any page's data on
        // any other: every page is rendered again.
        let scope = if self.renderer.uses_get_page {
            Scope::all()
        } else {
            Scope {
                pages: Some(indices.clone()),
                terms: Some(terms),
                pages_only: lists_unchanged,
                // When no page moved between lists, only the list pages
                // that show an edited page change.
                listing: (!regrouped).then(|| indices.iter().copied().collect()),
            }
        };
        let files = pipeline::render_scope(&self.renderer, &site, &prepared, &scope, None)
            .map_err(fail_with)?;
        for path in old_data {
            self.output.remove(&path);
        }
        for &i in &indices {
            self.page_warnings.remove(&site.pages[i].head.source);
        }
        // An edited page's `layout` may have changed: its fallback
        // warning is worked out again with the others.
        let layouts = indices
            .iter()
            .filter_map(|&i| render::layout_warning(&self.renderer, &site.pages[i]));
        for d in diagnostics.into_iter().chain(layouts) {
            self.page_warnings
                .entry(d.path.clone())
                .or_default()
                .push(d);
        }
        self.site = site;
        self.prepared = prepared;
        self.store(files);
        Ok(Some((indices.len(), !lists_unchanged)))
    }

    /// Reads and renders the edited files again, each as a whole new page
    /// with its index in the site, and their warnings. `None` when an edit
    /// needs a full reload; an error when a file does not parse.
    #[allow(clippy::type_complexity)]
    fn reload_pages(
        &self,
        files: &[PathBuf],
    ) -> Result<Option<(Vec<(usize, Page)>, Vec<Diagnostic>)>> {
        let mut edits = Vec::new();
        let mut diagnostics = Vec::new();
        for rel in files {
            let Some(i) = self.site.pages.iter().position(|p| &p.head.source == rel) else {
                return Ok(None);
            };
            if !self.opts.root.join(rel).is_file() {
                return Ok(None);
            }
            let head = source::read(&self.opts.root, rel);
            diagnostics.extend(head.diagnostics);
            let Some(mut unrendered) = head.item else {
                continue;
            };
            if let Some(tz) = self.site.home.as_ref().and_then(|h| h.head.timezone) {
                unrendered.head.read_in(tz);
            }
            let old = &self.site.pages[i].head;
            let new = &unrendered.head;
            if new.path != old.path
                || new.date != old.date
                || new.draft != old.draft
                || new.aliases != old.aliases
                || new.redirect_to != old.redirect_to
                || new.assets != old.assets
                || new.kind == PageKind::Home
                || (self.context.liquid.is_none()
                    && liquid::Engine::wanted_by(&unrendered, &self.site.config.extra))
            {
                return Ok(None);
            }
            let page = pipeline::page_of(unrendered, &self.context);
            diagnostics.extend(page.diagnostics);
            edits.extend(page.item.map(|page| (i, page)));
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(fail_with(diagnostics));
        }
        Ok(Some((edits, diagnostics)))
    }

    /// Term pages to render again: every term of the old and new versions
    /// of the edited pages.
    fn touched_terms(&self, edits: &[(usize, Page)]) -> HashSet<(String, String)> {
        let mut terms = HashSet::new();
        for (i, page) in edits {
            let old = &self.site.pages[*i].head;
            for (tax, written) in [
                ("tags", &old.tags),
                ("tags", &page.head.tags),
                ("categories", &old.categories),
                ("categories", &page.head.categories),
            ] {
                terms.extend(written.iter().map(|t| (tax.to_string(), urls::slugify(t))));
            }
        }
        terms
    }

    /// The data files the current versions of pages `indices` publish.
    fn data_files(&self, indices: &[usize]) -> Vec<String> {
        indices
            .iter()
            .flat_map(|&i| {
                let page = &self.site.pages[i];
                page.body
                    .tables
                    .iter()
                    .flat_map(move |t| publish::data::paths(page, t))
            })
            .collect()
    }

    fn store(&mut self, files: Vec<OutputFile>) {
        for f in files {
            self.output.insert(f.path, f.bytes);
        }
    }

    /// Lists `static/` again under the build's rules (links, clashes with
    /// generated files) and reads the changed files and the new ones;
    /// true if every changed file was a stylesheet.
    fn update_statics(&mut self, changed: &[PathBuf]) -> Result<bool> {
        let changed: HashSet<String> = changed
            .iter()
            .filter_map(|rel| rel.strip_prefix("static").ok())
            .map(|inside| inside.to_string_lossy().replace('\\', "/"))
            .collect();
        let only_css = changed.iter().all(|dest| dest.ends_with(".css"));
        let generated =
            |dest: &str| self.output.contains_key(dest) && !self.from_static.contains(dest);
        let statics = publish::static_files(&self.opts.root, &self.site, &generated)?;
        if !statics.errors.is_empty() {
            return Err(fail_with(statics.errors));
        }
        let now: BTreeSet<String> = statics.files.iter().map(|(dest, _)| dest.clone()).collect();
        for gone in self.from_static.difference(&now) {
            self.output.remove(gone);
        }
        for (dest, source) in statics.files {
            if changed.contains(&dest) || !self.from_static.contains(&dest) {
                self.output.insert(dest, into_bytes(source)?);
            }
        }
        self.from_static = now;
        Ok(only_css)
    }
}

/// Every term of the site. Every page shows the site's taxonomies and each
/// term has a page: an edit that adds a term's first page, or removes its
/// last, is a full reload.
fn term_set(site: &Site) -> Vec<(&'static str, &str)> {
    site.taxonomies
        .iter()
        .flat_map(|t| t.terms.iter().map(move |term| (t.name, term.slug.as_str())))
        .collect()
}
