//! Hints: what the generator knows about a parameter (its name, its function's name, the literals the body
//! compares against) and the weights of the attack mix.

/// Bias for strategies, built by generated code from literals.
#[derive(Clone, Copy, Debug)]
pub struct Hints {
    /// The function's name (`parse_port`): `parse_*`, `decode_*`, `sanitize_*`... sharpen the mix.
    pub function: &'static str,
    /// The parameter's name (`path`, `len`, `index`...).
    pub param: &'static str,
    /// String literals mined from the function body.
    pub strings: &'static [&'static str],
    /// Integer literals mined from the function body.
    pub ints: &'static [i128],
    /// Byte literals mined from the function body (`b"\x89PNG"`, `b'P'` runs, `[0x89, b'P', ...]` arrays
    /// compared with `starts_with`/`==`): magics, tags and markers of a binary format.
    pub bytes: &'static [&'static [u8]],
    /// Valid inputs: the function's own doc examples and those of the constructors its inputs are built with
    /// (and the literals the package's tests pass to them): prefixes for nesting, numeric slots to overflow.
    pub examples: &'static [&'static str],
    /// The function's string literals in the order its body uses them (format template pieces included):
    /// keyword compositions (`GET ` + `timeout` + `:` + a boundary number).
    pub words: &'static [&'static str],
    /// Float literals mined from the function body.
    pub floats: &'static [f64],
}

impl Hints {
    /// No hints: the plain attack mix.
    pub const NONE: Hints = Hints {
        function: "",
        param: "",
        strings: &[],
        ints: &[],
        bytes: &[],
        examples: &[],
        words: &[],
        floats: &[],
    };

    /// The same hints for another parameter name (elements of a collection keep the collection's name).
    #[must_use]
    pub const fn with_param(self, param: &'static str) -> Hints {
        Hints { param, ..self }
    }

    /// What the parameter's name says about it; when it says nothing, what the function's name says
    /// (`sanitize_filename(name)` takes a path).
    #[must_use]
    pub fn param_role(&self) -> ParamRole {
        match ParamRole::of(self.param) {
            ParamRole::Other => self
                .function
                .split('_')
                .skip(1)
                .map(ParamRole::of)
                .find(|r| *r != ParamRole::Other)
                .unwrap_or(ParamRole::Other),
            role => role,
        }
    }

    /// What the function's name says about it.
    #[must_use]
    pub fn function_role(&self) -> FunctionRole {
        FunctionRole::of(self.function)
    }
}

/// What a parameter name suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamRole {
    /// `path`, `file`, `dir`, `name` of a file...: traversal, absolute and drive paths.
    Path,
    /// `url`, `uri`, `href`, `link`, `host`, `addr`, `email`: scheme, authority and encoding tricks.
    Url,
    /// `len`, `index`, `count`, `size`, `offset`, `n`, `width`, `cap`...: small values and edges.
    Size,
    /// `port`: 0, 65535, 65536.
    Port,
    /// `query`, `sql`, `cmd`, `html`, `template`, `input`, `text`: injection payloads.
    Text,
    /// Nothing recognised.
    Other,
}

pub(crate) fn name_has(name: &str, words: &[&str]) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.split('_').any(|part| words.contains(&part)) || words.contains(&lower.as_str())
}

impl ParamRole {
    /// Classifies a parameter name by its `_`-separated words.
    #[must_use]
    pub fn of(name: &str) -> ParamRole {
        if name_has(
            name,
            &[
                "path",
                "file",
                "filename",
                "dir",
                "directory",
                "folder",
                "root",
                "base",
                "dest",
            ],
        ) {
            ParamRole::Path
        } else if name_has(
            name,
            &[
                "url", "uri", "href", "link", "host", "hostname", "domain", "addr", "email", "mail",
            ],
        ) {
            ParamRole::Url
        } else if name_has(name, &["port"]) {
            ParamRole::Port
        } else if name_has(
            name,
            &[
                "len", "length", "index", "idx", "i", "j", "k", "n", "count", "size", "offset",
                "pos", "position", "width", "height", "cap", "capacity", "limit", "max", "min",
                "start", "end", "depth", "num", "page",
            ],
        ) {
            ParamRole::Size
        } else if name_has(
            name,
            &[
                "query", "sql", "cmd", "command", "html", "template", "text", "input", "body",
                "msg", "message", "content",
            ],
        ) {
            ParamRole::Text
        } else {
            ParamRole::Other
        }
    }
}

/// What a function name suggests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionRole {
    /// `parse_*`, `decode_*`, `from_*`, `read_*`, `deserialize*`, `load_*`: malformed input matters most.
    Parser,
    /// `sanitize_*`, `escape_*`, `clean_*`, `normalize_*`, `validate_*`, `is_safe*`, `filter_*`: hostile input.
    Sanitizer,
    /// Nothing recognised.
    Other,
}

impl FunctionRole {
    /// Classifies a function name by its leading word.
    #[must_use]
    pub fn of(name: &str) -> FunctionRole {
        let first = name.split('_').next().unwrap_or("").to_ascii_lowercase();
        match first.as_str() {
            "parse" | "decode" | "from" | "read" | "deserialize" | "load" | "unpack"
            | "unescape" | "lex" | "tokenize" => FunctionRole::Parser,
            "sanitize" | "escape" | "clean" | "normalize" | "validate" | "filter" | "strip"
            | "quote" | "safe" | "resolve" | "join" | "check" => FunctionRole::Sanitizer,
            _ if first.starts_with("is") && name.contains("safe") => FunctionRole::Sanitizer,
            _ => FunctionRole::Other,
        }
    }
}

/// Weights of the four parts of an attack mix (relative; 0 turns a part off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    /// Edges: 0, ±1, MIN, MAX, powers of two ±1, NaN, ±inf, empty and one-element collections.
    pub boundary: u32,
    /// Almost-valid: invalid UTF-8, truncated sequences, unbalanced delimiters, near-numbers, length prefixes.
    pub malformed: u32,
    /// Hostile: traversal, injection payloads, multi-byte and bidi characters, huge inputs.
    pub adversarial: u32,
    /// Plain random values for breadth.
    pub random: u32,
    /// The function's own literals and their mutations (only when hints carry literals).
    pub literals: u32,
}

impl Mix {
    /// The default mix used by [`crate::Attack`] implementations.
    pub const DEFAULT: Mix = Mix {
        boundary: 30,
        malformed: 20,
        adversarial: 25,
        random: 25,
        literals: 30,
    };

    /// The default mix adjusted for what the hints say (parsers get more malformed input, sanitizers more
    /// adversarial input).
    #[must_use]
    pub fn for_hints(hints: &Hints) -> Mix {
        let mut mix = Mix::DEFAULT;
        match hints.function_role() {
            FunctionRole::Parser => mix.malformed += 15,
            FunctionRole::Sanitizer => mix.adversarial += 15,
            FunctionRole::Other => {}
        }
        if hints.strings.is_empty()
            && hints.ints.is_empty()
            && hints.bytes.is_empty()
            && hints.words.is_empty()
            && hints.floats.is_empty()
        {
            mix.literals = 0;
        }
        mix
    }
}

impl Default for Mix {
    fn default() -> Self {
        Mix::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_names_are_classified_by_word() {
        assert_eq!(ParamRole::of("file_path"), ParamRole::Path);
        assert_eq!(ParamRole::of("max_len"), ParamRole::Size);
        assert_eq!(ParamRole::of("base_url"), ParamRole::Path);
        assert_eq!(ParamRole::of("url"), ParamRole::Url);
        assert_eq!(ParamRole::of("port"), ParamRole::Port);
        assert_eq!(ParamRole::of("sql"), ParamRole::Text);
        assert_eq!(ParamRole::of("zebra"), ParamRole::Other);
    }

    #[test]
    fn function_names_are_classified_by_prefix() {
        assert_eq!(FunctionRole::of("parse_port"), FunctionRole::Parser);
        assert_eq!(
            FunctionRole::of("sanitize_filename"),
            FunctionRole::Sanitizer
        );
        assert_eq!(FunctionRole::of("area"), FunctionRole::Other);
    }

    #[test]
    fn literals_weigh_nothing_without_literals() {
        assert_eq!(Mix::for_hints(&Hints::NONE).literals, 0);
        let h = Hints {
            strings: &["x"],
            ..Hints::NONE
        };
        assert!(Mix::for_hints(&h).literals > 0);
    }
}
