//! SIP codec: datagram parse → serialize → parse is stable, and the stream framer never
//! claims more bytes than it was given (and agrees with the stream parser).

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocols::sip::{Frame, Limits, Message, frame, parse_datagram, parse_stream};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(message) = parse_datagram(data.to_vec().into(), &limits) {
        let wire = message.to_bytes();
        let again = Message::parse(wire.clone()).expect("a serialized message parses");
        assert_eq!(again, message);
        assert_eq!(again.to_bytes(), wire);
        let _ = message.validate();
        let _ = (message.via(), message.from(), message.contacts(), message.cseq());
    }
    match frame(data, &limits) {
        Frame::Complete(n) => {
            assert!(n <= data.len());
            parse_stream(data[..n].to_vec().into(), &limits).expect("a framed message parses");
        }
        Frame::Incomplete | Frame::Invalid(_) => {}
    }
});
