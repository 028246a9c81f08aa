//! Tests of `sign` on inline sources: discovery records the site (`discover::tag_sites`), `write_signoff`
//! edits there; each checks the exact output or that only the sign-off changed.

use super::*;

const VALUE: &str = "bob 2026-11-27 0123456789abcdef";

/// What discovery records for the tag whose attribute starts at the first `needle` in `src` (its path
/// as written is `path`).
fn loc(src: &str, needle: &str, path: &str) -> AttrSite {
    let at = src.find(needle).expect("needle in source");
    let site = discovered(src)
        .into_iter()
        .find(|s| s.span.as_ref().is_some_and(|span| span.attr.start == at))
        .unwrap_or_else(|| panic!("no tag at {needle:?} in {src:?}"));
    assert_eq!(site.path, path);
    site
}

/// Every tag site discovery records in `src`.
fn discovered(src: &str) -> Vec<AttrSite> {
    crate::discover::tag_sites(src).unwrap_or_else(|e| panic!("{src:?} parses: {e}"))
}

/// The tag discovery records at 1-based `line` and char `column`.
fn site_at(src: &str, line: u32, column: u32) -> AttrSite {
    discovered(src)
        .into_iter()
        .find(|s| (s.line, s.column) == (line, column))
        .unwrap_or_else(|| panic!("no tag at {line}:{column} in {src:?}"))
}

/// Signs the attribute found at `needle`, checks that only one contiguous range changed and that
/// the change is a `signed_off` key or a replaced literal, and returns the new text.
fn sign_at(src: &str, needle: &str, path: &str) -> String {
    let out = write_signoff(src, &loc(src, needle, path), VALUE).expect("sign");
    assert_only_signoff_changed(src, &out);
    out
}

fn sign(src: &str) -> String {
    sign_at(src, "#[ai_generated", "ai_generated")
}

#[test]
fn a_tag_inside_cfg_attr_is_signed_inside_its_own_list() {
    let src = "#[cfg_attr(all(test, not(miri)), abuse_macros::ai_generated(prompt = \"p\"))]\nfn f() {}\n";
    let out = sign_at(src, "#[cfg_attr", "abuse_macros::ai_generated");
    assert_eq!(
        out,
        format!(
            "#[cfg_attr(all(test, not(miri)), abuse_macros::ai_generated(prompt = \"p\", signed_off = {VALUE:?}))]\nfn f() {{}}\n"
        )
    );
    let bare = "#[cfg_attr(test, ai_generated)]\nfn f() {}\n";
    assert_eq!(
        sign_at(bare, "#[cfg_attr", "ai_generated"),
        format!("#[cfg_attr(test, ai_generated(signed_off = {VALUE:?}))]\nfn f() {{}}\n")
    );
    // Another attribute in the cfg_attr's place: the file changed since discovery.
    let other = "#[cfg_attr(test, derive(Debug))]\nfn f() {}\n";
    assert!(matches!(
        write_signoff(other, &loc(bare, "#[cfg_attr", "ai_generated"), VALUE),
        Err(SignError::Moved { .. })
    ));
}

/// Every byte outside the edited ranges is identical; what was removed (if anything) is one string
/// literal, and what was added mentions only `signed_off`, the value, and layout.
fn assert_only_signoff_changed(src: &str, out: &str) {
    let literal = format!("{VALUE:?}");
    assert!(out.contains(&literal), "value written: {out}");
    // Remove the new value and the key, then compare what is left with the source minus the old value.
    let prefix = src
        .bytes()
        .zip(out.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let max_suffix = src.len().min(out.len()) - prefix;
    let suffix = src
        .bytes()
        .rev()
        .zip(out.bytes().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let removed = &src[prefix..src.len() - suffix];
    let added = &out[prefix..out.len() - suffix];
    let diff = similar::TextDiff::from_chars(src, out);
    let deleted = diff
        .iter_all_changes()
        .any(|c| c.tag() == similar::ChangeTag::Delete);
    if !deleted {
        // Insertions only: every source byte is still there, in order.
        let inserted: String = diff
            .iter_all_changes()
            .filter(|c| c.tag() == similar::ChangeTag::Insert)
            .map(|c| c.value())
            .collect();
        let stripped = inserted.replace(&format!("signed_off = {literal}"), "");
        assert!(
            stripped
                .chars()
                .all(|c| matches!(c, ',' | '(' | ')' | ' ' | '\t' | '\r' | '\n')),
            "only the key and layout were added, got {inserted:?}"
        );
    } else {
        assert!(
            added.contains(&literal) || literal.contains(added),
            "the literal was replaced, got {removed:?} -> {added:?}"
        );
        let covering = string_literal_covers(src, prefix..src.len() - suffix);
        assert!(covering, "one string literal replaced, got {removed:?}");
    }
}

/// Whether one string literal of `src` (proc-macro2's lexer) spans all of `range`.
fn string_literal_covers(src: &str, range: std::ops::Range<usize>) -> bool {
    fn walk(ts: proc_macro2::TokenStream, range: &std::ops::Range<usize>) -> bool {
        ts.into_iter().any(|tt| match tt {
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), range),
            proc_macro2::TokenTree::Literal(lit) => {
                let text = lit.to_string();
                let span = lit.span().byte_range();
                text.contains('"')
                    && !text.starts_with(['\'', 'b'])
                    && span.start <= range.start
                    && span.end >= range.end
            }
            _ => false,
        })
    }
    walk(src.parse().expect("the source lexes"), &range)
}

#[test]
fn bare_attribute_gets_an_argument_list() {
    let src = "#[ai_generated]\npub fn f() {}\n";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(signed_off = {VALUE:?})]\npub fn f() {{}}\n")
    );
}

#[test]
fn bare_attribute_with_spaces_and_comments_keeps_them() {
    let src = "#[ /* a */ ai_generated /* b */ ] // c\nfn f() {}";
    assert_eq!(
        sign(
            src.replace("#[ /* a */ ai_generated", "#[ai_generated")
                .as_str()
        ),
        format!("#[ai_generated(signed_off = {VALUE:?}) /* b */ ] // c\nfn f() {{}}")
    );
    let out = sign_at(src, "#[ /*", "ai_generated");
    assert_eq!(
        out,
        format!("#[ /* a */ ai_generated(signed_off = {VALUE:?}) /* b */ ] // c\nfn f() {{}}")
    );
}

#[test]
fn qualified_and_renamed_paths_are_accepted() {
    let src = "#[abuse_macros::ai_generated]\nfn f() {}";
    let out = sign_at(src, "#[abuse", "abuse_macros::ai_generated");
    assert_eq!(
        out,
        format!("#[abuse_macros::ai_generated(signed_off = {VALUE:?})]\nfn f() {{}}")
    );
    let src = "use abuse_macros::ai_generated as llm;\n#[llm(author = \"a\")]\nfn f() {}";
    let out = sign_at(src, "#[llm", "llm");
    assert!(out.ends_with(&format!(
        "#[llm(author = \"a\", signed_off = {VALUE:?})]\nfn f() {{}}"
    )));
    let src = "#[::abuse_macros :: ai_generated]\nfn f() {}";
    let out = sign_at(src, "#[::", "::abuse_macros::ai_generated");
    assert!(out.starts_with("#[::abuse_macros :: ai_generated(signed_off"));
}

#[test]
fn existing_signoff_literal_is_replaced_only() {
    let src = "#[ai_generated(author = \"a\", signed_off = \"old 2020-01-01 0000000000000000\", test_owner = \"b\")]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(author = \"a\", signed_off = {VALUE:?}, test_owner = \"b\")]\nfn f() {{}}")
    );
}

#[test]
fn existing_raw_string_signoff_is_replaced() {
    let src = "#[ai_generated(signed_off = r#\"old \"x\" 1\"#)]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(signed_off = {VALUE:?})]\nfn f() {{}}")
    );
}

#[test]
fn existing_signoff_with_comments_around_equals_is_replaced() {
    let src =
        "#[ai_generated(\n    signed_off /* k */ = // v\n        \"old\", // keep\n)]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\n    signed_off /* k */ = // v\n        {VALUE:?}, // keep\n)]\nfn f() {{}}")
    );
}

#[test]
fn single_line_args_get_the_key_appended() {
    let src = "#[ai_generated(prompt = \"p\", author = \"alice\")]\npub fn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(prompt = \"p\", author = \"alice\", signed_off = {VALUE:?})]\npub fn f() {{}}")
    );
}

#[test]
fn single_line_trailing_comma_is_kept() {
    let src = "#[ai_generated(author = \"alice\",)]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(author = \"alice\", signed_off = {VALUE:?},)]\nfn f() {{}}")
    );
}

#[test]
fn empty_parens_get_the_key() {
    let src = "#[ai_generated()]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(signed_off = {VALUE:?})]\nfn f() {{}}")
    );
}

#[test]
fn multi_line_trailing_comma_gets_its_own_line() {
    let src = "#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\",\n)]\npub fn f() {}\n";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\",\n    signed_off = {VALUE:?},\n)]\npub fn f() {{}}\n")
    );
}

#[test]
fn multi_line_without_trailing_comma_gets_its_own_line() {
    let src = "#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\"\n)]\npub fn f() {}\n";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\n    prompt = \"p\",\n    author = \"alice\",\n    signed_off = {VALUE:?}\n)]\npub fn f() {{}}\n")
    );
}

#[test]
fn multi_line_with_closing_paren_on_last_line() {
    let src = "#[ai_generated(prompt = \"p\",\n               author = \"alice\")]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(prompt = \"p\",\n               author = \"alice\",\n               signed_off = {VALUE:?})]\nfn f() {{}}")
    );
}

#[test]
fn line_comment_after_last_arg_stays_on_its_line() {
    let src = "#[ai_generated(\n    author = \"alice\" // who wrote the prompt\n)]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\n    author = \"alice\", // who wrote the prompt\n    signed_off = {VALUE:?}\n)]\nfn f() {{}}")
    );
    let src = "#[ai_generated(\n    author = \"alice\", // who\n)]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\n    author = \"alice\", // who\n    signed_off = {VALUE:?},\n)]\nfn f() {{}}")
    );
}

#[test]
fn tabs_are_copied_as_indentation() {
    let src = "impl P {\n\t#[ai_generated(\n\t\tauthor = \"alice\",\n\t)]\n\tpub fn f() {}\n}\n";
    assert_eq!(
        sign(src),
        format!("impl P {{\n\t#[ai_generated(\n\t\tauthor = \"alice\",\n\t\tsigned_off = {VALUE:?},\n\t)]\n\tpub fn f() {{}}\n}}\n")
    );
}

#[test]
fn crlf_line_endings_are_kept() {
    let src = "#[ai_generated(\r\n    author = \"alice\",\r\n)]\r\nfn f() {}\r\n";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\r\n    author = \"alice\",\r\n    signed_off = {VALUE:?},\r\n)]\r\nfn f() {{}}\r\n")
    );
    let src = "#[ai_generated(\r\n    author = \"alice\" // c\r\n)]\r\nfn f() {}\r\n";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(\r\n    author = \"alice\", // c\r\n    signed_off = {VALUE:?}\r\n)]\r\nfn f() {{}}\r\n")
    );
}

#[test]
fn raw_string_prompt_with_parens_and_key_name_is_not_confused() {
    let src = "#[ai_generated(prompt = r#\"return (x) when \"signed_off = \"y\"\" ); ]\"#, author = \"a\")]\nfn f() {}";
    assert_eq!(
        sign(src),
        format!("#[ai_generated(prompt = r#\"return (x) when \"signed_off = \"y\"\" ); ]\"#, author = \"a\", signed_off = {VALUE:?})]\nfn f() {{}}")
    );
    let src = "#[ai_generated(prompt = r##\"a \"# ) \"##)]\nfn f() {}";
    assert!(sign(src).contains("r##\"a \"# ) \"##, signed_off"));
}

#[test]
fn escaped_quotes_and_parens_in_strings_are_not_structure() {
    let src = "#[ai_generated(prompt = \"say \\\"signed_off = x\\\" ) \\\\\", author = \"a\")]\nfn f() {}";
    let out = sign(src);
    assert!(out.contains("author = \"a\", signed_off"), "{out}");
}

#[test]
fn comments_with_delimiters_and_key_inside_the_args_are_skipped() {
    let src = "#[ai_generated(\n    /* signed_off = \"no\" ) */\n    author = \"a\", // signed_off = \"no\" )\n    /* nested /* ) */ ( */\n)]\nfn f() {}";
    let out = sign(src);
    assert!(
        out.contains("// signed_off = \"no\" )\n    signed_off = "),
        "{out}"
    );
    assert!(out.contains("/* signed_off = \"no\" ) */"));
}

#[test]
fn closures_generics_and_char_literals_in_args() {
    let src = "#[ai_generated(\n    ensures = |s: &str, out: &Result<u16, E>| s.contains(')') || out.is_ok() && '\\'' != 'x',\n    strategy(s = \"[a-z)]{1,3}\"),\n    roundtrip = fmt::<'static>\n)]\nfn f<'a>(s: &'a str) {}";
    let out = sign(src);
    assert!(
        out.contains(&format!(
            "roundtrip = fmt::<'static>,\n    signed_off = {VALUE:?}\n)]"
        )),
        "{out}"
    );
}

#[test]
fn closure_parameter_named_signed_off_is_not_the_key() {
    let src = "#[ai_generated(ensures = |signed_off: &u8, o: &u8| signed_off == o)]\nfn f(signed_off: u8) -> u8 { signed_off }";
    let out = sign(src);
    assert!(
        out.contains(&format!("signed_off == o, signed_off = {VALUE:?})]")),
        "{out}"
    );
}

#[test]
fn other_attributes_and_doc_comments_around_are_untouched() {
    let src = "/// Parses a port.\n/// `#[ai_generated]` in docs is not the attribute.\n#[inline]\n#[ai_generated(author = \"a\")] #[must_use]\n#[cfg_attr(test, allow(dead_code))]\npub fn parse_port(s: &str) -> u16 { 0 }\n";
    let out = sign_at(src, "#[ai_generated(", "ai_generated");
    assert_eq!(
        out,
        src.replace(
            "author = \"a\")",
            &format!("author = \"a\", signed_off = {VALUE:?})")
        )
    );
}

#[test]
fn second_attribute_of_several_in_a_file_is_the_one_signed() {
    let src = "#[ai_generated]\nfn a() {}\n\n#[ai_generated]\nfn b() {}\n";
    let at = site_at(src, 4, 1);
    let out = write_signoff(src, &at, VALUE).unwrap();
    assert_eq!(
        out,
        format!("#[ai_generated]\nfn a() {{}}\n\n#[ai_generated(signed_off = {VALUE:?})]\nfn b() {{}}\n")
    );
}

#[test]
fn column_counts_chars_not_bytes() {
    let src = "/* é */ #[ai_generated]\nfn f() {}";
    let at = site_at(src, 1, 9);
    assert!(write_signoff(src, &at, VALUE)
        .unwrap()
        .contains("ai_generated(signed_off"));
}

#[test]
fn unicode_and_escapes_in_the_value_make_a_valid_literal() {
    let src = "#[ai_generated]\nfn f() {}";
    let at = loc(src, "#[", "ai_generated");
    let out = write_signoff(src, &at, "zoë \"q\" \\ 2026").unwrap();
    assert!(out.contains(r#"signed_off = "zoë \"q\" \\ 2026""#), "{out}");
}

#[test]
fn moved_attribute_is_refused() {
    let src = "fn g() {}\n#[ai_generated]\nfn f() {}";
    // Discovery saw the attribute at 1:1; a line was added above it since.
    let at = site_at("#[ai_generated]\nfn f() {}", 1, 1);
    let err = write_signoff(src, &at, VALUE).unwrap_err();
    assert!(matches!(err, SignError::Moved { .. }), "{err:?}");
    assert!(err.to_string().contains("changed since discovery"));
}

#[test]
fn other_attribute_at_location_is_refused() {
    // Discovery saw the tag where the file now has another attribute.
    let seen = loc("#[ai_generated]\nfn f() {}", "#[", "ai_generated");
    let src = "#[inline]\nfn f() {}";
    let err = write_signoff(src, &seen, VALUE).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no `#[ai_generated]` attribute at 1:1 (found `#[inline]`): the file changed since discovery, run the command again"
    );
    let src = "#[ai_generated_v2]\nfn f() {}";
    assert!(matches!(
        write_signoff(src, &seen, VALUE),
        Err(SignError::Moved { .. })
    ));
}

#[test]
fn location_past_the_end_is_refused() {
    let src = "#[ai_generated]\n";
    // Sites discovery recorded in a longer version of the file, and a corrupt record.
    let seen = [
        (
            9,
            1,
            format!("{}#[ai_generated]\nfn f() {{}}", "\n".repeat(8)),
        ),
        (
            1,
            40,
            format!("{}#[ai_generated] fn f() {{}}", " ".repeat(39)),
        ),
    ];
    let mut sites: Vec<AttrSite> = seen
        .iter()
        .map(|(line, column, file)| site_at(file, *line, *column))
        .collect();
    let mut corrupt = site_at("#[ai_generated]\nfn f() {}", 1, 1);
    corrupt.line = 0;
    if let Some(span) = &mut corrupt.span {
        span.attr = 20..35;
    }
    sites.push(corrupt);
    for at in sites {
        assert!(
            matches!(
                write_signoff(src, &at, VALUE),
                Err(SignError::OutOfRange { .. })
            ),
            "{at:?}"
        );
    }
}

#[test]
fn unclosed_or_unbalanced_args_are_refused() {
    // Discovery refuses them (the file does not parse: a diagnostic, nothing to sign); a site recorded
    // before the file broke no longer matches it.
    let seen = loc(
        "#[ai_generated(author = \"a\")]\nfn f() {}",
        "#[",
        "ai_generated",
    );
    for src in [
        "#[ai_generated(author = \"a\"",
        "#[ai_generated(author = \"a)]",
        "#[ai_generated(author = [1, 2)]",
        "#[ai_generated(author = r#\"a\")]",
        "#[ai_generated(/* a )]",
    ] {
        assert!(crate::discover::tag_sites(src).is_err(), "{src}");
        let err = write_signoff(src, &seen, VALUE).unwrap_err();
        assert!(
            matches!(err, SignError::Moved { .. } | SignError::OutOfRange { .. }),
            "{src}: {err:?}"
        );
    }
}

#[test]
fn non_string_or_duplicate_signoff_is_refused() {
    for (src, reason) in [
        ("#[ai_generated(signed_off = 3)]", "not a string literal"),
        (
            "#[ai_generated(signed_off = b\"x\")]",
            "not a string literal",
        ),
        ("#[ai_generated(signed_off)]", "no `= \"...\"` value"),
        (
            "#[ai_generated(signed_off = \"a\", signed_off = \"b\")]",
            "given twice",
        ),
        ("#[ai_generated = \"x\"]", "expected `(` or `]`"),
    ] {
        let src = &format!("{src}\nfn f() {{}}");
        let err = write_signoff(src, &loc(src, "#[", "ai_generated"), VALUE).unwrap_err();
        assert!(err.to_string().contains(reason), "{src}: {err}");
    }
}

#[test]
fn signing_twice_replaces_the_first_signoff() {
    let src = "#[ai_generated(\n    author = \"a\",\n)]\nfn f() {}";
    let at = loc(src, "#[", "ai_generated");
    let once = write_signoff(src, &at, "old 2020-01-01 0000000000000000").unwrap();
    // `sign` discovers again on every run: the site now holds the first sign-off.
    let twice = write_signoff(&once, &loc(&once, "#[", "ai_generated"), VALUE).unwrap();
    assert_eq!(twice, sign(src));
}

#[test]
fn lifetimes_and_byte_literals_do_not_open_char_literals() {
    let src = "#[ai_generated(ensures = |s: &&'static str, o: &u8| *o != b'\\'' && s.len() > 0 && o != &b')')]\nfn f() {}";
    let out = sign(src);
    assert!(
        out.contains(&format!("b')', signed_off = {VALUE:?})]")),
        "{out}"
    );
}

#[test]
fn raw_identifier_key_neighbours_are_fine() {
    let src = "#[ai_generated(oracle = r#ref::parse)]\nfn f() {}";
    assert!(sign(src).contains(&format!("r#ref::parse, signed_off = {VALUE:?})]")));
}

/// Every `signed_off = "..."` value in `#[ai_generated]`/`#[llm]` attributes of a parsed file.
fn signed_off_values(src: &str) -> Vec<String> {
    use syn::visit::Visit;
    struct Finder(Vec<String>);
    impl<'ast> Visit<'ast> for Finder {
        fn visit_attribute(&mut self, attr: &'ast syn::Attribute) {
            let last = attr.path().segments.last().map(|s| s.ident.to_string());
            if !matches!(last.as_deref(), Some("ai_generated" | "llm")) {
                return;
            }
            let syn::Meta::List(list) = &attr.meta else {
                return;
            };
            let tokens: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
            for w in tokens.windows(3) {
                if let [proc_macro2::TokenTree::Ident(key), proc_macro2::TokenTree::Punct(eq), proc_macro2::TokenTree::Literal(lit)] =
                    w
                {
                    if key == "signed_off" && eq.as_char() == '=' {
                        let lit: syn::LitStr = syn::parse_str(&lit.to_string()).expect("a string");
                        self.0.push(lit.value());
                    }
                }
            }
        }
    }
    let file = syn::parse_file(src).unwrap_or_else(|e| panic!("output parses: {e}\n{src}"));
    let mut finder = Finder(Vec::new());
    finder.visit_file(&file);
    finder.0
}

#[test]
fn many_layouts_sign_to_valid_rust_with_one_signoff_and_resign_in_place() {
    let cases: &[(&str, &str, &str)] = &[
        ("#[ai_generated]\npub fn f() {}\n", "#[", "ai_generated"),
        ("#[ai_generated] pub fn f() {}", "#[", "ai_generated"),
        ("#[ /* x */ ai_generated /* y */ ]\nfn f() {}", "#[", "ai_generated"),
        ("#[abuse_macros::ai_generated]\nfn f() {}", "#[", "abuse_macros::ai_generated"),
        ("use abuse_macros::ai_generated as llm;\n#[llm(author = \"a\")]\nfn f() {}", "#[llm", "llm"),
        ("#[ai_generated()]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(prompt = \"p\", author = \"a\")]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(author = \"a\",)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    prompt = \"p\",\n    author = \"a\",\n)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    prompt = \"p\",\n    author = \"a\"\n)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(prompt = \"p\",\n               author = \"a\")]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    author = \"a\" // c\n)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    author = \"a\", /* c */\n)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    author = \"a\" /* multi\n line */\n)]\nfn f() {}", "#[", "ai_generated"),
        ("struct P;\nimpl P {\n\t#[ai_generated(\n\t\tauthor = \"a\",\n\t)]\n\tpub fn f() {}\n}\n", "#[", "ai_generated"),
        ("#[ai_generated(\r\n    author = \"a\",\r\n)]\r\nfn f() {}\r\n", "#[", "ai_generated"),
        ("#[ai_generated(\r\n    author = \"a\"\r\n)]\r\nfn f() {}\r\n", "#[", "ai_generated"),
        ("#[ai_generated(prompt = r#\"(x) \"signed_off = \"y\"\" )]\"#)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(prompt = r##\"a \"# ) \"##, model = \"m\")]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(prompt = \"\\u{1F600} (\\\" ) \\\\\")]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(signed_off = \"old\")]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    author = \"a\",\n    signed_off = r#\"old\"#,\n    test_owner = \"b\",\n)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(ensures = |s: &str, out: &Result<u16, E>| s.contains(')') || out.is_ok())]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(\n    ensures = |signed_off: &u8, o: &u8| signed_off == o,\n)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated(strategy(b = b\"\\x00)\".to_vec()), cases = 10)]\nfn f(b: Vec<u8>) {}", "#[", "ai_generated"),
        ("#[ai_generated(ensures = |s: &&'static str, o: &char| *o != '\\'' && *o != ')')]\nfn f() {}", "#[", "ai_generated"),
        ("/// Doc with `#[ai_generated]`.\n#[inline]\n#[ai_generated(author = \"a\")] #[must_use]\n/** block doc ) */\npub fn f() -> u8 { 0 }", "#[ai_generated(", "ai_generated"),
        ("mod m {\n    /* outer /* nested ) */ */\n    #[ai_generated(\n        idempotent,\n        may_panic\n    )]\n    pub fn f() {}\n}\n", "#[", "ai_generated"),
        ("#[ai_generated(idempotent, deterministic)]\nfn f() {}", "#[", "ai_generated"),
        ("#[ai_generated]\nimpl P {\n    pub fn f() {}\n}\nstruct P;", "#[", "ai_generated"),
    ];
    let second = "carol 2026-12-01 fedcba9876543210";
    for (src, needle, path) in cases {
        let at = loc(src, needle, path);
        let out = write_signoff(src, &at, VALUE).unwrap_or_else(|e| panic!("{src:?}: {e}"));
        assert_only_signoff_changed(src, &out);
        assert_eq!(signed_off_values(&out), [VALUE], "{out}");
        let again = write_signoff(&out, &loc(&out, needle, path), second).unwrap();
        assert_eq!(signed_off_values(&again), [second], "{again}");
        // Re-signing changes only the literal.
        let literal = format!("{VALUE:?}");
        let at_lit = out.find(&literal).expect("literal present");
        assert_eq!(
            again,
            format!(
                "{}{second:?}{}",
                &out[..at_lit],
                &out[at_lit + literal.len()..]
            )
        );
    }
}
