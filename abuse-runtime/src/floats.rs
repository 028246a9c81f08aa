//! Float strategies: NaN (both signs), ±inf, ±0.0, subnormals, MIN_POSITIVE, EPSILON, MIN/MAX, values at the
//! edges of exact integers (2^24, 2^53) and of integer casts, plus ordinary random values.
//!
//! proptest's `any::<f64>()` never yields NaN or infinity. Rounding ties (`±2.5`, `±0.125` at a scale of 100, at
//! the scales 10, 100, 1000 and those the body's own literals name) are where rounding modes disagree:
//! half away from zero, half up, half to even, truncation.

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use crate::attack::{part, weighted, Attack};
use crate::hints::{Hints, Mix};

macro_rules! float_mod {
    ($t:ident, $bits:ident, $ties:ident, $mant:expr) => {
        /// Boundary values of the type, simplest first.
        #[must_use]
        pub fn $bits() -> Vec<$t> {
            vec![
                0.0,
                -0.0,
                1.0,
                -1.0,
                $t::NAN,
                $t::INFINITY,
                $t::NEG_INFINITY,
                0.5,
                -0.5,
                0.1,
                $t::MAX,
                $t::MIN,
                $t::MIN_POSITIVE,
                -$t::MIN_POSITIVE,
                $t::EPSILON,
                1.0 + $t::EPSILON,
                1.0 - $t::EPSILON / 2.0,
                $t::from_bits(1),
                -$t::from_bits(1),
                $t::MIN_POSITIVE - $t::from_bits(1),
                -$t::NAN,
                $t::from_bits($t::NAN.to_bits() | 1),
                (2.0 as $t).powi($mant),
                (2.0 as $t).powi($mant) + 1.0,
                (2.0 as $t).powi($mant) - 1.0,
                255.0,
                256.0,
                65535.0,
                65536.0,
                2147483647.0,
                2147483648.0,
                -2147483649.0,
                4294967296.0,
                i64::MAX as $t,
                u64::MAX as $t,
                1e10,
                -1e10,
                1.0 / 3.0,
                359.99997,
                360.0,
                100.0,
                1e-7,
            ]
        }

        /// Values exactly halfway between two steps at each scale (`(k + 0.5) / scale`, both signs) and the
        /// nearest float below a tie (`0.49999999999999994`): a rounding mode, a `+ 0.5` then `floor`, or a
        /// truncating cast gives different answers there. Scales: 1, 10, 100, 1000 and the body's literals
        /// above 1 (a `* 100.0` for cents).
        #[must_use]
        pub fn $ties(hints: &Hints) -> Vec<$t> {
            let mut scales: Vec<f64> = vec![1.0, 10.0, 100.0, 1000.0];
            let mined = hints
                .floats
                .iter()
                .copied()
                .chain(hints.ints.iter().map(|&i| i as f64));
            for f in mined {
                if f > 1.0 && f <= 1e6 && !scales.contains(&f) {
                    scales.push(f);
                }
            }
            let mut out = vec![0.5 - $t::EPSILON / 4.0];
            for scale in scales {
                for k in [0.0, 1.0, 2.0, 12.0] {
                    let tie = ((k + 0.5) / scale) as $t;
                    out.push(tie);
                    out.push(-tie);
                }
            }
            out
        }

        impl Attack for $t {
            fn attack(hints: &Hints) -> BoxedStrategy<$t> {
                let mix = Mix::for_hints(hints);
                let hinted: Vec<$t> = hints
                    .ints
                    .iter()
                    .flat_map(|&i| [i as $t, i as $t + 0.5, i as $t - 1e-3])
                    .chain(
                        hints
                            .floats
                            .iter()
                            .flat_map(|&f| [f as $t, f as $t + 1e-3, f as $t - 1e-3]),
                    )
                    .collect();
                weighted(vec![
                    part(mix.boundary, $bits()),
                    part(mix.boundary / 2, $ties(hints)),
                    (mix.random, any::<$t>().boxed()),
                    (mix.random / 2, (-1000.0 as $t..1000.0 as $t).boxed()),
                    (mix.random / 4, (0.0 as $t..=1.0 as $t).boxed()),
                    part(mix.literals, hinted),
                ])
            }
        }
    };
}

float_mod!(f32, boundaries_f32, rounding_ties_f32, 24);
float_mod!(f64, boundaries_f64, rounding_ties_f64, 53);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::tests::samples;

    #[test]
    fn nan_infinities_and_negative_zero_appear() {
        let v = samples(&f64::attack(&Hints::NONE), 256);
        assert!(v.iter().any(|x| x.is_nan()));
        assert!(v.contains(&f64::INFINITY) && v.contains(&f64::NEG_INFINITY));
        assert!(v.iter().any(|x| *x == 0.0 && x.is_sign_negative()));
        assert!(v.iter().any(|x| x.is_subnormal()));
        let v = samples(&f32::attack(&Hints::NONE), 256);
        assert!(v.iter().any(|x| x.is_nan()));
    }

    /// `(x * 100.0).round()` and `(x * 100.0 + 0.5).floor()` differ only on negative ties at the scale 100.
    #[test]
    fn negative_rounding_ties_at_the_bodys_scale_appear() {
        let v = samples(&f64::attack(&Hints::NONE), 512);
        let differ = |x: &f64| (x * 100.0).round() != (x * 100.0 + 0.5).floor();
        assert!(
            v.iter().any(differ),
            "no input tells the two roundings apart"
        );
        let hints = Hints {
            floats: &[60.0],
            ..Hints::NONE
        };
        let ties = rounding_ties_f64(&hints);
        assert!(ties.contains(&(-12.5 / 60.0)) && ties.contains(&(0.5 / 60.0)));
    }
}
