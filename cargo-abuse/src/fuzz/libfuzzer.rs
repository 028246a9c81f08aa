//! libFuzzer's interface: the arguments of each invocation, its exit codes and artifact names, and what its
//! log says (final statistics, the `SUMMARY:` line), classified into a [`Stop`] and a failure kind.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use crate::model::FailureKind;

use super::{FuzzSettings, Sanitizer, TargetPaths};

/// libFuzzer's exit code for a crash (`-error_exitcode`'s default).
const EXIT_CRASH: i32 = 77;
/// libFuzzer's exit code for a per-input timeout (`-timeout_exitcode`'s default).
const EXIT_TIMEOUT: i32 = 70;
/// libFuzzer's exit code for passing `-rss_limit_mb`.
pub(super) const EXIT_OOM: i32 = 71;

/// What the runtime's counting allocator prints before it makes the process abort on an absurd allocation.
const RUNTIME_ALLOC_NOTE: &str = "would pass the hard limit";

/// The limits every libFuzzer invocation gets.
pub(super) fn limit_args(settings: &FuzzSettings) -> Vec<OsString> {
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

/// The arguments of the fuzzing run: options first, then the corpus (written to) and the seeds (read only):
/// the generated ones, then the property tests' draws when the target wrote some (`drawn`).
pub(super) fn fuzz_args(
    paths: &TargetPaths,
    settings: &FuzzSettings,
    drawn: bool,
) -> Vec<OsString> {
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
    if drawn {
        args.push(paths.drawn.clone().into());
    }
    args
}

/// Arguments that minimise a crash into `out`.
pub(super) fn minimize_args(artifact: &Path, out: &Path, settings: &FuzzSettings) -> Vec<OsString> {
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
pub(super) fn minimize_secs(seconds: u64) -> u64 {
    (seconds / 4).clamp(5, 60)
}

/// What libFuzzer's exit says, before looking at records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
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
pub(super) fn classify(code: Option<i32>, artifact: Option<&str>) -> Stop {
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
pub(super) struct Stats {
    /// `stat::number_of_executed_units` (or the `Done N runs` line).
    pub(super) execs: Option<u64>,
    /// `stat::peak_rss_mb`.
    pub(super) peak_rss_mb: Option<u64>,
}

pub(super) fn parse_stats(log: &str) -> Stats {
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
pub(super) fn parse_summary(log: &str) -> Option<String> {
    log.lines()
        .filter_map(|l| l.trim().strip_prefix("SUMMARY: "))
        .next()
        .map(|s| s.trim().to_string())
}

/// The artifact libFuzzer wrote (ignoring `slow-unit-` reports and our own `minimized`).
pub(super) fn find_artifact(dir: &Path) -> Option<PathBuf> {
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

/// The kind and message of a failure that left no record.
pub(super) fn death_message(
    stop: Stop,
    log: &str,
    summary: Option<&str>,
    settings: &FuzzSettings,
) -> (FailureKind, String) {
    let limit = settings.rss_limit_mb;
    match stop {
        Stop::Timeout => {
            let secs = settings.timeout_secs.max(1);
            let msg = format!("no result within {secs} s for one input (libFuzzer -timeout)");
            (FailureKind::Timeout, msg)
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
            (FailureKind::Alloc, msg)
        }
        Stop::Leak => (
            FailureKind::Alloc,
            format!("memory leak: {}", summary.unwrap_or("-")),
        ),
        _ if log.contains(RUNTIME_ALLOC_NOTE) => {
            let note = log.lines().find(|l| l.contains(RUNTIME_ALLOC_NOTE));
            let note = note.unwrap_or_default().trim();
            (
                FailureKind::Alloc,
                format!("aborted on an absurd allocation: {note}"),
            )
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
            (FailureKind::Crash, msg)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::tests::{settings, strings};

    #[test]
    fn fuzz_args_put_the_corpus_before_the_seeds() {
        let paths = TargetPaths {
            corpus: PathBuf::from("/p/fuzz/corpus/parse"),
            seeds: Some(PathBuf::from("/p/fuzz/seeds/parse")),
            drawn: PathBuf::from("/t/drawn/p-1/parse"),
            dict: Some(PathBuf::from("/p/fuzz/dict/parse.dict")),
            artifacts: PathBuf::from("/t/artifacts/p-1/parse"),
            records: PathBuf::from("/t/records/p-1/parse"),
            log: PathBuf::from("/t/logs/p-1/parse.log"),
        };
        let args = strings(&fuzz_args(&paths, &settings(), true));
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
                "/p/fuzz/seeds/parse",
                "/t/drawn/p-1/parse"
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
            false,
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
        assert_eq!(kind, FailureKind::Timeout);
        assert!(msg.contains("10 s"), "{msg}");
        let (kind, msg) = death_message(
            Stop::OutOfMemory,
            "",
            Some("libFuzzer: out-of-memory (used: 2100Mb; exceeds: 2048Mb)"),
            &s,
        );
        assert_eq!(kind, FailureKind::Alloc);
        assert!(msg.contains("2048 MiB") && msg.contains("exceeds"), "{msg}");
        let (kind, msg) = death_message(Stop::Crash, "", Some("libFuzzer: deadly signal"), &s);
        assert_eq!(kind, FailureKind::Crash);
        assert!(msg.contains("deadly signal"), "{msg}");
        let note =
            "abuse: allocation of 8589934592 bytes would pass the hard limit of 1073741824 bytes\n";
        assert_eq!(
            death_message(Stop::Crash, note, None, &s).0,
            FailureKind::Alloc
        );
    }
}
