//! The checks: `check` runs a property over a strategy in a forked child with every call measured,
//! `replay` runs one stored value, plus the `setup`, `ensures` and `block_on` helpers.
//!
//! How outcomes travel from a forked child to the parent: proptest's own fork file keeps only pass / fail /
//! reject per step, so each child also appends to a *case log* (`$TMPDIR/abuse-<parent pid>-<test>.log`):
//! `S <hash>` before a call (hash of the input's Rust expression), then `O`, `R <msg>` or `F <kind> <msg>`
//! after it, or `D <kind> <msg>` when the child is about to die (watchdog timeout, absurd allocation). An `S`
//! with nothing after it is a crash. The parent reads the log once proptest has shrunk, and finds the entry
//! of the shrunk input by its hash.

use std::fmt::Debug;
use std::fs::{File, OpenOptions};
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

use crate::expr::RustExpr;
use crate::measure::{self, now_ms};
use crate::record::{self, FailureKind, Outcome, Record};
use crate::timeout;

/// The variable proptest sets in a forked child.
pub(crate) const FORK_ENV: &str = "_PROPTEST_FORKFILE";

/// Timeouts a shrinking run may still spend once one call has hung (each costs the full time limit).
const HANG_SHRINK_BUDGET: usize = 3;
/// Child deaths (crashes, aborts, timeouts) after which shrinking stops trying new inputs.
const DEATH_SHRINK_BUDGET: usize = 32;
/// Wall time shrinking may take after the first failure before it stops trying new inputs. proptest's own
/// `max_shrink_time` cannot be used: measured per forked child, it desynchronises the parent's replay.
const SHRINK_BUDGET_MS: u64 = 10_000;
/// Rounds of new cases after rounds ended by an allocation the caller asked for (the `requested` death kind).
const REQUESTED_ROUNDS: u32 = 64;

/// Who and what is under test (all `'static` literals in generated code).
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// Path of the function, e.g. `parse_port` or `Config::load`.
    pub function: &'static str,
    /// Source file, relative to the package.
    pub file: &'static str,
    /// Line of the function.
    pub line: u32,
    /// The prompt (the spec).
    pub prompt: &'static str,
    /// The prompt's author.
    pub author: &'static str,
    /// Who owns the abuse tests.
    pub test_owner: &'static str,
    /// The function's fingerprint when the harness was generated.
    pub fingerprint: &'static str,
}

/// The property a test checks (the record's own type: `no_panic`, `roundtrip`, ... in records and reports).
pub use abuse_record::Property;

/// Limits of one test.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Cases to run (`ABUSE_CASES` overrides).
    pub cases: u32,
    /// Time limit per call, in milliseconds, on a short input; a call on a big input gets more
    /// ([`measure::call_limit`]: up to `(1 + CAP_FACTOR) × timeout_ms`).
    pub timeout_ms: u64,
    /// Peak bytes one call may allocate (on its own thread).
    pub max_alloc: u64,
    /// A panic is an accepted outcome (the function documents panics).
    pub may_panic: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            cases: 256,
            timeout_ms: 1000,
            max_alloc: 64 << 20,
            may_panic: false,
        }
    }
}

/// Harness set-up (building receivers or constructor arguments): a panic here is the harness misusing the
/// API, not a bug of the function, so the case is rejected (counted in `rejected`), never a failure. Its
/// allocations are left out of the measured peak (a receiver built with a large capacity is not the call's
/// allocation); the hard limit still applies to them. Its time is left out of the call's time too: the time
/// limit is the call's (the watchdog waits up to a minute for a set-up).
pub fn setup<R>(f: impl FnOnce() -> R) -> Result<R, TestCaseError> {
    let before = measure::counters();
    let built =
        measure::off_the_clock(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    measure::restore_counters(before);
    match built {
        Ok(v) => Ok(v),
        Err(_) => {
            let msg = measure::take_panic().unwrap_or_else(|| "panicked".to_owned());
            Err(TestCaseError::reject(format!(
                "harness set-up panicked: {msg}"
            )))
        }
    }
}

/// The `ensures` property: fails with the closure's source text when `ok` is false.
pub fn ensures(ok: bool, closure_text: &str) -> Result<(), TestCaseError> {
    if ok {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "ensures `{closure_text}` returned false"
        )))
    }
}

/// The `behaviour` property of a regression kept by `cargo abuse sign --keep-behaviour`: `call` shows the
/// function's output by `Debug`; it must still be `expected`, the output at sign-off. An `expected` of
/// `panic!(..)` means the call must still panic (the message aside, as `run --since` compares panics).
pub fn pinned(call: impl FnOnce() -> String, expected: &str) -> Result<(), TestCaseError> {
    let now = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(call)) {
        Ok(text) => text,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            format!("panic!({message:?})")
        }
    };
    let panics = |t: &str| t.starts_with("panic!(");
    if now == expected || (panics(&now) && panics(expected)) {
        Ok(())
    } else {
        Err(TestCaseError::fail(format!(
            "the behaviour pinned at sign-off changed: it was `{expected}`, now `{now}`"
        )))
    }
}

/// Drives a future to completion without a runtime (no-op waker, poll loop). For async functions that do
/// not need a reactor.
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::yield_now();
    }
}

fn fnv(s: &str) -> u64 {
    abuse_record::fnv1a_64(s.as_bytes())
}

fn escape_line(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

fn unescape_line(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

pub(crate) fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(now_ms()) ^ u64::from(std::process::id())
}

fn log_path(test_name: &str, pid: u32) -> PathBuf {
    let name: String = test_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    std::env::temp_dir().join(format!("abuse-{pid}-{name}.log"))
}

/// One event of the case log.
#[derive(Debug, Clone, PartialEq)]
enum Event {
    Start {
        ms: u64,
        hash: u64,
    },
    Ok,
    Reject,
    Fail {
        ms: u64,
        kind: String,
        message: String,
    },
    Death {
        ms: u64,
        kind: String,
        message: String,
    },
}

fn parse_log(text: &str) -> Vec<Event> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.splitn(4, '\t');
            let tag = f.next()?;
            let ms = f.next().and_then(|m| m.parse().ok()).unwrap_or(0);
            match tag {
                "S" => Some(Event::Start {
                    ms,
                    hash: f.next()?.parse().ok()?,
                }),
                "O" => Some(Event::Ok),
                "R" => Some(Event::Reject),
                "F" | "D" => {
                    let kind = f.next()?.to_owned();
                    let message = unescape_line(f.next().unwrap_or(""));
                    Some(if tag == "F" {
                        Event::Fail { ms, kind, message }
                    } else {
                        Event::Death { ms, kind, message }
                    })
                }
                _ => None,
            }
        })
        .collect()
}

/// Failure of one case: kind, message, and when (unix ms).
type CaseFailure = (String, String, u64);

/// How the case started at `events[i]` ended. An allocation refused at the hard limit writes its death note
/// first; when the call survives the refusal (`try_reserve` returns `Err`), the outcome that follows is the end.
/// When only more death notes follow (the watchdog's timeout while the process was aborting on that
/// allocation), the first death is the end.
fn case_end(events: &[Event], i: usize) -> Option<&Event> {
    let case: Vec<&Event> = events[i + 1..]
        .iter()
        .take_while(|e| !matches!(e, Event::Start { .. }))
        .collect();
    case.iter()
        .rev()
        .find(|e| !matches!(e, Event::Death { .. }))
        .or_else(|| case.first())
        .copied()
}

/// What the log says about the run: outcome per started case.
fn case_outcomes(events: &[Event]) -> Vec<(u64, Option<&Event>)> {
    let mut out = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if let Event::Start { hash, .. } = e {
            let next = case_end(events, i);
            out.push((*hash, next));
        }
    }
    out
}

fn failure_of(start_ms: u64, end: Option<&Event>) -> Option<CaseFailure> {
    match end {
        Some(Event::Fail { ms, kind, message }) | Some(Event::Death { ms, kind, message }) => {
            Some((kind.clone(), message.clone(), *ms))
        }
        None => Some((
            "crash".to_owned(),
            "the process died during the call (stack overflow, abort or signal)".to_owned(),
            start_ms,
        )),
        Some(_) => None,
    }
}

/// Counts of a log: (cases up to the first failure, rejected before it, first failure time, deaths,
/// timeouts).
struct LogSummary {
    cases: u64,
    rejected: u64,
    first_failure_ms: Option<u64>,
    deaths: usize,
    timeouts: usize,
}

fn summarize(events: &[Event]) -> LogSummary {
    let mut s = LogSummary {
        cases: 0,
        rejected: 0,
        first_failure_ms: None,
        deaths: 0,
        timeouts: 0,
    };
    for (i, e) in events.iter().enumerate() {
        let Event::Start { ms, .. } = e else { continue };
        let end = case_end(events, i);
        let failed = failure_of(*ms, end);
        if s.first_failure_ms.is_none() {
            s.cases += 1;
            if matches!(end, Some(Event::Reject)) {
                s.rejected += 1;
            }
            if let Some((_, _, at)) = &failed {
                s.first_failure_ms = Some(*at);
            }
        }
        match end {
            Some(Event::Death { kind, .. }) => {
                s.deaths += 1;
                if kind == "timeout" {
                    s.timeouts += 1;
                }
            }
            None => s.deaths += 1,
            _ => {}
        }
    }
    s
}

/// The death kind of an allocation past the hard limit that the caller asked for (crate::requested).
const REQUESTED: &str = "requested";

/// The failure the log recorded for the last case whose input hashes to `hash`.
fn failure_for(events: &[Event], hash: u64) -> Option<CaseFailure> {
    case_outcomes(events)
        .into_iter()
        .zip(events.iter().filter_map(|e| match e {
            Event::Start { ms, .. } => Some(*ms),
            _ => None,
        }))
        .filter(|((h, _), _)| *h == hash)
        .filter_map(|((_, end), ms)| failure_of(ms, end))
        .last()
}

/// The case log of one `check`, shared by the parent and its forked children.
struct CaseLog {
    file: Mutex<File>,
}

impl CaseLog {
    fn open(path: &PathBuf, truncate: bool) -> std::io::Result<CaseLog> {
        if truncate {
            File::create(path)?;
        }
        let file = OpenOptions::new().append(true).create(true).open(path)?;
        Ok(CaseLog {
            file: Mutex::new(file),
        })
    }

    fn line(&self, line: &str) {
        let mut f = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let _ = f.write_all(line.as_bytes());
    }
}

/// The classification of one measured call.
pub(crate) enum CaseResult {
    Pass,
    Reject(String),
    Fail(FailureKind, String),
}

/// The limit text of a timeout message: `1000 ms`, or `4000 ms (1000 ms + 3000 ms for an input of 300000
/// bytes of Debug text)` when the input's size added time.
pub(crate) fn limit_text(timeout_ms: u64, limit: Duration) -> String {
    let total = limit.as_millis();
    let extra = total.saturating_sub(u128::from(timeout_ms));
    if extra == 0 {
        format!("{total} ms")
    } else {
        let per_unit = u128::from(measure::PER_UNIT_NS);
        let size = extra * 1_000_000 / per_unit;
        let capped = limit >= measure::call_limit(timeout_ms, u64::MAX);
        format!(
            "{total} ms ({timeout_ms} ms + {extra} ms for an input of {}{size} bytes of Debug text)",
            if capped { "at least " } else { "about " }
        )
    }
}

/// When a call is stopped, as its message says it after "did not return within": `the limit of 1000 ms`, or for an
/// input judged by growth ([`timeout::stop_after`]) `4000 ms, 4 times its limit of 1000 ms ...`.
fn stop_text(timeout_ms: u64, limit: Duration, stop: Duration) -> String {
    let limit_text = limit_text(timeout_ms, limit);
    if stop <= limit {
        format!("the limit of {limit_text}")
    } else {
        format!(
            "{} ms, {} times its limit of {limit_text}, for an input big enough to be judged by how its time grows",
            stop.as_millis(),
            timeout::CEILING_FACTOR
        )
    }
}

/// Classifies one measured call; `limit` is its time limit ([`measure::call_limit`] of its input's size).
pub(crate) fn classify(
    m: &measure::Measured<Result<(), TestCaseError>>,
    settings: &Settings,
    limit: Duration,
    alloc_limit: u64,
) -> CaseResult {
    // What the caller asked for (crate::requested) is not a bug: an allocation that size, std's refusal of an
    // impossible size.
    let asked = m.requested;
    match &m.result {
        Err(_) if settings.may_panic => CaseResult::Pass,
        Err(panic) => match crate::requested::excused_panic(asked, panic) {
            Some(excused) => CaseResult::Reject(excused),
            None => CaseResult::Fail(FailureKind::Panic, format!("panicked: {panic}")),
        },
        Ok(_)
            if m.peak > alloc_limit
                && !crate::requested::excuses_bytes(asked, m.peak)
                && m.peak > m.input_cost =>
        {
            CaseResult::Fail(
                FailureKind::Alloc,
                format!(
                    "allocated {} at peak in one call, over the limit of {}",
                    human_bytes(m.peak),
                    human_bytes(alloc_limit)
                ),
            )
        }
        Ok(_) if m.elapsed > limit => CaseResult::Fail(
            FailureKind::Timeout,
            format!(
                "one call took {} ms, over the limit of {}",
                m.elapsed.as_millis(),
                limit_text(settings.timeout_ms, limit)
            ),
        ),
        Ok(Ok(())) => CaseResult::Pass,
        Ok(Err(TestCaseError::Reject(r))) => CaseResult::Reject(r.message().to_owned()),
        Ok(Err(TestCaseError::Fail(r))) => {
            CaseResult::Fail(FailureKind::Property, r.message().to_owned())
        }
    }
}

/// How many times its own heap size a big input may add to `max_alloc`: the harness's copy of the input and an
/// output as big as the input, grown by doubling, are a copy, not an amplification. A length field or a count
/// that turns a few bytes into megabytes is still far over.
pub const INPUT_ALLOC_FACTOR: u64 = 4;

/// The allocation limit of a call on an input that itself holds `input_heap` bytes.
#[must_use]
pub fn input_alloc_limit(max_alloc: u64, input_heap: u64) -> u64 {
    max_alloc.saturating_add(input_heap.saturating_mul(INPUT_ALLOC_FACTOR))
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB ({n} bytes)", n as f64 / (1u64 << 20) as f64)
    } else {
        format!("{n} bytes")
    }
}

/// Further root causes a check looks for after its first failure (issue 10): a function with two real bugs
/// reports both in one run, not the second only once the first is fixed.
const MORE_ROOT_CAUSES: usize = 2;
/// Rounds (proptest runs, each on a new seed stream over the cases left) after the first failure: a round ends
/// at its first failure of a root cause not seen before, or at a crash or a stopped hang of a known one (the
/// process died, so the case cannot be passed over).
const MAX_MORE_ROUNDS: u32 = 6;
/// Wall time the search for further root causes may take after the first failure was shrunk (shrinking a new
/// one has its own [`SHRINK_BUDGET_MS`]).
const MORE_ROOTS_BUDGET_MS: u64 = 20_000;

/// The root cause of a failure: its kind, and for a panic its site (`file:line` of the panic's location), else
/// (a panic without a location, a property failure) the message's shape (digits folded, the first line, at
/// most 80 characters). A timeout, an allocation over the limit and a crash are one root cause each: their
/// messages differ only by sizes and times.
pub(crate) fn root_cause(kind: &str, message: &str) -> String {
    let shape = |m: &str| -> String {
        let mut out = String::new();
        for c in m.lines().next().unwrap_or("").chars() {
            if c.is_ascii_digit() {
                if !out.ends_with('#') {
                    out.push('#');
                }
            } else {
                out.push(c);
            }
            if out.chars().count() >= 80 {
                break;
            }
        }
        out
    };
    match kind {
        "panic" => {
            let site = message.rfind(" at ").and_then(|at| {
                let mut parts = message[at + 4..].rsplitn(3, ':');
                let (col, line, file) = (parts.next()?, parts.next()?, parts.next()?);
                let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
                (digits(col) && digits(line) && !file.is_empty() && !file.contains('\n'))
                    .then(|| format!("{file}:{line}"))
            });
            match site {
                Some(site) => format!("panic@{site}"),
                None => format!("panic:{}", shape(message)),
            }
        }
        "property" => format!("property:{}", shape(message)),
        other => other.to_owned(),
    }
}

/// One proptest run of a check. Round 0 is the first run, over every case; a later round looks for a root
/// cause not in `known`, over the cases the earlier rounds left, until `deadline_ms` (unix ms). The parent
/// writes later rounds to a file beside the case log, which its forked children read (they re-run the test
/// from the start and must run the same round).
#[derive(Clone, Debug, PartialEq)]
struct Round {
    index: u32,
    cases: u32,
    deadline_ms: u64,
    known: Vec<String>,
}

impl Round {
    fn first(cases: u32) -> Round {
        Round {
            index: 0,
            cases,
            deadline_ms: u64::MAX,
            known: Vec::new(),
        }
    }

    fn to_text(&self) -> String {
        let mut s = format!("{}\t{}\t{}\n", self.index, self.cases, self.deadline_ms);
        for k in &self.known {
            s += &escape_line(k);
            s.push('\n');
        }
        s
    }

    fn parse(text: &str) -> Option<Round> {
        let mut lines = text.lines();
        let mut head = lines.next()?.split('\t');
        let index = head.next()?.parse().ok()?;
        let cases = head.next()?.parse().ok()?;
        let deadline_ms = head.next()?.parse().ok()?;
        Some(Round {
            index,
            cases,
            deadline_ms,
            known: lines.map(unescape_line).collect(),
        })
    }

    /// Whether a failure is one the round need not shrink: a root cause found in an earlier round, or an
    /// allocation the caller asked for (crate::requested), which is no failure at all.
    fn is_known(&self, kind: &str, message: &str) -> bool {
        kind == REQUESTED || (self.index > 0 && self.known.contains(&root_cause(kind, message)))
    }
}

/// What one check runs with, the same in the parent and its forked children.
struct Run<'a> {
    target: &'a Target,
    settings: &'a Settings,
    test_name: &'a str,
    fork: bool,
    in_child: bool,
    path: PathBuf,
}

/// Runs `body` over `strategy` with proptest: in a forked child (hangs, stack overflows and aborts are
/// contained and their input reported), failure persistence off (cargo-abuse keeps failing inputs as named
/// regression tests instead), every call measured. A panic fails the case unless `settings.may_panic`; a call
/// over `timeout_ms` fails it; a peak allocation over `max_alloc` fails it.
///
/// On failure: shrinks, then keeps looking for a different root cause ([`root_cause`]) in the cases left, on a
/// new seed stream, where a case failing the way an earlier one did passes (it is the same failure): up to
/// [`MORE_ROOT_CAUSES`] more, each shrunk and recorded like the first (a line of its own in the record file,
/// with `root_cause` 2, 3). Prints a report per root cause (property, shrunk input as a Rust expression,
/// message, function file:line, prompt, author, test owner, seed) and panics so the `#[test]` fails. Always
/// writes the record when `ABUSE_RECORDS` is set. `test_name` is `concat!(module_path!(), "::", "<fn name>")`
/// (fork re-runs the test binary on that test).
///
/// Environment: `ABUSE_CASES`, `ABUSE_SEED` (else a random seed, printed), `ABUSE_NO_FORK=1`.
pub fn check<S>(
    target: &Target,
    property: Property,
    settings: &Settings,
    test_name: &str,
    strategy: S,
    body: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: RustExpr + Clone + Debug,
{
    let cases =
        env_u64("ABUSE_CASES").map_or(settings.cases, |c| c.min(u64::from(u32::MAX)) as u32);
    check_cases(target, property, settings, cases, test_name, strategy, body);
}

/// [`check`] with its number of cases fixed: [`replay`] runs its one kept input once, whatever `ABUSE_CASES`
/// asks of the property tests beside it.
fn check_cases<S>(
    target: &Target,
    property: Property,
    settings: &Settings,
    cases: u32,
    test_name: &str,
    strategy: S,
    body: impl Fn(S::Value) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: RustExpr + Clone + Debug,
{
    measure::install_hook();
    let in_child = std::env::var_os(FORK_ENV).is_some();
    if in_child {
        measure::library_backtraces_off();
    }
    let fork = std::env::var("ABUSE_NO_FORK").map_or(true, |v| v.is_empty() || v == "0");
    let (seed, seed_given) = match env_u64("ABUSE_SEED") {
        Some(s) => (s, true),
        None => (random_seed(), false),
    };
    #[cfg(unix)]
    let parent = if in_child {
        std::os::unix::process::parent_id()
    } else {
        std::process::id()
    };
    #[cfg(not(unix))]
    let parent = std::process::id();
    let run = Run {
        target,
        settings,
        test_name,
        fork,
        in_child,
        path: log_path(test_name, parent),
    };
    let rounds_path = run.path.with_extension("rounds");
    if in_child {
        // A forked child runs the round its parent runs (and exits inside proptest's `run`).
        let round = std::fs::read_to_string(&rounds_path)
            .ok()
            .and_then(|t| Round::parse(&t))
            .unwrap_or_else(|| Round::first(cases));
        let _ = run_round(&run, &round, seed, &strategy, &body);
        return;
    }
    if !seed_given {
        println!("abuse: seed {seed} (ABUSE_SEED={seed} reproduces this run)");
    }
    let _ = std::fs::remove_file(&rounds_path);
    let start = Instant::now();
    let start_ms = now_ms();
    let mut round = Round::first(cases);
    let mut found: Vec<Record> = Vec::new();
    let mut used: u64 = 0;
    let (mut more_rounds, mut requested_rounds) = (0u32, 0u32);
    loop {
        if round.index > 0 {
            let _ = std::fs::write(&rounds_path, round.to_text());
        }
        // A new seed stream per round: the cases left are new cases, not the first round's again.
        let round_seed =
            seed.wrapping_add(u64::from(round.index).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let (result, events) = run_round(&run, &round, round_seed, &strategy, &body);
        let summary = summarize(&events);
        let mut record = Record {
            cases: used + summary.cases,
            rejected: summary.rejected,
            elapsed_ms: start.elapsed().as_millis() as u64,
            first_failure_ms: summary.first_failure_ms.map(|t| t.saturating_sub(start_ms)),
            seed,
            ..record::new(target, property, test_name.to_owned(), Outcome::Pass)
        };
        used += summary.cases;
        // Until a first failure, a round is the run itself (a round after an allocation the caller asked for
        // goes on with the cases left); after it, a round searches for another root cause.
        let first = found.is_empty();
        let value = match (result, first) {
            (Ok(()), true) => {
                record::write(&record);
                break;
            }
            (Err(TestError::Abort(reason)), true) if reason.message().contains("reject") => {
                record.outcome = Outcome::Rejected;
                record.kind = Some(FailureKind::Harness);
                record.message = Some(format!("the harness rejected too many cases ({reason}): it cannot build inputs this function accepts"));
                record::write(&record);
                eprintln!(
                    "abuse: {} `{}`: {}",
                    property.as_str(),
                    target.function,
                    record.message.as_deref().unwrap_or("")
                );
                break;
            }
            (Err(TestError::Abort(reason)), true) => {
                record.outcome = Outcome::Fail;
                record.kind = Some(FailureKind::Crash);
                record.message = Some(reason.message().to_owned());
                found.push(record);
                break;
            }
            // A later round that found nothing new (or gave up) ends the search.
            (Ok(()) | Err(TestError::Abort(_)), _) => break,
            (Err(TestError::Fail(reason, value)), _) => (reason, value),
        };
        let (reason, value) = value;
        let expr = value.rust_expr();
        let failed = failure_for(&events, fnv(&expr));
        let (kind, message) = match failed {
            Some((kind, message, _)) => (kind, message),
            None => split_reason(reason.message()),
        };
        let cause = root_cause(&kind, &message);
        if kind == REQUESTED {
            // The process aborted on an allocation the caller asked for (past the hard limit): not a failure.
            // The cases left run as a new round, on the next seed stream.
            requested_rounds += 1;
            round.index += 1;
            round.cases = u64::from(cases)
                .saturating_sub(used)
                .min(u64::from(u32::MAX)) as u32;
            if round.cases == 0 || requested_rounds > REQUESTED_ROUNDS {
                if first {
                    record.cases = used;
                    record::write(&record);
                }
                break;
            }
            continue;
        }
        // A later round ends on a known root cause only when the process died on it: the same failure.
        if !round.known.contains(&cause) {
            record.outcome = Outcome::Fail;
            record.kind = Some(kind_str(&kind));
            record.input_size = Some(measure::element_count(&value));
            record.input = Some(expr);
            record.message = Some(message);
            if !first {
                record.root_cause = Some(found.len() as u32 + 1);
            }
            found.push(record);
            round.known.push(cause);
        }
        if first {
            round.deadline_ms = now_ms().saturating_add(MORE_ROOTS_BUDGET_MS);
        }
        round.index += 1;
        more_rounds += 1;
        round.cases = u64::from(cases)
            .saturating_sub(used)
            .min(u64::from(u32::MAX)) as u32;
        if found.len() > MORE_ROOT_CAUSES
            || round.cases == 0
            || more_rounds > MAX_MORE_ROUNDS
            || now_ms() >= round.deadline_ms
        {
            break;
        }
    }
    let _ = std::fs::remove_file(&rounds_path);
    // Only the parent (or the in-process run) gets here: a forked child exits inside `run`.
    if !measure::allocator_installed() {
        warn_no_allocator();
    }
    if !found.is_empty() {
        let elapsed_ms = start.elapsed().as_millis() as u64;
        for r in &mut found {
            r.elapsed_ms = elapsed_ms;
        }
        fail_all(target, property, &found);
    }
}

/// Runs one round of a check (in the parent, or in a forked child, which exits inside proptest's `run`):
/// proptest's result and the round's case log.
fn run_round<S>(
    run: &Run<'_>,
    round: &Round,
    seed: u64,
    strategy: &S,
    body: &impl Fn(S::Value) -> Result<(), TestCaseError>,
) -> (Result<(), TestError<S::Value>>, Vec<Event>)
where
    S: Strategy,
    S::Value: RustExpr + Clone + Debug,
{
    // The forms take at most a quarter of the first round's cases; a later round looks for another root cause.
    crate::forms::set_limit(if round.index == 0 {
        round.cases as usize / 4
    } else {
        0
    });
    let Run {
        target,
        settings,
        fork,
        in_child,
        ..
    } = *run;
    let path = &run.path;
    let log = Arc::new(
        CaseLog::open(path, !in_child).expect("the case log in the temp dir must be writable"),
    );
    let prior_events = if in_child {
        parse_log(&std::fs::read_to_string(path).unwrap_or_default())
    } else {
        Vec::new()
    };
    let prior = summarize(&prior_events);
    // The child before this one died on a case of a known root cause (a crash, a stopped hang): proptest now
    // shrinks that case, which is the same failure as one found already; every input passes untried, so the
    // round ends on it at once.
    let known_death = case_outcomes(&prior_events)
        .last()
        .filter(|(_, end)| matches!(end, None | Some(Event::Death { .. })))
        .and_then(|(_, end)| failure_of(0, *end))
        .is_some_and(|(kind, message, _)| round.is_known(&kind, &message));
    if in_child {
        measure::set_note_file(&log.file.lock().unwrap_or_else(|e| e.into_inner()));
    }
    let deaths = std::cell::Cell::new(prior.deaths);
    let timeouts = std::cell::Cell::new(prior.timeouts);
    let first_failure = std::cell::Cell::new(prior.first_failure_ms);

    let config = Config {
        cases: round.cases,
        fork,
        // The watchdog ends a hanging call at its limit (at most `(1 + CAP_FACTOR) × timeout_ms` on a huge
        // input, and up to `CEILING_FACTOR` times that for a big input and each of its two cuts); proptest's own
        // timeout is only a safety net.
        timeout: if fork {
            settings
                .timeout_ms
                .saturating_mul(measure::CAP_FACTOR + 1)
                .saturating_mul(u64::from(timeout::CEILING_FACTOR) * 3)
                .saturating_add(5000)
                .min(u64::from(u32::MAX)) as u32
        } else {
            0
        },
        test_name: Some(Box::leak(run.test_name.to_owned().into_boxed_str())),
        failure_persistence: None,
        source_file: None,
        rng_seed: RngSeed::Fixed(seed),
        max_shrink_iters: 4096,
        max_shrink_time: 0,
        max_local_rejects: round.cases.saturating_mul(8).max(64),
        max_global_rejects: round.cases.saturating_mul(8).max(64),
        verbose: 0,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let result = runner.run(strategy, |value: S::Value| {
        // Once shrinking has cost enough hung or crashed children, stop trying new inputs: the last failing
        // one is reported.
        // Skipped inputs count as passing, so the last failing input stays the answer; the skip is recorded in
        // proptest's replay like any result, which keeps forked children and the parent in step.
        let over_time = first_failure.get().is_some_and(|t| now_ms().saturating_sub(t) > SHRINK_BUDGET_MS);
        // A later round's search has its own time budget (not its shrinking).
        let search_over = first_failure.get().is_none() && now_ms() >= round.deadline_ms;
        if timeouts.get() > HANG_SHRINK_BUDGET
            || deaths.get() > DEATH_SHRINK_BUDGET
            || over_time
            || search_over
            || known_death
        {
            return Ok(());
        }
        let expr = value.rust_expr();
        // Measured before the call (the value moves into it): a slow linear call on a big input is not a hang.
        let size = measure::debug_size(&value, measure::size_cap(settings.timeout_ms));
        let limit = measure::call_limit(settings.timeout_ms, size);
        // The timeout rule (crate::timeout): a big input that can be cut is judged by how time grows with its
        // size once the call overruns its limit; a copy is kept for the cuts. Not while shrinking a failure.
        // A big input is kept aside: to judge a late call by growth, and to measure the input's own heap
        // size when the call's peak passes `max_alloc` (a copy of the input is not an amplification).
        let spare = (size >= timeout::PROBE_MIN_SIZE).then(|| value.clone());
        let keep = spare
            .clone()
            .filter(|_| first_failure.get().is_none())
            .filter(|k| timeout::probed(size, k.clone().cut_in_place(1, 1)));
        let stop = timeout::stop_after(limit, keep.is_some());
        let stop_text = stop_text(settings.timeout_ms, limit, stop);
        log.line(&format!("S\t{}\t{}\n", now_ms(), fnv(&expr)));
        let watch = |what: String| -> Option<(Duration, Box<dyn Fn() + Send>)> {
            if in_child {
                let log = Arc::clone(&log);
                let text = stop_text.clone();
                Some((
                    stop,
                    Box::new(move || {
                        log.line(&format!(
                            "D\t{}\ttimeout\t{what} did not return within {text} (stopped)\n",
                            now_ms()
                        ));
                        std::process::exit(75);
                    }),
                ))
            } else if !fork {
                // In-process (ABUSE_NO_FORK=1) a hang cannot be contained: say which input hung, then stop.
                let text = stop_text.clone();
                let function = target.function;
                let expr = expr.clone();
                Some((
                    stop,
                    Box::new(move || {
                        eprintln!(
                            "abuse: `{function}`: {what} did not return within {text} on input {expr}; \
                             stopping the process (ABUSE_NO_FORK=1 cannot contain a hang)"
                        );
                        std::process::exit(101);
                    }),
                ))
            } else {
                None
            }
        };
        // Two big arguments (an edit distance of two long strings costs their product by design): timed
        // first with both cut deep, then each in turn less (crate::timeout::product_probe).
        if let Some(keep) = keep
            .as_ref()
            // `*k`: on the `&&V` the closure gets, the method would resolve to `&V`'s default (0).
            .filter(|k| (*k).second_largest_units() >= timeout::PROBE_MIN_SIZE)
        {
            let time_cut = |largest_den: u32, other_den: u32| {
                let mut cut = keep.clone();
                let (a, b) = (largest_den as usize, other_den as usize);
                if !cut.cut_two_largest_in_place((1, a), (1, b)) {
                    return None;
                }
                let what = format!(
                    "the same input with its two largest arguments cut to 1/{largest_den} and 1/{other_den}"
                );
                measure::set_input_size(measure::debug_size(&cut, u64::MAX));
                let m = measure::measure(settings.max_alloc, watch(what), || body(cut));
                // A cut that fails is no evidence of a slow correct call: the whole call is made and judged.
                matches!(m.result, Ok(Ok(()))).then_some(m.elapsed)
            };
            if timeout::product_probe(stop, time_cut) {
                log.line("O\n");
                return Ok(());
            }
        }
        // The input's own cost (measure::input_cost): an allocation in proportion to a big input is not a bug.
        let cost_size = measure::cost_size(&value, size, measure::size_cap(settings.timeout_ms));
        measure::set_input_size(cost_size);
        let m = measure::measure(settings.max_alloc, watch("the call".to_owned()), || {
            body(value)
        });
        let mut alloc_limit = settings.max_alloc;
        if let (true, Some(spare)) = (m.peak > alloc_limit, &spare) {
            let input =
                measure::measure(u64::MAX, None, || std::hint::black_box(spare.clone())).peak;
            alloc_limit = input_alloc_limit(settings.max_alloc, input);
        }
        let mut verdict = classify(&m, settings, limit, alloc_limit);
        // A later round passes over a failure of a root cause found already: it is the same failure.
        if let CaseResult::Fail(kind, msg) = &verdict {
            if round.is_known(kind.as_str(), msg) {
                verdict = CaseResult::Pass;
            }
        }
        if let (Some(keep), CaseResult::Fail(FailureKind::Timeout, _)) = (keep, &verdict) {
            // Over its limit, but it returned: time the same input cut to 1/2 and 1/4 (see crate::timeout). Of
            // several arguments only the largest is cut, and the growth is in its length.
            let mut points = vec![(measure::debug_size(&keep, u64::MAX), m.elapsed)];
            let mut unit = "bytes of Debug text";
            for den in [2, 4] {
                let mut cut = keep.clone();
                let part = cut.cut_largest_in_place(1, den);
                if part.is_none() {
                    cut.cut_in_place(1, den);
                }
                let cut_size = measure::debug_size(&cut, u64::MAX);
                let what = format!("the same input cut to 1/{den}");
                measure::set_input_size(cut_size);
                let t = measure::measure(settings.max_alloc, watch(what), || body(cut)).elapsed;
                if let Some((before, after)) = part {
                    points[0].0 = before;
                    unit = "bytes or elements of its largest argument";
                    points.push((after, t));
                } else {
                    points.push((cut_size, t));
                }
            }
            if matches!(timeout::judge(&points), timeout::Verdict::Superlinear(_)) {
                // One call can be slowed by a burst of load: the full input is timed once more, its best time
                // kept, before a timeout is reported.
                let again = keep.clone();
                let what = "the same input, timed again,".to_owned();
                measure::set_input_size(cost_size);
                let t = measure::measure(settings.max_alloc, watch(what), || body(again)).elapsed;
                points[0].1 = points[0].1.min(t);
            }
            // Timed again within its limit: the first overrun was the machine's, not the call's.
            let retimed_within_limit = points[0].1 <= limit;
            match timeout::judge(&points) {
                _ if retimed_within_limit => verdict = CaseResult::Pass,
                timeout::Verdict::Proportional(_) => verdict = CaseResult::Pass,
                timeout::Verdict::Superlinear(e) => {
                    let text = limit_text(settings.timeout_ms, limit);
                    verdict = CaseResult::Fail(
                        FailureKind::Timeout,
                        timeout::superlinear_message(&points, e, &text, unit),
                    );
                }
                timeout::Verdict::Unknown => {}
            }
        }
        match verdict {
            CaseResult::Pass => {
                log.line("O\n");
                Ok(())
            }
            CaseResult::Reject(msg) => {
                log.line(&format!("R\t{}\t{}\n", now_ms(), escape_line(&msg)));
                Err(TestCaseError::reject(msg))
            }
            CaseResult::Fail(kind, msg) => {
                if kind == FailureKind::Timeout {
                    timeouts.set(timeouts.get() + 1);
                }
                if first_failure.get().is_none() {
                    first_failure.set(Some(now_ms()));
                }
                log.line(&format!("F\t{}\t{kind}\t{}\n", now_ms(), escape_line(&msg)));
                Err(TestCaseError::fail(format!("[{kind}] {msg}")))
            }
        }
    });
    let events = parse_log(&std::fs::read_to_string(path).unwrap_or_default());
    let _ = std::fs::remove_file(path);
    (result, events)
}

fn warn_no_allocator() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        eprintln!("abuse: the counting allocator is not installed (call abuse_runtime::install!() once in the test crate): max_alloc is not enforced");
    });
}

fn kind_str(kind: &str) -> FailureKind {
    match kind {
        "panic" => FailureKind::Panic,
        "timeout" => FailureKind::Timeout,
        "alloc" => FailureKind::Alloc,
        "property" => FailureKind::Property,
        _ => FailureKind::Crash,
    }
}

/// `[kind] message` as written by the case wrapper; anything else came from proptest (a dead child).
fn split_reason(reason: &str) -> (String, String) {
    if let Some(rest) = reason.strip_prefix('[') {
        if let Some((kind, msg)) = rest.split_once("] ") {
            return (kind.to_owned(), msg.to_owned());
        }
    }
    ("crash".to_owned(), reason.to_owned())
}

impl Target {
    /// The function's line: `line` when the harness gives one, else found in its source file now. Generated
    /// harnesses leave it 0 on purpose, so that an edit elsewhere in the file does not make them stale.
    pub fn source_line(&self) -> u32 {
        if self.line != 0 {
            return self.line;
        }
        let name = self.function.rsplit("::").next().unwrap_or(self.function);
        // `file` is relative to the workspace root; tests run in the package folder, which may sit below it.
        let base = std::env::var_os("CARGO_MANIFEST_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_default();
        let text = base
            .ancestors()
            .find_map(|dir| std::fs::read_to_string(dir.join(self.file)).ok());
        // A sequence harness names a type (`demo::Ring`): its first inherent `impl` block.
        text.and_then(|text| find_fn_line(&text, name).or_else(|| find_impl_line(&text, name)))
            .unwrap_or(0)
    }
}

/// 1-based line of the first `impl NAME` or `impl<..> NAME` followed by ` {` or `<` in `text`.
fn find_impl_line(text: &str, name: &str) -> Option<u32> {
    text.lines()
        .position(|line| {
            let Some(rest) = line.trim_start().strip_prefix("impl") else {
                return false;
            };
            let rest = match rest.strip_prefix('<') {
                Some(generic) => generic.split_once('>').map_or("", |(_, r)| r),
                None => rest,
            };
            rest.trim_start()
                .strip_prefix(name)
                .is_some_and(|after| after.trim_start().starts_with(['{', '<']))
        })
        .map(|i| i as u32 + 1)
}

/// 1-based line of the first `fn NAME` followed by `(` or `<` in `text`.
fn find_fn_line(text: &str, name: &str) -> Option<u32> {
    let needle = format!("fn {name}");
    text.lines()
        .position(|line| {
            line.match_indices(&needle).any(|(at, _)| {
                let before_ok =
                    at == 0 || !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                let after = line[at + needle.len()..].trim_start();
                before_ok && (after.starts_with('(') || after.starts_with('<'))
            })
        })
        .map(|i| i as u32 + 1)
}

/// The human report of a failure.
pub(crate) fn report(target: &Target, property: Property, r: &Record) -> String {
    let mut s = format!(
        "\ncargo-abuse: `{}` failed property `{}` ({}){}\n  function:   {} ({}:{})\n",
        target.function,
        property.as_str(),
        r.kind.map_or("?", FailureKind::as_str),
        r.root_cause.map_or(String::new(), |n| format!(
            " again, with a different root cause (root cause {n})"
        )),
        target.function,
        target.file,
        target.source_line()
    );
    // The record keeps the whole input; what a person reads is cut (a shrunk hang can be megabytes).
    let input = r
        .input
        .as_deref()
        .unwrap_or("(unknown: the run failed before a case finished)");
    s += &match input.char_indices().nth(2000) {
        None => format!("  input:      {input}\n"),
        Some((cut, _)) => format!(
            "  input:      {}… ({} more characters: the whole input is in the record)\n",
            &input[..cut],
            input[cut..].chars().count()
        ),
    };
    s += &format!("  problem:    {}\n", r.message.as_deref().unwrap_or(""));
    if !target.prompt.is_empty() {
        s += &format!("  prompt:     {}\n", target.prompt);
    }
    s += &format!(
        "  author:     {}\n  test owner: {}\n",
        if target.author.is_empty() {
            "(unknown)"
        } else {
            target.author
        },
        if target.test_owner.is_empty() {
            "(none)"
        } else {
            target.test_owner
        }
    );
    s += &format!(
        "  run:        {} cases, {} rejected, seed {} (ABUSE_SEED={} reproduces)\n",
        r.cases, r.rejected, r.seed, r.seed
    );
    s
}

/// Writes every root cause's record, prints a report of each, and fails the test on the first.
fn fail_all(target: &Target, property: Property, records: &[Record]) -> ! {
    record::write_all(records);
    for r in records {
        eprintln!("{}", report(target, property, r));
    }
    let first = &records[0];
    panic!(
        "cargo-abuse: `{}` failed `{}` ({}{}): {}",
        target.function,
        property.as_str(),
        first.kind.map_or("?", FailureKind::as_str),
        match records.len() {
            1 => String::new(),
            n => format!(
                ", and {} more root cause{}",
                n - 1,
                if n > 2 { "s" } else { "" }
            ),
        },
        first.input.as_deref().unwrap_or("")
    );
}

fn fail(target: &Target, property: Property, record: &Record) -> ! {
    record::write(record);
    eprintln!("{}", report(target, property, record));
    panic!(
        "cargo-abuse: `{}` failed `{}` ({}): {}",
        target.function,
        property.as_str(),
        record.kind.map_or("?", FailureKind::as_str),
        record.input.as_deref().unwrap_or("")
    );
}

/// Runs `body` once on `value` with the same measuring as [`check`]: the named regression tests that keep every
/// failing input found. Forked through [`check`] (one case) so a hang, stack overflow or abort is contained; with
/// `ABUSE_NO_FORK=1` (or outside a named test thread) in-process, where a call that overruns `timeout_ms` ends
/// the test process after writing its record and report, and a crash leaves a record of kind `crash`, written
/// before the call. The record is named after the test thread (libtest's test path).
pub fn replay<V: RustExpr + Clone + Debug>(
    target: &Target,
    property: Property,
    settings: &Settings,
    value: V,
    body: impl Fn(V) -> Result<(), TestCaseError>,
) {
    // Forked like `check`, so a kept input that hangs, overflows the stack or aborts is reported for its function
    // and the rest of the test binary goes on (`cargo abuse run` runs the regressions with every other test).
    let fork = std::env::var("ABUSE_NO_FORK").map_or(true, |v| v.is_empty() || v == "0");
    let thread = std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .map(str::to_owned);
    if let (true, Some(name)) = (fork, &thread) {
        // The fork re-runs this test by its path without the crate segment, which it drops first.
        let test_name = format!("crate::{name}");
        return check_cases(
            target,
            property,
            settings,
            1,
            &test_name,
            proptest::strategy::Just(value),
            body,
        );
    }
    measure::install_hook();
    let test =
        thread.unwrap_or_else(|| format!("{}::{}::replay", target.function, property.as_str()));
    let mut record = Record {
        kind: Some(FailureKind::Crash),
        cases: 1,
        input: Some(value.rust_expr()),
        input_size: Some(measure::element_count(&value)),
        message: Some(
            "the process died during the call (stack overflow, abort or signal)".to_owned(),
        ),
        ..record::new(target, property, test, Outcome::Fail)
    };
    // Written first so a crash leaves it behind; overwritten below.
    record::write(&record);
    let limit = measure::limit_for(settings.timeout_ms, &value);
    let start = Instant::now();
    let on_timeout = {
        let mut r = record.clone();
        r.kind = Some(FailureKind::Timeout);
        r.message = Some(format!(
            "the call did not return within the limit of {}",
            limit_text(settings.timeout_ms, limit)
        ));
        let target = *target;
        Box::new(move || {
            record::write(&r);
            eprintln!("{}", report(&target, property, &r));
            std::process::exit(101);
        }) as Box<dyn Fn() + Send>
    };
    measure::set_input_size(measure::debug_size(&value, measure::INPUT_COST_STOP));
    let m = measure::measure(settings.max_alloc, Some((limit, on_timeout)), || {
        body(value)
    });
    record.elapsed_ms = start.elapsed().as_millis() as u64;
    match classify(&m, settings, limit, settings.max_alloc) {
        CaseResult::Pass => {
            record.outcome = Outcome::Pass;
            record.kind = None;
            record.input = None;
            record.input_size = None;
            record.message = None;
            record::write(&record);
        }
        CaseResult::Reject(msg) => {
            record.outcome = Outcome::Rejected;
            record.kind = Some(FailureKind::Harness);
            record.rejected = 1;
            record.message = Some(msg);
            record::write(&record);
            eprintln!(
                "abuse: the harness rejected the stored input: {}",
                record.message.as_deref().unwrap_or("")
            );
        }
        CaseResult::Fail(kind, msg) => {
            record.kind = Some(kind);
            record.message = Some(msg);
            fail(target, property, &record);
        }
    }
}

#[cfg(test)]
mod line_tests {
    use super::find_fn_line;

    #[test]
    fn finds_the_function_line_and_not_a_longer_name() {
        let text = "fn parse_port_x() {}\n\npub fn parse_port(s: &str) {}\n";
        assert_eq!(find_fn_line(text, "parse_port"), Some(3));
        assert_eq!(
            find_fn_line("impl A { pub fn get<T>(&self) {} }", "get"),
            Some(1)
        );
        assert_eq!(find_fn_line("fn other() {}", "get"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_lines_parse_back() {
        let text = "S\t10\t42\nO\nS\t11\t43\nF\t12\tpanic\ta\\nb\nS\t13\t44\nS\t14\t45\nD\t15\ttimeout\tslow\n";
        let events = parse_log(text);
        assert_eq!(
            events[3],
            Event::Fail {
                ms: 12,
                kind: "panic".into(),
                message: "a\nb".into()
            }
        );
        let s = summarize(&events);
        assert_eq!(
            (s.cases, s.first_failure_ms, s.deaths, s.timeouts),
            (2, Some(12), 2, 1)
        );
        let outcomes = case_outcomes(&events);
        assert!(failure_of(13, outcomes[2].1).is_some_and(|f| f.0 == "crash"));
    }

    #[test]
    fn root_causes_are_the_kind_and_the_panic_site_or_the_message_shape() {
        // Two panics at one site with different values are one root cause; another line is another.
        let a = root_cause("panic", "panicked: index 7 out of range at src/lib.rs:14:9");
        assert_eq!(a, "panic@src/lib.rs:14");
        assert_eq!(
            a,
            root_cause(
                "panic",
                "panicked: index 12 out of range at src/lib.rs:14:21"
            )
        );
        assert_ne!(a, root_cause("panic", "panicked: empty at src/lib.rs:15:9"));
        // No site: the message's shape, numbers folded.
        assert_eq!(
            root_cause("panic", "panicked: bad 12"),
            root_cause("panic", "panicked: bad 7")
        );
        assert_ne!(
            root_cause("property", "roundtrip gave 3"),
            root_cause("property", "ensures `x > 0` returned false")
        );
        // A timeout, an allocation, a crash: one each, whatever the sizes in the message.
        assert_eq!(
            root_cause("timeout", "one call took 1200 ms"),
            root_cause(
                "timeout",
                "the call did not return within 3500 ms (stopped)"
            )
        );
        assert_ne!(root_cause("crash", "x"), root_cause("timeout", "x"));
    }

    #[test]
    fn rounds_read_back_what_the_parent_wrote() {
        let round = Round {
            index: 2,
            cases: 117,
            deadline_ms: 1_700_000_000_000,
            known: vec![
                "panic@src/a b.rs:3".into(),
                "property:x\\y\tz".into(),
                "crash".into(),
            ],
        };
        assert_eq!(Round::parse(&round.to_text()), Some(round.clone()));
        assert!(round.is_known("crash", "anything"));
        assert!(round.is_known("panic", "panicked: boom at src/a b.rs:3:1"));
        assert!(!round.is_known("panic", "panicked: boom at src/a b.rs:4:1"));
        // The first round knows nothing yet.
        assert!(!Round::first(256).is_known("crash", ""));
    }

    #[test]
    fn a_case_that_survives_a_refused_allocation_ends_as_it_ends() {
        // `try_reserve` past the hard limit: the note is written, the call gets `Err` and the case passes.
        let text = "S\t10\t42\nD\t11\talloc\ttoo big\nO\nS\t12\t43\nD\t13\talloc\ttoo big\n";
        let events = parse_log(text);
        let s = summarize(&events);
        assert_eq!((s.cases, s.first_failure_ms, s.deaths), (2, Some(13), 1));
        assert!(failure_for(&events, 42).is_none());
        assert!(failure_for(&events, 43).is_some_and(|f| f.0 == "alloc"));
        // A timeout noted while the process was dying on the allocation does not replace it.
        let events = parse_log("S\t10\t44\nD\t11\talloc\ttoo big\nD\t12\ttimeout\tstopped\n");
        assert!(failure_for(&events, 44).is_some_and(|f| f.0 == "alloc"));
        // An abort on an allocation the caller asked for is known to every round: never shrunk, never a failure.
        assert!(Round::first(256).is_known(REQUESTED, "asked"));
    }

    #[test]
    fn reasons_split_into_kind_and_message() {
        assert_eq!(
            split_reason("[alloc] too much"),
            ("alloc".into(), "too much".into())
        );
        assert_eq!(split_reason("Child process exited").0, "crash");
    }

    #[test]
    fn pinned_outputs_hold_until_the_output_changes() {
        assert!(pinned(|| format!("{:?}", Some(3)), "Some(3)").is_ok());
        let err = pinned(|| format!("{:?}", Some(4)), "Some(3)").unwrap_err();
        assert!(
            err.to_string().contains("it was `Some(3)`, now `Some(4)`"),
            "{err}"
        );
        // A pinned panic holds for any panic message; a panic where a value was pinned fails.
        assert!(pinned(|| panic!("other text"), "panic!(\"overflow\")").is_ok());
        let err = pinned(|| panic!("boom"), "Some(3)").unwrap_err();
        assert!(err.to_string().contains("now `panic!(\"boom\")`"), "{err}");
        assert!(pinned(|| "Some(3)".to_string(), "panic!(\"x\")").is_err());
    }

    #[test]
    fn setup_allocations_are_not_counted_as_the_calls() {
        let m = measure::measure(64 << 20, None, || {
            let built = setup(|| vec![1u8; 8 << 20])?;
            let own = vec![2u8; 1024];
            std::hint::black_box((&built, &own));
            Ok::<(), TestCaseError>(())
        });
        assert!(m.peak < 1 << 20, "peak {}", m.peak);
        // The same allocation in the call itself counts.
        let m = measure::measure(64 << 20, None, || {
            std::hint::black_box(vec![1u8; 8 << 20]);
        });
        assert!(m.peak >= 8 << 20, "peak {}", m.peak);
    }

    #[test]
    fn an_allocation_in_proportion_to_a_big_input_passes_and_an_amplification_fails() {
        use std::time::Duration;
        let settings = Settings {
            max_alloc: 1 << 20,
            ..Settings::default()
        };
        let limit = Duration::from_secs(60);
        let call = |input_size: u64| {
            measure::set_input_size(input_size);
            let m = measure::measure(settings.max_alloc, None, || {
                std::hint::black_box(vec![1u8; 8 << 20]);
                Ok::<(), TestCaseError>(())
            });
            classify(&m, &settings, limit, settings.max_alloc)
        };
        // 8 MiB built from 16 kB of Debug text (512 times it): the input's cost.
        assert!(matches!(call(16_000), CaseResult::Pass));
        // The same 8 MiB from 100 bytes (84,000 times it): an amplification.
        assert!(
            matches!(call(100), CaseResult::Fail(FailureKind::Alloc, _)),
            "a short input's big allocation still fails"
        );
        // Nothing told: the plain limit.
        let m = measure::measure(settings.max_alloc, None, || {
            std::hint::black_box(vec![1u8; 8 << 20]);
            Ok::<(), TestCaseError>(())
        });
        assert_eq!(m.input_cost, 0);
        assert!(matches!(
            classify(&m, &settings, limit, settings.max_alloc),
            CaseResult::Fail(FailureKind::Alloc, _)
        ));
    }

    #[test]
    fn setup_time_is_not_the_calls() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::time::Duration;
        // Wide margins: at 150 ms, a loaded CI machine measured 297 ms for a call of 50 ms after its set-up.
        let limit = Duration::from_millis(500);
        let timed_out = std::sync::Arc::new(AtomicBool::new(false));
        let watch = |flag: &std::sync::Arc<AtomicBool>| {
            let flag = flag.clone();
            Some((
                limit,
                Box::new(move || flag.store(true, Ordering::SeqCst)) as Box<dyn Fn() + Send>,
            ))
        };
        let m = measure::measure(1 << 30, watch(&timed_out), || {
            setup(|| std::thread::sleep(3 * limit))?;
            std::thread::sleep(limit / 3);
            Ok::<(), TestCaseError>(())
        });
        assert!(m.elapsed < limit, "elapsed {:?}", m.elapsed);
        assert!(
            !timed_out.load(Ordering::SeqCst),
            "the watchdog fired during set-up"
        );
        // The same sleep in the call itself is the call's.
        let m = measure::measure(1 << 30, watch(&timed_out), || {
            std::thread::sleep(2 * limit);
        });
        assert!(m.elapsed >= 2 * limit, "elapsed {:?}", m.elapsed);
        assert!(
            timed_out.load(Ordering::SeqCst),
            "the watchdog did not fire on the call"
        );
    }

    #[test]
    fn setup_panics_are_rejections() {
        measure::install_hook();
        let m = measure::measure(1 << 30, None, || {
            setup(|| -> u8 { panic!("bad receiver") }).map(|_| ())
        });
        match m.result {
            Ok(Err(TestCaseError::Reject(r))) => {
                assert!(r.message().contains("bad receiver"), "{r}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn block_on_runs_ready_and_pending_futures() {
        assert_eq!(block_on(async { 2 + 2 }), 4);
        let mut polled = false;
        let f = std::future::poll_fn(|_| {
            if std::mem::replace(&mut polled, true) {
                Poll::Ready(1)
            } else {
                Poll::Pending
            }
        });
        assert_eq!(block_on(f), 1);
    }
}
