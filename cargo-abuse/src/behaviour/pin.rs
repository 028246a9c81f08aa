//! std only: `cargo abuse sign --keep-behaviour`'s regression tests. The differing inputs the last
//! `run --since` recorded for a function become tests beside its kept regressions that pin the output it has
//! now (the owner accepts the new behaviour by signing; the next edit that changes it again fails them).

use std::path::Path;

use super::{body, FnBehaviour, Verdict};
use crate::generate::GeneratedFile;
use crate::model::TaggedFn;

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

/// The tests pinning `f`'s differing inputs of `entry` (its last comparison) to their outputs now. `harness` is
/// the function's generated harness (`tests/abuse/<module>.rs`), `lib` its crate's name, `signed` the
/// `owner date` of the sign-off. `Err` says why the comparison cannot be kept (it is of other code). Inputs
/// whose output now is a timeout or has no `Debug` text are left out.
pub fn pins(
    entry: &FnBehaviour,
    f: &TaggedFn,
    harness: &GeneratedFile,
    lib: &str,
    signed: &str,
) -> Result<Vec<Pin>, String> {
    if entry.fingerprint != f.fingerprint {
        return Err(format!(
            "the last `cargo abuse run --since` compared another version of `{}`: run it again on this code",
            f.path
        ));
    }
    let Verdict::Changed { differences, .. } = &entry.verdict else {
        return Ok(Vec::new());
    };
    let (prelude, call) = body::split_body(&harness.contents)?;
    let path = Path::new(&harness.path);
    let module = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let file = path
        .with_file_name("regressions.rs")
        .to_string_lossy()
        .replace('\\', "/");
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
