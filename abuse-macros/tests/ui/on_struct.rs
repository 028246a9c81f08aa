use abuse_macros::ai_generated;

#[ai_generated(prompt = "A port number")]
pub struct Port {
    pub number: u16,
}

fn main() {}
