//! The closed set of rules a result is reported under (SARIF `ruleId`, JUnit `type`, `rule` in JSON),
//! and the one place that reads a failure's kind to pick one.
//!
//! Failures get one rule per *failure kind*, not per property: `abuse/panic`, `abuse/timeout`,
//! `abuse/alloc`, `abuse/crash`, and `abuse/property` for a declared property that did not hold
//! (roundtrip, idempotent, oracle, ensures, deterministic; the property's name is in the result's
//! message and in `properties.property`). A property that could not be run at all is
//! `abuse/not-run`. Policy violations keep their own rule ([`PolicyRule`]: `abuse/stale-signoff`,
//! `abuse/missing-key`, `abuse/owner-not-allowed`, `abuse/stale-harness`, `abuse/unsupported`). Kinds
//! stay few and stable so code-scanning dashboards can group and dismiss by rule.

use crate::model::{FailureKind, Outcome, PropertyResult};
use crate::policy::PolicyRule;
use std::fmt;

/// What a result is reported under: a failure's kind, a property that could not run, or a policy rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `abuse/panic`: the function panicked.
    Panic,
    /// `abuse/timeout`: one call exceeded its time limit.
    Timeout,
    /// `abuse/alloc`: one call allocated more than its limit.
    Alloc,
    /// `abuse/crash`: the test process aborted or was killed.
    Crash,
    /// `abuse/property`: a declared property did not hold (and any failure of another kind).
    Property,
    /// `abuse/not-run`: the property could not run.
    NotRun,
    /// A policy violation, under the policy rule's own id.
    Policy(PolicyRule),
}

impl Rule {
    /// The stable id, `abuse/...`.
    pub const fn id(self) -> &'static str {
        match self {
            Rule::Panic => "abuse/panic",
            Rule::Timeout => "abuse/timeout",
            Rule::Alloc => "abuse/alloc",
            Rule::Crash => "abuse/crash",
            Rule::Property => "abuse/property",
            Rule::NotRun => "abuse/not-run",
            Rule::Policy(rule) => rule.id(),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// The rule of a property result that did not pass (`None` when it passed). The only reader of the
/// failure's `kind`.
pub fn rule_for(p: &PropertyResult) -> Option<Rule> {
    match p.outcome {
        Outcome::Pass => None,
        Outcome::NotRun => Some(Rule::NotRun),
        Outcome::Fail => Some(match p.kind {
            Some(FailureKind::Panic) => Rule::Panic,
            Some(FailureKind::Timeout) => Rule::Timeout,
            Some(FailureKind::Alloc) => Rule::Alloc,
            Some(FailureKind::Crash) => Rule::Crash,
            Some(FailureKind::Property | FailureKind::Harness) | None => Rule::Property,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::prop;

    #[test]
    fn rules_follow_failure_kinds() {
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("panic"))).map(Rule::id),
            Some("abuse/panic")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("timeout"))).map(Rule::id),
            Some("abuse/timeout")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("alloc"))).map(Rule::id),
            Some("abuse/alloc")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Fail, Some("crash"))).map(Rule::id),
            Some("abuse/crash")
        );
        assert_eq!(
            rule_for(&prop("roundtrip", Outcome::Fail, None)).map(Rule::id),
            Some("abuse/property")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::NotRun, None)).map(Rule::id),
            Some("abuse/not-run")
        );
        assert_eq!(
            rule_for(&prop("x", Outcome::Pass, None)).map(Rule::id),
            None
        );
    }
}
