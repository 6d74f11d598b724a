//! Building fixes: value replacements, insertions that follow the file's layout, Python imports.

use crate::fix::{Applicability, Edit, Fix};
use crate::model::{ArgList, OptionEntry, PyImports};

/// Is the source text itself a literal (`True`, `0.01`, `"medium"`), not a name or expression?
pub(crate) fn spelled_as_literal(text: &str) -> bool {
    matches!(
        text,
        "True" | "False" | "None" | "true" | "false" | "null" | "undefined"
    ) || text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '"' | '\'' | '`' | '.'))
        || (text.starts_with('-') && text[1..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Set an option's value. Replacing a literal is safe; replacing an expression is unsafe (it
/// overrides what the program decided at run time). A shorthand property (`{ sendDefaultPii }`)
/// becomes `sendDefaultPii: false`.
pub(crate) fn set_value(opt: &OptionEntry, new: &str) -> Fix {
    let shorthand = opt.key == opt.value_range && opt.entry == opt.key;
    let edit = if shorthand {
        Edit::replace(opt.entry.clone(), format!("{}: {new}", opt.name))
    } else {
        Edit::replace(opt.value_range.clone(), new)
    };
    let applicability = if spelled_as_literal(&opt.value.text) && !shorthand {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    Fix::new(
        applicability,
        format!("set `{}` to `{new}`", opt.name),
        vec![edit],
    )
}

/// The quote a file uses for strings in `segment`: the first quote found, else `"`.
pub(crate) fn quote_in(segment: &str) -> char {
    segment
        .chars()
        .find(|c| *c == '"' || *c == '\'')
        .unwrap_or('"')
}

/// Insert `items` after the last item of a bracketed list, as a person would: one per line with the
/// same indentation when the list is written one item per line, inline otherwise; the trailing
/// comma kept or added as the list already does; comments after the last item stay on its line.
pub(crate) fn insert_items(text: &str, list: &ArgList, items: &[String]) -> Vec<Edit> {
    let open = list.range.start;
    let close = list.range.end.saturating_sub(1);
    let Some(last) = list.items.last() else {
        // Empty list: `f()` → `f(x)`, `{}` → `{ x }`.
        let inner = &text[open + 1..close];
        let joined = items.join(", ");
        return if text[open..].starts_with('{') && inner.trim().is_empty() {
            vec![Edit::replace(open + 1..close, format!(" {joined} "))]
        } else {
            vec![Edit::insert(open + 1, joined)]
        };
    };
    let after = &text[last.end..close];
    let trimmed = after.trim_start();
    let comma = trimmed
        .starts_with(',')
        .then(|| last.end + (after.len() - trimmed.len()));
    let multiline = text[open..last.start].contains('\n');
    let anchor = comma.map(|c| c + 1).unwrap_or(last.end);
    let eol = text[anchor..].find('\n').map(|i| anchor + i).map(|i| {
        if i > 0 && text.as_bytes()[i - 1] == b'\r' {
            i - 1
        } else {
            i
        }
    });
    match eol {
        Some(eol) if multiline && eol < close => {
            let line_start = text[..last.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
            let indent: String = text[line_start..last.start]
                .chars()
                .take_while(|c| c.is_whitespace())
                .collect();
            // Continuation lines of a multi-line item are indented from the item's indentation.
            let lines: String = items
                .iter()
                .map(|i| format!("\n{indent}{},", i.replace('\n', &format!("\n{indent}"))))
                .collect();
            match comma {
                Some(_) => vec![Edit::insert(eol, lines)],
                None => {
                    // No trailing comma: add one to the last item, and none after the new ones.
                    let lines = lines.trim_end_matches(',').to_string();
                    if eol == last.end {
                        vec![Edit::insert(last.end, format!(",{lines}"))]
                    } else {
                        vec![Edit::insert(last.end, ","), Edit::insert(eol, lines)]
                    }
                }
            }
        }
        _ => match comma {
            Some(c) => vec![Edit::insert(c + 1, format!(" {},", items.join(", ")))],
            None => vec![Edit::insert(last.end, format!(", {}", items.join(", ")))],
        },
    }
}

/// The indentation of a list written one item per line (None when it is written inline).
pub(crate) fn item_indent(text: &str, list: &ArgList) -> Option<String> {
    let first = list.items.first()?;
    if !text[list.range.start..first.start].contains('\n') {
        return None;
    }
    let line_start = text[..first.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    Some(
        text[line_start..first.start]
            .chars()
            .take_while(|c| c.is_whitespace())
            .collect(),
    )
}

/// One level of indentation in the file's style: a tab, or four spaces.
pub(crate) fn indent_unit(indent: &str) -> &'static str {
    if indent.contains('\t') {
        "\t"
    } else {
        "    "
    }
}

/// Make `names` of `sentry_sdk.scrubber` importable: append them to an existing
/// `from sentry_sdk.scrubber import ...`, or add that line after the last import. Returns the edits
/// and the local name of each.
pub(crate) fn scrubber_imports(
    text: &str,
    imports: &PyImports,
    names: &[&str],
) -> (Vec<Edit>, Vec<String>) {
    let locals: Vec<String> = names
        .iter()
        .map(|n| imports.local(n).unwrap_or(n).to_string())
        .collect();
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| imports.local(n).is_none())
        .collect();
    if missing.is_empty() {
        return (vec![], locals);
    }
    let edit = match &imports.scrubber {
        Some((_, at)) => Edit::insert(*at, format!(", {}", missing.join(", "))),
        None => {
            let at = imports.new_line_at.min(text.len());
            let lead = if at > 0 && !text[..at].ends_with('\n') {
                "\n"
            } else {
                ""
            };
            Edit::insert(
                at,
                format!(
                    "{lead}from sentry_sdk.scrubber import {}\n",
                    missing.join(", ")
                ),
            )
        }
    };
    (vec![edit], locals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::apply;

    /// The outermost bracket pair and its top-level comma-separated items (for test texts only:
    /// `#` comments run to the end of the line and are not part of an item).
    fn list_of(text: &str) -> ArgList {
        let open = text.find(['(', '{', '[']).unwrap();
        let close = text.rfind([')', '}', ']']).unwrap();
        let bytes = text.as_bytes();
        let mut items = Vec::new();
        let (mut depth, mut start, mut end) = (0, None, 0);
        let mut i = open + 1;
        while i < close {
            let c = bytes[i] as char;
            if c == '#' {
                while i < close && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 && c == ',' {
                items.extend(start.take().map(|s| s..end));
            } else if !c.is_whitespace() {
                start.get_or_insert(i);
                end = i + 1;
            }
            i += 1;
        }
        items.extend(start.map(|s| s..end));
        ArgList {
            range: open..close + 1,
            items,
        }
    }

    fn insert(text: &str, item: &str) -> String {
        let edits = insert_items(text, &list_of(text), &[item.to_string()]);
        apply(text, &[&Fix::safe("t", edits)]).0
    }

    #[test]
    fn multiline_with_trailing_comma() {
        assert_eq!(
            insert("init(\n    dsn=DSN,\n    debug=False,\n)\n", "x=1"),
            "init(\n    dsn=DSN,\n    debug=False,\n    x=1,\n)\n"
        );
    }

    #[test]
    fn multiline_without_trailing_comma_and_a_comment() {
        assert_eq!(
            insert("init(\n\tdsn=DSN,\n\tdebug=False  # keep\n)\n", "x=1"),
            "init(\n\tdsn=DSN,\n\tdebug=False,  # keep\n\tx=1\n)\n"
        );
    }

    #[test]
    fn inline_calls() {
        assert_eq!(insert("init(dsn=DSN)", "x=1"), "init(dsn=DSN, x=1)");
        assert_eq!(insert("init(dsn=DSN,)", "x=1"), "init(dsn=DSN, x=1,)");
        assert_eq!(insert("init()", "x=1"), "init(x=1)");
        assert_eq!(insert("{}", "a: 1"), "{ a: 1 }");
    }

    #[test]
    fn closing_bracket_on_the_last_line() {
        assert_eq!(
            insert("init(\n    dsn=DSN,\n    debug=False)\n", "x=1"),
            "init(\n    dsn=DSN,\n    debug=False, x=1)\n"
        );
    }

    #[test]
    fn imports_are_merged_or_added() {
        let text = "import os\nfrom sentry_sdk.scrubber import EventScrubber\n\nx = 1\n";
        let imports = PyImports {
            scrubber: Some((
                vec![("EventScrubber".into(), "EventScrubber".into())],
                text.find("\n\nx").unwrap(),
            )),
            new_line_at: text.find("\nx").unwrap() + 1,
        };
        let (edits, locals) =
            scrubber_imports(text, &imports, &["EventScrubber", "DEFAULT_DENYLIST"]);
        assert_eq!(locals, ["EventScrubber", "DEFAULT_DENYLIST"]);
        assert_eq!(
            apply(text, &[&Fix::safe("t", edits)]).0,
            "import os\nfrom sentry_sdk.scrubber import EventScrubber, DEFAULT_DENYLIST\n\nx = 1\n"
        );
        let text = "import os\nx = 1";
        let imports = PyImports {
            scrubber: None,
            new_line_at: 10,
        };
        let (edits, _) = scrubber_imports(text, &imports, &["DEFAULT_DENYLIST"]);
        assert_eq!(
            apply(text, &[&Fix::safe("t", edits)]).0,
            "import os\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST\nx = 1"
        );
    }

    #[test]
    fn literal_spelling() {
        assert!(spelled_as_literal("True"));
        assert!(spelled_as_literal("0.01"));
        assert!(spelled_as_literal("-1"));
        assert!(spelled_as_literal("'medium'"));
        assert!(!spelled_as_literal("SEND_PII"));
        assert!(!spelled_as_literal("not DEBUG"));
        assert!(!spelled_as_literal("-x"));
    }
}
