//! The `Attack` trait: a type's default attacking strategy, and the weighted mixing helpers the domain
//! modules share.

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::strategy::{BoxedStrategy, Union};

use crate::expr::RustExpr;
use crate::hints::Hints;
use crate::naive::{Naive, Strategies};

/// A type with an attacking default strategy: a weighted mix of boundary, malformed, adversarial and plain
/// random values (see [`crate::Mix`]), and a plain one ([`Naive`], the `ABUSE_STRATEGY=naive` baseline).
pub trait Attack: Naive + Clone + Debug + RustExpr + 'static {
    /// The default attacking strategy for this type.
    fn attack(hints: &Hints) -> BoxedStrategy<Self>;

    /// The strategy for `Vec<Self>`: collection attacks by default; `u8` overrides it with byte attacks
    /// (invalid UTF-8, length prefixes...), since stable Rust has no specialisation.
    fn attack_vec(hints: &Hints) -> BoxedStrategy<Vec<Self>> {
        crate::collections::vec_of(Self::attack(hints))
    }
}

/// The default attacking strategy of `T`, or its plain `any::<T>()` strategy under `ABUSE_STRATEGY=naive`.
///
/// # Panics
/// When `ABUSE_STRATEGY` is set to something other than `attack` or `naive`.
pub fn attack<T: Attack>(hints: &Hints) -> BoxedStrategy<T> {
    attack_with(Strategies::from_env(), hints)
}

/// The strategy of `T` that `strategies` picks: the attacking mix sharpened by `hints`, or the plain one.
pub fn attack_with<T: Attack>(strategies: Strategies, hints: &Hints) -> BoxedStrategy<T> {
    match strategies {
        Strategies::Attack => T::attack(hints),
        Strategies::Naive => T::naive(),
    }
}

/// A weighted union of strategies; parts with weight 0 are left out.
pub(crate) fn weighted<T: Debug + 'static>(
    parts: Vec<(u32, BoxedStrategy<T>)>,
) -> BoxedStrategy<T> {
    let parts: Vec<_> = parts.into_iter().filter(|(w, _)| *w > 0).collect();
    assert!(
        !parts.is_empty(),
        "an attack mix needs at least one part with a weight"
    );
    if parts.len() == 1 {
        return parts.into_iter().next().expect("one part").1;
    }
    Union::new_weighted(parts).boxed()
}

/// One of a fixed list of values (the earlier ones are what shrinking moves towards).
pub(crate) fn one_of<T: Clone + Debug + 'static>(values: Vec<T>) -> BoxedStrategy<T> {
    assert!(!values.is_empty(), "one_of needs values");
    proptest::sample::select(values).boxed()
}

/// One of a list of values when there are any, else weight 0 (left out by [`weighted`]).
pub(crate) fn part<T: Clone + Debug + 'static>(
    weight: u32,
    values: Vec<T>,
) -> (u32, BoxedStrategy<T>) {
    if values.is_empty() {
        (0, Just(None::<T>).prop_filter_map("empty", |v| v).boxed())
    } else {
        (weight, one_of(values))
    }
}
