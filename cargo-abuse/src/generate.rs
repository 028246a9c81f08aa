//! handlebars: turns the model into harness file contents (nothing is written here; see `write.rs`).
//!
//! Per package it produces:
//! - `tests/abuse/main.rs` plus one `tests/abuse/<fn>.rs` per function reachable from outside the crate: one
//!   integration-test target, so the package links one test binary however many functions it tags;
//! - `src/abuse_tests.rs` plus `src/abuse_tests/<fn>.rs` for crate-private functions, compiled into the crate's
//!   own unit-test build once the crate root has `#[cfg(test)] mod abuse_tests;`;
//! - `regressions.rs` beside each `main.rs`, created once and then owned by `cargo abuse run`.
//!
//! How each parameter gets a value is decided by `plan.rs`; this module only lays the plans out in templates.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use handlebars::Handlebars;
use serde::Serialize;

use crate::format::format_rust;
use crate::model::{HarnessState, Inventory, Package, Reach, TaggedFn};
use crate::options::Options;
use crate::plan::{plan_function, FnPlan};

/// The version written into every header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Built-in templates: `(name, text)`; a user folder may override any of them by file name.
const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "cflite_project.yaml.hbs",
        include_str!("../templates/cflite_project.yaml.hbs"),
    ),
    (
        "cflite_Dockerfile.hbs",
        include_str!("../templates/cflite_Dockerfile.hbs"),
    ),
    (
        "cflite_build.sh.hbs",
        include_str!("../templates/cflite_build.sh.hbs"),
    ),
    (
        "function.rs.hbs",
        include_str!("../templates/function.rs.hbs"),
    ),
    (
        "tests_main.rs.hbs",
        include_str!("../templates/tests_main.rs.hbs"),
    ),
    (
        "private_main.rs.hbs",
        include_str!("../templates/private_main.rs.hbs"),
    ),
    (
        "regressions.rs.hbs",
        include_str!("../templates/regressions.rs.hbs"),
    ),
    (
        "fuzz_cargo.toml.hbs",
        include_str!("../templates/fuzz_cargo.toml.hbs"),
    ),
    (
        "fuzz_target.rs.hbs",
        include_str!("../templates/fuzz_target.rs.hbs"),
    ),
];

/// What `generate` decided: the files a package should have, and the functions it could not serve.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Generated {
    /// Files, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// Functions with no harness, and why (also recorded as `HarnessState::Unsupported`).
    pub skipped: Vec<Skipped>,
    /// Things the user must do by hand (e.g. the one `mod abuse_tests;` line), one sentence each.
    pub notes: Vec<String>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GeneratedFile {
    /// Path relative to the workspace root, forward slashes.
    pub path: String,
    /// Full contents, header included.
    pub contents: String,
    /// How the writer treats an existing file.
    pub kind: FileKind,
    /// The function this file serves (`net::parse_port`), for `--fn` and harness states.
    pub function: Option<String>,
}

/// How an existing file on disk is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    /// Owned by `gen`: rewritten when it differs, unless the user edited it (`--force`).
    Generated,
    /// Created once, then owned by someone else (the regression file): never rewritten.
    Seed,
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
    pub reason: String,
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
        let templates = load_templates(settings.templates.as_deref())?;
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
    let prefix = if package.dir.is_empty() {
        String::new()
    } else {
        format!("{}/", package.dir)
    };
    let mut public_modules = Vec::new();
    let mut private_modules = Vec::new();
    let mut fuzz_targets = Vec::new();
    let mut used_names = BTreeMap::new();

    for function in &package.functions {
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
        let body = render_function(templates, function, &plan, settings)
            .with_context(|| format!("rendering the harness of `{}`", function.path))?;
        let contents = with_header(&format_rust(&body)?, Some(function), VERSION);
        let harness = format!("{dir}/{module}.rs");
        if plan.reach == PlanReach::Public && plan.fuzzable {
            let harness_in_package = harness
                .strip_prefix(&prefix)
                .unwrap_or(&harness)
                .to_string();
            push_fuzz_target(
                out,
                templates,
                &prefix,
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
            kind: FileKind::Generated,
            function: Some(function.path.clone()),
        });
        modules.push(module);
    }
    if !fuzz_targets.is_empty() {
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
            targets: &fuzz_targets,
        };
        let text = templates
            .render("fuzz_cargo.toml.hbs", &data)
            .context("rendering fuzz_cargo.toml.hbs")?;
        out.files.push(GeneratedFile {
            path: format!("{prefix}fuzz/Cargo.toml"),
            contents: with_commented_header("#", &text, None, VERSION),
            kind: FileKind::Generated,
            function: None,
        });
    }

    if !public_modules.is_empty() {
        push_target(
            out,
            templates,
            "tests_main.rs.hbs",
            &format!("{prefix}tests/abuse"),
            package,
            public_modules,
        )?;
    }
    if !private_modules.is_empty() {
        push_target(
            out,
            templates,
            "private_main.rs.hbs",
            &format!("{prefix}src/abuse_tests"),
            package,
            private_modules,
        )?;
        if !package.has_abuse_tests_mod {
            out.notes.push(format!(
                "package `{}`: add `#[cfg(test)] mod abuse_tests;` to the crate root once, so the harnesses of its crate-private functions compile into its unit tests",
                package.name
            ));
        }
    }
    Ok(())
}

/// The runtime version a manifest names when no local path is configured.
pub const RUNTIME_VERSION: &str = "0.1";

fn inventory_root(settings: &GenSettings) -> String {
    settings.workspace_root.to_string_lossy().into_owned()
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
fn push_fuzz_target(
    out: &mut Generated,
    templates: &Handlebars<'static>,
    prefix: &str,
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
        tests: Vec<TestData<'a>>,
    }
    let data = TargetData {
        function: &plan.display_path,
        module,
        harness,
        raw_bytes: plan.input_type == "(Vec<u8>,)",
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
    out.files.push(GeneratedFile {
        path: format!("{prefix}fuzz/fuzz_targets/{module}.rs"),
        contents: with_header(&format_rust(&text)?, Some(function), VERSION),
        kind: FileKind::Generated,
        function: Some(function.path.clone()),
    });
    let tokens = crate::dictionary::tokens(&function.literals.strings, &function.literals.ints);
    out.files.push(GeneratedFile {
        path: format!("{prefix}fuzz/dict/{module}.dict"),
        contents: with_commented_header(
            "#",
            &crate::dictionary::render(&tokens),
            Some(function),
            VERSION,
        ),
        kind: FileKind::Generated,
        function: Some(function.path.clone()),
    });
    let own = function.literals.strings.len() + function.literals.ints.len();
    for (i, seed) in crate::dictionary::seeds(&tokens, own)
        .into_iter()
        .enumerate()
    {
        out.files.push(GeneratedFile {
            path: format!("{prefix}fuzz/seeds/{module}/seed-{i:03}"),
            contents: seed,
            kind: FileKind::Seed,
            function: Some(function.path.clone()),
        });
    }
    Ok(())
}

/// Whether a plan's harness lives outside the crate (integration test) or inside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanReach {
    /// `tests/abuse/`.
    Public,
    /// `src/abuse_tests/`.
    InCrate,
}

/// `main.rs` (or `abuse_tests.rs`) of one harness target, and its regression file.
fn push_target(
    out: &mut Generated,
    templates: &Handlebars<'static>,
    template: &str,
    dir: &str,
    package: &Package,
    modules: Vec<String>,
) -> Result<()> {
    #[derive(Serialize)]
    struct MainData<'a> {
        package: &'a str,
        crate_name: &'a str,
        modules: Vec<String>,
    }
    // Sorted as rustfmt sorts `mod` items, so `cargo fmt` leaves the file as it is.
    let mut modules = modules;
    modules.push("regressions".to_string());
    modules.sort();
    let data = MainData {
        package: &package.name,
        crate_name: package.lib_crate.as_deref().unwrap_or(&package.name),
        modules,
    };
    let text = templates
        .render(template, &data)
        .with_context(|| format!("rendering {template}"))?;
    // The in-crate module's root is `src/abuse_tests.rs`; the test target's is `tests/abuse/main.rs`.
    let main_path = if template == "private_main.rs.hbs" {
        format!("{dir}.rs")
    } else {
        format!("{dir}/main.rs")
    };
    out.files.push(GeneratedFile {
        path: main_path,
        contents: with_header(&format_rust(&text)?, None, VERSION),
        kind: FileKind::Generated,
        function: None,
    });
    let seed = templates
        .render("regressions.rs.hbs", &data)
        .context("rendering regressions.rs.hbs")?;
    out.files.push(GeneratedFile {
        path: format!("{dir}/regressions.rs"),
        contents: seed,
        kind: FileKind::Seed,
        function: None,
    });
    Ok(())
}

/// A module name for the function's file: its path in snake case, unique within the package.
fn unique_module_name(path: &str, used: &mut BTreeMap<String, usize>) -> String {
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

fn render_function(
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
        glob_use: Option<&'a str>,
        cfg: Option<&'a str>,
        in_crate: bool,
        input_type: &'a str,
        input_doc: &'a str,
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
        glob_use: plan.glob_use.as_deref(),
        cfg: plan.cfg.as_deref(),
        in_crate: plan.reach == PlanReach::InCrate,
        input_type: &plan.input_type,
        input_doc: &plan.input_doc,
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

/// The `@generated` header: what the file is for, the function's fingerprint, the tool version, and a checksum
/// of the rest of the file so that `gen` can tell a user's edit from its own output.
pub fn with_header(body: &str, function: Option<&TaggedFn>, version: &str) -> String {
    with_commented_header("//", body, function, version)
}

/// [`with_header`] for files whose comments start with `comment` (`#` in TOML and libFuzzer dictionaries).
pub fn with_commented_header(
    comment: &str,
    body: &str,
    function: Option<&TaggedFn>,
    version: &str,
) -> String {
    let mut header = format!(
        "{comment} @generated by cargo-abuse {version}: do not edit, rerun `cargo abuse gen`\n"
    );
    if let Some(function) = function {
        header.push_str(&format!("{comment} function: {}\n", function.path));
        header.push_str(&format!(
            "{comment} fingerprint: {}\n",
            function.fingerprint
        ));
    }
    header.push_str(&format!(
        "{comment} checksum: {}\n\n",
        content_checksum(comment, body)
    ));
    header + body
}

/// The checksum a header records: of the layout-free text for Rust files (so `cargo fmt` reformatting a
/// generated file is not an edit, but a changed token or comment is), of the text for the others.
pub fn content_checksum(comment: &str, body: &str) -> String {
    if comment == "//" {
        checksum(&crate::format::layout_insensitive(body))
    } else {
        checksum(body)
    }
}

/// Whether two versions of a generated file say the same thing: same text, or the same Rust with another
/// layout (one of them reformatted by rustfmt).
pub fn same_content(path: &str, a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if !path.ends_with(".rs") {
        return false;
    }
    match (parse_header(a), parse_header(b)) {
        (Some((_, body_a)), Some((_, body_b))) => {
            crate::format::layout_insensitive(body_a) == crate::format::layout_insensitive(body_b)
                && header_lines(a) == header_lines(b)
        }
        _ => false,
    }
}

/// The header's lines but the checksum (function, fingerprint, version).
fn header_lines(text: &str) -> Vec<&str> {
    text.lines()
        .take_while(|l| l.starts_with("//"))
        .filter(|l| !l.contains(" checksum: "))
        .collect()
}

/// FNV-1a 64 of the text, as hex: detects edits, not attacks.
pub fn checksum(text: &str) -> String {
    format!("{:016x}", abuse_record::fnv1a_64(text.as_bytes()))
}

/// Splits a generated file into (checksum recorded in its header, the body it covers); `None` when the file
/// has no cargo-abuse header (not ours).
pub fn parse_header(contents: &str) -> Option<(&str, &str)> {
    let comment = ["//", "#"]
        .into_iter()
        .find(|c| contents.starts_with(&format!("{c} @generated by cargo-abuse")))?;
    let marker = format!("{comment} checksum: ");
    let start = contents.find(&marker)?;
    let rest = &contents[start + marker.len()..];
    let end = rest.find('\n')?;
    let body = rest[end + 1..]
        .strip_prefix('\n')
        .unwrap_or(&rest[end + 1..]);
    Some((&rest[..end], body))
}

/// `list`'s quick harness states: planning only (no rendering or formatting), then each harness file's header
/// on disk: missing, or current when it names this function's fingerprint and this version, else stale.
/// `gen --check` is the exact comparison (it also sees template and setting changes).
pub fn harness_states_from_headers(inventory: &mut Inventory, root: &Path) {
    for package in &mut inventory.packages {
        let prefix = if package.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", package.dir)
        };
        let mut used_names = BTreeMap::new();
        let states: Vec<HarnessState> = package
            .functions
            .iter()
            .map(|function| match plan_function(function, package) {
                Err(reason) => HarnessState::Unsupported { reason },
                Ok(plan) => {
                    let module = unique_module_name(&function.path, &mut used_names);
                    let dir = match plan.reach {
                        PlanReach::Public => "tests/abuse",
                        PlanReach::InCrate => "src/abuse_tests",
                    };
                    let path = root.join(format!("{prefix}{dir}/{module}.rs"));
                    match std::fs::read_to_string(&path) {
                        Err(_) => HarnessState::Missing,
                        Ok(text) => {
                            let current = text
                                .starts_with(&format!("// @generated by cargo-abuse {VERSION}:"))
                                && text.lines().take(4).any(|l| {
                                    l == format!("// fingerprint: {}", function.fingerprint)
                                });
                            if current {
                                HarnessState::Current
                            } else {
                                HarnessState::Stale
                            }
                        }
                    }
                }
            })
            .collect();
        for (function, state) in package.functions.iter_mut().zip(states) {
            function.harness = state;
        }
    }
}

/// Records each function's harness state by comparing expected files with what is on disk.
pub fn harness_states(
    inventory: &mut Inventory,
    generated: &Generated,
    on_disk: &BTreeMap<String, String>,
) {
    for package in &mut inventory.packages {
        for function in &mut package.functions {
            function.harness = if let Some(skip) = generated
                .skipped
                .iter()
                .find(|s| s.package == package.name && s.function == function.path)
            {
                HarnessState::Unsupported {
                    reason: skip.reason.clone(),
                }
            } else {
                match generated
                    .files
                    .iter()
                    .find(|f| f.function.as_deref() == Some(&function.path))
                {
                    None => HarnessState::Missing,
                    Some(file) => match on_disk.get(&file.path) {
                        None => HarnessState::Missing,
                        Some(existing) if same_content(&file.path, existing, &file.contents) => {
                            HarnessState::Current
                        }
                        Some(_) => HarnessState::Stale,
                    },
                }
            };
        }
    }
}

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

fn load_templates(user_dir: Option<&Path>) -> Result<Handlebars<'static>> {
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

/// Where the plan says the harness goes, from the function's reach.
pub fn reach_of(function: &TaggedFn) -> PlanReach {
    match function.reach {
        Reach::Public { .. } if function.in_lib => PlanReach::Public,
        _ => PlanReach::InCrate,
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
