//! Tests of the model: what is written reads back.

use super::{HarnessState, Reach, SignoffState, Ty, TypeShape};

fn path(p: &str, args: Vec<Ty>) -> Ty {
    Ty::Path {
        path: p.into(),
        args,
    }
}

#[test]
fn every_ty_variant_reads_back_what_was_written() {
    let all = Ty::Tuple {
        elems: vec![
            Ty::Ref {
                mutable: true,
                inner: Box::new(Ty::Slice {
                    elem: Box::new(path("u8", vec![])),
                }),
            },
            path("HashMap", vec![path("String", vec![]), path("u32", vec![])]),
            Ty::Array {
                elem: Box::new(path("char", vec![])),
                len: "N + 1".into(),
            },
            Ty::ImplTrait {
                bounds: vec!["AsRef<str>".into()],
            },
            Ty::Other {
                text: "fn(u8) -> bool".into(),
            },
        ],
    };
    let json = serde_json::to_string(&all).expect("serializes");
    assert!(
        json.starts_with(r#"{"kind":"tuple","elems":[{"kind":"ref""#),
        "{json}"
    );
    let back: Ty = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, all);
}

#[test]
fn ty_fields_may_come_in_any_order_and_bad_kinds_are_named() {
    let ty: Ty = serde_json::from_str(r#"{"args":[],"path":"u8","extra":1,"kind":"path"}"#)
        .expect("kind last");
    assert_eq!(ty, path("u8", vec![]));
    let err = serde_json::from_str::<Ty>(r#"{"kind":"pointer"}"#).expect_err("unknown kind");
    assert!(
        err.to_string().contains("unknown variant `pointer`"),
        "{err}"
    );
    let err =
        serde_json::from_str::<Ty>(r#"{"kind":"ref","mutable":false}"#).expect_err("missing field");
    assert!(err.to_string().contains("missing field `inner`"), "{err}");
}

#[test]
fn property_results_serialize_kind_and_property_as_their_names() {
    use super::{Checked, FailureKind, Outcome, Property, PropertyResult, ResultSource};
    let failed = PropertyResult {
        property: Checked::One(Property::NoPanic),
        source: ResultSource::Fuzz,
        outcome: Outcome::Fail,
        kind: Some(FailureKind::Harness),
        cases: 1,
        rejected: 0,
        elapsed_ms: 2,
        input: None,
        message: None,
        first_failure_ms: None,
        input_size: None,
        same_as: None,
        root_cause: None,
    };
    let json = serde_json::to_string(&failed).expect("serializes");
    assert_eq!(
        json,
        r#"{"property":"no_panic","source":"fuzz","outcome":"fail","kind":"harness","cases":1,"rejected":0,"elapsed_ms":2,"input":null,"message":null}"#
    );
    let all = PropertyResult {
        property: Checked::All,
        kind: None,
        ..failed
    };
    let json = serde_json::to_string(&all).expect("serializes");
    assert!(json.starts_with(r#"{"property":"all","#), "{json}");
    let back: PropertyResult = serde_json::from_str(&json).expect("deserializes");
    assert_eq!(back, all);
    let err = serde_json::from_str::<PropertyResult>(&json.replace("\"all\"", "\"x\""))
        .expect_err("unknown property");
    assert!(err.to_string().contains("unknown property `x`"), "{err}");
}

#[test]
fn every_tagged_enum_reads_back_what_was_written() {
    fn back<T>(v: T)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(&v).expect("serializes");
        let read: T = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(read, v, "{json}");
    }
    back(Reach::Public {
        path: "a::b".into(),
    });
    back(Reach::CratePrivate {
        path: "crate::b".into(),
    });
    back(SignoffState::None);
    back(SignoffState::Current {
        owner: "o".into(),
        date: "2026-01-01".into(),
    });
    back(SignoffState::Stale {
        owner: "o".into(),
        date: "d".into(),
        signed: "f".into(),
    });
    back(HarnessState::Missing);
    back(HarnessState::Current);
    back(HarnessState::Stale);
    back(HarnessState::Unsupported { reason: "r".into() });
    back(TypeShape::Struct { fields: vec![] });
    back(TypeShape::Enum { variants: vec![] });
}
