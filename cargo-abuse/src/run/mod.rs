//! std::process: builds and runs the generated property tests with cargo, and reads the records they write.
//!
//! Stable libtest has no machine-readable output, so outcomes come from the JSON records `abuse_runtime`
//! writes per test into `$ABUSE_RECORDS`; libtest's own output is only shown when something could not run.

use crate::toolchain::Toolchain;
use std::path::{Path, PathBuf};
use std::process::Command;

use abuse_record::Record;
use anyhow::{Context, Result};

use crate::generate::{FileKind, Generated, GeneratedFile};
use crate::model::{FailureKind, FnResult, Inventory, Package, TaggedFn};

mod features;
mod own_tests;
mod results;
pub use features::{CargoFeatures, MAX_FEATURE_SETS};
pub use own_tests::run_own_tests;
pub use results::*;

#[cfg(test)]
mod tests;

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
    /// Cargo's feature flags for every build of the harness targets, and whether the feature pass runs.
    pub features: CargoFeatures,
    /// Features the feature pass adds to `features` for this build.
    pub extra_features: std::collections::BTreeSet<String>,
    /// The toolchain of the builds (nightly for a feature set that turns on `#![feature]`).
    pub toolchain: Toolchain,
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
        let mut collected = collect_results(package, &selected, generated, &records);
        if settings.features.pass_enabled() {
            feature_pass(package, &selected, generated, settings, &mut collected)?;
        }
        if !settings.quiet {
            // A function that wrote no record had no live line yet: it gets one now, with the reason the
            // table gives.
            for (f, result) in selected.iter().zip(&collected) {
                if has_records(result) {
                    continue;
                }
                let display = format!("{}::{}", f.crate_name, f.path);
                let reason = result.properties.iter().find_map(|p| p.message.as_deref());
                eprintln!("{}", live_line(LiveWord::NotRun, &display, None, reason));
            }
        }
        results.extend(collected);
    }
    results.sort_by(|a, b| (&a.package, &a.function).cmp(&(&b.package, &b.function)));
    Ok(results)
}

/// The feature pass: the functions of `selected` that ran no case only because a `feature = "x"` cfg was unset
/// are built again with the features that compile them (one build per feature set, a set inside a larger one
/// built with it, at most [`MAX_FEATURE_SETS`]), and their rows in `collected` (in `selected`'s order) replaced
/// by what that build found; a set whose build fails adds the compiler's first error to its rows. Sets that
/// turn on `#![feature]` are not built on a stable toolchain: their rows say so.
fn feature_pass(
    package: &Package,
    selected: &[&TaggedFn],
    generated: &Generated,
    settings: &RunSettings,
    collected: &mut [FnResult],
) -> Result<()> {
    let waiting: Vec<&TaggedFn> = selected
        .iter()
        .zip(collected.iter())
        .filter(|(f, row)| {
            row.properties
                .iter()
                .all(|p| p.outcome == crate::model::Outcome::NotRun && p.kind.is_none())
                && matches!(no_record(f, package, generated), NoRecord::Cfg(_))
        })
        .map(|(f, _)| *f)
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let manifest = settings.workspace_root.join(&package.manifest);
    let declared = std::fs::read_to_string(&manifest)
        .map(|text| crate::manifest::declared_features(&text))
        .unwrap_or_default();
    let groups = features::group_by_features(&waiting, &declared);
    let (groups, nightly) =
        if package.nightly_features.is_empty() || Toolchain::current_is_nightly() {
            (groups, Vec::new())
        } else {
            features::split_nightly(groups, &package.nightly_features)
        };
    let row_of = |f: &TaggedFn, collected: &[FnResult]| {
        collected
            .iter()
            .position(|r| r.function == f.path && r.line == f.line && r.file == f.file)
    };
    // Sets that turn on `#![feature]` are built by rustup's nightly when it is installed; stable alone says so.
    let nightly_installed = !nightly.is_empty() && Toolchain::Nightly.installed();
    if !nightly_installed {
        for (set, fns) in &nightly {
            let flag = features::features_flag(set);
            let rows: Vec<usize> = fns.iter().filter_map(|f| row_of(f, collected)).collect();
            for i in rows {
                append_reason(
                    &mut collected[i],
                    &format!(
                        "`{flag}` turns on `#![feature(...)]` in the crate root, which only a nightly \
                         toolchain builds, and none is installed: run `cargo +nightly abuse run {flag}` to test it"
                    ),
                );
            }
        }
    }
    let mut groups: Vec<(features::Build<'_>, Toolchain)> = features::merge_into_supersets(groups)
        .into_iter()
        .map(|build| (build, Toolchain::Current))
        .collect();
    if nightly_installed {
        let nightly = features::merge_into_supersets(nightly);
        groups.extend(nightly.into_iter().map(|build| (build, Toolchain::Nightly)));
    }
    let groups = features::most_functions_first(groups);
    let flag_of = |set: &std::collections::BTreeSet<String>, toolchain: Toolchain| {
        let flag = features::features_flag(set);
        match toolchain {
            Toolchain::Current => flag,
            Toolchain::Nightly => format!("+nightly {flag}"),
        }
    };
    if groups.is_empty() {
        return Ok(());
    }
    if !settings.quiet {
        let flags: Vec<String> = groups
            .iter()
            .take(MAX_FEATURE_SETS)
            .map(|((set, _), toolchain)| format!("`{}`", flag_of(set, *toolchain)))
            .collect();
        let more = if groups.len() > MAX_FEATURE_SETS {
            format!(
                " (the first {MAX_FEATURE_SETS} of {}; the others stay not run)",
                groups.len()
            )
        } else {
            String::new()
        };
        eprintln!(
            "     Feature pass for `{}`: {} functions compiled only with features, {} builds: {}{more}",
            package.name,
            groups.iter().map(|((_, fns), _)| fns.len()).sum::<usize>(),
            groups.len().min(MAX_FEATURE_SETS),
            flags.join(", ")
        );
    }
    for (at, ((set, fns), toolchain)) in groups.iter().enumerate() {
        let flag = flag_of(set, *toolchain);
        if at >= MAX_FEATURE_SETS {
            for f in fns {
                if let Some(i) = row_of(f, collected) {
                    append_reason(
                        &mut collected[i],
                        &format!(
                            "the feature pass builds at most {MAX_FEATURE_SETS} feature sets; run with \
                             `{flag}` to test it"
                        ),
                    );
                }
            }
            continue;
        }
        let pass_settings = RunSettings {
            extra_features: set.clone(),
            toolchain: *toolchain,
            ..settings.clone()
        };
        let why = match run_package(package, fns, generated, &pass_settings) {
            Ok(records) => {
                let rows = collect_results(package, fns, generated, &records);
                for (f, row) in fns.iter().zip(rows) {
                    let Some(i) = row_of(f, collected) else {
                        continue;
                    };
                    if has_records(&row) {
                        collected[i] = row;
                    } else {
                        append_reason(
                            &mut collected[i],
                            &format!("not compiled with `{flag}` either"),
                        );
                    }
                }
                continue;
            }
            Err(err) => err,
        };
        // gen's compile check built without the features: a harness that does not compile with them is named
        // on its row; the others say what blocked their build.
        let errors = match why.downcast_ref::<BuildFailed>() {
            Some(_) => feature_build_errors(package, fns, generated, &pass_settings),
            None => vec![(
                format!("{why:#}")
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                None,
            )],
        };
        let first = errors
            .first()
            .map_or("cargo failed without a message", |(line, _)| line.as_str());
        for f in fns {
            let Some(i) = row_of(f, collected) else {
                continue;
            };
            let more = match harness_error(&errors, f, generated) {
                Some((line, _)) => format!("its harness does not compile with `{flag}`: {line}"),
                None => format!("building with `{flag}` failed: {first}"),
            };
            append_reason(&mut collected[i], &more);
        }
    }
    Ok(())
}

/// The first of `errors` (headline, file) that is in one of `f`'s harness files.
fn harness_error<'a>(
    errors: &'a [(String, Option<PathBuf>)],
    f: &TaggedFn,
    generated: &Generated,
) -> Option<&'a (String, Option<PathBuf>)> {
    errors.iter().find(|(_, place)| {
        place.as_deref().is_some_and(|place| {
            generated.files.iter().any(|g| {
                is_harness(g)
                    && g.function.as_deref() == Some(f.path.as_str())
                    && place.ends_with(&g.path)
            })
        })
    })
}

/// Why a feature build of `fns`' harness targets failed: `cargo check --message-format=json` with the same
/// features (`check::check`, as `gen` reads its compile check), each error's headline with the file of its
/// primary span; cargo's own first `error` line when the compiler gave none.
fn feature_build_errors(
    package: &Package,
    fns: &[&TaggedFn],
    generated: &Generated,
    settings: &RunSettings,
) -> Vec<(String, Option<PathBuf>)> {
    let mut targets: Vec<HarnessTarget> = generated
        .files
        .iter()
        .filter(|g| {
            is_harness(g)
                && fns
                    .iter()
                    .any(|f| g.function.as_deref() == Some(f.path.as_str()))
        })
        .map(target_of)
        .collect();
    targets.dedup();
    let check = crate::check::CheckTarget {
        manifest: settings.workspace_root.join(&package.manifest),
        root: settings.workspace_root.clone(),
        targets: targets
            .iter()
            .flat_map(|t| t.cargo_args())
            .map(|a| a.to_string())
            .collect(),
        features: settings.features.cargo_args(&settings.extra_features),
        test_profile: true,
        target_dir: settings.target_dir.clone(),
        toolchain: settings.toolchain,
        build: false,
    };
    match crate::check::check(&check) {
        Ok(outcome) if !outcome.errors.is_empty() => outcome
            .errors
            .into_iter()
            .map(|e| (e.headline, e.places.first().map(|(file, _)| file.clone())))
            .collect(),
        Ok(outcome) => {
            let first = outcome
                .stderr
                .lines()
                .map(str::trim)
                .find(|l| l.starts_with("error"));
            vec![(
                first
                    .unwrap_or("cargo failed without a message")
                    .to_string(),
                None,
            )]
        }
        Err(err) => vec![(format!("{err:#}"), None)],
    }
}

/// Adds `more` to the reason of every property of a row that did not run.
fn append_reason(row: &mut FnResult, more: &str) {
    for p in &mut row.properties {
        if p.outcome == crate::model::Outcome::NotRun {
            p.message = Some(match p.message.take() {
                Some(m) => format!("{m}; {more}"),
                None => more.to_string(),
            });
        }
    }
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
            // A sequence harness serves a type, not one function (the feature pass runs functions only).
            None => {
                settings.extra_features.is_empty()
                    && matches!(g.kind, crate::generate::FileKind::Harness(_))
            }
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
        // A rejected property's reason, as `collect_results` words it for the table.
        let not_run_reason = |record: &Record| {
            let f = selected
                .iter()
                .find(|f| format!("{}::{}", f.crate_name, f.path) == record.function);
            match (f, record.kind) {
                (Some(f), Some(FailureKind::Harness)) => {
                    Some(rejected_reason(f, package, record.rejected, record.cases))
                }
                _ => record.message.clone(),
            }
        };
        let output = run_with_progress(cmd, records_dir, wanted.len(), settings, &not_run_reason)
            .with_context(|| format!("running cargo test for `{}`", package.name))?;
        if settings.verbose {
            eprintln!("{}", String::from_utf8_lossy(&output.stdout));
            eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        }
    }
    read_records(records_dir)
}

/// The word of a live progress line: the same one the final table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LiveWord {
    Ok,
    Failed,
    NotRun,
}

/// One live progress line: `      ok demo::f no_panic (256 cases, 12 ms)`; a function that ran no case
/// ends with the reason the final table gives (`   not run demo::f no_panic (0 cases, 3 ms): constructor
/// ...`), so the live line and the table agree.
pub(crate) fn live_line(
    word: LiveWord,
    function: &str,
    property: Option<(&str, u64, u64)>,
    reason: Option<&str>,
) -> String {
    let word = match word {
        LiveWord::Ok => "ok",
        LiveWord::Failed => "FAILED",
        LiveWord::NotRun => "not run",
    };
    let mut line = format!("{word:>8} {function}");
    if let Some((property, cases, ms)) = property {
        line.push_str(&format!(" {property} ({cases} cases, {ms} ms)"));
    }
    if let Some(reason) = reason {
        line.push_str(": ");
        line.push_str(reason.lines().next().unwrap_or(""));
    }
    line
}

/// Runs the test command while watching the records folder: a progress bar on a terminal, one plain line per
/// finished test otherwise (CI logs), so a long run shows where it is.
fn run_with_progress(
    mut cmd: Command,
    records_dir: &Path,
    total: usize,
    settings: &RunSettings,
    not_run_reason: &dyn Fn(&Record) -> Option<String>,
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
                // The same word the final table uses: a rejected property ran no case, and says why.
                let (word, reason) = match record.outcome {
                    abuse_record::Outcome::Fail => (LiveWord::Failed, None),
                    abuse_record::Outcome::Rejected => (LiveWord::NotRun, not_run_reason(&record)),
                    abuse_record::Outcome::Pass => (LiveWord::Ok, None),
                };
                let property = record.property.to_string();
                let line = live_line(
                    word,
                    &record.function,
                    Some((&property, record.cases, record.elapsed_ms)),
                    reason.as_deref(),
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

fn cargo_test(manifest: &Path, target: HarnessTarget, settings: &RunSettings) -> Command {
    let mut cmd = settings.toolchain.cargo();
    cmd.arg("test")
        .arg("--manifest-path")
        .arg(manifest)
        .args(target.cargo_args());
    if let Some(dir) = &settings.target_dir {
        cmd.arg("--target-dir").arg(dir);
    }
    cmd.args(settings.features.cargo_args(&settings.extra_features));
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
