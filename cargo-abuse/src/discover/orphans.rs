//! Files under a package's `src/` that no crate of it compiles (std::fs, syn): no `mod` item reaches them (a
//! `// mod transducer;` left commented out), so a tag there is never built nor tested, and without this the
//! function would not appear in `list` or `run` at all.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use syn::visit::Visit;

use super::tags::{attr_renames, is_tag};
use super::Ctx;
use crate::model::{Diagnostic, Severity};
use crate::workspace::PackageSources;

/// A warning for each `.rs` file under the package's `src/` that none of its crates read (`read`: every file
/// their discovery looked at) and that holds tagged functions.
pub(super) fn tagged_outside_the_crates(
    ctx: &Ctx,
    package: &PackageSources,
    read: &HashSet<PathBuf>,
) -> Vec<Diagnostic> {
    let mut files = Vec::new();
    rust_files(&package.dir.join("src"), &mut files);
    files.sort();
    files
        .into_iter()
        .filter(|f| !read.contains(f))
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            if !text.contains("ai_generated") {
                return None;
            }
            let file = syn::parse_file(&text).ok()?;
            let mut count = TaggedFns {
                renames: attr_renames(&file.items),
                n: 0,
            };
            count.visit_file(&file);
            (count.n > 0).then(|| Diagnostic {
                severity: Severity::Warning,
                file: ctx.rel(&f),
                line: 1,
                column: 1,
                message: format!(
                    "{} tagged function{} in a file no crate of `{}` compiles (no `mod` item declares it): not \
                     built, not tested",
                    count.n,
                    if count.n == 1 { "" } else { "s" },
                    package.name
                ),
            })
        })
        .collect()
}

/// The `.rs` files under `dir`, but not the in-crate harnesses `gen` writes (`src/abuse_tests/`).
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "abuse_tests") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Counts tagged functions: tagged `fn`s, and the `pub fn`s of tagged `impl` blocks.
struct TaggedFns {
    renames: HashSet<String>,
    n: usize,
}

impl<'ast> Visit<'ast> for TaggedFns {
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        self.n += usize::from(f.attrs.iter().any(|a| is_tag(a, &self.renames)));
    }

    fn visit_item_impl(&mut self, imp: &'ast syn::ItemImpl) {
        let block = imp.attrs.iter().any(|a| is_tag(a, &self.renames));
        for item in &imp.items {
            if let syn::ImplItem::Fn(f) = item {
                let public = matches!(f.vis, syn::Visibility::Public(_));
                self.n += usize::from(
                    (block && public) || f.attrs.iter().any(|a| is_tag(a, &self.renames)),
                );
            }
        }
    }
}
