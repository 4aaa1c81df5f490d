//! Two transaction layers on a virtual clock, joined by a seeded lossy link.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::messages::cancel_for;
use super::*;
use crate::sip::header::{CSeq, CallId, MaxForwards, Transport, Via};
use crate::sip::{Host, Message, Method, Uri};

const T1: Duration = Duration::from_millis(500);

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

const UAC: u16 = 5060;
const UAS: u16 = 5070;

fn request(method: Method, branch: &str, call: u32, seq: u32) -> Message {
    let uri = Uri::parse(b"sip:+48601111222@127.0.0.1:5070").unwrap();
    let host = Host::V4([127, 0, 0, 1].into());
    Message::request(method.clone(), uri)
        .header(&Via::new(Transport::Udp, host, Some(UAC), branch))
        .header(&MaxForwards(70))
        .raw_header("From", "<sip:+48225551000@127.0.0.1>;tag=a1")
        .raw_header("To", "<sip:+48601111222@127.0.0.1>")
        .header(&CallId(format!("call-{call}@127.0.0.1")))
        .header(&CSeq { seq, method })
        .build()
}

/// The ACK a UAC core sends for a 2xx: a new branch, outside any transaction.
fn ack_2xx(response: &Message, call: u32) -> Message {
    let mut ack = request(Method::Ack, &format!("z9hG4bKack{call}"), call, 1);
    let to = response.to().unwrap();
    ack = Message::request(Method::Ack, ack.request_line().unwrap().uri.clone())
        .header(&ack.via().unwrap()[0])
        .header(&MaxForwards(70))
        .header(&ack.from().unwrap())
        .header(&to)
        .header(&ack.call_id().unwrap())
        .header(&CSeq {
            seq: 1,
            method: Method::Ack,
        })
        .build();
    ack
}

/// A xorshift generator: the same seed gives the same losses on every run.
struct Rng(u64);

impl Rng {
    fn chance(&mut self, percent: u64) -> bool {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % 100 < percent
    }
}

/// How the UAS answers an INVITE.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    Ok,
    Busy,
    RingOnly,
    Never,
}

/// A UAC layer and a UAS layer with simple cores on top.
struct Pair {
    uac: TransactionLayer,
    uas: TransactionLayer,
    t0: Instant,
    now: Instant,
    loss: u64,
    rng: Rng,
    reliable: bool,
    answer: Answer,
    /// (time since t0, bytes) of everything the UAC put on the wire.
    uac_sent: Vec<(Duration, Bytes)>,
    uas_sent: Vec<(Duration, Bytes)>,
    uac_events: Vec<(Duration, TransactionEvent)>,
    uas_events: Vec<(Duration, TransactionEvent)>,
}

impl Pair {
    fn new(loss: u64, seed: u64) -> Pair {
        let t0 = Instant::now();
        Pair {
            uac: TransactionLayer::new(TimerSettings::default()),
            uas: TransactionLayer::new(TimerSettings::default()),
            t0,
            now: t0,
            loss,
            rng: Rng(seed),
            reliable: false,
            answer: Answer::Ok,
            uac_sent: vec![],
            uas_sent: vec![],
            uac_events: vec![],
            uas_events: vec![],
        }
    }

    fn elapsed(&self) -> Duration {
        self.now - self.t0
    }

    fn send(&mut self, request: Message) -> ClientKey {
        let key = self
            .uac
            .send_request(request, addr(UAS), self.reliable, self.now)
            .unwrap();
        self.shuttle();
        key
    }

    /// Delivers everything in flight (each datagram may be lost) and runs both cores
    /// until nothing moves.
    fn shuttle(&mut self) {
        loop {
            let mut moved = false;
            while let Some(t) = self.uac.poll_transmit() {
                moved = true;
                self.uac_sent.push((self.elapsed(), t.payload.clone()));
                if !self.rng.chance(self.loss) {
                    let m = Message::parse(t.payload).unwrap();
                    self.uas
                        .handle_message(m, addr(UAC), self.reliable, self.now);
                }
            }
            while let Some(t) = self.uas.poll_transmit() {
                moved = true;
                self.uas_sent.push((self.elapsed(), t.payload.clone()));
                if !self.rng.chance(self.loss) {
                    let m = Message::parse(t.payload).unwrap();
                    self.uac
                        .handle_message(m, addr(UAS), self.reliable, self.now);
                }
            }
            while let Some(e) = self.uas.poll_event() {
                moved = true;
                self.uas_core(&e);
                self.uas_events.push((self.elapsed(), e));
            }
            while let Some(e) = self.uac.poll_event() {
                moved = true;
                self.uac_core(&e);
                self.uac_events.push((self.elapsed(), e));
            }
            if !moved {
                return;
            }
        }
    }

    fn uas_core(&mut self, event: &TransactionEvent) {
        let TransactionEvent::Request {
            key,
            request,
            cancels,
            ..
        } = event
        else {
            return;
        };
        let mut to = request.to().unwrap();
        to.set_tag("b2");
        let reply = |code, reason| {
            Message::response_to(request, code, reason)
                .replace(&to)
                .build()
        };
        let now = self.now;
        match request.method().unwrap() {
            Method::Invite => match self.answer {
                Answer::Ok => self.uas.send_response(key, reply(200, "OK"), now).unwrap(),
                Answer::Busy => self
                    .uas
                    .send_response(key, reply(486, "Busy Here"), now)
                    .unwrap(),
                Answer::RingOnly => self
                    .uas
                    .send_response(key, reply(180, "Ringing"), now)
                    .unwrap(),
                Answer::Never => {}
            },
            Method::Cancel => {
                self.uas.send_response(key, reply(200, "OK"), now).unwrap();
                let invite = cancels.as_ref().unwrap();
                let terminated = Message::response(487, "Request Terminated");
                // The 487 answers the INVITE: copy its fields from the CANCEL, which
                // shares them, but with CSeq method INVITE.
                let cseq = CSeq {
                    seq: request.cseq().unwrap().seq,
                    method: Method::Invite,
                };
                let response = terminated
                    .header(&request.via().unwrap()[0])
                    .header(&request.from().unwrap())
                    .header(&to)
                    .header(&request.call_id().unwrap())
                    .header(&cseq)
                    .build();
                self.uas.send_response(invite, response, now).unwrap();
            }
            _ => self.uas.send_response(key, reply(200, "OK"), now).unwrap(),
        }
    }

    fn uac_core(&mut self, event: &TransactionEvent) {
        let response = match event {
            TransactionEvent::Response { response, .. } => response,
            TransactionEvent::Stray { message, .. } if !message.is_request() => message,
            _ => return,
        };
        let cseq = response.cseq().unwrap();
        if cseq.method == Method::Invite && (200..300).contains(&response.status().unwrap()) {
            let call: u32 = response.call_id().unwrap().0[5..]
                .split('@')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            self.uac.send_stateless(&ack_2xx(response, call), addr(UAS));
        }
    }

    /// Runs timers until `limit` after t0 (or until both layers are idle).
    fn run_until(&mut self, limit: Duration) {
        self.shuttle();
        loop {
            let next = [self.uac.poll_timeout(), self.uas.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next.filter(|&t| t <= self.t0 + limit) else {
                break;
            };
            self.now = self.now.max(next);
            self.uac.handle_timeout(self.now);
            self.uas.handle_timeout(self.now);
            self.shuttle();
        }
        self.now = self.now.max(self.t0 + limit);
    }

    fn uac_finals(&self) -> Vec<(Method, u16)> {
        self.uac_events
            .iter()
            .filter_map(|(_, e)| match e {
                TransactionEvent::Response { response, .. }
                    if response.status().unwrap() >= 200 =>
                {
                    Some((response.cseq().unwrap().method, response.status().unwrap()))
                }
                _ => None,
            })
            .collect()
    }
}

fn times(sent: &[(Duration, Bytes)], start: &str) -> Vec<Duration> {
    sent.iter()
        .filter(|(_, b)| b.starts_with(start.as_bytes()))
        .map(|(t, _)| *t)
        .collect()
}

#[test]
fn with_total_loss_invite_is_resent_at_0_t1_3t1_and_timer_b_fires_at_64_t1() {
    let mut pair = Pair::new(100, 1);
    let key = pair.send(request(Method::Invite, "z9hG4bKinv1", 1, 1));
    pair.run_until(Duration::from_secs(60));
    let expected: Vec<Duration> = [0, 1, 3, 7, 15, 31, 63].iter().map(|&n| n * T1).collect();
    assert_eq!(times(&pair.uac_sent, "INVITE"), expected);
    assert_eq!(
        pair.uac_events,
        vec![(64 * T1, TransactionEvent::Timeout { key })]
    );
    assert!(pair.uac.is_empty(), "the transaction is gone");
}

#[test]
fn with_total_loss_bye_is_resent_up_to_t2_and_timer_f_fires_at_64_t1() {
    let mut pair = Pair::new(100, 1);
    pair.send(request(Method::Bye, "z9hG4bKbye1", 1, 2));
    pair.run_until(Duration::from_secs(60));
    let ms: Vec<u128> = times(&pair.uac_sent, "BYE")
        .iter()
        .map(|t| t.as_millis())
        .collect();
    // T1, 2·T1, 4·T1, then capped at T2 = 4 s.
    assert_eq!(
        ms,
        vec![
            0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500
        ]
    );
    assert!(matches!(pair.uac_events[..], [(t, TransactionEvent::Timeout { .. })] if t == 64 * T1));
}

#[test]
fn over_tcp_nothing_is_resent_but_timer_b_still_fires() {
    let mut pair = Pair::new(100, 1);
    pair.reliable = true;
    pair.send(request(Method::Invite, "z9hG4bKtcp", 1, 1));
    pair.run_until(Duration::from_secs(60));
    assert_eq!(times(&pair.uac_sent, "INVITE"), vec![Duration::ZERO]);
    assert!(matches!(pair.uac_events[..], [(t, TransactionEvent::Timeout { .. })] if t == 64 * T1));
}

#[test]
fn every_call_completes_over_a_link_losing_30_percent() {
    let mut pair = Pair::new(30, 0x5EED_CA11);
    for call in 0..200 {
        pair.send(request(Method::Invite, &format!("z9hG4bKi{call}"), call, 1));
        pair.run_until(pair.elapsed() + Duration::from_secs(40));
        pair.send(request(Method::Bye, &format!("z9hG4bKb{call}"), call, 2));
        pair.run_until(pair.elapsed() + Duration::from_secs(40));
    }
    // Calls that got a 200 (a 2xx whose ACK was lost comes again, and is ACKed again).
    let answered = |method: Method| {
        let mut calls: Vec<String> = pair
            .uac_events
            .iter()
            .filter_map(|(_, e)| match e {
                TransactionEvent::Response { response, .. }
                    if response.status() == Some(200)
                        && response.cseq().unwrap().method == method =>
                {
                    Some(response.call_id().unwrap().0)
                }
                _ => None,
            })
            .collect();
        calls.sort();
        calls.dedup();
        calls.len()
    };
    assert_eq!(answered(Method::Invite), 200, "every INVITE was answered");
    assert_eq!(answered(Method::Bye), 200, "every BYE was answered");
    let timeouts = pair
        .uac_events
        .iter()
        .filter(|(_, e)| matches!(e, TransactionEvent::Timeout { .. }));
    assert_eq!(timeouts.count(), 0);
    assert!(
        times(&pair.uac_sent, "INVITE").len() > 250,
        "the link did lose INVITEs"
    );
    let acked = pair
        .uas_events
        .iter()
        .filter(|(_, e)| matches!(e, TransactionEvent::Ack { .. }))
        .count();
    assert_eq!(acked, 200, "every 2xx was acknowledged");
    let requests = pair
        .uas_events
        .iter()
        .filter(|(_, e)| matches!(e, TransactionEvent::Request { .. }));
    assert_eq!(
        requests.count(),
        400,
        "retransmissions never look like new requests"
    );
    pair.run_until(pair.elapsed() + Duration::from_secs(60));
    assert!(
        pair.uac.is_empty() && pair.uas.is_empty(),
        "no transaction leaks"
    );
}

#[test]
fn busy_is_acked_by_the_layer_and_retransmitted_486s_are_absorbed() {
    let mut pair = Pair::new(0, 1);
    pair.answer = Answer::Busy;
    pair.send(request(Method::Invite, "z9hG4bKbusy", 1, 1));
    assert_eq!(pair.uac_finals(), vec![(Method::Invite, 486)]);
    let acks = times(&pair.uac_sent, "ACK");
    assert_eq!(
        acks,
        vec![Duration::ZERO],
        "the layer ACKs a non-2xx itself"
    );
    let ack = Message::parse(pair.uac_sent.last().unwrap().1.clone()).unwrap();
    assert_eq!(
        ack.via().unwrap()[0].branch(),
        Some("z9hG4bKbusy"),
        "same branch as the INVITE"
    );
    assert_eq!(ack.to().unwrap().tag(), Some("b2"));
    pair.run_until(Duration::from_secs(60));
    assert!(pair.uac.is_empty() && pair.uas.is_empty());
    assert!(
        !pair
            .uas_events
            .iter()
            .any(|(_, e)| matches!(e, TransactionEvent::AckTimeout { .. }))
    );
}

#[test]
fn a_lost_ack_brings_the_486_again_and_the_ack_again() {
    let mut pair = Pair::new(0, 1);
    pair.answer = Answer::Busy;
    pair.uac
        .send_request(
            request(Method::Invite, "z9hG4bKlost", 1, 1),
            addr(UAS),
            false,
            pair.now,
        )
        .unwrap();
    // Deliver the INVITE, let the 100 and 486 through, then drop the ACK.
    let invite = pair.uac.poll_transmit().unwrap();
    pair.uas.handle_message(
        Message::parse(invite.payload).unwrap(),
        addr(UAC),
        false,
        pair.now,
    );
    while let Some(e) = pair.uas.poll_event() {
        pair.uas_core(&e);
    }
    while let Some(t) = pair.uas.poll_transmit() {
        pair.uac.handle_message(
            Message::parse(t.payload).unwrap(),
            addr(UAS),
            false,
            pair.now,
        );
    }
    let lost_ack = pair.uac.poll_transmit().unwrap();
    assert!(lost_ack.payload.starts_with(b"ACK"));
    pair.run_until(Duration::from_secs(60));
    assert_eq!(
        times(&pair.uas_sent, "SIP/2.0 486")[0],
        T1,
        "Timer G resends the 486"
    );
    assert_eq!(
        times(&pair.uac_sent, "ACK"),
        vec![T1],
        "and the ACK follows it"
    );
}

#[test]
fn an_unacknowledged_2xx_is_resent_until_64_t1() {
    let mut pair = Pair::new(0, 1);
    pair.uac
        .send_request(
            request(Method::Invite, "z9hG4bKnoack", 1, 1),
            addr(UAS),
            false,
            pair.now,
        )
        .unwrap();
    let invite = pair.uac.poll_transmit().unwrap();
    pair.uas.handle_message(
        Message::parse(invite.payload).unwrap(),
        addr(UAC),
        false,
        pair.now,
    );
    pair.loss = 100; // nothing comes back
    pair.run_until(Duration::from_secs(60));
    let ms: Vec<u128> = times(&pair.uas_sent, "SIP/2.0 200")
        .iter()
        .map(|t| t.as_millis())
        .collect();
    assert_eq!(
        ms,
        vec![
            0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500
        ]
    );
    assert!(
        pair.uas_events
            .iter()
            .any(|(t, e)| *t == 64 * T1 && matches!(e, TransactionEvent::AckTimeout { .. }))
    );
}

#[test]
fn cancel_gets_200_and_the_invite_487_which_is_acked() {
    let mut pair = Pair::new(0, 1);
    pair.answer = Answer::RingOnly;
    let invite = request(Method::Invite, "z9hG4bKcan", 1, 1);
    pair.send(invite.clone());
    pair.send(cancel_for(&invite).unwrap());
    assert_eq!(
        pair.uac_finals(),
        vec![(Method::Cancel, 200), (Method::Invite, 487)]
    );
    assert_eq!(times(&pair.uac_sent, "ACK").len(), 1);
    let cancel = pair.uas_events.iter().find_map(|(_, e)| match e {
        TransactionEvent::Request {
            cancels, request, ..
        } if request.method() == Some(&Method::Cancel) => Some(cancels.clone()),
        _ => None,
    });
    assert!(matches!(cancel, Some(Some(ServerKey { ref id, .. })) if id == "z9hG4bKcan"));
    pair.run_until(Duration::from_secs(60));
    assert!(pair.uac.is_empty() && pair.uas.is_empty());
}

#[test]
fn cancel_matching_nothing_gets_481() {
    let mut pair = Pair::new(0, 1);
    let invite = request(Method::Invite, "z9hG4bKnone", 1, 1);
    pair.send(cancel_for(&invite).unwrap());
    assert_eq!(pair.uac_finals(), vec![(Method::Cancel, 481)]);
    assert!(pair.uas_events.is_empty(), "the TU never sees it");
}

#[test]
fn a_retransmitted_invite_is_one_request_and_gets_the_last_response_again() {
    let mut pair = Pair::new(0, 1);
    pair.answer = Answer::Never;
    let invite = request(Method::Invite, "z9hG4bKdup", 1, 1);
    for _ in 0..3 {
        pair.uas
            .handle_message(invite.clone(), addr(UAC), false, pair.now);
    }
    pair.shuttle();
    let requests = pair
        .uas_events
        .iter()
        .filter(|(_, e)| matches!(e, TransactionEvent::Request { .. }));
    assert_eq!(requests.count(), 1);
    assert_eq!(
        times(&pair.uas_sent, "SIP/2.0 100").len(),
        3,
        "100 Trying each time"
    );
}

#[test]
fn rfc2543_requests_without_the_magic_cookie_are_matched_too() {
    let mut pair = Pair::new(0, 1);
    pair.answer = Answer::Never;
    let invite = request(Method::Invite, "old-style-1", 1, 1);
    pair.uas
        .handle_message(invite.clone(), addr(UAC), false, pair.now);
    pair.uas.handle_message(invite, addr(UAC), false, pair.now);
    pair.shuttle();
    let requests = pair
        .uas_events
        .iter()
        .filter(|(_, e)| matches!(e, TransactionEvent::Request { .. }));
    assert_eq!(requests.count(), 1);
}

#[test]
fn an_abandoned_invite_is_forgotten_without_an_event() {
    let mut pair = Pair::new(0, 1);
    pair.answer = Answer::RingOnly;
    let key = pair.send(request(Method::Invite, "z9hG4bKgone", 1, 1));
    assert_eq!(pair.uac.len(), 1, "Proceeding waits for a final response");
    pair.uac.abandon(&key);
    pair.run_until(Duration::from_secs(60));
    assert!(pair.uac.is_empty());
    let timeouts = pair
        .uac_events
        .iter()
        .filter(|(_, e)| matches!(e, TransactionEvent::Timeout { .. }));
    assert_eq!(timeouts.count(), 0);
}
