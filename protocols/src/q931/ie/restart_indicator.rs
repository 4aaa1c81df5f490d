//! Restart indicator (EN 300 403-1 §4.5.25).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----+-----------------------+-----------------+
//!   |  1  |   spare  0  0  0  0   |      class      |  octet 3
//!   +-----+-----------------------+-----------------+
//! ```

use nom::Parser;
use nom::combinator::verify;
use serde::Serialize;

use super::{ContentError, coded, last_octet};

coded! {
    /// What a RESTART applies to (3 bits).
    RestartClass {
        IndicatedChannels = 0 => "indicated_channels",
        SingleInterface = 6 => "single_interface",
        AllInterfaces = 7 => "all_interfaces",
    }
}

/// The class of facilities a RESTART returns to idle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RestartIndicator {
    pub class: RestartClass,
}

impl RestartIndicator {
    pub(crate) fn decode(contents: &[u8]) -> Result<RestartIndicator, ContentError> {
        super::parse_all(contents, |i| {
            verify(last_octet, |o: &u8| o & 0x78 == 0)
                .parse(i)
                .map(|(i, o)| {
                    let class = RestartClass::from_code(o & 0x07);
                    (i, RestartIndicator { class })
                })
        })
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(0x80 | self.class.code() & 0x07);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        for (octet, class) in [
            (0x80, RestartClass::IndicatedChannels),
            (0x86, RestartClass::SingleInterface),
            (0x87, RestartClass::AllInterfaces),
        ] {
            let ri = RestartIndicator::decode(&[octet]).unwrap();
            assert_eq!(ri.class, class);
            let mut out = Vec::new();
            ri.encode(&mut out);
            assert_eq!(out, [octet]);
        }
        assert_eq!(RestartIndicator::decode(&[0x07]), Err(ContentError(0)));
        assert_eq!(RestartIndicator::decode(&[0x8f]), Err(ContentError(0)));
    }
}
