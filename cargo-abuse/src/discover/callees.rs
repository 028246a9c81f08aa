//! Callees (`cargo metadata`, then the usage scan of [`super::usage`]): a function that hands its input to
//! a dependency's function (`bcrypt::verify(password, hash)`) gets, as valid inputs, the string literals the
//! dependency's own tests, examples and doc tests pass to that function. A thin wrapper over a parser has no
//! examples of its own, but the parser's tests are full of them, and a valid input with one part broken
//! reaches the checks past its format's gates.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cache::{unchanged, Stamp};
use crate::model::{Package, TaggedFn};
use crate::workspace::PackageSources;

/// At most this many valid inputs taken from dependencies per function.
const MAX_FROM_DEPENDENCIES: usize = 16;

/// Adds to the tagged functions of `pkgs` the strings their dependencies' code passes to the dependency
/// functions they call. Asks `cargo metadata` where the dependencies are only when some function calls
/// one, and remembers the answer in `cache_dir` while the manifest and lock file stay the same.
pub(super) fn add_callee_examples(
    pkgs: &mut [Package],
    sources: &[PackageSources],
    cache_dir: &Path,
) {
    for (pkg, src) in pkgs.iter_mut().zip(sources) {
        let wanted: Vec<Vec<Callee>> = pkg
            .functions
            .iter()
            .map(|f| dependency_callees(f, &src.dependencies))
            .collect();
        if wanted.iter().all(Vec::is_empty) {
            continue;
        }
        let dirs = dependency_dirs(&src.manifest_path, cache_dir);
        for (f, callees) in pkg.functions.iter_mut().zip(wanted) {
            let mut added = 0;
            for callee in callees {
                let Some(dir) = dirs.get(&callee.dependency) else {
                    continue;
                };
                for value in
                    super::usage::values_passed(dir, cache_dir, &callee.owner, &callee.name)
                {
                    if added < MAX_FROM_DEPENDENCIES && !f.literals.examples.contains(&value) {
                        f.literals.examples.push(value);
                        added += 1;
                    }
                }
            }
        }
    }
}

/// A dependency's function: `bcrypt::verify` is (`bcrypt`, "", `verify`), `cookie::Cookie::parse` is
/// (`cookie`, `Cookie`, `parse`).
#[derive(Debug, PartialEq)]
struct Callee {
    dependency: String,
    owner: String,
    name: String,
}

/// The calls of `f` into one of `dependencies`, paths resolved through its module's `use` items.
fn dependency_callees(f: &TaggedFn, dependencies: &[String]) -> Vec<Callee> {
    let mut out = Vec::new();
    for path in &f.literals.callees {
        let mut segs: Vec<&str> = path.split("::").collect();
        let Some(first) = segs.first().copied() else {
            continue;
        };
        let imported = f.uses.iter().find(|u| u.name == first);
        let resolved: String;
        if let Some(u) = imported {
            resolved = format!("{}{}", u.path, &path[first.len()..]);
            segs = resolved.trim_start_matches("::").split("::").collect();
        }
        if segs.len() < 2 || !dependencies.iter().any(|d| d == segs[0]) {
            continue;
        }
        let owner = segs[segs.len() - 2];
        let owner = if segs.len() >= 3 && owner.starts_with(|c: char| c.is_ascii_uppercase()) {
            owner
        } else {
            ""
        };
        let callee = Callee {
            dependency: segs[0].to_string(),
            owner: owner.to_string(),
            name: segs[segs.len() - 1].to_string(),
        };
        if !out.contains(&callee) {
            out.push(callee);
        }
    }
    out
}

/// Where a package's dependencies are, as cached: valid while the tool build, the manifest and every
/// lock file it may use are the same.
#[derive(Serialize, Deserialize)]
struct DirsEntry {
    tool: String,
    manifest: PathBuf,
    probes: BTreeMap<PathBuf, Stamp>,
    dirs: HashMap<String, PathBuf>,
}

/// The folder of each dependency of the package at `manifest`, by the name its code calls it; empty when
/// `cargo metadata` fails (no network for a dependency not yet downloaded, say): the examples are a help,
/// not a requirement.
fn dependency_dirs(manifest: &Path, cache_dir: &Path) -> HashMap<String, PathBuf> {
    let file = format!("deps-{}.json", crate::cache::path_key(manifest));
    let tool = crate::cache::tool_id();
    let cached = crate::cache::load::<DirsEntry>(cache_dir, &file)
        .filter(|e| e.tool == tool && e.manifest == manifest && unchanged(&e.probes));
    if let Some(entry) = cached {
        return entry.dirs;
    }
    // The manifest, and the lock file of every folder that may be the workspace root.
    let mut probes = BTreeMap::new();
    probes.insert(manifest.to_path_buf(), Stamp::of(manifest));
    for dir in manifest.ancestors().skip(1) {
        let lock = dir.join("Cargo.lock");
        probes.insert(lock.clone(), Stamp::of(&lock));
    }
    let dirs = resolve_dirs(manifest).unwrap_or_default();
    let entry = DirsEntry {
        tool,
        manifest: manifest.to_path_buf(),
        probes,
        dirs,
    };
    crate::cache::store(cache_dir, &file, &entry);
    entry.dirs
}

/// `cargo metadata` with dependencies: the package's node in the resolve graph names each dependency as
/// its code does, and the package it resolved to.
fn resolve_dirs(manifest: &Path) -> Option<HashMap<String, PathBuf>> {
    let meta = cargo_metadata::MetadataCommand::new()
        .manifest_path(manifest)
        .exec()
        .ok()?;
    let own = meta
        .packages
        .iter()
        .find(|p| p.manifest_path.as_std_path() == manifest)?;
    let node = meta
        .resolve
        .as_ref()?
        .nodes
        .iter()
        .find(|n| n.id == own.id)?;
    let dir_of: HashMap<_, _> = meta
        .packages
        .iter()
        .filter_map(|p| Some((&p.id, p.manifest_path.parent()?.as_std_path().to_path_buf())))
        .collect();
    Some(
        node.deps
            .iter()
            .filter_map(|d| Some((d.name.clone(), dir_of.get(&d.pkg)?.clone())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::{dependency_callees, Callee};
    use crate::model::UseItem;

    fn callee(dependency: &str, owner: &str, name: &str) -> Callee {
        Callee {
            dependency: dependency.into(),
            owner: owner.into(),
            name: name.into(),
        }
    }

    #[test]
    fn calls_into_dependencies_are_resolved_through_use_items() {
        let mut f = crate::plan::tests::tagged("check", vec![], None);
        f.literals.callees = [
            "bcrypt::verify",
            "Cookie::parse",
            "decode",
            "cookie::time::Duration::seconds",
            "helper",
            "std::str::from_utf8",
        ]
        .map(String::from)
        .to_vec();
        f.uses = vec![
            UseItem {
                name: "Cookie".into(),
                path: "cookie::Cookie".into(),
            },
            UseItem {
                name: "decode".into(),
                path: "::base_x::decode".into(),
            },
        ];
        let deps = ["bcrypt", "cookie", "base_x"].map(String::from);
        assert_eq!(
            dependency_callees(&f, &deps),
            [
                callee("bcrypt", "", "verify"),
                callee("cookie", "Cookie", "parse"),
                callee("base_x", "", "decode"),
                callee("cookie", "Duration", "seconds"),
            ]
        );
    }

    /// The literals a path dependency's tests and docs pass to the function a tagged wrapper calls are the
    /// wrapper's examples; those its tests expect to fail, and those passed to other functions, are not.
    #[test]
    fn a_dependencys_test_literals_become_the_wrappers_examples() {
        let inv = crate::discover::tests::run_with_dependencies(
            &[
                (
                    "Cargo.toml",
                    "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n\
                     [dependencies]\nhashes = { path = \"hashes\" }\n\n[workspace]\n",
                ),
                (
                    "src/lib.rs",
                    r#"
                    use hashes::verify;
                    #[ai_generated]
                    pub fn check(password: &str, hash: &str) -> bool { verify(password, hash) }
                    "#,
                ),
                (
                    "hashes/Cargo.toml",
                    "[package]\nname = \"hashes\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
                ),
                (
                    "hashes/src/lib.rs",
                    r#"
                    /// ```
                    /// assert!(hashes::verify("pw", "$1$ab$cdef"));
                    /// ```
                    pub fn verify(password: &str, hash: &str) -> bool { true }
                    pub fn other(s: &str) {}
                    #[cfg(test)]
                    mod tests {
                        #[test]
                        fn ok() {
                            let hash: &str = "$2$gh$ijkl";
                            assert!(super::verify("hunter2", hash));
                            let bad = "$$$";
                            assert!(super::verify("x", bad).is_err());
                            super::other("unrelated");
                        }
                    }
                    "#,
                ),
            ],
            &["hashes"],
        );
        let examples = &crate::discover::tests::find(&inv, "check")
            .literals
            .examples;
        for want in ["pw", "$1$ab$cdef", "hunter2", "$2$gh$ijkl"] {
            assert!(examples.iter().any(|e| e == want), "{want} in {examples:?}");
        }
        for unwanted in ["$$$", "x", "unrelated"] {
            assert!(
                !examples.iter().any(|e| e == unwanted),
                "{unwanted} in {examples:?}"
            );
        }
    }
}
