//! Array lengths written as a constant of the crate (`buf: &mut [u8; U8_LEN]` with `const U8_LEN: usize = 2;`
//! in unsigned-varint): the constant is often private, so the harness cannot name it and writes its value.

use std::collections::HashMap;

use crate::model::Ty;

use super::items::FoundFn;

/// The integer constants of a crate whose value is a literal, by module index and name.
#[derive(Default)]
pub(super) struct LengthConsts {
    /// `None` when one module defines the name twice with different values (`cfg` twins for 32 and 64 bits).
    values: HashMap<(usize, String), Option<String>>,
    /// `const USIZE_LEN: usize = U64_LEN;`: a constant defined as another one, by module index and name.
    aliases: HashMap<(usize, String), String>,
}

impl LengthConsts {
    /// Records `const NAME: <integer> = <literal>;` of module `module`, whatever its visibility.
    pub(super) fn record(&mut self, module: usize, c: &syn::ItemConst) {
        let syn::Type::Path(ty) = &*c.ty else {
            return;
        };
        // A twin this build does not compile (`#[cfg(target_pointer_width = "32")]` on a 64-bit host) is not
        // the constant the harness sees; one gated by features may be, so it counts.
        let cfg = super::tree::cfg_predicates(&c.attrs).join(" && ");
        if !cfg.is_empty() && !cfg.contains("feature") && !super::cfg_text_holds(&cfg, &[]) {
            return;
        }
        if let syn::Expr::Path(other) = &*c.expr {
            if let Some(name) = other.path.get_ident() {
                self.aliases
                    .insert((module, c.ident.to_string()), name.to_string());
            }
            return;
        }
        let integer = ty
            .path
            .get_ident()
            .is_some_and(|i| crate::model::is_integer_type(&i.to_string()));
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(value),
            ..
        }) = &*c.expr
        else {
            return;
        };
        if integer {
            if let Ok(n) = value.base10_parse::<u64>() {
                let n = n.to_string();
                self.values
                    .entry((module, c.ident.to_string()))
                    .and_modify(|v| {
                        if v.as_deref() != Some(n.as_str()) {
                            *v = None;
                        }
                    })
                    .or_insert(Some(n));
            }
        }
    }

    /// The value of the length `len` as written in module `module`: a constant of that module, else the one
    /// constant of that name in the crate (none if two modules define it differently).
    fn value(&self, module: usize, len: &str) -> Option<String> {
        self.value_within(module, len, 0)
    }

    /// [`Self::value`], following at most 4 constants defined as another.
    fn value_within(&self, module: usize, len: &str, depth: usize) -> Option<String> {
        let name = len.trim().rsplit("::").next()?.trim();
        if let Some(other) = self.aliases.get(&(module, name.to_string())) {
            return (depth < 4)
                .then(|| self.value_within(module, other, depth + 1))
                .flatten();
        }
        if !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        if let Some(v) = self.values.get(&(module, name.to_string())) {
            return v.clone();
        }
        let mut found = self
            .values
            .iter()
            .filter(|((_, n), _)| n == name)
            .map(|(_, v)| v);
        let first = found.next()?.as_ref()?;
        found
            .all(|v| v.as_ref() == Some(first))
            .then(|| first.clone())
    }

    /// Writes the value of every named array length in the signatures of `functions`.
    pub(super) fn resolve(&self, functions: &mut [FoundFn]) {
        if self.values.is_empty() && self.aliases.is_empty() {
            return;
        }
        for f in functions {
            let module = f.module;
            let sig = &mut f.tagged.signature;
            for param in &mut sig.params {
                self.resolve_ty(module, &mut param.ty);
            }
            if let Some(out) = &mut sig.output {
                self.resolve_ty(module, out);
            }
        }
    }

    fn resolve_ty(&self, module: usize, ty: &mut Ty) {
        match ty {
            Ty::Array { elem, len } => {
                self.resolve_ty(module, elem);
                if let Some(v) = self.value(module, len) {
                    *len = v;
                }
            }
            Ty::Path { args, .. } => args.iter_mut().for_each(|a| self.resolve_ty(module, a)),
            Ty::Ref { inner, .. } => self.resolve_ty(module, inner),
            Ty::Slice { elem } => self.resolve_ty(module, elem),
            Ty::Tuple { elems } => elems.iter_mut().for_each(|e| self.resolve_ty(module, e)),
            Ty::ImplTrait { .. } | Ty::Other { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consts(src: &str) -> LengthConsts {
        let file: syn::File = syn::parse_str(src).unwrap();
        let mut out = LengthConsts::default();
        for item in &file.items {
            if let syn::Item::Const(c) = item {
                out.record(0, c);
            }
        }
        out
    }

    #[test]
    fn a_constant_defined_as_another_for_this_build_is_that_ones_value() {
        // unsigned-varint's `encode::usize(number, buf: &mut [u8; USIZE_LEN])`.
        let c = consts(
            "const U32_LEN: usize = 5; const U64_LEN: usize = 10;\n\
             #[cfg(target_pointer_width = \"64\")] const USIZE_LEN: usize = U64_LEN;\n\
             #[cfg(target_pointer_width = \"32\")] const USIZE_LEN: usize = U32_LEN;\n\
             #[cfg(target_pointer_width = \"64\")] const WORD: usize = 8;\n\
             #[cfg(target_pointer_width = \"32\")] const WORD: usize = 4;",
        );
        let (width, word) = if cfg!(target_pointer_width = "64") {
            ("10", "8")
        } else {
            ("5", "4")
        };
        assert_eq!(c.value(0, "USIZE_LEN").as_deref(), Some(width));
        assert_eq!(c.value(0, "WORD").as_deref(), Some(word));
        // A loop of constants is no value.
        let c = consts("const A: usize = B; const B: usize = A;");
        assert_eq!(c.value(0, "A"), None);
    }

    #[test]
    fn a_length_named_by_a_literal_constant_is_its_value() {
        let c = consts(
            "const U8_LEN: usize = 2; pub const WIDE: u32 = 0x10; const TEXT: &str = \"x\";",
        );
        assert_eq!(c.value(0, "U8_LEN"), Some("2".into()));
        assert_eq!(c.value(0, "crate::encode::U8_LEN"), Some("2".into()));
        assert_eq!(c.value(0, "WIDE"), Some("16".into()));
        assert_eq!(c.value(0, "TEXT"), None);
        assert_eq!(c.value(0, "N * 2"), None);
        // Another module's constant of a unique name is the same constant.
        assert_eq!(c.value(3, "U8_LEN"), Some("2".into()));
        let mut ty = Ty::Ref {
            mutable: true,
            inner: Box::new(Ty::Array {
                elem: Box::new(Ty::Path {
                    path: "u8".into(),
                    args: vec![],
                }),
                len: "U8_LEN".into(),
            }),
        };
        c.resolve_ty(0, &mut ty);
        assert!(
            matches!(&ty, Ty::Ref { inner, .. } if matches!(&**inner, Ty::Array { len, .. } if len == "2"))
        );
    }

    #[test]
    fn a_name_two_modules_define_differently_is_left_as_written() {
        let file: syn::File =
            syn::parse_str("const LEN: usize = 2; const LEN2: usize = 3;").unwrap();
        let mut c = LengthConsts::default();
        let items: Vec<&syn::ItemConst> = file
            .items
            .iter()
            .filter_map(|i| match i {
                syn::Item::Const(c) => Some(c),
                _ => None,
            })
            .collect();
        c.record(1, items[0]);
        let mut other = items[1].clone();
        other.ident = syn::parse_str("LEN").unwrap();
        c.record(2, &other);
        assert_eq!(c.value(1, "LEN"), Some("2".into()));
        assert_eq!(c.value(2, "LEN"), Some("3".into()));
        assert_eq!(c.value(0, "LEN"), None);
        // `cfg` twins of one module (`USIZE_LEN` for 32 and 64 bits) are not guessed.
        c.record(1, &other);
        assert_eq!(c.value(1, "LEN"), None);
    }
}
