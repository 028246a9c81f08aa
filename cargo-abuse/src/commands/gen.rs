//! `cargo abuse gen`: writes (or with `--check`, compares) the generated files, then the manifest step (the
//! runtime dev-dependency, and the test target where cargo would not find it).

use std::collections::BTreeMap;

use anyhow::{Context, Result};

use super::{find_function, Exit};
use crate::generate::{self, Generated};
use crate::model::Inventory;
use crate::options::Options;
use crate::write::{self, Change, WriteMode};
use crate::{cflite, check, manifest};

/// `cargo abuse gen`: write (or with `--check`, compare) the harness files and the runtime dev-dependency.
pub fn gen(
    inventory: &Inventory,
    generated: &Generated,
    on_disk: &BTreeMap<String, String>,
    opts: &Options,
) -> Result<Exit> {
    let mode = WriteMode {
        check: opts.check,
        force: opts.force,
    };
    let (mut selected, on_disk) = select(inventory, generated, on_disk, opts)?;
    let mut changes = write::apply(&opts.workspace_root, &selected, &on_disk, mode)?;
    // The harnesses cannot build without the runtime: the manifest step comes before the compile check.
    let mut manifest_todo = false;
    if !opts.check {
        manifest_todo = ensure_runtime_dependency(inventory, &selected, opts)?;
    }
    if !opts.check && !manifest_todo && opts.compile_check {
        if opts.verbosity >= 0 {
            eprintln!("{:>9} the generated targets", "checking");
        }
        let rewrite = || -> Result<Generated> {
            let fresh = generate::generate(inventory, opts)?;
            let existing = write::read_existing(&opts.workspace_root, &fresh)?;
            let (fresh, existing) = select(inventory, &fresh, &existing, opts)?;
            write::apply(&opts.workspace_root, &fresh, &existing, mode)?;
            Ok(fresh)
        };
        let (settled_files, settled) = check::settle(inventory, opts, selected, false, rewrite)?;
        selected = settled_files;
        for problem in &settled.unresolved {
            eprintln!("warning: the generated targets do not compile: {problem}");
        }
        // What changed since before `gen`, whatever the rounds wrote and removed on the way.
        let net = WriteMode {
            check: true,
            force: opts.force,
        };
        changes = write::apply(&opts.workspace_root, &selected, &on_disk, net)?;
    }
    for skip in &selected.skipped {
        eprintln!(
            "warning: {}: `{}` has no harness: {}",
            skip.location, skip.function, skip.reason
        );
    }
    let mut dirty = false;
    let mut seeds = 0;
    for change in &changes {
        let (verb, problem) = match (change.change, opts.check) {
            (Change::Unchanged, _) => continue,
            (Change::Created, false) => ("created", false),
            (Change::Created, true) => ("missing", true),
            (Change::Updated, false) => ("updated", false),
            (Change::Updated, true) => ("stale", true),
            (Change::Removed, false) => ("removed", false),
            (Change::Removed, true) => ("orphaned", true),
            (Change::Overwritten, _) => ("overwritten (edited by hand)", opts.check),
            (Change::KeptEdited, _) => ("kept: edited by hand (use --force to overwrite)", true),
        };
        dirty |= problem;
        // Seed corpus files are many and small: counted, not listed.
        if change.kind == Some(generate::FileKind::Seed) && !problem && opts.verbosity < 1 {
            seeds += 1;
            continue;
        }
        if opts.verbosity >= 0 || problem {
            eprintln!("{verb:>9} {}", change.path);
        }
    }
    if seeds > 0 && opts.verbosity >= 0 {
        eprintln!("{:>9} {seeds} fuzz seed files", "wrote");
    }
    if !opts.check {
        // Exit 1 when the user still has to add the dev-dependency: the harnesses cannot build until then.
        dirty |= manifest_todo;
        for note in &selected.notes {
            eprintln!("    note: {note}");
        }
    }
    if opts.check && dirty {
        eprintln!("error: generated harnesses are missing or out of date: run `cargo abuse gen` and commit the result");
        return Ok(Exit::Failed);
    }
    Ok(if dirty { Exit::Failed } else { Exit::Ok })
}

/// The files `gen` writes: those of `--fn`'s function only when given, plus ClusterFuzzLite's when asked
/// (and then what is on disk for them too).
fn select(
    inventory: &Inventory,
    generated: &Generated,
    on_disk: &BTreeMap<String, String>,
    opts: &Options,
) -> Result<(Generated, BTreeMap<String, String>)> {
    let mut selected = match &opts.fn_path {
        Some(path) => {
            let f = find_function(inventory, path)?;
            let mut only = generated.clone();
            only.files
                .retain(|g| g.function.as_deref().is_none_or(|p| p == f.path));
            only
        }
        None => generated.clone(),
    };
    let mut on_disk = on_disk.clone();
    if opts.clusterfuzzlite {
        let templates = opts.packages.values().find_map(|p| p.templates.clone());
        selected
            .files
            .extend(cflite::files(inventory, &selected, templates.as_deref())?);
        on_disk = write::read_existing(&opts.workspace_root, &selected)?;
    }
    Ok((selected, on_disk))
}

/// Adds `abuse-runtime` as a dev-dependency where harnesses were generated, and the `[[test]]` entry of
/// `tests/abuse/main.rs` where cargo would not find that target by itself (or says which lines to add).
/// Returns whether something is left for the user to do.
fn ensure_runtime_dependency(
    inventory: &Inventory,
    generated: &Generated,
    opts: &Options,
) -> Result<bool> {
    let mut todo = false;
    for package in &inventory.packages {
        if !generated.has_harnesses(&package.name) {
            continue;
        }
        let manifest_path = opts.workspace_root.join(&package.manifest);
        let dep = match opts
            .packages
            .get(&package.name)
            .and_then(|p| p.runtime_path.clone())
        {
            Some(path) => {
                let dir = manifest_path
                    .parent()
                    .expect("a manifest path has a folder");
                manifest::RuntimeDep::Path(generate::relative_path(dir, &path))
            }
            None => manifest::RuntimeDep::Version(generate::RUNTIME_VERSION.into()),
        };
        let original = std::fs::read_to_string(&manifest_path)
            .with_context(|| format!("reading {}", manifest_path.display()))?;
        let mut text = original.clone();
        let mut edits = Vec::new();
        // The runtime's `serde` feature only where a harness feeds a `Deserializer` / `Serializer` parameter.
        let features: &[&str] = if generated.needs_runtime_serde(&package.name) {
            &["serde"]
        } else {
            &[]
        };
        if let Some(updated) = manifest::with_runtime_dev_dependency(&text, &dep, features)? {
            text = updated;
            edits.push((
                format!(
                    "dev-dependency abuse-runtime = {}",
                    dep.toml_value_with(features)
                ),
                format!(
                    "add to {} under [dev-dependencies]: abuse-runtime = {}",
                    package.manifest,
                    dep.toml_value_with(features)
                ),
            ));
        }
        let has_test_root = generated.files.iter().any(|f| {
            f.kind == generate::FileKind::HarnessMain
                && f.package.as_deref() == Some(package.name.as_str())
        });
        if has_test_root {
            if let Some(updated) = manifest::with_abuse_test_target(&text, &package.edition)? {
                text = updated;
                edits.push((
                    format!(
                        "test target `{}` = {}, which cargo does not discover here",
                        manifest::TEST_TARGET.0,
                        manifest::TEST_TARGET.1
                    ),
                    format!(
                        "add to {} (cargo does not discover the test target here):\n{}",
                        package.manifest,
                        manifest::test_target_lines().trim_end()
                    ),
                ));
            }
        }
        if edits.is_empty() {
            continue;
        }
        if opts.edit_manifest {
            std::fs::write(&manifest_path, text)
                .with_context(|| format!("writing {}", manifest_path.display()))?;
            for (done, _) in &edits {
                eprintln!("  updated {} ({done})", package.manifest);
            }
        } else {
            for (_, instruction) in &edits {
                eprintln!("    note: {instruction}");
            }
            todo = true;
        }
    }
    Ok(todo)
}
