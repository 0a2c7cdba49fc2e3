//! Tera: compiling the site's templates with folio's functions and
//! filters, and turning Tera's errors into `templates/NAME:line:col`.

use super::nesting;
use crate::body::markdown;
use crate::error::Diagnostic;
use crate::source::date;
use crate::source::templates::{self, Templates};
use crate::urls::{BaseUrl, slugify};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use tera::value::Key;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

/// The table partial used when a site has none of its own.
pub(super) const DEFAULT_TABLE_TEMPLATE: &str = include_str!("table.html");
pub(super) const TABLE_TEMPLATE: &str = "partials/table.html";
/// folio's default table partial stays reachable under this name when a
/// site replaces `partials/table.html` (to fall back to it for some tables).
const BUILTIN_TABLE_TEMPLATE: &str = "folio/table.html";

/// The function that writes the default table partial's markup from a
/// table's value ([`super::table::render_value`]); it gives `""` for a
/// value it does not take, or where Tera would not escape (a template
/// rendered without autoescaping).
const DEFAULT_TABLE_FUNCTION: &str = "__folio_default_table";

/// `folio/table.html`: the default partial, written by
/// [`DEFAULT_TABLE_FUNCTION`] when it takes the value, else rendered by Tera
/// from its own text (kept on the first line, so Tera's line numbers in it
/// stay those of `src/render/table.html`).
fn builtin_table_template() -> String {
    format!(
        "{{%- set written = {DEFAULT_TABLE_FUNCTION}(table=table) -%}}\
         {{%- if written %}}{{{{ written | safe }}}}{{% else %}}{DEFAULT_TABLE_TEMPLATE}{{% endif %}}"
    )
}

/// Stack for the threads that render: Tera renders includes and components
/// by recursion, and the deepest nesting it and folio allow must fit.
const RENDER_STACK_BYTES: usize = 64 << 20;

/// Compiled templates plus the helpers they use.
pub(crate) struct Renderer {
    tera: Tera,
    /// The threads that render, with stacks deep enough for Tera's recursion
    /// (made once, so `serve` does not start threads on every edit).
    pool: rayon::ThreadPool,
    /// Whether the site has its own `partials/table.html`; without one,
    /// tables are written by `render::table`, byte for byte the default.
    pub(super) own_table_partial: bool,
    /// Whether any template may read `page.tables` (see
    /// [`may_read_page_tables`]); when none can, the tables' template
    /// values, the costliest part of a table-heavy page, are not built.
    pub(super) page_tables: bool,
    /// Whether any template calls `get_page`: then every render carries
    /// every page's value, and `serve` renders every page again after any
    /// edit (a page may show another's data).
    pub(crate) uses_get_page: bool,
    /// For each template, the most bytes a render of it wrote beyond its
    /// size hint so far ([`Renderer::render_bytes`]), or onto a buffer
    /// ([`Renderer::render_onto`]): the next render's buffer starts with
    /// that much more room (a buffer that grows is copied each time).
    extra: HashMap<String, AtomicUsize>,
}

/// Whether template source `text` may read `page.tables`: it names
/// `tables` anywhere, dumps the context (`__tera_context`), or uses `page`
/// other than by reading a field (`page.title`), such as `page | json`,
/// `{% set p = page %}`, `page[key]` or `for k, v in page`. Comments and
/// strings count too: the answer can only err towards building them.
fn may_read_page_tables(text: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let words = |word: &'static str| {
        text.match_indices(word).filter(move |(i, _)| {
            let before = text[..*i].chars().next_back();
            let after = text[i + word.len()..].chars().next();
            !before.is_some_and(is_ident) && !after.is_some_and(is_ident)
        })
    };
    words("tables").next().is_some()
        || text.contains("__tera_context")
        || words("page").any(|(i, _)| {
            let after = &text[i + "page".len()..];
            !(after.starts_with('.') && after[1..].starts_with(is_ident))
        })
}

/// Turns a Tera error into `templates/NAME:line:col: message`.
fn template_error(err: &tera::Error, fallback: &str) -> Diagnostic {
    match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let name = if report.filename().is_empty() {
                fallback
            } else {
                report.filename()
            };
            let span = report.span();
            let mut message = report.message().to_string();
            if let Some(source) = std::error::Error::source(err) {
                message = format!("{message}: {source}");
            }
            Diagnostic::error(
                templates::path(name),
                span.start_line.max(1),
                span.start_col + 1,
                message,
            )
        }
        ErrorKind::TemplateNotFound(name) => {
            Diagnostic::file_error(templates::path(name), "template not found")
                .with_help(format!("create templates/{name}"))
        }
        ErrorKind::MissingParent { current, parent } => Diagnostic::file_error(
            templates::path(current),
            format!("extends \"{parent}\", which is not in templates/"),
        ),
        ErrorKind::CircularExtend {
            tpl,
            inheritance_chain,
        } => Diagnostic::file_error(
            templates::path(tpl),
            format!(
                "templates extend each other in a loop: {}",
                inheritance_chain.join(" → ")
            ),
        ),
        ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::file_error(
            templates::path(tpl),
            format!(
                "templates include each other in a loop: {}",
                include_chain.join(" → ")
            ),
        ),
        _ => Diagnostic::file_error(templates::path(fallback), err.to_string()),
    }
}

/// Turns a Tera error into diagnostics. Tera gathers some checks (unknown
/// filters, functions, tests and included templates) into one message of
/// reports, each `error: MESSAGE` then ` --> NAME:LINE:COL`; each becomes
/// its own `templates/NAME:line:col: message`.
fn template_errors(err: &tera::Error, fallback: &str) -> Vec<Diagnostic> {
    if !matches!(err.kind(), ErrorKind::Msg(_)) {
        return vec![template_error(err, fallback)];
    }
    let text = err.to_string();
    let reports: Vec<Diagnostic> = text
        .split("\n\n")
        .filter_map(|report| {
            let message = report.lines().next()?.strip_prefix("error: ")?;
            let place = report.lines().nth(1)?.trim_start().strip_prefix("--> ")?;
            let mut parts = place.rsplitn(3, ':');
            let col = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            Some(Diagnostic::error(
                templates::path(parts.next()?),
                line,
                col,
                message,
            ))
        })
        .collect();
    if reports.is_empty() {
        vec![template_error(err, fallback)]
    } else {
        reports
    }
}

fn date_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or("%Y-%m-%d");
    let parsed = date::parse(value)
        .ok_or_else(|| tera::Error::message(format!("`{value}` is not a date")))?;
    let mut out = String::new();
    use std::fmt::Write;
    write!(out, "{}", parsed.format(format))
        .map_err(|_| tera::Error::message(format!("`{format}` is not a valid date format")))?;
    Ok(out)
}

/// `markdown(inline=false)`: Markdown in a value as HTML, marked safe;
/// raw HTML in it is escaped (see [`markdown::render_value`]).
fn markdown_filter(value: &str, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let inline = kwargs.get::<bool>("inline")?.unwrap_or(false);
    Ok(Value::safe_string(&markdown::render_value(value, inline)))
}

/// The context variable that holds every page's value for
/// [`get_page`], by source path under `content/` (set only when a
/// template calls `get_page`: see [`Renderer::uses_get_page`]).
pub(super) const PAGES_VARIABLE: &str = "__folio_pages";

/// `get_page(path="posts/x.md")`: another page's summary, `extra` and
/// `tables` (as data), by its source file under `content/`.
fn get_page(kwargs: Kwargs, state: &State) -> TeraResult<Value> {
    let path = kwargs.must_get::<&str>("path")?;
    let key = path.strip_prefix("content/").unwrap_or(path);
    state
        .get::<Value>(PAGES_VARIABLE)?
        .and_then(|pages| pages.as_map()?.get(&Key::from(key.to_string())).cloned())
        .ok_or_else(|| {
            tera::Error::message(format!(
                "get_page: no page `{path}` in content/ (paths are like `posts/name.md`)"
            ))
        })
}

/// Serialises `value` as JSON for a `<script type="application/ld+json">`
/// (or any other script element): `<`, `>` and `&` become `\u003c`, `\u003e`
/// and `\u0026`, so no `</script>` or comment can end the element early. The
/// result is marked safe, as HTML escaping would break the JSON.
fn json_filter(value: Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    let text = serde_json::to_string(&value)
        .map_err(|e| tera::Error::message(format!("cannot write as JSON: {e}")))?;
    Ok(Value::safe_string(&escape_for_script(&text)))
}

fn escape_for_script(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            // Valid JSON, but line terminators in older JavaScript.
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// Tera with folio's functions and filters: `url` and `absolute_url`
/// (base-aware site paths), `date`, `json`, `slugify` and `markdown`.
fn with_functions(base: &BaseUrl) -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".htm"]);
    let b = base.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            Ok(b.url(kwargs.must_get::<&str>("path")?))
        },
    );
    let b = base.clone();
    tera.register_function(
        "absolute_url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            Ok(b.absolute(kwargs.must_get::<&str>("path")?))
        },
    );
    tera.register_filter("date", date_filter);
    tera.register_filter("json", json_filter);
    tera.register_filter("slugify", |value: &str, _: Kwargs, _: &State| {
        slugify(value)
    });
    tera.register_filter("markdown", markdown_filter);
    tera.register_function("get_page", get_page);
    tera.register_function(
        DEFAULT_TABLE_FUNCTION,
        |kwargs: Kwargs, state: &State| -> TeraResult<Value> {
            let written = match state.autoescaping_enabled() {
                true => super::table::render_value(&kwargs.must_get::<Value>("table")?),
                false => None,
            };
            Ok(Value::safe_string(written.as_deref().unwrap_or_default()))
        },
    );
    tera
}

/// Compiles `sources` (name, text): each alone first, so a syntax error
/// names its own file; then all together, so `extends` and `include`
/// resolve; then the depth of includes is checked.
fn compile(sources: &[(String, String)], base: &BaseUrl) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = with_functions(base);
    let mut errors = Vec::new();
    for (name, text) in sources {
        let mut probe = Tera::new();
        probe.register_from(&tera);
        if let Err(e) = probe.add_raw_template(name, text)
            && matches!(e.kind(), ErrorKind::SyntaxError(_))
        {
            errors.push(template_error(&e, name));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| template_errors(&e, ""))?;
    if let Some((name, chain)) = nesting::too_deep(sources) {
        return Err(vec![
            Diagnostic::file_error(
                templates::path(&name),
                format!(
                    "templates include each other more than {} deep: {} → …",
                    nesting::MAX_INCLUDE_DEPTH,
                    chain.join(" → ")
                ),
            )
            .with_help("include fewer levels of templates"),
        ]);
    }
    Ok(tera)
}

impl Renderer {
    /// Compiles the site's templates (read by [`crate::source::templates`])
    /// over folio's own table partial.
    pub(crate) fn load(templates: &Templates, base: &BaseUrl) -> Result<Renderer, Vec<Diagnostic>> {
        if !templates.errors.is_empty() {
            return Err(templates.errors.clone());
        }
        let mut sources = vec![
            (
                TABLE_TEMPLATE.to_string(),
                DEFAULT_TABLE_TEMPLATE.to_string(),
            ),
            (BUILTIN_TABLE_TEMPLATE.to_string(), builtin_table_template()),
        ];
        for (name, text) in &templates.files {
            sources.retain(|(n, _)| n != name);
            sources.push((name.clone(), text.clone()));
        }
        let own_table_partial = sources
            .iter()
            .any(|(name, text)| name == TABLE_TEMPLATE && text != DEFAULT_TABLE_TEMPLATE);
        let page_tables = sources
            .iter()
            .any(|(_, text)| text != DEFAULT_TABLE_TEMPLATE && may_read_page_tables(text));
        let uses_get_page = sources.iter().any(|(_, text)| text.contains("get_page"));
        let extra = sources
            .iter()
            .map(|(name, _)| (name.clone(), AtomicUsize::new(0)))
            .collect();
        let tera = compile(&sources, base)?;
        // A system that refuses a thread per core (a memory cap, a limit
        // on threads) gets one rendering thread rather than no build.
        let builder = || rayon::ThreadPoolBuilder::new().stack_size(RENDER_STACK_BYTES);
        let pool = builder()
            .build()
            .or_else(|_| builder().num_threads(1).build())
            .map_err(|e| {
                vec![Diagnostic::file_error(
                    templates::path(""),
                    format!("cannot start rendering threads: {e}"),
                )]
            })?;
        Ok(Renderer {
            tera,
            pool,
            own_table_partial,
            page_tables,
            uses_get_page,
            extra,
        })
    }

    /// Runs `work` on the render threads.
    pub(crate) fn install<T: Send>(&self, work: impl FnOnce() -> T + Send) -> T {
        self.pool.install(work)
    }

    /// Whether the site has template `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    pub(super) fn render(
        &self,
        name: &str,
        context: &Context,
        page: Option<&Path>,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(name, context)
            .map_err(|e| render_error(&e, name, page))
    }

    /// [`Renderer::render`] into bytes, with room for `size_hint` of them
    /// (what the caller knows the render will hold, such as a page's body)
    /// and for the most markup the template added to that so far.
    pub(super) fn render_bytes(
        &self,
        name: &str,
        context: &Context,
        page: Option<&Path>,
        size_hint: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let extra = self.extra.get(name);
        let room = extra.map_or(0, |e| e.load(Ordering::Relaxed));
        let mut out = Vec::with_capacity(size_hint + room);
        self.tera
            .render_to(name, context, &mut out)
            .map_err(|e| render_error(&e, name, page))?;
        if let Some(e) = extra {
            e.fetch_max(out.len().saturating_sub(size_hint), Ordering::Relaxed);
        }
        Ok(out)
    }

    /// [`Renderer::render`] onto the end of `out` (a page's body, whose
    /// tables go one after another into one buffer).
    pub(super) fn render_onto(
        &self,
        name: &str,
        context: &Context,
        page: Option<&Path>,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        let before = out.len();
        self.tera
            .render_to(name, context, &mut *out)
            .map_err(|e| render_error(&e, name, page))?;
        if let Some(e) = self.extra.get(name) {
            e.fetch_max(out.len() - before, Ordering::Relaxed);
        }
        Ok(())
    }

    /// The most bytes one render of template `name` wrote so far onto a
    /// buffer ([`Renderer::render_onto`]), for sizing the next one.
    pub(super) fn most_written(&self, name: &str) -> usize {
        self.extra
            .get(name)
            .map_or(0, |e| e.load(Ordering::Relaxed))
    }
}

fn render_error(e: &tera::Error, name: &str, page: Option<&Path>) -> Diagnostic {
    let d = template_error(e, name);
    match page {
        Some(p) => d.with_help(format!("while rendering {}", p.display())),
        None => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_that_may_read_page_tables_are_told_apart() {
        for reads in [
            "{% for t in page.tables %}{% endfor %}",
            "{{ page | json }}",
            "{% set p = page %}{{ p.title }}",
            "{{ page[\"tab\" ~ \"les\"] }}",
            "{% for k, v in page %}{{ k }}{% endfor %}",
            "{{ page }}",
            "{{ m::card(page=page.title) }}",
            "{{ __tera_context }}",
            "{{ x.tables }}",
            "{# tables #}",
            "{{ page . title }}",
            "{{ page.",
            "page",
        ] {
            assert!(may_read_page_tables(reads), "{reads}");
        }
        for never in [
            "",
            "{{ page.title }} {{ page.content | safe }} {{ page.extra.x }}",
            "{% for p in pages %}{{ p.title }}{% endfor %}",
            "{{ homepage.x }} {{ page_count }} {{ tabless }} {{ mytables }}",
            DEFAULT_TABLE_TEMPLATE,
            &builtin_table_template(),
        ] {
            assert!(!may_read_page_tables(never), "{never}");
        }
    }

    #[test]
    fn json_filter_escapes_what_could_end_a_script() {
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.register_filter("json", json_filter);
        tera.add_raw_template("t.html", "{{ v | json }}").unwrap();
        let mut ctx = Context::new();
        let v = serde_json::json!({"name": "</script><!-- & \u{2028}", "n": [1, null]});
        ctx.insert("v", &v);
        let out = tera.render("t.html", &ctx).unwrap();
        assert_eq!(
            out,
            r#"{"name":"\u003c/script\u003e\u003c!-- \u0026 \u2028","n":[1,null]}"#
        );
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back, v);
    }
}
