//! The walk driven straight from the text of one JSON document held in memory (a line of a JSON
//! lines file, an event of an array), without serde_json's visitor in between: the same calls on
//! the [`Walk`], in the same order, as [`Walk::run`] makes over serde_json's parser.
//!
//! It accepts only what serde_json accepts, escapes and surrogate pairs included. A number with an
//! exponent, or of more than 300 digits, is checked by serde_json against its range. It gives up
//! ([`Unsure`]) on broken text and on a key given twice where keys must be unique; the caller then
//! undoes what the walk found and walks the text again with serde_json, which tells where and why
//! the text is broken.

use std::borrow::Cow;

use wide::u8x16;

use super::bytes::first16;
use super::walk::Walk;
use crate::evidence::rules::glance::short_is_plain;

/// The text is broken, or has a key given twice where keys must be unique.
#[derive(Debug, PartialEq, Eq)]
pub struct Unsure;

/// serde_json's recursion limit: the 128th array or object nested in one another is an error.
const MAX_DEPTH: u32 = 127;

/// Walk the one JSON value in `text`, with nothing but white space after it.
///
/// Where the processor has AVX2 and the bit instructions that come with it (x86-64-v3), the
/// parser's loops are the ones compiled for them ([`Text::nested_value`]): the same code, some 2% fewer
/// instructions and 2–3% less time.
pub fn walk_text<'a>(w: &mut Walk<'a>, text: &'a str) -> Result<(), Unsure> {
    #[cfg(test)]
    if BASELINE_ONLY.get() {
        return walk_text_as::<false>(w, text);
    }
    #[cfg(target_arch = "x86_64")]
    if has_v3() {
        return walk_text_as::<true>(w, text);
    }
    walk_text_as::<false>(w, text)
}

/// The features the loops compiled for x86-64-v3 use (checked once, then read from a cache).
#[cfg(target_arch = "x86_64")]
fn has_v3() -> bool {
    use std::arch::is_x86_feature_detected as has;
    has!("avx2") && has!("bmi1") && has!("bmi2") && has!("lzcnt") && has!("popcnt")
}

#[cfg(test)]
thread_local! {
    /// Tests: walk with the loops compiled for any x86-64 processor, whatever this one has.
    static BASELINE_ONLY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Run `f` with [`walk_text`] on the loops compiled for any processor (on this thread).
#[cfg(test)]
pub fn baseline_only<R>(f: impl FnOnce() -> R) -> R {
    BASELINE_ONLY.set(true);
    let r = f();
    BASELINE_ONLY.set(false);
    r
}

/// [`walk_text`] with the loops compiled for x86-64-v3 (`V3`, only where the processor has it)
/// or for any processor.
fn walk_text_as<'a, const V3: bool>(w: &mut Walk<'a>, text: &'a str) -> Result<(), Unsure> {
    w.src = text;
    let mut t = Text::<V3> {
        s: text,
        scratch: String::new(),
        i: 0,
        depth: 0,
    };
    t.value(w)?;
    t.ws();
    if t.i == text.len() {
        Ok(())
    } else {
        Err(Unsure)
    }
}

struct Text<'t, const V3: bool> {
    s: &'t str,
    /// A string with escapes, as it reads.
    scratch: String,
    /// The next byte to read.
    i: usize,
    /// Arrays and objects open.
    depth: u32,
}

impl<'t, const V3: bool> Text<'t, V3> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.i).copied()
    }

    /// Skip what serde_json takes for white space.
    fn ws(&mut self) {
        let b = self.s.as_bytes();
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = b.get(self.i) {
            self.i += 1;
        }
    }

    /// A value. Strings, numbers and literals are read in line, in the loop of the object or
    /// array they are in; only an object or an array is a call ([`Text::nested_value`]), which
    /// saves a call for each of the others.
    #[inline(always)]
    fn value(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        self.ws();
        match self.peek().ok_or(Unsure)? {
            b'"' => {
                self.i += 1;
                self.string_value(w)?;
            }
            b'{' => self.nested_value::<true>(w)?,
            b'[' => self.nested_value::<false>(w)?,
            b't' => {
                self.literal("true")?;
                w.leaf_other();
            }
            b'f' => {
                self.literal("false")?;
                w.leaf_other();
            }
            b'n' => {
                self.literal("null")?;
                w.null();
            }
            b'-' | b'0'..=b'9' => {
                self.number()?;
                w.leaf_other();
            }
            _ => return Err(Unsure),
        }
        Ok(())
    }

    /// The object (`OBJECT`) or the array that starts at the next byte. Objects and arrays are
    /// the calls of the parser (each reads what it holds in line, [`Text::map`], [`Text::seq`]),
    /// so they are what is compiled twice: for any processor, and for x86-64-v3 when the text is
    /// read `V3`. An object and an array are each a function of their own (`OBJECT` is a constant):
    /// one function for both loses what the v3 build gains.
    #[inline(always)]
    fn nested_value<const OBJECT: bool>(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        #[cfg(target_arch = "x86_64")]
        if V3 {
            // SAFETY: text is read `V3` only where the processor has those features (`has_v3`).
            return unsafe { self.nested_v3::<OBJECT>(w) };
        }
        self.nested_any::<OBJECT>(w)
    }

    #[inline(never)]
    fn nested_any<const OBJECT: bool>(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        self.nested(|t| if OBJECT { t.map(w) } else { t.seq(w) })
    }

    #[cfg(target_arch = "x86_64")]
    #[inline(never)]
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
    fn nested_v3<const OBJECT: bool>(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        self.nested(|t| if OBJECT { t.map(w) } else { t.seq(w) })
    }

    /// Past the bracket that opens an object or array (the next byte), `read` reads what it holds
    /// one level deeper: serde_json's recursion limit is kept.
    #[inline(always)]
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> Result<(), Unsure>) -> Result<(), Unsure> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Unsure);
        }
        self.i += 1;
        read(self)?;
        self.depth -= 1;
        Ok(())
    }

    fn literal(&mut self, word: &str) -> Result<(), Unsure> {
        if self.s.as_bytes()[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Unsure)
        }
    }

    /// A number as JSON writes it; one that serde_json might find out of range (an exponent, or
    /// more than 300 digits before the point) is parsed by serde_json to be sure.
    fn number(&mut self) -> Result<(), Unsure> {
        let b = self.s.as_bytes();
        let digits = |mut i: usize| {
            while let Some(b'0'..=b'9') = b.get(i) {
                i += 1;
            }
            i
        };
        let start = self.i;
        let mut i = start + usize::from(b[start] == b'-');
        let int = i;
        i = match b.get(i) {
            Some(b'0') => i + 1,
            Some(b'1'..=b'9') => digits(i + 1),
            _ => return Err(Unsure),
        };
        // A leading zero is alone.
        if b[int] == b'0' && matches!(b.get(i), Some(b'0'..=b'9')) {
            return Err(Unsure);
        }
        let int_digits = i - int;
        if b.get(i) == Some(&b'.') {
            if !matches!(b.get(i + 1), Some(b'0'..=b'9')) {
                return Err(Unsure);
            }
            i = digits(i + 1);
        }
        let mut exponent = false;
        if let Some(b'e' | b'E') = b.get(i) {
            exponent = true;
            i += 1;
            if let Some(b'+' | b'-') = b.get(i) {
                i += 1;
            }
            if !matches!(b.get(i), Some(b'0'..=b'9')) {
                return Err(Unsure);
            }
            i = digits(i);
        }
        if (exponent || int_digits > 300)
            && serde_json::from_str::<serde_json::Value>(&self.s[start..i]).is_err()
        {
            return Err(Unsure);
        }
        self.i = i;
        Ok(())
    }

    /// The string whose opening quote was just read; the reader is left past its closing quote.
    #[inline(always)]
    fn string(&mut self) -> Result<Str, Unsure> {
        let b = self.s.as_bytes();
        let start = self.i;
        let mut at = start + special(&b[start..]).ok_or(Unsure)?;
        if b[at] == b'"' {
            self.i = at + 1;
            return Ok(Str::Text(start, at));
        }
        // With escapes: written out in `scratch`, a run of plain text and an escape at a time.
        self.scratch.clear();
        let mut run = start;
        loop {
            match b[at] {
                b'"' => {
                    self.scratch.push_str(&self.s[run..at]);
                    self.i = at + 1;
                    return Ok(Str::Scratch);
                }
                b'\\' => {
                    self.scratch.push_str(&self.s[run..at]);
                    let (c, len) = escape(b, at)?;
                    self.scratch.push(c);
                    run = at + len;
                    at = run + special(&b[run..]).ok_or(Unsure)?;
                }
                // A control character.
                _ => return Err(Unsure),
            }
        }
    }

    /// A string value, whose opening quote was just read. One shorter than sixteen bytes, when
    /// the text has sixteen bytes from its start, is judged from those bytes as they are read
    /// ([`Walk::leaf_short`]).
    #[inline(always)]
    fn string_value(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        let start = self.i;
        if let Some(x) = self.s.as_bytes().get(start..start + 16) {
            let x = u8x16::new(x.try_into().expect("sixteen bytes"));
            let m = special16(x).to_bitmask();
            let len = m.trailing_zeros() as usize;
            if len < 16 && self.s.as_bytes()[start + len] == b'"' {
                self.i = start + len + 1;
                let s = &self.s[start..start + len];
                if !w.leaf_short(s, || short_is_plain(x, len)) {
                    w.leaf_str(s);
                }
                return Ok(());
            }
        }
        let s = self.string()?;
        w.leaf_str(self.str(s));
        Ok(())
    }

    fn str(&self, s: Str) -> &str {
        match s {
            Str::Text(a, b) => &self.s[a..b],
            Str::Scratch => &self.scratch,
        }
    }

    #[inline(always)]
    fn seq(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        let mut st = w.seq_start();
        let mut first = true;
        loop {
            w.seq_before(&st);
            self.ws();
            match self.peek() {
                Some(b']') => break,
                Some(b',') if !first => {
                    self.i += 1;
                }
                Some(_) if first => first = false,
                _ => return Err(Unsure),
            }
            w.enter(None, st.index(), st.virtual_name());
            self.value(w)?;
            w.leave();
            w.seq_after(&mut st);
        }
        self.i += 1;
        Ok(())
    }

    #[inline(always)]
    fn map(&mut self, w: &mut Walk) -> Result<(), Unsure> {
        let mut st = w.map_start();
        let mut first = true;
        loop {
            self.ws();
            match self.peek() {
                Some(b'}') => break,
                Some(b',') if !first => {
                    self.i += 1;
                    self.ws();
                }
                Some(_) if first => first = false,
                _ => return Err(Unsure),
            }
            if self.peek() != Some(b'"') {
                return Err(Unsure);
            }
            self.i += 1;
            let key: Cow<'t, str> = match self.string()? {
                Str::Text(a, b) => Cow::Borrowed(&self.s[a..b]),
                Str::Scratch => Cow::Owned(self.scratch.clone()),
            };
            self.ws();
            if self.peek() != Some(b':') {
                return Err(Unsure);
            }
            self.i += 1;
            w.map_key(&mut st, &key).map_err(|()| Unsure)?;
            w.enter(Some(&key), 0, st.virtual_name());
            self.value(w)?;
            w.leave();
            w.map_after(&mut st);
        }
        w.map_end(st);
        self.i += 1;
        Ok(())
    }
}

/// A string read: a range of the text, or (with escapes) `Text::scratch`.
#[derive(Clone, Copy)]
enum Str {
    Text(usize, usize),
    Scratch,
}

/// The character the escape at `b[at]` (a backslash) stands for, and its length. Only what
/// serde_json accepts: a surrogate must be the first of a pair (`\\ud83d\\ude00`).
fn escape(b: &[u8], at: usize) -> Result<(char, usize), Unsure> {
    let c = match b.get(at + 1).ok_or(Unsure)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let n = hex4(b, at + 2)?;
            return match n {
                0xD800..=0xDBFF => {
                    if b.get(at + 6..at + 8) != Some(b"\\u") {
                        return Err(Unsure);
                    }
                    let m = hex4(b, at + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&m) {
                        return Err(Unsure);
                    }
                    let c = char::from_u32(0x10000 + ((n - 0xD800) << 10) + (m - 0xDC00));
                    Ok((c.ok_or(Unsure)?, 12))
                }
                _ => Ok((char::from_u32(n).ok_or(Unsure)?, 6)),
            };
        }
        _ => return Err(Unsure),
    };
    Ok((c, 2))
}

/// Four hexadecimal digits at `b[at..]`.
fn hex4(b: &[u8], at: usize) -> Result<u32, Unsure> {
    b.get(at..at + 4)
        .ok_or(Unsure)?
        .iter()
        .try_fold(0u32, |n, &c| {
            let d = char::from(c).to_digit(16).ok_or(Unsure)?;
            Ok(n << 4 | d)
        })
}

/// Where the first quote, backslash or control character is, sixteen bytes at a time.
fn special(b: &[u8]) -> Option<usize> {
    first16(b, special16)
}

/// The quotes, backslashes and control characters of sixteen bytes.
#[inline(always)]
fn special16(x: u8x16) -> u8x16 {
    let (quote, backslash, space) = (u8x16::splat(b'"'), u8x16::splat(b'\\'), u8x16::splat(0x20));
    x.simd_eq(quote) | x.simd_eq(backslash) | x.simd_lt(space)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loops compiled for x86-64-v3 run on this processor (as `walk_text` then uses them): the
    /// tests that hold the text walk to serde_json's would otherwise test only the others.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_v3_loops_are_what_is_tested_here() {
        assert!(
            has_v3(),
            "this processor lacks a feature of x86-64-v3: `walk_text` reads on the loops for any \
             processor here"
        );
    }

    /// The string a JSON string literal stands for, read as the walk reads it.
    fn read(literal: &str) -> Option<String> {
        let mut t = Text::<false> {
            s: literal,
            scratch: String::new(),
            i: 1,
            depth: 0,
        };
        let s = t.string().ok()?;
        (t.i == literal.len()).then(|| t.str(s).to_string())
    }

    /// Every escape reads as serde_json reads it, and what serde_json refuses is refused.
    #[test]
    fn escapes_read_as_serde_json_reads_them() {
        let mut literals = Vec::new();
        for c in 0x20u8..0x7f {
            literals.push(format!("\"a\\{}b\"", char::from(c)));
        }
        let units = [
            "0000", "001f", "0041", "00E9", "07ff", "0800", "d7ff", "D800", "dbff", "dc00", "DFFF",
            "e000", "fffd", "ffff", "00g1", "12",
        ];
        for a in units {
            literals.push(format!("\"x\\u{a}y\""));
            literals.push(format!("\"\\u{a}\""));
            for b in units {
                literals.push(format!("\"\\u{a}\\u{b}\""));
                literals.push(format!("\"\\u{a}\\{b}\""));
            }
        }
        literals.extend(
            [
                "\"\"",
                "\"plain\"",
                "\"\\\"\"",
                "\"\\\\\"",
                "\"\\\"",
                "\"abc",
                "\"a\\",
                "\"\\u00\"",
                "\"é ✓ \\n ✓\"",
                "\"tab\there\"",
                "\"nl\nhere\"",
            ]
            .map(str::to_string),
        );
        for literal in &literals {
            let serde = serde_json::from_str::<String>(literal).ok();
            assert_eq!(read(literal), serde, "{literal}");
        }
        assert!(literals.len() > 500);
    }
}
