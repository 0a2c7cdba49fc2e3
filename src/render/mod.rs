//! Rendering: the site's templates compiled (`templates`), the views they
//! see (`views`), pages (`pages`) and list pages (`lists`), and the
//! built-in table writer (`table`). The only module that knows about Tera;
//! the pipeline decides what to render and where the files go.
//!
//! Template context (see README.md for the full list):
//! - every template: `site` (title, description, author, language,
//!   base_url, url, feed_url, extra, taxonomies);
//! - `post.html` and layouts: `page` (a `PageView`);
//! - `index.html`: `page` (the home page) and `posts` (summaries);
//! - `taxonomy.html`: `taxonomy`, `terms`, and `term` (null on the list of
//!   terms, set on a term's own page, with its `pages`);
//! - `partials/table.html`: `table`, one table as data;
//! - `includes/NAME` or `partials/NAME`, for a body's `{% include NAME %}`:
//!   `include` (its parameters) and `page` (front matter, title, url).
//!
//! Functions and filters: `url(path=…)` and `absolute_url(path=…)` make a
//! site path base-aware; `date(format=…)` formats a date; `slugify`;
//! `json` serialises any value as JSON that is safe inside a `<script>`.

mod lists;
mod nesting;
mod pages;
mod table;
mod templates;
mod views;

pub(crate) use pages::{layout_warning, layout_warnings};
pub(crate) use templates::Renderer;
pub(crate) use views::Prepared;

use crate::site::Site;
use crate::site::summary::TermLink;
use tera::{Context, Value};
use views::SiteView;

/// What every template of one render sees, built once: the renderer and
/// the site, with `site` as a template value.
pub(crate) struct Frame<'a> {
    renderer: &'a Renderer,
    site: &'a Site,
    site_value: Value,
    /// Every page's value by source path, for `get_page`.
    pages_value: Option<Value>,
}

impl<'a> Frame<'a> {
    /// The frame for rendering `site` with `renderer`; `prepared` holds
    /// its pages' summaries.
    pub(crate) fn new(renderer: &'a Renderer, site: &'a Site, prepared: &Prepared) -> Frame<'a> {
        let config = &site.config;
        let base = &config.base;
        let site_view = SiteView {
            title: &config.title,
            description: &config.description,
            author: &config.author,
            language: &config.language,
            base_url: &config.base_url,
            url: base.url(""),
            feed_url: base.url("atom.xml"),
            extra: &config.extra,
            taxonomies: site
                .taxonomies
                .iter()
                .filter(|t| !t.terms.is_empty())
                .map(|t| TermLink {
                    name: t.name.to_string(),
                    slug: t.name.to_string(),
                    url: base.url(&format!("{}/", t.name)),
                })
                .collect(),
            data: &site.data,
        };
        Frame {
            renderer,
            site,
            site_value: Value::from_serializable(&site_view),
            pages_value: renderer
                .uses_get_page
                .then(|| views::pages_by_source(site, prepared)),
        }
    }

    fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        if let Some(pages) = &self.pages_value {
            ctx.insert_value(templates::PAGES_VARIABLE, pages.clone());
        }
        ctx
    }
}

#[cfg(test)]
mod tests {
    use super::table;
    use super::templates::TABLE_TEMPLATE;
    use super::views::{DataLink, PageView, table_value};
    use super::*;
    use crate::body::markdown::Heading;
    use crate::site::summary::Summary;
    use crate::source::templates::Templates;
    use crate::urls::BaseUrl;
    use serde_json::Map;
    use std::path::Path;

    /// The tables of Markdown `src`, as data.
    fn tables_of(src: &str) -> Vec<crate::body::tables::Table> {
        let raw =
            crate::body::markdown::render(src, 0, &crate::error::LineIndex::new(src), &|_| None);
        let mut names = std::collections::HashMap::new();
        raw.tables
            .iter()
            .map(|t| crate::body::tables::build(Path::new("t.md"), t, &mut names).0)
            .collect()
    }

    /// The built-in table writers (from the table, and from its template
    /// value) and the default template they stand in for give the same
    /// bytes: on every table of the seed, of the Jekyll corpus and of the
    /// fixtures, and on cells made to trip escaping, options and empty
    /// values.
    #[test]
    fn default_table_writes_what_the_default_template_renders() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut sources: Vec<String> = ["tests/fixtures", "content"]
            .iter()
            .flat_map(|dir| walkdir::WalkDir::new(repo.join(dir)))
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
            .map(|e| std::fs::read_to_string(e.path()).unwrap())
            .collect();
        sources.push(
            "| Port | Name \"q\" | Notes & <b> | Auth |\n|---|---|---|---|\n\
             | 25 | <i>x</i> 'y' | a & b | A or B or  |\n\
             | 26 | [link](https://e.test/?a=1&b=2) | `<code>` |  |\n\
             | 27 | caf\u{e9} \u{2014} \u{1F600} | | None or STARTTLS/TLS |\n\
             | 27 | dup |  | x or x |\n"
                .into(),
        );
        sources.push("| A |\n|---|\n".into());
        let renderer =
            Renderer::load(&Templates::default(), &BaseUrl::parse("/").unwrap()).unwrap();
        assert!(!renderer.own_table_partial);
        let mut compared = 0;
        for src in &sources {
            for table in tables_of(src) {
                let mut ctx = Context::new();
                ctx.insert_value("table", table_value(&table));
                let tera = renderer.render(TABLE_TEMPLATE, &ctx, None).unwrap();
                assert_eq!(table::render(&table), tera, "{src}");
                let from_value = table::render_value(&table_value(&table));
                assert_eq!(from_value.as_deref(), Some(tera.as_str()), "{src}");
                compared += 1;
            }
        }
        assert!(compared >= 12, "only {compared} tables");
    }

    /// A site's partial that includes `folio/table.html` gets what the
    /// default template renders, for folio's table values and for values
    /// of its own making that the writer does not take (a number where the
    /// template prints text, a string marked safe, options that are not a
    /// list), and without autoescaping (a `.txt` partial).
    #[test]
    fn the_included_default_partial_renders_as_the_template_does() {
        let src = "| Port | A & B |\n|---|---|\n| 25 | A or B |\n| 26 | <i>x</i> & y |\n";
        let table = tables_of(src).remove(0);
        let own = |name: &str, text: &str| Templates {
            files: vec![
                (
                    TABLE_TEMPLATE.into(),
                    "{% include \"folio/table.html\" %}".into(),
                ),
                (name.into(), text.into()),
            ],
            ..Templates::default()
        };
        let odd = [
            r#"{% set table = {"name": "n", "columns": [], "rows": [{"id": 7, "cells": []}]} %}"#,
            r#"{% set table = {"name": "<b>" | safe, "columns": [], "rows": []} %}"#,
            r#"{% set table = {"name": "n", "columns": [], "rows": [{"id": "r", "cells": [{"key": "k", "header": "h", "kind": "options", "value": "ab", "html": ""}]}]} %}"#,
        ];
        let mut cases: Vec<(&str, String)> = odd
            .iter()
            .map(|set| {
                (
                    "x.html",
                    format!("{set}{{% include \"folio/table.html\" %}}"),
                )
            })
            .collect();
        cases.push(("x.html", "{% include \"folio/table.html\" %}".into()));
        cases.push(("x.txt", "{% include \"folio/table.html\" %}".into()));
        for (name, text) in cases {
            let expected_text = text.replace("folio/table.html", "default.html");
            let mut spec = tera::Tera::new();
            spec.autoescape_on([".html"]);
            spec.register_filter("slugify", |v: &str, _: tera::Kwargs, _: &tera::State| {
                crate::urls::slugify(v)
            });
            spec.add_raw_templates([
                ("default.html", templates::DEFAULT_TABLE_TEMPLATE),
                (name, expected_text.as_str()),
            ])
            .unwrap();
            let renderer =
                Renderer::load(&own(name, &text), &BaseUrl::parse("/").unwrap()).unwrap();
            let mut ctx = Context::new();
            ctx.insert_value("table", table_value(&table));
            let expected = spec.render(name, &ctx).unwrap();
            assert_eq!(
                renderer.render(name, &ctx, None).unwrap(),
                expected,
                "{text}"
            );
        }
        // The two kinds of file really differ: a header with `&` is escaped
        // in HTML only.
        let base = BaseUrl::parse("/").unwrap();
        let mut ctx = Context::new();
        ctx.insert_value("table", table_value(&table));
        let include = "{% include \"folio/table.html\" %}";
        let html = Renderer::load(&own("x.html", include), &base).unwrap();
        assert!(
            html.render("x.html", &ctx, None)
                .unwrap()
                .contains("data-label=\"A &amp; B\"")
        );
        let txt = Renderer::load(&own("x.txt", include), &base).unwrap();
        assert!(
            txt.render("x.txt", &ctx, None)
                .unwrap()
                .contains("data-label=\"A & B\"")
        );
    }

    #[test]
    fn table_value_is_the_table_as_serialised() {
        let src = "| Port | Security | Note |\n|---|---|---|\n| 25 | None | [relay](x.md) |\n| 587 | None or TLS |  |\n";
        let table = tables_of(src).remove(0);
        assert_eq!(table_value(&table), Value::from_serializable(&table));
    }

    #[test]
    fn page_value_is_the_view_as_serialised() {
        let summary = Summary {
            title: "T".into(),
            title_plain: "T".into(),
            url: "/p/".into(),
            permalink: "https://x.test/p/".into(),
            date: Some("2024-01-02T00:00:00+00:00".into()),
            updated: None,
            description: "d".into(),
            excerpt: "<p>e</p>".into(),
            reading_time: 1,
            tags: vec![TermLink {
                name: "A b".into(),
                slug: "a-b".into(),
                url: "/tags/a-b/".into(),
            }],
            categories: Vec::new(),
        };
        let toc = [Heading {
            level: 2,
            id: "h".into(),
            text: "H".into(),
            line: 3,
        }];
        let mut extra = Map::new();
        extra.insert("n".into(), serde_json::json!([1, {"k": null}]));
        let view = PageView {
            summary: &summary,
            kind: "post",
            slug: "p",
            author: "me",
            content: "<p>body</p>".into(),
            data: vec![DataLink {
                name: "ports".into(),
                json_url: "/p/ports.json".into(),
                csv_url: "/p/ports.csv".into(),
            }],
            toc: &toc,
            word_count: 2,
            extra: &extra,
            source: "content/p.md".into(),
        };
        let mut expected = Value::from_serializable(&view).into_map().unwrap();
        expected.insert("tables".into(), Value::from(vec![Value::from(1)]));
        let expected = Value::from(expected);
        let built = view.into_value(&Value::from_serializable(&summary), vec![Value::from(1)]);
        assert_eq!(built, expected);
        let keys = |v: &Value| -> Vec<String> {
            v.as_map()
                .unwrap()
                .keys()
                .map(|k| k.as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(keys(&built), keys(&expected));
    }
}
