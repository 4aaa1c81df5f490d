//! Extended error report (TS 27.007 §6.10): the answer to `AT+CEER`.
//!
//! ```text
//! +CEER: <report>
//! ```
//!
//! `<report>` is free text, implementation-defined: SIMCom prints the cause's name
//! (`Normal call clearing`), Quectel `"CC NORMAL RELEASE",16`-like pairs, others
//! `Cause: 17`. [`Ceer::cause`] recovers a Q.850 value where it can.

use std::fmt;

use serde::Serialize;

use crate::call::Cause;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ceer {
    pub report: String,
}

/// Cause names as the TS 24.008 annex H and vendor manuals spell them.
const NAMED_CAUSES: &[(&str, Cause)] = &[
    ("normal call clearing", Cause::NORMAL_CLEARING),
    ("normal release", Cause::NORMAL_CLEARING),
    ("user busy", Cause::USER_BUSY),
    ("no user responding", Cause::NO_USER_RESPONDING),
    ("no answer", Cause::NO_ANSWER),
    ("call rejected", Cause::CALL_REJECTED),
    ("unassigned", Cause::UNALLOCATED_NUMBER),
    ("temporary failure", Cause::TEMPORARY_FAILURE),
];

impl Ceer {
    /// Parses `+CEER: …`; `None` when the line is something else.
    pub fn parse(line: &str) -> Option<Ceer> {
        let report = line.strip_prefix("+CEER:")?.trim_start();
        Some(Ceer {
            report: report.to_owned(),
        })
    }

    /// The release cause the report names: a trailing number, or a known cause name.
    pub fn cause(&self) -> Option<Cause> {
        let last = self.report.rsplit([',', ' ', ':']).next().unwrap_or("");
        if let Some(cause) = last.parse().ok().and_then(Cause::new) {
            return Some(cause);
        }
        let text = self.report.to_ascii_lowercase();
        NAMED_CAUSES
            .iter()
            .find(|(name, _)| text.contains(name))
            .map(|&(_, cause)| cause)
    }
}

impl fmt::Display for Ceer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+CEER: {}", self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes() {
        for (line, cause) in [
            ("+CEER: Normal call clearing", Some(Cause::NORMAL_CLEARING)),
            ("+CEER: User busy", Some(Cause::USER_BUSY)),
            (
                "+CEER: \"CC NORMAL RELEASE\",16",
                Some(Cause::NORMAL_CLEARING),
            ),
            ("+CEER: Cause: 19", Some(Cause::NO_ANSWER)),
            ("+CEER: No cause information available", None),
        ] {
            let c = Ceer::parse(line).unwrap();
            assert_eq!(c.cause(), cause, "{line}");
            assert_eq!(c.to_string(), line);
        }
    }
}
