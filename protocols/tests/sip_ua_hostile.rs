//! Hostile input through the public API: random bytes, mangled messages and random
//! command sequences never panic, and every call still ends and is dropped.

mod sip_ua_harness;

use std::time::{Duration, Instant};

use bytes::Bytes;
use proptest::prelude::*;
use protocols::call::{Cause, Digit};
use protocols::sip::ua::{CallId, UaCommand, UaEvent, UserAgent};
use sip_ua_harness::*;

const TEMPLATES: [&str; 6] = [
    "INVITE sip:+48225551000@127.0.0.1:5060;user=phone SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\nMax-Forwards: 70\r\nFrom: <sip:+48601111222@127.0.0.1:5070>;tag=op1\r\nTo: <sip:+48225551000@127.0.0.1:5060>\r\nCall-ID: t1@127.0.0.1\r\nCSeq: 10 INVITE\r\nContact: <sip:gw@127.0.0.1:5070>\r\nP-Asserted-Identity: <tel:+48601111222>\r\nPrivacy: id\r\nContent-Type: application/sdp\r\nContent-Length: 129\r\n\r\nv=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n",
    "CANCEL sip:+48225551000@127.0.0.1:5060;user=phone SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\nMax-Forwards: 70\r\nFrom: <sip:+48601111222@127.0.0.1:5070>;tag=op1\r\nTo: <sip:+48225551000@127.0.0.1:5060>\r\nCall-ID: t1@127.0.0.1\r\nCSeq: 10 CANCEL\r\nReason: Q.850;cause=16\r\nContent-Length: 0\r\n\r\n",
    "BYE sip:callbackd@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKb1\r\nMax-Forwards: 70\r\nFrom: <sip:+48601111222@127.0.0.1:5070>;tag=op1\r\nTo: <sip:+48225551000@127.0.0.1:5060>;tag=x\r\nCall-ID: t1@127.0.0.1\r\nCSeq: 11 BYE\r\nContent-Length: 0\r\n\r\n",
    "INFO sip:callbackd@127.0.0.1:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKi1\r\nMax-Forwards: 70\r\nFrom: <sip:+48601111222@127.0.0.1:5070>;tag=op1\r\nTo: <sip:+48225551000@127.0.0.1:5060>;tag=x\r\nCall-ID: t1@127.0.0.1\r\nCSeq: 12 INFO\r\nContent-Type: application/dtmf-relay\r\nContent-Length: 22\r\n\r\nSignal=5\r\nDuration=160\r\n",
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKzz;rport\r\nFrom: <sip:+48225551000@127.0.0.1:5060>;tag=abc\r\nTo: <sip:+48601234567@127.0.0.1:5070>;tag=op2\r\nCall-ID: out@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:gw@127.0.0.1:5070>\r\nRecord-Route: <sip:127.0.0.1:5080;lr>\r\nContent-Length: 0\r\n\r\n",
    "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKzz;rport\r\nFrom: <sip:+48225551000@127.0.0.1:5060>;tag=abc\r\nTo: <sip:+48601234567@127.0.0.1:5070>;tag=op2\r\nCall-ID: out@127.0.0.1\r\nCSeq: 1 INVITE\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"n\", qop=\"auth\", algorithm=SHA-256\r\nContent-Length: 0\r\n\r\n",
];

#[derive(Debug, Clone)]
enum Op {
    /// A template, mangled: (template, position, byte) edits, truncation.
    Feed(usize, Vec<(usize, u8)>, Option<usize>),
    /// Raw bytes.
    Raw(Vec<u8>),
    /// A response to the node's last request, with this status.
    Answer(u16, bool),
    Originate,
    Command(usize, u8),
    Advance(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..TEMPLATES.len(), prop::collection::vec((0usize..600, any::<u8>()), 0..4), prop::option::of(0usize..700))
            .prop_map(|(t, e, cut)| Op::Feed(t, e, cut)),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Op::Raw),
        2 => (100u16..700, any::<bool>()).prop_map(|(s, tag)| Op::Answer(s, tag)),
        1 => Just(Op::Originate),
        2 => (0usize..8, 0u8..6).prop_map(|(c, k)| Op::Command(c, k)),
        2 => (0u64..40_000).prop_map(Op::Advance),
    ]
}

fn mangle(template: &str, edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut bytes = template.as_bytes().to_vec();
    for &(at, b) in edits {
        if at < bytes.len() {
            bytes[at] = b;
        }
    }
    if let Some(cut) = cut.filter(|&c| c < bytes.len()) {
        bytes.truncate(cut);
    }
    bytes
}

fn command(kind: u8) -> UaCommand {
    match kind {
        0 => UaCommand::Alert,
        1 => UaCommand::Reject(Cause::USER_BUSY),
        2 => UaCommand::Answer(Box::new(offer(20000))),
        3 => UaCommand::HangUp(Cause::NORMAL_CLEARING),
        4 => UaCommand::SendInfoDigit(Digit::from_char('7').unwrap()),
        _ => UaCommand::Reject(Cause::new(88).unwrap()),
    }
}

/// A response with `status` to the last request the node sent, if any.
fn answer_last(last: &Option<Bytes>, status: u16, tag: bool) -> Option<Bytes> {
    let request = protocols::sip::Message::parse(last.clone()?).ok()?;
    if !request.is_request() {
        return None;
    }
    let mut to = request.to().ok()?;
    if tag && to.tag().is_none() {
        to.set_tag("op9");
    }
    let m = protocols::sip::Message::response_to(&request, status, "X")
        .replace(&to)
        .raw_header("Contact", "<sip:gw@127.0.0.1:5070>")
        .build();
    Some(m.to_bytes())
}

fn run(ops: &[Op]) {
    let mut config = node_config();
    config.keepalive = Some(Duration::from_secs(30));
    config.credentials = Some(protocols::sip::ua::Credentials {
        username: "u".into(),
        password: "p".into(),
    });
    let mut ua = UserAgent::new(config, 3);
    let t0 = Instant::now();
    let mut now = t0;
    let mut calls: Vec<CallId> = Vec::new();
    let mut last_request: Option<Bytes> = None;
    let operator = addr(OPERATOR);
    let drain = |ua: &mut UserAgent, calls: &mut Vec<CallId>, last: &mut Option<Bytes>| {
        while let Some(t) = ua.poll_transmit() {
            if !t.payload.starts_with(b"SIP/2.0") && !t.payload.starts_with(b"ACK") {
                *last = Some(t.payload);
            }
        }
        while let Some(e) = ua.poll_event() {
            if let UaEvent::Call(id, _) = e
                && !calls.contains(&id)
            {
                calls.push(id);
            }
        }
    };
    for op in ops {
        match op {
            Op::Feed(t, edits, cut) => {
                let bytes = mangle(TEMPLATES[*t], edits, *cut);
                ua.handle_input(Bytes::from(bytes), operator, now);
            }
            Op::Raw(bytes) => ua.handle_input(Bytes::from(bytes.clone()), operator, now),
            Op::Answer(status, tag) => {
                if let Some(bytes) = answer_last(&last_request, *status, *tag) {
                    ua.handle_input(bytes, operator, now);
                }
            }
            Op::Originate => {
                let id = ua.originate(
                    &international("48601234567"),
                    None,
                    false,
                    offer(20000),
                    now,
                );
                calls.push(id);
            }
            Op::Command(c, kind) => {
                if let Some(&id) = calls.get(*c) {
                    ua.command(id, command(*kind), now);
                }
            }
            Op::Advance(ms) => {
                now += Duration::from_millis(*ms);
                ua.handle_timeout(now);
            }
        }
        drain(&mut ua, &mut calls, &mut last_request);
    }
    // Hang everything up and let every timer run out: no call may be left.
    for &id in &calls {
        ua.command(id, UaCommand::HangUp(Cause::NORMAL_CLEARING), now);
    }
    let end = now + Duration::from_secs(300);
    while let Some(t) = ua.poll_timeout().filter(|&t| t <= end) {
        now = now.max(t);
        ua.handle_timeout(now);
        drain(&mut ua, &mut calls, &mut last_request);
        // The keepalive never stops; leave once only it is left.
        if ua.calls() == 0 {
            break;
        }
    }
    assert_eq!(ua.calls(), 0, "a call leaked after {ops:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut ua = UserAgent::new(node_config(), 1);
        let now = Instant::now();
        ua.handle_input(Bytes::from(bytes), addr(OPERATOR), now);
        while ua.poll_transmit().is_some() {}
        while ua.poll_event().is_some() {}
        ua.handle_timeout(now + Duration::from_secs(100));
        prop_assert_eq!(ua.calls(), 0);
    }

    #[test]
    fn random_operation_sequences_never_panic_or_leak(ops in prop::collection::vec(op(), 1..40)) {
        run(&ops);
    }
}

#[test]
fn every_template_is_valid_sip() {
    for t in TEMPLATES {
        let m = protocols::sip::Message::parse(t).unwrap();
        m.validate().unwrap();
    }
}
