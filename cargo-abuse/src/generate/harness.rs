//! One function's harness file: its plan laid out in `function.rs.hbs` with the attribute's record (prompt,
//! owner, settings) and the literals that hint the attacks.

use anyhow::Result;
use handlebars::Handlebars;
use serde::Serialize;

use crate::model::TaggedFn;
use crate::plan::{FnPlan, PlanReach};

use super::GenSettings;

pub(super) fn render_function(
    templates: &Handlebars<'static>,
    function: &TaggedFn,
    plan: &FnPlan,
    settings: &GenSettings,
) -> Result<String> {
    #[derive(Serialize)]
    struct SettingsData {
        cases: u32,
        timeout_ms: u64,
        max_alloc: u64,
        may_panic: bool,
    }
    #[derive(Serialize)]
    struct TestData<'a> {
        name: &'a str,
        property: &'a str,
        body: &'a str,
    }
    #[derive(Serialize)]
    struct FunctionData<'a> {
        function: &'a str,
        name: &'a str,
        file: &'a str,
        line: u32,
        prompt: &'a str,
        author: &'a str,
        test_owner: &'a str,
        fingerprint: &'a str,
        settings: SettingsData,
        strings: &'a [String],
        ints: &'a [i128],
        bytes: Vec<String>,
        examples: Vec<String>,
        words: &'a [String],
        floats: Vec<String>,
        glob_use: Option<&'a str>,
        cfg: Option<&'a str>,
        in_crate: bool,
        input_type: &'a str,
        input_doc: &'a str,
        noop_impls: &'a [String],
        strategy: &'a str,
        doc_lines: Vec<String>,
        tests: Vec<TestData<'a>>,
    }
    let record = &function.record;
    let props = &record.properties;
    let prompt = record.prompt.as_deref().unwrap_or("");
    let test_owner = record.test_owner.as_deref().unwrap_or("");
    let mut doc_lines = Vec::new();
    if !prompt.is_empty() {
        let mut lines = prompt.lines();
        if let Some(first) = lines.next() {
            doc_lines.push(format!("Prompt: {first}"));
        }
        doc_lines.extend(lines.map(|l| format!("        {l}")));
    }
    doc_lines.push(format!(
        "Test owner: {}",
        if test_owner.is_empty() {
            "(none)"
        } else {
            test_owner
        }
    ));
    // The function's own literals, then the doc examples of the constructors its inputs are built with.
    let mut strings = function.literals.strings.clone();
    for e in &plan.examples {
        if !strings.contains(e) {
            strings.push(e.clone());
        }
    }
    // Valid inputs: the function's own doc examples, then its constructors'.
    let mut examples = function.literals.examples.clone();
    for e in &plan.examples {
        if !examples.contains(e) {
            examples.push(e.clone());
        }
    }
    let data = FunctionData {
        function: &plan.display_path,
        name: &function.name,
        file: &function.file,
        line: function.line,
        prompt,
        author: record.author.as_deref().unwrap_or(""),
        test_owner,
        fingerprint: &function.fingerprint,
        settings: SettingsData {
            cases: props.cases.unwrap_or(settings.cases),
            timeout_ms: props.timeout_ms.unwrap_or(settings.timeout_ms),
            max_alloc: props.max_alloc.unwrap_or(settings.max_alloc),
            may_panic: props.may_panic,
        },
        strings: &strings,
        ints: &function.literals.ints,
        bytes: function
            .literals
            .bytes
            .iter()
            .map(|b| byte_string(b))
            .collect(),
        examples,
        words: &function.literals.words,
        floats: function
            .literals
            .floats
            .iter()
            .map(|f| format!("{f:?}"))
            .collect(),
        glob_use: plan.glob_use.as_deref(),
        cfg: plan.cfg.as_deref(),
        in_crate: plan.reach == PlanReach::InCrate,
        input_type: &plan.input_type,
        input_doc: &plan.input_doc,
        noop_impls: &plan.noop_impls,
        strategy: &plan.strategy,
        doc_lines,
        tests: plan
            .tests
            .iter()
            .map(|t| TestData {
                name: &t.name,
                property: &t.property,
                body: &t.body,
            })
            .collect(),
    };
    Ok(templates.render("function.rs.hbs", &data)?)
}

/// Edition 2015 resolves `::core::...` from the crate root, which in a user's crate has no `core` (the test
/// target's root declares `extern crate core;`): inside the crate, the harness names `core::...`, which finds
/// it in the extern prelude.
pub(super) fn relative_core_paths(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("::core::") {
        let before = rest[..at].chars().next_back();
        let starts_path = !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        out.push_str(&rest[..at]);
        out.push_str(if starts_path { "core::" } else { "::core::" });
        rest = &rest[at + "::core::".len()..];
    }
    out.push_str(rest);
    out
}

/// A byte-string literal of Rust source for `bytes` (`b"\x89PNG"`).
fn byte_string(bytes: &[u8]) -> String {
    format!("b\"{}\"", bytes.escape_ascii())
}

#[cfg(test)]
mod tests {
    use super::relative_core_paths;

    #[test]
    fn only_paths_starting_with_core_lose_the_leading_colons() {
        assert_eq!(
            relative_core_paths(
                "-> ::core::result::Result<(), x::core::Y> { ::core::clone::Clone::clone(&a) }"
            ),
            "-> core::result::Result<(), x::core::Y> { core::clone::Clone::clone(&a) }"
        );
    }

    #[test]
    fn byte_strings_are_rust_literals() {
        assert_eq!(
            super::byte_string(b"\x89PNG\"\\'\n"),
            r#"b"\x89PNG\"\\\'\n""#
        );
    }
}
