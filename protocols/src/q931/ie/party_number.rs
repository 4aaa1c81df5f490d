//! Calling party number (EN 300 403-1 §4.5.10) and called party number (§4.5.8).
//!
//! ```text
//!   Calling party number:
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------------+-----------------------+
//!   | 0/1 | type of number  |  numbering plan id.   |  octet 3
//!   +-----+-----------+-----+-----------+-----------+
//!   |  1  | present.  |  0     0     0  | screening |  octet 3a (optional)
//!   +-----+-----------+-----------------+-----------+
//!   |  0  |   number digits (IA5)                   |  octets 4*
//!   +-----+-----------------------------------------+
//!
//!   Called party number: octet 3 with bit 8 = 1 (no octet 3a), then the digits.
//! ```

use nom::Parser;
use nom::combinator::{cond, rest, verify};
use serde::Serialize;

use super::{ContentError, Parsed, coded, last_octet, octet};
use crate::call::{NumberKind, PartyNumber, Presentation};

coded! {
    /// Type of number (3 bits).
    NumberType {
        Unknown = 0 => "unknown",
        International = 1 => "international",
        National = 2 => "national",
        NetworkSpecific = 3 => "network_specific",
        Subscriber = 4 => "subscriber",
        Abbreviated = 6 => "abbreviated",
    }
}

coded! {
    /// Numbering plan identification (4 bits).
    NumberingPlan {
        Unknown = 0 => "unknown",
        Isdn = 1 => "isdn_telephony_e164",
        Data = 3 => "data_x121",
        Telex = 4 => "telex_f69",
        National = 8 => "national_standard",
        Private = 9 => "private",
    }
}

coded! {
    /// Presentation indicator (2 bits of octet 3a).
    PresentationIndicator {
        Allowed = 0 => "allowed",
        Restricted = 1 => "restricted",
        NotAvailable = 2 => "not_available",
    }
}

coded! {
    /// Screening indicator (2 bits of octet 3a).
    Screening {
        UserProvidedNotScreened = 0 => "user_provided_not_screened",
        UserProvidedPassed = 1 => "user_provided_verified_and_passed",
        UserProvidedFailed = 2 => "user_provided_verified_and_failed",
        NetworkProvided = 3 => "network_provided",
    }
}

/// The number of the calling party, with its presentation and screening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallingPartyNumber {
    pub number_type: NumberType,
    pub plan: NumberingPlan,
    /// Octet 3a: presentation and screening; absent means "allowed, user provided".
    pub presentation: Option<(PresentationIndicator, Screening)>,
    /// IA5 digits; may be empty when presentation is not available.
    pub digits: String,
}

/// The number the call is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalledPartyNumber {
    pub number_type: NumberType,
    pub plan: NumberingPlan,
    /// IA5 digits; in overlap sending a SETUP may carry none.
    pub digits: String,
}

impl CallingPartyNumber {
    /// The number as the normalized call model sees it.
    pub fn party(&self) -> PartyNumber {
        let presentation = match self.presentation.map(|(p, _)| p) {
            None | Some(PresentationIndicator::Allowed) => Presentation::Allowed,
            Some(PresentationIndicator::Restricted) => Presentation::Restricted,
            Some(_) => Presentation::NotAvailable,
        };
        PartyNumber {
            digits: self.digits.clone(),
            kind: kind(self.number_type),
            presentation,
        }
    }

    /// From the call model; `hide` asks for presentation restricted.
    pub fn from_party(party: &PartyNumber, hide: bool) -> CallingPartyNumber {
        let restricted = hide || party.presentation != Presentation::Allowed;
        let presentation = match (restricted, party.presentation) {
            (_, Presentation::NotAvailable) => PresentationIndicator::NotAvailable,
            (true, _) => PresentationIndicator::Restricted,
            (false, _) => PresentationIndicator::Allowed,
        };
        CallingPartyNumber {
            number_type: number_type(party.kind),
            plan: NumberingPlan::Isdn,
            presentation: Some((presentation, Screening::UserProvidedNotScreened)),
            digits: party.digits.clone(),
        }
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<CallingPartyNumber, ContentError> {
        super::parse_all(contents, parse_calling)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let ext = if self.presentation.is_some() { 0 } else { 0x80 };
        out.push(ext | octet3(self.number_type, self.plan));
        if let Some((presentation, screening)) = self.presentation {
            out.push(0x80 | (presentation.code() & 0x03) << 5 | screening.code() & 0x03);
        }
        out.extend_from_slice(self.digits.as_bytes());
    }
}

impl CalledPartyNumber {
    /// The number as the normalized call model sees it.
    pub fn party(&self) -> PartyNumber {
        PartyNumber {
            digits: self.digits.clone(),
            kind: kind(self.number_type),
            presentation: Presentation::Allowed,
        }
    }

    pub fn from_party(party: &PartyNumber) -> CalledPartyNumber {
        CalledPartyNumber {
            number_type: number_type(party.kind),
            plan: NumberingPlan::Isdn,
            digits: party.digits.clone(),
        }
    }

    /// Further digits sent in INFORMATION during overlap sending (type unknown).
    pub fn digits(digits: impl Into<String>) -> CalledPartyNumber {
        CalledPartyNumber {
            number_type: NumberType::Unknown,
            plan: NumberingPlan::Isdn,
            digits: digits.into(),
        }
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<CalledPartyNumber, ContentError> {
        super::parse_all(contents, |i| {
            let (i, o3) = last_octet(i)?;
            let (i, digits) = ia5_digits(i)?;
            let number = CalledPartyNumber {
                number_type: NumberType::from_code(o3 >> 4 & 0x07),
                plan: NumberingPlan::from_code(o3 & 0x0f),
                digits,
            };
            Ok((i, number))
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(0x80 | octet3(self.number_type, self.plan));
        out.extend_from_slice(self.digits.as_bytes());
    }
}

fn octet3(number_type: NumberType, plan: NumberingPlan) -> u8 {
    (number_type.code() & 0x07) << 4 | plan.code() & 0x0f
}

fn parse_calling(input: &[u8]) -> Parsed<'_, CallingPartyNumber> {
    let (input, o3) = octet(input)?;
    let has_3a = o3 & 0x80 == 0;
    let octet_3a = verify(last_octet, |o: &u8| o & 0x1c == 0);
    let (input, o3a) = cond(has_3a, octet_3a).parse(input)?;
    let (input, digits) = ia5_digits(input)?;
    let number = CallingPartyNumber {
        number_type: NumberType::from_code(o3 >> 4 & 0x07),
        plan: NumberingPlan::from_code(o3 & 0x0f),
        presentation: o3a.map(|o| {
            (
                PresentationIndicator::from_code(o >> 5 & 0x03),
                Screening::from_code(o & 0x03),
            )
        }),
        digits,
    };
    Ok((input, number))
}

/// The rest of the contents as IA5 characters (possibly none).
fn ia5_digits(input: &[u8]) -> Parsed<'_, String> {
    let (input, digits) = verify(rest, |r: &[u8]| r.iter().all(|o| *o < 0x80)).parse(input)?;
    Ok((input, digits.iter().map(|&o| char::from(o)).collect()))
}

fn kind(number_type: NumberType) -> NumberKind {
    match number_type {
        NumberType::International => NumberKind::International,
        NumberType::National => NumberKind::National,
        NumberType::Subscriber => NumberKind::Subscriber,
        _ => NumberKind::Unknown,
    }
}

fn number_type(kind: NumberKind) -> NumberType {
    match kind {
        NumberKind::International => NumberType::International,
        NumberKind::National => NumberType::National,
        NumberKind::Subscriber => NumberType::Subscriber,
        NumberKind::Unknown => NumberType::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EN 300 403-1 §4.5.8 and §4.5.10; type/plan octets as in protocol-facts.md
    /// (`81` unknown/E.164, `91` international, `A1` national).
    #[test]
    fn called_vectors() {
        let cases: [(&[u8], NumberType, &str); 3] = [
            (b"\x81123", NumberType::Unknown, "123"),
            (b"\x9148601111222", NumberType::International, "48601111222"),
            (b"\xa1225551000", NumberType::National, "225551000"),
        ];
        for (bytes, number_type, digits) in cases {
            let number = CalledPartyNumber::decode(bytes).unwrap();
            assert_eq!(number.number_type, number_type);
            assert_eq!(number.plan, NumberingPlan::Isdn);
            assert_eq!(number.digits, digits);
            let mut out = Vec::new();
            number.encode(&mut out);
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn calling_vectors() {
        use PresentationIndicator as P;
        type Vector = (&'static [u8], Option<(P, Screening)>, &'static str);
        let cases: [Vector; 4] = [
            (
                b"\x11\x8348601",
                Some((P::Allowed, Screening::NetworkProvided)),
                "48601",
            ),
            (
                b"\x21\xa3",
                Some((P::Restricted, Screening::NetworkProvided)),
                "",
            ),
            (
                b"\x00\xc0",
                Some((P::NotAvailable, Screening::UserProvidedNotScreened)),
                "",
            ),
            (b"\xa1601", None, "601"),
        ];
        for (bytes, presentation, digits) in cases {
            let number = CallingPartyNumber::decode(bytes).unwrap();
            assert_eq!(number.presentation, presentation);
            assert_eq!(number.digits, digits);
            let mut out = Vec::new();
            number.encode(&mut out);
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn maps_onto_the_call_model() {
        let number = CallingPartyNumber::decode(b"\x21\xa3601").unwrap();
        let party = number.party();
        assert_eq!(party.kind, NumberKind::National);
        assert_eq!(party.presentation, Presentation::Restricted);
        let back = CallingPartyNumber::from_party(&party, false);
        assert_eq!(
            back.presentation.unwrap().0,
            PresentationIndicator::Restricted
        );
    }

    #[test]
    fn malformed() {
        assert_eq!(
            CalledPartyNumber::decode(&[0x01, 0x31]),
            Err(ContentError(0))
        );
        assert_eq!(
            CalledPartyNumber::decode(&[0x81, 0xb1]),
            Err(ContentError(1))
        );
        assert_eq!(CallingPartyNumber::decode(&[0x01]), Err(ContentError(1)));
        assert_eq!(
            CallingPartyNumber::decode(&[0x01, 0x84]),
            Err(ContentError(1))
        );
    }
}
