//! The policy `run` enforces before testing: required record keys, allowed owners, stale sign-offs and stale
//! harnesses. Pure: model in, violations out.

use crate::model::{HarnessState, Inventory, Severity, SignoffState, TaggedFn, Violation};

/// `[workspace.metadata.abuse.policy]` / `[package.metadata.abuse.policy]`, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Record keys every tagged function must have (`prompt`, `author`, `reviewer`, `test_owner`, `signed_off`, `model`).
    pub required: Vec<String>,
    /// When non-empty, the only names accepted as test owner (and as signer).
    pub allowed_owners: Vec<String>,
    /// A stale sign-off fails the run (default) or only warns.
    pub stale_is_error: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { required: Vec::new(), allowed_owners: Vec::new(), stale_is_error: true }
    }
}

/// Every violation of `policy` in the inventory, sorted by file and line.
pub fn check(inventory: &Inventory, policy: &Policy) -> Vec<Violation> {
    let mut out = Vec::new();
    for package in &inventory.packages {
        for f in &package.functions {
            check_function(f, policy, &mut out);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line, &a.rule).cmp(&(&b.file, b.line, &b.rule)));
    out
}

fn check_function(f: &TaggedFn, policy: &Policy, out: &mut Vec<Violation>) {
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
        let present = match key.as_str() {
            "prompt" => record.prompt.is_some(),
            "model" => record.model.is_some(),
            "author" => record.author.is_some(),
            "reviewer" => record.reviewer.is_some(),
            "test_owner" => record.test_owner.is_some(),
            "signed_off" => record.signed_off.is_some(),
            _ => true,
        };
        if !present {
            let hint = if key == "signed_off" {
                format!("have the test owner run `cargo abuse sign {}`", f.path)
            } else {
                format!("add `{key} = \"...\"` to its #[ai_generated]")
            };
            push("abuse/missing-key", Severity::Error, format!("`{}` has no `{key}`: {hint}", f.path));
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
                    format!("`{}` was signed off by `{}`, who is not an allowed owner", f.path, signoff.owner),
                );
            }
        }
    }
    if let SignoffState::Stale { owner, date, .. } = &f.signoff {
        let severity = if policy.stale_is_error { Severity::Error } else { Severity::Warning };
        push(
            "abuse/stale-signoff",
            severity,
            format!(
                "`{}` changed (code or prompt) after {owner} signed it off on {date}: review it, then `cargo abuse sign {}`",
                f.path, f.path
            ),
        );
    }
    match &f.harness {
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
