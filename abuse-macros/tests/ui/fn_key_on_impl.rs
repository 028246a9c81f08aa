use abuse_macros::ai_generated;

pub struct Port(u16);

#[ai_generated(prompt = "Port helpers", idempotent, roundtrip = Port::format)]
impl Port {
    pub fn parse(s: &str) -> Option<Port> {
        s.parse().ok().map(Port)
    }

    pub fn format(&self) -> String {
        self.0.to_string()
    }
}

fn main() {}
