//! Looking at bytes sixteen at a time: sixteen bytes are read as one vector ([`wide::u8x16`], the
//! machine's SIMD registers), compared all at once, and the comparisons gathered into one bit per
//! byte.

use wide::u8x16;

/// Where the first byte of `b` is that `mark` marks (all ones) in the vectors of sixteen bytes it
/// is given (the last ones padded with zeros, which are never taken for a byte of `b`).
#[inline(always)]
pub fn first16(b: &[u8], mark: impl Fn(u8x16) -> u8x16) -> Option<usize> {
    let mut chunks = b.chunks_exact(16);
    let mut at = 0;
    for c in &mut chunks {
        let m = mark(u8x16::new(c.try_into().expect("sixteen bytes"))).to_bitmask();
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize);
        }
        at += 16;
    }
    let rest = chunks.remainder();
    let m = mark(vector(partial(rest))).to_bitmask() & ((1 << rest.len()) - 1);
    (m != 0).then(|| at + m.trailing_zeros() as usize)
}

/// Calls `f` with every sixteen bytes of `b` and, beside them, the sixteen bytes that each follow
/// one of them (`b[i + 1]` beside `b[i]`); past the end of `b`, the bytes are zeros.
#[inline(always)]
pub fn pairs16(b: &[u8], mut f: impl FnMut(u8x16, u8x16)) {
    let mut i = 0;
    while i + 17 <= b.len() {
        f(
            u8x16::new(b[i..i + 16].try_into().expect("sixteen bytes")),
            u8x16::new(b[i + 1..i + 17].try_into().expect("sixteen bytes")),
        );
        i += 16;
    }
    if i < b.len() {
        // Built in registers: bytes copied to memory and read back as a vector would wait for
        // the copy to be written.
        let last = partial(&b[i..]);
        f(vector(last), vector(last >> 8));
    }
}

/// Up to sixteen bytes as one number (the first byte lowest), zeros after them: read as two
/// numbers that overlap, or (below four bytes) byte by byte.
#[inline(always)]
pub fn partial(b: &[u8]) -> u128 {
    let n = b.len();
    let at = |i: usize| u128::from(b[i]) << (8 * i);
    let word = |i: usize| {
        u128::from(u64::from_le_bytes(
            b[i..i + 8].try_into().expect("eight bytes"),
        )) << (8 * i)
    };
    let half = |i: usize| {
        u128::from(u32::from_le_bytes(
            b[i..i + 4].try_into().expect("four bytes"),
        )) << (8 * i)
    };
    match n {
        0 => 0,
        1..=3 => at(0) | at(n / 2) | at(n - 1),
        4..=7 => half(0) | half(n - 4),
        _ => word(0) | word(n - 8),
    }
}

fn vector(x: u128) -> u8x16 {
    u8x16::new(x.to_le_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first16_finds_the_first_marked_byte_in_any_chunk() {
        // Zeros are marked too: the padding after the last bytes must not be found.
        let (quote, zero) = (u8x16::splat(b'"'), u8x16::splat(0));
        let mark = |x: u8x16| x.simd_eq(quote) | x.simd_eq(zero);
        for len in 0..50 {
            for at in 0..=len {
                let mut b = vec![b'a'; len];
                if at < len {
                    b[at] = b'"';
                    if at + 3 < len {
                        b[at + 3] = b'"';
                    }
                }
                let want = (at < len).then_some(at);
                assert_eq!(first16(&b, mark), want, "{len} {at}");
            }
        }
    }

    #[test]
    fn partial_reads_what_there_is_and_zeros() {
        let b: Vec<u8> = (1..=16).collect();
        for n in 0..=16 {
            let mut want = [0u8; 16];
            want[..n].copy_from_slice(&b[..n]);
            assert_eq!(partial(&b[..n]), u128::from_le_bytes(want), "{n}");
        }
    }

    #[test]
    fn pairs16_gives_every_byte_with_the_next_one() {
        for len in 0..60usize {
            let b: Vec<u8> = (0..len).map(|i| (i + 1) as u8).collect();
            let mut seen = Vec::new();
            pairs16(&b, |x, next| {
                let (x, next) = (x.to_array(), next.to_array());
                for k in 0..16 {
                    seen.push((x[k], next[k]));
                }
            });
            let mut want: Vec<(u8, u8)> = (0..len)
                .map(|i| (b[i], b.get(i + 1).copied().unwrap_or(0)))
                .collect();
            want.resize(seen.len(), (0, 0));
            assert_eq!(seen, want, "{len}");
            assert_eq!(seen.len(), len.div_ceil(16) * 16);
        }
    }
}
