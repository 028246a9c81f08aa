use abuse_macros::ai_generated;

pub struct Ring(Vec<u8>);

#[ai_generated(model = "gpt-5", model = RingModle)]
impl Ring {
    pub fn push(&mut self, x: u8) {
        self.0.push(x);
    }
}

fn main() {}
