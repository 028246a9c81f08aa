//! What `run` learned, for `report/`: per function the property results (kinds and properties are
//! `abuse_record`'s enums), and the policy violations.

use serde::{Deserialize, Serialize};

use super::*;

/// What `run` learned: one entry per function that was run, plus policy violations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RunReport {
    /// The seed every property test used (printed so any run can be replayed with `--seed`).
    pub seed: u64,
    /// Per-function results, sorted by function path.
    pub functions: Vec<FnResult>,
    /// Policy violations (stale sign-offs, missing keys, stale harnesses...).
    pub violations: Vec<Violation>,
}

/// Results of one function's tests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FnResult {
    /// Package name.
    pub package: String,
    /// Path from the crate root (`net::parse_port`), as in `TaggedFn::path`.
    pub function: String,
    /// File relative to the workspace root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// Prompt text, if recorded.
    pub prompt: Option<String>,
    /// Prompt author.
    pub author: Option<String>,
    /// Test owner.
    pub test_owner: Option<String>,
    /// One entry per property test (and per fuzz target run).
    pub properties: Vec<PropertyResult>,
}

/// The outcome of one property test or fuzz run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PropertyResult {
    /// `no_panic`, `roundtrip`, `idempotent`, `oracle`, `ensures`, `deterministic`, or `all` for a fuzz run
    /// that found nothing (a fuzz target checks every property of its function).
    pub property: Checked,
    /// Where it came from.
    pub source: ResultSource,
    /// Pass, fail, or not run (with why in `message`).
    pub outcome: Outcome,
    /// For failures: `panic`, `timeout`, `alloc`, `property`, `crash`; `harness` when the harness could not
    /// build inputs (outcome not run).
    pub kind: Option<FailureKind>,
    /// Cases run.
    pub cases: u64,
    /// Cases rejected by the harness's own set-up (not failures).
    pub rejected: u64,
    /// Wall time.
    pub elapsed_ms: u64,
    /// The smallest failing input as a Rust expression.
    pub input: Option<String>,
    /// Panic message, limit exceeded, or property message.
    pub message: Option<String>,
    /// Time from the start of the test to its first failing case, before shrinking (the runtime record's
    /// `first_failure_ms`). Absent when nothing failed or nothing measured it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_failure_ms: Option<u64>,
    /// Size of the shrunk failing input: bytes of its strings plus its other literals (the runtime record's
    /// `input_size`). Absent on pass and when the record has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_size: Option<u64>,
    /// When another result of the same function failed the same way (same kind, same message: the same panic
    /// site and text), that result's label ([`PropertyResult::label`]): this one is the same failure, shown
    /// once. Set by [`crate::run::group_same_failures`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// Which root cause of its property test this failure is when the test found more than one (`2`, `3`:
    /// the runtime's record `root_cause`; a different kind, panic site or message than the first), shown as
    /// `no_panic (root cause 2)`. Absent on the first (or only) one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub root_cause: Option<u32>,
}

impl PropertyResult {
    /// How reports name this result: the property, with ` (regression)` or ` (fuzz)` for those sources.
    pub fn label(&self) -> String {
        match (self.source, self.root_cause) {
            (ResultSource::Proptest, Some(n)) => format!("{} (root cause {n})", self.property),
            (ResultSource::Proptest, None) => self.property.as_str().to_string(),
            (ResultSource::Regression, _) => format!("{} (regression)", self.property),
            (ResultSource::Fuzz, _) => format!("{} (fuzz)", self.property),
        }
    }
}

/// What a result covers: one property, or every property of the function (`all`: a fuzz target checks them
/// all at once). Serialized as the property's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum Checked {
    /// One property.
    One(Property),
    /// Every property of the function.
    All,
}

impl Checked {
    /// The property's name ([`Property::as_str`]), or `all`.
    pub fn as_str(self) -> &'static str {
        match self {
            Checked::One(p) => p.as_str(),
            Checked::All => "all",
        }
    }

    /// The value named `name` ([`Checked::as_str`]'s spelling).
    pub fn from_name(name: &str) -> Option<Checked> {
        match name {
            "all" => Some(Checked::All),
            _ => Property::from_name(name).map(Checked::One),
        }
    }
}

impl From<Property> for Checked {
    fn from(p: Property) -> Checked {
        Checked::One(p)
    }
}

impl From<Checked> for &'static str {
    fn from(c: Checked) -> &'static str {
        c.as_str()
    }
}

impl TryFrom<String> for Checked {
    type Error = String;

    fn try_from(name: String) -> Result<Checked, String> {
        Checked::from_name(&name).ok_or_else(|| format!("unknown property `{name}`"))
    }
}

impl std::fmt::Display for Checked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Property test or fuzzing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultSource {
    /// A test in the package's test targets: the proptest harness, or a tagged `#[test]` run as it is.
    Proptest,
    /// libFuzzer target.
    Fuzz,
    /// A kept regression value.
    Regression,
}

/// Outcome of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Held for every case.
    Pass,
    /// A counterexample was found.
    Fail,
    /// Could not run (build failure, no record written); `message` says why.
    NotRun,
}

/// A policy violation, located at the function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    /// The rule broken, serialized as its stable id (`abuse/stale-signoff`, `abuse/missing-key`...).
    pub rule: crate::policy::PolicyRule,
    /// Function path from the crate root.
    pub function: String,
    /// Package name.
    pub package: String,
    /// File relative to the workspace root.
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// What is wrong and what to do.
    pub message: String,
    /// Error fails the run; warning is reported only.
    pub severity: Severity,
}
