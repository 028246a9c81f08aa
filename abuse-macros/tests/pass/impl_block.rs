use abuse_macros::ai_generated;

pub struct Celsius(f64);

/// Temperature helpers.
#[ai_generated(
    prompt = "Conversions between Celsius and Fahrenheit",
    author = "alice",
    test_owner = "bob",
    deterministic,
)]
impl Celsius {
    pub fn to_fahrenheit(&self) -> f64 {
        self.0 * 9.0 / 5.0 + 32.0
    }

    pub fn from_fahrenheit(f: f64) -> Self {
        Celsius((f - 32.0) * 5.0 / 9.0)
    }

    // Its own attribute: its own record and sign-off.
    #[ai_generated(prompt = "Absolute zero check", test_owner = "carol")]
    pub fn is_physical(&self) -> bool {
        self.0 >= -273.15
    }

    fn private_helper(&self) -> f64 {
        self.0
    }
}

pub struct Wrapper<T>(T);

#[ai_generated]
impl<T: Clone> Wrapper<T> {
    pub fn get(&self) -> T {
        self.0.clone()
    }
}

fn main() {
    let c = Celsius::from_fahrenheit(212.0);
    assert!(c.is_physical() && (c.to_fahrenheit() - 212.0).abs() < 1e-9 && c.private_helper() > 99.0);
    assert_eq!(Wrapper(1).get(), 1);
}
