//! End-to-end: `deserialize_with` / `serialize_with` helpers (`fixtures/serde-helpers`) get the runtime's
//! generated-data `Deserializer` and its `Serializer` sink: `gen` turns on the runtime's `serde` feature, `run`
//! finds the planted panic on a huge length, and the helpers that refuse bad data with an error pass.

mod util;

use serde_json::Value;
use util::{build_lock, cargo_abuse, cargo_abuse_shared, copy_fixture, read, run};

fn row<'a>(rows: &'a [Value], function: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["function"] == function)
        .unwrap_or_else(|| panic!("no row for {function}: {rows:#?}"))
}

#[test]
fn serde_helpers_are_fed_generated_data_and_only_the_planted_panic_fails() {
    let fx = copy_fixture("serde-helpers");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["gen", "-q"]));
    assert_eq!(code, 0, "{err}");
    let manifest = read(&fx.dir.join("Cargo.toml"));
    assert!(
        manifest.contains("features = [\"serde\"] }"),
        "the runtime's serde feature is on: {manifest}"
    );
    let harness = read(&fx.dir.join("tests/abuse/padded.rs"));
    assert!(
        harness.contains("serde_helpers::padded::<abuse_runtime::serde::Data>(v0a)"),
        "{harness}"
    );
    let harness = read(&fx.dir.join("tests/abuse/port_to_str.rs"));
    assert!(harness.contains("abuse_runtime::serde::Sink"), "{harness}");

    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--seed", "1", "--json"],
    ));
    assert_eq!(code, 1, "one planted failure: {err}");
    let rows: Vec<Value> = out
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["record"] == "function")
        .collect();
    let padded = row(&rows, "padded");
    assert_eq!(padded["status"], "fail", "{padded}");
    let property = &padded["properties"][0];
    assert!(
        property["message"]
            .as_str()
            .is_some_and(|m| m.contains("out of range for slice of length 64")),
        "{padded}"
    );
    assert!(
        property["input"]
            .as_str()
            .is_some_and(|i| i.starts_with("(abuse_runtime::serde::Data::")),
        "{padded}"
    );
    // An error on bad data (a wrong type, a lying length, a string that is no port) is no finding.
    for function in ["port_from_str", "port_to_str", "capped_list"] {
        let r = row(&rows, function);
        assert_eq!(r["status"], "pass", "{r}");
        assert_eq!(r["properties"][0]["cases"], 256, "{r}");
    }
    // The kept input pastes back as Rust and builds.
    let kept = read(&fx.dir.join("tests/abuse/regressions.rs"));
    assert!(kept.contains("abuse_runtime::serde::Data::"), "{kept}");
    let (code, _, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--seed", "1", "--json"],
    ));
    assert_eq!(code, 1, "{err}");
}
