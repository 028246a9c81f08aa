//! Unbounded recursion: text nested 10^5 and 10^6 levels deep (and 10^4), built from the delimiters the
//! function's own literals mention and the common ones, alone or after a valid prefix (a mined literal, a
//! doc example, a `key = ` style prefix); byte inputs made of a repeated container tag or marker (a mined
//! byte, the nesting markers of CBOR, MessagePack, bencode, BER) or of length-delimited records nested
//! inside each other (protobuf, DER).
//!
//! A recursive-descent parser, a recursive `Drop` of the tree it built, or a recursive printer overflows the
//! stack at these depths in the test profile (10^4–10^5) and in release (10^5–10^6). Every strategy here
//! shrinks (see [`crate::shrink`]), so the reported input is near the depth that overflows.
//!
//! Entry points for the generator: [`nesting_for`] (hints plus doc examples), [`nested_after`] (explicit
//! prefixes and delimiter pairs), [`nesting_bytes_for`] / [`nested_bytes`] (byte literals as markers).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::hints::Hints;
use crate::shrink::shrinking_boxed;

/// Delimiter pairs most grammars nest: brackets, quotes, tags, JSON members and arrays, YAML and markdown
/// block markers, prefix operators and calls. An empty close nests by repetition alone.
pub const COMMON_DELIMS: &[(&str, &str)] = &[
    ("[", "]"),
    ("{", "}"),
    ("(", ")"),
    ("<", ">"),
    ("\"", "\""),
    ("'", "'"),
    ("<a>", "</a>"),
    ("{\"a\":", "}"),
    ("[1,", "]"),
    ("[{", "}]"),
    ("a(", ")"),
    ("- ", ""),
    ("> ", ""),
    ("-", ""),
    ("!", ""),
    ("*", "*"),
];

/// How much more often each of the four single-character brackets (`(`, `[`, `{`, `<`) is drawn than any other
/// of [`COMMON_DELIMS`] when a function mines no delimiter of its own: they are what most grammars nest by
/// (expressions, arrays, objects, comments, tags), so bare nesting of one of them is the likeliest recursion in
/// a parser nothing is known about (0.57 of the common draws rather than 0.25).
pub const BRACKET_WEIGHT: u32 = 4;

/// The single-character brackets [`BRACKET_WEIGHT`] favours.
const BRACKETS: &[&str] = &["(", "[", "{", "<"];

/// [`COMMON_DELIMS`], the single-character brackets [`BRACKET_WEIGHT`] times as likely as the others.
fn common_delims() -> BoxedStrategy<(String, String)> {
    let parts: Vec<(u32, BoxedStrategy<(String, String)>)> = COMMON_DELIMS
        .iter()
        .map(|(o, c)| {
            let w = if BRACKETS.contains(o) {
                BRACKET_WEIGHT
            } else {
                1
            };
            (w, Just(((*o).to_owned(), (*c).to_owned())).boxed())
        })
        .collect();
    crate::attack::weighted(parts)
}

/// Prefixes after which a value is parsed: assignments, keys, document starts, a table header.
pub const KEY_PREFIXES: &[&str] = &[
    "a = ",
    "a=",
    "a: ",
    "a:",
    "key = ",
    "x = ",
    "---\n",
    "[a]\nb = ",
    "<?xml version=\"1.0\"?>",
    "{\"a\":",
    "a ",
    "1+",
];

/// Nesting markers of common binary formats: CBOR arrays, maps, indefinite containers and tags, MessagePack
/// fixarray, fixmap, array16/32, bencode lists and dicts, BER indefinite-length sequences, protobuf group
/// starts (field 1 or 2, wire type 3: `0x0b`, `0x13`), and bare bytes that open a container in many formats
/// (`[`, `{`, 0x80–0x9f, 0xa0, 0xbf, 0xd9, 0xdc).
pub const COMMON_MARKERS: &[&[u8]] = &[
    b"[",
    b"{",
    b"(",
    b"\x81",
    b"\x91",
    b"\x9f",
    b"\x80",
    b"\xa0",
    b"\xbf",
    b"\xd9",
    b"\xdc",
    b"\xa1\x61\x61",
    b"\xbf\x61\x61",
    b"\xd9\xd9\xf7",
    b"\xc6",
    b"\x81\xa1\x61",
    b"\xdc\x00\x01",
    b"\xdd\x00\x00\x00\x01",
    b"l",
    b"d1:a",
    b"\x30\x80",
    b"\xa0\x80",
    b"\x0b",
    b"\x13",
];

/// How deep: mostly 10^5, sometimes 10^4, rarely 10^6 (at most a megabyte: see [`MAX_DEEP_BYTES`]).
fn depth() -> BoxedStrategy<usize> {
    prop_oneof![
        8 => Just(100_000usize),
        2 => Just(10_000usize),
        1 => Just(1_000_000usize),
    ]
    .boxed()
}

/// Bytes a nesting deeper than 10^5 may take: 10^6 levels of a one-byte open, fewer of longer ones (at least
/// 10^5). A linear parser of several megabytes in an unoptimised test build comes near the time limit, and
/// a timeout there would be a false alarm.
const MAX_DEEP_BYTES: usize = 1 << 20;

/// `depth`, or for the deepest tier as many levels of `per_level` bytes as fit in [`MAX_DEEP_BYTES`].
fn capped(depth: usize, per_level: usize) -> usize {
    if depth <= 100_000 {
        depth
    } else {
        depth.min((MAX_DEEP_BYTES / per_level.max(1)).max(100_000))
    }
}

/// How the nesting ends.
#[derive(Clone, Copy, Debug)]
enum Shape {
    /// Opens only.
    Open,
    /// Opens, a leaf value, every close.
    Balanced,
    /// Opens, a leaf value, one close missing.
    OneShort,
}

fn shape() -> BoxedStrategy<Shape> {
    prop_oneof![
        3 => Just(Shape::Open),
        2 => Just(Shape::Balanced),
        1 => Just(Shape::OneShort),
    ]
    .boxed()
}

/// The text `prefix`, `open` × `depth`, then per `shape` a leaf and the closes.
fn build(prefix: &str, open: &str, close: &str, depth: usize, shape: Shape) -> String {
    let per_level = open.len()
        + if matches!(shape, Shape::Open) {
            0
        } else {
            close.len()
        };
    let depth = capped(depth, per_level);
    let closes = match shape {
        Shape::Open => 0,
        Shape::Balanced => depth,
        Shape::OneShort => depth - 1,
    };
    let leaf = if matches!(shape, Shape::Open) || close.is_empty() {
        ""
    } else {
        "1"
    };
    let mut s = String::with_capacity(prefix.len() + depth * open.len() + closes * close.len() + 1);
    s.push_str(prefix);
    s.push_str(&open.repeat(depth));
    s.push_str(leaf);
    s.push_str(&close.repeat(closes));
    s
}

/// The close of an open delimiter: `<name>` closes with `</name>`, anything else is reversed with each
/// bracket mirrored (`[[` → `]]`, `{%` → `%}`).
#[must_use]
pub fn mirror(open: &str) -> String {
    if let Some(name) = open.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return format!("</{name}>");
        }
    }
    open.chars()
        .rev()
        .map(|c| match c {
            '(' => ')',
            ')' => '(',
            '[' => ']',
            ']' => '[',
            '{' => '}',
            '}' => '{',
            '<' => '>',
            '>' => '<',
            c => c,
        })
        .collect()
}

/// Delimiter pairs suggested by a function's literals: a short literal holding an opening bracket or a quote
/// opens (closed by its [`mirror`]), one made only of closing brackets closes (opened by its mirror), and a
/// short literal of punctuation (`-`, `!`, `\`, `not `) nests by repetition. Words and long literals say
/// nothing about nesting.
#[must_use]
pub fn delims_from_literals(literals: &[&str]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for lit in literals {
        if lit.is_empty() || lit.len() > 8 || lit.trim().is_empty() {
            continue;
        }
        let pair = if lit.chars().any(|c| "([{<\"'`".contains(c)) {
            ((*lit).to_owned(), mirror(lit))
        } else if lit.chars().all(|c| ")]}>".contains(c)) {
            (mirror(lit), (*lit).to_owned())
        } else if lit.len() <= 4 && !lit.chars().all(|c| c.is_alphanumeric()) {
            ((*lit).to_owned(), String::new())
        } else {
            continue;
        };
        if !out.contains(&pair) {
            out.push(pair);
        }
    }
    out
}

/// Text nested by one of `delims` (the common pairs when empty, brackets favoured: [`BRACKET_WEIGHT`]),
/// after one of `prefixes` (nothing when empty; the empty prefix is always among the choices), 10^4 to 10^6
/// levels deep, open only, balanced or one close short. The entry point for material the hints do not carry yet: doc examples and literal
/// prefixes as `prefixes`, the function's delimiters ([`delims_from_literals`]) as `delims`.
pub fn nested_after(prefixes: &[&str], delims: &[(&str, &str)]) -> BoxedStrategy<String> {
    let delim = if delims.is_empty() {
        common_delims()
    } else {
        one_of(
            delims
                .iter()
                .map(|(o, c)| ((*o).to_owned(), (*c).to_owned()))
                .collect(),
        )
    };
    let mut prefixes: Vec<String> = prefixes.iter().map(|p| (*p).to_owned()).collect();
    prefixes.retain(|p| !p.is_empty());
    let prefix = if prefixes.is_empty() {
        Just(String::new()).boxed()
    } else {
        prop_oneof![1 => Just(String::new()), 2 => one_of(prefixes)].boxed()
    };
    shrinking_boxed(
        (prefix, delim, depth(), shape()).prop_map(|(p, (o, c), d, s)| build(&p, &o, &c, d, s)),
    )
}

/// The nesting part of the string mix: the function's own delimiters (half the time when its literals
/// suggest any) or the common ones, alone or after a prefix: one of `examples` (doc examples: the generator
/// passes them once the hints carry them; `&[]` until then), a mined literal, or a `key = ` style prefix.
pub fn nesting_for(hints: &Hints, examples: &[&str]) -> BoxedStrategy<String> {
    let mined = delims_from_literals(hints.strings);
    let mined_refs: Vec<(&str, &str)> = mined
        .iter()
        .map(|(o, c)| (o.as_str(), c.as_str()))
        .collect();
    let mut prefixes: Vec<&str> = examples.to_vec();
    prefixes.extend(hints.strings.iter().copied().filter(|s| s.len() <= 64));
    let generic = nested_after(KEY_PREFIXES, &[]);
    let after_own = nested_after(&prefixes, &[]);
    if mined_refs.is_empty() {
        if prefixes.is_empty() {
            return prop_oneof![2 => nested_after(&[], &[]), 1 => generic].boxed();
        }
        return prop_oneof![1 => nested_after(&[], &[]), 1 => generic, 2 => after_own].boxed();
    }
    prefixes.extend(KEY_PREFIXES);
    prop_oneof![
        3 => nested_after(&prefixes, &mined_refs),
        1 => generic,
        1 => after_own,
    ]
    .boxed()
}

/// One strategy per form of [`nesting_for`] (see [`crate::forms`]): each delimiter pair the function's literals
/// suggest, bare and after a prefix, then each of [`COMMON_DELIMS`] bare.
pub fn nesting_forms(hints: &Hints, examples: &[&str]) -> Vec<BoxedStrategy<String>> {
    let mined = delims_from_literals(hints.strings);
    let mut prefixes: Vec<&str> = examples.to_vec();
    prefixes.extend(hints.strings.iter().copied().filter(|s| s.len() <= 64));
    prefixes.extend(KEY_PREFIXES);
    let mut forms = Vec::new();
    for (o, c) in &mined {
        let pair = [(o.as_str(), c.as_str())];
        forms.push(nested_after(&[], &pair));
        forms.push(nested_after(&prefixes, &pair));
    }
    for pair in COMMON_DELIMS {
        if !mined.iter().any(|(o, c)| (o.as_str(), c.as_str()) == *pair) {
            forms.push(nested_after(&[], &[*pair]));
        }
    }
    forms
}

/// How nested records give their length.
#[derive(Clone, Copy, Debug)]
pub enum LengthCode {
    /// LEB128 (protobuf, wasm).
    Varint,
    /// ASN.1 DER: short form below 128, else 0x8n and n big-endian bytes.
    Der,
}

/// Bytes the length `n` takes.
fn length_size(code: LengthCode, n: usize) -> usize {
    let bits = (usize::BITS - n.leading_zeros()) as usize;
    match code {
        LengthCode::Varint => bits.div_ceil(7).max(1),
        LengthCode::Der if n < 0x80 => 1,
        LengthCode::Der => 1 + bits.div_ceil(8),
    }
}

/// Writes `n` at `out[at..]` (exactly [`length_size`] bytes) and answers the position after it. Plain
/// loops: this runs once per level in unoptimised test builds.
fn write_length(code: LengthCode, n: usize, out: &mut [u8], mut at: usize) -> usize {
    match code {
        LengthCode::Varint => {
            let mut v = n;
            while v >= 0x80 {
                out[at] = (v & 0x7f) as u8 | 0x80;
                v >>= 7;
                at += 1;
            }
            out[at] = v as u8;
            at + 1
        }
        LengthCode::Der if n < 0x80 => {
            out[at] = n as u8;
            at + 1
        }
        LengthCode::Der => {
            let k = length_size(code, n) - 1;
            out[at] = 0x80 | k as u8;
            let mut i = k;
            while i > 0 {
                out[at + 1 + k - i] = (n >> (8 * (i - 1))) as u8;
                i -= 1;
            }
            at + 1 + k
        }
    }
}

/// `depth` records nested inside each other, each `tag`, its length (of everything inside it) and the
/// inner record: a message field holding a message (protobuf tag 0x0a), a SEQUENCE of a SEQUENCE (DER 0x30).
#[must_use]
pub fn length_delimited_nesting(tag: u8, code: LengthCode, depth: usize) -> Vec<u8> {
    // Inner lengths first (each record holds everything after its header), then written outermost first.
    let mut lens = Vec::with_capacity(depth);
    let mut inner = 0usize;
    for _ in 0..depth {
        lens.push(inner);
        inner += 1 + length_size(code, inner);
    }
    let mut out = vec![0u8; inner];
    let mut at = 0;
    let mut i = depth;
    while i > 0 {
        i -= 1;
        out[at] = tag;
        at = write_length(code, lens[i], &mut out, at + 1);
    }
    out
}

/// Bytes nested by one of `markers` (mined byte literals: the generator passes them once the hints carry
/// them) or a common container marker ([`COMMON_MARKERS`]): the marker repeated 10^4–10^6 times, alone or
/// after a marker used as a magic, or protobuf/DER records nested by length.
pub fn nested_bytes(markers: &[&[u8]]) -> BoxedStrategy<Vec<u8>> {
    let own = own_markers(markers);
    let common: Vec<Vec<u8>> = COMMON_MARKERS.iter().map(|m| m.to_vec()).collect();
    let marker = if own.is_empty() {
        one_of(common)
    } else {
        prop_oneof![1 => one_of(own), 1 => one_of(common)].boxed()
    };
    let by_length = (one_of(LENGTH_NESTINGS.to_vec()), length_depth())
        .prop_map(|((tag, code), d)| length_delimited_nesting(tag, code, d));
    shrinking_boxed(prop_oneof![4 => repeated(markers, marker), 1 => by_length])
}

/// One strategy per form of [`nested_bytes`] (see [`crate::forms`]): each marker of `markers` and of
/// [`COMMON_MARKERS`] repeated, then each record kind nested by length.
pub fn nested_bytes_forms(markers: &[&[u8]]) -> Vec<BoxedStrategy<Vec<u8>>> {
    let mut all = own_markers(markers);
    for m in COMMON_MARKERS {
        if !all.iter().any(|o| o == m) {
            all.push(m.to_vec());
        }
    }
    let mut forms: Vec<BoxedStrategy<Vec<u8>>> = all
        .into_iter()
        .map(|m| shrinking_boxed(repeated(markers, Just(m).boxed())))
        .collect();
    forms.extend(LENGTH_NESTINGS.iter().map(|&(tag, code)| {
        shrinking_boxed(length_depth().prop_map(move |d| length_delimited_nesting(tag, code, d)))
    }));
    forms
}

/// The mined markers that can nest: short ones whole, and the first byte of every one (a longer literal, a
/// magic, still offers its first byte as a tag).
fn own_markers(markers: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut own: Vec<Vec<u8>> = markers
        .iter()
        .filter(|m| !m.is_empty() && m.len() <= 8)
        .map(|m| m.to_vec())
        .collect();
    own.extend(markers.iter().filter_map(|m| m.first()).map(|b| vec![*b]));
    own.dedup();
    own
}

/// `marker` repeated 10^4–10^6 times, alone or after one of `magics` used as a magic.
fn repeated(magics: &[&[u8]], marker: BoxedStrategy<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let magics: Vec<Vec<u8>> = magics.iter().map(|m| m.to_vec()).collect();
    let magic = if magics.is_empty() {
        Just(Vec::new()).boxed()
    } else {
        prop_oneof![1 => Just(Vec::new()), 1 => one_of(magics)].boxed()
    };
    (magic, marker, depth()).prop_map(|(mut m, k, d)| {
        m.extend_from_slice(&k.repeat(capped(d, k.len())));
        m
    })
}

/// Records that nest by length: a protobuf message field (tags 0x0a, 0x12), a DER SEQUENCE and context tag.
const LENGTH_NESTINGS: &[(u8, LengthCode)] = &[
    (0x0a, LengthCode::Varint),
    (0x12, LengthCode::Varint),
    (0x30, LengthCode::Der),
    (0xa0, LengthCode::Der),
];

fn length_depth() -> BoxedStrategy<usize> {
    prop_oneof![3 => Just(30_000usize), 1 => Just(100_000usize)].boxed()
}

/// The nesting part of the byte mix: the hints' string literals' bytes as markers plus `byte_literals`
/// (mined `b"…"` literals: `&[]` until the hints carry them).
pub fn nesting_bytes_for(hints: &Hints, byte_literals: &[&[u8]]) -> BoxedStrategy<Vec<u8>> {
    let mut markers: Vec<&[u8]> = byte_literals.to_vec();
    markers.extend(hints.strings.iter().map(|s| s.as_bytes()));
    nested_bytes(&markers)
}

/// [`nested_bytes_forms`] with the markers of [`nesting_bytes_for`].
pub fn nesting_bytes_forms_for(
    hints: &Hints,
    byte_literals: &[&[u8]],
) -> Vec<BoxedStrategy<Vec<u8>>> {
    let mut markers: Vec<&[u8]> = byte_literals.to_vec();
    markers.extend(hints.strings.iter().map(|s| s.as_bytes()));
    nested_bytes_forms(&markers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    /// Whether `s` is `prefix` then at least `n` × `open` (compared as one slice: fast in debug builds).
    fn nests(s: &str, prefix: &str, open: &str, n: usize) -> bool {
        s.strip_prefix(prefix).is_some_and(|r| {
            r.len() >= open.len() * n
                && r.as_bytes()[..open.len() * n] == *open.repeat(n).as_bytes()
        })
    }

    #[test]
    fn nests_100_000_braces_after_a_key_prefix_within_2000_draws() {
        let v = samples(&nested_after(&["a = "], &[("{", "}")]), 2000);
        assert!(v.iter().any(|s| nests(s, "a = ", "{", 100_000)));
        assert!(
            v.iter().any(|s| nests(s, "", "{", 100_000)),
            "also without the prefix"
        );
        assert!(
            v.iter().any(|s| nests(s, "a = ", "{", 1_000_000)),
            "10^6 too"
        );
        assert!(
            v.iter().any(|s| s.ends_with(&"}".repeat(1000))),
            "balanced ones close"
        );
    }

    #[test]
    fn the_functions_own_delimiters_are_nested() {
        let h = Hints {
            strings: &["[[", "=", "<", "value"],
            ..Hints::NONE
        };
        let d = delims_from_literals(h.strings);
        assert!(d.contains(&("[[".into(), "]]".into())));
        assert!(d.contains(&("<".into(), ">".into())));
        assert!(d.contains(&("=".into(), String::new())));
        assert!(!d.iter().any(|(o, _)| o == "value"));
        let v = samples(&nesting_for(&h, &["x = 1"]), 1000);
        assert!(v.iter().any(|s| nests(s, "", "[[", 100_000)));
        assert!(v.iter().any(|s| nests(s, "", "<", 100_000)));
        assert!(
            v.iter().any(|s| nests(s, "x = 1", "[[", 100_000)),
            "after a doc example"
        );
        assert!(
            v.iter().any(|s| nests(s, "value", "<", 100_000)),
            "after a literal"
        );
    }

    #[test]
    fn common_delimiters_nest_without_literals() {
        let v = samples(&nesting_for(&Hints::NONE, &[]), 1000);
        for open in ["[", "{", "(", "<a>", "{\"a\":", "\""] {
            assert!(v.iter().any(|s| nests(s, "", open, 100_000)), "{open}");
        }
        assert!(v.iter().any(|s| KEY_PREFIXES
            .iter()
            .any(|p| nests(s, p, "[", 10_000) || nests(s, p, "{", 10_000))));
    }

    #[test]
    fn bare_brackets_are_favoured_without_own_delimiters() {
        let v = samples(&nesting_for(&Hints::NONE, &[]), 2000);
        // Each bracket alone from the first byte: 2/3 × 4/28 + 1/9 × 4/28 ≈ 0.11 of the draws (0.05 with
        // the sixteen pairs equally likely).
        for open in BRACKETS {
            let n = v.iter().filter(|s| nests(s, "", open, 10_000)).count();
            assert!(n >= 150, "{open}: {n} of 2000");
        }
        // The others still come.
        for open in ["<a>", "{\"a\":", "\"", "- "] {
            assert!(v.iter().any(|s| nests(s, "", open, 10_000)), "{open}");
        }
        // A function's own delimiters are not diluted by the favour.
        let h = Hints {
            strings: &["[["],
            ..Hints::NONE
        };
        let own = samples(&nesting_for(&h, &[]), 1000);
        let n = own.iter().filter(|s| nests(s, "", "[[", 10_000)).count();
        assert!(n >= 150, "[[: {n} of 1000");
    }

    #[test]
    fn tags_close_as_tags() {
        assert_eq!(mirror("<item>"), "</item>");
        assert_eq!(mirror("{%"), "%}");
        assert_eq!(mirror("(("), "))");
    }

    /// Whether `b` holds at least `n` × `marker` from `from`.
    fn repeats(b: &[u8], from: usize, marker: &[u8], n: usize) -> bool {
        b.get(from..from + marker.len() * n)
            .is_some_and(|r| *r == *marker.repeat(n))
    }

    #[test]
    fn bytes_repeat_a_mined_marker_and_the_common_ones() {
        let v = samples(&nested_bytes(&[b"\xfe", b"MAGIC"]), 2000);
        assert!(
            v.iter().any(|b| repeats(b, 0, b"\xfe", 100_000)),
            "mined byte"
        );
        assert!(
            v.iter()
                .any(|b| repeats(b, 5, b"\xfe", 100_000) && b.starts_with(b"MAGIC")),
            "after a magic"
        );
        assert!(
            v.iter().any(|b| repeats(b, 0, b"M", 100_000)),
            "first byte of a magic"
        );
        for m in [
            &b"\x91"[..],
            b"\x9f",
            b"[",
            b"\xdc",
            b"\xd9\xd9\xf7",
            b"\xa1\x61\x61",
            b"\x0b",
            b"\xc6",
        ] {
            assert!(v.iter().any(|b| repeats(b, 0, m, 10_000)), "{m:?}");
        }
    }

    #[test]
    fn lengths_encode_like_protobuf_and_der() {
        let enc = |code, n| {
            let mut b = vec![0; length_size(code, n)];
            assert_eq!(write_length(code, n, &mut b, 0), b.len());
            b
        };
        assert_eq!(enc(LengthCode::Varint, 0), [0]);
        assert_eq!(enc(LengthCode::Varint, 300), [0xac, 0x02]);
        assert_eq!(enc(LengthCode::Der, 127), [0x7f]);
        assert_eq!(enc(LengthCode::Der, 128), [0x81, 0x80]);
        assert_eq!(enc(LengthCode::Der, 0x1_0000), [0x83, 0x01, 0x00, 0x00]);
    }

    #[test]
    fn length_delimited_records_nest_with_exact_lengths() {
        let b = length_delimited_nesting(0x0a, LengthCode::Varint, 1000);
        // Walk it: each record's length is everything after its header.
        let mut rest = &b[..];
        let mut levels = 0;
        while let Some((&tag, r)) = rest.split_first() {
            assert_eq!(tag, 0x0a);
            let (mut len, mut shift, mut i) = (0usize, 0, 0);
            loop {
                let x = r[i];
                len |= usize::from(x & 0x7f) << shift;
                shift += 7;
                i += 1;
                if x & 0x80 == 0 {
                    break;
                }
            }
            assert_eq!(len, r.len() - i);
            rest = &r[i..];
            levels += 1;
        }
        assert_eq!(levels, 1000);
        let der = length_delimited_nesting(0x30, LengthCode::Der, 300);
        assert_eq!(&der[..2], &[0x30, 0x82]);
    }
}
