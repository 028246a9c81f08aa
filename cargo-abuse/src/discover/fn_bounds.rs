//! Closure bounds (syn, through `discover`): `FnMut(&T) -> bool` written as a bound's text, read back as the
//! model's types of its arguments and output, for planning a generated closure.

use crate::model::Ty;

/// Which closure trait a bound names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FnKind {
    /// `FnOnce`.
    Once,
    /// `FnMut`.
    Mut,
    /// `Fn`.
    Fn,
}

/// A closure bound: `FnMut(&u8) -> bool`.
#[derive(Debug, Clone, PartialEq)]
pub struct FnBound {
    /// The trait.
    pub kind: FnKind,
    /// The argument types as written (lifetimes dropped).
    pub args: Vec<Ty>,
    /// The output type; `None` for `()`.
    pub output: Option<Ty>,
}

/// The closure bound a bound's text names (`FnOnce(L) -> M`, `std::ops::Fn(char) -> bool`,
/// `for<'a> FnMut(&'a T)`, `dyn Fn(u8)`), or `None` when it names another trait.
pub fn fn_bound(text: &str) -> Option<FnBound> {
    let text = text.trim();
    let text = text.strip_prefix("dyn ").unwrap_or(text);
    let bound: syn::TraitBound = syn::parse_str(text).ok()?;
    let last = bound.path.segments.last()?;
    let kind = match last.ident.to_string().as_str() {
        "FnOnce" => FnKind::Once,
        "FnMut" => FnKind::Mut,
        "Fn" => FnKind::Fn,
        _ => return None,
    };
    let syn::PathArguments::Parenthesized(args) = &last.arguments else {
        return None;
    };
    let output = match &args.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => match super::signature::ty_of(ty) {
            Ty::Tuple { elems } if elems.is_empty() => None,
            ty => Some(ty),
        },
    };
    Some(FnBound {
        kind,
        args: args.inputs.iter().map(super::signature::ty_of).collect(),
        output,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(p: &str) -> Ty {
        Ty::Path {
            path: p.into(),
            args: vec![],
        }
    }

    #[test]
    fn closure_bounds_are_read_back_from_their_text() {
        let b = fn_bound("FnMut(&'a u8) -> bool").unwrap();
        assert_eq!(b.kind, FnKind::Mut);
        assert_eq!(
            b.args,
            [Ty::Ref {
                mutable: false,
                inner: Box::new(path("u8"))
            }]
        );
        assert_eq!(b.output, Some(path("bool")));
        let b = fn_bound("FnOnce(L) -> M").unwrap();
        assert_eq!(
            (b.kind, b.args, b.output),
            (FnKind::Once, vec![path("L")], Some(path("M")))
        );
        let b = fn_bound("dyn std::ops::Fn(char, usize)").unwrap();
        assert_eq!((b.kind, b.args.len(), b.output), (FnKind::Fn, 2, None));
        assert_eq!(fn_bound("Iterator<Item = u8>"), None);
        assert_eq!(fn_bound("Clone"), None);
    }
}
