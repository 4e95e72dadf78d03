//! Timestamps as Mastodon writes them: ISO 8601 in UTC with milliseconds (`2019-12-08T03:48:33.901Z`).

use time::OffsetDateTime;
use time::macros::format_description;

fn datetime(unix_millis: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_millis) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `2019-12-08T03:48:33.901Z`.
pub fn iso8601(unix_millis: i64) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    datetime(unix_millis).format(format).unwrap_or_default()
}

/// The day only, at midnight: Mastodon rounds account `created_at` to the day.
pub fn iso8601_date_midnight(unix_millis: i64) -> String {
    let format = format_description!("[year]-[month]-[day]T00:00:00.000Z");
    datetime(unix_millis).format(format).unwrap_or_default()
}

/// `2019-12-08`: the form of `last_status_at`.
pub fn date(unix_millis: i64) -> String {
    let format = format_description!("[year]-[month]-[day]");
    datetime(unix_millis).format(format).unwrap_or_default()
}

/// A day or a moment as clients send one (`2019-12-08`, or RFC 3339 such as
/// `2019-12-08T03:48:33Z`), as milliseconds since the epoch; `None` when it is neither.
pub fn parse_day_or_time(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(moment) = OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
    {
        return i64::try_from(moment.unix_timestamp_nanos() / 1_000_000).ok();
    }
    let day = time::Date::parse(text, format_description!("[year]-[month]-[day]")).ok()?;
    Some(day.midnight().assume_utc().unix_timestamp() * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_moments_are_read() {
        assert_eq!(parse_day_or_time("2019-12-08"), Some(1_575_763_200_000));
        assert_eq!(
            parse_day_or_time("2019-12-08T03:48:33Z"),
            Some(1_575_776_913_000)
        );
        assert_eq!(parse_day_or_time("yesterday"), None);
    }

    #[test]
    fn timestamps_have_mastodon_shape() {
        assert_eq!(iso8601(1_575_776_913_901), "2019-12-08T03:48:33.901Z");
        assert_eq!(
            iso8601_date_midnight(1_575_776_913_901),
            "2019-12-08T00:00:00.000Z"
        );
        assert_eq!(date(1_575_776_913_901), "2019-12-08");
    }
}
