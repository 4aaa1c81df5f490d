//! The SIP user agent core of a trunk: dialogs, calls mapped onto the normalized call
//! model, digest authentication, OPTIONS keepalive — sans-IO, on top of the
//! [`transaction`](crate::sip::transaction) layer.
//!
//! # Model
//!
//! One [`UserAgent`] serves one SIP trunk: one local address and transport, one optional
//! peer. It turns SIP into [`CallEvent`](crate::call::CallEvent)s and [`UaCommand`]s back
//! into SIP; every call is a [`CallId`]. Media stays outside: the peer's session
//! descriptions come out as [`UaEvent::RemoteMedia`], ours go in with
//! [`UserAgent::originate`] and [`UaCommand::Answer`] (built with
//! [`LocalMedia`](crate::sdp::LocalMedia)).
//!
//! # Loop
//!
//! The crate-wide drive loop ([`crate`] docs): feed [`UserAgent::handle_input`] (a UDP
//! datagram, or one framed TCP message, with its source), [`UserAgent::originate`] and
//! [`UserAgent::command`]; drain [`UserAgent::poll_transmit`] then
//! [`UserAgent::poll_event`]; arm one timer for [`UserAgent::poll_timeout`] and call
//! [`UserAgent::handle_timeout`] when it fires. [`UserAgent::start`] sends the first
//! keepalive at once; without it the first call of any input method does.
//!
//! # Decisions
//!
//! * Incoming calls: `Answered` is reported when the ACK arrives (the media path may
//!   start at once on `Answer`; the event says the caller confirmed). A 2xx never ACKed
//!   within 64·T1 ends the call with BYE and cause 102.
//! * `Released` comes once per call: at `Reject` / `HangUp` (SIP clean-up — 487 and its
//!   ACK, CANCEL, BYE — continues behind it), at the peer's BYE or CANCEL, at a failure
//!   response or a transaction timeout. The peer's `Reason: Q.850;cause=N` wins over the
//!   [`CauseMap`].
//! * A CANCEL is released with cause 16 (the caller hung up; callbackd still calls
//!   back). A request that times out (Timer B) is cause 102.
//! * CLI: P-Asserted-Identity is read only from the configured peer when `trusted_cli`;
//!   `cli_trusted` is true only then (spec §2). See [`number`] for presentation.
//! * Reliable provisional responses (RFC 3262) are PRACKed on outgoing calls; we send
//!   none ourselves, so an incoming INVITE that `Require`s an extension gets 420.
//! * Outgoing numbers are written per [`NumberFormat`]; the From of a call with
//!   `hide_calling` is anonymous (RFC 3323) and the number goes only in
//!   P-Asserted-Identity, with `Privacy: id`, and only on a trusted trunk.
//! * Hosts are IP literals (no DNS here): in-dialog requests go to the first route or
//!   the remote target when they are IP addresses, else to the address the call used.
//! * A 2xx to an INVITE that belongs to no call is ACKed and its dialog ended with BYE
//!   (RFC 3261 §13.2.2.4, e.g. a fork or a 2xx racing a CANCEL after the call is gone).

mod call;
mod cause_map;
mod compose;
mod config;
mod dialog;
pub mod digest;
mod dtmf_relay;
mod error;
mod ids;
mod in_dialog;
mod keepalive;
pub mod number;
mod uac;
mod uas;

use std::collections::{BTreeMap, VecDeque};
use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;

pub use cause_map::{CauseMap, cause_text, reason_phrase};
pub use config::{CallId, Credentials, NumberFormat, UaCommand, UaConfig, UaEvent};
pub use dialog::Dialog;
pub use error::InputError;

use self::call::{Call, Purpose};
use self::ids::Ids;
use self::keepalive::Keepalive;
use crate::call::{CallEvent, Cause};
pub use crate::sip::transaction::Transmit;
use crate::sip::transaction::{ClientKey, ServerKey, TransactionEvent, TransactionLayer};
use crate::sip::{Limits, Message, Method, parse_datagram, parse_stream};

/// The user agent of one SIP trunk.
#[derive(Debug)]
pub struct UserAgent {
    config: UaConfig,
    layer: TransactionLayer,
    ids: Ids,
    next_call: u64,
    calls: BTreeMap<CallId, Call>,
    /// (Call-ID, local tag) → call.
    dialogs: BTreeMap<(String, String), CallId>,
    /// The INVITE server transactions of incoming calls.
    servers: BTreeMap<ServerKey, CallId>,
    /// Our client transactions.
    clients: BTreeMap<ClientKey, (Option<CallId>, Purpose)>,
    keepalive: Keepalive,
    events: VecDeque<UaEvent>,
    malformed: u64,
    started: bool,
}

impl UserAgent {
    /// A user agent for `config`; `seed` makes its tags, branches and Call-IDs.
    pub fn new(config: UaConfig, seed: u64) -> UserAgent {
        let keepalive = Keepalive::new(config.peer.and(config.keepalive));
        UserAgent {
            layer: TransactionLayer::new(config.timers),
            config,
            ids: Ids::new(seed),
            next_call: 1,
            calls: BTreeMap::new(),
            dialogs: BTreeMap::new(),
            servers: BTreeMap::new(),
            clients: BTreeMap::new(),
            keepalive,
            events: VecDeque::new(),
            malformed: 0,
            started: false,
        }
    }

    /// Starts the keepalive (the first OPTIONS goes out now). Idempotent.
    pub fn start(&mut self, now: Instant) {
        if !self.started {
            self.started = true;
            self.keepalive_tick(now);
        }
    }

    /// A datagram (UDP) or one framed message (TCP) from `source`.
    pub fn handle_input(&mut self, bytes: Bytes, source: SocketAddr, now: Instant) {
        self.start(now);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return; // RFC 5626 CRLF keepalives
        }
        let limits = Limits::default();
        let parsed = if self.config.reliable() {
            parse_stream(bytes, &limits)
        } else {
            parse_datagram(bytes, &limits)
        };
        let message = match parsed {
            Ok(m) => m,
            Err(e) => return self.refuse(None, source, InputError::Parse(e)),
        };
        if let Err(e) = message.validate() {
            return self.refuse(Some(&message), source, InputError::Invalid(e));
        }
        self.layer
            .handle_message(message, source, self.config.reliable(), now);
        self.pump(now);
    }

    /// Places a call to `called` through the peer and returns its id.
    pub fn originate(
        &mut self,
        called: &crate::call::PartyNumber,
        calling: Option<&crate::call::PartyNumber>,
        hide_calling: bool,
        offer: crate::sdp::SessionDescription,
        now: Instant,
    ) -> CallId {
        self.start(now);
        let id = self.new_call_id();
        self.place_call(id, called, calling, hide_calling, offer, now);
        self.pump(now);
        id
    }

    /// Carries out `command` on `call`; unknown calls and commands that do not fit the
    /// call's state are ignored.
    pub fn command(&mut self, call: CallId, command: UaCommand, now: Instant) {
        self.start(now);
        match command {
            UaCommand::Alert => self.alert(call, now),
            UaCommand::Reject(cause) => self.reject(call, cause, now),
            UaCommand::Decline => self.decline(call, now),
            UaCommand::Answer(sdp) => self.answer(call, *sdp, now),
            UaCommand::HangUp(cause) => self.hang_up(call, cause, now),
            UaCommand::SendInfoDigit(digit) => self.send_info_digit(call, digit, now),
        }
        self.pump(now);
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.layer.poll_transmit()
    }

    pub fn poll_event(&mut self) -> Option<UaEvent> {
        self.events.pop_front()
    }

    /// The earliest deadline: a transaction timer, the keepalive, a call record's end.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let lingers = self.calls.values().filter_map(Call::deadline);
        [self.layer.poll_timeout(), self.keepalive.due()]
            .into_iter()
            .flatten()
            .chain(lingers)
            .min()
    }

    /// Fires what is due at `now`; early or repeated calls are harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.start(now);
        self.layer.handle_timeout(now);
        self.pump(now);
        self.keepalive_tick(now);
        self.pump(now);
    }

    /// Calls with a record (for leak checks).
    pub fn calls(&self) -> usize {
        self.calls.len()
    }

    /// Input refused since start (parse errors, invalid messages, bad SDP).
    pub fn malformed(&self) -> u64 {
        self.malformed
    }

    pub fn config(&self) -> &UaConfig {
        &self.config
    }

    fn new_call_id(&mut self) -> CallId {
        let id = CallId(self.next_call);
        self.next_call += 1;
        id
    }

    /// Counts and reports refused input; a request (other than ACK) with a Via gets 400.
    fn refuse(&mut self, message: Option<&Message>, source: SocketAddr, error: InputError) {
        self.malformed += 1;
        let answerable = message.filter(|m| {
            m.is_request()
                && m.method() != Some(&Method::Ack)
                && m.via().is_ok_and(|v| !v.is_empty())
        });
        if let Some(request) = answerable {
            let response = compose::response(&self.config, request, 400, None).build();
            self.layer.send_stateless(&response, source);
        }
        self.events.push_back(UaEvent::Malformed { source, error });
    }

    /// Handles every event of the transaction layer, then drops finished calls.
    fn pump(&mut self, now: Instant) {
        while let Some(event) = self.layer.poll_event() {
            self.dispatch(event, now);
        }
        self.reap(now);
    }

    fn dispatch(&mut self, event: TransactionEvent, now: Instant) {
        match event {
            TransactionEvent::Request {
                key,
                request,
                source,
                cancels,
            } => self.on_request(key, request, source, cancels, now),
            TransactionEvent::Response { key, response } => self.on_response(key, response, now),
            TransactionEvent::Timeout { key } => self.on_timeout(key, now),
            TransactionEvent::Ack { key, ack } => self.on_ack(&key, &ack, now),
            TransactionEvent::AckTimeout { key } => self.on_ack_timeout(&key, now),
            TransactionEvent::Stray { message, source } => self.on_stray(message, source, now),
        }
    }

    fn on_request(
        &mut self,
        key: ServerKey,
        request: Message,
        source: SocketAddr,
        cancels: Option<ServerKey>,
        now: Instant,
    ) {
        if let Some(invite) = cancels {
            return self.on_cancel(&key, &request, &invite, now);
        }
        let has_to_tag = request.to().is_ok_and(|to| to.tag().is_some());
        if has_to_tag {
            return self.on_in_dialog(&key, &request, now);
        }
        match request.method() {
            Some(Method::Invite) => self.on_invite(key, request, source, now),
            Some(Method::Options) => self.answer_options(&key, &request, now),
            Some(Method::Bye | Method::Info | Method::Prack | Method::Cancel) => {
                self.respond_simple(&key, &request, 481, now)
            }
            _ => self.respond_simple(&key, &request, 405, now),
        }
    }

    fn on_response(&mut self, key: ClientKey, response: Message, now: Instant) {
        let Some(&(call, purpose)) = self.clients.get(&key) else {
            return self.on_stray_response(&response, now);
        };
        let is_final = response.status().is_some_and(|s| s >= 200);
        if is_final && purpose != Purpose::Invite {
            self.clients.remove(&key);
            if let Some(c) = call.and_then(|id| self.calls.get_mut(&id)) {
                c.end_transaction(&key);
            }
        }
        match (purpose, call) {
            (Purpose::Keepalive, _) => self.keepalive_answered(&key),
            (Purpose::Invite, Some(call)) => self.on_invite_response(call, &key, &response, now),
            _ => {}
        }
    }

    fn on_timeout(&mut self, key: ClientKey, now: Instant) {
        let Some((call, purpose)) = self.clients.remove(&key) else {
            return;
        };
        if let Some(c) = call.and_then(|id| self.calls.get_mut(&id)) {
            c.end_transaction(&key);
        }
        match (purpose, call) {
            (Purpose::Keepalive, _) => self.keepalive_timed_out(),
            (Purpose::Invite, Some(call)) => {
                self.release(call, Cause::RECOVERY_ON_TIMER_EXPIRY);
                self.set_phase(call, call::Phase::Ended);
            }
            _ => {}
        }
        let _ = now;
    }

    fn on_stray(&mut self, message: Message, _source: SocketAddr, now: Instant) {
        if !message.is_request() {
            self.on_stray_response(&message, now);
        }
    }

    /// Reports `Released` once and marks the call ended.
    fn release(&mut self, id: CallId, cause: Cause) {
        let Some(call) = self.calls.get_mut(&id) else {
            return;
        };
        if call.released {
            return;
        }
        call.released = true;
        self.events
            .push_back(UaEvent::Call(id, CallEvent::Released { cause }));
    }

    fn set_phase(&mut self, id: CallId, phase: call::Phase) {
        if let Some(call) = self.calls.get_mut(&id) {
            call.phase = phase;
        }
    }

    fn emit(&mut self, id: CallId, event: CallEvent) {
        self.events.push_back(UaEvent::Call(id, event));
    }

    /// Reports the peer's session description in `message` if it carries a new one
    /// (a malformed one is ignored); returns whether it did.
    fn report_remote_sdp(&mut self, id: CallId, message: &Message) -> bool {
        let is_sdp = message
            .content_type()
            .ok()
            .flatten()
            .is_some_and(|t| t.is("application", "sdp"));
        if !is_sdp || message.body().is_empty() {
            return false;
        }
        let Some(call) = self.calls.get_mut(&id) else {
            return false;
        };
        if call.remote_sdp.as_ref() == Some(message.body()) {
            return false;
        }
        let Ok(sdp) = crate::sdp::parse(message.body()) else {
            return false;
        };
        call.remote_sdp = Some(message.body().clone());
        self.events
            .push_back(UaEvent::RemoteMedia(id, Box::new(sdp)));
        true
    }

    /// Sends `request` in a client transaction of `call` for `purpose`.
    fn send_request(
        &mut self,
        call: Option<CallId>,
        purpose: Purpose,
        request: Message,
        destination: SocketAddr,
        now: Instant,
    ) -> Option<ClientKey> {
        let reliable = self.config.reliable();
        let key = self
            .layer
            .send_request(request, destination, reliable, now)
            .ok()?;
        self.clients.insert(key.clone(), (call, purpose));
        if let Some(c) = call.and_then(|id| self.calls.get_mut(&id)) {
            c.pending.push(key.clone());
        }
        Some(key)
    }

    /// Forgets the INVITEs whose CANCEL brought no final response in time.
    fn give_up_cancelled_invites(&mut self, now: Instant) {
        for call in self.calls.values_mut() {
            if call.cancel_deadline.is_none_or(|t| t > now) {
                continue;
            }
            call.cancel_deadline = None;
            if let Some(key) = call.invite_client.take() {
                self.layer.abandon(&key);
                self.clients.remove(&key);
                call.end_transaction(&key);
            }
        }
    }

    /// Drops the records of finished calls and their index entries.
    fn reap(&mut self, now: Instant) {
        self.give_up_cancelled_invites(now);
        for call in self.calls.values_mut() {
            if call.linger_until.is_some_and(|t| t <= now) {
                call.linger_until = None; // passed: no longer a deadline
            }
        }
        let done: Vec<CallId> = self
            .calls
            .iter()
            .filter(|(_, c)| c.finished(now))
            .map(|(id, _)| *id)
            .collect();
        if done.is_empty() {
            return;
        }
        for id in &done {
            self.calls.remove(id);
        }
        let gone = |id: &CallId| done.contains(id);
        self.dialogs.retain(|_, id| !gone(id));
        self.servers.retain(|_, id| !gone(id));
        self.clients
            .retain(|_, (id, _)| !id.as_ref().is_some_and(gone));
    }
}
