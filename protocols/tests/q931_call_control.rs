//! Q.931 call control: a user side (TE) against a network side (NT), in-process, with a
//! virtual clock and a link that loses chosen messages (EN 300 403-1 §5).

use std::time::Duration;

use protocols::call::{
    CallCommand, CallEvent, Cause, Digit, NumberKind, PartyNumber, Presentation,
};
use protocols::q931::ie::{self, InformationElement as Ie};
use protocols::q931::pair::{Direction, Pair};
use protocols::q931::{
    CallId, CallReference, CallReferenceSize, Config, Event, Message, MessageType as M,
    NetworkState, State, UserState,
};

use Direction::{ToNetwork as Up, ToUser as Down};

fn number(digits: &str) -> PartyNumber {
    PartyNumber {
        digits: digits.into(),
        kind: NumberKind::National,
        presentation: Presentation::Allowed,
    }
}

fn originate(called: &str) -> CallCommand {
    CallCommand::Originate {
        called: number(called),
        calling: Some(number("225551000")),
        hide_calling: false,
    }
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// The call events one side reported, without the call ids.
fn call_events(events: &[Event]) -> Vec<CallEvent> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Call(_, event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

/// The id of the first call offered to a side.
fn offered(events: &[Event]) -> CallId {
    events
        .iter()
        .find_map(|e| match e {
            Event::Call(id, CallEvent::Offered { .. }) => Some(*id),
            _ => None,
        })
        .expect("a call was offered")
}

fn released(cause: Cause) -> CallEvent {
    CallEvent::Released { cause }
}

/// The messages of one type that went over the link, decoded.
fn sent(pair: &Pair, message_type: M) -> Vec<Message> {
    pair.log
        .iter()
        .filter_map(|d| Message::decode(&d.bytes).ok())
        .filter(|m| m.message_type == message_type)
        .collect()
}

fn cause_value(message: &Message) -> u8 {
    message.cause().expect("a cause").value
}

fn assert_idle(pair: &Pair) {
    assert_eq!(pair.te.call_count(), 0, "TE still holds calls");
    assert_eq!(pair.nt.call_count(), 0, "NT still holds calls");
    assert_eq!(pair.te.poll_timeout(), None);
    assert_eq!(pair.nt.poll_timeout(), None);
}

/// NT calls the TE; returns the ids on each side with the TE in U6 Call present.
fn incoming(pair: &mut Pair) -> (CallId, CallId) {
    let nt_call = pair.nt.new_call_id();
    pair.nt
        .handle_command(nt_call, originate("601111222"), pair.now)
        .unwrap();
    pair.drive();
    let te_call = offered(&pair.te_events);
    (nt_call, te_call)
}

/// The TE calls out through the NT; returns the ids with the NT in N1 Call initiated.
fn outgoing(pair: &mut Pair) -> (CallId, CallId) {
    let te_call = pair.te.new_call_id();
    pair.te
        .handle_command(te_call, originate("48601111222"), pair.now)
        .unwrap();
    pair.drive();
    let nt_call = offered(&pair.nt_events);
    (te_call, nt_call)
}

/// An incoming call answered by the TE: both sides active.
fn active(pair: &mut Pair) -> (CallId, CallId) {
    let (nt_call, te_call) = incoming(pair);
    pair.te
        .handle_command(te_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    (nt_call, te_call)
}

#[test]
fn incoming_call_is_alerted_and_answered() {
    let mut pair = Pair::basic();
    let (nt_call, te_call) = incoming(&mut pair);
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U6CallPresent))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N6CallPresent))
    );
    assert_eq!(pair.te.channel(te_call), Some(1));
    let CallEvent::Offered {
        called,
        calling,
        cli_trusted,
    } = &call_events(&pair.te_events)[0]
    else {
        panic!("not offered");
    };
    assert_eq!(called.as_ref().unwrap().digits, "601111222");
    assert_eq!(calling.as_ref().unwrap().digits, "225551000");
    assert!(cli_trusted);

    pair.te
        .handle_command(te_call, CallCommand::Alert, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U7CallReceived))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N7CallReceived))
    );

    pair.te
        .handle_command(te_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U10Active))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N10Active))
    );
    assert_eq!(
        call_events(&pair.nt_events),
        [CallEvent::Alerting { in_band: false }, CallEvent::Answered]
    );
    assert_eq!(
        pair.trace(),
        [
            (Down, M::Setup),
            (Up, M::Alerting),
            (Up, M::Connect),
            (Down, M::ConnectAcknowledge)
        ]
    );
    // The TE names the channel in its first response only.
    assert!(
        sent(&pair, M::Alerting)[0]
            .channel_identification()
            .is_some()
    );
    assert!(
        sent(&pair, M::Connect)[0]
            .channel_identification()
            .is_none()
    );
}

#[test]
fn incoming_call_rejected_busy_after_ringing() {
    let mut pair = Pair::basic();
    let (nt_call, te_call) = incoming(&mut pair);
    pair.te
        .handle_command(te_call, CallCommand::Alert, pair.now)
        .unwrap();
    pair.advance(secs(6));
    let busy = CallCommand::Reject {
        cause: Cause::USER_BUSY,
    };
    pair.te.handle_command(te_call, busy, pair.now).unwrap();
    pair.drive();
    assert_eq!(
        pair.trace(),
        [
            (Down, M::Setup),
            (Up, M::Alerting),
            (Up, M::Disconnect),
            (Down, M::Release),
            (Up, M::ReleaseComplete)
        ]
    );
    assert_eq!(cause_value(&sent(&pair, M::Disconnect)[0]), 17);
    assert_eq!(pair.nt.state(nt_call), None);
    assert_eq!(
        call_events(&pair.nt_events),
        [
            CallEvent::Alerting { in_band: false },
            released(Cause::USER_BUSY)
        ]
    );
    assert_eq!(
        call_events(&pair.te_events).last(),
        Some(&released(Cause::USER_BUSY))
    );
    assert_idle(&pair);
}

#[test]
fn incoming_call_rejected_at_once_with_release_complete() {
    let mut pair = Pair::basic();
    let (_, te_call) = incoming(&mut pair);
    let reject = CallCommand::Reject {
        cause: Cause::CALL_REJECTED,
    };
    pair.te.handle_command(te_call, reject, pair.now).unwrap();
    pair.drive();
    assert_eq!(pair.trace(), [(Down, M::Setup), (Up, M::ReleaseComplete)]);
    assert_eq!(cause_value(&sent(&pair, M::ReleaseComplete)[0]), 21);
    assert_eq!(
        call_events(&pair.nt_events),
        [released(Cause::CALL_REJECTED)]
    );
    assert_idle(&pair);
}

#[test]
fn outgoing_call_alerts_and_connects() {
    let mut pair = Pair::basic();
    let (te_call, nt_call) = outgoing(&mut pair);
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U1CallInitiated))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N1CallInitiated))
    );
    let setup = &sent(&pair, M::Setup)[0];
    assert!(setup.sending_complete());
    assert_eq!(setup.called_party_number().unwrap().digits, "48601111222");
    assert_eq!(
        setup.channel_identification(),
        Some(&ie::ChannelIdentification::any(ie::InterfaceType::Basic))
    );

    pair.nt
        .handle_command(nt_call, CallCommand::Alert, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U4CallDelivered))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N4CallDelivered))
    );
    assert_eq!(pair.te.channel(te_call), Some(1));

    pair.advance(secs(10));
    pair.nt
        .handle_command(nt_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U10Active))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N10Active))
    );
    assert_eq!(
        call_events(&pair.te_events),
        [CallEvent::Alerting { in_band: false }, CallEvent::Answered]
    );
    assert_eq!(call_events(&pair.nt_events)[1..], [CallEvent::Answered]);
    assert_eq!(
        pair.trace(),
        [
            (Up, M::Setup),
            (Down, M::Alerting),
            (Down, M::Connect),
            (Up, M::ConnectAcknowledge)
        ]
    );
    // Nothing runs while the call is up (T301 stopped on CONNECT).
    assert_eq!(pair.te.poll_timeout(), None);
}

#[test]
fn overlap_sending() {
    let te = Config {
        overlap_sending: true,
        ..Config::user()
    };
    let nt = Config {
        overlap_receiving: true,
        ..Config::network()
    };
    let mut pair = Pair::new(te, nt);
    let te_call = pair.te.new_call_id();
    pair.te
        .handle_command(te_call, originate("60"), pair.now)
        .unwrap();
    // Digits dialled before SETUP ACKNOWLEDGE arrives are kept and sent after it.
    pair.te
        .handle_command(
            te_call,
            CallCommand::SendDigit(Digit::from_char('1').unwrap()),
            pair.now,
        )
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U2OverlapSending))
    );
    let nt_call = CallId(1);
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N2OverlapSending))
    );
    for c in ['1', '1', '#'] {
        pair.te
            .handle_command(
                te_call,
                CallCommand::SendDigit(Digit::from_char(c).unwrap()),
                pair.now,
            )
            .unwrap();
        pair.advance(secs(1));
    }
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U3OutgoingCallProceeding))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N3OutgoingCallProceeding))
    );
    let CallEvent::Offered { called, .. } = &call_events(&pair.nt_events)[0] else {
        panic!("not offered");
    };
    assert_eq!(called.as_ref().unwrap().digits, "60111");
    assert!(!sent(&pair, M::Setup)[0].sending_complete());
    assert_eq!(sent(&pair, M::Information).len(), 4);
    assert!(sent(&pair, M::Information)[3].sending_complete());
    assert_eq!(call_events(&pair.te_events), [CallEvent::Proceeding]);

    pair.nt
        .handle_command(nt_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U10Active))
    );
}

#[test]
fn overlap_receiving_completes_on_t302() {
    let te = Config {
        overlap_receiving: true,
        ..Config::user()
    };
    let nt = Config {
        overlap_sending: true,
        ..Config::network()
    };
    let mut pair = Pair::new(te, nt);
    let nt_call = pair.nt.new_call_id();
    pair.nt
        .handle_command(nt_call, originate("10"), pair.now)
        .unwrap();
    pair.drive();
    let te_call = CallId(1);
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U25OverlapReceiving))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N25OverlapReceiving))
    );
    pair.nt
        .handle_command(
            nt_call,
            CallCommand::SendDigit(Digit::from_char('1').unwrap()),
            pair.now,
        )
        .unwrap();
    pair.advance(secs(14));
    assert!(
        call_events(&pair.te_events).is_empty(),
        "offered before T302"
    );
    pair.advance(secs(1));
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U9IncomingCallProceeding))
    );
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N9IncomingCallProceeding))
    );
    let CallEvent::Offered { called, .. } = &call_events(&pair.te_events)[0] else {
        panic!("not offered");
    };
    assert_eq!(called.as_ref().unwrap().digits, "101");
    assert_eq!(
        pair.trace(),
        [
            (Down, M::Setup),
            (Up, M::SetupAcknowledge),
            (Down, M::Information),
            (Up, M::CallProceeding)
        ]
    );
    pair.te
        .handle_command(te_call, CallCommand::Alert, pair.now)
        .unwrap();
    pair.te
        .handle_command(te_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N10Active))
    );
}

#[test]
fn user_clears_an_active_call() {
    let mut pair = Pair::basic();
    let (nt_call, te_call) = active(&mut pair);
    let hang_up = CallCommand::HangUp {
        cause: Cause::NORMAL_CLEARING,
    };
    pair.te.handle_command(te_call, hang_up, pair.now).unwrap();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U11DisconnectRequest))
    );
    pair.drive();
    assert_eq!(
        pair.trace()[3..],
        [
            (Up, M::Disconnect),
            (Down, M::Release),
            (Up, M::ReleaseComplete)
        ]
    );
    assert_eq!(
        call_events(&pair.nt_events).last(),
        Some(&released(Cause::NORMAL_CLEARING))
    );
    assert_eq!(pair.nt.state(nt_call), None);
    assert_idle(&pair);
}

#[test]
fn network_clears_with_in_band_tones() {
    let nt = Config {
        in_band_tones: true,
        ..Config::network()
    };
    let mut pair = Pair::new(Config::user(), nt);
    let (nt_call, te_call) = active(&mut pair);
    let hang_up = CallCommand::HangUp {
        cause: Cause::NORMAL_CLEARING,
    };
    pair.nt.handle_command(nt_call, hang_up, pair.now).unwrap();
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N12DisconnectIndication))
    );
    pair.drive();
    let disconnect = &sent(&pair, M::Disconnect)[0];
    assert_eq!(cause_value(disconnect), 16);
    assert_eq!(
        disconnect.progress_indicators().next().unwrap().description,
        ie::IN_BAND_INFORMATION
    );
    assert_eq!(
        pair.trace()[3..],
        [
            (Down, M::Disconnect),
            (Up, M::Release),
            (Down, M::ReleaseComplete)
        ]
    );
    assert_eq!(
        call_events(&pair.te_events).last(),
        Some(&released(Cause::NORMAL_CLEARING))
    );
    assert_eq!(pair.te.state(te_call), None);
    assert_idle(&pair);
}

#[test]
fn lost_setup_is_sent_again_on_t303() {
    let mut pair = Pair::basic();
    pair.drop_next(Up, M::Setup);
    let te_call = pair.te.new_call_id();
    pair.te
        .handle_command(te_call, originate("123"), pair.now)
        .unwrap();
    pair.advance(secs(3));
    assert_eq!(pair.nt.call_count(), 0);
    pair.advance(secs(1));
    assert_eq!(pair.nt.call_count(), 1, "SETUP resent at T303 = 4 s");
    let setups: Vec<_> = pair
        .log
        .iter()
        .filter(|d| d.message_type() == Some(M::Setup))
        .collect();
    assert_eq!((setups[0].at, setups[1].at), (secs(0), secs(4)));
    assert_eq!(setups[0].bytes, setups[1].bytes);
    let nt_call = offered(&pair.nt_events);
    pair.nt
        .handle_command(nt_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U10Active))
    );
}

#[test]
fn setup_lost_twice_clears_with_cause_102() {
    let mut pair = Pair::basic();
    pair.drop_next(Up, M::Setup);
    pair.drop_next(Up, M::Setup);
    let te_call = pair.te.new_call_id();
    pair.te
        .handle_command(te_call, originate("123"), pair.now)
        .unwrap();
    pair.advance(Duration::from_millis(7999));
    assert!(call_events(&pair.te_events).is_empty());
    pair.advance(Duration::from_millis(1));
    assert_eq!(
        call_events(&pair.te_events),
        [released(Cause::RECOVERY_ON_TIMER_EXPIRY)]
    );
    let release_complete = &sent(&pair, M::ReleaseComplete)[0];
    assert_eq!(cause_value(release_complete), 102);
    assert_eq!(pair.log.last().unwrap().at, secs(8));
    assert_idle(&pair);
}

#[test]
fn lost_release_is_sent_again_on_t308() {
    let mut pair = Pair::basic();
    let (_, te_call) = active(&mut pair);
    pair.drop_next(Down, M::Release);
    let hang_up = CallCommand::HangUp {
        cause: Cause::NORMAL_CLEARING,
    };
    pair.te.handle_command(te_call, hang_up, pair.now).unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U11DisconnectRequest))
    );
    pair.advance(secs(4));
    let releases: Vec<_> = pair
        .log
        .iter()
        .filter(|d| d.message_type() == Some(M::Release))
        .collect();
    assert_eq!(releases.len(), 2);
    assert!(releases[0].dropped && !releases[1].dropped);
    assert_eq!(releases[1].at - releases[0].at, secs(4));
    assert_idle(&pair);
}

#[test]
fn release_lost_twice_releases_the_call_reference() {
    let mut pair = Pair::basic();
    let (nt_call, _) = active(&mut pair);
    pair.drop_next(Up, M::Release);
    pair.drop_next(Up, M::Release);
    let hang_up = CallCommand::HangUp {
        cause: Cause::NORMAL_CLEARING,
    };
    pair.nt.handle_command(nt_call, hang_up, pair.now).unwrap();
    pair.advance(secs(8));
    // The TE gave up after two RELEASEs; the NT still waits in N12 for T305.
    assert_eq!(pair.te.call_count(), 0);
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N12DisconnectIndication))
    );
    pair.advance(secs(30));
    // T305: the NT sends RELEASE itself; the TE has no such call and completes it.
    assert_eq!(
        pair.trace()[pair.trace().len() - 2..],
        [(Down, M::Release), (Up, M::ReleaseComplete)]
    );
    assert_idle(&pair);
}

#[test]
fn status_enquiry_is_answered_with_status() {
    let mut pair = Pair::basic();
    let (nt_call, te_call) = active(&mut pair);
    pair.nt.enquire(nt_call, pair.now).unwrap();
    pair.drive();
    let status = &sent(&pair, M::Status)[0];
    assert_eq!(cause_value(status), 30);
    assert_eq!(status.call_state().unwrap().value, 10);
    assert_eq!(
        pair.nt.state(nt_call),
        Some(State::Network(NetworkState::N10Active))
    );
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U10Active))
    );
}

#[test]
fn status_with_an_incompatible_state_clears_the_call() {
    let mut pair = Pair::basic();
    let (nt_call, te_call) = active(&mut pair);
    // The network claims the call is still in N3 while the user is in U10.
    let reference = CallReference::new(CallReferenceSize::One, 1, false).unwrap();
    let status = Message::new(reference, M::Status)
        .with(Ie::Cause(ie::Cause::new(
            ie::Location::PublicLocal,
            Cause::new(30).unwrap(),
        )))
        .with(Ie::CallState(ie::CallState::new(3)));
    pair.te
        .handle_receive(&status.encode().unwrap(), pair.now)
        .unwrap();
    pair.drive();
    let release = &sent(&pair, M::Release)[0];
    assert_eq!(cause_value(release), 101);
    assert_eq!(
        call_events(&pair.te_events).last(),
        Some(&released(Cause::MESSAGE_NOT_COMPATIBLE_WITH_CALL_STATE))
    );
    assert_eq!(pair.nt.state(nt_call), None);
    assert_eq!(pair.te.state(te_call), None);
    assert_idle(&pair);
}

#[test]
fn status_in_null_state_releases_the_call() {
    let mut pair = Pair::basic();
    let (_, te_call) = active(&mut pair);
    let reference = CallReference::new(CallReferenceSize::One, 1, false).unwrap();
    let status = Message::new(reference, M::Status)
        .with(Ie::Cause(ie::Cause::new(
            ie::Location::PublicLocal,
            Cause::INVALID_CALL_REFERENCE,
        )))
        .with(Ie::CallState(ie::CallState::new(0)));
    pair.te
        .handle_receive(&status.encode().unwrap(), pair.now)
        .unwrap();
    assert_eq!(pair.te.state(te_call), None);
}

#[test]
fn restart_of_a_channel_releases_its_call() {
    let mut pair = Pair::basic();
    let (nt_call, te_call) = active(&mut pair);
    assert_eq!(pair.nt.channel(nt_call), Some(1));
    pair.nt.restart(Some(1), pair.now);
    pair.drive();
    assert_eq!(
        pair.trace()[3..],
        [(Down, M::Restart), (Up, M::RestartAcknowledge)]
    );
    let ack = &sent(&pair, M::RestartAcknowledge)[0];
    assert_eq!(
        ack.restart_indicator().unwrap().class,
        ie::RestartClass::IndicatedChannels
    );
    assert_eq!(ack.channel_identification().unwrap().channel(), Some(1));
    assert!(ack.call_reference.is_global() && ack.call_reference.flag());
    assert_eq!(pair.te.state(te_call), None);
    assert!(
        pair.te_events
            .contains(&Event::RestartReceived { channel: Some(1) })
    );
    assert!(
        pair.te_events
            .contains(&Event::Call(te_call, released(Cause::TEMPORARY_FAILURE)))
    );
    assert!(pair.nt_events.contains(&Event::RestartAcknowledged));
    assert_idle(&pair);
}

#[test]
fn unacknowledged_restart_is_sent_twice_then_fails() {
    let mut pair = Pair::basic();
    pair.drop_next(Down, M::Restart);
    pair.drop_next(Down, M::Restart);
    pair.nt.restart(None, pair.now);
    pair.advance(secs(240));
    assert_eq!(sent(&pair, M::Restart).len(), 2);
    assert_eq!(pair.nt_events, [Event::RestartFailed]);
    assert_idle(&pair);
}

#[test]
fn calls_are_kept_apart_by_call_reference_and_channel() {
    let mut pair = Pair::basic();
    let (a_nt, a_te) = active(&mut pair);
    let (b_te, b_nt) = outgoing(&mut pair);
    pair.nt
        .handle_command(b_nt, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        (pair.te.channel(a_te), pair.te.channel(b_te)),
        (Some(1), Some(2))
    );
    assert_eq!(pair.te.call_count(), 2);
    // Both call references have value 1, told apart by the flag.
    let refs: Vec<_> = sent(&pair, M::Setup)
        .iter()
        .map(|m| m.call_reference)
        .collect();
    assert_eq!(refs[0].value(), refs[1].value());
    // A third call finds no free B channel.
    let c_nt = pair.nt.new_call_id();
    pair.nt
        .handle_command(c_nt, originate("1"), pair.now)
        .unwrap();
    pair.drive();
    assert!(
        pair.nt_events
            .contains(&Event::Call(c_nt, released(Cause::NO_CIRCUIT_AVAILABLE)))
    );
    for (side_is_te, id) in [(true, b_te), (false, a_nt)] {
        let hang_up = CallCommand::HangUp {
            cause: Cause::NORMAL_CLEARING,
        };
        if side_is_te {
            pair.te.handle_command(id, hang_up, pair.now).unwrap();
        } else {
            pair.nt.handle_command(id, hang_up, pair.now).unwrap();
        }
        pair.drive();
    }
    assert_idle(&pair);
}

#[test]
fn messages_for_unknown_calls_are_refused() {
    let mut pair = Pair::basic();
    let reference = CallReference::new(CallReferenceSize::One, 9, true).unwrap();
    let connect = Message::new(reference, M::Connect).encode().unwrap();
    pair.te.handle_receive(&connect, pair.now).unwrap();
    let reply = Message::decode(&pair.te.poll_transmit().unwrap()).unwrap();
    assert_eq!(reply.message_type, M::ReleaseComplete);
    assert_eq!(cause_value(&reply), 81);
    assert_eq!(reply.call_reference, reference.reversed());
}

#[test]
fn invalid_setup_is_refused_with_its_cause() {
    let mut pair = Pair::basic();
    // SETUP without a bearer capability: mandatory element missing (#96).
    let setup = [0x08, 0x01, 0x03, 0x05, 0x18, 0x01, 0x89];
    let error = pair.te.handle_receive(&setup, pair.now).unwrap_err();
    assert_eq!(error.cause().value(), 96);
    let reply = Message::decode(&pair.te.poll_transmit().unwrap()).unwrap();
    assert_eq!(
        (reply.message_type, cause_value(&reply)),
        (M::ReleaseComplete, 96)
    );
    assert_eq!(pair.te.call_count(), 0);
}

#[test]
fn unexpected_message_gets_status_101() {
    let mut pair = Pair::basic();
    let (_, te_call) = incoming(&mut pair);
    // CONNECT ACKNOWLEDGE towards a TE in U6 is out of place.
    let reference = CallReference::new(CallReferenceSize::One, 1, false).unwrap();
    let ack = Message::new(reference, M::ConnectAcknowledge)
        .encode()
        .unwrap();
    let error = pair.te.handle_receive(&ack, pair.now).unwrap_err();
    assert_eq!(error.cause().value(), 101);
    let status = Message::decode(&pair.te.poll_transmit().unwrap()).unwrap();
    assert_eq!(
        (status.message_type, cause_value(&status)),
        (M::Status, 101)
    );
    assert_eq!(status.call_state().unwrap().value, 6);
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U6CallPresent))
    );
}

#[test]
fn digits_in_an_active_call_use_keypad_facility() {
    let mut pair = Pair::basic();
    let (nt_call, _) = active(&mut pair);
    pair.nt
        .handle_command(
            nt_call,
            CallCommand::SendDigit(Digit::from_char('5').unwrap()),
            pair.now,
        )
        .unwrap();
    pair.drive();
    assert_eq!(
        call_events(&pair.te_events).last(),
        Some(&CallEvent::Digit(Digit::from_char('5').unwrap()))
    );
}

#[test]
fn unanswered_outgoing_call_clears_on_t301() {
    let mut pair = Pair::basic();
    let (te_call, nt_call) = outgoing(&mut pair);
    pair.nt
        .handle_command(nt_call, CallCommand::Alert, pair.now)
        .unwrap();
    pair.advance(secs(179));
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U4CallDelivered))
    );
    pair.advance(secs(1));
    assert_eq!(cause_value(&sent(&pair, M::Disconnect)[0]), 102);
    assert_idle(&pair);
}

#[test]
fn repeated_setup_is_ignored() {
    let mut pair = Pair::basic();
    pair.drop_next(Down, M::Alerting);
    let te_call = pair.te.new_call_id();
    pair.te
        .handle_command(te_call, originate("123"), pair.now)
        .unwrap();
    pair.drive();
    let nt_call = offered(&pair.nt_events);
    pair.nt
        .handle_command(nt_call, CallCommand::Alert, pair.now)
        .unwrap();
    // The ALERTING is lost: T303 sends the SETUP again, which the NT ignores.
    pair.advance(secs(4));
    assert_eq!(sent(&pair, M::Setup).len(), 2);
    assert!(sent(&pair, M::Status).is_empty());
    assert_eq!(pair.nt.call_count(), 1);
    pair.nt
        .handle_command(nt_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U10Active))
    );
}

#[test]
fn no_answer_after_call_proceeding_clears_on_t310() {
    let te = Config {
        overlap_sending: true,
        ..Config::user()
    };
    let nt = Config {
        overlap_receiving: true,
        ..Config::network()
    };
    let mut pair = Pair::new(te, nt);
    let te_call = pair.te.new_call_id();
    pair.te
        .handle_command(te_call, originate("12"), pair.now)
        .unwrap();
    pair.te
        .handle_command(
            te_call,
            CallCommand::SendDigit(Digit::from_char('#').unwrap()),
            pair.now,
        )
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U3OutgoingCallProceeding))
    );
    pair.advance(Duration::from_millis(29_999));
    assert!(sent(&pair, M::Disconnect).is_empty());
    pair.advance(Duration::from_millis(1));
    let disconnect = &sent(&pair, M::Disconnect)[0];
    assert_eq!(cause_value(disconnect), 102);
    assert_eq!(
        call_events(&pair.te_events).last(),
        Some(&released(Cause::RECOVERY_ON_TIMER_EXPIRY))
    );
    assert_idle(&pair);
}

#[test]
fn lost_connect_acknowledge_clears_on_t313() {
    let mut pair = Pair::basic();
    let (_, te_call) = incoming(&mut pair);
    pair.drop_next(Down, M::ConnectAcknowledge);
    pair.te
        .handle_command(te_call, CallCommand::Answer, pair.now)
        .unwrap();
    pair.drive();
    assert_eq!(
        pair.te.state(te_call),
        Some(State::User(UserState::U8ConnectRequest))
    );
    pair.advance(secs(4));
    assert_eq!(cause_value(&sent(&pair, M::Disconnect)[0]), 102);
    assert_eq!(sent(&pair, M::Disconnect).len(), 1);
    assert_idle(&pair);
}

#[test]
fn primary_rate_uses_two_octet_references_and_channel_numbers() {
    let pri = |c: Config| Config {
        interface: ie::InterfaceType::Primary,
        ..c
    };
    let mut pair = Pair::new(pri(Config::user()), pri(Config::network()));
    let (nt_call, te_call) = active(&mut pair);
    let setup = &sent(&pair, M::Setup)[0];
    assert_eq!(setup.call_reference.size(), CallReferenceSize::Two);
    assert_eq!(
        setup.channel_identification(),
        Some(&ie::ChannelIdentification::primary(1, true))
    );
    assert_eq!(
        (pair.nt.channel(nt_call), pair.te.channel(te_call)),
        (Some(1), Some(1))
    );
    let hang_up = CallCommand::HangUp {
        cause: Cause::NORMAL_CLEARING,
    };
    pair.te.handle_command(te_call, hang_up, pair.now).unwrap();
    pair.drive();
    assert_idle(&pair);
}
