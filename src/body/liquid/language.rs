//! What the parser knows: the crate's standard tags, blocks and filters,
//! its Jekyll filters, and folio's own (Jekyll's tags, bounded loops,
//! metered filters); and how the scan asks about a name ([`scan::Known`]).

use super::{budget, filters, loops, scan, tags};
use liquid_core::Language;
use liquid_core::runtime::Template;
use liquid_lib::{jekyll, stdlib};
use std::sync::LazyLock;

/// The parser: the crate's standard tags and filters, its Jekyll filters,
/// and folio's Jekyll tags and filters. Built once per process.
pub(super) static LANGUAGE: LazyLock<Language> = LazyLock::new(|| {
    let mut lang = Language::default();
    let tags: Vec<Box<dyn liquid_core::ParseTag>> = vec![
        stdlib::AssignTag.into(),
        stdlib::BreakTag.into(),
        stdlib::ContinueTag.into(),
        stdlib::CycleTag.into(),
        stdlib::IncrementTag.into(),
        stdlib::DecrementTag.into(),
        tags::LinkTag(tags::LinkKind::PostUrl).into(),
        tags::LinkTag(tags::LinkKind::Link).into(),
        tags::IncludeTag.into(),
    ];
    for tag in tags {
        lang.tags.register(tag.reflection().tag().to_string(), tag);
    }
    let blocks: Vec<Box<dyn liquid_core::ParseBlock>> = vec![
        stdlib::RawBlock.into(),
        stdlib::IfBlock.into(),
        stdlib::UnlessBlock.into(),
        stdlib::IfChangedBlock.into(),
        loops::ForBlock.into(),
        loops::TableRowBlock.into(),
        stdlib::CommentBlock.into(),
        loops::CaptureBlock.into(),
        stdlib::CaseBlock.into(),
        tags::HighlightBlock.into(),
    ];
    for block in blocks {
        let name = block.reflection().start_tag().to_string();
        lang.blocks.register(name, block);
    }
    for filter in standard_filters().into_iter().chain(jekyll_filters()) {
        let name = filter.reflection().name().to_string();
        lang.filters
            .register(name, Box::new(budget::Metered(filter)));
    }
    lang
});

type Filters = Vec<Box<dyn liquid_core::ParseFilter>>;

fn standard_filters() -> Filters {
    use stdlib::*;
    vec![
        Abs.into(),
        Append.into(),
        AtLeast.into(),
        AtMost.into(),
        Capitalize.into(),
        Ceil.into(),
        Compact.into(),
        Concat.into(),
        Date.into(),
        Default.into(),
        DividedBy.into(),
        Downcase.into(),
        Escape.into(),
        EscapeOnce.into(),
        First.into(),
        Floor.into(),
        Join.into(),
        Last.into(),
        Lstrip.into(),
        Map.into(),
        Minus.into(),
        Modulo.into(),
        NewlineToBr.into(),
        Plus.into(),
        Prepend.into(),
        Remove.into(),
        RemoveFirst.into(),
        Replace.into(),
        ReplaceFirst.into(),
        Reverse.into(),
        Round.into(),
        Rstrip.into(),
        Size.into(),
        Slice.into(),
        SortNatural.into(),
        Split.into(),
        Strip.into(),
        StripHtml.into(),
        StripNewlines.into(),
        Times.into(),
        Truncate.into(),
        TruncateWords.into(),
        Uniq.into(),
        Upcase.into(),
        UrlDecode.into(),
        UrlEncode.into(),
    ]
}

/// Jekyll's filters: the crate's Jekyll set and folio's ([`filters`]);
/// Jekyll's `sort` and `where` replace the standard ones.
fn jekyll_filters() -> Filters {
    use filters::*;
    vec![
        jekyll::Slugify.into(),
        jekyll::Sort.into(),
        jekyll::Push.into(),
        jekyll::Pop.into(),
        jekyll::Shift.into(),
        jekyll::Unshift.into(),
        RelativeUrl.into(),
        AbsoluteUrl.into(),
        DateToXmlschema.into(),
        DateToRfc822.into(),
        DateToString.into(),
        DateToLongString.into(),
        Markdownify.into(),
        Jsonify.into(),
        XmlEscape.into(),
        CgiEscape.into(),
        UriEscape.into(),
        NumberOfWords.into(),
        NormalizeWhitespace.into(),
        ArrayToSentence.into(),
        Where.into(),
        WhereExp.into(),
        GroupBy.into(),
    ]
}

impl scan::Known for Language {
    fn tag(&self, name: &str) -> scan::TagKind {
        let block = |name: &str| self.blocks.get(name).is_some();
        if block(name) {
            scan::TagKind::Opens
        } else if name.strip_prefix("end").is_some_and(block) {
            scan::TagKind::Closes
        } else if self.tags.get(name).is_some() || matches!(name, "else" | "elsif" | "when") {
            scan::TagKind::Single
        } else {
            scan::TagKind::Unknown
        }
    }

    fn filter(&self, name: &str) -> bool {
        self.filters.get(name).is_some()
    }
}

/// A condition as `if` reads it, rendering as non-empty when it holds
/// (for `where_exp`).
pub(super) fn parse_condition(condition: &str) -> liquid_core::Result<Template> {
    let text = format!("{{% if {condition} %}}1{{% endif %}}");
    liquid_core::parser::parse(&text, &LANGUAGE).map(Template::new)
}
