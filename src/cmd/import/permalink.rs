//! The URL Jekyll gives a document, so an imported page keeps it.
//!
//! Jekyll's rules (lib/jekyll/url.rb, drops/url_drop.rb, page.rb,
//! configuration.rb, utils.rb):
//!
//! - a site's `permalink:` names a style (`date`, `pretty`, `ordinal`,
//!   `weekdate`, `none`) or is a pattern of its own; posts use it, a
//!   collection uses its own `permalink` or `/:collection/:path` with the
//!   style's ending, a page `/:path/:basename` with the style's ending;
//! - a document's `permalink:` replaces the pattern (placeholders and all);
//! - each `:name` is replaced by the document's value, escaped as a URL
//!   path; an unknown name is an error;
//! - the result gets one leading `/`, `..` turned into `/`, `./` removed and
//!   runs of `/` squeezed;
//! - the file written is the URL unescaped, `index.html` under a URL ending
//!   in `/`, else the URL with `.html` added unless it ends so already.

use chrono::{Datelike, NaiveDateTime};

/// The pattern of each built-in style.
const STYLES: [(&str, &str); 5] = [
    ("date", "/:categories/:year/:month/:day/:title:output_ext"),
    ("pretty", "/:categories/:year/:month/:day/:title/"),
    ("ordinal", "/:categories/:year/:y_day/:title:output_ext"),
    (
        "weekdate",
        "/:categories/:year/W:week/:short_day/:title:output_ext",
    ),
    ("none", "/:categories/:title:output_ext"),
];

/// The extension Jekyll gives Markdown output.
pub(crate) const OUTPUT_EXT: &str = ".html";

/// The pattern a site's `permalink:` setting gives posts: a style's, or the
/// setting itself when it is a pattern. Jekyll's default style is `date`.
pub(crate) fn posts_pattern(style: Option<&str>) -> String {
    let style = style.unwrap_or("date");
    STYLES
        .iter()
        .find(|(name, _)| *name == style)
        .map_or(style, |(_, pattern)| pattern)
        .to_string()
}

/// `pattern` with the ending of the site's permalink style (Jekyll's
/// `add_permalink_suffix`): `/` for `pretty` or a pattern ending in `/`,
/// `:output_ext` for `date`, `ordinal`, `none` or a pattern ending so.
pub(crate) fn with_style_ending(pattern: &str, style: Option<&str>) -> String {
    let style = style.unwrap_or("date");
    let mut out = pattern.to_string();
    match style {
        "pretty" => out.push('/'),
        "date" | "ordinal" | "none" => out.push_str(":output_ext"),
        _ => {
            if style.ends_with('/') {
                out.push('/');
            }
            if style.ends_with(":output_ext") {
                out.push_str(":output_ext");
            }
        }
    }
    out
}

/// What a post's or a collection document's URL is made from.
#[derive(Debug, Clone)]
pub(crate) struct Document<'a> {
    /// The collection's label (`posts` for posts).
    pub(crate) collection: &'a str,
    /// The path inside the collection's folder without its extension, with
    /// a leading `/` (`/guides/setup`).
    pub(crate) path: &'a str,
    /// The file name without its extension (`2020-01-02-hello`).
    pub(crate) basename: &'a str,
    /// Front matter `slug`, else the file name's slug (without the date).
    pub(crate) slug: &'a str,
    /// Categories, in Jekyll's order.
    pub(crate) categories: &'a [String],
    /// The date as a clock in the site's time zone shows it.
    pub(crate) date: Option<NaiveDateTime>,
}

impl Document<'_> {
    /// The value of one placeholder, `None` when Jekyll has no such name.
    /// A date placeholder of a document without a date is an error.
    fn value(&self, name: &str) -> Option<Result<String, String>> {
        let text = match name {
            "collection" => self.collection.to_string(),
            "path" => self.path.to_string(),
            "name" => slugify(self.basename, false, false),
            "title" => slugify(self.slug, true, true),
            "slug" => slugify(self.slug, false, false),
            "categories" => unique(self.categories.iter().map(|c| c.to_lowercase())),
            "slugified_categories" => {
                unique(self.categories.iter().map(|c| slugify(c, false, false)))
            }
            "output_ext" => OUTPUT_EXT.to_string(),
            _ => return self.date_value(name),
        };
        Some(Ok(text))
    }

    fn date_value(&self, name: &str) -> Option<Result<String, String>> {
        let format = match name {
            "year" => "%Y",
            "month" => "%m",
            "day" => "%d",
            "hour" => "%H",
            "minute" => "%M",
            "second" => "%S",
            "i_day" => "%-d",
            "i_month" => "%-m",
            "short_month" => "%b",
            "long_month" => "%B",
            "short_year" => "%y",
            "w_year" => "%G",
            "week" => "%V",
            "w_day" => "%u",
            "short_day" => "%a",
            "long_day" => "%A",
            "y_day" => "%j",
            _ => return None,
        };
        Some(match self.date {
            Some(d) if d.year() >= 0 => Ok(d.format(format).to_string()),
            _ => Err(format!("`:{name}` needs a date, and this file has none")),
        })
    }
}

/// Joins terms with `/`, each once, in order.
fn unique(terms: impl Iterator<Item = String>) -> String {
    let mut seen: Vec<String> = Vec::new();
    for t in terms {
        if !seen.contains(&t) {
            seen.push(t);
        }
    }
    seen.join("/")
}

/// Fills in a post's or collection document's URL pattern. Names are runs
/// of `a-z` and `_`; one ending in `_` that Jekyll does not know is tried
/// without it (`:month_:day`).
pub(crate) fn document_url(pattern: &str, doc: &Document<'_>) -> Result<String, String> {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut rest = pattern;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if len == 0 {
            out.push(':');
            rest = after;
            continue;
        }
        let name = &after[..len];
        let (name, value) = match doc.value(name) {
            Some(v) => (name, v),
            None => {
                let short = name.strip_suffix('_').filter(|s| !s.is_empty());
                match short.and_then(|s| doc.value(s).map(|v| (s, v))) {
                    Some(found) => found,
                    None => {
                        return Err(format!(
                            "the permalink `{pattern}` has `:{name}`, which Jekyll does not know"
                        ));
                    }
                }
            }
        };
        out.push_str(&escape_path(&value?));
        rest = &after[name.len()..];
    }
    out.push_str(rest);
    Ok(sanitize(&out))
}

/// A page's URL (Jekyll's `Page`): `permalink:` when given, else
/// `/:path/` for an `index` file and `/:path/:basename` with the style's
/// ending for others. `dir` is the page's folder from the site's root (``
/// at the top); only `:path`, `:basename` and `:output_ext` are filled in.
pub(crate) fn page_url(
    permalink: Option<&str>,
    dir: &str,
    basename: &str,
    style: Option<&str>,
) -> String {
    let pattern = match permalink {
        Some(p) => p.to_string(),
        None if basename == "index" => "/:path/".to_string(),
        None => with_style_ending("/:path/:basename", style),
    };
    let mut url = pattern;
    for (key, value) in [
        ("path", dir),
        ("basename", basename),
        ("output_ext", OUTPUT_EXT),
    ] {
        if !url.contains(':') {
            break;
        }
        url = url.replace(&format!(":{key}"), &escape_path(value));
    }
    sanitize(&url)
}

/// Jekyll's `sanitize_url`: one leading `/`, `..` made `/`, `./` dropped,
/// runs of `/` squeezed.
fn sanitize(url: &str) -> String {
    let url = format!("/{url}").replace("..", "/").replace("./", "");
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Jekyll's `URL.escape_path`: text of letters, digits, `.`, `/` and `-`
/// is kept; otherwise every byte outside a URL path's characters
/// (RFC 3986 `pchar` and `/`) is percent-encoded.
pub(crate) fn escape_path(text: &str) -> String {
    let plain = |b: u8| b.is_ascii_alphanumeric() || b"./-".contains(&b);
    if text.bytes().all(plain) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The site path of the file Jekyll writes for `url`, which is where folio
/// publishes the page: the URL unescaped, with `.html` added to a URL that
/// ends neither in `/` nor in `.html` (`/2020/hi` → `2020/hi.html`).
pub(crate) fn output_path(url: &str) -> String {
    let path = crate::urls::percent_decode_lossy(url.trim_start_matches('/'));
    if path.is_empty() || path.ends_with('/') || path.ends_with(OUTPUT_EXT) {
        path
    } else {
        format!("{path}{OUTPUT_EXT}")
    }
}

/// Jekyll's `slugify` in its `default` mode (every run of characters that
/// are not letters, marks or digits becomes `-`) or `pretty` mode (which
/// also keeps `._~!$&'()+,;=@`), with one `-` trimmed at each end, and
/// lowercased unless `cased`.
pub(crate) fn slugify(text: &str, pretty: bool, cased: bool) -> String {
    let keep = |c: char| c.is_alphanumeric() || (pretty && "._~!$&'()+,;=@".contains(c));
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if keep(c) {
            slug.push(c);
        } else if !slug.ends_with('-') || slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.strip_prefix('-').unwrap_or(&slug);
    let slug = slug.strip_suffix('-').unwrap_or(slug);
    if cased {
        slug.to_string()
    } else {
        slug.to_lowercase()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post<'a>(categories: &'a [String], date: &str) -> Document<'a> {
        Document {
            collection: "posts",
            path: "/2020-01-02-Hello World",
            basename: "2020-01-02-Hello World",
            slug: "Hello World",
            categories,
            date: NaiveDateTime::parse_from_str(date, "%Y-%m-%d %H:%M:%S").ok(),
        }
    }

    #[test]
    fn built_in_styles_give_jekylls_patterns() {
        assert_eq!(
            posts_pattern(None),
            "/:categories/:year/:month/:day/:title:output_ext"
        );
        assert_eq!(posts_pattern(Some("/blog/:title/")), "/blog/:title/");
        assert_eq!(
            with_style_ending("/:collection/:path", Some("pretty")),
            "/:collection/:path/"
        );
        assert_eq!(
            with_style_ending("/:collection/:path", None),
            "/:collection/:path:output_ext"
        );
        assert_eq!(
            with_style_ending("/:collection/:path", Some("/:title")),
            "/:collection/:path"
        );
    }

    #[test]
    fn placeholders_fill_as_in_jekyll() {
        let cats = ["Mail Servers".to_string(), "dns".into(), "dns".into()];
        let doc = post(&cats, "2020-01-02 03:04:05");
        let url = |p: &str| document_url(p, &doc).unwrap();
        assert_eq!(
            url("/:categories/:title:output_ext"),
            "/mail%20servers/dns/Hello-World.html"
        );
        assert_eq!(
            url("/:slugified_categories/:slug/"),
            "/mail-servers/dns/hello-world/"
        );
        assert_eq!(url("/:year/:i_month/:i_day/:short_year/"), "/2020/1/2/20/");
        assert_eq!(url("/:hour:minute:second/:y_day/"), "/030405/002/");
        assert_eq!(
            url("/:short_month-:long_month/:short_day-:long_day/"),
            "/Jan-January/Thu-Thursday/"
        );
        assert_eq!(url("/:w_year/W:week/:w_day/"), "/2020/W01/4/");
        assert_eq!(url("/:month_:day/:name"), "/01_02/2020-01-02-hello-world");
        assert_eq!(
            url("/:collection:path/"),
            "/posts/2020-01-02-Hello%20World/"
        );
        assert!(document_url("/:nope/", &doc).unwrap_err().contains(":nope"));
    }

    #[test]
    fn empty_values_and_dots_are_squeezed_out() {
        let doc = post(&[], "2020-01-02 00:00:00");
        assert_eq!(
            document_url(&posts_pattern(Some("date")), &doc).unwrap(),
            "/2020/01/02/Hello-World.html"
        );
        assert_eq!(
            document_url("blog/../:year//x", &doc).unwrap(),
            "/blog///2020/x".replace("///", "/")
        );
    }

    #[test]
    fn a_date_placeholder_without_a_date_is_an_error() {
        let mut doc = post(&[], "2020-01-02 00:00:00");
        doc.date = None;
        assert!(
            document_url("/:year/:title/", &doc)
                .unwrap_err()
                .contains(":year")
        );
        assert_eq!(document_url("/:title/", &doc).unwrap(), "/Hello-World/");
    }

    #[test]
    fn pages_use_path_and_basename() {
        assert_eq!(page_url(None, "", "about", None), "/about.html");
        assert_eq!(
            page_url(None, "docs", "setup", Some("pretty")),
            "/docs/setup/"
        );
        assert_eq!(page_url(None, "docs", "index", None), "/docs/");
        assert_eq!(page_url(Some("/me/"), "", "about", None), "/me/");
        assert_eq!(
            page_url(Some("/:basename:output_ext"), "", "a b", None),
            "/a%20b.html"
        );
    }

    #[test]
    fn output_paths_are_the_files_jekyll_writes() {
        assert_eq!(output_path("/2020/01/02/x.html"), "2020/01/02/x.html");
        assert_eq!(output_path("/2020/x"), "2020/x.html");
        assert_eq!(output_path("/x/"), "x/");
        assert_eq!(output_path("/mail%20servers/x/"), "mail servers/x/");
    }

    #[test]
    fn slugify_modes() {
        assert_eq!(
            slugify("What's new? Ünïcode!", false, false),
            "what-s-new-ünïcode"
        );
        assert_eq!(slugify("What's new?", true, true), "What's-new");
        assert_eq!(slugify("--a  b--", false, false), "a-b");
    }
}
