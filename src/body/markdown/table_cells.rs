//! A GFM table read as raw cells (text, inline HTML and place of each),
//! never as HTML: `body::tables` types them.

use super::Place;
use pulldown_cmark::{Event, Tag, TagEnd, html};

/// kramdown's table separator rows (`|----`, `|=====`, `|---+---|`) split
/// a table into body groups or start its footer; they are not data rows.
fn is_kramdown_separator(line: &str) -> bool {
    let line = line.trim();
    line.starts_with('|') && line.contains(['-', '=']) && line.chars().all(|c| "|-=+: ".contains(c))
}

/// A table cell as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawCell {
    /// Plain text of the cell, trimmed.
    pub(crate) text: String,
    /// The cell's inline HTML (links, code, emphasis).
    pub(crate) html: String,
    /// 1-based file line.
    pub(crate) line: usize,
    /// 1-based column.
    pub(crate) col: usize,
}

/// A table row as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRow {
    /// 1-based file line.
    pub(crate) line: usize,
    /// How many cells the source line holds (GFM pads or drops to the
    /// header's width, so this is counted from the text).
    pub(crate) written_cells: usize,
    /// The cells after GFM's padding.
    pub(crate) cells: Vec<RawCell>,
}

/// A GFM table before it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawTable {
    /// 1-based file line of the header row.
    pub(crate) line: usize,
    /// Header cells.
    pub(crate) header: Vec<RawCell>,
    /// Body rows.
    pub(crate) rows: Vec<RawRow>,
    /// Whether cells were left out because the page passed
    /// [`MAX_TABLE_CELLS`].
    pub(crate) truncated: bool,
}

/// The most table cells folio reads from one page: 2,000,000, such as
/// 400,000 rows of 5 columns, eight times a large real table (50,000 rows
/// of 5 columns). Each cell becomes typed data, HTML and a JSON and CSV
/// field, 1 to 1.5 KiB in all, though one byte (`|`) can write it: this
/// bounds the memory a page's tables take to 2 or 3 GiB.
pub(crate) const MAX_TABLE_CELLS: usize = 2_000_000;

/// Counts the cells written on a table row line: pipes that are not escaped
/// and not inside a code span separate cells; outer pipes are optional.
fn count_cells(line: &str) -> usize {
    let line = line.trim();
    let mut separators = 0usize;
    let mut in_code = false;
    let mut escaped = false;
    let mut last_pipe = None;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '`' => in_code = !in_code,
            '|' if !in_code => {
                separators += 1;
                last_pipe = Some(i);
            }
            _ => {}
        }
    }
    let leading = line.starts_with('|');
    let trailing = last_pipe.is_some_and(|i| i + 1 == line.len()) && line.len() > 1;
    (separators + 1).saturating_sub(usize::from(leading) + usize::from(trailing))
}

/// A table being read: its cells are collected as data, never as HTML.
pub(super) struct TableBuilder<'a> {
    pub(super) table: RawTable,
    in_head: bool,
    /// Inside a kramdown separator row, which is skipped.
    skipping: bool,
    /// Where the cell being read starts: the body offset of its first
    /// event (its text, not the space before it), or of the cell itself
    /// while it has none. Made a line and column once, at its end.
    cell: Option<usize>,
    /// The cell's events and plain text so far, and room for its HTML:
    /// one set of buffers for every cell of the table.
    events: Vec<Event<'a>>,
    text: String,
    html: String,
}

impl<'a> TableBuilder<'a> {
    pub(super) fn new(line: usize) -> Self {
        TableBuilder {
            table: RawTable {
                line,
                header: Vec::new(),
                rows: Vec::new(),
                truncated: false,
            },
            in_head: false,
            skipping: false,
            cell: None,
            events: Vec::new(),
            text: String::new(),
            html: String::new(),
        }
    }

    /// Takes one event inside the table, at body offset `at`; true at the
    /// table's end. `cells` counts the page's cells, up to
    /// [`MAX_TABLE_CELLS`].
    pub(super) fn event(
        &mut self,
        event: Event<'a>,
        at: usize,
        place: &Place,
        cells: &mut usize,
    ) -> bool {
        match event {
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableRow) => {
                let (line, _) = place.locate(at);
                let text = place.line_text(at);
                self.skipping = is_kramdown_separator(text);
                if !self.skipping {
                    self.table.rows.push(RawRow {
                        line,
                        written_cells: count_cells(text),
                        cells: Vec::new(),
                    });
                }
            }
            Event::Start(Tag::TableCell) if self.skipping => {}
            Event::Start(Tag::TableCell) => {
                if *cells == MAX_TABLE_CELLS {
                    self.table.truncated = true;
                } else {
                    *cells += 1;
                    self.cell = Some(at);
                    self.events.clear();
                    self.text.clear();
                }
            }
            Event::End(TagEnd::TableCell) => self.end_cell(place),
            Event::End(TagEnd::Table) => return true,
            other => {
                if let Some(start) = self.cell.as_mut() {
                    if self.events.is_empty() {
                        *start = at;
                    }
                    // A cell is data: HTML written in it shows as text.
                    let other = match other {
                        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
                        e => e,
                    };
                    if let Event::Text(t) | Event::Code(t) = &other {
                        self.text.push_str(t);
                    }
                    self.events.push(other);
                }
            }
        }
        false
    }

    fn end_cell(&mut self, place: &Place) {
        let Some(start) = self.cell.take() else {
            return;
        };
        let (line, col) = place.locate(start);
        self.html.clear();
        match self.events.as_slice() {
            // Most cells are plain text: escaped as the HTML writer
            // escapes text, without setting one up for the cell.
            [Event::Text(text)] => {
                pulldown_cmark_escape::escape_html_body_text(&mut self.html, text)
                    .expect("writing to a String");
                self.events.clear();
            }
            _ => html::push_html(&mut self.html, self.events.drain(..)),
        }
        let cell = RawCell {
            text: self.text.trim().to_string(),
            html: self.html.trim().to_string(),
            line,
            col,
        };
        if self.in_head {
            self.table.header.push(cell);
        } else if let Some(row) = self.table.rows.last_mut() {
            row.cells.push(cell);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::count_cells;

    #[test]
    fn counts_written_cells() {
        assert_eq!(count_cells("| a | b |"), 2);
        assert_eq!(count_cells("a | b"), 2);
        assert_eq!(count_cells("| a \\| b | `c|d` |"), 2);
        assert_eq!(count_cells("| a | b | c"), 3);
    }
}
