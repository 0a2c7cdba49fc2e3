//! Rendering the list pages: the home page with every post, each
//! taxonomy's list of terms and each term's page, and the 404 page.

use super::Frame;
use super::views::{Prepared, TaxonomyView, TermView};
use crate::body::Body;
use crate::error::Diagnostic;
use crate::publish::OutputFile;
use crate::site::page::Page;
use crate::site::summary::summarize;
use crate::site::{Taxonomy, Term};
use crate::source::{Head, templates};
use rayon::prelude::*;
use std::collections::HashSet;
use tera::Value;

impl Frame<'_> {
    /// The home page: `_index.md` if there is one, else an empty page,
    /// with `posts`, every post's summary.
    pub(crate) fn home(&self, prepared: &Prepared) -> Result<OutputFile, Diagnostic> {
        let site = self.site;
        let posts = Value::from(
            site.posts()
                .map(|(i, _)| prepared.value(i).clone())
                .collect::<Vec<_>>(),
        );
        let empty;
        let home = match &site.home {
            Some(home) => home,
            None => {
                empty = Page {
                    head: Head::home(site.config.title.clone()),
                    body: Body::default(),
                };
                &empty
            }
        };
        let summary = summarize(&site.config, home);
        let value = Value::from_serializable(&summary);
        self.page(home, &summary, &value, Some(&posts))
    }

    /// `404.html`, when the site has that template.
    pub(crate) fn not_found(&self) -> Result<OutputFile, Diagnostic> {
        Ok(OutputFile {
            path: "404.html".into(),
            bytes: self
                .renderer
                .render("404.html", &self.context(), None)?
                .into_bytes(),
        })
    }

    /// The list of `taxonomy`'s terms and the page of each term in `only`
    /// (every term when `None`).
    pub(crate) fn taxonomy(
        &self,
        taxonomy: &Taxonomy,
        prepared: &Prepared,
        only: Option<&HashSet<(String, String)>>,
    ) -> Result<Vec<OutputFile>, Diagnostic> {
        let base = &self.site.config.base;
        let name = taxonomy.name;
        let template = "taxonomy.html";
        if !self.renderer.has(template) {
            if taxonomy.terms.is_empty() {
                return Ok(Vec::new());
            }
            return Err(
                Diagnostic::file_error(templates::path(template), "template not found").with_help(
                    format!(
                        "pages have {name}, and their pages are rendered with templates/{template}"
                    ),
                ),
            );
        }
        let term_view = |t: &Term, with_pages: bool| TermView {
            name: t.name.clone(),
            slug: t.slug.clone(),
            url: base.url(&format!("{name}/{}/", t.slug)),
            count: t.pages.len(),
            pages: if with_pages {
                t.pages.iter().map(|&i| prepared.value(i).clone()).collect()
            } else {
                Vec::new()
            },
        };
        let terms: Vec<TermView> = taxonomy.terms.iter().map(|t| term_view(t, false)).collect();
        let terms = Value::from_serializable(&terms);
        let tax = Value::from_serializable(&TaxonomyView {
            name,
            url: base.url(&format!("{name}/")),
        });
        let context = |term: Value| {
            let mut ctx = self.context();
            ctx.insert_value("taxonomy", tax.clone());
            ctx.insert_value("terms", terms.clone());
            ctx.insert_value("term", term);
            ctx
        };
        let mut files = vec![OutputFile {
            path: format!("{name}/index.html"),
            bytes: self
                .renderer
                .render(template, &context(Value::none()), None)?
                .into_bytes(),
        }];
        let rendered: Result<Vec<OutputFile>, Diagnostic> = taxonomy
            .terms
            .par_iter()
            .filter(|t| only.is_none_or(|set| set.contains(&(name.to_string(), t.slug.clone()))))
            .map(|t| {
                let view = Value::from_serializable(&term_view(t, true));
                Ok(OutputFile {
                    path: format!("{name}/{}/index.html", t.slug),
                    bytes: self
                        .renderer
                        .render(template, &context(view), None)?
                        .into_bytes(),
                })
            })
            .collect();
        files.extend(rendered?);
        Ok(files)
    }
}
