//! The node's user agent against hand-written SIP, where the exact messages matter.

mod sip_ua_harness;

use std::time::{Duration, Instant};

use bytes::Bytes;
use protocols::call::{CallEvent, Cause};
use protocols::sip::Message;
use protocols::sip::header::To;
use protocols::sip::ua::digest::{Challenge, Request};
use protocols::sip::ua::{
    CallId, Credentials, InputError, UaCommand, UaConfig, UaEvent, UserAgent,
};
use sip_ua_harness::*;

struct Wire {
    ua: UserAgent,
    t0: Instant,
    now: Instant,
    events: Vec<UaEvent>,
}

impl Wire {
    fn new(config: UaConfig) -> Wire {
        let now = Instant::now();
        Wire {
            ua: UserAgent::new(config, 9),
            t0: now,
            now,
            events: Vec::new(),
        }
    }

    fn drain(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(t) = self.ua.poll_transmit() {
            out.push(String::from_utf8(t.payload.to_vec()).unwrap());
        }
        while let Some(e) = self.ua.poll_event() {
            self.events.push(e);
        }
        out
    }

    /// Feeds `text` (LF line ends become CRLF) from the operator; returns what was sent.
    fn feed(&mut self, text: &str) -> Vec<String> {
        self.feed_bytes(crlf(text).into_bytes())
    }

    fn feed_bytes(&mut self, bytes: Vec<u8>) -> Vec<String> {
        self.ua
            .handle_input(Bytes::from(bytes), addr(OPERATOR), self.now);
        self.drain()
    }

    fn feed_message(&mut self, m: &Message) -> Vec<String> {
        self.feed_bytes(m.to_bytes().to_vec())
    }

    fn command(&mut self, call: CallId, command: UaCommand) -> Vec<String> {
        self.ua.command(call, command, self.now);
        self.drain()
    }

    fn originate(&mut self) -> (CallId, Message) {
        let id = self.ua.originate(
            &international("48601234567"),
            Some(&international("48225551000")),
            false,
            offer(20000),
            self.now,
        );
        let sent = self.drain();
        (id, Message::parse(sent[0].clone()).unwrap())
    }

    /// Runs the clock to `at` after start, firing every timer on the way.
    fn run_until(&mut self, at: Duration) -> Vec<String> {
        let mut out = Vec::new();
        while let Some(t) = self.ua.poll_timeout().filter(|&t| t <= self.t0 + at) {
            self.now = self.now.max(t);
            self.ua.handle_timeout(self.now);
            out.extend(self.drain());
        }
        self.now = self.t0 + at;
        out
    }

    fn call_events(&self, call: CallId) -> Vec<CallEvent> {
        Pair::call_events(&self.events, call)
    }
}

fn crlf(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\n', "\r\n")
}

fn starting(sent: &[String], start: &str) -> Vec<String> {
    sent.iter()
        .filter(|m| m.starts_with(start))
        .cloned()
        .collect()
}

fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    message
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

const SDP: &str = "v=0\no=- 1 1 IN IP4 127.0.0.1\ns=-\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio 30000 RTP/AVP 8 101\na=rtpmap:8 PCMA/8000\na=rtpmap:101 telephone-event/8000\n";

fn invite(extra: &str, body: &str) -> String {
    let body = crlf(body);
    let content_type = if body.is_empty() {
        String::new()
    } else {
        "Content-Type: application/sdp\n".to_owned()
    };
    format!(
        "INVITE sip:+48225551000@127.0.0.1:5060;user=phone SIP/2.0\n\
Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinv1\n\
Max-Forwards: 70\n\
From: <sip:+48601111222@127.0.0.1:5070>;tag=op1\n\
To: <sip:+48225551000@127.0.0.1:5060>\n\
Call-ID: trigger-1@127.0.0.1\n\
CSeq: 10 INVITE\n\
Contact: <sip:gw@127.0.0.1:5070>\n\
{extra}{content_type}Content-Length: {}\n\n{body}",
        body.len()
    )
}

/// An in-dialog request from the operator to the node's dialog with tag `tag`.
fn in_dialog(method: &str, seq: u32, branch: &str, tag: &str, extra: &str) -> String {
    format!(
        "{method} sip:callbackd@127.0.0.1:5060 SIP/2.0\n\
Via: SIP/2.0/UDP 127.0.0.1:5070;branch={branch}\n\
Max-Forwards: 70\n\
From: <sip:+48601111222@127.0.0.1:5070>;tag=op1\n\
To: <sip:+48225551000@127.0.0.1:5060>;tag={tag}\n\
Call-ID: trigger-1@127.0.0.1\n\
CSeq: {seq} {method}\n\
{extra}Content-Length: 0\n\n"
    )
}

/// The node receives a call and answers it; returns the call and the node's To tag.
fn answered_incoming(wire: &mut Wire) -> (CallId, String, String) {
    let sent = wire.feed(&invite("", SDP));
    assert_eq!(starting(&sent, "SIP/2.0 100 Trying").len(), 1);
    let call = match &wire.events[0] {
        UaEvent::Call(id, CallEvent::Offered { .. }) => *id,
        other => panic!("{other:?}"),
    };
    let theirs = remote_media(&wire.events, call).remove(0);
    let answer = media(20000).answer(&theirs, 5, 1).unwrap().sdp;
    let sent = wire.command(call, UaCommand::Answer(Box::new(answer)));
    let ok = sent[0].clone();
    assert!(ok.starts_with("SIP/2.0 200 OK\r\n"));
    let to = To::parse(header(&ok, "To").unwrap().as_bytes()).unwrap();
    let tag = to.tag().unwrap().to_owned();
    let ack = in_dialog("ACK", 10, "z9hG4bKack1", &tag, "");
    assert!(wire.feed(&ack).is_empty());
    assert_eq!(wire.call_events(call).last(), Some(&CallEvent::Answered));
    (call, tag, ok)
}

use protocols::sip::header::TypedHeader;

#[test]
fn reinvite_gets_the_same_sdp_and_a_lower_cseq_gets_500_then_bye() {
    let mut wire = Wire::new(node_config());
    let (call, tag, ok) = answered_incoming(&mut wire);
    let our_sdp = &ok[ok.find("\r\n\r\n").unwrap() + 4..];
    let reinvite = in_dialog(
        "INVITE",
        11,
        "z9hG4bKre1",
        &tag,
        "Contact: <sip:gw@127.0.0.1:5070>\n",
    );
    let sent = wire.feed(&reinvite);
    let ok2 = starting(&sent, "SIP/2.0 200 OK");
    assert_eq!(ok2.len(), 1);
    assert_eq!(
        &ok2[0][ok2[0].find("\r\n\r\n").unwrap() + 4..],
        our_sdp,
        "same o= version"
    );
    assert!(
        wire.feed(&in_dialog("ACK", 11, "z9hG4bKack2", &tag, ""))
            .is_empty()
    );
    let sent = wire.feed(&in_dialog("BYE", 5, "z9hG4bKbye0", &tag, ""));
    assert!(sent[0].starts_with("SIP/2.0 500 "), "{}", sent[0]);
    assert!(
        !wire
            .call_events(call)
            .iter()
            .any(|e| matches!(e, CallEvent::Released { .. }))
    );
    let sent = wire.feed(&in_dialog(
        "BYE",
        12,
        "z9hG4bKbye1",
        &tag,
        "Reason: Q.850;cause=31\n",
    ));
    assert!(sent[0].starts_with("SIP/2.0 200 OK\r\n"));
    assert_eq!(
        wire.call_events(call).last(),
        Some(&CallEvent::Released {
            cause: Cause::NORMAL_UNSPECIFIED
        })
    );
    assert_eq!(wire.ua.calls(), 0);
}

#[test]
fn requests_for_unknown_dialogs_get_481() {
    let mut wire = Wire::new(node_config());
    let sent = wire.feed(&in_dialog("BYE", 2, "z9hG4bKx1", "nosuchtag", ""));
    assert!(sent[0].starts_with("SIP/2.0 481 Call/Transaction Does Not Exist\r\n"));
    let sent = wire.feed(&in_dialog("INFO", 3, "z9hG4bKx2", "nosuchtag", ""));
    assert!(sent[0].starts_with("SIP/2.0 481 "));
    let bye_without_tag = in_dialog("BYE", 2, "z9hG4bKx3", "x", "").replace(";tag=x", "");
    assert!(wire.feed(&bye_without_tag)[0].starts_with("SIP/2.0 481 "));
    assert!(wire.events.is_empty());
}

#[test]
fn out_of_dialog_options_and_unsupported_methods() {
    let mut wire = Wire::new(node_config());
    let options = in_dialog("OPTIONS", 1, "z9hG4bKo1", "x", "").replace(";tag=x", "");
    let sent = wire.feed(&options);
    assert!(sent[0].starts_with("SIP/2.0 200 OK\r\n"));
    assert!(sent[0].contains("Allow: INVITE\r\n") && sent[0].contains("Allow: INFO\r\n"));
    let register = in_dialog("REGISTER", 1, "z9hG4bKr1", "x", "").replace(";tag=x", "");
    assert!(wire.feed(&register)[0].starts_with("SIP/2.0 405 Method Not Allowed\r\n"));
}

#[test]
fn an_invite_requiring_100rel_gets_420() {
    let mut wire = Wire::new(node_config());
    let sent = wire.feed(&invite("Require: 100rel\n", SDP));
    let bad = starting(&sent, "SIP/2.0 420 Bad Extension");
    assert_eq!(bad.len(), 1);
    assert!(bad[0].contains("Unsupported: 100rel\r\n"));
    assert!(wire.events.is_empty());
    assert_eq!(wire.ua.calls(), 0);
}

#[test]
fn delayed_offer_is_answered_by_the_ack() {
    let mut wire = Wire::new(node_config());
    wire.feed(&invite("", ""));
    let call = wire.ua.calls();
    assert_eq!(call, 1);
    let id = match &wire.events[0] {
        UaEvent::Call(id, CallEvent::Offered { .. }) => *id,
        other => panic!("{other:?}"),
    };
    assert!(remote_media(&wire.events, id).is_empty());
    let sent = wire.command(id, UaCommand::Answer(Box::new(offer(20000))));
    let to = To::parse(header(&sent[0], "To").unwrap().as_bytes()).unwrap();
    let ack = in_dialog(
        "ACK",
        10,
        "z9hG4bKa",
        to.tag().unwrap(),
        "Content-Type: application/sdp\n",
    )
    .replace(
        "Content-Length: 0\n\n",
        &format!("Content-Length: {}\n\n{}", crlf(SDP).len(), SDP),
    );
    wire.feed(&ack);
    assert_eq!(remote_media(&wire.events, id).len(), 1);
    assert_eq!(wire.call_events(id).last(), Some(&CallEvent::Answered));
}

#[test]
fn an_unacknowledged_2xx_ends_with_bye_and_cause_102() {
    let mut wire = Wire::new(node_config());
    wire.feed(&invite("", SDP));
    let id = match &wire.events[0] {
        UaEvent::Call(id, _) => *id,
        other => panic!("{other:?}"),
    };
    wire.command(id, UaCommand::Answer(Box::new(offer(20000))));
    let sent = wire.run_until(Duration::from_secs(33));
    assert!(
        starting(&sent, "SIP/2.0 200 OK").len() >= 5,
        "the 2xx is resent"
    );
    let bye = starting(&sent, "BYE ");
    assert!(
        !bye.is_empty() && bye.iter().all(|b| *b == bye[0]),
        "one BYE, resent"
    );
    assert!(bye[0].starts_with("BYE sip:gw@127.0.0.1:5070 SIP/2.0\r\n"));
    assert_eq!(
        wire.call_events(id).last(),
        Some(&CallEvent::Released {
            cause: Cause::RECOVERY_ON_TIMER_EXPIRY
        })
    );
    wire.run_until(Duration::from_secs(70));
    assert_eq!(wire.ua.calls(), 0);
}

#[test]
fn malformed_requests_get_400_and_an_event_garbage_only_an_event() {
    let mut wire = Wire::new(node_config());
    let no_from = invite("", SDP).replace("From: <sip:+48601111222@127.0.0.1:5070>;tag=op1\n", "");
    let sent = wire.feed(&no_from);
    assert_eq!(sent.len(), 1);
    assert!(sent[0].starts_with("SIP/2.0 400 Bad Request\r\n"));
    assert!(matches!(
        wire.events[..],
        [UaEvent::Malformed {
            error: InputError::Invalid(_),
            ..
        }]
    ));
    let sent = wire.feed_bytes(b"\x00\x01garbage\r\n\r\n".to_vec());
    assert!(sent.is_empty());
    assert!(matches!(
        wire.events[1],
        UaEvent::Malformed {
            error: InputError::Parse(_),
            ..
        }
    ));
    let bad_sdp = invite("", "v=0\nthis is not sdp\n");
    let sent = wire.feed(&bad_sdp);
    assert!(starting(&sent, "SIP/2.0 400").len() == 1, "{sent:?}");
    assert!(matches!(
        wire.events[2],
        UaEvent::Malformed {
            error: InputError::Sdp(_),
            ..
        }
    ));
    assert_eq!(wire.ua.malformed(), 3);
    assert_eq!(wire.ua.calls(), 0);
    assert!(
        wire.feed("\r\n\r\n").is_empty(),
        "CRLF keepalives are ignored"
    );
    assert_eq!(wire.ua.malformed(), 3);
}

/// A response of the operator to the node's `request`, with To tag `op2`.
fn reply(
    request: &Message,
    code: u16,
    reason: &str,
    extra: &[(&str, &str)],
    sdp: Option<&str>,
) -> Message {
    let mut to = request.to().unwrap();
    if to.tag().is_none() {
        to.set_tag("op2");
    }
    let mut b = Message::response_to(request, code, reason)
        .replace(&to)
        .raw_header("Contact", "<sip:gw@127.0.0.1:5070>");
    for (name, value) in extra {
        b = b.raw_header(name, value);
    }
    if let Some(sdp) = sdp {
        b = b.body(&protocols::sip::header::ContentType::sdp(), crlf(sdp));
    }
    b.build()
}

#[test]
fn reliable_provisionals_are_pracked_once_and_the_2xx_is_acked_with_the_invite_cseq() {
    let mut wire = Wire::new(node_config());
    let (id, invite) = wire.originate();
    let progress = reply(
        &invite,
        183,
        "Session Progress",
        &[("Require", "100rel"), ("RSeq", "1")],
        Some(SDP),
    );
    let sent = wire.feed_message(&progress);
    let prack = starting(&sent, "PRACK ");
    assert_eq!(prack.len(), 1, "{sent:?}");
    assert!(prack[0].starts_with("PRACK sip:gw@127.0.0.1:5070 SIP/2.0\r\n"));
    assert_eq!(header(&prack[0], "RAck"), Some("1 1 INVITE"));
    assert_eq!(header(&prack[0], "CSeq"), Some("2 PRACK"));
    assert!(header(&prack[0], "To").unwrap().ends_with(";tag=op2"));
    assert_eq!(wire.call_events(id), vec![CallEvent::EarlyMedia]);
    assert_eq!(remote_media(&wire.events, id).len(), 1);
    // The 183 again (its PRACK was lost): no second PRACK from us, nothing reported.
    assert!(wire.feed_message(&progress).is_empty());
    assert_eq!(wire.call_events(id).len(), 1);
    let prack = Message::parse(prack[0].clone()).unwrap();
    wire.feed_message(&reply(&prack, 200, "OK", &[], None));
    let ok = reply(&invite, 200, "OK", &[], Some(SDP));
    let sent = wire.feed_message(&ok);
    let ack = starting(&sent, "ACK ");
    assert_eq!(ack.len(), 1);
    assert_eq!(header(&ack[0], "CSeq"), Some("1 ACK"));
    assert!(ack[0].starts_with("ACK sip:gw@127.0.0.1:5070 SIP/2.0\r\n"));
    assert_ne!(
        header(&ack[0], "Via"),
        header(
            &invite
                .to_bytes()
                .iter()
                .map(|&b| b as char)
                .collect::<String>(),
            "Via"
        ),
        "a new branch"
    );
    assert_eq!(wire.call_events(id).last(), Some(&CallEvent::Answered));
    assert_eq!(
        remote_media(&wire.events, id).len(),
        1,
        "the same SDP is not reported twice"
    );
    // A retransmitted 2xx is ACKed again.
    let sent = wire.feed_message(&ok);
    assert_eq!(starting(&sent, "ACK "), ack);
    let sent = wire.command(id, UaCommand::HangUp(Cause::NORMAL_CLEARING));
    assert_eq!(header(&sent[0], "CSeq"), Some("3 BYE"));
}

fn credentials() -> UaConfig {
    let mut config = node_config();
    config.credentials = Some(Credentials {
        username: "pbx1".into(),
        password: "s3cret".into(),
    });
    config
}

/// The authorization header of `retry` checks out against `challenge`.
fn check_digest(retry: &str, name: &str, challenge: &str, algorithm: &str) {
    let value = header(retry, name).unwrap_or_else(|| panic!("no {name} in\n{retry}"));
    let field = |f: &str| {
        let start = value.find(&format!("{f}=")).unwrap() + f.len() + 1;
        let rest = &value[start..];
        match rest.strip_prefix('"') {
            Some(q) => q[..q.find('"').unwrap()].to_owned(),
            None => rest.split(',').next().unwrap().to_owned(),
        }
    };
    assert_eq!(field("algorithm"), algorithm);
    assert_eq!(field("username"), "pbx1");
    let uri = field("uri");
    assert_eq!(uri, "sip:+48601234567@127.0.0.1:5070;user=phone");
    let c = Challenge::parse(challenge).unwrap();
    let creds = Credentials {
        username: "pbx1".into(),
        password: "s3cret".into(),
    };
    let request = Request {
        method: "INVITE",
        uri: &uri,
        body: b"",
    };
    let want = c.response(&creds, request, &field("cnonce"), 1);
    assert_eq!(field("response"), want);
    assert_eq!(field("nc"), "00000001");
    assert_eq!(field("qop"), "auth");
}

#[test]
fn digest_challenges_are_answered_once_with_sha256_and_md5() {
    for (code, reason, challenge_name, answer_name, algorithm) in [
        (
            401,
            "Unauthorized",
            "WWW-Authenticate",
            "Authorization",
            "SHA-256",
        ),
        (
            407,
            "Proxy Authentication Required",
            "Proxy-Authenticate",
            "Proxy-Authorization",
            "MD5",
        ),
    ] {
        let mut wire = Wire::new(credentials());
        let (id, invite) = wire.originate();
        let challenge = format!(
            r#"Digest realm="operator.example", nonce="n0nce-{code}", qop="auth", algorithm={algorithm}, opaque="op""#
        );
        let sent = wire.feed_message(&reply(
            &invite,
            code,
            reason,
            &[(challenge_name, &challenge)],
            None,
        ));
        assert_eq!(
            starting(&sent, "ACK ").len(),
            1,
            "the layer ACKs the {code}"
        );
        let retry = starting(&sent, "INVITE ");
        assert_eq!(retry.len(), 1);
        assert_eq!(header(&retry[0], "CSeq"), Some("2 INVITE"));
        assert_eq!(
            header(&retry[0], "Call-ID").unwrap(),
            invite.call_id().unwrap().0
        );
        check_digest(&retry[0], answer_name, &challenge, algorithm);
        assert!(wire.call_events(id).is_empty());
        // Challenged again: no second retry, the call fails with cause 21.
        let retry = Message::parse(retry[0].clone()).unwrap();
        let sent = wire.feed_message(&reply(
            &retry,
            code,
            reason,
            &[(challenge_name, &challenge)],
            None,
        ));
        assert!(starting(&sent, "INVITE ").is_empty());
        assert_eq!(
            wire.call_events(id),
            vec![CallEvent::Released {
                cause: Cause::CALL_REJECTED
            }]
        );
        wire.run_until(Duration::from_secs(40));
        assert_eq!(wire.ua.calls(), 0);
    }
}

#[test]
fn failure_statuses_map_to_causes_and_reason_wins() {
    let cases: [(u16, &str, Option<&str>, u8); 7] = [
        (486, "Busy Here", None, 17),
        (503, "Service Unavailable", None, 34),
        (404, "Not Found", None, 1),
        (480, "Temporarily Unavailable", None, 19),
        (603, "Decline", None, 21),
        (408, "Request Timeout", None, 102),
        (486, "Busy Here", Some("Q.850;cause=41;text=\"x\""), 41),
    ];
    for (code, reason, q850, cause) in cases {
        let mut wire = Wire::new(node_config());
        let (id, invite) = wire.originate();
        let extra: Vec<(&str, &str)> = q850.map(|r| ("Reason", r)).into_iter().collect();
        wire.feed_message(&reply(&invite, code, reason, &extra, None));
        let cause = Cause::new(cause).unwrap();
        assert_eq!(
            wire.call_events(id),
            vec![CallEvent::Released { cause }],
            "{code}"
        );
        if code == 503 {
            assert!(cause.is_congestion(), "503 fails over to the next trunk");
        }
        wire.run_until(Duration::from_secs(40));
        assert_eq!(wire.ua.calls(), 0);
    }
}

#[test]
fn tcp_trunks_need_framed_messages_and_write_transport_in_contact() {
    let mut config = node_config();
    config.transport = protocols::sip::header::Transport::Tcp;
    let mut wire = Wire::new(config);
    let (_, invite) = wire.originate();
    let text = String::from_utf8(invite.to_bytes().to_vec()).unwrap();
    assert!(
        text.starts_with("INVITE ") && text.contains("Via: SIP/2.0/TCP 127.0.0.1:5060;branch=")
    );
    assert!(text.contains("Contact: <sip:callbackd@127.0.0.1:5060;transport=tcp>"));
    // Nothing is retransmitted on a reliable transport.
    assert!(starting(&wire.run_until(Duration::from_secs(10)), "INVITE ").is_empty());
}

#[test]
fn national_and_international_number_formats_on_the_wire() {
    use protocols::sip::ua::NumberFormat;
    for (format, ruri, from) in [
        (
            NumberFormat::National,
            "INVITE sip:601234567@127.0.0.1:5070;user=phone SIP/2.0\r\n",
            "From: <sip:225551000@127.0.0.1:5060;user=phone>;tag=",
        ),
        (
            NumberFormat::International,
            "INVITE sip:48601234567@127.0.0.1:5070;user=phone SIP/2.0\r\n",
            "From: <sip:48225551000@127.0.0.1:5060;user=phone>;tag=",
        ),
    ] {
        let mut config = node_config();
        config.number_format = format;
        let mut wire = Wire::new(config);
        let (_, invite) = wire.originate();
        let text = String::from_utf8(invite.to_bytes().to_vec()).unwrap();
        assert!(text.starts_with(ruri), "{text}");
        assert!(text.contains(from), "{text}");
    }
}
