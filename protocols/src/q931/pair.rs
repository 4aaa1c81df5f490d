//! A user side and a network side joined in-process, with a virtual clock and a link that
//! drops chosen messages: the harness for call-control tests and simulations.
//!
//! Messages are delivered at once and in order. [`Pair::drop_next`] loses the next
//! message of a type in one direction; [`Pair::advance`] moves the clock, firing every
//! deadline on the way at its exact instant.

use std::time::Duration;

use super::{CallControl, Config, Event, Message, MessageType};

/// Which way a message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// From the user side (TE) to the network side (NT).
    ToNetwork,
    /// From the network side to the user side.
    ToUser,
}

/// One message put on the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub direction: Direction,
    pub at: Duration,
    pub bytes: Vec<u8>,
    pub dropped: bool,
}

impl Delivery {
    /// The message type, for messages the codec reads.
    pub fn message_type(&self) -> Option<MessageType> {
        Message::decode(&self.bytes).ok().map(|m| m.message_type)
    }
}

/// A TE and an NT machine on one simulated data link.
#[derive(Debug)]
pub struct Pair {
    pub te: CallControl,
    pub nt: CallControl,
    pub now: Duration,
    /// Every message sent, in order, including the dropped ones.
    pub log: Vec<Delivery>,
    /// Events the user side reported, in order.
    pub te_events: Vec<Event>,
    pub nt_events: Vec<Event>,
    drops: Vec<(Direction, MessageType)>,
}

impl Pair {
    pub fn new(te: Config, nt: Config) -> Pair {
        Pair {
            te: CallControl::new(te),
            nt: CallControl::new(nt),
            now: Duration::ZERO,
            log: Vec::new(),
            te_events: Vec::new(),
            nt_events: Vec::new(),
            drops: Vec::new(),
        }
    }

    /// Default user and network configurations on a basic rate interface.
    pub fn basic() -> Pair {
        Pair::new(Config::user(), Config::network())
    }

    /// Loses the next message of this type sent in this direction.
    pub fn drop_next(&mut self, direction: Direction, message_type: MessageType) {
        self.drops.push((direction, message_type));
    }

    /// Delivers messages both ways until neither side has anything to send.
    pub fn drive(&mut self) {
        loop {
            let moved = self.shuttle(Direction::ToNetwork) | self.shuttle(Direction::ToUser);
            self.te_events
                .extend(std::iter::from_fn(|| self.te.poll_event()));
            self.nt_events
                .extend(std::iter::from_fn(|| self.nt.poll_event()));
            if !moved {
                return;
            }
        }
    }

    /// Moves the clock forward by `by`, firing each deadline at its instant.
    pub fn advance(&mut self, by: Duration) {
        let until = self.now + by;
        self.drive();
        while let Some(deadline) = self.next_deadline().filter(|d| *d <= until) {
            self.now = self.now.max(deadline);
            self.te.handle_timeout(self.now);
            self.nt.handle_timeout(self.now);
            self.drive();
        }
        self.now = until;
    }

    fn next_deadline(&self) -> Option<Duration> {
        [self.te.poll_timeout(), self.nt.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
    }

    /// Moves one side's queued messages to the other; whether anything moved.
    fn shuttle(&mut self, direction: Direction) -> bool {
        let mut moved = false;
        loop {
            let (from, to) = match direction {
                Direction::ToNetwork => (&mut self.te, &mut self.nt),
                Direction::ToUser => (&mut self.nt, &mut self.te),
            };
            let Some(bytes) = from.poll_transmit() else {
                return moved;
            };
            moved = true;
            let message_type = Message::decode(&bytes).ok().map(|m| m.message_type);
            let rule = self
                .drops
                .iter()
                .position(|(d, t)| *d == direction && Some(*t) == message_type);
            let dropped = rule.is_some();
            if let Some(rule) = rule {
                self.drops.remove(rule);
            } else {
                // Errors are answered by the machine itself; the log keeps the octets.
                let _ = to.handle_receive(&bytes, self.now);
            }
            self.log.push(Delivery {
                direction,
                at: self.now,
                bytes,
                dropped,
            });
        }
    }

    /// The types of the messages sent, in order, with their direction.
    pub fn trace(&self) -> Vec<(Direction, MessageType)> {
        self.log
            .iter()
            .filter_map(|d| d.message_type().map(|t| (d.direction, t)))
            .collect()
    }
}
