//! The call half of the machine: call states and their transitions.

use std::ops::Add;
use std::time::Duration;

use super::timer::Timer;
use super::{Modem, Rejected};
use crate::at::command::Command;
use crate::at::profile::Progress;
use crate::at::result::{CallStat, Clcc, Clip, Direction, FinalResult, Response};
use crate::call::{CallCommand, CallEvent, Cause, Digit};

/// The call id used when the modem has not told one (the first call is 1 everywhere).
const DEFAULT_CALL_ID: u8 = 1;

/// The modem's one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Call {
    Idle,
    /// An incoming call is ringing.
    Ringing(Ringing),
    /// An outgoing call is being set up.
    Dialling(Dialling),
    /// The call is answered.
    Active(Active),
    /// We asked the modem to hang up; the call ends when it confirms.
    Clearing(Clearing),
    /// The outgoing call ended without a cause: `AT+CEER` is asked for one.
    Ending(Ending),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ringing {
    /// `Offered` has been reported.
    offered: bool,
    /// `ATA` is queued or in flight.
    answering: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dialling {
    /// The modem took `ATD` (its `OK`), so the call exists until reported gone.
    accepted: bool,
    /// The last progress reported upwards.
    reported: Reported,
    call_id: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reported {
    Nothing,
    Proceeding,
    Alerting,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Active {
    call_id: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clearing {
    cause: Cause,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Ending {
    /// The cause reported when `AT+CEER` names none.
    fallback: Cause,
}

/// The cause a call-status final (`NO CARRIER`, `BUSY`, …) or a failed `ATD` stands for.
fn cause_of(result: &FinalResult) -> Cause {
    match result {
        FinalResult::NoCarrier => Cause::NORMAL_CLEARING,
        FinalResult::Busy => Cause::USER_BUSY,
        FinalResult::NoAnswer => Cause::NO_ANSWER,
        FinalResult::NoDialtone => Cause::NETWORK_OUT_OF_ORDER,
        _ => Cause::TEMPORARY_FAILURE,
    }
}

impl<I: Copy + Ord + Add<Duration, Output = I>> Modem<I> {
    /// Carries out a call command (the link is up).
    pub(super) fn carry_out(&mut self, command: CallCommand) -> Result<(), Rejected> {
        match command {
            CallCommand::Originate {
                called,
                hide_calling,
                ..
            } => {
                if self.call != Call::Idle {
                    return Err(Rejected::CallInProgress);
                }
                self.enqueue(Command::dial(&called, hide_calling)?)?;
                self.call = Call::Dialling(Dialling {
                    accepted: false,
                    reported: Reported::Nothing,
                    call_id: None,
                });
                Ok(())
            }
            // The network already plays ringing to the caller.
            CallCommand::Alert if matches!(self.call, Call::Ringing(_)) => Ok(()),
            CallCommand::Answer => self.answer(),
            CallCommand::Reject { cause } if matches!(self.call, Call::Ringing(_)) => {
                self.hang_up(cause)
            }
            // A modem has one way to refuse: hang up the ringing call.
            CallCommand::Decline if matches!(self.call, Call::Ringing(_)) => {
                self.hang_up(Cause::CALL_REJECTED)
            }
            CallCommand::HangUp { cause } => self.hang_up(cause),
            CallCommand::SendDigit(digit) => self.send_digit(digit),
            CallCommand::Alert | CallCommand::Reject { .. } | CallCommand::Decline => {
                Err(Rejected::NoCall)
            }
        }
    }

    fn answer(&mut self) -> Result<(), Rejected> {
        match self.call {
            Call::Ringing(Ringing {
                offered,
                answering: false,
            }) => {
                self.enqueue(Command::Answer)?;
                self.call = Call::Ringing(Ringing {
                    offered,
                    answering: true,
                });
                Ok(())
            }
            _ => Err(Rejected::NoCall),
        }
    }

    fn hang_up(&mut self, cause: Cause) -> Result<(), Rejected> {
        match self.call {
            Call::Idle => Err(Rejected::NoCall),
            // The call is over already; its release is on its way.
            Call::Clearing(_) | Call::Ending(_) => Ok(()),
            Call::Ringing(_) | Call::Dialling(_) | Call::Active(_) => {
                self.enqueue(Command::HangUp)?;
                self.stop_call_timers();
                self.call = Call::Clearing(Clearing { cause });
                Ok(())
            }
        }
    }

    fn send_digit(&mut self, digit: Digit) -> Result<(), Rejected> {
        match self.call {
            Call::Active(Active { call_id }) => {
                self.enqueue(self.vendor.tone_command(digit, call_id))
            }
            _ => Err(Rejected::NoCall),
        }
    }

    /// The final result of a command sent while the link is up.
    pub(super) fn on_command_done(
        &mut self,
        command: Command,
        result: FinalResult,
        info: Vec<Response>,
        now: I,
    ) {
        match command {
            Command::Dial { .. } => self.on_dial_done(&result, now),
            Command::Answer => self.on_answer_done(&result),
            Command::HangUp if !result.is_success() && matches!(self.call, Call::Clearing(_)) => {
                // Some modules refuse +CHUP; with AT+CVHU=0, ATH ends voice calls too.
                let _ = self.enqueue(Command::OnHook);
            }
            Command::HangUp | Command::OnHook => self.finish_clearing(),
            Command::ListCalls => self.on_call_list(&result, &info, now),
            Command::ExtendedError => self.on_extended_error(&info),
            _ => {}
        }
    }

    fn on_dial_done(&mut self, result: &FinalResult, now: I) {
        let Call::Dialling(d) = &mut self.call else {
            return;
        };
        match result {
            FinalResult::Ok => {
                d.accepted = true;
                if self.vendor.progress() == Progress::ListCallsPolling {
                    self.timers
                        .set(Timer::Poll, now + self.config.poll_interval);
                }
            }
            FinalResult::Connect(_) => {
                let id = d.call_id.unwrap_or(DEFAULT_CALL_ID);
                self.connected(id);
            }
            other => self.release(cause_of(other)),
        }
    }

    fn on_answer_done(&mut self, result: &FinalResult) {
        if !matches!(
            self.call,
            Call::Ringing(Ringing {
                answering: true,
                ..
            })
        ) {
            return;
        }
        match result {
            r if r.is_success() => self.connected(DEFAULT_CALL_ID),
            FinalResult::NoCarrier => self.release(Cause::NORMAL_CLEARING),
            _ => {
                // The modem would not answer: make sure the call does not linger.
                self.stop_call_timers();
                self.call = Call::Clearing(Clearing {
                    cause: Cause::NORMAL_UNSPECIFIED,
                });
                let _ = self.enqueue(Command::HangUp);
            }
        }
    }

    /// The outgoing call is gone without a cause: ask `AT+CEER` before releasing it.
    fn ask_release_cause(&mut self, fallback: Cause) {
        self.stop_call_timers();
        if self.enqueue(Command::ExtendedError).is_ok() {
            self.call = Call::Ending(Ending { fallback });
        } else {
            self.release(fallback);
        }
    }

    fn on_extended_error(&mut self, info: &[Response]) {
        let Call::Ending(Ending { fallback }) = self.call else {
            return;
        };
        let reported = info.iter().find_map(|r| match r {
            Response::Ceer(ceer) => ceer.cause(),
            _ => None,
        });
        self.release(reported.unwrap_or(fallback));
    }

    fn finish_clearing(&mut self) {
        if let Call::Clearing(Clearing { cause }) = self.call {
            self.release(cause);
        }
    }

    fn on_call_list(&mut self, result: &FinalResult, info: &[Response], now: I) {
        let calls: Vec<&Clcc> = info
            .iter()
            .filter_map(|r| match r {
                Response::Clcc(c) => Some(c),
                _ => None,
            })
            .collect();
        match &self.call {
            Call::Ringing(_) if result.is_success() => {
                let ringing = calls.iter().any(|c| {
                    c.direction == Direction::MobileTerminated
                        && matches!(c.stat, CallStat::Incoming | CallStat::Waiting)
                });
                if ringing {
                    self.timers.set(Timer::RingGap, now + self.config.ring_gap);
                } else {
                    self.release(Cause::NORMAL_CLEARING);
                }
            }
            Call::Ringing(_) => self.timers.set(Timer::RingGap, now + self.config.ring_gap),
            Call::Dialling(d) if result.is_success() => {
                match calls
                    .iter()
                    .find(|c| c.direction == Direction::MobileOriginated)
                {
                    Some(c) => self.on_outgoing_stat(c.id, c.stat),
                    None if d.accepted => self.ask_release_cause(Cause::NORMAL_CLEARING),
                    None => {}
                }
                self.keep_polling(now);
            }
            Call::Dialling(_) => self.keep_polling(now),
            _ => {}
        }
    }

    fn keep_polling(&mut self, now: I) {
        if matches!(self.call, Call::Dialling(_)) {
            self.timers
                .set(Timer::Poll, now + self.config.poll_interval);
        }
    }

    /// A report on the outgoing call: `+CLCC`, `^DSCI` or Huawei's step reports.
    fn on_outgoing_stat(&mut self, call_id: u8, stat: CallStat) {
        match (&mut self.call, stat) {
            (Call::Dialling(_), CallStat::Active) => self.connected(call_id),
            (Call::Dialling(_) | Call::Active(_), CallStat::Disconnect) => {
                self.release(Cause::NORMAL_CLEARING)
            }
            (Call::Dialling(d), CallStat::Dialing) => {
                d.call_id = Some(call_id);
                if d.reported < Reported::Proceeding {
                    d.reported = Reported::Proceeding;
                    self.emit(CallEvent::Proceeding);
                }
            }
            (Call::Dialling(d), CallStat::Alerting) => {
                d.call_id = Some(call_id);
                if d.reported < Reported::Alerting {
                    d.reported = Reported::Alerting;
                    self.emit(CallEvent::Alerting { in_band: false });
                }
            }
            _ => {}
        }
    }

    pub(super) fn on_unsolicited(&mut self, response: Response, now: I) {
        match response {
            Response::Ring(ring) if ring.is_voice() => self.on_ring(now),
            Response::Clip(clip) => self.on_clip(&clip, now),
            Response::Final(result) => self.on_call_ended_report(&result),
            Response::Dtmf(d) => self.on_remote_digit(d.digit),
            Response::ToneDetect(t) => self.on_remote_digit(t.digit),
            Response::Orig(o) => self.on_outgoing_stat(o.call_id, CallStat::Dialing),
            Response::Conf(c) => self.on_outgoing_stat(c.call_id, CallStat::Alerting),
            Response::Conn(c) => self.on_outgoing_stat(c.call_id, CallStat::Active),
            Response::Cend(c) => {
                if matches!(
                    self.call,
                    Call::Ringing(_) | Call::Dialling(_) | Call::Active(_)
                ) {
                    self.release(c.cause().unwrap_or(Cause::NORMAL_CLEARING));
                }
            }
            Response::Dsci(d) if d.direction == Direction::MobileOriginated => {
                self.on_outgoing_stat(d.call_id, d.stat)
            }
            Response::Clcc(c) if c.direction == Direction::MobileOriginated => {
                self.on_outgoing_stat(c.id, c.stat)
            }
            _ => {}
        }
    }

    fn on_ring(&mut self, now: I) {
        match self.call {
            Call::Idle => {
                self.call = Call::Ringing(Ringing {
                    offered: false,
                    answering: false,
                });
                self.timers
                    .set(Timer::ClipWait, now + self.config.clip_wait);
                self.timers.set(Timer::RingGap, now + self.config.ring_gap);
            }
            Call::Ringing(_) => self.timers.set(Timer::RingGap, now + self.config.ring_gap),
            _ => {} // call waiting is not offered
        }
    }

    fn on_clip(&mut self, clip: &Clip, now: I) {
        match &mut self.call {
            Call::Idle => {
                self.call = Call::Ringing(Ringing {
                    offered: true,
                    answering: false,
                });
                self.timers.set(Timer::RingGap, now + self.config.ring_gap);
                self.offer(Some(clip));
            }
            Call::Ringing(r) if !r.offered => {
                r.offered = true;
                self.timers.stop(Timer::ClipWait);
                self.offer(Some(clip));
            }
            Call::Ringing(_) => self.timers.set(Timer::RingGap, now + self.config.ring_gap),
            _ => {}
        }
    }

    fn offer(&mut self, clip: Option<&Clip>) {
        self.emit(CallEvent::Offered {
            called: None,
            calling: clip.map(Clip::calling),
            cli_trusted: true,
        });
    }

    /// `NO CARRIER` / `BUSY` / `NO ANSWER` / `NO DIALTONE` with no dial in flight.
    fn on_call_ended_report(&mut self, result: &FinalResult) {
        match self.call {
            Call::Ringing(_) => self.release(Cause::NORMAL_CLEARING),
            // SIMCom and Quectel say NO CARRIER for a refused call too: ask why.
            Call::Dialling(_) if *result == FinalResult::NoCarrier => {
                self.ask_release_cause(Cause::NORMAL_CLEARING)
            }
            Call::Dialling(_) | Call::Active(_) => self.release(cause_of(result)),
            Call::Idle | Call::Clearing(_) | Call::Ending(_) => {}
        }
    }

    fn on_remote_digit(&mut self, digit: Digit) {
        if matches!(self.call, Call::Active(_)) {
            self.emit(CallEvent::Digit(digit));
        }
    }

    pub(super) fn on_clip_wait(&mut self) {
        if let Call::Ringing(r) = &mut self.call
            && !r.offered
        {
            r.offered = true;
            self.offer(None);
        }
    }

    /// No `RING` for a while: ask the modem whether the call is still there.
    pub(super) fn on_ring_gap(&mut self, now: I) {
        if !matches!(
            self.call,
            Call::Ringing(Ringing {
                answering: false,
                ..
            })
        ) {
            return;
        }
        if !self.is_pending(&Command::ListCalls) && self.enqueue(Command::ListCalls).is_err() {
            self.timers.set(Timer::RingGap, now + self.config.ring_gap);
        }
    }

    pub(super) fn on_poll_timer(&mut self) {
        if matches!(self.call, Call::Dialling(_)) && !self.is_pending(&Command::ListCalls) {
            let _ = self.enqueue(Command::ListCalls);
        }
    }

    /// The link is lost: a call in progress ends.
    pub(super) fn end_call_on_link_loss(&mut self) {
        if self.call != Call::Idle {
            self.release(Cause::TEMPORARY_FAILURE);
        }
    }

    fn connected(&mut self, call_id: u8) {
        self.stop_call_timers();
        self.call = Call::Active(Active { call_id });
        self.emit(CallEvent::Answered);
        for command in self.vendor.connected_commands() {
            let _ = self.enqueue(command);
        }
    }

    fn release(&mut self, cause: Cause) {
        self.stop_call_timers();
        self.call = Call::Idle;
        self.emit(CallEvent::Released { cause });
    }

    fn stop_call_timers(&mut self) {
        for timer in [Timer::Poll, Timer::ClipWait, Timer::RingGap] {
            self.timers.stop(timer);
        }
    }

    fn emit(&mut self, event: CallEvent) {
        self.events.push_back(super::ModemEvent::Call(event));
    }
}
