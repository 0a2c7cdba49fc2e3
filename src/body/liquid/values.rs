//! What a body's Liquid sees: `page` (one page's front matter and URL) and
//! `site` (the settings, every post and page, tags, categories, data), as
//! Jekyll names them. `site` is built once per build and shared by every
//! page, so no page pays for the whole site again.

use crate::body::markdown;
use crate::source::{Head, PageKind, Unrendered};
use crate::urls::BaseUrl;
use chrono::{DateTime, FixedOffset};
use liquid_core::model::{DateTime as LiquidDate, KString};
use liquid_core::{Object, Value};
use rayon::prelude::*;
use serde_json::Map;

/// A front matter value as Liquid holds it.
pub(super) fn from_json(value: &serde_json::Value) -> Value {
    liquid_core::to_value(value).unwrap_or(Value::Nil)
}

/// A date as Liquid holds it (`2019-08-20 10:00:00 +0000` when shown, as
/// Ruby's `Time#to_s`), for the date filters. Built from its parts: the
/// crate's own parsing of date text compiles a regex on every call.
fn date(date: &DateTime<FixedOffset>) -> Value {
    let instant = time::OffsetDateTime::from_unix_timestamp(date.timestamp());
    let offset = time::UtcOffset::from_whole_seconds(date.offset().local_minus_utc());
    match (instant, offset) {
        (Ok(instant), Ok(offset)) => {
            let mut value = LiquidDate::default();
            *value = instant.to_offset(offset);
            Value::scalar(value)
        }
        _ => Value::scalar(date.format("%Y-%m-%d %H:%M:%S %z").to_string()),
    }
}

fn strings(list: &[String]) -> Value {
    Value::array(list.iter().map(|s| Value::scalar(s.clone())))
}

fn insert(object: &mut Object, key: &str, value: Value) {
    object.insert(KString::from_ref(key), value);
}

/// `page`: the front matter as written, then what Jekyll adds: `title`,
/// `url` (without the base, as in Jekyll: write `{{ page.url |
/// relative_url }}`), `date`, `slug`, `path`, `tags`, `categories`.
pub(super) fn page(head: &Head) -> Object {
    let mut object: Object = head
        .extra
        .iter()
        .map(|(k, v)| (KString::from_ref(k), from_json(v)))
        .collect();
    insert(&mut object, "title", Value::scalar(head.title.clone()));
    insert(&mut object, "url", Value::scalar(format!("/{}", head.path)));
    insert(&mut object, "slug", Value::scalar(head.slug.clone()));
    let path = head.source.to_string_lossy().replace('\\', "/");
    insert(&mut object, "path", Value::scalar(path));
    insert(&mut object, "tags", strings(&head.tags));
    insert(&mut object, "categories", strings(&head.categories));
    if let Some(d) = &head.date {
        insert(&mut object, "date", date(d));
    }
    for (key, value) in [("author", &head.author), ("description", &head.description)] {
        if let Some(v) = value {
            insert(&mut object, key, Value::scalar(v.clone()));
        }
    }
    if let Some((layout, _)) = &head.layout {
        insert(&mut object, "layout", Value::scalar(layout.clone()));
    }
    object
}

/// A post in `site.posts`: its `page`, with its `excerpt` (HTML): the
/// front matter's `excerpt`, else its first paragraph. The excerpt is made
/// from the Markdown as written, before its own Liquid runs (Jekyll, too,
/// renders excerpts apart from their posts).
fn post(u: &Unrendered) -> Object {
    let mut object = page(&u.head);
    let body = &u.text[u.body_offset..];
    let source = match (&u.excerpt, &u.excerpt_separator) {
        (Some(written), _) => written.as_str(),
        (None, Some(sep)) if !sep.is_empty() && body.contains(sep.as_str()) => {
            &body[..body.find(sep.as_str()).unwrap_or(body.len())]
        }
        _ => first_paragraph(body),
    };
    let (html, _) = markdown::render_fragment(source, &|_| None);
    insert(&mut object, "excerpt", Value::scalar(html));
    object
}

/// The first block of `body` that is not blank.
fn first_paragraph(body: &str) -> &str {
    let body = body.trim_start_matches(['\n', '\r', ' ']);
    let end = [body.find("\n\n"), body.find("\r\n\r\n")]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(body.len());
    &body[..end]
}

/// Groups posts by a taxonomy: `site.tags.NAME` is the posts with that tag,
/// newest first.
fn group(posts: &[(Object, &Head)], terms: impl Fn(&Head) -> &[String]) -> Object {
    let mut grouped = Object::new();
    for (post, head) in posts {
        for term in terms(head) {
            let entry = grouped
                .entry(KString::from_ref(term))
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                list.push(Value::Object(post.clone()));
            }
        }
    }
    grouped
}

/// `site`: the settings of `content/_index.md` as written, `base_url` as
/// the build uses it (`--base-url` wins), `url` (the base's origin) and
/// `baseurl` (its path, without the last `/`) as Jekyll has them, `posts` (newest first), `pages`, `tags`, `categories`, and
/// `data` (the files of `data/`, as templates see them in `site.data`).
pub(super) fn site(
    pages: &[Unrendered],
    settings: &Map<String, serde_json::Value>,
    data: &Map<String, serde_json::Value>,
    base: &BaseUrl,
    drafts: bool,
) -> Object {
    let mut object: Object = settings
        .iter()
        .map(|(k, v)| (KString::from_ref(k), from_json(v)))
        .collect();
    insert(&mut object, "url", Value::scalar(base.origin.clone()));
    let base_url = format!("{}{}", base.origin, base.path);
    insert(&mut object, "base_url", Value::scalar(base_url));
    let baseurl = base.path.trim_end_matches('/').to_string();
    insert(&mut object, "baseurl", Value::scalar(baseurl));
    let shown = pages.iter().filter(|u| drafts || !u.head.draft);
    let mut posts: Vec<&Unrendered> = shown
        .clone()
        .filter(|u| u.head.kind == PageKind::Post)
        .collect();
    // As the site lists them: newest first, ties by path.
    posts.sort_by(|a, b| {
        (b.head.date.cmp(&a.head.date)).then_with(|| a.head.path.cmp(&b.head.path))
    });
    let posts: Vec<(Object, &Head)> = posts.par_iter().map(|u| (post(u), &u.head)).collect();
    insert(
        &mut object,
        "tags",
        Value::Object(group(&posts, |h| &h.tags)),
    );
    let categories = group(&posts, |h| &h.categories);
    insert(&mut object, "categories", Value::Object(categories));
    let others = shown
        .filter(|u| u.head.kind == PageKind::Page)
        .map(|u| Value::Object(page(&u.head)));
    insert(&mut object, "pages", Value::array(others));
    let list = posts.into_iter().map(|(p, _)| Value::Object(p));
    insert(&mut object, "posts", Value::array(list));
    let data = data
        .iter()
        .map(|(k, v)| (KString::from_ref(k), from_json(v)));
    insert(&mut object, "data", Value::Object(data.collect()));
    object
}
