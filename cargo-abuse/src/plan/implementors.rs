//! Implementors of crate traits as concrete types (through `generics`): a type parameter bounded by traits
//! the crate implements, often through `macro_rules!`, for primitives and arrays (`T: Integer`, `T: Zero +
//! Add<T, Output = T>`, `A: Array<Item = u8> + Copy`) gets an implementor of every one of them, primitives
//! first (`i64`, `u64`, `usize`, `u8`, ...), then arrays of a small length, then the crate's own types.
//! A bound naming a crate trait with no known implementor gives nothing: no guess. Bounds naming traits of
//! another package (and std's) get one std primitive, which `gen`'s compile check confirms or skips.

use crate::model::{Ty, PRIMITIVE_MARKERS as MARKERS, PRIMITIVE_NUMERIC_TRAITS as NUMERIC_STD};

use super::generics::path_ty;
use super::values::{is_primitive, value_plan};
use super::Ctx;

/// Markers a crate type is assumed to meet (the planner's older rule for a single crate trait).
const CRATE_TYPE_MARKERS: &[&str] = &[
    "?Sized", "Sized", "Send", "Sync", "Unpin", "Copy", "Clone", "Debug",
];

/// A bound's trait name without path and arguments (`num_traits::One` → `One`, `Array<Item=u8>` → `Array`).
fn base_name(bound: &str) -> &str {
    let head = bound.split('<').next().unwrap_or(bound);
    head.rsplit("::").next().unwrap_or(head)
}

/// The type for bounds (normalized: no spaces, no lifetimes) naming at least one crate trait with a known
/// implementor, or `None`.
pub(super) fn for_crate_traits(bounds: &[String], ctx: &Ctx) -> Option<Ty> {
    let impls = &ctx.package.trait_impls;
    let known = |name: &str| impls.iter().any(|i| i.trait_name == name);
    let mut crate_traits: Vec<&str> = Vec::new();
    let mut std_ops: Vec<&str> = Vec::new();
    let mut markers: Vec<&str> = Vec::new();
    let mut foreign: Vec<&str> = Vec::new();
    for bound in bounds {
        let name = base_name(bound);
        // A std marker stays a marker when the crate implements it for its own types too (smallvec's
        // `PartialEq for SmallVec`): any primitive meets it.
        if MARKERS.contains(&name) {
            markers.push(name);
        } else if known(name) {
            crate_traits.push(bound);
        } else if NUMERIC_STD.contains(&name) {
            std_ops.push(name);
        } else if dependency_trait(bound, ctx) {
            foreign.push(name);
        } else {
            return None;
        }
    }
    if !foreign.is_empty() {
        // Traits of another package (num-traits' `One`, `Zero`, `CheckedAdd` on num-iter's `range`): their
        // implementors are not known here; a std primitive is the likely one. One guess: a wrong one is
        // turned into a skip with the compiler's reason by `gen`'s compile check, in the same round.
        return crate_traits
            .is_empty()
            .then(|| primitive_guess(&foreign, &markers, &std_ops))
            .flatten();
    }
    if crate_traits.is_empty() {
        // Only std operators on the parameter itself (`A: Add<A, Output = A> + Clone`): every primitive
        // integer has them.
        let on_itself = bounds
            .iter()
            .filter(|b| NUMERIC_STD.contains(&base_name(b)))
            .all(|b| operands_are_one_name(b));
        // Comparison markers on the parameter itself (`K: PartialEq<K>`, smallvec's `dedup_by_key`) are
        // markers too.
        let markers_on_itself = std_ops.is_empty()
            && !markers.is_empty()
            && bounds.iter().all(|b| operands_are_one_name(b));
        return ((!std_ops.is_empty() && on_itself) || markers_on_itself)
            .then(|| path_ty("i64", vec![]));
    }
    // Types implementing every crate trait, in the order of the first one's impls.
    let mut candidates: Vec<&str> = impls
        .iter()
        .filter(|i| i.trait_name == base_name(crate_traits[0]))
        .map(|i| i.type_name.as_str())
        .filter(|t| {
            crate_traits.iter().all(|b| {
                impls
                    .iter()
                    .any(|i| i.trait_name == base_name(b) && i.type_name == *t)
            })
        })
        .collect();
    candidates.dedup();
    candidates.sort_by_key(|t| rank(t));
    let item = crate_traits.iter().find_map(|b| item_binding(b));
    candidates.into_iter().find_map(|t| {
        let float = matches!(t, "f32" | "f64");
        if is_primitive(t) {
            let total = markers.iter().any(|m| matches!(*m, "Eq" | "Ord" | "Hash"));
            let unsigned = t.starts_with('u');
            let numeric = !matches!(t, "bool" | "char" | "str");
            if (float && total)
                || (!std_ops.is_empty() && !numeric)
                || (unsigned && std_ops.contains(&"Neg"))
                || item.is_some()
            {
                return None;
            }
            return Some(path_ty(t, vec![]));
        }
        if !std_ops.is_empty() {
            return None;
        }
        if let Some((elem, len)) = array_parts(t) {
            let elem = match (&item, elem) {
                (Some(item), "_") => item.clone(),
                (Some(item), e) if e == item => item.clone(),
                (Some(_), _) => return None,
                (None, "_") => "i64".to_string(),
                (None, e) => e.to_string(),
            };
            if !is_primitive(&elem) || elem == "str" {
                return None;
            }
            return Some(Ty::Array {
                elem: Box::new(path_ty(&elem, vec![])),
                len: len.to_string(),
            });
        }
        if item.is_some() || markers.iter().any(|m| !CRATE_TYPE_MARKERS.contains(m)) {
            return None;
        }
        let simple = !t.is_empty()
            && t.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == ':');
        if !simple {
            return None;
        }
        let ty = path_ty(t, vec![]);
        value_plan(&ty, ctx, "", 1).is_ok().then_some(ty)
    })
}

/// Whether a bound names a trait of another package: written with a path from a crate other than this one
/// and std's (`num_traits::One`), or imported from one by the function's module (`use num_traits::One;`).
fn dependency_trait(bound: &str, ctx: &Ctx) -> bool {
    let head = bound.split('<').next().unwrap_or(bound);
    let path = if head.contains("::") {
        head.to_string()
    } else {
        match ctx.function.uses.iter().find(|u| u.name == head) {
            Some(u) => u.path.clone(),
            None => return false,
        }
    };
    let first = path
        .trim_start_matches("::")
        .split("::")
        .next()
        .unwrap_or("");
    let own_module = ctx
        .package
        .functions
        .iter()
        .any(|f| f.module_path.first().is_some_and(|m| m == first))
        || ctx
            .package
            .types
            .iter()
            .any(|t| t.path.split("::").next() == Some(first) && t.path.contains("::"));
    !first.is_empty()
        && !matches!(first, "crate" | "self" | "super" | "std" | "core" | "alloc")
        && !own_module
}

/// The primitive a parameter bounded by traits of another package gets: `f64` for a float trait, `u64` for an
/// unsigned one, else `i64`; none when the markers or operators rule that one out.
fn primitive_guess(foreign: &[&str], markers: &[&str], std_ops: &[&str]) -> Option<Ty> {
    let named = |names: &[&str]| foreign.iter().any(|f| names.contains(f));
    let ty = if named(&["Float", "FloatCore", "Real", "FloatConst"]) {
        "f64"
    } else if named(&["Unsigned"]) {
        "u64"
    } else {
        "i64"
    };
    let total = markers.iter().any(|m| matches!(*m, "Eq" | "Ord" | "Hash"));
    if (ty == "f64" && total) || (ty == "u64" && std_ops.contains(&"Neg")) {
        return None;
    }
    Some(path_ty(ty, vec![]))
}

/// The order implementors are tried in: the attacked primitives first, then arrays (a length of 8 to 64
/// first, the smallest of those), then the rest in their order.
fn rank(type_name: &str) -> (u32, u64) {
    const PRIMITIVES: &[&str] = &[
        "i64", "u64", "usize", "u8", "i32", "u32", "i16", "u16", "i8", "isize", "i128", "u128",
        "f64", "f32", "bool", "char",
    ];
    if let Some(at) = PRIMITIVES.iter().position(|p| *p == type_name) {
        return (0, at as u64);
    }
    if let Some((_, len)) = array_parts(type_name) {
        let len: u64 = len.parse().unwrap_or(u64::MAX);
        return match len {
            8..=64 => (1, len),
            65.. => (2, len),
            _ => (3, 8 - len),
        };
    }
    (4, 0)
}

/// `"[_; 8]"` → `("_", "8")`.
fn array_parts(type_name: &str) -> Option<(&str, &str)> {
    let inner = type_name.strip_prefix('[')?.strip_suffix(']')?;
    let (elem, len) = inner.split_once(';')?;
    Some((elem.trim(), len.trim()))
}

/// The `Item` a bound fixes (`Array<Item=u8>` → `u8`).
fn item_binding(bound: &str) -> Option<String> {
    let args = bound.split_once('<')?.1.strip_suffix('>')?;
    args.split(',')
        .find_map(|a| a.strip_prefix("Item="))
        .map(str::to_string)
}

/// `A::Item` when `A` was given an array: its element.
pub(super) fn array_item(path: &str, ctx: &Ctx) -> Option<Ty> {
    let (param, assoc) = path.split_once("::")?;
    if assoc != "Item" {
        return None;
    }
    match ctx.generics.iter().find(|(n, _)| n == param) {
        Some((_, Ty::Array { elem, .. })) => Some((**elem).clone()),
        _ => None,
    }
}

/// Whether an operator bound's arguments all name one type parameter (`Add<A,Output=A>`, `Mul<&T>`, `Neg`).
fn operands_are_one_name(bound: &str) -> bool {
    let Some((_, args)) = bound.split_once('<') else {
        return true;
    };
    let Some(args) = args.strip_suffix('>') else {
        return false;
    };
    let names: Vec<&str> = args
        .split(',')
        .map(|a| a.strip_prefix("Output=").unwrap_or(a))
        .map(|a| a.trim_start_matches('&'))
        .collect();
    names.iter().all(|n| {
        *n == names[0] && !is_primitive(n) && n.chars().all(|c| c.is_alphanumeric() || c == '_')
    })
}
