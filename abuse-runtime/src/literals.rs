//! Literal hints: the strings and integers the function body compares against, used as they are and mutated
//! (as a prefix of garbage, after garbage, truncated, one character or byte changed, doubled, combined, composed
//! in body order with boundary numbers between).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::hints::Hints;

/// Characters swapped into a literal by the "one character changed" mutation.
const SWAPS: &[char] = &[
    '\0', 'x', 'é', '€', '😀', ' ', '\u{301}', '.', '/', '0', '9', '-',
];

/// Garbage that follows or precedes a literal.
fn garbage() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[ -~]{0,12}",
        2 => crate::strings::multibyte_at_offsets(),
        1 => one_of(crate::strings::near_numbers()),
        1 => one_of(crate::strings::traversal()),
        1 => one_of(crate::strings::unbalanced()),
        1 => Just(String::new()),
    ]
    .boxed()
}

/// String literals from the hints, as they are and mutated. Without literals: the empty string.
pub fn string_literals(hints: &Hints) -> BoxedStrategy<String> {
    let mut lits: Vec<String> = hints.strings.iter().map(|s| (*s).to_owned()).collect();
    for w in hints.words.iter().chain(hints.examples) {
        if !lits.iter().any(|l| l == w) {
            lits.push((*w).to_owned());
        }
    }
    if lits.is_empty() {
        return Just(String::new()).boxed();
    }
    // In body order when the hints say it; the sorted literals otherwise.
    let words = if hints.words.is_empty() {
        hints.strings
    } else {
        hints.words
    };
    let lit = one_of(lits.clone());
    prop_oneof![
        3 => lit.clone(),
        4 => (lit.clone(), garbage()).prop_map(|(l, g)| l + &g),
        2 => (garbage(), lit.clone()).prop_map(|(g, l)| g + &l),
        2 => (lit.clone(), garbage(), lit.clone(), garbage()).prop_map(|(a, g, b, h)| format!("{a}{g}{b}{h}")),
        2 => (lit.clone(), any::<prop::sample::Index>()).prop_map(|(l, i)| {
            let n = l.chars().count();
            l.chars().take(if n == 0 { 0 } else { i.index(n) }).collect::<String>()
        }),
        2 => (lit.clone(), any::<prop::sample::Index>(), one_of(SWAPS.to_vec())).prop_map(|(l, i, c)| {
            let n = l.chars().count();
            if n == 0 {
                return c.to_string();
            }
            let at = i.index(n);
            l.chars().enumerate().map(|(k, x)| if k == at { c } else { x }).collect()
        }),
        1 => (lit.clone(), 2..4usize).prop_map(|(l, n)| l.repeat(n)),
        // The function's own delimiters nested deeply: unbounded recursion on what it actually parses.
        2 => (lit.clone(), one_of(vec![64usize, 10_000, 100_000, 100_000])).prop_map(|(l, n)| if l.len() <= 4 { l.repeat(n) } else { l }),
        2 => (garbage(), lit.clone(), 1..4usize, garbage()).prop_map(|(g, l, n, h)| format!("{g}{}{h}", l.repeat(n))),
        1 => lit.prop_map(|l| l.chars().map(|c| if c.is_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }).collect()),
        // The literals in body order with boundary numbers between: a branch behind a command word and a
        // separator (see `crate::keywords`).
        4 => crate::keywords::compositions(words),
    ]
    .boxed()
}

/// Strings whose byte length is a hinted integer (±1), optionally after a hinted string literal, with one
/// multi-byte character at a random offset: fixed-width fields (`if s.len() != 6`) sliced by byte index.
/// Without hinted integers in 1..=4096: the empty string.
pub fn sized_strings(hints: &Hints) -> BoxedStrategy<String> {
    let sizes: Vec<usize> = hints
        .ints
        .iter()
        // The exact length twice as often as its neighbours.
        .flat_map(|&i| [i, i, i - 1, i + 1])
        .filter(|i| (2..=4096).contains(i))
        .map(|i| i as usize)
        .collect();
    if sizes.is_empty() {
        return Just(String::new()).boxed();
    }
    // Mostly after a literal: a fixed-width field usually follows a tag or prefix the function checks.
    let mut prefixes: Vec<String> = vec![String::new()];
    for s in hints.strings {
        prefixes.extend([(*s).to_owned(), (*s).to_owned(), (*s).to_owned()]);
    }
    (
        one_of(prefixes),
        one_of(sizes),
        one_of(vec!["é", "€", "😀", "e\u{301}"]),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(prefix, n, mb, at)| {
            if mb.len() > n {
                return format!("{prefix}{}", "a".repeat(n));
            }
            let pos = at.index(n - mb.len() + 1);
            format!(
                "{prefix}{}{mb}{}",
                "a".repeat(pos),
                "b".repeat(n - mb.len() - pos)
            )
        })
        .boxed()
}

/// Byte literals from the hints (mined byte literals, then the string literals' bytes), as they are and mutated, including
/// followed by length prefixes. Without literals: the empty vector.
pub fn byte_literals(hints: &Hints) -> BoxedStrategy<Vec<u8>> {
    let mut lits: Vec<Vec<u8>> = hints.bytes.iter().map(|b| b.to_vec()).collect();
    for s in hints.strings {
        if !lits.iter().any(|l| l == s.as_bytes()) {
            lits.push(s.as_bytes().to_vec());
        }
    }
    if lits.is_empty() {
        return Just(Vec::new()).boxed();
    }
    let lit = one_of(lits);
    prop_oneof![
        2 => lit.clone(),
        4 => (lit.clone(), crate::bytes::length_prefixed()).prop_map(|(mut l, p)| { l.extend(p); l }),
        2 => (lit.clone(), prop::collection::vec(any::<u8>(), 0..16)).prop_map(|(mut l, g)| { l.extend(g); l }),
        1 => (lit.clone(), any::<prop::sample::Index>(), any::<u8>()).prop_map(|(mut l, i, b)| {
            if !l.is_empty() {
                let at = i.index(l.len());
                l[at] ^= b | 1;
            }
            l
        }),
        1 => (lit, any::<prop::sample::Index>()).prop_map(|(l, i)| {
            let n = if l.is_empty() { 0 } else { i.index(l.len()) };
            l[..n].to_vec()
        }),
    ]
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn literals_appear_as_is_and_as_prefix_of_garbage() {
        let h = Hints {
            strings: &["FRM1", "/*"],
            ..Hints::NONE
        };
        let v = samples(&string_literals(&h), 256);
        assert!(v.iter().any(|s| s == "/*"));
        assert!(v.iter().any(|s| s.starts_with("FRM1") && s.len() > 4));
        assert!(
            v.iter()
                .any(|s| s.len() < 4 && "FRM1".starts_with(s.as_str())),
            "truncated"
        );
    }

    #[test]
    fn literals_compose_in_order_with_boundary_numbers() {
        let h = Hints {
            strings: &["GET ", "timeout", ":"],
            ..Hints::NONE
        };
        let v = samples(&string_literals(&h), 2000);
        for want in ["GET timeout:0", "GET timeout:-1", "GET timeout:65535"] {
            assert!(v.iter().any(|s| s == want), "{want}");
        }
    }

    #[test]
    fn words_compose_in_body_order_not_sorted_order() {
        let h = Hints {
            strings: &[":", "GET ", "timeout"],
            words: &["GET ", "timeout", ":"],
            ..Hints::NONE
        };
        let v = samples(&string_literals(&h), 2000);
        assert!(v.iter().any(|s| s == "GET timeout:65535"));
    }

    #[test]
    fn mined_byte_literals_are_used_as_they_are() {
        let h = Hints {
            bytes: &[b"\x89PNG"],
            ..Hints::NONE
        };
        let v = samples(&byte_literals(&h), 256);
        assert!(v.iter().any(|b| b.as_slice() == b"\x89PNG"));
        assert!(v.iter().any(|b| b.starts_with(b"\x89PNG") && b.len() > 4));
    }

    #[test]
    fn sized_strings_have_hinted_byte_lengths_and_split_chars() {
        let h = Hints {
            strings: &["#"],
            ints: &[6],
            ..Hints::NONE
        };
        let v = samples(&sized_strings(&h), 256);
        assert!(v
            .iter()
            .any(|s| s.len() == 7 && s.starts_with('#') && !s.is_char_boundary(3)));
    }

    #[test]
    fn byte_literals_are_followed_by_length_prefixes() {
        let h = Hints {
            strings: &["FRM1"],
            ..Hints::NONE
        };
        let v = samples(&byte_literals(&h), 256);
        assert!(v.iter().any(|b| b.starts_with(b"FRM1\xff\xff\xff\xff")));
    }
}
