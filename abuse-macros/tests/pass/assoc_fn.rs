use abuse_macros::ai_generated;

#[derive(Debug, PartialEq)]
pub struct Port(u16);

impl Port {
    #[ai_generated(
        prompt = "Make a port; zero is not a port",
        ensures = |n: &u16, out: &Option<Self>| out.is_some() == (*n != 0),
    )]
    pub fn new(n: u16) -> Option<Self> {
        (n != 0).then_some(Port(n))
    }
}

// Generic functions are accepted; their `ensures` is left to the generated harness to type-check.
#[ai_generated(ensures = |x: &u8, out: &u8| out >= x)]
pub fn largest<T: Ord + Copy>(x: T) -> T {
    x
}

fn main() {
    assert_eq!(Port::new(0), None);
    assert_eq!(largest(3u8), 3);
}
