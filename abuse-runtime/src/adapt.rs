//! Adapters that let generated code call user functions whose exact signatures it cannot see: an inverse that
//! takes its argument by value or by reference (`&str` for a `String`, `&[T]` for a `Vec<T>`), and an inverse
//! that answers `T`, `Option<T>` or `Result<T, E>`. Chosen at compile time, so a wrong guess is impossible.

use std::cell::Cell;

/// `f` can be called with an `A`, by value or by one of the borrows a `&`-taking function wants; `M` is an
/// inference marker that picks the one way that type-checks.
pub trait CallWith<A, M> {
    /// What `f` returns.
    type Output;
    /// Calls `f` with `arg`.
    fn call_with(self, arg: A) -> Self::Output;
}

/// Marker: `f(arg)`.
pub struct ByValue;
/// Marker: `f(&arg)`.
pub struct ByRef;
/// Marker: `f(arg.as_str())`.
pub struct ByStr;
/// Marker: `f(arg.as_slice())`.
pub struct BySlice;

impl<F: FnOnce(A) -> R, A, R> CallWith<A, ByValue> for F {
    type Output = R;
    fn call_with(self, arg: A) -> R {
        self(arg)
    }
}

impl<F: for<'a> FnOnce(&'a A) -> R, A, R> CallWith<A, ByRef> for F {
    type Output = R;
    fn call_with(self, arg: A) -> R {
        self(&arg)
    }
}

impl<F: for<'a> FnOnce(&'a str) -> R, R> CallWith<String, ByStr> for F {
    type Output = R;
    fn call_with(self, arg: String) -> R {
        self(arg.as_str())
    }
}

impl<F: for<'a> FnOnce(&'a [T]) -> R, T, R> CallWith<Vec<T>, BySlice> for F {
    type Output = R;
    fn call_with(self, arg: Vec<T>) -> R {
        self(arg.as_slice())
    }
}

/// Calls `f` with `arg` the way `f` takes it.
pub fn call_with<F: CallWith<A, M>, A, M>(f: F, arg: A) -> F::Output {
    f.call_with(arg)
}

/// An inverse's answer, to be normalised to `Option<T>` (see [`roundtrip!`](crate::roundtrip)).
#[doc(hidden)]
pub struct Back<X>(pub Cell<Option<X>>);

/// Highest priority: `Result<T, E>` → `Ok` value.
#[doc(hidden)]
pub trait FromResult<T> {
    fn normalize(self) -> Option<T>;
}
impl<T, E> FromResult<T> for &&&Back<Result<T, E>> {
    fn normalize(self) -> Option<T> {
        self.0.take().and_then(Result::ok)
    }
}

/// Then `Option<T>` → itself.
#[doc(hidden)]
pub trait FromOption<T> {
    fn normalize(self) -> Option<T>;
}
impl<T> FromOption<T> for &&Back<Option<T>> {
    fn normalize(self) -> Option<T> {
        self.0.take().flatten()
    }
}

/// Lowest: any `T` → `Some(T)`.
#[doc(hidden)]
pub trait FromPlain<T> {
    fn normalize(self) -> Option<T>;
}
impl<T> FromPlain<T> for &Back<T> {
    fn normalize(self) -> Option<T> {
        self.0.take()
    }
}

/// `roundtrip!(original, inverse_output)`: `Ok(())` when the inverse's answer (`T`, `Some(T)` or `Ok(T)`)
/// equals the original input, a `roundtrip` failure otherwise (including when the inverse rejects it).
#[macro_export]
macro_rules! roundtrip {
    ($original:expr, $back:expr $(,)?) => {{
        #[allow(unused_imports)]
        use $crate::adapt::{FromOption as _, FromPlain as _, FromResult as _};
        let original = $original;
        let back = $crate::adapt::Back(::std::cell::Cell::new(Some($back)));
        match (&&&back).normalize() {
            Some(back) => $crate::same!("roundtrip", back, original),
            None => Err($crate::proptest::test_runner::TestCaseError::fail(format!(
                "roundtrip: the inverse rejected the function's output (input {:?})",
                original
            ))),
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Option<Vec<u8>> {
        Some(s.as_bytes().to_vec())
    }
    fn encode(b: &[u8]) -> String {
        String::from_utf8_lossy(b).into_owned()
    }
    fn double(x: u32) -> u32 {
        x * 2
    }
    #[allow(clippy::ptr_arg)] // the point: an inverse that takes `&String`, not `&str`
    fn parse(s: &String) -> Result<u32, String> {
        s.parse().map_err(|_| s.clone())
    }

    #[test]
    fn picks_the_way_the_function_takes_its_argument() {
        assert_eq!(call_with(decode, "ab".to_string()), Some(b"ab".to_vec()));
        assert_eq!(call_with(encode, b"ab".to_vec()), "ab");
        assert_eq!(call_with(double, 2), 4);
        assert_eq!(call_with(parse, "7".to_string()), Ok(7));
    }

    #[test]
    fn roundtrip_unwraps_ok_and_some_and_compares() {
        let ok: Result<(), _> =
            crate::roundtrip!(b"ab".to_vec(), call_with(decode, "ab".to_string()));
        assert!(ok.is_ok());
        let plain: Result<(), _> =
            crate::roundtrip!("ab".to_string(), call_with(encode, b"ab".to_vec()));
        assert!(plain.is_ok());
        let wrong: Result<(), _> = crate::roundtrip!(7u32, call_with(parse, "8".to_string()));
        assert!(wrong.is_err());
        let rejected: Result<(), _> = crate::roundtrip!(7u32, call_with(parse, "x".to_string()));
        assert!(format!("{:?}", rejected.unwrap_err()).contains("rejected"));
    }
}
