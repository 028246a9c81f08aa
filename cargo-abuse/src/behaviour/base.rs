//! toml_edit (the base copy's manifest only): the base revision's tree in `<target>/abuse/base/<commit>/`,
//! exported once per commit, and its package renamed (`demo` → `demo-abuse-before`) so it and the current
//! package can link into one test (cargo refuses two packages of one name and version), its relative path
//! dependencies that point outside the copy made absolute.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use toml_edit::{DocumentMut, Item, Value};

use crate::git;
use crate::options::Options;

/// The package name of a base revision's copy.
pub fn renamed(package: &str) -> String {
    format!("{package}-abuse-before")
}

/// The workspace at `commit`, exported under the target dir (kept: later runs against the same base reuse it
/// and its build).
pub fn export(opts: &Options, commit: &str) -> Result<PathBuf> {
    let root = opts.target_dir.join("abuse").join("base");
    let dest = root.join(commit);
    if dest.join(".abuse-exported").is_file() {
        return Ok(dest);
    }
    let partial = root.join(format!("{commit}.partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).with_context(|| format!("creating {}", partial.display()))?;
    git::export_tree(&opts.workspace_root, commit, &partial)?;
    std::fs::write(partial.join(".abuse-exported"), commit)
        .with_context(|| format!("writing in {}", partial.display()))?;
    let _ = std::fs::remove_dir_all(&dest);
    std::fs::rename(&partial, &dest)
        .with_context(|| format!("moving the base tree to {}", dest.display()))?;
    Ok(dest)
}

/// Renames the copy's package in `base_dir/Cargo.toml` and makes its path dependencies that do not resolve in
/// the copy point where they point from `current_dir` (the same package in the working tree). Idempotent.
/// `Err` is a sentence for the report (no manifest there, unparseable).
pub fn prepare_package(base_dir: &Path, current_dir: &Path, package: &str) -> Result<(), String> {
    let manifest = base_dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest)
        .map_err(|_| format!("the package `{package}` does not exist at the base revision"))?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("its manifest at the base revision does not parse: {e}"))?;
    let want = renamed(package);
    let Some(pkg) = doc.get_mut("package").and_then(Item::as_table_like_mut) else {
        return Err("its manifest at the base revision has no [package]".into());
    };
    pkg.insert("name", toml_edit::value(want.clone()));
    // Two `links` of one name cannot link into one build.
    pkg.remove("links");
    for section in ["dependencies", "dev-dependencies", "build-dependencies"] {
        if let Some(deps) = doc.get_mut(section).and_then(Item::as_table_like_mut) {
            for (_, dep) in deps.iter_mut() {
                absolutize(dep, base_dir, current_dir);
            }
        }
    }
    let new = doc.to_string();
    if new != text {
        std::fs::write(&manifest, new)
            .map_err(|e| format!("cannot write {}: {e}", manifest.display()))?;
    }
    Ok(())
}

/// A `path = "..."` that does not exist from the copy becomes the absolute path it names from the working tree.
fn absolutize(dep: &mut Item, base_dir: &Path, current_dir: &Path) {
    let Some(table) = dep.as_table_like_mut() else {
        return;
    };
    let Some(path) = table.get("path").and_then(Item::as_str).map(PathBuf::from) else {
        return;
    };
    if path.is_absolute() || base_dir.join(&path).join("Cargo.toml").is_file() {
        return;
    }
    let absolute = current_dir.join(&path);
    table.insert(
        "path",
        Item::Value(Value::from(absolute.to_string_lossy().replace('\\', "/"))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_is_renamed_and_its_outside_paths_made_absolute() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().join("base/demo");
        let current = tmp.path().join("ws/demo");
        std::fs::create_dir_all(base.join("../sibling")).unwrap();
        std::fs::write(base.join("../sibling/Cargo.toml"), "").unwrap();
        std::fs::write(
            base.join("Cargo.toml"),
            "[package]\nname = \"demo\" # the demo\nversion = \"0.1.0\"\n\n[dependencies]\n\
             macros = { path = \"../../macros\" }\nsibling = { path = \"../sibling\" }\nserde = \"1\"\n",
        )
        .unwrap();
        prepare_package(&base, &current, "demo").unwrap();
        let text = std::fs::read_to_string(base.join("Cargo.toml")).unwrap();
        assert!(text.contains("name = \"demo-abuse-before\""), "{text}");
        let macros = current
            .join("../../macros")
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            text.contains(&format!("macros = {{ path = \"{macros}\" }}")),
            "{text}"
        );
        assert!(
            text.contains("sibling = { path = \"../sibling\" }"),
            "{text}"
        );
        assert!(text.contains("serde = \"1\""), "{text}");
        // Twice is the same.
        prepare_package(&base, &current, "demo").unwrap();
        assert_eq!(
            std::fs::read_to_string(base.join("Cargo.toml")).unwrap(),
            text
        );
    }

    #[test]
    fn a_package_missing_at_the_base_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let err = prepare_package(tmp.path(), tmp.path(), "demo").unwrap_err();
        assert!(err.contains("does not exist at the base revision"), "{err}");
    }
}
