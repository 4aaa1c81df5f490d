//! Date/time (EN 300 403-1 §4.5.15).
//!
//! ```text
//!   +-----------------------------------------------+
//!   |  year (last two digits)                       |  octet 3
//!   |  month                                        |  octet 4
//!   |  day                                          |  octet 5
//!   |  hour                                         |  octet 6 (optional)
//!   |  minute                                       |  octet 7 (optional)
//!   |  second                                       |  octet 8 (optional)
//!   +-----------------------------------------------+
//! ```
//!
//! Each octet is a binary number. An optional octet may only be present when the ones
//! before it are.

use nom::Parser;
use nom::combinator::opt;
use serde::Serialize;

use super::{ContentError, octet};

/// The network's date and time, typically in CONNECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DateTime {
    pub year: u8,
    pub month: u8,
    pub day: u8,
    pub hour: Option<u8>,
    /// Present only with `hour`.
    pub minute: Option<u8>,
    /// Present only with `minute`.
    pub second: Option<u8>,
}

impl DateTime {
    pub(crate) fn decode(contents: &[u8]) -> Result<DateTime, ContentError> {
        super::parse_all(contents, |i| {
            let (i, (year, month, day)) = (octet, octet, octet).parse(i)?;
            let (i, hour) = opt(octet).parse(i)?;
            let (i, minute) = opt(octet).parse(i)?;
            let (i, second) = opt(octet).parse(i)?;
            let dt = DateTime {
                year,
                month,
                day,
                hour,
                minute,
                second,
            };
            Ok((i, dt))
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.year, self.month, self.day]);
        let time = [self.hour, self.minute, self.second];
        out.extend(time.into_iter().map_while(|o| o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        let cases: [&[u8]; 3] = [&[26, 11, 25], &[26, 11, 25, 20, 45], &[99, 1, 1, 0, 0, 59]];
        for bytes in cases {
            let dt = DateTime::decode(bytes).unwrap();
            let mut out = Vec::new();
            dt.encode(&mut out);
            assert_eq!(out, bytes);
        }
        let dt = DateTime::decode(&[26, 11, 25, 20, 45]).unwrap();
        assert_eq!((dt.hour, dt.minute, dt.second), (Some(20), Some(45), None));
        assert_eq!(DateTime::decode(&[26, 11]), Err(ContentError(2)));
        assert_eq!(
            DateTime::decode(&[1, 2, 3, 4, 5, 6, 7]),
            Err(ContentError(6))
        );
    }
}
