//! std::process (cargo): builds the base revision's copy of a package, then runs each function's behaviour test
//! target in the generated crate and reads the driver's JSON into a [`Verdict`].

use std::path::Path;

use anyhow::Result;
use serde::Deserialize;

use super::crate_gen::{self, CrateSpec};
use super::{render, Candidate, Difference, Verdict};
use crate::manifest::RuntimeDep;
use crate::options::Options;
use crate::workspace::PackageSources;

/// What the driver writes.
#[derive(Deserialize)]
struct DriverOut {
    cases: u64,
    differences: Vec<DriverDifference>,
    stopped: Option<String>,
}

#[derive(Deserialize)]
struct DriverDifference {
    input: String,
    before: String,
    now: String,
}

/// Compares one package's candidates; one verdict each, in order. Only a failure to write files is `Err`.
pub(super) fn compare_package(
    opts: &Options,
    package: &PackageSources,
    base_root: &Path,
    base: &str,
    candidates: &[(usize, Candidate)],
) -> Result<Vec<Verdict>> {
    let all = |reason: String| {
        Ok(candidates
            .iter()
            .map(|_| Verdict::NotCompared {
                reason: reason.clone(),
            })
            .collect())
    };
    let rel = package
        .dir
        .strip_prefix(&opts.workspace_root)
        .unwrap_or(Path::new(""));
    let base_dir = base_root.join(rel);
    if let Err(why) = super::base::prepare_package(&base_dir, &package.dir, &package.name) {
        return all(why);
    }
    let lib = candidates
        .first()
        .map(|(_, c)| c.f.crate_name.clone())
        .unwrap_or_default();
    let runtime = match opts
        .packages
        .get(&package.name)
        .and_then(|p| p.runtime_path.clone())
    {
        Some(path) => RuntimeDep::Path(path.to_string_lossy().replace('\\', "/")),
        None => RuntimeDep::Version(crate::generate::RUNTIME_VERSION.into()),
    };
    let lock = [
        package.dir.join("Cargo.lock"),
        opts.workspace_root.join("Cargo.lock"),
    ]
    .into_iter()
    .find(|p| p.is_file());
    let dir = opts
        .target_dir
        .join("abuse")
        .join("behaviour")
        .join(&package.name);
    let target = opts
        .target_dir
        .join("abuse")
        .join("behaviour")
        .join("target");
    let tests: Vec<(&str, &str)> = candidates
        .iter()
        .map(|(_, c)| (c.module.as_str(), c.test.as_str()))
        .collect();
    crate_gen::write(
        &dir,
        &CrateSpec {
            package: &package.name,
            lib: &lib,
            current_dir: &package.dir,
            base_dir: &base_dir,
            runtime,
            lock,
        },
        &tests,
    )?;
    let short = &base[..base.len().min(12)];
    if opts.verbosity >= 0 {
        eprintln!(
            "   Behaviour {} at {short} (building the base revision)",
            package.name
        );
    }
    // The base revision alone first: its failure is a sentence of its own, and the other packages go on.
    let built = crate::toolchain::Toolchain::Current
        .cargo()
        .current_dir(&dir)
        .args(["build", "--quiet", "--message-format=short", "-p"])
        .arg(super::base::renamed(&package.name))
        .arg("--target-dir")
        .arg(&target)
        .output()?;
    if !built.status.success() {
        return all(format!(
            "the base revision {short} does not build: {}",
            first_error(&String::from_utf8_lossy(&built.stderr))
        ));
    }
    let mut verdicts = Vec::new();
    for (_, c) in candidates {
        if opts.verbosity >= 0 {
            eprintln!("   Behaviour {}::{}", c.f.package, c.f.path);
        }
        verdicts.push(run_one(opts, &dir, &target, c));
    }
    Ok(verdicts)
}

/// Runs one function's behaviour target.
fn run_one(opts: &Options, dir: &Path, target: &Path, c: &Candidate) -> Verdict {
    let out_file = target.join(format!("behaviour-{}.json", c.module));
    let _ = std::fs::remove_file(&out_file);
    let cases = opts.run_cases.unwrap_or(1000).max(1);
    let seed = opts.seed.unwrap_or(0x5eed);
    let result = crate::toolchain::Toolchain::Current
        .cargo()
        .current_dir(dir)
        .args([
            "test",
            "--quiet",
            "--message-format=short",
            "--test",
            &c.module,
        ])
        .arg("--target-dir")
        .arg(target)
        .args(["--", "behaviour", "--exact", "--test-threads=1"])
        .env("ABUSE_BEHAVIOUR_OUT", &out_file)
        .env("ABUSE_BEHAVIOUR_CASES", cases.to_string())
        .env("ABUSE_BEHAVIOUR_SEED", seed.to_string())
        .env(
            "ABUSE_BEHAVIOUR_CORPUS",
            c.corpus.as_deref().unwrap_or(Path::new("")),
        )
        .output();
    let output = match result {
        Ok(o) => o,
        Err(e) => {
            return Verdict::NotCompared {
                reason: format!("could not run cargo: {e}"),
            }
        }
    };
    let Some(found) = std::fs::read_to_string(&out_file)
        .ok()
        .and_then(|t| serde_json::from_str::<DriverOut>(&t).ok())
    else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason = if stderr.contains("could not compile") {
            format!(
                "the two revisions do not fit one test (a type of the crate changed?): {}",
                first_error(&stderr)
            )
        } else {
            format!(
                "the behaviour test ended without a result: {}",
                stderr.lines().last().unwrap_or("no output").trim()
            )
        };
        return Verdict::NotCompared { reason };
    };
    if let Some(reason) = found.stopped {
        return Verdict::Inconclusive {
            cases: found.cases,
            reason,
        };
    }
    if found.differences.is_empty() {
        return Verdict::Unchanged { cases: found.cases };
    }
    Verdict::Changed {
        cases: found.cases,
        differences: found
            .differences
            .into_iter()
            .map(|d| Difference {
                call: render::call_text(c.f, &d.input),
                before: d.before,
                now: d.now,
                input: d.input,
            })
            .collect(),
    }
}

/// The first `error...` line of cargo's short-format output (or its last line).
fn first_error(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.contains("error"))
        .or_else(|| stderr.lines().last())
        .unwrap_or("no output")
        .trim()
        .to_string()
}
