//! Requested sizes: the size the caller asked a call for (`with_capacity(n)`, `reserve(additional)`,
//! `resize(len, x)`), which excuses an allocation of that size and std's refusal of an impossible one. Uses std
//! only.
//!
//! `SmallVec::with_capacity(1 << 26)` allocating 512 MiB, or `Vec::reserve(usize::MAX)` panicking with "capacity
//! overflow", is the contract, not a bug. The generated harness calls [`requested`] with each integer argument
//! whose name says it is a size (the plan's `is_setup_size` words) just before the call; the measured call's
//! largest request then excuses:
//! - a peak allocation of at most [`PER_ELEMENT_BYTES`] per requested element (the case passes);
//! - a panic whose message is a refusal ("capacity overflow") when the request is over `isize::MAX / 64`
//!   (the case is rejected, with a message saying so);
//! - an allocation past the hard limit within the same bound (the process aborts; the case log says
//!   `requested`, and `check` goes on with new cases instead of reporting it).
//!
//! Nothing else: an allocation sized by bytes inside an input (a length field) has no request and still fails,
//! and an arithmetic overflow ("attempt to add with overflow") is never excused.

use std::cell::Cell;

thread_local! {
    /// The largest size requested in the current measured call (0: none).
    static LARGEST: Cell<u128> = const { Cell::new(0) };
}

/// Bytes a requested element may take: generous (a `SmallVec<[u8; 4096]>` element, a hash-map bucket with its
/// control bytes), so any element type the harness picks fits, and still far below an amplification.
pub const PER_ELEMENT_BYTES: u128 = 64 << 10;

/// Requests past this are impossible on any machine (`isize::MAX / 64`): refusing them is std's contract.
pub const IMPOSSIBLE: u128 = (isize::MAX as u128) / 64;

/// Panic messages that refuse a request, as std and the crates modelled on it word them.
const REFUSALS: &[&str] = &["capacity overflow", "memory allocation of"];

/// An integer a size can be requested as.
pub trait RequestedSize {
    /// The size (a negative value requests nothing).
    fn request(&self) -> u128;
}

macro_rules! requested_size {
    ($($t:ty),*) => {$(
        impl RequestedSize for $t {
            #[allow(unused_comparisons)]
            fn request(&self) -> u128 {
                if *self < 0 as $t { 0 } else { *self as u128 }
            }
        }
    )*};
}
requested_size!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl<T: RequestedSize + ?Sized> RequestedSize for &T {
    fn request(&self) -> u128 {
        (**self).request()
    }
}

/// Tells the runtime that the call about to be measured was asked for `size` (elements, bytes or entries).
/// Generated harnesses call it with each size-named integer argument, just before the call.
pub fn requested<T: RequestedSize + ?Sized>(size: &T) {
    let n = size.request();
    let _ = LARGEST.try_with(|l| l.set(l.get().max(n)));
}

/// Forgets the requests (a new measured call starts).
pub(crate) fn reset() {
    let _ = LARGEST.try_with(|l| l.set(0));
}

/// The largest size requested in the current measured call. Safe inside the allocator (no allocation).
pub(crate) fn largest() -> u128 {
    LARGEST.try_with(Cell::get).unwrap_or(0)
}

/// Whether `bytes` (a peak, or a total past the hard limit) is what a request of `largest` elements allows.
#[must_use]
pub fn excuses_bytes(largest: u128, bytes: u64) -> bool {
    largest > 0 && u128::from(bytes) <= largest.saturating_mul(PER_ELEMENT_BYTES)
}

/// The rejection message when `panic` (message and location) is the refusal of an impossible request of
/// `largest`; `None` when it is not excused.
#[must_use]
pub fn excused_panic(largest: u128, panic: &str) -> Option<String> {
    (largest > IMPOSSIBLE && REFUSALS.iter().any(|r| panic.contains(r))).then(|| {
        format!(
            "the caller asked for a size of {largest}, more than any machine holds: refusing it (`{panic}`) is \
             std's contract, not a bug"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_within_the_request_are_excused_and_others_are_not() {
        // `with_capacity(1 << 26)` of 8-byte elements: 512 MiB, asked for.
        assert!(excuses_bytes(1 << 26, 512 << 20));
        // Nothing requested (a length field inside the input): never excused.
        assert!(!excuses_bytes(0, 512 << 20));
        // Eight requested elements do not allow 512 MiB.
        assert!(!excuses_bytes(8, 512 << 20));
        assert!(excuses_bytes(8, 8 * (64 << 10)));
        assert!(excuses_bytes(u128::MAX, u64::MAX));
    }

    #[test]
    fn only_refusals_of_impossible_requests_are_excused() {
        let msg = "capacity overflow at src/lib.rs:1:1";
        assert!(
            excused_panic(usize::MAX as u128, msg).is_some_and(|m| m.contains("std's contract"))
        );
        // A possible request refused: a bug (or at least not the caller's fault).
        assert!(excused_panic(1 << 20, msg).is_none());
        // Arithmetic overflow on an impossible request is still a bug (http 0.1's `HeaderMap::reserve`).
        assert!(excused_panic(
            usize::MAX as u128,
            "attempt to add with overflow at x.rs:3:9"
        )
        .is_none());
        assert!(excused_panic(0, msg).is_none());
    }

    #[test]
    fn the_largest_request_of_a_call_is_kept_and_negative_ones_request_nothing() {
        reset();
        requested(&3usize);
        requested(&-5i64);
        requested(&2u8);
        assert_eq!(largest(), 3);
        requested(&&u64::MAX);
        assert_eq!(largest(), u128::from(u64::MAX));
        reset();
        assert_eq!(largest(), 0);
    }
}
