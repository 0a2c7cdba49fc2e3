//! Finding content files and turning each into a [`Page`].

pub mod date;
pub mod frontmatter;
pub mod links;

use crate::error::{Diagnostic, LineIndex, Result};
use crate::liquid::{self, Include, Includes};
use crate::markdown::{self, Block, Heading, Link};
use crate::tables::{self, Table};
use crate::text;
use crate::walk;
use chrono::{DateTime, FixedOffset};
use frontmatter::RawFrontMatter;
pub use links::Links;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What role a page plays in the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/_index.md`: the home page, whose front matter is the site settings.
    Home,
    /// A file under `content/posts/`: dated, listed, in the feed and taxonomies.
    Post,
    /// Any other Markdown file: a standalone page.
    Page,
}

/// A content file, parsed and resolved. Nothing here is mutated after load.
#[derive(Debug, Clone)]
pub struct Page {
    /// The source file relative to the site root, as shown in messages.
    pub source: PathBuf,
    /// Home, post or page.
    pub kind: PageKind,
    /// Title (front matter, else the file's slug).
    pub title: String,
    /// Slug: front matter `slug`, else from the file name.
    pub slug: String,
    /// Publication date.
    pub date: Option<DateTime<FixedOffset>>,
    /// Last change (`last_modified_at`), if given.
    pub updated: Option<DateTime<FixedOffset>>,
    /// Author, if given.
    pub author: Option<String>,
    /// Description, if given.
    pub description: Option<String>,
    /// Template to render with (`layout`, without `.html`), and its line.
    pub layout: Option<(String, usize)>,
    /// Categories as written.
    pub categories: Vec<String>,
    /// Tags as written.
    pub tags: Vec<String>,
    /// Draft or unpublished.
    pub draft: bool,
    /// Extra front matter keys.
    pub extra: Map<String, Value>,
    /// Site path of the page, without the base: `posts/x/` (or `about.html`).
    pub path: String,
    /// Body pieces: HTML and table places.
    pub blocks: Vec<Block>,
    /// Tables as data.
    pub tables: Vec<Table>,
    /// `{% include %}`s, indexed by [`Block::Include`].
    pub includes: Vec<Include>,
    /// Headings with ids.
    pub headings: Vec<Heading>,
    /// Links written in the body.
    pub links: Vec<Link>,
    /// HTML of the excerpt: `excerpt:` from the front matter, else the body
    /// up to the excerpt separator, else the first paragraph.
    pub excerpt: String,
    /// Plain text of the excerpt.
    pub summary: String,
    /// Words in the body.
    pub word_count: usize,
    /// For the home page: the whole front matter as site settings.
    pub settings: Map<String, Value>,
}

impl Page {
    /// The file this page is written to, relative to the output folder.
    pub fn output_file(&self) -> String {
        if self.path.is_empty() || self.path.ends_with('/') {
            format!("{}index.html", self.path)
        } else {
            self.path.clone()
        }
    }
}

/// Lists the Markdown files under `content/`, in a stable order (sorted by
/// name at every level), as paths relative to `root`, with warnings about
/// links and special files skipped (see [`crate::walk`]).
pub fn discover(root: &Path) -> Result<(Vec<PathBuf>, Vec<Diagnostic>)> {
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
pub struct Loaded<T> {
    /// The value, if there were no errors.
    pub item: Option<T>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
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
pub struct Unrendered {
    /// The page, with empty body fields.
    pub page: Page,
    /// The file's text (without a byte-order mark; lines end in `\n`).
    pub text: String,
    /// Where the body starts in `text`.
    pub body_offset: usize,
    /// File line of `date:` (1 when the date comes from the file name).
    pub date_line: usize,
    /// `excerpt:` as written (Markdown).
    pub excerpt: Option<String>,
    /// `excerpt_separator:` of this page.
    pub excerpt_separator: Option<String>,
}

/// What rendering a body needs to know about the rest of the site.
#[derive(Debug, Clone, Default)]
pub struct BodyContext {
    /// Every page's URL.
    pub links: Links,
    /// Templates a `{% include %}` may name.
    pub includes: Includes,
    /// The site-wide `excerpt_separator` (from `content/_index.md`).
    pub excerpt_separator: Option<String>,
}

/// Leaves out posts dated after `cutoff`, as Jekyll does without
/// `--future`; each one left out gets a warning, so nothing goes silently.
pub fn skip_future(
    pages: Vec<Unrendered>,
    cutoff: DateTime<FixedOffset>,
) -> (Vec<Unrendered>, Vec<Diagnostic>) {
    let mut notes = Vec::new();
    let kept = pages
        .into_iter()
        .filter(|u| {
            let future = u.page.kind == PageKind::Post && u.page.date.is_some_and(|d| d > cutoff);
            if future {
                let date = u.page.date.map(|d| d.to_rfc3339()).unwrap_or_default();
                notes.push(
                    Diagnostic::warning(
                        &u.page.source,
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
/// keeps `files`' order.
pub fn read_all(root: &Path, files: &[PathBuf]) -> Vec<Loaded<Unrendered>> {
    files.par_iter().map(|rel| read(root, rel)).collect()
}

/// Renders every body, in parallel, resolving links with `ctx.links`.
pub fn render_all(pages: Vec<Unrendered>, ctx: &BodyContext) -> Vec<Loaded<Page>> {
    pages.into_par_iter().map(|u| render_body(u, ctx)).collect()
}

/// Reads one content file and resolves its front matter.
pub fn read(root: &Path, rel: &Path) -> Loaded<Unrendered> {
    let bytes = match walk::read(&root.join(rel), rel) {
        Ok(b) => b,
        Err(d) => return Loaded::failed(d),
    };
    match String::from_utf8(bytes) {
        Ok(text) => parse_head(rel, text),
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

/// Parses a whole content file on its own (links to other pages are left
/// as written). Used by tests and tools that look at one file.
pub fn parse_page(rel: &Path, text: &str) -> Loaded<Page> {
    let head = parse_head(rel, text.to_string());
    match head.item {
        Some(u) => {
            let mut body = render_body(u, &BodyContext::default());
            let mut diagnostics = head.diagnostics;
            diagnostics.append(&mut body.diagnostics);
            diagnostics.sort_by_key(Diagnostic::sort_key);
            Loaded {
                item: body.item,
                diagnostics,
            }
        }
        None => Loaded {
            item: None,
            diagnostics: head.diagnostics,
        },
    }
}

/// Splits off and resolves the front matter of a file's text.
pub fn parse_head(rel: &Path, mut text: String) -> Loaded<Unrendered> {
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        // One line ending everywhere (CRLF, old Mac CR, or a mix), so the
        // YAML, the Markdown and every line number see the same lines.
        text = text.replace("\r\n", "\n").replace('\r', "\n");
    }
    let mut diagnostics = text::lint_mojibake(rel, &text);
    let item = match parse_front(rel, &text, &mut diagnostics) {
        Ok(head) => Some(Unrendered { text, ..head }),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Loaded { item, diagnostics }
}

/// Renders the body of a page whose front matter is resolved: Jekyll's
/// Liquid first (see [`liquid`]), then Markdown.
pub fn render_body(u: Unrendered, ctx: &BodyContext) -> Loaded<Page> {
    let Unrendered {
        mut page,
        text,
        body_offset,
        excerpt,
        excerpt_separator,
        ..
    } = u;
    let rel = page.source.clone();
    let env = liquid::Env {
        links: &ctx.links,
        includes: &ctx.includes,
    };
    let expanded = liquid::expand(&rel, &text, body_offset, &env);
    let mut diagnostics = expanded.diagnostics;
    let text = expanded.text;
    let body = &text[body_offset..];
    let index = LineIndex::new(&text);
    let rewrite = |dest: &str| ctx.links.resolve(&rel, dest);
    let rendered = markdown::render(body, body_offset, &index, &rewrite);
    let separator = excerpt_separator
        .or_else(|| ctx.excerpt_separator.clone())
        .filter(|s| !s.is_empty());
    let (excerpt_html, excerpt_text) = match (excerpt, separator) {
        (Some(written), _) => markdown::render_fragment(&written, &rewrite),
        (None, Some(sep)) if body.contains(&sep) => {
            let cut = body.find(&sep).unwrap_or(body.len());
            markdown::render_fragment(&body[..cut], &rewrite)
        }
        _ => (
            rendered.first_paragraph_html.clone(),
            rendered.first_paragraph_text.clone(),
        ),
    };
    let mut names = HashMap::new();
    let mut tables = Vec::with_capacity(rendered.tables.len());
    for raw in &rendered.tables {
        let (table, found) = tables::build(&rel, raw, &mut names);
        diagnostics.extend(found);
        tables.push(table);
    }
    lint_body(&page, &rendered, &ctx.links, &mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    page.blocks = rendered.blocks;
    page.tables = tables;
    page.headings = rendered.headings;
    page.links = rendered.links;
    page.includes = expanded.includes;
    page.excerpt = excerpt_html;
    page.summary = excerpt_text;
    page.word_count = rendered.word_count;
    Loaded {
        item: (!failed).then_some(page),
        diagnostics,
    }
}

/// Content lint of a rendered body: skipped heading levels and links to
/// local files that nothing publishes.
fn lint_body(page: &Page, rendered: &markdown::Rendered, links: &Links, out: &mut Vec<Diagnostic>) {
    // Templates show the title as the page's h1, so the body starts at h2.
    let mut previous = 1;
    for h in &rendered.headings {
        if h.level > previous + 1 {
            out.push(
                Diagnostic::warning(
                    &page.source,
                    h.line,
                    1,
                    format!(
                        "heading level skipped: \"{}\" is h{} after h{previous}",
                        h.text, h.level
                    ),
                )
                .with_help(format!(
                    "make it {} (the page title is the h1)",
                    "#".repeat(usize::from(previous) + 1)
                )),
            );
        }
        previous = h.level;
    }
    for link in &rendered.links {
        if let Some(missing) = links.missing_file(&page.path, &link.dest) {
            out.push(
                Diagnostic::warning(
                    &page.source,
                    link.line,
                    link.col,
                    format!(
                        "`{}` links to a file that does not exist: nothing publishes /{missing}",
                        link.dest
                    ),
                )
                .with_help(format!("put the file at static/{missing}")),
            );
        }
    }
}

/// Resolves the front matter into a page with an empty body; the returned
/// head's `text` is left empty for the caller to fill.
fn parse_front(
    rel: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Unrendered, Diagnostic> {
    let split = frontmatter::split(rel, text)?;
    let is_home = rel.file_name().is_some_and(|n| n == "_index.md");
    let (fm, settings) = match split.yaml {
        Some(yaml) if is_home => {
            let settings = frontmatter::parse_settings(rel, yaml, split.yaml_line)?;
            (frontmatter::parse(rel, yaml, split.yaml_line)?, settings)
        }
        Some(yaml) => (frontmatter::parse(rel, yaml, split.yaml_line)?, Map::new()),
        None => (RawFrontMatter::default(), Map::new()),
    };

    let in_posts = rel
        .strip_prefix("content")
        .ok()
        .and_then(|p| p.components().next())
        .is_some_and(|c| c.as_os_str() == "posts");
    let kind = if is_home {
        PageKind::Home
    } else if in_posts {
        PageKind::Post
    } else {
        PageKind::Page
    };

    let stem = rel.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    let (file_date, file_slug) = date::split_file_name(stem);
    let slug = fm
        .slug
        .as_deref()
        .map(text::slugify)
        .unwrap_or_else(|| text::slugify(file_slug));

    let mut read_date = |key: &str, written: &Option<String>, instead: &str| {
        let written = written.as_deref()?;
        let parsed = date::parse(written);
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
    let date = read_date("date", &fm.date, "using the file name's date").or(file_date);
    let updated = read_date("last_modified_at", &fm.last_modified_at, "it is ignored");
    let date_line = if fm.date.is_some() {
        fm.line_of("date")
    } else {
        1
    };

    let path = match &fm.permalink {
        Some(p) => permalink_path(p, &slug, date.as_ref(), &fm.categories)
            .map_err(|msg| Diagnostic::error(rel, fm.line_of("permalink"), 1, msg))?,
        None => match kind {
            PageKind::Home => String::new(),
            PageKind::Post => format!("posts/{slug}/"),
            PageKind::Page => {
                let dir = rel.parent().and_then(|p| p.strip_prefix("content").ok());
                let dir: Vec<String> = dir
                    .into_iter()
                    .flat_map(|d| d.components())
                    .map(|c| text::slugify(&c.as_os_str().to_string_lossy()))
                    .collect();
                let mut path = dir.join("/");
                if !path.is_empty() {
                    path.push('/');
                }
                format!("{path}{slug}/")
            }
        },
    };

    if fm.title.is_none() && kind != PageKind::Home {
        diags.push(
            Diagnostic::warning(rel, 1, 1, "no `title`: the file name is used as the title")
                .with_help("add `title: …` to the front matter"),
        );
    }
    let title = fm.title.clone().unwrap_or_else(|| {
        match kind {
            PageKind::Home => String::new(),
            // Jekyll titles an untitled post from its slug, word by word.
            PageKind::Post => file_slug
                .split('-')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut chars = w.chars();
                    chars.next().map_or_else(String::new, |c| {
                        c.to_uppercase().chain(chars).collect::<String>()
                    })
                })
                .collect::<Vec<_>>()
                .join(" "),
            PageKind::Page => file_slug.replace('-', " "),
        }
    });
    let page = Page {
        source: rel.to_path_buf(),
        kind,
        title,
        slug,
        date,
        updated,
        author: fm.author,
        description: fm.description,
        layout: fm
            .layout
            .map(|l| (l, *fm.lines.get("layout").unwrap_or(&1))),
        categories: fm.categories,
        tags: fm.tags,
        draft: fm.draft,
        extra: fm.extra,
        path,
        blocks: Vec::new(),
        tables: Vec::new(),
        includes: Vec::new(),
        headings: Vec::new(),
        links: Vec::new(),
        excerpt: String::new(),
        summary: String::new(),
        word_count: 0,
        settings,
    };
    Ok(Unrendered {
        page,
        text: String::new(),
        body_offset: split.body_offset,
        date_line,
        excerpt: fm.excerpt,
        excerpt_separator: fm.excerpt_separator,
    })
}

/// Resolves a `permalink` into a site path. Jekyll's placeholders `:year`,
/// `:month`, `:day`, `:title`, `:slug` and `:categories` are filled in.
/// The result never leaves the output folder.
fn permalink_path(
    written: &str,
    slug: &str,
    date: Option<&DateTime<FixedOffset>>,
    categories: &[String],
) -> Result<String, String> {
    let mut path = written.to_string();
    let cats: Vec<String> = categories.iter().map(|c| text::slugify(c)).collect();
    let fill = [
        (":categories", cats.join("/")),
        (":title", slug.to_string()),
        (":slug", slug.to_string()),
        (
            ":year",
            date.map(|d| d.format("%Y").to_string()).unwrap_or_default(),
        ),
        (
            ":month",
            date.map(|d| d.format("%m").to_string()).unwrap_or_default(),
        ),
        (
            ":day",
            date.map(|d| d.format("%d").to_string()).unwrap_or_default(),
        ),
    ];
    for (key, value) in fill {
        path = path.replace(key, &value);
    }
    let unsafe_part = path.contains(['\\', '?', '#', '\0'])
        || path.to_ascii_lowercase().contains("%2e")
        || path.split('/').any(|s| s == ".." || s == ".");
    if unsafe_part || path.contains("://") {
        return Err(format!(
            "permalink `{written}` must be a plain path inside the site (no `..`, `\\`, query or scheme)"
        ));
    }
    let trimmed: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let mut path = trimmed.join("/");
    let is_file = trimmed.last().is_some_and(|s| s.contains('.'));
    if !is_file && !path.is_empty() {
        path.push('/');
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, text: &str) -> Page {
        let loaded = parse_page(Path::new(rel), text);
        loaded
            .item
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
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
        let loaded = parse_page(
            Path::new("content/posts/x.md"),
            "---\ntitle: t\nlast_modified_at: soon\n---\n",
        );
        assert_eq!(loaded.diagnostics[0].line, Some(3));
        assert!(loaded.item.unwrap().updated.is_none());
    }

    #[test]
    fn excerpts_come_from_front_matter_separator_or_first_paragraph() {
        let first = page("content/posts/a.md", "One.\n\nTwo.\n");
        assert_eq!(first.excerpt, "<p>One.</p>\n");
        let cut = page(
            "content/posts/a.md",
            "---\nexcerpt_separator: <!--more-->\n---\nOne.\n\nTwo.\n<!--more-->\nThree.\n",
        );
        assert_eq!(cut.excerpt, "<p>One.</p>\n<p>Two.</p>\n");
        assert_eq!(cut.summary, "One. Two.");
        let written = page(
            "content/posts/a.md",
            "---\nexcerpt: \"Mine, *really*.\"\nexcerpt_separator: <!--more-->\n---\nOne.\n<!--more-->\n",
        );
        assert_eq!(written.excerpt, "<p>Mine, <em>really</em>.</p>\n");
        assert!(!written.extra.contains_key("excerpt"));
    }

    #[test]
    fn site_wide_separator_applies_and_a_missing_one_falls_back() {
        let ctx = BodyContext {
            excerpt_separator: Some("<!--more-->".into()),
            ..BodyContext::default()
        };
        let head = |text: &str| {
            parse_head(Path::new("content/posts/a.md"), text.into())
                .item
                .unwrap()
        };
        let cut = render_body(head("A.\n\nB.\n<!--more-->\nC.\n"), &ctx)
            .item
            .unwrap();
        assert_eq!(cut.summary, "A. B.");
        let whole = render_body(head("A.\n\nB.\n"), &ctx).item.unwrap();
        assert_eq!(whole.summary, "A.");
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
        let loaded = parse_page(
            Path::new("content/posts/2019-08-20-x.md"),
            "---\ntitle: t\ndate: yesterday\n---\n",
        );
        let d = &loaded.diagnostics[0];
        assert_eq!(d.line, Some(3));
        assert!(!d.is_error());
        assert_eq!(
            loaded.item.unwrap().date.unwrap().format("%F").to_string(),
            "2019-08-20"
        );
    }

    #[test]
    fn permalinks_fill_placeholders_and_stay_inside() {
        let d = date::parse("2020-01-02").unwrap();
        assert_eq!(
            permalink_path("/:categories/:year/:title/", "s", Some(&d), &["A B".into()]).unwrap(),
            "a-b/2020/s/"
        );
        assert_eq!(
            permalink_path("/about.html", "s", None, &[]).unwrap(),
            "about.html"
        );
        assert!(permalink_path("/../etc/", "s", None, &[]).is_err());
        assert!(permalink_path("/%2e%2e/x/", "s", None, &[]).is_err());
        assert!(permalink_path("a\\b", "s", None, &[]).is_err());
    }

    #[test]
    fn pages_outside_posts_get_their_folder_path() {
        let p = page("content/docs/Getting Started.md", "# hi\n");
        assert_eq!(p.kind, PageKind::Page);
        assert_eq!(p.path, "docs/getting-started/");
        assert_eq!(p.title, "Getting Started");
    }

    #[test]
    fn byte_order_mark_and_crlf_are_fine() {
        let p = page(
            "content/posts/a.md",
            "\u{feff}---\r\ntitle: T\r\n---\r\n| A |\r\n|---|\r\n| 1 |\r\n",
        );
        assert_eq!(p.title, "T");
        assert_eq!(p.tables[0].records.len(), 1);
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        let text = "---\rtitle: T\r\n---\rText\n\r| Port |\r|---|\r| abc |\r";
        let path = Path::new("content/posts/a.md");
        let head = parse_head(path, text.to_string());
        assert_eq!(head.item.unwrap().page.title, "T");
        let errors = parse_page(path, text).diagnostics;
        assert_eq!(
            (errors[0].line, errors[0].col),
            (Some(8), Some(3)),
            "{errors:?}"
        );
    }
}
