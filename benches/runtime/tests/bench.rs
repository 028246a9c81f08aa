//! Hand-written harnesses in the shape `cargo abuse gen` produces, two per planted function: `plain` draws
//! inputs with proptest's `any::<T>()`, `attack` with `abuse_runtime::attack::<T>()` and the hints `gen`
//! would mine (function name, parameter names, literals of the body). `run.sh` runs them over several seeds.

use std::path::{Component, Path};

use abuse_runtime::prelude::*;
use planted_bugs as pb;

abuse_runtime::install!();

fn target(function: &'static str) -> Target {
    Target {
        function,
        file: "fixtures/planted-bugs/src/lib.rs",
        line: 0,
        prompt: "",
        author: "bench",
        test_owner: "bench",
        fingerprint: "",
    }
}

/// Hints for one parameter: `h!(function, param, [strings], [ints])`.
macro_rules! h {
    ($f:literal, $p:literal) => {
        &Hints { function: $f, param: $p, strings: &[], ints: &[] }
    };
    ($f:literal, $p:literal, [$($s:literal),*], [$($i:literal),*]) => {
        &Hints { function: $f, param: $p, strings: &[$($s),*], ints: &[$($i),*] }
    };
}

/// Two tests per function: `<fn>::with_attack` and `<fn>::with_any`, same property body.
/// The shape `gen` gives a string/collection parameter followed by an integer one: independent draws in three
/// cases of four, the integer next to the first one's length in the fourth (`abuse_runtime::lengths_tied`).
macro_rules! tied {
    ($anchor:expr, $int:ty, $int_strategy:expr) => {
        abuse_runtime::lengths_tied(
            ($anchor, $int_strategy),
            abuse_runtime::prelude::Strategy::prop_flat_map($anchor, |anchor| {
                let lengths = abuse_runtime::Lengths::lengths(&anchor);
                (
                    abuse_runtime::prelude::Just(anchor.clone()),
                    abuse_runtime::near_length::<$int>(lengths),
                )
            }),
        )
    };
}

macro_rules! bench {
    ($name:ident, $prop:ident, attack = $att:expr, plain = $plain:expr, $body:expr) => {
        mod $name {
            use super::*;
            #[test]
            fn with_attack() {
                check(
                    &target(stringify!($name)),
                    Property::$prop,
                    &Settings::default(),
                    concat!(module_path!(), "::with_attack"),
                    $att,
                    $body,
                );
            }
            #[test]
            fn with_any() {
                check(
                    &target(stringify!($name)),
                    Property::$prop,
                    &Settings::default(),
                    concat!(module_path!(), "::with_any"),
                    $plain,
                    $body,
                );
            }
        }
    };
}

fn inside(base: &str, out: &Option<std::path::PathBuf>) -> bool {
    out.as_ref().is_none_or(|p| {
        p.strip_prefix(base)
            .is_ok_and(|rest| rest.components().all(|c| matches!(c, Component::Normal(_))))
    })
}

// ------------------------------------------------------------------ planted bugs

bench!(
    abs_distance,
    NoPanic,
    attack = (attack::<i64>(h!("abs_distance", "x")),),
    plain = (any::<i64>(),),
    |(x,)| {
        let _ = pb::abs_distance(x);
        Ok(())
    }
);
bench!(
    zigzag_encode,
    Roundtrip,
    attack = (attack::<i32>(h!("zigzag_encode", "v", [], [0, 2, 1])),),
    plain = (any::<i32>(),),
    |(v,)| { same!("roundtrip", pb::zigzag_decode(pb::zigzag_encode(v)), v) }
);
bench!(
    average,
    NoPanic,
    attack = (
        attack::<i32>(h!("average", "a", [], [2])),
        attack::<i32>(h!("average", "b", [], [2]))
    ),
    plain = (any::<i32>(), any::<i32>()),
    |(a, b)| {
        let _ = pb::average(a, b);
        Ok(())
    }
);
bench!(
    bucket_of,
    NoPanic,
    attack = (
        attack::<u32>(h!("bucket_of", "key", [], [2654435761])),
        attack::<u32>(h!("bucket_of", "shards", [], [2654435761]))
    ),
    plain = (any::<u32>(), any::<u32>()),
    |(k, s)| {
        let _ = pb::bucket_of(k, s);
        Ok(())
    }
);
bench!(
    ratio_percent,
    NoPanic,
    attack = (
        attack::<u16>(h!("ratio_percent", "done", [], [100])),
        attack::<u16>(h!("ratio_percent", "total", [], [100]))
    ),
    plain = (any::<u16>(), any::<u16>()),
    |(d, t)| {
        let _ = pb::ratio_percent(d, t);
        Ok(())
    }
);
bench!(
    truncate_preview,
    NoPanic,
    attack = tied!(
        attack::<String>(h!("truncate_preview", "text", ["..."], [])),
        usize,
        attack::<usize>(h!("truncate_preview", "max_len", ["..."], []))
    ),
    plain = (any::<String>(), any::<usize>()),
    |(t, n)| {
        let _ = pb::truncate_preview(&t, n);
        Ok(())
    }
);
bench!(
    mask_email,
    NoPanic,
    attack = (attack::<String>(h!(
        "mask_email",
        "email",
        ["@", "***"],
        [2]
    )),),
    plain = (any::<String>(),),
    |(e,)| {
        let _ = pb::mask_email(&e);
        Ok(())
    }
);
bench!(
    parse_rgb,
    NoPanic,
    attack = (attack::<String>(h!(
        "parse_rgb",
        "hex",
        ["#"],
        [6, 0, 2, 4, 16]
    )),),
    plain = (any::<String>(),),
    |(s,)| {
        let _ = pb::parse_rgb(&s);
        Ok(())
    }
);
bench!(
    nth_field,
    NoPanic,
    attack = tied!(
        attack::<String>(h!("nth_field", "line", [","], [])),
        usize,
        attack::<usize>(h!("nth_field", "n", [","], []))
    ),
    plain = (any::<String>(), any::<usize>()),
    |(l, n)| {
        let _ = pb::nth_field(&l, n);
        Ok(())
    }
);
bench!(
    format_bytes,
    NoPanic,
    attack = (attack::<u64>(h!("format_bytes", "n", [" B"], [1024])),),
    plain = (any::<u64>(),),
    |(n,)| {
        let _ = pb::format_bytes(n);
        Ok(())
    }
);
bench!(
    moving_average,
    NoPanic,
    attack = tied!(
        attack::<Vec<u32>>(h!("moving_average", "values")),
        usize,
        attack::<usize>(h!("moving_average", "window"))
    ),
    plain = (any::<Vec<u32>>(), any::<usize>()),
    |(v, w)| {
        let _ = pb::moving_average(&v, w);
        Ok(())
    }
);
bench!(
    parse_version,
    NoPanic,
    attack = (attack::<String>(h!(
        "parse_version",
        "s",
        ["v", "."],
        [0, 1, 2]
    )),),
    plain = (any::<String>(),),
    |(s,)| {
        let _ = pb::parse_version(&s);
        Ok(())
    }
);
bench!(
    parse_setting,
    NoPanic,
    attack = (attack::<String>(h!("parse_setting", "line", ["="], [])),),
    plain = (any::<String>(),),
    |(s,)| {
        let _ = pb::parse_setting(&s);
        Ok(())
    }
);
bench!(
    decode_frame,
    NoPanic,
    attack = (attack::<Vec<u8>>(h!(
        "decode_frame",
        "buf",
        ["FRM1"],
        [8, 4, 5, 6, 7]
    )),),
    plain = (any::<Vec<u8>>(),),
    |(b,)| {
        let _ = pb::decode_frame(&b);
        Ok(())
    }
);
bench!(
    unpack_rle,
    NoPanic,
    attack = (attack::<Vec<u8>>(h!("unpack_rle", "data", [], [3, 256])),),
    plain = (any::<Vec<u8>>(),),
    |(b,)| {
        let _ = pb::unpack_rle(&b);
        Ok(())
    }
);
bench!(
    strip_comments,
    NoPanic,
    attack = (attack::<String>(h!(
        "strip_comments",
        "src",
        ["/*", "*/"],
        [2]
    )),),
    plain = (any::<String>(),),
    |(s,)| {
        let _ = pb::strip_comments(&s);
        Ok(())
    }
);
bench!(
    normalize_angle,
    NoPanic,
    attack = (attack::<f64>(h!("normalize_angle", "deg", [], [360, 0])),),
    plain = (any::<f64>(),),
    |(d,)| {
        let _ = pb::normalize_angle(d);
        Ok(())
    }
);
bench!(
    list_depth,
    NoPanic,
    attack = (attack::<String>(h!(
        "list_depth",
        "src",
        ["[", "]"],
        [0, 1]
    )),),
    plain = (any::<String>(),),
    |(s,)| {
        let _ = pb::list_depth(&s);
        Ok(())
    }
);
bench!(
    median_f64,
    NoPanic,
    attack = (attack::<Vec<f64>>(h!(
        "median_f64",
        "values",
        [],
        [2, 1, 0]
    )),),
    plain = (any::<Vec<f64>>(),),
    |(v,)| {
        let _ = pb::median_f64(&v);
        Ok(())
    }
);
bench!(
    safe_join,
    Ensures,
    attack = (
        attack::<String>(h!("safe_join", "base", ["/", "../"], [])),
        attack::<String>(h!("safe_join", "user_path", ["/", "../"], []))
    ),
    plain = (any::<String>(), any::<String>()),
    |(base, user)| {
        let out = pb::safe_join(&base, &user);
        ensures(
            inside(&base, &out),
            "|base, user_path, out| out.is_none_or(|p| stays inside base)",
        )
    }
);
bench!(
    sanitize_filename,
    Ensures,
    attack = (attack::<String>(h!(
        "sanitize_filename",
        "name",
        ["../", "\0"],
        []
    )),),
    plain = (any::<String>(),),
    |(n,)| {
        let out = pb::sanitize_filename(&n);
        ensures(
            !Path::new(&out)
                .components()
                .any(|c| c == Component::ParentDir),
            "|name, out| no `..` component in out",
        )
    }
);
bench!(
    escape_csv_field,
    Roundtrip,
    attack = (attack::<String>(h!(
        "escape_csv_field",
        "s",
        [",", "\n", "\"{s}\""],
        []
    )),),
    plain = (any::<String>(),),
    |(s,)| {
        same!(
            "roundtrip",
            pb::unescape_csv_field(&pb::escape_csv_field(&s)),
            s
        )
    }
);
bench!(
    normalize_whitespace,
    Idempotent,
    attack = (attack::<String>(h!(
        "normalize_whitespace",
        "s",
        ["  ", " "],
        []
    )),),
    plain = (any::<String>(),),
    |(s,)| {
        let once = pb::normalize_whitespace(&s);
        same!("idempotent", pb::normalize_whitespace(&once), once)
    }
);
bench!(
    is_leap_year,
    Oracle,
    attack = (attack::<i32>(h!("is_leap_year", "year", [], [4, 0, 100])),),
    plain = (any::<i32>(),),
    |(y,)| { same!("oracle", pb::is_leap_year(y), pb::is_leap_year_reference(y)) }
);
bench!(
    isqrt,
    Oracle,
    attack = (attack::<u64>(h!("isqrt", "n")),),
    plain = (any::<u64>(),),
    |(n,)| { same!("oracle", pb::isqrt(n), pb::isqrt_reference(n)) }
);

// ------------------------------------------------------------------ correct functions (must pass)

bench!(
    ok_parse_port,
    NoPanic,
    attack = (attack::<String>(h!("parse_port", "s", [], [0])),),
    plain = (any::<String>(),),
    |(s,)| {
        let _ = pb::parse_port(&s);
        Ok(())
    }
);
bench!(
    ok_port_roundtrip,
    Roundtrip,
    attack = (attack::<u16>(h!("format_port", "port", [], [0])),),
    plain = (any::<u16>(),),
    |(p,)| {
        if p == 0 {
            return Ok(());
        }
        same!("roundtrip", pb::parse_port(&p.to_string()), Some(p))
    }
);
bench!(
    ok_checked_average,
    NoPanic,
    attack = (
        attack::<i32>(h!("checked_average", "a", [], [2])),
        attack::<i32>(h!("checked_average", "b", [], [2]))
    ),
    plain = (any::<i32>(), any::<i32>()),
    |(a, b)| {
        let _ = pb::checked_average(a, b);
        Ok(())
    }
);
bench!(
    ok_truncate_chars,
    Ensures,
    attack = tied!(
        attack::<String>(h!("truncate_chars", "text")),
        usize,
        attack::<usize>(h!("truncate_chars", "max_chars"))
    ),
    plain = (any::<String>(), any::<usize>()),
    |(t, n)| {
        let out = pb::truncate_chars(&t, n);
        ensures(
            out.chars().count() <= n && t.starts_with(out),
            "|text, max_chars, out| out.chars().count() <= *max_chars",
        )
    }
);
bench!(
    ok_median_total,
    NoPanic,
    attack = (attack::<Vec<f64>>(h!(
        "median_total",
        "values",
        [],
        [2, 1, 0]
    )),),
    plain = (any::<Vec<f64>>(),),
    |(v,)| {
        let _ = pb::median_total(&v);
        Ok(())
    }
);
bench!(
    ok_strict_join,
    Ensures,
    attack = (
        attack::<String>(h!("strict_join", "base")),
        attack::<String>(h!("strict_join", "user_path"))
    ),
    plain = (any::<String>(), any::<String>()),
    |(base, user)| {
        let out = pb::strict_join(&base, &user);
        ensures(
            inside(&base, &out),
            "|base, user_path, out| out.is_none_or(|p| stays inside base)",
        )
    }
);
bench!(
    ok_hex_roundtrip,
    Roundtrip,
    attack = (attack::<Vec<u8>>(h!("hex_encode", "bytes", [], [2, 16])),),
    plain = (any::<Vec<u8>>(),),
    |(b,)| { same!("roundtrip", pb::hex_decode(&pb::hex_encode(&b)), Some(b)) }
);
bench!(
    ok_collapse_whitespace,
    Idempotent,
    attack = (attack::<String>(h!("collapse_whitespace", "s", [" "], [])),),
    plain = (any::<String>(),),
    |(s,)| {
        let once = pb::collapse_whitespace(&s);
        same!("idempotent", pb::collapse_whitespace(&once), once)
    }
);
bench!(
    ok_decode_frame_checked,
    NoPanic,
    attack = (attack::<Vec<u8>>(h!(
        "decode_frame_checked",
        "buf",
        ["FRM1"],
        [8, 4, 5, 6, 7]
    )),),
    plain = (any::<Vec<u8>>(),),
    |(b,)| {
        let _ = pb::decode_frame_checked(&b);
        Ok(())
    }
);
