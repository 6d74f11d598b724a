//! SPA301 customer-field-in-event (AC5): a field named in `sensitive_fields` holds a value that is not scrubbed.
//!
//! **What:** a key named in `sensitive_fields` (in any case, at any depth: `extra`, `contexts`,
//! request data, frame `vars`, breadcrumbs, tags as pairs or `{key, value}` objects, nested lists)
//! whose value, or any value inside it, is neither removed (`null`), empty, `[Filtered]` or another
//! bracketed placeholder, nor all `*`.
//!
//! **Why:** these are the fields that carry customer content (ticket bodies, AI transcripts). An
//! event that holds one shows that the content reached Sentry: AC5 fails.
//!
//! **Example:** `exception.values[0].stacktrace.frames[3].vars.ticket_data` is
//! `"My printer on floor 3…"` in an error event.
//!
//! **Fix safety:** no fix; drop the field in `before_send` (`check` reports SPA002 where the
//! scrubbing is missing) or apply `scrub-rules` in the project's settings. The finding names the
//! field and its JSON path, never the value.

/// The configured field this key names (the fields are lower case), if any.
pub fn field_of<'f>(key: &str, fields_lower: &'f [String]) -> Option<&'f str> {
    fields_lower
        .iter()
        .find(|f| f.eq_ignore_ascii_case(key))
        .map(String::as_str)
}

/// Is this string a scrubbed value: empty, all `*` (masked), or a bracketed placeholder such as
/// `[Filtered]`, `[redacted]`, `[email]`, `[Object]`?
#[inline(always)]
pub fn is_scrubbed(s: &str) -> bool {
    // Most values start, after any spaces (an indented line of code), with a printable character
    // that none of these can start with.
    let b = s.as_bytes();
    // Where the spaces end, or (eight of them) the eighth byte: of eight bytes at once, without a
    // branch on each.
    let i = match b.first_chunk::<8>() {
        Some(eight) => (u64::from_le_bytes(*eight) ^ 0x2020_2020_2020_2020).trailing_zeros() / 8,
        None => b.iter().take_while(|c| **c == b' ').count() as u32,
    };
    match b.get(i as usize) {
        Some(&c) if starts_unscrubbed(c) => false,
        _ => is_scrubbed_after_spaces(s),
    }
}

/// Whether a value whose first byte (after any white space) is `c` is not scrubbed, told from that
/// byte alone: a printable character that none of the scrubbed forms starts with.
#[inline(always)]
pub fn starts_unscrubbed(c: u8) -> bool {
    c.is_ascii_graphic() && c != b'*' && c != b'['
}

/// [`is_scrubbed`] of a value that starts with white space, `*`, `[`, another byte or nothing.
#[inline(never)]
fn is_scrubbed_after_spaces(s: &str) -> bool {
    // A placeholder with no white space around it, as the SDKs write it (`[Filtered]`): what
    // the last test below tells of it once trimmed, which it is already.
    if let [b'[', inner @ .., b']'] = s.as_bytes() {
        if s.len() <= 24 && inner.iter().all(|c| is_placeholder_byte(*c)) {
            return true;
        }
    }
    // Most values start (after spaces) with a printable character that none of these can start
    // with. (Other white space, such as a vertical tab, is left to `trim`.)
    let b = s.as_bytes();
    let first = b
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
    match first.map(|i| b[i]) {
        None => return true,
        Some(c) if starts_unscrubbed(c) => return false,
        Some(_) => {}
    }
    let t = s.trim();
    if t.is_empty() || t.chars().all(|c| c == '*' || c.is_whitespace()) {
        return true;
    }
    let b = t.as_bytes();
    b.len() <= 24
        && b[0] == b'['
        && b[b.len() - 1] == b']'
        && b[1..b.len() - 1].iter().all(|c| is_placeholder_byte(*c))
}

/// A byte of what a placeholder holds between its brackets (`Filtered`, `us-ssn`).
fn is_placeholder_byte(c: u8) -> bool {
    c.is_ascii_alphabetic() || matches!(c, b'-' | b' ' | b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubbed_values() {
        for s in [
            "",
            "  ",
            "\u{b}[Filtered]",
            "*****",
            "[Filtered]",
            "[redacted]",
            "[email]",
            "[us-ssn]",
            "[Array]",
            "    [Filtered]",
            "   ***",
            "  \t[redacted] ",
            "     ",
            "[]",
            "[Filtered value_x]",
            " [Filtered]\n",
        ] {
            assert!(is_scrubbed(s), "{s:?}");
        }
        for s in [
            "x",
            "[1, 2]",
            "**a**",
            "[Filtered] but not quite",
            "Printer",
            "  Printer",
            "\u{b}Printer",
            "é [Filtered]",
            "\u{0}",
            "~",
            "    return result",
            "   [1]",
            "  \t**a",
            "[Filtered]]",
            "[0]",
            "[a very long placeholder text]",
            "[",
            "]",
        ] {
            assert!(!is_scrubbed(s), "{s:?}");
        }
    }

    /// The quick look at the first bytes tells what the whole test tells, on strings of the bytes
    /// that matter around eight bytes long.
    #[test]
    fn the_quick_look_agrees_with_the_whole_test() {
        let bytes = b" \t*[]aF-\n";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut scrubbed = 0;
        for round in 0..100_000 {
            let len = round % 14;
            let s: String = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    // Mostly spaces, for runs of them.
                    let k = (seed >> 32) as usize % (bytes.len() + 6);
                    char::from(*bytes.get(k).unwrap_or(&b' '))
                })
                .collect();
            assert_eq!(is_scrubbed(&s), is_scrubbed_after_spaces(&s), "{s:?}");
            scrubbed += usize::from(is_scrubbed(&s));
        }
        assert!(scrubbed > 10_000 && scrubbed < 90_000, "{scrubbed}");
    }

    #[test]
    fn fields_match_in_any_case() {
        let fields = vec!["ticket_data".to_string()];
        assert_eq!(field_of("Ticket_Data", &fields), Some("ticket_data"));
        assert_eq!(field_of("ticket", &fields), None);
    }
}
