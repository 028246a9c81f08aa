// A stale sign-off is a warning; under `deny(deprecated)` it becomes this error, showing its text.
#![deny(deprecated)]

use abuse_macros::ai_generated;

#[ai_generated(prompt = "Parse a TCP port", signed_off = "bob 2026-11-27 0123456789abcdef")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

pub struct Port(u16);

impl Port {
    #[ai_generated(signed_off = "carol 2026-11-26 fedcba9876543210")]
    pub fn get(&self) -> u16 {
        self.0
    }
}

fn main() {}
