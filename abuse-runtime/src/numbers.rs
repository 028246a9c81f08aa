//! Integer strategies: boundaries (0, ±1, MIN, MAX, MIN+1, MAX-1, powers of two ±1), small values (indices,
//! lengths), hinted literals ±1, and uniform random values.
//!
//! proptest's own integer strategies draw uniformly, so MIN, MAX, 0 and -1 almost never appear.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{part, weighted, Attack};
use crate::hints::{Hints, Mix, ParamRole};

/// Integer types the number strategies cover.
pub trait AttackInt: Copy + Ord + std::fmt::Debug + Arbitrary + 'static {
    /// Every boundary value of the type: 0, ±1, MIN, MAX, MIN+1, MAX-1, ±2^k, 2^k ± 1.
    fn boundaries() -> Vec<Self>;
    /// The value when it fits the type.
    fn from_i128(v: i128) -> Option<Self>;
    /// 0..=max (small values: lengths, indices).
    fn small(max: u8) -> BoxedStrategy<Self>;
}

macro_rules! attack_int {
    ($($t:ident),*) => {$(
        impl AttackInt for $t {
            fn boundaries() -> Vec<$t> {
                let mut v: Vec<$t> = vec![0, 1, $t::MAX, $t::MIN, $t::MAX - 1, $t::MIN.wrapping_add(1), (0 as $t).wrapping_sub(1)];
                for k in 1..$t::BITS {
                    let p: $t = 1 << k;
                    v.extend([p, p.wrapping_sub(1), p.wrapping_add(1), p.wrapping_neg()]);
                }
                // Keep first occurrences so shrinking moves towards the simplest edges.
                let mut seen = std::collections::BTreeSet::new();
                v.retain(|x| seen.insert(*x));
                v
            }
            fn from_i128(v: i128) -> Option<$t> {
                <$t>::try_from(v).ok()
            }
            fn small(max: u8) -> BoxedStrategy<$t> {
                (0..=(max as $t)).boxed()
            }
        }

        impl Attack for $t {
            fn attack(hints: &Hints) -> BoxedStrategy<$t> {
                int_with::<$t>(hints, &Mix::for_hints(hints))
            }
            fn attack_vec(hints: &Hints) -> BoxedStrategy<Vec<$t>> {
                crate::collections::vec_ord_of(<$t>::attack(hints))
            }
        }
    )*};
}
attack_int!(i8, i16, i32, i64, i128, isize, u16, u32, u64, u128, usize);

// u8 gets byte attacks for `Vec<u8>`, so it is written out.
impl AttackInt for u8 {
    fn boundaries() -> Vec<u8> {
        vec![
            0,
            1,
            u8::MAX,
            u8::MAX - 1,
            0x7f,
            0x80,
            0x81,
            2,
            3,
            4,
            7,
            8,
            9,
            15,
            16,
            17,
            31,
            32,
            33,
            63,
            64,
            65,
            127,
            128,
            129,
        ]
    }
    fn from_i128(v: i128) -> Option<u8> {
        u8::try_from(v).ok()
    }
    fn small(max: u8) -> BoxedStrategy<u8> {
        (0..=max).boxed()
    }
}

impl Attack for u8 {
    fn attack(hints: &Hints) -> BoxedStrategy<u8> {
        int_with::<u8>(hints, &Mix::for_hints(hints))
    }
    fn attack_vec(hints: &Hints) -> BoxedStrategy<Vec<u8>> {
        crate::bytes::attack_bytes(hints)
    }
}

/// Hinted integers and their neighbours (±1), those that fit `T`.
#[must_use]
pub fn hinted<T: AttackInt>(hints: &Hints) -> Vec<T> {
    let mut out = Vec::new();
    for &v in hints.ints {
        for d in [0, -1, 1] {
            if let Some(x) = v.checked_add(d).and_then(T::from_i128) {
                if !out.contains(&x) {
                    out.push(x);
                }
            }
        }
    }
    out
}

/// The boundary values of `T`.
pub fn boundary<T: AttackInt>() -> BoxedStrategy<T> {
    crate::attack::one_of(T::boundaries())
}

/// The attacking integer strategy with an explicit mix.
pub fn int_with<T: AttackInt>(hints: &Hints, mix: &Mix) -> BoxedStrategy<T> {
    let size_like = matches!(hints.param_role(), ParamRole::Size);
    let small_weight = if size_like {
        mix.boundary * 2
    } else {
        mix.boundary / 2
    };
    let all = T::boundaries();
    // The first seven are 0, 1, MAX, MIN, MAX-1, MIN+1, -1: the edges that matter most get their own share.
    let core: Vec<T> = all.iter().take(7).copied().collect();
    let mut parts = vec![
        part(mix.boundary, core),
        part(mix.boundary / 2, all),
        (small_weight, T::small(16)),
        (mix.random, any::<T>().boxed()),
        part(mix.literals, hinted::<T>(hints)),
    ];
    if matches!(hints.param_role(), ParamRole::Port) {
        let ports: Vec<T> = [
            0i128, 1, 22, 80, 443, 1023, 1024, 8080, 65534, 65535, 65536, 65537, -1,
        ]
        .into_iter()
        .filter_map(T::from_i128)
        .collect();
        parts.push(part(mix.adversarial, ports));
    }
    weighted(parts)
}

/// What a value offers as lengths for an integer parameter to sit next to (`truncate(s, n)` with `n` near
/// `s.len()`, `get(v, i)` with `i` near `v.len()`): a string's byte and char counts, a collection's length.
pub trait Lengths {
    /// The lengths, in the order they are tried.
    fn lengths(&self) -> Vec<usize>;
}

impl Lengths for String {
    fn lengths(&self) -> Vec<usize> {
        vec![self.len(), self.chars().count()]
    }
}

impl<T> Lengths for Vec<T> {
    fn lengths(&self) -> Vec<usize> {
        vec![self.len()]
    }
}

/// Integers next to one of `lengths`: each length, one less, one more, doubled and halved, where they fit
/// `T` (a `usize` never gets −1 from an empty string, an `i32` does). `gen` ties a function's integer
/// parameters to its first string or collection parameter this way in a quarter of the cases, since
/// independent draws almost never land next to a long input's length.
pub fn near_length<T: AttackInt>(lengths: Vec<usize>) -> BoxedStrategy<T> {
    let mut seen = std::collections::BTreeSet::new();
    let values: Vec<T> = lengths
        .iter()
        .flat_map(|&l| {
            let l = l as i128;
            [l, l - 1, l + 1, l * 2, l / 2]
        })
        .filter_map(T::from_i128)
        .filter(|v| seen.insert(*v))
        .collect();
    if values.is_empty() {
        return boundary::<T>();
    }
    proptest::sample::select(values).boxed()
}

/// `independent` in three cases of four and `tied` (integers drawn with [`near_length`]) in the fourth;
/// `independent` alone under `ABUSE_STRATEGY=naive` (plain proptest draws parameters independently).
pub fn lengths_tied<T: std::fmt::Debug + 'static>(
    independent: impl Strategy<Value = T> + 'static,
    tied: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<T> {
    if crate::naive::enabled() {
        return independent.boxed();
    }
    prop_oneof![3 => independent, 1 => tied].boxed()
}

#[cfg(test)]
pub(crate) mod tests {
    #[test]
    fn near_length_sits_next_to_each_length_within_the_type() {
        use proptest::strategy::ValueTree;
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..500 {
            let s = super::near_length::<usize>("é".repeat(10).lengths());
            seen.insert(s.new_tree(&mut runner).expect("tree").current());
        }
        // 20 bytes and 10 chars: each, ±1, doubled, halved.
        let expected: std::collections::BTreeSet<usize> =
            [20, 19, 21, 40, 10, 9, 11, 5].into_iter().collect();
        assert_eq!(seen, expected);
        let empty = super::near_length::<i32>(Vec::<u8>::new().lengths());
        let mut got = std::collections::BTreeSet::new();
        for _ in 0..200 {
            got.insert(empty.new_tree(&mut runner).expect("tree").current());
        }
        assert_eq!(got, [0, -1, 1].into_iter().collect());
    }

    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    pub(crate) fn samples<T: std::fmt::Debug>(s: &BoxedStrategy<T>, n: usize) -> Vec<T> {
        let mut runner = TestRunner::deterministic();
        (0..n)
            .map(|_| s.new_tree(&mut runner).expect("tree").current())
            .collect()
    }

    #[test]
    fn extremes_and_zero_appear_in_256_samples() {
        let v = samples(&i64::attack(&Hints::NONE), 256);
        for want in [0, -1, 1, i64::MIN, i64::MAX] {
            assert!(v.contains(&want), "{want} missing");
        }
        let v = samples(&u128::attack(&Hints::NONE), 256);
        assert!(v.contains(&u128::MAX) && v.contains(&0));
    }

    #[test]
    fn boundaries_include_powers_of_two_and_neighbours() {
        let b = u32::boundaries();
        for want in [255, 256, 257, 65535, 65536, 1 << 31, u32::MAX - 1] {
            assert!(b.contains(&want), "{want}");
        }
        assert!(i8::boundaries().contains(&-128) && i8::boundaries().contains(&-127));
    }

    #[test]
    fn hinted_ints_and_neighbours_appear() {
        let h = Hints {
            ints: &[1000, 300],
            ..Hints::NONE
        };
        assert_eq!(hinted::<u16>(&h), vec![1000, 999, 1001, 300, 299, 301]);
        assert_eq!(hinted::<u8>(&h), Vec::<u8>::new());
        let v = samples(&u16::attack(&h), 256);
        assert!(v.contains(&1001));
    }

    #[test]
    fn size_params_get_small_values_often() {
        let h = Hints {
            param: "len",
            ..Hints::NONE
        };
        let v = samples(&usize::attack(&h), 256);
        assert!(v.iter().filter(|&&x| x <= 16).count() > 64);
    }
}
