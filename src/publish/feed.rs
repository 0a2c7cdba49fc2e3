//! The Atom feeds: the site's (`atom.xml`, its newest posts) and one per
//! tag and per category (`tags/smtp/atom.xml`), each of the `feed_limit`
//! newest posts, with a summary or the whole body (`feed_content`); built
//! as text with every value XML-escaped.

use super::OutputFile;
use crate::site::Site;
use crate::site::summary::Summary;
use crate::source::listing::FeedContent;
use chrono::{DateTime, Utc};

/// The Atom feed's file name.
pub(crate) const FEED_FILE: &str = "atom.xml";

/// One feed to write: what it is about and its posts, newest first.
pub(crate) struct Feed {
    /// Site path of the feed file (`atom.xml`, `tags/smtp/atom.xml`).
    pub(crate) path: String,
    /// Site path of the HTML page it follows (`""`, `tags/smtp/`).
    pub(crate) page: String,
    /// The feed's title.
    pub(crate) title: String,
    /// Its entries: indices into the site's pages, at most `feed_limit`.
    pub(crate) entries: Vec<usize>,
}

/// Every feed of `site`: the site's, then each term's. `feed_limit: 0`
/// puts every post in (as `paginate_by: 0` puts a list on one page).
pub(crate) fn feeds(site: &Site) -> Vec<Feed> {
    let limit = match site.config.feed_limit {
        0 => usize::MAX,
        n => n,
    };
    let mut feeds = vec![Feed {
        path: FEED_FILE.into(),
        page: String::new(),
        title: site.config.title.clone(),
        entries: site.posts().map(|(i, _)| i).take(limit).collect(),
    }];
    for taxonomy in site.taxonomies.iter() {
        for term in &taxonomy.terms {
            let page = format!("{}/{}/", taxonomy.name, term.slug);
            feeds.push(Feed {
                path: format!("{page}{FEED_FILE}"),
                page,
                title: format!("{} · {}", term.name, site.config.title),
                entries: term.pages.iter().copied().take(limit).collect(),
            });
        }
    }
    feeds
}

/// Escapes text for XML content and attributes.
fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape_xml`] does.
pub(super) fn push_escaped(out: &mut String, text: &str) {
    let plain = |b: u8| b >= 0x20 && !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'');
    if text.is_ascii() && text.bytes().all(plain) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters other than tab and newlines, and U+FFFE and
            // U+FFFF, are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// The date a feed uses where its posts give none (a feed with no posts,
/// a post without a date): the newest change of any page of the site;
/// else, on a site where no page has a date, `SOURCE_DATE_EPOCH` when set,
/// else the Unix epoch. Never the clock, so two builds of one site write
/// the same bytes.
fn fallback_date<'a>(site: &Site, summary: &impl Fn(usize) -> &'a Summary) -> String {
    (0..site.pages.len())
        .filter_map(|i| last_change(summary(i)))
        .max_by_key(|d| crate::source::date::parse(d).map(|t| t.timestamp()))
        .map_or_else(
            || {
                let epoch = crate::source::date::source_date_epoch().unwrap_or(0);
                DateTime::<Utc>::from_timestamp(epoch, 0)
                    .unwrap_or_default()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            },
            str::to_string,
        )
}

/// When a page last changed: `last_modified_at`, else its date.
pub(super) fn last_change(summary: &Summary) -> Option<&str> {
    summary.updated.as_deref().or(summary.date.as_deref())
}

fn atom<'a>(
    site: &Site,
    feed: &Feed,
    summary: &impl Fn(usize) -> &'a Summary,
    content: &Content,
    fallback: &dyn Fn() -> String,
) -> String {
    let config = &site.config;
    let base = &config.base;
    let posts: Vec<(usize, &crate::site::page::Page, &Summary)> = feed
        .entries
        .iter()
        .map(|&i| (i, &*site.pages[i], summary(i)))
        .collect();
    // Compared as instants: RFC 3339 strings with different offsets do not
    // sort by time.
    let updated = posts
        .iter()
        .filter_map(|(_, _, s)| last_change(s))
        .max_by_key(|d| crate::source::date::parse(d).map(|t| t.timestamp()))
        .map_or_else(fallback, str::to_string);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    xml.push_str(&format!(
        " xml:lang=\"{}\">\n",
        escape_xml(&config.language)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape_xml(&feed.title)));
    if !config.description.is_empty() && feed.page.is_empty() {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape_xml(&config.description)
        ));
    }
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape_xml(&base.absolute(&feed.path))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_xml(&base.absolute(&feed.page))
    ));
    xml.push_str(&format!(
        "  <id>{}</id>\n",
        escape_xml(&base.absolute(&feed.page))
    ));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str("  <generator>folio</generator>\n");
    if !config.author.is_empty() {
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            escape_xml(&config.author)
        ));
    }
    for (i, page, summary) in posts {
        let date = summary.date.clone().unwrap_or_else(fallback);
        let changed = last_change(summary).map_or_else(|| date.clone(), str::to_string);
        let author = page.head.author.as_deref().unwrap_or(&config.author);
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            escape_xml(&summary.title_plain)
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            escape_xml(&summary.permalink)
        ));
        xml.push_str(&format!(
            "    <id>{}</id>\n",
            escape_xml(&summary.permalink)
        ));
        xml.push_str(&format!("    <published>{date}</published>\n"));
        xml.push_str(&format!("    <updated>{changed}</updated>\n"));
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape_xml(if author.is_empty() {
                &config.title
            } else {
                author
            })
        ));
        for term in summary.tags.iter().chain(&summary.categories) {
            xml.push_str(&format!(
                "    <category term=\"{}\"/>\n",
                escape_xml(&term.name)
            ));
        }
        match content(i) {
            Some(html) => xml.push_str(&format!(
                "    <content type=\"html\">{}</content>\n",
                escape_xml(html)
            )),
            None if !summary.description.is_empty() => xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape_xml(&summary.description)
            )),
            None => {}
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// A page's whole body as HTML, for feeds with `feed_content: full`
/// (`None`: the entry carries its summary).
pub(crate) type Content<'c> = dyn Fn(usize) -> Option<&'c str> + Sync + 'c;

/// Whether feeds carry whole bodies.
pub(crate) fn wants_content(site: &Site) -> bool {
    site.config.feed_content == FeedContent::Full
}

/// Every feed's file (see [`feeds`]). `summary(i)` is the summary of
/// `site.pages[i]`; `content(i)`, its body's HTML when feeds carry it.
pub(crate) fn files<'a>(
    site: &Site,
    summary: impl Fn(usize) -> &'a Summary,
    content: &Content,
) -> Vec<OutputFile> {
    // Found once, and only when some feed needs it.
    let fallback = std::cell::OnceCell::new();
    let fallback = || {
        fallback
            .get_or_init(|| fallback_date(site, &summary))
            .clone()
    };
    feeds(site)
        .iter()
        .map(|feed| OutputFile {
            path: feed.path.clone(),
            bytes: atom(site, feed, &summary, content, &fallback).into_bytes(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape_xml("<a href=\"x\">&'\u{1}\u{FFFF}"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&apos;"
        );
    }
}
