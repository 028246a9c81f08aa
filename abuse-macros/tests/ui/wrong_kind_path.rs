use abuse_macros::ai_generated;

#[ai_generated(roundtrip = "format_port")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

pub fn format_port(p: Option<u16>) -> String {
    p.map(|p| p.to_string()).unwrap_or_default()
}

fn main() {}
