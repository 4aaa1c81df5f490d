//! Parsing a typical INVITE with an SDP body and reading the headers a call needs
//! (top Via branch, From tag, To, Call-ID, CSeq, Contact URI, Content-Length), with
//! callbackd's codec and with rsip 0.4, in one criterion group.
//!
//! `cargo bench --bench sip_parse -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use bytes::Bytes;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rsip::prelude::*;

const INVITE: &[u8] = b"INVITE sip:+48601234567@gw.operator.example;user=phone SIP/2.0\r\n\
Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n\
Max-Forwards: 70\r\n\
From: \"Callback\" <sip:+48225551000@pbx.example.com;user=phone>;tag=1928301774\r\n\
To: <sip:+48601234567@gw.operator.example;user=phone>\r\n\
Call-ID: a84b4c76e66710@pbx.example.com\r\n\
CSeq: 314159 INVITE\r\n\
Contact: <sip:callback@192.0.2.10:5060;transport=udp>\r\n\
Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, PRACK, INFO\r\n\
Supported: 100rel, timer\r\n\
User-Agent: callbackd/0.1\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 230\r\n\
\r\n\
v=0\r\n\
o=callbackd 2890844526 2890844526 IN IP4 192.0.2.10\r\n\
s=-\r\n\
c=IN IP4 192.0.2.10\r\n\
t=0 0\r\n\
m=audio 20000 RTP/AVP 8 0 101\r\n\
a=rtpmap:8 PCMA/8000\r\n\
a=rtpmap:0 PCMU/8000\r\n\
a=rtpmap:101 telephone-event/8000\r\n\
a=fmtp:101 0-16\r\n\
a=ptime:20\r\n";

fn ours(input: &[u8]) -> usize {
    let m = protocols::sip::Message::parse(Bytes::copy_from_slice(input)).unwrap();
    let via = m.via().unwrap();
    let branch = via[0].branch().unwrap().len();
    let tag = m.from().unwrap().tag().unwrap().len();
    let to = black_box(m.to().unwrap());
    let call_id = m.call_id().unwrap().0.len();
    let cseq = m.cseq().unwrap().seq as usize;
    let contact = black_box(m.contacts().unwrap()[0].addr().unwrap().uri.clone());
    let length = m.content_length().unwrap().unwrap().0;
    drop((to, contact));
    branch + tag + call_id + cseq + length
}

fn theirs(input: &[u8]) -> usize {
    let m = rsip::Request::try_from(input).unwrap();
    let branch = m
        .via_header()
        .unwrap()
        .typed()
        .unwrap()
        .branch()
        .unwrap()
        .to_string()
        .len();
    let tag = m
        .from_header()
        .unwrap()
        .typed()
        .unwrap()
        .tag()
        .unwrap()
        .to_string()
        .len();
    let to = black_box(m.to_header().unwrap().typed().unwrap());
    let call_id = m.call_id_header().unwrap().value().len();
    let cseq = m.cseq_header().unwrap().typed().unwrap().seq as usize;
    let contact = black_box(m.contact_header().unwrap().typed().unwrap().uri);
    let length = m
        .headers
        .iter()
        .find_map(|h| match h {
            rsip::Header::ContentLength(l) => l.length().ok(),
            _ => None,
        })
        .unwrap() as usize;
    drop((to, contact));
    branch + tag + call_id + cseq + length
}

fn parse_invite(c: &mut Criterion) {
    assert_eq!(
        ours(INVITE),
        theirs(INVITE),
        "both parsers read the same values"
    );
    let mut group = c.benchmark_group("sip_parse_invite");
    group.throughput(Throughput::Bytes(INVITE.len() as u64));
    group.bench_function("callbackd", |b| b.iter(|| ours(black_box(INVITE))));
    group.bench_function("rsip", |b| b.iter(|| theirs(black_box(INVITE))));
    group.finish();
}

criterion_group!(benches, parse_invite);
criterion_main!(benches);
