//! `cargo abuse run`, the CI step: policy → property tests → fuzzing → keeping regressions → (with `--since`)
//! the behaviour comparison → the report to the terminal and to every requested file.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use super::{last_run_path, Exit};
use crate::behaviour::{self, BehaviourReport};
use crate::generate::{self, Generated};
use crate::harness_state::HarnessStates;
use crate::model::{
    self, FailureKind, FnResult, Inventory, Outcome, ResultSource, RunReport, Severity,
};
use crate::options::BehaviourChangePolicy;
use crate::options::Options;
use crate::{fuzz, policy, report, run, workspace, write};

/// `cargo abuse run`: the CI step.
pub fn run_abuse(
    ws: &workspace::Workspace,
    inventory: &Inventory,
    states: &HarnessStates,
    generated: &Generated,
    opts: &Options,
) -> Result<Exit> {
    let seed = opts.seed.unwrap_or_else(random_seed);
    if opts.verbosity >= 0 {
        eprintln!("        Seed {seed} (replay with --seed {seed})");
    }
    let settings = run_settings(opts, seed);
    let mut violations = policy::check(inventory, states, opts);
    if opts.verbosity >= 0 {
        // A function with no harness runs no case: its live line says why, as the table does.
        for v in violations
            .iter()
            .filter(|v| v.rule == policy::PolicyRule::Unsupported)
        {
            let function = format!("{}::{}", v.package, v.function);
            eprintln!(
                "{}",
                run::live_line(run::LiveWord::NotRun, &function, None, Some(&v.message))
            );
        }
    }
    let mut runnable = runnable_of(inventory, states, opts);
    let mut rebuilt: Option<Generated> = None;
    let mut functions = match run::run(&runnable, generated, &settings) {
        Ok(functions) => functions,
        // The crate changed since `gen` and a harness no longer builds: check the targets, replace the harnesses
        // that broke by skips (as `gen` does), and run the rest.
        Err(err)
            if err.downcast_ref::<run::BuildFailed>().is_some()
                && generated_current(states, inventory) =>
        {
            eprintln!("warning: {err:#}");
            eprintln!(
                "warning: checking the generated targets to skip the harnesses that do not build"
            );
            let (mut fresh, mut settled) = settle_on_disk(inventory, generated, opts, false)?;
            if settled.skipped.is_empty() {
                // The check passes what the build fails: an error of code generation (see
                // `CheckTarget::build`). Build, and skip the harnesses its errors name.
                (fresh, settled) = settle_on_disk(inventory, &fresh, opts, true)?;
            }
            if settled.skipped.is_empty() {
                return Err(err);
            }
            for (package, function, error) in &settled.skipped {
                eprintln!(
                    "warning: `{package}::{function}` not run: harness did not compile: {error}"
                );
            }
            let on_disk = write::read_existing(&opts.workspace_root, &fresh)?;
            let states = crate::harness_state::harness_states(
                inventory,
                crate::harness_state::Basis::Generated {
                    generated: &fresh,
                    on_disk: &on_disk,
                },
            );
            violations = policy::check(inventory, &states, opts);
            runnable = runnable_of(inventory, &states, opts);
            let functions = run::run(&runnable, &fresh, &settings)?;
            rebuilt = Some(fresh);
            functions
        }
        Err(err) => return Err(err),
    };
    let generated = rebuilt.as_ref().unwrap_or(generated);
    functions.extend(run::run_own_tests(inventory, &settings)?);
    functions.sort_by(|a, b| (&a.package, &a.function).cmp(&(&b.package, &b.function)));
    if let Some(seconds) = opts.fuzz_secs {
        fuzz_functions(&runnable, generated, opts, seconds, seed, &mut functions)?;
    }
    run::note_documented_panics(&mut functions, &runnable);
    run::group_same_failures(&mut functions);
    keep_regressions(generated, &functions, opts, seed)?;
    let report = RunReport {
        seed,
        functions,
        violations,
    };
    // Behaviour against the base revision: every changed function, whatever its shard (it is information).
    let compared = match &opts.since {
        Some(since) => {
            let b = behaviour::compare(ws, inventory, generated, opts, since)?;
            let path = behaviour::last_path(opts);
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
            }
            std::fs::write(
                &path,
                serde_json::to_string(&b).context("serialising the behaviour report")?,
            )
            .with_context(|| format!("writing {}", path.display()))?;
            Some(b)
        }
        None => None,
    };
    write_outputs(&report, compared.as_ref(), opts)?;
    // A behaviour change fails the run only where the package's policy says so.
    let behaviour_failed = compared.as_ref().is_some_and(|b| {
        b.functions.iter().any(|f| {
            matches!(f.verdict, behaviour::Verdict::Changed { .. })
                && opts
                    .packages
                    .get(&f.package)
                    .is_some_and(|p| p.policy.behaviour_change == BehaviourChangePolicy::Error)
        })
    });
    let properties = || report.functions.iter().flat_map(|f| &f.properties);
    let failed = properties().any(|p| p.outcome == Outcome::Fail)
        || report
            .violations
            .iter()
            .any(|v| v.severity == Severity::Error)
        || behaviour_failed;
    // A harness that could not build enough inputs is reported, but it is not the tool failing its job.
    let not_run =
        properties().any(|p| p.outcome == Outcome::NotRun && p.kind != Some(FailureKind::Harness));
    Ok(if not_run {
        Exit::ToolError
    } else if failed {
        Exit::Failed
    } else {
        Exit::Ok
    })
}

/// The functions whose harness is on disk (the others are already policy violations), in this shard.
fn runnable_of(inventory: &Inventory, states: &HarnessStates, opts: &Options) -> Inventory {
    let mut runnable = inventory.clone();
    for package in &mut runnable.packages {
        package.functions.retain(|f| {
            matches!(
                states.of(f),
                model::HarnessState::Current | model::HarnessState::Stale
            ) && run::in_shard(&f.path, opts.shard)
        });
    }
    runnable
}

/// Whether no harness on disk is stale (only then may `run` rewrite them: a stale harness is the user's to
/// regenerate, not run's).
fn generated_current(states: &HarnessStates, inventory: &Inventory) -> bool {
    inventory
        .packages
        .iter()
        .flat_map(|p| &p.functions)
        .all(|f| !matches!(states.of(f), model::HarnessState::Stale))
}

/// `gen`'s compile check on the files on disk: skips recorded, the files rewritten; the new files.
fn settle_on_disk(
    inventory: &Inventory,
    generated: &Generated,
    opts: &Options,
    build: bool,
) -> Result<(Generated, crate::check::Settled)> {
    let mode = write::WriteMode {
        check: false,
        force: false,
    };
    let rewrite = || -> Result<Generated> {
        let fresh = generate::generate(inventory, opts)?;
        let existing = write::read_existing(&opts.workspace_root, &fresh)?;
        write::apply(&opts.workspace_root, &fresh, &existing, mode)?;
        Ok(fresh)
    };
    crate::check::settle(inventory, opts, generated.clone(), build, rewrite)
}

/// The runner's settings from the options, with the seed chosen for this run.
pub(super) fn run_settings(opts: &Options, seed: u64) -> run::RunSettings {
    run::RunSettings {
        workspace_root: opts.workspace_root.clone(),
        target_dir: Some(opts.target_dir.clone()),
        cases: opts.run_cases,
        seed,
        shard: opts.shard,
        verbose: opts.verbosity >= 1,
        quiet: opts.verbosity < 0,
        features: opts.cargo_features.clone(),
        extra_features: Default::default(),
        toolchain: Default::default(),
    }
}

/// A seed when none is given: the clock mixed with the process id, printed so the run can be replayed.
pub(super) fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

/// `--fuzz SECS`: every function with a fuzz target, and every type whose sequence has one, results added to
/// its entry.
fn fuzz_functions(
    inventory: &Inventory,
    generated: &Generated,
    opts: &Options,
    seconds: u64,
    seed: u64,
    functions: &mut [FnResult],
) -> Result<()> {
    let mut targets = Vec::new();
    for package in &inventory.packages {
        let dir = opts.workspace_root.join(&package.dir);
        for f in &package.functions {
            if let Some(target) = generated.fuzz_target_of(&f.path) {
                let name = Path::new(&target.path)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                targets.push(fuzz::FuzzTarget {
                    package_dir: dir.clone(),
                    name: name.to_string(),
                    function: f.path.clone(),
                });
            }
        }
        // A type's sequence (its row, `Ring`, is in the results when its methods were selected).
        for row in functions.iter().filter(|r| r.package == package.name) {
            if let Some(target) = generated.sequence_fuzz_target_of(&package.name, &row.function) {
                let name = Path::new(&target.path)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                targets.push(fuzz::FuzzTarget {
                    package_dir: dir.clone(),
                    name: name.to_string(),
                    function: row.function.clone(),
                });
            }
        }
    }
    let settings = fuzz::FuzzSettings {
        seconds,
        workspace_root: opts.workspace_root.clone(),
        target_dir: opts.target_dir.join("abuse").join("fuzz"),
        sanitizer: if opts.address_sanitizer {
            fuzz::Sanitizer::Address
        } else {
            fuzz::Sanitizer::None
        },
        timeout_secs: 2,
        rss_limit_mb: 2048,
        quiet: opts.verbosity < 0,
        verbose: opts.verbosity >= 1,
        seed,
    };
    for (target, outcome) in targets.iter().zip(fuzz::fuzz(&targets, &settings)?) {
        let package = inventory
            .packages
            .iter()
            .find(|p| opts.workspace_root.join(&p.dir) == target.package_dir);
        if let Some(entry) = functions
            .iter_mut()
            .find(|r| r.function == outcome.function && package.is_none_or(|p| p.name == r.package))
        {
            entry.properties.push(outcome.result);
            entry.properties.extend(outcome.more);
        }
    }
    Ok(())
}

/// Every failing input becomes a named regression test in the ordinary test target.
fn keep_regressions(
    generated: &Generated,
    functions: &[FnResult],
    opts: &Options,
    seed: u64,
) -> Result<()> {
    let mut regressions = Vec::new();
    for f in functions {
        // A type's row (`Ring`, `shapes::Ring`) is its sequence harness (`ring__sequence.rs`).
        let Some(harness) = generated
            .harness_of(&f.function)
            .or_else(|| generated.sequence_harness_of(&f.package, &f.function))
        else {
            continue;
        };
        // Values from the user's own strategies print via Debug and may not paste as Rust.
        if harness.contents.contains("abuse_runtime::Opaque") {
            continue;
        }
        let (module, file) = crate::write::regression_file_of(&harness.path);
        // A harness compiled only with a feature (the feature pass ran it): its kept inputs are too.
        let cfg = harness.contents.lines().find_map(|l| {
            l.trim()
                .strip_prefix("#![cfg(")
                .and_then(|c| c.strip_suffix(")]"))
                .map(str::to_string)
        });
        for p in &f.properties {
            if let (Outcome::Fail, Some(input), ResultSource::Proptest | ResultSource::Fuzz) =
                (p.outcome, &p.input, p.source)
            {
                regressions.push(write::Regression {
                    file: file.clone(),
                    module: module.clone(),
                    property: p.property.to_string(),
                    input: input.clone(),
                    cfg: cfg.clone(),
                });
            }
        }
    }
    let kept = write::keep_regressions(&opts.workspace_root, &regressions)?;
    if opts.verbosity >= 0 {
        if !kept.added.is_empty() {
            eprintln!(
                "        Kept {} failing input(s) as regression tests: {}",
                kept.added.len(),
                kept.added.join(", ")
            );
        }
        for (name, len) in &kept.too_big {
            eprintln!(
                "    Not kept {name}: its input is {} KiB of Rust (the limit is {} KiB); `--seed {seed}` replays the run",
                len.div_ceil(1024),
                write::MAX_KEPT_INPUT / 1024
            );
        }
    }
    Ok(())
}

/// The report to the terminal and to every requested file.
fn write_outputs(
    report: &RunReport,
    compared: Option<&BehaviourReport>,
    opts: &Options,
) -> Result<()> {
    let write_file = |path: &Path, text: String| -> Result<()> {
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    };
    if opts.json {
        print!("{}", report::render_json(report));
        // JSON lines: the comparison is one more record after the summary.
        if let Some(b) = compared {
            let mut value = serde_json::to_value(b).context("serialising behaviour")?;
            value["record"] = serde_json::json!("behaviour");
            println!("{value}");
        }
    } else {
        print!("{}", report::render_human(report, opts.color));
        if let Some(b) = compared {
            print!("{}", behaviour::render_human(b));
        }
    }
    if let Some(path) = &opts.junit {
        write_file(path, report::render_junit(report))?;
    }
    if let Some(path) = &opts.sarif {
        write_file(path, report::render_sarif(report, generate::VERSION))?;
    }
    let mut markdown = report::render_markdown(report);
    if let Some(b) = compared {
        markdown.push('\n');
        markdown.push_str(&report::render_behaviour_md(b));
    }
    if let Some(path) = &opts.markdown {
        write_file(path, markdown.clone())?;
    }
    if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&summary)
            .with_context(|| {
                format!(
                    "opening $GITHUB_STEP_SUMMARY ({})",
                    Path::new(&summary).display()
                )
            })?;
        file.write_all(markdown.as_bytes())
            .context("writing $GITHUB_STEP_SUMMARY")?;
    }
    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for line in report::github_annotations(report, 10) {
            println!("{line}");
        }
    }
    // Kept for `cargo abuse report` ("last result").
    let last = last_run_path(opts);
    if let Some(dir) = last.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    write_file(
        &last,
        serde_json::to_string(report).context("serialising the run report")?,
    )?;
    Ok(())
}
