//! Outgoing calls (the node as UAC), keepalive and in-dialog requests, against a second
//! user agent playing the operator.

mod sip_ua_harness;

use std::time::Duration;

use protocols::call::{CallEvent, Cause, Digit};
use protocols::sdp::accept_answer;
use protocols::sip::ua::{CallId, UaCommand, UaEvent};
use sip_ua_harness::*;

/// The node calls +48601234567; returns (node's call, operator's call).
fn call_out(pair: &mut Pair) -> (CallId, CallId) {
    let now = pair.now;
    let out = pair.node.originate(
        &international("48601234567"),
        Some(&international("48225551000")),
        false,
        offer(20000),
        now,
    );
    pair.shuttle();
    (out, pair.offered_to_operator())
}

/// The operator rings and answers with an answer to the node's offer.
fn answer(pair: &mut Pair, incoming: CallId) {
    let now = pair.now;
    pair.operator.command(incoming, UaCommand::Alert, now);
    let theirs = remote_media(&pair.operator_events, incoming).remove(0);
    let answer = media(40000).answer(&theirs, 7, 1).unwrap();
    pair.operator
        .command(incoming, UaCommand::Answer(Box::new(answer.sdp)), now);
    pair.shuttle();
}

#[test]
fn invite_carries_the_number_format_pai_and_capabilities() {
    let mut pair = Pair::new();
    call_out(&mut pair);
    let invite = &pair.sent("INVITE ")[0];
    for line in [
        "INVITE sip:+48601234567@127.0.0.1:5070;user=phone SIP/2.0\r\n",
        "To: <sip:+48601234567@127.0.0.1:5070;user=phone>\r\n",
        "From: <sip:+48225551000@127.0.0.1:5060;user=phone>;tag=",
        "P-Asserted-Identity: <sip:+48225551000@127.0.0.1:5060;user=phone>\r\n",
        "Max-Forwards: 70\r\n",
        "CSeq: 1 INVITE\r\n",
        "Contact: <sip:callbackd@127.0.0.1:5060>\r\n",
        "Supported: 100rel\r\n",
        "Allow: INVITE\r\n",
        "User-Agent: callbackd\r\n",
        "Content-Type: application/sdp\r\n",
    ] {
        assert!(invite.contains(line), "{line} missing in\n{invite}");
    }
    assert!(!invite.contains("Privacy"));
}

#[test]
fn answered_call_round_trips_sdp_and_the_node_hangs_up() {
    let mut pair = Pair::new();
    let (out, incoming) = call_out(&mut pair);
    answer(&mut pair, incoming);
    let events = Pair::call_events(&pair.node_events, out);
    assert_eq!(
        events,
        vec![
            CallEvent::Proceeding,
            CallEvent::Alerting { in_band: false },
            CallEvent::Answered
        ]
    );
    let answer = remote_media(&pair.node_events, out);
    assert_eq!(answer.len(), 1);
    let negotiated = accept_answer(&offer(20000), &answer[0]).unwrap();
    assert_eq!(negotiated.remote_port, 40000);
    assert_eq!(pair.sent("ACK ").len(), 1);
    assert!(Pair::call_events(&pair.operator_events, incoming).contains(&CallEvent::Answered));
    let now = pair.now;
    pair.node
        .command(out, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    pair.shuttle();
    let bye = pair.sent("BYE ");
    assert_eq!(bye.len(), 1);
    assert!(bye[0].contains("Reason: Q.850;cause=16;"));
    assert!(bye[0].contains("CSeq: 2 BYE"));
    assert_eq!(
        Pair::call_events(&pair.operator_events, incoming).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    assert_eq!(
        Pair::call_events(&pair.node_events, out).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    pair.assert_no_leak();
}

#[test]
fn answered_call_the_far_end_hangs_up() {
    let mut pair = Pair::new();
    let (out, incoming) = call_out(&mut pair);
    answer(&mut pair, incoming);
    let now = pair.now;
    pair.operator
        .command(incoming, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    pair.shuttle();
    assert_eq!(pair.sent("BYE ").len(), 1);
    assert_eq!(
        Pair::call_events(&pair.node_events, out).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    pair.assert_no_leak();
}

#[test]
fn answered_calls_survive_a_lossy_link() {
    let mut pair = Pair::new();
    pair.loss = 20;
    let mut answered = 0;
    for _ in 0..20 {
        let now = pair.now;
        let before = pair.operator_events.len();
        let out = pair.node.originate(
            &international("48601234567"),
            None,
            false,
            offer(20000),
            now,
        );
        pair.run_for(Duration::from_secs(5));
        let incoming = pair.operator_events[before..].iter().find_map(|e| match e {
            UaEvent::Call(id, CallEvent::Offered { .. }) => Some(*id),
            _ => None,
        });
        if let Some(incoming) = incoming {
            answer(&mut pair, incoming);
            pair.run_for(Duration::from_secs(5));
        }
        let now = pair.now;
        pair.node
            .command(out, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
        pair.run_for(Duration::from_secs(40));
        let events = Pair::call_events(&pair.node_events, out);
        answered += usize::from(events.contains(&CallEvent::Answered));
        let released = events
            .iter()
            .filter(|e| matches!(e, CallEvent::Released { .. }))
            .count();
        assert_eq!(released, 1, "{events:?}");
    }
    assert!(answered >= 15, "only {answered} of 20 answered");
    pair.assert_no_leak();
}

#[test]
fn busy_far_end_is_cause_17() {
    let mut pair = Pair::new();
    let (out, incoming) = call_out(&mut pair);
    let now = pair.now;
    pair.operator
        .command(incoming, UaCommand::Reject(Cause::USER_BUSY), now);
    pair.shuttle();
    assert_eq!(
        Pair::call_events(&pair.node_events, out).last(),
        Some(&CallEvent::Released {
            cause: Cause::USER_BUSY
        })
    );
    pair.assert_no_leak();
}

#[test]
fn no_response_at_all_is_cause_102_after_64_t1() {
    let mut pair = Pair::new();
    pair.loss = 100;
    let (out, _) = {
        let now = pair.now;
        let out = pair.node.originate(
            &international("48601234567"),
            None,
            false,
            offer(20000),
            now,
        );
        (out, ())
    };
    pair.run_until(Duration::from_secs(31));
    assert!(Pair::call_events(&pair.node_events, out).is_empty());
    pair.run_until(Duration::from_secs(33));
    assert_eq!(
        Pair::call_events(&pair.node_events, out),
        vec![CallEvent::Released {
            cause: Cause::RECOVERY_ON_TIMER_EXPIRY
        }]
    );
    assert_eq!(pair.node.calls(), 0);
}

#[test]
fn hang_up_while_ringing_cancels_the_invite() {
    let mut pair = Pair::new();
    let (out, incoming) = call_out(&mut pair);
    let now = pair.now;
    pair.operator.command(incoming, UaCommand::Alert, now);
    pair.shuttle();
    pair.node
        .command(out, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    pair.shuttle();
    let cancel = pair.sent("CANCEL ");
    assert_eq!(cancel.len(), 1);
    assert!(cancel[0].contains("CSeq: 1 CANCEL"));
    assert!(cancel[0].contains("Reason: Q.850;cause=16"));
    assert_eq!(pair.sent("SIP/2.0 487").len(), 1);
    assert_eq!(
        Pair::call_events(&pair.node_events, out),
        vec![
            CallEvent::Proceeding,
            CallEvent::Alerting { in_band: false },
            CallEvent::Released {
                cause: Cause::NORMAL_CLEARING
            }
        ]
    );
    assert_eq!(
        Pair::call_events(&pair.operator_events, incoming).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    pair.assert_no_leak();
}

#[test]
fn hang_up_before_any_provisional_cancels_when_the_first_one_comes() {
    let mut pair = Pair::new();
    let now = pair.now;
    let out = pair.node.originate(
        &international("48601234567"),
        None,
        false,
        offer(20000),
        now,
    );
    // Nothing delivered yet: the INVITE is still on the node's side.
    pair.node
        .command(out, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    assert_eq!(
        pair.node.poll_event(),
        Some(UaEvent::Call(
            out,
            CallEvent::Released {
                cause: Cause::NORMAL_CLEARING
            }
        ))
    );
    let invite = pair.node.poll_transmit().unwrap();
    assert!(
        pair.node.poll_transmit().is_none(),
        "no CANCEL before a provisional"
    );
    let node = pair.node.config().local;
    pair.operator.handle_input(invite.payload, node, now);
    pair.shuttle(); // the operator's 100 Trying reaches the node, which now cancels
    assert_eq!(pair.sent("CANCEL ").len(), 1);
    assert_eq!(pair.sent("SIP/2.0 487").len(), 1);
    pair.assert_no_leak();
}

#[test]
fn a_2xx_racing_the_cancel_is_acked_then_byed() {
    let mut pair = Pair::new();
    let (out, incoming) = call_out(&mut pair);
    let now = pair.now;
    pair.operator.command(incoming, UaCommand::Alert, now);
    pair.shuttle();
    // The operator answers; its 200 is in flight when the node hangs up.
    let theirs = remote_media(&pair.operator_events, incoming).remove(0);
    let answer = media(40000).answer(&theirs, 7, 1).unwrap();
    pair.operator
        .command(incoming, UaCommand::Answer(Box::new(answer.sdp)), now);
    let ok = pair.operator.poll_transmit().unwrap();
    assert!(ok.payload.starts_with(b"SIP/2.0 200"));
    pair.node
        .command(out, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    pair.shuttle(); // the CANCEL reaches the operator, too late (200 to it, no 487)
    assert!(pair.sent("SIP/2.0 487").is_empty());
    let operator = pair.operator.config().local;
    pair.node.handle_input(ok.payload, operator, now);
    pair.shuttle();
    let wire: Vec<&str> = pair
        .wire
        .iter()
        .filter(|(from, _)| *from == pair.node.config().local)
        .map(|(_, b)| std::str::from_utf8(&b[..3]).unwrap())
        .collect();
    assert_eq!(wire[wire.len() - 2..], ["ACK", "BYE"]);
    let node_events = Pair::call_events(&pair.node_events, out);
    assert!(!node_events.contains(&CallEvent::Answered));
    assert_eq!(
        node_events.last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    assert_eq!(
        Pair::call_events(&pair.operator_events, incoming).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    pair.assert_no_leak();
}

#[test]
fn info_digits_both_ways() {
    let mut pair = Pair::new();
    let (out, incoming) = call_out(&mut pair);
    answer(&mut pair, incoming);
    let now = pair.now;
    for c in ['5', '#'] {
        let digit = Digit::from_char(c).unwrap();
        pair.operator
            .command(incoming, UaCommand::SendInfoDigit(digit), now);
        pair.node.command(out, UaCommand::SendInfoDigit(digit), now);
    }
    pair.shuttle();
    let info = pair.sent("INFO ");
    assert_eq!(info.len(), 4);
    assert!(info[0].contains("Content-Type: application/dtmf-relay\r\n"));
    assert!(info[0].ends_with("\r\n\r\nSignal=5\r\nDuration=160\r\n"));
    let digits = |events: &[CallEvent]| -> String {
        events
            .iter()
            .filter_map(|e| match e {
                CallEvent::Digit(d) => Some(d.as_char()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(digits(&Pair::call_events(&pair.node_events, out)), "5#");
    assert_eq!(
        digits(&Pair::call_events(&pair.operator_events, incoming)),
        "5#"
    );
    let info_ok = pair
        .sent("SIP/2.0 200 OK")
        .iter()
        .filter(|m| {
            m.lines()
                .any(|l| l.starts_with("CSeq:") && l.ends_with(" INFO"))
        })
        .count();
    assert_eq!(info_ok, 4);
}

#[test]
fn keepalive_reports_the_trunk_up_then_down_then_up() {
    let mut config = node_config();
    config.keepalive = Some(Duration::from_secs(30));
    let mut pair = Pair::with(config, operator_config(OPERATOR));
    let now = pair.now;
    pair.node.start(now);
    pair.shuttle();
    assert_eq!(pair.sent("OPTIONS ").len(), 1);
    assert_eq!(pair.node_events, vec![UaEvent::TrunkState(true)]);
    pair.run_until(Duration::from_secs(65));
    assert_eq!(pair.sent("OPTIONS ").len(), 3, "every 30 s");
    assert_eq!(pair.node_events.len(), 1, "reported on change only");
    pair.loss = 100;
    pair.run_until(Duration::from_secs(90 + 33));
    assert_eq!(
        pair.node_events,
        vec![UaEvent::TrunkState(true), UaEvent::TrunkState(false)]
    );
    pair.loss = 0;
    pair.run_until(Duration::from_secs(200));
    assert_eq!(pair.node_events.last(), Some(&UaEvent::TrunkState(true)));
    assert_eq!(pair.node.calls(), 0);
}
