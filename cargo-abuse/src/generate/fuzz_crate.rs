//! The cargo-fuzz crate of a package (`fuzz/`): its manifest, one libFuzzer target per fuzzable public function,
//! each with its dictionary and seed corpus.

use std::path::Path;

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

use crate::format::format_rust;
use crate::model::{Package, TaggedFn};
use crate::plan::FnPlan;

use super::{
    package_prefix, with_commented_header, with_header, FileKind, GenSettings, Generated,
    GeneratedFile, VERSION,
};

/// The runtime version a manifest names when no local path is configured.
pub const RUNTIME_VERSION: &str = "0.1";

fn inventory_root(settings: &GenSettings) -> String {
    settings.workspace_root.to_string_lossy().into_owned()
}

/// `fuzz/Cargo.toml`: the package's fuzz crate, one `[[bin]]` per target, the runtime by path or by version.
pub(super) fn push_fuzz_manifest(
    out: &mut Generated,
    templates: &Handlebars<'static>,
    package: &Package,
    settings: &GenSettings,
    targets: &[String],
) -> Result<()> {
    let runtime = match &settings.runtime_path {
        Some(path) => {
            let fuzz_dir = Path::new(&inventory_root(settings))
                .join(&package.dir)
                .join("fuzz");
            crate::manifest::RuntimeDep::Path(relative_path(&fuzz_dir, path))
        }
        None => crate::manifest::RuntimeDep::Version(RUNTIME_VERSION.into()),
    };
    #[derive(Serialize)]
    struct FuzzCrate<'a> {
        package: &'a str,
        runtime: String,
        targets: &'a [String],
    }
    let data = FuzzCrate {
        package: &package.name,
        runtime: runtime.toml_value(),
        targets,
    };
    let text = templates
        .render("fuzz_cargo.toml.hbs", &data)
        .context("rendering fuzz_cargo.toml.hbs")?;
    out.files.push(GeneratedFile {
        path: format!("{}fuzz/Cargo.toml", package_prefix(package)),
        contents: with_commented_header("#", &text, None, VERSION),
        kind: FileKind::FuzzManifest,
        function: None,
        package: Some(package.name.clone()),
    });
    Ok(())
}

/// `to` relative to the folder `from` (both absolute), with forward slashes.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> =
        std::iter::repeat_n("..".to_string(), from.len() - common).collect();
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

/// The libFuzzer target of one function, its dictionary and its seed corpus.
pub(super) fn push_fuzz_target(
    out: &mut Generated,
    templates: &Handlebars<'static>,
    package: &Package,
    function: &TaggedFn,
    plan: &FnPlan,
    module: &str,
    harness: &str,
) -> Result<()> {
    #[derive(Serialize)]
    struct TestData<'a> {
        name: &'a str,
        property: &'a str,
    }
    #[derive(Serialize)]
    struct TargetData<'a> {
        function: &'a str,
        module: &'a str,
        harness: &'a str,
        raw_bytes: bool,
        /// One `String` input: its UTF-8 bytes are what the target decodes, so seeds can be written.
        single_string: bool,
        tests: Vec<TestData<'a>>,
    }
    let data = TargetData {
        function: &plan.display_path,
        module,
        harness,
        raw_bytes: plan.input_type == "(Vec<u8>,)",
        single_string: plan.input_type == "(String,)",
        tests: plan
            .tests
            .iter()
            .map(|t| TestData {
                name: &t.name,
                property: &t.property,
            })
            .collect(),
    };
    let text = templates
        .render("fuzz_target.rs.hbs", &data)
        .context("rendering fuzz_target.rs.hbs")?;
    let prefix = package_prefix(package);
    let file = |path: String, contents: String, kind: FileKind| GeneratedFile {
        path,
        contents,
        kind,
        function: Some(function.path.clone()),
        package: Some(package.name.clone()),
    };
    out.files.push(file(
        format!("{prefix}fuzz/fuzz_targets/{module}.rs"),
        with_header(&format_rust(&text)?, Some(function), VERSION),
        FileKind::FuzzTarget,
    ));
    let tokens = crate::dictionary::tokens(&function.literals.strings, &function.literals.ints);
    let dictionary = crate::dictionary::with_compositions(
        tokens.clone(),
        &function.literals.bytes,
        &function.literals.words,
    );
    out.files.push(file(
        format!("{prefix}fuzz/dict/{module}.dict"),
        with_commented_header(
            "#",
            &crate::dictionary::render(&dictionary),
            Some(function),
            VERSION,
        ),
        FileKind::Dictionary,
    ));
    let own = function.literals.strings.len() + function.literals.ints.len();
    for (i, seed) in crate::dictionary::seeds(&tokens, own)
        .into_iter()
        .enumerate()
    {
        out.files.push(file(
            format!("{prefix}fuzz/seeds/{module}/seed-{i:03}"),
            seed,
            FileKind::Seed,
        ));
    }
    Ok(())
}
