//! Holds nothing: the benchmark is `tests/bench.rs`, driven by `run.sh`.
