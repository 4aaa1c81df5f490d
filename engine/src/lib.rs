//! The Callback engine: the `CallbackCoordinator` actor, one `CallbackSession` actor per
//! accepted trigger wrapping a sans-IO session machine, routing, authorisation, tariffs and
//! cost, CDRs and metrics.
//!
//! The engine knows legs and normalized call events, never a particular signalling
//! protocol, so SIP, ISDN and GSM trunks plug in unchanged. See `ARCHITECTURE.md`.

pub mod cdr;
pub mod coordinator;
pub mod env;
pub mod identify;
pub mod metrics;
pub mod policy;
pub mod session;
pub mod settings;
pub mod tones;
