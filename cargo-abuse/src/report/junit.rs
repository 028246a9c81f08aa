//! JUnit XML (quick-junit): a `testsuite` per package, a `testcase` per property and per policy
//! violation.

use super::{failure_text, group, headline, location, property_label, rule_for, Rule};
use crate::model::{Outcome, RunReport, Severity};
use crate::policy::PolicyRule;
use quick_junit::{NonSuccessKind, TestCase, TestCaseStatus, TestSuite};
use std::collections::BTreeMap;
use std::time::Duration;

/// JUnit XML: a `testsuite` per package, a `testcase` per property (`classname` = `package::function`,
/// `name` = property), a `failure` carrying the message and the input; each policy violation is a
/// failed test case too (`name` = `policy: RULE`), a warning a passing one with the message in
/// `system-out`. A property that could not run is an `error` whose message is the reason; a function with
/// no harness (`abuse/unsupported`) is a `skipped` case whose message is the reason.
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
                    status.set_type(rule_for(p).unwrap_or(Rule::Property).id());
                    // One failure per root cause: the others say which one they are.
                    match &p.same_as {
                        Some(shown) => status
                            .set_message(format!("same failure as {shown}: {}", headline(p)))
                            .set_description(format!(
                                "same failure as {shown} (see it for the input)"
                            )),
                        None => status
                            .set_message(headline(p))
                            .set_description(failure_text(f, p)),
                    };
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
                        .set_type(v.rule.id())
                        .set_description(format!(
                            "{}\nlocation: {}",
                            v.message,
                            location(&v.file, v.line)
                        ));
                    status
                }
                // No harness: the function runs no case, so its test case is skipped, with the reason.
                Severity::Warning if v.rule == PolicyRule::Unsupported => {
                    let mut status = TestCaseStatus::skipped();
                    status
                        .set_message(v.message.lines().next().unwrap_or(""))
                        .set_type(v.rule.id());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{representative, sample, snapshot};

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

    #[test]
    fn junit_snapshot() {
        let text = render_junit(&representative());
        snapshot("report__junit", "render_junit(&representative())", &text);
    }

    #[test]
    fn every_function_that_ran_no_case_says_why() {
        use crate::report::fixtures::*;
        let xml = render_junit(&not_run_reasons());
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let status = |classname: &str| {
            let case = doc
                .descendants()
                .filter(|n| n.has_tag_name("testcase"))
                .find(|c| c.attribute("classname") == Some(classname))
                .unwrap_or_else(|| panic!("a test case for {classname}: {xml}"));
            let status = case
                .children()
                .find(|n| n.is_element())
                .unwrap_or_else(|| panic!("{classname} did not pass: {xml}"));
            (
                status.tag_name().name().to_string(),
                status.attribute("message").unwrap_or_default().to_string(),
            )
        };
        for (classname, reason) in [
            ("subject::Alphabet::encode", REJECTED),
            ("subject::borrowed", DID_NOT_COMPILE),
            ("subject::private_helper", NO_MOD_LINE),
        ] {
            assert_eq!(status(classname), ("error".to_string(), reason.to_string()));
        }
        // No harness: skipped (not passed), with the reason.
        assert_eq!(
            status("subject::Lazy::get"),
            ("skipped".to_string(), NO_HARNESS.to_string())
        );
    }
}
