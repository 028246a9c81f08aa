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

/// The 31-polynomial hash of `s`'s bytes: a check the attack mix cannot satisfy by chance or from the literals.
fn hash31(s: &str) -> u32 {
    s.bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)))
}

#[test]
fn a_change_reachable_only_through_a_fuzz_corpus_entry_is_found() {
    let _guard = util::build_lock();
    let base = "use abuse_macros::ai_generated;\n\n\
        #[ai_generated(prompt = \"Length of a tag\", test_owner = \"bob\")]\n\
        pub fn tag_len(s: &str) -> usize {\n    s.len()\n}\n";
    let tmp = repo(base);
    let dir = tmp.path();
    // Only one 9-byte string in practice reaches the new branch: the one the fuzzer kept in the corpus.
    let secret = "zq7731kx!";
    std::fs::write(
        dir.join("src/lib.rs"),
        base.replace(
            "    s.len()\n",
            &format!(
                "    if s.len() == 9 && s.bytes().fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) == {} {{\n        return 0;\n    }}\n    s.len()\n",
                hash31(secret)
            ),
        ),
    )
    .unwrap();
    gen(dir);
    assert!(
        dir.join("fuzz/fuzz_targets/tag_len.rs").is_file(),
        "gen writes a fuzz target"
    );
    let args = ["run", "--since", "HEAD", "--json", "--cases", "300"];
    // Without the corpus the generated inputs miss it.
    let (code, out, err) = run(&mut cargo_abuse_shared(dir, &args));
    assert_eq!(code, 0, "{out}\n{err}");
    let tag = function(&records(&out), "tag_len");
    assert_eq!(tag["verdict"], "unchanged", "{tag:#}");
    assert_eq!(tag["cases"], 300, "{tag:#}");

    // The corpus entry decodes as the fuzz target decodes it (`arbitrary`'s take-rest of `(String,)`: the
    // bytes as UTF-8); the other entry is tried as well.
    let corpus = dir.join("fuzz/corpus/tag_len");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::write(corpus.join("0-other"), b"plain").unwrap();
    std::fs::write(corpus.join("1-found"), secret.as_bytes()).unwrap();
    let (code, out, err) = run(&mut cargo_abuse_shared(dir, &args));
    assert_eq!(code, 0, "{out}\n{err}");
    let tag = function(&records(&out), "tag_len");
    assert_eq!(tag["verdict"], "changed", "{tag:#}");
    let first = &tag["differences"][0];
    assert_eq!(first["call"], format!("tag_len({secret:?})"), "{first:#}");
    assert_eq!(first["before"], "9", "{first:#}");
    assert_eq!(first["now"], "0", "{first:#}");
    // Both corpus files were tried, then the generated inputs.
    assert_eq!(tag["cases"], 302, "{tag:#}");
}

/// The `behaviour` results (the pinned outputs, replayed from the regression file) of one function in `run --json`.
fn pinned_results(records: &[serde_json::Value], name: &str) -> Vec<serde_json::Value> {
    records
        .iter()
        .filter(|r| r["record"] == "function" && r["function"] == name)
        .flat_map(|r| r["properties"].as_array().cloned().unwrap_or_default())
        .filter(|p| p["property"] == "behaviour")
        .collect()
}

#[test]
fn sign_keep_behaviour_pins_the_new_outputs_and_a_later_change_fails_them() {
    let _guard = util::build_lock();
    let tmp = repo(BASE);
    let dir = tmp.path();
    let leading_zero = BASE.replace(
        "    let n: u32 = s.parse()",
        "    if s.len() > 1 && s.starts_with('0') {\n        return Err(PortError::LeadingZero);\n    }\n    let n: u32 = s.parse()",
    );
    std::fs::write(dir.join("src/lib.rs"), &leading_zero).unwrap();
    gen(dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["run", "--since", "HEAD", "--json", "--cases", "300"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let port = function(&records(&out), "parse_port");
    assert_eq!(port["verdict"], "changed", "{port:#}");
    let differences = port["differences"].as_array().unwrap().clone();
    assert!(differences.iter().all(|d| d["now"] == "Err(LeadingZero)"));

    // Signing keeps them; the source gains only the sign-off.
    let regressions = dir.join("tests/abuse/regressions.rs");
    let kept_before = read(&regressions);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["sign", "parse_port", "--owner", "bob", "--keep-behaviour"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(err.contains("Kept "), "{err}");
    let signed = read(&dir.join("src/lib.rs"));
    let at = signed.find(", signed_off = \"").expect("a sign-off");
    let end = at + 16 + signed[at + 16..].find('"').unwrap() + 1;
    let without_sign_off = format!("{}{}", &signed[..at], &signed[end..]);
    assert_eq!(without_sign_off, leading_zero);
    let kept = read(&regressions);
    assert!(kept.starts_with(&kept_before), "appended only:\n{kept}");
    let added = &kept[kept_before.len()..];
    let compact = |s: &str| s.split_whitespace().collect::<String>();
    for d in &differences {
        let input = d["input"].as_str().expect("the input is recorded");
        assert!(
            compact(added).contains(&compact(input)),
            "{input} in\n{added}"
        );
    }
    assert_eq!(
        added.matches("abuse_runtime::Property::Behaviour").count(),
        differences.len(),
        "{added}"
    );
    assert!(added.contains("\"Err(LeadingZero)\""), "{added}");
    // A second sign adds nothing twice.
    let (code, _, err) = run(&mut cargo_abuse_shared(
        dir,
        &["sign", "parse_port", "--owner", "bob", "--keep-behaviour"],
    ));
    assert_eq!(code, 0, "{err}");
    assert_eq!(read(&regressions), kept);

    // A later run replays them and they pass.
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["run", "--json", "--cases", "50"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    let pinned = pinned_results(&records(&out), "parse_port");
    assert_eq!(pinned.len(), differences.len(), "{out}");
    assert!(pinned.iter().all(|p| p["outcome"] == "pass"), "{pinned:#?}");

    // Changing the behaviour again fails them, with both outputs in the message.
    std::fs::write(
        dir.join("src/lib.rs"),
        signed.replace(
            "return Err(PortError::LeadingZero);",
            "return Err(PortError::OutOfRange);",
        ),
    )
    .unwrap();
    gen(dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["run", "--json", "--cases", "50"],
    ));
    assert_eq!(code, 1, "{out}\n{err}");
    let pinned = pinned_results(&records(&out), "parse_port");
    assert!(!pinned.is_empty(), "{out}");
    let failed = pinned
        .iter()
        .find(|p| p["outcome"] == "fail")
        .unwrap_or_else(|| panic!("a pinned output fails: {pinned:#?}"));
    let message = failed["message"].as_str().unwrap();
    assert!(
        message.contains("it was `Err(LeadingZero)`, now `Err(OutOfRange)`"),
        "{message}"
    );
}

#[test]
fn sign_keep_behaviour_without_a_recorded_change_refuses_and_signs_nothing() {
    let _guard = util::build_lock();
    let tmp = repo(BASE);
    let dir = tmp.path();
    let (code, out, err) = run(&mut cargo_abuse_shared(
        dir,
        &["sign", "byte_len", "--owner", "bob", "--keep-behaviour"],
    ));
    assert_eq!(code, 2, "{out}\n{err}");
    assert!(err.contains("nothing to keep"), "{err}");
    assert_eq!(read(&dir.join("src/lib.rs")), BASE);
}
