//! Typed errors and diagnostics.
//!
//! Every problem a user can fix is a [`Diagnostic`]: it names a file and,
//! where one exists, a 1-based line and column, and prints as
//! `path:line:col: error: message`. A build collects all diagnostics it can
//! before failing, so one run shows every broken file at once.
//! [`Diagnostic::render`] shows one as people read it, with its source line
//! and a caret (annotate-snippets, as rustc and cargo do).

use annotate_snippets::renderer::{AnsiColor, Style};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use std::cell::Cell;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Printed; the build still succeeds.
    Warning,
    /// The build fails with exit code 1.
    Error,
}

/// One finding about one place in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site root where possible.
    pub path: PathBuf,
    /// 1-based line, when the finding has a place in the file.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub col: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// An optional hint on how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `path:line:col`.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: Some(line),
            col: Some(col),
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `path:line:col`.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// An error about a whole file (no line to point at).
    pub fn file_error(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            line: None,
            col: None,
            ..Diagnostic::error(path, 0, 0, message)
        }
    }

    /// A warning about a whole file.
    pub fn file_warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::file_error(path, message)
        }
    }

    /// Adds a hint printed under the message.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Sort key: file, then position, so output order never depends on threads.
    pub fn sort_key(&self) -> (PathBuf, usize, usize, String) {
        (
            self.path.clone(),
            self.line.unwrap_or(0),
            self.col.unwrap_or(0),
            self.message.clone(),
        )
    }
}

impl Diagnostic {
    /// The diagnostic as people read it, in ANSI colours when `colour`:
    /// the first line is `path:line:col: error: message`, as
    /// [`Display`](fmt::Display) prints it, so editors and CI annotations
    /// still jump to it; then `source_line`, the text of the line it points
    /// at (when there is one), with a caret under the column; then the help.
    pub fn render(&self, source_line: Option<&str>, colour: bool) -> String {
        let (level, tone) = match self.severity {
            Severity::Warning => (Level::WARNING, AnsiColor::BrightYellow),
            Severity::Error => (Level::ERROR, AnsiColor::BrightRed),
        };
        let (bold, tone) = if colour {
            let bold = Style::new().bold();
            (bold, bold.fg_color(Some(tone.into())))
        } else {
            (Style::new(), Style::new())
        };
        let mut out = format!(
            "{bold}{}{bold:#}: {tone}{}{tone:#}{bold}: {}{bold:#}",
            self.place(),
            self.severity_word(),
            self.message
        );
        let line = self.line.zip(source_line);
        let help = self.help.as_deref();
        if line.is_none() && help.is_none() {
            return out;
        }
        let mut group = Group::with_level(level);
        if let Some((number, text)) = line {
            let caret = caret_span(text, self.col.unwrap_or(1));
            group = group.element(
                Snippet::source(text)
                    .line_start(number)
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(caret)),
            );
        }
        if let Some(help) = help {
            group = group.element(Level::HELP.message(help));
        }
        out.push('\n');
        let renderer = if colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        out.push_str(&renderer.render(&[group]));
        out
    }

    /// `path:line:col`, or as much of it as is known.
    fn place(&self) -> String {
        match (self.line, self.col) {
            (Some(line), Some(col)) => format!("{}:{line}:{col}", self.path.display()),
            (Some(line), None) => format!("{}:{line}", self.path.display()),
            _ => self.path.display().to_string(),
        }
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// The byte range of the character at 1-based column `col` of `text`
/// (empty at the end of the line), for the caret.
fn caret_span(text: &str, col: usize) -> std::ops::Range<usize> {
    let mut chars = text.char_indices().skip(col.saturating_sub(1));
    match chars.next() {
        Some((start, c)) => start..start + c.len_utf8(),
        None => text.len()..text.len(),
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.col {
                write!(f, ":{col}")?;
            }
        }
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, ": {level}: {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// Content or templates are wrong; every error-level finding is listed.
    Site(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    Io {
        /// The file or folder involved.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The command line asked for something impossible.
    Usage(String),
}

impl Error {
    /// An I/O error about `path`.
    pub fn io(path: &Path, source: io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The process exit code for this error: 2 for usage, 1 for everything else.
    pub fn code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            Error::Site(_) | Error::Io { .. } => 1,
        }
    }
}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::Site(vec![d])
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Site(diags) => {
                for (i, d) in diags.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: error: {source}", path.display()),
            Error::Usage(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maps byte offsets in a file to 1-based line and character column.
pub(crate) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// The last offset located, its column and its line. Offsets are
    /// mostly asked for in order, so counting on from there keeps a long
    /// line linear (a table row of thousands of cells, a file that is one
    /// line), and the next offset is mostly on the same line.
    last: Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            text,
            starts,
            last: Cell::new((0, 1, 1)),
        }
    }

    /// The 1-based (line, column) of byte `offset`; the column counts characters.
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let (last, last_col, last_line) = self.last.get();
        let on_last_line = self.starts[last_line - 1] <= offset
            && self.starts.get(last_line).is_none_or(|&next| offset < next);
        let line = if on_last_line {
            last_line
        } else {
            self.starts.partition_point(|&s| s <= offset).max(1)
        };
        let start = self.starts[line - 1];
        let col = if (start..=offset).contains(&last) {
            last_col + self.text[last..offset].chars().count()
        } else {
            self.text[start..offset].chars().count() + 1
        };
        self.last.set((offset, col, line));
        (line, col)
    }

    /// The text of 1-based `line`, without its line ending.
    pub(crate) fn line_text(&self, line: usize) -> &'a str {
        let start = self
            .starts
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or(self.text.len());
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets_as_lines_and_character_columns() {
        let idx = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(idx.locate(0), (1, 1));
        assert_eq!(idx.locate(3), (2, 1));
        // 'ç' is two bytes but one column.
        assert_eq!(idx.locate(5), (2, 2));
        assert_eq!(idx.locate(8), (4, 1));
        assert_eq!(idx.line_text(2), "çd");
        // Backwards, and inside a character, still right.
        assert_eq!(idx.locate(5), (2, 2));
        assert_eq!(idx.locate(4), (2, 1));
        assert_eq!(idx.locate(99), (4, 2));
        // Back to earlier lines, and on along one line, from a cached place.
        assert_eq!(idx.locate(0), (1, 1));
        assert_eq!(idx.locate(2), (1, 3));
        assert_eq!(idx.locate(7), (3, 1));
        assert_eq!(idx.locate(6), (2, 3));
    }

    #[test]
    fn renders_the_source_line_with_a_caret_under_the_column_and_help() {
        let d = Diagnostic::error("a.md", 3, 7, "bad").with_help("fix it");
        let text = d.render(Some("port: 7x0"), false);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "a.md:3:7: error: bad", "{text}");
        let source = lines.iter().position(|l| l.ends_with("| port: 7x0"));
        let source = source.unwrap_or_else(|| panic!("no source line:\n{text}"));
        let caret = lines[source + 1];
        assert_eq!(
            caret.find('^'),
            Some(lines[source].find("7x0").unwrap()),
            "{text}"
        );
        assert!(lines.iter().any(|l| l.ends_with("help: fix it")), "{text}");
        // A column past the end points just after the line.
        let d = Diagnostic::warning("a.md", 1, 99, "odd");
        let text = d.render(Some("ab"), false);
        assert!(text.starts_with("a.md:1:99: warning: odd\n"), "{text}");
        assert!(text.contains('^'), "{text}");
        // No line, no help: the first line alone.
        let d = Diagnostic::file_error("a.md", "gone");
        assert_eq!(d.render(None, false), "a.md: error: gone");
        assert!(d.render(None, true).contains("\x1b["));
    }

    #[test]
    fn prints_path_line_col_and_help() {
        let d = Diagnostic::error("a.md", 3, 7, "bad").with_help("fix it");
        assert_eq!(d.to_string(), "a.md:3:7: error: bad\n  help: fix it");
    }
}
