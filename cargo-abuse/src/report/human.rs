//! The terminal and log report (ANSI colour written by hand, no crate): a table per function, then
//! every failure in full, the policy violations, the counts, and the seed to replay the run.

use super::{
    counts_text, duration, group, headline, location, outcome_word, problems, property_label,
    rule_for, same_failures, shown_input, sorted_violations, summarize, Rule,
};
use crate::model::{Outcome, RunReport, Severity};
use std::fmt::Write as _;

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
            // No property, so no failure below says why: the reason goes here.
            let reason = g.not_run_reason().unwrap_or_default();
            let mut lines = reason.lines();
            let _ = writeln!(out, "    not run: {}", lines.next().unwrap_or(""));
            for l in lines {
                let _ = writeln!(out, "             {l}");
            }
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
            let rule = rule_for(p).map_or("", Rule::id);
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
            if let Some(same) = same_failures(f, p) {
                field("also fails", &format!("{same} (the same failure)"));
            }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{representative, sample, snapshot};
    use crate::report::render_markdown;

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
            "other-pkg::untested other pkg/src/lib.rs:20  not run\n    not run: no property was run"
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
    fn human_report_snapshot() {
        let text = render_human(&representative(), false);
        snapshot(
            "report__human",
            "render_human(&representative(), false)",
            &text,
        );
    }

    #[test]
    fn every_function_that_ran_no_case_says_why() {
        use crate::report::fixtures::*;
        let text = render_human(&not_run_reasons(), false);
        for (function, reason) in [
            ("subject::Alphabet::encode", REJECTED),
            ("subject::borrowed", DID_NOT_COMPILE),
            ("subject::private_helper", NO_MOD_LINE),
        ] {
            assert!(
                text.contains(&format!(
                    "---- {function}: no_panic [abuse/not-run] ----\n  message:    {reason}\n"
                )),
                "{text}"
            );
        }
        // No property, so no failure section: the reason is in the table, under the function.
        assert!(
            text.contains(&format!(
                "subject::Lazy::get src/lazy.rs:30  not run\n    not run: {NO_HARNESS}\n"
            )),
            "{text}"
        );
    }
}
