//! SPA302 personal-data-in-event (AC5): an event holds an e-mail address, a card number, a US social security number or the sender's IP address.
//!
//! **What:** a string in an event, envelope item or replay breadcrumb that looks like an e-mail
//! address, a payment card number (13 to 19 digits, with spaces or dashes, a known issuer prefix and
//! a valid Luhn check digit) or a US social security number; and, in `user` and in the headers and
//! environment of the request, an IP address (`X-Forwarded-For`, `X-Real-IP`, `REMOTE_ADDR`,
//! `user.ip_address`), or `{{auto}}`, which asks Sentry to store the sender's address.
//!
//! **Why:** these identify a person. They reach Sentry through `send_default_pii`, request data,
//! exception messages and log breadcrumbs, and Sentry's server-side scrubbing only catches some of
//! them (card numbers by a basic pattern; e-mail addresses only with an Advanced Data Scrubbing
//! rule).
//!
//! **Example:** `user.email` is `dana@customer.example` in an error event; `request.headers`
//! carries `X-Forwarded-For: 203.0.113.7`.
//!
//! **Fix safety:** no fix; turn `send_default_pii` off, scrub in `before_send`, or add
//! `scrub-rules --replace-email --replace-credit-card --remove-ip` to the project's settings. The
//! finding names the kind of value and its JSON path, never the value.

use super::glance::Glance;

/// What kind of personal data a string holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PersonalKind {
    Email,
    Card,
    Ssn,
    Ip,
    AutoIp,
}

impl PersonalKind {
    pub fn describe(self) -> &'static str {
        match self {
            PersonalKind::Email => "an e-mail address",
            PersonalKind::Card => "a payment card number (Luhn-valid)",
            PersonalKind::Ssn => "a US social security number",
            PersonalKind::Ip => "an IP address",
            PersonalKind::AutoIp => {
                "`{{auto}}`, which asks Sentry to store the sender's IP address"
            }
        }
    }
}

/// The personal data a string holds (IP addresses only when `ip_context`: under `user` or a
/// request's forwarding headers and environment); `glance` is [`Glance::of`] the string.
pub fn scan(s: &str, ip_context: bool, glance: Glance, out: &mut Vec<PersonalKind>) {
    let b = s.as_bytes();
    let Glance {
        at, dash, digits, ..
    } = glance;
    if at && has_email(b) {
        out.push(PersonalKind::Email);
    }
    if digits >= 9 {
        if has_card(b) {
            out.push(PersonalKind::Card);
        }
        if dash && has_ssn(b) {
            out.push(PersonalKind::Ssn);
        }
    }
    if ip_context {
        if s == "{{auto}}" {
            out.push(PersonalKind::AutoIp);
        } else if has_ip(s) {
            out.push(PersonalKind::Ip);
        }
    }
}

fn is_local_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

/// `local@domain.tld`: a local part, a domain with a dot, and a top-level domain of two or more
/// letters.
pub fn has_email(b: &[u8]) -> bool {
    for (at, _) in b.iter().enumerate().filter(|(_, c)| **c == b'@') {
        let local = b[..at]
            .iter()
            .rev()
            .take_while(|c| is_local_char(**c))
            .count();
        if local == 0 || b[at - 1] == b'.' {
            continue;
        }
        let domain_len = b[at + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'.' || **c == b'-')
            .count();
        let domain = &b[at + 1..at + 1 + domain_len];
        let domain = domain.strip_suffix(b".").unwrap_or(domain);
        let Some(dot) = domain.iter().rposition(|c| *c == b'.') else {
            continue;
        };
        let tld = &domain[dot + 1..];
        if dot > 0 && tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) {
            return true;
        }
    }
    false
}

/// Runs of digits with single spaces or dashes between groups, 13 to 19 digits, bounded by
/// non-alphanumerics, with an issuer prefix and a valid Luhn check digit.
pub fn has_card(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut buf = [0u8; 20];
        let mut n = 0;
        let mut j = i;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                buf[n] = b[j] - b'0';
                n += 1;
                j += 1;
            } else if matches!(b[j], b' ' | b'-')
                && j + 1 < b.len()
                && b[j + 1].is_ascii_digit()
                && b[j - 1].is_ascii_digit()
            {
                j += 1;
            } else {
                break;
            }
            if n > 19 {
                break;
            }
        }
        let digits = &buf[..n];
        let bounded = j >= b.len() || !b[j].is_ascii_alphanumeric();
        if bounded && (13..=19).contains(&digits.len()) && issuer(digits) && luhn(digits) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

/// Visa, Mastercard, American Express, Discover, JCB, Diners Club, UnionPay and Maestro prefixes.
fn issuer(d: &[u8]) -> bool {
    let n = |k: usize| d[..k].iter().fold(0u32, |acc, x| acc * 10 + u32::from(*x));
    let len = d.len();
    match d[0] {
        4 => matches!(len, 13 | 16 | 19),
        5 => ((51..=55).contains(&n(2)) && len == 16) || matches!(n(2), 50 | 56..=58),
        2 => (2221..=2720).contains(&n(4)) && len == 16,
        3 => {
            (matches!(n(2), 34 | 37) && len == 15)
                || (3528..=3589).contains(&n(4))
                || matches!(n(2), 36 | 38 | 39)
                || (300..=305).contains(&n(3))
        }
        6 => {
            n(4) == 6011
                || n(2) == 65
                || (644..=649).contains(&n(3))
                || matches!(n(2), 62 | 63 | 67)
        }
        _ => false,
    }
}

pub fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// `AAA-GG-SSSS` bounded by non-alphanumerics, with the area, group and serial numbers the SSA
/// issues (no 000, 666 or 9xx area, no 00 group, no 0000 serial).
pub fn has_ssn(b: &[u8]) -> bool {
    if b.len() < 11 {
        return false;
    }
    for i in 0..=b.len() - 11 {
        let w = &b[i..i + 11];
        let shape = w.iter().enumerate().all(|(k, c)| match k {
            3 | 6 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        if !shape
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'-'))
            || (i + 11 < b.len() && (b[i + 11].is_ascii_alphanumeric() || b[i + 11] == b'-'))
        {
            continue;
        }
        let area = &w[0..3];
        if area == b"000" || area == b"666" || area[0] == b'9' {
            continue;
        }
        if &w[4..6] == b"00" || &w[7..11] == b"0000" {
            continue;
        }
        return true;
    }
    false
}

/// An IP address that is not loopback or unspecified, as a whole value or an item of a
/// comma-separated list (`X-Forwarded-For`), with an optional port.
pub fn has_ip(s: &str) -> bool {
    s.split([',', ' ', ';'])
        .map(|p| p.trim().trim_start_matches("for=").trim_matches('"'))
        .filter(|p| !p.is_empty())
        .any(|p| {
            let addr = p.parse::<std::net::IpAddr>().ok().or_else(|| {
                // `1.2.3.4:5678`, `[::1]:80`
                p.parse::<std::net::SocketAddr>().ok().map(|a| a.ip())
            });
            addr.is_some_and(|a| !a.is_loopback() && !a.is_unspecified())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str, ip: bool) -> Vec<PersonalKind> {
        let mut v = Vec::new();
        scan(s, ip, Glance::of(s.as_bytes()), &mut v);
        v
    }

    #[test]
    fn emails() {
        assert!(has_email(b"mail dana@customer.example now"));
        assert!(has_email(b"<a.b+c@x.co.uk>"));
        for no in [
            "@sentry/node",
            "sentry.python@2.75.0",
            "user@localhost",
            "a@b.c",
            "x.@y.com",
        ] {
            assert!(!has_email(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn cards_need_an_issuer_and_luhn() {
        for yes in [
            "4111 1111 1111 1111",
            "card 5500-0000-0000-0004.",
            "378282246310005",
            "6011111111111117",
            "x:4012888888881881",
        ] {
            assert!(has_card(yes.as_bytes()), "{yes}");
        }
        for no in [
            "4111 1111 1111 1112",     // Luhn
            "1796033702481",           // a timestamp in ms
            "1234567812345670",        // no issuer
            "a4111111111111111",       // glued to a letter
            "41111111111111111111111", // too long
            "4111  1111 1111 1111",    // two spaces
        ] {
            assert!(!has_card(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn ssns() {
        assert!(has_ssn(b"SSN 078-05-1120."));
        for no in [
            "000-12-3456",
            "666-12-3456",
            "900-12-3456",
            "123-00-4567",
            "123-45-0000",
            "2026-11-30",
            "1-078-05-1120",
        ] {
            assert!(!has_ssn(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn ips_only_in_context() {
        assert_eq!(kinds("203.0.113.7", true), vec![PersonalKind::Ip]);
        assert_eq!(kinds("203.0.113.7", false), vec![]);
        assert!(has_ip("198.51.100.23, 10.0.0.1"));
        assert!(has_ip("for=\"2001:db8::1\""));
        assert!(has_ip("203.0.113.7:51234"));
        assert!(!has_ip("127.0.0.1"));
        assert!(!has_ip("0.0.0.0"));
        assert!(!has_ip("Mozilla/5.0"));
        assert_eq!(kinds("{{auto}}", true), vec![PersonalKind::AutoIp]);
    }
}
