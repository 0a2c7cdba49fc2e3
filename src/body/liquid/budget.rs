//! The limits that make every Liquid body finish in bounded time and
//! memory, and the per-render budget that counts against them ([`Budget`],
//! in the crate's registers):
//!
//! - a range `(a..b)` of more than [`MAX_RANGE`] items is an error before
//!   any of it is made;
//! - all loops of a page, nested ones included, do at most [`MAX_STEPS`]
//!   steps in all: an iteration is one step, and one more for each
//!   `{{ }}` and `{% %}` in the loop's body (its weight, from the scan);
//! - loops and captures write at most [`MAX_WRITTEN`] bytes in all
//!   ([`counted`] writers);
//! - filters read and make at most [`MAX_MADE`] bytes in all ([`Metered`]);
//! - a page's loops run for at most [`MAX_TIME`], checked at each
//!   iteration: what an iteration does that no count above sees (`contains`
//!   on a long value, a comparison of two large arrays) is bounded too.
//!
//! Going past one is an error at the loop's `{% for %}` (its body offset
//! comes from the scan), or, for a filter outside any loop, at the
//! outermost tag it is in.

use super::PageState;
use liquid_core::model::{Value, ValueView};
use liquid_core::parser::FilterArguments;
use liquid_core::{Error, Filter, FilterReflection, ParseFilter, Result, Runtime};
use std::cell::Cell;
use std::io::Write;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The most items a range `(a..b)` may have. Real loops count pages,
/// columns or years (`(1..5)`, `(0..tags.size)`, `(1..paginator.total_pages)`);
/// a million is far past them, and walks in well under a second.
pub(super) const MAX_RANGE: u64 = 1_000_000;

/// The most steps one page's loops may do, nested ones included: an
/// iteration is one step, and one more for each `{{ }}` and `{% %}` in
/// the loop's body, so that the bound is on the work, however much a body
/// holds. A list of a 10,000-post site's posts with 30 tags and outputs
/// each does 310,000; a tag cloud of its tags (each tag's posts) about as
/// many; nested `(1..100000)` loops ten billion. Twenty million leaves
/// room for every real page and takes a few seconds at most.
pub(super) const MAX_STEPS: u64 = 20_000_000;

/// The most bytes one page's loops and captures may write (into the page
/// or into a captured variable). A list of 10,000 posts with a 1 KB
/// excerpt each writes 10 MB.
pub(super) const MAX_WRITTEN: u64 = 64_000_000;

/// The most bytes the filters of one page may read and make in all (what
/// each is given and what it gives back), an array's or an object's items
/// counting one each. A list of 10,000 posts that
/// strips, truncates and escapes each one's 1 KB excerpt makes 30 MB; a
/// value that grows (`assign s = s | append: "…"` in a loop) makes its
/// whole size again at each step, which would take hours or, doubling,
/// all the memory there is.
pub(super) const MAX_MADE: u64 = 200_000_000;

/// The longest one page's loops may run, from its first iteration. The
/// counts above bound what loops repeat, not what one iteration costs:
/// Liquid's `contains` and `==` read their operands whole, so testing a
/// 1 MB value in a loop of a million took 20 s, and the step limit
/// allows millions of such tests on values up to the file size limit:
/// hours.
/// A list of a 10,000-post site's posts runs in milliseconds and twenty
/// million steps in about 2 s (20 s in a debug build, which the tests
/// run), so no real page comes near it. The one limit measured in time (as
/// the highlighter's parse time is): a page this slow could build on a
/// much faster machine.
pub(super) const MAX_TIME: Duration = Duration::from_secs(60);

/// A limit that a page's Liquid went past: where, and what to say.
#[derive(Debug, Clone)]
pub(super) struct Exceeded {
    /// Body offset of the loop's tag; `None` outside any loop (then the
    /// error is placed at the top-level tag that was rendering).
    pub(super) at: Option<usize>,
    pub(super) message: String,
    pub(super) help: String,
}

/// What the loops of one render have used, in the crate's per-render
/// registers.
#[derive(Debug, Default)]
pub(super) struct Budget {
    steps: u64,
    /// When the first loop of the render started its first iteration.
    started: Option<Instant>,
    /// Bytes of the values filters read and made.
    made: u64,
    /// The offset of the innermost loop running.
    running: Option<usize>,
    meter: Rc<Meter>,
    /// The first limit gone past; the render stops with an error.
    pub(super) exceeded: Option<Exceeded>,
}

/// Bytes written through [`Counted`] writers.
#[derive(Debug, Default)]
struct Meter {
    written: Cell<u64>,
    /// Set while one counted writer passes bytes to another, which then
    /// does not count them again.
    forwarding: Cell<bool>,
}

/// A writer that counts what it is given into the render's [`Meter`]
/// once, however many counted writers (nested loops) it passes through.
pub(super) struct Counted<'w> {
    inner: &'w mut dyn Write,
    meter: Rc<Meter>,
}

impl Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let forwarded = self.meter.forwarding.replace(true);
        let result = self.inner.write(buf);
        self.meter.forwarding.set(forwarded);
        if let Ok(n) = result
            && !forwarded
        {
            let written = &self.meter.written;
            written.set(written.get() + n as u64);
        }
        result
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// `writer`, counted into this render's budget.
pub(super) fn counted<'w>(writer: &'w mut dyn Write, runtime: &dyn Runtime) -> Counted<'w> {
    let meter = runtime.registers().get_mut::<Budget>().meter.clone();
    Counted {
        inner: writer,
        meter,
    }
}

/// Stops the render with `message` about the loop at body offset `at`.
pub(super) fn exceed(
    runtime: &dyn Runtime,
    at: Option<usize>,
    message: String,
    help: String,
) -> Error {
    let message = match at {
        Some(at) => {
            let state = runtime.registers().get_mut::<PageState>();
            format!("`{}`: {message}", state.source_of(at))
        }
        None => message,
    };
    let mut budget = runtime.registers().get_mut::<Budget>();
    budget.exceeded.get_or_insert(Exceeded {
        at,
        message: message.clone(),
        help,
    });
    Error::with_msg(message)
}

/// Counts `steps` more of the loop at `at` (its weight before each
/// iteration, none once it is done), and checks what the loops wrote so
/// far and how long they have run.
pub(super) fn spend(runtime: &dyn Runtime, at: usize, steps: u64) -> Result<()> {
    let (steps, written, started) = {
        let mut budget = runtime.registers().get_mut::<Budget>();
        budget.steps += steps;
        let started = *budget.started.get_or_insert_with(Instant::now);
        (budget.steps, budget.meter.written.get(), started)
    };
    if started.elapsed() > MAX_TIME {
        return Err(exceed(
            runtime,
            Some(at),
            format!(
                "the page's loops ran for more than {} seconds",
                MAX_TIME.as_secs()
            ),
            format!(
                "a page's loops may run for at most {} seconds (README, \"Liquid in bodies\"); \
                 a test such as `contains` on a long value inside a long loop is the usual \
                 cause: loop over less, or test less",
                MAX_TIME.as_secs()
            ),
        ));
    }
    if steps > MAX_STEPS {
        return Err(exceed(
            runtime,
            Some(at),
            format!(
                "the page's loops did more than {} steps",
                grouped(MAX_STEPS)
            ),
            format!(
                "a page's loops may do at most {} steps in all, nested loops included: an \
                 iteration is one step, and one more for each {{{{ }}}} and {{% %}} in its \
                 loop's body (README, \"Liquid in bodies\"); loop over less",
                grouped(MAX_STEPS)
            ),
        ));
    }
    if written > MAX_WRITTEN {
        return Err(exceed(
            runtime,
            Some(at),
            format!(
                "the page's loops wrote more than {} bytes",
                grouped(MAX_WRITTEN)
            ),
            format!(
                "a page's loops and captures may write at most {} bytes in all (README, \
                 \"Liquid in bodies\"); write less in the loop",
                grouped(MAX_WRITTEN)
            ),
        ));
    }
    Ok(())
}

/// `n` with its thousands apart: `1,000,000`.
pub(super) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Marks the loop at `at` as running, until [`leave`]; returns the loop
/// it runs in.
pub(super) fn enter(runtime: &dyn Runtime, at: usize) -> Option<usize> {
    runtime.registers().get_mut::<Budget>().running.replace(at)
}

pub(super) fn leave(runtime: &dyn Runtime, outer: Option<usize>) {
    runtime.registers().get_mut::<Budget>().running = outer;
}

/// The size of a value as [`MAX_MADE`] counts it, at least 1.
fn size(value: &dyn ValueView) -> u64 {
    let size = if let Some(scalar) = value.as_scalar() {
        scalar.to_kstr().len()
    } else if let Some(array) = value.as_array() {
        array.size() as usize
    } else if let Some(object) = value.as_object() {
        object.size() as usize
    } else {
        0
    };
    size.max(1) as u64
}

/// A filter whose input and result count in the page's budget
/// ([`MAX_MADE`]): a filter's work follows what it reads and makes.
#[derive(Clone)]
pub(super) struct Metered(pub(super) Box<dyn ParseFilter>);

impl ParseFilter for Metered {
    fn parse(&self, arguments: FilterArguments<'_>) -> Result<Box<dyn Filter>> {
        Ok(Box::new(MeteredFilter(self.0.parse(arguments)?)))
    }

    fn reflection(&self) -> &dyn FilterReflection {
        self.0.reflection()
    }
}

#[derive(Debug)]
struct MeteredFilter(Box<dyn Filter>);

impl std::fmt::Display for MeteredFilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl Filter for MeteredFilter {
    fn evaluate(&self, input: &dyn ValueView, runtime: &dyn Runtime) -> Result<Value> {
        let value = self.0.evaluate(input, runtime)?;
        let size = size(input) + size(&value);
        let (made, running) = {
            let mut budget = runtime.registers().get_mut::<Budget>();
            budget.made += size;
            (budget.made, budget.running)
        };
        if made > MAX_MADE {
            return Err(exceed(
                runtime,
                running,
                format!(
                    "the page's filters read and made more than {} bytes",
                    grouped(MAX_MADE)
                ),
                format!(
                    "a page's Liquid filters may read and make at most {} bytes in all, an \
                     array's items counting one each (README, \"Liquid in bodies\"); a value that \
                     grows in a loop is the usual cause",
                    grouped(MAX_MADE)
                ),
            ));
        }
        Ok(value)
    }
}
