//! Generated closures (proptest strategies, `arbitrary` for fuzz targets): the values a closure argument
//! returns. A function that takes `F: FnMut(&T) -> bool` gets a closure that ignores its arguments and returns
//! the drawn values in turn, cycling, so one case can make a predicate both true and false.
//!
//! A failure prints the value as a closure (`|_| true`, `|_, _| [false, true] cycling`) through
//! [`closure!`](crate::closure), which is also what a kept regression pastes.

use std::fmt::{self, Debug};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;

use crate::expr::RustExpr;
use crate::hints::Hints;
use crate::Attack;

/// The values a generated closure of `ARITY` arguments returns, one per call, cycling. Each clone starts
/// again from the first value, so the two calls of a `deterministic` test see the same closure.
pub struct Returns<R, const ARITY: usize> {
    values: Vec<R>,
    at: AtomicUsize,
}

impl<R, const ARITY: usize> Returns<R, ARITY> {
    /// The closure returning `values` in turn.
    ///
    /// # Panics
    /// When `values` is empty.
    pub fn new(values: Vec<R>) -> Self {
        assert!(
            !values.is_empty(),
            "a generated closure returns at least one value"
        );
        Returns {
            values,
            at: AtomicUsize::new(0),
        }
    }

    /// The values in the order the closure returns them.
    pub fn values(&self) -> &[R] {
        &self.values
    }

    /// The next return value (what the generated closure's body calls); usable from `Fn` closures and
    /// across threads.
    pub fn next(&self) -> R
    where
        R: Clone,
    {
        let i = self.at.fetch_add(1, Ordering::Relaxed);
        self.values[i % self.values.len()].clone()
    }

    fn params(&self) -> String {
        if ARITY == 0 {
            "||".to_owned()
        } else {
            format!("|{}|", vec!["_"; ARITY].join(", "))
        }
    }
}

impl<R: Clone, const ARITY: usize> Clone for Returns<R, ARITY> {
    fn clone(&self) -> Self {
        Returns::new(self.values.clone())
    }
}

impl<R: PartialEq, const ARITY: usize> PartialEq for Returns<R, ARITY> {
    fn eq(&self, other: &Self) -> bool {
        self.values == other.values
    }
}

/// `|_| true`, `|_| [false, true] cycling`.
impl<R: Debug, const ARITY: usize> Debug for Returns<R, ARITY> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.values.as_slice() {
            [one] => write!(f, "{} {one:?}", self.params()),
            many => write!(f, "{} {many:?} cycling", self.params()),
        }
    }
}

/// `abuse_runtime::closure!(|_| [false, true] cycling)`.
impl<R: RustExpr, const ARITY: usize> RustExpr for Returns<R, ARITY> {
    fn rust_expr(&self) -> String {
        let values: Vec<String> = self.values.iter().map(RustExpr::rust_expr).collect();
        match values.as_slice() {
            [one] => format!("abuse_runtime::closure!({} {one})", self.params()),
            many => format!(
                "abuse_runtime::closure!({} [{}] cycling)",
                self.params(),
                many.join(", ")
            ),
        }
    }

    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        let mut cut = false;
        for v in &mut self.values {
            cut |= v.cut_in_place(num, den);
        }
        cut
    }
}

/// A fuzz target's closure: one value, then as many more as the bytes give.
impl<'a, R: arbitrary::Arbitrary<'a>, const ARITY: usize> arbitrary::Arbitrary<'a>
    for Returns<R, ARITY>
{
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let mut values = vec![R::arbitrary(u)?];
        values.extend(Vec::<R>::arbitrary(u)?.into_iter().take(15));
        Ok(Returns::new(values))
    }
}

/// The attacking strategy of a closure returning `R`: one value of `R`'s attack (most cases), or a few
/// returned in turn (a predicate true then false).
pub fn returns<R: Attack, const ARITY: usize>(hints: &Hints) -> BoxedStrategy<Returns<R, ARITY>> {
    let one = crate::attack::<R>(hints);
    prop_oneof![
        2 => one.clone().prop_map(|v| vec![v]),
        3 => proptest::collection::vec(one, 2..6),
    ]
    .prop_map(Returns::new)
    .boxed()
}

/// The strategy of a closure returning values of a type the runtime does not attack itself but the harness
/// builds (a crate's `Either<i64, i64>`): `one` draws the raw value of one return value (its constructor's
/// arguments), which the harness builds before the call; one value, or a few returned in turn, as [`returns`].
pub fn returns_of<R, const ARITY: usize>(
    one: impl Strategy<Value = R> + 'static,
) -> BoxedStrategy<Returns<R, ARITY>>
where
    R: Debug + 'static,
{
    let one = one.boxed();
    prop_oneof![
        2 => one.clone().prop_map(|v| vec![v]),
        3 => proptest::collection::vec(one, 2..6),
    ]
    .prop_map(Returns::new)
    .boxed()
}

/// A generated closure written as one: `closure!(|_| true)` returns `true` on every call,
/// `closure!(|_, _| [false, true] cycling)` returns `false`, `true`, `false`... (see [`Returns`]).
#[macro_export]
macro_rules! closure {
    (|| $($rest:tt)+) => { $crate::closure!(@values $($rest)+) };
    (| $($arg:tt),+ | $($rest:tt)+) => { $crate::closure!(@values $($rest)+) };
    (@values [$($value:expr),+ $(,)?] cycling) => { $crate::closures::Returns::new(vec![$($value),+]) };
    (@values $value:expr) => { $crate::closures::Returns::new(vec![$value]) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn a_closure_returns_its_values_in_turn_and_clones_start_over() {
        let r: Returns<bool, 1> = Returns::new(vec![false, true]);
        let f = {
            let r = r.clone();
            move |_: &u8| r.next()
        };
        assert_eq!([f(&0), f(&1), f(&2)], [false, true, false]);
        let again = r.clone();
        assert!(!again.next());
    }

    #[test]
    fn it_prints_as_a_closure_that_pastes_back() {
        let one: Returns<bool, 1> = closure!(|_| true);
        assert_eq!(format!("{one:?}"), "|_| true");
        assert_eq!(one.rust_expr(), "abuse_runtime::closure!(|_| true)");
        let many: Returns<i64, 2> = closure!(|_, _| [1i64, -2i64] cycling);
        assert_eq!(format!("{many:?}"), "|_, _| [1, -2] cycling");
        assert_eq!(
            many.rust_expr(),
            "abuse_runtime::closure!(|_, _| [1i64, -2i64] cycling)"
        );
        let none: Returns<(), 0> = closure!(|| ());
        assert_eq!(format!("{none:?}"), "|| ()");
        let strings: Returns<String, 1> = closure!(|_| String::from("a"));
        assert_eq!(strings.values(), ["a".to_string()]);
    }

    #[test]
    fn a_closure_of_built_values_draws_one_or_several_raw_values() {
        let cases = samples(&returns_of::<(u8, bool), 1>(any::<(u8, bool)>()), 64);
        assert!(cases.iter().any(|r| r.values().len() == 1));
        assert!(cases.iter().any(|r| r.values().len() > 1));
        assert!(cases.iter().all(|r| r.values().len() < 6));
        let pasted: Returns<(u8, bool), 1> = closure!(|_| (1u8, true));
        assert_eq!(
            pasted.rust_expr(),
            "abuse_runtime::closure!(|_| (1u8, true))"
        );
    }

    #[test]
    fn the_strategy_draws_both_answers_of_a_predicate_in_one_case() {
        let cases = samples(&returns::<bool, 1>(&Hints::NONE), 64);
        assert!(cases.iter().all(|r| !r.values().is_empty()));
        assert!(cases
            .iter()
            .any(|r| r.values().contains(&true) && r.values().contains(&false)));
    }
}
