//! Catastrophic backtracking: patterns with many wildcard groups (`a*a*a*…b`, `*?*?…b`, `**/**/…/b`,
//! `(a|a)*b`, `(a+)+b`, `%a%a…b`) for parameters named like a pattern, and long runs that never complete the
//! match (`aaaa…` 30 to 10,000 long, `a/a/a/…`, with or without a trailing `!`) for the text they are matched
//! against. A naive recursive matcher takes exponential or O(n^k) time on such a pair; a correct one
//! (dynamic programming, a regex automaton) takes at most pattern × text steps, well under the time limit.
//!
//! The pattern and the text are drawn independently, so each gets a large share of its parameter's mix
//! ([`shares`]): a third when the function is a matcher (its name says `match`, `glob`, `wildcard`…, or its
//! literals hold `*` or `?`), so both land together in about one case in nine.
//!
//! Counted repetitions with huge counts (`(?:){4294967295}`, `a{1000}{1000}`) are patterns too: [`counted`].
//!
//! Entry points: [`patterns`] (wildcards mined from the literals), [`haystacks`], [`shares`].

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::hints::{name_has, Hints};
use crate::shrink::shrinking_boxed;

/// Words of a parameter name that hold a pattern.
const PATTERN_WORDS: &[&str] = &[
    "pattern", "pat", "glob", "regex", "regexp", "re", "wildcard", "mask", "filter", "matcher",
    "spec", "expr",
];

/// Words of a parameter name that hold the text a pattern is matched against.
const TEXT_WORDS: &[&str] = &[
    "text",
    "input",
    "name",
    "path",
    "haystack",
    "subject",
    "s",
    "str",
    "string",
    "target",
    "candidate",
    "value",
    "line",
    "key",
    "topic",
    "filename",
    "word",
    "host",
];

/// Words of a function name that make it a matcher.
const MATCHER_WORDS: &[&str] = &[
    "match", "matches", "matching", "matcher", "glob", "wildcard", "fnmatch", "like", "regex",
    "pattern",
];

/// Wildcards every matcher family uses: glob `*` and `?`, SQL `LIKE` `%` and `_`.
const COMMON_WILDCARDS: &[&str] = &["*", "?", "%", "_"];

/// Regular expressions with nested or ambiguous quantifiers (exponential on a backtracking engine).
const REGEXES: &[&str] = &[
    "(a+)+b",
    "(a*)*b",
    "(a|a)*b",
    "(a|aa)*b",
    "(a|a?)+b",
    "^(a+)+$",
    "(.*a){12}b",
    "(a?){30}a{30}b",
    "(\\w+\\s?)*$",
    "([a-z]+)*!b",
];

/// Sub-patterns a counted repetition repeats: empty and zero-width ones (which add nothing to a compiled
/// program's size, so a size limit never stops them), optional and plain ones.
const REPEATED: &[&str] = &["(?:)", "()", "(|a)", "\\b", "(?:a?)", "a", "."];

/// Repetition counts past what an engine unrolls: 10^3 to `u32::MAX`.
const COUNTS: &[&str] = &[
    "4294967295",
    "2147483647",
    "1000000",
    "100000",
    "65535",
    "1000",
];

/// Counted repetitions with huge counts, alone and nested: `(?:){4294967295}`, `a{1000}{1000}`,
/// `(){65535}{65535}`. A compiler that unrolls the count, or a matcher that loops over it, takes unbounded
/// time or memory.
pub fn counted() -> BoxedStrategy<String> {
    shrinking_boxed(
        (
            one_of(REPEATED.to_vec()),
            one_of(COUNTS.to_vec()),
            one_of(COUNTS.to_vec()),
            0..3u8,
        )
            .prop_map(|(r, n, m, form)| match form {
                0 => format!("{r}{{{n}}}"),
                1 => format!("{r}{{{n}}}{{{m}}}"),
                _ => format!("(?:{r}{{{n}}}){{{m}}}"),
            }),
    )
}

/// Whether the parameter's name says it holds a pattern.
#[must_use]
pub fn is_pattern_param(hints: &Hints) -> bool {
    name_has(hints.param, PATTERN_WORDS)
}

/// Whether the parameter's name says it holds text to match.
#[must_use]
pub fn is_text_param(hints: &Hints) -> bool {
    name_has(hints.param, TEXT_WORDS)
}

/// Whether the function matches patterns: its name has a matcher word, or its literals hold a `*` or `?`
/// wildcard.
#[must_use]
pub fn is_matcher(hints: &Hints) -> bool {
    name_has(hints.function, MATCHER_WORDS)
        || hints
            .function
            .split('_')
            .any(|w| w.starts_with("match") || w.starts_with("glob"))
        || hints
            .strings
            .iter()
            .any(|s| !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c == '*' || c == '?'))
}

/// Short punctuation literals that may be wildcards (`*`, `?`, `**`, `%`, `#`, `+`).
#[must_use]
pub fn wildcards_from_literals(literals: &[&str]) -> Vec<String> {
    literals
        .iter()
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 2
                && s.chars()
                    .all(|c| c.is_ascii_punctuation() && c != '/' && c != '\\')
        })
        .map(|s| (*s).to_owned())
        .collect()
}

/// Patterns with 8 to 64 wildcard groups that end in a `b` the text never has: `a*a*…b`, `*a*a…b`,
/// `****b`, `*?*?…b`, `**/**/…/b`, `%a%a…b` for each of `wildcards` (mined) and the common ones, and
/// regexes with nested quantifiers.
pub fn patterns(wildcards: &[&str]) -> BoxedStrategy<String> {
    let mut cards: Vec<String> = COMMON_WILDCARDS.iter().map(|w| (*w).to_owned()).collect();
    for w in wildcards {
        if !cards.iter().any(|c| c == w) {
            cards.push((*w).to_owned());
        }
    }
    let groups = one_of(vec![8usize, 12, 16, 24, 32, 64]);
    let templated = (one_of(cards), groups, 0..5u8).prop_map(|(w, k, form)| match form {
        0 => format!("{}b", format!("a{w}").repeat(k)),
        1 => format!("{}b", format!("{w}a").repeat(k)),
        2 => format!("{}b", w.repeat(k)),
        3 => format!("{}b", format!("{w}?").repeat(k)),
        _ => format!("{}/b", format!("{w}{w}/").repeat(k)),
    });
    let fixed = one_of(REGEXES.iter().map(|r| (*r).to_owned()).collect());
    shrinking_boxed(prop_oneof![4 => templated, 1 => fixed])
}

/// Long runs no pattern of [`patterns`] completes: `a` × 30 to 10,000, the same with a trailing `!`, and
/// path-like `a/a/…` and `a.a.…` runs.
pub fn haystacks() -> BoxedStrategy<String> {
    let lengths = one_of(vec![30usize, 32, 40, 64, 100, 1_000, 10_000]);
    shrinking_boxed((lengths, 0..4u8).prop_map(|(n, form)| match form {
        0 => "a".repeat(n),
        1 => format!("{}!", "a".repeat(n)),
        2 => "a/".repeat(n.min(2_000)),
        _ => "a.".repeat(n.min(2_000)),
    }))
}

/// The shares (per 1,000 of the parameter's mix) the patterns and the haystacks take: for a matcher
/// function a third for the part the parameter's name says (both a quarter when it says neither); else a
/// quarter of patterns for a pattern-named parameter and a sixteenth of haystacks for a text-named one. A
/// pattern-named parameter also gets [`COUNTED_SHARE`] of counted repetitions ([`parts`]).
#[must_use]
pub fn shares(hints: &Hints) -> (u32, u32) {
    let pattern = is_pattern_param(hints);
    let text = !pattern && is_text_param(hints);
    if is_matcher(hints) {
        match (pattern, text) {
            (true, _) => (333, 0),
            (_, true) => (0, 333),
            _ => (250, 250),
        }
    } else if pattern {
        (250, 0)
    } else if text {
        (0, 62)
    } else {
        (0, 0)
    }
}

/// The share (per 1,000) of a pattern parameter's mix that [`counted`] takes, besides [`shares`].
pub const COUNTED_SHARE: u32 = 100;

/// The backtracking parts of a parameter's mix, each with its share per 1,000 (see [`shares`]); empty when
/// the parameter is neither a pattern nor matched text.
pub fn parts(hints: &Hints) -> Vec<(u32, BoxedStrategy<String>)> {
    let (p, t) = shares(hints);
    let mut out = Vec::new();
    if p > 0 {
        let mined = wildcards_from_literals(hints.strings);
        let mined: Vec<&str> = mined.iter().map(String::as_str).collect();
        out.push((p, patterns(&mined)));
    }
    if t > 0 {
        out.push((t, haystacks()));
    }
    if is_pattern_param(hints) {
        out.push((COUNTED_SHARE, counted()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn patterns_have_many_wildcard_groups_and_texts_never_complete() {
        let v = samples(&patterns(&["#"]), 500);
        assert!(v
            .iter()
            .any(|p| p.matches("a*").count() >= 16 && p.ends_with('b')));
        assert!(v.iter().any(|p| p.matches("*?").count() >= 8));
        assert!(v.iter().any(|p| p.matches("**/").count() >= 8));
        assert!(
            v.iter().any(|p| p.matches("a#").count() >= 8),
            "mined wildcard"
        );
        assert!(v.iter().any(|p| p == "(a|a)*b" || p == "(a+)+b"));
        let t = samples(&haystacks(), 300);
        assert!(t.iter().all(|s| !s.contains('b')));
        assert!(t.iter().any(|s| s.len() == 30) && t.iter().any(|s| s.len() >= 10_000));
        assert!(t.iter().any(|s| s.starts_with("a/a/a/")));
    }

    #[test]
    fn matcher_pairs_land_together_in_a_good_share() {
        let f = "wildcard_match";
        let pat = Hints {
            function: f,
            param: "pattern",
            ..Hints::NONE
        };
        let txt = Hints {
            function: f,
            param: "text",
            ..Hints::NONE
        };
        let p = samples(
            &crate::strings::string_with(&pat, &crate::Mix::for_hints(&pat)),
            256,
        );
        let t = samples(
            &crate::strings::string_with(&txt, &crate::Mix::for_hints(&txt)),
            256,
        );
        let hard_p = p
            .iter()
            .filter(|p| (p.len() >= 16 && p.ends_with('b')) || p.contains("(a") || p.contains("(."))
            .count();
        let long_t = t
            .iter()
            .filter(|t| t.len() >= 30 && t.bytes().all(|b| matches!(b, b'a' | b'/' | b'.' | b'!')))
            .count();
        // Both independently: their product over 256 × 256 must reach 1/16.
        assert!(
            hard_p * long_t * 16 >= 256 * 256,
            "{hard_p} patterns, {long_t} texts"
        );
    }

    #[test]
    fn pattern_params_outside_matchers_and_wildcard_literals_count() {
        assert_eq!(
            shares(&Hints {
                param: "glob",
                ..Hints::NONE
            })
            .0,
            250
        );
        assert_eq!(
            shares(&Hints {
                param: "haystack",
                ..Hints::NONE
            }),
            (0, 62)
        );
        let lit = Hints {
            function: "check",
            param: "p",
            strings: &["*", "?"],
            ints: &[],
            ..Hints::NONE
        };
        assert!(is_matcher(&lit));
        assert_eq!(shares(&lit), (250, 250));
        assert_eq!(
            shares(&Hints {
                param: "count",
                ..Hints::NONE
            }),
            (0, 0)
        );
    }

    #[test]
    fn counted_repetitions_of_empty_groups_reach_u32_max() {
        let v = samples(&counted(), 2000);
        assert!(v.iter().any(|p| p == "(?:){4294967295}"));
        assert!(v
            .iter()
            .any(|p| p.starts_with("a{") && p.matches('{').count() == 2));
        assert!(v.iter().any(|p| p.starts_with("(?:\\b{")));
        assert!(v.iter().all(|p| p
            .split(['{', '}'])
            .any(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))));
        // A pattern parameter draws them about one time in ten; other parameters never.
        let h = Hints {
            param: "pattern",
            ..Hints::NONE
        };
        let is_counted = |p: &String| {
            REPEATED
                .iter()
                .any(|r| p.starts_with(&format!("{r}{{")) || p.starts_with(&format!("(?:{r}{{")))
        };
        let mix = samples(
            &crate::strings::string_with(&h, &crate::Mix::for_hints(&h)),
            2000,
        );
        assert!(mix.iter().filter(|p| is_counted(p)).count() >= 100);
        let other = samples(
            &crate::strings::string_with(&Hints::NONE, &crate::Mix::DEFAULT),
            2000,
        );
        assert!(!other
            .iter()
            .any(|p| is_counted(p) && p.contains("{4294967295}")));
    }
}
