//! Running one `#[ignore]`d scenario of this test binary in a fresh process, as `cargo abuse run` runs a
//! generated test, and reading back its record: shared by the runtime's integration tests.
#![allow(dead_code)]

use std::process::Command;

/// Runs one scenario in a fresh process and returns (success, record JSON, output).
pub fn run(scenario: &str) -> (bool, String, String) {
    run_with(scenario, &[])
}

/// [`run`] with extra environment variables.
pub fn run_with(scenario: &str, env: &[(&str, &str)]) -> (bool, String, String) {
    let dir = std::env::temp_dir().join(format!(
        "abuse-runtime-tests-{}-{scenario}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let out = Command::new(std::env::current_exe().expect("test binary path"))
        .args(["--ignored", "--exact", scenario, "--test-threads", "1"])
        .env("ABUSE_RECORDS", &dir)
        .env("ABUSE_SEED", "7")
        .env("ABUSE_CASES", "128")
        .env_remove("ABUSE_NO_FORK")
        .env_remove("RUST_LIB_BACKTRACE")
        .envs(env.iter().copied())
        .output()
        .expect("running the scenario");
    let record = std::fs::read_dir(&dir)
        .ok()
        .and_then(|mut d| d.next())
        .and_then(|e| e.ok())
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), record, text)
}

pub fn field<'a>(record: &'a str, name: &str) -> &'a str {
    let key = format!("\"{name}\":");
    let start = record
        .find(&key)
        .map(|i| i + key.len())
        .unwrap_or_else(|| panic!("no {name} in {record}"));
    let rest = &record[start..];
    let end = if rest.starts_with('"') {
        rest.strip_prefix('"')
            .and_then(|r| r.find("\",\""))
            .map_or(rest.len(), |e| e + 2)
    } else {
        rest.find(',').unwrap_or(rest.len())
    };
    &rest[..end]
}
