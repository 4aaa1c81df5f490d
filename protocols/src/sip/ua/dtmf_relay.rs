//! DTMF in SIP INFO bodies: `application/dtmf-relay` (the Cisco form every gateway
//! speaks) and the bare `application/dtmf`.
//!
//! ```text
//! Signal=5
//! Duration=160
//! ```
//!
//! `Signal` is the key (`0`–`9`, `*`, `#`, `A`–`D`; some senders write 10 and 11 for
//! `*` and `#`), `Duration` the tone length in milliseconds.

use crate::call::Digit;

/// The content types read as DTMF.
pub fn is_dtmf_type(mtype: &str, subtype: &str) -> bool {
    mtype.eq_ignore_ascii_case("application")
        && (subtype.eq_ignore_ascii_case("dtmf-relay") || subtype.eq_ignore_ascii_case("dtmf"))
}

/// The key of a `Signal` value.
fn signal(value: &str) -> Option<Digit> {
    let value = value.trim();
    let mut chars = value.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Digit::from_char(c),
        _ => value.parse().ok().and_then(Digit::from_event),
    }
}

/// The key an INFO body carries: `Signal=` for dtmf-relay, or the whole body.
pub fn parse(body: &[u8]) -> Option<Digit> {
    let text = std::str::from_utf8(body).ok()?;
    for line in text.lines() {
        if let Some((name, value)) = line.split_once('=')
            && name.trim().eq_ignore_ascii_case("signal")
        {
            return signal(value);
        }
    }
    signal(text)
}

/// The dtmf-relay body for `digit`, 160 ms long.
pub fn body(digit: Digit) -> String {
    format!("Signal={}\r\nDuration=160\r\n", digit.as_char())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relay_and_bare_bodies() {
        let five = Digit::from_char('5');
        assert_eq!(parse(b"Signal=5\r\nDuration=160\r\n"), five);
        assert_eq!(parse(b"signal = #\nduration=100"), Digit::from_char('#'));
        assert_eq!(parse(b"Signal=10\r\n"), Digit::from_char('*'));
        assert_eq!(parse(b"5"), five);
        assert_eq!(parse(b"Signal=E\r\n"), None);
        assert_eq!(parse(b"\xff"), None);
        assert_eq!(parse(body(five.unwrap()).as_bytes()), five);
        assert!(is_dtmf_type("Application", "DTMF-Relay"));
    }
}
