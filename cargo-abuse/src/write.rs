//! std::fs for generated files: the only place that writes them. Compares what `generate` produced with the disk,
//! so `gen` rewrites nothing when nothing changed, `--check` writes nothing, and a user's edit survives without
//! `--force`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::generate::{checksum, parse_header, same_content, FileKind, Generated, Ownership};

/// What happened (or, with `--check`, would happen) to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Same bytes on disk.
    Unchanged,
    /// Not on disk yet.
    Created,
    /// On disk with other contents (another fingerprint or version).
    Updated,
    /// The user edited a generated file: kept, unless `--force`.
    KeptEdited,
    /// The user edited it and `--force` overwrote it.
    Overwritten,
    /// A generated file for a function that is no longer tagged.
    Removed,
}

/// The outcome for one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileChange {
    /// Path relative to the workspace root.
    pub path: String,
    /// What happened.
    pub change: Change,
    /// What the file is; `None` for a file no longer generated (an orphan).
    pub kind: Option<FileKind>,
}

/// How to apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteMode {
    /// Write nothing, only report.
    pub check: bool,
    /// Overwrite files the user edited.
    pub force: bool,
}

/// Reads the current contents of every path `generated` mentions, plus any other cargo-abuse file in the
/// same folders (orphans), keyed by workspace-relative path.
pub fn read_existing(root: &Path, generated: &Generated) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let mut dirs = std::collections::BTreeSet::new();
    for file in &generated.files {
        let path = root.join(&file.path);
        if let Some(dir) = Path::new(&file.path).parent() {
            dirs.insert(dir.to_path_buf());
        }
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            out.insert(file.path.clone(), text);
        }
    }
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(root.join(&dir)) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "rs") {
                let rel = relative(&dir.join(entry.file_name()));
                if let std::collections::btree_map::Entry::Vacant(slot) = out.entry(rel) {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        if parse_header(&text).is_some() {
                            slot.insert(text);
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

fn relative(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Decides each file's change and, unless `mode.check`, performs it under `root`.
pub fn apply(
    root: &Path,
    generated: &Generated,
    existing: &BTreeMap<String, String>,
    mode: WriteMode,
) -> Result<Vec<FileChange>> {
    if !mode.check {
        // Before writing anything: a refused path leaves the package as it was.
        for path in generated
            .files
            .iter()
            .map(|f| &f.path)
            .chain(existing.keys())
        {
            ensure_inside(root, Path::new(path))?;
        }
    }
    let mut changes = Vec::new();
    for file in &generated.files {
        let change = match (existing.get(&file.path), file.ownership()) {
            (None, _) => Change::Created,
            (Some(_), Ownership::CreatedOnce) => Change::Unchanged,
            (Some(old), Ownership::Generated) if same_content(&file.path, old, &file.contents) => {
                Change::Unchanged
            }
            (Some(old), Ownership::Generated) if user_edited(old) => {
                if mode.force {
                    Change::Overwritten
                } else {
                    Change::KeptEdited
                }
            }
            (Some(_), Ownership::Generated) => Change::Updated,
        };
        if !mode.check
            && matches!(
                change,
                Change::Created | Change::Updated | Change::Overwritten
            )
        {
            write_file(&root.join(&file.path), &file.contents)?;
        }
        changes.push(FileChange {
            path: file.path.clone(),
            change,
            kind: Some(file.kind),
        });
    }
    for (path, old) in existing {
        if generated.files.iter().any(|f| f.path == *path) {
            continue;
        }
        let change = if user_edited(old) && !mode.force {
            Change::KeptEdited
        } else {
            Change::Removed
        };
        if !mode.check && change == Change::Removed {
            let full = root.join(path);
            std::fs::remove_file(&full).with_context(|| format!("removing {}", full.display()))?;
        }
        changes.push(FileChange {
            path: path.clone(),
            change,
            kind: None,
        });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// A generated file whose body no longer matches the checksum in its header was edited by hand.
fn user_edited(text: &str) -> bool {
    match parse_header(text) {
        Some((sum, body)) => {
            let comment = if text.starts_with('#') { "#" } else { "//" };
            crate::generate::content_checksum(comment, body) != sum && checksum(body) != sum
        }
        None => true,
    }
}

/// Refuses a path under `root` (relative to it) that leaves `root` through a symbolic link: a linked `tests/`,
/// `fuzz/` or file would make `gen` and `run` write wherever the link points (in CI, a pull request controls
/// such links). The error names the link. Links that stay under `root` are followed.
pub fn ensure_inside(root: &Path, relative_path: &Path) -> Result<()> {
    let Ok(real_root) = root.canonicalize() else {
        return Ok(());
    };
    let mut at = root.to_path_buf();
    for part in relative_path.components() {
        at.push(part);
        let Ok(meta) = std::fs::symlink_metadata(&at) else {
            // The rest does not exist yet: it will be created as plain folders and files.
            return Ok(());
        };
        if meta.file_type().is_symlink() {
            let target = at.canonicalize().ok();
            if !target.as_deref().is_some_and(|t| t.starts_with(&real_root)) {
                anyhow::bail!(
                    "refusing to write {}: `{}` is a symbolic link to {}, outside `{}`; replace the link by a folder",
                    root.join(relative_path).display(),
                    at.display(),
                    std::fs::read_link(&at)
                        .map(|t| format!("`{}`", t.display()))
                        .unwrap_or_else(|_| "an unreadable place".to_string()),
                    root.display()
                );
            }
        }
    }
    Ok(())
}

fn write_file(path: &PathBuf, contents: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(path, contents).with_context(|| format!("writing {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_package_is_refused_by_name_and_nothing_is_written() {
        let outside = tempfile::tempdir().unwrap();
        let pkg = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), pkg.path().join("tests")).unwrap();
        let generated = Generated {
            files: vec![
                GeneratedFile {
                    path: "fuzz/Cargo.toml".into(),
                    contents: "[package]\n".into(),
                    kind: FileKind::FuzzManifest,
                    function: None,
                    package: Some("x".into()),
                },
                GeneratedFile {
                    path: "tests/abuse/main.rs".into(),
                    contents: with_header("mod a;\n", None, "0.1.0"),
                    kind: FileKind::HarnessMain,
                    function: None,
                    package: Some("x".into()),
                },
            ],
            ..Generated::default()
        };
        let err = apply(
            pkg.path(),
            &generated,
            &BTreeMap::new(),
            WriteMode::default(),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("tests` is a symbolic link to"), "{err}");
        assert!(err.contains(&outside.path().display().to_string()), "{err}");
        assert!(
            !pkg.path().join("fuzz").exists(),
            "nothing written before the refusal"
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        // `--check` writes nothing, so it is not refused.
        let mode = WriteMode {
            check: true,
            force: false,
        };
        assert!(apply(pkg.path(), &generated, &BTreeMap::new(), mode).is_ok());
        // Regressions kept by `run` are refused the same way.
        let r = Regression {
            file: "tests/abuse/regressions.rs".into(),
            module: "a".into(),
            property: "no_panic".into(),
            input: "(1u8,)".into(),
            cfg: None,
        };
        let err = keep_regressions(pkg.path(), &[r]).unwrap_err().to_string();
        assert!(err.contains("tests` is a symbolic link"), "{err}");
        // A file that is itself a link out is refused too; a link that stays inside is followed.
        std::fs::remove_file(pkg.path().join("tests")).unwrap();
        std::fs::create_dir_all(pkg.path().join("real/abuse")).unwrap();
        std::os::unix::fs::symlink(pkg.path().join("real"), pkg.path().join("tests")).unwrap();
        assert!(ensure_inside(pkg.path(), Path::new("tests/abuse/main.rs")).is_ok());
        std::os::unix::fs::symlink(
            outside.path().join("f"),
            pkg.path().join("real/abuse/main.rs"),
        )
        .unwrap();
        assert!(ensure_inside(pkg.path(), Path::new("tests/abuse/main.rs")).is_err());
    }
    #[test]
    fn an_input_longer_than_the_limit_is_not_kept() {
        let pkg = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(pkg.path().join("tests/abuse")).unwrap();
        std::fs::write(pkg.path().join("tests/abuse/regressions.rs"), "//! kept\n").unwrap();
        let regression = |input: String| Regression {
            file: "tests/abuse/regressions.rs".into(),
            module: "parse".into(),
            property: "no_panic".into(),
            input,
            cfg: None,
        };
        let big = format!("(vec![{}],)", "7u8, ".repeat(MAX_KEPT_INPUT / 5 + 1));
        let kept = keep_regressions(
            pkg.path(),
            &[regression("(1u8,)".into()), regression(big.clone())],
        )
        .unwrap();
        assert_eq!(kept.added.len(), 1);
        assert_eq!(kept.too_big.len(), 1);
        assert_eq!(kept.too_big[0].1, big.len());
        let text = std::fs::read_to_string(pkg.path().join("tests/abuse/regressions.rs")).unwrap();
        assert!(text.contains(&format!("fn {}()", kept.added[0])));
        assert!(!text.contains(&kept.too_big[0].0), "{text}");
        assert!(text.len() < 1024, "{} bytes", text.len());
    }

    use crate::generate::{with_header, GeneratedFile};

    /// Every generated file committed in this repository (the dogfood harnesses, the demo fixture's) still
    /// matches the checksum in its header: one that does not would be "edited by hand" for `gen`, which
    /// would then refuse to update it when its function changes.
    #[test]
    fn committed_generated_files_match_their_checksums() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut checked = 0;
        for dir in [
            "abuse-attr/tests/abuse",
            "abuse-attr/fuzz/fuzz_targets",
            "cargo-abuse/tests/abuse",
            "cargo-abuse/fuzz/fuzz_targets",
            "fixtures/demo/tests/abuse",
            "fixtures/demo/fuzz/fuzz_targets",
        ] {
            for entry in std::fs::read_dir(repo.join(dir)).expect("generated folder") {
                let path = entry.expect("entry").path();
                let text = std::fs::read_to_string(&path).expect("readable");
                // `regressions.rs` belongs to `run`, which appends to it.
                if !text.starts_with("// @generated") || path.ends_with("regressions.rs") {
                    continue;
                }
                assert!(
                    !user_edited(&text),
                    "{} no longer matches its checksum",
                    path.display()
                );
                checked += 1;
            }
        }
        assert!(checked >= 20, "only {checked} generated files found");
    }

    fn generated(contents: &str) -> Generated {
        Generated {
            files: vec![GeneratedFile {
                path: "tests/abuse/a.rs".into(),
                contents: contents.into(),
                kind: FileKind::Harness(crate::plan::PlanReach::Public),
                function: Some("a".into()),
                package: Some("demo".into()),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn rerun_without_changes_rewrites_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let gen = generated(&with_header("fn a() {}\n", None, "0.1.0"));
        let first = apply(
            dir.path(),
            &gen,
            &read_existing(dir.path(), &gen).unwrap(),
            WriteMode::default(),
        )
        .unwrap();
        assert_eq!(first[0].change, Change::Created);
        let second = apply(
            dir.path(),
            &gen,
            &read_existing(dir.path(), &gen).unwrap(),
            WriteMode::default(),
        )
        .unwrap();
        assert_eq!(second[0].change, Change::Unchanged);
    }

    #[test]
    fn edited_file_is_kept_without_force_and_check_writes_nothing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("tests/abuse/a.rs");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let edited = with_header("fn a() {}\n", None, "0.1.0").replace("fn a", "fn mine");
        std::fs::write(&path, &edited).unwrap();
        let gen = generated(&with_header("fn a() { 1; }\n", None, "0.1.0"));
        let existing = read_existing(dir.path(), &gen).unwrap();
        let check = apply(
            dir.path(),
            &gen,
            &existing,
            WriteMode {
                check: true,
                force: true,
            },
        )
        .unwrap();
        assert_eq!(check[0].change, Change::Overwritten);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            edited,
            "--check wrote"
        );
        let kept = apply(dir.path(), &gen, &existing, WriteMode::default()).unwrap();
        assert_eq!(kept[0].change, Change::KeptEdited);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), edited);
        apply(
            dir.path(),
            &gen,
            &existing,
            WriteMode {
                check: false,
                force: true,
            },
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            gen.files[0].contents
        );
    }

    #[test]
    fn orphaned_generated_file_is_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let old = dir.path().join("tests/abuse/gone.rs");
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(&old, with_header("fn gone() {}\n", None, "0.1.0")).unwrap();
        let gen = generated(&with_header("fn a() {}\n", None, "0.1.0"));
        let changes = apply(
            dir.path(),
            &gen,
            &read_existing(dir.path(), &gen).unwrap(),
            WriteMode::default(),
        )
        .unwrap();
        assert!(changes
            .iter()
            .any(|c| c.path == "tests/abuse/gone.rs" && c.change == Change::Removed));
        assert!(!old.exists());
    }
}

/// A failing input to keep as a named regression test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regression {
    /// Regression file, relative to the workspace root (`tests/abuse/regressions.rs`).
    pub file: String,
    /// The function's harness module (`parse_port`).
    pub module: String,
    /// Property name (`no_panic`).
    pub property: String,
    /// The input as a Rust expression of the harness's `Input` type.
    pub input: String,
    /// The harness's `cfg` (`feature = "extra"`), which the kept test carries so that builds without it still
    /// compile.
    pub cfg: Option<String>,
}

/// The longest input kept as a regression test, as Rust text. A big random input that did not shrink (a
/// timeout on a 100 kB pattern list) would put megabytes of source into the user's tests; the report still
/// shows the failure, and the run's `--seed` replays it.
pub const MAX_KEPT_INPUT: usize = 64 * 1024;

/// What [`keep_regressions`] did.
#[derive(Debug, Default, PartialEq)]
pub struct Kept {
    /// The tests added (names), in order.
    pub added: Vec<String>,
    /// The tests not written because their input is longer than [`MAX_KEPT_INPUT`]: name and input length.
    pub too_big: Vec<(String, usize)>,
}

/// Appends a `#[test]` per new regression to its file; an input already kept is not added twice, and one
/// longer than [`MAX_KEPT_INPUT`] is not written (listed in [`Kept::too_big`]).
pub fn keep_regressions(root: &Path, regressions: &[Regression]) -> Result<Kept> {
    let mut kept = Kept::default();
    for r in regressions {
        let name = format!("{}__{}_{}", r.module, r.property, &checksum(&r.input)[..8]);
        if r.input.len() > MAX_KEPT_INPUT {
            kept.too_big.push((name, r.input.len()));
            continue;
        }
        let variant: String = r
            .property
            .split('_')
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect();
        let m = &r.module;
        // A failing sequence is kept as the statements that replay it (its input prints as them), run through
        // the runtime: a plain test that panics leaves no record, and `run` would not report it.
        let test = if r.property == "sequence" {
            format!(
                "#[test]\n#[allow(unused)]\nfn {name}() {{ abuse_runtime::replay(&super::{m}::TARGET, \
                 abuse_runtime::Property::Sequence, &super::{m}::settings(), (), |()| {{ {input}; Ok(()) }}); }}",
                input = r.input.trim_end().trim_end_matches(';')
            )
        } else {
            format!(
            "#[test]\nfn {name}() {{ abuse_runtime::replay(&super::{m}::TARGET, abuse_runtime::Property::{variant}, \
             &super::{m}::settings(), {input}, super::{m}::{prop}_body); }}",
            input = r.input,
            prop = r.property
        )
        };
        let test = match &r.cfg {
            Some(cfg) => format!("#[cfg({cfg})]\n{test}"),
            None => test,
        };
        if append_test(root, &r.file, &name, &test)? {
            kept.added.push(name);
        }
    }
    Ok(kept)
}

/// A harness's module name and the `regressions.rs` beside it (`/`-separated), where its kept inputs go.
pub fn regression_file_of(harness_path: &str) -> (String, String) {
    let path = Path::new(harness_path);
    let module = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let file = path
        .with_file_name("regressions.rs")
        .to_string_lossy()
        .replace('\\', "/");
    (module, file)
}

/// Appends the `#[test]` item `test` (formatted first) named `name` to the regression file `file` (relative to
/// `root`), unless a test of that name is there already. Returns whether it was added.
pub fn append_test(root: &Path, file: &str, name: &str, test: &str) -> Result<bool> {
    ensure_inside(root, Path::new(file))?;
    let path = root.join(file);
    let mut text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    if text.contains(&format!("fn {name}()")) {
        return Ok(false);
    }
    let formatted = crate::format::format_rust(test)?;
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&formatted);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}
