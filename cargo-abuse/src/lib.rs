//! cargo-abuse as a library: every stage of the `cargo abuse` pipeline (discover → model → generate → run →
//! report), one module each; `main.rs` strings them together. See DESIGN.md for the module list.

pub mod behaviour;
pub mod cache;
pub mod cflite;
pub mod check;
pub mod cli;
pub mod commands;
pub mod dictionary;
pub mod discover;
pub mod format;
pub mod fuzz;
pub mod generate;
pub mod git;
pub mod harness_state;
pub mod list;
pub mod manifest;
pub mod model;
pub mod options;
pub mod plan;
pub mod policy;
pub mod process;
pub mod report;
pub mod run;
pub mod sign;
pub mod toolchain;
pub mod workspace;
pub mod write;
