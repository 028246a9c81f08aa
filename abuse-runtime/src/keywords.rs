//! Keyword-gated paths: strings composed of the function's own string literals in the order given (the
//! generator passes them in body order), joined with nothing or a space, with a boundary number after the
//! last word, after every word, or none: `GET ` + `timeout` + `:` + `0` / `-1` / `65535` / `4294967296`. A
//! branch behind a command word and a separator is reached without fuzzing.
//!
//! The function's and the parameter's names offer field names too ([`name_keys`]): [`named_fields`] writes
//! them as `key=value` fields holding numbers that overflow once scaled (`max-age=9223372036854775807`).
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

/// Words of a name that name no field: verbs and connectives.
const NAME_NOISE: &[&str] = &[
    "get", "set", "parse", "is", "to", "from", "of", "the", "new", "read", "decode", "check",
    "try", "fn", "and", "or", "in", "on", "at", "by", "for", "with", "as",
];

/// Field names a function or parameter name suggests (`cookie_max_age_secs` → `max-age`, `max_age`,
/// `maxAge`, `maxage`, `cookie`, `max`, `age`, `secs`…): each word and each pair of neighbouring words in
/// kebab, snake, camel and run-together case, the function's words first. A parser whose branch is gated by a
/// field name (`Max-Age=`, `timeout:`) often names itself after that field.
#[must_use]
pub fn name_keys(function: &str, param: &str) -> Vec<String> {
    let words: Vec<String> = function
        .split('_')
        .chain(param.split('_'))
        .map(str::to_ascii_lowercase)
        .filter(|w| w.len() >= 2 && !NAME_NOISE.contains(&w.as_str()))
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut push = |k: String| {
        if !out.contains(&k) {
            out.push(k);
        }
    };
    for pair in words.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let mut cap = b.clone();
        cap[..1].make_ascii_uppercase();
        push(format!("{a}-{b}"));
        push(format!("{a}_{b}"));
        push(format!("{a}{cap}"));
        push(format!("{a}{b}"));
    }
    for w in &words {
        push(w.clone());
    }
    out
}

/// Values for a named numeric field: in range of `i64`/`u64` yet overflowing once multiplied by a unit
/// (`i64::MAX`, 17 digits, `u64::MAX`, `i64::MIN`), past `u32`, past `u64` and `u128`, and −1.
pub const FIELD_NUMBERS: &[&str] = &[
    "9223372036854775807",
    "99999999999999999",
    "18446744073709551615",
    "-9223372036854775808",
    "4294967296",
    "-1",
    "99999999999999999999",
    "9999999999999999999999999999999999999999",
];

/// Named numeric fields: every key of [`name_keys`] (or one of them) followed by `=`, `: ` or a space and
/// one number of [`FIELD_NUMBERS`], the fields joined by `; `, `&`, a newline or `, `; a single field is
/// sometimes after a first `a=b` pair. Reaches `Max-Age=9223372036854775807` in a cookie parser from its
/// name alone. Without keys: the empty string.
pub fn named_fields(function: &str, param: &str) -> BoxedStrategy<String> {
    let keys = name_keys(function, param);
    if keys.is_empty() {
        return Just(String::new()).boxed();
    }
    let chosen = prop_oneof![
        2 => Just(keys.clone()),
        1 => one_of(keys).prop_map(|k| vec![k]),
    ];
    let kv = prop_oneof![4 => Just("="), 1 => Just(": "), 1 => Just(" ")];
    let sep = prop_oneof![2 => Just("; "), 1 => Just("&"), 1 => Just("\n"), 1 => Just(", ")];
    let number = one_of(FIELD_NUMBERS.to_vec());
    shrinking_boxed((chosen, kv, sep, number, any::<bool>()).prop_map(
        |(keys, kv, sep, n, lead)| {
            let mut fields: Vec<String> = keys.iter().map(|k| format!("{k}{kv}{n}")).collect();
            if keys.len() == 1 && lead {
                fields.insert(0, format!("a{kv}b"));
            }
            fields.join(sep)
        },
    ))
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

    #[test]
    fn names_give_field_keys_in_every_case() {
        let k = name_keys("cookie_max_age_secs", "header");
        for want in [
            "max-age", "max_age", "maxAge", "maxage", "cookie", "age", "header",
        ] {
            assert!(k.iter().any(|x| x == want), "{want} in {k:?}");
        }
        assert!(!name_keys("parse_is", "").iter().any(|x| x == "parse"));
    }

    #[test]
    fn named_fields_hold_numbers_that_overflow_when_scaled() {
        let v = samples(&named_fields("cookie_max_age_secs", "header"), 500);
        for n in [
            "9223372036854775807",
            "99999999999999999",
            "-9223372036854775808",
        ] {
            assert!(
                v.iter().any(|s| s.starts_with(&format!("cookie-max={n}; "))
                    && s.contains(&format!("; max-age={n}"))),
                "every key after a first pair, with {n}"
            );
        }
        assert!(
            v.iter()
                .any(|s| s.starts_with("a=b; ") && s.matches('=').count() == 2),
            "one field after a first pair"
        );
        assert!(v.iter().any(|s| s.contains("maxAge: ")));
        assert_eq!(samples(&named_fields("", ""), 3), vec![String::new(); 3]);
    }
}
