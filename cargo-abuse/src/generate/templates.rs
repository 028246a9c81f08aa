//! handlebars: the built-in templates (a user folder may override any of them by file name), strict mode, no
//! HTML escaping (we emit Rust), and the `{{lit x}}` helper.

use std::path::Path;

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

/// Built-in templates: `(name, text)`; a user folder may override any of them by file name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "cflite_project.yaml.hbs",
        include_str!("../../templates/cflite_project.yaml.hbs"),
    ),
    (
        "cflite_Dockerfile.hbs",
        include_str!("../../templates/cflite_Dockerfile.hbs"),
    ),
    (
        "cflite_build.sh.hbs",
        include_str!("../../templates/cflite_build.sh.hbs"),
    ),
    (
        "function.rs.hbs",
        include_str!("../../templates/function.rs.hbs"),
    ),
    (
        "tests_main.rs.hbs",
        include_str!("../../templates/tests_main.rs.hbs"),
    ),
    (
        "private_main.rs.hbs",
        include_str!("../../templates/private_main.rs.hbs"),
    ),
    (
        "regressions.rs.hbs",
        include_str!("../../templates/regressions.rs.hbs"),
    ),
    (
        "fuzz_cargo.toml.hbs",
        include_str!("../../templates/fuzz_cargo.toml.hbs"),
    ),
    (
        "fuzz_target.rs.hbs",
        include_str!("../../templates/fuzz_target.rs.hbs"),
    ),
    (
        "sequence.rs.hbs",
        include_str!("../../templates/sequence.rs.hbs"),
    ),
    (
        "fuzz_sequence.rs.hbs",
        include_str!("../../templates/fuzz_sequence.rs.hbs"),
    ),
];

/// Renders one template (built in, or the user's override) with `data`: for files outside the per-function
/// harnesses, such as the ClusterFuzzLite set.
pub fn render_template(
    user_dir: Option<&Path>,
    name: &str,
    data: &impl Serialize,
) -> Result<String> {
    let templates = load_templates(user_dir)?;
    templates
        .render(name, data)
        .with_context(|| format!("rendering {name}"))
}

pub(super) fn load_templates(user_dir: Option<&Path>) -> Result<Handlebars<'static>> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_helper("lit", Box::new(rust_string_literal));
    for (name, text) in BUILTIN_TEMPLATES {
        let text = match user_dir.map(|d| d.join(name)).filter(|p| p.is_file()) {
            Some(path) => std::fs::read_to_string(&path)
                .with_context(|| format!("reading template {}", path.display()))?,
            None => (*text).to_string(),
        };
        hb.register_template_string(name, text)
            .with_context(|| format!("parsing template {name}"))?;
    }
    Ok(hb)
}

/// `{{lit x}}`: the value as a Rust string literal.
fn rust_string_literal(
    h: &handlebars::Helper,
    _: &Handlebars,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let value = h.param(0).map(|p| p.value().clone()).unwrap_or_default();
    let text = match value {
        serde_json::Value::String(s) => s,
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    out.write(&format!("{text:?}"))?;
    Ok(())
}
