//! Output formats, one module each; this module owns what they share: functions grouped and sorted,
//! the counts, labels, and inputs cut to what people read.
//!
//! `run` produces a [`RunReport`]; the modules below render it for people (`human`: a table per
//! function, then the failures in full, the policy violations and a summary with the replay seed), for
//! CI systems (`junit`, `sarif` 2.1.0, `github` annotations and the step summary in `markdown`) and for
//! scripts (`json` lines). The `report` command's pull-request view ([`PrReport`]) is in `pr`. Every
//! result is reported under a [`Rule`] (`rule`).
//!
//! Everything is deterministic: functions are sorted by package then path, nothing depends on the
//! clock, and paths are the workspace-relative, forward-slash paths of the model.

mod github;
mod human;
mod json;
mod junit;
mod markdown;
mod pr;
mod rule;
mod sarif;

#[cfg(test)]
mod fixtures;

pub use github::github_annotations;
pub use human::render_human;
pub use json::render_json;
pub use junit::render_junit;
pub use markdown::render_markdown;
pub use pr::{render_behaviour_md, render_pr_report_json, render_pr_report_md, PrEntry, PrReport};
pub use rule::{rule_for, Rule};
pub use sarif::{render_sarif, INFORMATION_URI, SARIF_SCHEMA};

use crate::model::{FnResult, Outcome, PropertyResult, RunReport, Severity, Violation};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

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

    /// Why the function ran no case, in the words every format shows (`None` unless its status is not
    /// run): the first not-run property's message (a rejected constructor, the compiler's error, the
    /// missing `mod abuse_tests;` line, the `cfg` it is compiled under), else the reason it has no harness
    /// (its `abuse/unsupported` or `abuse/stale-harness` violation), else that no property was run.
    fn not_run_reason(&self) -> Option<String> {
        if self.status() != Outcome::NotRun {
            return None;
        }
        let from_property = self
            .properties()
            .iter()
            .filter(|p| p.outcome == Outcome::NotRun)
            .find_map(|p| p.message.clone());
        let from_violation = || {
            self.violations
                .iter()
                .find(|v| {
                    matches!(
                        v.rule,
                        crate::policy::PolicyRule::Unsupported
                            | crate::policy::PolicyRule::StaleHarness
                    )
                })
                .map(|v| v.message.clone())
        };
        Some(
            from_property
                .or_else(from_violation)
                .unwrap_or_else(|| "no property was run".to_string()),
        )
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
    // A second definition of a path (under another `cfg`) keeps a row of its own.
    let mut twins: Vec<Group<'_>> = Vec::new();
    for f in &report.functions {
        let g = Group {
            package: &f.package,
            function: &f.function,
            file: &f.file,
            line: f.line,
            result: Some(f),
            violations: Vec::new(),
        };
        match groups.entry((&f.package, &f.function)) {
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(g);
            }
            std::collections::btree_map::Entry::Occupied(_) => twins.push(g),
        }
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
    let mut out: Vec<Group<'_>> = groups.into_values().collect();
    out.extend(twins);
    out.sort_by(|a, b| (a.package, a.function, a.line).cmp(&(b.package, b.function, b.line)));
    out
}

/// Every failed or not-run property, in report order, with its function.
fn problems(report: &RunReport) -> Vec<(&FnResult, &PropertyResult)> {
    let mut out: Vec<_> = report
        .functions
        .iter()
        .flat_map(|f| f.properties.iter().map(move |p| (f, p)))
        // One failure per root cause: the others of its group are listed with it ([`same_failures`]).
        .filter(|(_, p)| p.outcome != Outcome::Pass && p.same_as.is_none())
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

/// The property's name (`no_panic`, `roundtrip`...): the one reader of the result's `property`.
fn property_name(p: &PropertyResult) -> String {
    p.property.to_string()
}

/// The property's name, and where the result came from unless proptest; a further root cause of one property
/// test says which (`no_panic (root cause 2)`).
fn property_label(p: &PropertyResult) -> String {
    p.label()
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
        (None, _) => format!("{} failed", property_name(p)),
    }
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

/// The other results of `f` that are the same failure as `p` (marked `same_as` it by the runner), as
/// `deterministic, no_panic (regression)`; `None` when there are none.
fn same_failures(f: &FnResult, p: &PropertyResult) -> Option<String> {
    let label = property_label(p);
    let same: Vec<String> = f
        .properties
        .iter()
        .filter(|o| o.same_as.as_deref() == Some(label.as_str()))
        .map(property_label)
        .collect();
    (!same.is_empty()).then(|| same.join(", "))
}

/// The failure in full, as plain text (JUnit failure body, SARIF and annotation messages).
fn failure_text(f: &FnResult, p: &PropertyResult) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "property: {}", property_label(p));
    if let Some(same) = same_failures(f, p) {
        let _ = writeln!(s, "same failure: {same}");
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use fixtures::sample;

    #[test]
    fn long_inputs_are_cut_for_people_and_say_how_much_is_left() {
        assert_eq!(shown_input("f(\"é\")"), "f(\"é\")");
        let long = "é".repeat(SHOWN_INPUT_CHARS + 5);
        let shown = shown_input(&long);
        assert!(shown.starts_with(&"é".repeat(SHOWN_INPUT_CHARS)), "{shown}");
        assert!(shown.contains("… (5 more characters"), "{shown}");
    }

    #[test]
    fn every_format_lists_each_root_cause_of_one_property_under_its_function() {
        use crate::model::ResultSource;
        use fixtures::failed;
        let mut second = failed(
            "no_panic",
            ResultSource::Proptest,
            "panic",
            (97, 900),
            "(String::from(\"\\u{e9}\"),)",
            "panicked: byte index 1 is not a char boundary at src/lib.rs:9:5",
        );
        second.root_cause = Some(2);
        let report = RunReport {
            seed: 1,
            functions: vec![FnResult {
                package: "demo".into(),
                function: "rulex_to_regex".into(),
                file: "src/lib.rs".into(),
                line: 3,
                prompt: None,
                author: None,
                test_owner: None,
                properties: vec![
                    failed(
                        "no_panic",
                        ResultSource::Proptest,
                        "crash",
                        (40, 900),
                        "(\"(\".repeat(100000),)",
                        "the process died during the call (stack overflow, abort or signal)",
                    ),
                    second,
                ],
            }],
            violations: Vec::new(),
        };
        let human = render_human(&report, false);
        assert!(
            human.contains("no_panic (root cause 2)") && human.contains("char boundary"),
            "{human}"
        );
        assert!(human.contains("stack overflow"), "{human}");
        let json = render_json(&report);
        let record: serde_json::Value =
            serde_json::from_str(json.lines().next().expect("a line")).expect("JSON");
        let props = record["properties"].as_array().expect("properties");
        assert_eq!(props.len(), 2, "{json}");
        assert_eq!(
            (props[0]["kind"].as_str(), props[1]["kind"].as_str()),
            (Some("crash"), Some("panic"))
        );
        assert_eq!(props[1]["root_cause"], 2, "{json}");
        assert!(props[0].get("root_cause").is_none(), "{json}");
        let junit = render_junit(&report);
        assert_eq!(junit.matches("<failure").count(), 2, "{junit}");
        assert!(
            junit.contains("name=\"no_panic (root cause 2)\""),
            "{junit}"
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&render_sarif(&report, "0")).expect("SARIF is JSON");
        assert_eq!(
            sarif["runs"][0]["results"].as_array().map(Vec::len),
            Some(2),
            "{sarif:#}"
        );
        let md = render_markdown(&report);
        assert!(
            md.contains("no_panic (root cause 2)") && md.contains("char boundary"),
            "{md}"
        );
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
}
