//! Hostile input through the public API: random bytes, truncations and mutations of
//! valid messages never panic; the framer never claims more bytes than it has; whatever
//! parses also serializes and parses back to the same message.

use std::path::PathBuf;

use bytes::Bytes;
use proptest::prelude::*;
use protocols::sip::{ErrorKind, Frame, Limits, Message, frame, parse_datagram, parse_stream};

fn corpus() -> Vec<Vec<u8>> {
    let dir: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "tests", "data", "rfc4475"]
        .iter()
        .collect();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "dat"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// Everything a driver would do with `data`; panics only on a broken invariant.
fn exercise(data: &[u8]) {
    let limits = Limits::default();
    if let Ok(m) = parse_datagram(Bytes::copy_from_slice(data), &limits) {
        let _ = (
            m.via(),
            m.from(),
            m.to(),
            m.call_id(),
            m.cseq(),
            m.contacts(),
            m.max_forwards(),
        );
        let _ = (
            m.routes(),
            m.record_routes(),
            m.reasons(),
            m.rack(),
            m.p_asserted_identities(),
        );
        let _ = m.validate();
        let again = Message::parse(m.to_bytes()).expect("serialized message parses");
        assert_eq!(again, m);
    }
    match frame(data, &limits) {
        Frame::Complete(n) => {
            assert!(
                n <= data.len(),
                "framer claimed {n} of {} bytes",
                data.len()
            );
            parse_stream(Bytes::copy_from_slice(&data[..n]), &limits)
                .expect("framed message parses");
        }
        Frame::Incomplete | Frame::Invalid(_) => {}
    }
}

#[test]
fn every_truncation_of_every_torture_message() {
    for msg in corpus() {
        for cut in 0..=msg.len() {
            exercise(&msg[..cut]);
        }
    }
}

#[test]
fn a_prefix_of_a_framed_message_is_incomplete() {
    let limits = Limits::default();
    for msg in corpus() {
        if let Frame::Complete(n) = frame(&msg, &limits) {
            for cut in 0..n {
                assert!(
                    !matches!(frame(&msg[..cut], &limits), Frame::Complete(_)),
                    "cut {cut}"
                );
            }
        }
    }
}

#[test]
fn limits_are_refused_with_their_own_errors() {
    let many = format!("OPTIONS sip:a@b SIP/2.0\r\n{}\r\n", "X: y\r\n".repeat(200));
    let err = Message::parse(many).unwrap_err();
    assert_eq!(err.kind, ErrorKind::TooManyHeaders { limit: 128 });
    let long = format!(
        "OPTIONS sip:a@b SIP/2.0\r\nSubject: {}\r\n\r\n",
        "x".repeat(9000)
    );
    assert_eq!(
        Message::parse(long).unwrap_err().kind,
        ErrorKind::HeaderTooLong { limit: 8192 }
    );
    let huge = vec![b'a'; 70_000];
    assert_eq!(
        Message::parse(huge.clone()).unwrap_err().kind,
        ErrorKind::MessageTooLarge { limit: 65536 }
    );
    assert!(matches!(
        frame(&huge, &Limits::default()),
        Frame::Invalid(_)
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..1500)) {
        exercise(&data);
    }

    #[test]
    fn random_text_lines_never_panic(lines in proptest::collection::vec("[ -~\t]{0,40}", 0..12)) {
        let text = format!("INVITE sip:a@b SIP/2.0\r\n{}\r\n\r\n", lines.join("\r\n"));
        exercise(text.as_bytes());
    }

    #[test]
    fn mutated_torture_messages_never_panic(
        pick in any::<prop::sample::Index>(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0..3u8), 1..8),
    ) {
        let all = corpus();
        let mut msg = all[pick.index(all.len())].clone();
        for (at, byte, op) in edits {
            if msg.is_empty() {
                break;
            }
            let k = at.index(msg.len());
            match op {
                0 => msg[k] = byte,
                1 => msg.insert(k, byte),
                _ => {
                    msg.remove(k);
                }
            }
        }
        exercise(&msg);
    }
}
