//! The behaviour benchmark's crate after the edits (see run.sh): `change_*` functions are edited in
//! edited.rs so their behaviour changes on a narrow class of inputs only; `refactor_*` ones are rewritten
//! without changing behaviour.
use abuse_macros::ai_generated;

#[ai_generated(prompt = "Amount in cents, rounded half away from zero", test_owner = "bench")]
pub fn change_round_cents(x: f64) -> i64 {
    (x * 100.0 + 0.5).floor() as i64
}

#[ai_generated(prompt = "Average of the values; None when there are none", test_owner = "bench")]
pub fn change_empty_average(values: &[i32]) -> Option<i64> {
    if values.is_empty() {
        return Some(0);
    }
    Some(values.iter().map(|&v| i64::from(v)).sum::<i64>() / values.len() as i64)
}

#[ai_generated(prompt = "Whether the word is the SQL keyword select", test_owner = "bench")]
pub fn change_case_folding(word: &str) -> bool {
    word.eq_ignore_ascii_case("select")
}

#[ai_generated(prompt = "Add two bytes; None on overflow", test_owner = "bench")]
pub fn change_overflow_saturates(a: u8, b: u8) -> Option<u8> {
    Some(a.saturating_add(b))
}

#[ai_generated(prompt = "Trim whitespace from both ends", test_owner = "bench")]
pub fn change_trim_only_spaces(s: &str) -> String {
    s.trim_matches(' ').to_string()
}

#[ai_generated(prompt = "Clamp an index into 0..len (0 for an empty range)", test_owner = "bench")]
pub fn change_clamp_boundary(i: usize, len: usize) -> usize {
    if i > len {
        len.saturating_sub(1)
    } else {
        i
    }
}

#[ai_generated(prompt = "Number of characters in the text", test_owner = "bench")]
pub fn change_chars_to_bytes(s: &str) -> usize {
    s.len()
}

#[ai_generated(prompt = "Parse a signed integer", test_owner = "bench")]
pub fn change_parse_trims(s: &str) -> Option<i64> {
    s.trim().parse().ok()
}

#[ai_generated(prompt = "Whether the year is a Gregorian leap year", test_owner = "bench")]
pub fn change_leap_year(year: u32) -> bool {
    year % 4 == 0 && year % 100 != 0
}

#[ai_generated(prompt = "Percentage of part in total; 0 when total is 0", test_owner = "bench")]
pub fn change_zero_division(part: u32, total: u32) -> u64 {
    if total == 0 {
        return 100;
    }
    u64::from(part) * 100 / u64::from(total)
}

#[ai_generated(prompt = "Absolute value, wrapping at the minimum", test_owner = "bench")]
pub fn change_abs_minimum(x: i32) -> i32 {
    x.saturating_abs()
}

#[ai_generated(prompt = "Sum of the values, wrapping", test_owner = "bench")]
pub fn refactor_sum(values: &[i64]) -> i64 {
    let mut total = 0i64;
    for v in values {
        total = total.wrapping_add(*v);
    }
    total
}

#[ai_generated(prompt = "Number of whitespace-separated words", test_owner = "bench")]
pub fn refactor_count_words(s: &str) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for c in s.chars() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
    }
    words
}

#[ai_generated(prompt = "Largest value; None when empty", test_owner = "bench")]
pub fn refactor_max(values: &[i32]) -> Option<i32> {
    let (first, rest) = values.split_first()?;
    Some(rest.iter().fold(*first, |m, &v| if v > m { v } else { m }))
}

#[ai_generated(prompt = "The text with its characters in reverse order", test_owner = "bench")]
pub fn refactor_reverse(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    chars.reverse();
    chars.into_iter().collect()
}

#[ai_generated(prompt = "Whether the values are sorted ascending", test_owner = "bench")]
pub fn refactor_is_sorted(values: &[u32]) -> bool {
    for i in 1..values.len() {
        if values[i - 1] > values[i] {
            return false;
        }
    }
    true
}
