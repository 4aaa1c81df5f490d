//! The media engine against plain UDP sockets on loopback, on tokio's paused clock: what
//! an endpoint sends and hears, and what a bridge relays.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use drivers::media::endpoint::{self, EndpointCommand};
use drivers::media::{
    MediaClock, MediaCounters, MediaEvent, MediaParams, PortPool, RtpSocket, Side, bridge,
};
use protocols::call::Digit;
use protocols::g711::Law;
use protocols::rtp::telephone_event::{EventPayload, EventSender};
use protocols::rtp::{RtpHeader, RtpPacket};
use protocols::tone::{Tone, TonePlan, ToneTable};
use tokio::sync::mpsc;
use tokio::time::{Instant, timeout};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const MEDIA_TIMEOUT: Duration = Duration::from_secs(30);
/// Bound on every wait, in virtual time.
const WAIT: Duration = Duration::from_secs(5);

fn digit(c: char) -> Digit {
    Digit::from_char(c).unwrap()
}

/// Sockets for the node (`node`) and for a test peer (`peer`), from a range of their own.
async fn sockets(low: u16) -> (RtpSocket, RtpSocket) {
    let pool = PortPool::new(LOOPBACK, low, low + 99);
    (
        pool.allocate().await.unwrap(),
        pool.allocate().await.unwrap(),
    )
}

async fn recv_packet(socket: &RtpSocket) -> (RtpHeader, Vec<u8>, SocketAddr) {
    let mut buf = [0u8; 2048];
    let (len, from) = timeout(WAIT, socket.rtp.recv_from(&mut buf))
        .await
        .unwrap()
        .unwrap();
    let packet = RtpPacket::parse(&buf[..len]).unwrap();
    (packet.header, packet.payload.to_vec(), from)
}

fn goertzel_power(samples: &[i16], frequency: f64) -> f64 {
    let coeff = 2.0 * (2.0 * std::f64::consts::PI * frequency / 8000.0).cos();
    let (mut s1, mut s2) = (0.0, 0.0);
    for &x in samples {
        let s = f64::from(x) + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    s1 * s1 + s2 * s2 - coeff * s1 * s2
}

/// Sends one key press as RFC 4733 packets from `peer` to `to`.
async fn press(peer: &RtpSocket, to: SocketAddr, key: char, timestamp: u32, seq: &mut u16) {
    let mut sender = EventSender::new(digit(key), timestamp, 800, 160, 10);
    while let Some(event) = sender.next_packet() {
        *seq = seq.wrapping_add(1);
        let header = RtpHeader {
            marker: event.marker,
            payload_type: 101,
            sequence: *seq,
            timestamp: event.timestamp,
            ssrc: 0x1234,
        };
        peer.rtp
            .send_to(&header.to_datagram(&event.payload), to)
            .await
            .unwrap();
    }
}

struct Setup {
    clock: MediaClock,
    counters: Arc<MediaCounters>,
    events: mpsc::Sender<MediaEvent>,
    heard: mpsc::Receiver<MediaEvent>,
}

fn setup() -> Setup {
    let (clock, _task) = MediaClock::start();
    let (events, heard) = mpsc::channel(64);
    Setup {
        clock,
        counters: Arc::new(MediaCounters::default()),
        events,
        heard,
    }
}

#[tokio::test(start_paused = true)]
async fn endpoint_plays_polish_dial_tone_as_pcma() {
    let s = setup();
    let (node, peer) = sockets(42000).await;
    let params = MediaParams::g711(peer.local_addr().unwrap(), Law::Alaw, Some(101));
    let ep = endpoint::spawn(
        node,
        params,
        s.clock,
        s.events,
        s.counters.clone(),
        MEDIA_TIMEOUT,
    );
    let dial = Arc::new(ToneTable::render(TonePlan::Pl, Tone::Dial, Law::Alaw));
    ep.send(EndpointCommand::Play(dial)).await.unwrap();

    let mut audio = Vec::new();
    let (first, payload, _) = recv_packet(&peer).await;
    assert!(
        first.marker,
        "the first packet of a talkspurt carries the marker"
    );
    assert_eq!(first.payload_type, 8);
    audio.extend(payload.iter().map(|&b| Law::Alaw.decode(b)));
    let mut last = first;
    for _ in 0..49 {
        let (header, payload, _) = recv_packet(&peer).await;
        assert_eq!(header.sequence, last.sequence.wrapping_add(1));
        assert_eq!(header.timestamp, last.timestamp.wrapping_add(160));
        assert_eq!(header.ssrc, first.ssrc);
        assert!(!header.marker);
        assert_eq!(payload.len(), 160);
        audio.extend(payload.iter().map(|&b| Law::Alaw.decode(b)));
        last = header;
    }
    let p425 = goertzel_power(&audio, 425.0);
    for other in [350.0, 440.0, 480.0, 1000.0] {
        assert!(
            p425 > 100.0 * goertzel_power(&audio, other),
            "425 Hz dominates {other} Hz"
        );
    }
    ep.stop().await.unwrap();
    assert!(s.counters.packets_out.load(Ordering::Relaxed) >= 50);
}

#[tokio::test(start_paused = true)]
async fn endpoint_collects_rfc4733_keys_once_each() {
    let mut s = setup();
    let (node, peer) = sockets(42100).await;
    let node_addr = node.local_addr().unwrap();
    let params = MediaParams::g711(peer.local_addr().unwrap(), Law::Alaw, Some(101));
    let ep = endpoint::spawn(node, params, s.clock, s.events, s.counters, MEDIA_TIMEOUT);
    let mut seq = 0;
    for (i, key) in "12#1".chars().enumerate() {
        press(&peer, node_addr, key, 1000 + 1600 * i as u32, &mut seq).await;
    }
    let mut keys = String::new();
    while keys.len() < 4 {
        match timeout(WAIT, s.heard.recv()).await.unwrap().unwrap() {
            MediaEvent::Digit(Side::A, d) => keys.push(d.as_char()),
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(keys, "12#1");
    assert!(
        timeout(Duration::from_millis(200), s.heard.recv())
            .await
            .is_err(),
        "nothing more"
    );
    ep.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn endpoint_latches_to_where_packets_come_from() {
    let s = setup();
    let (node, peer) = sockets(42200).await;
    let node_addr = node.local_addr().unwrap();
    // The SDP said a port nobody listens on; the peer's packets come from elsewhere.
    let stale = SocketAddr::new(LOOPBACK, 9);
    let ep = endpoint::spawn(
        node,
        MediaParams::g711(stale, Law::Ulaw, None),
        s.clock,
        s.events,
        s.counters,
        MEDIA_TIMEOUT,
    );
    let hello = RtpHeader {
        payload_type: 0,
        ssrc: 7,
        ..RtpHeader::default()
    };
    peer.rtp
        .send_to(&hello.to_datagram(&[0xFF; 160]), node_addr)
        .await
        .unwrap();
    let busy = Arc::new(ToneTable::render(TonePlan::Pl, Tone::Busy, Law::Ulaw));
    ep.send(EndpointCommand::Play(busy)).await.unwrap();
    let (header, _, from) = recv_packet(&peer).await;
    assert_eq!(header.payload_type, 0);
    assert_eq!(from, node_addr);
    ep.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn endpoint_sends_a_key_as_rfc4733_then_resumes_the_tone() {
    let s = setup();
    let (node, peer) = sockets(42300).await;
    let params = MediaParams::g711(peer.local_addr().unwrap(), Law::Alaw, Some(96));
    let ep = endpoint::spawn(node, params, s.clock, s.events, s.counters, MEDIA_TIMEOUT);
    let ring = Arc::new(ToneTable::render(TonePlan::Pl, Tone::Ringback, Law::Alaw));
    ep.send(EndpointCommand::Play(ring)).await.unwrap();
    let (audio, _, _) = recv_packet(&peer).await;
    ep.send(EndpointCommand::SendDigit(digit('5')))
        .await
        .unwrap();
    let mut events = Vec::new();
    let mut after = None;
    while after.is_none() {
        let (header, payload, _) = recv_packet(&peer).await;
        match header.payload_type {
            96 => events.push((header, EventPayload::parse(&payload).unwrap())),
            8 if !events.is_empty() => after = Some(header),
            8 => {}
            pt => panic!("unexpected payload type {pt}"),
        }
    }
    assert!(events[0].0.marker);
    assert!(
        events
            .iter()
            .all(|(h, e)| e.event == 5 && h.timestamp == events[0].0.timestamp)
    );
    assert_eq!(events.iter().filter(|(_, e)| e.end).count(), 3);
    assert_eq!(events.last().unwrap().1.duration, 800);
    let after = after.unwrap();
    assert!(after.marker, "audio after an event starts a new talkspurt");
    assert_eq!(after.timestamp, events[0].0.timestamp.wrapping_add(800));
    assert_eq!(after.ssrc, audio.ssrc);
    ep.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn endpoint_hears_inband_keys() {
    let mut s = setup();
    let (node, peer) = sockets(42400).await;
    let node_addr = node.local_addr().unwrap();
    let mut params = MediaParams::g711(peer.local_addr().unwrap(), Law::Ulaw, None);
    params.inband_dtmf = true;
    let ep = endpoint::spawn(node, params, s.clock, s.events, s.counters, MEDIA_TIMEOUT);
    // "7" then "0": 100 ms of each key, 100 ms apart, as 20 ms PCMU packets.
    let tones = [(852.0, 1209.0), (0.0, 0.0), (941.0, 1336.0), (0.0, 0.0)];
    let mut n = 0u32;
    for (seq, &(low, high)) in tones
        .iter()
        .flat_map(|t| std::iter::repeat_n(t, 5))
        .enumerate()
    {
        let payload: Vec<u8> = (0..160)
            .map(|_| {
                let t = f64::from(n) / 8000.0;
                n += 1;
                let x = 6000.0 * (2.0 * std::f64::consts::PI * low * t).sin()
                    + 7000.0 * (2.0 * std::f64::consts::PI * high * t).sin();
                Law::Ulaw.encode(if low == 0.0 { 0 } else { x as i16 })
            })
            .collect();
        let header = RtpHeader {
            payload_type: 0,
            sequence: seq as u16,
            timestamp: 160 * seq as u32,
            ssrc: 99,
            marker: seq == 0,
        };
        peer.rtp
            .send_to(&header.to_datagram(&payload), node_addr)
            .await
            .unwrap();
    }
    let mut keys = String::new();
    while keys.len() < 2 {
        if let MediaEvent::Digit(_, d) = timeout(WAIT, s.heard.recv()).await.unwrap().unwrap() {
            keys.push(d.as_char());
        }
    }
    assert_eq!(keys, "70");
    ep.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn endpoint_reports_a_silent_peer_after_the_media_timeout() {
    let mut s = setup();
    let (node, peer) = sockets(42500).await;
    let params = MediaParams::g711(peer.local_addr().unwrap(), Law::Alaw, None);
    let start = Instant::now();
    let ep = endpoint::spawn(node, params, s.clock, s.events, s.counters, MEDIA_TIMEOUT);
    let event = timeout(2 * MEDIA_TIMEOUT, s.heard.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event, MediaEvent::Timeout);
    assert_eq!(
        start.elapsed(),
        MEDIA_TIMEOUT,
        "virtual time: exactly the timeout"
    );
    ep.stop().await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn bridge_relays_both_ways_with_transcoding_and_event_mapping() {
    let mut s = setup();
    let (node_a, peer_a) = sockets(42600).await;
    let (node_b, peer_b) = sockets(42700).await;
    let (addr_a, addr_b) = (node_a.local_addr().unwrap(), node_b.local_addr().unwrap());
    let params_a = MediaParams::g711(peer_a.local_addr().unwrap(), Law::Alaw, Some(101));
    let params_b = MediaParams::g711(peer_b.local_addr().unwrap(), Law::Ulaw, Some(96));
    let bridge = bridge::spawn(
        (node_a, params_a),
        (node_b, params_b),
        s.events,
        s.counters.clone(),
        MEDIA_TIMEOUT,
    );

    // A → B: PCMA becomes PCMU carrying the same audio.
    let samples: Vec<i16> = (0..160).map(|n| ((n as i16) - 80) * 100).collect();
    let pcma: Vec<u8> = samples.iter().map(|&x| Law::Alaw.encode(x)).collect();
    let header = RtpHeader {
        payload_type: 8,
        sequence: 1,
        timestamp: 160,
        ssrc: 5,
        marker: true,
    };
    peer_a
        .rtp
        .send_to(&header.to_datagram(&pcma), addr_a)
        .await
        .unwrap();
    let (got, payload, from) = recv_packet(&peer_b).await;
    assert_eq!(from, addr_b, "relayed from the B leg's socket");
    assert_eq!(
        (got.payload_type, got.sequence, got.ssrc, got.marker),
        (0, 1, 5, true)
    );
    for (&x, &b) in samples.iter().zip(&payload) {
        let error = (i32::from(Law::Ulaw.decode(b)) - i32::from(x)).abs();
        assert!(
            error <= i32::from(x).abs() / 16 + 64,
            "{x} relayed as {error} off"
        );
    }

    // B → A: PCMU becomes PCMA.
    let header = RtpHeader {
        payload_type: 0,
        sequence: 9,
        timestamp: 0,
        ssrc: 6,
        marker: false,
    };
    peer_b
        .rtp
        .send_to(&header.to_datagram(&[0xFF; 160]), addr_b)
        .await
        .unwrap();
    let (got, payload, _) = recv_packet(&peer_a).await;
    assert_eq!(got.payload_type, 8);
    assert!(
        payload.iter().all(|&b| Law::Alaw.decode(b).abs() <= 8),
        "silence stays silence"
    );

    // A key from A reaches B on B's event payload type, and the session hears it.
    let mut seq = 100;
    press(&peer_a, addr_a, '9', 3200, &mut seq).await;
    let (got, payload, _) = recv_packet(&peer_b).await;
    assert_eq!(got.payload_type, 96);
    assert_eq!(EventPayload::parse(&payload).unwrap().event, 9);
    let heard = timeout(WAIT, s.heard.recv()).await.unwrap().unwrap();
    assert_eq!(heard, MediaEvent::Digit(Side::A, digit('9')));

    // RTCP is relayed port to port.
    let report = [0x80, 201, 0, 1, 0, 0, 0, 5];
    let rtcp_a = SocketAddr::new(LOOPBACK, addr_a.port() + 1);
    peer_a.rtcp.send_to(&report, rtcp_a).await.unwrap();
    let mut buf = [0u8; 64];
    let (len, _) = timeout(WAIT, peer_b.rtcp.recv_from(&mut buf))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(&buf[..len], &report);

    let (a, b) = bridge.stop().await.unwrap();
    assert_eq!(
        (a.local_addr().unwrap(), b.local_addr().unwrap()),
        (addr_a, addr_b)
    );
    assert!(s.counters.packets_in.load(Ordering::Relaxed) >= 2);
}
