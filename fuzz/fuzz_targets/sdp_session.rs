//! SDP: whatever the reader accepts is written back and read again unchanged
//! (decode → encode → decode), and answering it as an offer, or accepting it as the
//! answer to our offer, never panics.

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
        let _ = sdp::accept_answer(&parsed, &answer.sdp);
    }
    let _ = sdp::accept_answer(&local.offer(1, 1), &parsed);
});
