//! Byte strategies (`Vec<u8>`, `&[u8]`): invalid UTF-8, truncated multi-byte sequences, overlong encodings,
//! surrogates, all-0x00 and all-0xFF, length prefixes claiming u32::MAX or u64::MAX bytes in both byte
//! orders at small offsets, length fields off by a little and chains of records, a magic followed by a huge
//! count ([`crate::binary`]), container markers nested 10^4–10^6 deep ([`crate::nesting`]), huge buffers,
//! the function's literals, and random bytes.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{one_of, part, weighted};
use crate::hints::{Hints, Mix};

/// Invalid UTF-8 sequences: lone continuation bytes, truncated sequences, overlong encodings, surrogates,
/// code points past U+10FFFF, bytes never valid.
pub const INVALID_UTF8: &[&[u8]] = &[
    b"\xff",
    b"\xfe",
    b"\x80",
    b"\xbf",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xc0\x80",
    b"\xc0\xaf",
    b"\xe0\x80\xaf",
    b"\xf0\x82\x82\xac",
    b"\xed\xa0\x80",
    b"\xed\xbf\xbf",
    b"\xf4\x90\x80\x80",
    b"\xf8\x88\x80\x80\x80",
    b"\xc1\xbf",
    b"\xe0\x9f\xbf",
];

/// Edge buffers: empty, one byte, all-zero and all-0xFF of several lengths.
#[must_use]
pub fn boundary_bytes() -> Vec<Vec<u8>> {
    let mut v = vec![
        vec![],
        vec![0],
        vec![0xff],
        vec![b'a'],
        vec![0x80],
        vec![0x7f],
    ];
    for n in [2, 3, 4, 7, 8, 9, 16, 64, 4096] {
        v.push(vec![0; n]);
        v.push(vec![0xff; n]);
    }
    v
}

/// Invalid UTF-8 placed after 0 to 8 ASCII bytes, optionally followed by more ASCII.
pub fn invalid_utf8() -> BoxedStrategy<Vec<u8>> {
    (
        "[a-z0-9 ]{0,8}",
        one_of(INVALID_UTF8.to_vec()),
        "[a-z]{0,4}",
    )
        .prop_map(|(pre, bad, post)| [pre.as_bytes(), bad, post.as_bytes()].concat())
        .boxed()
}

/// A length field claiming a huge size (u32::MAX, u64::MAX, i32::MAX, 2^31, u16::MAX, 2^24, 2^28) in 2, 4 or
/// 8 bytes, little or big endian, at offset 0 to 4, followed by a few payload bytes.
pub fn length_prefixed() -> BoxedStrategy<Vec<u8>> {
    (
        prop_oneof![4 => Just(0usize), 1 => 1..=4usize],
        one_of(vec![
            u64::MAX,
            u32::MAX as u64,
            0x7fff_ffff,
            0x8000_0000,
            0xffff,
            0x0100_0000,
            0x1000_0000,
            0x7fff_ffff_ffff_ffff,
        ]),
        one_of(vec![4usize, 8, 2]),
        any::<bool>(),
        prop::collection::vec(any::<u8>(), 0..8),
    )
        .prop_map(|(offset, value, width, big_endian, payload)| {
            let mut out = vec![0u8; offset];
            let be = value.to_be_bytes();
            let le = value.to_le_bytes();
            let field: Vec<u8> = if big_endian {
                be[8 - width..].to_vec()
            } else {
                le[..width].to_vec()
            };
            // A 2-byte field of u64::MAX is 0xFFFF either way; narrower fields keep the low bytes.
            out.extend(field);
            out.extend(payload);
            out
        })
        .boxed()
}

/// Huge buffers (bounded so 256 cases stay fast). Shrinks (see [`crate::shrink`]).
pub fn huge_bytes() -> BoxedStrategy<Vec<u8>> {
    crate::shrink::shrinking_boxed(
        one_of(vec![(0u8, 1usize << 16), (0xff, 1 << 16), (b'a', 1 << 18)])
            .prop_map(|(b, n)| vec![b; n]),
    )
}

/// The attacking byte strategy with an explicit mix.
pub fn bytes_with(hints: &Hints, mix: &Mix) -> BoxedStrategy<Vec<u8>> {
    bytes_mix(hints, mix, false)
}

/// The byte strategy for an element of a collection (`Vec<Vec<u8>>`): megabyte values are rarer (deep
/// nestings weigh a quarter, huge buffers nothing), since a vector holds up to a thousand elements.
pub fn element_bytes(hints: &Hints) -> BoxedStrategy<Vec<u8>> {
    bytes_mix(hints, &Mix::for_hints(hints), true)
}

fn bytes_mix(hints: &Hints, mix: &Mix, element: bool) -> BoxedStrategy<Vec<u8>> {
    let magic_w = if hints.strings.is_empty() && hints.bytes.is_empty() {
        mix.malformed / 4
    } else {
        mix.literals / 2
    };
    let mut parts = vec![
        part(mix.boundary, boundary_bytes()),
        (mix.malformed, invalid_utf8()),
        (mix.malformed, length_prefixed()),
        (
            mix.malformed / 2,
            crate::binary::length_records_for(hints, hints.bytes),
        ),
        (magic_w, crate::binary::magic_for(hints, hints.bytes)),
        (mix.malformed / 2, crate::binary::truncated_integers()),
        (
            if element {
                (mix.malformed / 8).max(1)
            } else {
                mix.malformed / 2
            },
            crate::nesting::nesting_bytes_for(hints, hints.bytes),
        ),
        (
            mix.adversarial / 2,
            crate::strings::string_mix(hints, mix, element)
                .prop_map(String::into_bytes)
                .boxed(),
        ),
        (if element { 0 } else { mix.adversarial / 8 }, huge_bytes()),
        (
            mix.random,
            prop::collection::vec(any::<u8>(), 0..64).boxed(),
        ),
        (mix.literals, crate::literals::byte_literals(hints)),
    ];
    let matching = crate::backtracking::parts(hints)
        .into_iter()
        .map(|(share, s)| (share, s.prop_map(String::into_bytes).boxed()))
        .collect();
    crate::strings::add_shares(&mut parts, matching);
    // Every part shrinks by removing bytes and zeroing them: fixed lists and long runs included.
    let mixed = crate::shrink::shrinking_boxed(weighted(parts));
    // A parameter's first cases draw each nesting marker, prefix-integer lead byte and magic once (an
    // element's would all land in the first collection drawn).
    if element || mix.malformed / 2 == 0 {
        return mixed;
    }
    let mut families = vec![
        crate::nesting::nesting_bytes_forms_for(hints, hints.bytes),
        crate::binary::truncated_integer_forms(),
    ];
    if magic_w > 0 {
        families.push(crate::binary::magic_forms(hints, hints.bytes));
    }
    crate::forms::every_form_first(families, mixed)
}

/// The default attacking strategy for byte vectors.
pub fn attack_bytes(hints: &Hints) -> BoxedStrategy<Vec<u8>> {
    bytes_with(hints, &Mix::for_hints(hints))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn invalid_utf8_and_extremes_appear() {
        let v = samples(&attack_bytes(&Hints::NONE), 256);
        assert!(v.iter().filter(|b| std::str::from_utf8(b).is_err()).count() > 20);
        assert!(v
            .iter()
            .any(|b| b.len() >= 4 && b.iter().all(|&x| x == 0xff)));
        assert!(v.iter().any(Vec::is_empty));
    }

    #[test]
    fn length_prefixes_claim_u32_max_in_both_orders() {
        let v = samples(&length_prefixed(), 512);
        let at0 = |b: &Vec<u8>, f: &[u8]| b.starts_with(f);
        assert!(v.iter().any(|b| at0(b, &[0xff; 4])));
        assert!(
            v.iter().any(|b| at0(b, &[0x7f, 0xff, 0xff, 0xff])),
            "big endian i32::MAX"
        );
        assert!(
            v.iter().any(|b| at0(b, &[0xff, 0xff, 0xff, 0x7f])),
            "little endian i32::MAX"
        );
    }

    /// Whether `b` is `marker` repeated at least 10,000 times.
    fn nests(b: &[u8], marker: &[u8]) -> bool {
        b.len() >= marker.len() * 10_000 && b.chunks(marker.len()).all(|c| c == marker)
    }

    #[test]
    fn the_first_draws_nest_every_common_marker_and_cut_every_prefix_integer() {
        use crate::forms::MAX_FORMS;
        let v = samples(&attack_bytes(&Hints::NONE), MAX_FORMS);
        for marker in crate::nesting::COMMON_MARKERS {
            assert!(v.iter().any(|b| nests(b, marker)), "{marker:x?}");
        }
        for lead in [0x0f, 0x1f, 0x3f, 0x7f, 0xff, 0x80] {
            assert!(
                v.iter()
                    .any(|b| b.iter().find(|x| **x != 0) == Some(&lead) && b.len() <= 30),
                "{lead:x}"
            );
        }
        for magic in crate::binary::COMMON_MAGICS {
            assert!(v.iter().any(|b| b.starts_with(magic)), "{magic:x?}");
        }
        // An element of a collection draws from the weighted mix from the start.
        let e = samples(&element_bytes(&Hints::NONE), MAX_FORMS);
        let deep = e.iter().filter(|b| b.len() >= 10_000).count();
        assert!(deep < MAX_FORMS / 4, "{deep} deep elements");
    }

    #[test]
    fn a_mined_marker_nests_first_after_its_magic_or_alone() {
        let h = Hints {
            bytes: &[b"\xd8"],
            ..Hints::NONE
        };
        let v = samples(&attack_bytes(&h), 3);
        assert!(
            v.iter()
                .any(|b| nests(b, b"\xd8") || (b.starts_with(b"\xd8") && nests(&b[1..], b"\xd8"))),
            "{:?}",
            v.iter().map(|b| (b.len(), b.first())).collect::<Vec<_>>()
        );
    }

    #[test]
    fn mined_byte_literals_are_magics_followed_by_huge_counts() {
        let h = Hints {
            bytes: &[b"\x89PNG"],
            ..Hints::NONE
        };
        let v = samples(&attack_bytes(&h), 1000);
        assert!(v
            .iter()
            .any(|b| b.starts_with(b"\x89PNG") && b.windows(4).any(|w| w == [0xff; 4])));
    }
}
