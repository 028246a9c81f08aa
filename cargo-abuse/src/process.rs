//! std::process: waiting for a child with a deadline, shared by the fuzz runs and the tagged tests `run` runs.

use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// Waits for `child`; past `deadline`, stops it with `stop` (which must kill it: `child.kill()`, or its whole
/// process group), reaps it and returns `None`.
pub fn wait_until(
    child: &mut Child,
    deadline: Instant,
    stop: impl FnOnce(&mut Child),
) -> std::io::Result<Option<ExitStatus>> {
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            stop(child);
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
