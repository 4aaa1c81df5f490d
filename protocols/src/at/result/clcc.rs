//! List of current calls (TS 27.007 §7.18): the answer to `AT+CLCC`, one line per call.
//!
//! ```text
//! +CLCC: <id>,<dir>,<stat>,<mode>,<mpty>[,<number>,<type>[,<alpha>[,<priority>[,<CLI validity>]]]]
//! ```
//!
//! `<dir>` 0 mobile originated, 1 mobile terminated; `<stat>` 0 active, 1 held, 2 dialing,
//! 3 alerting, 4 incoming, 5 waiting (SIMCom adds 6, disconnect); `<mode>` 0 voice.

use std::fmt;

use nom::character::complete::char;
use nom::combinator::opt;
use nom::sequence::preceded;
use serde::Serialize;

use super::field::{comma_uint, complete, opt_uint, prefix, quoted, raw_fields, uint, write_raw};
use crate::call::PartyNumber;

/// `<stat>`: the state of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CallStat {
    Active,
    Held,
    Dialing,
    Alerting,
    Incoming,
    Waiting,
    /// SIMCom's extra value: the call is being released.
    Disconnect,
}

impl CallStat {
    /// The state for a `<stat>` value.
    pub fn from_value(value: u8) -> Option<CallStat> {
        Some(match value {
            0 => CallStat::Active,
            1 => CallStat::Held,
            2 => CallStat::Dialing,
            3 => CallStat::Alerting,
            4 => CallStat::Incoming,
            5 => CallStat::Waiting,
            6 => CallStat::Disconnect,
            _ => return None,
        })
    }

    /// The `<stat>` value.
    pub fn value(self) -> u8 {
        self as u8
    }
}

/// `<dir>`: who placed the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    MobileOriginated,
    MobileTerminated,
}

/// One `+CLCC` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clcc {
    pub id: u8,
    pub direction: Direction,
    pub stat: CallStat,
    pub mode: u8,
    pub multiparty: bool,
    /// `<number>`, when listed.
    pub number: Option<String>,
    /// `<type>`; only with a number, and possibly empty.
    pub number_type: Option<u8>,
    /// `<alpha>,<priority>,<CLI validity>` as received.
    pub rest: Vec<String>,
}

pub(crate) fn direction(value: u8) -> Option<Direction> {
    match value {
        0 => Some(Direction::MobileOriginated),
        1 => Some(Direction::MobileTerminated),
        _ => None,
    }
}

fn flag(value: u8) -> Option<bool> {
    match value {
        0 => Some(false),
        1 => Some(true),
        _ => None,
    }
}

impl Clcc {
    /// Parses the line after framing; `None` when it is not well-formed.
    pub fn parse(line: &str) -> Option<Clcc> {
        let number = opt((preceded(char(','), quoted), preceded(char(','), opt_uint)));
        let parser = (
            preceded(prefix("+CLCC"), uint::<u8>),
            (
                comma_uint::<u8>,
                comma_uint::<u8>,
                comma_uint::<u8>,
                comma_uint::<u8>,
            ),
            number,
            raw_fields,
        );
        let (id, (dir, stat, mode, mpty), number, rest) = complete(parser, line)?;
        if number.is_none() && !rest.is_empty() {
            return None;
        }
        Some(Clcc {
            id,
            direction: direction(dir)?,
            stat: CallStat::from_value(stat)?,
            mode,
            multiparty: flag(mpty)?,
            number: number.map(|(n, _)| n.to_owned()),
            number_type: number.and_then(|(_, t)| t),
            rest,
        })
    }

    /// The other party's number, when listed.
    pub fn party(&self) -> Option<PartyNumber> {
        let number = self.number.as_ref()?;
        let validity = self.rest.get(2).and_then(|v| v.parse().ok());
        Some(super::clip::party_number(
            number,
            self.number_type,
            validity,
        ))
    }
}

impl fmt::Display for Clcc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = match self.direction {
            Direction::MobileOriginated => 0,
            Direction::MobileTerminated => 1,
        };
        write!(
            f,
            "+CLCC: {},{dir},{},{},{}",
            self.id,
            self.stat.value(),
            self.mode,
            u8::from(self.multiparty)
        )?;
        if let Some(number) = &self.number {
            let number_type = super::field::opt_display(self.number_type);
            write!(f, ",\"{number}\",{number_type}")?;
        }
        write_raw(f, &self.rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors() {
        let cases = [
            (
                "+CLCC: 1,0,2,0,0,\"+48601234567\",145",
                1,
                Direction::MobileOriginated,
                CallStat::Dialing,
            ),
            (
                "+CLCC: 1,0,3,0,0,\"+48601234567\",145",
                1,
                Direction::MobileOriginated,
                CallStat::Alerting,
            ),
            (
                "+CLCC: 1,0,0,0,0,\"601234567\",129,\"Office\"",
                1,
                Direction::MobileOriginated,
                CallStat::Active,
            ),
            (
                "+CLCC: 2,1,4,0,0,\"\",128",
                2,
                Direction::MobileTerminated,
                CallStat::Incoming,
            ),
            (
                "+CLCC: 1,1,5,0,1",
                1,
                Direction::MobileTerminated,
                CallStat::Waiting,
            ),
            (
                "+CLCC: 1,0,6,0,0,\"601\",",
                1,
                Direction::MobileOriginated,
                CallStat::Disconnect,
            ),
        ];
        for (line, id, dir, stat) in cases {
            let c = Clcc::parse(line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!((c.id, c.direction, c.stat), (id, dir, stat), "{line}");
            assert_eq!(c.to_string(), line);
        }
    }

    #[test]
    fn party() {
        let c = Clcc::parse("+CLCC: 1,1,4,0,0,\"+48601111222\",145").unwrap();
        assert_eq!(c.party().unwrap().digits, "48601111222");
        assert_eq!(Clcc::parse("+CLCC: 1,1,4,0,0").unwrap().party(), None);
    }

    #[test]
    fn malformed() {
        for line in [
            "+CLCC: 1,0,2,0",
            "+CLCC: 1,2,2,0,0",
            "+CLCC: 1,0,9,0,0",
            "+CLCC: 1,0,2,0,2",
            "+CLCC: 1,0,2,0,0,601,129",
            "+CLCC: x,0,2,0,0",
        ] {
            assert_eq!(Clcc::parse(line), None, "{line}");
        }
    }
}
