//! Information elements (Q.931 §4.5, EN 300 403-1 §4.5).
//!
//! ```text
//!   Variable length:                     Single octet:
//!      8   7   6   5   4   3   2   1        8   7   6   5   4   3   2   1
//!   +---+---------------------------+     +---+-----------+---------------+
//!   | 0 |  information element id   |     | 1 |  id       | contents      |
//!   +---+---------------------------+     +---+-----------+---------------+
//!   |  length of contents           |
//!   +-------------------------------+
//!   |  contents ...                 |
//! ```
//!
//! Codeset 0 elements that callbackd uses are decoded into typed values, one file per
//! element. Everything else — other codesets after a shift, and codeset 0 elements not
//! listed here — is kept verbatim as [`UnknownIe`], so a decoded message re-encodes to the
//! same octets.

mod bearer_capability;
mod call_state;
mod cause;
mod channel_identification;
mod date_time;
mod notification_indicator;
mod party_number;
mod progress_indicator;
mod restart_indicator;
mod shift;
mod signal;
mod text;
mod unknown;

use nom::IResult;
use serde::Serialize;

pub use bearer_capability::{BearerCapability, Layer1Protocol, MULTIRATE, TransferCapability};
pub use call_state::CallState;
pub use cause::{Cause, Location};
pub use channel_identification::{ChannelIdentification, InterfaceType, PrimaryChannel};
pub use date_time::DateTime;
pub use notification_indicator::NotificationIndicator;
pub use party_number::{
    CalledPartyNumber, CallingPartyNumber, NumberType, NumberingPlan, PresentationIndicator,
    Screening,
};
pub use progress_indicator::{
    DESTINATION_NON_ISDN, IN_BAND_INFORMATION, NOT_END_TO_END_ISDN, ORIGINATION_NON_ISDN,
    ProgressIndicator,
};
pub use restart_indicator::{RestartClass, RestartIndicator};
pub use shift::Shift;
pub use signal::{Signal, SignalValue};
pub use text::{Display, KeypadFacility};
pub use unknown::UnknownIe;

/// Codeset 0 identifiers (EN 300 403-1 table 4-3).
pub mod id {
    pub const BEARER_CAPABILITY: u8 = 0x04;
    pub const CAUSE: u8 = 0x08;
    pub const CALL_STATE: u8 = 0x14;
    pub const CHANNEL_IDENTIFICATION: u8 = 0x18;
    pub const PROGRESS_INDICATOR: u8 = 0x1e;
    pub const NOTIFICATION_INDICATOR: u8 = 0x27;
    pub const DISPLAY: u8 = 0x28;
    pub const DATE_TIME: u8 = 0x29;
    pub const KEYPAD_FACILITY: u8 = 0x2c;
    pub const SIGNAL: u8 = 0x34;
    pub const CALLING_PARTY_NUMBER: u8 = 0x6c;
    pub const CALLED_PARTY_NUMBER: u8 = 0x70;
    pub const RESTART_INDICATOR: u8 = 0x79;
    /// Single octet, type 2.
    pub const SENDING_COMPLETE: u8 = 0xa1;
}

/// One information element, in the order it appears in the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum InformationElement {
    /// A locking or non-locking shift (single octet).
    Shift(Shift),
    /// Sending complete (single octet `A1`).
    SendingComplete,
    BearerCapability(BearerCapability),
    Cause(Cause),
    CallState(CallState),
    ChannelIdentification(ChannelIdentification),
    ProgressIndicator(ProgressIndicator),
    NotificationIndicator(NotificationIndicator),
    Display(Display),
    DateTime(DateTime),
    KeypadFacility(KeypadFacility),
    Signal(Signal),
    CallingPartyNumber(CallingPartyNumber),
    CalledPartyNumber(CalledPartyNumber),
    RestartIndicator(RestartIndicator),
    /// Any other element, kept verbatim.
    Unknown(UnknownIe),
}

/// Where a typed element's contents stopped making sense: an offset into the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ContentError(pub usize);

/// A contents parser's result.
pub(crate) type Parsed<'a, T> = IResult<&'a [u8], T>;

impl InformationElement {
    /// The identifier octet of a variable-length element, or the whole octet of a
    /// single-octet one.
    pub fn identifier(&self) -> u8 {
        use InformationElement as E;
        match self {
            E::Shift(s) => s.octet(),
            E::SendingComplete => id::SENDING_COMPLETE,
            E::BearerCapability(_) => id::BEARER_CAPABILITY,
            E::Cause(_) => id::CAUSE,
            E::CallState(_) => id::CALL_STATE,
            E::ChannelIdentification(_) => id::CHANNEL_IDENTIFICATION,
            E::ProgressIndicator(_) => id::PROGRESS_INDICATOR,
            E::NotificationIndicator(_) => id::NOTIFICATION_INDICATOR,
            E::Display(_) => id::DISPLAY,
            E::DateTime(_) => id::DATE_TIME,
            E::KeypadFacility(_) => id::KEYPAD_FACILITY,
            E::Signal(_) => id::SIGNAL,
            E::CallingPartyNumber(_) => id::CALLING_PARTY_NUMBER,
            E::CalledPartyNumber(_) => id::CALLED_PARTY_NUMBER,
            E::RestartIndicator(_) => id::RESTART_INDICATOR,
            E::Unknown(u) => u.identifier,
        }
    }

    /// Decodes the contents of a codeset 0 variable-length element with a known
    /// identifier; `None` for identifiers kept verbatim.
    pub(crate) fn decode_known(
        identifier: u8,
        contents: &[u8],
    ) -> Option<Result<InformationElement, ContentError>> {
        use InformationElement as E;
        let ie = match identifier {
            id::BEARER_CAPABILITY => BearerCapability::decode(contents).map(E::BearerCapability),
            id::CAUSE => Cause::decode(contents).map(E::Cause),
            id::CALL_STATE => CallState::decode(contents).map(E::CallState),
            id::CHANNEL_IDENTIFICATION => {
                ChannelIdentification::decode(contents).map(E::ChannelIdentification)
            }
            id::PROGRESS_INDICATOR => ProgressIndicator::decode(contents).map(E::ProgressIndicator),
            id::NOTIFICATION_INDICATOR => {
                NotificationIndicator::decode(contents).map(E::NotificationIndicator)
            }
            id::DISPLAY => Display::decode(contents).map(E::Display),
            id::DATE_TIME => DateTime::decode(contents).map(E::DateTime),
            id::KEYPAD_FACILITY => KeypadFacility::decode(contents).map(E::KeypadFacility),
            id::SIGNAL => Signal::decode(contents).map(E::Signal),
            id::CALLING_PARTY_NUMBER => {
                CallingPartyNumber::decode(contents).map(E::CallingPartyNumber)
            }
            id::CALLED_PARTY_NUMBER => {
                CalledPartyNumber::decode(contents).map(E::CalledPartyNumber)
            }
            id::RESTART_INDICATOR => RestartIndicator::decode(contents).map(E::RestartIndicator),
            _ => return None,
        };
        Some(ie)
    }

    /// Appends the element (identifier, length and contents, or the single octet).
    /// Fails when the contents exceed 255 octets.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), u8> {
        use InformationElement as E;
        let mut contents = Vec::new();
        match self {
            E::Shift(s) => {
                out.push(s.octet());
                return Ok(());
            }
            E::SendingComplete => {
                out.push(id::SENDING_COMPLETE);
                return Ok(());
            }
            E::Unknown(u) => match &u.contents {
                None => {
                    out.push(u.identifier);
                    return Ok(());
                }
                Some(bytes) => contents.extend_from_slice(bytes),
            },
            E::BearerCapability(ie) => ie.encode(&mut contents),
            E::Cause(ie) => ie.encode(&mut contents),
            E::CallState(ie) => ie.encode(&mut contents),
            E::ChannelIdentification(ie) => ie.encode(&mut contents),
            E::ProgressIndicator(ie) => ie.encode(&mut contents),
            E::NotificationIndicator(ie) => ie.encode(&mut contents),
            E::Display(ie) => ie.encode(&mut contents),
            E::DateTime(ie) => ie.encode(&mut contents),
            E::KeypadFacility(ie) => ie.encode(&mut contents),
            E::Signal(ie) => ie.encode(&mut contents),
            E::CallingPartyNumber(ie) => ie.encode(&mut contents),
            E::CalledPartyNumber(ie) => ie.encode(&mut contents),
            E::RestartIndicator(ie) => ie.encode(&mut contents),
        }
        let len = u8::try_from(contents.len()).map_err(|_| self.identifier())?;
        out.push(self.identifier());
        out.push(len);
        out.extend_from_slice(&contents);
        Ok(())
    }
}

/// Runs a contents parser over all of `contents`; leftover octets are an error.
pub(crate) fn parse_all<'a, T>(
    contents: &'a [u8],
    parser: impl FnOnce(&'a [u8]) -> Parsed<'a, T>,
) -> Result<T, ContentError> {
    match parser(contents) {
        Ok(([], value)) => Ok(value),
        Ok((rest, _)) => Err(ContentError(contents.len() - rest.len())),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            Err(ContentError(contents.len() - e.input.len()))
        }
        Err(nom::Err::Incomplete(_)) => Err(ContentError(contents.len())),
    }
}

/// One octet.
pub(crate) fn octet(input: &[u8]) -> Parsed<'_, u8> {
    nom::number::complete::be_u8(input)
}

/// One octet with the extension bit (bit 8) set: the last of its group.
pub(crate) fn last_octet(input: &[u8]) -> Parsed<'_, u8> {
    nom::Parser::parse(
        &mut nom::combinator::verify(octet, |o: &u8| o & 0x80 != 0),
        input,
    )
}

/// Octets up to and including the first with bit 8 set (an extended group, §4.5.1).
pub(crate) fn extended_group(input: &[u8]) -> Parsed<'_, &[u8]> {
    match input.iter().position(|o| o & 0x80 != 0) {
        Some(end) => Ok((&input[end + 1..], &input[..=end])),
        None => Err(nom::Err::Error(nom::error::Error::new(
            &input[input.len()..],
            nom::error::ErrorKind::Eof,
        ))),
    }
}

/// Declares a field coded as a few bits, with named values and a catch-all that keeps
/// any other value, so decoding never loses information.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal => $text:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value without a name here, kept as received.
            Other(u8),
        }

        impl $name {
            pub const fn from_code(code: u8) -> $name {
                match code {
                    $($code => $name::$variant,)*
                    other => $name::Other(other),
                }
            }

            pub const fn code(self) -> u8 {
                match self {
                    $($name::$variant => $code,)*
                    $name::Other(other) => other,
                }
            }

            /// The standard's name for the value, if it has one here.
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $($name::$variant => Some($text),)*
                    $name::Other(_) => None,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                match self.name() {
                    Some(text) => s.serialize_str(text),
                    None => s.serialize_u8(self.code()),
                }
            }
        }
    };
}
pub(crate) use coded;

coded! {
    /// Coding standard (2 bits) used by several elements.
    CodingStandard {
        Itu = 0 => "itu_t",
        Iso = 1 => "iso_iec",
        National = 2 => "national",
        Network = 3 => "network_specific",
    }
}

/// Serializes octets as a lower-case hex string.
pub(crate) fn serialize_hex<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_groups_end_at_bit_8() {
        assert_eq!(
            extended_group(&[0x01, 0x82, 0x03]),
            Ok((&[0x03][..], &[0x01, 0x82][..]))
        );
        assert!(extended_group(&[0x01, 0x02]).is_err());
    }

    #[test]
    fn parse_all_reports_the_offset_of_leftovers() {
        assert_eq!(parse_all(&[1, 2], octet), Err(ContentError(1)));
        assert_eq!(parse_all(&[], octet), Err(ContentError(0)));
    }

    #[test]
    fn long_contents_do_not_encode() {
        let ie = InformationElement::Display(Display::new("x".repeat(256)));
        assert_eq!(ie.encode(&mut Vec::new()), Err(id::DISPLAY));
    }
}
