//! End-to-end: closure parameters (`F: FnMut(&u8) -> bool`, `impl Fn(char) -> bool`, `F: FnOnce(T) -> U`,
//! `F: FnMut(&str) -> Option<usize>`, and `F` of a type `Filter<'a, F>` built by a factory method, which gets a
//! boxed closure) get generated closures whose harnesses build and run; a bug that shows
//! only when the predicate answers false then true is found, printed as a closure, and kept as a regression
//! that plain `cargo test` replays.

mod util;

use util::{build_lock, cargo, cargo_abuse_shared, copy_fixture, edit, run, run_records};

#[test]
fn generated_closures_find_the_bug_of_a_predicate_that_answers_false_then_true() {
    let fx = copy_fixture("closures");
    let _lock = build_lock();
    util::touch_all(&fx.dir);
    let (code, _, err) = run(&mut cargo_abuse_shared(&fx.dir, &["gen"]));
    assert_eq!(code, 0, "gen: {err}");
    // Every function has a harness and a fuzz target.
    for f in [
        "keep_where",
        "count_matching",
        "map_or",
        "first_found",
        "filter__retain_count",
    ] {
        let harness = util::read(&fx.dir.join(format!("tests/abuse/{f}.rs")));
        assert!(
            harness.contains("abuse_runtime::Returns<"),
            "{f}: {harness}"
        );
        assert!(
            fx.dir.join(format!("fuzz/fuzz_targets/{f}.rs")).is_file(),
            "{f}: no fuzz target"
        );
    }

    // A type's closure parameter has a name the receiver is annotated with and its factory is passed.
    let harness = util::read(&fx.dir.join("tests/abuse/filter__retain_count.rs"));
    assert!(
        harness.contains("closures::Filter<Box<dyn FnMut(&u8) -> bool>>")
            && harness.contains("as Box<dyn FnMut(&u8) -> bool>"),
        "{harness}"
    );

    let (code, out, err) = run(&mut cargo_abuse_shared(
        &fx.dir,
        &["run", "--json", "--seed", "1", "--cases", "64"],
    ));
    assert_eq!(code, 1, "the planted bug is exit 1\n{out}\n{err}");
    let (records, _) = run_records(&out);
    for f in [
        "count_matching",
        "map_or",
        "first_found",
        "Filter::retain_count",
    ] {
        assert_eq!(records[f]["status"], "pass", "{:#}", records[f]);
    }
    let failure = records["keep_where"]["properties"]
        .as_array()
        .expect("properties")
        .iter()
        .find(|p| p["outcome"] == "fail")
        .cloned()
        .unwrap_or_else(|| panic!("{:#}\n{err}", records["keep_where"]));
    assert_eq!(failure["kind"], "panic", "{failure:#}");
    let input = failure["input"].as_str().expect("a Rust input");
    // The closure prints as one, cycling through its answers: a false before a true.
    let answers = input
        .split("abuse_runtime::closure!(|_| [")
        .nth(1)
        .unwrap_or_else(|| panic!("a cycling closure: {input}"));
    let first_false = answers.find("false").expect("a false answer");
    assert!(answers[first_false..].contains("true"), "{input}");
    syn::parse_str::<syn::Expr>(input).expect("the input pastes as Rust");

    // Kept as a value: plain `cargo test` replays the closure and fails until the bug is fixed.
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::keep_where"],
    ));
    assert_ne!(code, 0, "the kept input fails before the fix\n{out}\n{err}");
    edit(
        &fx.dir.join("src/lib.rs"),
        "let at = out.len() - 1;\n                out[at] = x;",
        "out.push(x);",
    );
    let (code, out, err) = run(&mut cargo(
        &fx.dir,
        &["test", "--test", "abuse", "regressions::keep_where"],
    ));
    assert_eq!(code, 0, "the kept input passes after the fix\n{out}\n{err}");
}
