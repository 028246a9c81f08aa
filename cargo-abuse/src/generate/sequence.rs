//! One type's sequence harness: its [`SequencePlan`] laid out in `sequence.rs.hbs`, with the record of the
//! type's first tagged method (prompt, owner, fingerprint).

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

use crate::model::Package;
use crate::plan::sequence::SequencePlan;
use crate::plan::PlanReach;

use super::GenSettings;

/// The harness file's text (before formatting and header).
pub(super) fn render_sequence(
    templates: &Handlebars<'static>,
    package: &Package,
    plan: &SequencePlan,
    module: &str,
    settings: &GenSettings,
) -> Result<String> {
    #[derive(Serialize)]
    struct SettingsData {
        cases: u32,
        timeout_ms: u64,
        max_alloc: u64,
    }
    #[derive(Serialize)]
    struct CallData<'a> {
        method: &'a str,
        variant: &'a str,
        field_types: String,
        field_names: String,
        build: &'a str,
        args: &'a str,
        consumes: bool,
        ensures: Option<&'a str>,
        ensures_args: &'a str,
        build_b: &'a str,
        args_b: &'a str,
        build_m: &'a str,
        args_m: &'a str,
        printed: String,
        strategy: &'a str,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        type_path: &'a str,
        type_name: &'a str,
        file: &'a str,
        prompt: &'a str,
        author: &'a str,
        test_owner: &'a str,
        fingerprint: &'a str,
        settings: SettingsData,
        glob_use: Option<&'a str>,
        noop_impls: &'a [String],
        in_crate: bool,
        receiver_raw_ty: &'a str,
        receiver_strategy: &'a str,
        receiver_build: &'a str,
        receiver_print: &'a str,
        invariant: Option<&'a str>,
        model: Option<&'a str>,
        model_build: Option<&'a str>,
        shadow: bool,
        sequence_len: u32,
        calls: Vec<CallData<'a>>,
    }
    let first = package
        .functions
        .iter()
        .find(|f| f.self_type.as_deref() == Some(plan.type_name.as_str()))
        .context("a sequence plan names a type with tagged methods")?;
    let record = &first.record;
    let data = Data {
        type_path: &plan.display_path,
        type_name: &plan.type_name,
        file: &first.file,
        prompt: record.prompt.as_deref().unwrap_or(""),
        author: record.author.as_deref().unwrap_or(""),
        test_owner: record.test_owner.as_deref().unwrap_or(""),
        fingerprint: &first.fingerprint,
        settings: SettingsData {
            cases: record.properties.cases.unwrap_or(settings.cases),
            timeout_ms: record.properties.timeout_ms.unwrap_or(settings.timeout_ms),
            max_alloc: record.properties.max_alloc.unwrap_or(settings.max_alloc),
        },
        glob_use: plan.glob_use.as_deref(),
        noop_impls: &plan.noop_impls,
        in_crate: plan.reach == PlanReach::InCrate,
        receiver_raw_ty: &plan.receiver_raw_ty,
        receiver_strategy: &plan.receiver_strategy,
        receiver_build: &plan.receiver_build,
        receiver_print: &plan.receiver_print,
        invariant: plan.invariant.as_deref(),
        model: plan.model.as_deref(),
        model_build: plan.model_build.as_deref(),
        shadow: plan.shadow,
        sequence_len: plan.len,
        calls: plan
            .calls
            .iter()
            .map(|c| CallData {
                method: &c.method,
                variant: &c.variant,
                field_types: c.field_types.join(", "),
                field_names: c.field_names.join(", "),
                build: &c.build,
                args: &c.args,
                consumes: c.consumes,
                ensures: c.ensures.as_deref(),
                ensures_args: &c.ensures_args,
                build_b: &c.build_b,
                args_b: &c.args_b,
                build_m: &c.build_m,
                args_m: &c.args_m,
                printed: crate::plan::printed_from_sibling(&c.printed, module),
                strategy: &c.strategy,
            })
            .collect(),
    };
    Ok(templates.render("sequence.rs.hbs", &data)?)
}
