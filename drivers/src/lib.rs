//! Trunk drivers: one actix actor per trunk (SIP, ISDN, GSM).
//!
//! A driver owns the I/O of one trunk — sockets, the mISDN D and B channels, a modem's
//! serial and audio ports — and wraps the sans-IO machines of the `protocols` crate. To the
//! engine it speaks only normalized call events (offered, alerting, answered, digit,
//! released with a Q.850 cause) and takes normalized commands (originate, alert, reject,
//! answer, hang up, send digit). See `ARCHITECTURE.md` for the events.
//!
//! The drivers arrive with the SIP trunk, ISDN and GSM work; this crate is the place
//! reserved for them in the dependency graph (`protocols` ← `drivers` ← `engine`).
