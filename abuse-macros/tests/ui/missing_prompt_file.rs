use abuse_macros::ai_generated;

#[ai_generated(prompt_file = "prompts/does-not-exist.md")]
pub fn parse_port(s: &str) -> Option<u16> {
    s.parse().ok()
}

fn main() {}
