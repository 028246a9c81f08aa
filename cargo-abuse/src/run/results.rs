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
            let display = format!("{}::{}", f.crate_name, f.path);
            let records: Vec<&Record> = by_function.get(&display).cloned().unwrap_or_default();
            let records = match own_records(package, generated, f, records) {
                Own::Records(records) => records,
                Own::TwinOf(first) => return twin_result(package, f, first),
            };
            let mut properties: Vec<PropertyResult> =
                records.iter().map(|r| property_result(r)).collect();
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

/// Which records of a path are one definition's.
enum Own<'r, 'f> {
    /// Its records (none when the build did not compile it).
    Records(Vec<&'r Record>),
    /// None: the build compiled that other definition of the path (or, when the harnesses cannot tell the
    /// definitions apart, the first one, whose row has the path's records).
    TwinOf(&'f TaggedFn),
}

/// A function defined again at the same path under another `cfg` (email_address's `is_valid` with and without
/// `feature = "zeroize"`) has one harness module per definition, gated by the definition's `cfg`: each
/// definition gets the records of its module's tests. When the modules cannot be told apart, the first
/// definition's row has the path's records and the others say so.
fn own_records<'r, 'f>(
    package: &'f Package,
    generated: &Generated,
    f: &TaggedFn,
    records: Vec<&'r Record>,
) -> Own<'r, 'f> {
    let twins: Vec<&TaggedFn> = package
        .functions
        .iter()
        .filter(|g| g.path == f.path && g.crate_name == f.crate_name)
        .collect();
    if twins.len() <= 1 {
        return Own::Records(records);
    }
    let modules = twin_modules(generated, &twins);
    let mine = twins
        .iter()
        .position(|t| t.line == f.line && t.file == f.file)
        .and_then(|at| modules[at]);
    if let Some(mine) = mine {
        let of = |r: &Record, module: &str| record_module(&r.test) == Some(module);
        let own: Vec<&Record> = records.iter().copied().filter(|r| of(r, mine)).collect();
        if own.is_empty() {
            // Another definition's module ran: this row says which.
            if let Some((other, _)) = twins
                .iter()
                .zip(&modules)
                .find(|(_, m)| m.is_some_and(|m| m != mine && records.iter().any(|r| of(r, m))))
            {
                return Own::TwinOf(other);
            }
        }
        return Own::Records(own);
    }
    // The records are of the definition a default build compiles (lazy_static's `inline_lazy.rs`, not
    // `core_lazy.rs` under `feature = "spin_no_std"`, which sorts first); failing that, the first.
    let primary = twins
        .iter()
        .copied()
        .find(|g| default_build_has(g, package))
        .unwrap_or(twins[0]);
    if primary.line != f.line || primary.file != f.file {
        Own::TwinOf(primary)
    } else {
        Own::Records(records)
    }
}

/// The harness module of each definition of a path: by the definition's `cfg` (`harness_module_of`), or, when
/// no definition has one (either's `cloned`, defined in the `impl` of `Either<&L, &R>` and again in that of
/// `Either<&mut L, &mut R>`), in the order `gen` named them (`either__cloned`, `either__cloned_2`), which is
/// the package's order of its functions, when every definition has a harness.
fn twin_modules<'g>(generated: &'g Generated, twins: &[&TaggedFn]) -> Vec<Option<&'g str>> {
    if twins.iter().any(|t| t.cfg.is_some()) {
        return twins
            .iter()
            .map(|t| harness_module_of(generated, t))
            .collect();
    }
    let Some(path) = twins.first().map(|t| t.path.as_str()) else {
        return Vec::new();
    };
    let mut modules: Vec<(usize, &str)> = generated
        .files
        .iter()
        .filter(|g| g.function.as_deref() == Some(path) && matches!(g.kind, FileKind::Harness(_)))
        .filter_map(|g| std::path::Path::new(&g.path).file_stem()?.to_str())
        .map(|stem| (module_ordinal(stem), stem))
        .collect();
    modules.sort();
    if modules.len() != twins.len() {
        return vec![None; twins.len()];
    }
    modules.into_iter().map(|(_, m)| Some(m)).collect()
}

/// Which of a path's modules `unique_module_name` made: `x` is the first, `x_2` the second.
fn module_ordinal(stem: &str) -> usize {
    stem.rsplit_once('_')
        .and_then(|(_, n)| n.parse().ok())
        .unwrap_or(1)
}

/// The harness module of one definition of a path defined more than once: the module whose file says the
/// definition's `cfg` (`#![cfg(feature = "zeroize")]`), when exactly one does.
fn harness_module_of<'g>(generated: &'g Generated, f: &TaggedFn) -> Option<&'g str> {
    let parts: Vec<&str> = f.cfg.as_deref()?.split(" && ").map(str::trim).collect();
    let cfg = if parts.len() == 1 {
        parts[0].to_string()
    } else {
        format!("all({})", parts.join(", "))
    };
    let line = format!("#![cfg({cfg})]");
    let mut files = generated.files.iter().filter(|g| {
        g.function.as_deref() == Some(f.path.as_str())
            && matches!(g.kind, FileKind::Harness(_))
            && g.contents.lines().any(|l| l.trim() == line)
    });
    let file = files.next()?;
    if files.next().is_some() {
        return None;
    }
    std::path::Path::new(&file.path)
        .file_stem()
        .and_then(|s| s.to_str())
}

/// The harness module a record's test is in: `counter__step_2` of `abuse::counter__step_2::no_panic`,
/// `demo::abuse_tests::counter__step_2::no_panic` and `abuse::regressions::counter__step_2__no_panic_1a2b3c4d`.
fn record_module(test: &str) -> Option<&str> {
    let mut segments = test.rsplit("::");
    let last = segments.next()?;
    match segments.next()? {
        // `<module>__<property>_<checksum>`.
        "regressions" => last.rsplit_once("__").map(|(module, _)| module),
        module => Some(module),
    }
}

/// Whether a row holds results of records (not only the reason it has none).
pub(super) fn has_records(row: &FnResult) -> bool {
    row.properties
        .iter()
        .any(|p| !(p.outcome == Outcome::NotRun && p.kind.is_none()))
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
pub(super) fn fn_result(
    package: &Package,
    f: &TaggedFn,
    properties: Vec<PropertyResult>,
) -> FnResult {
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

/// Why a function has no result at all.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum NoRecord {
    /// Its harness was skipped: the reason `gen` gave (e.g. the compiler's error).
    Skipped(String),
    /// Its in-crate harness waits for the `mod abuse_tests;` line in this root file.
    NeedsMod(String),
    /// It is compiled only under this `cfg`, which the build did not set.
    Cfg(String),
    /// Nothing known: the harness file (or "its harness") to look at.
    Unknown(String),
}

/// Why `f` has no result at all.
pub(super) fn no_record(f: &TaggedFn, package: &Package, generated: &Generated) -> NoRecord {
    if let Some(skip) = generated
        .skipped
        .iter()
        .find(|s| s.package == package.name && s.function == f.path)
    {
        return NoRecord::Skipped(skip.reason.to_string());
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
        return NoRecord::NeedsMod(root);
    }
    if let Some(cfg) = &f.cfg {
        return NoRecord::Cfg(cfg.clone());
    }
    NoRecord::Unknown(
        file.map(|g| g.path.as_str())
            .unwrap_or("its harness")
            .to_string(),
    )
}

/// Why a function has no result at all, in words the user can act on: its harness was skipped (the reason
/// `gen` gave, e.g. the compiler's error), it waits for the `mod abuse_tests;` line, or it is compiled only
/// under a `cfg` this build does not have; otherwise where to look.
pub(super) fn no_record_reason(f: &TaggedFn, package: &Package, generated: &Generated) -> String {
    match no_record(f, package, generated) {
        NoRecord::Skipped(reason) => reason,
        NoRecord::NeedsMod(root) => format!(
            "add `#[cfg(test)] mod abuse_tests;` to {root}: its harness is compiled into the crate's unit tests"
        ),
        NoRecord::Cfg(cfg) => format!("compiled only with `{cfg}`, which this build does not set"),
        NoRecord::Unknown(file) => {
            format!("no result was recorded for {file}; rerun with -v to see cargo's output")
        }
    }
}

/// Why a property whose generated inputs were (almost) all rejected ran no case: which constructor refused them
/// and how to give it valid ones.
pub(super) fn rejected_reason(
    f: &TaggedFn,
    package: &Package,
    rejected: u64,
    cases: u64,
) -> String {
    let def = f.self_type.as_deref().and_then(|t| {
        package
            .types
            .iter()
            .find(|d| d.name == t || d.path == t || d.path.ends_with(&format!("::{t}")))
    });
    let constructors: Vec<String> = def
        .map(|d| {
            d.constructors
                .iter()
                .map(|c| match (&c.free_fn, &c.factory) {
                    (Some(free), _) => format!("`{}`", free.path),
                    // A method of another type that returns this one (`Encoding::new_encoder` for `Encoder`).
                    (None, Some(factory)) => match &factory.owner {
                        crate::model::Ty::Path { path, .. } => format!("`{path}::{}`", c.name),
                        _ => format!("`{}`", c.name),
                    },
                    (None, None) => format!("`{}::{}`", d.name, c.name),
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
    // A type built only from the `Err` of functions that fail with it (`SmallIndexError` from `SmallIndex::new`):
    // those functions accepted the inputs, so nothing was built.
    if let Some(d) = def.filter(|d| {
        !d.constructors.is_empty()
            && d.constructors
                .iter()
                .all(|c| c.returns == crate::model::CtorReturn::Err)
    }) {
        return format!(
            "a `{}` is built only from the `Err` of {}, which never failed on {} of {} generated inputs: give `strategy(self = ...)`",
            d.name,
            constructors.join(", "),
            thousands(rejected),
            thousands(total)
        );
    }
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
