//! One pass over a string that tells the scanners of the event rules which of them can match it
//! ([`personal_data_in_event`](super::personal_data_in_event),
//! [`credential_in_event`](super::credential_in_event)) and whether it can be a query string.

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
    /// `gl`, `AK`, `AI`, `xo`.
    pub token: bool,
}

const AT: u16 = 1;
const DASH: u16 = 2;
const EQ: u16 = 4;
const DIGIT: u16 = 8;

/// Per byte: its kind (the bits above) and, in the high byte, a bit for each token pair it can
/// start, set in [`SECOND`] for the bytes that can follow it.
const fn classes() -> [u16; 256] {
    let mut t = [0u16; 256];
    t[b'@' as usize] = AT;
    t[b'-' as usize] = DASH;
    t[b'=' as usize] = EQ;
    let mut d = b'0';
    while d <= b'9' {
        t[d as usize] = DIGIT;
        d += 1;
    }
    t[b'B' as usize] = 1 << 8;
    t[b'b' as usize] = 1 << 8;
    t[b'e' as usize] = 2 << 8;
    t[b's' as usize] = 4 << 8;
    t[b'r' as usize] = 8 << 8;
    t[b'g' as usize] = 16 << 8;
    t[b'A' as usize] = 32 << 8;
    t[b'x' as usize] = 64 << 8;
    t
}

const fn second_bytes() -> [u8; 256] {
    let mut t = [0u8; 256];
    t[b'e' as usize] = 1;
    t[b'E' as usize] = 1;
    t[b'y' as usize] = 2;
    t[b'k' as usize] = 4 | 8;
    t[b'n' as usize] = 4;
    t[b'h' as usize] = 16;
    t[b'l' as usize] = 16;
    t[b'K' as usize] = 32;
    t[b'I' as usize] = 32;
    t[b'o' as usize] = 64;
    t
}

static CLASS: [u16; 256] = classes();
static SECOND: [u8; 256] = second_bytes();

impl Glance {
    pub fn of(b: &[u8]) -> Glance {
        let (mut kinds, mut digits, mut token, mut first) = (0u16, 0usize, 0u8, 0u8);
        for &c in b {
            let k = CLASS[usize::from(c)];
            kinds |= k;
            digits += usize::from(k & DIGIT != 0);
            token |= first & SECOND[usize::from(c)];
            first = (k >> 8) as u8;
        }
        Glance {
            at: kinds & AT != 0,
            dash: kinds & DASH != 0,
            eq: kinds & EQ != 0,
            digits,
            token: token != 0,
        }
    }
}

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
            assert!(Glance::of(format!("..{pair}..").as_bytes()).token, "{pair}");
        }
        for not in ["eY", "Sk", "ak", "x o", "s-k", "yx", "ok"] {
            assert!(!Glance::of(not.as_bytes()).token, "{not}");
        }
        assert_eq!(Glance::of(b""), Glance::default());
    }
}
