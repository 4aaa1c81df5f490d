//! Vendor profiles: what differs between modules of the same 27.007 family.
//!
//! | vendor  | init after the common part | DTMF sent by    | DTMF received as     | call progress          |
//! |---------|----------------------------|-----------------|----------------------|------------------------|
//! | generic | —                          | `AT+VTS=<d>`    | (in-band only)       | `+CLCC` polling        |
//! | simcom  | `AT+DDET=1`                | `AT+VTS=<d>`    | `+DTMF: <key>`       | `+CLCC` polling        |
//! | quectel | `AT+QTONEDET=1`            | `AT+VTS=<d>`    | `+QTONEDET: <ascii>` | `+CLCC` polling        |
//! | huawei  | —                          | `AT^DTMF=<id>,<d>` | (in-band only)    | `^ORIG ^CONF ^CONN ^CEND` |
//!
//! The common part is `ATE0`, `AT+CLIP=1`, `AT+CRC=1`, `AT+CVHU=0`. Huawei's
//! `AT^DDSETEX=2` only takes effect on a call, so it is sent when a call is connected.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;
use thiserror::Error;

use super::command::Command;
use crate::call::Digit;

/// The `model` of a GSM trunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    Generic,
    Simcom,
    Quectel,
    Huawei,
}

/// How the progress of an outgoing call is learnt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Poll `AT+CLCC` while the call is being set up.
    ListCallsPolling,
    /// The module reports each step itself (Huawei `^ORIG ^CONF ^CONN ^CEND`).
    VendorReports,
}

/// An unknown `model` name.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown modem model {0:?} (expected generic, simcom, quectel or huawei)")]
pub struct UnknownVendor(pub String);

impl Vendor {
    pub const ALL: [Vendor; 4] = [
        Vendor::Generic,
        Vendor::Simcom,
        Vendor::Quectel,
        Vendor::Huawei,
    ];

    /// The initialisation sequence, in order.
    pub fn init_commands(self) -> Vec<Command> {
        let mut commands = vec![
            Command::EchoOff,
            Command::CallerIdOn,
            Command::CallTypeRingOn,
            Command::VoiceHangupByAth,
        ];
        commands.extend(self.dtmf_detection_command());
        commands
    }

    /// The command that turns received-DTMF reports on, where the module has one.
    pub fn dtmf_detection_command(self) -> Option<Command> {
        match self {
            Vendor::Simcom => Some(Command::SimcomDtmfDetectOn),
            Vendor::Quectel => Some(Command::QuectelToneDetectOn),
            Vendor::Generic | Vendor::Huawei => None,
        }
    }

    /// Commands to send once a call is connected.
    pub fn connected_commands(self) -> Vec<Command> {
        match self {
            Vendor::Huawei => vec![Command::HuaweiAudioOn],
            _ => Vec::new(),
        }
    }

    /// The command that sends one DTMF key on call `call_id`.
    pub fn tone_command(self, digit: Digit, call_id: u8) -> Command {
        match self {
            Vendor::Huawei => Command::HuaweiSendTone { call_id, digit },
            _ => Command::SendTone(digit),
        }
    }

    /// How outgoing-call progress is learnt.
    pub fn progress(self) -> Progress {
        match self {
            Vendor::Huawei => Progress::VendorReports,
            _ => Progress::ListCallsPolling,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Vendor::Generic => "generic",
            Vendor::Simcom => "simcom",
            Vendor::Quectel => "quectel",
            Vendor::Huawei => "huawei",
        }
    }
}

impl FromStr for Vendor {
    type Err = UnknownVendor;

    fn from_str(s: &str) -> Result<Vendor, UnknownVendor> {
        Vendor::ALL
            .into_iter()
            .find(|v| v.name() == s)
            .ok_or_else(|| UnknownVendor(s.to_owned()))
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_sequences() {
        let text = |v: Vendor| -> Vec<String> {
            v.init_commands().iter().map(ToString::to_string).collect()
        };
        assert_eq!(
            text(Vendor::Generic),
            ["ATE0", "AT+CLIP=1", "AT+CRC=1", "AT+CVHU=0"]
        );
        assert_eq!(text(Vendor::Simcom).last().unwrap(), "AT+DDET=1");
        assert_eq!(text(Vendor::Quectel).last().unwrap(), "AT+QTONEDET=1");
        assert_eq!(text(Vendor::Huawei).len(), 4);
    }

    #[test]
    fn names_round_trip() {
        for v in Vendor::ALL {
            assert_eq!(v.name().parse(), Ok(v));
        }
        assert!("nokia".parse::<Vendor>().is_err());
    }

    #[test]
    fn dtmf_and_progress() {
        let five = Digit::from_char('5').unwrap();
        assert_eq!(Vendor::Simcom.tone_command(five, 1).to_string(), "AT+VTS=5");
        assert_eq!(
            Vendor::Huawei.tone_command(five, 2).to_string(),
            "AT^DTMF=2,5"
        );
        assert_eq!(Vendor::Huawei.progress(), Progress::VendorReports);
        assert_eq!(Vendor::Quectel.progress(), Progress::ListCallsPolling);
    }
}
