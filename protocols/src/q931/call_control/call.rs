//! One call: its call reference, phase, timers and channel, and the clearing procedures
//! (EN 300 403-1 §5.3) every phase shares.

use super::state::Phase;
use super::timer::{Timer, TimerTable};
use super::{CallId, Ctx, Side, State};
use crate::call::{CallEvent, Cause, PartyNumber};
use crate::q931::ie::{self, InformationElement as Ie};
use crate::q931::{CallReference, Message, MessageType};

/// Cause #30, "response to STATUS ENQUIRY".
pub(crate) const RESPONSE_TO_STATUS_ENQUIRY: u8 = 30;

#[derive(Debug)]
pub(crate) struct Call {
    pub id: CallId,
    /// The call reference as this side writes it.
    pub reference: CallReference,
    /// Whether this side sent the SETUP.
    pub originated: bool,
    pub phase: Phase,
    pub timers: TimerTable,
    pub channel: Option<u8>,
    /// Whether the first response to the SETUP has been sent or received.
    pub responded: bool,
    /// Whether `Released` has been reported.
    pub reported: bool,
    /// Set when the call reference is released; the call is then dropped.
    pub released: bool,
    /// Incoming: the called number as collected so far.
    pub called: Option<ie::CalledPartyNumber>,
    pub calling: Option<PartyNumber>,
    /// Outgoing overlap sending: digits given before SETUP ACKNOWLEDGE arrived.
    pub pending_digits: String,
}

impl Call {
    pub fn new(id: CallId, reference: CallReference, originated: bool, phase: Phase) -> Call {
        Call {
            id,
            reference,
            originated,
            phase,
            timers: TimerTable::default(),
            channel: None,
            responded: false,
            reported: false,
            released: false,
            called: None,
            calling: None,
            pending_digits: String::new(),
        }
    }

    pub fn state(&self, side: Side) -> State {
        let user_side = side == Side::User;
        self.phase.state(user_side, user_side == self.originated)
    }

    pub fn message(&self, message_type: MessageType) -> Message {
        Message::new(self.reference, message_type)
    }

    pub fn start(&mut self, timer: Timer, ctx: &Ctx<'_>) {
        self.timers.start(timer, ctx.now, &ctx.config.timers);
    }

    /// Reports `Released` the first time the call is cleared.
    pub fn report(&mut self, ctx: &mut Ctx<'_>, cause: Cause) {
        if !self.reported {
            self.reported = true;
            ctx.event(self.id, CallEvent::Released { cause });
        }
    }

    /// Sends DISCONNECT and waits for RELEASE (T305).
    pub fn disconnect(&mut self, ctx: &mut Ctx<'_>, cause: Cause) {
        self.timers.stop_all();
        let mut message = self
            .message(MessageType::Disconnect)
            .with(cause_ie(ctx, cause));
        if ctx.config.side == Side::Network && ctx.config.in_band_tones {
            let pi = ie::ProgressIndicator::new(ctx.config.location(), ie::IN_BAND_INFORMATION);
            message = message.with(Ie::ProgressIndicator(pi));
        }
        ctx.send(&message);
        self.phase = Phase::DisconnectSent {
            cause: cause.value(),
        };
        self.start(Timer::T305, ctx);
    }

    /// Sends RELEASE and waits for RELEASE COMPLETE (T308).
    pub fn release(&mut self, ctx: &mut Ctx<'_>, cause: Option<Cause>) {
        self.timers.stop_all();
        let mut message = self.message(MessageType::Release);
        if let Some(cause) = cause {
            message = message.with(cause_ie(ctx, cause));
        }
        let release = ctx.send(&message);
        self.phase = Phase::ReleaseRequest {
            release,
            resent: false,
        };
        self.start(Timer::T308, ctx);
    }

    /// Sends RELEASE COMPLETE and releases the call reference.
    pub fn release_complete(&mut self, ctx: &mut Ctx<'_>, cause: Option<Cause>) {
        let mut message = self.message(MessageType::ReleaseComplete);
        if let Some(cause) = cause {
            message = message.with(cause_ie(ctx, cause));
        }
        ctx.send(&message);
        self.drop_reference();
    }

    pub fn drop_reference(&mut self) {
        self.timers.stop_all();
        self.released = true;
    }

    /// Clears the call because of a local failure or a timer: DISCONNECT, or RELEASE
    /// COMPLETE when no response to the SETUP has been sent yet.
    pub fn clear(&mut self, ctx: &mut Ctx<'_>, cause: Cause) {
        self.report(ctx, cause);
        match self.phase {
            Phase::DisconnectSent { .. } | Phase::ReleaseRequest { .. } => {}
            Phase::Initiated { .. } if !self.originated => {
                self.release_complete(ctx, Some(cause));
            }
            _ => self.disconnect(ctx, cause),
        }
    }

    /// STATUS with the given cause and our call state.
    pub fn send_status(&self, ctx: &mut Ctx<'_>, cause: Cause) {
        let state = ie::CallState::new(self.state(ctx.config.side).value());
        let message = self
            .message(MessageType::Status)
            .with(cause_ie(ctx, cause))
            .with(Ie::CallState(state));
        ctx.send(&message);
    }

    /// A channel identification for our first response to an incoming SETUP.
    pub fn channel_ie(&self, ctx: &Ctx<'_>) -> Option<Ie> {
        let channel = self.channel?;
        let ci = match ctx.config.interface {
            ie::InterfaceType::Basic => ie::ChannelIdentification::basic(channel, true),
            ie::InterfaceType::Primary => ie::ChannelIdentification::primary(channel, true),
        };
        Some(Ie::ChannelIdentification(ci))
    }

    /// Sends a response to the SETUP, with the channel if it is the first one.
    pub fn respond(&mut self, ctx: &mut Ctx<'_>, message_type: MessageType) {
        let mut message = self.message(message_type);
        if !self.responded {
            message.ies.extend(self.channel_ie(ctx));
            self.responded = true;
        }
        ctx.send(&message);
    }

    /// Runs an expired timer (EN 300 403-1 §9.1).
    pub fn on_timer(&mut self, timer: Timer, ctx: &mut Ctx<'_>) {
        let expiry = Cause::RECOVERY_ON_TIMER_EXPIRY;
        match (timer, &mut self.phase) {
            (Timer::T303, Phase::Initiated { setup, resent }) if !*resent => {
                *resent = true;
                let setup = setup.clone();
                ctx.resend(&setup);
                self.start(Timer::T303, ctx);
            }
            (Timer::T303, Phase::Initiated { .. }) => {
                self.report(ctx, expiry);
                self.release_complete(ctx, Some(expiry));
            }
            (Timer::T302, Phase::Overlap) => self.number_complete(ctx),
            (Timer::T301 | Timer::T310 | Timer::T313, _) => self.clear(ctx, expiry),
            (Timer::T305, Phase::DisconnectSent { cause }) => {
                let cause = Cause::new(*cause).unwrap_or(Cause::NORMAL_CLEARING);
                self.release(ctx, Some(cause));
            }
            (Timer::T308, Phase::ReleaseRequest { release, resent }) if !*resent => {
                *resent = true;
                let release = release.clone();
                ctx.resend(&release);
                self.start(Timer::T308, ctx);
            }
            (Timer::T308, _) => {
                self.report(ctx, expiry);
                self.drop_reference();
            }
            _ => {}
        }
    }

    /// Overlap receiving is over: CALL PROCEEDING, and the call is offered.
    pub fn number_complete(&mut self, ctx: &mut Ctx<'_>) {
        self.timers.stop(Timer::T302);
        self.respond(ctx, MessageType::CallProceeding);
        self.phase = Phase::Proceeding;
        self.offer(ctx);
    }

    pub fn offer(&mut self, ctx: &mut Ctx<'_>) {
        let event = CallEvent::Offered {
            called: self.called.as_ref().map(ie::CalledPartyNumber::party),
            calling: self.calling.clone(),
            cli_trusted: ctx.config.trust_cli && self.calling.is_some(),
        };
        ctx.event(self.id, event);
    }
}

/// A cause element written by this side.
pub(crate) fn cause_ie(ctx: &Ctx<'_>, cause: Cause) -> Ie {
    Ie::Cause(ie::Cause::new(ctx.config.location(), cause))
}

/// The cause a clearing message carries, or #31 "normal, unspecified".
pub(crate) fn cause_of(message: &Message) -> Cause {
    message
        .cause()
        .and_then(ie::Cause::cause)
        .unwrap_or(Cause::NORMAL_UNSPECIFIED)
}
