//! `cargo abuse run --since REV` end to end, on a git history made in the test: a refactor that keeps
//! behaviour, an edit that changes it on a narrow class of inputs, a changed signature, a new function, and a
//! base revision that does not build.

mod util;

use std::path::Path;
use std::process::Command;

use util::{cargo_abuse_shared, read, repo_root, run};

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args([
            "-c",
            "user.name=Test Owner",
            "-c",
            "user.email=owner@example.com",
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A package `calc` with `lib` as its library, committed with its harnesses; the temp dir is the repository.
fn repo(lib: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let root = repo_root().to_string_lossy().replace('\\', "/");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [workspace]\n\n[dependencies]\nabuse-macros = {{ path = \"{root}/abuse-macros\" }}\n\n\
             [package.metadata.abuse]\nruntime-path = \"{root}/abuse-runtime\"\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib).unwrap();
    std::fs::write(dir.join(".gitignore"), "target/\n").unwrap();
    git(dir, &["init", "-q"]);
    gen(dir);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "base"]);
    tmp
}

fn gen(dir: &Path) {
    let (code, _, err) = run(&mut cargo_abuse_shared(dir, &["gen"]));
    assert_eq!(code, 0, "{err}");
}

const BASE: &str = r#"use abuse_macros::ai_generated;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortError {
    NotANumber,
    OutOfRange,
    LeadingZero,
}

#[ai_generated(prompt = "Parse a TCP port", test_owner = "bob")]
pub fn parse_port(s: &str) -> Result<u16, PortError> {
    let n: u32 = s.parse().map_err(|_| PortError::NotANumber)?;
    if n == 0 || n > 65535 {
        return Err(PortError::OutOfRange);
    }
    Ok(n as u16)
}

#[ai_generated(prompt = "Sum of two numbers, saturating", test_owner = "bob")]
pub fn add_sat(a: i32, b: i32) -> i32 {
    a.saturating_add(b)
}

#[ai_generated(prompt = "Double a number", test_owner = "bob")]
pub fn double(x: u32) -> u32 {
    x.wrapping_mul(2)
}

#[ai_generated(prompt = "Length of a string in bytes", test_owner = "bob")]
pub fn byte_len(s: &str) -> usize {
    s.len()
}
"#;

/// The edits on top of [`BASE`]: a narrow behaviour change, a refactor, a new parameter type, a new function;
/// `byte_len` is untouched.
fn edited() -> String {
    BASE.replace(
        "    let n: u32 = s.parse()",
        "    if s.len() > 1 && s.starts_with('0') {\n        return Err(PortError::LeadingZero);\n    }\n    let n: u32 = s.parse()",
    )
    .replace(
        "    a.saturating_add(b)",
        "    match a.checked_add(b) {\n        Some(v) => v,\n        None if b > 0 => i32::MAX,\n        None => i32::MIN,\n    }",
    )
    .replace("pub fn double(x: u32) -> u32 {", "pub fn double(x: u64) -> u64 {")
        + "\n#[ai_generated(prompt = \"Triple a number\", test_owner = \"bob\")]\npub fn triple(x: u32) -> u32 {\n    x.wrapping_mul(3)\n}\n"
}

/// The JSON lines of `run --json`.
fn records(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not json ({e}): {l}")))
        .collect()
}

/// The `behaviour` record's entry of one function.
fn function(records: &[serde_json::Value], name: &str) -> serde_json::Value {
    let behaviour = records
        .iter()
        .find(|r| r["record"] == "behaviour")
        .unwrap_or_else(|| panic!("no behaviour record: {records:#?}"));
    behaviour["functions"]
        .as_array()
        .expect("behaviour.functions")
        .iter()
        .find(|f| f["function"] == name)
        .unwrap_or_else(|| panic!("no behaviour entry for {name}: {behaviour:#}"))
        .clone()
}

#[test]
fn run_since_finds_the_narrow_change_keeps_the_refactor_and_skips_the_new_signature() {
    let _guard = util::build_lock();
    let tmp = repo(BASE);
    let dir = tmp.path();
    std::fs::write(dir.join("src/lib.rs"), edited()).unwrap();
    gen(dir);
    let md = dir.join("summary.md");
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &[
            "run",
            "--since",
            "HEAD",
            "--json",
            "--cases",
            "1000",
            "--markdown",
            md.to_str().unwrap(),
        ],
    ));
    // A behaviour change is information: the run still passes.
    assert_eq!(code, 0, "{out}\n{err}");
    let json = records(&out);

    let port = function(&json, "parse_port");
    assert_eq!(port["verdict"], "changed", "{port:#}");
    let first = &port["differences"][0];
    let call = first["call"].as_str().unwrap();
    assert!(call.starts_with("parse_port(\"0"), "{call}");
    assert_eq!(first["now"], "Err(LeadingZero)", "{first:#}");
    assert_ne!(first["before"], first["now"]);

    // No false difference in 1,000 cases.
    let sum = function(&json, "add_sat");
    assert_eq!(sum["verdict"], "unchanged", "{sum:#}");
    assert_eq!(sum["cases"], 1000, "{sum:#}");

    let double = function(&json, "double");
    assert_eq!(double["verdict"], "not_compared");
    assert!(
        double["reason"].as_str().unwrap().starts_with(
            "signature changed: `pub fn double(x: u32) -> u32` → `pub fn double(x: u64) -> u64`"
        ),
        "{double:#}"
    );
    let triple = function(&json, "triple");
    assert_eq!(triple["verdict"], "not_compared");
    assert!(triple["reason"]
        .as_str()
        .unwrap()
        .starts_with("new function"));
    // An unchanged function is not rerun.
    let behaviour = json.iter().find(|r| r["record"] == "behaviour").unwrap();
    assert!(behaviour["functions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["function"] != "byte_len"));

    let summary = read(&md);
    assert!(summary.contains("### Behaviour since `HEAD`"), "{summary}");
    assert!(summary.contains("| call | before | now |"), "{summary}");
    assert!(
        summary.contains("✅ no behaviour change in 1000 cases"),
        "{summary}"
    );

    // The PR report shows the last comparison beside the prompt and the diff.
    let (code, pr, err) = run(&mut cargo_abuse_shared(
        dir,
        &["report", "--since", "HEAD", "--format", "json"],
    ));
    assert_eq!(code, 0, "{err}");
    let pr: serde_json::Value = serde_json::from_str(&pr).unwrap();
    let entry = pr["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["function"] == "parse_port")
        .unwrap();
    assert_eq!(entry["behaviour"]["verdict"], "changed", "{entry:#}");

    // Under `behaviour-change = "error"` the same change fails the run; the terminal shows the call.
    let manifest = dir.join("Cargo.toml");
    let text = read(&manifest);
    std::fs::write(
        &manifest,
        text.replace(
            "[package.metadata.abuse]\n",
            "[package.metadata.abuse]\npolicy = { behaviour-change = \"error\" }\n",
        ),
    )
    .unwrap();
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["run", "--since", "HEAD", "--cases", "200"],
    ));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(
        out.contains("~ calc::parse_port: behaviour changed"),
        "{out}"
    );
    assert!(out.contains("parse_port(\"0"), "{out}");
    assert!(
        out.contains("= calc::add_sat: no behaviour change in 200 cases"),
        "{out}"
    );
}

#[test]
fn a_base_revision_that_does_not_build_is_named_and_the_run_goes_on() {
    let _guard = util::build_lock();
    let broken = BASE.to_string() + "\npub fn broken() -> u32 {\n    \"not a number\"\n}\n";
    let tmp = repo(&broken);
    let dir = tmp.path();
    std::fs::write(
        dir.join("src/lib.rs"),
        BASE.replace("a.saturating_add(b)", "a.saturating_add(b).max(i32::MIN)"),
    )
    .unwrap();
    gen(dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["run", "--since", "HEAD", "--json", "--cases", "50"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let json = records(&out);
    let sum = function(&json, "add_sat");
    assert_eq!(sum["verdict"], "not_compared", "{sum:#}");
    let reason = sum["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("the base revision ") && reason.contains("does not build: "),
        "{reason}"
    );
    assert!(reason.contains("error"), "{reason}");
    // The property tests still ran.
    assert!(
        json.iter()
            .any(|r| r["record"] == "function" && r["function"] == "add_sat"),
        "{out}"
    );
}
