//! The session machine driven through every branch of spec §1 on a virtual clock.

use std::sync::Arc;
use std::time::{Duration, Instant};

use protocols::call::{
    CallCommand, CallEvent, Cause, Digit, NumberKind, PartyNumber, Presentation,
};
use protocols::tone::Tone;

use super::*;
use crate::session::digits::tests::Patterns;

const S: Duration = Duration::from_secs(1);

fn number(digits: &str) -> PartyNumber {
    PartyNumber {
        digits: digits.into(),
        kind: NumberKind::International,
        presentation: Presentation::Allowed,
    }
}

const MOBILE: &str = "48601111222";
const COMPANY: &str = "48225551000";

fn settings() -> SessionSettings {
    SessionSettings {
        reject: RejectPolicy::Reject {
            after: 6 * S,
            decline: false,
        },
        delay: 5 * S,
        answer_timeout: 30 * S,
        retries: 0,
        first_digit_timeout: 10 * S,
        digit_timeout: 4 * S,
        max_duration: 2 * 3600 * S,
        redial_window: Duration::ZERO,
        refusal_tone: 3 * S,
    }
}

fn transit(to: &str, trunks: &[usize]) -> Transit {
    Transit {
        called: number(to),
        presented: number(COMPANY),
        trunks: trunks.iter().map(|&t| TrunkId(t)).collect(),
        max_duration: 2 * 3600 * S,
    }
}

struct Harness {
    session: CallbackSession,
    t0: Instant,
    now: Instant,
}

impl Harness {
    fn new(settings: SessionSettings) -> Harness {
        let t0 = Instant::now();
        let target = CallbackTarget {
            mobile: number(MOBILE),
            presented: number(COMPANY),
            trunks: vec![TrunkId(0), TrunkId(1)],
        };
        let plan = Arc::new(Patterns(vec!["1XX"]));
        Harness {
            session: CallbackSession::new(settings, target, plan, t0),
            t0,
            now: t0,
        }
    }

    fn at(&self, d: Duration) -> Instant {
        self.t0 + d
    }

    /// Moves the clock to `t0 + d`, firing timers as an actor would: at each deadline.
    fn advance_to(&mut self, d: Duration) {
        let end = self.t0 + d;
        while let Some(deadline) = self.session.poll_timeout().filter(|&t| t <= end) {
            self.now = deadline;
            self.session.handle_timeout(deadline);
        }
        self.now = end;
    }

    fn actions(&mut self) -> Vec<Action> {
        std::iter::from_fn(|| self.session.poll_action()).collect()
    }

    fn events(&mut self) -> Vec<SessionEvent> {
        std::iter::from_fn(|| self.session.poll_event()).collect()
    }

    fn on(&mut self, leg: Leg, event: CallEvent) {
        self.session.handle_leg_event(leg, event, self.now);
    }

    fn keys(&mut self, keys: &str) {
        for k in keys.chars() {
            self.session
                .handle_digit(Leg::Callback, Digit::from_char(k).unwrap(), self.now);
        }
    }

    /// Runs the default flow up to the dial tone: rejected at 6 s, called back at 11 s,
    /// answered at 13 s.
    fn to_dial_tone(settings: SessionSettings) -> Harness {
        let mut h = Harness::new(settings);
        h.advance_to(13 * S);
        h.on(Leg::Callback, CallEvent::Answered);
        h.actions();
        h.events();
        h
    }

    /// … then dials `101` and is granted, the far end answers at 20 s.
    fn to_bridged(settings: SessionSettings) -> Harness {
        let mut h = Harness::to_dial_tone(settings);
        h.keys("101");
        h.session
            .handle_authorisation(Ok(transit("101", &[2])), h.now);
        h.advance_to(20 * S);
        h.on(Leg::Transit, CallEvent::Answered);
        h.actions();
        h
    }
}

fn originate(leg: Leg, trunk: usize, called: &str, calling: &str) -> Action {
    Action::Originate {
        leg,
        trunk: TrunkId(trunk),
        command: CallCommand::Originate {
            called: number(called),
            calling: Some(number(calling)),
            hide_calling: false,
        },
    }
}

fn hang_up(leg: Leg, cause: Cause) -> Action {
    Action::Command {
        leg,
        command: CallCommand::HangUp { cause },
    }
}

#[test]
fn rings_two_polish_rings_then_rejects_busy_and_calls_back_five_seconds_later() {
    let mut h = Harness::new(settings());
    assert_eq!(
        h.actions(),
        vec![Action::Command {
            leg: Leg::Trigger,
            command: CallCommand::Alert
        }]
    );
    assert_eq!(h.session.phase(), Phase::Ringing);
    assert_eq!(h.session.poll_timeout(), Some(h.at(6 * S)));

    h.advance_to(6 * S);
    let reject = CallCommand::Reject {
        cause: Cause::USER_BUSY,
    };
    assert_eq!(
        h.actions(),
        vec![Action::Command {
            leg: Leg::Trigger,
            command: reject
        }]
    );
    assert_eq!(h.session.record().rejected_at, Some(h.at(6 * S)));
    assert_eq!(h.session.phase(), Phase::Waiting);

    h.advance_to(11 * S - Duration::from_millis(1));
    assert_eq!(h.actions(), vec![], "nothing before the delay");
    h.advance_to(11 * S);
    assert_eq!(
        h.actions(),
        vec![originate(Leg::Callback, 0, MOBILE, COMPANY)]
    );
    assert_eq!(h.session.record().callback_started_at, Some(h.at(11 * S)));
    assert_eq!(h.session.phase(), Phase::CallingBack);
}

#[test]
fn decline_policy_declines() {
    let mut s = settings();
    s.reject = RejectPolicy::Reject {
        after: 6 * S,
        decline: true,
    };
    let mut h = Harness::new(s);
    h.actions();
    h.advance_to(6 * S);
    let reject = CallCommand::Decline;
    assert_eq!(
        h.actions(),
        vec![Action::Command {
            leg: Leg::Trigger,
            command: reject
        }]
    );
}

#[test]
fn caller_hanging_up_first_still_gets_the_callback() {
    let mut h = Harness::new(settings());
    h.actions();
    h.advance_to(2 * S);
    h.on(
        Leg::Trigger,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    assert_eq!(h.session.phase(), Phase::Waiting);
    assert_eq!(
        h.session.record().rejected_at,
        None,
        "never rejected: the caller gave up"
    );
    h.advance_to(7 * S);
    assert_eq!(
        h.actions(),
        vec![originate(Leg::Callback, 0, MOBILE, COMPANY)]
    );
}

#[test]
fn ignore_mode_keeps_ringing_until_the_caller_gives_up_or_the_limit() {
    let mut s = settings();
    s.reject = RejectPolicy::Ignore { ring_limit: 60 * S };
    let mut h = Harness::new(s.clone());
    h.actions();
    h.advance_to(59 * S);
    assert_eq!(h.actions(), vec![], "no busy, no reject: ringing only");
    h.advance_to(60 * S);
    let stop = CallCommand::Reject {
        cause: Cause::NO_ANSWER,
    };
    assert_eq!(
        h.actions(),
        vec![Action::Command {
            leg: Leg::Trigger,
            command: stop
        }]
    );

    let mut h = Harness::new(s);
    h.advance_to(20 * S);
    h.on(
        Leg::Trigger,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    h.advance_to(25 * S);
    assert!(
        h.actions()
            .contains(&originate(Leg::Callback, 0, MOBILE, COMPANY))
    );
}

#[test]
fn timers_report_their_lateness_and_early_calls_are_harmless() {
    let mut h = Harness::new(settings());
    h.session.handle_timeout(h.at(5 * S));
    h.session.handle_timeout(h.at(5 * S));
    assert_eq!(h.session.phase(), Phase::Ringing);
    h.session
        .handle_timeout(h.at(6 * S + Duration::from_millis(3)));
    let fired: Vec<_> = h
        .events()
        .into_iter()
        .filter(|e| matches!(e, SessionEvent::TimerFired { .. }))
        .collect();
    assert_eq!(
        fired,
        vec![SessionEvent::TimerFired {
            timer: Timer::Reject,
            late: Duration::from_millis(3)
        }]
    );
}

#[test]
fn internal_extension_is_bridged_and_the_user_hanging_up_clears_the_far_end() {
    let mut h = Harness::to_dial_tone(settings());
    assert_eq!(h.session.phase(), Phase::Dialling);
    h.keys("1");
    assert_eq!(
        h.actions(),
        vec![Action::Silence { leg: Leg::Callback }],
        "first key stops dial tone"
    );
    h.keys("01");
    assert_eq!(
        h.actions(),
        vec![Action::Authorise {
            dialled: "101".into()
        }]
    );

    h.session
        .handle_authorisation(Ok(transit("101", &[2])), h.now);
    assert_eq!(
        h.actions(),
        vec![originate(Leg::Transit, 2, "101", COMPANY)]
    );
    assert_eq!(h.session.phase(), Phase::Connecting);

    h.on(Leg::Transit, CallEvent::Alerting { in_band: false });
    assert_eq!(
        h.actions(),
        vec![Action::Play {
            leg: Leg::Callback,
            tone: Tone::Ringback
        }]
    );
    h.advance_to(20 * S);
    h.on(Leg::Transit, CallEvent::Answered);
    assert_eq!(h.actions(), vec![Action::Bridge]);
    assert_eq!(h.session.phase(), Phase::Bridged);

    h.advance_to(80 * S);
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    assert_eq!(
        h.actions(),
        vec![hang_up(Leg::Transit, Cause::NORMAL_CLEARING)]
    );
    assert!(h.events().contains(&SessionEvent::Finished));
    let r = h.session.record();
    assert_eq!(r.outcome, Some(Outcome::Bridged));
    assert_eq!(r.reason, Some(EndReason::UserHungUp));
    assert_eq!(r.bridged, 60 * S);
    assert_eq!(r.dialled.as_deref(), Some("101"));
    assert_eq!(r.callback_answered_at, Some(h.at(13 * S)));
    assert_eq!(r.transit_answered_at, Some(h.at(20 * S)));
    assert_eq!(r.ended_at, Some(h.at(80 * S)));
    assert_eq!(
        h.session.poll_timeout(),
        None,
        "no timer outlives the session"
    );
}

#[test]
fn the_mobile_number_is_never_presented() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("0601234567#");
    h.session
        .handle_authorisation(Ok(transit("48601234567", &[0])), h.now);
    for action in h.actions() {
        if let Action::Originate {
            command: CallCommand::Originate { calling, .. },
            ..
        } = action
        {
            assert_eq!(calling, Some(number(COMPANY)));
        }
    }
}

#[test]
fn inter_digit_timeout_ends_dialling() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("0601");
    assert_eq!(h.actions(), vec![Action::Silence { leg: Leg::Callback }]);
    h.advance_to(17 * S - Duration::from_millis(1));
    assert_eq!(h.actions(), vec![]);
    h.advance_to(17 * S);
    assert_eq!(
        h.actions(),
        vec![Action::Authorise {
            dialled: "0601".into()
        }]
    );
}

#[test]
fn no_digits_means_busy_tone_for_three_seconds_then_hang_up() {
    let mut h = Harness::to_dial_tone(settings());
    h.advance_to(23 * S);
    assert_eq!(
        h.actions(),
        vec![Action::Play {
            leg: Leg::Callback,
            tone: Tone::Busy
        }]
    );
    h.advance_to(26 * S);
    assert_eq!(
        h.actions(),
        vec![hang_up(Leg::Callback, Cause::NORMAL_CLEARING)]
    );
    assert_eq!(h.session.record().outcome, Some(Outcome::NoDigits));
    assert!(h.session.is_done());
}

#[test]
fn refused_number_gets_busy_tone_and_no_transit_call() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("0601234567#");
    h.actions();
    h.session
        .handle_authorisation(Err(Refusal::NoTransit), h.now);
    assert_eq!(
        h.actions(),
        vec![Action::Play {
            leg: Leg::Callback,
            tone: Tone::Busy
        }]
    );
    h.advance_to(16 * S);
    assert_eq!(
        h.actions(),
        vec![hang_up(Leg::Callback, Cause::CALL_REJECTED)]
    );
    let r = h.session.record();
    assert_eq!(r.outcome, Some(Outcome::Denied));
    assert_eq!(r.reason, Some(EndReason::Refused(Refusal::NoTransit)));
    assert_eq!(r.transit_started_at, None);
}

#[test]
fn unanswered_callback_is_retried_then_recorded_as_no_answer() {
    let mut s = settings();
    s.retries = 1;
    let mut h = Harness::new(s);
    h.advance_to(11 * S);
    h.actions();
    h.advance_to(41 * S);
    assert_eq!(h.actions(), vec![hang_up(Leg::Callback, Cause::NO_ANSWER)]);
    assert_eq!(h.session.phase(), Phase::Waiting);
    h.advance_to(46 * S);
    assert_eq!(
        h.actions(),
        vec![originate(Leg::Callback, 0, MOBILE, COMPANY)]
    );
    h.advance_to(50 * S);
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::NO_ANSWER,
        },
    );
    let r = h.session.record();
    assert_eq!(r.outcome, Some(Outcome::NoAnswer));
    assert_eq!(r.attempts, 2);
    assert_eq!(
        r.callback_started_at,
        Some(h.at(11 * S)),
        "the first attempt's start"
    );
}

#[test]
fn busy_mobile_is_recorded_as_busy() {
    let mut h = Harness::new(settings());
    h.advance_to(12 * S);
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::USER_BUSY,
        },
    );
    assert_eq!(h.session.record().outcome, Some(Outcome::Busy));
}

#[test]
fn congestion_on_the_callback_trunk_fails_over_to_the_next() {
    let mut h = Harness::new(settings());
    h.advance_to(11 * S);
    h.actions();
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::NO_CIRCUIT_AVAILABLE,
        },
    );
    assert_eq!(
        h.actions(),
        vec![originate(Leg::Callback, 1, MOBILE, COMPANY)]
    );
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::TEMPORARY_FAILURE,
        },
    );
    assert_eq!(
        h.session.record().outcome,
        Some(Outcome::Failed),
        "no third trunk"
    );
}

#[test]
fn far_end_busy_reaches_the_user_as_busy_tone_and_cause_17() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("0601234567#");
    h.session
        .handle_authorisation(Ok(transit("48601234567", &[0])), h.now);
    h.actions();
    h.on(
        Leg::Transit,
        CallEvent::Released {
            cause: Cause::USER_BUSY,
        },
    );
    assert_eq!(
        h.actions(),
        vec![Action::Play {
            leg: Leg::Callback,
            tone: Tone::Busy
        }]
    );
    h.advance_to(16 * S);
    assert_eq!(h.actions(), vec![hang_up(Leg::Callback, Cause::USER_BUSY)]);
    assert_eq!(h.session.record().outcome, Some(Outcome::Busy));
}

#[test]
fn transit_congestion_fails_over_then_plays_congestion_tone() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("0601234567#");
    h.session
        .handle_authorisation(Ok(transit("48601234567", &[0, 3])), h.now);
    h.actions();
    h.on(
        Leg::Transit,
        CallEvent::Released {
            cause: Cause::SWITCHING_EQUIPMENT_CONGESTION,
        },
    );
    assert_eq!(
        h.actions(),
        vec![originate(Leg::Transit, 3, "48601234567", COMPANY)]
    );
    h.on(
        Leg::Transit,
        CallEvent::Released {
            cause: Cause::SWITCHING_EQUIPMENT_CONGESTION,
        },
    );
    assert_eq!(
        h.actions(),
        vec![Action::Play {
            leg: Leg::Callback,
            tone: Tone::Congestion
        }]
    );
}

#[test]
fn far_end_hanging_up_clears_the_user_with_its_cause() {
    let mut h = Harness::to_bridged(settings());
    h.advance_to(50 * S);
    h.on(
        Leg::Transit,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    assert_eq!(
        h.actions(),
        vec![
            Action::Unbridge,
            hang_up(Leg::Callback, Cause::NORMAL_CLEARING)
        ]
    );
    let r = h.session.record();
    assert_eq!(
        (r.outcome, r.reason),
        (Some(Outcome::Bridged), Some(EndReason::FarEndHungUp))
    );
    assert_eq!(r.bridged, 30 * S);
}

#[test]
fn max_duration_cuts_the_call() {
    let mut s = settings();
    s.max_duration = 3600 * S;
    let mut h = Harness::to_dial_tone(s);
    h.keys("101");
    let mut t = transit("101", &[2]);
    t.max_duration = 180 * S; // analog legs
    h.session.handle_authorisation(Ok(t), h.now);
    h.advance_to(20 * S);
    h.on(Leg::Transit, CallEvent::Answered);
    h.actions();
    h.advance_to(200 * S);
    assert_eq!(
        h.actions(),
        vec![
            hang_up(Leg::Transit, Cause::NORMAL_CLEARING),
            hang_up(Leg::Callback, Cause::NORMAL_CLEARING)
        ]
    );
    assert_eq!(h.session.record().reason, Some(EndReason::MaxDuration));
    assert_eq!(h.session.record().bridged, 180 * S);
}

#[test]
fn chained_call_gives_dial_tone_again_and_star_zero_redials() {
    let mut s = settings();
    s.redial_window = 10 * S;
    let mut h = Harness::to_bridged(s);
    h.advance_to(30 * S);
    h.on(
        Leg::Transit,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    assert_eq!(
        h.actions(),
        vec![
            Action::Unbridge,
            Action::Play {
                leg: Leg::Callback,
                tone: Tone::Dial
            }
        ]
    );
    assert_eq!(h.session.phase(), Phase::Dialling);
    h.keys("*0#");
    assert_eq!(
        h.actions(),
        vec![
            Action::Silence { leg: Leg::Callback },
            Action::Authorise {
                dialled: "101".into()
            }
        ]
    );
}

#[test]
fn chained_window_expiring_hangs_up() {
    let mut s = settings();
    s.redial_window = 10 * S;
    let mut h = Harness::to_bridged(s);
    h.on(
        Leg::Transit,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    h.actions();
    h.advance_to(30 * S);
    assert_eq!(
        h.actions(),
        vec![hang_up(Leg::Callback, Cause::NORMAL_CLEARING)]
    );
    assert_eq!(h.session.record().outcome, Some(Outcome::Bridged));
}

#[test]
fn star_star_drops_the_far_end_and_returns_to_dial_tone() {
    let mut h = Harness::to_bridged(settings());
    h.keys("5*");
    assert_eq!(h.actions(), vec![], "keys pass through while bridged");
    h.keys("*");
    assert_eq!(
        h.actions(),
        vec![
            hang_up(Leg::Transit, Cause::NORMAL_CLEARING),
            Action::Unbridge,
            Action::Play {
                leg: Leg::Callback,
                tone: Tone::Dial
            },
        ]
    );
    assert_eq!(h.session.phase(), Phase::Dialling);
}

#[test]
fn far_end_in_band_ringback_is_bridged_early_once() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("101");
    h.session
        .handle_authorisation(Ok(transit("101", &[2])), h.now);
    h.actions();
    h.on(Leg::Transit, CallEvent::EarlyMedia);
    assert_eq!(h.actions(), vec![Action::Bridge]);
    h.on(Leg::Transit, CallEvent::Alerting { in_band: true });
    h.on(Leg::Transit, CallEvent::Answered);
    assert_eq!(h.actions(), vec![], "already bridged");
    assert_eq!(h.session.phase(), Phase::Bridged);
}

#[test]
fn user_hanging_up_while_dialling_or_ringing_the_far_end_is_cancelled() {
    let mut h = Harness::to_dial_tone(settings());
    h.keys("10");
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    assert_eq!(h.session.record().outcome, Some(Outcome::Cancelled));
    assert_eq!(h.session.poll_timeout(), None);

    let mut h = Harness::to_dial_tone(settings());
    h.keys("101");
    h.session
        .handle_authorisation(Ok(transit("101", &[2])), h.now);
    h.actions();
    h.on(
        Leg::Callback,
        CallEvent::Released {
            cause: Cause::NORMAL_CLEARING,
        },
    );
    assert_eq!(
        h.actions(),
        vec![hang_up(Leg::Transit, Cause::NORMAL_CLEARING)]
    );
    assert_eq!(h.session.record().outcome, Some(Outcome::Cancelled));
}

#[test]
fn keys_from_other_legs_are_not_dialled() {
    let mut h = Harness::to_dial_tone(settings());
    h.session
        .handle_digit(Leg::Trigger, Digit::from_char('1').unwrap(), h.now);
    h.session
        .handle_digit(Leg::Transit, Digit::from_char('1').unwrap(), h.now);
    assert_eq!(h.actions(), vec![]);
}

#[test]
fn phases_are_reported_in_order() {
    let mut h = Harness::new(settings());
    h.advance_to(13 * S);
    h.on(Leg::Callback, CallEvent::Answered);
    let phases: Vec<Phase> = h
        .events()
        .into_iter()
        .filter_map(|e| match e {
            SessionEvent::Phase { to, .. } => Some(to),
            _ => None,
        })
        .collect();
    assert_eq!(
        phases,
        vec![Phase::Waiting, Phase::CallingBack, Phase::Dialling]
    );
}
