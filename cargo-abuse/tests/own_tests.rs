//! End-to-end: tagged `#[test]` functions of `fixtures/own-tests` get no harness from `gen` and are run as they
//! are by `run`: the passing one passes, the planted wrong expectation and the stack overflow fail with what
//! libtest printed, and the `#[ignore]`d one runs no case and says why. The tagged ordinary function beside
//! them keeps its generated harness.

mod util;

use std::collections::BTreeMap;

use serde_json::Value;
use util::{build_lock, cargo_abuse, cargo_abuse_shared, copy_fixture, run};

fn row<'a>(rows: &'a BTreeMap<String, Value>, function: &str) -> &'a Value {
    rows.get(function)
        .unwrap_or_else(|| panic!("no row for {function}: {rows:#?}"))
}

#[test]
fn tagged_tests_run_as_they_are() {
    let fx = copy_fixture("own-tests");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["gen", "-q"]));
    assert_eq!(code, 0, "{err}");
    // Only `halve` has a harness; no harness names a test.
    let harnesses: Vec<String> = util::generated_rust_files(&fx.dir)
        .iter()
        .filter_map(|p| p.file_stem()?.to_str().map(str::to_string))
        .collect();
    assert!(harnesses.iter().any(|h| h == "halve"), "{harnesses:?}");
    assert!(
        !harnesses
            .iter()
            .any(|h| h.contains("halves") || h.contains("deep")),
        "{harnesses:?}"
    );
    assert!(!fx.dir.join("src/abuse_tests").exists());

    let (_, list, err) = run(cargo_abuse(&fx.dir).args(["list", "--json"]));
    let list: Value = serde_json::from_str(&list).unwrap_or_else(|e| panic!("{e}: {err}"));
    let state = |name: &str| {
        list["functions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == name)
            .map(|f| f["harness"]["state"].clone())
    };
    assert_eq!(
        state("tests::halves_towards_zero"),
        Some("own_test".into()),
        "{list:#}"
    );
    assert_eq!(
        state("tests::halves_everything"),
        Some("unsupported".into()),
        "{list:#}"
    );

    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--seed", "1", "--json"],
    ));
    assert_eq!(code, 1, "{err}");
    let (rows, _) = util::run_records(&out);
    let test = |function: &str| row(&rows, function)["properties"][0].clone();

    let passed = test("tests::halves_towards_zero");
    assert_eq!(
        (&passed["property"], &passed["outcome"], &passed["cases"]),
        (&"test".into(), &"pass".into(), &1.into()),
        "{passed}"
    );

    let wrong = test("tests::halves_odd_up");
    assert_eq!(
        (&wrong["outcome"], &wrong["kind"]),
        (&"fail".into(), &"panic".into()),
        "{wrong}"
    );
    let message = wrong["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with(
            "panicked at src/lib.rs:33:9: assertion `left == right` failed: planted: rounds up"
        ),
        "{wrong}"
    );
    assert!(message.contains("left: 2"), "{wrong}");

    let deep = test("tests::deep_nesting");
    assert_eq!(
        (&deep["outcome"], &deep["kind"]),
        (&"fail".into(), &"crash".into()),
        "{deep}"
    );
    assert_eq!(
        deep["message"], "thread 'tests::deep_nesting' has overflowed its stack",
        "{deep}"
    );

    let ignored = row(&rows, "tests::halves_everything");
    assert_eq!(ignored["status"], "not_run", "{ignored}");
    assert!(
        ignored["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("marked `#[ignore]`"),
        "{ignored}"
    );

    // The ordinary tagged function beside them ran its generated properties.
    let halve = row(&rows, "halve");
    assert_eq!(halve["status"], "pass", "{halve}");
    assert_eq!(halve["properties"][0]["cases"], 256, "{halve}");
    // The live lines name each test's outcome as the table does.
    assert!(
        err.contains("FAILED own_tests::tests::halves_odd_up test (1 cases"),
        "{err}"
    );
    assert!(
        err.contains("ok own_tests::tests::halves_towards_zero test (1 cases"),
        "{err}"
    );

    // `sign` runs a tagged test as `run` does: a passing one is signed, a failing one is not.
    let (code, _, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "tests::halves_towards_zero", "--owner", "bob"],
    ));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["sign", "tests::halves_odd_up", "--owner", "bob"],
    ));
    assert_eq!(code, 1, "{err}");
    let source = util::read(&fx.dir.join("src/lib.rs"));
    assert_eq!(source.matches("signed_off = \"bob ").count(), 1, "{source}");
    assert!(
        source.contains("rounds towards zero\", signed_off = \"bob "),
        "{source}"
    );
}
