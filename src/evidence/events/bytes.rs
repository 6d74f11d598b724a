//! Finding bytes eight at a time: eight bytes of the text are read as one number, and a mask
//! marks the bytes looked for (the top bit of each).

pub const ONES: u64 = 0x0101_0101_0101_0101;
pub const HIGH: u64 = ONES << 7;
const LOW7: u64 = !HIGH;

/// The top bit of each byte of `x` that is `c`, and no other bit.
pub fn equal(x: u64, c: u8) -> u64 {
    let v = x ^ (ONES * u64::from(c));
    !(((v & LOW7) + LOW7) | v | LOW7)
}

/// Where the first byte of `b` is that `word` marks in the words it is given (the lowest byte
/// first; a mark above the first one may be wrong) and `byte` tells apart in the last bytes.
#[inline(always)]
pub fn first(b: &[u8], word: impl Fn(u64) -> u64, byte: impl Fn(u8) -> bool) -> Option<usize> {
    let mut words = b.chunks_exact(8);
    let mut at = 0;
    for w in &mut words {
        let m = word(u64::from_le_bytes(w.try_into().expect("eight bytes")));
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&c| byte(c))
        .map(|k| at + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_finds_the_first_byte_in_a_word_and_after_the_last_word() {
        let quote_or_control = |c: u8| c == b'"' || c < 0x20;
        let word = |x: u64| equal(x, b'"') | (x.wrapping_sub(ONES * 0x20) & !x & HIGH);
        for (text, want) in [
            (&b"abcdefgh\"ijk"[..], Some(8)),
            (b"ab\x01\"", Some(2)),
            (b"abcdefghijklmno\x1f", Some(15)),
            (b"\xff\xfe\xa0\x80 \"", Some(5)),
            (b"abcdefghijklmnopq", None),
            (b"", None),
        ] {
            assert_eq!(first(text, word, quote_or_control), want, "{text:?}");
            assert_eq!(text.iter().position(|&c| quote_or_control(c)), want);
        }
    }
}
