//! Progress indicator (EN 300 403-1 §4.5.23).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------+-----+-----------------------+
//!   |  1  | coding std|spare|       location        |  octet 3
//!   +-----+-----------+-----+-----------------------+
//!   |  1  |        progress description             |  octet 4
//!   +-----+-----------------------------------------+
//! ```

use nom::Parser;
use nom::combinator::verify;
use serde::Serialize;

use super::{CodingStandard, ContentError, Location, Parsed, last_octet};

/// #1: call is not end-to-end ISDN; further progress information may be in-band.
pub const NOT_END_TO_END_ISDN: u8 = 1;
/// #2: destination address is non-ISDN.
pub const DESTINATION_NON_ISDN: u8 = 2;
/// #3: origination address is non-ISDN.
pub const ORIGINATION_NON_ISDN: u8 = 3;
/// #8: in-band information or an appropriate pattern is now available.
pub const IN_BAND_INFORMATION: u8 = 8;

/// An event in the progress of the call, chiefly whether in-band audio is available.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ProgressIndicator {
    pub coding_standard: CodingStandard,
    pub location: Location,
    /// The progress description (7 bits).
    pub description: u8,
}

impl ProgressIndicator {
    pub fn new(location: Location, description: u8) -> ProgressIndicator {
        ProgressIndicator {
            coding_standard: CodingStandard::Itu,
            location,
            description: description & 0x7f,
        }
    }

    /// Whether the peer says in-band tones or announcements can be heard (#1 or #8).
    pub fn in_band(&self) -> bool {
        matches!(self.description, NOT_END_TO_END_ISDN | IN_BAND_INFORMATION)
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<ProgressIndicator, ContentError> {
        super::parse_all(contents, parse)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(0x80 | self.coding_standard.code() << 5 | self.location.code() & 0x0f);
        out.push(0x80 | self.description & 0x7f);
    }
}

fn parse(input: &[u8]) -> Parsed<'_, ProgressIndicator> {
    let (input, o3) = verify(last_octet, |o: &u8| o & 0x10 == 0).parse(input)?;
    let (input, o4) = last_octet(input)?;
    let pi = ProgressIndicator {
        coding_standard: CodingStandard::from_code(o3 >> 5 & 0x03),
        location: Location::from_code(o3 & 0x0f),
        description: o4 & 0x7f,
    };
    Ok((input, pi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EN 300 403-1 §4.5.23 (progress descriptions #1, #2, #8).
    #[test]
    fn vectors() {
        let cases: [(&[u8], Location, u8); 3] = [
            (&[0x82, 0x88], Location::PublicLocal, IN_BAND_INFORMATION),
            (&[0x80, 0x81], Location::User, NOT_END_TO_END_ISDN),
            (&[0x84, 0x82], Location::PublicRemote, DESTINATION_NON_ISDN),
        ];
        for (bytes, location, description) in cases {
            let pi = ProgressIndicator::decode(bytes).unwrap();
            assert_eq!(pi, ProgressIndicator::new(location, description));
            let mut out = Vec::new();
            pi.encode(&mut out);
            assert_eq!(out, bytes);
        }
        assert!(ProgressIndicator::new(Location::User, 8).in_band());
        assert!(!ProgressIndicator::new(Location::User, 2).in_band());
    }

    #[test]
    fn malformed() {
        assert_eq!(ProgressIndicator::decode(&[0x82]), Err(ContentError(1)));
        assert_eq!(
            ProgressIndicator::decode(&[0x02, 0x88]),
            Err(ContentError(0))
        );
        assert_eq!(
            ProgressIndicator::decode(&[0x82, 0x88, 0]),
            Err(ContentError(2))
        );
    }
}
