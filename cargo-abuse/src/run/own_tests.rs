//! std::process: tagged `#[test]` functions, run as they are. A test is a property already (its own
//! assertions), so `gen` writes it no harness; `run` builds the library's unit tests once and runs each
//! tagged test alone by its exact libtest name (`cargo test --lib -- --exact`), so an abort such as a stack
//! overflow ends only its own process. libtest's line for the test is the outcome, its captured panic the
//! message. Each test gets 300 s (libtest has no limit on stable): past that it is stopped and reported.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use super::{cargo_test, in_shard, list_tests, live_line, BuildFailed, HarnessTarget, LiveWord};
use super::{fn_result, RunSettings};
use crate::model::{
    Checked, FailureKind, FnResult, Inventory, Outcome, Property, PropertyResult, ResultSource,
    TaggedFn,
};

/// One row per tagged test of the inventory in this shard (`plan::is_own_test`).
pub fn run_own_tests(inventory: &Inventory, settings: &RunSettings) -> Result<Vec<FnResult>> {
    let mut rows = Vec::new();
    for package in &inventory.packages {
        let tests: Vec<&TaggedFn> = package
            .functions
            .iter()
            .filter(|f| crate::plan::is_own_test(f, package) && in_shard(&f.path, settings.shard))
            .collect();
        if tests.is_empty() {
            continue;
        }
        let manifest = settings.workspace_root.join(&package.manifest);
        if !settings.quiet {
            eprintln!(
                "     Running {} tagged tests of `{}` as they are",
                tests.len(),
                package.name
            );
        }
        let listed = match list_tests(&manifest, HarnessTarget::InCrate, settings) {
            Ok(listed) => listed,
            Err(err) => {
                let why = match err.downcast_ref::<BuildFailed>() {
                    Some(failed) => first_error(&failed.stderr),
                    None => format!("{err:#}"),
                };
                let why = format!("the library's unit tests do not build: {why}");
                for f in tests {
                    rows.push(fn_result(
                        package,
                        f,
                        vec![test_result(Outcome::NotRun, None, 0, Some(why.clone()))],
                    ));
                }
                continue;
            }
        };
        for f in tests {
            let result = if listed.contains(&f.path) {
                run_one(&manifest, f, settings)?
            } else {
                test_result(
                    Outcome::NotRun,
                    None,
                    0,
                    Some(format!(
                        "the library's unit tests have no test `{}` (a `cfg` this build does not set?)",
                        f.path
                    )),
                )
            };
            if !settings.quiet {
                let word = match result.outcome {
                    Outcome::Pass => LiveWord::Ok,
                    Outcome::Fail => LiveWord::Failed,
                    Outcome::NotRun => LiveWord::NotRun,
                };
                let display = format!("{}::{}", f.crate_name, f.path);
                let reason = (result.outcome == Outcome::NotRun)
                    .then_some(result.message.as_deref())
                    .flatten();
                let property = Some(("test", result.cases, result.elapsed_ms));
                eprintln!("{}", live_line(word, &display, property, reason));
            }
            rows.push(fn_result(package, f, vec![result]));
        }
    }
    Ok(rows)
}

/// How long one tagged test may run: libtest has no limit on stable, and a hung test must not hang the CI
/// step. Generous, since a unit test this slow is usually `#[ignore]`d.
const TEST_LIMIT: Duration = Duration::from_secs(300);

/// `cmd`'s output, or `None` when it ran past `limit`: then it is stopped with everything it started (cargo
/// runs the test binary as its child, which killing cargo alone would leave running).
fn output_within(mut cmd: Command, limit: Duration) -> std::io::Result<Option<Output>> {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let status = crate::process::wait_until(&mut child, Instant::now() + limit, stop_group)?;
    let stdout = stdout.join().unwrap_or_default();
    let stderr = stderr.join().unwrap_or_default();
    Ok(status.map(|status| Output {
        status,
        stdout,
        stderr,
    }))
}

/// Reads `pipe` to its end on its own thread, so a full pipe never blocks the child.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_end(&mut bytes);
        }
        bytes
    })
}

/// Kills `child` and, on unix, its process group (the group `output_within` made it lead).
fn stop_group(child: &mut Child) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .stderr(Stdio::null())
        .status();
    let _ = child.kill();
}

/// Runs one test alone and reads its outcome from libtest's output.
fn run_one(manifest: &Path, f: &TaggedFn, settings: &RunSettings) -> Result<PropertyResult> {
    let mut cmd = cargo_test(manifest, HarnessTarget::InCrate, settings);
    // `cargo test --quiet` makes libtest terse (a dot per test): ask for the line that names the test.
    cmd.args(["--", "--exact", "--format", "pretty", &f.path])
        .env("RUST_BACKTRACE", "0");
    let started = Instant::now();
    let Some(output) =
        output_within(cmd, TEST_LIMIT).with_context(|| format!("running the test `{}`", f.path))?
    else {
        return Ok(test_result(
            Outcome::Fail,
            Some(FailureKind::Timeout),
            TEST_LIMIT.as_millis() as u64,
            Some(format!(
                "did not finish within {} s (each tagged test gets {} s; `#[ignore]` a test this slow)",
                TEST_LIMIT.as_secs(),
                TEST_LIMIT.as_secs()
            )),
        ));
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let elapsed_ms = libtest_seconds(&stdout)
        .map(|s| (s * 1000.0) as u64)
        .unwrap_or_else(|| started.elapsed().as_millis() as u64);
    Ok(judge(
        &f.path,
        &stdout,
        &stderr,
        output.status.success(),
        elapsed_ms,
    ))
}

/// The outcome libtest printed for `name`: `ok`, `FAILED` (with the captured panic), `ignored`; a process
/// that ended without a line for it crashed (a stack overflow aborts the whole test binary).
fn judge(name: &str, stdout: &str, stderr: &str, success: bool, elapsed_ms: u64) -> PropertyResult {
    let status = stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("test {name} ... ")))
        .map(str::trim);
    match status {
        Some("ok") => test_result(Outcome::Pass, None, elapsed_ms, None),
        Some(s) if s.starts_with("ignored") => test_result(
            Outcome::NotRun,
            None,
            0,
            Some("libtest ignored it".to_string()),
        ),
        Some(_) => test_result(
            Outcome::Fail,
            Some(FailureKind::Panic),
            elapsed_ms,
            Some(failure_message(name, stdout)),
        ),
        None if !success => {
            let last = stderr
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("error: test failed"))
                .find(|l| {
                    l.contains("overflowed its stack") || l.starts_with("fatal runtime error")
                })
                .or_else(|| stderr.lines().map(str::trim).rfind(|l| !l.is_empty()))
                .unwrap_or("the test process ended without a result");
            let last = without_thread_id(last);
            test_result(
                Outcome::Fail,
                Some(FailureKind::Crash),
                elapsed_ms,
                Some(last),
            )
        }
        None => test_result(
            Outcome::NotRun,
            None,
            0,
            Some("libtest printed no result for it".to_string()),
        ),
    }
}

/// What the failed test printed, from its `---- name stdout ----` section: `panicked at <place>: <message>`
/// (Rust 1.73 and later print the place first), else the section's first lines (a test returning `Err`).
fn failure_message(name: &str, stdout: &str) -> String {
    let header = format!("---- {name} stdout ----");
    let section: Vec<&str> = stdout
        .lines()
        .skip_while(|l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.starts_with("---- ") && l.trim() != "failures:")
        .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
        .collect();
    let panic_at = section
        .iter()
        .position(|l| l.starts_with("thread '") && l.contains(" panicked at "));
    let lines: Vec<&str> = match panic_at {
        Some(at) => {
            let place = section[at]
                .split_once(" panicked at ")
                .map_or("", |(_, rest)| rest.trim_end_matches(':'));
            let message: Vec<&str> = section[at + 1..]
                .iter()
                .copied()
                .take_while(|l| !l.trim().is_empty())
                .collect();
            let first = format!(
                "panicked at {place}: {}",
                message.first().copied().unwrap_or("")
            );
            return std::iter::once(first.trim_end_matches(": ").to_string())
                .chain(message.iter().skip(1).take(4).map(|l| l.to_string()))
                .collect::<Vec<_>>()
                .join("\n");
        }
        None => section
            .into_iter()
            .filter(|l| !l.trim().is_empty())
            .take(5)
            .collect(),
    };
    if lines.is_empty() {
        "the test failed without printing why".to_string()
    } else {
        lines.join("\n")
    }
}

/// `thread 'x' has overflowed its stack` from `thread 'x' (16194) has ...` (Rust 1.88 and later print the
/// thread's id, which differs from run to run: one root cause must read the same every time).
fn without_thread_id(line: &str) -> String {
    let Some((head, rest)) = line
        .strip_prefix("thread '")
        .and_then(|rest| rest.split_once("' ("))
    else {
        return line.to_string();
    };
    match rest.split_once(") ") {
        Some((id, tail)) if id.bytes().all(|b| b.is_ascii_digit()) => {
            format!("thread '{head}' {tail}")
        }
        _ => line.to_string(),
    }
}

/// libtest's `finished in 0.12s` of the run's summary.
fn libtest_seconds(stdout: &str) -> Option<f64> {
    stdout
        .lines()
        .filter(|l| l.starts_with("test result:"))
        .find_map(|l| l.rsplit_once("finished in "))
        .and_then(|(_, s)| s.trim().trim_end_matches('s').parse().ok())
}

/// cargo's first `error` line.
fn first_error(stderr: &str) -> String {
    stderr
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("error"))
        .unwrap_or("cargo failed without a message")
        .to_string()
}

fn test_result(
    outcome: Outcome,
    kind: Option<FailureKind>,
    elapsed_ms: u64,
    message: Option<String>,
) -> PropertyResult {
    PropertyResult {
        property: Checked::One(Property::Test),
        source: ResultSource::Proptest,
        outcome,
        kind,
        cases: u64::from(outcome != Outcome::NotRun),
        rejected: 0,
        elapsed_ms,
        input: None,
        message,
        first_failure_ms: (outcome == Outcome::Fail).then_some(elapsed_ms),
        input_size: None,
        same_as: None,
        root_cause: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILED: &str = "
running 1 test
test int::tests::reverse_bits ... FAILED

failures:

---- int::tests::reverse_bits stdout ----

thread 'int::tests::reverse_bits' (4242) panicked at src/int.rs:521:9:
assertion `left == right` failed
  left: 1
 right: 2
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace


failures:
    int::tests::reverse_bits

test result: FAILED. 0 passed; 1 failed; 0 ignored; 0 measured; 41 filtered out; finished in 0.25s
";

    #[test]
    fn a_failed_test_reports_its_panic_and_place() {
        let r = judge(
            "int::tests::reverse_bits",
            FAILED,
            "error: test failed, to rerun pass `--lib`",
            false,
            250,
        );
        assert_eq!(
            (r.outcome, r.kind, r.cases),
            (Outcome::Fail, Some(FailureKind::Panic), 1)
        );
        assert_eq!(
            r.message.as_deref(),
            Some("panicked at src/int.rs:521:9: assertion `left == right` failed\n  left: 1\n right: 2")
        );
        assert_eq!(libtest_seconds(FAILED), Some(0.25));
        // Before Rust 1.88 the thread has no id.
        let older = FAILED.replace(" (4242)", "");
        assert_eq!(
            judge("int::tests::reverse_bits", &older, "", false, 250).message,
            r.message
        );
    }

    #[test]
    fn a_passing_test_passes_and_another_name_is_not_its_line() {
        let out = "running 1 test\ntest tests::a ... ok\n\ntest result: ok. 1 passed; 0 failed; finished in 0.00s\n";
        assert_eq!(judge("tests::a", out, "", true, 0).outcome, Outcome::Pass);
        // `tests::a` is not `tests::ab`: an exact name or no outcome.
        assert_eq!(
            judge("tests::ab", out, "", true, 0).outcome,
            Outcome::NotRun
        );
    }

    #[test]
    fn a_test_that_aborts_is_a_crash_with_the_runtime_message() {
        let stderr = "\nthread 'tests::deep' (16194) has overflowed its stack\nfatal runtime error: stack overflow\nerror: test failed, to rerun pass `--lib`\n";
        let r = judge("tests::deep", "running 1 test\n", stderr, false, 40);
        assert_eq!(
            (r.outcome, r.kind),
            (Outcome::Fail, Some(FailureKind::Crash))
        );
        assert_eq!(
            r.message.as_deref(),
            Some("thread 'tests::deep' has overflowed its stack")
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_command_past_its_limit_is_stopped_with_its_children() {
        // A shell that starts a child which outlives it unless its group is killed.
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "sleep 30 & echo started; wait"]);
        let started = Instant::now();
        let out = output_within(cmd, Duration::from_millis(300)).expect("runs");
        assert!(out.is_none());
        // The pipes closed, so the `sleep` holding them is gone too.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );

        let mut quick = Command::new("sh");
        quick.args(["-c", "echo out; echo err >&2"]);
        let out = output_within(quick, Duration::from_secs(30))
            .expect("runs")
            .expect("in time");
        assert_eq!(
            (out.stdout.as_slice(), out.stderr.as_slice()),
            (&b"out\n"[..], &b"err\n"[..])
        );
    }

    #[test]
    fn a_test_returning_err_reports_what_it_printed() {
        let out = "test t ... FAILED\n\nfailures:\n\n---- t stdout ----\nError: \"bad header\"\n\n\nfailures:\n    t\n";
        let r = judge("t", out, "", false, 1);
        assert_eq!(r.message.as_deref(), Some("Error: \"bad header\""));
    }
}
