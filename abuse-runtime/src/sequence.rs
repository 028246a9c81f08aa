//! Sequences of calls on one value (proptest's `collection::vec`): the input a sequence test draws, the
//! invariant check, and how a failing sequence prints as Rust statements a person can paste.
//!
//! A generated sequence harness defines its own `Call` enum (one variant per tagged method, the raw
//! arguments as fields) and implements [`CallExpr`] for it; the input is a [`Sequence`] of a raw receiver
//! and the calls. proptest shrinks a `vec` by its length first, then its elements: the shortest failing
//! sequence is found before its arguments are simplified.

use std::fmt::Debug;

use proptest::prelude::{Strategy, TestCaseError};

use crate::expr::RustExpr;

/// One call of a sequence, printed as a statement on the value `var` (`r.push(1)`).
pub trait CallExpr {
    /// The statement, without its `;`.
    fn statement(&self, var: &str) -> String;
}

/// The input of a sequence test: how the value is built (its raw constructor arguments) and the calls.
#[derive(Clone, Debug)]
pub struct Sequence<R, C> {
    /// The receiver's raw value.
    pub receiver: R,
    /// The calls, in order.
    pub calls: Vec<C>,
    /// The expression that builds the value, with `{raw}` standing for the receiver's raw value as Rust.
    pub build: &'static str,
}

/// The strategy of a sequence: a receiver, then zero to `len` calls (`ABUSE_SEQUENCE_LEN`, when set to a
/// number of at least 1, overrides `len` for every sequence: what `benches/sequences/run.sh` sweeps).
pub fn sequence<R, C>(
    receiver: impl Strategy<Value = R>,
    call: impl Strategy<Value = C>,
    len: usize,
    build: &'static str,
) -> impl Strategy<Value = Sequence<R, C>>
where
    R: Debug + Clone,
    C: Debug + Clone,
{
    let len = std::env::var("ABUSE_SEQUENCE_LEN")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n >= 1)
        .unwrap_or(len);
    (receiver, proptest::collection::vec(call, 0..=len)).prop_map(move |(receiver, calls)| {
        Sequence {
            receiver,
            calls,
            build,
        }
    })
}

/// `template` with `{raw}` replaced by `raw` written as Rust.
pub fn fill<T: RustExpr + ?Sized>(template: &str, raw: &T) -> String {
    template.replace("{raw}", &raw.rust_expr())
}

impl<R: RustExpr, C: CallExpr> RustExpr for Sequence<R, C> {
    /// `let raw = (3,); let mut r = { let raw: &(usize,) = &raw; Ring::new(raw.0.clone()) }; r.push(1); r.pop();`
    /// The raw receiver is bound first: a value that borrows it (`Input::new(&raw.0)`) outlives the block that
    /// builds it.
    fn rust_expr(&self) -> String {
        let mut out = if self.build.contains("{raw}") {
            format!(
                "let raw = {}; let mut r = {};",
                self.receiver.rust_expr(),
                self.build.replace("{raw}", "raw")
            )
        } else {
            format!("let mut r = {};", self.build)
        };
        for call in &self.calls {
            out.push_str(&format!(" {};", call.statement("r")));
        }
        out
    }
}

/// Fails the case when the invariant does not hold; `when` says where in the sequence
/// (`after construction`, `after call 3 (push)`).
pub fn invariant(holds: bool, path: &str, when: &str) -> Result<(), TestCaseError> {
    if holds {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "invariant `{path}` does not hold {when}"
        )))
    }
}

/// What `same!` names when the `n`-th call (from 0) of a sequence returns something other than the same call
/// on the model: `call 3 (`pop`) on the type (left) and on the model `RingModel` (right)`.
pub fn model_property(n: usize, method: &str, model: &str) -> String {
    format!(
        "call {} (`{method}`) on the type (left) and on the model `{model}` (right)",
        n + 1
    )
}

/// Fails the case when a call's output differs from the model's.
pub fn same_as_model<T: PartialEq + Debug>(
    out: &T,
    expected: &T,
    method: &str,
    n: usize,
) -> Result<(), TestCaseError> {
    if out == expected {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "call {n} (`{method}`) returned {out:?}, the model returned {expected:?}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug)]
    enum Call {
        Push(u8),
        Pop,
    }

    impl CallExpr for Call {
        fn statement(&self, var: &str) -> String {
            match self {
                Call::Push(x) => format!("{var}.push({})", x.rust_expr()),
                Call::Pop => format!("{var}.pop()"),
            }
        }
    }

    #[test]
    fn a_sequence_prints_as_statements() {
        let s = Sequence {
            receiver: (3usize,),
            calls: vec![Call::Push(1), Call::Pop],
            build: "Ring::new({raw}.0)",
        };
        let text = s.rust_expr();
        // The raw receiver is bound first, so what the value borrows from it lives as long as the value.
        assert!(
            text.starts_with("let raw = (3usize,); let mut r = Ring::new(raw.0);")
                || text.starts_with("let raw = (3,); let mut r = Ring::new(raw.0);"),
            "{text}"
        );
        assert!(
            text.ends_with("; r.push(1u8); r.pop();") || text.ends_with("; r.push(1); r.pop();"),
            "{text}"
        );
    }

    #[test]
    fn invariant_and_model_failures_say_where() {
        assert!(invariant(true, "ok", "after construction").is_ok());
        let e = invariant(false, "Ring::ok", "after call 2 (`push`)").unwrap_err();
        assert!(e
            .to_string()
            .contains("invariant `Ring::ok` does not hold after call 2"));
        let e = crate::same!(&model_property(3, "pop", "RingModel"), &Some(1), &None).unwrap_err();
        assert!(
            e.to_string().contains(
                "call 4 (`pop`) on the type (left) and on the model `RingModel` (right): the two sides differ: left: Some(1), right: None"
            ),
            "{e}"
        );
        let e = same_as_model(&Some(1), &None, "pop", 4).unwrap_err();
        assert!(e
            .to_string()
            .contains("call 4 (`pop`) returned Some(1), the model returned None"));
    }
}
