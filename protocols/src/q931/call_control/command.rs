//! Engine commands: placing, answering, refusing and clearing calls, and digits.

use std::time::Duration;

use super::call::Call;
use super::state::Phase;
use super::timer::Timer;
use super::{CallControl, CallId, CommandError, Ctx, Key, Side};
use crate::call::{CallCommand, CallEvent, Cause, Digit, PartyNumber};
use crate::q931::ie::{self, InformationElement as Ie};
use crate::q931::{CallReference, Message, MessageType};

/// Longest number accepted, in digits (E.164 has at most 15; leave room for prefixes).
const MAX_DIGITS: usize = 32;

impl CallControl {
    /// SETUP for a new outgoing call (§5.1.1 user side, §5.2.1 network side).
    pub(super) fn originate(
        &mut self,
        id: CallId,
        called: &PartyNumber,
        calling: Option<&PartyNumber>,
        hide_calling: bool,
        now: Duration,
    ) -> Result<(), CommandError> {
        if self.ids.contains_key(&id) {
            return Err(CommandError::CallIdInUse(id));
        }
        let too_long = |p: &PartyNumber| p.digits.len() > MAX_DIGITS || !p.digits.is_ascii();
        if too_long(called) || calling.is_some_and(too_long) {
            return Err(CommandError::NumberTooLong);
        }
        let Some(reference) = self.allocate_reference() else {
            self.refuse(id, Cause::RESOURCE_UNAVAILABLE);
            return Ok(());
        };
        let channel = match self.config.side {
            Side::User => None,
            Side::Network => match self.channels.allocate(None) {
                Ok(channel) => Some(channel),
                Err(cause) => {
                    self.refuse(id, cause);
                    return Ok(());
                }
            },
        };
        let setup = self.setup_message(reference, channel, called, calling, hide_calling);
        let phase = Phase::Initiated {
            setup: Vec::new(),
            resent: false,
        };
        let mut call = Call::new(id, reference, true, phase);
        call.channel = channel;
        let key: Key = (reference.value(), true);
        self.insert(key, call);
        self.with_call(key, now, |call, ctx| {
            let setup = ctx.send(&setup);
            call.phase = Phase::Initiated {
                setup,
                resent: false,
            };
            call.start(Timer::T303, ctx);
        });
        Ok(())
    }

    /// Reports a call that could not even be offered to the peer.
    fn refuse(&mut self, id: CallId, cause: Cause) {
        let event = CallEvent::Released { cause };
        self.out.events.push_back(super::Event::Call(id, event));
    }

    fn setup_message(
        &self,
        reference: CallReference,
        channel: Option<u8>,
        called: &PartyNumber,
        calling: Option<&PartyNumber>,
        hide_calling: bool,
    ) -> Message {
        let mut setup = Message::new(reference, MessageType::Setup);
        if !self.config.overlap_sending {
            setup = setup.with(Ie::SendingComplete);
        }
        setup = setup.with(Ie::BearerCapability(ie::BearerCapability::speech_a_law()));
        let ci = match (channel, self.config.interface) {
            (None, interface) => ie::ChannelIdentification::any(interface),
            (Some(c), ie::InterfaceType::Basic) => ie::ChannelIdentification::basic(c, true),
            (Some(c), ie::InterfaceType::Primary) => ie::ChannelIdentification::primary(c, true),
        };
        setup = setup.with(Ie::ChannelIdentification(ci));
        if let Some(calling) = calling {
            let number = ie::CallingPartyNumber::from_party(calling, hide_calling);
            setup = setup.with(Ie::CallingPartyNumber(number));
        }
        setup.with(Ie::CalledPartyNumber(ie::CalledPartyNumber::from_party(
            called,
        )))
    }

    /// A call reference value this side does not use yet.
    fn allocate_reference(&mut self) -> Option<CallReference> {
        let size = self.config.call_reference_size();
        let max = size.max_value();
        for _ in 0..max {
            self.next_reference = self.next_reference % max + 1;
            if !self.calls.contains_key(&(self.next_reference, true)) {
                return CallReference::new(size, self.next_reference, false);
            }
        }
        None
    }
}

impl Call {
    pub fn on_command(
        &mut self,
        command: CallCommand,
        ctx: &mut Ctx<'_>,
    ) -> Result<(), CommandError> {
        match command {
            CallCommand::Alert => self.alert(ctx),
            CallCommand::Answer => self.answer(ctx),
            CallCommand::Reject { cause } | CallCommand::HangUp { cause } => {
                self.clear(ctx, cause);
                Ok(())
            }
            // Q.931 has one way to refuse: cause 21, call rejected.
            CallCommand::Decline => {
                self.clear(ctx, Cause::CALL_REJECTED);
                Ok(())
            }
            CallCommand::SendDigit(digit) => self.send_digit(digit, ctx),
            CallCommand::Originate { .. } => Err(CommandError::CallIdInUse(self.id)),
        }
    }

    /// ALERTING on an incoming call (§5.2.5.2).
    fn alert(&mut self, ctx: &mut Ctx<'_>) -> Result<(), CommandError> {
        let allowed = matches!(
            self.phase,
            Phase::Initiated { .. } | Phase::Overlap | Phase::Proceeding
        );
        self.check(!self.originated && allowed, "ALERT", ctx)?;
        self.timers.stop(Timer::T302);
        self.respond(ctx, MessageType::Alerting);
        self.phase = Phase::Delivered;
        Ok(())
    }

    /// CONNECT on an incoming call (§5.2.8): the user waits for CONNECT ACKNOWLEDGE
    /// (T313); the network is active at once.
    fn answer(&mut self, ctx: &mut Ctx<'_>) -> Result<(), CommandError> {
        let allowed = matches!(
            self.phase,
            Phase::Initiated { .. } | Phase::Overlap | Phase::Proceeding | Phase::Delivered
        );
        self.check(!self.originated && allowed, "ANSWER", ctx)?;
        self.timers.stop(Timer::T302);
        self.respond(ctx, MessageType::Connect);
        match ctx.config.side {
            Side::User => {
                self.phase = Phase::ConnectRequest;
                self.start(Timer::T313, ctx);
            }
            Side::Network => {
                self.phase = Phase::Active;
                ctx.event(self.id, CallEvent::Answered);
            }
        }
        Ok(())
    }

    /// Digits: kept until SETUP ACKNOWLEDGE, then INFORMATION with the called number
    /// (`#` ends the number with sending complete); keypad facility once active.
    fn send_digit(&mut self, digit: Digit, ctx: &mut Ctx<'_>) -> Result<(), CommandError> {
        match self.phase {
            Phase::Initiated { .. } if self.originated => {
                self.pending_digits.push(digit.as_char());
                Ok(())
            }
            Phase::Overlap if self.originated => {
                self.send_overlap_digit(digit, ctx);
                Ok(())
            }
            Phase::Active => {
                let keypad = ie::KeypadFacility::new(digit.as_char().to_string());
                let info = self
                    .message(MessageType::Information)
                    .with(Ie::KeypadFacility(keypad));
                ctx.send(&info);
                Ok(())
            }
            _ => self.check(false, "SEND DIGIT", ctx),
        }
    }

    pub(super) fn send_overlap_digit(&mut self, digit: Digit, ctx: &mut Ctx<'_>) {
        let info = self.message(MessageType::Information);
        let info = if digit.as_char() == '#' {
            info.with(Ie::SendingComplete)
        } else {
            let number = ie::CalledPartyNumber::digits(digit.as_char().to_string());
            info.with(Ie::CalledPartyNumber(number))
        };
        ctx.send(&info);
    }

    fn check(
        &self,
        allowed: bool,
        command: &'static str,
        ctx: &Ctx<'_>,
    ) -> Result<(), CommandError> {
        if allowed {
            return Ok(());
        }
        Err(CommandError::NotPossible {
            command,
            state: self.state(ctx.config.side),
        })
    }
}
