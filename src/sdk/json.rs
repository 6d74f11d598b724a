//! JSON and JSONC through jsonc-parser's syntax tree, which keeps the position of every value
//! (package.json, package-lock.json, Pipfile.lock strictly; bun.lock with comments and trailing
//! commas).

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions};

use super::read::{Lines, Problem};

/// A parsed document and its line index.
pub(crate) struct Doc<'a> {
    /// The top-level value.
    pub root: Value<'a>,
    /// Line starts of the text, for positions.
    pub lines: Lines,
}

impl Doc<'_> {
    /// The 1-based line where a node starts.
    pub fn line(&self, node: &impl Ranged) -> usize {
        self.lines.line(node.start())
    }

    /// The root object, or a problem naming what the file should be.
    pub fn root_object(&self) -> Result<&Object<'_>, Problem> {
        match &self.root {
            Value::Object(o) => Ok(o),
            other => Err(Problem::at(
                self.line(other),
                "the top level should be a JSON object",
            )),
        }
    }

    /// The object under `key`: `Ok(None)` when absent or null, a problem when another type.
    pub fn object_at<'o, 'a>(
        &self,
        obj: &'o Object<'a>,
        key: &str,
    ) -> Result<Option<&'o Object<'a>>, Problem> {
        match obj.get(key).map(|p| &p.value) {
            None | Some(Value::NullKeyword(_)) => Ok(None),
            Some(Value::Object(o)) => Ok(Some(o)),
            Some(other) => Err(Problem::at(
                self.line(other),
                format!("`{key}` should be an object"),
            )),
        }
    }

    /// The string under `key`: `Ok(None)` when absent, a problem when another type.
    pub fn string_at<'o>(
        &self,
        obj: &'o Object<'_>,
        key: &str,
    ) -> Result<Option<(&'o str, usize)>, Problem> {
        match obj.get(key).map(|p| &p.value) {
            None => Ok(None),
            Some(Value::StringLit(s)) => Ok(Some((s.value.as_ref(), self.line(s)))),
            Some(other) => Err(Problem::at(
                self.line(other),
                format!("`{key}` should be a string"),
            )),
        }
    }
}

/// Parse strict JSON (no comments, no trailing commas).
pub(crate) fn parse_strict(text: &str) -> Result<Doc<'_>, Problem> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    parse_with(text, &options, "JSON")
}

/// Parse JSONC (comments and trailing commas allowed), as bun.lock is written.
pub(crate) fn parse_jsonc(text: &str) -> Result<Doc<'_>, Problem> {
    let options = ParseOptions {
        allow_loose_object_property_names: false,
        allow_missing_commas: false,
        ..ParseOptions::default()
    };
    parse_with(text, &options, "JSONC")
}

/// Parse with the given options; an empty document is a problem.
fn parse_with<'a>(text: &'a str, options: &ParseOptions, what: &str) -> Result<Doc<'a>, Problem> {
    let parsed = jsonc_parser::parse_to_ast(text, &CollectOptions::default(), options)
        .map_err(|e| Problem::at(e.line_display(), format!("invalid {what}: {}", e.kind())))?;
    let root = parsed
        .value
        .ok_or_else(|| Problem::at(1, format!("invalid {what}: the file is empty")))?;
    Ok(Doc {
        root,
        lines: Lines::new(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_rejects_trailing_commas_with_a_line() {
        let err = parse_strict("{\n  \"a\": 1,\n}\n").err().unwrap();
        assert_eq!(err.line, Some(2), "{}", err.message);
        assert!(err.message.starts_with("invalid JSON"));
        assert!(parse_jsonc("{\n  \"a\": [1,],\n}\n").is_ok());
    }

    #[test]
    fn truncated_json_names_a_line() {
        let err = parse_strict("{\n  \"a\": {\n    \"b\": 1\n").err().unwrap();
        assert!(err.line.is_some());
        let err = parse_strict("").err().unwrap();
        assert_eq!(err.line, Some(1));
    }

    #[test]
    fn values_know_their_lines() {
        let doc = parse_strict("{\n  \"a\": {\n    \"b\": \"x\"\n  },\n  \"c\": 5\n}").unwrap();
        let root = doc.root_object().unwrap();
        let a = doc.object_at(root, "a").unwrap().unwrap();
        assert_eq!(doc.string_at(a, "b").unwrap(), Some(("x", 3)));
        let err = doc.object_at(root, "c").err().unwrap();
        assert_eq!(err, Problem::at(5, "`c` should be an object"));
    }
}
