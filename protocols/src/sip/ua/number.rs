//! Telephone numbers in SIP URIs: reading the called and calling party of an incoming
//! INVITE, writing them for an outgoing one.
//!
//! Reading (spec §2): the calling number comes from P-Asserted-Identity when the source
//! is the trusted peer (RFC 3325: only a trust domain may assert), else from the From
//! user part. A leading `+` makes the number international; visual separators
//! (`-`, `.`, `(`, `)`, RFC 3966) are dropped. `Privacy: id` (RFC 3325 §9.3) marks it
//! presentation-restricted; an `anonymous` user means the caller withheld it
//! (restricted, no digits); a user part that is not a number at all (`alice`) delivers
//! no CLI (`None`).
//!
//! Writing: per [`NumberFormat`]; international numbers are `+cc…`, national numbers get
//! the trunk's country code added for E.164 and international formats; numbers of
//! unknown type (internal extensions) go as they are.

use crate::call::{NumberKind, PartyNumber, Presentation};
use crate::sip::{Host, Message, NameAddr, SipUri, Uri};

use super::config::NumberFormat;

/// The digits and `+` of a URI's user part or tel number, or `None` if it is no number.
fn number_text(uri: &Uri) -> Option<String> {
    let raw = match uri {
        Uri::Sip(u) => u.user.as_deref()?,
        Uri::Tel(t) => &t.number,
        Uri::Other(_) => return None,
    };
    let raw = raw.split(';').next().unwrap_or("");
    let cleaned: String = raw
        .chars()
        .filter(|c| !matches!(c, '-' | '.' | '(' | ')'))
        .collect();
    let digits = cleaned.strip_prefix('+').unwrap_or(&cleaned);
    let valid = !digits.is_empty()
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '*' || c == '#');
    valid.then_some(cleaned)
}

fn is_anonymous(uri: &Uri) -> bool {
    match uri {
        Uri::Sip(u) => u
            .user
            .as_deref()
            .is_some_and(|user| user.eq_ignore_ascii_case("anonymous")),
        _ => false,
    }
}

/// A number as the peer wrote it, with `presentation`.
fn party(text: &str, presentation: Presentation) -> PartyNumber {
    match text.strip_prefix('+') {
        Some(digits) => PartyNumber {
            digits: digits.to_owned(),
            kind: NumberKind::International,
            presentation,
        },
        None => PartyNumber {
            digits: text.to_owned(),
            kind: NumberKind::Unknown,
            presentation,
        },
    }
}

/// The called number: the Request-URI's user part, else the To user part.
pub fn called(invite: &Message) -> Option<PartyNumber> {
    let from_ruri = invite.request_line().and_then(|l| number_text(&l.uri));
    let text = from_ruri.or_else(|| invite.to().ok().and_then(|to| number_text(&to.addr.uri)))?;
    Some(party(&text, Presentation::Allowed))
}

/// The calling number; `asserted` when the source may assert an identity.
pub fn calling(invite: &Message, asserted: bool) -> Option<PartyNumber> {
    let hidden = invite
        .privacy()
        .ok()
        .flatten()
        .is_some_and(|p| p.has("id") || p.has("user") || p.has("header"));
    let presentation = if hidden {
        Presentation::Restricted
    } else {
        Presentation::Allowed
    };
    let pai = asserted
        .then(|| invite.p_asserted_identities().ok())
        .flatten()
        .unwrap_or_default();
    if let Some(text) = pai.iter().find_map(|p| number_text(&p.0.uri)) {
        return Some(party(&text, presentation));
    }
    let from = invite.from().ok()?;
    if is_anonymous(&from.addr.uri) {
        return Some(PartyNumber {
            digits: String::new(),
            kind: NumberKind::Unknown,
            presentation: Presentation::Restricted,
        });
    }
    number_text(&from.addr.uri).map(|text| party(&text, presentation))
}

/// The user part for `number` on a trunk writing numbers in `format`.
pub fn user_part(number: &PartyNumber, format: NumberFormat, country_code: &str) -> String {
    let international = match number.kind {
        NumberKind::International => Some(number.digits.clone()),
        NumberKind::National => Some(format!("{country_code}{}", number.digits)),
        NumberKind::Unknown | NumberKind::Subscriber => None,
    };
    let Some(international) = international else {
        return number.digits.clone();
    };
    match format {
        NumberFormat::E164 => format!("+{international}"),
        NumberFormat::International => international,
        NumberFormat::National => match international.strip_prefix(country_code) {
            Some(national) if !country_code.is_empty() => national.to_owned(),
            _ => international,
        },
    }
}

/// The From of a caller who withholds the number (RFC 3323 §4.1.1.3).
pub fn anonymous_from() -> NameAddr {
    let uri = SipUri::new(Some("anonymous"), Host::Name("anonymous.invalid".into()));
    NameAddr::with_display("Anonymous", Uri::Sip(uri))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(extra: &str) -> Message {
        let text = format!(
            "INVITE sip:+48225551000@192.0.2.1;user=phone SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bK1\r\n\
From: <sip:0601-111-222@192.0.2.9>;tag=1\r\nTo: <sip:x@192.0.2.1>\r\n\
Call-ID: c@h\r\nCSeq: 1 INVITE\r\n{extra}\r\n"
        );
        Message::parse(text).unwrap()
    }

    fn number(digits: &str, kind: NumberKind, presentation: Presentation) -> PartyNumber {
        PartyNumber {
            digits: digits.into(),
            kind,
            presentation,
        }
    }

    #[test]
    fn called_from_the_request_uri() {
        let n = called(&invite("")).unwrap();
        assert_eq!(
            n,
            number(
                "48225551000",
                NumberKind::International,
                Presentation::Allowed
            )
        );
    }

    #[test]
    fn pai_only_when_asserted_and_privacy_restricts() {
        let m = invite("P-Asserted-Identity: <tel:+48601111222>\r\nPrivacy: id\r\n");
        let asserted = calling(&m, true).unwrap();
        assert_eq!(asserted.digits, "48601111222");
        assert_eq!(asserted.presentation, Presentation::Restricted);
        let from = calling(&m, false).unwrap();
        assert_eq!(
            from,
            number("0601111222", NumberKind::Unknown, Presentation::Restricted)
        );
    }

    #[test]
    fn anonymous_and_non_numeric_callers() {
        let text = String::from_utf8(invite("").to_bytes().to_vec()).unwrap();
        let anon = Message::parse(text.replace("0601-111-222", "Anonymous")).unwrap();
        assert_eq!(
            calling(&anon, true).unwrap(),
            number("", NumberKind::Unknown, Presentation::Restricted)
        );
        let alice = Message::parse(text.replace("0601-111-222", "alice")).unwrap();
        assert_eq!(calling(&alice, true), None);
    }

    #[test]
    fn user_parts_per_number_format() {
        let intl = number(
            "48601234567",
            NumberKind::International,
            Presentation::Allowed,
        );
        let national = number("601234567", NumberKind::National, Presentation::Allowed);
        let ext = number("101", NumberKind::Unknown, Presentation::Allowed);
        let cases = [
            (&intl, NumberFormat::E164, "+48601234567"),
            (&intl, NumberFormat::International, "48601234567"),
            (&intl, NumberFormat::National, "601234567"),
            (&national, NumberFormat::E164, "+48601234567"),
            (&national, NumberFormat::National, "601234567"),
            (&ext, NumberFormat::E164, "101"),
        ];
        for (n, format, want) in cases {
            assert_eq!(user_part(n, format, "48"), want, "{format:?}");
        }
        let foreign = number("4930123", NumberKind::International, Presentation::Allowed);
        assert_eq!(user_part(&foreign, NumberFormat::National, "48"), "4930123");
    }
}
