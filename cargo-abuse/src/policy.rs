//! The policy `run` enforces before testing: required record keys, allowed owners, stale sign-offs and stale
//! harnesses. Pure: model in, violations out. Each violation names its [`PolicyRule`].

use crate::harness_state::HarnessStates;
use crate::model::{HarnessState, Inventory, Severity, SignoffState, TaggedFn, Violation};
use crate::options::{Options, Policy, RequiredKey, StalePolicy};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A rule of the policy, written (JSON, SARIF `ruleId`, terminal) as its stable id, `abuse/...`.
///
/// Declared in the order of their ids, so sorting by rule sorts as the ids did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PolicyRule {
    /// A key the policy requires (`required`) is missing from the attribute.
    #[serde(rename = "abuse/missing-key")]
    MissingKey,
    /// The test owner, or the signer, is not one of the policy's `allowed_owners`.
    #[serde(rename = "abuse/owner-not-allowed")]
    OwnerNotAllowed,
    /// The generated harness is missing or out of date.
    #[serde(rename = "abuse/stale-harness")]
    StaleHarness,
    /// The function or its prompt changed after the sign-off (an error or a warning per `stale`).
    #[serde(rename = "abuse/stale-signoff")]
    StaleSignoff,
    /// No harness can be generated for the function (a warning).
    #[serde(rename = "abuse/unsupported")]
    Unsupported,
}

impl PolicyRule {
    /// The stable id: `abuse/missing-key`...
    pub const fn id(self) -> &'static str {
        match self {
            PolicyRule::MissingKey => "abuse/missing-key",
            PolicyRule::OwnerNotAllowed => "abuse/owner-not-allowed",
            PolicyRule::StaleHarness => "abuse/stale-harness",
            PolicyRule::StaleSignoff => "abuse/stale-signoff",
            PolicyRule::Unsupported => "abuse/unsupported",
        }
    }
}

impl fmt::Display for PolicyRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Every violation of `policy` in the inventory (with its functions' harness states), sorted by file and line.
pub fn check(inventory: &Inventory, states: &HarnessStates, opts: &Options) -> Vec<Violation> {
    let mut out = Vec::new();
    let default = Policy::default();
    for package in &inventory.packages {
        let policy = opts
            .packages
            .get(&package.name)
            .map_or(&default, |p| &p.policy);
        for f in &package.functions {
            check_function(f, states.of(f), policy, &mut out);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
    out
}

fn check_function(f: &TaggedFn, harness: &HarnessState, policy: &Policy, out: &mut Vec<Violation>) {
    let mut push = |rule: PolicyRule, severity: Severity, message: String| {
        out.push(Violation {
            rule,
            function: f.path.clone(),
            package: f.package.clone(),
            file: f.file.clone(),
            line: f.line,
            message,
            severity,
        })
    };
    let record = &f.record;
    for key in &policy.required {
        let (present, key) = match key {
            RequiredKey::Prompt => (record.prompt.is_some(), "prompt"),
            RequiredKey::Model => (record.model.is_some(), "model"),
            RequiredKey::Author => (record.author.is_some(), "author"),
            RequiredKey::Reviewer => (record.reviewer.is_some(), "reviewer"),
            RequiredKey::TestOwner => (record.test_owner.is_some(), "test_owner"),
            RequiredKey::SignedOff => (record.signed_off.is_some(), "signed_off"),
        };
        if !present {
            let hint = if key == "signed_off" {
                format!("have the test owner run `cargo abuse sign {}`", f.path)
            } else {
                format!("add `{key} = \"...\"` to its #[ai_generated]")
            };
            push(
                PolicyRule::MissingKey,
                Severity::Error,
                format!("`{}` has no `{key}`: {hint}", f.path),
            );
        }
    }
    if !policy.allowed_owners.is_empty() {
        if let Some(owner) = &record.test_owner {
            if !policy.allowed_owners.contains(owner) {
                push(
                    PolicyRule::OwnerNotAllowed,
                    Severity::Error,
                    format!(
                        "test owner `{owner}` of `{}` is not in the policy's allowed owners ({})",
                        f.path,
                        policy.allowed_owners.join(", ")
                    ),
                );
            }
        }
        if let Some(signoff) = &record.signed_off {
            if !policy.allowed_owners.contains(&signoff.owner) {
                push(
                    PolicyRule::OwnerNotAllowed,
                    Severity::Error,
                    format!(
                        "`{}` was signed off by `{}`, who is not an allowed owner",
                        f.path, signoff.owner
                    ),
                );
            }
        }
    }
    if let SignoffState::Stale { owner, date, .. } = &f.signoff {
        let severity = if policy.stale == StalePolicy::Error {
            Severity::Error
        } else {
            Severity::Warning
        };
        push(
            PolicyRule::StaleSignoff,
            severity,
            format!(
                "`{}` changed (code or prompt) after {owner} signed it off on {date}: review it, then `cargo abuse sign {}`",
                f.path, f.path
            ),
        );
    }
    match harness {
        HarnessState::Missing | HarnessState::Stale => push(
            PolicyRule::StaleHarness,
            Severity::Error,
            format!("the harness of `{}` is missing or out of date: run `cargo abuse gen` and commit it", f.path),
        ),
        HarnessState::Unsupported { reason } => {
            push(PolicyRule::Unsupported, Severity::Warning, format!("`{}` has no harness: {reason}", f.path))
        }
        HarnessState::Current | HarnessState::OwnTest => {}
    }
}

#[cfg(test)]
mod tests {
    use super::PolicyRule::{self, *};
    use serde_json::json;

    #[test]
    fn policy_rules_are_written_as_their_ids_and_sort_like_them() {
        let all = [
            MissingKey,
            OwnerNotAllowed,
            StaleHarness,
            StaleSignoff,
            Unsupported,
        ];
        for rule in all {
            assert_eq!(serde_json::to_value(rule).unwrap(), json!(rule.id()));
            assert_eq!(
                serde_json::from_value::<PolicyRule>(json!(rule.id())).unwrap(),
                rule
            );
            assert_eq!(rule.to_string(), rule.id());
        }
        assert!(all.is_sorted(), "declared in order");
        assert!(all.map(PolicyRule::id).is_sorted(), "ids in the same order");
    }
}
