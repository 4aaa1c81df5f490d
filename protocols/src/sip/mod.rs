//! SIP (RFC 3261) message codec: framing, parsing, typed headers, serialization.
//!
//! # Model
//!
//! A [`Message`] is a start line, an ordered list of header fields, and a body, all
//! sharing the received buffer ([`bytes::Bytes`]). Parsing checks the message grammar
//! far enough to frame it — start line, header field names, line folds, Content-Length
//! — and keeps every field raw; typed values ([`header::Via`], [`header::From`],
//! [`header::CSeq`], …) are parsed on demand from the raw value, each header type in its
//! own file under [`header`]. Unknown fields are kept verbatim, in order. Because the
//! raw text is kept, a message that is parsed and serialized again comes out byte for
//! byte the same; messages built with [`Message::request`] / [`Message::response_to`]
//! are printed from their typed values.
//!
//! # Loop
//!
//! * UDP: each datagram goes to [`parse_datagram`].
//! * TCP: append received bytes to a buffer and call [`frame`]; on
//!   [`Frame::Complete`]`(n)` split off `n` bytes and give them to [`parse_stream`]; on
//!   [`Frame::Incomplete`] read more; on [`Frame::Invalid`] close the connection.
//! * Before acting on a request, call [`Message::validate`]; answer a failure with 400
//!   (or 505 / 513 by [`ErrorClass`]).
//!
//! # Invariants
//!
//! * No input panics, and sizes are bounded by [`Limits`] before anything is stored.
//! * Every error is a [`ParseError`]: the byte offset where decoding stopped and the
//!   [`ErrorKind`] — what was expected there, or which limit or rule was broken.
//! * `parse(serialize(m)) == m` for every parsed message, and for every built message
//!   whose parts follow the grammar (header names are tokens, URIs parse).

mod builder;
mod error;
mod framing;
mod grammar;
mod head;
pub mod header;
mod limits;
mod message;
mod method;
mod name_addr;
mod params;
mod start_line;
mod uri;
mod validate;

pub use builder::MessageBuilder;
pub use error::{ErrorClass, ErrorKind, Expected, ParseError, Unsupported};
pub use framing::{Frame, frame};
pub use limits::Limits;
pub use message::{Message, parse_datagram, parse_stream};
pub use method::Method;
pub use name_addr::NameAddr;
pub use params::{Param, Params};
pub use start_line::{RequestLine, StartLine, StatusLine};
pub use uri::{AbsoluteUri, Host, SipUri, TelUri, Uri};
pub mod transaction;
pub mod ua;
