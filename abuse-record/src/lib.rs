//! The record a cargo-abuse harness writes and the runner reads (one type for both sides), and the FNV-1a
//! hash the workspace shares.
//!
//! `abuse-runtime` writes one [`Record`] per test to `$ABUSE_RECORDS` with [`Record::to_json`] (no serde: the
//! runtime is linked into the user's test targets, see `json.rs`); `cargo-abuse` reads them back with the same
//! type and the `serde` derives. The JSON shape (field order, snake_case names for the closed sets) is the
//! record table documented in `abuse-runtime`'s crate docs, and must not change: records written by one
//! version of the runtime are read by the `cargo-abuse` a user runs.
//!
//! Features: `serde` (off by default) adds the `Serialize`/`Deserialize` derives. `abuse-attr`, which the
//! user's normal build compiles through `abuse-macros`, needs only [`fnv1a_64`] and leaves it off.

mod fnv;
mod json;

pub use fnv::fnv1a_64;

/// The environment variable the runner sets for a later fuzzing round: the failures it reported already,
/// which the fuzz target then passes over (see `abuse_runtime::fuzz`). Written by [`known_causes_text`], read
/// by [`known_causes`].
pub const KNOWN_CAUSES_ENV: &str = "ABUSE_KNOWN_CAUSES";
/// Between the kind and the message of a known cause (ASCII unit separator).
const CAUSE_UNIT_SEP: char = '\u{1f}';
/// Between known causes (ASCII record separator): a message may hold newlines.
const CAUSE_RECORD_SEP: char = '\u{1e}';

/// The [`KNOWN_CAUSES_ENV`] value for failures given as `(kind, message)`.
pub fn known_causes_text<'a>(causes: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut text = String::new();
    for (kind, message) in causes {
        if !text.is_empty() {
            text.push(CAUSE_RECORD_SEP);
        }
        text.push_str(kind);
        text.push(CAUSE_UNIT_SEP);
        text.push_str(message);
    }
    text
}

/// The `(kind, message)` failures of a [`KNOWN_CAUSES_ENV`] value.
pub fn known_causes(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split(CAUSE_RECORD_SEP)
        .filter_map(|c| c.split_once(CAUSE_UNIT_SEP))
}

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

/// One test's outcome, as written to `$ABUSE_RECORDS/<test>.json` (one JSON object on one line). Fields are
/// serialized in this order, every one always present (`null` for `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Record {
    /// The libtest name of the test (`module::fn`), or `<function>::<property>::fuzz` from a fuzz target.
    pub test: String,
    /// The function under test (`Target::function` of the harness: `<crate>::<path>`).
    pub function: String,
    /// The property checked.
    pub property: Property,
    /// Pass, fail, or rejected (a harness problem, not a bug).
    pub outcome: Outcome,
    /// `None` on pass; what went wrong otherwise (`Harness` with outcome `Rejected`).
    pub kind: Option<FailureKind>,
    /// Cases run up to and including the first failure (all cases on pass).
    #[cfg_attr(feature = "serde", serde(default))]
    pub cases: u64,
    /// Cases rejected by the harness's set-up up to the first failure.
    #[cfg_attr(feature = "serde", serde(default))]
    pub rejected: u64,
    /// Wall time of the whole check, shrinking included.
    #[cfg_attr(feature = "serde", serde(default))]
    pub elapsed_ms: u64,
    /// Time from the start to the first failing case.
    #[cfg_attr(feature = "serde", serde(default))]
    pub first_failure_ms: Option<u64>,
    /// The rng seed (`ABUSE_SEED` reproduces the run).
    #[cfg_attr(feature = "serde", serde(default))]
    pub seed: u64,
    /// The shrunk failing input as a Rust expression.
    pub input: Option<String>,
    /// Panic message with location, limit exceeded, or property message.
    pub message: Option<String>,
    /// Where the function under test is defined (relative to the workspace).
    #[cfg_attr(feature = "serde", serde(default))]
    pub file: String,
    /// Its line.
    #[cfg_attr(feature = "serde", serde(default))]
    pub line: u32,
    /// The function's fingerprint when the harness was generated.
    #[cfg_attr(feature = "serde", serde(default))]
    pub fingerprint: String,
    /// Size of the shrunk failing input: bytes of its strings plus its other literals (numbers, chars, bools),
    /// counted on its `Debug` text (`vec![0u8; 4096]` is 4096). `None` on pass, and in records written before
    /// the field was added (it is the last field, so older readers ignore it).
    #[cfg_attr(feature = "serde", serde(default))]
    pub input_size: Option<u64>,
    /// Which root cause of its check this failure is, when the check found more than one: `2`, `3` for the
    /// further ones (each a record of its own, a line after the first in the same file; a different failure
    /// kind, panic site or message than the ones before it). Absent (not written at all, so older readers
    /// and the documented shape are unchanged) on the first failure, on pass, and in older records.
    #[cfg_attr(
        feature = "serde",
        serde(default, skip_serializing_if = "Option::is_none")
    )]
    pub root_cause: Option<u32>,
}

/// The property a test checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Property {
    /// No panic, no hang, bounded allocation.
    NoPanic,
    /// `inverse(f(x)) == x`.
    Roundtrip,
    /// `f(f(x)) == f(x)`.
    Idempotent,
    /// `f(x) == reference(x)`.
    Oracle,
    /// The `ensures` closure holds.
    Ensures,
    /// Equal inputs give equal outputs.
    Deterministic,
    /// A generated sequence of calls on one value: every call holds, and so does the invariant.
    Sequence,
    /// The output pinned at sign-off (`cargo abuse sign --keep-behaviour`) is still the output.
    Behaviour,
    /// A tagged `#[test]` passes, run as it is: its own assertions are the property.
    Test,
}

impl Property {
    /// Every property, in declaration order.
    pub const ALL: [Property; 9] = [
        Property::NoPanic,
        Property::Roundtrip,
        Property::Idempotent,
        Property::Oracle,
        Property::Ensures,
        Property::Deterministic,
        Property::Sequence,
        Property::Behaviour,
        Property::Test,
    ];

    /// The name used in records and reports: `no_panic`, `roundtrip`, `idempotent`, `oracle`, `ensures`,
    /// `deterministic`, `sequence`, `behaviour`, `test`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Property::NoPanic => "no_panic",
            Property::Roundtrip => "roundtrip",
            Property::Idempotent => "idempotent",
            Property::Oracle => "oracle",
            Property::Ensures => "ensures",
            Property::Deterministic => "deterministic",
            Property::Sequence => "sequence",
            Property::Behaviour => "behaviour",
            Property::Test => "test",
        }
    }

    /// The property named `name` ([`Property::as_str`]'s spelling).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

/// How a test ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Outcome {
    /// Every case held.
    Pass,
    /// A case failed (see [`Record::kind`]).
    Fail,
    /// The harness rejected so many cases that proptest gave up: a harness problem, not a bug.
    Rejected,
}

impl Outcome {
    /// `pass`, `fail` or `rejected`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Rejected => "rejected",
        }
    }
}

/// What went wrong in a failing (or rejected) test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum FailureKind {
    /// The function panicked.
    Panic,
    /// One call ran over its time limit.
    Timeout,
    /// One call allocated over its limit.
    Alloc,
    /// A declared property did not hold.
    Property,
    /// The process died: stack overflow, abort or signal.
    Crash,
    /// The harness could not build inputs (with outcome [`Outcome::Rejected`]).
    Harness,
}

impl FailureKind {
    /// Every kind, in declaration order.
    pub const ALL: [FailureKind; 6] = [
        FailureKind::Panic,
        FailureKind::Timeout,
        FailureKind::Alloc,
        FailureKind::Property,
        FailureKind::Crash,
        FailureKind::Harness,
    ];

    /// `panic`, `timeout`, `alloc`, `property`, `crash` or `harness`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Panic => "panic",
            FailureKind::Timeout => "timeout",
            FailureKind::Alloc => "alloc",
            FailureKind::Property => "property",
            FailureKind::Crash => "crash",
            FailureKind::Harness => "harness",
        }
    }

    /// The kind named `name` ([`FailureKind::as_str`]'s spelling).
    #[must_use]
    pub fn from_name(name: &str) -> Option<FailureKind> {
        FailureKind::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

macro_rules! display_as_str {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

display_as_str!(Property, Outcome, FailureKind);

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[test]
    fn known_causes_round_trip_messages_with_newlines() {
        let text = known_causes_text([("panic", "index 7\nat src/a.rs:10:5"), ("crash", "died")]);
        let back: Vec<_> = known_causes(&text).collect();
        assert_eq!(
            back,
            [("panic", "index 7\nat src/a.rs:10:5"), ("crash", "died")]
        );
        assert_eq!(known_causes("").count(), 0);
    }

    /// A record as the runtime writes it for a shrunk panic.
    fn failing() -> Record {
        Record {
            test: "demo::net::parse_port_no_panic".into(),
            function: "demo::net::parse_port".into(),
            property: Property::NoPanic,
            outcome: Outcome::Fail,
            kind: Some(FailureKind::Panic),
            cases: 17,
            rejected: 2,
            elapsed_ms: 120,
            first_failure_ms: Some(31),
            seed: 42,
            input: Some("(String::from(\"6553\\u{301}6\"),)".into()),
            message: Some("panicked: \"bad\"\n\tat src/net.rs:14:9".into()),
            file: "src/net.rs".into(),
            line: 12,
            fingerprint: "0123456789abcdef".into(),
            input_size: Some(6),
            root_cause: None,
        }
    }

    #[test]
    fn records_serialize_to_the_documented_shape_byte_for_byte() {
        // The text the hand-written writer this type replaced produced for the same record: field order, nulls,
        // snake_case names and escapes are the documented record format.
        let expected = r#"{"test":"demo::net::parse_port_no_panic","function":"demo::net::parse_port","property":"no_panic","outcome":"fail","kind":"panic","cases":17,"rejected":2,"elapsed_ms":120,"first_failure_ms":31,"seed":42,"input":"(String::from(\"6553\\u{301}6\"),)","message":"panicked: \"bad\"\n\tat src/net.rs:14:9","file":"src/net.rs","line":12,"fingerprint":"0123456789abcdef","input_size":6}"#;
        assert_eq!(
            serde_json::to_string(&failing()).expect("serializes"),
            expected
        );
        assert_eq!(failing().to_json(), expected);
        let pass = Record {
            outcome: Outcome::Pass,
            kind: None,
            first_failure_ms: None,
            input: None,
            message: None,
            input_size: None,
            ..failing()
        };
        let json = serde_json::to_string(&pass).expect("serializes");
        assert!(
            json.contains(r#""outcome":"pass","kind":null,"#)
                && json.contains(r#""first_failure_ms":null,"#)
                && json.contains(r#""input":null,"message":null,"#)
                && json.ends_with(r#","input_size":null}"#),
            "{json}"
        );
    }

    #[test]
    fn the_hand_written_line_is_what_serde_writes_and_reads() {
        // Every control character, quotes, backslashes, non-ASCII and DEL, in every string field; `None`s.
        let nasty: String = (0u8..0x20)
            .map(char::from)
            .chain("\"\\/\u{7f}é€𝄞\u{301}".chars())
            .collect();
        let records = [
            failing(),
            Record {
                kind: None,
                first_failure_ms: None,
                input: None,
                message: None,
                input_size: None,
                ..failing()
            },
            Record {
                test: nasty.clone(),
                function: nasty.clone(),
                input: Some(nasty.clone()),
                message: Some(nasty.clone()),
                file: nasty.clone(),
                fingerprint: nasty.clone(),
                cases: u64::MAX,
                line: u32::MAX,
                ..failing()
            },
        ];
        for record in records {
            let line = record.to_json();
            assert_eq!(line, serde_json::to_string(&record).expect("serializes"));
            let back: Record = serde_json::from_str(&line).expect("deserializes");
            assert_eq!(back, record);
        }
    }

    #[test]
    fn records_read_back_what_was_written() {
        let record = failing();
        let json = serde_json::to_string(&record).expect("serializes");
        let back: Record = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, record);
    }

    #[test]
    fn records_without_the_optional_counts_still_read() {
        let json = r#"{"test":"t","function":"f","property":"roundtrip","outcome":"rejected","kind":"harness","input":null,"message":"m","extra":true}"#;
        let r: Record = serde_json::from_str(json).expect("deserializes");
        assert_eq!(
            r.input_size, None,
            "a record from before `input_size` reads"
        );
        assert_eq!(
            (r.property, r.outcome, r.kind, r.cases, r.file.as_str()),
            (
                Property::Roundtrip,
                Outcome::Rejected,
                Some(FailureKind::Harness),
                0,
                ""
            )
        );
    }

    #[test]
    fn serde_names_are_the_documented_names() {
        for p in Property::ALL {
            let json = serde_json::to_string(&p).expect("serializes");
            assert_eq!(json, format!("\"{p}\""));
            assert_eq!(Property::from_name(p.as_str()), Some(p));
        }
        for k in FailureKind::ALL {
            let json = serde_json::to_string(&k).expect("serializes");
            assert_eq!(json, format!("\"{k}\""));
            assert_eq!(FailureKind::from_name(k.as_str()), Some(k));
        }
        for o in [Outcome::Pass, Outcome::Fail, Outcome::Rejected] {
            assert_eq!(
                serde_json::to_string(&o).expect("serializes"),
                format!("\"{o}\"")
            );
        }
        let names: Vec<&str> = Property::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "no_panic",
                "roundtrip",
                "idempotent",
                "oracle",
                "ensures",
                "deterministic",
                "sequence",
                "behaviour",
                "test"
            ]
        );
        let kinds: Vec<&str> = FailureKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["panic", "timeout", "alloc", "property", "crash", "harness"]
        );
        assert_eq!(Property::from_name("all"), None);
    }
}
