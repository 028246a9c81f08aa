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
        test: None,
        uses: vec![],
    }
}

/// `shapes::Celsius` with `new(f64)` and the tagged methods `get(&self)` and `set(&mut self, f64)`; `public` is
/// the type's public path (`demo::shapes::Celsius`, or a re-export such as `demo::Celsius`).
pub(crate) fn celsius_package(public: &str) -> Package {
    let method = |name: &str, receiver, params: Vec<(&str, Ty)>| {
        let mut f = tagged(name, params, None);
        f.self_type = Some("Celsius".into());
        f.module_path = vec!["shapes".into()];
        f.path = format!("shapes::Celsius::{name}");
        f.reach = Reach::Public {
            path: format!("{public}::{name}"),
        };
        f.signature.receiver = Some(receiver);
        f
    };
    Package {
        name: "demo".into(),
        lib_crate: Some("demo".into()),
        functions: vec![
            method("get", Receiver::Ref, vec![]),
            method("set", Receiver::RefMut, vec![("v", prim("f64"))]),
        ],
        types: vec![TypeDef {
            name: "Celsius".into(),
            path: "shapes::Celsius".into(),
            public_path: Some(public.into()),
            generics: vec![],
            param_defaults: Vec::new(),
            derives: vec!["Debug".into(), "Clone".into()],
            shape: TypeShape::Struct {
                fields: vec![Field {
                    name: None,
                    ty: prim("f64"),
                    public: false,
                }],
            },
            constructors: vec![Constructor {
                name: "new".into(),
                public: true,
                params: vec![Param {
                    name: "v".into(),
                    ty: prim("f64"),
                }],
                returns: CtorReturn::Plain,
                free_fn: None,
                via_trait: None,
                examples: vec![],
                generics: vec![],
                static_params: vec![],
                factory: None,
            }],
            consts: vec![],
            hidden_in_crate: None,
        }],
        ..Default::default()
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
        param_defaults: Vec::new(),
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
            via_trait: None,
            examples: vec!["8080".into()],
            generics: vec![],
            static_params: vec![],
            factory: None,
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
        param_defaults: Vec::new(),
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
        generics: vec![],
        static_params: vec![],
        factory: None,
        free_fn: Some(FreeFnPath {
            path: "percent_decode".into(),
            public_path: Some("demo::percent_decode".into()),
        }),
        via_trait: None,
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
        replace_test_predicate("any(test, feature = \"test\")", "any()"),
        "any(any(), feature = \"test\")"
    );
}

#[test]
fn a_tagged_test_runs_as_it_is_when_a_default_test_build_compiles_it() {
    let test = |cfg: Option<&str>, attr: TestAttr, in_lib: bool| {
        let mut f = tagged("tests::checks", vec![], None);
        f.test = Some(attr);
        f.cfg = cfg.map(str::to_string);
        f.in_lib = in_lib;
        f
    };
    let package = Package {
        default_features: vec!["std".into()],
        ..package()
    };
    // `cfg(test)` holds in the unit-test build that runs it; a default feature too.
    for cfg in [
        None,
        Some("test"),
        Some("test && feature = \"std\""),
        Some("any(test, miri)"),
    ] {
        assert!(
            is_own_test(&test(cfg, TestAttr::Runs, true), &package),
            "{cfg:?}"
        );
    }
    // A feature off by default, `not(test)`, a binary's test and an ignored test are not run that way.
    for cfg in [Some("test && feature = \"slow\""), Some("not(test)")] {
        assert!(
            !is_own_test(&test(cfg, TestAttr::Runs, true), &package),
            "{cfg:?}"
        );
    }
    assert!(!is_own_test(&test(None, TestAttr::Runs, false), &package));
    let ignored = test(Some("test"), TestAttr::Ignored, true);
    assert!(!is_own_test(&ignored, &package));
    assert_eq!(
        plan_function(&ignored, &package),
        Err(SkipReason::IgnoredTest)
    );
    // An ordinary function is not a test.
    assert!(!is_own_test(
        &tagged("tests::checks", vec![], None),
        &package
    ));
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

/// `enum Either<L, R> { Left(L), Right(R) }`.
fn either_def() -> TypeDef {
    let field = |ty: &str| Field {
        name: None,
        ty: prim(ty),
        public: true,
    };
    let mut def = type_def(
        "Either",
        TypeShape::Enum {
            variants: vec![
                Variant {
                    name: "Left".into(),
                    fields: vec![field("L")],
                    named: false,
                },
                Variant {
                    name: "Right".into(),
                    fields: vec![field("R")],
                    named: false,
                },
            ],
        },
    );
    def.generics = ["L", "R"]
        .map(|name| Generic {
            name: name.into(),
            kind: GenericKind::Type,
            bounds: vec![],
        })
        .to_vec();
    def
}

#[test]
fn a_generic_crate_type_written_with_the_chosen_parameters_is_built() {
    let either = |l: &str, r: &str| Ty::Path {
        path: "Either".into(),
        args: vec![prim(l), prim(r)],
    };
    let mut f = tagged(
        "eq_other",
        vec![("other", either("L", "R"))],
        Some(prim("bool")),
    );
    f.self_type = Some("Either<L, R>".into());
    f.signature.receiver = Some(Receiver::Ref);
    f.signature.text = "pub fn eq_other(&self, other: Either<L, R>) -> bool".into();
    for name in ["L", "R"] {
        f.signature.generics.push(Generic {
            name: name.into(),
            kind: GenericKind::Type,
            bounds: vec![],
        });
    }
    let mut pkg = package();
    pkg.types.push(either_def());
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("Either::Left(") && body.contains("Either::Right("),
        "{body}"
    );

    // Written with other types than the ones chosen, the fields would not substitute: still refused.
    let mut g = f.clone();
    g.signature.params[0].ty = either("u8", "R");
    let err = plan_function(&g, &pkg)
        .expect_err("unsupported")
        .to_string();
    assert!(
        err.contains("generic type `Either` is not built automatically"),
        "{err}"
    );
}

#[test]
fn the_receiver_of_a_specialised_impl_block_has_the_impl_s_type_arguments() {
    // `impl<L, R> Either<Option<L>, Option<R>> { pub fn factor_none(self) -> Option<Either<L, R>> }`
    let mut f = tagged("factor_none", vec![], None);
    f.self_type = Some("Either<Option<L>, Option<R>>".into());
    f.signature.receiver = Some(Receiver::Value);
    f.signature.text = "pub fn factor_none(self) -> Option<Either<L, R>>".into();
    for name in ["L", "R"] {
        f.signature.generics.push(Generic {
            name: name.into(),
            kind: GenericKind::Type,
            bounds: vec![],
        });
    }
    let mut pkg = package();
    pkg.types.push(either_def());
    let plan = plan_function(&f, &pkg).expect("supported");
    // Each variant holds an `Option` of the type chosen for the method's parameter, not that type itself.
    assert!(
        plan.input_type.contains("Option<i64>") && !plan.input_type.contains("(i64,)"),
        "{}",
        plan.input_type
    );
    // And the receiver's annotation says so (one variant alone does not fix both parameters).
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let mut recv_a: demo::Either<Option<i64>, Option<i64>> ="),
        "{body}"
    );
}

#[test]
fn a_receiver_type_parameter_with_a_default_gets_the_default() {
    // bit-vec: `struct BitVec<B = u32>`, `impl BitVec<u32> { pub fn from_bytes(&[u8]) -> Self }`, `impl<B:
    // BitBlock> BitVec<B> { pub fn len(&self) -> usize }`, `BitBlock` implemented for u64 and u32 (in that
    // order): the receiver is the type users name, `BitVec<u32>`, which `from_bytes` builds; not `BitVec<u64>`.
    let mut f = tagged("len", vec![], Some(prim("usize")));
    f.self_type = Some("BitVec<B>".into());
    f.signature.receiver = Some(Receiver::Ref);
    f.signature.generics.push(generic("B", &["BitBlock"]));
    let mut pkg = package();
    let mut def = type_def("BitVec", TypeShape::Struct { fields: vec![] });
    def.generics = vec![generic("B", &["BitBlock"])];
    def.param_defaults = vec![Some("u32".into())];
    def.constructors.push(plain_ctor(
        "from_bytes",
        "bytes",
        Ty::Ref {
            mutable: false,
            inner: Box::new(Ty::Slice {
                elem: Box::new(prim("u8")),
            }),
        },
    ));
    pkg.types.push(def);
    for ty in ["u64", "u32"] {
        pkg.trait_impls.push(TraitImpl {
            trait_name: "BitBlock".into(),
            type_name: ty.into(),
            trait_args: vec![],
        });
    }
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let mut recv_a: demo::BitVec<u32> ="),
        "{body}"
    );

    // Without the default, an implementor is chosen as before (the first primitive of the impls).
    pkg.types[0].param_defaults.clear();
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let mut recv_a: demo::BitVec<u64> ="),
        "{body}"
    );
}

#[test]
fn a_type_with_a_hand_written_default_and_nothing_else_is_its_default() {
    // quoted_printable's `Options`: private fields, no constructor, `impl Default for Options` written out.
    let mut f = tagged("line_length_limit", vec![("limit", prim("usize"))], None);
    f.self_type = Some("Options".into());
    f.signature.receiver = Some(Receiver::Value);
    let mut pkg = package();
    pkg.types.push(type_def(
        "Options",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("limit".into()),
                ty: prim("usize"),
                public: false,
            }],
        },
    ));
    let err = plan_function(&f, &pkg)
        .expect_err("nothing builds it")
        .to_string();
    assert!(err.contains("cannot build a `Options`"), "{err}");
    pkg.trait_impls.push(TraitImpl {
        trait_name: "Default".into(),
        type_name: "Options".into(),
        trait_args: vec![],
    });
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("<demo::Options as Default>::default()"),
        "{body}"
    );
}

#[test]
fn a_type_with_const_parameters_is_built_and_named_with_their_values() {
    // wildmatch: `struct WildMatchPattern<const MULTI: char, const SINGLE: char>`, `impl<const MULTI: char, const
    // SINGLE: char> WildMatchPattern<MULTI, SINGLE> { pub fn new(pattern: &str) -> Self; pub fn is_match(&self,
    // input: &str) -> bool }`.
    let konst = |name: &str| Generic {
        name: name.into(),
        kind: GenericKind::Const,
        bounds: vec!["char".into()],
    };
    let mut pkg = package();
    let mut def = type_def("Pattern", TypeShape::Struct { fields: vec![] });
    def.generics = vec![konst("MULTI"), konst("SINGLE")];
    def.constructors
        .push(plain_ctor("new", "pattern", str_ref()));
    pkg.types.push(def);
    let with_self = |name: &str, params: Vec<(&str, Ty)>, output: Option<Ty>| {
        let mut f = tagged(name, params, output);
        f.self_type = Some("Pattern<MULTI, SINGLE>".into());
        f.signature.generics = vec![konst("MULTI"), konst("SINGLE")];
        f.reach = Reach::Public {
            path: format!("demo::Pattern::{name}"),
        };
        f
    };
    // Two different values: wildmatch asserts at compile time that the wildcards differ.
    let mut is_match = with_self("is_match", vec![("input", str_ref())], Some(prim("bool")));
    is_match.signature.receiver = Some(Receiver::Ref);
    let plan = plan_function(&is_match, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let mut recv_a: demo::Pattern<'a', 'b'> ="),
        "{body}"
    );
    // The constructor itself: nothing in its arguments fixes the type's parameters, so they go on the type.
    let new = with_self("new", vec![("pattern", str_ref())], Some(prim("Self")));
    let plan = plan_function(&new, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::Pattern::<'a', 'b'>::new("), "{body}");
}

#[test]
fn a_crate_trait_implemented_for_std_ranges_gets_a_range_of_usize() {
    // fixedbitset: `pub trait IndexRange<T = usize>`, implemented for `RangeFull`, `Range<T>`, ...;
    // `count_ones<T: IndexRange>(&self, range: T)`.
    let mut f = tagged("count", vec![("range", prim("T"))], Some(prim("usize")));
    f.signature.generics.push(generic("T", &["IndexRange"]));
    let mut pkg = package();
    for ty in ["RangeFull", "Range"] {
        pkg.trait_impls.push(TraitImpl {
            trait_name: "IndexRange".into(),
            type_name: ty.into(),
            trait_args: vec!["T".into()],
        });
    }
    let plan = plan_function(&f, &pkg).expect("supported");
    assert!(plan.input_type.contains("usize"), "{}", plan.input_type);
    assert!(plan.tests[0].body.contains(".."), "{}", plan.tests[0].body);
}

#[test]
fn a_list_of_a_buildable_crate_type_is_a_list_of_its_raw_values() {
    // textwrap: `wrap_first_fit(fragments: &[Word], ..)`, `break_words<I: IntoIterator<Item = Word<'a>>>(words: I)`.
    let mut pkg = package();
    pkg.types.push(type_def(
        "Word",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("text".into()),
                ty: prim("String"),
                public: true,
            }],
        },
    ));
    let slice_of_words = Ty::Ref {
        mutable: false,
        inner: Box::new(Ty::Slice {
            elem: Box::new(prim("Word")),
        }),
    };
    let f = tagged(
        "total",
        vec![("words", slice_of_words)],
        Some(prim("usize")),
    );
    let plan = plan_function(&f, &pkg).expect("supported");
    assert!(
        plan.strategy
            .contains("abuse_runtime::collections::vec_of("),
        "{}",
        plan.strategy
    );
    let body = &plan.tests[0].body;
    assert!(
        body.contains(".iter()") && body.contains("demo::Word {"),
        "{body}"
    );
    assert!(body.contains("demo::total(v0a.as_slice())"), "{body}");

    let mut g = tagged("count", vec![("words", prim("I"))], Some(prim("usize")));
    g.signature
        .generics
        .push(generic("I", &["IntoIterator<Item = Word<'a>>"]));
    let plan = plan_function(&g, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::count::<Vec<demo::Word>>("), "{body}");
}

#[test]
fn a_trait_constructor_is_called_through_the_trait_and_unchecked_ones_are_never_used() {
    let mut f = tagged("domain", vec![], Some(prim("String")));
    f.self_type = Some("Email".into());
    f.signature.receiver = Some(Receiver::Ref);
    f.reach = Reach::Public {
        path: "demo::Email::domain".into(),
    };
    let ctor = |name: &str, returns: CtorReturn, via_trait: Option<&str>| Constructor {
        name: name.into(),
        public: true,
        params: vec![Param {
            name: "s".into(),
            ty: str_ref(),
        }],
        returns,
        free_fn: None,
        via_trait: via_trait.map(Into::into),
        generics: vec![],
        static_params: vec![],
        factory: None,
        examples: vec![],
    };
    let mut email = type_def(
        "Email",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("raw".into()),
                ty: prim("String"),
                public: false,
            }],
        },
    );
    // Sorted first (infallible) were it allowed.
    email.constructors = vec![
        ctor("new_unchecked", CtorReturn::Plain, None),
        ctor("from_str", CtorReturn::Result, Some("::core::str::FromStr")),
    ];
    let mut pkg = package();
    pkg.types.push(email);
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("<demo::Email as ::core::str::FromStr>::from_str(raw.0.as_str())"),
        "{body}"
    );
    assert!(!body.contains("new_unchecked"), "{body}");

    // The type's own `parse` comes before the trait's `from_str` (semver's `VersionReq::parse` has the doc
    // examples; `from_str` sorts first by name).
    let mut with_parse = pkg.clone();
    with_parse.types[0]
        .constructors
        .push(ctor("parse", CtorReturn::Result, None));
    let plan = plan_function(&f, &with_parse).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("demo::Email::parse(raw.0.as_str())"),
        "{body}"
    );

    // Fewer parameters first, own or not: each attacked argument more (an options struct with an attacked
    // `minimum_sub_domains`) can reject every input (email_address's `parse_with_options` left 7 methods
    // without a case, where `from_str` runs them).
    let mut with_options = pkg.clone();
    let mut parse_with_options = ctor("parse_with_options", CtorReturn::Result, None);
    parse_with_options.params.push(Param {
        name: "strict".into(),
        ty: prim("bool"),
    });
    with_options.types[0].constructors.push(parse_with_options);
    let plan = plan_function(&f, &with_options).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("<demo::Email as ::core::str::FromStr>::from_str(raw.0.as_str())")
            && !body.contains("parse_with_options"),
        "{body}"
    );
}

fn generic(name: &str, bounds: &[&str]) -> Generic {
    Generic {
        name: name.into(),
        kind: GenericKind::Type,
        bounds: bounds.iter().map(|b| b.to_string()).collect(),
    }
}

/// aho-corasick's `AhoCorasick::new<I, P>(patterns: I) where I: IntoIterator<Item = P>, P: AsRef<[u8]>`.
/// A public constructor `name(param: ty) -> Self`.
fn plain_ctor(name: &str, param: &str, ty: Ty) -> Constructor {
    Constructor {
        name: name.into(),
        public: true,
        params: vec![Param {
            name: param.into(),
            ty,
        }],
        returns: CtorReturn::Plain,
        free_fn: None,
        via_trait: None,
        examples: vec![],
        generics: vec![],
        static_params: vec![],
        factory: None,
    }
}

fn patterns_ctor() -> Constructor {
    Constructor {
        name: "new".into(),
        public: true,
        params: vec![Param {
            name: "patterns".into(),
            ty: prim("I"),
        }],
        returns: CtorReturn::Result,
        free_fn: None,
        via_trait: None,
        examples: vec![],
        generics: vec![
            generic("I", &["IntoIterator<Item = P>"]),
            generic("P", &["AsRef<[u8]>"]),
        ],
        static_params: vec![],
        factory: None,
    }
}

#[test]
fn parameter_fixed_by_an_associated_type_binding_is_chosen() {
    let ctor = patterns_ctor();
    let mut f = tagged("new", vec![("patterns", prim("I"))], Some(prim("Self")));
    f.self_type = Some("Searcher".into());
    f.path = "Searcher::new".into();
    f.reach = Reach::Public {
        path: "demo::Searcher::new".into(),
    };
    f.signature.generics = ctor.generics.clone();
    let mut pkg = package();
    pkg.types
        .push(type_def("Searcher", TypeShape::Struct { fields: vec![] }));
    let plan = plan_function(&f, &pkg).expect("`P` is fixed by `I`'s `Item = P`");
    assert_eq!(plan.input_type, "(Vec<Vec<u8>>,)");

    // The receiver of its methods is built with that generic constructor.
    let mut len = tagged("len", vec![], Some(prim("usize")));
    len.self_type = Some("Searcher".into());
    len.signature.receiver = Some(Receiver::Ref);
    len.reach = Reach::Public {
        path: "demo::Searcher::len".into(),
    };
    pkg.types[0].constructors.push(ctor);
    let plan = plan_function(&len, &pkg).expect("receiver built by `new`");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("demo::Searcher::new(raw.0.clone())"),
        "{body}"
    );
    assert!(plan.strategy.contains("Vec<Vec<u8>>"), "{}", plan.strategy);
}

#[test]
fn into_bound_is_met_by_its_target_type() {
    // `fn find<S: Into<Span>>(span: S)`; `Span { pub start: usize, pub end: usize }`.
    let mut f = tagged("find", vec![("span", prim("S"))], Some(prim("bool")));
    f.signature.generics = vec![generic("S", &["Into<Span>"])];
    let mut pkg = package();
    let field = |n: &str| Field {
        name: Some(n.into()),
        ty: prim("usize"),
        public: true,
    };
    pkg.types.push(type_def(
        "Span",
        TypeShape::Struct {
            fields: vec![field("start"), field("end")],
        },
    ));
    let plan = plan_function(&f, &pkg).expect("`Span` meets `Into<Span>`");
    assert_eq!(plan.input_type, "((usize, usize),)");
    assert!(
        plan.tests[0]
            .body
            .contains("demo::Span { start: raw.0, end: raw.1 }"),
        "{}",
        plan.tests[0].body
    );
    // A lifetime argument (`Into<Input<'h>>`) names the same type.
    f.signature.generics = vec![generic("S", &["Into<Span<'h>>"])];
    assert!(plan_function(&f, &pkg).is_ok());
}

#[test]
fn type_name_of_two_modules_resolves_through_the_module_imports() {
    // aho-corasick: `util::search::MatchKind` and `packed::api::MatchKind`; `ahocorasick.rs` imports the first.
    let mut f = tagged("match_kind", vec![("kind", prim("MatchKind"))], None);
    f.module_path = vec!["ahocorasick".into()];
    f.path = "ahocorasick::match_kind".into();
    f.uses = vec![UseItem {
        name: "MatchKind".into(),
        path: "crate::util::search::MatchKind".into(),
    }];
    let mut pkg = package();
    for (module, public) in [
        ("util::search", "demo::MatchKind"),
        ("packed::api", "demo::packed::MatchKind"),
    ] {
        let mut def = type_def(
            "MatchKind",
            TypeShape::Enum {
                variants: vec![Variant {
                    name: "Standard".into(),
                    fields: vec![],
                    named: false,
                }],
            },
        );
        def.path = format!("{module}::MatchKind");
        def.public_path = Some(public.into());
        pkg.types.push(def);
    }
    let plan = plan_function(&f, &pkg).expect("the imported `MatchKind`");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::MatchKind::Standard"), "{body}");
    // A path written with its module names its type too.
    f.signature.params[0].ty = prim("api::MatchKind");
    f.uses.clear();
    let plan = plan_function(&f, &pkg).expect("`api::MatchKind`");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::packed::MatchKind::Standard"), "{body}");
}

#[test]
fn static_constructor_argument_is_leaked() {
    // data-encoding: `Encoding::internal_new(implementation: &'static [u8]) -> Encoding` builds the receiver;
    // lending the raw bytes (`raw.0.as_slice()`) does not live for `'static` (E0597).
    let mut f = tagged("bit_width", vec![], Some(prim("usize")));
    f.self_type = Some("Encoding".into());
    f.signature.receiver = Some(Receiver::Ref);
    f.reach = Reach::Public {
        path: "demo::Encoding::bit_width".into(),
    };
    let mut pkg = package();
    let mut encoding = type_def("Encoding", TypeShape::Struct { fields: vec![] });
    encoding.constructors.push(Constructor {
        name: "internal_new".into(),
        public: true,
        params: vec![Param {
            name: "implementation".into(),
            ty: Ty::Ref {
                mutable: false,
                inner: Box::new(Ty::Slice {
                    elem: Box::new(prim("u8")),
                }),
            },
        }],
        returns: CtorReturn::Plain,
        free_fn: None,
        via_trait: None,
        examples: vec![],
        generics: vec![],
        static_params: vec!["implementation".into()],
        factory: None,
    });
    pkg.types.push(encoding);
    let plan = plan_function(&f, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("demo::Encoding::internal_new(&*Box::leak(Box::new(raw.0.clone())))"),
        "{body}"
    );
}

#[test]
fn a_receivers_capacity_is_a_set_up_size_and_the_constructors_own_harness_keeps_the_full_range() {
    let with_capacity = |public| Constructor {
        name: "with_capacity".into(),
        public,
        params: vec![Param {
            name: "capacity".into(),
            ty: prim("usize"),
        }],
        returns: CtorReturn::Plain,
        free_fn: None,
        via_trait: None,
        examples: vec![],
        generics: vec![],
        static_params: vec![],
        factory: None,
    };
    let mut pkg = package();
    let mut def = type_def(
        "Pool",
        TypeShape::Struct {
            fields: vec![Field {
                name: None,
                ty: prim("usize"),
                public: false,
            }],
        },
    );
    def.constructors.push(with_capacity(true));
    pkg.types.push(def);
    let mut len = tagged("len", vec![], Some(prim("usize")));
    len.self_type = Some("Pool".into());
    len.signature.receiver = Some(Receiver::Ref);
    len.reach = Reach::Public {
        path: "demo::Pool::len".into(),
    };
    let plan = plan_function(&len, &pkg).expect("supported");
    assert!(
        plan.strategy.contains(
            "abuse_runtime::setup_size(abuse_runtime::attack::<usize>(&hints(\"capacity\")))"
        ),
        "{}",
        plan.strategy
    );
    // The constructor's own harness attacks its argument over the whole range.
    let mut ctor = tagged(
        "with_capacity",
        vec![("capacity", prim("usize"))],
        Some(prim("Pool")),
    );
    ctor.self_type = Some("Pool".into());
    ctor.reach = Reach::Public {
        path: "demo::Pool::with_capacity".into(),
    };
    let plan = plan_function(&ctor, &pkg).expect("supported");
    assert!(!plan.strategy.contains("setup_size"), "{}", plan.strategy);
    // ... and tells the runtime the size its caller asked for, just before the call.
    let body = &plan.tests[0].body;
    let asked = body.find("abuse_runtime::requested(&v0a);");
    let call = body.find("let _out = demo::Pool::with_capacity(v0a)");
    assert!(asked.is_some() && asked < call, "{body}");
    assert!(!plan_function(&len, &pkg).expect("supported").tests[0]
        .body
        .contains("requested"));
    // Only integers named as a size are bounded.
    let part = |ty: &str| values::ValuePlan {
        raw_ty: ty.into(),
        strategy: format!("abuse_runtime::attack::<{ty}>(&hints(\"x\"))"),
        build: values::Build::Same,
        pass: values::Pass::Value,
    };
    assert!(crate_types::is_setup_size(&part("u32"), "row_count"));
    assert!(crate_types::is_setup_size(&part("usize"), "n"));
    assert!(crate_types::is_setup_size(&part("usize"), "bits"));
    assert!(crate_types::is_setup_size(&part("usize"), "nbits"));
    assert!(!crate_types::is_setup_size(&part("usize"), "seed"));
    assert!(!crate_types::is_setup_size(&part("usize"), "bit"));
    assert!(!crate_types::is_setup_size(&part("u64"), "width"));
    assert!(!crate_types::is_setup_size(&part("String"), "len"));
}

#[test]
fn a_receivers_strings_and_collections_are_set_up_inputs() {
    let mut pkg = package();
    let mut def = type_def(
        "Matcher",
        TypeShape::Struct {
            fields: vec![Field {
                name: None,
                ty: prim("String"),
                public: false,
            }],
        },
    );
    def.constructors.push(Constructor {
        name: "new".into(),
        public: true,
        params: vec![
            Param {
                name: "pattern".into(),
                ty: prim("String"),
            },
            Param {
                name: "limit".into(),
                ty: prim("u32"),
            },
        ],
        returns: CtorReturn::Plain,
        free_fn: None,
        via_trait: None,
        examples: vec![],
        generics: vec![],
        static_params: vec![],
        factory: None,
    });
    pkg.types.push(def);
    let mut find = tagged("find", vec![("haystack", str_ref())], Some(prim("bool")));
    find.self_type = Some("Matcher".into());
    find.signature.receiver = Some(Receiver::Ref);
    find.reach = Reach::Public {
        path: "demo::Matcher::find".into(),
    };
    let plan = plan_function(&find, &pkg).expect("supported");
    // The receiver's pattern is cut to a few KiB; its integer and the argument under test are not touched.
    assert!(
        plan.strategy.contains(
            "abuse_runtime::setup_input(abuse_runtime::attack::<String>(&hints(\"pattern\")))"
        ),
        "{}",
        plan.strategy
    );
    assert_eq!(
        plan.strategy.matches("setup_input").count(),
        1,
        "{}",
        plan.strategy
    );
    let part = |ty: &str, strategy: &str| values::ValuePlan {
        raw_ty: ty.into(),
        strategy: strategy.into(),
        build: values::Build::Same,
        pass: values::Pass::Value,
    };
    assert!(crate_types::is_setup_input(&part(
        "Vec<String>",
        "abuse_runtime::attack::<Vec<String>>(&hints(\"patterns\"))"
    )));
    assert!(crate_types::is_setup_input(&part(
        "String",
        "abuse_runtime::or_examples(&[\"a\"], abuse_runtime::attack::<String>(&hints(\"s\")))"
    )));
    assert!(!crate_types::is_setup_input(&part(
        "u64",
        "abuse_runtime::attack::<u64>(&hints(\"x\"))"
    )));
    assert!(!crate_types::is_setup_input(&part(
        "bool",
        "abuse_runtime::attack::<bool>(&hints(\"x\"))"
    )));
}

fn trait_impl(trait_name: &str, type_name: &str) -> TraitImpl {
    TraitImpl {
        trait_name: trait_name.into(),
        type_name: type_name.into(),
        trait_args: vec![],
    }
}

/// `name(x: T)` with `T: bounds`, planned against a package with `impls`.
fn plan_bounded(bounds: &[&str], impls: Vec<TraitImpl>) -> Result<FnPlan, SkipReason> {
    let mut f = tagged("gcd", vec![("x", prim("T"))], Some(prim("T")));
    f.signature.generics.push(Generic {
        name: "T".into(),
        kind: GenericKind::Type,
        bounds: bounds.iter().map(|b| b.to_string()).collect(),
    });
    let mut pkg = package();
    pkg.trait_impls = impls;
    plan_function(&f, &pkg)
}

#[test]
fn a_crate_trait_implemented_for_primitives_gets_i64_first() {
    // num-integer's `Integer`, implemented by `impl_integer_for_isize!` for every signed integer (discovery
    // records macro impls sorted by type name: `i128` comes first there).
    let impls = ["i128", "i16", "i32", "i64", "i8", "isize", "u8"]
        .iter()
        .map(|t| trait_impl("Integer", t))
        .collect::<Vec<_>>();
    let plan = plan_bounded(&["Integer"], impls.clone()).expect("a plan");
    assert_eq!(plan.input_type, "(i64,)", "{plan:?}");
    // Beside std operators and markers, still a primitive; `Neg` rules out the unsigned ones.
    let unsigned = vec![trait_impl("One", "u8"), trait_impl("One", "u64")];
    let plan =
        plan_bounded(&["Add<T, Output = T>", "Clone", "One"], unsigned.clone()).expect("a plan");
    assert_eq!(plan.input_type, "(u64,)", "{plan:?}");
    assert!(plan_bounded(&["Neg<Output = T>", "One"], unsigned).is_err());
    // Std operators on the parameter alone (num-iter's `range_step_from`): a primitive integer.
    let plan = plan_bounded(&["Add<T, Output = T>", "Clone"], vec![]).expect("a plan");
    assert_eq!(plan.input_type, "(i64,)", "{plan:?}");
    assert!(plan_bounded(&["Add<String, Output = T>"], vec![]).is_err());
    // Every crate trait must be implemented: `Integer + Signed` leaves the signed types.
    let mut both = impls;
    both.push(trait_impl("Signed", "i8"));
    let plan = plan_bounded(&["Integer", "Signed"], both).expect("a plan");
    assert_eq!(plan.input_type, "(i8,)", "{plan:?}");
}

#[test]
fn a_crate_trait_with_no_known_implementor_is_not_guessed() {
    let impls = vec![trait_impl("Integer", "u8")];
    let err =
        plan_bounded(&["Integer", "Roots"], impls.clone()).expect_err("no implementor of Roots");
    assert!(format!("{err:?}").contains("Roots"), "{err:?}");
    assert!(plan_bounded(&["Integer", "serde::Serialize"], impls).is_err());
}

#[test]
fn an_array_trait_gets_a_small_array_whose_element_follows_the_item_binding() {
    // arrayvec 0.5: `impl<A: Array> ArrayVec<A>`, `A: Array<Item = u8> + Copy` for `ArrayString`; discovery
    // names `impl<T> Array for [T; 8]` `[_; 8]`.
    let impls = ["[_; 0]", "[_; 1]", "[_; 128]", "[_; 16]", "[_; 8]"]
        .iter()
        .map(|t| trait_impl("Array", t))
        .collect::<Vec<_>>();
    let mut f = tagged("push", vec![("x", prim("A::Item"))], None);
    f.signature.generics.push(Generic {
        name: "A".into(),
        kind: GenericKind::Type,
        bounds: vec!["Array<Item = u8>".into(), "Copy".into()],
    });
    let mut pkg = package();
    pkg.trait_impls = impls;
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert_eq!(
        plan.input_type, "(u8,)",
        "`A::Item` is the element: {plan:?}"
    );
    assert!(format!("{plan:?}").contains("[u8; 8]"), "{plan:?}");
    f.signature.generics[0].bounds = vec!["Array".into()];
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert_eq!(plan.input_type, "(i64,)", "{plan:?}");
}

#[test]
fn an_associated_function_of_a_generic_type_gets_its_type_arguments_on_the_type() {
    // arrayvec 0.5: `impl<A: Array> ArrayVec<A> { pub fn new() -> ArrayVec<A> }`: no argument names `A`.
    let mut f = tagged("new", vec![], Some(prim("usize")));
    f.path = "ArrayVec::new".into();
    f.self_type = Some("ArrayVec<A>".into());
    f.reach = Reach::Public {
        path: "demo::ArrayVec::new".into(),
    };
    f.signature.generics.push(Generic {
        name: "A".into(),
        kind: GenericKind::Type,
        bounds: vec!["Array".into()],
    });
    let mut pkg = package();
    pkg.trait_impls = vec![trait_impl("Array", "[_; 8]")];
    let plan = plan_function(&f, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::ArrayVec::<[i64; 8]>::new()"), "{body}");
    // An argument naming `A` only through `A::Item` (smallvec's `from_vec(Vec<A::Item>)`) does not infer it.
    f.signature.params = vec![Param {
        name: "vec".into(),
        ty: Ty::Path {
            path: "Vec".into(),
            args: vec![prim("A::Item")],
        },
    }];
    let plan = plan_function(&f, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::ArrayVec::<[i64; 8]>::new("), "{body}");
    // With no implementor known, still the reason it had.
    pkg.trait_impls.clear();
    assert!(plan_function(&f, &pkg).is_err());
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
fn a_parameter_no_argument_names_gets_a_turbofish_beside_impl_trait_arguments() {
    // humansize: `pub fn make_format_i<T: ToF64>(options: impl AsRef<FormatSizeOptions>) -> impl Fn(T) -> String`.
    let mut f = tagged(
        "make_format_i",
        vec![(
            "options",
            Ty::ImplTrait {
                bounds: vec!["AsRef<str>".into()],
            },
        )],
        Some(prim("String")),
    );
    f.signature.generics.push(generic("T", &["Debug"]));
    let plan = plan_function(&f, &package()).expect("supported");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::make_format_i::<i64>("), "{body}");
}

#[test]
fn a_closure_returning_what_cannot_be_generated_is_skipped_with_a_reason() {
    // (`Result<(), Error>` is now returned as `Ok(())`: see
    // `a_closure_returning_a_result_returns_ok_of_drawn_values_never_an_err`; an `Ok` of a type nothing builds
    // still cannot be.)
    let mut f = tagged("each", vec![("f", prim("F"))], None);
    f.signature
        .generics
        .push(generic("F", &["FnMut(&str) -> Result<Handle, Error>"]));
    let err = plan_function(&f, &package())
        .expect_err("unsupported")
        .to_string();
    assert!(err.contains("generated closure returns only"), "{err}");
}

#[test]
fn bounds_on_traits_of_another_package_get_a_std_primitive() {
    // num-iter: `range<A: Add<A, Output = A> + PartialOrd + Clone + One>`, `use num_traits::{One, Zero};`.
    let mut f = tagged(
        "range",
        vec![("start", prim("A")), ("stop", prim("A"))],
        Some(prim("A")),
    );
    f.signature.generics.push(generic(
        "A",
        &["Add<A, Output = A>", "PartialOrd", "Clone", "One"],
    ));
    f.uses = vec![UseItem {
        name: "One".into(),
        path: "num_traits::One".into(),
    }];
    let plan = plan_function(&f, &package()).expect("a guess");
    assert_eq!(plan.input_type, "(i64, i64)", "{plan:?}");
    // Written with its path, and a float trait: `f64`.
    f.uses.clear();
    f.signature.generics[0].bounds = vec!["num_traits::Float".into(), "Copy".into()];
    let plan = plan_function(&f, &package()).expect("a guess");
    assert_eq!(plan.input_type, "(f64, f64)", "{plan:?}");
    // A trait of the crate itself (no `use`, or `use crate::...`) with no implementor: still no guess.
    f.signature.generics[0].bounds = vec!["LazyStatic".into()];
    assert!(plan_function(&f, &package()).is_err());
    f.uses = vec![UseItem {
        name: "LazyStatic".into(),
        path: "crate::LazyStatic".into(),
    }];
    assert!(plan_function(&f, &package()).is_err());
    // A std trait primitives lack: no guess.
    f.signature.generics[0].bounds = vec!["std::error::Error".into()];
    assert!(plan_function(&f, &package()).is_err());
}

#[test]
fn a_static_receiver_is_leaked_and_kept_out_of_sequences() {
    // lazy_static: `pub fn get<F: FnOnce() -> T>(&'static self, f: F) -> &T` (E0597 with a local receiver).
    let mut pkg = celsius_package("demo::shapes::Celsius");
    pkg.functions[0].signature.receiver = Some(Receiver::RefStatic);
    let plan = plan_function(&pkg.functions[0], &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let mut recv_a: &'static _ = Box::leak(Box::new("),
        "{body}"
    );
    assert!(body.contains("recv_a.get()"), "{body}");
    // The `&self` method keeps its local receiver.
    let plan = plan_function(&pkg.functions[1], &pkg).expect("supported");
    assert!(
        !plan.tests[0].body.contains("Box::leak"),
        "{}",
        plan.tests[0].body
    );
    // The sequence leaves `get` out (it cannot lend its receiver for `'static`): `set` alone is no sequence.
    let sequences = sequence::plan_sequences(&pkg);
    assert!(
        matches!(&sequences[0].plan, Err(sequence::NoSequence::OneMethod { method }) if method == "set"),
        "{:?}",
        sequences[0].plan
    );
}

#[test]
fn an_iterator_whose_items_are_another_parameters_items_gets_the_same_collection() {
    // either: `into_iter(self) where L: IntoIterator, R: IntoIterator<Item = L::Item>`.
    let mut f = tagged("chain", vec![("l", prim("L")), ("r", prim("R"))], None);
    f.signature.generics = vec![
        generic("L", &["IntoIterator"]),
        generic("R", &["IntoIterator<Item = L::Item>"]),
    ];
    let plan = plan_function(&f, &package()).expect("a plan");
    assert_eq!(plan.input_type, "(Vec<i64>, Vec<i64>)", "{plan:?}");
    // Not when `L` fixes no plain collection.
    f.signature.generics[0] = generic("L", &["Iterator"]);
    assert!(plan_function(&f, &package()).is_err());
}

#[test]
fn an_in_crate_harness_imports_the_neighbours_through_the_reexporting_module() {
    // unicode-width: `props::gen::is_lam` is named `crate::props::is_lam` (`mod gen` is private to `props`).
    let mut f = tagged("is_lam", vec![("c", prim("char"))], Some(prim("bool")));
    f.module_path = vec!["props".into(), "gen".into()];
    f.path = "props::gen::is_lam".into();
    f.reach = Reach::CratePrivate {
        path: "crate::props::is_lam".into(),
    };
    let plan = plan_function(&f, &package()).expect("supported");
    let text = format!("{plan:?}");
    assert!(text.contains("crate::props::*"), "{text}");
    assert!(text.contains("crate::props::is_lam(v0a)"), "{text}");
    assert!(!text.contains("crate::props::gen"), "{text}");
}

#[test]
fn an_items_projection_of_another_parameter_is_its_element_and_comparison_markers_get_i64() {
    // smallvec: `impl<A: Array> SmallVec<A> { fn insert_many<I: IntoIterator<Item = A::Item>>(.., iterable: I)
    // }`, `fn append<B: Array<Item = A::Item>>(.., other: &mut SmallVec<B>)`; `A` gets `[i64; 8]`, so the
    // items are `i64`.
    let mut f = tagged("insert_many", vec![("iterable", prim("I"))], None);
    f.signature.generics = vec![
        generic("A", &["Array"]),
        generic("I", &["IntoIterator<Item = A::Item>"]),
    ];
    let mut pkg = package();
    pkg.trait_impls = vec![trait_impl("Array", "[_; 8]")];
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert_eq!(plan.input_type, "(Vec<i64>,)", "{plan:?}");
    f.signature.generics[1] = generic("I", &["Array<Item = A::Item>"]);
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert!(format!("{plan:?}").contains("[i64; 8]"), "{plan:?}");
    // `dedup_by_key<K: PartialEq<K>>`: a marker on the parameter itself, even where the crate implements
    // `PartialEq` for its own types.
    pkg.trait_impls.push(trait_impl("PartialEq", "SmallVec"));
    let plan = plan_bounded(&["PartialEq<T>"], pkg.trait_impls.clone()).expect("a plan");
    assert_eq!(plan.input_type, "(i64,)", "{plan:?}");
}

#[test]
fn a_method_behind_a_cfg_is_left_out_of_the_sequence() {
    // smallvec's `drain_filter` exists only with `feature = "drain_filter"`: a call variant naming it made the
    // whole sequence harness fail to compile.
    let mut pkg = celsius_package("demo::Celsius");
    let mut gated = pkg.functions[1].clone();
    gated.name = "set_gated".into();
    gated.path = "shapes::Celsius::set_gated".into();
    gated.cfg = Some("feature = \"gated\"".into());
    pkg.functions.push(gated);
    let sequences = sequence::plan_sequences(&pkg);
    let plan = sequences[0].plan.as_ref().expect("a sequence");
    let methods: Vec<&str> = plan.calls.iter().map(|c| c.method.as_str()).collect();
    assert_eq!(methods, ["get", "set"]);
}

#[test]
fn a_const_parameter_gets_the_array_length_of_the_receiver_s_type_or_a_small_value() {
    // smallvec: `impl<T, const N: usize> SmallVec<[T; N]> { pub const fn new_const() -> Self; pub const fn
    // from_const(items: [T; N]) -> Self }`: `N` is the length `A: Array` gets elsewhere (`[i64; 8]`).
    let const_n = |ty: &str| Generic {
        name: "N".into(),
        kind: GenericKind::Const,
        bounds: vec![ty.into()],
    };
    let mut f = tagged("from_const", vec![], Some(prim("Self")));
    f.path = "SmallVec::from_const".into();
    f.self_type = Some("SmallVec<[T; N]>".into());
    f.reach = Reach::Public {
        path: "demo::SmallVec::from_const".into(),
    };
    f.signature.generics = vec![generic("T", &[]), const_n("usize")];
    f.signature.params = vec![Param {
        name: "items".into(),
        ty: Ty::Array {
            elem: Box::new(prim("T")),
            len: "N".into(),
        },
    }];
    let plan = plan_function(&f, &package()).expect("a plan");
    assert_eq!(plan.input_type, "([i64; 8],)", "{plan:?}");
    let body = &plan.tests[0].body;
    // The argument fixes `T` and `N`.
    assert!(body.contains("demo::SmallVec::from_const(v0a)"), "{body}");
    // `new_const()`: no argument names `T` or `N`, the type's arguments say both.
    f.signature.params.clear();
    f.name = "new_const".into();
    f.reach = Reach::Public {
        path: "demo::SmallVec::new_const".into(),
    };
    let plan = plan_function(&f, &package()).expect("a plan");
    assert!(
        plan.tests[0]
            .body
            .contains("demo::SmallVec::<[i64; 8]>::new_const()"),
        "{}",
        plan.tests[0].body
    );

    // A free `const N: usize` with nothing to match gets 4, written in the call (so in every reproduction);
    // a `bool` gets `true`.
    let mut g = tagged(
        "chunk",
        vec![(
            "bytes",
            Ty::Array {
                elem: Box::new(prim("u8")),
                len: "N".into(),
            },
        )],
        None,
    );
    g.signature.generics = vec![const_n("usize"), {
        let mut b = const_n("bool");
        b.name = "B".into();
        b
    }];
    let plan = plan_function(&g, &package()).expect("a plan");
    assert_eq!(plan.input_type, "([u8; 4],)", "{plan:?}");
    assert!(
        plan.tests[0].body.contains("demo::chunk::<4, true>(v0a)"),
        "{}",
        plan.tests[0].body
    );
    // A const of a type with no value chosen keeps its reason.
    g.signature.generics = vec![const_n("MyEnum")];
    let err = plan_function(&g, &package()).expect_err("unsupported");
    assert!(err.to_string().contains("const generic `N`"), "{err}");
}

#[test]
fn a_return_only_type_parameter_is_the_type_its_sources_convert_into() {
    // either: `impl<L, R> Either<L, R> { pub fn either_into<T>(self) -> T where L: Into<T>, R: Into<T> }`:
    // `L`, `R` get `i64`, so `T = i64` (`impl<T> From<T> for T`), given by a turbofish on the method.
    let mut f = tagged("either_into", vec![], Some(prim("T")));
    f.path = "Either::either_into".into();
    f.self_type = Some("Either<L, R>".into());
    f.signature.receiver = Some(Receiver::Value);
    f.signature.generics = vec![
        generic("L", &["Into<T>"]),
        generic("R", &["Into<T>"]),
        generic("T", &[]),
    ];
    let mut pkg = package();
    pkg.types.push(either_def());
    let plan = plan_function(&f, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(body.contains("recv_a.either_into::<i64>()"), "{body}");
    // `T: From<L>`, with `L` given a `String` by its own bound: `T = String`.
    f.signature.generics = vec![
        generic("L", &["AsRef<str>"]),
        generic("R", &["AsRef<str>"]),
        generic("T", &["From<L>"]),
    ];
    let plan = plan_function(&f, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(body.contains("recv_a.either_into::<String>()"), "{body}");
    // A method whose own parameter an argument fixes keeps no turbofish.
    f.signature.params = vec![Param {
        name: "t".into(),
        ty: prim("T"),
    }];
    f.signature.generics[2] = generic("T", &[]);
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert!(
        plan.tests[0].body.contains("recv_a.either_into(v1a)"),
        "{}",
        plan.tests[0].body
    );
}

#[test]
fn a_closure_returning_a_type_the_harness_builds_returns_built_values_in_turn() {
    // either: `impl<L, R> Either<L, R> { pub fn left_and_then<F, S>(self, f: F) -> Either<S, R> where F:
    // FnOnce(L) -> Either<S, R> }`: the closure returns `Either<i64, i64>` values, drawn as the receiver is.
    let either = |l: &str, r: &str| Ty::Path {
        path: "Either".into(),
        args: vec![prim(l), prim(r)],
    };
    let mut f = tagged(
        "left_and_then",
        vec![("f", prim("F"))],
        Some(either("S", "R")),
    );
    f.path = "Either::left_and_then".into();
    f.self_type = Some("Either<L, R>".into());
    f.signature.receiver = Some(Receiver::Value);
    f.signature.generics = vec![
        generic("L", &[]),
        generic("R", &[]),
        generic("F", &["FnOnce(L) -> Either<S, R>"]),
        generic("S", &[]),
    ];
    let mut pkg = package();
    pkg.types.push(either_def());
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert!(
        plan.input_type
            .contains("abuse_runtime::Returns<(usize, ((i64,), (i64,))), 1>"),
        "{}",
        plan.input_type
    );
    assert!(
        plan.strategy
            .contains("abuse_runtime::returns_of::<(usize, ((i64,), (i64,))), 1>("),
        "{}",
        plan.strategy
    );
    let body = &plan.tests[0].body;
    // Built before the call, inside the set-up (a refusing constructor rejects the case).
    assert!(
        body.contains("abuse_runtime::setup(|| { let raw = &r1; let built: Vec<demo::Either<i64, i64>> = raw.values().iter().map(|r| "),
        "{body}"
    );
    assert!(
        body.contains("let ret = abuse_runtime::Returns::<demo::Either<i64, i64>, 1>::new(built); move |_: i64| ret.next() })?"),
        "{body}"
    );
    // `S` is named by no argument: the turbofish gives the type the closure's values have.
    assert!(
        body.contains("recv_a.left_and_then::<_, i64>(v1a)"),
        "{body}"
    );
    assert!(plan.fuzzable);
}

#[test]
fn a_function_a_default_build_leaves_out_says_so_before_why_it_has_no_harness() {
    // smallvec: `impl DrainFilter { pub fn keep_rest(self) }` under `feature = "drain_keep_rest"`; the type
    // exists only with `feature = "drain_filter"` (off by default), so nothing in this build can make one.
    let mut f = tagged("keep_rest", vec![], None);
    f.self_type = Some("DrainFilter".into());
    f.signature.receiver = Some(Receiver::Value);
    f.cfg = Some("feature = \"drain_keep_rest\"".into());
    let mut pkg = package();
    let err = plan_function(&f, &pkg)
        .expect_err("unsupported")
        .to_string();
    assert!(
        err.starts_with(
            "compiled only with `feature = \"drain_keep_rest\"`, which a default build does not set; with it: \
             receiver: "
        ),
        "{err}"
    );
    // On by default: the reason alone.
    pkg.default_features = vec!["drain_keep_rest".into()];
    let err = plan_function(&f, &pkg)
        .expect_err("unsupported")
        .to_string();
    assert!(err.starts_with("receiver: "), "{err}");
    // A predicate this cannot know (a build script's) claims nothing.
    f.cfg = Some("has_drain".into());
    let err = plan_function(&f, &package())
        .expect_err("unsupported")
        .to_string();
    assert!(err.starts_with("receiver: "), "{err}");
}

#[test]
fn a_result_of_attacked_types_is_attacked_and_a_one_argument_alias_is_not() {
    // `Either<Result<L, E>, Result<R, E>>`'s fields, or a parameter `Result<u8, String>`: the runtime draws Ok
    // and Err of attacked values; `io::Result<T>` is an alias whose error type the harness cannot name.
    let result = |args: Vec<Ty>| Ty::Path {
        path: "Result".into(),
        args,
    };
    let f = tagged(
        "take",
        vec![("r", result(vec![prim("u8"), prim("String")]))],
        None,
    );
    let plan = plan_function(&f, &package()).expect("a plan");
    assert_eq!(plan.input_type, "(Result<u8, String>,)", "{plan:?}");
    let g = tagged("take", vec![("r", result(vec![prim("u8")]))], None);
    assert!(plan_function(&g, &package()).is_err());
}

#[test]
fn a_struct_field_that_borrows_is_built_owned_and_leaked() {
    // `pub struct Span<'a> { pub text: &'a str, pub bytes: &'a [u8] }`: the owned values are leaked so the
    // built value may be `'static`.
    let field = |name: &str, ty: Ty| Field {
        name: Some(name.into()),
        ty,
        public: true,
    };
    let bytes = Ty::Ref {
        mutable: false,
        inner: Box::new(Ty::Slice {
            elem: Box::new(prim("u8")),
        }),
    };
    let mut pkg = package();
    pkg.types.push(type_def(
        "Span",
        TypeShape::Struct {
            fields: vec![field("text", str_ref()), field("bytes", bytes)],
        },
    ));
    let f = tagged("len", vec![("s", prim("Span"))], Some(prim("usize")));
    let plan = plan_function(&f, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("text: &*Box::leak(raw.0.into_boxed_str())")
            && body.contains("bytes: &*Box::leak(raw.1.into_boxed_slice())"),
        "{body}"
    );
    assert!(plan.input_type.contains("(String, Vec<u8>)"), "{plan:?}");
}

#[test]
fn a_deserializer_parameter_gets_the_runtime_s_generated_data_and_its_values_i64() {
    // either's `serde_untagged::deserialize<'de, L, R, D>(deserializer: D) -> Result<Either<L, R>, D::Error>
    // where D: Deserializer<'de>, L: Deserialize<'de>, R: Deserialize<'de>`: never `i64` for `D`.
    for bound in [
        "Deserializer<'de>",
        "serde::Deserializer<'de>",
        "serde::de::Deserializer<'de>",
    ] {
        let mut f = tagged("deserialize", vec![("deserializer", prim("D"))], None);
        f.signature.generics = vec![
            generic("L", &["Deserialize<'de>"]),
            generic("R", &["serde::Deserialize<'de>"]),
            generic("D", &[bound]),
        ];
        let plan = plan_function(&f, &package()).expect("a plan");
        assert_eq!(plan.input_type, "(abuse_runtime::serde::Data,)", "{bound}");
        assert_eq!(
            plan.strategy,
            "(abuse_runtime::attack::<abuse_runtime::serde::Data>(&hints(\"deserializer\")),)"
        );
        assert!(
            plan.tests[0]
                .body
                .contains("demo::deserialize::<i64, i64, abuse_runtime::serde::Data>(v0a)"),
            "{}",
            plan.tests[0].body
        );
        // The fuzz crate's runtime has no serde: no fuzz target.
        assert!(!plan.fuzzable);
    }
    // `DeserializeOwned` values are `i64` too.
    let mut f = tagged("read", vec![("d", prim("D"))], None);
    f.signature.generics = vec![
        generic("T", &["serde::de::DeserializeOwned"]),
        generic("D", &["for<'de> Deserializer<'de>"]),
    ];
    let plan = plan_function(&f, &package());
    assert!(
        plan.as_ref()
            .is_ok_and(|p| p.tests[0].body.contains("::<i64,")),
        "{plan:?}"
    );
}

#[test]
fn a_serializer_parameter_gets_the_runtime_s_sink_and_a_crate_type_named_data_does_not_shadow_it() {
    // `serialize<S: Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error>`, in a crate that has a
    // `Data` of its own.
    let mut f = tagged(
        "serialize",
        vec![
            (
                "value",
                Ty::Ref {
                    mutable: false,
                    inner: Box::new(prim("u32")),
                },
            ),
            ("serializer", prim("S")),
        ],
        None,
    );
    f.signature.generics = vec![generic("S", &["serde::Serializer"])];
    let mut pkg = package();
    pkg.types
        .push(type_def("Data", TypeShape::Struct { fields: vec![] }));
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert_eq!(plan.input_type, "(u32, abuse_runtime::serde::Sink)");
    assert!(
        plan.tests[0]
            .body
            .contains("demo::serialize::<abuse_runtime::serde::Sink>(&v0a, v1a)"),
        "{}",
        plan.tests[0].body
    );
    let mut g = tagged("deserialize", vec![("d", prim("D"))], None);
    g.signature.generics = vec![generic("D", &["Deserializer<'de>"])];
    let plan = plan_function(&g, &pkg).expect("a plan");
    assert_eq!(plan.input_type, "(abuse_runtime::serde::Data,)");
    // A trait of the same name in another crate's path is not serde's.
    let mut h = tagged("other", vec![("d", prim("D"))], None);
    h.signature.generics = vec![generic("D", &["mycodec::Serializer"])];
    let plan = plan_function(&h, &pkg);
    assert!(
        plan.as_ref()
            .map_or(true, |p| !p.input_type.contains("abuse_runtime")),
        "{plan:?}"
    );
}

#[test]
fn a_serde_helper_behind_a_feature_keeps_its_cfg() {
    let mut f = tagged("deserialize", vec![("deserializer", prim("D"))], None);
    f.signature.generics = vec![generic("D", &["Deserializer<'de>"])];
    f.cfg = Some("feature = \"serde\"".into());
    let plan = plan_function(&f, &package()).expect("a plan");
    assert_eq!(plan.cfg.as_deref(), Some("feature = \"serde\""));
    assert_eq!(plan.input_type, "(abuse_runtime::serde::Data,)");
}

#[test]
fn a_serialize_helper_s_value_written_through_super_is_the_crate_type_built_with_the_chosen_types()
{
    // either's `serde_untagged::serialize<L, R, S>(this: &super::Either<L, R>, serializer: S)`.
    let either = Ty::Path {
        path: "super::Either".into(),
        args: vec![prim("L"), prim("R")],
    };
    let mut f = tagged(
        "serialize",
        vec![
            (
                "this",
                Ty::Ref {
                    mutable: false,
                    inner: Box::new(either),
                },
            ),
            ("serializer", prim("S")),
        ],
        None,
    );
    f.module_path = vec!["serde_untagged".into()];
    f.path = "serde_untagged::serialize".into();
    f.reach = Reach::Public {
        path: "demo::serde_untagged::serialize".into(),
    };
    f.signature.generics = vec![
        generic("L", &["Serialize"]),
        generic("R", &["serde::Serialize"]),
        generic("S", &["Serializer"]),
    ];
    let mut pkg = package();
    pkg.types.push(either_def());
    // The module's own private `Either` (the untagged copy) is not the one `super::` names.
    let mut private = either_def();
    private.path = "serde_untagged::Either".into();
    private.public_path = None;
    pkg.types.push(private);
    let plan = plan_function(&f, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("Either::Left(") && body.contains("Either::Right("),
        "{body}"
    );
    assert!(
        body.contains(
            "demo::serde_untagged::serialize::<i64, i64, abuse_runtime::serde::Sink>(&v0a, v1a)"
        ),
        "{body}"
    );
    // `serde_untagged_optional::serialize(this: &Option<super::Either<L, R>>, ...)`: `None`, or `Some` of a
    // built `Either`.
    let mut g = f.clone();
    g.signature.params[0].ty = Ty::Ref {
        mutable: false,
        inner: Box::new(Ty::Path {
            path: "Option".into(),
            args: vec![Ty::Path {
                path: "super::Either".into(),
                args: vec![prim("L"), prim("R")],
            }],
        }),
    };
    let plan = plan_function(&g, &pkg).expect("a plan");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("Some(r) => Some(")
            && body.contains("demo::Either::Left(")
            && body.contains("None => None }"),
        "{body}"
    );
    assert!(
        plan.strategy.contains("some.then_some(r)"),
        "{}",
        plan.strategy
    );
    // `super::` past the crate root names nothing.
    f.module_path = vec![];
    assert!(plan_function(&f, &pkg).is_err());
}

#[test]
fn a_closure_returning_a_result_returns_ok_of_drawn_values_never_an_err() {
    // `fn stream<F: FnMut(&[u8]) -> Result<(), std::io::Error>>(f: F)` (aho-corasick's
    // `try_stream_replace_all_with`): `io::Error` cannot be drawn, `Ok(())` is a valid return the caller handles.
    let mut f = tagged("stream", vec![("f", prim("F"))], None);
    f.signature.generics.push(generic(
        "F",
        &["FnMut(&[u8]) -> Result<(), std::io::Error>"],
    ));
    let plan = plan_function(&f, &package()).expect("supported");
    assert_eq!(plan.input_type, "(abuse_runtime::Returns<(), 1>,)");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("let v0a = { let ret = r0.clone(); move |_: &[u8]| Ok(ret.next()) };"),
        "{body}"
    );
    // `io::Result<usize>` (an alias of one argument) and `fmt::Result` (none): `Ok` of drawn values likewise.
    for (bound, raw) in [
        (
            "FnMut(u8) -> io::Result<usize>",
            "abuse_runtime::Returns<usize, 1>",
        ),
        ("FnMut(u8) -> fmt::Result", "abuse_runtime::Returns<(), 1>"),
    ] {
        let mut g = tagged("stream", vec![("f", prim("F"))], None);
        g.signature.generics.push(generic("F", &[bound]));
        let plan = plan_function(&g, &package()).expect("supported");
        assert_eq!(plan.input_type, format!("({raw},)"), "{bound}");
        assert!(plan.tests[0].body.contains("Ok(ret.next())"), "{bound}");
    }
    // `Ok` of a crate type the harness builds: built values, each returned as `Ok`.
    let mut pkg = package();
    pkg.types.push(type_def(
        "Level",
        TypeShape::Enum {
            variants: vec![
                Variant {
                    name: "Low".into(),
                    fields: vec![],
                    named: false,
                },
                Variant {
                    name: "High".into(),
                    fields: vec![],
                    named: false,
                },
            ],
        },
    ));
    let mut h = tagged("stream", vec![("f", prim("F"))], None);
    h.signature.generics.push(generic(
        "F",
        &["FnMut(u8) -> Result<Level, std::io::Error>"],
    ));
    let plan = plan_function(&h, &pkg).expect("supported");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("Returns::<demo::Level, 1>::new(built)"),
        "{body}"
    );
    assert!(body.contains("move |_: u8| Ok(ret.next())"), "{body}");
}

#[test]
fn an_option_of_a_crate_type_is_none_or_some_of_a_built_value() {
    // `AhoCorasickBuilder::kind(&mut self, kind: Option<AhoCorasickKind>)`: the enum is built from its
    // variants, the raw value is `Option` of its raw value (prints `Some((1, ()))`, pastes back).
    let mut pkg = package();
    pkg.types.push(type_def(
        "Kind",
        TypeShape::Enum {
            variants: ["Nfa", "Dfa"]
                .iter()
                .map(|n| Variant {
                    name: (*n).into(),
                    fields: vec![],
                    named: false,
                })
                .collect(),
        },
    ));
    let option = |inner: Ty| Ty::Path {
        path: "Option".into(),
        args: vec![inner],
    };
    let f = tagged("kind", vec![("kind", option(prim("Kind")))], None);
    let plan = plan_function(&f, &pkg).expect("supported");
    assert_eq!(plan.input_type, "(Option<(usize, ())>,)");
    assert!(
        plan.strategy.contains("some.then_some(r)"),
        "{}",
        plan.strategy
    );
    let body = &plan.tests[0].body;
    assert!(
        body.contains("match &r0.clone() { Some(r) => Some({ #[allow(unused_variables)] let raw = r.clone(); match raw.0 { 0 => demo::Kind::Nfa, _ => demo::Kind::Dfa } }), None => None }"),
        "{body}"
    );
    assert!(body.contains("demo::kind(v0a)"), "{body}");
    // Of a type nothing builds: the reason names that type, not `Option`.
    let g = tagged("kind", vec![("kind", option(prim("Opaque")))], None);
    let err = plan_function(&g, &pkg)
        .expect_err("unsupported")
        .to_string();
    assert!(err.contains("type `Opaque` is neither supported"), "{err}");
}

/// `SmallIndexError` (an error type with an accessor and no constructor) and `SmallIndex::new(usize) ->
/// Result<SmallIndex, SmallIndexError>`, as discovery attaches it.
fn failing_package() -> Package {
    let mut pkg = package();
    let mut error = type_def(
        "SmallIndexError",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("attempted".into()),
                ty: prim("u64"),
                public: false,
            }],
        },
    );
    error.constructors.push(Constructor {
        name: "new".into(),
        public: true,
        params: vec![Param {
            name: "index".into(),
            ty: prim("usize"),
        }],
        returns: CtorReturn::Err,
        free_fn: Some(FreeFnPath {
            path: "SmallIndex::new".into(),
            public_path: Some("demo::SmallIndex::new".into()),
        }),
        examples: vec![],
        via_trait: None,
        generics: vec![],
        static_params: vec![],
        factory: None,
    });
    pkg.types.push(error);
    pkg
}

#[test]
fn an_error_type_with_no_constructor_is_built_from_the_err_of_a_function_that_fails_with_it() {
    let mut f = tagged("attempted", vec![], Some(prim("u64")));
    f.self_type = Some("SmallIndexError".into());
    f.signature.receiver = Some(Receiver::Ref);
    let plan = plan_function(&f, &failing_package()).expect("supported");
    assert_eq!(plan.input_type, "((usize,),)");
    let body = &plan.tests[0].body;
    // The function is called as itself (`SmallIndex::new`, not `SmallIndexError::new`); its `Err` is the value,
    // its `Ok` rejects the case with a reason saying so.
    assert!(
        body.contains("demo::SmallIndex::new(raw.0.clone())"),
        "{body}"
    );
    assert!(body.contains("Err(e) => e, Ok(_) => return Err(abuse_runtime::prelude::TestCaseError::reject(\"the function that builds the value through its Err did not fail\"))"), "{body}");
}

#[test]
fn a_constructor_of_its_own_is_preferred_to_a_function_that_fails_with_the_type() {
    let mut pkg = failing_package();
    pkg.types[0].constructors.push(Constructor {
        name: "from_attempt".into(),
        public: true,
        params: vec![Param {
            name: "attempted".into(),
            ty: prim("u64"),
        }],
        returns: CtorReturn::Plain,
        free_fn: None,
        examples: vec![],
        via_trait: None,
        generics: vec![],
        static_params: vec![],
        factory: None,
    });
    let mut f = tagged("attempted", vec![], Some(prim("u64")));
    f.self_type = Some("SmallIndexError".into());
    f.signature.receiver = Some(Receiver::Ref);
    let body = plan_function(&f, &pkg).expect("supported").tests[0]
        .body
        .clone();
    assert!(
        body.contains("demo::SmallIndexError::from_attempt("),
        "{body}"
    );
    assert!(!body.contains("SmallIndex::new"), "{body}");
}

#[test]
fn a_public_type_built_only_by_crate_private_constructors_says_it_is_not_reachable() {
    // aho-corasick's `Prefilter`: public (re-exported), built only by `pub(crate) fn build(&self) ->
    // Option<Prefilter>` of a crate-private builder. Deriving `Arbitrary` is not the fix.
    let mut pkg = package();
    let mut prefilter = type_def(
        "Prefilter",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("memory_usage".into()),
                ty: prim("usize"),
                public: false,
            }],
        },
    );
    prefilter.constructors.push(Constructor {
        name: "build".into(),
        public: false,
        params: vec![],
        returns: CtorReturn::Option,
        free_fn: None,
        examples: vec![],
        via_trait: None,
        generics: vec![],
        static_params: vec![],
        factory: Some(Factory {
            owner: prim("Builder"),
            owner_generics: vec![],
            receiver: Receiver::Ref,
            returns_args: vec![],
        }),
    });
    pkg.types.push(prefilter);
    let mut f = tagged(
        "find_in",
        vec![("haystack", str_ref())],
        Some(prim("usize")),
    );
    f.self_type = Some("Prefilter".into());
    f.signature.receiver = Some(Receiver::Ref);
    let err = plan_function(&f, &pkg)
        .expect_err("unsupported")
        .to_string();
    assert!(
        err.contains("cannot build a `Prefilter` from outside the crate: its only constructors (`Builder::build`) are not public API"),
        "{err}"
    );
    assert!(!err.contains("derive `arbitrary::Arbitrary`"), "{err}");
}

#[test]
fn a_printed_sequence_names_the_types_inference_needs() {
    // aho-corasick: a kept sequence `let mut r = { let raw = &(vec![],); AhoCorasick::new(raw.0.clone()) }; r.
    // try_replace_all_bytes(&b"".to_vec(), &vec![]);` did not compile (E0282/E0283): nothing said the element
    // types of the empty vectors, which the generic constructor and method leave open.
    let mut pkg = celsius_package("demo::Celsius");
    let mut generic = pkg.functions[1].clone();
    generic.name = "extend".into();
    generic.path = "shapes::Celsius::extend".into();
    generic.reach = Reach::Public {
        path: "demo::Celsius::extend".into(),
    };
    generic.signature.generics = vec![crate::model::Generic {
        name: "B".into(),
        kind: GenericKind::Type,
        bounds: vec!["AsRef<[u8]>".into()],
    }];
    generic.signature.params = vec![Param {
        name: "items".into(),
        ty: Ty::Ref {
            mutable: false,
            inner: Box::new(Ty::Slice {
                elem: Box::new(prim("B")),
            }),
        },
    }];
    pkg.functions.push(generic);
    let sequences = sequence::plan_sequences(&pkg);
    let plan = sequences[0].plan.as_ref().expect("a sequence");
    // The raw receiver has its type.
    assert!(
        plan.receiver_print.contains("let raw: &(f64,) = &{raw};"),
        "{}",
        plan.receiver_print
    );
    let printed = |method: &str| {
        plan.calls
            .iter()
            .find(|c| c.method == method)
            .map(|c| c.printed.clone())
            .unwrap_or_default()
    };
    // The generic method's argument is written with its type; a plain method's is not.
    assert!(
        printed("extend").contains(">::from({raw})"),
        "{}",
        printed("extend")
    );
    assert!(!printed("set").contains("::from("), "{}", printed("set"));
}

/// smallvec 1.16.6: `SmallVec<A: Array>` built by `from_buf(buf: A)`, and `DrainFilter<'a, T, F> where F:
/// FnMut(&mut T::Item) -> bool, T: Array`, built only by the factory `impl<A: Array> SmallVec<A> { fn
/// drain_filter<F>(&mut self, filter: F) -> DrainFilter<'_, A, F> where F: FnMut(&mut A::Item) -> bool }`; the
/// tagged `impl<T, F> DrainFilter<'_, T, F> { pub fn keep_rest(self) }` with the bound `closure` on `F`.
fn drain_filter_package(closure: &[&str]) -> (TaggedFn, Package) {
    let mut pkg = package();
    pkg.trait_impls = vec![trait_impl("Array", "[_; 8]")];
    let mut small_vec = type_def(
        "SmallVec",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("data".into()),
                ty: prim("A"),
                public: false,
            }],
        },
    );
    small_vec.generics = vec![generic("A", &["Array"])];
    small_vec.constructors.push(Constructor {
        name: "from_buf".into(),
        public: true,
        params: vec![Param {
            name: "buf".into(),
            ty: prim("A"),
        }],
        returns: CtorReturn::Plain,
        free_fn: None,
        examples: vec![],
        via_trait: None,
        generics: vec![],
        static_params: vec![],
        factory: None,
    });
    let mut drain = type_def(
        "DrainFilter",
        TypeShape::Struct {
            fields: vec![Field {
                name: Some("pred".into()),
                ty: prim("F"),
                public: false,
            }],
        },
    );
    drain.generics = vec![
        generic("T", &["Array"]),
        generic("F", &["FnMut(&mut T::Item) -> bool"]),
    ];
    drain.constructors.push(Constructor {
        name: "drain_filter".into(),
        public: true,
        params: vec![Param {
            name: "filter".into(),
            ty: prim("F"),
        }],
        returns: CtorReturn::Plain,
        free_fn: None,
        examples: vec![],
        via_trait: None,
        generics: vec![generic("F", &["FnMut(&mut A::Item) -> bool"])],
        static_params: vec![],
        factory: Some(Factory {
            owner: Ty::Path {
                path: "SmallVec".into(),
                args: vec![prim("A")],
            },
            owner_generics: vec![generic("A", &["Array"])],
            receiver: Receiver::RefMut,
            returns_args: vec![prim("A"), prim("F")],
        }),
    });
    pkg.types = vec![small_vec, drain];
    let mut f = tagged("keep_rest", vec![], None);
    f.self_type = Some("DrainFilter<'_, T, F>".into());
    f.path = "DrainFilter::keep_rest".into();
    f.reach = Reach::Public {
        path: "demo::DrainFilter::keep_rest".into(),
    };
    f.signature.receiver = Some(Receiver::Value);
    f.signature.generics = vec![generic("T", &["Array"]), generic("F", closure)];
    (f, pkg)
}

#[test]
fn a_closure_parameter_of_the_receiver_s_type_gets_a_boxed_closure_the_factory_builds_it_with() {
    // smallvec's `DrainFilter::keep_rest`: `F` was given `i64` (the factory's `FnMut(&mut A::Item) -> bool`
    // read as a trait of another package), and the harness failed to compile (E0277).
    let (f, pkg) = drain_filter_package(&["FnMut(&mut T::Item) -> bool"]);
    let ctx = Ctx {
        function: &f,
        package: &pkg,
        reach: PlanReach::Public,
        generics: vec![],
        examples: std::cell::RefCell::new(vec![]),
    };
    let chosen = concrete_generics(&ctx).expect("types");
    let boxed = Ty::Path {
        path: "Box".into(),
        args: vec![Ty::Other {
            text: "dyn FnMut(&mut i64) -> bool".into(),
        }],
    };
    assert_eq!(chosen[1], ("F".to_string(), boxed), "{chosen:?}");
    let plan = plan_function(&f, &pkg).expect("a plan");
    // The value: the generated closure's return values, not an `i64` for the filter.
    assert_eq!(
        plan.input_type, "((([i64; 8],), abuse_runtime::Returns<bool, 1>),)",
        "{plan:?}"
    );
    let body = &plan.tests[0].body;
    // The receiver is annotated with the boxed closure's type, and the factory is passed the closure boxed and
    // cast to it (so its `F` is that type, not a box of the closure's own).
    assert!(
        body.contains(
            "let mut recv_a: demo::DrainFilter<[i64; 8], Box<dyn FnMut(&mut i64) -> bool>> = "
        ),
        "{body}"
    );
    assert!(
        body.contains(
            "demo::SmallVec::from_buf(raw.0.clone()) })), (Box::new({ let ret = raw.1.clone(); move |_: &mut \
             i64| ret.next() }) as Box<dyn FnMut(&mut i64) -> bool>))"
        ),
        "{body}"
    );
    assert!(
        body.contains("<demo::SmallVec<[i64; 8]>>::drain_filter(Box::leak("),
        "{body}"
    );
    assert!(body.contains("let _out = recv_a.keep_rest();"), "{body}");
}

#[test]
fn a_closure_parameter_of_the_receiver_s_type_stays_a_closure_where_a_box_cannot_stand_for_it() {
    // `Clone`: a box of a closure is none. `T` given no array: `T::Item` has no type to write.
    let (f, pkg) = drain_filter_package(&["FnMut(&mut T::Item) -> bool", "Clone"]);
    let plan = plan_function(&f, &pkg);
    assert!(!format!("{plan:?}").contains("Box<dyn"), "{plan:?}");
    let (mut f, pkg) = drain_filter_package(&["FnMut(&mut T::Item) -> bool"]);
    f.signature.generics[0] = generic("T", &[]);
    let ctx = Ctx {
        function: &f,
        package: &pkg,
        reach: PlanReach::Public,
        generics: vec![],
        examples: std::cell::RefCell::new(vec![]),
    };
    let chosen = concrete_generics(&ctx).expect("types");
    assert!(matches!(chosen[1].1, Ty::ImplTrait { .. }), "{chosen:?}");
    // `Send` is kept on the trait object; a bound with no output has none.
    let (f, pkg) = drain_filter_package(&["FnMut(&mut T::Item)", "Send", "'static"]);
    let ctx = Ctx {
        function: &f,
        package: &pkg,
        reach: PlanReach::Public,
        generics: vec![],
        examples: std::cell::RefCell::new(vec![]),
    };
    let chosen = concrete_generics(&ctx).expect("types");
    assert_eq!(
        values::render_ty(&chosen[1].1, &ctx),
        "Box<dyn FnMut(&mut i64) + Send>"
    );
}

#[test]
fn a_constructor_s_closure_parameter_is_never_guessed_a_primitive() {
    // A factory's closure parameter the built type does not keep: a boxed closure when its types can be
    // written (the owner's `A::Item` cannot), never the `i64` guessed for a trait of another package.
    let (f, mut pkg) = drain_filter_package(&["FnMut(&mut T::Item) -> bool"]);
    let factory = pkg.types[1].constructors[0]
        .factory
        .as_mut()
        .expect("a factory");
    factory.returns_args = vec![prim("A")];
    let err = plan_function(&f, &pkg).expect_err("no type").to_string();
    assert!(
        err.contains(
            "`SmallVec<A>::drain_filter`: no concrete type for `F: FnMut(&mut A::Item) -> bool`"
        ),
        "{err}"
    );
    // Its argument named with a type the function chose: boxed and cast.
    pkg.types[1].constructors[0].generics = vec![generic("F", &["FnMut(&mut T::Item) -> bool"])];
    let plan = plan_function(&f, &pkg).expect("a plan");
    assert!(
        plan.tests[0]
            .body
            .contains("as Box<dyn FnMut(&mut i64) -> bool>)"),
        "{plan:?}"
    );
}

#[test]
fn a_borrowed_key_is_the_key_type_and_a_hasher_is_std_s() {
    // linked-hash-map: `impl<K: Hash + Eq, V, S: BuildHasher> LinkedHashMap<K, V, S>` with `pub fn get<Q:
    // ?Sized>(&self, k: &Q) -> Option<&V> where K: Borrow<Q>, Q: Eq + Hash`, here as a free function.
    let ref_q = Ty::Ref {
        mutable: false,
        inner: Box::new(prim("Q")),
    };
    let mut f = tagged(
        "lookup",
        vec![("key", prim("K")), ("k", ref_q)],
        Some(prim("bool")),
    );
    f.signature.generics = vec![
        generic("K", &["Hash", "Eq", "Borrow<Q>"]),
        generic("S", &["BuildHasher"]),
        generic("Q", &["?Sized", "Eq", "Hash"]),
    ];
    let plan = plan_function(&f, &package()).expect("`Q` is `K`'s type, `S` std's hasher");
    assert_eq!(plan.input_type, "(i64, i64)");
    let body = &plan.tests[0].body;
    assert!(
        body.contains("std::collections::hash_map::RandomState"),
        "{body}"
    );
    // A `Q` with a bound of its own that the key's type is not known to meet is not guessed.
    f.signature.generics[2] = generic("Q", &["?Sized", "Display", "AsRef<str>"]);
    let plan = plan_function(&f, &package());
    assert!(
        plan.as_ref().map_or(true, |p| p.input_type != "(i64, i64)"),
        "{:?}",
        plan.map(|p| p.input_type)
    );
}

#[test]
fn an_iterator_of_results_or_pairs_of_parameters_is_a_vec_of_them() {
    // fallible-iterator: `pub fn convert<T, E, I>(it: I) -> Convert<I> where I: Iterator<Item = Result<T, E>>`.
    let mut f = tagged("convert", vec![("it", prim("I"))], Some(prim("usize")));
    f.signature.generics = vec![
        generic("T", &[]),
        generic("E", &[]),
        generic("I", &["Iterator<Item = Result<T, E>>"]),
    ];
    let plan = plan_function(&f, &package()).expect("an iterator of `Result<i64, i64>`");
    assert_eq!(plan.input_type, "(Vec<Result<i64, i64>>,)");
    // As the crate writes it: `I: iter::Iterator<...>` under `use core::iter;`.
    f.signature.generics[2] = generic("I", &["iter::Iterator<Item = Result<T, E>>"]);
    let own = plan_function(&f, &package()).map(|p| p.input_type);
    assert!(
        own.as_deref() != Ok("(Vec<Result<i64, i64>>,)"),
        "an `iter` module of its own is not std's"
    );
    f.uses = vec![UseItem {
        name: "iter".into(),
        path: "core::iter".into(),
    }];
    let plan = plan_function(&f, &package()).expect("std's iterator through its module");
    assert_eq!(plan.input_type, "(Vec<Result<i64, i64>>,)");
    // Pairs, as a map built from an iterator takes them.
    f.signature.generics = vec![
        generic("K", &["Hash", "Eq"]),
        generic("V", &["AsRef<str>"]),
        generic("I", &["IntoIterator<Item = (K, V)>"]),
    ];
    let plan = plan_function(&f, &package()).expect("pairs");
    assert_eq!(plan.input_type, "(Vec<(i64, String)>,)");
    // An item naming a type of another crate is not guessed.
    f.signature.generics = vec![
        generic("I", &["Iterator<Item = Result<Foo, E>>"]),
        generic("E", &[]),
    ];
    assert!(plan_function(&f, &package()).is_err());
}

#[test]
fn the_item_a_reference_to_a_collection_yields_is_a_reference_to_its_element() {
    // strsim: `generic_levenshtein<'a, 'b, Iter1, Iter2, Elem1, Elem2>(a: &'a Iter1, b: &'b Iter2) where
    // &'a Iter1: IntoIterator<Item = Elem1>, &'b Iter2: IntoIterator<Item = Elem2>, Elem1: PartialEq<Elem2>`,
    // as discovery records it.
    let by_ref = |name: &str| Ty::Ref {
        mutable: false,
        inner: Box::new(prim(name)),
    };
    let mut f = tagged(
        "generic_levenshtein",
        vec![("a", by_ref("Iter1")), ("b", by_ref("Iter2"))],
        Some(prim("usize")),
    );
    f.signature.generics = vec![
        generic("Iter1", &["IntoIterator"]),
        generic("Iter2", &["IntoIterator"]),
        generic(
            "Elem1",
            &["PartialEq<Elem2>", "&Iter1: IntoIterator<Item = Elem1>"],
        ),
        generic("Elem2", &["&Iter2: IntoIterator<Item = Elem2>"]),
    ];
    let plan = plan_function(&f, &package()).expect("supported");
    assert!(
        plan.tests[0]
            .body
            .contains("generic_levenshtein::<Vec<i64>, Vec<i64>, &i64, &i64>("),
        "{}",
        plan.tests[0].body
    );
}

#[test]
fn a_std_hasher_argument_is_its_default() {
    // linked-hash-map: `with_hasher(hash_builder: S)` with `S: BuildHasher`.
    let mut f = tagged(
        "with_hasher",
        vec![("hash_builder", prim("S"))],
        Some(prim("bool")),
    );
    f.signature.generics = vec![generic("S", &["BuildHasher"])];
    let plan = plan_function(&f, &package()).expect("std's RandomState");
    assert_eq!(plan.input_type, "((),)");
    let body = &plan.tests[0].body;
    assert!(
        body.contains(
            "<std::collections::hash_map::RandomState as ::core::default::Default>::default()"
        ),
        "{body}"
    );
}

#[test]
fn a_type_held_by_a_variant_of_a_buildable_enum_is_built_through_it() {
    // linked-hash-map: `OccupiedEntry` has no constructor; `Entry::Occupied(OccupiedEntry)` holds it, and
    // `Entry` is built by a function (here a free one, `demo::lookup(key: u8) -> Entry`).
    let private = |ty: &str| Field {
        name: Some("inner".into()),
        ty: prim(ty),
        public: false,
    };
    let occupied = type_def(
        "Occupied",
        TypeShape::Struct {
            fields: vec![private("u8")],
        },
    );
    let held = |name: &str, ty: &str| Variant {
        name: name.into(),
        fields: vec![Field {
            name: None,
            ty: prim(ty),
            public: true,
        }],
        named: false,
    };
    let mut entry = type_def(
        "Entry",
        TypeShape::Enum {
            variants: vec![held("Occupied", "Occupied"), held("Vacant", "Vacant")],
        },
    );
    entry.constructors.push(Constructor {
        name: "lookup".into(),
        public: true,
        params: vec![Param {
            name: "key".into(),
            ty: prim("u8"),
        }],
        returns: CtorReturn::Plain,
        free_fn: Some(FreeFnPath {
            path: "lookup".into(),
            public_path: Some("demo::lookup".into()),
        }),
        via_trait: None,
        examples: vec![],
        generics: vec![],
        static_params: vec![],
        factory: None,
    });
    let mut pkg = package();
    pkg.types = vec![
        occupied,
        entry,
        type_def(
            "Vacant",
            TypeShape::Struct {
                fields: vec![private("u8")],
            },
        ),
    ];
    let mut key = tagged("key", vec![], Some(prim("u8")));
    key.self_type = Some("Occupied".into());
    key.path = "Occupied::key".into();
    key.signature.receiver = Some(Receiver::Ref);
    key.reach = Reach::Public {
        path: "demo::Occupied::key".into(),
    };
    let plan = plan_function(&key, &pkg).expect("built through `Entry::Occupied`");
    let body = &plan.tests[0].body;
    assert!(body.contains("demo::lookup("), "{body}");
    assert!(
        body.contains("demo::Entry::Occupied(v) => Some(v), _ => None"),
        "{body}"
    );
    // A type no enum holds has no such plan.
    pkg.types.retain(|t| t.name != "Entry");
    assert!(plan_function(&key, &pkg).is_err());
}
