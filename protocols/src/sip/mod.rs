//! SIP (RFC 3261) message codec.
