//! Huawei call-origination report (E1752 / MU509 AT interface specification).
//!
//! ```text
//! ^ORIG:<call_x>,<call_type>        <call_type> 0 voice, 9 emergency
//! ```
//!
//! Sent once `ATD…;` has been taken by the network side: the call is proceeding.

use std::fmt;

use nom::sequence::preceded;
use serde::Serialize;

use super::field::{comma_uint, complete, prefix, uint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Orig {
    pub call_id: u8,
    pub call_type: u8,
}

impl Orig {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Orig> {
        let parser = (preceded(prefix("^ORIG"), uint), comma_uint);
        let (call_id, call_type) = complete(parser, line)?;
        Some(Orig { call_id, call_type })
    }
}

impl fmt::Display for Orig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "^ORIG:{},{}", self.call_id, self.call_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let o = Orig::parse("^ORIG:1,0").unwrap();
        assert_eq!((o.call_id, o.call_type), (1, 0));
        assert_eq!(o.to_string(), "^ORIG:1,0");
        assert_eq!(Orig::parse("^ORIG: 2,9").unwrap().call_id, 2);
        assert_eq!(Orig::parse("^ORIG:1"), None);
        assert_eq!(Orig::parse("^ORIG:1,0,0"), None);
    }
}
