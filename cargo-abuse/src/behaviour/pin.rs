//! std only: `cargo abuse sign --keep-behaviour`'s regression tests. The differing inputs the last
//! `run --since` recorded for a function become tests beside its kept regressions that pin the output it has
//! now (the owner accepts the new behaviour by signing; the next edit that changes it again fails them).

use super::{body, FnBehaviour, Verdict};
use crate::generate::GeneratedFile;

/// One pinned output, as a test to append to a regression file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    /// Regression file, relative to the workspace root (`tests/abuse/regressions.rs`).
    pub file: String,
    /// The test's name (`parse_port__behaviour_1a2b3c4d`): one per function and input.
    pub name: String,
    /// The `#[test]` item, unformatted.
    pub test: String,
}

/// The tests pinning the differing inputs of `entry` (a function's last comparison) to their outputs now.
/// `fingerprint` is the function's fingerprint now, `harness` its generated harness (`tests/abuse/<module>.rs`),
/// `lib` its crate's name, `signed` the `owner date` of the sign-off. `Err` says why the comparison cannot be
/// kept (it is of other code). Inputs whose output now is a timeout or has no `Debug` text are left out.
pub fn pins(
    entry: &FnBehaviour,
    fingerprint: &str,
    harness: &GeneratedFile,
    lib: &str,
    signed: &str,
) -> Result<Vec<Pin>, String> {
    if entry.fingerprint != fingerprint {
        return Err(format!(
            "the last `cargo abuse run --since` compared another version of `{}`: run it again on this code",
            entry.function
        ));
    }
    let Verdict::Changed { differences, .. } = &entry.verdict else {
        return Ok(Vec::new());
    };
    let (prelude, call) = body::split_body(&harness.contents)?;
    let (module, file) = crate::write::regression_file_of(&harness.path);
    Ok(differences
        .iter()
        .filter(|d| {
            !d.input.is_empty()
                && !d.now.starts_with("timeout")
                && d.now != "(a value without Debug)"
        })
        .map(|d| {
            let name = format!(
                "{module}__behaviour_{}",
                &crate::generate::checksum(&d.input)[..8]
            );
            let doc = format!(
                "`{}` was `{}` before this change; `{}` is kept (signed off by {signed}).",
                d.call, d.before, d.now
            )
            .replace('\n', " ");
            let test = format!(
                "/// {doc}\n#[test]\nfn {name}() {{ abuse_runtime::replay(&super::{module}::TARGET, \
                 abuse_runtime::Property::Behaviour, &super::{module}::settings(), {input}, \
                 |input: super::{module}::Input| {{ \
                 #[allow(unused_imports)] use super::{module}::*; \
                 #[allow(unused_imports)] use {lib}::*; \
                 {prelude}\n abuse_runtime::pinned(|| format!(\"{{:?}}\", {call}), {expected:?}) }}); }}",
                input = d.input,
                expected = d.now,
            );
            Pin {
                file: file.clone(),
                name,
                test,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::behaviour::Difference;
    use crate::generate::FileKind;
    use crate::plan::PlanReach;

    fn harness() -> GeneratedFile {
        GeneratedFile {
            path: "tests/abuse/parse_port.rs".into(),
            contents: "pub(crate) fn no_panic_body(
    input: Input,
) -> ::core::result::Result<(), abuse_runtime::prelude::TestCaseError> {
    let (r0,) = input;
    let _out = calc::parse_port(r0.as_str());
    Ok(())
}
"
            .into(),
            kind: FileKind::Harness(PlanReach::Public),
            function: Some("parse_port".into()),
            package: Some("calc".into()),
        }
    }

    fn entry(fingerprint: &str, now: &[&str]) -> FnBehaviour {
        FnBehaviour {
            package: "calc".into(),
            function: "parse_port".into(),
            file: "src/lib.rs".into(),
            line: 3,
            fingerprint: fingerprint.into(),
            verdict: Verdict::Changed {
                cases: 10,
                differences: now
                    .iter()
                    .enumerate()
                    .map(|(i, now)| Difference {
                        call: format!("parse_port(\"0{i}\")"),
                        before: "Ok(1)".into(),
                        now: (*now).into(),
                        input: format!("(String::from(\"0{i}\"),)"),
                    })
                    .collect(),
            },
        }
    }

    #[test]
    fn each_differing_input_becomes_a_test_of_its_new_output() {
        let e = entry(
            "f1",
            &[
                "Err(LeadingZero)",
                "timeout (over 1000 ms)",
                "panic!(\"x\")",
            ],
        );
        let pins = pins(&e, "f1", &harness(), "calc", "bob 2026-12-01").unwrap();
        // The timeout is not kept.
        assert_eq!(pins.len(), 2, "{pins:#?}");
        let p = &pins[0];
        assert_eq!(p.file, "tests/abuse/regressions.rs");
        assert!(p.name.starts_with("parse_port__behaviour_"), "{}", p.name);
        assert!(p.test.contains("(String::from(\"00\"),)"), "{}", p.test);
        assert!(
            p.test.contains("abuse_runtime::Property::Behaviour"),
            "{}",
            p.test
        );
        assert!(
            p.test.contains("abuse_runtime::pinned(|| format!(\"{:?}\", calc::parse_port(r0.as_str())), \"Err(LeadingZero)\")"),
            "{}",
            p.test
        );
        assert!(
            p.test.contains("signed off by bob 2026-12-01"),
            "{}",
            p.test
        );
        assert_ne!(pins[0].name, pins[1].name);
        assert!(
            pins[1].test.contains("\"panic!(\\\"x\\\")\""),
            "{}",
            pins[1].test
        );
    }

    #[test]
    fn a_comparison_of_other_code_is_refused() {
        let err = pins(&entry("old", &["1"]), "new", &harness(), "calc", "bob").unwrap_err();
        assert!(err.contains("run it again on this code"), "{err}");
    }
}
