//! For libFuzzer targets: the same measuring on one input; a failure prints the report, writes the record
//! and aborts, so libFuzzer keeps the input as a crash artifact.

use std::fmt::Debug;
use std::time::Instant;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

use crate::check::{classify, env_u64, report, root_cause, CaseResult, Property, Settings, Target};
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
    catch_stack_overflow();
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
        if is_known_cause(kind.as_str(), &message) {
            // A later round of the runner looks for another root cause: this one is reported already.
            return;
        }
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

/// Whether a failure has the root cause ([`crate::check::root_cause`]: kind and panic site) of one in
/// [`abuse_record::KNOWN_CAUSES_ENV`].
fn is_known_cause(kind: &str, message: &str) -> bool {
    static KNOWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        causes_in(&std::env::var(abuse_record::KNOWN_CAUSES_ENV).unwrap_or_default())
    });
    !known.is_empty() && known.contains(&root_cause(kind, message))
}

/// The root causes of the failures in a [`abuse_record::KNOWN_CAUSES_ENV`] value.
fn causes_in(text: &str) -> Vec<String> {
    abuse_record::known_causes(text)
        .map(|(k, m)| root_cause(k, m))
        .collect()
}

/// Makes a stack overflow in this thread a crash libFuzzer reports with its input (once per thread).
///
/// A libFuzzer binary has no Rust `main`, so std never set up its overflow handler, and libFuzzer's own
/// SIGSEGV handler runs on the overflowed stack: the process died silently, with no crash file, and the
/// runner could only say "libFuzzer failed". Here: an alternate signal stack and a SIGSEGV handler on it that
/// says what happened and aborts, which libFuzzer's SIGABRT handler turns into a `crash-` file of the input.
pub fn catch_stack_overflow() {
    #[cfg(unix)]
    {
        thread_local! {
            static INSTALLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
        }
        if INSTALLED.with(|i| i.replace(true)) {
            return;
        }
        overflow::install();
    }
}

#[cfg(unix)]
mod overflow {
    /// Room for the handler and for libFuzzer's crash callback, which runs on the same stack after the abort.
    const ALT_STACK: usize = 256 * 1024;

    pub(super) fn install() {
        // Leaked: the alternate stack must live as long as the thread, and there is one per fuzzing thread.
        let stack: &'static mut [u8] = Box::leak(vec![0u8; ALT_STACK].into_boxed_slice());
        let alt = libc::stack_t {
            ss_sp: stack.as_mut_ptr().cast(),
            ss_flags: 0,
            ss_size: ALT_STACK,
        };
        // SAFETY: `alt` points at memory that is never freed; `action` is fully initialised (zeroed, then the
        // handler, flags and an empty mask set) before `sigaction` reads it.
        unsafe {
            if libc::sigaltstack(&alt, std::ptr::null_mut()) != 0 {
                return;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_segv as *const () as usize;
            action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
            libc::sigemptyset(&mut action.sa_mask);
            libc::sigaction(libc::SIGSEGV, &action, std::ptr::null_mut());
        }
    }

    extern "C" fn on_segv(_: libc::c_int, _: *mut libc::siginfo_t, _: *mut libc::c_void) {
        const NOTE: &[u8] =
            b"abuse: SIGSEGV during the call (a stack overflow, or an invalid memory access)\n";
        // SAFETY: `write` and `abort` are async-signal-safe; NOTE is a static buffer.
        unsafe {
            libc::write(2, NOTE.as_ptr().cast(), NOTE.len());
            libc::abort();
        }
    }
}

/// Inputs drawn by [`emit_seeds`] per run unless `ABUSE_EMIT_COUNT` says otherwise: two property runs' worth.
pub const EMIT_COUNT: u64 = 512;
/// Longer inputs are cut to this: libFuzzer takes its `-max_len` from the largest seed, and mutating inputs of
/// megabytes is slow. A cut keeps the form (a nesting keeps its opens, a long run its run); the property tests
/// run the forms at full size anyway.
pub const MAX_SEED_BYTES: usize = 64 * 1024;

/// The libFuzzer target's `init`: when `ABUSE_EMIT_SEEDS` names a folder, draws inputs from the property tests'
/// own `strategy` (the attack families: structured payloads, length fields, magics, keyword compositions) on
/// the stream `ABUSE_SEED` picks, writes each one's fuzz encoding (`encode`: the bytes the target decodes back
/// into that input) as a file of that folder, and exits; otherwise returns at once. `cargo abuse run --fuzz`
/// passes the folder to libFuzzer as a seed corpus, so fuzzing starts from what the property tests draw
/// instead of from the function's literals alone.
pub fn emit_seeds<S: Strategy>(strategy: S, encode: impl Fn(&S::Value) -> Vec<u8>) {
    let Some(dir) = std::env::var_os("ABUSE_EMIT_SEEDS") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let seed = env_u64("ABUSE_SEED").unwrap_or(0);
    let count = env_u64("ABUSE_EMIT_COUNT").unwrap_or(EMIT_COUNT);
    let code = match write_seeds(&strategy, &encode, &dir, seed, count) {
        Ok(_) => 0,
        Err(err) => {
            eprintln!("abuse: writing seeds to {}: {err}", dir.display());
            1
        }
    };
    std::process::exit(code);
}

/// Writes up to `count` distinct encoded draws of `strategy` (seed stream `seed`), each cut to
/// [`MAX_SEED_BYTES`], into `dir` as `attack-NNNN`; returns how many were written.
fn write_seeds<S: Strategy>(
    strategy: &S,
    encode: &impl Fn(&S::Value) -> Vec<u8>,
    dir: &std::path::Path,
    seed: u64,
    count: u64,
) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut runner = TestRunner::new(Config {
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        ..Config::default()
    });
    let mut seen = std::collections::HashSet::new();
    for _ in 0..count {
        // A draw a strategy's filter rejects is skipped, like a rejected case.
        let Ok(tree) = strategy.new_tree(&mut runner) else {
            continue;
        };
        let mut bytes = encode(&tree.current());
        bytes.truncate(MAX_SEED_BYTES);
        if seen.insert(bytes.clone()) {
            std::fs::write(dir.join(format!("attack-{:04}", seen.len() - 1)), bytes)?;
        }
    }
    Ok(seen.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_cause_is_its_kind_and_panic_site_whatever_the_values() {
        let env = abuse_record::known_causes_text([
            (
                "panic",
                "panicked: index 7 out of range\nfor slice at src/a.rs:10:5",
            ),
            ("crash", "the process died"),
        ]);
        let known = causes_in(&env);
        let same_site = root_cause(
            "panic",
            "panicked: index 99 out of range for slice at src/a.rs:10:5",
        );
        let other_site = root_cause(
            "panic",
            "panicked: index 7 out of range for slice at src/a.rs:11:5",
        );
        assert!(known.contains(&same_site));
        assert!(!known.contains(&other_site));
        assert!(known.contains(&root_cause("crash", "the process died during the call")));
        assert!(!known.contains(&root_cause("timeout", "the call did not return")));
        assert!(causes_in("").is_empty());
    }

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

    #[test]
    fn seeds_are_distinct_draws_under_the_size_cap_and_repeat_with_the_seed() {
        use proptest::collection::vec;
        let dir = std::env::temp_dir().join(format!("abuse-seeds-{}", std::process::id()));
        let strategy = (vec(proptest::num::u8::ANY, 0..MAX_SEED_BYTES * 2),);
        let encode = |v: &(Vec<u8>,)| v.0.clone();
        let written = write_seeds(&strategy, &encode, &dir.join("a"), 7, 40).unwrap();
        let read = |sub: &str| -> Vec<Vec<u8>> {
            let mut files: Vec<_> = std::fs::read_dir(dir.join(sub))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            files.sort();
            files.iter().map(|p| std::fs::read(p).unwrap()).collect()
        };
        let a = read("a");
        assert_eq!(a.len(), written);
        // Every draw is written (random vectors are distinct), about half of them cut to the cap.
        assert_eq!(written, 40);
        assert!(a.iter().all(|b| b.len() <= MAX_SEED_BYTES));
        assert!(a.iter().any(|b| b.len() == MAX_SEED_BYTES));
        write_seeds(&strategy, &encode, &dir.join("b"), 7, 40).unwrap();
        assert_eq!(read("b"), a, "the same seed draws the same inputs");
        write_seeds(&strategy, &encode, &dir.join("c"), 8, 40).unwrap();
        assert_ne!(read("c"), a);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_single_string_input_is_its_utf8_bytes_for_arbitrary() {
        // The fuzz target decodes `(String,)` with `arbitrary_take_rest`: the seed must decode to the draw.
        use arbitrary::{Arbitrary, Unstructured};
        for s in ["", "a", "é∂😀", "<a a0=\"\"/>"] {
            let bytes = s.as_bytes();
            let back = <(String,)>::arbitrary_take_rest(Unstructured::new(bytes)).unwrap();
            assert_eq!(back.0, s);
        }
    }

    /// The child of [`an_overflow_after_catching_it_is_reported_and_aborts`]: recurses without end.
    #[test]
    #[ignore = "run by an_overflow_after_catching_it_is_reported_and_aborts in a child process"]
    fn overflow_child() {
        fn deeper(n: u64, buf: &mut [u8; 512]) -> u64 {
            if n == u64::MAX {
                return 0;
            }
            buf[(n % 512) as usize] = n as u8;
            let mut next = [0u8; 512];
            std::hint::black_box(&mut next);
            deeper(n + 1, &mut next) + u64::from(buf[0])
        }
        catch_stack_overflow();
        let mut buf = [0u8; 512];
        println!("{}", deeper(0, std::hint::black_box(&mut buf)));
    }

    #[cfg(unix)]
    #[test]
    fn an_overflow_after_catching_it_is_reported_and_aborts() {
        use std::os::unix::process::ExitStatusExt;
        let exe = std::env::current_exe().unwrap();
        let out = std::process::Command::new(exe)
            .args([
                "fuzz::tests::overflow_child",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        // Our handler ran (not std's "has overflowed its stack"), then the abort libFuzzer catches.
        assert!(err.contains("abuse: SIGSEGV during the call"), "{err}");
        assert_eq!(out.status.signal(), Some(libc::SIGABRT), "{err}");
    }
}
