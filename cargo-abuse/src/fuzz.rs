//! std::process for libFuzzer: builds each package's generated `fuzz/` crate with coverage instrumentation on
//! stable (AddressSanitizer on nightly when asked), runs every target within its budget, minimises what it
//! finds and turns each run into a [`PropertyResult`].
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
//! 2-core CI machine fuzzes two targets at a time. A target that stops early (it found something) gives its
//! remaining time to nobody: the next run starts from the grown corpus anyway. A target that hangs, runs out
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

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::model::{Outcome, PropertyResult, ResultSource};

/// Coverage flags (as cargo-fuzz passes them), the comparison flag, and what fuzz builds expect.
const COVERAGE_FLAGS: &[&str] = &[
    "-Cpasses=sancov-module",
    "-Cllvm-args=-sanitizer-coverage-level=4",
    "-Cllvm-args=-sanitizer-coverage-inline-8bit-counters",
    "-Cllvm-args=-sanitizer-coverage-pc-table",
    "-Cllvm-args=-sanitizer-coverage-trace-compares",
    // Keeps `memcmp`/`bcmp` calls as calls, so libFuzzer's interceptors see the bytes compared.
    "-Cllvm-args=-max-loads-per-memcmp=0",
    "--cfg",
    "fuzzing",
    "-Cdebug-assertions",
    "-Coverflow-checks",
    "-Ccodegen-units=1",
];

/// libFuzzer's exit code for a crash (`-error_exitcode`'s default).
const EXIT_CRASH: i32 = 77;
/// libFuzzer's exit code for a per-input timeout (`-timeout_exitcode`'s default).
const EXIT_TIMEOUT: i32 = 70;
/// libFuzzer's exit code for passing `-rss_limit_mb`.
const EXIT_OOM: i32 = 71;

/// What the runtime's counting allocator prints before it makes the process abort on an absurd allocation.
const RUNTIME_ALLOC_NOTE: &str = "would pass the hard limit";

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

/// `cargo` with or without `+nightly`.
#[derive(Debug, Clone, PartialEq)]
struct Toolchain {
    nightly: bool,
    sanitizer: Sanitizer,
}

impl Toolchain {
    fn for_sanitizer(sanitizer: Sanitizer) -> Result<Toolchain> {
        let nightly = sanitizer == Sanitizer::Address;
        if nightly {
            let found = Command::new("cargo")
                .args(["+nightly", "--version"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !found {
                bail!(
                    "fuzzing with AddressSanitizer needs a nightly toolchain, and `cargo +nightly` was not found: \
                     install one with `rustup toolchain install nightly`, or fuzz without a sanitizer (stable)"
                );
            }
        }
        Ok(Toolchain { nightly, sanitizer })
    }

    /// `cargo` or `rustc`: on stable the ones cargo ran us with (`$CARGO`, `$RUSTC`), on nightly rustup's
    /// proxy with `+nightly` (the toolchain's own binaries do not understand `+`).
    fn command(&self, program: &str) -> Command {
        if self.nightly {
            let mut cmd = Command::new(program);
            cmd.arg("+nightly");
            return cmd;
        }
        let var = program.to_ascii_uppercase();
        Command::new(std::env::var_os(var).unwrap_or_else(|| program.into()))
    }

    /// The host triple, from `rustc -vV`.
    fn host_triple(&self) -> Result<String> {
        let out = self
            .command("rustc")
            .arg("-vV")
            .output()
            .context("could not run `rustc -vV`")?;
        if !out.status.success() {
            bail!(
                "`rustc -vV` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        parse_host(&String::from_utf8_lossy(&out.stdout))
            .context("`rustc -vV` printed no `host:` line")
    }
}

/// The `host:` line of `rustc -vV`.
fn parse_host(rustc_vv: &str) -> Option<String> {
    rustc_vv
        .lines()
        .find_map(|l| l.strip_prefix("host:"))
        .map(|h| h.trim().to_string())
}

/// RUSTFLAGS for the fuzz build: the coverage flags, ASan's when asked, then the user's own `RUSTFLAGS`.
fn rustflags(sanitizer: Sanitizer, user: Option<&str>) -> String {
    let mut flags: Vec<&str> = COVERAGE_FLAGS.to_vec();
    if sanitizer == Sanitizer::Address {
        flags.push("-Zsanitizer=address");
    }
    let mut out = flags.join(" ");
    if let Some(user) = user.map(str::trim).filter(|u| !u.is_empty()) {
        out.push(' ');
        out.push_str(user);
    }
    out
}

/// `cargo build` arguments for one package's fuzz crate (the `--bin`/`-p` selection is added by the caller).
fn build_args(manifest: &Path, host: &str, target_dir: &Path, extra: &[&str]) -> Vec<OsString> {
    let mut args: Vec<OsString> = ["build", "--release", "--manifest-path"]
        .map(OsString::from)
        .to_vec();
    args.push(manifest.into());
    args.push("--target".into());
    args.push(host.into());
    args.push("--target-dir".into());
    args.push(target_dir.into());
    args.extend(extra.iter().map(OsString::from));
    args
}

/// Runs one `cargo build` of a fuzz crate with the fuzzing flags; `Err` carries cargo's stderr.
fn run_cargo(
    toolchain: &Toolchain,
    args: &[OsString],
    libfuzzer: Option<&Path>,
    package_dir: &Path,
    settings: &FuzzSettings,
) -> Result<()> {
    let user_flags = std::env::var("RUSTFLAGS").ok();
    let mut cmd = toolchain.command("cargo");
    cmd.args(args)
        .env(
            "RUSTFLAGS",
            rustflags(toolchain.sanitizer, user_flags.as_deref()),
        )
        // CARGO_ENCODED_RUSTFLAGS would win over RUSTFLAGS.
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        // Line tables for panic locations and backtraces, whatever the crate's profile says.
        .env("CARGO_PROFILE_RELEASE_DEBUG", "line-tables-only")
        .current_dir(package_dir.join("fuzz"));
    if let Some(lib) = libfuzzer {
        cmd.env("CUSTOM_LIBFUZZER_PATH", lib);
    }
    let (status, stderr) = if settings.verbose {
        let status = cmd.status().context("could not run cargo")?;
        (status, String::new())
    } else {
        let out = cmd.output().context("could not run cargo")?;
        (
            out.status,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    if !status.success() {
        bail!(
            "cargo {}:\n{}",
            describe_status(Some(status)),
            stderr.trim_end()
        );
    }
    Ok(())
}

/// A compiled libFuzzer kept at `<target_dir>/libfuzzer/<libfuzzer-sys version>/libfuzzer.a`, compiled once
/// by libfuzzer-sys's build script and handed to every later build through `CUSTOM_LIBFUZZER_PATH`: its C++
/// takes most of a cold fuzz build, and would otherwise be compiled again for every toolchain (stable and
/// nightly for ASan) and every fresh target folder. `None` (the build script compiles it as usual) when the
/// user set `CUSTOM_LIBFUZZER_PATH` (then theirs is used), off Unix, or when anything here fails.
fn cached_libfuzzer(
    package_dir: &Path,
    toolchain: &Toolchain,
    host: &str,
    settings: &FuzzSettings,
) -> Option<PathBuf> {
    if std::env::var_os("CUSTOM_LIBFUZZER_PATH").is_some() || !cfg!(unix) {
        return None;
    }
    let fuzz_dir = package_dir.join("fuzz");
    let lock = fuzz_dir.join("Cargo.lock");
    if !lock.is_file() {
        let generated = toolchain
            .command("cargo")
            .arg("generate-lockfile")
            .current_dir(&fuzz_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if !generated.is_ok_and(|s| s.success()) {
            return None;
        }
    }
    let version = locked_version(&fs::read_to_string(&lock).ok()?, "libfuzzer-sys")?;
    let cached = settings
        .target_dir
        .join("libfuzzer")
        .join(&version)
        .join("libfuzzer.a");
    if cached.is_file() {
        return Some(cached);
    }
    // libfuzzer-sys alone, without the variable: its build script compiles the archive we keep.
    let manifest = fuzz_dir.join("Cargo.toml");
    let args = build_args(
        &manifest,
        host,
        &settings.target_dir,
        &["-p", "libfuzzer-sys"],
    );
    run_cargo(toolchain, &args, None, package_dir, settings).ok()?;
    let build = settings.target_dir.join(host).join("release").join("build");
    let compiled = fs::read_dir(&build)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("libfuzzer-sys-"))
        })
        .map(|p| p.join("out").join("libfuzzer.a"))
        .filter_map(|p| Some((fs::metadata(&p).ok()?.modified().ok()?, p)))
        .max()?
        .1;
    let dir = cached.parent()?;
    fs::create_dir_all(dir).ok()?;
    let tmp = dir.join("libfuzzer.a.tmp");
    fs::copy(&compiled, &tmp).ok()?;
    fs::rename(&tmp, &cached).ok()?;
    Some(cached)
}

/// The version of package `name` in a `Cargo.lock`.
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == format!("name = \"{name}\"") {
            let version = lines.next()?.trim().strip_prefix("version = ")?;
            return Some(version.trim_matches('"').to_string());
        }
    }
    None
}

/// Builds the package's fuzz crate (all its targets at once) and copies each binary to
/// `<target_dir>/bin/<pkg>/<name>`.
fn build_package(
    package_dir: &Path,
    names: &[&str],
    toolchain: &Toolchain,
    host: &str,
    settings: &FuzzSettings,
) -> Result<Vec<(String, PathBuf)>> {
    let manifest = package_dir.join("fuzz").join("Cargo.toml");
    if !manifest.is_file() {
        bail!(
            "{} does not exist: run `cargo abuse gen` first",
            manifest.display()
        );
    }
    let shown = shown_path(&manifest, &settings.workspace_root);
    if !settings.quiet {
        eprintln!(
            "    Building fuzz targets of {shown} ({})",
            if toolchain.nightly {
                "nightly, AddressSanitizer"
            } else {
                "stable"
            }
        );
    }
    let started = Instant::now();
    let libfuzzer = cached_libfuzzer(package_dir, toolchain, host, settings);
    let mut args = build_args(&manifest, host, &settings.target_dir, &[]);
    for name in names {
        args.push("--bin".into());
        args.push((*name).into());
    }
    run_cargo(
        toolchain,
        &args,
        libfuzzer.as_deref(),
        package_dir,
        settings,
    )
    .with_context(|| format!("building the fuzz targets of {shown} failed"))?;
    if !settings.quiet {
        eprintln!(
            "       Built {shown} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    let built = settings.target_dir.join(host).join("release");
    let bin_dir = settings
        .target_dir
        .join("bin")
        .join(crate::cache::path_key(package_dir));
    fs::create_dir_all(&bin_dir).with_context(|| format!("creating {}", bin_dir.display()))?;
    let mut bins = Vec::new();
    for name in names {
        let from = built.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        let to = bin_dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
        // Copy to a temporary name and rename: a binary being replaced may still be mapped by a process.
        let tmp = bin_dir.join(format!(".{name}.tmp"));
        fs::copy(&from, &tmp)
            .with_context(|| format!("copying {} to {}", from.display(), tmp.display()))?;
        fs::rename(&tmp, &to)
            .with_context(|| format!("renaming {} to {}", tmp.display(), to.display()))?;
        bins.push(((*name).to_string(), to));
    }
    Ok(bins)
}

/// The folders and files of one target's run.
#[derive(Debug, Clone, PartialEq)]
struct TargetPaths {
    corpus: PathBuf,
    seeds: Option<PathBuf>,
    dict: Option<PathBuf>,
    artifacts: PathBuf,
    records: PathBuf,
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
            artifacts: target_dir.join("artifacts").join(&key).join(&target.name),
            records: target_dir.join("records").join(&key).join(&target.name),
            log: target_dir
                .join("logs")
                .join(&key)
                .join(format!("{}.log", target.name)),
        }
    }
}

/// The limits every libFuzzer invocation gets.
fn limit_args(settings: &FuzzSettings) -> Vec<OsString> {
    let mut args = vec![
        OsString::from(format!("-timeout={}", settings.timeout_secs.max(1))),
        OsString::from(format!("-rss_limit_mb={}", settings.rss_limit_mb)),
    ];
    if settings.sanitizer == Sanitizer::Address {
        // Leaks are not a property cargo-abuse checks; reporting them would be a false alarm.
        args.push("-detect_leaks=0".into());
        args.push(format!("-malloc_limit_mb={}", settings.rss_limit_mb).into());
    }
    args
}

/// The arguments of the fuzzing run: options first, then the corpus (written to) and the seeds (read only).
fn fuzz_args(paths: &TargetPaths, settings: &FuzzSettings) -> Vec<OsString> {
    let mut args = vec![OsString::from(format!(
        "-max_total_time={}",
        settings.seconds.max(1)
    ))];
    args.extend(limit_args(settings));
    if let Some(dict) = &paths.dict {
        let mut a = OsString::from("-dict=");
        a.push(dict);
        args.push(a);
    }
    let mut prefix = OsString::from("-artifact_prefix=");
    // libFuzzer concatenates prefix and file name: the trailing slash makes it a folder.
    prefix.push(paths.artifacts.join(""));
    args.push(prefix);
    args.push("-print_final_stats=1".into());
    args.push(paths.corpus.clone().into());
    if let Some(seeds) = &paths.seeds {
        args.push(seeds.clone().into());
    }
    args
}

/// Arguments that minimise a crash into `out`.
fn minimize_args(artifact: &Path, out: &Path, settings: &FuzzSettings) -> Vec<OsString> {
    let mut args = vec![
        OsString::from("-minimize_crash=1"),
        OsString::from("-runs=100000"),
        OsString::from(format!(
            "-max_total_time={}",
            minimize_secs(settings.seconds)
        )),
    ];
    args.extend(limit_args(settings));
    let mut exact = OsString::from("-exact_artifact_path=");
    exact.push(out);
    args.push(exact);
    args.push(artifact.into());
    args
}

/// Time for minimising one crash: a quarter of the fuzzing time, between 5 and 60 s.
fn minimize_secs(seconds: u64) -> u64 {
    (seconds / 4).clamp(5, 60)
}

/// What libFuzzer's exit says, before looking at records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// Ran out its time (or its runs) without finding anything.
    Done,
    /// An input made the process crash: a panic, an abort, a signal, or a failed check.
    Crash,
    /// An input ran longer than `-timeout`.
    Timeout,
    /// The process passed `-rss_limit_mb` (or ASan's `-malloc_limit_mb`).
    OutOfMemory,
    /// An input leaked memory (ASan only, and turned off).
    Leak,
    /// libFuzzer failed without an artifact (bad flag, missing file, killed).
    Error,
}

/// Classifies a run from its exit code and the artifact it wrote: the artifact's name first (its prefix says
/// what happened even when the exit code is shared, e.g. ASan's malloc limit exits with the crash code).
fn classify(code: Option<i32>, artifact: Option<&str>) -> Stop {
    if let Some(name) = artifact {
        for (prefix, stop) in [
            ("crash-", Stop::Crash),
            ("timeout-", Stop::Timeout),
            ("oom-", Stop::OutOfMemory),
            ("leak-", Stop::Leak),
        ] {
            if name.starts_with(prefix) {
                return stop;
            }
        }
    }
    match code {
        Some(0) => Stop::Done,
        Some(EXIT_CRASH) if artifact.is_some() => Stop::Crash,
        Some(EXIT_TIMEOUT) => Stop::Timeout,
        Some(EXIT_OOM) => Stop::OutOfMemory,
        _ => Stop::Error,
    }
}

/// The statistics of `-print_final_stats=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Stats {
    execs: Option<u64>,
    peak_rss_mb: Option<u64>,
}

fn parse_stats(log: &str) -> Stats {
    let mut stats = Stats::default();
    for line in log.lines() {
        let Some((key, value)) = line.strip_prefix("stat::").and_then(|l| l.split_once(':')) else {
            continue;
        };
        let value = value.trim().parse().ok();
        match key.trim() {
            "number_of_executed_units" => stats.execs = value,
            "peak_rss_mb" => stats.peak_rss_mb = value,
            _ => {}
        }
    }
    if stats.execs.is_none() {
        // `Done 1234 runs in 5 second(s)`, printed even without final stats.
        stats.execs = log.lines().rev().find_map(|l| {
            l.strip_prefix("Done ")?
                .split_whitespace()
                .next()?
                .parse()
                .ok()
        });
    }
    stats
}

/// libFuzzer's (or the sanitizer's) one-line reason for a death: the text after `SUMMARY: `.
fn parse_summary(log: &str) -> Option<String> {
    log.lines()
        .filter_map(|l| l.trim().strip_prefix("SUMMARY: "))
        .next()
        .map(|s| s.trim().to_string())
}

/// The record `abuse_runtime` writes (only the fields used here).
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Record {
    property: String,
    outcome: String,
    kind: Option<String>,
    input: Option<String>,
    message: Option<String>,
}

/// The first failing record in `dir` (file names sorted), if any.
fn read_record(dir: &Path) -> Option<Record> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|p| serde_json::from_str::<Record>(&fs::read_to_string(p).ok()?).ok())
        .find(|r| r.outcome == "fail")
}

/// The artifact libFuzzer wrote (ignoring `slow-unit-` reports and our own `minimized`).
fn find_artifact(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            ["crash-", "timeout-", "oom-", "leak-"]
                .iter()
                .any(|prefix| name.starts_with(prefix))
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// Empties (or creates) a folder this module owns.
fn fresh_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

/// One finished process: how it ended and what it printed.
struct Finished {
    status: Option<ExitStatus>,
    log: String,
    elapsed: Duration,
}

/// Runs `bin args` with `envs`, output to `log`, killing it after `deadline`.
fn run_logged(
    bin: &Path,
    args: &[OsString],
    envs: &[(&str, &Path)],
    log: &Path,
    deadline: Duration,
) -> Result<Finished> {
    if let Some(parent) = log.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let file = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
    let err = file
        .try_clone()
        .with_context(|| format!("opening {}", log.display()))?;
    let mut cmd = Command::new(bin);
    cmd.args(args).stdin(Stdio::null()).stdout(file).stderr(err);
    for (key, value) in envs {
        cmd.env(key, value);
    }
    let started = Instant::now();
    let child = cmd
        .spawn()
        .with_context(|| format!("could not run {}", bin.display()))?;
    let status = wait_until(child, started + deadline);
    let elapsed = started.elapsed();
    let log = String::from_utf8_lossy(&fs::read(log).unwrap_or_default()).into_owned();
    Ok(Finished {
        status,
        log,
        elapsed,
    })
}

/// Waits for `child`; past `deadline` kills it and returns `None`.
fn wait_until(mut child: Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return None,
        }
    }
}

/// Fuzzes one target and classifies what happened; never fails (a run that cannot happen is `NotRun`).
fn run_target(target: &FuzzTarget, bin: &Path, settings: &FuzzSettings) -> FuzzOutcome {
    let paths = TargetPaths::new(target, &settings.target_dir);
    match fuzz_and_classify(target, bin, &paths, settings) {
        Ok(outcome) => outcome,
        Err(err) => FuzzOutcome {
            function: target.function.clone(),
            target: target.name.clone(),
            result: not_run(format!("{err:#}"), 0, 0),
            artifact: None,
            execs: None,
        },
    }
}

fn fuzz_and_classify(
    target: &FuzzTarget,
    bin: &Path,
    paths: &TargetPaths,
    settings: &FuzzSettings,
) -> Result<FuzzOutcome> {
    fs::create_dir_all(&paths.corpus)
        .with_context(|| format!("creating {}", paths.corpus.display()))?;
    fresh_dir(&paths.artifacts)?;
    let run_records = paths.records.join("run");
    fresh_dir(&run_records)?;
    let timeout = Duration::from_secs(settings.timeout_secs.max(1));
    // libFuzzer stops itself; the deadline only catches a process that does not.
    let deadline = Duration::from_secs(settings.seconds) + timeout * 2 + Duration::from_secs(30);
    let run = run_logged(
        bin,
        &fuzz_args(paths, settings),
        &[("ABUSE_RECORDS", &run_records)],
        &paths.log,
        deadline,
    )?;
    if settings.verbose {
        eprint!("{}", run.log);
    }
    let stats = parse_stats(&run.log);
    let elapsed_ms = run.elapsed.as_millis() as u64;
    let cases = stats.execs.unwrap_or(0);
    let artifact = find_artifact(&paths.artifacts);
    let artifact_name = artifact
        .as_ref()
        .and_then(|a| a.file_name())
        .map(|n| n.to_string_lossy().into_owned());
    let code = run.status.and_then(|s| s.code());
    let outcome = |result: PropertyResult, artifact: Option<PathBuf>| FuzzOutcome {
        function: target.function.clone(),
        target: target.name.clone(),
        result,
        artifact,
        execs: stats.execs,
    };
    if run.status.is_none() {
        let msg = format!(
            "libFuzzer did not stop within {} s and was killed (log: {})",
            deadline.as_secs(),
            shown_path(&paths.log, &settings.workspace_root)
        );
        return Ok(outcome(not_run(msg, cases, elapsed_ms), None));
    }
    let stop = classify(code, artifact_name.as_deref());
    let Some(artifact) = artifact.filter(|_| !matches!(stop, Stop::Done | Stop::Error)) else {
        return Ok(match stop {
            Stop::Done => outcome(passed(cases, elapsed_ms), None),
            _ => {
                let msg = format!(
                    "libFuzzer failed ({}) without reporting an input: {} (log: {})",
                    describe_status(run.status),
                    last_lines(&run.log, 3),
                    shown_path(&paths.log, &settings.workspace_root)
                );
                outcome(not_run(msg, cases, elapsed_ms), None)
            }
        });
    };

    let record = read_record(&run_records);
    if stop == Stop::Crash {
        if let Some(record) = record {
            let (record, artifact) = minimize(bin, &artifact, record, paths, settings);
            let res = failed(record, cases, elapsed_ms);
            return Ok(outcome(res, Some(artifact)));
        }
    }

    // No record: the input never returned (hang, memory) or killed the process. Replay it traced.
    let trace = replay_traced(bin, &artifact, paths, settings);
    if let Some(record) = trace.record.filter(|_| stop == Stop::Crash) {
        let res = failed(record, cases, elapsed_ms);
        return Ok(outcome(res, Some(artifact)));
    }
    // Filling memory slowly can hit the time limit first: past the memory limit, it is an allocation.
    let stop = match stop {
        Stop::Timeout
            if trace.out_of_memory
                || stats.peak_rss_mb.is_some_and(|p| p > settings.rss_limit_mb) =>
        {
            Stop::OutOfMemory
        }
        other => other,
    };
    let summary = parse_summary(&run.log);
    let (kind, message) = death_message(stop, &run.log, summary.as_deref(), settings);
    let found = Record {
        property: "no_panic".into(),
        outcome: "fail".into(),
        kind: Some(kind.into()),
        input: trace.input,
        message: Some(message),
    };
    let res = failed(found, cases, elapsed_ms);
    Ok(outcome(res, Some(artifact)))
}

/// The kind and message of a failure that left no record.
fn death_message(
    stop: Stop,
    log: &str,
    summary: Option<&str>,
    settings: &FuzzSettings,
) -> (&'static str, String) {
    let limit = settings.rss_limit_mb;
    match stop {
        Stop::Timeout => {
            let secs = settings.timeout_secs.max(1);
            let msg = format!("no result within {secs} s for one input (libFuzzer -timeout)");
            ("timeout", msg)
        }
        Stop::OutOfMemory => {
            // The summary says how much, unless the time limit stopped the run first.
            let detail = summary
                .filter(|s| s.contains("out-of-memory"))
                .map(|s| format!(": {s}"))
                .unwrap_or_default();
            let msg = format!(
                "memory use passed the limit of {limit} MiB (libFuzzer -rss_limit_mb){detail}"
            );
            ("alloc", msg)
        }
        Stop::Leak => ("alloc", format!("memory leak: {}", summary.unwrap_or("-"))),
        _ if log.contains(RUNTIME_ALLOC_NOTE) => {
            let note = log.lines().find(|l| l.contains(RUNTIME_ALLOC_NOTE));
            let note = note.unwrap_or_default().trim();
            ("alloc", format!("aborted on an absurd allocation: {note}"))
        }
        _ => {
            let overflow = log.contains("has overflowed its stack")
                || summary.is_some_and(|s| s.contains("stack-overflow"));
            let reason = if overflow {
                "stack overflow"
            } else {
                summary.unwrap_or("the process died")
            };
            let msg = format!(
                "the process died without a report ({reason}): stack overflow, abort or signal"
            );
            ("crash", msg)
        }
    }
}

/// Minimises a crash; returns the minimised input's record and artifact, or the originals when minimising
/// did not work or found a different failure.
fn minimize(
    bin: &Path,
    artifact: &Path,
    original: Record,
    paths: &TargetPaths,
    settings: &FuzzSettings,
) -> (Record, PathBuf) {
    let minimized = paths.artifacts.join("minimized");
    let min_records = paths.records.join("minimize");
    let replay_records = paths.records.join("replay");
    if fresh_dir(&min_records).is_err() || fresh_dir(&replay_records).is_err() {
        return (original, artifact.to_path_buf());
    }
    let secs = minimize_secs(settings.seconds);
    let deadline = Duration::from_secs(secs + 2 * settings.timeout_secs.max(1) + 30);
    let log = paths.log.with_extension("minimize.log");
    let args = minimize_args(artifact, &minimized, settings);
    if run_logged(
        bin,
        &args,
        &[("ABUSE_RECORDS", &min_records)],
        &log,
        deadline,
    )
    .is_err()
        || !minimized.is_file()
    {
        return (original, artifact.to_path_buf());
    }
    let replay_log = paths.log.with_extension("replay.log");
    let mut args = limit_args(settings);
    args.push(minimized.clone().into());
    let deadline = Duration::from_secs(2 * settings.timeout_secs.max(1) + 30);
    let _ = run_logged(
        bin,
        &args,
        &[("ABUSE_RECORDS", &replay_records)],
        &replay_log,
        deadline,
    );
    match read_record(&replay_records) {
        // The same property failing the same way: the smaller input is the better report.
        Some(r) if r.property == original.property && r.kind == original.kind => (r, minimized),
        _ => (original, artifact.to_path_buf()),
    }
}

/// What replaying one artifact with `ABUSE_TRACE_INPUT` gave.
struct Traced {
    input: Option<String>,
    record: Option<Record>,
    /// The replay passed the memory limit.
    out_of_memory: bool,
}

/// Replays `artifact` once with the input traced. The replay gets twice the per-input time (plus 5 s): an
/// input that fills memory slowly may hit the time limit first while fuzzing, and the longer replay shows
/// whether it was really memory.
fn replay_traced(
    bin: &Path,
    artifact: &Path,
    paths: &TargetPaths,
    settings: &FuzzSettings,
) -> Traced {
    let records = paths.records.join("trace");
    let trace = paths.records.join("trace-input.rs");
    let mut traced = Traced {
        input: None,
        record: None,
        out_of_memory: false,
    };
    if fresh_dir(&records).is_err() {
        return traced;
    }
    let _ = fs::remove_file(&trace);
    let replay_timeout = 2 * settings.timeout_secs.max(1) + 5;
    let mut args = limit_args(settings);
    args.retain(|a| !a.to_string_lossy().starts_with("-timeout="));
    args.push(format!("-timeout={replay_timeout}").into());
    args.push(artifact.into());
    let log = paths.log.with_extension("trace.log");
    // libFuzzer's own -timeout ends a hang; the deadline is the backstop.
    let deadline = Duration::from_secs(replay_timeout + 5);
    let envs: [(&str, &Path); 2] = [("ABUSE_RECORDS", &records), ("ABUSE_TRACE_INPUT", &trace)];
    if let Ok(run) = run_logged(bin, &args, &envs, &log, deadline) {
        let code = run.status.and_then(|s| s.code());
        let peak = parse_stats(&run.log).peak_rss_mb;
        traced.out_of_memory =
            code == Some(EXIT_OOM) || peak.is_some_and(|p| p > settings.rss_limit_mb);
    }
    traced.input = fs::read_to_string(&trace)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    traced.record = read_record(&records);
    traced
}

/// A fuzz result with nothing found yet.
fn fuzz_result(outcome: Outcome, property: &str, cases: u64, elapsed_ms: u64) -> PropertyResult {
    PropertyResult {
        property: property.to_string(),
        source: ResultSource::Fuzz,
        outcome,
        kind: None,
        cases,
        rejected: 0,
        elapsed_ms,
        input: None,
        message: None,
    }
}

/// Nothing found: `property` is `all`, as the target checks every property of the function.
fn passed(cases: u64, elapsed_ms: u64) -> PropertyResult {
    fuzz_result(Outcome::Pass, "all", cases, elapsed_ms)
}

fn not_run(message: String, cases: u64, elapsed_ms: u64) -> PropertyResult {
    PropertyResult {
        message: Some(message),
        ..fuzz_result(Outcome::NotRun, "all", cases, elapsed_ms)
    }
}

fn failed(found: Record, cases: u64, elapsed_ms: u64) -> PropertyResult {
    PropertyResult {
        kind: Some(found.kind.unwrap_or_else(|| "panic".into())),
        input: found.input,
        message: found.message,
        ..fuzz_result(Outcome::Fail, &found.property, cases, elapsed_ms)
    }
}

fn describe_status(status: Option<ExitStatus>) -> String {
    match status.and_then(|s| s.code()) {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_string(),
    }
}

fn last_lines(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" / ")
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
    let execs = outcome
        .execs
        .map(|e| format!(", {e} execs"))
        .unwrap_or_default();
    match r.outcome {
        Outcome::Pass => format!(
            "        pass {} (fuzz {}, {secs:.1} s{execs})",
            outcome.function, outcome.target
        ),
        Outcome::Fail => format!(
            "        FAIL {} (fuzz {}, {} after {secs:.1} s{execs})",
            outcome.function,
            outcome.target,
            r.kind.as_deref().unwrap_or("failure")
        ),
        Outcome::NotRun => format!(
            "     not run {} (fuzz {}): {}",
            outcome.function,
            outcome.target,
            r.message.as_deref().unwrap_or("")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> FuzzSettings {
        FuzzSettings {
            seconds: 60,
            workspace_root: PathBuf::from("/ws"),
            target_dir: PathBuf::from("/ws/target/abuse/fuzz"),
            sanitizer: Sanitizer::None,
            timeout_secs: 10,
            rss_limit_mb: 2048,
            quiet: true,
            verbose: false,
        }
    }

    fn strings(args: &[OsString]) -> Vec<String> {
        args.iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn host_triple_comes_from_the_host_line() {
        let out = "rustc 1.95.0 (59807616e 2026-04-14)\nbinary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.95.0\n";
        assert_eq!(parse_host(out).as_deref(), Some("x86_64-unknown-linux-gnu"));
        assert_eq!(parse_host("release: 1.95.0\n"), None);
    }

    #[test]
    fn stable_rustflags_trace_memcmp_and_keep_the_users_flags() {
        let flags = rustflags(Sanitizer::None, Some(" -Ctarget-cpu=native "));
        assert!(flags.starts_with("-Cpasses=sancov-module "));
        assert!(flags.contains("-Cllvm-args=-sanitizer-coverage-trace-compares"));
        assert!(flags.contains("-Cllvm-args=-max-loads-per-memcmp=0"));
        assert!(flags.contains("--cfg fuzzing"));
        assert!(flags.contains("-Cdebug-assertions"));
        assert!(flags.contains("-Ccodegen-units=1"));
        assert!(!flags.contains("-Zsanitizer"));
        assert!(flags.ends_with(" -Ctarget-cpu=native"));
        assert!(rustflags(Sanitizer::Address, None).ends_with("-Zsanitizer=address"));
    }

    #[test]
    fn build_names_the_host_target_explicitly() {
        let args = strings(&build_args(
            Path::new("/p/fuzz/Cargo.toml"),
            "x86_64-unknown-linux-gnu",
            Path::new("/t"),
            &["--bin", "a", "--bin", "b"],
        ));
        assert_eq!(
            args,
            [
                "build",
                "--release",
                "--manifest-path",
                "/p/fuzz/Cargo.toml",
                "--target",
                "x86_64-unknown-linux-gnu",
                "--target-dir",
                "/t",
                "--bin",
                "a",
                "--bin",
                "b"
            ]
        );
    }

    #[test]
    fn fuzz_args_put_the_corpus_before_the_seeds() {
        let paths = TargetPaths {
            corpus: PathBuf::from("/p/fuzz/corpus/parse"),
            seeds: Some(PathBuf::from("/p/fuzz/seeds/parse")),
            dict: Some(PathBuf::from("/p/fuzz/dict/parse.dict")),
            artifacts: PathBuf::from("/t/artifacts/p-1/parse"),
            records: PathBuf::from("/t/records/p-1/parse"),
            log: PathBuf::from("/t/logs/p-1/parse.log"),
        };
        let args = strings(&fuzz_args(&paths, &settings()));
        assert_eq!(
            args,
            [
                "-max_total_time=60",
                "-timeout=10",
                "-rss_limit_mb=2048",
                "-dict=/p/fuzz/dict/parse.dict",
                "-artifact_prefix=/t/artifacts/p-1/parse/",
                "-print_final_stats=1",
                "/p/fuzz/corpus/parse",
                "/p/fuzz/seeds/parse"
            ]
        );
        let no_extras = TargetPaths {
            seeds: None,
            dict: None,
            ..paths
        };
        let args = strings(&fuzz_args(
            &no_extras,
            &FuzzSettings {
                sanitizer: Sanitizer::Address,
                ..settings()
            },
        ));
        assert!(args.contains(&"-detect_leaks=0".to_string()));
        assert!(!args.iter().any(|a| a.starts_with("-dict=")));
        assert_eq!(
            args.last().map(String::as_str),
            Some("/p/fuzz/corpus/parse")
        );
    }

    #[test]
    fn minimizing_writes_to_the_exact_path_within_its_own_budget() {
        let args = strings(&minimize_args(
            Path::new("/a/crash-1"),
            Path::new("/a/minimized"),
            &settings(),
        ));
        assert_eq!(args[0], "-minimize_crash=1");
        assert!(args.contains(&"-max_total_time=15".to_string()));
        assert!(args.contains(&"-exact_artifact_path=/a/minimized".to_string()));
        assert_eq!(args.last().map(String::as_str), Some("/a/crash-1"));
        assert_eq!(minimize_secs(1), 5);
        assert_eq!(minimize_secs(3600), 60);
    }

    #[test]
    fn artifact_names_win_over_exit_codes() {
        assert_eq!(classify(Some(0), None), Stop::Done);
        assert_eq!(classify(Some(77), Some("crash-da39a3ee")), Stop::Crash);
        assert_eq!(classify(Some(70), Some("timeout-da39a3ee")), Stop::Timeout);
        assert_eq!(classify(Some(71), Some("oom-da39a3ee")), Stop::OutOfMemory);
        // ASan's malloc limit: out of memory with the crash exit code.
        assert_eq!(classify(Some(77), Some("oom-da39a3ee")), Stop::OutOfMemory);
        assert_eq!(classify(Some(70), None), Stop::Timeout);
        assert_eq!(classify(Some(71), None), Stop::OutOfMemory);
        assert_eq!(classify(Some(77), None), Stop::Error);
        assert_eq!(classify(Some(1), None), Stop::Error);
        assert_eq!(classify(None, None), Stop::Error);
        assert_eq!(classify(Some(77), Some("leak-1")), Stop::Leak);
    }

    #[test]
    fn final_stats_give_the_executions() {
        let log = "#16774325\tDONE   cov: 65 ft: 145\nDone 16774325 runs in 61 second(s)\n\
                   stat::number_of_executed_units: 16774325\nstat::average_exec_per_sec:     274988\n\
                   stat::peak_rss_mb:              27\n";
        assert_eq!(
            parse_stats(log),
            Stats {
                execs: Some(16_774_325),
                peak_rss_mb: Some(27)
            }
        );
        assert_eq!(parse_stats("Done 12 runs in 0 second(s)\n").execs, Some(12));
        assert_eq!(parse_stats("INFO: Seed: 1\n"), Stats::default());
    }

    #[test]
    fn summary_line_names_the_death() {
        let log = "==1== ERROR: libFuzzer: deadly signal\nSUMMARY: libFuzzer: deadly signal\nMS: 1 EraseBytes-;\n";
        assert_eq!(
            parse_summary(log).as_deref(),
            Some("libFuzzer: deadly signal")
        );
        assert_eq!(parse_summary("nothing"), None);
    }

    #[test]
    fn deaths_without_a_record_say_which_limit() {
        let s = settings();
        let (kind, msg) = death_message(Stop::Timeout, "", None, &s);
        assert_eq!(kind, "timeout");
        assert!(msg.contains("10 s"), "{msg}");
        let (kind, msg) = death_message(
            Stop::OutOfMemory,
            "",
            Some("libFuzzer: out-of-memory (used: 2100Mb; exceeds: 2048Mb)"),
            &s,
        );
        assert_eq!(kind, "alloc");
        assert!(msg.contains("2048 MiB") && msg.contains("exceeds"), "{msg}");
        let (kind, msg) = death_message(Stop::Crash, "", Some("libFuzzer: deadly signal"), &s);
        assert_eq!(kind, "crash");
        assert!(msg.contains("deadly signal"), "{msg}");
        let note =
            "abuse: allocation of 8589934592 bytes would pass the hard limit of 1073741824 bytes\n";
        assert_eq!(death_message(Stop::Crash, note, None, &s).0, "alloc");
    }

    #[test]
    fn records_and_artifacts_are_found_in_their_folders() {
        let dir = std::env::temp_dir().join(format!("abuse-fuzz-unit-{}", std::process::id()));
        fresh_dir(&dir).expect("temp dir");
        assert_eq!(find_artifact(&dir), None);
        fs::write(dir.join("slow-unit-1"), b"x").expect("write");
        fs::write(dir.join("minimized"), b"x").expect("write");
        assert_eq!(find_artifact(&dir), None);
        fs::write(dir.join("timeout-abc"), b"x").expect("write");
        assert_eq!(find_artifact(&dir), Some(dir.join("timeout-abc")));
        assert_eq!(read_record(&dir), None);
        fs::write(
            dir.join("f__no_panic__fuzz.json"),
            r#"{"test":"t","function":"f","property":"no_panic","outcome":"fail","kind":"panic","cases":1,"input":"(b\"A\".to_vec(),)","message":"boom","file":"src/lib.rs","line":3}"#,
        )
        .expect("write");
        let record = read_record(&dir).expect("record");
        assert_eq!(record.kind.as_deref(), Some("panic"));
        assert_eq!(record.input.as_deref(), Some("(b\"A\".to_vec(),)"));
        fs::remove_dir_all(&dir).expect("cleanup");
    }

    #[test]
    fn lockfile_gives_the_libfuzzer_version() {
        let lock =
            "version = 4\n\n[[package]]\nname = \"libc\"\nversion = \"0.2.1\"\n\n[[package]]\n\
                    name = \"libfuzzer-sys\"\nversion = \"0.4.13\"\nsource = \"registry+...\"\n";
        assert_eq!(
            locked_version(lock, "libfuzzer-sys").as_deref(),
            Some("0.4.13")
        );
        assert_eq!(locked_version(lock, "arbitrary"), None);
    }
}
