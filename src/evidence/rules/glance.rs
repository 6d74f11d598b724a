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
    /// Whether no scanner can match the string: no `@` (an email address), no `=` (a query
    /// string), fewer than nine digits (a card number, an SSN) and no pair that starts a token.
    /// (IP addresses are looked for where the path says, whatever the glance.)
    #[inline(always)]
    pub fn nothing_to_scan(&self) -> bool {
        !self.at && !self.eq && self.digits < 9 && !self.token
    }

    /// Sixteen bytes at a time ([`pairs16`]): by table look-ups where the processor has them
    /// ([`by_tables`]), else by comparing each byte with the bytes looked for and, for the
    /// tokens, with the byte after it.
    pub fn of(b: &[u8]) -> Glance {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("ssse3") {
            // SAFETY: the processor has SSSE3, checked just above.
            return unsafe { by_tables::glance(b) };
        }
        Glance::by_comparisons(b)
    }

    /// [`Glance::of`] by comparisons alone (the x86-64 baseline, SSE2, and other processors).
    pub fn by_comparisons(b: &[u8]) -> Glance {
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

/// Whether no scanner can match a string shorter than sixteen bytes (too short for a token), given
/// as the first `len` bytes of `x` (the bytes after them do not count): it has no `@` (an email),
/// no `=` (a query string) and fewer than nine digits (a card number, an SSN). What
/// [`Glance::nothing_to_scan`] tells of it (the test holds them to each other), with no call and
/// from sixteen bytes already read (the text's, past the string).
#[inline(always)]
pub fn short_is_plain(x: u8x16, len: usize) -> bool {
    debug_assert!(len < 16);
    let v = u8x16::splat;
    let within = (1u32 << len) - 1;
    let marks = (x.simd_eq(v(b'@')) | x.simd_eq(v(b'='))).to_bitmask() & within;
    // `0`..=`9` are the bytes that are 9 or less once `0` is taken away (the others wrap around).
    let d = x - v(b'0');
    let digits = d.min(v(9)).simd_eq(d).to_bitmask() & within;
    marks == 0 && digits.count_ones() < 9
}

/// A table of `N` entries with a bit for each set (up to eight): entry `i` has bit `k` when `i` is
/// in `sets[k]`. Two such tables, and-ed, tell the sets a pair of indices (a byte's halves, or a
/// byte and the next one) is in together.
pub(super) const fn set_bits<const N: usize>(sets: &[&[u8]]) -> [u8; N] {
    let mut t = [0u8; N];
    let mut k = 0;
    while k < sets.len() {
        let mut j = 0;
        while j < sets[k].len() {
            t[sets[k][j] as usize] |= 1 << k;
            j += 1;
        }
        k += 1;
    }
    t
}

/// The glance by table look-ups, with SSSE3's byte shuffle (`pshufb`): each byte's low and high
/// halves index two tables of sixteen bytes whose bits, and-ed, tell which sets the byte is in.
/// A set can be looked up so when it is every byte made of a low half from one list and a high half
/// from another (`B` and `b` are 0x42 and 0x62: low half 2, high half 4 or 6), which holds for
/// each set looked for. Three look-ups per sixteen bytes instead of some thirty comparisons:
/// - the marks: `@`, `-`, `=` and the digits;
/// - the bytes that can start a token, one bit per pair (`B`/`b`, `e`, `s`, `r`, `g`, `A`, `x`);
/// - the bytes that can follow them, on the same bits (`e`/`E`, `y`, `k`/`n`, `k`, `h`/`l`,
///   `K`/`I`, `o`), looked up for the byte after each one: a pair is where both have a bit.
///
/// Bytes of 0x80 and above have high halves 8 to 15, whose table entries are zero, and the zeros
/// after the end of a string shorter than sixteen bytes have none of the sets' low-half-and-high-half
/// pairs. A longer string ends with its last sixteen bytes, read again where they overlap bytes
/// looked at already: a mark or a pair seen twice changes nothing, and digits are counted only in
/// the lanes not counted before. That spares building the last bytes one by one, and the branches
/// on how many there are.
#[cfg(target_arch = "x86_64")]
mod by_tables {
    use std::arch::x86_64::{
        __m128i, _mm_add_epi64, _mm_and_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_movemask_epi8,
        _mm_or_si128, _mm_sad_epu8, _mm_set1_epi8, _mm_setzero_si128, _mm_shuffle_epi8,
        _mm_srli_epi16, _mm_srli_si128, _mm_sub_epi8,
    };

    use wide::bytemuck::cast;

    use super::{set_bits, Glance, MIN_TOKEN};
    use crate::evidence::events::bytes::partial;

    /// A table indexed by a half byte ([`set_bits`]).
    const fn table(sets: &[&[u8]]) -> [u8; 16] {
        set_bits(sets)
    }

    const AT: u8 = 1;
    const DASH: u8 = 2;
    const EQ: u8 = 4;
    const DIGIT: u8 = 8;
    // `@` 0x40, `-` 0x2d, `=` 0x3d, `0`..=`9` 0x30..=0x39.
    const MARKS_LOW: [u8; 16] = table(&[&[0], &[0xd], &[0xd], &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    const MARKS_HIGH: [u8; 16] = table(&[&[4], &[2], &[3], &[3]]);
    // `B`/`b` 0x42/0x62, `e` 0x65, `s` 0x73, `r` 0x72, `g` 0x67, `A` 0x41, `x` 0x78.
    const FIRST_LOW: [u8; 16] = table(&[&[2], &[5], &[3], &[2], &[7], &[1], &[8]]);
    const FIRST_HIGH: [u8; 16] = table(&[&[4, 6], &[6], &[7], &[7], &[6], &[4], &[7]]);
    // `e`/`E` 0x65/0x45, `y` 0x79, `k`/`n` 0x6b/0x6e, `k` 0x6b, `h`/`l` 0x68/0x6c,
    // `K`/`I` 0x4b/0x49, `o` 0x6f.
    const SECOND_LOW: [u8; 16] = table(&[
        &[5],
        &[9],
        &[0xb, 0xe],
        &[0xb],
        &[8, 0xc],
        &[0xb, 9],
        &[0xf],
    ]);
    const SECOND_HIGH: [u8; 16] = table(&[&[4, 6], &[7], &[6], &[6], &[6], &[4], &[6]]);

    /// The sets `x`'s bytes are in, by the tables of their low and high halves.
    #[target_feature(enable = "ssse3")]
    fn sets(x: __m128i, low: __m128i, high: __m128i) -> __m128i {
        let half = _mm_set1_epi8(0x0f);
        let lo = _mm_and_si128(x, half);
        let hi = _mm_and_si128(_mm_srli_epi16::<4>(x), half);
        _mm_and_si128(_mm_shuffle_epi8(low, lo), _mm_shuffle_epi8(high, hi))
    }

    /// A string of sixteen bytes or more is looked at for tokens whatever its length, and the
    /// answer kept only when it is long enough to hold one: a branch on its length (which the
    /// data decides) the fewer.
    #[target_feature(enable = "ssse3")]
    pub fn glance(b: &[u8]) -> Glance {
        if b.len() >= 16 {
            let mut g = sixteen_at_a_time::<true>(b);
            g.token &= b.len() >= MIN_TOKEN;
            g
        } else {
            sixteen_at_a_time::<false>(b)
        }
    }

    #[inline]
    #[target_feature(enable = "ssse3")]
    fn sixteen_at_a_time<const TOKEN: bool>(b: &[u8]) -> Glance {
        let t = |a: [u8; 16]| cast::<[u8; 16], __m128i>(a);
        let (marks_low, marks_high) = (t(MARKS_LOW), t(MARKS_HIGH));
        let (first_low, first_high) = (t(FIRST_LOW), t(FIRST_HIGH));
        let (second_low, second_high) = (t(SECOND_LOW), t(SECOND_HIGH));
        let zero = _mm_setzero_si128();
        let digit = _mm_set1_epi8(DIGIT as i8);
        let (mut marks, mut token) = (zero, zero);
        // Digits are counted in each byte's lane (one more each time: 0 - (-1)), and the lanes
        // summed before any can pass 255.
        let (mut lanes, mut sum, mut rounds) = (zero, zero, 0);
        // `counted`: the lanes whose digits are counted (the others were counted already).
        let mut sixteen = |x: __m128i, next: __m128i, counted: __m128i| {
            let m = sets(x, marks_low, marks_high);
            marks = _mm_or_si128(marks, m);
            let digits = _mm_cmpeq_epi8(_mm_and_si128(m, digit), digit);
            lanes = _mm_sub_epi8(lanes, _mm_and_si128(digits, counted));
            rounds += 1;
            if rounds == 255 {
                sum = _mm_add_epi64(sum, _mm_sad_epu8(lanes, zero));
                (lanes, rounds) = (zero, 0);
            }
            if TOKEN {
                let pairs = _mm_and_si128(
                    sets(x, first_low, first_high),
                    sets(next, second_low, second_high),
                );
                token = _mm_or_si128(token, pairs);
            }
        };
        let all = _mm_set1_epi8(-1);
        if b.len() < 16 {
            // Built in registers, zeros after the string ([`pairs16`]).
            let last = partial(b);
            sixteen(cast(last), cast(last >> 8), all);
        } else {
            let load = |i: usize| cast::<[u8; 16], __m128i>(b[i..i + 16].try_into().expect("16"));
            let mut i = 0;
            while i + 17 <= b.len() {
                sixteen(load(i), load(i + 1), all);
                i += 16;
            }
            // The last sixteen bytes of the string, which may overlap bytes looked at already:
            // their marks and pairs count again (no matter), their digits do not.
            let n = b.len() - i;
            let last = load(b.len() - 16);
            let iota = t([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
            let counted = _mm_cmpgt_epi8(iota, _mm_set1_epi8(15 - n as i8));
            sixteen(last, _mm_srli_si128::<1>(last), counted);
        }
        sum = _mm_add_epi64(sum, _mm_sad_epu8(lanes, zero));
        let [low, high] = cast::<__m128i, [u64; 2]>(sum);
        let has = |bit: u8| {
            _mm_movemask_epi8(_mm_cmpeq_epi8(
                _mm_and_si128(marks, _mm_set1_epi8(bit as i8)),
                zero,
            )) != 0xffff
        };
        Glance {
            at: has(AT),
            dash: has(DASH),
            eq: has(EQ),
            digits: (low + high) as usize,
            token: _mm_movemask_epi8(_mm_cmpeq_epi8(token, zero)) != 0xffff,
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

    /// The table look-ups run on this processor (as `Glance::of` then uses them): a test of them
    /// that passed on a processor without them would test nothing.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_tables_are_what_is_tested_here() {
        assert!(
            std::arch::is_x86_feature_detected!("ssse3"),
            "this processor has no SSSE3: `Glance::of` is `by_comparisons` here"
        );
    }

    /// Every byte followed by every byte, as the first pair of a string long enough to hold a
    /// token and as the last, and every set's tables, as one byte at a time tells them.
    #[test]
    fn every_pair_of_bytes_as_one_at_a_time() {
        for a in 0..=255u8 {
            let mut t = vec![b'.'; MIN_TOKEN + 17];
            for c in 0..=255u8 {
                t[0] = a;
                t[1] = c;
                let n = t.len();
                t[n - 2] = c;
                t[n - 1] = a;
                let want = scalar(&t);
                assert_eq!(Glance::of(&t), want, "{a} {c}");
                assert_eq!(Glance::by_comparisons(&t), want, "{a} {c}");
                assert_eq!(Glance::of(&t[..2]), scalar(&t[..2]), "{a} {c}");
            }
        }
    }

    /// A short string is plain exactly when its glance gives none of the scanners that a string
    /// too short for a token can reach, whatever bytes follow it.
    #[test]
    fn short_is_plain_as_its_glance_tells() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"@=-0123456789aZ. \x80\xff/:";
        let (mut plain, mut not) = (0, 0);
        for round in 0..200_000 {
            let len = round % 16;
            let mut x = [0u8; 16];
            for (i, c) in x.iter_mut().enumerate() {
                // Mostly bytes of the alphabet; past the string, any byte (an `@` often).
                let r = next();
                *c = if i >= len && r % 3 == 0 {
                    b'@'
                } else if r % 5 == 0 {
                    (r >> 8) as u8
                } else {
                    alphabet[(r >> 16) as usize % alphabet.len()]
                };
            }
            if round % 7 == 0 {
                // Many digits, around nine.
                for c in x.iter_mut().take(len).skip(round % 4) {
                    *c = b'0' + (next() % 10) as u8;
                }
            }
            let g = scalar(&x[..len]);
            let want = g.nothing_to_scan();
            assert_eq!(short_is_plain(u8x16::new(x), len), want, "{:?}", &x[..len]);
            if want {
                plain += 1;
            } else {
                not += 1;
            }
        }
        assert!(plain > 20_000 && not > 20_000, "{plain} {not}");
    }

    /// A string the glance finds nothing to scan in holds nothing the scanners find (but an IP
    /// address, looked for by the path); each kind of finding is seen by the glance.
    #[test]
    fn nothing_to_scan_is_nothing_found() {
        use super::super::{credential_in_event, personal_data_in_event};
        let finds = [
            "ann@example.com",
            "card 4111 1111 1111 1111",
            "ssn 078-05-1120",
            "Authorization: Bearer abcdefghijklmnopqrstuvwx",
            "sk_live_abcdefghijklmnopqrstuvwx",
            "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijkl",
            "a=1&ticket_data=x",
        ];
        let mut strings: Vec<String> = finds.iter().map(|s| s.to_string()).collect();
        for f in finds {
            for cut in 0..f.len() {
                if f.is_char_boundary(cut) {
                    strings.push(f[cut..].to_string());
                    strings.push(f[..cut].to_string());
                    strings.push(format!("{}.{}", &f[..cut], &f[cut..]));
                }
            }
        }
        for f in finds {
            let g = Glance::of(f.as_bytes());
            assert!(!g.nothing_to_scan(), "{f}");
        }
        let mut quiet = 0;
        for s in &strings {
            let g = Glance::of(s.as_bytes());
            if g.nothing_to_scan() {
                quiet += 1;
                let mut kinds = Vec::new();
                personal_data_in_event::scan(s, false, g, &mut kinds);
                assert!(kinds.is_empty(), "{s}");
                assert_eq!(credential_in_event::scan(s, g), None, "{s}");
            }
        }
        assert!(quiet > 50, "{quiet}");
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
            let want = scalar(t);
            assert_eq!(Glance::of(t), want, "{t:?}");
            assert_eq!(Glance::by_comparisons(t), want, "{t:?}");
        }
    }
}
