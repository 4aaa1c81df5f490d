//! Client transactions (RFC 3261 §17.1, with RFC 6026's Accepted state).
//!
//! ```text
//!  INVITE:  Calling ──1xx──► Proceeding ──2xx──► Accepted ──Timer M──► Terminated
//!              │ Timer A: resend (T1, 2·T1, 4·T1 …)   │300-699: ACK ─► Completed ──Timer D──► Terminated
//!              └ Timer B (64·T1): timeout
//!  other:   Trying ──1xx──► Proceeding ──final──► Completed ──Timer K──► Terminated
//!              Timer E: resend (T1 doubling to T2; every T2 once proceeding)
//!              Timer F (64·T1): timeout
//! ```

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::messages::ack_for;
use super::{TimerSettings, Transmit};
use crate::sip::Message;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientState {
    /// Calling (INVITE) or Trying (non-INVITE).
    Calling,
    Proceeding,
    Accepted,
    Completed,
    Terminated,
}

/// What a client transaction does with a response.
#[derive(Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Pass it to the TU.
    Deliver,
    /// A retransmission: absorbed.
    Absorb,
}

#[derive(Debug)]
pub struct ClientTransaction {
    invite: bool,
    reliable: bool,
    pub state: ClientState,
    request: Message,
    bytes: Bytes,
    pub destination: SocketAddr,
    /// Timer A or E.
    resend_at: Option<Instant>,
    resend_interval: Duration,
    /// Timer B or F.
    timeout_at: Option<Instant>,
    /// Timer D, K or M.
    end_at: Option<Instant>,
    /// The ACK sent for a non-2xx final response, resent for its retransmissions.
    ack: Option<Bytes>,
    settings: TimerSettings,
}

impl ClientTransaction {
    /// Starts the transaction: the request is sent at once.
    pub fn start(
        request: Message,
        destination: SocketAddr,
        reliable: bool,
        settings: TimerSettings,
        now: Instant,
        out: &mut Vec<Transmit>,
    ) -> ClientTransaction {
        let invite = request
            .method()
            .is_some_and(|m| *m == crate::sip::Method::Invite);
        let bytes = request.to_bytes();
        out.push(Transmit {
            destination,
            payload: bytes.clone(),
        });
        ClientTransaction {
            invite,
            reliable,
            state: ClientState::Calling,
            request,
            bytes,
            destination,
            resend_at: (!reliable).then(|| now + settings.t1),
            resend_interval: settings.t1,
            timeout_at: Some(now + 64 * settings.t1),
            end_at: None,
            ack: None,
            settings,
        }
    }

    pub fn next_deadline(&self) -> Option<Instant> {
        [self.resend_at, self.timeout_at, self.end_at]
            .into_iter()
            .flatten()
            .min()
    }

    /// A response for this transaction arrived.
    pub fn on_response(
        &mut self,
        response: &Message,
        now: Instant,
        out: &mut Vec<Transmit>,
    ) -> Delivery {
        let code = response.status().unwrap_or(0);
        match (self.state, code) {
            (ClientState::Calling | ClientState::Proceeding, 100..=199) => {
                self.state = ClientState::Proceeding;
                if self.invite {
                    // Timer A stops; Timer B only guards the Calling state.
                    self.resend_at = None;
                    self.timeout_at = None;
                } else if self.resend_at.is_some() {
                    self.resend_at = Some(now + self.settings.t2);
                    self.resend_interval = self.settings.t2;
                }
                Delivery::Deliver
            }
            (ClientState::Calling | ClientState::Proceeding, 200..=299) if self.invite => {
                self.state = ClientState::Accepted;
                self.stop_sending();
                self.end_at = Some(now + 64 * self.settings.t1);
                Delivery::Deliver
            }
            (ClientState::Accepted, 200..=299) => Delivery::Deliver,
            (ClientState::Calling | ClientState::Proceeding, 200..=699) => {
                self.state = ClientState::Completed;
                self.stop_sending();
                if self.invite {
                    self.ack = ack_for(&self.request, response).map(|ack| ack.to_bytes());
                    if let Some(ack) = &self.ack {
                        out.push(Transmit {
                            destination: self.destination,
                            payload: ack.clone(),
                        });
                    }
                    let wait = if self.reliable {
                        Duration::ZERO
                    } else {
                        Duration::from_secs(32)
                    };
                    self.end_at = Some(now + wait);
                } else {
                    let wait = if self.reliable {
                        Duration::ZERO
                    } else {
                        self.settings.t4
                    };
                    self.end_at = Some(now + wait);
                }
                Delivery::Deliver
            }
            (ClientState::Completed, 300..=699) => {
                if let Some(ack) = &self.ack {
                    out.push(Transmit {
                        destination: self.destination,
                        payload: ack.clone(),
                    });
                }
                Delivery::Absorb
            }
            _ => Delivery::Absorb,
        }
    }

    /// Fires due timers; returns `true` if Timer B or F expired (the TU sees a timeout).
    pub fn on_timeout(&mut self, now: Instant, out: &mut Vec<Transmit>) -> bool {
        if self.timeout_at.is_some_and(|t| t <= now) {
            self.state = ClientState::Terminated;
            return true;
        }
        if self.end_at.is_some_and(|t| t <= now) {
            self.state = ClientState::Terminated;
            return false;
        }
        if let Some(at) = self.resend_at.filter(|&t| t <= now) {
            out.push(Transmit {
                destination: self.destination,
                payload: self.bytes.clone(),
            });
            self.resend_interval = match (self.invite, self.state) {
                (true, _) => self.resend_interval * 2,
                (false, ClientState::Proceeding) => self.settings.t2,
                (false, _) => (self.resend_interval * 2).min(self.settings.t2),
            };
            self.resend_at = Some(at + self.resend_interval);
        }
        false
    }

    fn stop_sending(&mut self) {
        self.resend_at = None;
        self.timeout_at = None;
    }
}
