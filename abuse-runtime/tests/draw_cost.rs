//! What drawing values costs: 1,000 draws of the default `String` and `Vec<u8>` strategies, with no hints
//! and with a parser's hints. Ignored by default; run with
//! `cargo test -p abuse-runtime --test draw_cost -- --ignored --nocapture`.

use std::time::Instant;

use abuse_runtime::proptest::strategy::{Strategy, ValueTree};
use abuse_runtime::proptest::test_runner::TestRunner;
use abuse_runtime::{attack, Attack, Hints};

fn cost<T: Attack + Len>(label: &str, hints: &Hints) {
    let s = attack::<T>(hints);
    let mut runner = TestRunner::deterministic();
    let start = Instant::now();
    let mut bytes = 0usize;
    for _ in 0..1000 {
        let v = s.new_tree(&mut runner).expect("tree").current();
        bytes += std::hint::black_box(&v).len();
    }
    println!(
        "{label}: 1000 draws in {} ms, {} MB drawn",
        start.elapsed().as_millis(),
        bytes >> 20
    );
}

#[test]
#[ignore = "a measurement, not a check"]
fn draw_cost() {
    const PARSER: Hints = Hints {
        function: "parse_config",
        param: "input",
        strings: &["[", "=", "GET ", "timeout", ":"],
        ints: &[16, 255],
        ..Hints::NONE
    };
    cost::<String>("String, no hints", &Hints::NONE);
    cost::<String>("String, parser hints", &PARSER);
    cost::<Vec<u8>>("Vec<u8>, no hints", &Hints::NONE);
    cost::<Vec<u8>>("Vec<u8>, parser hints", &PARSER);
    cost::<Vec<String>>("Vec<String>, no hints", &Hints::NONE);
    cost::<Vec<Vec<u8>>>("Vec<Vec<u8>>, no hints", &Hints::NONE);
}

trait Len {
    fn len(&self) -> usize;
}

impl Len for String {
    fn len(&self) -> usize {
        self.len()
    }
}

impl Len for Vec<u8> {
    fn len(&self) -> usize {
        self.len()
    }
}

impl Len for Vec<String> {
    fn len(&self) -> usize {
        self.iter().map(String::len).sum()
    }
}

impl Len for Vec<Vec<u8>> {
    fn len(&self) -> usize {
        self.iter().map(Vec::len).sum()
    }
}
