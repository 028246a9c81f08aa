//! toml_edit: adds the runtime dev-dependency and, where cargo would not find it, the `abuse` test target to a
//! package manifest, keeping every other byte of its formatting.

use anyhow::{Context, Result};
use toml_edit::{ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

/// Where the harnesses find `abuse-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDep {
    /// The published version (`"0.1"`).
    Version(String),
    /// A local checkout, as a path relative to the manifest that names it.
    Path(String),
}

impl RuntimeDep {
    /// The TOML value, e.g. `"0.1"` or `{ path = "../abuse-runtime" }`.
    pub fn toml_value(&self) -> String {
        self.toml_value_with(&[])
    }

    /// The TOML value with the runtime's `features` turned on (`{ version = "0.1", features = ["serde"] }`).
    pub fn toml_value_with(&self, features: &[&str]) -> String {
        match (self, features) {
            (RuntimeDep::Version(v), []) => format!("{v:?}"),
            (RuntimeDep::Path(p), []) => format!("{{ path = {p:?} }}"),
            (dep, features) => {
                let (key, value) = match dep {
                    RuntimeDep::Version(v) => ("version", v),
                    RuntimeDep::Path(p) => ("path", p),
                };
                format!("{{ {key} = {value:?}, features = {features:?} }}")
            }
        }
    }
}

/// The manifest text with `abuse-runtime` added under `[dev-dependencies]` with `features` on, or with the
/// `features` it lacks added to the entry already there (as a dev-dependency or a normal one); `None` when
/// nothing is missing.
pub fn with_runtime_dev_dependency(
    manifest: &str,
    dep: &RuntimeDep,
    features: &[&str],
) -> Result<Option<String>> {
    let mut doc: DocumentMut = manifest.parse().context("parsing the package manifest")?;
    for section in ["dev-dependencies", "dependencies"] {
        let Some(entry) = doc
            .get_mut(section)
            .and_then(Item::as_table_like_mut)
            .and_then(|t| t.get_mut("abuse-runtime"))
        else {
            continue;
        };
        return Ok(with_features(entry, features)?.then(|| doc.to_string()));
    }
    let mut table = InlineTable::new();
    let value: Value = match dep {
        RuntimeDep::Version(v) if features.is_empty() => Value::from(v.as_str()),
        RuntimeDep::Version(v) => {
            table.insert("version", Value::from(v.as_str()));
            Value::InlineTable(table)
        }
        RuntimeDep::Path(p) => {
            table.insert("path", Value::from(p.as_str()));
            Value::InlineTable(table)
        }
    };
    let section = doc
        .entry("dev-dependencies")
        .or_insert_with(|| Item::Table(Table::new()));
    let table = section
        .as_table_like_mut()
        .context("`dev-dependencies` in the manifest is not a table")?;
    table.insert("abuse-runtime", Item::Value(value));
    if let Some(entry) = table.get_mut("abuse-runtime") {
        with_features(entry, features)?;
    }
    Ok(Some(doc.to_string()))
}

/// Adds the `features` a dependency entry lacks (a bare version string becomes `{ version = "…", features =
/// […] }`); whether it changed.
fn with_features(entry: &mut Item, features: &[&str]) -> Result<bool> {
    let present = |entry: &Item| -> Vec<String> {
        entry
            .as_table_like()
            .and_then(|t| t.get("features"))
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    };
    let have = present(entry);
    let missing: Vec<&str> = features
        .iter()
        .copied()
        .filter(|f| !have.iter().any(|h| h == f))
        .collect();
    if missing.is_empty() {
        return Ok(false);
    }
    if let Some(version) = entry.as_str().map(str::to_string) {
        let mut table = InlineTable::new();
        table.insert("version", Value::from(version.as_str()));
        *entry = Item::Value(Value::InlineTable(table));
    }
    let table = entry.as_table_like_mut().context(
        "the `abuse-runtime` dependency in the manifest is neither a version nor a table",
    )?;
    match table.get_mut("features").and_then(Item::as_array_mut) {
        Some(list) => missing.iter().for_each(|f| list.push(*f)),
        None => {
            let list: toml_edit::Array = missing.iter().copied().collect();
            table.insert("features", Item::Value(Value::Array(list)));
        }
    }
    Ok(true)
}

/// The test target `gen` writes: its name and its path relative to the package folder.
pub const TEST_TARGET: (&str, &str) = ("abuse", "tests/abuse/main.rs");

/// The `[[test]]` lines that declare [`TEST_TARGET`], as printed for the user to add by hand.
pub fn test_target_lines() -> String {
    format!(
        "[[test]]\nname = {:?}\npath = {:?}\n",
        TEST_TARGET.0, TEST_TARGET.1
    )
}

/// The manifest text with a `[[test]]` entry for [`TEST_TARGET`] appended, or `None` when cargo already
/// builds it: it is declared, or cargo discovers `tests/*/main.rs` by itself (`autotests` not `false`, and in
/// edition 2015 no `[[test]]` list, which turns the discovery off there).
/// `edition` is the package's as cargo resolved it (a manifest may inherit it from the workspace).
pub fn with_abuse_test_target(manifest: &str, edition: &str) -> Result<Option<String>> {
    let mut doc: DocumentMut = manifest.parse().context("parsing the package manifest")?;
    let package = doc.get("package").and_then(Item::as_table_like);
    let autotests = package
        .and_then(|p| p.get("autotests"))
        .and_then(Item::as_bool);
    let edition_2015 = edition == "2015";
    let tests = doc.get("test").and_then(Item::as_array_of_tables);
    let declared = tests.is_some_and(|list| {
        list.iter().any(|t| {
            t.get("name").and_then(Item::as_str) == Some(TEST_TARGET.0)
                || t.get("path")
                    .and_then(Item::as_str)
                    .is_some_and(|p| p.trim_start_matches("./") == TEST_TARGET.1)
        })
    });
    let discovered = autotests != Some(false) && !(edition_2015 && tests.is_some());
    if declared || discovered {
        return Ok(None);
    }
    let mut entry = Table::new();
    entry.insert("name", toml_edit::value(TEST_TARGET.0));
    entry.insert("path", toml_edit::value(TEST_TARGET.1));
    match doc.get_mut("test") {
        Some(item) => item
            .as_array_of_tables_mut()
            .context("`test` in the manifest is not a list of `[[test]]` tables")?
            .push(entry),
        None => {
            let mut list = ArrayOfTables::new();
            list.push(entry);
            doc.insert("test", Item::ArrayOfTables(list));
        }
    }
    Ok(Some(doc.to_string()))
}

/// The features a package declares: the keys of `[features]`, and the optional dependencies that are features
/// of their own (those no `dep:NAME` in `[features]` hides). Sorted; empty when the text does not parse.
pub fn declared_features(manifest: &str) -> Vec<String> {
    let Ok(doc) = manifest.parse::<DocumentMut>() else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut hidden: Vec<String> = Vec::new();
    if let Some(features) = doc.get("features").and_then(Item::as_table_like) {
        for (name, value) in features.iter() {
            out.push(name.to_string());
            if let Some(list) = value.as_array() {
                hidden.extend(
                    list.iter()
                        .filter_map(Value::as_str)
                        .filter_map(|v| v.strip_prefix("dep:"))
                        .map(str::to_string),
                );
            }
        }
    }
    // Optional dependencies, in `[dependencies]` and in every `[target.'cfg'.dependencies]`.
    let mut tables: Vec<&dyn toml_edit::TableLike> = Vec::new();
    if let Some(deps) = doc.get("dependencies").and_then(Item::as_table_like) {
        tables.push(deps);
    }
    if let Some(targets) = doc.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            if let Some(deps) = target.get("dependencies").and_then(Item::as_table_like) {
                tables.push(deps);
            }
        }
    }
    for deps in tables {
        for (name, dep) in deps.iter() {
            let optional = dep
                .as_table_like()
                .and_then(|t| t.get("optional"))
                .and_then(Item::as_bool)
                .unwrap_or(false);
            if optional && !hidden.iter().any(|h| h == name) {
                out.push(name.to_string());
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autotests_off_gets_the_test_target_and_keeps_formatting() {
        let manifest = "[package]\nname = \"x\" # keep\nedition = \"2021\"\nautotests = false\n\n[dependencies]\nfoo = \"1\"\n";
        let out = with_abuse_test_target(manifest, "2021").unwrap().unwrap();
        assert!(out.starts_with(manifest), "{out}");
        assert!(
            out.ends_with(&format!("\n{}", test_target_lines())),
            "{out}"
        );
        // Once there, nothing more is added.
        assert_eq!(with_abuse_test_target(&out, "2021").unwrap(), None);
    }

    #[test]
    fn a_test_list_without_it_gets_it_appended() {
        let manifest = "[package]\nname = \"x\"\nautotests = false\n\n[[test]]\nname = \"other\"\npath = \"tests/other.rs\"\n";
        let out = with_abuse_test_target(manifest, "2018").unwrap().unwrap();
        assert!(out.starts_with(manifest), "{out}");
        assert!(
            out.contains("[[test]]\nname = \"abuse\"\npath = \"tests/abuse/main.rs\""),
            "{out}"
        );
        // Edition 2015 (the default): a `[[test]]` list turns discovery off even without `autotests`.
        let manifest =
            "[package]\nname = \"x\"\n\n[[test]]\nname = \"other\"\npath = \"tests/other.rs\"\n";
        assert!(with_abuse_test_target(manifest, "2015").unwrap().is_some());
    }

    #[test]
    fn discovered_or_declared_targets_are_left_alone() {
        for (manifest, edition) in [
            ("[package]\nname = \"x\"\n", "2015"),
            ("[package]\nname = \"x\"\n[[test]]\nname = \"other\"\npath = \"t.rs\"\n", "2018"),
            ("[package]\nname = \"x\"\nautotests = false\n[[test]]\nname = \"mine\"\npath = \"tests/abuse/main.rs\"\n", "2021"),
            ("[package]\nname = \"x\"\nautotests = true\n", "2024"),
        ] {
            assert_eq!(with_abuse_test_target(manifest, edition).unwrap(), None, "{manifest}");
        }
    }

    #[test]
    fn adds_the_dev_dependency_and_keeps_formatting() {
        let manifest =
            "[package]\nname = \"x\"   # the name\n\n[dev-dependencies]\nfoo = \"1\" # keep\n";
        let out = with_runtime_dev_dependency(manifest, &RuntimeDep::Version("0.1".into()), &[])
            .unwrap()
            .unwrap();
        assert!(out.starts_with(
            "[package]\nname = \"x\"   # the name\n\n[dev-dependencies]\nfoo = \"1\" # keep\n"
        ));
        assert!(out.contains("abuse-runtime = \"0.1\""));
    }

    #[test]
    fn creates_the_section_with_a_path() {
        let manifest = "[package]\nname = \"x\"\n";
        let out = with_runtime_dev_dependency(manifest, &RuntimeDep::Path("../rt".into()), &[])
            .unwrap()
            .unwrap();
        assert!(
            out.contains("[dev-dependencies]\nabuse-runtime = { path = \"../rt\" }"),
            "{out}"
        );
    }

    #[test]
    fn present_dependency_is_left_alone() {
        let manifest = "[package]\nname = \"x\"\n[dev-dependencies]\nabuse-runtime = \"9\"\n";
        assert_eq!(
            with_runtime_dev_dependency(manifest, &RuntimeDep::Version("0.1".into()), &[]).unwrap(),
            None
        );
    }

    #[test]
    fn declared_features_are_the_features_table_and_the_optional_dependencies_it_does_not_hide() {
        let manifest = "[package]\nname = \"x\"\n[features]\ndefault = [\"std\"]\nstd = []\nzeroize = [\"dep:zeroize\"]\n\
                        [dependencies]\nserde = { version = \"1\", optional = true }\nzeroize = { version = \"1\", optional = true }\nitoa = \"1\"\n\
                        [target.'cfg(unix)'.dependencies]\nlibc = { version = \"0.2\", optional = true }\n";
        assert_eq!(
            declared_features(manifest),
            ["default", "libc", "serde", "std", "zeroize"]
        );
        assert!(declared_features("not toml [").is_empty());
    }

    #[test]
    fn the_serde_feature_is_written_with_the_dependency_or_added_to_it() {
        let manifest = "[package]\nname = \"x\"\n\n[dev-dependencies]\nfoo = \"1\" # keep\n";
        let out =
            with_runtime_dev_dependency(manifest, &RuntimeDep::Path("../rt".into()), &["serde"])
                .unwrap()
                .unwrap();
        assert!(out.starts_with(manifest), "{out}");
        assert!(
            out.contains("abuse-runtime = { path = \"../rt\", features = [\"serde\"] }"),
            "{out}"
        );
        assert_eq!(
            RuntimeDep::Path("../rt".into()).toml_value_with(&["serde"]),
            "{ path = \"../rt\", features = [\"serde\"] }"
        );
        let out =
            with_runtime_dev_dependency(manifest, &RuntimeDep::Version("0.1".into()), &["serde"])
                .unwrap()
                .unwrap();
        assert!(
            out.contains("abuse-runtime = { version = \"0.1\", features = [\"serde\"] }"),
            "{out}"
        );
        // Already there without the feature: the feature is added, every other byte kept.
        let present = "[dev-dependencies]\nabuse-runtime = \"0.1\" # rt\nfoo = \"1\"\n";
        let out =
            with_runtime_dev_dependency(present, &RuntimeDep::Version("0.1".into()), &["serde"])
                .unwrap()
                .unwrap();
        assert!(
            out.contains("abuse-runtime = { version = \"0.1\", features = [\"serde\"] }"),
            "{out}"
        );
        assert!(out.contains("foo = \"1\""), "{out}");
        let present =
            "[dev-dependencies]\nabuse-runtime = { path = \"../rt\", features = [\"x\"] }\n";
        let out =
            with_runtime_dev_dependency(present, &RuntimeDep::Version("0.1".into()), &["serde"])
                .unwrap()
                .unwrap();
        assert!(out.contains("features = [\"x\", \"serde\"]"), "{out}");
        // Already on: nothing to do.
        assert_eq!(
            with_runtime_dev_dependency(&out, &RuntimeDep::Version("0.1".into()), &["serde"])
                .unwrap(),
            None
        );
    }
}
