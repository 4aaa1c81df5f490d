//! Hostile input through the public API: random bytes, mutated real descriptions and
//! SDP-shaped garbage never panic. Whatever the reader accepts is written back and read
//! again unchanged, and answering it (or accepting it as an answer) never panics.

use std::net::{IpAddr, Ipv4Addr};
use std::path::PathBuf;

use proptest::collection::vec;
use proptest::prelude::*;
use protocols::sdp::{self, LocalMedia, SdpError};

const FILES: &[&str] = &[
    "sipp-uac.sdp",
    "asterisk-offer.sdp",
    "freeswitch-offer.sdp",
    "ipv6.sdp",
    "hold.sdp",
    "hold-rfc2543.sdp",
    "two-streams.sdp",
    "rfc8866-example.sdp",
    "multicast.sdp",
    "lf-only.sdp",
    "srtp-only.sdp",
];

fn corpus() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data/sdp");
    FILES
        .iter()
        .map(|f| std::fs::read(dir.join(f)).unwrap())
        .collect()
}

/// Everything callbackd would do with a description from a peer, checked for panics and
/// for the round-trip invariant.
fn exercise(input: &[u8]) -> Result<(), TestCaseError> {
    let result = sdp::parse(input);
    if let Err(err) = &result {
        prop_assert!(err.offset() <= input.len().max(sdp::MAX_LEN));
        let _ = err.to_string();
        if let SdpError::Malformed { line, .. } | SdpError::Unsupported { line, .. } = err {
            prop_assert!(*line >= 1);
        }
    }
    let Ok(parsed) = result else { return Ok(()) };
    let text = parsed.encode();
    prop_assert_eq!(sdp::parse(text.as_bytes()), Ok(parsed.clone()));
    let local = LocalMedia::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)), 20000);
    if let Ok(answer) = local.answer(&parsed, 1, 1) {
        prop_assert_eq!(
            sdp::parse(answer.sdp.encode().as_bytes()),
            Ok(answer.sdp.clone())
        );
        let agreed = sdp::accept_answer(&parsed, &answer.sdp);
        let (law, pt) = (answer.negotiated.law, answer.negotiated.payload_type);
        prop_assert_eq!(agreed.map(|n| (n.law, n.payload_type)), Ok((law, pt)));
    }
    let _ = sdp::accept_answer(&local.offer(1, 1), &parsed);
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Truncate(usize),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        Just(b'\r'),
        Just(b'\n'),
        Just(b'\0'),
        Just(b' '),
        Just(b'/'),
        Just(b':'),
        Just(b'='),
        Just(b'9'),
        Just(0xff),
        any::<u8>(),
    ];
    prop_oneof![
        (any::<usize>(), interesting.clone()).prop_map(|(at, b)| Mutation::Flip(at, b)),
        (any::<usize>(), interesting).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), 1usize..20).prop_map(|(at, n)| Mutation::Delete(at, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let len = bytes.len().max(1);
    match *m {
        Mutation::Flip(at, b) if !bytes.is_empty() => bytes[at % len] = b,
        Mutation::Flip(..) => {}
        Mutation::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
        Mutation::Delete(at, n) => {
            let start = at % len;
            let end = (start + n).min(bytes.len());
            bytes.drain(start.min(end)..end);
        }
        Mutation::Truncate(at) => bytes.truncate(at % len),
        Mutation::DuplicateLine(at) => {
            let lines: Vec<Vec<u8>> = bytes
                .split_inclusive(|&b| b == b'\n')
                .map(<[u8]>::to_vec)
                .collect();
            if let Some(line) = lines.get(at % lines.len().max(1)) {
                let mut copy = line.clone();
                copy.extend(bytes.iter());
                *bytes = copy;
            }
        }
    }
}

/// Lines built from SDP's own vocabulary, so the reader gets deep before failing.
fn sdp_shaped() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        Just("v=0"),
        Just("o=- 1 1 IN IP4 192.0.2.1"),
        Just("s=-"),
        Just("t=0 0"),
        Just("c=IN IP4 0.0.0.0"),
        Just("c=IN IP6 ::1/2"),
        Just("c=IN IP4 233.252.0.1/127/3"),
        Just("m=audio 4000 RTP/AVP 0 8 101"),
        Just("m=audio 0 RTP/AVP"),
        Just("m=video 1/2 RTP/SAVP 31"),
        Just("a=rtpmap:101 telephone-event/8000"),
        Just("a=rtpmap:8 PCMA/8000/1"),
        Just("a=fmtp:101 0-16"),
        Just("a=fmtp:101 99-0,x"),
        Just("a=ptime:20.5"),
        Just("a=maxptime:"),
        Just("a=sendonly"),
        Just("a=inactive"),
        Just("a=rtcp:9 IN IP6 ::"),
        Just("a=rtcp-mux"),
        Just("r=1 2 3"),
        Just("z=0 -1h"),
        Just("k=prompt"),
        Just("b=AS:64"),
        Just("i=x"),
        Just("u=y"),
        Just("e=a@b"),
        Just("p=+1"),
        Just("a="),
        Just("="),
        Just(""),
        Just("x=1"),
    ];
    let ending = prop_oneof![Just("\r\n"), Just("\n"), Just("\r"), Just("")];
    vec((word, ending), 0..30).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(w, e)| format!("{w}{e}").into_bytes())
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_bytes_never_panic(bytes in vec(any::<u8>(), 0..600)) {
        exercise(&bytes)?;
    }

    #[test]
    fn mutated_descriptions_never_panic(
        file in 0..FILES.len(),
        mutations in vec(mutation(), 1..8),
    ) {
        let mut bytes = corpus()[file].clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        exercise(&bytes)?;
    }

    #[test]
    fn sdp_shaped_garbage_never_panics(bytes in sdp_shaped()) {
        exercise(&bytes)?;
    }
}

#[test]
fn pathological_inputs() {
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        b"\n\n\n".to_vec(),
        b"\r".to_vec(),
        b"v=0".to_vec(),
        vec![b'\n'; sdp::MAX_LEN],
        vec![0xff; 3],
        "v=0\r\no=\u{0100} 1 1 IN IP4 ::\r\n".as_bytes().to_vec(),
        b"v=0\r\no=- 18446744073709551616 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n".to_vec(),
    ];
    for input in cases {
        let _ = sdp::parse(&input);
    }
}
