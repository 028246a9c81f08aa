//! End-to-end checks of requested sizes (abuse_runtime::requested): each scenario is an ignored test that the
//! outer test runs in a fresh process of this binary, then reads its record (as tests/check.rs does).

use abuse_runtime::prelude::*;

mod scenario;
use scenario::{field, run};

abuse_runtime::install!();

const T: Target = Target {
    function: "victim",
    file: "src/lib.rs",
    line: 7,
    prompt: "Make a buffer with room for `capacity` values",
    author: "alice",
    test_owner: "bob",
    fingerprint: "0123456789abcdef",
};

fn name(f: &str) -> String {
    format!("{}::{f}", module_path!())
}

const CAPACITY: Hints = Hints {
    param: "capacity",
    ..Hints::NONE
};

/// `Vec::<u64>::with_capacity(capacity)` as a harness calls it: 512 MiB for 2^26 (over `max_alloc`), an abort
/// past the hard limit for 2^32, "capacity overflow" for `usize::MAX`. All asked for.
#[test]
#[ignore = "run by the_callers_size_is_not_a_bug"]
fn scenario_with_capacity() {
    check(
        &T,
        Property::NoPanic,
        &Settings::default(),
        &name("scenario_with_capacity"),
        (attack::<usize>(&CAPACITY),),
        |(capacity,)| {
            abuse_runtime::requested(&capacity);
            let v: Vec<u64> = Vec::with_capacity(capacity);
            std::hint::black_box(v);
            Ok(())
        },
    );
}

/// A length field inside the input: nothing requested, the same allocations still fail.
#[test]
#[ignore = "run by a_length_inside_the_input_still_fails"]
fn scenario_length_field() {
    check(
        &T,
        Property::NoPanic,
        &Settings::default(),
        &name("scenario_length_field"),
        (attack::<usize>(&CAPACITY),),
        |(len,)| {
            // A small request does not excuse an allocation sized by the input.
            abuse_runtime::requested(&(len % 4));
            let v: Vec<u64> = Vec::with_capacity(len.min(1 << 27));
            std::hint::black_box(v);
            Ok(())
        },
    );
}

/// Arithmetic overflow on an impossible request (http 0.1's `HeaderMap::reserve`) is still a bug.
#[test]
#[ignore = "run by arithmetic_overflow_on_a_request_still_fails"]
fn scenario_overflow() {
    check(
        &T,
        Property::NoPanic,
        &Settings::default(),
        &name("scenario_overflow"),
        (attack::<usize>(&CAPACITY),),
        |(additional,)| {
            abuse_runtime::requested(&additional);
            let raw = std::hint::black_box(additional) + 1;
            std::hint::black_box(raw);
            Ok(())
        },
    );
}

#[test]
fn the_callers_size_is_not_a_bug() {
    let (ok, rec, out) = run("scenario_with_capacity");
    assert!(ok, "{out}");
    assert_eq!(field(&rec, "outcome"), "\"pass\"", "{rec}");
    // Every case ran: the aborts past the hard limit started new rounds instead of ending the run.
    let cases: u64 = field(&rec, "cases").parse().expect("a number");
    assert!(cases >= 128, "{rec}");
}

#[test]
fn a_length_inside_the_input_still_fails() {
    let (ok, rec, out) = run("scenario_length_field");
    assert!(!ok, "{out}");
    assert_eq!(field(&rec, "kind"), "\"alloc\"", "{rec}");
}

#[test]
fn arithmetic_overflow_on_a_request_still_fails() {
    let (ok, rec, out) = run("scenario_overflow");
    assert!(!ok, "{out}");
    assert_eq!(field(&rec, "kind"), "\"panic\"", "{rec}");
    assert!(field(&rec, "message").contains("overflow"), "{rec}");
}
