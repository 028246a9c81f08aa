//! Shrinking for lists of any element (a proptest `ValueTree`): a drawn list shrinks to any length, down to
//! empty, by removing halves, then quarters, … then single elements, and then each element shrinks by its own
//! tree.
//!
//! proptest's `collection::vec(elem, 256..=1024)` never shrinks below 256 elements (its tree keeps the range's
//! minimum), so num's `multinomial`, failing on two numbers, was reported with 300 zeros around them.
//! [`list`] draws the length from the same range and keeps the elements' trees, so the failure ends small
//! whatever the arm that drew it. Same contract as [`crate::shrink`]: `simplify` after the current value
//! failed, `complicate` after it passed moves to the next candidate and never back to a value known to fail.

use std::fmt::Debug;
use std::ops::RangeInclusive;

use proptest::strategy::{BoxedStrategy, NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// Candidates a tree proposes at most (proptest's runner is configured for 4,096 shrink iterations).
const STEP_BUDGET: u32 = 4096;

/// The strategy returned by [`list`].
#[derive(Clone, Debug)]
#[must_use = "strategies do nothing unless used"]
pub struct List<T> {
    elem: BoxedStrategy<T>,
    len: RangeInclusive<usize>,
}

/// Lists of `elem` with a length drawn from `len`, shrinking to any length (see the module docs).
pub fn list<T: Debug + 'static>(elem: BoxedStrategy<T>, len: RangeInclusive<usize>) -> List<T> {
    List { elem, len }
}

impl<T: Debug + 'static> Strategy for List<T> {
    type Tree = ListTree<Box<dyn ValueTree<Value = T>>>;
    type Value = Vec<T>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        // Drawn as proptest's `collection::vec` draws its length (rand's `usize` sampling, not the `u64` one of a
        // `usize` range strategy), so a list strategy built on this draws the values it drew before.
        let len = proptest::num::sample_uniform_incl(runner, *self.len.start(), *self.len.end());
        let elems = (0..len)
            .map(|_| self.elem.new_tree(runner))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(ListTree::new(elems))
    }
}

/// What a tree is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Not started: the first simplification removes the first half.
    Fresh,
    /// Removing `chunk` kept elements from the `pos`-th kept one; `chunk` halves when `pos` passes the end.
    Remove { chunk: usize, pos: usize },
    /// Shrinking the `at`-th element (of all, kept or not) by its own tree.
    Element { at: usize },
    /// Nothing left to try.
    Done,
}

/// The value tree of [`List`].
pub struct ListTree<E: ValueTree> {
    elems: Vec<E>,
    /// The elements of the last value known to fail.
    kept: Vec<bool>,
    /// The elements of the candidate being tried, when it removes some.
    candidate: Option<Vec<bool>>,
    /// Whether the `Element` phase's element has a candidate of its own (its tree's current value).
    element_pending: bool,
    phase: Phase,
    steps: u32,
}

impl<E: ValueTree> Debug for ListTree<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ListTree")
            .field("current", &self.current())
            .field("phase", &self.phase)
            .finish()
    }
}

impl<E: ValueTree> ListTree<E> {
    /// A tree whose first value is the elements' current values.
    pub fn new(elems: Vec<E>) -> ListTree<E> {
        ListTree {
            kept: vec![true; elems.len()],
            elems,
            candidate: None,
            element_pending: false,
            phase: Phase::Fresh,
            steps: 0,
        }
    }

    /// Sets the next candidate from the current phase; `false` when there is none left.
    fn propose(&mut self) -> bool {
        self.candidate = None;
        self.element_pending = false;
        let kept: Vec<usize> = (0..self.kept.len()).filter(|&i| self.kept[i]).collect();
        loop {
            if self.steps >= STEP_BUDGET {
                self.phase = Phase::Done;
            }
            match self.phase {
                Phase::Done => return false,
                Phase::Fresh => {
                    self.phase = Phase::Remove {
                        chunk: kept.len().div_ceil(2),
                        pos: 0,
                    };
                }
                Phase::Remove { chunk: 0, .. } => self.phase = Phase::Element { at: 0 },
                Phase::Remove { chunk, pos } if pos >= kept.len() => {
                    self.phase = Phase::Remove {
                        chunk: (chunk / 2).min(kept.len().div_ceil(2)),
                        pos: 0,
                    };
                }
                Phase::Remove { chunk, pos } => {
                    let mut next = self.kept.clone();
                    for &i in kept.iter().skip(pos).take(chunk) {
                        next[i] = false;
                    }
                    self.steps += 1;
                    self.candidate = Some(next);
                    return true;
                }
                Phase::Element { at } if at >= self.elems.len() => self.phase = Phase::Done,
                Phase::Element { at } if !self.kept[at] => {
                    self.phase = Phase::Element { at: at + 1 }
                }
                Phase::Element { at } => {
                    if self.elems[at].simplify() {
                        self.steps += 1;
                        self.element_pending = true;
                        return true;
                    }
                    self.phase = Phase::Element { at: at + 1 };
                }
            }
        }
    }
}

impl<E: ValueTree> ValueTree for ListTree<E> {
    type Value = Vec<E::Value>;

    fn current(&self) -> Vec<E::Value> {
        let kept = self.candidate.as_ref().unwrap_or(&self.kept);
        self.elems
            .iter()
            .zip(kept)
            .filter(|(_, k)| **k)
            .map(|(e, _)| e.current())
            .collect()
    }

    fn simplify(&mut self) -> bool {
        // Called after the current value failed: a pending removal becomes the value to beat, and the removal
        // phase stays where it is (the elements after the removed chunk slid into its place). An element's
        // own tree keeps its simpler value and goes on from it.
        if let Some(kept) = self.candidate.take() {
            self.kept = kept;
        }
        if let (Phase::Element { at }, true) = (self.phase, self.element_pending) {
            if self.steps < STEP_BUDGET && self.elems[at].simplify() {
                self.steps += 1;
                return true;
            }
            self.phase = Phase::Element { at: at + 1 };
        }
        self.propose()
    }

    fn complicate(&mut self) -> bool {
        // Called after the candidate passed: a removal is dropped and the next one tried; an element's tree
        // moves back toward its last failing value, and when it cannot, the next element is shrunk.
        if self.candidate.take().is_some() {
            if let Phase::Remove { chunk, pos } = self.phase {
                self.phase = Phase::Remove {
                    chunk,
                    pos: pos + chunk,
                };
            }
            return self.propose();
        }
        if let (Phase::Element { at }, true) = (self.phase, self.element_pending) {
            if self.steps < STEP_BUDGET && self.elems[at].complicate() {
                self.steps += 1;
                return true;
            }
            self.phase = Phase::Element { at: at + 1 };
            return self.propose();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shrink::tests::shrunk;
    use proptest::prelude::*;

    #[test]
    fn a_long_list_failing_on_two_elements_shrinks_to_those_two() {
        // Fails when it holds a number above 1,000 and another below -1,000, wherever they are.
        let v = shrunk(list(any::<i64>().boxed(), 256..=1024), |v: &Vec<i64>| {
            !(v.iter().any(|x| *x > 1000) && v.iter().any(|x| *x < -1000))
        });
        assert_eq!(v.len(), 2, "{v:?}");
        // And each element shrinks by its own tree, toward the bound.
        assert!(v.contains(&1001) && v.contains(&-1001), "{v:?}");
    }

    #[test]
    fn the_collection_attack_shrinks_below_its_arms_minimum() {
        // Only the 256..=1024 arm fails this; the failure ends at the length where it starts (its elements
        // shrink too, as far as the step budget lets 200 of them).
        let v = shrunk(
            crate::collections::vec_of(any::<i64>().boxed()),
            |v: &Vec<i64>| v.len() < 200,
        );
        assert_eq!(v.len(), 200);
        assert!(v.iter().take(50).all(|x| *x == 0), "{v:?}");
    }

    #[test]
    fn it_draws_what_proptest_vec_draws() {
        // The same seed gives the same lists: replacing `collection::vec` moved no seed's inputs.
        let draws = |strategy: BoxedStrategy<Vec<i64>>| {
            let mut runner = TestRunner::new_with_rng(
                proptest::test_runner::Config::default(),
                proptest::test_runner::TestRng::deterministic_rng(
                    proptest::test_runner::RngAlgorithm::ChaCha,
                ),
            );
            (0..50)
                .map(|_| strategy.new_tree(&mut runner).unwrap().current())
                .collect::<Vec<_>>()
        };
        for (lo, hi) in [(2, 7), (8, 63), (256, 1024)] {
            assert_eq!(
                draws(list(any::<i64>().boxed(), lo..=hi).boxed()),
                draws(proptest::collection::vec(any::<i64>(), lo..=hi).boxed()),
            );
        }
    }

    #[test]
    fn a_list_failing_at_any_length_shrinks_to_empty() {
        let v = shrunk(list(any::<u8>().boxed(), 256..=1024), |_: &Vec<u8>| false);
        assert!(v.is_empty(), "{v:?}");
    }

    #[test]
    fn complicate_ends_on_the_last_failing_value() {
        let elems: Vec<_> = (1..=4u8)
            .map(|x| {
                Just(x)
                    .boxed()
                    .new_tree(&mut TestRunner::default())
                    .unwrap()
            })
            .collect();
        let mut t = ListTree::new(elems);
        assert!(t.simplify());
        assert_eq!(t.current(), [3, 4]);
        // [3, 4] passes: the next candidate drops the other half.
        assert!(t.complicate());
        assert_eq!(t.current(), [1, 2]);
        // [1, 2] fails: kept, and the next candidate removes from it.
        assert!(t.simplify());
        assert_eq!(t.current(), [2]);
        while t.complicate() {}
        assert_eq!(t.current(), [1, 2], "the last failing value stays current");
    }
}
