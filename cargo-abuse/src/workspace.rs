//! cargo_metadata: the workspace, the selected packages and their lib/bin target roots.
//!
//! Packages are selected the way cargo selects them: `-p NAME` (repeatable), `--workspace` (minus
//! `--exclude`), or by default the package whose manifest is `--manifest-path` / the nearest
//! `Cargo.toml` above the current folder; at the workspace root, the default members (all members of a
//! virtual workspace without `default-members`). Runs `cargo metadata --no-deps` at most once, and not
//! at all while its remembered answer still holds ([`metadata_cache`]).

mod metadata_cache;

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use cargo_metadata::TargetKind;

use crate::cli::CommonArgs;
pub use metadata_cache::Source as MetadataSource;

/// The workspace as the later stages need it: plain data only.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// Absolute workspace root.
    pub root: PathBuf,
    /// The target directory cargo uses (`--target-dir`, `CARGO_TARGET_DIR`, config, or `target/`).
    pub target_dir: PathBuf,
    /// `[workspace.metadata]`, as JSON (`Null` when absent).
    pub metadata: serde_json::Value,
    /// Selected packages, sorted by name.
    pub packages: Vec<PackageSources>,
    /// Whether `cargo metadata` ran or its remembered answer was used.
    pub metadata_source: MetadataSource,
}

/// One selected package and where its crates start.
#[derive(Debug, Clone)]
pub struct PackageSources {
    /// Package name.
    pub name: String,
    /// Absolute manifest path.
    pub manifest_path: PathBuf,
    /// Absolute package folder.
    pub dir: PathBuf,
    /// `[package.metadata]`, as JSON (`Null` when absent).
    pub metadata: serde_json::Value,
    /// The library target first (if any), then binaries sorted by name.
    pub targets: Vec<TargetSource>,
    /// The package's edition as written (`2015`, `2018`, `2021`, `2024`).
    pub edition: String,
    /// The features its default build turns on (`default`, transitively; no `dep:` entries).
    pub default_features: Vec<String>,
    /// `abuse-runtime` of the checkout the package takes `abuse-macros` from by path (the folder beside it),
    /// when that folder holds a manifest: the runtime to use when no `runtime-path` is set.
    pub checkout_runtime: Option<PathBuf>,
    /// The names its code calls its normal dependencies by (`bcrypt`, a rename's alias; `-` as `_`).
    pub dependencies: Vec<String>,
}

impl PackageSources {
    /// The same package with every path moved from under `old_root` to under `new_root` (a copy of the tree
    /// at another revision).
    pub fn rebased(&self, old_root: &Path, new_root: &Path) -> PackageSources {
        let move_path = |p: &Path| new_root.join(p.strip_prefix(old_root).unwrap_or(p));
        PackageSources {
            manifest_path: move_path(&self.manifest_path),
            dir: move_path(&self.dir),
            targets: self
                .targets
                .iter()
                .map(|t| TargetSource {
                    root: move_path(&t.root),
                    ..t.clone()
                })
                .collect(),
            ..self.clone()
        }
    }
}

/// A lib or bin target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetSource {
    /// Crate name (`-` replaced by `_`).
    pub crate_name: String,
    /// Library (reachable from integration tests) or binary.
    pub is_lib: bool,
    /// Absolute path of the crate root file.
    pub root: PathBuf,
}

/// Runs `cargo metadata --no-deps` (or reuses its answer from the cache under `guessed_target_dir`, see
/// [`guess_target_dir`]) and selects packages like cargo does.
pub fn load_packages(args: &CommonArgs, guessed_target_dir: Option<&Path>) -> Result<Workspace> {
    let (meta, metadata_source) =
        metadata_cache::load(args.manifest_path.as_deref(), guessed_target_dir, |meta| {
            target_dir(args, meta)
        })?;
    let root = meta.workspace_root.clone().into_std_path_buf();
    let members: Vec<&cargo_metadata::Package> = meta.workspace_packages();

    let selected: Vec<&cargo_metadata::Package> = if args.workspace {
        for ex in &args.exclude {
            if !members.iter().any(|p| p.name.as_str() == ex) {
                eprintln!("warning: excluded package `{ex}` not found in workspace");
            }
        }
        members
            .iter()
            .copied()
            .filter(|p| !args.exclude.iter().any(|e| e == p.name.as_str()))
            .collect()
    } else if !args.packages.is_empty() {
        let mut out = Vec::new();
        for spec in &args.packages {
            let name = spec.split_once('@').map_or(spec.as_str(), |(n, _)| n);
            match members.iter().find(|p| p.name.as_str() == name) {
                Some(p) => out.push(*p),
                None => bail!(
                    "package `{spec}` not found in workspace `{}`",
                    root.display()
                ),
            }
        }
        out
    } else {
        let current = current_manifest(args.manifest_path.as_deref())?;
        let root_manifest = root.join("Cargo.toml");
        if same_file(&current, &root_manifest) {
            let defaults: Vec<&cargo_metadata::PackageId> =
                meta.workspace_default_members.iter().collect();
            members
                .iter()
                .copied()
                .filter(|p| defaults.contains(&&p.id))
                .collect()
        } else {
            match members
                .iter()
                .find(|p| same_file(p.manifest_path.as_std_path(), &current))
            {
                Some(p) => vec![*p],
                None => bail!(
                    "`{}` is not a member of the workspace at `{}`",
                    current.display(),
                    root.display()
                ),
            }
        }
    };

    let mut packages: Vec<PackageSources> = selected.into_iter().map(package_sources).collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    packages.dedup_by(|a, b| a.name == b.name);
    Ok(Workspace {
        root,
        target_dir: target_dir(args, &meta),
        metadata: meta.workspace_metadata.clone(),
        packages,
        metadata_source,
    })
}

/// `--target-dir` (from the current folder), else cargo's target directory.
fn target_dir(args: &CommonArgs, meta: &cargo_metadata::Metadata) -> PathBuf {
    match (&args.target_dir, std::env::current_dir()) {
        (Some(dir), Ok(cwd)) => cwd.join(dir),
        (Some(dir), Err(_)) => dir.clone(),
        (None, _) => meta.target_directory.clone().into_std_path_buf(),
    }
}

/// The `abuse-runtime` folder beside the `abuse-macros` the package depends on by path (any dependency kind),
/// if it has a manifest.
fn checkout_runtime(p: &cargo_metadata::Package) -> Option<PathBuf> {
    p.dependencies
        .iter()
        .filter(|d| d.name == "abuse-macros")
        .find_map(|d| {
            let runtime = d.path.as_ref()?.parent()?.join("abuse-runtime");
            runtime
                .join("Cargo.toml")
                .is_file()
                .then(|| runtime.into_std_path_buf())
        })
}

fn package_sources(p: &cargo_metadata::Package) -> PackageSources {
    let manifest_path = p.manifest_path.clone().into_std_path_buf();
    let dir = manifest_path
        .parent()
        .expect("a manifest path has a parent folder")
        .to_path_buf();
    let mut targets: Vec<TargetSource> = p
        .targets
        .iter()
        .filter_map(|t| {
            let is_lib = t.kind.iter().any(|k| {
                matches!(
                    k,
                    TargetKind::Lib
                        | TargetKind::RLib
                        | TargetKind::DyLib
                        | TargetKind::CDyLib
                        | TargetKind::StaticLib
                        | TargetKind::ProcMacro
                )
            });
            let is_bin = t.kind.contains(&TargetKind::Bin);
            (is_lib || is_bin).then(|| TargetSource {
                crate_name: t.name.replace('-', "_"),
                is_lib,
                root: t.src_path.clone().into_std_path_buf(),
            })
        })
        .collect();
    targets.sort_by(|a, b| {
        b.is_lib
            .cmp(&a.is_lib)
            .then_with(|| a.crate_name.cmp(&b.crate_name))
    });
    PackageSources {
        name: p.name.to_string(),
        manifest_path,
        dir,
        metadata: p.metadata.clone(),
        targets,
        edition: p.edition.as_str().to_string(),
        default_features: default_features(&p.features),
        checkout_runtime: checkout_runtime(p),
        dependencies: p
            .dependencies
            .iter()
            .filter(|d| d.kind == cargo_metadata::DependencyKind::Normal)
            .map(|d| d.rename.as_deref().unwrap_or(&d.name).replace('-', "_"))
            .collect(),
    }
}

/// `default` and every feature it enables, transitively (`std`, and what `std` enables); dependency
/// features (`dep:x`, `x/y`, `x?/y`) are not the package's own.
fn default_features(features: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<String> {
    let mut on: Vec<String> = Vec::new();
    let mut next = vec!["default".to_string()];
    while let Some(f) = next.pop() {
        if on.contains(&f) || !features.contains_key(&f) {
            continue;
        }
        next.extend(
            features[&f]
                .iter()
                .filter(|e| !e.starts_with("dep:") && !e.contains('/'))
                .cloned(),
        );
        on.push(f);
    }
    on.sort();
    on
}

/// Where the target directory probably is, before `cargo metadata` says: `--target-dir`,
/// `CARGO_TARGET_DIR`, else the nearest `target/` folder holding cargo-abuse's caches above the manifest.
/// Only a guess to find caches before cargo answers; a wrong guess costs nothing (a cache entry applies
/// only when everything it depends on is unchanged).
pub fn guess_target_dir(args: &CommonArgs, has_cache: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    let cwd = std::env::current_dir().ok()?;
    if let Some(dir) = &args.target_dir {
        return Some(cwd.join(dir));
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(cwd.join(dir));
    }
    let start = match &args.manifest_path {
        Some(m) => cwd.join(m).parent()?.to_path_buf(),
        None => cwd,
    };
    start
        .ancestors()
        .map(|d| d.join("target"))
        .find(|t| has_cache(t))
}

/// The manifest cargo would use: `--manifest-path`, or the nearest `Cargo.toml` above the current folder.
fn current_manifest(explicit: Option<&Path>) -> Result<PathBuf> {
    let cwd = std::env::current_dir().context("could not read the current folder")?;
    if let Some(path) = explicit {
        return Ok(cwd.join(path));
    }
    cwd.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
        .with_context(|| {
            format!(
                "could not find `Cargo.toml` in `{}` or any parent folder",
                cwd.display()
            )
        })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}
