//! The normalized call model every trunk kind speaks.
//!
//! SIP, Q.931 and the GSM modem differ in how a call is offered, progresses and ends, but
//! the engine only needs the common shape: a call is offered with a called and a calling
//! number, it may alert and carry early media, it is answered, digits may flow, and it is
//! released with a Q.850 cause. Each protocol maps its own messages onto [`CallEvent`] and
//! carries out [`CallCommand`]; the maps between SIP status codes and causes live with the
//! SIP trunk, because they differ per peer.

use std::fmt;

use serde::Serialize;

/// An ITU-T Q.850 cause value (1–127): why a call ended or was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Cause(u8);

impl Cause {
    pub const UNALLOCATED_NUMBER: Cause = Cause(1);
    pub const NO_ROUTE_TO_DESTINATION: Cause = Cause(3);
    pub const NORMAL_CLEARING: Cause = Cause(16);
    pub const USER_BUSY: Cause = Cause(17);
    pub const NO_USER_RESPONDING: Cause = Cause(18);
    pub const NO_ANSWER: Cause = Cause(19);
    pub const CALL_REJECTED: Cause = Cause(21);
    pub const DESTINATION_OUT_OF_ORDER: Cause = Cause(27);
    pub const INVALID_NUMBER_FORMAT: Cause = Cause(28);
    pub const NORMAL_UNSPECIFIED: Cause = Cause(31);
    pub const NO_CIRCUIT_AVAILABLE: Cause = Cause(34);
    pub const NETWORK_OUT_OF_ORDER: Cause = Cause(38);
    pub const TEMPORARY_FAILURE: Cause = Cause(41);
    pub const SWITCHING_EQUIPMENT_CONGESTION: Cause = Cause(42);
    pub const REQUESTED_CIRCUIT_NOT_AVAILABLE: Cause = Cause(44);
    pub const RESOURCE_UNAVAILABLE: Cause = Cause(47);
    pub const BEARER_CAPABILITY_NOT_AVAILABLE: Cause = Cause(58);
    pub const SERVICE_NOT_IMPLEMENTED: Cause = Cause(79);
    pub const INVALID_CALL_REFERENCE: Cause = Cause(81);
    pub const INVALID_MESSAGE: Cause = Cause(95);
    pub const MANDATORY_IE_MISSING: Cause = Cause(96);
    pub const MESSAGE_TYPE_NOT_IMPLEMENTED: Cause = Cause(97);
    pub const MESSAGE_NOT_COMPATIBLE_WITH_STATE: Cause = Cause(98);
    pub const IE_NOT_IMPLEMENTED: Cause = Cause(99);
    pub const INVALID_IE_CONTENTS: Cause = Cause(100);
    pub const MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE: Cause = Cause(101);
    pub const RECOVERY_ON_TIMER_EXPIRY: Cause = Cause(102);
    pub const PROTOCOL_ERROR: Cause = Cause(111);
    pub const INTERWORKING: Cause = Cause(127);

    /// A cause from its value; `None` outside 1–127 (the field has 7 bits, 0 is unused).
    pub const fn new(value: u8) -> Option<Cause> {
        if value >= 1 && value <= 127 {
            Some(Cause(value))
        } else {
            None
        }
    }

    /// The numeric value.
    pub const fn value(self) -> u8 {
        self.0
    }

    /// Whether the failure is the network's rather than the called user's, so a route
    /// should try its next trunk (no circuit, out of order, temporary failure, congestion,
    /// resource unavailable).
    pub const fn is_congestion(self) -> bool {
        matches!(self.0, 34 | 38 | 41 | 42 | 44 | 47)
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Q.850 cause {}", self.0)
    }
}

/// One DTMF key: `0`–`9`, `*`, `#` or `A`–`D` (RFC 4733 events 0–15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "char")]
pub struct Digit(u8);

impl Digit {
    /// The key for a character; lower-case `a`–`d` are accepted.
    pub const fn from_char(c: char) -> Option<Digit> {
        match c {
            '0'..='9' | '*' | '#' | 'A'..='D' => Some(Digit(c as u8)),
            'a'..='d' => Some(Digit(c as u8 - b'a' + b'A')),
            _ => None,
        }
    }

    /// The key for an RFC 4733 event code (0–9 digits, 10 `*`, 11 `#`, 12–15 `A`–`D`).
    pub const fn from_event(code: u8) -> Option<Digit> {
        match code {
            0..=9 => Some(Digit(b'0' + code)),
            10 => Some(Digit(b'*')),
            11 => Some(Digit(b'#')),
            12..=15 => Some(Digit(b'A' + code - 12)),
            _ => None,
        }
    }

    /// The RFC 4733 event code.
    pub const fn event(self) -> u8 {
        match self.0 {
            b'*' => 10,
            b'#' => 11,
            b'A'..=b'D' => self.0 - b'A' + 12,
            d => d - b'0',
        }
    }

    pub const fn as_char(self) -> char {
        self.0 as char
    }
}

impl From<Digit> for char {
    fn from(d: Digit) -> char {
        d.as_char()
    }
}

/// How a number is to be read (Q.931 type of number; SIP `+` means international).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberKind {
    Unknown,
    International,
    National,
    Subscriber,
}

/// Whether the number may be shown to the other party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presentation {
    Allowed,
    Restricted,
    NotAvailable,
}

/// A calling or called party number as a trunk delivered it, before normalisation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PartyNumber {
    /// The digits (`0`–`9`, `*`, `#`), without a `+`.
    pub digits: String,
    pub kind: NumberKind,
    pub presentation: Presentation,
}

/// What a trunk reports about one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CallEvent {
    /// A new incoming call. `calling` is `None` when no CLI was delivered at all;
    /// `cli_trusted` says whether the trunk vouches for it (spec §2).
    Offered {
        called: Option<PartyNumber>,
        calling: Option<PartyNumber>,
        cli_trusted: bool,
    },
    /// The far end accepted the outgoing call for processing.
    Proceeding,
    /// The far end is ringing; `in_band` when it also sends ringback audio.
    Alerting { in_band: bool },
    /// Audio before answer (announcements, in-band ringback).
    EarlyMedia,
    /// The call is answered and media flows.
    Answered,
    /// A DTMF key from the other party.
    Digit(Digit),
    /// The call ended (or was refused) with this cause.
    Released { cause: Cause },
}

/// What the engine asks a trunk to do with one call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CallCommand {
    /// Place an outgoing call. `calling` is the number to present; `hide_calling` asks
    /// the network to withhold it (SIP `Privacy: id`, Q.931 presentation restricted).
    Originate {
        called: PartyNumber,
        calling: Option<PartyNumber>,
        hide_calling: bool,
    },
    /// Tell the caller the call is ringing.
    Alert,
    /// Refuse an offered call without answering it (SIP: the cause's status, e.g. 486 for
    /// 17, 403 for 21; Q.931: RELEASE COMPLETE with the cause; GSM: `AT+CHUP`).
    Reject { cause: Cause },
    /// Refuse an offered call as the called user declining it: SIP `603 Decline`, Q.931
    /// cause 21 (call rejected). Distinct from `Reject { cause: 21 }`, which SIP sends as
    /// `403 Forbidden` (RFC 3398).
    Decline,
    /// Answer an offered call.
    Answer,
    /// End a call in any state.
    HangUp { cause: Cause },
    /// Send a DTMF key to the other party.
    SendDigit(Digit),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_range() {
        assert_eq!(Cause::new(0), None);
        assert_eq!(Cause::new(128), None);
        assert_eq!(Cause::new(17), Some(Cause::USER_BUSY));
    }

    #[test]
    fn congestion_causes_fail_over() {
        assert!(Cause::NO_CIRCUIT_AVAILABLE.is_congestion());
        assert!(Cause::TEMPORARY_FAILURE.is_congestion());
        assert!(!Cause::USER_BUSY.is_congestion());
        assert!(!Cause::NORMAL_CLEARING.is_congestion());
    }

    #[test]
    fn digits_map_to_rfc4733_events() {
        for (c, code) in [
            ('0', 0),
            ('9', 9),
            ('*', 10),
            ('#', 11),
            ('A', 12),
            ('D', 15),
        ] {
            let d = Digit::from_char(c).unwrap();
            assert_eq!(d.event(), code);
            assert_eq!(Digit::from_event(code), Some(d));
        }
        assert_eq!(Digit::from_char('b'), Digit::from_char('B'));
        assert_eq!(Digit::from_char('E'), None);
        assert_eq!(Digit::from_event(16), None);
    }
}
