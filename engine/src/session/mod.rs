//! One callback session: the sans-IO [`machine`] that owns the flow, the [`digits`]
//! collector and dial-plan hook, the [`timers`] table and the [`record`] kept for the CDR.
//! The actor that wraps the machine arrives with the coordinator.

pub mod actor;
pub mod digits;
pub mod machine;
pub mod record;
pub mod timers;

pub use digits::{DialMatch, DialPlan};
pub use machine::{
    Action, CallbackSession, CallbackTarget, Leg, Phase, Refusal, RejectPolicy, SessionEvent,
    SessionSettings, Transit, TrunkId,
};
pub use record::{EndReason, Outcome, SessionRecord};
pub use timers::Timer;
