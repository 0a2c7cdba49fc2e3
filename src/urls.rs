//! URLs and site paths: the base URL, slugs, percent-decoding, and the one
//! rule for folding a path and telling an external link from an internal one.

/// Turns any text into a URL slug: lowercase letters and digits (Unicode
/// letters kept), every other run of characters folded into one `-`.
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    if text.is_ascii() {
        // The same rules, a byte at a time.
        for &b in text.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if dash && !slug.is_empty() {
                    slug.push('-');
                }
                dash = false;
                slug.push(char::from(b.to_ascii_lowercase()));
            } else if b != b'\'' {
                dash = true;
            }
        }
        return slug;
    }
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            // Apostrophes vanish ("what's" -> "whats"), everything else separates.
            dash = true;
        }
    }
    slug
}

/// Whether a URL cannot hold `c` as it is (see [`BaseUrl::url`]).
fn needs_escape(c: char) -> bool {
    matches!(
        c,
        ' ' | '"' | '<' | '>' | '`' | '{' | '}' | '|' | '\\' | '^'
    ) || c.is_ascii_control()
}

/// Decodes `%XX` escapes; `None` when an escape is malformed or the
/// bytes are not UTF-8.
pub(crate) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// [`percent_decode`], or the text as written when it does not decode.
pub(crate) fn percent_decode_lossy(text: &str) -> String {
    percent_decode(text).unwrap_or_else(|| text.to_string())
}

/// What a link points at, told by its form alone: the one rule for "is
/// this link external" that links in bodies, `check` and the lints share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LinkKind {
    /// Empty, or only a `#fragment`: the same page.
    SamePage,
    /// Another host: `scheme://host/…` or `//host/…`.
    Remote,
    /// A scheme without a host: `mailto:`, `tel:`, `data:`, `javascript:`.
    Scheme,
    /// A path from the site's root: `/about/`.
    Rooted,
    /// A path relative to the page that holds it: `other.md`, `../a.png`.
    Relative,
}

/// Tells what `link` points at (see [`LinkKind`]). A scheme is a letter
/// then letters, digits, `+`, `-` or `.`, before the first `:` and before
/// any `/`.
pub(crate) fn link_kind(link: &str) -> LinkKind {
    if link.is_empty() || link.starts_with('#') {
        return LinkKind::SamePage;
    }
    if link.starts_with("//") {
        return LinkKind::Remote;
    }
    if let Some((scheme, rest)) = link.split_once(':') {
        let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        if is_scheme {
            return if rest.starts_with("//") {
                LinkKind::Remote
            } else {
                LinkKind::Scheme
            };
        }
    }
    if link.starts_with('/') {
        LinkKind::Rooted
    } else {
        LinkKind::Relative
    }
}

/// Folds `.`, `..` and empty segments out of a `/`-separated path, keeping
/// a trailing `/`: `posts/a/../b/./` is `posts/b/`. The second value says
/// whether a `..` climbed above the start, where a browser stops (at the
/// root) and a file path leaves its folder: the callers decide what that
/// means for them.
pub(crate) fn fold(path: &str) -> (String, bool) {
    let mut parts: Vec<&str> = Vec::new();
    let mut climbed = false;
    for segment in path.split('/') {
        match segment {
            "." | "" => {}
            ".." => climbed |= parts.pop().is_none(),
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if path.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    (out, climbed)
}

/// Whether `path` stays inside the folder it is joined to: no `.` or `..`
/// segment, no `\` (a separator on Windows) and no NUL. The one test every
/// path from outside passes before it names a file: permalinks, the base
/// URL's path, output paths, and the paths `serve` is asked for.
pub(crate) fn stays_inside(path: &str) -> bool {
    !path.contains(['\\', '\0']) && !path.split('/').any(|s| s == "." || s == "..")
}

/// Where the site lives. Every internal URL goes through this, so a site
/// served from a sub-path (`https://user.github.io/repo/`) works everywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BaseUrl {
    /// Scheme and host, such as `https://user.github.io`; empty when the base
    /// is only a path.
    pub(crate) origin: String,
    /// The path prefix, always starting and ending with `/`.
    pub(crate) path: String,
}

impl BaseUrl {
    /// Reads `https://host/sub/`, `https://host`, `/sub/` or ``.
    pub(crate) fn parse(text: &str) -> Result<BaseUrl, String> {
        let text = text.trim();
        let (origin, path) = match text.split_once("://") {
            Some((scheme, rest)) => {
                if scheme.is_empty()
                    || !scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                {
                    return Err(format!(
                        "`{text}` is not a URL (expected https://host/path/)"
                    ));
                }
                let (host, path) = rest.split_once('/').map_or((rest, ""), |(h, p)| (h, p));
                if host.is_empty() {
                    return Err(format!("`{text}` has no host name"));
                }
                (format!("{scheme}://{host}"), path)
            }
            None => (String::new(), text),
        };
        if path.contains(['?', '#', ' ']) || !stays_inside(path) {
            return Err(format!(
                "`{text}` must be a plain path with no `..`, query or fragment"
            ));
        }
        let trimmed = path.trim_matches('/');
        let path = if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        };
        Ok(BaseUrl { origin, path })
    }

    /// The root-relative URL of a site path (`posts/x/` → `/repo/posts/x/`).
    ///
    /// Characters a URL cannot hold as they are (a space, `"`, `<`, `>`,
    /// `` ` ``, `{`, `}`, `|`, `\`, `^`, control characters) are
    /// percent-encoded, so `permalink: /my page/` or a Jekyll category
    /// `a b` gives a valid `href`, `<loc>` and feed id. Everything else is
    /// kept: `%` (a path may be encoded already), `?`, `#`, and non-ASCII
    /// letters, which browsers and search engines read as they are.
    pub(crate) fn url(&self, site_path: &str) -> String {
        let path = site_path.trim_start_matches('/');
        if !path.chars().any(needs_escape) {
            return format!("{}{path}", self.path);
        }
        let mut url = self.path.clone();
        for c in path.chars() {
            if needs_escape(c) {
                url.push_str(&format!("%{:02X}", c as u32));
            } else {
                url.push(c);
            }
        }
        url
    }

    /// The absolute URL of a site path, when the base has an origin.
    pub(crate) fn absolute(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.url(site_path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_escapes_what_a_url_cannot_hold() {
        let base = BaseUrl::parse("https://u.github.io/repo/").unwrap();
        assert_eq!(base.url("/a b/c|d/"), "/repo/a%20b/c%7Cd/");
        assert_eq!(base.url("/a%20b/é/?q#f"), "/repo/a%20b/é/?q#f");
        assert_eq!(base.absolute("/x y/"), "https://u.github.io/repo/x%20y/");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("/a%20b/").as_deref(), Some("/a b/"));
        assert_eq!(percent_decode("/%2e%2e/").as_deref(), Some("/../"));
        assert_eq!(percent_decode("end%41").as_deref(), Some("endA"));
        assert_eq!(percent_decode("/%zz"), None);
        assert_eq!(percent_decode("/%"), None);
        assert_eq!(percent_decode_lossy("100%"), "100%");
    }

    #[test]
    fn ascii_slugs_match_the_unicode_rules() {
        let all: String = (0u8..128).map(char::from).collect();
        let mut texts = vec![all.clone(), all.chars().rev().collect()];
        texts.extend(["What's up? A--B", "  x  ", "'", "Ports & IMAP/POP3", ""].map(String::from));
        for text in texts {
            // A trailing no-break space sends the text down the Unicode path
            // and adds nothing to the slug.
            assert_eq!(
                slugify(&text),
                slugify(&format!("{text}\u{a0}")),
                "{text:?}"
            );
        }
    }

    #[test]
    fn slugs_fold_punctuation_and_case() {
        assert_eq!(
            slugify("Email Server Ports Table"),
            "email-server-ports-table"
        );
        assert_eq!(
            slugify("  What is the difference between POP3 and IMAP?"),
            "what-is-the-difference-between-pop3-and-imap"
        );
        assert_eq!(slugify("Post Formats"), "post-formats");
        assert_eq!(slugify("Here's Café"), "heres-café");
        assert_eq!(slugify("C++ / Rust"), "c-rust");
    }

    #[test]
    fn base_urls_normalise() {
        let b = BaseUrl::parse("https://user.github.io/repo").unwrap();
        assert_eq!(b.origin, "https://user.github.io");
        assert_eq!(b.path, "/repo/");
        assert_eq!(b.url("/posts/x/"), "/repo/posts/x/");
        assert_eq!(
            b.absolute("sitemap.xml"),
            "https://user.github.io/repo/sitemap.xml"
        );
        let root = BaseUrl::parse("https://example.com").unwrap();
        assert_eq!(root.url(""), "/");
        assert_eq!(BaseUrl::parse("").unwrap().path, "/");
        assert_eq!(BaseUrl::parse("/sub/").unwrap().url("a/"), "/sub/a/");
    }

    #[test]
    fn bad_base_urls_are_refused() {
        assert!(BaseUrl::parse("https:///x").is_err());
        assert!(BaseUrl::parse("https://h/../x").is_err());
        assert!(BaseUrl::parse("https://h/x?y").is_err());
    }

    #[test]
    fn links_are_told_apart_by_form() {
        use LinkKind::*;
        for (link, kind) in [
            ("", SamePage),
            ("#top", SamePage),
            ("https://example.com/x", Remote),
            ("//cdn.example.com/a.js", Remote),
            ("mailto:me@example.com", Scheme),
            ("data:image/png;base64,AA", Scheme),
            ("javascript:void(0)", Scheme),
            ("/about/", Rooted),
            ("other.md#part", Relative),
            ("../img/a:b.png", Relative),
            ("page?next=https://x", Relative),
            ("1x:y", Relative),
        ] {
            assert_eq!(link_kind(link), kind, "{link}");
        }
    }

    #[test]
    fn paths_fold_and_say_when_they_climb_out() {
        assert_eq!(fold("posts/a/../b/./"), ("posts/b/".into(), false));
        assert_eq!(fold("a//b"), ("a/b".into(), false));
        assert_eq!(fold("a/../../x.png"), ("x.png".into(), true));
        assert_eq!(fold("../"), (String::new(), true));
        assert!(stays_inside("posts/x/index.html"));
        for bad in ["../x", "a/./b", "a\\b", "a/..", "x\0"] {
            assert!(!stays_inside(bad), "{bad:?}");
        }
    }
}
