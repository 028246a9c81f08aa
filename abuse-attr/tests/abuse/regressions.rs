//! Failing inputs found by `cargo abuse run`, kept as values: each test replays one input on stable with plain
//! `cargo test`. `cargo abuse run` appends here; delete a test once its bug is fixed and it passes, or keep it.
