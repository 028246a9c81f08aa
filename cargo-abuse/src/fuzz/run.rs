//! std::process for the fuzz binaries: runs one target within its budget, minimises a crash, replays an
//! artifact with its input traced, and reads back the records the harness wrote (`abuse_record::Record`).

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use abuse_record::Record;
use anyhow::{Context, Result};

use crate::model::{Checked, FailureKind, Outcome, Property, PropertyResult, ResultSource};

use super::libfuzzer::{
    classify, death_message, find_artifact, fuzz_args, limit_args, minimize_args, minimize_secs,
    parse_stats, parse_summary, Stop, EXIT_OOM,
};
use super::{describe_status, shown_path, FuzzOutcome, FuzzSettings, FuzzTarget, TargetPaths};

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
        .find(|r| r.outcome == abuse_record::Outcome::Fail)
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
    envs: &[(&str, &OsStr)],
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
    let mut child = cmd
        .spawn()
        .with_context(|| format!("could not run {}", bin.display()))?;
    // A failure to wait is a run without an exit status, as a stopped one.
    let status = crate::process::wait_until(&mut child, started + deadline, |c| {
        let _ = c.kill();
    })
    .ok()
    .flatten();
    let elapsed = started.elapsed();
    let log = String::from_utf8_lossy(&fs::read(log).unwrap_or_default()).into_owned();
    Ok(Finished {
        status,
        log,
        elapsed,
    })
}

/// `envs` plus the known causes of a later round ([`abuse_record::KNOWN_CAUSES_ENV`]): its fuzzing, minimising
/// and replays all pass over them.
fn with_known<'a>(
    mut envs: Vec<(&'a str, &'a OsStr)>,
    known: Option<&'a str>,
) -> Vec<(&'a str, &'a OsStr)> {
    if let Some(known) = known {
        envs.push((abuse_record::KNOWN_CAUSES_ENV, OsStr::new(known)));
    }
    envs
}

/// Fuzzes one target and classifies what happened; never fails (a run that cannot happen is `NotRun`).
pub(super) fn run_target(target: &FuzzTarget, bin: &Path, settings: &FuzzSettings) -> FuzzOutcome {
    let paths = TargetPaths::new(target, &settings.target_dir);
    match fuzz_and_classify(target, bin, &paths, settings) {
        Ok(outcome) => outcome,
        Err(err) => FuzzOutcome {
            function: target.function.clone(),
            target: target.name.clone(),
            result: not_run(format!("{err:#}"), 0, 0),
            artifact: None,
            execs: None,
            drawn: 0,
            more: Vec::new(),
        },
    }
}

fn fuzz_and_classify(
    target: &FuzzTarget,
    bin: &Path,
    paths: &TargetPaths,
    settings: &FuzzSettings,
) -> Result<FuzzOutcome> {
    // libFuzzer writes new inputs there: not through a link out of the package.
    let corpus_in_package = paths
        .corpus
        .strip_prefix(&target.package_dir)
        .unwrap_or(&paths.corpus);
    crate::write::ensure_inside(&target.package_dir, corpus_in_package)?;
    fs::create_dir_all(&paths.corpus)
        .with_context(|| format!("creating {}", paths.corpus.display()))?;
    fresh_dir(&paths.artifacts)?;
    let drawn = draw_seeds(target, bin, paths, settings);
    let first = fuzz_round(
        bin,
        paths,
        settings,
        &RoundSpec::first(settings.seconds, drawn > 0),
    )?;
    let mut outcome = FuzzOutcome {
        function: target.function.clone(),
        target: target.name.clone(),
        result: first.result,
        artifact: first.artifact,
        execs: first.execs,
        drawn,
        more: Vec::new(),
    };
    if let Some(second) = second_round(bin, paths, settings, &outcome.result, first.elapsed)? {
        outcome.more.push(second);
    }
    Ok(outcome)
}

/// How one libFuzzer round runs.
struct RoundSpec {
    /// Fuzzing time.
    seconds: u64,
    /// Whether the drawn seeds are a corpus of the round.
    drawn: bool,
    /// `-max_len`, when the round caps it.
    max_len: Option<usize>,
    /// [`abuse_record::KNOWN_CAUSES_ENV`]'s value: the failures the target passes over.
    known: Option<String>,
}

impl RoundSpec {
    fn first(seconds: u64, drawn: bool) -> RoundSpec {
        RoundSpec {
            seconds,
            drawn,
            max_len: None,
            known: None,
        }
    }
}

/// What one libFuzzer round found.
struct RoundResult {
    result: PropertyResult,
    artifact: Option<PathBuf>,
    execs: Option<u64>,
    elapsed: Duration,
}

/// The least fuzzing time a second round is worth.
const SECOND_ROUND_MIN_SECS: u64 = 3;
/// A second round's `-max_len`: libFuzzer's own default for a corpus of small inputs. The inputs that
/// overflowed the stack in the first round were deep nestings much longer than this.
const SECOND_ROUND_MAX_LEN: usize = 4096;

/// libFuzzer stops at its first failure: when that came early, the time left goes to a second round that looks
/// for another root cause, with the first one's failure passed over by the target (the runtime compares kind
/// and panic site) and without the drawn seeds or inputs over [`SECOND_ROUND_MAX_LEN`] bytes (a stack overflow
/// cannot be passed over; it needs a deep input). A crash, timeout or allocation again is the same failure:
/// nothing is added. The result is the second root cause (`root_cause: 2`).
fn second_round(
    bin: &Path,
    paths: &TargetPaths,
    settings: &FuzzSettings,
    first: &PropertyResult,
    first_elapsed: Duration,
) -> Result<Option<PropertyResult>> {
    let left = settings.seconds.saturating_sub(first_elapsed.as_secs());
    let Some(first_kind) = first.kind.filter(|_| first.outcome == Outcome::Fail) else {
        return Ok(None);
    };
    if left < SECOND_ROUND_MIN_SECS {
        return Ok(None);
    }
    let known = abuse_record::known_causes_text([(
        first_kind.as_str(),
        first.message.as_deref().unwrap_or(""),
    )]);
    let mut round_paths = paths.clone();
    round_paths.artifacts = paths.artifacts.join("round-2");
    round_paths.records = paths.records.join("round-2");
    round_paths.log = paths.log.with_extension("round-2.log");
    fresh_dir(&round_paths.artifacts)?;
    let spec = RoundSpec {
        seconds: left,
        drawn: false,
        max_len: Some(SECOND_ROUND_MAX_LEN),
        known: Some(known),
    };
    let second = fuzz_round(bin, &round_paths, settings, &spec)?;
    let r = second.result;
    if !another_cause(first_kind, &r) {
        return Ok(None);
    }
    Ok(Some(PropertyResult {
        elapsed_ms: first_elapsed.as_millis() as u64 + r.elapsed_ms,
        cases: first.cases + r.cases,
        root_cause: Some(2),
        ..r
    }))
}

/// Whether a second round's result is a failure of another root cause than the first round's `first_kind`. The
/// target passed over panics and property failures of the first root cause; a crash, timeout or allocation it
/// cannot pass over, so one of those again is the first failure once more.
fn another_cause(first_kind: FailureKind, second: &PropertyResult) -> bool {
    let unskippable = matches!(
        first_kind,
        FailureKind::Crash | FailureKind::Timeout | FailureKind::Alloc
    );
    second.outcome == Outcome::Fail && !(unskippable && second.kind == Some(first_kind))
}

/// Runs libFuzzer once as `spec` says and classifies how it ended.
fn fuzz_round(
    bin: &Path,
    paths: &TargetPaths,
    settings: &FuzzSettings,
    spec: &RoundSpec,
) -> Result<RoundResult> {
    let run_records = paths.records.join("run");
    fresh_dir(&run_records)?;
    let settings = &FuzzSettings {
        seconds: spec.seconds,
        ..settings.clone()
    };
    let timeout = Duration::from_secs(settings.timeout_secs.max(1));
    // libFuzzer stops itself; the deadline only catches a process that does not.
    let deadline = Duration::from_secs(settings.seconds) + timeout * 2 + Duration::from_secs(30);
    let mut args = fuzz_args(paths, settings, spec.drawn);
    if let Some(max_len) = spec.max_len {
        args.insert(0, format!("-max_len={max_len}").into());
    }
    let known = spec.known.as_deref();
    let envs = with_known(vec![("ABUSE_RECORDS", run_records.as_os_str())], known);
    let run = run_logged(bin, &args, &envs, &paths.log, deadline)?;
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
    let outcome = |result: PropertyResult, artifact: Option<PathBuf>| RoundResult {
        result,
        artifact,
        execs: stats.execs,
        elapsed: run.elapsed,
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
            let (record, artifact) = minimize(bin, &artifact, record, paths, settings, known);
            let res = failed(record.into(), cases, elapsed_ms);
            return Ok(outcome(res, Some(artifact)));
        }
    }

    // No record: the input never returned (hang, memory) or killed the process. Replay it traced.
    let trace = replay_traced(bin, &artifact, paths, settings, known);
    if let Some(record) = trace.record.filter(|_| stop == Stop::Crash) {
        let res = failed(record.into(), cases, elapsed_ms);
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
    let found = Found {
        property: Property::NoPanic,
        kind,
        input: trace.input,
        message: Some(message),
    };
    let res = failed(found, cases, elapsed_ms);
    Ok(outcome(res, Some(artifact)))
}

/// The stream the drawn seeds come from: not the property run's own (`seed`, then `seed + k × φ` per round),
/// whose cases already ran.
fn drawn_seed(seed: u64) -> u64 {
    seed ^ 0xD1B5_4A32_D192_ED03
}

/// Has the target draw inputs from its property tests' strategy into `paths.drawn` (the runtime's
/// `fuzz::emit_seeds`, in the target's libFuzzer `init`); returns how many it wrote. Targets generated
/// without that `init` (inputs `arbitrary` decodes field by field) are not started. Never fails: without
/// drawn seeds, fuzzing starts from the generated ones as before.
fn draw_seeds(
    target: &FuzzTarget,
    bin: &Path,
    paths: &TargetPaths,
    settings: &FuzzSettings,
) -> usize {
    let source = target
        .package_dir
        .join("fuzz")
        .join("fuzz_targets")
        .join(format!("{}.rs", target.name));
    let draws = fs::read_to_string(&source).is_ok_and(|s| s.contains("emit_seeds"));
    if !draws || fresh_dir(&paths.drawn).is_err() {
        return 0;
    }
    let seed = drawn_seed(settings.seed).to_string();
    let envs: [(&str, &OsStr); 2] = [
        ("ABUSE_EMIT_SEEDS", paths.drawn.as_os_str()),
        ("ABUSE_SEED", OsStr::new(&seed)),
    ];
    let log = paths.log.with_extension("draw.log");
    // `init` exits before libFuzzer reads anything; `-runs=0` keeps an old binary from fuzzing.
    let args = [OsString::from("-runs=0")];
    match run_logged(bin, &args, &envs, &log, Duration::from_secs(60)) {
        Ok(done) if done.status.is_some_and(|s| s.success()) => {
            fs::read_dir(&paths.drawn).map(|d| d.count()).unwrap_or(0)
        }
        _ => 0,
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
    known: Option<&str>,
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
        &with_known(vec![("ABUSE_RECORDS", min_records.as_os_str())], known),
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
        &with_known(vec![("ABUSE_RECORDS", replay_records.as_os_str())], known),
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
    known: Option<&str>,
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
    let envs = with_known(
        vec![
            ("ABUSE_RECORDS", records.as_os_str()),
            ("ABUSE_TRACE_INPUT", trace.as_os_str()),
        ],
        known,
    );
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

/// What a failing run found: the harness's record, or how the process died when it left none.
#[derive(Debug, Clone, PartialEq)]
struct Found {
    property: Property,
    kind: FailureKind,
    input: Option<String>,
    message: Option<String>,
}

impl From<Record> for Found {
    fn from(record: Record) -> Found {
        Found {
            property: record.property,
            // A failing record always has a kind; a panic is what a fuzz target's abort most often is.
            kind: record.kind.unwrap_or(FailureKind::Panic),
            input: record.input,
            message: record.message,
        }
    }
}

/// A fuzz result with nothing found yet.
fn fuzz_result(outcome: Outcome, property: Checked, cases: u64, elapsed_ms: u64) -> PropertyResult {
    PropertyResult {
        property,
        source: ResultSource::Fuzz,
        outcome,
        kind: None,
        cases,
        rejected: 0,
        elapsed_ms,
        input: None,
        message: None,
        first_failure_ms: None,
        input_size: None,
        same_as: None,
        root_cause: None,
    }
}

/// Nothing found: `property` is `all`, as the target checks every property of the function.
fn passed(cases: u64, elapsed_ms: u64) -> PropertyResult {
    fuzz_result(Outcome::Pass, Checked::All, cases, elapsed_ms)
}

fn not_run(message: String, cases: u64, elapsed_ms: u64) -> PropertyResult {
    PropertyResult {
        message: Some(message),
        ..fuzz_result(Outcome::NotRun, Checked::All, cases, elapsed_ms)
    }
}

fn failed(found: Found, cases: u64, elapsed_ms: u64) -> PropertyResult {
    PropertyResult {
        kind: Some(found.kind),
        input: found.input,
        message: found.message,
        ..fuzz_result(Outcome::Fail, found.property.into(), cases, elapsed_ms)
    }
}

fn last_lines(log: &str, n: usize) -> String {
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" / ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the runtime writes, `run` and this module read with the same type: one check that passes and one
    /// that fails, run in-process by `abuse_runtime` itself.
    #[test]
    fn records_the_runtime_writes_are_read_back_by_run_and_fuzz() {
        use abuse_runtime::proptest::test_runner::TestCaseError;
        use abuse_runtime::{check, Settings, Target};
        const T: Target = Target {
            function: "demo::parse",
            file: "src/lib.rs",
            line: 7,
            prompt: "",
            author: "",
            test_owner: "",
            fingerprint: "0123456789abcdef",
        };
        let dir = tempfile::tempdir().expect("temp dir");
        // No other test of this binary runs the runtime or reads these variables.
        let vars = [
            ("ABUSE_RECORDS", dir.path().as_os_str()),
            ("ABUSE_NO_FORK", "1".as_ref()),
            ("ABUSE_SEED", "7".as_ref()),
            ("ABUSE_CASES", "8".as_ref()),
        ];
        for (key, value) in vars {
            std::env::set_var(key, value);
        }
        let settings = Settings::default();
        check(
            &T,
            Property::NoPanic,
            &settings,
            "demo::parse_no_panic",
            (0u8..10,),
            |_| Ok(()),
        );
        let failing = std::panic::catch_unwind(|| {
            check(
                &T,
                Property::Roundtrip,
                &settings,
                "demo::parse_roundtrip",
                (0u8..10,),
                |(x,)| {
                    if x >= 3 {
                        Err(TestCaseError::fail("not equal"))
                    } else {
                        Ok(())
                    }
                },
            )
        });
        for (key, _) in vars {
            std::env::remove_var(key);
        }
        assert!(failing.is_err(), "a failing check panics");

        let records = crate::run::read_records(dir.path()).expect("records read");
        assert_eq!(records.len(), 2, "{records:?}");
        let (pass, fail) = (&records[0], &records[1]);
        assert_eq!(
            (
                pass.test.as_str(),
                pass.property,
                pass.outcome,
                pass.kind,
                pass.cases
            ),
            (
                "demo::parse_no_panic",
                Property::NoPanic,
                abuse_record::Outcome::Pass,
                None,
                8
            )
        );
        assert_eq!(
            (fail.property, fail.outcome, fail.kind),
            (
                Property::Roundtrip,
                abuse_record::Outcome::Fail,
                Some(FailureKind::Property)
            )
        );
        assert_eq!(fail.input.as_deref(), Some("(3u8,)"));
        assert_eq!(fail.message.as_deref(), Some("not equal"));
        assert_eq!(
            (
                fail.function.as_str(),
                fail.file.as_str(),
                fail.line,
                fail.fingerprint.as_str()
            ),
            ("demo::parse", "src/lib.rs", 7, "0123456789abcdef")
        );
        assert_eq!(fail.seed, 7);
        // The shrunk input's size (one number) and the time to the first failure travel with it.
        assert_eq!((pass.input_size, fail.input_size), (None, Some(1)));
        assert!(fail.first_failure_ms.is_some(), "{fail:?}");
        let shown = crate::run::property_result_of(fail);
        assert_eq!(
            (shown.input_size, shown.first_failure_ms),
            (Some(1), fail.first_failure_ms)
        );
        assert_eq!(read_record(dir.path()).as_ref(), Some(fail));
        let result = failed(fail.clone().into(), 1, 2);
        assert_eq!(
            (result.property, result.kind, result.outcome),
            (
                Checked::One(Property::Roundtrip),
                Some(FailureKind::Property),
                Outcome::Fail
            )
        );
    }

    #[test]
    fn a_second_round_adds_only_a_failure_of_another_root_cause() {
        let second = |kind| {
            failed(
                Found {
                    property: Property::NoPanic,
                    kind,
                    input: None,
                    message: Some("panicked at src/lib.rs:9:1".into()),
                },
                1,
                1,
            )
        };
        // The target passed over the first panic's site: a panic now is another site.
        assert!(another_cause(
            FailureKind::Panic,
            &second(FailureKind::Panic)
        ));
        assert!(another_cause(
            FailureKind::Crash,
            &second(FailureKind::Panic)
        ));
        assert!(another_cause(
            FailureKind::Panic,
            &second(FailureKind::Crash)
        ));
        // A crash, timeout or allocation cannot be passed over: the same kind again is the first failure.
        for kind in [FailureKind::Crash, FailureKind::Timeout, FailureKind::Alloc] {
            assert!(!another_cause(kind, &second(kind)), "{kind:?}");
        }
        assert!(!another_cause(FailureKind::Panic, &passed(10, 10)));
        assert!(!another_cause(
            FailureKind::Panic,
            &not_run("no input".into(), 0, 0)
        ));
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
        assert_eq!(record.kind, Some(FailureKind::Panic));
        assert_eq!(record.input.as_deref(), Some("(b\"A\".to_vec(),)"));
        fs::remove_dir_all(&dir).expect("cleanup");
    }
}
