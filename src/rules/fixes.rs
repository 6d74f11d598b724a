//! Building fixes: value replacements, insertions that follow the file's layout, Python imports.

use std::ops::Range;

use crate::fix::{Applicability, Edit, Fix};
use crate::model::{ArgList, OptionEntry, PyImports};
use crate::source::Lang;

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
    let applicability = if opt.value.literal && !shorthand {
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

/// A string literal found by [`string_literals`].
struct StringLiteral {
    /// From the opening quote to after the closing one.
    range: Range<usize>,
    quote: u8,
    /// Triple-quoted (docstrings) or a template literal: says nothing about the quote a person
    /// types for a short string.
    long: bool,
}

/// The outermost string literals of `text`, comments skipped (what is inside a string, such as
/// an f-string's replacement fields, is not looked into).
fn string_literals(text: &str, lang: Lang) -> Vec<StringLiteral> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The end of a string opened by `quote` (repeated `n` times) at `from`: after its closing
    // quote, an unescaped newline for a one-line string, or the end of the text.
    let skip_string = |from: usize, quote: u8, n: usize| -> usize {
        let closing = [quote; 3];
        let mut j = from + n;
        while j < bytes.len() {
            match bytes[j] {
                b'\\' => j += 2,
                b'\n' if n == 1 && quote != b'`' => return j,
                q if q == quote && bytes[j..].starts_with(&closing[..n]) => return j + n,
                _ => j += 1,
            }
        }
        bytes.len()
    };
    let skip_line = |from: usize| text[from..].find('\n').map_or(text.len(), |k| from + k);
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'#' if lang == Lang::Python => i = skip_line(i),
            b'/' if lang != Lang::Python && bytes.get(i + 1) == Some(&b'/') => i = skip_line(i),
            b'/' if lang != Lang::Python && bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(text.len(), |k| i + 2 + k + 2)
            }
            b'"' | b'\'' | b'`' if c != b'`' || lang != Lang::Python => {
                let n = if lang == Lang::Python && bytes[i..].starts_with(&[c; 3]) {
                    3
                } else {
                    1
                };
                let end = skip_string(i, c, n).min(bytes.len());
                out.push(StringLiteral {
                    range: i..end,
                    quote: c,
                    long: n == 3 || c == b'`',
                });
                i = end.max(i + 1);
            }
            _ => i += 1,
        }
    }
    out
}

/// The quote a person writing a string at `near` (the init call) would use: the one most of the
/// strings in `near` use, else the one most of the file's strings use, else `"`. Inside a string
/// (an f-string's replacement field) it is the other quote, which does not end that string.
pub(crate) fn quote_style(text: &str, lang: Lang, near: Range<usize>) -> char {
    let strings = string_literals(text, lang);
    if let Some(enclosing) = strings
        .iter()
        .find(|s| s.range.start < near.start && near.end <= s.range.end)
    {
        return if enclosing.quote == b'"' { '\'' } else { '"' };
    }
    let majority = |inside: &dyn Fn(usize) -> bool| {
        let (double, single) = strings
            .iter()
            .filter(|s| !s.long && inside(s.range.start))
            .fold((0, 0), |(d, s), lit| {
                if lit.quote == b'"' {
                    (d + 1, s)
                } else {
                    (d, s + 1)
                }
            });
        match double.cmp(&single) {
            std::cmp::Ordering::Less => Some('\''),
            std::cmp::Ordering::Greater => Some('"'),
            std::cmp::Ordering::Equal if double == 0 => None,
            std::cmp::Ordering::Equal => Some('"'),
        }
    };
    majority(&|at| near.contains(&at))
        .or_else(|| majority(&|_| true))
        .unwrap_or('"')
}

/// Does the list end with a trailing comma (`f(a, b,)`)?
pub(crate) fn has_trailing_comma(text: &str, list: &ArgList) -> bool {
    let close = list.range.end.saturating_sub(1);
    list.items.last().is_some_and(|last| {
        skip_blank(text, last.end, close).is_some_and(|at| text[at..].starts_with(','))
    })
}

/// The first byte from `from` (before `to`) that is neither whitespace nor in a `#` or `//`
/// comment.
fn skip_blank(text: &str, from: usize, to: usize) -> Option<usize> {
    let mut i = from;
    while i < to {
        let rest = &text[i..to];
        let c = rest.chars().next()?;
        if c.is_whitespace() {
            i += c.len_utf8();
        } else if rest.starts_with('#') || rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else {
            return Some(i);
        }
    }
    None
}

/// Insert `items` after the last item of a bracketed list, as a person would: one per line with the
/// same indentation when the list is written over several lines, inline otherwise; the trailing
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
    let comma = skip_blank(text, last.end, close).filter(|&at| text[at..].starts_with(','));
    let multiline = text[open..last.start].contains('\n');
    if !multiline {
        return match comma {
            Some(c) => vec![Edit::insert(c + 1, format!(" {},", items.join(", ")))],
            None => vec![Edit::insert(last.end, format!(", {}", items.join(", ")))],
        };
    }
    let line_start = text[..last.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let indent: String = text[line_start..last.start]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    // Continuation lines of a multi-line item are indented from the item's indentation.
    let lines: Vec<String> = items
        .iter()
        .map(|i| format!("\n{indent}{}", i.replace('\n', &format!("\n{indent}"))))
        .collect();
    let anchor = comma.map(|c| c + 1).unwrap_or(last.end);
    // The end of the line the last item (and its comma) ends on, before a `\r\n`.
    let eol = text[anchor..]
        .find('\n')
        .map(|i| anchor + i)
        .map(|i| {
            if i > 0 && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            }
        })
        .filter(|&eol| eol < close);
    match (eol, comma) {
        // The closing bracket is on a line of its own: new lines go before it, after any comment
        // that ends the last item's line.
        (Some(eol), Some(_)) => vec![Edit::insert(eol, lines.join(",") + ",")],
        (Some(eol), None) => {
            let lines = lines.join(",");
            if eol == last.end {
                vec![Edit::insert(last.end, format!(",{lines}"))]
            } else {
                vec![Edit::insert(last.end, ","), Edit::insert(eol, lines)]
            }
        }
        // The closing bracket follows the last item (`debug=False)`): the new items go on lines
        // of their own before it.
        (None, Some(c)) => vec![Edit::insert(c + 1, lines.join(",") + ",")],
        (None, None) => vec![Edit::insert(last.end, format!(",{}", lines.join(",")))],
    }
}

/// Remove one item of a bracketed list with its separator: its whole line when it stands on a line
/// of its own (with its comma and a trailing comment), else the item and the comma after it (or,
/// for the last item, the comma before it).
pub(crate) fn remove_item(text: &str, list: &ArgList, item: &Range<usize>) -> Option<Edit> {
    let idx = list.items.iter().position(|i| i == item)?;
    let close = list.range.end.saturating_sub(1);
    let line_start = text[..item.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let own_line = line_start > list.range.start && text[line_start..item.start].trim().is_empty();
    let after = skip_blank(text, item.end, close).unwrap_or(item.end);
    let after_comma = if text[after..].starts_with(',') {
        after + 1
    } else {
        item.end
    };
    if own_line {
        let eol = text[after_comma..].find('\n').map(|i| after_comma + i + 1);
        if let Some(eol) = eol.filter(|&e| e <= close + 1) {
            let rest = &text[after_comma..eol];
            let rest_trimmed = rest.trim();
            if rest_trimmed.is_empty()
                || rest_trimmed.starts_with('#')
                || rest_trimmed.starts_with("//")
            {
                return Some(Edit::replace(line_start..eol, ""));
            }
        }
    }
    match (idx + 1 < list.items.len(), idx > 0) {
        (true, _) => Some(Edit::replace(item.start..list.items[idx + 1].start, "")),
        (false, true) => Some(Edit::replace(
            list.items[idx - 1].end..after_comma.max(item.end),
            "",
        )),
        (false, false) => Some(Edit::replace(item.start..after_comma.max(item.end), "")),
    }
}

/// The entry whose key is at `key`, in the options or in the dicts and objects nested in them.
pub(crate) fn entry_at<'a>(
    options: &'a crate::model::Options,
    key: &Range<usize>,
) -> Option<(&'a OptionEntry, &'a crate::model::Options)> {
    let mut stack = vec![options];
    while let Some(o) = stack.pop() {
        for e in &o.entries {
            if e.key == *key {
                return Some((e, o));
            }
            if let Some(m) = e.value.value.map() {
                stack.push(m);
            }
        }
    }
    None
}

/// Set `key` to `value` in the init's `data_collection` (Python) or `dataCollection`
/// (JavaScript) literal: the entry's value is replaced, or the entry inserted. Without the option,
/// `create` adds it with that one key. Unsafe: it changes what is sent.
pub(crate) fn set_in_collection(
    text: &str,
    init: &crate::model::SentryInit,
    key: &str,
    value: &str,
    create: bool,
) -> Option<Fix> {
    let python = init.sdk == crate::model::Sdk::Python;
    let option = if python {
        "data_collection"
    } else {
        "dataCollection"
    };
    let written_key = if python {
        format!("\"{key}\": {value}")
    } else {
        format!("{key}: {value}")
    };
    let message = format!("set `{option}.{key}` to `{value}`");
    match init.options.get(option) {
        Some(dc) => {
            let map = dc.value.value.map()?;
            if let Some(e) = map.get(key) {
                return Some(Fix::unsafe_edit(
                    message,
                    vec![Edit::replace(e.value_range.clone(), value)],
                ));
            }
            let list = map.literal.as_ref()?;
            Some(Fix::unsafe_edit(
                message,
                insert_items(text, list, &[written_key]),
            ))
        }
        None if create && init.options.opaque.is_empty() => {
            let args = init.args.as_ref()?;
            let item = if python {
                format!("data_collection={{{written_key}}}")
            } else {
                format!("dataCollection: {{ {written_key} }}")
            };
            Some(Fix::unsafe_edit(message, insert_items(text, args, &[item])))
        }
        None => None,
    }
}

/// The indentation of the items of a list written over several lines (None when it is written
/// on one line): the indentation of the line its last item starts on, where new items go.
pub(crate) fn item_indent(text: &str, list: &ArgList) -> Option<String> {
    let last = list.items.last()?;
    if !text[list.range.start..last.start].contains('\n') {
        return None;
    }
    let line_start = text[..last.start].rfind('\n').map(|i| i + 1).unwrap_or(0);
    Some(
        text[line_start..last.start]
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

/// `*value` for a list display: parenthesised unless `value` is a primary (a name, attribute,
/// call, subscript or bracketed expression), since `*` binds tighter than `if`, `or`, `not`...
pub(crate) fn unpacked(value: &str) -> String {
    let mut depth = 0usize;
    let mut in_string: Option<char> = None;
    let mut primary = !value.is_empty();
    let mut prev = '\0';
    for c in value.chars() {
        match in_string {
            Some(q) => {
                if c == q && prev != '\\' {
                    in_string = None;
                }
            }
            None => match c {
                '"' | '\'' => in_string = Some(c),
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == '.') => {
                    primary = false;
                }
                _ => {}
            },
        }
        prev = c;
    }
    if primary {
        format!("*{value}")
    } else {
        format!("*({value})")
    }
}

/// Where an attribute goes in a JSX opening tag: after the element name and its type arguments
/// (`<Select<Option>`), which the name ends before.
pub(crate) fn jsx_attribute_at(text: &str, name_end: usize, tag_end: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(open) = skip_blank(text, name_end, tag_end).filter(|&i| bytes[i] == b'<') else {
        return name_end;
    };
    let mut depth = 0usize;
    let mut i = open;
    while i < tag_end {
        match bytes[i] {
            b'<' => depth += 1,
            // `=>` of a function type does not close a type argument list.
            b'>' if i > 0 && bytes[i - 1] == b'=' => {}
            b'>' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            q @ (b'"' | b'\'' | b'`') => {
                i += 1;
                while i < tag_end && bytes[i] != q {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    name_end
}

/// Make `names` of `sentry_sdk.scrubber` importable, in the order isort (and ruff's `I` rules)
/// keep: into an existing `from sentry_sdk.scrubber import ...`, each name at its sorted place
/// (one per line when its names are written one per line in parentheses), or as a new line among
/// the module's imports, after the plain `import` lines of the section that holds the Sentry imports
/// and before the first `from` import whose module sorts after it. Returns the edits and the local
/// name of each.
pub(crate) fn scrubber_imports(
    text: &str,
    imports: &PyImports,
    names: &[&str],
) -> (Vec<Edit>, Vec<String>) {
    let locals: Vec<String> = names
        .iter()
        .map(|n| imports.local(n).unwrap_or(n).to_string())
        .collect();
    let mut missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| imports.local(n).is_none())
        .collect();
    if missing.is_empty() {
        return (vec![], locals);
    }
    missing.sort_by(|a, b| member_order(a, b));
    let edits = match &imports.scrubber {
        Some((_, at)) => {
            let stmt = imports
                .top
                .iter()
                .find(|s| s.from && s.names.last().is_some_and(|n| n.1.end == *at));
            let mut edits = Vec::new();
            let mut last: Vec<&str> = Vec::new();
            // Names that sort before an existing one go in front of it, together.
            let mut before: Vec<(usize, Vec<&str>)> = Vec::new();
            for m in &missing {
                let next = stmt.and_then(|s| {
                    s.names
                        .iter()
                        .find(|(n, _)| member_order(m, n) == std::cmp::Ordering::Less)
                });
                match next {
                    Some((_, r)) => match before.iter_mut().find(|(at, _)| *at == r.start) {
                        Some((_, list)) => list.push(m),
                        None => before.push((r.start, vec![m])),
                    },
                    None => last.push(m),
                }
            }
            let parenthesised = parenthesised_names(text, *at);
            for (start, list) in before {
                let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                let prefix = &text[line_start..start];
                let own_line = parenthesised.is_some() && prefix.trim().is_empty();
                let content = if own_line {
                    list.iter()
                        .map(|n| format!("{n},\n{prefix}"))
                        .collect::<String>()
                } else {
                    list.iter().map(|n| format!("{n}, ")).collect::<String>()
                };
                edits.push(Edit::insert(start, content));
            }
            if !last.is_empty() {
                match parenthesised {
                    Some(list) => edits.extend(insert_items(
                        text,
                        &list,
                        &last.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
                    )),
                    None => edits.push(Edit::insert(*at, format!(", {}", last.join(", ")))),
                }
            }
            edits
        }
        None => {
            let line = format!("from sentry_sdk.scrubber import {}", missing.join(", "));
            match sorted_position(text, imports) {
                Some(at) if at == text.len() && !text.ends_with('\n') => {
                    vec![Edit::insert(at, format!("\n{line}"))]
                }
                Some(at) => vec![Edit::insert(at, format!("{line}\n"))],
                None => vec![new_import_block(text, imports, &line)],
            }
        }
    };
    (edits, locals)
}

/// isort's order of modules and names: case-insensitive, numbers by value, then as written.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn chunks(s: &str) -> Vec<(bool, String)> {
        let mut out: Vec<(bool, String)> = Vec::new();
        for c in s.chars().flat_map(char::to_lowercase) {
            let digit = c.is_ascii_digit();
            match out.last_mut() {
                Some((d, chunk)) if *d == digit => chunk.push(c),
                _ => out.push((digit, c.to_string())),
            }
        }
        out
    }
    let (x, y) = (chunks(a), chunks(b));
    for (p, q) in x.iter().zip(&y) {
        let o = match (p.0, q.0) {
            (true, true) => {
                p.1.trim_start_matches('0')
                    .len()
                    .cmp(&q.1.trim_start_matches('0').len())
                    .then_with(|| p.1.trim_start_matches('0').cmp(q.1.trim_start_matches('0')))
            }
            _ => p.1.cmp(&q.1),
        };
        if o.is_ne() {
            return o;
        }
    }
    x.len().cmp(&y.len()).then_with(|| a.cmp(b))
}

/// isort's order of the names of a `from` import (`order-by-type`): constants, then classes, then
/// the rest, each in natural order.
fn member_order(a: &str, b: &str) -> std::cmp::Ordering {
    fn rank(n: &str) -> u8 {
        let cased_upper = n.chars().any(char::is_uppercase) && !n.chars().any(char::is_lowercase);
        if n.chars().count() > 1 && cased_upper {
            0
        } else if n.chars().next().is_some_and(char::is_uppercase) {
            1
        } else {
            2
        }
    }
    rank(a).cmp(&rank(b)).then_with(|| natural_order(a, b))
}

/// Where isort puts a new `from sentry_sdk.scrubber import ...` line: in the run of module-level
/// imports (not parted by a blank line) that holds the last Sentry import, after its plain `import`
/// lines and before its first `from` import of a module that sorts after `sentry_sdk.scrubber`.
/// None when the module imports nothing from `sentry_sdk` at its top.
fn sorted_position(text: &str, imports: &PyImports) -> Option<usize> {
    let top = &imports.top;
    let k = top
        .iter()
        .rposition(|s| s.module == "sentry_sdk" || s.module.starts_with("sentry_sdk."))?;
    let parted = |a: &crate::model::ImportStmt, b: &crate::model::ImportStmt| {
        text[a.range.end..b.range.start]
            .lines()
            .skip(1)
            .any(|l| l.trim().is_empty())
    };
    let mut lo = k;
    while lo > 0 && !parted(&top[lo - 1], &top[lo]) {
        lo -= 1;
    }
    let mut hi = k;
    while hi + 1 < top.len() && !parted(&top[hi], &top[hi + 1]) {
        hi += 1;
    }
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |i| i + 1);
    if let Some(next) = top[lo..=hi].iter().find(|s| {
        s.from && natural_order(&s.module, "sentry_sdk.scrubber") == std::cmp::Ordering::Greater
    }) {
        return Some(line_start(next.range.start));
    }
    let end = top[hi].range.end;
    Some(text[end..].find('\n').map_or(text.len(), |i| end + i + 1))
}

/// A new import line where no Sentry import is at the module's top: after the last import, else a
/// module docstring or the comments before the first statement, set off by blank lines as imports
/// are when it starts a block.
fn new_import_block(text: &str, imports: &PyImports, line: &str) -> Edit {
    let at = imports.new_line_at.min(text.len());
    let before = &text[..at];
    let previous_line = before
        .trim_end_matches(['\r', '\n'])
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .trim_start();
    // `new_line_at` follows the last import, else a module docstring or the comments before the
    // first statement.
    let after_import =
        at > 0 && !previous_line.starts_with('#') && !previous_line.ends_with(['"', '\'']);
    let newline_before = if at > 0 && !before.ends_with('\n') {
        "\n"
    } else {
        ""
    };
    let next_line = text[at..].lines().next().unwrap_or("");
    let blank_after = if next_line.trim().is_empty() {
        ""
    } else {
        "\n"
    };
    let content = if after_import {
        format!("{newline_before}{line}\n")
    } else if at == 0 {
        format!("{line}\n{blank_after}")
    } else {
        format!("{newline_before}\n{line}\n{blank_after}")
    };
    Edit::insert(at, content)
}

/// The names of `from module import (a, b)` as a list, given where the last name ends; None when
/// they are not in parentheses.
fn parenthesised_names(text: &str, last_end: usize) -> Option<ArgList> {
    let open = text[..last_end].rfind('(')?;
    if !text[..open].trim_end().ends_with("import") || text[open..last_end].contains(')') {
        return None;
    }
    let close = last_end + text[last_end..].find(')')?;
    let after_separator = text[open + 1..last_end]
        .rfind(',')
        .map_or(open + 1, |i| open + 1 + i + 1);
    let last_start = skip_blank(text, after_separator, last_end)?;
    Some(ArgList {
        range: open..close + 1,
        items: std::iter::once(last_start..last_end).collect(),
    })
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
            "init(\n    dsn=DSN,\n    debug=False,\n    x=1)\n"
        );
        assert_eq!(
            insert("init(dsn=DSN,\n     debug=False,)", "x=1"),
            "init(dsn=DSN,\n     debug=False,\n     x=1,)"
        );
    }

    #[test]
    fn comma_after_a_comment_line() {
        assert_eq!(
            insert("init(\n    dsn=DSN  # why\n    ,\n)\n", "x=1"),
            "init(\n    dsn=DSN  # why\n    ,\n    x=1,\n)\n"
        );
    }

    #[test]
    fn quote_style_of_the_call_then_of_the_file() {
        let py = "'''Doc.'''\nA = 'a'  # don't\nf(\"x\")\ng(y)\nB = 'b'\n";
        let call = |name: &str| {
            let at = py.find(name).unwrap();
            at..at + py[at..].find(')').unwrap() + 1
        };
        assert_eq!(quote_style(py, Lang::Python, call("f(")), '"');
        assert_eq!(quote_style(py, Lang::Python, call("g(")), '\'');
        assert_eq!(quote_style("x = 1  # it's\n", Lang::Python, 0..5), '"');
        let js = "// it's\nconst a = `it's`;\n/* 'x' */ f(b);\n";
        assert_eq!(quote_style(js, Lang::Tsx, 0..js.len()), '"');
        assert_eq!(quote_style("f('a')", Lang::Tsx, 0..6), '\'');
        // Inside an f-string's replacement field: the quote that does not end the string.
        let py = "x = 'a'\nprint(f\"{init(dsn=DSN)}\")\n";
        let at = py.find("init").unwrap();
        assert_eq!(quote_style(py, Lang::Python, at..at + 13), '\'');
    }

    #[test]
    fn unpacking_parenthesises_looser_operators() {
        assert_eq!(unpacked("KEYS"), "*KEYS");
        assert_eq!(unpacked("settings.SCRUB_KEYS"), "*settings.SCRUB_KEYS");
        assert_eq!(unpacked("get_keys(a, b)[0]"), "*get_keys(a, b)[0]");
        assert_eq!(unpacked("(A if X else B)"), "*(A if X else B)");
        assert_eq!(unpacked("A if X else B"), "*(A if X else B)");
        assert_eq!(unpacked("A or []"), "*(A or [])");
        assert_eq!(unpacked("A + B"), "*(A + B)");
    }

    #[test]
    fn jsx_attributes_go_after_type_arguments() {
        // `name_end` is where the element name ends: after `div`, `Select`, `T`.
        assert_eq!(jsx_attribute_at("<div className=\"a\">", 4, 19), 4);
        let tag = "<Select<string> a={1} />";
        assert_eq!(jsx_attribute_at(tag, 7, tag.len()), 15);
        let tag = "<T<Map<K, () => V>> />";
        assert_eq!(jsx_attribute_at(tag, 2, tag.len()), 19);
        let tag = "<T<\"a>b\">>";
        assert_eq!(jsx_attribute_at(tag, 2, tag.len()), 9);
    }

    #[test]
    fn imports_are_merged_or_added() {
        // The import sites as the parser finds them.
        let fixed = |text: &str, names: &[&str]| {
            let file = crate::source::SourceFile::new(
                "t.py".into(),
                "t.py".into(),
                crate::source::Lang::Python,
                text.to_string(),
            );
            let imports = crate::lang::extract(&file, None, None).imports;
            let (edits, locals) = scrubber_imports(text, &imports, names);
            (apply(text, &[&Fix::safe("t", edits)]).0, locals)
        };
        // Into an existing import, each name at its sorted place: constants, classes, the rest.
        let (out, locals) = fixed(
            "import os\nfrom sentry_sdk.scrubber import EventScrubber\n\nx = 1\n",
            &["EventScrubber", "DEFAULT_DENYLIST"],
        );
        assert_eq!(locals, ["EventScrubber", "DEFAULT_DENYLIST"]);
        assert_eq!(
            out,
            "import os\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n\nx = 1\n"
        );
        assert_eq!(
            fixed(
                "from sentry_sdk.scrubber import (\n    EventScrubber,  # scrubs\n)\n",
                &["DEFAULT_DENYLIST"]
            )
            .0,
            "from sentry_sdk.scrubber import (\n    DEFAULT_DENYLIST,\n    EventScrubber,  # scrubs\n)\n"
        );
        assert_eq!(
            fixed(
                "from sentry_sdk.scrubber import (EventScrubber)\n",
                &["DEFAULT_DENYLIST"]
            )
            .0,
            "from sentry_sdk.scrubber import (DEFAULT_DENYLIST, EventScrubber)\n"
        );
        assert_eq!(
            fixed(
                "from sentry_sdk.scrubber import DEFAULT_DENYLIST\n",
                &["EventScrubber"]
            )
            .0,
            "from sentry_sdk.scrubber import DEFAULT_DENYLIST, EventScrubber\n"
        );
        // A backslash continuation is not a parenthesised list.
        assert_eq!(
            fixed(
                "f(x)\nfrom sentry_sdk.scrubber import Aa, \\\n    b\n",
                &["DEFAULT_DENYLIST", "EventScrubber"]
            )
            .0,
            "f(x)\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST, Aa, \\\n    EventScrubber, b\n"
        );
        // A new line: after the section's plain imports, before the `from` imports that sort
        // after it.
        assert_eq!(
            fixed(
                "import os\n\nimport sentry_sdk\nimport structlog\nfrom sentry_sdk.integrations.fastapi import FastApiIntegration\nfrom starlette.requests import Request\n\nx = 1\n",
                &["DEFAULT_DENYLIST"]
            )
            .0,
            "import os\n\nimport sentry_sdk\nimport structlog\nfrom sentry_sdk.integrations.fastapi import FastApiIntegration\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST\nfrom starlette.requests import Request\n\nx = 1\n"
        );
        assert_eq!(
            fixed(
                "import sentry_sdk\nimport structlog\n\nfrom app import settings\n",
                &["DEFAULT_DENYLIST"]
            )
            .0,
            "import sentry_sdk\nimport structlog\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST\n\nfrom app import settings\n"
        );
        assert_eq!(
            fixed("import sentry_sdk", &["DEFAULT_DENYLIST"]).0,
            "import sentry_sdk\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST"
        );
        // Without a Sentry import at the top: after the last import.
        assert_eq!(
            fixed("import os\nx = 1", &["DEFAULT_DENYLIST"]).0,
            "import os\nfrom sentry_sdk.scrubber import DEFAULT_DENYLIST\nx = 1"
        );
    }

    #[test]
    fn isort_orders() {
        use std::cmp::Ordering::*;
        assert_eq!(member_order("DEFAULT_DENYLIST", "EventScrubber"), Less);
        assert_eq!(member_order("EventScrubber", "scrub"), Less);
        assert_eq!(member_order("A", "B_C"), Greater, "one letter is a class");
        assert_eq!(
            natural_order("sentry_sdk.integrations", "sentry_sdk.scrubber"),
            Less
        );
        assert_eq!(natural_order("Starlette", "sentry_sdk"), Greater);
        assert_eq!(natural_order("a2", "a10"), Less);
    }
}
