//! Two user agents on a virtual clock, joined by a seeded lossy link: `node` plays
//! callbackd's trunk, `operator` the peer network.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use protocols::call::{CallEvent, NumberKind, PartyNumber, Presentation};
use protocols::sdp::{LocalMedia, SessionDescription};
use protocols::sip::ua::{CallId, UaConfig, UaEvent, UserAgent};

pub const NODE: &str = "127.0.0.1:5060";
pub const OPERATOR: &str = "127.0.0.1:5070";
/// Another host: trust is by address, so a stranger must not share the peer's IP.
pub const STRANGER: &str = "127.0.0.9:5090";

pub fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

pub fn international(digits: &str) -> PartyNumber {
    PartyNumber {
        digits: digits.into(),
        kind: NumberKind::International,
        presentation: Presentation::Allowed,
    }
}

pub fn media(port: u16) -> LocalMedia {
    LocalMedia::new("127.0.0.1".parse().unwrap(), port)
}

pub fn offer(port: u16) -> SessionDescription {
    media(port).offer(port.into(), 1)
}

/// The node's trunk: peer = OPERATOR, trusted.
pub fn node_config() -> UaConfig {
    let mut c = UaConfig::new(addr(NODE), Some(addr(OPERATOR)));
    c.trusted_cli = true;
    c
}

/// The operator, at `at`, sending to the node; trusted so it asserts identities.
pub fn operator_config(at: &str) -> UaConfig {
    let mut c = UaConfig::new(addr(at), Some(addr(NODE)));
    c.trusted_cli = true;
    c
}

/// A xorshift generator: the same seed loses the same datagrams on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn chance(&mut self, percent: u64) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % 100 < percent
    }
}

pub struct Pair {
    pub node: UserAgent,
    pub operator: UserAgent,
    pub t0: Instant,
    pub now: Instant,
    pub loss: u64,
    pub rng: Rng,
    /// Everything put on the wire: (sender, bytes).
    pub wire: Vec<(SocketAddr, Bytes)>,
    pub node_events: Vec<UaEvent>,
    pub operator_events: Vec<UaEvent>,
}

impl Pair {
    pub fn new() -> Pair {
        Pair::with(node_config(), operator_config(OPERATOR))
    }

    pub fn with(node: UaConfig, operator: UaConfig) -> Pair {
        let t0 = Instant::now();
        Pair {
            node: UserAgent::new(node, 1),
            operator: UserAgent::new(operator, 2),
            t0,
            now: t0,
            loss: 0,
            rng: Rng(0x5EED),
            wire: Vec::new(),
            node_events: Vec::new(),
            operator_events: Vec::new(),
        }
    }

    pub fn elapsed(&self) -> Duration {
        self.now - self.t0
    }

    /// Delivers everything in flight (each datagram may be lost) until nothing moves.
    pub fn shuttle(&mut self) {
        loop {
            let mut moved = false;
            let node_addr = self.node.config().local;
            let operator_addr = self.operator.config().local;
            while let Some(t) = self.node.poll_transmit() {
                moved = true;
                self.wire.push((node_addr, t.payload.clone()));
                if t.destination == operator_addr && !self.rng.chance(self.loss) {
                    self.operator.handle_input(t.payload, node_addr, self.now);
                }
            }
            while let Some(t) = self.operator.poll_transmit() {
                moved = true;
                self.wire.push((operator_addr, t.payload.clone()));
                if t.destination == node_addr && !self.rng.chance(self.loss) {
                    self.node.handle_input(t.payload, operator_addr, self.now);
                }
            }
            while let Some(e) = self.node.poll_event() {
                moved = true;
                self.node_events.push(e);
            }
            while let Some(e) = self.operator.poll_event() {
                moved = true;
                self.operator_events.push(e);
            }
            if !moved {
                return;
            }
        }
    }

    /// Runs the timers of both sides until `limit` after t0.
    pub fn run_until(&mut self, limit: Duration) {
        self.shuttle();
        loop {
            let next = [self.node.poll_timeout(), self.operator.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next.filter(|&t| t <= self.t0 + limit) else {
                break;
            };
            self.now = self.now.max(next);
            self.node.handle_timeout(self.now);
            self.operator.handle_timeout(self.now);
            self.shuttle();
        }
        self.now = self.now.max(self.t0 + limit);
    }

    /// Runs for `d` more.
    pub fn run_for(&mut self, d: Duration) {
        let limit = self.elapsed() + d;
        self.run_until(limit);
    }

    /// The call events `events` reported for `call`.
    pub fn call_events(events: &[UaEvent], call: CallId) -> Vec<CallEvent> {
        events
            .iter()
            .filter_map(|e| match e {
                UaEvent::Call(id, ev) if *id == call => Some(ev.clone()),
                _ => None,
            })
            .collect()
    }

    /// The id of the last call offered to the node.
    pub fn offered_to_node(&self) -> CallId {
        last_offered(&self.node_events)
    }

    pub fn offered_to_operator(&self) -> CallId {
        last_offered(&self.operator_events)
    }

    /// Wire messages starting with `start`, as text.
    pub fn sent(&self, start: &str) -> Vec<String> {
        self.wire
            .iter()
            .filter(|(_, b)| b.starts_with(start.as_bytes()))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect()
    }

    /// Both sides hold no call after everything settled.
    pub fn assert_no_leak(&mut self) {
        self.run_for(Duration::from_secs(70));
        assert_eq!(self.node.calls(), 0, "node leaked a call");
        assert_eq!(self.operator.calls(), 0, "operator leaked a call");
    }
}

fn last_offered(events: &[UaEvent]) -> CallId {
    events
        .iter()
        .rev()
        .find_map(|e| match e {
            UaEvent::Call(id, CallEvent::Offered { .. }) => Some(*id),
            _ => None,
        })
        .expect("a call was offered")
}

/// The remote session description reported for `call`.
pub fn remote_media(events: &[UaEvent], call: CallId) -> Vec<SessionDescription> {
    events
        .iter()
        .filter_map(|e| match e {
            UaEvent::RemoteMedia(id, sdp) if *id == call => Some((**sdp).clone()),
            _ => None,
        })
        .collect()
}
