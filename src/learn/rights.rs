//! The learner's data rights as rules: the version of the notice a learner is shown (new
//! words, a new version; each consent recorded names the one it answered), and how long the
//! box keeps the names of learners it no longer sees (`Retention`): those not heard of for
//! that many months are erased as if they had asked, their learning counted on nameless.
//! The box does it as it starts and then every few hours (`keep_erasing_unseen`), unless a
//! facilitator moved the clock far forward since (records dated by the old clock would look
//! old): then it waits until a facilitator has seen what it would do and says go on. The
//! words are in `i18n/`, the records in `store`.

use std::time::Duration;

use time::{Date, OffsetDateTime};

use crate::store::{self, Consent, Store};

/// The version of the notice shown at joining, recorded with each consent. Changing what the
/// notice says (in any language) means a new version.
pub const NOTICE_VERSION: i64 = 1;

/// Who asked for a consent or an erasure, as its event says.
pub const BY_LEARNER: &str = "learner";
pub const BY_FACILITATOR: &str = "facilitator";

/// The settings: the months a learner not seen is kept (`0`: for ever), and the pause.
pub const RETENTION_MONTHS: &str = "retention_months";
pub const RETENTION_PAUSED: &str = "retention_paused";

/// Kept this long unless a facilitator chooses otherwise: a course runs over a season or a
/// school year, so a villager back after a year away still finds their name and
/// certificates; two years without a visit means they have moved on, and the law asks that
/// names be kept no longer than they serve. Their learning stays counted, nameless.
pub const DEFAULT_MONTHS: u32 = 24;
/// The longest a facilitator may choose: ten years.
pub const MAX_MONTHS: u32 = 120;
/// A clock moved forward by more than this pauses retention.
const CLOCK_JUMP: i64 = 30 * 24 * 60 * 60;
/// How often the box looks for learners to erase, after the look at start.
const EVERY: Duration = Duration::from_secs(6 * 60 * 60);

/// What the learner consented to now, under the current notice.
pub fn consent(optional: bool, by: &'static str) -> Consent {
    Consent {
        notice: NOTICE_VERSION,
        optional,
        by,
    }
}

/// The months kept, from the setting as stored: the default when unset or unreadable,
/// `None` when a facilitator turned it off (`0`).
pub fn months(setting: Option<&str>) -> Option<u32> {
    match setting.map(|s| s.trim().parse::<u32>()) {
        Some(Ok(0)) => None,
        Some(Ok(n)) => Some(n.min(MAX_MONTHS)),
        _ => Some(DEFAULT_MONTHS),
    }
}

/// Months as a facilitator types them: a whole number from 0 (keep for ever) to `MAX_MONTHS`.
pub fn parse_months(typed: &str) -> Option<u32> {
    let typed = typed.trim();
    if typed.is_empty() || typed.len() > 3 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    typed.parse().ok().filter(|n| *n <= MAX_MONTHS)
}

/// `months` calendar months before `now` (the day kept, or the month's last).
pub fn months_before(now: OffsetDateTime, months: u32) -> OffsetDateTime {
    let date = now.date();
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 - months as i32;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u8 + 1);
    let month = time::Month::try_from(month).expect("a month from 1 to 12");
    let day = date.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).map_or(now, |d| now.replace_date(d))
}

/// Whether a facilitator's clock correction from `old` to `new` seconds moves it so far
/// forward that times recorded before would look too old: retention waits then.
pub fn pauses_retention(old: i64, new: i64) -> bool {
    new.saturating_sub(old) > CLOCK_JUMP
}

/// Retention as it stands: what the dashboard shows before the box does it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Months kept; `None`: for ever.
    pub months: Option<u32>,
    /// Waiting for a facilitator after the clock moved far forward.
    pub paused: bool,
    /// Learners not seen for `months`: those the next run erases.
    pub due: usize,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC time formats")
}

/// Where retention stands on `store`, by its clock.
pub async fn retention(store: &Store) -> Result<Retention, store::Error> {
    let months = months(store.setting(RETENTION_MONTHS).await?.as_deref());
    let paused = store.setting(RETENTION_PAUSED).await?.as_deref() == Some("1");
    let due = match months {
        Some(m) => {
            let since = months_before(store.clock().now(), m);
            store.unseen_learners(&rfc3339(since)).await?
        }
        None => 0,
    };
    Ok(Retention {
        months,
        paused,
        due,
    })
}

/// Erases the learners not seen for the months kept (none when off, paused, or while the
/// clock reads before the build); answers how many.
pub async fn erase_unseen(store: &Store) -> Result<usize, store::Error> {
    let Retention { months, paused, .. } = retention(store).await?;
    let Some(months) = months.filter(|_| !paused && !store.clock().before_build()) else {
        return Ok(0);
    };
    let since = months_before(store.clock().now(), months);
    store.erase_unseen(&rfc3339(since)).await
}

/// Erases the learners not seen for the months kept, as the box starts and then every
/// `EVERY`, until `closing` turns true. Each erasure syncs to the hub as any other.
pub async fn keep_erasing_unseen(store: Store, mut closing: tokio::sync::watch::Receiver<bool>) {
    loop {
        match erase_unseen(&store).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                learners = n,
                "learners not seen for longer than the box keeps names were erased"
            ),
            Err(e) => tracing::warn!("cannot erase the learners not seen: {e}"),
        }
        tokio::select! {
            () = tokio::time::sleep(EVERY) => {}
            _ = closing.wait_for(|closing| *closing) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn months_back_keep_the_day_or_take_the_months_last() {
        let check = |now: OffsetDateTime, months: u32, expected: OffsetDateTime| {
            assert_eq!(months_before(now, months), expected, "{now} - {months}");
        };
        check(
            datetime!(2028-03-31 10:00 UTC),
            1,
            datetime!(2028-02-29 10:00 UTC),
        );
        check(
            datetime!(2028-03-31 10:00 UTC),
            24,
            datetime!(2026-03-31 10:00 UTC),
        );
        check(
            datetime!(2027-01-15 00:00 UTC),
            13,
            datetime!(2025-12-15 00:00 UTC),
        );
        check(
            datetime!(2027-01-15 00:00 UTC),
            0,
            datetime!(2027-01-15 00:00 UTC),
        );
    }

    #[test]
    fn the_setting_reads_as_months_off_or_the_default() {
        assert_eq!(months(None), Some(DEFAULT_MONTHS));
        assert_eq!(months(Some("0")), None);
        assert_eq!(months(Some("6")), Some(6));
        assert_eq!(months(Some("9999")), Some(MAX_MONTHS));
        assert_eq!(months(Some("hai")), Some(DEFAULT_MONTHS));
        assert_eq!(parse_months(" 12 "), Some(12));
        assert_eq!(parse_months("0"), Some(0));
        for bad in ["", "-1", "121", "1.5", "12 tháng", "+3", "0120x"] {
            assert_eq!(parse_months(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn only_a_far_jump_forward_pauses() {
        assert!(!pauses_retention(0, 3600));
        assert!(!pauses_retention(0, -400 * 86_400));
        assert!(pauses_retention(0, 31 * 86_400));
        assert!(!pauses_retention(i64::MIN, i64::MIN));
        assert!(pauses_retention(i64::MIN, i64::MAX));
    }

    proptest::proptest! {
        /// Any typed text is a number of months in range or refused, never a panic.
        #[test]
        fn any_typed_months_are_in_range_or_refused(typed in "\\PC{0,8}") {
            if let Some(n) = parse_months(&typed) {
                proptest::prop_assert!(n <= MAX_MONTHS);
                proptest::prop_assert_eq!(Some(n), typed.trim().parse::<u32>().ok());
            }
        }

        /// Going back any months from any time a box's clock may read gives an earlier
        /// time, in range of the calendar.
        #[test]
        fn months_back_are_earlier(secs in 1_700_000_000i64..2_100_000_000, months in 0u32..=MAX_MONTHS) {
            let now = OffsetDateTime::from_unix_timestamp(secs).unwrap();
            let back = months_before(now, months);
            proptest::prop_assert!(back <= now);
            proptest::prop_assert!(now - back <= time::Duration::days(31 * i64::from(months) + 1));
        }
    }
}
