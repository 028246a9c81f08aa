//! End-to-end: `cargo abuse run` on copies of `fixtures/demo`: planted bugs caught and correct functions
//! passing, exit codes, the JUnit/SARIF/Markdown outputs, and failing inputs kept as regression tests.
//!
//! These really build and run harnesses, all in one shared target dir and one at a time ([`util::build_lock`]).

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use util::{
    build_lock, cargo, cargo_abuse, cargo_abuse_shared, copy_fixture, fix_demo_bugs, read, run,
    run_records,
};

/// Fixed so the run is reproducible; enough cases for the attack strategies to reach each planted bug.
const SEED: &str = "7";
const CASES: &str = "100";

const BUGGY: [&str; 3] = ["truncate", "mean", "Recent::get"];
const CORRECT: [&str; 9] = [
    "parse_port",
    "to_hex",
    "normalize_whitespace",
    "clamp_percent",
    "Recent::new",
    "Recent::push",
    "Ring::new",
    "Ring::push",
    "Ring::pop",
];
/// Types whose bug only a sequence of calls reaches (their rows are the type's `sequence` property).
const SEQUENCE_BUGGY: [&str; 2] = ["Recent", "Ring"];

fn gen(dir: &Path) {
    let (code, _, err) = run(cargo_abuse(dir).args(["gen", "-q"]));
    assert_eq!(code, 0, "{err}");
}

fn failed_properties(record: &Value) -> Vec<String> {
    record["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .filter(|p| p["outcome"] == "fail")
        .map(|p| p["property"].as_str().expect("property").to_string())
        .collect()
}

fn sarif_validator() -> jsonschema::Validator {
    let mut schema: Value =
        serde_json::from_str(include_str!("data/sarif-schema-2.1.0.json")).expect("schema");
    // The published schema's `language` patterns have a stray `]` that the draft-07 meta-schema's
    // `format: regex` rejects (see report.rs's tests); only this in-memory copy is mended.
    for def in ["run", "toolComponent"] {
        let language = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
        assert_eq!(language, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
        *language = Value::String("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string());
    }
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

#[test]
fn planted_bugs_fail_correct_functions_pass_and_failing_inputs_become_regression_tests() {
    let fx = copy_fixture("demo");
    gen(&fx.dir);
    let out_dir = fx.dir.parent().expect("fixtures dir");
    let (junit, sarif, markdown) = (
        out_dir.join("abuse.xml"),
        out_dir.join("abuse.sarif"),
        out_dir.join("abuse.md"),
    );
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let mut cmd = cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--cases", CASES, "--seed", SEED],
    );
    cmd.arg("--junit")
        .arg(&junit)
        .arg("--sarif")
        .arg(&sarif)
        .arg("--markdown")
        .arg(&markdown);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 1, "a failed property is exit 1\n{out}\n{err}");
    let (records, summary) = run_records(&out);

    // Per function: every planted bug fails `no_panic` with a pasteable input; every correct function passes.
    for name in BUGGY {
        let r = &records[name];
        assert_eq!(r["status"], "fail", "{name}: {r:#}");
        assert!(
            failed_properties(r).contains(&"no_panic".to_string()),
            "{name}: {r:#}"
        );
        for p in r["properties"]
            .as_array()
            .expect("properties")
            .iter()
            .filter(|p| p["outcome"] == "fail")
        {
            let input = p["input"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: an input: {p:#}"));
            syn::parse_str::<syn::Expr>(input)
                .unwrap_or_else(|e| panic!("{name}: input `{input}` is not Rust: {e}"));
            assert_eq!(p["rule"], "abuse/panic", "{name}: {p:#}");
            assert!(
                p["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("panicked")),
                "{name}: {p:#}"
            );
        }
    }
    assert!(records["truncate"]["properties"][0]["message"]
        .as_str()
        .unwrap()
        .contains("char boundary"));
    assert!(
        records["mean"]["properties"]
            .to_string()
            .contains("overflow"),
        "{:#}",
        records["mean"]
    );
    for name in CORRECT {
        let r = &records[name];
        assert_eq!(r["status"], "pass", "{name}: {r:#}");
        assert!(
            r["properties"]
                .as_array()
                .expect("properties")
                .iter()
                .all(|p| p["outcome"] == "pass"),
            "{r:#}"
        );
    }
    assert!(records["to_hex"]["properties"]
        .to_string()
        .contains("roundtrip"));
    assert!(records["normalize_whitespace"]["properties"]
        .to_string()
        .contains("idempotent"));
    assert!(records["parse_port"]["properties"]
        .to_string()
        .contains("ensures"));
    for name in SEQUENCE_BUGGY {
        let r = &records[name];
        assert_eq!(r["status"], "fail", "{name}: {r:#}");
        assert!(
            failed_properties(r).contains(&"sequence".to_string()),
            "{name}: {r:#}"
        );
    }
    // 9 functions of their own plus the 3 of `Ring`, and one sequence row per type with several methods.
    assert_eq!(records.len(), 14);
    assert_eq!(summary["functions"], 14);
    assert_eq!(summary["functions_failed"], 5);
    assert_eq!(summary["ok"], false);
    assert!(err.contains(&format!("Seed {SEED}")), "{err}");

    // JUnit: well-formed XML whose counts agree with the records.
    let xml = read(&junit);
    let doc = roxmltree::Document::parse(&xml)
        .unwrap_or_else(|e| panic!("JUnit is not XML ({e}):\n{xml}"));
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failures = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .count();
    let props = |k: &str| summary[k].as_u64().expect("count") as usize;
    assert_eq!(
        cases.len(),
        props("properties_passed") + props("properties_failed") + props("properties_not_run")
    );
    assert_eq!(failures, props("properties_failed"));
    let root = doc.root_element();
    assert_eq!(
        root.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        root.attribute("failures"),
        Some(failures.to_string().as_str())
    );
    assert!(cases
        .iter()
        .any(|c| c.attribute("classname") == Some("demo::truncate")
            && c.attribute("name") == Some("no_panic")
            && c.children().any(|f| f.has_tag_name("failure"))));

    // SARIF: valid 2.1.0, one result per failure, located at the function.
    let log: Value = serde_json::from_str(&read(&sarif)).expect("SARIF is JSON");
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF does not validate: {errors:#?}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    // One result per root cause: failures grouped under another (`same_as`) are named in its message.
    let grouped = records
        .values()
        .flat_map(|r| r["properties"].as_array().expect("properties").iter())
        .filter(|p| p["outcome"] == "fail" && !p["same_as"].is_null())
        .count();
    assert_eq!(results.len(), failures - grouped);
    let truncate = results
        .iter()
        .find(|r| {
            r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "demo::truncate"
        })
        .expect("a result for truncate");
    assert_eq!(truncate["ruleId"], "abuse/panic");
    assert_eq!(
        truncate["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "src/lib.rs"
    );
    assert_eq!(
        truncate["locations"][0]["physicalLocation"]["region"]["startLine"],
        records["truncate"]["line"]
    );

    let md = read(&markdown);
    assert!(
        md.contains("`demo::truncate`") && md.contains("```rust"),
        "{md}"
    );

    // The failing inputs are kept as values, as named regression tests.
    let regressions = read(&fx.dir.join("tests/abuse/regressions.rs"));
    syn::parse_file(&regressions).expect("regressions.rs parses");
    for (module, name) in [
        ("truncate", "truncate"),
        ("mean", "mean"),
        ("recent__get", "Recent::get"),
    ] {
        let input = records[name]["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["property"] == "no_panic")
            .and_then(|p| p["input"].as_str())
            .expect("input");
        assert!(
            regressions.contains(&format!("fn {module}__no_panic_")),
            "{module}:\n{regressions}"
        );
        // Compared without whitespace: inside `vec![...]` the value is re-spaced (`- 2i32`).
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        assert!(
            squash(&regressions).contains(&squash(input)),
            "{input} kept as a value:\n{regressions}"
        );
    }

    // Plain `cargo test` of the generated target now fails on the regression tests, on stable, without the tool.
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::"],
    ));
    assert_ne!(code, 0, "{out}\n{err}");
    for module in ["truncate", "mean", "recent__get"] {
        assert!(
            out.lines().any(
                |l| l.starts_with(&format!("test regressions::{module}__no_panic_"))
                    && l.ends_with("FAILED")
            ),
            "{module}:\n{out}"
        );
    }

    // Once the bugs are fixed in the copy, the same regression tests pass.
    fix_demo_bugs(&fx.dir);
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::"],
    ));
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("test result: ok."), "{out}");
}

#[test]
fn plain_cargo_test_names_the_property_and_a_pasteable_input_at_the_functions_line() {
    let fx = copy_fixture("demo");
    gen(&fx.dir);
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let mut cmd = cargo(&fx.dir, &["test", "--test", "abuse"]);
    cmd.env("ABUSE_CASES", CASES).env("ABUSE_SEED", SEED);
    let (code, out, err) = run(&mut cmd);
    assert_eq!(code, 101, "cargo test fails\n{out}\n{err}");
    let failed: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("test ")?.strip_suffix(" ... FAILED"))
        .collect();
    for t in [
        "truncate::no_panic",
        "mean::no_panic",
        "recent__get::no_panic",
    ] {
        assert!(failed.contains(&t), "{t} fails: {failed:?}");
    }
    for module in [
        "parse_port",
        "to_hex",
        "normalize_whitespace",
        "clamp_percent",
        "recent__new",
        "recent__push",
    ] {
        assert!(
            !failed.iter().any(|t| t.starts_with(&format!("{module}::"))),
            "{module} passes: {failed:?}"
        );
    }
    let mut inputs = BTreeMap::new();
    let mut current = None;
    for line in out.lines() {
        if let Some(rest) = line
            .strip_prefix("cargo-abuse: `")
            .filter(|r| r.contains("` failed property `"))
        {
            current = rest.split('`').next().map(str::to_string);
        }
        if let (Some(f), Some(input)) = (&current, line.trim().strip_prefix("input:")) {
            inputs.insert(f.clone(), input.trim().to_string());
        }
    }
    for f in ["demo::truncate", "demo::mean", "demo::Recent::get"] {
        let input = inputs
            .get(f)
            .unwrap_or_else(|| panic!("a failure report for {f}:\n{out}"));
        syn::parse_str::<syn::Expr>(input)
            .unwrap_or_else(|e| panic!("{f}: `{input}` is not Rust: {e}"));
    }
    assert!(out.contains("failed property `no_panic`"), "{out}");
    // The report names the function's real location (`src/lib.rs:46` for truncate), not line 0.
    assert!(
        !out.contains("src/lib.rs:0)"),
        "failure report says line 0:\n{}",
        out.lines()
            .filter(|l| l.contains("function:"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn run_exits_0_when_everything_holds_and_1_on_a_policy_violation() {
    let fx = copy_fixture("demo");
    fix_demo_bugs(&fx.dir);
    gen(&fx.dir);
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--cases", "32", "--seed", SEED],
    ));
    assert_eq!(code, 0, "all held\n{out}\n{err}");
    let (records, summary) = run_records(&out);
    assert!(
        records.values().all(|r| r["status"] == "pass"),
        "{records:#?}"
    );
    assert_eq!(summary["ok"], true);

    let manifest = fx.dir.join("Cargo.toml");
    let text = read(&manifest);
    std::fs::write(
        &manifest,
        format!("{text}\n[package.metadata.abuse.policy]\nrequired = [\"reviewer\"]\n"),
    )
    .expect("write");
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--cases", "32", "--seed", SEED],
    ));
    assert_eq!(code, 1, "a policy violation is exit 1\n{out}\n{err}");
    let (records, summary) = run_records(&out);
    let violations = &records["truncate"]["violations"];
    assert_eq!(violations[0]["rule"], "abuse/missing-key", "{violations:#}");
    assert!(
        violations[0]["message"]
            .as_str()
            .unwrap()
            .contains("reviewer"),
        "{violations:#}"
    );
    assert_eq!(
        records["parse_port"]["violations"],
        serde_json::json!([]),
        "parse_port has a reviewer"
    );
    assert_eq!(summary["ok"], false);
}

#[test]
fn run_exits_2_on_a_bad_shard_and_on_unparseable_source() {
    let fx = copy_fixture("demo");
    gen(&fx.dir);
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["run", "--shard", "3/2"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("3/2"), "{err}");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["run", "--shard", "x"]));
    assert_eq!(code, 2, "{err}");

    let lib = fx.dir.join("src/lib.rs");
    std::fs::write(&lib, format!("{}\npub fn broken( {{\n", read(&lib))).expect("write");
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, _, err) = run(&mut cargo_abuse_shared(&fx.dir, &["run", "--cases", "8"]));
    assert_eq!(code, 2, "unparseable source is a tool error: {err}");
    assert!(err.contains("src/lib.rs:"), "says where: {err}");
}

/// The README's quick start (`run --seed 1` on the demo as shipped) fails on its planted bugs and keeps nothing
/// new: their seed-1 inputs are committed, so a change of strategies or shrinking that moves them must update
/// `fixtures/demo/tests/abuse/regressions.rs` (the quick start would otherwise edit the checkout).
#[test]
fn the_quick_start_on_seed_1_keeps_nothing_new() {
    // The demo as shipped: what `gen` writes (`gen.rs` checks it is the same) and the kept inputs.
    let fx = copy_fixture("demo");
    gen(&fx.dir);
    let regressions = fx.dir.join("tests/abuse/regressions.rs");
    let before = read(&util::repo_root().join("fixtures/demo/tests/abuse/regressions.rs"));
    std::fs::write(&regressions, &before).expect("write regressions.rs");
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(&fx.dir, &["run", "--seed", "1"]));
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("5 failed"), "{out}");
    assert!(!err.contains("Kept"), "{err}");
    assert_eq!(read(&regressions), before, "{err}");
}
