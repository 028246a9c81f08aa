//! toml_edit: adds the runtime dev-dependency to a package manifest, keeping every other byte of its formatting.

use anyhow::{Context, Result};
use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

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
        match self {
            RuntimeDep::Version(v) => format!("{v:?}"),
            RuntimeDep::Path(p) => format!("{{ path = {p:?} }}"),
        }
    }
}

/// The manifest text with `abuse-runtime` added under `[dev-dependencies]`, or `None` when it is already there
/// (as a dev-dependency or a normal one).
pub fn with_runtime_dev_dependency(manifest: &str, dep: &RuntimeDep) -> Result<Option<String>> {
    let mut doc: DocumentMut = manifest.parse().context("parsing the package manifest")?;
    let has = |section: &str| {
        doc.get(section)
            .and_then(Item::as_table_like)
            .is_some_and(|t| t.contains_key("abuse-runtime"))
    };
    if has("dev-dependencies") || has("dependencies") {
        return Ok(None);
    }
    let value: Value = match dep {
        RuntimeDep::Version(v) => Value::from(v.as_str()),
        RuntimeDep::Path(p) => {
            let mut table = InlineTable::new();
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
    Ok(Some(doc.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_the_dev_dependency_and_keeps_formatting() {
        let manifest =
            "[package]\nname = \"x\"   # the name\n\n[dev-dependencies]\nfoo = \"1\" # keep\n";
        let out = with_runtime_dev_dependency(manifest, &RuntimeDep::Version("0.1".into()))
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
        let out = with_runtime_dev_dependency(manifest, &RuntimeDep::Path("../rt".into()))
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
            with_runtime_dev_dependency(manifest, &RuntimeDep::Version("0.1".into())).unwrap(),
            None
        );
    }
}
