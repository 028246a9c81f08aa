//! The runtime that `cargo abuse gen` harnesses call: attacking strategies per type and the measured checks.
//!
//! Generated files stay short because the logic lives here. A harness looks like
//!
//! ```ignore
//! abuse_runtime::install!();
//! use abuse_runtime::prelude::*;
//!
//! const T: Target = Target { function: "parse_port", file: "src/lib.rs", line: 12, prompt: "...",
//!     author: "alice", test_owner: "bob", fingerprint: "0123456789abcdef" };
//!
//! #[test]
//! fn parse_port_no_panic() {
//!     const H: Hints = Hints { function: "parse_port", param: "s", strings: &[":"], ints: &[65535], ..Hints::NONE };
//!     check(&T, Property::NoPanic, &Settings::default(), concat!(module_path!(), "::parse_port_no_panic"),
//!         (attack::<String>(&H),), |(s,)| { let _ = my_crate::parse_port(&s); Ok(()) });
//! }
//! ```
//!
//! # Strategies
//!
//! [`Attack`] gives every supported type a default strategy: a weighted [`Mix`] of boundary, malformed,
//! adversarial and plain random values, sharpened by [`Hints`] (parameter name, function name and the
//! literals the function body compares against). One module per domain: [`numbers`], [`floats`],
//! [`strings`], [`bytes`], [`collections`], [`paths`], [`net`], [`time`], [`literals`]; one per bug class
//! the domains share: [`nesting`], [`wide`], [`backtracking`], [`numeric_slots`], [`binary`], [`keywords`]; and
//! [`shrink`], which shrinks text and bytes however they were drawn.
//!
//! # Checks
//!
//! [`check()`] runs a property over a strategy with proptest in a forked child (hangs, stack overflows and
//! aborts are contained and their input reported), measuring every call: panics (message and location),
//! time per call (`Settings::timeout_ms`, plus up to 8 × as much for a big input: [`measure::call_limit`]; a
//! big input that overruns it is judged by how its time grows with its size: [`timeout`]), peak bytes allocated by the calling thread
//! (`Settings::max_alloc`, needs [`install!`]). [`replay`] runs one stored value the same way (regression
//! tests), [`setup`] marks harness set-up whose panic is the harness's fault (rejected, never a failure),
//! [`same!`] and [`ensures`] express declared properties.
//!
//! # Environment
//!
//! | variable | effect |
//! | --- | --- |
//! | `ABUSE_CASES` | number of cases (overrides `Settings::cases`) |
//! | `ABUSE_SEED` | u64 seed; without it a random seed is used and printed |
//! | `ABUSE_NO_FORK=1` | run cases in-process (debugging); a hang then hangs and an abort kills the binary |
//! | `ABUSE_RECORDS` | directory where each test writes its record |
//! | `ABUSE_STRATEGY` | `attack` (default) or `naive`: with `naive`, [`attack()`], [`lengths_tied`], [`or_examples`] and [`arbitrary_value`] hand out proptest's plain strategies ([`Naive`]: what `any::<T>()` draws, elements of containers included; no boundary, hint, literal, example or tied length), same cases, seeds and checks: the baseline the benchmarks measure the attacking strategies against. Any other value panics |
//!
//! # The record
//!
//! When `ABUSE_RECORDS` is set, every [`check()`] writes `$ABUSE_RECORDS/<test name, "::" → "__">.json`, one
//! JSON object (and [`replay`] / [`fuzz::check_one`] write theirs, see their docs). When a check found more than
//! one root cause (a different failure kind, panic site or message shape: it keeps looking in the cases left after
//! the first failure), each further one is one more JSON object on its own line, with `root_cause` set. Fields, all
//! always present except `root_cause`:
//!
//! | field | type | meaning |
//! | --- | --- | --- |
//! | `test` | string | the test name given to `check` (`module::fn`) |
//! | `function` | string | `Target::function` |
//! | `property` | string | [`Property::as_str`]: `no_panic`, `roundtrip`, `idempotent`, `oracle`, `ensures`, `deterministic` |
//! | `outcome` | string | `"pass"`, `"fail"`, or `"rejected"` (the harness rejected so many cases that proptest gave up: a harness problem, not a bug) |
//! | `kind` | string or null | null on pass; `"panic"`, `"timeout"`, `"alloc"`, `"property"`, `"crash"` (the child died: stack overflow, abort, signal), or `"harness"` with outcome `rejected` |
//! | `cases` | number | cases run up to and including the first failure (all cases on pass) |
//! | `rejected` | number | cases rejected by [`setup`] or `prop_assume!` up to the first failure |
//! | `elapsed_ms` | number | wall time of the whole check, shrinking included |
//! | `first_failure_ms` | number or null | time from the start to the first failing case |
//! | `seed` | number | the rng seed (`ABUSE_SEED` reproduces the run) |
//! | `input` | string or null | the shrunk failing input as a Rust expression ([`RustExpr`]) |
//! | `message` | string or null | panic message with location, limit exceeded, or property message |
//! | `file`, `line` | string, number | where the function under test is defined |
//! | `fingerprint` | string | `Target::fingerprint` |
//! | `input_size` | number or null | size of the shrunk failing input: bytes of its strings plus its other literals, counted on its `Debug` text (`vec![0u8; 4096]` is 4096); null on pass. Added last: records without it still read |
//! | `root_cause` | number, absent unless set | `2`, `3`: which root cause of the check this further failure is; absent on the first (or only) one, so that record keeps this shape. Added last: records without it still read |
//!
//! Record file names: [`check()`] uses its `test_name` (`crate::module::fn` → `crate__module__fn.json`);
//! [`replay`] uses the libtest thread name (the test path without the crate: `module__fn.json`);
//! [`fuzz::check_one`] writes `<function>__<property>__fuzz.json`, on failure only.
//!
//! # Limits
//!
//! - Allocation is counted on the calling thread only, and only with [`install!`] in the test binary (a
//!   warning is printed otherwise). Past `max_alloc` the case fails after the call; past
//!   [`measure::hard_limit`] (`max(8 × max_alloc, 1 GiB)` in total) the allocation returns null and the
//!   process aborts: contained by the fork in [`check()`], fatal to the test binary in [`replay`] and under
//!   `ABUSE_NO_FORK=1`.
//! - Library backtraces (`RUST_LIB_BACKTRACE`, which anyhow and eyre follow) are off in a forked child and in
//!   a fuzz target unless set explicitly: a backtrace records the call site, so equal errors from two calls
//!   would differ by `Debug`. Under `ABUSE_NO_FORK=1` the test binary's threads share the environment and it
//!   is left alone; set `RUST_LIB_BACKTRACE=0` yourself there.
//! - [`replay`] runs its one value through [`check()`] (forked, one case) when the test thread has a name, so a
//!   kept input that hangs, overflows the stack or aborts is reported and the rest of the binary goes on; with
//!   `ABUSE_NO_FORK=1` it runs in-process (a hang then ends the process after writing its record).
//! - Shrinking stops trying new inputs after 3 extra hung calls, 32 dead children or 10 s after the first
//!   failure; the last failing input is reported. proptest's own `max_shrink_time` is not used: under fork
//!   it is measured per child and desynchronises the parent's replay ("Ran past the end of the replay").

pub mod adapt;
pub mod arb;
pub mod attack;
pub mod backtracking;
pub mod binary;
pub mod bytes;
pub mod check;
pub mod closures;
pub mod collections;
#[doc(hidden)]
pub mod compare;
pub mod expr;
pub mod floats;
pub mod forms;
pub mod fuzz;
pub mod hints;
pub mod keywords;
pub mod literals;
pub mod measure;
pub mod naive;
pub mod nesting;
pub mod net;
pub mod numbers;
pub mod numeric_slots;
pub mod paths;
pub mod prelude;
mod record;
pub mod requested;
pub mod sequence;
// Also in the crate's own unit tests (serde is a dev-dependency), so `cargo test --workspace` runs them.
#[cfg(any(feature = "serde", test))]
pub mod serde;
pub mod setup_size;
pub mod shrink;
pub mod shrink_list;
pub mod stretches;
pub mod strings;
pub mod time;
pub mod timeout;
pub mod wide;

pub use adapt::call_with;
pub use arb::{arbitrary_value, from_bytes, opaque, FromBytes, Opaque};
pub use attack::{attack, attack_with, Attack};
pub use check::{block_on, check, ensures, pinned, replay, setup, Property, Settings, Target};
pub use closures::{returns, returns_of, Returns};
pub use expr::RustExpr;
pub use hints::{Hints, Mix};
pub use measure::CountingAlloc;
pub use naive::{Naive, Strategies};
pub use numbers::{lengths_tied, near_length, Lengths};
pub use requested::requested;
pub use setup_size::{setup_input, setup_size};
pub use strings::or_examples;

/// Re-exported so generated code and `same!` need no direct dependency.
pub use proptest;

/// Declares the counting `#[global_allocator]` of the test binary (generated files call it once, at the top
/// level of the test crate). Without it `max_alloc` is not measured.
#[macro_export]
macro_rules! install {
    () => {
        #[global_allocator]
        static __ABUSE_RUNTIME_ALLOC: $crate::CountingAlloc = $crate::CountingAlloc;
    };
}

/// Compares two values for a property (`"roundtrip"`, `"idempotent"`, `"oracle"`, `"deterministic"`):
/// `same!("roundtrip", left, right)` is a `Result<(), TestCaseError>` whose failure message shows both values.
///
/// Dispatch is at compile time: `PartialEq` (+ `Debug` for the message) when the type has it, else the
/// `Debug` output is compared, else a compile error says the property needs `PartialEq` or `Debug`:
///
/// ```compile_fail
/// struct Opaque;
/// let _ = abuse_runtime::same!("roundtrip", Opaque, Opaque);
/// ```
///
/// ```
/// # fn main() -> Result<(), abuse_runtime::proptest::test_runner::TestCaseError> {
/// abuse_runtime::same!("idempotent", "a".to_uppercase(), "A".to_string())?;
/// # Ok(()) }
/// ```
#[macro_export]
macro_rules! same {
    ($property:expr, $left:expr, $right:expr $(,)?) => {{
        #[allow(unused_imports)]
        use $crate::compare::{
            ViaDebug as _, ViaNeither as _, ViaPartialEq as _, ViaPartialEqDebug as _,
        };
        let left = $left;
        let right = $right;
        let pair = $crate::compare::Pair(&left, &right);
        (&&&&pair).abuse_compare($property)
    }};
}

// The crate's own tests measure allocations too.
#[cfg(test)]
install!();
