//! Redirect pages: a small HTML page at each old address of a page
//! (`aliases`, `redirect_from`) that sends the reader to the page, and, for
//! a page with `redirect_to`, one in the page's own place. Each works
//! without JavaScript (a `<meta http-equiv="refresh">`), names the new
//! address for search engines (`rel="canonical"`) and shows a link to it.

use super::OutputFile;
use super::feed::push_escaped;
use crate::site::config::Config;
use crate::site::page::Page;
use crate::source::redirects::Target;

/// A redirect page: where it is written, where it sends the reader, and
/// the front matter line that asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redirect {
    /// Output file.
    pub(crate) file: String,
    /// The target as linked (base-aware; as written for another site).
    pub(crate) url: String,
    /// The target's absolute URL, when the base URL has a host.
    pub(crate) canonical: String,
    /// Front matter line of `aliases`, `redirect_from` or `redirect_to`.
    pub(crate) line: usize,
}

impl Redirect {
    /// The page itself.
    pub(crate) fn file(&self, config: &Config) -> OutputFile {
        OutputFile {
            path: self.file.clone(),
            bytes: html(&self.url, &self.canonical, &config.language).into_bytes(),
        }
    }
}

/// The redirects from the old addresses of `page` to it.
pub(crate) fn aliases<'a>(
    page: &'a Page,
    config: &'a Config,
) -> impl Iterator<Item = Redirect> + 'a {
    page.head.aliases.iter().map(|alias| Redirect {
        file: alias.file.clone(),
        url: config.base.url(&page.head.path),
        canonical: config.base.absolute(&page.head.path),
        line: alias.line,
    })
}

/// For a page with `redirect_to`: the redirect written in its own place.
pub(crate) fn own(page: &Page, config: &Config) -> Option<Redirect> {
    let redirect = page.head.redirect_to.as_ref()?;
    let (url, canonical) = match &redirect.target {
        Target::External(url) => (url.clone(), url.clone()),
        Target::Internal(path) => (config.base.url(path), config.base.absolute(path)),
    };
    Some(Redirect {
        file: page.head.output_file(),
        url,
        canonical,
        line: redirect.line,
    })
}

/// The redirect pages at the old addresses of `page`.
pub(crate) fn alias_files(page: &Page, config: &Config) -> Vec<OutputFile> {
    aliases(page, config).map(|r| r.file(config)).collect()
}

/// The redirect page to `url` (`canonical` is its absolute form when the
/// site's base URL has a host).
fn html(url: &str, canonical: &str, language: &str) -> String {
    let mut out = String::with_capacity(400 + 4 * url.len());
    let mut push = |parts: &[&str]| {
        for (i, part) in parts.iter().enumerate() {
            // Odd parts are values, even parts markup.
            if i % 2 == 1 {
                push_escaped(&mut out, part);
            } else {
                out.push_str(part);
            }
        }
    };
    push(&["<!DOCTYPE html>\n<html lang=\"", language, "\">\n<head>\n"]);
    push(&[
        "<meta charset=\"utf-8\">\n<title>Redirecting to ",
        url,
        "</title>\n",
    ]);
    push(&["<link rel=\"canonical\" href=\"", canonical, "\">\n"]);
    push(&["<meta name=\"robots\" content=\"noindex\">\n"]);
    push(&[
        "<meta http-equiv=\"refresh\" content=\"0; url=",
        url,
        "\">\n",
    ]);
    push(&[
        "</head>\n<body>\n<p>This page has moved to <a href=\"",
        url,
        "\">",
    ]);
    push(&["", url, "</a>.</p>\n</body>\n</html>\n"]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_every_value() {
        let page = html("/a?x=1&y=\"2\"", "/a", "en\"");
        assert!(page.contains("content=\"0; url=/a?x=1&amp;y=&quot;2&quot;\""));
        assert!(page.contains("lang=\"en&quot;\""));
        assert!(!page.contains("y=\"2"));
    }
}
