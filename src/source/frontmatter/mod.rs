//! Splitting a Markdown file into front matter and body, and reading the
//! front matter. This is the only module that knows about serde_yaml:
//! swapping the YAML crate is a change to this file alone.

use crate::error::Diagnostic;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::Path;

mod lenient;
use lenient::read_lenient;

/// A source file cut into its YAML block and its Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the `---` fences, if the file has front matter.
    pub(crate) yaml: Option<&'a str>,
    /// 1-based file line of the YAML block's first line.
    pub(crate) yaml_line: usize,
    /// The Markdown after the closing fence.
    pub(crate) body: &'a str,
    /// Byte offset of the body in the file.
    pub(crate) body_offset: usize,
}

fn is_fence(line: &str, closing: bool) -> bool {
    let line = line.trim_end();
    line == "---" || (closing && line == "...")
}

/// Cuts `src` into front matter and body. A file that opens a `---` block
/// and never closes it is an error at line 1.
pub(crate) fn split<'a>(path: &Path, src: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_end = src.find('\n').map_or(src.len(), |i| i + 1);
    if !is_fence(&src[..first_end], false) {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: src,
            body_offset: 0,
        });
    }
    let mut offset = first_end;
    while offset < src.len() {
        let end = src[offset..]
            .find('\n')
            .map_or(src.len(), |i| offset + i + 1);
        if is_fence(&src[offset..end], true) {
            return Ok(Split {
                yaml: Some(&src[first_end..offset]),
                yaml_line: 2,
                body: &src[end..],
                body_offset: end,
            });
        }
        offset = end;
    }
    Err(
        Diagnostic::error(path, 1, 1, "front matter opened with `---` is never closed")
            .with_help("add a line with only `---` after the last front matter field"),
    )
}

/// Front matter as the author wrote it: every field optional, nothing
/// resolved yet. Lines are file lines, for messages about a field.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RawFrontMatter {
    /// `title`.
    pub(crate) title: Option<String>,
    /// `author` (a string; a mapping's `name` is used when it is one).
    pub(crate) author: Option<String>,
    /// `date`, unparsed.
    pub(crate) date: Option<String>,
    /// `description`.
    pub(crate) description: Option<String>,
    /// `layout`: the template to use, without `.html`.
    pub(crate) layout: Option<String>,
    /// `permalink`: the page's URL path.
    pub(crate) permalink: Option<String>,
    /// `slug`: overrides the slug from the file name.
    pub(crate) slug: Option<String>,
    /// `last_modified_at`, unparsed.
    pub(crate) last_modified_at: Option<String>,
    /// `excerpt`: Markdown that replaces the generated excerpt.
    pub(crate) excerpt: Option<String>,
    /// `excerpt_separator`: the excerpt is the body up to this text.
    pub(crate) excerpt_separator: Option<String>,
    /// `categories` and `category`, in order.
    pub(crate) categories: Vec<String>,
    /// `tags`, in order.
    pub(crate) tags: Vec<String>,
    /// `draft: true` or `published: false`.
    pub(crate) draft: bool,
    /// `aliases` and `redirect_from`: old addresses, each with its line
    /// (its item's in a block list, else its key's).
    pub(crate) aliases: Vec<(String, usize)>,
    /// `redirect_to` (the first, when a list is given).
    pub(crate) redirect_to: Option<String>,
    /// Every other key, for templates (`page.extra.KEY`).
    pub(crate) extra: Map<String, Value>,
    /// File line of each top-level key, for messages.
    pub(crate) lines: BTreeMap<String, usize>,
    /// File lines of the items of each top-level key's block list
    /// (`- item` lines), for messages about one item.
    pub(crate) item_lines: BTreeMap<String, Vec<usize>>,
    /// Warnings about what was read leniently, as Jekyll reads it (a key
    /// given twice, an integer too large for a number).
    pub(crate) warnings: Vec<Diagnostic>,
}

impl RawFrontMatter {
    /// The file line of `key`, or of the front matter's first line.
    pub(crate) fn line_of(&self, key: &str) -> usize {
        self.lines.get(key).copied().unwrap_or(1)
    }
}

/// Reads a YAML block into raw front matter. `first_line` is the file line
/// of the block's first line, so every error points into the `.md` file.
pub(crate) fn parse(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<RawFrontMatter, Diagnostic> {
    let lines = key_lines(yaml, first_line);
    // Only old addresses are placed item by item; most pages have none.
    let item_lines = if ADDRESS_KEYS.iter().any(|key| lines.contains_key(*key)) {
        item_lines(yaml, first_line)
    } else {
        BTreeMap::new()
    };
    if yaml.trim().is_empty() {
        return Ok(RawFrontMatter::default());
    }
    if let Some(offset) = too_deep_flow(yaml) {
        let line = first_line + yaml[..offset].matches('\n').count();
        return Err(Diagnostic::error(
            path,
            line,
            1,
            format!("invalid front matter: `[` and `{{` nest more than {MAX_FLOW_NESTING} deep"),
        ));
    }
    let (value, warnings) =
        read_lenient(path, yaml, first_line).map_err(|e| yaml_error(path, yaml, first_line, &e))?;
    let serde_yaml::Value::Mapping(map) = value else {
        return Err(Diagnostic::error(
            path,
            first_line,
            1,
            "front matter must be a mapping of `key: value` lines",
        ));
    };
    let mut fm = RawFrontMatter {
        lines,
        item_lines,
        warnings,
        ..RawFrontMatter::default()
    };
    for (key, value) in map {
        let key = scalar_text(&key).unwrap_or_default();
        fm.set(path, key, untag(value))?;
    }
    Ok(fm)
}

/// A YAML error at its line of the `.md` file. An error found at the end of
/// the block (an unclosed bracket) is shown on the block's last line, not
/// on the closing fence.
fn yaml_error(path: &Path, yaml: &str, first_line: usize, e: &serde_yaml::Error) -> Diagnostic {
    let last = yaml.lines().count().max(1);
    let (line, col) = e.location().map_or((first_line, 1), |l| {
        if l.line() > last {
            (first_line + last - 1, 1)
        } else {
            (first_line + l.line() - 1, l.column())
        }
    });
    let message = yaml_message(&e.to_string(), first_line);
    Diagnostic::error(path, line, col, format!("invalid front matter: {message}"))
}

impl RawFrontMatter {
    /// Takes one `key: value` of the front matter: a field folio knows,
    /// checked for its type, or an extra key for templates.
    fn set(
        &mut self,
        path: &Path,
        key: String,
        value: serde_yaml::Value,
    ) -> Result<(), Diagnostic> {
        let bad_type = |key: &str, want: &str, fm: &RawFrontMatter| {
            Diagnostic::error(path, fm.line_of(key), 1, format!("`{key}` must be {want}"))
        };
        match key.as_str() {
            "title" | "date" | "description" | "layout" | "permalink" | "slug"
            | "last_modified_at" | "excerpt" | "excerpt_separator" => {
                if value.is_null() {
                    return Ok(());
                }
                let text =
                    scalar_text(&value).ok_or_else(|| bad_type(&key, "a single value", self))?;
                let slot = match key.as_str() {
                    "title" => &mut self.title,
                    "date" => &mut self.date,
                    "description" => &mut self.description,
                    "layout" => &mut self.layout,
                    "permalink" => &mut self.permalink,
                    "last_modified_at" => &mut self.last_modified_at,
                    "excerpt" => &mut self.excerpt,
                    "excerpt_separator" => &mut self.excerpt_separator,
                    _ => &mut self.slug,
                };
                *slot = Some(text);
            }
            "author" => {
                self.author = match &value {
                    serde_yaml::Value::Mapping(m) => m.get("name").and_then(scalar_text),
                    v => scalar_text(v),
                };
                self.extra.insert(key, to_json(value));
            }
            "categories" | "category" | "tags" => {
                let terms = terms(&value)
                    .ok_or_else(|| bad_type(&key, "a list or a space-separated string", self))?;
                if key == "tags" {
                    self.tags.extend(terms);
                } else {
                    self.categories.extend(terms);
                }
            }
            name if ADDRESS_KEYS.contains(&name) => {
                let paths = addresses(&value)
                    .ok_or_else(|| bad_type(&key, "a path or a list of paths", self))?;
                let line = self.line_of(&key);
                // Each item's own line when every item was read as one.
                let items = self
                    .item_lines
                    .get(&key)
                    .filter(|lines| value.is_sequence() && lines.len() == paths.len());
                let lines = (0..paths.len()).map(|i| items.map_or(line, |lines| lines[i]));
                self.aliases.extend(paths.into_iter().zip(lines));
            }
            "redirect_to" => {
                let first = addresses(&value)
                    .ok_or_else(|| bad_type(&key, "a URL or a path", self))?
                    .into_iter()
                    .next();
                self.redirect_to = first;
            }
            "draft" | "published" => {
                let serde_yaml::Value::Bool(flag) = value else {
                    return Err(bad_type(&key, "`true` or `false`", self));
                };
                self.draft |= if key == "draft" { flag } else { !flag };
            }
            _ => {
                self.extra.insert(key, to_json(value));
            }
        }
        Ok(())
    }
}

/// How deep `[` and `{` may nest before the YAML parser is not even asked:
/// it takes time that grows with the square of the nesting (100,000 levels
/// take minutes), and serde_yaml refuses anything past 128 levels anyway.
const MAX_FLOW_NESTING: usize = 1000;

/// The keys that list a page's old addresses (Zola's and Hugo's, Jekyll's),
/// each item placed at its own line.
const ADDRESS_KEYS: [&str; 2] = ["aliases", "redirect_from"];

/// Where brackets first nest deeper than [`MAX_FLOW_NESTING`], counting
/// every `[`/`{` against every `]`/`}` (quotes are not told apart, which
/// only matters to text holding a thousand brackets).
fn too_deep_flow(yaml: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in yaml.bytes().enumerate() {
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_FLOW_NESTING {
            return Some(i);
        }
    }
    None
}

/// serde_yaml's message without its own position (the diagnostic has it),
/// and with the position of its context as a line of the `.md` file:
/// "found unexpected end of stream, while scanning a quoted scalar that
/// starts on line 2".
fn yaml_message(message: &str, first_line: usize) -> String {
    const AT: &str = " at line ";
    let mut out = String::new();
    let mut rest = message;
    let mut primary = true;
    while let Some(i) = rest.find(AT) {
        out.push_str(&rest[..i]);
        let after = &rest[i + AT.len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line: usize = after[..digits].parse().unwrap_or(1);
        let after = &after[digits..];
        rest = after.strip_prefix(" column ").map_or(after, |a| {
            a.trim_start_matches(|c: char| c.is_ascii_digit())
        });
        if !primary {
            out.push_str(&format!(
                " that starts on line {}",
                (first_line + line).saturating_sub(1)
            ));
        }
        primary = false;
    }
    out.push_str(rest);
    out
}

/// File lines of the top-level keys of a YAML block (lines that start
/// without indentation and hold `key:`); the last line of a key given
/// twice.
pub(crate) fn key_lines(yaml: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut lines = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            let key = key.trim().trim_matches(['"', '\'']);
            // A key given twice keeps its last value, so its last line.
            lines.insert(key.to_string(), first_line + i);
        }
    }
    lines
}

/// File lines of the items of each top-level key's block list: the
/// `- item` lines under `key:` at the list's own indentation (nested
/// lists' items are not its items). A key given twice keeps its last list.
fn item_lines(yaml: &str, first_line: usize) -> BTreeMap<String, Vec<usize>> {
    let mut items: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    // The key being read, and the indentation of its items once known.
    let mut current: Option<(String, Option<usize>)> = None;
    for (i, line) in yaml.lines().enumerate() {
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if indent == 0 && !rest.starts_with('-') {
            current = rest.split_once(':').map(|(key, _)| {
                let key = key.trim().trim_matches(['"', '\'']).to_string();
                items.insert(key.clone(), Vec::new());
                (key, None)
            });
            continue;
        }
        let Some((key, level)) = current.as_mut() else {
            continue;
        };
        if (rest == "-" || rest.starts_with("- ")) && *level.get_or_insert(indent) == indent {
            items.entry(key.clone()).or_default().push(first_line + i);
        }
    }
    items
}

fn untag(value: serde_yaml::Value) -> serde_yaml::Value {
    match value {
        serde_yaml::Value::Tagged(t) => untag(t.value),
        v => v,
    }
}

fn scalar_text(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

/// A taxonomy field: Jekyll accepts a list, or a string of space-separated
/// terms. A list item keeps its spaces ("Post Formats").
fn terms(value: &serde_yaml::Value) -> Option<Vec<String>> {
    match value {
        serde_yaml::Value::Null => Some(Vec::new()),
        serde_yaml::Value::String(s) => Some(s.split_whitespace().map(str::to_string).collect()),
        serde_yaml::Value::Sequence(items) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| scalar_text(v).map(|t| t.trim().to_string()))
            .collect(),
        _ => None,
    }
}

/// A redirect field: one address, or a list of them (as Jekyll's
/// jekyll-redirect-from accepts); unlike a taxonomy, a string is one
/// address, never split at spaces.
fn addresses(value: &serde_yaml::Value) -> Option<Vec<String>> {
    match value {
        serde_yaml::Value::Sequence(items) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| scalar_text(v).map(|t| t.trim().to_string()))
            .collect(),
        serde_yaml::Value::Null => Some(Vec::new()),
        v => scalar_text(v).map(|t| vec![t.trim().to_string()]),
    }
}

fn to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(b) => Value::Bool(b),
        serde_yaml::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        serde_yaml::Value::String(s) => Value::String(s),
        serde_yaml::Value::Sequence(items) => {
            Value::Array(items.into_iter().map(to_json).collect())
        }
        serde_yaml::Value::Mapping(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (scalar_text(&k).unwrap_or_default(), to_json(v)))
                .collect(),
        ),
        serde_yaml::Value::Tagged(t) => to_json(t.value),
    }
}

/// Reads the site settings block of `_index.md` as plain JSON data.
pub(crate) fn parse_settings(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<Map<String, Value>, Diagnostic> {
    let raw = parse(path, yaml, first_line)?;
    let mut map = raw.extra;
    for (key, value) in [
        ("title", raw.title),
        ("description", raw.description),
        ("author", raw.author),
        ("excerpt_separator", raw.excerpt_separator),
    ] {
        if let Some(v) = value {
            map.insert(key.to_string(), Value::String(v));
        }
    }
    Ok(map)
}

/// A YAML file read as data, with warnings about what was read leniently.
pub(crate) type YamlFile = (Map<String, Value>, Vec<Diagnostic>);

/// Reads a whole YAML file (a Jekyll `_config.yml`) as JSON data, leniently
/// as Jekyll does (see [`read_lenient`]); errors point at the file's line.
pub(crate) fn read_yaml_file(path: &Path, text: &str) -> Result<YamlFile, Diagnostic> {
    read_yaml_block(path, text, 1)
}

/// Reads a YAML block that starts on file line `first_line` (a whole file,
/// or the front matter block of another tool's file) as JSON data,
/// leniently.
pub(crate) fn read_yaml_block(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<YamlFile, Diagnostic> {
    if yaml.trim().is_empty() {
        return Ok((Map::new(), Vec::new()));
    }
    match read_yaml_at(path, yaml, first_line)? {
        (Value::Object(map), warnings) => Ok((map, warnings)),
        (Value::Null, warnings) => Ok((Map::new(), warnings)),
        _ => Err(Diagnostic::error(
            path,
            first_line,
            1,
            "expected `key: value` lines",
        )),
    }
}

/// Reads a whole YAML file (a data file, a Jekyll `_config.yml`) as any
/// JSON value, leniently as Jekyll does (see [`read_lenient`]), with the
/// warnings of what was read leniently; errors point at the file's line
/// and column.
pub(crate) fn read_yaml_value(
    path: &Path,
    text: &str,
) -> Result<(Value, Vec<Diagnostic>), Diagnostic> {
    read_yaml_at(path, text, 1)
}

/// Reads YAML that starts on file line `first_line` as any JSON value,
/// leniently.
fn read_yaml_at(
    path: &Path,
    yaml: &str,
    first_line: usize,
) -> Result<(Value, Vec<Diagnostic>), Diagnostic> {
    if let Some(offset) = too_deep_flow(yaml) {
        let line = first_line + yaml[..offset].matches('\n').count();
        return Err(Diagnostic::error(
            path,
            line,
            1,
            format!("invalid YAML: `[` and `{{` nest more than {MAX_FLOW_NESTING} deep"),
        ));
    }
    let (value, warnings) = read_lenient(path, yaml, first_line).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line(), l.column()));
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message);
        Diagnostic::error(
            path,
            first_line + line - 1,
            col,
            format!("invalid YAML: {message}"),
        )
    })?;
    Ok((to_json(untag(value)), warnings))
}

/// `fields` as YAML lines (no fences).
pub(crate) fn to_yaml(fields: &Map<String, Value>) -> String {
    if fields.is_empty() {
        String::new()
    } else {
        serde_yaml::to_string(fields).unwrap_or_default()
    }
}

/// Writes `fields` as a front matter block, `---` fences included.
pub(crate) fn write(fields: &Map<String, Value>) -> String {
    format!("---\n{}---\n", to_yaml(fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("post.md")
    }

    #[test]
    fn splits_front_matter_from_body() {
        let s = split(p(), "---\ntitle: A\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, Some("title: A\n"));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_offset, 17);
    }

    #[test]
    fn splits_with_crlf_and_dot_closing_fence() {
        let s = split(p(), "---\r\ntitle: A\r\n...\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("title: A\r\n"));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn file_without_front_matter_is_all_body() {
        let s = split(p(), "# Hi\n---\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Hi\n---\n");
    }

    #[test]
    fn unclosed_front_matter_is_an_error_at_line_one() {
        let e = split(p(), "---\ntitle: A\nbody\n").unwrap_err();
        assert_eq!((e.line, e.col), (Some(1), Some(1)));
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn reads_jekyll_fields() {
        let fm = parse(
            p(),
            "title: T\ncategories: computer\ntags:\n  - email\n  - Post Formats\npublished: false\nheader:\n  image: x.png\n",
            2,
        )
        .unwrap();
        assert_eq!(fm.title.as_deref(), Some("T"));
        assert_eq!(fm.categories, ["computer"]);
        assert_eq!(fm.tags, ["email", "Post Formats"]);
        assert!(fm.draft);
        assert_eq!(fm.extra["header"]["image"], "x.png");
        assert_eq!(fm.line_of("tags"), 4);
    }

    #[test]
    fn space_separated_tags_split() {
        let fm = parse(p(), "tags: a b  c\ncategory: one\n", 2).unwrap();
        assert_eq!(fm.tags, ["a", "b", "c"]);
        assert_eq!(fm.categories, ["one"]);
    }

    #[test]
    fn yaml_error_points_at_the_markdown_line() {
        let e = parse(p(), "title: ok\ntags: [a, b\n", 2).unwrap_err();
        assert!(e.line.unwrap() >= 3, "{e}");
        assert!(e.message.starts_with("invalid front matter"), "{e}");
    }

    #[test]
    fn yaml_error_context_names_the_markdown_line_where_it_starts() {
        let e = parse(p(), "title: \"abc\ntags: x\n", 2).unwrap_err();
        assert_eq!(
            e.message,
            "invalid front matter: found unexpected end of stream, \
             while scanning a quoted scalar that starts on line 2"
        );
        let e = parse(p(), "title: ok\ntags: [a, b\nmore: y\n", 2).unwrap_err();
        assert_eq!((e.line, e.col), (Some(4), Some(5)));
        assert!(
            e.message.ends_with("flow sequence that starts on line 3"),
            "{e}"
        );
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("title: t\nx: {}{}\n", "[".repeat(5000), "]".repeat(5000));
        let e = parse(p(), &deep, 2).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("nest more than 1000 deep"), "{e}");
        let e = parse(
            p(),
            &format!("x: {}{}\n", "[".repeat(200), "]".repeat(200)),
            2,
        );
        assert!(e.unwrap_err().message.contains("recursion limit"));
    }

    #[test]
    fn wrong_types_name_the_field_and_its_line() {
        let e = parse(p(), "title: ok\ntags: 5\n", 2).unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("`tags`"), "{e}");
        let e = parse(p(), "published: maybe\n", 2).unwrap_err();
        assert!(e.message.contains("`published`"), "{e}");
    }

    #[test]
    fn written_front_matter_reads_back() {
        let mut fields = Map::new();
        fields.insert("title".into(), Value::String("A: b".into()));
        fields.insert("base_url".into(), Value::String("https://x.org/r/".into()));
        let text = write(&fields);
        let yaml = split(p(), &text).unwrap().yaml.unwrap();
        assert_eq!(read_yaml_file(p(), yaml).unwrap().0, fields);
    }

    #[test]
    fn each_old_address_of_a_block_list_has_its_own_line() {
        let yaml = "title: A\naliases:\n  - /a/\n  # moved twice\n  - /b/\nredirect_from:\n- /c/\n- /d/\nnested:\n  - - x\n    - y\nlater: [/e/, /f/]\n";
        let fm = parse(p(), yaml, 2).unwrap();
        let lines: Vec<(&str, usize)> = fm.aliases.iter().map(|(a, l)| (a.as_str(), *l)).collect();
        assert_eq!(lines, [("/a/", 4), ("/b/", 6), ("/c/", 8), ("/d/", 9)]);
        assert_eq!(item_lines(yaml, 2)["nested"], [11]);
        // A flow list is on its key's line.
        let fm = parse(p(), "aliases: [/e/, /f/]\n", 2).unwrap();
        assert_eq!(fm.aliases, [("/e/".to_string(), 2), ("/f/".to_string(), 2)]);
    }

    #[test]
    fn a_key_given_twice_keeps_the_last_value_with_a_warning() {
        let fm = parse(
            p(),
            "title: A\nredirect_from: /a/\nnested:\n  x: 1\n  x: 2\nredirect_from:\n  - /b/\n",
            2,
        )
        .unwrap();
        assert_eq!(fm.aliases, [("/b/".to_string(), 8)]);
        assert_eq!(fm.extra["nested"]["x"], 2);
        let places: Vec<_> = fm.warnings.iter().map(|w| (w.line, w.col)).collect();
        assert_eq!(places, [(Some(6), Some(3)), (Some(7), Some(1))]);
        assert!(
            fm.warnings[1]
                .message
                .contains("`redirect_from` is given twice")
        );
        assert!(!fm.warnings[0].is_error());
    }

    #[test]
    fn integers_of_any_size_are_kept_as_their_digits() {
        let fm = parse(
            p(),
            "title: A\nid: 123456789012345678901\nneg: -99999999999999999999\nok: 7\n",
            2,
        )
        .unwrap();
        assert_eq!(fm.extra["id"], "123456789012345678901");
        assert_eq!(fm.extra["neg"], "-99999999999999999999");
        assert_eq!(fm.extra["ok"], 7);
        assert_eq!(fm.warnings.len(), 2);
        assert_eq!(
            (fm.warnings[0].line, fm.warnings[0].col),
            (Some(3), Some(5))
        );
        let (config, warnings) =
            read_yaml_file(p(), "paginate: 5\nid: 123456789012345678901\n").unwrap();
        assert_eq!(config["id"], "123456789012345678901");
        assert_eq!(warnings[0].line, Some(2));
        let fm = parse(p(), "huge: 1234567890123456789012345678901234567890\n", 2).unwrap();
        assert_eq!(fm.extra["huge"], "1234567890123456789012345678901234567890");
    }

    #[test]
    fn tagged_values_are_read_untagged() {
        let fm = parse(p(), "x: !custom 5\n", 2).unwrap();
        assert_eq!(fm.extra["x"], 5);
    }

    #[test]
    fn non_mapping_front_matter_is_an_error() {
        let e = parse(p(), "- a\n- b\n", 2).unwrap_err();
        assert!(e.message.contains("mapping"));
    }
}
