//! Time strategies: zero, one nanosecond, sub-second edges, `Duration::MAX`, seconds at integer edges, and
//! `SystemTime`s at, before and far after the epoch (only those the platform can represent).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{one_of, weighted, Attack};
use crate::hints::Hints;

/// Edge durations.
#[must_use]
pub fn edge_durations() -> Vec<Duration> {
    vec![
        Duration::ZERO,
        Duration::from_nanos(1),
        Duration::from_millis(1),
        Duration::from_secs(1),
        Duration::new(0, 999_999_999),
        Duration::MAX,
        Duration::from_secs(u32::MAX as u64),
        Duration::from_secs(i64::MAX as u64),
        Duration::from_secs(u64::MAX),
        Duration::from_secs(86_400),
    ]
}

impl Attack for Duration {
    fn attack(_: &Hints) -> BoxedStrategy<Duration> {
        weighted(vec![
            (3, one_of(edge_durations())),
            (
                2,
                (any::<u64>(), 0..1_000_000_000u32)
                    .prop_map(|(s, n)| Duration::new(s, n))
                    .boxed(),
            ),
            (2, (0..100_000u64).prop_map(Duration::from_millis).boxed()),
        ])
    }
}

impl Attack for SystemTime {
    fn attack(h: &Hints) -> BoxedStrategy<SystemTime> {
        (Duration::attack(h), any::<bool>())
            .prop_map(|(d, before)| {
                let t = if before {
                    UNIX_EPOCH.checked_sub(d)
                } else {
                    UNIX_EPOCH.checked_add(d)
                };
                t.unwrap_or(UNIX_EPOCH)
            })
            .boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn zero_max_and_pre_epoch_appear() {
        let v = samples(&Duration::attack(&Hints::NONE), 128);
        assert!(v.contains(&Duration::ZERO) && v.contains(&Duration::MAX));
        let t = samples(&SystemTime::attack(&Hints::NONE), 128);
        assert!(t.iter().any(|t| *t < UNIX_EPOCH));
    }
}
