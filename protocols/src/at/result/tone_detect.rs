//! Quectel DTMF detection report (EC25/EG25 AT manual, `AT+QTONEDET`).
//!
//! ```text
//! +QTONEDET: <dtmfcode>[,<persistence time>]
//! ```
//!
//! `<dtmfcode>` is the key's ASCII code in decimal: 48–57 for `0`–`9`, 42 `*`, 35 `#`,
//! 65–68 `A`–`D`; the optional second field is how long the tone lasted, in ms.

use std::fmt;

use nom::character::complete::char;
use nom::combinator::opt;
use nom::sequence::preceded;
use serde::Serialize;

use super::field::{complete, prefix, uint};
use crate::call::Digit;

/// A key the far end pressed, as reported after `AT+QTONEDET=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ToneDetect {
    pub digit: Digit,
    pub duration_ms: Option<u32>,
}

impl ToneDetect {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<ToneDetect> {
        let parser = (
            preceded(prefix("+QTONEDET"), uint::<u8>),
            opt(preceded(char(','), uint::<u32>)),
        );
        let (code, duration_ms) = complete(parser, line)?;
        Some(ToneDetect {
            digit: Digit::from_char(char::from(code))?,
            duration_ms,
        })
    }
}

impl fmt::Display for ToneDetect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+QTONEDET: {}", self.digit.as_char() as u32)?;
        match self.duration_ms {
            Some(ms) => write!(f, ",{ms}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        for (line, key) in [
            ("+QTONEDET: 49", '1'),
            ("+QTONEDET: 48", '0'),
            ("+QTONEDET: 42", '*'),
            ("+QTONEDET: 35", '#'),
            ("+QTONEDET: 68", 'D'),
            ("+QTONEDET: 53,100", '5'),
        ] {
            let t = ToneDetect::parse(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(t.digit.as_char(), key);
            assert_eq!(t.to_string(), line);
        }
    }

    #[test]
    fn malformed() {
        for line in [
            "+QTONEDET: 1",
            "+QTONEDET: 300",
            "+QTONEDET: ",
            "+QTONEDET: 49,",
        ] {
            assert_eq!(ToneDetect::parse(line), None, "{line}");
        }
    }
}
