//! Bodies: a page's Markdown (after its Liquid, where it runs) rendered to
//! HTML pieces, tables as data, headings, links and the excerpt; every
//! position named in the file as written.

pub(crate) mod highlight;
mod kramdown;
pub(crate) mod links;
pub(crate) mod liquid;
pub(crate) mod markdown;
mod offsets;
pub(crate) mod tables;

use crate::error::{Diagnostic, LineIndex};
use crate::source::data::{Data, DataFile};
use crate::source::{Head, Loaded, Unrendered, bundles};
pub(crate) use links::Links;
use liquid::{Engine, Include, Includes};
use markdown::{Block, Heading, Link};
use offsets::OffsetMap;
use serde_json::{Map, Value};
use std::collections::HashMap;
use tables::Table;

/// A page's rendered body: built once from its head and text by [`render`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Body {
    /// Body pieces: HTML and table places.
    pub(crate) blocks: Vec<Block>,
    /// Tables as data.
    pub(crate) tables: Vec<Table>,
    /// `{% include %}`s, indexed by [`Block::Include`].
    pub(crate) includes: Vec<Include>,
    /// Headings with ids.
    pub(crate) headings: Vec<Heading>,
    /// Links written in the body.
    pub(crate) links: Vec<Link>,
    /// HTML of the excerpt: `excerpt:` from the front matter, else the body
    /// up to the excerpt separator, else the first paragraph.
    pub(crate) excerpt: String,
    /// Plain text of the excerpt.
    pub(crate) summary: String,
    /// Words in the body.
    pub(crate) word_count: usize,
}

/// The site's data files as `site.data`: each file's value by its name,
/// nested in an object per folder, CSV typed as a Markdown table is;
/// errors and warnings of the typing.
pub(crate) fn data_values(files: Vec<DataFile>) -> (Map<String, Value>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let mut values = Map::new();
    for file in files {
        let value = match file.data {
            Data::Value(value) => value,
            Data::Csv(rows) => {
                let (records, found) = tables::csv_records(&file.source, &rows);
                diagnostics.extend(found);
                records
            }
        };
        insert_at(&mut values, &file.keys, value);
    }
    (values, diagnostics)
}

/// Puts `value` at `keys` in nested objects, making the folders' objects
/// on the way (a clash of a file and a folder was refused when read).
fn insert_at(values: &mut Map<String, Value>, keys: &[String], value: Value) {
    let Some((last, folders)) = keys.split_last() else {
        return;
    };
    let mut at = values;
    for folder in folders {
        let entry = at
            .entry(folder.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(inner) = entry else {
            return;
        };
        at = inner;
    }
    at.insert(last.clone(), value);
}

/// What rendering a body needs to know about the rest of the site.
#[derive(Debug, Clone, Default)]
pub(crate) struct BodyContext {
    /// Every page's URL.
    pub(crate) links: Links,
    /// Templates a `{% include %}` may name.
    pub(crate) includes: Includes,
    /// Liquid, when some page runs it (see [`liquid::Engine::runs_on`]).
    pub(crate) liquid: Option<Engine>,
    /// The site-wide `excerpt_separator` (from `content/_index.md`).
    pub(crate) excerpt_separator: Option<String>,
}

/// Escapes text for HTML content and double-quoted attributes (a code
/// block's text, a heading id written as `{#id}`, which may hold any
/// character but a space).
pub(crate) fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_html`] does.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// Renders the body of a page whose front matter is resolved: Liquid first
/// where it runs (see [`liquid`]), kramdown's attribute lists removed, then
/// Markdown.
pub(crate) fn render(u: &Unrendered, ctx: &BodyContext) -> Loaded<Body> {
    let Unrendered {
        head,
        body_offset,
        excerpt,
        excerpt_separator,
        ..
    } = u;
    let body_offset = *body_offset;
    let rel = &head.source;
    let (text, mut diagnostics, includes, back) = prepare(u, ctx);
    let body = &text[body_offset..];
    let index = LineIndex::new(&text);
    let rewrite = |dest: &str| ctx.links.resolve(rel, dest);
    let written = back.changed().then(|| LineIndex::new(&u.text));
    let written_at = |at: usize| back.original(at);
    let origin = written.as_ref().map(|index| markdown::Origin {
        index,
        offset: &written_at,
    });
    let rendered = markdown::render_from(body, body_offset, &index, origin.as_ref(), &rewrite);
    let separator = excerpt_separator
        .as_ref()
        .or(ctx.excerpt_separator.as_ref())
        .filter(|s| !s.is_empty());
    let (excerpt_html, excerpt_text) = match (excerpt, separator) {
        (Some(written), _) => markdown::render_fragment(written, &rewrite),
        (None, Some(sep)) if body.contains(sep.as_str()) => {
            let cut = body.find(sep.as_str()).unwrap_or(body.len());
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
        let (table, found) = tables::build(rel, raw, &mut names);
        diagnostics.extend(found);
        tables.push(table);
    }
    lint(head, &rendered, &ctx.links, &mut diagnostics);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    let body = Body {
        blocks: rendered.blocks,
        tables,
        includes,
        headings: rendered.headings,
        links: rendered.links,
        excerpt: excerpt_html,
        summary: excerpt_text,
        word_count: rendered.word_count,
    };
    Loaded {
        item: (!failed).then_some(body),
        diagnostics,
    }
}

/// The way back from the text Markdown reads to the file as written:
/// through the removed attribute lists, then through Liquid.
struct Back {
    body_offset: usize,
    stripped: Option<OffsetMap>,
    liquid: Option<OffsetMap>,
}

impl Back {
    /// Whether the text differs from the file at all.
    fn changed(&self) -> bool {
        self.stripped.is_some() || self.liquid.is_some()
    }

    /// The file offset of offset `at` of the text.
    fn original(&self, at: usize) -> usize {
        let at = match (&self.stripped, at.checked_sub(self.body_offset)) {
            (Some(map), Some(in_body)) => self.body_offset + map.original(in_body),
            _ => at,
        };
        self.liquid.as_ref().map_or(at, |map| map.original(at))
    }
}

/// The text Markdown reads: the file with its body's Liquid run (where it
/// runs) and kramdown's attribute lists removed; with the Liquid's
/// diagnostics and includes, and the way back to the file.
fn prepare(u: &Unrendered, ctx: &BodyContext) -> (String, Vec<Diagnostic>, Vec<Include>, Back) {
    let expanded = match &ctx.liquid {
        Some(engine) if engine.runs_on(u) => engine.expand(&u.head, &u.text, u.body_offset),
        _ => liquid::Expanded {
            text: u.text.clone(),
            ..liquid::Expanded::default()
        },
    };
    let mut text = expanded.text;
    let mut stripped = None;
    if text[u.body_offset..].contains("{:") {
        let (kept, map) = kramdown::strip_attribute_lists(&text[u.body_offset..]);
        text.truncate(u.body_offset);
        text.push_str(&kept);
        stripped = Some(map);
    }
    let back = Back {
        body_offset: u.body_offset,
        stripped,
        liquid: expanded.origin,
    };
    (text, expanded.diagnostics, expanded.includes, back)
}

/// Content lint of a rendered body: skipped heading levels and links to
/// local files that nothing publishes.
fn lint(page: &Head, rendered: &markdown::Document, links: &Links, out: &mut Vec<Diagnostic>) {
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
        if links.bundle_file(&page.source, &link.dest).is_some() {
            continue;
        }
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
                .with_help(match bundles::folder_of(&page.source) {
                    Some(folder) => format!("put the file in {}/", folder.display()),
                    None => format!("put the file at static/{missing}"),
                }),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_head;
    use std::path::Path;

    /// The head and body of a file on its own (links to other pages left
    /// as written).
    fn page(rel: &str, text: &str) -> (Head, Body) {
        let head = parse_head(Path::new(rel), text.into())
            .item
            .expect("the head parses");
        let loaded = render(&head, &BodyContext::default());
        let body = loaded
            .item
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
        (head.head, body)
    }

    #[test]
    fn excerpts_come_from_front_matter_separator_or_first_paragraph() {
        let (_, first) = page("content/posts/a.md", "One.\n\nTwo.\n");
        assert_eq!(first.excerpt, "<p>One.</p>\n");
        let (_, cut) = page(
            "content/posts/a.md",
            "---\nexcerpt_separator: <!--more-->\n---\nOne.\n\nTwo.\n<!--more-->\nThree.\n",
        );
        assert_eq!(cut.excerpt, "<p>One.</p>\n<p>Two.</p>\n");
        assert_eq!(cut.summary, "One. Two.");
        let (head, written) = page(
            "content/posts/a.md",
            "---\nexcerpt: \"Mine, *really*.\"\nexcerpt_separator: <!--more-->\n---\nOne.\n<!--more-->\n",
        );
        assert_eq!(written.excerpt, "<p>Mine, <em>really</em>.</p>\n");
        assert!(!head.extra.contains_key("excerpt"));
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
        let cut = render(&head("A.\n\nB.\n<!--more-->\nC.\n"), &ctx)
            .item
            .unwrap();
        assert_eq!(cut.summary, "A. B.");
        let whole = render(&head("A.\n\nB.\n"), &ctx).item.unwrap();
        assert_eq!(whole.summary, "A.");
    }

    #[test]
    fn byte_order_mark_and_crlf_are_fine() {
        let (head, p) = page(
            "content/posts/a.md",
            "\u{feff}---\r\ntitle: T\r\n---\r\n| A |\r\n|---|\r\n| 1 |\r\n",
        );
        assert_eq!(head.title, "T");
        assert_eq!(p.tables[0].records.len(), 1);
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        let text = "---\rtitle: T\r\n---\rText\n\r| Port |\r|---|\r| abc |\r";
        let path = Path::new("content/posts/a.md");
        let head = parse_head(path, text.to_string()).item.unwrap();
        assert_eq!(head.head.title, "T");
        let errors = render(&head, &BodyContext::default()).diagnostics;
        assert_eq!(
            (errors[0].line, errors[0].col),
            (Some(8), Some(3)),
            "{errors:?}"
        );
    }
}
