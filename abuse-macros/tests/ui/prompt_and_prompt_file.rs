use abuse_macros::ai_generated;

#[ai_generated(prompt = "Parse a TCP port", prompt_file = "prompts/port.md")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
