//! The discovery cache (serde_json through `crate::cache`): each crate's findings in
//! `<target-dir>/abuse/discover/`, reused while every path discovery probed (files read, `prompt_file`s,
//! the `x.rs` / `x/mod.rs` candidates, present or not) has the same modification time and length. A miss,
//! a corrupt entry or an unwritable folder only costs a re-parse.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::CrateFindings;
use crate::cache::unchanged;
pub use crate::cache::Stamp;
use crate::model::Diagnostic;
use crate::workspace::{PackageSources, TargetSource};

/// What identifies a crate's entry; any difference is a miss.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Key {
    tool: String,
    workspace_root: PathBuf,
    package: String,
    package_dir: PathBuf,
    crate_name: String,
    is_lib: bool,
    root: PathBuf,
}

impl Key {
    pub fn new(workspace_root: &Path, p: &PackageSources, t: &TargetSource) -> Key {
        Key {
            // Bumped with every build of the tool: the analysis itself may have changed.
            tool: crate::cache::tool_id(),
            workspace_root: workspace_root.to_path_buf(),
            package: p.name.clone(),
            package_dir: p.dir.clone(),
            crate_name: t.crate_name.clone(),
            is_lib: t.is_lib,
            root: t.root.clone(),
        }
    }

    fn file_name(&self) -> String {
        format!(
            "{}-{}-{}.json",
            self.package,
            self.crate_name,
            if self.is_lib { "lib" } else { "bin" }
        )
    }
}

/// One cached crate.
#[derive(Serialize, Deserialize)]
pub struct Entry {
    pub key: Key,
    pub probes: BTreeMap<PathBuf, Stamp>,
    pub findings: CrateFindings,
    pub diagnostics: Vec<Diagnostic>,
}

/// The entry for `key`, if every probe still sees the same thing.
pub fn load(dir: &Path, key: &Key) -> Option<Entry> {
    let text = std::fs::read_to_string(dir.join(key.file_name())).ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    (entry.key == *key && unchanged(&entry.probes)).then_some(entry)
}

/// Every entry in `dir` whose probes all still see the same thing, read on as many threads as
/// there are cores (entries are independent, and reading them is most of a warm run).
pub fn load_all(dir: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    // One UTF-8 check over the whole file, then `from_str`, which does not check every string again.
    let load = |path: &PathBuf| -> Option<Entry> {
        let text = std::fs::read_to_string(path).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        unchanged(&entry.probes).then_some(entry)
    };
    let per_thread = paths.len().div_ceil(super::cores()).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || chunk.iter().filter_map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Writes the entry; failures are ignored.
pub fn store(dir: &Path, entry: &Entry) {
    crate::cache::store(dir, &entry.key.file_name(), entry);
}
