//! Markdown to HTML with pulldown-cmark (the only module, with `tables`,
//! that reads pulldown-cmark events). Besides HTML it hands back what later
//! stages need: tables as raw cells, headings with stable ids, links with
//! their source positions, the first paragraph, and a word count.

use super::{escape_html, highlight};
use crate::error::LineIndex;
use crate::urls::slugify;
use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use std::collections::HashMap;

mod table_cells;
mod values;
use table_cells::TableBuilder;
pub(crate) use table_cells::{MAX_TABLE_CELLS, RawCell, RawRow, RawTable};
pub(crate) use values::{plain_text, render_fragment, render_value};

/// A piece of a rendered body: HTML, or the place where a table stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Block {
    /// Rendered HTML.
    Html(String),
    /// The n-th table of the page, to be rendered from data.
    Table(usize),
    /// The n-th `{% include %}` of the page, to be rendered by its template.
    Include(usize),
}

/// The include a marker comment stands for (see [`crate::body::liquid`]).
fn include_marker(html: &str) -> Option<usize> {
    html.trim()
        .strip_prefix(crate::body::liquid::INCLUDE_MARKER)?
        .strip_suffix("-->")?
        .parse()
        .ok()
}

/// A heading with its deep-link id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Heading {
    /// 1–6.
    pub(crate) level: u8,
    /// The `id` attribute, unique within the page.
    pub(crate) id: String,
    /// Plain text.
    pub(crate) text: String,
    /// 1-based file line.
    #[serde(skip)]
    pub(crate) line: usize,
}

/// A link or image target, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Link {
    /// The destination as written.
    pub(crate) dest: String,
    /// The destination in the HTML where it differs from `dest`: see
    /// [`Link::url`]. Most links are kept as written, and a site holds
    /// every body's links until it is built.
    rewritten: Option<String>,
    /// 1-based file line.
    pub(crate) line: usize,
    /// 1-based column.
    pub(crate) col: usize,
}

impl Link {
    /// A link written as `dest` that the HTML holds as `url` (`None`: as
    /// written).
    pub(crate) fn new(dest: String, url: Option<String>, line: usize, col: usize) -> Link {
        let rewritten = url.filter(|url| *url != dest);
        Link {
            dest,
            rewritten,
            line,
            col,
        }
    }

    /// The destination in the HTML (a link to a `.md` source becomes its
    /// page's URL).
    pub(crate) fn url(&self) -> &str {
        self.rewritten.as_deref().unwrap_or(&self.dest)
    }
}

/// Everything rendering a body's Markdown produces.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Document {
    /// HTML and table placeholders, in order.
    pub(crate) blocks: Vec<Block>,
    /// The tables, indexed by [`Block::Table`].
    pub(crate) tables: Vec<RawTable>,
    /// Headings in order.
    pub(crate) headings: Vec<Heading>,
    /// Links and images in order.
    pub(crate) links: Vec<Link>,
    /// HTML of the first top-level paragraph.
    pub(crate) first_paragraph_html: String,
    /// Plain text of the first top-level paragraph.
    pub(crate) first_paragraph_text: String,
    /// Words in the text (for reading time).
    pub(crate) word_count: usize,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// A heading being read: its text becomes its id, unless it has one.
struct HeadingBuilder<'a> {
    level: HeadingLevel,
    id: Option<CowStr<'a>>,
    classes: Vec<CowStr<'a>>,
    attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    events: Vec<Event<'a>>,
    text: String,
    line: usize,
}

impl<'a> HeadingBuilder<'a> {
    /// The heading with an id no earlier heading of the page has (`ids`
    /// counts each one given), its events and a `#` link to it pushed onto
    /// `segment`.
    fn finish(self, ids: &mut HashMap<String, usize>, segment: &mut Vec<Event<'a>>) -> Heading {
        let base = self
            .id
            .as_deref()
            .map_or_else(|| slugify(&self.text), str::to_string);
        let base = if base.is_empty() {
            "section".to_string()
        } else {
            base
        };
        // `ids` holds every id given so far, each with the next suffix to
        // try when a heading's own id is that one: a second "Setup" is
        // `setup-1`, and a heading written "Setup 1" after it `setup-1-1`.
        let mut n = ids.get(&base).copied().unwrap_or(0);
        let id = loop {
            let candidate = match n {
                0 => base.clone(),
                n => format!("{base}-{n}"),
            };
            n += 1;
            if !ids.contains_key(&candidate) {
                break candidate;
            }
        };
        ids.insert(base, n);
        ids.entry(id.clone()).or_insert(0);
        let anchor = format!(
            "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
            escape_html(&id)
        );
        segment.push(Event::Start(Tag::Heading {
            level: self.level,
            id: Some(id.clone().into()),
            classes: self.classes,
            attrs: self.attrs,
        }));
        segment.extend(self.events);
        segment.push(Event::InlineHtml(anchor.into()));
        segment.push(Event::End(TagEnd::Heading(self.level)));
        Heading {
            level: self.level as u8,
            id,
            text: self.text.trim().to_string(),
            line: self.line,
        }
    }
}

/// Finds the body's first top-level paragraph (not in a list, quote or
/// footnote) as it goes by: its HTML and its plain text, for excerpts.
#[derive(Default)]
struct FirstParagraph<'a> {
    /// Nesting of block containers (lists, quotes, footnotes).
    depth: usize,
    /// The paragraph's events and text while inside it.
    open: Option<(Vec<Event<'a>>, String)>,
    done: bool,
}

impl<'a> FirstParagraph<'a> {
    fn see(&mut self, event: &Event<'a>, out: &mut Document) {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_) | Tag::FootnoteDefinition(_)) => {
                self.depth += 1
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition) => {
                self.depth = self.depth.saturating_sub(1)
            }
            Event::Start(Tag::Paragraph) if self.depth == 0 && !self.done => {
                self.open = Some((Vec::new(), String::new()));
            }
            Event::End(TagEnd::Paragraph) if self.open.is_some() && !self.done => {
                self.done = true;
                let (events, text) = self.open.take().expect("checked");
                let whole = std::iter::once(Event::Start(Tag::Paragraph))
                    .chain(events)
                    .chain(std::iter::once(Event::End(TagEnd::Paragraph)));
                html::push_html(&mut out.first_paragraph_html, whole);
                out.first_paragraph_text = text.trim().to_string();
            }
            e => {
                if let Some((events, text)) = self.open.as_mut() {
                    match e {
                        Event::Text(t) | Event::Code(t) => text.push_str(t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => {}
                    }
                    events.push(e.clone());
                }
            }
        }
    }
}

/// The file a body came from, when it is not the text rendered (Liquid
/// wrote the body): its index, and the file offset that each offset of the
/// rendered text came from.
pub(crate) struct Origin<'a> {
    /// Lines of the file as written.
    pub(crate) index: &'a LineIndex<'a>,
    /// Offset in the rendered text → offset in the file.
    pub(crate) offset: &'a dyn Fn(usize) -> usize,
}

/// Where body offsets are in the file: `body_offset` is where the body
/// starts in the text that `index` covers.
struct Place<'i, 't> {
    index: &'i LineIndex<'t>,
    body_offset: usize,
    origin: Option<&'i Origin<'i>>,
}

impl Place<'_, '_> {
    /// The file line and column of body offset `at`.
    fn locate(&self, at: usize) -> (usize, usize) {
        match self.origin {
            Some(origin) => origin.index.locate((origin.offset)(self.body_offset + at)),
            None => self.index.locate(self.body_offset + at),
        }
    }

    /// The text of the line that holds body offset `at`, as rendered.
    fn line_text(&self, at: usize) -> &str {
        let (line, _) = self.index.locate(self.body_offset + at);
        self.index.line_text(line)
    }
}

/// Renders a Markdown body. `body_offset` is where the body starts in the
/// file that `index` covers, so positions are file positions. `rewrite`
/// maps a link destination to another (links to `.md` sources become page
/// URLs); `None` keeps it.
pub(crate) fn render(
    body: &str,
    body_offset: usize,
    index: &LineIndex,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> Document {
    render_from(body, body_offset, index, None, rewrite)
}

/// [`render`] a body that Liquid wrote: positions are those of `origin`,
/// the file as written.
pub(crate) fn render_from(
    body: &str,
    body_offset: usize,
    index: &LineIndex,
    origin: Option<&Origin>,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> Document {
    let place = Place {
        index,
        body_offset,
        origin,
    };
    let mut out = Document::default();
    let mut segment: Vec<Event> = Vec::new();
    let mut scratch = String::new();
    let mut heading: Option<HeadingBuilder> = None;
    let mut table: Option<TableBuilder> = None;
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut cells = 0usize; // table cells read so far
    let mut first = FirstParagraph::default();
    // A fenced code block with an info string, being read: its info
    // string and text, highlighted at its end.
    let mut code: Option<(String, String)> = None;

    for (mut event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if let Event::Text(t) | Event::Code(t) = &event {
            out.word_count += count_words(t);
        }
        if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &mut event {
            let (line, col) = place.locate(range.start);
            let written = String::from(&**dest_url);
            let url = rewrite(&written);
            if let Some(url) = &url {
                *dest_url = url.clone().into();
            }
            out.links.push(Link::new(written, url, line, col));
        }
        if let Some(block) = code.as_mut() {
            match event {
                Event::Text(t) => block.1.push_str(&t),
                _ => {
                    let (info, text) = code.take().expect("inside a code block");
                    let (lang, options) = highlight::read_fence(&info);
                    let mut html = highlight::code_block("", &text, lang, &options);
                    html.push('\n');
                    segment.push(Event::Html(html.into()));
                }
            }
            continue;
        }
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event
            && !info.trim().is_empty()
        {
            code = Some((String::from(&**info), String::new()));
            continue;
        }
        if let Some(tb) = table.as_mut() {
            if tb.event(event, range.start, &place, &mut cells) {
                let tb = table.take().expect("inside a table");
                flush(&mut segment, &mut scratch, &mut out.blocks);
                out.blocks.push(Block::Table(out.tables.len()));
                out.tables.push(tb.table);
            }
            continue;
        }
        match event {
            Event::Start(Tag::Table(_)) => {
                table = Some(TableBuilder::new(place.locate(range.start).0));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                heading = Some(HeadingBuilder {
                    level,
                    id,
                    classes,
                    attrs,
                    events: Vec::new(),
                    text: String::new(),
                    line: place.locate(range.start).0,
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    out.headings.push(h.finish(&mut ids, &mut segment));
                }
            }
            Event::Html(ref html) | Event::InlineHtml(ref html)
                if heading.is_none() && include_marker(html).is_some() =>
            {
                flush(&mut segment, &mut scratch, &mut out.blocks);
                out.blocks
                    .push(Block::Include(include_marker(html).expect("checked")));
            }
            other => {
                if let Some(h) = heading.as_mut() {
                    if let Event::Text(t) | Event::Code(t) = &other {
                        h.text.push_str(t);
                    }
                    h.events.push(other);
                    continue;
                }
                first.see(&other, &mut out);
                segment.push(other);
            }
        }
    }
    flush(&mut segment, &mut scratch, &mut out.blocks);
    out
}

/// Writes the events of `segment` as one HTML block. The HTML grows in
/// `scratch` (one buffer for the whole body) and is kept at its exact size:
/// a site holds every body until its pages are written.
fn flush(segment: &mut Vec<Event>, scratch: &mut String, blocks: &mut Vec<Block>) {
    if segment.is_empty() {
        return;
    }
    scratch.clear();
    html::push_html(scratch, segment.drain(..));
    blocks.push(Block::Html(scratch.as_str().into()));
}

/// The number of words in `text`: runs of non-whitespace, as
/// `split_whitespace` counts them. ASCII text is read eight bytes at a
/// time (every text event of a body passes through here); anything else
/// goes to `split_whitespace`.
fn count_words(text: &str) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // The high bit of each byte of `x` (ASCII bytes) that is whitespace:
    // a space, or tab to carriage return (9 to 13). No sum carries into the
    // next byte, as every byte is below 0x80.
    let spaces = |x: u64| {
        let space = ((x ^ (ONES * 0x20)) + ONES * 0x7f) & HIGH ^ HIGH;
        let from_tab = (x + ONES * (0x80 - 9)) & HIGH;
        let from_so = (x + ONES * (0x80 - 14)) & HIGH;
        space | (from_tab & !from_so)
    };
    let bytes = text.as_bytes();
    let mut words = 0;
    // Whether the byte before the current word of 8 is whitespace, as the
    // high bit of its last byte (the text starts after whitespace).
    let mut before = HIGH;
    let mut count = |word: u64| -> bool {
        if word & HIGH != 0 {
            return false;
        }
        let space = spaces(word);
        let after_space = (space << 8) | (before >> 56);
        words += (!space & after_space & HIGH).count_ones() as usize;
        before = space;
        true
    };
    let mut chunks = bytes.chunks_exact(8);
    for chunk in chunks.by_ref() {
        if !count(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))) {
            return text.split_whitespace().count();
        }
    }
    // The last bytes, padded with spaces, which start no word.
    let mut last = [b' '; 8];
    last[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    if !count(u64::from_le_bytes(last)) {
        return text.split_whitespace().count();
    }
    words
}

#[cfg(test)]
mod tests {
    #[test]
    fn inline_values_never_open_a_block() {
        for (written, html, plain) in [
            (
                "Title *with* **Markdown**",
                "Title <em>with</em> <strong>Markdown</strong>",
                "Title with Markdown",
            ),
            ("1. Intro *now*", "1. Intro <em>now</em>", "1. Intro now"),
            (
                "# Not a *heading*",
                "# Not a <em>heading</em>",
                "# Not a heading",
            ),
            ("- not a list", "- not a list", "- not a list"),
            ("> not *quoted*", "&gt; not <em>quoted</em>", "> not quoted"),
            (
                "*emphasis* first",
                "<em>emphasis</em> first",
                "emphasis first",
            ),
            ("***", "***", "***"),
            ("two\nlines", "two lines", "two lines"),
            (
                "<b>raw</b> & `code`",
                "&lt;b&gt;raw&lt;/b&gt; &amp; <code>code</code>",
                "<b>raw</b> & code",
            ),
        ] {
            assert_eq!(super::render_value(written, true), html, "{written}");
            assert_eq!(super::plain_text(written), plain, "{written}");
        }
        assert_eq!(super::render_value("A *b*", false), "<p>A <em>b</em></p>\n");
    }

    use super::*;

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "  ",
            "one",
            " two  words ",
            "tab\tline\nfeed\x0bvt\x0cff\rcr",
            "caf\u{e9} na\u{ef}ve\u{a0}nbsp\u{2003}em",
            "a\x1fb",
        ] {
            assert_eq!(
                count_words(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        // Every ASCII string of one to three characters from a set with
        // each kind of byte.
        let set = [
            b'a', b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r', 0x1f, 0x08, b'.',
        ];
        for a in set {
            for b in set {
                for c in set {
                    for text in [vec![a], vec![a, b], vec![a, b, c]] {
                        let text = String::from_utf8(text).unwrap();
                        assert_eq!(
                            count_words(&text),
                            text.split_whitespace().count(),
                            "{text:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn words_are_counted_across_every_eight_byte_boundary() {
        // Strings of 1 to 40 bytes from each kind of byte, in a fixed
        // pseudo-random order, with and without a non-ASCII character.
        let set = [
            b'a', b' ', b'\t', b'\n', 0x0b, 0x0c, b'\r', 0x1f, 0x08, b'.', b'~', 0x7f, b'!',
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in 1..=40 {
            for _ in 0..200 {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        set[(state % set.len() as u64) as usize]
                    })
                    .collect();
                let text = String::from_utf8(text).unwrap();
                for text in [text.clone(), format!("{text}\u{2003}{text}")] {
                    assert_eq!(
                        count_words(&text),
                        text.split_whitespace().count(),
                        "{text:?}"
                    );
                }
            }
        }
    }

    fn md(src: &str) -> Document {
        render(src, 0, &LineIndex::new(src), &|_| None)
    }

    fn html_of(r: &Document) -> String {
        r.blocks
            .iter()
            .map(|b| match b {
                Block::Html(h) => h.clone(),
                Block::Table(i) => format!("[table {i}]"),
                Block::Include(i) => format!("[include {i}]"),
            })
            .collect()
    }

    #[test]
    fn headings_get_stable_unique_ids() {
        let r = md("## Table\n\n## Table\n\n# What is IMAP?\n\n## Custom {#mine}\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["table", "table-1", "what-is-imap", "mine"]);
        assert!(html_of(&r).contains("<h2 id=\"table\">Table<a class=\"anchor\" href=\"#table\""));
    }

    #[test]
    fn tables_are_cut_out_as_cells_with_positions() {
        let r = md("Intro\n\n| A | B |\n|---|---|\n| 1 | [x](y) |\n| 2 |\n\nAfter\n");
        assert_eq!(r.blocks.len(), 3);
        assert_eq!(r.blocks[1], Block::Table(0));
        let t = &r.tables[0];
        assert_eq!(t.line, 3);
        assert_eq!(
            t.header.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["A", "B"]
        );
        assert_eq!(t.rows[0].line, 5);
        assert_eq!(t.rows[0].cells[1].html, "<a href=\"y\">x</a>");
        assert_eq!(t.rows[0].cells[1].text, "x");
        assert_eq!(t.rows[1].written_cells, 1);
        assert!(!html_of(&r).contains("<table"));
    }

    #[test]
    fn kramdown_separator_rows_are_not_data() {
        let r = md("| A | B |\n|---|---|\n| 1 | 2 |\n|----\n| 3 | 4 |\n|=====|\n| f | g\n");
        let rows: Vec<_> = r.tables[0].rows.iter().map(|r| r.line).collect();
        assert_eq!(rows, [3, 5, 7]);
        assert_eq!(r.tables[0].rows[1].cells[0].text, "3");
    }

    #[test]
    fn include_markers_become_include_blocks() {
        let r = md("Before\n\n<!--folio:include:0-->\n\nAfter\n");
        assert_eq!(r.blocks.len(), 3);
        assert_eq!(r.blocks[1], Block::Include(0));
    }

    #[test]
    fn fragments_render_with_plain_text() {
        let (html, text) =
            render_fragment("One *two*.\n\nThree [x](y.md)\n", &|_| Some("/z/".into()));
        assert_eq!(
            html,
            "<p>One <em>two</em>.</p>\n<p>Three <a href=\"/z/\">x</a></p>\n"
        );
        assert_eq!(text, "One two. Three x");
    }

    #[test]
    fn html_in_a_table_cell_is_text() {
        let r = md("| A |\n|---|\n| <img src=x onerror=alert(1)> *b* |\n");
        let cell = &r.tables[0].rows[0].cells[0];
        assert_eq!(cell.html, "&lt;img src=x onerror=alert(1)&gt; <em>b</em>");
        assert_eq!(cell.text, "<img src=x onerror=alert(1)> b");
    }

    #[test]
    fn custom_heading_ids_stay_inside_their_attribute() {
        let h = html_of(&md("# Hi {#a\"onclick=x&y}\n"));
        assert!(h.contains("href=\"#a&quot;onclick=x&amp;y\""), "{h}");
    }

    #[test]
    fn stops_reading_cells_past_the_page_limit() {
        // 1,000 columns: a header and 2,000 rows of empty cells.
        let header = format!("|{}\n|{}\n", "x|".repeat(1000), "-|".repeat(1000));
        let src = header + &format!("{}\n", "|".repeat(1001)).repeat(2000);
        let r = md(&src);
        let t = &r.tables[0];
        assert!(t.truncated);
        let read: usize = t.header.len() + t.rows.iter().map(|r| r.cells.len()).sum::<usize>();
        assert_eq!(read, MAX_TABLE_CELLS);
    }

    #[test]
    fn gfm_extensions_render() {
        let h = html_of(&md("~~old~~ text[^1]\n\n- [x] done\n\n[^1]: note\n"));
        assert!(h.contains("<del>old</del>"));
        assert!(h.contains("type=\"checkbox\""));
        assert!(h.contains("footnote"));
    }

    #[test]
    fn first_paragraph_and_links_are_recorded() {
        let r = md("- list first\n\nReal *intro* here.\n\nSecond [l](a.md).\n");
        assert_eq!(r.first_paragraph_text, "Real intro here.");
        assert_eq!(r.first_paragraph_html, "<p>Real <em>intro</em> here.</p>\n");
        assert_eq!(r.links[0].dest, "a.md");
        assert_eq!((r.links[0].line, r.links[0].col), (5, 8));
    }

    #[test]
    fn rewritten_links_change_the_html_and_keep_the_written_target() {
        let src = "[other](other.md#part) and [site](https://x.org)\n";
        let r = render(src, 0, &LineIndex::new(src), &|d: &str| {
            d.starts_with("other.md")
                .then(|| "/posts/other/#part".to_string())
        });
        assert!(html_of(&r).contains("href=\"/posts/other/#part\""));
        assert_eq!(r.links[0].dest, "other.md#part");
        assert_eq!(r.links[0].url(), "/posts/other/#part");
        assert_eq!(r.links[1].url(), "https://x.org");
    }
}
