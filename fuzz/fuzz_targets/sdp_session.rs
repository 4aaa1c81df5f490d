//! SDP: whatever the reader accepts is written back and read again unchanged
//! (decode → encode → decode); answering it as an offer, or accepting it as the answer
//! to our offer, never panics; and our answer to it is one `accept_answer` agrees with.

#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use libfuzzer_sys::fuzz_target;
use protocols::sdp::{self, LocalMedia};

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = sdp::parse(data) else {
        return;
    };
    let text = parsed.encode();
    assert_eq!(
        sdp::parse(text.as_bytes()).as_ref(),
        Ok(&parsed),
        "{text:?}"
    );

    let local = LocalMedia::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 10)), 20000);
    if let Ok(answer) = local.answer(&parsed, 1, 1) {
        let answer_text = answer.sdp.encode();
        assert_eq!(sdp::parse(answer_text.as_bytes()).as_ref(), Ok(&answer.sdp));
        // Our own answer is one the offerer side accepts, with the same codec.
        let agreed = sdp::accept_answer(&parsed, &answer.sdp).map(|n| (n.law, n.payload_type));
        let chosen = (answer.negotiated.law, answer.negotiated.payload_type);
        assert_eq!(agreed, Ok(chosen));
    }
    let _ = sdp::accept_answer(&local.offer(1, 1), &parsed);
});
