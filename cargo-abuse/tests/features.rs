//! End-to-end: the feature pass of `cargo abuse run` on a copy of `fixtures/features`: a function compiled only
//! with a feature runs (and its planted panic fails), both definitions of a cfg twin get results, a feature that
//! does not build says why, one that turns on `#![feature]` is built by rustup's nightly when one is installed
//! (and says so otherwise), and `--no-feature-pass` leaves them as the default build does.

mod util;

use serde_json::Value;
use util::{build_lock, cargo_abuse, cargo_abuse_shared, copy_fixture, read, run};

/// The function rows of `run --json`, by (function, line).
fn rows(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["record"] == "function")
        .collect()
}

fn row<'a>(rows: &'a [Value], function: &str, line: u64) -> &'a Value {
    rows.iter()
        .find(|r| r["function"] == function && r["line"] == line)
        .unwrap_or_else(|| panic!("no row for {function} at line {line}: {rows:#?}"))
}

fn message(row: &Value) -> String {
    row["properties"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn functions_behind_features_run_in_a_build_with_those_features() {
    let fx = copy_fixture("features");
    let (code, _, err) = run(cargo_abuse(&fx.dir).args(["gen", "-q"]));
    assert_eq!(code, 0, "{err}");
    let _lock = build_lock();
    util::touch_all(&fx.dir);

    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--seed", "1", "--json"],
    ));
    // `fragile` still runs no case (its feature does not build): the run is incomplete.
    assert_eq!(code, 2, "{err}");
    let rows = rows(&out);
    // Whether rustup's nightly is here, asked the way the tool asks it.
    let nightly = std::process::Command::new("cargo")
        .args(["+nightly", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    let builds = if nightly { 4 } else { 3 };
    assert!(
        err.contains(&format!(
            "Feature pass for `features`: {builds} functions compiled only with features, {builds} builds"
        )),
        "{err}"
    );
    // `unstable` turns on `#![feature(test)]`: stable cannot build it; rustup's nightly does, when installed.
    let odd = row(&rows, "nightly_odd", 53);
    if nightly {
        assert!(err.contains("`+nightly --features unstable`"), "{err}");
        assert_eq!(odd["status"], "fail", "{odd}");
        assert!(message(odd).contains("planted: odd"), "{odd}");
    } else {
        assert_eq!(odd["status"], "not_run", "{odd}");
        assert!(
            message(odd).contains("which only a nightly toolchain builds, and none is installed"),
            "{odd}"
        );
    }
    // Compiled only with `extra`: its planted panic is found, not reported as not run.
    let shout = row(&rows, "shout", 15);
    assert_eq!(shout["status"], "fail", "{shout}");
    assert!(message(shout).contains("planted: too long"), "{shout}");
    // Both definitions of the twin ran, each in the build that compiles it.
    for line in [31, 38] {
        let twin = row(&rows, "Counter::step", line);
        assert_eq!(twin["status"], "pass", "{twin}");
        assert_eq!(twin["properties"][0]["cases"], 256, "{twin}");
    }
    // A feature that does not build: the row says so, with the compiler's error.
    let fragile = row(&rows, "fragile", 46);
    assert_eq!(fragile["status"], "not_run", "{fragile}");
    assert_eq!(
        message(fragile),
        "compiled only with `feature = \"broken\"`, which this build does not set; building with \
         `--features broken` failed: error: the `broken` feature needs a nightly compiler"
    );
    assert_eq!(row(&rows, "halve", 9)["status"], "pass");
    // The failing input is kept behind the feature, so the default build still compiles.
    let kept = read(&fx.dir.join("tests/abuse/regressions.rs"));
    assert!(
        kept.contains("#[cfg(feature = \"extra\")]\n#[test]\nfn shout__no_panic_"),
        "{kept}"
    );

    // Opted out: the default build alone, as before (and it builds with the kept regression).
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--seed", "1", "--json", "--no-feature-pass"],
    ));
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("Feature pass"), "{err}");
    let rows = self::rows(&out);
    let shout = row(&rows, "shout", 15);
    assert_eq!(shout["status"], "not_run", "{shout}");
    assert_eq!(
        message(shout),
        "compiled only with `feature = \"extra\"`, which this build does not set"
    );
    assert_eq!(row(&rows, "Counter::step", 31)["status"], "pass");
    let other = row(&rows, "Counter::step", 38);
    assert_eq!(other["status"], "not_run", "{other}");
    assert!(message(other).starts_with("defined again here"), "{other}");

    // `--features extra`: the main build compiles `shout` (and replays its kept input).
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &[
            "run",
            "--seed",
            "1",
            "--json",
            "--features",
            "extra",
            "--no-feature-pass",
        ],
    ));
    assert_eq!(code, 2, "{err}");
    let rows = self::rows(&out);
    let shout = row(&rows, "shout", 15);
    assert_eq!(shout["status"], "fail", "{shout}");
}
