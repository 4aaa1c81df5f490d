//! The callback session as a sans-IO state machine (spec §1 steps 2–8).
//!
//! One machine per accepted trigger owns the whole flow and its timers; it knows three
//! legs — the trigger, the callback to the mobile, the transit call to the dialled number
//! — and the normalized call events of `protocols::call`, never a signalling protocol, so
//! SIP, ISDN and GSM trunks are alike to it.
//!
//! ```text
//!  Ringing ──reject / caller gave up──► Waiting ──delay──► CallingBack ──answered──► Dialling
//!                                          ▲                  │ busy / no answer     │ number
//!                                          └──── retries ─────┘                      ▼
//!   Done ◄── Refusing (busy tone 3 s) ◄── refused / far end failed ──── Authorising ─► Connecting
//!    ▲                                                                                 │ answered
//!    └──────────────── either side hangs up / max_duration ──────────────────── Bridged
//! ```
//!
//! The drive loop is the crate-wide one: feed `handle_*(…, now)`, drain [`poll_action`]
//! (what to do to legs and media) and [`poll_event`] (state changes, timer lateness, the
//! end), then sleep until [`poll_timeout`] and call [`handle_timeout`]. The record of
//! timestamps and outcome for the CDR is kept in [`SessionRecord`].
//!
//! [`poll_action`]: CallbackSession::poll_action
//! [`poll_event`]: CallbackSession::poll_event
//! [`poll_timeout`]: CallbackSession::poll_timeout
//! [`handle_timeout`]: CallbackSession::handle_timeout

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use protocols::call::{CallCommand, CallEvent, Cause, Digit, PartyNumber};
use protocols::tone::Tone;

use super::digits::{Collected, Collector, DialPlan};
use super::record::{EndReason, Outcome, SessionRecord};
use super::timers::{Timer, Timers};

pub use drivers::trunk::TrunkId;

/// The three legs of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Leg {
    /// The user's call to the trigger number; never answered.
    Trigger,
    /// The node's call back to the user's mobile.
    Callback,
    /// The node's call to the number the user dialled.
    Transit,
}

/// How the trigger call is ended without being answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectPolicy {
    /// Reject after `after` of ringing: busy (486 / cause 17), or declined (603 / cause 21).
    Reject { after: Duration, decline: bool },
    /// Keep ringing until the caller gives up; stop at `ring_limit` (cause 19, no answer).
    Ignore { ring_limit: Duration },
}

/// The timing and limits a session runs with (from `[callback]` and the trunk).
#[derive(Debug, Clone)]
pub struct SessionSettings {
    pub reject: RejectPolicy,
    pub delay: Duration,
    pub answer_timeout: Duration,
    pub retries: u32,
    pub first_digit_timeout: Duration,
    pub digit_timeout: Duration,
    pub max_duration: Duration,
    pub redial_window: Duration,
    /// How long busy or congestion tone plays before the node hangs up.
    pub refusal_tone: Duration,
}

/// Where and how to call the user back.
#[derive(Debug, Clone)]
pub struct CallbackTarget {
    /// The mobile number to call.
    pub mobile: PartyNumber,
    /// The number to present: the trigger's `callback_cli`.
    pub presented: PartyNumber,
    /// The route's trunks, in order.
    pub trunks: Vec<TrunkId>,
}

/// A granted transit call.
#[derive(Debug, Clone)]
pub struct Transit {
    /// The number to call (E.164 or internal extension, as the trunk wants it).
    pub called: PartyNumber,
    /// The company number to present; never the mobile.
    pub presented: PartyNumber,
    /// The route's trunks, in order.
    pub trunks: Vec<TrunkId>,
    /// The bridged-call limit for this call (`max_duration`, or `analog_max_duration`
    /// when both legs are analog).
    pub max_duration: Duration,
}

/// Why a dialled number is refused (spec §1 step 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// External number without transit enabled (TrEn).
    NoTransit,
    /// Not covered by the class's `allow` prefixes.
    NotAllowed,
    /// Matches one of the class's `deny` prefixes.
    DeniedPrefix,
    /// The user already has `max_concurrent` bridged calls.
    ConcurrentLimit,
    /// Over `max_cost_per_day` or `max_minutes_per_day`.
    SpendCap,
    /// Not a number that can be normalised.
    InvalidNumber,
    /// No route (or no trunk up) for the number.
    NoRoute,
}

impl Refusal {
    pub const fn as_str(self) -> &'static str {
        match self {
            Refusal::NoTransit => "no_transit",
            Refusal::NotAllowed => "not_allowed",
            Refusal::DeniedPrefix => "denied_prefix",
            Refusal::ConcurrentLimit => "concurrent_limit",
            Refusal::SpendCap => "spend_cap",
            Refusal::InvalidNumber => "invalid_number",
            Refusal::NoRoute => "no_route",
        }
    }
}

/// What the machine asks its actor to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Place a call for `leg` on `trunk` (`command` is a `CallCommand::Originate`).
    Originate {
        leg: Leg,
        trunk: TrunkId,
        command: CallCommand,
    },
    /// Any other command to a leg's call.
    Command { leg: Leg, command: CallCommand },
    /// Play a tone to a leg (replacing what plays).
    Play { leg: Leg, tone: Tone },
    /// Stop sending audio to a leg.
    Silence { leg: Leg },
    /// Relay media between the callback and transit legs.
    Bridge,
    /// Stop relaying; each leg gets its own endpoint again.
    Unbridge,
    /// Check the dialled number; answer with [`CallbackSession::handle_authorisation`].
    Authorise { dialled: String },
}

/// The states, for the `callbackd_sessions_active{state}` gauge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Ringing,
    Waiting,
    CallingBack,
    Dialling,
    Connecting,
    Bridged,
    Done,
}

impl Phase {
    pub const fn as_str(self) -> &'static str {
        match self {
            Phase::Ringing => "ringing",
            Phase::Waiting => "waiting",
            Phase::CallingBack => "calling_back",
            Phase::Dialling => "dialling",
            Phase::Connecting => "connecting",
            Phase::Bridged => "bridged",
            Phase::Done => "done",
        }
    }
}

/// What happened, for the actor's metrics and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// The session moved from one phase to another.
    Phase { from: Phase, to: Phase },
    /// A timer fired `late` after its deadline.
    TimerFired { timer: Timer, late: Duration },
    /// The session is over; the record is complete.
    Finished,
}

#[derive(Debug)]
enum State {
    Ringing,
    Waiting {
        attempt: u32,
    },
    CallingBack(CallingBack),
    Dialling(Dialling),
    Authorising,
    Connecting(Connecting),
    Bridged {
        since: Instant,
    },
    Refusing {
        outcome: Outcome,
        reason: EndReason,
        cause: Cause,
    },
    Done,
}

#[derive(Debug)]
struct CallingBack {
    attempt: u32,
    trunk: usize,
}

#[derive(Debug, Default)]
struct Dialling {
    collector: Collector,
}

#[derive(Debug)]
struct Connecting {
    transit: Transit,
    trunk: usize,
    /// Media already relayed (far-end early media or in-band ringback).
    early_bridge: bool,
}

/// One callback session.
pub struct CallbackSession {
    settings: SessionSettings,
    target: CallbackTarget,
    plan: Arc<dyn DialPlan + Send + Sync>,
    state: State,
    timers: Timers,
    actions: VecDeque<Action>,
    events: VecDeque<SessionEvent>,
    record: SessionRecord,
    /// The last number dialled, for `*0`.
    last_dialled: Option<String>,
    /// The previous key during a bridged call, to see `**`.
    bridged_star: bool,
}

impl CallbackSession {
    /// A session for a trigger that has just been offered: it alerts the caller at once.
    pub fn new(
        settings: SessionSettings,
        target: CallbackTarget,
        plan: Arc<dyn DialPlan + Send + Sync>,
        now: Instant,
    ) -> CallbackSession {
        let mut session = CallbackSession {
            settings,
            target,
            plan,
            state: State::Ringing,
            timers: Timers::default(),
            actions: VecDeque::new(),
            events: VecDeque::new(),
            record: SessionRecord::new(now),
            last_dialled: None,
            bridged_star: false,
        };
        session.command(Leg::Trigger, CallCommand::Alert);
        match session.settings.reject {
            RejectPolicy::Reject { after, .. } => session.timers.set(Timer::Reject, now + after),
            RejectPolicy::Ignore { ring_limit } => {
                session.timers.set(Timer::RingLimit, now + ring_limit)
            }
        }
        session
    }

    /// A session restored after a restart: the trigger has ended, the callback is due at
    /// `due` (spec §6: pending callbacks survive a restart).
    pub fn restored(
        settings: SessionSettings,
        target: CallbackTarget,
        plan: Arc<dyn DialPlan + Send + Sync>,
        record: SessionRecord,
        due: Instant,
    ) -> CallbackSession {
        let mut session = CallbackSession {
            settings,
            target,
            plan,
            state: State::Waiting { attempt: 0 },
            timers: Timers::default(),
            actions: VecDeque::new(),
            events: VecDeque::new(),
            record,
            last_dialled: None,
            bridged_star: false,
        };
        session.timers.set(Timer::Delay, due);
        session
    }

    pub fn phase(&self) -> Phase {
        match self.state {
            State::Ringing => Phase::Ringing,
            State::Waiting { .. } => Phase::Waiting,
            State::CallingBack(_) => Phase::CallingBack,
            State::Dialling(_) | State::Authorising | State::Refusing { .. } => Phase::Dialling,
            State::Connecting(_) => Phase::Connecting,
            State::Bridged { .. } => Phase::Bridged,
            State::Done => Phase::Done,
        }
    }

    pub fn record(&self) -> &SessionRecord {
        &self.record
    }

    pub fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    pub fn poll_action(&mut self) -> Option<Action> {
        self.actions.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<SessionEvent> {
        self.events.pop_front()
    }

    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// An event on one of the legs.
    pub fn handle_leg_event(&mut self, leg: Leg, event: CallEvent, now: Instant) {
        match event {
            CallEvent::Digit(digit) => self.handle_digit(leg, digit, now),
            CallEvent::Released { cause } => self.on_released(leg, cause, now),
            CallEvent::Answered => self.on_answered(leg, now),
            CallEvent::Alerting { in_band } => self.on_alerting(leg, in_band),
            CallEvent::EarlyMedia => self.on_alerting(leg, true),
            CallEvent::Proceeding | CallEvent::Offered { .. } => {}
        }
    }

    /// A key pressed on a leg (from signalling, RFC 4733 or in-band detection).
    pub fn handle_digit(&mut self, leg: Leg, digit: Digit, now: Instant) {
        if leg != Leg::Callback {
            return;
        }
        match &mut self.state {
            State::Dialling(dialling) => {
                let first = dialling.collector.is_empty();
                let collected = dialling.collector.push(digit, self.plan.as_ref());
                if first {
                    // The first key stops dial tone (and the chained-call window).
                    self.actions
                        .push_back(Action::Silence { leg: Leg::Callback });
                    self.timers.stop(Timer::FirstDigit);
                    self.timers.stop(Timer::Redial);
                }
                match collected {
                    Collected::More => self
                        .timers
                        .set(Timer::InterDigit, now + self.settings.digit_timeout),
                    Collected::Done(number) => self.dialled(number, now),
                }
            }
            State::Bridged { .. } => {
                let star = digit.as_char() == '*';
                if star && self.bridged_star {
                    self.bridged_star = false;
                    self.drop_far_end(now);
                } else {
                    self.bridged_star = star;
                }
            }
            _ => {}
        }
    }

    /// The answer to [`Action::Authorise`].
    pub fn handle_authorisation(&mut self, result: Result<Transit, Refusal>, now: Instant) {
        if !matches!(self.state, State::Authorising) {
            return;
        }
        match result {
            Ok(transit) => self.connect(transit, 0, now),
            Err(refusal) => self.refuse(
                Outcome::Denied,
                EndReason::Refused(refusal),
                Cause::CALL_REJECTED,
                now,
            ),
        }
    }

    /// The media of the answered callback leg went silent past the media timeout.
    pub fn handle_media_timeout(&mut self, now: Instant) {
        if matches!(
            self.state,
            State::Done | State::Ringing | State::Waiting { .. }
        ) {
            return;
        }
        let outcome = self.finished_outcome(Outcome::Failed);
        self.hang_up_all(Cause::RECOVERY_ON_TIMER_EXPIRY);
        self.finish(outcome, EndReason::MediaTimeout, now);
    }

    /// Ends the session at once (the node stops): every leg is cleared, the trigger is
    /// refused if it still rings, and the record says `shutdown`.
    pub fn abort(&mut self, now: Instant) {
        match self.state {
            State::Done => return,
            State::Ringing => {
                self.command(
                    Leg::Trigger,
                    CallCommand::Reject {
                        cause: Cause::TEMPORARY_FAILURE,
                    },
                );
            }
            _ => self.hang_up_all(Cause::NORMAL_CLEARING),
        }
        let outcome = self.finished_outcome(Outcome::Cancelled);
        self.finish(outcome, EndReason::Shutdown, now);
    }

    /// Fires every timer due at `now`; early or repeated calls are harmless.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some((timer, late)) = self.timers.take_expired(now) {
            self.events
                .push_back(SessionEvent::TimerFired { timer, late });
            self.on_timer(timer, now);
        }
    }

    fn on_timer(&mut self, timer: Timer, now: Instant) {
        match (timer, &mut self.state) {
            (Timer::Reject, State::Ringing) => {
                let RejectPolicy::Reject { decline, .. } = self.settings.reject else {
                    return;
                };
                let command = match decline {
                    true => CallCommand::Decline,
                    false => CallCommand::Reject {
                        cause: Cause::USER_BUSY,
                    },
                };
                self.command(Leg::Trigger, command);
                self.record.rejected_at = Some(now);
                self.trigger_ended(now);
            }
            (Timer::RingLimit, State::Ringing) => {
                self.command(
                    Leg::Trigger,
                    CallCommand::Reject {
                        cause: Cause::NO_ANSWER,
                    },
                );
                self.record.rejected_at = Some(now);
                self.trigger_ended(now);
            }
            (Timer::Delay, State::Waiting { attempt }) => {
                let attempt = *attempt;
                self.call_back(attempt, 0, now);
            }
            (Timer::Answer, State::CallingBack(_)) => {
                self.command(
                    Leg::Callback,
                    CallCommand::HangUp {
                        cause: Cause::NO_ANSWER,
                    },
                );
                self.callback_failed(Cause::NO_ANSWER, now);
            }
            (Timer::FirstDigit, State::Dialling(_)) => self.refuse(
                Outcome::NoDigits,
                EndReason::NoDigits,
                Cause::NORMAL_CLEARING,
                now,
            ),
            (Timer::Redial, State::Dialling(_)) => {
                self.command(
                    Leg::Callback,
                    CallCommand::HangUp {
                        cause: Cause::NORMAL_CLEARING,
                    },
                );
                self.finish(Outcome::Bridged, EndReason::FarEndHungUp, now);
            }
            (Timer::InterDigit, State::Dialling(dialling)) => {
                let number = dialling.collector.finish();
                self.dialled(number, now);
            }
            (
                Timer::Refusal,
                State::Refusing {
                    outcome,
                    reason,
                    cause,
                },
            ) => {
                let (outcome, reason, cause) = (*outcome, *reason, *cause);
                self.command(Leg::Callback, CallCommand::HangUp { cause });
                self.finish(outcome, reason, now);
            }
            (Timer::MaxDuration, State::Bridged { .. }) => {
                self.hang_up_all(Cause::NORMAL_CLEARING);
                self.finish(Outcome::Bridged, EndReason::MaxDuration, now);
            }
            _ => {}
        }
    }

    fn on_answered(&mut self, leg: Leg, now: Instant) {
        match (leg, &mut self.state) {
            (Leg::Callback, State::CallingBack(_)) => {
                self.timers.stop(Timer::Answer);
                self.record.callback_answered_at = Some(now);
                self.dial_tone(self.settings.first_digit_timeout, Timer::FirstDigit, now);
            }
            (Leg::Transit, State::Connecting(connecting)) => {
                let max = connecting.transit.max_duration;
                if !connecting.early_bridge {
                    self.actions.push_back(Action::Bridge);
                }
                self.record.transit_answered_at = Some(now);
                self.timers.set(Timer::MaxDuration, now + max);
                self.set_state(State::Bridged { since: now });
            }
            _ => {}
        }
    }

    fn on_alerting(&mut self, leg: Leg, in_band: bool) {
        let State::Connecting(connecting) = &mut self.state else {
            return;
        };
        if leg != Leg::Transit || connecting.early_bridge {
            return;
        }
        if in_band {
            // The far end sends its own ringback or announcement: let the user hear it.
            connecting.early_bridge = true;
            self.actions.push_back(Action::Bridge);
        } else {
            self.actions.push_back(Action::Play {
                leg: Leg::Callback,
                tone: Tone::Ringback,
            });
        }
    }

    fn on_released(&mut self, leg: Leg, cause: Cause, now: Instant) {
        match (leg, &self.state) {
            (Leg::Trigger, State::Ringing) => self.trigger_ended(now),
            (Leg::Callback, State::CallingBack(_)) => self.callback_failed(cause, now),
            (Leg::Transit, State::Connecting(_)) => self.transit_failed(cause, now),
            (Leg::Transit, State::Bridged { .. }) => self.far_end_hung_up(cause, now),
            (Leg::Callback, State::Bridged { .. }) => {
                self.command(Leg::Transit, CallCommand::HangUp { cause });
                self.record.end_cause = Some(cause);
                self.finish(Outcome::Bridged, EndReason::UserHungUp, now);
            }
            (Leg::Callback, State::Connecting(_)) => {
                self.command(Leg::Transit, CallCommand::HangUp { cause });
                self.record.end_cause = Some(cause);
                self.finish(Outcome::Cancelled, EndReason::UserHungUp, now);
            }
            (Leg::Callback, State::Dialling(_) | State::Authorising | State::Refusing { .. }) => {
                self.record.end_cause = Some(cause);
                let outcome = self.finished_outcome(Outcome::Cancelled);
                self.finish(outcome, EndReason::UserHungUp, now);
            }
            _ => {}
        }
    }

    /// The trigger call is over (rejected, or the caller gave up): wait, then call back.
    fn trigger_ended(&mut self, now: Instant) {
        self.timers.stop(Timer::Reject);
        self.timers.stop(Timer::RingLimit);
        self.record.trigger_ended_at = Some(now);
        self.timers.set(Timer::Delay, now + self.settings.delay);
        self.set_state(State::Waiting { attempt: 0 });
    }

    fn call_back(&mut self, attempt: u32, trunk: usize, now: Instant) {
        let Some(&trunk_id) = self.target.trunks.get(trunk) else {
            self.finish(Outcome::Failed, EndReason::NoRoute, now);
            return;
        };
        let command = CallCommand::Originate {
            called: self.target.mobile.clone(),
            calling: Some(self.target.presented.clone()),
            hide_calling: false,
        };
        self.actions.push_back(Action::Originate {
            leg: Leg::Callback,
            trunk: trunk_id,
            command,
        });
        self.record.callback_trunk = Some(trunk_id);
        self.record.callback_started_at.get_or_insert(now);
        self.record.attempts = attempt + 1;
        self.timers
            .set(Timer::Answer, now + self.settings.answer_timeout);
        self.set_state(State::CallingBack(CallingBack { attempt, trunk }));
    }

    /// The callback leg failed before answer: next trunk, a retry, or the end.
    fn callback_failed(&mut self, cause: Cause, now: Instant) {
        let State::CallingBack(CallingBack { attempt, trunk }) = self.state else {
            return;
        };
        self.timers.stop(Timer::Answer);
        if cause.is_congestion() && trunk + 1 < self.target.trunks.len() {
            self.call_back(attempt, trunk + 1, now);
            return;
        }
        if attempt < self.settings.retries {
            self.timers.set(Timer::Delay, now + self.settings.delay);
            self.set_state(State::Waiting {
                attempt: attempt + 1,
            });
            return;
        }
        self.record.end_cause = Some(cause);
        let outcome = match cause {
            Cause::USER_BUSY => Outcome::Busy,
            Cause::NO_ANSWER | Cause::NO_USER_RESPONDING => Outcome::NoAnswer,
            _ => Outcome::Failed,
        };
        self.finish(outcome, EndReason::CallbackFailed(cause), now);
    }

    /// Dial tone on the callback leg, waiting for the first key until `timer`.
    fn dial_tone(&mut self, wait: Duration, timer: Timer, now: Instant) {
        self.actions.push_back(Action::Play {
            leg: Leg::Callback,
            tone: Tone::Dial,
        });
        self.timers.set(timer, now + wait);
        self.set_state(State::Dialling(Dialling::default()));
    }

    fn dialled(&mut self, number: String, now: Instant) {
        self.timers.stop(Timer::InterDigit);
        let number = match (number.as_str(), &self.last_dialled) {
            ("*0", Some(last)) => last.clone(),
            _ => number,
        };
        if number.is_empty() {
            self.refuse(
                Outcome::NoDigits,
                EndReason::NoDigits,
                Cause::NORMAL_CLEARING,
                now,
            );
            return;
        }
        self.record.dialled = Some(number.clone());
        self.last_dialled = Some(number.clone());
        self.actions
            .push_back(Action::Authorise { dialled: number });
        self.set_state(State::Authorising);
    }

    fn connect(&mut self, transit: Transit, trunk: usize, now: Instant) {
        let Some(&trunk_id) = transit.trunks.get(trunk) else {
            self.refuse(
                Outcome::Failed,
                EndReason::NoRoute,
                Cause::NO_ROUTE_TO_DESTINATION,
                now,
            );
            return;
        };
        let command = CallCommand::Originate {
            called: transit.called.clone(),
            calling: Some(transit.presented.clone()),
            hide_calling: false,
        };
        self.actions.push_back(Action::Originate {
            leg: Leg::Transit,
            trunk: trunk_id,
            command,
        });
        self.record.transit_trunk = Some(trunk_id);
        self.record.transit_started_at.get_or_insert(now);
        self.set_state(State::Connecting(Connecting {
            transit,
            trunk,
            early_bridge: false,
        }));
    }

    /// The transit call failed before answer: next trunk, or the cause to the user.
    fn transit_failed(&mut self, cause: Cause, now: Instant) {
        let State::Connecting(connecting) = &mut self.state else {
            return;
        };
        if connecting.early_bridge {
            self.actions.push_back(Action::Unbridge);
        }
        if cause.is_congestion() && connecting.trunk + 1 < connecting.transit.trunks.len() {
            let (transit, next) = (connecting.transit.clone(), connecting.trunk + 1);
            self.connect(transit, next, now);
            return;
        }
        let outcome = match cause {
            Cause::USER_BUSY => Outcome::Busy,
            Cause::NO_ANSWER | Cause::NO_USER_RESPONDING => Outcome::NoAnswer,
            _ => Outcome::Failed,
        };
        self.refuse(outcome, EndReason::TransitFailed(cause), cause, now);
    }

    fn far_end_hung_up(&mut self, cause: Cause, now: Instant) {
        let State::Bridged { since } = self.state else {
            return;
        };
        self.record.end_cause = Some(cause);
        self.timers.stop(Timer::MaxDuration);
        self.actions.push_back(Action::Unbridge);
        if self.settings.redial_window > Duration::ZERO {
            self.record.bridged += now - since;
            self.dial_tone(self.settings.redial_window, Timer::Redial, now);
        } else {
            self.command(Leg::Callback, CallCommand::HangUp { cause });
            self.finish(Outcome::Bridged, EndReason::FarEndHungUp, now);
        }
    }

    /// `**` during a bridged call: drop the far end, back to dial tone.
    fn drop_far_end(&mut self, now: Instant) {
        let State::Bridged { since } = self.state else {
            return;
        };
        self.record.bridged += now - since;
        self.timers.stop(Timer::MaxDuration);
        self.command(
            Leg::Transit,
            CallCommand::HangUp {
                cause: Cause::NORMAL_CLEARING,
            },
        );
        self.actions.push_back(Action::Unbridge);
        let wait = if self.settings.redial_window > Duration::ZERO {
            self.settings.redial_window
        } else {
            self.settings.first_digit_timeout
        };
        self.dial_tone(wait, Timer::Redial, now);
    }

    /// Busy (or congestion) tone to the user for the refusal time, then hang up.
    fn refuse(&mut self, outcome: Outcome, reason: EndReason, cause: Cause, now: Instant) {
        self.timers.stop_all();
        let tone = if cause == Cause::USER_BUSY || outcome != Outcome::Failed {
            Tone::Busy
        } else {
            Tone::Congestion
        };
        self.actions.push_back(Action::Play {
            leg: Leg::Callback,
            tone,
        });
        self.timers
            .set(Timer::Refusal, now + self.settings.refusal_tone);
        self.set_state(State::Refusing {
            outcome,
            reason,
            cause,
        });
    }

    /// The outcome of a session that ends now: `bridged` if any call was bridged.
    fn finished_outcome(&self, otherwise: Outcome) -> Outcome {
        if self.record.transit_answered_at.is_some() {
            Outcome::Bridged
        } else {
            otherwise
        }
    }

    fn hang_up_all(&mut self, cause: Cause) {
        if let State::Bridged { .. } | State::Connecting(_) = self.state {
            self.command(Leg::Transit, CallCommand::HangUp { cause });
        }
        if !matches!(self.state, State::Ringing | State::Waiting { .. }) {
            self.command(Leg::Callback, CallCommand::HangUp { cause });
        }
    }

    fn finish(&mut self, outcome: Outcome, reason: EndReason, now: Instant) {
        if let State::Bridged { since } = self.state {
            self.record.bridged += now - since;
        }
        self.timers.stop_all();
        self.record.ended_at = Some(now);
        self.record.outcome = Some(outcome);
        self.record.reason = Some(reason);
        self.set_state(State::Done);
        self.events.push_back(SessionEvent::Finished);
    }

    fn command(&mut self, leg: Leg, command: CallCommand) {
        self.actions.push_back(Action::Command { leg, command });
    }

    fn set_state(&mut self, state: State) {
        let from = self.phase();
        self.state = state;
        let to = self.phase();
        if from != to {
            self.events.push_back(SessionEvent::Phase { from, to });
        }
    }
}

#[cfg(test)]
#[path = "machine_tests.rs"]
mod tests;
