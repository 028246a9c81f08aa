//! handlebars: turns the model into harness file contents (nothing is written here; see `write.rs`).
//!
//! Per package it produces:
//! - `tests/abuse/main.rs` plus one `tests/abuse/<fn>.rs` per function reachable from outside the crate: one
//!   integration-test target, so the package links one test binary however many functions it tags;
//! - `src/abuse_tests.rs` plus `src/abuse_tests/<fn>.rs` for crate-private functions, compiled into the crate's
//!   own unit-test build once the crate root has `#[cfg(test)] mod abuse_tests;`;
//! - `regressions.rs` beside each `main.rs`, created once and then owned by `cargo abuse run`;
//! - the `fuzz/` crate of its fuzzable public functions (`fuzz_crate.rs`).
//!
//! How each parameter gets a value is decided by `plan`; this module only lays the plans out in templates
//! (`templates.rs`), one harness file each (`harness.rs`), under a header that tells `gen` its own output from
//! a user's edit (`header.rs`). Every file says what it is ([`FileKind`]), so later stages never guess from
//! its path or its text.

pub mod compile_skips;
mod fuzz_crate;
mod harness;
mod header;
mod sequence;
mod sequence_fuzz;
mod templates;

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

use crate::format::format_rust;
use crate::model::{Inventory, Package, SkipReason};
use crate::options::Options;
use crate::plan::{plan_function, PlanReach};

pub use fuzz_crate::{relative_path, RUNTIME_VERSION};
pub use header::{
    checksum, content_checksum, parse_header, same_content, with_commented_header, with_header,
};
pub use templates::render_template;

/// The version written into every header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What `generate` decided: the files a package should have, and the functions it could not serve.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Generated {
    /// Files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Functions with no harness, and why (also recorded as `HarnessState::Unsupported`).
    pub skipped: Vec<Skipped>,
    /// Things the user must do by hand (e.g. the one `mod abuse_tests;` line), one sentence each.
    pub notes: Vec<String>,
    /// The fuzz targets of sequence properties, which serve a type's row rather than one function.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sequence_fuzz: Vec<SequenceFuzz>,
    /// The property-test harnesses of sequence properties, by the row they serve.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sequence_harnesses: Vec<SequenceHarness>,
}

/// The property-test harness of one type's sequence property (its file is named after the type alone,
/// `celsius__sequence.rs`, while its row is the type's path, `shapes::Celsius`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequenceHarness {
    /// Package name.
    pub package: String,
    /// The report's row of the sequence (`Ring`, `shapes::Ring`).
    pub row: String,
    /// The harness's path, as in [`GeneratedFile::path`].
    pub harness: String,
}

/// The libFuzzer target of one type's sequence property.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SequenceFuzz {
    /// Package name.
    pub package: String,
    /// The report's row of the sequence (`Ring`, `shapes::Ring`).
    pub row: String,
    /// The target's path, as in [`GeneratedFile::path`].
    pub fuzz_target: String,
}

impl Generated {
    /// The property-test harness of a function (`net::parse_port`), if it has one.
    pub fn harness_of(&self, function: &str) -> Option<&GeneratedFile> {
        self.files.iter().find(|f| {
            matches!(f.kind, FileKind::Harness(_)) && f.function.as_deref() == Some(function)
        })
    }

    /// The libFuzzer target of a function, if it has one.
    pub fn fuzz_target_of(&self, function: &str) -> Option<&GeneratedFile> {
        self.files
            .iter()
            .find(|f| f.kind == FileKind::FuzzTarget && f.function.as_deref() == Some(function))
    }

    /// The property-test harness of a type's sequence property, by the row `run` reports it in (`Ring`).
    pub fn sequence_harness_of(&self, package: &str, row: &str) -> Option<&GeneratedFile> {
        let s = self
            .sequence_harnesses
            .iter()
            .find(|s| s.package == package && s.row == row)?;
        self.files.iter().find(|f| f.path == s.harness)
    }

    /// The libFuzzer target of a type's sequence property, by the row `run` reports it in (`Ring`).
    pub fn sequence_fuzz_target_of(&self, package: &str, row: &str) -> Option<&GeneratedFile> {
        let s = self
            .sequence_fuzz
            .iter()
            .find(|s| s.package == package && s.row == row)?;
        self.files
            .iter()
            .find(|f| f.kind == FileKind::FuzzTarget && f.path == s.fuzz_target)
    }

    /// The libFuzzer targets of a package, in path order.
    pub fn fuzz_targets<'a>(&'a self, package: &'a str) -> impl Iterator<Item = &'a GeneratedFile> {
        self.files.iter().filter(move |f| {
            f.kind == FileKind::FuzzTarget && f.package.as_deref() == Some(package)
        })
    }

    /// Whether a package's harnesses name the runtime's serde module (a `Deserializer` / `Serializer` parameter),
    /// so its dev-dependency needs the runtime's `serde` feature.
    pub fn needs_runtime_serde(&self, package: &str) -> bool {
        self.files.iter().any(|f| {
            f.kind.is_harness_target()
                && f.package.as_deref() == Some(package)
                && f.contents.contains(crate::plan::RUNTIME_SERDE)
        })
    }

    /// Whether a package has property-test harness files (so it needs the runtime as a dev-dependency).
    pub fn has_harnesses(&self, package: &str) -> bool {
        self.files
            .iter()
            .any(|f| f.kind.is_harness_target() && f.package.as_deref() == Some(package))
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, forward slashes.
    pub path: String,
    /// Full contents, header included.
    pub contents: String,
    /// What the file is.
    pub kind: FileKind,
    /// The function this file serves (`net::parse_port`), for `--fn` and harness states.
    pub function: Option<String>,
    /// The package it belongs to; `None` for the workspace's own files (ClusterFuzzLite).
    pub package: Option<String>,
}

impl GeneratedFile {
    /// How the writer treats the file when it exists on disk.
    pub fn ownership(&self) -> Ownership {
        self.kind.ownership()
    }
}

/// What a generated file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// `tests/abuse/main.rs`: the root of the integration-test target `abuse`.
    HarnessMain,
    /// `src/abuse_tests.rs`: the root of the in-crate harness module.
    InCrateMain,
    /// One function's property tests: `tests/abuse/<fn>.rs` (`Public`) or `src/abuse_tests/<fn>.rs` (`InCrate`).
    Harness(PlanReach),
    /// `regressions.rs` beside a harness root: created once, then owned by `cargo abuse run`.
    Regressions(PlanReach),
    /// `fuzz/Cargo.toml`.
    FuzzManifest,
    /// `fuzz/fuzz_targets/<fn>.rs`.
    FuzzTarget,
    /// `fuzz/dict/<fn>.dict`: the libFuzzer dictionary of a target.
    Dictionary,
    /// `fuzz/seeds/<fn>/seed-NNN`: one input of a target's seed corpus.
    Seed,
    /// `.clusterfuzzlite/*`: the ClusterFuzzLite / OSS-Fuzz build files.
    ClusterFuzzLite,
    /// `tests/abuse/did-not-compile.rs`: the harnesses the compile check replaced by a skip (`compile_skips`).
    CompileSkips,
}

impl FileKind {
    /// How the writer treats an existing file of this kind.
    pub fn ownership(self) -> Ownership {
        match self {
            FileKind::Regressions(_) | FileKind::Seed => Ownership::CreatedOnce,
            _ => Ownership::Generated,
        }
    }

    /// Part of a property-test target: a root, a function's harness or the regression file.
    pub fn is_harness_target(self) -> bool {
        matches!(
            self,
            FileKind::HarnessMain
                | FileKind::InCrateMain
                | FileKind::Harness(_)
                | FileKind::Regressions(_)
        )
    }
}

/// How an existing file on disk is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Ownership {
    /// Owned by `gen`: rewritten when it differs, unless the user edited it (`--force`).
    Generated,
    /// Created once, then owned by someone else (the regression file, the seed corpus): never rewritten.
    CreatedOnce,
}

/// A function without a harness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Package name.
    pub package: String,
    /// Path from the crate root.
    pub function: String,
    /// File and line, `src/lib.rs:12`.
    pub location: String,
    /// Why, and what the user can do.
    pub reason: SkipReason,
}

impl GenSettings {
    /// One package's settings, with the runtime's defaults where nothing is configured.
    pub fn for_package(opts: &Options, package: &str) -> GenSettings {
        let p = opts.packages.get(package).cloned().unwrap_or_default();
        GenSettings {
            templates: p.templates,
            cases: p.cases.unwrap_or(256),
            timeout_ms: p.timeout_ms.unwrap_or(1000),
            max_alloc: p.max_alloc.unwrap_or(64 << 20),
            runtime_path: p.runtime_path,
            workspace_root: opts.workspace_root.clone(),
        }
    }
}

/// Settings generation needs, resolved from flags and `[*.metadata.abuse]`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GenSettings {
    /// A folder whose `*.hbs` files override the built-in templates.
    pub templates: Option<std::path::PathBuf>,
    /// Default cases per property when the attribute sets none.
    pub cases: u32,
    /// Default per-call time limit in milliseconds.
    pub timeout_ms: u64,
    /// Default peak-allocation limit in bytes.
    pub max_alloc: u64,
    /// A local `abuse-runtime` checkout (absolute); `None` names the published version.
    pub runtime_path: Option<std::path::PathBuf>,
    /// The workspace root (absolute), to make paths relative.
    pub workspace_root: std::path::PathBuf,
}

/// Produces every harness file for the inventory's packages, in memory.
pub fn generate(inventory: &Inventory, opts: &Options) -> Result<Generated> {
    let mut generated = Generated::default();
    for package in &inventory.packages {
        let settings = GenSettings::for_package(opts, &package.name);
        let templates = templates::load_templates(settings.templates.as_deref())?;
        generate_package(package, &settings, &templates, &mut generated)?;
    }
    generated.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(generated)
}

fn generate_package(
    package: &Package,
    settings: &GenSettings,
    templates: &Handlebars<'static>,
    out: &mut Generated,
) -> Result<()> {
    let prefix = package_prefix(package);
    let mut public_modules = Vec::new();
    let mut private_modules = Vec::new();
    let mut fuzz_targets = Vec::new();
    let mut used_names = BTreeMap::new();
    let recorded_skips = compile_skips::read(&settings.workspace_root, &prefix);
    let mut applied_skips = Vec::new();

    for function in &package.functions {
        // A tagged `#[test]` is run as it is (`run::own_tests`).
        if crate::plan::is_own_test(function, package) {
            continue;
        }
        let location = format!("{}:{}", function.file, function.line);
        let plan = match plan_function(function, package) {
            Ok(plan) => plan,
            Err(reason) => {
                out.skipped.push(Skipped {
                    package: package.name.clone(),
                    function: function.path.clone(),
                    location,
                    reason,
                });
                continue;
            }
        };
        let module = unique_module_name(&function.path, &mut used_names);
        let (dir, modules) = match plan.reach {
            PlanReach::Public => (format!("{prefix}tests/abuse"), &mut public_modules),
            PlanReach::InCrate => (format!("{prefix}src/abuse_tests"), &mut private_modules),
        };
        let mut body = harness::render_function(templates, function, &plan, settings)
            .with_context(|| format!("rendering the harness of `{}`", function.path))?;
        if package.edition == "2015" && plan.reach == PlanReach::InCrate {
            body = harness::relative_core_paths(&body);
        }
        let contents = with_header(&format_rust(&body)?, Some(function), VERSION);
        let harness = format!("{dir}/{module}.rs");
        let first_file = out.files.len();
        let fuzzed = plan.reach == PlanReach::Public && plan.fuzzable;
        if fuzzed {
            let harness_in_package = harness
                .strip_prefix(&prefix)
                .unwrap_or(&harness)
                .to_string();
            fuzz_crate::push_fuzz_target(
                out,
                templates,
                package,
                function,
                &plan,
                &module,
                &harness_in_package,
            )?;
            fuzz_targets.push(module.clone());
        }
        out.files.push(GeneratedFile {
            path: harness,
            contents,
            kind: FileKind::Harness(plan.reach),
            function: Some(function.path.clone()),
            package: Some(package.name.clone()),
        });
        // A harness the compile check replaced by a skip stays skipped while it would be the same text.
        let key = compile_skips::key(&out.files[first_file..]);
        if let Some(skip) = recorded_skips.iter().find(|s| {
            s.function == function.path && s.fingerprint == function.fingerprint && s.key == key
        }) {
            out.files.truncate(first_file);
            if fuzzed {
                fuzz_targets.pop();
            }
            out.skipped.push(Skipped {
                package: package.name.clone(),
                function: function.path.clone(),
                location,
                reason: SkipReason::DidNotCompile {
                    error: skip.error.clone(),
                },
            });
            applied_skips.push(skip.clone());
            continue;
        }
        modules.push(module);
    }
    for ty in crate::plan::sequence::plan_sequences(package) {
        let Ok(plan) = ty.plan else { continue };
        let module = unique_module_name(&format!("{}::sequence", plan.type_name), &mut used_names);
        let (dir, modules) = match plan.reach {
            PlanReach::Public => (format!("{prefix}tests/abuse"), &mut public_modules),
            PlanReach::InCrate => (format!("{prefix}src/abuse_tests"), &mut private_modules),
        };
        let mut body = sequence::render_sequence(templates, package, &plan, &module, settings)
            .with_context(|| format!("rendering the sequence harness of `{}`", plan.type_name))?;
        if package.edition == "2015" && plan.reach == PlanReach::InCrate {
            body = harness::relative_core_paths(&body);
        }
        let file = GeneratedFile {
            path: format!("{dir}/{module}.rs"),
            contents: with_header(&format_rust(&body)?, None, VERSION),
            kind: FileKind::Harness(plan.reach),
            function: None,
            package: Some(package.name.clone()),
        };
        // A sequence harness the compile check replaced by a skip (recorded under its module's name) stays
        // skipped while it would be the same text; the per-method harnesses still run.
        let key = compile_skips::key([&file]);
        if let Some(skip) = recorded_skips
            .iter()
            .find(|s| s.function == module && s.key == key)
        {
            applied_skips.push(skip.clone());
            continue;
        }
        if sequence_fuzz::fuzzable(&plan) {
            let harness = file
                .path
                .strip_prefix(&prefix)
                .unwrap_or(&file.path)
                .to_string();
            sequence_fuzz::push_sequence_fuzz_target(
                out, templates, package, &plan, &module, &harness,
            )?;
            fuzz_targets.push(module.clone());
        }
        if let Some(row) = sequence_fuzz::row_of(package, &plan) {
            out.sequence_harnesses.push(SequenceHarness {
                package: package.name.clone(),
                row: row.to_string(),
                harness: file.path.clone(),
            });
        }
        out.files.push(file);
        modules.push(module);
    }
    if !applied_skips.is_empty() {
        out.files.push(GeneratedFile {
            path: compile_skips::path(&prefix),
            contents: compile_skips::render(&applied_skips),
            kind: FileKind::CompileSkips,
            function: None,
            package: Some(package.name.clone()),
        });
    }
    if !fuzz_targets.is_empty() {
        fuzz_crate::push_fuzz_manifest(out, templates, package, settings, &fuzz_targets)?;
    }

    if !public_modules.is_empty() {
        push_target(out, templates, PlanReach::Public, package, public_modules)?;
    }
    if !private_modules.is_empty() {
        push_target(out, templates, PlanReach::InCrate, package, private_modules)?;
        if !package.has_abuse_tests_mod {
            out.notes.push(format!(
                "package `{}`: add `#[cfg(test)] mod abuse_tests;` to the crate root once, so the harnesses of its crate-private functions compile into its unit tests",
                package.name
            ));
        }
    }
    Ok(())
}

/// `crates/a/` for a package in `crates/a`, empty for the root package: what its files' paths start with.
fn package_prefix(package: &Package) -> String {
    if package.dir.is_empty() {
        String::new()
    } else {
        format!("{}/", package.dir)
    }
}

/// `main.rs` (or `abuse_tests.rs`) of one harness target, and its regression file.
fn push_target(
    out: &mut Generated,
    templates: &Handlebars<'static>,
    reach: PlanReach,
    package: &Package,
    modules: Vec<String>,
) -> Result<()> {
    let prefix = package_prefix(package);
    // The in-crate module's root is `src/abuse_tests.rs`; the test target's is `tests/abuse/main.rs`.
    let (template, dir, main_kind) = match reach {
        PlanReach::Public => (
            "tests_main.rs.hbs",
            format!("{prefix}tests/abuse"),
            FileKind::HarnessMain,
        ),
        PlanReach::InCrate => (
            "private_main.rs.hbs",
            format!("{prefix}src/abuse_tests"),
            FileKind::InCrateMain,
        ),
    };
    #[derive(Serialize)]
    struct MainData<'a> {
        package: &'a str,
        crate_name: &'a str,
        modules: Vec<String>,
        /// Edition 2015 resolves `use` paths from the crate root: the crates need `extern crate` there.
        edition_2015: bool,
    }
    // Sorted as rustfmt sorts `mod` items, so `cargo fmt` leaves the file as it is.
    let mut modules = modules;
    modules.push("regressions".to_string());
    modules.sort();
    let data = MainData {
        package: &package.name,
        crate_name: package.lib_crate.as_deref().unwrap_or(&package.name),
        modules,
        edition_2015: package.edition == "2015",
    };
    let text = templates
        .render(template, &data)
        .with_context(|| format!("rendering {template}"))?;
    let main_path = match reach {
        PlanReach::Public => format!("{dir}/main.rs"),
        PlanReach::InCrate => format!("{dir}.rs"),
    };
    out.files.push(GeneratedFile {
        path: main_path,
        contents: with_header(&format_rust(&text)?, None, VERSION),
        kind: main_kind,
        function: None,
        package: Some(package.name.clone()),
    });
    let seed = templates
        .render("regressions.rs.hbs", &data)
        .context("rendering regressions.rs.hbs")?;
    out.files.push(GeneratedFile {
        path: format!("{dir}/regressions.rs"),
        contents: seed,
        kind: FileKind::Regressions(reach),
        function: None,
        package: Some(package.name.clone()),
    });
    Ok(())
}

/// A module name for the function's file: its path in snake case, unique within the package.
pub fn unique_module_name(path: &str, used: &mut BTreeMap<String, usize>) -> String {
    let mut base = String::new();
    for (i, segment) in path.split("::").enumerate() {
        if i > 0 {
            base.push_str("__");
        }
        base.push_str(&snake_case(segment));
    }
    if matches!(base.as_str(), "main" | "regressions" | "mod") {
        base.push_str("_fn");
    }
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        base
    } else {
        format!("{base}_{count}")
    }
}

fn snake_case(ident: &str) -> String {
    let ident = ident.trim_start_matches("r#");
    let mut out = String::new();
    for (i, c) in ident.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 && !out.ends_with('_') {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else if c.is_alphanumeric() || c == '_' {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod sequence_row_tests {
    use super::*;
    use crate::model::*;

    /// `shapes::Celsius`, public as `demo::shapes::Celsius`.
    fn shapes_package() -> Package {
        crate::plan::tests::celsius_package("demo::shapes::Celsius")
    }

    #[test]
    fn a_sequence_harness_is_found_by_the_row_of_a_type_in_a_submodule() {
        let settings = GenSettings {
            templates: None,
            cases: 256,
            timeout_ms: 1000,
            max_alloc: 64 << 20,
            runtime_path: None,
            workspace_root: std::env::temp_dir().join("abuse-no-such-workspace"),
        };
        let templates = templates::load_templates(None).expect("built-in templates");
        let mut out = Generated::default();
        generate_package(&shapes_package(), &settings, &templates, &mut out).expect("generated");
        // The file is named after the type; `run` names the row by the type's path.
        let harness = out
            .sequence_harness_of("demo", "shapes::Celsius")
            .expect("the row's sequence harness");
        assert!(
            harness.path.ends_with("tests/abuse/celsius__sequence.rs"),
            "{}",
            harness.path
        );
        assert!(out.sequence_harness_of("demo", "Celsius").is_none());
        assert!(out
            .sequence_harness_of("other", "shapes::Celsius")
            .is_none());
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn rustfmt_layout_is_the_same_content_but_a_token_change_is_not() {
        let ours = with_header("const A: &[&str] = &[\"a\", \"b\"];\n", None, "0.1.0");
        let formatted = ours.replace("&[\"a\", \"b\"]", "&[\n    \"a\",\n    \"b\",\n]");
        assert!(same_content("tests/abuse/x.rs", &ours, &formatted));
        let (sum, body) = parse_header(&formatted).expect("a header");
        assert_eq!(
            content_checksum("//", body),
            sum,
            "reformatting is not an edit"
        );
        let edited = ours.replace("\"b\"", "\"c\"");
        assert!(!same_content("tests/abuse/x.rs", &ours, &edited));
    }

    use super::*;

    #[test]
    fn module_names_are_snake_case_and_unique() {
        let mut used = BTreeMap::new();
        assert_eq!(
            unique_module_name("net::Port::parse", &mut used),
            "net__port__parse"
        );
        assert_eq!(
            unique_module_name("net::port::parse", &mut used),
            "net__port__parse_2"
        );
        assert_eq!(unique_module_name("main", &mut used), "main_fn");
    }

    #[test]
    fn header_checksum_detects_edits() {
        let text = with_header("fn a() {}\n", None, "0.1.0");
        let (sum, body) = parse_header(&text).expect("has a header");
        assert_eq!(sum, content_checksum("//", body));
        let edited = text.replace("fn a", "fn b");
        let (sum, body) = parse_header(&edited).expect("has a header");
        assert_ne!(sum, content_checksum("//", body));
        assert!(parse_header("fn user() {}").is_none());
    }
}
