//! SIMCom DTMF detection report (SIM800 series AT manual, `AT+DDET`).
//!
//! ```text
//! +DTMF: <key>        <key> one of 0-9 * # A-D
//! ```

use std::fmt;

use nom::character::complete::anychar;
use nom::sequence::preceded;
use serde::Serialize;

use super::field::{complete, prefix};
use crate::call::Digit;

/// A key the far end pressed, as reported after `AT+DDET=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Dtmf {
    pub digit: Digit,
}

impl Dtmf {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Dtmf> {
        let key = complete(preceded(prefix("+DTMF"), anychar), line)?;
        Some(Dtmf {
            digit: Digit::from_char(key)?,
        })
    }
}

impl fmt::Display for Dtmf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+DTMF: {}", self.digit.as_char())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        for key in ['0', '9', '*', '#', 'A', 'D'] {
            let line = format!("+DTMF: {key}");
            let dtmf = Dtmf::parse(&line).unwrap();
            assert_eq!(dtmf.digit.as_char(), key);
            assert_eq!(dtmf.to_string(), line);
        }
        assert_eq!(Dtmf::parse("+DTMF:5").unwrap().digit.as_char(), '5');
    }

    #[test]
    fn malformed() {
        for line in ["+DTMF: ", "+DTMF: E", "+DTMF: 12", "+DTMF 1"] {
            assert_eq!(Dtmf::parse(line), None, "{line}");
        }
    }
}
