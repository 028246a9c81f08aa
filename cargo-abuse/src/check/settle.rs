//! (no external crate of its own) The compile check after writing: checks each package's generated targets,
//! maps every error to the generated file its span is in and so to the function that file serves, records that
//! function in the package's skip file (`generate::compile_skips`), regenerates and rewrites, and repeats until
//! the targets check clean (at most [`MAX_ROUNDS`]). One bad harness never keeps the others from building.
//!
//! Entry: [`settle`]; `gen` calls it after writing, `run` when a harness target does not build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{check, CheckTarget, CompileError};
use crate::generate::compile_skips::{self, CompileSkip};
use crate::generate::{FileKind, Generated, GeneratedFile};
use crate::model::{Inventory, Package};
use crate::options::Options;
use crate::plan::PlanReach;

/// Rounds of check → skip → rewrite before giving up (each round skips at least one function).
pub const MAX_ROUNDS: usize = 6;

/// What the check left: functions replaced by a skip this time, and errors it could not pin on a function.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settled {
    /// `(package, function, error)` of each harness replaced by a skip.
    pub skipped: Vec<(String, String, String)>,
    /// Errors outside any function's files (the crate itself, `main.rs`, a missing target), one line each.
    pub unresolved: Vec<String>,
}

/// Checks the targets of `generated` on disk; for every function whose files do not compile, records a skip and
/// calls `rewrite` (which regenerates and writes, returning the new files); repeats until clean.
/// `build`: build the property tests (`cargo test --no-run`) instead of checking every target (see
/// [`CheckTarget::build`]); the fuzz crate, which `run` builds apart, is left out then.
pub fn settle(
    inventory: &Inventory,
    opts: &Options,
    generated: Generated,
    build: bool,
    mut rewrite: impl FnMut() -> Result<Generated>,
) -> Result<(Generated, Settled)> {
    let mut generated = generated;
    let mut settled = Settled::default();
    for _ in 0..MAX_ROUNDS {
        let mut new_skips: BTreeMap<String, Vec<CompileSkip>> = BTreeMap::new();
        settled.unresolved.clear();
        for package in &inventory.packages {
            let targets = check_targets(package, &generated, opts)
                .into_iter()
                .filter(|t| !build || t.test_profile)
                .map(|t| CheckTarget { build, ..t });
            for target in targets {
                let outcome = check(&target)?;
                if outcome.success {
                    continue;
                }
                let before = new_skips.get(&package.dir).map_or(0, Vec::len);
                for error in &outcome.errors {
                    match skip_for(error, package, &generated, opts) {
                        Some(skip) => {
                            let list = new_skips.entry(package.dir.clone()).or_default();
                            // By function and key: two methods of one path (`Either::cloned` of
                            // `impl Either<&L, &R>` and of `impl Either<&mut L, &mut R>`) are two harnesses.
                            if !list
                                .iter()
                                .any(|s| s.function == skip.function && s.key == skip.key)
                            {
                                settled.skipped.push((
                                    package.name.clone(),
                                    skip.function.clone(),
                                    skip.error.clone(),
                                ));
                                list.push(skip);
                            }
                        }
                        None => settled.unresolved.push(format!(
                            "package `{}`: {}{}",
                            package.name,
                            error.headline,
                            error
                                .places
                                .first()
                                .map(|(f, l)| format!(" ({}:{l})", f.display()))
                                .unwrap_or_default()
                        )),
                    }
                }
                if outcome.errors.is_empty()
                    && before == new_skips.get(&package.dir).map_or(0, Vec::len)
                {
                    let last = outcome
                        .stderr
                        .lines()
                        .rfind(|l| l.starts_with("error"))
                        .unwrap_or("cargo check failed");
                    settled.unresolved.push(format!(
                        "package `{}`: `cargo check` of {} failed: {last}",
                        package.name,
                        target.manifest.display()
                    ));
                }
            }
        }
        if new_skips.is_empty() {
            return Ok((generated, settled));
        }
        for package in &inventory.packages {
            let Some(skips) = new_skips.remove(&package.dir) else {
                continue;
            };
            let prefix = prefix(package);
            let mut all = compile_skips::read(&opts.workspace_root, &prefix);
            all.extend(skips);
            let path = opts.workspace_root.join(compile_skips::path(&prefix));
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, compile_skips::render(&all))?;
        }
        generated = rewrite()?;
    }
    settled.unresolved.push(format!(
        "the generated targets still do not compile after {MAX_ROUNDS} rounds of skipping harnesses"
    ));
    Ok((generated, settled))
}

fn prefix(package: &Package) -> String {
    if package.dir.is_empty() {
        String::new()
    } else {
        format!("{}/", package.dir)
    }
}

/// The cargo invocations that check a package's generated targets: the property tests (the `abuse` test target
/// and, once the crate root has its `mod abuse_tests;`, the lib's unit tests) and the fuzz crate.
pub fn check_targets(package: &Package, generated: &Generated, opts: &Options) -> Vec<CheckTarget> {
    let files: Vec<&GeneratedFile> = generated
        .files
        .iter()
        .filter(|f| f.package.as_deref() == Some(package.name.as_str()))
        .collect();
    let manifest = opts.workspace_root.join(&package.manifest);
    let package_dir = manifest
        .parent()
        .map_or_else(|| opts.workspace_root.clone(), Path::to_path_buf);
    let mut out = Vec::new();
    let mut targets = Vec::new();
    if files
        .iter()
        .any(|f| f.kind == FileKind::Harness(PlanReach::Public))
    {
        targets.extend(["--test".to_string(), "abuse".to_string()]);
    }
    if package.has_abuse_tests_mod
        && files
            .iter()
            .any(|f| f.kind == FileKind::Harness(PlanReach::InCrate))
    {
        targets.push("--lib".into());
    }
    if !targets.is_empty() {
        out.push(CheckTarget {
            manifest: manifest.clone(),
            root: opts.workspace_root.clone(),
            targets,
            features: opts.cargo_features.cargo_args(&Default::default()),
            test_profile: true,
            target_dir: Some(opts.target_dir.clone()),
            toolchain: Default::default(),
            build: false,
        });
    }
    if files.iter().any(|f| f.kind == FileKind::FuzzManifest) {
        let fuzz = package_dir.join("fuzz");
        out.push(CheckTarget {
            manifest: fuzz.join("Cargo.toml"),
            root: fuzz,
            targets: vec!["--bins".into()],
            features: Vec::new(),
            test_profile: false,
            target_dir: Some(opts.target_dir.join("abuse").join("check-fuzz")),
            toolchain: Default::default(),
            build: false,
        });
    }
    out
}

/// The skip of the function whose generated file `error` is in, if it is in one.
pub fn skip_for(
    error: &CompileError,
    package: &Package,
    generated: &Generated,
    opts: &Options,
) -> Option<CompileSkip> {
    skip_under(error, package, generated, &opts.workspace_root)
}

/// [`skip_for`] with the workspace root `root`.
fn skip_under(
    error: &CompileError,
    package: &Package,
    generated: &Generated,
    root: &Path,
) -> Option<CompileSkip> {
    let root = canonical(root);
    let (file, line) = error.places.iter().find_map(|(place, line)| {
        let place = canonical(place);
        generated
            .files
            .iter()
            .filter(|f| f.package.as_deref() == Some(package.name.as_str()))
            .filter(|f| f.function.is_some() || is_sequence(f))
            .find(|f| root.join(&f.path) == place)
            .map(|f| (f, *line))
    })?;
    let in_package = file
        .path
        .strip_prefix(&prefix(package))
        .unwrap_or(&file.path);
    let Some(function) = file.function.as_deref() else {
        // A sequence harness serves a type: it is skipped under its module's name, the other harnesses run.
        let module = Path::new(&file.path).file_stem()?.to_str()?.to_string();
        return Some(CompileSkip {
            function: module,
            fingerprint: "sequence".to_string(),
            key: compile_skips::key([file]),
            error: format!("{} ({in_package}:{line})", error.headline),
        });
    };
    let tagged = package.functions.iter().find(|f| f.path == function)?;
    Some(CompileSkip {
        function: function.to_string(),
        fingerprint: tagged.fingerprint.clone(),
        // The files of this one harness (all named by its module): two methods of one path have two.
        key: compile_skips::key(generated.files.iter().filter(|f| {
            f.package.as_deref() == Some(package.name.as_str())
                && f.function.as_deref() == Some(function)
                && of_module(&f.path, &file.path)
        })),
        error: format!("{} ({in_package}:{line})", error.headline),
    })
}

/// Whether the generated file at `path` belongs to the harness whose file is `harness`: named by its module
/// (`tests/abuse/m.rs`, `fuzz/fuzz_targets/m.rs`, `fuzz/dict/m.dict`) or in its folder (`fuzz/seeds/m/0`).
fn of_module(path: &str, harness: &str) -> bool {
    let module = Path::new(harness).file_stem();
    let path = Path::new(path);
    path.file_stem() == module || path.parent().and_then(Path::file_name) == module
}

/// A type's sequence harness: a property-test harness that serves no single function.
fn is_sequence(file: &GeneratedFile) -> bool {
    file.function.is_none() && matches!(file.kind, FileKind::Harness(_))
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_in_a_sequence_harness_skips_that_sequence_under_its_module_name() {
        let file = |path: &str, function: Option<&str>| GeneratedFile {
            path: path.into(),
            contents: format!("// {path}"),
            kind: FileKind::Harness(PlanReach::Public),
            function: function.map(str::to_string),
            package: Some("demo".into()),
        };
        let generated = Generated {
            files: vec![
                file("tests/abuse/builder__sequence.rs", None),
                file("tests/abuse/net__parse.rs", Some("net::parse")),
            ],
            ..Generated::default()
        };
        let package = Package {
            name: "demo".into(),
            ..Package::default()
        };
        let root = Path::new("/nonexistent/ws");
        let error = CompileError {
            places: vec![(root.join("tests/abuse/builder__sequence.rs"), 47)],
            headline: "error[E0428]: the name `Prefilter` is defined multiple times".into(),
        };
        let skip = skip_under(&error, &package, &generated, root).expect("a skip");
        assert_eq!(skip.function, "builder__sequence");
        assert_eq!(skip.key, compile_skips::key([&generated.files[0]]));
        assert_eq!(
            skip.error,
            "error[E0428]: the name `Prefilter` is defined multiple times (tests/abuse/builder__sequence.rs:47)"
        );
        // Two methods of one path (two `impl` blocks): each harness has its own key.
        let mut generated = generated;
        generated
            .files
            .push(file("tests/abuse/net__parse_2.rs", Some("net::parse")));
        generated
            .files
            .push(file("fuzz/seeds/net__parse_2/0", Some("net::parse")));
        let in_second = CompileError {
            places: vec![(root.join("tests/abuse/net__parse_2.rs"), 3)],
            headline: "error[E0599]: no method named `cloned`".into(),
        };
        let package = Package {
            functions: vec![crate::plan::tests::tagged("net::parse", vec![], None)],
            ..package
        };
        let skip = skip_under(&in_second, &package, &generated, root).expect("a skip");
        assert_eq!(
            (skip.function.as_str(), skip.key),
            (
                "net::parse",
                compile_skips::key([&generated.files[2], &generated.files[3]])
            )
        );
        // An error outside every generated file is no harness's.
        let elsewhere = CompileError {
            places: vec![(root.join("src/tests.rs"), 667)],
            headline: "error[E0282]: type annotations needed".into(),
        };
        assert_eq!(skip_under(&elsewhere, &package, &generated, root), None);
    }

    #[test]
    fn run_checks_the_harnesses_with_the_features_it_builds_them_with() {
        let root = Path::new("/nonexistent/ws");
        let generated = Generated {
            files: vec![GeneratedFile {
                path: "tests/abuse/net__parse.rs".into(),
                contents: String::new(),
                kind: FileKind::Harness(PlanReach::Public),
                function: Some("net::parse".into()),
                package: Some("demo".into()),
            }],
            ..Generated::default()
        };
        let package = Package {
            name: "demo".into(),
            manifest: "Cargo.toml".into(),
            ..Package::default()
        };
        let mut opts = crate::discover::tests::test_options(root);
        assert_eq!(
            check_targets(&package, &generated, &opts)[0].features,
            Vec::<String>::new()
        );
        opts.cargo_features.features = vec!["serde".into()];
        opts.cargo_features.no_default_features = true;
        let targets = check_targets(&package, &generated, &opts);
        assert_eq!(targets[0].targets, ["--test", "abuse"]);
        assert_eq!(
            targets[0].features,
            ["--no-default-features", "--features", "serde"]
        );
    }
}
