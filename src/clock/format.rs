//! Times as Vietnamese readers see them, in one place: Vietnam's time zone (UTC+7, no summer
//! time), a stored UTC time as a day (`25/11/2026`) or a day and time (`25/11/2026 14:05`),
//! a moment as the dashboard's clock check writes it (`14:05 ngày 25/11/2026`), how long
//! ago something was (`3 giờ`), the start of a day, and a date and time typed in a form.
//! Stored times are RFC 3339 in UTC; text that is not one is shown as it is.

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Vietnam's time zone: days on pages begin at its midnight.
pub fn vietnam() -> UtcOffset {
    UtcOffset::from_hms(7, 0, 0).expect("a valid offset")
}

/// A stored UTC time (RFC 3339), or `None` for one that is not.
pub fn parse(timestamp: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(timestamp, &Rfc3339).ok()
}

/// A stored UTC time as the day it was in Vietnam, written `25/11/2026`.
pub fn day(timestamp: &str) -> String {
    match parse(timestamp) {
        Some(t) => {
            let t = t.to_offset(vietnam());
            format!("{:02}/{:02}/{}", t.day(), u8::from(t.month()), t.year())
        }
        None => timestamp.to_string(),
    }
}

/// A stored UTC time in Vietnam's time: `25/11/2026 14:05`.
pub fn when(timestamp: &str) -> String {
    match parse(timestamp) {
        Some(t) => {
            let t = t.to_offset(vietnam());
            format!("{} {:02}:{:02}", day(timestamp), t.hour(), t.minute())
        }
        None => timestamp.to_string(),
    }
}

/// A moment in Vietnam's time, the hour first: `14:05 ngày 25/11/2026`.
pub fn moment(t: OffsetDateTime) -> String {
    let t = t.to_offset(vietnam());
    format!(
        "{:02}:{:02} ngày {:02}/{:02}/{}",
        t.hour(),
        t.minute(),
        t.day(),
        u8::from(t.month()),
        t.year()
    )
}

/// How long before `now` a stored time was, roughly, in words: `3 phút`, `3 giờ`, `2 ngày`;
/// `None` for text that is not a time.
pub fn ago(timestamp: &str, now: OffsetDateTime) -> Option<String> {
    let minutes = (now - parse(timestamp)?).whole_minutes().max(0);
    Some(match minutes {
        0..60 => format!("{minutes} phút"),
        60..2880 => format!("{} giờ", minutes / 60),
        _ => format!("{} ngày", minutes / 1440),
    })
}

/// A moment's UTC date as stored days are written: `2026-11-25`.
pub fn date_iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    format!("{}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// A stored day (`2026-11-25`) as a chart's short label, `25/11`; other text as it is.
pub fn day_month(day: &str) -> String {
    match (day.get(5..7), day.get(8..10)) {
        (Some(month), Some(d)) if day.len() == 10 => format!("{d}/{month}"),
        _ => day.to_string(),
    }
}

/// The start of `now`'s day in Vietnam, as stored times are written (RFC 3339, UTC).
pub fn start_of_day(now: OffsetDateTime) -> String {
    now.to_offset(vietnam())
        .replace_time(time::Time::MIDNIGHT)
        .to_offset(UtcOffset::UTC)
        .format(&Rfc3339)
        .expect("a time formats")
}

/// A date and a time of day as a form's date and time fields send them (`2026-11-25`,
/// `14:30`), in Vietnam's time.
pub fn typed(date: &str, time_of_day: &str) -> Option<OffsetDateTime> {
    let date = time::Date::parse(
        date.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .ok()?;
    let time_of_day = time::Time::parse(
        time_of_day.trim(),
        time::macros::format_description!("[hour]:[minute]"),
    )
    .ok()?;
    Some(time::PrimitiveDateTime::new(date, time_of_day).assume_offset(vietnam()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_shown_in_vietnam() {
        // 17:30 UTC is half past midnight the next day in Vietnam.
        let t = "2026-11-24T17:30:00Z";
        assert_eq!(day(t), "25/11/2026");
        assert_eq!(when(t), "25/11/2026 00:30");
        assert_eq!(moment(parse(t).unwrap()), "00:30 ngày 25/11/2026");
        assert_eq!(day("không phải giờ"), "không phải giờ");
        assert_eq!(start_of_day(parse(t).unwrap()), "2026-11-24T17:00:00Z");
        assert_eq!(typed("2026-11-25", "00:30"), parse(t));
        assert_eq!(typed("25/11/2026", "00:30"), None);
        let now = parse("2026-11-26T17:30:00Z").unwrap();
        assert_eq!(ago(t, now).as_deref(), Some("2 ngày"));
        assert_eq!(ago("2026-11-26T15:00:00Z", now).as_deref(), Some("2 giờ"));
        assert_eq!(ago("x", now), None);
    }
}
