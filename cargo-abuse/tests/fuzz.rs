//! End-to-end: `cargo abuse run --fuzz` on stable finds what property tests do not (a bug behind a magic
//! prefix and a checksum, a hang), reports each like a property failure, and keeps the input as a value that
//! plain `cargo test` replays until the bug is fixed.

mod util;

use util::{build_lock, cargo, cargo_abuse_shared, copy_fixture, edit, run, run_records};

#[test]
fn stable_fuzzing_finds_the_magic_prefix_bug_and_keeps_it_as_a_regression_test() {
    let fx = copy_fixture("fuzz-magic");
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, _, err) = run(&mut cargo_abuse_shared(&fx.dir, &["gen"]));
    assert_eq!(code, 0, "gen: {err}");

    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &[
            "run", "--json", "--seed", "3", "--cases", "64", "--fuzz", "15",
        ],
    ));
    assert_eq!(code, 1, "planted bugs are exit 1\n{out}\n{err}");
    // Byte-slice and string targets start from their property tests' draws too (distinct, so well over
    // a hundred of the 512): the correct function's line shows how many.
    let drawn = err
        .lines()
        .find(|l| l.contains("frame_checksum (fuzz frame_checksum"))
        .and_then(|l| l.split(", from ").nth(1))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    assert!(drawn.is_some_and(|n| n > 100), "{drawn:?}\n{err}");
    let (records, _) = run_records(&out);
    let fuzz_failure = |function: &str| {
        records[function]["properties"]
            .as_array()
            .expect("properties")
            .iter()
            .find(|p| p["source"] == "fuzz" && p["outcome"] == "fail")
            .cloned()
            .unwrap_or_else(|| {
                panic!(
                    "{function}: no fuzz failure in {:#}\n{err}",
                    records[function]
                )
            })
    };
    // The magic prefix and checksum: coverage guidance plus the mined dictionary reach it.
    let decode = fuzz_failure("decode_frame");
    assert_eq!(decode["kind"], "panic", "{decode:#}");
    let input = decode["input"].as_str().expect("a Rust input");
    assert!(
        input.contains("ABUSE"),
        "the input carries the magic: {input}"
    );
    syn::parse_str::<syn::Expr>(input).expect("the input pastes as Rust");
    // The hang is reported as a timeout of that function, with its input, not as a crash of the tool.
    let hang = fuzz_failure("count_escapes");
    assert_eq!(hang["kind"], "timeout", "{hang:#}");
    // The input holds a `\u{` escape; printed as Rust it may be `"\\u{"` or a concatenation such as
    // `["\\u(\\u", "{".repeat(56).as_str(), ...].concat()` (runs are printed as `repeat`).
    assert!(
        hang["input"]
            .as_str()
            .is_some_and(|i| i.contains("u{") || (i.contains("\\\\u") && i.contains("\"{\""))),
        "{hang:#}"
    );
    // Two root causes in one target: libFuzzer stops at the first, and the time left (with the first passed
    // over by the target) finds the second, reported as root cause 2 at another panic site.
    let causes: Vec<_> = records["record_value"]["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .filter(|p| p["source"] == "fuzz" && p["outcome"] == "fail")
        .cloned()
        .collect();
    assert_eq!(causes.len(), 2, "{:#}\n{err}", records["record_value"]);
    assert!(causes.iter().all(|p| p["kind"] == "panic"), "{causes:#?}");
    assert_eq!(causes[1]["root_cause"], 2, "{causes:#?}");
    let site = |p: &serde_json::Value| {
        let m = p["message"].as_str().unwrap_or("").to_owned();
        m.rsplit(" at ").next().unwrap_or("").to_owned()
    };
    assert_ne!(site(&causes[0]), site(&causes[1]), "{causes:#?}");
    assert!(
        err.lines()
            .any(|l| l.contains("record_value (fuzz") && l.contains("root cause 2: panic")),
        "{err}"
    );
    // The correct function holds under fuzzing too.
    assert_eq!(
        records["frame_checksum"]["status"], "pass",
        "{:#}",
        records["frame_checksum"]
    );

    // Kept as a value: plain `cargo test` replays it on stable and fails until the bug is fixed.
    let regressions = util::read(&fx.dir.join("tests/abuse/regressions.rs"));
    assert!(
        regressions.contains("fn decode_frame__no_panic_"),
        "{regressions}"
    );
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::decode_frame"],
    ));
    assert_ne!(code, 0, "the kept input fails before the fix\n{out}\n{err}");
    edit(
        &fx.dir.join("src/lib.rs"),
        "trailer: body[len],",
        "trailer: *body.get(len).ok_or(FrameError::Truncated)?,",
    );
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::decode_frame"],
    ));
    assert_eq!(code, 0, "the kept input passes after the fix\n{out}\n{err}");
}

/// The sequence property fuzzed: calls decoded from libFuzzer's bytes reach the ring's wrap-around bug; the
/// failure is reported in the type's row as Rust statements, kept as a regression test that plain `cargo test`
/// replays; the constructor's own panic (a refused capacity) is set-up, never the sequence's finding.
#[test]
fn stable_fuzzing_finds_a_sequence_bug_and_reports_it_as_statements() {
    let fx = copy_fixture("sequence-fuzz");
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, _, err) = run(&mut cargo_abuse_shared(&fx.dir, &["gen"]));
    assert_eq!(code, 0, "gen: {err}");
    let target = util::read(&fx.dir.join("fuzz/fuzz_targets/ring__sequence.rs"));
    assert!(
        target.contains("harness::sequence_body"),
        "the target runs the harness's own body: {target}"
    );

    // One property case: the fuzz target, not proptest, has to find it.
    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &[
            "run", "--json", "--seed", "3", "--cases", "1", "--fuzz", "10",
        ],
    ));
    assert_eq!(code, 1, "the planted bug is exit 1\n{out}\n{err}");
    let (records, _) = run_records(&out);
    let ring = records
        .get("Ring")
        .unwrap_or_else(|| panic!("no row for the type `Ring`: {out}\n{err}"));
    let found = ring["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .find(|p| p["source"] == "fuzz" && p["outcome"] == "fail")
        .cloned()
        .unwrap_or_else(|| panic!("no fuzz failure in {ring:#}\n{err}"));
    assert_eq!(found["property"], "sequence", "{found:#}");
    assert_eq!(found["kind"], "panic", "{found:#}");
    let message = found["message"].as_str().expect("a message");
    assert!(
        message.contains("index out of bounds") && !message.contains("positive capacity"),
        "the panic is the push past the end, not the refused capacity: {found:#}"
    );
    // Statements a person pastes: they parse as a block and call the methods.
    let input = found["input"].as_str().expect("an input");
    assert!(
        input.starts_with("let raw = ")
            && input.contains("; let mut r = ")
            && input.contains(".push("),
        "{input}"
    );
    syn::parse_str::<syn::Block>(&format!("{{ {input} }}")).expect("the input pastes as Rust");

    // Kept as the statements: plain `cargo test` replays them and fails until the bug is fixed.
    let regressions = util::read(&fx.dir.join("tests/abuse/regressions.rs"));
    assert!(
        regressions.contains("fn ring__sequence__sequence_"),
        "{regressions}"
    );
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::ring__sequence"],
    ));
    assert_ne!(
        code, 0,
        "the kept sequence fails before the fix\n{out}\n{err}"
    );
    edit(
        &fx.dir.join("src/lib.rs"),
        "let tail = self.head + self.len;",
        "let tail = (self.head + self.len) % self.buf.len();",
    );
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::ring__sequence"],
    ));
    assert_eq!(
        code, 0,
        "the kept sequence passes after the fix\n{out}\n{err}"
    );
}
