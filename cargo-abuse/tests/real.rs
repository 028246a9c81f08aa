//! Crates as users have them, not as our fixtures are: `autotests = false`, edition 2015, and a fresh
//! `cargo new` crate set up from the README's "Start from a checkout" steps. Each goes through `gen` then `run`,
//! and its tagged functions run cases.

mod util;

use std::path::Path;

use util::{build_lock, cargo, cargo_abuse, cargo_abuse_shared, read, repo_root, run, run_records};

/// Writes `files` (path, text) under `dir`.
fn write_files(dir: &Path, files: &[(&str, String)]) {
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("has a folder")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
}

fn macros_path() -> String {
    repo_root()
        .join("abuse-macros")
        .to_string_lossy()
        .replace('\\', "/")
}

/// `gen` (exit 0), then `run --json`: the function records, after asserting the run held.
fn gen_and_run(dir: &Path) -> std::collections::BTreeMap<String, serde_json::Value> {
    let (code, _, err) = run(cargo_abuse(dir).args(["gen"]));
    assert_eq!(code, 0, "gen: {err}");
    let _lock = build_lock();
    util::touch_all(dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["run", "--json", "--cases", "16", "--seed", "7"],
    ));
    assert_eq!(code, 0, "run holds\n{out}\n{err}");
    run_records(&out).0
}

/// Every property of the function ran cases and passed.
fn assert_ran(records: &std::collections::BTreeMap<String, serde_json::Value>, function: &str) {
    let r = records
        .get(function)
        .unwrap_or_else(|| panic!("{function} reported: {records:#?}"));
    assert_eq!(r["status"], "pass", "{function}: {r:#}");
    for p in r["properties"].as_array().expect("properties") {
        assert!(p["cases"].as_u64().unwrap_or(0) > 0, "{function}: {p:#}");
    }
}

const LIB: &str = r#"
/// Sum of the bytes.
#[ai_generated(prompt = "sum of the bytes", author = "a", test_owner = "b")]
pub fn checksum(data: &[u8]) -> u32 {
    data.iter().map(|&b| b as u32).sum()
}

pub struct Counter {
    n: u64,
}

impl Counter {
    pub fn new(start: u64) -> Counter {
        Counter { n: start }
    }

    #[ai_generated(prompt = "bump, wrapping", author = "a", test_owner = "b")]
    pub fn bump(&mut self, by: u8) -> u64 {
        self.n = self.n.wrapping_add(by as u64);
        self.n
    }
}

#[ai_generated(prompt = "double, wrapping", author = "a", test_owner = "b")]
fn hidden(x: i32) -> i32 {
    x.wrapping_mul(2)
}

pub fn use_hidden() -> i32 {
    hidden(1)
}

#[cfg(test)]
mod abuse_tests;
"#;

#[test]
fn autotests_false_gets_its_test_target_and_runs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("no-autotests");
    write_files(
        &dir,
        &[
            (
                "Cargo.toml",
                format!(
                    "[package]\nname = \"no-autotests\"\nversion = \"0.1.0\"\nedition = \"2024\"\nautotests = false\n\n[dependencies]\nabuse-macros = {{ path = {:?} }}\n",
                    macros_path()
                ),
            ),
            (
                "src/lib.rs",
                format!("use abuse_macros::ai_generated;\n{LIB}"),
            ),
        ],
    );
    let records = gen_and_run(&dir);
    let manifest = read(&dir.join("Cargo.toml"));
    assert!(
        manifest.ends_with("[[test]]\nname = \"abuse\"\npath = \"tests/abuse/main.rs\"\n"),
        "{manifest}"
    );
    for f in ["checksum", "Counter::bump", "hidden"] {
        assert_ran(&records, f);
    }
}

#[test]
fn no_edit_manifest_prints_the_test_target_lines() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("no-autotests-print");
    let manifest = format!(
        "[package]\nname = \"no-autotests-print\"\nversion = \"0.1.0\"\nedition = \"2021\"\nautotests = false\n\n[dependencies]\nabuse-macros = {{ path = {:?} }}\n",
        macros_path()
    );
    write_files(
        &dir,
        &[
            ("Cargo.toml", manifest.clone()),
            (
                "src/lib.rs",
                format!("use abuse_macros::ai_generated;\n{LIB}"),
            ),
        ],
    );
    let (code, _, err) = run(cargo_abuse(&dir).args(["gen", "--no-edit-manifest"]));
    assert_eq!(code, 1, "lines left for the user: {err}");
    assert!(
        err.contains("[[test]]\nname = \"abuse\"\npath = \"tests/abuse/main.rs\""),
        "{err}"
    );
    assert_eq!(read(&dir.join("Cargo.toml")), manifest);
}

#[test]
fn edition_2015_crate_builds_and_runs() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("old-crate");
    write_files(
        &dir,
        &[
            (
                "Cargo.toml",
                // No `edition`: 2015.
                format!(
                    "[package]\nname = \"old-crate\"\nversion = \"0.1.0\"\n\n[dependencies]\nabuse-macros = {{ path = {:?} }}\n",
                    macros_path()
                ),
            ),
            (
                "src/lib.rs",
                format!("#[macro_use]\nextern crate abuse_macros;\n{LIB}"),
            ),
        ],
    );
    let records = gen_and_run(&dir);
    let main = read(&dir.join("tests/abuse/main.rs"));
    assert!(main.contains("extern crate old_crate;"), "{main}");
    for f in ["checksum", "Counter::bump", "hidden"] {
        assert_ran(&records, f);
    }
}

/// The README's "Start from a checkout" steps, with the built binary standing in for `cargo install`.
#[test]
fn readme_steps_from_a_checkout_work_on_a_fresh_crate() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let (code, _, err) = run(&mut cargo(
        tmp.path(),
        &["new", "--lib", "--vcs", "none", "--offline", "first-crate"],
    ));
    assert_eq!(code, 0, "cargo new: {err}");
    let dir = tmp.path().join("first-crate");
    let (code, _, err) = run(&mut cargo(
        &dir,
        &["add", "--offline", "--path", &macros_path()],
    ));
    assert_eq!(code, 0, "cargo add: {err}");
    std::fs::write(
        dir.join("src/lib.rs"),
        "use abuse_macros::ai_generated;\n\n/// The first `n` characters.\n#[ai_generated(prompt = \"first n characters\", author = \"me\", test_owner = \"me\")]\npub fn prefix(s: &str, n: usize) -> String {\n    s.chars().take(n).collect()\n}\n",
    )
    .expect("tag a function");
    let records = gen_and_run(&dir);
    let manifest = read(&dir.join("Cargo.toml"));
    assert!(
        manifest.contains("abuse-runtime = { path = ")
            && !manifest.contains("abuse-runtime = \"0.1\""),
        "the runtime of the checkout, not the unpublished version:\n{manifest}"
    );
    assert_ran(&records, "prefix");
}

/// A `tests/` (or `fuzz/`) linked out of the package: `gen` refuses, names the link, exits 2, writes nothing.
#[cfg(unix)]
#[test]
fn gen_refuses_a_folder_linked_out_of_the_package() {
    for linked in ["tests", "fuzz"] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let outside = tmp.path().join("elsewhere");
        std::fs::create_dir_all(&outside).expect("mkdir");
        let dir = tmp.path().join("linked");
        write_files(
            &dir,
            &[
                (
                    "Cargo.toml",
                    format!(
                        "[package]\nname = \"linked\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nabuse-macros = {{ path = {:?} }}\n",
                        macros_path()
                    ),
                ),
                ("src/lib.rs", format!("use abuse_macros::ai_generated;\n{LIB}")),
            ],
        );
        std::os::unix::fs::symlink(&outside, dir.join(linked)).expect("symlink");
        let manifest = read(&dir.join("Cargo.toml"));
        let (code, _, err) = run(cargo_abuse(&dir).args(["gen"]));
        assert_eq!(code, 2, "{linked}: {err}");
        assert!(
            err.contains(&format!(
                "`{}` is a symbolic link",
                dir.join(linked).display()
            )),
            "{linked}: {err}"
        );
        assert_eq!(
            std::fs::read_dir(&outside).expect("read").count(),
            0,
            "{linked}: nothing written through the link"
        );
        assert!(
            !dir.join("src/abuse_tests.rs").exists(),
            "{linked}: nothing written at all"
        );
        assert_eq!(
            read(&dir.join("Cargo.toml")),
            manifest,
            "{linked}: manifest untouched"
        );
    }
}
