//! syn (kept inputs only): the behaviour test of one function, made from its generated harness: the harness's
//! input strategy and its `no_panic` body, run twice, once with the crate's paths moved to the base revision's
//! crate (`demo::` → `demo_before::`), with the kept regression values of that harness and the fuzz corpus
//! entries that decode as its input first.

use std::path::Path;

use syn::visit::Visit;

/// The crate name the base revision's library is linked as.
pub fn before_crate(lib: &str) -> String {
    format!("{lib}_before")
}

/// How the function's fuzz target turns a corpus file into its input, so the behaviour test decodes the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorpusDecode {
    /// No fuzz target: no corpus to read.
    None,
    /// `fuzz_target!(|input: harness::Input| ..)`: libfuzzer-sys's `arbitrary_take_rest`, files shorter than
    /// the type's minimum size skipped as libfuzzer-sys skips them.
    Arbitrary,
    /// One byte-slice parameter: the file's bytes as they are (`(data.to_vec(),)`).
    RawBytes,
}

impl CorpusDecode {
    /// The decoding a fuzz target's text uses (`fuzz_target.rs.hbs`'s two forms, with or without the `init:`
    /// that draws seeds: the body closure is the one that calls `check`).
    pub fn of_target(fuzz_target: &str) -> CorpusDecode {
        let compact: String = fuzz_target.split_whitespace().collect();
        if !compact.contains("fuzz_target!(") {
            CorpusDecode::None
        } else if compact.contains("|data:&[u8]|check(") {
            CorpusDecode::RawBytes
        } else if compact.contains("|input:harness::Input|check(") {
            CorpusDecode::Arbitrary
        } else {
            CorpusDecode::None
        }
    }

    /// The test's `corpus()` function: the entries of `$ABUSE_BEHAVIOUR_CORPUS` that decode as `Input`.
    fn function(self) -> &'static str {
        match self {
            CorpusDecode::None => "fn corpus() -> Vec<Input> {\n    Vec::new()\n}\n",
            CorpusDecode::Arbitrary => {
                "fn corpus() -> Vec<Input> {
    use abuse_behaviour::arbitrary::{Arbitrary, Unstructured};
    abuse_behaviour::corpus_files()
        .iter()
        .filter(|bytes| bytes.len() >= <Input as Arbitrary>::size_hint(0).0)
        .filter_map(|bytes| <Input as Arbitrary>::arbitrary_take_rest(Unstructured::new(bytes)).ok())
        .collect()
}
"
            }
            CorpusDecode::RawBytes => {
                "fn corpus() -> Vec<Input> {
    abuse_behaviour::corpus_files().into_iter().map(|bytes| (bytes,)).collect()
}
"
            }
        }
    }
}

/// The test target's text: the harness (its strategy, settings and bodies) plus the `behaviour` test.
/// `Err` says why the harness does not lend itself to it.
pub fn behaviour_test(
    harness: &str,
    lib: &str,
    kept: &[String],
    corpus: CorpusDecode,
) -> Result<String, String> {
    let (prelude, call) = split_body(harness)?;
    let corpus_fn = corpus.function();
    let before_prelude = rename_crate(&prelude, lib);
    let before_call = rename_crate(&call, lib);
    let kept = kept
        .iter()
        .map(|k| format!("        {k},\n"))
        .collect::<String>();
    Ok(format!(
        "{harness}
/// `behaviour`: the same inputs to the function at the base revision and now; the outcomes are compared.
#[test]
fn behaviour() {{
    abuse_behaviour::drive(
        inputs(),
        vec![
{kept}        ],
        corpus(),
        settings().timeout_ms,
        behaviour_body,
    );
}}

/// The fuzz corpus entries that decode as `Input`, decoded as the function's fuzz target decodes them.
#[allow(clippy::all)]
{corpus_fn}
#[allow(unused_variables, unused_mut, clippy::all)]
fn behaviour_body(
    input: Input,
) -> ::core::result::Result<
    ::core::option::Option<(::std::string::String, ::std::string::String)>,
    abuse_runtime::prelude::TestCaseError,
> {{
    let __abuse_now_input = ::core::clone::Clone::clone(&input);
    {before_prelude}
    let __abuse_before = abuse_behaviour::call(\"before\", || {before_call});
    abuse_behaviour::note_before(abuse_behaviour::show!(__abuse_before));
    let input = __abuse_now_input;
    {prelude}
    let __abuse_now = abuse_behaviour::call(\"now\", || {call});
    Ok(abuse_behaviour::compare!(__abuse_before, __abuse_now))
}}
"
    ))
}

/// The statements of `no_panic_body` before its call, and the call expression.
pub(super) fn split_body(harness: &str) -> Result<(String, String), String> {
    let not_understood = |what: &str| {
        Err(format!(
            "its harness has no plain call to compare ({what}); regenerate it with `cargo abuse gen`"
        ))
    };
    let Some(start) = harness.find("fn no_panic_body(") else {
        return not_understood("no `no_panic` property");
    };
    let rest = &harness[start..];
    let Some(end) = rest.find("\n}\n") else {
        return not_understood("unterminated body");
    };
    let body = &rest[..end];
    let Some(open) = body.find("> {\n") else {
        return not_understood("no body");
    };
    let statements = &body[open + 4..];
    let Some(at) = statements.find("let _out = ") else {
        return not_understood("no call");
    };
    let prelude = &statements[..at];
    let after = &statements[at + "let _out = ".len()..];
    let Some(ok) = after.rfind("Ok(())") else {
        return not_understood("no end");
    };
    let call = after[..ok].trim_end();
    let Some(call) = call.strip_suffix(';') else {
        return not_understood("more than one statement after the call");
    };
    Ok((prelude.trim().to_string(), call.trim().to_string()))
}

/// `lib::` paths (not `x::lib::`, not `my_lib::`) become `lib_before::`.
fn rename_crate(text: &str, lib: &str) -> String {
    let needle = format!("{lib}::");
    let before = before_crate(lib);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&needle) {
        let prev = rest[..i]
            .chars()
            .next_back()
            .or_else(|| out.chars().next_back());
        out.push_str(&rest[..i]);
        let joined = prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if joined {
            out.push_str(&needle);
        } else {
            out.push_str(&before);
            out.push_str("::");
        }
        rest = &rest[i + needle.len()..];
    }
    out.push_str(rest);
    out
}

/// The input values kept as regression tests for harness module `module` (`regressions.rs` beside the
/// harness): the fourth argument of each `abuse_runtime::replay(&super::<module>::TARGET, ...)`, as written.
pub fn kept_inputs(regressions: &Path, module: &str) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(regressions) else {
        return Vec::new();
    };
    let Ok(file) = syn::parse_file(&text) else {
        return Vec::new();
    };
    let mut finder = ReplayInputs {
        module,
        found: Vec::new(),
    };
    finder.visit_file(&file);
    finder.found.dedup();
    let mut seen = std::collections::BTreeSet::new();
    finder.found.retain(|v| seen.insert(v.clone()));
    finder.found
}

/// Collects the inputs of `replay` calls whose target is `super::<module>::TARGET`.
struct ReplayInputs<'a> {
    module: &'a str,
    found: Vec<String>,
}

impl<'ast> Visit<'ast> for ReplayInputs<'_> {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let is_replay = matches!(&*call.func, syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "replay"));
        let target = call.args.first().map(|a| quote::quote!(#a).to_string());
        let wanted = format!("& super :: {} :: TARGET", self.module);
        if is_replay && target.as_deref() == Some(wanted.as_str()) {
            if let Some(input) = call.args.iter().nth(3) {
                self.found.push(quote::quote!(#input).to_string());
            }
        }
        syn::visit::visit_expr_call(self, call);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HARNESS: &str = "pub(crate) type Input = (String,);
pub(crate) fn no_panic_body(
    input: Input,
) -> ::core::result::Result<(), abuse_runtime::prelude::TestCaseError> {
    let (r0,) = input;
    #[allow(unused_mut)]
    let v0a = r0.clone();
    let _out = demo::net::parse_port(v0a.as_str(), my_demo::X, demo::Y);
    Ok(())
}
";

    #[test]
    fn the_body_splits_into_its_statements_and_its_call() {
        let (prelude, call) = split_body(HARNESS).unwrap();
        assert!(prelude.starts_with("let (r0,) = input;"), "{prelude}");
        assert!(prelude.ends_with("let v0a = r0.clone();"), "{prelude}");
        assert_eq!(
            call,
            "demo::net::parse_port(v0a.as_str(), my_demo::X, demo::Y)"
        );
    }

    #[test]
    fn only_the_crate_s_own_paths_move_to_the_base_crate() {
        assert_eq!(
            rename_crate("demo::f(my_demo::X, demo::Y, a::demo::Z)", "demo"),
            "demo_before::f(my_demo::X, demo_before::Y, a::demo::Z)"
        );
    }

    #[test]
    fn the_behaviour_test_calls_both_revisions_with_kept_inputs_first() {
        let test = behaviour_test(
            HARNESS,
            "demo",
            &["(String::from(\"080\"),)".into()],
            CorpusDecode::None,
        )
        .unwrap();
        assert!(test.contains("abuse_behaviour::call(\"before\", || demo_before::net::parse_port("));
        assert!(test.contains("abuse_behaviour::call(\"now\", || demo::net::parse_port("));
        assert!(test.contains("        (String::from(\"080\"),),\n"));
    }

    #[test]
    fn corpus_entries_decode_as_the_fuzz_target_decodes_them() {
        let typed = "libfuzzer_sys::fuzz_target!(| input : harness::Input | check(input));";
        let raw = "libfuzzer_sys::fuzz_target!(|data: &[u8]| check((data.to_vec(),)));";
        assert_eq!(CorpusDecode::of_target(typed), CorpusDecode::Arbitrary);
        assert_eq!(CorpusDecode::of_target(raw), CorpusDecode::RawBytes);
        assert_eq!(CorpusDecode::of_target("fn main() {}"), CorpusDecode::None);
        // With the `init:` that draws seeds (its closure takes `&harness::Input`, the body's does not).
        let typed_init = "libfuzzer_sys::fuzz_target!(\n    init : abuse_runtime::fuzz::emit_seeds(harness::inputs(), | input : & harness::Input\n    | input.0.clone().into_bytes()), | input : harness::Input | check(input)\n);";
        let raw_init = "libfuzzer_sys::fuzz_target!(\n    init : abuse_runtime::fuzz::emit_seeds(harness::inputs(), | input : & harness::Input\n    | input.0.clone()), | data : & [u8] | check((data.to_vec(),))\n);";
        assert_eq!(CorpusDecode::of_target(typed_init), CorpusDecode::Arbitrary);
        assert_eq!(CorpusDecode::of_target(raw_init), CorpusDecode::RawBytes);
        let test = behaviour_test(HARNESS, "demo", &[], CorpusDecode::Arbitrary).unwrap();
        assert!(
            test.contains("<Input as Arbitrary>::arbitrary_take_rest(Unstructured::new(bytes))")
        );
        assert!(test.contains("<Input as Arbitrary>::size_hint(0).0"));
        assert!(test.contains("        corpus(),\n"));
        let test = behaviour_test(HARNESS, "demo", &[], CorpusDecode::RawBytes).unwrap();
        assert!(test.contains(".map(|bytes| (bytes,))"));
    }

    #[test]
    fn a_harness_without_a_plain_call_says_why() {
        let err = behaviour_test("fn other() {}", "demo", &[], CorpusDecode::None).unwrap_err();
        assert!(err.contains("no `no_panic` property"), "{err}");
    }

    #[test]
    fn kept_inputs_are_the_replayed_values_of_that_module() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regressions.rs");
        std::fs::write(
            &path,
            "#[test] fn a() { abuse_runtime::replay(&super::parse_port::TARGET, P::NoPanic, &s(), (String::from(\"x\"),), b); }
#[test] fn b() { abuse_runtime::replay(&super::mean::TARGET, P::NoPanic, &s(), (vec![1i32],), b); }",
        )
        .unwrap();
        let kept = kept_inputs(&path, "parse_port");
        assert_eq!(kept, ["(String :: from (\"x\") ,)"]);
        assert!(kept_inputs(&dir.path().join("missing.rs"), "x").is_empty());
    }
}
