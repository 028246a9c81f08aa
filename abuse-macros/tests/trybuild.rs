//! Compile-fail cases for every misuse of the attribute (one per file, with its `.stderr`) and pass
//! cases for every form it accepts.

#[test]
fn misuses_are_compile_errors_at_the_exact_span() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}

#[test]
fn every_form_compiles() {
    let t = trybuild::TestCases::new();
    t.pass("tests/pass/*.rs");
}
