//! The `cargo-abuse` binary: reads top to bottom as the pipeline, returns one documented exit code.
//!
//! workspace (cargo metadata) → options → discover → generate (in memory) → then per command:
//! `list` | `gen`: write | `run`: policy → property tests → fuzz → keep regressions → report |
//! `sign`: run one function → rewrite its attribute | `report`: discover the base revision → diff.
//! Diagnostics found on the way are printed to stderr as `error: FILE:LINE:COL: message`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};

use cargo_abuse::cli::{Args, Command};
use cargo_abuse::generate::Generated;
use cargo_abuse::model::{
    FailureKind, FnResult, Inventory, Outcome, ResultSource, RunReport, Severity, TaggedFn,
};
use cargo_abuse::options::Options;
use cargo_abuse::write::{Change, WriteMode};
use cargo_abuse::{
    cflite, discover, fuzz, generate, git, list, manifest, model, policy, report, run, sign,
    workspace, write,
};

// Discovery is allocation-bound (syn's token trees, the cache's strings): mimalloc makes a cold `list`
// ~1.3x and a warm one ~1.2x faster than glibc's malloc (benches/list).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The process exit code: the only ones cargo-abuse returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Everything held.
    Ok = 0,
    /// A property failed or the policy was violated (or `gen --check` found missing or stale files).
    Failed = 1,
    /// The tool could not do its job: bad arguments, unreadable metadata, unparseable source, build failure.
    ToolError = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

fn main() -> ExitCode {
    let args = Args::parse_env();
    match run(&args) {
        Ok(exit) => exit.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            Exit::ToolError.into()
        }
    }
}

fn run(args: &Args) -> Result<Exit> {
    let started = std::time::Instant::now();
    // Read discovery caches on another thread while `cargo metadata` runs.
    let guess = workspace::guess_target_dir(&args.common, |t| t.join("abuse").is_dir());
    let prefetch = discover::prefetch(guess.as_ref().map(|t| discover::cache_dir(t)));
    let ws = workspace::load_packages(&args.common, guess.as_deref())?;
    let metadata_done = started.elapsed();
    let opts = Options::resolve(args, &ws)?;
    let mut inventory = discover::discover(&ws.packages, &ws.root, &opts, prefetch);
    if opts.verbosity >= 2 {
        let total = started.elapsed();
        eprintln!(
            "timing: cargo metadata {metadata_done:.1?}{}, discover {:.1?}",
            match ws.metadata_source {
                workspace::MetadataSource::Cache => " (remembered)",
                workspace::MetadataSource::Cargo => "",
            },
            total - metadata_done
        );
    }
    print_diagnostics(&inventory, &opts);
    let source_exit = if inventory
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        Exit::ToolError
    } else {
        Exit::Ok
    };

    if let Command::List { .. } = &args.command {
        // The inventory only: harness states from file headers, without rendering every harness.
        let discovered = started.elapsed();
        generate::harness_states_from_headers(&mut inventory, &opts.workspace_root);
        let out = list::render(&inventory, &opts);
        if opts.verbosity >= 2 {
            eprintln!(
                "timing: harness states and table {:.1?}",
                started.elapsed() - discovered
            );
        }
        std::io::stdout()
            .write_all(out.as_bytes())
            .context("could not write to stdout")?;
        // The process ends here: freeing ~100k small allocations one by one would cost a few ms.
        std::mem::forget(inventory);
        return Ok(source_exit);
    }

    let generated = generate::generate(&inventory, &opts)?;
    let on_disk = write::read_existing(&opts.workspace_root, &generated)?;
    generate::harness_states(&mut inventory, &generated, &on_disk);

    let exit = match &args.command {
        Command::List { .. } => unreachable!("list returned above"),
        Command::Gen { .. } => gen(&inventory, &generated, &on_disk, &opts)?,
        Command::Run { .. } => run_abuse(&inventory, &generated, &opts)?,
        Command::Sign { .. } => sign_fn(&inventory, &generated, &opts)?,
        Command::Report { .. } => pr_report(&ws, &inventory, &opts)?,
    };
    Ok(worst(exit, source_exit))
}

/// The last `run`'s report, per workspace (several may share a target directory).
fn last_run_path(opts: &Options) -> std::path::PathBuf {
    let key = cargo_abuse::cache::path_key(&opts.workspace_root);
    opts.target_dir
        .join("abuse")
        .join(format!("last-run-{key}.json"))
}

/// The more serious of two exit codes.
fn worst(a: Exit, b: Exit) -> Exit {
    if (a as u8) >= (b as u8) {
        a
    } else {
        b
    }
}

/// `cargo abuse gen`: write (or with `--check`, compare) the harness files and the runtime dev-dependency.
fn gen(
    inventory: &Inventory,
    generated: &Generated,
    on_disk: &BTreeMap<String, String>,
    opts: &Options,
) -> Result<Exit> {
    let selected = match &opts.fn_path {
        Some(path) => {
            let f = find_function(inventory, path)?;
            let mut only = generated.clone();
            only.files
                .retain(|g| g.function.as_deref().is_none_or(|p| p == f.path));
            only
        }
        None => generated.clone(),
    };
    let mut selected = selected;
    let mut on_disk = on_disk.clone();
    if opts.clusterfuzzlite {
        let templates = opts.packages.values().find_map(|p| p.templates.clone());
        selected
            .files
            .extend(cflite::files(inventory, &selected, templates.as_deref())?);
        on_disk = write::read_existing(&opts.workspace_root, &selected)?;
    }
    let mode = WriteMode {
        check: opts.check,
        force: opts.force,
    };
    let changes = write::apply(&opts.workspace_root, &selected, &on_disk, mode)?;
    for skip in &selected.skipped {
        eprintln!(
            "warning: {}: `{}` has no harness: {}",
            skip.location, skip.function, skip.reason
        );
    }
    let mut dirty = false;
    let mut seeds = 0;
    for change in &changes {
        let (verb, problem) = match (change.change, opts.check) {
            (Change::Unchanged, _) => continue,
            (Change::Created, false) => ("created", false),
            (Change::Created, true) => ("missing", true),
            (Change::Updated, false) => ("updated", false),
            (Change::Updated, true) => ("stale", true),
            (Change::Removed, false) => ("removed", false),
            (Change::Removed, true) => ("orphaned", true),
            (Change::Overwritten, _) => ("overwritten (edited by hand)", opts.check),
            (Change::KeptEdited, _) => ("kept: edited by hand (use --force to overwrite)", true),
        };
        dirty |= problem;
        // Seed corpus files are many and small: counted, not listed.
        if change.path.contains("/seeds/") && !problem && opts.verbosity < 1 {
            seeds += 1;
            continue;
        }
        if opts.verbosity >= 0 || problem {
            eprintln!("{verb:>9} {}", change.path);
        }
    }
    if seeds > 0 && opts.verbosity >= 0 {
        eprintln!("{:>9} {seeds} fuzz seed files", "wrote");
    }
    if !opts.check {
        // Exit 1 when the user still has to add the dev-dependency: the harnesses cannot build until then.
        dirty |= ensure_runtime_dependency(inventory, &selected, opts)?;
        for note in &selected.notes {
            eprintln!("    note: {note}");
        }
    }
    if opts.check && dirty {
        eprintln!("error: generated harnesses are missing or out of date: run `cargo abuse gen` and commit the result");
        return Ok(Exit::Failed);
    }
    Ok(if dirty { Exit::Failed } else { Exit::Ok })
}

/// Adds `abuse-runtime` as a dev-dependency where harnesses were generated (or says which line to add).
/// Returns whether something is left for the user to do.
fn ensure_runtime_dependency(
    inventory: &Inventory,
    generated: &Generated,
    opts: &Options,
) -> Result<bool> {
    let mut todo = false;
    for package in &inventory.packages {
        let prefix = if package.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", package.dir)
        };
        let needs = generated.files.iter().any(|g| {
            g.path.starts_with(&format!("{prefix}tests/abuse/"))
                || g.path.starts_with(&format!("{prefix}src/abuse_tests"))
        });
        if !needs {
            continue;
        }
        let manifest_path = opts.workspace_root.join(&package.manifest);
        let dep = match opts
            .packages
            .get(&package.name)
            .and_then(|p| p.runtime_path.clone())
        {
            Some(path) => {
                let dir = manifest_path
                    .parent()
                    .expect("a manifest path has a folder");
                manifest::RuntimeDep::Path(generate::relative_path(dir, &path))
            }
            None => manifest::RuntimeDep::Version(generate::RUNTIME_VERSION.into()),
        };
        let text = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let Some(updated) = manifest::with_runtime_dev_dependency(&text, &dep)? else {
            continue;
        };
        if opts.edit_manifest {
            std::fs::write(&manifest_path, updated)
                .with_context(|| format!("writing {}", manifest_path.display()))?;
            eprintln!(
                "  updated {} (dev-dependency abuse-runtime = {})",
                package.manifest,
                dep.toml_value()
            );
        } else {
            eprintln!(
                "    note: add to {} under [dev-dependencies]: abuse-runtime = {}",
                package.manifest,
                dep.toml_value()
            );
            todo = true;
        }
    }
    Ok(todo)
}

/// `cargo abuse run`: the CI step.
fn run_abuse(inventory: &Inventory, generated: &Generated, opts: &Options) -> Result<Exit> {
    let seed = opts.seed.unwrap_or_else(random_seed);
    if opts.verbosity >= 0 {
        eprintln!("        Seed {seed} (replay with --seed {seed})");
    }
    let violations = policy::check(inventory, opts);
    let settings = run_settings(opts, seed);
    // Only functions whose harness is on disk can run; the others are already policy violations.
    let mut runnable = inventory.clone();
    for package in &mut runnable.packages {
        package.functions.retain(|f| {
            matches!(
                f.harness,
                model::HarnessState::Current | model::HarnessState::Stale
            ) && run::in_shard(&f.path, opts.shard)
        });
    }
    let mut functions = run::run(&runnable, generated, &settings)?;
    if let Some(seconds) = opts.fuzz_secs {
        fuzz_functions(&runnable, generated, opts, seconds, &mut functions)?;
    }
    run::note_documented_panics(&mut functions, &runnable);
    keep_regressions(generated, &functions, opts)?;
    let report = RunReport {
        seed,
        functions,
        violations,
    };
    write_outputs(&report, opts)?;
    let properties = || report.functions.iter().flat_map(|f| &f.properties);
    let failed = properties().any(|p| p.outcome == Outcome::Fail)
        || report
            .violations
            .iter()
            .any(|v| v.severity == Severity::Error);
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

fn run_settings(opts: &Options, seed: u64) -> run::RunSettings {
    run::RunSettings {
        workspace_root: opts.workspace_root.clone(),
        target_dir: Some(opts.target_dir.clone()),
        cases: opts.run_cases,
        seed,
        shard: opts.shard,
        verbose: opts.verbosity >= 1,
        quiet: opts.verbosity < 0,
    }
}

fn random_seed() -> u64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    (nanos as u64) ^ u64::from(std::process::id()).rotate_left(32)
}

/// `--fuzz SECS`: every function with a fuzz target, results added to its entry.
fn fuzz_functions(
    inventory: &Inventory,
    generated: &Generated,
    opts: &Options,
    seconds: u64,
    functions: &mut [FnResult],
) -> Result<()> {
    let mut targets = Vec::new();
    for package in &inventory.packages {
        let dir = opts.workspace_root.join(&package.dir);
        for f in &package.functions {
            let target = generated.files.iter().find(|g| {
                g.function.as_deref() == Some(f.path.as_str())
                    && g.path.contains("fuzz/fuzz_targets/")
            });
            if let Some(target) = target {
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
    };
    for outcome in fuzz::fuzz(&targets, &settings)? {
        if let Some(entry) = functions
            .iter_mut()
            .find(|r| r.function == outcome.function)
        {
            entry.properties.push(outcome.result);
        }
    }
    Ok(())
}

/// Every failing input becomes a named regression test in the ordinary test target.
fn keep_regressions(generated: &Generated, functions: &[FnResult], opts: &Options) -> Result<()> {
    let mut regressions = Vec::new();
    for f in functions {
        let Some(harness) = generated.files.iter().find(|g| {
            g.function.as_deref() == Some(f.function.as_str())
                && (g.path.contains("tests/abuse/") || g.path.contains("src/abuse_tests/"))
        }) else {
            continue;
        };
        // Values from the user's own strategies print via Debug and may not paste as Rust.
        if harness.contents.contains("abuse_runtime::Opaque") {
            continue;
        }
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
        for p in &f.properties {
            if let (Outcome::Fail, Some(input), ResultSource::Proptest | ResultSource::Fuzz) =
                (p.outcome, &p.input, p.source)
            {
                regressions.push(write::Regression {
                    file: file.clone(),
                    module: module.clone(),
                    property: p.property.to_string(),
                    input: input.clone(),
                });
            }
        }
    }
    let added = write::keep_regressions(&opts.workspace_root, &regressions)?;
    if !added.is_empty() && opts.verbosity >= 0 {
        eprintln!(
            "        Kept {} failing input(s) as regression tests: {}",
            added.len(),
            added.join(", ")
        );
    }
    Ok(())
}

/// The report to the terminal and to every requested file.
fn write_outputs(report: &RunReport, opts: &Options) -> Result<()> {
    let write_file = |path: &Path, text: String| -> Result<()> {
        std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
    };
    if opts.json {
        print!("{}", report::render_json(report));
    } else {
        print!("{}", report::render_human(report, opts.color));
    }
    if let Some(path) = &opts.junit {
        write_file(path, report::render_junit(report))?;
    }
    if let Some(path) = &opts.sarif {
        write_file(path, report::render_sarif(report, generate::VERSION))?;
    }
    let markdown = report::render_markdown(report);
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

/// Finds a tagged function by the path a user types: `net::parse_port`, `crate::net::parse_port`,
/// `demo::net::parse_port` or its public path.
fn find_function<'a>(inventory: &'a Inventory, path: &str) -> Result<&'a TaggedFn> {
    let path = path.trim().trim_start_matches("crate::");
    let matches: Vec<&TaggedFn> = inventory
        .packages
        .iter()
        .flat_map(|p| &p.functions)
        .filter(|f| {
            f.path == path
                || format!("{}::{}", f.crate_name, f.path) == path
                || matches!(&f.reach, model::Reach::Public { path: p } if p == path)
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => bail!("no `#[ai_generated]` function `{path}` (see `cargo abuse list`)"),
        _ => bail!("`{path}` names several tagged functions; use `crate_name::path`"),
    }
}

/// `cargo abuse sign PATH`: run the function's harness (every function its attribute covers); only if all
/// pass, write `signed_off` into the attribute.
fn sign_fn(inventory: &Inventory, generated: &Generated, opts: &Options) -> Result<Exit> {
    let path = opts.fn_path.as_deref().expect("sign always has a PATH");
    let target = find_function(inventory, path)?;
    let covered: Vec<&TaggedFn> = inventory
        .packages
        .iter()
        .flat_map(|p| &p.functions)
        .filter(|f| f.file == target.file && f.attribute == target.attribute)
        .collect();
    for f in &covered {
        match &f.harness {
            model::HarnessState::Current => {}
            model::HarnessState::Unsupported { reason } => {
                bail!(
                    "cannot sign `{}`: it has no harness to run ({reason})",
                    f.path
                )
            }
            _ => bail!(
                "cannot sign `{}`: its harness is missing or stale; run `cargo abuse gen` first",
                f.path
            ),
        }
    }
    let owner = match opts
        .owner
        .clone()
        .or_else(|| git::user_name(&opts.workspace_root))
    {
        Some(owner) => owner,
        None => bail!("no owner: pass --owner NAME or set git's user.name"),
    };
    let policy = opts.packages.get(&target.package).map(|p| &p.policy);
    if let Some(policy) = policy.filter(|p| !p.allowed_owners.is_empty()) {
        if !policy.allowed_owners.contains(&owner) {
            eprintln!(
                "error: `{owner}` may not sign off: the policy allows {}",
                policy.allowed_owners.join(", ")
            );
            return Ok(Exit::Failed);
        }
    }
    let mut only = inventory.clone();
    for package in &mut only.packages {
        package.functions.retain(|f| {
            covered
                .iter()
                .any(|c| c.path == f.path && c.package == f.package)
        });
    }
    let seed = opts.seed.unwrap_or_else(random_seed);
    let results = run::run(&only, generated, &run_settings(opts, seed))?;
    let report = RunReport {
        seed,
        functions: results,
        violations: Vec::new(),
    };
    let passed = !report.functions.is_empty()
        && report
            .functions
            .iter()
            .flat_map(|f| &f.properties)
            .all(|p| p.outcome == Outcome::Pass);
    if !passed {
        print!("{}", report::render_human(&report, opts.color));
        let failing: Vec<&str> = report
            .functions
            .iter()
            .filter(|f| f.properties.iter().any(|p| p.outcome != Outcome::Pass))
            .map(|f| f.function.as_str())
            .collect();
        let which = if failing.is_empty() {
            target.path.as_str().to_string()
        } else {
            failing.join("`, `")
        };
        eprintln!("error: not signed: the harness of `{which}` does not pass (the sign-off covers every function of its attribute)");
        return Ok(Exit::Failed);
    }
    let value = abuse_attr::SignOff {
        owner: owner.clone(),
        date: today(),
        fingerprint: target.sign_fingerprint.clone(),
    }
    .to_string();
    let file = opts.workspace_root.join(&target.file);
    let source =
        std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
    let location = sign::AttrLocation {
        line: target.attribute.line,
        column: target.attribute.column,
        path: target.attribute.path.clone(),
    };
    let updated = match sign::write_signoff(&source, &location, &value) {
        Ok(text) => text,
        Err(e) => bail!("cannot sign `{}`: {e}", target.path),
    };
    std::fs::write(&file, updated).with_context(|| format!("writing {}", file.display()))?;
    eprintln!(
        "      Signed `{}` as {owner} ({}:{}): signed_off = {value:?}",
        target.path, target.file, target.attribute.line
    );
    Ok(Exit::Ok)
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `cargo abuse report [--since REV]`: the tagged functions whose tokens or prompt changed since REV.
fn pr_report(ws: &workspace::Workspace, inventory: &Inventory, opts: &Options) -> Result<Exit> {
    let since = opts.since.clone().unwrap_or_else(|| "HEAD".into());
    let base = git::merge_base(&opts.workspace_root, &since)?;
    let old_root = tempfile::tempdir().context("creating a temporary folder")?;
    git::export_tree(&opts.workspace_root, &base, old_root.path())?;
    // The same packages, read from the base revision's tree.
    let old_packages: Vec<workspace::PackageSources> = ws
        .packages
        .iter()
        .map(|p| p.rebased(&ws.root, old_root.path()))
        .collect();
    let old_opts = Options {
        target_dir: old_root.path().join("target"),
        verbosity: -1,
        ..opts.clone()
    };
    let old = discover::discover(
        &old_packages,
        old_root.path(),
        &old_opts,
        discover::prefetch(None),
    );
    let last: Option<RunReport> = std::fs::read_to_string(last_run_path(opts))
        .ok()
        // The last `run`'s report, as `write_outputs` saved it; unreadable means no last result.
        .and_then(|t| serde_json::from_str(&t).ok());
    let mut entries = Vec::new();
    for package in &inventory.packages {
        for f in &package.functions {
            let before = old
                .packages
                .iter()
                .filter(|p| p.name == package.name)
                .flat_map(|p| &p.functions)
                .find(|o| o.path == f.path);
            if before.is_some_and(|b| b.fingerprint == f.fingerprint) {
                continue;
            }
            let new_text =
                std::fs::read_to_string(opts.workspace_root.join(&f.file)).unwrap_or_default();
            let old_source = before.and_then(|b| {
                std::fs::read_to_string(old_root.path().join(&b.file))
                    .ok()
                    .map(|t| lines(&t, b.line, b.end_line))
            });
            let old_prompt = before
                .and_then(|b| b.record.prompt.clone())
                .filter(|p| Some(p) != f.record.prompt.as_ref());
            let last_result = last.as_ref().and_then(|r| {
                r.functions
                    .iter()
                    .find(|x| x.package == f.package && x.function == f.path)
                    .map(|x| {
                        if x.properties.iter().any(|p| p.outcome == Outcome::Fail) {
                            Outcome::Fail
                        } else if x.properties.iter().all(|p| p.outcome == Outcome::Pass) {
                            Outcome::Pass
                        } else {
                            Outcome::NotRun
                        }
                    })
            });
            entries.push(report::PrEntry {
                package: f.package.clone(),
                function: f.path.clone(),
                file: f.file.clone(),
                line: f.line,
                prompt: f.record.prompt.clone(),
                old_prompt,
                author: f.record.author.clone(),
                reviewer: f.record.reviewer.clone(),
                test_owner: f.record.test_owner.clone(),
                signoff: f.signoff.clone(),
                last_result,
                old_source,
                old_line: before.map(|b| b.line),
                new_source: lines(&new_text, f.line, f.end_line),
            });
        }
    }
    let pr = report::PrReport { since, entries };
    let out = if opts.report_json {
        report::render_pr_report_json(&pr)
    } else {
        report::render_pr_report_md(&pr)
    };
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("could not write to stdout")?;
    Ok(Exit::Ok)
}

/// Lines `first..=last` (1-based) of a text.
fn lines(text: &str, first: u32, last: u32) -> String {
    let mut out: String = text
        .lines()
        .skip(first.saturating_sub(1) as usize)
        .take((last.saturating_sub(first) + 1) as usize)
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// Diagnostics to stderr, `error: FILE:LINE:COL: message` (warnings hidden by `-q`).
fn print_diagnostics(inv: &Inventory, opts: &Options) {
    for d in &inv.diagnostics {
        let label = match d.severity {
            Severity::Error => "error",
            Severity::Warning if opts.verbosity < 0 => continue,
            Severity::Warning => "warning",
        };
        let label = if opts.color {
            let colour = if d.severity == Severity::Error {
                "31"
            } else {
                "33"
            };
            format!("\x1b[1;{colour}m{label}\x1b[0m")
        } else {
            label.to_string()
        };
        eprintln!("{label}: {}:{}:{}: {}", d.file, d.line, d.column, d.message);
    }
}
