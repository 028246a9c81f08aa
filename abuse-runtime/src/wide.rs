//! Quadratic work on many distinct keys: one element holding 50,000 or 100,000 attributes, members or fields
//! with different names (`<a a0="" a1="" …/>`, `{"a0":0,"a1":0,…}`, `a0=0&a1=0…`, header and `key: value`
//! lines). A parser that checks each new key against every earlier one (a duplicate check over a list) does
//! n²/2 comparisons: over a billion here, far past the time limit, while a linear parse of the same half
//! megabyte stays well under it (the limit grows with the input's size: [`crate::measure::call_limit`]).
//!
//! The breadth counterpart of [`crate::nesting`]. Entry point: [`many_keys`]. Every value shrinks (see
//! [`crate::shrink`]).

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::one_of;
use crate::shrink::shrinking_boxed;

/// How the keys are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Markup attributes in one empty tag: `<a a0="" a1=""/>`.
    Attributes,
    /// Members of one JSON object: `{"a0":0,"a1":0}`.
    Object,
    /// A query string: `a0=0&a1=0`.
    Query,
    /// Header lines: `a0: 0\r\n`.
    Headers,
    /// `key: value` lines (YAML, INI-like): `a0: 0\n`.
    Lines,
}

/// The forms, markup first.
pub const FORMS: &[Form] = &[
    Form::Attributes,
    Form::Object,
    Form::Query,
    Form::Headers,
    Form::Lines,
];

/// `n` fields with distinct keys `a0`, `a1`, … written in `form`.
#[must_use]
pub fn build(form: Form, n: usize) -> String {
    use std::fmt::Write;
    let (open, close) = match form {
        Form::Attributes => ("<a", "/>"),
        Form::Object => ("{", "}"),
        Form::Query | Form::Headers | Form::Lines => ("", ""),
    };
    let mut s = String::with_capacity(n * 12 + 4);
    s.push_str(open);
    for i in 0..n {
        // Writing to a String cannot fail.
        let _ = match form {
            Form::Attributes => write!(s, " a{i}=\"\""),
            Form::Object if i == 0 => write!(s, "\"a{i}\":0"),
            Form::Object => write!(s, ",\"a{i}\":0"),
            Form::Query if i == 0 => write!(s, "a{i}=0"),
            Form::Query => write!(s, "&a{i}=0"),
            Form::Headers => write!(s, "a{i}: 0\r\n"),
            Form::Lines => writeln!(s, "a{i}: 0"),
        };
    }
    s.push_str(close);
    s
}

/// One element with 50,000 (mostly) or 100,000 distinct keys in one of [`FORMS`].
pub fn many_keys() -> BoxedStrategy<String> {
    keys_in(one_of(FORMS.to_vec()))
}

/// One strategy per form of [`many_keys`] (see [`crate::forms`]).
pub fn many_keys_forms() -> Vec<BoxedStrategy<String>> {
    FORMS.iter().map(|f| keys_in(Just(*f))).collect()
}

fn keys_in(form: impl Strategy<Value = Form> + 'static) -> BoxedStrategy<String> {
    shrinking_boxed(
        (
            form,
            prop_oneof![3 => Just(50_000usize), 1 => Just(100_000usize)],
        )
            .prop_map(|(form, n)| build(form, n)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn forms_write_distinct_keys() {
        assert_eq!(build(Form::Attributes, 3), "<a a0=\"\" a1=\"\" a2=\"\"/>");
        assert_eq!(build(Form::Object, 2), "{\"a0\":0,\"a1\":0}");
        assert_eq!(build(Form::Query, 2), "a0=0&a1=0");
        assert_eq!(build(Form::Headers, 1), "a0: 0\r\n");
        assert_eq!(build(Form::Lines, 2), "a0: 0\na1: 0\n");
    }

    #[test]
    fn every_form_reaches_50_000_keys() {
        let v = samples(&many_keys(), 200);
        assert!(v
            .iter()
            .any(|s| s.starts_with("<a a0=\"\" a1=") && s.contains(" a49999=\"\"")));
        assert!(v
            .iter()
            .any(|s| s.starts_with("{\"a0\":0,") && s.contains("\"a99999\":0}")));
        for start in ["a0=0&a1=0", "a0: 0\r\n", "a0: 0\na1"] {
            assert!(v.iter().any(|s| s.starts_with(start)), "{start:?}");
        }
    }
}
