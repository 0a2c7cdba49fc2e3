//! The Jekyll syntax authors write in Markdown bodies, turned into plain
//! Markdown before pulldown-cmark sees it.
//!
//! folio's templates are Tera, so a body is not a template. But posts that
//! come from Jekyll use a handful of Liquid forms, and those keep working:
//!
//! - `{% raw %}…{% endraw %}`: the content, literally;
//! - `{% highlight LANG %}…{% endhighlight %}`: a code block (its content is
//!   literal, as in Jekyll 4);
//! - `{{ site.url }}`, `{{ site.baseurl }}`, `{{ "PATH" | relative_url }}`,
//!   `{{ "PATH" | absolute_url }}`: the site's base;
//! - `{% post_url NAME %}`, `{% link PATH %}`: the target page's URL;
//! - `{% include NAME k="v" %}`: a placeholder that the render stage fills
//!   with the template `includes/NAME` or `partials/NAME`, when one exists.
//!
//! Anything else stays in the page as visible text, with a warning naming
//! `path:line:col`; it never fails the build. Then kramdown's attribute
//! lists (`{: .notice}` lines, `![x](y){: .left}`) are removed, so they do
//! not show up as stray text.
//!
//! Every replacement keeps the number of newlines it replaces, so line
//! numbers of everything after a tag stay right for later diagnostics.

use super::links::Links;
use crate::error::{Diagnostic, LineIndex};
use crate::source::templates::Templates;
use crate::urls::BaseUrl;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// What the body needs from the rest of the site.
pub(crate) struct Env<'a> {
    /// Page URLs, for `post_url` and `link`; also the site's base.
    pub(crate) links: &'a Links,
    /// Templates that `{% include %}` may name.
    pub(crate) includes: &'a Includes,
}

/// One `{% include %}` whose template exists.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Include {
    /// The name as written (`gallery`).
    pub(crate) name: String,
    /// The template that renders it (`includes/gallery.html`).
    pub(crate) template: String,
    /// Its parameters (`caption="…"`), as `include.KEY` in the template.
    pub(crate) params: Map<String, Value>,
    /// 1-based file line of the tag.
    pub(crate) line: usize,
}

/// A body with its Liquid expanded.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expanded {
    /// The whole file: the front matter as it was, then the expanded body.
    pub(crate) text: String,
    /// Includes, indexed by the number in their marker.
    pub(crate) includes: Vec<Include>,
    /// Warnings about what was left as text.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

fn newlines(text: &str) -> impl Iterator<Item = char> {
    std::iter::repeat_n('\n', text.matches('\n').count())
}

/// Visible text for a tag folio does not run: `<` and `>` escaped so that
/// a tag inside an HTML block shows up instead of making markup.
fn visible(text: &str) -> String {
    text.replace('<', "&lt;").replace('>', "&gt;")
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The inside of a `{% … %}` or `{{ … }}`, without whitespace control dashes.
fn inner(tag: &str) -> &str {
    tag[2..tag.len() - 2]
        .trim()
        .trim_start_matches('-')
        .trim_end_matches('-')
        .trim()
}

/// The next tag `{% NAME %}` at or after `from`: its start and end.
fn find_tag(body: &str, from: usize, name: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(i) = body[at..].find("{%") {
        let start = at + i;
        let end = start + 2 + body[start + 2..].find("%}")? + 2;
        if inner(&body[start..end]) == name {
            return Some((start, end));
        }
        at = start + 2;
    }
    None
}

/// Splits `a b="c d" e='f'` into words, keeping quoted parts together.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => word.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            (None, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// A quoted string literal: `"x"` or `'x'`.
fn literal(text: &str) -> Option<&str> {
    let text = text.trim();
    ["\"", "'"].iter().find_map(|q| {
        text.strip_prefix(q)
            .and_then(|t| t.strip_suffix(q))
            .filter(|t| !t.contains(q))
    })
}

/// `{{ … }}` folio understands, as its output.
fn output(expr: &str, base: &BaseUrl) -> Option<String> {
    match expr {
        "site.url" => return Some(base.origin.clone()),
        "site.baseurl" => return Some(base.path.trim_end_matches('/').to_string()),
        _ => {}
    }
    let (value, filter) = expr.split_once('|')?;
    let path = literal(value)?;
    match filter.trim() {
        "relative_url" => Some(base.url(path)),
        "absolute_url" => Some(base.absolute(path)),
        _ => None,
    }
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

struct Expander<'a> {
    rel: &'a Path,
    env: &'a Env<'a>,
    base: BaseUrl,
    index: LineIndex<'a>,
    body_offset: usize,
    out: Expanded,
    /// Closing tags known to be absent from the rest of the body; scanning
    /// only moves forward, so each is searched for in vain at most once.
    missing: Vec<&'static str>,
}

impl Expander<'_> {
    fn warn(&mut self, at: usize, message: String, help: &str) {
        let (line, col) = self.index.locate(self.body_offset + at);
        self.out
            .diagnostics
            .push(Diagnostic::warning(self.rel, line, col, message).with_help(help));
    }

    fn not_supported(&mut self, at: usize, tag: &str) {
        self.warn(
            at,
            format!("Liquid `{tag}` is not supported in Markdown; left as text"),
            "folio runs only raw, highlight, post_url, link, include and site.url/baseurl \
             in bodies; wrap the text in {% raw %}…{% endraw %} to show it on purpose, \
             or move the logic into a template",
        );
    }

    /// Expands one `{% … %}` starting at `start` and ending at `end`, and
    /// returns where scanning goes on.
    fn tag(&mut self, body: &str, start: usize, end: usize, out: &mut String) -> usize {
        let whole = &body[start..end];
        let words = words(inner(whole));
        match words.first().map_or("", String::as_str) {
            "raw" => self.block(body, start, end, "endraw", None, out),
            "highlight" => {
                let lang = words.get(1).map_or("", String::as_str);
                self.block(body, start, end, "endhighlight", Some(lang), out)
            }
            "post_url" | "link" => {
                self.link(whole, start, &words, out);
                end
            }
            "include" => {
                self.include(whole, start, &words, out);
                end
            }
            _ => {
                self.not_supported(start, whole);
                out.push_str(&visible(whole));
                end
            }
        }
    }

    /// `{% raw %}…{% endraw %}` (its content as written) or `{% highlight
    /// LANG %}…{% endhighlight %}` (a code block, when `lang` is given).
    fn block(
        &mut self,
        body: &str,
        start: usize,
        end: usize,
        close: &'static str,
        lang: Option<&str>,
        out: &mut String,
    ) -> usize {
        let whole = &body[start..end];
        let found = if self.missing.contains(&close) {
            None
        } else {
            find_tag(body, end, close)
        };
        let Some((close_start, close_end)) = found else {
            self.missing.push(close);
            self.warn(
                start,
                format!("`{whole}` is never closed with {{% {close} %}}; left as text"),
                "add the closing tag",
            );
            out.push_str(&visible(whole));
            return end;
        };
        let content = &body[end..close_start];
        match lang {
            None => out.push_str(content),
            Some(lang) => push_code_block(out, lang, content),
        }
        out.extend(newlines(whole));
        out.extend(newlines(&body[close_start..close_end]));
        close_end
    }

    /// `{% post_url STEM %}` or `{% link PATH %}`: the page's URL.
    fn link(&mut self, whole: &str, start: usize, words: &[String], out: &mut String) {
        let post_url = words[0] == "post_url";
        let target = words.get(1).map_or("", String::as_str);
        let url = if post_url {
            let stem = target.rsplit('/').next().unwrap_or(target);
            self.env.links.by_stem(stem)
        } else {
            link_candidates(target)
                .iter()
                .find_map(|p| self.env.links.by_source(p))
        };
        match url {
            Some(url) => out.push_str(&url),
            None => {
                self.warn(
                    start,
                    format!("`{whole}`: no page `{target}` in this site"),
                    if post_url {
                        "post_url names a post's file without its extension, \
                         e.g. 2019-08-20-hello; the link is left broken"
                    } else {
                        "link names a file from the site's root, e.g. \
                         _posts/2019-08-20-hello.md; the link is left broken"
                    },
                );
                out.push_str(target);
            }
        }
        out.extend(newlines(whole));
    }

    /// `{% include NAME k=v … %}`: a marker for the renderer, which renders
    /// the template in its place.
    fn include(&mut self, whole: &str, start: usize, words: &[String], out: &mut String) {
        let include = words.get(1).cloned().unwrap_or_default();
        let Some(template) = self.env.includes.get(&include) else {
            self.warn(
                start,
                format!(
                    "`{whole}`: no template templates/includes/{include} or \
                     templates/partials/{include}; left as text"
                ),
                "create the template to render it, or remove the tag",
            );
            out.push_str(&visible(whole));
            return;
        };
        let params = words[2..]
            .iter()
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
            .collect();
        let (line, _) = self.index.locate(self.body_offset + start);
        out.push_str(&format!("{INCLUDE_MARKER}{}-->", self.out.includes.len()));
        self.out.includes.push(Include {
            name: include,
            template: template.clone(),
            params,
            line,
        });
        out.extend(newlines(whole));
    }
}

/// A `<pre><code>` block holding `content` literally. It starts its line
/// as an HTML block does, and keeps every newline of `content`.
fn push_code_block(out: &mut String, lang: &str, content: &str) {
    let class = if lang.is_empty() {
        String::new()
    } else {
        let lang = escape_html(lang);
        format!(" class=\"language-{lang}\" data-lang=\"{lang}\"")
    };
    // A newline right after <pre> is dropped by HTML parsers, so the
    // tag's own line break can stay there.
    let (lead, code) = match content.strip_prefix("\r\n") {
        Some(rest) => ("\r\n", rest),
        None => content
            .strip_prefix('\n')
            .map_or(("", content), |rest| ("\n", rest)),
    };
    out.push_str(&format!(
        "<pre class=\"highlight\">{lead}<code{class}>{}</code></pre>",
        escape_html(code)
    ));
}

/// Expands the Liquid of a body; `text` is the whole file and the body
/// starts at `body_offset`.
pub(crate) fn expand(rel: &Path, text: &str, body_offset: usize, env: &Env) -> Expanded {
    let body = &text[body_offset..];
    // Most pages hold no Liquid and no attribute list: nothing to do.
    if !body.contains("{{") && !body.contains("{%") && !body.contains("{:") {
        return Expanded {
            text: text.to_string(),
            ..Expanded::default()
        };
    }
    let mut ex = Expander {
        rel,
        env,
        base: env
            .links
            .base()
            .cloned()
            .unwrap_or_else(|| BaseUrl::parse("/").expect("root base")),
        index: LineIndex::new(text),
        body_offset,
        out: Expanded::default(),
        missing: Vec::new(),
    };
    // Past the last `}}` or `%}`, no opening pair can close.
    let last_output_close = body.rfind("}}");
    let last_tag_close = body.rfind("%}");
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..body_offset]);
    let mut pos = 0;
    while let Some(i) = body[pos..].find('{') {
        let start = pos + i;
        out.push_str(&body[pos..start]);
        let rest = &body[start..];
        let (close, last) = if rest.starts_with("{%") {
            ("%}", last_tag_close)
        } else if rest.starts_with("{{") {
            ("}}", last_output_close)
        } else {
            out.push('{');
            pos = start + 1;
            continue;
        };
        let len = last
            .filter(|&l| l >= start + 2)
            .and_then(|_| rest[2..].find(close));
        let Some(len) = len else {
            // An opening brace pair with no end is not Liquid: plain text.
            out.push_str(&rest[..2]);
            pos = start + 2;
            continue;
        };
        let end = start + 2 + len + 2;
        if close == "%}" {
            pos = ex.tag(body, start, end, &mut out);
        } else {
            let whole = &body[start..end];
            match output(inner(whole), &ex.base) {
                Some(text) => {
                    out.push_str(&text);
                    out.extend(newlines(whole));
                }
                None => {
                    ex.not_supported(start, whole);
                    out.push_str(&visible(whole));
                }
            }
            pos = end;
        }
    }
    out.push_str(&body[pos..]);
    let stripped = strip_attribute_lists(&out[body_offset..]);
    out.truncate(body_offset);
    out.push_str(&stripped);
    ex.out.text = out;
    ex.out
}

/// A kramdown block attribute list on its own line: `{: .notice}`.
fn is_block_attributes(line: &str) -> bool {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let line = line.trim();
    indent < 4 && line.starts_with("{:") && line.ends_with('}')
}

/// The fence a line opens or closes: its character and length.
fn fence(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let c = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = trimmed.chars().take_while(|x| *x == c).count();
    (n >= 3).then_some((c, n))
}

/// Removes kramdown attribute lists outside code blocks: a `{: …}` line
/// becomes an empty line (so it also ends the paragraph or table above it,
/// which kramdown would have given the attributes), and a `{: …}` right
/// after a link or image is dropped.
fn strip_attribute_lists(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut open: Option<(char, usize)> = None;
    for line in body.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let ending = &line[text.len()..];
        if let Some((c, n)) = open {
            if fence(text).is_some_and(|(c2, n2)| c2 == c && n2 >= n && text.trim().len() == n2) {
                open = None;
            }
            out.push_str(line);
            continue;
        }
        if let Some(f) = fence(text) {
            open = Some(f);
            out.push_str(line);
            continue;
        }
        if is_block_attributes(text) {
            out.push_str(ending);
            continue;
        }
        let mut rest = text;
        while let Some(i) = rest.find("){:") {
            let after = &rest[i + 1..];
            match after.find('}') {
                Some(j) => {
                    out.push_str(&rest[..=i]);
                    rest = &after[j + 1..];
                }
                None => break,
            }
        }
        out.push_str(rest);
        out.push_str(ending);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::parse_head;

    fn env_links() -> Links {
        let pages: Vec<_> = ["content/posts/2019-01-02-b.md", "content/about.md"]
            .iter()
            .map(|p| parse_head(Path::new(p), "x\n".into()).item.unwrap().head)
            .collect();
        Links::new(
            Path::new("/nonexistent-site"),
            &BaseUrl::parse("https://u.github.io/repo/").unwrap(),
            &pages,
        )
    }

    fn run(body: &str, includes: &Includes) -> Expanded {
        let links = env_links();
        let env = Env {
            links: &links,
            includes,
        };
        let text = format!("---\ntitle: t\n---\n{body}");
        expand(Path::new("content/posts/a.md"), &text, 17, &env)
    }

    fn body(e: &Expanded) -> &str {
        &e.text[17..]
    }

    #[test]
    fn raw_yields_its_content_literally() {
        let e = run(
            "a {% raw %}{{ x }} {% if %}{% endraw %} b\n",
            &Includes::new(),
        );
        assert_eq!(body(&e), "a {{ x }} {% if %} b\n");
        assert!(e.diagnostics.is_empty());
    }

    #[test]
    fn highlight_becomes_a_code_block_keeping_lines() {
        let src = "{% highlight ruby linenos %}\nputs 1 < 2\n{{ x }}\n{% endhighlight %}\nafter\n";
        let e = run(src, &Includes::new());
        assert_eq!(
            body(&e),
            "<pre class=\"highlight\">\n<code class=\"language-ruby\" data-lang=\"ruby\">puts 1 &lt; 2\n{{ x }}\n</code></pre>\nafter\n"
        );
        assert_eq!(body(&e).lines().count(), src.lines().count());
    }

    #[test]
    fn site_base_and_url_filters_become_the_base() {
        let e = run(
            "{{ site.url }}{{ site.baseurl }}/a.png {{ \"/docs/\" | relative_url }} {{ '/x' | absolute_url }}\n",
            &Includes::new(),
        );
        assert_eq!(
            body(&e),
            "https://u.github.io/repo/a.png /repo/docs/ https://u.github.io/repo/x\n"
        );
    }

    #[test]
    fn post_url_and_link_resolve_and_unknown_targets_warn() {
        let e = run(
            "[a]({% post_url 2019-01-02-b %}) [b]({% link _posts/2019-01-02-b.md %}) [c]({% link about.md %})\n\n[d]({% post_url 2000-01-01-gone %})\n",
            &Includes::new(),
        );
        assert_eq!(
            body(&e),
            "[a](/repo/posts/b/) [b](/repo/posts/b/) [c](/repo/about/)\n\n[d](2000-01-01-gone)\n"
        );
        assert_eq!(e.diagnostics.len(), 1);
        assert_eq!(e.diagnostics[0].line, Some(6));
        assert!(e.diagnostics[0].message.contains("2000-01-01-gone"));
    }

    #[test]
    fn known_includes_become_markers_and_unknown_stay_visible() {
        let includes = Includes::from([("gallery".to_string(), "includes/gallery".to_string())]);
        let e = run(
            "{% include gallery id=\"g2\" caption='A b' %}\n{% include toc %}\n",
            &includes,
        );
        assert_eq!(body(&e), "<!--folio:include:0-->\n{% include toc %}\n");
        assert_eq!(e.includes[0].params["caption"], "A b");
        assert_eq!(e.includes[0].params["id"], "g2");
        assert_eq!(e.includes[0].line, 4);
        assert_eq!(e.diagnostics.len(), 1);
        assert_eq!(e.diagnostics[0].line, Some(5));
    }

    #[test]
    fn other_liquid_is_left_visible_with_a_warning_at_its_line() {
        let e = run(
            "one\n\n<p>{{ x | remove: \"<p>\" }}</p>\n{% capture y %}\nz\n{% endcapture %}\n",
            &Includes::new(),
        );
        assert!(body(&e).contains("{{ x | remove: \"&lt;p&gt;\" }}"));
        let lines: Vec<_> = e.diagnostics.iter().map(|d| d.line.unwrap()).collect();
        assert_eq!(lines, [6, 7, 9]);
        assert!(!e.diagnostics[0].is_error());
    }

    #[test]
    fn unclosed_openings_are_scanned_in_linear_time() {
        let many = "{{ {% raw %} {% x ".repeat(20_000);
        let started = std::time::Instant::now();
        let e = run(&many, &Includes::new());
        assert!(started.elapsed().as_secs() < 5);
        assert!(body(&e).starts_with("{{ {% raw %} {% x"));
    }

    #[test]
    fn braces_that_are_not_liquid_stay() {
        let e = run("a { b } {{ and {% alone\n", &Includes::new());
        assert_eq!(body(&e), "a { b } {{ and {% alone\n");
        assert!(e.diagnostics.is_empty());
    }

    #[test]
    fn kramdown_attribute_lists_vanish_outside_code() {
        let src = "Note.\n{: .notice}\n![i](a.png){: .align-left} text\n```\n{: .kept}\n```\n";
        assert_eq!(
            strip_attribute_lists(src),
            "Note.\n\n![i](a.png) text\n```\n{: .kept}\n```\n"
        );
    }
}
