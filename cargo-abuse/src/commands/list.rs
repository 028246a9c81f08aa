//! `cargo abuse list`: the inventory with each function's harness state, as a table or JSON, on stdout.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};

use super::Exit;
use crate::harness_state::{harness_states, Basis};
use crate::model::Inventory;
use crate::options::Options;

/// Prints the inventory. The harness states come from the plans and the harness files' headers, without
/// rendering every harness (`gen --check` is the exact comparison).
pub fn list(inventory: Inventory, opts: &Options) -> Result<Exit> {
    let started = Instant::now();
    let states = harness_states(
        &inventory,
        Basis::Headers {
            root: &opts.workspace_root,
        },
    );
    let out = crate::list::render(&inventory, &states, opts);
    if opts.verbosity >= 2 {
        eprintln!("timing: harness states and table {:.1?}", started.elapsed());
    }
    std::io::stdout()
        .write_all(out.as_bytes())
        .context("could not write to stdout")?;
    // The process ends here: freeing ~100k small allocations one by one would cost a few ms.
    std::mem::forget(inventory);
    std::mem::forget(states);
    Ok(Exit::Ok)
}
