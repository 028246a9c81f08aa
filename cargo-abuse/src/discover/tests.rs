//! Tests of discovery on inline sources (tempdir crates), and the helpers the parts' tests share.

use std::collections::BTreeMap;
use std::path::Path;

use super::*;
use crate::model::{CtorReturn, Receiver, SignoffState};

/// Writes `files` (path, text) under a temp dir and discovers the lib crate `demo` at `src/lib.rs`.
pub(super) fn run(files: &[(&str, &str)]) -> Inventory {
    run_with_dependencies(files, &[])
}

/// [`run`], for a package whose manifest names `dependencies`.
pub(super) fn run_with_dependencies(files: &[(&str, &str)], dependencies: &[&str]) -> Inventory {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    let pkg = PackageSources {
        name: "demo".into(),
        manifest_path: dir.path().join("Cargo.toml"),
        dir: dir.path().to_path_buf(),
        metadata: serde_json::Value::Null,
        targets: vec![TargetSource {
            crate_name: "demo".into(),
            is_lib: true,
            root: dir.path().join("src/lib.rs"),
        }],
        edition: "2021".into(),
        default_features: vec![],
        checkout_runtime: None,
        dependencies: dependencies.iter().map(|d| (*d).to_string()).collect(),
    };
    discover(
        &[pkg],
        dir.path(),
        &test_options(dir.path()),
        prefetch(None),
    )
}

pub(crate) fn test_options(root: &Path) -> Options {
    Options {
        workspace_root: root.to_path_buf(),
        target_dir: root.join("target"),
        color: false,
        verbosity: 0,
        packages: BTreeMap::new(),
        json: false,
        check: false,
        fn_path: None,
        force: false,
        edit_manifest: true,
        compile_check: true,
        clusterfuzzlite: false,
        run_cases: None,
        fuzz_secs: None,
        address_sanitizer: false,
        seed: None,
        shard: None,
        cargo_features: crate::run::CargoFeatures::default(),
        junit: None,
        sarif: None,
        markdown: None,
        owner: None,
        keep_behaviour: false,
        report_json: false,
        since: None,
    }
}

pub(super) fn lib(src: &str) -> Inventory {
    run(&[("src/lib.rs", src)])
}

pub(super) fn fns(inv: &Inventory) -> Vec<&TaggedFn> {
    inv.packages.iter().flat_map(|p| &p.functions).collect()
}

pub(super) fn find<'a>(inv: &'a Inventory, path: &str) -> &'a TaggedFn {
    fns(inv)
        .into_iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} in {:#?}", fns(inv)))
}

pub(super) fn reach(inv: &Inventory, path: &str) -> String {
    match &find(inv, path).reach {
        Reach::Public { path } => path.clone(),
        Reach::CratePrivate { path } => format!("private {path}"),
    }
}

#[test]
fn renamed_attribute_is_recognised() {
    let inv = lib(r#"
        use abuse_macros::ai_generated as ai;
        #[ai(author = "alice")]
        pub fn a() {}
        #[abuse_macros::ai_generated]
        pub fn b() {}
        #[other]
        pub fn c() {}
    "#);
    let names: Vec<&str> = fns(&inv).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!(find(&inv, "a").record.author.as_deref(), Some("alice"));
    assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
}

#[test]
fn a_tag_inside_cfg_attr_is_read_and_fingerprinted_as_the_macro_sees_it() {
    let wrapped = lib(r#"
        /// Doc.
        #[cfg_attr(test, abuse_macros::ai_generated(prompt = "p", test_owner = "bob"))]
        #[inline]
        pub fn a(x: u8) -> u8 { x }
        #[cfg_attr(test, derive(Debug), ai_generated)]
        pub fn not_alone() {}
    "#);
    let plain = lib(r#"
        /// Doc.
        #[abuse_macros::ai_generated(prompt = "p", test_owner = "bob")]
        #[inline]
        pub fn a(x: u8) -> u8 { x }
    "#);
    let (w, p) = (find(&wrapped, "a"), find(&plain, "a"));
    assert_eq!(w.record.test_owner.as_deref(), Some("bob"));
    assert_eq!(w.fingerprint, p.fingerprint);
    // `sign` finds the attribute at the `cfg_attr`'s `#` and looks for the tag's path inside it.
    assert_eq!(
        (w.attribute.line, w.attribute.column),
        (p.attribute.line, p.attribute.column)
    );
    assert_eq!(w.attribute.path, "abuse_macros::ai_generated");
    let names: Vec<&str> = fns(&wrapped).iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["a"]);
}

#[test]
fn a_panics_section_in_the_docs_is_noticed() {
    let inv = lib(r#"
        /// Picks a digit.
        ///
        /// # Panics
        ///
        /// Panics if the base is zero.
        #[ai_generated]
        pub fn digit(base: u32) -> char { 'a' }
        /// Never panics (says so in prose: `# Panics` inside a sentence is not a section).
        #[ai_generated]
        pub fn calm(x: u32) -> u32 { x }
        /// Picks a char.
        /// Panics if the range is empty.
        #[ai_generated]
        pub fn pick(lo: char, hi: char) -> char { lo }
        /// Sets a bit.
        /// **Panics** if **bit** is out of bounds.
        #[ai_generated]
        pub fn set(bit: usize) {}
        /// ***Panics*** if **bit** is out of bounds
        #[ai_generated]
        pub fn toggle(bit: usize) {}
        /// **Panicsky** is not a word of the docs' convention.
        #[ai_generated]
        pub fn odd(bit: usize) {}
    "#);
    assert!(find(&inv, "digit").documents_panics);
    assert!(find(&inv, "pick").documents_panics);
    assert!(find(&inv, "set").documents_panics);
    assert!(find(&inv, "toggle").documents_panics);
    assert!(!find(&inv, "calm").documents_panics);
    assert!(!find(&inv, "odd").documents_panics);
}

#[test]
fn a_tagged_test_is_known_as_one_and_ignore_is_noticed() {
    let inv = lib(r#"
        #[cfg(test)]
        mod tests {
            #[ai_generated]
            #[test]
            pub fn plain() {}
            #[ai_generated]
            #[tokio::test(flavor = "multi_thread")]
            async fn on_tokio() {}
            #[ai_generated]
            #[test]
            #[ignore = "slow"]
            fn slow() {}
            // `test` as a cfg, or a helper taking arguments, is not a test.
            #[ai_generated]
            #[cfg(test)]
            pub fn helper(x: u8) -> u8 { x }
        }
    "#);
    use crate::model::TestAttr;
    assert_eq!(find(&inv, "tests::plain").test, Some(TestAttr::Runs));
    assert_eq!(find(&inv, "tests::on_tokio").test, Some(TestAttr::Runs));
    assert_eq!(find(&inv, "tests::slow").test, Some(TestAttr::Ignored));
    assert_eq!(find(&inv, "tests::helper").test, None);
}

#[test]
fn renamed_tag_does_not_change_the_fingerprint() {
    let plain = lib("#[ai_generated(prompt = \"p\")]\npub fn a(x: u8) -> u8 { x }");
    let renamed =
        lib("use m::ai_generated as ai;\n#[ai(prompt = \"p\")]\npub fn a(x: u8) -> u8 { x }");
    assert_eq!(
        find(&plain, "a").fingerprint,
        find(&renamed, "a").fingerprint
    );
}

#[test]
fn tagged_impl_block_tags_its_pub_fns_and_own_attributes_win() {
    let inv = lib(r#"
        pub struct Port(u16);
        #[ai_generated(test_owner = "bob")]
        impl Port {
            pub fn new(p: u16) -> Option<Self> { Some(Port(p)) }
            fn helper(&self) {}
            #[ai_generated(test_owner = "eve")]
            pub fn get(&self) -> u16 { self.0 }
        }
        impl Port {
            #[ai_generated]
            fn private_method(&mut self) {}
        }
    "#);
    let names: Vec<&str> = fns(&inv).iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["Port::new", "Port::get", "Port::private_method"]);
    assert_eq!(
        find(&inv, "Port::new").record.test_owner.as_deref(),
        Some("bob")
    );
    assert_eq!(
        find(&inv, "Port::get").record.test_owner.as_deref(),
        Some("eve")
    );
    assert_eq!(
        find(&inv, "Port::get").signature.receiver,
        Some(Receiver::Ref)
    );
    assert_eq!(reach(&inv, "Port::new"), "demo::Port::new");
    assert_eq!(
        reach(&inv, "Port::private_method"),
        "private crate::Port::private_method"
    );
    let port = &inv.packages[0].types[0];
    assert_eq!(port.constructors.len(), 1);
    assert_eq!(port.constructors[0].returns, CtorReturn::Option);
}

#[test]
fn block_signoff_is_checked_against_the_block_fingerprint() {
    let src = "pub struct P;\n#[ai_generated(signed_off = \"bob 2026-01-01 SIG\")]\nimpl P { pub fn a(&self) {} }";
    let file: syn::File = syn::parse_str(src).expect("parses");
    let syn::Item::Impl(imp) = &file.items[1] else {
        panic!("impl")
    };
    let block_fp = abuse_attr::fingerprint::of_impl(imp, "");
    let inv = lib(&src.replace("SIG", &block_fp));
    assert_eq!(
        find(&inv, "P::a").signoff,
        SignoffState::Current {
            owner: "bob".into(),
            date: "2026-01-01".into()
        }
    );
    assert_ne!(find(&inv, "P::a").fingerprint, block_fp);
    let changed = lib(&src
        .replace("SIG", &block_fp)
        .replace("{} }", "{ let _x = 1; } }"));
    assert!(matches!(
        find(&changed, "P::a").signoff,
        SignoffState::Stale { .. }
    ));
}

#[test]
fn direct_signoff_is_current_until_the_function_changes() {
    let src = "#[ai_generated(prompt = \"p\", signed_off = \"bob 2026-01-01 SIG\")]\npub fn f(x: u8) -> u8 { x }";
    let unsigned = lib(&src.replace(", signed_off = \"bob 2026-01-01 SIG\"", ""));
    let fp = find(&unsigned, "f").fingerprint.clone();
    let signed = lib(&src.replace("SIG", &fp));
    assert!(matches!(
        find(&signed, "f").signoff,
        SignoffState::Current { .. }
    ));
    let changed = lib(&src.replace("SIG", &fp).replace("{ x }", "{ x + 1 }"));
    assert!(matches!(
        find(&changed, "f").signoff,
        SignoffState::Stale { .. }
    ));
    let reprompted = lib(&src.replace("SIG", &fp).replace("\"p\"", "\"q\""));
    assert!(matches!(
        find(&reprompted, "f").signoff,
        SignoffState::Stale { .. }
    ));
}

#[test]
fn cfg_of_modules_and_items_is_recorded() {
    let inv = lib(r#"
        #[cfg(feature = "net")]
        pub mod net {
            #[cfg(unix)] #[ai_generated] pub fn f() {}
        }
        #[cfg(test)] mod tests { #[ai_generated] fn t() {} }
    "#);
    assert_eq!(
        find(&inv, "net::f").cfg.as_deref(),
        Some("feature = \"net\" && unix")
    );
    assert_eq!(find(&inv, "tests::t").cfg.as_deref(), Some("test"));
}

#[test]
fn module_files_resolve_like_rustc() {
    let inv = run(&[
        ("src/lib.rs", "pub mod a; pub mod b; #[path = \"other/c_file.rs\"] pub mod c; pub mod d { pub mod e; }"),
        ("src/a.rs", "pub mod nested; #[ai_generated] pub fn fa() {}"),
        ("src/a/nested.rs", "#[ai_generated] pub fn fn_nested() {}"),
        ("src/b/mod.rs", "pub mod inner;"),
        ("src/b/inner.rs", "#[ai_generated] pub fn fb() {}"),
        ("src/other/c_file.rs", "pub mod sib; #[ai_generated] pub fn fc() {}"),
        ("src/other/sib.rs", "#[ai_generated] pub fn fsib() {}"),
        ("src/d/e.rs", "#[ai_generated] pub fn fe() {}"),
    ]);
    let mut got: Vec<(String, String)> = fns(&inv)
        .iter()
        .map(|f| (f.path.clone(), f.file.clone()))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            ("a::fa", "src/a.rs"),
            ("a::nested::fn_nested", "src/a/nested.rs"),
            ("b::inner::fb", "src/b/inner.rs"),
            ("c::fc", "src/other/c_file.rs"),
            ("c::sib::fsib", "src/other/sib.rs"),
            ("d::e::fe", "src/d/e.rs"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
}

#[test]
fn syntax_errors_and_missing_files_are_diagnosed_and_the_rest_is_kept() {
    let inv = run(&[
        ("src/lib.rs", "pub mod good;\npub mod bad;\nmod gone;"),
        ("src/good.rs", "#[ai_generated] pub fn ok() {}"),
        ("src/bad.rs", "pub fn broken( {"),
    ]);
    assert_eq!(fns(&inv).len(), 1);
    let d: Vec<(Severity, &str, u32)> = inv
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.file.as_str(), d.line))
        .collect();
    assert_eq!(
        d,
        [
            (Severity::Error, "src/bad.rs", 1),
            (Severity::Warning, "src/lib.rs", 3)
        ]
    );
    let missing = inv
        .diagnostics
        .iter()
        .find(|d| d.severity == Severity::Warning)
        .expect("warning");
    assert!(
        missing
            .message
            .contains("`src/gone.rs` or `src/gone/mod.rs`"),
        "{}",
        missing.message
    );
}

#[test]
fn tags_in_trait_impls_are_warned_about_not_listed() {
    let inv = lib(
        "struct S;\nimpl Clone for S {\n    #[ai_generated]\n    fn clone(&self) -> S { S }\n}",
    );
    assert!(fns(&inv).is_empty());
    let d = &inv.diagnostics[0];
    assert_eq!((d.severity, d.line, d.column), (Severity::Warning, 3, 5));
    assert_eq!(
        inv.packages[0].trait_impls,
        [TraitImpl {
            trait_name: "Clone".into(),
            type_name: "S".into(),
            trait_args: vec![]
        }]
    );
}

#[test]
fn tags_inside_macro_calls_are_warned_about_with_their_function() {
    let inv = lib(
        "macro_rules! mirrored { ($($t:tt)*) => {}; }\n\
         pub struct V;\n\
         impl V {\n    mirrored! {\n        #[ai_generated]\n        pub fn pop(&mut self) -> u8;\n    }\n}\n\
         mirrored! { #[ai_generated] pub fn free() {} }\n\
         #[ai_generated]\npub fn listed() {}",
    );
    let names: Vec<&str> = fns(&inv).iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, ["listed"]);
    let places: Vec<(Severity, u32, u32)> = inv
        .diagnostics
        .iter()
        .map(|d| (d.severity, d.line, d.column))
        .collect();
    assert_eq!(
        places,
        [(Severity::Warning, 5, 9), (Severity::Warning, 9, 13)],
        "{:?}",
        inv.diagnostics
    );
    assert!(inv.diagnostics[0]
        .message
        .starts_with("`#[ai_generated]` on `pop` inside the `mirrored!` call is not listed"));
    assert!(inv.diagnostics[1]
        .message
        .contains("on `free` inside the `mirrored!` call"));
}

#[test]
fn malformed_attribute_is_reported_at_its_location_with_the_macros_words() {
    let inv = lib("\n#[ai_generated(promt = \"x\")]\npub fn f() {}");
    assert_eq!(fns(&inv).len(), 1);
    let d = &inv.diagnostics[0];
    assert_eq!((d.severity, d.line, d.column), (Severity::Error, 2, 16));
    assert_eq!(d.message, "unknown key `promt`; did you mean `prompt`?");
}

#[test]
fn a_crate_trait_implemented_for_str_gives_its_type_to_a_parameter_bounded_by_it() {
    // base-x: `pub fn encode<A: Alphabet>(alphabet: A, input: &[u8]) -> String` with
    // `impl<'a> Alphabet for &'a str`; the planner had no concrete type for `A`.
    let inv = lib("pub trait Alphabet { fn len(&self) -> usize; }\n\
         impl<'a> Alphabet for &'a str { fn len(&self) -> usize { 0 } }\n\
         impl Alphabet for &mut [u8] { fn len(&self) -> usize { 0 } }\n\
         #[ai_generated]\n\
         pub fn encode<A: Alphabet>(alphabet: A, input: &[u8]) -> String { String::new() }");
    assert_eq!(
        inv.packages[0].trait_impls,
        [TraitImpl {
            trait_name: "Alphabet".into(),
            type_name: "&str".into(),
            trait_args: vec![]
        }],
        "a `&mut` one is not recorded"
    );
    let f = &inv.packages[0].functions[0];
    let plan = crate::plan::plan_function(f, &inv.packages[0]).expect("a plan");
    let text = format!("{plan:?}");
    assert!(
        text.contains("demo::encode::<&str>(v0a.as_str(), v1a.as_slice())"),
        "A is `&str`: {text}"
    );
}

#[test]
fn an_iterator_of_another_type_parameter_gets_the_type_that_parameter_gets() {
    // aho-corasick: `pub fn new<I, P>(patterns: I) -> Result<AhoCorasick, BuildError> where I: IntoIterator<Item
    // = P>, P: AsRef<[u8]>`.
    let inv = lib("#[ai_generated]\n\
         pub fn new<I, P>(patterns: I) -> usize where I: IntoIterator<Item = P>, P: AsRef<[u8]> { 0 }");
    let f = &inv.packages[0].functions[0];
    let plan = crate::plan::plan_function(f, &inv.packages[0]).expect("a plan");
    assert_eq!(plan.input_type, "(Vec<Vec<u8>>,)", "{plan:?}");
}

#[test]
fn from_str_impls_are_constructors_fed_by_the_package_s_own_parse_calls() {
    let inv = run(&[(
        "src/lib.rs",
        r#"
        pub struct Email { raw: String }
        impl std::str::FromStr for Email {
            type Err = ();
            fn from_str(s: &str) -> Result<Self, ()> { Ok(Email { raw: s.into() }) }
        }
        pub mod a { pub struct Twin; impl core::str::FromStr for Twin { type Err = (); fn from_str(_: &str) -> Result<Self, ()> { Ok(Twin) } } }
        pub mod b { pub struct Twin; }
        #[cfg(test)]
        mod tests {
            #[test]
            fn parses() { let _ = "jo@example.com".parse::<super::Email>().unwrap(); }
        }
        "#,
    )]);
    let types = &inv.packages[0].types;
    let email = types.iter().find(|t| t.name == "Email").expect("Email");
    let ctor = email
        .constructors
        .iter()
        .find(|c| c.name == "from_str")
        .expect("a from_str constructor");
    assert_eq!(ctor.via_trait.as_deref(), Some("::core::str::FromStr"));
    assert_eq!(ctor.returns, CtorReturn::Result);
    assert_eq!(ctor.examples, ["jo@example.com"]);
    // Two types named `Twin`: the impl's last segment cannot say which one, so neither gets it.
    assert!(types
        .iter()
        .filter(|t| t.name == "Twin")
        .all(|t| t.constructors.is_empty()));
}

#[test]
fn constructors_keep_their_type_parameters_and_static_arguments() {
    let src = "pub struct Searcher;
        impl Searcher {
            pub fn new<I, P>(patterns: I) -> Searcher where I: IntoIterator<Item = P>, P: AsRef<[u8]> { Searcher }
            #[doc(hidden)]
            pub const fn internal_new(implementation: &'static [u8], n: &u8) -> Searcher { Searcher }
        }";
    let inv = run(&[("src/lib.rs", src)]);
    let ctors = &inv.packages[0].types[0].constructors;
    let new = ctors.iter().find(|c| c.name == "new").expect("new");
    let bounds: Vec<(&str, Vec<String>)> = new
        .generics
        .iter()
        .map(|g| (g.name.as_str(), g.bounds.clone()))
        .collect();
    assert_eq!(
        bounds,
        [
            ("I", vec!["IntoIterator<Item = P>".to_string()]),
            ("P", vec!["AsRef<[u8]>".to_string()])
        ]
    );
    let internal = ctors
        .iter()
        .find(|c| c.name == "internal_new")
        .expect("internal_new");
    assert_eq!(internal.static_params, ["implementation"]);
    // `#[doc(hidden)]` is not public API: only in-crate harnesses build values with it.
    assert!(new.public && !internal.public);
}

/// The `(trait, type)` pairs of the package's trait impls.
fn impl_pairs(inv: &Inventory) -> Vec<(String, String)> {
    inv.packages[0]
        .trait_impls
        .iter()
        .map(|i| (i.trait_name.clone(), i.type_name.clone()))
        .collect()
}

#[test]
fn trait_impls_written_by_a_macro_with_two_arms_are_recorded_for_every_type() {
    // num-traits' style: one arm per shape of invocation, a repetition of `ty` and a `literal`.
    let inv = lib("pub trait Zero { fn zero() -> Self; }\n\
         pub trait Tagged {}\n\
         macro_rules! zero_impl {\n\
             ($($t:ty)*) => { $(impl Zero for $t { fn zero() -> Self { 0 as $t } })* };\n\
             ($t:ty, $v:literal) => { impl Zero for $t { fn zero() -> Self { $v } } };\n\
         }\n\
         zero_impl!(u8 i16 usize);\n\
         zero_impl!(f64, 0.0);\n\
         macro_rules! tagged { ($($t:ident),* $(,)?) => { $(impl Tagged for $t {})* } }\n\
         tagged! { u32, i64, }\n\
         macro_rules! not_impls { ($t:ty) => { const X: $t = 0; } }\n\
         not_impls!(u8);");
    let pairs = impl_pairs(&inv);
    for (t, ty) in [
        ("Zero", "u8"),
        ("Zero", "i16"),
        ("Zero", "usize"),
        ("Zero", "f64"),
        ("Tagged", "u32"),
        ("Tagged", "i64"),
    ] {
        assert!(
            pairs.contains(&(t.to_string(), ty.to_string())),
            "{t} for {ty}: {pairs:?}"
        );
    }
    assert_eq!(pairs.len(), 6, "{pairs:?}");
}

#[test]
fn a_macro_defined_twice_expands_with_the_definition_in_effect() {
    // humansize: `impl_unsigned!` defined for `Unsigned`, invoked, then defined again for `Signed`, invoked.
    let inv = lib("pub trait Unsigned {}\n\
         pub trait Signed {}\n\
         macro_rules! impl_unsigned { (for $($t:ty)*) => ($(impl Unsigned for $t {})*) }\n\
         impl_unsigned!(for usize u8);\n\
         macro_rules! impl_unsigned { (for $($t:ty)*) => ($(impl Signed for $t {})*) }\n\
         impl_unsigned!(for isize i8);");
    let mut pairs = impl_pairs(&inv);
    pairs.sort();
    let expected: Vec<(String, String)> = [
        ("Signed", "i8"),
        ("Signed", "isize"),
        ("Unsigned", "u8"),
        ("Unsigned", "usize"),
    ]
    .iter()
    .map(|(t, ty)| (t.to_string(), ty.to_string()))
    .collect();
    assert_eq!(pairs, expected);
}

#[test]
fn trait_impls_of_a_macro_invoked_by_another_macro_are_recorded() {
    // arrayvec 0.5's `fix_array_impl_recursive!` calls `fix_array_impl!` once per length, and itoa's shape
    // (`$t:ty as $p:ident #[cfg(...)]`); a macro calling itself forever stops at the depth limit.
    let inv = lib("pub trait Integer {}\n\
         macro_rules! one { ($s:ident, $u:ident) => { impl Integer for $s {} impl Integer for $u {} }; }\n\
         macro_rules! many { ($(($s:ident, $u:ident))*) => { $(one!($s, $u);)* }; }\n\
         many!((i8, u8) (i64, u64));\n\
         macro_rules! size { ($t:ty as $p:ident #[cfg(target_pointer_width = $w:literal)]) => {\n\
             #[cfg(target_pointer_width = $w)] impl Integer for $t {}\n\
         }; }\n\
         size!(usize as u64 #[cfg(target_pointer_width = \"64\")]);\n\
         pub trait Loop {}\n\
         macro_rules! forever { ($t:ty) => { impl Loop for $t {} forever!($t); }; }\n\
         forever!(u16);");
    let pairs = impl_pairs(&inv);
    for ty in ["i8", "u8", "i64", "u64", "usize"] {
        assert!(
            pairs.contains(&("Integer".to_string(), ty.to_string())),
            "Integer for {ty}: {pairs:?}"
        );
    }
    assert!(pairs.contains(&("Loop".to_string(), "u16".to_string())));
}

#[test]
fn array_impls_written_by_a_macro_name_their_length_and_leave_the_element_to_the_planner() {
    // smallvec's `impl_array!(0, 1, 2, ..., 0x40)`: `unsafe impl<T> Array for [T; $size]`.
    let inv = lib("pub unsafe trait Array { type Item; }\n\
         pub trait Bytes {}\n\
         macro_rules! impl_array { ($($size:expr),+) => { $(unsafe impl<T> Array for [T; $size] { type Item = T; })+ } }\n\
         impl_array!(0, 1, 8, 0x40);\n\
         macro_rules! bytes { ($($n:expr),*) => { $(impl Bytes for [u8; $n] {})* } }\n\
         bytes!(4);\n\
         macro_rules! bounded { ($n:expr) => { impl<T: AsRef<str>> Bytes for [T; $n] {} } }\n\
         bounded!(2);");
    let pairs = impl_pairs(&inv);
    for ty in ["[_; 0]", "[_; 1]", "[_; 8]", "[_; 64]"] {
        assert!(
            pairs.contains(&("Array".to_string(), ty.to_string())),
            "Array for {ty}: {pairs:?}"
        );
    }
    assert!(pairs.contains(&("Bytes".to_string(), "[u8; 4]".to_string())));
    assert_eq!(
        pairs.len(),
        5,
        "an element with bounds is not recorded: {pairs:?}"
    );
}

#[test]
fn a_const_generic_array_impl_is_an_array_of_the_planners_length() {
    // tinyvec: `impl<T: Default, const N: usize> Array for [T; N]`: an element bounded by std markers only is
    // the planner's, the length its preferred 8.
    let inv = lib("pub trait Array { type Item: Default; }\n\
         impl<T: Default, const N: usize> Array for [T; N] { type Item = T; }\n\
         pub trait Text {}\n\
         impl<T: AsRef<str>, const N: usize> Text for [T; N] {}");
    let pairs = impl_pairs(&inv);
    assert!(
        pairs.contains(&("Array".to_string(), "[_; 8]".to_string())),
        "{pairs:?}"
    );
    assert!(
        !pairs.iter().any(|(t, _)| t == "Text"),
        "an element bound the planner's type may not meet: {pairs:?}"
    );
}

#[test]
fn a_module_path_in_cfg_attr_follows_the_predicate_that_holds_without_features() {
    // lazy_static 1.5: `mod lazy;` is `core_lazy.rs` with the `spin_no_std` feature, `inline_lazy.rs` without.
    let inv = run(&[
        (
            "src/lib.rs",
            "#[cfg_attr(feature = \"spin_no_std\", path = \"core_lazy.rs\")]\n\
             #[cfg_attr(not(feature = \"spin_no_std\"), path = \"inline_lazy.rs\")]\n\
             pub mod lazy;\n\
             #[cfg_attr(feature = \"x\", path = \"x_other.rs\")]\n\
             pub mod other;",
        ),
        ("src/core_lazy.rs", "#[ai_generated] pub fn core_get() {}"),
        (
            "src/inline_lazy.rs",
            "#[ai_generated] pub fn inline_get() {}",
        ),
        ("src/other.rs", "#[ai_generated] pub fn default_file() {}"),
    ]);
    let got: Vec<(String, String)> = fns(&inv)
        .iter()
        .map(|f| (f.path.clone(), f.file.clone()))
        .collect();
    assert_eq!(
        got,
        [
            // The other build's file too, under its predicate (see the test of its `cfg` at the end).
            ("lazy::core_get", "src/core_lazy.rs"),
            ("lazy::inline_get", "src/inline_lazy.rs"),
            ("other::default_file", "src/other.rs"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string())),
        "{:?}",
        inv.diagnostics
    );
    assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
}

#[test]
fn a_blanket_impl_makes_the_implementors_of_its_bounds_implementors_of_its_trait() {
    // num-integer's `impl<I> Average for I where I: Integer + Shr<usize, Output = I>, for<'a, 'b> &'a I: ...`.
    let inv = lib(r#"
        pub trait Integer {}
        macro_rules! int { ($($t:ty)*) => { $(impl Integer for $t {})* } }
        int!(i64 u8);
        pub trait Average: Integer { fn average_floor(&self, other: &Self) -> Self; }
        impl<I> Average for I
        where
            I: Integer + core::ops::Shr<usize, Output = I>,
            for<'a, 'b> &'a I: core::ops::BitAnd<&'b I, Output = I>,
        {
            fn average_floor(&self, other: &I) -> I { todo!() }
        }
        pub trait Unbounded {}
        impl<T: Unbounded + Iterator> Unbounded for Vec<T> {}
        pub trait Shown {}
        impl<T: std::fmt::Display> Shown for T {}
    "#);
    let mut average: Vec<&str> = inv.packages[0]
        .trait_impls
        .iter()
        .filter(|i| i.trait_name == "Average")
        .map(|i| i.type_name.as_str())
        .collect();
    average.sort();
    assert_eq!(average, ["i64", "u8"], "{:?}", inv.packages[0].trait_impls);
    // Neither the parameter itself nor a blanket naming no crate trait is an implementor.
    assert!(
        !inv.packages[0]
            .trait_impls
            .iter()
            .any(|i| i.type_name == "I" || i.type_name == "T" || i.trait_name == "Shown"),
        "{:?}",
        inv.packages[0].trait_impls
    );
}

#[test]
fn a_function_in_a_private_nested_module_is_reached_through_a_crate_visible_reexport() {
    // unicode-width: `mod props; ` in the root, `mod gen; pub use gen::*;` in `props`.
    let inv = lib(r#"
        mod props {
            mod gen { #[ai_generated] pub fn is_lam(c: char) -> bool { c == 'l' } }
            pub use gen::*;
            mod deep { #[ai_generated] pub fn unexported() {} }
            mod renamed { #[ai_generated] pub fn inner() {} }
            pub(crate) use self::renamed::inner as outer;
        }
    "#);
    let f = |path: &str| {
        fns(&inv)
            .into_iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path} discovered"))
    };
    assert_eq!(
        reach(&inv, "props::gen::is_lam"),
        "private crate::props::is_lam"
    );
    assert_eq!(f("props::gen::is_lam").hidden_in_crate, None);
    assert_eq!(
        reach(&inv, "props::renamed::inner"),
        "private crate::props::outer"
    );
    assert_eq!(f("props::renamed::inner").hidden_in_crate, None);
    // No re-export: still hidden, with the reason.
    assert_eq!(
        f("props::deep::unexported").hidden_in_crate.as_deref(),
        Some("module `props::deep` is private")
    );
}

#[test]
fn a_static_self_receiver_is_told_apart() {
    let inv = lib(r#"
        pub struct Lazy(u8);
        impl Lazy {
            #[ai_generated] pub fn get(&'static self) -> u8 { self.0 }
            #[ai_generated] pub fn typed(self: &'static Self) -> u8 { self.0 }
            #[ai_generated] pub fn plain<'a>(&'a self) -> u8 { self.0 }
        }
    "#);
    let receiver = |p: &str| find(&inv, p).signature.receiver;
    assert_eq!(receiver("Lazy::get"), Some(Receiver::RefStatic));
    assert_eq!(receiver("Lazy::typed"), Some(Receiver::RefStatic));
    assert_eq!(receiver("Lazy::plain"), Some(Receiver::Ref));
}

#[test]
fn a_where_clause_on_a_reference_to_an_impl_parameter_makes_it_a_collection() {
    // either: `pub fn iter(&self) -> ... where for<'a> &'a L: IntoIterator, for<'a> &'a R: IntoIterator<Item
    // = <&'a L as IntoIterator>::Item>` (with `L = i64`: E0599).
    let inv = lib(r#"
        #[derive(Debug, Clone)]
        pub enum Either<L, R> { Left(L), Right(R) }
        impl<L, R> Either<L, R> {
            #[ai_generated]
            pub fn iter(&self) -> usize
            where
                for<'a> &'a L: IntoIterator,
                for<'a> &'a R: IntoIterator<Item = <&'a L as IntoIterator>::Item>,
            { 0 }
            #[ai_generated]
            pub fn anded<'a>(&'a self) -> usize where &'a L: core::ops::BitAnd { 0 }
        }
    "#);
    let bounds = |path: &str, name: &str| {
        find(&inv, path)
            .signature
            .generics
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.bounds.clone())
            .unwrap_or_default()
    };
    assert_eq!(bounds("Either::iter", "L"), ["IntoIterator"]);
    assert_eq!(bounds("Either::iter", "R"), ["IntoIterator"]);
    assert!(bounds("Either::anded", "L").is_empty());
    let f = find(&inv, "Either::iter");
    let plan = crate::plan::plan_function(f, &inv.packages[0]).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("recv_a: demo::Either<Vec<i64>, Vec<i64>> ="),
        "{body}"
    );
}

#[test]
fn the_file_a_cfg_attr_path_names_for_another_build_is_found_under_its_predicate() {
    // lazy_static 1.5: `Lazy::get` is defined in both files; the default build compiles `inline_lazy.rs`.
    let inv = run(&[
        (
            "src/lib.rs",
            "#[cfg_attr(feature = \"spin_no_std\", path = \"core_lazy.rs\")]\n\
             #[cfg_attr(not(feature = \"spin_no_std\"), path = \"inline_lazy.rs\")]\n\
             pub mod lazy;",
        ),
        (
            "src/core_lazy.rs",
            "pub struct Lazy(u8);\n#[ai_generated] impl Lazy { pub fn get(&self) -> u8 { self.0 } }",
        ),
        (
            "src/inline_lazy.rs",
            "pub struct Lazy(u8);\n#[ai_generated] impl Lazy { pub fn get(&self) -> u8 { self.0 } }",
        ),
    ]);
    let got: Vec<(&str, &str, Option<&str>)> = fns(&inv)
        .iter()
        .map(|f| (f.path.as_str(), f.file.as_str(), f.cfg.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "lazy::Lazy::get",
                "src/core_lazy.rs",
                Some("feature = \"spin_no_std\"")
            ),
            ("lazy::Lazy::get", "src/inline_lazy.rs", None),
        ]
    );
    // The other build's file is the same public module when that build compiles it: its `get` is public
    // too (a crate-private harness would wait for a `mod abuse_tests;` line the module does not need).
    let core = fns(&inv)[0];
    assert!(
        matches!(&core.reach, Reach::Public { path } if path == "demo::lazy::Lazy::get"),
        "{:?}",
        core.reach
    );
    let inline = fns(&inv)[1];
    assert!(
        matches!(&inline.reach, Reach::Public { path } if path == "demo::lazy::Lazy::get"),
        "{:?}",
        inline.reach
    );
    assert!(inv.diagnostics.is_empty(), "{:?}", inv.diagnostics);
    // The cfg a default build has is told apart from the other one's.
    assert!(cfg_text_holds("not(feature = \"spin_no_std\")", &[]));
    assert!(!cfg_text_holds("feature = \"spin_no_std\"", &[]));
    assert!(cfg_text_holds("feature = \"std\" && unix", &["std".into()]) == cfg!(unix));
    // A `cfg` a build script may set is not claimed off.
    assert!(cfg_text_holds("has_atomics", &[]));
}

#[test]
fn a_type_with_no_constructor_of_its_own_is_built_by_a_method_of_another_that_returns_it() {
    // data-encoding: `Encoder<'a>` has only a private `new`; `Encoding::new_encoder(&'a self, output: &'a mut
    // String) -> Encoder<'a>` makes one. smallvec: `IntoIter<A>` comes from `SmallVec<A>`'s
    // `IntoIterator::into_iter(self) -> Self::IntoIter`.
    let inv = lib(r#"
        pub struct Encoding { bits: u8 }
        pub const BASE64: Encoding = Encoding { bits: 6 };
        pub struct Encoder<'a> { encoding: &'a Encoding, output: &'a mut String }
        impl<'a> Encoder<'a> {
            fn new(encoding: &'a Encoding, output: &'a mut String) -> Self { Encoder { encoding, output } }
            #[ai_generated]
            pub fn append(&mut self, input: &[u8]) {}
        }
        impl Encoding {
            pub fn new_encoder<'a>(&'a self, output: &'a mut String) -> Encoder<'a> { Encoder::new(self, output) }
        }
        pub trait Array { type Item; }
        impl Array for [i64; 8] { type Item = i64; }
        pub struct SmallVec<A: Array> { data: Vec<A::Item> }
        impl<A: Array> SmallVec<A> {
            pub fn from_vec(vec: Vec<A::Item>) -> SmallVec<A> { SmallVec { data: vec } }
        }
        pub struct IntoIter<A: Array> { data: SmallVec<A> }
        impl<A: Array> IntoIter<A> {
            #[ai_generated]
            pub fn as_slice(&self) -> &[A::Item] { &[] }
        }
        impl<A: Array> IntoIterator for SmallVec<A> {
            type Item = A::Item;
            type IntoIter = IntoIter<A>;
            fn into_iter(self) -> Self::IntoIter { IntoIter { data: self } }
        }
        impl<'a, A: Array> IntoIterator for &'a SmallVec<A> {
            type Item = &'a A::Item;
            type IntoIter = core::slice::Iter<'a, A::Item>;
            fn into_iter(self) -> Self::IntoIter { self.data.iter() }
        }
    "#);
    let types = &inv.packages[0].types;
    let encoder = types.iter().find(|t| t.name == "Encoder").expect("Encoder");
    let factory = encoder
        .constructors
        .iter()
        .find(|c| c.name == "new_encoder")
        .expect("the factory");
    let owner = factory.factory.as_ref().expect("a factory");
    assert_eq!(owner.receiver, Receiver::Ref);
    let into_iter = types
        .iter()
        .find(|t| t.name == "IntoIter")
        .expect("IntoIter");
    let factory = into_iter
        .constructors
        .iter()
        .find(|c| c.name == "into_iter")
        .expect("into_iter resolved through `Self::IntoIter`");
    assert_eq!(factory.via_trait.as_deref(), Some("IntoIterator"));
    let owner = factory.factory.as_ref().expect("a factory");
    assert_eq!(owner.receiver, Receiver::Value);
    assert_eq!(owner.returns_args.len(), 1);

    let f = find(&inv, "Encoder::append");
    let plan = crate::plan::plan_function(f, &inv.packages[0]).expect("a plan");
    let body = &plan.tests[0].body;
    // The encoding (its constant) is leaked, and so is the `String` it appends to: the encoder is `'static`.
    assert!(
        body.contains("<demo::Encoding>::new_encoder(&*Box::leak(Box::new(")
            && body.contains("demo::BASE64")
            && body.contains("Box::leak(Box::new(raw.1.clone()))"),
        "{body}"
    );
    assert!(body.contains("recv_a.append("), "{body}");

    let f = find(&inv, "IntoIter::as_slice");
    let plan = crate::plan::plan_function(f, &inv.packages[0]).expect("a plan");
    let body = &plan.tests[0].body;
    // The vector gets the array type chosen for the iterator's own `A`.
    assert!(
        body.contains("<demo::SmallVec<[i64; 8]> as IntoIterator>::into_iter(")
            && body.contains("demo::SmallVec::from_vec("),
        "{body}"
    );
    assert!(plan.input_type.contains("Vec<i64>"), "{}", plan.input_type);
}

#[test]
fn pinned_receivers_are_pinned_in_place_and_specialised_impls_lend_leaked_values() {
    // either: `as_pin_ref(self: Pin<&Self>)`, `as_pin_mut(self: Pin<&mut Self>)`; `impl<L, R> Either<&L, &R>`,
    // `impl<L, R> Either<&mut L, &mut R>`, `impl<L, R, E> Either<Result<L, E>, Result<R, E>>`.
    let inv = lib(r#"
        use core::pin::Pin;
        #[derive(Debug, Clone)]
        pub enum Either<L, R> { Left(L), Right(R) }
        impl<L, R> Either<L, R> {
            #[ai_generated]
            pub fn as_pin_ref(self: Pin<&Self>) -> Either<Pin<&L>, Pin<&R>> { todo!() }
            #[ai_generated]
            pub fn as_pin_mut(self: Pin<&mut Self>) -> Either<Pin<&mut L>, Pin<&mut R>> { todo!() }
        }
        impl<L, R> Either<&L, &R> {
            #[ai_generated]
            pub fn cloned(self) -> Either<L, R> where L: Clone, R: Clone { todo!() }
        }
        impl<L, R> Either<&mut L, &mut R> {
            #[ai_generated]
            pub fn copied(self) -> Either<L, R> where L: Copy, R: Copy { todo!() }
        }
        impl<L, R, E> Either<Result<L, E>, Result<R, E>> {
            #[ai_generated]
            pub fn factor_err(self) -> Result<Either<L, R>, E> { todo!() }
        }
        pub struct Pinned { _p: core::marker::PhantomPinned }
        impl Pinned {
            pub fn new() -> Self { Pinned { _p: core::marker::PhantomPinned } }
            #[ai_generated]
            pub fn poke(self: Pin<&mut Self>) {}
        }
    "#);
    let pkg = &inv.packages[0];
    let body = |path: &str| {
        let plan = crate::plan::plan_function(find(&inv, path), pkg)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        plan.tests[0].body.clone()
    };
    assert_eq!(
        find(&inv, "Either::as_pin_ref").signature.receiver,
        Some(Receiver::PinRef)
    );
    assert_eq!(
        find(&inv, "Either::as_pin_mut").signature.receiver,
        Some(Receiver::PinMut)
    );
    let b = body("Either::as_pin_ref");
    assert!(
        b.contains("std::pin::Pin::new(&recv_a).as_pin_ref()"),
        "{b}"
    );
    let b = body("Either::as_pin_mut");
    assert!(
        b.contains("std::pin::Pin::new(&mut recv_a).as_pin_mut()"),
        "{b}"
    );
    // A type that holds `PhantomPinned` is not `Unpin`: `Pin::new` would not compile, so a reason instead.
    let err = crate::plan::plan_function(find(&inv, "Pinned::poke"), pkg)
        .expect_err("not Unpin")
        .to_string();
    assert!(
        err.contains("PhantomPinned") && err.contains("Box::pin"),
        "{err}"
    );

    let b = body("Either::cloned");
    assert!(
        b.contains("recv_a: demo::Either<&i64, &i64> =")
            && b.contains("demo::Either::Left(&*Box::leak(Box::new(raw.1.0.0.clone())))"),
        "{b}"
    );
    let b = body("Either::copied");
    assert!(
        b.contains("recv_a: demo::Either<&mut i64, &mut i64> =")
            && b.contains("demo::Either::Left(Box::leak(Box::new(raw.1.0.0.clone())))"),
        "{b}"
    );
    let plan = crate::plan::plan_function(find(&inv, "Either::factor_err"), pkg).expect("a plan");
    assert!(
        plan.input_type.contains("(Result<i64, i64>,)"),
        "{}",
        plan.input_type
    );
}

#[test]
fn functions_that_fail_with_a_crate_type_are_its_constructors_through_their_err() {
    // aho-corasick's `SmallIndexError`: an accessor and no constructor; `SmallIndex::new` (an associated function
    // of another type), a method (`&self`) and a free function fail with it.
    let inv = lib(r#"
        mod util {
            pub struct SmallIndex(u32);
            #[derive(Debug, Clone)]
            pub struct SmallIndexError { attempted: u64 }
            impl SmallIndexError {
                #[ai_generated]
                pub fn attempted(&self) -> u64 { self.attempted }
            }
            impl SmallIndex {
                pub fn new(index: usize) -> Result<SmallIndex, SmallIndexError> { Err(SmallIndexError { attempted: index as u64 }) }
                pub fn checked_add(&self, n: usize) -> Result<SmallIndex, SmallIndexError> { SmallIndex::new(n) }
                pub fn parse(s: &str) -> std::io::Result<SmallIndex> { Ok(SmallIndex(0)) }
            }
            pub fn small(index: u64) -> Result<u32, SmallIndexError> { Ok(0) }
        }
        pub use util::{small, SmallIndex, SmallIndexError};
    "#);
    let types = &inv.packages[0].types;
    let error = types
        .iter()
        .find(|t| t.name == "SmallIndexError")
        .expect("SmallIndexError");
    let by_name = |name: &str| {
        error
            .constructors
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no {name} in {:#?}", error.constructors))
    };
    let new = by_name("new");
    assert_eq!(new.returns, CtorReturn::Err);
    let free = new.free_fn.as_ref().expect("called by its owner's path");
    assert_eq!(free.path, "util::SmallIndex::new");
    assert_eq!(free.public_path.as_deref(), Some("demo::SmallIndex::new"));
    let method = by_name("checked_add");
    assert_eq!(method.returns, CtorReturn::Err);
    assert_eq!(
        method.factory.as_ref().map(|f| f.receiver),
        Some(Receiver::Ref)
    );
    let small = by_name("small");
    assert_eq!(small.returns, CtorReturn::Err);
    assert_eq!(
        small.free_fn.as_ref().map(|f| f.path.as_str()),
        Some("util::small")
    );
    // An `io::Result` names no crate error, and `SmallIndex` is not built from its own `Ok` by these.
    assert!(error.constructors.iter().all(|c| c.name != "parse"));
    let index = types
        .iter()
        .find(|t| t.name == "SmallIndex")
        .expect("SmallIndex");
    assert!(index
        .constructors
        .iter()
        .all(|c| c.returns != CtorReturn::Err));

    // The harness builds the receiver from `SmallIndex::new`'s `Err` (fewest arguments, no receiver first).
    let f = find(&inv, "util::SmallIndexError::attempted");
    let plan = crate::plan::plan_function(f, &inv.packages[0]).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("demo::SmallIndex::new(raw.0.clone())"),
        "{body}"
    );
    assert!(body.contains("Err(e) => e, Ok(_) =>"), "{body}");
}

#[test]
fn tagged_functions_in_a_file_no_mod_declares_are_reported() {
    // aho-corasick 1.1.5 keeps `src/transducer.rs` with `// mod transducer;` commented out: its tagged
    // functions were in neither `list` nor `run`, with no word why.
    let inv = run(&[
        ("src/lib.rs", "pub mod used;\n// mod unused;"),
        ("src/used.rs", "#[ai_generated] pub fn seen() {}"),
        (
            "src/unused.rs",
            "#[ai_generated] pub fn lost() {}\npub struct T;\n#[ai_generated] impl T { pub fn a(&self) {} fn private(&self) {} }",
        ),
        ("src/untagged.rs", "pub fn plain() {}"),
    ]);
    let paths: Vec<&str> = fns(&inv).iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["used::seen"]);
    let warnings: Vec<(&str, &str)> = inv
        .diagnostics
        .iter()
        .map(|d| (d.file.as_str(), d.message.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(
            "src/unused.rs",
            "2 tagged functions in a file no crate of `demo` compiles (no `mod` item declares it): not built, \
             not tested"
        )]
    );
}

#[test]
fn a_crate_trait_is_named_by_its_shortest_public_path_and_the_crate_path() {
    let inv = run(&[
        (
            "src/lib.rs",
            "mod parse; pub use parse::Receiver; mod hidden { pub trait Sealed { fn f(&self); } }",
        ),
        (
            "src/parse.rs",
            "pub trait Receiver { fn codepoint(&mut self, c: char); }\n\
             pub trait Source { fn next(&mut self) -> Option<u8>; }",
        ),
    ]);
    let traits = &inv.packages[0].traits;
    let get = |name: &str| traits.iter().find(|t| t.name == name).expect(name);
    let receiver = get("Receiver");
    assert_eq!(receiver.path, "parse::Receiver");
    assert_eq!(receiver.public_path.as_deref(), Some("demo::Receiver"));
    assert_eq!(receiver.crate_path.as_deref(), Some("crate::Receiver"));
    assert_eq!(
        receiver.noop,
        Ok(vec!["fn codepoint (& mut self , _ : char) {}".to_string()])
    );
    // Not re-exported: no public path, so the integration harness cannot implement it.
    assert_eq!(get("Sealed").public_path, None);
    assert!(get("Source").noop.is_err());
}

#[test]
fn features_that_turn_on_nightly_features_are_recorded() {
    let inv = run(&[(
        "src/lib.rs",
        "#![cfg_attr(feature = \"nightly_dedup\", feature(slice_partition_dedup))]\n\
         #![cfg_attr(all(feature = \"simd\", not(feature = \"std\")), feature(portable_simd))]\n\
         #![cfg_attr(not(feature = \"std\"), no_std)]\n\
         pub fn f() {}",
    )]);
    assert_eq!(inv.packages[0].nightly_features, ["nightly_dedup", "simd"]);
}

#[test]
fn a_type_parameter_s_default_is_recorded_by_position() {
    let inv = run(&[(
        "src/lib.rs",
        "pub struct Bits<'a, T, B = u32, const N: usize = 4> { b: &'a [B; N], t: T }\npub struct Plain<T>(T);",
    )]);
    let types = &inv.packages[0].types;
    let bits = types.iter().find(|t| t.name == "Bits").expect("Bits");
    // Lifetimes dropped, as in `generics`; a const's default is not a type.
    assert_eq!(bits.param_defaults, [None, Some("u32".to_string()), None]);
    assert_eq!(bits.generics.len(), bits.param_defaults.len());
    let plain = types.iter().find(|t| t.name == "Plain").expect("Plain");
    assert!(plain.param_defaults.is_empty());
}
