//! The messages between the engine and every trunk actor, whatever its kind.
//!
//! A trunk actor reports each call's [`CallEvent`]s to the call's *owner*: incoming calls
//! go to the coordinator until it attaches them to a session ([`Attach`]); outgoing calls
//! go to the session that placed them ([`Originate::owner`]). When a call's media is up the
//! trunk hands its RTP sockets and negotiated parameters to the owner ([`LegMedia`]), so
//! the session's media tasks own them and no packet ever passes through an actor.

use actix::prelude::*;
use protocols::call::{CallCommand, CallEvent, Cause, Digit, PartyNumber};

use crate::media::{MediaParams, RtpSocket};

/// A trunk, as an index into the node's trunk list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrunkId(pub usize);

/// A call on a trunk; unique within that trunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrunkCall {
    pub trunk: TrunkId,
    pub call: u64,
}

/// Something happened on a call.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct LegEvent {
    pub call: TrunkCall,
    pub event: CallEvent,
}

/// A call's media is established (early or answered): the owner now holds its sockets.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct LegMedia {
    pub call: TrunkCall,
    pub socket: RtpSocket,
    pub params: MediaParams,
}

/// A trunk went up or down.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct TrunkStatus {
    pub trunk: TrunkId,
    pub up: bool,
}

/// Where a call's events go.
#[derive(Clone)]
pub struct CallOwner {
    pub events: Recipient<LegEvent>,
    pub media: Recipient<LegMedia>,
}

impl std::fmt::Debug for CallOwner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CallOwner")
    }
}

/// Hands an incoming call to a session.
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Attach {
    pub call: TrunkCall,
    pub owner: CallOwner,
}

/// Places a call; the answer is the new call's id, or the cause it failed with at once
/// (trunk down, no free RTP port).
#[derive(Debug, Message)]
#[rtype(result = "Result<TrunkCall, Cause>")]
pub struct Originate {
    pub called: PartyNumber,
    pub calling: Option<PartyNumber>,
    pub hide_calling: bool,
    pub owner: CallOwner,
}

/// Acts on a call (alert, reject, answer, hang up, send a digit). `Originate` is the
/// message of its own above.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Command {
    pub call: TrunkCall,
    pub command: CallCommand,
}

/// Sends a key by signalling (SIP INFO, AT+VTS) where the media path cannot.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct SignalDigit {
    pub call: TrunkCall,
    pub digit: Digit,
}

/// The node is stopping: refuse new calls, keep the existing ones.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct Drain;

/// The handle the engine keeps for each trunk.
#[derive(Clone)]
pub struct TrunkHandle {
    pub id: TrunkId,
    pub name: String,
    pub originate: Recipient<Originate>,
    pub command: Recipient<Command>,
    pub attach: Recipient<Attach>,
}

impl std::fmt::Debug for TrunkHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrunkHandle")
            .field("id", &self.id)
            .field("name", &self.name)
            .finish()
    }
}
