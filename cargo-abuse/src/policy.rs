//! The policy `run` enforces before testing: required record keys, allowed owners, stale sign-offs and stale
//! harnesses. Pure: model in, violations out.

use crate::harness_state::HarnessStates;
use crate::model::{HarnessState, Inventory, Severity, SignoffState, TaggedFn, Violation};
use crate::options::{Options, Policy, RequiredKey, StalePolicy};

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
    let mut push = |rule: &str, severity: Severity, message: String| {
        out.push(Violation {
            rule: rule.into(),
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
                "abuse/missing-key",
                Severity::Error,
                format!("`{}` has no `{key}`: {hint}", f.path),
            );
        }
    }
    if !policy.allowed_owners.is_empty() {
        if let Some(owner) = &record.test_owner {
            if !policy.allowed_owners.contains(owner) {
                push(
                    "abuse/owner-not-allowed",
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
                    "abuse/owner-not-allowed",
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
            "abuse/stale-signoff",
            severity,
            format!(
                "`{}` changed (code or prompt) after {owner} signed it off on {date}: review it, then `cargo abuse sign {}`",
                f.path, f.path
            ),
        );
    }
    match harness {
        HarnessState::Missing | HarnessState::Stale => push(
            "abuse/stale-harness",
            Severity::Error,
            format!("the harness of `{}` is missing or out of date: run `cargo abuse gen` and commit it", f.path),
        ),
        HarnessState::Unsupported { reason } => {
            push("abuse/unsupported", Severity::Warning, format!("`{}` has no harness: {reason}", f.path))
        }
        HarnessState::Current => {}
    }
}
