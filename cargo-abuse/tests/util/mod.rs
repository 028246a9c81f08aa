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
        // Drop what `gen` added to a fixture that ships its harnesses: the runtime line and, if that empties it,
        // the `[dev-dependencies]` table.
        let lines: Vec<&str> = text.lines().collect();
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| {
                let empty_table = **l == "[dev-dependencies]"
                    && lines[i + 1..]
                        .iter()
                        .take_while(|n| !n.starts_with('['))
                        .all(|n| n.trim().is_empty() || n.starts_with("abuse-runtime = "));
                !l.starts_with("abuse-runtime = ") && !empty_table
            })
            .map(|(_, l)| *l)
            .collect();
        let fixed: String = kept
            .iter()
            .map(|l| format!("{l}\n"))
            .collect::<String>()
            .replace("path = \"../../../", &format!("path = \"{root}/"))
            .replace("path = \"../../", &format!("path = \"{root}/"));
        std::fs::write(&manifest, fixed).expect("write manifest");
    }
    // `tests/` held only the shipped harnesses.
    let _ = std::fs::remove_dir(dir.join("tests"));
    Fixture { _tmp: tmp, dir }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create dir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("dir entry");
        let name = entry.file_name();
        // A fixture may ship its generated harnesses (the demo does, for the README); tests start from the
        // sources alone, as a user's crate does before its first `gen`.
        if name == "target"
            || name == "Cargo.lock"
            || name == "fuzz"
            || (name == "abuse" && from.ends_with("tests"))
        {
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
    // `gen`'s compile check builds each fixture's harnesses; the tests of it (`compile_check.rs`) turn it
    // back on, the others test what is written.
    cmd.env("CARGO_ABUSE_NO_COMPILE_CHECK", "1");
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

/// The one target dir every test shares for building fixtures' generated tests, so proptest, the runtime
/// and friends compile once for the whole suite.
pub fn shared_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures-target")
}

/// Serialises the commands that build and run harnesses in [`shared_target`]: `run` and `sign` keep their
/// records under `<target>/abuse/records/<package>`, so two copies of one fixture must not run at once.
pub fn build_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

/// [`cargo_abuse`] with `--target-dir` set to [`shared_target`] after the subcommand `args`.
pub fn cargo_abuse_shared(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = cargo_abuse(dir);
    // The same flags as [`cargo`], so both reuse one set of artifacts whatever the outer build's RUSTFLAGS.
    cmd.args(args)
        .arg("--target-dir")
        .arg(shared_target())
        .env_remove("RUSTFLAGS");
    cmd
}

/// Plain `cargo <args>` in `dir`, hermetic like [`cargo_abuse`], building into [`shared_target`].
pub fn cargo(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.args(args).current_dir(dir);
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("CARGO_ABUSE_")
            || k.starts_with("ABUSE_")
            || matches!(
                k.as_ref(),
                "CARGO_TERM_COLOR" | "NO_COLOR" | "CLICOLOR" | "CLICOLOR_FORCE" | "RUSTFLAGS"
            )
        {
            cmd.env_remove(&key);
        }
    }
    cmd.env("CARGO_TARGET_DIR", shared_target())
        .env("CARGO_TERM_COLOR", "never");
    cmd
}

/// Reads a file of the copy as text.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Replaces exactly one occurrence of `from` in the file with `to`.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` occurs once in {}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).expect("write edited file");
}

/// Every file under `dir` except `target/`, relative, with its bytes and modification time.
pub fn snapshot_tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    walk(dir)
        .into_iter()
        .filter(|p| {
            !p.strip_prefix(dir)
                .expect("under dir")
                .starts_with("target")
        })
        .map(|p| {
            let meta = std::fs::metadata(&p).expect("metadata");
            let bytes = std::fs::read(&p).expect("read");
            (
                p.strip_prefix(dir).expect("under dir").to_path_buf(),
                bytes,
                meta.modified().expect("mtime"),
            )
        })
        .collect()
}

/// The generated Rust files of a package copy (harnesses, in-crate harnesses, fuzz targets), relative, sorted.
pub fn generated_rust_files(dir: &Path) -> Vec<PathBuf> {
    walk(dir)
        .into_iter()
        .map(|p| p.strip_prefix(dir).expect("under dir").to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "rs")
                && (p.starts_with("tests/abuse")
                    || p.starts_with("src/abuse_tests")
                    || p.starts_with("src/abuse_tests.rs")
                    || p.starts_with("fuzz/fuzz_targets"))
        })
        .collect()
}

/// Parses `stdout` of `run --json`: (function records by function path, the summary record).
pub fn run_records(
    stdout: &str,
) -> (
    std::collections::BTreeMap<String, serde_json::Value>,
    serde_json::Value,
) {
    let mut functions = std::collections::BTreeMap::new();
    let mut summary = serde_json::Value::Null;
    for line in stdout.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON line ({e}): {line}"));
        match v["record"].as_str() {
            Some("function") => {
                functions.insert(v["function"].as_str().expect("function").to_string(), v);
            }
            Some("summary") => summary = v,
            other => panic!("unknown record kind {other:?}: {line}"),
        }
    }
    (functions, summary)
}

/// Sets every file of the copy (but `target/`) to "now". Call right after [`build_lock`], before building a
/// copy in [`shared_target`]: cargo names a path package's artifacts by its path *relative to its workspace*,
/// so copies of one fixture share artifact names, and a copy whose files are older than another copy's
/// build would be taken as fresh and run the other copy's test binary.
pub fn touch_all(dir: &Path) {
    let now = std::time::SystemTime::now();
    for path in walk(dir)
        .into_iter()
        .filter(|p| !p.strip_prefix(dir).is_ok_and(|r| r.starts_with("target")))
    {
        let file = std::fs::File::options()
            .write(true)
            .open(&path)
            .expect("open to touch");
        file.set_modified(now).expect("set mtime");
    }
}

/// Fixes the three planted bugs of the demo in place.
pub fn fix_demo_bugs(dir: &Path) {
    let lib = dir.join("src/lib.rs");
    edit(
        &lib,
        "&s[..n]",
        "&s[..s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)]",
    );
    edit(&lib, "if s.len() <= n {", "if s.chars().count() <= n {");
    edit(
        &lib,
        "let sum: i32 = values.iter().sum();",
        "let sum: i64 = values.iter().map(|v| i64::from(*v)).sum();",
    );
    edit(
        &lib,
        "Some(sum / values.len() as i32)",
        "Some((sum / values.len() as i64) as i32)",
    );
    edit(
        &lib,
        "if i > self.items.len() {",
        "if i >= self.items.len() {",
    );
    edit(
        &lib,
        "let tail = self.head + self.len;",
        "let tail = (self.head + self.len) % self.buf.len();",
    );
}
