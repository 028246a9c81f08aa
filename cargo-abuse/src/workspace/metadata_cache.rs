//! `cargo metadata --no-deps`, remembered: the answer is kept in `<target-dir>/abuse/metadata/` with
//! a stamp of every path cargo's answer depends on, and reused while they all look the same.
//!
//! `cargo metadata` is the slowest part of a warm `list` (a cargo start and a manifest walk, ~25-35 ms);
//! this is what lets `cargo abuse list` answer within the time of `cargo metadata` alone. Cargo's answer
//! (with `--no-deps`) depends on:
//! - the folder it runs in, `--manifest-path`, and the environment variables cargo and rustup read
//!   (`CARGO*`, `RUSTUP*`, `PATH`): the invocation, compared as is;
//! - every `Cargo.toml`, `.cargo/config[.toml]` and `rust-toolchain[.toml]` above the current folder, the
//!   manifest and the workspace root (present or absent), and `$CARGO_HOME/config[.toml]`;
//! - each member's manifest; the folders whose entries are targets: `src/bin/`, `examples/`, `tests/`,
//!   `benches/` and their sub-folders (`src/bin/x/main.rs`); for each glob in `workspace.members`, the
//!   folder before its first wildcard (`crates/` for `crates/*`: a new folder there may be a new member);
//! - whether `build.rs`, `src/lib.rs`, `src/main.rs` and each target's file exist (not their contents:
//!   editing a source file must not cost a `cargo metadata`).
//!
//! A folder's stamp is its modification time, which changes when an entry is added, removed or renamed,
//! so a new `src/bin/x.rs` or `crates/new/` is a miss. Anything unexpected is a miss, never an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use cargo_metadata::{Metadata, MetadataCommand};
use serde::{Deserialize, Serialize};

use crate::cache::{self, Stamp};

/// Where an answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Read from the cache: cargo was not run.
    Cache,
    /// Cargo was run (and its answer stored).
    Cargo,
}

/// One remembered answer.
#[derive(Serialize, Deserialize)]
struct Entry {
    invocation: Invocation,
    /// Paths whose contents or entries matter, as they were.
    probes: BTreeMap<PathBuf, Stamp>,
    /// Paths whose existence matters, by kind ([`Stamp::kind`]).
    exists: BTreeMap<PathBuf, Stamp>,
    /// `cargo metadata --no-deps --format-version 1`'s answer, as JSON.
    metadata: String,
}

/// What must be equal for an entry to apply, besides its probes.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Invocation {
    tool: String,
    cwd: PathBuf,
    manifest_path: Option<PathBuf>,
    env: BTreeMap<String, String>,
}

impl Invocation {
    fn now(manifest_path: Option<&Path>) -> Result<Invocation> {
        let env = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .filter(|(k, _)| k.starts_with("CARGO") || k.starts_with("RUSTUP") || k == "PATH")
            .collect();
        Ok(Invocation {
            tool: cache::tool_id(),
            cwd: std::env::current_dir().context("could not read the current folder")?,
            manifest_path: manifest_path.map(Path::to_path_buf),
            env,
        })
    }

    /// The entry's file name: one entry per folder, manifest argument and environment, so calling the
    /// tool through cargo (which sets `CARGO`) and directly do not evict each other; a rebuilt tool
    /// reuses its slot.
    fn file_name(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.cwd, &self.manifest_path, &self.env).hash(&mut h);
        format!("{:016x}.json", h.finish())
    }
}

/// The cache folder under a target directory.
pub fn cache_dir(target_dir: &Path) -> PathBuf {
    target_dir.join("abuse").join("metadata")
}

/// `cargo metadata --no-deps` for `manifest_path`: from the entry in `guess` (a target directory guessed
/// before cargo answers) when every input is unchanged, else from cargo. `store_in` says where to keep a
/// fresh answer, given it (the real target directory).
pub fn load(
    manifest_path: Option<&Path>,
    guess: Option<&Path>,
    store_in: impl FnOnce(&Metadata) -> PathBuf,
) -> Result<(Metadata, Source)> {
    let invocation = Invocation::now(manifest_path)?;
    if let Some(meta) = guess.and_then(|dir| read(&cache_dir(dir), &invocation)) {
        return Ok((meta, Source::Cache));
    }
    let mut cmd = MetadataCommand::new();
    cmd.no_deps();
    if let Some(path) = manifest_path {
        cmd.manifest_path(path);
    }
    // Stamps are taken before cargo runs: a change while it runs makes the next run miss.
    let mut probes = ancestor_probes(&invocation, None);
    let meta = cmd
        .exec()
        .context("could not run `cargo metadata --no-deps --format-version 1`")?;
    // Paths stamped before cargo ran keep that stamp; the rest are known only from its answer.
    let (folders, exists) = package_probes(&meta);
    for (path, stamp) in ancestor_probes(&invocation, Some(&meta))
        .into_iter()
        .chain(folders)
    {
        probes.entry(path).or_insert(stamp);
    }
    let Ok(metadata) = serde_json::to_string(&meta) else {
        return Ok((meta, Source::Cargo));
    };
    let entry = Entry {
        invocation,
        probes,
        exists,
        metadata,
    };
    cache::store(
        &cache_dir(&store_in(&meta)),
        &entry.invocation.file_name(),
        &entry,
    );
    Ok((meta, Source::Cargo))
}

fn read(dir: &Path, invocation: &Invocation) -> Option<Metadata> {
    let text = std::fs::read_to_string(dir.join(invocation.file_name())).ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    let same_kinds = || {
        entry
            .exists
            .iter()
            .all(|(path, kind)| Stamp::of(path).kind() == *kind)
    };
    if entry.invocation != *invocation || !cache::unchanged(&entry.probes) || !same_kinds() {
        return None;
    }
    MetadataCommand::parse(&entry.metadata).ok()
}

/// Manifests, cargo configs and toolchain files in every folder above the current one, the manifest
/// and (once known) the workspace root, and cargo's home config.
fn ancestor_probes(invocation: &Invocation, meta: Option<&Metadata>) -> BTreeMap<PathBuf, Stamp> {
    let mut starts = vec![invocation.cwd.clone()];
    if let Some(m) = &invocation.manifest_path {
        if let Some(dir) = invocation.cwd.join(m).parent() {
            starts.push(dir.to_path_buf());
        }
    }
    if let Some(meta) = meta {
        starts.push(meta.workspace_root.clone().into_std_path_buf());
    }
    let mut paths = BTreeSet::new();
    for start in &starts {
        for dir in start.ancestors() {
            for name in [
                "Cargo.toml",
                ".cargo/config",
                ".cargo/config.toml",
                "rust-toolchain",
                "rust-toolchain.toml",
            ] {
                paths.insert(dir.join(name));
            }
        }
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        paths.insert(home.join("config"));
        paths.insert(home.join("config.toml"));
    }
    stamp_all(paths)
}

/// Each member's manifest and the folders whose entries decide its targets and its membership (exact
/// stamps), and the files whose existence decides its targets (kinds only).
fn package_probes(meta: &Metadata) -> (BTreeMap<PathBuf, Stamp>, BTreeMap<PathBuf, Stamp>) {
    let mut exact = BTreeSet::new();
    let mut existence = BTreeSet::new();
    for p in meta.workspace_packages() {
        let manifest = p.manifest_path.clone().into_std_path_buf();
        exact.insert(manifest.clone());
        let Some(dir) = manifest.parent() else {
            continue;
        };
        for file in ["build.rs", "src/lib.rs", "src/main.rs"] {
            existence.insert(dir.join(file));
        }
        for sub in ["src/bin", "examples", "tests", "benches"] {
            let folder = dir.join(sub);
            if let Ok(entries) = std::fs::read_dir(&folder) {
                exact.extend(
                    entries
                        .filter_map(|e| e.ok())
                        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                        .map(|e| e.path()),
                );
            }
            exact.insert(folder);
        }
        existence.extend(
            p.targets
                .iter()
                .map(|t| t.src_path.clone().into_std_path_buf()),
        );
    }
    let root = meta.workspace_root.clone().into_std_path_buf();
    exact.extend(glob_folders(&root.join("Cargo.toml")));
    let kinds = stamp_all(existence)
        .into_iter()
        .map(|(path, stamp)| (path, stamp.kind()))
        .collect();
    (stamp_all(exact), kinds)
}

/// For each glob in the root manifest's `workspace.members`, the folder before its first wildcard.
fn glob_folders(root_manifest: &Path) -> Vec<PathBuf> {
    let Some(root) = root_manifest.parent() else {
        return Vec::new();
    };
    let Ok(doc) = std::fs::read_to_string(root_manifest)
        .unwrap_or_default()
        .parse::<toml_edit::DocumentMut>()
    else {
        return Vec::new();
    };
    let Some(members) = doc
        .get("workspace")
        .and_then(|w| w.get("members"))
        .and_then(|m| m.as_array())
    else {
        return Vec::new();
    };
    members
        .iter()
        .filter_map(|m| m.as_str())
        .filter(|m| m.contains(['*', '?', '[']))
        .map(|m| {
            Path::new(m)
                .components()
                .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
                .fold(root.to_path_buf(), |dir, c| dir.join(c))
        })
        .collect()
}

fn stamp_all(paths: BTreeSet<PathBuf>) -> BTreeMap<PathBuf, Stamp> {
    paths
        .into_iter()
        .map(|p| {
            let stamp = Stamp::of(&p);
            (p, stamp)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Loads through the cache kept in `root/target`, like `list` does on its second run.
    fn load_at(root: &Path) -> (Metadata, Source) {
        let target = root.join("target");
        load(Some(&root.join("Cargo.toml")), Some(&target), |_| {
            target.clone()
        })
        .expect("cargo metadata")
    }

    fn target_names(meta: &Metadata) -> Vec<String> {
        let mut names: Vec<String> = meta
            .workspace_packages()
            .iter()
            .flat_map(|p| p.targets.iter().map(|t| t.name.clone()))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn answer_is_reused_until_a_manifest_or_a_target_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let manifest = "[package]\nname = \"one\"\nversion = \"0.1.0\"\nedition = \"2021\"\n";
        write(&root.join("Cargo.toml"), manifest);
        write(&root.join("src/lib.rs"), "pub fn f() {}\n");

        assert_eq!(load_at(root).1, Source::Cargo);
        let (meta, source) = load_at(root);
        assert_eq!(source, Source::Cache);
        assert_eq!(target_names(&meta), ["one"]);

        // Editing a source file is not a change cargo's answer depends on.
        write(&root.join("src/lib.rs"), "pub fn f() { let _ = 1; }\n");
        assert_eq!(load_at(root).1, Source::Cache);

        // A new auto-discovered binary is.
        write(&root.join("src/bin/tool.rs"), "fn main() {}\n");
        let (meta, source) = load_at(root);
        assert_eq!(source, Source::Cargo);
        assert_eq!(target_names(&meta), ["one", "tool"]);
        assert_eq!(load_at(root).1, Source::Cache);

        // So is the manifest.
        write(
            &root.join("Cargo.toml"),
            &format!("{manifest}\n[[bin]]\nname = \"other\"\npath = \"other.rs\"\n"),
        );
        let (meta, source) = load_at(root);
        assert_eq!(source, Source::Cargo);
        assert!(target_names(&meta).contains(&"other".to_string()));

        // And a cargo config next to the manifest (cargo reads configs above the current folder; those
        // above the manifest are stamped too, to be safe).
        write(
            &root.join(".cargo/config.toml"),
            "[build]\ntarget-dir = \"elsewhere\"\n",
        );
        assert_eq!(load_at(root).1, Source::Cargo);
        assert_eq!(load_at(root).1, Source::Cache);
    }

    #[test]
    fn a_new_folder_under_a_members_glob_is_a_new_package() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        write(
            &root.join("Cargo.toml"),
            "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
        );
        let package = |name: &str| {
            write(
                &root.join(format!("crates/{name}/Cargo.toml")),
                &format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
            );
            write(&root.join(format!("crates/{name}/src/lib.rs")), "\n");
        };
        package("a");
        assert_eq!(load_at(root).1, Source::Cargo);
        assert_eq!(load_at(root).1, Source::Cache);

        package("b");
        let (meta, source) = load_at(root);
        assert_eq!(source, Source::Cargo);
        assert_eq!(target_names(&meta), ["a", "b"]);
    }

    #[test]
    fn globs_name_the_folder_before_the_first_wildcard() {
        let dir = tempfile::tempdir().expect("temp dir");
        let manifest = dir.path().join("Cargo.toml");
        write(
            &manifest,
            "[workspace]\nmembers = [\"tool\", \"crates/*\", \"libs/x*/y\"]\n",
        );
        assert_eq!(
            glob_folders(&manifest),
            [dir.path().join("crates"), dir.path().join("libs")]
        );
    }
}
