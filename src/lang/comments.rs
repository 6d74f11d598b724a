//! Inline suppressions, found through the parser's comment nodes (never by scanning lines, so a
//! string that looks like one is not one):
//!
//! ```text
//! send_default_pii=True,  # sentry-privacy-audit: ignore[SPA001] -- staging only
//! // sentry-privacy-audit: ignore[SPA101, SPA102]
//! {/* sentry-privacy-audit: ignore[SPA201] -- static marketing page */}
//! ```
//!
//! A comment trailing a line applies to that line; a comment alone on its line applies to the next
//! line. The reason after ` -- ` is kept. [`crate::suppress`] matches them with the findings.

use tree_sitter::Node;

use crate::model::InlineSuppression;
use crate::source::SourceFile;

pub const MARKER: &str = "sentry-privacy-audit:";

/// Find the suppression comments of a file.
pub fn find(root: Node, file: &SourceFile) -> Vec<InlineSuppression> {
    let text = &file.text;
    if !text.contains(MARKER) {
        return vec![];
    }
    let mut out = Vec::new();
    super::walk(root, |n| {
        if n.kind() == "comment" {
            if let Some(s) = parse(n, file) {
                out.push(s);
            }
            return false;
        }
        true
    });
    out
}

fn parse(comment: Node, file: &SourceFile) -> Option<InlineSuppression> {
    let text = &file.text;
    let body = &text[comment.byte_range()];
    let at = body.find(MARKER)?;
    let rest = &body[at + MARKER.len()..];
    let after_ws = rest.trim_start();
    let directive = after_ws.strip_prefix("ignore[")?;
    let close = directive.find(']')?;
    let list_start =
        comment.start_byte() + at + MARKER.len() + (rest.len() - after_ws.len()) + "ignore[".len();
    let mut codes = Vec::new();
    let mut offset = 0;
    for part in directive[..close].split(',') {
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let lead = part.len() - part.trim_start().len();
            let start = list_start + offset + lead;
            codes.push((trimmed.to_ascii_uppercase(), start..start + trimmed.len()));
        }
        offset += part.len() + 1;
    }
    let tail = &directive[close + 1..];
    let tail_clean = tail.trim_end().trim_end_matches("*/").trim_end();
    let reason = tail_clean
        .trim_start()
        .strip_prefix("--")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    // The comment node, or the `{/* */}` around it in JSX.
    let outer = comment
        .parent()
        .filter(|p| p.kind() == "jsx_expression" && p.named_child_count() == 1)
        .unwrap_or(comment);
    let line_start = text[..outer.start_byte()]
        .rfind('\n')
        .map(|i| i + 1)
        .unwrap_or(0);
    let alone = text[line_start..outer.start_byte()].trim().is_empty();
    let line = file.line_col(outer.start_byte()).line + usize::from(alone);
    let opener_only = body[..at]
        .trim_start_matches(['#', '/', '*'])
        .trim()
        .is_empty();
    let directive_end = comment.start_byte() + body.len() - (tail.len() - tail_clean.len());
    let removal = if !opener_only {
        // Other words in the comment: take out only the directive.
        let start = comment.start_byte() + at;
        start..directive_end
    } else if alone {
        let line_end = text[outer.end_byte()..]
            .find('\n')
            .map(|i| outer.end_byte() + i + 1)
            .unwrap_or(text.len());
        line_start..line_end
    } else {
        let before = text[..outer.start_byte()]
            .trim_end_matches([' ', '\t'])
            .len();
        before..outer.end_byte()
    };
    Some(InlineSuppression {
        line,
        codes,
        reason,
        removal,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Lang;

    fn sups(lang: Lang, text: &str) -> (SourceFile, Vec<InlineSuppression>) {
        let file = SourceFile::new("t".into(), "t".into(), lang, text.into());
        let tree = crate::lang::parse(lang, &file.text);
        let s = find(tree.root_node(), &file);
        (file, s)
    }

    #[test]
    fn trailing_and_preceding_comments() {
        let text = "init(\n    a=1,  # sentry-privacy-audit: ignore[SPA004, spa005] -- reviewed\n    # sentry-privacy-audit: ignore[SPA001]\n    b=2,\n)\n";
        let (file, s) = sups(Lang::Python, text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 2);
        assert_eq!(
            s[0].codes.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(),
            ["SPA004", "SPA005"]
        );
        assert_eq!(&file.text[s[0].codes[1].1.clone()], "spa005");
        assert_eq!(s[0].reason.as_deref(), Some("reviewed"));
        assert_eq!(
            &file.text[s[0].removal.clone()],
            "  # sentry-privacy-audit: ignore[SPA004, spa005] -- reviewed"
        );
        assert_eq!(s[1].line, 4);
        assert_eq!(
            &file.text[s[1].removal.clone()],
            "    # sentry-privacy-audit: ignore[SPA001]\n"
        );
    }

    #[test]
    fn strings_are_not_comments() {
        let (_, s) = sups(
            Lang::Python,
            "x = '# sentry-privacy-audit: ignore[SPA001]'\n",
        );
        assert!(s.is_empty());
    }

    #[test]
    fn jsx_and_block_comments() {
        let text = "const A = () => (\n  <div>\n    {/* sentry-privacy-audit: ignore[SPA201] -- static */}\n    <p/>\n  </div>\n);\nf(); /* sentry-privacy-audit: ignore[SPA105] */\n";
        let (file, s) = sups(Lang::Tsx, text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 4);
        assert_eq!(s[0].reason.as_deref(), Some("static"));
        assert_eq!(
            &file.text[s[0].removal.clone()],
            "    {/* sentry-privacy-audit: ignore[SPA201] -- static */}\n"
        );
        assert_eq!(s[1].line, 7);
        assert_eq!(
            &file.text[s[1].removal.clone()],
            " /* sentry-privacy-audit: ignore[SPA105] */"
        );
    }

    #[test]
    fn other_words_in_the_comment_are_kept() {
        let text = "x = 1  # noqa: E501 sentry-privacy-audit: ignore[SPA001]\n";
        let (file, s) = sups(Lang::Python, text);
        assert_eq!(
            &file.text[s[0].removal.clone()],
            "sentry-privacy-audit: ignore[SPA001]"
        );
    }
}
