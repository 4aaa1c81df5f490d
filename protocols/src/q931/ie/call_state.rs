//! Call state (EN 300 403-1 §4.5.7).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----------+-----------------------------------+
//!   | coding std|    call state value (U/N state)   |  octet 3
//!   +-----------+-----------------------------------+
//! ```

use serde::Serialize;

use super::{CodingStandard, ContentError, Parsed, octet};

/// The sender's state for the call (the number of its U or N state).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CallState {
    pub coding_standard: CodingStandard,
    /// 0–63; 0 is Null, 10 Active, 19 Release request, …
    pub value: u8,
}

impl CallState {
    pub fn new(value: u8) -> CallState {
        CallState {
            coding_standard: CodingStandard::Itu,
            value: value & 0x3f,
        }
    }

    pub(crate) fn decode(contents: &[u8]) -> Result<CallState, ContentError> {
        super::parse_all(contents, parse)
    }

    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        out.push(self.coding_standard.code() << 6 | self.value & 0x3f);
    }
}

fn parse(input: &[u8]) -> Parsed<'_, CallState> {
    let (input, o3) = octet(input)?;
    let state = CallState {
        coding_standard: CodingStandard::from_code(o3 >> 6),
        value: o3 & 0x3f,
    };
    Ok((input, state))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Q.931 §4.5.7 call state values (U10 Active, N19 Release request, U25).
    #[test]
    fn vectors() {
        for (octet, value) in [(0x0a, 10), (0x13, 19), (0x19, 25), (0x00, 0)] {
            let state = CallState::decode(&[octet]).unwrap();
            assert_eq!(state, CallState::new(value));
            let mut out = Vec::new();
            state.encode(&mut out);
            assert_eq!(out, [octet]);
        }
        assert_eq!(CallState::decode(&[]), Err(ContentError(0)));
        assert_eq!(CallState::decode(&[1, 2]), Err(ContentError(1)));
    }
}
