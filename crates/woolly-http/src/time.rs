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

#[cfg(test)]
mod tests {
    use super::*;

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
