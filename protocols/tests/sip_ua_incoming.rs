//! Incoming calls (the node as UAS) against a second user agent playing the operator.

mod sip_ua_harness;

use std::time::Duration;

use protocols::call::{CallEvent, Cause, NumberKind, Presentation};
use protocols::sip::ua::{UaCommand, UaEvent};
use sip_ua_harness::*;

/// The operator calls the trigger number from a mobile and returns the node's call id.
fn trigger(
    pair: &mut Pair,
    hide: bool,
) -> (protocols::sip::ua::CallId, protocols::sip::ua::CallId) {
    let now = pair.now;
    let out = pair.operator.originate(
        &international("48225551000"),
        Some(&international("48601111222")),
        hide,
        offer(30000),
        now,
    );
    pair.shuttle();
    (out, pair.offered_to_node())
}

#[test]
fn trusted_cli_rings_then_busy_with_reason_then_ack_and_no_leak() {
    let mut pair = Pair::new();
    let (out, call) = trigger(&mut pair, false);
    let events = Pair::call_events(&pair.node_events, call);
    assert_eq!(
        events[0],
        CallEvent::Offered {
            called: Some(international("48225551000")),
            calling: Some(international("48601111222")),
            cli_trusted: true,
        }
    );
    assert_eq!(remote_media(&pair.node_events, call).len(), 1, "the offer");
    let now = pair.now;
    pair.node.command(call, UaCommand::Alert, now);
    pair.shuttle();
    assert_eq!(pair.sent("SIP/2.0 180 Ringing").len(), 1);
    assert!(
        Pair::call_events(&pair.operator_events, out)
            .contains(&CallEvent::Alerting { in_band: false })
    );
    pair.node
        .command(call, UaCommand::Reject(Cause::USER_BUSY), now);
    pair.shuttle();
    let busy = pair.sent("SIP/2.0 486 Busy Here");
    assert_eq!(busy.len(), 1);
    assert!(
        busy[0].contains("Reason: Q.850;cause=17;text=\"User busy\"\r\n"),
        "{}",
        busy[0]
    );
    assert_eq!(
        pair.sent("ACK ").len(),
        1,
        "the operator's layer ACKs the 486"
    );
    assert_eq!(
        Pair::call_events(&pair.node_events, call).last(),
        Some(&CallEvent::Released {
            cause: Cause::USER_BUSY
        })
    );
    assert_eq!(
        Pair::call_events(&pair.operator_events, out).last(),
        Some(&CallEvent::Released {
            cause: Cause::USER_BUSY
        })
    );
    pair.assert_no_leak();
}

#[test]
fn cli_from_another_address_is_not_trusted_and_pai_is_ignored() {
    let mut pair = Pair::with(node_config(), operator_config(STRANGER));
    let (_, call) = trigger(&mut pair, true);
    let CallEvent::Offered {
        calling,
        cli_trusted,
        ..
    } = &Pair::call_events(&pair.node_events, call)[0]
    else {
        panic!("not offered")
    };
    assert!(!cli_trusted);
    // Hidden: the From is anonymous and the PAI (with the number) is not believed.
    let calling = calling.clone().unwrap();
    assert_eq!(calling.digits, "");
    assert_eq!(calling.presentation, Presentation::Restricted);
}

#[test]
fn withheld_cli_from_the_peer_keeps_the_asserted_number_restricted() {
    let mut pair = Pair::new();
    let (_, call) = trigger(&mut pair, true);
    let invite = &pair.sent("INVITE ")[0];
    assert!(invite.contains("Privacy: id\r\n"));
    assert!(invite.contains("From: \"Anonymous\" <sip:anonymous@anonymous.invalid>;tag="));
    assert!(invite.contains("P-Asserted-Identity: <sip:+48601111222@127.0.0.1:5070;user=phone>"));
    let CallEvent::Offered {
        calling,
        cli_trusted,
        ..
    } = &Pair::call_events(&pair.node_events, call)[0]
    else {
        panic!("not offered")
    };
    assert!(cli_trusted);
    let calling = calling.clone().unwrap();
    assert_eq!(calling.digits, "48601111222");
    assert_eq!(calling.kind, NumberKind::International);
    assert_eq!(calling.presentation, Presentation::Restricted);
}

#[test]
fn untrusted_trunk_never_vouches() {
    let mut config = node_config();
    config.trusted_cli = false;
    let mut pair = Pair::with(config, operator_config(OPERATOR));
    let (_, call) = trigger(&mut pair, false);
    let CallEvent::Offered {
        calling,
        cli_trusted,
        ..
    } = &Pair::call_events(&pair.node_events, call)[0]
    else {
        panic!()
    };
    assert!(!cli_trusted);
    assert_eq!(
        calling.as_ref().unwrap().digits,
        "48601111222",
        "From is still read"
    );
}

#[test]
fn caller_hangs_up_while_ringing_cancel_gets_200_and_487() {
    let mut pair = Pair::new();
    let (out, call) = trigger(&mut pair, false);
    let now = pair.now;
    pair.node.command(call, UaCommand::Alert, now);
    pair.shuttle();
    pair.operator
        .command(out, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    pair.shuttle();
    assert_eq!(pair.sent("CANCEL ").len(), 1);
    assert!(
        pair.sent("SIP/2.0 200 OK")
            .iter()
            .any(|m| m.contains("CSeq: 1 CANCEL"))
    );
    assert_eq!(pair.sent("SIP/2.0 487").len(), 1);
    assert_eq!(
        Pair::call_events(&pair.node_events, call).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_CLEARING
        })
    );
    // A late reject does nothing.
    pair.node
        .command(call, UaCommand::Reject(Cause::USER_BUSY), now);
    pair.shuttle();
    assert!(pair.sent("SIP/2.0 486").is_empty());
    let released = Pair::call_events(&pair.node_events, call)
        .iter()
        .filter(|e| matches!(e, CallEvent::Released { .. }))
        .count();
    assert_eq!(released, 1);
    pair.assert_no_leak();
}

#[test]
fn decline_sends_603_and_cause_21() {
    let mut pair = Pair::new();
    let (out, call) = trigger(&mut pair, false);
    let now = pair.now;
    pair.node.command(call, UaCommand::Decline, now);
    pair.shuttle();
    assert_eq!(pair.sent("SIP/2.0 603 Decline").len(), 1);
    assert_eq!(
        Pair::call_events(&pair.operator_events, out).last(),
        Some(&CallEvent::Released {
            cause: Cause::CALL_REJECTED
        })
    );
    pair.assert_no_leak();
}

#[test]
fn reject_with_cause_21_sends_403() {
    let mut pair = Pair::new();
    let (_, call) = trigger(&mut pair, false);
    let now = pair.now;
    pair.node
        .command(call, UaCommand::Reject(Cause::CALL_REJECTED), now);
    pair.shuttle();
    let forbidden = pair.sent("SIP/2.0 403");
    assert_eq!(forbidden.len(), 1);
    assert!(forbidden[0].contains("Reason: Q.850;cause=21"));
    pair.assert_no_leak();
}

#[test]
fn every_trigger_is_rejected_over_a_lossy_link_and_nothing_leaks() {
    let mut pair = Pair::new();
    pair.loss = 25;
    for _ in 0..30 {
        let (out, call) = trigger_lossy(&mut pair);
        let Some(call) = call else {
            pair.run_for(Duration::from_secs(40));
            assert!(
                Pair::call_events(&pair.operator_events, out)
                    .iter()
                    .any(|e| matches!(e, CallEvent::Released { .. }))
            );
            continue;
        };
        let now = pair.now;
        pair.node.command(call, UaCommand::Alert, now);
        pair.node
            .command(call, UaCommand::Reject(Cause::USER_BUSY), now);
        pair.run_for(Duration::from_secs(40));
        let released = Pair::call_events(&pair.operator_events, out);
        assert!(
            released.contains(&CallEvent::Released {
                cause: Cause::USER_BUSY
            }) || released.contains(&CallEvent::Released {
                cause: Cause::RECOVERY_ON_TIMER_EXPIRY
            }),
            "{released:?}"
        );
    }
    pair.assert_no_leak();
}

/// Like `trigger`, but the INVITE may be lost for good (then no call is offered).
fn trigger_lossy(
    pair: &mut Pair,
) -> (
    protocols::sip::ua::CallId,
    Option<protocols::sip::ua::CallId>,
) {
    let before = pair.node_events.len();
    let now = pair.now;
    let out = pair.operator.originate(
        &international("48225551000"),
        Some(&international("48601111222")),
        false,
        offer(30000),
        now,
    );
    pair.run_for(Duration::from_secs(10));
    let offered = pair.node_events[before..].iter().find_map(|e| match e {
        UaEvent::Call(id, CallEvent::Offered { .. }) => Some(*id),
        _ => None,
    });
    (out, offered)
}
