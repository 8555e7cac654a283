//! The box's clock: the system's, plus an offset a facilitator sets from their browser when
//! the system's is wrong (a Raspberry Pi has no battery clock, and the box may have no
//! network to ask). Each `Store` holds its box's `Clock`; the offset is kept in its settings
//! and applied to every time the box writes from then on. Order never depends on it: events
//! are ordered by `seq`. `format` writes times as Vietnamese readers see them.

pub mod format;

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

/// How far a facilitator's browser may disagree before the dashboard says so.
pub const TOLERANCE: Duration = Duration::minutes(5);

/// How many years after the build a box's clock may read: a time further on is a typing
/// slip, and one at the end of the calendar would break every date the box writes.
pub const YEARS_AHEAD: i64 = 10;

/// A time no box's clock can rightly read: before the build, or more than `YEARS_AHEAD`
/// years after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the time is before this binary was built or more than {YEARS_AHEAD} years after")]
pub struct OutOfRange;

/// One box's clock.
#[derive(Debug, Default)]
pub struct Clock {
    /// Seconds added to the system's clock.
    offset: AtomicI64,
    /// A stored correction was found out of range at start-up and left out.
    ignored: AtomicBool,
}

impl Clock {
    /// The time by this box's clock, in UTC. The offset is checked when it is set, and the
    /// sum is checked again here: at worst the system's own time, never a panic.
    pub fn now(&self) -> OffsetDateTime {
        let system = OffsetDateTime::now_utc();
        system
            .checked_add(Duration::seconds(self.offset()))
            .unwrap_or(system)
    }

    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    /// Adds `seconds` to the system's clock from now on, unless the clock would then read a
    /// time out of range.
    pub fn set_offset(&self, seconds: i64) -> Result<(), OutOfRange> {
        let reads = OffsetDateTime::now_utc().checked_add(Duration::seconds(seconds));
        if !reads.is_some_and(in_range) {
            return Err(OutOfRange);
        }
        self.offset.store(seconds, Ordering::Relaxed);
        self.ignored.store(false, Ordering::Relaxed);
        Ok(())
    }

    /// Takes a correction kept from before (the `clock_offset` setting). One that would make
    /// the clock read a time out of range now is left out, and `ignored` says so.
    pub fn restore(&self, seconds: i64) -> Result<(), OutOfRange> {
        self.set_offset(seconds)
            .inspect_err(|_| self.ignored.store(true, Ordering::Relaxed))
    }

    /// Whether a stored correction was left out at start-up because it was out of range.
    pub fn ignored(&self) -> bool {
        self.ignored.load(Ordering::Relaxed)
    }

    /// Whether the box's clock is surely wrong: earlier than the build.
    pub fn before_build(&self) -> bool {
        self.now() < built_at()
    }
}

/// When this binary was built: the box's clock cannot rightly be earlier.
pub fn built_at() -> OffsetDateTime {
    let seconds: i64 = env!("HOCSO_BUILT_AT").parse().unwrap_or(0);
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The latest time a box's clock may read: `YEARS_AHEAD` years after the build.
pub fn latest() -> OffsetDateTime {
    built_at()
        .checked_add(Duration::days(365 * YEARS_AHEAD + YEARS_AHEAD / 4))
        .unwrap_or(built_at())
}

/// Whether a box's clock may rightly read `t`.
pub fn in_range(t: OffsetDateTime) -> bool {
    t >= built_at() && t <= latest()
}

/// The offset that makes a box's clock read `right` now; refused for a time out of range.
pub fn offset_for(right: OffsetDateTime) -> Result<i64, OutOfRange> {
    match in_range(right) {
        true => Ok((right - OffsetDateTime::now_utc()).whole_seconds()),
        false => Err(OutOfRange),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_moves_the_clock_and_the_build_time_is_recent() {
        assert!(built_at().year() >= 2025);
        let clock = Clock::default();
        assert!(!clock.before_build());
        let right = OffsetDateTime::now_utc() + Duration::hours(3);
        clock.set_offset(offset_for(right).unwrap()).unwrap();
        assert!((clock.now() - right).abs() < Duration::seconds(2));
        clock.restore(-60 * 60 * 24 * 365 * 60).unwrap_err();
        assert!(clock.ignored());
        assert!(
            (clock.now() - right).abs() < Duration::seconds(2),
            "kept as it was"
        );
    }

    #[test]
    fn a_time_out_of_range_is_refused_and_no_offset_can_break_the_clock() {
        let clock = Clock::default();
        let end_of_calendar = OffsetDateTime::from_unix_timestamp(253_402_300_799).unwrap();
        assert_eq!(offset_for(end_of_calendar), Err(OutOfRange));
        assert_eq!(offset_for(built_at() - Duration::days(1)), Err(OutOfRange));
        let near_the_end = offset_for(latest() - Duration::days(1)).unwrap();
        assert!(clock.set_offset(near_the_end).is_ok());
        assert!(offset_for(latest() + Duration::days(1)).is_err());
        assert!(clock.set_offset(near_the_end + 2 * 86_400).is_err());
        // Whatever is stored, reading the clock never panics.
        for seconds in [i64::MAX, i64::MIN, 253_402_300_799, -253_402_300_799] {
            assert_eq!(clock.restore(seconds), Err(OutOfRange));
            clock.offset.store(seconds, Ordering::Relaxed);
            let _ = clock.now();
        }
    }
}
