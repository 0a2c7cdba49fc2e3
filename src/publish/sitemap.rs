//! The files that tell crawlers and hosts about the site: the sitemap
//! (every page and list, every page of a paginated list,
//! but no redirect and no 404 page), robots.txt,
//! `.nojekyll` for GitHub Pages, and `CNAME` for a custom domain.

use super::OutputFile;
use super::feed::{last_change, push_escaped};
use crate::site::Site;
use crate::site::summary::Summary;

/// The sitemap, robots.txt, `.nojekyll` and, with `cname` set, `CNAME`.
/// `summary(i)` is the summary of `site.pages[i]`.
pub(crate) fn files<'a>(site: &Site, summary: impl Fn(usize) -> &'a Summary) -> Vec<OutputFile> {
    let base = &site.config.base;
    let mut files = vec![
        OutputFile {
            path: "sitemap.xml".into(),
            bytes: sitemap(site, summary).into_bytes(),
        },
        OutputFile {
            path: "robots.txt".into(),
            bytes: format!(
                "User-agent: *\nAllow: /\nSitemap: {}\n",
                base.absolute("sitemap.xml")
            )
            .into_bytes(),
        },
        // GitHub Pages would otherwise run Jekyll over the output.
        OutputFile {
            path: ".nojekyll".into(),
            bytes: Vec::new(),
        },
    ];
    if let Some(cname) = &site.config.cname {
        files.push(OutputFile {
            path: "CNAME".into(),
            bytes: format!("{}\n", cname.trim()).into_bytes(),
        });
    }
    files
}

fn sitemap<'a>(site: &Site, summary: impl Fn(usize) -> &'a Summary) -> String {
    let base = &site.config.base;
    let mut xml = String::with_capacity(200 + 120 * site.pages.len());
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut url = |loc: &str, lastmod: Option<&str>| {
        xml.push_str("  <url><loc>");
        push_escaped(&mut xml, loc);
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            push_escaped(&mut xml, date);
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    };
    url(&base.absolute(""), None);
    // A page with `redirect_to` only sends readers elsewhere, and the 404
    // page is for addresses that are not in the site.
    for (i, page) in site.pages.iter().enumerate() {
        if page.head.redirect_to.is_none() && !page.head.is_404_page() {
            let s = summary(i);
            url(&s.permalink, last_change(s));
        }
    }
    for section in site.sections.iter() {
        url(&base.absolute(&section.page.head.path), None);
    }
    for taxonomy in site.taxonomies.iter() {
        if taxonomy.terms.is_empty() {
            continue;
        }
        url(&base.absolute(&format!("{}/", taxonomy.name)), None);
        for term in &taxonomy.terms {
            url(
                &base.absolute(&format!("{}/{}/", taxonomy.name, term.slug)),
                None,
            );
        }
    }
    for path in site.later_list_pages() {
        url(&base.absolute(&path), None);
    }
    xml.push_str("</urlset>\n");
    xml
}
