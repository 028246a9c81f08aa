//! Binary formats: length or count fields that are off by a little or claim the type's maximum, and
//! allocations gated behind a magic.
//!
//! - [`length_records`]: a 1, 2, 4 or 8-byte (or LEB128) field, little or big endian, at each offset 0 to 8
//!   (after zeros or a magic), equal to the bytes that remain (after the field, including it, or in the whole
//!   buffer) −1, +0, +1, +2, or to the field's MAX; and chains of records (optionally tag–length–value)
//!   where every record is exact but the last. Off-by-one slicing (`&buf[4..4 + len]`) and unchecked
//!   `len - header` subtraction fail on these.
//! - [`magic_then_huge_count`]: a magic (mined byte or string literal, or a common file signature), small
//!   version values (0, 1, 2), then a huge count (u32::MAX, i32::MAX, 2^31, u64::MAX, u16::MAX, 2^24, both
//!   byte orders) and a few bytes: a `Vec::with_capacity(count)` behind the magic check is reached without
//!   fuzzing.
//!
//! - [`truncated_integers`]: a prefix-coded integer (HPACK-style `0x3f`, LEB128 `0x80`) whose first byte
//!   asks for a continuation that never comes, or whose continuation runs past any 64-bit value.
//!
//! Entry points for byte literals the hints do not carry yet: both take the magics as `&[&[u8]]`;
//! [`length_records_for`] and [`magic_for`] add the hints' string literals.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::hints::Hints;
use crate::shrink::shrinking_boxed;

/// Common file signatures, for functions whose magic the hints do not show.
pub const COMMON_MAGICS: &[&[u8]] = &[
    b"\x89PNG\r\n\x1a\n",
    b"GIF89a",
    b"PK\x03\x04",
    b"\x7fELF",
    b"BM",
    b"RIFF",
    b"OggS",
    b"fLaC",
    b"\x1f\x8b",
    b"%PDF",
    b"ID3",
    b"MThd",
    b"\x00asm",
    b"\xca\xfe\xba\xbe",
    b"\xff\xd8\xff",
    b"II*\x00",
];

/// How a length field is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `width` bytes (1, 2, 4 or 8), big endian when `big`.
    Fixed { width: usize, big: bool },
    /// LEB128.
    Varint,
}

impl Field {
    /// The largest value the field holds.
    #[must_use]
    pub fn max(self) -> u64 {
        match self {
            Field::Fixed { width: 8, .. } | Field::Varint => u64::MAX,
            Field::Fixed { width, .. } => (1u64 << (8 * width)) - 1,
        }
    }

    /// The field's size when it holds `value` (a varint grows with it).
    #[must_use]
    pub fn size(self, value: u64) -> usize {
        match self {
            Field::Fixed { width, .. } => width,
            Field::Varint => (64 - value.max(1).leading_zeros() as usize).div_ceil(7),
        }
    }

    /// Appends `value` (truncated to the field's width: `−1` of 0 is MAX) to `out`.
    pub fn write(self, value: u64, out: &mut Vec<u8>) {
        match self {
            Field::Fixed { width, big: true } => {
                out.extend_from_slice(&value.to_be_bytes()[8 - width..])
            }
            Field::Fixed { width, big: false } => {
                out.extend_from_slice(&value.to_le_bytes()[..width])
            }
            Field::Varint => {
                let mut v = value;
                loop {
                    let b = (v & 0x7f) as u8;
                    v >>= 7;
                    if v == 0 {
                        out.push(b);
                        break;
                    }
                    out.push(b | 0x80);
                }
            }
        }
    }
}

fn field() -> BoxedStrategy<Field> {
    prop_oneof![
        6 => (one_of(vec![1usize, 2, 4, 8]), any::<bool>()).prop_map(|(width, big)| Field::Fixed { width, big }),
        1 => Just(Field::Varint),
    ]
    .boxed()
}

/// What a length counts.
#[derive(Clone, Copy, Debug)]
enum Counts {
    /// The bytes after the field.
    After,
    /// The field and the bytes after it.
    FieldAndAfter,
    /// The whole buffer.
    Whole,
}

/// The error added to the exact length: −1, 0, +1, +2, or the field's MAX instead.
#[derive(Clone, Copy, Debug)]
enum Off {
    By(i64),
    Max,
}

fn off() -> BoxedStrategy<Off> {
    prop_oneof![
        2 => Just(Off::By(-1)),
        1 => Just(Off::By(0)),
        2 => Just(Off::By(1)),
        1 => Just(Off::By(2)),
        2 => Just(Off::Max),
    ]
    .boxed()
}

fn claimed(f: Field, exact: u64, off: Off) -> u64 {
    match off {
        Off::Max => f.max(),
        Off::By(d) => exact.wrapping_add_signed(d) & f.max(),
    }
}

/// `prefix`, then a length field claiming the exact count ± `off`, then `payload`.
fn one_record(prefix: &[u8], f: Field, counts: Counts, off: Off, payload: &[u8]) -> Vec<u8> {
    // The varint's own size depends on the value; fixed widths do not.
    let size = f.size(payload.len() as u64 + prefix.len() as u64 + 8);
    let exact = match counts {
        Counts::After => payload.len(),
        Counts::FieldAndAfter => size + payload.len(),
        Counts::Whole => prefix.len() + size + payload.len(),
    } as u64;
    let mut out = prefix.to_vec();
    f.write(claimed(f, exact, off), &mut out);
    out.extend_from_slice(payload);
    out
}

/// Records one after another, each an optional tag byte, a length field and that many bytes, exact except
/// the last, which is off by −1, 0, +1, +2 or claims MAX.
fn chain(f: Field, tag: Option<u8>, payloads: &[Vec<u8>], off: Off) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        out.extend(tag);
        let last = i + 1 == payloads.len();
        let v = if last {
            claimed(f, p.len() as u64, off)
        } else {
            p.len() as u64
        };
        f.write(v, &mut out);
        out.extend_from_slice(p);
    }
    out
}

/// Length-field attacks after a zero prefix of 0 to 8 bytes or after one of `magics` (mined byte or string
/// literals), and chains of records (see the module docs).
pub fn length_records(magics: &[&[u8]]) -> BoxedStrategy<Vec<u8>> {
    let mut prefixes: Vec<Vec<u8>> = (0..=8).map(|o| vec![0u8; o]).collect();
    prefixes.extend((1..=8).map(|o| vec![1u8; o]));
    let magics: Vec<Vec<u8>> = magics
        .iter()
        .filter(|m| !m.is_empty())
        .map(|m| m.to_vec())
        .collect();
    let prefix = if magics.is_empty() {
        one_of(prefixes)
    } else {
        prop_oneof![
            1 => one_of(prefixes),
            1 => (one_of(magics), 0..=4usize).prop_map(|(mut m, pad)| { m.resize(m.len() + pad, 0); m }),
        ]
        .boxed()
    };
    let counts = prop_oneof![3 => Just(Counts::After), 1 => Just(Counts::FieldAndAfter), 1 => Just(Counts::Whole)];
    let single = (
        prefix.clone(),
        field(),
        counts,
        off(),
        prop::collection::vec(any::<u8>(), 0..24),
    )
        .prop_map(|(p, f, c, o, payload)| one_record(&p, f, c, o, &payload));
    let tag = prop_oneof![1 => Just(None), 1 => any::<u8>().prop_map(Some)];
    let chained = (
        prefix,
        field(),
        tag,
        prop::collection::vec(prop::collection::vec(any::<u8>(), 0..8), 2..6),
        off(),
    )
        .prop_map(|(p, f, t, payloads, o)| {
            let mut out = p;
            out.extend(chain(f, t, &payloads, o));
            out
        });
    shrinking_boxed(prop_oneof![3 => single, 2 => chained])
}

/// [`length_records`] after the hints' string literals and `byte_literals` (`&[]` until the hints carry
/// them).
pub fn length_records_for(hints: &Hints, byte_literals: &[&[u8]]) -> BoxedStrategy<Vec<u8>> {
    length_records(&magics_of(hints, byte_literals))
}

/// Huge counts a size field behind a magic may claim.
const HUGE: &[u64] = &[
    u32::MAX as u64,
    0x7fff_ffff,
    u64::MAX,
    0x8000_0000,
    0xffff,
    0x0100_0000,
    0x7fff_ffff_ffff_ffff,
];

/// One of `magics` (the common signatures when empty), a small version (0, 1 or 2 in 1, 2 or 4 bytes, or
/// none), 0 to 3 zero bytes, a huge count in 4, 8 or 2 bytes of either order, and up to 8 bytes.
pub fn magic_then_huge_count(magics: &[&[u8]]) -> BoxedStrategy<Vec<u8>> {
    let list: Vec<Vec<u8>> = if magics.iter().any(|m| !m.is_empty()) {
        magics
            .iter()
            .filter(|m| !m.is_empty())
            .map(|m| m.to_vec())
            .collect()
    } else {
        COMMON_MAGICS.iter().map(|m| m.to_vec()).collect()
    };
    let version = prop_oneof![
        1 => Just(None),
        3 => (0..=2u64, one_of(vec![1usize, 2, 4]), any::<bool>())
            .prop_map(|(v, width, big)| Some((v, Field::Fixed { width, big }))),
    ];
    let count = (
        one_of(HUGE.to_vec()),
        one_of(vec![4usize, 8, 2]),
        any::<bool>(),
    )
        .prop_map(|(n, width, big)| (n, Field::Fixed { width, big }));
    shrinking_boxed(
        (
            one_of(list),
            version,
            prop_oneof![3 => Just(0usize), 1 => 1..=3usize],
            count,
            prop::collection::vec(any::<u8>(), 0..8),
        )
            .prop_map(|(mut out, version, pad, (n, f), tail)| {
                if let Some((v, vf)) = version {
                    vf.write(v, &mut out);
                }
                out.resize(out.len() + pad, 0);
                f.write(n, &mut out);
                out.extend(tail);
                out
            }),
    )
}

/// Prefix-coded integers cut short or running too long: a first byte whose low `n` bits (3 to 8) are all set,
/// with the bit above them set too (`0x0f`, `0x1f`, `0x3f`, `0x7f`, `0xff`: the type bits then a full prefix
/// of HPACK/QPACK-style integers, so a continuation must follow), or a LEB128 byte with its continuation bit
/// (`0x80`, `0xff`); then nothing, 1 to 12 continuation bytes (`0xff` or `0x80`) with no final byte, or 5 to
/// 12 continuations then a final byte (longer than any 32/64-bit value needs). A decoder that indexes the
/// next byte without a check, or unwraps its integer decoding, fails on these; optionally after 1 to 3 zero
/// bytes (a first field that decodes) and followed by one more such integer.
pub fn truncated_integers() -> BoxedStrategy<Vec<u8>> {
    truncated_after(prop_oneof![
        4 => (3..=8u32).prop_map(|n| (((1u32 << (n + 1)) - 1) & 0xff) as u8),
        1 => one_of(vec![0x80u8, 0xff]),
    ])
}

/// The first bytes [`truncated_integers`] draws: full prefixes of 3 to 8 bits, and LEB128 continuations.
const PREFIX_FULL: &[u8] = &[0x0f, 0x1f, 0x3f, 0x7f, 0xff, 0x80];

/// One strategy per first byte of [`truncated_integers`] (see [`crate::forms`]).
pub fn truncated_integer_forms() -> Vec<BoxedStrategy<Vec<u8>>> {
    PREFIX_FULL
        .iter()
        .map(|b| truncated_after(Just(*b)))
        .collect()
}

fn truncated_after(first: impl Strategy<Value = u8> + 'static) -> BoxedStrategy<Vec<u8>> {
    let tail = prop_oneof![
        3 => Just(Vec::new()),
        2 => (1..=12usize, one_of(vec![0xffu8, 0x80])).prop_map(|(k, b)| vec![b; k]),
        1 => (5..=12usize).prop_map(|k| { let mut v = vec![0xffu8; k]; v.push(0x01); v }),
    ];
    let lead = prop_oneof![4 => Just(0usize), 1 => 1..=3usize];
    shrinking_boxed(
        (lead, first, tail, any::<bool>()).prop_map(|(lead, first, tail, twice)| {
            let mut out = vec![0u8; lead];
            let one = [&[first][..], &tail[..]].concat();
            out.extend_from_slice(&one);
            if twice && !tail.is_empty() {
                out.extend_from_slice(&one);
            }
            out
        }),
    )
}

/// [`magic_then_huge_count`] with the hints' string literals' bytes and `byte_literals` as magics (`&[]`
/// until the hints carry them); the common signatures when there are none.
pub fn magic_for(hints: &Hints, byte_literals: &[&[u8]]) -> BoxedStrategy<Vec<u8>> {
    magic_then_huge_count(&magics_of(hints, byte_literals))
}

/// One strategy per magic of [`magic_for`] (see [`crate::forms`]): each mined magic, or each common signature
/// when none is mined.
pub fn magic_forms(hints: &Hints, byte_literals: &[&[u8]]) -> Vec<BoxedStrategy<Vec<u8>>> {
    let own: Vec<&[u8]> = magics_of(hints, byte_literals)
        .into_iter()
        .filter(|m| !m.is_empty())
        .collect();
    let list = if own.is_empty() {
        COMMON_MAGICS.to_vec()
    } else {
        own
    };
    list.into_iter()
        .map(|m| magic_then_huge_count(&[m]))
        .collect()
}

fn magics_of<'a>(hints: &'a Hints, byte_literals: &[&'a [u8]]) -> Vec<&'a [u8]> {
    let mut m: Vec<&[u8]> = byte_literals.to_vec();
    m.extend(
        hints
            .strings
            .iter()
            .filter(|s| !s.is_empty() && s.len() <= 16)
            .map(|s| s.as_bytes()),
    );
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    /// Whether some `width`-byte field at `at` holds `rest + d` where `rest` counts the bytes after it.
    fn field_is(b: &[u8], at: usize, width: usize, big: bool, want: impl Fn(u64) -> u64) -> bool {
        if b.len() < at + width {
            return false;
        }
        let mut buf = [0u8; 8];
        let f = &b[at..at + width];
        let v = if big {
            buf[8 - width..].copy_from_slice(f);
            u64::from_be_bytes(buf)
        } else {
            buf[..width].copy_from_slice(f);
            u64::from_le_bytes(buf)
        };
        v == want((b.len() - at - width) as u64)
    }

    #[test]
    fn fields_of_every_width_order_and_offset_are_off_by_a_little() {
        let v = samples(&length_records(&[]), 6000);
        for width in [1usize, 2, 4, 8] {
            for big in [false, true] {
                let f = Field::Fixed { width, big };
                for d in [-1i64, 0, 1, 2] {
                    assert!(
                        v.iter().any(|b| (0..=8).any(|at| b.len() > at + width
                            && b[..at].iter().all(|x| *x == 0)
                            && field_is(b, at, width, big, |r| r.wrapping_add_signed(d)
                                & f.max()))),
                        "width {width} big {big} off {d}"
                    );
                }
                assert!(
                    v.iter().any(|b| field_is(b, 0, width, big, |_| f.max())),
                    "MAX {width}"
                );
            }
        }
        for at in 0..=8 {
            assert!(
                v.iter().any(|b| b.len() > at + 4
                    && b[..at].iter().all(|x| *x == 0)
                    && (field_is(b, at, 4, false, |r| r + 1)
                        || field_is(b, at, 4, true, |r| r + 1))),
                "offset {at}"
            );
        }
    }

    #[test]
    fn chains_are_exact_until_the_last_record() {
        let f = Field::Fixed {
            width: 2,
            big: true,
        };
        let b = chain(
            f,
            Some(7),
            &[vec![1, 2], vec![3], vec![4, 5, 6]],
            Off::By(1),
        );
        assert_eq!(b, [7, 0, 2, 1, 2, 7, 0, 1, 3, 7, 0, 4, 4, 5, 6]);
        let v = samples(&length_records(&[b"HDR"]), 1000);
        assert!(v.iter().any(|b| b.starts_with(b"HDR") && b.len() > 5));
    }

    #[test]
    fn a_mined_magic_is_followed_by_a_version_and_a_huge_count() {
        let v = samples(&magic_then_huge_count(&[b"FRM1"]), 3000);
        assert!(v.iter().all(|b| b.starts_with(b"FRM1")));
        let versions = [&[0u8][..], &[1], &[2], &[1, 0], &[0, 0, 0, 2], &[]];
        for count in [
            [0xff; 4],
            [0xff, 0xff, 0xff, 0x7f],
            [0x7f, 0xff, 0xff, 0xff],
        ] {
            assert!(
                v.iter().any(|b| versions
                    .iter()
                    .any(|ver| b.starts_with(&[&b"FRM1"[..], ver, &count].concat()))),
                "{count:?}"
            );
        }
        for ver in versions {
            let want = [&b"FRM1"[..], ver, &[0xff; 4]].concat();
            assert!(v.iter().any(|b| b.starts_with(&want)), "{want:?}");
        }
        assert!(
            v.iter().any(|b| b[4..].windows(8).any(|w| w == [0xff; 8])),
            "u64::MAX"
        );
        let common = samples(&magic_then_huge_count(&[]), 300);
        assert!(common.iter().any(|b| b.starts_with(b"\x89PNG")));
    }

    #[test]
    fn prefix_integers_end_where_a_continuation_is_due() {
        let v = samples(&truncated_integers(), 1000);
        // Every full prefix (3 to 8 bits, type bit above it) alone: the continuation byte is missing.
        for first in [0x0fu8, 0x1f, 0x3f, 0x7f, 0xff] {
            assert!(v.iter().any(|b| b == &[first]), "{first:#x} alone");
            assert!(
                v.iter().any(|b| b.len() >= 6
                    && b[0] == first
                    && b[1..].iter().all(|&c| c & 0x80 != 0)),
                "{first:#x} then continuations only"
            );
        }
        assert!(v.iter().any(|b| b == &[0x80]), "a bare LEB128 continuation");
        assert!(
            v.iter().any(|b| b.len() >= 7 && b.ends_with(&[0xff, 0x01])),
            "overlong: more continuations than 64 bits need, then an end"
        );
        assert!(v
            .iter()
            .any(|b| b.starts_with(&[0, 0x3f]) || b.starts_with(&[0, 0, 0x3f])));
    }
}
