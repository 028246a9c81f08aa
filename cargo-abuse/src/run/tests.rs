//! Tests of the runner: shards, results from records, reasons, grouping.

use super::*;
use crate::model::{Checked, Outcome, Property, PropertyResult, ResultSource};
use crate::plan::PlanReach;

#[test]
fn shards_partition_the_functions() {
    let names: Vec<String> = (0..200).map(|i| format!("m::f{i}")).collect();
    let mut seen = 0;
    for k in 1..=3 {
        let share = names.iter().filter(|n| in_shard(n, Some((k, 3)))).count();
        assert!(share > 30, "shard {k} has only {share}");
        seen += share;
    }
    assert_eq!(seen, names.len());
    assert!(names.iter().all(|n| in_shard(n, None)));
}

#[test]
fn panics_of_functions_documenting_them_say_so_and_still_fail() {
    use crate::model::SignoffState;
    let failure = |kind: FailureKind| PropertyResult {
        property: Checked::One(Property::NoPanic),
        source: ResultSource::Proptest,
        outcome: Outcome::Fail,
        kind: Some(kind),
        cases: 1,
        rejected: 0,
        elapsed_ms: 1,
        input: Some("(0u32,)".into()),
        message: Some("panicked: base is zero".into()),
        first_failure_ms: None,
        input_size: None,
        same_as: None,
        root_cause: None,
    };
    let result = |function: &str| FnResult {
        package: "demo".into(),
        function: function.into(),
        file: "src/lib.rs".into(),
        line: 1,
        prompt: None,
        author: None,
        test_owner: None,
        properties: vec![failure(FailureKind::Panic), failure(FailureKind::Timeout)],
    };
    let tagged = |path: &str, documents_panics: bool| TaggedFn {
        documents_panics,
        ..crate::list::tests::tagged(path, "src/lib.rs", 1, None, SignoffState::None)
    };
    let inventory = Inventory {
        packages: vec![Package {
            name: "demo".into(),
            functions: vec![tagged("digit", true), tagged("other", false)],
            ..Package::default()
        }],
        ..Inventory::default()
    };
    let mut results = vec![result("digit"), result("other")];
    note_documented_panics(&mut results, &inventory);
    let digit = &results[0].properties;
    assert_eq!(digit[0].outcome, Outcome::Fail);
    assert_eq!(
        digit[0].message.as_deref(),
        Some(format!("panicked: base is zero ({DOCUMENTED_PANIC_NOTE})").as_str())
    );
    assert_eq!(digit[1].message.as_deref(), Some("panicked: base is zero"));
    assert_eq!(
        results[1].properties[0].message.as_deref(),
        Some("panicked: base is zero")
    );
}

/// Each way a function can run no case has its own reason, in words the user can act on.
#[test]
fn functions_that_run_no_case_say_why() {
    use crate::generate::{GeneratedFile, Skipped};
    use crate::model::{Constructor, CtorReturn, SignoffState, SkipReason, TypeDef, TypeShape};
    let tagged =
        |path: &str| crate::list::tests::tagged(path, "src/lib.rs", 1, None, SignoffState::None);
    let mut method = tagged("Alphabet::encode");
    method.self_type = Some("Alphabet".into());
    let private = tagged("hidden");
    let mut arm = tagged("neon_sum");
    arm.cfg = Some("target_arch = \"aarch64\"".into());
    let skipped = tagged("generic");
    let silent = tagged("quiet");
    let package = Package {
        name: "demo".into(),
        functions: vec![
            method.clone(),
            private.clone(),
            arm.clone(),
            skipped.clone(),
            silent.clone(),
        ],
        types: vec![TypeDef {
            name: "Alphabet".into(),
            path: "Alphabet".into(),
            public_path: Some("demo::Alphabet".into()),
            generics: vec![],
            param_defaults: Vec::new(),
            derives: vec![],
            shape: TypeShape::Struct { fields: vec![] },
            constructors: vec![Constructor {
                name: "new".into(),
                public: true,
                params: vec![],
                returns: CtorReturn::Result,
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
        has_abuse_tests_mod: false,
        ..Package::default()
    };
    let file = |path: &str, function: &str, reach: PlanReach| GeneratedFile {
        path: path.into(),
        contents: String::new(),
        kind: FileKind::Harness(reach),
        function: Some(function.into()),
        package: Some("demo".into()),
    };
    let generated = Generated {
        files: vec![
            file(
                "tests/abuse/alphabet__encode.rs",
                "Alphabet::encode",
                PlanReach::Public,
            ),
            file("src/abuse_tests/hidden.rs", "hidden", PlanReach::InCrate),
            file("tests/abuse/neon_sum.rs", "neon_sum", PlanReach::Public),
            file("tests/abuse/quiet.rs", "quiet", PlanReach::Public),
        ],
        skipped: vec![Skipped {
            package: "demo".into(),
            function: "generic".into(),
            location: "src/lib.rs:1".into(),
            reason: SkipReason::UnsupportedReceiver,
        }],
        ..Generated::default()
    };
    let rejected = Record {
        test: "alphabet__encode::no_panic".into(),
        function: "demo::Alphabet::encode".into(),
        property: Property::NoPanic,
        outcome: abuse_record::Outcome::Rejected,
        kind: Some(FailureKind::Harness),
        // As the runtime counts them: every case started, the rejected ones included.
        cases: 1024,
        rejected: 1024,
        elapsed_ms: 5,
        first_failure_ms: None,
        seed: 1,
        input: None,
        message: Some("the harness rejected too many cases".into()),
        file: "src/lib.rs".into(),
        line: 1,
        fingerprint: "0".into(),
        input_size: None,
        root_cause: None,
    };
    let selected: Vec<&TaggedFn> = package.functions.iter().collect();
    let results = collect_results(&package, &selected, &generated, &[rejected]);
    let reason = |function: &str| {
        let r = results
            .iter()
            .find(|r| r.function == function)
            .expect("a result");
        assert_eq!(r.properties.len(), 1, "{r:?}");
        assert_eq!(r.properties[0].outcome, Outcome::NotRun, "{r:?}");
        r.properties[0].message.clone().expect("a reason")
    };
    assert_eq!(
        reason("Alphabet::encode"),
        "constructor `Alphabet::new` rejected 1,024 of 1,024 generated inputs: add a doc example or `strategy(self = ...)`"
    );
    assert!(
        reason("hidden").starts_with("add `#[cfg(test)] mod abuse_tests;` to src/lib.rs"),
        "{}",
        reason("hidden")
    );
    assert!(
        reason("neon_sum").starts_with("compiled only with `target_arch = \"aarch64\"`"),
        "{}",
        reason("neon_sum")
    );
    // A skip reason from `gen` (the compile check's "harness did not compile: E0277 ..." among them) flows
    // through as it is.
    assert_eq!(
        reason("generic"),
        SkipReason::UnsupportedReceiver.to_string()
    );
    assert!(
        reason("quiet").contains("rerun with -v"),
        "{}",
        reason("quiet")
    );
    assert_eq!(thousands(1), "1");
    assert_eq!(thousands(1_000_000), "1,000,000");
}

#[test]
fn failures_with_one_root_cause_are_shown_once() {
    let result = |property: Property, source: ResultSource, kind: FailureKind, message: &str| {
        PropertyResult {
            property: Checked::One(property),
            source,
            outcome: Outcome::Fail,
            kind: Some(kind),
            cases: 1,
            rejected: 0,
            elapsed_ms: 1,
            input: Some("(0u32,)".into()),
            message: Some(message.into()),
            first_failure_ms: Some(1),
            input_size: Some(1),
            same_as: None,
            root_cause: None,
        }
    };
    let boom = "panicked: boom at src/lib.rs:3:5";
    let mut results = vec![FnResult {
        package: "demo".into(),
        function: "f".into(),
        file: "src/lib.rs".into(),
        line: 1,
        prompt: None,
        author: None,
        test_owner: None,
        properties: vec![
            // `deterministic` failing because the call panics, before `no_panic` in the report's order.
            result(
                Property::Deterministic,
                ResultSource::Proptest,
                FailureKind::Panic,
                boom,
            ),
            result(
                Property::NoPanic,
                ResultSource::Regression,
                FailureKind::Panic,
                boom,
            ),
            result(
                Property::NoPanic,
                ResultSource::Proptest,
                FailureKind::Panic,
                boom,
            ),
            // Another panic site: its own failure.
            result(
                Property::Roundtrip,
                ResultSource::Proptest,
                FailureKind::Panic,
                "panicked: other at src/lib.rs:9:1",
            ),
            // Property failures are never grouped, even with equal messages.
            result(
                Property::Idempotent,
                ResultSource::Proptest,
                FailureKind::Property,
                "differs",
            ),
            result(
                Property::Oracle,
                ResultSource::Proptest,
                FailureKind::Property,
                "differs",
            ),
            // Same message, other kind: not the same failure.
            result(
                Property::Ensures,
                ResultSource::Proptest,
                FailureKind::Timeout,
                boom,
            ),
        ],
    }];
    group_same_failures(&mut results);
    let same: Vec<Option<&str>> = results[0]
        .properties
        .iter()
        .map(|p| p.same_as.as_deref())
        .collect();
    assert_eq!(
        same,
        [
            Some("no_panic"),
            Some("no_panic"),
            None,
            None,
            None,
            None,
            None
        ]
    );
    // Idempotent: grouping twice changes nothing.
    let before = results.clone();
    group_same_failures(&mut results);
    assert_eq!(results, before);
}

#[test]
fn records_of_same_named_packages_in_two_workspaces_do_not_mix() {
    let settings = |root: &str| RunSettings {
        workspace_root: root.into(),
        target_dir: Some("/shared/target".into()),
        cases: None,
        seed: 1,
        shard: None,
        verbose: false,
        quiet: true,
        features: Default::default(),
        extra_features: Default::default(),
        toolchain: Default::default(),
    };
    let package = Package {
        name: "demo".into(),
        dir: "demo".into(),
        ..Package::default()
    };
    let a = records_dir(&settings("/ws/a"), &package);
    let b = records_dir(&settings("/ws/b"), &package);
    assert_ne!(a, b);
    assert!(
        a.starts_with("/shared/target/abuse/records"),
        "{}",
        a.display()
    );
    // And two runs at once (each its own process) do not either.
    assert!(
        a.to_string_lossy()
            .ends_with(&format!(".{}", std::process::id())),
        "{}",
        a.display()
    );
}

#[test]
fn live_line_of_a_function_that_ran_no_case_ends_with_the_reason_the_table_gives() {
    let reason = "constructor `Alphabet::new` rejected 1024 of 1024 generated inputs: add a doc example or `strategy(self = ...)`";
    assert_eq!(
        super::live_line(
            super::LiveWord::NotRun,
            "base_x::Alphabet::encode",
            Some(("no_panic", 0, 3)),
            Some(reason)
        ),
        format!(" not run base_x::Alphabet::encode no_panic (0 cases, 3 ms): {reason}")
    );
    // A function that wrote no record has no property counts, only the reason (its first line).
    assert_eq!(
        super::live_line(
            super::LiveWord::NotRun,
            "demo::private_helper",
            None,
            Some("add `#[cfg(test)] mod abuse_tests;` to src/lib.rs\nsecond line")
        ),
        " not run demo::private_helper: add `#[cfg(test)] mod abuse_tests;` to src/lib.rs"
    );
    assert_eq!(
        super::live_line(
            super::LiveWord::Ok,
            "demo::f",
            Some(("no_panic", 256, 12)),
            None
        ),
        "      ok demo::f no_panic (256 cases, 12 ms)"
    );
}

#[test]
fn a_function_defined_twice_under_opposite_cfgs_has_two_rows() {
    // email_address: `is_valid` under `not(feature = "zeroize")` (line 594) and `feature = "zeroize"` (line 598).
    let twin = |line: u32, cfg: &str| {
        let mut f = crate::list::tests::tagged(
            "is_valid",
            "src/lib.rs",
            line,
            None,
            crate::model::SignoffState::None,
        );
        f.cfg = Some(cfg.into());
        f
    };
    let package = Package {
        name: "demo".into(),
        functions: vec![
            twin(594, "not(feature = \"zeroize\")"),
            twin(598, "feature = \"zeroize\""),
        ],
        ..Package::default()
    };
    let generated = Generated {
        files: vec![GeneratedFile {
            path: "tests/abuse/is_valid.rs".into(),
            contents: String::new(),
            kind: FileKind::Harness(PlanReach::Public),
            function: Some("is_valid".into()),
            package: Some("demo".into()),
        }],
        ..Generated::default()
    };
    let passed = Record {
        test: "is_valid::no_panic".into(),
        function: "demo::is_valid".into(),
        property: Property::NoPanic,
        outcome: abuse_record::Outcome::Pass,
        kind: None,
        cases: 256,
        rejected: 0,
        elapsed_ms: 5,
        first_failure_ms: None,
        seed: 1,
        input: None,
        message: None,
        file: "src/lib.rs".into(),
        line: 594,
        fingerprint: "0".into(),
        input_size: None,
        root_cause: None,
    };
    let selected: Vec<&TaggedFn> = package.functions.iter().collect();
    let results = collect_results(&package, &selected, &generated, &[passed]);
    assert_eq!(results.len(), 2);
    assert_eq!(results[0].line, 594);
    assert_eq!(results[0].properties[0].outcome, Outcome::Pass);
    assert_eq!(results[1].line, 598);
    assert_eq!(results[1].properties[0].outcome, Outcome::NotRun);
    let reason = results[1].properties[0].message.clone().unwrap_or_default();
    assert!(
        reason.starts_with(
            "defined again here, compiled only with `feature = \"zeroize\"`: one harness serves `is_valid`, \
             and its results are on the row of line 594"
        ),
        "{reason}"
    );
    // The report keeps both rows.
    let report = crate::model::RunReport {
        seed: 1,
        functions: results,
        violations: vec![],
    };
    let json = crate::report::render_json(&report);
    let rows: Vec<&str> = json
        .lines()
        .filter(|l| l.contains("\"record\":\"function\""))
        .collect();
    assert_eq!(rows.len(), 2, "{json}");
    assert!(
        rows[1].contains("\"line\":598") && rows[1].contains("not_run"),
        "{json}"
    );
}

#[test]
fn further_root_causes_are_results_of_their_own_and_a_kept_regression_of_one_is_the_same_failure() {
    // The record lines one property test writes when it found two root causes, as `read_records` reads them.
    let first = r#"{"test":"f::no_panic","function":"demo::f","property":"no_panic","outcome":"fail","kind":"crash","cases":40,"rejected":0,"elapsed_ms":900,"first_failure_ms":300,"seed":1,"input":"(\"(((\".repeat(9000),)","message":"the process died during the call (stack overflow, abort or signal)","file":"src/lib.rs","line":3,"fingerprint":"0","input_size":27000}"#;
    let second = r#"{"test":"f::no_panic","function":"demo::f","property":"no_panic","outcome":"fail","kind":"panic","cases":97,"rejected":0,"elapsed_ms":900,"first_failure_ms":610,"seed":1,"input":"(String::from(\"\\u{e9}\"),)","message":"panicked: byte index 1 is not a char boundary at src/lib.rs:9:5","file":"src/lib.rs","line":3,"fingerprint":"0","input_size":2,"root_cause":2}"#;
    let dir = std::env::temp_dir().join(format!("abuse-roots-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("f__no_panic.json"), format!("{first}\n{second}\n")).expect("write");
    let records = read_records(&dir).expect("records read");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(records.len(), 2);
    assert_eq!(
        (records[0].root_cause, records[1].root_cause),
        (None, Some(2))
    );
    // Written back, the first keeps the documented shape; the second adds `root_cause` last.
    assert_eq!(records[0].to_json(), first);
    assert_eq!(records[1].to_json(), second);

    let mut results: Vec<PropertyResult> = records.iter().map(property_result_of).collect();
    let mut kept = property_result_of(&records[1]);
    kept.source = ResultSource::Regression;
    kept.root_cause = None;
    results.push(kept);
    let labels: Vec<String> = results.iter().map(PropertyResult::label).collect();
    assert_eq!(
        labels,
        [
            "no_panic",
            "no_panic (root cause 2)",
            "no_panic (regression)"
        ]
    );
    let mut fns = vec![FnResult {
        package: "demo".into(),
        function: "f".into(),
        file: "src/lib.rs".into(),
        line: 3,
        prompt: None,
        author: None,
        test_owner: None,
        properties: results,
    }];
    group_same_failures(&mut fns);
    let same: Vec<Option<&str>> = fns[0]
        .properties
        .iter()
        .map(|p| p.same_as.as_deref())
        .collect();
    // Two root causes, each shown; the kept input of the second is that failure again.
    assert_eq!(same, [None, None, Some("no_panic (root cause 2)")]);
    let json = serde_json::to_value(&fns[0].properties[1]).expect("serializes");
    assert_eq!(json["root_cause"], 2);
    assert!(serde_json::to_value(&fns[0].properties[0])
        .expect("serializes")
        .get("root_cause")
        .is_none());
}

#[test]
fn the_records_of_a_path_defined_twice_are_the_default_build_s_definition_s() {
    // lazy_static: `lazy::Lazy::get` in `src/core_lazy.rs` (under `feature = "spin_no_std"`, which sorts
    // first) and in `src/inline_lazy.rs` (the default build's file).
    let tagged = |path: &str, file: &str, line: u32, cfg: Option<&str>| {
        let mut f =
            crate::list::tests::tagged(path, file, line, None, crate::model::SignoffState::None);
        f.cfg = cfg.map(Into::into);
        f
    };
    let mut package = Package {
        name: "demo".into(),
        functions: vec![
            tagged(
                "lazy::Lazy::get",
                "src/core_lazy.rs",
                18,
                Some("feature = \"spin_no_std\""),
            ),
            tagged("lazy::Lazy::get", "src/inline_lazy.rs", 26, None),
        ],
        ..Package::default()
    };
    let generated = Generated::default();
    let passed = Record {
        test: "lazy__lazy__get::no_panic".into(),
        function: "demo::lazy::Lazy::get".into(),
        property: Property::NoPanic,
        outcome: abuse_record::Outcome::Pass,
        kind: None,
        cases: 256,
        rejected: 0,
        elapsed_ms: 5,
        first_failure_ms: None,
        seed: 1,
        input: None,
        message: None,
        file: "src/inline_lazy.rs".into(),
        line: 26,
        fingerprint: "0".into(),
        input_size: None,
        root_cause: None,
    };
    let selected: Vec<&TaggedFn> = package.functions.iter().collect();
    let results = collect_results(
        &package,
        &selected,
        &generated,
        std::slice::from_ref(&passed),
    );
    let message = |r: &FnResult| r.properties[0].message.clone().unwrap_or_default();
    // The records are the default build's definition's; the other one has its row, saying why.
    assert_eq!(results[0].file, "src/core_lazy.rs");
    assert_eq!(results[0].properties[0].outcome, Outcome::NotRun);
    assert!(
        message(&results[0]).starts_with(
            "defined again here, compiled only with `feature = \"spin_no_std\"`: one harness serves \
             `lazy::Lazy::get`, and its results are on the row of line 26"
        ),
        "{}",
        message(&results[0])
    );
    assert_eq!(results[1].file, "src/inline_lazy.rs");
    assert_eq!(results[1].properties[0].outcome, Outcome::Pass);
    // With `spin_no_std` on by default, that one is the default build's.
    package.default_features = vec!["spin_no_std".into()];
    let selected: Vec<&TaggedFn> = package.functions.iter().collect();
    let results = collect_results(&package, &selected, &generated, &[passed]);
    assert_eq!(results[0].properties[0].outcome, Outcome::Pass);
    assert!(
        message(&results[1]).starts_with("defined again here: one harness serves"),
        "{}",
        message(&results[1])
    );
}

#[test]
fn a_method_defined_in_two_impl_blocks_without_cfg_gets_each_module_s_records() {
    // either 1.19: `cloned` in `impl Either<&L, &R>` (line 10) and again in `impl Either<&mut L, &mut R>`
    // (line 20); `gen` wrote `either__cloned` and `either__cloned_2`.
    let def = |line: u32| {
        crate::list::tests::tagged(
            "Either::cloned",
            "src/lib.rs",
            line,
            None,
            crate::model::SignoffState::None,
        )
    };
    let package = Package {
        name: "demo".into(),
        functions: vec![def(10), def(20)],
        ..Package::default()
    };
    let file = |stem: &str| GeneratedFile {
        path: format!("tests/abuse/{stem}.rs"),
        contents: String::new(),
        kind: FileKind::Harness(PlanReach::Public),
        function: Some("Either::cloned".into()),
        package: Some("demo".into()),
    };
    let generated = Generated {
        // Sorted by path, as `gen` keeps them: the second module first would be a wrong pairing by listing order.
        files: vec![file("either__cloned_2"), file("either__cloned")],
        ..Generated::default()
    };
    let record = |module: &str, outcome: abuse_record::Outcome| Record {
        test: format!("{module}::no_panic"),
        function: "demo::Either::cloned".into(),
        property: Property::NoPanic,
        outcome,
        kind: None,
        cases: 256,
        rejected: 0,
        elapsed_ms: 5,
        first_failure_ms: None,
        seed: 1,
        input: None,
        message: None,
        file: "src/lib.rs".into(),
        line: 0,
        fingerprint: "0".into(),
        input_size: None,
        root_cause: None,
    };
    let records = [
        record("either__cloned", abuse_record::Outcome::Pass),
        record("either__cloned_2", abuse_record::Outcome::Fail),
    ];
    let selected: Vec<&TaggedFn> = package.functions.iter().collect();
    let results = collect_results(&package, &selected, &generated, &records);
    assert_eq!(results.len(), 2);
    assert_eq!((results[0].line, results[0].properties.len()), (10, 1));
    assert_eq!(results[0].properties[0].outcome, Outcome::Pass);
    assert_eq!((results[1].line, results[1].properties.len()), (20, 1));
    assert_eq!(results[1].properties[0].outcome, Outcome::Fail);
}

#[test]
fn a_receiver_rejected_through_a_factory_method_names_the_type_that_has_the_method() {
    // data-encoding: `Encoder` is built only by `Encoding::new_encoder`; the reason must not send the user to a
    // nonexistent `Encoder::new_encoder`.
    use crate::model::{Constructor, CtorReturn, Factory, Receiver, Ty, TypeDef, TypeShape};
    let mut f = crate::list::tests::tagged(
        "Encoder::append",
        "src/lib.rs",
        3,
        None,
        crate::model::SignoffState::None,
    );
    f.self_type = Some("Encoder".into());
    let factory = Constructor {
        name: "new_encoder".into(),
        public: true,
        params: Vec::new(),
        returns: CtorReturn::Plain,
        free_fn: None,
        examples: Vec::new(),
        via_trait: None,
        generics: Vec::new(),
        static_params: Vec::new(),
        factory: Some(Factory {
            owner: Ty::Path {
                path: "Encoding".into(),
                args: Vec::new(),
            },
            owner_generics: Vec::new(),
            receiver: Receiver::Ref,
            returns_args: Vec::new(),
        }),
    };
    let package = Package {
        name: "demo".into(),
        types: vec![TypeDef {
            name: "Encoder".into(),
            path: "Encoder".into(),
            public_path: None,
            generics: Vec::new(),
            param_defaults: Vec::new(),
            derives: Vec::new(),
            shape: TypeShape::Struct { fields: Vec::new() },
            constructors: vec![factory],
            consts: Vec::new(),
            hidden_in_crate: None,
        }],
        ..Package::default()
    };
    let reason = super::results::rejected_reason(&f, &package, 1024, 1024);
    assert!(
        reason.starts_with(
            "constructor `Encoding::new_encoder` rejected 1,024 of 1,024 generated inputs"
        ),
        "{reason}"
    );
}

#[test]
fn a_feature_build_error_is_named_on_the_row_of_the_function_whose_harness_has_it() {
    use crate::generate::GeneratedFile;
    let harness = |path: &str, function: &str| GeneratedFile {
        path: path.into(),
        contents: String::new(),
        kind: FileKind::Harness(PlanReach::Public),
        function: Some(function.into()),
        package: Some("either".into()),
    };
    let generated = Generated {
        files: vec![
            harness("tests/abuse/serde__deserialize.rs", "serde::deserialize"),
            harness("tests/abuse/serde__serialize.rs", "serde::serialize"),
        ],
        ..Generated::default()
    };
    let errors = vec![
        (
            "error: unused import".to_string(),
            Some(PathBuf::from("/ws/src/lib.rs")),
        ),
        (
            "error[E0277]: the trait bound `i64: Deserializer<'de>` is not satisfied".to_string(),
            Some(PathBuf::from("/ws/tests/abuse/serde__deserialize.rs")),
        ),
    ];
    let de = crate::plan::tests::tagged("serde::deserialize", vec![], None);
    let ser = crate::plan::tests::tagged("serde::serialize", vec![], None);
    assert_eq!(
        harness_error(&errors, &de, &generated).map(|(line, _)| line.as_str()),
        Some("error[E0277]: the trait bound `i64: Deserializer<'de>` is not satisfied")
    );
    // An error in the crate's own code, or another harness, is not this harness's.
    assert_eq!(harness_error(&errors, &ser, &generated), None);
}

/// A receiver built only from the `Err` of a function that fails with its type: when every case was rejected,
/// the reason says that function never failed (not that a constructor rejected the inputs).
#[test]
fn a_type_built_only_from_an_err_says_the_function_never_failed() {
    use crate::model::{Constructor, CtorReturn, FreeFnPath, TypeDef, TypeShape};
    let mut f = crate::list::tests::tagged(
        "SmallIndexError::attempted",
        "src/lib.rs",
        1,
        None,
        crate::model::SignoffState::None,
    );
    f.self_type = Some("SmallIndexError".into());
    let failing = Constructor {
        name: "new".into(),
        public: true,
        params: Vec::new(),
        returns: CtorReturn::Err,
        free_fn: Some(FreeFnPath {
            path: "SmallIndex::new".into(),
            public_path: None,
        }),
        via_trait: None,
        examples: Vec::new(),
        generics: Vec::new(),
        static_params: Vec::new(),
        factory: None,
    };
    let package = Package {
        name: "demo".into(),
        types: vec![TypeDef {
            name: "SmallIndexError".into(),
            path: "SmallIndexError".into(),
            public_path: None,
            generics: Vec::new(),
            param_defaults: Vec::new(),
            derives: Vec::new(),
            shape: TypeShape::Struct { fields: Vec::new() },
            constructors: vec![failing],
            consts: Vec::new(),
            hidden_in_crate: None,
        }],
        ..Package::default()
    };
    let reason = super::results::rejected_reason(&f, &package, 1024, 1024);
    assert_eq!(
        reason,
        "a `SmallIndexError` is built only from the `Err` of `SmallIndex::new`, which never failed on 1,024 of \
         1,024 generated inputs: give `strategy(self = ...)`"
    );
}
