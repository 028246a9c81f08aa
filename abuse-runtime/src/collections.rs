//! Collection strategies: empty, one element, duplicates, sorted and reversed, small, medium and large
//! (bounded), with elements drawn from their own attacking strategy (so NaN and extremes appear inside);
//! plus `Option`, `Result`, `Box`, arrays, tuples up to 8, maps and sets.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt::Debug;
use std::hash::Hash;

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{weighted, Attack};
use crate::hints::Hints;
use crate::shrink_list::list;

/// Vectors of `elem`: empty, one element, duplicates, small, medium and large; a failing one shrinks to any
/// length ([`crate::shrink_list`]).
pub fn vec_of<T: Clone + Debug + 'static>(elem: BoxedStrategy<T>) -> BoxedStrategy<Vec<T>> {
    weighted(vec![
        (8, Just(Vec::new()).boxed()),
        (10, elem.clone().prop_map(|x| vec![x]).boxed()),
        (
            6,
            (elem.clone(), 2..64usize)
                .prop_map(|(x, n)| vec![x; n])
                .boxed(),
        ),
        // Drawn lengths, shrinking to any length (proptest's own `vec` keeps each range's minimum).
        (30, list(elem.clone(), 2..=7).boxed()),
        (10, list(elem.clone(), 8..=63).boxed()),
        (2, list(elem, 256..=1024).boxed()),
    ])
}

/// The most `Debug` text a list of strings or byte strings is drawn with: room for [`vec_of`]'s longest
/// list (1,024 elements) of 64-byte values. An element drawn a megabyte long is a string attack; a list of
/// hundreds of them (66 MB of text drawn for a `Vec<Vec<u8>>`) is no more of one, and a function that builds
/// from its list (aho-corasick's automaton from its patterns) then takes minutes and gigabytes in proportion.
pub const LIST_OF_TEXTS_MAX: u64 = 64 << 10;

/// `lists` with each list of strings cut to [`LIST_OF_TEXTS_MAX`] bytes of `Debug` text: its elements longer
/// than their share (the bound over the list's length) are cut, the list's length and short elements stay.
pub fn list_of_texts<T>(lists: BoxedStrategy<Vec<T>>) -> BoxedStrategy<Vec<T>>
where
    T: crate::RustExpr + Debug + Clone + 'static,
{
    lists
        .prop_map(|mut list| {
            cap_list_of_texts(&mut list, LIST_OF_TEXTS_MAX);
            list
        })
        .boxed()
}

/// Cuts the elements of `list` longer than their share of `max` bytes of `Debug` text (each halved until it
/// fits or cannot be cut).
pub fn cap_list_of_texts<T: crate::RustExpr + Debug>(list: &mut [T], max: u64) {
    let size = |v: &T| crate::measure::debug_size(v, u64::MAX);
    if list.is_empty() || crate::measure::debug_size(list, max) <= max {
        return;
    }
    let share = (max / list.len() as u64).max(16);
    for item in list.iter_mut() {
        let mut last = size(item);
        while last > share && item.cut_in_place(1, 2) {
            let now = size(item);
            if now >= last {
                break;
            }
            last = now;
        }
    }
}

/// Like [`vec_of`], plus sorted and reverse-sorted vectors.
pub fn vec_ord_of<T: Clone + Debug + Ord + 'static>(
    elem: BoxedStrategy<T>,
) -> BoxedStrategy<Vec<T>> {
    weighted(vec![
        (60, vec_of(elem.clone())),
        (
            5,
            prop::collection::vec(elem.clone(), 2..16)
                .prop_map(|mut v| {
                    v.sort();
                    v
                })
                .boxed(),
        ),
        (
            5,
            prop::collection::vec(elem, 2..16)
                .prop_map(|mut v| {
                    v.sort();
                    v.reverse();
                    v
                })
                .boxed(),
        ),
    ])
}

impl<T: Attack> Attack for Vec<T> {
    fn attack(hints: &Hints) -> BoxedStrategy<Vec<T>> {
        T::attack_vec(hints)
    }

    /// Byte vectors inside a vector use the lighter element mix ([`crate::bytes::element_bytes`]): a
    /// thousand of the default mix's megabyte values make a linear function time out. Stable Rust has no
    /// specialisation, so `Vec<u8>` is recognised by its type id.
    fn attack_vec(hints: &Hints) -> BoxedStrategy<Vec<Vec<T>>> {
        if std::any::TypeId::of::<T>() == std::any::TypeId::of::<u8>() {
            let bytes: Box<dyn std::any::Any> =
                Box::new(list_of_texts(vec_of(crate::bytes::element_bytes(hints))));
            return *bytes
                .downcast::<BoxedStrategy<Vec<Vec<T>>>>()
                .expect("T is u8");
        }
        vec_of(Self::attack(hints))
    }
}

impl<T: Attack> Attack for VecDeque<T> {
    fn attack(hints: &Hints) -> BoxedStrategy<VecDeque<T>> {
        T::attack_vec(hints).prop_map(VecDeque::from).boxed()
    }
}

impl<T: Attack, const N: usize> Attack for [T; N] {
    fn attack(hints: &Hints) -> BoxedStrategy<[T; N]> {
        prop::collection::vec(T::attack(hints), N..=N)
            .prop_map(|v| {
                v.try_into()
                    .unwrap_or_else(|_| unreachable!("vec of exactly N elements"))
            })
            .boxed()
    }
}

impl<T: Attack> Attack for Option<T> {
    fn attack(hints: &Hints) -> BoxedStrategy<Option<T>> {
        weighted(vec![
            (1, Just(None).boxed()),
            (3, T::attack(hints).prop_map(Some).boxed()),
        ])
    }
}

impl<T: Attack, E: Attack> Attack for Result<T, E> {
    fn attack(hints: &Hints) -> BoxedStrategy<Result<T, E>> {
        weighted(vec![
            (3, T::attack(hints).prop_map(Ok).boxed()),
            (1, E::attack(hints).prop_map(Err).boxed()),
        ])
    }
}

impl<T: Attack> Attack for Box<T> {
    fn attack(hints: &Hints) -> BoxedStrategy<Box<T>> {
        T::attack(hints).prop_map(Box::new).boxed()
    }
}

impl Attack for bool {
    fn attack(_: &Hints) -> BoxedStrategy<bool> {
        any::<bool>().boxed()
    }
}

impl Attack for () {
    fn attack(_: &Hints) -> BoxedStrategy<()> {
        Just(()).boxed()
    }
}

impl<K: Attack + Hash + Eq, V: Attack> Attack for HashMap<K, V> {
    fn attack(hints: &Hints) -> BoxedStrategy<HashMap<K, V>> {
        vec_of((K::attack(hints), V::attack(hints)).boxed())
            .prop_map(|v| v.into_iter().collect())
            .boxed()
    }
}

impl<K: Attack + Ord, V: Attack> Attack for BTreeMap<K, V> {
    fn attack(hints: &Hints) -> BoxedStrategy<BTreeMap<K, V>> {
        vec_of((K::attack(hints), V::attack(hints)).boxed())
            .prop_map(|v| v.into_iter().collect())
            .boxed()
    }
}

impl<K: Attack + Hash + Eq> Attack for HashSet<K> {
    fn attack(hints: &Hints) -> BoxedStrategy<HashSet<K>> {
        vec_of(K::attack(hints))
            .prop_map(|v| v.into_iter().collect())
            .boxed()
    }
}

impl<K: Attack + Ord> Attack for BTreeSet<K> {
    fn attack(hints: &Hints) -> BoxedStrategy<BTreeSet<K>> {
        vec_of(K::attack(hints))
            .prop_map(|v| v.into_iter().collect())
            .boxed()
    }
}

macro_rules! tuple_attack {
    ($($name:ident),+) => {
        impl<$($name: Attack),+> Attack for ($($name,)+) {
            fn attack(hints: &Hints) -> BoxedStrategy<($($name,)+)> {
                ($($name::attack(hints),)+).boxed()
            }
        }
    };
}
tuple_attack!(A);
tuple_attack!(A, B);
tuple_attack!(A, B, C);
tuple_attack!(A, B, C, D);
tuple_attack!(A, B, C, D, E);
tuple_attack!(A, B, C, D, E, F);
tuple_attack!(A, B, C, D, E, F, G);
tuple_attack!(A, B, C, D, E, F, G, H);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attack::attack;
    use crate::numbers::tests::samples;

    #[test]
    fn lists_of_strings_are_drawn_under_their_bound_keeping_their_length() {
        use proptest::strategy::ValueTree;
        let mut list = vec![vec![48u8; 100_000], b"he".to_vec(), vec![0u8; 4096]];
        cap_list_of_texts(&mut list, LIST_OF_TEXTS_MAX);
        assert_eq!(list.len(), 3);
        assert_eq!(list[1], b"he".to_vec(), "short elements stay");
        assert!(!list[0].is_empty() && list[0].len() < 10_000);
        assert!(crate::measure::debug_size(&list, u64::MAX) <= LIST_OF_TEXTS_MAX);
        let hints = crate::Hints {
            param: "patterns",
            ..crate::Hints::NONE
        };
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let bytes = crate::attack::<Vec<Vec<u8>>>(&hints);
        let strings = crate::attack::<Vec<String>>(&hints);
        let (mut longest, mut max_len) = (0, 0);
        for _ in 0..400 {
            let b = bytes.new_tree(&mut runner).unwrap().current();
            let s = strings.new_tree(&mut runner).unwrap().current();
            for size in [
                crate::measure::debug_size(&b, u64::MAX),
                crate::measure::debug_size(&s, u64::MAX),
            ] {
                // The bound, plus the list's own punctuation (a 16-byte floor per element).
                assert!(size <= LIST_OF_TEXTS_MAX + 24 * 1024, "{size}");
                longest = longest.max(size);
            }
            max_len = max_len.max(b.len()).max(s.len());
        }
        assert!(longest > 16 << 10, "big lists are still drawn: {longest}");
        assert!(max_len >= 256, "long lists are still drawn: {max_len}");
    }

    #[test]
    fn vectors_are_empty_single_duplicated_sorted_and_large() {
        let v = samples(&attack::<Vec<i32>>(&Hints::NONE), 512);
        assert!(v.iter().any(Vec::is_empty));
        assert!(v.iter().any(|x| x.len() == 1));
        assert!(v
            .iter()
            .any(|x| x.len() > 2 && x.windows(2).all(|w| w[0] == w[1])));
        assert!(v
            .iter()
            .any(|x| x.len() > 3 && x.windows(2).all(|w| w[0] > w[1])));
        assert!(v.iter().any(|x| x.len() >= 256));
        assert!(v.iter().any(|x| x.contains(&i32::MIN)));
    }

    #[test]
    fn float_vectors_contain_nan() {
        let v = samples(&attack::<Vec<f64>>(&Hints::NONE), 256);
        assert!(v
            .iter()
            .any(|x| x.len() > 1 && x.iter().any(|f| f.is_nan())));
    }

    #[test]
    fn arrays_tuples_and_maps_generate() {
        let a = samples(&attack::<[u8; 3]>(&Hints::NONE), 8);
        assert_eq!(a.len(), 8);
        let t = samples(
            &attack::<(u8, String, Option<bool>, Vec<u8>, char, i64, f32, usize)>(&Hints::NONE),
            8,
        );
        assert_eq!(t.len(), 8);
        let m = samples(&attack::<HashMap<String, u32>>(&Hints::NONE), 64);
        assert!(m.iter().any(HashMap::is_empty) && m.iter().any(|x| x.len() > 1));
    }
}
