//! `RustExpr`: values printed as Rust expressions that paste into a test.
//!
//! Strings escape everything a reviewer could misread or the compiler would reject (bidi overrides,
//! zero-width characters, controls), and long runs of a repeated unit are written as `.repeat(n)` so a
//! 100,000-deep nesting stays one readable line.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A value printed as a Rust expression that evaluates to an equal value.
pub trait RustExpr {
    /// The expression, e.g. `String::from("a\u{301}")`, `vec![1u8, 2u8]`, `f64::NAN`.
    fn rust_expr(&self) -> String;

    /// How a `Vec<Self>` prints: `vec![..]` by default; `u8` overrides it to print byte strings.
    #[doc(hidden)]
    fn rust_expr_vec(items: &[Self]) -> String
    where
        Self: Sized,
    {
        if items.is_empty() {
            return "vec![]".to_owned();
        }
        format!("vec![{}]", join(items.iter().map(RustExpr::rust_expr)))
    }

    /// Cuts every string, byte string and collection in this value to about `num / den` of its length (strings
    /// at a character boundary); `false` when nothing in it has a length (the value is unchanged). The timeout
    /// rule ([`crate::timeout`]) times a call on the same input cut smaller.
    #[doc(hidden)]
    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        let _ = (num, den);
        false
    }

    /// The length [`RustExpr::cut_in_place`] shortens: bytes of strings, elements of collections (of their
    /// strings when they hold some); 0 when unknown.
    #[doc(hidden)]
    fn cut_units(&self) -> u64 {
        0
    }

    /// Cuts only the largest part of an input of several (the argument with the most [`RustExpr::cut_units`],
    /// the largest of its own parts in turn) and returns that part's units before and after; `None` when the
    /// parts' lengths are unknown. The timeout rule measures growth in one argument with the others fixed: a
    /// comparison of two inputs (edit distance) costs their product by design, linear in each.
    #[doc(hidden)]
    fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
        let _ = (num, den);
        None
    }

    /// The [`RustExpr::cut_units`] of the second largest part of an input of several (0 for one part): two big
    /// arguments make a call whose cost is their product (see `crate::timeout::product_beyond_stop`).
    #[doc(hidden)]
    fn second_largest_units(&self) -> u64 {
        0
    }

    /// Cuts the largest part of an input of several to `largest.0 / largest.1` and the second largest to
    /// `second.0 / second.1`, each as [`RustExpr::cut_largest_in_place`] cuts a part; `false` when there are
    /// not two parts to cut.
    #[doc(hidden)]
    fn cut_two_largest_in_place(
        &mut self,
        largest: (usize, usize),
        second: (usize, usize),
    ) -> bool {
        let _ = (largest, second);
        false
    }
}

/// [`RustExpr::cut_largest_in_place`] for a value with no parts: the whole value is cut.
fn cut_whole<T: RustExpr + ?Sized>(value: &mut T, num: usize, den: usize) -> Option<(u64, u64)> {
    let before = value.cut_units();
    (before > 0 && value.cut_in_place(num, den)).then(|| (before, value.cut_units()))
}

/// The length kept of `len` units cut to `num / den`.
fn cut_len(len: usize, num: usize, den: usize) -> usize {
    len.saturating_mul(num) / den.max(1)
}

fn join(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

macro_rules! int_expr {
    ($($t:ident),*) => {$(
        impl RustExpr for $t {
            fn rust_expr(&self) -> String {
                // `-128i8` is `-(128i8)`, an overflowing literal: name the extremes instead.
                if *self == $t::MIN && $t::MIN != 0 {
                    concat!(stringify!($t), "::MIN").to_owned()
                } else if *self == $t::MAX {
                    concat!(stringify!($t), "::MAX").to_owned()
                } else {
                    format!(concat!("{}", stringify!($t)), self)
                }
            }
        }
    )*};
}
int_expr!(i8, i16, i32, i64, i128, isize, u16, u32, u64, u128, usize);

impl RustExpr for u8 {
    fn rust_expr(&self) -> String {
        format!("{self}u8")
    }
    fn rust_expr_vec(items: &[u8]) -> String {
        bytes_expr(items)
    }
}

/// Prints bytes as `b"..".to_vec()`, with long runs as `vec![b; n]` pieces joined by `concat()`.
pub(crate) fn bytes_expr(items: &[u8]) -> String {
    let pieces = runs(items, 1, |b: &[u8]| byte_lit(b));
    if pieces.len() == 1 {
        match &pieces[0] {
            Piece::Lit(s) => format!("{s}.to_vec()"),
            Piece::Run(unit, n) => format!("vec![{}u8; {n}]", unit[0]),
        }
    } else {
        let parts = pieces.iter().map(|p| match p {
            Piece::Lit(s) => format!("{s}.as_slice()"),
            Piece::Run(unit, n) => format!("vec![{}u8; {n}].as_slice()", unit[0]),
        });
        format!("[{}].concat()", join(parts))
    }
}

fn byte_lit(b: &[u8]) -> String {
    let mut s = String::from("b\"");
    for &c in b {
        match c {
            b'"' => s.push_str("\\\""),
            b'\\' => s.push_str("\\\\"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            b'\t' => s.push_str("\\t"),
            0 => s.push_str("\\0"),
            0x20..=0x7e => s.push(c as char),
            _ => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push('"');
    s
}

enum Piece<T> {
    Lit(String),
    Run(Vec<T>, usize),
}

/// Splits `items` into literal stretches and runs of a repeated unit (1 to 4 items, at least 32 items long).
fn runs<T: PartialEq + Clone>(
    items: &[T],
    min_unit: usize,
    lit: impl Fn(&[T]) -> String,
) -> Vec<Piece<T>> {
    const MIN_RUN: usize = 32;
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < items.len() {
        let mut best: Option<(usize, usize)> = None;
        for unit in min_unit..=4 {
            if i + unit > items.len() {
                break;
            }
            let mut reps = 1;
            while i + (reps + 1) * unit <= items.len()
                && items[i + reps * unit..i + (reps + 1) * unit] == items[i..i + unit]
            {
                reps += 1;
            }
            if reps * unit >= MIN_RUN && best.is_none_or(|(u, r)| reps * unit > u * r) {
                best = Some((unit, reps));
            }
        }
        if let Some((unit, reps)) = best {
            if start < i {
                out.push(Piece::Lit(lit(&items[start..i])));
            }
            out.push(Piece::Run(items[i..i + unit].to_vec(), reps));
            i += unit * reps;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < items.len() || out.is_empty() {
        out.push(Piece::Lit(lit(&items[start..])));
    }
    out
}

/// A string literal with every character escaped that could be misread or rejected by rustc.
pub(crate) fn str_lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        let sneaky = matches!(c, '\u{61c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{ad}' | '\u{34f}');
        match c {
            '\'' => out.push('\''),
            _ if sneaky => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            _ => out.extend(c.escape_debug()),
        }
    }
    out.push('"');
    out
}

fn str_expr(s: &str, wrap: impl Fn(&str) -> String) -> String {
    let chars: Vec<char> = s.chars().collect();
    let pieces = runs(&chars, 1, |c: &[char]| {
        str_lit(&c.iter().collect::<String>())
    });
    if pieces.len() == 1 {
        if let Piece::Lit(l) = &pieces[0] {
            return wrap(l);
        }
    }
    let parts = pieces.iter().map(|p| match p {
        Piece::Lit(l) => l.clone(),
        Piece::Run(unit, n) => format!(
            "{}.repeat({n}).as_str()",
            str_lit(&unit.iter().collect::<String>())
        ),
    });
    format!("[{}].concat()", join(parts))
}

impl RustExpr for String {
    fn rust_expr(&self) -> String {
        str_expr(self, |l| format!("String::from({l})"))
    }
    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        let mut at = cut_len(self.len(), num, den);
        while !self.is_char_boundary(at) {
            at -= 1;
        }
        self.truncate(at);
        true
    }
    fn cut_units(&self) -> u64 {
        self.len() as u64
    }
    fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
        cut_whole(self, num, den)
    }
}

impl RustExpr for str {
    fn rust_expr(&self) -> String {
        str_expr(self, |l| l.to_owned())
    }
}

impl<T: RustExpr + ?Sized> RustExpr for &T {
    fn rust_expr(&self) -> String {
        (**self).rust_expr()
    }
}

impl RustExpr for bool {
    fn rust_expr(&self) -> String {
        self.to_string()
    }
}

impl RustExpr for char {
    fn rust_expr(&self) -> String {
        let inner = str_lit(&self.to_string());
        let inner = &inner[1..inner.len() - 1];
        match self {
            '\'' => "'\\''".to_owned(),
            '"' => "'\"'".to_owned(),
            _ => format!("'{inner}'"),
        }
    }
}

impl RustExpr for () {
    fn rust_expr(&self) -> String {
        "()".to_owned()
    }
}

macro_rules! float_expr {
    ($t:ident) => {
        impl RustExpr for $t {
            fn rust_expr(&self) -> String {
                let x = *self;
                if x.is_nan() {
                    // A NaN with the sign bit or a payload is still "a NaN" for the report.
                    concat!(stringify!($t), "::NAN").to_owned()
                } else if x == $t::INFINITY {
                    concat!(stringify!($t), "::INFINITY").to_owned()
                } else if x == $t::NEG_INFINITY {
                    concat!(stringify!($t), "::NEG_INFINITY").to_owned()
                } else if x == $t::MAX {
                    concat!(stringify!($t), "::MAX").to_owned()
                } else if x == $t::MIN {
                    concat!(stringify!($t), "::MIN").to_owned()
                } else if x == $t::MIN_POSITIVE {
                    concat!(stringify!($t), "::MIN_POSITIVE").to_owned()
                } else if x == $t::EPSILON {
                    concat!(stringify!($t), "::EPSILON").to_owned()
                } else {
                    // Debug prints the shortest representation that parses back to the same bits,
                    // `-0.0` included.
                    format!(concat!("{:?}_", stringify!($t)), x)
                }
            }
        }
    };
}
float_expr!(f32);
float_expr!(f64);

impl<T: RustExpr> RustExpr for Vec<T> {
    fn rust_expr(&self) -> String {
        T::rust_expr_vec(self)
    }
    /// Cuts each element when elements have a length (a list of strings stays as long, each string shorter),
    /// else the list.
    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        let mut any = false;
        for item in self.iter_mut() {
            any |= item.cut_in_place(num, den);
        }
        if !any {
            self.truncate(cut_len(self.len(), num, den));
        }
        true
    }
    fn cut_units(&self) -> u64 {
        let inner: u64 = self.iter().map(RustExpr::cut_units).sum();
        if inner > 0 {
            inner
        } else {
            self.len() as u64
        }
    }
    fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
        cut_whole(self, num, den)
    }
}

impl<T: RustExpr> RustExpr for [T] {
    fn rust_expr(&self) -> String {
        format!("{}.as_slice()", T::rust_expr_vec(self))
    }
}

impl<T: RustExpr, const N: usize> RustExpr for [T; N] {
    fn rust_expr(&self) -> String {
        format!("[{}]", join(self.iter().map(RustExpr::rust_expr)))
    }
}

impl<T: RustExpr> RustExpr for VecDeque<T> {
    fn rust_expr(&self) -> String {
        let v: Vec<String> = self.iter().map(RustExpr::rust_expr).collect();
        format!("std::collections::VecDeque::from(vec![{}])", v.join(", "))
    }
    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        self.truncate(cut_len(self.len(), num, den));
        true
    }
    fn cut_units(&self) -> u64 {
        self.len() as u64
    }
    fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
        cut_whole(self, num, den)
    }
}

impl<T: RustExpr> RustExpr for Option<T> {
    fn rust_expr(&self) -> String {
        match self {
            Some(v) => format!("Some({})", v.rust_expr()),
            None => "None".to_owned(),
        }
    }
    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        self.as_mut().is_some_and(|v| v.cut_in_place(num, den))
    }
    fn cut_units(&self) -> u64 {
        self.as_ref().map_or(0, RustExpr::cut_units)
    }
    fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
        self.as_mut()?.cut_largest_in_place(num, den)
    }
}

impl<T: RustExpr, E: RustExpr> RustExpr for Result<T, E> {
    fn rust_expr(&self) -> String {
        match self {
            Ok(v) => format!("Ok({})", v.rust_expr()),
            Err(e) => format!("Err({})", e.rust_expr()),
        }
    }
}

impl<T: RustExpr + ?Sized> RustExpr for Box<T> {
    fn rust_expr(&self) -> String {
        format!("Box::new({})", (**self).rust_expr())
    }
    fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
        (**self).cut_in_place(num, den)
    }
    fn cut_units(&self) -> u64 {
        (**self).cut_units()
    }
    fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
        (**self).cut_largest_in_place(num, den)
    }
}

fn map_expr<'a, K: RustExpr + 'a, V: RustExpr + 'a>(
    ty: &str,
    it: impl Iterator<Item = (&'a K, &'a V)>,
) -> String {
    let mut pairs: Vec<String> = it
        .map(|(k, v)| format!("({}, {})", k.rust_expr(), v.rust_expr()))
        .collect();
    if pairs.is_empty() {
        return format!("std::collections::{ty}::new()");
    }
    // Hash maps iterate in random order: sort so the same value always prints the same.
    pairs.sort();
    format!("std::collections::{ty}::from([{}])", pairs.join(", "))
}

fn set_expr<'a, K: RustExpr + 'a>(ty: &str, it: impl Iterator<Item = &'a K>) -> String {
    let mut items: Vec<String> = it.map(RustExpr::rust_expr).collect();
    if items.is_empty() {
        return format!("std::collections::{ty}::new()");
    }
    items.sort();
    format!("std::collections::{ty}::from([{}])", items.join(", "))
}

impl<K: RustExpr, V: RustExpr, S> RustExpr for HashMap<K, V, S> {
    fn rust_expr(&self) -> String {
        map_expr("HashMap", self.iter())
    }
}
impl<K: RustExpr, V: RustExpr> RustExpr for BTreeMap<K, V> {
    fn rust_expr(&self) -> String {
        map_expr("BTreeMap", self.iter())
    }
}
impl<K: RustExpr, S> RustExpr for HashSet<K, S> {
    fn rust_expr(&self) -> String {
        set_expr("HashSet", self.iter())
    }
}
impl<K: RustExpr> RustExpr for BTreeSet<K> {
    fn rust_expr(&self) -> String {
        set_expr("BTreeSet", self.iter())
    }
}

impl RustExpr for OsString {
    fn rust_expr(&self) -> String {
        match self.to_str() {
            Some(s) => format!("std::ffi::OsString::from({})", str_lit(s)),
            None => os_bytes_expr(self),
        }
    }
}

#[cfg(unix)]
fn os_bytes_expr(s: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    format!(
        "<std::ffi::OsString as std::os::unix::ffi::OsStringExt>::from_vec({})",
        bytes_expr(s.as_bytes())
    )
}

#[cfg(not(unix))]
fn os_bytes_expr(s: &std::ffi::OsStr) -> String {
    format!(
        "std::ffi::OsString::from({})",
        str_lit(&s.to_string_lossy())
    )
}

impl RustExpr for PathBuf {
    fn rust_expr(&self) -> String {
        match self.to_str() {
            Some(s) => format!("std::path::PathBuf::from({})", str_lit(s)),
            None => format!(
                "std::path::PathBuf::from({})",
                os_bytes_expr(self.as_os_str())
            ),
        }
    }
}

impl RustExpr for Ipv4Addr {
    fn rust_expr(&self) -> String {
        let [a, b, c, d] = self.octets();
        format!("std::net::Ipv4Addr::new({a}, {b}, {c}, {d})")
    }
}
impl RustExpr for Ipv6Addr {
    fn rust_expr(&self) -> String {
        let s = self
            .segments()
            .iter()
            .map(|x| format!("{x:#x}"))
            .collect::<Vec<_>>();
        format!("std::net::Ipv6Addr::new({})", s.join(", "))
    }
}
impl RustExpr for IpAddr {
    fn rust_expr(&self) -> String {
        match self {
            IpAddr::V4(a) => format!("std::net::IpAddr::V4({})", a.rust_expr()),
            IpAddr::V6(a) => format!("std::net::IpAddr::V6({})", a.rust_expr()),
        }
    }
}
impl RustExpr for SocketAddrV4 {
    fn rust_expr(&self) -> String {
        format!(
            "std::net::SocketAddrV4::new({}, {})",
            self.ip().rust_expr(),
            self.port()
        )
    }
}
impl RustExpr for SocketAddrV6 {
    fn rust_expr(&self) -> String {
        format!(
            "std::net::SocketAddrV6::new({}, {}, {}, {})",
            self.ip().rust_expr(),
            self.port(),
            self.flowinfo(),
            self.scope_id()
        )
    }
}
impl RustExpr for SocketAddr {
    fn rust_expr(&self) -> String {
        match self {
            SocketAddr::V4(a) => format!("std::net::SocketAddr::V4({})", a.rust_expr()),
            SocketAddr::V6(a) => format!("std::net::SocketAddr::V6({})", a.rust_expr()),
        }
    }
}

impl RustExpr for Duration {
    fn rust_expr(&self) -> String {
        format!(
            "std::time::Duration::new({}, {})",
            self.as_secs(),
            self.subsec_nanos()
        )
    }
}

impl RustExpr for SystemTime {
    fn rust_expr(&self) -> String {
        match self.duration_since(UNIX_EPOCH) {
            Ok(d) => format!("std::time::UNIX_EPOCH + {}", d.rust_expr()),
            Err(e) => format!("std::time::UNIX_EPOCH - {}", e.duration().rust_expr()),
        }
    }
}

macro_rules! tuple_expr {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: RustExpr),+> RustExpr for ($($name,)+) {
            fn rust_expr(&self) -> String {
                let parts: Vec<String> = vec![$(self.$idx.rust_expr()),+];
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
            fn cut_in_place(&mut self, num: usize, den: usize) -> bool {
                let mut any = false;
                $(any |= self.$idx.cut_in_place(num, den);)+
                any
            }
            fn cut_units(&self) -> u64 {
                0 $(+ self.$idx.cut_units())+
            }
            fn cut_largest_in_place(&mut self, num: usize, den: usize) -> Option<(u64, u64)> {
                let units = [$(self.$idx.cut_units()),+];
                let largest = *units.iter().max()?;
                if largest == 0 {
                    return None;
                }
                let at = units.iter().position(|u| *u == largest)?;
                $(if at == $idx {
                    return self.$idx.cut_largest_in_place(num, den);
                })+
                None
            }
            fn second_largest_units(&self) -> u64 {
                let mut units = [$(self.$idx.cut_units()),+];
                units.sort_unstable();
                units.len().checked_sub(2).map_or(0, |at| units[at])
            }
            fn cut_two_largest_in_place(&mut self, largest: (usize, usize), second: (usize, usize)) -> bool {
                let units = [$(self.$idx.cut_units()),+];
                // Positions by units, largest first (the first of equal ones first).
                let mut order: Vec<usize> = (0..units.len()).collect();
                order.sort_by(|a, b| units[*b].cmp(&units[*a]).then(a.cmp(b)));
                let [first, next, ..] = order[..] else {
                    return false;
                };
                if units[next] == 0 {
                    return false;
                }
                let mut cut = |at: usize, (num, den): (usize, usize)| -> bool {
                    $(if at == $idx {
                        return self.$idx.cut_largest_in_place(num, den).is_some();
                    })+
                    false
                };
                cut(first, largest) && cut(next, second)
            }
        }
    };
}
tuple_expr!(A 0);
tuple_expr!(A 0, B 1);
tuple_expr!(A 0, B 1, C 2);
tuple_expr!(A 0, B 1, C 2, D 3);
tuple_expr!(A 0, B 1, C 2, D 3, E 4);
tuple_expr!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_expr!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_expr!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_shorten_strings_and_collections_and_leave_the_rest() {
        let mut v = (String::from("aé"), vec![1u8, 2, 3, 4], 7u32);
        assert!(v.cut_in_place(1, 2));
        // "aé" is 3 bytes: half is 1, the boundary before 'é'.
        assert_eq!(v, (String::from("a"), vec![1, 2], 7));
        let mut strings = vec![String::from("abcd"), String::from("ef")];
        assert!(strings.cut_in_place(1, 4));
        assert_eq!(strings, vec![String::from("a"), String::new()]);
        let mut n = (5u64, -1i8);
        assert!(!n.cut_in_place(1, 2));
        assert_eq!(n, (5, -1));
        let mut same = (String::from("abc"),);
        assert!(same.cut_in_place(1, 1));
        assert_eq!(same.0, "abc");
    }

    #[test]
    fn the_largest_argument_alone_is_cut_and_its_length_is_what_the_growth_is_measured_in() {
        // Two strings of an edit distance: only the longer one is cut; the shorter stays as it was.
        let mut pair = (String::from("ab"), "x".repeat(8), 3u8);
        assert_eq!(pair.cut_largest_in_place(1, 4), Some((8, 2)));
        assert_eq!(pair, (String::from("ab"), "xx".to_owned(), 3));
        // A receiver's raw parts inside the arguments: the largest leaf is found through them.
        let mut nested = ((vec![1u8; 10], 4usize), String::from("abc"));
        assert_eq!(nested.cut_largest_in_place(1, 2), Some((10, 5)));
        assert_eq!(nested.0 .0.len(), 5);
        assert_eq!(nested.1, "abc");
        // A list of strings counts its bytes, and is cut as a whole.
        let mut lists = (
            vec![String::from("abcd"), String::from("ef")],
            String::from("xyz"),
        );
        assert_eq!(lists.cut_largest_in_place(1, 2), Some((6, 3)));
        // Nothing with a length: no part to cut, the caller falls back to cutting everything.
        assert_eq!((5u64, -1i8).cut_largest_in_place(1, 2), None);
        assert_eq!(
            ("ab".to_string(), "abcd".to_string(), vec![1u8; 3]).second_largest_units(),
            3
        );
        assert_eq!(("abcd".to_string(),).second_largest_units(), 0);
        // Each of the two largest cut by its own fraction, whatever their sizes after the first cut.
        let mut three = ("a".repeat(32), 7u8, "b".repeat(1024));
        assert!(three.cut_two_largest_in_place((1, 8), (1, 16)));
        assert_eq!((three.0.len(), three.2.len()), (2, 128));
        assert!(!("a".repeat(32), 7u8).cut_two_largest_in_place((1, 2), (1, 2)));
    }

    fn parses(expr: &str) {
        syn::parse_str::<syn::Expr>(expr)
            .unwrap_or_else(|e| panic!("`{expr}` does not parse: {e}"));
    }

    #[test]
    fn integer_extremes_are_named_so_they_compile() {
        assert_eq!(i8::MIN.rust_expr(), "i8::MIN");
        assert_eq!(u64::MAX.rust_expr(), "u64::MAX");
        assert_eq!((-5i32).rust_expr(), "-5i32");
        assert_eq!(0u8.rust_expr(), "0u8");
    }

    #[test]
    fn special_floats_print_as_constants() {
        assert_eq!(f64::NAN.rust_expr(), "f64::NAN");
        assert_eq!(f64::NEG_INFINITY.rust_expr(), "f64::NEG_INFINITY");
        assert_eq!((-0.0f64).rust_expr(), "-0.0_f64");
        assert_eq!(f64::from_bits(1).rust_expr(), "5e-324_f64");
        for x in [0.1f64, -1.5e300, 1e-310, 3.0] {
            let e = x.rust_expr();
            parses(&e);
            let back: f64 = e.trim_end_matches("_f64").parse().unwrap();
            assert_eq!(back.to_bits(), x.to_bits());
        }
    }

    #[test]
    fn tricky_strings_escape_bidi_and_controls() {
        let s = String::from("a\u{202e}b\u{feff}\0\r\n\"'\\\u{301}é");
        let e = s.rust_expr();
        assert!(!e.contains('\u{202e}') && !e.contains('\u{feff}'), "{e}");
        parses(&e);
        let lit: syn::LitStr = syn::parse_str(&e["String::from(".len()..e.len() - 1]).unwrap();
        assert_eq!(lit.value(), s);
    }

    #[test]
    fn deep_nesting_prints_as_repeat() {
        let s = format!("x{}{}", "[".repeat(100_000), "]");
        let e = s.rust_expr();
        assert_eq!(e, r#"["x", "[".repeat(100000).as_str(), "]"].concat()"#);
        parses(&e);
    }

    #[test]
    fn bytes_print_as_byte_strings() {
        assert_eq!(vec![b'a', 0xff, 0].rust_expr(), r#"b"a\xff\0".to_vec()"#);
        assert_eq!(Vec::<u8>::new().rust_expr(), r#"b"".to_vec()"#);
        let long = [vec![1u8, 2], vec![0xffu8; 100]].concat();
        let e = long.rust_expr();
        assert_eq!(
            e,
            r#"[b"\x01\x02".as_slice(), vec![255u8; 100].as_slice()].concat()"#
        );
        parses(&e);
    }

    #[test]
    fn composite_values_parse() {
        let v: (String, Vec<u32>, Option<char>, [i8; 2]) =
            ("a".into(), vec![1, 2], Some('\''), [i8::MIN, 0]);
        parses(&v.rust_expr());
        parses(&(1u8,).rust_expr());
        assert_eq!((1u8,).rust_expr(), "(1u8,)");
        let m: HashMap<u8, bool> = [(2, true), (1, false)].into_iter().collect();
        assert_eq!(
            m.rust_expr(),
            "std::collections::HashMap::from([(1u8, false), (2u8, true)])"
        );
        parses(&PathBuf::from("../etc").rust_expr());
        parses(&SocketAddr::from(([127, 0, 0, 1], 80)).rust_expr());
        parses(&(UNIX_EPOCH - Duration::from_secs(5)).rust_expr());
        parses(&'\u{202e}'.rust_expr());
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_paths_print_their_bytes() {
        use std::os::unix::ffi::OsStringExt;
        let p = PathBuf::from(OsString::from_vec(vec![b'a', 0xff]));
        let e = p.rust_expr();
        parses(&e);
        assert!(e.contains(r#"b"a\xff""#), "{e}");
    }
}
