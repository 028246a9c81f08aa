//! The ClusterFuzzLite / OSS-Fuzz files for the generated `fuzz/` crates (`gen --clusterfuzzlite`): the same
//! targets, dictionaries and seeds, built by those services' own cargo-fuzz image.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::generate::{
    render_template, with_commented_header, FileKind, Generated, GeneratedFile, VERSION,
};
use crate::model::Inventory;

/// `.clusterfuzzlite/{project.yaml,Dockerfile,build.sh}` at the workspace root, for every package that has fuzz
/// targets in `generated`.
pub fn files(
    inventory: &Inventory,
    generated: &Generated,
    templates: Option<&Path>,
) -> Result<Vec<GeneratedFile>> {
    #[derive(Serialize)]
    struct PackageData {
        dir: String,
        targets: Vec<String>,
    }
    #[derive(Serialize)]
    struct Data {
        version: &'static str,
        project: String,
        packages: Vec<PackageData>,
    }
    let project = Path::new(&inventory.workspace_root)
        .file_name()
        .map_or_else(
            || "project".to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
    let mut packages = Vec::new();
    for package in &inventory.packages {
        let targets: Vec<String> = generated
            .fuzz_targets(&package.name)
            .filter_map(|f| Path::new(&f.path).file_stem()?.to_str())
            .map(str::to_string)
            .collect();
        if !targets.is_empty() {
            let dir = if package.dir.is_empty() {
                ".".to_string()
            } else {
                package.dir.clone()
            };
            packages.push(PackageData { dir, targets });
        }
    }
    if packages.is_empty() {
        return Ok(Vec::new());
    }
    let data = Data {
        version: VERSION,
        project,
        packages,
    };
    let file = |name: &str, template: &str| -> Result<GeneratedFile> {
        Ok(GeneratedFile {
            path: format!(".clusterfuzzlite/{name}"),
            contents: with_commented_header(
                "#",
                &render_template(templates, template, &data)?,
                None,
                VERSION,
            ),
            kind: FileKind::ClusterFuzzLite,
            function: None,
            package: None,
        })
    };
    Ok(vec![
        file("project.yaml", "cflite_project.yaml.hbs")?,
        file("Dockerfile", "cflite_Dockerfile.hbs")?,
        file("build.sh", "cflite_build.sh.hbs")?,
    ])
}
