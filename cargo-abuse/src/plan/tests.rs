//! Unit tests of the plan on hand-built models.

use super::generics::strip_lifetimes;
use super::*;
use crate::model::*;

fn prim(name: &str) -> Ty {
    Ty::Path {
        path: name.into(),
        args: vec![],
    }
}

pub(crate) fn tagged(name: &str, params: Vec<(&str, Ty)>, output: Option<Ty>) -> TaggedFn {
    TaggedFn {
        package: "demo".into(),
        crate_name: "demo".into(),
        in_lib: true,
        path: name.into(),
        module_path: vec![],
        name: name.into(),
        self_type: None,
        reach: Reach::Public {
            path: format!("demo::{name}"),
        },
        file: "src/lib.rs".into(),
        line: 1,
        column: 1,
        end_line: 1,
        cfg: None,
        signature: Signature {
            params: params
                .into_iter()
                .map(|(n, ty)| Param { name: n.into(), ty })
                .collect(),
            output,
            ..Default::default()
        },
        record: Record::default(),
        fingerprint: "0".repeat(16),
        sign_fingerprint: "0".repeat(16),
        attribute: AttrSite::default(),
        signoff: SignoffState::None,
        literals: Literals::default(),
        hidden_in_crate: None,
        documents_panics: false,
        uses: vec![],
    }
}

fn package() -> Package {
    Package {
        name: "demo".into(),
        lib_crate: Some("demo".into()),
        ..Default::default()
    }
}

#[test]
fn str_param_is_generated_as_string_and_lent_as_str() {
    let f = tagged(
        "parse",
        vec![(
            "s",
            Ty::Ref {
                mutable: false,
                inner: Box::new(prim("str")),
            },
        )],
        Some(prim("u16")),
    );
    let plan = plan_function(&f, &package()).expect("supported");
    assert_eq!(plan.input_type, "(String,)");
    assert!(
        plan.tests[0].body.contains("demo::parse(v0a.as_str())"),
        "{}",
        plan.tests[0].body
    );
}

#[test]
fn impl_as_ref_str_becomes_string() {
    let f = tagged(
        "greet",
        vec![(
            "name",
            Ty::ImplTrait {
                bounds: vec!["AsRef<str>".into()],
            },
        )],
        None,
    );
    let plan = plan_function(&f, &package()).expect("supported");
    assert_eq!(plan.input_type, "(String,)");
}

#[test]
fn unknown_type_is_skipped_with_a_reason() {
    let f = tagged(
        "run",
        vec![(
            "cb",
            Ty::Other {
                text: "fn(u8)".into(),
            },
        )],
        None,
    );
    let err = plan_function(&f, &package())
        .expect_err("unsupported")
        .to_string();
    assert!(err.contains("strategy(...)"), "{err}");
}

#[test]
fn receiver_is_built_with_a_fallible_constructor() {
    let mut f = tagged("len", vec![], Some(prim("usize")));
    f.self_type = Some("Port".into());
    f.signature.receiver = Some(Receiver::Ref);
    f.reach = Reach::Public {
        path: "demo::Port::len".into(),
    };
    let mut pkg = package();
    pkg.types.push(TypeDef {
        name: "Port".into(),
        path: "Port".into(),
        public_path: Some("demo::Port".into()),
        generics: vec![],
        derives: vec!["Debug".into()],
        shape: TypeShape::Struct {
            fields: vec![Field {
                name: None,
                ty: prim("u16"),
                public: false,
            }],
        },
        constructors: vec![Constructor {
            name: "parse".into(),
            public: true,
            params: vec![Param {
                name: "s".into(),
                ty: Ty::Ref {
                    mutable: false,
                    inner: Box::new(prim("str")),
                },
            }],
            returns: CtorReturn::Result,
            free_fn: None,
            examples: vec!["8080".into()],
        }],
        consts: vec![],
        hidden_in_crate: None,
    });
    let plan = plan_function(&f, &pkg).expect("supported");
    assert_eq!(plan.input_type, "((String,),)");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::Port::parse(raw.0.as_str())"), "{body}");
    assert!(body.contains("recv_a.len()"), "{body}");
    assert_eq!(plan.glob_use.as_deref(), Some("demo::*"));
    // The constructor's doc example joins the harness's hint strings.
    assert_eq!(plan.examples, ["8080"]);
}

fn str_ref() -> Ty {
    Ty::Ref {
        mutable: false,
        inner: Box::new(prim("str")),
    }
}

fn type_def(name: &str, shape: TypeShape) -> TypeDef {
    TypeDef {
        name: name.into(),
        path: name.into(),
        public_path: Some(format!("demo::{name}")),
        generics: vec![],
        derives: vec!["Debug".into(), "Clone".into()],
        shape,
        constructors: vec![],
        consts: vec![],
        hidden_in_crate: None,
    }
}

#[test]
fn feature_gated_fn_harness_is_compiled_under_the_same_cfg() {
    let mut f = tagged("parse", vec![("s", str_ref())], Some(prim("u8")));
    f.cfg = Some("any(feature = \"std\", test) && unix".into());
    let plan = plan_function(&f, &package()).expect("supported");
    // The test target has `cfg(test)` where the library had not: `test` becomes the false `any()`.
    assert_eq!(
        plan.cfg.as_deref(),
        Some("all(any(feature = \"std\", any()), unix)")
    );
    assert!(!plan.fuzzable, "the fuzz crate has features of its own");
}

#[test]
fn test_only_fn_is_skipped_with_a_reason() {
    let mut f = tagged("helper", vec![], None);
    f.cfg = Some("test".into());
    let err = plan_function(&f, &package())
        .expect_err("unreachable")
        .to_string();
    assert!(err.contains("cfg(test)"), "{err}");
}

#[test]
fn unit_and_field_enum_is_built_from_its_variants() {
    let mut f = tagged(
        "apply",
        vec![(
            "mode",
            Ty::Path {
                path: "Mode".into(),
                args: vec![],
            },
        )],
        None,
    );
    f.signature.text = "pub fn apply(mode: Mode)".into();
    let mut pkg = package();
    pkg.types.push(type_def(
        "Mode",
        TypeShape::Enum {
            variants: vec![
                Variant {
                    name: "Off".into(),
                    fields: vec![],
                    named: false,
                },
                Variant {
                    name: "Level".into(),
                    fields: vec![Field {
                        name: None,
                        ty: prim("u8"),
                        public: true,
                    }],
                    named: false,
                },
            ],
        },
    ));
    let plan = plan_function(&f, &pkg).expect("supported");
    assert_eq!(plan.input_type, "((usize, ((u8,),)),)");
    let body = &plan.tests[0].body;
    assert!(body.contains("0 => demo::Mode::Off"), "{body}");
    assert!(
        body.contains("_ => demo::Mode::Level(raw.1.0.0.clone())"),
        "{body}"
    );
}

#[test]
fn into_iterator_of_str_borrows_a_vec_of_strings() {
    let mut f = tagged(
        "join",
        vec![(
            "words",
            Ty::Path {
                path: "I".into(),
                args: vec![],
            },
        )],
        Some(prim("String")),
    );
    f.signature.generics.push(Generic {
        name: "I".into(),
        kind: GenericKind::Type,
        bounds: vec!["IntoIterator<Item = &'a str>".into()],
    });
    let plan = plan_function(&f, &package()).expect("supported");
    assert_eq!(plan.input_type, "(Vec<String>,)");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("r0.iter().map(|x| x.as_str()).collect::<Vec<_>>()"),
        "{body}"
    );
    assert!(body.contains("demo::join::<Vec<&str>>(v0a)"), "{body}");
}

#[test]
fn static_reference_is_leaked() {
    let mut f = tagged("encode", vec![("table", str_ref())], None);
    f.signature.text = "pub fn encode(table: &'static str)".into();
    let plan = plan_function(&f, &package()).expect("supported");
    assert!(
        plan.tests[0]
            .body
            .contains("demo::encode(&*Box::leak(Box::new(v0a)))"),
        "{}",
        plan.tests[0].body
    );
}

#[test]
fn receiver_without_constructor_is_one_of_its_public_constants() {
    let mut f = tagged("add", vec![("byte", prim("u8"))], Some(prim("Self")));
    f.self_type = Some("Set".into());
    f.signature.receiver = Some(Receiver::Ref);
    f.reach = Reach::Public {
        path: "demo::Set::add".into(),
    };
    let mut pkg = package();
    let mut set = type_def("Set", TypeShape::Struct { fields: vec![] });
    set.consts = vec![
        ConstValue {
            path: "Set::EMPTY".into(),
            public_path: Some("demo::Set::EMPTY".into()),
            by_ref: false,
        },
        ConstValue {
            path: "CONTROLS".into(),
            public_path: Some("demo::CONTROLS".into()),
            by_ref: true,
        },
    ];
    pkg.types.push(set);
    let plan = plan_function(&f, &pkg).expect("supported");
    assert_eq!(plan.input_type, "(usize, u8)");
    let body = &plan.tests[0].body;
    assert!(body.contains("0 => demo::Set::EMPTY"), "{body}");
    assert!(
        body.contains("_ => ::core::clone::Clone::clone(demo::CONTROLS)"),
        "{body}"
    );
}

#[test]
fn free_function_constructor_borrows_its_raw_input() {
    let mut f = tagged("decode_utf8", vec![], Some(prim("String")));
    f.self_type = Some("Decode".into());
    f.signature.receiver = Some(Receiver::Value);
    f.reach = Reach::Public {
        path: "demo::Decode::decode_utf8".into(),
    };
    let mut pkg = package();
    let mut decode = type_def("Decode", TypeShape::Struct { fields: vec![] });
    decode.constructors.push(Constructor {
        name: "percent_decode".into(),
        public: true,
        params: vec![Param {
            name: "input".into(),
            ty: Ty::Ref {
                mutable: false,
                inner: Box::new(Ty::Slice {
                    elem: Box::new(prim("u8")),
                }),
            },
        }],
        returns: CtorReturn::Plain,
        examples: vec![],
        free_fn: Some(FreeFnPath {
            path: "percent_decode".into(),
            public_path: Some("demo::percent_decode".into()),
        }),
    });
    pkg.types.push(decode);
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    // In place, not a clone dropped at the end of the set-up: the value keeps the borrow.
    assert!(body.contains("let raw = &r0;"), "{body}");
    assert!(
        body.contains("demo::percent_decode(raw.0.as_slice())"),
        "{body}"
    );
}

#[test]
fn fn_hidden_from_the_crate_root_is_skipped() {
    let mut f = tagged("width", vec![("c", prim("char"))], Some(prim("usize")));
    f.reach = Reach::CratePrivate {
        path: "crate::tables::gen::width".into(),
    };
    f.hidden_in_crate = Some("module `tables::gen` is private".into());
    let err = plan_function(&f, &package())
        .expect_err("hidden")
        .to_string();
    assert!(err.contains("module `tables::gen` is private"), "{err}");
}

#[test]
fn array_with_a_named_length_is_not_generated() {
    let f = tagged(
        "load",
        vec![(
            "table",
            Ty::Array {
                elem: Box::new(prim("u8")),
                len: "TABLE_LEN".into(),
            },
        )],
        None,
    );
    assert!(plan_function(&f, &package()).is_err());
    let g = tagged(
        "load",
        vec![(
            "table",
            Ty::Array {
                elem: Box::new(prim("u8")),
                len: "64".into(),
            },
        )],
        None,
    );
    assert_eq!(
        plan_function(&g, &package()).expect("literal").input_type,
        "([u8; 64],)"
    );
}

#[test]
fn lifetimes_are_stripped_from_bounds() {
    assert_eq!(
        strip_lifetimes("IntoIterator<Item = &'a str>"),
        "IntoIterator<Item = &str>"
    );
    assert_eq!(strip_lifetimes("'static"), "");
    assert_eq!(
        replace_test_predicate("any(test, feature = \"test\")"),
        "any(any(), feature = \"test\")"
    );
}

#[test]
fn two_types_of_one_name_in_different_modules_are_two_sequences() {
    // aho-corasick has `dfa::Builder` and `nfa::Builder`: one sequence of both types' methods had duplicate
    // `Call` variants and calls to methods the receiver lacks.
    let method = |path: &str| {
        let mut f = tagged(path, vec![], Some(prim("usize")));
        f.self_type = Some("Builder".into());
        f.signature.receiver = Some(Receiver::Ref);
        f
    };
    let mut pkg = package();
    pkg.functions = vec![
        method("dfa::Builder::len"),
        method("dfa::Builder::depth"),
        method("nfa::Builder::len"),
        method("nfa::Builder::depth"),
        method("Builder::len"),
    ];
    let sequences = sequence::plan_sequences(&pkg);
    assert_eq!(
        sequences
            .iter()
            .map(|s| s.type_name.as_str())
            .collect::<Vec<_>>(),
        ["Builder", "Builder"],
        "one per type path with two or more methods (the root's `Builder` has one)"
    );
}

fn generic(name: &str, bounds: &[&str]) -> Generic {
    Generic {
        name: name.into(),
        kind: GenericKind::Type,
        bounds: bounds.iter().map(|b| b.to_string()).collect(),
    }
}

#[test]
fn a_closure_parameter_gets_a_generated_closure_returning_attacked_values() {
    // `fn count_where<F: FnMut(&u8) -> bool>(v: &[u8], f: F) -> usize`
    let mut f = tagged(
        "count_where",
        vec![
            (
                "v",
                Ty::Ref {
                    mutable: false,
                    inner: Box::new(Ty::Slice {
                        elem: Box::new(prim("u8")),
                    }),
                },
            ),
            ("f", prim("F")),
        ],
        Some(prim("usize")),
    );
    f.signature
        .generics
        .push(generic("F", &["FnMut(&'a u8) -> bool", "Send"]));
    let plan = plan_function(&f, &package()).expect("supported");
    assert_eq!(
        plan.input_type,
        "(Vec<u8>, abuse_runtime::Returns<bool, 1>)"
    );
    assert!(
        plan.strategy
            .contains("abuse_runtime::returns::<bool, 1>(&hints(\"f\"))"),
        "{}",
        plan.strategy
    );
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let v1a = { let ret = r1.clone(); move |_: &u8| ret.next() };"),
        "{body}"
    );
    // The closure's type has no name: the turbofish leaves it to inference.
    assert!(
        body.contains("demo::count_where::<_>(v0a.as_slice(), v1a)"),
        "{body}"
    );
    assert!(plan.fuzzable);
}

#[test]
fn a_closure_returning_a_free_type_parameter_returns_the_type_chosen_for_it() {
    // `fn map_left<L, F, M>(l: L, f: F) -> M where F: FnOnce(L) -> M`; and `impl Fn(char)` with no output.
    let mut f = tagged(
        "map_left",
        vec![
            ("l", prim("L")),
            ("f", prim("F")),
            (
                "g",
                Ty::ImplTrait {
                    bounds: vec!["Fn(char, &mut String)".into()],
                },
            ),
            (
                "h",
                Ty::Path {
                    path: "Box".into(),
                    args: vec![Ty::Other {
                        text: "dyn FnMut(&[u8]) -> Option<usize> + Send".into(),
                    }],
                },
            ),
        ],
        Some(prim("M")),
    );
    f.signature.generics = vec![
        generic("L", &[]),
        generic("F", &["FnOnce(L) -> M"]),
        generic("M", &[]),
    ];
    let plan = plan_function(&f, &package()).expect("supported");
    assert_eq!(
        plan.input_type,
        "(i64, abuse_runtime::Returns<i64, 1>, abuse_runtime::Returns<(), 2>, \
         abuse_runtime::Returns<Option<usize>, 1>)"
    );
    let body = &plan.tests[0].body;
    assert!(
        body.contains("Box::new({ let ret = r3.clone(); move |_: &[u8]| ret.next() })"),
        "{body}"
    );
    assert!(body.contains("move |_: i64| ret.next()"), "{body}");
    assert!(
        body.contains("move |_: char, _: &mut String| ret.next()"),
        "{body}"
    );
    // No turbofish with `impl Trait` arguments.
    assert!(
        body.contains("demo::map_left(v0a, v1a, v2a, v3a)"),
        "{body}"
    );
}

#[test]
fn a_closure_returning_what_cannot_be_generated_is_skipped_with_a_reason() {
    let mut f = tagged("each", vec![("f", prim("F"))], None);
    f.signature
        .generics
        .push(generic("F", &["FnMut(&str) -> Result<(), Error>"]));
    let err = plan_function(&f, &package())
        .expect_err("unsupported")
        .to_string();
    assert!(err.contains("generated closure returns only"), "{err}");
}
