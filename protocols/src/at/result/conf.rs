//! Huawei ringback report (E1752 / MU509 AT interface specification).
//!
//! ```text
//! ^CONF:<call_x>
//! ```
//!
//! The called party is being alerted (the network sent ALERTING / ringback).

use std::fmt;

use serde::Serialize;

use super::field::{complete, prefix, uint};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Conf {
    pub call_id: u8,
}

impl Conf {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Conf> {
        let call_id = complete(nom::sequence::preceded(prefix("^CONF"), uint), line)?;
        Some(Conf { call_id })
    }
}

impl fmt::Display for Conf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "^CONF:{}", self.call_id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        assert_eq!(Conf::parse("^CONF:1"), Some(Conf { call_id: 1 }));
        assert_eq!(Conf::parse("^CONF: 3").unwrap().to_string(), "^CONF:3");
        assert_eq!(Conf::parse("^CONF:"), None);
        assert_eq!(Conf::parse("^CONF:1,0"), None);
    }
}
