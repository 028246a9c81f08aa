//! Valid inputs with a multi-byte stretch: a valid example (a doc example, a literal the package's or a
//! dependency's tests pass) whose last field, or second half, is rewritten as 4- or 3-byte characters of the
//! same total byte length.
//!
//! Why: a parser of a fixed layout checks the length and the separators, then slices its fields at fixed
//! byte offsets (`&hash[7..][..22]`). Multi-byte characters placed from scratch ([`crate::strings::
//! multibyte_cuts`]) do not pass its gates, and one character placed at random in a valid input lands on
//! the one offset that matters about once per input length. A stretch keeps the length and every separator
//! before it, and puts three of every four offsets inside it mid-character (two of three for 3-byte ones).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// Examples longer than this are documents, not fields: no stretch.
const MAX_EXAMPLE: usize = 4096;

/// The most examples whose stretches are drawn first ([`stretch_forms`]).
const MAX_FORM_EXAMPLES: usize = 8;

/// The characters a stretch is made of, by width.
const FOUR: char = '😀';
const THREE: char = '€';

/// Byte offsets where a stretch may start: after the last separator (the last field), and the middle
/// (on a character boundary). Never 0 (the whole input would change, and its gates with it) and never the
/// end (nothing to rewrite).
fn starts(example: &str) -> Vec<usize> {
    let n = example.len();
    let mut out = Vec::new();
    if let Some((i, c)) = example
        .char_indices()
        .rfind(|(_, c)| c.is_ascii_punctuation() || c.is_whitespace())
    {
        out.push(i + c.len_utf8());
    }
    let mut mid = n / 2;
    while !example.is_char_boundary(mid) {
        mid += 1;
    }
    out.push(mid);
    out.retain(|&s| s > 0 && s + 2 <= n);
    out.dedup();
    out
}

/// `example` with the bytes from `start` on rewritten as `wide` characters (then ASCII for the remainder):
/// the same byte length, the same bytes before `start`.
fn stretch(example: &str, start: usize, wide: char) -> String {
    let len = example.len() - start;
    let w = wide.len_utf8();
    let mut out = String::with_capacity(example.len());
    out.push_str(&example[..start]);
    out.extend(std::iter::repeat_n(wide, len / w));
    out.extend(std::iter::repeat_n('a', len % w));
    out
}

/// Every stretch of every example: each start, 4-byte and 3-byte characters.
pub fn stretches(examples: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for e in examples.iter().filter(|e| e.len() <= MAX_EXAMPLE) {
        for start in starts(e) {
            for wide in [FOUR, THREE] {
                let s = stretch(e, start, wide);
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// The stretches as a part of a string mix (shrinking); `None` when no example has one.
pub fn stretches_part(examples: &[&str]) -> Option<BoxedStrategy<String>> {
    let all = stretches(examples);
    (!all.is_empty()).then(|| crate::shrink::shrinking_boxed(proptest::sample::select(all)))
}

/// One form per example (the first [`MAX_FORM_EXAMPLES`]): its first stretch of 4-byte characters.
pub fn stretch_forms(examples: &[&str]) -> Vec<BoxedStrategy<String>> {
    examples
        .iter()
        .filter(|e| e.len() <= MAX_EXAMPLE)
        .filter_map(|e| starts(e).first().map(|&s| stretch(e, s, FOUR)))
        .take(MAX_FORM_EXAMPLES)
        .map(|s| crate::shrink::shrinking_boxed(Just(s)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stretch_keeps_the_length_and_everything_before_the_last_field() {
        let hash = "$2b$04$EGdrhbKUv8Oc9vGiXX0HQOxSg445d458Muh7DAHskb6QbtCvdxcie";
        let all = stretches(&[hash]);
        assert!(!all.is_empty());
        for s in &all {
            assert_eq!(s.len(), hash.len(), "{s}");
            assert_ne!(s, hash);
        }
        // The first: 4-byte characters from the byte after the last `$` on.
        assert_eq!(&all[0][..7], "$2b$04$");
        assert!(all[0][7..].starts_with('😀'));
        // A fixed cut inside the last field lands mid-character in the 4-byte stretch or the 3-byte one,
        // but where both have a boundary (every 12 bytes).
        let missed: Vec<usize> = (8..hash.len())
            .filter(|&cut| all.iter().all(|s| s.is_char_boundary(cut)))
            .collect();
        assert_eq!(missed, [19], "cuts that are a boundary in every stretch");
    }

    #[test]
    fn no_stretch_of_an_input_too_short_or_too_long() {
        assert!(stretches(&["a", ""]).is_empty());
        assert!(stretches(&[&"x".repeat(MAX_EXAMPLE + 1)]).is_empty());
        // No separator: the middle on.
        let s = stretches(&["abcdefgh"]);
        assert_eq!(s[0], "abcd😀");
    }

    #[test]
    fn forms_are_one_per_example_up_to_the_cap() {
        let examples: Vec<String> = (0..12).map(|i| format!("key{i}=value{i}")).collect();
        let refs: Vec<&str> = examples.iter().map(String::as_str).collect();
        assert_eq!(stretch_forms(&refs).len(), MAX_FORM_EXAMPLES);
        assert!(stretch_forms(&[]).is_empty());
    }
}
