//! `ABUSE_STRATEGY` switches the input helpers generated harnesses call between the attacking mixes and
//! proptest's plain strategies. One test in its own binary: it sets the process environment.

use abuse_runtime::prelude::*;
use abuse_runtime::{attack, lengths_tied, or_examples, Hints};
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

fn draw<T: std::fmt::Debug>(s: &impl Strategy<Value = T>, n: usize) -> Vec<T> {
    let mut runner = TestRunner::deterministic();
    (0..n)
        .map(|_| s.new_tree(&mut runner).expect("tree").current())
        .collect()
}

fn edges(v: &[i64]) -> usize {
    v.iter()
        .filter(|&&x| matches!(x, i64::MIN | i64::MAX | 0 | -1))
        .count()
}

#[test]
fn abuse_strategy_naive_gives_plain_draws_and_attack_the_mixes() {
    const EXAMPLES: &[&str] = &["1.2.3"];
    // Safety of set_var: this binary has this one test, so no other thread reads the environment.
    std::env::set_var("ABUSE_STRATEGY", "naive");
    let ints = draw(&attack::<i64>(&Hints::NONE), 2000);
    assert_eq!(edges(&ints), 0, "naive i64 draws are uniform");
    let tied = draw(&lengths_tied(Just(0u8), Just(1u8)), 500);
    assert!(
        tied.iter().all(|&v| v == 0),
        "naive: independent draws only"
    );
    let strings = draw(&or_examples(EXAMPLES, attack::<String>(&Hints::NONE)), 500);
    assert!(
        strings.iter().all(|s| s != "1.2.3"),
        "naive: no doc examples"
    );

    std::env::set_var("ABUSE_STRATEGY", "attack");
    let ints = draw(&attack::<i64>(&Hints::NONE), 2000);
    assert!(ints.contains(&i64::MIN) && ints.contains(&i64::MAX));
    let tied = draw(&lengths_tied(Just(0u8), Just(1u8)), 500);
    assert!(tied.contains(&1));
    let strings = draw(&or_examples(EXAMPLES, attack::<String>(&Hints::NONE)), 500);
    assert!(strings.iter().any(|s| s == "1.2.3"));

    std::env::remove_var("ABUSE_STRATEGY");
    let ints = draw(&attack::<i64>(&Hints::NONE), 2000);
    assert!(edges(&ints) > 100, "unset: the attacking mix");
}
