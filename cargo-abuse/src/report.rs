//! Output formats (quick-junit for JUnit XML, similar for diffs; serde_json for JSON and SARIF): pure functions from plain data to text.
//!
//! `run` produces a [`RunReport`]; this module renders it for people (a table per function, then the
//! failures in full, the policy violations and a summary with the replay seed), for CI systems (JUnit
//! XML, SARIF 2.1.0, GitHub annotations and step summary Markdown) and for scripts (JSON lines). The
//! `report` command's pull-request view ([`PrReport`]) is rendered here too.
//!
//! Everything is deterministic: functions are sorted by package then path, nothing depends on the
//! clock, and paths are the workspace-relative, forward-slash paths of the model.
//!
//! # SARIF rule ids
//!
//! Failures get one rule per *failure kind*, not per property: `abuse/panic`, `abuse/timeout`,
//! `abuse/alloc`, `abuse/crash`, and `abuse/property` for a declared property that did not hold
//! (roundtrip, idempotent, oracle, ensures, deterministic; the property's name is in the result's
//! message and in `properties.property`). A property that could not be run at all is
//! `abuse/not-run`. Policy violations keep their own rule id (`abuse/stale-signoff`,
//! `abuse/missing-key`, `abuse/owner-not-allowed`, `abuse/stale-harness`). Kinds stay few and stable
//! so code-scanning dashboards can group and dismiss by rule.
//!
//! # JSON lines (`--json`)
//!
//! One JSON object per line. First one record per function, sorted by package then function:
//!
//! - `record`: `"function"`
//! - `package`, `function` (path from the crate root), `file` (workspace-relative), `line`
//! - `prompt`, `author`, `test_owner`: strings or `null`
//! - `status`: `"pass"` (every property held), `"fail"` (one or more failed) or `"not_run"` (no property
//!   failed but one or more could not run, or there were none)
//! - `properties`: array of `{property, source, outcome, kind, rule, cases, rejected, elapsed_ms, input,
//!   message}` (`rule` is the SARIF rule id of a failure, `null` when it passed)
//! - `violations`: array of `{rule, severity, message}` for this function
//!
//! A function that only has policy violations (it was not run) gets a record with no properties. The
//! last line is `{"record": "summary", "seed": N, "ok": bool, ...counts}` (see [`Summary`]).

use crate::model::{
    FailureKind, FnResult, Outcome, PropertyResult, ResultSource, RunReport, Severity,
    SignoffState, Violation,
};
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

/// Where the tool is documented (SARIF `informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/cargo-abuse/cargo-abuse";

/// The SARIF 2.1.0 schema URI written as `$schema` (the OASIS standard's, errata 01).
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Counts over a run, for the summary line, the JSON summary record and the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    /// The seed the property tests used.
    pub seed: u64,
    /// Whether the run holds: no property failed or could not run, and no error-severity violation.
    pub ok: bool,
    /// Functions reported (run, or with violations only).
    pub functions: usize,
    /// Functions whose properties all held.
    pub functions_passed: usize,
    /// Functions with at least one failed property.
    pub functions_failed: usize,
    /// Functions with no failure but a property not run (or none at all).
    pub functions_not_run: usize,
    /// Properties that held.
    pub properties_passed: usize,
    /// Properties that failed.
    pub properties_failed: usize,
    /// Properties that could not run.
    pub properties_not_run: usize,
    /// Violations that fail the run.
    pub violation_errors: usize,
    /// Violations reported only.
    pub violation_warnings: usize,
}

/// Counts the outcomes of `report`.
pub fn summarize(report: &RunReport) -> Summary {
    let groups = group(report);
    let mut s = Summary {
        seed: report.seed,
        functions: groups.len(),
        ..Summary::default()
    };
    for g in &groups {
        match g.status() {
            Outcome::Pass => s.functions_passed += 1,
            Outcome::Fail => s.functions_failed += 1,
            Outcome::NotRun => s.functions_not_run += 1,
        }
    }
    for p in report.functions.iter().flat_map(|f| &f.properties) {
        match p.outcome {
            Outcome::Pass => s.properties_passed += 1,
            Outcome::Fail => s.properties_failed += 1,
            Outcome::NotRun => s.properties_not_run += 1,
        }
    }
    for v in &report.violations {
        match v.severity {
            Severity::Error => s.violation_errors += 1,
            Severity::Warning => s.violation_warnings += 1,
        }
    }
    s.ok = s.properties_failed == 0 && s.properties_not_run == 0 && s.violation_errors == 0;
    s
}

/// The SARIF rule id for a property result that did not pass (`None` when it passed).
pub fn rule_for(p: &PropertyResult) -> Option<&'static str> {
    match p.outcome {
        Outcome::Pass => None,
        Outcome::NotRun => Some("abuse/not-run"),
        Outcome::Fail => Some(match p.kind.map(FailureKind::as_str) {
            Some("panic") => "abuse/panic",
            Some("timeout") => "abuse/timeout",
            Some("alloc") => "abuse/alloc",
            Some("crash") => "abuse/crash",
            _ => "abuse/property",
        }),
    }
}

/// One function's results and violations, the unit every format reports on.
struct Group<'a> {
    package: &'a str,
    function: &'a str,
    file: &'a str,
    line: u32,
    result: Option<&'a FnResult>,
    violations: Vec<&'a Violation>,
}

impl Group<'_> {
    fn properties(&self) -> &[PropertyResult] {
        self.result.map_or(&[], |r| &r.properties)
    }

    fn status(&self) -> Outcome {
        let props = self.properties();
        if props.iter().any(|p| p.outcome == Outcome::Fail) {
            Outcome::Fail
        } else if props.is_empty() || props.iter().any(|p| p.outcome == Outcome::NotRun) {
            Outcome::NotRun
        } else {
            Outcome::Pass
        }
    }

    fn owner(&self) -> &str {
        self.result
            .and_then(|r| r.test_owner.as_deref())
            .unwrap_or("-")
    }
}

/// Functions and violations joined by (package, function), sorted.
fn group(report: &RunReport) -> Vec<Group<'_>> {
    let mut groups: BTreeMap<(&str, &str), Group<'_>> = BTreeMap::new();
    for f in &report.functions {
        groups.insert(
            (&f.package, &f.function),
            Group {
                package: &f.package,
                function: &f.function,
                file: &f.file,
                line: f.line,
                result: Some(f),
                violations: Vec::new(),
            },
        );
    }
    for v in &report.violations {
        groups
            .entry((&v.package, &v.function))
            .or_insert_with(|| Group {
                package: &v.package,
                function: &v.function,
                file: &v.file,
                line: v.line,
                result: None,
                violations: Vec::new(),
            })
            .violations
            .push(v);
    }
    groups.into_values().collect()
}

/// Every failed or not-run property, in report order, with its function.
fn problems(report: &RunReport) -> Vec<(&FnResult, &PropertyResult)> {
    let mut out: Vec<_> = report
        .functions
        .iter()
        .flat_map(|f| f.properties.iter().map(move |p| (f, p)))
        .filter(|(_, p)| p.outcome != Outcome::Pass)
        .collect();
    out.sort_by(|a, b| (&a.0.package, &a.0.function).cmp(&(&b.0.package, &b.0.function)));
    out
}

/// Violations sorted by package, function, rule.
fn sorted_violations(report: &RunReport) -> Vec<&Violation> {
    let mut out: Vec<_> = report.violations.iter().collect();
    out.sort_by(|a, b| (&a.package, &a.function, &a.rule).cmp(&(&b.package, &b.function, &b.rule)));
    out
}

fn property_label(p: &PropertyResult) -> String {
    match p.source {
        ResultSource::Proptest => p.property.to_string(),
        ResultSource::Fuzz => format!("{} (fuzz)", p.property),
        ResultSource::Regression => format!("{} (regression)", p.property),
    }
}

fn outcome_word(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "ok",
        Outcome::Fail => "FAILED",
        Outcome::NotRun => "not run",
    }
}

fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// `12ms`, `1.25s`, `2m03s`.
fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.2}s", ms as f64 / 1000.0)
    } else {
        format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

/// `1 function`, `2 functions`.
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The counts line: `4 functions (1 passed, 1 failed, 2 not run) · 6 properties (...) · 2 policy
/// violations (1 error, 1 warning)`, parts joined by `sep`.
fn counts_text(s: &Summary, sep: &str) -> String {
    let properties = s.properties_passed + s.properties_failed + s.properties_not_run;
    let violations = s.violation_errors + s.violation_warnings;
    [
        format!(
            "{} ({} passed, {} failed, {} not run)",
            plural(s.functions, "function", "functions"),
            s.functions_passed,
            s.functions_failed,
            s.functions_not_run
        ),
        format!(
            "{} ({} passed, {} failed, {} not run)",
            plural(properties, "property", "properties"),
            s.properties_passed,
            s.properties_failed,
            s.properties_not_run
        ),
        format!(
            "{} ({}, {})",
            plural(violations, "policy violation", "policy violations"),
            plural(s.violation_errors, "error", "errors"),
            plural(s.violation_warnings, "warning", "warnings")
        ),
    ]
    .join(sep)
}

fn location(file: &str, line: u32) -> String {
    format!("{}:{line}", file.replace('\\', "/"))
}

/// What failed, in one line: the message, or the limit exceeded.
fn headline(p: &PropertyResult) -> String {
    match (&p.message, p.outcome) {
        (Some(m), _) => m.lines().next().unwrap_or("").to_string(),
        (None, Outcome::NotRun) => "not run".to_string(),
        (None, _) => format!("{} failed", p.property),
    }
}

// ---------------------------------------------------------------------------------------------
// Human output

/// ANSI styling, or none.
struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn outcome(&self, o: Outcome, text: &str) -> String {
        match o {
            Outcome::Pass => self.wrap("32", text),
            Outcome::Fail => self.wrap("1;31", text),
            Outcome::NotRun => self.wrap("33", text),
        }
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
}

/// The terminal and log report: a table per function (each property's result, cases, time, owner),
/// then every failure in full, the policy violations, the counts, and the seed to replay the run.
pub fn render_human(report: &RunReport, color: bool) -> String {
    let paint = Paint(color);
    let mut out = String::new();
    for g in group(report) {
        let _ = writeln!(
            out,
            "{} {}  {}",
            paint.bold(&format!("{}::{}", g.package, g.function)),
            paint.dim(&location(g.file, g.line)),
            paint.outcome(g.status(), outcome_word(g.status())),
        );
        let props = g.properties();
        if props.is_empty() {
            let _ = writeln!(out, "    (no property run)");
        } else {
            let rows: Vec<[String; 5]> = props
                .iter()
                .map(|p| {
                    [
                        property_label(p),
                        outcome_word(p.outcome).to_string(),
                        p.cases.to_string(),
                        duration(p.elapsed_ms),
                        g.owner().to_string(),
                    ]
                })
                .collect();
            let header = ["property", "result", "cases", "time", "owner"];
            let mut widths = header.map(str::len);
            for row in &rows {
                for (w, cell) in widths.iter_mut().zip(row) {
                    *w = (*w).max(cell.chars().count());
                }
            }
            let line = |cells: [String; 5], styled: Option<Outcome>| {
                let mut s = String::from("    ");
                for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
                    let pad = w - cell.chars().count();
                    let text = match (i, styled) {
                        (1, Some(o)) => paint.outcome(o, cell),
                        _ => cell.clone(),
                    };
                    // Numbers align right, text left.
                    if i == 2 || i == 3 {
                        s.push_str(&" ".repeat(pad));
                        s.push_str(&text);
                    } else {
                        s.push_str(&text);
                        s.push_str(&" ".repeat(pad));
                    }
                    s.push_str("  ");
                }
                s.truncate(s.trim_end().len());
                s
            };
            let _ = writeln!(out, "{}", paint.dim(&line(header.map(String::from), None)));
            for (row, p) in rows.into_iter().zip(props) {
                let _ = writeln!(out, "{}", line(row, Some(p.outcome)));
            }
        }
        out.push('\n');
    }

    let problems = problems(report);
    if !problems.is_empty() {
        let _ = writeln!(out, "{}", paint.bold("failures:"));
        for (f, p) in &problems {
            out.push('\n');
            let rule = rule_for(p).unwrap_or("");
            let _ = writeln!(
                out,
                "{}",
                paint.outcome(
                    p.outcome,
                    &format!(
                        "---- {}::{}: {} [{rule}] ----",
                        f.package,
                        f.function,
                        property_label(p)
                    ),
                )
            );
            let mut field = |name: &str, value: &str| {
                let mut lines = value.lines();
                let first = lines.next().unwrap_or("");
                let _ = writeln!(out, "  {:<11} {first}", format!("{name}:"));
                for l in lines {
                    let _ = writeln!(out, "  {:<11} {l}", "");
                }
            };
            if let Some(input) = &p.input {
                field("input", &shown_input(input));
            }
            field("message", p.message.as_deref().unwrap_or(&headline(p)));
            field("location", &location(&f.file, f.line));
            field("prompt", f.prompt.as_deref().unwrap_or("(none recorded)"));
            field("author", f.author.as_deref().unwrap_or("(none recorded)"));
            field(
                "test owner",
                f.test_owner.as_deref().unwrap_or("(none recorded)"),
            );
        }
        out.push('\n');
    }

    let violations = sorted_violations(report);
    if !violations.is_empty() {
        let _ = writeln!(out, "{}", paint.bold("policy violations:"));
        for v in violations {
            let sev = match v.severity {
                Severity::Error => paint.wrap("1;31", "error"),
                Severity::Warning => paint.wrap("33", "warning"),
            };
            let _ = writeln!(
                out,
                "  {sev}[{}] {}::{} at {}",
                v.rule,
                v.package,
                v.function,
                location(&v.file, v.line)
            );
            for l in v.message.lines() {
                let _ = writeln!(out, "      {l}");
            }
        }
        out.push('\n');
    }

    let s = summarize(report);
    let verdict = if s.properties_failed > 0 || s.violation_errors > 0 {
        paint.outcome(Outcome::Fail, "FAILED")
    } else if s.properties_not_run > 0 {
        paint.outcome(Outcome::NotRun, "INCOMPLETE")
    } else {
        paint.outcome(Outcome::Pass, "ok")
    };
    let _ = writeln!(out, "abuse result: {verdict}. {}", counts_text(&s, "; "));
    let _ = writeln!(
        out,
        "seed: {} (replay this run with `cargo abuse run --seed {}`)",
        report.seed, report.seed
    );
    out
}

// ---------------------------------------------------------------------------------------------
// JSON lines

/// One JSON record per function, then a summary record; the fields are listed in the module docs.
pub fn render_json(report: &RunReport) -> String {
    let mut out = String::new();
    for g in group(report) {
        let properties: Vec<Value> = g
            .properties()
            .iter()
            .map(|p| {
                let mut v = serde_json::to_value(p).expect("model types serialize");
                v["rule"] = json!(rule_for(p));
                v
            })
            .collect();
        let violations: Vec<Value> = g
            .violations
            .iter()
            .map(|v| json!({"rule": v.rule, "severity": v.severity, "message": v.message}))
            .collect();
        let status = match g.status() {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotRun => "not_run",
        };
        let record = json!({
            "record": "function",
            "package": g.package,
            "function": g.function,
            "file": g.file.replace('\\', "/"),
            "line": g.line,
            "prompt": g.result.and_then(|r| r.prompt.as_deref()),
            "author": g.result.and_then(|r| r.author.as_deref()),
            "test_owner": g.result.and_then(|r| r.test_owner.as_deref()),
            "status": status,
            "properties": properties,
            "violations": violations,
        });
        out.push_str(&record.to_string());
        out.push('\n');
    }
    let mut summary = serde_json::to_value(summarize(report)).expect("summary serializes");
    summary["record"] = json!("summary");
    out.push_str(&summary.to_string());
    out.push('\n');
    out
}

// ---------------------------------------------------------------------------------------------
// JUnit XML

/// JUnit XML: a `testsuite` per package, a `testcase` per property (`classname` = `package::function`,
/// `name` = property), a `failure` carrying the message and the input; each policy violation is a
/// failed test case too (`name` = `policy: RULE`), a warning a passing one with the message in
/// `system-out`. A property that could not run is an `error`.
///
/// Written with quick-junit (the serializer cargo-nextest uses): escaping, control characters and
/// the attribute set CI systems read are its job, not hand-written XML's.
pub fn render_junit(report: &RunReport) -> String {
    let mut suites: BTreeMap<&str, TestSuite> = BTreeMap::new();
    for g in group(report) {
        let suite = suites
            .entry(g.package)
            .or_insert_with(|| TestSuite::new(g.package));
        let classname = format!("{}::{}", g.package, g.function);
        for p in g.properties() {
            let status = match p.outcome {
                Outcome::Pass => TestCaseStatus::success(),
                outcome => {
                    let kind = if outcome == Outcome::Fail {
                        NonSuccessKind::Failure
                    } else {
                        NonSuccessKind::Error
                    };
                    let f = g.result.expect("properties come from a result");
                    let mut status = TestCaseStatus::non_success(kind);
                    status
                        .set_message(headline(p))
                        .set_type(rule_for(p).unwrap_or("abuse/property"))
                        .set_description(failure_text(f, p));
                    status
                }
            };
            let mut case = TestCase::new(property_label(p), status);
            case.set_classname(classname.as_str())
                .set_time(Duration::from_millis(p.elapsed_ms));
            case.extra
                .insert("file".into(), g.file.replace('\\', "/").into());
            case.extra.insert("line".into(), g.line.to_string().into());
            suite.add_test_case(case);
        }
        for v in &g.violations {
            let status = match v.severity {
                Severity::Error => {
                    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    status
                        .set_message(v.message.lines().next().unwrap_or(""))
                        .set_type(v.rule.as_str())
                        .set_description(format!(
                            "{}\nlocation: {}",
                            v.message,
                            location(&v.file, v.line)
                        ));
                    status
                }
                Severity::Warning => TestCaseStatus::success(),
            };
            let mut case = TestCase::new(format!("policy: {}", v.rule), status);
            case.set_classname(classname.as_str());
            if v.severity == Severity::Warning {
                case.set_system_out(format!("warning: {}", v.message));
            }
            case.extra
                .insert("file".into(), v.file.replace('\\', "/").into());
            case.extra.insert("line".into(), v.line.to_string().into());
            suite.add_test_case(case);
        }
    }
    let mut junit = quick_junit::Report::new("cargo-abuse");
    junit.add_test_suites(suites.into_values());
    junit
        .to_string()
        .expect("serializing to a string cannot fail on I/O")
}

/// Inputs longer than this are cut in what people read (terminal, JUnit, SARIF, Markdown, annotations);
/// `--json` and the kept regression test have them whole. A hang on a list of 100,000-character strings
/// would otherwise print megabytes, and GitHub's step summary takes at most 1 MiB.
const SHOWN_INPUT_CHARS: usize = 2000;

/// `input`, or its first [`SHOWN_INPUT_CHARS`] characters and how much was left out.
fn shown_input(input: &str) -> std::borrow::Cow<'_, str> {
    match input.char_indices().nth(SHOWN_INPUT_CHARS) {
        None => std::borrow::Cow::Borrowed(input),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}… ({} more characters: the whole input is in `--json` and the kept regression test)",
            &input[..cut],
            input[cut..].chars().count()
        )),
    }
}

/// The failure in full, as plain text (JUnit failure body, SARIF and annotation messages).
fn failure_text(f: &FnResult, p: &PropertyResult) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "property: {}", property_label(p));
    if let Some(input) = &p.input {
        let _ = writeln!(s, "input: {}", shown_input(input));
    }
    if let Some(message) = &p.message {
        let _ = writeln!(s, "message: {message}");
    }
    let _ = writeln!(s, "location: {}", location(&f.file, f.line));
    if let Some(prompt) = &f.prompt {
        let _ = writeln!(s, "prompt: {prompt}");
    }
    let _ = writeln!(
        s,
        "author: {}",
        f.author.as_deref().unwrap_or("(none recorded)")
    );
    let _ = write!(
        s,
        "test owner: {}",
        f.test_owner.as_deref().unwrap_or("(none recorded)")
    );
    s
}

// ---------------------------------------------------------------------------------------------
// SARIF

/// A SARIF rule: id, short name, one-line and full description.
struct Rule {
    id: &'static str,
    name: &'static str,
    short: &'static str,
    full: &'static str,
    level: &'static str,
}

/// Every rule cargo-abuse reports, in a fixed order (their index is stable too).
const RULES: &[Rule] = &[
    Rule { id: "abuse/panic", name: "Panic", short: "The function panicked on an input", full: "An abuse test called the function with a generated input and it panicked. Fix the function or declare `may_panic` if panicking is its documented contract.", level: "error" },
    Rule { id: "abuse/timeout", name: "Timeout", short: "The function exceeded its per-call time limit", full: "One call did not return within the time limit (`timeout_ms`, default from the policy): a hang or a super-linear algorithm on a hostile input.", level: "error" },
    Rule { id: "abuse/alloc", name: "ExcessiveAllocation", short: "The function allocated more than its limit in one call", full: "Peak allocation of one call exceeded `max_alloc`: an input can make the function exhaust memory.", level: "error" },
    Rule { id: "abuse/crash", name: "Crash", short: "The function crashed the test process", full: "The test process aborted, overflowed its stack or was killed while running the function.", level: "error" },
    Rule { id: "abuse/property", name: "PropertyViolated", short: "A declared property did not hold", full: "A property declared in the attribute (roundtrip, idempotent, oracle, ensures, deterministic) was false for an input; the result names the property.", level: "error" },
    Rule { id: "abuse/not-run", name: "NotRun", short: "The function's abuse tests could not run", full: "The harness did not build or wrote no result record, so nothing is known about the function.", level: "error" },
    Rule { id: "abuse/stale-signoff", name: "StaleSignoff", short: "The sign-off is for another version of the function", full: "The function or its prompt changed after the test owner signed off. Re-run `cargo abuse sign PATH` once the change is reviewed.", level: "error" },
    Rule { id: "abuse/missing-key", name: "MissingKey", short: "A key the policy requires is missing from the attribute", full: "The workspace policy requires keys (such as `prompt`, `test_owner`, `signed_off`) that this attribute does not have.", level: "error" },
    Rule { id: "abuse/owner-not-allowed", name: "OwnerNotAllowed", short: "The test owner is not in the policy's allowed owners", full: "The attribute's test owner (or signer) is not listed in the policy's allowed owners.", level: "error" },
    Rule { id: "abuse/stale-harness", name: "StaleHarness", short: "The generated harness is missing or out of date", full: "Run `cargo abuse gen` and commit the result.", level: "error" },
];

/// Percent-encodes a workspace-relative path as a URI reference (forward slashes kept).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn sarif_location(file: &str, line: u32, package: &str, function: &str) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri(file) } });
    if line > 0 {
        physical["region"] = json!({ "startLine": line });
    }
    json!({
        "physicalLocation": physical,
        "logicalLocations": [{
            "fullyQualifiedName": format!("{package}::{function}"),
            "kind": "function",
        }],
    })
}

/// SARIF 2.1.0: one run of the `cargo-abuse` driver with the rules above, and a result per failed or
/// not-run property and per policy violation, located at the function (workspace-relative URI and
/// start line). Each result carries a `partialFingerprints` entry (`cargoAbuse/v1`: package,
/// function, rule and property) so code scanning tracks it across commits.
pub fn render_sarif(report: &RunReport, tool_version: &str) -> String {
    let mut rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "name": r.name,
                "shortDescription": { "text": r.short },
                "fullDescription": { "text": r.full },
                "help": { "text": r.full },
                "defaultConfiguration": { "level": r.level },
                "properties": { "tags": ["cargo-abuse", "testing"] },
            })
        })
        .collect();
    let mut index: BTreeMap<String, usize> = RULES
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.to_string(), i))
        .collect();
    let mut rule_index = |id: &str| -> usize {
        if let Some(&i) = index.get(id) {
            return i;
        }
        // A policy rule this version does not describe: listed anyway, so the index stays valid.
        rules.push(json!({ "id": id, "shortDescription": { "text": id } }));
        index.insert(id.to_string(), rules.len() - 1);
        rules.len() - 1
    };

    let mut results = Vec::new();
    for (f, p) in problems(report) {
        let rule = rule_for(p).expect("problems did not pass");
        let text = format!(
            "`{}::{}` {}: {}{}",
            f.package,
            f.function,
            match p.outcome {
                Outcome::NotRun => format!("{} could not run", property_label(p)),
                _ => format!("failed {}", property_label(p)),
            },
            headline(p),
            match &p.input {
                Some(input) => format!(" (smallest input: `{}`)", shown_input(input)),
                None => String::new(),
            }
        );
        let mut properties = json!({
            "package": f.package,
            "function": f.function,
            "property": p.property,
            "source": p.source,
            "cases": p.cases,
            "testOwner": f.test_owner,
            "author": f.author,
            "prompt": f.prompt,
        });
        if let Some(input) = &p.input {
            properties["input"] = json!(input);
        }
        if let Some(message) = &p.message {
            properties["detail"] = json!(message);
        }
        results.push(json!({
            "ruleId": rule,
            "ruleIndex": rule_index(rule),
            "level": "error",
            "message": { "text": text },
            "locations": [sarif_location(&f.file, f.line, &f.package, &f.function)],
            "partialFingerprints": {
                "cargoAbuse/v1": format!("{}::{}/{rule}/{}", f.package, f.function, p.property),
            },
            "properties": properties,
        }));
    }
    for v in sorted_violations(report) {
        results.push(json!({
            "ruleId": v.rule,
            "ruleIndex": rule_index(&v.rule),
            "level": severity_word(v.severity),
            "message": { "text": format!("`{}::{}`: {}", v.package, v.function, v.message) },
            "locations": [sarif_location(&v.file, v.line, &v.package, &v.function)],
            "partialFingerprints": {
                "cargoAbuse/v1": format!("{}::{}/{}", v.package, v.function, v.rule),
            },
            "properties": { "package": v.package, "function": v.function },
        }));
    }

    let sarif = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cargo-abuse",
                    "version": tool_version,
                    "semanticVersion": tool_version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "properties": { "seed": report.seed },
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&sarif).expect("json values serialize");
    text.push('\n');
    text
}

// ---------------------------------------------------------------------------------------------
// Markdown

/// Escapes text for a Markdown table cell: pipes, and newlines as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Inline code that survives backticks inside.
fn code(text: &str) -> String {
    let longest = longest_run(text, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced block that survives backtick fences inside.
fn fenced(lang: &str, text: &str) -> String {
    let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
    let body = text.trim_end_matches(['\n', '\r']);
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// The prompt as a blockquote.
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_string()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn icon(o: Outcome) -> &'static str {
    match o {
        Outcome::Pass => "✅",
        Outcome::Fail => "❌",
        Outcome::NotRun => "⚠️",
    }
}

/// Markdown for `--markdown FILE` and `$GITHUB_STEP_SUMMARY`: verdict, a table of functions, failures
/// in full, policy violations, and the seed.
pub fn render_markdown(report: &RunReport) -> String {
    let s = summarize(report);
    let mut out = String::new();
    let verdict = if s.ok {
        "✅ all properties held".to_string()
    } else {
        let mut parts = Vec::new();
        if s.properties_failed > 0 {
            parts.push(format!("{} failed", s.properties_failed));
        }
        if s.properties_not_run > 0 {
            parts.push(format!("{} not run", s.properties_not_run));
        }
        if s.violation_errors > 0 {
            parts.push(plural(
                s.violation_errors,
                "policy violation",
                "policy violations",
            ));
        }
        format!("❌ {}", parts.join(", "))
    };
    let _ = writeln!(out, "## cargo-abuse: {verdict}\n");
    let _ = writeln!(out, "{}\n", counts_text(&s, " · "));

    let groups = group(report);
    if !groups.is_empty() {
        out.push_str("| | function | location | test owner | properties | cases | time |\n");
        out.push_str("|---|---|---|---|---|---|---|\n");
        for g in &groups {
            let props = g.properties();
            let held = props.iter().filter(|p| p.outcome == Outcome::Pass).count();
            let failed: Vec<String> = props
                .iter()
                .filter(|p| p.outcome != Outcome::Pass)
                .map(property_label)
                .collect();
            let summary = if failed.is_empty() {
                format!("{held}/{} held", props.len())
            } else {
                format!(
                    "{held}/{} held; not held: {}",
                    props.len(),
                    failed.join(", ")
                )
            };
            let cases: u64 = props.iter().map(|p| p.cases).sum();
            let ms: u64 = props.iter().map(|p| p.elapsed_ms).sum();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                icon(g.status()),
                cell(&code(&format!("{}::{}", g.package, g.function))),
                cell(&code(&location(g.file, g.line))),
                cell(g.owner()),
                cell(&summary),
                cases,
                duration(ms),
            );
        }
        out.push('\n');
    }

    let problems = problems(report);
    if !problems.is_empty() {
        out.push_str("### Failures\n\n");
        for (f, p) in problems {
            let _ = writeln!(
                out,
                "#### {} {} — {} ({})\n",
                icon(p.outcome),
                code(&format!("{}::{}", f.package, f.function)),
                property_label(p),
                rule_for(p).unwrap_or(""),
            );
            let _ = writeln!(out, "- **location**: {}", code(&location(&f.file, f.line)));
            let _ = writeln!(
                out,
                "- **author**: {} · **test owner**: {}",
                f.author.as_deref().unwrap_or("(none recorded)"),
                f.test_owner.as_deref().unwrap_or("(none recorded)")
            );
            let _ = writeln!(
                out,
                "- **cases**: {} in {}",
                p.cases,
                duration(p.elapsed_ms)
            );
            out.push('\n');
            if let Some(input) = &p.input {
                out.push_str("Smallest failing input:\n\n");
                out.push_str(&fenced("rust", &shown_input(input)));
                out.push('\n');
            }
            if let Some(message) = &p.message {
                out.push_str("Message:\n\n");
                out.push_str(&fenced("text", message));
                out.push('\n');
            }
            if let Some(prompt) = &f.prompt {
                out.push_str("Prompt:\n\n");
                out.push_str(&quote(prompt));
                out.push('\n');
            }
        }
    }

    let violations = sorted_violations(report);
    if !violations.is_empty() {
        out.push_str("### Policy violations\n\n");
        out.push_str("| severity | rule | function | location | what to do |\n");
        out.push_str("|---|---|---|---|---|\n");
        for v in violations {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                severity_word(v.severity),
                cell(&code(&v.rule)),
                cell(&code(&format!("{}::{}", v.package, v.function))),
                cell(&code(&location(&v.file, v.line))),
                cell(&v.message),
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Seed `{}`: replay with `cargo abuse run --seed {}`.",
        report.seed, report.seed
    );
    out
}

// ---------------------------------------------------------------------------------------------
// GitHub annotations

/// Escapes a workflow command's message (`%`, `\r`, `\n`).
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (as data, plus `:` and `,`).
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions `::error`/`::warning` lines at each failing function, failures first, then error and
/// warning violations; at most `limit` (GitHub shows about ten per step; the SARIF carries the rest).
pub fn github_annotations(report: &RunReport, limit: usize) -> Vec<String> {
    let command = |level: &str, file: &str, line: u32, title: &str, message: &str| {
        let mut props = format!("file={}", escape_property(&file.replace('\\', "/")));
        if line > 0 {
            let _ = write!(props, ",line={line}");
        }
        let _ = write!(props, ",title={}", escape_property(title));
        format!("::{level} {props}::{}", escape_data(message))
    };
    let mut lines: Vec<String> = problems(report)
        .into_iter()
        .map(|(f, p)| {
            let title = format!(
                "{}: {}::{} {}",
                rule_for(p).unwrap_or(""),
                f.package,
                f.function,
                property_label(p)
            );
            command("error", &f.file, f.line, &title, &failure_text(f, p))
        })
        .collect();
    let mut violations = sorted_violations(report);
    violations.sort_by_key(|v| v.severity == Severity::Warning);
    lines.extend(violations.into_iter().map(|v| {
        let title = format!("{}: {}::{}", v.rule, v.package, v.function);
        command(
            severity_word(v.severity),
            &v.file,
            v.line,
            &title,
            &v.message,
        )
    }));
    lines.truncate(limit);
    lines
}

// ---------------------------------------------------------------------------------------------
// Pull-request report

/// One tagged function whose tokens or prompt changed since the base revision (`cargo abuse report`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrEntry {
    /// Package name.
    pub package: String,
    /// Path from the crate root.
    pub function: String,
    /// File relative to the workspace root.
    pub file: String,
    /// 1-based line of the function now.
    pub line: u32,
    /// The prompt now (inline or from `prompt_file`).
    pub prompt: Option<String>,
    /// The prompt at the base revision, when it differs from `prompt` (shown as its own diff).
    pub old_prompt: Option<String>,
    /// Prompt author.
    pub author: Option<String>,
    /// Reviewer.
    pub reviewer: Option<String>,
    /// Test owner.
    pub test_owner: Option<String>,
    /// Sign-off state now.
    pub signoff: SignoffState,
    /// The function's last known result (from the last `run`), if any.
    pub last_result: Option<Outcome>,
    /// The function's source at the base revision; `None` when it is new.
    pub old_source: Option<String>,
    /// 1-based line where `old_source` starts in the file at the base revision.
    pub old_line: Option<u32>,
    /// The function's source now.
    pub new_source: String,
}

/// What `cargo abuse report` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrReport {
    /// The base revision as the user gave it (`origin/main`).
    pub since: String,
    /// Changed tagged functions, in the order to show them.
    pub entries: Vec<PrEntry>,
}

/// A unified diff of one function (or prompt) between the base revision and now.
/// The function's diff with hunk headers numbered as lines of the file, not of the function's snippet.
fn function_diff(e: &PrEntry) -> String {
    let diff = unified(e.old_source.as_deref(), &e.new_source, &e.file);
    let old_offset = e.old_line.map_or(0, |l| l.saturating_sub(1));
    let new_offset = e.line.saturating_sub(1);
    diff.lines()
        .map(|line| shift_hunk_header(line, old_offset, new_offset))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// `@@ -a,b +c,d @@` with `a` and `c` moved by the offsets (other lines unchanged).
fn shift_hunk_header(line: &str, old_offset: u32, new_offset: u32) -> String {
    let Some(rest) = line.strip_prefix("@@ -") else {
        return line.to_string();
    };
    let Some((ranges, tail)) = rest.split_once(" @@") else {
        return line.to_string();
    };
    let Some((old, new)) = ranges.split_once(" +") else {
        return line.to_string();
    };
    let shift = |range: &str, offset: u32| -> String {
        let (start, len) = range
            .split_once(',')
            .map_or((range, None), |(s, l)| (s, Some(l)));
        match start.parse::<u32>() {
            // An empty side (`-0,0`) stays as it is.
            Ok(n) if n > 0 => match len {
                Some(l) => format!("{},{l}", n + offset),
                None => format!("{}", n + offset),
            },
            _ => range.to_string(),
        }
    };
    format!(
        "@@ -{} +{} @@{tail}",
        shift(old, old_offset),
        shift(new, new_offset)
    )
}

fn unified(old: Option<&str>, new: &str, file: &str) -> String {
    let with_newline = |s: &str| {
        if s.is_empty() || s.ends_with('\n') {
            s.to_string()
        } else {
            format!("{s}\n")
        }
    };
    let old = with_newline(old.unwrap_or(""));
    let new = with_newline(new);
    let diff = similar::TextDiff::from_lines(&old, &new);
    diff.unified_diff()
        .context_radius(3)
        .header(&format!("a/{file}"), &format!("b/{file}"))
        .to_string()
}

fn signoff_text(s: &SignoffState) -> String {
    match s {
        SignoffState::None => "none".to_string(),
        SignoffState::Current { owner, date } => format!("current ({owner}, {date})"),
        SignoffState::Stale { owner, date, .. } => {
            format!("stale: signed by {owner} on {date} for another version")
        }
    }
}

fn last_result_text(o: Option<Outcome>) -> &'static str {
    match o {
        Some(Outcome::Pass) => "✅ passed",
        Some(Outcome::Fail) => "❌ failed",
        Some(Outcome::NotRun) => "⚠️ not run",
        None => "unknown",
    }
}

/// Markdown for a pull request: per function, the accountability record, the prompt, then the diff.
pub fn render_pr_report_md(report: &PrReport) -> String {
    let mut out = String::new();
    let n = report.entries.len();
    let _ = writeln!(
        out,
        "## cargo-abuse: {n} AI-generated function{} changed since {}\n",
        if n == 1 { "" } else { "s" },
        code(&report.since)
    );
    if n == 0 {
        out.push_str("No tagged function changed.\n");
        return out;
    }
    for e in &report.entries {
        let new = if e.old_source.is_none() { " (new)" } else { "" };
        let _ = writeln!(
            out,
            "### {}{new} — {}\n",
            code(&format!("{}::{}", e.package, e.function)),
            code(&location(&e.file, e.line))
        );
        out.push_str("| author | reviewer | test owner | sign-off | last result |\n");
        out.push_str("|---|---|---|---|---|\n");
        let or_none = |s: &Option<String>| cell(s.as_deref().unwrap_or("—"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |\n",
            or_none(&e.author),
            or_none(&e.reviewer),
            or_none(&e.test_owner),
            cell(&signoff_text(&e.signoff)),
            last_result_text(e.last_result),
        );
        out.push_str("**Prompt**\n\n");
        match &e.prompt {
            Some(p) => out.push_str(&quote(p)),
            None => out.push_str("_No prompt recorded._\n"),
        }
        out.push('\n');
        if let (Some(old), Some(new)) = (&e.old_prompt, &e.prompt) {
            if old != new {
                out.push_str("**Prompt change**\n\n");
                out.push_str(&fenced("diff", &unified(Some(old), new, "prompt")));
                out.push('\n');
            }
        }
        out.push_str("**Change**\n\n");
        out.push_str(&fenced("diff", &function_diff(e)));
        out.push('\n');
    }
    out
}

/// JSON for `report --format json`: `{since, functions: [...]}` where each function has the entry's
/// record fields (not the sources), `new` (no source at the base), `diff` (unified diff of the
/// function) and `prompt_diff` (or `null` when the prompt did not change).
pub fn render_pr_report_json(report: &PrReport) -> String {
    let functions: Vec<Value> = report
        .entries
        .iter()
        .map(|e| {
            let prompt_diff = match (&e.old_prompt, &e.prompt) {
                (Some(old), Some(new)) if old != new => Some(unified(Some(old), new, "prompt")),
                _ => None,
            };
            json!({
                "package": e.package,
                "function": e.function,
                "file": e.file.replace('\\', "/"),
                "line": e.line,
                "prompt": e.prompt,
                "author": e.author,
                "reviewer": e.reviewer,
                "test_owner": e.test_owner,
                "signoff": e.signoff,
                "last_result": e.last_result,
                "new": e.old_source.is_none(),
                "diff": function_diff(e),
                "prompt_diff": prompt_diff,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({
        "since": report.since,
        "functions": functions,
    }))
    .expect("json values serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Checked;

    #[test]
    fn long_inputs_are_cut_for_people_and_say_how_much_is_left() {
        assert_eq!(shown_input("f(\"é\")"), "f(\"é\")");
        let long = "é".repeat(SHOWN_INPUT_CHARS + 5);
        let shown = shown_input(&long);
        assert!(shown.starts_with(&"é".repeat(SHOWN_INPUT_CHARS)), "{shown}");
        assert!(shown.contains("… (5 more characters"), "{shown}");
    }

    fn prop(property: &str, outcome: Outcome, kind: Option<&str>) -> PropertyResult {
        PropertyResult {
            // The rule tests name a property `x` that does not exist; any one does for them.
            property: Checked::from_name(property).unwrap_or(Checked::All),
            source: ResultSource::Proptest,
            outcome,
            kind: kind.map(|k| FailureKind::from_name(k).expect("a failure kind")),
            cases: if outcome == Outcome::Fail { 17 } else { 256 },
            rejected: 0,
            elapsed_ms: 120,
            input: (outcome == Outcome::Fail).then(|| "parse_port(\"65536\")".to_string()),
            message: match outcome {
                Outcome::Pass => None,
                Outcome::Fail => {
                    Some("attempt to add with overflow\nat src/net.rs:14:9".to_string())
                }
                Outcome::NotRun => Some("harness did not build".to_string()),
            },
        }
    }

    /// Two packages; a passing function, a failing one (panic + property), one not run, and
    /// violations (one on a function that was not run at all); text full of characters to escape.
    fn sample() -> RunReport {
        let mut fuzz = prop("no_panic", Outcome::Fail, Some("crash"));
        fuzz.source = ResultSource::Fuzz;
        fuzz.input = Some("&[0xff, 0x00]".to_string());
        fuzz.message = Some("stack overflow <&> 100% \"deep\", a:b".to_string());
        RunReport {
            seed: 42,
            functions: vec![
                FnResult {
                    package: "demo".into(),
                    function: "net::parse_port".into(),
                    file: "demo/src/net.rs".into(),
                    line: 12,
                    prompt: Some("Parse a TCP port; reject anything outside 1..=65535\n| pipes & <tags>".into()),
                    author: Some("alice".into()),
                    test_owner: Some("bob".into()),
                    properties: vec![
                        prop("no_panic", Outcome::Fail, Some("panic")),
                        prop("roundtrip", Outcome::Fail, Some("property")),
                        prop("deterministic", Outcome::Pass, None),
                        fuzz,
                    ],
                },
                FnResult {
                    package: "demo".into(),
                    function: "net::Port::new".into(),
                    file: "demo/src/net.rs".into(),
                    line: 40,
                    prompt: None,
                    author: None,
                    test_owner: Some("bob".into()),
                    properties: vec![prop("no_panic", Outcome::Pass, None)],
                },
                FnResult {
                    package: "other-pkg".into(),
                    function: "sanitize".into(),
                    file: "other pkg/src/lib.rs".into(),
                    line: 3,
                    prompt: Some("Strip `..` from paths".into()),
                    author: Some("dan".into()),
                    test_owner: None,
                    properties: vec![prop("no_panic", Outcome::NotRun, None)],
                },
            ],
            violations: vec![
                Violation {
                    rule: "abuse/stale-signoff".into(),
                    function: "net::parse_port".into(),
                    package: "demo".into(),
                    file: "demo/src/net.rs".into(),
                    line: 12,
                    message: "signed off by bob for 0123456789abcdef; the function changed: run `cargo abuse sign net::parse_port`".into(),
                    severity: Severity::Error,
                },
                Violation {
                    rule: "abuse/missing-key".into(),
                    function: "untested".into(),
                    package: "other-pkg".into(),
                    file: "other pkg/src/lib.rs".into(),
                    line: 20,
                    message: "missing `test_owner`, required by the policy".into(),
                    severity: Severity::Warning,
                },
            ],
        }
    }

    #[test]
    fn summary_counts_functions_properties_and_violations() {
        let s = summarize(&sample());
        assert_eq!(
            s,
            Summary {
                seed: 42,
                ok: false,
                functions: 4,
                functions_passed: 1,
                functions_failed: 1,
                functions_not_run: 2,
                properties_passed: 2,
                properties_failed: 3,
                properties_not_run: 1,
                violation_errors: 1,
                violation_warnings: 1,
            }
        );
        assert!(summarize(&RunReport::default()).ok);
    }

    #[test]
    fn rules_follow_failure_kinds() {
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("panic"))),
            Some("abuse/panic")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("timeout"))),
            Some("abuse/timeout")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("alloc"))),
            Some("abuse/alloc")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("crash"))),
            Some("abuse/crash")
        );
        assert_eq!(
            rule_for(&prop("roundtrip", Outcome::Fail, None)),
            Some("abuse/property")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::NotRun, None)),
            Some("abuse/not-run")
        );
        assert_eq!(rule_for(&prop("x", Outcome::Pass, None)), None);
    }

    #[test]
    fn human_report_has_tables_failures_violations_summary_and_seed() {
        let text = render_human(&sample(), false);
        assert!(!text.contains('\x1b'), "no colour when off");
        assert!(
            text.contains("demo::net::parse_port demo/src/net.rs:12  FAILED"),
            "{text}"
        );
        assert!(
            text.contains("    property         result  cases   time  owner"),
            "{text}"
        );
        assert!(
            text.contains("    roundtrip        FAILED     17  120ms  bob"),
            "{text}"
        );
        assert!(
            text.contains("    no_panic (fuzz)  FAILED     17  120ms  bob"),
            "{text}"
        );
        assert!(text.contains("---- demo::net::parse_port: roundtrip [abuse/property] ----"));
        assert!(text.contains("  input:      parse_port(\"65536\")"));
        assert!(text.contains(
            "  message:    attempt to add with overflow\n              at src/net.rs:14:9"
        ));
        assert!(text.contains("  location:   demo/src/net.rs:12"));
        assert!(text.contains("  prompt:     Parse a TCP port; reject anything outside 1..=65535"));
        assert!(text.contains("  author:     alice"));
        assert!(text.contains("  test owner: bob"));
        assert!(text
            .contains("  error[abuse/stale-signoff] demo::net::parse_port at demo/src/net.rs:12"));
        assert!(text.contains(
            "  warning[abuse/missing-key] other-pkg::untested at other pkg/src/lib.rs:20"
        ));
        assert!(text.contains(
            "other-pkg::untested other pkg/src/lib.rs:20  not run\n    (no property run)"
        ));
        assert!(text.contains(
            "abuse result: FAILED. 4 functions (1 passed, 1 failed, 2 not run); 6 properties (2 passed, 3 failed, 1 not run); 2 policy violations (1 error, 1 warning)"
        ), "{text}");
        assert!(text.ends_with("seed: 42 (replay this run with `cargo abuse run --seed 42`)\n"));
    }

    #[test]
    fn human_report_colours_only_when_asked() {
        let text = render_human(&sample(), true);
        assert!(text.contains("\x1b[1;31mFAILED\x1b[0m"));
        assert!(text.contains("\x1b[32mok\x1b[0m"));
        // Columns still line up: padding is computed on the plain text.
        let plain: String = render_human(&sample(), false);
        let stripped = text
            .split('\x1b')
            .enumerate()
            .map(|(i, part)| {
                if i == 0 {
                    part
                } else {
                    &part[part.find('m').unwrap() + 1..]
                }
            })
            .collect::<String>();
        assert_eq!(stripped, plain);
    }

    #[test]
    fn passing_run_says_ok() {
        let mut report = sample();
        report.functions.truncate(2);
        report.functions[0]
            .properties
            .retain(|p| p.outcome == Outcome::Pass);
        report.violations.clear();
        let text = render_human(&report, false);
        assert!(
            text.contains("abuse result: ok. 2 functions (2 passed"),
            "{text}"
        );
        assert!(!text.contains("failures:"));
        assert!(render_markdown(&report).starts_with("## cargo-abuse: ✅ all properties held\n"));
    }

    #[test]
    fn json_lines_have_one_record_per_function_and_a_summary() {
        let text = render_json(&sample());
        let records: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("each line is JSON"))
            .collect();
        assert_eq!(records.len(), 5);
        let names: Vec<_> = records[..4]
            .iter()
            .map(|r| {
                format!(
                    "{}::{}",
                    r["package"].as_str().unwrap(),
                    r["function"].as_str().unwrap()
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                "demo::net::Port::new",
                "demo::net::parse_port",
                "other-pkg::sanitize",
                "other-pkg::untested"
            ]
        );
        let port = &records[1];
        assert_eq!(port["record"], "function");
        assert_eq!(port["status"], "fail");
        assert_eq!(port["test_owner"], "bob");
        assert_eq!(port["properties"].as_array().unwrap().len(), 4);
        assert_eq!(port["properties"][0]["rule"], "abuse/panic");
        assert_eq!(port["properties"][0]["input"], "parse_port(\"65536\")");
        assert_eq!(port["properties"][2]["rule"], Value::Null);
        assert_eq!(port["properties"][3]["source"], "fuzz");
        assert_eq!(port["violations"][0]["rule"], "abuse/stale-signoff");
        assert_eq!(records[3]["status"], "not_run");
        assert_eq!(records[3]["properties"], json!([]));
        assert_eq!(records[4]["record"], "summary");
        assert_eq!(records[4]["seed"], 42);
        assert_eq!(records[4]["ok"], false);
    }

    #[test]
    fn junit_parses_with_right_counts() {
        let xml = render_junit(&sample());
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        // 6 properties + 2 violations; failures: 3 properties + 1 error violation; errors: 1 not run.
        assert_eq!(root.attribute("tests"), Some("8"));
        assert_eq!(root.attribute("failures"), Some("4"));
        assert_eq!(root.attribute("errors"), Some("1"));
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        assert_eq!(
            suites
                .iter()
                .map(|s| s.attribute("name").unwrap())
                .collect::<Vec<_>>(),
            ["demo", "other-pkg"]
        );
        assert_eq!(suites[0].attribute("tests"), Some("6"));
        assert_eq!(suites[0].attribute("failures"), Some("4"));
        let cases: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(cases.len(), 8);
        let roundtrip = cases
            .iter()
            .find(|c| c.attribute("name") == Some("roundtrip"))
            .unwrap();
        assert_eq!(
            roundtrip.attribute("classname"),
            Some("demo::net::parse_port")
        );
        assert_eq!(roundtrip.attribute("file"), Some("demo/src/net.rs"));
        assert_eq!(roundtrip.attribute("line"), Some("12"));
        let failure = roundtrip
            .children()
            .find(|n| n.has_tag_name("failure"))
            .unwrap();
        assert_eq!(
            failure.attribute("message"),
            Some("attempt to add with overflow")
        );
        assert_eq!(failure.attribute("type"), Some("abuse/property"));
        let body = failure.text().unwrap();
        assert!(body.contains("input: parse_port(\"65536\")"), "{body}");
        assert!(body.contains("test owner: bob"));
        let fuzz = cases
            .iter()
            .find(|c| c.attribute("name") == Some("no_panic (fuzz)"))
            .unwrap();
        let failure = fuzz.children().find(|n| n.has_tag_name("failure")).unwrap();
        assert_eq!(
            failure.attribute("message"),
            Some("stack overflow <&> 100% \"deep\", a:b")
        );
        let stale = cases
            .iter()
            .find(|c| c.attribute("name") == Some("policy: abuse/stale-signoff"))
            .unwrap();
        assert!(stale.children().any(|n| n.has_tag_name("failure")));
        let warning = cases
            .iter()
            .find(|c| c.attribute("name") == Some("policy: abuse/missing-key"))
            .unwrap();
        assert!(!warning.children().any(|n| n.has_tag_name("failure")));
        let not_run = cases
            .iter()
            .find(|c| c.attribute("classname") == Some("other-pkg::sanitize"))
            .unwrap();
        assert!(not_run.children().any(|n| n.has_tag_name("error")));
    }

    fn sarif_validator() -> jsonschema::Validator {
        let mut schema: Value =
            serde_json::from_str(include_str!("../tests/data/sarif-schema-2.1.0.json"))
                .expect("schema is JSON");
        // The official schema's `language` patterns (on `run` and `toolComponent`) have a stray `]`
        // (`...-[a-zA-Z]{2}]?$`) that the draft-07 meta-schema's `format: regex` rejects, so the
        // validator would refuse the schema itself. The file is shipped as published; only this copy
        // gets the intended pattern. Our output never sets `language`.
        for def in ["run", "toolComponent"] {
            let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
            assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
            *language = json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
        }
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    }

    fn assert_valid_sarif(text: &str) -> Value {
        let value: Value = serde_json::from_str(text).expect("SARIF is JSON");
        let validator = sarif_validator();
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "SARIF does not validate: {errors:#?}");
        value
    }

    #[test]
    fn sarif_validates_against_the_2_1_0_schema() {
        let sarif = assert_valid_sarif(&render_sarif(&sample(), "0.1.0"));
        assert_eq!(sarif["version"], "2.1.0");
        let run = &sarif["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "cargo-abuse");
        assert_eq!(run["tool"]["driver"]["version"], "0.1.0");
        assert_eq!(run["tool"]["driver"]["informationUri"], INFORMATION_URI);
        let rules: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        for id in [
            "abuse/panic",
            "abuse/timeout",
            "abuse/alloc",
            "abuse/crash",
            "abuse/property",
            "abuse/stale-signoff",
            "abuse/missing-key",
            "abuse/owner-not-allowed",
            "abuse/stale-harness",
        ] {
            assert!(rules.contains(&id), "{id}");
        }
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 6, "4 failed or not run + 2 violations");
        for r in results {
            let i = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i], r["ruleId"].as_str().unwrap());
        }
        let ids: Vec<&str> = results
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "abuse/panic",
                "abuse/property",
                "abuse/crash",
                "abuse/not-run",
                "abuse/stale-signoff",
                "abuse/missing-key"
            ]
        );
        let first = &results[0];
        assert_eq!(first["level"], "error");
        let loc = &first["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "demo/src/net.rs");
        assert_eq!(loc["region"]["startLine"], 12);
        assert_eq!(results[5]["level"], "warning");
        assert_eq!(
            results[5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "other%20pkg/src/lib.rs"
        );
        assert!(first["message"]["text"]
            .as_str()
            .unwrap()
            .contains("smallest input: `parse_port(\"65536\")`"));
    }

    #[test]
    fn sarif_of_an_empty_run_and_of_unknown_rules_validates() {
        assert_valid_sarif(&render_sarif(&RunReport::default(), "0.1.0"));
        let mut report = sample();
        report.violations[0].rule = "abuse/some-future-rule".into();
        report.violations[0].line = 0;
        let sarif = assert_valid_sarif(&render_sarif(&report, "0.1.0-dev"));
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.last().unwrap()["id"], "abuse/some-future-rule");
    }

    #[test]
    fn sarif_schema_rejects_a_broken_log() {
        // The validator really checks: a result without a message is not SARIF.
        let mut value: Value = serde_json::from_str(&render_sarif(&sample(), "0.1.0")).unwrap();
        value["runs"][0]["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("message");
        assert!(!sarif_validator().is_valid(&value));
        // Formats are checked too: `informationUri` must be an absolute URI.
        let mut value: Value = serde_json::from_str(&render_sarif(&sample(), "0.1.0")).unwrap();
        value["runs"][0]["tool"]["driver"]["informationUri"] = json!("not a uri");
        assert!(!sarif_validator().is_valid(&value));
    }

    #[test]
    fn markdown_has_verdict_table_failures_and_escapes() {
        let md = render_markdown(&sample());
        assert!(
            md.starts_with("## cargo-abuse: ❌ 3 failed, 1 not run, 1 policy violation\n"),
            "{md}"
        );
        assert!(md.contains(
            "| ❌ | `demo::net::parse_port` | `demo/src/net.rs:12` | bob | 1/4 held; not held: no_panic, roundtrip, no_panic (fuzz) | 307 | 480ms |"
        ), "{md}");
        assert!(md.contains("| ⚠️ | `other-pkg::untested` | `other pkg/src/lib.rs:20` | - | 0/0 held | 0 | 0ms |"), "{md}");
        assert!(md.contains("#### ❌ `demo::net::parse_port` — roundtrip (abuse/property)"));
        assert!(md.contains("```rust\nparse_port(\"65536\")\n```"));
        assert!(md.contains(
            "> Parse a TCP port; reject anything outside 1..=65535\n> | pipes & <tags>\n"
        ));
        assert!(md.contains("> Strip `..` from paths"));
        assert!(md.contains("| warning | `abuse/missing-key` | `other-pkg::untested` |"));
        assert!(md.contains("run `cargo abuse sign net::parse_port` |"));
        assert!(md
            .trim_end()
            .ends_with("Seed `42`: replay with `cargo abuse run --seed 42`."));
    }

    #[test]
    fn markdown_code_survives_backticks() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(fenced("rust", "```\nx\n"), "````rust\n```\nx\n````\n");
        assert_eq!(cell("a|b\nc"), "a\\|b<br>c");
    }

    #[test]
    fn annotations_escape_and_respect_the_limit() {
        let lines = github_annotations(&sample(), 10);
        assert_eq!(lines.len(), 6);
        assert!(lines[0].starts_with(
            "::error file=demo/src/net.rs,line=12,title=abuse/panic%3A demo%3A%3Anet%3A%3Aparse_port no_panic::property: no_panic%0Ainput: parse_port(\"65536\")%0Amessage: attempt to add with overflow%0Aat src/net.rs:14:9%0A"
        ), "{}", lines[0]);
        assert!(
            lines[2].contains("stack overflow <&> 100%25 \"deep\", a:b"),
            "{}",
            lines[2]
        );
        assert!(
            lines[3].starts_with("::error file=other pkg/src/lib.rs,line=3,title=abuse/not-run%3A")
        );
        assert!(
            lines[4].starts_with("::error file=demo/src/net.rs,line=12,title=abuse/stale-signoff")
        );
        assert!(lines[5].starts_with("::warning file=other pkg/src/lib.rs,line=20,"));
        for l in &lines {
            assert!(!l.contains('\n') && !l.contains('\r'));
        }
        assert_eq!(github_annotations(&sample(), 2).len(), 2);
        assert!(github_annotations(&RunReport::default(), 10).is_empty());
    }

    #[test]
    fn annotation_property_escaping_covers_comma_and_colon() {
        assert_eq!(escape_property("a,b:c%d\r\ne"), "a%2Cb%3Ac%25d%0D%0Ae");
        assert_eq!(escape_data("a,b:c%d\r\ne"), "a,b:c%25d%0D%0Ae");
    }

    fn pr_entry() -> PrEntry {
        PrEntry {
            package: "demo".into(),
            function: "net::parse_port".into(),
            file: "demo/src/net.rs".into(),
            line: 12,
            prompt: Some("Parse a TCP port; reject 0".into()),
            old_prompt: Some("Parse a TCP port".into()),
            author: Some("alice".into()),
            reviewer: Some("carol".into()),
            test_owner: Some("bob".into()),
            signoff: SignoffState::Stale {
                owner: "bob".into(),
                date: "2026-11-20".into(),
                signed: "0123456789abcdef".into(),
            },
            last_result: Some(Outcome::Pass),
            old_line: Some(1),
            old_source: Some(
                "pub fn parse_port(s: &str) -> u16 {\n    s.parse().unwrap()\n}".into(),
            ),
            new_source: "pub fn parse_port(s: &str) -> Option<u16> {\n    s.parse().ok()\n}\n"
                .into(),
        }
    }

    #[test]
    fn pr_report_markdown_shows_record_prompt_and_diff() {
        let mut fresh = pr_entry();
        fresh.function = "net::fresh".into();
        fresh.old_source = None;
        fresh.old_prompt = None;
        fresh.signoff = SignoffState::None;
        fresh.last_result = None;
        fresh.new_source = "fn fresh() {}\n".into();
        let report = PrReport {
            since: "origin/main".into(),
            entries: vec![pr_entry(), fresh],
        };
        let md = render_pr_report_md(&report);
        assert!(md
            .starts_with("## cargo-abuse: 2 AI-generated functions changed since `origin/main`\n"));
        assert!(md.contains("### `demo::net::parse_port` — `demo/src/net.rs:12`"));
        assert!(md.contains("| alice | carol | bob | stale: signed by bob on 2026-11-20 for another version | ✅ passed |"), "{md}");
        assert!(md.contains("**Prompt**\n\n> Parse a TCP port; reject 0\n"));
        assert!(md.contains("**Prompt change**\n\n```diff\n--- a/prompt\n+++ b/prompt\n@@ -1 +1 @@\n-Parse a TCP port\n+Parse a TCP port; reject 0\n```"), "{md}");
        assert!(md.contains("```diff\n--- a/demo/src/net.rs\n+++ b/demo/src/net.rs\n@@ -1,3 +12,3 @@\n-pub fn parse_port(s: &str) -> u16 {\n-    s.parse().unwrap()\n+pub fn parse_port(s: &str) -> Option<u16> {\n+    s.parse().ok()\n }\n```"), "{md}");
        assert!(md.contains("### `demo::net::fresh` (new) — `demo/src/net.rs:12`"));
        assert!(md.contains("| alice | carol | bob | none | unknown |"));
        assert!(md.contains("@@ -0,0 +12 @@\n+fn fresh() {}\n```"), "{md}");
        // The prompt comes before the change.
        assert!(md.find("**Prompt**").unwrap() < md.find("**Change**").unwrap());
    }

    #[test]
    fn pr_report_json_carries_record_and_diffs() {
        let report = PrReport {
            since: "v1".into(),
            entries: vec![pr_entry()],
        };
        let value: Value = serde_json::from_str(&render_pr_report_json(&report)).unwrap();
        assert_eq!(value["since"], "v1");
        let f = &value["functions"][0];
        assert_eq!(f["function"], "net::parse_port");
        assert_eq!(f["reviewer"], "carol");
        assert_eq!(f["signoff"]["state"], "stale");
        assert_eq!(f["last_result"], "pass");
        assert_eq!(f["new"], false);
        assert!(f["diff"]
            .as_str()
            .unwrap()
            .contains("+    s.parse().ok()\n"));
        assert!(f["prompt_diff"]
            .as_str()
            .unwrap()
            .contains("+Parse a TCP port; reject 0"));
    }

    #[test]
    fn pr_report_without_changes_says_so() {
        let report = PrReport {
            since: "HEAD".into(),
            entries: vec![],
        };
        assert!(render_pr_report_md(&report).contains("No tagged function changed."));
    }
}

#[cfg(test)]
mod hunk_tests {
    use super::shift_hunk_header;

    #[test]
    fn hunk_headers_are_moved_to_file_lines() {
        assert_eq!(
            shift_hunk_header("@@ -1,7 +1,8 @@", 8, 10),
            "@@ -9,7 +11,8 @@"
        );
        assert_eq!(shift_hunk_header("@@ -0,0 +1 @@", 8, 10), "@@ -0,0 +11 @@");
        assert_eq!(shift_hunk_header("-    old", 8, 10), "-    old");
    }
}
