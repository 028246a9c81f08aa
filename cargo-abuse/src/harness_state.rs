//! std::fs (harness headers only): each tagged function's harness state (missing, current, stale,
//! unsupported), computed here and nowhere else. `list` shows it; `run`'s policy and runner and `sign` read it.
//!
//! Entry: [`harness_states`], a map beside the inventory: discovery's `TaggedFn::harness` is not filled in.

use std::collections::BTreeMap;
use std::path::Path;

use crate::generate::{compile_skips, same_content, unique_module_name, Generated, VERSION};
use crate::model::{HarnessState, Inventory, SkipReason, TaggedFn};
use crate::plan::{plan_function, PlanReach};

/// What the states are computed from.
#[derive(Debug, Clone, Copy)]
pub enum Basis<'a> {
    /// `list`'s quick look: planning only (no rendering or formatting), then each harness file's header on
    /// disk: missing, or current when it names this function's fingerprint and this version, else stale.
    Headers {
        /// The workspace root the harness paths are relative to.
        root: &'a Path,
    },
    /// The exact comparison of the files `generate` produced with what is on disk (it also sees template and
    /// setting changes): what `run` and `sign` use.
    Generated {
        /// The generated files and the functions without a harness.
        generated: &'a Generated,
        /// The files on disk, by workspace-relative path (`write::read_existing`).
        on_disk: &'a BTreeMap<String, String>,
    },
}

/// One function: its package and where its item starts. Unlike the path, unique: two `#[cfg]` variants of
/// a function share a path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct FnKey {
    package: String,
    file: String,
    line: u32,
    column: u32,
}

impl FnKey {
    fn of(f: &TaggedFn) -> FnKey {
        FnKey {
            package: f.package.clone(),
            file: f.file.clone(),
            line: f.line,
            column: f.column,
        }
    }
}

/// Every tagged function's harness state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HarnessStates(BTreeMap<FnKey, HarnessState>);

/// The state of a function the map does not know (not in the inventory it was computed from).
static MISSING: HarnessState = HarnessState::Missing;

impl HarnessStates {
    /// The state of `f`'s harness.
    pub fn of(&self, f: &TaggedFn) -> &HarnessState {
        self.0.get(&FnKey::of(f)).unwrap_or(&MISSING)
    }

    /// Records `f`'s state (for tests building an inventory by hand).
    pub fn insert(&mut self, f: &TaggedFn, state: HarnessState) {
        self.0.insert(FnKey::of(f), state);
    }
}

/// The harness state of every function of the inventory.
pub fn harness_states(inventory: &Inventory, basis: Basis<'_>) -> HarnessStates {
    match basis {
        Basis::Headers { root } => from_headers(inventory, root),
        Basis::Generated { generated, on_disk } => compared(inventory, generated, on_disk),
    }
}

/// [`Basis::Headers`].
fn from_headers(inventory: &Inventory, root: &Path) -> HarnessStates {
    let mut states = HarnessStates::default();
    for package in &inventory.packages {
        let prefix = if package.dir.is_empty() {
            String::new()
        } else {
            format!("{}/", package.dir)
        };
        let mut used_names = BTreeMap::new();
        let compile_skips = compile_skips::read(root, &prefix);
        for function in &package.functions {
            if crate::plan::is_own_test(function, package) {
                states.insert(function, HarnessState::OwnTest);
                continue;
            }
            let skipped = compile_skips
                .iter()
                .find(|s| s.function == function.path && s.fingerprint == function.fingerprint);
            let state = match (plan_function(function, package), skipped) {
                (Err(reason), _) => HarnessState::Unsupported {
                    reason: reason.to_string(),
                },
                // Replaced by a skip by the compile check (for this fingerprint; `gen` also compares the text).
                (Ok(_), Some(skip)) => {
                    unique_module_name(&function.path, &mut used_names);
                    HarnessState::Unsupported {
                        reason: SkipReason::DidNotCompile {
                            error: skip.error.clone(),
                        }
                        .to_string(),
                    }
                }
                (Ok(plan), None) => {
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
            };
            states.insert(function, state);
        }
    }
    states
}

/// [`Basis::Generated`].
fn compared(
    inventory: &Inventory,
    generated: &Generated,
    on_disk: &BTreeMap<String, String>,
) -> HarnessStates {
    let mut states = HarnessStates::default();
    for package in &inventory.packages {
        for function in &package.functions {
            let state = if crate::plan::is_own_test(function, package) {
                HarnessState::OwnTest
            } else if let Some(skip) = generated
                .skipped
                .iter()
                .find(|s| s.package == package.name && s.function == function.path)
            {
                HarnessState::Unsupported {
                    reason: skip.reason.to_string(),
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
            states.insert(function, state);
        }
    }
    states
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{FileKind, GeneratedFile, Skipped};
    use crate::list::tests::tagged;
    use crate::model::{Package, SignoffState, SkipReason};

    fn inventory(paths: &[&str]) -> Inventory {
        let functions = paths
            .iter()
            .zip(1..)
            .map(|(p, line)| tagged(p, "src/lib.rs", line, None, SignoffState::None))
            .collect();
        Inventory {
            packages: vec![Package {
                name: "demo".into(),
                functions,
                ..Package::default()
            }],
            ..Inventory::default()
        }
    }

    fn harness(function: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: format!("tests/abuse/{function}.rs"),
            contents: contents.into(),
            kind: FileKind::Harness(PlanReach::Public),
            function: Some(function.into()),
            package: Some("demo".into()),
        }
    }

    #[test]
    fn generated_files_compared_with_the_disk_give_each_state() {
        let inv = inventory(&["same", "edited", "absent", "skipped", "ungenerated"]);
        let generated = Generated {
            files: vec![
                harness("same", "fn a() {}\n"),
                harness("edited", "fn a() {}\n"),
                harness("absent", "fn a() {}\n"),
            ],
            skipped: vec![Skipped {
                package: "demo".into(),
                function: "skipped".into(),
                location: "src/lib.rs:4".into(),
                reason: SkipReason::UnsafeFn,
            }],
            notes: vec![],
            sequence_fuzz: vec![],
            sequence_harnesses: vec![],
        };
        let on_disk = BTreeMap::from([
            ("tests/abuse/same.rs".to_string(), "fn a() {}\n".to_string()),
            (
                "tests/abuse/edited.rs".to_string(),
                "fn b() {}\n".to_string(),
            ),
        ]);
        let states = harness_states(
            &inv,
            Basis::Generated {
                generated: &generated,
                on_disk: &on_disk,
            },
        );
        let fns = &inv.packages[0].functions;
        assert_eq!(states.of(&fns[0]), &HarnessState::Current);
        assert_eq!(states.of(&fns[1]), &HarnessState::Stale);
        assert_eq!(states.of(&fns[2]), &HarnessState::Missing);
        assert_eq!(
            states.of(&fns[3]),
            &HarnessState::Unsupported {
                reason: SkipReason::UnsafeFn.to_string()
            }
        );
        assert_eq!(states.of(&fns[4]), &HarnessState::Missing);
    }

    #[test]
    fn two_functions_with_one_path_keep_their_own_state() {
        // Two `#[cfg]` variants of `f`: the map is keyed by where each starts, not by the path.
        let inv = inventory(&["f", "f"]);
        let (first, second) = (&inv.packages[0].functions[0], &inv.packages[0].functions[1]);
        let mut states = HarnessStates::default();
        states.insert(first, HarnessState::Current);
        states.insert(second, HarnessState::Stale);
        assert_eq!(states.of(first), &HarnessState::Current);
        assert_eq!(states.of(second), &HarnessState::Stale);
        let unknown = tagged("g", "src/lib.rs", 40, None, SignoffState::None);
        assert_eq!(states.of(&unknown), &HarnessState::Missing);
    }
}
