//! `for`, `tablerow` and `capture`, within the limits of
//! [`budget`](super::budget).
//!
//! The crate's own `for` and `tablerow` build the whole range as a list
//! before the first iteration (`(1..1000000000)` took 10 GB), and nothing
//! bounds the work of nested loops or what they write. These blocks parse
//! as the crate's do (`limit`, `offset`, `reversed`, `else`, `forloop.*`
//! with `parentloop`, `break`, `continue`; `tablerow`'s `cols` and
//! `tablerow.*`), take a range's items one at a time instead of building
//! a list, and spend each iteration's steps and what they write from the
//! page's budget. `capture` counts what it writes too, so that a loop that
//! grows a captured variable is stopped as one that writes.

use super::budget::{MAX_RANGE, counted, enter, exceed, grouped, leave, spend};
use super::scan::{OFFSET_PARAM, WEIGHT_PARAM};
use liquid_core::error::ResultLiquidExt;
use liquid_core::model::{ArrayView, KString, ObjectView as _, Scalar, Value, ValueCow, ValueView};
use liquid_core::parser::{BlockElement, TryMatchToken};
use liquid_core::runtime::{Interrupt, InterruptRegister, StackFrame};
use liquid_core::{
    BlockReflection, Error, Expression, Language, ParseBlock, Renderable, Result, Runtime,
    TagBlock, TagTokenIter, Template,
};
use liquid_lib::stdlib::{Range, RangeExpression};
use std::collections::HashMap;
use std::io::Write;

/// What a loop goes over: its range or array, `limit`, `offset`, and the
/// tag's body offset.
#[derive(Debug)]
struct Head {
    var: KString,
    range: RangeExpression,
    limit: Option<Expression>,
    offset: Option<Expression>,
    cols: Option<Expression>,
    reversed: bool,
    at: usize,
    /// Steps an iteration costs.
    weight: u64,
}

/// Reads `VAR in RANGE [params…]`; `params` are the words the tag takes
/// besides `limit` and `offset` (`reversed`, `cols`).
fn parse_head(arguments: &mut TagTokenIter<'_>, tag: &str) -> Result<Head> {
    let var = arguments
        .expect_next("Identifier expected.")?
        .expect_identifier()
        .into_result()?;
    arguments
        .expect_next("\"in\" expected.")?
        .expect_str("in")
        .into_result_custom_msg("\"in\" expected.")?;
    let range = match arguments
        .expect_next("Array or range expected.")?
        .expect_value()
    {
        TryMatchToken::Matches(array) => RangeExpression::Array(array),
        TryMatchToken::Fails(token) => match token.expect_range() {
            TryMatchToken::Matches((start, stop)) => RangeExpression::Counted(start, stop),
            TryMatchToken::Fails(token) => return token.raise_error().into_err(),
        },
    };
    let mut head = Head {
        var: KString::from_ref(var),
        range,
        limit: None,
        offset: None,
        cols: None,
        reversed: false,
        at: 0,
        weight: 1,
    };
    while let Some(token) = arguments.next() {
        match (tag, token.as_str()) {
            (_, "limit") => head.limit = Some(parse_attr(arguments)?),
            (_, "offset") => head.offset = Some(parse_attr(arguments)?),
            ("for", "reversed") => head.reversed = true,
            ("tablerow", "cols") => head.cols = Some(parse_attr(arguments)?),
            (_, OFFSET_PARAM) => head.at = hidden(arguments)?.unwrap_or(0),
            (_, WEIGHT_PARAM) => head.weight = hidden(arguments)?.unwrap_or(1) as u64,
            _ => {
                let expected = match tag {
                    "for" => "\"limit\", \"offset\" or \"reversed\" expected.",
                    _ => "\"cols\", \"limit\" or \"offset\" expected.",
                };
                return token.raise_custom_error(expected).into_err();
            }
        }
    }
    arguments.expect_nothing()?;
    Ok(head)
}

/// The number a hidden parameter of the scan carries.
fn hidden(arguments: &mut TagTokenIter<'_>) -> Result<Option<usize>> {
    let value = parse_attr(arguments)?
        .into_literal()
        .and_then(|v| v.as_scalar()?.to_integer());
    Ok(value.and_then(|v| usize::try_from(v).ok()))
}

/// `: VALUE` after a parameter's name.
fn parse_attr(arguments: &mut TagTokenIter<'_>) -> Result<Expression> {
    arguments
        .expect_next("\":\" expected.")?
        .expect_str(":")
        .into_result_custom_msg("\":\" expected.")?;
    arguments
        .expect_next("Value expected.")?
        .expect_value()
        .into_result()
}

/// A whole number parameter (`limit: 3`); a negative one is 0.
fn whole_number(attr: Option<&Expression>, runtime: &dyn Runtime) -> Result<Option<u64>> {
    let Some(attr) = attr else {
        return Ok(None);
    };
    let value = attr.evaluate(runtime)?;
    let number = value
        .as_scalar()
        .and_then(|s| s.to_integer())
        .ok_or_else(|| {
            Error::with_msg(format!(
                "Expected whole number, found `{}`",
                value.type_name()
            ))
        })?;
    Ok(Some(u64::try_from(number).unwrap_or(0)))
}

/// The items a loop walks, made one at a time.
enum Items<'r> {
    /// `(first..)`: the number `first + i`.
    Counted(i64),
    Array(&'r dyn ArrayView),
    /// An object's `[key, value]` pairs.
    Pairs(Vec<Value>),
}

/// A loop's items after `offset` and `limit`, in the order it walks them.
struct Selection<'r> {
    items: Items<'r>,
    offset: u64,
    len: u64,
    reversed: bool,
}

impl Selection<'_> {
    /// The `i`th item walked.
    fn get(&self, i: u64) -> ValueCow<'_> {
        let i = if self.reversed { self.len - 1 - i } else { i };
        let index = self.offset + i;
        match &self.items {
            Items::Counted(first) => {
                ValueCow::Owned(Value::scalar(first.saturating_add(index as i64)))
            }
            Items::Array(array) => array
                .get(index as i64)
                .map_or(ValueCow::Owned(Value::Nil), ValueCow::Borrowed),
            Items::Pairs(pairs) => ValueCow::Borrowed(&pairs[index as usize]),
        }
    }
}

impl Head {
    /// What the loop walks: a range no larger than [`MAX_RANGE`], checked
    /// before any item is made.
    fn select<'r>(&'r self, runtime: &'r dyn Runtime, tag: &str) -> Result<(Range<'r>, u64)> {
        let range = self.range.evaluate(runtime)?;
        let total = match &range {
            Range::Counted(start, stop) => {
                let count = (i128::from(*stop) - i128::from(*start) + 1).max(0);
                let count = u64::try_from(count).unwrap_or(u64::MAX);
                if count > MAX_RANGE {
                    return Err(exceed(
                        runtime,
                        Some(self.at),
                        format!(
                            "its range has {} items, more than the {} a loop may walk",
                            grouped(count),
                            grouped(MAX_RANGE)
                        ),
                        format!(
                            "a `{tag}` range may have at most {} items (README, \
                             \"Liquid in bodies\"); loop over a smaller range",
                            grouped(MAX_RANGE)
                        ),
                    ));
                }
                count
            }
            Range::Array(value) => value
                .as_array()
                .map(|a| a.size() as u64)
                .or_else(|| value.as_object().map(|o| o.size() as u64))
                .unwrap_or(0),
        };
        Ok((range, total))
    }
}

/// The items of `range`, `total` of them, after `offset` and `limit`.
fn selection<'r>(
    range: &'r Range<'r>,
    total: u64,
    head: &Head,
    runtime: &dyn Runtime,
) -> Result<Selection<'r>> {
    let items = match range {
        Range::Counted(start, _) => Items::Counted(*start),
        Range::Array(value) => {
            if let Some(array) = value.as_array() {
                Items::Array(array)
            } else if let Some(object) = value.as_object() {
                Items::Pairs(
                    object
                        .iter()
                        .map(|(k, v)| {
                            Value::Array(vec![Value::scalar(k.into_owned()), v.to_value()])
                        })
                        .collect(),
                )
            } else if value.is_state() || value.is_nil() {
                Items::Array(&EMPTY)
            } else {
                return Err(Error::with_msg(format!(
                    "Expected array, found `{}`",
                    value.type_name()
                )));
            }
        }
    };
    let offset = whole_number(head.offset.as_ref(), runtime)?
        .unwrap_or(0)
        .min(total);
    let rest = total - offset;
    let len = whole_number(head.limit.as_ref(), runtime)?.map_or(rest, |l| l.min(rest));
    Ok(Selection {
        items,
        offset,
        len,
        reversed: head.reversed,
    })
}

static EMPTY: Vec<Value> = Vec::new();

impl Head {
    /// Runs `each` on every item of `items` (its index, the item, the
    /// writer; `false` ends the loop): each iteration paid for in the
    /// budget, everything written counted, and the loop named as the one
    /// running in the errors the budget raises meanwhile.
    fn walk(
        &self,
        items: &Selection,
        writer: &mut dyn Write,
        runtime: &dyn Runtime,
        mut each: impl FnMut(u64, &dyn ValueView, &mut dyn Write) -> Result<bool>,
    ) -> Result<()> {
        let mut writer = counted(writer, runtime);
        let outer = enter(runtime, self.at);
        for i in 0..items.len {
            spend(runtime, self.at, self.weight)?;
            if !each(i, items.get(i).as_view(), &mut writer)? {
                break;
            }
        }
        leave(runtime, outer);
        spend(runtime, self.at, 0)
    }
}

/// What one iteration sees: the loop's variable and its object
/// (`forloop`, `tablerow`), over the variables outside.
struct Scope<'s> {
    var: (&'s KString, &'s dyn ValueView),
    object: (&'static str, &'s dyn ValueView),
    /// 0-based, for the error trace.
    index: u64,
    trace: &'s dyn Fn() -> String,
}

impl Scope<'_> {
    /// Renders `body` once in this scope.
    fn render(&self, body: &Template, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let mut root = HashMap::<liquid_core::model::KStringRef<'_>, &dyn ValueView>::new();
        root.insert(self.object.0.into(), self.object.1);
        root.insert(self.var.0.as_ref(), self.var.1);
        let frame = StackFrame::new(runtime, &root);
        body.render_to(writer, &frame)
            .trace_with(|| (self.trace)().into())
            .context_key("index")
            .value_with(|| format!("{}", self.index + 1).into())
    }
}

/// `{% for %}` with limits.
#[derive(Copy, Clone, Debug)]
pub(super) struct ForBlock;

impl BlockReflection for ForBlock {
    fn start_tag(&self) -> &str {
        "for"
    }

    fn end_tag(&self) -> &str {
        "endfor"
    }

    fn description(&self) -> &str {
        "a loop over a range or an array"
    }
}

impl ParseBlock for ForBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let head = parse_head(&mut arguments, "for")?;
        let mut body = Vec::new();
        let mut otherwise = None;
        while let Some(element) = tokens.next()? {
            match element {
                BlockElement::Tag(mut tag) if tag.name() == "else" => {
                    tag.tokens().expect_nothing()?;
                    otherwise = Some(Template::new(tokens.parse_all(options)?));
                    break;
                }
                BlockElement::Tag(tag) => body.push(tag.parse(&mut tokens, options)?),
                element => body.push(element.parse(&mut tokens, options)?),
            }
        }
        tokens.assert_empty();
        Ok(Box::new(For {
            head,
            body: Template::new(body),
            otherwise,
        }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct For {
    head: Head,
    body: Template,
    otherwise: Option<Template>,
}

/// `forloop`, as Liquid names its fields.
#[derive(Debug, Clone, liquid_core::ValueView, liquid_core::ObjectView)]
struct Forloop<'p> {
    length: i64,
    parentloop: Option<&'p dyn ValueView>,
    index0: i64,
    index: i64,
    rindex0: i64,
    rindex: i64,
    first: bool,
    last: bool,
}

impl Renderable for For {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let trace = || format!("{{% for {} in {} %}}", self.head.var, self.head.range);
        let (range, total) = self
            .head
            .select(runtime, "for")
            .trace_with(|| trace().into())?;
        let items = selection(&range, total, &self.head, runtime)?;
        if items.len == 0 {
            if let Some(otherwise) = &self.otherwise {
                otherwise.render_to(writer, runtime)?;
            }
            return Ok(());
        }
        let parent = runtime.try_get(&[Scalar::new("forloop")]);
        let len = items.len as i64;
        self.head.walk(&items, writer, runtime, |i, item, writer| {
            let index0 = i as i64;
            let forloop = Forloop {
                length: len,
                parentloop: parent.as_ref().map(|p| p.as_view()),
                index0,
                index: index0 + 1,
                rindex0: len - index0 - 1,
                rindex: len - index0,
                first: index0 == 0,
                last: index0 == len - 1,
            };
            let scope = Scope {
                var: (&self.head.var, item),
                object: ("forloop", &forloop),
                index: i,
                trace: &trace,
            };
            scope.render(&self.body, writer, runtime)?;
            let interrupt = runtime.registers().get_mut::<InterruptRegister>().reset();
            Ok(!matches!(interrupt, Some(Interrupt::Break)))
        })
    }
}

/// `{% tablerow %}` with limits.
#[derive(Copy, Clone, Debug)]
pub(super) struct TableRowBlock;

impl BlockReflection for TableRowBlock {
    fn start_tag(&self) -> &str {
        "tablerow"
    }

    fn end_tag(&self) -> &str {
        "endtablerow"
    }

    fn description(&self) -> &str {
        "table rows and cells over a range or an array"
    }
}

impl ParseBlock for TableRowBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let head = parse_head(&mut arguments, "tablerow")?;
        let body = Template::new(tokens.parse_all(options)?);
        tokens.assert_empty();
        Ok(Box::new(TableRow { head, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct TableRow {
    head: Head,
    body: Template,
}

/// `tablerow`, as Liquid names its fields.
#[derive(Debug, Clone, liquid_core::ValueView, liquid_core::ObjectView)]
struct TableRowObject {
    length: i64,
    index0: i64,
    index: i64,
    rindex0: i64,
    rindex: i64,
    first: bool,
    last: bool,
    col0: i64,
    col: i64,
    col_first: bool,
    col_last: bool,
}

impl Renderable for TableRow {
    fn render_to(&self, writer: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let trace = || format!("{{% tablerow {} in {} %}}", self.head.var, self.head.range);
        let (range, total) = self
            .head
            .select(runtime, "tablerow")
            .trace_with(|| trace().into())?;
        let items = selection(&range, total, &self.head, runtime)?;
        let len = items.len as i64;
        // No `cols` (or 0): one row.
        let cols = match whole_number(self.head.cols.as_ref(), runtime)? {
            Some(cols) if cols > 0 => i64::try_from(cols).unwrap_or(i64::MAX),
            _ => len.max(1),
        };
        let failed = |_: std::io::Error| Error::with_msg("Failed to render");
        self.head.walk(&items, writer, runtime, |i, item, writer| {
            let index0 = i as i64;
            let (row, col0) = (index0 / cols, index0 % cols);
            let last = index0 == len - 1;
            let tablerow = TableRowObject {
                length: len,
                index0,
                index: index0 + 1,
                rindex0: len - index0 - 1,
                rindex: len - index0,
                first: index0 == 0,
                last,
                col0,
                col: col0 + 1,
                col_first: col0 == 0,
                col_last: col0 == cols - 1 || last,
            };
            if tablerow.col_first {
                write!(writer, "<tr class=\"row{}\">", row + 1).map_err(failed)?;
            }
            write!(writer, "<td class=\"col{}\">", col0 + 1).map_err(failed)?;
            let scope = Scope {
                var: (&self.head.var, item),
                object: ("tablerow", &tablerow),
                index: i,
                trace: &trace,
            };
            scope.render(&self.body, writer, runtime)?;
            write!(writer, "</td>").map_err(failed)?;
            if tablerow.col_last {
                write!(writer, "</tr>").map_err(failed)?;
            }
            Ok(true)
        })
    }
}

/// `{% capture %}` whose writing counts in the budget, so that a loop
/// that grows a captured variable is stopped as one that writes.
#[derive(Copy, Clone, Debug)]
pub(super) struct CaptureBlock;

impl BlockReflection for CaptureBlock {
    fn start_tag(&self) -> &str {
        "capture"
    }

    fn end_tag(&self) -> &str {
        "endcapture"
    }

    fn description(&self) -> &str {
        "renders its content into a variable"
    }
}

impl ParseBlock for CaptureBlock {
    fn parse(
        &self,
        mut arguments: TagTokenIter<'_>,
        mut tokens: TagBlock<'_, '_>,
        options: &Language,
    ) -> Result<Box<dyn Renderable>> {
        let name: KString = arguments
            .expect_next("Identifier expected")?
            .expect_identifier()
            .into_result()?
            .to_owned()
            .into();
        arguments.expect_nothing()?;
        let body = Template::new(
            tokens
                .parse_all(options)
                .trace_with(|| format!("{{% capture {name} %}}").into())?,
        );
        tokens.assert_empty();
        Ok(Box::new(Capture { name, body }))
    }

    fn reflection(&self) -> &dyn BlockReflection {
        self
    }
}

#[derive(Debug)]
struct Capture {
    name: KString,
    body: Template,
}

impl Renderable for Capture {
    fn render_to(&self, _: &mut dyn Write, runtime: &dyn Runtime) -> Result<()> {
        let mut captured = Vec::new();
        self.body
            .render_to(&mut counted(&mut captured, runtime), runtime)
            .trace_with(|| format!("{{% capture {} %}}", self.name).into())?;
        let text = String::from_utf8(captured)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        runtime.set_global(self.name.clone(), Value::scalar(text));
        Ok(())
    }
}
