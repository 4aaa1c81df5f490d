//! Huawei call-connected report (E1752 / MU509 AT interface specification).
//!
//! ```text
//! ^CONN:<call_x>,<call_type>
//! ```
//!
//! Sent when the far end answers an outgoing call, or when we answer an incoming one.

use std::fmt;

use nom::sequence::preceded;
use serde::Serialize;

use super::field::{comma_uint, complete, prefix, uint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Conn {
    pub call_id: u8,
    pub call_type: u8,
}

impl Conn {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Conn> {
        let parser = (preceded(prefix("^CONN"), uint), comma_uint);
        let (call_id, call_type) = complete(parser, line)?;
        Some(Conn { call_id, call_type })
    }
}

impl fmt::Display for Conn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "^CONN:{},{}", self.call_id, self.call_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        let c = Conn::parse("^CONN:1,0").unwrap();
        assert_eq!((c.call_id, c.call_type), (1, 0));
        assert_eq!(c.to_string(), "^CONN:1,0");
        assert_eq!(Conn::parse("^CONN:1,"), None);
    }
}
