//! Size limits applied while decoding, before anything is stored.

/// What a peer may send in one message. Past a limit the message is refused with a
/// [`crate::sip::ErrorKind`] naming the limit (answered with 513 where possible).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole message: start line, headers and body.
    pub max_message_size: usize,
    /// Header fields in one message.
    pub max_headers: usize,
    /// One header field, continuation lines included.
    pub max_header_size: usize,
}

impl Default for Limits {
    /// 64 KiB messages (the largest UDP datagram), 128 header fields of up to 8 KiB.
    fn default() -> Self {
        Limits {
            max_message_size: 64 * 1024,
            max_headers: 128,
            max_header_size: 8 * 1024,
        }
    }
}
