//! Messages per second through the sans-IO SIP transaction layer.
//!
//! A UAC and a UAS `TransactionLayer` complete whole calls in memory: INVITE, the layer's
//! own 100 Trying, 200, the ACK for the 2xx, BYE and its 200 — six messages on the wire
//! per call. Every datagram is serialized by its sender and parsed by its receiver, as
//! the transaction tests' two-peer harness does. The virtual clock advances 400 µs per
//! call (the 2,500 calls/s goal) and both layers run their timers, so accepted INVITEs
//! (Timers L and M, 64·T1) and BYEs (Timers J and K) pile up to the population a node
//! would hold at that rate.
//!
//! The baseline in the same group builds, serializes and parses the same six messages
//! without any layer, so the difference is the layer's own cost.
//!
//! `cargo bench --bench sip_transaction -- --warm-up-time 2 --measurement-time 5`

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use protocols::sip::header::{CSeq, CallId, MaxForwards, Transport, Via};
use protocols::sip::transaction::{TimerSettings, TransactionEvent, TransactionLayer};
use protocols::sip::{Host, Message, Method, Uri};

const UAC: u16 = 5060;
const UAS: u16 = 5070;
/// Messages on the wire per call: INVITE, 100, 200, ACK, BYE, 200.
const MESSAGES_PER_CALL: u64 = 6;
/// Virtual time between calls: 2,500 calls/s.
const CALL_SPACING: Duration = Duration::from_micros(400);

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A request of call `call` as the UAC core would build it.
fn request(method: Method, branch: &str, call: u64, seq: u32) -> Message {
    let uri = Uri::parse(b"sip:+48601111222@127.0.0.1:5070").unwrap();
    let host = Host::V4([127, 0, 0, 1].into());
    Message::request(method.clone(), uri)
        .header(&Via::new(Transport::Udp, host, Some(UAC), branch))
        .header(&MaxForwards(70))
        .raw_header("From", "<sip:+48225551000@127.0.0.1>;tag=a1")
        .raw_header("To", "<sip:+48601111222@127.0.0.1>")
        .header(&CallId(format!("call-{call}@127.0.0.1")))
        .header(&CSeq { seq, method })
        .raw_header("Contact", "<sip:callback@127.0.0.1:5060>")
        .build()
}

/// The UAS core's answer to `request`, with its To tag.
fn answer(request: &Message, code: u16, reason: &str) -> Message {
    let mut to = request.to().unwrap();
    to.set_tag("b2");
    Message::response_to(request, code, reason)
        .replace(&to)
        .build()
}

/// The ACK the UAC core sends for a 2xx: a new branch, outside any transaction.
fn ack_for_2xx(response: &Message, call: u64) -> Message {
    let uri = Uri::parse(b"sip:+48601111222@127.0.0.1:5070").unwrap();
    let host = Host::V4([127, 0, 0, 1].into());
    Message::request(Method::Ack, uri)
        .header(&Via::new(
            Transport::Udp,
            host,
            Some(UAC),
            &format!("z9hG4bKack{call}"),
        ))
        .header(&MaxForwards(70))
        .header(&response.from().unwrap())
        .header(&response.to().unwrap())
        .header(&response.call_id().unwrap())
        .header(&CSeq {
            seq: 1,
            method: Method::Ack,
        })
        .build()
}

/// Serialize and parse: what a datagram costs its two ends outside the layer.
fn wire(message: &Message) -> Message {
    Message::parse(message.to_bytes()).unwrap()
}

/// Two layers with minimal cores, on a virtual clock.
struct Pair {
    uac: TransactionLayer,
    uas: TransactionLayer,
    now: Instant,
    call: u64,
    on_wire: u64,
}

impl Pair {
    fn new() -> Pair {
        Pair {
            uac: TransactionLayer::new(TimerSettings::default()),
            uas: TransactionLayer::new(TimerSettings::default()),
            now: Instant::now(),
            call: 0,
            on_wire: 0,
        }
    }

    /// One whole call; returns the messages it put on the wire.
    fn call(&mut self) -> u64 {
        self.call += 1;
        self.now += CALL_SPACING;
        self.uac.handle_timeout(self.now);
        self.uas.handle_timeout(self.now);
        let before = self.on_wire;
        let call = self.call;
        let invite = request(Method::Invite, &format!("z9hG4bKi{call}"), call, 1);
        self.uac
            .send_request(invite, addr(UAS), false, self.now)
            .unwrap();
        self.shuttle();
        let bye = request(Method::Bye, &format!("z9hG4bKb{call}"), call, 2);
        self.uac
            .send_request(bye, addr(UAS), false, self.now)
            .unwrap();
        self.shuttle();
        self.on_wire - before
    }

    /// Moves datagrams both ways and runs both cores until nothing moves.
    fn shuttle(&mut self) {
        loop {
            let mut moved = false;
            while let Some(t) = self.uac.poll_transmit() {
                moved = true;
                self.on_wire += 1;
                let m = Message::parse(t.payload).unwrap();
                self.uas.handle_message(m, addr(UAC), false, self.now);
            }
            while let Some(e) = self.uas.poll_event() {
                moved = true;
                if let TransactionEvent::Request { key, request, .. } = e {
                    let reply = answer(&request, 200, "OK");
                    self.uas.send_response(&key, reply, self.now).unwrap();
                }
            }
            while let Some(t) = self.uas.poll_transmit() {
                moved = true;
                self.on_wire += 1;
                let m = Message::parse(t.payload).unwrap();
                self.uac.handle_message(m, addr(UAS), false, self.now);
            }
            while let Some(e) = self.uac.poll_event() {
                moved = true;
                if let TransactionEvent::Response { response, .. } = e
                    && response.cseq().unwrap().method == Method::Invite
                    && response.status() == Some(200)
                {
                    let ack = ack_for_2xx(&response, self.call);
                    self.uac.send_stateless(&ack, addr(UAS));
                }
            }
            if !moved {
                return;
            }
        }
    }
}

/// The same six messages built, serialized and parsed, with no layer.
fn call_without_layer(call: u64) -> u64 {
    let invite = wire(&request(
        Method::Invite,
        &format!("z9hG4bKi{call}"),
        call,
        1,
    ));
    let trying = wire(&Message::response_to(&invite, 100, "Trying").build());
    let ok = wire(&answer(&invite, 200, "OK"));
    let ack = wire(&ack_for_2xx(&ok, call));
    let bye = wire(&request(Method::Bye, &format!("z9hG4bKb{call}"), call, 2));
    let bye_ok = wire(&answer(&bye, 200, "OK"));
    black_box((trying, ack, bye_ok));
    MESSAGES_PER_CALL
}

fn transaction_calls(c: &mut Criterion) {
    let mut pair = Pair::new();
    assert_eq!(pair.call(), MESSAGES_PER_CALL, "six messages per call");
    let mut group = c.benchmark_group("sip_transaction_call");
    group.throughput(Throughput::Elements(MESSAGES_PER_CALL));
    let mut call = 0;
    group.bench_function("codec_only", |b| {
        b.iter(|| {
            call += 1;
            call_without_layer(black_box(call))
        })
    });
    group.bench_function("transaction_layer", |b| b.iter(|| pair.call()));
    group.finish();
    eprintln!(
        "transactions alive at the end: {} (UAC) + {} (UAS) after {} calls",
        pair.uac.len(),
        pair.uas.len(),
        pair.call
    );
}

criterion_group!(benches, transaction_calls);
criterion_main!(benches);
