//! The SIP transaction layer (RFC 3261 §17, RFC 6026), sans-IO.
//!
//! The layer holds every client and server transaction of one transport endpoint. The
//! transport feeds it parsed messages with their source ([`TransactionLayer::handle_message`]);
//! the transaction user (the SIP trunk's call logic) sends requests and responses through
//! it; both are answered through the crate-wide drive loop: drain
//! [`poll_transmit`](TransactionLayer::poll_transmit) and
//! [`poll_event`](TransactionLayer::poll_event), sleep until
//! [`poll_timeout`](TransactionLayer::poll_timeout), call
//! [`handle_timeout`](TransactionLayer::handle_timeout).
//!
//! What the layer does on its own:
//! * retransmits requests (Timers A and E) and final responses (Timer G) on unreliable
//!   transports, and times out (Timers B, F, H) — T1, T2, T4 are [`TimerSettings`];
//! * absorbs retransmitted requests, answering with the last response, and answers a new
//!   INVITE with `100 Trying` at once;
//! * ACKs non-2xx final responses to its INVITEs, and matches the ACK of a 2xx to the
//!   accepted INVITE, resending the 2xx until it comes (RFC 3261 §13.3.1.4);
//! * matches a CANCEL to the INVITE it cancels, and answers `481` to one that matches
//!   nothing;
//! * keeps the RFC 6026 Accepted states (Timers L and M) so 2xx retransmissions reach the
//!   TU and INVITE retransmissions do not look like new calls.
//!
//! Time is an input: nothing here reads a clock, so the tests drive it with a virtual one.

mod client;
mod key;
pub mod messages;
mod server;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;

pub use client::ClientState;
pub use key::{ClientKey, MAGIC_COOKIE, MethodKey, ServerKey};
pub use server::ServerState;

use self::client::{ClientTransaction, Delivery};
use self::server::{ServerTimeout, ServerTransaction};
use crate::sip::{Message, Method, ParseError};

/// RFC 3261's T1, T2 and T4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimerSettings {
    /// Round-trip estimate: 500 ms.
    pub t1: Duration,
    /// Longest retransmit interval for non-INVITE requests and INVITE responses: 4 s.
    pub t2: Duration,
    /// Longest time a message stays in the network: 5 s.
    pub t4: Duration,
}

impl Default for TimerSettings {
    fn default() -> Self {
        TimerSettings {
            t1: Duration::from_millis(500),
            t2: Duration::from_secs(4),
            t4: Duration::from_secs(5),
        }
    }
}

/// Bytes to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    pub destination: SocketAddr,
    pub payload: Bytes,
}

/// What the layer tells its transaction user.
#[derive(Debug, Clone, PartialEq)]
pub enum TransactionEvent {
    /// A new request. For a CANCEL, `cancels` names the INVITE transaction it cancels
    /// (the TU answers the CANCEL with 200 and the INVITE with 487).
    Request {
        key: ServerKey,
        request: Message,
        source: SocketAddr,
        cancels: Option<ServerKey>,
    },
    /// A response to one of our requests (provisional or final; 2xx retransmissions too).
    Response { key: ClientKey, response: Message },
    /// Timer B or F: the request got no final response.
    Timeout { key: ClientKey },
    /// The ACK for the 2xx of an accepted INVITE.
    Ack { key: ServerKey, ack: Message },
    /// Our final response to an INVITE was never acknowledged (Timer H, or 64·T1 for a 2xx):
    /// for a 2xx the TU should end the dialog with BYE.
    AckTimeout { key: ServerKey },
    /// A message that belongs to no transaction: a 2xx after its transaction ended, or an
    /// ACK for a 2xx that arrived late. The TU may know it by its dialog.
    Stray {
        message: Message,
        source: SocketAddr,
    },
}

/// Why the TU's send was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    #[error("the request has no usable top Via branch, CSeq or Call-ID: {0}")]
    Malformed(String),
    #[error("a transaction with this branch already exists")]
    Duplicate,
    #[error("no server transaction for this response (it ended, or the key is wrong)")]
    NoTransaction,
    #[error("the transaction has already sent its final response")]
    AlreadyFinal,
}

impl From<ParseError> for SendError {
    fn from(e: ParseError) -> Self {
        SendError::Malformed(e.to_string())
    }
}

/// Either kind of key, for the timer queue.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum AnyKey {
    Client(ClientKey),
    Server(ServerKey),
}

/// All transactions of one endpoint.
#[derive(Debug, Default)]
pub struct TransactionLayer {
    settings: TimerSettings,
    clients: HashMap<ClientKey, ClientTransaction>,
    servers: HashMap<ServerKey, ServerTransaction>,
    /// Accepted INVITE server transactions by (Call-ID, CSeq number), for 2xx ACKs.
    accepted: HashMap<(String, u32), ServerKey>,
    /// Deadlines, possibly stale: each popped entry is checked against its transaction.
    timers: BinaryHeap<Reverse<(Instant, AnyKey)>>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<TransactionEvent>,
    scratch: Vec<Transmit>,
}

impl TransactionLayer {
    pub fn new(settings: TimerSettings) -> TransactionLayer {
        TransactionLayer {
            settings,
            ..TransactionLayer::default()
        }
    }

    /// Transactions alive (for tests and gauges).
    pub fn len(&self) -> usize {
        self.clients.len() + self.servers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<TransactionEvent> {
        self.events.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.peek().map(|Reverse((at, _))| *at)
    }

    /// Sends a request in a new client transaction (ACK is not a transaction: use
    /// [`send_stateless`](Self::send_stateless)). The top Via must carry a fresh
    /// `z9hG4bK` branch.
    pub fn send_request(
        &mut self,
        request: Message,
        destination: SocketAddr,
        reliable: bool,
        now: Instant,
    ) -> Result<ClientKey, SendError> {
        let key = key::client_key_of_request(&request)?
            .ok_or_else(|| SendError::Malformed("no branch in the top Via".into()))?;
        request.call_id()?;
        if self.clients.contains_key(&key) {
            return Err(SendError::Duplicate);
        }
        let mut out = std::mem::take(&mut self.scratch);
        let txn =
            ClientTransaction::start(request, destination, reliable, self.settings, now, &mut out);
        self.flush(&mut out);
        self.arm(AnyKey::Client(key.clone()), txn.next_deadline());
        self.clients.insert(key.clone(), txn);
        Ok(key)
    }

    /// Forgets the client transaction `key` (no event follows): for an INVITE that stays
    /// in Proceeding after its CANCEL, which RFC 3261 §9.1 lets the TU destroy once
    /// 64·T1 pass without a final response. Unknown keys are ignored.
    pub fn abandon(&mut self, key: &ClientKey) {
        self.clients.remove(key);
    }

    /// Sends a response in the server transaction `key`.
    pub fn send_response(
        &mut self,
        key: &ServerKey,
        response: Message,
        now: Instant,
    ) -> Result<(), SendError> {
        let code = response.status().unwrap_or(500);
        let txn = self.servers.get_mut(key).ok_or(SendError::NoTransaction)?;
        let mut out = std::mem::take(&mut self.scratch);
        let sent = txn.respond(code, response.to_bytes(), now, &mut out);
        let deadline = txn.next_deadline();
        self.flush(&mut out);
        if !sent {
            return Err(SendError::AlreadyFinal);
        }
        if key.method.is_invite()
            && (200..300).contains(&code)
            && let (Ok(call_id), Ok(cseq)) = (response.call_id(), response.cseq())
        {
            let id = (call_id.0, cseq.seq);
            self.accepted.insert(id.clone(), key.clone());
            if let Some(txn) = self.servers.get_mut(key) {
                txn.accepted_as = Some(id);
            }
        }
        self.arm(AnyKey::Server(key.clone()), deadline);
        Ok(())
    }

    /// Sends a message outside any transaction (the ACK for a 2xx, stateless answers).
    pub fn send_stateless(&mut self, message: &Message, destination: SocketAddr) {
        self.transmits.push_back(Transmit {
            destination,
            payload: message.to_bytes(),
        });
    }

    /// A message arrived from `source`; `reliable` for stream transports. The message
    /// should have passed [`Message::validate`] (the transport answers 400 otherwise).
    pub fn handle_message(
        &mut self,
        message: Message,
        source: SocketAddr,
        reliable: bool,
        now: Instant,
    ) {
        if message.is_request() {
            self.handle_request(message, source, reliable, now);
        } else {
            self.handle_response(message, source, now);
        }
    }

    fn handle_response(&mut self, response: Message, source: SocketAddr, now: Instant) {
        let key = match key::client_key(&response) {
            Ok(Some(key)) => key,
            _ => return,
        };
        let Some(txn) = self.clients.get_mut(&key) else {
            self.events.push_back(TransactionEvent::Stray {
                message: response,
                source,
            });
            return;
        };
        let mut out = std::mem::take(&mut self.scratch);
        let delivery = txn.on_response(&response, now, &mut out);
        let deadline = txn.next_deadline();
        self.flush(&mut out);
        self.arm(AnyKey::Client(key.clone()), deadline);
        if delivery == Delivery::Deliver {
            self.events
                .push_back(TransactionEvent::Response { key, response });
        }
    }

    fn handle_request(
        &mut self,
        request: Message,
        source: SocketAddr,
        reliable: bool,
        now: Instant,
    ) {
        let Some(method) = request.method().cloned() else {
            return;
        };
        let Ok(key) = key::server_key(&request, None) else {
            return;
        };
        if method == Method::Ack {
            self.handle_ack(key, request, source, now);
            return;
        }
        if let Some(txn) = self.servers.get_mut(&key) {
            let mut out = std::mem::take(&mut self.scratch);
            txn.on_retransmission(&mut out);
            self.flush(&mut out);
            return;
        }
        let txn = ServerTransaction::new(method == Method::Invite, source, reliable, self.settings);
        self.servers.insert(key.clone(), txn);
        let cancels = if method == Method::Cancel {
            let invite = key::server_key(&request, Some(&Method::Invite)).ok();
            let pending = invite.filter(|k| {
                self.servers
                    .get(k)
                    .is_some_and(|t| t.state == ServerState::Proceeding)
            });
            if pending.is_none() {
                let response =
                    Message::response_to(&request, 481, "Call/Transaction Does Not Exist").build();
                let _ = self.send_response(&key, response, now);
                return;
            }
            pending
        } else {
            None
        };
        if method == Method::Invite {
            let trying = Message::response_to(&request, 100, "Trying").build();
            let _ = self.send_response(&key, trying, now);
        }
        self.events.push_back(TransactionEvent::Request {
            key,
            request,
            source,
            cancels,
        });
    }

    fn handle_ack(&mut self, key: ServerKey, ack: Message, source: SocketAddr, now: Instant) {
        // An ACK for a non-2xx shares the INVITE's branch; one for a 2xx has its own.
        let target = if self
            .servers
            .get(&key)
            .is_some_and(|t| t.state == ServerState::Completed)
        {
            Some(key)
        } else {
            let dialog = ack.call_id().ok().zip(ack.cseq().ok());
            dialog.and_then(|(call_id, cseq)| self.accepted.get(&(call_id.0, cseq.seq)).cloned())
        };
        let Some(target) = target else {
            self.events.push_back(TransactionEvent::Stray {
                message: ack,
                source,
            });
            return;
        };
        let Some(txn) = self.servers.get_mut(&target) else {
            return;
        };
        let first_2xx_ack = txn.on_ack(now);
        let deadline = txn.next_deadline();
        self.arm(AnyKey::Server(target.clone()), deadline);
        if first_2xx_ack {
            self.events
                .push_back(TransactionEvent::Ack { key: target, ack });
        }
    }

    /// Fires every timer due at `now`; early or repeated calls are harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(Reverse((at, key))) = self.timers.peek().cloned() {
            if at > now {
                break;
            }
            self.timers.pop();
            match key {
                AnyKey::Client(key) => self.client_timeout(key, now),
                AnyKey::Server(key) => self.server_timeout(key, now),
            }
        }
    }

    fn client_timeout(&mut self, key: ClientKey, now: Instant) {
        let Some(txn) = self.clients.get_mut(&key) else {
            return;
        };
        if txn.next_deadline().is_none_or(|d| d > now) {
            return; // a stale entry
        }
        let mut out = std::mem::take(&mut self.scratch);
        let timed_out = txn.on_timeout(now, &mut out);
        let (state, deadline) = (txn.state, txn.next_deadline());
        self.flush(&mut out);
        if timed_out {
            self.events
                .push_back(TransactionEvent::Timeout { key: key.clone() });
        }
        if state == ClientState::Terminated {
            self.clients.remove(&key);
        } else {
            self.arm(AnyKey::Client(key), deadline);
        }
    }

    fn server_timeout(&mut self, key: ServerKey, now: Instant) {
        let Some(txn) = self.servers.get_mut(&key) else {
            return;
        };
        if txn.next_deadline().is_none_or(|d| d > now) {
            return;
        }
        let mut out = std::mem::take(&mut self.scratch);
        let outcome = txn.on_timeout(now, &mut out);
        let (state, deadline) = (txn.state, txn.next_deadline());
        self.flush(&mut out);
        if outcome == ServerTimeout::NoAck {
            self.events
                .push_back(TransactionEvent::AckTimeout { key: key.clone() });
        }
        if state == ServerState::Terminated {
            if let Some(id) = self.servers.remove(&key).and_then(|t| t.accepted_as) {
                self.accepted.remove(&id);
            }
        } else {
            self.arm(AnyKey::Server(key), deadline);
        }
    }

    fn arm(&mut self, key: AnyKey, deadline: Option<Instant>) {
        if let Some(at) = deadline {
            self.timers.push(Reverse((at, key)));
        }
    }

    fn flush(&mut self, out: &mut Vec<Transmit>) {
        self.transmits.extend(out.drain(..));
        self.scratch = std::mem::take(out);
    }
}

#[cfg(test)]
mod tests;
