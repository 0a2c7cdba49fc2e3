//! Dates as Jekyll writes them.

use chrono::{DateTime, FixedOffset, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone};

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
/// `T`, `Z` or an offset. A date without an offset is taken as UTC here, so
/// a build never depends on the machine's time zone; a site's `timezone`
/// moves it afterwards ([`in_zone`]).
pub(crate) fn parse(text: &str) -> Option<DateTime<FixedOffset>> {
    parse_with_offset(text).map(|(date, _)| date)
}

/// [`parse`], and whether the date was written with its offset.
pub(crate) fn parse_with_offset(text: &str) -> Option<(DateTime<FixedOffset>, bool)> {
    let (time, offset) = parse_as_written(text)?;
    let written = offset.is_some();
    let offset = offset.unwrap_or(FixedOffset::east_opt(0).expect("zero offset"));
    Some((offset.from_local_datetime(&time).single()?, written))
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

/// `date`'s wall-clock time read in `tz` instead of its own offset: what a
/// date written without an offset means on a site with a `timezone`, as
/// Jekyll reads it. A time the zone skips (a spring-forward gap) is read
/// with the offset in force just before it, so it lands after the gap; a
/// time the zone has twice (the autumn fold) is the first of the two.
pub(crate) fn in_zone(date: DateTime<FixedOffset>, tz: chrono_tz::Tz) -> DateTime<FixedOffset> {
    let local = date.naive_local();
    match tz.from_local_datetime(&local) {
        LocalResult::Single(d) | LocalResult::Ambiguous(d, _) => d.fixed_offset(),
        LocalResult::None => {
            let before = tz.offset_from_utc_datetime(&(local - chrono::Duration::days(1)));
            let offset = before.fix();
            offset
                .from_local_datetime(&local)
                .single()
                .map_or(date, |d| d.with_timezone(&tz).fixed_offset())
        }
    }
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

    #[test]
    fn a_wall_clock_time_is_read_in_a_zone() {
        let new_york: chrono_tz::Tz = "America/New_York".parse().unwrap();
        // Standard time, daylight time, the hour the clocks skip (2:30 on
        // 10 March 2024 does not exist there: it is read as 3:30 daylight
        // time) and the hour they repeat (1:30 on 3 November 2024: the
        // first, daylight one).
        for (written, want) in [
            ("2024-01-15 10:00:00", "2024-01-15T10:00:00-05:00"),
            ("2024-07-15 10:00:00", "2024-07-15T10:00:00-04:00"),
            ("2024-03-10 02:30:00", "2024-03-10T03:30:00-04:00"),
            ("2024-11-03 01:30:00", "2024-11-03T01:30:00-04:00"),
        ] {
            let date = parse(written).unwrap();
            assert_eq!(in_zone(date, new_york).to_rfc3339(), want, "{written}");
        }
    }
}
