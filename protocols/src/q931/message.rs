//! A whole Q.931 message: header and information elements (Q.931 §4.1).
//!
//! ```text
//!      8     7     6     5     4     3     2     1
//!   +-----------------------------------------------+
//!   |           protocol discriminator (08)         |  octet 1
//!   +-----------------------+-----------------------+
//!   |  0     0     0     0  | length of call ref.   |  octet 2
//!   +-----+-----------------+-----------------------+
//!   |flag |        call reference value             |  octets 3 (and 4)
//!   +-----+-----------------------------------------+
//!   |  0  |            message type                 |
//!   +-----+-----------------------------------------+
//!   |     other information elements as required    |
//! ```

use nom::Parser;
use nom::bytes::complete::take;
use nom::number::complete::be_u8;
use serde::Serialize;

use super::error::{EncodeError, Error, Invalid, PeerMisbehaved, Unsupported};
use super::ie::{self, InformationElement, Shift, UnknownIe, id};
use super::{CallReference, MessageType};

/// The Q.931 protocol discriminator (Q.931 §4.2).
pub const PROTOCOL_DISCRIMINATOR: u8 = 0x08;

/// A decoded message. Information elements keep their order, shifts included, so a
/// decoded message encodes to the octets it was decoded from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub call_reference: CallReference,
    pub message_type: MessageType,
    pub ies: Vec<InformationElement>,
}

/// The part of a message before the information elements, readable even when the rest
/// is not — enough to answer an invalid message with a cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub call_reference: CallReference,
    /// The message type octet, implemented or not.
    pub message_type: u8,
}

type Res<'a, T> = Result<(&'a [u8], T), Error>;

impl Message {
    pub fn new(call_reference: CallReference, message_type: MessageType) -> Message {
        Message {
            call_reference,
            message_type,
            ies: Vec::new(),
        }
    }

    /// Appends an element (builder style).
    pub fn with(mut self, ie: InformationElement) -> Message {
        self.ies.push(ie);
        self
    }

    /// Decodes one complete message.
    pub fn decode(bytes: &[u8]) -> Result<Message, Error> {
        let (rest, header) = header(bytes)?;
        let offset = bytes.len() - rest.len() - 1;
        let message_type =
            MessageType::from_code(header.message_type).ok_or(Error::Unsupported {
                offset,
                kind: Unsupported::MessageType(header.message_type),
            })?;
        let ies = information_elements(rest, bytes.len() - rest.len())?;
        let message = Message {
            call_reference: header.call_reference,
            message_type,
            ies,
        };
        message.check_mandatory(bytes.len())?;
        Ok(message)
    }

    /// Encodes the message.
    pub fn encode(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = vec![PROTOCOL_DISCRIMINATOR];
        self.call_reference.encode(&mut out);
        out.push(self.message_type.code());
        for ie in &self.ies {
            ie.encode(&mut out)
                .map_err(|ie| EncodeError::IeTooLong { ie })?;
        }
        Ok(out)
    }

    /// The mandatory elements of EN 300 403-1 §3 that callbackd relies on.
    fn check_mandatory(&self, end: usize) -> Result<(), Error> {
        let required: &[u8] = match self.message_type {
            MessageType::Setup => &[id::BEARER_CAPABILITY],
            MessageType::Disconnect => &[id::CAUSE],
            MessageType::Status => &[id::CAUSE, id::CALL_STATE],
            MessageType::Progress => &[id::PROGRESS_INDICATOR],
            MessageType::Restart | MessageType::RestartAcknowledge => &[id::RESTART_INDICATOR],
            MessageType::Notify => &[id::NOTIFICATION_INDICATOR],
            _ => &[],
        };
        match required.iter().find(|ie| !self.has(**ie)) {
            Some(&ie) => Err(Error::invalid(end, Invalid::MandatoryIeMissing { ie })),
            None => Ok(()),
        }
    }

    /// Whether a typed codeset 0 element with this identifier is present.
    fn has(&self, identifier: u8) -> bool {
        self.ies.iter().any(|ie| {
            !matches!(ie, InformationElement::Unknown(_)) && ie.identifier() == identifier
        })
    }

    /// The first element for which `pick` returns something.
    pub fn find<'a, T>(&'a self, pick: impl Fn(&'a InformationElement) -> Option<T>) -> Option<T> {
        self.ies.iter().find_map(pick)
    }

    pub fn bearer_capability(&self) -> Option<&ie::BearerCapability> {
        self.find(|ie| match ie {
            InformationElement::BearerCapability(bc) => Some(bc),
            _ => None,
        })
    }

    pub fn cause(&self) -> Option<&ie::Cause> {
        self.find(|ie| match ie {
            InformationElement::Cause(c) => Some(c),
            _ => None,
        })
    }

    pub fn call_state(&self) -> Option<ie::CallState> {
        self.find(|ie| match ie {
            InformationElement::CallState(c) => Some(*c),
            _ => None,
        })
    }

    pub fn channel_identification(&self) -> Option<&ie::ChannelIdentification> {
        self.find(|ie| match ie {
            InformationElement::ChannelIdentification(c) => Some(c),
            _ => None,
        })
    }

    /// Every progress indicator (a message may carry two).
    pub fn progress_indicators(&self) -> impl Iterator<Item = &ie::ProgressIndicator> {
        self.ies.iter().filter_map(|ie| match ie {
            InformationElement::ProgressIndicator(p) => Some(p),
            _ => None,
        })
    }

    pub fn calling_party_number(&self) -> Option<&ie::CallingPartyNumber> {
        self.find(|ie| match ie {
            InformationElement::CallingPartyNumber(n) => Some(n),
            _ => None,
        })
    }

    pub fn called_party_number(&self) -> Option<&ie::CalledPartyNumber> {
        self.find(|ie| match ie {
            InformationElement::CalledPartyNumber(n) => Some(n),
            _ => None,
        })
    }

    pub fn keypad_facility(&self) -> Option<&ie::KeypadFacility> {
        self.find(|ie| match ie {
            InformationElement::KeypadFacility(k) => Some(k),
            _ => None,
        })
    }

    pub fn restart_indicator(&self) -> Option<ie::RestartIndicator> {
        self.find(|ie| match ie {
            InformationElement::RestartIndicator(r) => Some(*r),
            _ => None,
        })
    }

    pub fn sending_complete(&self) -> bool {
        self.ies
            .iter()
            .any(|ie| matches!(ie, InformationElement::SendingComplete))
    }
}

/// Reads the protocol discriminator, call reference and message type octet.
pub fn decode_header(bytes: &[u8]) -> Result<Header, Error> {
    header(bytes).map(|(_, header)| header)
}

fn header(bytes: &[u8]) -> Res<'_, Header> {
    let at = |rest: &[u8]| bytes.len() - rest.len();
    let truncated = |rest: &[u8]| Error::invalid(at(rest), Invalid::Truncated);
    let (rest, pd) = be_u8::<_, ()>(bytes).map_err(|_| truncated(bytes))?;
    if pd != PROTOCOL_DISCRIMINATOR {
        return Err(Error::Unsupported {
            offset: 0,
            kind: Unsupported::ProtocolDiscriminator(pd),
        });
    }
    let (rest, length) = be_u8::<_, ()>(rest).map_err(|_| truncated(rest))?;
    if length > 2 {
        return Err(Error::invalid(1, Invalid::CallReferenceLength(length)));
    }
    let (after, value) = take::<_, _, ()>(length)
        .parse(rest)
        .map_err(|_| truncated(rest))?;
    let call_reference = CallReference::from_octets(value)
        .ok_or_else(|| Error::invalid(1, Invalid::CallReferenceLength(length)))?;
    let (after, message_type) = be_u8::<_, ()>(after).map_err(|_| truncated(after))?;
    let header = Header {
        call_reference,
        message_type,
    };
    Ok((after, header))
}

/// Tracks the active codeset while the elements are read (Q.931 §4.5.2–4.5.4).
#[derive(Default)]
struct Codesets {
    locked: u8,
    next_only: Option<u8>,
}

impl Codesets {
    /// Applies a shift found at `offset`.
    fn shift(&mut self, shift: Shift, offset: usize) -> Result<(), Error> {
        if !shift.locking {
            self.next_only = Some(shift.codeset);
            return Ok(());
        }
        if shift.codeset <= self.locked {
            return Err(Error::PeerMisbehaved {
                offset,
                kind: PeerMisbehaved::LockingShiftDown {
                    codeset: shift.codeset,
                },
            });
        }
        self.locked = shift.codeset;
        self.next_only = None;
        Ok(())
    }

    /// The codeset of the next (non-shift) element.
    fn take(&mut self) -> u8 {
        self.next_only.take().unwrap_or(self.locked)
    }
}

/// Reads the elements after the header; `base` is their offset in the message.
fn information_elements(mut rest: &[u8], base: usize) -> Result<Vec<InformationElement>, Error> {
    let total = base + rest.len();
    let mut codesets = Codesets::default();
    let mut ies = Vec::new();
    while let Some(&first) = rest.first() {
        let offset = total - rest.len();
        if let Some(shift) = Shift::from_octet(first) {
            codesets.shift(shift, offset)?;
            ies.push(InformationElement::Shift(shift));
            rest = &rest[1..];
            continue;
        }
        let codeset = codesets.take();
        let (after, ie) = if first & 0x80 != 0 {
            (&rest[1..], single_octet(codeset, first))
        } else {
            variable_length(rest, codeset, offset)?
        };
        ies.push(ie);
        rest = after;
    }
    Ok(ies)
}

fn single_octet(codeset: u8, octet: u8) -> InformationElement {
    if codeset == 0 && octet == id::SENDING_COMPLETE {
        return InformationElement::SendingComplete;
    }
    InformationElement::Unknown(UnknownIe {
        codeset,
        identifier: octet,
        contents: None,
    })
}

fn variable_length(input: &[u8], codeset: u8, offset: usize) -> Res<'_, InformationElement> {
    let identifier = input[0];
    let truncated = Error::invalid(offset, Invalid::IeTruncated { ie: identifier });
    let (&length, rest) = input[1..].split_first().ok_or(truncated.clone())?;
    let length = usize::from(length);
    if rest.len() < length {
        return Err(truncated);
    }
    let (contents, after) = rest.split_at(length);
    let known = (codeset == 0)
        .then(|| InformationElement::decode_known(identifier, contents))
        .flatten();
    let ie = match known {
        Some(Ok(ie)) => ie,
        Some(Err(ie::ContentError(at))) => {
            return Err(Error::invalid(
                offset + 2 + at,
                Invalid::IeContents { ie: identifier },
            ));
        }
        None => InformationElement::Unknown(UnknownIe {
            codeset,
            identifier,
            contents: Some(contents.to_vec()),
        }),
    };
    Ok((after, ie))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::q931::CallReferenceSize;
    use crate::q931::ie::{BearerCapability, CalledPartyNumber, ChannelIdentification};

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// A BRI SETUP: A-law speech, B1 exclusive, called 123 (national), sending complete.
    const SETUP: &str = "08 01 05 05 a1 04 03 80 90 a3 18 01 89 70 04 a1 31 32 33";

    #[test]
    fn setup_decodes_and_re_encodes() {
        let bytes = hex(SETUP);
        let message = Message::decode(&bytes).unwrap();
        assert_eq!(message.message_type, MessageType::Setup);
        assert_eq!(
            message.call_reference,
            CallReference::new(CallReferenceSize::One, 5, false).unwrap()
        );
        assert!(message.sending_complete());
        assert_eq!(
            message.bearer_capability(),
            Some(&BearerCapability::speech_a_law())
        );
        assert_eq!(
            message.channel_identification(),
            Some(&ChannelIdentification::basic(1, true))
        );
        assert_eq!(message.called_party_number().unwrap().digits, "123");
        assert_eq!(message.encode().unwrap(), bytes);
    }

    #[test]
    fn shifts_keep_other_codesets_verbatim() {
        // SETUP, BC, locking shift to 5, an element in codeset 5, non-locking shift to
        // 6, a single-octet element in codeset 6, an element back in codeset 5.
        let bytes = hex("08 01 01 05 04 02 88 90 95 70 01 41 9e 81 28 01 42");
        let message = Message::decode(&bytes).unwrap();
        let codesets: Vec<_> = message
            .ies
            .iter()
            .filter_map(|ie| match ie {
                InformationElement::Unknown(u) => Some((u.codeset, u.identifier)),
                _ => None,
            })
            .collect();
        assert_eq!(codesets, [(5, 0x70), (6, 0x81), (5, 0x28)]);
        assert_eq!(message.encode().unwrap(), bytes);
    }

    #[test]
    fn errors_name_their_offsets() {
        let cases: [(&str, usize, u8); 9] = [
            ("", 0, 95),
            ("09 01 05 05", 0, 97),
            ("08 03 01 02 03 05", 1, 95),
            ("08 01", 2, 95),
            ("08 01 05", 3, 95),
            ("08 01 05 60", 3, 97),
            ("08 01 05 05 04 03 80 90", 4, 100),
            ("08 01 05 05 04 02 00 90", 6, 100),
            ("08 01 05 05 18 01 89", 7, 96),
        ];
        for (input, offset, cause) in cases {
            let error = Message::decode(&hex(input)).unwrap_err();
            assert_eq!(
                (error.offset(), error.cause().value()),
                (offset, cause),
                "{input}: {error}"
            );
        }
    }

    #[test]
    fn locking_shift_down_is_a_protocol_violation() {
        let error = Message::decode(&hex("08 01 05 45 08 02 80 90 96 95")).unwrap_err();
        assert_eq!(error.offset(), 9);
        assert_eq!(error.cause().value(), 98);
    }

    #[test]
    fn builder_encodes_information() {
        let cr = CallReference::new(CallReferenceSize::One, 1, false).unwrap();
        let info = Message::new(cr, MessageType::Information)
            .with(InformationElement::SendingComplete)
            .with(InformationElement::CalledPartyNumber(
                CalledPartyNumber::digits("4"),
            ));
        assert_eq!(info.encode().unwrap(), hex("08 01 01 7b a1 70 02 81 34"));
    }
}
