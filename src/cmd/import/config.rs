//! `_config.yml`: the settings folio has (→ `content/_index.md`), and what
//! the import needs to compute URLs: the permalink style, the time zone,
//! the collections and the front matter defaults.

use crate::error::Diagnostic;
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::path::Path;

/// A collection declared under `collections:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Collection {
    /// Its name; its files are in `_<label>/`.
    pub(crate) label: String,
    /// `output: true`: Jekyll writes a page for each document.
    pub(crate) output: bool,
    /// Its own `permalink` pattern, if any.
    pub(crate) permalink: Option<String>,
}

/// The collections of `collections:` (a mapping, or a list of names),
/// without `posts`, whose settings [`posts_permalink`] reads.
pub(crate) fn collections(config: &Map<String, Value>) -> Vec<Collection> {
    let read = |label: &str, meta: Option<&Value>| Collection {
        label: label.to_string(),
        output: meta
            .and_then(|m| m.get("output"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        permalink: meta
            .and_then(|m| m.get("permalink"))
            .and_then(Value::as_str)
            .map(str::to_string),
    };
    let all: Vec<Collection> = match config.get("collections") {
        Some(Value::Object(map)) => map.iter().map(|(k, v)| read(k, Some(v))).collect(),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .map(|n| read(n, None))
            .collect(),
        _ => Vec::new(),
    };
    all.into_iter().filter(|c| c.label != "posts").collect()
}

/// The site's `permalink:` setting, as written (`None`: Jekyll's `date`).
pub(crate) fn style(config: &Map<String, Value>) -> Option<&str> {
    config.get("permalink").and_then(Value::as_str)
}

/// The pattern of posts' URLs: `collections.posts.permalink`, else the
/// site's style.
pub(crate) fn posts_permalink(config: &Map<String, Value>) -> String {
    config
        .get("collections")
        .and_then(|c| c.get("posts"))
        .and_then(|p| p.get("permalink"))
        .and_then(Value::as_str)
        .map_or_else(
            || super::permalink::posts_pattern(style(config)),
            str::to_string,
        )
}

/// The site's `timezone` (an IANA name such as `Europe/Berlin`). Without
/// one Jekyll uses the build machine's zone, which on GitHub Pages is UTC.
/// A name that is not a zone is a warning at `line` (the key's line).
pub(crate) fn time_zone(
    config: &Map<String, Value>,
    path: &Path,
    line: usize,
) -> (Tz, Option<Diagnostic>) {
    match config.get("timezone").and_then(Value::as_str) {
        None => (Tz::UTC, None),
        Some(name) => match name.parse::<Tz>() {
            Ok(tz) => (tz, None),
            Err(_) => (
                Tz::UTC,
                Some(
                    Diagnostic::warning(
                        path,
                        line,
                        1,
                        format!("`timezone: {name}` is not a time zone; URLs use UTC dates"),
                    )
                    .with_help("write an IANA name such as Europe/Berlin"),
                ),
            ),
        },
    }
}

/// The front matter defaults (`defaults:`) that apply to the file at
/// `rel` of type `kind` (`posts`, `pages`, `drafts` or a collection's
/// label), merged in order: a later scope's value wins. A scope's `path`
/// matches the file's path or a folder above it; no `path` matches all.
pub(crate) fn defaults_for(
    config: &Map<String, Value>,
    rel: &Path,
    kind: &str,
) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(Value::Array(rules)) = config.get("defaults") else {
        return out;
    };
    for rule in rules {
        let scope = rule.get("scope");
        let path = scope
            .and_then(|s| s.get("path"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim_matches('/');
        let kind_ok = scope
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .is_none_or(|t| t == kind || (t == "posts" && kind == "drafts"));
        let path_ok = path.is_empty() || rel.starts_with(path);
        if let (true, true, Some(Value::Object(values))) = (kind_ok, path_ok, rule.get("values")) {
            out.extend(values.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    out
}

/// The settings of `_config.yml` that folio has, as `_index.md` front
/// matter: `title`, `description`, `author` (a name, or a mapping's
/// `name`), `url` + `baseurl` as `base_url`, `excerpt_separator`,
/// `paginate` as `paginate_by`, and `timezone`; and `liquid: true`, as
/// Jekyll runs Liquid on every page with front matter.
pub(crate) fn settings(config: &Map<String, Value>) -> Map<String, Value> {
    let text = |key: &str| match config.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        _ => None,
    };
    let mut out = Map::new();
    for key in ["title", "description"] {
        if let Some(v) = text(key) {
            out.insert(key.into(), Value::String(v));
        }
    }
    let author = match config.get("author") {
        Some(Value::Object(a)) => a.get("name").and_then(Value::as_str).map(str::to_string),
        _ => text("author"),
    };
    if let Some(a) = author {
        out.insert("author".into(), Value::String(a));
    }
    let url = text("url").unwrap_or_default();
    let baseurl = text("baseurl").unwrap_or_default();
    if !url.is_empty() || !baseurl.is_empty() {
        let path = baseurl.trim_matches('/');
        let base = if path.is_empty() {
            format!("{}/", url.trim_end_matches('/'))
        } else {
            format!("{}/{path}/", url.trim_end_matches('/'))
        };
        out.insert("base_url".into(), Value::String(base));
    }
    // Kept as written: Jekyll's default separator is "\n\n" itself.
    if let Some(Value::String(sep)) = config.get("excerpt_separator")
        && !sep.is_empty()
    {
        out.insert("excerpt_separator".into(), Value::String(sep.clone()));
    }
    if let Some(n) = config.get("paginate").and_then(Value::as_u64) {
        out.insert("paginate_by".into(), Value::from(n));
    }
    out.insert("liquid".into(), Value::Bool(true));
    if let Some(tz) = text("timezone") {
        out.insert("timezone".into(), Value::String(tz));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn config_settings_map_to_folio_names() {
        let config = map(
            json!({"title": "T", "url": "https://u.github.io/", "baseurl": "/repo",
            "author": {"name": "Ann"}, "theme": "minima", "excerpt_separator": "<!--more-->",
            "paginate": 5, "timezone": "Europe/Berlin"}),
        );
        let s = settings(&config);
        assert_eq!(s["base_url"], "https://u.github.io/repo/");
        assert_eq!(s["author"], "Ann");
        assert_eq!(s["excerpt_separator"], "<!--more-->");
        assert_eq!(s["paginate_by"], 5);
        assert_eq!(s["timezone"], "Europe/Berlin");
        assert_eq!(s["liquid"], true);
        assert!(!s.contains_key("theme"));
    }

    #[test]
    fn collections_as_a_mapping_or_a_list() {
        let config = map(
            json!({"collections": {"docs": {"output": true, "permalink": "/:path/"},
            "posts": {"permalink": "/blog/:title/"}, "team": null}}),
        );
        assert_eq!(
            collections(&config),
            [
                Collection {
                    label: "docs".into(),
                    output: true,
                    permalink: Some("/:path/".into())
                },
                Collection {
                    label: "team".into(),
                    output: false,
                    permalink: None
                },
            ]
        );
        assert_eq!(posts_permalink(&config), "/blog/:title/");
        let config = map(json!({"collections": ["recipes"], "permalink": "pretty"}));
        assert_eq!(collections(&config)[0].label, "recipes");
        assert_eq!(
            posts_permalink(&config),
            "/:categories/:year/:month/:day/:title/"
        );
    }

    #[test]
    fn defaults_apply_by_path_and_type_in_order() {
        let config = map(json!({"defaults": [
            {"scope": {"path": ""}, "values": {"layout": "single", "permalink": "/a/"}},
            {"scope": {"path": "_posts/old", "type": "posts"}, "values": {"permalink": "/old/:title/"}},
            {"scope": {"type": "pages"}, "values": {"permalink": "/p/"}}
        ]}));
        let d = defaults_for(&config, Path::new("_posts/old/x.md"), "posts");
        assert_eq!(d["permalink"], "/old/:title/");
        assert_eq!(d["layout"], "single");
        let d = defaults_for(&config, Path::new("_posts/x.md"), "posts");
        assert_eq!(d["permalink"], "/a/");
        assert_eq!(
            defaults_for(&config, Path::new("about.md"), "pages")["permalink"],
            "/p/"
        );
    }

    #[test]
    fn time_zones_by_name() {
        let config = map(json!({"timezone": "America/New_York"}));
        assert_eq!(
            time_zone(&config, Path::new("_config.yml"), 1).0,
            chrono_tz::America::New_York
        );
        let config = map(json!({"timezone": "Mars/Olympus"}));
        let (tz, note) = time_zone(&config, Path::new("_config.yml"), 1);
        assert_eq!(tz, Tz::UTC);
        assert!(note.unwrap().message.contains("Mars/Olympus"));
    }
}
