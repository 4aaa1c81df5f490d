//! Q.931 codec: whatever decodes re-encodes to the same octets and decodes again to the
//! same message.

#![no_main]

use libfuzzer_sys::fuzz_target;
use protocols::q931::Message;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = Message::decode(data) else {
        return;
    };
    let bytes = message.encode().expect("a decoded message encodes");
    assert_eq!(bytes, data, "re-encoding is byte-identical");
    let again = Message::decode(&bytes).expect("re-encoded message decodes");
    assert_eq!(again, message, "decode(encode(m)) == m");
});
