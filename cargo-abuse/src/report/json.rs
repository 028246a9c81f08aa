//! JSON lines for `--json` (serde_json): one record per function, then a summary.
//!
//! One JSON object per line. First one record per function, sorted by package then function:
//!
//! - `record`: `"function"`
//! - `package`, `function` (path from the crate root), `file` (workspace-relative), `line`
//! - `prompt`, `author`, `test_owner`: strings or `null`
//! - `status`: `"pass"` (every property held), `"fail"` (one or more failed) or `"not_run"` (no property
//!   failed but one or more could not run, or there were none)
//! - `reason`: when `status` is `"not_run"`, why, in words the user can act on (the not-run property's
//!   message, or why the function has no harness); `null` otherwise
//! - `properties`: array of `{property, source, outcome, kind, rule, cases, rejected, elapsed_ms, input,
//!   message}` (`rule` is the SARIF rule id of a failure, `null` when it passed), plus, only when known:
//!   `first_failure_ms` (time from the test's start to its first failing case, before shrinking),
//!   `input_size` (the shrunk input's bytes of strings plus other literals) and `same_as` (the label of the
//!   result of the same function that failed the same way, same kind and message: one failure per root
//!   cause, shown in full once; e.g. `"no_panic"`, `"no_panic (regression)"`)
//! - `violations`: array of `{rule, severity, message}` for this function
//!
//! A function that only has policy violations (it was not run) gets a record with no properties. The
//! last line is `{"record": "summary", "seed": N, "ok": bool, ...counts}` (see [`Summary`](super::Summary)).

use super::{group, rule_for, summarize, Rule};
use crate::model::{Outcome, RunReport};
use serde_json::{json, Value};

/// One JSON record per function, then a summary record; the fields are listed in the module docs.
pub fn render_json(report: &RunReport) -> String {
    let mut out = String::new();
    for g in group(report) {
        let properties: Vec<Value> = g
            .properties()
            .iter()
            .map(|p| {
                let mut v = serde_json::to_value(p).expect("model types serialize");
                v["rule"] = json!(rule_for(p).map(Rule::id));
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
            "reason": g.not_run_reason(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{representative, sample, snapshot};

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
        assert_eq!(records[3]["reason"], "no property was run");
        assert_eq!(records[0]["reason"], Value::Null, "Port::new passed");
        assert_eq!(records[4]["record"], "summary");
        assert_eq!(records[4]["seed"], 42);
        assert_eq!(records[4]["ok"], false);
    }

    #[test]
    fn json_lines_snapshot() {
        let text = render_json(&representative());
        assert!(text.ends_with('\n'));
        // Each record is one compact line; the snapshot shows them pretty so a reviewer can read them.
        let records: Vec<String> = text
            .lines()
            .map(|line| {
                let value: Value = serde_json::from_str(line).expect("each line is JSON");
                assert_eq!(value.to_string(), line, "records are compact, one per line");
                serde_json::to_string_pretty(&value).expect("json values serialize")
            })
            .collect();
        snapshot(
            "report__json",
            "render_json(&representative()), each line pretty-printed",
            &records.join("\n"),
        );
    }

    #[test]
    fn every_function_that_ran_no_case_says_why() {
        use crate::report::fixtures::*;
        let text = render_json(&not_run_reasons());
        let reasons: Vec<(String, Value)> = text
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("each line is JSON"))
            .filter(|r| r["record"] == "function")
            .map(|r| {
                (
                    r["function"].as_str().unwrap().to_string(),
                    r["reason"].clone(),
                )
            })
            .collect();
        assert_eq!(
            reasons,
            [
                ("Alphabet::encode".to_string(), json!(REJECTED)),
                ("Lazy::get".to_string(), json!(NO_HARNESS)),
                ("borrowed".to_string(), json!(DID_NOT_COMPILE)),
                ("private_helper".to_string(), json!(NO_MOD_LINE)),
            ]
        );
    }
}
