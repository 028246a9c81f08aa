//! Every form once: the first cases of a run draw one value of each structural form of the attack families
//! (each nesting delimiter or marker, each many-keys layout, each prefix-integer lead byte, each magic), and
//! only then does the run draw from the weighted mix.
//!
//! Why: a form weighs about one draw in 256 inside its family, so whether a run draws it at all was a coin
//! toss per seed (the CBOR tag nesting, the markup attributes, the HPACK `0x3f` integer of the advisory
//! corpus were each missed by some seeds). Drawn once up front, they are in every run. The forms draw on a
//! private random stream, so the weighted cases after them are the ones the run drew before, in order; the
//! budget is unchanged (the forms are the run's first cases, not extra ones).
//!
//! A check draws at most a quarter of its cases as forms, and only in its first round ([`set_limit`]): a later
//! round looks for another root cause, and replaying a form that crashed would end it at once.

use std::cell::Cell;
use std::fmt::{self, Debug};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::Rng;
use proptest::strategy::{BoxedStrategy, NewTree, Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The most forms a strategy draws first: a quarter of the default 256 cases, so the weighted mix keeps most
/// of the budget.
pub const MAX_FORMS: usize = 64;

thread_local! {
    static LIMIT: Cell<usize> = const { Cell::new(MAX_FORMS) };
}

/// How many forms strategies built by [`every_form_first`] draw first on this thread ([`MAX_FORMS`] unless
/// set): the check sets a quarter of its cases, so a small budget keeps most of its cases for the weighted mix,
/// and 0 for the rounds after the first.
pub fn set_limit(forms: usize) {
    LIMIT.with(|l| l.set(forms.min(MAX_FORMS)));
}

fn limit() -> usize {
    LIMIT.with(Cell::get)
}

/// A strategy whose first draws are one value of each of `forms`, then `rest`'s.
pub struct EveryFormFirst<T> {
    forms: Vec<BoxedStrategy<T>>,
    rest: BoxedStrategy<T>,
    next: AtomicUsize,
}

impl<T> Debug for EveryFormFirst<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EveryFormFirst")
            .field("forms", &self.forms.len())
            .field("next", &self.next.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// `rest`, after one draw of each form of `families`, taken in turn from each family (so a cut at
/// [`MAX_FORMS`] leaves every family some).
pub fn every_form_first<T: Debug + 'static>(
    families: Vec<Vec<BoxedStrategy<T>>>,
    rest: BoxedStrategy<T>,
) -> BoxedStrategy<T> {
    let mut forms = Vec::new();
    let mut families: Vec<std::vec::IntoIter<BoxedStrategy<T>>> =
        families.into_iter().map(Vec::into_iter).collect();
    while forms.len() < MAX_FORMS {
        let before = forms.len();
        for family in &mut families {
            if forms.len() < MAX_FORMS {
                forms.extend(family.next());
            }
        }
        if forms.len() == before {
            break;
        }
    }
    if forms.is_empty() {
        return rest;
    }
    EveryFormFirst {
        forms,
        rest,
        next: AtomicUsize::new(0),
    }
    .boxed()
}

impl<T: Debug + 'static> Strategy for EveryFormFirst<T> {
    type Tree = Box<dyn ValueTree<Value = T>>;
    type Value = T;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        if i < limit() {
            if let Some(form) = self.forms.get(i) {
                let mut own = TestRunner::new_with_rng(Config::default(), form_rng(runner, i));
                return form.new_tree(&mut own);
            }
        }
        self.rest.new_tree(runner)
    }
}

/// The stream form `i` draws on: from a copy of the runner's generator (so the run's seed still decides the
/// draw) mixed with `i`, leaving the runner's own stream where it was.
fn form_rng(runner: &mut TestRunner, i: usize) -> TestRng {
    let mut copy = runner.rng().clone();
    let mut seed = [0u8; 32];
    copy.fill_bytes(&mut seed);
    for (b, x) in seed.iter_mut().zip((i as u64).to_le_bytes()) {
        *b ^= x;
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &seed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draws(s: &BoxedStrategy<u32>, runner: &mut TestRunner, n: usize) -> Vec<u32> {
        (0..n)
            .map(|_| s.new_tree(runner).expect("tree").current())
            .collect()
    }

    #[test]
    fn forms_come_first_in_turn_then_the_rest_draws_as_without_them() {
        let rest = || (1000..2000u32).boxed();
        let s = every_form_first(
            vec![
                vec![Just(1u32).boxed(), Just(2).boxed(), Just(3).boxed()],
                vec![Just(10u32).boxed()],
            ],
            rest(),
        );
        let got = draws(&s, &mut TestRunner::deterministic(), 10);
        assert_eq!(got[..4], [1, 10, 2, 3]);
        // The forms drew on their own stream: the weighted draws after them are the ones a run without
        // forms makes first.
        let plain = draws(&rest(), &mut TestRunner::deterministic(), 6);
        assert_eq!(got[4..], plain[..]);
    }

    #[test]
    fn a_later_round_draws_no_form_and_a_small_budget_draws_fewer() {
        let s = || {
            every_form_first(
                vec![vec![Just(1u32).boxed(), Just(2).boxed(), Just(3).boxed()]],
                (1000..2000u32).boxed(),
            )
        };
        set_limit(0);
        let none = draws(&s(), &mut TestRunner::deterministic(), 3);
        set_limit(2);
        let two = draws(&s(), &mut TestRunner::deterministic(), 3);
        set_limit(MAX_FORMS);
        assert!(none.iter().all(|v| *v >= 1000), "{none:?}");
        assert_eq!(two[..2], [1, 2]);
        assert!(two[2] >= 1000, "{two:?}");
        assert_eq!(draws(&s(), &mut TestRunner::deterministic(), 3), [1, 2, 3]);
    }

    #[test]
    fn forms_are_cut_at_max_forms_leaving_every_family_some() {
        let many = |v: u32| (0..100).map(move |_| Just(v).boxed()).collect::<Vec<_>>();
        let s = every_form_first(vec![many(1), many(2)], Just(0u32).boxed());
        let got = draws(&s, &mut TestRunner::deterministic(), MAX_FORMS + 1);
        assert_eq!(got.iter().filter(|v| **v == 1).count(), MAX_FORMS / 2);
        assert_eq!(got.iter().filter(|v| **v == 2).count(), MAX_FORMS / 2);
        assert_eq!(got[MAX_FORMS], 0);
    }

    #[test]
    fn a_form_draws_differently_per_seed() {
        let s = || every_form_first(vec![vec![(0..u32::MAX).boxed()]], Just(0u32).boxed());
        let a = draws(
            &s(),
            &mut TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[1; 32]),
            ),
            1,
        );
        let b = draws(
            &s(),
            &mut TestRunner::new_with_rng(
                Config::default(),
                TestRng::from_seed(RngAlgorithm::ChaCha, &[2; 32]),
            ),
            1,
        );
        assert_ne!(a, b);
    }
}
