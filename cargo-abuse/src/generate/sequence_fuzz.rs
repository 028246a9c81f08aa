//! handlebars: one type's sequence property as a libFuzzer target (`fuzz_sequence.rs.hbs`): the calls are
//! decoded from the fuzz input with `arbitrary` into a mirror of the harness's `Call` enum, then run by the
//! harness's own `sequence_body`, so fuzzing and property tests check the same things; plus its dictionary
//! (the literals of every tagged method of the type).

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

use crate::format::format_rust;
use crate::model::{Package, TaggedFn};
use crate::plan::sequence::SequencePlan;
use crate::plan::PlanReach;

use super::{
    package_prefix, with_commented_header, with_header, FileKind, Generated, GeneratedFile,
    SequenceFuzz, VERSION,
};

/// Whether a type's sequence gets a fuzz target: its harness is an integration test (the fuzz crate sees only
/// the public API) and every raw value implements `arbitrary::Arbitrary`.
pub(super) fn fuzzable(plan: &SequencePlan) -> bool {
    plan.reach == PlanReach::Public && plan.fuzzable
}

/// The report's row of a type's sequence (`Ring`, `shapes::Ring`): the path of its first tagged method that
/// takes `self`, without the method, as `run` names the row.
pub(super) fn row_of<'a>(package: &'a Package, plan: &SequencePlan) -> Option<&'a str> {
    methods(package, &plan.type_path)
        .find(|f| f.signature.receiver.is_some())
        .and_then(|f| f.path.rsplit_once("::"))
        .map(|(row, _)| row)
}

/// The tagged functions of the type (its methods and associated functions, of every `impl` block), by the
/// type's path in its crate.
fn methods<'a>(package: &'a Package, type_path: &str) -> impl Iterator<Item = &'a TaggedFn> {
    let type_path = type_path.to_string();
    package.functions.iter().filter(move |f| {
        f.self_type.is_some()
            && f.path.rsplit_once("::").map(|(parent, _)| parent) == Some(type_path.as_str())
    })
}

/// Pushes `fuzz/fuzz_targets/<module>.rs` and `fuzz/dict/<module>.dict` for the sequence of `plan`, whose
/// harness is `harness` (relative to the package), and records which row it serves.
pub(super) fn push_sequence_fuzz_target(
    out: &mut Generated,
    templates: &Handlebars<'static>,
    package: &Package,
    plan: &SequencePlan,
    module: &str,
    harness: &str,
) -> Result<()> {
    #[derive(Serialize)]
    struct CallData<'a> {
        variant: &'a str,
        field_types: String,
        field_names: String,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        type_path: &'a str,
        module: &'a str,
        harness: &'a str,
        glob_use: Option<&'a str>,
        receiver_raw_ty: &'a str,
        receiver_print: &'a str,
        sequence_len: u32,
        calls: Vec<CallData<'a>>,
    }
    let row = row_of(package, plan)
        .context("a sequence plan names a type with a tagged method taking `self`")?;
    let data = Data {
        type_path: &plan.display_path,
        module,
        harness,
        glob_use: plan.glob_use.as_deref(),
        receiver_raw_ty: &plan.receiver_raw_ty,
        receiver_print: &plan.receiver_print,
        sequence_len: plan.len,
        calls: plan
            .calls
            .iter()
            .map(|c| CallData {
                variant: &c.variant,
                field_types: c.field_types.join(", "),
                field_names: c.field_names.join(", "),
            })
            .collect(),
    };
    let text = templates
        .render("fuzz_sequence.rs.hbs", &data)
        .context("rendering fuzz_sequence.rs.hbs")?;
    let prefix = package_prefix(package);
    let path = format!("{prefix}fuzz/fuzz_targets/{module}.rs");
    let file = |path: String, contents: String, kind: FileKind| GeneratedFile {
        path,
        contents,
        kind,
        function: None,
        package: Some(package.name.clone()),
    };
    out.files.push(file(
        path.clone(),
        with_header(&format_rust(&text)?, None, VERSION),
        FileKind::FuzzTarget,
    ));
    // The literals of every method the sequence calls: each may compare its argument against its own.
    let (mut strings, mut ints, mut bytes, mut words) = (vec![], vec![], vec![], vec![]);
    for f in methods(package, &plan.type_path) {
        strings.extend(f.literals.strings.iter().cloned());
        ints.extend(f.literals.ints.iter().copied());
        bytes.extend(f.literals.bytes.iter().cloned());
        words.extend(f.literals.words.iter().cloned());
    }
    let dictionary = crate::dictionary::with_compositions(
        crate::dictionary::tokens(&strings, &ints),
        &bytes,
        &words,
    );
    out.files.push(file(
        format!("{prefix}fuzz/dict/{module}.dict"),
        with_commented_header("#", &crate::dictionary::render(&dictionary), None, VERSION),
        FileKind::Dictionary,
    ));
    out.sequence_fuzz.push(SequenceFuzz {
        package: package.name.clone(),
        row: row.to_string(),
        fuzz_target: path,
    });
    Ok(())
}
