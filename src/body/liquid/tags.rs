//! Jekyll's own tags, registered on the `liquid` crate: `post_url`, `link`,
//! `include` and `highlight` (`raw` is the crate's).

use super::scan::{Finding, OFFSET_PARAM};
use super::{INCLUDE_MARKER, Include, PageState, visible};
use crate::body::highlight::{LineOptions, code_block};
use liquid_core::error::ResultLiquidReplaceExt;
use liquid_core::{
    BlockReflection, Expression, Language, ParseBlock, ParseTag, Renderable, Result, Runtime,
    TagBlock, TagReflection, TagTokenIter, ValueView,
};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A tag's `key=value` parameters, with the offset the scanner added.
#[derive(Debug, Clone, Default)]
struct Params {
    pairs: Vec<(String, Expression)>,
    offset: usize,
}

/// Reads `key=value …` up to the end of the tag.
fn params(arguments: &mut TagTokenIter<'_>) -> Result<Params> {
    let mut out = Params::default();
    while let Some(token) = arguments.next() {
        let key = token.expect_identifier().into_result()?.to_string();
        arguments
            .expect_next("`=` expected")?
            .expect_str("=")
            .into_result_custom_msg("`=` expected")?;
        let value = arguments
            .expect_next("a value expected")?
            .expect_value()
            .into_result()?;
        if key == OFFSET_PARAM {
            let offset = value
                .into_literal()
                .and_then(|v| v.as_scalar()?.to_integer());
            out.offset = offset.and_then(|o| usize::try_from(o).ok()).unwrap_or(0);
        } else {
            out.pairs.push((key, value));
        }
    }
    Ok(out)
}

/// The tag's first argument: a name or a path.
fn target(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("a name expected")?
        .expect_value()
        .into_result()
}

/// Where `{% link PATH %}` may point: Jekyll paths are from the site
/// source, so `_posts/x.md` is `content/posts/x.md`.
fn link_candidates(written: &str) -> Vec<PathBuf> {
    let written = written.trim_start_matches("./").trim_start_matches('/');
    let content = Path::new("content");
    let mut out = Vec::new();
    if let Some(post) = written.strip_prefix("_posts/") {
        out.push(content.join("posts").join(post));
    }
    out.push(content.join(written));
    if let Some(rest) = written.strip_prefix('_') {
        out.push(content.join(rest));
    }
    out
}

/// `post_url` or `link`.
#[derive(Copy, Clone, Debug, PartialEq)]
pub(super) enum LinkKind {
    PostUrl,
    Link,
}

/// `{% post_url 2019-08-20-hello %}` and `{% link _posts/x.md %}`: the
/// page's URL, with the base.
#[derive(Copy, Clone, Debug)]
pub(super) struct LinkTag(pub(super) LinkKind);

impl TagReflection for LinkTag {
    fn tag(&self) -> &str {
        match self.0 {
            LinkKind::PostUrl => "post_url",
            LinkKind::Link => "link",
        }
    }

    fn description(&self) -> &str {
        "the URL of another page of the site"
    }
}

impl ParseTag for LinkTag {
    fn parse(&self, mut arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        let target = target(&mut arguments)?;
        let params = params(&mut arguments)?;
        Ok(Box::new(LinkT {
            kind: self.0,
            target,
            offset: params.offset,
        }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct LinkT {
    kind: LinkKind,
    target: Expression,
    offset: usize,
}

impl Renderable for LinkT {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let target = self.target.evaluate(runtime)?.to_kstr().into_string();
        let mut state = runtime.registers().get_mut::<PageState>();
        let links = &state.shared().links;
        let url = match self.kind {
            LinkKind::PostUrl => links.by_stem(target.rsplit('/').next().unwrap_or(&target)),
            LinkKind::Link => link_candidates(&target)
                .iter()
                .find_map(|p| links.by_source(p)),
        };
        let url = url.unwrap_or_else(|| {
            let tag = state.source_of(self.offset).to_string();
            state.findings.push(Finding {
                at: self.offset,
                message: format!("`{tag}`: no page `{target}` in this site"),
                help: match self.kind {
                    LinkKind::PostUrl => {
                        "post_url names a post's file without its extension, \
                         e.g. 2019-08-20-hello; the link is left broken"
                    }
                    LinkKind::Link => {
                        "link names a file from the site's root, e.g. \
                         _posts/2019-08-20-hello.md; the link is left broken"
                    }
                },
            });
            target.to_string()
        });
        write!(writer, "{url}").replace("Failed to render")
    }
}

/// `{% include NAME k="v" %}`: a marker that the render stage fills with
/// the template `includes/NAME` or `partials/NAME` (Tera, as every folio
/// template), which reads the parameters as `include.KEY`.
#[derive(Copy, Clone, Debug)]
pub(super) struct IncludeTag;

impl TagReflection for IncludeTag {
    fn tag(&self) -> &str {
        "include"
    }

    fn description(&self) -> &str {
        "a template from templates/includes/ or templates/partials/"
    }
}

impl ParseTag for IncludeTag {
    fn parse(&self, mut arguments: TagTokenIter<'_>, _: &Language) -> Result<Box<dyn Renderable>> {
        let name = target(&mut arguments)?;
        let params = params(&mut arguments)?;
        Ok(Box::new(IncludeT { name, params }))
    }

    fn reflection(&self) -> &dyn TagReflection {
        self
    }
}

#[derive(Debug)]
struct IncludeT {
    name: Expression,
    params: Params,
}

impl Renderable for IncludeT {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let name = self.name.evaluate(runtime)?.to_kstr().into_string();
        let mut params = serde_json::Map::new();
        for (key, value) in &self.params.pairs {
            let value = value.evaluate(runtime)?.to_value();
            let value = serde_json::to_value(&value).unwrap_or_default();
            params.insert(key.clone(), value);
        }
        let mut state = runtime.registers().get_mut::<PageState>();
        let offset = self.params.offset;
        let Some(template) = state.shared().includes.get(name.as_str()).cloned() else {
            let tag = state.source_of(offset).to_string();
            state.findings.push(Finding {
                at: offset,
                message: format!(
                    "`{tag}`: no template templates/includes/{name} or \
                     templates/partials/{name}; left as text"
                ),
                help: "create the template to render it, or remove the tag",
            });
            return write!(writer, "{}", visible(&tag)).replace("Failed to render");
        };
        let index = state.includes.len();
        state.includes.push((
            offset,
            Include {
                name,
                template,
                params,
                line: 0,
            },
        ));
        write!(writer, "{INCLUDE_MARKER}{index}-->").replace("Failed to render")
    }
}

/// `{% highlight LANG [linenos] %}…{% endhighlight %}`: a code block whose
/// content is literal, as in Jekyll 4, highlighted as fenced code is
/// (`body::highlight`).
#[derive(Copy, Clone, Debug)]
pub(super) struct HighlightBlock;

impl BlockReflection for HighlightBlock {
    fn start_tag(&self) -> &str {
        "highlight"
    }

    fn end_tag(&self) -> &str {
        "endhighlight"
    }

    fn description(&self) -> &str {
        "a code block"
    }
}

impl ParseBlock for HighlightBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        _: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let lang = match arguments.next() {
            Some(token) => token
                .expect_literal()
                .into_result()?
                .to_kstr()
                .into_string(),
            None => String::new(),
        };
        // Jekyll's `linenos`; `mark_lines=…` and Hugo's and Zola's
        // options are read as fences read them.
        let mut options = LineOptions::default();
        for option in highlight_options(arguments) {
            options.set(&option);
        }
        let content = tokens.escape_liquid(false)?.to_string();
        tokens.assert_empty();
        Ok(Box::new(HighlightT {
            lang,
            options,
            content,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

/// The options after a highlight's language, as written: the scan quotes
/// each word, so `mark_lines="2 4"` arrives as two words, put together
/// again here (a word that starts with a digit continues the option
/// before it).
fn highlight_options(arguments: TagTokenIter<'_>) -> Vec<String> {
    let mut options: Vec<String> = Vec::new();
    for token in arguments {
        let text = token.as_str();
        let word = ['"', '\'']
            .iter()
            .find_map(|q| text.strip_prefix(*q).and_then(|t| t.strip_suffix(*q)))
            .unwrap_or(text);
        match options.last_mut() {
            Some(last) if word.starts_with(|c: char| c.is_ascii_digit()) => {
                last.push(' ');
                last.push_str(word);
            }
            _ => options.push(word.to_string()),
        }
    }
    options
}

#[derive(Debug)]
struct HighlightT {
    lang: String,
    options: LineOptions,
    content: String,
}

impl Renderable for HighlightT {
    fn render_to(&self, writer: &mut dyn Write, _: &dyn Runtime) -> Result<()> {
        // A newline right after <pre> is dropped by HTML parsers.
        let content = &self.content;
        let code = content
            .strip_prefix("\r\n")
            .or_else(|| content.strip_prefix('\n'))
            .unwrap_or(content);
        let html = code_block("", code, &self.lang, &self.options);
        write!(writer, "{html}").replace("Failed to render")
    }
}
