//! The timeout rule: when a call that overran its limit is a hang, and when it is a correct function that is
//! merely slow on a huge input. Uses no external crate (std only).
//!
//! A call's limit ([`crate::measure::call_limit`]) grows with its input's size, up to a cap: past the cap, a
//! correct linear (or inherently size-proportional) function can overrun it on a loaded machine, and that is
//! not a bug. Absolute time says little there; how time *grows* with size does, and a ratio of two times
//! measured in the same process moments apart does not depend on the machine's load. So, for an input of at
//! least [`PROBE_MIN_SIZE`] units that can be cut ([`crate::RustExpr::cut_in_place`]):
//!
//! 1. the call may run up to [`CEILING_FACTOR`] × its limit; one that has not returned by then never returns as
//!    far as the run can tell: a **timeout** (an infinite loop, or work far beyond the size);
//! 2. one that returned over its limit is timed again on the same input cut to 1/2 and to 1/4, and the growth
//!    exponent `e` of time with size (least squares on logs over the three points, sizes in bytes of `Debug`
//!    text) decides: `e > ` [`SUPERLINEAR_EXPONENT`] (time grows faster than the size, as with quadratic
//!    work) is a **timeout**; otherwise the case **passes** (slow, but in proportion to its input). Before a
//!    timeout is reported the full input is timed once more and its best time kept: a burst of load on the
//!    shared machine slows one call, not two.
//!
//! Smaller inputs, inputs that cannot be cut, and the candidates tried while shrinking a failure keep the plain
//! rule: a call over its limit is a timeout, stopped at the limit. An infinite loop on a short input is still
//! reported after about `timeout_ms`.

use std::time::Duration;

/// Inputs of fewer units (bytes of `Debug` text) keep the plain rule. From a kilobyte on, an overrun is judged by
/// growth: a call in proportion to an input of a few kilobytes that is slow in the unoptimised build passes,
/// while exponential work (backtracking) on such an input grows far faster than size^1.5 between the cuts, and
/// a call that never returns is stopped at [`CEILING_FACTOR`] times its limit. (aho-corasick's builders on 21 kB
/// of patterns holding a 4 KiB run of one byte are not such a case: 146 s, 21 s and 7.4 s on the input and its
/// cuts, size^2.15, still a timeout.)
pub const PROBE_MIN_SIZE: u64 = 1_000;
/// A call on a big input is stopped as never returning once it has run this many times its limit.
pub const CEILING_FACTOR: u32 = 4;
/// Growth exponents above this are faster than the size: halfway between linear (1) and quadratic (2).
pub const SUPERLINEAR_EXPONENT: f64 = 1.5;
/// Growth exponents in either of two big arguments up to this are work in proportion to the pair: comparing
/// two inputs costs their product, and how much of one each element of the other scans depends on their
/// contents (strsim's `jaro` scans a window of the longer input: 3.5 times the time for twice its prefix).
/// Exponential work (backtracking) grows far faster; work quadratic in one argument alone is judged on the
/// inputs where the other is small, by [`SUPERLINEAR_EXPONENT`].
pub const PRODUCT_EXPONENT: f64 = 2.5;
/// Times below this are read as this (a cut input that returns at once still gives a finite ratio).
const MIN_TIME: Duration = Duration::from_micros(50);

/// How long a call on an input of this size may run before it is stopped: its `limit`, or [`CEILING_FACTOR`]
/// times it when the input is big enough to be judged by growth (`probed`).
#[must_use]
pub fn stop_after(limit: Duration, probed: bool) -> Duration {
    if probed {
        limit.saturating_mul(CEILING_FACTOR)
    } else {
        limit
    }
}

/// Whether an input of `size` units (and `cuttable`) is judged by growth when it overruns its limit.
#[must_use]
pub fn probed(size: u64, cuttable: bool) -> bool {
    cuttable && size >= PROBE_MIN_SIZE
}

/// The growth exponent of time with size: the least-squares slope of `ln time` over `ln size`. `None` with
/// fewer than two distinct sizes.
#[must_use]
pub fn growth_exponent(points: &[(u64, Duration)]) -> Option<f64> {
    let xy: Vec<(f64, f64)> = points
        .iter()
        .filter(|(size, _)| *size > 0)
        .map(|(size, t)| ((*size as f64).ln(), t.max(&MIN_TIME).as_secs_f64().ln()))
        .collect();
    let n = xy.len() as f64;
    if xy.len() < 2 {
        return None;
    }
    let mx = xy.iter().map(|p| p.0).sum::<f64>() / n;
    let my = xy.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = xy.iter().map(|p| (p.0 - mx).powi(2)).sum();
    if sxx < 1e-9 {
        return None;
    }
    let sxy: f64 = xy.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    Some(sxy / sxx)
}

/// What the growth says about a call that returned over its limit.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Time grows faster than the size (exponent given): a timeout.
    Superlinear(f64),
    /// Time grows no faster than the size (exponent given): the case passes.
    Proportional(f64),
    /// No cut could be timed: the plain rule (a timeout).
    Unknown,
}

/// Judges `points` (the call and its cuts: size in units, time) by [`SUPERLINEAR_EXPONENT`].
#[must_use]
pub fn judge(points: &[(u64, Duration)]) -> Verdict {
    match growth_exponent(points) {
        Some(e) if e > SUPERLINEAR_EXPONENT => Verdict::Superlinear(e),
        Some(e) => Verdict::Proportional(e),
        None => Verdict::Unknown,
    }
}

/// The cuts tried for a call on two big arguments, deepest first: 1/256 of each keeps a product of 1 MB × 1 MB
/// strings at 16 M cells (a fraction of a second unoptimised), where 1/32 alone took longer than the whole
/// call's stop and was reported as the hang.
pub const PRODUCT_CUTS: [u32; 4] = [256, 128, 64, 32];
/// A cut whose call takes this long is timed well enough to extrapolate from; a shorter one is cut less.
pub const PRODUCT_MIN_TIME: Duration = Duration::from_millis(20);

/// Whether a call on an input of two big arguments need not be made. `time_cut(a, b)` times the call with the
/// largest argument cut to 1/`a` and the second largest to 1/`b` (`None` when that call fails: no evidence of
/// a slow correct call). From the deepest of [`PRODUCT_CUTS`], both arguments are cut less until the call
/// takes [`PRODUCT_MIN_TIME`] (or the next cut, four times the work, would come near `stop`); then each is
/// doubled in turn. See [`product_beyond_stop`] for the judgement.
pub fn product_probe(
    stop: Duration,
    mut time_cut: impl FnMut(u32, u32) -> Option<Duration>,
) -> bool {
    let mut chosen = None;
    for den in PRODUCT_CUTS {
        let Some(both) = time_cut(den, den) else {
            return false;
        };
        chosen = Some((den, both));
        if both >= PRODUCT_MIN_TIME || both.saturating_mul(4) > stop / 8 {
            break;
        }
    }
    let Some((den, both)) = chosen else {
        return false;
    };
    let (Some(largest), Some(other)) = (time_cut(den / 2, den), time_cut(den, den / 2)) else {
        return false;
    };
    product_beyond_stop(both, largest, other, den, stop)
}

/// Whether a call on an input of two big arguments need not be made: `both` is its time with both cut to
/// 1/`den`, `largest` and `other` with one of them at twice that (1/`den` × 2), `stop` when the whole call would
/// be stopped. When time grows at most [`PRODUCT_EXPONENT`] in either argument (comparing two inputs, as an edit
/// distance does, costs their product) and the whole call, extrapolated, would run past half of `stop` (a call
/// estimated just under its stop was stopped once the machine was loaded), it could not be judged by growth
/// after it returned, and stopping it would report a hang that is not one: the case passes. Faster growth in
/// either (exponential work) makes the call, and it is judged.
#[must_use]
pub fn product_beyond_stop(
    both: Duration,
    largest: Duration,
    other: Duration,
    den: u32,
    stop: Duration,
) -> bool {
    let secs = |t: Duration| t.max(MIN_TIME).as_secs_f64();
    let growth = |t: Duration| (secs(t) / secs(both)).log2();
    let (e_largest, e_other) = (growth(largest), growth(other));
    if e_largest > PRODUCT_EXPONENT || e_other > PRODUCT_EXPONENT {
        return false;
    }
    let den = f64::from(den);
    let estimate = secs(both) * den.powf(e_largest.max(1.0)) * den.powf(e_other.max(1.0));
    estimate > stop.as_secs_f64() / 2.0
}

/// The failure message of a call judged [`Verdict::Superlinear`]: the times and sizes behind the verdict.
#[must_use]
/// `unit` names what the sizes count: `bytes of Debug text` for a whole input, or the units of the one argument
/// that was cut (`bytes or elements of its largest argument`).
pub fn superlinear_message(
    points: &[(u64, Duration)],
    exponent: f64,
    limit_text: &str,
    unit: &str,
) -> String {
    let mut s = String::new();
    if let Some((size, t)) = points.first() {
        s.push_str(&format!(
            "one call took {} ms on an input of {size} {unit}, over the limit of {limit_text}",
            t.as_millis()
        ));
    }
    let cuts: Vec<String> = points
        .iter()
        .skip(1)
        .map(|(size, t)| format!("{} ms on {size}", t.as_millis()))
        .collect();
    if !cuts.is_empty() {
        s.push_str(&format!(
            "; the same input cut smaller took {}: time grows as size^{exponent:.1}, faster than the size",
            cuts.join(" and ")
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn linear_and_n_log_n_growth_pass_and_quadratic_growth_is_a_timeout() {
        // hex_encode on 1 MiB: linear, over a 9 s limit on a loaded machine.
        let linear = [
            (4_000_000, ms(12_000)),
            (2_000_000, ms(6_100)),
            (1_000_000, ms(2_900)),
        ];
        assert!(matches!(judge(&linear), Verdict::Proportional(e) if (0.9..1.1).contains(&e)));
        // Load noise: one cut measured 1.6x slow or fast still reads as proportional.
        let noisy = [
            (4_000_000, ms(12_000)),
            (2_000_000, ms(9_600)),
            (1_000_000, ms(1_900)),
        ];
        assert!(
            matches!(judge(&noisy), Verdict::Proportional(_)),
            "{:?}",
            judge(&noisy)
        );
        let n_log_n = [(1 << 20, ms(2_000)), (1 << 19, ms(950)), (1 << 18, ms(450))];
        assert!(matches!(judge(&n_log_n), Verdict::Proportional(_)));
        // strip_comments-like quadratic work: 4x per doubling.
        let quadratic = [(40_000, ms(1_600)), (20_000, ms(400)), (10_000, ms(100))];
        assert!(matches!(judge(&quadratic), Verdict::Superlinear(e) if (1.9..2.1).contains(&e)));
        // A loop entered only past some size: the cuts return at once.
        let cliff = [(40_000, ms(3_000)), (20_000, ms(0)), (10_000, ms(0))];
        assert!(matches!(judge(&cliff), Verdict::Superlinear(_)));
        // A fixed cost (the cut costs as much as the whole): not growth at all.
        let flat = [
            (40_000, ms(1_200)),
            (20_000, ms(1_150)),
            (10_000, ms(1_190)),
        ];
        assert!(matches!(judge(&flat), Verdict::Proportional(e) if e.abs() < 0.1));
        // Nothing to compare.
        assert_eq!(judge(&[(40_000, ms(1_200))]), Verdict::Unknown);
        assert_eq!(
            judge(&[(40_000, ms(1_200)), (40_000, ms(1_000))]),
            Verdict::Unknown
        );
    }

    #[test]
    fn only_big_cuttable_inputs_are_probed_and_they_may_run_longer() {
        assert!(!probed(PROBE_MIN_SIZE - 1, true));
        assert!(!probed(1 << 20, false));
        assert!(probed(PROBE_MIN_SIZE, true));
        assert_eq!(stop_after(ms(1000), false), ms(1000));
        assert_eq!(stop_after(ms(9000), true), ms(36_000));
    }

    #[test]
    fn from_a_kilobyte_a_proportional_builder_passes_and_exponential_work_is_still_a_timeout() {
        // A 3.7 kB input (an automaton's patterns) is judged by growth, a 900-byte one by the plain rule.
        assert!(probed(3_700, true));
        assert!(!probed(900, true));
        // Exponential backtracking on a 1.2 kB input: the cuts return at once (2^-300 of the time).
        let exponential = [(1_200, ms(1_300)), (600, ms(0)), (300, ms(0))];
        assert!(
            matches!(judge(&exponential), Verdict::Superlinear(e) if e > 5.0),
            "{:?}",
            judge(&exponential)
        );
        // Still exponential when the cuts keep a little of the blow-up.
        let steep = [(2_000, ms(1_500)), (1_000, ms(40)), (500, ms(1))];
        assert!(matches!(judge(&steep), Verdict::Superlinear(e) if e > 3.0));
        // A builder in proportion to its input: slow, but it passes.
        let builder = [(21_300, ms(1_250)), (10_650, ms(640)), (5_325, ms(330))];
        assert!(matches!(judge(&builder), Verdict::Proportional(e) if e < 1.1));
        // A call that never returns is stopped at the ceiling, a timeout without any cut.
        assert_eq!(stop_after(ms(1_037), probed(3_700, true)), ms(4_148));
    }

    #[test]
    fn a_call_linear_in_each_of_two_big_arguments_that_would_run_past_its_stop_is_not_made() {
        let stop = ms(14_000);
        // Levenshtein of 50 kB by 200 kB: both at 1/16 took 150 ms, each doubled about twice that, so the
        // whole would take about 16 × 16 × 150 ms.
        assert!(product_beyond_stop(ms(150), ms(310), ms(290), 16, stop));
        // The same growth, but the whole fits well in its stop: it is made (and judged as any call).
        assert!(!product_beyond_stop(ms(10), ms(20), ms(20), 16, stop));
        // Estimated at 4.2 s of a 4.8 s stop (strsim, 2,500 by 20,000 characters): a loaded machine stopped
        // it, so a whole call past half its stop is not made.
        assert!(product_beyond_stop(ms(4), ms(8), ms(8), 32, ms(4_800)));
        // strsim's jaro on a nesting run by a run of its closing bracket, both at 1/128: twice the first took
        // 3.5 times as long (its window grows with it), twice the second no longer. In proportion to the pair.
        assert!(product_beyond_stop(ms(23), ms(80), ms(23), 128, ms(20_000)));
        // Cubic or faster in either argument (8 times the time for twice the size): made, and judged.
        assert!(!product_beyond_stop(ms(150), ms(1_200), ms(300), 16, stop));
        assert!(!product_beyond_stop(ms(150), ms(300), ms(2_400), 16, stop));
    }

    /// The time of a call costing `ns` nanoseconds per cell of `len_a × len_b`, cut to 1/a and 1/b.
    fn product_cost(len_a: u64, len_b: u64, ns: u64) -> impl FnMut(u32, u32) -> Option<Duration> {
        move |a, b| {
            Some(Duration::from_nanos(
                len_a / u64::from(a) * (len_b / u64::from(b)) * ns,
            ))
        }
    }

    #[test]
    fn two_big_arguments_are_cut_until_the_call_is_quick_enough_to_time_and_slow_enough_to_read() {
        let mut cuts = Vec::new();
        let stop = ms(36_000);
        // 1 MB by 1 MB at 10 ns a cell: about 10^4 s whole; 1/32 of each alone (10 s, then 20 s for each
        // doubling) came near the stop. The deepest cut already takes 150 ms, and the whole is not made.
        let mut cost = product_cost(1_000_000, 1_000_000, 10);
        assert!(product_probe(stop, |a, b| {
            cuts.push((a, b));
            cost(a, b)
        }));
        assert_eq!(cuts, [(256, 256), (128, 256), (256, 128)]);
        // 40 kB by 20 kB: 1/256 of each takes 120 µs, too short to read: cut less until 20 ms. The whole
        // (8 s) fits in its stop, so it is made.
        cuts.clear();
        let mut cost = product_cost(40_000, 20_000, 10);
        assert!(!product_probe(stop, |a, b| {
            cuts.push((a, b));
            cost(a, b)
        }));
        assert_eq!(
            cuts,
            [
                (256, 256),
                (128, 128),
                (64, 64),
                (32, 32),
                (16, 32),
                (32, 16)
            ]
        );
        // Cubic in its first argument: the whole call is made, however long it would take.
        let cubic = |a: u32, b: u32| {
            let (x, y) = (100_000 / u64::from(a), 100_000 / u64::from(b));
            Some(Duration::from_nanos(x * x * x / 1_000 * y))
        };
        assert!(!product_probe(stop, cubic));
        // A cut call that fails is no evidence: the whole call is made.
        assert!(!product_probe(stop, |_, _| None));
    }

    #[test]
    fn the_message_gives_the_times_behind_the_verdict() {
        let m = superlinear_message(
            &[(40_000, ms(1_600)), (20_000, ms(400)), (10_000, ms(100))],
            2.0,
            "1400 ms",
            "bytes of Debug text",
        );
        assert_eq!(
            m,
            "one call took 1600 ms on an input of 40000 bytes of Debug text, over the limit of 1400 ms; the same \
             input cut smaller took 400 ms on 20000 and 100 ms on 10000: time grows as size^2.0, faster than the \
             size"
        );
    }
}
