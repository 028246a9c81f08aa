use abuse_macros::ai_generated;

pub struct Port(u16);

#[ai_generated]
impl std::fmt::Display for Port {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

fn main() {}
