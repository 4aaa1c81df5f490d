//! Server transactions (RFC 3261 §17.2, with RFC 6026's Accepted state).
//!
//! ```text
//!  INVITE:  Proceeding ──2xx──► Accepted ──Timer L──► Terminated
//!               │  (the 2xx is resent T1, 2·T1 … T2 until its ACK, RFC 3261 §13.3.1.4)
//!               └──300-699──► Completed ──ACK──► Confirmed ──Timer I──► Terminated
//!                   Timer G: resend the final (T1 doubling to T2); Timer H (64·T1): no ACK
//!  other:   Trying ──1xx──► Proceeding ──final──► Completed ──Timer J──► Terminated
//! ```
//!
//! A retransmitted request gets the last response again (none while Trying); an INVITE
//! gets `100 Trying` at once, so the client stops retransmitting.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::{TimerSettings, Transmit};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerState {
    /// Trying (non-INVITE, before any response) or Proceeding.
    Proceeding,
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}

/// What a timer did, for the TU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerTimeout {
    Nothing,
    /// Timer H, or the 2xx was never acknowledged within 64·T1.
    NoAck,
}

#[derive(Debug)]
pub struct ServerTransaction {
    invite: bool,
    reliable: bool,
    pub state: ServerState,
    /// Where responses go: the address the request came from (symmetric response
    /// routing, as RFC 3581 `rport` asks for).
    pub source: SocketAddr,
    /// (Call-ID, CSeq) of an accepted INVITE, under which its 2xx ACK is looked up.
    pub accepted_as: Option<(String, u32)>,
    last_response: Option<Bytes>,
    /// Timer G, or the 2xx retransmission.
    resend_at: Option<Instant>,
    resend_interval: Duration,
    /// Timer H, or the 2xx's wait for its ACK.
    ack_deadline: Option<Instant>,
    /// Timer I, J or L.
    end_at: Option<Instant>,
    settings: TimerSettings,
}

impl ServerTransaction {
    pub fn new(invite: bool, source: SocketAddr, reliable: bool, settings: TimerSettings) -> Self {
        ServerTransaction {
            invite,
            reliable,
            state: ServerState::Proceeding,
            source,
            accepted_as: None,
            last_response: None,
            resend_at: None,
            resend_interval: settings.t1,
            ack_deadline: None,
            end_at: None,
            settings,
        }
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        [self.resend_at, self.ack_deadline, self.end_at]
            .into_iter()
            .flatten()
            .min()
    }

    /// The request was received again.
    pub fn on_retransmission(&mut self, out: &mut Vec<Transmit>) {
        if matches!(self.state, ServerState::Proceeding | ServerState::Completed) {
            self.resend_last(out);
        }
    }

    /// The TU sends a response with status `code`.
    pub fn respond(
        &mut self,
        code: u16,
        bytes: Bytes,
        now: Instant,
        out: &mut Vec<Transmit>,
    ) -> bool {
        if self.state != ServerState::Proceeding {
            return false;
        }
        out.push(Transmit {
            destination: self.source,
            payload: bytes.clone(),
        });
        self.last_response = Some(bytes);
        let t1 = self.settings.t1;
        match (self.invite, code) {
            (_, 100..=199) => {}
            (true, 200..=299) => {
                self.state = ServerState::Accepted;
                self.end_at = Some(now + 64 * t1);
                // The UAS core resends its 2xx until the ACK arrives, even on TCP
                // (RFC 3261 §13.3.1.4); here it rides on the transaction.
                self.resend_at = Some(now + t1);
                self.ack_deadline = Some(now + 64 * t1);
            }
            (true, _) => {
                self.state = ServerState::Completed;
                self.resend_at = (!self.reliable).then(|| now + t1);
                self.ack_deadline = Some(now + 64 * t1);
            }
            (false, _) => {
                self.state = ServerState::Completed;
                let wait = if self.reliable {
                    Duration::ZERO
                } else {
                    64 * t1
                };
                self.end_at = Some(now + wait);
            }
        }
        true
    }

    /// The ACK arrived (for a non-2xx final, or for the 2xx of an accepted INVITE).
    pub fn on_ack(&mut self, now: Instant) -> bool {
        match self.state {
            ServerState::Completed => {
                self.state = ServerState::Confirmed;
                self.resend_at = None;
                self.ack_deadline = None;
                let wait = if self.reliable {
                    Duration::ZERO
                } else {
                    self.settings.t4
                };
                self.end_at = Some(now + wait);
                false
            }
            ServerState::Accepted => {
                let first = self.ack_deadline.is_some();
                self.resend_at = None;
                self.ack_deadline = None;
                first
            }
            _ => false,
        }
    }

    pub fn on_timeout(&mut self, now: Instant, out: &mut Vec<Transmit>) -> ServerTimeout {
        if self.ack_deadline.is_some_and(|t| t <= now) {
            self.ack_deadline = None;
            self.resend_at = None;
            if self.state == ServerState::Completed {
                self.state = ServerState::Terminated;
            }
            return ServerTimeout::NoAck;
        }
        if self.end_at.is_some_and(|t| t <= now) {
            self.state = ServerState::Terminated;
            return ServerTimeout::Nothing;
        }
        if let Some(at) = self.resend_at.filter(|&t| t <= now) {
            self.resend_last(out);
            self.resend_interval = (self.resend_interval * 2).min(self.settings.t2);
            self.resend_at = Some(at + self.resend_interval);
        }
        ServerTimeout::Nothing
    }

    fn resend_last(&self, out: &mut Vec<Transmit>) {
        if let Some(bytes) = &self.last_response {
            out.push(Transmit {
                destination: self.source,
                payload: bytes.clone(),
            });
        }
    }
}
