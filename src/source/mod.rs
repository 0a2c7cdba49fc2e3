//! Finding content files and reading each one's head: its front matter
//! resolved into a [`Head`] (URL, date, taxonomies), its body left as text.

pub(crate) mod bundles;
pub(crate) mod data;
pub(crate) mod date;
pub(crate) mod frontmatter;
pub(crate) mod listing;
mod mojibake;
mod paths;
pub(crate) mod redirects;
pub(crate) mod templates;
pub(crate) mod theme;
pub(crate) mod walk;

use crate::error::{Diagnostic, LineIndex, Result};
use crate::urls::slugify;
use chrono::{DateTime, FixedOffset};
use frontmatter::RawFrontMatter;
use listing::Listing;
pub(crate) use paths::default_site_path;
use paths::{default_path, default_title, output_file, page_kind, permalink_path};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};

/// What role a page plays in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageKind {
    /// `content/_index.md`: the home page, whose front matter is the site settings.
    Home,
    /// A file under `content/posts/`: dated, listed, in the feed and taxonomies.
    Post,
    /// Any other Markdown file: a standalone page.
    Page,
    /// `content/FOLDER/_index.md`: a section, the list page of the pages
    /// under `FOLDER` (see `site::section`).
    Section,
}

/// What a content file says about itself: its front matter, resolved (its
/// URL, date, taxonomies), before its body is rendered. Built once by
/// [`parse_head`]; a page is this head and its body.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    /// The source file relative to the site root, as shown in messages.
    pub(crate) source: PathBuf,
    /// Home, post or page.
    pub(crate) kind: PageKind,
    /// Title (front matter, else the file's slug).
    pub(crate) title: String,
    /// Slug: front matter `slug`, else from the file name.
    pub(crate) slug: String,
    /// Publication date.
    pub(crate) date: Option<DateTime<FixedOffset>>,
    /// Last change (`last_modified_at`), if given.
    pub(crate) updated: Option<DateTime<FixedOffset>>,
    /// Whether `date` and `updated` were written without an offset (or
    /// came from the file name): read as UTC until [`Head::read_in`] moves
    /// them into the site's `timezone`.
    pub(crate) naive_dates: (bool, bool),
    /// For the home page: the site's `timezone`, when it names a zone.
    pub(crate) timezone: Option<chrono_tz::Tz>,
    /// Author, if given.
    pub(crate) author: Option<String>,
    /// Description, if given.
    pub(crate) description: Option<String>,
    /// Template to render with (`layout`, without `.html`), and its line.
    pub(crate) layout: Option<(String, usize)>,
    /// Categories as written.
    pub(crate) categories: Vec<String>,
    /// Tags as written.
    pub(crate) tags: Vec<String>,
    /// Draft or unpublished.
    pub(crate) draft: bool,
    /// Old addresses that send readers here (`aliases`, `redirect_from`).
    pub(crate) aliases: Vec<redirects::Alias>,
    /// Where this page sends readers instead of showing itself (`redirect_to`).
    pub(crate) redirect_to: Option<redirects::RedirectTo>,
    /// The files beside a bundle's `index.md`, published next to the page.
    pub(crate) assets: Vec<bundles::Asset>,
    /// Extra front matter keys.
    pub(crate) extra: Map<String, Value>,
    /// Site path of the page, without the base: `posts/x/` (or `about.html`).
    pub(crate) path: String,
    /// For the home page: the whole front matter as site settings.
    pub(crate) settings: Map<String, Value>,
    /// List settings (`paginate_by`, `sort_by`, …) and `weight`.
    pub(crate) listing: Listing,
}

impl Head {
    /// The head of a site without `content/_index.md`: an empty home page
    /// titled `title`.
    pub(crate) fn home(title: String) -> Head {
        Head {
            source: PathBuf::from("content/_index.md"),
            kind: PageKind::Home,
            title,
            slug: String::new(),
            date: None,
            updated: None,
            naive_dates: (false, false),
            timezone: None,
            author: None,
            description: None,
            layout: None,
            categories: Vec::new(),
            tags: Vec::new(),
            draft: false,
            aliases: Vec::new(),
            redirect_to: None,
            assets: Vec::new(),
            extra: Map::new(),
            path: String::new(),
            settings: Map::new(),
            listing: Listing::default(),
        }
    }

    /// Moves the dates written without an offset into the site's time
    /// zone `tz` (the wall-clock time kept, the offset `tz`'s on that day).
    pub(crate) fn read_in(&mut self, tz: chrono_tz::Tz) {
        if self.naive_dates.0 {
            self.date = self.date.map(|d| date::in_zone(d, tz));
        }
        if self.naive_dates.1 {
            self.updated = self.updated.map(|d| date::in_zone(d, tz));
        }
        self.naive_dates = (false, false);
    }

    /// Where the page's data files go: its folder (`posts/x/`), or, for a
    /// page written as a file (`2020/01/02/x.html`, Jekyll's dated URLs),
    /// a folder named after that file (`2020/01/02/x/`), so pages that
    /// share a folder never share a data file's name.
    pub(crate) fn data_dir(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            return self.path.clone();
        }
        let stem = self
            .path
            .rsplit_once('.')
            .map_or(self.path.as_str(), |(stem, _)| stem);
        format!("{stem}/")
    }

    /// The file this page is written to, relative to the output folder.
    pub(crate) fn output_file(&self) -> String {
        output_file(&self.path)
    }

    /// Whether this page is written to `404.html`: the site's own 404
    /// page (asked for each page on every rebuild, so it allocates nothing).
    pub(crate) fn is_404_page(&self) -> bool {
        self.path == "404.html"
    }

    /// Where a file of this page's bundle is published: beside the page.
    pub(crate) fn asset_file(&self, asset: &bundles::Asset) -> String {
        format!("{}{}", self.data_dir(), asset.name)
    }
}

/// Lists the Markdown files under `content/`, in a stable order (sorted by
/// name at every level), as paths relative to `root`, with warnings about
/// links and special files skipped (see [`walk`]).
pub(crate) fn discover(root: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>)> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(Diagnostic::file_error(
            "content/",
            format!("no content folder in {}", root.display()),
        )
        .with_help("run folio from the site's root folder, or pass --root DIR")
        .into());
    }
    let walked = walk::files(root, "content")?;
    let files = walked
        .files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf())
        .collect();
    Ok((files, walked.warnings))
}

/// A result that carries its diagnostics either way.
pub(crate) struct Loaded<T> {
    /// The value, if there were no errors.
    pub(crate) item: Option<T>,
    /// Errors and warnings, in file order.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl<T> Loaded<T> {
    fn failed(diagnostic: Diagnostic) -> Self {
        Loaded {
            item: None,
            diagnostics: vec![diagnostic],
        }
    }
}

/// A page whose front matter is resolved and whose body is not rendered
/// yet: rendering needs every page's URL, for links between pages.
#[derive(Debug, Clone)]
pub(crate) struct Unrendered {
    /// The resolved front matter.
    pub(crate) head: Head,
    /// The file's text (without a byte-order mark; lines end in `\n`).
    pub(crate) text: String,
    /// Where the body starts in `text`.
    pub(crate) body_offset: usize,
    /// File line of `date:` (1 when the date comes from the file name).
    pub(crate) date_line: usize,
    /// `excerpt:` as written (Markdown).
    pub(crate) excerpt: Option<String>,
    /// `excerpt_separator:` of this page.
    pub(crate) excerpt_separator: Option<String>,
}

/// Leaves out posts dated after `cutoff`, as Jekyll does without
/// `--future`; each one left out gets a warning, so nothing goes silently.
pub(crate) fn skip_future(
    pages: Vec<Unrendered>,
    cutoff: DateTime<FixedOffset>,
) -> (Vec<Unrendered>, Vec<Diagnostic>) {
    let mut notes = Vec::new();
    let kept = pages
        .into_iter()
        .filter(|u| {
            let future = u.head.kind == PageKind::Post && u.head.date.is_some_and(|d| d > cutoff);
            if future {
                let date = u.head.date.map(|d| d.to_rfc3339()).unwrap_or_default();
                notes.push(
                    Diagnostic::warning(
                        &u.head.source,
                        u.date_line,
                        1,
                        format!("post dated {date}, after the build's time: not published"),
                    )
                    .with_help("build with --future to publish it (the build's time is SOURCE_DATE_EPOCH when set)"),
                );
            }
            !future
        })
        .collect();
    (kept, notes)
}

/// Reads every file and resolves its front matter, in parallel; the result
/// keeps `files`' order. `seen` is shown each file read, as soon as it is.
pub(crate) fn read_all(
    root: &Path,
    files: &[PathBuf],
    seen: &(dyn Fn(&Unrendered) + Sync),
) -> Vec<Loaded<Unrendered>> {
    files
        .par_iter()
        .with_max_len(crate::PAGES_PER_TASK)
        .map(|rel| {
            let loaded = read(root, rel);
            if let Some(u) = &loaded.item {
                seen(u);
            }
            loaded
        })
        .collect()
}

/// Reads one content file and resolves its front matter.
pub(crate) fn read(root: &Path, rel: &Path) -> Loaded<Unrendered> {
    let bytes = match walk::read(&root.join(rel), rel) {
        Ok(b) => b,
        Err(d) => return Loaded::failed(d),
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let mut loaded = parse_head(rel, text);
            if let Some(u) = loaded.item.as_mut() {
                match bundles::assets(root, rel) {
                    Ok(assets) => u.head.assets = assets,
                    Err(d) => return Loaded::failed(d),
                }
            }
            loaded
        }
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, col) = LineIndex::new(valid).locate(valid.len());
            Loaded::failed(
                Diagnostic::error(rel, line, col, "file is not valid UTF-8")
                    .with_help("save the file as UTF-8 in your editor"),
            )
        }
    }
}

/// Splits off and resolves the front matter of a file's text.
pub(crate) fn parse_head(rel: &Path, mut text: String) -> Loaded<Unrendered> {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        // One line ending everywhere (CRLF, old Mac CR, or a mix), so the
        // YAML, the Markdown and every line number see the same lines.
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let mut diagnostics = mojibake::lint_mojibake(rel, &text);
    let item = match parse_front(rel, text, &mut diagnostics) {
        Ok(head) => Some(head),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Loaded { item, diagnostics }
}

/// Resolves the front matter of `text` into the file's head; `text` is
/// kept with it for the body.
fn parse_front(
    rel: &Path,
    text: String,
    diags: &mut Vec<Diagnostic>,
) -> Result<Unrendered, Diagnostic> {
    let split = frontmatter::split(rel, &text)?;
    let body_offset = split.body_offset;
    let kind = page_kind(rel);
    let (mut fm, settings) = match split.yaml {
        Some(yaml) if kind == PageKind::Home => {
            let settings = frontmatter::parse_settings(rel, yaml, split.yaml_line)?;
            (frontmatter::parse(rel, yaml, split.yaml_line)?, settings)
        }
        Some(yaml) => (frontmatter::parse(rel, yaml, split.yaml_line)?, Map::new()),
        None => (RawFrontMatter::default(), Map::new()),
    };
    diags.append(&mut fm.warnings);
    let listing = listing::take(rel, &mut fm)?;
    // A section is named by its folder, and so is a bundle's `index.md`.
    let stem = match kind {
        PageKind::Section => rel
            .parent()
            .and_then(|d| d.file_name())
            .and_then(|s| s.to_str()),
        _ => bundles::page_name(rel),
    };
    let stem = stem.unwrap_or("page");
    let (file_date, file_slug) = date::split_file_name(stem);
    let slug = slugify(fm.slug.as_deref().unwrap_or(file_slug));
    // Each date, and whether it was written without an offset.
    let mut read_date = |key: &str, written: &Option<String>, instead: &str| {
        let written = written.as_deref()?;
        let parsed = date::parse_with_offset(written).map(|(d, offset)| (d, !offset));
        if parsed.is_none() {
            diags.push(
                Diagnostic::warning(
                    rel,
                    fm.line_of(key),
                    1,
                    format!("`{key}: {written}` is not a date folio understands; {instead}"),
                )
                .with_help("write dates as 2024-05-01 or 2024-05-01 10:00:00 +0200"),
            );
        }
        parsed
    };
    let (date, naive_date) = read_date("date", &fm.date, "using the file name's date")
        .or(file_date.map(|d| (d, true)))
        .unzip();
    let (updated, naive_updated) =
        read_date("last_modified_at", &fm.last_modified_at, "it is ignored").unzip();
    let naive_dates = (naive_date.unwrap_or(false), naive_updated.unwrap_or(false));
    let timezone = match settings.get("timezone") {
        Some(value) if kind == PageKind::Home => {
            let zone = value.as_str().and_then(|name| name.parse().ok());
            if zone.is_none() {
                // A number (`+2`) or a list is not a zone's name either.
                let what = match value {
                    Value::String(name) => format!("`timezone: {name}` is not a time zone"),
                    Value::Number(n) => {
                        format!("`timezone` is the number {n}, not a time zone's name")
                    }
                    _ => "`timezone` is not a time zone's name".to_string(),
                };
                diags.push(
                    Diagnostic::warning(
                        rel,
                        fm.line_of("timezone"),
                        1,
                        format!("{what}; dates without an offset are read as UTC"),
                    )
                    .with_help("write an IANA name such as Europe/Berlin"),
                );
            }
            zone
        }
        _ => None,
    };
    let date_line = if fm.date.is_some() {
        fm.line_of("date")
    } else {
        1
    };
    let path = match &fm.permalink {
        Some(p) => permalink_path(p, &slug, date.as_ref(), &fm.categories)
            .map_err(|msg| Diagnostic::error(rel, fm.line_of("permalink"), 1, msg))?,
        None => default_path(kind, bundles::folder_of(rel).unwrap_or(rel), &slug),
    };
    if kind == PageKind::Section && !(path.is_empty() || path.ends_with('/')) {
        return Err(Diagnostic::error(
            rel,
            fm.line_of("permalink"),
            1,
            format!("a section's permalink must be a folder, such as `/{path}/`"),
        ));
    }
    let aliases = fm
        .aliases
        .iter()
        .map(|(written, line)| redirects::alias(rel, written, *line))
        .collect::<Result<Vec<_>, _>>()?;
    let redirect_to = fm
        .redirect_to
        .as_deref()
        .map(|written| redirects::redirect_to(rel, written, fm.line_of("redirect_to")))
        .transpose()?;
    if redirect_to.is_some() && kind == PageKind::Home {
        return Err(Diagnostic::error(
            rel,
            fm.line_of("redirect_to"),
            1,
            "the home page cannot be a redirect",
        )
        .with_help("remove `redirect_to`, or set it on another page"));
    }
    if fm.title.is_none() && kind != PageKind::Home {
        diags.push(
            Diagnostic::warning(rel, 1, 1, "no `title`: the file name is used as the title")
                .with_help("add `title: …` to the front matter"),
        );
    }
    let head = Head {
        source: rel.to_path_buf(),
        kind,
        title: fm
            .title
            .clone()
            .unwrap_or_else(|| default_title(kind, file_slug)),
        slug,
        date,
        updated,
        naive_dates,
        timezone,
        author: fm.author,
        description: fm.description,
        layout: fm
            .layout
            .map(|l| (l, *fm.lines.get("layout").unwrap_or(&1))),
        categories: fm.categories,
        tags: fm.tags,
        draft: fm.draft,
        aliases,
        redirect_to,
        assets: Vec::new(),
        extra: fm.extra,
        path,
        settings,
        listing,
    };
    Ok(Unrendered {
        head,
        text,
        body_offset,
        date_line,
        excerpt: fm.excerpt,
        excerpt_separator: fm.excerpt_separator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, text: &str) -> Head {
        let loaded = parse_head(Path::new(rel), text.into());
        loaded
            .item
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
            .head
    }

    #[test]
    fn jekyll_file_name_gives_date_and_slug() {
        let p = page(
            "content/posts/2019-08-20-hello-world.md",
            "---\ntitle: Hi\n---\nx\n",
        );
        assert_eq!(p.slug, "hello-world");
        assert_eq!(p.path, "posts/hello-world/");
        assert_eq!(p.date.unwrap().format("%Y-%m-%d").to_string(), "2019-08-20");
        assert_eq!(p.kind, PageKind::Post);
    }

    #[test]
    fn front_matter_date_wins_over_file_name() {
        let p = page(
            "content/posts/2019-08-20-x.md",
            "---\ndate: 2016-03-09 10:00:00 -0700\n---\n",
        );
        assert_eq!(p.date.unwrap().to_rfc3339(), "2016-03-09T10:00:00-07:00");
    }

    #[test]
    fn untitled_posts_are_titled_from_the_slug_as_in_jekyll() {
        let p = page("content/posts/2009-09-05-edge-case-no-yaml-title.md", "x\n");
        assert_eq!(p.title, "Edge Case No Yaml Title");
    }

    #[test]
    fn last_modified_at_is_read_like_date() {
        let p = page(
            "content/posts/2019-08-20-x.md",
            "---\nlast_modified_at: 2016-03-09T16:20:02-05:00\n---\n",
        );
        assert_eq!(p.updated.unwrap().to_rfc3339(), "2016-03-09T16:20:02-05:00");
        let loaded = parse_head(
            Path::new("content/posts/x.md"),
            "---\ntitle: t\nlast_modified_at: soon\n---\n".into(),
        );
        assert_eq!(loaded.diagnostics[0].line, Some(3));
        assert!(loaded.item.unwrap().head.updated.is_none());
    }

    #[test]
    fn future_posts_are_left_out_with_a_warning_at_the_date_line() {
        let head = |rel: &str, text: &str| parse_head(Path::new(rel), text.into()).item.unwrap();
        let cutoff = date::parse("2020-01-01").unwrap();
        let (kept, notes) = skip_future(
            vec![
                head("content/posts/2019-12-31-past.md", "x\n"),
                head(
                    "content/posts/soon.md",
                    "---\ntitle: s\ndate: 2020-01-02\n---\n",
                ),
                head("content/about.md", "---\ndate: 2030-01-01\n---\n"),
            ],
            cutoff,
        );
        assert_eq!(kept.len(), 2, "pages are never held back");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].line, Some(3));
        assert!(notes[0].message.contains("not published"));
    }

    #[test]
    fn bad_date_warns_and_falls_back() {
        let loaded = parse_head(
            Path::new("content/posts/2019-08-20-x.md"),
            "---\ntitle: t\ndate: yesterday\n---\n".into(),
        );
        let d = &loaded.diagnostics[0];
        assert_eq!(d.line, Some(3));
        assert!(!d.is_error());
        assert_eq!(
            loaded
                .item
                .unwrap()
                .head
                .date
                .unwrap()
                .format("%F")
                .to_string(),
            "2019-08-20"
        );
    }

    #[test]
    fn data_files_go_in_the_page_s_own_folder() {
        let head = |permalink: &str| {
            page(
                "content/posts/x.md",
                &format!("---\ntitle: t\npermalink: {permalink}\n---\n"),
            )
        };
        assert_eq!(head("/posts/x/").data_dir(), "posts/x/");
        assert_eq!(head("/2020/01/02/x.html").data_dir(), "2020/01/02/x/");
        assert_eq!(head("/about.html").data_dir(), "about/");
    }

    #[test]
    fn pages_outside_posts_get_their_folder_path() {
        let p = page("content/docs/Getting Started.md", "# hi\n");
        assert_eq!(p.kind, PageKind::Page);
        assert_eq!(p.path, "docs/getting-started/");
        assert_eq!(p.title, "Getting Started");
    }
}
