//! Compile-time dispatch for [`crate::same!`] (autoref specialisation): `PartialEq + Debug`, then
//! `PartialEq`, then `Debug` output, then a compile error naming what the property needs.

use std::fmt::Debug;

use proptest::test_runner::TestCaseError;

/// The two values compared.
pub struct Pair<'a, T>(pub &'a T, pub &'a T);

fn differ(property: &str, detail: String) -> Result<(), TestCaseError> {
    Err(TestCaseError::fail(format!(
        "{property}: the two sides differ: {detail}"
    )))
}

/// Chosen when the type has `PartialEq` and `Debug`.
pub trait ViaPartialEqDebug {
    /// Compares with `==`, showing both values.
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError>;
}
impl<T: PartialEq + Debug> ViaPartialEqDebug for &&&Pair<'_, T> {
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError> {
        if self.0 == self.1 {
            Ok(())
        } else {
            differ(property, format!("left: {:?}, right: {:?}", self.0, self.1))
        }
    }
}

/// Chosen when the type has `PartialEq` only.
pub trait ViaPartialEq {
    /// Compares with `==`.
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError>;
}
impl<T: PartialEq> ViaPartialEq for &&Pair<'_, T> {
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError> {
        if self.0 == self.1 {
            Ok(())
        } else {
            differ(property, "(the type has no Debug to show them)".to_owned())
        }
    }
}

/// Chosen when the type has `Debug` only.
pub trait ViaDebug {
    /// Compares the `Debug` output.
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError>;
}
impl<T: Debug> ViaDebug for &Pair<'_, T> {
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError> {
        let (l, r) = (format!("{:?}", self.0), format!("{:?}", self.1));
        if l == r {
            Ok(())
        } else {
            differ(
                property,
                format!(
                    "left: {l}, right: {r} (compared by Debug output: the type has no PartialEq)"
                ),
            )
        }
    }
}

/// Implemented by no type: reaching it means the compared type has neither `PartialEq` nor `Debug`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared: this property (roundtrip, idempotent, oracle, deterministic) needs `PartialEq` or `Debug` on the output type",
    label = "compared here",
    note = "derive `PartialEq` (and `Debug`) on the type, or drop the property from `#[ai_generated(...)]`"
)]
pub trait PropertyNeedsPartialEqOrDebug {}

/// The fallback: a compile error through [`PropertyNeedsPartialEqOrDebug`].
pub trait ViaNeither<T> {
    /// Never compiles.
    fn abuse_compare(&self, property: &str) -> Result<(), TestCaseError>
    where
        T: PropertyNeedsPartialEqOrDebug;
}
impl<T> ViaNeither<T> for Pair<'_, T> {
    fn abuse_compare(&self, _: &str) -> Result<(), TestCaseError>
    where
        T: PropertyNeedsPartialEqOrDebug,
    {
        unreachable!("no type implements PropertyNeedsPartialEqOrDebug")
    }
}

#[cfg(test)]
mod tests {
    use proptest::test_runner::TestCaseError;

    #[derive(PartialEq)]
    struct OnlyEq(u8);
    #[derive(Debug)]
    struct OnlyDebug(#[allow(dead_code)] u8);

    fn msg(r: Result<(), TestCaseError>) -> String {
        match r {
            Err(TestCaseError::Fail(m)) => m.message().to_owned(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn same_dispatches_on_what_the_type_has() {
        assert!(crate::same!("roundtrip", 1u8, 1u8).is_ok());
        assert!(msg(crate::same!("oracle", vec![1], vec![2])).contains("left: [1], right: [2]"));
        assert!(crate::same!("idempotent", OnlyEq(1), OnlyEq(1)).is_ok());
        assert!(msg(crate::same!("idempotent", OnlyEq(1), OnlyEq(2))).contains("no Debug"));
        assert!(crate::same!("deterministic", OnlyDebug(3), OnlyDebug(3)).is_ok());
        assert!(
            msg(crate::same!("deterministic", OnlyDebug(3), OnlyDebug(4))).contains("Debug output")
        );
        assert!(crate::same!("roundtrip", f64::NAN, f64::NAN).is_err());
    }
}
