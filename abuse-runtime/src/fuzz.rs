//! For libFuzzer targets: the same measuring on one input; a failure prints the report, writes the record
//! and aborts, so libFuzzer keeps the input as a crash artifact.

use std::fmt::Debug;
use std::time::Instant;

use proptest::test_runner::TestCaseError;

use crate::check::{classify, report, CaseResult, Property, Settings, Target};
use crate::expr::RustExpr;
use crate::measure;
use crate::record::{self, Outcome, Record};

/// Runs `body` (which calls the function on `value`) measured like [`crate::check()`]. On failure: prints the
/// report with `value` as a Rust expression, writes `$ABUSE_RECORDS/<function>__<property>__fuzz.json`, and
/// aborts the process (libFuzzer records a crash). Time limits are libFuzzer's (`-timeout`); rejections
/// (`setup` panics) are ignored.
pub fn check_one<V: RustExpr + Debug>(
    target: &Target,
    property: Property,
    settings: &Settings,
    value: &V,
    body: impl FnOnce() -> Result<(), TestCaseError>,
) {
    measure::install_hook();
    measure::library_backtraces_off();
    // A hang or an out-of-memory kill writes no record: leave the input where the runner can read it first.
    if let Some(path) = std::env::var_os("ABUSE_TRACE_INPUT") {
        let _ = std::fs::write(path, value.rust_expr());
    }
    let start = Instant::now();
    let m = measure::measure(settings.max_alloc, None, body);
    // libFuzzer owns the time limit; a slow call is its `-timeout`'s business.
    let settings = Settings {
        timeout_ms: u64::MAX,
        ..settings.clone()
    };
    if let CaseResult::Fail(kind, message) =
        classify(&m, &settings, std::time::Duration::MAX, settings.max_alloc)
    {
        let test = format!("{}::{}::fuzz", target.function, property.as_str());
        let record = Record {
            kind: Some(kind),
            cases: 1,
            elapsed_ms: start.elapsed().as_millis() as u64,
            input: Some(value.rust_expr()),
            input_size: Some(measure::element_count(value)),
            message: Some(message),
            ..record::new(target, property, test, Outcome::Fail)
        };
        record::write(&record);
        eprintln!("{}", report(target, property, &record));
        std::process::abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passing_inputs_return_normally() {
        let t = Target {
            function: "f",
            file: "x.rs",
            line: 1,
            prompt: "",
            author: "",
            test_owner: "",
            fingerprint: "",
        };
        check_one(&t, Property::NoPanic, &Settings::default(), &(1u8,), || {
            Ok(())
        });
        check_one(
            &t,
            Property::NoPanic,
            &Settings {
                may_panic: true,
                ..Settings::default()
            },
            &(2u8,),
            || panic!("allowed"),
        );
    }
}
