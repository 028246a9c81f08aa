//! Values of types that implement `arbitrary::Arbitrary` (printed as the bytes that build them) and of types
//! with a proptest `Arbitrary` but no [`RustExpr`] (printed via `Debug`, best effort).

use std::fmt::Debug;
use std::ops::Deref;

use arbitrary::{Arbitrary, Unstructured};
use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::expr::{bytes_expr, RustExpr};
use crate::hints::Hints;

/// A value built by `arbitrary` from `bytes`; prints as `abuse_runtime::from_bytes::<T>(..)`.
#[derive(Clone, Debug)]
pub struct FromBytes<T> {
    /// The bytes the value was built from.
    pub bytes: Vec<u8>,
    /// The value.
    pub value: T,
}

impl<T> Deref for FromBytes<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> RustExpr for FromBytes<T> {
    fn rust_expr(&self) -> String {
        format!(
            "abuse_runtime::FromBytes::<{}>::rebuild(&{})",
            std::any::type_name::<T>(),
            bytes_expr(&self.bytes)
        )
    }
}

impl<T: for<'a> Arbitrary<'a>> FromBytes<T> {
    /// Builds the value again from the bytes that built it (what a kept regression input holds).
    ///
    /// # Panics
    /// When `arbitrary` cannot build a `T` from these bytes.
    #[must_use]
    pub fn rebuild(bytes: &[u8]) -> Self {
        FromBytes {
            bytes: bytes.to_vec(),
            value: from_bytes(bytes),
        }
    }
}

impl<T> FromBytes<T> {
    /// The value.
    pub fn into_inner(self) -> T {
        self.value
    }
}

/// Fuzz targets take the same input types as property tests: the bytes come from libFuzzer's input.
impl<'a, T: for<'b> Arbitrary<'b>> Arbitrary<'a> for FromBytes<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let bytes = Vec::<u8>::arbitrary(u)?;
        let value = T::arbitrary_take_rest(Unstructured::new(&bytes))?;
        Ok(FromBytes { bytes, value })
    }
}

/// Builds a `T` from bytes the way [`arbitrary_value`] did (pastes into regression tests).
///
/// # Panics
/// When `arbitrary` cannot build a `T` from these bytes (they did not come from [`arbitrary_value`]).
#[must_use]
pub fn from_bytes<T: for<'a> Arbitrary<'a>>(bytes: &[u8]) -> T {
    T::arbitrary_take_rest(Unstructured::new(bytes))
        .expect("these bytes built a value when the input was found")
}

/// Values of `T: arbitrary::Arbitrary` built from attacking and random byte vectors (random ones only under
/// `ABUSE_STRATEGY=naive`).
pub fn arbitrary_value<T: for<'a> Arbitrary<'a> + Clone + Debug + 'static>(
) -> BoxedStrategy<FromBytes<T>> {
    let random = prop::collection::vec(any::<u8>(), 0..256);
    let bytes = if crate::naive::enabled() {
        random.boxed()
    } else {
        prop_oneof![
            2 => random,
            1 => crate::bytes::attack_bytes(&Hints::NONE),
        ]
        .boxed()
    };
    bytes
        .prop_filter_map(
            "arbitrary could not build a value from these bytes",
            |bytes| {
                let value = T::arbitrary_take_rest(Unstructured::new(&bytes)).ok()?;
                Some(FromBytes { bytes, value })
            },
        )
        .boxed()
}

/// A value printed via `Debug` (best effort: it may not paste as Rust).
#[derive(Clone, Debug)]
pub struct Opaque<T>(pub T);

impl<T> Opaque<T> {
    /// The value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for Opaque<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: Debug> RustExpr for Opaque<T> {
    fn rust_expr(&self) -> String {
        format!("{:?}", self.0)
    }
}

/// Wraps a strategy of values without [`RustExpr`] (e.g. `any::<T>()` of another crate's type).
pub fn opaque<S: Strategy + 'static>(s: S) -> BoxedStrategy<Opaque<S::Value>>
where
    S::Value: Debug + Clone,
{
    s.prop_map(Opaque).boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[derive(Clone, Debug, PartialEq, Arbitrary)]
    struct Config {
        name: String,
        retries: u8,
    }

    #[test]
    fn arbitrary_values_print_as_their_bytes_and_rebuild() {
        for v in samples(&arbitrary_value::<Config>(), 32) {
            let e = v.rust_expr();
            assert!(e.starts_with("abuse_runtime::FromBytes::<"), "{e}");
            assert_eq!(FromBytes::<Config>::rebuild(&v.bytes).value, v.value);
            assert_eq!(from_bytes::<Config>(&v.bytes), v.value);
        }
    }
}
