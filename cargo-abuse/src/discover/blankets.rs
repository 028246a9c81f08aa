//! Blanket impls (syn, through `discover`): `impl<I: Integer + Shr<usize, Output = I>> Average for I` makes
//! every crate type (or primitive) that implements the blanket's crate traits an implementor of `Average`,
//! recorded as such so the planner can give one to a parameter bounded by `Average` (num-integer's
//! `average_floor<T: Average>`).

use quote::ToTokens;

use super::tokens::type_text;
use crate::model::TraitImpl;

/// An `impl<P: bounds> Trait for P`, before the crate's other impls are known.
pub(super) struct Blanket {
    /// The record it would give for one implementor (its `type_name` is the parameter's name).
    pub(super) record: TraitImpl,
    /// The bounds on the parameter itself (inline and in the where-clause; those on `&P` aside), as written.
    pub(super) bounds: Vec<String>,
}

/// The blanket of `imp` when its self type is one of its own type parameters.
pub(super) fn blanket_of(imp: &syn::ItemImpl, record: &TraitImpl) -> Option<Blanket> {
    let param = imp
        .generics
        .type_params()
        .find(|p| p.ident == record.type_name)?;
    let mut bounds: Vec<String> = param
        .bounds
        .iter()
        .map(|b| type_text(b.to_token_stream()))
        .collect();
    for pred in imp.generics.where_clause.iter().flat_map(|w| &w.predicates) {
        if let syn::WherePredicate::Type(t) = pred {
            if type_text(t.bounded_ty.to_token_stream()) == record.type_name {
                bounds.extend(t.bounds.iter().map(|b| type_text(b.to_token_stream())));
            }
        }
    }
    Some(Blanket {
        record: record.clone(),
        bounds,
    })
}

/// The records `blankets` add to `impls`: one per type implementing every crate trait a blanket's bounds
/// name (a blanket naming no crate trait, or a trait no one implements, adds none).
pub(super) fn expand(blankets: &[Blanket], impls: &[TraitImpl]) -> Vec<TraitImpl> {
    let mut out = Vec::new();
    for b in blankets {
        let mut crate_traits = Vec::new();
        let mut supported = true;
        for bound in &b.bounds {
            let head = bound.split('<').next().unwrap_or(bound).trim();
            let name = head.rsplit("::").next().unwrap_or(head).trim();
            if impls.iter().any(|i| i.trait_name == name) {
                crate_traits.push(name);
            } else if !is_primitive_std(name.trim_start_matches('?')) {
                supported = false;
            }
        }
        if !supported || crate_traits.is_empty() {
            continue;
        }
        for imp in impls.iter().filter(|i| i.trait_name == crate_traits[0]) {
            let all = crate_traits.iter().all(|t| {
                impls
                    .iter()
                    .any(|i| i.trait_name == *t && i.type_name == imp.type_name)
            });
            if all && imp.type_name != b.record.type_name {
                out.push(TraitImpl {
                    type_name: imp.type_name.clone(),
                    ..b.record.clone()
                });
            }
        }
    }
    out
}

/// A std trait every primitive number meets.
fn is_primitive_std(name: &str) -> bool {
    crate::model::PRIMITIVE_NUMERIC_TRAITS.contains(&name)
        || crate::model::PRIMITIVE_MARKERS.contains(&name)
}
