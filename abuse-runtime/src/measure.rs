//! Measuring one call: the counting global allocator, the panic hook that keeps a panic's message and
//! location (and silences the default output), and the watchdog that ends a forked child whose call hangs.
//!
//! The allocator counts only the calling thread and only while armed (proptest itself allocates). An
//! ordinary allocation past `max_alloc` is let through and the case fails afterwards on the recorded peak;
//! only absurd totals (past [`hard_limit`]) get a null pointer, which makes the process abort: the forked
//! child dies, and a note written beforehand (without allocating) tells the parent it was `alloc`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Condvar, Mutex, Once, OnceLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The counting allocator; declare it with [`crate::install!`].
pub struct CountingAlloc;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static CURRENT: Cell<u64> = const { Cell::new(0) };
    static PEAK: Cell<u64> = const { Cell::new(0) };
    static HARD: Cell<u64> = const { Cell::new(u64::MAX) };
    /// What the next (then the current) measured call's input excuses: [`input_cost`] of its size.
    static INPUT_COST: Cell<u64> = const { Cell::new(0) };
    static IN_CALL: Cell<bool> = const { Cell::new(false) };
    /// Inside harness set-up ([`off_the_clock`]): an allocation past the hard limit there is the harness's.
    static IN_SETUP: Cell<bool> = const { Cell::new(false) };
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Time the measured call spent in harness set-up (`check::setup`), left out of its elapsed time.
    static SETUP_TIME: Cell<Duration> = const { Cell::new(Duration::ZERO) };
}

/// How long the watchdog still waits while harness set-up runs: a receiver built from a large generated input
/// (aho-corasick's automaton from 800 KB of patterns) is not the call under test, but a set-up that never ends
/// must still end the case.
const SETUP_GRACE: Duration = Duration::from_secs(60);

static INSTALLED: AtomicBool = AtomicBool::new(false);
/// File descriptor of the case log of a forked child, for the allocation note (-1: none).
static NOTE_FD: AtomicI32 = AtomicI32::new(-1);

/// The most a call's deadline is pushed back for time it spent waiting for a CPU (see [`RunQueue`]): a call
/// starved by a loaded machine still ends, at `limit + STARVED_CAP` at the latest.
const STARVED_CAP: Duration = Duration::from_secs(60);

/// The calling thread's time spent runnable but not running, from Linux's `/proc/<pid>/task/<tid>/schedstat`
/// (second field, nanoseconds). A call's time limit is meant for its own work: on a machine loaded by other
/// builds, a call on a tiny input can wait seconds for a CPU, and that wait is no sign of a hang. A hang spins
/// (on a CPU, or waiting for one) or sleeps (a deadlock), and neither grows this counter by the time it
/// hangs, so it is still caught. Elsewhere (no procfs) nothing is credited.
#[derive(Clone)]
struct RunQueue {
    path: std::path::PathBuf,
}

impl RunQueue {
    /// The current thread's counter; `None` where the kernel does not provide it.
    fn of_current_thread() -> Option<RunQueue> {
        let link = std::fs::read_link("/proc/thread-self").ok()?;
        let path = std::path::Path::new("/proc").join(link).join("schedstat");
        let q = RunQueue { path };
        q.waited()?;
        Some(q)
    }

    /// Total time this thread has waited on a run queue.
    fn waited(&self) -> Option<Duration> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let ns = text.split_ascii_whitespace().nth(1)?.parse().ok()?;
        Some(Duration::from_nanos(ns))
    }
}

/// The total past which an allocation gets a null pointer (and the process aborts): `max(8 × max_alloc,
/// 1 GiB)`. Between `max_alloc` and this the allocation succeeds and the case fails on its peak.
#[must_use]
pub fn hard_limit(max_alloc: u64) -> u64 {
    max_alloc.saturating_mul(8).max(1 << 30)
}

/// Whether the counting allocator is the global allocator of this binary (it has served an allocation).
#[must_use]
pub fn allocator_installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

fn admit(size: usize) -> bool {
    if !ARMED.try_with(Cell::get).unwrap_or(false) {
        return true;
    }
    let cur = CURRENT.get().saturating_add(size as u64);
    if cur > HARD.get() {
        ARMED.set(false);
        // What the caller asked for, or the input's own cost, is excused: the note says `requested`, and
        // `check` goes on.
        let excuse = if IN_SETUP.get() {
            Excuse::SetUp
        } else {
            hard_limit_excuse(cur, crate::requested::largest(), INPUT_COST.get())
        };
        alloc_note(size as u64, HARD.get(), excuse);
        return false;
    }
    CURRENT.set(cur);
    if cur > PEAK.get() {
        PEAK.set(cur);
    }
    true
}

/// Why a total past the hard limit is not the call's bug.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Excuse {
    /// Nothing excuses it: an absurd allocation for the call.
    None,
    /// The caller asked for a size this large (elements; [`crate::requested`]).
    Requested(u128),
    /// The input is this big (bytes of `Debug` text): the total is within [`input_cost`] of it.
    Input(u64),
    /// It happened in harness set-up (`check::setup`: a receiver or an argument built with an absurd size,
    /// `FixedBitSet::with_capacity(usize::MAX)`), before the call: the harness's input, not the call's bug.
    SetUp,
}

/// Why `total` bytes (past the hard limit) are excused, if they are: a request that covers them, or an input
/// whose [`input_cost`] (`input_cost` bytes) does.
#[must_use]
pub fn hard_limit_excuse(total: u64, asked: u128, input_cost: u64) -> Excuse {
    if crate::requested::excuses_bytes(asked, total) {
        Excuse::Requested(asked)
    } else if total <= input_cost {
        Excuse::Input(input_cost / INPUT_COST_FACTOR)
    } else {
        Excuse::None
    }
}

/// How many times its own size (bytes of its `Debug` text) an input may make a call allocate. Building a
/// structure from its input (an automaton from its patterns, a table from its rows) costs memory in
/// proportion to it, and the unoptimised test build multiplies that: aho-corasick 1.1.5's NFA and DFA builders
/// reach 1-1.5 GiB on 0.7-4 MB of generated patterns (2.5-15 MB of `Debug` text), 70-600 times it. An
/// amplification bug turns a few bytes into gigabytes: the huge-allocation advisories (a length field, a
/// count, a `repeat`) ask for 10^5 to 10^9 times their input, all from inputs under 1 kB. 1,024 sits between.
pub const INPUT_COST_FACTOR: u64 = 1024;
/// The input's `Debug` text is counted up to this for [`input_cost`]: 16 GiB of excuse is more than any run
/// holds, and a count stopped there costs a bounded time.
pub const INPUT_COST_STOP: u64 = 16 << 20;

/// The allocation an input of `debug_bytes` excuses ([`INPUT_COST_FACTOR`] times it).
#[must_use]
pub fn input_cost(debug_bytes: u64) -> u64 {
    debug_bytes.saturating_mul(INPUT_COST_FACTOR)
}

/// Tells the next [`measure`] of this thread the size of its input (bytes of `Debug` text, see
/// [`input_cost`]); that call's allocation up to its cost is not a failure. Forgotten when the call ends.
pub(crate) fn set_input_size(debug_bytes: u64) {
    INPUT_COST.set(input_cost(debug_bytes));
}

/// The size [`set_input_size`] wants for `value`: `size` when it was counted in full (under `counted_to`), or
/// the count again up to [`INPUT_COST_STOP`].
pub(crate) fn cost_size<V: std::fmt::Debug + ?Sized>(value: &V, size: u64, counted_to: u64) -> u64 {
    if size > counted_to {
        debug_size(value, INPUT_COST_STOP)
    } else {
        size
    }
}

fn release(size: usize) {
    if ARMED.try_with(Cell::get).unwrap_or(false) {
        CURRENT.set(CURRENT.get().saturating_sub(size as u64));
    }
}

// SAFETY: every method forwards to `System` with the same layout; the bookkeeping touches only
// const-initialised thread-locals without destructors and never allocates or panics.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        INSTALLED.store(true, Ordering::Relaxed);
        if !admit(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !admit(layout.size()) {
            return std::ptr::null_mut();
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        release(layout.size());
        // SAFETY: forwarded unchanged.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            if !admit(new_size - layout.size()) {
                return std::ptr::null_mut();
            }
        } else {
            release(layout.size() - new_size);
        }
        // SAFETY: forwarded unchanged.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Writes `D\t<ms>\talloc\t...` (or `requested` when it is excused: the caller asked for that much, or the
/// input is that big) to the case log and a line to stderr, with stack buffers only.
fn alloc_note(size: u64, hard: u64, excuse: Excuse) {
    let mut buf = [0u8; 240];
    let mut n = 0;
    let mut put = |b: &[u8], n: &mut usize| {
        let k = b.len().min(buf.len() - *n);
        buf[*n..*n + k].copy_from_slice(&b[..k]);
        *n += k;
    };
    let mut digits = [0u8; 20];
    put(b"D\t", &mut n);
    put(fmt_u64(now_ms(), &mut digits), &mut n);
    put(
        if excuse == Excuse::None {
            b"\talloc\tallocation of "
        } else {
            b"\trequested\tallocation of "
        },
        &mut n,
    );
    put(fmt_u64(size, &mut digits), &mut n);
    put(b" bytes would pass the hard limit of ", &mut n);
    put(fmt_u64(hard, &mut digits), &mut n);
    match excuse {
        Excuse::Requested(asked) => {
            put(b" bytes: the caller asked for a size of ", &mut n);
            put(
                fmt_u64(asked.min(u128::from(u64::MAX)) as u64, &mut digits),
                &mut n,
            );
            put(b" (not a bug; the process aborts)\n", &mut n);
        }
        Excuse::Input(bytes) => {
            put(b" bytes: within the cost of an input of ", &mut n);
            put(fmt_u64(bytes, &mut digits), &mut n);
            put(
                b" bytes of Debug text (not a bug; the process aborts)\n",
                &mut n,
            );
        }
        Excuse::SetUp => put(
            b" bytes in the harness's set-up, before the call (not a bug; the process aborts)\n",
            &mut n,
        ),
        Excuse::None => put(
            b" bytes for the call (absurd size: the process aborts)\n",
            &mut n,
        ),
    }
    let line = &buf[..n];
    let _ = std::io::stderr().write_all(&line[line.iter().position(|&c| c == b'a').unwrap_or(0)..]);
    write_fd(NOTE_FD.load(Ordering::Relaxed), line);
}

fn fmt_u64(mut v: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(unix)]
fn write_fd(fd: i32, bytes: &[u8]) {
    use std::os::fd::FromRawFd;
    if fd < 0 {
        return;
    }
    // SAFETY: `fd` is the case log, opened by `set_note_file` and kept open (leaked) for the process' life;
    // ManuallyDrop never closes it.
    let file = std::mem::ManuallyDrop::new(unsafe { std::fs::File::from_raw_fd(fd) });
    let _ = (&*file).write_all(bytes);
}

#[cfg(not(unix))]
fn write_fd(_: i32, _: &[u8]) {}

/// Makes the allocation note go to this (append-mode) file too. The file stays open for the process' life.
pub(crate) fn set_note_file(file: &std::fs::File) {
    #[cfg(unix)]
    {
        use std::os::fd::IntoRawFd;
        if let Ok(dup) = file.try_clone() {
            NOTE_FD.store(dup.into_raw_fd(), Ordering::Relaxed);
        }
    }
    #[cfg(not(unix))]
    let _ = file;
}

/// Milliseconds since the Unix epoch (0 if the clock is before it).
#[must_use]
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Installs the panic hook once: panics inside a measured call are recorded (message and location) and not
/// printed; other panics go to the previous hook.
/// Turns off `std::backtrace::Backtrace::capture` (and so anyhow's and eyre's backtraces) for this process,
/// unless the user set `RUST_LIB_BACKTRACE` themselves. A captured backtrace records the call site, so two
/// equal errors from two calls compare unequal by `Debug` (a false `deterministic` failure under
/// `RUST_BACKTRACE=1`), and capturing one per failing call slows every case down. Panic backtraces
/// (`RUST_BACKTRACE`) are untouched. Called only where no other thread reads the environment: a forked
/// child before its first case, a fuzz target before its first input.
pub(crate) fn library_backtraces_off() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("RUST_LIB_BACKTRACE").is_none() {
            std::env::set_var("RUST_LIB_BACKTRACE", "0");
        }
    });
}

pub(crate) fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        let in_child = std::env::var_os(crate::check::FORK_ENV).is_some();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "Box<dyn Any>".to_owned());
            if IN_CALL.try_with(Cell::get).unwrap_or(false) {
                let was_armed = ARMED.replace(false);
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()));
                LAST_PANIC.set(Some(format!("{msg}{}", at.unwrap_or_default())));
                ARMED.set(was_armed);
                return;
            }
            // The forked child ends a failed run with this panic; the parent reports it properly.
            if in_child && msg.starts_with("Test failed normally in child process") {
                return;
            }
            previous(info);
        }));
    });
}

/// Extra time a call gets per unit of input size (one byte of the input's `Debug` text), in nanoseconds. Sized on
/// the runtime's biggest inputs in the unoptimised test build: a correct linear parser (quick-xml 0.41, fixed)
/// takes 1.9 s on `"<a>" × 100000` (300 kB of Debug text, 6.3 µs a byte on this 2-core machine) and must pass;
/// 10 µs a byte leaves it a margin of 1.6× for machine load. See [`call_limit`].
pub const PER_UNIT_NS: u64 = 10_000;
/// The size-dependent part of a call's time limit is at most this many times `timeout_ms`: a huge input does
/// not make a hang take minutes to report.
pub const CAP_FACTOR: u64 = 8;

/// A cheap measure of an input's size: the length in bytes of its `Debug` text, counted without allocating
/// and stopped once it passes `stop_at` (nothing above [`call_limit`]'s cap matters). Computed before the call.
#[must_use]
pub fn debug_size<V: std::fmt::Debug + ?Sized>(value: &V, stop_at: u64) -> u64 {
    struct Count {
        n: u64,
        stop_at: u64,
    }
    impl std::fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.n = self.n.saturating_add(s.len() as u64);
            if self.n > self.stop_at {
                Err(std::fmt::Error)
            } else {
                Ok(())
            }
        }
    }
    let mut c = Count { n: 0, stop_at };
    let _ = std::fmt::write(&mut c, format_args!("{value:?}"));
    c.n
}

/// The size a person reads of an input: its elements and bytes, counted on its `Debug` text as the bytes inside
/// string literals (`"ab"` is 2) plus each other literal (a number, a char, `true`): `vec![0u8; 4096]` is 4096,
/// `("é", 3)` is 3, `None` is 0. Names (of types, fields, variants) and punctuation do not count.
#[must_use]
pub fn element_count<V: std::fmt::Debug + ?Sized>(value: &V) -> u64 {
    count_elements(&format!("{value:?}"))
}

fn count_elements(text: &str) -> u64 {
    let b = text.as_bytes();
    let mut n = 0u64;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    let mut bytes = 1;
                    if b[i] == b'\\' {
                        // An escape (`\n`, `\"`) is one byte of the string; `\u{301}` is its character's bytes.
                        i += 1;
                        if b.get(i) == Some(&b'u') {
                            let start = i + 2;
                            while i < b.len() && b[i] != b'}' {
                                i += 1;
                            }
                            bytes = text
                                .get(start.min(i)..i)
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                                .map_or(1, |c| c.len_utf8() as u64);
                        }
                    }
                    n += bytes;
                    i += 1;
                }
                i += 1;
            }
            b'\'' => {
                n += 1;
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b"_.".contains(&b[i])) {
                    i += 1;
                }
                let word = &text[start..i];
                if c.is_ascii_digit()
                    || word == "true"
                    || word == "false"
                    || word == "inf"
                    || word == "NaN"
                {
                    n += 1;
                }
            }
            _ => i += 1,
        }
    }
    n
}

/// The size (in units of [`debug_size`]) past which a bigger input gets no more time.
#[must_use]
pub fn size_cap(timeout_ms: u64) -> u64 {
    timeout_ms
        .saturating_mul(CAP_FACTOR)
        .saturating_mul(1_000_000)
        / PER_UNIT_NS
}

/// The time limit of one call on an input of `size` units: `timeout_ms + min(PER_UNIT × size, CAP_FACTOR ×
/// timeout_ms)`. A slow linear call on a big input is not a hang; quadratic work on a big input and a loop on a
/// short one still pass the limit.
#[must_use]
pub fn call_limit(timeout_ms: u64, size: u64) -> Duration {
    let extra_ns = size.saturating_mul(PER_UNIT_NS).min(
        timeout_ms
            .saturating_mul(CAP_FACTOR)
            .saturating_mul(1_000_000),
    );
    Duration::from_millis(timeout_ms).saturating_add(Duration::from_nanos(extra_ns))
}

/// The limit of a call on `value` (its size measured now): [`call_limit`] of [`debug_size`].
#[must_use]
pub fn limit_for<V: std::fmt::Debug + ?Sized>(timeout_ms: u64, value: &V) -> Duration {
    call_limit(timeout_ms, debug_size(value, size_cap(timeout_ms)))
}

/// What one measured call did.
#[derive(Debug)]
pub(crate) struct Measured<R> {
    /// The body's result, or the panic message with location.
    pub result: Result<R, String>,
    pub elapsed: Duration,
    pub peak: u64,
    /// The largest size the caller asked the call for ([`crate::requested`]; 0: none).
    pub requested: u128,
    /// The allocation its input excuses ([`input_cost`]; 0: none told, see [`set_input_size`]).
    pub input_cost: u64,
}

/// Runs `f` with the allocator armed, panics caught and recorded, and the watchdog armed when `watch` holds
/// a deadline action.
pub(crate) fn measure<R>(
    max_alloc: u64,
    watch: Option<(Duration, Box<dyn Fn() + Send>)>,
    f: impl FnOnce() -> R,
) -> Measured<R> {
    let queue = RunQueue::of_current_thread();
    let queued_before = queue.as_ref().and_then(RunQueue::waited);
    let guard =
        watch.map(|(limit, on_timeout)| Watchdog::get().arm(limit, on_timeout, queue.clone()));
    LAST_PANIC.set(None);
    CURRENT.set(0);
    PEAK.set(0);
    HARD.set(hard_limit(max_alloc));
    IN_CALL.set(true);
    ARMED.set(true);
    SETUP_TIME.set(Duration::ZERO);
    crate::requested::reset();
    let start = Instant::now();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    let wall = start.elapsed();
    let starved = match (queued_before, queue.as_ref().and_then(RunQueue::waited)) {
        (Some(before), Some(after)) => after.saturating_sub(before),
        _ => Duration::ZERO,
    };
    // Set-up is off the clock; so is time spent waiting for a CPU. (Set-up's own queue wait may be in both:
    // subtracting it twice only errs towards a shorter time, never a false timeout.)
    let elapsed = wall
        .saturating_sub(SETUP_TIME.take())
        .saturating_sub(starved);
    ARMED.set(false);
    IN_CALL.set(false);
    drop(guard);
    let input_cost = INPUT_COST.replace(0);
    let peak = PEAK.get();
    let result =
        r.map_err(|_| take_panic().unwrap_or_else(|| "panicked (no message recorded)".to_owned()));
    Measured {
        result,
        elapsed,
        peak,
        requested: crate::requested::largest(),
        input_cost,
    }
}

/// The allocation counters as they are, to put back with [`restore_counters`] after harness set-up: what the
/// set-up allocates (a receiver built with an attacked capacity) is not the measured call's allocation.
pub(crate) fn counters() -> (u64, u64) {
    (CURRENT.get(), PEAK.get())
}

/// Puts back counters taken with [`counters`].
pub(crate) fn restore_counters((current, peak): (u64, u64)) {
    CURRENT.set(current);
    PEAK.set(peak);
}

/// Runs harness set-up inside a measured call with the clock stopped: its time is left out of the call's
/// elapsed time, and the watchdog's deadline moves by as much (it waits at most [`SETUP_GRACE`] for the
/// set-up itself). An allocation past the hard limit in it is excused ([`Excuse::SetUp`]). `f` must not
/// unwind (`check::setup` catches its panics inside).
pub(crate) fn off_the_clock<R>(f: impl FnOnce() -> R) -> R {
    let watchdog = Watchdog::get();
    let start = Instant::now();
    let remaining = watchdog.pause(SETUP_GRACE);
    let outer = IN_SETUP.replace(true);
    let r = f();
    IN_SETUP.set(outer);
    let spent = start.elapsed();
    if let Some(remaining) = remaining {
        watchdog.resume(remaining);
    }
    SETUP_TIME.set(SETUP_TIME.get() + spent);
    r
}

/// The message of the last panic recorded on this thread inside a measured call.
pub(crate) fn take_panic() -> Option<String> {
    LAST_PANIC.take()
}

/// What the watchdog waits for: a deadline and what to do when it passes.
struct Pending {
    deadline: Instant,
    action: Option<Box<dyn Fn() + Send>>,
    /// The armed thread's run-queue counter, its value when armed, and how much of its growth has already
    /// pushed the deadline back.
    queue: Option<(RunQueue, Duration)>,
    credited: Duration,
}

impl Pending {
    /// Pushes the deadline back by the run-queue wait of the armed thread not yet credited (up to
    /// [`STARVED_CAP`] in all); true when it moved.
    fn credit_starvation(&mut self) -> bool {
        let Some((queue, at_arm)) = &self.queue else {
            return false;
        };
        let Some(now) = queue.waited() else {
            return false;
        };
        let owed = now
            .saturating_sub(*at_arm)
            .min(STARVED_CAP)
            .saturating_sub(self.credited);
        // Below a millisecond the extension is noise; stopping there also ends the loop.
        if owed < Duration::from_millis(1) {
            return false;
        }
        self.credited += owed;
        self.deadline += owed;
        true
    }
}

/// One thread per process that runs an action when an armed call overruns its deadline.
struct Watchdog {
    state: Mutex<Option<Pending>>,
    wake: Condvar,
}

/// Disarms the watchdog when the call returns (or unwinds).
struct Armed(&'static Watchdog);

impl Drop for Armed {
    fn drop(&mut self) {
        *self.0.state.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.0.wake.notify_all();
    }
}

impl Watchdog {
    fn get() -> &'static Watchdog {
        static WATCHDOG: OnceLock<&'static Watchdog> = OnceLock::new();
        WATCHDOG.get_or_init(|| {
            let w: &'static Watchdog = Box::leak(Box::new(Watchdog {
                state: Mutex::new(None),
                wake: Condvar::new(),
            }));
            std::thread::Builder::new()
                .name("abuse-watchdog".into())
                .spawn(move || w.run())
                .expect("spawning the watchdog thread");
            w
        })
    }

    fn arm(
        &'static self,
        limit: Duration,
        action: Box<dyn Fn() + Send>,
        queue: Option<RunQueue>,
    ) -> Armed {
        let queue = queue.and_then(|q| q.waited().map(|w| (q, w)));
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = Some(Pending {
            deadline: Instant::now() + limit,
            action: Some(action),
            queue,
            credited: Duration::ZERO,
        });
        self.wake.notify_all();
        Armed(self)
    }

    /// Pushes an armed deadline to `grace` from now; returns the time that was left, for [`Watchdog::resume`].
    fn pause(&self, grace: Duration) -> Option<Duration> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let pending = state.as_mut()?;
        let now = Instant::now();
        let remaining = pending.deadline.saturating_duration_since(now);
        pending.deadline = now + grace;
        Some(remaining)
    }

    /// Gives an armed call the time it had left before [`Watchdog::pause`].
    fn resume(&self, remaining: Duration) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pending) = state.as_mut() {
            pending.deadline = Instant::now() + remaining;
        }
        drop(state);
        self.wake.notify_all();
    }

    fn run(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            match &mut *state {
                None => state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner()),
                Some(pending) => {
                    let now = Instant::now();
                    if now >= pending.deadline && pending.credit_starvation() {
                        // Waited for a CPU: the deadline moved by as much; wait again.
                        continue;
                    }
                    if now >= pending.deadline {
                        if let Some(action) = pending.action.take() {
                            action();
                        }
                        *state = None;
                    } else {
                        let wait = pending.deadline - now;
                        state = self
                            .wake
                            .wait_timeout(state, wait)
                            .unwrap_or_else(|e| e.into_inner())
                            .0;
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_inside_a_measured_call_keep_message_and_location() {
        install_hook();
        let m = measure(1 << 20, None, || -> u8 { panic!("boom {}", 7) });
        let msg = m.result.unwrap_err();
        assert!(msg.starts_with("boom 7 at "), "{msg}");
        assert!(msg.contains("measure.rs:"), "{msg}");
    }

    #[test]
    fn the_call_limit_grows_with_the_input_up_to_its_cap() {
        // A short input gets `timeout_ms` (an infinite loop on it is still reported after about a second).
        assert_eq!(
            limit_for(1000, &(0u32,)).as_millis(),
            1000,
            "{:?}",
            limit_for(1000, &(0u32,))
        );
        // 300 kB of Debug text (quick-xml's 1.9 s linear parse in the debug build) gets 4 s.
        let big = "<a>".repeat(100_000);
        assert_eq!(debug_size(&big, u64::MAX), 300_002);
        assert_eq!(limit_for(1000, &big).as_millis(), 4000);
        // A 40 kB input gets 1.4 s: quadratic work on it (16 s) is still a timeout.
        assert_eq!(limit_for(1000, &"ab".repeat(20_000)).as_millis(), 1400);
        // Capped at 8 × timeout_ms, and the count stops early on a huge input.
        let huge = vec![255u8; 1_000_000];
        assert_eq!(limit_for(1000, &huge).as_millis(), 9000);
        assert!(debug_size(&huge, size_cap(1000)) <= size_cap(1000) + 16);
        assert_eq!(count_elements("[0, -1, 2.5e3]"), 3);
        assert_eq!(call_limit(300, u64::MAX).as_millis(), 2700);
    }

    #[test]
    fn element_counts_are_bytes_of_strings_and_other_literals() {
        assert_eq!(element_count(&vec![0u8; 4096]), 4096);
        assert_eq!(element_count(&("é\n\"", 3u8)), 5);
        // Escaped characters count their UTF-8 bytes too, like the unescaped `é`.
        assert_eq!(element_count(&String::from("\u{10ffff}@\u{301}")), 7);
        assert_eq!(element_count(&(Some('x'), None::<u8>, true)), 2);
        assert_eq!(
            element_count(&(vec![String::from("ab"), String::new()],)),
            2
        );
        #[derive(Debug)]
        #[allow(dead_code)] // read through Debug only
        struct Port {
            host: String,
            port: u16,
        }
        let p = Port {
            host: "h".into(),
            port: 80,
        };
        assert_eq!(element_count(&(p, -1.5f64, f64::NAN)), 4);
    }

    #[test]
    fn past_the_hard_limit_a_big_inputs_cost_is_excused_and_a_short_inputs_gigabytes_are_not() {
        // aho-corasick's automaton from 719 kB of patterns (about 2.9 MB of Debug text) passing 1 GiB.
        assert_eq!(
            hard_limit_excuse(3 << 29, 0, input_cost(2_900_000)),
            Excuse::Input(2_900_000)
        );
        // A length field in a 600-byte input asking for 4 GiB (the huge-allocation advisories): a bug.
        assert_eq!(hard_limit_excuse(4 << 30, 0, input_cost(600)), Excuse::None);
        // Even a 1 MB input does not excuse 2 GiB (2,000 times it).
        assert_eq!(
            hard_limit_excuse(2 << 30, 0, input_cost(1_000_000)),
            Excuse::None
        );
        // What the caller asked for is named first.
        assert_eq!(
            hard_limit_excuse(1 << 30, 1 << 26, input_cost(600)),
            Excuse::Requested(1 << 26)
        );
    }

    #[test]
    fn the_input_size_is_told_to_the_next_measured_call_only() {
        set_input_size(1000);
        let m = measure(1 << 20, None, || ());
        assert_eq!(m.input_cost, 1000 * INPUT_COST_FACTOR);
        let m = measure(1 << 20, None, || ());
        assert_eq!(m.input_cost, 0);
        let big = vec![255u8; 100_000];
        assert_eq!(cost_size(&big, 42, 1 << 20), 42);
        assert_eq!(
            cost_size(&big, 800_001, 800_000),
            debug_size(&big, u64::MAX)
        );
    }

    #[test]
    fn hard_limit_is_eight_times_or_one_gib() {
        assert_eq!(hard_limit(64 << 20), 1 << 30);
        assert_eq!(hard_limit(1 << 30), 8 << 30);
    }

    #[test]
    fn the_watchdog_fires_on_overrun_only() {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let tx = Mutex::new(tx);
        let m = measure(
            1 << 20,
            Some((
                Duration::from_millis(20),
                Box::new(move || {
                    let _ = tx.lock().map(|t| t.send(()));
                }),
            )),
            || {
                std::thread::sleep(Duration::from_millis(80));
            },
        );
        assert!(m.result.is_ok());
        assert!(rx.recv_timeout(Duration::from_secs(1)).is_ok());
        let (tx2, rx2) = std::sync::mpsc::channel::<()>();
        let tx2 = Mutex::new(tx2);
        let _ = measure(
            1 << 20,
            Some((
                Duration::from_millis(500),
                Box::new(move || {
                    let _ = tx2.lock().map(|t| t.send(()));
                }),
            )),
            || (),
        );
        assert!(rx2.recv_timeout(Duration::from_millis(700)).is_err());
    }

    fn fake_queue(name: &str, waited_ns: u64) -> RunQueue {
        let path =
            std::env::temp_dir().join(format!("abuse-schedstat-{}-{name}", std::process::id()));
        std::fs::write(&path, format!("123 {waited_ns} 4\n")).unwrap();
        RunQueue { path }
    }

    #[test]
    fn time_waiting_for_a_cpu_pushes_the_deadline_back_once_and_up_to_the_cap() {
        let queue = fake_queue("credit", 1_000_000_000);
        let start = Instant::now();
        let mut pending = Pending {
            deadline: start,
            action: None,
            queue: Some((queue.clone(), queue.waited().unwrap())),
            credited: Duration::ZERO,
        };
        // No wait since arming: nothing to credit, the deadline stands.
        assert!(!pending.credit_starvation());
        assert_eq!(pending.deadline, start);
        // 300 ms waited on the run queue: the deadline moves by that much, once.
        std::fs::write(&queue.path, "123 1300000000 4\n").unwrap();
        assert!(pending.credit_starvation());
        assert_eq!(pending.deadline, start + Duration::from_millis(300));
        assert!(!pending.credit_starvation());
        // A starved call still ends: never more than STARVED_CAP in all.
        std::fs::write(&queue.path, "123 1000001000000000 4\n").unwrap();
        assert!(pending.credit_starvation());
        assert_eq!(pending.deadline, start + STARVED_CAP);
        assert!(!pending.credit_starvation());
        let _ = std::fs::remove_file(&queue.path);
    }

    #[test]
    fn a_sleeping_call_is_not_starved_and_keeps_its_time() {
        // A deadlock sleeps; sleeping is not waiting for a CPU, so its time is all counted.
        if cfg!(target_os = "linux") {
            assert!(RunQueue::of_current_thread().is_some());
        }
        let m = measure(1 << 20, None, || {
            std::thread::sleep(Duration::from_millis(60))
        });
        assert!(m.elapsed >= Duration::from_millis(55), "{:?}", m.elapsed);
    }
}
