//! Links between pages: authors link to another page's source file
//! (`[text](other-post.md)`) and folio writes that page's URL, so nobody
//! hand-writes URLs. Root-relative links (`/about/`) get the base path.

use crate::source::{Head, bundles};
use crate::urls::{self, BaseUrl, LinkKind, link_kind};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Every page's URL, by source file and by file stem.
#[derive(Debug, Clone, Default)]
pub(crate) struct Links {
    base: Option<BaseUrl>,
    /// `static/` of the site, to tell whether a linked file exists.
    static_dir: Option<PathBuf>,
    by_source: HashMap<PathBuf, String>,
    by_stem: HashMap<String, String>,
    /// The site path of each bundle file, by its source file.
    assets: HashMap<PathBuf, String>,
    /// The site paths of every bundle file.
    asset_paths: HashSet<String>,
}

/// Joins `rel` onto `dir` and folds `.` and `..`; `None` if it climbs out.
fn normalize(dir: &Path, rel: &str) -> Option<PathBuf> {
    let joined = format!("{}/{rel}", dir.to_string_lossy().replace('\\', "/"));
    match urls::fold(&joined) {
        (folded, false) => Some(PathBuf::from(folded)),
        (_, true) => None,
    }
}

impl Links {
    /// Indexes the pages' URLs; `root` is the site's folder.
    pub(crate) fn new<'a>(
        root: &Path,
        base: &BaseUrl,
        pages: impl IntoIterator<Item = &'a Head>,
    ) -> Links {
        let mut links = Links {
            base: Some(base.clone()),
            static_dir: Some(root.join("static")),
            ..Links::default()
        };
        for page in pages {
            links
                .by_source
                .insert(page.source.clone(), page.path.clone());
            if let Some(name) = bundles::page_name(&page.source) {
                links.by_stem.insert(name.to_string(), page.path.clone());
            }
            for asset in &page.assets {
                let site_path = page.asset_file(asset);
                links.asset_paths.insert(site_path.clone());
                links.assets.insert(asset.source.clone(), site_path);
            }
        }
        links
    }

    /// The site's base, when known.
    pub(crate) fn base(&self) -> Option<&BaseUrl> {
        self.base.as_ref()
    }

    /// The base-aware URL of a site path.
    pub(crate) fn url(&self, site_path: &str) -> String {
        match &self.base {
            Some(b) => b.url(site_path),
            None => format!("/{}", site_path.trim_start_matches('/')),
        }
    }

    /// The URL of the page whose source file stem is `stem` (Jekyll's `post_url`).
    pub(crate) fn by_stem(&self, stem: &str) -> Option<String> {
        self.by_stem.get(stem).map(|p| self.url(p))
    }

    /// The URL of the page whose source is `rel` (relative to the site root).
    pub(crate) fn by_source(&self, rel: &Path) -> Option<String> {
        self.by_source.get(rel).map(|p| self.url(p))
    }

    /// For a link to a local file (an image, a PDF: a path with an
    /// extension that is not a page), the site path it points to when no
    /// file in `static/` publishes it. `page_path` is the linking page's
    /// site path.
    pub(crate) fn missing_file(&self, page_path: &str, dest: &str) -> Option<String> {
        let static_dir = self.static_dir.as_ref()?;
        if !matches!(link_kind(dest), LinkKind::Rooted | LinkKind::Relative) {
            return None;
        }
        let path = &dest[..dest.find(['#', '?']).unwrap_or(dest.len())];
        let last = path.rsplit('/').next().unwrap_or("");
        let ext = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        match ext.as_deref() {
            None | Some("md" | "markdown" | "html" | "htm") => return None,
            Some(_) => {}
        }
        let site_path = match path.strip_prefix('/') {
            Some(rooted) => rooted.to_string(),
            None => {
                let dir = page_path.rfind('/').map_or("", |i| &page_path[..=i]);
                let folded = normalize(Path::new(dir), &urls::percent_decode_lossy(path))?;
                folded.to_string_lossy().replace('\\', "/")
            }
        };
        let site_path = urls::percent_decode_lossy(&site_path);
        let published =
            self.asset_paths.contains(&site_path) || static_dir.join(&site_path).is_file();
        (!published).then_some(site_path)
    }

    /// The URL a link written in `from` should point to, when it differs
    /// from what was written: `other.md#x` → `/base/posts/other/#x`,
    /// `/about/` → `/base/about/`. `None` leaves the link as written.
    pub(crate) fn resolve(&self, from: &Path, dest: &str) -> Option<String> {
        if !matches!(link_kind(dest), LinkKind::Rooted | LinkKind::Relative) {
            return None;
        }
        let cut = dest.find(['#', '?']).unwrap_or(dest.len());
        let (path, rest) = dest.split_at(cut);
        if let Some(root_relative) = path.strip_prefix('/') {
            let base = self.base.as_ref()?;
            // A path that already starts with the base path came from Liquid
            // (`{{ site.baseurl }}/x`, `relative_url`): it is final.
            let has_base = path.starts_with(&base.path) || path == base.path.trim_end_matches('/');
            return (base.path != "/" && !has_base)
                .then(|| format!("{}{rest}", base.url(root_relative)));
        }
        let lower = path.to_ascii_lowercase();
        if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
            // A bundle's file (`diagram.png`): its URL, so the link holds
            // in excerpts, lists and feeds too.
            let site_path = self.bundle_file(from, path)?;
            return Some(format!("{}{rest}", self.url(site_path)));
        }
        let target = normalize(from.parent()?, &urls::percent_decode_lossy(path))?;
        self.by_source(&target).map(|url| format!("{url}{rest}"))
    }

    /// The site path of the bundle file that `path` (relative, without a
    /// query or fragment), written in `from`, names.
    pub(crate) fn bundle_file(&self, from: &Path, path: &str) -> Option<&String> {
        if self.assets.is_empty() || link_kind(path) != LinkKind::Relative {
            return None;
        }
        let path = &path[..path.find(['#', '?']).unwrap_or(path.len())];
        let target = normalize(from.parent()?, &urls::percent_decode_lossy(path))?;
        self.assets.get(&target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_head;

    fn links(base: &str) -> Links {
        let pages: Vec<Head> = [
            "content/posts/a.md",
            "content/posts/2019-01-02-b.md",
            "content/about.md",
        ]
        .iter()
        .map(|p| parse_head(Path::new(p), "x\n".into()).item.unwrap().head)
        .collect();
        Links::new(
            Path::new("/nonexistent-site"),
            &BaseUrl::parse(base).unwrap(),
            &pages,
        )
    }

    #[test]
    fn links_to_sources_become_page_urls() {
        let l = links("https://u.github.io/repo/");
        let from = Path::new("content/posts/a.md");
        assert_eq!(
            l.resolve(from, "2019-01-02-b.md#part").as_deref(),
            Some("/repo/posts/b/#part")
        );
        assert_eq!(
            l.resolve(from, "../about.md").as_deref(),
            Some("/repo/about/")
        );
        assert_eq!(l.resolve(from, "./a.md").as_deref(), Some("/repo/posts/a/"));
        assert_eq!(l.resolve(from, "missing.md"), None);
        assert_eq!(l.resolve(from, "../../../etc/x.md"), None);
    }

    #[test]
    fn root_relative_links_get_the_base_path_and_others_stay() {
        let l = links("https://u.github.io/repo/");
        let from = Path::new("content/posts/a.md");
        assert_eq!(l.resolve(from, "/about/").as_deref(), Some("/repo/about/"));
        assert_eq!(l.resolve(from, "/repo/about/"), None, "already based");
        assert_eq!(l.resolve(from, "https://x.org/a.md"), None);
        assert_eq!(l.resolve(from, "mailto:a@b.c"), None);
        assert_eq!(l.resolve(from, "#top"), None);
        assert_eq!(l.resolve(from, "image.png"), None);
        assert_eq!(links("https://example.com/").resolve(from, "/about/"), None);
    }

    #[test]
    fn links_to_files_missing_from_static_are_named() {
        let l = links("/");
        assert_eq!(
            l.missing_file("posts/a/", "img/x.png").as_deref(),
            Some("posts/a/img/x.png")
        );
        assert_eq!(
            l.missing_file("posts/a/", "/img/x.png").as_deref(),
            Some("img/x.png")
        );
        assert_eq!(l.missing_file("posts/a/", "../b/"), None);
        assert_eq!(l.missing_file("posts/a/", "other.md"), None);
        assert_eq!(l.missing_file("posts/a/", "https://x.org/a.png"), None);
    }

    #[test]
    fn post_url_by_file_stem() {
        assert_eq!(
            links("/").by_stem("2019-01-02-b").as_deref(),
            Some("/posts/b/")
        );
    }
}
