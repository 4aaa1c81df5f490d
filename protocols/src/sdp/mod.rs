//! SDP (RFC 4566) codec and RFC 3264 offer/answer.
