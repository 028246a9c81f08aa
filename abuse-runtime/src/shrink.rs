//! Shrinking for text and bytes (a proptest `ValueTree`): values drawn from fixed lists or built by
//! repetition (huge buffers, deep nestings, payload lists) shrink by removing halves, then quarters, … then
//! single characters or bytes, and then by simplifying what is left toward `'a'` / `0`.
//!
//! proptest's `select` shrinks only toward earlier list entries and a `prop_map` over `repeat` not at all, so
//! a 4,096-byte buffer failing at length 2 used to be reported at 4,096 bytes. [`shrinking`] wraps any
//! `String` or `Vec<u8>` strategy: the inner strategy draws the value, and the value itself is then shrunk.
//!
//! The tree follows proptest's contract: [`ValueTree::simplify`] is called after the current value failed
//! and keeps it; [`ValueTree::complicate`] is called after it passed, drops it and moves straight to the next
//! candidate (never back to a value already known to fail: under `fork` each failing call of a crashing
//! function costs a child), and answers `false`, with the last failing value current, when none is left.

use std::fmt::Debug;

use proptest::strategy::{BoxedStrategy, NewTree, Strategy, ValueTree};
use proptest::test_runner::TestRunner;

/// Bytes copied (summed candidate lengths) a tree may spend before it stops proposing candidates: keeps the
/// shrink of a multi-megabyte value to a few dozen candidates while a short value gets thousands.
const WORK_BUDGET: usize = 1 << 27;
/// Values longer than this (after removal) are not simplified unit by unit: each try costs a call, and what
/// is left of a long value is a run whose content matters.
const SIMPLIFY_MAX: usize = 1024;
/// Candidates a tree proposes at most (proptest's runner is configured for 4,096 shrink iterations).
const STEP_BUDGET: u32 = 4096;

/// A value made of units that can be removed or simplified: `String` (characters), `Vec<u8>` (bytes). Work
/// is done on the bytes, cut at unit boundaries, so a candidate costs two copies even in unoptimised test
/// builds (and a forked child replaying the shrink regenerates every candidate).
pub trait Units: Clone + Debug + 'static {
    /// What each unit is simplified toward.
    const SIMPLEST: u8;
    /// The bytes.
    fn bytes(&self) -> &[u8];
    /// The value of `bytes`, which were cut at unit boundaries only.
    fn from_bytes(bytes: Vec<u8>) -> Self;
    /// Whether a unit starts at `bytes[i]` (or `i` is the end).
    fn starts_unit(bytes: &[u8], i: usize) -> bool;
}

impl Units for String {
    const SIMPLEST: u8 = b'a';
    fn bytes(&self) -> &[u8] {
        self.as_bytes()
    }
    fn from_bytes(bytes: Vec<u8>) -> String {
        String::from_utf8(bytes).expect("cut at character boundaries")
    }
    fn starts_unit(bytes: &[u8], i: usize) -> bool {
        // Not a UTF-8 continuation byte (0b10xx_xxxx).
        bytes.get(i).is_none_or(|b| (*b as i8) >= -0x40)
    }
}

impl Units for Vec<u8> {
    const SIMPLEST: u8 = 0;
    fn bytes(&self) -> &[u8] {
        self
    }
    fn from_bytes(bytes: Vec<u8>) -> Vec<u8> {
        bytes
    }
    fn starts_unit(_: &[u8], _: usize) -> bool {
        true
    }
}

/// The first unit boundary at or after `i` (at most the end).
fn snap<T: Units>(bytes: &[u8], i: usize) -> usize {
    let mut i = i.min(bytes.len());
    while !T::starts_unit(bytes, i) {
        i += 1;
    }
    i
}

/// The strategy returned by [`shrinking`].
#[derive(Clone, Debug)]
#[must_use = "strategies do nothing unless used"]
pub struct Shrinking<S>(S);

/// `inner`'s values, shrunk by removing and simplifying their characters or bytes (see the module docs)
/// instead of by `inner`'s own tree.
pub fn shrinking<S>(inner: S) -> Shrinking<S>
where
    S: Strategy,
    S::Value: Units,
{
    Shrinking(inner)
}

/// [`shrinking`], boxed.
pub fn shrinking_boxed<T: Units>(inner: impl Strategy<Value = T> + 'static) -> BoxedStrategy<T> {
    Shrinking(inner).boxed()
}

impl<S> Strategy for Shrinking<S>
where
    S: Strategy,
    S::Value: Units,
{
    type Tree = UnitsTree<S::Value>;
    type Value = S::Value;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(UnitsTree::new(self.0.new_tree(runner)?.current()))
    }
}

/// What a tree is doing; positions and chunks are in bytes, cuts snap forward to unit boundaries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Not started: the first simplification starts removing halves.
    Fresh,
    /// Removing `chunk` bytes at `pos`; `chunk` halves each time `pos` passes the end.
    Remove { chunk: usize, pos: usize },
    /// Replacing the units of `chunk` bytes at `pos` by the simplest unit; `chunk` halves likewise.
    Simplify { chunk: usize, pos: usize },
    /// Nothing left to try.
    Done,
}

/// The value tree of [`Shrinking`].
#[derive(Clone, Debug)]
pub struct UnitsTree<T: Units> {
    /// The last value known to fail (the drawn value at first).
    accepted: T,
    /// The candidate being tried.
    candidate: Option<T>,
    phase: Phase,
    /// The byte range whose removal was rejected last, at this chunk size.
    rejected: Option<(usize, usize)>,
    steps: u32,
    work: usize,
}

impl<T: Units> UnitsTree<T> {
    /// A tree whose first value is `value`.
    pub fn new(value: T) -> UnitsTree<T> {
        UnitsTree {
            accepted: value,
            candidate: None,
            phase: Phase::Fresh,
            rejected: None,
            steps: 0,
            work: 0,
        }
    }

    /// The end of the range the phase works on at `pos`.
    fn end(&self, chunk: usize, pos: usize) -> usize {
        let b = self.accepted.bytes();
        snap::<T>(b, pos.saturating_add(chunk).max(pos + 1))
    }

    /// Moves the phase past the candidate just rejected.
    fn advance(&mut self) {
        self.phase = match self.phase {
            Phase::Remove { chunk, pos } => Phase::Remove {
                chunk,
                pos: self.end(chunk, pos),
            },
            Phase::Simplify { chunk, pos } => Phase::Simplify {
                chunk,
                pos: self.end(chunk, pos),
            },
            other => other,
        };
    }

    /// Sets the next candidate from the current phase; `false` when there is none left.
    fn propose(&mut self) -> bool {
        self.candidate = None;
        let len = self.accepted.bytes().len();
        loop {
            if self.steps >= STEP_BUDGET || self.work >= WORK_BUDGET {
                self.phase = Phase::Done;
            }
            match self.phase {
                Phase::Done => return false,
                Phase::Fresh => {
                    self.phase = Phase::Remove {
                        chunk: len.div_ceil(2),
                        pos: 0,
                    };
                }
                Phase::Remove { chunk: 0, .. } if len > SIMPLIFY_MAX => self.phase = Phase::Done,
                Phase::Remove { chunk: 0, .. } => {
                    self.phase = Phase::Simplify {
                        chunk: len.div_ceil(2),
                        pos: 0,
                    };
                }
                Phase::Remove { chunk, pos } if pos >= len => {
                    self.rejected = None;
                    self.phase = Phase::Remove {
                        chunk: (chunk / 2).min(len.div_ceil(2)),
                        pos: 0,
                    };
                }
                Phase::Remove { chunk, pos } => {
                    let end = self.end(chunk, pos);
                    let b = self.accepted.bytes();
                    // Removing a copy of the chunk just rejected, right after it, gives the same value: a
                    // long run costs one try per chunk size, not one per chunk.
                    if let Some((p, e)) = self.rejected {
                        if e == pos && b[p..e] == b[pos..end] {
                            self.rejected = Some((pos, end));
                            self.advance();
                            continue;
                        }
                    }
                    let mut next = Vec::with_capacity(len - (end - pos));
                    next.extend_from_slice(&b[..pos]);
                    next.extend_from_slice(&b[end..]);
                    return self.set(next);
                }
                Phase::Simplify { chunk: 0, .. } => self.phase = Phase::Done,
                Phase::Simplify { chunk, pos } if pos >= len => {
                    self.phase = Phase::Simplify {
                        chunk: chunk / 2,
                        pos: 0,
                    };
                }
                Phase::Simplify { chunk, pos } => {
                    let end = self.end(chunk, pos);
                    let b = self.accepted.bytes();
                    if b[pos..end].iter().all(|u| *u == T::SIMPLEST) {
                        self.advance();
                        continue;
                    }
                    let units = (pos..end).filter(|&i| T::starts_unit(b, i)).count();
                    let mut next = Vec::with_capacity(len);
                    next.extend_from_slice(&b[..pos]);
                    next.resize(pos + units, T::SIMPLEST);
                    next.extend_from_slice(&b[end..]);
                    return self.set(next);
                }
            }
        }
    }

    fn set(&mut self, next: Vec<u8>) -> bool {
        self.steps += 1;
        self.work = self.work.saturating_add(next.len().max(1));
        self.candidate = Some(T::from_bytes(next));
        true
    }
}

impl<T: Units> ValueTree for UnitsTree<T> {
    type Value = T;

    fn current(&self) -> T {
        self.candidate.as_ref().unwrap_or(&self.accepted).clone()
    }

    fn simplify(&mut self) -> bool {
        // Called after the current value failed: a pending candidate becomes the value to beat. The phase
        // keeps its position (the bytes after the removed chunk slid into it).
        if let Some(value) = self.candidate.take() {
            self.accepted = value;
            self.rejected = None;
        }
        self.propose()
    }

    fn complicate(&mut self) -> bool {
        // Called after the candidate passed: drop it and try the next one.
        if self.candidate.take().is_none() {
            return false;
        }
        if let Phase::Remove { chunk, pos } = self.phase {
            self.rejected = Some((pos, self.end(chunk, pos)));
        }
        self.advance();
        self.propose()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestCaseError, TestError};

    /// Runs `test` on values of `strategy` until one fails and answers the shrunk failing value.
    pub(crate) fn shrunk<T: Debug>(
        strategy: impl Strategy<Value = T>,
        test: impl Fn(&T) -> bool,
    ) -> T {
        let mut runner = TestRunner::new(Config {
            cases: 2_000,
            max_shrink_iters: 4096,
            failure_persistence: None,
            rng_seed: proptest::test_runner::RngSeed::Fixed(7),
            ..Config::default()
        });
        match runner.run(&strategy, |v| {
            if test(&v) {
                Ok(())
            } else {
                Err(TestCaseError::fail("fails"))
            }
        }) {
            Err(TestError::Fail(_, v)) => v,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn a_4096_byte_buffer_failing_at_length_2_shrinks_to_2() {
        let v = shrunk(shrinking(Just(vec![0xffu8; 4096])), |b: &Vec<u8>| {
            b.len() < 2
        });
        assert_eq!(v, vec![0, 0]);
    }

    #[test]
    fn a_multibyte_char_in_a_long_string_shrinks_to_that_char() {
        let v = shrunk(
            shrinking(Just(format!("{}€{}", "x".repeat(3000), "y".repeat(999)))),
            |s: &String| s.is_ascii(),
        );
        assert_eq!(v, "€");
    }

    #[test]
    fn the_huge_byte_strategy_and_the_byte_mix_shrink_to_length_2() {
        let v = shrunk(crate::bytes::huge_bytes(), |b: &Vec<u8>| b.len() < 2);
        assert_eq!(v, vec![0, 0]);
        let v = shrunk(
            crate::bytes::attack_bytes(&crate::Hints::NONE),
            |b: &Vec<u8>| b.len() < 2,
        );
        assert_eq!(v, vec![0, 0]);
    }

    #[test]
    fn a_string_with_a_multibyte_char_from_the_mix_shrinks_to_one_char() {
        let v = shrunk(
            <String as crate::Attack>::attack(&crate::Hints::NONE),
            |s: &String| s.is_ascii(),
        );
        assert_eq!(v.chars().count(), 1, "{v:?}");
        assert!(!v.is_ascii());
    }

    #[test]
    fn a_100_000_deep_nesting_failing_at_depth_1000_shrinks_to_about_1000() {
        let depth = |s: &String| {
            s.strip_prefix("a = ")
                .map_or(0, |r| r.bytes().take_while(|b| *b == b'{').count())
        };
        let v = shrunk(
            crate::nesting::nested_after(&["a = "], &[("{", "}")])
                .prop_filter("10^5", |s| s.len() < 500_000),
            |s: &String| depth(s) < 1000,
        );
        eprintln!("shrunk to {} bytes, depth {}", v.len(), depth(&v));
        assert!((1000..=1100).contains(&depth(&v)), "depth {}", depth(&v));
        assert!(v.len() <= 1110, "{} bytes", v.len());
    }

    #[test]
    fn complicate_moves_on_and_ends_on_the_last_failing_value() {
        let mut t = UnitsTree::new(b"abcd".to_vec());
        assert!(t.simplify());
        assert_eq!(t.current(), b"cd");
        // "cd" passes: the next candidate drops the other half.
        assert!(t.complicate());
        assert_eq!(t.current(), b"ab");
        // "ab" fails: kept.
        assert!(t.simplify());
        assert_eq!(t.current(), b"b");
        while t.complicate() {}
        assert_eq!(t.current(), b"ab", "the last failing value stays current");
        assert!(!t.complicate());
    }
}
