//! Markdown (GitHub-flavoured, written by hand) for `--markdown FILE` and `$GITHUB_STEP_SUMMARY`, and the
//! escaping helpers the pull-request report shares.

use super::{
    counts_text, duration, group, location, plural, problems, property_label, rule_for,
    same_failures, severity_word, shown_input, sorted_violations, summarize, Rule,
};
use crate::model::{Outcome, RunReport};
use std::fmt::Write as _;

/// Escapes text for a Markdown table cell: pipes, and newlines as `<br>`.
pub(super) fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Inline code that survives backticks inside.
pub(super) fn code(text: &str) -> String {
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
pub(super) fn fenced(lang: &str, text: &str) -> String {
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
pub(super) fn quote(text: &str) -> String {
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
            // A function that ran no case says why in its row (the same words as the terminal table).
            let summary = match g.not_run_reason() {
                Some(reason) => format!(
                    "{summary}; not run: {}",
                    reason.lines().next().unwrap_or("")
                ),
                None => summary,
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
                rule_for(p).map_or("", Rule::id),
            );
            if let Some(same) = same_failures(f, p) {
                let _ = writeln!(out, "- **same failure**: {}", code(&same));
            }
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
                cell(&code(v.rule.id())),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{representative, sample, snapshot};

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
        assert!(md.contains("| ⚠️ | `other-pkg::untested` | `other pkg/src/lib.rs:20` | - | 0/0 held; not run: no property was run | 0 | 0ms |"), "{md}");
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
    fn markdown_snapshot() {
        let text = render_markdown(&representative());
        snapshot(
            "report__markdown",
            "render_markdown(&representative())",
            &text,
        );
    }

    #[test]
    fn every_function_that_ran_no_case_says_why() {
        use crate::report::fixtures::*;
        let md = render_markdown(&not_run_reasons());
        for (function, reason) in [
            ("subject::Alphabet::encode", REJECTED),
            ("subject::Lazy::get", NO_HARNESS),
            ("subject::borrowed", DID_NOT_COMPILE),
            ("subject::private_helper", NO_MOD_LINE),
        ] {
            let row = md
                .lines()
                .find(|l| l.starts_with("| ⚠️ |") && l.contains(&format!("`{function}`")))
                .unwrap_or_else(|| panic!("a row for {function}: {md}"));
            assert!(row.contains(&format!("not run: {reason} |")), "{row}");
        }
    }
}
