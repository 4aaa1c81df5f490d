//! Q.931 basic call control (EN 300 403-1 §5), sans-IO, for the user side (TE) or the
//! network side (NT) of one data link.
//!
//! One [`CallControl`] serves every call on the link, keyed by call reference; the engine
//! addresses calls by [`CallId`]. It follows the crate's drive loop:
//!
//! * input: [`CallControl::handle_receive`] (one Q.931 message from layer 2),
//!   [`CallControl::handle_command`] (a [`CallCommand`] from the engine),
//!   [`CallControl::restart`] and [`CallControl::handle_timeout`];
//! * output: [`CallControl::poll_transmit`] (messages for layer 2), then
//!   [`CallControl::poll_event`] ([`Event`]s for the engine), then
//!   [`CallControl::poll_timeout`] (the next deadline).
//!
//! `now` is a [`Duration`] since any fixed epoch the driver chooses (a monotonic clock's
//! start, or 0 in tests); only differences matter.
//!
//! Invariants: every call reports exactly one [`CallEvent::Released`], when it is first
//! cleared by either side or by a timer; a call leaves the table when its call reference
//! is released (RELEASE COMPLETE sent or received, or T308 expired twice), so a link with
//! no call in progress holds no state but the B-channel allocation.
//!
//! ```text
//!   Outgoing (TE):  U0 --SETUP--> U1 --CALL PROC--> U3 --ALERTING--> U4 --CONNECT--> U10
//!                                  \--SETUP ACK--> U2 --INFORMATION...--/
//!   Incoming (TE):  U0 <--SETUP-- U6 --ALERTING--> U7 --CONNECT--> U8 <--CONN ACK-- U10
//!   Clearing:       U10 --DISCONNECT--> U11 <--RELEASE-- --RELEASE COMPLETE--> U0
//! ```

mod call;
mod channels;
mod command;
mod receive;
mod restart;
mod state;
mod timer;

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use thiserror::Error;

use super::ie::{InterfaceType, Location};
use super::{CallReferenceSize, Message};
use crate::call::{CallCommand, CallEvent};

pub use state::{NetworkState, State, UserState};
pub use timer::{Timer, Timers};

use call::Call;
use channels::Channels;
use restart::PendingRestart;

/// Which side of the user-network interface this machine plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// TE: callbackd is the subscriber.
    User,
    /// NT: callbackd is the network (e.g. towards a PBX).
    Network,
}

/// How the link behaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub side: Side,
    /// Basic rate (1-octet call references, B1–B2) or primary rate (2 octets, 1–31).
    pub interface: InterfaceType,
    pub timers: Timers,
    /// Originate without sending complete and send later digits in INFORMATION.
    pub overlap_sending: bool,
    /// Answer a SETUP without sending complete with SETUP ACKNOWLEDGE and collect digits.
    pub overlap_receiving: bool,
    /// Network side: DISCONNECT carries progress indicator #8 (tones are played in-band).
    pub in_band_tones: bool,
    /// Whether the calling number of an incoming call is vouched for (spec §2).
    pub trust_cli: bool,
}

impl Config {
    /// A user side on a basic rate interface, en-bloc sending, CLI trusted.
    pub fn user() -> Config {
        Config {
            side: Side::User,
            interface: InterfaceType::Basic,
            timers: Timers::default(),
            overlap_sending: false,
            overlap_receiving: false,
            in_band_tones: false,
            trust_cli: true,
        }
    }

    /// A network side on a basic rate interface; the users' CLI is not screened.
    pub fn network() -> Config {
        Config {
            side: Side::Network,
            trust_cli: false,
            ..Config::user()
        }
    }

    fn call_reference_size(&self) -> CallReferenceSize {
        match self.interface {
            InterfaceType::Basic => CallReferenceSize::One,
            InterfaceType::Primary => CallReferenceSize::Two,
        }
    }

    /// The location this side writes in cause and progress elements.
    fn location(&self) -> Location {
        match self.side {
            Side::User => Location::User,
            Side::Network => Location::PublicLocal,
        }
    }
}

/// The engine's handle for one call on the link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(pub u32);

/// What the machine reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Call(CallId, CallEvent),
    /// The peer restarted the given B channel (or the whole interface); calls on it were
    /// released and reported.
    RestartReceived {
        channel: Option<u8>,
    },
    /// Our RESTART was acknowledged.
    RestartAcknowledged,
    /// Our RESTART was not acknowledged after being sent twice.
    RestartFailed,
}

/// A command the machine cannot carry out.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    #[error("no call {0:?} on this link")]
    UnknownCall(CallId),
    #[error("call {0:?} already exists")]
    CallIdInUse(CallId),
    #[error("{command} is not possible in state {state:?}")]
    NotPossible { command: &'static str, state: State },
    #[error("the number does not fit in a message")]
    NumberTooLong,
}

/// A call's key: its call reference value and whether this side allocated it.
type Key = (u16, bool);

/// Messages and events waiting to be polled.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    transmit: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
}

/// What a call's handlers need besides the call.
pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub now: Duration,
    pub out: &'a mut Outbox,
}

impl Ctx<'_> {
    /// Queues a message and returns its octets (kept for resends).
    pub fn send(&mut self, message: &Message) -> Vec<u8> {
        // Messages built here stay far below the 255-octet element limit: numbers are
        // checked when a command brings them in.
        let bytes = message.encode().unwrap_or_default();
        if !bytes.is_empty() {
            self.out.transmit.push_back(bytes.clone());
        }
        bytes
    }

    pub fn resend(&mut self, bytes: &[u8]) {
        self.out.transmit.push_back(bytes.to_vec());
    }

    pub fn event(&mut self, id: CallId, event: CallEvent) {
        self.out.events.push_back(Event::Call(id, event));
    }
}

/// Q.931 call control for one data link.
#[derive(Debug)]
pub struct CallControl {
    config: Config,
    calls: BTreeMap<Key, Call>,
    ids: BTreeMap<CallId, Key>,
    out: Outbox,
    channels: Channels,
    next_id: u32,
    next_reference: u16,
    restart: Option<PendingRestart>,
}

impl CallControl {
    pub fn new(config: Config) -> CallControl {
        CallControl {
            channels: Channels::new(config.interface),
            config,
            calls: BTreeMap::new(),
            ids: BTreeMap::new(),
            out: Outbox::default(),
            next_id: 0,
            next_reference: 0,
            restart: None,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A fresh id for [`CallCommand::Originate`]; incoming calls get theirs the same way.
    pub fn new_call_id(&mut self) -> CallId {
        self.next_id = self.next_id.wrapping_add(1);
        while self.ids.contains_key(&CallId(self.next_id)) {
            self.next_id = self.next_id.wrapping_add(1);
        }
        CallId(self.next_id)
    }

    /// The next message to hand to layer 2.
    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.out.transmit.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.out.events.pop_front()
    }

    /// The earliest running timer's deadline.
    pub fn poll_timeout(&self) -> Option<Duration> {
        let calls = self.calls.values().filter_map(|c| c.timers.next());
        let restart = self.restart.as_ref().map(|r| r.deadline);
        calls.chain(restart).min()
    }

    /// Runs every timer that has expired by `now`.
    pub fn handle_timeout(&mut self, now: Duration) {
        let keys: Vec<Key> = self.calls.keys().copied().collect();
        for key in keys {
            self.with_call(key, now, |call, ctx| {
                while let Some(timer) = call.timers.expired(ctx.now) {
                    call.on_timer(timer, ctx);
                }
            });
        }
        self.restart_timeout(now);
    }

    /// The call's state as the standard names it; `None` once it is released.
    pub fn state(&self, id: CallId) -> Option<State> {
        let call = self.calls.get(self.ids.get(&id)?)?;
        Some(call.state(self.config.side))
    }

    /// The B channel the call uses, once known.
    pub fn channel(&self, id: CallId) -> Option<u8> {
        self.calls.get(self.ids.get(&id)?)?.channel
    }

    /// The calls that hold a call reference.
    pub fn calls(&self) -> impl Iterator<Item = CallId> + '_ {
        self.ids.keys().copied()
    }

    /// How many calls hold a call reference.
    pub fn call_count(&self) -> usize {
        self.calls.len()
    }

    /// Carries out an engine command for one call.
    pub fn handle_command(
        &mut self,
        id: CallId,
        command: CallCommand,
        now: Duration,
    ) -> Result<(), CommandError> {
        if let CallCommand::Originate {
            called,
            calling,
            hide_calling,
        } = command
        {
            return self.originate(id, &called, calling.as_ref(), hide_calling, now);
        }
        let key = *self.ids.get(&id).ok_or(CommandError::UnknownCall(id))?;
        self.with_call(key, now, |call, ctx| call.on_command(command, ctx))
            .unwrap_or(Err(CommandError::UnknownCall(id)))
    }

    /// Asks the peer for its state of the call (STATUS ENQUIRY, §5.8.10); its STATUS is
    /// checked against ours when it arrives.
    pub fn enquire(&mut self, id: CallId, now: Duration) -> Result<(), CommandError> {
        let key = *self.ids.get(&id).ok_or(CommandError::UnknownCall(id))?;
        self.with_call(key, now, |call, ctx| {
            ctx.send(&call.message(super::MessageType::StatusEnquiry));
        });
        Ok(())
    }

    /// Runs `f` on a call, then drops the call if its call reference was released.
    fn with_call<T>(
        &mut self,
        key: Key,
        now: Duration,
        f: impl FnOnce(&mut Call, &mut Ctx<'_>) -> T,
    ) -> Option<T> {
        let call = self.calls.get_mut(&key)?;
        let mut ctx = Ctx {
            config: &self.config,
            now,
            out: &mut self.out,
        };
        let result = f(call, &mut ctx);
        if call.released {
            self.remove(key);
        }
        Some(result)
    }

    fn insert(&mut self, key: Key, call: Call) {
        self.ids.insert(call.id, key);
        self.calls.insert(key, call);
    }

    fn remove(&mut self, key: Key) {
        if let Some(call) = self.calls.remove(&key) {
            self.ids.remove(&call.id);
            if let (Side::Network, Some(channel)) = (self.config.side, call.channel) {
                self.channels.free(channel);
            }
        }
    }
}
