//! Finding content files and turning each into a [`Page`].

pub mod date;
pub mod frontmatter;
pub mod links;

use crate::error::{Diagnostic, LineIndex, Result};
use crate::markdown::{self, Block, Heading, Link};
use crate::tables::{self, Table};
use crate::text;
use crate::walk;
use chrono::{DateTime, FixedOffset};
use frontmatter::RawFrontMatter;
pub use links::Links;
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::collections::HashSet;
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
    /// Headings with ids.
    pub headings: Vec<Heading>,
    /// Links written in the body.
    pub links: Vec<Link>,
    /// HTML of the first paragraph.
    pub excerpt: String,
    /// Plain text of the first paragraph.
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
}

/// Reads every file and resolves its front matter, in parallel; the result
/// keeps `files`' order.
pub fn read_all(root: &Path, files: &[PathBuf]) -> Vec<Loaded<Unrendered>> {
    files.par_iter().map(|rel| read(root, rel)).collect()
}

/// Renders every body, in parallel, resolving links with `links`.
pub fn render_all(pages: Vec<Unrendered>, links: &Links) -> Vec<Loaded<Page>> {
    pages
        .into_par_iter()
        .map(|u| render_body(u, links))
        .collect()
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
            let mut body = render_body(u, &Links::default());
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
        Ok((page, body_offset)) => Some(Unrendered {
            page,
            text,
            body_offset,
        }),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    };
    diagnostics.sort_by_key(Diagnostic::sort_key);
    Loaded { item, diagnostics }
}

/// Renders the body of a page whose front matter is resolved.
pub fn render_body(u: Unrendered, links: &Links) -> Loaded<Page> {
    let Unrendered {
        mut page,
        text,
        body_offset,
    } = u;
    let rel = page.source.clone();
    let index = LineIndex::new(&text);
    let rewrite = |dest: &str| links.resolve(&rel, dest);
    let rendered = markdown::render(&text[body_offset..], body_offset, &index, &rewrite);
    let mut names = HashSet::new();
    let mut diagnostics = Vec::new();
    let mut tables = Vec::with_capacity(rendered.tables.len());
    for raw in &rendered.tables {
        let (table, found) = tables::build(&rel, raw, &mut names);
        diagnostics.extend(found);
        tables.push(table);
    }
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    page.blocks = rendered.blocks;
    page.tables = tables;
    page.headings = rendered.headings;
    page.links = rendered.links;
    page.excerpt = rendered.first_paragraph_html;
    page.summary = rendered.first_paragraph_text;
    page.word_count = rendered.word_count;
    Loaded {
        item: (!failed).then_some(page),
        diagnostics,
    }
}

fn parse_front(
    rel: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<(Page, usize), Diagnostic> {
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

    let date = match &fm.date {
        Some(written) => match date::parse(written) {
            Some(d) => Some(d),
            None => {
                diags.push(
                    Diagnostic::warning(
                        rel,
                        fm.line_of("date"),
                        1,
                        format!("`date: {written}` is not a date folio understands; using the file name's date"),
                    )
                    .with_help("write dates as 2024-05-01 or 2024-05-01 10:00:00 +0200"),
                );
                file_date
            }
        },
        None => file_date,
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

    let title = fm.title.clone().unwrap_or_else(|| {
        if kind == PageKind::Home {
            String::new()
        } else {
            file_slug.replace('-', " ")
        }
    });
    let page = Page {
        source: rel.to_path_buf(),
        kind,
        title,
        slug,
        date,
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
        headings: Vec::new(),
        links: Vec::new(),
        excerpt: String::new(),
        summary: String::new(),
        word_count: 0,
        settings,
    };
    Ok((page, split.body_offset))
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
