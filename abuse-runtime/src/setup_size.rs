//! Set-up sizes: the capacity, length or count a constructor is given when it builds a value another
//! function's test needs (a receiver, a constructed argument). Uses proptest (a strategy adapter).
//!
//! The set-up is not under test: `Slab::with_capacity(n)` with an attacked `n` of 2^26 allocates 1 GiB before
//! the method is called, the counting allocator refuses it at the hard limit, the process aborts, and the
//! abort is charged to the method. A proptest user builds such a receiver from a small range
//! (`(0..1000usize).prop_map(Slab::with_capacity)`); the generated harness does the same for the integer
//! arguments whose name says they are a size (see `cargo-abuse`'s plan, `constructed` values). The
//! constructor's own harness still attacks the full range.
//!
//! The same holds for the strings, byte strings and collections a set-up constructor is given: aho-corasick's
//! `AhoCorasick::new(patterns)` on 800 KB of attack patterns takes seconds and passes the hard allocation limit
//! before `patterns_len` is called. [`setup_input`] cuts them to [`SETUP_INPUT_MAX`] bytes of `Debug` text.

use proptest::strategy::{BoxedStrategy, Strategy};

/// The largest size a set-up constructor is given: room for 65,536 values (1 MiB of 16-byte values) keeps
/// any element type far below `max_alloc`, and is still an edge (a power of two, past `u16::MAX`).
pub const SETUP_SIZE_MAX: u32 = 1 << 16;

/// An integer a set-up size can be drawn as.
pub trait SetupSize: Sized {
    /// The value, or [`SETUP_SIZE_MAX`] when it is larger (negative values are kept: a negative size is
    /// no allocation, and its rejection by the constructor is a rejected case).
    fn bounded(self) -> Self;
}

macro_rules! setup_size {
    ($($t:ty),*) => {$(
        impl SetupSize for $t {
            fn bounded(self) -> Self {
                match <$t>::try_from(SETUP_SIZE_MAX) {
                    Ok(max) if self > max => max,
                    _ => self,
                }
            }
        }
    )*};
}
setup_size!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

/// `attack`'s values, each larger than [`SETUP_SIZE_MAX`] drawn as that bound: the small values and edges of
/// the attack stay, an absurd set-up allocation does not happen.
pub fn setup_size<T>(attack: impl Strategy<Value = T> + 'static) -> BoxedStrategy<T>
where
    T: SetupSize + std::fmt::Debug + 'static,
{
    attack.prop_map(SetupSize::bounded).boxed()
}

/// The largest set-up input, in bytes of its `Debug` text: room for a few dozen patterns or a page of text.
pub const SETUP_INPUT_MAX: u64 = 4096;

/// `attack`'s values cut (strings, byte strings and collections, as the timeout rule cuts them) until their
/// `Debug` text is at most [`SETUP_INPUT_MAX`] bytes; a value that cutting cannot bring under it (ten thousand
/// empty strings) is not drawn.
pub fn setup_input<T>(attack: impl Strategy<Value = T> + 'static) -> BoxedStrategy<T>
where
    T: crate::RustExpr + std::fmt::Debug + 'static,
{
    // Counted in full: a count stopped at the bound would not see a cut make progress.
    let size = |v: &T| crate::measure::debug_size(v, u64::MAX);
    attack
        .prop_map(move |mut v| {
            let mut last = size(&v);
            while last > SETUP_INPUT_MAX && v.cut_in_place(1, 2) {
                let now = size(&v);
                if now >= last {
                    break;
                }
                last = now;
            }
            v
        })
        .prop_filter("set-up input larger than SETUP_INPUT_MAX", |v| {
            crate::measure::debug_size(v, SETUP_INPUT_MAX + 1) <= SETUP_INPUT_MAX
        })
        .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn big_sizes_are_drawn_as_the_bound_and_small_ones_are_kept() {
        assert_eq!(usize::MAX.bounded(), 1 << 16);
        assert_eq!((1u64 << 26).bounded(), 1 << 16);
        assert_eq!(3usize.bounded(), 3);
        assert_eq!(u8::MAX.bounded(), u8::MAX);
        assert_eq!(i16::MAX.bounded(), i16::MAX);
        assert_eq!((-5i64).bounded(), -5);
        assert_eq!(u128::MAX.bounded(), 1 << 16);
        let s = setup_size(crate::attack::<usize>(&crate::Hints {
            param: "capacity",
            ..crate::Hints::NONE
        }));
        let mut runner = TestRunner::deterministic();
        let values: Vec<usize> = (0..512)
            .map(|_| s.new_tree(&mut runner).unwrap().current())
            .collect();
        assert!(values.iter().all(|&v| v <= 1 << 16), "{values:?}");
        assert!(values.contains(&0), "{values:?}");
    }

    #[test]
    fn big_setup_inputs_are_cut_to_the_bound_and_small_ones_are_kept() {
        use proptest::strategy::Just;
        let mut runner = TestRunner::deterministic();
        fn draw<T: std::fmt::Debug>(runner: &mut TestRunner, s: BoxedStrategy<T>) -> T {
            s.new_tree(runner).unwrap().current()
        }
        let big: Vec<String> = vec!["ab".repeat(100_000), "c".repeat(30_000), "d".into()];
        let cut = draw(&mut runner, setup_input(Just(big)));
        assert!(
            crate::measure::debug_size(&cut, u64::MAX) <= SETUP_INPUT_MAX,
            "{}",
            cut.len()
        );
        assert_eq!(cut.len(), 3, "the list keeps its patterns, each shorter");
        assert!(cut[0].starts_with("abab") && !cut[0].is_empty());
        let small = vec![String::from("he"), String::from("she")];
        assert_eq!(draw(&mut runner, setup_input(Just(small.clone()))), small);
        let bytes = draw(&mut runner, setup_input(Just(vec![7u8; 1 << 20])));
        assert_eq!(
            bytes.len(),
            1024,
            "halved until its Debug text (3 bytes an element) fits"
        );
        // Every draw of the runtime's attack on string lists is under the bound.
        let s = setup_input(crate::attack::<Vec<String>>(&crate::Hints::NONE));
        for _ in 0..24 {
            let v = s.new_tree(&mut runner).unwrap().current();
            assert!(crate::measure::debug_size(&v, u64::MAX) <= SETUP_INPUT_MAX);
        }
    }
}
