//! std::process: builds and runs the generated property tests with cargo, and reads the records they write.
//!
//! Stable libtest has no machine-readable output, so outcomes come from the JSON records `abuse_runtime`
//! writes per test into `$ABUSE_RECORDS`; libtest's own output is only shown when something could not run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use abuse_record::Record;
use anyhow::{Context, Result};

use crate::generate::{FileKind, Generated, GeneratedFile};
use crate::model::{
    Checked, FailureKind, FnResult, Inventory, Outcome, Package, Property, PropertyResult,
    ResultSource, TaggedFn,
};
use crate::plan::PlanReach;

/// What `run` needs besides the model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunSettings {
    /// Workspace root, absolute.
    pub workspace_root: PathBuf,
    /// Cargo target directory for the test builds (None: cargo's default).
    pub target_dir: Option<PathBuf>,
    /// Cases per property (overrides the generated default).
    pub cases: Option<u32>,
    /// The seed every property test uses.
    pub seed: u64,
    /// `(k, n)`: run the k-th of n shares (1-based).
    pub shard: Option<(u32, u32)>,
    /// Print cargo's output as it goes.
    pub verbose: bool,
    /// Suppress progress lines.
    pub quiet: bool,
}

/// Whether a function falls in this shard: a stable hash of its path, so shards do not move between runs.
/// A shard outside `1..=n` (which the command line refuses) selects nothing; `n == 0` means no sharding.
#[abuse_macros::ai_generated(
    prompt = "Deterministically assign a function path to shard K of N (1-based); every path in exactly one shard",
    model = "claude",
    author = "lead",
    reviewer = "lead",
    test_owner = "lead",
    deterministic
)]
pub fn in_shard(function_path: &str, shard: Option<(u32, u32)>) -> bool {
    let Some((k, n)) = shard else { return true };
    if n == 0 {
        return true;
    }
    let hash = crate::generate::checksum(function_path);
    let value = u64::from_str_radix(&hash, 16).unwrap_or(0);
    k >= 1 && value % u64::from(n) == u64::from(k - 1)
}

/// Builds and runs the harnesses of every package, returning one result per harnessed function in the shard.
pub fn run(
    inventory: &Inventory,
    generated: &Generated,
    settings: &RunSettings,
) -> Result<Vec<FnResult>> {
    let mut results = Vec::new();
    for package in &inventory.packages {
        let selected: Vec<&TaggedFn> = package
            .functions
            .iter()
            .filter(|f| in_shard(&f.path, settings.shard))
            .filter(|f| {
                generated
                    .files
                    .iter()
                    .any(|g| g.function.as_deref() == Some(f.path.as_str()))
            })
            .collect();
        if selected.is_empty() {
            continue;
        }
        let records = run_package(package, &selected, generated, settings)?;
        results.extend(collect_results(package, &selected, generated, &records));
    }
    results.sort_by(|a, b| (&a.package, &a.function).cmp(&(&b.package, &b.function)));
    Ok(results)
}

/// The harness targets of a package: the integration test `abuse` and/or the lib's unit tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HarnessTarget {
    Integration,
    InCrate,
}

impl HarnessTarget {
    fn cargo_args(self) -> &'static [&'static str] {
        match self {
            HarnessTarget::Integration => &["--test", "abuse"],
            HarnessTarget::InCrate => &["--lib"],
        }
    }

    /// libtest name prefix of a module's tests.
    fn prefix(self) -> &'static str {
        match self {
            HarnessTarget::Integration => "",
            HarnessTarget::InCrate => "abuse_tests::",
        }
    }
}

/// A property-test harness file (not a fuzz target, dictionary or seed).
fn is_harness(file: &GeneratedFile) -> bool {
    matches!(file.kind, FileKind::Harness(_))
}

fn target_of(file: &GeneratedFile) -> HarnessTarget {
    match file.kind {
        FileKind::Harness(crate::plan::PlanReach::InCrate) => HarnessTarget::InCrate,
        _ => HarnessTarget::Integration,
    }
}

fn module_of(file: &GeneratedFile) -> &str {
    Path::new(&file.path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
}

fn run_package(
    package: &Package,
    selected: &[&TaggedFn],
    generated: &Generated,
    settings: &RunSettings,
) -> Result<Vec<Record>> {
    let manifest = settings.workspace_root.join(&package.manifest);
    let records_dir = records_dir(settings, package);
    if records_dir.exists() {
        std::fs::remove_dir_all(&records_dir)
            .with_context(|| format!("clearing {}", records_dir.display()))?;
    }
    std::fs::create_dir_all(&records_dir)
        .with_context(|| format!("creating {}", records_dir.display()))?;
    let records = run_package_tests(
        package,
        selected,
        generated,
        settings,
        &manifest,
        &records_dir,
    );
    // The records are in the report now; a failed removal only leaves a folder behind.
    let _ = std::fs::remove_dir_all(&records_dir);
    records
}

fn run_package_tests(
    package: &Package,
    selected: &[&TaggedFn],
    generated: &Generated,
    settings: &RunSettings,
    manifest: &Path,
    records_dir: &Path,
) -> Result<Vec<Record>> {
    let files: Vec<&GeneratedFile> = generated
        .files
        .iter()
        .filter(|g| match g.function.as_deref() {
            Some(f) => selected.iter().any(|s| s.path == f),
            // A sequence harness serves a type, not one function.
            None => matches!(g.kind, crate::generate::FileKind::Harness(_)),
        })
        .filter(|g| is_harness(g))
        .collect();
    for target in [HarnessTarget::Integration, HarnessTarget::InCrate] {
        let modules: Vec<&str> = files
            .iter()
            .filter(|f| target_of(f) == target)
            .map(|f| module_of(f))
            .collect();
        if modules.is_empty() {
            continue;
        }
        let all = list_tests(manifest, target, settings)?;
        let wanted: Vec<&String> = all
            .iter()
            .filter(|name| {
                let rest = name.strip_prefix(target.prefix()).unwrap_or(name);
                modules.iter().any(|m| {
                    rest.strip_prefix(m).is_some_and(|r| r.starts_with("::"))
                        || rest
                            .strip_prefix("regressions::")
                            .is_some_and(|r| r.strip_prefix(m).is_some_and(|r| r.starts_with("__")))
                })
            })
            .collect();
        if wanted.is_empty() {
            continue;
        }
        if !settings.quiet {
            eprintln!(
                "     Running {} abuse tests of `{}` ({} functions)",
                wanted.len(),
                package.name,
                modules.len()
            );
        }
        let mut cmd = cargo_test(manifest, target, settings);
        cmd.arg("--")
            .arg("--exact")
            .args(wanted.iter().map(|s| s.as_str()));
        cmd.env("ABUSE_RECORDS", records_dir);
        // The runtime records panic messages itself; capturing backtraces on every error or panic would only
        // slow each case down (and make per-call time limits depend on the caller's environment).
        cmd.env("RUST_BACKTRACE", "0")
            .env("RUST_LIB_BACKTRACE", "0");
        cmd.env("ABUSE_SEED", settings.seed.to_string());
        if let Some(cases) = settings.cases {
            cmd.env("ABUSE_CASES", cases.to_string());
        }
        let output = run_with_progress(cmd, records_dir, wanted.len(), settings)
            .with_context(|| format!("running cargo test for `{}`", package.name))?;
        if settings.verbose {
            eprintln!("{}", String::from_utf8_lossy(&output.stdout));
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        }
    }
    read_records(records_dir)
}

/// Runs the test command while watching the records folder: a progress bar on a terminal, one plain line per
/// finished test otherwise (CI logs), so a long run shows where it is.
fn run_with_progress(
    mut cmd: Command,
    records_dir: &Path,
    total: usize,
    settings: &RunSettings,
) -> Result<std::process::Output> {
    use std::io::IsTerminal;
    cmd.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().context("could not start cargo test")?;
    let live = !settings.quiet;
    let bar = (live && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("     Testing [{bar:30}] {pos}/{len} {msg}")
                .expect("a valid progress template")
                .progress_chars("=> "),
        );
        bar
    });
    // The child's output is drained on another thread so a full pipe never blocks it.
    let waiter = std::thread::spawn(move || child.wait_with_output());
    let mut seen = std::collections::BTreeSet::new();
    loop {
        let finished = waiter.is_finished();
        for record in read_records(records_dir).unwrap_or_default() {
            // A replay writes a provisional `crash` record before its call; wait for the final one.
            let provisional = record.kind == Some(FailureKind::Crash) && record.elapsed_ms == 0;
            if provisional && !finished {
                continue;
            }
            if seen.insert(record.test.clone()) && live {
                // The same word the final table uses: a rejected property ran no case.
                let line = format!(
                    "{:>8} {} {} ({} cases, {} ms)",
                    match record.outcome {
                        abuse_record::Outcome::Fail => "FAILED",
                        abuse_record::Outcome::Rejected => "not run",
                        abuse_record::Outcome::Pass => "ok",
                    },
                    record.function,
                    record.property,
                    record.cases,
                    record.elapsed_ms
                );
                match &bar {
                    Some(bar) => {
                        bar.inc(1);
                        if record.outcome != abuse_record::Outcome::Pass {
                            bar.println(line);
                        } else {
                            bar.set_message(format!("{} {}", record.function, record.property));
                        }
                    }
                    None => eprintln!("{line}"),
                }
            }
        }
        if finished {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    waiter
        .join()
        .expect("the waiting thread does not panic")
        .context("waiting for cargo test")
}

/// Where this run's harness processes write their records for `package`: one folder per package path
/// and per `cargo abuse run` process, so workspaces sharing a target directory and concurrent runs do
/// not read each other's records. Removed once read.
fn records_dir(settings: &RunSettings, package: &Package) -> PathBuf {
    let target = settings
        .target_dir
        .clone()
        .unwrap_or_else(|| settings.workspace_root.join("target"));
    let key = crate::cache::path_key(&settings.workspace_root.join(&package.dir));
    target
        .join("abuse")
        .join("records")
        .join(format!("{key}.{}", std::process::id()))
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn cargo_test(manifest: &Path, target: HarnessTarget, settings: &RunSettings) -> Command {
    let mut cmd = cargo();
    cmd.arg("test")
        .arg("--manifest-path")
        .arg(manifest)
        .args(target.cargo_args());
    if let Some(dir) = &settings.target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    if !settings.verbose {
        cmd.arg("--quiet");
    }
    cmd
}

/// A harness target that does not build (the crate changed since `gen`): `run` checks it, replaces the
/// harnesses that broke by skips and tries again (`check::settle`).
#[derive(Debug)]
pub struct BuildFailed {
    /// The package's manifest.
    pub manifest: PathBuf,
    /// Cargo's output.
    pub stderr: String,
}

impl std::fmt::Display for BuildFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the abuse harness of {} does not build:\n{}",
            self.manifest.display(),
            self.stderr
        )
    }
}

impl std::error::Error for BuildFailed {}

/// Builds the harness target and lists its tests; a build failure is the tool's error (exit 2), with cargo's
/// message.
fn list_tests(
    manifest: &Path,
    target: HarnessTarget,
    settings: &RunSettings,
) -> Result<Vec<String>> {
    let mut cmd = cargo_test(manifest, target, settings);
    cmd.args(["--", "--list", "--format", "terse"]);
    let output = cmd
        .output()
        .with_context(|| format!("running cargo test --list for {}", manifest.display()))?;
    if !output.status.success() {
        return Err(anyhow::Error::new(BuildFailed {
            manifest: manifest.to_path_buf(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_suffix(": test"))
        .map(str::to_string)
        .collect())
}

pub(crate) fn read_records(dir: &Path) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    let entries = std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let record: Record = serde_json::from_str(line)
                    .with_context(|| format!("parsing record in {}", path.display()))?;
                records.push(record);
            }
        }
    }
    Ok(records)
}

fn collect_results(
    package: &Package,
    selected: &[&TaggedFn],
    generated: &Generated,
    records: &[Record],
) -> Vec<FnResult> {
    let mut by_function: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
    for record in records {
        by_function
            .entry(record.function.clone())
            .or_default()
            .push(record);
    }
    selected
        .iter()
        .map(|f| {
            let display = format!("{}::{}", f.crate_name, f.path);
            let mut properties: Vec<PropertyResult> = by_function
                .get(&display)
                .map(|rs| rs.iter().map(|r| property_result(r)).collect())
                .unwrap_or_default();
            for p in &mut properties {
                if p.outcome == Outcome::NotRun && p.kind == Some(FailureKind::Harness) {
                    p.message = Some(rejected_reason(f, package, p.rejected, p.cases));
                }
            }
            if properties.is_empty() {
                properties.push(PropertyResult {
                    property: Checked::One(Property::NoPanic),
                    source: ResultSource::Proptest,
                    outcome: Outcome::NotRun,
                    kind: None,
                    cases: 0,
                    rejected: 0,
                    elapsed_ms: 0,
                    input: None,
                    message: Some(no_record_reason(f, package, generated)),
                    first_failure_ms: None,
                    input_size: None,
                    same_as: None,
                });
            }
            // By name, as the report lists them.
            properties.sort_by(|a, b| {
                (a.property.as_str(), a.source as u8).cmp(&(b.property.as_str(), b.source as u8))
            });
            FnResult {
                package: package.name.clone(),
                function: f.path.clone(),
                file: f.file.clone(),
                line: f.line,
                prompt: f.record.prompt.clone(),
                author: f.record.author.clone(),
                test_owner: f.record.test_owner.clone(),
                properties,
            }
        })
        .chain(sequence_results(package, selected, &by_function))
        .collect()
}

/// Why a function has no result at all, in words the user can act on: its harness was skipped (the reason
/// `gen` gave, e.g. the compiler's error), it waits for the `mod abuse_tests;` line, or it is compiled only
/// under a `cfg` this build does not have; otherwise where to look.
fn no_record_reason(f: &TaggedFn, package: &Package, generated: &Generated) -> String {
    if let Some(skip) = generated
        .skipped
        .iter()
        .find(|s| s.package == package.name && s.function == f.path)
    {
        return skip.reason.to_string();
    }
    let file = generated
        .files
        .iter()
        .find(|g| g.function.as_deref() == Some(f.path.as_str()));
    let in_crate = file.is_some_and(|g| g.kind == FileKind::Harness(PlanReach::InCrate));
    if in_crate && !package.has_abuse_tests_mod {
        // The in-crate harnesses sit in `src/abuse_tests/`, beside the library's root.
        let root = if package.dir.is_empty() {
            "src/lib.rs".to_string()
        } else {
            format!("{}/src/lib.rs", package.dir)
        };
        return format!(
            "add `#[cfg(test)] mod abuse_tests;` to {root}: its harness is compiled into the crate's unit tests"
        );
    }
    if let Some(cfg) = &f.cfg {
        return format!("compiled only with `{cfg}`, which this build does not set");
    }
    format!(
        "no result was recorded for {}; rerun with -v to see cargo's output",
        file.map(|g| g.path.as_str()).unwrap_or("its harness")
    )
}

/// Why a property whose generated inputs were (almost) all rejected ran no case: which constructor refused them
/// and how to give it valid ones.
fn rejected_reason(f: &TaggedFn, package: &Package, rejected: u64, cases: u64) -> String {
    let constructors: Vec<String> = f
        .self_type
        .as_deref()
        .and_then(|t| {
            package
                .types
                .iter()
                .find(|d| d.name == t || d.path == t || d.path.ends_with(&format!("::{t}")))
        })
        .map(|d| {
            d.constructors
                .iter()
                .map(|c| match &c.free_fn {
                    Some(free) => format!("`{}`", free.path),
                    None => format!("`{}::{}`", d.name, c.name),
                })
                .collect()
        })
        .unwrap_or_default();
    let who = match constructors.as_slice() {
        [one] => format!("constructor {one}"),
        [] => "the constructors of its inputs".to_string(),
        many => format!("the constructors {}", many.join(", ")),
    };
    let total = rejected + cases;
    format!(
        "{who} rejected {} of {} generated inputs: add a doc example or `strategy(self = ...)`",
        thousands(rejected),
        thousands(total)
    )
}

/// `1,024`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The results of sequence tests, one row per type (`Recent`), whose records name the type (`demo::Recent`):
/// for each type of which a selected method takes `self`, at its first such method's location.
fn sequence_results(
    package: &Package,
    selected: &[&TaggedFn],
    by_function: &BTreeMap<String, Vec<&Record>>,
) -> Vec<FnResult> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for f in selected {
        let (Some(_), Some((type_path, _))) = (f.signature.receiver, f.path.rsplit_once("::"))
        else {
            continue;
        };
        if seen.contains(&type_path) {
            continue;
        }
        seen.push(type_path);
        let Some(records) = by_function.get(&format!("{}::{type_path}", f.crate_name)) else {
            continue;
        };
        out.push(FnResult {
            package: package.name.clone(),
            function: type_path.to_string(),
            file: f.file.clone(),
            line: f.line,
            prompt: f.record.prompt.clone(),
            author: f.record.author.clone(),
            test_owner: f.record.test_owner.clone(),
            properties: records.iter().map(|r| property_result(r)).collect(),
        });
    }
    out
}

/// What a panic failure of a function whose docs document panics says in addition.
pub const DOCUMENTED_PANIC_NOTE: &str =
    "its docs say it panics: if this is the documented panic, add `may_panic` to the attribute";

/// Adds [`DOCUMENTED_PANIC_NOTE`] to the panic failures of functions whose docs document panics. The failure
/// stays a failure: only the function's author knows whether this panic is the documented one.
pub fn note_documented_panics(results: &mut [FnResult], inventory: &Inventory) {
    for result in results {
        let documented = inventory
            .packages
            .iter()
            .filter(|p| p.name == result.package)
            .flat_map(|p| &p.functions)
            .any(|f| f.path == result.function && f.documents_panics);
        if !documented {
            continue;
        }
        for p in &mut result.properties {
            if p.outcome == Outcome::Fail && p.kind == Some(FailureKind::Panic) {
                p.message = Some(match p.message.take() {
                    Some(m) => format!("{m} ({DOCUMENTED_PANIC_NOTE})"),
                    None => DOCUMENTED_PANIC_NOTE.to_string(),
                });
            }
        }
    }
}

/// The result `run` reports for one record (for tests elsewhere in the crate).
#[cfg(test)]
pub(crate) fn property_result_of(record: &Record) -> PropertyResult {
    property_result(record)
}

fn property_result(record: &Record) -> PropertyResult {
    PropertyResult {
        property: Checked::One(record.property),
        source: if record.test.contains("regressions::") {
            ResultSource::Regression
        } else {
            ResultSource::Proptest
        },
        // "rejected": the harness could not build enough inputs (a constructor refused them): the harness's
        // limit, not evidence against the function.
        outcome: match record.outcome {
            abuse_record::Outcome::Pass => Outcome::Pass,
            abuse_record::Outcome::Rejected => Outcome::NotRun,
            abuse_record::Outcome::Fail => Outcome::Fail,
        },
        kind: record.kind,
        cases: record.cases,
        rejected: record.rejected,
        elapsed_ms: record.elapsed_ms,
        input: record.input.clone(),
        message: record.message.clone(),
        first_failure_ms: record.first_failure_ms,
        input_size: record.input_size,
        same_as: None,
    }
}

/// One failure per root cause: within each function, a failing result with the same kind and message (the same
/// panic site and text, the same crash) as an earlier one is marked `same_as` that one, so every report shows
/// it once. The one shown is `no_panic`'s when it is in the group (a panic inside a `deterministic`,
/// `idempotent` or `roundtrip` body is the call panicking, kind `panic`, not the property failing), else the
/// first in the report's order. Property failures (each its own comparison) and not-run results are never
/// grouped.
pub fn group_same_failures(results: &mut [FnResult]) {
    for result in results {
        let key = |p: &PropertyResult| {
            (p.outcome == Outcome::Fail
                && p.kind
                    .is_some_and(|k| k != FailureKind::Property && k != FailureKind::Harness))
            .then(|| (p.kind, p.message.clone()))
        };
        let props = &mut result.properties;
        for i in 0..props.len() {
            let Some(k) = key(&props[i]) else { continue };
            if props[i].same_as.is_some() {
                continue;
            }
            let group: Vec<usize> = (i..props.len())
                .filter(|&j| props[j].same_as.is_none() && key(&props[j]).as_ref() == Some(&k))
                .collect();
            if group.len() < 2 {
                continue;
            }
            let shown = group
                .iter()
                .copied()
                .find(|&j| {
                    props[j].property == Checked::One(Property::NoPanic)
                        && props[j].source == ResultSource::Proptest
                })
                .or_else(|| {
                    group
                        .iter()
                        .copied()
                        .find(|&j| props[j].property == Checked::One(Property::NoPanic))
                })
                .unwrap_or(group[0]);
            let label = props[shown].label();
            for j in group {
                if j != shown {
                    props[j].same_as = Some(label.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_functions() {
        let names: Vec<String> = (0..200).map(|i| format!("m::f{i}")).collect();
        let mut seen = 0;
        for k in 1..=3 {
            let share = names.iter().filter(|n| in_shard(n, Some((k, 3)))).count();
            assert!(share > 30, "shard {k} has only {share}");
            seen += share;
        }
        assert_eq!(seen, names.len());
        assert!(names.iter().all(|n| in_shard(n, None)));
    }

    #[test]
    fn panics_of_functions_documenting_them_say_so_and_still_fail() {
        use crate::model::SignoffState;
        let failure = |kind: FailureKind| PropertyResult {
            property: Checked::One(Property::NoPanic),
            source: ResultSource::Proptest,
            outcome: Outcome::Fail,
            kind: Some(kind),
            cases: 1,
            rejected: 0,
            elapsed_ms: 1,
            input: Some("(0u32,)".into()),
            message: Some("panicked: base is zero".into()),
            first_failure_ms: None,
            input_size: None,
            same_as: None,
        };
        let result = |function: &str| FnResult {
            package: "demo".into(),
            function: function.into(),
            file: "src/lib.rs".into(),
            line: 1,
            prompt: None,
            author: None,
            test_owner: None,
            properties: vec![failure(FailureKind::Panic), failure(FailureKind::Timeout)],
        };
        let tagged = |path: &str, documents_panics: bool| TaggedFn {
            documents_panics,
            ..crate::list::tests::tagged(path, "src/lib.rs", 1, None, SignoffState::None)
        };
        let inventory = Inventory {
            packages: vec![Package {
                name: "demo".into(),
                functions: vec![tagged("digit", true), tagged("other", false)],
                ..Package::default()
            }],
            ..Inventory::default()
        };
        let mut results = vec![result("digit"), result("other")];
        note_documented_panics(&mut results, &inventory);
        let digit = &results[0].properties;
        assert_eq!(digit[0].outcome, Outcome::Fail);
        assert_eq!(
            digit[0].message.as_deref(),
            Some(format!("panicked: base is zero ({DOCUMENTED_PANIC_NOTE})").as_str())
        );
        assert_eq!(digit[1].message.as_deref(), Some("panicked: base is zero"));
        assert_eq!(
            results[1].properties[0].message.as_deref(),
            Some("panicked: base is zero")
        );
    }

    /// Each way a function can run no case has its own reason, in words the user can act on.
    #[test]
    fn functions_that_run_no_case_say_why() {
        use crate::generate::{GeneratedFile, Skipped};
        use crate::model::{Constructor, CtorReturn, SignoffState, SkipReason, TypeDef, TypeShape};
        let tagged = |path: &str| {
            crate::list::tests::tagged(path, "src/lib.rs", 1, None, SignoffState::None)
        };
        let mut method = tagged("Alphabet::encode");
        method.self_type = Some("Alphabet".into());
        let private = tagged("hidden");
        let mut arm = tagged("neon_sum");
        arm.cfg = Some("target_arch = \"aarch64\"".into());
        let skipped = tagged("generic");
        let silent = tagged("quiet");
        let package = Package {
            name: "demo".into(),
            functions: vec![
                method.clone(),
                private.clone(),
                arm.clone(),
                skipped.clone(),
                silent.clone(),
            ],
            types: vec![TypeDef {
                name: "Alphabet".into(),
                path: "Alphabet".into(),
                public_path: Some("demo::Alphabet".into()),
                generics: vec![],
                derives: vec![],
                shape: TypeShape::Struct { fields: vec![] },
                constructors: vec![Constructor {
                    name: "new".into(),
                    public: true,
                    params: vec![],
                    returns: CtorReturn::Result,
                    free_fn: None,
                    examples: vec![],
                }],
                consts: vec![],
                hidden_in_crate: None,
            }],
            has_abuse_tests_mod: false,
            ..Package::default()
        };
        let file = |path: &str, function: &str, reach: PlanReach| GeneratedFile {
            path: path.into(),
            contents: String::new(),
            kind: FileKind::Harness(reach),
            function: Some(function.into()),
            package: Some("demo".into()),
        };
        let generated = Generated {
            files: vec![
                file(
                    "tests/abuse/alphabet__encode.rs",
                    "Alphabet::encode",
                    PlanReach::Public,
                ),
                file("src/abuse_tests/hidden.rs", "hidden", PlanReach::InCrate),
                file("tests/abuse/neon_sum.rs", "neon_sum", PlanReach::Public),
                file("tests/abuse/quiet.rs", "quiet", PlanReach::Public),
            ],
            skipped: vec![Skipped {
                package: "demo".into(),
                function: "generic".into(),
                location: "src/lib.rs:1".into(),
                reason: SkipReason::UnsupportedReceiver,
            }],
            ..Generated::default()
        };
        let rejected = Record {
            test: "alphabet__encode::no_panic".into(),
            function: "demo::Alphabet::encode".into(),
            property: Property::NoPanic,
            outcome: abuse_record::Outcome::Rejected,
            kind: Some(FailureKind::Harness),
            cases: 0,
            rejected: 1024,
            elapsed_ms: 5,
            first_failure_ms: None,
            seed: 1,
            input: None,
            message: Some("the harness rejected too many cases".into()),
            file: "src/lib.rs".into(),
            line: 1,
            fingerprint: "0".into(),
            input_size: None,
        };
        let selected: Vec<&TaggedFn> = package.functions.iter().collect();
        let results = collect_results(&package, &selected, &generated, &[rejected]);
        let reason = |function: &str| {
            let r = results
                .iter()
                .find(|r| r.function == function)
                .expect("a result");
            assert_eq!(r.properties.len(), 1, "{r:?}");
            assert_eq!(r.properties[0].outcome, Outcome::NotRun, "{r:?}");
            r.properties[0].message.clone().expect("a reason")
        };
        assert_eq!(
            reason("Alphabet::encode"),
            "constructor `Alphabet::new` rejected 1,024 of 1,024 generated inputs: add a doc example or `strategy(self = ...)`"
        );
        assert!(
            reason("hidden").starts_with("add `#[cfg(test)] mod abuse_tests;` to src/lib.rs"),
            "{}",
            reason("hidden")
        );
        assert!(
            reason("neon_sum").starts_with("compiled only with `target_arch = \"aarch64\"`"),
            "{}",
            reason("neon_sum")
        );
        // A skip reason from `gen` (the compile check's "harness did not compile: E0277 ..." among them) flows
        // through as it is.
        assert_eq!(
            reason("generic"),
            SkipReason::UnsupportedReceiver.to_string()
        );
        assert!(
            reason("quiet").contains("rerun with -v"),
            "{}",
            reason("quiet")
        );
        assert_eq!(thousands(1), "1");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }

    #[test]
    fn failures_with_one_root_cause_are_shown_once() {
        let result = |property: Property,
                      source: ResultSource,
                      kind: FailureKind,
                      message: &str| PropertyResult {
            property: Checked::One(property),
            source,
            outcome: Outcome::Fail,
            kind: Some(kind),
            cases: 1,
            rejected: 0,
            elapsed_ms: 1,
            input: Some("(0u32,)".into()),
            message: Some(message.into()),
            first_failure_ms: Some(1),
            input_size: Some(1),
            same_as: None,
        };
        let boom = "panicked: boom at src/lib.rs:3:5";
        let mut results = vec![FnResult {
            package: "demo".into(),
            function: "f".into(),
            file: "src/lib.rs".into(),
            line: 1,
            prompt: None,
            author: None,
            test_owner: None,
            properties: vec![
                // `deterministic` failing because the call panics, before `no_panic` in the report's order.
                result(
                    Property::Deterministic,
                    ResultSource::Proptest,
                    FailureKind::Panic,
                    boom,
                ),
                result(
                    Property::NoPanic,
                    ResultSource::Regression,
                    FailureKind::Panic,
                    boom,
                ),
                result(
                    Property::NoPanic,
                    ResultSource::Proptest,
                    FailureKind::Panic,
                    boom,
                ),
                // Another panic site: its own failure.
                result(
                    Property::Roundtrip,
                    ResultSource::Proptest,
                    FailureKind::Panic,
                    "panicked: other at src/lib.rs:9:1",
                ),
                // Property failures are never grouped, even with equal messages.
                result(
                    Property::Idempotent,
                    ResultSource::Proptest,
                    FailureKind::Property,
                    "differs",
                ),
                result(
                    Property::Oracle,
                    ResultSource::Proptest,
                    FailureKind::Property,
                    "differs",
                ),
                // Same message, other kind: not the same failure.
                result(
                    Property::Ensures,
                    ResultSource::Proptest,
                    FailureKind::Timeout,
                    boom,
                ),
            ],
        }];
        group_same_failures(&mut results);
        let same: Vec<Option<&str>> = results[0]
            .properties
            .iter()
            .map(|p| p.same_as.as_deref())
            .collect();
        assert_eq!(
            same,
            [
                Some("no_panic"),
                Some("no_panic"),
                None,
                None,
                None,
                None,
                None
            ]
        );
        // Idempotent: grouping twice changes nothing.
        let before = results.clone();
        group_same_failures(&mut results);
        assert_eq!(results, before);
    }

    #[test]
    fn records_of_same_named_packages_in_two_workspaces_do_not_mix() {
        let settings = |root: &str| RunSettings {
            workspace_root: root.into(),
            target_dir: Some("/shared/target".into()),
            cases: None,
            seed: 1,
            shard: None,
            verbose: false,
            quiet: true,
        };
        let package = Package {
            name: "demo".into(),
            dir: "demo".into(),
            ..Package::default()
        };
        let a = records_dir(&settings("/ws/a"), &package);
        let b = records_dir(&settings("/ws/b"), &package);
        assert_ne!(a, b);
        assert!(
            a.starts_with("/shared/target/abuse/records"),
            "{}",
            a.display()
        );
        // And two runs at once (each its own process) do not either.
        assert!(
            a.to_string_lossy()
                .ends_with(&format!(".{}", std::process::id())),
            "{}",
            a.display()
        );
    }
}
