//! What the records say, per function: results collected per package, the reason a function ran no case,
//! sequence rows, documented panics, and failures of one root cause grouped.

use std::collections::BTreeMap;

use abuse_record::Record;

use crate::generate::{FileKind, Generated};
use crate::model::{
    Checked, FailureKind, FnResult, Inventory, Outcome, Package, Property, PropertyResult,
    ResultSource, TaggedFn,
};
use crate::plan::PlanReach;

pub(super) fn collect_results(
    package: &Package,
    selected: &[&TaggedFn],
    generated: &Generated,
    records: &[Record],
) -> Vec<FnResult> {
    let mut by_function: BTreeMap<String, Vec<&Record>> = BTreeMap::new();
    for record in records {
        by_function
            .entry(record.function.clone())
            .or_default()
            .push(record);
    }
    selected
        .iter()
        .map(|f| {
            // A function defined again at the same path under another `cfg` (email_address's `is_valid` with
            // and without `feature = "zeroize"`): one harness serves the path, so the records are the first
            // definition's; this one gets its own row saying how to test it.
            // The definition a default build compiles is the one the records are of (lazy_static's
            // `inline_lazy.rs`, not `core_lazy.rs` under `feature = "spin_no_std"`, which sorts first).
            let twins: Vec<&TaggedFn> = selected
                .iter()
                .copied()
                .filter(|g| g.path == f.path && g.crate_name == f.crate_name)
                .collect();
            let primary = twins
                .iter()
                .copied()
                .find(|g| default_build_has(g, package))
                .unwrap_or(twins[0]);
            if !std::ptr::eq(primary, *f) {
                return twin_result(package, f, primary);
            }
            let display = format!("{}::{}", f.crate_name, f.path);
            let mut properties: Vec<PropertyResult> = by_function
                .get(&display)
                .map(|rs| rs.iter().map(|r| property_result(r)).collect())
                .unwrap_or_default();
            for p in &mut properties {
                if p.outcome == Outcome::NotRun && p.kind == Some(FailureKind::Harness) {
                    p.message = Some(rejected_reason(f, package, p.rejected, p.cases));
                }
            }
            if properties.is_empty() {
                properties.push(not_run(no_record_reason(f, package, generated)));
            }
            // By name, as the report lists them.
            properties.sort_by(|a, b| {
                (a.property.as_str(), a.source as u8).cmp(&(b.property.as_str(), b.source as u8))
            });
            fn_result(package, f, properties)
        })
        .chain(sequence_results(package, selected, &by_function))
        .collect()
}

/// The row of a second definition of `first`'s path (under another `cfg`): not run here, and why.
fn twin_result(package: &Package, f: &TaggedFn, first: &TaggedFn) -> FnResult {
    let cfg = f
        .cfg
        .as_deref()
        .map_or(String::new(), |c| format!(", compiled only with `{c}`"));
    let message = format!(
        "defined again here{cfg}: one harness serves `{}`, and its results are on the row of line {} for \
         whichever definition this build compiles; run with the features that select this one to test it",
        f.path, first.line
    );
    fn_result(package, f, vec![not_run(message)])
}

/// Whether a default build of the package (its default features, this host) compiles `f`: its `cfg`
/// holds there.
fn default_build_has(f: &TaggedFn, package: &Package) -> bool {
    f.cfg
        .as_deref()
        .is_none_or(|cfg| crate::discover::cfg_text_holds(cfg, &package.default_features))
}

/// The row of `f` with `properties`.
fn fn_result(package: &Package, f: &TaggedFn, properties: Vec<PropertyResult>) -> FnResult {
    FnResult {
        package: package.name.clone(),
        function: f.path.clone(),
        file: f.file.clone(),
        line: f.line,
        prompt: f.record.prompt.clone(),
        author: f.record.author.clone(),
        test_owner: f.record.test_owner.clone(),
        properties,
    }
}

/// A `no_panic` result that did not run, and why.
fn not_run(message: String) -> PropertyResult {
    PropertyResult {
        property: Checked::One(Property::NoPanic),
        source: ResultSource::Proptest,
        outcome: Outcome::NotRun,
        kind: None,
        cases: 0,
        rejected: 0,
        elapsed_ms: 0,
        input: None,
        message: Some(message),
        first_failure_ms: None,
        input_size: None,
        same_as: None,
        root_cause: None,
    }
}

/// Why a function has no result at all, in words the user can act on: its harness was skipped (the reason
/// `gen` gave, e.g. the compiler's error), it waits for the `mod abuse_tests;` line, or it is compiled only
/// under a `cfg` this build does not have; otherwise where to look.
pub(super) fn no_record_reason(f: &TaggedFn, package: &Package, generated: &Generated) -> String {
    if let Some(skip) = generated
        .skipped
        .iter()
        .find(|s| s.package == package.name && s.function == f.path)
    {
        return skip.reason.to_string();
    }
    let file = generated
        .files
        .iter()
        .find(|g| g.function.as_deref() == Some(f.path.as_str()));
    let in_crate = file.is_some_and(|g| g.kind == FileKind::Harness(PlanReach::InCrate));
    if in_crate && !package.has_abuse_tests_mod {
        // The in-crate harnesses sit in `src/abuse_tests/`, beside the library's root.
        let root = if package.dir.is_empty() {
            "src/lib.rs".to_string()
        } else {
            format!("{}/src/lib.rs", package.dir)
        };
        return format!(
            "add `#[cfg(test)] mod abuse_tests;` to {root}: its harness is compiled into the crate's unit tests"
        );
    }
    if let Some(cfg) = &f.cfg {
        return format!("compiled only with `{cfg}`, which this build does not set");
    }
    format!(
        "no result was recorded for {}; rerun with -v to see cargo's output",
        file.map(|g| g.path.as_str()).unwrap_or("its harness")
    )
}

/// Why a property whose generated inputs were (almost) all rejected ran no case: which constructor refused them
/// and how to give it valid ones.
pub(super) fn rejected_reason(
    f: &TaggedFn,
    package: &Package,
    rejected: u64,
    cases: u64,
) -> String {
    let constructors: Vec<String> = f
        .self_type
        .as_deref()
        .and_then(|t| {
            package
                .types
                .iter()
                .find(|d| d.name == t || d.path == t || d.path.ends_with(&format!("::{t}")))
        })
        .map(|d| {
            d.constructors
                .iter()
                .map(|c| match &c.free_fn {
                    Some(free) => format!("`{}`", free.path),
                    None => format!("`{}::{}`", d.name, c.name),
                })
                .collect()
        })
        .unwrap_or_default();
    let who = match constructors.as_slice() {
        [one] => format!("constructor {one}"),
        [] => "the constructors of its inputs".to_string(),
        many => format!("the constructors {}", many.join(", ")),
    };
    // `cases` counts every case started, the rejected ones included.
    let total = cases.max(rejected);
    format!(
        "{who} rejected {} of {} generated inputs: add a doc example or `strategy(self = ...)`",
        thousands(rejected),
        thousands(total)
    )
}

/// `1,024`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The results of sequence tests, one row per type (`Recent`), whose records name the type (`demo::Recent`):
/// for each type of which a selected method takes `self`, at its first such method's location.
pub(super) fn sequence_results(
    package: &Package,
    selected: &[&TaggedFn],
    by_function: &BTreeMap<String, Vec<&Record>>,
) -> Vec<FnResult> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for f in selected {
        let (Some(_), Some((type_path, _))) = (f.signature.receiver, f.path.rsplit_once("::"))
        else {
            continue;
        };
        if seen.contains(&type_path) {
            continue;
        }
        seen.push(type_path);
        let Some(records) = by_function.get(&format!("{}::{type_path}", f.crate_name)) else {
            continue;
        };
        out.push(FnResult {
            package: package.name.clone(),
            function: type_path.to_string(),
            file: f.file.clone(),
            line: f.line,
            prompt: f.record.prompt.clone(),
            author: f.record.author.clone(),
            test_owner: f.record.test_owner.clone(),
            properties: records.iter().map(|r| property_result(r)).collect(),
        });
    }
    out
}

/// What a panic failure of a function whose docs document panics says in addition.
pub const DOCUMENTED_PANIC_NOTE: &str =
    "its docs say it panics: if this is the documented panic, add `may_panic` to the attribute";

/// Adds [`DOCUMENTED_PANIC_NOTE`] to the panic failures of functions whose docs document panics. The failure
/// stays a failure: only the function's author knows whether this panic is the documented one.
pub fn note_documented_panics(results: &mut [FnResult], inventory: &Inventory) {
    for result in results {
        let documented = inventory
            .packages
            .iter()
            .filter(|p| p.name == result.package)
            .flat_map(|p| &p.functions)
            .any(|f| f.path == result.function && f.documents_panics);
        if !documented {
            continue;
        }
        for p in &mut result.properties {
            if p.outcome == Outcome::Fail && p.kind == Some(FailureKind::Panic) {
                p.message = Some(match p.message.take() {
                    Some(m) => format!("{m} ({DOCUMENTED_PANIC_NOTE})"),
                    None => DOCUMENTED_PANIC_NOTE.to_string(),
                });
            }
        }
    }
}

/// The result `run` reports for one record (for tests elsewhere in the crate).
#[cfg(test)]
pub(crate) fn property_result_of(record: &Record) -> PropertyResult {
    property_result(record)
}

pub(super) fn property_result(record: &Record) -> PropertyResult {
    PropertyResult {
        property: Checked::One(record.property),
        source: if record.test.contains("regressions::") {
            ResultSource::Regression
        } else {
            ResultSource::Proptest
        },
        // "rejected": the harness could not build enough inputs (a constructor refused them): the harness's
        // limit, not evidence against the function.
        outcome: match record.outcome {
            abuse_record::Outcome::Pass => Outcome::Pass,
            abuse_record::Outcome::Rejected => Outcome::NotRun,
            abuse_record::Outcome::Fail => Outcome::Fail,
        },
        kind: record.kind,
        cases: record.cases,
        rejected: record.rejected,
        elapsed_ms: record.elapsed_ms,
        input: record.input.clone(),
        message: record.message.clone(),
        first_failure_ms: record.first_failure_ms,
        input_size: record.input_size,
        same_as: None,
        root_cause: record.root_cause,
    }
}

/// One failure per root cause: within each function, a failing result with the same kind and message (the same
/// panic site and text, the same crash) as an earlier one is marked `same_as` that one, so every report shows
/// it once. The one shown is `no_panic`'s when it is in the group (a panic inside a `deterministic`,
/// `idempotent` or `roundtrip` body is the call panicking, kind `panic`, not the property failing), else the
/// first in the report's order. Property failures (each its own comparison) and not-run results are never
/// grouped.
pub fn group_same_failures(results: &mut [FnResult]) {
    for result in results {
        let key = |p: &PropertyResult| {
            (p.outcome == Outcome::Fail
                && p.kind
                    .is_some_and(|k| k != FailureKind::Property && k != FailureKind::Harness))
            .then(|| (p.kind, p.message.clone()))
        };
        let props = &mut result.properties;
        for i in 0..props.len() {
            let Some(k) = key(&props[i]) else { continue };
            if props[i].same_as.is_some() {
                continue;
            }
            let group: Vec<usize> = (i..props.len())
                .filter(|&j| props[j].same_as.is_none() && key(&props[j]).as_ref() == Some(&k))
                .collect();
            if group.len() < 2 {
                continue;
            }
            let shown = group
                .iter()
                .copied()
                .find(|&j| {
                    props[j].property == Checked::One(Property::NoPanic)
                        && props[j].source == ResultSource::Proptest
                })
                .or_else(|| {
                    group
                        .iter()
                        .copied()
                        .find(|&j| props[j].property == Checked::One(Property::NoPanic))
                })
                .unwrap_or(group[0]);
            let label = props[shown].label();
            for j in group {
                if j != shown {
                    props[j].same_as = Some(label.clone());
                }
            }
        }
    }
}
