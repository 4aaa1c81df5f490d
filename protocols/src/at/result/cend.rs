//! Huawei call-end report (E1752 / MU509 AT interface specification).
//!
//! ```text
//! ^CEND:<call_x>,<duration>,<end_status>[,<cc_cause>]
//! ```
//!
//! `<duration>` in seconds from `^CONN` (empty on some LTE firmware); `<end_status>` the
//! module's own end reason; `<cc_cause>` the TS 24.008 §10.5.4.11 call-control cause, whose
//! values coincide with Q.850 (16 normal clearing, 17 user busy, 19 no answer, …).

use std::fmt;

use nom::character::complete::char;
use nom::combinator::opt;
use nom::sequence::preceded;
use serde::Serialize;

use super::field::{complete, opt_display, opt_uint, prefix, uint};
use crate::call::Cause;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cend {
    pub call_id: u8,
    pub duration_s: Option<u32>,
    pub end_status: u16,
    pub cc_cause: Option<u8>,
}

impl Cend {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Cend> {
        let parser = (
            preceded(prefix("^CEND"), uint),
            preceded(char(','), opt_uint),
            preceded(char(','), uint),
            opt(preceded(char(','), opt_uint)),
        );
        let (call_id, duration_s, end_status, cc_cause) = complete(parser, line)?;
        Some(Cend {
            call_id,
            duration_s,
            end_status,
            cc_cause: cc_cause.flatten(),
        })
    }

    /// The release cause: `<cc_cause>` when it is a valid Q.850 value.
    pub fn cause(&self) -> Option<Cause> {
        self.cc_cause.and_then(Cause::new)
    }
}

impl fmt::Display for Cend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "^CEND:{},{},{}",
            self.call_id,
            opt_display(self.duration_s),
            self.end_status
        )?;
        match self.cc_cause {
            Some(cause) => write!(f, ",{cause}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        for (line, duration, status, cause) in [
            (
                "^CEND:1,35,104,16",
                Some(35),
                104,
                Some(Cause::NORMAL_CLEARING),
            ),
            ("^CEND:1,0,104,17", Some(0), 104, Some(Cause::USER_BUSY)),
            ("^CEND:1,,104,19", None, 104, Some(Cause::NO_ANSWER)),
            ("^CEND:2,12,255", Some(12), 255, None),
        ] {
            let c = Cend::parse(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(
                (c.duration_s, c.end_status, c.cause()),
                (duration, status, cause)
            );
            assert_eq!(c.to_string(), line);
        }
        assert_eq!(Cend::parse("^CEND:1,0,104,").unwrap().cc_cause, None);
        assert_eq!(Cend::parse("^CEND:1,0,104,200").unwrap().cause(), None);
    }

    #[test]
    fn malformed() {
        for line in ["^CEND:1", "^CEND:1,0", "^CEND:1,0,x", "^CEND:,0,104"] {
            assert_eq!(Cend::parse(line), None, "{line}");
        }
    }
}
