// A stale sign-off warns (see ui/stale_signoff_denied.rs for the text) but the build stays green.
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

#[ai_generated(signed_off = "dave 2026-11-25 00000000ffffffff")]
impl Port {
    pub fn set(&mut self, p: u16) {
        self.0 = p;
    }
}

fn main() {
    let mut p = Port(parse_port("1").unwrap());
    p.set(2);
    assert_eq!(p.get(), 2);
}
