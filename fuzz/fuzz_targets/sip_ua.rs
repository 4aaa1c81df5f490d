//! The trunk's SIP user agent fed random operation sequences: datagrams (random bytes,
//! mangled valid messages, responses and in-dialog requests built from what it sent),
//! originations, commands and clock jumps. It never panics, and once everything is
//! hung up and every timer has run out, no call is left.

#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use protocols::call::{Cause, Digit, NumberKind, PartyNumber, Presentation};
use protocols::sdp::LocalMedia;
use protocols::sip::header::{CSeq, ContentType, Transport, Via};
use protocols::sip::ua::{CallId, Credentials, UaCommand, UaConfig, UaEvent, UserAgent};
use protocols::sip::{Host, Message, Method};

const INVITE: &str = "INVITE sip:+48225551000@127.0.0.1:5060;user=phone SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\nMax-Forwards: 70\r\nFrom: <sip:+48601111222@127.0.0.1:5070>;tag=op1\r\nTo: <sip:+48225551000@127.0.0.1:5060>\r\nCall-ID: t1@127.0.0.1\r\nCSeq: 10 INVITE\r\nContact: <sip:gw@127.0.0.1:5070>\r\nP-Asserted-Identity: <tel:+48601111222>\r\nPrivacy: id\r\nContent-Type: application/sdp\r\nContent-Length: 129\r\n\r\nv=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
const CANCEL: &str = "CANCEL sip:+48225551000@127.0.0.1:5060;user=phone SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKa1\r\nMax-Forwards: 70\r\nFrom: <sip:+48601111222@127.0.0.1:5070>;tag=op1\r\nTo: <sip:+48225551000@127.0.0.1:5060>\r\nCall-ID: t1@127.0.0.1\r\nCSeq: 10 CANCEL\r\nReason: Q.850;cause=16\r\nContent-Length: 0\r\n\r\n";
const OK: &str = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKzz;rport\r\nFrom: <sip:+48225551000@127.0.0.1:5060>;tag=abc\r\nTo: <sip:+48601234567@127.0.0.1:5070>;tag=op2\r\nCall-ID: out@127.0.0.1\r\nCSeq: 1 INVITE\r\nContact: <sip:gw@127.0.0.1:5070>\r\nRecord-Route: <sip:127.0.0.1:5080;lr>\r\nContent-Length: 0\r\n\r\n";
const TEMPLATES: [&str; 3] = [INVITE, CANCEL, OK];

const SDP: &str = "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 30002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// Reads the fuzzer's bytes as small numbers.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from(self.byte()?) << 8 | u16::from(self.byte()?))
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let n = n.min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken.to_vec()
    }
}

struct Harness {
    ua: UserAgent,
    now: Instant,
    calls: Vec<CallId>,
    /// The last request and the last dialog-creating response the node sent.
    last_request: Option<Message>,
    last_response: Option<Message>,
    branch: u32,
}

impl Harness {
    fn new(keepalive: bool) -> Harness {
        let mut config = UaConfig::new(addr("127.0.0.1:5060"), Some(addr("127.0.0.1:5070")));
        config.trusted_cli = true;
        config.keepalive = keepalive.then(|| Duration::from_secs(30));
        config.credentials = Some(Credentials {
            username: "u".into(),
            password: "p".into(),
        });
        Harness {
            ua: UserAgent::new(config, 7),
            now: Instant::now(),
            calls: Vec::new(),
            last_request: None,
            last_response: None,
            branch: 0,
        }
    }

    fn drain(&mut self) {
        while let Some(t) = self.ua.poll_transmit() {
            let Ok(m) = Message::parse(t.payload) else {
                panic!("the user agent sent something it cannot parse");
            };
            if m.method().is_some_and(|m| *m != Method::Ack) {
                self.last_request = Some(m);
            } else if m.status().is_some_and(|s| s > 100 && s < 300) {
                self.last_response = Some(m);
            }
        }
        while let Some(e) = self.ua.poll_event() {
            if let UaEvent::Call(id, _) = e
                && !self.calls.contains(&id)
            {
                self.calls.push(id);
            }
        }
    }

    fn feed(&mut self, bytes: Vec<u8>, stranger: bool) {
        let source = addr(if stranger {
            "127.0.0.1:5090"
        } else {
            "127.0.0.1:5070"
        });
        self.ua.handle_input(Bytes::from(bytes), source, self.now);
    }

    /// A response with `status` to the last request the node sent.
    fn respond(&mut self, status: u16, tag: bool, sdp: bool) {
        let Some(request) = &self.last_request else {
            return;
        };
        let Ok(mut to) = request.to() else { return };
        if tag && to.tag().is_none() {
            to.set_tag("op9");
        }
        let mut b = Message::response_to(request, status, "X")
            .replace(&to)
            .raw_header("Contact", "<sip:gw@127.0.0.1:5070>");
        if status >= 180 && status < 190 && tag {
            b = b.raw_header("Require", "100rel").raw_header("RSeq", "1");
        }
        if status == 401 {
            b = b.raw_header(
                "WWW-Authenticate",
                "Digest realm=\"r\", nonce=\"n\", qop=\"auth\"",
            );
        }
        if sdp {
            b = b.body(&ContentType::sdp(), SDP);
        }
        self.feed(b.build().to_bytes().to_vec(), false);
    }

    /// A request from the operator in the dialog of the node's last 1xx/2xx.
    fn in_dialog(&mut self, method: u8, seq: u8) {
        let Some(response) = &self.last_response else {
            return;
        };
        let method = match method % 6 {
            0 => Method::Bye,
            1 => Method::Info,
            2 => Method::Invite,
            3 => Method::Ack,
            4 => Method::Options,
            _ => Method::Prack,
        };
        let cseq = match method {
            Method::Ack => response.cseq().map(|c| c.seq).unwrap_or(1),
            _ => u32::from(seq),
        };
        self.branch += 1;
        let via = Via::new(
            Transport::Udp,
            Host::V4([127, 0, 0, 1].into()),
            Some(5070),
            &format!("z9hG4bKf{}", self.branch),
        );
        let (Ok(from), Ok(to), Ok(call_id)) = (response.from(), response.to(), response.call_id())
        else {
            return;
        };
        let uri = protocols::sip::Uri::parse(b"sip:callbackd@127.0.0.1:5060").unwrap();
        let mut b = Message::request(method.clone(), uri)
            .header(&via)
            .raw_header("Max-Forwards", "70")
            .header(&from)
            .header(&to)
            .header(&call_id)
            .header(&CSeq {
                seq: cseq,
                method: method.clone(),
            });
        if method == Method::Info {
            b = b.body(
                &ContentType::new("application", "dtmf-relay"),
                "Signal=5\r\nDuration=160\r\n",
            );
        }
        self.feed(b.build().to_bytes().to_vec(), false);
    }

    fn command(&mut self, which: u8, kind: u8) {
        let Some(&id) = self.calls.get(usize::from(which) % self.calls.len().max(1)) else {
            return;
        };
        let media = LocalMedia::new("127.0.0.1".parse().unwrap(), 20000);
        let command = match kind % 6 {
            0 => UaCommand::Alert,
            1 => UaCommand::Reject(Cause::new(kind % 127 + 1).unwrap()),
            2 => UaCommand::Answer(Box::new(media.offer(1, 1))),
            3 => UaCommand::HangUp(Cause::NORMAL_CLEARING),
            4 => UaCommand::SendInfoDigit(Digit::from_event(kind % 16).unwrap()),
            _ => UaCommand::HangUp(Cause::new(kind % 127 + 1).unwrap()),
        };
        self.ua.command(id, command, self.now);
    }

    fn originate(&mut self, hide: bool) {
        let number = PartyNumber {
            digits: "48601234567".into(),
            kind: NumberKind::International,
            presentation: Presentation::Allowed,
        };
        let media = LocalMedia::new("127.0.0.1".parse().unwrap(), 20000);
        let id = self
            .ua
            .originate(&number, Some(&number), hide, media.offer(1, 1), self.now);
        self.calls.push(id);
    }

    fn step(&mut self, input: &mut Input<'_>) -> Option<()> {
        let op = input.byte()?;
        match op % 9 {
            0 => {
                let n = usize::from(input.u16()? % 1500);
                let bytes = input.bytes(n);
                self.feed(bytes, op & 0x80 != 0);
            }
            1 => {
                let mut bytes = TEMPLATES[usize::from(op >> 4) % TEMPLATES.len()]
                    .as_bytes()
                    .to_vec();
                for _ in 0..input.byte()? % 4 {
                    let at = usize::from(input.u16()?) % bytes.len();
                    bytes[at] = input.byte()?;
                }
                self.feed(bytes, op & 0x80 != 0);
            }
            2 => {
                let status = 100 + input.u16()? % 600;
                self.respond(status, op & 0x40 != 0, op & 0x80 != 0);
            }
            3 => self.originate(op & 0x80 != 0),
            4 => {
                let (which, kind) = (input.byte()?, input.byte()?);
                self.command(which, kind);
            }
            5 => {
                self.now += Duration::from_millis(u64::from(input.u16()?) * 10);
                self.ua.handle_timeout(self.now);
            }
            6 | 7 => {
                let (method, seq) = (input.byte()?, input.byte()?);
                self.in_dialog(method, seq);
            }
            _ => self.feed(
                INVITE
                    .replace("z9hG4bKa1", &format!("z9hG4bKn{op}"))
                    .replace("t1@", &format!("t{op}@"))
                    .into_bytes(),
                false,
            ),
        }
        self.drain();
        Some(())
    }

    /// Hangs everything up and runs every timer out; no call may be left.
    fn finish(&mut self) {
        for id in self.calls.clone() {
            self.ua
                .command(id, UaCommand::HangUp(Cause::NORMAL_CLEARING), self.now);
            self.drain();
        }
        let end = self.now + Duration::from_secs(300);
        while let Some(t) = self.ua.poll_timeout().filter(|&t| t <= end) {
            if self.ua.calls() == 0 {
                break;
            }
            self.now = self.now.max(t);
            self.ua.handle_timeout(self.now);
            self.drain();
        }
        assert_eq!(self.ua.calls(), 0, "a call outlived every timer");
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let keepalive = input.byte().is_some_and(|b| b & 1 == 1);
    let mut harness = Harness::new(keepalive);
    for _ in 0..64 {
        if harness.step(&mut input).is_none() {
            break;
        }
    }
    harness.finish();
});
