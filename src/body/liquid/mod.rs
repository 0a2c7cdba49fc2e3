//! Liquid in Markdown bodies, run by the `liquid` crate (the engine Cobalt
//! uses) with Jekyll's own tags and filters registered on it, before
//! pulldown-cmark sees the text.
//!
//! - The crate's standard Liquid: `assign`, `capture`, `if`/`elsif`/`else`,
//!   `unless`, `case`/`when`, `for` (with `limit`, `offset`, `reversed`,
//!   `forloop`, `break`, `continue`), `comment`, `raw`, `increment`, … and
//!   its standard filters.
//! - Jekyll's tags ([`tags`]): `post_url`, `link`, `include` (a marker the
//!   render stage fills with a Tera template) and `highlight`; Jekyll's
//!   filters ([`filters`], and the crate's Jekyll set).
//! - `page` and `site` as Jekyll names them ([`values`]); `site` is built
//!   once per build.
//!
//! What stays hand-written is what the crate cannot do ([`scan`]): leave an
//! unknown tag or filter visible with a warning instead of failing, take
//! Jekyll's unquoted paths (`{% post_url 2019-08-20-hello %}`), and place
//! its errors in the `.md` file. An unknown variable is nil, as in Jekyll
//! (the crate would stop at it).
//!
//! Liquid runs only where it is asked for ([`Engine::runs_on`]), so a
//! native folio page that shows `{{ x }}` keeps it as text.

mod budget;
mod filters;
mod language;
mod loops;
mod scan;
mod tags;
mod values;

use crate::body::links::Links;
use crate::body::offsets::OffsetMap;
use crate::error::{Diagnostic, LineIndex};
use crate::source::templates::Templates;
use crate::source::{Head, Unrendered};
use crate::urls::BaseUrl;
use language::LANGUAGE;
use liquid_core::model::{KStringCow, ScalarCow, Value, ValueCow};
use liquid_core::runtime::{PartialStore, Registers, RuntimeBuilder, Template};
use liquid_core::{Object, ObjectView, Renderable, Runtime};
use serde_json::{Map, Value as Json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Include names (`gallery`, `video.html`) and the template each maps to
/// (`includes/gallery.html`).
pub(crate) type Includes = BTreeMap<String, String>;

/// The templates `{% include NAME %}` may name: every file under
/// `templates/includes/` and `templates/partials/`, by its name there with
/// and without its extension (`gallery`, `gallery.html`). `includes/` wins.
pub(crate) fn includes(templates: &Templates) -> Includes {
    let mut names = Includes::new();
    for folder in ["partials/", "includes/"] {
        for (template, _) in &templates.files {
            let Some(name) = template.strip_prefix(folder) else {
                continue;
            };
            if let Some((stem, _)) = name.rsplit_once('.') {
                names.insert(stem.to_string(), template.clone());
            }
            names.insert(name.to_string(), template.clone());
        }
    }
    names
}

/// Starts the HTML comment that stands for an include in the Markdown;
/// the whole comment is `<!--folio:include:N-->`.
pub(crate) const INCLUDE_MARKER: &str = "<!--folio:include:";

/// One `{% include %}` whose template exists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Include {
    /// The name as written (`gallery`).
    pub(crate) name: String,
    /// The template that renders it (`includes/gallery.html`).
    pub(crate) template: String,
    /// Its parameters (`caption="…"`), as `include.KEY` in the template.
    pub(crate) params: Map<String, Json>,
    /// 1-based file line of the tag.
    pub(crate) line: usize,
}

/// A body with its Liquid run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expanded {
    /// The whole file: the front matter as it was, then the rendered body.
    pub(crate) text: String,
    /// Where each offset of `text` was written in the file, when Liquid
    /// rendered it.
    pub(crate) origin: Option<OffsetMap>,
    /// Includes, indexed by the number in their marker.
    pub(crate) includes: Vec<Include>,
    /// Errors, and warnings about what was left as text.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// Text shown as written: `<` and `>` escaped, so that a tag inside an
/// HTML block shows up instead of making markup.
fn visible(text: &str) -> String {
    text.replace('<', "&lt;").replace('>', "&gt;")
}

/// What every page's Liquid shares: built once per build.
#[derive(Debug)]
struct Shared {
    links: Links,
    includes: Includes,
    base: BaseUrl,
    site: Object,
}

/// What the tags and filters of one page's render read and write (kept in
/// the crate's per-render registers).
#[derive(Debug, Default)]
struct PageState {
    shared: Option<Arc<Shared>>,
    /// The page's source file, for links in `markdownify`.
    source: PathBuf,
    /// The body as written, for messages that quote a tag.
    body: String,
    /// Includes with the body offset of their tag.
    includes: Vec<(usize, Include)>,
    findings: Vec<scan::Finding>,
}

impl PageState {
    fn shared(&self) -> &Shared {
        self.shared
            .as_deref()
            .expect("a page's state is set before it renders")
    }

    /// The tag written at body offset `at`, as written.
    fn source_of(&self, at: usize) -> &str {
        let rest = self.body.get(at..).unwrap_or("");
        rest.find("%}").map_or(rest, |end| &rest[..end + 2])
    }
}

/// The crate's runtime, with Jekyll's rule for unknown variables: nil.
struct Lenient<R>(R);

impl<R: Runtime> Runtime for Lenient<R> {
    fn partials(&self) -> &dyn PartialStore {
        self.0.partials()
    }

    fn name(&self) -> Option<liquid_core::model::KStringRef<'_>> {
        self.0.name()
    }

    fn roots(&self) -> BTreeSet<KStringCow<'_>> {
        self.0.roots()
    }

    fn try_get(&self, path: &[ScalarCow<'_>]) -> Option<ValueCow<'_>> {
        self.0.try_get(path)
    }

    fn get(&self, path: &[ScalarCow<'_>]) -> liquid_core::Result<ValueCow<'_>> {
        Ok(self.0.try_get(path).unwrap_or(ValueCow::Owned(Value::Nil)))
    }

    fn set_global(&self, name: liquid_core::model::KString, val: Value) -> Option<Value> {
        self.0.set_global(name, val)
    }

    fn set_index(&self, name: liquid_core::model::KString, val: Value) -> Option<Value> {
        self.0.set_index(name, val)
    }

    fn get_index<'a>(&'a self, name: &str) -> Option<ValueCow<'a>> {
        self.0.get_index(name)
    }

    fn registers(&self) -> &Registers {
        self.0.registers()
    }
}

/// The variables a body sees: `page` and `site`.
#[derive(Debug, liquid_core::ObjectView, liquid_core::ValueView)]
struct Globals<'a> {
    page: &'a Object,
    site: &'a Object,
}

/// Liquid for one build: the shared `site` and what the tags look up.
#[derive(Debug, Clone)]
pub(crate) struct Engine {
    shared: Arc<Shared>,
    /// The site's `liquid` setting.
    site_setting: Option<bool>,
}

/// A `liquid: true|false` setting in front matter.
fn setting(map: &Map<String, Json>) -> Option<bool> {
    map.get("liquid").and_then(Json::as_bool)
}

/// Whether a page's body holds anything Liquid could run.
fn has_liquid(body: &str) -> bool {
    body.contains("{{") || body.contains("{%")
}

impl Engine {
    /// The engine for a build, or `None` when no page runs Liquid (then
    /// `site` is never built). `settings` is the home page's front matter.
    pub(crate) fn new(
        pages: &[Unrendered],
        settings: &Map<String, Json>,
        data: &Map<String, Json>,
        links: &Links,
        includes: &Includes,
        drafts: bool,
    ) -> Option<Engine> {
        let site_setting = setting(settings);
        if !pages.iter().any(|u| Engine::wanted(u, site_setting)) {
            return None;
        }
        let base = links
            .base()
            .cloned()
            .unwrap_or_else(|| BaseUrl::parse("/").expect("root base"));
        let site = values::site(pages, settings, data, &base, drafts);
        Some(Engine {
            shared: Arc::new(Shared {
                links: links.clone(),
                includes: includes.clone(),
                base,
                site,
            }),
            site_setting,
        })
    }

    /// Folio's rule: Liquid runs on a page whose front matter says
    /// `liquid: true`, or, unless it says `liquid: false`, on every page
    /// of a site whose settings say `liquid: true` (what `folio
    /// import-jekyll` writes); and only when its body holds `{{` or `{%`.
    /// Elsewhere `{{ }}` and `{% %}` are text.
    fn wanted(u: &Unrendered, site_setting: Option<bool>) -> bool {
        let asked = setting(&u.head.extra).or(site_setting).unwrap_or(false);
        asked && has_liquid(&u.text[u.body_offset..])
    }

    /// Whether Liquid runs on this page.
    pub(crate) fn runs_on(&self, u: &Unrendered) -> bool {
        Engine::wanted(u, self.site_setting)
    }

    /// Whether this page would run Liquid on a site with these settings:
    /// `serve` loads the whole site again when an edit makes the first
    /// such page (the build before it made no engine).
    pub(crate) fn wanted_by(u: &Unrendered, settings: &Map<String, Json>) -> bool {
        Engine::wanted(u, setting(settings))
    }

    /// Runs the Liquid of a page's body; `text` is the whole file and the
    /// body starts at `body_offset`. A Liquid error gives back the text as
    /// it was, with the error.
    pub(crate) fn expand(&self, head: &Head, text: &str, body_offset: usize) -> Expanded {
        let body = &text[body_offset..];
        let rel = &head.source;
        let index = LineIndex::new(text);
        let place = |at: usize| index.locate(body_offset + at);
        let rewritten = scan::rewrite(body, &*LANGUAGE);
        let mut diagnostics: Vec<Diagnostic> = rewritten
            .findings
            .iter()
            .map(|f| finding(rel, place(f.at), f))
            .collect();
        let rendered = match self.render(head, body, &rewritten) {
            Ok(rendered) => rendered,
            Err(failure) => {
                diagnostics.push(match failure {
                    Failure::Liquid(at, error) => liquid_error(rel, place(at), &error),
                    Failure::Limit(at, limit) => {
                        let (line, col) = place(at);
                        Diagnostic::error(rel, line, col, format!("Liquid: {}", limit.message))
                            .with_help(limit.help)
                    }
                });
                return Expanded {
                    text: text.to_string(),
                    diagnostics,
                    ..Expanded::default()
                };
            }
        };
        diagnostics.extend(
            rendered
                .state
                .findings
                .iter()
                .map(|f| finding(rel, place(f.at), f)),
        );
        let includes = rendered
            .state
            .includes
            .into_iter()
            .map(|(at, include)| Include {
                line: place(at).0,
                ..include
            })
            .collect();
        let mut origin = OffsetMap::default();
        origin.push(0, 0, true);
        for (out, original, copied) in rendered.pieces {
            origin.push(body_offset + out, body_offset + original, copied);
        }
        let mut whole = String::with_capacity(body_offset + rendered.body.len());
        whole.push_str(&text[..body_offset]);
        whole.push_str(&rendered.body);
        Expanded {
            text: whole,
            origin: Some(origin),
            includes,
            diagnostics,
        }
    }

    /// Parses and renders the rewritten body one top-level piece at a
    /// time, noting where each piece's output came from. An error comes
    /// with its body offset.
    fn render(
        &self,
        head: &Head,
        body: &str,
        rewritten: &scan::Rewritten,
    ) -> Result<Rendered, Failure> {
        let page = values::page(head);
        let globals = Globals {
            page: &page,
            site: &self.shared.site,
        };
        let runtime = Lenient(RuntimeBuilder::new().set_globals(&globals).build());
        *runtime.registers().get_mut::<PageState>() = PageState {
            shared: Some(self.shared.clone()),
            source: head.source.clone(),
            body: body.to_string(),
            ..PageState::default()
        };
        let mut out = Vec::with_capacity(body.len());
        let mut pieces = Vec::new();
        for range in rewritten.piece_ranges() {
            let piece = &rewritten.text[range.clone()];
            let original = rewritten.original(range.start);
            let copied = !piece.contains("{{") && !piece.contains("{%");
            pieces.push((out.len(), original, copied));
            if copied {
                out.extend_from_slice(piece.as_bytes());
                continue;
            }
            let placed = |e: liquid_core::Error| {
                let at = || error_offset(&e, rewritten, range.start);
                let limit = runtime
                    .registers()
                    .get_mut::<budget::Budget>()
                    .exceeded
                    .take();
                match limit {
                    Some(limit) => Failure::Limit(limit.at.unwrap_or_else(at), limit),
                    None => Failure::Liquid(at(), e),
                }
            };
            let template = liquid_core::parser::parse(piece, &LANGUAGE)
                .map(Template::new)
                .map_err(placed)?;
            template.render_to(&mut out, &runtime).map_err(placed)?;
        }
        let state = std::mem::take(&mut *runtime.registers().get_mut::<PageState>());
        Ok(Rendered {
            body: String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            pieces,
            state,
        })
    }
}

/// Why a body's Liquid did not render.
enum Failure {
    /// An error of the crate, with its body offset.
    Liquid(usize, liquid_core::Error),
    /// A limit of [`budget`] gone past, with its body offset.
    Limit(usize, budget::Exceeded),
}

/// A body Liquid rendered.
struct Rendered {
    body: String,
    /// `(output offset, body offset, copied)` where each piece starts.
    pieces: Vec<(usize, usize, bool)>,
    state: PageState,
}

fn finding(rel: &Path, (line, col): (usize, usize), f: &scan::Finding) -> Diagnostic {
    Diagnostic::warning(rel, line, col, f.message.clone()).with_help(f.help)
}

/// Where in the body an error of the crate is: the line and column its
/// parser names (`--> 3:5`) in the piece that starts at `piece`, mapped
/// back through the rewrite (for a block never closed, where it opens);
/// for an error while rendering, where the piece starts (the crate's
/// render errors carry no position).
fn error_offset(error: &liquid_core::Error, rewritten: &scan::Rewritten, piece: usize) -> usize {
    let message = error.to_string();
    // A piece starts with its top-level block: where an unclosed one opens.
    if message.contains("Unclosed block") {
        return rewritten.original(piece);
    }
    if let Some(at) = parser_position(&message, &rewritten.text[piece..]) {
        return rewritten.original(piece + at);
    }
    rewritten.original(piece)
}

/// The byte offset of the parser's `--> LINE:COL` in `text`.
fn parser_position(message: &str, text: &str) -> Option<usize> {
    let at = message.find("--> ")?;
    let place = message[at + 4..].split_whitespace().next()?;
    let (line, col) = place.split_once(':')?;
    let (line, col): (usize, usize) = (line.parse().ok()?, col.parse().ok()?);
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let chars = text[start..].char_indices().nth(col.saturating_sub(1));
    Some(start + chars.map_or(0, |(i, _)| i))
}

/// An error of the crate as a diagnostic: its message without the
/// parser's picture of the line (folio draws its own).
fn liquid_error(rel: &Path, (line, col): (usize, usize), error: &liquid_core::Error) -> Diagnostic {
    let message = error.to_string();
    let text = match message.lines().find_map(|l| l.trim().strip_prefix("= ")) {
        Some(reason) => reason.to_string(),
        // A render error: its message and its trace, on one line.
        None => message
            .lines()
            .map(|l| l.trim().trim_start_matches("liquid: "))
            .filter(|l| !l.is_empty() && *l != "with:")
            .collect::<Vec<_>>()
            .join("; "),
    };
    Diagnostic::error(rel, line, col, format!("Liquid: {text}")).with_help(
        "fix the Liquid, or set `liquid: false` in the page's front matter to show it as text",
    )
}
