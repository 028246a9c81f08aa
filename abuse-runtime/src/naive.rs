//! proptest's plain strategies: the baseline `ABUSE_STRATEGY=naive` switches every input helper to, so a
//! benchmark can run the same generated harnesses with and without the attacking strategies.
//!
//! [`Naive::naive`] is what `any::<T>()` draws for each type [`Attack`](crate::Attack) covers (uniform
//! integers, finite floats, proptest's random strings, vectors of up to 100 elements); containers compose
//! their elements' plain strategies, as `any::<Vec<T>>()` does. No boundary list, no hint, no literal.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ffi::OsString;
use std::hash::Hash;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use proptest::collection::SizeRange;
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

/// The environment variable that picks the strategies.
pub const VARIABLE: &str = "ABUSE_STRATEGY";

/// Which strategies [`attack`](crate::attack()) and the other input helpers of generated harnesses hand out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategies {
    /// The attacking mixes (the default).
    Attack,
    /// proptest's plain `any::<T>()`: the baseline the attacking mixes are measured against.
    Naive,
}

impl Strategies {
    /// From `ABUSE_STRATEGY`: unset, empty or `attack` → [`Strategies::Attack`], `naive` →
    /// [`Strategies::Naive`].
    ///
    /// # Panics
    /// On any other value: a misspelt baseline must not silently run the attacking strategies.
    #[must_use]
    pub fn from_env() -> Strategies {
        let value = std::env::var(VARIABLE).ok();
        Strategies::parse(value.as_deref()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The setting a value of `ABUSE_STRATEGY` names.
    ///
    /// # Errors
    /// A message naming the accepted values when `value` is none of them.
    pub fn parse(value: Option<&str>) -> Result<Strategies, String> {
        match value.map(str::trim) {
            None | Some("" | "attack") => Ok(Strategies::Attack),
            Some("naive") => Ok(Strategies::Naive),
            Some(other) => Err(format!(
                "{VARIABLE} must be `attack` or `naive`, not {other:?}"
            )),
        }
    }
}

/// Whether this process runs the naive baseline (`ABUSE_STRATEGY=naive`).
#[must_use]
pub fn enabled() -> bool {
    Strategies::from_env() == Strategies::Naive
}

/// A type's plain proptest strategy (every [`Attack`](crate::Attack) type has one).
pub trait Naive: Sized {
    /// What `any::<Self>()` draws, or the closest plain strategy.
    fn naive() -> BoxedStrategy<Self>;
}

macro_rules! naive_any {
    ($($t:ty),* $(,)?) => {$(
        impl Naive for $t {
            fn naive() -> BoxedStrategy<$t> {
                any::<$t>().boxed()
            }
        }
    )*};
}
naive_any!(
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    f32,
    f64,
    bool,
    char,
    String,
    PathBuf,
    OsString,
    Ipv4Addr,
    Ipv6Addr,
    IpAddr,
    SocketAddrV4,
    SocketAddrV6,
    SocketAddr,
    Duration,
    SystemTime,
);

impl Naive for () {
    fn naive() -> BoxedStrategy<()> {
        Just(()).boxed()
    }
}

impl<T: Naive + std::fmt::Debug + 'static> Naive for Vec<T> {
    fn naive() -> BoxedStrategy<Vec<T>> {
        proptest::collection::vec(T::naive(), SizeRange::default()).boxed()
    }
}

impl<T: Naive + std::fmt::Debug + 'static> Naive for VecDeque<T> {
    fn naive() -> BoxedStrategy<VecDeque<T>> {
        proptest::collection::vec_deque(T::naive(), SizeRange::default()).boxed()
    }
}

impl<T: Naive + std::fmt::Debug + 'static, const N: usize> Naive for [T; N] {
    fn naive() -> BoxedStrategy<[T; N]> {
        proptest::array::uniform::<_, N>(T::naive()).boxed()
    }
}

impl<T: Naive + std::fmt::Debug + 'static> Naive for Option<T> {
    fn naive() -> BoxedStrategy<Option<T>> {
        proptest::option::of(T::naive()).boxed()
    }
}

impl<T: Naive + std::fmt::Debug + 'static, E: Naive + std::fmt::Debug + 'static> Naive
    for Result<T, E>
{
    fn naive() -> BoxedStrategy<Result<T, E>> {
        proptest::result::maybe_ok(T::naive(), E::naive()).boxed()
    }
}

impl<T: Naive + std::fmt::Debug + 'static> Naive for Box<T> {
    fn naive() -> BoxedStrategy<Box<T>> {
        T::naive().prop_map(Box::new).boxed()
    }
}

impl<K, V> Naive for HashMap<K, V>
where
    K: Naive + Hash + Eq + std::fmt::Debug + 'static,
    V: Naive + std::fmt::Debug + 'static,
{
    fn naive() -> BoxedStrategy<HashMap<K, V>> {
        proptest::collection::hash_map(K::naive(), V::naive(), SizeRange::default()).boxed()
    }
}

impl<K, V> Naive for BTreeMap<K, V>
where
    K: Naive + Ord + std::fmt::Debug + 'static,
    V: Naive + std::fmt::Debug + 'static,
{
    fn naive() -> BoxedStrategy<BTreeMap<K, V>> {
        proptest::collection::btree_map(K::naive(), V::naive(), SizeRange::default()).boxed()
    }
}

impl<K: Naive + Hash + Eq + std::fmt::Debug + 'static> Naive for HashSet<K> {
    fn naive() -> BoxedStrategy<HashSet<K>> {
        proptest::collection::hash_set(K::naive(), SizeRange::default()).boxed()
    }
}

impl<K: Naive + Ord + std::fmt::Debug + 'static> Naive for BTreeSet<K> {
    fn naive() -> BoxedStrategy<BTreeSet<K>> {
        proptest::collection::btree_set(K::naive(), SizeRange::default()).boxed()
    }
}

macro_rules! naive_tuple {
    ($($name:ident),+) => {
        impl<$($name: Naive + std::fmt::Debug + 'static),+> Naive for ($($name,)+) {
            fn naive() -> BoxedStrategy<($($name,)+)> {
                ($($name::naive(),)+).boxed()
            }
        }
    };
}
naive_tuple!(A);
naive_tuple!(A, B);
naive_tuple!(A, B, C);
naive_tuple!(A, B, C, D);
naive_tuple!(A, B, C, D, E);
naive_tuple!(A, B, C, D, E, F);
naive_tuple!(A, B, C, D, E, F, G);
naive_tuple!(A, B, C, D, E, F, G, H);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attack::attack_with;
    use crate::hints::Hints;
    use crate::numbers::tests::samples;

    #[test]
    fn the_variable_names_the_strategies_and_a_typo_is_an_error() {
        assert_eq!(Strategies::parse(None), Ok(Strategies::Attack));
        assert_eq!(Strategies::parse(Some("")), Ok(Strategies::Attack));
        assert_eq!(Strategies::parse(Some("attack")), Ok(Strategies::Attack));
        assert_eq!(Strategies::parse(Some("naive")), Ok(Strategies::Naive));
        let err = Strategies::parse(Some("naïve")).unwrap_err();
        assert!(
            err.contains("ABUSE_STRATEGY") && err.contains("naïve"),
            "{err}"
        );
    }

    #[test]
    fn naive_integers_are_uniform_and_miss_the_boundaries_the_attack_hits() {
        let edges = |v: &[i64]| {
            v.iter()
                .filter(|&&x| matches!(x, i64::MIN | i64::MAX | 0 | -1))
                .count()
        };
        let naive = samples(&attack_with::<i64>(Strategies::Naive, &Hints::NONE), 2000);
        let attacking = samples(&attack_with::<i64>(Strategies::Attack, &Hints::NONE), 2000);
        assert_eq!(
            edges(&naive),
            0,
            "uniform draws of i64 do not land on edges"
        );
        assert!(attacking.contains(&i64::MIN) && attacking.contains(&i64::MAX));
        assert!(edges(&attacking) > 100, "{}", edges(&attacking));
    }

    #[test]
    fn naive_floats_and_containers_are_what_any_draws() {
        let floats = samples(&attack_with::<f64>(Strategies::Naive, &Hints::NONE), 2000);
        assert!(
            floats.iter().all(|f| f.is_finite()),
            "any::<f64>() is finite"
        );
        let attacking = samples(&attack_with::<f64>(Strategies::Attack, &Hints::NONE), 2000);
        assert!(attacking.iter().any(|f| f.is_nan()));
        // Elements of a naive vector are naive too, and its length is proptest's default (< 100).
        let vecs = samples(
            &attack_with::<Vec<u32>>(Strategies::Naive, &Hints::NONE),
            500,
        );
        assert!(vecs.iter().all(|v| v.len() < 100));
        let elements: Vec<u32> = vecs.into_iter().flatten().collect();
        assert!(elements.len() > 1000);
        assert!(!elements.contains(&u32::MAX) && !elements.contains(&0));
        // A hinted literal is not drawn either.
        let hints = Hints {
            strings: &["FRM1"],
            ..Hints::NONE
        };
        let naive = samples(&attack_with::<String>(Strategies::Naive, &hints), 500);
        assert!(naive.iter().all(|s| !s.contains("FRM1")));
        let attacking = samples(&attack_with::<String>(Strategies::Attack, &hints), 500);
        assert!(attacking.iter().any(|s| s.contains("FRM1")));
    }
}
