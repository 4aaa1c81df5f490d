//! Calling line identification presentation (TS 27.007 §7.6), enabled by `AT+CLIP=1`.
//!
//! ```text
//! +CLIP: <number>,<type>[,<subaddr>,<satype>[,[<alpha>][,<CLI validity>]]]
//! ```
//!
//! `<type>` is the TS 24.008 §10.5.4.7 type-of-address octet: 145 international, 129
//! unknown, 161 national, 128 (or an empty number) when the caller withheld it.
//! `<CLI validity>`: 0 valid, 1 withheld by the caller, 2 not available (network).
//! Some modules send `+CLIP` before the first `RING`, most after it, and without a CLI
//! service none at all.

use std::fmt;

use nom::character::complete::char;
use nom::sequence::preceded;
use serde::Serialize;

use super::field::{complete, opt_uint, prefix, quoted, raw_fields, write_raw};
use crate::call::{NumberKind, PartyNumber, Presentation};

/// A `+CLIP` report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clip {
    pub number: String,
    /// The type-of-address octet; `None` when the field is empty.
    pub number_type: Option<u8>,
    /// `<subaddr>,<satype>,<alpha>,<CLI validity>` as received.
    pub rest: Vec<String>,
}

impl Clip {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Clip> {
        let parser = (
            preceded(prefix("+CLIP"), quoted),
            preceded(char(','), opt_uint),
            raw_fields,
        );
        complete(parser, line).map(|(number, number_type, rest)| Clip {
            number: number.to_owned(),
            number_type,
            rest,
        })
    }

    /// The `<CLI validity>` field, when present.
    pub fn validity(&self) -> Option<u8> {
        self.rest.get(3).and_then(|v| v.parse().ok())
    }

    /// The caller as the call model describes it.
    pub fn calling(&self) -> PartyNumber {
        party_number(&self.number, self.number_type, self.validity())
    }
}

/// Maps a 27.007 number, its type octet and CLI validity onto [`PartyNumber`].
pub fn party_number(number: &str, number_type: Option<u8>, validity: Option<u8>) -> PartyNumber {
    let digits = number.strip_prefix('+').unwrap_or(number);
    let dialable = digits
        .chars()
        .all(|c| c.is_ascii_digit() || c == '*' || c == '#');
    let presentation = match (validity, number_type) {
        (Some(2), _) => Presentation::NotAvailable,
        (Some(1), _) | (_, Some(128)) => Presentation::Restricted,
        _ if digits.is_empty() => Presentation::Restricted,
        _ if !dialable => Presentation::NotAvailable,
        _ => Presentation::Allowed,
    };
    let kind = match number_type {
        _ if number.starts_with('+') => NumberKind::International,
        Some(t) => number_kind(t),
        None => NumberKind::Unknown,
    };
    PartyNumber {
        digits: if dialable && presentation == Presentation::Allowed {
            digits.to_owned()
        } else {
            String::new()
        },
        kind,
        presentation,
    }
}

/// The type-of-number bits (TS 24.008 §10.5.4.7, bits 7–5) of a type-of-address octet.
fn number_kind(octet: u8) -> NumberKind {
    match (octet >> 4) & 0x07 {
        1 => NumberKind::International,
        2 => NumberKind::National,
        4 => NumberKind::Subscriber,
        _ => NumberKind::Unknown,
    }
}

impl fmt::Display for Clip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+CLIP: \"{}\",", self.number)?;
        if let Some(t) = self.number_type {
            write!(f, "{t}")?;
        }
        write_raw(f, &self.rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pn(digits: &str, kind: NumberKind, presentation: Presentation) -> PartyNumber {
        PartyNumber {
            digits: digits.into(),
            kind,
            presentation,
        }
    }

    #[test]
    fn vectors() {
        use NumberKind::*;
        use Presentation::*;
        let cases = [
            (
                "+CLIP: \"+48601111222\",145",
                pn("48601111222", International, Allowed),
            ),
            (
                "+CLIP: \"48601111222\",145,,,,0",
                pn("48601111222", International, Allowed),
            ),
            (
                "+CLIP: \"601111222\",129",
                pn("601111222", Unknown, Allowed),
            ),
            (
                "+CLIP: \"601111222\",161,\"\",0,\"Jan\",0",
                pn("601111222", National, Allowed),
            ),
            ("+CLIP: \"\",128", pn("", Unknown, Restricted)),
            ("+CLIP: \"\",128,,,,1", pn("", Unknown, Restricted)),
            ("+CLIP: \"\",129,,,,2", pn("", Unknown, NotAvailable)),
            ("+CLIP: \"\",", pn("", Unknown, Restricted)),
            ("+CLIP: \"Unknown\",129", pn("", Unknown, NotAvailable)),
        ];
        for (line, expected) in cases {
            let clip = Clip::parse(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(clip.calling(), expected, "{line}");
            assert_eq!(clip.to_string(), line);
        }
    }

    #[test]
    fn no_space_after_colon() {
        let clip = Clip::parse("+CLIP:\"601\",129").unwrap();
        assert_eq!(clip.number, "601");
        assert_eq!(clip.to_string(), "+CLIP: \"601\",129");
    }

    #[test]
    fn malformed() {
        for line in [
            "+CLIP: 601,129",
            "+CLIP: \"601\"",
            "+CLIP: \"601\",x",
            "+CLIP: \"601",
        ] {
            assert_eq!(Clip::parse(line), None, "{line}");
        }
    }
}
