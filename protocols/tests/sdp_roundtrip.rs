//! Generated session descriptions survive `encode` then `parse` unchanged.
//!
//! The generators produce exactly the values the reader can return: text without CR, LF
//! or NUL, tokens where RFC 8866 wants tokens, connection suffixes only where the address
//! type allows them, and [`Attribute::Other`] only under names that are not typed.

use std::net::IpAddr;
use std::time::Duration;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use protocols::sdp::{
    self, AddrType, Address, Attribute, Bandwidth, Connection, Direction, Fmtp, Host,
    MediaDescription, Origin, Rtcp, Rtpmap, SessionDescription, Timing,
};

const TOKEN: &str = "[A-Za-z0-9!#$%&'*+.^_`{|}~-]{1,10}";
const TEXT: &str = "[^\r\n\x00]{0,20}";
const TYPED: &[&str] = &[
    "rtpmap", "fmtp", "ptime", "maxptime", "rtcp", "rtcp-mux", "sendrecv", "sendonly", "recvonly",
    "inactive",
];

fn text() -> impl Strategy<Value = String> {
    TEXT.prop_map(String::from)
}

fn token() -> impl Strategy<Value = String> {
    TOKEN.prop_map(String::from)
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        any::<IpAddr>().prop_map(Host::Ip),
        "[a-z][a-z0-9-]{0,8}(\\.[a-z][a-z0-9-]{0,8}){0,2}".prop_map(Host::Name),
    ]
}

fn address() -> impl Strategy<Value = Address> {
    (host(), any::<bool>()).prop_map(|(host, v6)| match host {
        Host::Ip(ip) => Address::ip(ip),
        name => Address {
            addr_type: if v6 { AddrType::Ip6 } else { AddrType::Ip4 },
            host: name,
        },
    })
}

fn connection() -> impl Strategy<Value = Connection> {
    (address(), option::of(any::<u8>()), option::of(any::<u32>())).prop_map(
        |(address, ttl, count)| match address.addr_type {
            AddrType::Ip4 => Connection {
                address,
                ttl,
                count: ttl.and(count),
            },
            AddrType::Ip6 => Connection {
                address,
                ttl: None,
                count,
            },
        },
    )
}

fn millis() -> impl Strategy<Value = Duration> {
    (any::<u32>(), prop_oneof![Just(0u64), 1u64..1000])
        .prop_map(|(ms, micros)| Duration::from_micros(u64::from(ms) * 1000 + micros))
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::SendRecv),
        Just(Direction::SendOnly),
        Just(Direction::RecvOnly),
        Just(Direction::Inactive),
    ]
}

fn attribute() -> impl Strategy<Value = Attribute> {
    let rtpmap = (
        0u8..=127,
        "[A-Za-z0-9.+_-]{1,12}",
        any::<u32>(),
        option::of(any::<u16>()),
    )
        .prop_map(|(payload_type, encoding, clock_rate, channels)| {
            Attribute::Rtpmap(Rtpmap {
                payload_type,
                encoding,
                clock_rate,
                channels,
            })
        });
    let fmtp = (
        0u8..=127,
        prop_oneof![Just(String::new()), "[^ \r\n\x00][^\r\n\x00]{0,20}"],
    )
        .prop_map(|(payload_type, params)| {
            Attribute::Fmtp(Fmtp {
                payload_type,
                params,
            })
        });
    let rtcp = (any::<u16>(), option::of(address()))
        .prop_map(|(port, address)| Attribute::Rtcp(Rtcp { port, address }));
    let other = (token(), option::of(text()))
        .prop_filter("typed attribute name", |(name, _)| {
            !TYPED.contains(&name.as_str())
        })
        .prop_map(|(name, value)| Attribute::Other { name, value });
    prop_oneof![
        rtpmap,
        fmtp,
        millis().prop_map(Attribute::Ptime),
        millis().prop_map(Attribute::MaxPtime),
        direction().prop_map(Attribute::Direction),
        rtcp,
        Just(Attribute::RtcpMux),
        other,
    ]
}

fn bandwidth() -> impl Strategy<Value = Bandwidth> {
    (token(), any::<u64>()).prop_map(|(kind, value)| Bandwidth { kind, value })
}

fn timing() -> impl Strategy<Value = Timing> {
    (any::<u64>(), any::<u64>(), vec(text(), 0..2)).prop_map(|(start, stop, repeats)| Timing {
        start,
        stop,
        repeats,
    })
}

fn media() -> impl Strategy<Value = MediaDescription> {
    let line = (
        token(),
        any::<u16>(),
        option::of(any::<u16>()),
        "[A-Za-z0-9]{1,5}(/[A-Za-z0-9]{1,5}){0,3}",
        vec(token(), 0..5),
    );
    let rest = (
        option::of(text()),
        vec(connection(), 0..2),
        vec(bandwidth(), 0..2),
        option::of(text()),
        vec(attribute(), 0..8),
    );
    (line, rest).prop_map(|((media, port, port_count, proto, formats), rest)| {
        let (information, connections, bandwidths, encryption_key, attributes) = rest;
        MediaDescription {
            port_count,
            information,
            connections,
            bandwidths,
            encryption_key,
            attributes,
            ..MediaDescription::new(&media, port, &proto, formats)
        }
    })
}

fn session() -> impl Strategy<Value = SessionDescription> {
    let origin = ("[!-~]{1,10}", any::<u64>(), any::<u64>(), address()).prop_map(
        |(username, session_id, session_version, address)| Origin {
            username,
            session_id,
            session_version,
            address,
        },
    );
    let head = (
        origin,
        text(),
        option::of(text()),
        option::of(text()),
        vec(text(), 0..2),
        vec(text(), 0..2),
        option::of(connection()),
    );
    let tail = (
        vec(bandwidth(), 0..2),
        vec(timing(), 1..3),
        option::of(text()),
        option::of(text()),
        vec(attribute(), 0..5),
        vec(media(), 0..4),
    );
    (head, tail).prop_map(|(head, tail)| {
        let (origin, session_name, information, uri, emails, phones, connection) = head;
        let (bandwidths, timings, time_zones, encryption_key, attributes, media) = tail;
        SessionDescription {
            information,
            uri,
            emails,
            phones,
            connection,
            bandwidths,
            timings,
            time_zones,
            encryption_key,
            attributes,
            media,
            ..SessionDescription::new(origin, &session_name)
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn encode_then_parse_is_identity(sdp in session()) {
        let text = sdp.encode();
        prop_assume!(text.len() <= sdp::MAX_LEN);
        prop_assert_eq!(sdp::parse(text.as_bytes()), Ok(sdp));
    }

    #[test]
    fn lf_line_ends_read_the_same(sdp in session()) {
        let text = sdp.encode().replace("\r\n", "\n");
        prop_assume!(text.len() <= sdp::MAX_LEN);
        prop_assert_eq!(sdp::parse(text.as_bytes()), Ok(sdp));
    }

    #[test]
    fn every_attribute_round_trips_alone(attr in attribute()) {
        let mut sdp = SessionDescription::new(
            Origin {
                username: "-".into(),
                session_id: 1,
                session_version: 1,
                address: Address::ip([192, 0, 2, 1].into()),
            },
            "-",
        );
        sdp.attributes.push(attr);
        prop_assert_eq!(sdp::parse(sdp.encode().as_bytes()), Ok(sdp));
    }
}
