//! Dates as Jekyll writes them.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

/// Splits a Jekyll file stem `YYYY-MM-DD-slug` into its date and slug; a
/// stem without a valid date prefix is all slug.
pub(crate) fn split_file_name(stem: &str) -> (Option<DateTime<FixedOffset>>, &str) {
    if stem.len() > 11
        && stem.as_bytes()[10] == b'-'
        && let Some(date) = stem.get(..10).and_then(parse)
    {
        return (Some(date), &stem[11..]);
    }
    (None, stem)
}

/// Parses the date forms Jekyll accepts: `2019-08-20`,
/// `2016-03-09 10:00:00 -0700`, `2016-03-09 10:00`, ISO 8601 / RFC 3339 with
/// `T`, `Z` or an offset. A date without an offset is taken as UTC, so a
/// build never depends on the machine's time zone.
pub(crate) fn parse(text: &str) -> Option<DateTime<FixedOffset>> {
    let (time, offset) = parse_as_written(text)?;
    let offset = offset.unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    offset.from_local_datetime(&time).single()
}

/// A date as written: its wall-clock time, and its offset when it has one
/// (Jekyll reads a date without one in the site's `timezone`).
pub(crate) fn parse_as_written(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let text = text.trim();
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some((d.naive_local(), Some(*d.offset())));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M:%S%z",
        "%Y-%m-%d %H:%M:%S%:z",
    ] {
        if let Ok(d) = DateTime::parse_from_str(text, format) {
            return Some((d.naive_local(), Some(*d.offset())));
        }
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(text, format) {
            return Some((d, None));
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some((date.and_hms_opt(0, 0, 0)?, None))
}

/// `SOURCE_DATE_EPOCH` (seconds since 1970), when set to a number: the
/// reproducible-builds convention for "the time of this build".
pub(crate) fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse().ok())
}

/// `SOURCE_DATE_EPOCH` when set, else the clock. Only decisions read it
/// (which posts are in the future, the date `folio new` writes): no build
/// output bytes come from it.
pub(crate) fn source_date_or_now() -> i64 {
    source_date_epoch().unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_jekyll_date_forms() {
        let cases = [
            ("2019-08-20", "2019-08-20T00:00:00+00:00"),
            ("2016-03-09 10:00:00 -0700", "2016-03-09T10:00:00-07:00"),
            ("2010-11-18T18:15:13Z", "2010-11-18T18:15:13+00:00"),
            ("2020-05-27T12:30:00+02:00", "2020-05-27T12:30:00+02:00"),
            ("2012-03-15 09:30", "2012-03-15T09:30:00+00:00"),
            ("2012-03-15 09:30:00", "2012-03-15T09:30:00+00:00"),
        ];
        for (text, want) in cases {
            assert_eq!(
                parse(text).map(|d| d.to_rfc3339()).as_deref(),
                Some(want),
                "{text}"
            );
        }
        assert!(parse("yesterday").is_none());
        assert!(parse("2019-13-40").is_none());
    }

    #[test]
    fn splits_file_names() {
        let (d, slug) = split_file_name("2013-05-08-jekyll-1-0-1-released");
        assert_eq!(slug, "jekyll-1-0-1-released");
        assert!(d.is_some());
        assert_eq!(
            split_file_name("email-server-ports-table"),
            (None, "email-server-ports-table")
        );
        assert_eq!(split_file_name("2013-99-08-x").1, "2013-99-08-x");
    }
}
