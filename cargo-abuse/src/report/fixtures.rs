//! Test fixtures the format modules share: the runs every format is rendered from, and the snapshot
//! settings (snapshots live with the crate's others in `tests/snapshots`).

use crate::model::{
    Checked, FailureKind, FnResult, Outcome, PropertyResult, ResultSource, RunReport, Severity,
    SignoffState, Violation,
};
use crate::policy::PolicyRule;
use crate::report::{PrEntry, PrReport};

pub(super) fn snapshot(name: &str, what: &str, text: &str) {
    insta::with_settings!({
        snapshot_path => "../../tests/snapshots",
        prepend_module_to_snapshot => false,
        description => what,
        omit_expression => true,
    }, {
        insta::assert_snapshot!(name, text);
    });
}

pub(super) fn prop(property: &str, outcome: Outcome, kind: Option<&str>) -> PropertyResult {
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
            Outcome::Fail => Some("attempt to add with overflow\nat src/net.rs:14:9".to_string()),
            Outcome::NotRun => Some("harness did not build".to_string()),
        },
        first_failure_ms: None,
        input_size: None,
        same_as: None,
        root_cause: None,
    }
}

/// Two packages; a passing function, a failing one (panic + property), one not run, and
/// violations (one on a function that was not run at all); text full of characters to escape.
pub(super) fn sample() -> RunReport {
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
                rule: PolicyRule::StaleSignoff,
                function: "net::parse_port".into(),
                package: "demo".into(),
                file: "demo/src/net.rs".into(),
                line: 12,
                message: "signed off by bob for 0123456789abcdef; the function changed: run `cargo abuse sign net::parse_port`".into(),
                severity: Severity::Error,
            },
            Violation {
                rule: PolicyRule::MissingKey,
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

/// A property that held.
pub(super) fn passed(
    name: &str,
    source: ResultSource,
    cases: u64,
    elapsed_ms: u64,
) -> PropertyResult {
    PropertyResult {
        property: Checked::from_name(name).expect("a property name"),
        source,
        outcome: Outcome::Pass,
        kind: None,
        cases,
        rejected: 0,
        elapsed_ms,
        input: None,
        message: None,
        first_failure_ms: None,
        input_size: None,
        same_as: None,
        root_cause: None,
    }
}

/// A property that failed with `kind` after `cases` cases in `elapsed_ms`, on `input`.
pub(super) fn failed(
    name: &str,
    source: ResultSource,
    kind: &str,
    (cases, elapsed_ms): (u64, u64),
    input: &str,
    message: &str,
) -> PropertyResult {
    PropertyResult {
        outcome: Outcome::Fail,
        kind: Some(FailureKind::from_name(kind).expect("a failure kind")),
        input: Some(input.into()),
        message: Some(message.into()),
        ..passed(name, source, cases, elapsed_ms)
    }
}

/// A property that could not run, and why.
pub(super) fn not_run(name: &str, message: &str) -> PropertyResult {
    PropertyResult {
        outcome: Outcome::NotRun,
        message: Some(message.into()),
        ..passed(name, ResultSource::Proptest, 0, 0)
    }
}

pub(super) fn violation(
    rule: PolicyRule,
    severity: Severity,
    (package, function, file, line): (&str, &str, &str, u32),
    message: &str,
) -> Violation {
    Violation {
        rule,
        function: function.into(),
        package: package.into(),
        file: file.into(),
        line,
        message: message.into(),
        severity,
    }
}

/// One run with every case a report has to show: a function whose properties all held (one
/// from a kept regression), a panic on an input longer than what people are shown, a timeout,
/// a property that did not hold, an allocation failure found by fuzzing (taking over a minute),
/// a function whose harness did not build, and each policy rule (one a warning, one on a
/// function that was not run).
pub(super) fn representative() -> RunReport {
    use ResultSource::{Fuzz, Proptest, Regression};
    let long_input = format!("split_words({:?})", "ab ".repeat(700));
    let split_words = ("demo", "text::split_words", "demo/src/text.rs", 30);
    let parse_port = ("demo", "net::parse_port", "demo/src/net.rs", 12);
    let sanitize = ("other-pkg", "sanitize", "other pkg/src/lib.rs", 3);
    RunReport {
        seed: 1234,
        functions: vec![
            FnResult {
                package: "demo".into(),
                function: "text::slugify".into(),
                file: "demo/src/text.rs".into(),
                line: 8,
                prompt: Some("Turn a title into a URL slug".into()),
                author: Some("alice".into()),
                test_owner: Some("bob".into()),
                properties: vec![
                    passed("no_panic", Proptest, 256, 35),
                    passed("idempotent", Proptest, 256, 41),
                    passed("no_panic", Regression, 1, 0),
                ],
            },
            FnResult {
                package: "demo".into(),
                function: "text::split_words".into(),
                file: "demo/src/text.rs".into(),
                line: 30,
                prompt: Some("Split text into words.\nKeep punctuation attached.".into()),
                author: Some("alice".into()),
                test_owner: Some("bob".into()),
                properties: vec![
                    PropertyResult {
                        first_failure_ms: Some(12),
                        input_size: Some(2400),
                        ..failed(
                            "no_panic",
                            Proptest,
                            "panic",
                            (3, 18),
                            &long_input,
                            "index out of bounds: the len is 0 but the index is 0\nat demo/src/text.rs:34:17",
                        )
                    },
                    // The same panic, met by the `deterministic` body's call: one failure, shown once.
                    PropertyResult {
                        same_as: Some("no_panic".into()),
                        root_cause: None,
                        ..failed(
                            "deterministic",
                            Proptest,
                            "panic",
                            (3, 20),
                            &long_input,
                            "index out of bounds: the len is 0 but the index is 0\nat demo/src/text.rs:34:17",
                        )
                    },
                ],
            },
            FnResult {
                package: "demo".into(),
                function: "net::parse_port".into(),
                file: "demo/src/net.rs".into(),
                line: 12,
                prompt: Some("Parse a TCP port | reject 0".into()),
                author: Some("carol".into()),
                test_owner: Some("dave".into()),
                properties: vec![
                    failed(
                        "no_panic",
                        Proptest,
                        "timeout",
                        (41, 1250),
                        "parse_port(\"99999999999999999999\")",
                        "one call took more than 1000 ms (timeout_ms)",
                    ),
                    failed(
                        "roundtrip",
                        Proptest,
                        "property",
                        (12, 9),
                        "parse_port(\"+80\")",
                        "roundtrip: parse(\"+80\") = 80, but 80 prints as \"80\"",
                    ),
                    failed(
                        "no_panic",
                        Fuzz,
                        "alloc",
                        (90210, 61_000),
                        "&[0x39, 0x39, 0x00]",
                        "one call allocated 2147483648 bytes (max_alloc 268435456)",
                    ),
                ],
            },
            FnResult {
                package: "other-pkg".into(),
                function: "sanitize".into(),
                file: "other pkg/src/lib.rs".into(),
                line: 3,
                prompt: None,
                author: None,
                test_owner: None,
                properties: vec![not_run(
                    "no_panic",
                    "harness did not build: error[E0425]: cannot find function `sanitize` in crate `other_pkg`",
                )],
            },
        ],
        violations: vec![
            violation(
                PolicyRule::StaleSignoff,
                Severity::Error,
                split_words,
                "`text::split_words` changed (code or prompt) after bob signed it off on 2026-01-05: review it, then `cargo abuse sign text::split_words`",
            ),
            violation(
                PolicyRule::OwnerNotAllowed,
                Severity::Error,
                parse_port,
                "test owner `dave` of `net::parse_port` is not in the policy's allowed owners (bob, carol)",
            ),
            violation(
                PolicyRule::MissingKey,
                Severity::Error,
                sanitize,
                "`sanitize` has no `test_owner`: add `test_owner = \"...\"` to its #[ai_generated]",
            ),
            violation(
                PolicyRule::StaleHarness,
                Severity::Error,
                ("other-pkg", "untested", "other pkg/src/lib.rs", 20),
                "the harness of `untested` is missing or out of date: run `cargo abuse gen` and commit it",
            ),
            violation(
                PolicyRule::Unsupported,
                Severity::Warning,
                ("demo", "text::Tokens::next", "demo/src/text.rs", 60),
                "`text::Tokens::next` has no harness: `Tokens` has no public constructor; add `constructor = \"...\"`",
            ),
        ],
    }
}

/// Three changed functions: one whose code and prompt changed after it was signed off and
/// whose last run failed; a new one with no record at all; one whose signed code changed but
/// not its prompt, last not run.
pub(super) fn representative_pr() -> PrReport {
    PrReport {
        since: "origin/main".into(),
        entries: vec![
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
                    date: "2026-01-05".into(),
                    signed: "0123456789abcdef".into(),
                },
                last_result: Some(Outcome::Fail),
                old_source: Some(
                    "pub fn parse_port(s: &str) -> u16 {\n    s.parse().unwrap()\n}\n".into(),
                ),
                old_line: Some(10),
                new_source: "pub fn parse_port(s: &str) -> Option<u16> {\n    s.parse().ok().filter(|&p| p != 0)\n}\n".into(),
                behaviour: None,
            },
            PrEntry {
                package: "demo".into(),
                function: "text::slugify".into(),
                file: "demo/src/text.rs".into(),
                line: 8,
                prompt: None,
                old_prompt: None,
                author: None,
                reviewer: None,
                test_owner: None,
                signoff: SignoffState::None,
                last_result: None,
                old_source: None,
                old_line: None,
                new_source: "pub fn slugify(title: &str) -> String {\n    title.to_lowercase().replace(' ', \"-\")\n}\n".into(),
                behaviour: None,
            },
            PrEntry {
                package: "other-pkg".into(),
                function: "sanitize".into(),
                file: "other pkg/src/lib.rs".into(),
                line: 3,
                prompt: Some("Strip `..` from paths.\n\nKeep | and other characters.".into()),
                old_prompt: None,
                author: Some("dan".into()),
                reviewer: Some("erin | ops".into()),
                test_owner: Some("bob".into()),
                signoff: SignoffState::Current {
                    owner: "bob".into(),
                    date: "2026-01-02".into(),
                },
                last_result: Some(Outcome::NotRun),
                old_source: Some(
                    "pub fn sanitize(p: &str) -> String {\n    p.replace(\"..\", \"\")\n}\n".into(),
                ),
                old_line: Some(3),
                new_source: "pub fn sanitize(p: &str) -> String {\n    p.replace(\"../\", \"\").replace(\"..\", \"\")\n}\n".into(),
                behaviour: None,
            },
        ],
    }
}

// The reasons a function runs no case, as `run` words them.
pub(super) const REJECTED: &str = "constructor `Alphabet::new` rejected 1024 of 1024 generated inputs: add a doc example or `strategy(self = ...)`";
pub(super) const DID_NOT_COMPILE: &str =
    "harness did not compile: error[E0597]: `x` does not live long enough (tests/abuse/a.rs:9)";
pub(super) const NO_MOD_LINE: &str = "add `#[cfg(test)] mod abuse_tests;` to src/lib.rs: its harness is compiled into the crate's unit tests";
pub(super) const NO_HARNESS: &str = "`Lazy::get` has no harness: no concrete type for `F: FnOnce() -> T`; give `strategy(...)` for the parameters that use it or add a concrete wrapper";

/// One function per reason it ran no case: a constructor that rejected every input, a harness the compiler
/// refused, the missing `mod abuse_tests;` line, and no harness at all (only its `abuse/unsupported`
/// violation). Every format must show each reason.
pub(super) fn not_run_reasons() -> RunReport {
    let function = |name: &str, message: &str| FnResult {
        package: "subject".into(),
        function: name.into(),
        file: "src/lib.rs".into(),
        line: 7,
        prompt: None,
        author: None,
        test_owner: None,
        properties: vec![not_run("no_panic", message)],
    };
    RunReport {
        seed: 1,
        functions: vec![
            function("Alphabet::encode", REJECTED),
            function("borrowed", DID_NOT_COMPILE),
            function("private_helper", NO_MOD_LINE),
        ],
        violations: vec![violation(
            PolicyRule::Unsupported,
            Severity::Warning,
            ("subject", "Lazy::get", "src/lazy.rs", 30),
            NO_HARNESS,
        )],
    }
}
