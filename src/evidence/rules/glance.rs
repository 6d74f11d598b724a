//! One pass over a string that tells the scanners of the event rules which of them can match it
//! ([`personal_data_in_event`](super::personal_data_in_event),
//! [`credential_in_event`](super::credential_in_event)) and whether it can be a query string.

use wide::u8x16;

use super::credential_in_event::MIN_TOKEN;
use crate::evidence::events::bytes::pairs16;

/// What one pass over a string tells.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Glance {
    /// It has a `@`, a `-`, a `=`.
    pub at: bool,
    pub dash: bool,
    pub eq: bool,
    /// How many ASCII digits it has.
    pub digits: usize,
    /// Two bytes in a row can start a token: `Be` (in any case), `ey`, `sk`, `sn`, `rk`, `gh`,
    /// `gl`, `AK`, `AI`, `xo`; looked for only in a string long enough to hold a token
    /// ([`MIN_TOKEN`] bytes).
    pub token: bool,
}

impl Glance {
    /// Sixteen bytes at a time ([`pairs16`]): each byte is compared with the bytes looked for,
    /// and, for the tokens, with the byte after it.
    pub fn of(b: &[u8]) -> Glance {
        if b.len() >= MIN_TOKEN {
            Glance::sixteen_at_a_time::<true>(b)
        } else {
            Glance::sixteen_at_a_time::<false>(b)
        }
    }

    #[inline(always)]
    fn sixteen_at_a_time<const TOKEN: bool>(b: &[u8]) -> Glance {
        let v = u8x16::splat;
        let (mut at, mut dash, mut eq, mut token) = (v(0), v(0), v(0), v(0));
        let mut digits = 0;
        pairs16(b, |x, next| {
            at |= x.simd_eq(v(b'@'));
            dash |= x.simd_eq(v(b'-'));
            eq |= x.simd_eq(v(b'='));
            // `0`..=`9` are the bytes that are below 10 once `0` is taken away (the others wrap
            // around); the zeros after the end are not.
            digits += ones((x - v(b'0')).simd_lt(v(10)).to_bitmask());
            if !TOKEN {
                return;
            }
            let is = |x: u8x16, c: u8| x.simd_eq(v(c));
            // `B` or `b` then `e` or `E`: the same bytes in lower case.
            let k = is(next, b'k');
            token |= (is(x | v(0x20), b'b') & is(next | v(0x20), b'e'))
                | (is(x, b'e') & is(next, b'y'))
                | (is(x, b's') & (k | is(next, b'n')))
                | (is(x, b'r') & k)
                | (is(x, b'g') & (is(next, b'h') | is(next, b'l')))
                | (is(x, b'A') & (is(next, b'K') | is(next, b'I')))
                | (is(x, b'x') & is(next, b'o'));
        });
        Glance {
            at: at.any(),
            dash: dash.any(),
            eq: eq.any(),
            digits,
            token: token.any(),
        }
    }
}

/// How many bits of a mask of sixteen are set (by a table: the x86-64 baseline has no
/// instruction for it).
fn ones(m: u32) -> usize {
    usize::from(ONES[(m & 0xff) as usize]) + usize::from(ONES[(m >> 8 & 0xff) as usize])
}

static ONES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = (i as u8).count_ones() as u8;
        i += 1;
    }
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_glance_tells() {
        let g = Glance::of(b"mail ann@example.com, 078-05-1120 a=1");
        assert!(g.at && g.dash && g.eq);
        assert_eq!(g.digits, 10);
        assert!(!g.token);
        for pair in [
            "Be", "bE", "ey", "sk", "sn", "rk", "gh", "gl", "AK", "AI", "xo",
        ] {
            let long = format!("................{pair}..");
            assert!(Glance::of(long.as_bytes()).token, "{pair}");
            assert!(
                !Glance::of(&long.as_bytes()[14..]).token,
                "{pair}: too short"
            );
        }
        for not in ["eY", "Sk", "ak", "x o", "s-k", "yx", "ok"] {
            assert!(!Glance::of(format!("{not:.<20}").as_bytes()).token, "{not}");
        }
        assert_eq!(Glance::of(b""), Glance::default());
    }

    /// What one byte at a time tells.
    fn scalar(b: &[u8]) -> Glance {
        let pairs: [&[u8; 2]; 13] = [
            b"Be", b"BE", b"be", b"bE", b"ey", b"sk", b"sn", b"rk", b"gh", b"gl", b"AK", b"AI",
            b"xo",
        ];
        Glance {
            at: b.contains(&b'@'),
            dash: b.contains(&b'-'),
            eq: b.contains(&b'='),
            digits: b.iter().filter(|c| c.is_ascii_digit()).count(),
            token: b.len() >= MIN_TOKEN && b.windows(2).any(|w| pairs.iter().any(|p| w == &p[..])),
        }
    }

    /// Every pair of bytes, at every place of strings of every length around sixteen, and every
    /// byte followed by each byte that can follow a token's first one, across a vector's end in
    /// strings long enough to hold a token (and alone), as one byte at a time tells them.
    #[test]
    fn sixteen_at_a_time_as_one_at_a_time() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for len in 2..40 {
            for at in 0..len - 1 {
                for pair in [b"Be", b"eY", b"sn", b"9-", b"@=", b"xo", b"AI", b"ab"] {
                    let mut t = vec![b'.'; len];
                    t[at..at + 2].copy_from_slice(pair);
                    texts.push(t);
                }
            }
        }
        let seconds = [
            b'e', b'E', b'y', b'k', b'n', b'h', b'l', b'K', b'I', b'o', b'x', 0, 0xff,
        ];
        for a in 0..=255u8 {
            for c in seconds {
                texts.push(vec![a, c]);
                for at in [0, 14, 15, 16, 17, MIN_TOKEN + 12] {
                    let mut t = vec![b'.'; at.max(MIN_TOKEN) + 2];
                    t[at..at + 2].copy_from_slice(&[a, c]);
                    texts.push(t);
                }
            }
        }
        for n in [4079, 4080, 4081, 4096, 9000] {
            texts.push(vec![b'7'; n]);
        }
        let tokens = texts.iter().filter(|t| scalar(t).token).count();
        assert!(tokens > 2000, "{tokens}");
        for t in &texts {
            assert_eq!(Glance::of(t), scalar(t), "{t:?}");
        }
    }
}
