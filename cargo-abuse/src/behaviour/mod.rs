//! `cargo abuse run --since REV`, the `behaviour` stage: every tagged function whose fingerprint changed since
//! REV runs as it was at the merge base and as it is now on the same inputs; where the outcomes differ is
//! reported (information, not a failure, unless policy `behaviour-change = "error"`).
//!
//! The base revision's tree is exported once per commit into `<target>/abuse/base/<commit>/` (`base.rs`, which
//! also renames its package so both copies can link into one test); a generated crate beside it depends on
//! both and holds one test target per function (`crate_gen.rs`, bodies from the function's own harness,
//! `body.rs`); `cargo test` runs each target and its driver writes what it found as JSON (`exec.rs`).
//! What the reports show is `render.rs`.

mod base;
mod body;
mod crate_gen;
mod exec;
mod pin;
mod render;

use std::collections::BTreeMap;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::generate::Generated;
use crate::model::{Inventory, TaggedFn};
use crate::options::Options;
use crate::{discover, git, workspace};

pub use pin::{pins, Pin};
pub use render::render_human;

/// One input on which the two revisions disagree, shrunk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Difference {
    /// The call as Rust: `parse_port("080")`.
    pub call: String,
    /// The outcome at the base revision: `Ok(80)`, `panic!("...")`, `timeout (over 1000 ms)`.
    pub before: String,
    /// The outcome now.
    pub now: String,
    /// The input as a Rust expression of the harness's `Input` type (what `sign --keep-behaviour` keeps);
    /// empty in comparisons saved before it was recorded.
    #[serde(default)]
    pub input: String,
}

/// What the comparison of one function found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// Same outcomes on every input tried.
    Unchanged {
        /// Inputs tried.
        cases: u64,
    },
    /// The outcomes differ on these inputs (the first few, shrunk).
    Changed {
        /// Inputs tried.
        cases: u64,
        /// The differing inputs.
        differences: Vec<Difference>,
    },
    /// The comparison began but could not finish (the base revision's function hung).
    Inconclusive {
        /// Inputs tried before it stopped.
        cases: u64,
        /// Why it stopped.
        reason: String,
    },
    /// The function could not be compared.
    NotCompared {
        /// Why: a new function, a changed signature, the base revision does not build, ...
        reason: String,
    },
}

/// One changed function's comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FnBehaviour {
    /// Package name.
    pub package: String,
    /// Path from the crate root.
    pub function: String,
    /// File relative to the workspace root.
    pub file: String,
    /// 1-based line now.
    pub line: u32,
    /// The function's fingerprint now: `sign --keep-behaviour` keeps only a comparison of the code it signs.
    #[serde(default)]
    pub fingerprint: String,
    /// What was found.
    #[serde(flatten)]
    pub verdict: Verdict,
}

/// What `run --since REV` found, per changed function.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BehaviourReport {
    /// The revision as given (`origin/main`).
    pub since: String,
    /// The merge base compared against.
    pub base: String,
    /// Per changed function, in inventory order.
    pub functions: Vec<FnBehaviour>,
}

impl BehaviourReport {
    /// Whether some function's behaviour changed.
    pub fn any_change(&self) -> bool {
        self.functions
            .iter()
            .any(|f| matches!(f.verdict, Verdict::Changed { .. }))
    }
}

/// A function to compare, with its harness text.
struct Candidate<'a> {
    f: &'a TaggedFn,
    /// The harness module's name (`parse_port`, `recent__push`).
    module: String,
    /// The generated test target's text.
    test: String,
    /// The fuzz target's corpus folder (`fuzz/corpus/<target>/`), when the function has a fuzz target.
    corpus: Option<std::path::PathBuf>,
}

/// Compares every tagged function whose fingerprint changed since `since` (its merge base with HEAD).
pub fn compare(
    ws: &workspace::Workspace,
    inventory: &Inventory,
    generated: &Generated,
    opts: &Options,
    since: &str,
) -> Result<BehaviourReport> {
    let base = git::merge_base(&opts.workspace_root, since)?;
    let base_root = base::export(opts, &base)?;
    let old_packages: Vec<workspace::PackageSources> = ws
        .packages
        .iter()
        .map(|p| p.rebased(&ws.root, &base_root))
        .collect();
    let old_opts = Options {
        target_dir: base_root.join("target"),
        verbosity: -1,
        ..opts.clone()
    };
    let old = discover::discover(
        &old_packages,
        &base_root,
        &old_opts,
        discover::prefetch(None),
    );
    let mut report = BehaviourReport {
        since: since.to_string(),
        base: base.clone(),
        functions: Vec::new(),
    };
    // Per package: the functions to compare and the index of their entry in the report.
    let mut todo: BTreeMap<String, Vec<(usize, Candidate)>> = BTreeMap::new();
    for package in &inventory.packages {
        for f in &package.functions {
            let before = old.counterpart(f);
            if before.is_some_and(|b| b.fingerprint == f.fingerprint) {
                continue;
            }
            let entry = |verdict| FnBehaviour {
                package: f.package.clone(),
                function: f.path.clone(),
                file: f.file.clone(),
                line: f.line,
                fingerprint: f.fingerprint.clone(),
                verdict,
            };
            let not_compared = |reason: String| entry(Verdict::NotCompared { reason });
            let Some(before) = before else {
                report.functions.push(not_compared(
                    "new function: nothing to compare it with at the base revision".into(),
                ));
                continue;
            };
            if let Some(why) = signature_change(before, f) {
                report.functions.push(not_compared(why));
                continue;
            }
            let Some(lib) = package.lib_crate.as_deref().filter(|_| f.in_lib) else {
                report.functions.push(not_compared(
                    "not in a library crate: a test cannot link two revisions of it".into(),
                ));
                continue;
            };
            if f.test.is_some() {
                report.functions.push(not_compared(
                    "a `#[test]`: it takes no input to compare outputs on; its own assertions are its check"
                        .into(),
                ));
                continue;
            }
            let harness = generated
                .harness_of(&f.path)
                .filter(|h| h.package.as_deref() == Some(&package.name));
            let Some(harness) = harness.filter(|h| h.path.contains("tests/abuse/")) else {
                report.functions.push(not_compared(
                    "no harness reachable from outside the crate to draw inputs from".into(),
                ));
                continue;
            };
            let module = std::path::Path::new(&harness.path)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .to_string();
            let regressions = body::kept_inputs(
                &opts
                    .workspace_root
                    .join(&harness.path)
                    .with_file_name("regressions.rs"),
                &module,
            );
            let fuzz_target = generated
                .fuzz_target_of(&f.path)
                .filter(|t| t.package.as_deref() == Some(&package.name));
            let decode = fuzz_target.map_or(body::CorpusDecode::None, |t| {
                body::CorpusDecode::of_target(&t.contents)
            });
            let corpus = fuzz_target
                .filter(|_| decode != body::CorpusDecode::None)
                .and_then(|t| corpus_dir(&opts.workspace_root, &t.path));
            match body::behaviour_test(&harness.contents, lib, &regressions, decode) {
                Ok(test) => {
                    report.functions.push(entry(Verdict::NotCompared {
                        reason: "not run".into(),
                    }));
                    let at = report.functions.len() - 1;
                    todo.entry(package.name.clone()).or_default().push((
                        at,
                        Candidate {
                            f,
                            module,
                            test,
                            corpus,
                        },
                    ));
                }
                Err(why) => report.functions.push(not_compared(why)),
            }
        }
    }
    for (name, candidates) in todo {
        let Some(package) = ws.packages.iter().find(|p| p.name == name) else {
            continue;
        };
        let verdicts = exec::compare_package(opts, package, &base_root, &base, &candidates)?;
        for ((at, _), verdict) in candidates.iter().zip(verdicts) {
            report.functions[*at].verdict = verdict;
        }
    }
    Ok(report)
}

/// `fuzz/corpus/<target>/` beside `fuzz/fuzz_targets/<target>.rs` (a path from the workspace root).
fn corpus_dir(root: &std::path::Path, fuzz_target: &str) -> Option<std::path::PathBuf> {
    let path = root.join(fuzz_target);
    let name = path.file_stem()?.to_owned();
    Some(path.parent()?.parent()?.join("corpus").join(name))
}

/// Why two revisions of a function cannot take the same inputs, if they cannot: the receiver, the parameters'
/// types, the generics or `async` changed.
fn signature_change(before: &TaggedFn, now: &TaggedFn) -> Option<String> {
    let (b, n) = (&before.signature, &now.signature);
    let same = b.receiver == n.receiver
        && b.is_async == n.is_async
        && b.generics == n.generics
        && b.params.len() == n.params.len()
        && b.params.iter().zip(&n.params).all(|(x, y)| x.ty == y.ty)
        && before.self_type == now.self_type;
    (!same).then(|| {
        format!(
            "signature changed: `{}` → `{}` (the inputs of one do not fit the other)",
            b.text, n.text
        )
    })
}

/// Where the last `run --since`'s comparison is kept, for `report --since`.
pub fn last_path(opts: &Options) -> std::path::PathBuf {
    let key = crate::cache::path_key(&opts.workspace_root);
    opts.target_dir
        .join("abuse")
        .join(format!("last-behaviour-{key}.json"))
}

/// The last comparison saved by `run --since`, if any.
pub fn load_last(opts: &Options) -> Option<BehaviourReport> {
    std::fs::read_to_string(last_path(opts))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
}
