//! String and char strategies: empty and whitespace, multi-byte and combining characters at every small
//! offset and straddling every cut (a mined limit, half the length, the last byte), numbers that almost
//! parse and oversized numbers in numeric slots ([`crate::numeric_slots`]), unbalanced delimiters and
//! nestings 10^4 to 10^6 deep ([`crate::nesting`]), pattern/text pairs that backtrack
//! ([`crate::backtracking`]), path traversal, SQL / shell / format-string / markup payloads, bidi overrides,
//! BOM, NUL, CRLF, huge inputs, and plain random text. Every value shrinks ([`crate::shrink`]).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{one_of, part, weighted, Attack};
use crate::hints::{FunctionRole, Hints, Mix, ParamRole};

/// Multi-byte characters of every width, combining marks and characters whose case mapping changes length.
pub const MULTIBYTE: &[&str] = &[
    "é",
    "ß",
    "€",
    "😀",
    "\u{301}",
    "e\u{301}",
    "中",
    "İ",
    "ﬁ",
    "\u{10ffff}",
    "🇺🇸",
    "👩\u{200d}👩\u{200d}👧",
    "٣",
    "\u{a0}",
    "\u{3000}",
    "Ω",
    "\u{fffd}",
];

/// Edge strings: empty, whitespace, one character.
#[must_use]
pub fn boundary_strings() -> Vec<String> {
    [
        "", " ", "a", "0", "\t", "\n", "  ", "\r\n", " a ", "A", "-", ".", "a b", "aa", "\0",
        "a  b", "a   b", "a\t b",
    ]
    .map(String::from)
    .to_vec()
}

/// Numbers that almost parse, and numbers at the edges of integer types.
#[must_use]
pub fn near_numbers() -> Vec<String> {
    let mut v: Vec<String> = [
        "-0",
        "+",
        "-",
        "1e309",
        "0x",
        "0x1G",
        "٣",
        " 42",
        "42 ",
        "1_000",
        "1.",
        ".5",
        "NaN",
        "inf",
        "-inf",
        "1e",
        "0b",
        "00",
        "+-1",
        "--1",
        "1,000",
        "1 2",
        "0.0.0.0",
        "1e-400",
        "１２",
        "0x7fffffff",
        "1e2",
        "+0",
        "-0.0",
        "007",
        "9".repeat(40).as_str(),
        "0.1.2",
        "v1",
        "1.2.3.4.5",
        "\u{200b}1",
        "1\0",
        "١٢٣",
        "Infinity",
        "true",
    ]
    .map(String::from)
    .to_vec();
    for n in [
        "-1",
        "0",
        "255",
        "256",
        "-129",
        "65535",
        "65536",
        "2147483647",
        "2147483648",
        "-2147483649",
        "4294967295",
        "4294967296",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551615",
        "18446744073709551616",
    ] {
        v.push(n.to_owned());
    }
    // Whitespace around a number: whether it is trimmed first is a choice a parser makes silently.
    for n in ["-1", "0", "7", "65535"] {
        v.push(format!(" {n}"));
        v.push(format!("{n}\n"));
        v.push(format!("\t{n} "));
    }
    v
}

/// Short unbalanced delimiters and quotes.
#[must_use]
pub fn unbalanced() -> Vec<String> {
    [
        "(", ")", "[", "]", "{", "}", "<", ">", "\"", "'", "`", "([)]", "{{", "}}", "[[]", "]]",
        "\"\\", "/*", "*/", "<!--", "<a", "a=\"", "{\"a\":", "[1,", "\\", "\\u", "\\x", "&", "&#",
        "%", "%2", "$", "${",
    ]
    .map(String::from)
    .to_vec()
}

/// Deeply nested delimiters: open only, balanced, or one close missing; depths 2 to 100,000. Shrinks (see
/// [`crate::shrink`]). The string mix uses [`crate::nesting::nesting_for`], which also nests the function's
/// own delimiters after prefixes, 10^4 to 10^6 deep.
pub fn deep_nesting() -> BoxedStrategy<String> {
    crate::shrink::shrinking_boxed(
        (
            one_of(vec![
                2usize, 16, 128, 1_000, 10_000, 100_000, 100_000, 100_000,
            ]),
            one_of(vec![
                ("[", "]"),
                ("(", ")"),
                ("{", "}"),
                ("<a>", "</a>"),
                ("{\"a\":", "}"),
                ("[1,", "]"),
            ]),
            0..3u8,
        )
            .prop_map(|(depth, (open, close), mode)| {
                let closes = match mode {
                    0 => 0,
                    1 => depth,
                    _ => depth - 1,
                };
                let mut s = String::with_capacity(depth * (open.len() + close.len()));
                s.push_str(&open.repeat(depth));
                s.push_str(&close.repeat(closes));
                s
            }),
    )
}

/// Path traversal in plain and encoded forms, absolute, drive and UNC paths.
#[must_use]
pub fn traversal() -> Vec<String> {
    [
        "..",
        "../",
        "..\\",
        "../../../../etc/passwd",
        "..%2f",
        "%2e%2e%2f",
        "%2e%2e/",
        "..%5c",
        "%252e%252e%252f",
        "....//",
        "..././",
        "/etc/passwd",
        "/",
        "C:\\Windows\\System32",
        "C:/",
        "\\\\server\\share",
        "~",
        "~/.ssh",
        "a/../../b",
        "a/./b",
        "file:///etc/passwd",
        "..%c0%af",
        "a\0b",
        "CON",
        "nul.txt",
        ".",
        "./",
        "a/",
        "//",
        "a//b",
        ".hidden",
        "..\\..\\boot.ini",
        "%00",
        "a/..",
        "/..",
        "\\",
        "ﾠ/..",
        "..;/",
    ]
    .map(String::from)
    .to_vec()
}

/// URL and address tricks.
#[must_use]
pub fn urls() -> Vec<String> {
    [
        "http://",
        "https://a",
        "javascript:alert(1)",
        "//evil.com",
        "http://user:pass@host:99999/",
        "http://[::1",
        "http://a/%zz",
        "http://127.0.0.1:0",
        "ftp://a",
        "http://a.com@evil.com",
        "http://ex\u{0430}mple.com",
        "mailto:",
        "a@b",
        "@",
        "a@",
        "@b",
        "é@x.com",
        "€a@b.c",
        "\"a\"@b",
        "a@b@c",
        "data:text/html,<script>",
        "http://localhost",
        "http://0x7f.1",
        "HTTP://A",
        "http://a:65536",
        "http:/a",
        "a:b:c",
    ]
    .map(String::from)
    .to_vec()
}

/// SQL, shell, format-string, markup, CRLF and log injection payloads.
#[must_use]
pub fn injection() -> Vec<String> {
    [
        "' OR '1'='1",
        "'; DROP TABLE users; --",
        "\" OR \"\"=\"",
        "1; SELECT *",
        "' UNION SELECT NULL--",
        "; rm -rf /",
        "$(id)",
        "`id`",
        "| cat /etc/passwd",
        "&& whoami",
        "\n/bin/sh",
        "$IFS",
        "*",
        "-rf",
        "--help",
        "%s%s%s%n",
        "%x%x",
        "{}",
        "{0}",
        "{{}}",
        "${jndi:ldap://x}",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "\"><svg/onload=alert(1)>",
        "&lt;",
        "&#x3C;",
        "]]>",
        "<?xml version=\"1.0\"?>",
        "a\r\nSet-Cookie: x=y",
        "\r\n\r\n",
        "\r",
        "line\nINFO fake log",
        "a,b\n\"c",
        "\"",
        "'",
        "\"quoted\"",
        "\"\"",
        "'single'",
        "a\"b",
        "a'b",
        "\\\"",
        "a\tb",
    ]
    .map(String::from)
    .to_vec()
}

/// Bidi overrides, BOM, NUL and control characters, zero-width and case-changing characters.
#[must_use]
pub fn unicode_tricks() -> Vec<String> {
    [
        "\u{202e}abc",
        "\u{feff}text",
        "\0",
        "a\0b",
        "\u{7}",
        "\u{1b}[31m",
        "\u{200b}",
        "\u{2066}x\u{2069}",
        "\u{fffd}",
        "\u{10ffff}",
        "\u{e000}",
        "ß",
        "İ",
        "ﬁ",
        "Ⅻ",
        "e\u{301}",
        "\u{301}",
        "a\u{300}\u{301}\u{302}\u{303}\u{304}",
        "👩\u{200d}👩\u{200d}👧",
        "🇺🇸",
        "\u{a0}",
        "\u{3000}",
        "\u{85}",
        "\u{2028}",
        "مرحبا",
        "שָׁלוֹם",
        "\u{7f}",
        "\u{1}",
    ]
    .map(String::from)
    .to_vec()
}

/// Escape and entity introducers a lexer reads one character after: `\\`, `%`, `&`, `$`, `\\x`, `\\u`.
pub const ESCAPES: &[&str] = &["\\", "%", "&", "$", "\\x", "\\u"];

/// A multi-byte or combining character placed after 0 to 8 ASCII characters, followed by more text: every
/// small byte offset at which `&s[..n]` or `s.split_at(n)` can land inside a character; a third of the time
/// right after an escape introducer ([`ESCAPES`]), where a lexer takes "the next byte" as a character.
pub fn multibyte_at_offsets() -> BoxedStrategy<String> {
    let escape = prop_oneof![2 => Just(""), 1 => one_of(ESCAPES.to_vec())];
    (
        "[a-z0-9 #@:/.=,_-]{0,8}",
        escape,
        one_of(MULTIBYTE.to_vec()),
        "[a-z0-9 .@]{0,8}",
        1..3usize,
    )
        .prop_map(|(pre, esc, mb, post, times)| format!("{pre}{esc}{}{post}", mb.repeat(times)))
        .boxed()
}

/// Multi-byte characters by UTF-8 width: 2, 3 and 4 bytes.
pub const BY_WIDTH: &[&str] = &[
    "é",
    "ß",
    "Ω",
    "€",
    "中",
    "\u{fffd}",
    "😀",
    "\u{10ffff}",
    "𝄞",
];

/// Limits tried when the function shows none: small lengths and the usual buffer and field sizes.
const COMMON_LIMITS: &[usize] = &[
    1, 2, 3, 4, 5, 8, 10, 16, 20, 32, 50, 64, 100, 128, 255, 256, 1000, 1024,
];

/// How a multi-byte character is placed against a cut.
#[derive(Clone, Copy, Debug)]
enum Cut {
    /// Byte `limit` is byte `k` (1 ≤ k < width) of the character: `&s[..limit]` splits it.
    AtLimit,
    /// Byte `len / 2` is byte `k` of the character (an integer tied to the string's length by
    /// [`crate::near_length`] gets `len / 2`; `len - 1` lands in a final character).
    Middle,
    /// Only this character, repeated so the character count used as a byte index lands on byte `k`.
    Repeated,
}

/// Multi-byte characters (2, 3 and 4 bytes wide) placed so a cut lands on each byte inside them, the last
/// byte of a 4-byte character included: at each of `limits` (mined integer literals, a fixed limit in the
/// body; common sizes when empty) counted from the start, after one of `prefixes` (mined literals, doc
/// examples) or none; at half the string's length and at its last byte (for an integer parameter tied to
/// the string by [`crate::lengths_tied`]); and as a run of one character whose count, used as a byte index,
/// lands inside one.
pub fn multibyte_cuts(limits: &[usize], prefixes: &[&str]) -> BoxedStrategy<String> {
    let mut limits: Vec<usize> = limits
        .iter()
        .copied()
        .filter(|l| (1..=65_536).contains(l))
        .collect();
    if limits.is_empty() {
        limits = COMMON_LIMITS.to_vec();
    }
    let mut pre: Vec<String> = vec![String::new()];
    pre.extend(
        prefixes
            .iter()
            .filter(|p| p.len() <= 64)
            .map(|p| (*p).to_owned()),
    );
    let cut =
        prop_oneof![3 => Just(Cut::AtLimit), 2 => Just(Cut::Middle), 1 => Just(Cut::Repeated)];
    let tail = one_of(vec![0usize, 1, 8, 64]);
    crate::shrink::shrinking_boxed(
        (
            cut,
            one_of(limits),
            one_of(pre),
            one_of(BY_WIDTH.to_vec()),
            any::<prop::sample::Index>(),
            tail,
        )
            .prop_map(|(cut, limit, pre, c, k, tail)| {
                let w = c.len();
                let k = 1 + k.index(w - 1);
                match cut {
                    Cut::AtLimit => {
                        // The prefix counts toward the limit; without room for it, none.
                        let pre = if pre.len() + k <= limit {
                            pre
                        } else {
                            String::new()
                        };
                        let lead = limit.saturating_sub(pre.len() + k);
                        let mut s = format!("{pre}{}{c}", "a".repeat(lead));
                        s.push_str(&if tail == 64 {
                            c.repeat(4)
                        } else {
                            "b".repeat(tail)
                        });
                        s
                    }
                    Cut::Middle => {
                        // a × m, c, b × (m + 2k − w): the length is 2(m + k), its half m + k.
                        let m = tail.min(8) + w;
                        format!("{}{c}{}", "a".repeat(m), "b".repeat(m + 2 * k - w))
                    }
                    Cut::Repeated => {
                        // j characters of width w: byte j is byte j mod w of a character.
                        let j = w * (limit.min(256) / w + 1) + k;
                        c.repeat(j)
                    }
                }
            }),
    )
}

/// The multi-byte cut part of a string mix: the hints' integers as limits and their strings as prefixes.
pub fn multibyte_cuts_for(hints: &Hints) -> BoxedStrategy<String> {
    let limits: Vec<usize> = hints
        .ints
        .iter()
        .filter_map(|&i| usize::try_from(i).ok())
        .collect();
    let mut prefixes: Vec<&str> = hints.examples.to_vec();
    prefixes.extend(hints.strings.iter().copied());
    multibyte_cuts(&limits, &prefixes)
}

/// Huge inputs: long runs of ASCII, multi-byte, combining characters and digits (bounded to keep 256 cases
/// fast). Shrinks (see [`crate::shrink`]).
pub fn huge() -> BoxedStrategy<String> {
    crate::shrink::shrinking_boxed(
        one_of(vec![
            ("a", 65_536usize),
            ("😀", 16_384),
            ("é", 30_000),
            (" ", 65_536),
            ("\u{301}", 10_000),
            ("9", 1_000),
            ("ab", 20_000),
        ])
        .prop_map(|(unit, n)| unit.repeat(n)),
    )
}

/// Plain random text: arbitrary Unicode and printable ASCII.
pub fn random_text() -> BoxedStrategy<String> {
    prop_oneof![any::<String>(), "[ -~]{0,40}", "[a-zA-Z0-9]{1,12}"].boxed()
}

/// The attacking string strategy with an explicit mix.
pub fn string_with(hints: &Hints, mix: &Mix) -> BoxedStrategy<String> {
    string_mix(hints, mix, false)
}

/// The string mix; for an element of a collection (`element`), megabyte values are rarer: deep nestings
/// weigh a quarter and huge runs and wide elements nothing, since a vector holds up to a thousand elements
/// and its large draws already test size. For a pattern parameter, nestings and huge runs weigh a quarter.
pub(crate) fn string_mix(hints: &Hints, mix: &Mix, element: bool) -> BoxedStrategy<String> {
    // A pattern is compiled, at a cost that grows with its size in every correct engine: its attacks are in
    // its structure (nested and counted quantifiers), so megabyte values weigh a quarter for it too.
    let pattern = crate::backtracking::is_pattern_param(hints);
    let heavy = |w: u32| if element || pattern { w / 4 } else { w };
    // A path holds no named fields, exponents or keyed elements: those parts weigh nothing for it.
    let path = hints.param_role() == ParamRole::Path;
    let fields = |w: u32| if path { 0 } else { w };
    let role = hints.param_role();
    let path_w = if role == ParamRole::Path {
        mix.adversarial * 2
    } else if hints.function_role() == FunctionRole::Sanitizer {
        mix.adversarial
    } else {
        mix.adversarial / 3
    };
    let url_w = if role == ParamRole::Url {
        mix.adversarial * 2
    } else {
        mix.adversarial / 5
    };
    let inj_w =
        if matches!(role, ParamRole::Text) || hints.function_role() == FunctionRole::Sanitizer {
            mix.adversarial
        } else {
            mix.adversarial / 2
        };
    let num_w = if matches!(role, ParamRole::Size | ParamRole::Port)
        || hints.function_role() == FunctionRole::Parser
    {
        mix.malformed
    } else {
        mix.malformed / 2
    };
    let many_keys_w = if element {
        0
    } else {
        fields(heavy(mix.malformed / 4))
    };
    let mut parts = vec![
        part(mix.boundary, boundary_strings()),
        (mix.adversarial, multibyte_at_offsets()),
        part(num_w, near_numbers()),
        part(mix.malformed / 2, unbalanced()),
        (
            heavy(nesting_weight(hints, mix)).max(1),
            nesting_part(hints),
        ),
        (
            num_w / 2,
            crate::numeric_slots::slots_for(hints, hints.examples),
        ),
        (
            fields(num_w / 2),
            crate::numeric_slots::huge_exponents(hints),
        ),
        (
            fields(mix.malformed),
            crate::keywords::named_fields(hints.function, hints.param),
        ),
        (many_keys_w, crate::wide::many_keys()),
        (mix.adversarial / 3, multibyte_cuts_for(hints)),
        part(path_w, traversal()),
        part(url_w, urls()),
        part(inj_w, injection()),
        part(mix.adversarial / 2, unicode_tricks()),
        (
            if element {
                0
            } else {
                heavy(mix.adversarial / 6)
            },
            huge(),
        ),
        (mix.random, random_text()),
        (mix.literals, crate::literals::string_literals(hints)),
        (
            if hints.ints.is_empty() {
                0
            } else {
                mix.literals
            },
            crate::literals::sized_strings(hints),
        ),
    ];
    // Valid inputs with their last field or second half rewritten multi-byte, the byte length kept: as much
    // weight as the other malformed structures, since a wrapper's examples are its only way past the gates.
    if let Some(stretches) = crate::stretches::stretches_part(hints.examples) {
        parts.push((fields(mix.malformed / 2), stretches));
    }
    add_shares(&mut parts, crate::backtracking::parts(hints));
    // Every part shrinks by removing and simplifying characters: values from fixed lists and repeated runs
    // included (proptest shrinks neither).
    let mixed = crate::shrink::shrinking_boxed(weighted(parts));
    // A parameter's first cases draw each nesting and many-keys form once (an element's would all land in the
    // first collection drawn; a pattern's megabyte values weigh a quarter).
    if element || pattern || mix.malformed == 0 {
        return mixed;
    }
    let mut families = vec![crate::nesting::nesting_forms(hints, hints.examples)];
    if many_keys_w > 0 {
        families.push(crate::wide::many_keys_forms());
    }
    families.push(crate::stretches::stretch_forms(hints.examples));
    crate::forms::every_form_first(families, mixed)
}

/// The weight of the nesting part: half the malformed weight, or all of it when the hints carry no material
/// (no literal, example or byte mined): then the mix has no literal parts, nothing of the function's own
/// steers a draw, and deep nesting of the common brackets is the structural attack most likely to matter (a
/// recursive-descent parser with no literal in its body). At half weight such a function drew one bare
/// `(` nesting in about 360 cases: a coin toss over the default 256.
pub(crate) fn nesting_weight(hints: &Hints, mix: &Mix) -> u32 {
    let bare = hints.strings.is_empty()
        && hints.ints.is_empty()
        && hints.bytes.is_empty()
        && hints.examples.is_empty()
        && hints.words.is_empty()
        && hints.floats.is_empty();
    if bare {
        mix.malformed
    } else {
        mix.malformed / 2
    }
}

/// The nesting part of the string mix: [`crate::nesting::nesting_for`] with the doc examples as prefixes; when
/// the function's byte literals (`b'['` compared against `s.as_bytes()[i]`) suggest delimiters its string
/// literals do not, those delimiters half the time.
fn nesting_part(hints: &Hints) -> BoxedStrategy<String> {
    use crate::nesting::{delims_from_literals, nested_after, nesting_for, KEY_PREFIXES};
    let own = nesting_for(hints, hints.examples);
    let texts: Vec<&str> = hints
        .bytes
        .iter()
        .filter_map(|b| std::str::from_utf8(b).ok())
        .collect();
    let from_bytes = delims_from_literals(&texts);
    if from_bytes.is_empty() || !delims_from_literals(hints.strings).is_empty() {
        return own;
    }
    let refs: Vec<(&str, &str)> = from_bytes
        .iter()
        .map(|(o, c)| (o.as_str(), c.as_str()))
        .collect();
    let mut prefixes: Vec<&str> = hints.examples.to_vec();
    prefixes.extend(KEY_PREFIXES);
    prop_oneof![1 => own, 1 => nested_after(&prefixes, &refs)].boxed()
}

/// Adds `extra` parts to `parts`, each taking its share (per 1,000) of the whole mix: a part whose share
/// matters (a pattern and its text drawn independently must meet) keeps it whatever the other weights are.
pub(crate) fn add_shares<T: std::fmt::Debug + 'static>(
    parts: &mut Vec<(u32, BoxedStrategy<T>)>,
    extra: Vec<(u32, BoxedStrategy<T>)>,
) {
    let total: u64 = parts.iter().map(|(w, _)| u64::from(*w)).sum();
    let shares: u64 = extra.iter().map(|(s, _)| u64::from(*s)).sum();
    if shares == 0 || shares >= 1000 {
        return;
    }
    for (share, strategy) in extra {
        let w = total * u64::from(share) / (1000 - shares);
        parts.push((u32::try_from(w).unwrap_or(u32::MAX).max(1), strategy));
    }
}

impl Attack for String {
    fn attack(hints: &Hints) -> BoxedStrategy<String> {
        string_with(hints, &Mix::for_hints(hints))
    }
    fn attack_vec(hints: &Hints) -> BoxedStrategy<Vec<String>> {
        crate::collections::list_of_texts(crate::collections::vec_of(string_mix(
            hints,
            &Mix::for_hints(hints),
            true,
        )))
    }
}

/// Boundary and tricky characters.
#[must_use]
pub fn tricky_chars() -> Vec<char> {
    vec![
        'a',
        '\0',
        ' ',
        '0',
        '\n',
        '\r',
        '\t',
        '\u{7f}',
        '\u{80}',
        'é',
        '€',
        '😀',
        '\u{301}',
        '\u{202e}',
        '\u{feff}',
        char::MAX,
        '\u{d7ff}',
        '\u{e000}',
        '\u{fffd}',
        'ß',
        'İ',
        '٣',
        'Ⅻ',
        '０',
        '"',
        '\'',
        '\\',
        '/',
        '.',
        '%',
        '{',
    ]
}

impl Attack for char {
    fn attack(hints: &Hints) -> BoxedStrategy<char> {
        let mix = Mix::for_hints(hints);
        let lits: Vec<char> = hints
            .strings
            .iter()
            .filter_map(|s| s.chars().next())
            .collect();
        weighted(vec![
            part(mix.boundary + mix.adversarial, tricky_chars()),
            (mix.random, any::<char>().boxed()),
            part(mix.literals, lits),
        ])
    }
}

/// One of `examples` (valid inputs, from a constructor's doc examples) half the time, `attack` otherwise;
/// `attack` alone under `ABUSE_STRATEGY=naive`.
pub fn or_examples(
    examples: &'static [&'static str],
    attack: impl Strategy<Value = String> + 'static,
) -> BoxedStrategy<String> {
    let examples: Vec<String> = examples.iter().map(|e| (*e).to_string()).collect();
    if examples.is_empty() || crate::naive::enabled() {
        return attack.boxed();
    }
    prop_oneof![
        1 => proptest::sample::select(examples),
        1 => attack,
    ]
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn the_first_draws_nest_every_common_delimiter_and_write_every_many_keys_form() {
        use crate::forms::MAX_FORMS;
        let v = samples(&String::attack(&Hints::NONE), MAX_FORMS);
        for (open, _) in crate::nesting::COMMON_DELIMS {
            assert!(
                v.iter().any(|s| s.starts_with(&open.repeat(10_000))),
                "{open:?}"
            );
        }
        for start in [
            "<a a0=\"\" a1=",
            "{\"a0\":0,",
            "a0=0&a1=0",
            "a0: 0\r\n",
            "a0: 0\na1",
        ] {
            assert!(v.iter().any(|s| s.starts_with(start)), "{start:?}");
        }
        // A pattern's megabyte values weigh a quarter: it draws no form first.
        let pattern = Hints {
            param: "pattern",
            ..Hints::NONE
        };
        let p = samples(&String::attack(&pattern), 16);
        assert!(p.iter().filter(|s| s.len() >= 10_000).count() < 4);
    }

    #[test]
    fn slicing_hazards_appear_at_small_offsets() {
        let v = samples(&String::attack(&Hints::NONE), 512);
        let inside = |s: &String, n: usize| n < s.len() && !s.is_char_boundary(n);
        for n in 1..=4 {
            assert!(
                v.iter().any(|s| inside(s, n)),
                "no string with a non-boundary at byte {n}"
            );
        }
        assert!(v.iter().any(String::is_empty));
    }

    /// The width of the character containing byte `at` of `s` and the offset of `at` inside it.
    fn inside(s: &str, at: usize) -> Option<(usize, usize)> {
        if at >= s.len() || s.is_char_boundary(at) {
            return None;
        }
        let start = (0..at).rev().find(|&i| s.is_char_boundary(i))?;
        let width = s[start..].chars().next()?.len_utf8();
        Some((width, at - start))
    }

    #[test]
    fn multibyte_chars_straddle_every_cut() {
        let h = Hints {
            strings: &["id:"],
            ints: &[10, 64],
            ..Hints::NONE
        };
        let v = samples(&multibyte_cuts_for(&h), 3000);
        for limit in [10, 64] {
            for width in 2..=4 {
                for k in 1..width {
                    assert!(
                        v.iter().any(|s| inside(s, limit) == Some((width, k))),
                        "byte {limit} is byte {k} of a {width}-byte char"
                    );
                }
            }
            assert!(
                v.iter()
                    .any(|s| s.starts_with("id:") && inside(s, limit).is_some()),
                "after a literal"
            );
        }
        for width in 2..=4 {
            for k in 1..width {
                assert!(
                    v.iter().any(|s| inside(s, s.len() / 2) == Some((width, k))),
                    "half the length is byte {k} of a {width}-byte char"
                );
                assert!(
                    v.iter()
                        .any(|s| inside(s, s.chars().count()) == Some((width, k))),
                    "the char count as a byte index is byte {k} of a {width}-byte char"
                );
            }
            assert!(
                v.iter()
                    .any(|s| inside(s, s.len() - 1) == Some((width, width - 1))),
                "the last byte of a final {width}-byte char"
            );
        }
    }

    #[test]
    fn multibyte_chars_follow_every_escape_at_every_offset() {
        let v = samples(&multibyte_at_offsets(), 3000);
        for esc in ESCAPES {
            for at in [0, 1, 4] {
                assert!(
                    v.iter().any(|s| s.len() > at + esc.len()
                        && s.is_char_boundary(at)
                        && s[at..].starts_with(esc)
                        && !s.is_char_boundary(at + esc.len() + 1)),
                    "a multi-byte char after {esc:?} at byte {at}"
                );
            }
        }
    }

    #[test]
    fn deep_nesting_reaches_100_000() {
        let v = samples(&deep_nesting(), 200);
        assert!(v.iter().any(|s| s.starts_with(&"[".repeat(100_000))));
    }

    #[test]
    fn path_params_get_traversal() {
        let h = Hints {
            param: "path",
            ..Hints::NONE
        };
        let v = samples(&String::attack(&h), 256);
        assert!(v.iter().any(|s| s == ".."), "{:?}", &v[..10]);
        assert!(v
            .iter()
            .any(|s| s.contains("%2e%2e") || s.contains("..%2f")));
    }

    #[test]
    fn parser_functions_get_near_numbers() {
        let h = Hints {
            function: "parse_port",
            ..Hints::NONE
        };
        let v = samples(&String::attack(&h), 256);
        assert!(v
            .iter()
            .any(|s| s == "65536" || s == "-0" || s == "+" || s == "1e309"));
    }

    #[test]
    fn chars_include_combining_and_bidi() {
        let v = samples(&char::attack(&Hints::NONE), 256);
        assert!(v.contains(&'\u{301}') && v.contains(&'\u{202e}'));
    }

    #[test]
    fn byte_literal_delimiters_nest_strings() {
        let h = Hints {
            bytes: &[b"[", b"]"],
            ..Hints::NONE
        };
        let v = samples(&String::attack(&h), 1000);
        let deep =
            |s: &String| s.len() >= 100_000 && s.bytes().filter(|&b| b == b'[').count() >= 100_000;
        assert!(v.iter().filter(|s| deep(s)).count() >= 2);
    }

    #[test]
    fn a_function_with_no_material_draws_bare_bracket_nesting_in_one_case_of_100() {
        // `rfc2822_timestamp(input: &str)` mines nothing: its recursion is bare `(` nesting.
        let bare = Hints {
            function: "rfc2822_timestamp",
            param: "input",
            ..Hints::NONE
        };
        assert_eq!(nesting_weight(&bare, &Mix::for_hints(&bare)), 20);
        let v = samples(&String::attack(&bare), 3000);
        let deep_paren =
            |s: &&String| s.len() >= 10_000 && s.as_bytes()[..10_000] == [b'('; 10_000];
        let n = v.iter().filter(deep_paren).count();
        // About 1 in 100 (3.3 expected over 256 cases): 0.3 in 100 at half weight with uniform delimiters.
        assert!(n >= 15, "{n} of 3000");
        // With material the nesting keeps half the malformed weight.
        let mined = Hints {
            strings: &["Date:"],
            ..bare
        };
        assert_eq!(nesting_weight(&mined, &Mix::for_hints(&mined)), 10);
    }

    #[test]
    fn doc_examples_get_oversized_numbers_and_deep_nesting_after_them() {
        let h = Hints {
            function: "parse_req",
            examples: &["1.2.3"],
            ..Hints::NONE
        };
        let v = samples(&String::attack(&h), 2000);
        assert!(v
            .iter()
            .any(|s| s.starts_with("1.2.") && s.len() >= 14 && !s.contains('[')));
        assert!(v.iter().any(|s| s.len() > 10_000 && s.starts_with("1.2.3")));
    }
}
