//! What a trunk's user agent is configured with, and what goes in and out of it.

use std::fmt;
use std::net::SocketAddr;
use std::time::Duration;

use crate::call::{CallEvent, Cause, Digit};
use crate::sdp::SessionDescription;
use crate::sip::header::Transport;
use crate::sip::transaction::TimerSettings;

use super::cause_map::CauseMap;
use super::error::InputError;

/// One call of the user agent: a small handle the trunk actor keys its legs by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub u64);

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "call#{}", self.0)
    }
}

/// How numbers are written in the user part of the URIs sent to the peer (spec §1.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumberFormat {
    /// `+48601234567` (with `user=phone`).
    #[default]
    E164,
    /// `48601234567`: international digits without the `+`.
    International,
    /// `601234567`: the country code of [`UaConfig::country_code`] removed.
    National,
}

/// The digest credentials used when the peer challenges a request (401 / 407).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// The configuration of one SIP trunk's user agent.
#[derive(Debug, Clone)]
pub struct UaConfig {
    /// The listen address, written in Via and Contact.
    pub local: SocketAddr,
    /// UDP, or a reliable transport (TCP): nothing is retransmitted on a reliable one.
    pub transport: Transport,
    /// Where calls go; the only source whose CLI may be trusted (spec §2).
    pub peer: Option<SocketAddr>,
    /// Whether the peer's CLI (P-Asserted-Identity, else From) is vouched for.
    pub trusted_cli: bool,
    pub number_format: NumberFormat,
    /// The country code without `+` (`48`), for [`NumberFormat::National`].
    pub country_code: String,
    pub credentials: Option<Credentials>,
    /// The OPTIONS keepalive interval towards the peer.
    pub keepalive: Option<Duration>,
    pub causes: CauseMap,
    pub timers: TimerSettings,
    /// Sent in User-Agent (requests) and Server (responses).
    pub user_agent: String,
}

impl UaConfig {
    /// A UDP trunk at `local` towards `peer` with every other setting at its default:
    /// untrusted CLI, E.164 numbers, country code 48, no credentials, no keepalive.
    pub fn new(local: SocketAddr, peer: Option<SocketAddr>) -> UaConfig {
        UaConfig {
            local,
            transport: Transport::Udp,
            peer,
            trusted_cli: false,
            number_format: NumberFormat::E164,
            country_code: "48".to_owned(),
            credentials: None,
            keepalive: None,
            causes: CauseMap::default(),
            timers: TimerSettings::default(),
            user_agent: "callbackd".to_owned(),
        }
    }

    /// Whether the transport is reliable (no retransmissions).
    pub fn reliable(&self) -> bool {
        self.transport != Transport::Udp
    }
}

/// What the trunk actor asks of one call.
#[derive(Debug, Clone, PartialEq)]
pub enum UaCommand {
    /// Incoming call: `180 Ringing`.
    Alert,
    /// Incoming call: refuse it with the status the cause map gives the cause.
    Reject(Cause),
    /// Incoming call: `603 Decline` with `Reason: Q.850;cause=21` — the called user
    /// declines (spec §3 `reject_with = "decline"`). A `Reject(21)` is `403` instead.
    Decline,
    /// Incoming call: `200 OK` with this description (the answer to the peer's offer,
    /// or our offer when the INVITE had none).
    Answer(Box<SessionDescription>),
    /// Either direction, any state: CANCEL, a final response, or BYE.
    HangUp(Cause),
    /// A DTMF key as SIP INFO `application/dtmf-relay`.
    SendInfoDigit(Digit),
}

/// What the user agent reports to the trunk actor.
#[derive(Debug, Clone, PartialEq)]
pub enum UaEvent {
    /// Something happened to a call; every call ends with exactly one
    /// [`CallEvent::Released`].
    Call(CallId, CallEvent),
    /// The peer's session description: its offer (incoming INVITE, or the ACK when the
    /// INVITE had none) or its answer (a 2xx or a provisional with SDP).
    RemoteMedia(CallId, Box<SessionDescription>),
    /// The trunk is up (the peer answered an OPTIONS) or down (it did not); reported on
    /// change.
    TrunkState(bool),
    /// Input that was refused (answered with 400 where a response was possible).
    Malformed {
        source: SocketAddr,
        error: InputError,
    },
}
