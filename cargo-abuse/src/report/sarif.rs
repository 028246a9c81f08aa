//! SARIF 2.1.0 for code scanning (serde_json values): the rules described, and a result per failed or
//! not-run property and per policy violation.

use super::{
    headline, problems, property_label, property_name, rule_for, same_failures, severity_word,
    shown_input, sorted_violations, Rule,
};
use crate::model::{Outcome, RunReport};
use crate::policy::PolicyRule;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Where the tool is documented (SARIF `informationUri`).
pub const INFORMATION_URI: &str = "https://github.com/cargo-abuse/cargo-abuse";

/// The SARIF 2.1.0 schema URI written as `$schema` (the OASIS standard's, errata 01).
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// What SARIF says about a rule: short name, one-line and full description, default level.
struct Description {
    rule: Rule,
    name: &'static str,
    short: &'static str,
    full: &'static str,
    level: &'static str,
}

/// Every rule described to code scanning, in a fixed order (their index is stable too). A rule without
/// a description here (`abuse/unsupported`) is listed by its id alone when a result uses it.
const RULES: &[Description] = &[
    Description { rule: Rule::Panic, name: "Panic", short: "The function panicked on an input", full: "An abuse test called the function with a generated input and it panicked. Fix the function or declare `may_panic` if panicking is its documented contract.", level: "error" },
    Description { rule: Rule::Timeout, name: "Timeout", short: "The function exceeded its per-call time limit", full: "One call did not return within the time limit (`timeout_ms`, default from the policy): a hang or a super-linear algorithm on a hostile input.", level: "error" },
    Description { rule: Rule::Alloc, name: "ExcessiveAllocation", short: "The function allocated more than its limit in one call", full: "Peak allocation of one call exceeded `max_alloc`: an input can make the function exhaust memory.", level: "error" },
    Description { rule: Rule::Crash, name: "Crash", short: "The function crashed the test process", full: "The test process aborted, overflowed its stack or was killed while running the function.", level: "error" },
    Description { rule: Rule::Property, name: "PropertyViolated", short: "A declared property did not hold", full: "A property declared in the attribute (roundtrip, idempotent, oracle, ensures, deterministic) was false for an input; the result names the property.", level: "error" },
    Description { rule: Rule::NotRun, name: "NotRun", short: "The function's abuse tests could not run", full: "The harness did not build or wrote no result record, so nothing is known about the function.", level: "error" },
    Description { rule: Rule::Policy(PolicyRule::StaleSignoff), name: "StaleSignoff", short: "The sign-off is for another version of the function", full: "The function or its prompt changed after the test owner signed off. Re-run `cargo abuse sign PATH` once the change is reviewed.", level: "error" },
    Description { rule: Rule::Policy(PolicyRule::MissingKey), name: "MissingKey", short: "A key the policy requires is missing from the attribute", full: "The workspace policy requires keys (such as `prompt`, `test_owner`, `signed_off`) that this attribute does not have.", level: "error" },
    Description { rule: Rule::Policy(PolicyRule::OwnerNotAllowed), name: "OwnerNotAllowed", short: "The test owner is not in the policy's allowed owners", full: "The attribute's test owner (or signer) is not listed in the policy's allowed owners.", level: "error" },
    Description { rule: Rule::Policy(PolicyRule::StaleHarness), name: "StaleHarness", short: "The generated harness is missing or out of date", full: "Run `cargo abuse gen` and commit the result.", level: "error" },
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
                "id": r.rule.id(),
                "name": r.name,
                "shortDescription": { "text": r.short },
                "fullDescription": { "text": r.full },
                "help": { "text": r.full },
                "defaultConfiguration": { "level": r.level },
                "properties": { "tags": ["cargo-abuse", "testing"] },
            })
        })
        .collect();
    let mut index: BTreeMap<Rule, usize> =
        RULES.iter().enumerate().map(|(i, r)| (r.rule, i)).collect();
    let mut rule_index = |rule: Rule| -> usize {
        if let Some(&i) = index.get(&rule) {
            return i;
        }
        // A rule with no description: listed anyway, so the index stays valid.
        rules.push(json!({ "id": rule.id(), "shortDescription": { "text": rule.id() } }));
        index.insert(rule, rules.len() - 1);
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
        ) + &same_failures(f, p)
            .map(|same| format!(" (same failure: {same})"))
            .unwrap_or_default();
        let mut properties = json!({
            "package": f.package,
            "function": f.function,
            "property": property_name(p),
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
            "ruleId": rule.id(),
            "ruleIndex": rule_index(rule),
            "level": "error",
            "message": { "text": text },
            "locations": [sarif_location(&f.file, f.line, &f.package, &f.function)],
            "partialFingerprints": {
                "cargoAbuse/v1": format!("{}::{}/{rule}/{}", f.package, f.function, property_name(p)),
            },
            "properties": properties,
        }));
    }
    for v in sorted_violations(report) {
        results.push(json!({
            "ruleId": v.rule.id(),
            "ruleIndex": rule_index(Rule::Policy(v.rule)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{representative, sample, snapshot};

    fn sarif_validator() -> jsonschema::Validator {
        let mut schema: Value =
            serde_json::from_str(include_str!("../../tests/data/sarif-schema-2.1.0.json"))
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
        // `abuse/unsupported` has no description in this version.
        report.violations[0].rule = PolicyRule::Unsupported;
        report.violations[0].line = 0;
        let sarif = assert_valid_sarif(&render_sarif(&report, "0.1.0-dev"));
        let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.last().unwrap()["id"], "abuse/unsupported");
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
    fn sarif_snapshot() {
        let text = render_sarif(&representative(), "0.1.0");
        assert_valid_sarif(&text);
        snapshot(
            "report__sarif",
            "render_sarif(&representative(), \"0.1.0\")",
            &text,
        );
    }

    #[test]
    fn every_function_that_ran_no_case_says_why() {
        use crate::report::fixtures::*;
        let sarif: serde_json::Value =
            serde_json::from_str(&render_sarif(&not_run_reasons(), "0.0.0"))
                .expect("SARIF is JSON");
        let texts: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["message"]["text"].as_str().expect("a message"))
            .collect();
        for (function, reason) in [
            ("subject::Alphabet::encode", REJECTED),
            ("subject::borrowed", DID_NOT_COMPILE),
            ("subject::private_helper", NO_MOD_LINE),
        ] {
            let expected = format!("`{function}` no_panic could not run: {reason}");
            assert!(
                texts.contains(&expected.as_str()),
                "{expected} in {texts:#?}"
            );
        }
        let no_harness = format!("`subject::Lazy::get`: {NO_HARNESS}");
        assert!(texts.contains(&no_harness.as_str()), "{texts:#?}");
    }
}
