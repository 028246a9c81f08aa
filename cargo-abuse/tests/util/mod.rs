//! Shared helpers for the end-to-end tests: fixture copies in temp dirs and a hermetic command runner.
//!
//! Use from a test file with `mod util;`. Fixtures are never run in the tree: [`copy_fixture`] copies
//! `fixtures/<name>` to `<tmp>/fixtures/<name>` and points its path dependencies (`../../abuse-macros`,
//! `../../abuse-runtime`, ...) at this checkout, so `cargo metadata` and builds work from the copy.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the workspace holding `fixtures/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("cargo-abuse sits in the repository root")
        .to_path_buf()
}

/// A copy of a fixture; the temp dir is deleted on drop.
pub struct Fixture {
    _tmp: tempfile::TempDir,
    /// The copied package folder (`<tmp>/fixtures/<name>`).
    pub dir: PathBuf,
}

/// Copies `fixtures/<name>` into a fresh temp dir, rewriting `path = "../../<crate>"` dependencies to this
/// checkout's absolute paths.
pub fn copy_fixture(name: &str) -> Fixture {
    let tmp = tempfile::tempdir().expect("create a temp dir");
    let src = repo_root().join("fixtures").join(name);
    assert!(src.is_dir(), "no fixture {}", src.display());
    let dir = tmp.path().join("fixtures").join(name);
    copy_dir(&src, &dir);
    for manifest in walk(&dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "Cargo.toml"))
    {
        let text = std::fs::read_to_string(&manifest).expect("read manifest");
        let root = repo_root().to_string_lossy().replace('\\', "/");
        let fixed = text
            .replace("path = \"../../../", &format!("path = \"{root}/"))
            .replace("path = \"../../", &format!("path = \"{root}/"));
        std::fs::write(&manifest, fixed).expect("write manifest");
    }
    Fixture { _tmp: tmp, dir }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            copy_dir(&path, &to.join(&name));
        } else {
            std::fs::copy(&path, to.join(&name)).expect("copy file");
        }
    }
}

/// Every file under `dir`, sorted.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// `cargo-abuse abuse <args>` in `dir`, as cargo runs it, without the user's `CARGO_ABUSE_*`, colour
/// and target-dir variables.
pub fn cargo_abuse(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-abuse"));
    cmd.arg("abuse").current_dir(dir);
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("CARGO_ABUSE_")
            || matches!(
                k.as_ref(),
                "CARGO_TERM_COLOR"
                    | "CARGO_TARGET_DIR"
                    | "NO_COLOR"
                    | "CLICOLOR"
                    | "CLICOLOR_FORCE"
            )
        {
            cmd.env_remove(&key);
        }
    }
    cmd
}

/// Runs a command, returning (exit code, stdout, stderr).
pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().expect("run cargo-abuse");
    (
        status.code().expect("exited normally, not by a signal"),
        String::from_utf8(stdout).expect("utf-8 stdout"),
        String::from_utf8(stderr).expect("utf-8 stderr"),
    )
}

/// The function paths `list --json` printed, in order.
pub fn listed_paths(stdout: &str) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not json ({e}): {stdout}"));
    json["functions"]
        .as_array()
        .expect("functions array")
        .iter()
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect()
}
