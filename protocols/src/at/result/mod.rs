//! Result lines from the modem: final results, information responses and unsolicited
//! result codes (V.250 §5.7, TS 27.007 §9), each kind in its own file with its tests.
//!
//! A framed line is parsed context-free into a [`Response`]; [`classify`] then says what
//! it is *for*, given the command in flight, because the same text can be both: `+CLCC`
//! lines answer `AT+CLCC` but may also arrive unsolicited, and `NO CARRIER` ends `ATD` but
//! also reports, on its own, that a voice call has ended.

mod ceer;
mod cend;
mod clcc;
mod clip;
mod conf;
mod conn;
mod dsci;
mod dtmf;
pub(crate) mod field;
mod final_result;
mod orig;
mod ring;
mod tone_detect;

use std::fmt;

use serde::Serialize;
use thiserror::Error;

pub use ceer::Ceer;
pub use cend::Cend;
pub use clcc::{CallStat, Clcc, Direction};
pub use clip::{Clip, party_number};
pub use conf::Conf;
pub use conn::Conn;
pub use dsci::Dsci;
pub use dtmf::Dtmf;
pub use final_result::{ErrorCode, FinalResult};
pub use orig::Orig;
pub use ring::Ring;
pub use tone_detect::ToneDetect;

use super::command::Command;

/// One line from the modem, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Response {
    Final(FinalResult),
    Ring(Ring),
    Clip(Clip),
    Clcc(Clcc),
    /// SIMCom `+DTMF`.
    Dtmf(Dtmf),
    /// Quectel `+QTONEDET`.
    ToneDetect(ToneDetect),
    /// Huawei `^ORIG`.
    Orig(Orig),
    /// Huawei `^CONF`.
    Conf(Conf),
    /// Huawei `^CONN`.
    Conn(Conn),
    /// Huawei `^CEND`.
    Cend(Cend),
    /// Huawei `^DSCI`.
    Dsci(Dsci),
    Ceer(Ceer),
    /// Any other line: information text callbackd does not interpret.
    Other {
        text: String,
    },
}

/// A line that names a known result but does not follow its syntax.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("malformed {kind} line: {line:?}")]
pub struct ParseError {
    pub kind: &'static str,
    pub line: String,
}

/// What a line means relative to the command in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    /// Ends the command in flight.
    Final,
    /// Part of the command's answer.
    Information,
    /// Reported on the modem's own initiative.
    Unsolicited,
}

type LineParser = fn(&str) -> Option<Response>;

/// Prefixed results: the prefix that selects the parser, its name, the parser.
const PREFIXED: &[(&str, &str, LineParser)] = &[
    ("+CLIP:", "+CLIP", |l| Clip::parse(l).map(Response::Clip)),
    ("+CLCC:", "+CLCC", |l| Clcc::parse(l).map(Response::Clcc)),
    ("+DTMF:", "+DTMF", |l| Dtmf::parse(l).map(Response::Dtmf)),
    ("+QTONEDET:", "+QTONEDET", |l| {
        ToneDetect::parse(l).map(Response::ToneDetect)
    }),
    ("^ORIG:", "^ORIG", |l| Orig::parse(l).map(Response::Orig)),
    ("^CONF:", "^CONF", |l| Conf::parse(l).map(Response::Conf)),
    ("^CONN:", "^CONN", |l| Conn::parse(l).map(Response::Conn)),
    ("^CEND:", "^CEND", |l| Cend::parse(l).map(Response::Cend)),
    ("^DSCI:", "^DSCI", |l| Dsci::parse(l).map(Response::Dsci)),
];

impl Response {
    /// Parses one framed line (surrounding whitespace is ignored).
    pub fn parse(line: &str) -> Result<Response, ParseError> {
        let line = line.trim_matches(|c: char| c.is_ascii_whitespace());
        if let Some(result) = FinalResult::parse(line) {
            return Ok(Response::Final(result));
        }
        if let Some(ring) = Ring::parse(line) {
            return Ok(Response::Ring(ring));
        }
        if let Some(ceer) = Ceer::parse(line) {
            return Ok(Response::Ceer(ceer));
        }
        match PREFIXED.iter().find(|(p, _, _)| line.starts_with(p)) {
            Some(&(_, kind, parse)) => parse(line).ok_or_else(|| ParseError {
                kind,
                line: line.to_owned(),
            }),
            None => Ok(Response::Other {
                text: line.to_owned(),
            }),
        }
    }

    /// The class of the line without knowing the command in flight.
    pub fn default_class(&self) -> Class {
        match self {
            Response::Final(_) => Class::Final,
            Response::Clcc(_) | Response::Ceer(_) | Response::Other { .. } => Class::Information,
            _ => Class::Unsolicited,
        }
    }
}

/// What `response` is for, given the command in flight (`None` when idle).
pub fn classify(response: &Response, pending: Option<&Command>) -> Class {
    let Some(pending) = pending else {
        return match response {
            Response::Final(result) if result.is_call_status() => Class::Unsolicited,
            Response::Clcc(_) => Class::Unsolicited,
            other => other.default_class(),
        };
    };
    match response {
        Response::Final(result)
            if result.is_call_status() && !pending.may_end_with_call_status() =>
        {
            Class::Unsolicited
        }
        Response::Clcc(_) if *pending != Command::ListCalls => Class::Unsolicited,
        other => other.default_class(),
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Response::Final(r) => r.fmt(f),
            Response::Ring(r) => r.fmt(f),
            Response::Clip(r) => r.fmt(f),
            Response::Clcc(r) => r.fmt(f),
            Response::Dtmf(r) => r.fmt(f),
            Response::ToneDetect(r) => r.fmt(f),
            Response::Orig(r) => r.fmt(f),
            Response::Conf(r) => r.fmt(f),
            Response::Conn(r) => r.fmt(f),
            Response::Cend(r) => r.fmt(f),
            Response::Dsci(r) => r.fmt(f),
            Response::Ceer(r) => r.fmt(f),
            Response::Other { text } => f.write_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch() {
        assert_eq!(Response::parse("OK"), Ok(Response::Final(FinalResult::Ok)));
        assert_eq!(
            Response::parse("  OK \t"),
            Ok(Response::Final(FinalResult::Ok))
        );
        assert!(matches!(Response::parse("RING"), Ok(Response::Ring(_))));
        assert!(matches!(
            Response::parse("+CRING: VOICE"),
            Ok(Response::Ring(_))
        ));
        assert!(matches!(
            Response::parse("+CLIP: \"1\",129"),
            Ok(Response::Clip(_))
        ));
        assert!(matches!(
            Response::parse("^CEND:1,2,104,16"),
            Ok(Response::Cend(_))
        ));
        assert!(matches!(
            Response::parse("+CSQ: 20,0"),
            Ok(Response::Other { .. })
        ));
    }

    #[test]
    fn malformed_known_prefix_is_an_error() {
        let err = Response::parse("+CLIP: garbage").unwrap_err();
        assert_eq!(err.kind, "+CLIP");
        assert!(Response::parse("^ORIG:x").is_err());
    }

    #[test]
    fn classification_depends_on_the_command_in_flight() {
        let clcc = Response::parse("+CLCC: 1,1,4,0,0").unwrap();
        let no_carrier = Response::Final(FinalResult::NoCarrier);
        let ok = Response::Final(FinalResult::Ok);
        let dial = Command::Dial {
            number: "601".into(),
            hide_cli: false,
        };
        assert_eq!(
            classify(&clcc, Some(&Command::ListCalls)),
            Class::Information
        );
        assert_eq!(classify(&clcc, Some(&Command::EchoOff)), Class::Unsolicited);
        assert_eq!(classify(&no_carrier, Some(&dial)), Class::Final);
        assert_eq!(
            classify(&no_carrier, Some(&Command::ListCalls)),
            Class::Unsolicited
        );
        assert_eq!(classify(&no_carrier, None), Class::Unsolicited);
        assert_eq!(classify(&ok, Some(&Command::ListCalls)), Class::Final);
        let ring = Response::parse("RING").unwrap();
        assert_eq!(
            classify(&ring, Some(&Command::ListCalls)),
            Class::Unsolicited
        );
    }

    #[test]
    fn print_then_parse_is_stable() {
        for line in [
            "OK",
            "+CME ERROR: 3",
            "RING",
            "+CRING: VOICE",
            "+CLIP: \"+48601111222\",145,,,,0",
            "+CLCC: 1,0,3,0,0,\"601\",129",
            "+DTMF: #",
            "+QTONEDET: 35",
            "^ORIG:1,0",
            "^CONF:1",
            "^CONN:1,0",
            "^CEND:1,5,104,16",
            "^DSCI: 1,0,0,0,601,129",
            "+CEER: User busy",
            "+CSQ: 20,0",
        ] {
            let r = Response::parse(line).unwrap();
            assert_eq!(r.to_string(), line);
            assert_eq!(Response::parse(&r.to_string()), Ok(r));
        }
    }
}
