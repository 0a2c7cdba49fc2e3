//! `folio import-jekyll DIR`: brings a Jekyll site into folio's layout with
//! every old URL kept.
//!
//! The Jekyll folder is read once ([`tree`]); pure planners then decide
//! what each part becomes: posts and drafts ([`posts`]), pages and
//! collections ([`pages`]), data and static files ([`files`]), and the
//! settings ([`config`]); each Markdown document gets the URL Jekyll gave
//! it ([`permalink`]) written into its front matter. Nothing is written
//! until the whole plan is made, and nothing at all when any destination
//! exists already. The plan ends with `import-report.json` ([`report`]).

mod config;
mod files;
mod front;
mod pages;
mod permalink;
mod posts;
mod report;
mod tree;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::source::frontmatter;
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::fs;
use std::path::{Path, PathBuf};

/// Files at a Jekyll site's top level that are tooling, not the site.
const TOOLING: [&str; 6] = [
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor",
    "package.json",
    "package-lock.json",
];

/// The report's file name, in the folio site's root.
pub(crate) const REPORT: &str = "import-report.json";

/// How the import places pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Publish pages at folio's own URLs (`/posts/<slug>/`), each old URL
    /// becoming a redirect (`aliases:`), instead of at Jekyll's URLs.
    pub folio_urls: bool,
}

/// Where one imported file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A file copied unchanged.
    Copy(PathBuf),
    /// Text written by the importer.
    Text(String),
}

/// One file the import writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Planned {
    /// The Jekyll file it comes from, from the Jekyll site's root.
    pub(crate) from: PathBuf,
    /// Where it goes, from the folio site's root.
    pub(crate) to: PathBuf,
    /// Its content.
    pub(crate) source: Source,
}

/// A page's address in Jekyll and in the imported site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Moved {
    /// The Jekyll file, from the Jekyll site's root.
    pub(crate) from: PathBuf,
    /// The URL Jekyll gave it (`page.url`, without `baseurl`).
    pub(crate) jekyll: String,
    /// Its URL in the folio site (without the base path).
    pub(crate) folio: String,
    /// The Jekyll URL is a redirect to the folio one (`--folio-urls`).
    pub(crate) redirect: bool,
}

/// What an import does, decided before anything is written.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// The files to write.
    pub(crate) files: Vec<Planned>,
    /// The files left out, each with why ("not imported: …").
    pub(crate) left_out: Vec<Diagnostic>,
    /// What was read leniently, and links skipped.
    pub(crate) notes: Vec<Diagnostic>,
    /// Every published page's old and new URL.
    pub(crate) urls: Vec<Moved>,
}

impl Plan {
    fn add(&mut self, part: Plan) {
        self.files.extend(part.files);
        self.left_out.extend(part.left_out);
        self.notes.extend(part.notes);
        self.urls.extend(part.urls);
    }

    fn copy(&mut self, entry: &tree::Entry, to: PathBuf) {
        self.files.push(Planned {
            from: entry.rel.clone(),
            to,
            source: Source::Copy(entry.from.clone()),
        });
    }

    /// A document's data: its front matter over `defaults`, its lenient
    /// readings noted. `None`, and the file listed as not imported (at the
    /// place of the problem), when its front matter cannot be read.
    fn read_data(
        &mut self,
        entry: &tree::Entry,
        defaults: Map<String, Value>,
    ) -> Option<Map<String, Value>> {
        match front::read(entry, defaults) {
            Ok((data, warnings)) => {
                self.notes.extend(warnings);
                Some(data)
            }
            Err(d) => {
                self.left_out.push(Diagnostic {
                    severity: Severity::Warning,
                    message: format!("not imported: {}", d.message),
                    ..d
                });
                None
            }
        }
    }

    /// Writes `entry` to `to`, published at the URL Jekyll gave it (`url`),
    /// or lists it as not imported when no URL could be made.
    fn publish(
        &mut self,
        site: &Site<'_>,
        entry: &tree::Entry,
        to: PathBuf,
        url: std::result::Result<String, String>,
        data: &Map<String, Value>,
    ) {
        match url {
            Ok(url) => {
                let (set, drop, moved) = site.url_fields(&entry.rel, &to, url, data);
                self.write_text(entry, to, &set, &drop);
                self.urls.push(moved);
            }
            Err(why) => self.skip(entry, why),
        }
    }

    /// Writes `entry`'s text to `to` with `set` written into its front
    /// matter and `drop` left out; a plain copy when there is nothing to
    /// change.
    fn write_text(
        &mut self,
        entry: &tree::Entry,
        to: PathBuf,
        set: &Map<String, Value>,
        drop: &[&str],
    ) {
        let source = match &entry.text {
            Some(text) if !set.is_empty() || !drop.is_empty() => {
                Source::Text(front::rewrite(text, set, drop))
            }
            _ => Source::Copy(entry.from.clone()),
        };
        self.files.push(Planned {
            from: entry.rel.clone(),
            to,
            source,
        });
    }

    /// A document's date on the site's clock (see [`front::local_date`]);
    /// a `date:` that cannot be read is noted.
    fn date(
        &mut self,
        site: &Site<'_>,
        entry: &tree::Entry,
        data: &Map<String, Value>,
        file_date: Option<chrono::NaiveDate>,
    ) -> Option<chrono::NaiveDateTime> {
        let (date, note) = front::local_date(data, file_date, site.tz);
        if let Some(note) = note {
            self.notes.push(Diagnostic::file_warning(&entry.from, note));
        }
        date
    }

    fn skip(&mut self, entry: &tree::Entry, why: impl Into<String>) {
        self.left_out.push(Diagnostic::file_warning(
            &entry.from,
            format!("not imported: {}", why.into()),
        ));
    }
}

/// What the planners need to know about the site.
pub(crate) struct Site<'a> {
    /// `_config.yml`.
    pub(crate) config: &'a Map<String, Value>,
    /// `permalink:` as written (a style's name or a pattern).
    pub(crate) style: Option<&'a str>,
    /// The time zone of dates and URLs.
    pub(crate) tz: Tz,
    /// How pages are placed.
    pub(crate) options: ImportOptions,
}

impl Site<'_> {
    /// The front matter fields that publish an imported document: at its
    /// Jekyll URL (`permalink`), or with `--folio-urls` at folio's URL for
    /// `to` with the Jekyll URL as an alias. Returns the fields to set, the
    /// keys to drop, and the URL move for the report.
    pub(crate) fn url_fields(
        &self,
        from: &Path,
        to: &Path,
        jekyll_url: String,
        data: &Map<String, Value>,
    ) -> (Map<String, Value>, Vec<&'static str>, Moved) {
        let mut set = Map::new();
        // Where Jekyll wrote the page: its permalink in folio, or its alias.
        let old_path = format!("/{}", permalink::output_path(&jekyll_url));
        let old_escaped = permalink::escape_path(&old_path);
        let (folio, drop) = if self.options.folio_urls {
            let slug = front::text(data, "slug");
            let path = format!("/{}", crate::source::default_site_path(to, slug.as_deref()));
            if path != old_path {
                let mut aliases: Vec<Value> = match data.get("aliases") {
                    Some(Value::Array(a)) => a.clone(),
                    Some(Value::String(s)) => vec![Value::String(s.clone())],
                    _ => Vec::new(),
                };
                aliases.push(Value::String(old_path));
                set.insert("aliases".into(), Value::Array(aliases));
            }
            (permalink::escape_path(&path), vec!["permalink"])
        } else {
            set.insert("permalink".into(), Value::String(old_path.clone()));
            (old_escaped.clone(), Vec::new())
        };
        let moved = Moved {
            from: from.to_path_buf(),
            redirect: folio != old_escaped,
            jekyll: jekyll_url,
            folio,
        };
        (set, drop, moved)
    }
}

/// Decides what importing the read Jekyll site makes: every file to write
/// (the report last), the notes, the URL map. Pure: reads nothing.
pub(crate) fn plan(jekyll: &Path, site_tree: &tree::Tree, options: ImportOptions) -> Plan {
    let config_path = jekyll.join("_config.yml");
    let tz_line = site_tree.config_lines.get("timezone").copied().unwrap_or(1);
    let (tz, tz_note) = config::time_zone(&site_tree.config, &config_path, tz_line);
    let site = Site {
        config: &site_tree.config,
        style: config::style(&site_tree.config),
        tz,
        options,
    };
    let mut plan = Plan {
        left_out: site_tree.left_out.clone(),
        notes: site_tree.notes.clone(),
        ..Plan::default()
    };
    plan.notes.extend(tz_note);
    plan.files.push(Planned {
        from: PathBuf::from("_config.yml"),
        to: PathBuf::from("content/_index.md"),
        source: Source::Text(frontmatter::write(&config::settings(site.config))),
    });
    for dir in &site_tree.template_dirs {
        plan.left_out
            .push(files::template_dir_note(&jekyll.join(dir)));
    }
    let collections = config::collections(site.config);
    for entry in &site_tree.files {
        let part = match files::role(&entry.rel, &collections) {
            files::Role::Post(categories) => posts::post(&site, entry, &categories),
            files::Role::Draft => posts::draft(entry),
            files::Role::Data => files::data(entry),
            files::Role::Page(dir) => pages::page(&site, entry, &dir),
            files::Role::Collection(c) => pages::document(&site, entry, c),
            files::Role::Other => files::other(entry),
        };
        plan.add(part);
    }
    let indexes = pages::collection_indexes(&collections, &plan.files, &plan.urls);
    plan.files.extend(indexes);
    plan.left_out.extend(pages::closed_collections(
        jekyll,
        &collections,
        &site_tree.files,
    ));
    drop_clashes(jekyll, &mut plan);
    let report = report::write(&plan, jekyll);
    plan.files.push(Planned {
        from: PathBuf::new(),
        to: PathBuf::from(REPORT),
        source: Source::Text(report),
    });
    plan
}

/// Two Jekyll files that would land on one folio file (a draft and a post
/// of one name, `_pages/about.md` and `about.md`): the first is kept, the
/// next is left out with a note.
fn drop_clashes(jekyll: &Path, plan: &mut Plan) {
    let mut seen = std::collections::HashSet::new();
    let mut dropped = Vec::new();
    plan.files.retain(|f| {
        let fresh = seen.insert(f.to.clone());
        if !fresh {
            dropped.push(f.from.clone());
        }
        fresh
    });
    for from in dropped {
        plan.left_out.push(Diagnostic::file_warning(
            jekyll.join(&from),
            "not imported: another file of the site lands on the same folio file",
        ));
        plan.urls.retain(|m| m.from != from);
    }
}

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// How many files were written (the report included).
    pub files: usize,
    /// How many pages keep their Jekyll URL (published at it, or
    /// redirected from it).
    pub urls: usize,
    /// How many of those are redirects to a folio URL.
    pub redirects: usize,
    /// How many files were left out (each one of `skipped`).
    pub left_out: usize,
    /// Files left out, with the reason, and lenient readings, sorted by
    /// file.
    pub skipped: Vec<Diagnostic>,
    /// The report's path.
    pub report: PathBuf,
}

/// Imports the Jekyll site at `jekyll` into the folio site at `root`:
/// reads it, plans every file, then writes them all, or nothing when any
/// destination exists already.
pub fn import_jekyll(jekyll: &Path, root: &Path, options: ImportOptions) -> Result<Imported> {
    let site_tree = tree::read(jekyll, root)?;
    let plan = plan(jekyll, &site_tree, options);
    write(&plan, root)?;
    Ok(Imported {
        files: plan.files.len(),
        urls: plan.urls.len(),
        redirects: plan.urls.iter().filter(|m| m.redirect).count(),
        left_out: plan.left_out.len(),
        skipped: {
            let mut all = [plan.left_out, plan.notes].concat();
            all.sort_by_key(Diagnostic::sort_key);
            all
        },
        report: root.join(REPORT),
    })
}

/// Writes a plan into the folio site at `root`, refusing (before writing
/// anything) when any destination exists already.
pub(crate) fn write(plan: &Plan, root: &Path) -> Result<()> {
    let existing: Vec<Diagnostic> = plan
        .files
        .iter()
        .filter(|f| root.join(&f.to).exists())
        .map(|f| {
            Diagnostic::file_error(&f.to, "exists already; import-jekyll never overwrites")
                .with_help("import into an empty folder, or move the file away first")
        })
        .collect();
    if !existing.is_empty() {
        return Err(Error::Site(existing));
    }
    for file in &plan.files {
        let dest = root.join(&file.to);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        match &file.source {
            Source::Copy(from) => fs::copy(from, &dest).map(drop),
            Source::Text(text) => fs::write(&dest, text),
        }
        .map_err(|e| Error::io(&dest, e))?;
    }
    Ok(())
}
