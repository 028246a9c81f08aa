//! The fuzz stage's entry, [`fuzz`]: builds each package's generated `fuzz/` crate with coverage
//! instrumentation on stable (AddressSanitizer on nightly when asked), runs every target within its budget,
//! minimises what it finds and turns each run into a [`PropertyResult`].
//!
//! Parts: `build` (toolchain and `cargo build`), `libfuzzer` (its arguments, exit codes, artifact names and
//! log, classified), `run` (one target's run, minimisation and replays, and the records read back).
//!
//! # Building
//!
//! One `cargo build --release` per package (a `--bin` for each target asked for), with the
//! sanitizer-coverage flags cargo-fuzz passes plus `-max-loads-per-memcmp=0` (without it
//! `starts_with(b"MAGIC")` is expanded into loads that no comparison tracing sees) and an explicit
//! `--target <host>` (without it build scripts and proc macros are instrumented too and fail to link). The
//! binaries are copied out of cargo's folder right away, because two packages may both have a target named
//! `parse`. libFuzzer's C++ (most of a cold build) is compiled once per libfuzzer-sys version into
//! `<target_dir>/libfuzzer/<version>/libfuzzer.a` and handed to every build after that through
//! `CUSTOM_LIBFUZZER_PATH`, so switching between stable and nightly (ASan) does not compile it again, and
//! CI can cache that small folder even when it does not cache the whole target folder.
//!
//! # Budget
//!
//! Every target gets the same `seconds` of fuzzing (`-max_total_time`), whatever the others do: the wall time
//! is predictable (`ceil(targets / cores) × seconds`, plus builds and minimisation) and one run compares with
//! the next. Targets run in parallel, one libFuzzer process per core (libFuzzer is single-threaded), so a
//! 2-core CI machine fuzzes two targets at a time. libFuzzer stops at a target's first failure; the target's time
//! left goes to a second round that looks for another root cause (the first passed over by the target, no
//! input over 4 KiB, no drawn seeds), reported as root cause 2. A target that hangs, runs out
//! of memory or dies is contained in its own process and never stops the others.
//!
//! # Classifying
//!
//! Exit codes and artifact names first (libFuzzer's stable interface: `crash-` 77, `timeout-` 70, `oom-` 71),
//! then the record the harness wrote to `$ABUSE_RECORDS`. A crash with a record is minimised
//! (`-minimize_crash=1`) and the minimised input replayed for its record. A timeout, an out-of-memory or a
//! crash without a record (stack overflow, abort) is replayed once with `$ABUSE_TRACE_INPUT` set, so that the
//! harness writes the input as a Rust expression before the call that never returns. libFuzzer's text output
//! is read only for the statistics (`-print_final_stats=1`) and the one-line `SUMMARY:` of a death.
//!
//! # Files
//!
//! Under `target_dir`: `bin/<pkg>/<target>` (the copied binaries), `artifacts/<pkg>/<target>/` (what
//! libFuzzer wrote, plus `minimized`), `records/<pkg>/<target>/`, `logs/<pkg>/<target>.log`, where `<pkg>` is
//! the package folder's name plus a short hash of its path. The corpus grows in the package itself,
//! `fuzz/corpus/<target>/` (first corpus argument: the one libFuzzer writes to), so CI can cache it between
//! runs; `fuzz/seeds/<target>/` and `fuzz/dict/<target>.dict` are read as generated.

mod build;
mod libfuzzer;
mod run;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use anyhow::Result;

use crate::model::{FailureKind, Outcome, PropertyResult};
use build::{build_package, Toolchain};
use run::run_target;

/// Which sanitizer the fuzz build uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sanitizer {
    /// Coverage only, on stable (about 1M executions per second).
    #[default]
    None,
    /// AddressSanitizer (`-Zsanitizer=address`): needs `cargo +nightly`; about 20 times slower, finds memory
    /// errors in `unsafe` code.
    Address,
}

/// How to fuzz, resolved from flags and `[*.metadata.abuse]`.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzSettings {
    /// Fuzzing time per target, in seconds (`-max_total_time`).
    pub seconds: u64,
    /// The workspace root (absolute), to shorten paths in messages.
    pub workspace_root: PathBuf,
    /// Where builds, binaries, artifacts, records and logs go, e.g. `<cargo target>/abuse/fuzz`.
    pub target_dir: PathBuf,
    /// The sanitizer; `Address` needs a nightly toolchain.
    pub sanitizer: Sanitizer,
    /// Time limit per input, in seconds (`-timeout`).
    pub timeout_secs: u64,
    /// Memory limit of the fuzzing process, in MiB (`-rss_limit_mb`, resident memory only).
    pub rss_limit_mb: u64,
    /// No progress lines.
    pub quiet: bool,
    /// Show cargo's and libFuzzer's output.
    pub verbose: bool,
    /// The run's seed: the property tests' draws written as seeds come from a stream derived from it.
    pub seed: u64,
}

/// One fuzz target of a generated `fuzz/` crate.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzTarget {
    /// The package folder (absolute), which holds `fuzz/`.
    pub package_dir: PathBuf,
    /// The target's module name, which is also its `[[bin]]` name.
    pub name: String,
    /// The function it attacks (`TaggedFn::path`).
    pub function: String,
}

/// What fuzzing one target found.
#[derive(Debug, Clone, PartialEq)]
pub struct FuzzOutcome {
    /// `FuzzTarget::function`.
    pub function: String,
    /// `FuzzTarget::name`.
    pub target: String,
    /// The result, with `source: Fuzz`. `elapsed_ms` is the fuzzing time until libFuzzer stopped (time to find,
    /// for a failure), without minimisation.
    pub result: PropertyResult,
    /// The failing input as libFuzzer stored it (minimised when that worked), for `cargo fuzz run T FILE`.
    pub artifact: Option<PathBuf>,
    /// Executions libFuzzer reported, if it got as far as printing its statistics.
    pub execs: Option<u64>,
    /// Failures of other root causes, found in the time left after the first (`root_cause` 2).
    pub more: Vec<PropertyResult>,
    /// Inputs the target drew from its property tests' strategy as seeds before fuzzing (0: none).
    pub drawn: usize,
}

/// Builds each package's `fuzz/` crate once, fuzzes every target for `settings.seconds`, and reports one
/// outcome per target, in the order given. `Err` only when the tool cannot do its job (nightly missing for
/// ASan, a build failure): a target that fails or cannot run is an outcome.
pub fn fuzz(targets: &[FuzzTarget], settings: &FuzzSettings) -> Result<Vec<FuzzOutcome>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let toolchain = Toolchain::for_sanitizer(settings.sanitizer)?;
    let host = toolchain.host_triple()?;

    let mut by_package: BTreeMap<&Path, Vec<&FuzzTarget>> = BTreeMap::new();
    for target in targets {
        by_package
            .entry(target.package_dir.as_path())
            .or_default()
            .push(target);
    }
    let mut binaries: BTreeMap<(PathBuf, String), PathBuf> = BTreeMap::new();
    for (package_dir, package_targets) in &by_package {
        let names: Vec<&str> = package_targets.iter().map(|t| t.name.as_str()).collect();
        for (name, bin) in build_package(package_dir, &names, &toolchain, &host, settings)? {
            binaries.insert((package_dir.to_path_buf(), name), bin);
        }
    }

    let jobs = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(targets.len());
    if !settings.quiet {
        eprintln!(
            "     Fuzzing {} target(s) for {} s each, {} at a time",
            targets.len(),
            settings.seconds,
            jobs
        );
    }
    let next = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<FuzzOutcome>>> = Mutex::new(vec![None; targets.len()]);
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(target) = targets.get(i) else { break };
                let bin = &binaries[&(target.package_dir.clone(), target.name.clone())];
                let outcome = run_target(target, bin, settings);
                if !settings.quiet {
                    eprintln!("{}", progress_line(&outcome));
                }
                outcomes
                    .lock()
                    .expect("no worker panics while holding the lock")[i] = Some(outcome);
            });
        }
    });
    let outcomes = outcomes.into_inner().expect("every worker has finished");
    Ok(outcomes
        .into_iter()
        .map(|o| o.expect("every index was taken by a worker"))
        .collect())
}

/// The folders and files of one target's run.
#[derive(Debug, Clone, PartialEq)]
struct TargetPaths {
    /// `fuzz/corpus/<target>/` in the package: the corpus libFuzzer grows.
    corpus: PathBuf,
    /// `fuzz/seeds/<target>/`, when generated (read only).
    seeds: Option<PathBuf>,
    /// Inputs drawn from the property tests' strategy by the target itself before fuzzing (read only; in the
    /// target dir, not the package: they are regenerated every run).
    drawn: PathBuf,
    /// `fuzz/dict/<target>.dict`, when generated.
    dict: Option<PathBuf>,
    /// Where libFuzzer writes what it finds (plus our `minimized`).
    artifacts: PathBuf,
    /// Where the harness writes its records, one folder per invocation below it.
    records: PathBuf,
    /// The fuzzing run's log; minimising and replays write theirs beside it.
    log: PathBuf,
}

impl TargetPaths {
    fn new(target: &FuzzTarget, target_dir: &Path) -> TargetPaths {
        let fuzz = target.package_dir.join("fuzz");
        let key = crate::cache::path_key(&target.package_dir);
        let seeds = fuzz.join("seeds").join(&target.name);
        let dict = fuzz.join("dict").join(format!("{}.dict", target.name));
        TargetPaths {
            corpus: fuzz.join("corpus").join(&target.name),
            seeds: seeds.is_dir().then_some(seeds),
            dict: dict.is_file().then_some(dict),
            drawn: target_dir.join("drawn").join(&key).join(&target.name),
            artifacts: target_dir.join("artifacts").join(&key).join(&target.name),
            records: target_dir.join("records").join(&key).join(&target.name),
            log: target_dir
                .join("logs")
                .join(&key)
                .join(format!("{}.log", target.name)),
        }
    }
}

/// `path` relative to the workspace root when inside it, with forward slashes.
fn shown_path(path: &Path, root: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn progress_line(outcome: &FuzzOutcome) -> String {
    let r = &outcome.result;
    let secs = r.elapsed_ms as f64 / 1000.0;
    let mut execs = outcome
        .execs
        .map(|e| format!(", {e} execs"))
        .unwrap_or_default();
    if outcome.drawn > 0 {
        execs.push_str(&format!(", from {} drawn inputs", outcome.drawn));
    }
    let mut line = match r.outcome {
        Outcome::Pass => format!(
            "        pass {} (fuzz {}, {secs:.1} s{execs})",
            outcome.function, outcome.target
        ),
        Outcome::Fail => format!(
            "        FAIL {} (fuzz {}, {} after {secs:.1} s{execs})",
            outcome.function,
            outcome.target,
            r.kind.map_or("failure", FailureKind::as_str)
        ),
        Outcome::NotRun => format!(
            "     not run {} (fuzz {}): {}",
            outcome.function,
            outcome.target,
            r.message.as_deref().unwrap_or("")
        ),
    };
    for more in &outcome.more {
        line.push_str(&format!(
            "\n        FAIL {} (fuzz {}, root cause {}: {} after {:.1} s)",
            outcome.function,
            outcome.target,
            more.root_cause.unwrap_or(2),
            more.kind.map_or("failure", FailureKind::as_str),
            more.elapsed_ms as f64 / 1000.0
        ));
    }
    line
}

/// How a process ended, for messages.
fn describe_status(status: Option<ExitStatus>) -> String {
    match status.and_then(|s| s.code()) {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    /// The settings the parts' tests start from.
    pub(super) fn settings() -> FuzzSettings {
        FuzzSettings {
            seconds: 60,
            workspace_root: PathBuf::from("/ws"),
            target_dir: PathBuf::from("/ws/target/abuse/fuzz"),
            sanitizer: Sanitizer::None,
            timeout_secs: 10,
            rss_limit_mb: 2048,
            quiet: true,
            verbose: false,
            seed: 1,
        }
    }

    /// Arguments as strings, to compare.
    pub(super) fn strings(args: &[OsString]) -> Vec<String> {
        args.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }
}
