//! The box's clock: the system's, plus an offset a facilitator sets from their browser when
//! the system's is wrong (a Raspberry Pi has no battery clock, and the box may have no
//! network to ask). Each `Store` holds its box's `Clock`; the offset is kept in its settings
//! and applied to every time the box writes from then on. Order never depends on it: events
//! are ordered by `seq`. `format` writes times as Vietnamese readers see them.

pub mod format;

use std::sync::atomic::{AtomicI64, Ordering};

use time::{Duration, OffsetDateTime};

/// How far a facilitator's browser may disagree before the dashboard says so.
pub const TOLERANCE: Duration = Duration::minutes(5);

/// One box's clock.
#[derive(Debug, Default)]
pub struct Clock {
    /// Seconds added to the system's clock.
    offset: AtomicI64,
}

impl Clock {
    /// The time by this box's clock, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + Duration::seconds(self.offset())
    }

    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::Relaxed)
    }

    pub fn set_offset(&self, seconds: i64) {
        self.offset.store(seconds, Ordering::Relaxed);
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

/// The offset that makes a clock read `right` now.
pub fn offset_to(right: OffsetDateTime) -> i64 {
    (right - OffsetDateTime::now_utc()).whole_seconds()
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
        clock.set_offset(offset_to(right));
        assert!((clock.now() - right).abs() < Duration::seconds(2));
        clock.set_offset(-60 * 60 * 24 * 365 * 60);
        assert!(clock.before_build());
    }
}
