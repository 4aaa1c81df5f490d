//! RTP packets and RFC 4733 payloads from arbitrary datagrams: parsing never panics, a
//! parsed packet re-written without CSRCs/extension/padding parses back to the same header
//! and payload, and the event receiver reports at most one key per packet.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocols::rtp::telephone_event::EventReceiver;
use protocols::rtp::{RtpPacket, is_rtcp};

fuzz_target!(|data: &[u8]| {
    let _ = is_rtcp(data);
    let Ok(packet) = RtpPacket::parse(data) else { return };
    let rewritten = packet.header.to_datagram(packet.payload);
    let again = RtpPacket::parse(&rewritten).expect("a written packet parses");
    assert_eq!(again, packet);
    let mut receiver = EventReceiver::new();
    let _ = receiver.receive(packet.header.timestamp, packet.payload);
    assert_eq!(receiver.receive(packet.header.timestamp, packet.payload).ok().flatten(), None);
});
