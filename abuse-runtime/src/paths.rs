//! Path strategies (`PathBuf`, `&Path`, `OsString`): traversal in plain and encoded forms, absolute, drive
//! and UNC paths, NUL, trailing separators, non-UTF-8 names (Unix), very long names, and ordinary relative
//! paths.

use std::ffi::OsString;
use std::path::PathBuf;

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{part, weighted, Attack};
use crate::hints::{Hints, Mix};

/// Non-UTF-8 file names (Unix only: elsewhere plain names).
pub fn non_utf8_names() -> BoxedStrategy<OsString> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        crate::bytes::invalid_utf8()
            .prop_map(|b| OsString::from_vec(b.into_iter().filter(|&c| c != 0).collect()))
            .boxed()
    }
    #[cfg(not(unix))]
    {
        Just(OsString::from("name")).boxed()
    }
}

/// Ordinary relative paths.
pub fn relative_paths() -> BoxedStrategy<String> {
    "[a-z0-9_.-]{1,8}(/[a-z0-9_.-]{1,8}){0,3}".boxed()
}

/// The attacking path strategy with an explicit mix, as strings (valid UTF-8).
pub fn path_strings(hints: &Hints, mix: &Mix) -> BoxedStrategy<String> {
    weighted(vec![
        part(mix.adversarial * 2, crate::strings::traversal()),
        part(
            mix.boundary,
            vec![
                String::new(),
                ".".into(),
                "/".into(),
                "a".into(),
                "a/".into(),
            ],
        ),
        (mix.adversarial / 2, crate::strings::multibyte_at_offsets()),
        (
            mix.adversarial / 4,
            (1..5usize, 255..=300usize)
                .prop_map(|(d, n)| vec!["a".repeat(n); d].join("/"))
                .boxed(),
        ),
        (mix.random, relative_paths()),
        (mix.literals, crate::literals::string_literals(hints)),
        (
            mix.random / 2,
            (
                relative_paths(),
                crate::attack::one_of(crate::strings::traversal()),
            )
                .prop_map(|(a, b)| format!("{a}/{b}"))
                .boxed(),
        ),
    ])
}

impl Attack for PathBuf {
    fn attack(hints: &Hints) -> BoxedStrategy<PathBuf> {
        let mix = Mix::for_hints(hints);
        weighted(vec![
            (9, path_strings(hints, &mix).prop_map(PathBuf::from).boxed()),
            (1, non_utf8_names().prop_map(PathBuf::from).boxed()),
        ])
    }
}

impl Attack for OsString {
    fn attack(hints: &Hints) -> BoxedStrategy<OsString> {
        weighted(vec![
            (4, String::attack(hints).prop_map(OsString::from).boxed()),
            (1, non_utf8_names()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn traversal_and_absolute_paths_appear() {
        let v = samples(&PathBuf::attack(&Hints::NONE), 256);
        assert!(v
            .iter()
            .any(|p| p.components().any(|c| c == std::path::Component::ParentDir)));
        assert!(v.iter().any(|p| p.is_absolute()));
        assert!(v.iter().any(|p| p.to_str().is_none()), "non-UTF-8");
    }
}
