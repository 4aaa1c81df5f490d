//! Huawei call-state report (E1752 / MU509 AT interface specification, `AT^DSCI=1`).
//!
//! ```text
//! ^DSCI: <id>,<dir>,<stat>,<type>,<number>,<num_type>[,<tone_info>]
//! ```
//!
//! `<dir>` and `<stat>` as in `+CLCC`; `<number>` may or may not be quoted.

use std::fmt;

use nom::character::complete::char;
use nom::combinator::opt;
use nom::sequence::preceded;
use serde::Serialize;

use super::clcc::{CallStat, Direction, direction};
use super::field::{comma_uint, complete, opt_display, opt_uint, prefix, string_or_bare, uint};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dsci {
    pub call_id: u8,
    pub direction: Direction,
    pub stat: CallStat,
    pub call_type: u8,
    pub number: String,
    pub number_type: Option<u8>,
    pub tone_info: Option<u8>,
}

impl Dsci {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Dsci> {
        let parser = (
            preceded(prefix("^DSCI"), uint::<u8>),
            (comma_uint::<u8>, comma_uint::<u8>, comma_uint::<u8>),
            preceded(char(','), string_or_bare),
            preceded(char(','), opt_uint),
            opt(preceded(char(','), uint)),
        );
        let (call_id, (dir, stat, call_type), number, number_type, tone_info) =
            complete(parser, line)?;
        Some(Dsci {
            call_id,
            direction: direction(dir)?,
            stat: CallStat::from_value(stat)?,
            call_type,
            number: number.to_owned(),
            number_type,
            tone_info,
        })
    }
}

impl fmt::Display for Dsci {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = u8::from(self.direction == Direction::MobileTerminated);
        let quote = if self.number.contains(',') { "\"" } else { "" };
        write!(
            f,
            "^DSCI: {},{dir},{},{},{quote}{}{quote},{}",
            self.call_id,
            self.stat.value(),
            self.call_type,
            self.number,
            opt_display(self.number_type)
        )?;
        match self.tone_info {
            Some(tone) => write!(f, ",{tone}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        for (line, stat) in [
            ("^DSCI: 1,0,2,0,+48601234567,145", CallStat::Dialing),
            ("^DSCI: 1,0,3,0,601234567,129,1", CallStat::Alerting),
            ("^DSCI: 1,1,4,0,,128", CallStat::Incoming),
        ] {
            let d = Dsci::parse(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(d.stat, stat);
            assert_eq!(d.to_string(), line);
        }
        let quoted = Dsci::parse("^DSCI:1,0,0,0,\"601\",129").unwrap();
        assert_eq!(quoted.number, "601");
        assert_eq!(quoted.to_string(), "^DSCI: 1,0,0,0,601,129");
    }

    #[test]
    fn malformed() {
        for line in [
            "^DSCI: 1,0,2,0",
            "^DSCI: 1,3,2,0,601,129",
            "^DSCI: 1,0,2,0,601,x",
        ] {
            assert_eq!(Dsci::parse(line), None, "{line}");
        }
    }
}
