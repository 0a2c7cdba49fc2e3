//! A Jekyll document's front matter: read as Jekyll reads it (over the
//! site's defaults), and rewritten with the fields the import sets.

use super::tree::Entry;
use crate::error::Diagnostic;
use crate::source::{date, frontmatter};
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use serde_json::{Map, Value};

/// A document's data: the defaults that apply to it, then its own front
/// matter over them. Lenient readings come back as warnings.
pub(crate) fn read(
    entry: &Entry,
    defaults: Map<String, Value>,
) -> Result<(Map<String, Value>, Vec<Diagnostic>), Diagnostic> {
    let text = entry.text.as_deref().unwrap_or_default();
    let split = frontmatter::split(&entry.from, text)?;
    let (own, warnings) = match split.yaml {
        Some(yaml) => frontmatter::read_yaml_block(&entry.from, yaml, split.yaml_line)?,
        None => (Map::new(), Vec::new()),
    };
    let mut data = defaults;
    data.extend(own.into_iter().filter(|(_, v)| !v.is_null()));
    Ok((data, warnings))
}

/// A value as Jekyll's `to_s` writes it.
pub(crate) fn text(data: &Map<String, Value>, key: &str) -> Option<String> {
    match data.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
        other => Some(other.to_string()),
    }
}

/// Categories in Jekyll's order: the folders above `_posts`, then
/// `categories` (a list, or a space-separated string), then `category`;
/// each once.
pub(crate) fn categories(data: &Map<String, Value>, from_path: &[String]) -> Vec<String> {
    let terms = |value: Option<&Value>, split: bool| -> Vec<String> {
        match value {
            Some(Value::String(s)) if split => s.split_whitespace().map(str::to_string).collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect(),
            Some(Value::Null) | None => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(other) => vec![other.to_string()],
        }
    };
    let mut out: Vec<String> = Vec::new();
    let all = from_path
        .iter()
        .cloned()
        .chain(terms(data.get("categories"), true))
        .chain(terms(data.get("category"), false));
    for t in all {
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The document's date on the site's clock: `date:` (a date with an
/// offset is moved into `tz`, as Jekyll's `localtime` does; one without
/// is read in `tz`), else the file name's date at midnight. A `date:` that
/// cannot be read gives a message to note, and the file name's date.
pub(crate) fn local_date(
    data: &Map<String, Value>,
    file_date: Option<NaiveDate>,
    tz: Tz,
) -> (Option<NaiveDateTime>, Option<String>) {
    let from_file = file_date.and_then(|d| d.and_hms_opt(0, 0, 0));
    let Some(written) = text(data, "date") else {
        return (from_file, None);
    };
    match date::parse_as_written(&written) {
        Some((time, None)) => (Some(time), None),
        Some((time, Some(offset))) => {
            let instant = time - chrono::Duration::seconds(i64::from(offset.local_minus_utc()));
            (
                Some(instant.and_utc().with_timezone(&tz).naive_local()),
                None,
            )
        }
        None => (
            from_file,
            Some(format!(
                "`date: {written}` is not a date; the URL uses the file name's date"
            )),
        ),
    }
}

/// The date and slug of a Jekyll post file name `YYYY-MM-DD-slug.ext`
/// (`None` when the name has no date: Jekyll does not publish it).
pub(crate) fn dated_name(stem: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = stem.splitn(4, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let slug = parts.next()?;
    let digits = |s: &str, range: std::ops::RangeInclusive<usize>| {
        range.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 2..=4) && digits(m, 1..=2) && digits(d, 1..=2)) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, slug))
}

/// `text` with `set` written at the top of its front matter (a file
/// without one gets one), and the lines that wrote those keys or the keys
/// of `drop` before (with their indented or listed continuation lines)
/// left out. The body and every other line stay as they were.
pub(crate) fn rewrite(text: &str, set: &Map<String, Value>, drop: &[&str]) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let fields = frontmatter::to_yaml(set);
    let Ok(split) = frontmatter::split(std::path::Path::new(""), &text) else {
        return format!("---\n{fields}---\n{text}");
    };
    let Some(yaml) = split.yaml else {
        return format!("---\n{fields}---\n{text}");
    };
    let mut kept = String::with_capacity(yaml.len());
    let mut dropping = false;
    for line in yaml.split_inclusive('\n') {
        let top_level = !line.starts_with([' ', '\t', '-', '#']) && !line.trim().is_empty();
        if top_level {
            let key = line
                .split(':')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['"', '\'']);
            dropping = set.contains_key(key) || drop.contains(&key);
        }
        if !dropping {
            kept.push_str(line);
        }
    }
    if !kept.is_empty() && !kept.ends_with('\n') {
        kept.push('\n');
    }
    format!("---\n{fields}{kept}---\n{}", split.body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn categories_in_jekyll_order() {
        let data = map(json!({"categories": "Mail dns", "category": "Mail"}));
        assert_eq!(categories(&data, &["blog".into()]), ["blog", "Mail", "dns"]);
        let data = map(json!({"categories": ["A B", 7], "category": "C D"}));
        assert_eq!(categories(&data, &[]), ["A B", "7", "C D"]);
    }

    #[test]
    fn dates_move_into_the_site_zone() {
        let tz: Tz = "America/New_York".parse().unwrap();
        let data = map(json!({"date": "2020-01-02 03:00:00 +0000"}));
        let (d, _) = local_date(&data, None, tz);
        assert_eq!(d.unwrap().to_string(), "2020-01-01 22:00:00");
        let data = map(json!({"date": "2020-01-02 03:00:00"}));
        assert_eq!(
            local_date(&data, None, tz).0.unwrap().to_string(),
            "2020-01-02 03:00:00"
        );
        let file = NaiveDate::from_ymd_opt(2019, 5, 6);
        let (d, note) = local_date(&map(json!({"date": "soon"})), file, tz);
        assert_eq!(d.unwrap().to_string(), "2019-05-06 00:00:00");
        assert!(note.unwrap().contains("soon"));
    }

    #[test]
    fn dated_names_as_jekyll_matches_them() {
        let (d, slug) = dated_name("2020-1-2-hello-world").unwrap();
        assert_eq!(
            (d.to_string().as_str(), slug),
            ("2020-01-02", "hello-world")
        );
        assert!(dated_name("hello-world").is_none());
        assert!(dated_name("2020-13-02-x").is_none());
    }

    #[test]
    fn rewriting_sets_fields_and_keeps_the_rest() {
        let text = "---\ntitle: T\npermalink: /old/\naliases:\n  - /a/\ntags: [x]\n---\nBody\n";
        let set = map(json!({"permalink": "/2020/t.html"}));
        assert_eq!(
            rewrite(text, &set, &[]),
            "---\npermalink: /2020/t.html\ntitle: T\naliases:\n  - /a/\ntags: [x]\n---\nBody\n"
        );
        let set = map(json!({"aliases": ["/a/", "/b/"]}));
        assert_eq!(
            rewrite(text, &set, &[]),
            "---\naliases:\n- /a/\n- /b/\ntitle: T\npermalink: /old/\ntags: [x]\n---\nBody\n"
        );
        assert_eq!(
            rewrite(text, &Map::new(), &["permalink"]),
            "---\ntitle: T\naliases:\n  - /a/\ntags: [x]\n---\nBody\n"
        );
        assert_eq!(
            rewrite("Body\n", &map(json!({"draft": true})), &[]),
            "---\ndraft: true\n---\nBody\n"
        );
    }
}
