//! Numbers out of the parsed type's range inside structured text: every digit run of a valid example (a doc
//! example, a mined literal, a common shape such as `1.2.3`, `x=5`, `127.0.0.1:80`) replaced by a run of 10,
//! 11, 20 or 40 digits (past `u32`, `i32`, `u64`, `u128`) or by the next value past `u8` / `u16`, alone or in
//! every slot at once, signed or not: `1.2.3` → `1.2.99999999999`, `x=5` → `x=-99999999999999999999`. A
//! literal that ends in a separator (`timeout=`, `v`, `port:`) gets the number after it.
//!
//! A parser that splits on the separators and calls `.parse::<u8>().unwrap()`, or multiplies the parsed
//! value, fails only on these; plain out-of-range strings never pass its earlier checks.
//!
//! Exponents are slots too: [`huge_exponents`] writes `1e1000000000` and the like, with a unit after it.
//!
//! Entry points: [`oversized_in`] (examples), [`slots_for`] (hints plus doc examples).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::hints::Hints;
use crate::shrink::shrinking_boxed;

/// Digit runs past the common integer types, by length: 10 (past `u32` / `i32`), 11, 20 (past `u64`), 40
/// (past `u128`), and the first values past `u8`, `i8`, `u16`, `i32`.
pub const OVERSIZED: &[&str] = &[
    "99999999999",
    "4294967296",
    "9999999999",
    "18446744073709551616",
    "99999999999999999999",
    "9999999999999999999999999999999999999999",
    "2147483648",
    "256",
    "65536",
    "128",
];

/// Structured shapes with numeric slots, used when a function offers no examples of its own: versions,
/// assignments, pairs, indices, ranges, dates, times, addresses, sizes, JSON.
pub const COMMON_SHAPES: &[&str] = &[
    "1.2.3",
    "x=5",
    "1:2",
    "a[1]",
    "1-2",
    "#1",
    "1,2",
    "1x2",
    "1..2",
    "{\"a\":1}",
    "[1,2]",
    "2020-01-02",
    "12:30:00",
    "127.0.0.1:80",
    "1/2",
    "v1.2.3",
    "a1",
    "1e5",
    "1.5",
    "10%",
    "5s",
    "1 2 3",
];

/// Characters after which a literal expects a number.
const SEPARATORS: &str = "=:., /-_[(@#xv+*";

/// Byte ranges of the numeric slots of `example`: its ASCII digit runs, or, without any, its end when it
/// ends in a separator (or is empty of digits: the number is appended).
#[must_use]
pub fn slots(example: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let b = example.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            out.push(start..i);
        } else {
            i += 1;
        }
    }
    if out.is_empty() || example.ends_with(|c| SEPARATORS.contains(c)) {
        out.push(example.len()..example.len());
    }
    out
}

/// `example` with the slot at `which` (or every slot, `None`) replaced by `number`, `-` in front when
/// `negative` and the slot has no sign yet.
#[must_use]
pub fn substitute(example: &str, which: Option<usize>, number: &str, negative: bool) -> String {
    let all = slots(example);
    let mut out = String::with_capacity(example.len() + number.len() * all.len());
    let mut last = 0;
    for (k, r) in all.iter().enumerate() {
        if which.is_some_and(|w| w % all.len() != k) {
            continue;
        }
        out.push_str(&example[last..r.start]);
        if negative && !example[..r.start].ends_with('-') {
            out.push('-');
        }
        out.push_str(number);
        last = r.end;
    }
    out.push_str(&example[last..]);
    out
}

/// `examples` (the common shapes when empty) with one numeric slot, or all of them, replaced by an oversized
/// digit run, a quarter of the time negative.
pub fn oversized_in(examples: &[&str]) -> BoxedStrategy<String> {
    let list: Vec<String> = if examples.is_empty() {
        COMMON_SHAPES
    } else {
        examples
    }
    .iter()
    .map(|e| (*e).to_owned())
    .collect();
    let number = one_of(OVERSIZED.iter().map(|n| (*n).to_owned()).collect());
    let which = prop_oneof![3 => any::<prop::sample::Index>().prop_map(Some), 1 => Just(None)];
    let negative = prop_oneof![3 => Just(false), 1 => Just(true)];
    shrinking_boxed(
        (one_of(list), which, number, negative).prop_map(|(e, w, n, neg)| {
            let k = w.map(|i| i.index(slots(&e).len()));
            substitute(&e, k, &n, neg)
        }),
    )
}

/// The numeric-slot part of a string mix: doc `examples` (`&[]` until the hints carry them) and the mined
/// literals that have a slot worth filling (a digit, or an ending separator) when there are any, three
/// times as often as the common shapes.
pub fn slots_for(hints: &Hints, examples: &[&str]) -> BoxedStrategy<String> {
    let mut own: Vec<&str> = examples.to_vec();
    own.extend(hints.strings.iter().copied().filter(|s| {
        !s.is_empty()
            && s.len() <= 256
            && (s.bytes().any(|b| b.is_ascii_digit()) || s.ends_with(|c| SEPARATORS.contains(c)))
    }));
    if own.is_empty() {
        return oversized_in(&[]);
    }
    prop_oneof![3 => oversized_in(&own), 1 => oversized_in(&[])].boxed()
}

/// Exponents a decimal or big-number parser raises 10 to: 10 and 11 digits, `i32::MAX`, past `u32`, signed.
pub const HUGE_EXPONENTS: &[&str] = &[
    "1000000000",
    "99999999999",
    "2147483647",
    "4294967296",
    "+999999999",
    "-999999999",
];

/// Units written after a number: time, size and length units, none, or after a space.
const UNITS: &[&str] = &["", "s", "ms", " s", "h", "m", "d", "kb", "px", "%"];

/// Numbers in scientific notation with a huge exponent (`1e1000000000`, `1.5E+999999999ms`), followed by a
/// common unit or by a word of the function's or parameter's name (`duration_millis` → `1e99999999999millis`).
/// A parser that computes `10^exp` in a big integer or a decimal, or loops `exp` times, takes unbounded time
/// or memory on these; a float parser answers infinity at once.
pub fn huge_exponents(hints: &Hints) -> BoxedStrategy<String> {
    let mut units: Vec<String> = UNITS.iter().map(|u| (*u).to_owned()).collect();
    for w in hints.function.split('_').chain(hints.param.split('_')) {
        if w.len() >= 2
            && w.bytes().all(|b| b.is_ascii_alphabetic())
            && !units.iter().any(|u| u == w)
        {
            units.push(w.to_ascii_lowercase());
        }
    }
    let mantissa = one_of(vec!["1", "1.5", "-1", "9"]);
    let e = prop_oneof![3 => Just("e"), 1 => Just("E")];
    shrinking_boxed(
        (mantissa, e, one_of(HUGE_EXPONENTS.to_vec()), one_of(units))
            .prop_map(|(m, e, x, u)| format!("{m}{e}{x}{u}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn each_slot_gets_each_length() {
        assert_eq!(
            substitute("1.2.3", Some(2), "99999999999", false),
            "1.2.99999999999"
        );
        assert_eq!(
            substitute("x=5", None, "99999999999999999999", true),
            "x=-99999999999999999999"
        );
        assert_eq!(
            substitute("timeout=", Some(0), "4294967296", false),
            "timeout=4294967296"
        );
        assert_eq!(
            substitute("a-1", Some(0), "256", true),
            "a-256",
            "the sign is already there"
        );
        let v = samples(&oversized_in(&["1.2.3", "x=5"]), 500);
        for slot in 0..3 {
            for len in [10, 11, 20, 40] {
                assert!(
                    v.iter().any(|s| {
                        let parts: Vec<&str> = s.split('.').collect();
                        parts.len() == 3
                            && parts[slot].len() == len
                            && parts[slot].bytes().all(|b| b.is_ascii_digit())
                    }),
                    "slot {slot}, {len} digits"
                );
            }
        }
        assert!(v.iter().any(|s| s == "x=-99999999999999999999"));
        assert!(
            v.iter().any(|s| s.starts_with("-") && s.contains('.')),
            "signed"
        );
    }

    #[test]
    fn mined_literals_with_slots_are_used() {
        let h = Hints {
            strings: &["port:", "v1.0", "hello"],
            ..Hints::NONE
        };
        let v = samples(&slots_for(&h, &[]), 400);
        assert!(v.iter().any(|s| s == "port:99999999999"));
        assert!(v.iter().any(|s| s == "v1.18446744073709551616"));
        assert!(!v.iter().any(|s| s.starts_with("hello")));
        assert!(
            v.iter().any(
                |s| (s.starts_with("x=") || s.starts_with("a[") || s.contains(':')) && s.len() > 10
            ),
            "common shapes too"
        );
    }

    #[test]
    fn huge_exponents_come_with_units_and_name_words() {
        let h = Hints {
            function: "duration_millis",
            ..Hints::NONE
        };
        let v = samples(&huge_exponents(&h), 4000);
        for unit in ["", "s", "ms", "millis"] {
            assert!(
                v.iter().any(|s| s == &format!("1e1000000000{unit}")),
                "unit {unit:?}"
            );
        }
        assert!(v.iter().any(|s| s.contains("E+999999999")));
        assert!(v.iter().all(|s| s.contains(['e', 'E'])));
    }
}
