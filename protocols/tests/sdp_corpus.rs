//! Real-world-shaped session descriptions under `tests/data/sdp/`: each is read, written
//! back byte-exact (CRLF), and answered by the RFC 3264 helper with a known outcome.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use protocols::sdp::{self, Direction, Law, LocalMedia, Negotiated, NegotiationError};

fn data(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data/sdp")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn local() -> LocalMedia {
    LocalMedia::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)), 20000)
}

const CANONICAL: &[&str] = &[
    "sipp-uac.sdp",
    "asterisk-offer.sdp",
    "freeswitch-offer.sdp",
    "ipv6.sdp",
    "hold.sdp",
    "hold-rfc2543.sdp",
    "two-streams.sdp",
    "rfc8866-example.sdp",
    "multicast.sdp",
    "srtp-only.sdp",
];

#[test]
fn every_file_is_written_back_byte_exact() {
    for name in CANONICAL {
        let bytes = data(name);
        let sdp = sdp::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sdp.encode().as_bytes(), bytes.as_slice(), "{name}");
    }
}

#[test]
fn lf_only_input_is_written_with_crlf() {
    let bytes = data("lf-only.sdp");
    assert!(!bytes.contains(&b'\r'));
    let sdp = sdp::parse(&bytes).unwrap();
    let crlf = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
    assert_eq!(sdp.encode(), crlf);
}

/// What answering each file must agree: media index, law, payload type,
/// telephone-event PT, remote RTP address, our direction, on hold.
type Outcome = (usize, Law, u8, Option<u8>, &'static str, Direction, bool);

const ANSWERS: &[(&str, Outcome)] = &[
    (
        "sipp-uac.sdp",
        (
            0,
            Law::Ulaw,
            0,
            None,
            "127.0.0.1:6000",
            Direction::SendRecv,
            false,
        ),
    ),
    (
        "asterisk-offer.sdp",
        (
            0,
            Law::Alaw,
            8,
            Some(101),
            "192.0.2.20:10758",
            Direction::SendRecv,
            false,
        ),
    ),
    (
        "freeswitch-offer.sdp",
        (
            0,
            Law::Alaw,
            8,
            Some(101),
            "203.0.113.30:24682",
            Direction::SendRecv,
            false,
        ),
    ),
    (
        "ipv6.sdp",
        (
            0,
            Law::Alaw,
            8,
            Some(101),
            "[2001:db8::10]:49170",
            Direction::SendRecv,
            false,
        ),
    ),
    (
        "hold.sdp",
        (
            0,
            Law::Alaw,
            8,
            Some(101),
            "192.0.2.20:10758",
            Direction::RecvOnly,
            true,
        ),
    ),
    (
        "hold-rfc2543.sdp",
        (
            0,
            Law::Alaw,
            8,
            None,
            "0.0.0.0:16384",
            Direction::RecvOnly,
            true,
        ),
    ),
    (
        "two-streams.sdp",
        (
            1,
            Law::Alaw,
            8,
            None,
            "198.51.100.40:49170",
            Direction::SendRecv,
            false,
        ),
    ),
    (
        "rfc8866-example.sdp",
        (
            0,
            Law::Ulaw,
            0,
            None,
            "198.51.100.1:49170",
            Direction::SendRecv,
            false,
        ),
    ),
    (
        "multicast.sdp",
        (
            0,
            Law::Ulaw,
            0,
            None,
            "233.252.0.1:49170",
            Direction::SendOnly,
            false,
        ),
    ),
    (
        "lf-only.sdp",
        (
            0,
            Law::Alaw,
            8,
            None,
            "192.0.2.50:30000",
            Direction::SendRecv,
            false,
        ),
    ),
];

fn outcome(
    n: &Negotiated,
) -> (
    usize,
    Law,
    u8,
    Option<u8>,
    Option<SocketAddr>,
    Direction,
    bool,
) {
    let remote = n.remote_rtp();
    (
        n.media_index,
        n.law,
        n.payload_type,
        n.telephone_event,
        remote,
        n.direction,
        n.on_hold,
    )
}

#[test]
fn each_offer_is_answered_as_expected() {
    for &(name, (index, law, pt, te, remote, direction, hold)) in ANSWERS {
        let offer = sdp::parse(&data(name)).unwrap();
        let answer = local()
            .answer(&offer, 1, 1)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expected = (index, law, pt, te, remote.parse().ok(), direction, hold);
        assert_eq!(outcome(&answer.negotiated), expected, "{name}");
        assert_eq!(answer.sdp.media.len(), offer.media.len(), "{name}");
        for (i, m) in answer.sdp.media.iter().enumerate() {
            assert_eq!(m.port == 0, i != index, "{name}: m= line {i}");
        }
        let reread = sdp::parse(answer.sdp.encode().as_bytes()).unwrap();
        let ours = sdp::accept_answer(&offer, &reread).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (ours.law, ours.payload_type),
            (law, pt),
            "{name}: offerer's view"
        );
    }
}

#[test]
fn freeswitch_details() {
    let offer = sdp::parse(&data("freeswitch-offer.sdp")).unwrap();
    let answer = local().answer(&offer, 1, 1).unwrap();
    assert_eq!(answer.negotiated.remote_rtcp_port, Some(24683));
    assert_eq!(
        answer.negotiated.remote_ptime,
        Some(Duration::from_millis(20))
    );
    let m = &offer.media[0];
    assert_eq!(
        m.codec(102).map(|c| (c.encoding, c.channels)),
        Some(("opus", Some(2)))
    );
    assert_eq!(m.fmtp(18).map(|f| f.params.as_str()), Some("annexb=no"));
}

#[test]
fn ipv6_offer_uses_rtcp_mux() {
    let offer = sdp::parse(&data("ipv6.sdp")).unwrap();
    let answer = local().answer(&offer, 1, 1).unwrap();
    assert!(answer.negotiated.rtcp_mux);
    assert!(answer.sdp.media[0].rtcp_mux());
}

#[test]
fn srtp_only_offer_is_not_acceptable() {
    let offer = sdp::parse(&data("srtp-only.sdp")).unwrap();
    assert_eq!(
        local().answer(&offer, 1, 1),
        Err(NegotiationError::NoCommonCodec)
    );
}

#[test]
fn bad_files_are_refused_with_their_line() {
    let table = [
        ("bad/port.sdp", 6),
        ("bad/no-origin.sdp", 2),
        ("bad/rtpmap.sdp", 7),
    ];
    for (name, line) in table {
        let err = sdp::parse(&data(name)).unwrap_err();
        assert_eq!(err.line(), Some(line), "{name}: {err}");
    }
}
