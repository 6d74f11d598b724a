//! SPA303 credential-in-event (AC5): an event holds a bearer token, an API key, a password or a session cookie in clear.
//!
//! **What:** a string that is a bearer token (`Bearer …`), a JSON Web Token, or an API key with a
//! well-known prefix (Stripe `sk_live_`, GitHub `ghp_`/`github_pat_`, Slack `xox?-`, AWS `AKIA`,
//! GitLab `glpat-`, Google `AIza`, OpenAI `sk-`, Sentry `sntrys_`/`sntryu_`); and the value of a
//! key that names a credential (`password`, `secret`, `token`, `api_key`, `authorization`,
//! `cookie`, `session`, …, the keys Sentry's default scrubbing covers) that is not `[Filtered]`.
//!
//! **Why:** a credential in an error event lets anyone who can read the project act as the user
//! or the service. The SDKs' default scrubbers filter these keys, so a clear value means the
//! scrubber was replaced (SPA003) or bypassed (values built into messages, custom keys).
//!
//! **Example:** `request.headers.Authorization` is `Bearer eyJhbGciOi…`; `extra.api_token` is
//! `sk_live_…`.
//!
//! **Fix safety:** no fix; keep Sentry's default denylist (`EventScrubber`, `sendDefaultPii`
//! off), and rotate any credential that reached Sentry. The finding never repeats the value.

use super::glance::{set_bits, Glance};

/// Keys that name a credential: Sentry's default server-side scrubbing list and the SDKs'
/// denylists, matched as a substring of the key in any case.
const CREDENTIAL_KEY_PARTS: [&str; 16] = [
    "password",
    "passwd",
    "secret",
    "api_key",
    "apikey",
    "api-key",
    "access_token",
    "auth_token",
    "authorization",
    "credentials",
    "private_key",
    "privatekey",
    "mysql_pwd",
    "x-api-key",
    "csrf",
    "xsrf",
];

/// Keys that name a credential only as a whole (a substring would catch `tokenizer`,
/// `session_count`).
const CREDENTIAL_KEYS: [&str; 9] = [
    "token",
    "cookie",
    "set-cookie",
    "sessionid",
    "session",
    "jwt",
    "bearer",
    "refresh_token",
    "id_token",
];

/// Does this key name a credential?
pub fn is_credential_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    CREDENTIAL_KEY_PARTS.iter().any(|p| k.contains(p)) || CREDENTIAL_KEYS.contains(&k.as_str())
}

/// Well-known API key prefixes and the shortest key that follows each.
const PREFIXES: [(&str, usize); 14] = [
    ("sk_live_", 16),
    ("rk_live_", 16),
    ("sk_test_", 16),
    ("ghp_", 30),
    ("gho_", 30),
    ("ghs_", 30),
    ("github_pat_", 30),
    ("glpat-", 20),
    ("AKIA", 16),
    ("AIza", 35),
    ("sntrys_", 30),
    ("sntryu_", 30),
    ("sk-", 32),
    ("xox", 20),
];

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~' | b'+' | b'/' | b'=')
}

/// Shortest string that can hold a token: `Bearer ` and 16 characters.
pub const MIN_TOKEN: usize = 19;

/// Does `b[i..]` start with `p`?
fn at(b: &[u8], i: usize, p: &[u8]) -> bool {
    b.len() - i >= p.len() && &b[i..i + p.len()] == p
}

/// Whether `c` then `next` can start a token: `B` or `b` then `e` or `E`, `ey`, `sk`, `sn`, `rk`,
/// `gh`, `gl`, `AK`, `AI`, `xo`. Each byte's table gives the pairs it can be the first or the
/// second byte of, one bit per pair: two look-ups and no branch on the byte.
#[inline(always)]
fn starts_token(c: u8, next: u8) -> bool {
    FIRST_OF_PAIR[usize::from(c)] & SECOND_OF_PAIR[usize::from(next)] != 0
}

static FIRST_OF_PAIR: [u8; 256] = set_bits(&[b"Bb", b"e", b"s", b"r", b"g", b"A", b"x"]);
static SECOND_OF_PAIR: [u8; 256] = set_bits(&[b"eE", b"y", b"kn", b"k", b"hl", b"KI", b"o"]);

/// What kind of credential the string holds, if any. `glance` ([`Glance::of`] the string) tells
/// whether any two bytes can start a token; then only the bytes that can are looked at further.
pub fn scan(s: &str, glance: Glance) -> Option<&'static str> {
    let b = s.as_bytes();
    if b.len() < MIN_TOKEN || !glance.token {
        return None;
    }
    for i in 0..b.len() {
        let c = b[i];
        // Every token starts with one of these pairs of bytes (`Be`, `ey`, `sk`, `sn`, `rk`,
        // `gh`, `gl`, `AK`, `AI`, `xo`): one look at the next byte rules most places out.
        let next = b.get(i + 1).copied().unwrap_or(0);
        if !starts_token(c, next) {
            continue;
        }
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if (c == b'B' || c == b'b')
            && b.len() - i >= 7
            && b[i..i + 7].eq_ignore_ascii_case(b"bearer ")
            && b[i + 7..].iter().take_while(|c| is_token_char(**c)).count() >= 16
        {
            return Some("a bearer token");
        }
        if c == b'e' && at(b, i, b"eyJ") && is_jwt(&b[i..]) {
            return Some("a JSON Web Token");
        }
        if !boundary {
            continue;
        }
        for (prefix, min) in PREFIXES {
            let p = prefix.as_bytes();
            if p[0] != c || !at(b, i, p) {
                continue;
            }
            let body = b[i + p.len()..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
                .count();
            let ok = match prefix {
                "AKIA" => {
                    body == min
                        && b[i + 4..i + 4 + body]
                            .iter()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
                }
                "xox" => {
                    b.get(i + 3)
                        .is_some_and(|c| matches!(c, b'b' | b'p' | b'a' | b'r' | b's'))
                        && b.get(i + 4) == Some(&b'-')
                        && body >= min
                }
                _ => body >= min,
            };
            if ok {
                return Some("an API key");
            }
        }
    }
    None
}

/// Three base64url parts, the first two JSON objects (`eyJ`), each of 8 characters or more.
fn is_jwt(b: &[u8]) -> bool {
    let end = b
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')))
        .unwrap_or(b.len());
    let mut parts = b[..end].split(|c| *c == b'.');
    let (Some(h), Some(p), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    p.starts_with(b"eyJ") && [h, p, sig].iter().all(|x| x.len() >= 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `scan` with the glance it is given in the walk.
    fn scan_alone(s: &str) -> Option<&'static str> {
        scan(s, Glance::of(s.as_bytes()))
    }

    /// The tables tell the pairs that start a token, and no other pair of bytes.
    #[test]
    fn pairs_that_start_a_token() {
        let pairs: [&[u8; 2]; 13] = [
            b"Be", b"BE", b"be", b"bE", b"ey", b"sk", b"sn", b"rk", b"gh", b"gl", b"AK", b"AI",
            b"xo",
        ];
        let mut found = 0;
        for c in 0..=255u8 {
            for next in 0..=255u8 {
                let want = pairs.contains(&&[c, next]);
                assert_eq!(starts_token(c, next), want, "{c} {next}");
                found += usize::from(want);
            }
        }
        assert_eq!(found, pairs.len());
    }

    #[test]
    fn tokens_and_keys() {
        assert_eq!(
            scan_alone("Authorization: Bearer abcdefghijklmnopqrstuvwx"),
            Some("a bearer token")
        );
        assert_eq!(
            scan_alone("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU"),
            Some("a JSON Web Token")
        );
        assert_eq!(
            scan_alone("key=sk_live_51HxxxxxxxxxxxxxxxxxxxxxX"),
            Some("an API key")
        );
        assert_eq!(scan_alone("AKIAIOSFODNN7EXAMPLE"), Some("an API key"));
        assert_eq!(
            scan_alone("xoxb-123456789012-abcdefghij"),
            Some("an API key")
        );
        assert_eq!(scan_alone("Bearer short"), None);
        assert_eq!(scan_alone("ask-the-team"), None);
        assert_eq!(scan_alone("desk_live_12345678901234567890"), None);
        assert_eq!(scan_alone("sk-"), None);
    }

    #[test]
    fn credential_keys() {
        for k in [
            "password",
            "DB_PASSWORD",
            "X-Api-Key",
            "Authorization",
            "Cookie",
            "token",
        ] {
            assert!(is_credential_key(k), "{k}");
        }
        for k in ["tokenizer", "session_count", "author", "ticket_data"] {
            assert!(!is_credential_key(k), "{k}");
        }
    }
}
