//! Markdown outside a page's body: an excerpt written on its own, a
//! template value through the `markdown` filter, and a title's plain text.

use super::options;
use pulldown_cmark::{Event, Parser, Tag, TagEnd, html};

/// Renders a piece of Markdown on its own (an excerpt): its HTML and its
/// plain text. Links are rewritten as in [`render`].
pub(crate) fn render_fragment(
    src: &str,
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> (String, String) {
    let mut text = String::new();
    let events = Parser::new_ext(src, options()).map(|mut event| {
        match &mut event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                if let Some(url) = rewrite(dest_url) {
                    *dest_url = url.into();
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => text.push(' '),
            _ => {}
        }
        event
    });
    let mut html_out = String::new();
    html::push_html(&mut html_out, events);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (html_out, text)
}

/// Markdown written in a template value (a title, a description), as
/// HTML: the `markdown` filter. Raw HTML in it is shown as text, as every
/// front matter value is data, never markup. `inline` renders one
/// paragraph's inline content without the `<p>` around it.
pub(crate) fn render_value(src: &str, inline: bool) -> String {
    if inline && renders_as_itself(src) {
        return src.trim().to_string();
    }
    parse_value(src, inline)
}

/// [`render_value`] through the parser.
fn parse_value(src: &str, inline: bool) -> String {
    let text = if inline {
        inline_source(src)
    } else {
        src.into()
    };
    let events = Parser::new_ext(&text, options()).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) if inline => None,
        event => Some(event),
    });
    let mut out = String::with_capacity(src.len() + 16);
    html::push_html(&mut out, events);
    if inline {
        out.truncate(out.trim_end().len());
    }
    out
}

/// Whether inline Markdown `src` renders as its own text, trimmed, so
/// that the parser can be skipped (a list page renders every title shown
/// on it): one line, with no character that opens markup or that HTML
/// escapes, and no first character that could open a block. The unit
/// tests hold this to the parser's output.
fn renders_as_itself(src: &str) -> bool {
    const MARKUP: [char; 15] = [
        '*', '_', '`', '[', ']', '<', '>', '&', '\\', '~', '!', '\n', '\r', '\t', '|',
    ];
    let text = src.trim();
    let first = text.chars().next().unwrap_or(' ');
    !(text.contains(MARKUP) || matches!(first, '#' | '-' | '+' | '=' | '0'..='9'))
}

/// The plain text of inline Markdown (a title as `<title>`, feeds and
/// JSON-LD show it): `Title *with* **Markdown**` → `Title with Markdown`.
/// Text with no Markdown punctuation is returned as it is, unparsed.
pub(crate) fn plain_text(src: &str) -> String {
    if !src.contains(['*', '_', '`', '[', '<', '&', '\\', '~', '!', '\n']) {
        return src.to_string();
    }
    let mut text = String::with_capacity(src.len());
    for event in Parser::new_ext(&inline_source(src), options()) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                text.push_str(&t)
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// `src` as one paragraph of inline Markdown: lines joined, and a start
/// that would open a block (`1. `, `# `, `- `, `> `, a fence, a rule)
/// escaped, so the title "1. Intro" stays text, not a list.
fn inline_source(src: &str) -> std::borrow::Cow<'_, str> {
    let joined = src.trim();
    let joined: std::borrow::Cow<str> = if joined.contains('\n') {
        joined
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .into()
    } else {
        joined.into()
    };
    let bytes = joined.as_bytes();
    let spaced = |i: usize| bytes.get(i).is_none_or(|b| b.is_ascii_whitespace());
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let first = bytes.first().copied().unwrap_or(b' ');
    let rule = matches!(first, b'-' | b'*' | b'_')
        && bytes.iter().filter(|&&b| b == first).count() >= 3
        && bytes.iter().all(|&b| b == first || b == b' ');
    let fence = (joined.starts_with("```") || joined.starts_with("~~~")).then_some(0);
    let at = match first {
        b'#' => {
            let hashes = bytes.iter().take_while(|&&b| b == b'#').count();
            (hashes <= 6 && spaced(hashes)).then_some(0)
        }
        b'>' => Some(0),
        b'-' | b'+' | b'*' if spaced(1) || rule => Some(0),
        b'_' if rule => Some(0),
        b'0'..=b'9' if (1..=9).contains(&digits) => {
            (matches!(bytes.get(digits), Some(b'.' | b')')) && spaced(digits + 1)).then_some(digits)
        }
        _ => fence,
    };
    match at {
        Some(i) => format!("{}\\{}", &joined[..i], &joined[i..]).into(),
        None => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_skips_the_parser_renders_as_the_parser_would() {
        let mut shortcut = 0;
        let titles = [
            "Email Server Ports Table #1",
            "Markup: Title with Markdown",
            "He said \"hi\" and 'bye'",
            "  padded  ",
            "https://example.com/a?b=c",
            "www.example.com and a@b.example",
            "Cost: $5 (or 10%) = cheap; {braces} / slashes",
            "Ünïcödé – dashes — and “quotes”",
            "10 tips",
            "1. Intro",
            "# Not a heading",
            "- not a list",
            "= equals",
            "a  b   c",
        ];
        // Every string of up to three characters from an alphabet of
        // letters, spaces and every punctuation mark of ASCII, too.
        let alphabet: Vec<char> = " aZ1"
            .chars()
            .chain((b'!'..=b'/').map(char::from))
            .chain((b':'..=b'@').map(char::from))
            .chain((b'['..=b'`').map(char::from))
            .chain((b'{'..=b'~').map(char::from))
            .collect();
        let mut all: Vec<String> = titles.iter().map(|t| t.to_string()).collect();
        for a in &alphabet {
            for b in &alphabet {
                for c in &alphabet {
                    all.push(format!("{a}{b}{c}"));
                    all.push(format!("x{a}{b}{c}x"));
                }
            }
        }
        for title in &all {
            if renders_as_itself(title) {
                shortcut += 1;
                assert_eq!(
                    render_value(title, true),
                    parse_value(title, true),
                    "{title:?}"
                );
            }
        }
        assert!(shortcut > 1000, "{shortcut}");
        assert_eq!(
            render_value("Email Server Ports Table #1", true),
            "Email Server Ports Table #1"
        );
    }
}
