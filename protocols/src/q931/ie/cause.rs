//! Cause (EN 300 403-1 §4.5.12, ITU-T Q.850 §2.2).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------+-----+-----------------------+
//!   | 0/1 | coding std|spare|       location        |  octet 3
//!   +-----+-----------+-----+-----------------------+
//!   |  1  |          recommendation                 |  octet 3a (optional)
//!   +-----+-----------------------------------------+
//!   |  1  |          cause value                    |  octet 4
//!   +-----+-----------------------------------------+
//!   |          diagnostic(s), if any                |  octet 5*
//! ```

use nom::Parser;
use nom::combinator::{cond, rest, verify};
use serde::Serialize;

use super::{CodingStandard, ContentError, Parsed, coded, last_octet, octet};
use crate::call;

coded! {
    /// Where the cause was generated (4 bits).
    Location {
        User = 0 => "user",
        PrivateLocal = 1 => "private_network_local_user",
        PublicLocal = 2 => "public_network_local_user",
        Transit = 3 => "transit_network",
        PublicRemote = 4 => "public_network_remote_user",
        PrivateRemote = 5 => "private_network_remote_user",
        International = 7 => "international_network",
        BeyondInterworking = 10 => "beyond_interworking_point",
    }
}

/// Why a call was cleared or a message refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub coding_standard: CodingStandard,
    pub location: Location,
    /// Octet 3a (Q.850 "recommendation"), rarely sent.
    pub recommendation: Option<u8>,
    /// The cause value (7 bits).
    pub value: u8,
    #[serde(serialize_with = "super::serialize_hex")]
    pub diagnostics: Vec<u8>,
}

impl Cause {
    /// An ITU-T coded cause without diagnostics.
    pub fn new(location: Location, cause: call::Cause) -> Cause {
        Cause {
            coding_standard: CodingStandard::Itu,
            location,
            recommendation: None,
            value: cause.value(),
            diagnostics: Vec::new(),
        }
    }

    /// The Q.850 cause, if the value is in range (1–127).
    pub fn cause(&self) -> Option<call::Cause> {
        call::Cause::new(self.value)
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<Cause, ContentError> {
        super::parse_all(contents, parse)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let ext = if self.recommendation.is_some() {
            0
        } else {
            0x80
        };
        out.push(ext | self.coding_standard.code() << 5 | self.location.code() & 0x0f);
        if let Some(recommendation) = self.recommendation {
            out.push(0x80 | recommendation);
        }
        out.push(0x80 | self.value & 0x7f);
        out.extend_from_slice(&self.diagnostics);
    }
}

fn parse(input: &[u8]) -> Parsed<'_, Cause> {
    let (input, o3) = verify(octet, |o: &u8| o & 0x10 == 0).parse(input)?;
    let (input, recommendation) = cond(o3 & 0x80 == 0, last_octet).parse(input)?;
    let (input, o4) = last_octet(input)?;
    let (input, diagnostics) = rest(input)?;
    let cause = Cause {
        coding_standard: CodingStandard::from_code(o3 >> 5 & 0x03),
        location: Location::from_code(o3 & 0x0f),
        recommendation: recommendation.map(|r| r & 0x7f),
        value: o4 & 0x7f,
        diagnostics: diagnostics.to_vec(),
    };
    Ok((input, cause))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Octets, location, recommendation, value, diagnostics.
    type Vector = (&'static [u8], Location, Option<u8>, u8, &'static [u8]);

    /// Q.850 §2 (format) and table 1 (cause values).
    #[test]
    fn vectors() {
        let cases: [Vector; 4] = [
            (&[0x80, 0x90], Location::User, None, 16, &[]),
            (&[0x82, 0x91], Location::PublicLocal, None, 17, &[]),
            (
                &[0x81, 0xe6, 0x03],
                Location::PrivateLocal,
                None,
                102,
                &[0x03],
            ),
            (&[0x02, 0x80, 0x95], Location::PublicLocal, Some(0), 21, &[]),
        ];
        for (bytes, location, recommendation, value, diagnostics) in cases {
            let cause = Cause::decode(bytes).unwrap();
            assert_eq!(cause.location, location);
            assert_eq!(cause.recommendation, recommendation);
            assert_eq!(cause.value, value);
            assert_eq!(cause.diagnostics, diagnostics);
            let mut out = Vec::new();
            cause.encode(&mut out);
            assert_eq!(out, bytes);
        }
    }

    #[test]
    fn built_from_a_q850_cause() {
        let mut out = Vec::new();
        Cause::new(Location::User, call::Cause::USER_BUSY).encode(&mut out);
        assert_eq!(out, [0x80, 0x91]);
    }

    #[test]
    fn malformed() {
        assert_eq!(Cause::decode(&[0x80]), Err(ContentError(1)));
        assert_eq!(Cause::decode(&[0x90, 0x90]), Err(ContentError(0)));
        assert_eq!(Cause::decode(&[0x80, 0x10]), Err(ContentError(1)));
    }
}
