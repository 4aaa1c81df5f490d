//! Command lines callbackd sends (V.250 §5.2, TS 27.007, vendor manuals), built from
//! typed values and printed without the S3 terminator; [`Command::parse`] reads them back
//! for transcripts.

use std::fmt;
use std::time::Duration;

use serde::Serialize;
use thiserror::Error;

use crate::call::{Digit, NumberKind, PartyNumber};

/// The longest dial string accepted (TS 27.007 allows more; networks take 20-odd digits).
const MAX_DIAL_DIGITS: usize = 32;

/// One command line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// `AT`: attention, a no-op to check the link.
    Attention,
    /// `ATE0`: echo off.
    EchoOff,
    /// `AT+CLIP=1`: report the caller's number.
    CallerIdOn,
    /// `AT+CRC=1`: `+CRING: <type>` instead of `RING`.
    CallTypeRingOn,
    /// `AT+CVHU=0`: `ATH` hangs up voice calls too.
    VoiceHangupByAth,
    /// `ATD<number>;` (voice), `ATD<number>I;` to withhold our CLI.
    Dial { number: String, hide_cli: bool },
    /// `ATA`: answer.
    Answer,
    /// `AT+CHUP`: hang up (TS 27.007 §6.5).
    HangUp,
    /// `ATH`: go on hook (V.250).
    OnHook,
    /// `AT+VTS=<d>`: send one DTMF tone.
    SendTone(Digit),
    /// Huawei `AT^DTMF=<call_x>,<d>`.
    HuaweiSendTone { call_id: u8, digit: Digit },
    /// `AT+CLCC`: list current calls.
    ListCalls,
    /// `AT+CEER`: extended error report (why the last call ended).
    ExtendedError,
    /// SIMCom `AT+DDET=1`: report received DTMF as `+DTMF`.
    SimcomDtmfDetectOn,
    /// Quectel `AT+QTONEDET=1`: report received DTMF as `+QTONEDET`.
    QuectelToneDetectOn,
    /// Huawei `AT^DDSETEX=2`: voice PCM on the audio serial port.
    HuaweiAudioOn,
    /// Any other command line (only met when reading transcripts).
    Other { line: String },
}

/// Why a command could not be built or read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    #[error("number {0:?} cannot be dialled (digits, * and # only, at most {MAX_DIAL_DIGITS})")]
    InvalidNumber(String),
    #[error("not a command line (no AT prefix): {0:?}")]
    NotACommand(String),
}

/// Fixed command texts; matched case-insensitively when reading.
const FIXED: &[(&str, Command)] = &[
    ("AT", Command::Attention),
    ("ATE0", Command::EchoOff),
    ("AT+CLIP=1", Command::CallerIdOn),
    ("AT+CRC=1", Command::CallTypeRingOn),
    ("AT+CVHU=0", Command::VoiceHangupByAth),
    ("ATA", Command::Answer),
    ("AT+CHUP", Command::HangUp),
    ("ATH", Command::OnHook),
    ("AT+CLCC", Command::ListCalls),
    ("AT+CEER", Command::ExtendedError),
    ("AT+DDET=1", Command::SimcomDtmfDetectOn),
    ("AT+QTONEDET=1", Command::QuectelToneDetectOn),
    ("AT^DDSETEX=2", Command::HuaweiAudioOn),
];

impl Command {
    /// `ATD…;` for a number: `+` and the digits when it is international.
    pub fn dial(called: &PartyNumber, hide_cli: bool) -> Result<Command, CommandError> {
        let digits = &called.digits;
        let dialable = !digits.is_empty()
            && digits.len() <= MAX_DIAL_DIGITS
            && digits.chars().all(is_dial_digit);
        if !dialable {
            return Err(CommandError::InvalidNumber(digits.clone()));
        }
        let plus = if called.kind == NumberKind::International {
            "+"
        } else {
            ""
        };
        Ok(Command::Dial {
            number: format!("{plus}{digits}"),
            hide_cli,
        })
    }

    /// Reads a command line as printed in a transcript.
    pub fn parse(line: &str) -> Result<Command, CommandError> {
        let line = line.trim_end_matches(['\r', '\n']);
        let has_prefix = starts_with_ignore_case(line, "AT");
        if !has_prefix || line.chars().any(|c| c.is_control()) {
            return Err(CommandError::NotACommand(line.to_owned()));
        }
        if let Some((_, cmd)) = FIXED.iter().find(|(t, _)| t.eq_ignore_ascii_case(line)) {
            return Ok(cmd.clone());
        }
        Ok(parse_dial(line)
            .or_else(|| parse_tone(line))
            .unwrap_or_else(|| Command::Other {
                line: line.to_owned(),
            }))
    }

    /// How long the modem may take to answer.
    pub fn timeout(&self) -> Duration {
        match self {
            // Modules that hold the final until the call is set up need the network's time.
            Command::Dial { .. } => Duration::from_secs(60),
            Command::Answer | Command::HangUp | Command::OnHook => Duration::from_secs(20),
            _ => Duration::from_secs(5),
        }
    }

    /// Whether sending it twice is harmless, so a timeout may be retried.
    pub fn is_idempotent(&self) -> bool {
        !matches!(
            self,
            Command::Dial { .. }
                | Command::Answer
                | Command::SendTone(_)
                | Command::HuaweiSendTone { .. }
                | Command::Other { .. }
        )
    }

    /// Whether `NO CARRIER` / `BUSY` / `NO ANSWER` / `NO DIALTONE` may be its final result.
    pub fn may_end_with_call_status(&self) -> bool {
        matches!(self, Command::Dial { .. } | Command::Answer)
    }
}

/// Whether `line` opens with the ASCII `prefix`, in any case (safe on any UTF-8).
fn starts_with_ignore_case(line: &str, prefix: &str) -> bool {
    line.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn is_dial_digit(c: char) -> bool {
    c.is_ascii_digit() || c == '*' || c == '#'
}

fn parse_dial(line: &str) -> Option<Command> {
    let rest = line
        .get(3..)
        .filter(|_| line[..3].eq_ignore_ascii_case("ATD"))?;
    let rest = rest.strip_suffix(';')?;
    let (number, hide_cli) = match rest.strip_suffix(['I', 'i']) {
        Some(number) => (number, true),
        None => (rest, false),
    };
    let digits = number.strip_prefix('+').unwrap_or(number);
    let valid = !digits.is_empty() && digits.chars().all(is_dial_digit);
    valid.then(|| Command::Dial {
        number: number.to_owned(),
        hide_cli,
    })
}

fn parse_tone(line: &str) -> Option<Command> {
    let upper = line.to_ascii_uppercase();
    if let Some(d) = upper.strip_prefix("AT+VTS=") {
        let d = d.trim_matches('"');
        return single_digit(d).map(Command::SendTone);
    }
    let (id, d) = upper.strip_prefix("AT^DTMF=")?.split_once(',')?;
    Some(Command::HuaweiSendTone {
        call_id: id.parse().ok()?,
        digit: single_digit(d)?,
    })
}

fn single_digit(s: &str) -> Option<Digit> {
    let mut chars = s.chars();
    let c = chars.next()?;
    chars.next().is_none().then_some(())?;
    Digit::from_char(c)
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((text, _)) = FIXED.iter().find(|(_, c)| c == self) {
            return f.write_str(text);
        }
        match self {
            Command::Dial { number, hide_cli } => {
                write!(f, "ATD{number}{};", if *hide_cli { "I" } else { "" })
            }
            Command::SendTone(d) => write!(f, "AT+VTS={}", d.as_char()),
            Command::HuaweiSendTone { call_id, digit } => {
                write!(f, "AT^DTMF={call_id},{}", digit.as_char())
            }
            Command::Other { line } => f.write_str(line),
            fixed => unreachable!("{fixed:?} is in FIXED"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Presentation;

    fn number(digits: &str, kind: NumberKind) -> PartyNumber {
        PartyNumber {
            digits: digits.into(),
            kind,
            presentation: Presentation::Allowed,
        }
    }

    #[test]
    fn builders_print() {
        let d = |c| Digit::from_char(c).unwrap();
        let cases = [
            (Command::EchoOff, "ATE0"),
            (Command::CallerIdOn, "AT+CLIP=1"),
            (Command::CallTypeRingOn, "AT+CRC=1"),
            (Command::VoiceHangupByAth, "AT+CVHU=0"),
            (Command::Answer, "ATA"),
            (Command::HangUp, "AT+CHUP"),
            (Command::OnHook, "ATH"),
            (Command::ListCalls, "AT+CLCC"),
            (Command::ExtendedError, "AT+CEER"),
            (Command::SimcomDtmfDetectOn, "AT+DDET=1"),
            (Command::QuectelToneDetectOn, "AT+QTONEDET=1"),
            (Command::HuaweiAudioOn, "AT^DDSETEX=2"),
            (Command::SendTone(d('#')), "AT+VTS=#"),
            (
                Command::HuaweiSendTone {
                    call_id: 1,
                    digit: d('5'),
                },
                "AT^DTMF=1,5",
            ),
            (
                Command::dial(&number("48601234567", NumberKind::International), false).unwrap(),
                "ATD+48601234567;",
            ),
            (
                Command::dial(&number("601234567", NumberKind::Unknown), true).unwrap(),
                "ATD601234567I;",
            ),
        ];
        for (cmd, text) in cases {
            assert_eq!(cmd.to_string(), text);
            assert_eq!(Command::parse(text), Ok(cmd.clone()), "{text}");
        }
    }

    #[test]
    fn parse_is_case_insensitive_and_keeps_unknown_commands() {
        assert_eq!(Command::parse("ate0"), Ok(Command::EchoOff));
        assert_eq!(Command::parse("at+clcc"), Ok(Command::ListCalls));
        assert_eq!(
            Command::parse("AT+CSQ"),
            Ok(Command::Other {
                line: "AT+CSQ".into()
            })
        );
        assert_eq!(
            Command::parse("ATD601"),
            Ok(Command::Other {
                line: "ATD601".into()
            })
        );
        assert!(Command::parse("RING").is_err());
        assert!(Command::parse("A").is_err());
        assert!(Command::parse("AT\u{1}").is_err());
        assert!(Command::parse("A\u{fffd}").is_err());
        assert_eq!(
            Command::parse("ATD\u{fffd};"),
            Ok(Command::Other {
                line: "ATD\u{fffd};".into()
            })
        );
    }

    #[test]
    fn bad_numbers_are_refused() {
        for digits in ["", "60a", "1234567890123456789012345678901234"] {
            assert!(Command::dial(&number(digits, NumberKind::Unknown), false).is_err());
        }
    }

    #[test]
    fn only_idempotent_commands_are_retried() {
        assert!(Command::ListCalls.is_idempotent());
        assert!(!Command::Answer.is_idempotent());
        assert!(Command::Answer.may_end_with_call_status());
        assert!(!Command::HangUp.may_end_with_call_status());
    }
}
