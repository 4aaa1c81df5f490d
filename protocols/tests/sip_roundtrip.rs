//! Property tests: generated requests and responses, built with typed headers,
//! serialize → parse back equal, and every typed value reads back as generated.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use protocols::sip::header::{
    CSeq, CallId, Contact, ContentType, From, MaxForwards, RAck, Reason, Require, To, Transport,
    TypedHeader, Via,
};
use protocols::sip::{Host, Message, Method, NameAddr, Params, SipUri, Uri};

fn token() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9.!%*_+`'~-]{1,12}"
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,10}(\\.[a-z][a-z0-9]{0,8}){0,2}".prop_map(Host::Name),
        any::<[u8; 4]>().prop_map(|o| Host::V4(Ipv4Addr::from(o))),
        any::<[u16; 8]>().prop_map(|s| Host::V6(Ipv6Addr::from(s))),
    ]
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Invite),
        Just(Method::Ack),
        Just(Method::Bye),
        Just(Method::Cancel),
        Just(Method::Prack),
        Just(Method::Info),
        "[A-Z]{3,10}".prop_map(|m| Method::from_token(m.as_bytes())),
    ]
}

fn params(names: &'static str) -> impl Strategy<Value = Params> {
    proptest::collection::vec((names, proptest::option::of("[a-zA-Z0-9._-]{1,8}")), 0..3).prop_map(
        |ps| {
            let mut out = Params::default();
            for (n, v) in ps {
                out.push(&n, v.as_deref());
            }
            out
        },
    )
}

fn sip_uri() -> impl Strategy<Value = Uri> {
    (
        any::<bool>(),
        proptest::option::of("[a-zA-Z0-9+._-]{1,12}"),
        host(),
        proptest::option::of(1..=u16::MAX),
        params("[a-z]{1,6}"),
    )
        .prop_map(|(secure, user, host, port, params)| {
            let mut u = SipUri::new(user.as_deref(), host);
            u.secure = secure;
            u.port = port;
            u.params = params;
            Uri::Sip(u)
        })
}

fn name_addr() -> impl Strategy<Value = NameAddr> {
    (proptest::option::of("[ -~]{0,16}"), sip_uri()).prop_map(|(display, uri)| match display {
        Some(d) => NameAddr::with_display(&d, uri),
        None => NameAddr::new(uri),
    })
}

fn via() -> impl Strategy<Value = Via> {
    let transport = prop_oneof![
        Just(Transport::Udp),
        Just(Transport::Tcp),
        Just(Transport::Tls),
        Just(Transport::Wss)
    ];
    (
        transport,
        host(),
        proptest::option::of(1..=u16::MAX),
        "[a-zA-Z0-9]{1,12}",
        any::<bool>(),
    )
        .prop_map(|(t, h, port, branch, rport)| {
            let mut v = Via::new(t, h, port, &format!("z9hG4bK{branch}"));
            if rport {
                v.params.push("rport", None);
            }
            v
        })
}

fn reason() -> impl Strategy<Value = Reason> {
    (1u8..128, proptest::option::of("[a-zA-Z ,]{0,12}")).prop_map(|(cause, text)| {
        let mut r = Reason::q850(cause);
        if let Some(t) = text {
            r.params.push("text", Some(&format!("\"{t}\"")));
        }
        r
    })
}

#[derive(Debug, Clone)]
struct Parts {
    vias: Vec<Via>,
    from: From,
    to: To,
    call_id: CallId,
    cseq: CSeq,
    contact: Contact,
    max_forwards: MaxForwards,
    reasons: Vec<Reason>,
    require: Vec<Require>,
    rack: RAck,
    body: Vec<u8>,
}

fn parts() -> impl Strategy<Value = Parts> {
    let addrs = (
        name_addr(),
        token(),
        name_addr(),
        proptest::option::of(token()),
    );
    let ids = (
        "[a-zA-Z0-9.-]{1,16}(@[a-z0-9.]{1,10})?",
        0u32..(1 << 31),
        method(),
        any::<u8>(),
    );
    let lists = (
        proptest::collection::vec(via(), 1..4),
        proptest::collection::vec(reason(), 0..3),
        proptest::collection::vec(token(), 0..3),
    );
    let rest = (
        name_addr(),
        (1u32..1000, 1u32..1000, method()),
        proptest::collection::vec(any::<u8>(), 0..64),
    );
    (addrs, ids, lists, rest).prop_map(|(addrs, ids, lists, rest)| {
        let (from_addr, from_tag, to_addr, to_tag) = addrs;
        let (call_id, seq, method, hops) = ids;
        let (vias, reasons, require) = lists;
        let (contact, (rseq, cseq, rack_method), body) = rest;
        let mut to = To::new(to_addr);
        if let Some(tag) = to_tag {
            to.set_tag(&tag);
        }
        Parts {
            vias,
            from: From::new(from_addr, &from_tag),
            to,
            call_id: CallId(call_id),
            cseq: CSeq { seq, method },
            contact: Contact::new(contact),
            max_forwards: MaxForwards(hops),
            reasons,
            require: require.into_iter().map(Require).collect(),
            rack: RAck {
                rseq,
                cseq,
                method: rack_method,
            },
            body,
        }
    })
}

fn build(p: &Parts, builder: protocols::sip::MessageBuilder) -> Message {
    let mut b = builder;
    for v in &p.vias {
        b = b.header(v);
    }
    b = b
        .header(&p.from)
        .header(&p.to)
        .header(&p.call_id)
        .header(&p.cseq);
    b = b.header(&p.contact).header(&p.max_forwards).header(&p.rack);
    for r in &p.reasons {
        b = b.header(r);
    }
    for r in &p.require {
        b = b.header(r);
    }
    b.body(&ContentType::sdp(), p.body.clone()).build()
}

fn check_typed(m: &Message, p: &Parts) {
    assert_eq!(m.via().unwrap(), p.vias);
    assert_eq!(m.from().unwrap(), p.from);
    assert_eq!(m.to().unwrap(), p.to);
    assert_eq!(m.call_id().unwrap(), p.call_id);
    assert_eq!(m.cseq().unwrap(), p.cseq);
    assert_eq!(m.contacts().unwrap(), vec![p.contact.clone()]);
    assert_eq!(m.max_forwards().unwrap(), Some(p.max_forwards));
    assert_eq!(m.rack().unwrap(), Some(p.rack.clone()));
    assert_eq!(m.reasons().unwrap(), p.reasons);
    assert_eq!(m.require().unwrap(), p.require);
    assert_eq!(&m.body()[..], &p.body[..]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn requests_round_trip(p in parts(), uri in sip_uri(), method in method()) {
        let built = build(&p, Message::request(method, uri));
        let parsed = Message::parse(built.to_bytes()).unwrap();
        prop_assert_eq!(&parsed, &built);
        check_typed(&parsed, &p);
        prop_assert_eq!(parsed.to_bytes(), built.to_bytes());
    }

    #[test]
    fn responses_round_trip(p in parts(), code in 100u16..=699, reason in "[ -~]{0,20}") {
        let built = build(&p, Message::response(code, &reason));
        let parsed = Message::parse(built.to_bytes()).unwrap();
        prop_assert_eq!(&parsed, &built);
        prop_assert_eq!(parsed.status(), Some(code));
        check_typed(&parsed, &p);
    }

    #[test]
    fn typed_values_print_and_parse_back(v in via(), na in name_addr(), r in reason()) {
        prop_assert_eq!(Via::parse(v.to_value().as_bytes()).unwrap(), v);
        let f = From::new(na, "x");
        prop_assert_eq!(From::parse(f.to_value().as_bytes()).unwrap(), f);
        prop_assert_eq!(Reason::parse(r.to_value().as_bytes()).unwrap(), r);
    }
}
