//! The state of one call: its INVITE, its dialog, its media and where it stands.
//!
//! ```text
//!  incoming:  Offered ──200──► AwaitingAck ──ACK──► Confirmed ──BYE──► Ended
//!                │ reject / CANCEL / HangUp               (either side)
//!                └──────────────────────────────────────────────────────► Ended
//!  outgoing:  Calling ──1xx──► Early ──2xx──► Confirmed ──BYE──► Ended
//!                └──── 3xx–6xx / timeout / CANCEL ─────────────────────► Ended
//! ```
//!
//! A call reports [`crate::call::CallEvent::Released`] once, when it leaves the engine's
//! view (at `HangUp`, `Reject`, the peer's BYE or CANCEL, a failure). Its record stays
//! until the user agent has nothing more to do for it: its own client transactions
//! (CANCEL, BYE) have ended, an answered INVITE's ACK came or timed out, and for an
//! answered outgoing call the 2xx retransmissions have stopped (64·T1 after the first,
//! RFC 6026 Timer M) so each is ACKed again.

use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

use crate::call::Cause;
use crate::sdp::SessionDescription;
use crate::sip::Message;
use crate::sip::transaction::{ClientKey, ServerKey};

use super::dialog::Dialog;

/// Where a call stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Incoming: the INVITE awaits our final response.
    Offered,
    /// Incoming: our 2xx awaits its ACK.
    AwaitingAck,
    /// Outgoing: the INVITE is sent, nothing has come back yet.
    Calling,
    /// Outgoing: a provisional response came.
    Early,
    /// The dialog is confirmed.
    Confirmed,
    /// The call is over; the record waits for its last transactions.
    Ended,
}

/// What a client transaction of ours is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Invite,
    Cancel,
    Bye,
    Info,
    Prack,
    /// The BYE for a 2xx that belongs to no call we know.
    Orphan,
    Keepalive,
}

/// One call.
#[derive(Debug)]
pub struct Call {
    pub incoming: bool,
    pub phase: Phase,
    /// The INVITE received, or the last one sent.
    pub invite: Message,
    /// Incoming: the INVITE's server transaction.
    pub invite_key: Option<ServerKey>,
    /// Where the INVITE came from, or where ours went.
    pub peer: SocketAddr,
    pub dialog: Option<Dialog>,
    pub local_sdp: Option<SessionDescription>,
    /// The body of the last session description reported, to report each once.
    pub remote_sdp: Option<Bytes>,
    pub released: bool,
    /// Our client transactions that have not ended.
    pub pending: Vec<ClientKey>,
    /// Keep the record until then (2xx retransmissions of an answered outgoing call).
    pub linger_until: Option<Instant>,
    /// Incoming: a 2xx was sent and its ACK has neither come nor timed out.
    pub awaiting_ack: bool,
    /// The cause to clear with once the state allows it (CANCEL after the first
    /// provisional; BYE after the ACK).
    pub clear_when_possible: Option<Cause>,
    /// Outgoing: progress already reported, so retransmissions report nothing.
    pub proceeding_reported: bool,
    pub alerting_reported: bool,
    /// Outgoing: the last RSeq acknowledged with PRACK (RFC 3262).
    pub last_rseq: Option<u32>,
    /// Outgoing: the request was already retried with credentials.
    pub auth_tried: bool,
    /// Outgoing: the ACK for the 2xx, resent for every retransmission of it.
    pub ack: Option<Message>,
    /// Outgoing: the client transaction of the current INVITE.
    pub invite_client: Option<ClientKey>,
    /// Outgoing: when a CANCELled INVITE that got no final response is given up
    /// (64·T1 after the CANCEL, RFC 3261 §9.1).
    pub cancel_deadline: Option<Instant>,
}

impl Call {
    pub fn new(incoming: bool, invite: Message, peer: SocketAddr) -> Call {
        Call {
            incoming,
            phase: if incoming {
                Phase::Offered
            } else {
                Phase::Calling
            },
            invite,
            invite_key: None,
            peer,
            dialog: None,
            local_sdp: None,
            remote_sdp: None,
            released: false,
            pending: Vec::new(),
            linger_until: None,
            awaiting_ack: false,
            clear_when_possible: None,
            proceeding_reported: false,
            alerting_reported: false,
            last_rseq: None,
            auth_tried: false,
            ack: None,
            invite_client: None,
            cancel_deadline: None,
        }
    }

    /// The earliest time something is due for this record.
    pub fn deadline(&self) -> Option<Instant> {
        [self.linger_until, self.cancel_deadline]
            .into_iter()
            .flatten()
            .min()
    }

    /// Whether the record may go.
    pub fn finished(&self, now: Instant) -> bool {
        self.released
            && self.pending.is_empty()
            && !self.awaiting_ack
            && self.linger_until.is_none_or(|t| t <= now)
    }

    pub fn end_transaction(&mut self, key: &ClientKey) {
        self.pending.retain(|k| k != key);
    }
}
