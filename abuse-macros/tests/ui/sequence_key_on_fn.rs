use abuse_macros::ai_generated;

pub struct Ring(Vec<u8>);

impl Ring {
    #[ai_generated(invariant = Ring::ok, sequence_len = 4)]
    pub fn push(&mut self, x: u8) {
        self.0.push(x);
    }

    #[ai_generated(model = RingModel)]
    pub fn ok(&self) -> bool {
        true
    }
}

fn main() {}
