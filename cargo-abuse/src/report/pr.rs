//! The pull-request report of `cargo abuse report --since REV` (similar for the unified diffs): per
//! changed tagged function, its accountability record, its prompt and its diff, as Markdown or JSON.

use super::location;
use super::markdown::{cell, code, fenced, quote};
use crate::behaviour::{BehaviourReport, Verdict};
use crate::model::{Outcome, SignoffState};
use serde::Serialize;
use serde_json::{json, Value};
use std::fmt::Write as _;

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
    /// The last `run --since` comparison of the function with its base revision, if it was compared.
    pub behaviour: Option<Verdict>,
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
        if let Some(v) = &e.behaviour {
            out.push_str("**Behaviour** (last `cargo abuse run --since`)\n\n");
            out.push_str(&verdict_md(v));
            out.push('\n');
        }
    }
    out
}

/// One verdict as Markdown: a sentence, and for a change the table of differing calls.
fn verdict_md(v: &Verdict) -> String {
    let mut out = String::new();
    match v {
        Verdict::Unchanged { cases } => {
            let _ = writeln!(out, "✅ no behaviour change in {cases} cases");
        }
        Verdict::Changed { cases, differences } => {
            let n = differences.len();
            let _ = writeln!(
                out,
                "⚠️ behaviour changed: {n} differing input{} in {cases} cases (shrunk)\n",
                if n == 1 { "" } else { "s" }
            );
            out.push_str("| call | before | now |\n|---|---|---|\n");
            for d in differences {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    cell(&code(&d.call)),
                    cell(&code(&d.before)),
                    cell(&code(&d.now))
                );
            }
        }
        Verdict::Inconclusive { cases, reason } => {
            let _ = writeln!(out, "❔ inconclusive after {cases} cases: {}", cell(reason));
        }
        Verdict::NotCompared { reason } => {
            let _ = writeln!(out, "➖ not compared: {}", cell(reason));
        }
    }
    out
}

/// The Markdown section `run --since` adds to its summary: per changed function, its verdict.
pub fn render_behaviour_md(report: &BehaviourReport) -> String {
    let mut out = String::new();
    let base = &report.base[..report.base.len().min(12)];
    let _ = writeln!(
        out,
        "### Behaviour since {} (merge base {})\n",
        code(&report.since),
        code(base)
    );
    if report.functions.is_empty() {
        out.push_str("No tagged function changed.\n");
        return out;
    }
    for f in &report.functions {
        let _ = writeln!(
            out,
            "**{}** — {}\n",
            code(&format!("{}::{}", f.package, f.function)),
            code(&location(&f.file, f.line))
        );
        out.push_str(&verdict_md(&f.verdict));
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
            let mut entry = json!({
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
            });
            // Only when compared, so reports without `run --since` keep their shape.
            if let Some(b) = &e.behaviour {
                entry["behaviour"] = serde_json::to_value(b).expect("verdicts serialize");
            }
            entry
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
    use crate::report::fixtures::{representative_pr, snapshot};

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
            behaviour: None,
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
    fn pr_report_shows_the_last_behaviour_result_after_the_change() {
        let mut e = pr_entry();
        e.behaviour = Some(Verdict::Changed {
            cases: 1000,
            differences: vec![crate::behaviour::Difference {
                call: "parse_port(\"080\")".into(),
                before: "Ok(80)".into(),
                now: "Err(LeadingZero)".into(),
                input: "(String::from(\"080\"),)".into(),
            }],
        });
        let report = PrReport {
            since: "main".into(),
            entries: vec![e],
        };
        let md = render_pr_report_md(&report);
        assert!(md.contains("**Behaviour** (last `cargo abuse run --since`)\n\n⚠️ behaviour changed: 1 differing input in 1000 cases (shrunk)\n\n| call | before | now |\n|---|---|---|\n| `parse_port(\"080\")` | `Ok(80)` | `Err(LeadingZero)` |\n"), "{md}");
        assert!(md.find("**Change**").unwrap() < md.find("**Behaviour**").unwrap());
        let value: Value = serde_json::from_str(&render_pr_report_json(&report)).unwrap();
        let b = &value["functions"][0]["behaviour"];
        assert_eq!(b["verdict"], "changed");
        assert_eq!(b["differences"][0]["now"], "Err(LeadingZero)");
        // Without a comparison there is no key at all.
        let plain = render_pr_report_json(&PrReport {
            since: "main".into(),
            entries: vec![pr_entry()],
        });
        assert!(!plain.contains("behaviour"), "{plain}");
    }

    #[test]
    fn behaviour_section_lists_each_verdict() {
        let f = |function: &str, verdict| crate::behaviour::FnBehaviour {
            package: "demo".into(),
            function: function.into(),
            file: "src/lib.rs".into(),
            line: 3,
            fingerprint: String::new(),
            verdict,
        };
        let report = BehaviourReport {
            since: "origin/main".into(),
            base: "0123456789abcdef0123".into(),
            functions: vec![
                f("same", Verdict::Unchanged { cases: 1000 }),
                f(
                    "fresh",
                    Verdict::NotCompared {
                        reason: "new function".into(),
                    },
                ),
            ],
        };
        let md = render_behaviour_md(&report);
        assert!(
            md.starts_with("### Behaviour since `origin/main` (merge base `0123456789ab`)\n"),
            "{md}"
        );
        assert!(
            md.contains(
                "**`demo::same`** — `src/lib.rs:3`\n\n✅ no behaviour change in 1000 cases\n"
            ),
            "{md}"
        );
        assert!(md.contains("➖ not compared: new function\n"), "{md}");
    }

    #[test]
    fn pr_report_without_changes_says_so() {
        let report = PrReport {
            since: "HEAD".into(),
            entries: vec![],
        };
        assert!(render_pr_report_md(&report).contains("No tagged function changed."));
    }

    #[test]
    fn hunk_headers_are_moved_to_file_lines() {
        assert_eq!(
            shift_hunk_header("@@ -1,7 +1,8 @@", 8, 10),
            "@@ -9,7 +11,8 @@"
        );
        assert_eq!(shift_hunk_header("@@ -0,0 +1 @@", 8, 10), "@@ -0,0 +11 @@");
        assert_eq!(shift_hunk_header("-    old", 8, 10), "-    old");
    }

    #[test]
    fn pr_report_markdown_snapshot() {
        let text = render_pr_report_md(&representative_pr());
        snapshot(
            "report__pr_md",
            "render_pr_report_md(&representative_pr())",
            &text,
        );
    }

    #[test]
    fn pr_report_json_snapshot() {
        let text = render_pr_report_json(&representative_pr());
        snapshot(
            "report__pr_json",
            "render_pr_report_json(&representative_pr())",
            &text,
        );
    }
}
