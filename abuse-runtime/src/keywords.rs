//! Keyword-gated paths: strings composed of the function's own string literals in the order given (the
//! generator passes them in body order), joined with nothing or a space, with a boundary number after the
//! last word, after every word, or none: `GET ` + `timeout` + `:` + `0` / `-1` / `65535` / `4294967296`. A
//! branch behind a command word and a separator is reached without fuzzing.
//!
//! Entry points: [`compositions`] (the literals in body order), [`dictionary`] (the same compositions as a
//! fixed list, for the fuzz dictionary).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::shrink::shrinking_boxed;

/// Numbers placed after keywords: zero, −1, the edges of u8, u16, i32, u32, u64, and an empty value.
pub const BOUNDARY_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "65535",
    "65536",
    "4294967296",
    "1",
    "255",
    "256",
    "2147483648",
    "-2147483649",
    "4294967295",
    "18446744073709551616",
    "99999999999999999999",
    "",
];

/// Where the number goes.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// After the last word.
    End,
    /// After every word.
    Each,
    /// Nowhere.
    None,
}

/// `words` (at most the first 16 are used) joined by `sep`, with `number` per `place`.
fn compose(words: &[String], sep: &str, number: &str, place: Place) -> String {
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(w);
        if matches!(place, Place::Each) && i + 1 < words.len() {
            out.push_str(sep);
            out.push_str(number);
        }
    }
    if !matches!(place, Place::None) {
        out.push_str(sep);
        out.push_str(number);
    }
    out
}

/// Compositions of `words` in their order: all of them, a run of neighbours, or any subsequence, joined with
/// nothing or a space, with a boundary number after the last, after each, or none. Without words: the empty
/// string.
pub fn compositions(words: &[&str]) -> BoxedStrategy<String> {
    let words: Vec<String> = words
        .iter()
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| (*w).to_owned())
        .collect();
    if words.is_empty() {
        return Just(String::new()).boxed();
    }
    let n = words.len();
    let all = Just(words.clone());
    let run = (0..n, 1..=n.min(4)).prop_map({
        let words = words.clone();
        move |(start, len)| words[start..(start + len).min(n)].to_vec()
    });
    let sub = prop::sample::subsequence(words, 1..=n);
    let chosen = prop_oneof![2 => all, 2 => run, 1 => sub];
    let sep = prop_oneof![2 => Just(""), 1 => Just(" ")];
    let number = one_of(BOUNDARY_NUMBERS.to_vec());
    let place = prop_oneof![3 => Just(Place::End), 1 => Just(Place::Each), 1 => Just(Place::None)];
    shrinking_boxed(
        (chosen, sep, number, place).prop_map(|(w, sep, num, place)| compose(&w, sep, num, place)),
    )
}

/// A fixed list of compositions for a fuzz dictionary: each run of 1 to 3 neighbouring words joined with
/// nothing and with a space, alone and followed by `0`, `-1` and `65535`; at most `max` entries.
#[must_use]
pub fn dictionary(words: &[&str], max: usize) -> Vec<String> {
    let words: Vec<String> = words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| (*w).to_owned())
        .collect();
    let mut out: Vec<String> = Vec::new();
    for len in 1..=3usize {
        for start in 0..words.len().saturating_sub(len - 1) {
            for sep in ["", " "] {
                for num in ["", "0", "-1", "65535"] {
                    let place = if num.is_empty() {
                        Place::None
                    } else {
                        Place::End
                    };
                    let s = compose(&words[start..start + len], sep, num, place);
                    if !out.contains(&s) {
                        out.push(s);
                    }
                    if out.len() >= max {
                        return out;
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn words_keep_their_order_with_boundary_numbers_between() {
        let v = samples(&compositions(&["GET ", "timeout", ":"]), 1000);
        for want in [
            "GET timeout:0",
            "GET timeout:-1",
            "GET timeout:65535",
            "GET timeout:4294967296",
            "timeout:0",
        ] {
            assert!(v.iter().any(|s| s == want), "{want}");
        }
        assert!(v.iter().any(|s| s == "GET  timeout : 65535"), "spaced");
        assert!(
            v.iter().any(|s| s == "GET 0timeout0:0"),
            "a number after each word"
        );
        assert!(
            !v.iter().any(|s| s.starts_with(':') && s.contains("GET")),
            "order kept"
        );
    }

    #[test]
    fn the_dictionary_is_bounded_and_ordered() {
        let d = dictionary(&["GET ", "timeout", ":"], 100);
        assert!(d.contains(&"GET timeout".to_owned()) && d.contains(&"timeout:65535".to_owned()));
        assert!(!d.iter().any(|s| s.starts_with("timeoutGET")));
        assert_eq!(dictionary(&["a", "b", "c", "d"], 5).len(), 5);
    }
}
