//! The incoming-call alert (V.250 §6.3.4, TS 27.007 §6.11).
//!
//! ```text
//! RING                     (AT+CRC=0)
//! +CRING: <type>           (AT+CRC=1; <type> e.g. VOICE, FAX, "REL ASYNC")
//! ```

use std::fmt;

use serde::Serialize;

/// `RING`, or `+CRING: <type>` when the extended format is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ring {
    /// The `+CRING` call type; `None` for a plain `RING`.
    pub call_type: Option<String>,
}

impl Ring {
    /// Parses `RING` or `+CRING: …`; `None` when the line is neither.
    pub fn parse(line: &str) -> Option<Ring> {
        if line == "RING" {
            return Some(Ring { call_type: None });
        }
        let call_type = line.strip_prefix("+CRING:")?.trim_start();
        Some(Ring {
            call_type: Some(call_type.to_owned()),
        })
    }

    /// Whether the alert is for a voice call (a plain `RING` is assumed to be).
    pub fn is_voice(&self) -> bool {
        self.call_type.as_deref().is_none_or(|t| t == "VOICE")
    }
}

impl fmt::Display for Ring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.call_type {
            None => f.write_str("RING"),
            Some(t) => write!(f, "+CRING: {t}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_print() {
        for (line, voice) in [
            ("RING", true),
            ("+CRING: VOICE", true),
            ("+CRING: FAX", false),
        ] {
            let ring = Ring::parse(line).unwrap();
            assert_eq!(ring.is_voice(), voice);
            assert_eq!(ring.to_string(), line);
        }
        assert_eq!(
            Ring::parse("+CRING:VOICE").unwrap().call_type.as_deref(),
            Some("VOICE")
        );
        assert_eq!(Ring::parse("RINGING"), None);
    }
}
