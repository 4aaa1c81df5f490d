//! Received messages (EN 300 403-1 §5.1–5.3 for the procedures, §5.8 for errors).

use std::time::Duration;

use super::call::{Call, RESPONSE_TO_STATUS_ENQUIRY, cause_ie, cause_of};
use super::state::{Phase, compatible};
use super::timer::Timer;
use super::{CallControl, Ctx, Key, Side};
use crate::call::{CallEvent, Cause, Digit};
use crate::q931::error::{Error, PeerMisbehaved};
use crate::q931::ie::{self, InformationElement as Ie};
use crate::q931::{CallReference, Header, Message, MessageType, decode_header};

impl CallControl {
    /// Handles one message from layer 2. An `Err` reports a message that was invalid or
    /// out of place (for logging and counting); it has already been answered as the
    /// standard asks (STATUS, RELEASE COMPLETE, or silence).
    pub fn handle_receive(&mut self, bytes: &[u8], now: Duration) -> Result<(), Error> {
        let header = decode_header(bytes)?;
        let message = match Message::decode(bytes) {
            Ok(message) => message,
            Err(error) => {
                self.on_invalid(header, &error, now);
                return Err(error);
            }
        };
        let cr = message.call_reference;
        if cr.is_dummy() {
            return Ok(());
        }
        if cr.is_global() {
            self.on_global(&message, now);
            return Ok(());
        }
        let key = (cr.value(), cr.flag());
        if !self.calls.contains_key(&key) {
            return self.on_unknown_reference(&message, now);
        }
        self.with_call(key, now, |call, ctx| call.on_message(&message, ctx))
            .unwrap_or(Ok(()))
    }

    /// A message whose header was readable but whose body was not (§5.8.6, §5.8.7).
    fn on_invalid(&mut self, header: Header, error: &Error, now: Duration) {
        let cr = header.call_reference;
        let key = (cr.value(), cr.flag());
        let cause = error.cause();
        let message_type = MessageType::from_code(header.message_type);
        if !self.calls.contains_key(&key) || cr.is_global() || cr.is_dummy() {
            if message_type == Some(MessageType::Setup) && !cr.flag() && !cr.is_global() {
                self.send_without_call(
                    cr.reversed(),
                    MessageType::ReleaseComplete,
                    Some(cause),
                    now,
                );
            }
            return;
        }
        self.with_call(key, now, |call, ctx| match message_type {
            Some(MessageType::Release) => {
                call.report(ctx, cause);
                call.release_complete(ctx, Some(cause));
            }
            Some(MessageType::ReleaseComplete) => {
                call.report(ctx, cause);
                call.drop_reference();
            }
            Some(MessageType::Disconnect) => {
                call.report(ctx, cause);
                call.release(ctx, Some(cause));
            }
            _ => call.send_status(ctx, cause),
        });
    }

    /// A message for a call reference with no call (§5.8.3.2).
    fn on_unknown_reference(&mut self, message: &Message, now: Duration) -> Result<(), Error> {
        let cr = message.call_reference;
        let reply = cr.reversed();
        match message.message_type {
            MessageType::Setup if !cr.flag() => self.on_setup(message, now),
            MessageType::Setup | MessageType::ReleaseComplete => {}
            MessageType::Status => {
                if message.call_state().is_some_and(|s| s.value != 0) {
                    let cause = Cause::MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE;
                    self.send_without_call(reply, MessageType::ReleaseComplete, Some(cause), now);
                }
            }
            MessageType::StatusEnquiry => {
                let cause = Cause::new(RESPONSE_TO_STATUS_ENQUIRY);
                let status = Message::new(reply, MessageType::Status)
                    .with(Ie::Cause(ie::Cause::new(
                        self.config.location(),
                        cause.unwrap(),
                    )))
                    .with(Ie::CallState(ie::CallState::new(0)));
                self.send_raw(&status, now);
            }
            MessageType::Release => {
                self.send_without_call(reply, MessageType::ReleaseComplete, None, now);
            }
            _ => {
                let cause = Cause::INVALID_CALL_REFERENCE;
                self.send_without_call(reply, MessageType::ReleaseComplete, Some(cause), now);
            }
        }
        Ok(())
    }

    /// An incoming SETUP: a new call (§5.2 on the user side, §5.1 on the network side).
    fn on_setup(&mut self, message: &Message, now: Duration) {
        let reply = message.call_reference.reversed();
        if !message
            .bearer_capability()
            .is_some_and(ie::BearerCapability::is_audio)
        {
            let cause = Cause::BEARER_CAPABILITY_NOT_AVAILABLE;
            self.send_without_call(reply, MessageType::ReleaseComplete, Some(cause), now);
            return;
        }
        let channel = match self.config.side {
            Side::User => message.channel_identification().and_then(|c| c.channel()),
            Side::Network => match self.channels.allocate(message.channel_identification()) {
                Ok(channel) => Some(channel),
                Err(cause) => {
                    self.send_without_call(reply, MessageType::ReleaseComplete, Some(cause), now);
                    return;
                }
            },
        };
        let id = self.new_call_id();
        let phase = Phase::Initiated {
            setup: Vec::new(),
            resent: false,
        };
        let mut call = Call::new(id, reply, false, phase);
        call.channel = channel;
        call.called = message.called_party_number().cloned();
        call.calling = message
            .calling_party_number()
            .map(ie::CallingPartyNumber::party);
        let key: Key = (reply.value(), false);
        self.insert(key, call);
        let complete = message.sending_complete() || !self.config.overlap_receiving;
        self.with_call(key, now, |call, ctx| {
            if complete {
                call.offer(ctx);
            } else {
                call.respond(ctx, MessageType::SetupAcknowledge);
                call.phase = Phase::Overlap;
                call.start(Timer::T302, ctx);
            }
        });
    }

    fn send_without_call(
        &mut self,
        reference: CallReference,
        message_type: MessageType,
        cause: Option<Cause>,
        now: Duration,
    ) {
        let mut message = Message::new(reference, message_type);
        if let Some(cause) = cause {
            message = message.with(Ie::Cause(ie::Cause::new(self.config.location(), cause)));
        }
        self.send_raw(&message, now);
    }

    pub(super) fn send_raw(&mut self, message: &Message, now: Duration) {
        let mut ctx = Ctx {
            config: &self.config,
            now,
            out: &mut self.out,
        };
        ctx.send(message);
    }
}

impl Call {
    /// A message for this call.
    pub fn on_message(&mut self, message: &Message, ctx: &mut Ctx<'_>) -> Result<(), Error> {
        match message.message_type {
            MessageType::StatusEnquiry => {
                let cause = Cause::new(RESPONSE_TO_STATUS_ENQUIRY).unwrap();
                self.send_status(ctx, cause);
                Ok(())
            }
            MessageType::Status => {
                self.on_status(message, ctx);
                Ok(())
            }
            MessageType::Disconnect => {
                self.on_disconnect(message, ctx);
                Ok(())
            }
            MessageType::Release => {
                self.on_release(message, ctx);
                Ok(())
            }
            MessageType::ReleaseComplete => {
                self.report(ctx, cause_of(message));
                self.drop_reference();
                Ok(())
            }
            MessageType::Notify => Ok(()),
            _ if self.originated => self.on_response(message, ctx),
            _ => self.on_terminating(message, ctx),
        }
    }

    /// DISCONNECT from the peer (§5.3.4), or crossing ours (§5.3.5).
    fn on_disconnect(&mut self, message: &Message, ctx: &mut Ctx<'_>) {
        match self.phase {
            Phase::ReleaseRequest { .. } => {}
            Phase::DisconnectSent { .. } => self.release(ctx, None),
            _ => {
                self.report(ctx, cause_of(message));
                self.release(ctx, None);
            }
        }
    }

    /// RELEASE from the peer (§5.3.4), or crossing ours (§5.3.5).
    fn on_release(&mut self, message: &Message, ctx: &mut Ctx<'_>) {
        self.report(ctx, cause_of(message));
        if matches!(self.phase, Phase::ReleaseRequest { .. }) {
            self.drop_reference();
        } else {
            self.release_complete(ctx, None);
        }
    }

    /// STATUS (§5.8.11): a peer in Null releases the call; an incompatible state clears it.
    fn on_status(&mut self, message: &Message, ctx: &mut Ctx<'_>) {
        let Some(peer) = message.call_state().map(|s| s.value) else {
            return;
        };
        let ours = self.state(ctx.config.side).value();
        if peer == 0 {
            self.report(ctx, cause_of(message));
            self.drop_reference();
        } else if !compatible(ours, peer) {
            let cause = Cause::MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE;
            self.report(ctx, cause);
            self.release(ctx, Some(cause));
        }
    }

    /// The far end's progress on a call this side placed.
    fn on_response(&mut self, message: &Message, ctx: &mut Ctx<'_>) -> Result<(), Error> {
        use MessageType as M;
        let setting_up = matches!(
            self.phase,
            Phase::Initiated { .. } | Phase::Overlap | Phase::Proceeding | Phase::Delivered
        );
        match (message.message_type, &self.phase) {
            (M::SetupAcknowledge, Phase::Initiated { .. }) => {
                self.on_setup_acknowledge(message, ctx)
            }
            (M::CallProceeding, Phase::Initiated { .. } | Phase::Overlap) => {
                let first = matches!(self.phase, Phase::Initiated { .. });
                self.learn_channel(message);
                self.timers.stop(Timer::T303);
                self.phase = Phase::Proceeding;
                self.start(Timer::T310, ctx);
                if first {
                    ctx.event(self.id, CallEvent::Proceeding);
                }
                self.early_media(message, ctx);
            }
            (M::Alerting, _) if setting_up && self.phase != Phase::Delivered => {
                self.learn_channel(message);
                self.timers.stop_all();
                self.phase = Phase::Delivered;
                self.start(Timer::T301, ctx);
                let in_band = message
                    .progress_indicators()
                    .any(ie::ProgressIndicator::in_band);
                ctx.event(self.id, CallEvent::Alerting { in_band });
            }
            (M::Connect, _) if setting_up => {
                self.learn_channel(message);
                self.timers.stop_all();
                ctx.send(&self.message(M::ConnectAcknowledge));
                self.phase = Phase::Active;
                ctx.event(self.id, CallEvent::Answered);
            }
            (M::Progress, _) if setting_up => {
                self.timers.stop(Timer::T310);
                self.early_media(message, ctx);
            }
            (M::Information, _) => self.keypad(message, ctx),
            (M::ConnectAcknowledge, Phase::Active) => {}
            _ => return Err(self.not_compatible(message, ctx)),
        }
        Ok(())
    }

    fn on_setup_acknowledge(&mut self, message: &Message, ctx: &mut Ctx<'_>) {
        self.learn_channel(message);
        self.timers.stop(Timer::T303);
        self.phase = Phase::Overlap;
        ctx.event(self.id, CallEvent::Proceeding);
        let digits = std::mem::take(&mut self.pending_digits);
        for digit in digits.chars().filter_map(Digit::from_char) {
            self.send_overlap_digit(digit, ctx);
        }
    }

    /// The caller's side of an incoming call: more digits, CONNECT ACKNOWLEDGE, keypad.
    fn on_terminating(&mut self, message: &Message, ctx: &mut Ctx<'_>) -> Result<(), Error> {
        use MessageType as M;
        match (message.message_type, &self.phase) {
            (M::Information, Phase::Overlap) => {
                self.collect_digits(message);
                if message.sending_complete() {
                    self.number_complete(ctx);
                } else {
                    self.start(Timer::T302, ctx);
                }
            }
            (M::Information, _) => self.keypad(message, ctx),
            (M::ConnectAcknowledge, Phase::ConnectRequest) => {
                self.timers.stop(Timer::T313);
                self.phase = Phase::Active;
                ctx.event(self.id, CallEvent::Answered);
            }
            // A SETUP sent again after T303 while our answer was on its way.
            (M::ConnectAcknowledge, Phase::Active) | (M::Progress | M::Setup, _) => {}
            _ => return Err(self.not_compatible(message, ctx)),
        }
        Ok(())
    }

    fn collect_digits(&mut self, message: &Message) {
        let Some(more) = message.called_party_number() else {
            return;
        };
        match &mut self.called {
            Some(called) => called.digits.push_str(&more.digits),
            None => self.called = Some(more.clone()),
        }
    }

    /// Keypad facility in INFORMATION: one `Digit` event per key.
    fn keypad(&mut self, message: &Message, ctx: &mut Ctx<'_>) {
        if self.phase != Phase::Active {
            return;
        }
        let Some(keypad) = message.keypad_facility() else {
            return;
        };
        for digit in keypad.text.chars().filter_map(Digit::from_char) {
            ctx.event(self.id, CallEvent::Digit(digit));
        }
    }

    fn early_media(&mut self, message: &Message, ctx: &mut Ctx<'_>) {
        if message
            .progress_indicators()
            .any(ie::ProgressIndicator::in_band)
        {
            ctx.event(self.id, CallEvent::EarlyMedia);
        }
    }

    /// The B channel named in the first response to our SETUP.
    fn learn_channel(&mut self, message: &Message) {
        if let Some(channel) = message.channel_identification().and_then(|c| c.channel()) {
            self.channel = Some(channel);
        }
        self.responded = true;
    }

    /// §5.8.4: STATUS with cause #101, and the error for the caller.
    fn not_compatible(&self, message: &Message, ctx: &mut Ctx<'_>) -> Error {
        let cause = Cause::MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE;
        let status_cause = cause_ie(ctx, cause);
        let state = ie::CallState::new(self.state(ctx.config.side).value());
        let status = self
            .message(MessageType::Status)
            .with(status_cause)
            .with(Ie::CallState(state));
        ctx.send(&status);
        let code = message.message_type.code();
        Error::PeerMisbehaved {
            offset: message_type_offset(message),
            kind: PeerMisbehaved::MessageNotCompatibleWithState(code),
        }
    }
}

/// Where the message type octet is: after the discriminator and the call reference.
fn message_type_offset(message: &Message) -> usize {
    2 + usize::from(message.call_reference.size().octets())
}
