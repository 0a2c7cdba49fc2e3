//! Jekyll's own filters, registered on the `liquid` crate beside its
//! standard ones (`slugify`, `sort`, `push`, `pop`, `shift` and `unshift`
//! come from the crate's Jekyll set).

use super::PageState;
use super::language::parse_condition;
use crate::body::markdown;
use liquid_core::model::{DateTime, KString, ValueViewCmp};
use liquid_core::runtime::StackFrame;
use liquid_core::{
    Display_filter, Error, Expression, Filter, FilterParameters, FilterReflection,
    FromFilterParameters, Object, ParseFilter, Renderable, Result, Runtime, Value, ValueView,
};
use std::fmt::Write;

/// A filter without arguments: its parser, its reflection and its
/// evaluation from `(input, runtime)`.
macro_rules! plain_filter {
    ($parser:ident, $filter:ident, $name:literal, $doc:literal, $eval:expr) => {
        #[doc = $doc]
        #[derive(Clone, ParseFilter, FilterReflection)]
        #[filter(name = $name, description = $doc, parsed($filter))]
        pub(super) struct $parser;

        #[derive(Debug, Default, Display_filter)]
        #[name = $name]
        struct $filter;

        impl Filter for $filter {
            fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
                let eval: fn(&dyn ValueView, &dyn Runtime) -> Result<Value> = $eval;
                eval(input, runtime)
            }
        }
    };
}

fn text(value: String) -> Result<Value> {
    Ok(Value::scalar(value))
}

plain_filter!(
    RelativeUrl,
    RelativeUrlFilter,
    "relative_url",
    "A site path with the base URL's path: `/docs/` becomes `/repo/docs/`.",
    |input, runtime| {
        let state = runtime.registers().get_mut::<PageState>();
        text(state.shared().base.url(&input.to_kstr()))
    }
);

plain_filter!(
    AbsoluteUrl,
    AbsoluteUrlFilter,
    "absolute_url",
    "A site path as an absolute URL under the base URL.",
    |input, runtime| {
        let state = runtime.registers().get_mut::<PageState>();
        text(state.shared().base.absolute(&input.to_kstr()))
    }
);

/// The input as a date: a date value, or text in one of the forms Jekyll reads.
fn date(input: &dyn ValueView) -> Result<DateTime> {
    input
        .as_scalar()
        .and_then(|s| s.to_date_time())
        .ok_or_else(|| {
            Error::with_msg("Invalid date").context("input", input.to_kstr().into_string())
        })
}

fn format(date: &DateTime, pattern: &str) -> Result<String> {
    date.format(pattern)
        .map_err(|e| Error::with_msg(format!("Invalid date format: {e}")))
}

plain_filter!(
    DateToXmlschema,
    DateToXmlschemaFilter,
    "date_to_xmlschema",
    "A date in ISO 8601: `2008-11-07T13:07:54-08:00`.",
    |input, _| {
        let d = date(input)?;
        let offset = format(&d, "%z")?;
        let (hours, minutes) = offset.split_at(offset.len().saturating_sub(2));
        text(format!(
            "{}{hours}:{minutes}",
            format(&d, "%Y-%m-%dT%H:%M:%S")?
        ))
    }
);

plain_filter!(
    DateToRfc822,
    DateToRfc822Filter,
    "date_to_rfc822",
    "A date as RFC 822 writes it: `Fri, 07 Nov 2008 13:07:54 -0800`.",
    |input, _| text(format(&date(input)?, "%a, %d %b %Y %H:%M:%S %z")?)
);

#[derive(Debug, FilterParameters)]
struct DateStringArgs {
    #[parameter(description = "`ordinal` for 7th rather than 07.", arg_type = "str")]
    kind: Option<Expression>,
    #[parameter(description = "`US` for Nov 7th, 2008.", arg_type = "str")]
    style: Option<Expression>,
}

/// A date in words, as Jekyll's `stringify_date`: `07 Nov 2008`;
/// `ordinal` gives `7th Nov 2008`, and with `US` `Nov 7th, 2008`.
fn date_string(
    input: &dyn ValueView,
    args: &DateStringArgs,
    runtime: &dyn Runtime,
    month: &str,
) -> Result<Value> {
    let args = args.evaluate(runtime)?;
    let d = date(input)?;
    let ordinal = args.kind.as_deref() == Some("ordinal");
    if !ordinal {
        return text(format(&d, &format!("%d {month} %Y"))?);
    }
    let day = d.day();
    let suffix = match (day % 100, day % 10) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    let pattern = if args.style.as_deref() == Some("US") {
        format!("{month} {day}{suffix}, %Y")
    } else {
        format!("{day}{suffix} {month} %Y")
    };
    text(format(&d, &pattern)?)
}

/// `date_to_string`: `07 Nov 2008`.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "date_to_string",
    description = "A date as `07 Nov 2008`.",
    parameters(DateStringArgs),
    parsed(DateToStringFilter)
)]
pub(super) struct DateToString;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "date_to_string"]
struct DateToStringFilter {
    #[parameters]
    args: DateStringArgs,
}

impl Filter for DateToStringFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        date_string(input, &self.args, runtime, "%b")
    }
}

/// `date_to_long_string`: `07 November 2008`.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "date_to_long_string",
    description = "A date as `07 November 2008`.",
    parameters(DateStringArgs),
    parsed(DateToLongStringFilter)
)]
pub(super) struct DateToLongString;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "date_to_long_string"]
struct DateToLongStringFilter {
    #[parameters]
    args: DateStringArgs,
}

impl Filter for DateToLongStringFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        date_string(input, &self.args, runtime, "%B")
    }
}

plain_filter!(
    Markdownify,
    MarkdownifyFilter,
    "markdownify",
    "Markdown to HTML; links to other pages' sources become their URLs.",
    |input, runtime| {
        let state = runtime.registers().get_mut::<PageState>();
        let rewrite = |dest: &str| state.shared().links.resolve(&state.source, dest);
        let (html, _) = markdown::render_fragment(&input.to_kstr(), &rewrite);
        text(html)
    }
);

plain_filter!(
    Jsonify,
    JsonifyFilter,
    "jsonify",
    "Any value as JSON.",
    |input, _| {
        let json = serde_json::to_string(&input.to_value())
            .map_err(|e| Error::with_msg(format!("not JSON: {e}")))?;
        text(json)
    }
);

plain_filter!(
    XmlEscape,
    XmlEscapeFilter,
    "xml_escape",
    "Text escaped for XML and HTML (`&`, `<`, `>`, `\"`, `'`).",
    |input, _| {
        let mut out = String::new();
        for c in input.to_kstr().chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '"' => out.push_str("&quot;"),
                '\'' => out.push_str("&#39;"),
                c => out.push(c),
            }
        }
        text(out)
    }
);

/// Percent-encodes every byte of `input` that `keep` does not keep.
fn percent_encode(input: &str, keep: impl Fn(char) -> bool, space: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c == ' ' {
            out.push_str(space);
        } else if keep(c) {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

plain_filter!(
    CgiEscape,
    CgiEscapeFilter,
    "cgi_escape",
    "Text for a URL's query, as Ruby's `CGI.escape`: `a b&c` becomes `a+b%26c`.",
    |input, _| {
        let keep = |c: char| c.is_ascii_alphanumeric() || "_.-~".contains(c);
        text(percent_encode(&input.to_kstr(), keep, "+"))
    }
);

plain_filter!(
    UriEscape,
    UriEscapeFilter,
    "uri_escape",
    "A URL with what may not stand in one encoded; its reserved characters kept.",
    |input, _| {
        let keep = |c: char| c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/?#[]%".contains(c);
        text(percent_encode(&input.to_kstr(), keep, "%20"))
    }
);

plain_filter!(
    NumberOfWords,
    NumberOfWordsFilter,
    "number_of_words",
    "How many words the text has.",
    |input, _| {
        let count = input.to_kstr().split_whitespace().count();
        Ok(Value::scalar(i64::try_from(count).unwrap_or(i64::MAX)))
    }
);

plain_filter!(
    NormalizeWhitespace,
    NormalizeWhitespaceFilter,
    "normalize_whitespace",
    "Every run of white space as one space.",
    |input, _| text(
        input
            .to_kstr()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    )
);

#[derive(Debug, FilterParameters)]
struct ConnectorArgs {
    #[parameter(
        description = "The word before the last item (`and`).",
        arg_type = "str"
    )]
    connector: Option<Expression>,
}

/// `array_to_sentence_string`: `a, b, and c`; `a and b` for two.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "array_to_sentence_string",
    description = "A list as a sentence: `a, b, and c`.",
    parameters(ConnectorArgs),
    parsed(ArrayToSentenceFilter)
)]
pub(super) struct ArrayToSentence;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "array_to_sentence_string"]
struct ArrayToSentenceFilter {
    #[parameters]
    args: ConnectorArgs,
}

impl Filter for ArrayToSentenceFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let connector = args.connector.as_deref().unwrap_or("and");
        let items: Vec<String> = match input.as_array() {
            Some(list) => list.values().map(|v| v.render().to_string()).collect(),
            None => vec![input.render().to_string()],
        };
        text(match items.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [a, b] => format!("{a} {connector} {b}"),
            [rest @ .., last] => format!("{}, {connector} {last}", rest.join(", ")),
        })
    }
}

/// The items of a list (a map's values, as Jekyll iterates a hash).
fn items(input: &dyn ValueView) -> Vec<Value> {
    if let Some(list) = input.as_array() {
        list.values().map(|v| v.to_value()).collect()
    } else if let Some(object) = input.as_object() {
        object.values().map(|v| v.to_value()).collect()
    } else {
        Vec::new()
    }
}

/// `item[property]`, or nil.
fn property(item: &Value, name: &str) -> Value {
    item.as_object()
        .and_then(|o| o.get(name))
        .map_or(Value::Nil, |v| v.to_value())
}

#[derive(Debug, FilterParameters)]
struct WhereArgs {
    #[parameter(description = "The property to compare.", arg_type = "str")]
    property: Expression,
    #[parameter(description = "The value it must have.", arg_type = "any")]
    value: Expression,
}

/// `where: "prop", "value"`: the items whose property, as text, is the
/// value, or, when it is a list, holds it (Jekyll's rule).
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "where",
    description = "The items whose property is the value.",
    parameters(WhereArgs),
    parsed(WhereFilter)
)]
pub(super) struct Where;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "where"]
struct WhereFilter {
    #[parameters]
    args: WhereArgs,
}

impl Filter for WhereFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let wanted = args.value.to_kstr().into_string();
        let matches = |v: &Value| match v.as_array() {
            Some(list) => list.values().any(|x| x.to_kstr() == wanted.as_str()),
            None => v.to_kstr() == wanted.as_str(),
        };
        let kept = items(input)
            .into_iter()
            .filter(|item| matches(&property(item, &args.property)));
        Ok(Value::array(kept))
    }
}

#[derive(Debug, FilterParameters)]
struct WhereExpArgs {
    #[parameter(description = "The name each item gets.", arg_type = "str")]
    variable: Expression,
    #[parameter(description = "The condition, as in `if`.", arg_type = "str")]
    condition: Expression,
}

/// `where_exp: "item", "item.year > 2014"`: the items for which the
/// condition holds.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "where_exp",
    description = "The items for which a condition holds.",
    parameters(WhereExpArgs),
    parsed(WhereExpFilter)
)]
pub(super) struct WhereExp;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "where_exp"]
struct WhereExpFilter {
    #[parameters]
    args: WhereExpArgs,
}

impl Filter for WhereExpFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let condition = parse_condition(&args.condition)?;
        let mut kept = Vec::new();
        for item in items(input) {
            let mut scope = Object::new();
            scope.insert(KString::from_ref(&args.variable), item.clone());
            let frame = StackFrame::new(runtime, &scope);
            let mut out = Vec::new();
            condition.render_to(&mut out, &frame)?;
            if !out.is_empty() {
                kept.push(item);
            }
        }
        Ok(Value::array(kept))
    }
}

#[derive(Debug, FilterParameters)]
struct GroupByArgs {
    #[parameter(description = "The property to group by.", arg_type = "str")]
    property: Expression,
}

/// `group_by: "prop"`: `[{name, items, size}]`, groups in the order their
/// first item comes.
#[derive(Clone, ParseFilter, FilterReflection)]
#[filter(
    name = "group_by",
    description = "Items grouped by a property.",
    parameters(GroupByArgs),
    parsed(GroupByFilter)
)]
pub(super) struct GroupBy;

#[derive(Debug, FromFilterParameters, Display_filter)]
#[name = "group_by"]
struct GroupByFilter {
    #[parameters]
    args: GroupByArgs,
}

impl Filter for GroupByFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let args = self.args.evaluate(runtime)?;
        let mut groups: Vec<(Value, Vec<Value>)> = Vec::new();
        for item in items(input) {
            let key = property(&item, &args.property);
            match groups
                .iter_mut()
                .find(|(k, _)| ValueViewCmp::new(k) == ValueViewCmp::new(&key))
            {
                Some((_, list)) => list.push(item),
                None => groups.push((key, vec![item])),
            }
        }
        let groups = groups.into_iter().map(|(name, list)| {
            let mut group = Object::new();
            let name = match name {
                Value::Nil => Value::scalar(""),
                other => Value::scalar(other.render().to_string()),
            };
            group.insert("name".into(), name);
            group.insert("size".into(), Value::scalar(list.len() as i64));
            group.insert("items".into(), Value::Array(list));
            Value::Object(group)
        });
        Ok(Value::array(groups))
    }
}
